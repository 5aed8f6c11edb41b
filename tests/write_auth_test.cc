// Every write path of lecternd --write tried without a valid write token:
// each LecternWriter RPC (the ImportPapers stream included) with no token,
// a read-only token and forged ones, and the HTTP gateway's write methods.
// Each is refused with the code docs/API.md documents, and nothing is
// written: the index's counts, revision and document count are the same
// before and after (read through GetStats while lecternd runs, and from
// the index folder itself once it has stopped), and the attempted content
// is found nowhere. One write with the write token then goes through, to
// show the test would see a write.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <xapian.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "indexer/schema.h"
#include "lectern/v1/lectern.grpc.pb.h"
#include "lectern/v1/writer.grpc.pb.h"
#include "tests/testing/lecternd_process.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/tokens.h"

namespace lectern {
namespace {

using ::lectern::testing::IsOk;
using ::lectern::testing::LecterndProcess;
using ::lectern::testing::TempDir;
using ::testing::IsEmpty;
using ::testing::Not;
using Code = ::grpc::StatusCode;

using ::lectern::testing::kReadToken;
using ::lectern::testing::kWriteToken;
using ::lectern::testing::WriteTokenFile;

// A word no record of the bundled data holds: every attempted write
// carries it, so a search for it finds anything that got through.
constexpr char kMarker[] = "zyxwvutsrq";

// One way to present (or not) credentials: the "authorization" metadata
// values sent, in order.
struct Credential {
  std::string label;
  std::vector<std::string> authorization;
  Code code;  // as docs/API.md documents it
};

std::vector<Credential> HostileCredentials() {
  const std::string token = kWriteToken;
  std::string last_changed = token;
  last_changed.back() = last_changed.back() == 'f' ? 'e' : 'f';
  std::string first_changed = token;
  first_changed.front() = first_changed.front() == 'b' ? 'c' : 'b';
  std::string middle_changed = token;
  middle_changed[token.size() / 2] ^= 0x01;
  const Code unauthenticated = Code::UNAUTHENTICATED;
  return {
      {"no token", {}, unauthenticated},
      {"read-only token",
       {absl::StrCat("Bearer ", kReadToken)},
       Code::PERMISSION_DENIED},
      {"read-only token, lower-case scheme",
       {absl::StrCat("bearer ", kReadToken)},
       Code::PERMISSION_DENIED},
      {"unknown token", {"Bearer forged-token-0123456789ab"}, unauthenticated},
      {"write token with its last byte changed",
       {absl::StrCat("Bearer ", last_changed)},
       unauthenticated},
      {"write token with its first byte changed",
       {absl::StrCat("Bearer ", first_changed)},
       unauthenticated},
      {"write token with a middle bit flipped",
       {absl::StrCat("Bearer ", middle_changed)},
       unauthenticated},
      {"write token without its last byte",
       {absl::StrCat("Bearer ", token.substr(0, token.size() - 1))},
       unauthenticated},
      {"write token with a byte appended",
       {absl::StrCat("Bearer ", token, "0")},
       unauthenticated},
      {"write token twice in one value",
       {absl::StrCat("Bearer ", token, token)},
       unauthenticated},
      {"\"Bearer\" with nothing", {"Bearer"}, unauthenticated},
      {"\"Bearer \" with nothing", {"Bearer "}, unauthenticated},
      {"empty value", {""}, unauthenticated},
      {"wrong scheme (Basic)",
       {absl::StrCat("Basic ",
                     absl::Base64Escape(absl::StrCat("bot:", token)))},
       unauthenticated},
      {"wrong scheme (Token)",
       {absl::StrCat("Token ", token)},
       unauthenticated},
      {"no scheme", {token}, unauthenticated},
      {"the token's name instead of the token",
       {"Bearer bot"},
       unauthenticated},
      {"another name's token with the writer's name",
       {absl::StrCat("Bearer bot:", kReadToken)},
       unauthenticated},
      {"duplicated: write token, then forged",
       {absl::StrCat("Bearer ", token), "Bearer forged-token-0123456789ab"},
       unauthenticated},
      {"duplicated: forged, then write token",
       {"Bearer forged-token-0123456789ab", absl::StrCat("Bearer ", token)},
       unauthenticated},
      {"duplicated: read-only, then write token",
       {absl::StrCat("Bearer ", kReadToken), absl::StrCat("Bearer ", token)},
       unauthenticated},
      {"duplicated: write token, then read-only",
       {absl::StrCat("Bearer ", token), absl::StrCat("Bearer ", kReadToken)},
       unauthenticated},
      {"duplicated: the write token twice",
       {absl::StrCat("Bearer ", token), absl::StrCat("Bearer ", token)},
       unauthenticated},
  };
}

std::unique_ptr<grpc::ClientContext> ContextWith(
    const std::vector<std::string>& authorization) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(10));
  for (const std::string& value : authorization) {
    context->AddMetadata("authorization", value);
  }
  return context;
}

// What the index holds, as far as a write could change it.
struct IndexState {
  int64_t documents = 0;
  int64_t sessions = 0;
  int64_t papers = 0;
  int64_t summaries = 0;
  uint64_t revision = 0;

  bool operator==(const IndexState& other) const {
    return documents == other.documents && sessions == other.sessions &&
           papers == other.papers && summaries == other.summaries &&
           revision == other.revision;
  }
};
std::ostream& operator<<(std::ostream& out, const IndexState& state) {
  return out << "{documents=" << state.documents
             << " sessions=" << state.sessions << " papers=" << state.papers
             << " summaries=" << state.summaries
             << " revision=" << state.revision << "}";
}

// The state read from the index folder itself.
IndexState ReadIndexFolder(const std::string& path) {
  IndexState state;
  try {
    Xapian::Database db(path);
    state.documents = db.get_doccount();
    state.sessions =
        db.get_termfreq(schema::Term(schema::kType, schema::kTypeSession));
    state.papers =
        db.get_termfreq(schema::Term(schema::kType, schema::kTypePaper));
    state.summaries =
        db.get_termfreq(schema::Term(schema::kType, schema::kTypeSummary));
    state.revision = db.get_revision();
  } catch (const Xapian::Error& e) {
    ADD_FAILURE() << "cannot read the index at " << path << ": "
                  << e.get_description();
  }
  return state;
}

class WriteAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(
        testing::BuildBundledIndex(dir_, dir_.Path("index")));
    WriteTokenFile(dir_.Path("tokens"));
    server_ = std::make_unique<LecterndProcess>(
        dir_, dir_.Path("index"),
        std::vector<std::string>{"--write", "--token_file", dir_.Path("tokens"),
                                 "--http_listen", "127.0.0.1:0",
                                 "--http_port_file", dir_.Path("http.port")});
    ASSERT_TRUE(server_->ok()) << server_->Log();
    auto http_port =
        testing::WaitForPortFile(dir_.Path("http.port"), absl::Seconds(20));
    ASSERT_THAT(http_port, IsOk());
    http_port_ = *http_port;
    reader_ = v1::Lectern::NewStub(server_->channel());
    writer_ = v1::LecternWriter::NewStub(server_->channel());
  }

  IndexState ServedState() {
    v1::GetStatsResponse stats;
    const grpc::Status status =
        reader_->GetStats(testing::ContextWithDeadline().get(), {}, &stats);
    EXPECT_TRUE(status.ok()) << status.error_message();
    IndexState state;
    state.documents = stats.documents();
    state.sessions = stats.sessions();
    state.papers = stats.papers();
    state.summaries = stats.summaries();
    state.revision = stats.revision();
    return state;
  }

  // Hits of a search for `query` (every page's worth up to 100).
  int Hits(const std::string& query) {
    v1::SearchRequest request;
    request.set_query(query);
    request.set_page_size(100);
    v1::SearchResponse response;
    const grpc::Status status = reader_->Search(
        testing::ContextWithDeadline().get(), request, &response);
    EXPECT_TRUE(status.ok()) << query << ": " << status.error_message();
    return response.hits_size();
  }

  // The id of the first hit of `query`, which must have one.
  std::string FirstId(const std::string& query,
                      const std::function<bool(const v1::SearchHit&)>& wanted) {
    v1::SearchRequest request;
    request.set_query(query);
    request.set_page_size(100);
    v1::SearchResponse response;
    const grpc::Status status = reader_->Search(
        testing::ContextWithDeadline().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    for (const v1::SearchHit& hit : response.hits()) {
      if (wanted(hit)) return hit.id();
    }
    ADD_FAILURE() << "no suitable hit for " << query;
    return "";
  }

  TempDir dir_;
  std::unique_ptr<LecterndProcess> server_;
  int http_port_ = 0;
  std::unique_ptr<v1::Lectern::Stub> reader_;
  std::unique_ptr<v1::LecternWriter::Stub> writer_;
};

TEST_F(WriteAuthTest, EveryWritePathRefusesBadTokensAndWritesNothing) {
  // Targets that exist, so each write would change the index if it were
  // let through: a paper no session or summary links to, a summary, the
  // open slot of 2024-12-24.
  const std::string lone_paper =
      FirstId("type:paper serverless", [](const v1::SearchHit& hit) {
        return hit.linked_sessions().empty() && hit.linked_summaries().empty();
      });
  const std::string summary_id =
      FirstId("type:summary", [](const v1::SearchHit&) { return true; });
  ASSERT_FALSE(lone_paper.empty());
  ASSERT_FALSE(summary_id.empty());
  const std::string request_id = absl::StrCat("hostile-", kMarker);

  v1::UpsertSessionRequest upsert_session;
  upsert_session.set_request_id(request_id);
  upsert_session.mutable_session()->set_group("fall-2024");
  upsert_session.mutable_session()->set_date("2024-12-31");
  upsert_session.mutable_session()->set_title(
      absl::StrCat("Session ", kMarker));
  upsert_session.mutable_session()->add_presenters("Mallory");
  v1::DeleteSessionRequest delete_session;
  delete_session.set_request_id(request_id);
  delete_session.set_group("fall-2024");
  delete_session.set_date("2024-12-24");
  v1::UpsertPaperRequest upsert_paper;
  upsert_paper.set_request_id(request_id);
  upsert_paper.mutable_paper()->set_title(absl::StrCat("Paper ", kMarker));
  upsert_paper.mutable_paper()->set_venue("OSDI");
  upsert_paper.mutable_paper()->set_year(2024);
  upsert_paper.mutable_paper()->set_abstract(
      absl::StrCat("About ", kMarker, "."));
  v1::DeletePaperRequest delete_paper;
  delete_paper.set_request_id(request_id);
  delete_paper.set_id(lone_paper);
  v1::UpsertSummaryRequest upsert_summary;
  upsert_summary.set_request_id(request_id);
  upsert_summary.mutable_summary()->set_group("fall-2024");
  upsert_summary.mutable_summary()->set_date("2024-10-15");
  upsert_summary.mutable_summary()->set_language("en");
  upsert_summary.mutable_summary()->set_text(
      absl::StrCat("# Notes\n\nWe discussed ", kMarker, ".\n"));
  v1::DeleteSummaryRequest delete_summary;
  delete_summary.set_request_id(request_id);
  delete_summary.set_id(summary_id);

  // Every write path, as one call with the given metadata.
  using Attempt = std::function<grpc::Status(const std::vector<std::string>&)>;
  const std::vector<std::pair<std::string, Attempt>> paths = {
      {"UpsertSession",
       [&](const std::vector<std::string>& auth) {
         v1::UpsertSessionResponse response;
         return writer_->UpsertSession(ContextWith(auth).get(), upsert_session,
                                       &response);
       }},
      {"DeleteSession",
       [&](const std::vector<std::string>& auth) {
         v1::DeleteResponse response;
         return writer_->DeleteSession(ContextWith(auth).get(), delete_session,
                                       &response);
       }},
      {"UpsertPaper",
       [&](const std::vector<std::string>& auth) {
         v1::UpsertPaperResponse response;
         return writer_->UpsertPaper(ContextWith(auth).get(), upsert_paper,
                                     &response);
       }},
      {"DeletePaper",
       [&](const std::vector<std::string>& auth) {
         v1::DeleteResponse response;
         return writer_->DeletePaper(ContextWith(auth).get(), delete_paper,
                                     &response);
       }},
      {"UpsertSummary",
       [&](const std::vector<std::string>& auth) {
         v1::UpsertSummaryResponse response;
         return writer_->UpsertSummary(ContextWith(auth).get(), upsert_summary,
                                       &response);
       }},
      {"DeleteSummary",
       [&](const std::vector<std::string>& auth) {
         v1::DeleteResponse response;
         return writer_->DeleteSummary(ContextWith(auth).get(), delete_summary,
                                       &response);
       }},
      {"ImportPapers",
       [&](const std::vector<std::string>& auth) {
         auto context = ContextWith(auth);
         v1::ImportPapersResponse response;
         auto stream = writer_->ImportPapers(context.get(), &response);
         for (int i = 0; i < 3; ++i) {
           v1::ImportPapersRequest item;
           if (i == 0) item.set_request_id(request_id);
           item.mutable_paper()->set_title(
               absl::StrCat("Imported ", kMarker, " ", i));
           item.mutable_paper()->set_venue("SOSP");
           item.mutable_paper()->set_year(2024);
           if (!stream->Write(item)) break;  // lecternd may end it early
         }
         stream->WritesDone();
         return stream->Finish();
       }},
  };

  const IndexState before = ServedState();
  const IndexState folder_before = ReadIndexFolder(dir_.Path("index"));
  ASSERT_EQ(before, folder_before);
  ASSERT_EQ(Hits(kMarker), 0);

  std::map<std::string, int> codes;
  int attempts = 0;
  for (const Credential& credential : HostileCredentials()) {
    for (const auto& [name, attempt] : paths) {
      SCOPED_TRACE(absl::StrCat(name, " with ", credential.label));
      const grpc::Status status = attempt(credential.authorization);
      ++attempts;
      ++codes[absl::StatusCodeToString(
          static_cast<absl::StatusCode>(status.error_code()))];
      EXPECT_EQ(status.error_code(), credential.code) << status.error_message();
      EXPECT_THAT(status.error_message(), Not(IsEmpty()));
    }
  }

  // The HTTP gateway serves no write route: every write method is refused
  // (405 on a read route, 404 elsewhere), even with the write token.
  httplib::Client http("127.0.0.1", http_port_);
  http.set_connection_timeout(5);
  http.set_read_timeout(10);
  const httplib::Headers write_token = {
      {"Authorization", absl::StrCat("Bearer ", kWriteToken)}};
  const std::string paper_json =
      absl::StrCat(R"({"paper":{"title":"Http )", kMarker,
                   R"(","venue":"OSDI","year":2024}})");
  int http_attempts = 0;
  for (const char* method : {"POST", "PUT", "PATCH", "DELETE"}) {
    for (const auto& [path, status] : std::vector<std::pair<std::string, int>>{
             {"/v1/papers/" + lone_paper, 405},
             {"/v1/groups/fall-2024/sessions/2024-12-24", 405},
             {"/v1/groups/fall-2024/schedule", 405},
             {"/v1/search?q=x", 405},
             {"/v1/papers", 404},
             {"/v1/summaries/" + summary_id, 404},
             {"/lectern.v1.LecternWriter/UpsertPaper", 404},
             {"/v1/papers:import", 404}}) {
      SCOPED_TRACE(absl::StrCat(method, " ", path));
      httplib::Request request;
      request.method = method;
      request.path = path;
      request.headers = write_token;
      request.body = paper_json;
      request.set_header("Content-Type", "application/json");
      auto response = http.send(request);
      ++http_attempts;
      ASSERT_TRUE(response) << httplib::to_string(response.error());
      EXPECT_EQ(response->status, status) << response->body;
    }
  }

  // Nothing was written.
  EXPECT_EQ(ServedState(), before);
  EXPECT_EQ(ReadIndexFolder(dir_.Path("index")), before);
  EXPECT_EQ(Hits(kMarker), 0);
  {
    v1::GetPaperRequest request;
    request.set_id(lone_paper);
    v1::GetPaperResponse response;
    EXPECT_TRUE(
        reader_
            ->GetPaper(testing::ContextWithDeadline().get(), request, &response)
            .ok());
  }

  // The write token writes: the test can see a write.
  v1::UpsertPaperResponse written;
  const grpc::Status status = writer_->UpsertPaper(
      ContextWith({absl::StrCat("Bearer ", kWriteToken)}).get(), upsert_paper,
      &written);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(written.result().outcome(), v1::WRITE_OUTCOME_CREATED);
  // No refused attempt stored an answer under the request id.
  EXPECT_FALSE(written.result().replayed());
  const IndexState after_write = ServedState();
  EXPECT_EQ(after_write.papers, before.papers + 1);
  EXPECT_EQ(after_write.documents, before.documents + 1);
  EXPECT_EQ(after_write.revision, before.revision + 1);
  EXPECT_EQ(Hits(kMarker), 1);

  // Stopped, the index folder holds exactly that one commit.
  server_->process().Signal(SIGTERM);
  const std::optional<int> exit_code =
      server_->process().Wait(absl::Seconds(20));
  ASSERT_TRUE(exit_code.has_value()) << "lecternd did not stop on SIGTERM";
  EXPECT_EQ(*exit_code, 0) << server_->Log();
  EXPECT_EQ(ReadIndexFolder(dir_.Path("index")), after_write);

  std::printf(
      "refused write attempts: %d gRPC (%zu credentials x %zu paths)"
      " + %d HTTP\n",
      attempts, HostileCredentials().size(), paths.size(), http_attempts);
  for (const auto& [code, count] : codes) {
    std::printf("  %-20s %d\n", code.c_str(), count);
  }
  std::printf(
      "index before %s, after the valid write %s\n",
      absl::StrCat(before.documents, " docs r", before.revision).c_str(),
      absl::StrCat(after_write.documents, " docs r", after_write.revision)
          .c_str());
}

}  // namespace
}  // namespace lectern
