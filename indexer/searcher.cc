#include "indexer/searcher.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <tuple>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
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

template <typename Record>
absl::StatusOr<Record> Decode(const Xapian::Document& doc) {
  Record record;
  if (!record.ParseFromString(doc.get_data())) {
    return absl::DataLossError(absl::StrCat("document ", doc.get_docid(),
                                            " holds no valid ",
                                            Record::descriptor()->name()));
  }
  return record;
}

v1::SummaryRef RefOf(const v1::Summary& summary) {
  v1::SummaryRef ref;
  ref.set_id(summary.id());
  ref.set_session_id(summary.session_id());
  ref.set_language(summary.language());
  ref.set_title(summary.title());
  ref.set_url(summary.url());
  return ref;
}

bool SessionBefore(const v1::Session& a, const v1::Session& b) {
  return std::make_tuple(a.date(), a.group(), a.ordinal()) <
         std::make_tuple(b.date(), b.group(), b.ordinal());
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
    const std::string full = *it;  // operator* returns a temporary
    absl::string_view term = full;
    terms.emplace_back(full);
    // Stemmed field terms are "Z" + prefix + stem.
    const bool stemmed = absl::ConsumePrefix(&term, "Z");
    for (absl::string_view prefix : {schema::kTitle, schema::kPresenterName,
                                     schema::kAuthor, schema::kAbstract}) {
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

// `text` with every run of whitespace, line breaks included, as one space.
std::string OneLine(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out.push_back(space ? ' ' : c);
  }
  return out;
}

// `query` with the scores of sessions and summaries scaled up (see
// schema::kSessionBoost): three disjoint branches by record type.
Xapian::Query BoostDiscussed(const Xapian::Query& query) {
  const Xapian::Query sessions(
      schema::Term(schema::kType, schema::kTypeSession));
  const Xapian::Query summaries(
      schema::Term(schema::kType, schema::kTypeSummary));
  const Xapian::Query branches[] = {
      Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                    Xapian::Query(Xapian::Query::OP_FILTER, query, sessions),
                    schema::kSessionBoost),
      Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                    Xapian::Query(Xapian::Query::OP_FILTER, query, summaries),
                    schema::kSummaryBoost),
      Xapian::Query(Xapian::Query::OP_AND_NOT, query,
                    Xapian::Query(Xapian::Query::OP_OR, sessions, summaries)),
  };
  return Xapian::Query(Xapian::Query::OP_OR, std::begin(branches),
                       std::end(branches));
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

absl::StatusOr<SessionDetails> Searcher::GetSessions(absl::string_view group_id,
                                                     absl::string_view date,
                                                     int ordinal) {
  return WithFreshDatabase(
      [&] { return GetSessionsOnce(group_id, date, ordinal); });
}

absl::StatusOr<PaperDetails> Searcher::GetPaper(absl::string_view paper_id) {
  return WithFreshDatabase([&] { return GetPaperOnce(paper_id); });
}

absl::StatusOr<v1::Group> Searcher::GetGroup(absl::string_view group_id) {
  return WithFreshDatabase([&] { return GetGroupOnce(group_id); });
}

absl::StatusOr<IndexStats> Searcher::Stats() {
  return WithFreshDatabase([&] { return StatsOnce(); });
}

std::optional<Xapian::Document> Searcher::FindById(absl::string_view type,
                                                   absl::string_view id) {
  const std::string term = schema::IdTerm(type, id);
  Xapian::PostingIterator posting = db_.postlist_begin(term);
  if (posting == db_.postlist_end(term)) return std::nullopt;
  return db_.get_document(*posting);
}

std::vector<Xapian::Document> Searcher::Linked(absl::string_view type,
                                               const std::string& link_term) {
  std::vector<Xapian::Document> docs;
  for (auto posting = db_.postlist_begin(link_term);
       posting != db_.postlist_end(link_term); ++posting) {
    Xapian::Document doc = db_.get_document(*posting);
    if (doc.get_value(schema::kSlotType) == type)
      docs.push_back(std::move(doc));
  }
  return docs;
}

absl::Status Searcher::FillLinks(SearchHit* hit) {
  auto add_paper = [&](const std::string& paper_id) -> absl::Status {
    if (paper_id.empty()) return absl::OkStatus();
    if (auto doc = FindById(schema::kTypePaper, paper_id)) {
      LECTERN_ASSIGN_OR_RETURN(hit->linked_paper, Decode<v1::Paper>(*doc));
    }
    return absl::OkStatus();
  };
  auto add_summaries = [&](const std::string& link_term) -> absl::Status {
    for (const Xapian::Document& doc :
         Linked(schema::kTypeSummary, link_term)) {
      LECTERN_ASSIGN_OR_RETURN(v1::Summary summary, Decode<v1::Summary>(doc));
      hit->linked_summaries.push_back(RefOf(summary));
    }
    return absl::OkStatus();
  };
  if (hit->type == schema::kTypeSession) {
    LECTERN_RETURN_IF_ERROR(add_paper(hit->session.paper().paper_id()));
    return add_summaries(schema::Term(schema::kSessionLink, hit->id));
  }
  if (hit->type == schema::kTypePaper) {
    const std::string link = schema::Term(schema::kPaperLink, hit->id);
    for (const Xapian::Document& doc : Linked(schema::kTypeSession, link)) {
      LECTERN_ASSIGN_OR_RETURN(v1::Session session, Decode<v1::Session>(doc));
      hit->linked_sessions.push_back(std::move(session));
    }
    std::sort(hit->linked_sessions.begin(), hit->linked_sessions.end(),
              SessionBefore);
    return add_summaries(link);
  }
  // A summary.
  if (auto doc = FindById(schema::kTypeSession, hit->summary.session_id())) {
    LECTERN_ASSIGN_OR_RETURN(v1::Session session, Decode<v1::Session>(*doc));
    hit->linked_sessions.push_back(std::move(session));
  }
  return add_paper(hit->summary.paper_id());
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
  enquire.set_query(BoostDiscussed(query));
  // Equal scores (filters only) list the newest first.
  enquire.set_sort_by_relevance_then_value(schema::kSlotDate, true);
  // One extra hit tells whether another page follows.
  Xapian::MSet mset = enquire.get_mset(options.offset, options.limit + 1);

  // Snippets come from a second MSet for the highlight query when the
  // query has field terms.
  Xapian::MSet snippet_source = mset;
  if (const auto highlight = HighlightQuery(query)) {
    Xapian::Enquire highlight_enquire(db_);
    highlight_enquire.set_query(*highlight);
    snippet_source = highlight_enquire.get_mset(0, 0);
  }
  auto snippet = [&](const std::string& text) {
    // CJK matches come back one character at a time; join adjacent marks
    // so "稀疏" reads as one highlighted word. A snippet is one line: the
    // paragraph breaks of a summary become spaces.
    return OneLine(absl::StrReplaceAll(
        snippet_source.snippet(text, kSnippetBytes, stemmer_, kSnippetFlags,
                               "<mark>", "</mark>", "…"),
        {{"</mark><mark>", ""}}));
  };

  SearchResult result;
  result.total_estimate = mset.get_matches_estimated();
  result.has_more = mset.size() > static_cast<Xapian::doccount>(options.limit);
  int rank = options.offset;
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    if (rank - options.offset >= options.limit) break;
    const Xapian::Document doc = it.get_document();
    SearchHit& hit = result.hits.emplace_back();
    hit.rank = ++rank;
    hit.score = it.get_weight();
    hit.type = doc.get_value(schema::kSlotType);
    if (hit.type == schema::kTypePaper) {
      LECTERN_ASSIGN_OR_RETURN(hit.paper, Decode<v1::Paper>(doc));
      hit.id = hit.paper.id();
      hit.title = hit.paper.title();
      hit.snippet = snippet(PaperText(hit.paper));
    } else if (hit.type == schema::kTypeSummary) {
      LECTERN_ASSIGN_OR_RETURN(hit.summary, Decode<v1::Summary>(doc));
      hit.id = hit.summary.id();
      hit.title = hit.summary.title();
      hit.snippet = snippet(SummaryText(hit.summary));
    } else {
      LECTERN_ASSIGN_OR_RETURN(hit.session, Decode<v1::Session>(doc));
      hit.id = hit.session.id();
      hit.title = hit.session.title();
      hit.snippet = snippet(SessionText(hit.session));
    }
    LECTERN_RETURN_IF_ERROR(FillLinks(&hit));
  }
  return result;
}

absl::StatusOr<SessionDetails> Searcher::GetSessionsOnce(
    absl::string_view group_id, absl::string_view date, int ordinal) {
  LECTERN_RETURN_IF_ERROR(ValidateDate(date));
  if (ordinal < 0) {
    return absl::InvalidArgumentError("ordinal must not be negative");
  }
  SessionDetails details;
  LECTERN_ASSIGN_OR_RETURN(details.group, GetGroupOnce(group_id));
  Xapian::Enquire enquire(db_);
  enquire.set_query(Xapian::Query(
      Xapian::Query::OP_FILTER,
      Xapian::Query(schema::Term(schema::kType, schema::kTypeSession)),
      Xapian::Query(Xapian::Query::OP_AND,
                    Xapian::Query(schema::Term(schema::kGroup, group_id)),
                    Xapian::Query(schema::Term(schema::kDate,
                                               schema::DateValue(date))))));
  Xapian::MSet mset = enquire.get_mset(0, db_.get_doccount());
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    LECTERN_ASSIGN_OR_RETURN(v1::Session session,
                             Decode<v1::Session>(it.get_document()));
    if (ordinal == 0 || session.ordinal() == ordinal) {
      details.sessions.push_back(std::move(session));
    }
  }
  std::sort(details.sessions.begin(), details.sessions.end(), SessionBefore);
  if (details.sessions.empty()) {
    return absl::NotFoundError(absl::StrCat(
        "group '", group_id, "' has no session", ordinal ? " #" : "",
        ordinal ? absl::StrCat(ordinal) : "", " on ", date));
  }
  for (const v1::Session& session : details.sessions) {
    const std::string& paper_id = session.paper().paper_id();
    if (!paper_id.empty()) {
      if (auto doc = FindById(schema::kTypePaper, paper_id)) {
        LECTERN_ASSIGN_OR_RETURN(v1::Paper paper, Decode<v1::Paper>(*doc));
        details.papers.push_back(std::move(paper));
      }
    }
    for (const Xapian::Document& doc :
         Linked(schema::kTypeSummary,
                schema::Term(schema::kSessionLink, session.id()))) {
      LECTERN_ASSIGN_OR_RETURN(v1::Summary summary, Decode<v1::Summary>(doc));
      details.summaries.push_back(std::move(summary));
    }
  }
  return details;
}

absl::StatusOr<PaperDetails> Searcher::GetPaperOnce(
    absl::string_view paper_id) {
  if (paper_id.empty())
    return absl::InvalidArgumentError("paper id is required");
  const auto doc = FindById(schema::kTypePaper, paper_id);
  if (!doc) {
    return absl::NotFoundError(
        absl::StrCat("no paper '", paper_id,
                     "' in the catalog (search with type:paper to "
                     "find paper ids)"));
  }
  PaperDetails details;
  LECTERN_ASSIGN_OR_RETURN(details.paper, Decode<v1::Paper>(*doc));
  const std::string link = schema::Term(schema::kPaperLink, paper_id);
  for (const Xapian::Document& session_doc :
       Linked(schema::kTypeSession, link)) {
    LECTERN_ASSIGN_OR_RETURN(v1::Session session,
                             Decode<v1::Session>(session_doc));
    details.sessions.push_back(std::move(session));
  }
  std::sort(details.sessions.begin(), details.sessions.end(), SessionBefore);
  for (const Xapian::Document& summary_doc :
       Linked(schema::kTypeSummary, link)) {
    LECTERN_ASSIGN_OR_RETURN(v1::Summary summary,
                             Decode<v1::Summary>(summary_doc));
    details.summaries.push_back(std::move(summary));
  }
  return details;
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
