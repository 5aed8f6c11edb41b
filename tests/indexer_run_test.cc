// lectern-index as a process: crash safety under SIGKILL, lecternd picking
// up a commit without a restart, --check, and the 13,090-record catalog.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <xapian.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "lectern/v1/lectern.grpc.pb.h"
#include "tests/testing/bundled_data.h"
#include "tests/testing/paths.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace lectern {
namespace {

namespace fs = std::filesystem;
using ::lectern::testing::CopyBundledData;
using ::lectern::testing::IsOk;
using ::lectern::testing::ReadFile;
using ::lectern::testing::Subprocess;
using ::lectern::testing::TempDir;
using ::lectern::testing::WriteVariantCatalog;
using ::testing::HasSubstr;

int DocCount(const std::string& index) {
  return static_cast<int>(Xapian::Database(index).get_doccount());
}

absl::StatusOr<int> RunIndexer(const TempDir& dir, const std::string& config,
                               const std::string& index,
                               const std::string& extra_flag = "") {
  std::vector<std::string> args = {testing::IndexerPath(), "--config", config,
                                   "--index", index};
  if (!extra_flag.empty()) args.push_back(extra_flag);
  return testing::Run(args, dir.Path("index.out"), dir.Path("index.err"),
                      absl::Minutes(5));
}

// Waits, boundedly, until `path` contains `needle`.
bool WaitForText(const std::string& path, const std::string& needle,
                 absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (absl::StrContains(ReadFile(path), needle)) return true;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return false;
}

int64_t DocumentsServed(v1::Lectern::Stub& stub) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  v1::GetStatsResponse stats;
  const grpc::Status status =
      stub.GetStats(&context, v1::GetStatsRequest(), &stats);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return stats.documents();
}

TEST(IndexerRunTest, SigkillMidRunKeepsTheLastCommitAndARerunCompletes) {
  TempDir dir;
  const std::string index = dir.Path("index");
  const std::string small_config = CopyBundledData(dir, "data");
  ASSERT_OK_AND_ASSIGN(int code, RunIndexer(dir, small_config, index));
  ASSERT_EQ(code, 0) << ReadFile(dir.Path("index.err"));
  const int committed = DocCount(index);
  const Xapian::rev revision = Xapian::Database(index).get_revision();

  // lecternd serves the committed index throughout.
  auto server =
      Subprocess::Start({testing::LecterndPath(), "--index", index, "--listen",
                         "127.0.0.1:0", "--port_file", dir.Path("port")},
                        dir.Path("lecternd.out"), dir.Path("lecternd.err"));
  ASSERT_THAT(server, IsOk());
  ASSERT_OK_AND_ASSIGN(
      int port, testing::WaitForPortFile(dir.Path("port"), absl::Seconds(20)));
  auto stub = v1::Lectern::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  EXPECT_EQ(DocumentsServed(*stub), committed);

  // A second config adds ~3,000 papers; kill the run while it writes.
  const std::string large = WriteVariantCatalog(dir, 5, "large.jsonl");
  std::ofstream(small_config, std::ios::app)
      << "catalogs { path: \"" << large << "\" }\n";
  auto indexer = Subprocess::Start(
      {testing::IndexerPath(), "--config", small_config, "--index", index},
      dir.Path("killed.out"), dir.Path("killed.err"));
  ASSERT_THAT(indexer, IsOk());
  ASSERT_TRUE(WaitForText(dir.Path("killed.err"), "writing", absl::Seconds(60)))
      << ReadFile(dir.Path("killed.err"));
  absl::SleepFor(absl::Milliseconds(200));
  (*indexer)->Signal(SIGKILL);
  const std::optional<int> killed = (*indexer)->Wait(absl::Seconds(20));
  ASSERT_TRUE(killed.has_value());
  // Killed by the signal, not finished: the kill landed mid-run.
  ASSERT_EQ(*killed, 128 + SIGKILL) << ReadFile(dir.Path("killed.out"));

  // The database opens at the previous commit, and lecternd still serves it.
  EXPECT_EQ(DocCount(index), committed);
  EXPECT_EQ(Xapian::Database(index).get_revision(), revision);
  EXPECT_EQ(DocumentsServed(*stub), committed);

  // A re-run (after the dead writer's lock is released) completes, and
  // lecternd serves the new state without a restart.
  ASSERT_OK_AND_ASSIGN(code, RunIndexer(dir, small_config, index));
  ASSERT_EQ(code, 0) << ReadFile(dir.Path("index.err"));
  const int grown = DocCount(index);
  EXPECT_EQ(grown, committed + 5 * 594);
  EXPECT_EQ(DocumentsServed(*stub), grown);
}

TEST(IndexerRunTest, CheckReportsProblemsWithoutWriting) {
  TempDir dir;
  const std::string config = CopyBundledData(dir, "data");
  // Break one numbered-list line.
  const std::string list = dir.Path("data/schedules/000_6ab9045ce742c85b.txt");
  fs::permissions(list, fs::perms::owner_write, fs::perm_options::add);
  std::string text = ReadFile(list);
  text =
      absl::StrReplaceAll(text, {{"（ATC’24）, Ruixing Li", ", Ruixing Li"}});
  std::ofstream(list, std::ios::trunc) << text;

  ASSERT_OK_AND_ASSIGN(int code, RunIndexer(dir, config, "", "--check"));
  EXPECT_EQ(code, 1);
  EXPECT_THAT(ReadFile(dir.Path("index.err")),
              HasSubstr("000_6ab9045ce742c85b.txt:9: expected the venue"));
  EXPECT_THAT(ReadFile(dir.Path("index.out")), HasSubstr("nothing written"));
  EXPECT_FALSE(fs::exists(dir.Path("index")));
}

TEST(IndexerRunTest, WholeSharedCatalogIndexesAndRerunsWithNoChanges) {
  const std::string papers = testing::SourceDir() + "/../shared/data/papers";
  if (!fs::exists(papers + "/other_cs.jsonl")) {
    GTEST_SKIP() << "../shared/data/papers not found (" << papers
                 << "): the 13,090-record catalog is not available here";
  }
  TempDir dir;
  const std::string config = CopyBundledData(
      dir, "data",
      absl::StrCat("catalogs { path: \"", papers,
                   "/systems_other.jsonl\" }\ncatalogs { path: \"", papers,
                   "/other_cs.jsonl\" }\n"));
  ASSERT_OK_AND_ASSIGN(int code, RunIndexer(dir, config, dir.Path("index")));
  ASSERT_EQ(code, 0) << ReadFile(dir.Path("index.err"));
  const std::string out = ReadFile(dir.Path("index.out"));
  EXPECT_THAT(out, HasSubstr("13,090 records"));
  // 44 sessions, 13,090 papers (osdi_sosp.jsonl is both bundled and shared:
  // its records merge), 7 summaries.
  EXPECT_THAT(out, HasSubstr("13141 added"));
  // Progress: the phase, the count and the rate.
  const std::string err = ReadFile(dir.Path("index.err"));
  EXPECT_THAT(err, HasSubstr("writing 13,141/13,141 (100%)"));
  EXPECT_THAT(err, HasSubstr("/s"));

  ASSERT_OK_AND_ASSIGN(code, RunIndexer(dir, config, dir.Path("index")));
  ASSERT_EQ(code, 0);
  EXPECT_THAT(ReadFile(dir.Path("index.out")),
              HasSubstr("0 added, 0 updated, 13141 unchanged, 0 deleted"));
}

}  // namespace
}  // namespace lectern
