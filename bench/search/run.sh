#!/bin/bash
# Runs the in-process query latency benchmark on the 13,090 real papers:
# builds what is missing (the lectern index, the FTS5 database), then
# lectern-bench-search. Usage, from the repository root:
#   bash bench/search/run.sh [BUILD_DIR] [WORK_DIR] [extra lectern-bench-search flags, e.g. --rounds 3]
# BUILD_DIR defaults to build (configured with -DLECTERN_BUILD_BENCH=ON),
# WORK_DIR to /tmp/lectern-bench-search; the report goes to stdout and
# WORK_DIR/search.json.
set -euo pipefail

build=${1:-build}
work=${2:-/tmp/lectern-bench-search}
shift $(( $# < 2 ? $# : 2 ))
papers=../shared/data/papers
files=("$papers/osdi_sosp.jsonl" "$papers/systems_other.jsonl" "$papers/other_cs.jsonl")
mkdir -p "$work"

if [[ ! -d $work/index ]]; then
  "$build/indexer/tool/lectern-index" --quiet \
    --config bench/configs/real.textproto --index "$work/index"
fi
if [[ ! -f $work/papers.db ]]; then
  "$build/bench/indexing/lectern-bench-fts5-index" --out "$work/papers.db" "${files[@]}"
fi
"$build/bench/search/lectern-bench-search" --index "$work/index" \
  --fts5 "$work/papers.db" --queries bench/queries/queries.tsv \
  --json "$work/search.json" "$@"
