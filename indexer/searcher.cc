#include "indexer/searcher.h"

#include <algorithm>
#include <filesystem>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "indexer/documents.h"
#include "indexer/schema.h"
#include "indexer/status_macros.h"
#include "indexer/xapian_status.h"

namespace lectern {
namespace {

constexpr unsigned kSnippetFlags = Xapian::MSet::SNIPPET_BACKGROUND_MODEL |
                                   Xapian::MSet::SNIPPET_EXHAUSTIVE |
                                   Xapian::MSet::SNIPPET_CJK_NGRAM;
constexpr size_t kSnippetBytes = 240;

absl::StatusOr<v1::Session> DecodeSession(const Xapian::Document& doc) {
  v1::Session session;
  if (!session.ParseFromString(doc.get_data())) {
    return absl::DataLossError(
        absl::StrCat("document ", doc.get_docid(), " holds no valid session"));
  }
  return session;
}

absl::Status ValidateDate(absl::string_view date) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(date, &day) || absl::FormatCivilTime(day) != date) {
    return absl::InvalidArgumentError(
        absl::StrCat("date must be YYYY-MM-DD, got '", date, "'"));
  }
  return absl::OkStatus();
}

// Xapian's snippet() highlights unprefixed query terms only, so a query of
// fields (title:cache, presenter:"zongqing wei") would highlight nothing.
// Returns the query with its title and presenter terms also as plain words,
// or nullopt when it has none.
std::optional<Xapian::Query> HighlightQuery(const Xapian::Query& query) {
  std::vector<Xapian::Query> terms;
  bool rewritten = false;
  for (auto it = query.get_unique_terms_begin();
       it != query.get_unique_terms_end(); ++it) {
    absl::string_view term = *it;
    terms.emplace_back(std::string(term));
    // Stemmed field terms are "Z" + prefix + stem.
    const bool stemmed = absl::ConsumePrefix(&term, "Z");
    for (absl::string_view prefix : {schema::kTitle, schema::kPresenterName}) {
      absl::string_view word = term;
      if (absl::ConsumePrefix(&word, prefix) && !word.empty() &&
          !absl::ascii_isupper(static_cast<unsigned char>(word[0]))) {
        terms.emplace_back(absl::StrCat(stemmed ? "Z" : "", word));
        rewritten = true;
      }
    }
  }
  if (!rewritten) return std::nullopt;
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

}  // namespace

Searcher::Searcher(Xapian::Database db)
    : db_(std::move(db)),
      query_builder_(db_),
      stemmer_(schema::kStemLanguage) {}

absl::StatusOr<std::unique_ptr<Searcher>> Searcher::Open(
    const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_directory(path, error)) {
    return absl::NotFoundError(
        absl::StrCat("no index at ", path, " (run lectern-index first)"));
  }
  try {
    return std::unique_ptr<Searcher>(new Searcher(Xapian::Database(path)));
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, absl::StrCat("opening index ", path));
  }
}

template <typename Body>
auto Searcher::WithFreshDatabase(Body body) -> decltype(body()) {
  for (int attempt = 0;; ++attempt) {
    try {
      db_.reopen();
      return body();
    } catch (const Xapian::DatabaseModifiedError& e) {
      if (attempt >= 2) return XapianErrorToStatus(e, "reading the index");
    } catch (const Xapian::Error& e) {
      return XapianErrorToStatus(e, "reading the index");
    }
  }
}

absl::StatusOr<SearchResult> Searcher::Search(const SearchOptions& options) {
  return WithFreshDatabase([&] { return SearchOnce(options); });
}

absl::StatusOr<std::vector<v1::Session>> Searcher::GetSessions(
    absl::string_view group_id, absl::string_view date, int ordinal) {
  return WithFreshDatabase(
      [&] { return GetSessionsOnce(group_id, date, ordinal); });
}

absl::StatusOr<v1::Group> Searcher::GetGroup(absl::string_view group_id) {
  return WithFreshDatabase([&] { return GetGroupOnce(group_id); });
}

absl::StatusOr<IndexStats> Searcher::Stats() {
  return WithFreshDatabase([&] { return StatsOnce(); });
}

absl::StatusOr<SearchResult> Searcher::SearchOnce(
    const SearchOptions& options) {
  if (options.limit < 1 || options.limit > kMaxSearchLimit) {
    return absl::InvalidArgumentError(
        absl::StrCat("limit must be 1..", kMaxSearchLimit));
  }
  if (options.offset < 0) {
    return absl::InvalidArgumentError("offset must not be negative");
  }
  LECTERN_ASSIGN_OR_RETURN(Xapian::Query query,
                           query_builder_.Parse(options.query));
  Xapian::Enquire enquire(db_);
  enquire.set_query(query);
  // Equal scores (filters only) list the newest session first.
  enquire.set_sort_by_relevance_then_value(schema::kSlotDate, true);
  // One extra hit tells whether another page follows.
  Xapian::MSet mset = enquire.get_mset(options.offset, options.limit + 1);

  // Snippets come from a second MSet for the highlight query when the
  // query's own terms are all field terms.
  Xapian::MSet snippet_source = mset;
  if (const auto highlight = HighlightQuery(query)) {
    Xapian::Enquire highlight_enquire(db_);
    highlight_enquire.set_query(*highlight);
    snippet_source = highlight_enquire.get_mset(0, 0);
  }

  SearchResult result;
  result.total_estimate = mset.get_matches_estimated();
  result.has_more = mset.size() > static_cast<Xapian::doccount>(options.limit);
  int rank = options.offset;
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    if (rank - options.offset >= options.limit) break;
    LECTERN_ASSIGN_OR_RETURN(v1::Session session,
                             DecodeSession(it.get_document()));
    SearchHit& hit = result.hits.emplace_back();
    hit.rank = ++rank;
    hit.id = session.id();
    hit.score = it.get_weight();
    hit.title = session.title();
    hit.snippet =
        snippet_source.snippet(SessionText(session), kSnippetBytes, stemmer_,
                               kSnippetFlags, "<mark>", "</mark>", "…");
    hit.session = std::move(session);
  }
  return result;
}

absl::StatusOr<std::vector<v1::Session>> Searcher::GetSessionsOnce(
    absl::string_view group_id, absl::string_view date, int ordinal) {
  LECTERN_RETURN_IF_ERROR(ValidateDate(date));
  if (ordinal < 0) {
    return absl::InvalidArgumentError("ordinal must not be negative");
  }
  LECTERN_RETURN_IF_ERROR(GetGroupOnce(group_id).status());
  Xapian::Enquire enquire(db_);
  enquire.set_query(Xapian::Query(
      Xapian::Query::OP_FILTER,
      Xapian::Query(schema::Term(schema::kGroup, group_id)),
      Xapian::Query(schema::Term(schema::kDate, schema::DateValue(date)))));
  Xapian::MSet mset = enquire.get_mset(0, db_.get_doccount());
  std::vector<v1::Session> sessions;
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    LECTERN_ASSIGN_OR_RETURN(v1::Session session,
                             DecodeSession(it.get_document()));
    if (ordinal == 0 || session.ordinal() == ordinal) {
      sessions.push_back(std::move(session));
    }
  }
  std::sort(sessions.begin(), sessions.end(),
            [](const v1::Session& a, const v1::Session& b) {
              return a.ordinal() < b.ordinal();
            });
  if (sessions.empty()) {
    return absl::NotFoundError(absl::StrCat(
        "group '", group_id, "' has no session", ordinal ? " #" : "",
        ordinal ? absl::StrCat(ordinal) : "", " on ", date));
  }
  return sessions;
}

absl::StatusOr<v1::Group> Searcher::GetGroupOnce(absl::string_view group_id) {
  if (group_id.empty()) return absl::InvalidArgumentError("group is required");
  const std::string data =
      db_.get_metadata(absl::StrCat(schema::kMetaGroupPrefix, group_id));
  v1::Group group;
  if (data.empty()) {
    std::vector<std::string> known;
    const std::string prefix(schema::kMetaGroupPrefix);
    for (auto key = db_.metadata_keys_begin(prefix);
         key != db_.metadata_keys_end(prefix); ++key) {
      known.push_back((*key).substr(prefix.size()));
    }
    return absl::NotFoundError(
        absl::StrCat("no group '", group_id,
                     "'; known groups: ", absl::StrJoin(known, ", ")));
  }
  if (!group.ParseFromString(data)) {
    return absl::DataLossError(
        absl::StrCat("group '", group_id, "' is corrupt"));
  }
  return group;
}

absl::StatusOr<IndexStats> Searcher::StatsOnce() {
  IndexStats stats;
  stats.documents = db_.get_doccount();
  stats.sessions =
      db_.get_termfreq(schema::Term(schema::kType, schema::kTypeSession));
  stats.papers =
      db_.get_termfreq(schema::Term(schema::kType, schema::kTypePaper));
  stats.summaries =
      db_.get_termfreq(schema::Term(schema::kType, schema::kTypeSummary));
  const std::string person_prefix(schema::kPerson);
  for (auto it = db_.allterms_begin(person_prefix);
       it != db_.allterms_end(person_prefix); ++it) {
    ++stats.people;
  }
  stats.revision = db_.get_revision();

  const std::string group_prefix(schema::kMetaGroupPrefix);
  for (auto key = db_.metadata_keys_begin(group_prefix);
       key != db_.metadata_keys_end(group_prefix); ++key) {
    LECTERN_ASSIGN_OR_RETURN(v1::Group group,
                             GetGroupOnce((*key).substr(group_prefix.size())));
    GroupCounts& counts = stats.groups.emplace_back();
    const std::string group_term = schema::Term(schema::kGroup, group.id());
    for (auto posting = db_.postlist_begin(group_term);
         posting != db_.postlist_end(group_term); ++posting) {
      const Xapian::Document doc = db_.get_document(*posting);
      if (doc.get_value(schema::kSlotType) != schema::kTypeSession) continue;
      ++counts.sessions;
      const std::string kind = doc.get_value(schema::kSlotKind);
      if (kind == schema::KindName(v1::SESSION_KIND_PAPER))
        ++counts.paper_sessions;
      if (kind == schema::KindName(v1::SESSION_KIND_TALK)) ++counts.talks;
      if (kind == schema::KindName(v1::SESSION_KIND_OPEN)) ++counts.open_slots;
      const std::string date = doc.get_value(schema::kSlotDate);
      if (counts.first_date.empty() || date < counts.first_date)
        counts.first_date = date;
      if (date > counts.last_date) counts.last_date = date;
    }
    for (std::string* date : {&counts.first_date, &counts.last_date}) {
      if (date->size() == 8) {
        *date = absl::StrCat(date->substr(0, 4), "-", date->substr(4, 2), "-",
                             date->substr(6, 2));
      }
    }
    counts.group = std::move(group);
  }
  return stats;
}

}  // namespace lectern
