// Reads the index: search, sessions by date, groups and counts.
//
// Thread-compatible, not thread-safe: a Searcher owns a Xapian::Database,
// so use one per thread (lecternd gives each worker its own). Every call
// first picks up commits made since the previous one.
#ifndef LECTERN_INDEXER_SEARCHER_H_
#define LECTERN_INDEXER_SEARCHER_H_

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "indexer/query.h"
#include "lectern/v1/lectern.pb.h"

namespace lectern {

struct SearchOptions {
  std::string query;  // see query.h
  int offset = 0;     // hits to skip
  int limit = 10;     // hits to return, 1..kMaxSearchLimit
};

inline constexpr int kMaxSearchLimit = 100;

struct SearchHit {
  std::string id;
  int rank = 0;  // 1-based over the whole result list
  double score = 0;
  std::string title;
  // HTML-escaped, matches wrapped in <mark>…</mark>.
  std::string snippet;
  v1::Session session;
};

struct SearchResult {
  std::vector<SearchHit> hits;
  int64_t total_estimate = 0;
  // True when hits follow beyond offset + limit.
  bool has_more = false;
};

struct GroupCounts {
  v1::Group group;
  int64_t sessions = 0;
  int64_t paper_sessions = 0;
  int64_t talks = 0;
  int64_t open_slots = 0;
  std::string first_date;
  std::string last_date;
};

struct IndexStats {
  int64_t documents = 0;
  int64_t sessions = 0;
  int64_t papers = 0;
  int64_t summaries = 0;
  int64_t people = 0;
  std::vector<GroupCounts> groups;
  uint64_t revision = 0;
};

class Searcher {
 public:
  // Opens the index at `path` read-only. NotFound when there is no index
  // there, Unavailable when it cannot be opened.
  static absl::StatusOr<std::unique_ptr<Searcher>> Open(
      const std::string& path);

  // Ranked by BM25 relevance, ties newest first. InvalidArgument for a
  // malformed query or out-of-range offset/limit.
  absl::StatusOr<SearchResult> Search(const SearchOptions& options);

  // Sessions of `group_id` on `date` (YYYY-MM-DD) by ordinal, or just the
  // one with `ordinal` when it is not 0. InvalidArgument for a malformed
  // date; NotFound for an unknown group or a date with no session.
  absl::StatusOr<std::vector<v1::Session>> GetSessions(
      absl::string_view group_id, absl::string_view date, int ordinal);

  // NotFound for an unknown group.
  absl::StatusOr<v1::Group> GetGroup(absl::string_view group_id);

  absl::StatusOr<IndexStats> Stats();

 private:
  explicit Searcher(Xapian::Database db);

  // Runs `body`, reopening the database first and once more if a commit
  // overtook the read (DatabaseModifiedError).
  template <typename Body>
  auto WithFreshDatabase(Body body) -> decltype(body());

  absl::StatusOr<SearchResult> SearchOnce(const SearchOptions& options);
  absl::StatusOr<std::vector<v1::Session>> GetSessionsOnce(
      absl::string_view group_id, absl::string_view date, int ordinal);
  absl::StatusOr<v1::Group> GetGroupOnce(absl::string_view group_id);
  absl::StatusOr<IndexStats> StatsOnce();

  Xapian::Database db_;
  QueryBuilder query_builder_;
  Xapian::Stem stemmer_;
};

}  // namespace lectern

#endif  // LECTERN_INDEXER_SEARCHER_H_
