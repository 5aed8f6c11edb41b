#!/usr/bin/env bash
# Search over gRPC on loopback: latency of lecternd against the echo server
# (lectern-bench-grpc), then throughput with 1..32 calls in flight and the
# latency at 50% and 90% of lecternd's best rate (lectern-bench-load).
#
#   bash bench/grpc/run.sh BUILD_DIR INDEX_DIR RESULTS_DIR [ROUNDS]
#
# Writes RESULTS_DIR/grpc.json and RESULTS_DIR/load-*.json.
set -euo pipefail
build=$1 index=$2 results=$3 rounds=${4:-5}
queries=bench/queries/queries.tsv
mkdir -p "$results"
tmp=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# Starts a server in the background and waits (at most 60 s) for its port.
start() {  # port_file command...
  local port_file=$1; shift
  "$@" --port_file "$port_file" 2>>"$tmp/servers.log" &
  pids+=($!)
  for _ in $(seq 600); do
    [[ -s $port_file ]] && return 0
    sleep 0.1
  done
  echo "bench/grpc/run.sh: $1 did not start; its log:" >&2
  cat "$tmp/servers.log" >&2
  return 1
}

start "$tmp/lectern.port" "$build/service/lecternd/lecternd" --index "$index" \
  --listen 127.0.0.1:0
lectern_pid=${pids[-1]}
start "$tmp/echo.port" "$build/bench/grpc/lectern-bench-echo" --index "$index" \
  --queries "$queries" --listen 127.0.0.1:0
lectern=127.0.0.1:$(cat "$tmp/lectern.port")
echo=127.0.0.1:$(cat "$tmp/echo.port")

echo "== Search latency over gRPC: lecternd and the echo, interleaved" >&2
"$build/bench/grpc/lectern-bench-grpc" --lectern "$lectern" --echo "$echo" \
  --queries "$queries" --rounds "$rounds" --lectern_pid "$lectern_pid" \
  --json "$results/grpc.json"

load=$build/bench/grpc/lectern-bench-load
best() {  # name address: the highest closed-loop rate, as an integer
  local name=$1 address=$2 top=0
  for inflight in 1 2 4 8 16 32; do
    "$load" --server "$address" --queries "$queries" --inflight "$inflight" \
      --seconds 5 --json "$results/load-$name-closed-$inflight.json" >&2
    qps=$(python3 -c "import json,sys; print(int(json.load(open(sys.argv[1]))['qps']))" \
      "$results/load-$name-closed-$inflight.json")
    ((qps > top)) && top=$qps
  done
  echo "$top"
}
echo "== Throughput: calls in flight 1..32" >&2
lectern_max=$(best lectern "$lectern")
best echo "$echo" >/dev/null
for share in 50 90; do
  "$load" --server "$lectern" --queries "$queries" --inflight 64 --seconds 10 \
    --rate $((lectern_max * share / 100)) \
    --json "$results/load-lectern-open-$share.json" >&2
done
