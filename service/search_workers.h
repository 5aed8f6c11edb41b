// A fixed set of threads, each owning one Searcher: Xapian objects are not
// thread-safe, so lecternd gives every worker its own Database and queues
// requests for the next free worker instead of sharing one.
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
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "indexer/searcher.h"

namespace lectern {

class SearchWorkers {
 public:
  using Task = std::function<void(Searcher&)>;

  // Opens the index once per thread and starts `threads` workers. At most
  // `max_queue` tasks wait for a worker. Errors as Searcher::Open.
  static absl::StatusOr<std::unique_ptr<SearchWorkers>> Start(
      const std::string& index_path, int threads, int max_queue);

  // Runs every task already queued, then joins the threads.
  ~SearchWorkers();

  SearchWorkers(const SearchWorkers&) = delete;
  SearchWorkers& operator=(const SearchWorkers&) = delete;

  // Queues `task` to run on a worker with that worker's Searcher. False,
  // and `task` dropped, when the queue is full.
  bool Submit(Task task);

  int threads() const { return static_cast<int>(threads_.size()); }

 private:
  explicit SearchWorkers(int max_queue) : max_queue_(max_queue) {}
  void Run(Searcher* searcher);
  bool HasWorkOrStopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const int max_queue_;
  absl::Mutex mu_;
  std::deque<Task> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::unique_ptr<Searcher>> searchers_;
  std::vector<std::thread> threads_;
};

}  // namespace lectern

#endif  // LECTERN_SERVICE_SEARCH_WORKERS_H_
