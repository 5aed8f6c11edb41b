#include "indexer/normalize.h"

#include <xapian.h>

#include <algorithm>
#include <cctype>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "indexer/utf8.h"

namespace lectern {
namespace {

// Full-width forms and CJK punctuation, as the ASCII text they stand for.
// Full-width punctuation carries its own spacing, hence ": " and ", ".
const char* FoldedPunctuation(char32_t cp) {
  switch (cp) {
    case 0xFF08:
      return " (";  // （
    case 0xFF09:
      return ") ";  // ）
    case 0xFF1A:
      return ": ";  // ：
    case 0xFF0C:
      return ", ";  // ，
    case 0x3001:
      return ", ";  // 、
    case 0xFF1B:
      return "; ";  // ；
    case 0x3002:
      return ". ";  // 。
    case 0xFF01:
      return "! ";  // ！
    case 0xFF1F:
      return "? ";  // ？
    case 0x3000:
      return " ";  // ideographic space
    case 0x00A0:
      return " ";  // no-break space
    default:
      return nullptr;
  }
}

bool IsSpace(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' ||
         cp == '\v';
}

// Lowercase letters and digits of `text`, any script.
std::string AlnumLower(absl::string_view text) {
  std::string out;
  for (char32_t cp : utf8::Decode(text)) {
    if (cp < 0x80) {
      if (std::isalnum(static_cast<unsigned char>(cp))) {
        out.push_back(static_cast<char>(std::tolower(static_cast<int>(cp))));
      }
      continue;
    }
    const auto category = Xapian::Unicode::get_category(cp);
    const bool letter_or_digit =
        (category >= Xapian::Unicode::UPPERCASE_LETTER &&
         category <= Xapian::Unicode::OTHER_LETTER) ||
        category == Xapian::Unicode::DECIMAL_DIGIT_NUMBER;
    if (letter_or_digit) utf8::Append(Xapian::Unicode::tolower(cp), &out);
  }
  return out;
}

int EditDistance(absl::string_view a, absl::string_view b) {
  std::vector<int> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    int diagonal = row[0];
    row[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      const int substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      diagonal = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitution});
    }
  }
  return row[b.size()];
}

}  // namespace

std::string CleanText(absl::string_view text) {
  std::string folded;
  folded.reserve(text.size());
  for (char32_t cp : utf8::Decode(text)) {
    if (const char* ascii = FoldedPunctuation(cp)) {
      folded += ascii;
    } else if (cp >= 0xFF01 && cp <= 0xFF5E) {
      folded.push_back(static_cast<char>(cp - 0xFF01 + 0x21));
    } else {
      utf8::Append(IsSpace(cp) ? U' ' : cp, &folded);
    }
  }
  // Collapse spaces, drop spaces before closing punctuation that folding
  // may have introduced ("GPUs ）," becomes "GPUs),").
  std::string out;
  out.reserve(folded.size());
  for (char c : folded) {
    if (c == ' ' && (out.empty() || out.back() == ' ' || out.back() == '(')) {
      continue;
    }
    if ((c == ')' || c == ',' || c == ':' || c == ';') && !out.empty() &&
        out.back() == ' ') {
      out.pop_back();
    }
    out.push_back(c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

Venue CanonicalVenue(absl::string_view written) {
  static const auto* const kCanonical =
      new absl::flat_hash_map<std::string, std::string>{
          {"osdi", "OSDI"},
          {"sosp", "SOSP"},
          {"nsdi", "NSDI"},
          {"atc", "USENIX ATC"},
          {"usenixatc", "USENIX ATC"},
          {"eurosys", "EuroSys"},
          {"socc", "SoCC"},
          {"sc", "SC"},
          {"icpp", "ICPP"},
          {"mobicom", "MobiCom"},
          {"cikm", "CIKM"},
          {"tpds", "TPDS"},
          {"vldb", "VLDB"},
          {"pvldb", "VLDB"},
          {"arxiv", "arXiv"},
          {"corr", "arXiv"},
          {"fast", "FAST"},
          {"asplos", "ASPLOS"},
          {"mlsys", "MLSys"},
          {"sigcomm", "SIGCOMM"},
          {"isca", "ISCA"},
          {"micro", "MICRO"},
          {"hpca", "HPCA"},
          {"hotos", "HotOS"},
          {"ppopp", "PPoPP"},
          {"sigmod", "SIGMOD"},
          {"icde", "ICDE"},
          {"middleware", "Middleware"},
          {"ccs", "CCS"},
          {"pldi", "PLDI"},
          {"popl", "POPL"},
          {"oopsla", "OOPSLA"},
          {"icfp", "ICFP"},
          {"kdd", "KDD"},
          {"sigir", "SIGIR"},
          {"www", "WWW"},
          {"infocom", "INFOCOM"},
          {"hpdc", "HPDC"},
          {"ipdps", "IPDPS"},
          {"tocs", "TOCS"},
          {"tos", "TOS"},
          {"tc", "TC"},
          {"icml", "ICML"},
          {"neurips", "NeurIPS"},
          {"iclr", "ICLR"},
          {"conext", "CoNEXT"},
          {"sensys", "SenSys"},
          {"mobisys", "MobiSys"},
          {"vee", "VEE"},
          {"systor", "SYSTOR"},
          {"hotstorage", "HotStorage"},
          {"hotcloud", "HotCloud"},
          {"podc", "PODC"},
          {"spaa", "SPAA"},
          {"cidr", "CIDR"},
          {"pods", "PODS"},
          {"icdm", "ICDM"},
      };
  Venue venue;
  venue.name = CleanText(written);
  const auto it = kCanonical->find(AlnumLower(venue.name));
  if (it != kCanonical->end()) {
    venue.name = it->second;
    venue.recognized = true;
  }
  return venue;
}

std::optional<std::string> FindVenueIn(absl::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      word.push_back(c);
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  for (size_t length = 3; length >= 1; --length) {
    for (size_t i = 0; i + length <= words.size(); ++i) {
      std::string run = words[i];
      for (size_t k = 1; k < length; ++k)
        absl::StrAppend(&run, " ", words[i + k]);
      const Venue venue = CanonicalVenue(run);
      // Written as the venue writes itself ("OSDI", "EuroSys"), so that
      // ordinary words ("fast", "micro") in a long title do not count.
      const bool all_capitals =
          std::none_of(run.begin(), run.end(), [](char c) {
            return absl::ascii_islower(static_cast<unsigned char>(c));
          });
      if (venue.recognized && (all_capitals || run == venue.name)) {
        return venue.name;
      }
    }
  }
  return std::nullopt;
}

std::string VenueKey(absl::string_view canonical_name) {
  return AlnumLower(canonical_name);
}

std::optional<int> NormalizeYear(absl::string_view written) {
  absl::string_view digits = absl::StripAsciiWhitespace(written);
  // Leading apostrophes, straight or curly ("'24", "’24").
  for (absl::string_view quote : {"'", "\xE2\x80\x99", "\xE2\x80\x98"}) {
    if (absl::ConsumePrefix(&digits, quote)) break;
  }
  if (digits.size() != 2 && digits.size() != 4) return std::nullopt;
  for (char c : digits) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c)))
      return std::nullopt;
  }
  int value = 0;
  if (!absl::SimpleAtoi(digits, &value)) return std::nullopt;
  if (digits.size() == 2) return value < 70 ? 2000 + value : 1900 + value;
  if (value < 1900 || value > 2199) return std::nullopt;
  return value;
}

std::string PersonKey(absl::string_view name) { return AlnumLower(name); }

int NameSpellingScore(absl::string_view name) {
  int score = 0;
  int words = 0;
  for (absl::string_view word : absl::StrSplit(name, ' ', absl::SkipEmpty())) {
    ++words;
    // "Wei" reads better than "wei".
    if (absl::ascii_isupper(static_cast<unsigned char>(word[0]))) ++score;
  }
  // Separated words read better than "XiangShen".
  return score + 2 * std::max(0, words - 1);
}

std::string TitleKey(absl::string_view title) {
  return AlnumLower(CleanText(title));
}

bool TitleKeysMatch(absl::string_view a, absl::string_view b) {
  if (a == b) return true;
  absl::string_view shorter = a.size() <= b.size() ? a : b;
  absl::string_view longer = a.size() <= b.size() ? b : a;
  // Short titles ("Nomad", "PIT") carry too little text for fuzziness.
  if (shorter.size() < 24) return false;
  if (longer.substr(0, shorter.size()) == shorter &&
      longer.size() - shorter.size() <= 12) {
    return true;
  }
  if (longer.size() - shorter.size() > shorter.size() / 8) return false;
  return EditDistance(a, b) <= static_cast<int>(shorter.size() / 8);
}

std::string DoiFromUrl(absl::string_view url) {
  const bool doi_site =
      absl::StrContains(url, "doi.org/") || absl::StrContains(url, "/doi/");
  if (!doi_site) return "";
  // A DOI is "10.<registrant>/<suffix>"; skip the "/doi/abs/" style parts.
  size_t start = url.find("/10.");
  if (start == absl::string_view::npos) return "";
  absl::string_view doi = url.substr(start + 1);
  doi = doi.substr(0, doi.find_first_of("?#"));
  while (!doi.empty() && doi.back() == '/') doi.remove_suffix(1);
  const size_t slash = doi.find('/');
  if (slash == absl::string_view::npos || slash + 1 >= doi.size()) return "";
  return std::string(doi);
}

}  // namespace lectern
