// Minimal UTF-8 decoding and encoding, the base of lectern's text repair and
// normalization. Pure functions; thread-safe.
#ifndef LECTERN_INDEXER_UTF8_H_
#define LECTERN_INDEXER_UTF8_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace lectern::utf8 {

// U+FFFD, written where bytes could not be decoded or were lost.
inline constexpr char32_t kReplacement = 0xFFFD;

// Decodes `text`; each invalid byte becomes kReplacement.
std::u32string Decode(absl::string_view text);

// Appends the UTF-8 encoding of `cp` to `out`.
void Append(char32_t cp, std::string* out);

// True when `text` is well-formed UTF-8.
bool IsValid(absl::string_view text);

// `text` with each byte that is not part of well-formed UTF-8 re-encoded as
// the Latin-1 character of that value (0x85 becomes U+0085); the rest is
// kept. yaml-cpp 0.7 writes the escapes "\N" and "\_" as the single bytes
// 0x85 and 0xA0, which are those characters in Latin-1.
std::string Latin1StraysToUtf8(absl::string_view text);

// Emoji, pictographs, dingbats and the joiners and selectors that build them.
bool IsPictographic(char32_t cp);

}  // namespace lectern::utf8

#endif  // LECTERN_INDEXER_UTF8_H_
