#include "bench/search/fts5_query.h"

#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"

namespace lectern::bench {
namespace {

// Whitespace-separated tokens of `text`; a quoted phrase, with or without
// a field in front ("a b", title:"a b"), is one token.
absl::StatusOr<std::vector<std::string>> Tokens(absl::string_view text) {
  std::vector<std::string> tokens;
  std::string token;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (!quoted && absl::ascii_isspace(static_cast<unsigned char>(c))) {
      if (!token.empty()) tokens.push_back(std::move(token));
      token.clear();
      continue;
    }
    token.push_back(c);
  }
  if (quoted) return absl::InvalidArgumentError("unbalanced quote");
  if (!token.empty()) tokens.push_back(std::move(token));
  return tokens;
}

// An FTS5 string: `text` without lectern's quotes, in FTS5's quotes.
std::string Quoted(absl::string_view text) {
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    text = text.substr(1, text.size() - 2);
  }
  return absl::StrCat("\"", absl::StrReplaceAll(text, {{"\"", "\"\""}}), "\"");
}

absl::Status Unsupported(absl::string_view token) {
  return absl::UnimplementedError(
      absl::StrCat("no FTS5 translation for '", token, "'"));
}

// The FTS5 operand of a free-text token (a word, a phrase, a column
// filter), or a filter stored into `query`: "" then.
absl::StatusOr<std::string> Operand(absl::string_view token, Fts5Query* query) {
  if (token.front() == '+' || token.front() == '-' || token.front() == '(' ||
      token.back() == '*' || token.back() == ')') {
    return Unsupported(token);
  }
  const size_t colon =
      token.front() == '"' ? absl::string_view::npos : token.find(':');
  if (colon == absl::string_view::npos) return Quoted(token);
  const absl::string_view field = token.substr(0, colon);
  const absl::string_view value = token.substr(colon + 1);
  if (value.empty()) return Unsupported(token);
  // lectern's free-text fields, by the FTS5 column that holds them.
  static constexpr std::pair<absl::string_view, absl::string_view> kColumns[] =
      {{"title", "title"}, {"author", "authors"}, {"abstract", "abstract"}};
  for (const auto& [name, column] : kColumns) {
    if (field == name) return absl::StrCat(column, ":", Quoted(value));
  }
  if (field == "venue") {
    query->venue = std::string(value);
    return std::string();
  }
  if (field == "year") {
    if (value.size() != 4 || !absl::SimpleAtoi(value, &query->year)) {
      return absl::InvalidArgumentError(
          absl::StrCat("year: expects four digits, got '", value, "'"));
    }
    return std::string();
  }
  return Unsupported(token);
}

}  // namespace

absl::StatusOr<Fts5Query> ToFts5(absl::string_view lectern_query) {
  absl::StatusOr<std::vector<std::string>> tokens = Tokens(lectern_query);
  if (!tokens.ok()) return tokens.status();
  Fts5Query query;
  std::vector<std::string> parts;  // operands and operators, in order
  bool after_operand = false;
  for (const std::string& token : *tokens) {
    if (token == "AND" || token == "OR") {
      if (!after_operand) return Unsupported(token);
      parts.push_back(token);
      after_operand = false;
      continue;
    }
    if (token == "NOT" || token == "XOR" || token == "NEAR" || token == "ADJ") {
      return Unsupported(token);
    }
    absl::StatusOr<std::string> operand = Operand(token, &query);
    if (!operand.ok()) return operand.status();
    if (operand->empty()) continue;  // a filter
    // Two operands side by side: lectern's default operator.
    if (after_operand) parts.push_back("OR");
    parts.push_back(*std::move(operand));
    after_operand = true;
  }
  if (!parts.empty() && !after_operand) return Unsupported(parts.back());
  if (parts.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("nothing for FTS5 to MATCH in '", lectern_query, "'"));
  }
  query.match = absl::StrJoin(parts, " ");
  return query;
}

}  // namespace lectern::bench
