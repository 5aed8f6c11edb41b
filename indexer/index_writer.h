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

class IndexWriter {
 public:
  // Opens the database at `path`, creating it (and its parent folders) if
  // needed. FailedPrecondition when another writer holds the lock; other
  // errors as XapianErrorToStatus.
  static absl::StatusOr<std::unique_ptr<IndexWriter>> Open(
      const std::string& path);

  // Upserts every group, session, paper and summary of `corpus` and
  // deletes the documents it no longer holds, except those whose origins
  // include one read with errors (Corpus::failed_origins); commits once.
  // `progress` hears ("writing", done, total). On error nothing of this
  // call is committed.
  absl::StatusOr<IndexReport> Apply(const Corpus& corpus,
                                    const ProgressCallback& progress = nullptr);

 private:
  explicit IndexWriter(Xapian::WritableDatabase db) : db_(std::move(db)) {}

  absl::StatusOr<IndexReport> ApplyInTransaction(
      const Corpus& corpus, const ProgressCallback& progress);

  Xapian::WritableDatabase db_;
};

}  // namespace lectern

#endif  // LECTERN_INDEXER_INDEX_WRITER_H_
