// lectern's query language on top of Xapian's QueryParser: free text with
// English stemming and BM25, phrases, AND/OR/NOT, +term/-term, wildcards,
// and the fields
//   title:WORDS      words of the title
//   author:WORDS     a paper author's name
//   abstract:WORDS   words of a paper's abstract
//   presenter:NAME   a presenter, by any spelling of the name or part of it
//   venue:NAME       a venue by any of its names ("atc" is "USENIX ATC")
//   year:YYYY        publication year ("24" is 2024)
//   group:ID         a reading group
//   type:TYPE        session, paper or summary
//   kind:KIND        paper, talk or open (sessions)
// Thread-compatible: one QueryBuilder per thread, like the Database it uses.
#ifndef LECTERN_INDEXER_QUERY_H_
#define LECTERN_INDEXER_QUERY_H_

#include <xapian.h>

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lectern {

// Longest query accepted, in bytes.
inline constexpr size_t kMaxQueryBytes = 1024;

class QueryBuilder {
 public:
  // `db` must outlive the builder; it expands wildcards.
  explicit QueryBuilder(const Xapian::Database& db);

  // The Xapian query for `text`. InvalidArgument when the text is empty,
  // too long, or malformed (unbalanced syntax Xapian rejects, a year that
  // is not a year, a field with no value), with a message saying what was
  // expected.
  absl::StatusOr<Xapian::Query> Parse(absl::string_view text);

 private:
  Xapian::QueryParser parser_;
};

}  // namespace lectern

#endif  // LECTERN_INDEXER_QUERY_H_
