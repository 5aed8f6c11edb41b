#include "indexer/synonyms.h"

#include <xapian.h>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "indexer/utf8.h"

namespace lectern {
namespace {

constexpr absl::string_view kWordChars =
    "letters, digits, '-', '.', '+', '/' or non-ASCII letters";

// The code point starting at text[i], and its length in `len`. A byte that
// starts no well-formed sequence is kReplacement of length 1, so callers
// always make progress.
char32_t DecodeAt(absl::string_view text, size_t i, size_t* len) {
  *len = 1;
  const auto b0 = static_cast<unsigned char>(text[i]);
  if (b0 < 0x80) return b0;
  size_t n;
  char32_t cp;
  char32_t min;
  if ((b0 & 0xE0) == 0xC0) {
    n = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return utf8::kReplacement;
  }
  if (text.size() - i < n) return utf8::kReplacement;
  for (size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(text[i + k]);
    if ((b & 0xC0) != 0x80) return utf8::kReplacement;
    cp = (cp << 6) | (b & 0x3F);
  }
  // Overlong forms and surrogates are not UTF-8.
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return utf8::kReplacement;
  }
  *len = n;
  return cp;
}

// Length of the whitespace character at text[i], 0 if there is none.
// Xapian's QueryParser splits at Unicode spaces too (U+3000 in Chinese
// text, no-break spaces from the web), so they separate words here as well.
size_t SpaceAt(absl::string_view text, size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) return absl::ascii_isspace(c) ? 1 : 0;
  size_t len;
  const char32_t cp = DecodeAt(text, i, &len);
  if (cp == utf8::kReplacement) return 0;
  return Xapian::Unicode::is_whitespace(cp) ? len : 0;
}

// Length of the double quote at text[i], 0 if there is none. Xapian takes
// curly quotes (U+201C, U+201D) for straight ones.
size_t QuoteAt(absl::string_view text, size_t i) {
  if (text[i] == '"') return 1;
  if (absl::StartsWith(text.substr(i), "\xE2\x80\x9C") ||
      absl::StartsWith(text.substr(i), "\xE2\x80\x9D")) {
    return 3;
  }
  return 0;
}

std::vector<absl::string_view> SplitWords(absl::string_view text) {
  std::vector<absl::string_view> words;
  size_t i = 0;
  while (i < text.size()) {
    if (const size_t n = SpaceAt(text, i)) {
      i += n;
      continue;
    }
    const size_t start = i;
    while (i < text.size() && SpaceAt(text, i) == 0) ++i;
    words.push_back(text.substr(start, i - start));
  }
  return words;
}

// What is wrong with `word` as a phrase word, "" if nothing.
std::string CheckWord(absl::string_view word) {
  if (word[0] == '+' || word[0] == '-') {
    return absl::StrCat("'", word, "' starts with '", word.substr(0, 1),
                        "', which a query reads as a sign; expected a word "
                        "starting with a letter or digit");
  }
  bool has_letter_or_digit = false;
  for (size_t i = 0; i < word.size();) {
    size_t len;
    const char32_t cp = DecodeAt(word, i, &len);
    const bool allowed =
        cp < 0x80
            ? absl::ascii_isalnum(static_cast<unsigned char>(cp)) ||
                  absl::string_view("-.+/").find(static_cast<char>(cp)) !=
                      absl::string_view::npos
            : cp != utf8::kReplacement && Xapian::Unicode::is_wordchar(cp);
    if (!allowed) {
      return absl::StrCat("'", word.substr(i, len), "' in '", word,
                          "' is not allowed; expected ", kWordChars);
    }
    if (cp >= 0x80 || absl::ascii_isalnum(static_cast<unsigned char>(cp))) {
      has_letter_or_digit = true;
    }
    i += len;
  }
  if (!has_letter_or_digit) {
    return absl::StrCat("'", word, "' has no letter or digit; expected ",
                        kWordChars, " with at least one letter or digit");
  }
  return "";
}

// One line's group, comment already removed.
struct LineParse {
  std::vector<std::string> phrases;  // normalized, repeats dropped
  std::vector<std::string> repeats;  // phrases written more than once
  std::string error;                 // empty when the line is good
};

LineParse ParseLine(absl::string_view text) {
  LineParse result;
  const std::vector<absl::string_view> pieces = absl::StrSplit(text, ',');
  if (pieces.size() < 2) {
    result.error = "expected at least two phrases separated by commas";
    return result;
  }
  absl::flat_hash_set<std::string> seen;
  for (size_t k = 0; k < pieces.size(); ++k) {
    const std::vector<absl::string_view> words = SplitWords(pieces[k]);
    if (words.empty()) {
      result.error = absl::StrCat("phrase ", k + 1,
                                  " is empty; expected a phrase between "
                                  "commas and no comma at the ends");
      return result;
    }
    for (absl::string_view word : words) {
      result.error = CheckWord(word);
      if (!result.error.empty()) return result;
    }
    std::string phrase = absl::AsciiStrToLower(absl::StrJoin(words, " "));
    if (seen.insert(phrase).second) {
      result.phrases.push_back(std::move(phrase));
    } else {
      result.repeats.push_back(std::move(phrase));
    }
  }
  if (result.phrases.size() < 2) {
    result.error = absl::StrCat(
        "expected at least two phrases separated by commas, found only '",
        result.phrases.front(), "' (repeated)");
  }
  return result;
}

// The line as valid UTF-8 for an issue's text: undecodable bytes become
// U+FFFD so the report itself stays printable.
std::string Printable(absl::string_view line) {
  if (utf8::IsValid(line)) return std::string(line);
  std::string out;
  for (char32_t cp : utf8::Decode(line)) utf8::Append(cp, &out);
  return out;
}

bool IsOperator(absl::string_view word) {
  return word == "AND" || word == "OR" || word == "NOT" || word == "XOR" ||
         word == "NEAR" || word == "ADJ" || absl::StartsWith(word, "NEAR/") ||
         absl::StartsWith(word, "ADJ/");
}

// A piece of a query between whitespace, or a single parenthesis.
struct Token {
  size_t begin = 0;  // sign included
  size_t end = 0;
  // May take part in a match; only then are the fields below set.
  bool plain = false;
  bool is_signed = false;  // begins with '+' or '-' (love/hate)
  std::string key;         // lowercased, sign excluded
};

// Splits `query` as described at SynonymTable::Rewrite(). One pass over
// the bytes; every branch advances.
std::vector<Token> Tokenize(absl::string_view query) {
  std::vector<Token> tokens;
  // Parentheses open inside a "field:(" group; its words carry the field
  // and must stay as written. Counting every '(' (Xapian ignores some)
  // can only make the group look longer, which is the safe direction.
  int field_group_depth = 0;
  size_t i = 0;
  while (i < query.size()) {
    if (const size_t n = SpaceAt(query, i)) {
      i += n;
      continue;
    }
    if (query[i] == '(' || query[i] == ')') {
      if (query[i] == '(') {
        const bool after_field = !tokens.empty() && tokens.back().end == i &&
                                 i > 0 && query[i - 1] == ':';
        if (field_group_depth > 0 || after_field) ++field_group_depth;
      } else if (field_group_depth > 0) {
        --field_group_depth;
      }
      Token paren;
      paren.begin = i;
      paren.end = ++i;
      tokens.push_back(std::move(paren));
      continue;
    }
    Token token;
    token.begin = i;
    bool quoted = false;
    while (i < query.size()) {
      if (const size_t open = QuoteAt(query, i)) {
        // The phrase, whitespace and parentheses included, runs to the
        // closing quote, or to the end when there is none.
        quoted = true;
        i += open;
        while (i < query.size()) {
          if (const size_t close = QuoteAt(query, i)) {
            i += close;
            break;
          }
          ++i;
        }
        continue;
      }
      if (SpaceAt(query, i) != 0 || query[i] == '(' || query[i] == ')') break;
      ++i;
    }
    token.end = i;
    absl::string_view word = query.substr(token.begin, i - token.begin);
    if (word.size() > 1 && (word[0] == '+' || word[0] == '-')) {
      token.is_signed = true;
      word.remove_prefix(1);
    }
    token.plain = !quoted && field_group_depth == 0 &&
                  word.find_first_of(":*") == absl::string_view::npos &&
                  !IsOperator(word);
    if (token.plain) token.key = absl::AsciiStrToLower(word);
    tokens.push_back(std::move(token));
  }
  return tokens;
}

}  // namespace

void SynonymTable::AddGroup(std::vector<std::string> phrases) {
  if (trie_.empty()) trie_.emplace_back();
  const int group = static_cast<int>(groups_.size());
  for (const std::string& phrase : phrases) {
    int node = 0;
    for (absl::string_view word : absl::StrSplit(phrase, ' ')) {
      auto it = trie_[node].next.find(word);
      if (it == trie_[node].next.end()) {
        const int child = static_cast<int>(trie_.size());
        trie_[node].next.emplace(std::string(word), child);
        trie_.emplace_back();  // may move the nodes, so after the emplace
        node = child;
      } else {
        node = it->second;
      }
    }
    trie_[node].group = group;
  }
  groups_.push_back(std::move(phrases));
}

SynonymTable SynonymTable::Parse(absl::string_view content,
                                 absl::string_view file,
                                 std::vector<ParseIssue>* issues) {
  SynonymTable table;
  // Phrase -> line of the group that has it, to name in a duplicate's issue.
  absl::flat_hash_map<std::string, int> line_of;
  // Editors on Windows start files with a byte order mark.
  absl::ConsumePrefix(&content, "\xEF\xBB\xBF");
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(content, '\n')) {
    ++line_number;
    absl::ConsumeSuffix(&line, "\r");
    auto report = [&](std::string message, bool note) {
      ParseIssue issue;
      issue.file = std::string(file);
      issue.line = line_number;
      issue.message = std::move(message);
      issue.text = Printable(line);
      issue.note = note;
      issues->push_back(std::move(issue));
    };
    if (!utf8::IsValid(line)) {
      report("expected UTF-8 text; the line has bytes that are not", false);
      continue;
    }
    const absl::string_view text = line.substr(0, line.find('#'));
    if (SplitWords(text).empty()) continue;
    LineParse parsed = ParseLine(text);
    if (!parsed.error.empty()) {
      report(std::move(parsed.error), false);
      continue;
    }
    bool duplicate = false;
    for (const std::string& phrase : parsed.phrases) {
      auto it = line_of.find(phrase);
      if (it != line_of.end()) {
        report(absl::StrCat("'", phrase, "' is already in the group on line ",
                            it->second,
                            "; expected each phrase in one group only"),
               false);
        duplicate = true;
        break;
      }
    }
    if (duplicate) continue;
    for (const std::string& phrase : parsed.repeats) {
      report(absl::StrCat("'", phrase,
                          "' is written more than once; the repeat is ignored"),
             true);
    }
    for (const std::string& phrase : parsed.phrases) {
      line_of.emplace(phrase, line_number);
    }
    table.AddGroup(std::move(parsed.phrases));
  }
  return table;
}

std::string SynonymTable::Serialize() const {
  std::string out;
  for (const std::vector<std::string>& group : groups_) {
    absl::StrAppend(&out, absl::StrJoin(group, ", "), "\n");
  }
  return out;
}

absl::StatusOr<SynonymTable> SynonymTable::Deserialize(absl::string_view text) {
  SynonymTable table;
  if (text.empty()) return table;
  absl::ConsumeSuffix(&text, "\n");
  absl::flat_hash_set<std::string> seen;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    auto malformed = [&](absl::string_view why) {
      return absl::InvalidArgumentError(
          absl::StrCat("synonym table line ", line_number, ": ", why));
    };
    if (!utf8::IsValid(line)) return malformed("expected UTF-8 text");
    LineParse parsed = ParseLine(line);
    if (!parsed.error.empty()) return malformed(parsed.error);
    // Only Serialize's own form, so that corruption is not read as data.
    if (absl::StrJoin(parsed.phrases, ", ") != line) {
      return malformed(
          "expected normalized phrases (lowercase ASCII, single spaces) "
          "joined by \", \"");
    }
    for (const std::string& phrase : parsed.phrases) {
      if (!seen.insert(phrase).second) {
        return malformed(
            absl::StrCat("'", phrase, "' is already in an earlier group"));
      }
    }
    table.AddGroup(std::move(parsed.phrases));
  }
  return table;
}

bool SynonymTable::empty() const { return groups_.empty(); }

const std::vector<std::vector<std::string>>& SynonymTable::groups() const {
  return groups_;
}

std::string SynonymTable::Rewrite(absl::string_view query,
                                  absl::string_view field) const {
  if (trie_.empty()) return std::string(query);
  const std::vector<Token> tokens = Tokenize(query);
  std::string out;
  out.reserve(query.size());
  size_t copied = 0;  // query bytes before this are in `out`
  size_t t = 0;
  while (t < tokens.size()) {
    // Longest phrase starting at token t.
    int group = -1;
    size_t last = t;
    int node = 0;
    for (size_t j = t; j < tokens.size(); ++j) {
      const Token& token = tokens[j];
      if (!token.plain || (j > t && token.is_signed)) break;
      auto it = trie_[node].next.find(token.key);
      if (it == trie_[node].next.end()) break;
      node = it->second;
      if (trie_[node].group >= 0) {
        group = trie_[node].group;
        last = j;
      }
      // A sign binds to one word: "-large language model" hates "large"
      // only, so it must not become a hated phrase.
      if (token.is_signed) break;
    }
    if (group < 0) {
      ++t;
      continue;
    }
    const size_t start = tokens[t].begin + (tokens[t].is_signed ? 1 : 0);
    absl::StrAppend(&out, query.substr(copied, start - copied));
    if (last == t) {
      absl::StrAppend(&out, field, ":g", group);
    } else {
      // Several words stay as typed next to the group: unquoted words
      // match one by one, and the synonym only adds its phrases.
      absl::StrAppend(&out, "(", field, ":g", group, " ",
                      query.substr(start, tokens[last].end - start), ")");
    }
    copied = tokens[last].end;
    t = last + 1;
  }
  absl::StrAppend(&out, query.substr(copied));
  return out;
}

}  // namespace lectern
