// SearchWorkers: per-thread searchers and a bounded queue.
#include "service/search_workers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "indexer/corpus.h"
#include "indexer/group_config.h"
#include "indexer/index_writer.h"
#include "tests/testing/paths.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace lectern {
namespace {

using ::lectern::testing::IsOk;
using ::lectern::testing::StatusIs;
using ::lectern::testing::TempDir;

std::string BuildIndex(const TempDir& dir) {
  auto config = LoadConfig(testing::BundledConfig());
  EXPECT_THAT(config, IsOk());
  auto writer = IndexWriter::Open(dir.Path("index"));
  EXPECT_THAT(writer, IsOk());
  EXPECT_THAT((*writer)->Apply(LoadCorpus(*config)), IsOk());
  return dir.Path("index");
}

TEST(SearchWorkersTest, EachWorkerHasItsOwnSearcher) {
  TempDir dir;
  const std::string index = BuildIndex(dir);
  ASSERT_OK_AND_ASSIGN(auto workers, SearchWorkers::Start(index, 2, 16));
  EXPECT_EQ(workers->threads(), 2);

  // Two tasks that wait for each other can only finish if they run on two
  // threads at once; each sees a different Searcher.
  absl::Mutex mu;
  std::set<Searcher*> searchers;
  absl::Notification both_started;
  std::atomic<int> started{0};
  std::atomic<int> finished{0};
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(workers->Submit([&](Searcher& searcher) {
      {
        absl::MutexLock lock(&mu);
        searchers.insert(&searcher);
      }
      if (++started == 2) both_started.Notify();
      both_started.WaitForNotificationWithTimeout(absl::Seconds(30));
      v1::SearchRequest request;
      request.set_query("kv cache");
      if (searcher.Search(request).ok()) ++finished;
    }));
  }
  workers.reset();  // runs what is queued, then joins
  EXPECT_TRUE(both_started.HasBeenNotified());
  EXPECT_EQ(searchers.size(), 2u);
  EXPECT_EQ(finished.load(), 2);
}

TEST(SearchWorkersTest, FullQueueRefusesWork) {
  TempDir dir;
  const std::string index = BuildIndex(dir);
  ASSERT_OK_AND_ASSIGN(auto workers, SearchWorkers::Start(index, 1, 1));
  absl::Notification running;
  absl::Notification release;
  std::atomic<int> ran{0};
  // Occupies the only worker...
  ASSERT_TRUE(workers->Submit([&](Searcher&) {
    running.Notify();
    release.WaitForNotificationWithTimeout(absl::Seconds(30));
    ++ran;
  }));
  ASSERT_TRUE(running.WaitForNotificationWithTimeout(absl::Seconds(30)));
  // ...one task may wait...
  EXPECT_TRUE(workers->Submit([&](Searcher&) { ++ran; }));
  // ...and the next is refused.
  EXPECT_FALSE(workers->Submit([&](Searcher&) { ++ran; }));
  release.Notify();
  workers.reset();
  EXPECT_EQ(ran.load(), 2);
}

TEST(SearchWorkersTest, MissingIndexFailsToStart) {
  TempDir dir;
  EXPECT_THAT(SearchWorkers::Start(dir.Path("none"), 2, 4),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(SearchWorkers::Start(dir.Path("none"), 0, 4),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace lectern
