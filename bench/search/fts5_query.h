// Translates a query of the benchmark's query set from lectern's syntax
// (indexer/query.h) into SQLite FTS5: a MATCH expression over the table
//   papers: fts5(title, authors, abstract, venue UNINDEXED, year UNINDEXED)
// plus SQL predicates for the filters FTS5 cannot express in MATCH.
//
//   lectern                 FTS5
//   kernel                  "kernel"
//   page cache              "page" OR "cache"    (lectern's default is OR)
//   kernel AND scheduling   "kernel" AND "scheduling"
//   kernel OR scheduling    "kernel" OR "scheduling"
//   "page cache"            "page cache"         (a phrase in both)
//   title:cache             title:"cache"        (column filter)
//   author:chen             authors:"chen"
//   abstract:tiering        abstract:"tiering"
//   venue:osdi kernel       "kernel"  + venue = 'osdi' COLLATE NOCASE
//   year:2022 kernel        "kernel"  + year = 2022
//
// Words are quoted so that FTS5 never reads them as its own keywords or
// syntax. Operators keep their order; as in both engines, AND binds
// tighter than OR. Anything else lectern accepts (NOT, +/-, wildcards,
// parentheses, presenter:, date:, group:, type:, kind:, year ranges) is
// outside the query set and Unimplemented here.
#ifndef LECTERN_BENCH_SEARCH_FTS5_QUERY_H_
#define LECTERN_BENCH_SEARCH_FTS5_QUERY_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lectern::bench {

struct Fts5Query {
  std::string match;  // the MATCH expression; never empty
  std::string venue;  // venue = ? COLLATE NOCASE when not empty
  int year = 0;       // year = ? when not 0
};

// The FTS5 form of `lectern_query`. InvalidArgument for an unbalanced
// quote, a year that is not four digits or a query with nothing to MATCH
// (filters only); Unimplemented for syntax listed above as outside the set.
absl::StatusOr<Fts5Query> ToFts5(absl::string_view lectern_query);

}  // namespace lectern::bench

#endif  // LECTERN_BENCH_SEARCH_FTS5_QUERY_H_
