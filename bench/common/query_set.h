// The benchmarks' query set: bench/queries/queries.tsv, one
// "kind<TAB>query" per line in lectern's query syntax, '#' lines comments.
#ifndef LECTERN_BENCH_COMMON_QUERY_SET_H_
#define LECTERN_BENCH_COMMON_QUERY_SET_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lectern/v1/lectern.pb.h"

namespace lectern::bench {

// The kinds of queries.tsv, in the order reports list them.
inline constexpr const char* kKinds[] = {"term",   "and",   "or",
                                         "phrase", "field", "faceted"};

struct BenchQuery {
  std::string kind;  // one of kKinds
  std::string text;  // lectern query syntax
  // "faceted" queries are run with facets by every system.
  bool faceted() const { return kind == "faceted"; }
};

// The queries of `path`, in file order. NotFound when the file cannot be
// read; InvalidArgument (with the line number) for a line without a tab,
// an unknown kind or an empty query, or a file with no queries.
absl::StatusOr<std::vector<BenchQuery>> LoadQueries(const std::string& path);

// lectern's request for `query`: top 10, and for "faceted" queries the five
// facets the web page asks for. Every benchmark of lectern sends this.
v1::SearchRequest SearchRequestFor(const BenchQuery& query);

}  // namespace lectern::bench

#endif  // LECTERN_BENCH_COMMON_QUERY_SET_H_
