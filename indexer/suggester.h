// Paper suggestions for a group's open dates: the group's rules decide
// which catalog papers qualify on each date, its past sessions (weighted
// towards recent ones), an optional topic and the slot's presenter decide
// how they rank, and a diversity pass keeps one date's list from being a
// single narrow topic. Every candidate says why it qualifies and why it
// ranks; any paper can be asked about. docs/SUGGEST.md explains the method.
//
// Reads the index only (sessions, papers, summaries and groups as the
// indexer wrote them); no gRPC. Thread-compatible: use one per thread,
// like Searcher, which owns one.
#ifndef LECTERN_INDEXER_SUGGESTER_H_
#define LECTERN_INDEXER_SUGGESTER_H_

#include <xapian.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "indexer/interest_profile.h"
#include "indexer/query.h"
#include "lectern/v1/lectern.pb.h"

namespace lectern {

// Candidates per date when a request gives no count, and the most it may
// ask for.
inline constexpr int kDefaultSuggestCount = 5;
inline constexpr int kMaxSuggestCount = 50;

// One past session replayed: the papers eligible on its date under the
// rules and the history before it, with the ranker's scores.
struct ReplayCase {
  v1::Session session;
  // False when the group's own choice breaks the rules as of that date
  // (e.g. a sibling group had already presented it); `reason` says which.
  bool eligible = false;
  std::string reason;
  struct Scored {
    std::string paper_id;
    double relevance = 0;
    // Days since the epoch of the publication date: newest-first's key.
    int64_t published = 0;
  };
  // Every eligible paper, the chosen one included when eligible.
  std::vector<Scored> papers;
};

// What suggestions read from one revision of the index and can reuse in
// the next call: decoded catalog papers and each document's content terms
// (ContentTerms). A Searcher keeps one per thread, so repeated suggestions
// skip the decoding and term reads. It starts over when the index moves to
// another revision, and when it grows past a bound.
class SuggestCache {
 public:
  SuggestCache();
  ~SuggestCache();

  // Makes the cache fit `db` as it is now; `db` must outlive the next
  // Refresh. The cache is kept while the same `db` has not been
  // invalidated since.
  void Refresh(const Xapian::Database& db);
  // Drops what the cache holds at the next Refresh: the caller's database
  // may have changed (Database::reopen() said so, or it was reopened).
  // Xapian 1.4 has no revision for a sharded database to compare.
  void Invalidate() { stale_ = true; }

  ContentTerms& content() { return *content_; }
  // The decoded record of paper `docid` (its id in the database the cache
  // fits), read from `doc` the first time.
  absl::StatusOr<std::shared_ptr<const v1::Paper>> Paper(
      Xapian::docid docid, const Xapian::Document& doc);

 private:
  const Xapian::Database* db_ = nullptr;
  bool stale_ = false;
  std::unique_ptr<ContentTerms> content_;
  std::unordered_map<Xapian::docid, std::shared_ptr<const v1::Paper>> papers_;
};

class Suggester {
 public:
  // Both must outlive the suggester; the index is read as it is when each
  // call starts. With a `cache`, what earlier calls read at the same
  // revision is reused; it must outlive the suggester too.
  Suggester(const Xapian::Database& db, QueryBuilder* query_builder,
            SuggestCache* cache = nullptr);

  // See Searcher::ListOpenDates.
  absl::StatusOr<v1::ListOpenDatesResponse> ListOpenDates(
      const v1::ListOpenDatesRequest& request);

  // See Searcher::Suggest.
  absl::StatusOr<v1::SuggestResponse> Suggest(
      const v1::SuggestRequest& request,
      absl::Time deadline = absl::InfiniteFuture());

  // For each of the group's sessions that presented a catalog paper, in
  // date order: the papers eligible on its date, judged with only the
  // sessions (of the group and its siblings) before that date, ranked as
  // Suggest ranks them with the session's presenters. NotFound for an
  // unknown group.
  absl::StatusOr<std::vector<ReplayCase>> Replay(absl::string_view group_id);

 private:
  struct Impl;
  const Xapian::Database& db_;
  QueryBuilder* query_builder_;
  SuggestCache* cache_;
};

}  // namespace lectern

#endif  // LECTERN_INDEXER_SUGGESTER_H_
