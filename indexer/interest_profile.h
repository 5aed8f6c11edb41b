// What a set of past sessions is about, as weighted terms, and the
// similarity measures suggestions rank and diversify by. Works on the index
// (Xapian term lists and statistics); no gRPC. Thread-compatible.
//
// The profile is Rocchio's centroid: each past session (its paper, its
// record and its Q&A summaries) becomes one normalized tf-idf vector, the
// vectors are summed with weights that halve with the session's age, and
// the heaviest terms form an OR query, each scaled by its weight.
// docs/SUGGEST.md has the details and why this beat plain relevance
// feedback (RSet + get_eset) on the replayed schedules.
#ifndef LECTERN_INDEXER_INTEREST_PROFILE_H_
#define LECTERN_INDEXER_INTEREST_PROFILE_H_

#include <xapian.h>

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "absl/strings/string_view.h"

namespace lectern {

// True for the terms profiles and similarities use: the stemmed,
// unprefixed form of an English word of at least three letters ("Zcach").
bool IsContentTerm(absl::string_view term);

// Reads documents' content terms (as IsContentTerm's unprefixed stems)
// with their within-document frequencies: a paper's or session's title and
// abstract words (not the unprefixed copies, which also hold author and
// presenter names), a summary's text without the words of the genre (terms
// in more than kGenreShare of all summaries: "question", "answer", ...).
class ContentTerms {
 public:
  // Terms in more than this share of summaries (when there are at least
  // kGenreMinSummaries) are how summaries talk, not what they are about.
  static constexpr double kGenreShare = 0.4;
  static constexpr size_t kGenreMinSummaries = 3;

  // `db` must outlive this.
  explicit ContentTerms(const Xapian::Database& db);

  // Everything below is remembered per document: one suggestion reads the
  // same past sessions and candidates for every date it ranks.
  const std::map<std::string, Xapian::termcount>& Of(Xapian::docid docid) const;
  // The tf-idf weight of each content term of `docid`, (1 + ln wdf) × ln(N
  // / termfreq), in term order.
  const std::vector<std::pair<std::string, double>>& WeightsOf(
      Xapian::docid docid) const;
  // Each plain lowercase word of `docid` with its stemmed term ("Zcach",
  // "caching"), for naming a stem by the word people wrote.
  const std::vector<std::pair<std::string, std::string>>& WordsOf(
      Xapian::docid docid) const;
  bool IsSummary(Xapian::docid docid) const;
  // Documents remembered.
  size_t size() const { return memo_.size(); }

  const Xapian::Database& db() const { return db_; }

 private:
  struct Document {
    bool summary = false;
    std::map<std::string, Xapian::termcount> stems;
    std::optional<std::vector<std::pair<std::string, double>>> weights;
    std::optional<std::vector<std::pair<std::string, std::string>>> words;
  };
  Document& DocumentOf(Xapian::docid docid) const;

  const Xapian::Database& db_;
  std::unordered_set<std::string> genre_;
  mutable std::unordered_map<Xapian::docid, Document> memo_;
};

// A past session as evidence of interest.
struct InterestSource {
  // The documents that describe it: paper, session record, summaries.
  std::vector<Xapian::docid> documents;
  // In (0, 1]: 1 for the most recent, less for older ones.
  double weight = 1;
  // For explanations (e.g. a session id).
  std::string label;
};

struct ProfileTerm {
  std::string term;  // "Zcach"
  // The commonest unstemmed form in the sources ("cache").
  std::string word;
  // Query weight in (0, 1]; the strongest term has 1.
  double weight = 0;
  // Indexes of the sources that contain it.
  std::vector<size_t> sources;
};

class InterestProfile {
 public:
  // The `max_terms` heaviest terms of the centroid of `sources`; a
  // summary counts kSummaryShare of a paper within its session. Empty when
  // `sources` is.
  static constexpr double kSummaryShare = 0.5;
  static InterestProfile Build(const ContentTerms& content,
                               std::vector<InterestSource> sources,
                               size_t max_terms);

  bool empty() const { return terms_.empty(); }
  const std::vector<ProfileTerm>& terms() const { return terms_; }
  const std::vector<InterestSource>& sources() const { return sources_; }

  // OR of the terms, each scaled by its weight (BM25 inside).
  Xapian::Query Query() const;

  // The profile terms `docid` contains, strongest first.
  std::vector<const ProfileTerm*> TermsIn(const ContentTerms& content,
                                          Xapian::docid docid) const;

  // Indexes of the sources sharing the most weight of `terms`, best first,
  // at most `limit`.
  std::vector<size_t> SourcesSharing(
      const std::vector<const ProfileTerm*>& terms, size_t limit) const;

 private:
  std::vector<ProfileTerm> terms_;
  std::vector<InterestSource> sources_;
};

// BM25 score of each of `candidates` for `query`; documents that do not
// match are absent. Scores every candidate, however many.
std::unordered_map<Xapian::docid, double> ScoreCandidates(
    const Xapian::Database& db, const Xapian::Query& query,
    const std::unordered_set<Xapian::docid>& candidates);

// The query terms `docid` matched under `query` (as Enquire reports them).
std::vector<std::string> MatchingTerms(const Xapian::Database& db,
                                       const Xapian::Query& query,
                                       Xapian::docid docid);

// A document's content terms with tf-idf weights, L2-normalized, sorted by
// term: what cosine similarity compares.
using TermVector = std::vector<std::pair<std::string, double>>;
TermVector TermVectorOf(const ContentTerms& content, Xapian::docid docid);

// Sum of several documents' vectors, normalized (a session's paper and
// record together).
TermVector CombinedTermVector(const ContentTerms& content,
                              const std::vector<Xapian::docid>& docids);

// In [0, 1]; 0 when either is empty.
double Cosine(const TermVector& a, const TermVector& b);

// One pick of MaximalMarginalRelevance.
struct DiversePick {
  size_t index = 0;  // into the inputs
  // relevance - weight * similarity.
  double score = 0;
  // Cosine similarity to the closest earlier pick, and which one it is
  // (SIZE_MAX for the first pick or when nothing is similar).
  double similarity = 0;
  size_t similar_to = SIZE_MAX;
};

// Picks `count` items greedily, each time the one with the highest
// relevance minus `weight` times its similarity to the closest item
// already picked (Carbonell and Goldstein's MMR). Ties go to the earlier
// item, so relevance order breaks them.
std::vector<DiversePick> MaximalMarginalRelevance(
    const std::vector<double>& relevance,
    const std::vector<TermVector>& vectors, size_t count, double weight);

}  // namespace lectern

#endif  // LECTERN_INDEXER_INTEREST_PROFILE_H_
