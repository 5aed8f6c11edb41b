// Highlighted snippets of a hit's text, cut without reading the index: the
// words of the text that match the query's terms, as written or by their
// stem, are wrapped in <mark>, inside the window of the text that holds the
// most distinct matches.
//
// Xapian's MSet::snippet does the same job but stems every word of the text
// on every call and, with its background model, looks up each word's
// frequency in the index; for a page of ten abstracts that cost several
// times the match itself (docs/BENCHMARKS.md). Here stems are cached per
// SnippetMaker, so a word is stemmed once per process and thread.
//
// Thread-compatible: use one SnippetMaker per thread.
#ifndef LECTERN_INDEXER_SNIPPET_H_
#define LECTERN_INDEXER_SNIPPET_H_

#include <xapian.h>

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"

namespace lectern {

// The terms a snippet highlights, in the index's unprefixed forms.
struct HighlightTerms {
  // Lowercase words and CJK characters, matched as written.
  absl::flat_hash_set<std::string> words;
  // Stems (an index term "Zcach" is the stem "cach"), matched against the
  // stem of each word of the text.
  absl::flat_hash_set<std::string> stems;
  // Lowercase words of the query as typed: not matched on their own, but a
  // window that shows them ("tiering" rather than "tiered") is preferred.
  absl::flat_hash_set<std::string> typed;
  // What each word of the texts seen so far matched (a number of
  // term_numbers, 0 for nothing), so that a word repeated across the hits
  // of one query is looked up once.
  mutable absl::flat_hash_map<std::string, int> verdicts;
  mutable absl::flat_hash_map<std::string, int> term_numbers;

  // Adds an unprefixed index term: "Z" + stem, or a word. Terms with a
  // field prefix (capital letters) are left out; callers add their plain
  // forms.
  void AddIndexTerm(absl::string_view term);
  bool empty() const { return words.empty() && stems.empty(); }
};

struct Snippet {
  // HTML: the text's &, < and > escaped, matches in <mark>…</mark> (a run
  // of adjacent CJK matches in one), "…" where the window cuts the text.
  std::string html;
  int marks = 0;  // <mark> elements in `html`
};

class SnippetMaker {
 public:
  explicit SnippetMaker(const Xapian::Stem& stemmer) : stemmer_(stemmer) {}

  // The window of at most `max_bytes` bytes of `text` (cut between words)
  // with the most distinct matched terms, then the most matches written as
  // typed, then the most matches, the earliest on a tie, widened to `max_bytes`
  // with the words around it. Without matches, the start of the text.
  Snippet Make(absl::string_view text, const HighlightTerms& terms,
               size_t max_bytes);

 private:
  // The number of the term lowercase `word` matches (a word, or "Z" + its
  // stem) in terms.term_numbers, or 0.
  int MatchOf(const std::string& word, bool cjk, const HighlightTerms& terms);
  // The stem of lowercase `word`, from the cache when it was seen before.
  const std::string& Stem(const std::string& word);

  Xapian::Stem stemmer_;
  absl::flat_hash_map<std::string, std::string> stems_;
};

}  // namespace lectern

#endif  // LECTERN_INDEXER_SNIPPET_H_
