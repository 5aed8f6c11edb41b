#include "service/search_workers.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "indexer/index_writer.h"

namespace lectern {

absl::StatusOr<std::unique_ptr<SearchWorkers>> SearchWorkers::Start(
    const std::string& index_path, int threads, int max_queue) {
  if (threads < 1 || max_queue < 1) {
    return absl::InvalidArgumentError("threads and max_queue must be positive");
  }
  SearchWorkersOptions options;
  options.threads = threads;
  options.max_queue = max_queue;
  options.verify_index = false;
  std::unique_ptr<SearchWorkers> workers(
      new SearchWorkers(index_path, options));
  auto searchers = workers->OpenSearchers();
  if (!searchers.ok()) return searchers.status();
  workers->StartThreads(*std::move(searchers));
  return workers;
}

absl::StatusOr<std::unique_ptr<SearchWorkers>> SearchWorkers::StartWhenReady(
    const std::string& index_path, const SearchWorkersOptions& options) {
  if (options.threads < 1 || options.max_queue < 1) {
    return absl::InvalidArgumentError("threads and max_queue must be positive");
  }
  std::unique_ptr<SearchWorkers> workers(
      new SearchWorkers(index_path, options));
  auto searchers = workers->OpenSearchers();
  if (searchers.ok()) {
    workers->StartThreads(*std::move(searchers));
  } else {
    workers->SetIndexStatus(searchers.status());
    workers->watcher_ = std::thread(&SearchWorkers::Watch, workers.get());
  }
  return workers;
}

SearchWorkers::~SearchWorkers() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (watcher_.joinable()) watcher_.join();
  for (std::thread& thread : threads_) thread.join();
}

absl::StatusOr<std::vector<std::unique_ptr<Searcher>>>
SearchWorkers::OpenSearchers() const {
  if (options_.verify_index) {
    if (absl::Status verified = VerifyIndexForReading(index_path_);
        !verified.ok()) {
      return verified;
    }
  }
  std::vector<std::unique_ptr<Searcher>> searchers;
  for (int i = 0; i < threads_wanted_; ++i) {
    auto searcher = Searcher::Open(index_path_, options_.shards, i);
    if (!searcher.ok()) return searcher.status();
    searchers.push_back(*std::move(searcher));
  }
  return searchers;
}

void SearchWorkers::StartThreads(
    std::vector<std::unique_ptr<Searcher>> searchers) {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
  }
  searchers_ = std::move(searchers);
  for (auto& searcher : searchers_) {
    threads_.emplace_back(&SearchWorkers::Run, this, searcher.get());
  }
  {
    absl::MutexLock lock(&mu_);
    ready_ = true;
  }
  SetIndexStatus(absl::OkStatus());
}

void SearchWorkers::Watch() {
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      // Bounded: wakes at once when the workers stop.
      mu_.AwaitWithTimeout(absl::Condition(&stopping_),
                           options_.retry_interval);
      if (stopping_) return;
    }
    auto searchers = OpenSearchers();
    if (searchers.ok()) {
      StartThreads(*std::move(searchers));
      return;
    }
    SetIndexStatus(searchers.status());
  }
}

void SearchWorkers::SetIndexStatus(const absl::Status& status) {
  {
    absl::MutexLock lock(&mu_);
    if (status == index_status_) return;
    index_status_ = status;
  }
  if (options_.on_index_state) options_.on_index_state(status);
}

bool SearchWorkers::ready() const {
  absl::MutexLock lock(&mu_);
  return ready_;
}

absl::Status SearchWorkers::index_status() const {
  absl::MutexLock lock(&mu_);
  return index_status_;
}

absl::Status SearchWorkers::Admit(Task task) {
  absl::MutexLock lock(&mu_);
  if (stopping_) return absl::UnavailableError("the server is stopping");
  if (!ready_) {
    return absl::UnavailableError(absl::StrCat(
        "the index cannot be served yet (", index_status_.message(),
        "); the server tries it again every ",
        absl::FormatDuration(options_.retry_interval),
        " and serves it once it opens"));
  }
  if (static_cast<int>(queue_.size()) >= options_.max_queue) {
    return absl::ResourceExhaustedError(
        "server busy: every worker is taken and the queue is full; retry "
        "with backoff");
  }
  queue_.push_back(std::move(task));
  return absl::OkStatus();
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
