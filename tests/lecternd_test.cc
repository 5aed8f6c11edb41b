// End-to-end tests of the real binaries: lectern-index builds an index of
// the bundled data in a temp folder, lecternd serves it on an ephemeral
// 127.0.0.1 port, and the tests call it through the generated stubs.
#include <gmock/gmock.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "lectern/v1/lectern.grpc.pb.h"
#include "tests/testing/lecternd_process.h"
#include "tests/testing/paths.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace lectern {
namespace {

using ::lectern::testing::IsOk;
using ::lectern::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using HealthResponse = ::grpc::health::v1::HealthCheckResponse;

// lecternd serving the bundled index, with a stub of the read API.
class Lecternd : public testing::LecterndProcess {
 public:
  Lecternd(const TempDir& dir, const std::string& index)
      : LecterndProcess(dir, index) {
    if (LecterndProcess::ok()) stub_ = v1::Lectern::NewStub(channel());
  }
  bool ok() const { return stub_ != nullptr; }
  v1::Lectern::Stub& stub() { return *stub_; }

 private:
  std::unique_ptr<v1::Lectern::Stub> stub_;
};

void WithDeadline(grpc::ClientContext* context) {
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(10));
}

// Builds the bundled index with the real lectern-index binary.
void BuildIndex(const TempDir& dir, const std::string& index) {
  ASSERT_NO_FATAL_FAILURE(testing::BuildBundledIndex(dir, index));
  EXPECT_THAT(testing::ReadFile(dir.Path("index.out")),
              HasSubstr("645 added"));  // 44 sessions, 594 papers, 7 summaries
}

class LecterndTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    BuildIndex(*dir_, dir_->Path("index"));
    server_ = new Lecternd(*dir_, dir_->Path("index"));
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }
  void SetUp() override { ASSERT_TRUE(server_->ok()); }

  grpc::Status Search(const std::string& query, v1::SearchResponse* response,
                      int page_size = 0, const std::string& token = "") {
    v1::SearchRequest request;
    request.set_query(query);
    request.set_page_size(page_size);
    request.set_page_token(token);
    grpc::ClientContext context;
    WithDeadline(&context);
    return server_->stub().Search(&context, request, response);
  }

  static TempDir* dir_;
  static Lecternd* server_;
};

TempDir* LecterndTest::dir_ = nullptr;
Lecternd* LecterndTest::server_ = nullptr;

TEST_F(LecterndTest, HealthIsServing) {
  auto health = grpc::health::v1::Health::NewStub(server_->channel());
  for (const std::string service : {"", "lectern.v1.Lectern"}) {
    grpc::ClientContext context;
    WithDeadline(&context);
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    HealthResponse response;
    ASSERT_TRUE(health->Check(&context, request, &response).ok()) << service;
    EXPECT_EQ(response.status(), HealthResponse::SERVING) << service;
  }
}

TEST_F(LecterndTest, SearchKvCacheReturnsInfiniGenFirst) {
  v1::SearchResponse response;
  ASSERT_TRUE(Search("kv cache", &response).ok());
  ASSERT_THAT(response.hits(), Not(IsEmpty()));
  const v1::SearchHit& first = response.hits(0);
  EXPECT_EQ(first.type(), v1::DOCUMENT_TYPE_SESSION);
  EXPECT_EQ(first.rank(), 1);
  EXPECT_EQ(first.session().date(), "2024-10-15");
  EXPECT_EQ(first.session().group(), "fall-2024");
  EXPECT_THAT(first.title(), HasSubstr("InfiniGen"));
  EXPECT_THAT(first.snippet(), HasSubstr("<mark>KV</mark>"));
  // The session links its catalog paper and its Q&A summary.
  EXPECT_THAT(first.linked_paper().title(), HasSubstr("InfiniGen"));
  ASSERT_THAT(first.linked_summaries(), SizeIs(1));
  EXPECT_EQ(first.linked_summaries(0).session_id(), first.session().id());
}

TEST_F(LecterndTest, SearchPresenterReturnsAllSixSessions) {
  v1::SearchResponse response;
  ASSERT_TRUE(Search("presenter:\"zongqing wei\"", &response).ok());
  ASSERT_THAT(response.hits(), SizeIs(6));
  int lowercase_spelling = 0;
  for (const v1::SearchHit& hit : response.hits()) {
    ASSERT_EQ(hit.session().presenters_size(), 1);
    EXPECT_EQ(hit.session().presenters(0).name(), "Zongqing Wei");
    lowercase_spelling +=
        hit.session().presenters(0).written_as() == "Zongqing wei";
  }
  EXPECT_EQ(lowercase_spelling, 1);
}

TEST_F(LecterndTest, PageTokensWalkTheResults) {
  v1::SearchResponse first;
  ASSERT_TRUE(Search("type:session group:paper-list-2024", &first, 20).ok());
  ASSERT_THAT(first.hits(), SizeIs(20));
  ASSERT_NE(first.next_page_token(), "");
  v1::SearchResponse second;
  ASSERT_TRUE(Search("type:session group:paper-list-2024", &second, 20,
                     first.next_page_token())
                  .ok());
  ASSERT_THAT(second.hits(), SizeIs(4));
  EXPECT_EQ(second.hits(0).rank(), 21);
  EXPECT_EQ(second.next_page_token(), "");

  // A token is bound to its query.
  v1::SearchResponse other;
  const grpc::Status status =
      Search("kv cache", &other, 20, first.next_page_token());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("page_token"));
}

TEST_F(LecterndTest, MalformedRequestsAreInvalidArgumentWithAMessage) {
  for (const std::string query : {"", "AND", "year:abc"}) {
    v1::SearchResponse response;
    const grpc::Status status = Search(query, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << query;
    EXPECT_THAT(status.error_message(), Not(IsEmpty())) << query;
  }
  v1::SearchResponse response;
  EXPECT_EQ(Search("cache", &response, -1).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Search("cache", &response, 0, "garbage!").error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(LecterndTest, SearchCarriesFiltersFacetsAndCorrections) {
  v1::SearchRequest request;
  request.set_query("infinigne");
  request.set_auto_correct(true);
  request.mutable_filters()->add_groups("fall-2024");
  request.add_facets(v1::FACET_TYPE);
  request.add_facets(v1::FACET_GROUP);
  v1::SearchResponse response;
  grpc::ClientContext context;
  WithDeadline(&context);
  ASSERT_TRUE(server_->stub().Search(&context, request, &response).ok());
  EXPECT_EQ(response.corrected_query(), "infinigen");
  EXPECT_TRUE(response.ran_corrected_query());
  ASSERT_THAT(response.hits(), Not(IsEmpty()));
  for (const v1::SearchHit& hit : response.hits()) {
    EXPECT_NE(hit.type(), v1::DOCUMENT_TYPE_PAPER);  // papers have no group
  }
  ASSERT_THAT(response.facets(), SizeIs(2));
  EXPECT_EQ(response.facets(0).facet(), v1::FACET_TYPE);
  // The group facet leaves out the group filter: the paper record of
  // InfiniGen has no group, so only fall-2024 is counted.
  EXPECT_EQ(response.facets(1).facet(), v1::FACET_GROUP);
  ASSERT_THAT(response.facets(1).values(), Not(IsEmpty()));
  EXPECT_EQ(response.facets(1).values(0).value(), "fall-2024");

  v1::SearchRequest bad = request;
  bad.mutable_filters()->set_date_from("2024-02-30");
  grpc::ClientContext bad_context;
  WithDeadline(&bad_context);
  const grpc::Status status =
      server_->stub().Search(&bad_context, bad, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("2024-02-30"));
}

TEST_F(LecterndTest, GetSessionShowsTheOpenSlot) {
  v1::GetSessionRequest request;
  request.set_group("fall-2024");
  request.set_date("2024-12-24");
  v1::GetSessionResponse response;
  grpc::ClientContext context;
  WithDeadline(&context);
  ASSERT_TRUE(server_->stub().GetSession(&context, request, &response).ok());
  ASSERT_THAT(response.sessions(), SizeIs(1));
  EXPECT_EQ(response.sessions(0).kind(), v1::SESSION_KIND_OPEN);
  ASSERT_EQ(response.sessions(0).presenters_size(), 1);
  EXPECT_EQ(response.sessions(0).presenters(0).name(), "Yinhe Chen");
  EXPECT_EQ(response.group().display_name(), "2024 Fall");
  EXPECT_THAT(response.group().rules_text(), HasSubstr("SOSP and OSDI"));
}

TEST_F(LecterndTest, GetSessionErrorsMapToGrpcCodes) {
  struct Case {
    std::string group, date;
    grpc::StatusCode code;
  };
  for (const Case& c :
       {Case{"fall-2024", "2024-12-25", grpc::StatusCode::NOT_FOUND},
        Case{"nobody", "2024-12-24", grpc::StatusCode::NOT_FOUND},
        Case{"fall-2024", "Dec 24", grpc::StatusCode::INVALID_ARGUMENT},
        Case{"", "2024-12-24", grpc::StatusCode::INVALID_ARGUMENT}}) {
    v1::GetSessionRequest request;
    request.set_group(c.group);
    request.set_date(c.date);
    v1::GetSessionResponse response;
    grpc::ClientContext context;
    WithDeadline(&context);
    const grpc::Status status =
        server_->stub().GetSession(&context, request, &response);
    EXPECT_EQ(status.error_code(), c.code) << c.group << " " << c.date;
    EXPECT_THAT(status.error_message(), Not(IsEmpty()));
  }
}

TEST_F(LecterndTest, GetStatsCountsBothGroups) {
  v1::GetStatsResponse response;
  grpc::ClientContext context;
  WithDeadline(&context);
  ASSERT_TRUE(server_->stub()
                  .GetStats(&context, v1::GetStatsRequest(), &response)
                  .ok());
  EXPECT_EQ(response.sessions(), 44);
  EXPECT_EQ(response.papers(), 594);
  EXPECT_EQ(response.summaries(), 7);
  EXPECT_EQ(response.documents(), 44 + 594 + 7);
  ASSERT_THAT(response.groups(), SizeIs(2));
  EXPECT_EQ(response.groups(0).sessions() + response.groups(1).sessions(), 44);
  EXPECT_GT(response.revision(), 0u);
}

// The errors the Searcher documents reach the client with their codes and
// messages. (These need the real Suggest and ListOpenDates behind the
// adapters.)
TEST_F(LecterndTest, SuggestForAnUnknownGroupIsNotFound) {
  v1::SuggestRequest request;
  request.set_group("no-such-group");
  v1::SuggestResponse response;
  grpc::ClientContext context;
  WithDeadline(&context);
  const grpc::Status status =
      server_->stub().Suggest(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), Not(IsEmpty()));
}

TEST_F(LecterndTest, SuggestOverGrpcAnswersEveryOpenDate) {
  v1::ListOpenDatesRequest open_request;
  open_request.set_group("fall-2024");
  v1::ListOpenDatesResponse open;
  {
    grpc::ClientContext context;
    WithDeadline(&context);
    ASSERT_TRUE(
        server_->stub().ListOpenDates(&context, open_request, &open).ok());
  }
  ASSERT_EQ(open.open_dates_size(), 4);
  EXPECT_EQ(open.open_dates(0).date(), "2024-12-24");

  v1::SuggestRequest request;
  request.set_group("fall-2024");
  request.set_count(2);
  v1::SuggestResponse response;
  grpc::ClientContext context;
  WithDeadline(&context);
  const grpc::Status status =
      server_->stub().Suggest(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.dates_size(), open.open_dates_size());
  for (int i = 0; i < response.dates_size(); ++i) {
    EXPECT_EQ(response.dates(i).date(), open.open_dates(i).date());
    ASSERT_EQ(response.dates(i).candidates_size(), 2);
    for (const v1::Candidate& candidate : response.dates(i).candidates()) {
      EXPECT_THAT(candidate.explanation(), HasSubstr("Qualifies:"));
    }
  }

  // A date that already has a paper.
  request.add_dates("2024-09-03");
  grpc::ClientContext taken;
  WithDeadline(&taken);
  EXPECT_EQ(server_->stub().Suggest(&taken, request, &response).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(LecterndTest, ListOpenDatesErrorsMapToGrpcCodes) {
  struct Case {
    std::string group, from;
    grpc::StatusCode code;
  };
  for (const Case& c :
       {Case{"no-such-group", "", grpc::StatusCode::NOT_FOUND},
        Case{"fall-2024", "2024-13-45", grpc::StatusCode::INVALID_ARGUMENT}}) {
    v1::ListOpenDatesRequest request;
    request.set_group(c.group);
    request.set_from(c.from);
    v1::ListOpenDatesResponse response;
    grpc::ClientContext context;
    WithDeadline(&context);
    const grpc::Status status =
        server_->stub().ListOpenDates(&context, request, &response);
    EXPECT_EQ(status.error_code(), c.code) << c.group << " " << c.from;
    EXPECT_THAT(status.error_message(), Not(IsEmpty()));
  }
}

// Whatever they answer, Suggest and ListOpenDates log what was asked, so an
// operator can tell requests apart.
TEST_F(LecterndTest, SuggestAndListOpenDatesLogTheirRequests) {
  {
    v1::SuggestRequest request;
    request.set_group("log-suggest-group");
    request.add_dates("2024-12-24");
    request.add_dates("2024-12-31");
    request.set_topic("kv \"cache\"");
    request.set_explain("Nomad");
    v1::SuggestResponse response;
    grpc::ClientContext context;
    WithDeadline(&context);
    server_->stub().Suggest(&context, request, &response);
  }
  {
    v1::ListOpenDatesRequest request;
    request.set_group("log-open-dates-group");
    request.set_from("2024-12-01");
    request.set_until("2025-01-31");
    v1::ListOpenDatesResponse response;
    grpc::ClientContext context;
    WithDeadline(&context);
    server_->stub().ListOpenDates(&context, request, &response);
  }
  // lecternd writes the line before it answers.
  std::string suggest_line, open_dates_line;
  for (absl::string_view line : absl::StrSplit(server_->Log(), '\n')) {
    if (absl::StrContains(line, "group=\"log-suggest-group\"")) {
      suggest_line = std::string(line);
    }
    if (absl::StrContains(line, "group=\"log-open-dates-group\"")) {
      open_dates_line = std::string(line);
    }
  }
  EXPECT_THAT(suggest_line, HasSubstr(" rpc=Suggest "));
  EXPECT_THAT(suggest_line, HasSubstr(" dates=2 "));
  EXPECT_THAT(suggest_line, HasSubstr(" topic=\"kv \\\"cache\\\"\""));
  EXPECT_THAT(suggest_line, HasSubstr(" explain=\"Nomad\""));
  EXPECT_THAT(open_dates_line, HasSubstr(" rpc=ListOpenDates "));
  EXPECT_THAT(open_dates_line, HasSubstr(" from=\"2024-12-01\""));
  EXPECT_THAT(open_dates_line, HasSubstr(" until=\"2025-01-31\""));
}

TEST_F(LecterndTest, GetPaperListsEverySessionThatPresentedIt) {
  // Find PowerInfer's catalog id the way a client would: search papers.
  v1::SearchResponse found;
  ASSERT_TRUE(Search("type:paper title:powerinfer", &found).ok());
  ASSERT_THAT(found.hits(), SizeIs(1));
  ASSERT_EQ(found.hits(0).type(), v1::DOCUMENT_TYPE_PAPER);
  const std::string id = found.hits(0).paper().id();

  v1::GetPaperRequest request;
  request.set_id(id);
  v1::GetPaperResponse response;
  grpc::ClientContext context;
  WithDeadline(&context);
  ASSERT_TRUE(server_->stub().GetPaper(&context, request, &response).ok());
  EXPECT_EQ(response.paper().venue(), "SOSP");
  EXPECT_EQ(response.paper().year(), 2024);
  EXPECT_THAT(response.paper().abstract(), HasSubstr("consumer-grade GPU"));
  ASSERT_THAT(response.sessions(), SizeIs(2));
  EXPECT_EQ(response.sessions(0).date(), "2024-12-10");
  EXPECT_EQ(response.sessions(0).group(), "fall-2024");
  EXPECT_EQ(response.sessions(1).date(), "2025-01-07");
  EXPECT_EQ(response.sessions(1).group(), "paper-list-2024");
  ASSERT_THAT(response.summaries(), SizeIs(1));
  EXPECT_EQ(response.summaries(0).session_id(), response.sessions(1).id());
}

TEST_F(LecterndTest, GetPaperErrors) {
  for (const auto& [id, code] :
       {std::pair<std::string, grpc::StatusCode>{
            "", grpc::StatusCode::INVALID_ARGUMENT},
        {"osdi99-no-such-paper", grpc::StatusCode::NOT_FOUND}}) {
    v1::GetPaperRequest request;
    request.set_id(id);
    v1::GetPaperResponse response;
    grpc::ClientContext context;
    WithDeadline(&context);
    const grpc::Status status =
        server_->stub().GetPaper(&context, request, &response);
    EXPECT_EQ(status.error_code(), code) << id;
    EXPECT_THAT(status.error_message(), Not(IsEmpty()));
  }
}

TEST_F(LecterndTest, RelatedWorkMarksWhatTheGroupsPresented) {
  v1::RelatedWorkRequest request;
  request.set_paper("DistServe");
  request.set_count(15);
  v1::RelatedWorkResponse response;
  grpc::ClientContext context;
  WithDeadline(&context);
  ASSERT_TRUE(server_->stub().RelatedWork(&context, request, &response).ok());
  EXPECT_THAT(response.paper().title(), HasSubstr("DistServe"));
  ASSERT_THAT(response.related(), SizeIs(15));
  int presented = 0;
  for (const v1::RelatedPaper& related : response.related()) {
    EXPECT_THAT(related.evidence(), Not(IsEmpty()));
    presented += !related.sessions().empty();
  }
  EXPECT_GT(presented, 0);

  for (const auto& [paper, code] :
       {std::pair<std::string, grpc::StatusCode>{
            "", grpc::StatusCode::INVALID_ARGUMENT},
        {"zzzqqqxxy", grpc::StatusCode::NOT_FOUND}}) {
    request.set_paper(paper);
    grpc::ClientContext failing;
    WithDeadline(&failing);
    const grpc::Status status =
        server_->stub().RelatedWork(&failing, request, &response);
    EXPECT_EQ(status.error_code(), code) << paper;
    EXPECT_THAT(status.error_message(), Not(IsEmpty()));
  }
}

TEST_F(LecterndTest, PersonAndPeopleByRole) {
  v1::GetPersonRequest request;
  request.set_name("kunzhao xu");
  v1::GetPersonResponse person;
  grpc::ClientContext context;
  WithDeadline(&context);
  ASSERT_TRUE(server_->stub().GetPerson(&context, request, &person).ok());
  bool assisted_parrot = false;
  for (const v1::PersonSession& entry : person.sessions()) {
    assisted_parrot |= entry.session().id() == "fall-2024/2024-09-03/1" &&
                       entry.role() == v1::PRESENTER_ROLE_ASSIST;
  }
  EXPECT_TRUE(assisted_parrot);

  v1::ListPeopleRequest list;
  list.add_groups("fall-2024");
  list.set_as_of("2025-06-01");
  v1::ListPeopleResponse people;
  grpc::ClientContext list_context;
  WithDeadline(&list_context);
  ASSERT_TRUE(server_->stub().ListPeople(&list_context, list, &people).ok());
  EXPECT_THAT(people.people(), Not(IsEmpty()));

  request.set_name("Grace Hopper");
  grpc::ClientContext missing;
  WithDeadline(&missing);
  EXPECT_EQ(server_->stub().GetPerson(&missing, request, &person).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// Server reflection, spoken with a generic stub (Debian ships no
// reflection.proto for clients): ServerReflectionRequest{list_services: "*"}.
TEST_F(LecterndTest, ReflectionListsTheServices) {
  auto listing = testing::ListServicesByReflection(server_->channel());
  ASSERT_THAT(listing, IsOk());
  EXPECT_THAT(*listing, HasSubstr("lectern.v1.Lectern"));
  EXPECT_THAT(*listing, HasSubstr("grpc.health.v1.Health"));
  // The write API is served only with --write.
  EXPECT_THAT(*listing, Not(HasSubstr("lectern.v1.LecternWriter")));
}

TEST(LecterndLifecycleTest, LogsEachRequestAndStopsCleanlyOnSigterm) {
  TempDir dir;
  BuildIndex(dir, dir.Path("index"));
  Lecternd server(dir, dir.Path("index"));
  ASSERT_TRUE(server.ok());
  constexpr int kRequests = 5;
  for (int i = 0; i < kRequests; ++i) {
    v1::SearchRequest request;
    request.set_query(i % 2 == 0 ? "serverless" : "year:abc");
    v1::SearchResponse response;
    grpc::ClientContext context;
    WithDeadline(&context);
    server.stub().Search(&context, request, &response);
  }
  server.process().Signal(SIGTERM);
  const std::optional<int> code = server.process().Wait(absl::Seconds(20));
  ASSERT_TRUE(code.has_value()) << "lecternd did not stop on SIGTERM";
  EXPECT_EQ(*code, 0);

  const std::string log = server.Log();
  int request_lines = 0;
  for (absl::string_view line : absl::StrSplit(log, '\n')) {
    if (absl::StrContains(line, " rpc=Search ")) {
      ++request_lines;
      EXPECT_THAT(std::string(line), HasSubstr("peer="));
      EXPECT_THAT(std::string(line), HasSubstr("ms="));
    }
  }
  EXPECT_EQ(request_lines, kRequests);
  EXPECT_THAT(log, HasSubstr("status=INVALID_ARGUMENT"));
  EXPECT_THAT(log, HasSubstr("SIGTERM"));
  EXPECT_THAT(log, HasSubstr("stopped"));
}

TEST(LecterndLifecycleTest, MissingIndexKeepsItUpNotServingWithAClearMessage) {
  TempDir dir;
  const std::string missing = dir.Path("missing");
  testing::LecterndProcess server(dir, missing);
  ASSERT_TRUE(server.ok()) << server.Log();
  auto health = grpc::health::v1::Health::NewStub(server.channel());
  grpc::health::v1::HealthCheckRequest request;
  HealthResponse response;
  ASSERT_TRUE(
      health->Check(testing::ContextWithDeadline().get(), request, &response)
          .ok());
  EXPECT_EQ(response.status(), HealthResponse::NOT_SERVING);
  auto stub = v1::Lectern::NewStub(server.channel());
  v1::GetStatsResponse stats;
  const grpc::Status status =
      stub->GetStats(testing::ContextWithDeadline().get(), {}, &stats);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), HasSubstr(missing));
  EXPECT_THAT(server.Log(),
              HasSubstr(absl::StrCat("cannot serve index ", missing,
                                     ": no index at ", missing)));
  EXPECT_EQ(server.process().Wait(absl::ZeroDuration()), std::nullopt);
}

}  // namespace
}  // namespace lectern
