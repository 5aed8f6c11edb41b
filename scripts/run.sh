#!/usr/bin/env bash
# One command from a fresh clone to a running lecternd: installs the Debian
# packages that are missing, builds, indexes the bundled data into var/index
# and serves it on 127.0.0.1:50051 (LECTERN_LISTEN overrides) until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLECTERN_BUILD_TESTS=OFF
cmake --build build
./build/indexer/tool/lectern-index --config data/lectern.textproto --index var/index

listen=${LECTERN_LISTEN:-127.0.0.1:50051}
cat <<MSG

lecternd is starting on $listen. From another terminal, try:
  ./build/clients/cli/lectern --server $listen search "kv cache"
  ./build/clients/cli/lectern --server $listen session fall-2024 2024-12-24

MSG
exec ./build/service/lecternd/lecternd --index var/index --listen "$listen"
