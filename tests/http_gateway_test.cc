// Tests of the HTTP/JSON gateway and the Prometheus metrics: the pure
// mapping functions, the gateway in process over a fake Lectern service,
// and end to end against the real lecternd with --http_listen, comparing
// each HTTP answer with the gRPC answer to the same request.
#include "service/http_gateway.h"

#include <gmock/gmock.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/wrappers.pb.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "lectern/v1/lectern.grpc.pb.h"
#include "service/metrics.h"
#include "tests/testing/paths.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace lectern {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::lectern::testing::IsOk;
using ::lectern::testing::StatusIs;
using ::lectern::testing::Subprocess;
using ::lectern::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

// ---------------------------------------------------------------------------
// Query strings and the parameter -> field mapping.

TEST(HttpGatewayParamsTest, ParseQueryStringDecodesInOrder) {
  auto params = ParseQueryString("q=kv+cache&b=%E2%9C%93&flag&&b=x%2By&=v");
  ASSERT_THAT(params, IsOk());
  EXPECT_THAT(
      *params,
      ElementsAre(std::pair<std::string, std::string>("q", "kv cache"),
                  std::pair<std::string, std::string>("b", "\xE2\x9C\x93"),
                  std::pair<std::string, std::string>("flag", ""),
                  std::pair<std::string, std::string>("b", "x+y"),
                  std::pair<std::string, std::string>("", "v")));
  EXPECT_THAT(ParseQueryString("q=%zz"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseQueryString("q=50%"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(HttpGatewayParamsTest, PercentDecodeKeepsPlusInPaths) {
  auto segment = PercentDecode("a+b%2Fc%20d", /*plus_is_space=*/false);
  ASSERT_THAT(segment, IsOk());
  EXPECT_EQ(*segment, "a+b/c d");
  EXPECT_THAT(PercentDecode("%4", false),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(HttpGatewayParamsTest, SetsScalarsByProtoOrJsonName) {
  v1::SearchRequest request;
  ASSERT_THAT(SetFieldsFromParams({{"query", "kv cache"},
                                   {"pageSize", "20"},
                                   {"page_token", "abc"},
                                   {"collapse_papers", "true"},
                                   {"autoCorrect", "false"},
                                   {"facet_limit", "-3"}},
                                  &request),
              IsOk());
  EXPECT_EQ(request.query(), "kv cache");
  EXPECT_EQ(request.page_size(), 20);
  EXPECT_EQ(request.page_token(), "abc");
  EXPECT_TRUE(request.collapse_papers());
  EXPECT_FALSE(request.auto_correct());
  EXPECT_EQ(request.facet_limit(), -3);
}

TEST(HttpGatewayParamsTest, SetsEnumsByNameOrNumber) {
  v1::SearchRequest request;
  ASSERT_THAT(SetFieldsFromParams({{"sort", "SEARCH_SORT_NEWEST"},
                                   {"facets", "FACET_VENUE"},
                                   {"facets", "3"}},
                                  &request),
              IsOk());
  EXPECT_EQ(request.sort(), v1::SEARCH_SORT_NEWEST);
  EXPECT_THAT(request.facets(), ElementsAre(v1::FACET_VENUE, v1::FACET_YEAR));

  v1::SearchRequest by_number;
  ASSERT_THAT(SetFieldsFromParams({{"sort", "3"}}, &by_number), IsOk());
  EXPECT_EQ(by_number.sort(), v1::SEARCH_SORT_OLDEST);

  for (const std::string value : {"NEWEST", "99", "", "search_sort_newest"}) {
    v1::SearchRequest bad;
    EXPECT_THAT(SetFieldsFromParams({{"sort", value}}, &bad),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("SEARCH_SORT_RELEVANCE")))
        << value;
  }
}

TEST(HttpGatewayParamsTest, RepeatedAndNestedFields) {
  v1::SearchRequest request;
  ASSERT_THAT(SetFieldsFromParams({{"filters.venues", "OSDI"},
                                   {"filters.venues", "SOSP"},
                                   {"filters.yearFrom", "2023"},
                                   {"filters.year_to", "2024"},
                                   {"filters.types", "DOCUMENT_TYPE_PAPER"}},
                                  &request),
              IsOk());
  EXPECT_THAT(request.filters().venues(), ElementsAre("OSDI", "SOSP"));
  EXPECT_EQ(request.filters().year_from(), 2023);
  EXPECT_EQ(request.filters().year_to(), 2024);
  EXPECT_THAT(request.filters().types(), ElementsAre(v1::DOCUMENT_TYPE_PAPER));

  v1::SuggestRequest suggest;
  ASSERT_THAT(SetFieldsFromParams({{"group", "fall-2024"},
                                   {"dates", "2024-12-24"},
                                   {"dates", "2024-12-31"},
                                   {"count", "5"},
                                   {"narrow.maxAgeMonths", "12"},
                                   {"narrow.venues", "OSDI"}},
                                  &suggest),
              IsOk());
  EXPECT_EQ(suggest.group(), "fall-2024");
  EXPECT_THAT(suggest.dates(), ElementsAre("2024-12-24", "2024-12-31"));
  EXPECT_EQ(suggest.count(), 5);
  EXPECT_EQ(suggest.narrow().max_age_months(), 12);
  EXPECT_THAT(suggest.narrow().venues(), ElementsAre("OSDI"));
}

TEST(HttpGatewayParamsTest, AliasesRenameParameters) {
  v1::SearchRequest request;
  ASSERT_THAT(
      SetFieldsFromParams({{"q", "serverless"}}, &request, {{"q", "query"}}),
      IsOk());
  EXPECT_EQ(request.query(), "serverless");
  // Without the alias "q" is no field.
  EXPECT_THAT(SetFieldsFromParams({{"q", "serverless"}}, &request),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"q\"")));
  // The alias and the field name set the same field.
  v1::SearchRequest twice;
  EXPECT_THAT(SetFieldsFromParams({{"q", "a"}, {"query", "b"}}, &twice,
                                  {{"q", "query"}}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("more than once")));
}

TEST(HttpGatewayParamsTest, RejectsWhatIsNoSettableField) {
  struct Case {
    std::string name, value, message;
  };
  for (const Case& c : {
           Case{"bogus", "1", "unknown parameter \"bogus\""},
           Case{"filters.bogus", "1", "unknown parameter \"filters.bogus\""},
           Case{"page_size.x", "1", "\"page_size\" has no fields"},
           Case{"filters", "x", "names a message"},
           Case{"pageSize", "abc", "parameter \"pageSize\""},
           Case{"pageSize", "", "32-bit integer"},
           Case{"pageSize", "99999999999", "32-bit integer"},
           Case{"pageSize", "1.5", "32-bit integer"},
           Case{"collapsePapers", "maybe", "true or false"},
           Case{"query", "\xC3\x28", "not valid UTF-8"},
       }) {
    v1::SearchRequest request;
    EXPECT_THAT(
        SetFieldsFromParams({{c.name, c.value}}, &request),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.message)))
        << c.name << "=" << c.value;
  }
  v1::SearchRequest request;
  EXPECT_THAT(SetFieldsFromParams({{"query", "a"}, {"query", "b"}}, &request),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("\"query\" is given more than once")));
}

TEST(HttpGatewayParamsTest, OtherScalarTypesMapsAndOneofs) {
  v1::GetStatsResponse stats;
  ASSERT_THAT(
      SetFieldsFromParams(
          {{"revision", "18446744073709551615"}, {"documents", "-5"}}, &stats),
      IsOk());
  EXPECT_EQ(stats.revision(), 18446744073709551615u);
  EXPECT_EQ(stats.documents(), -5);
  EXPECT_THAT(SetFieldsFromParams({{"sessions", "1e3"}}, &stats),
              StatusIs(absl::StatusCode::kInvalidArgument));
  v1::GetStatsResponse negative;
  EXPECT_THAT(
      SetFieldsFromParams({{"revision", "-1"}}, &negative),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unsigned")));

  v1::RankReason reason;
  ASSERT_THAT(SetFieldsFromParams({{"interest", "0.25"}}, &reason), IsOk());
  EXPECT_DOUBLE_EQ(reason.interest(), 0.25);

  google::protobuf::BytesValue bytes;
  ASSERT_THAT(SetFieldsFromParams({{"value", "aGVsbG8="}}, &bytes), IsOk());
  EXPECT_EQ(bytes.value(), "hello");

  google::protobuf::Struct map_holder;
  EXPECT_THAT(SetFieldsFromParams({{"fields", "x"}}, &map_holder),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("map")));

  google::protobuf::Value value;
  ASSERT_THAT(SetFieldsFromParams({{"numberValue", "2"}}, &value), IsOk());
  EXPECT_THAT(
      SetFieldsFromParams({{"string_value", "x"}}, &value),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("oneof kind")));
}

// ---------------------------------------------------------------------------
// Status codes and error bodies.

TEST(HttpGatewayStatusTest, MapsGrpcCodesToHttp) {
  using grpc::StatusCode;
  const std::vector<std::pair<StatusCode, int>> expected = {
      {StatusCode::OK, 200},
      {StatusCode::CANCELLED, 499},
      {StatusCode::UNKNOWN, 500},
      {StatusCode::INVALID_ARGUMENT, 400},
      {StatusCode::DEADLINE_EXCEEDED, 504},
      {StatusCode::NOT_FOUND, 404},
      {StatusCode::ALREADY_EXISTS, 409},
      {StatusCode::PERMISSION_DENIED, 403},
      {StatusCode::RESOURCE_EXHAUSTED, 429},
      {StatusCode::FAILED_PRECONDITION, 400},
      {StatusCode::ABORTED, 409},
      {StatusCode::OUT_OF_RANGE, 400},
      {StatusCode::UNIMPLEMENTED, 501},
      {StatusCode::INTERNAL, 500},
      {StatusCode::UNAVAILABLE, 503},
      {StatusCode::DATA_LOSS, 500},
      {StatusCode::UNAUTHENTICATED, 401},
      // Outside the codes gRPC defines (a cast of a number beyond the
      // enum's range would itself be undefined behaviour).
      {StatusCode::DO_NOT_USE, 500},
  };
  for (const auto& [code, http] : expected) {
    EXPECT_EQ(HttpStatusForCode(code), http) << static_cast<int>(code);
  }
}

TEST(HttpGatewayStatusTest, ErrorJsonIsGoogleRpcStatusShaped) {
  using namespace std::string_literals;  // NOLINT: "\0" inside strings
  EXPECT_EQ(ErrorJson(grpc::StatusCode::NOT_FOUND, "no paper \"x\"\n"),
            R"({"code":5,"status":"NOT_FOUND","message":"no paper \"x\"\n"})");
  // It parses as JSON (into a Struct) whatever the message holds.
  const std::string body = ErrorJson(grpc::StatusCode::INVALID_ARGUMENT,
                                     "tab\t nul\0 bad\xFF utf8 \xE2\x9C\x93"s);
  google::protobuf::Struct parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(body, &parsed).ok())
      << body;
  EXPECT_EQ(parsed.fields().at("code").number_value(), 3);
  EXPECT_EQ(parsed.fields().at("status").string_value(), "INVALID_ARGUMENT");
  EXPECT_EQ(parsed.fields().at("message").string_value(),
            "tab\t nul\0 bad\xEF\xBF\xBD utf8 \xE2\x9C\x93"s);
}

// ---------------------------------------------------------------------------
// Metrics.

// The value of the sample `series` (name and labels as written) in `text`.
std::string Sample(const std::string& text, const std::string& series) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::ConsumePrefix(&line, series) && absl::ConsumePrefix(&line, " ")) {
      return std::string(line);
    }
  }
  return "<missing>";
}

TEST(MetricsTest, CountsRequestsByMethodAndCode) {
  Metrics metrics;
  metrics.Record("Search", absl::StatusCode::kOk, absl::Milliseconds(1));
  metrics.Record("Search", absl::StatusCode::kOk, absl::Milliseconds(2));
  metrics.Record("Search", absl::StatusCode::kInvalidArgument,
                 absl::Milliseconds(1));
  metrics.Record("GetPaper", absl::StatusCode::kNotFound,
                 absl::Microseconds(100));
  const std::string text = metrics.RenderPrometheus(IndexGauges());
  EXPECT_THAT(text, HasSubstr("# HELP lectern_requests_total "));
  EXPECT_THAT(text, HasSubstr("# TYPE lectern_requests_total counter\n"));
  EXPECT_EQ(
      Sample(text, R"(lectern_requests_total{method="Search",code="OK"})"),
      "2");
  EXPECT_EQ(
      Sample(
          text,
          R"(lectern_requests_total{method="Search",code="INVALID_ARGUMENT"})"),
      "1");
  EXPECT_EQ(
      Sample(text,
             R"(lectern_requests_total{method="GetPaper",code="NOT_FOUND"})"),
      "1");
  // Sorted by method, then code.
  const size_t get_paper = text.find(R"({method="GetPaper",code="NOT_FOUND"})");
  const size_t invalid =
      text.find(R"({method="Search",code="INVALID_ARGUMENT"})");
  const size_t ok = text.find(R"({method="Search",code="OK"})");
  EXPECT_LT(get_paper, invalid);
  EXPECT_LT(invalid, ok);
}

TEST(MetricsTest, HistogramBucketsAreCumulative) {
  Metrics metrics;
  // 0.3 ms, 0.5 ms (on the first bound: counts in it), 3 ms, 2 s, 20 s.
  for (const absl::Duration latency :
       {absl::Microseconds(300), absl::Microseconds(500), absl::Milliseconds(3),
        absl::Seconds(2), absl::Seconds(20)}) {
    metrics.Record("Suggest", absl::StatusCode::kOk, latency);
  }
  metrics.Record("Suggest", absl::StatusCode::kOk, -absl::Seconds(1));  // as 0
  const std::string text = metrics.RenderPrometheus(IndexGauges());
  EXPECT_THAT(text,
              HasSubstr("# TYPE lectern_request_duration_seconds histogram\n"));
  const auto bucket = [&](const std::string& le) {
    return Sample(
        text,
        absl::StrCat(
            R"(lectern_request_duration_seconds_bucket{method="Suggest",le=")",
            le, "\"}"));
  };
  EXPECT_EQ(bucket("0.0005"), "3");
  EXPECT_EQ(bucket("0.001"), "3");
  EXPECT_EQ(bucket("0.0025"), "3");
  EXPECT_EQ(bucket("0.005"), "4");
  EXPECT_EQ(bucket("1"), "4");
  EXPECT_EQ(bucket("2.5"), "5");
  EXPECT_EQ(bucket("10"), "5");
  EXPECT_EQ(bucket("+Inf"), "6");
  EXPECT_EQ(
      Sample(text,
             R"(lectern_request_duration_seconds_count{method="Suggest"})"),
      "6");
  EXPECT_DOUBLE_EQ(
      std::stod(Sample(
          text, R"(lectern_request_duration_seconds_sum{method="Suggest"})")),
      0.0003 + 0.0005 + 0.003 + 2 + 20);
  // Every bound, in order, then +Inf.
  std::vector<std::string> bounds;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::ConsumePrefix(&line, "lectern_request_duration_seconds_bucket")) {
      const size_t le = line.find("le=\"");
      bounds.emplace_back(line.substr(le + 4, line.find('"', le + 4) - le - 4));
    }
  }
  EXPECT_THAT(bounds, ElementsAre("0.0005", "0.001", "0.0025", "0.005", "0.01",
                                  "0.025", "0.05", "0.1", "0.25", "0.5", "1",
                                  "2.5", "5", "10", "+Inf"));
}

TEST(MetricsTest, IndexGaugesAndEscapedLabels) {
  Metrics metrics;
  metrics.Record("odd\"name\\with\nbreak", absl::StatusCode::kOk,
                 absl::ZeroDuration());
  IndexGauges index;
  index.documents = 645;
  index.revision = 7;
  index.committed_at = "2024-12-24T10:00:00Z";
  const std::string text = metrics.RenderPrometheus(index);
  EXPECT_THAT(text, HasSubstr("# TYPE lectern_index_documents gauge\n"
                              "lectern_index_documents 645\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE lectern_index_revision gauge\n"
                              "lectern_index_revision 7\n"));
  EXPECT_EQ(Sample(text, "lectern_index_last_commit_timestamp_seconds"),
            "1735034400");
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(lectern_requests_total{method="odd\"name\\with\nbreak",code="OK"} 1)"));
  EXPECT_EQ(EscapePrometheusLabel("a\\b\"c\nd"), R"(a\\b\"c\nd)");

  // No commit time, no timestamp gauge; no gauges at all without an index.
  index.committed_at = "";
  EXPECT_THAT(metrics.RenderPrometheus(index),
              Not(HasSubstr("lectern_index_last_commit_timestamp_seconds")));
  EXPECT_THAT(metrics.RenderPrometheus(),
              Not(HasSubstr("lectern_index_documents")));
  // Every line is a comment or a sample, and the text ends with a newline.
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (line.empty()) continue;
    EXPECT_TRUE(absl::StartsWith(line, "# HELP ") ||
                absl::StartsWith(line, "# TYPE ") ||
                absl::StartsWith(line, "lectern_"))
        << line;
  }
  EXPECT_TRUE(absl::EndsWith(text, "\n"));
}

TEST(MetricsTest, RecordIsThreadSafe) {
  Metrics metrics;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&metrics] {
      for (int i = 0; i < 1000; ++i) {
        metrics.Record("Search", absl::StatusCode::kOk, absl::Milliseconds(1));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(Sample(metrics.RenderPrometheus(),
                   R"(lectern_requests_total{method="Search",code="OK"})"),
            "4000");
}

// ---------------------------------------------------------------------------
// The gateway in process, over a fake Lectern service.

// Answers GetPaper with the id it was asked for when the call carries
// "authorization: Bearer s3cret", else UNAUTHENTICATED; records what it saw.
class FakeLectern final : public v1::Lectern::Service {
 public:
  grpc::Status GetPaper(grpc::ServerContext* context,
                        const v1::GetPaperRequest* request,
                        v1::GetPaperResponse* response) override {
    const auto& metadata = context->client_metadata();
    const auto authorization = metadata.find("authorization");
    absl::MutexLock lock(&mu_);
    authorization_ = authorization == metadata.end()
                         ? "<none>"
                         : std::string(authorization->second.data(),
                                       authorization->second.size());
    deadline_left_ = absl::FromChrono(context->deadline()) - absl::Now();
    if (authorization_ != "Bearer s3cret") {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "no token");
    }
    response->mutable_paper()->set_id(request->id());
    response->mutable_paper()->set_year(2024);
    return grpc::Status::OK;
  }
  grpc::Status Suggest(grpc::ServerContext*, const v1::SuggestRequest* request,
                       v1::SuggestResponse* response) override {
    for (const std::string& date : request->dates()) {
      response->add_dates()->set_date(
          absl::StrCat(request->group(), "@", date));
    }
    return grpc::Status::OK;
  }

  std::string authorization() {
    absl::MutexLock lock(&mu_);
    return authorization_;
  }
  absl::Duration deadline_left() {
    absl::MutexLock lock(&mu_);
    return deadline_left_;
  }

 private:
  absl::Mutex mu_;
  std::string authorization_ ABSL_GUARDED_BY(mu_);
  absl::Duration deadline_left_ ABSL_GUARDED_BY(mu_);
};

class HttpGatewayInProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.RegisterService(&fake_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override {
    if (gateway_) gateway_->Stop();
    server_->Shutdown(std::chrono::system_clock::now());
  }

  void StartGateway(HttpGatewayOptions options = {}) {
    options.call_timeout = absl::Seconds(7);
    auto gateway = HttpGateway::Start(
        options, server_->InProcessChannel(grpc::ChannelArguments()),
        &metrics_);
    ASSERT_THAT(gateway, IsOk());
    gateway_ = *std::move(gateway);
    ASSERT_GT(gateway_->port(), 0);
  }

  httplib::Client Client() {
    httplib::Client client("127.0.0.1", gateway_->port());
    client.set_url_encode(false);
    client.set_connection_timeout(5);
    client.set_read_timeout(10);
    return client;
  }

  FakeLectern fake_;
  Metrics metrics_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<HttpGateway> gateway_;
};

TEST_F(HttpGatewayInProcessTest, ForwardsAuthorizationAndSetsADeadline) {
  ASSERT_NO_FATAL_FAILURE(StartGateway());
  httplib::Client client = Client();
  auto denied = client.Get("/v1/papers/osdi24-x");
  ASSERT_TRUE(denied) << httplib::to_string(denied.error());
  EXPECT_EQ(denied->status, 401);
  EXPECT_EQ(denied->body,
            R"({"code":16,"status":"UNAUTHENTICATED","message":"no token"})");
  EXPECT_EQ(fake_.authorization(), "<none>");

  auto allowed =
      client.Get("/v1/papers/osdi24-x", {{"Authorization", "Bearer s3cret"}});
  ASSERT_TRUE(allowed);
  EXPECT_EQ(allowed->status, 200);
  EXPECT_EQ(allowed->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(allowed->body, R"({"paper":{"id":"osdi24-x","year":2024}})");
  EXPECT_EQ(fake_.authorization(), "Bearer s3cret");
  EXPECT_GT(fake_.deadline_left(), absl::Seconds(5));
  // gRPC rounds the timeout it sends up a little.
  EXPECT_LE(fake_.deadline_left(), absl::Seconds(8));
}

TEST_F(HttpGatewayInProcessTest, PathSegmentsAreDecodedAfterSplitting) {
  ASSERT_NO_FATAL_FAILURE(StartGateway());
  httplib::Client client = Client();
  const httplib::Headers token = {{"Authorization", "Bearer s3cret"}};
  auto paper = client.Get("/v1/papers/a%2Fb%20c+d", token);
  ASSERT_TRUE(paper);
  EXPECT_EQ(paper->status, 200);
  v1::GetPaperResponse response;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(paper->body, &response).ok());
  EXPECT_EQ(response.paper().id(), "a/b c+d");

  auto suggest = client.Get(
      "/v1/groups/fall%2D2024/suggestions?dates=2024-12-24&dates=2025-01-07");
  ASSERT_TRUE(suggest);
  EXPECT_EQ(suggest->status, 200);
  EXPECT_EQ(suggest->body, R"({"dates":[{"date":"fall-2024@2024-12-24"},)"
                           R"({"date":"fall-2024@2025-01-07"}]})");

  // The path binds the group; the query may not set it again.
  auto twice = client.Get("/v1/groups/a/suggestions?group=b");
  ASSERT_TRUE(twice);
  EXPECT_EQ(twice->status, 400);
  EXPECT_THAT(twice->body, HasSubstr("more than once"));

  auto malformed = client.Get("/v1/papers/%zz");
  ASSERT_TRUE(malformed);
  EXPECT_EQ(malformed->status, 400);
}

TEST_F(HttpGatewayInProcessTest, UnknownPathsMethodsAndUnimplementedCalls) {
  ASSERT_NO_FATAL_FAILURE(StartGateway());
  httplib::Client client = Client();
  // "/" is the web page; nothing else outside the routes is served.
  for (const std::string path :
       {"/assets/", "/assets/index.html", "/index.htm", "/v1", "/v1/search/",
        "/v1/papers", "/v1/papers/a/b", "/v2/stats"}) {
    auto response = client.Get(path.c_str());
    ASSERT_TRUE(response) << path;
    EXPECT_EQ(response->status, 404) << path;
    EXPECT_THAT(response->body, StartsWith(R"({"code":5,"status":"NOT_FOUND")"))
        << path;
  }
  auto post = client.Post("/v1/search", "{}", "application/json");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(post->get_header_value("Allow"), "GET, HEAD");
  EXPECT_THAT(post->body, HasSubstr(R"("code":12)"));
  auto put = client.Put("/nowhere", "x", "text/plain");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 404);
  auto del = client.Delete("/v1/stats");
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 405);
  // The connection still works after a request with a body was refused.
  auto head = client.Head("/v1/stats");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 501);  // the fake does not implement GetStats
  EXPECT_THAT(head->body, IsEmpty());

  auto stats = client.Get("/v1/stats");
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->status, 501);
  EXPECT_THAT(stats->body,
              StartsWith(R"({"code":12,"status":"UNIMPLEMENTED")"));

  // The metrics still render, without the index gauges (GetStats is
  // unimplemented).
  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_THAT(metrics->get_header_value("Content-Type"),
              StartsWith("text/plain; version=0.0.4"));
  EXPECT_THAT(metrics->body,
              HasSubstr("# TYPE lectern_requests_total counter"));
  EXPECT_THAT(metrics->body, HasSubstr("GetStats failed: UNIMPLEMENTED"));
  EXPECT_THAT(metrics->body, Not(HasSubstr("lectern_index_documents")));
  auto metrics_param = client.Get("/metrics?x=1");
  ASSERT_TRUE(metrics_param);
  EXPECT_EQ(metrics_param->status, 400);
}

TEST_F(HttpGatewayInProcessTest, StartRejectsBadOptions) {
  auto channel = server_->InProcessChannel(grpc::ChannelArguments());
  for (const std::string listen :
       {"", "8080", "localhost", "127.0.0.1:http", "127.0.0.1:70000", ":8080",
        "::1:8080", "[::1:8080"}) {
    HttpGatewayOptions options;
    options.listen = listen;
    EXPECT_THAT(HttpGateway::Start(options, channel, &metrics_),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << listen;
  }
  HttpGatewayOptions no_threads;
  no_threads.threads = 0;
  EXPECT_THAT(HttpGateway::Start(no_threads, channel, &metrics_),
              StatusIs(absl::StatusCode::kInvalidArgument));
  HttpGatewayOptions only_cert;
  only_cert.tls_cert_file = "cert.pem";
  EXPECT_THAT(HttpGateway::Start(only_cert, channel, &metrics_),
              StatusIs(absl::StatusCode::kInvalidArgument));
  TempDir dir;
  HttpGatewayOptions missing_files;
  missing_files.tls_cert_file = dir.Path("missing.pem");
  missing_files.tls_key_file = dir.Path("missing.key");
  EXPECT_THAT(HttpGateway::Start(missing_files, channel, &metrics_),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(HttpGateway::Start(HttpGatewayOptions(), channel, nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(HttpGatewayInProcessTest, BusyPortFailsAndStopIsIdempotent) {
  ASSERT_NO_FATAL_FAILURE(StartGateway());
  HttpGatewayOptions same_port;
  same_port.listen = absl::StrCat("127.0.0.1:", gateway_->port());
  EXPECT_THAT(
      HttpGateway::Start(same_port,
                         server_->InProcessChannel(grpc::ChannelArguments()),
                         &metrics_),
      StatusIs(absl::StatusCode::kUnavailable));
  // An idle keep-alive connection does not hold Stop up for long.
  httplib::Client client = Client();
  client.set_keep_alive(true);
  ASSERT_TRUE(client.Get("/v1/stats"));
  const absl::Time start = absl::Now();
  gateway_->Stop();
  gateway_->Stop();
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  httplib::Client after = Client();
  EXPECT_FALSE(after.Get("/v1/stats"));
}

TEST_F(HttpGatewayInProcessTest, ServesIpv6Loopback) {
  HttpGatewayOptions options;
  options.listen = "[::1]:0";
  auto gateway = HttpGateway::Start(
      options, server_->InProcessChannel(grpc::ChannelArguments()), &metrics_);
  if (absl::IsUnavailable(gateway.status())) {
    GTEST_SKIP() << "no IPv6 loopback here: " << gateway.status();
  }
  ASSERT_THAT(gateway, IsOk());
  httplib::Client client("::1", (*gateway)->port());
  client.set_connection_timeout(5);
  auto response = client.Get("/v1/papers/x");
  ASSERT_TRUE(response) << httplib::to_string(response.error());
  EXPECT_EQ(response->status, 401);
}

TEST_F(HttpGatewayInProcessTest, ServesHttpsWithTheGivenCertificate) {
  TempDir dir;
  const std::string cert = dir.Path("cert.pem"), key = dir.Path("key.pem");
  auto made = testing::Run(
      {"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
       "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1"},
      dir.Path("openssl.out"), dir.Path("openssl.err"), absl::Seconds(30));
  if (!made.ok() || *made != 0) {
    GTEST_SKIP() << "cannot make a certificate with /usr/bin/openssl";
  }
  HttpGatewayOptions options;
  options.tls_cert_file = cert;
  options.tls_key_file = key;
  ASSERT_NO_FATAL_FAILURE(StartGateway(options));
  EXPECT_TRUE(gateway_->tls());
  httplib::SSLClient client("127.0.0.1", gateway_->port());
  client.enable_server_certificate_verification(false);
  client.set_connection_timeout(5);
  auto response =
      client.Get("/v1/papers/tls", {{"Authorization", "Bearer s3cret"}});
  ASSERT_TRUE(response) << httplib::to_string(response.error());
  EXPECT_EQ(response->status, 200);
  EXPECT_THAT(response->body, HasSubstr(R"("id":"tls")"));
  // Plain HTTP gets no answer from an HTTPS port.
  httplib::Client plain = Client();
  auto refused = plain.Get("/v1/papers/tls");
  EXPECT_TRUE(!refused || refused->status != 200);
}

// ---------------------------------------------------------------------------
// End to end: the real lecternd with --http_listen.

constexpr absl::Duration kStartTimeout = absl::Seconds(20);

void BuildIndex(const TempDir& dir, const std::string& index) {
  auto code =
      testing::Run({testing::IndexerPath(), "--config",
                    testing::BundledConfig(), "--index", index, "--strict"},
                   dir.Path("index.out"), dir.Path("index.err"));
  ASSERT_THAT(code, IsOk());
  ASSERT_EQ(*code, 0) << testing::ReadFile(dir.Path("index.err"));
}

// lecternd serving an index over gRPC and HTTP, with a stub and a client.
class LecterndWithHttp {
 public:
  LecterndWithHttp(const TempDir& dir, const std::string& index,
                   const std::string& name)
      : dir_(dir), name_(name) {
    auto process = Subprocess::Start(
        {testing::LecterndPath(), "--index", index, "--listen", "127.0.0.1:0",
         "--threads", "2", "--port_file", dir.Path(name + ".port"),
         "--http_listen", "127.0.0.1:0", "--http_port_file",
         dir.Path(name + ".http_port")},
        dir.Path(name + ".out"), dir.Path(name + ".err"));
    EXPECT_THAT(process, IsOk());
    if (!process.ok()) return;
    process_ = std::move(*process);
    auto port =
        testing::WaitForPortFile(dir.Path(name + ".port"), kStartTimeout);
    EXPECT_THAT(port, IsOk()) << Log();
    auto http_port =
        testing::WaitForPortFile(dir.Path(name + ".http_port"), kStartTimeout);
    EXPECT_THAT(http_port, IsOk()) << Log();
    if (!port.ok() || !http_port.ok()) return;
    http_port_ = *http_port;
    stub_ = v1::Lectern::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", *port), grpc::InsecureChannelCredentials()));
  }

  bool ok() const { return stub_ != nullptr; }
  v1::Lectern::Stub& stub() { return *stub_; }
  int http_port() const { return http_port_; }
  Subprocess& process() { return *process_; }
  std::string Log() const {
    return testing::ReadFile(dir_.Path(name_ + ".err"));
  }
  httplib::Client Client() const {
    httplib::Client client("127.0.0.1", http_port_);
    client.set_url_encode(false);  // the tests encode their paths
    client.set_connection_timeout(5);
    client.set_read_timeout(30);
    return client;
  }

 private:
  const TempDir& dir_;
  const std::string name_;
  std::unique_ptr<Subprocess> process_;
  int http_port_ = 0;
  std::unique_ptr<v1::Lectern::Stub> stub_;
};

void WithDeadline(grpc::ClientContext* context) {
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(20));
}

class HttpGatewayEndToEndTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    BuildIndex(*dir_, dir_->Path("index"));
    server_ = new LecterndWithHttp(*dir_, dir_->Path("index"), "lecternd");
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(server_ != nullptr && server_->ok()); }

  // GETs `path`, expects `status`, and parses the JSON body into `message`.
  static void GetJson(const std::string& path, int status,
                      google::protobuf::Message* message) {
    httplib::Client client = server_->Client();
    auto response = client.Get(path.c_str());
    ASSERT_TRUE(response) << path << ": "
                          << httplib::to_string(response.error());
    ASSERT_EQ(response->status, status) << path << ": " << response->body;
    EXPECT_EQ(response->get_header_value("Content-Type"), "application/json");
    const auto parsed =
        google::protobuf::util::JsonStringToMessage(response->body, message);
    ASSERT_TRUE(parsed.ok()) << parsed.ToString() << "\n" << response->body;
  }

  static std::vector<std::string> HitIds(const v1::SearchResponse& response) {
    std::vector<std::string> ids;
    for (const v1::SearchHit& hit : response.hits()) ids.push_back(hit.id());
    return ids;
  }

  static TempDir* dir_;
  static LecterndWithHttp* server_;
};

TempDir* HttpGatewayEndToEndTest::dir_ = nullptr;
LecterndWithHttp* HttpGatewayEndToEndTest::server_ = nullptr;

TEST_F(HttpGatewayEndToEndTest, SearchEqualsGrpcSearch) {
  v1::SearchResponse http;
  ASSERT_NO_FATAL_FAILURE(GetJson("/v1/search?q=kv%20cache", 200, &http));

  v1::SearchRequest request;
  request.set_query("kv cache");
  v1::SearchResponse grpc_response;
  grpc::ClientContext context;
  WithDeadline(&context);
  ASSERT_TRUE(server_->stub().Search(&context, request, &grpc_response).ok());
  ASSERT_THAT(grpc_response.hits(), Not(IsEmpty()));
  EXPECT_EQ(HitIds(http), HitIds(grpc_response));
  EXPECT_TRUE(MessageDifferencer::Equals(http, grpc_response))
      << MessageDifferencer::Equivalent(http, grpc_response);
}

TEST_F(HttpGatewayEndToEndTest, SearchFiltersFacetsAndEnumsFromTheQuery) {
  v1::SearchResponse http;
  ASSERT_NO_FATAL_FAILURE(
      GetJson("/v1/search?q=infinigne&autoCorrect=true&filters.groups=fall-2024"
              "&facets=FACET_TYPE&facets=4&page_size=3",
              200, &http));

  v1::SearchRequest request;
  request.set_query("infinigne");
  request.set_auto_correct(true);
  request.mutable_filters()->add_groups("fall-2024");
  request.add_facets(v1::FACET_TYPE);
  request.add_facets(v1::FACET_GROUP);
  request.set_page_size(3);
  v1::SearchResponse grpc_response;
  grpc::ClientContext context;
  WithDeadline(&context);
  ASSERT_TRUE(server_->stub().Search(&context, request, &grpc_response).ok());
  EXPECT_TRUE(grpc_response.ran_corrected_query());
  ASSERT_THAT(grpc_response.facets(), SizeIs(2));
  EXPECT_TRUE(MessageDifferencer::Equals(http, grpc_response));
}

TEST_F(HttpGatewayEndToEndTest, OpenDatesEqualGrpc) {
  v1::ListOpenDatesResponse http;
  ASSERT_NO_FATAL_FAILURE(
      GetJson("/v1/groups/fall-2024/open-dates", 200, &http));
  v1::ListOpenDatesRequest request;
  request.set_group("fall-2024");
  v1::ListOpenDatesResponse grpc_response;
  grpc::ClientContext context;
  WithDeadline(&context);
  ASSERT_TRUE(
      server_->stub().ListOpenDates(&context, request, &grpc_response).ok());
  ASSERT_THAT(grpc_response.open_dates(), Not(IsEmpty()));
  EXPECT_TRUE(MessageDifferencer::Equals(http, grpc_response))
      << http.DebugString();
}

TEST_F(HttpGatewayEndToEndTest, SuggestionsEqualGrpc) {
  v1::SuggestResponse http;
  ASSERT_NO_FATAL_FAILURE(GetJson(
      "/v1/groups/fall-2024/suggestions?dates=2024-12-24&count=3", 200, &http));
  v1::SuggestRequest request;
  request.set_group("fall-2024");
  request.add_dates("2024-12-24");
  request.set_count(3);
  v1::SuggestResponse grpc_response;
  grpc::ClientContext context;
  WithDeadline(&context);
  ASSERT_TRUE(server_->stub().Suggest(&context, request, &grpc_response).ok());
  ASSERT_THAT(grpc_response.dates(), SizeIs(1));
  ASSERT_THAT(grpc_response.dates(0).candidates(), SizeIs(3));
  EXPECT_TRUE(MessageDifferencer::Equals(http, grpc_response));
}

TEST_F(HttpGatewayEndToEndTest, SessionsPapersAndStats) {
  v1::GetSessionResponse session;
  ASSERT_NO_FATAL_FAILURE(
      GetJson("/v1/groups/fall-2024/sessions/2024-12-24", 200, &session));
  ASSERT_THAT(session.sessions(), SizeIs(1));
  EXPECT_EQ(session.sessions(0).kind(), v1::SESSION_KIND_OPEN);

  v1::SearchResponse found;
  ASSERT_NO_FATAL_FAILURE(
      GetJson("/v1/search?q=type:paper%20title:powerinfer", 200, &found));
  ASSERT_THAT(found.hits(), SizeIs(1));
  const std::string id = found.hits(0).paper().id();
  ASSERT_FALSE(id.empty());
  v1::GetPaperResponse paper;
  ASSERT_NO_FATAL_FAILURE(GetJson("/v1/papers/" + id, 200, &paper));
  EXPECT_EQ(paper.paper().id(), id);
  EXPECT_EQ(paper.paper().venue(), "SOSP");
  EXPECT_THAT(paper.sessions(), SizeIs(2));

  v1::GetStatsResponse stats;
  ASSERT_NO_FATAL_FAILURE(GetJson("/v1/stats", 200, &stats));
  EXPECT_EQ(stats.documents(), 44 + 594 + 7);
}

TEST_F(HttpGatewayEndToEndTest, ScheduleEqualsGrpc) {
  v1::GetScheduleResponse http;
  ASSERT_NO_FATAL_FAILURE(GetJson("/v1/groups/fall-2024/schedule", 200, &http));
  v1::GetScheduleRequest request;
  request.set_group("fall-2024");
  v1::GetScheduleResponse grpc_response;
  grpc::ClientContext context;
  WithDeadline(&context);
  ASSERT_TRUE(
      server_->stub().GetSchedule(&context, request, &grpc_response).ok());
  ASSERT_THAT(grpc_response.open_dates(), Not(IsEmpty()));
  EXPECT_TRUE(MessageDifferencer::Equals(http, grpc_response));

  google::protobuf::Struct error;
  ASSERT_NO_FATAL_FAILURE(
      GetJson("/v1/groups/winter-1999/schedule", 404, &error));
  EXPECT_EQ(error.fields().at("status").string_value(), "NOT_FOUND");
}

TEST_F(HttpGatewayEndToEndTest, RelatedWorkAndPeopleEqualGrpc) {
  v1::RelatedWorkResponse http;
  ASSERT_NO_FATAL_FAILURE(
      GetJson("/v1/related?paper=DistServe&count=5&years=2", 200, &http));
  v1::RelatedWorkRequest request;
  request.set_paper("DistServe");
  request.set_count(5);
  request.set_years(2);
  v1::RelatedWorkResponse grpc_response;
  grpc::ClientContext context;
  WithDeadline(&context);
  ASSERT_TRUE(
      server_->stub().RelatedWork(&context, request, &grpc_response).ok());
  ASSERT_THAT(grpc_response.related(), SizeIs(5));
  EXPECT_EQ(grpc_response.year_from(), 2022);
  EXPECT_TRUE(MessageDifferencer::Equals(http, grpc_response));

  v1::GetPersonResponse person;
  ASSERT_NO_FATAL_FAILURE(
      GetJson("/v1/people/Kunzhao%20Xu?as_of=2025-06-01", 200, &person));
  EXPECT_EQ(person.person().person_id(), "kunzhaoxu");
  v1::ListPeopleResponse people;
  ASSERT_NO_FATAL_FAILURE(
      GetJson("/v1/people?groups=fall-2024&as_of=2025-06-01", 200, &people));
  EXPECT_EQ(people.as_of(), "2025-06-01");
  EXPECT_THAT(people.people(), Not(IsEmpty()));

  google::protobuf::Struct error;
  ASSERT_NO_FATAL_FAILURE(GetJson("/v1/related?paper=", 400, &error));
  EXPECT_EQ(error.fields().at("status").string_value(), "INVALID_ARGUMENT");
}

// The page and its files come from lecternd itself, with a policy that
// keeps the browser from loading anything from anywhere else.
TEST_F(HttpGatewayEndToEndTest, ServesTheWebPageAndItsAssets) {
  httplib::Client client = server_->Client();
  for (const char* path : {"/", "/index.html", "/?q=kv+cache"}) {
    auto page = client.Get(path);
    ASSERT_TRUE(page) << path;
    EXPECT_EQ(page->status, 200) << path;
    EXPECT_EQ(page->get_header_value("Content-Type"),
              "text/html; charset=utf-8");
    EXPECT_THAT(page->body, HasSubstr("/assets/app.js"));
    const std::string policy =
        page->get_header_value("Content-Security-Policy");
    EXPECT_THAT(policy, HasSubstr("default-src 'none'"));
    EXPECT_THAT(policy, HasSubstr("script-src 'self'"));
    EXPECT_THAT(policy, Not(HasSubstr("unsafe")));
    EXPECT_EQ(page->get_header_value("X-Content-Type-Options"), "nosniff");
  }
  const std::pair<const char*, const char*> assets[] = {
      {"/assets/app.js", "text/javascript; charset=utf-8"},
      {"/assets/app.css", "text/css; charset=utf-8"},
      {"/assets/favicon.svg", "image/svg+xml"},
  };
  for (const auto& [path, type] : assets) {
    auto asset = client.Get(path);
    ASSERT_TRUE(asset) << path;
    EXPECT_EQ(asset->status, 200) << path;
    EXPECT_EQ(asset->get_header_value("Content-Type"), type) << path;
    EXPECT_FALSE(asset->body.empty()) << path;
  }
  // Every file the page names is one lecternd serves, and none is fetched
  // from another origin.
  auto page = client.Get("/");
  ASSERT_TRUE(page);
  EXPECT_THAT(page->body, Not(HasSubstr("http://")));
  EXPECT_THAT(page->body, Not(HasSubstr("https://")));
  auto script = client.Get("/assets/app.js");
  ASSERT_TRUE(script);
  EXPECT_THAT(script->body, Not(HasSubstr("import ")));

  auto missing = client.Get("/assets/nothing.js");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  auto head = client.Head("/");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_TRUE(head->body.empty());
  auto post = client.Post("/", "x", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
}

TEST_F(HttpGatewayEndToEndTest, ErrorsCarryTheGrpcCode) {
  struct Case {
    std::string path;
    int http;
    std::string body_prefix, message;
  };
  for (const Case& c : {
           Case{"/v1/papers/osdi99-no-such-paper", 404,
                R"({"code":5,"status":"NOT_FOUND","message":")", ""},
           Case{"/v1/search?q=cache&bogus=1", 400,
                R"({"code":3,"status":"INVALID_ARGUMENT")", "bogus"},
           Case{"/v1/search?q=cache&pageSize=ten", 400,
                R"({"code":3,"status":"INVALID_ARGUMENT")", "pageSize"},
           Case{"/v1/search?q=AND", 400,
                R"({"code":3,"status":"INVALID_ARGUMENT")", ""},
           Case{"/v1/groups/no-such-group/open-dates", 404,
                R"({"code":5,"status":"NOT_FOUND")", ""},
           Case{"/v1/groups/fall-2024/suggestions?dates=2024-09-03", 400,
                R"({"code":9,"status":"FAILED_PRECONDITION")", ""},
           Case{"/v1/nothing", 404, R"({"code":5,"status":"NOT_FOUND")",
                "/v1/nothing"},
       }) {
    httplib::Client client = server_->Client();
    auto response = client.Get(c.path.c_str());
    ASSERT_TRUE(response) << c.path;
    EXPECT_EQ(response->status, c.http) << c.path;
    EXPECT_EQ(response->get_header_value("Content-Type"), "application/json");
    EXPECT_THAT(response->body, StartsWith(c.body_prefix)) << c.path;
    EXPECT_THAT(response->body, HasSubstr(c.message)) << c.path;
    google::protobuf::Struct body;
    EXPECT_TRUE(
        google::protobuf::util::JsonStringToMessage(response->body, &body).ok())
        << response->body;
    EXPECT_THAT(body.fields().at("message").string_value(), Not(IsEmpty()));
  }
}

TEST_F(HttpGatewayEndToEndTest, HealthAndMetrics) {
  httplib::Client client = server_->Client();
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->body, R"({"status":"SERVING"})");
  auto named = client.Get("/healthz?service=lectern.v1.Lectern");
  ASSERT_TRUE(named);
  EXPECT_EQ(named->status, 200);

  v1::GetStatsResponse stats;
  grpc::ClientContext context;
  WithDeadline(&context);
  ASSERT_TRUE(
      server_->stub().GetStats(&context, v1::GetStatsRequest(), &stats).ok());

  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_THAT(metrics->get_header_value("Content-Type"),
              StartsWith("text/plain; version=0.0.4"));
  EXPECT_THAT(metrics->body,
              HasSubstr("# TYPE lectern_index_documents gauge\n"));
  EXPECT_EQ(Sample(metrics->body, "lectern_index_documents"),
            absl::StrCat(stats.documents()));
  EXPECT_EQ(Sample(metrics->body, "lectern_index_revision"),
            absl::StrCat(stats.revision()));
  EXPECT_THAT(metrics->body,
              HasSubstr("# TYPE lectern_requests_total counter"));
}

TEST_F(HttpGatewayEndToEndTest, BusyHttpPortOrBadAddressExitsWithOne) {
  for (const std::string& http_listen :
       {absl::StrCat("127.0.0.1:", server_->http_port()),
        std::string("127.0.0.1:http")}) {
    auto code = testing::Run(
        {testing::LecterndPath(), "--index", dir_->Path("index"), "--listen",
         "127.0.0.1:0", "--threads", "2", "--http_listen", http_listen},
        dir_->Path("busy.out"), dir_->Path("busy.err"), absl::Seconds(30));
    ASSERT_THAT(code, IsOk());
    EXPECT_EQ(*code, 1) << http_listen;
    EXPECT_THAT(testing::ReadFile(dir_->Path("busy.err")),
                HasSubstr("--http_listen"))
        << http_listen;
  }
}

TEST(HttpGatewayLifecycleTest, StopsCleanlyOnSigtermWithAnOpenConnection) {
  TempDir dir;
  ASSERT_NO_FATAL_FAILURE(BuildIndex(dir, dir.Path("index")));
  LecterndWithHttp server(dir, dir.Path("index"), "lecternd");
  ASSERT_TRUE(server.ok());
  httplib::Client client = server.Client();
  client.set_keep_alive(true);
  auto response = client.Get("/v1/search?q=serverless");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_THAT(server.Log(), HasSubstr("serving HTTP on 127.0.0.1:"));

  server.process().Signal(SIGTERM);
  const std::optional<int> code = server.process().Wait(absl::Seconds(20));
  ASSERT_TRUE(code.has_value()) << "lecternd did not stop on SIGTERM";
  EXPECT_EQ(*code, 0) << server.Log();
  EXPECT_THAT(server.Log(), HasSubstr("stopped"));
}

}  // namespace
}  // namespace lectern
