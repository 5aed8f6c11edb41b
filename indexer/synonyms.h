// Synonym groups for query-time expansion, read from a plain text file
// (data/synonyms.txt), so that "llm" also finds "large language model".
//
// File format (UTF-8):
//   # '#' starts a comment to the end of the line; blank lines are ignored
//   llm, large language model, large language models, 大模型
// One group per line: two or more equivalent phrases separated by commas.
// A phrase is one or more words separated by whitespace. A word holds ASCII
// letters and digits, '-', '.', '+', '/' and non-ASCII letters and digits
// (大模型); it has at least one letter or digit and does not start with '+'
// or '-', which a query reads as a sign. Quotes, parentheses, ':' and '*'
// are query syntax and so not allowed. ASCII is lowercased and whitespace
// collapsed to single spaces on load. A phrase belongs to one group only,
// since Rewrite() must know which group a phrase stands for.
//
// Rewrite() swaps the phrases in a query for a term naming the group
// ("syn:g3"), which the query builder expands into all of the group's
// phrases. Immutable once built; const methods are thread-safe.
#ifndef LECTERN_INDEXER_SYNONYMS_H_
#define LECTERN_INDEXER_SYNONYMS_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "indexer/schedule.h"

namespace lectern {

// Synonyms for query-time expansion, from a plain text file.
class SynonymTable {
 public:
  SynonymTable() = default;

  // Parses the file format above. Problems are appended to `issues` with
  // file, 1-based line, message (what was expected) and the line text; bad
  // lines are skipped, good ones kept. A phrase written twice on one line
  // is a note, and the repeat is dropped.
  static SynonymTable Parse(absl::string_view content, absl::string_view file,
                            std::vector<ParseIssue>* issues);

  // Compact text form (one group per line, phrases joined by ", "), read
  // back by Deserialize. Deserialize is InvalidArgument on malformed text,
  // including anything Serialize would not have written (comments, upper
  // case, extra spaces, blank lines).
  std::string Serialize() const;
  static absl::StatusOr<SynonymTable> Deserialize(absl::string_view text);

  bool empty() const;
  // Each group's phrases, normalized (lowercase ASCII, single spaces), in
  // file order, first phrase first.
  const std::vector<std::vector<std::string>>& groups() const;

  // The query text with every synonym phrase that occurs as plain words
  // replaced by `field` + ":g" + group index (e.g. "syn:g3"); a phrase of
  // several words keeps them beside it, "(syn:g3 kv cache)", so they still
  // match one by one as unquoted words do. Everything else is kept byte
  // for byte.
  //
  // The query is split into tokens at whitespace and at '(' and ')'. Only
  // plain tokens match: not inside double quotes (straight or curly; an
  // unclosed quote runs to the end), not inside a "field:(...)" group, no
  // ':' or '*', not an operator (AND OR NOT XOR NEAR ADJ, NEAR/n, ADJ/n).
  // Matching ignores ASCII case and takes the longest phrase at the
  // leftmost token, over consecutive plain tokens. A token signed with '+'
  // or '-' matches a one-word phrase only, and keeps its sign: "-gpu"
  // becomes "-syn:g2". Linear in the query's length for a given table.
  std::string Rewrite(absl::string_view query, absl::string_view field) const;

  friend bool operator==(const SynonymTable& a, const SynonymTable& b) {
    return a.groups_ == b.groups_;
  }
  friend bool operator!=(const SynonymTable& a, const SynonymTable& b) {
    return !(a == b);
  }

 private:
  // A trie over words: the words of a phrase lead from the root (node 0) to
  // a node naming the phrase's group. Rewrite() walks it a token at a time,
  // so a longest match costs one lookup per word.
  struct Node {
    absl::flat_hash_map<std::string, int> next;
    int group = -1;
  };

  // Appends a group of normalized phrases that are in no other group.
  void AddGroup(std::vector<std::string> phrases);

  std::vector<std::vector<std::string>> groups_;
  std::vector<Node> trie_;
};

}  // namespace lectern

#endif  // LECTERN_INDEXER_SYNONYMS_H_
