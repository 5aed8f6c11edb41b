// The CLI's write commands: add-session and import-papers, through the
// LecternWriter API with a bearer token.
#ifndef LECTERN_CLIENTS_CLI_WRITE_COMMANDS_H_
#define LECTERN_CLIENTS_CLI_WRITE_COMMANDS_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "lectern/v1/writer.grpc.pb.h"

namespace lectern::cli {

// The token in `path`: a file holding just the token, or a lecternd token
// file ("name scopes token" lines), whose first token is taken. Comments
// (#) and blank lines are skipped.
absl::StatusOr<std::string> ReadToken(const std::string& path);

// Shared by the write commands.
struct WriteContext {
  v1::LecternWriter::Stub* stub = nullptr;
  std::string token;  // may be empty: the server then answers UNAUTHENTICATED
  // Sets the deadline (and anything else) on every call's context.
  std::function<void(grpc::ClientContext*)> prepare;
  // Reports a failed call ("add-session", its status); returns the exit
  // status.
  std::function<int(const char*, const grpc::Status&)> report_failure;
  bool json = false;
  // Reports progress; quiet when null.
  std::FILE* progress = nullptr;
};

// Sends `request`, prints what was stored; 0 on success, 1 on failure.
int AddSession(const WriteContext& context,
               const v1::UpsertSessionRequest& request);

// Streams every line of the JSON Lines catalog `path` as one paper (source
// "FILE:LINE"), then prints the accepted and rejected counts and each
// rejection with its reason. 0 when every paper was accepted, 1 otherwise.
int ImportPapers(const WriteContext& context, const std::string& path,
                 const std::string& request_id);

}  // namespace lectern::cli

#endif  // LECTERN_CLIENTS_CLI_WRITE_COMMANDS_H_
