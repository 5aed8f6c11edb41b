// Runs the systems over the query set: one untimed pass that records what
// each system returns, then interleaved timed rounds.
#ifndef LECTERN_BENCH_SEARCH_RUNNER_H_
#define LECTERN_BENCH_SEARCH_RUNNER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "bench/common/query_set.h"
#include "bench/search/systems.h"

namespace lectern::bench {

// One timed run of one query.
struct Sample {
  size_t query = 0;  // index into the query set
  int round = 0;
  double wall_us = 0;  // steady clock
  double cpu_us = 0;   // this thread's CPU time
};

struct SystemResults {
  std::unique_ptr<SearchSystem> system;
  // Per query, from the untimed pass: what it returned, or its error.
  std::vector<RunResult> described;
  std::vector<absl::Status> status;
  // Timed runs that succeeded; failed ones are only counted.
  std::vector<Sample> samples;
  int timed_errors = 0;
};

// Runs every query once on every system without timing it (warming caches
// and recording results and errors), then `rounds` timed rounds. In round
// r the systems run query i one after the other, starting with system
// (r + i) mod n, so each one runs first, second and last about equally
// often and no system always follows another on a warm cache.
void RunBenchmark(const std::vector<BenchQuery>& queries, int rounds,
                  std::vector<SystemResults>* systems);

}  // namespace lectern::bench

#endif  // LECTERN_BENCH_SEARCH_RUNNER_H_
