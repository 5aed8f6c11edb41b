// lectern: command-line client for lecternd.
//
//   lectern [--server HOST:PORT] [--json] COMMAND ...
//     health                    SERVING or NOT_SERVING (exit 0 only if serving)
//     search QUERY...           ranked sessions with highlighted snippets
//     session GROUP DATE        the sessions of a group on a date
//     paper ID                  a catalog paper and who presented it
//     stats                     what the index holds
//
// Exit status: 0 success, 1 the server answered with an error or could not
// be reached, 2 bad command line.
#include <grpcpp/grpcpp.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "clients/cli/render.h"
#include "google/protobuf/util/json_util.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "lectern/v1/lectern.grpc.pb.h"

ABSL_FLAG(std::string, server, "127.0.0.1:50051",
          "lecternd address, HOST:PORT");
ABSL_FLAG(bool, json, false, "Print the response as JSON (for scripts)");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(10), "Deadline of each call");
ABSL_FLAG(int, limit, 10, "search: results per page (1-100)");
ABSL_FLAG(std::string, page_token, "",
          "search: next_page_token of a previous page");
ABSL_FLAG(int, ordinal, 0, "session: which session of that date (0: all)");

namespace {

constexpr char kUsage[] =
    "client for lecternd, lectern's search service.\n"
    "usage: lectern [--server HOST:PORT] [--json] COMMAND ...\n"
    "  health               is lecternd serving?\n"
    "  search QUERY...      search sessions, papers and summaries; fields:\n"
    "                       title: author: abstract: presenter: venue: year:\n"
    "                       group: type: kind:; phrases, AND/OR/NOT, -term\n"
    "  session GROUP DATE   sessions of GROUP on DATE (YYYY-MM-DD)\n"
    "  paper ID             a catalog paper, who presented it, its summaries\n"
    "  stats                counts of what the index holds";

int UsageError(const std::string& message) {
  std::fprintf(stderr, "lectern: %s\n\n%s\n", message.c_str(), kUsage);
  return 2;
}

int CallFailed(const char* what, const grpc::Status& status) {
  const std::string server = absl::GetFlag(FLAGS_server);
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    std::fprintf(stderr,
                 "lectern: cannot reach lecternd at %s (%s); is it running?\n",
                 server.c_str(), status.error_message().c_str());
  } else {
    std::fprintf(stderr, "lectern: %s failed: %s: %s\n", what,
                 absl::StatusCodeToString(
                     static_cast<absl::StatusCode>(status.error_code()))
                     .c_str(),
                 status.error_message().c_str());
  }
  return 1;
}

void SetDeadline(grpc::ClientContext* context) {
  context->set_deadline(
      std::chrono::system_clock::now() +
      absl::ToChronoMilliseconds(absl::GetFlag(FLAGS_timeout)));
}

void PrintJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  std::fputs(json.c_str(), stdout);
}

int TerminalWidth() {
  winsize size{};
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 &&
      size.ws_col > 0) {
    return size.ws_col;
  }
  int columns = 0;
  const char* env = std::getenv("COLUMNS");
  if (env != nullptr && absl::SimpleAtoi(env, &columns) && columns > 0) {
    return columns;
  }
  return 120;
}

int Health(const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  SetDeadline(&context);
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  const grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) return CallFailed("health check", status);
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(response);
  } else {
    std::printf("%s\n",
                grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
                    response.status())
                    .c_str());
  }
  return response.status() == grpc::health::v1::HealthCheckResponse::SERVING
             ? 0
             : 1;
}

int Search(lectern::v1::Lectern::Stub& stub, const std::string& query) {
  lectern::v1::SearchRequest request;
  request.set_query(query);
  request.set_page_size(absl::GetFlag(FLAGS_limit));
  request.set_page_token(absl::GetFlag(FLAGS_page_token));
  lectern::v1::SearchResponse response;
  grpc::ClientContext context;
  SetDeadline(&context);
  const grpc::Status status = stub.Search(&context, request, &response);
  if (!status.ok()) return CallFailed("search", status);
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(response);
    return 0;
  }
  lectern::cli::RenderOptions options;
  options.width = TerminalWidth();
  options.ansi = isatty(STDOUT_FILENO);
  std::fputs(lectern::cli::RenderSearch(response, options).c_str(), stdout);
  return 0;
}

int Session(lectern::v1::Lectern::Stub& stub, const std::string& group,
            const std::string& date) {
  lectern::v1::GetSessionRequest request;
  request.set_group(group);
  request.set_date(date);
  request.set_ordinal(absl::GetFlag(FLAGS_ordinal));
  lectern::v1::GetSessionResponse response;
  grpc::ClientContext context;
  SetDeadline(&context);
  const grpc::Status status = stub.GetSession(&context, request, &response);
  if (!status.ok()) return CallFailed("session", status);
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(response);
  } else {
    std::fputs(lectern::cli::RenderSessions(response).c_str(), stdout);
  }
  return 0;
}

int Paper(lectern::v1::Lectern::Stub& stub, const std::string& id) {
  lectern::v1::GetPaperRequest request;
  request.set_id(id);
  lectern::v1::GetPaperResponse response;
  grpc::ClientContext context;
  SetDeadline(&context);
  const grpc::Status status = stub.GetPaper(&context, request, &response);
  if (!status.ok()) return CallFailed("paper", status);
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(response);
  } else {
    lectern::cli::RenderOptions options;
    options.width = TerminalWidth();
    std::fputs(lectern::cli::RenderPaper(response, options).c_str(), stdout);
  }
  return 0;
}

int Stats(lectern::v1::Lectern::Stub& stub) {
  lectern::v1::GetStatsResponse response;
  grpc::ClientContext context;
  SetDeadline(&context);
  const grpc::Status status =
      stub.GetStats(&context, lectern::v1::GetStatsRequest(), &response);
  if (!status.ok()) return CallFailed("stats", status);
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(response);
  } else {
    std::fputs(lectern::cli::RenderStats(response).c_str(), stdout);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(kUsage);
  const std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() < 2) return UsageError("no command given");
  const std::string command = positional[1];
  const std::vector<std::string> args(positional.begin() + 2, positional.end());

  auto channel = grpc::CreateChannel(absl::GetFlag(FLAGS_server),
                                     grpc::InsecureChannelCredentials());
  if (command == "health") {
    if (!args.empty()) return UsageError("health takes no arguments");
    return Health(channel);
  }
  auto stub = lectern::v1::Lectern::NewStub(channel);
  if (command == "search") {
    if (args.empty()) return UsageError("search needs a query");
    return Search(*stub, absl::StrJoin(args, " "));
  }
  if (command == "session") {
    if (args.size() != 2) return UsageError("session needs GROUP and DATE");
    return Session(*stub, args[0], args[1]);
  }
  if (command == "paper") {
    if (args.size() != 1) return UsageError("paper needs a paper id");
    return Paper(*stub, args[0]);
  }
  if (command == "stats") {
    if (!args.empty()) return UsageError("stats takes no arguments");
    return Stats(*stub);
  }
  return UsageError(absl::StrCat("unknown command '", command, "'"));
}
