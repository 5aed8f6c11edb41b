#!/usr/bin/env bash
# Runs clang-tidy (the root .clang-tidy allow-list) over lectern's own C++
# sources, with the compile commands of an existing build, two files at a
# time. Exits non-zero on any finding.
#
# usage: scripts/lint.sh [BUILD_DIR]    (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
if [[ ! -f $build/compile_commands.json ]]; then
  echo "lint: $build/compile_commands.json missing; configure $build first" >&2
  exit 2
fi
# Generated sources (protobuf, embedded web files) live in the build tree and
# are not ours to lint.
mapfile -t sources < <(git ls-files '*.cc' | grep -v '^build')
echo "lint: clang-tidy on ${#sources[@]} files"
status=0
printf '%s\n' "${sources[@]}" |
  xargs -P 2 -n 4 clang-tidy -p "$build" --quiet 2>/dev/null || status=$?
if ((status != 0)); then
  echo "lint: clang-tidy reported findings (above)" >&2
  exit 1
fi
echo "lint: clean"
