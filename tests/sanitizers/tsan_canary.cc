// Checks the ThreadSanitizer stage itself, in both directions.
//
//   tsan_canary guarded   threads hand a queue and a counter to each other
//                         through every absl::Mutex, CondVar and
//                         Notification entry point tsan_absl_sync.cc wraps,
//                         Conditions included: TSan must stay silent.
//   tsan_canary racy      two threads bump a counter with no lock: TSan must
//                         report it, so the stage still sees real races.
#include <cstdio>
#include <cstring>
#include <deque>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

namespace {

constexpr int kItems = 2000;

struct Queue {
  absl::Mutex mutex;
  absl::CondVar changed;
  std::deque<int> items;  // Guarded by mutex.
  bool closed = false;    // Guarded by mutex.
  long sum = 0;           // Guarded by mutex.

  bool HasWorkOrClosed() const { return !items.empty() || closed; }
};

int Guarded() {
  Queue queue;
  absl::Notification started;
  auto produce = [&] {
    started.WaitForNotification();
    for (int i = 1; i <= kItems; ++i) {
      absl::MutexLock lock(&queue.mutex);
      queue.items.push_back(i);
      queue.changed.Signal();
    }
    absl::MutexLock lock(&queue.mutex);
    queue.closed = true;
    queue.changed.SignalAll();
  };
  // One consumer waits with Await, one with LockWhen, one on the CondVar:
  // the three ways lectern's workers wait.
  auto consume_await = [&] {
    absl::MutexLock lock(&queue.mutex);
    for (;;) {
      queue.mutex.Await(absl::Condition(&queue, &Queue::HasWorkOrClosed));
      if (queue.items.empty()) return;
      queue.sum += queue.items.front();
      queue.items.pop_front();
    }
  };
  auto consume_lock_when = [&] {
    for (;;) {
      absl::MutexLock lock(&queue.mutex,
                           absl::Condition(&queue, &Queue::HasWorkOrClosed));
      if (queue.items.empty()) return;
      queue.sum += queue.items.front();
      queue.items.pop_front();
    }
  };
  auto consume_condvar = [&] {
    absl::MutexLock lock(&queue.mutex);
    for (;;) {
      while (!queue.HasWorkOrClosed()) {
        queue.changed.WaitWithTimeout(&queue.mutex, absl::Milliseconds(50));
      }
      if (queue.items.empty()) return;
      queue.sum += queue.items.front();
      queue.items.pop_front();
    }
  };
  std::vector<std::thread> threads;
  threads.emplace_back(produce);
  threads.emplace_back(consume_await);
  threads.emplace_back(consume_lock_when);
  threads.emplace_back(consume_condvar);
  started.Notify();
  for (std::thread& thread : threads) thread.join();
  const long expected = static_cast<long>(kItems) * (kItems + 1) / 2;
  absl::MutexLock lock(&queue.mutex);
  if (queue.sum != expected) {
    std::fprintf(stderr, "tsan_canary: sum %ld, expected %ld\n", queue.sum,
                 expected);
    return 1;
  }
  std::printf("tsan_canary: guarded hand-offs done, sum %ld\n", queue.sum);
  return 0;
}

// Not inlined, so that the report names it.
[[gnu::noinline]] void RacyIncrement(int* counter) {
  for (int i = 0; i < kItems; ++i) ++*counter;
}

int Racy() {
  int counter = 0;
  std::thread first(RacyIncrement, &counter);
  std::thread second(RacyIncrement, &counter);
  first.join();
  second.join();
  std::printf("tsan_canary: racy counter %d\n", counter);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "guarded") == 0) return Guarded();
  if (argc == 2 && std::strcmp(argv[1], "racy") == 0) return Racy();
  std::fprintf(stderr, "usage: tsan_canary guarded|racy\n");
  return 2;
}
