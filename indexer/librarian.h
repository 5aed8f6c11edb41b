// The one writer of a live index: lecternd's write API hands every write to
// a Librarian, which owns the WritableDatabase (and so Xapian's write lock)
// for as long as it lives.
//
// Writes are validated with the parsers lectern-index reads files with (a
// session as a YAML schedule entry, a paper as a catalog record, a summary
// as a summary file), queued, and applied one at a time on the Librarian's
// own thread. Writes that arrive together are committed together, in one
// Xapian transaction: a write is acknowledged (its callback runs) only once
// the commit that holds it is on disk, so readers that reopen see it and a
// crash never loses an acknowledged write or shows half of one.
//
// A request id (AIP-155) makes a retry a no-op: the first answer is stored
// in the same commit as the write and returned again, marked replayed.
//
// Thread-safe. Callbacks run on the Librarian's thread: keep them short.
#ifndef LECTERN_INDEXER_LIBRARIAN_H_
#define LECTERN_INDEXER_LIBRARIAN_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lectern/v1/writer.pb.h"

namespace lectern {

struct LibrarianOptions {
  // How long the writer waits for more writes to join a commit once one is
  // queued: longer batches more under load, at that cost in latency.
  absl::Duration commit_delay = absl::Milliseconds(5);
  // Most writes in one commit; ImportPapers commits every this many papers.
  int max_batch = 1000;
  // How long a request id is remembered.
  absl::Duration request_id_lifetime = absl::Hours(24 * 7);
};

class Librarian {
 public:
  template <typename Response>
  using Done = std::function<void(absl::StatusOr<Response>)>;

  // Opens (creating if needed) the index at `path` for writing and starts
  // the writer thread. FailedPrecondition when another writer holds the
  // index; errors as IndexWriter::Open otherwise.
  static absl::StatusOr<std::unique_ptr<Librarian>> Open(
      const std::string& path, const LibrarianOptions& options = {});

  // Applies and commits every write already queued, then stops.
  ~Librarian();

  Librarian(const Librarian&) = delete;
  Librarian& operator=(const Librarian&) = delete;

  // Each call queues the write and returns at once; `done` runs after the
  // commit that holds it, or with the error that stopped it, in which case
  // nothing of it was written. Errors: InvalidArgument for input the
  // parsers reject (the message cites the field or JSON line), NotFound for
  // an unknown group, session, paper or summary, FailedPrecondition for a
  // delete that would leave a dangling link, ResourceExhausted when the
  // disk is full, Unavailable when the index could not be written for
  // another reason. After either, nothing of the write is in the index and
  // the Librarian takes further writes (they succeed once space is freed).
  void UpsertSession(v1::UpsertSessionRequest request,
                     Done<v1::UpsertSessionResponse> done);
  void DeleteSession(v1::DeleteSessionRequest request,
                     Done<v1::DeleteResponse> done);
  void UpsertPaper(v1::UpsertPaperRequest request,
                   Done<v1::UpsertPaperResponse> done);
  void DeletePaper(v1::DeletePaperRequest request,
                   Done<v1::DeleteResponse> done);
  void UpsertSummary(v1::UpsertSummaryRequest request,
                     Done<v1::UpsertSummaryResponse> done);
  void DeleteSummary(v1::DeleteSummaryRequest request,
                     Done<v1::DeleteResponse> done);
  // Items are accepted or rejected one by one; an error status means the
  // import stopped (papers committed before it stay).
  void ImportPapers(std::vector<v1::PaperInput> items, std::string request_id,
                    Done<v1::ImportPapersResponse> done);

  // Writes queued or being applied; for shutdown and tests.
  int pending() const;

  class Impl;

 private:
  explicit Librarian(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace lectern

#endif  // LECTERN_INDEXER_LIBRARIAN_H_
