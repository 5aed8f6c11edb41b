// Fuzz target: page tokens (indexer/page_token.h). The input is split at
// its first '\n' into a token and a query. Checks: a token that decodes
// gives an offset in [0, 2^24]; that offset encoded for the query decodes
// to itself, and to an error for another query; EncodePageToken's tokens
// always decode.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "fuzz/fuzz_checks.h"
#include "indexer/page_token.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const absl::string_view token = input.substr(0, newline);
  const absl::string_view query = newline == absl::string_view::npos
                                      ? absl::string_view()
                                      : input.substr(newline + 1);
  const absl::StatusOr<int> offset = lectern::DecodePageToken(token, query);
  // Offsets the fuzzer cannot reach by decoding: a few fixed, one derived.
  int round_trip[] = {0, 1, 10, 1 << 24,
                      static_cast<int>(size * 7919 % (1 << 24))};
  if (offset.ok()) {
    LECTERN_FUZZ_CHECK(*offset >= 0 && *offset <= (1 << 24),
                       absl::StrCat(token, " -> ", *offset));
    round_trip[0] = *offset;
  } else {
    LECTERN_FUZZ_CHECK(
        offset.status().code() == absl::StatusCode::kInvalidArgument,
        offset.status().ToString());
  }
  const std::string other = absl::StrCat(query, "x");
  for (int value : round_trip) {
    const std::string encoded = lectern::EncodePageToken(query, value);
    const absl::StatusOr<int> decoded =
        lectern::DecodePageToken(encoded, query);
    LECTERN_FUZZ_CHECK(decoded.ok() && *decoded == value,
                       absl::StrCat(value, " -> ", encoded, " -> ",
                                    decoded.status().ToString()));
    // FNV-1a differs for a one-byte extension of the same text.
    LECTERN_FUZZ_CHECK(!lectern::DecodePageToken(encoded, other).ok(),
                       absl::StrCat(encoded, " accepted for '", other, "'"));
  }
  return 0;
}
