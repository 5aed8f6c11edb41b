#include "indexer/sharded_writer.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "indexer/shard_map.h"

namespace lectern {
namespace {

void AddCounts(const IndexReport& part, IndexReport* total) {
  total->added += part.added;
  total->updated += part.updated;
  total->unchanged += part.unchanged;
  total->deleted += part.deleted;
  total->documents += part.documents;
}

}  // namespace

IndexReport ShardedIndexReport::Total() const {
  IndexReport total;
  AddCounts(home, &total);
  for (const IndexReport& shard : shards) AddCounts(shard, &total);
  total.removed_groups = home.removed_groups;
  total.revision = home.revision;
  return total;
}

absl::StatusOr<ShardedIndexReport> WriteShardedIndex(
    const std::string& root, int shards, const Corpus& corpus,
    const ProgressCallback& progress) {
  if (shards < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("a sharded index needs at least 1 shard, got ", shards));
  }
  // Part 0 is the home database, part k + 1 shard k.
  const int parts = shards + 1;
  std::vector<std::string> paths;
  std::vector<std::string> shard_paths;
  paths.reserve(parts);
  shard_paths.reserve(shards);
  paths.push_back(HomeFolder(root));
  for (int shard = 0; shard < shards; ++shard) {
    shard_paths.push_back(ShardFolder(root, shard));
    paths.push_back(shard_paths.back());
  }
  auto part_name = [&](int part) {
    return part == 0 ? std::string("home") : absl::StrCat("shard ", part - 1);
  };
  // Every lock first: a part another writer holds stops the run before
  // anything is written.
  std::vector<std::unique_ptr<IndexWriter>> writers;
  writers.reserve(parts);
  for (int part = 0; part < parts; ++part) {
    absl::StatusOr<std::unique_ptr<IndexWriter>> writer =
        IndexWriter::Open(paths[part]);
    if (!writer.ok()) {
      return absl::Status(
          writer.status().code(),
          absl::StrCat(part_name(part), ": ", writer.status().message()));
    }
    (*writer)->set_part(part == 0 ? IndexPart::Home(shards)
                                  : IndexPart::Shard(part - 1, shards));
    writers.push_back(*std::move(writer));
  }

  std::vector<std::atomic<size_t>> done(parts);
  std::vector<std::atomic<size_t>> totals(parts);
  std::vector<absl::StatusOr<IndexReport>> reports(parts);
  std::atomic<int> finished{0};
  std::vector<std::thread> threads;
  threads.reserve(parts);
  for (int part = 0; part < parts; ++part) {
    threads.emplace_back([&, part] {
      reports[part] = writers[part]->Apply(
          corpus,
          [&](absl::string_view phase, size_t part_done, size_t part_total) {
            if (phase != "writing") return;
            done[part] = part_done;
            totals[part] = part_total;
          });
      ++finished;
    });
  }
  auto report_progress = [&] {
    if (!progress) return;
    size_t all_done = 0;
    size_t all = 0;
    for (int part = 0; part < parts; ++part) {
      all_done += done[part];
      all += totals[part];
    }
    progress("writing", all_done, all);
  };
  while (finished < parts) {
    report_progress();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (std::thread& thread : threads) thread.join();
  report_progress();

  ShardedIndexReport report;
  bool changed = false;
  for (int part = 0; part < parts; ++part) {
    if (!reports[part].ok()) {
      return absl::Status(reports[part].status().code(),
                          absl::StrCat(part_name(part), ": ",
                                       reports[part].status().message()));
    }
    changed |= reports[part]->changes() > 0;
    if (part == 0) {
      report.home = *reports[part];
    } else {
      report.shards.push_back(*reports[part]);
    }
  }
  // The shards' dictionaries are read from their folders: close them.
  for (int part = 1; part < parts; ++part) writers[part].reset();
  if (absl::Status completed = writers[0]->CompleteHome(shard_paths, changed);
      !completed.ok()) {
    return completed;
  }
  return report;
}

}  // namespace lectern
