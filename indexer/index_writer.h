// Writes a Corpus into the Xapian index. The index is a function of the
// input: documents are keyed by their unique id term and replaced when they
// change, left alone when they do not, and deleted when their input no
// longer holds them. Every Apply() is one transaction: committed whole or
// not at all, so a reader (or a crash) sees the previous state or the new
// one, never a mix.
//
// Thread-compatible; holds Xapian's exclusive write lock while it exists.
#ifndef LECTERN_INDEXER_INDEX_WRITER_H_
#define LECTERN_INDEXER_INDEX_WRITER_H_

#include <xapian.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "indexer/corpus.h"

namespace lectern {

// Which documents of a corpus a writer keeps. A sharded index
// (shard_map.h) is written by one writer per part: its home database
// keeps the groups, sessions, summaries and synonyms, and shard k the
// catalog papers ShardOfPaper puts there.
struct IndexPart {
  enum class Kind { kWhole, kHome, kShard };
  Kind kind = Kind::kWhole;
  int shard = 0;
  int shards = 1;

  static IndexPart Home(int shards) { return {Kind::kHome, 0, shards}; }
  // Sessions, summaries, groups and synonyms: all but a shard's part.
  bool keeps_home_records() const { return kind != Kind::kShard; }
  // Its own spelling words: all but the home part (CompleteHome).
  bool keeps_spelling() const { return kind != Kind::kHome; }
  static IndexPart Shard(int shard, int shards) {
    return {Kind::kShard, shard, shards};
  }
};

struct IndexReport {
  int added = 0;
  int updated = 0;
  int unchanged = 0;
  int deleted = 0;
  // Groups removed from the index because the config no longer has them.
  std::vector<std::string> removed_groups;
  // Revision after the commit (unchanged when nothing changed).
  Xapian::rev revision = 0;
  int documents = 0;

  int changes() const { return added + updated + deleted; }
};

// One document of a corpus, as the writer builds it (index_writer.cc).
struct CorpusDocument;

class IndexWriter {
 public:
  // Opens the database at `path`, creating it (and its parent folders) if
  // needed. FailedPrecondition when another writer holds the lock or the
  // folder cannot be written (read-only); other errors as
  // XapianErrorToStatus.
  static absl::StatusOr<std::unique_ptr<IndexWriter>> Open(
      const std::string& path);

  // Upserts every group, session, paper and summary of `corpus` and
  // deletes the documents it no longer holds, except those whose origins
  // include one read with errors (Corpus::failed_origins); commits once.
  // `progress` hears ("writing", done, total). On error nothing of this
  // call is committed.
  absl::StatusOr<IndexReport> Apply(const Corpus& corpus,
                                    const ProgressCallback& progress = nullptr);

  // Writer threads for a new index. When the database is empty (nothing
  // ever written) and the corpus holds at least 2 × `min_per_thread`
  // documents, Apply has up to `threads` threads each build a contiguous
  // slice of the documents into its own temporary database, then merges
  // the slices with Xapian's compactor, which numbers the documents as a
  // single writer would: the index is the same, term for term. `progress`
  // then also hears ("merging", tables done, tables). 1, the default,
  // writes everything in the calling thread; an index that holds anything
  // is always updated in place, in one transaction.
  void set_threads(int threads, size_t min_per_thread = 1000) {
    threads_ = threads;
    min_per_thread_ = min_per_thread;
  }

  // Keeps only the documents of `part` from now on (the whole corpus by
  // default). A home part keeps no spelling words of its own: its
  // dictionary is written by CompleteHome once the shards are written. A
  // new part with at least `min_per_thread` documents is built fresh (as
  // one slice) even with one thread.
  void set_part(IndexPart part) { part_ = part; }

  // For a home part, after every shard of the index was written: makes
  // the spelling dictionary the sum of this database's documents' words
  // and the dictionaries of the shards at `shard_paths` (which Xapian's
  // remote backend does not serve, so "did you mean" reads them here),
  // and records the shard count (schema::kMetaShardCount), and, when
  // `changed` (any part of the index changed), the commit time; commits once.
  absl::Status CompleteHome(const std::vector<std::string>& shard_paths,
                            bool changed);

 private:
  IndexWriter(std::string path, Xapian::WritableDatabase db)
      : path_(std::move(path)), db_(std::move(db)) {}

  absl::StatusOr<IndexReport> ApplyInTransaction(
      const Corpus& corpus, const std::vector<CorpusDocument>& documents,
      const ProgressCallback& progress);
  // True when nothing was ever written to the database.
  bool IsNew();
  // Builds the new index in `slices` threads and puts it in place of the
  // empty database (see set_threads).
  absl::StatusOr<IndexReport> BuildInSlices(
      const Corpus& corpus, const std::vector<CorpusDocument>& documents,
      int slices, const ProgressCallback& progress);

  std::string path_;
  Xapian::WritableDatabase db_;
  int threads_ = 1;
  size_t min_per_thread_ = 1000;
  IndexPart part_;
};

// Checking an index on disk.

// Runs Xapian's consistency check (Xapian::Database::check) on the index
// folder at `path`: every table's B-tree, and the tables against each
// other; and, as Xapian takes a table whose file is gone for one never
// created, that an index holding documents has its docdata, termlist and
// position tables. Returns Xapian's report, one section per table, when it
// finds nothing wrong. NotFound when `path` holds no index (no folder, or a
// folder without one); DataLoss when a table is damaged or missing, the
// message naming the table and quoting Xapian's error; FailedPrecondition
// when the tables cannot be opened for writing, which Xapian's check needs
// (a read-only folder); Unavailable for other errors.
absl::StatusOr<std::string> CheckIndex(const std::string& path);

// Both accept a replica folder that xapian-replicate keeps (its XAPIANDB
// stub names the copy it currently serves), and check that copy.
//
// Whether the index at `path` can be served: CheckIndex when its tables
// are writable; on a read-only folder, where Xapian cannot check, opens it
// read-only and reads every term and the first and last documents
// instead. OK, or CheckIndex's errors.
absl::Status VerifyIndexForReading(const std::string& path);

}  // namespace lectern

#endif  // LECTERN_INDEXER_INDEX_WRITER_H_
