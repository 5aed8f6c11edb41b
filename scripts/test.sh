#!/usr/bin/env bash
# One command from a fresh clone to a full test run: installs the Debian
# packages that are missing, builds everything and runs every test (unit,
# golden, integration against a real lecternd, CLI end to end, compose file,
# the web page in a real browser).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLECTERN_BUILD_TESTS=ON
cmake --build build
ctest --test-dir build --output-on-failure --parallel 2
