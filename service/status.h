// The one place absl::Status becomes grpc::Status. The numeric codes are
// the same in both; the message travels unchanged up to
// kMaxStatusMessageBytes and is cut beyond.
#ifndef LECTERN_SERVICE_STATUS_H_
#define LECTERN_SERVICE_STATUS_H_

#include <grpcpp/support/status.h>

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace lectern {

// Longest status message sent. Messages quote the input they refuse, and a
// message travels in a response header: a quoted 60 KiB group name would
// exceed the client's metadata limit (8 KiB by default, and gRPC escapes
// non-ASCII bytes three times over), which then fails the call with
// RESOURCE_EXHAUSTED instead of the real code.
inline constexpr size_t kMaxStatusMessageBytes = 1024;

// `message` cut to at most kMaxStatusMessageBytes, at a UTF-8 character
// boundary, saying how much was left out.
inline std::string ShortStatusMessage(absl::string_view message) {
  if (message.size() <= kMaxStatusMessageBytes) return std::string(message);
  size_t keep = kMaxStatusMessageBytes - 64;  // room for the note
  // Back up over UTF-8 continuation bytes (10xxxxxx).
  while (keep > 0 && (static_cast<unsigned char>(message[keep]) & 0xC0) == 0x80)
    --keep;
  return absl::StrCat(message.substr(0, keep), "… (", message.size() - keep,
                      " more bytes)");
}

inline grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      ShortStatusMessage(status.message()));
}

}  // namespace lectern

#endif  // LECTERN_SERVICE_STATUS_H_
