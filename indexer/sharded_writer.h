// Writes a corpus as a sharded index (shard_map.h): under `root`, a home
// database and `shards` catalog shards, one writer thread each.
#ifndef LECTERN_INDEXER_SHARDED_WRITER_H_
#define LECTERN_INDEXER_SHARDED_WRITER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "indexer/corpus.h"
#include "indexer/index_writer.h"

namespace lectern {

struct ShardedIndexReport {
  IndexReport home;
  std::vector<IndexReport> shards;

  // The sums over every part (removed groups are the home's).
  IndexReport Total() const;
};

// Applies `corpus` to HomeFolder(root) and ShardFolder(root, k) for every
// k < shards, each part in its own thread and its own transaction, then
// completes the home database (IndexWriter::CompleteHome). The index is a
// function of the input, as with one database: a run that fails part-way
// leaves each part in its previous or its new state, and running again
// converges. `progress` hears ("writing", documents done, documents) over
// all parts. InvalidArgument when `shards` < 1; a part's errors otherwise
// (IndexWriter::Open, Apply), naming the part.
absl::StatusOr<ShardedIndexReport> WriteShardedIndex(
    const std::string& root, int shards, const Corpus& corpus,
    const ProgressCallback& progress = nullptr);

}  // namespace lectern

#endif  // LECTERN_INDEXER_SHARDED_WRITER_H_
