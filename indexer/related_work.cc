#include "indexer/related_work.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "indexer/index_reader.h"
#include "indexer/interest_profile.h"
#include "indexer/normalize.h"
#include "indexer/schema.h"
#include "indexer/status_macros.h"
#include "indexer/suggest_rules.h"

namespace lectern {
namespace {

// MMR chooses among the most relevant max(kRelatedPoolFactor × count,
// kRelatedMinPool).
constexpr size_t kRelatedPoolFactor = 5;
constexpr size_t kRelatedMinPool = 50;
// Shared terms shown per result, and key terms shown for the paper.
constexpr size_t kEvidenceTerms = 6;
constexpr size_t kShownKeyTerms = 12;

// The paper asked about and every document that says what it is about.
struct Seed {
  v1::Paper paper;
  // Its sessions (any group) and their summaries.
  std::vector<v1::Session> sessions;
  std::vector<v1::Summary> summaries;
  // The catalog record, session records and summaries, as documents.
  std::vector<Xapian::docid> documents;
};

absl::Status CheckRelatedDeadline(absl::Time deadline) {
  if (absl::Now() > deadline) {
    return absl::DeadlineExceededError(
        "related work ran past the request's deadline");
  }
  return absl::OkStatus();
}

// What a session tells of a paper the catalog does not hold.
v1::Paper PaperOfSession(const v1::Session& session) {
  v1::Paper paper;
  const v1::PaperRef& ref = session.paper();
  paper.set_title(ref.title().empty() ? session.title() : ref.title());
  paper.set_venue(ref.venue());
  paper.set_year(ref.year());
  paper.set_url(ref.url());
  paper.set_doi(ref.doi());
  paper.set_title_key(ref.title_key());
  return paper;
}

class Finder {
 public:
  Finder(const Xapian::Database& db, QueryBuilder& query_builder,
         SuggestCache& cache, const RelatedWorkOptions& options)
      : db_(db),
        query_builder_(query_builder),
        cache_(cache),
        options_(options) {}

  // The paper `text` names: a catalog id or title, the title of a paper a
  // schedule presented, or the best match for its words among catalog
  // papers and sessions.
  absl::StatusOr<Seed> FindSeed(absl::string_view text) {
    LECTERN_ASSIGN_OR_RETURN(
        const std::optional<Xapian::Document> doc,
        FindPaperDocument(db_, query_builder_, text,
                          PaperRecords::kCatalogAndSessions));
    if (!doc) {
      return absl::NotFoundError(
          absl::StrCat("no catalog paper or presented paper matches \"", text,
                       "\" (give a paper id, a title, or words from one)"));
    }
    if (doc->get_value(schema::kSlotType) == schema::kTypePaper) {
      return CatalogSeed(*doc);
    }
    return SessionSeed(*doc);
  }

  absl::StatusOr<v1::RelatedWorkResponse> Find(
      const v1::RelatedWorkRequest& request, absl::Time deadline) {
    LECTERN_RETURN_IF_ERROR(Validate(request));
    const int years =
        request.years() == 0 ? kDefaultRelatedYears : request.years();
    const size_t count = static_cast<size_t>(
        request.count() == 0 ? kDefaultRelatedCount : request.count());
    std::optional<absl::CivilDay> before;
    if (!request.before().empty()) before = ParseIsoDate(request.before());

    LECTERN_ASSIGN_OR_RETURN(
        Seed seed, FindSeed(absl::StripAsciiWhitespace(request.paper())));
    const int year_to =
        before ? static_cast<int>(before->year()) : seed.paper.year();
    if (year_to <= 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "\"", seed.paper.title(),
          "\" has no publication year: give `before` (YYYY-MM-DD) to count "
          "the years back from"));
    }
    v1::RelatedWorkResponse response;
    *response.mutable_paper() = seed.paper;
    for (const v1::Session& session : seed.sessions) {
      *response.add_sessions() = session;
    }
    for (const v1::Summary& summary : seed.summaries) {
      *response.add_summaries() = SummaryRefOf(summary);
    }
    response.set_year_from(year_to - years);
    response.set_year_to(year_to);

    ContentTerms& content = cache_.content();
    InterestSource source;
    source.documents = seed.documents;
    source.label = seed.paper.title();
    const InterestProfile profile = InterestProfile::Build(
        content, {std::move(source)}, options_.key_terms);
    for (const ProfileTerm& term : profile.terms()) {
      if (static_cast<size_t>(response.key_terms_size()) >= kShownKeyTerms) {
        break;
      }
      response.add_key_terms(term.word);
    }
    LECTERN_RETURN_IF_ERROR(CheckRelatedDeadline(deadline));

    // Catalog papers of the window, the paper itself (any record of it)
    // left out.
    std::vector<Xapian::Query> venues;
    for (const std::string& venue : request.venues()) {
      venues.emplace_back(
          schema::Term(schema::kVenue, VenueKey(CanonicalVenue(venue).name)));
    }
    Xapian::Query window(
        Xapian::Query::OP_AND,
        Xapian::Query(schema::Term(schema::kType, schema::kTypePaper)),
        Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kSlotYear,
                      Xapian::sortable_serialise(year_to - years),
                      Xapian::sortable_serialise(year_to)));
    if (!venues.empty()) {
      window = Xapian::Query(
          Xapian::Query::OP_AND, window,
          Xapian::Query(Xapian::Query::OP_OR, venues.begin(), venues.end()));
    }
    std::vector<Xapian::Query> itself;
    if (!seed.paper.id().empty()) {
      itself.emplace_back(schema::IdTerm(schema::kTypePaper, seed.paper.id()));
    }
    if (!seed.paper.title_key().empty()) {
      itself.emplace_back(
          schema::Term(schema::kTitleKey, seed.paper.title_key()));
    }
    if (!itself.empty()) {
      window = Xapian::Query(
          Xapian::Query::OP_AND_NOT, window,
          Xapian::Query(Xapian::Query::OP_OR, itself.begin(), itself.end()));
    }
    {
      Xapian::Enquire all(db_);
      all.set_query(window);
      response.set_candidates(static_cast<int32_t>(
          all.get_mset(0, 0, db_.get_doccount()).get_matches_estimated()));
    }
    if (profile.empty()) return response;  // nothing to compare by

    const size_t pool_size =
        std::max(kRelatedMinPool, kRelatedPoolFactor * count);
    Xapian::Enquire enquire(db_);
    enquire.set_query(
        Xapian::Query(Xapian::Query::OP_FILTER, profile.Query(), window));
    // Extra room for papers of the last year published after `before`.
    const Xapian::MSet matches = enquire.get_mset(0, pool_size * 2);
    LECTERN_RETURN_IF_ERROR(CheckRelatedDeadline(deadline));

    google::protobuf::RepeatedPtrField<v1::VenueMonth> months;
    for (v1::VenueMonth& month : DefaultVenueMonths()) {
      *months.Add() = std::move(month);
    }
    struct Candidate {
      Xapian::docid docid;
      std::shared_ptr<const v1::Paper> paper;
    };
    std::vector<Candidate> pool;
    std::vector<double> relevance;
    for (auto it = matches.begin();
         it != matches.end() && pool.size() < pool_size; ++it) {
      LECTERN_ASSIGN_OR_RETURN(std::shared_ptr<const v1::Paper> paper,
                               cache_.Paper(*it, it.get_document()));
      if (before) {
        const std::optional<PublicationDate> published =
            PublicationDateOf(paper->venue(), paper->year(), months);
        if (published && published->day > *before) continue;
      }
      pool.push_back({*it, std::move(paper)});
      relevance.push_back(it.get_weight() / matches.get_max_attained());
    }
    std::vector<TermVector> vectors;
    vectors.reserve(pool.size());
    for (const Candidate& candidate : pool) {
      vectors.push_back(TermVectorOf(content, candidate.docid));
    }
    const TermVector seed_vector = CombinedTermVector(content, seed.documents);
    LECTERN_RETURN_IF_ERROR(CheckRelatedDeadline(deadline));

    for (const DiversePick& pick : MaximalMarginalRelevance(
             relevance, vectors, count, options_.diversity_weight)) {
      const Candidate& candidate = pool[pick.index];
      v1::RelatedPaper* out = response.add_related();
      *out->mutable_paper() = *candidate.paper;
      out->set_score(pick.score);
      for (const ProfileTerm* term :
           profile.TermsIn(content, candidate.docid)) {
        if (static_cast<size_t>(out->evidence_size()) >= kEvidenceTerms) break;
        out->add_evidence(term->word);
      }
      out->set_similarity(Cosine(seed_vector, vectors[pick.index]));
      out->set_relevance_rank(static_cast<int32_t>(pick.index + 1));
      if (pick.similar_to != SIZE_MAX) {
        out->set_similar_to(pool[pick.similar_to].paper->id());
        out->set_diversity_penalty(options_.diversity_weight * pick.similarity);
      }
      LECTERN_ASSIGN_OR_RETURN(Presentations presented,
                               PresentationsOf(db_, candidate.paper->id()));
      for (v1::Session& session : presented.sessions) {
        *out->add_sessions() = std::move(session);
      }
      for (const v1::Summary& summary : presented.summaries) {
        *out->add_summaries() = SummaryRefOf(summary);
      }
    }
    return response;
  }

 private:
  static absl::Status Validate(const v1::RelatedWorkRequest& request) {
    if (absl::StripAsciiWhitespace(request.paper()).empty()) {
      return absl::InvalidArgumentError(
          "paper: expects a catalog id, a title, or words from one");
    }
    if (request.years() < 0 || request.years() > kMaxRelatedYears) {
      return absl::InvalidArgumentError(
          absl::StrCat("years: expects 1 to ", kMaxRelatedYears, " (0 for ",
                       kDefaultRelatedYears, "), got ", request.years()));
    }
    if (request.count() < 0 || request.count() > kMaxRelatedCount) {
      return absl::InvalidArgumentError(
          absl::StrCat("count: expects 1 to ", kMaxRelatedCount, " (0 for ",
                       kDefaultRelatedCount, "), got ", request.count()));
    }
    if (!request.before().empty() && !ParseIsoDate(request.before())) {
      return absl::InvalidArgumentError(
          absl::StrCat("before: expects a date like 2024-10-15, got '",
                       request.before(), "'"));
    }
    for (const std::string& venue : request.venues()) {
      if (absl::StripAsciiWhitespace(venue).empty()) {
        return absl::InvalidArgumentError("venues: empty venue name");
      }
    }
    return absl::OkStatus();
  }

  absl::StatusOr<Seed> CatalogSeed(const Xapian::Document& doc) {
    Seed seed;
    const Xapian::docid docid = DocidIn(db_, doc);
    LECTERN_ASSIGN_OR_RETURN(std::shared_ptr<const v1::Paper> paper,
                             cache_.Paper(docid, doc));
    seed.paper = *paper;
    seed.documents.push_back(docid);
    LECTERN_ASSIGN_OR_RETURN(Presentations presented,
                             PresentationsOf(db_, seed.paper.id()));
    seed.sessions = std::move(presented.sessions);
    seed.summaries = std::move(presented.summaries);
    AddSessionDocuments(&seed);
    return seed;
  }

  // A paper known from a schedule only: every session of it (by title
  // key) and their summaries; the catalog record when the session links
  // one after all.
  absl::StatusOr<Seed> SessionSeed(const Xapian::Document& doc) {
    LECTERN_ASSIGN_OR_RETURN(v1::Session session,
                             DecodeRecord<v1::Session>(doc));
    if (!session.paper().paper_id().empty()) {
      if (std::optional<Xapian::Document> paper =
              FindById(db_, schema::kTypePaper, session.paper().paper_id())) {
        return CatalogSeed(*paper);
      }
    }
    Seed seed;
    seed.paper = PaperOfSession(session);
    const std::vector<Xapian::Document> same_paper =
        seed.paper.title_key().empty()
            ? std::vector<Xapian::Document>{doc}
            : DocumentsWithTerm(
                  db_, schema::kTypeSession,
                  schema::Term(schema::kTitleKey, seed.paper.title_key()));
    for (const Xapian::Document& session_doc : same_paper) {
      LECTERN_ASSIGN_OR_RETURN(v1::Session presented,
                               DecodeRecord<v1::Session>(session_doc));
      for (const Xapian::Document& summary_doc : DocumentsWithTerm(
               db_, schema::kTypeSummary,
               schema::Term(schema::kSessionLink, presented.id()))) {
        LECTERN_ASSIGN_OR_RETURN(v1::Summary summary,
                                 DecodeRecord<v1::Summary>(summary_doc));
        seed.summaries.push_back(std::move(summary));
      }
      seed.sessions.push_back(std::move(presented));
    }
    std::sort(seed.sessions.begin(), seed.sessions.end(), SessionBefore);
    AddSessionDocuments(&seed);
    return seed;
  }

  void AddSessionDocuments(Seed* seed) const {
    for (const v1::Session& session : seed->sessions) {
      if (auto docid = FindDocid(db_, schema::kTypeSession, session.id())) {
        seed->documents.push_back(*docid);
      }
    }
    for (const v1::Summary& summary : seed->summaries) {
      if (auto docid = FindDocid(db_, schema::kTypeSummary, summary.id())) {
        seed->documents.push_back(*docid);
      }
    }
  }

  const Xapian::Database& db_;
  QueryBuilder& query_builder_;
  SuggestCache& cache_;
  const RelatedWorkOptions& options_;
};

}  // namespace

RelatedWorkFinder::RelatedWorkFinder(const Xapian::Database& db,
                                     QueryBuilder* query_builder,
                                     SuggestCache* cache,
                                     RelatedWorkOptions options)
    : db_(db),
      query_builder_(query_builder),
      cache_(cache),
      options_(options) {}

absl::StatusOr<v1::RelatedWorkResponse> RelatedWorkFinder::Find(
    const v1::RelatedWorkRequest& request, absl::Time deadline) {
  SuggestCache own_cache;
  SuggestCache& cache = cache_ != nullptr ? *cache_ : own_cache;
  cache.Refresh(db_);
  return Finder(db_, *query_builder_, cache, options_).Find(request, deadline);
}

}  // namespace lectern
