#include "service/search_workers.h"

#include "absl/status/status.h"

namespace lectern {

absl::StatusOr<std::unique_ptr<SearchWorkers>> SearchWorkers::Start(
    const std::string& index_path, int threads, int max_queue) {
  if (threads < 1 || max_queue < 1) {
    return absl::InvalidArgumentError("threads and max_queue must be positive");
  }
  std::unique_ptr<SearchWorkers> workers(new SearchWorkers(max_queue));
  for (int i = 0; i < threads; ++i) {
    auto searcher = Searcher::Open(index_path);
    if (!searcher.ok()) return searcher.status();
    workers->searchers_.push_back(std::move(*searcher));
  }
  for (auto& searcher : workers->searchers_) {
    workers->threads_.emplace_back(&SearchWorkers::Run, workers.get(),
                                   searcher.get());
  }
  return workers;
}

SearchWorkers::~SearchWorkers() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (std::thread& thread : threads_) thread.join();
}

bool SearchWorkers::Submit(Task task) {
  absl::MutexLock lock(&mu_);
  if (stopping_ || static_cast<int>(queue_.size()) >= max_queue_) return false;
  queue_.push_back(std::move(task));
  return true;
}

bool SearchWorkers::HasWorkOrStopping() const {
  return stopping_ || !queue_.empty();
}

void SearchWorkers::Run(Searcher* searcher) {
  for (;;) {
    Task task;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &SearchWorkers::HasWorkOrStopping));
      if (queue_.empty()) return;  // stopping, nothing left to run
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task(*searcher);
  }
}

}  // namespace lectern
