#include "indexer/catalog.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cstring>
#include <iterator>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "indexer/csv.h"
#include "indexer/normalize.h"
#include "indexer/utf8.h"
#include "lectern/v1/catalog.pb.h"

namespace lectern {
namespace {

// Issue texts are for people reading a log; a 20 kB abstract line is not.
constexpr size_t kMaxIssueText = 200;

// `text` with each byte that is not UTF-8 replaced by U+FFFD, as proto
// strings must be valid UTF-8.
std::string ValidUtf8(std::string text) {
  if (utf8::IsValid(text)) return text;
  std::string out;
  out.reserve(text.size() + 16);
  for (char32_t cp : utf8::Decode(text)) utf8::Append(cp, &out);
  return out;
}

std::string IssueText(absl::string_view line) {
  absl::ConsumeSuffix(&line, "\r");
  if (line.size() <= kMaxIssueText) return ValidUtf8(std::string(line));
  size_t cut = kMaxIssueText;
  // Never cut a UTF-8 sequence in half.
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return ValidUtf8(absl::StrCat(line.substr(0, cut), "…"));
}

// The whole line of `text` that holds byte `pos` (a '\n' belongs to the
// line it ends).
absl::string_view LineAround(absl::string_view text, size_t pos) {
  pos = std::min(pos, text.size());
  size_t start = pos == 0 ? absl::string_view::npos : text.rfind('\n', pos - 1);
  start = start == absl::string_view::npos ? 0 : start + 1;
  size_t end = text.find('\n', pos);
  if (end == absl::string_view::npos) end = text.size();
  return text.substr(start, end - start);
}

void AddIssue(ParsedCatalog* out, const std::string& file, int line,
              std::string message, absl::string_view text) {
  ParseIssue issue;
  issue.file = file;
  issue.line = line;
  issue.message = std::move(message);
  issue.text = IssueText(text);
  out->issues.push_back(std::move(issue));
}

// strchr, except that '\0' is in no set.
bool IsOneOf(char c, const char* set) {
  return c != '\0' && std::strchr(set, c) != nullptr;
}

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

// Abstracts are the bulk of a catalog (20 MB for 13k papers), so this is a
// single byte loop rather than CleanText's code point decoding.
std::string CollapseWhitespace(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (char c : text) {
    if (IsAsciiSpace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

// CanonicalVenue, and for spellings it does not know ("OSDI '24",
// "MICRO-50") the known venue they name.
std::string NormalizeVenue(absl::string_view written) {
  Venue venue = CanonicalVenue(written);
  if (venue.recognized) return venue.name;
  if (std::optional<std::string> found = FindVenueIn(written)) {
    return *found;
  }
  return venue.name;
}

// Fields as a source wrote them, after format-specific unescaping.
struct RawRecord {
  std::string title;
  std::vector<std::string> authors;
  std::string venue;  // normalized by Finish unless venue_is_canonical
  bool venue_is_canonical = false;
  std::string year;
  std::string url;
  std::string doi;
  std::string abstract;
};

// Normalizes `raw` into a record, or reports it when it has no title.
void Finish(const RawRecord& raw, const std::string& file_label, int line,
            absl::string_view line_text, absl::string_view expected,
            ParsedCatalog* out) {
  CatalogRecord record;
  v1::Paper& paper = record.paper;
  paper.set_title(CleanText(raw.title));
  if (paper.title().empty()) {
    AddIssue(out, file_label, line,
             absl::StrCat("record has no title; expected ", expected),
             line_text);
    return;
  }
  for (const std::string& author : raw.authors) {
    std::string name = CleanText(author);
    if (!name.empty()) paper.add_authors(std::move(name));
  }
  if (!raw.venue.empty()) {
    paper.set_venue(raw.venue_is_canonical ? raw.venue
                                           : NormalizeVenue(raw.venue));
  }
  if (std::optional<int> year = NormalizeYear(raw.year)) paper.set_year(*year);
  paper.set_url(ValidUtf8(std::string(absl::StripAsciiWhitespace(raw.url))));
  paper.set_doi(ValidUtf8(NormalizeDoi(raw.doi, paper.url())));
  paper.set_abstract(ValidUtf8(CollapseWhitespace(raw.abstract)));
  paper.set_title_key(TitleKey(paper.title()));
  record.source = absl::StrCat(file_label, ":", line);
  out->records.push_back(std::move(record));
}

// BibTeX and CSV files are often saved as Latin-1: say so once, at the
// first line that is not UTF-8.
void ReportInvalidUtf8(absl::string_view text, const std::string& file_label,
                       ParsedCatalog* out) {
  if (utf8::IsValid(text)) return;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    if (utf8::IsValid(line)) continue;
    AddIssue(out, file_label, line_number,
             "not valid UTF-8 (saved as Latin-1?): undecodable bytes were "
             "replaced with U+FFFD; expected UTF-8 text",
             line);
    return;
  }
}

// --------------------------------------------------------------- JSON Lines

constexpr absl::string_view kJsonExpected =
    "one JSON object per line with a \"title\" string and optionally "
    "\"authors\" (list of strings), \"venue\", \"year\", \"url\", \"doi\", "
    "\"abstract\"";

// The first line of a protobuf JSON parser error: the rest repeats the
// input with a caret under the error, which the issue's text already shows.
std::string JsonErrorDetail(absl::string_view message) {
  message = message.substr(0, message.find('\n'));
  message = absl::StripAsciiWhitespace(message);
  absl::ConsumePrefix(&message, ":");
  message = absl::StripAsciiWhitespace(message);
  absl::ConsumeSuffix(&message, ".");
  if (message == "Root element must be a message") return "not an object";
  return std::string(message);
}

// ------------------------------------------------------------------ BibTeX

// Precomposed letters for TeX accents: "<base><letter>" pairs, space
// separated. Combinations missing here get a combining mark instead.
const char* AccentTable(char accent) {
  switch (accent) {
    case '`':
      return "AÀ EÈ IÌ OÒ UÙ aà eè iì oò uù";
    case '\'':
      return "AÁ CĆ EÉ IÍ LĹ NŃ OÓ RŔ SŚ UÚ YÝ ZŹ aá cć eé ií lĺ nń oó rŕ sś "
             "uú yý zź";
    case '^':
      return "AÂ CĈ EÊ GĜ HĤ IÎ JĴ OÔ SŜ UÛ WŴ YŶ aâ cĉ eê gĝ hĥ iî jĵ oô sŝ "
             "uû wŵ yŷ";
    case '"':
      return "AÄ EË IÏ OÖ UÜ YŸ aä eë iï oö uü yÿ";
    case '~':
      return "AÃ IĨ NÑ OÕ UŨ aã iĩ nñ oõ uũ";
    case '=':
      return "AĀ EĒ IĪ OŌ UŪ aā eē iī oō uū";
    case '.':
      return "CĊ EĖ GĠ Iİ ZŻ cċ eė gġ zż";
    case 'c':
      return "CÇ GĢ KĶ LĻ NŅ RŖ SŞ TŢ cç gģ kķ lļ nņ rŗ sş tţ";
    case 'v':
      return "CČ DĎ EĚ NŇ RŘ SŠ TŤ ZŽ cč dď eě nň rř sš tť zž";
    case 'u':
      return "AĂ EĔ GĞ IĬ OŎ UŬ aă eĕ gğ iĭ oŏ uŭ";
    case 'H':
      return "OŐ UŰ oő uű";
    case 'k':
      return "AĄ EĘ IĮ UŲ aą eę iį uų";
    case 'r':
      return "AÅ UŮ aå uů";
    default:
      return "";
  }
}

char32_t CombiningMark(char accent) {
  switch (accent) {
    case '`':
      return 0x0300;
    case '\'':
      return 0x0301;
    case '^':
      return 0x0302;
    case '~':
      return 0x0303;
    case '=':
      return 0x0304;
    case 'u':
      return 0x0306;
    case '.':
      return 0x0307;
    case '"':
      return 0x0308;
    case 'r':
      return 0x030A;
    case 'H':
      return 0x030B;
    case 'v':
      return 0x030C;
    case 'd':
      return 0x0323;
    case 'c':
      return 0x0327;
    case 'k':
      return 0x0328;
    case 'b':
      return 0x0331;
    default:
      return 0;
  }
}

void AppendAccented(char accent, absl::string_view base, std::string* out) {
  if (base.empty()) return;
  if (base == "\\i" || base == "i") base = "i";
  if (base == "\\j") base = "j";
  if (base.size() == 1) {
    for (absl::string_view pair :
         absl::StrSplit(AccentTable(accent), ' ', absl::SkipEmpty())) {
      if (pair[0] == base[0]) {
        absl::StrAppend(out, pair.substr(1));
        return;
      }
    }
  }
  absl::StrAppend(out, base);
  if (const char32_t mark = CombiningMark(accent)) utf8::Append(mark, out);
}

// Control words that stand for a character.
const char* TexSymbol(absl::string_view name) {
  static const auto* const kSymbols =
      new absl::flat_hash_map<absl::string_view, const char*>{
          {"i", "ı"},
          {"j", "ȷ"},
          {"o", "ø"},
          {"O", "Ø"},
          {"aa", "å"},
          {"AA", "Å"},
          {"ae", "æ"},
          {"AE", "Æ"},
          {"oe", "œ"},
          {"OE", "Œ"},
          {"ss", "ß"},
          {"l", "ł"},
          {"L", "Ł"},
          {"textendash", "–"},
          {"textemdash", "—"},
          {"textquoteleft", "‘"},
          {"textquoteright", "’"},
          {"textquotedblleft", "“"},
          {"textquotedblright", "”"},
          {"ldots", "…"},
          {"dots", "…"},
          {"textellipsis", "…"},
          {"times", "×"},
          {"textregistered", "®"},
          {"texttrademark", "™"},
          {"copyright", "©"},
          {"textasciitilde", "~"},
          {"textbackslash", "\\"},
          {"textunderscore", "_"},
          {"S", "§"},
          {"alpha", "α"},
          {"beta", "β"},
          {"gamma", "γ"},
          {"delta", "δ"},
          {"Delta", "Δ"},
          {"epsilon", "ε"},
          {"varepsilon", "ε"},
          {"zeta", "ζ"},
          {"eta", "η"},
          {"theta", "θ"},
          {"kappa", "κ"},
          {"lambda", "λ"},
          {"Lambda", "Λ"},
          {"mu", "μ"},
          {"nu", "ν"},
          {"xi", "ξ"},
          {"pi", "π"},
          {"Pi", "Π"},
          {"rho", "ρ"},
          {"sigma", "σ"},
          {"Sigma", "Σ"},
          {"tau", "τ"},
          {"phi", "φ"},
          {"varphi", "φ"},
          {"Phi", "Φ"},
          {"chi", "χ"},
          {"psi", "ψ"},
          {"omega", "ω"},
          {"Omega", "Ω"},
          {"infty", "∞"},
          {"rightarrow", "→"},
          {"to", "→"},
          {"leftarrow", "←"},
          {"leq", "≤"},
          {"geq", "≥"},
          {"neq", "≠"},
          {"approx", "≈"},
          {"cdot", "·"},
      };
  const auto it = kSymbols->find(name);
  return it == kSymbols->end() ? nullptr : it->second;
}

// Font and markup commands: dropped, their argument kept.
bool IsMarkupCommand(absl::string_view name) {
  static constexpr absl::string_view kMarkup[] = {
      "emph",       "textit", "textbf",  "texttt",   "textsc",  "textrm",
      "textsf",     "textsl", "textup",  "textmd",   "text",    "mathrm",
      "mathit",     "mathbf", "mathsf",  "mathtt",   "mathcal", "em",
      "it",         "bf",     "tt",      "sc",       "rm",      "sf",
      "sl",         "url",    "mbox",    "hbox",     "small",   "large",
      "normalfont", "relax",  "protect", "noopsort",
  };
  for (absl::string_view markup : kMarkup) {
    if (name == markup) return true;
  }
  return false;
}

bool IsAsciiLetter(char c) {
  return absl::ascii_isalpha(static_cast<unsigned char>(c));
}

// The argument of an accent command at `*i`: "{e}", "e", "{\i}" or "\i".
absl::string_view AccentArgument(absl::string_view s, size_t* i,
                                 bool skip_spaces) {
  if (skip_spaces) {
    while (*i < s.size() && s[*i] == ' ') ++*i;
  }
  if (*i >= s.size()) return "";
  if (s[*i] == '{') {
    const size_t close = s.find('}', *i + 1);
    if (close == absl::string_view::npos) {
      ++*i;
      return "";
    }
    absl::string_view argument =
        absl::StripAsciiWhitespace(s.substr(*i + 1, close - *i - 1));
    *i = close + 1;
    return argument;
  }
  if (s[*i] == '\\') {
    size_t end = *i + 1;
    while (end < s.size() && IsAsciiLetter(s[end])) ++end;
    absl::string_view argument = s.substr(*i, end - *i);
    *i = end;
    return argument;
  }
  // One UTF-8 character.
  size_t end = *i + 1;
  while (end < s.size() &&
         (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) {
    ++end;
  }
  absl::string_view argument = s.substr(*i, end - *i);
  *i = end;
  return argument;
}

// Appends what the control sequence at s[i] ('\\') stands for; returns the
// position after it.
size_t AppendControlSequence(absl::string_view s, size_t i, std::string* out) {
  if (i + 1 >= s.size()) return i + 1;
  const char next = s[i + 1];
  if (IsOneOf(next, "'`^\"~=.")) {
    i += 2;
    AppendAccented(next, AccentArgument(s, &i, false), out);
    return i;
  }
  if (!IsAsciiLetter(next)) {
    // Control symbols: \& \% \_ \# \$ \{ \}; "\ ", \\ (a line break)
    // and thin spaces are spaces; \- is a hyphenation hint.
    if (next == '-') return i + 2;
    const bool space = IsOneOf(next, "\\ ,;:!\n\t");
    out->push_back(space ? ' ' : next);
    return i + 2;
  }
  size_t end = i + 1;
  while (end < s.size() && IsAsciiLetter(s[end])) ++end;
  const absl::string_view name = s.substr(i + 1, end - i - 1);
  i = end;
  if (name.size() == 1 && IsOneOf(name[0], "cvuHkrdb")) {
    AppendAccented(name[0], AccentArgument(s, &i, true), out);
    return i;
  }
  const char* symbol = TexSymbol(name);
  if (symbol == nullptr && !IsMarkupCommand(name)) {
    // Unknown command (\LaTeX, \sysname): its name reads better than
    // nothing.
    absl::StrAppend(out, name);
    return i;
  }
  if (symbol != nullptr) *out += symbol;
  // TeX ends a control word at the spaces after it.
  while (i < s.size() && s[i] == ' ') ++i;
  return i;
}

// TeX as BibTeX values hold it, as plain Unicode text: braces and math
// shifts removed, accents composed, escapes and dashes resolved.
std::string TexToText(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    const absl::string_view rest = s.substr(i);
    if (c == '{' || c == '}' || c == '$') {
      ++i;
    } else if (c == '~') {
      out.push_back(' ');
      ++i;
    } else if (absl::StartsWith(rest, "---")) {
      out += "—";
      i += 3;
    } else if (absl::StartsWith(rest, "--")) {
      out += "–";
      i += 2;
    } else if (absl::StartsWith(rest, "``")) {
      out += "“";
      i += 2;
    } else if (absl::StartsWith(rest, "''")) {
      out += "”";
      i += 2;
    } else if (c != '\\') {
      out.push_back(c);
      ++i;
    } else {
      i = AppendControlSequence(s, i, &out);
    }
  }
  return out;
}

// Verbatim-ish fields (url, doi): braces and escaping backslashes dropped,
// '~' and '%' kept as they are part of URLs.
std::string TexVerbatim(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '{' || c == '}') continue;
    if (c == '\\' && i + 1 < s.size() && IsOneOf(s[i + 1], "_%&#$~")) {
      continue;
    }
    out.push_back(c);
  }
  return std::string(absl::StripAsciiWhitespace(out));
}

// Splits `s` at brace depth 0 wherever `is_separator(s, i)` returns the
// separator's length (0 when there is none at i).
template <typename Separator>
std::vector<absl::string_view> SplitTopLevel(absl::string_view s,
                                             Separator is_separator) {
  std::vector<absl::string_view> parts;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (c == '{') ++depth;
    if (c == '}' && depth > 0) --depth;
    if (depth == 0) {
      const size_t length = is_separator(s, i);
      if (length > 0) {
        parts.push_back(absl::StripAsciiWhitespace(s.substr(start, i - start)));
        i += length;
        start = i;
        continue;
      }
    }
    ++i;
  }
  parts.push_back(absl::StripAsciiWhitespace(s.substr(start)));
  return parts;
}

// Length of " and " (any whitespace around a case-insensitive "and") at i.
size_t AndSeparator(absl::string_view s, size_t i) {
  if (!IsAsciiSpace(s[i]) || i + 4 >= s.size()) return 0;
  if (!absl::EqualsIgnoreCase(s.substr(i + 1, 3), "and")) return 0;
  if (!IsAsciiSpace(s[i + 4])) return 0;
  return 5;
}

// BibTeX "author" value: "A and B", each "First Last" or "Last, First" or
// "Last, Jr, First"; DBLP's homonym numbers ("Wei Wang 0001") dropped.
std::vector<std::string> BibtexAuthors(absl::string_view value) {
  std::vector<std::string> authors;
  for (absl::string_view raw : SplitTopLevel(value, AndSeparator)) {
    if (raw.empty() || raw == "others") continue;
    std::vector<absl::string_view> parts =
        SplitTopLevel(raw, [](absl::string_view s, size_t i) -> size_t {
          return s[i] == ',' ? 1 : 0;
        });
    std::string ordered;
    if (parts.size() == 2) {
      ordered = absl::StrCat(parts[1], " ", parts[0]);
    } else if (parts.size() == 3) {
      ordered = absl::StrCat(parts[2], " ", parts[0], " ", parts[1]);
    } else {
      ordered = std::string(raw);
    }
    std::string name = CleanText(TexToText(ordered));
    const size_t space = name.rfind(' ');
    if (space != std::string::npos && name.size() - space - 1 == 4 &&
        std::all_of(name.begin() + space + 1, name.end(), [](char c) {
          return absl::ascii_isdigit(static_cast<unsigned char>(c));
        })) {
      name.resize(space);
    }
    if (!name.empty()) authors.push_back(std::move(name));
  }
  return authors;
}

// The venue a DBLP key names: "DBLP:conf/osdi/SongMXC24" is OSDI.
std::string VenueFromBibtexKey(absl::string_view key) {
  if (absl::StartsWithIgnoreCase(key, "dblp:")) key.remove_prefix(5);
  const std::vector<absl::string_view> parts = absl::StrSplit(key, '/');
  if (parts.size() < 3 || (parts[0] != "conf" && parts[0] != "journals")) {
    return "";
  }
  // DBLP's stream names that are not the venue's own.
  absl::string_view stream = parts[1];
  if (stream == "usenix") stream = "atc";
  if (stream == "cloud") stream = "socc";
  if (stream == "nips") stream = "neurips";
  const Venue venue = CanonicalVenue(stream);
  return venue.recognized ? venue.name : "";
}

bool IsIdentifierChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  // Printable ASCII other than BibTeX's delimiters; bytes of UTF-8 too.
  return u >= 0x80 || (u > ' ' && u < 0x7F && !IsOneOf(c, "{}()\",=#%'@"));
}

class BibtexParser {
 public:
  BibtexParser(absl::string_view text, const std::string& file_label,
               ParsedCatalog* out)
      : text_(text), file_label_(file_label), out_(out) {}

  void Run() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '%') {
        SkipLine();
        continue;
      }
      if (c != '@') {
        Advance();
        continue;
      }
      if (!ParseItem()) return;
    }
  }

 private:
  // kUnclosed: the next entry starts where this one should have ended.
  enum class Outcome { kOk, kError, kUnclosed, kEndOfText };

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  void Advance() {
    if (text_[pos_] == '\n') ++line_;
    ++pos_;
  }
  void SkipLine() {
    while (!AtEnd() && text_[pos_] != '\n') ++pos_;
  }
  void SkipSpace() {
    while (!AtEnd() && IsAsciiSpace(text_[pos_])) Advance();
  }
  // Between fields: whitespace and '%' comment lines.
  void SkipSpaceAndComments() {
    for (;;) {
      SkipSpace();
      if (Peek() != '%') return;
      SkipLine();
    }
  }
  absl::string_view ReadIdentifier() {
    const size_t start = pos_;
    while (!AtEnd() && IsIdentifierChar(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  // Error at the current position; `message` says what was expected.
  Outcome Fail(std::string message) {
    error_line_ = line_;
    error_pos_ = pos_;
    error_ = std::move(message);
    return Outcome::kError;
  }

  // Parses from an '@'; false when parsing must stop.
  bool ParseItem() {
    const int item_line = line_;
    const size_t item_pos = pos_;
    Advance();  // '@'
    SkipSpace();
    const std::string type = absl::AsciiStrToLower(ReadIdentifier());
    SkipSpace();
    const char open = Peek();
    if (type.empty() || (open != '{' && open != '(')) {
      return true;  // an '@' in free text between entries ("a@b.org")
    }
    const char close = open == '{' ? '}' : ')';
    Advance();

    Outcome outcome;
    std::string key;
    std::vector<std::pair<std::string, std::string>> fields;
    if (type == "comment" || type == "preamble") {
      outcome = SkipGroup(close);
    } else if (type == "string") {
      outcome = ParseFields(close, &fields);
      if (outcome == Outcome::kOk) {
        for (auto& [name, value] : fields) macros_[name] = std::move(value);
      }
    } else {
      outcome = ParseKey(close, &key);
      if (outcome == Outcome::kOk) outcome = ParseFields(close, &fields);
    }

    const absl::string_view item_text = LineAround(text_, item_pos);
    const std::string entry =
        absl::StrCat("@", type, " entry", key.empty() ? "" : " ", key);
    if (outcome == Outcome::kEndOfText) {
      AddIssue(
          out_, file_label_, item_line,
          absl::StrCat(entry, " is unterminated: expected '",
                       std::string(1, close), "' before the end of the file"),
          item_text);
      return false;
    }
    if (outcome == Outcome::kUnclosed) {
      AddIssue(out_, file_label_, item_line,
               absl::StrCat(entry, " is not closed: expected '",
                            std::string(1, close),
                            "' before the next entry (line ", line_, ")"),
               item_text);
      Resynchronize(item_pos);
      return true;
    }
    if (outcome == Outcome::kError) {
      AddIssue(out_, file_label_, error_line_,
               absl::StrCat(entry,
                            error_line_ == item_line
                                ? std::string()
                                : absl::StrCat(" (from line ", item_line, ")"),
                            ": ", error_),
               LineAround(text_, error_pos_));
      Resynchronize(item_pos);
      return true;
    }
    if (type == "comment" || type == "preamble" || type == "string") {
      return true;
    }
    AddEntry(item_line, item_text, key, fields);
    return true;
  }

  // Moves to the next '@' that starts a line (after indentation), past the
  // entry that failed.
  void Resynchronize(size_t item_pos) {
    while (!AtEnd()) {
      if (text_[pos_] == '@' && pos_ > item_pos) {
        size_t back = pos_;
        while (back > 0 &&
               (text_[back - 1] == ' ' || text_[back - 1] == '\t')) {
          --back;
        }
        if (back == 0 || text_[back - 1] == '\n') return;
      }
      Advance();
    }
  }

  Outcome SkipGroup(char close) {
    int depth = 0;
    while (!AtEnd()) {
      const char c = Peek();
      Advance();
      if (c == '{') {
        ++depth;
      } else if (c == '}' && depth > 0) {
        --depth;
      } else if (c == close && depth == 0) {
        return Outcome::kOk;
      }
    }
    return Outcome::kEndOfText;
  }

  Outcome ParseKey(char close, std::string* key) {
    SkipSpaceAndComments();
    const size_t start = pos_;
    const int start_line = line_;
    while (!AtEnd() && text_[pos_] != ',' && text_[pos_] != close &&
           text_[pos_] != '=' && !IsAsciiSpace(text_[pos_])) {
      ++pos_;
    }
    std::string candidate(text_.substr(start, pos_ - start));
    SkipSpaceAndComments();
    if (AtEnd()) return Outcome::kEndOfText;
    if (Peek() == '=') {
      // No key: what we read is the first field's name.
      pos_ = start;
      line_ = start_line;
      return Outcome::kOk;
    }
    *key = std::move(candidate);
    if (Peek() == ',') {
      Advance();
      return Outcome::kOk;
    }
    if (Peek() == close) return Outcome::kOk;
    return Fail(absl::StrCat("expected ',' after the entry key, found '",
                             std::string(1, Peek()), "'"));
  }

  Outcome ParseFields(
      char close, std::vector<std::pair<std::string, std::string>>* fields) {
    for (;;) {
      SkipSpaceAndComments();
      if (AtEnd()) return Outcome::kEndOfText;
      const char c = Peek();
      if (c == close) {
        Advance();
        return Outcome::kOk;
      }
      if (c == ',') {  // tolerate empty fields and a trailing comma
        Advance();
        continue;
      }
      if (c == '@') return Outcome::kUnclosed;
      const std::string name = absl::AsciiStrToLower(ReadIdentifier());
      if (name.empty()) {
        return Fail(absl::StrCat("expected a field name, found '",
                                 std::string(1, c), "'"));
      }
      SkipSpaceAndComments();
      if (AtEnd()) return Outcome::kEndOfText;
      if (Peek() != '=') {
        return Fail(absl::StrCat("expected '=' after field \"", name, "\""));
      }
      Advance();
      std::string value;
      const Outcome outcome = ParseValue(name, &value);
      if (outcome != Outcome::kOk) return outcome;
      fields->emplace_back(name, std::move(value));
      SkipSpaceAndComments();
      if (AtEnd()) return Outcome::kEndOfText;
      if (Peek() == '@') return Outcome::kUnclosed;
      if (Peek() != ',' && Peek() != close) {
        return Fail(absl::StrCat("expected ',' or '", std::string(1, close),
                                 "' after the value of \"", name, "\""));
      }
    }
  }

  // value = part { '#' part }, part = {braced} | "quoted" | number | macro.
  Outcome ParseValue(absl::string_view name, std::string* value) {
    for (;;) {
      SkipSpaceAndComments();
      if (AtEnd()) return Outcome::kEndOfText;
      const char c = Peek();
      if (c == '{' || c == '"') {
        const char end = c == '{' ? '}' : '"';
        Advance();
        int depth = 0;
        const size_t start = pos_;
        for (;;) {
          if (AtEnd()) return Outcome::kEndOfText;
          const char d = Peek();
          if (d == end && depth == 0) break;
          if (d == '{') ++depth;
          if (d == '}') {
            if (depth == 0) {
              return Fail(absl::StrCat("unbalanced '}' in the value of \"",
                                       name, "\""));
            }
            --depth;
          }
          Advance();
        }
        absl::StrAppend(value, text_.substr(start, pos_ - start));
        Advance();  // the closing delimiter
      } else {
        const absl::string_view word = ReadIdentifier();
        if (word.empty()) {
          return Fail(absl::StrCat("expected a value for \"", name,
                                   "\" ({...}, \"...\", a number or a "
                                   "@string name), found '",
                                   std::string(1, c), "'"));
        }
        const auto macro = macros_.find(absl::AsciiStrToLower(word));
        absl::StrAppend(value, macro == macros_.end()
                                   ? word
                                   : absl::string_view(macro->second));
      }
      SkipSpaceAndComments();
      if (Peek() != '#') return AtEnd() ? Outcome::kEndOfText : Outcome::kOk;
      Advance();
    }
  }

  void AddEntry(
      int line, absl::string_view line_text, absl::string_view key,
      const std::vector<std::pair<std::string, std::string>>& fields) {
    // The first of repeated fields counts, as in BibTeX.
    auto field = [&fields](absl::string_view name) -> const std::string* {
      for (const auto& [field_name, value] : fields) {
        if (field_name == name) return &value;
      }
      return nullptr;
    };
    RawRecord raw;
    if (const std::string* title = field("title"))
      raw.title = TexToText(*title);
    if (const std::string* author = field("author")) {
      raw.authors = BibtexAuthors(*author);
    }
    // ACM's exports name the venue only in "series" ("SOSP '24").
    for (absl::string_view name : {"booktitle", "journal", "series"}) {
      const std::string* value = field(name);
      if (value == nullptr) continue;
      if (std::optional<std::string> venue = FindVenueIn(TexToText(*value))) {
        raw.venue = *venue;
        break;
      }
    }
    if (raw.venue.empty()) raw.venue = VenueFromBibtexKey(key);
    raw.venue_is_canonical = true;
    if (const std::string* year = field("year")) {
      raw.year = std::string(absl::StripAsciiWhitespace(TexToText(*year)));
    } else if (const std::string* date = field("date")) {
      raw.year = TexToText(*date).substr(0, 4);  // ISO "2024-07-10"
    }
    if (const std::string* url = field("url")) raw.url = TexVerbatim(*url);
    if (const std::string* doi = field("doi")) raw.doi = TexVerbatim(*doi);
    if (const std::string* abstract = field("abstract")) {
      raw.abstract = TexToText(*abstract);
    }
    Finish(raw, file_label_, line, line_text,
           key.empty() ? "a title field"
                       : absl::StrCat("a title field in entry ", key),
           out_);
  }

  absl::string_view text_;
  const std::string& file_label_;
  ParsedCatalog* out_;
  size_t pos_ = 0;
  int line_ = 1;
  absl::flat_hash_map<std::string, std::string> macros_;
  int error_line_ = 0;
  size_t error_pos_ = 0;
  std::string error_;
};

// --------------------------------------------------------------------- CSV

// Byte offsets where each line of `text` starts; line N is at [N - 1].
std::vector<size_t> LineStarts(absl::string_view text) {
  std::vector<size_t> starts = {0};
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') starts.push_back(i + 1);
  }
  return starts;
}

absl::string_view LineOf(absl::string_view text,
                         const std::vector<size_t>& starts, int line) {
  if (line < 1 || static_cast<size_t>(line) > starts.size()) return "";
  return LineAround(text, starts[line - 1]);
}

// "A; B", "A and B", or both.
std::vector<std::string> CsvAuthors(absl::string_view value) {
  std::vector<std::string> authors;
  for (absl::string_view group : absl::StrSplit(value, ';')) {
    for (absl::string_view name : absl::StrSplit(group, " and ")) {
      name = absl::StripAsciiWhitespace(name);
      if (!name.empty()) authors.emplace_back(name);
    }
  }
  return authors;
}

absl::string_view SkipByteOrderMark(absl::string_view text) {
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");
  return text;
}

}  // namespace

std::string NormalizeDoi(absl::string_view doi, absl::string_view url) {
  doi = absl::StripAsciiWhitespace(doi);
  std::string lower = absl::AsciiStrToLower(doi);
  absl::string_view rest = lower;
  for (absl::string_view prefix :
       {"https://doi.org/", "http://doi.org/", "https://dx.doi.org/",
        "http://dx.doi.org/", "doi.org/", "doi:"}) {
    if (absl::ConsumePrefix(&rest, prefix)) break;
  }
  rest = absl::StripAsciiWhitespace(rest);
  if (!rest.empty() && !absl::StartsWith(rest, "10.")) {
    // A landing page URL written where the DOI belongs.
    const std::string from_url = DoiFromUrl(rest);
    if (!from_url.empty()) return from_url;
  }
  if (rest.empty()) return absl::AsciiStrToLower(DoiFromUrl(url));
  return std::string(rest);
}

ParsedCatalog ParseJsonLinesCatalog(absl::string_view text,
                                    const std::string& file_label) {
  ParsedCatalog result;
  text = SkipByteOrderMark(text);
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  v1::CatalogJsonRecord json;
  int line_number = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == absl::string_view::npos) end = text.size();
    const absl::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    const absl::string_view content = absl::StripAsciiWhitespace(line);
    if (content.empty()) continue;
    json.Clear();
    // Checked first so that the issue says what is wrong; the proto parser
    // would reject the line less clearly (and log).
    if (!utf8::IsValid(content)) {
      AddIssue(&result, file_label, line_number,
               absl::StrCat("not valid UTF-8; expected ", kJsonExpected), line);
      continue;
    }
    const auto status = google::protobuf::util::JsonStringToMessage(
        {content.data(), content.size()}, &json, options);
    if (!status.ok()) {
      AddIssue(&result, file_label, line_number,
               absl::StrCat("invalid JSON record (",
                            JsonErrorDetail(std::string(status.message())),
                            "); expected ", kJsonExpected),
               line);
      continue;
    }
    RawRecord raw;
    raw.title = std::move(*json.mutable_title());
    raw.authors.assign(std::make_move_iterator(json.mutable_authors()->begin()),
                       std::make_move_iterator(json.mutable_authors()->end()));
    raw.venue = std::move(*json.mutable_venue());
    if (json.year() != 0) raw.year = absl::StrCat(json.year());
    raw.url = std::move(*json.mutable_url());
    raw.doi = std::move(*json.mutable_doi());
    raw.abstract = std::move(*json.mutable_abstract());
    Finish(raw, file_label, line_number, line, "a non-empty \"title\" string",
           &result);
  }
  return result;
}

ParsedCatalog ParseBibtexCatalog(absl::string_view text,
                                 const std::string& file_label) {
  ParsedCatalog result;
  text = SkipByteOrderMark(text);
  ReportInvalidUtf8(text, file_label, &result);
  BibtexParser(text, file_label, &result).Run();
  return result;
}

ParsedCatalog ParseCsvCatalog(absl::string_view text,
                              const std::string& file_label) {
  ParsedCatalog result;
  text = SkipByteOrderMark(text);
  ReportInvalidUtf8(text, file_label, &result);
  const CsvTable table = ParseCsv(text);
  const std::vector<size_t> starts = LineStarts(text);
  // An unterminated quote also makes its row too short: one issue a line.
  std::vector<int> reported;
  for (const auto& [line, message] : table.errors) {
    if (std::find(reported.begin(), reported.end(), line) != reported.end()) {
      continue;
    }
    reported.push_back(line);
    AddIssue(&result, file_label, line, message, LineOf(text, starts, line));
  }
  const std::optional<size_t> title = table.Column({"title"});
  if (!title) {
    if (!table.header.empty()) {
      AddIssue(&result, file_label, 1,
               "the header row has no \"title\" column; expected columns "
               "title, authors, venue, year, url, doi, abstract",
               LineOf(text, starts, 1));
    }
    return result;
  }
  const std::optional<size_t> authors = table.Column({"authors", "author"});
  const std::optional<size_t> venue =
      table.Column({"venue", "conference", "booktitle", "journal"});
  const std::optional<size_t> year = table.Column({"year"});
  const std::optional<size_t> url = table.Column({"url", "link"});
  const std::optional<size_t> doi = table.Column({"doi"});
  const std::optional<size_t> abstract = table.Column({"abstract"});
  for (const CsvRow& row : table.rows) {
    // ParseCsv keeps only rows as wide as the header.
    auto cell = [&row](const std::optional<size_t>& column) -> std::string {
      return column && *column < row.fields.size() ? row.fields[*column] : "";
    };
    RawRecord raw;
    raw.title = cell(title);
    raw.authors = CsvAuthors(cell(authors));
    raw.venue = cell(venue);
    raw.year = cell(year);
    raw.url = cell(url);
    raw.doi = cell(doi);
    raw.abstract = cell(abstract);
    Finish(raw, file_label, row.line, LineOf(text, starts, row.line),
           "a value in the \"title\" column", &result);
  }
  return result;
}

v1::CatalogFormat DetectCatalogFormat(absl::string_view text) {
  text = SkipByteOrderMark(text);
  size_t pos = 0;
  for (;;) {
    while (pos < text.size() && IsAsciiSpace(text[pos])) ++pos;
    if (pos < text.size() && text[pos] == '%') {  // BibTeX comment line
      pos = text.find('\n', pos);
      if (pos == absl::string_view::npos) pos = text.size();
      continue;
    }
    break;
  }
  if (pos < text.size() && text[pos] == '{') return v1::CATALOG_FORMAT_JSONL;
  if (pos < text.size() && text[pos] == '@') return v1::CATALOG_FORMAT_BIBTEX;

  // The first non-blank line as a CSV header.
  absl::string_view rest = absl::StripLeadingAsciiWhitespace(text);
  const absl::string_view first_line = rest.substr(0, rest.find('\n'));
  if (ParseCsv(first_line).Column({"title"})) return v1::CATALOG_FORMAT_CSV;

  // BibTeX after free-text comments: a line starting "@type{".
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripLeadingAsciiWhitespace(line);
    if (!absl::ConsumePrefix(&line, "@")) continue;
    size_t letters = 0;
    while (letters < line.size() && IsAsciiLetter(line[letters])) ++letters;
    line = absl::StripLeadingAsciiWhitespace(line.substr(letters));
    if (letters > 0 && !line.empty() && (line[0] == '{' || line[0] == '(')) {
      return v1::CATALOG_FORMAT_BIBTEX;
    }
  }
  return v1::CATALOG_FORMAT_UNSPECIFIED;
}

ParsedCatalog ParseCatalog(v1::CatalogFormat format, absl::string_view text,
                           const std::string& file_label) {
  if (format != v1::CATALOG_FORMAT_JSONL &&
      format != v1::CATALOG_FORMAT_BIBTEX && format != v1::CATALOG_FORMAT_CSV) {
    format = DetectCatalogFormat(text);
  }
  switch (format) {
    case v1::CATALOG_FORMAT_JSONL:
      return ParseJsonLinesCatalog(text, file_label);
    case v1::CATALOG_FORMAT_BIBTEX:
      return ParseBibtexCatalog(text, file_label);
    case v1::CATALOG_FORMAT_CSV:
      return ParseCsvCatalog(text, file_label);
    default:
      break;
  }
  ParsedCatalog result;
  AddIssue(&result, file_label, 0,
           "cannot tell the catalog format; accepted are JSON Lines (one "
           "{...} object per line), BibTeX (@inproceedings{...} entries) and "
           "CSV with a header row naming a \"title\" column",
           "");
  return result;
}

}  // namespace lectern
