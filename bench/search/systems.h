// The three systems the search benchmark compares, each answering the
// queries of the query set in process:
//   raw-xapian  Xapian alone, configured as lectern configures it: the same
//               QueryParser settings, weighting and tie-break, top 10;
//               value-count match spies for faceted queries; each hit's
//               record decoded and its main text cut into a highlighted
//               snippet with MSet::snippet (its cheapest flags, lectern's
//               length).
//               This is what a page of results costs with Xapian's API
//               alone, the peer lectern's library is held to.
//   xapian-match  the same match without the snippets (document data read,
//               not decoded): the engine's floor, shown for context.
//   lectern     lectern::Searcher::Search with page_size 10 (and the five
//               facets for faceted queries): the whole domain layer.
//   fts5        SQLite FTS5 over the same paper records, prepared
//               statements reused: MATCH … ORDER BY rank LIMIT 10 with
//               each hit's title and snippet() of its abstract; GROUP BY
//               venue and year for faceted queries.
// A system prepares everything that depends only on the query set (parsed
// requests, translations, statements) when it is opened, so Run() times
// only what a search does. Not thread-safe: one thread runs a system.
#ifndef LECTERN_BENCH_SEARCH_SYSTEMS_H_
#define LECTERN_BENCH_SEARCH_SYSTEMS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bench/common/query_set.h"

namespace lectern::bench {

// Hits asked of every system.
inline constexpr int kTopK = 10;

struct RunResult {
  int hits = 0;  // hits returned, at most kTopK
  // Folds in what the run read, so that no work can be optimized away.
  uint64_t checksum = 0;
  // Filled only when Run is asked to describe (untimed passes):
  // "type:id" of each hit (the Xapian systems) and the normalized titles
  // of the paper hits (lectern and fts5), in rank order.
  std::vector<std::string> ids;
  std::vector<std::string> paper_titles;
};

class SearchSystem {
 public:
  virtual ~SearchSystem() = default;
  virtual absl::string_view name() const = 0;
  // Number of records the system searches.
  virtual int64_t documents() const = 0;
  // Runs query `index` of the set it was opened with. An error is the
  // system's own (a query it refused), reported, never fatal.
  virtual absl::StatusOr<RunResult> Run(size_t index, bool describe) = 0;
};

// Opens the lectern index at `index` read-only with Xapian alone: as
// raw-xapian `with_snippets`, else as xapian-match. Unavailable when it
// cannot be opened.
absl::StatusOr<std::unique_ptr<SearchSystem>> OpenRawXapian(
    const std::string& index, const std::vector<BenchQuery>& queries,
    bool with_snippets);

// Opens the lectern index at `index` with lectern::Searcher. NotFound or
// Unavailable as Searcher::Open.
absl::StatusOr<std::unique_ptr<SearchSystem>> OpenLectern(
    const std::string& index, const std::vector<BenchQuery>& queries);

// Opens the FTS5 database at `path` read-only and translates the queries
// (fts5_query.h). Unavailable when it cannot be opened or has no table
// "papers"; the translation's error for a query it cannot express.
absl::StatusOr<std::unique_ptr<SearchSystem>> OpenFts5(
    const std::string& path, const std::vector<BenchQuery>& queries);

// Lowercase letters and digits of a title, for comparing titles across
// systems that store them differently.
std::string TitleKey(absl::string_view title);

}  // namespace lectern::bench

#endif  // LECTERN_BENCH_SEARCH_SYSTEMS_H_
