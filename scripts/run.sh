#!/usr/bin/env bash
# One command from a fresh clone to a running lecternd: installs the Debian
# packages that are missing, builds, indexes the bundled data into var/index
# and serves it until Ctrl-C: gRPC on 127.0.0.1:50051 (LECTERN_LISTEN
# overrides), the web page and HTTP/JSON on 127.0.0.1:8080
# (LECTERN_HTTP_LISTEN overrides).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh --build-only
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLECTERN_BUILD_TESTS=OFF
cmake --build build
./build/indexer/tool/lectern-index --config data/lectern.textproto --index var/index

listen=${LECTERN_LISTEN:-127.0.0.1:50051}
http_listen=${LECTERN_HTTP_LISTEN:-127.0.0.1:8080}
cat <<MSG

lecternd is starting: gRPC on $listen, the web page and HTTP/JSON on
http://$http_listen/ (open it in a browser). From another terminal, try:
  ./build/clients/cli/lectern --server $listen search "kv cache"
  ./build/clients/cli/lectern --server $listen session fall-2024 2024-12-24
  curl 'http://$http_listen/v1/search?q=kv%20cache'

MSG
exec ./build/service/lecternd/lecternd --index var/index --listen "$listen" \
  --http_listen "$http_listen"
