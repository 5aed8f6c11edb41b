#include "indexer/utf8.h"

namespace lectern::utf8 {
namespace {

// Length of the sequence a lead byte starts, or 0 if it cannot lead.
int SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

bool IsContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// Decodes one code point at `pos`, advancing it; kReplacement (advancing
// one byte) when the sequence there is invalid.
char32_t DecodeOne(absl::string_view text, size_t* pos) {
  const auto lead = static_cast<unsigned char>(text[*pos]);
  const int length = SequenceLength(lead);
  if (length == 0 || *pos + length > text.size()) {
    ++*pos;
    return kReplacement;
  }
  if (length == 1) {
    ++*pos;
    return lead;
  }
  char32_t cp = lead & (0xFF >> (length + 1));
  for (int i = 1; i < length; ++i) {
    const auto byte = static_cast<unsigned char>(text[*pos + i]);
    if (!IsContinuation(byte)) {
      ++*pos;
      return kReplacement;
    }
    cp = (cp << 6) | (byte & 0x3F);
  }
  // Overlong forms and surrogates are invalid.
  static constexpr char32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMinimum[length] || cp > 0x10FFFF ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++*pos;
    return kReplacement;
  }
  *pos += length;
  return cp;
}

}  // namespace

std::u32string Decode(absl::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) out.push_back(DecodeOne(text, &pos));
  return out;
}

void Append(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool IsValid(absl::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t before = pos;
    const char32_t cp = DecodeOne(text, &pos);
    // A literal U+FFFD is 3 bytes; a decoding error advances by one.
    if (cp == kReplacement && pos - before == 1) return false;
  }
  return true;
}

std::string Latin1StraysToUtf8(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t before = pos;
    const char32_t cp = DecodeOne(text, &pos);
    if (cp == kReplacement && pos - before == 1) {
      Append(static_cast<unsigned char>(text[before]), &out);
    } else {
      out.append(text.data() + before, pos - before);
    }
  }
  return out;
}

bool IsPictographic(char32_t cp) {
  return (cp >= 0x1F000 && cp <= 0x1FAFF) ||  // emoji and pictographs
         (cp >= 0x2600 && cp <= 0x27BF) ||    // misc symbols, dingbats
         (cp >= 0x2B00 && cp <= 0x2BFF) ||    // arrows, stars
         (cp >= 0xFE00 && cp <= 0xFE0F) ||    // variation selectors
         cp == 0x200D ||                      // zero-width joiner
         cp == 0x20E3;                        // combining keycap
}

}  // namespace lectern::utf8
