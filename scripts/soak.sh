#!/usr/bin/env bash
# Soak run: lecternd under a steady mixed load of reads and writes for some
# minutes, with its memory and open files sampled as it goes. Builds
# nothing: give it a build tree that has lectern-index, lecternd and
# lectern_tests (a plain -DLECTERN_BUILD_TESTS=ON build).
#
#   scripts/soak.sh BUILD_DIR [MINUTES]      (default 3 minutes)
#
# What it does:
#   1. indexes the bundled data (data/lectern.textproto) into a temp dir;
#   2. starts lecternd on 127.0.0.1, port 0, with the write API;
#   3. drives it with the load test (tests/load_test.cc) in duration mode:
#      SOAK_CLIENTS clients (default 16), each on its own connection, mixing
#      Search, Suggest, GetPaper and ListOpenDates while a writer commits a
#      paper and a session every 200 ms; every answer is checked against
#      the writes as the load test does;
#   4. every SOAK_SAMPLE_SECONDS (default 5) reads lecternd's VmRSS and
#      thread count from /proc/PID/status and counts /proc/PID/fd.
#
# Verdict: the samples after the warm-up (the first SOAK_WARMUP_SECONDS,
# default 30) are cut into quarters. Flat when, last quarter against first:
#   RSS: median grows by at most SOAK_RSS_TOLERANCE_PCT percent (default 5)
#   fds: maximum grows by at most SOAK_FD_TOLERANCE (default 4)
# Exits 0 when the load found no error or inconsistency, lecternd is still
# running at the end, and both figures are flat; 1 otherwise; 2 on usage.
# Everything it started is killed on exit.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: scripts/soak.sh BUILD_DIR [MINUTES]" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" && pwd)
minutes=${2:-3}
if ! [[ $minutes =~ ^[0-9]+$ ]] || ((minutes < 1)); then
  echo "soak: MINUTES must be a whole number of minutes, at least 1" >&2
  exit 2
fi
clients=${SOAK_CLIENTS:-16}
sample_seconds=${SOAK_SAMPLE_SECONDS:-5}
warmup_seconds=${SOAK_WARMUP_SECONDS:-30}
rss_tolerance_pct=${SOAK_RSS_TOLERANCE_PCT:-5}
fd_tolerance=${SOAK_FD_TOLERANCE:-4}

indexer=$build/indexer/tool/lectern-index
lecternd=$build/service/lecternd/lecternd
driver=$build/tests/lectern_tests
for binary in "$indexer" "$lecternd" "$driver"; do
  if [[ ! -x $binary ]]; then
    echo "soak: $binary is missing; build the targets lectern-index," \
      "lecternd and lectern_tests in $build first" >&2
    exit 2
  fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/lectern-soak-XXXXXX")
server_pid=""
driver_pid=""
cleanup() {
  local pid
  for pid in $driver_pid $server_pid; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "soak: indexing the bundled data into $work/index"
"$indexer" --config "$root/data/lectern.textproto" --index "$work/index" \
  --strict >"$work/index.out" 2>"$work/index.err" || {
  cat "$work/index.err" >&2
  exit 1
}

token=load-writer-0123456789abcdef  # the load test's writer token
echo "soak-writer read,write $token" >"$work/tokens"
"$lecternd" --index "$work/index" --listen 127.0.0.1:0 \
  --port_file "$work/port" --threads 2 --write --token_file "$work/tokens" \
  >"$work/lecternd.out" 2>"$work/lecternd.err" &
server_pid=$!
for _ in $(seq 200); do
  [[ -s $work/port ]] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [[ ! -s $work/port ]]; then
  echo "soak: lecternd did not start:" >&2
  tail -n 20 "$work/lecternd.err" >&2
  exit 1
fi
port=$(<"$work/port")
echo "soak: lecternd pid $server_pid on 127.0.0.1:$port;" \
  "$clients clients for $minutes min, a sample every ${sample_seconds}s"

LECTERN_LOAD_SERVER=127.0.0.1:$port LECTERN_LOAD_TOKEN=$token \
  LECTERN_LOAD_SECONDS=$((minutes * 60)) LECTERN_LOAD_CLIENTS=$clients \
  "$driver" --gtest_filter=LoadTest.MixedReadsStayConsistentWhileWriting \
  >"$work/driver.out" 2>&1 &
driver_pid=$!

# One line per sample: seconds since the start, RSS in KiB, open fds,
# threads.
samples=$work/samples
: >"$samples"
start=$SECONDS
printf '%8s %10s %6s %8s\n' seconds rss_kib fds threads
while kill -0 "$driver_pid" 2>/dev/null; do
  if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status" 2>/dev/null || true)
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$server_pid/status" 2>/dev/null || true)
  fds=$(find "/proc/$server_pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
  if [[ -n $rss ]]; then
    elapsed=$((SECONDS - start))
    echo "$elapsed $rss $fds $threads" >>"$samples"
    printf '%8d %10d %6d %8d\n' "$elapsed" "$rss" "$fds" "$threads"
  fi
  # Bounded: the driver stops itself after MINUTES; allow two more.
  if ((SECONDS - start > minutes * 60 + 120)); then
    echo "soak: the load driver overran its time" >&2
    break
  fi
  sleep "$sample_seconds"
done

failed=0
driver_code=0
if kill -0 "$driver_pid" 2>/dev/null; then
  driver_code=124
else
  wait "$driver_pid" || driver_code=$?
fi
driver_pid=""
echo
echo "soak: load driver report"
sed -n '/^load:/,/^writes committed/p' "$work/driver.out"
if ((driver_code != 0)); then
  echo "soak: the load found errors or inconsistencies (exit $driver_code):" >&2
  grep -v '^\[' "$work/driver.out" | tail -n 40 >&2
  failed=1
fi
if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "soak: lecternd is no longer running:" >&2
  tail -n 20 "$work/lecternd.err" >&2
  failed=1
fi
read -r logged_lines < <(grep -c ' status=' "$work/lecternd.err" || true)
read -r bad_lines < <(grep ' status=' "$work/lecternd.err" |
  grep -vc ' status=OK' || true)
echo "soak: lecternd logged $logged_lines requests, $bad_lines not OK"

# Flatness over the samples after the warm-up.
verdict=$(awk -v warmup="$warmup_seconds" -v rss_pct="$rss_tolerance_pct" \
  -v fd_tol="$fd_tolerance" '
  BEGIN { n = 0 }
  $1 >= warmup { t[n] = $1; rss[n] = $2; fd[n] = $3; n++ }
  function median(a, from, to,   m, i, j, v, tmp) {
    m = 0
    for (i = from; i < to; i++) tmp[m++] = a[i]
    for (i = 1; i < m; i++) {  # insertion sort, a few dozen values
      v = tmp[i]
      for (j = i - 1; j >= 0 && tmp[j] > v; j--) tmp[j + 1] = tmp[j]
      tmp[j + 1] = v
    }
    return m % 2 ? tmp[int(m / 2)] : (tmp[m / 2 - 1] + tmp[m / 2]) / 2
  }
  function maximum(a, from, to,   i, v) {
    v = a[from]
    for (i = from + 1; i < to; i++) if (a[i] > v) v = a[i]
    return v
  }
  END {
    if (n < 8) { print "UNKNOWN too few samples after warm-up (" n ")"; exit }
    q = int(n / 4)
    rss_first = median(rss, 0, q); rss_last = median(rss, n - q, n)
    fd_first = maximum(fd, 0, q); fd_last = maximum(fd, n - q, n)
    rss_growth = 100 * (rss_last - rss_first) / rss_first
    flat = rss_growth <= rss_pct && fd_last - fd_first <= fd_tol
    printf "%s first quarter (t=%d..%ds): RSS median %d KiB, fds max %d; " \
      "last quarter (t=%d..%ds): RSS median %d KiB, fds max %d; " \
      "RSS %+.1f%% (tolerance %d%%), fds %+d (tolerance %d)\n",
      flat ? "FLAT" : "GROWING", t[0], t[q - 1], rss_first, fd_first,
      t[n - q], t[n - 1], rss_last, fd_last, rss_growth, rss_pct,
      fd_last - fd_first, fd_tol
  }' "$samples")
echo "soak: $verdict"
if [[ $verdict != FLAT* ]]; then failed=1; fi
first=$(head -n 1 "$samples")
last=$(tail -n 1 "$samples")
echo "soak: start (t, RSS KiB, fds, threads): $first; end: $last"
if ((failed)); then
  echo "soak: FAILED" >&2
  exit 1
fi
echo "soak: OK"
