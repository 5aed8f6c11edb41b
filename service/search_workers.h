// A fixed set of threads, each owning one Searcher: Xapian objects are not
// thread-safe, so lecternd gives every worker its own Database and queues
// requests for the next free worker instead of sharing one.
//
// The index may be missing or damaged when the workers start: then
// StartWhenReady keeps trying it (every SearchWorkersOptions::retry_interval)
// on a watcher thread, refuses work with Unavailable meanwhile, and starts
// the workers once the index opens and passes VerifyIndexForReading.
//
// Thread-safe.
#ifndef LECTERN_SERVICE_SEARCH_WORKERS_H_
#define LECTERN_SERVICE_SEARCH_WORKERS_H_

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "indexer/searcher.h"

namespace lectern {

struct SearchWorkersOptions {
  int threads = 2;
  // Tasks that may wait for a worker.
  int max_queue = 256;
  // Check the index with VerifyIndexForReading (Xapian's consistency check)
  // before serving it; off, the index only has to open.
  bool verify_index = true;
  // How often an index that cannot be served is tried again.
  absl::Duration retry_interval = absl::Seconds(1);
  // Hears each change of the index's state: the error that keeps it from
  // being served (once per distinct message), then OK once it is served.
  // Runs on the thread that tried the index; keep it short.
  std::function<void(const absl::Status&)> on_index_state;
  // A sharded index: the index path is its home database, and worker i
  // reads shard k first from replica (i + k) of `shards` (Searcher::Open).
  std::shared_ptr<const ShardMap> shards;
};

class SearchWorkers {
 public:
  using Task = std::function<void(Searcher&)>;

  // Opens the index once per thread and starts `threads` workers. At most
  // `max_queue` tasks wait for a worker. Errors as Searcher::Open.
  static absl::StatusOr<std::unique_ptr<SearchWorkers>> Start(
      const std::string& index_path, int threads, int max_queue);

  // Starts at once, whatever state the index is in. When it can be served
  // (opens, and passes VerifyIndexForReading if options.verify_index), the
  // workers start right away; otherwise a watcher thread tries again every
  // options.retry_interval until it can, and Admit answers Unavailable
  // meanwhile. InvalidArgument for threads or max_queue below 1.
  static absl::StatusOr<std::unique_ptr<SearchWorkers>> StartWhenReady(
      const std::string& index_path, const SearchWorkersOptions& options);

  // Stops the watcher, runs every task already queued, then joins the
  // threads.
  ~SearchWorkers();

  SearchWorkers(const SearchWorkers&) = delete;
  SearchWorkers& operator=(const SearchWorkers&) = delete;

  // Queues `task` to run on a worker with that worker's Searcher. OK when
  // queued; otherwise `task` is dropped and the status says why:
  // Unavailable while the index cannot be served (the message names the
  // index and the error) or once stopping, ResourceExhausted when the queue
  // is full.
  absl::Status Admit(Task task);

  // Admit, as a bool: true when queued.
  bool Submit(Task task) { return Admit(std::move(task)).ok(); }

  // Whether the index is served (the workers run).
  bool ready() const;
  // OK once the index is served; before, why it is not.
  absl::Status index_status() const;

  int threads() const { return threads_wanted_; }

 private:
  SearchWorkers(std::string index_path, const SearchWorkersOptions& options)
      : index_path_(std::move(index_path)),
        options_(options),
        threads_wanted_(options.threads) {}

  // Opens one searcher per thread, after verifying the index if asked.
  absl::StatusOr<std::vector<std::unique_ptr<Searcher>>> OpenSearchers() const;
  // Starts a worker per searcher and marks the index served.
  void StartThreads(std::vector<std::unique_ptr<Searcher>> searchers);
  // Tries the index until it opens or the workers stop.
  void Watch();
  // Records `status` and tells options_.on_index_state if it changed.
  void SetIndexStatus(const absl::Status& status);
  void Run(Searcher* searcher);
  bool HasWorkOrStopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string index_path_;
  const SearchWorkersOptions options_;
  const int threads_wanted_;
  mutable absl::Mutex mu_;
  std::deque<Task> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool ready_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status index_status_ ABSL_GUARDED_BY(mu_) =
      absl::UnavailableError("the index has not been opened yet");
  // Set once by StartThreads, before ready_.
  std::vector<std::unique_ptr<Searcher>> searchers_;
  std::vector<std::thread> threads_;
  std::thread watcher_;
};

}  // namespace lectern

#endif  // LECTERN_SERVICE_SEARCH_WORKERS_H_
