#!/usr/bin/env bash
# Installs the Debian bookworm packages lectern needs to build, test and run,
# skipping those already present. Safe to run repeatedly.
#
# usage: scripts/install-deps.sh [--build-only]
#   --build-only  skip the tools only the tests use (the Dockerfile's case)
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libprotobuf-dev protobuf-compiler libgrpc++-dev protobuf-compiler-grpc
  libabsl-dev libxapian-dev libyaml-cpp-dev libgtest-dev libgmock-dev
  libcpp-httplib-dev
)
if [[ ${1:-} != --build-only ]]; then
  # Validates docker-compose.yml in the tests (no docker engine needed).
  packages+=(docker-compose)
  # The Python client's tests.
  packages+=(python3 python3-grpcio python3-protobuf)
  # The sharded index's tests and scripts/scale.sh: xapian-tcpsrv and
  # xapian-replicate serve the shards; HAProxy balances the lecternd tier.
  packages+=(xapian-tools haproxy)
  # Makes the TLS test's self-signed certificate.
  packages+=(openssl)
  # The sanitizer and fuzzing builds (clang with its runtimes: ASan, UBSan,
  # TSan, libFuzzer) and the clang-tidy checks (scripts/lint.sh).
  packages+=(clang libclang-rt-14-dev clang-tidy)
  # The web page's browser tests: Debian's Chromium, driven by playwright-core
  # from npm, and fonts for the Chinese summaries and the schedule's emoji.
  packages+=(chromium fonts-wqy-microhei fonts-noto-color-emoji)
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    packages+=(nodejs npm)
  fi
fi

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
else
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -q
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# playwright-core at the version tests/web/package-lock.json pins; it drives
# the Chromium above and downloads no browser of its own.
if [[ ${1:-} != --build-only && ! -d tests/web/node_modules/playwright-core ]]; then
  echo "install-deps: installing playwright-core into tests/web/node_modules"
  npm ci --prefix tests/web --no-audit --no-fund --loglevel=error
fi
