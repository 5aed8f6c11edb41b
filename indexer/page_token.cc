#include "indexer/page_token.h"

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace lectern {
namespace {

constexpr absl::string_view kVersion = "p1";
constexpr int kMaxOffset = 1 << 24;

// FNV-1a: stable across builds and platforms, unlike std::hash.
uint32_t Fingerprint(absl::string_view text) {
  uint32_t hash = 2166136261u;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 16777619u;
  }
  return hash;
}

}  // namespace

std::string EncodePageToken(absl::string_view query, int offset) {
  return absl::WebSafeBase64Escape(
      absl::StrCat(kVersion, ":", offset, ":", Fingerprint(query)));
}

absl::StatusOr<int> DecodePageToken(absl::string_view token,
                                    absl::string_view query) {
  if (token.empty()) return 0;
  const auto invalid = [] {
    return absl::InvalidArgumentError(
        "invalid page_token: pass next_page_token from a previous response "
        "to the same query");
  };
  std::string decoded;
  if (token.size() > 64 || !absl::WebSafeBase64Unescape(token, &decoded)) {
    return invalid();
  }
  const std::vector<absl::string_view> parts = absl::StrSplit(decoded, ':');
  int offset = 0;
  uint32_t fingerprint = 0;
  if (parts.size() != 3 || parts[0] != kVersion ||
      !absl::SimpleAtoi(parts[1], &offset) || offset < 0 ||
      offset > kMaxOffset || !absl::SimpleAtoi(parts[2], &fingerprint) ||
      fingerprint != Fingerprint(query)) {
    return invalid();
  }
  return offset;
}

}  // namespace lectern
