#include "service/access.h"

#include <set>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "indexer/files.h"

namespace lectern {
namespace {

// Equal strings, in time that depends on the lengths only, so a caller
// cannot find a token byte by byte from response times.
bool ConstantTimeEquals(absl::string_view a, absl::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char difference = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    difference |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return difference == 0;
}

}  // namespace

absl::StatusOr<AccessPolicy> AccessPolicy::Load(const std::string& path) {
  std::string text;
  if (!ReadWholeFile(path, &text)) {
    return absl::NotFoundError(
        absl::StrCat("cannot read the token file ", path));
  }
  return Parse(text, path);
}

absl::StatusOr<AccessPolicy> AccessPolicy::Parse(absl::string_view text,
                                                 absl::string_view file_label) {
  AccessPolicy policy;
  std::set<std::string> names;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || absl::StartsWith(line, "#")) continue;
    auto bad = [&](absl::string_view what) {
      // The line itself is never quoted: it holds a token.
      return absl::InvalidArgumentError(
          absl::StrCat(file_label, ":", line_number, ": ", what));
    };
    std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (fields.size() != 3) {
      return bad("expected \"name scopes token\" (scopes: read or read,write)");
    }
    Token token;
    token.name = std::string(fields[0]);
    token.secret = std::string(fields[2]);
    for (absl::string_view scope : absl::StrSplit(fields[1], ',')) {
      if (scope == "write") {
        token.can_write = true;
      } else if (scope != "read") {
        return bad(absl::StrCat("unknown scope '", scope,
                                "' (expected read or write)"));
      }
    }
    if (token.secret.size() < kMinTokenLength) {
      return bad(absl::StrCat("the token of '", token.name,
                              "' is shorter than ", kMinTokenLength,
                              " characters"));
    }
    if (!names.insert(token.name).second) {
      return bad(absl::StrCat("the name '", token.name, "' is used twice"));
    }
    if (policy.Find(token.secret) != nullptr) {
      return bad(absl::StrCat("the token of '", token.name,
                              "' is also another name's token"));
    }
    policy.tokens_.push_back(std::move(token));
  }
  return policy;
}

const AccessPolicy::Token* AccessPolicy::Find(absl::string_view secret) const {
  const Token* found = nullptr;
  // Every token is compared, so the time does not tell which one matched.
  for (const Token& token : tokens_) {
    if (ConstantTimeEquals(token.secret, secret)) found = &token;
  }
  return found;
}

absl::StatusOr<std::string> AccessPolicy::Authorize(
    absl::string_view authorization, Scope scope) const {
  const bool needed = scope == Scope::kWrite || require_read_token_;
  if (authorization.empty()) {
    if (!needed) return std::string("anonymous");
    return absl::UnauthenticatedError(absl::StrCat(
        scope == Scope::kWrite ? "writes" : "reads",
        " need a token: send the metadata 'authorization: Bearer <token>'"));
  }
  absl::string_view secret = authorization;
  if (!absl::ConsumePrefix(&secret, "Bearer ") &&
      !absl::ConsumePrefix(&secret, "bearer ")) {
    return absl::UnauthenticatedError(
        "the authorization metadata must be 'Bearer <token>'");
  }
  secret = absl::StripAsciiWhitespace(secret);
  const Token* token = Find(secret);
  if (token == nullptr) {
    return absl::UnauthenticatedError("unknown or revoked token");
  }
  if (scope == Scope::kWrite && !token->can_write) {
    return absl::PermissionDeniedError(
        absl::StrCat("the token of '", token->name, "' has no write scope"));
  }
  return token->name;
}

absl::StatusOr<std::string> AccessPolicy::Authorize(
    const std::vector<std::string>& authorization, Scope scope) const {
  if (authorization.size() > 1) {
    return absl::UnauthenticatedError(
        absl::StrCat("the call sent ", authorization.size(),
                     " authorization values; send one 'Bearer <token>'"));
  }
  return Authorize(authorization.empty() ? absl::string_view()
                                         : absl::string_view(authorization[0]),
                   scope);
}

bool IsLoopbackAddress(absl::string_view address) {
  const size_t colon = address.rfind(':');
  const absl::string_view host =
      colon == absl::string_view::npos ? address : address.substr(0, colon);
  return host == "localhost" || host == "[::1]" ||
         (absl::StartsWith(host, "127.") &&
          host.find_first_not_of("0123456789.") == absl::string_view::npos);
}

}  // namespace lectern
