#!/usr/bin/env bash
# Scale figures of a sharded index (docs/SCALING.md), on one machine:
#
#   1. indexing throughput of lectern-index into one database and into
#      1, 2 and 4 shards (one writer thread per part: home + shards);
#   2. Search latency (one call at a time: median, p99) and throughput
#      (8 calls in flight) over gRPC, through lecternd, for the one
#      database and for each sharding, the shards served by xapian-tcpsrv
#      on loopback.
#
# The corpus is bench/corpus/make_corpus.py's (seeded); the queries are
# bench/queries/queries.tsv. Prints a Markdown table and writes the raw
# figures to $work/scale.json.
#
# usage: bench/scale/run.sh [--size N] [--setups "single 1 2 4"]
#                            [--seconds S] [--keep]
#   defaults: 1,000,000 records, one database then 1, 2 and 4 shards, 30 s
#   per load run (at 1M a search takes tens of ms: a run must go through the
#   240 queries several times, from the first). A number in --setups is a
#   shard count; the setups run in the order given. Each index is deleted
#   once measured (a 1M index takes about 10 GB) unless --keep.
# Needs build/ (lectern-index, lecternd) and build-bench/ (lectern-bench-load:
# bench/run.sh builds it), and xapian-tools.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

size=1000000 setups="single 1 2 4" seconds=30 keep=false
while (($#)); do
  case $1 in
    --size) size=$2; shift ;;
    --setups) setups=$2; shift ;;
    --seconds) seconds=$2; shift ;;
    --keep) keep=true ;;
    *) echo "usage: bench/scale/run.sh [--size N] [--setups LIST]" \
      "[--seconds S] [--keep]" >&2; exit 2 ;;
  esac
  shift
done

indexer=$root/build/indexer/tool/lectern-index
lecternd=$root/build/service/lecternd/lecternd
load=$root/build-bench/bench/grpc/lectern-bench-load
for tool in "$indexer" "$lecternd" "$load"; do
  [[ -x $tool ]] || { echo "scale bench: $tool is missing" >&2; exit 1; }
done
work=${LECTERN_BENCH_WORK:-/tmp/lectern-bench}/scale-$size
mkdir -p "$work"
corpus=$work/corpus
if [[ ! -f $corpus/lectern.textproto ]]; then
  echo "== corpus: $size records" >&2
  python3 bench/corpus/make_corpus.py --size "$size" --seed 1 --out "$corpus"
fi
queries=$root/bench/queries/queries.tsv

pids=()
stop_all() {
  local pid
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
trap stop_all EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_port() {
  for _ in $(seq 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "scale bench: nothing listens on 127.0.0.1:$1" >&2
  return 1
}

# Seconds (with fractions) and peak RSS (KiB) of a command, into $elapsed
# and $peak_kib.
measure() {
  local report=$work/time.txt
  /usr/bin/time -f '%e %M' -o "$report" "$@" >/dev/null
  read -r elapsed peak_kib <"$report"
}

# Starts lecternd over $1 (more flags follow), measures latency and
# throughput through it, stops it; appends a JSON line to scale.json.
serve_and_load() {
  local label=$1 rate_file=$work/$1 server
  shift
  rm -f "$work/port"
  setsid "$lecternd" "$@" --threads 2 --listen 127.0.0.1:0 \
    --port_file "$work/port" --check_index=false \
    >"$work/lecternd-$label.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 600); do [[ -s $work/port ]] && break; sleep 0.1; done
  server=127.0.0.1:$(<"$work/port")
  # Warm the caches: as long as a measured run, so at least one pass over
  # the query set.
  "$load" --server "$server" --queries "$queries" --inflight 4 \
    --seconds "$seconds" >/dev/null
  "$load" --server "$server" --queries "$queries" --inflight 1 \
    --seconds "$seconds" --json "$rate_file-latency.json" >/dev/null
  "$load" --server "$server" --queries "$queries" --inflight 8 \
    --seconds "$seconds" --json "$rate_file-qps.json" >/dev/null
  stop_all
}

results=$work/scale.json
: >"$results"

# Appends the indexing figures of setup $1, whose index is at $2.
record_index() {
  local bytes
  bytes=$(du -sb "$2" | cut -f1)
  echo "{\"setup\":\"$1\",\"index_s\":$elapsed,\"peak_kib\":$peak_kib,\"bytes\":$bytes}" >>"$results"
}

forget_index() {
  $keep || rm -rf "$1"
}

measure_single() {
  echo "== one database" >&2
  rm -rf "$work/single"
  measure "$indexer" --config "$corpus/lectern.textproto" \
    --index "$work/single" --quiet
  record_index single "$work/single"
  serve_and_load single --index "$work/single"
  forget_index "$work/single"
}

measure_shards() {
  local shards=$1 root_dir=$work/shards-$1 map port k
  echo "== $shards shard(s)" >&2
  rm -rf "$root_dir"
  measure "$indexer" --config "$corpus/lectern.textproto" \
    --index "$root_dir" --shards "$shards" --quiet
  record_index "shards-$shards" "$root_dir"
  map=$root_dir/shards.txt
  : >"$map"
  for ((k = 0; k < shards; k++)); do
    port=$(free_port)
    setsid xapian-tcpsrv --interface 127.0.0.1 --port "$port" --quiet \
      "$root_dir/shard-$k" >"$work/tcpsrv-$shards-$k.log" 2>&1 &
    pids+=($!)
    wait_port "$port"
    echo "127.0.0.1:$port" >>"$map"
  done
  serve_and_load "shards-$shards" --index "$root_dir/home" --shards "$map"
  forget_index "$root_dir"
}

for setup in $setups; do
  case $setup in
    single) measure_single ;;
    *[!0-9]* | '') echo "scale bench: bad setup '$setup'" >&2; exit 2 ;;
    *) measure_shards "$setup" ;;
  esac
done

python3 - "$work" "$size" "$setups" <<'EOF'
import json, os, sys
work, size, setups = sys.argv[1], int(sys.argv[2]), sys.argv[3].split()
index = {}
for line in open(os.path.join(work, "scale.json")):
    row = json.loads(line)
    index[row["setup"]] = row
def load(setup, kind):
    with open(os.path.join(work, f"{setup}-{kind}.json")) as f:
        return json.load(f)
print("| setup | index s | docs/s | peak RSS MiB | index GB | Search median ms | p99 ms | QPS (8 in flight) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for setup in setups:
    setup = setup if setup == "single" else f"shards-{setup}"
    row, lat, qps = index[setup], load(setup, "latency"), load(setup, "qps")
    name = "one database" if setup == "single" else setup.replace("-", ": ")
    print(f"| {name} | {row['index_s']:.1f} | {size / row['index_s']:,.0f} | "
          f"{row['peak_kib'] / 1024:,.0f} | {row['bytes'] / 1e9:.2f} | "
          f"{lat['median_us'] / 1000:.2f} | {lat['p99_us'] / 1000:.2f} | "
          f"{qps['qps']:,.0f} |")
EOF
