// Faults, with the real programs: a damaged or missing index when lecternd
// starts, lectern-index --check_db, SIGKILL at seeded random points while
// lectern-index or lecternd --write writes, a full disk and a read-only
// index folder (both in a private mount namespace: no privilege needed).
//
// Each test prints its figures (kills, writes acknowledged and found,
// statuses) on stdout, prefixed "figures:".
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <xapian.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "indexer/index_writer.h"
#include "indexer/normalize.h"
#include "indexer/schedule_text.h"
#include "indexer/schema.h"
#include "lectern/v1/lectern.grpc.pb.h"
#include "lectern/v1/writer.grpc.pb.h"
#include "tests/testing/bundled_data.h"
#include "tests/testing/lecternd_process.h"
#include "tests/testing/namespace_sandbox.h"
#include "tests/testing/paths.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/tokens.h"

namespace lectern {
namespace {

using ::lectern::testing::CopyBundledData;
using ::lectern::testing::WriteVariantCatalog;

namespace fs = std::filesystem;
using ::grpc::health::v1::HealthCheckResponse;
using ::lectern::testing::ContextWithDeadline;
using ::lectern::testing::IsOk;
using ::lectern::testing::LecterndProcess;
using ::lectern::testing::ReadFile;
using ::lectern::testing::Subprocess;
using ::lectern::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;

using ::lectern::testing::kWriteToken;
using ::lectern::testing::WriteTokenFile;

void CopyTree(const std::string& from, const std::string& to) {
  fs::copy(from, to, fs::copy_options::recursive);
}

// The id terms of every document, or nullopt when the index does not open.
std::optional<std::set<std::string>> IdsOf(const std::string& index) {
  try {
    Xapian::Database db(index);
    std::set<std::string> ids;
    const std::string prefix(schema::kId);
    for (auto term = db.allterms_begin(prefix); term != db.allterms_end(prefix);
         ++term) {
      ids.insert(*term);
    }
    return ids;
  } catch (const Xapian::Error&) {
    return std::nullopt;
  }
}

struct CheckDbRun {
  int code = -1;
  std::string out;
  std::string err;
};

CheckDbRun RunCheckDb(const TempDir& dir, const std::string& index) {
  CheckDbRun run;
  auto code = testing::Run(
      {testing::IndexerPath(), "--check-db", "--index", index, "--quiet"},
      dir.Path("check.out"), dir.Path("check.err"), absl::Seconds(60));
  EXPECT_THAT(code, IsOk());
  if (code.ok()) run.code = *code;
  run.out = ReadFile(dir.Path("check.out"));
  run.err = ReadFile(dir.Path("check.err"));
  return run;
}

// Overwrites 64 bytes in every 8 KiB block of `file` with seeded noise.
void GarbleBlocks(const std::string& file, uint32_t seed) {
  const uintmax_t size = fs::file_size(file);
  std::fstream out(file, std::ios::in | std::ios::out | std::ios::binary);
  std::mt19937 random(seed);
  for (uintmax_t block = 0; block + 8192 <= size; block += 8192) {
    out.seekp(static_cast<std::streamoff>(block + 100));
    for (int i = 0; i < 64; ++i) out.put(static_cast<char>(random() & 0xFF));
  }
}

absl::StatusOr<HealthCheckResponse::ServingStatus> Health(
    const std::shared_ptr<grpc::Channel>& channel,
    const std::string& service = "") {
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  HealthCheckResponse response;
  const grpc::Status status =
      stub->Check(ContextWithDeadline().get(), request, &response);
  if (!status.ok()) return absl::UnavailableError(status.error_message());
  return response.status();
}

// Waits, boundedly, until health reports SERVING; false if it never does.
bool WaitUntilServing(const std::shared_ptr<grpc::Channel>& channel,
                      absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    auto health = Health(channel);
    if (health.ok() && *health == HealthCheckResponse::SERVING) return true;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return false;
}

bool WaitForFile(const std::string& path, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (fs::exists(path)) return true;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return false;
}

int CountLinesWith(const std::string& text, const std::string& needle) {
  int lines = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    lines += absl::StrContains(line, needle);
  }
  return lines;
}

// --- A damaged or missing index when lecternd starts -----------------------

enum class Damage {
  kMissingFolder,
  kEmptyFolder,
  kGarbledPostlist,
  kTruncatedPostlist,
  kMissingTable,
};

struct DamageCase {
  const char* name;
  Damage damage;
  // What lecternd's log line and UNAVAILABLE message say of it.
  const char* says;
};

// Puts a damaged copy of `sound` at `index`.
void Damaged(const std::string& sound, const std::string& index,
             Damage damage) {
  switch (damage) {
    case Damage::kMissingFolder:
      return;
    case Damage::kEmptyFolder:
      fs::create_directories(index);
      return;
    case Damage::kGarbledPostlist:
      CopyTree(sound, index);
      GarbleBlocks(index + "/postlist.glass", 7);
      return;
    case Damage::kTruncatedPostlist:
      CopyTree(sound, index);
      fs::resize_file(index + "/postlist.glass", 100);
      return;
    case Damage::kMissingTable:
      CopyTree(sound, index);
      fs::remove(index + "/termlist.glass");
      return;
  }
}

class DamagedIndexAtStartTest : public ::testing::TestWithParam<DamageCase> {};

TEST_P(DamagedIndexAtStartTest, StaysUpNotServingUntilASoundIndexAppears) {
  const DamageCase& c = GetParam();
  TempDir dir;
  const std::string sound = dir.Path("sound");
  ASSERT_NO_FATAL_FAILURE(testing::BuildBundledIndex(dir, sound));
  const size_t documents = Xapian::Database(sound).get_doccount();
  const std::string index = dir.Path("index");
  Damaged(sound, index, c.damage);

  LecterndProcess server(dir, index,
                         {"--http_listen", "127.0.0.1:0", "--http_port_file",
                          dir.Path("http.port")});
  ASSERT_TRUE(server.ok()) << server.Log();
  auto http_port =
      testing::WaitForPortFile(dir.Path("http.port"), absl::Seconds(20));
  ASSERT_THAT(http_port, IsOk());
  httplib::Client http("127.0.0.1", *http_port);
  http.set_read_timeout(10, 0);

  // Not serving, on gRPC health and on /healthz.
  EXPECT_THAT(Health(server.channel()),
              testing::IsOkAndHolds(HealthCheckResponse::NOT_SERVING));
  EXPECT_THAT(Health(server.channel(), "lectern.v1.Lectern"),
              testing::IsOkAndHolds(HealthCheckResponse::NOT_SERVING));
  auto healthz = http.Get("/healthz");
  ASSERT_TRUE(healthz);
  EXPECT_EQ(healthz->status, 503) << healthz->body;

  // Reads: UNAVAILABLE, saying which index and why.
  auto stub = v1::Lectern::NewStub(server.channel());
  v1::GetStatsResponse stats;
  grpc::Status status = stub->GetStats(ContextWithDeadline().get(), {}, &stats);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr(index));
  EXPECT_THAT(status.error_message(), HasSubstr(c.says));
  v1::SearchRequest search;
  search.set_query("kv cache");
  v1::SearchResponse hits;
  status = stub->Search(ContextWithDeadline().get(), search, &hits);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << status.error_message();

  // Across several retries: still up, and one log line, not one per try.
  absl::SleepFor(absl::Milliseconds(2500));
  EXPECT_EQ(server.process().Wait(absl::ZeroDuration()), std::nullopt);
  const std::string log = server.Log();
  EXPECT_EQ(CountLinesWith(log, "cannot serve index"), 1) << log;
  EXPECT_THAT(log, HasSubstr(absl::StrCat("cannot serve index ", index)));
  EXPECT_THAT(log, HasSubstr(c.says));

  // A sound index appears at the path: served without a restart.
  const absl::Time repaired = absl::Now();
  fs::remove_all(index);
  CopyTree(sound, dir.Path("incoming"));
  fs::rename(dir.Path("incoming"), index);
  ASSERT_TRUE(WaitUntilServing(server.channel(), absl::Seconds(30)))
      << server.Log();
  std::printf("figures: %s: SERVING %.0f ms after a sound index appeared\n",
              c.name, absl::ToDoubleMilliseconds(absl::Now() - repaired));
  EXPECT_THAT(Health(server.channel(), "lectern.v1.Lectern"),
              testing::IsOkAndHolds(HealthCheckResponse::SERVING));
  status = stub->GetStats(ContextWithDeadline().get(), {}, &stats);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(stats.documents(), static_cast<int64_t>(documents));
  healthz = http.Get("/healthz");
  ASSERT_TRUE(healthz);
  EXPECT_EQ(healthz->status, 200) << healthz->body;
  EXPECT_THAT(server.Log(), HasSubstr("opened; serving it"));

  server.process().Signal(SIGTERM);
  EXPECT_EQ(server.process().Wait(absl::Seconds(20)), 0) << server.Log();
}

INSTANTIATE_TEST_SUITE_P(
    Damages, DamagedIndexAtStartTest,
    ::testing::Values(
        DamageCase{"MissingFolder", Damage::kMissingFolder, "no such folder"},
        DamageCase{"EmptyFolder", Damage::kEmptyFolder, "the folder is empty"},
        DamageCase{"GarbledPostlist", Damage::kGarbledPostlist,
                   "table postlist"},
        DamageCase{"TruncatedPostlist", Damage::kTruncatedPostlist,
                   "EOF reading block"},
        DamageCase{"MissingTable", Damage::kMissingTable, "termlist.glass"}),
    [](const ::testing::TestParamInfo<DamageCase>& info) {
      return std::string(info.param.name);
    });

// --write never writes over a damaged index.
TEST(DamagedIndexWriterTest, WriterRefusesADamagedIndex) {
  TempDir dir;
  const std::string sound = dir.Path("sound");
  ASSERT_NO_FATAL_FAILURE(testing::BuildBundledIndex(dir, sound));
  const std::string index = dir.Path("index");
  Damaged(sound, index, Damage::kGarbledPostlist);
  WriteTokenFile(dir.Path("tokens"));
  auto code = testing::Run(
      {testing::LecterndPath(), "--index", index, "--listen", "127.0.0.1:0",
       "--write", "--token_file", dir.Path("tokens")},
      dir.Path("out"), dir.Path("err"), absl::Seconds(30));
  ASSERT_THAT(code, IsOk());
  EXPECT_EQ(*code, 1);
  const std::string err = ReadFile(dir.Path("err"));
  EXPECT_THAT(err, HasSubstr(absl::StrCat("index ", index, " is damaged")));
  EXPECT_THAT(err, HasSubstr("table postlist"));
}

// --- lectern-index --check_db ----------------------------------------------

TEST(CheckDbTest, SoundIndexPassesAndADamagedTableIsNamed) {
  TempDir dir;
  const std::string sound = dir.Path("sound");
  ASSERT_NO_FATAL_FAILURE(testing::BuildBundledIndex(dir, sound));

  CheckDbRun run = RunCheckDb(dir, sound);
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("consistent (Xapian's check found no"));

  Damaged(sound, dir.Path("garbled"), Damage::kGarbledPostlist);
  run = RunCheckDb(dir, dir.Path("garbled"));
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.out, HasSubstr("NOT consistent (DATA_LOSS)"));
  EXPECT_THAT(run.err, HasSubstr("table postlist"));
  std::printf("figures: check_db on a garbled postlist: %s", run.err.c_str());

  Damaged(sound, dir.Path("truncated"), Damage::kTruncatedPostlist);
  run = RunCheckDb(dir, dir.Path("truncated"));
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("table postlist"));

  // Xapian's own check takes a missing termlist for a database without
  // one; the index's documents need it.
  Damaged(sound, dir.Path("no-termlist"), Damage::kMissingTable);
  run = RunCheckDb(dir, dir.Path("no-termlist"));
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("table termlist: its file termlist.glass"));
  CopyTree(sound, dir.Path("no-postlist"));
  fs::remove(dir.Path("no-postlist/postlist.glass"));
  run = RunCheckDb(dir, dir.Path("no-postlist"));
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("postlist.glass"));

  run = RunCheckDb(dir, dir.Path("nowhere"));
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("no such folder"));

  // The sound copy is untouched by the checks.
  EXPECT_EQ(RunCheckDb(dir, sound).code, 0);
}

// --- SIGKILL while lectern-index writes ------------------------------------

// Two writer threads, and slices from 300 documents: a new index of the
// test's size is built in slices and merged, as a large one would be.
std::vector<std::string> IndexerArgs(const std::string& config,
                                     const std::string& index) {
  return {testing::IndexerPath(),
          "--config",
          config,
          "--index",
          index,
          "--threads",
          "2",
          "--slice_min_documents",
          "300",
          "--quiet"};
}

// Waits, boundedly, until `path` contains `needle`.
bool WaitForText(const std::string& path, const std::string& needle,
                 absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (absl::StrContains(ReadFile(path), needle)) return true;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return false;
}

// Runs lectern-index on `config` and `index`. Without `kill_after`, to the
// end; returns the exit code and how long its writing took (from its
// "writing" progress line to its exit). With it, kills the run with
// SIGKILL that long after writing starts; the exit code is then 128 +
// SIGKILL, or 0 when the run finished first.
struct IndexerRun {
  int code = -1;
  absl::Duration writing;
};

IndexerRun RunIndexer(const TempDir& dir, const std::string& config,
                      const std::string& index,
                      std::optional<absl::Duration> kill_after = {}) {
  IndexerRun run;
  auto process = Subprocess::Start(IndexerArgs(config, index),
                                   dir.Path("run.out"), dir.Path("run.err"));
  EXPECT_THAT(process, IsOk());
  if (!process.ok()) return run;
  EXPECT_TRUE(WaitForText(dir.Path("run.err"), "writing", absl::Minutes(2)))
      << ReadFile(dir.Path("run.err"));
  const absl::Time writing = absl::Now();
  if (kill_after) {
    if (std::optional<int> code = (*process)->Wait(*kill_after)) {
      run.code = *code;
      return run;
    }
    (*process)->Signal(SIGKILL);
  }
  run.code = (*process)->Wait(absl::Minutes(3)).value_or(-1);
  run.writing = absl::Now() - writing;
  return run;
}

constexpr int kIndexerKills = 5;

TEST(SigkillTest, LecternIndexKilledWhileBuildingANewIndex) {
  TempDir dir;
  // The bundled data: 645 documents, written in two slices and merged.
  const std::string config = CopyBundledData(dir, "data");
  const IndexerRun reference = RunIndexer(dir, config, dir.Path("reference"));
  ASSERT_EQ(reference.code, 0) << ReadFile(dir.Path("run.err"));
  const std::optional<std::set<std::string>> complete =
      IdsOf(dir.Path("reference"));
  ASSERT_TRUE(complete.has_value());
  std::printf("figures: new index of %zu documents written in %.1f s\n",
              complete->size(), absl::ToDoubleSeconds(reference.writing));

  const std::string index = dir.Path("index");
  std::mt19937 random(20241121);
  std::uniform_real_distribution<double> when(0.0, 1.0);
  int killed = 0, finished = 0, empty_after = 0, whole_after = 0;
  for (int round = 0; round < kIndexerKills; ++round) {
    // Each round starts where the last one was killed: a never-committed
    // index is built again from scratch.
    const IndexerRun run =
        RunIndexer(dir, config, index, reference.writing * when(random));
    ASSERT_TRUE(run.code == 128 + SIGKILL || run.code == 0)
        << run.code << ReadFile(dir.Path("run.err"));
    killed += run.code != 0;
    finished += run.code == 0;
    const CheckDbRun check = RunCheckDb(dir, index);
    EXPECT_EQ(check.code, 0) << "round " << round << ": " << check.err;
    const std::optional<std::set<std::string>> ids = IdsOf(index);
    ASSERT_TRUE(ids.has_value()) << "round " << round;
    // Nothing, or everything: never part of the new index.
    EXPECT_TRUE(ids->empty() || *ids == *complete)
        << "round " << round << ": " << ids->size() << " of "
        << complete->size() << " documents";
    empty_after += ids->empty();
    whole_after += *ids == *complete;
    if (run.code == 0) fs::remove_all(index);  // the next round builds anew
  }
  std::printf(
      "figures: %d SIGKILLs while building a new index (%d runs finished "
      "first); afterwards %d empty, %d whole, 0 partial\n",
      killed, finished, empty_after, whole_after);

  // The next run builds it cleanly from whatever the last kill left.
  const IndexerRun rerun = RunIndexer(dir, config, index);
  EXPECT_EQ(rerun.code, 0) << ReadFile(dir.Path("run.err"));
  EXPECT_EQ(IdsOf(index), complete);
  EXPECT_EQ(RunCheckDb(dir, index).code, 0);
  EXPECT_FALSE(fs::exists(index + "/slices.tmp"));
}

TEST(SigkillTest, LecternIndexKilledWhileUpdatingAnIndex) {
  TempDir dir;
  const std::string small = CopyBundledData(dir, "small");
  const std::string large = CopyBundledData(
      dir, "large",
      absl::StrCat("catalogs { path: \"",
                   WriteVariantCatalog(dir, 1, "variants.jsonl"), "\" }\n"));
  // The two committed states the index moves between; an update of an
  // existing index is one transaction.
  const std::string index = dir.Path("index");
  ASSERT_EQ(RunIndexer(dir, small, index).code, 0);
  const auto small_ids = IdsOf(index);
  const IndexerRun update = RunIndexer(dir, large, index);
  ASSERT_EQ(update.code, 0) << ReadFile(dir.Path("run.err"));
  const auto large_ids = IdsOf(index);
  ASSERT_TRUE(small_ids && large_ids);
  ASSERT_NE(small_ids, large_ids);
  std::printf(
      "figures: update between %zu and %zu documents writes in %.1f s\n",
      small_ids->size(), large_ids->size(),
      absl::ToDoubleSeconds(update.writing));

  std::mt19937 random(20241122);
  std::uniform_real_distribution<double> when(0.0, 1.0);
  int killed = 0, finished = 0, stayed = 0, moved = 0;
  for (int round = 0; round < kIndexerKills; ++round) {
    // Toward the other state: adding ~600 papers, or deleting them.
    const bool is_large = IdsOf(index) == large_ids;
    const std::set<std::string>& before = is_large ? *large_ids : *small_ids;
    const std::set<std::string>& after = is_large ? *small_ids : *large_ids;
    const IndexerRun run = RunIndexer(dir, is_large ? small : large, index,
                                      update.writing * when(random));
    ASSERT_TRUE(run.code == 128 + SIGKILL || run.code == 0)
        << run.code << ReadFile(dir.Path("run.err"));
    killed += run.code != 0;
    finished += run.code == 0;
    const CheckDbRun check = RunCheckDb(dir, index);
    EXPECT_EQ(check.code, 0) << "round " << round << ": " << check.err;
    const std::optional<std::set<std::string>> ids = IdsOf(index);
    ASSERT_TRUE(ids.has_value());
    EXPECT_TRUE(*ids == before || *ids == after)
        << "round " << round << ": " << ids->size() << " documents, between "
        << before.size() << " and " << after.size();
    stayed += *ids == before;
    moved += *ids == after;
  }
  std::printf(
      "figures: %d SIGKILLs while updating (%d runs finished first); "
      "afterwards %d at the previous commit, %d at the new one, 0 mixed\n",
      killed, finished, stayed, moved);

  // A rerun completes.
  EXPECT_EQ(RunIndexer(dir, large, index).code, 0)
      << ReadFile(dir.Path("run.err"));
  EXPECT_EQ(IdsOf(index), large_ids);
}

// --- SIGKILL while lecternd --write commits --------------------------------

// One write of the stream: an import of several papers (one commit, all or
// nothing), one paper, or a session (its document and its summaries).
struct StreamWrite {
  int number = 0;
  std::string request_id;
  std::vector<std::string> paper_titles;  // imported or upserted papers
  std::string session_id;                 // an upserted session
};

constexpr int kImportSize = 6;

StreamWrite MakeWrite(int number) {
  StreamWrite write;
  write.number = number;
  write.request_id = absl::StrCat("fault-", number);
  switch (number % 3) {
    case 0:
      for (int i = 0; i < kImportSize; ++i) {
        write.paper_titles.push_back(
            absl::StrCat("Crash consistency probe ", number, " item ", i,
                         " for write-ahead durability"));
      }
      break;
    case 1:
      write.paper_titles.push_back(
          absl::StrCat("Crash consistency probe ", number, " single upsert"));
      break;
    default:
      write.session_id = schedule_text::SessionId(
          "fall-2024", absl::StrCat("2030-01-", 10 + number % 19),
          1 + number / 19);
      break;
  }
  return write;
}

v1::PaperInput PaperFor(const std::string& title, int number) {
  v1::PaperInput paper;
  paper.set_title(title);
  paper.add_authors("Ada Probe");
  paper.set_venue("OSDI");
  paper.set_year(2024);
  paper.set_doi(absl::StrCat("10.9999/fault.", number, ".",
                             std::hash<std::string>()(title) % 100000));
  paper.set_abstract("A paper written by the fault test to be found again.");
  return paper;
}

grpc::Status Send(v1::LecternWriter::Stub& writer, const StreamWrite& write) {
  auto context = ContextWithDeadline(kWriteToken);
  if (!write.session_id.empty()) {
    v1::UpsertSessionRequest request;
    request.set_request_id(write.request_id);
    v1::SessionInput* session = request.mutable_session();
    std::vector<std::string> parts = absl::StrSplit(write.session_id, '/');
    session->set_group(parts[0]);
    session->set_date(parts[1]);
    int ordinal = 1;
    EXPECT_TRUE(absl::SimpleAtoi(parts[2], &ordinal));
    session->set_ordinal(ordinal);
    session->set_title(absl::StrCat("Crash probe session ", write.number));
    session->add_presenters("Ada Probe");
    v1::UpsertSessionResponse response;
    return writer.UpsertSession(context.get(), request, &response);
  }
  if (write.paper_titles.size() == 1) {
    v1::UpsertPaperRequest request;
    request.set_request_id(write.request_id);
    *request.mutable_paper() = PaperFor(write.paper_titles[0], write.number);
    v1::UpsertPaperResponse response;
    return writer.UpsertPaper(context.get(), request, &response);
  }
  v1::ImportPapersResponse response;
  auto stream = writer.ImportPapers(context.get(), &response);
  for (size_t i = 0; i < write.paper_titles.size(); ++i) {
    v1::ImportPapersRequest request;
    if (i == 0) request.set_request_id(write.request_id);
    *request.mutable_paper() = PaperFor(write.paper_titles[i], write.number);
    if (!stream->Write(request)) break;
  }
  stream->WritesDone();
  grpc::Status status = stream->Finish();
  if (status.ok() && response.accepted() != kImportSize) {
    return grpc::Status(grpc::StatusCode::INTERNAL,
                        absl::StrCat("accepted ", response.accepted()));
  }
  return status;
}

// What of `write` the index on disk holds: how many of its documents, and
// whether its request id (stored in the same commit) is there.
struct Found {
  int documents = 0;
  int expected = 0;
  bool request_id = false;
};

Found FindWrite(const Xapian::Database& db, const StreamWrite& write) {
  Found found;
  found.request_id = !db.get_metadata(absl::StrCat(schema::kMetaRequestPrefix,
                                                   write.request_id))
                          .empty();
  for (const std::string& title : write.paper_titles) {
    ++found.expected;
    found.documents +=
        db.get_termfreq(schema::Term(schema::kTitleKey, TitleKey(title))) > 0;
  }
  if (!write.session_id.empty()) {
    ++found.expected;
    found.documents += db.get_termfreq(schema::IdTerm(schema::kTypeSession,
                                                      write.session_id)) > 0;
  }
  return found;
}

constexpr int kWriterKills = 8;
constexpr int kClientThreads = 3;

TEST(SigkillTest, LecterndWriteKilledAfterAcknowledgedWrites) {
  TempDir dir;
  const std::string index = dir.Path("index");
  ASSERT_NO_FATAL_FAILURE(testing::BuildBundledIndex(dir, index));
  WriteTokenFile(dir.Path("tokens"));

  std::mt19937 random(20241123);
  std::uniform_int_distribution<int> acks_before_kill(4, 30);
  std::vector<StreamWrite> sent;  // every write ever sent, by number
  std::set<int> acknowledged;
  int next_number = 0;
  int total_acked = 0, total_unacked = 0, unacked_committed = 0;
  for (int round = 0; round < kWriterKills; ++round) {
    LecterndProcess server(dir, index,
                           {"--write", "--token_file", dir.Path("tokens")},
                           absl::StrCat("round", round));
    ASSERT_TRUE(server.ok()) << server.Log();
    ASSERT_TRUE(WaitUntilServing(server.channel(), absl::Seconds(30)));
    const int target = acks_before_kill(random);

    absl::Mutex mu;
    std::atomic<bool> stop{false};
    int acked_this_round = 0;
    std::vector<std::thread> clients;
    for (int t = 0; t < kClientThreads; ++t) {
      clients.emplace_back([&] {
        auto writer = v1::LecternWriter::NewStub(server.channel());
        // Bounded: a client stops at its first failure, or after 200.
        for (int i = 0; i < 200 && !stop; ++i) {
          StreamWrite write;
          {
            absl::MutexLock lock(&mu);
            write = MakeWrite(next_number++);
            sent.push_back(write);
          }
          const grpc::Status status = Send(*writer, write);
          if (!status.ok()) return;
          absl::MutexLock lock(&mu);
          acknowledged.insert(write.number);
          ++acked_this_round;
        }
      });
    }
    {
      absl::MutexLock lock(&mu);
      auto enough = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
        return acked_this_round >= target;
      };
      EXPECT_TRUE(
          mu.AwaitWithTimeout(absl::Condition(&enough), absl::Seconds(60)))
          << server.Log();
    }
    // Writes are still in flight on the other clients.
    server.process().Signal(SIGKILL);
    EXPECT_EQ(server.process().Wait(absl::Seconds(20)), 128 + SIGKILL);
    stop = true;
    for (std::thread& client : clients) client.join();

    // On disk: every acknowledged write whole; every other one whole or
    // absent, with its request id exactly when its documents are there.
    EXPECT_EQ(RunCheckDb(dir, index).code, 0) << "round " << round;
    Xapian::Database db(index);
    int acked_so_far = 0, unacked_so_far = 0, unacked_committed_so_far = 0;
    for (const StreamWrite& write : sent) {
      const Found found = FindWrite(db, write);
      const bool acked = acknowledged.count(write.number) > 0;
      EXPECT_TRUE(found.documents == 0 || found.documents == found.expected)
          << write.request_id << ": " << found.documents << " of "
          << found.expected << " documents";
      EXPECT_EQ(found.request_id, found.documents > 0) << write.request_id;
      if (acked) {
        EXPECT_EQ(found.documents, found.expected)
            << "acknowledged " << write.request_id << " is missing";
      }
      if (acked) {
        ++acked_so_far;
      } else {
        ++unacked_so_far;
        unacked_committed_so_far += found.documents > 0;
      }
    }
    total_acked = acked_so_far;
    total_unacked = unacked_so_far;
    unacked_committed = unacked_committed_so_far;
    std::printf("figures: round %d: SIGKILL after %d acknowledged writes\n",
                round, acked_this_round);
  }
  std::printf(
      "figures: %d SIGKILLs of lecternd --write; %zu writes sent, %d "
      "acknowledged and all found whole after restart; of %d never "
      "acknowledged, %d committed whole and the rest absent; 0 half-applied\n",
      kWriterKills, sent.size(), total_acked, total_unacked, unacked_committed);

  // A restart serves what is on disk and takes writes again.
  LecterndProcess server(
      dir, index, {"--write", "--token_file", dir.Path("tokens")}, "final");
  ASSERT_TRUE(server.ok());
  ASSERT_TRUE(WaitUntilServing(server.channel(), absl::Seconds(30)));
  auto reader = v1::Lectern::NewStub(server.channel());
  v1::GetStatsResponse stats;
  ASSERT_TRUE(reader->GetStats(ContextWithDeadline().get(), {}, &stats).ok());
  EXPECT_EQ(stats.documents(),
            static_cast<int64_t>(Xapian::Database(index).get_doccount()));
  auto writer = v1::LecternWriter::NewStub(server.channel());
  const grpc::Status status = Send(*writer, MakeWrite(next_number++));
  EXPECT_TRUE(status.ok()) << status.error_message();
}

// --- A full disk and a read-only index folder ------------------------------

// The size of the files under `path`, in bytes.
uintmax_t TreeSize(const std::string& path) {
  uintmax_t total = 0;
  for (const auto& entry : fs::recursive_directory_iterator(path)) {
    if (entry.is_regular_file()) total += entry.file_size();
  }
  return total;
}

// The lines of a program's stderr that say what went wrong (its progress
// lines left out).
std::string ErrorLines(const std::string& text) {
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StartsWith(line, "lectern-index: ") ||
        absl::StartsWith(line, "lecternd: ")) {
      lines.emplace_back(line);
    }
  }
  return absl::StrJoin(lines, " / ");
}

std::string Trimmed(const std::string& path) {
  return std::string(absl::StripAsciiWhitespace(ReadFile(path)));
}

// lectern-index updating an index on a disk too small for the update, then
// building a new index there: both fail with a clear error and leave the
// last commit.
constexpr char kFullDiskIndexerScript[] = R"sh(
disk="$1" out="$2" indexer="$3" sound="$4" config="$5" size="$6"
mount -t tmpfs -o size="$size" tmpfs "$disk" || exit 90
cp -r "$sound" "$disk/index" || exit 91
df -k "$disk" | tail -n 1 > "$out/df.before"
"$indexer" --config "$config" --index "$disk/new" --threads 2 \
  --slice_min_documents 300 --quiet > "$out/new.out" 2> "$out/new.err"
echo $? > "$out/new.code"
ls -A "$disk/new" > "$out/new.ls" 2>&1
df -k "$disk" | tail -n 1 > "$out/df.after-new"
"$indexer" --config "$config" --index "$disk/index" --threads 2 --quiet \
  > "$out/update.out" 2> "$out/update.err"
echo $? > "$out/update.code"
"$indexer" --check-db --index "$disk/index" --quiet \
  > "$out/check.out" 2> "$out/check.err"
echo $? > "$out/check.code"
cp -r "$disk/index" "$out/after" || exit 92
)sh";

TEST(DiskFullTest, LecternIndexFailsClearlyAndKeepsTheLastCommit) {
  TempDir dir;
  if (const std::string why = testing::PrivateNamespacesUnavailable(dir);
      !why.empty()) {
    GTEST_SKIP() << "needs a private mount namespace: " << why;
  }
  const std::string sound = dir.Path("sound");
  ASSERT_NO_FATAL_FAILURE(testing::BuildBundledIndex(dir, sound));
  const auto sound_ids = IdsOf(sound);
  const std::string large = CopyBundledData(
      dir, "large",
      absl::StrCat("catalogs { path: \"",
                   WriteVariantCatalog(dir, 2, "variants.jsonl"), "\" }\n"));
  // Room for the index and 2 MiB more: the update needs far more.
  const uintmax_t size = TreeSize(sound) + (2 << 20);
  fs::create_directories(dir.Path("disk"));
  fs::create_directories(dir.Path("out"));
  ASSERT_OK_AND_ASSIGN(
      int code,
      testing::Run(
          testing::InPrivateNamespace(
              kFullDiskIndexerScript,
              {dir.Path("disk"), dir.Path("out"), testing::IndexerPath(), sound,
               large, absl::StrCat(size / 1024, "k")}),
          dir.Path("script.out"), dir.Path("script.err"), absl::Minutes(3)));
  ASSERT_EQ(code, 0) << ReadFile(dir.Path("script.err"));

  const std::string update_err = ReadFile(dir.Path("out/update.err"));
  EXPECT_EQ(Trimmed(dir.Path("out/update.code")), "1") << update_err;
  EXPECT_THAT(update_err, HasSubstr("nothing written"));
  EXPECT_THAT(update_err, HasSubstr("No space left on device"));
  EXPECT_THAT(update_err, HasSubstr("the disk is full"));
  EXPECT_EQ(Trimmed(dir.Path("out/check.code")), "0")
      << ReadFile(dir.Path("out/check.err"));
  EXPECT_EQ(IdsOf(dir.Path("out/after")), sound_ids);

  const std::string new_err = ReadFile(dir.Path("out/new.err"));
  EXPECT_EQ(Trimmed(dir.Path("out/new.code")), "1") << new_err;
  EXPECT_THAT(new_err, HasSubstr("No space left on device"));
  // The slices are gone, giving the space back.
  EXPECT_THAT(ReadFile(dir.Path("out/new.ls")), Not(HasSubstr("slices.tmp")));
  auto free_kib = [&](const std::string& name) {
    const std::vector<std::string> fields =
        absl::StrSplit(Trimmed(dir.Path(name)), ' ', absl::SkipWhitespace());
    int64_t kib = -1;
    if (fields.size() >= 4) {
      EXPECT_TRUE(absl::SimpleAtoi(fields[3], &kib));
    }
    return kib;
  };
  const int64_t free_before = free_kib("out/df.before");
  const int64_t free_after_new = free_kib("out/df.after-new");
  // What stays is the new index's empty database.
  EXPECT_GE(free_after_new, free_before - 256)
      << free_before << " KiB free before, " << free_after_new << " after";
  std::printf(
      "figures: %ju KiB disk, %jd KiB free; new index: %s (then %jd KiB "
      "free); update: %s\n",
      size / 1024, static_cast<intmax_t>(free_before),
      ErrorLines(new_err).c_str(), static_cast<intmax_t>(free_after_new),
      ErrorLines(update_err).c_str());
}

// lecternd --write on a disk with no room left; the space comes back when
// the test creates "$out/free".
constexpr char kFullDiskWriterScript[] = R"sh(
disk="$1" out="$2" lecternd="$3" sound="$4" tokens="$5" size="$6"
mount -t tmpfs -o size="$size" tmpfs "$disk" || exit 90
cp -r "$sound" "$disk/index" || exit 91
dd if=/dev/zero of="$disk/filler" bs=4096 2> /dev/null
(
  i=0
  while [ ! -e "$out/free" ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done
  rm -f "$disk/filler"
  touch "$out/freed"
) &
exec "$lecternd" --index "$disk/index" --listen 127.0.0.1:0 \
  --port_file "$out/port" --threads 2 --write --token_file "$tokens"
)sh";

TEST(DiskFullTest, LecterndWriteAnswersResourceExhaustedAndKeepsServingReads) {
  TempDir dir;
  if (const std::string why = testing::PrivateNamespacesUnavailable(dir);
      !why.empty()) {
    GTEST_SKIP() << "needs a private mount namespace: " << why;
  }
  const std::string sound = dir.Path("sound");
  ASSERT_NO_FATAL_FAILURE(testing::BuildBundledIndex(dir, sound));
  const size_t documents = Xapian::Database(sound).get_doccount();
  WriteTokenFile(dir.Path("tokens"));
  fs::create_directories(dir.Path("disk"));
  fs::create_directories(dir.Path("out"));
  const uintmax_t size = TreeSize(sound) + (4 << 20);
  ASSERT_OK_AND_ASSIGN(
      auto server,
      Subprocess::Start(
          testing::InPrivateNamespace(
              kFullDiskWriterScript,
              {dir.Path("disk"), dir.Path("out"), testing::LecterndPath(),
               sound, dir.Path("tokens"), absl::StrCat(size / 1024, "k")}),
          dir.Path("lecternd.out"), dir.Path("lecternd.err")));
  ASSERT_OK_AND_ASSIGN(int port, testing::WaitForPortFile(dir.Path("out/port"),
                                                          absl::Seconds(30)));
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                     grpc::InsecureChannelCredentials());
  ASSERT_TRUE(WaitUntilServing(channel, absl::Seconds(30)))
      << ReadFile(dir.Path("lecternd.err"));
  auto writer = v1::LecternWriter::NewStub(channel);
  auto reader = v1::Lectern::NewStub(channel);

  // Writes fail with the documented status; nothing half-written.
  std::map<grpc::StatusCode, int> codes;
  std::string message;
  for (int i = 0; i < 3; ++i) {
    const grpc::Status status = Send(*writer, MakeWrite(i));
    ++codes[status.error_code()];
    if (!status.ok()) message = status.error_message();
  }
  EXPECT_EQ(codes[grpc::StatusCode::RESOURCE_EXHAUSTED], 3)
      << message << "\n"
      << ReadFile(dir.Path("lecternd.err"));
  EXPECT_THAT(message, HasSubstr("the disk is full"));
  EXPECT_THAT(message, HasSubstr("nothing of this write was committed"));

  // Reads go on.
  v1::GetStatsResponse stats;
  grpc::Status status =
      reader->GetStats(ContextWithDeadline().get(), {}, &stats);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(stats.documents(), static_cast<int64_t>(documents));
  v1::SearchRequest search;
  search.set_query("kv cache");
  v1::SearchResponse hits;
  status = reader->Search(ContextWithDeadline().get(), search, &hits);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_GT(hits.hits_size(), 0);
  EXPECT_THAT(Health(channel),
              testing::IsOkAndHolds(HealthCheckResponse::SERVING));

  // Once there is room again, the same writes go through.
  dir.WriteFile("out/free", "");
  ASSERT_TRUE(WaitForFile(dir.Path("out/freed"), absl::Seconds(30)));
  int written = 0;
  for (int i = 0; i < 3; ++i) {
    status = Send(*writer, MakeWrite(i));
    EXPECT_TRUE(status.ok()) << status.error_message();
    written += status.ok();
  }
  status = reader->GetStats(ContextWithDeadline().get(), {}, &stats);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(stats.documents(),
            static_cast<int64_t>(documents + kImportSize + 1 + 1));
  std::printf(
      "figures: full disk: 3 of 3 writes RESOURCE_EXHAUSTED (\"%s\"), "
      "reads served; after freeing space %d of 3 writes committed\n",
      message.c_str(), written);

  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(absl::Seconds(20)), 0)
      << ReadFile(dir.Path("lecternd.err"));
}

// A read-only index folder: lectern-index and lecternd --write fail
// clearly, a lecternd without --write serves it.
constexpr char kReadOnlyScript[] = R"sh(
index="$1" out="$2" indexer="$3" lecternd="$4" config="$5" tokens="$6"
mount --bind "$index" "$index" || exit 90
mount -o remount,bind,ro "$index" || exit 91
"$indexer" --config "$config" --index "$index" --quiet \
  > "$out/index.out" 2> "$out/index.err"
echo $? > "$out/index.code"
"$indexer" --check-db --index "$index" --quiet \
  > "$out/check.out" 2> "$out/check.err"
echo $? > "$out/check.code"
"$lecternd" --index "$index" --listen 127.0.0.1:0 --write \
  --token_file "$tokens" > "$out/writer.out" 2> "$out/writer.err"
echo $? > "$out/writer.code"
exec "$lecternd" --index "$index" --listen 127.0.0.1:0 \
  --port_file "$out/port" --threads 2
)sh";

TEST(ReadOnlyFolderTest, WritersFailClearlyAndReadsAreServed) {
  TempDir dir;
  if (const std::string why = testing::PrivateNamespacesUnavailable(dir);
      !why.empty()) {
    GTEST_SKIP() << "needs a private mount namespace: " << why;
  }
  const std::string index = dir.Path("index");
  ASSERT_NO_FATAL_FAILURE(testing::BuildBundledIndex(dir, index));
  const size_t documents = Xapian::Database(index).get_doccount();
  const std::string config = CopyBundledData(
      dir, "large",
      absl::StrCat("catalogs { path: \"",
                   WriteVariantCatalog(dir, 1, "variants.jsonl"), "\" }\n"));
  WriteTokenFile(dir.Path("tokens"));
  fs::create_directories(dir.Path("out"));
  ASSERT_OK_AND_ASSIGN(
      auto server,
      Subprocess::Start(
          testing::InPrivateNamespace(
              kReadOnlyScript,
              {index, dir.Path("out"), testing::IndexerPath(),
               testing::LecterndPath(), config, dir.Path("tokens")}),
          dir.Path("lecternd.out"), dir.Path("lecternd.err")));
  ASSERT_OK_AND_ASSIGN(int port, testing::WaitForPortFile(dir.Path("out/port"),
                                                          absl::Seconds(60)));

  const std::string index_err = ReadFile(dir.Path("out/index.err"));
  EXPECT_EQ(Trimmed(dir.Path("out/index.code")), "1") << index_err;
  EXPECT_THAT(index_err, HasSubstr("Read-only file system"));
  EXPECT_THAT(index_err, HasSubstr("cannot be written"));
  EXPECT_THAT(index_err, Not(HasSubstr("locked by another writer")));
  const std::string check_err = ReadFile(dir.Path("out/check.err"));
  EXPECT_EQ(Trimmed(dir.Path("out/check.code")), "1") << check_err;
  EXPECT_THAT(check_err, HasSubstr("opens the tables for writing"));
  const std::string writer_err = ReadFile(dir.Path("out/writer.err"));
  EXPECT_EQ(Trimmed(dir.Path("out/writer.code")), "1") << writer_err;
  EXPECT_THAT(writer_err, HasSubstr("Read-only file system"));

  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                     grpc::InsecureChannelCredentials());
  ASSERT_TRUE(WaitUntilServing(channel, absl::Seconds(30)))
      << ReadFile(dir.Path("lecternd.err"));
  auto reader = v1::Lectern::NewStub(channel);
  v1::GetStatsResponse stats;
  const grpc::Status status =
      reader->GetStats(ContextWithDeadline().get(), {}, &stats);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(stats.documents(), static_cast<int64_t>(documents));
  std::printf(
      "figures: read-only folder: lectern-index exit 1 (%s); --check_db exit "
      "1; lecternd --write exit 1 (%s); lecternd serves %zu documents\n",
      ErrorLines(index_err).c_str(), ErrorLines(writer_err).c_str(), documents);

  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(absl::Seconds(20)), 0)
      << ReadFile(dir.Path("lecternd.err"));
}

}  // namespace
}  // namespace lectern
