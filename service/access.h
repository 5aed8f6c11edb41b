// Who may call what: bearer tokens from a token file, each with scopes.
//
// Token file: one token per line, "name scopes token", e.g.
//
//   # name   scopes      token
//   bot      read,write  6f1c0e7a9b2d4c8e...
//   website  read        0d9a7c55e1f34b26...
//
// Scopes are "read" and "write" ("write" includes "read"). Names appear in
// logs; tokens never do. Tokens are at least 16 characters, unique, and
// compared in constant time. Plain C++; the gRPC adapters pass the
// "authorization" metadata value in.
#ifndef LECTERN_SERVICE_ACCESS_H_
#define LECTERN_SERVICE_ACCESS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lectern {

enum class Scope { kRead, kWrite };

class AccessPolicy {
 public:
  // Shortest token accepted in a token file.
  static constexpr size_t kMinTokenLength = 16;

  // Everyone may read; nobody may write (no token file).
  AccessPolicy() = default;

  // Reads and parses a token file. InvalidArgument citing "file:line" for
  // a bad line, NotFound when the file cannot be read.
  static absl::StatusOr<AccessPolicy> Load(const std::string& path);
  static absl::StatusOr<AccessPolicy> Parse(absl::string_view text,
                                            absl::string_view file_label);

  // When set, reads need a token with the read scope too.
  void set_require_read_token(bool require) { require_read_token_ = require; }
  bool require_read_token() const { return require_read_token_; }
  bool has_tokens() const { return !tokens_.empty(); }

  // Checks `authorization` ("Bearer <token>", or empty when the call sent
  // none) for `scope`. The caller's name ("anonymous" for an open read)
  // when allowed; Unauthenticated when a needed token is missing, malformed
  // or unknown (a token that is sent must be valid even for an open read);
  // PermissionDenied when the token lacks the scope.
  absl::StatusOr<std::string> Authorize(absl::string_view authorization,
                                        Scope scope) const;
  // The same for every "authorization" value a call sent: none is no
  // token; more than one is Unauthenticated, whatever they hold (which one
  // counts would be a guess, and a proxy may have added one).
  absl::StatusOr<std::string> Authorize(
      const std::vector<std::string>& authorization, Scope scope) const;

 private:
  struct Token {
    std::string name;
    std::string secret;
    bool can_write = false;
  };
  const Token* Find(absl::string_view secret) const;

  std::vector<Token> tokens_;
  bool require_read_token_ = false;
};

// True for "127.x.y.z:port", "[::1]:port" and "localhost:port": addresses
// where plaintext (and a token in it) never leaves the machine.
bool IsLoopbackAddress(absl::string_view address);

}  // namespace lectern

#endif  // LECTERN_SERVICE_ACCESS_H_
