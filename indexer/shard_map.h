// A sharded index: the catalog's papers split over N Xapian databases
// ("shards", each served by xapian-tcpsrv on its hosts) beside one "home"
// database that holds everything else: groups, sessions, Q&A summaries,
// synonyms, and the spelling dictionary of all documents. A reader opens
// the home database locally and each shard through Xapian's remote
// backend, as one Xapian::Database; docs/SCALING.md says why it is split
// this way.
//
// The shard map names where each shard is served: one line per shard, in
// shard order, listing its replicas as HOST:PORT, tried in turn.
//
//   # lectern shard map
//   127.0.0.1:7001 127.0.0.1:7011
//   127.0.0.1:7002 127.0.0.1:7012
#ifndef LECTERN_INDEXER_SHARD_MAP_H_
#define LECTERN_INDEXER_SHARD_MAP_H_

#include <xapian.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace lectern {

struct ShardReplica {
  std::string host;
  int port = 0;

  std::string ToString() const;
};

struct ShardMap {
  // shards[k]: the replicas of shard k, in the order they are tried.
  std::vector<std::vector<ShardReplica>> shards;
  // How long a replica may take to accept a connection before the next
  // one is tried, and to answer once connected.
  absl::Duration connect_timeout = absl::Seconds(1);
  absl::Duration timeout = absl::Seconds(10);
};

// Reads a shard map. InvalidArgument naming file:line for a malformed
// line, NotFound for a missing file.
absl::StatusOr<ShardMap> LoadShardMap(const std::string& path);
absl::StatusOr<ShardMap> ParseShardMap(absl::string_view text,
                                       absl::string_view file_name);

// The shard (0 .. shards - 1) that holds catalog paper `paper_id`: a
// stable hash of the id, the same on every machine and every run.
int ShardOfPaper(absl::string_view paper_id, int shards);

// Folder names of a sharded index's masters under its root folder, as
// lectern-index --shards writes them: "home", "shard-0", "shard-1", …
std::string HomeFolder(const std::string& root);
std::string ShardFolder(const std::string& root, int shard);

// The home database `home` (opened from `home_path`) and, after it, every
// shard of `map` through the remote backend, as one database; it shares
// `home`'s handle, so reopening either reopens both. Shard k is first tried at
// replica (first_replica + k) % replicas, so readers given different
// `first_replica` spread over the replicas; a replica that does not
// answer is skipped for the next. FailedPrecondition when the home
// database records another shard count than the map has; Unavailable
// naming every replica tried when a shard has none that answers.
absl::StatusOr<Xapian::Database> OpenShardedDatabase(
    const Xapian::Database& home, const std::string& home_path,
    const ShardMap& map, size_t first_replica);

}  // namespace lectern

#endif  // LECTERN_INDEXER_SHARD_MAP_H_
