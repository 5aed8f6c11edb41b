#include "indexer/searcher.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "indexer/documents.h"
#include "indexer/index_reader.h"
#include "indexer/page_token.h"
#include "indexer/people.h"
#include "indexer/related_work.h"
#include "indexer/schema.h"
#include "indexer/status_macros.h"
#include "indexer/suggest_rules.h"
#include "indexer/suggester.h"
#include "indexer/xapian_status.h"

namespace lectern {
namespace {

// Today's date in UTC: what people.h counts "as of" when asked no date.
absl::CivilDay TodayUtc() {
  return absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
}

absl::Status ValidateDate(absl::string_view date) {
  if (!ParseIsoDate(date)) {
    return absl::InvalidArgumentError(
        absl::StrCat("date must be YYYY-MM-DD, got '", date, "'"));
  }
  return absl::OkStatus();
}

// The terms snippets highlight: every term of `query`, because a field
// term (title:cache, presenter:"zongqing wei") or a word of a synonym's
// phrase matched too, with field terms as their plain words; and the
// index words `expansions` a wildcard stood for.
HighlightTerms HighlightTermsOf(const Xapian::Query& query,
                                const std::vector<std::string>& expansions) {
  HighlightTerms terms;
  for (const std::string& word : expansions) terms.AddIndexTerm(word);
  for (auto it = query.get_unique_terms_begin();
       it != query.get_unique_terms_end(); ++it) {
    const std::string full = *it;  // operator* returns a temporary
    absl::string_view term = full;
    terms.AddIndexTerm(term);
    // Stemmed field terms are "Z" + prefix + stem.
    const bool stemmed = absl::ConsumePrefix(&term, "Z");
    for (absl::string_view prefix :
         {schema::kTitle, schema::kPresenterName, schema::kMainName,
          schema::kAssistName, schema::kAuthor, schema::kAbstract}) {
      absl::string_view word = term;
      if (absl::ConsumePrefix(&word, prefix) && !word.empty() &&
          !absl::ascii_isupper(static_cast<unsigned char>(word[0]))) {
        terms.AddIndexTerm(absl::StrCat(stemmed ? "Z" : "", word));
      }
    }
  }
  return terms;
}

// The index's words that the wildcards of `text` ("serverless*",
// "title:cach*") stand for: Query keeps a wildcard unexpanded, so its
// matches would not be highlighted. At most kMaxHighlightExpansion.
std::vector<std::string> WildcardExpansions(absl::string_view text,
                                            const Xapian::Database& db) {
  constexpr size_t kMaxHighlightExpansion = 200;
  std::vector<std::string> words;
  for (absl::string_view token :
       absl::StrSplit(text, absl::ByAnyChar(" \t\n\r()"), absl::SkipEmpty())) {
    if (!absl::ConsumeSuffix(&token, "*")) continue;
    absl::ConsumePrefix(&token, "+");
    absl::ConsumePrefix(&token, "-");
    if (const size_t colon = token.rfind(':'); colon != token.npos) {
      token.remove_prefix(colon + 1);
    }
    if (token.empty()) continue;
    const std::string prefix = absl::AsciiStrToLower(token);
    for (auto term = db.allterms_begin(prefix);
         term != db.allterms_end(prefix) &&
         words.size() < kMaxHighlightExpansion;
         ++term) {
      words.push_back(*term);
    }
  }
  return words;
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

// Wildcards (OP_WILDCARD leaves) in `query`.
int CountWildcards(const Xapian::Query& query) {
  if (query.get_type() == Xapian::Query::OP_WILDCARD) return 1;
  int count = 0;
  for (size_t i = 0; i < query.get_num_subqueries(); ++i) {
    count += CountWildcards(query.get_subquery(i));
  }
  return count;
}

// InvalidArgument when `query`, parsed from the request's `field`, holds
// more wildcards than a match can afford.
absl::Status CheckWildcards(const Xapian::Query& query,
                            absl::string_view field) {
  const int wildcards = CountWildcards(query);
  if (wildcards > kMaxQueryWildcards) {
    return absl::InvalidArgumentError(absl::StrCat(field, " has ", wildcards,
                                                   " wildcards; the limit is ",
                                                   kMaxQueryWildcards));
  }
  return absl::OkStatus();
}

}  // namespace

Searcher::Searcher(std::string path, Xapian::Database db, Xapian::Database home,
                   std::shared_ptr<const ShardMap> shards, size_t first_replica)
    : path_(std::move(path)),
      shards_(std::move(shards)),
      first_replica_(first_replica),
      db_(std::move(db)),
      home_(std::move(home)),
      query_builder_(db_),
      snippets_(Xapian::Stem(schema::kStemLanguage)) {}

absl::StatusOr<std::unique_ptr<Searcher>> Searcher::Open(
    const std::string& path, std::shared_ptr<const ShardMap> shards,
    size_t first_replica) {
  std::error_code error;
  if (!std::filesystem::is_directory(path, error)) {
    return absl::NotFoundError(
        absl::StrCat("no index at ", path, " (run lectern-index first)"));
  }
  Xapian::Database home;
  try {
    home = Xapian::Database(path);
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, absl::StrCat("opening index ", path));
  }
  Xapian::Database db = home;
  if (shards) {
    LECTERN_ASSIGN_OR_RETURN(
        db, OpenShardedDatabase(home, path, *shards, first_replica));
  }
  return std::unique_ptr<Searcher>(new Searcher(
      path, std::move(db), std::move(home), std::move(shards), first_replica));
}

absl::Status Searcher::Reconnect() {
  ++first_replica_;
  LECTERN_ASSIGN_OR_RETURN(
      db_, OpenShardedDatabase(home_, path_, *shards_, first_replica_));
  query_builder_.Rebind(db_);
  suggest_cache_.Invalidate();
  return absl::OkStatus();
}

template <typename Body>
auto Searcher::WithFreshDatabase(Body body) -> decltype(body()) {
  // A chert/glass reader only keeps its revision while the writer has not
  // committed twice since: under a burst of commits, a slow read (a large
  // Suggest, a sanitizer build) can lose the race several times in a row.
  // Backing off lets the burst pass; the attempts stay bounded (about a
  // quarter of a second in all) so a writer committing without pause gives
  // UNAVAILABLE rather than a hung request.
  constexpr int kMaxAttempts = 10;
  for (int attempt = 0;; ++attempt) {
    try {
      // home_ shares db_'s handle on the home database: one reopen.
      if (db_.reopen()) suggest_cache_.Invalidate();
      LoadSynonyms();
      return body();
    } catch (const Xapian::DatabaseModifiedError& e) {
      if (attempt + 1 >= kMaxAttempts) {
        return XapianErrorToStatus(e, "reading the index");
      }
      absl::SleepFor(std::min(absl::Milliseconds(1) * (1 << attempt),
                              absl::Milliseconds(50)));
    } catch (const Xapian::NetworkError& e) {
      // A shard replica went away (or timed out): the call runs again on
      // the shards' next replicas. A replica that is back is found again
      // by a later call, which reconnects the same way.
      if (!shards_ || attempt + 1 >= kMaxAttempts) {
        return XapianErrorToStatus(e, "reading the index");
      }
      if (absl::Status reconnected = Reconnect(); !reconnected.ok()) {
        return reconnected;
      }
    } catch (const Xapian::Error& e) {
      return XapianErrorToStatus(e, "reading the index");
    }
  }
}

absl::StatusOr<v1::SearchResponse> Searcher::Search(
    const v1::SearchRequest& request, absl::Time deadline) {
  return WithFreshDatabase([&] { return SearchOnce(request, deadline); });
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

const Xapian::Database& Searcher::Holding(absl::string_view type) const {
  return type == schema::kTypePaper ? db_ : home_;
}

std::optional<Xapian::Document> Searcher::FindById(absl::string_view type,
                                                   absl::string_view id) {
  return lectern::FindById(Holding(type), type, id);
}

std::vector<Xapian::Document> Searcher::Linked(absl::string_view type,
                                               const std::string& link_term) {
  return DocumentsWithTerm(Holding(type), type, link_term);
}

absl::Status Searcher::FillLinks(v1::SearchHit* hit) {
  auto add_paper = [&](const std::string& paper_id) -> absl::Status {
    if (paper_id.empty()) return absl::OkStatus();
    if (auto doc = FindById(schema::kTypePaper, paper_id)) {
      LECTERN_ASSIGN_OR_RETURN(*hit->mutable_linked_paper(),
                               DecodeRecord<v1::Paper>(*doc));
    }
    return absl::OkStatus();
  };
  auto add_summaries = [&](const std::string& link_term) -> absl::Status {
    for (const Xapian::Document& doc :
         Linked(schema::kTypeSummary, link_term)) {
      LECTERN_ASSIGN_OR_RETURN(v1::Summary summary,
                               DecodeRecord<v1::Summary>(doc));
      *hit->add_linked_summaries() = SummaryRefOf(summary);
    }
    return absl::OkStatus();
  };
  switch (hit->type()) {
    case v1::DOCUMENT_TYPE_SESSION:
      LECTERN_RETURN_IF_ERROR(add_paper(hit->session().paper().paper_id()));
      return add_summaries(schema::Term(schema::kSessionLink, hit->id()));
    case v1::DOCUMENT_TYPE_PAPER: {
      const std::string link = schema::Term(schema::kPaperLink, hit->id());
      std::vector<v1::Session> sessions;
      for (const Xapian::Document& doc : Linked(schema::kTypeSession, link)) {
        LECTERN_ASSIGN_OR_RETURN(v1::Session session,
                                 DecodeRecord<v1::Session>(doc));
        sessions.push_back(std::move(session));
      }
      std::sort(sessions.begin(), sessions.end(), SessionBefore);
      for (v1::Session& session : sessions) {
        *hit->add_linked_sessions() = std::move(session);
      }
      return add_summaries(link);
    }
    default:  // a summary
      if (auto doc =
              FindById(schema::kTypeSession, hit->summary().session_id())) {
        LECTERN_ASSIGN_OR_RETURN(*hit->add_linked_sessions(),
                                 DecodeRecord<v1::Session>(*doc));
      }
      return add_paper(hit->summary().paper_id());
  }
}

namespace {

// The fingerprint a page token carries: everything that decides the result
// list, so a token replayed with another query, filter, sort or collapse
// is rejected. Page size and facets do not change the list.
std::string ListFingerprint(const v1::SearchRequest& request) {
  v1::SearchRequest key = request;
  key.clear_page_token();
  key.clear_page_size();
  key.clear_facets();
  key.clear_facet_limit();
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    key.SerializeToCodedStream(&coded);
  }
  return out;
}

absl::Status CheckDeadline(absl::Time deadline, absl::string_view step) {
  if (absl::Now() > deadline) {
    return absl::DeadlineExceededError(
        absl::StrCat("search ran out of time ", step));
  }
  return absl::OkStatus();
}

Xapian::valueno FacetSlot(v1::Facet facet) {
  switch (facet) {
    case v1::FACET_TYPE:
      return schema::kSlotType;
    case v1::FACET_VENUE:
      return schema::kSlotVenue;
    case v1::FACET_YEAR:
      return schema::kSlotYear;
    case v1::FACET_GROUP:
      return schema::kSlotGroup;
    default:
      return schema::kSlotPresenters;
  }
}

// Counts the values of one facet over every document the matcher sees.
// Counts one facet's values over a match set. On one database it is its
// own spy: one value read per match, no allocation once a value has been
// seen. On a sharded index it hands the counting to Xapian's
// ValueCountMatchSpy, the only spy xapian-tcpsrv can run on the shards'
// side (Xapian 1.4's server knows no others), and reads its merged counts.
class FacetSpy : public Xapian::MatchSpy {
 public:
  FacetSpy(v1::Facet facet, bool sharded)
      : facet_(facet), slot_(FacetSlot(facet)) {
    if (sharded) shared_ = std::make_unique<Xapian::ValueCountMatchSpy>(slot_);
  }

  v1::Facet facet() const { return facet_; }
  // What to add to the Enquire.
  Xapian::MatchSpy* spy() {
    return shared_ ? static_cast<Xapian::MatchSpy*>(shared_.get()) : this;
  }

  void operator()(const Xapian::Document& doc, double) override {
    // Called for every match of a faceted search: one value read, no
    // allocation once a value has been seen.
    value_ = doc.get_value(slot_);
    if (value_.empty()) return;
    if (facet_ != v1::FACET_PRESENTER) {
      ++counts_[value_];
      return;
    }
    Count(value_, 1, &counts_);
  }

  // Most frequent first, ties by value; at most `limit` values.
  v1::FacetResult Result(int limit) const {
    absl::flat_hash_map<std::string, int64_t> merged;
    if (shared_) {
      // Counts of whole values: a presenter list counts for each name in it.
      for (auto value = shared_->values_begin(); value != shared_->values_end();
           ++value) {
        Count(*value, value.get_termfreq(), &merged);
      }
    }
    std::vector<std::pair<std::string, int64_t>> values;
    for (const auto& [raw, count] : shared_ ? merged : counts_) {
      values.emplace_back(facet_ == v1::FACET_YEAR
                              ? absl::StrCat(static_cast<int>(
                                    Xapian::sortable_unserialise(raw)))
                              : raw,
                          count);
    }
    std::sort(values.begin(), values.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    v1::FacetResult result;
    result.set_facet(facet_);
    result.set_distinct(static_cast<int>(values.size()));
    for (size_t i = 0; i < values.size() && static_cast<int>(i) < limit; ++i) {
      v1::FacetCount* count = result.add_values();
      count->set_value(values[i].first);
      count->set_count(values[i].second);
    }
    return result;
  }

 private:
  void Count(absl::string_view value, int64_t count,
             absl::flat_hash_map<std::string, int64_t>* counts) const {
    if (facet_ != v1::FACET_PRESENTER) {
      (*counts)[value] += count;
      return;
    }
    for (absl::string_view name :
         absl::StrSplit(value, schema::kPresenterSeparator)) {
      (*counts)[name] += count;
    }
  }

  v1::Facet facet_;
  Xapian::valueno slot_;
  std::string value_;
  absl::flat_hash_map<std::string, int64_t> counts_;
  std::unique_ptr<Xapian::ValueCountMatchSpy> shared_;
};

v1::DocumentType TypeOf(const std::string& type) {
  if (type == schema::kTypePaper) return v1::DOCUMENT_TYPE_PAPER;
  if (type == schema::kTypeSummary) return v1::DOCUMENT_TYPE_SUMMARY;
  return v1::DOCUMENT_TYPE_SESSION;
}

}  // namespace

void Searcher::LoadSynonyms() {
  std::string stored = db_.get_metadata(std::string(schema::kMetaSynonyms));
  if (stored == synonyms_) return;
  absl::StatusOr<SynonymTable> table = SynonymTable::Deserialize(stored);
  // A table this version cannot read leaves queries without synonyms
  // rather than failing every search.
  query_builder_.SetSynonyms(table.ok() ? *std::move(table) : SynonymTable());
  synonyms_ = std::move(stored);
}

Xapian::Query Searcher::FullQuery(
    const Xapian::Query& text_query,
    const std::vector<std::pair<v1::Facet, Xapian::Query>>& filters,
    v1::Facet except_facet) {
  std::vector<Xapian::Query> active;
  for (const auto& [facet, query] : filters) {
    if (facet == except_facet && facet != v1::FACET_UNSPECIFIED) continue;
    active.push_back(query);
  }
  if (active.empty()) return text_query;
  return Xapian::Query(
      Xapian::Query::OP_FILTER, text_query,
      Xapian::Query(Xapian::Query::OP_AND, active.begin(), active.end()));
}

absl::Status Searcher::FillHit(const Xapian::MSetIterator& item,
                               const HighlightTerms& highlight,
                               v1::SearchHit* hit) {
  const Xapian::Document doc = item.get_document();
  hit->set_score(item.get_weight());
  hit->set_type(TypeOf(doc.get_value(schema::kSlotType)));
  if (item.get_collapse_count() > 0) {
    hit->set_collapsed(static_cast<int32_t>(item.get_collapse_count()));
  }
  // Snippet candidates, main text first: the one with the most matches
  // wins, the first on a tie.
  std::vector<std::pair<const char*, std::string>> fields;
  switch (hit->type()) {
    case v1::DOCUMENT_TYPE_PAPER: {
      LECTERN_ASSIGN_OR_RETURN(*hit->mutable_paper(),
                               DecodeRecord<v1::Paper>(doc));
      const v1::Paper& paper = hit->paper();
      hit->set_id(paper.id());
      hit->set_title(paper.title());
      fields = {{"abstract", paper.abstract()},
                {"title", paper.title()},
                {"authors", absl::StrJoin(paper.authors(), ", ")}};
      break;
    }
    case v1::DOCUMENT_TYPE_SUMMARY: {
      LECTERN_ASSIGN_OR_RETURN(*hit->mutable_summary(),
                               DecodeRecord<v1::Summary>(doc));
      const v1::Summary& summary = hit->summary();
      hit->set_id(summary.id());
      hit->set_title(summary.title());
      fields = {{"text", SummaryText(summary)}, {"title", summary.title()}};
      break;
    }
    default: {
      LECTERN_ASSIGN_OR_RETURN(*hit->mutable_session(),
                               DecodeRecord<v1::Session>(doc));
      hit->set_id(hit->session().id());
      hit->set_title(hit->session().title());
      fields = {{"session", SessionText(hit->session())}};
    }
  }
  // The main text speaks for the hit whenever it matches; the shorter
  // fields are highlighted only when it does not, and then the one with the
  // most matches wins (the first on a tie).
  int best_marks = -1;
  for (const auto& [field, text] : fields) {
    if (text.empty()) continue;
    // A snippet is one line: the paragraph breaks of a summary become
    // spaces.
    Snippet snippet = snippets_.Make(text, highlight, kSnippetBytes);
    const bool main_text = best_marks < 0;
    if (snippet.marks > best_marks) {
      best_marks = snippet.marks;
      hit->set_snippet(OneLine(snippet.html));
      hit->set_snippet_field(field);
    }
    if (main_text && snippet.marks > 0) break;
  }
  return FillLinks(hit);
}

absl::StatusOr<v1::SearchResponse> Searcher::SearchOnce(
    const v1::SearchRequest& request, absl::Time deadline) {
  if (request.page_size() < 0) {
    return absl::InvalidArgumentError("page_size must not be negative");
  }
  if (request.facet_limit() < 0) {
    return absl::InvalidArgumentError("facet_limit must not be negative");
  }
  if (!v1::SearchSort_IsValid(request.sort())) {
    return absl::InvalidArgumentError(
        absl::StrCat("sort: unknown value ", request.sort()));
  }
  std::vector<v1::Facet> facets;
  for (int facet : request.facets()) {
    if (facet == v1::FACET_UNSPECIFIED || !v1::Facet_IsValid(facet)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "facets: expects TYPE, VENUE, YEAR, GROUP or PRESENTER, got ",
          facet));
    }
    if (std::find(facets.begin(), facets.end(), facet) == facets.end()) {
      facets.push_back(static_cast<v1::Facet>(facet));
    }
  }
  const int page_size = request.page_size() == 0
                            ? kDefaultPageSize
                            : std::min(request.page_size(), kMaxPageSize);
  const int facet_limit = request.facet_limit() == 0
                              ? kDefaultFacetLimit
                              : std::min(request.facet_limit(), kMaxFacetLimit);
  const std::string fingerprint = ListFingerprint(request);
  LECTERN_ASSIGN_OR_RETURN(const int offset,
                           DecodePageToken(request.page_token(), fingerprint));
  LECTERN_ASSIGN_OR_RETURN(const auto filters,
                           FilterQueries(request.filters()));
  const bool has_text = !absl::StripAsciiWhitespace(request.query()).empty();
  if (!has_text && filters.empty()) {
    return absl::InvalidArgumentError(
        "query is empty: give a query, a filter, or both");
  }
  auto is_filtered = [&](v1::Facet facet) {
    return std::any_of(filters.begin(), filters.end(), [&](const auto& filter) {
      return filter.first == facet;
    });
  };

  v1::SearchResponse response;
  std::string text = request.query();
  if (has_text) response.set_corrected_query(query_builder_.Correct(text));
  LECTERN_RETURN_IF_ERROR(CheckDeadline(deadline, "parsing the query"));

  // `text` parsed once, for matching, facets and highlighting alike; the
  // matched query is every record when there is no text.
  Xapian::Query parsed;
  // Not Query::MatchAll: that static's reference count is not atomic, and
  // search workers copy it from several threads at once.
  Xapian::Query matched{std::string()};
  auto parse = [&]() -> absl::Status {
    if (!has_text) return absl::OkStatus();
    LECTERN_ASSIGN_OR_RETURN(parsed, query_builder_.Parse(text));
    LECTERN_RETURN_IF_ERROR(CheckWildcards(parsed, "query"));
    matched = BoostDiscussed(parsed);
    return absl::OkStatus();
  };
  // Runs `matched`, counting on the way the facets the request does not
  // filter on.
  std::vector<std::unique_ptr<FacetSpy>> spies;
  auto run = [&]() -> Xapian::MSet {
    Xapian::Enquire enquire(db_);
    enquire.set_query(FullQuery(matched, filters, v1::FACET_UNSPECIFIED));
    switch (request.sort()) {
      case v1::SEARCH_SORT_NEWEST:
      case v1::SEARCH_SORT_OLDEST:
        enquire.set_sort_by_value_then_relevance(
            schema::kSlotWhen, request.sort() == v1::SEARCH_SORT_NEWEST);
        break;
      default:
        // Equal scores (filters only) list the newest first.
        enquire.set_sort_by_relevance_then_value(schema::kSlotTieBreak, true);
    }
    if (request.collapse_papers()) {
      enquire.set_collapse_key(schema::kSlotPaperKey);
    }
    spies.clear();
    for (v1::Facet facet : facets) {
      if (is_filtered(facet)) continue;
      spies.push_back(std::make_unique<FacetSpy>(facet, shards_ != nullptr));
    }
    // Xapian 1.4.22 miscounts a spy in a match that is sorted, asks for
    // hits and has remote parts (some remote hits are counted twice): on a
    // sharded index the facets are counted in a pass of their own.
    Xapian::Enquire counting(db_);
    counting.set_query(enquire.get_query());
    Xapian::Enquire& spied = shards_ ? counting : enquire;
    for (const auto& spy : spies) spied.add_matchspy(spy->spy());
    if (shards_ && !spies.empty()) counting.get_mset(0, 0, db_.get_doccount());
    // Facets count the whole match set; one extra hit tells whether
    // another page follows.
    return enquire.get_mset(offset, page_size + 1,
                            spies.empty() ? 0 : db_.get_doccount());
  };
  LECTERN_RETURN_IF_ERROR(parse());
  Xapian::MSet mset = run();
  if (mset.get_matches_upper_bound() == 0 && request.auto_correct() &&
      !response.corrected_query().empty()) {
    text = response.corrected_query();
    LECTERN_RETURN_IF_ERROR(parse());
    mset = run();
    response.set_ran_corrected_query(true);
  }
  LECTERN_RETURN_IF_ERROR(CheckDeadline(deadline, "matching"));

  // A facet the request filters on is counted without that filter, so the
  // other values stay visible: one more pass each.
  for (v1::Facet facet : facets) {
    const auto spy =
        std::find_if(spies.begin(), spies.end(),
                     [&](const auto& spy) { return spy->facet() == facet; });
    if (spy != spies.end()) {
      *response.add_facets() = (*spy)->Result(facet_limit);
      continue;
    }
    Xapian::Enquire enquire(db_);
    enquire.set_query(FullQuery(matched, filters, facet));
    FacetSpy own_spy(facet, shards_ != nullptr);
    enquire.add_matchspy(own_spy.spy());
    enquire.get_mset(0, 0, db_.get_doccount());
    *response.add_facets() = own_spy.Result(facet_limit);
    LECTERN_RETURN_IF_ERROR(CheckDeadline(deadline, "counting facets"));
  }

  HighlightTerms highlight;
  if (has_text) {
    highlight = HighlightTermsOf(parsed, WildcardExpansions(text, db_));
    for (absl::string_view word : absl::StrSplit(
             text, absl::ByAnyChar(" \t\n\r()\":"), absl::SkipEmpty())) {
      highlight.typed.insert(absl::AsciiStrToLower(word));
    }
  }

  response.set_total_estimate(mset.get_matches_estimated());
  int rank = offset;
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    if (rank - offset >= page_size) {
      response.set_next_page_token(EncodePageToken(fingerprint, rank));
      break;
    }
    v1::SearchHit* hit = response.add_hits();
    hit->set_rank(++rank);
    LECTERN_RETURN_IF_ERROR(FillHit(it, highlight, hit));
    LECTERN_RETURN_IF_ERROR(CheckDeadline(deadline, "reading the hits"));
  }
  return response;
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
                             DecodeRecord<v1::Session>(it.get_document()));
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
        LECTERN_ASSIGN_OR_RETURN(v1::Paper paper,
                                 DecodeRecord<v1::Paper>(*doc));
        details.papers.push_back(std::move(paper));
      }
    }
    for (const Xapian::Document& doc :
         Linked(schema::kTypeSummary,
                schema::Term(schema::kSessionLink, session.id()))) {
      LECTERN_ASSIGN_OR_RETURN(v1::Summary summary,
                               DecodeRecord<v1::Summary>(doc));
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
  LECTERN_ASSIGN_OR_RETURN(details.paper, DecodeRecord<v1::Paper>(*doc));
  LECTERN_ASSIGN_OR_RETURN(Presentations presented,
                           PresentationsOf(db_, paper_id));
  details.sessions = std::move(presented.sessions);
  details.summaries = std::move(presented.summaries);
  return details;
}

absl::StatusOr<v1::GetScheduleResponse> Searcher::GetSchedule(
    absl::string_view group_id) {
  return WithFreshDatabase([&] { return GetScheduleOnce(group_id); });
}

absl::StatusOr<v1::GetScheduleResponse> Searcher::GetScheduleOnce(
    absl::string_view group_id) {
  v1::GetScheduleResponse response;
  LECTERN_ASSIGN_OR_RETURN(*response.mutable_group(), GetGroupOnce(group_id));
  LECTERN_ASSIGN_OR_RETURN(std::vector<v1::Session> sessions,
                           SessionsOfGroup(db_, group_id));
  for (v1::Session& session : sessions) {
    v1::ScheduledSession* entry = response.add_sessions();
    for (const Xapian::Document& doc :
         Linked(schema::kTypeSummary,
                schema::Term(schema::kSessionLink, session.id()))) {
      LECTERN_ASSIGN_OR_RETURN(v1::Summary summary,
                               DecodeRecord<v1::Summary>(doc));
      v1::SummaryRef* ref = entry->add_summaries();
      ref->set_id(summary.id());
      ref->set_session_id(summary.session_id());
      ref->set_language(summary.language());
      ref->set_title(summary.title());
      ref->set_url(summary.url());
    }
    // The same paper is the same catalog paper or, for papers the catalog
    // lacks, the same title key.
    std::vector<std::string> link_terms;
    if (!session.paper().paper_id().empty()) {
      link_terms.push_back(
          schema::Term(schema::kPaperLink, session.paper().paper_id()));
    }
    if (!session.paper().title_key().empty()) {
      link_terms.push_back(
          schema::Term(schema::kTitleKey, session.paper().title_key()));
    }
    std::set<std::string> seen;
    std::vector<v1::Session> others;
    for (const std::string& term : link_terms) {
      for (const Xapian::Document& doc : Linked(schema::kTypeSession, term)) {
        if (doc.get_value(schema::kSlotGroup) == session.group()) continue;
        if (!seen.insert(doc.get_value(schema::kSlotId)).second) continue;
        LECTERN_ASSIGN_OR_RETURN(v1::Session other,
                                 DecodeRecord<v1::Session>(doc));
        others.push_back(std::move(other));
      }
    }
    std::sort(others.begin(), others.end(), SessionBefore);
    for (v1::Session& other : others) {
      *entry->add_also_presented() = std::move(other);
    }
    *entry->mutable_session() = std::move(session);
  }
  v1::ListOpenDatesRequest open_dates;
  open_dates.set_group(std::string(group_id));
  LECTERN_ASSIGN_OR_RETURN(
      v1::ListOpenDatesResponse open,
      Suggester(db_, &query_builder_).ListOpenDates(open_dates));
  *response.mutable_open_dates() = std::move(*open.mutable_open_dates());
  return response;
}

absl::StatusOr<v1::ListOpenDatesResponse> Searcher::ListOpenDates(
    const v1::ListOpenDatesRequest& request) {
  return WithFreshDatabase(
      [&] { return Suggester(db_, &query_builder_).ListOpenDates(request); });
}

absl::StatusOr<v1::SuggestResponse> Searcher::Suggest(
    const v1::SuggestRequest& request, absl::Time deadline) {
  const std::set<absl::string_view> dates(request.dates().begin(),
                                          request.dates().end());
  if (dates.size() > static_cast<size_t>(kMaxSuggestDates)) {
    return absl::InvalidArgumentError(
        absl::StrCat("dates: ", dates.size(), " distinct dates; the limit is ",
                     kMaxSuggestDates, " (none means every open date)"));
  }
  return WithFreshDatabase([&]() -> absl::StatusOr<v1::SuggestResponse> {
    if (!request.topic().empty()) {
      // A topic that does not parse is left to the Suggester to refuse.
      const absl::StatusOr<Xapian::Query> topic =
          query_builder_.Parse(request.topic());
      if (topic.ok()) {
        LECTERN_RETURN_IF_ERROR(CheckWildcards(*topic, "topic"));
      }
    }
    return Suggester(db_, &query_builder_, &suggest_cache_)
        .Suggest(request, deadline);
  });
}

absl::StatusOr<v1::RelatedWorkResponse> Searcher::RelatedWork(
    const v1::RelatedWorkRequest& request, absl::Time deadline) {
  return WithFreshDatabase([&] {
    return RelatedWorkFinder(db_, &query_builder_, &suggest_cache_)
        .Find(request, deadline);
  });
}

absl::StatusOr<v1::GetPersonResponse> Searcher::GetPerson(
    const v1::GetPersonRequest& request) {
  return WithFreshDatabase(
      [&] { return lectern::GetPerson(db_, request, TodayUtc()); });
}

absl::StatusOr<v1::ListPeopleResponse> Searcher::ListPeople(
    const v1::ListPeopleRequest& request) {
  return WithFreshDatabase(
      [&] { return lectern::ListPeople(db_, request, TodayUtc()); });
}

absl::StatusOr<std::vector<ReplayCase>> Searcher::Replay(
    absl::string_view group_id) {
  return WithFreshDatabase(
      [&] { return Suggester(db_, &query_builder_).Replay(group_id); });
}

absl::StatusOr<v1::Group> Searcher::GetGroupOnce(absl::string_view group_id) {
  return ReadGroup(db_, group_id);
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
  // Xapian 1.4 gives no revision for a database with remote parts: a
  // sharded index reports its home database's, which every run of the
  // indexer commits.
  stats.revision = home_.get_revision();
  stats.committed_at = db_.get_metadata(std::string(schema::kMetaCommittedAt));

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
