// HTTP/JSON gateway: lectern's read API as JSON over HTTP(S), plus health
// and Prometheus metrics. Every route calls the gRPC method it maps onto
// through a channel to lecternd itself (in process), so authentication,
// validation, status codes and results are exactly the gRPC ones.
//
//   GET /v1/search?q=kv%20cache               Lectern.Search
//   GET /v1/groups/{group}/suggestions?...    Lectern.Suggest
//   GET /v1/groups/{group}/open-dates         Lectern.ListOpenDates
//   GET /v1/groups/{group}/sessions/{date}    Lectern.GetSession
//   GET /v1/papers/{id}                       Lectern.GetPaper
//   GET /v1/stats                             Lectern.GetStats
//   GET /healthz                              grpc.health.v1.Health/Check
//   GET /v1/groups/{group}/schedule           Lectern.GetSchedule
//   GET /metrics                              Metrics::RenderPrometheus
//   GET /, /assets/{file}                     the web page (service/web/)
//
// Query parameters set request fields as grpc-gateway does (see
// SetFieldsFromParams); responses use protobuf's JSON mapping
// (lowerCamelCase names, fields at their default value left out, 64-bit
// integers as strings). A failed call answers with the HTTP status of its
// gRPC code (HttpStatusForCode) and the body
// {"code":5,"status":"NOT_FOUND","message":"..."}. The HTTP Authorization
// header travels as gRPC metadata `authorization`; it is never logged.
// HEAD is answered like GET without a body; other methods are 405.
//
//   auto gateway = HttpGateway::Start(options, server->InProcessChannel(
//                                        grpc::ChannelArguments()), &metrics);
//   if (!gateway.ok()) ...;
//   ... (*gateway)->port() ...
//   (*gateway)->Stop();
//
// HttpGateway is thread-safe; the plain functions below are pure.
#ifndef LECTERN_SERVICE_HTTP_GATEWAY_H_
#define LECTERN_SERVICE_HTTP_GATEWAY_H_

#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "lectern/v1/lectern.grpc.pb.h"
#include "service/metrics.h"

namespace google::protobuf {
class Message;
}  // namespace google::protobuf
namespace httplib {
class Server;
}  // namespace httplib

namespace lectern {

struct WebAsset;

// Decoded name/value pairs in the order they were given.
using HttpParams = std::vector<std::pair<std::string, std::string>>;

// Decodes %XX escapes; with `plus_is_space` (query strings) '+' is a space,
// otherwise (path segments) it stays '+'. InvalidArgument on a malformed
// escape ("%4", "%zz").
absl::StatusOr<std::string> PercentDecode(absl::string_view text,
                                          bool plus_is_space);

// Splits a query string ("q=kv+cache&count=5", without the '?') into
// decoded pairs; "flag" without '=' has the value "". Empty pieces ("a=1&&")
// are skipped. InvalidArgument on a malformed escape.
absl::StatusOr<HttpParams> ParseQueryString(absl::string_view query);

// Sets fields of `message` from `params`, following grpc-gateway's
// convention for query parameters:
//  - a name is a field's proto name or JSON name ("page_size", "pageSize"),
//    dotted through singular message fields for nested ones
//    ("filters.venues", "filters.yearFrom"); `aliases` renames names first
//    (e.g. {"q", "query"});
//  - a repeated field takes one element per occurrence of its name;
//  - scalars parse from text: integers in decimal, floating point, bools as
//    true/false (also 1/0, t/f, yes/no), enums by value name or number,
//    bytes as base64; strings must be valid UTF-8.
// Returns InvalidArgument naming the parameter (as given) when a name
// matches no field, names a message, map or a field already set (a
// singular field twice, or a second member of a oneof), or a value does
// not parse. `message` may be partly set on error.
absl::Status SetFieldsFromParams(
    const HttpParams& params, google::protobuf::Message* message,
    const std::map<std::string, std::string>& aliases = {});

// The HTTP status of a gRPC status code, as google.rpc maps them:
// INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE 400;
// UNAUTHENTICATED 401; PERMISSION_DENIED 403; NOT_FOUND 404;
// ALREADY_EXISTS, ABORTED 409; RESOURCE_EXHAUSTED 429; CANCELLED 499;
// UNIMPLEMENTED 501; UNAVAILABLE 503; DEADLINE_EXCEEDED 504; OK 200;
// anything else 500.
int HttpStatusForCode(grpc::StatusCode code);

// The error body: {"code":<number>,"status":"<NAME>","message":"..."}.
std::string ErrorJson(grpc::StatusCode code, absl::string_view message);

// `text` as a JSON string literal, quotes included.
std::string JsonQuote(absl::string_view text);

struct HttpGatewayOptions {
  // HOST:PORT to listen on; port 0 picks a free one. IPv6 hosts in
  // brackets: "[::1]:8080".
  std::string listen = "127.0.0.1:0";
  // PEM files; when both are set the gateway serves HTTPS only.
  std::string tls_cert_file;
  std::string tls_key_file;
  // Deadline of each in-process gRPC call.
  absl::Duration call_timeout = absl::Seconds(30);
  // Threads serving HTTP connections (each holds one connection at a time).
  int threads = 4;
};

class HttpGateway {
 public:
  // Binds options.listen and starts serving on a thread of its own.
  // `lectern` is a channel to the server providing lectern.v1.Lectern and
  // grpc.health.v1.Health; `metrics` (not owned, must outlive the
  // gateway) is rendered at /metrics. InvalidArgument for bad options
  // (listen address, only one TLS file, threads < 1, null arguments);
  // FailedPrecondition when the TLS files cannot be loaded; Unavailable
  // when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<HttpGateway>> Start(
      const HttpGatewayOptions& options, std::shared_ptr<grpc::Channel> lectern,
      Metrics* metrics);

  ~HttpGateway();  // Stop()s.
  HttpGateway(const HttpGateway&) = delete;
  HttpGateway& operator=(const HttpGateway&) = delete;

  // The bound port.
  int port() const { return port_; }
  bool tls() const { return tls_; }

  // Stops accepting connections, lets the requests being served finish
  // and joins the threads. Idempotent.
  void Stop();

 private:
  struct Route;
  // What the HTTP layer answers.
  struct Reply {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    // Further response headers.
    std::vector<std::pair<std::string, std::string>> headers;
  };
  // Who asks: every Authorization header, in order (none when it sent
  // none; more than one is refused by the gRPC side like duplicated
  // metadata), and the client's address.
  struct Caller {
    std::vector<std::string> authorization;
    std::string peer;
  };

  HttpGateway(const HttpGatewayOptions& options,
              std::shared_ptr<grpc::Channel> channel, Metrics* metrics);

  static Reply Error(grpc::StatusCode code, absl::string_view message);
  static Reply Json(const google::protobuf::Message& message);
  // A file of the web page (service/web/).
  static Reply Page(absl::string_view method, const WebAsset& asset);

  void AddRoutes();
  // Routes one request; `target` is the raw request target ("/v1/...?...").
  Reply Handle(absl::string_view method, absl::string_view target,
               const Caller& caller) const;
  template <typename Request, typename Response>
  Reply Call(grpc::Status (v1::Lectern::Stub::*method)(grpc::ClientContext*,
                                                       const Request&,
                                                       Response*),
             const HttpParams& params,
             const std::map<std::string, std::string>& aliases,
             const Caller& caller) const;
  Reply Health(const HttpParams& params, const Caller& caller) const;
  Reply RenderMetrics(const HttpParams& params, const Caller& caller) const;
  // Deadline, forwarded authorization, client address.
  void Prepare(const Caller& caller, grpc::ClientContext* context) const;

  const HttpGatewayOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Lectern::Stub> lectern_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
  Metrics* metrics_;
  std::vector<Route> routes_;

  std::unique_ptr<httplib::Server> server_;
  bool tls_ = false;
  int port_ = 0;
  std::thread thread_;
  absl::Notification done_;
  absl::Mutex stop_mu_;
  bool stopped_ ABSL_GUARDED_BY(stop_mu_) = false;
};

}  // namespace lectern

#endif  // LECTERN_SERVICE_HTTP_GATEWAY_H_
