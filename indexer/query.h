// lectern's query language on top of Xapian's QueryParser: free text with
// English stemming and BM25, phrases, AND/OR/NOT, +term/-term, wildcards,
// and the fields
//   title:WORDS      words of the title
//   author:WORDS     a paper author's name
//   abstract:WORDS   words of a paper's abstract
//   presenter:NAME   a presenter, by any spelling of the name or part of it
//   role:ROLE        main or assist: records with a presenter in that role;
//                    narrows every presenter: of the query to the role
//   venue:NAME       a venue by any of its names ("atc" is "USENIX ATC")
//   year:YYYY        publication year ("24" is 2024); year:2023..2024 is
//                    a range, either end may be left open (year:2023..)
//   date:YYYY-MM-DD  a session's or summary's date;
//                    date:2024-09-01..2024-12-31 is a range
//   group:ID         a reading group
//   type:TYPE        session, paper or summary
//   kind:KIND        paper, talk or open (sessions)
// Synonyms (synonyms.h) expand bare words at query time: "llm" also
// matches the phrase "large language model", weighted as one term.
// Thread-compatible: one QueryBuilder per thread, like the Database it uses.
#ifndef LECTERN_INDEXER_QUERY_H_
#define LECTERN_INDEXER_QUERY_H_

#include <xapian.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "indexer/synonyms.h"
#include "lectern/v1/lectern.pb.h"

namespace lectern {

// Presenter roles a query or filter names; one narrows to that role, none
// or both mean any role.
using RoleSet = std::vector<v1::PresenterRole>;

// Longest query accepted, in bytes.
inline constexpr size_t kMaxQueryBytes = 1024;
// A wildcard stands for at most this many words, the most frequent ones.
inline constexpr unsigned kMaxWildcardExpansion = 500;

class QueryBuilder {
 public:
  // `db` must outlive the builder; it expands wildcards and suggests
  // spelling corrections.
  explicit QueryBuilder(const Xapian::Database& db);

  // Reads `db` from now on (after the caller replaced its database, say by
  // reconnecting to a sharded index); `db` must outlive the builder.
  void Rebind(const Xapian::Database& db);

  // Replaces the synonyms applied from now on.
  void SetSynonyms(SynonymTable synonyms);

  // The Xapian query for `text`. InvalidArgument when the text is empty,
  // too long, or malformed (unbalanced syntax Xapian rejects, a year or
  // date that is not one, a backwards range, a field with no value), with
  // a message saying what was expected.
  absl::StatusOr<Xapian::Query> Parse(absl::string_view text);

  // "Did you mean": `text` with each free-text word of 3 or more ASCII
  // letters that the index does not hold replaced by the closest word it
  // does (edit distance at most 2, the most frequent on a tie), or "" when
  // there is nothing to correct.
  std::string Correct(absl::string_view text);

 private:
  // Expands the "syn:gN" terms SynonymTable::Rewrite leaves in a query.
  class SynonymField;

  const Xapian::Database* db_;
  // The first problem a field processor of `parser_` met in the query
  // being parsed (they must not throw through Xapian's parser).
  std::shared_ptr<std::string> field_errors_;
  // The roles the query being parsed names (QueryRoles), for presenter:.
  std::shared_ptr<RoleSet> query_roles_;
  Xapian::QueryParser parser_;
  SynonymTable synonyms_;
  // One prebuilt query per synonym group, used by SynonymField.
  std::vector<Xapian::Query> synonym_queries_;
};

// Query for the request's structured filters, one per field that has any,
// keyed by the facet of that field (FACET_TYPE for types, …). Values of a
// field are ORed. InvalidArgument for a year or date that is not one, a
// backwards range, an unspecified type.
absl::StatusOr<std::vector<std::pair<v1::Facet, Xapian::Query>>> FilterQueries(
    const v1::SearchFilters& filters);

// True when `filters` holds any filter.
bool HasFilters(const v1::SearchFilters& filters);

}  // namespace lectern

#endif  // LECTERN_INDEXER_QUERY_H_
