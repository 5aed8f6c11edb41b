#!/bin/bash
# lecternd's memory after serving the query set: starts lecternd on INDEX
# (loopback, an ephemeral port), runs every query of bench/queries for
# SECONDS with 4 calls in flight (lectern-bench-load), then reads the
# server's VmRSS and VmHWM from /proc and writes RESULTS/rss-NAME.json.
# Usage, from the repository root:
#   bash bench/memory/run.sh BUILD INDEX NAME RESULTS [SECONDS]
set -euo pipefail
build=$1 index=$2 name=$3 results=$4 seconds=${5:-10}
mkdir -p "$results"
tmp=$(mktemp -d)
pid=
cleanup() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

"$build/service/lecternd/lecternd" --index "$index" --listen 127.0.0.1:0 \
  --port_file "$tmp/port" 2>"$tmp/lecternd.log" &
pid=$!
for _ in $(seq 600); do
  [[ -s $tmp/port ]] && break
  sleep 0.1
done
[[ -s $tmp/port ]] || { cat "$tmp/lecternd.log" >&2; exit 1; }
kb() { awk -v key="$1:" '$1 == key { print $2 }' "/proc/$pid/status"; }
idle_kb=$(kb VmRSS)
"$build/bench/grpc/lectern-bench-load" --server "127.0.0.1:$(cat "$tmp/port")" \
  --queries bench/queries/queries.tsv --inflight 4 --seconds "$seconds" \
  --json "$tmp/load.json" >&2
calls=$(python3 -c "import json,sys; d = json.load(open(sys.argv[1])); print(int(d['qps'] * d['seconds']))" "$tmp/load.json")
cat >"$results/rss-$name.json" <<JSON
{"name": "$name", "index": "$index", "idle_rss_kb": $idle_kb,
 "rss_kb": $(kb VmRSS), "peak_rss_kb": $(kb VmHWM), "calls": $calls,
 "seconds": $seconds,
 "command": "bash bench/memory/run.sh $build $index $name $results $seconds"}
JSON
cat "$results/rss-$name.json" >&2
