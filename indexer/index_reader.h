// Reading records back from the index: the stored Session, Paper, Summary
// and Group messages, found by id or by link term. Shared by Searcher and
// Suggester. Xapian exceptions pass through (callers retry on
// DatabaseModifiedError).
#ifndef LECTERN_INDEXER_INDEX_READER_H_
#define LECTERN_INDEXER_INDEX_READER_H_

#include <xapian.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "indexer/query.h"
#include "lectern/v1/lectern.pb.h"

namespace lectern {

// The record a document stores. DataLoss when it holds none.
template <typename Record>
absl::StatusOr<Record> DecodeRecord(const Xapian::Document& doc) {
  Record record;
  if (!record.ParseFromString(doc.get_data())) {
    return absl::DataLossError(absl::StrCat("document ", doc.get_docid(),
                                            " holds no valid ",
                                            Record::descriptor()->name()));
  }
  return record;
}

// The group as the indexer stored it. InvalidArgument for an empty id;
// NotFound, naming the known groups, for an unknown one.
absl::StatusOr<v1::Group> ReadGroup(const Xapian::Database& db,
                                    absl::string_view group_id);

// The docid of the document with a unique id term, if any.
std::optional<Xapian::docid> FindDocid(const Xapian::Database& db,
                                       absl::string_view type,
                                       absl::string_view id);

// The docid of `doc` in `db`. Xapian's Document::get_docid() is the id
// within the document's own database, which is not the id in `db` when
// `db` combines several (a sharded index): this looks the record's id up.
Xapian::docid DocidIn(const Xapian::Database& db, const Xapian::Document& doc);

// The document with a unique id term, if any.
std::optional<Xapian::Document> FindById(const Xapian::Database& db,
                                         absl::string_view type,
                                         absl::string_view id);

// Documents of `type` that carry `term`, in docid order.
std::vector<Xapian::Document> DocumentsWithTerm(const Xapian::Database& db,
                                                absl::string_view type,
                                                const std::string& term);

// Which records FindPaperDocument looks among: catalog papers, or also
// the sessions that presented a paper (for papers only a schedule names).
enum class PaperRecords { kCatalog, kCatalogAndSessions };

// The paper `text` names: a catalog paper by id or by title (punctuation
// and case aside); with kCatalogAndSessions then a session by its paper's
// title; or else the best match for the words as a query over those
// records. nullopt when none matches. InvalidArgument when the words are
// not a query QueryBuilder accepts.
absl::StatusOr<std::optional<Xapian::Document>> FindPaperDocument(
    const Xapian::Database& db, QueryBuilder& query_builder,
    absl::string_view text, PaperRecords records = PaperRecords::kCatalog);

// Sessions, in any group, that presented catalog paper `paper_id`, in
// SessionBefore order, and their summaries.
struct Presentations {
  std::vector<v1::Session> sessions;
  std::vector<v1::Summary> summaries;
};
absl::StatusOr<Presentations> PresentationsOf(const Xapian::Database& db,
                                              absl::string_view paper_id);

// Oldest first: by date, then group and ordinal.
bool SessionBefore(const v1::Session& a, const v1::Session& b);

v1::SummaryRef SummaryRefOf(const v1::Summary& summary);

// Every session of a group, by date and ordinal.
absl::StatusOr<std::vector<v1::Session>> SessionsOfGroup(
    const Xapian::Database& db, absl::string_view group_id);

}  // namespace lectern

#endif  // LECTERN_INDEXER_INDEX_READER_H_
