// Related work for a paper: catalog papers about the same things,
// published in the years before it, for the presenter's overview of the
// field. The paper's text (title, abstract) and what the groups wrote about
// it (its session records and Q&A summaries) become one tf-idf term vector
// (InterestProfile); its heaviest terms query the catalog, and a diversity
// pass (MMR) keeps the list from being one cluster. Each result carries the
// shared terms as evidence and the sessions that already presented it.
// docs/RELATED.md explains the method and how it was measured.
//
// Reads the index only; no gRPC. Thread-compatible, like Searcher, which
// owns one per thread.
#ifndef LECTERN_INDEXER_RELATED_WORK_H_
#define LECTERN_INDEXER_RELATED_WORK_H_

#include <xapian.h>

#include <cstddef>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "indexer/query.h"
#include "indexer/suggester.h"
#include "lectern/v1/lectern.pb.h"

namespace lectern {

// Years to reach back and papers to return when a request gives none, and
// the most it may ask for.
inline constexpr int kDefaultRelatedYears = 3;
inline constexpr int kMaxRelatedYears = 50;
inline constexpr int kDefaultRelatedCount = 10;
inline constexpr int kMaxRelatedCount = 50;

// How the list is made; the defaults are what docs/RELATED.md measured
// best. lectern-eval varies them to compare.
struct RelatedWorkOptions {
  // Terms of the paper's vector that query the catalog.
  size_t key_terms = 80;
  // The diversity pass: a candidate's relevance (1 for the best) loses
  // this times its cosine similarity to the closest paper already listed;
  // 0 lists by relevance alone.
  double diversity_weight = 0.15;
};

class RelatedWorkFinder {
 public:
  // All must outlive the finder; `cache` may be null.
  RelatedWorkFinder(const Xapian::Database& db, QueryBuilder* query_builder,
                    SuggestCache* cache = nullptr,
                    RelatedWorkOptions options = {});

  // As the Lectern.RelatedWork RPC documents it. InvalidArgument for an
  // empty paper, years or count out of range, a malformed date or venue;
  // NotFound when nothing names the paper; DeadlineExceeded past
  // `deadline`.
  absl::StatusOr<v1::RelatedWorkResponse> Find(
      const v1::RelatedWorkRequest& request,
      absl::Time deadline = absl::InfiniteFuture());

 private:
  const Xapian::Database& db_;
  QueryBuilder* query_builder_;
  SuggestCache* cache_;
  RelatedWorkOptions options_;
};

}  // namespace lectern

#endif  // LECTERN_INDEXER_RELATED_WORK_H_
