// lectern-bench-echo: the transport floor for Search over gRPC. It answers
// each Search of the query set with the very response lectern gives for
// it, computed once at startup with lectern's own Searcher, so a call costs
// gRPC, protobuf and loopback and nothing else.
//
//   lectern-bench-echo --index DIR --queries bench/queries/queries.tsv
//       --listen 127.0.0.1:0 --port_file FILE
#include <grpcpp/grpcpp.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "bench/common/query_set.h"
#include "bench/common/stats.h"
#include "indexer/searcher.h"
#include "lectern/v1/lectern.grpc.pb.h"

ABSL_FLAG(std::string, index, "", "lectern index to compute the responses");
ABSL_FLAG(std::string, queries, "", "query set (kind<TAB>query lines)");
ABSL_FLAG(std::string, listen, "127.0.0.1:0", "address to serve on");
ABSL_FLAG(std::string, port_file, "", "file to write the bound port to");

namespace {

class EchoLectern final : public lectern::v1::Lectern::CallbackService {
 public:
  explicit EchoLectern(
      std::map<std::string, lectern::v1::SearchResponse> by_request)
      : by_request_(std::move(by_request)) {}

  grpc::ServerUnaryReactor* Search(
      grpc::CallbackServerContext* context,
      const lectern::v1::SearchRequest* request,
      lectern::v1::SearchResponse* response) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    const auto found = by_request_.find(request->SerializeAsString());
    if (found == by_request_.end()) {
      reactor->Finish(
          grpc::Status(grpc::StatusCode::NOT_FOUND, "not a query of the set"));
    } else {
      *response = found->second;
      reactor->Finish(grpc::Status::OK);
    }
    return reactor;
  }

 private:
  const std::map<std::string, lectern::v1::SearchResponse> by_request_;
};

int Fail(const std::string& message) {
  std::fprintf(stderr, "lectern-bench-echo: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  auto queries = lectern::bench::LoadQueries(absl::GetFlag(FLAGS_queries));
  if (!queries.ok()) return Fail(std::string(queries.status().message()));
  auto searcher = lectern::Searcher::Open(absl::GetFlag(FLAGS_index));
  if (!searcher.ok()) return Fail(std::string(searcher.status().message()));

  std::map<std::string, lectern::v1::SearchResponse> by_request;
  for (const lectern::bench::BenchQuery& query : *queries) {
    const lectern::v1::SearchRequest request =
        lectern::bench::SearchRequestFor(query);
    auto response = (*searcher)->Search(request);
    if (!response.ok()) {
      return Fail(query.text + ": " + std::string(response.status().message()));
    }
    by_request[request.SerializeAsString()] = *std::move(response);
  }

  EchoLectern service(std::move(by_request));
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(absl::GetFlag(FLAGS_listen),
                           grpc::InsecureServerCredentials(), &port);
  // The callback API with gRPC's own threads, as lecternd serves.
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return Fail("cannot listen on " + absl::GetFlag(FLAGS_listen));
  }
  if (!absl::GetFlag(FLAGS_port_file).empty()) {
    std::ofstream(absl::GetFlag(FLAGS_port_file)) << port << "\n";
  }
  std::fprintf(stderr, "lectern-bench-echo: %zu responses on port %d\n",
               queries->size(), port);
  // Serves until killed; SIGTERM's default action ends the process.
  server->Wait();
  return 0;
}
