// The write API end to end: the real lectern-index builds the bundled
// index, the real lecternd serves it with --write and a token file on an
// ephemeral 127.0.0.1 port, and the tests call it through generated stubs.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "indexer/catalog.h"
#include "lectern/v1/lectern.grpc.pb.h"
#include "lectern/v1/writer.grpc.pb.h"
#include "tests/testing/lecternd_process.h"
#include "tests/testing/paths.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/tokens.h"

namespace lectern {
namespace {

using ::lectern::testing::ContextWithDeadline;
using ::lectern::testing::IsOk;
using ::lectern::testing::LecterndProcess;
using ::lectern::testing::TempDir;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

using ::lectern::testing::kReadToken;
using ::lectern::testing::kWriteToken;
using ::lectern::testing::WriteTokenFile;

class WriterServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    testing::BuildBundledIndex(*dir_, dir_->Path("index"));
    WriteTokenFile(dir_->Path("tokens"));
    server_ =
        new LecterndProcess(*dir_, dir_->Path("index"),
                            {"--write", "--token_file", dir_->Path("tokens")});
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }
  void SetUp() override {
    ASSERT_TRUE(server_->ok());
    reader_ = v1::Lectern::NewStub(server_->channel());
    writer_ = v1::LecternWriter::NewStub(server_->channel());
  }

  std::vector<std::string> OpenDates(const std::string& group) {
    v1::ListOpenDatesRequest request;
    request.set_group(group);
    v1::ListOpenDatesResponse response;
    const grpc::Status status =
        reader_->ListOpenDates(ContextWithDeadline().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<std::string> dates;
    for (const auto& date : response.open_dates()) dates.push_back(date.date());
    return dates;
  }

  uint64_t Revision() {
    v1::GetStatsResponse stats;
    EXPECT_TRUE(
        reader_->GetStats(ContextWithDeadline().get(), {}, &stats).ok());
    return stats.revision();
  }

  grpc::Status Upsert(const v1::UpsertSessionRequest& request,
                      const std::string& token,
                      v1::UpsertSessionResponse* response) {
    return writer_->UpsertSession(ContextWithDeadline(token).get(), request,
                                  response);
  }

  static TempDir* dir_;
  static LecterndProcess* server_;
  std::unique_ptr<v1::Lectern::Stub> reader_;
  std::unique_ptr<v1::LecternWriter::Stub> writer_;
};

TempDir* WriterServiceTest::dir_ = nullptr;
LecterndProcess* WriterServiceTest::server_ = nullptr;

TEST_F(WriterServiceTest, SignUpForAnOpenDateNeedsAWriteToken) {
  ASSERT_THAT(OpenDates("fall-2024"), Contains("2024-12-31"));
  v1::UpsertSessionRequest request;
  v1::SessionInput* session = request.mutable_session();
  session->set_group("fall-2024");
  session->set_date("2024-12-31");
  session->set_title("Tenplex: Dynamic Parallelism for Deep Learning");
  session->set_venue("SOSP'24");
  session->add_presenters("Kunzhao Xu");
  request.set_request_id("signup-2024-12-31");
  const uint64_t before = Revision();

  v1::UpsertSessionResponse response;
  grpc::Status status = Upsert(request, "", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  status = Upsert(request, kReadToken, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  status = Upsert(request, "forged-token-0123456789ab", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Revision(), before);
  EXPECT_THAT(OpenDates("fall-2024"), Contains("2024-12-31"));

  status = Upsert(request, kWriteToken, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.session().id(), "fall-2024/2024-12-31/1");
  EXPECT_EQ(response.result().outcome(), v1::WRITE_OUTCOME_UPDATED);
  EXPECT_EQ(response.result().revision(), before + 1);

  // Readers see the commit at once.
  EXPECT_THAT(OpenDates("fall-2024"), Not(Contains("2024-12-31")));
  v1::SearchRequest search;
  search.set_query("tenplex");
  v1::SearchResponse hits;
  ASSERT_TRUE(reader_->Search(ContextWithDeadline().get(), search, &hits).ok());
  ASSERT_THAT(hits.hits(), Not(IsEmpty()));
  EXPECT_EQ(hits.hits(0).id(), "fall-2024/2024-12-31/1");

  // A retry is answered from the first call and writes nothing.
  v1::UpsertSessionResponse retry;
  status = Upsert(request, kWriteToken, &retry);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(retry.result().replayed());
  EXPECT_EQ(Revision(), before + 1);

  // The log names the caller, never the token.
  const std::string log = server_->Log();
  EXPECT_THAT(log, HasSubstr("rpc=UpsertSession"));
  EXPECT_THAT(log, HasSubstr("caller=bot"));
  EXPECT_THAT(log, Not(HasSubstr(kWriteToken)));
  EXPECT_THAT(log, Not(HasSubstr(kReadToken)));
}

TEST_F(WriterServiceTest, BadWritesGetTheDocumentedStatus) {
  v1::UpsertSessionRequest request;
  request.mutable_session()->set_group("fall-2024");
  request.mutable_session()->set_date("December 32");
  v1::UpsertSessionResponse response;
  EXPECT_EQ(Upsert(request, kWriteToken, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  request.mutable_session()->set_group("nobody");
  request.mutable_session()->set_date("2025-01-01");
  EXPECT_EQ(Upsert(request, kWriteToken, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::DeletePaperRequest delete_paper;
  delete_paper.set_id("no-such-paper");
  v1::DeleteResponse deleted;
  EXPECT_EQ(writer_
                ->DeletePaper(ContextWithDeadline(kWriteToken).get(),
                              delete_paper, &deleted)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  // Larger than --max_message_bytes (4 MiB by default).
  v1::SearchRequest huge;
  huge.set_query(std::string(5 << 20, 'a'));
  v1::SearchResponse hits;
  EXPECT_EQ(
      reader_->Search(ContextWithDeadline().get(), huge, &hits).error_code(),
      grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(WriterServiceTest, BulkImportOfSystemsOtherReportsEachPaper) {
  const std::string path = absl::StrCat(
      testing::SourceDir(), "/../shared/data/papers/systems_other.jsonl");
  const std::string text = testing::ReadFile(path);
  ASSERT_THAT(text, Not(IsEmpty()));
  // What the catalog reader makes of the file, line by line.
  const ParsedCatalog expected = ParseJsonLinesCatalog(text, "x");
  int expected_rejected = 0;
  for (const ParseIssue& issue : expected.issues)
    expected_rejected += !issue.note;

  v1::ImportPapersResponse response;
  auto context = ContextWithDeadline(kWriteToken);
  // A bound on a stuck call, not a speed check: under AddressSanitizer on a
  // busy 2-core machine this import has taken more than a minute.
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::minutes(5));
  auto stream = writer_->ImportPapers(context.get(), &response);
  int line_number = 0;
  int sent = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    if (line.empty()) continue;
    v1::ImportPapersRequest item;
    item.mutable_paper()->set_json(std::string(line));
    item.mutable_paper()->set_source(
        absl::StrCat("systems_other.jsonl:", line_number));
    if (sent == 0) item.set_request_id("import-systems-other");
    ASSERT_TRUE(stream->Write(item));
    ++sent;
  }
  stream->WritesDone();
  const grpc::Status status = stream->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.accepted() + response.rejected(), sent);
  EXPECT_EQ(response.accepted(), static_cast<int>(expected.records.size()));
  EXPECT_EQ(response.rejected(), expected_rejected);
  EXPECT_EQ(response.items_size(), sent);
  EXPECT_GT(response.created(), 0);

  // Every accepted paper is searchable by its title.
  v1::GetPaperRequest get;
  get.set_id(response.items(0).paper_id());
  v1::GetPaperResponse paper;
  ASSERT_TRUE(reader_->GetPaper(ContextWithDeadline().get(), get, &paper).ok());
  v1::SearchRequest search;
  search.set_query(absl::StrCat("\"", paper.paper().title(), "\""));
  v1::SearchResponse hits;
  ASSERT_TRUE(reader_->Search(ContextWithDeadline().get(), search, &hits).ok());
  ASSERT_THAT(hits.hits(), Not(IsEmpty()));
  EXPECT_EQ(hits.hits(0).id(), paper.paper().id());
}

TEST_F(WriterServiceTest, ReflectionListsTheWriteApi) {
  auto listing = testing::ListServicesByReflection(server_->channel());
  ASSERT_THAT(listing, IsOk());
  EXPECT_THAT(*listing, HasSubstr("lectern.v1.LecternWriter"));
  EXPECT_THAT(*listing, HasSubstr("lectern.v1.Lectern"));
}

TEST_F(WriterServiceTest, LecternIndexFailsFastOnTheIndexLecterndWrites) {
  auto code =
      testing::Run({testing::IndexerPath(), "--config",
                    testing::BundledConfig(), "--index", dir_->Path("index")},
                   dir_->Path("reindex.out"), dir_->Path("reindex.err"));
  ASSERT_THAT(code, IsOk());
  EXPECT_EQ(*code, 1);
  const std::string error = testing::ReadFile(dir_->Path("reindex.err"));
  EXPECT_THAT(error, HasSubstr("lecternd"));
  EXPECT_THAT(error, HasSubstr(server_->address()));
}

TEST(WriterLimitsTest, StreamsOverTheItemLimitImportNothing) {
  TempDir dir;
  ASSERT_NO_FATAL_FAILURE(testing::BuildBundledIndex(dir, dir.Path("index")));
  WriteTokenFile(dir.Path("tokens"));
  LecterndProcess server(dir, dir.Path("index"),
                         {"--write", "--token_file", dir.Path("tokens"),
                          "--max_stream_items", "3"});
  ASSERT_TRUE(server.ok());
  auto writer = v1::LecternWriter::NewStub(server.channel());
  v1::ImportPapersResponse response;
  auto context = ContextWithDeadline(kWriteToken);
  auto stream = writer->ImportPapers(context.get(), &response);
  for (int i = 0; i < 5; ++i) {
    v1::ImportPapersRequest item;
    item.mutable_paper()->set_title(absl::StrCat("Over The Limit ", i));
    if (!stream->Write(item)) break;  // the server may end it early
  }
  stream->WritesDone();
  EXPECT_EQ(stream->Finish().error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  v1::SearchRequest search;
  search.set_query("\"over the limit\"");
  v1::SearchResponse hits;
  auto reader = v1::Lectern::NewStub(server.channel());
  ASSERT_TRUE(reader->Search(ContextWithDeadline().get(), search, &hits).ok());
  EXPECT_THAT(hits.hits(), IsEmpty());
}

TEST(ReadTokenTest, RequireReadTokenClosesReads) {
  TempDir dir;
  ASSERT_NO_FATAL_FAILURE(testing::BuildBundledIndex(dir, dir.Path("index")));
  WriteTokenFile(dir.Path("tokens"));
  LecterndProcess server(
      dir, dir.Path("index"),
      {"--token_file", dir.Path("tokens"), "--require_read_token"});
  ASSERT_TRUE(server.ok());
  auto reader = v1::Lectern::NewStub(server.channel());
  v1::SearchRequest search;
  search.set_query("kv cache");
  v1::SearchResponse hits;
  EXPECT_EQ(
      reader->Search(ContextWithDeadline().get(), search, &hits).error_code(),
      grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(
      reader->Search(ContextWithDeadline(kReadToken).get(), search, &hits)
          .ok());
  EXPECT_THAT(hits.hits(), Not(IsEmpty()));
  // No --write: the write API is not served at all.
  auto writer = v1::LecternWriter::NewStub(server.channel());
  v1::DeleteSummaryRequest request;
  request.set_id("x");
  v1::DeleteResponse response;
  EXPECT_EQ(writer
                ->DeleteSummary(ContextWithDeadline(kWriteToken).get(), request,
                                &response)
                .error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
}

TEST(TlsTest, ServesOverTlsWithTheGivenCertificate) {
  TempDir dir;
  ASSERT_NO_FATAL_FAILURE(testing::BuildBundledIndex(dir, dir.Path("index")));
  auto made =
      testing::Run({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048",
                    "-nodes", "-days", "1", "-subj", "/CN=localhost", "-addext",
                    "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout",
                    dir.Path("key.pem"), "-out", dir.Path("cert.pem")},
                   dir.Path("openssl.out"), dir.Path("openssl.err"));
  ASSERT_THAT(made, IsOk());
  ASSERT_EQ(*made, 0) << testing::ReadFile(dir.Path("openssl.err"));
  LecterndProcess server(
      dir, dir.Path("index"),
      {"--tls_cert", dir.Path("cert.pem"), "--tls_key", dir.Path("key.pem")});
  ASSERT_FALSE(server.address().empty()) << server.Log();

  grpc::SslCredentialsOptions tls;
  tls.pem_root_certs = testing::ReadFile(dir.Path("cert.pem"));
  auto secure = v1::Lectern::NewStub(
      grpc::CreateChannel(server.address(), grpc::SslCredentials(tls)));
  v1::SearchRequest search;
  search.set_query("kv cache");
  v1::SearchResponse hits;
  const grpc::Status status =
      secure->Search(ContextWithDeadline().get(), search, &hits);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_THAT(hits.hits(), Not(IsEmpty()));
  // A plaintext client cannot talk to it.
  auto plain = v1::Lectern::NewStub(server.channel());
  EXPECT_FALSE(plain->Search(ContextWithDeadline().get(), search, &hits).ok());
}

}  // namespace
}  // namespace lectern
