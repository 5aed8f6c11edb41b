#include "indexer/snippet.h"

#include <algorithm>
#include <tuple>
#include <vector>

#include "absl/strings/ascii.h"

namespace lectern {
namespace {

// The scripts Xapian's FLAG_CJK_NGRAM indexes one character at a time (its
// CJK::codepoint_is_cjk ranges).
bool IsCjk(unsigned ch) {
  return (ch >= 0x2E80 && ch <= 0x2EFF) || (ch >= 0x3000 && ch <= 0x9FFF) ||
         (ch >= 0xA700 && ch <= 0xA71F) || (ch >= 0xAC00 && ch <= 0xD7AF) ||
         (ch >= 0xF900 && ch <= 0xFAFF) || (ch >= 0xFE30 && ch <= 0xFE4F) ||
         (ch >= 0xFF00 && ch <= 0xFFEF) || (ch >= 0x20000 && ch <= 0x2A6DF) ||
         (ch >= 0x2F800 && ch <= 0x2FA1F);
}

// Xapian's word characters (Unicode letters, marks, digits and connector
// punctuation), with ASCII answered without its tables.
bool IsWordChar(unsigned ch) {
  if (ch < 0x80) {
    return absl::ascii_isalnum(static_cast<unsigned char>(ch)) || ch == '_';
  }
  return Xapian::Unicode::is_wordchar(ch);
}

struct SnippetToken {
  size_t begin = 0;  // byte offsets in the text
  size_t end = 0;
  bool cjk = false;
  bool typed = false;  // a match written as the query has it
  // The term it matched (a word, a stem or a CJK character), numbered from
  // 1 per HighlightTerms; 0 when it matched nothing.
  int term = 0;
};

void AppendEscaped(absl::string_view text, std::string* out) {
  for (char c : text) {
    switch (c) {
      case '&':
        out->append("&amp;");
        break;
      case '<':
        out->append("&lt;");
        break;
      case '>':
        out->append("&gt;");
        break;
      default:
        out->push_back(c);
    }
  }
}

// Matches of the window [first, last] of `tokens`, scored as the window
// choice wants: distinct terms first, then all matches.
class WindowScore {
 public:
  explicit WindowScore(size_t terms) : counts_(terms + 1, 0) {}
  void Add(const SnippetToken& token) {
    if (token.term == 0) return;
    ++matches_;
    typed_ += token.typed;
    if (++counts_[token.term] == 1) ++distinct_;
  }
  void Remove(const SnippetToken& token) {
    if (token.term == 0) return;
    --matches_;
    typed_ -= token.typed;
    if (--counts_[token.term] == 0) --distinct_;
  }
  std::tuple<int, int, int> value() const {
    return {distinct_, typed_, matches_};
  }

 private:
  std::vector<int> counts_;  // by term number
  int distinct_ = 0;
  int typed_ = 0;
  int matches_ = 0;
};

}  // namespace

void HighlightTerms::AddIndexTerm(absl::string_view term) {
  if (term.empty()) return;
  if (term[0] == 'Z') {
    term.remove_prefix(1);
    if (!term.empty() &&
        !absl::ascii_isupper(static_cast<unsigned char>(term[0]))) {
      stems.emplace(term);
    }
    return;
  }
  if (absl::ascii_isupper(static_cast<unsigned char>(term[0]))) return;
  words.emplace(term);
}

int SnippetMaker::MatchOf(const std::string& word, bool cjk,
                          const HighlightTerms& terms) {
  auto [verdict, inserted] = terms.verdicts.try_emplace(word, 0);
  if (!inserted) return verdict->second;
  std::string term;
  if (terms.words.contains(word)) {
    term = word;
  } else if (!cjk && !terms.stems.empty()) {
    const std::string& stem = Stem(word);
    if (terms.stems.contains(stem)) term = "Z" + stem;
  }
  if (!term.empty()) {
    verdict->second =
        terms.term_numbers
            .try_emplace(term, static_cast<int>(terms.term_numbers.size()) + 1)
            .first->second;
  }
  return verdict->second;
}

const std::string& SnippetMaker::Stem(const std::string& word) {
  // The cache is bounded by the vocabulary of the texts shown; a runaway
  // one (random strings) starts over rather than growing without limit.
  constexpr size_t kMaxCachedStems = 1 << 18;
  auto found = stems_.find(word);
  if (found != stems_.end()) return found->second;
  if (stems_.size() >= kMaxCachedStems) stems_.clear();
  return stems_.emplace(word, stemmer_(word)).first->second;
}

Snippet SnippetMaker::Make(absl::string_view text, const HighlightTerms& terms,
                           size_t max_bytes) {
  // Tokens as Xapian's TermGenerator sees them: runs of word characters,
  // lowercased; CJK characters one by one.
  std::vector<SnippetToken> tokens;
  std::string word;
  size_t at = 0;
  // The character at `at` and its length in bytes; ASCII, most of any
  // text, without Xapian's decoder.
  auto peek = [&](unsigned* ch) -> size_t {
    const auto byte = static_cast<unsigned char>(text[at]);
    if (byte < 0x80) {
      *ch = byte;
      return 1;
    }
    Xapian::Utf8Iterator it(text.data() + at, text.size() - at);
    *ch = *it;
    ++it;
    return it == Xapian::Utf8Iterator()
               ? text.size() - at
               : static_cast<size_t>(it.raw() - (text.data() + at));
  };
  while (at < text.size()) {
    unsigned ch;
    size_t length = peek(&ch);
    if (!IsWordChar(ch)) {
      at += length;
      continue;
    }
    SnippetToken token;
    token.begin = at;
    word.clear();
    if (ch >= 0x80 && IsCjk(ch)) {
      token.cjk = true;
      word.assign(text.data() + at, length);
      at += length;
    } else {
      while (true) {
        if (ch < 0x80) {
          word.push_back(absl::ascii_tolower(static_cast<unsigned char>(ch)));
        } else {
          Xapian::Unicode::append_utf8(word, Xapian::Unicode::tolower(ch));
        }
        at += length;
        if (at >= text.size()) break;
        length = peek(&ch);
        if (!IsWordChar(ch) || (ch >= 0x80 && IsCjk(ch))) break;
      }
    }
    token.end = at;
    token.term = MatchOf(word, token.cjk, terms);
    token.typed = token.term != 0 && terms.typed.contains(word);
    tokens.push_back(token);
  }

  Snippet snippet;
  if (tokens.empty()) {
    AppendEscaped(text.substr(0, std::min(text.size(), max_bytes)),
                  &snippet.html);
    return snippet;
  }

  // The best window of whole tokens that fits in max_bytes.
  size_t first = 0;
  size_t last = 0;
  if (text.size() <= max_bytes) {
    last = tokens.size() - 1;
  } else {
    WindowScore score(terms.term_numbers.size());
    std::tuple<int, int, int> best{-1, -1, -1};
    size_t left = 0;
    for (size_t right = 0; right < tokens.size(); ++right) {
      score.Add(tokens[right]);
      while (left < right &&
             tokens[right].end - tokens[left].begin > max_bytes) {
        score.Remove(tokens[left++]);
      }
      if (score.value() > best) {
        best = score.value();
        first = left;
        last = right;
      }
    }
    // Widen with the words around it, after it first.
    while (last + 1 < tokens.size() &&
           tokens[last + 1].end - tokens[first].begin <= max_bytes) {
      ++last;
    }
    while (first > 0 &&
           tokens[last].end - tokens[first - 1].begin <= max_bytes) {
      --first;
    }
  }

  const size_t from = first == 0 ? 0 : tokens[first].begin;
  const size_t to = last + 1 == tokens.size() ? text.size() : tokens[last].end;
  std::string& html = snippet.html;
  html.reserve(to - from + 64);
  if (from > 0) html.append("…");
  at = from;
  bool open = false;
  for (size_t t = first; t <= last; ++t) {
    const SnippetToken& token = tokens[t];
    const bool match = token.term != 0;
    // Adjacent CJK matches share one mark ("稀疏"); anything between two
    // tokens closes it.
    if (open && (!match || token.begin != at || !token.cjk)) {
      html.append("</mark>");
      open = false;
    }
    AppendEscaped(text.substr(at, token.begin - at), &html);
    if (match && !open) {
      html.append("<mark>");
      open = true;
      ++snippet.marks;
    }
    AppendEscaped(text.substr(token.begin, token.end - token.begin), &html);
    at = token.end;
    if (open && !token.cjk) {
      html.append("</mark>");
      open = false;
    }
  }
  if (open) html.append("</mark>");
  AppendEscaped(text.substr(at, to - at), &html);
  if (to < text.size()) html.append("…");
  return snippet;
}

}  // namespace lectern
