#include "indexer/index_reader.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_join.h"
#include "indexer/normalize.h"
#include "indexer/schema.h"
#include "indexer/status_macros.h"

namespace lectern {

absl::StatusOr<v1::Group> ReadGroup(const Xapian::Database& db,
                                    absl::string_view group_id) {
  if (group_id.empty()) return absl::InvalidArgumentError("group is required");
  const std::string data =
      db.get_metadata(absl::StrCat(schema::kMetaGroupPrefix, group_id));
  if (data.empty()) {
    std::vector<std::string> known;
    const std::string prefix(schema::kMetaGroupPrefix);
    for (auto key = db.metadata_keys_begin(prefix);
         key != db.metadata_keys_end(prefix); ++key) {
      known.push_back((*key).substr(prefix.size()));
    }
    return absl::NotFoundError(
        absl::StrCat("no group '", group_id,
                     "'; known groups: ", absl::StrJoin(known, ", ")));
  }
  v1::Group group;
  if (!group.ParseFromString(data)) {
    return absl::DataLossError(
        absl::StrCat("group '", group_id, "' is corrupt"));
  }
  return group;
}

std::optional<Xapian::docid> FindDocid(const Xapian::Database& db,
                                       absl::string_view type,
                                       absl::string_view id) {
  const std::string term = schema::IdTerm(type, id);
  Xapian::PostingIterator posting = db.postlist_begin(term);
  if (posting == db.postlist_end(term)) return std::nullopt;
  return *posting;
}

Xapian::docid DocidIn(const Xapian::Database& db, const Xapian::Document& doc) {
  const std::optional<Xapian::docid> found = FindDocid(
      db, doc.get_value(schema::kSlotType), doc.get_value(schema::kSlotId));
  return found ? *found : doc.get_docid();
}

std::optional<Xapian::Document> FindById(const Xapian::Database& db,
                                         absl::string_view type,
                                         absl::string_view id) {
  const std::optional<Xapian::docid> docid = FindDocid(db, type, id);
  if (!docid) return std::nullopt;
  return db.get_document(*docid);
}

std::vector<Xapian::Document> DocumentsWithTerm(const Xapian::Database& db,
                                                absl::string_view type,
                                                const std::string& term) {
  std::vector<Xapian::Document> docs;
  for (auto posting = db.postlist_begin(term); posting != db.postlist_end(term);
       ++posting) {
    Xapian::Document doc = db.get_document(*posting);
    if (doc.get_value(schema::kSlotType) == type)
      docs.push_back(std::move(doc));
  }
  return docs;
}

absl::StatusOr<std::optional<Xapian::Document>> FindPaperDocument(
    const Xapian::Database& db, QueryBuilder& query_builder,
    absl::string_view text, PaperRecords records) {
  if (std::optional<Xapian::Document> doc =
          FindById(db, schema::kTypePaper, text)) {
    return doc;
  }
  std::vector<absl::string_view> types = {schema::kTypePaper};
  if (records == PaperRecords::kCatalogAndSessions) {
    types.push_back(schema::kTypeSession);
  }
  if (const std::string title_key = TitleKey(text); !title_key.empty()) {
    for (absl::string_view type : types) {
      const std::vector<Xapian::Document> same_title = DocumentsWithTerm(
          db, type, schema::Term(schema::kTitleKey, title_key));
      if (!same_title.empty()) return same_title.front();
    }
  }
  LECTERN_ASSIGN_OR_RETURN(Xapian::Query words, query_builder.Parse(text));
  std::vector<Xapian::Query> type_terms;
  type_terms.reserve(types.size());
  for (absl::string_view type : types) {
    type_terms.emplace_back(schema::Term(schema::kType, type));
  }
  Xapian::Enquire enquire(db);
  enquire.set_query(
      Xapian::Query(Xapian::Query::OP_FILTER, words,
                    Xapian::Query(Xapian::Query::OP_OR, type_terms.begin(),
                                  type_terms.end())));
  const Xapian::MSet best = enquire.get_mset(0, 1);
  if (best.empty()) return std::nullopt;
  return best.begin().get_document();
}

absl::StatusOr<Presentations> PresentationsOf(const Xapian::Database& db,
                                              absl::string_view paper_id) {
  Presentations presented;
  const std::string link = schema::Term(schema::kPaperLink, paper_id);
  for (const Xapian::Document& doc :
       DocumentsWithTerm(db, schema::kTypeSession, link)) {
    LECTERN_ASSIGN_OR_RETURN(v1::Session session,
                             DecodeRecord<v1::Session>(doc));
    presented.sessions.push_back(std::move(session));
  }
  std::sort(presented.sessions.begin(), presented.sessions.end(),
            SessionBefore);
  for (const Xapian::Document& doc :
       DocumentsWithTerm(db, schema::kTypeSummary, link)) {
    LECTERN_ASSIGN_OR_RETURN(v1::Summary summary,
                             DecodeRecord<v1::Summary>(doc));
    presented.summaries.push_back(std::move(summary));
  }
  return presented;
}

bool SessionBefore(const v1::Session& a, const v1::Session& b) {
  return std::make_tuple(a.date(), a.group(), a.ordinal()) <
         std::make_tuple(b.date(), b.group(), b.ordinal());
}

v1::SummaryRef SummaryRefOf(const v1::Summary& summary) {
  v1::SummaryRef ref;
  ref.set_id(summary.id());
  ref.set_session_id(summary.session_id());
  ref.set_language(summary.language());
  ref.set_title(summary.title());
  ref.set_url(summary.url());
  return ref;
}

absl::StatusOr<std::vector<v1::Session>> SessionsOfGroup(
    const Xapian::Database& db, absl::string_view group_id) {
  std::vector<v1::Session> sessions;
  for (const Xapian::Document& doc : DocumentsWithTerm(
           db, schema::kTypeSession, schema::Term(schema::kGroup, group_id))) {
    absl::StatusOr<v1::Session> session = DecodeRecord<v1::Session>(doc);
    if (!session.ok()) return session.status();
    sessions.push_back(*std::move(session));
  }
  std::sort(sessions.begin(), sessions.end(),
            [](const v1::Session& a, const v1::Session& b) {
              return std::make_tuple(a.date(), a.ordinal()) <
                     std::make_tuple(b.date(), b.ordinal());
            });
  return sessions;
}

}  // namespace lectern
