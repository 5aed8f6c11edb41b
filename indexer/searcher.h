// Reads the index: search over sessions, papers and summaries with their
// linked neighbours, sessions by date, papers by id, groups and counts.
//
// Thread-compatible, not thread-safe: a Searcher owns a Xapian::Database,
// so use one per thread (lecternd gives each worker its own). Every call
// first picks up commits made since the previous one.
#ifndef LECTERN_INDEXER_SEARCHER_H_
#define LECTERN_INDEXER_SEARCHER_H_

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "indexer/query.h"
#include "indexer/shard_map.h"
#include "indexer/snippet.h"
#include "indexer/suggester.h"
#include "lectern/v1/lectern.pb.h"

namespace lectern {

// Page size when a request gives none, and the most a page holds.
inline constexpr int kDefaultPageSize = 10;
inline constexpr int kMaxPageSize = 100;
// Values per facet when a request gives none, and the most it may ask.
inline constexpr int kDefaultFacetLimit = 10;
inline constexpr int kMaxFacetLimit = 100;

// Most wildcards a query (Search's, or Suggest's topic) may hold. Each
// stands for up to kMaxWildcardExpansion index words at match time, and
// the match's cost grows faster than their number: 250 of them in a
// 1024-byte query held a worker for over a minute.
inline constexpr int kMaxQueryWildcards = 10;

// Most distinct dates one Suggest request may ask for: each is ranked on
// its own (4000 dates took 15 s), and a group has far fewer open dates.
inline constexpr int kMaxSuggestDates = 100;

// Longest snippet of a hit, in bytes of its text.
inline constexpr size_t kSnippetBytes = 240;

// Sessions of one date with what they link to.
struct SessionDetails {
  std::vector<v1::Session> sessions;  // by ordinal
  v1::Group group;
  std::vector<v1::Paper> papers;       // their catalog papers
  std::vector<v1::Summary> summaries;  // their summaries
};

// A paper with every session that presented it.
struct PaperDetails {
  v1::Paper paper;
  std::vector<v1::Session> sessions;   // oldest first
  std::vector<v1::Summary> summaries;  // of the paper's sessions
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
  // When that revision was committed (schema::kMetaCommittedAt); empty when
  // the index does not record it.
  std::string committed_at;
};

class Searcher {
 public:
  // Opens the index at `path` read-only. NotFound when there is no index
  // there, Unavailable when it cannot be opened.
  //
  // With `shards`, `path` is the home database of a sharded index and the
  // catalog is read from the shards' replicas (OpenShardedDatabase, which
  // `first_replica` is passed to, and its errors). When a replica stops
  // answering, the call in progress reconnects to the shard's other
  // replicas and runs again.
  static absl::StatusOr<std::unique_ptr<Searcher>> Open(
      const std::string& path, std::shared_ptr<const ShardMap> shards = nullptr,
      size_t first_replica = 0);

  // Search as the Lectern.Search RPC documents it (lectern.proto): query
  // and filters, sort, facets, collapse, spelling and paging.
  // InvalidArgument for a malformed query, filter or page token (or one
  // issued for another query), or a query with more than
  // kMaxQueryWildcards wildcards; DeadlineExceeded when the work runs past
  // `deadline`.
  absl::StatusOr<v1::SearchResponse> Search(
      const v1::SearchRequest& request,
      absl::Time deadline = absl::InfiniteFuture());

  // Sessions of `group_id` on `date` (YYYY-MM-DD), or just the one with
  // `ordinal` when it is not 0. InvalidArgument for a malformed date;
  // NotFound for an unknown group or a date with no session.
  absl::StatusOr<SessionDetails> GetSessions(absl::string_view group_id,
                                             absl::string_view date,
                                             int ordinal);

  // InvalidArgument for an empty id; NotFound for an unknown one.
  absl::StatusOr<PaperDetails> GetPaper(absl::string_view paper_id);

  // NotFound for an unknown group.
  absl::StatusOr<v1::Group> GetGroup(absl::string_view group_id);

  absl::StatusOr<IndexStats> Stats();

  // A group's timeline, as the Lectern.GetSchedule RPC documents it.
  // InvalidArgument for an empty group; NotFound for an unknown one.
  absl::StatusOr<v1::GetScheduleResponse> GetSchedule(
      absl::string_view group_id);

  // Open dates of a group, as the Lectern.ListOpenDates RPC documents it.
  // InvalidArgument for a malformed bound; NotFound for an unknown group.
  absl::StatusOr<v1::ListOpenDatesResponse> ListOpenDates(
      const v1::ListOpenDatesRequest& request);

  // Suggestions (or, with `explain`, one paper's eligibility) as the
  // Lectern.Suggest RPC documents it. InvalidArgument for malformed dates
  // or rules looser than the group's, a topic with more than
  // kMaxQueryWildcards wildcards, more than kMaxSuggestDates distinct
  // dates; NotFound for an unknown group or an
  // explained paper that matches nothing; FailedPrecondition for a date
  // that already has a paper; DeadlineExceeded past `deadline`.
  absl::StatusOr<v1::SuggestResponse> Suggest(
      const v1::SuggestRequest& request,
      absl::Time deadline = absl::InfiniteFuture());

  // Related papers as the Lectern.RelatedWork RPC documents it (see
  // RelatedWorkFinder::Find for the errors).
  absl::StatusOr<v1::RelatedWorkResponse> RelatedWork(
      const v1::RelatedWorkRequest& request,
      absl::Time deadline = absl::InfiniteFuture());

  // One person's sessions, and everyone by their last main presentation,
  // as people.h describes; an empty as_of is today (UTC).
  absl::StatusOr<v1::GetPersonResponse> GetPerson(
      const v1::GetPersonRequest& request);
  absl::StatusOr<v1::ListPeopleResponse> ListPeople(
      const v1::ListPeopleRequest& request);

  // Suggester::Replay on the current revision (for lectern-eval).
  absl::StatusOr<std::vector<ReplayCase>> Replay(absl::string_view group_id);

 private:
  Searcher(std::string path, Xapian::Database db, Xapian::Database home,
           std::shared_ptr<const ShardMap> shards, size_t first_replica);

  // Opens the sharded index again, each shard from the replica after the
  // one it was read from: the old connections are broken.
  absl::Status Reconnect();

  // Runs `body`, reopening the database first and again, after a short
  // back-off, each time a commit overtook the read (DatabaseModifiedError),
  // a bounded number of times.
  template <typename Body>
  auto WithFreshDatabase(Body body) -> decltype(body());

  absl::StatusOr<v1::SearchResponse> SearchOnce(
      const v1::SearchRequest& request, absl::Time deadline);
  // The query of `text` (every record when empty) with the request's
  // filters, skipping the one of `except_facet`.
  static Xapian::Query FullQuery(
      const Xapian::Query& text_query,
      const std::vector<std::pair<v1::Facet, Xapian::Query>>& filters,
      v1::Facet except_facet);
  absl::Status FillHit(const Xapian::MSetIterator& item,
                       const HighlightTerms& highlight, v1::SearchHit* hit);
  // Picks up the synonyms of the current revision.
  void LoadSynonyms();
  absl::StatusOr<SessionDetails> GetSessionsOnce(absl::string_view group_id,
                                                 absl::string_view date,
                                                 int ordinal);
  absl::StatusOr<PaperDetails> GetPaperOnce(absl::string_view paper_id);
  absl::StatusOr<v1::GetScheduleResponse> GetScheduleOnce(
      absl::string_view group_id);
  absl::StatusOr<v1::Group> GetGroupOnce(absl::string_view group_id);
  absl::StatusOr<IndexStats> StatsOnce();

  // The database holding the records of `type`: on a sharded index, the
  // home database for all but papers, so looking them up costs no round
  // trip to the shards.
  const Xapian::Database& Holding(absl::string_view type) const;
  // The document with a unique id term, if any.
  std::optional<Xapian::Document> FindById(absl::string_view type,
                                           absl::string_view id);
  // Documents of `type` that carry `link_term`.
  std::vector<Xapian::Document> Linked(absl::string_view type,
                                       const std::string& link_term);
  absl::Status FillLinks(v1::SearchHit* hit);

  const std::string path_;
  const std::shared_ptr<const ShardMap> shards_;  // null: one database
  size_t first_replica_;
  Xapian::Database db_;
  // The home database alone: db_ itself, or the first part of a sharded
  // db_, sharing its handle.
  Xapian::Database home_;
  QueryBuilder query_builder_;
  SnippetMaker snippets_;
  SuggestCache suggest_cache_;
  // The serialized synonyms the query builder has.
  std::string synonyms_;
};

}  // namespace lectern

#endif  // LECTERN_INDEXER_SEARCHER_H_
