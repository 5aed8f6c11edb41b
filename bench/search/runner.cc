#include "bench/search/runner.h"

#include <time.h>

#include <chrono>

namespace lectern::bench {
namespace {

double ThreadCpuMicros() {
  timespec now;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e6 +
         static_cast<double>(now.tv_nsec) / 1e3;
}

// Keeps every checksum alive, so that no run's work is dead code.
volatile uint64_t checksum_sink = 0;

void Describe(size_t query, SystemResults* results) {
  absl::StatusOr<RunResult> result =
      results->system->Run(query, /*describe=*/true);
  results->status.push_back(result.status());
  results->described.push_back(result.ok() ? *std::move(result) : RunResult());
}

void Time(size_t query, int round, SystemResults* results) {
  const double cpu_start = ThreadCpuMicros();
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<RunResult> result =
      results->system->Run(query, /*describe=*/false);
  const auto end = std::chrono::steady_clock::now();
  const double cpu_end = ThreadCpuMicros();
  if (!result.ok()) {
    ++results->timed_errors;
    return;
  }
  checksum_sink = checksum_sink + result->checksum;
  results->samples.push_back(
      {query, round,
       std::chrono::duration<double, std::micro>(end - start).count(),
       cpu_end - cpu_start});
}

}  // namespace

void RunBenchmark(const std::vector<BenchQuery>& queries, int rounds,
                  std::vector<SystemResults>* systems) {
  const size_t n = systems->size();
  for (size_t q = 0; q < queries.size(); ++q) {
    for (SystemResults& results : *systems) Describe(q, &results);
  }
  for (int round = 0; round < rounds; ++round) {
    for (size_t q = 0; q < queries.size(); ++q) {
      for (size_t k = 0; k < n; ++k) {
        Time(q, round, &(*systems)[(k + round + q) % n]);
      }
    }
  }
}

}  // namespace lectern::bench
