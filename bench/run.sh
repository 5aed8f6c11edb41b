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
#   4. Suggest latency for one and all open dates, 13k and 100k corpora
#      (bench/suggest/);
#   5. lecternd's memory after the query set, 13k and 100k (bench/memory/);
# and writes docs/BENCHMARKS.md (bench/report.py). Results stay in
# $LECTERN_BENCH_WORK (default /tmp/lectern-bench). LECTERN_BENCH_ROUNDS
# (default 3) sets the rounds of every interleaved comparison;
# LECTERN_BENCH_CORPORA (default "real 100k") the corpora of the indexing
# comparison ("real" alone takes minutes instead of half an hour).
set -euo pipefail
cd "$(dirname "$0")/.."
work=${LECTERN_BENCH_WORK:-/tmp/lectern-bench}
rounds=${LECTERN_BENCH_ROUNDS:-3}
corpora=${LECTERN_BENCH_CORPORA:-real 100k}
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

echo "== 1/5 indexing throughput" >&2
# shellcheck disable=SC2086  # a list of corpus names
python3 bench/indexing/run_indexing.py --build "$build" --corpus $corpora \
  --rounds "$rounds" --work "$work/indexing" --json "$work/results/indexing.json"

echo "== 2/5 query latency in process" >&2
bash bench/search/run.sh "$build" "$work/search" --rounds "$rounds"
cp "$work/search/search.json" "$work/results/search.json"

echo "== 3/5 Search over gRPC and under load" >&2
bash bench/grpc/run.sh "$build" "$work/search/index" "$work/results" "$rounds"

# The 100k corpus run_indexing.py wrote, indexed once for Suggest and memory.
corpus100k=$work/indexing/corpus-100k-seed1
if [[ ! -f $corpus100k/lectern.textproto ]]; then
  python3 bench/corpus/make_corpus.py --size 100000 --seed 1 --out "$corpus100k"
fi
if [[ ! -d $work/index-100k ]]; then
  "$build/indexer/tool/lectern-index" --quiet \
    --config "$corpus100k/lectern.textproto" --index "$work/index-100k"
fi

echo "== 4/5 Suggest latency, 13k and 100k" >&2
"$build/bench/suggest/lectern-bench-suggest" --index "$work/search/index" \
  --rounds "$rounds" --json "$work/results/suggest-13k.json"
"$build/bench/suggest/lectern-bench-suggest" --index "$work/index-100k" \
  --rounds "$rounds" --json "$work/results/suggest-100k.json"

echo "== 5/5 lecternd memory after the query set, 13k and 100k" >&2
bash bench/memory/run.sh "$build" "$work/search/index" 13k "$work/results"
bash bench/memory/run.sh "$build" "$work/index-100k" 100k "$work/results"

python3 bench/report.py "$work/results" > docs/BENCHMARKS.md
echo "wrote docs/BENCHMARKS.md (results in $work/results)" >&2
