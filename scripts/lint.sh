#!/usr/bin/env bash
# Runs clang-tidy (the root .clang-tidy allow-list) over lectern's own C++
# sources, two files at a time, with the compile commands of a clang build
# configured for it (default build-lint/: tests and fuzzers on, one source a
# unit, only the generated protobuf sources built). Exits non-zero on any
# finding.
#
# usage: scripts/lint.sh [BUILD_DIR]    (default: build-lint)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-lint}
# A unity build's compile commands name its batches, not the sources.
cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLECTERN_BUILD_TESTS=ON \
  -DLECTERN_BUILD_FUZZ=ON -DCMAKE_UNITY_BUILD=OFF >/dev/null
# The sources include the generated protobuf and web headers.
cmake --build "$build" --target lectern_proto lectern_service >/dev/null
# Generated sources (protobuf, embedded web files) live in the build tree and
# are not ours to lint; sources no target of this build compiles (the
# benchmarks, built only with their peers) are listed and skipped.
mapfile -t tracked < <(git ls-files '*.cc' | grep -v '^build')
sources=()
skipped=()
for source in "${tracked[@]}"; do
  if grep -q "\"file\": \"$PWD/$source\"" "$build/compile_commands.json"; then
    sources+=("$source")
  else
    skipped+=("$source")
  fi
done
echo "lint: clang-tidy on ${#sources[@]} files (${#skipped[@]} not compiled" \
  "in $build: ${skipped[*]:-none})"
status=0
printf '%s\n' "${sources[@]}" |
  xargs -P 2 -n 4 clang-tidy -p "$build" --quiet 2>/dev/null || status=$?
if ((status != 0)); then
  echo "lint: clang-tidy reported findings (above)" >&2
  exit 1
fi
echo "lint: clean"
