#!/usr/bin/env bash
# Brings up a sharded lectern deployment on loopback, checks it, and tears
# it down (docs/SCALING.md draws it):
#
#   lectern-index --shards N  writes the masters (home + N catalog shards)
#   xapian-replicate-server   serves the masters to the replicas
#   xapian-replicate          keeps R replicas of each shard, and one copy of
#                             the home database per lecternd, up to date
#   xapian-tcpsrv             one per shard replica
#   lecternd × K              stateless: home copy + shard map (--shards)
#   haproxy                   gRPC (HTTP/2) load balancer; drops a lecternd
#                             whose /healthz (its gRPC health) fails
#
# and, beside them, one lecternd over a single database of the same data.
# Then it runs:
#   identity   the benchmark query set (bench/queries/queries.tsv) against
#              the single database and through the load balancer: the same
#              hits, scores, facets, totals and second pages
#   update     a paper added to the masters reaches the replicas and is
#              found through the load balancer
#   failover   a load run that kills a shard replica (when R > 1) and then a
#              lecternd, with the errors and latency of each window
#
# usage: scripts/scale.sh [--shards N] [--replicas R] [--lecternd K]
#                         [--catalog FILE.jsonl]... [--seconds S] [--ci]
#                         [--keep]
#   defaults: 2 shards × 2 replicas, 2 lecternd, the bundled data, 9 s load
#   --catalog  index these catalog files too (e.g. ../shared/data/papers/*)
#   --ci       the small version CI runs: 2 shards × 1 replica
#   --keep     leave the work folder (logs, configs) in place
# Needs the build in build/ (scripts/test.sh or the README's build command)
# and Debian's xapian-tools and haproxy (scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

shards=2 replicas=2 daemons=2 seconds=9 keep=false
catalogs=()
while (($#)); do
  case $1 in
    --shards) shards=$2; shift ;;
    --replicas) replicas=$2; shift ;;
    --lecternd) daemons=$2; shift ;;
    --catalog) catalogs+=("$(realpath "$2")"); shift ;;
    --seconds) seconds=$2; shift ;;
    --ci) shards=2 replicas=1 daemons=2 seconds=6 ;;
    --keep) keep=true ;;
    *) echo "usage: scripts/scale.sh [--shards N] [--replicas R]" \
      "[--lecternd K] [--catalog FILE]... [--seconds S] [--ci] [--keep]" >&2
      exit 2 ;;
  esac
  shift
done

build=${LECTERN_BUILD_DIR:-$root/build}
indexer=$build/indexer/tool/lectern-index
lecternd=$build/service/lecternd/lecternd
for tool in "$indexer" "$lecternd"; do
  [[ -x $tool ]] || { echo "scale: $tool is missing: build first" >&2; exit 1; }
done
[[ -d $build/clients/python/generated ]] ||
  { echo "scale: $build/clients/python/generated is missing" >&2; exit 1; }
for tool in xapian-tcpsrv xapian-replicate xapian-replicate-server haproxy; do
  command -v "$tool" >/dev/null ||
    { echo "scale: $tool is missing: run scripts/install-deps.sh" >&2; exit 1; }
done
export LECTERN_PYTHON_GENERATED=$build/clients/python/generated
# Debian's python3-grpcio and python3-protobuf live in /usr/bin/python3,
# which a pyenv or venv python3 earlier on PATH does not see.
python=/usr/bin/python3

work=$(mktemp -d /tmp/lectern-scale.XXXXXX)
pids=()
teardown() {
  local pid
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  # Not this shell's jobs (see start): wait for them to be gone, boundedly.
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  if $keep; then echo "scale: kept $work"; else rm -rf "$work"; fi
}
trap teardown EXIT

# Runs a server in a process group of its own (xapian-tcpsrv forks one
# process per connection): killing the group kills them all. Its pid goes
# to the variable named $1. Started from a subshell, so this shell does not
# report the kills of the failover check as jobs that died.
start() {
  local var=$1 log=$2 child
  shift 2
  child=$( (setsid "$@" >"$work/logs/$log.log" 2>&1 </dev/null & echo $!) )
  pids+=("$child")
  printf -v "$var" '%s' "$child"
}

# Free loopback ports, $1 of them (picked together so they differ).
free_ports() {
  python3 -c '
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))' "$1"
}

# Waits (at most 20 s) until 127.0.0.1:$1 accepts connections.
wait_port() {
  for _ in $(seq 200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "scale: nothing listens on 127.0.0.1:$1" >&2
  return 1
}

wait_file() {
  for _ in $(seq 200); do [[ -s $1 ]] && return 0; sleep 0.1; done
  echo "scale: $1 never appeared" >&2
  return 1
}

mkdir -p "$work/logs" "$work/replicas"
cp -r data "$work/data"
config=$work/data/lectern.textproto
for catalog in "${catalogs[@]}"; do
  printf 'catalogs {\n  path: "%s"\n}\n' "$catalog" >>"$config"
done

echo "scale: $shards shards × $replicas replicas, $daemons lecternd, in $work"
# Xapian writes changesets for the replicas only when asked to.
export XAPIAN_MAX_CHANGESETS=10
started=$(date +%s.%N)
"$indexer" --config "$config" --index "$work/masters" --shards "$shards" \
  --quiet
echo "scale: masters written in $(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$started" "$(date +%s.%N)") s"
"$indexer" --config "$config" --index "$work/single" --quiet
unset XAPIAN_MAX_CHANGESETS

read -r -a ports <<<"$(free_ports $((1 + shards * replicas + 1)))"
replication_port=${ports[0]}
lb_port=${ports[-1]}
start replication_server replicate-server \
  xapian-replicate-server -I 127.0.0.1 -p "$replication_port" "$work/masters"
wait_port "$replication_port"

# A replica: a first copy now, then a poll every second.
replicate() {
  local master=$1 copy=$2
  xapian-replicate -h 127.0.0.1 -p "$replication_port" -m "$master" -o -q \
    "$copy"
  start ignored "replicate-$(basename "$copy")" xapian-replicate -h 127.0.0.1 \
    -p "$replication_port" -m "$master" -i 1 -r 1 -q "$copy"
}

shard_map=$work/shards.txt
: >"$shard_map"
declare -A tcpsrv_pid
next=1
for ((k = 0; k < shards; k++)); do
  line=""
  for ((r = 0; r < replicas; r++)); do
    copy=$work/replicas/shard-$k-$r
    replicate "shard-$k" "$copy"
    port=${ports[next]}
    next=$((next + 1))
    start pid "tcpsrv-$k-$r" xapian-tcpsrv --interface 127.0.0.1 \
      --port "$port" --quiet "$copy"
    tcpsrv_pid[$k-$r]=$pid
    wait_port "$port"
    line+="127.0.0.1:$port "
  done
  echo "$line" >>"$shard_map"
done

declare -a daemon_pid grpc_port http_port
for ((j = 0; j < daemons; j++)); do
  home=$work/replicas/home-$j
  replicate home "$home"
  start pid "lecternd-$j" "$lecternd" --index "$home" --shards "$shard_map" \
    --threads 2 --listen 127.0.0.1:0 --port_file "$work/lecternd-$j.port" \
    --http_listen 127.0.0.1:0 --http_port_file "$work/lecternd-$j.http"
  daemon_pid[j]=$pid
  wait_file "$work/lecternd-$j.port"
  wait_file "$work/lecternd-$j.http"
  grpc_port[j]=$(<"$work/lecternd-$j.port")
  http_port[j]=$(<"$work/lecternd-$j.http")
done
start ignored lecternd-single "$lecternd" --index "$work/single" --threads 2 \
  --listen 127.0.0.1:0 --port_file "$work/single.port"
wait_file "$work/single.port"
single_port=$(<"$work/single.port")

# HAProxy speaks HTTP/2 on both sides, so it balances gRPC calls (not just
# connections). It checks each lecternd's /healthz, which answers from
# lecternd's gRPC health service, every 500 ms: two failures take a
# lecternd out. A call whose connection fails is retried on another.
cat >"$work/haproxy.cfg" <<EOF
global
  maxconn 512
defaults
  mode http
  timeout connect 1s
  timeout client 30s
  timeout server 30s
  retries 2
  option redispatch 1
  retry-on conn-failure empty-response response-timeout
frontend grpc
  bind 127.0.0.1:$lb_port proto h2
  default_backend lecternd
backend lecternd
  balance roundrobin
  option httpchk
  http-check send meth GET uri /healthz
  http-check expect status 200
EOF
for ((j = 0; j < daemons; j++)); do
  echo "  server lecternd-$j 127.0.0.1:${grpc_port[j]} proto h2 check check-proto h1 port ${http_port[j]} inter 500ms fall 2 rise 2" >>"$work/haproxy.cfg"
done
haproxy -c -q -f "$work/haproxy.cfg"
start haproxy_pid haproxy haproxy -db -f "$work/haproxy.cfg"
wait_port "$lb_port"
sleep 1.5  # two health checks: every lecternd is up

check=("$python" "$root/scripts/scale_check.py")
queries=$root/bench/queries/queries.tsv
echo "scale: identity: single database (127.0.0.1:$single_port) against" \
  "the sharded deployment (127.0.0.1:$lb_port)"
"${check[@]}" identity --single "127.0.0.1:$single_port" \
  --sharded "127.0.0.1:$lb_port" --queries "$queries"

echo "scale: update: a paper written to the masters reaches every replica"
cat >"$work/data/catalog/added.jsonl" <<'EOF'
{"title": "Quillwort: Replicated Shards for Reading Groups", "authors": ["Ada Lectern"], "venue": "OSDI", "year": 2024, "abstract": "Quillwort keeps replicas of a sharded catalog up to date."}
EOF
printf 'catalogs {\n  path: "catalog/added.jsonl"\n}\n' >>"$config"
XAPIAN_MAX_CHANGESETS=10 "$indexer" --config "$config" \
  --index "$work/masters" --shards "$shards" --quiet
found=false
for _ in $(seq 60); do
  if "$python" - "127.0.0.1:$lb_port" <<'EOF'
import os, sys
sys.path.insert(0, os.path.join(os.getcwd(), "clients", "python"))
from lectern_client import _paths
_paths.add_generated_path()
from lectern_client import Client
hits = Client(sys.argv[1]).search("quillwort").hits
sys.exit(0 if any("Quillwort" in hit.title for hit in hits) else 1)
EOF
  then found=true; break; fi
  sleep 0.5
done
$found || { echo "scale: the added paper never reached the replicas" >&2; exit 1; }
echo "scale: update: found through the load balancer"

kills=()
at=$(python3 -c "print($seconds / 3)")
if ((replicas > 1)); then
  kills+=(--kill "$at:shard 0 replica 0:${tcpsrv_pid[0-0]}")
  at=$(python3 -c "print(2 * $seconds / 3)")
fi
kills+=(--kill "$at:lecternd 0:${daemon_pid[0]}")
echo "scale: failover: Search through the load balancer for ${seconds} s"
"${check[@]}" load --server "127.0.0.1:$lb_port" --queries "$queries" \
  --seconds "$seconds" --threads 4 "${kills[@]}" | tee "$work/failover.txt"
# The killed lecternd left the pool because its health check failed.
grep -q "lecternd-0 is DOWN" "$work/logs/haproxy.log" || {
  echo "scale: HAProxy never took the killed lecternd out" >&2
  exit 1
}
grep "lecternd-0 is DOWN" "$work/logs/haproxy.log" | sed 's/^/scale: haproxy: /'
echo "scale: done"
