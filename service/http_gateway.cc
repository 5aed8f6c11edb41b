#include "service/http_gateway.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/reflection.h>
#include <google/protobuf/util/json_util.h>
#include <httplib.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <functional>
#include <set>
#include <utility>

#include "absl/memory/memory.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "service/web/web_assets.h"

namespace lectern {

// One route: path segments, literal or "{field}" binding a request field,
// and what answers it (with the bindings first in `params`).
struct HttpGateway::Route {
  std::vector<std::string> segments;
  std::function<Reply(const HttpParams& params, const Caller& caller)> handle;
};

namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumValueDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr char kJson[] = "application/json";
constexpr char kPrometheus[] = "text/plain; version=0.0.4; charset=utf-8";
constexpr size_t kMaxPayload = 64 * 1024;

// Length of the well-formed UTF-8 sequence at text[i], or 0 when it is not
// one (overlong forms, surrogates and code points past U+10FFFF are not).
size_t Utf8SequenceLength(absl::string_view text, size_t i) {
  const auto byte = [&](size_t k) {
    return static_cast<unsigned char>(text[i + k]);
  };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  size_t length;
  unsigned char low = 0x80, high = 0xBF;  // bounds of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(1) < low || byte(1) > high) return 0;
  for (size_t k = 2; k < length; ++k) {
    if (byte(k) < 0x80 || byte(k) > 0xBF) return 0;
  }
  return length;
}

bool IsValidUtf8(absl::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const size_t length = Utf8SequenceLength(text, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The field of `descriptor` named `name` by its proto or JSON name.
const FieldDescriptor* FindField(const Descriptor* descriptor,
                                 absl::string_view name) {
  const std::string key(name);
  if (const FieldDescriptor* field = descriptor->FindFieldByName(key)) {
    return field;
  }
  // protobuf 3.21 has no Descriptor::FindFieldByJsonName.
  for (int i = 0; i < descriptor->field_count(); ++i) {
    if (descriptor->field(i)->json_name() == key) return descriptor->field(i);
  }
  return nullptr;
}

absl::Status BadValue(absl::string_view param, absl::string_view value,
                      absl::string_view expected) {
  return absl::InvalidArgumentError(
      absl::StrCat("invalid value ", JsonQuote(value), " for parameter ",
                   JsonQuote(param), ": expected ", expected));
}

// Sets (or, for a repeated field, adds) `field` of `message` from `value`.
absl::Status SetScalar(absl::string_view param, absl::string_view value,
                       const FieldDescriptor* field, Message* message) {
  const Reflection* reflection = message->GetReflection();
  const bool repeated = field->is_repeated();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t number;
      if (!absl::SimpleAtoi(value, &number)) {
        return BadValue(param, value, "a 32-bit integer");
      }
      repeated ? reflection->AddInt32(message, field, number)
               : reflection->SetInt32(message, field, number);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t number;
      if (!absl::SimpleAtoi(value, &number)) {
        return BadValue(param, value, "a 64-bit integer");
      }
      repeated ? reflection->AddInt64(message, field, number)
               : reflection->SetInt64(message, field, number);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t number;
      if (!absl::SimpleAtoi(value, &number)) {
        return BadValue(param, value, "an unsigned 32-bit integer");
      }
      repeated ? reflection->AddUInt32(message, field, number)
               : reflection->SetUInt32(message, field, number);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t number;
      if (!absl::SimpleAtoi(value, &number)) {
        return BadValue(param, value, "an unsigned 64-bit integer");
      }
      repeated ? reflection->AddUInt64(message, field, number)
               : reflection->SetUInt64(message, field, number);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      double number;
      if (!absl::SimpleAtod(value, &number)) {
        return BadValue(param, value, "a number");
      }
      repeated ? reflection->AddDouble(message, field, number)
               : reflection->SetDouble(message, field, number);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_FLOAT: {
      float number;
      if (!absl::SimpleAtof(value, &number)) {
        return BadValue(param, value, "a number");
      }
      repeated ? reflection->AddFloat(message, field, number)
               : reflection->SetFloat(message, field, number);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool flag;
      if (!absl::SimpleAtob(value, &flag)) {
        return BadValue(param, value, "true or false");
      }
      repeated ? reflection->AddBool(message, field, flag)
               : reflection->SetBool(message, field, flag);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto* type = field->enum_type();
      const EnumValueDescriptor* enum_value =
          type->FindValueByName(std::string(value));
      int number;
      if (enum_value == nullptr && absl::SimpleAtoi(value, &number)) {
        enum_value = type->FindValueByNumber(number);
      }
      if (enum_value == nullptr) {
        std::vector<std::string> names;
        names.reserve(type->value_count());
        for (int i = 0; i < type->value_count(); ++i) {
          names.push_back(type->value(i)->name());
        }
        return BadValue(param, value,
                        absl::StrCat("one of ", absl::StrJoin(names, ", "),
                                     " or its number"));
      }
      repeated ? reflection->AddEnum(message, field, enum_value)
               : reflection->SetEnum(message, field, enum_value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string text;
      if (field->type() == FieldDescriptor::TYPE_BYTES) {
        if (!absl::Base64Unescape(value, &text) &&
            !absl::WebSafeBase64Unescape(value, &text)) {
          return BadValue(param, value, "base64");
        }
      } else {
        if (!IsValidUtf8(value)) {
          return absl::InvalidArgumentError(absl::StrCat(
              "parameter ", JsonQuote(param), " is not valid UTF-8"));
        }
        text = std::string(value);
      }
      repeated ? reflection->AddString(message, field, std::move(text))
               : reflection->SetString(message, field, std::move(text));
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "parameter ", JsonQuote(param),
      " names a message; set its fields instead (", param, ".<field>=...)"));
}

std::string StatusName(grpc::StatusCode code) {
  std::string name =
      absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
  return name.empty() ? "UNKNOWN" : name;
}

// "127.0.0.1:8080" -> {"127.0.0.1", 8080}; "[::1]:0" -> {"::1", 0}.
absl::StatusOr<std::pair<std::string, int>> ParseListen(
    absl::string_view listen) {
  const size_t colon = listen.rfind(':');
  int port;
  if (colon == absl::string_view::npos ||
      !absl::SimpleAtoi(listen.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        "HTTP listen address ", JsonQuote(listen), " is not HOST:PORT"));
  }
  absl::string_view host = listen.substr(0, colon);
  if (absl::ConsumePrefix(&host, "[") && !absl::ConsumeSuffix(&host, "]")) {
    host = "";
  }
  if (host.empty() ||
      (host.find(':') != absl::string_view::npos && listen.front() != '[')) {
    return absl::InvalidArgumentError(
        absl::StrCat("HTTP listen address ", JsonQuote(listen),
                     " has no host (IPv6 hosts go in brackets: [::1]:8080)"));
  }
  return std::make_pair(std::string(host), port);
}

// httplib 0.11.4 sets SO_REUSEPORT on listening sockets, which lets a
// second server bind the same port and silently share its connections.
// Plain SO_REUSEADDR instead: a busy port fails to bind.
void ListenSocketOptions(socket_t sock) {
  int yes = 1;
  setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
}

}  // namespace

absl::StatusOr<std::string> PercentDecode(absl::string_view text,
                                          bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      const int high = i + 2 < text.size() ? HexDigit(text[i + 1]) : -1;
      const int low = i + 2 < text.size() ? HexDigit(text[i + 2]) : -1;
      if (high < 0 || low < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("malformed %-escape in ", JsonQuote(text)));
      }
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

absl::StatusOr<HttpParams> ParseQueryString(absl::string_view query) {
  HttpParams params;
  for (absl::string_view piece : absl::StrSplit(query, '&')) {
    if (piece.empty()) continue;
    const size_t equals = piece.find('=');
    absl::StatusOr<std::string> name =
        PercentDecode(piece.substr(0, equals), /*plus_is_space=*/true);
    if (!name.ok()) return name.status();
    absl::StatusOr<std::string> value =
        equals == absl::string_view::npos
            ? std::string()
            : PercentDecode(piece.substr(equals + 1), /*plus_is_space=*/true);
    if (!value.ok()) return value.status();
    params.emplace_back(*std::move(name), *std::move(value));
  }
  return params;
}

absl::Status SetFieldsFromParams(
    const HttpParams& params, Message* message,
    const std::map<std::string, std::string>& aliases) {
  // Singular fields already set, by their resolved path.
  std::set<std::string> assigned;
  for (const auto& [param, value] : params) {
    const auto alias = aliases.find(param);
    const std::string& name = alias == aliases.end() ? param : alias->second;
    Message* target = message;
    std::string path;
    const FieldDescriptor* field = nullptr;
    const std::vector<absl::string_view> parts = absl::StrSplit(name, '.');
    for (size_t i = 0; i < parts.size(); ++i) {
      if (field != nullptr) {  // descend into the previous part
        target = target->GetReflection()->MutableMessage(target, field);
      }
      field = FindField(target->GetDescriptor(), parts[i]);
      if (field == nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat("unknown parameter ", JsonQuote(param)));
      }
      absl::StrAppend(&path, i == 0 ? "" : ".", field->name());
      const bool last = i + 1 == parts.size();
      if (field->is_map() ||
          (!last && (field->is_repeated() ||
                     field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE))) {
        return absl::InvalidArgumentError(absl::StrCat(
            "parameter ", JsonQuote(param), ": ", JsonQuote(path),
            field->is_map() ? " is a map, which query parameters cannot set"
                            : " has no fields to set"));
      }
    }
    if (field == nullptr) {  // StrSplit gives at least one part
      return absl::InvalidArgumentError("empty parameter name");
    }
    if (!field->is_repeated()) {
      if (!assigned.insert(path).second) {
        return absl::InvalidArgumentError(absl::StrCat(
            "parameter ", JsonQuote(param), " is given more than once"));
      }
      const auto* oneof = field->real_containing_oneof();
      const Reflection* reflection = target->GetReflection();
      if (oneof != nullptr && reflection->HasOneof(*target, oneof) &&
          reflection->GetOneofFieldDescriptor(*target, oneof) != field) {
        return absl::InvalidArgumentError(absl::StrCat(
            "parameter ", JsonQuote(param), " conflicts with ",
            reflection->GetOneofFieldDescriptor(*target, oneof)->name(),
            ": both are in oneof ", oneof->name()));
      }
    }
    absl::Status status = SetScalar(param, value, field, target);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

int HttpStatusForCode(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return 200;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
      return 400;
    case grpc::StatusCode::UNAUTHENTICATED:
      return 401;
    case grpc::StatusCode::PERMISSION_DENIED:
      return 403;
    case grpc::StatusCode::NOT_FOUND:
      return 404;
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED:
      return 409;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 429;
    case grpc::StatusCode::CANCELLED:
      return 499;
    case grpc::StatusCode::UNIMPLEMENTED:
      return 501;
    case grpc::StatusCode::UNAVAILABLE:
      return 503;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return 504;
    default:
      return 500;
  }
}

std::string JsonQuote(absl::string_view text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          absl::StrAppend(&out, "\\u00", absl::Hex(c, absl::kZeroPad2));
        } else if (c >= 0x80) {
          const size_t length = Utf8SequenceLength(text, i);
          if (length == 0) {
            out += "\\ufffd";  // not UTF-8: the replacement character
            ++i;
          } else {
            out.append(text.data() + i, length);
            i += length;
          }
          continue;
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  out += '"';
  return out;
}

std::string ErrorJson(grpc::StatusCode code, absl::string_view message) {
  return absl::StrCat("{\"code\":", static_cast<int>(code),
                      ",\"status\":", JsonQuote(StatusName(code)),
                      ",\"message\":", JsonQuote(message), "}");
}

HttpGateway::Reply HttpGateway::Error(grpc::StatusCode code,
                                      absl::string_view message) {
  Reply reply;
  reply.status = HttpStatusForCode(code);
  reply.body = ErrorJson(code, message);
  return reply;
}

HttpGateway::Reply HttpGateway::Json(const Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = false;
  options.preserve_proto_field_names = false;
  Reply reply;
  const auto status = google::protobuf::util::MessageToJsonString(
      message, &reply.body, options);
  if (!status.ok()) {
    return Error(grpc::StatusCode::INTERNAL,
                 absl::StrCat("cannot write the response as JSON: ",
                              std::string(status.message())));
  }
  return reply;
}

HttpGateway::HttpGateway(const HttpGatewayOptions& options,
                         std::shared_ptr<grpc::Channel> channel,
                         Metrics* metrics)
    : options_(options),
      channel_(std::move(channel)),
      lectern_(v1::Lectern::NewStub(channel_)),
      health_(grpc::health::v1::Health::NewStub(channel_)),
      metrics_(metrics) {
  AddRoutes();
}

HttpGateway::~HttpGateway() { Stop(); }

void HttpGateway::AddRoutes() {
  using Stub = v1::Lectern::Stub;
  const auto route = [this](absl::string_view pattern, auto handle) {
    routes_.push_back(
        Route{absl::StrSplit(pattern, '/', absl::SkipEmpty()), handle});
  };
  route("v1/search", [this](const HttpParams& params, const Caller& caller) {
    return Call(&Stub::Search, params, {{"q", "query"}}, caller);
  });
  route("v1/groups/{group}/suggestions",
        [this](const HttpParams& params, const Caller& caller) {
          return Call(&Stub::Suggest, params, {}, caller);
        });
  route("v1/groups/{group}/open-dates",
        [this](const HttpParams& params, const Caller& caller) {
          return Call(&Stub::ListOpenDates, params, {}, caller);
        });
  route("v1/groups/{group}/sessions/{date}",
        [this](const HttpParams& params, const Caller& caller) {
          return Call(&Stub::GetSession, params, {}, caller);
        });
  route("v1/papers/{id}",
        [this](const HttpParams& params, const Caller& caller) {
          return Call(&Stub::GetPaper, params, {}, caller);
        });
  route("v1/groups/{group}/schedule",
        [this](const HttpParams& params, const Caller& caller) {
          return Call(&Stub::GetSchedule, params, {}, caller);
        });
  route("v1/related", [this](const HttpParams& params, const Caller& caller) {
    return Call(&Stub::RelatedWork, params, {}, caller);
  });
  route("v1/people", [this](const HttpParams& params, const Caller& caller) {
    return Call(&Stub::ListPeople, params, {}, caller);
  });
  route("v1/people/{name}",
        [this](const HttpParams& params, const Caller& caller) {
          return Call(&Stub::GetPerson, params, {}, caller);
        });
  route("v1/stats", [this](const HttpParams& params, const Caller& caller) {
    return Call(&Stub::GetStats, params, {}, caller);
  });
  route("healthz", [this](const HttpParams& params, const Caller& caller) {
    return Health(params, caller);
  });
  route("metrics", [this](const HttpParams& params, const Caller& caller) {
    return RenderMetrics(params, caller);
  });
}

void HttpGateway::Prepare(const Caller& caller,
                          grpc::ClientContext* context) const {
  context->set_deadline(std::chrono::system_clock::now() +
                        absl::ToChronoMilliseconds(options_.call_timeout));
  for (const std::string& value : caller.authorization) {
    context->AddMetadata("authorization", value);
  }
  if (!caller.peer.empty()) {
    context->AddMetadata("x-forwarded-for", caller.peer);
  }
}

template <typename Request, typename Response>
HttpGateway::Reply HttpGateway::Call(
    grpc::Status (v1::Lectern::Stub::*method)(grpc::ClientContext*,
                                              const Request&, Response*),
    const HttpParams& params, const std::map<std::string, std::string>& aliases,
    const Caller& caller) const {
  Request request;
  const absl::Status parsed = SetFieldsFromParams(params, &request, aliases);
  if (!parsed.ok()) {
    return Error(grpc::StatusCode::INVALID_ARGUMENT, parsed.message());
  }
  grpc::ClientContext context;
  Prepare(caller, &context);
  Response response;
  const grpc::Status status =
      (lectern_.get()->*method)(&context, request, &response);
  if (!status.ok()) return Error(status.error_code(), status.error_message());
  return Json(response);
}

HttpGateway::Reply HttpGateway::Health(const HttpParams& params,
                                       const Caller& caller) const {
  grpc::health::v1::HealthCheckRequest request;
  const absl::Status parsed = SetFieldsFromParams(params, &request);
  if (!parsed.ok()) {
    return Error(grpc::StatusCode::INVALID_ARGUMENT, parsed.message());
  }
  grpc::ClientContext context;
  Prepare(caller, &context);
  grpc::health::v1::HealthCheckResponse response;
  const grpc::Status status = health_->Check(&context, request, &response);
  if (!status.ok()) {
    Reply reply = Error(status.error_code(), status.error_message());
    // Whatever went wrong, the answer to a health check is "not serving",
    // except for a service name health does not know.
    if (status.error_code() != grpc::StatusCode::NOT_FOUND) reply.status = 503;
    return reply;
  }
  Reply reply;
  reply.status =
      response.status() == grpc::health::v1::HealthCheckResponse::SERVING ? 200
                                                                          : 503;
  reply.body = absl::StrCat(
      "{\"status\":",
      JsonQuote(grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
          response.status())),
      "}");
  return reply;
}

HttpGateway::Reply HttpGateway::RenderMetrics(const HttpParams& params,
                                              const Caller& caller) const {
  v1::GetStatsRequest request;
  const absl::Status parsed = SetFieldsFromParams(params, &request);
  if (!parsed.ok()) {
    return Error(grpc::StatusCode::INVALID_ARGUMENT, parsed.message());
  }
  grpc::ClientContext context;
  Prepare(caller, &context);
  v1::GetStatsResponse stats;
  const grpc::Status status = lectern_->GetStats(&context, request, &stats);
  Reply reply;
  reply.content_type = kPrometheus;
  if (status.ok()) {
    IndexGauges index;
    index.documents = stats.documents();
    index.revision = stats.revision();
    index.committed_at = stats.committed_at();
    reply.body = metrics_->RenderPrometheus(index);
  } else {
    // The request metrics are still worth a scrape; say why the index
    // gauges are missing in a comment, which scrapers ignore.
    reply.body = absl::StrCat(metrics_->RenderPrometheus(),
                              "# lectern_index_* left out: GetStats failed: ",
                              StatusName(status.error_code()), "\n");
  }
  return reply;
}

HttpGateway::Reply HttpGateway::Page(absl::string_view method,
                                     const WebAsset& asset) {
  if (method != "GET" && method != "HEAD") {
    Reply reply = Error(
        grpc::StatusCode::UNIMPLEMENTED,
        absl::StrCat("method ", method, " is not allowed on the web page"));
    reply.status = 405;
    return reply;
  }
  Reply reply;
  reply.content_type = std::string(asset.content_type);
  reply.body = std::string(asset.body);
  // The page and its scripts come from lecternd alone: nothing inline,
  // nothing from elsewhere, and every fetch back to this origin.
  reply.headers = {
      {"Content-Security-Policy",
       "default-src 'none'; script-src 'self'; style-src 'self'; "
       "img-src 'self' data:; connect-src 'self'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      // A new lecternd may serve a new page: revalidate each time.
      {"Cache-Control", "no-cache"},
  };
  return reply;
}

HttpGateway::Reply HttpGateway::Handle(absl::string_view method,
                                       absl::string_view target,
                                       const Caller& caller) const {
  const size_t question = target.find('?');
  const absl::string_view path = target.substr(0, question);
  const absl::string_view query = question == absl::string_view::npos
                                      ? absl::string_view()
                                      : target.substr(question + 1);
  if (!absl::StartsWith(path, "/")) {
    return Error(grpc::StatusCode::INVALID_ARGUMENT,
                 "the request target must be a path");
  }
  // Split before decoding, so an escaped '/' (%2F) stays in its segment.
  std::vector<std::string> segments;
  for (absl::string_view raw : absl::StrSplit(path.substr(1), '/')) {
    absl::StatusOr<std::string> segment =
        PercentDecode(raw, /*plus_is_space=*/false);
    if (!segment.ok()) {
      return Error(grpc::StatusCode::INVALID_ARGUMENT,
                   segment.status().message());
    }
    segments.push_back(*std::move(segment));
  }

  if (const WebAsset* asset = FindWebAsset(path)) return Page(method, *asset);

  const Route* found = nullptr;
  HttpParams params;
  for (const Route& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    params.clear();
    bool match = true;
    for (size_t i = 0; match && i < segments.size(); ++i) {
      absl::string_view pattern = route.segments[i];
      if (absl::ConsumePrefix(&pattern, "{") &&
          absl::ConsumeSuffix(&pattern, "}")) {
        params.emplace_back(std::string(pattern), segments[i]);
      } else {
        match = pattern == segments[i];
      }
    }
    if (match) {
      found = &route;
      break;
    }
  }
  if (found == nullptr) {
    return Error(grpc::StatusCode::NOT_FOUND,
                 absl::StrCat("no such resource: ", path));
  }
  if (method != "GET" && method != "HEAD") {
    Reply reply = Error(grpc::StatusCode::UNIMPLEMENTED,
                        absl::StrCat("method ", method, " is not allowed on ",
                                     path, "; the gateway serves GET"));
    reply.status = 405;
    return reply;
  }
  // The Authorization header travels as gRPC metadata, whose values must be
  // printable ASCII; the value itself is never echoed or logged.
  for (const std::string& value : caller.authorization) {
    for (const char c : value) {
      if (c < 0x20 || c > 0x7E) {
        return Error(grpc::StatusCode::UNAUTHENTICATED,
                     "the Authorization header is not printable ASCII");
      }
    }
  }
  // Path bindings come first: a query parameter naming the same field is
  // then "given more than once".
  absl::StatusOr<HttpParams> query_params = ParseQueryString(query);
  if (!query_params.ok()) {
    return Error(grpc::StatusCode::INVALID_ARGUMENT,
                 query_params.status().message());
  }
  params.insert(params.end(), query_params->begin(), query_params->end());
  return found->handle(params, caller);
}

absl::StatusOr<std::unique_ptr<HttpGateway>> HttpGateway::Start(
    const HttpGatewayOptions& options, std::shared_ptr<grpc::Channel> lectern,
    Metrics* metrics) {
  if (lectern == nullptr || metrics == nullptr) {
    return absl::InvalidArgumentError(
        "the HTTP gateway needs a channel and metrics");
  }
  if (options.threads < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the HTTP gateway needs at least 1 thread, not ", options.threads));
  }
  if (options.call_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "the HTTP gateway's call timeout must be positive");
  }
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    return absl::InvalidArgumentError(
        "HTTPS needs both a certificate and a key file");
  }
  absl::StatusOr<std::pair<std::string, int>> address =
      ParseListen(options.listen);
  if (!address.ok()) return address.status();

  auto gateway =
      absl::WrapUnique(new HttpGateway(options, std::move(lectern), metrics));
  if (options.tls_cert_file.empty()) {
    gateway->server_ = std::make_unique<httplib::Server>();
  } else {
    gateway->server_ = std::make_unique<httplib::SSLServer>(
        options.tls_cert_file.c_str(), options.tls_key_file.c_str());
    gateway->tls_ = true;
  }
  httplib::Server& server = *gateway->server_;
  if (!server.is_valid()) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot load the HTTPS certificate ",
                     options.tls_cert_file, " and key ", options.tls_key_file));
  }
  const int threads = options.threads;
  server.new_task_queue = [threads] {
    return new httplib::ThreadPool(threads);
  };
  server.set_socket_options(ListenSocketOptions);
  server.set_payload_max_length(kMaxPayload);
  server.set_keep_alive_timeout(2);  // bounds how long Stop() waits
  server.set_read_timeout(10);
  server.set_write_timeout(10);

  HttpGateway* self = gateway.get();
  const auto send = [](const Reply& reply, httplib::Response& response) {
    response.status = reply.status;
    response.set_content(reply.body, reply.content_type.c_str());
    if (reply.status == 405) response.set_header("Allow", "GET, HEAD");
    for (const auto& [name, value] : reply.headers) {
      response.set_header(name.c_str(), value);
    }
  };
  // Every GET and HEAD goes through one route table. Other methods are left
  // to httplib, which reads (and bounds) their body and finds no handler;
  // the error handler then answers 405 or 404.
  server.set_pre_routing_handler([self, send](const httplib::Request& request,
                                              httplib::Response& response) {
    if (request.method != "GET" && request.method != "HEAD") {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    Caller caller;
    caller.peer = request.remote_addr;
    const size_t headers = request.get_header_value_count("Authorization");
    for (size_t i = 0; i < headers; ++i) {
      caller.authorization.push_back(
          request.get_header_value("Authorization", i));
    }
    send(self->Handle(request.method, request.target, caller), response);
    return httplib::Server::HandlerResponse::Handled;
  });
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [self, send](const httplib::Request& request,
                   httplib::Response& response) {
        if (!response.body.empty()) {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        if (response.status == 404 && request.method != "GET" &&
            request.method != "HEAD") {
          send(self->Handle(request.method, request.target, Caller()),
               response);
        } else {
          // Errors httplib found itself: a malformed request (400), a body
          // or URI too long (413, 414).
          const char* what = response.status == 413 ? "request too large"
                             : response.status == 414
                                 ? "request URI too long"
                                 : "malformed HTTP request";
          response.set_content(
              ErrorJson(grpc::StatusCode::INVALID_ARGUMENT, what), kJson);
        }
        return httplib::Server::HandlerResponse::Handled;
      }));
  server.set_exception_handler([](const httplib::Request&,
                                  httplib::Response& response,
                                  const std::exception_ptr&) {
    response.status = 500;
    response.set_content(
        ErrorJson(grpc::StatusCode::INTERNAL, "internal error"), kJson);
  });

  const auto& [host, port] = *address;
  gateway->port_ = port == 0 ? server.bind_to_any_port(host)
                             : (server.bind_to_port(host, port) ? port : -1);
  if (gateway->port_ <= 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen for HTTP on ", options.listen));
  }
  gateway->thread_ = std::thread([self] {
    self->server_->listen_after_bind();
    self->done_.Notify();
  });
  return gateway;
}

void HttpGateway::Stop() {
  {
    absl::MutexLock lock(&stop_mu_);
    if (stopped_) return;
    stopped_ = true;
  }
  if (!thread_.joinable()) return;
  // httplib's stop() does nothing until the listen loop has started, so
  // repeat it until the loop has ended.
  do {
    server_->stop();
  } while (!done_.WaitForNotificationWithTimeout(absl::Milliseconds(20)));
  thread_.join();
}

}  // namespace lectern
