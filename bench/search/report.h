// The benchmark's report: latency per system, overall and per kind of
// query; ratios between systems; machine noise across rounds; and how far
// the systems agree on their results. Printed as a table and written as
// JSON.
#ifndef LECTERN_BENCH_SEARCH_REPORT_H_
#define LECTERN_BENCH_SEARCH_REPORT_H_

#include <ostream>
#include <string>
#include <vector>

#include "bench/common/query_set.h"
#include "bench/search/runner.h"

namespace lectern::bench {

// What the report says about the run itself.
struct RunInfo {
  std::string command;  // the command line, shell-quoted
  int rounds = 0;
  unsigned cpus = 0;
  std::string load_before;  // /proc/loadavg at the start and end
  std::string load_after;
  // Per query: lectern's synonyms rewrite it (so lectern may match more
  // than raw Xapian).
  std::vector<bool> synonym_rewritten;
};

// Prints the readable report of `systems` (as RunBenchmark left them).
void PrintReport(const RunInfo& info, const std::vector<BenchQuery>& queries,
                 const std::vector<SystemResults>& systems, std::ostream& out);

// The same report as a JSON object, with a line per query as well.
std::string ReportJson(const RunInfo& info,
                       const std::vector<BenchQuery>& queries,
                       const std::vector<SystemResults>& systems);

}  // namespace lectern::bench

#endif  // LECTERN_BENCH_SEARCH_REPORT_H_
