// The write path without gRPC: a Librarian over a copy of the bundled
// index, read back through a Searcher as lecternd's workers read it.
#include "indexer/librarian.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "indexer/catalog.h"
#include "indexer/files.h"
#include "indexer/index_writer.h"
#include "indexer/searcher.h"
#include "tests/testing/bundled_index.h"
#include "tests/testing/paths.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace lectern {
namespace {

using ::lectern::testing::IsOk;
using ::lectern::testing::StatusIs;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

// Waits for the answer of an asynchronous Librarian call.
template <typename Request, typename Response>
absl::StatusOr<Response> Wait(
    Librarian& librarian,
    void (Librarian::*method)(Request, Librarian::Done<Response>),
    Request request) {
  std::promise<absl::StatusOr<Response>> answer;
  (librarian.*method)(std::move(request),
                      [&answer](absl::StatusOr<Response> result) {
                        answer.set_value(std::move(result));
                      });
  return answer.get_future().get();
}

class LibrarianTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    bundled_ = new testing::BundledIndex;
    bundled_->Build();
  }
  static void TearDownTestSuite() {
    delete bundled_;
    bundled_ = nullptr;
  }

  // Every test writes to its own copy of the bundled index.
  void SetUp() override {
    ASSERT_FALSE(HasFatalFailure());
    std::filesystem::copy(bundled_->path(), path());
    OpenLibrarian();
  }

  void OpenLibrarian(LibrarianOptions options = {}) {
    librarian_.reset();
    auto opened = Librarian::Open(path(), options);
    ASSERT_THAT(opened, IsOk());
    librarian_ = *std::move(opened);
  }

  std::string path() const { return dir_.Path("index"); }

  std::unique_ptr<Searcher> Reader() {
    auto searcher = Searcher::Open(path());
    EXPECT_THAT(searcher, IsOk());
    return searcher.ok() ? *std::move(searcher) : nullptr;
  }

  uint64_t Revision() { return Reader()->Stats()->revision; }

  std::vector<std::string> OpenDates(const std::string& group) {
    v1::ListOpenDatesRequest request;
    request.set_group(group);
    auto open = Reader()->ListOpenDates(request);
    EXPECT_THAT(open, IsOk());
    std::vector<std::string> dates;
    if (open.ok()) {
      for (const auto& date : open->open_dates()) dates.push_back(date.date());
    }
    return dates;
  }

  absl::StatusOr<v1::UpsertSessionResponse> Upsert(
      const v1::UpsertSessionRequest& request) {
    return Wait(*librarian_, &Librarian::UpsertSession, request);
  }

  // A catalog paper no session presented: the kind a group signs up for.
  const v1::Paper& UnpresentedOsdiPaper() {
    std::set<std::string> presented;
    for (const v1::Session& session : bundled_->corpus.sessions) {
      presented.insert(session.paper().paper_id());
    }
    for (const v1::Paper& paper : bundled_->corpus.papers) {
      if (paper.venue() == "OSDI" && paper.year() == 2024 &&
          !presented.count(paper.id())) {
        return paper;
      }
    }
    ADD_FAILURE() << "the bundled catalog has no unpresented OSDI 2024 paper";
    return bundled_->corpus.papers.front();
  }

  static v1::UpsertSessionRequest SignUp(const v1::Paper& paper) {
    v1::UpsertSessionRequest request;
    v1::SessionInput* session = request.mutable_session();
    session->set_group("fall-2024");
    session->set_date("2024-12-24");
    session->set_title(paper.title());
    session->set_venue(absl::StrCat(paper.venue(), "'", paper.year() % 100));
    session->add_presenters("Yinhe Chen, XiangShen");
    return request;
  }

  static testing::BundledIndex* bundled_;
  testing::TempDir dir_;
  std::unique_ptr<Librarian> librarian_;
};

testing::BundledIndex* LibrarianTest::bundled_ = nullptr;

TEST_F(LibrarianTest, SessionForAnOpenDateIsParsedLinkedAndSearchable) {
  const v1::Paper& paper = UnpresentedOsdiPaper();
  ASSERT_THAT(OpenDates("fall-2024"), Contains("2024-12-24"));
  const uint64_t before = Revision();

  auto response = Upsert(SignUp(paper));
  ASSERT_THAT(response, IsOk());
  const v1::Session& session = response->session();
  EXPECT_EQ(session.id(), "fall-2024/2024-12-24/1");
  EXPECT_EQ(session.kind(), v1::SESSION_KIND_PAPER);
  EXPECT_EQ(session.paper().venue(), "OSDI");
  EXPECT_EQ(session.paper().year(), 2024);
  // Linked to the catalog as lectern-index links schedule entries.
  EXPECT_EQ(session.paper().paper_id(), paper.id());
  // "XiangShen" takes the spelling the schedules use for the same person.
  ASSERT_THAT(session.presenters(), SizeIs(2));
  EXPECT_EQ(session.presenters(0).name(), "Yinhe Chen");
  EXPECT_EQ(session.presenters(1).name(), "Xiang Shen");
  EXPECT_EQ(session.presenters(1).written_as(), "XiangShen");
  EXPECT_EQ(response->result().outcome(), v1::WRITE_OUTCOME_UPDATED);
  EXPECT_EQ(response->result().revision(), before + 1);
  EXPECT_FALSE(response->result().replayed());

  // A reader opened afterwards sees the commit.
  EXPECT_EQ(Revision(), before + 1);
  EXPECT_THAT(OpenDates("fall-2024"), Not(Contains("2024-12-24")));
  v1::SearchRequest search;
  search.set_query(absl::StrCat("\"", paper.title(), "\""));
  search.mutable_filters()->add_types(v1::DOCUMENT_TYPE_SESSION);
  auto hits = Reader()->Search(search, absl::InfiniteFuture());
  ASSERT_THAT(hits, IsOk());
  ASSERT_THAT(hits->hits(), Not(::testing::IsEmpty()));
  EXPECT_EQ(hits->hits(0).id(), session.id());
  auto stored = Reader()->GetSessions("fall-2024", "2024-12-24", 1);
  ASSERT_THAT(stored, IsOk());
  ASSERT_THAT(stored->sessions, SizeIs(1));
  EXPECT_EQ(stored->sessions[0].presenters(1).name(), "Xiang Shen");

  // The same write again changes nothing.
  auto again = Upsert(SignUp(paper));
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->result().outcome(), v1::WRITE_OUTCOME_UNCHANGED);
  EXPECT_EQ(Revision(), before + 1);
}

TEST_F(LibrarianTest, RequestIdMakesARetryANoOp) {
  v1::UpsertSessionRequest request = SignUp(UnpresentedOsdiPaper());
  request.set_request_id("signup-1");
  auto first = Upsert(request);
  ASSERT_THAT(first, IsOk());
  const uint64_t after_first = Revision();
  EXPECT_EQ(first->result().revision(), after_first);

  // Meanwhile someone else changes the session: the retry must not undo it.
  v1::UpsertSessionRequest other = SignUp(UnpresentedOsdiPaper());
  other.mutable_session()->clear_presenters();
  other.mutable_session()->add_presenters("Someone Else");
  ASSERT_THAT(Upsert(other), IsOk());
  const uint64_t after_other = Revision();

  auto retry = Upsert(request);
  ASSERT_THAT(retry, IsOk());
  EXPECT_TRUE(retry->result().replayed());
  EXPECT_EQ(retry->result().revision(), first->result().revision());
  EXPECT_EQ(retry->session().SerializeAsString(),
            first->session().SerializeAsString());
  EXPECT_EQ(Revision(), after_other);
  auto stored = Reader()->GetSessions("fall-2024", "2024-12-24", 1);
  ASSERT_THAT(stored, IsOk());
  EXPECT_EQ(stored->sessions[0].presenters(0).name(), "Someone Else");

  // The id survives a restart: it is stored with the write.
  OpenLibrarian();
  auto after_restart = Upsert(request);
  ASSERT_THAT(after_restart, IsOk());
  EXPECT_TRUE(after_restart->result().replayed());

  // Reusing the id for a different request is an error, not a replay.
  v1::UpsertSessionRequest changed = request;
  changed.mutable_session()->set_title("Another Title");
  EXPECT_THAT(Upsert(changed), StatusIs(absl::StatusCode::kInvalidArgument,
                                        HasSubstr("already used")));
  EXPECT_EQ(Revision(), after_other);
}

TEST_F(LibrarianTest, BadSessionsAreRejectedAndNothingIsWritten) {
  const uint64_t before = Revision();
  v1::UpsertSessionRequest bad_date = SignUp(UnpresentedOsdiPaper());
  bad_date.mutable_session()->set_date("2024-13-45");
  EXPECT_THAT(Upsert(bad_date), StatusIs(absl::StatusCode::kInvalidArgument,
                                         HasSubstr("2024-13-45")));

  v1::UpsertSessionRequest no_date = SignUp(UnpresentedOsdiPaper());
  no_date.mutable_session()->clear_date();
  EXPECT_THAT(Upsert(no_date), StatusIs(absl::StatusCode::kInvalidArgument));

  v1::UpsertSessionRequest unknown_group = SignUp(UnpresentedOsdiPaper());
  unknown_group.mutable_session()->set_group("no-such-group");
  EXPECT_THAT(Upsert(unknown_group),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("fall-2024")));

  v1::UpsertSessionRequest negative = SignUp(UnpresentedOsdiPaper());
  negative.mutable_session()->set_ordinal(-1);
  EXPECT_THAT(Upsert(negative), StatusIs(absl::StatusCode::kInvalidArgument));

  v1::UpsertSessionRequest check_only = SignUp(UnpresentedOsdiPaper());
  check_only.set_validate_only(true);
  auto validated = Upsert(check_only);
  ASSERT_THAT(validated, IsOk());
  EXPECT_EQ(validated->result().outcome(), v1::WRITE_OUTCOME_VALIDATED);

  EXPECT_EQ(Revision(), before);
  EXPECT_THAT(OpenDates("fall-2024"), Contains("2024-12-24"));
}

TEST_F(LibrarianTest, PapersAreCreatedThenMatchedByDoi) {
  v1::UpsertPaperRequest request;
  request.mutable_paper()->set_json(
      R"({"title": "A Write Path for Reading Groups", "authors": ["Ada )"
      R"(Lovelace"], "venue": "osdi", "year": 2025, "doi": )"
      R"("https://doi.org/10.9999/LECTERN.1", "abstract": "Bots add )"
      R"(sessions through an authenticated API."})");
  request.mutable_paper()->set_source("bot.jsonl:7");
  auto created = Wait(*librarian_, &Librarian::UpsertPaper, request);
  ASSERT_THAT(created, IsOk());
  EXPECT_EQ(created->result().outcome(), v1::WRITE_OUTCOME_CREATED);
  const v1::Paper& paper = created->paper();
  EXPECT_EQ(paper.id(), "osdi25-write-path-for");
  EXPECT_EQ(paper.venue(), "OSDI");  // canonical, as the catalog reader gives
  EXPECT_EQ(paper.doi(), "10.9999/lectern.1");
  ASSERT_THAT(paper.provenance(), Not(::testing::IsEmpty()));
  EXPECT_EQ(paper.provenance(0).source(), "bot.jsonl:7");

  // The same DOI with new fields updates that paper and keeps its id.
  v1::UpsertPaperRequest update;
  update.mutable_paper()->set_title("A Write Path for Reading Groups");
  update.mutable_paper()->set_doi("10.9999/lectern.1");
  update.mutable_paper()->set_abstract("Revised: bots and sign-up sheets.");
  auto updated = Wait(*librarian_, &Librarian::UpsertPaper, update);
  ASSERT_THAT(updated, IsOk());
  EXPECT_EQ(updated->result().outcome(), v1::WRITE_OUTCOME_UPDATED);
  EXPECT_EQ(updated->paper().id(), paper.id());
  EXPECT_EQ(updated->paper().abstract(), "Revised: bots and sign-up sheets.");
  EXPECT_THAT(updated->paper().authors(), Contains("Ada Lovelace"));

  auto stored = Reader()->GetPaper(paper.id());
  ASSERT_THAT(stored, IsOk());
  EXPECT_EQ(stored->paper.abstract(), "Revised: bots and sign-up sheets.");

  v1::UpsertPaperRequest both = request;
  both.mutable_paper()->set_title("Fields too");
  EXPECT_THAT(
      Wait(*librarian_, &Librarian::UpsertPaper, both),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not both")));
  v1::UpsertPaperRequest broken;
  broken.mutable_paper()->set_json(R"({"title": "unterminated)");
  broken.mutable_paper()->set_source("bot.jsonl:8");
  EXPECT_THAT(
      Wait(*librarian_, &Librarian::UpsertPaper, broken),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("bot.jsonl:8")));
  v1::UpsertPaperRequest untitled;
  untitled.mutable_paper()->set_venue("OSDI");
  EXPECT_THAT(Wait(*librarian_, &Librarian::UpsertPaper, untitled),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(LibrarianTest, ImportAcceptsAndRejectsItemByItemAcrossCommits) {
  OpenLibrarian({.commit_delay = absl::Milliseconds(1), .max_batch = 7});
  std::string text;
  ASSERT_TRUE(
      ReadWholeFile(absl::StrCat(testing::SourceDir(),
                                 "/../shared/data/papers/systems_other.jsonl"),
                    &text));
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  lines.resize(40);
  lines[5] = R"({"authors": ["No Title"]})";
  lines[9] = "{not json";
  // What the catalog reader itself makes of each line.
  int readable = 0;
  for (const std::string& line : lines) {
    readable += ParseJsonLinesCatalog(line, "x").records.size();
  }
  ASSERT_EQ(readable, 38);

  std::vector<v1::PaperInput> items;
  for (size_t i = 0; i < lines.size(); ++i) {
    v1::PaperInput& item = items.emplace_back();
    item.set_json(lines[i]);
    item.set_source(absl::StrCat("systems_other.jsonl:", i + 1));
  }
  const uint64_t before = Revision();
  std::promise<absl::StatusOr<v1::ImportPapersResponse>> answer;
  librarian_->ImportPapers(items, "import-1", [&](auto result) {
    answer.set_value(std::move(result));
  });
  auto response = answer.get_future().get();
  ASSERT_THAT(response, IsOk());
  EXPECT_EQ(response->accepted(), 38);
  EXPECT_EQ(response->rejected(), 2);
  EXPECT_EQ(response->created() + response->updated() + response->unchanged(),
            38);
  ASSERT_THAT(response->items(), SizeIs(40));
  EXPECT_FALSE(response->items(5).accepted());
  EXPECT_THAT(response->items(5).reason(), HasSubstr("title"));
  EXPECT_EQ(response->items(9).source(), "systems_other.jsonl:10");
  // 38 papers, 7 per commit: the import committed as it went.
  EXPECT_GT(Revision(), before + 1);
  EXPECT_EQ(response->revision(), Revision());

  auto paper = Reader()->GetPaper(response->items(0).paper_id());
  ASSERT_THAT(paper, IsOk());
  v1::SearchRequest search;
  search.set_query(absl::StrCat("\"", paper->paper.title(), "\""));
  auto hits = Reader()->Search(search, absl::InfiniteFuture());
  ASSERT_THAT(hits, IsOk());
  ASSERT_THAT(hits->hits(), Not(::testing::IsEmpty()));
  EXPECT_EQ(hits->hits(0).id(), paper->paper.id());
}

TEST_F(LibrarianTest, SummariesLinkToTheirSessionAndDeletesKeepLinksWhole) {
  v1::UpsertSummaryRequest request;
  v1::SummaryInput* summary = request.mutable_summary();
  summary->set_group("fall-2024");
  summary->set_date("2024-09-03");
  summary->set_text(
      "# 补充讨论\n\n关于语义变量的调度，大家又补充了缓存复用的细节。");
  auto written = Wait(*librarian_, &Librarian::UpsertSummary, request);
  ASSERT_THAT(written, IsOk());
  EXPECT_EQ(written->result().outcome(), v1::WRITE_OUTCOME_CREATED);
  EXPECT_EQ(written->summary().id(), "api/fall-2024/2024-09-03-1");
  EXPECT_EQ(written->summary().session_id(), "fall-2024/2024-09-03/1");
  EXPECT_EQ(written->summary().language(), "zh");
  auto details = Reader()->GetSessions("fall-2024", "2024-09-03", 1);
  ASSERT_THAT(details, IsOk());
  std::vector<std::string> ids;
  for (const auto& s : details->summaries) ids.push_back(s.id());
  EXPECT_THAT(ids, Contains("api/fall-2024/2024-09-03-1"));

  v1::UpsertSummaryRequest no_session = request;
  no_session.mutable_summary()->set_date("2024-09-04");
  EXPECT_THAT(Wait(*librarian_, &Librarian::UpsertSummary, no_session),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("2024-09-04")));

  // A session with summaries cannot go first; its summaries can.
  v1::DeleteSessionRequest delete_session;
  delete_session.set_group("fall-2024");
  delete_session.set_date("2024-09-03");
  EXPECT_THAT(Wait(*librarian_, &Librarian::DeleteSession, delete_session),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("api/fall-2024/2024-09-03-1")));
  for (const std::string& id : ids) {
    v1::DeleteSummaryRequest delete_summary;
    delete_summary.set_id(id);
    auto deleted = Wait(*librarian_, &Librarian::DeleteSummary, delete_summary);
    ASSERT_THAT(deleted, IsOk());
    EXPECT_EQ(deleted->result().outcome(), v1::WRITE_OUTCOME_DELETED);
  }
  // The session's paper is linked from it: not deletable yet.
  v1::DeletePaperRequest delete_paper;
  delete_paper.set_id(details->sessions[0].paper().paper_id());
  ASSERT_FALSE(delete_paper.id().empty());
  EXPECT_THAT(Wait(*librarian_, &Librarian::DeletePaper, delete_paper),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  ASSERT_THAT(Wait(*librarian_, &Librarian::DeleteSession, delete_session),
              IsOk());
  EXPECT_THAT(Reader()->GetSessions("fall-2024", "2024-09-03", 1),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(Wait(*librarian_, &Librarian::DeleteSession, delete_session),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(LibrarianTest, WritesQueuedTogetherShareOneCommit) {
  OpenLibrarian({.commit_delay = absl::Milliseconds(500), .max_batch = 1000});
  const uint64_t before = Revision();
  constexpr int kWrites = 12;
  std::vector<std::promise<absl::StatusOr<v1::UpsertSessionResponse>>> answers(
      kWrites);
  for (int i = 0; i < kWrites; ++i) {
    v1::UpsertSessionRequest request;
    request.mutable_session()->set_group("fall-2024");
    request.mutable_session()->set_date("2025-03-04");
    request.mutable_session()->set_ordinal(i + 1);
    request.mutable_session()->set_title(absl::StrCat("Talk number ", i));
    librarian_->UpsertSession(request, [&answers, i](auto result) {
      answers[i].set_value(std::move(result));
    });
  }
  std::set<uint64_t> revisions;
  for (auto& answer : answers) {
    auto response = answer.get_future().get();
    ASSERT_THAT(response, IsOk());
    EXPECT_EQ(response->result().outcome(), v1::WRITE_OUTCOME_CREATED);
    revisions.insert(response->result().revision());
  }
  EXPECT_THAT(revisions, ::testing::ElementsAre(before + 1));
  EXPECT_EQ(Revision(), before + 1);
}

TEST_F(LibrarianTest, OneWriterAtATimeAndReindexingKeepsWrittenRecords) {
  // lectern-index cannot open an index the Librarian holds.
  EXPECT_THAT(
      IndexWriter::Open(path()),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("locked")));

  v1::UpsertPaperRequest paper;
  paper.mutable_paper()->set_title("Kept Across Reindexing");
  paper.mutable_paper()->set_venue("SOSP");
  paper.mutable_paper()->set_year(2025);
  auto created = Wait(*librarian_, &Librarian::UpsertPaper, paper);
  ASSERT_THAT(created, IsOk());
  ASSERT_THAT(Upsert(SignUp(UnpresentedOsdiPaper())), IsOk());
  librarian_.reset();

  // A reindex from the files: the written paper stays; the session the
  // schedule also lists takes the schedule's version again.
  auto writer = IndexWriter::Open(path());
  ASSERT_THAT(writer, IsOk());
  auto report = (*writer)->Apply(bundled_->corpus);
  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->deleted, 0);
  writer->reset();
  EXPECT_THAT(Reader()->GetPaper(created->paper().id()), IsOk());
  EXPECT_THAT(OpenDates("fall-2024"), Contains("2024-12-24"));
}

}  // namespace
}  // namespace lectern
