#include "clients/cli/write_commands.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clients/cli/render.h"

namespace lectern::cli {
namespace {

void PrintJson(const google::protobuf::Message& message) {
  std::fputs(RenderJson(message).c_str(), stdout);
}

void Authorize(const WriteContext& write, grpc::ClientContext* context) {
  if (write.prepare) write.prepare(context);
  if (!write.token.empty()) {
    context->AddMetadata("authorization", absl::StrCat("Bearer ", write.token));
  }
}

std::string OutcomeName(v1::WriteOutcome outcome) {
  switch (outcome) {
    case v1::WRITE_OUTCOME_CREATED:
      return "created";
    case v1::WRITE_OUTCOME_UPDATED:
      return "updated";
    case v1::WRITE_OUTCOME_UNCHANGED:
      return "unchanged";
    case v1::WRITE_OUTCOME_DELETED:
      return "deleted";
    case v1::WRITE_OUTCOME_VALIDATED:
      return "valid (not written)";
    default:
      return "done";
  }
}

}  // namespace

absl::StatusOr<std::string> ReadToken(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::string line;
  while (std::getline(in, line)) {
    const absl::string_view text = absl::StripAsciiWhitespace(line);
    if (text.empty() || absl::StartsWith(text, "#")) continue;
    std::vector<absl::string_view> fields =
        absl::StrSplit(text, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (fields.size() == 1) return std::string(fields[0]);
    if (fields.size() == 3) return std::string(fields[2]);
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": expected a token, or \"name scopes token\" lines"));
  }
  return absl::InvalidArgumentError(absl::StrCat(path, ": holds no token"));
}

int AddSession(const WriteContext& write,
               const v1::UpsertSessionRequest& request) {
  grpc::ClientContext context;
  Authorize(write, &context);
  v1::UpsertSessionResponse response;
  const grpc::Status status =
      write.stub->UpsertSession(&context, request, &response);
  if (!status.ok()) return write.report_failure("add-session", status);
  if (write.json) {
    PrintJson(response);
    return 0;
  }
  const v1::Session& session = response.session();
  std::vector<std::string> people;
  for (const v1::Presenter& presenter : session.presenters()) {
    people.push_back(presenter.name());
  }
  std::printf("%s: %s%s (revision %llu)\n", session.id().c_str(),
              OutcomeName(response.result().outcome()).c_str(),
              response.result().replayed() ? ", as answered before" : "",
              static_cast<unsigned long long>(response.result().revision()));
  if (!session.title().empty()) {
    std::printf("  %s", session.title().c_str());
    if (!session.paper().venue().empty()) {
      std::printf(" (%s %d)", session.paper().venue().c_str(),
                  session.paper().year());
    }
    std::printf("\n");
  } else {
    std::printf("  open slot\n");
  }
  if (!people.empty()) {
    std::printf("  presented by %s\n", absl::StrJoin(people, ", ").c_str());
  }
  if (!session.paper().paper_id().empty()) {
    std::printf("  catalog paper %s\n", session.paper().paper_id().c_str());
  }
  return 0;
}

int ImportPapers(const WriteContext& write, const std::string& path,
                 const std::string& request_id) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "lectern: cannot read %s\n", path.c_str());
    return 1;
  }
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  const std::string label = std::string(
      absl::StrContains(path, '/') ? path.substr(path.rfind('/') + 1) : path);

  grpc::ClientContext context;
  Authorize(write, &context);
  v1::ImportPapersResponse response;
  auto stream = write.stub->ImportPapers(&context, &response);
  const absl::Time start = absl::Now();
  int sent = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (absl::StripAsciiWhitespace(lines[i]).empty()) continue;
    v1::ImportPapersRequest item;
    item.mutable_paper()->set_json(lines[i]);
    item.mutable_paper()->set_source(absl::StrCat(label, ":", i + 1));
    if (sent == 0) item.set_request_id(request_id);
    if (!stream->Write(item)) break;  // the server ended the call; see Finish
    ++sent;
    if (write.progress != nullptr && sent % 500 == 0) {
      const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
      std::fprintf(write.progress, "\rsent %d of %zu lines (%.0f/s)", sent,
                   lines.size(), sent / std::max(seconds, 1e-3));
      std::fflush(write.progress);
    }
  }
  stream->WritesDone();
  if (write.progress != nullptr && sent >= 500) {
    std::fprintf(write.progress, "\rsent %d lines; waiting for the commit\n",
                 sent);
  }
  const grpc::Status status = stream->Finish();
  if (!status.ok()) return write.report_failure("import-papers", status);
  if (write.json) {
    PrintJson(response);
    return response.rejected() > 0 ? 1 : 0;
  }
  std::printf(
      "%s: %d accepted (%d created, %d updated, %d unchanged), %d rejected; "
      "revision %llu%s\n",
      path.c_str(), response.accepted(), response.created(), response.updated(),
      response.unchanged(), response.rejected(),
      static_cast<unsigned long long>(response.revision()),
      response.replayed() ? " (answered before)" : "");
  for (const v1::ImportItemResult& item : response.items()) {
    if (!item.accepted()) {
      std::printf("  rejected %s: %s\n", item.source().c_str(),
                  item.reason().c_str());
    }
  }
  return response.rejected() > 0 ? 1 : 0;
}

}  // namespace lectern::cli
