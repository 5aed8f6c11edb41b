#!/usr/bin/env bash
# Runs every libFuzzer target of a fuzz build for a while and reports.
#
#   scripts/fuzz.sh BUILD_DIR [SECONDS_PER_TARGET] [JOBS]
#
# BUILD_DIR is a clang build with fuzzing on (docs/HACKING.md):
#   cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
#     -DCMAKE_CXX_COMPILER=clang++ -DLECTERN_BUILD_FUZZ=ON \
#     -DLECTERN_SANITIZE=address,undefined -DLECTERN_BUILD_TESTS=OFF
#   cmake --build build-fuzz --target fuzzers
#
# Each target runs for SECONDS_PER_TARGET (default 60), JOBS targets at a
# time (default 2), on a copy of its seeds fuzz/corpus/<target>/ (the
# checked-in corpus is never written) with its dictionary fuzz/<target>.dict,
# LeakSanitizer suppressions fuzz/<target>.lsan.supp if any (leaks inside
# other libraries), a 10 s timeout per input and a 2 GB memory limit. Per
# target it prints executions, executions per second, the corpus size at
# the end and the result; a crash, leak, sanitizer report, violated
# property, timeout or out-of-memory fails the target, and the line names
# the saved input. Exits 1 when any target failed. Logs and failing inputs stay in FUZZ_OUT (default: a new
# /tmp/lectern-fuzz.XXXXXX, printed at the end); reproduce one with
#   BUILD_DIR/fuzz/<target>_fuzzer <saved input>
#
# A longer run, keeping what the fuzzers learn (30 minutes a target, about
# 3.5 hours for 13 targets 2 at a time), then folding the grown corpora
# into the checked-in ones (-merge=1 adds only inputs that reach new code):
#   FUZZ_KEEP_CORPUS=1 FUZZ_OUT=/tmp/lectern-fuzz scripts/fuzz.sh build-fuzz 1800 2
#   for t in fuzz/corpus/*/; do t=$(basename "$t")
#     build-fuzz/fuzz/${t}_fuzzer -merge=1 fuzz/corpus/$t /tmp/lectern-fuzz/$t/corpus
#   done
set -euo pipefail

if [[ $# -lt 1 || $# -gt 3 ]]; then
  echo "usage: $0 BUILD_DIR [SECONDS_PER_TARGET] [JOBS]" >&2
  exit 2
fi
build_dir=$(cd "$1" && pwd)
seconds=${2:-60}
jobs=${3:-2}
source_dir=$(cd "$(dirname "$0")/.." && pwd)
out=${FUZZ_OUT:-$(mktemp -d /tmp/lectern-fuzz.XXXXXX)}
mkdir -p "$out"

mapfile -t fuzzers < <(find "$build_dir/fuzz" -maxdepth 1 -type f \
  -name '*_fuzzer' -perm -u+x | sort)
if [[ ${#fuzzers[@]} -eq 0 ]]; then
  echo "no fuzzers in $build_dir/fuzz: build the 'fuzzers' target" >&2
  exit 2
fi

# A sanitizer finding ends the run with a stack trace.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# Runs one target; writes its summary line to $out/<name>/result.
run_one() {
  local binary=$1 name work corpus log dict status rc
  name=$(basename "$binary" _fuzzer)
  work="$out/$name"
  corpus="$work/corpus"
  log="$work/log.txt"
  rm -rf "$work"
  mkdir -p "$corpus"
  if [[ -d "$source_dir/fuzz/corpus/$name" ]]; then
    cp -r "$source_dir/fuzz/corpus/$name/." "$corpus/"
  fi
  local seeds
  seeds=$(find "$corpus" -type f | wc -l)
  local args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048
    -print_final_stats=1 -artifact_prefix="$work/")
  dict="$source_dir/fuzz/$name.dict"
  [[ -f "$dict" ]] && args+=(-dict="$dict")
  # Known leaks outside lectern, for this target only (fuzz/query.lsan.supp).
  local lsan=${LSAN_OPTIONS:-}
  if [[ -f "$source_dir/fuzz/$name.lsan.supp" ]]; then
    lsan="suppressions=$source_dir/fuzz/$name.lsan.supp${lsan:+:$lsan}"
  fi
  rc=0
  LSAN_OPTIONS=$lsan "$binary" "${args[@]}" "$corpus" >"$log" 2>&1 || rc=$?

  local execs per_sec size artifact
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  per_sec=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  # After a crash libFuzzer prints no final stats: the last status line.
  if [[ -z $execs ]]; then
    execs=$(grep -ao '^#[0-9]*' "$log" | tail -1 | tr -d '#')
  fi
  size=$(find "$corpus" -type f | wc -l)
  artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
  # Logs hold the inputs' bytes: grep -a.
  if [[ $rc -eq 0 ]]; then
    status=ok
  elif grep -aq 'ERROR: libFuzzer: timeout' "$log"; then
    status=TIMEOUT
  elif grep -aq 'ERROR: libFuzzer: out-of-memory' "$log"; then
    status=OOM
  elif grep -aq 'ERROR: LeakSanitizer' "$log"; then
    status=LEAK
  elif grep -aq 'runtime error:' "$log"; then
    status=UBSAN
  elif grep -aq 'ERROR: AddressSanitizer' "$log"; then
    status=ASAN
  elif grep -aq 'fuzz property violated' "$log"; then
    # A check of fuzz/fuzz_checks.h or of the target failed.
    status=PROPERTY
  else
    status="CRASH(rc=$rc)"
  fi
  printf '%-24s %6s seeds %12s execs %8s exec/s %6s corpus  %-8s %s\n' \
    "$name" "$seeds" "${execs:-?}" "${per_sec:-?}" "$size" "$status" \
    "${artifact:+input: $artifact  }log: $log" >"$work/result"
  echo "$status" >"$work/status"
  [[ ${FUZZ_KEEP_CORPUS:-0} == 1 ]] || rm -rf "$corpus"
  cat "$work/result"
}
export -f run_one
export out seconds source_dir

echo "fuzzing ${#fuzzers[@]} targets for ${seconds}s each, $jobs at a time;" \
  "output in $out"
printf '%s\n' "${fuzzers[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one "$@"' _ {}

echo
echo "summary:"
failed=0
for binary in "${fuzzers[@]}"; do
  result="$out/$(basename "$binary" _fuzzer)/result"
  if [[ ! -f $result ]]; then
    echo "$(basename "$binary"): no result" && failed=1 && continue
  fi
  cat "$result"
  [[ $(cat "$(dirname "$result")/status") == ok ]] || failed=1
done
# The logs may not outlive the machine (CI): print what each failure needs
# to be reproduced, the report and the input (libFuzzer prints it in Base64
# when it is small).
for binary in "${fuzzers[@]}"; do
  name=$(basename "$binary" _fuzzer)
  [[ $(cat "$out/$name/status" 2>/dev/null) == ok ]] && continue
  log=$out/$name/log.txt
  [[ -f $log ]] || continue
  echo
  echo "--- $name: report"
  grep -a -m1 -A12 -E 'fuzz property violated|ERROR: |runtime error:' \
    "$log" | grep -av '^Base64: ' | cut -c1-300 || true
  grep -a -m1 '^Base64: ' "$log" | cut -c1-4000 || true
done
echo "output: $out"
exit $failed
