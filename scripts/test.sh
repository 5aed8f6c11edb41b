#!/usr/bin/env bash
# One command from a fresh clone to a full test run: installs the Debian
# packages that are missing, builds everything and runs every test (unit,
# golden, integration against a real lecternd, CLI end to end, compose file,
# the web page in a real browser, faults, load), plus a sharded deployment
# on loopback (scripts/scale.sh --ci), three times over:
#
#   build/        gcc, RelWithDebInfo: every test
#   build-asan/   clang with AddressSanitizer, UndefinedBehaviorSanitizer
#                 and libFuzzer's coverage: every test again, then a smoke
#                 run of each fuzzer on its checked-in seeds (scripts/fuzz.sh)
#   build-tsan/   clang with ThreadSanitizer: the service's concurrency
#                 tests (ctest label "concurrency", tests/CMakeLists.txt)
#                 and a canary that checks the stage still reports a real
#                 race
#
# A sanitizer report from a test or from any lecternd or lectern-index it
# started fails the run: reports are written to <build>/sanitizer-logs/ and
# checked at the end of each stage.
#
# usage: scripts/test.sh [--quick]
#   --quick   the plain build's tests only
# LECTERN_FUZZ_SECONDS sets each fuzzer's smoke run (default 30).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

quick=false
case ${1:-} in
  --quick) quick=true ;;
  "") ;;
  *) echo "usage: scripts/test.sh [--quick]" >&2; exit 2 ;;
esac

bash scripts/install-deps.sh
# Every build here starts from scratch on a CI machine: unity builds (five
# sources a unit) halve the test sources' compile time, and one ctest test
# per GoogleTest suite builds each suite's shared fixture once.
fast_build=(-DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=5
  -DLECTERN_TEST_PER_SUITE=ON)
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DLECTERN_BUILD_TESTS=ON "${fast_build[@]}"
cmake --build build
ctest --test-dir build --output-on-failure --parallel 2
# 2 shards behind xapian-tcpsrv, 2 lecternd behind HAProxy: identity with
# one database, replication of an update, and a lecternd killed under load.
bash scripts/scale.sh --ci
if $quick; then exit 0; fi

# Fails if any sanitizer wrote a report into $1.
check_sanitizer_logs() {
  local logs=$1
  if compgen -G "$logs/*" >/dev/null; then
    echo "test: sanitizer reports in $logs:" >&2
    head -n 60 "$logs"/* >&2
    return 1
  fi
  echo "test: no sanitizer reports in $logs"
}

# -O1: quick to build, quick enough to run; asserts stay on. $2 is the debug
# info: line tables are enough for stacks that name file and line.
configure_clang() {
  local dir=$1 debug=$2
  shift 2
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 $debug" \
    -DCMAKE_CXX_COMPILER=clang++ -DLECTERN_BUILD_TESTS=ON "${fast_build[@]}" \
    "$@"
}

echo "test: AddressSanitizer + UndefinedBehaviorSanitizer"
configure_clang build-asan -gline-tables-only \
  -DLECTERN_SANITIZE=address,undefined \
  -DLECTERN_BUILD_FUZZ=ON
cmake --build build-asan
logs=$root/build-asan/sanitizer-logs
rm -rf "$logs" && mkdir -p "$logs"
# Debian's libraries are not instrumented: a container annotated on one side
# only would be a false "overflow". Xapian 1.4.22's Database::check() frees
# a table through a base pointer of another size, inside libxapian: a sized
# delete mismatch ASan would stop every --check-db run on.
export ASAN_OPTIONS="log_path=$logs/asan:detect_container_overflow=0:new_delete_type_mismatch=0:detect_leaks=1"
export UBSAN_OPTIONS="log_path=$logs/ubsan:print_stacktrace=1"
export LSAN_OPTIONS="suppressions=$root/tests/sanitizers/lsan.supp"
ctest --test-dir build-asan --output-on-failure --parallel 2
check_sanitizer_logs "$logs"
unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
# The fuzzers report on their own output, with their own options.
bash scripts/fuzz.sh build-asan "${LECTERN_FUZZ_SECONDS:-30}" 2

echo "test: ThreadSanitizer, concurrency tests"
# Full debug info: with line tables only, inlined frames lose their
# qualified names, which tests/sanitizers/tsan.supp matches on.
configure_clang build-tsan -g -DLECTERN_SANITIZE=thread
cmake --build build-tsan --target lectern_tests lecternd lectern-index lectern \
  tsan_canary
logs=$root/build-tsan/sanitizer-logs
rm -rf "$logs" && mkdir -p "$logs"
# Debian's gRPC is not built with TSan: its threads hand calls and buffers
# to each other through atomics TSan cannot see, so the memory functions it
# calls (malloc, memcpy, sendmsg) would show as racing with our handlers.
# ignore_noninstrumented_modules drops only accesses made from inside such
# libraries; two accesses in lectern's own code are still checked.
export TSAN_OPTIONS="log_path=$logs/tsan:second_deadlock_stack=1:ignore_noninstrumented_modules=1:suppressions=$root/tests/sanitizers/tsan.supp"
ctest --test-dir build-tsan --output-on-failure --parallel 2 -L concurrency
check_sanitizer_logs "$logs"
