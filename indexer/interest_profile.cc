#include "indexer/interest_profile.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "indexer/schema.h"

namespace lectern {
namespace {

// English stopwords (Snowball's list, stemmed as the index stems them)
// and words every paper abstract uses: they say nothing about a topic.
bool IsFillerStem(absl::string_view stem) {
  static const auto* const kFiller = [] {
    const char* const kWords[] = {
        // Snowball English stopwords.
        "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you",
        "your", "yours", "yourself", "yourselves", "he", "him", "his",
        "himself", "she", "her", "hers", "herself", "it", "its", "itself",
        "they", "them", "their", "theirs", "themselves", "what", "which", "who",
        "whom", "this", "that", "these", "those", "am", "is", "are", "was",
        "were", "be", "been", "being", "have", "has", "had", "having", "do",
        "does", "did", "doing", "would", "should", "could", "ought", "a", "an",
        "the", "and", "but", "if", "or", "because", "as", "until", "while",
        "of", "at", "by", "for", "with", "about", "against", "between", "into",
        "through", "during", "before", "after", "above", "below", "to", "from",
        "up", "down", "in", "out", "on", "off", "over", "under", "again",
        "further", "then", "once", "here", "there", "when", "where", "why",
        "how", "all", "any", "both", "each", "few", "more", "most", "other",
        "some", "such", "no", "nor", "not", "only", "own", "same", "so", "than",
        "too", "very", "can", "will", "just", "also", "however", "thus",
        "therefore", "via", "per", "within", "without", "across", "among",
        "upon", "yet", "still", "even", "many", "much", "may", "might", "must",
        "well", "one", "two", "three", "new",
        // What every abstract says.
        "paper", "propose", "present", "presents", "show", "shows", "achieve",
        "achieves", "improve", "improves", "evaluate", "evaluation", "result",
        "results", "approach", "introduce", "design", "implement",
        "implementation", "compare", "compared", "existing", "state", "art",
        "use", "using", "used", "based", "work", "key", "novel", "significant",
        "significantly", "up", "times", "respectively", "outperform",
        "outperforms", "prior", "demonstrate", "enable", "enables", "provide",
        "provides", "make", "makes", "different", "various", "like",
        "including", "first", "however", "further"};
    auto* stems = new std::unordered_set<std::string>;
    const Xapian::Stem stemmer(schema::kStemLanguage);
    for (const char* word : kWords) {
      stems->insert(word);
      stems->insert(stemmer(word));
    }
    return stems;
  }();
  return kFiller->count(std::string(stem)) > 0;
}

bool IsLowerAsciiWord(absl::string_view word) {
  if (word.size() < 3) return false;
  for (char c : word) {
    if (c < 'a' || c > 'z') return false;
  }
  return true;
}

}  // namespace

bool IsContentTerm(absl::string_view term) {
  if (term.size() < 4 || term[0] != 'Z') return false;
  const absl::string_view stem = term.substr(1);
  return IsLowerAsciiWord(stem) && !IsFillerStem(stem);
}

ContentTerms::ContentTerms(const Xapian::Database& db) : db_(db) {
  const std::string type_term =
      schema::Term(schema::kType, schema::kTypeSummary);
  const double summaries = db.get_termfreq(type_term);
  if (summaries < kGenreMinSummaries) return;
  std::unordered_map<std::string, int> in_summaries;
  for (auto p = db.postlist_begin(type_term); p != db.postlist_end(type_term);
       ++p) {
    auto t = db.termlist_begin(*p);
    t.skip_to("Z");
    for (; t != db.termlist_end(*p); ++t) {
      const std::string term = *t;
      if (term[0] != 'Z') break;
      if (IsContentTerm(term)) ++in_summaries[term];
    }
  }
  for (const auto& [term, count] : in_summaries) {
    if (count > kGenreShare * summaries) genre_.insert(term);
  }
}

ContentTerms::Document& ContentTerms::DocumentOf(Xapian::docid docid) const {
  auto [memo, inserted] = memo_.try_emplace(docid);
  Document& document = memo->second;
  if (!inserted) return document;
  document.summary = db_.get_document(docid).get_value(schema::kSlotType) ==
                     schema::kTypeSummary;
  const std::string title = absl::StrCat("Z", schema::kTitle);
  const std::string abstract = absl::StrCat("Z", schema::kAbstract);
  auto t = db_.termlist_begin(docid);
  t.skip_to("Z");
  for (; t != db_.termlist_end(docid); ++t) {
    const std::string term = *t;
    if (term[0] != 'Z') break;
    absl::string_view stem = term;
    if (absl::ConsumePrefix(&stem, abstract) ||
        absl::ConsumePrefix(&stem, title)) {
      // A title or abstract term.
    } else if (document.summary) {
      stem.remove_prefix(1);
    } else {
      continue;
    }
    std::string unprefixed = absl::StrCat("Z", stem);
    if (!IsContentTerm(unprefixed)) continue;
    if (document.summary && genre_.count(unprefixed)) continue;
    document.stems[std::move(unprefixed)] += t.get_wdf();
  }
  return document;
}

const std::map<std::string, Xapian::termcount>& ContentTerms::Of(
    Xapian::docid docid) const {
  return DocumentOf(docid).stems;
}

bool ContentTerms::IsSummary(Xapian::docid docid) const {
  return DocumentOf(docid).summary;
}

const std::vector<std::pair<std::string, double>>& ContentTerms::WeightsOf(
    Xapian::docid docid) const {
  Document& document = DocumentOf(docid);
  if (!document.weights) {
    const double n_docs = db_.get_doccount();
    auto& weights = document.weights.emplace();
    weights.reserve(document.stems.size());
    for (const auto& [term, wdf] : document.stems) {
      const double idf = std::log(
          n_docs / std::max<Xapian::doccount>(1, db_.get_termfreq(term)));
      weights.emplace_back(term,
                           (1 + std::log(static_cast<double>(wdf))) * idf);
    }
  }
  return *document.weights;
}

const std::vector<std::pair<std::string, std::string>>& ContentTerms::WordsOf(
    Xapian::docid docid) const {
  Document& document = DocumentOf(docid);
  if (!document.words) {
    const Xapian::Stem stemmer(schema::kStemLanguage);
    auto& words = document.words.emplace();
    for (auto t = db_.termlist_begin(docid); t != db_.termlist_end(docid);
         ++t) {
      const std::string term = *t;
      if (IsLowerAsciiWord(term)) words.emplace_back("Z" + stemmer(term), term);
    }
  }
  return *document.words;
}

InterestProfile InterestProfile::Build(const ContentTerms& content,
                                       std::vector<InterestSource> sources,
                                       size_t max_terms) {
  InterestProfile profile;
  profile.sources_ = std::move(sources);
  if (profile.sources_.empty()) return profile;

  // Rocchio: the recency-weighted sum of the sessions' normalized tf-idf
  // vectors. Normalizing per session keeps a long summary from outweighing
  // a paper's abstract, and terms several sessions share add up.
  std::map<std::string, double> centroid;
  std::map<std::string, std::vector<size_t>> holders;
  std::unordered_map<std::string, std::map<std::string, int>> words;
  for (size_t i = 0; i < profile.sources_.size(); ++i) {
    const InterestSource& source = profile.sources_[i];
    std::map<std::string, double> weights;
    for (Xapian::docid docid : source.documents) {
      const double share = content.IsSummary(docid) ? kSummaryShare : 1.0;
      for (const auto& [term, weight] : TermVectorOf(content, docid)) {
        weights[term] += share * weight;
      }
      for (const auto& [stem, word] : content.WordsOf(docid)) {
        ++words[stem][word];
      }
    }
    double norm = 0;
    for (const auto& [term, weight] : weights) norm += weight * weight;
    if (norm <= 0) continue;
    norm = std::sqrt(norm);
    for (const auto& [term, weight] : weights) {
      centroid[term] += source.weight * weight / norm;
      holders[term].push_back(i);
    }
  }

  std::vector<std::pair<std::string, double>> scored(centroid.begin(),
                                                     centroid.end());
  // Deterministic: ties go to the term that sorts first.
  std::sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (scored.size() > max_terms) scored.resize(max_terms);
  for (const auto& [stem_term, weight] : scored) {
    ProfileTerm& term = profile.terms_.emplace_back();
    term.term = stem_term;
    term.weight = weight / scored.front().second;
    term.sources = holders[stem_term];
    // The commonest surface form; the stem itself when none was seen.
    term.word = stem_term.substr(1);
    int best = 0;
    for (const auto& [word, count] : words[stem_term]) {
      if (count > best) {
        best = count;
        term.word = word;
      }
    }
  }
  return profile;
}

Xapian::Query InterestProfile::Query() const {
  std::vector<Xapian::Query> parts;
  parts.reserve(terms_.size());
  for (const ProfileTerm& term : terms_) {
    parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(term.term),
                       term.weight);
  }
  return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

std::vector<const ProfileTerm*> InterestProfile::TermsIn(
    const ContentTerms& content, Xapian::docid docid) const {
  std::vector<const ProfileTerm*> found;
  if (terms_.empty()) return found;
  std::unordered_map<std::string, const ProfileTerm*> by_term;
  for (const ProfileTerm& term : terms_) by_term[term.term] = &term;
  for (const auto& [term, wdf] : content.Of(docid)) {
    auto it = by_term.find(term);
    if (it != by_term.end()) found.push_back(it->second);
  }
  std::sort(found.begin(), found.end(),
            [](const ProfileTerm* a, const ProfileTerm* b) {
              return a->weight != b->weight ? a->weight > b->weight
                                            : a->term < b->term;
            });
  return found;
}

std::vector<size_t> InterestProfile::SourcesSharing(
    const std::vector<const ProfileTerm*>& terms, size_t limit) const {
  std::vector<double> shared(sources_.size(), 0);
  for (const ProfileTerm* term : terms) {
    for (size_t source : term->sources) shared[source] += term->weight;
  }
  std::vector<size_t> order;
  for (size_t i = 0; i < shared.size(); ++i) {
    if (shared[i] > 0) order.push_back(i);
  }
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return shared[a] != shared[b] ? shared[a] > shared[b] : a < b;
  });
  if (order.size() > limit) order.resize(limit);
  return order;
}

namespace {

class CandidateDecider : public Xapian::MatchDecider {
 public:
  explicit CandidateDecider(const std::unordered_set<Xapian::docid>& ids)
      : ids_(ids) {}
  bool operator()(const Xapian::Document& doc) const override {
    return ids_.count(doc.get_docid()) > 0;
  }

 private:
  const std::unordered_set<Xapian::docid>& ids_;
};

// A posting source over a fixed list of documents, for filtering on it.
class DocidList : public Xapian::PostingSource {
 public:
  explicit DocidList(std::vector<Xapian::docid> docids)
      : docids_(std::move(docids)) {
    std::sort(docids_.begin(), docids_.end());
  }
  Xapian::doccount get_termfreq_min() const override { return size(); }
  Xapian::doccount get_termfreq_est() const override { return size(); }
  Xapian::doccount get_termfreq_max() const override { return size(); }
  void init(const Xapian::Database&) override { at_ = -1; }
  void next(double) override { ++at_; }
  void skip_to(Xapian::docid docid, double) override {
    const auto from = docids_.begin() + std::max<ptrdiff_t>(at_, 0);
    at_ = std::lower_bound(from, docids_.end(), docid) - docids_.begin();
  }
  bool at_end() const override {
    return at_ >= static_cast<ptrdiff_t>(docids_.size());
  }
  Xapian::docid get_docid() const override { return docids_[at_]; }
  std::string get_description() const override { return "DocidList"; }

 private:
  Xapian::doccount size() const {
    return static_cast<Xapian::doccount>(docids_.size());
  }
  std::vector<Xapian::docid> docids_;
  ptrdiff_t at_ = -1;
};

}  // namespace

std::unordered_map<Xapian::docid, double> ScoreCandidates(
    const Xapian::Database& db, const Xapian::Query& query,
    const std::unordered_set<Xapian::docid>& candidates) {
  std::unordered_map<Xapian::docid, double> scores;
  if (query.empty() || candidates.empty()) return scores;
  Xapian::Enquire enquire(db);
  // The candidates as a filter: Xapian skips from one to the next instead
  // of weighting every document the query matches. A filter adds no
  // weight, so the scores are the query's own.
  DocidList source(
      std::vector<Xapian::docid>(candidates.begin(), candidates.end()));
  enquire.set_query(
      Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(&source)));
  enquire.set_docid_order(Xapian::Enquire::ASCENDING);
  const CandidateDecider decider(candidates);
  Xapian::MSet mset;
  try {
    mset = enquire.get_mset(0, static_cast<Xapian::doccount>(candidates.size()),
                            nullptr, &decider);
  } catch (const Xapian::UnimplementedError&) {
    // A sharded index: xapian-tcpsrv runs neither a posting source nor a
    // decider of ours. Every match is scored there, the same BM25, and the
    // candidates are picked here.
    enquire.set_query(query);
    mset = enquire.get_mset(0, db.get_doccount());
  }
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    if (candidates.count(*it)) scores[*it] = it.get_weight();
  }
  return scores;
}

std::vector<std::string> MatchingTerms(const Xapian::Database& db,
                                       const Xapian::Query& query,
                                       Xapian::docid docid) {
  std::vector<std::string> terms;
  if (query.empty()) return terms;
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  for (auto t = enquire.get_matching_terms_begin(docid);
       t != enquire.get_matching_terms_end(docid); ++t) {
    terms.push_back(*t);
  }
  return terms;
}

namespace {

void AddTermsOf(const ContentTerms& content, Xapian::docid docid,
                std::map<std::string, double>* weights) {
  for (const auto& [term, weight] : content.WeightsOf(docid)) {
    (*weights)[term] += weight;
  }
}

TermVector Normalized(const std::map<std::string, double>& weights) {
  double norm = 0;
  for (const auto& [term, weight] : weights) norm += weight * weight;
  TermVector vector;
  if (norm <= 0) return vector;
  norm = std::sqrt(norm);
  vector.reserve(weights.size());
  for (const auto& [term, weight] : weights) {
    vector.emplace_back(term, weight / norm);
  }
  return vector;
}

}  // namespace

TermVector TermVectorOf(const ContentTerms& content, Xapian::docid docid) {
  std::map<std::string, double> weights;
  AddTermsOf(content, docid, &weights);
  return Normalized(weights);
}

TermVector CombinedTermVector(const ContentTerms& content,
                              const std::vector<Xapian::docid>& docids) {
  std::map<std::string, double> weights;
  for (Xapian::docid docid : docids) AddTermsOf(content, docid, &weights);
  return Normalized(weights);
}

double Cosine(const TermVector& a, const TermVector& b) {
  double dot = 0;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i].first < b[j].first) {
      ++i;
    } else if (b[j].first < a[i].first) {
      ++j;
    } else {
      dot += a[i++].second * b[j++].second;
    }
  }
  return std::clamp(dot, 0.0, 1.0);
}

std::vector<DiversePick> MaximalMarginalRelevance(
    const std::vector<double>& relevance,
    const std::vector<TermVector>& vectors, size_t count, double weight) {
  std::vector<DiversePick> picks;
  std::vector<bool> used(relevance.size(), false);
  count = std::min(count, relevance.size());
  while (picks.size() < count) {
    DiversePick best;
    bool found = false;
    for (size_t k = 0; k < relevance.size(); ++k) {
      if (used[k]) continue;
      DiversePick candidate;
      candidate.index = k;
      for (const DiversePick& pick : picks) {
        const double s = Cosine(vectors[k], vectors[pick.index]);
        if (s > candidate.similarity) {
          candidate.similarity = s;
          candidate.similar_to = pick.index;
        }
      }
      candidate.score = relevance[k] - weight * candidate.similarity;
      if (!found || candidate.score > best.score) {
        best = candidate;
        found = true;
      }
    }
    used[best.index] = true;
    picks.push_back(best);
  }
  return picks;
}

}  // namespace lectern
