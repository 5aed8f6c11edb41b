#!/usr/bin/env bash
# Every benchmark in one command, from a fresh clone with ../shared beside
# it: installs the peers (Debian packages), builds lectern with the
# benchmarks into build-bench/, runs
#   1. indexing throughput: lectern-index, scriptindex, SQLite FTS5, on the
#      13,090 shared records and a 100k scale corpus (bench/indexing/);
#   2. query latency in process: lectern's library, raw Xapian, FTS5
#      (bench/search/);
#   3. Search over gRPC against an echo of the same responses, and
#      throughput under load (bench/grpc/);
# and writes docs/BENCHMARKS.md (bench/report.py). Results stay in
# $LECTERN_BENCH_WORK (default /tmp/lectern-bench). LECTERN_BENCH_ROUNDS
# (default 3) sets the rounds of every interleaved comparison.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${LECTERN_BENCH_WORK:-/tmp/lectern-bench}
rounds=${LECTERN_BENCH_ROUNDS:-3}
build=build-bench

bash scripts/install-deps.sh --build-only
peers=(xapian-omega libsqlite3-dev sqlite3 time python3)
missing=()
for pkg in "${peers[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
    missing+=("$pkg")
done
if ((${#missing[@]})); then
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q \
    --no-install-recommends "${missing[@]}"
fi

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DLECTERN_BUILD_TESTS=OFF -DLECTERN_BUILD_BENCH=ON
cmake --build "$build"
mkdir -p "$work/results"

echo "== 1/3 indexing throughput" >&2
python3 bench/indexing/run_indexing.py --build "$build" --corpus real 100k \
  --rounds "$rounds" --work "$work/indexing" --json "$work/results/indexing.json"

echo "== 2/3 query latency in process" >&2
bash bench/search/run.sh "$build" "$work/search" --rounds "$rounds"
cp "$work/search/search.json" "$work/results/search.json"

echo "== 3/3 Search over gRPC and under load" >&2
bash bench/grpc/run.sh "$build" "$work/search/index" "$work/results" "$rounds"

python3 bench/report.py "$work/results" > docs/BENCHMARKS.md
echo "wrote docs/BENCHMARKS.md (results in $work/results)" >&2
