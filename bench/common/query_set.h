// The committed query set (bench/queries/queries.tsv) and the requests the
// benchmarks send for it, so that every benchmark runs the same work.
#ifndef LECTERN_BENCH_COMMON_QUERY_SET_H_
#define LECTERN_BENCH_COMMON_QUERY_SET_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lectern/v1/lectern.pb.h"

namespace lectern::bench {

struct BenchQuery {
  std::string kind;  // "term", "and", "or", "phrase", "field", "faceted"
  std::string text;
};

// Reads "kind<TAB>query" lines; '#' starts a comment line. InvalidArgument
// (file:line) for a line without a tab or an empty query; NotFound when the
// file cannot be read.
absl::StatusOr<std::vector<BenchQuery>> LoadQuerySet(const std::string& path);

// Top 10, as the benchmarks compare; "faceted" queries also count the five
// facets the web page asks for.
v1::SearchRequest SearchRequestFor(const BenchQuery& query);

// Latency summary of one system over a set of samples (microseconds).
struct Summary {
  double median_us = 0;
  double p99_us = 0;
  double mean_us = 0;
  size_t samples = 0;
};
Summary Summarize(std::vector<double> samples_us);

}  // namespace lectern::bench

#endif  // LECTERN_BENCH_COMMON_QUERY_SET_H_
