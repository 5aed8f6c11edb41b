#include "indexer/mojibake.h"

#include <optional>
#include <string>
#include <utility>

#include "indexer/utf8.h"

namespace lectern {
namespace {

// Windows-1254 byte for a code point, for the bytes 0x80-0xFF only.
std::optional<unsigned char> Windows1254Byte(char32_t cp) {
  switch (cp) {
    case 0x20AC:
      return 0x80;
    case 0x201A:
      return 0x82;
    case 0x0192:
      return 0x83;
    case 0x201E:
      return 0x84;
    case 0x2026:
      return 0x85;
    case 0x2020:
      return 0x86;
    case 0x2021:
      return 0x87;
    case 0x02C6:
      return 0x88;
    case 0x2030:
      return 0x89;
    case 0x0160:
      return 0x8A;
    case 0x2039:
      return 0x8B;
    case 0x0152:
      return 0x8C;
    case 0x2018:
      return 0x91;
    case 0x2019:
      return 0x92;
    case 0x201C:
      return 0x93;
    case 0x201D:
      return 0x94;
    case 0x2022:
      return 0x95;
    case 0x2013:
      return 0x96;
    case 0x2014:
      return 0x97;
    case 0x02DC:
      return 0x98;
    case 0x2122:
      return 0x99;
    case 0x0161:
      return 0x9A;
    case 0x203A:
      return 0x9B;
    case 0x0153:
      return 0x9C;
    case 0x0178:
      return 0x9F;
    case 0x011E:
      return 0xD0;
    case 0x0130:
      return 0xDD;
    case 0x015E:
      return 0xDE;
    case 0x011F:
      return 0xF0;
    case 0x0131:
      return 0xFD;
    case 0x015F:
      return 0xFE;
    // Latin-1 letters that Windows-1254 replaced with the Turkish ones above.
    case 0xD0:
    case 0xDD:
    case 0xDE:
    case 0xF0:
    case 0xFD:
    case 0xFE:
      return std::nullopt;
    default:
      if (cp >= 0xA0 && cp <= 0xFF) return static_cast<unsigned char>(cp);
      return std::nullopt;
  }
}

int ExpectedLength(unsigned char lead) {
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

bool IsContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// Decodes the bytes of a run as UTF-8 that lost some continuation bytes.
// Returns nullopt when the bytes do not look like UTF-8 at all (a stray
// continuation byte, a lead byte with nothing after it, no complete
// sequence), in which case the run was real text, not mojibake.
std::optional<std::string> DecodeRun(const std::string& bytes, int* lost) {
  std::string out;
  int complete = 0;
  int truncated = 0;
  size_t pos = 0;
  while (pos < bytes.size()) {
    const auto lead = static_cast<unsigned char>(bytes[pos]);
    const int length = ExpectedLength(lead);
    if (length == 0) return std::nullopt;
    int have = 1;
    while (have < length && pos + have < bytes.size() &&
           IsContinuation(static_cast<unsigned char>(bytes[pos + have]))) {
      ++have;
    }
    if (have == length) {
      const std::string sequence = bytes.substr(pos, length);
      if (!utf8::IsValid(sequence)) return std::nullopt;
      out += sequence;
      ++complete;
    } else {
      // A lead byte with at least one continuation: the rest was lost.
      if (have == 1) return std::nullopt;
      utf8::Append(utf8::kReplacement, &out);
      ++truncated;
    }
    pos += have;
  }
  if (complete == 0) return std::nullopt;
  *lost += truncated;
  return out;
}

// One pass over `text`: each maximal run of mis-decoded characters
// rewritten once.
MojibakeRepair RepairOnce(absl::string_view text) {
  MojibakeRepair result;
  const std::u32string chars = utf8::Decode(text);
  std::string& out = result.text;
  out.reserve(text.size());
  size_t i = 0;
  while (i < chars.size()) {
    if (!Windows1254Byte(chars[i])) {
      utf8::Append(chars[i], &out);
      ++i;
      continue;
    }
    // A maximal run of characters Windows-1254 can encode.
    size_t end = i;
    std::string bytes;
    std::optional<unsigned char> byte;
    while (end < chars.size() && (byte = Windows1254Byte(chars[end]))) {
      bytes.push_back(static_cast<char>(*byte));
      ++end;
    }
    int lost = 0;
    if (auto repaired = DecodeRun(bytes, &lost)) {
      out += *repaired;
      ++result.repaired_runs;
      result.lost_sequences += lost;
    } else {
      for (size_t k = i; k < end; ++k) utf8::Append(chars[k], &out);
    }
    i = end;
  }
  return result;
}

}  // namespace

MojibakeRepair RepairMojibake(absl::string_view text) {
  // Text mis-decoded twice ("cafÃƒÂ©") needs a pass per time: passes run
  // until one changes nothing, which makes the repair idempotent. Each pass
  // that repairs a run shortens the text (a character of two or more bytes
  // becomes one byte, a lost sequence of two or more characters one
  // U+FFFD), so this ends. A pass that repaired nothing left only clean
  // text behind.
  MojibakeRepair result = RepairOnce(text);
  for (int repaired = result.repaired_runs; repaired > 0;) {
    MojibakeRepair pass = RepairOnce(result.text);
    repaired = pass.repaired_runs;
    result.text = std::move(pass.text);
    result.repaired_runs += pass.repaired_runs;
    result.lost_sequences += pass.lost_sequences;
  }
  return result;
}

}  // namespace lectern
