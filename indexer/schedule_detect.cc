// Schedule format detection; see DetectScheduleFormat in schedule.h.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "indexer/csv.h"
#include "indexer/normalize.h"
#include "indexer/schedule.h"

namespace lectern {
namespace {

using Lines = std::vector<absl::string_view>;

bool IsBlank(absl::string_view line) {
  return absl::StripAsciiWhitespace(line).empty();
}

bool IsDocumentMarker(absl::string_view line) {
  line = absl::StripAsciiWhitespace(line);
  return line == "---" || line == "...";
}

// "sessions:" at column 0 opening a list: nothing after the colon but a
// comment or a flow list. Prose such as "sessions: weekly" does not count.
bool IsSessionsKey(absl::string_view line) {
  if (!absl::ConsumePrefix(&line, "sessions")) return false;
  line = absl::StripLeadingAsciiWhitespace(line);
  if (!absl::ConsumePrefix(&line, ":")) return false;
  line = absl::StripAsciiWhitespace(line);
  return line.empty() || absl::StartsWith(line, "#") ||
         absl::StartsWith(line, "[");
}

// "- date:" (any case, any spacing) starting a YAML list item.
bool IsDateItem(absl::string_view line) {
  if (!absl::ConsumePrefix(&line, "-")) return false;
  const absl::string_view rest = absl::StripLeadingAsciiWhitespace(line);
  if (rest.size() == line.size()) return false;  // "-date" is no list item
  line = rest;
  if (line.size() < 4 || !absl::EqualsIgnoreCase(line.substr(0, 4), "date")) {
    return false;
  }
  return absl::StartsWith(absl::StripLeadingAsciiWhitespace(line.substr(4)),
                          ":");
}

// "#", "##", ... "######" followed by a space: a Markdown heading.
int HeadingLevel(absl::string_view line) {
  size_t level = 0;
  while (level < line.size() && line[level] == '#') ++level;
  if (level == 0 || level > 6 || level >= line.size() || line[level] != ' ') {
    return 0;
  }
  return static_cast<int>(level);
}

// "N)" at the start, after full-width forms are folded ("１）").
bool IsNumberedEntry(absl::string_view line) {
  const std::string cleaned = CleanText(line);
  size_t digits = 0;
  while (digits < cleaned.size() &&
         absl::ascii_isdigit(static_cast<unsigned char>(cleaned[digits]))) {
    ++digits;
  }
  if (digits == 0 || digits > 4) return false;
  return absl::StartsWith(absl::StripLeadingAsciiWhitespace(
                              absl::string_view(cleaned).substr(digits)),
                          ")");
}

// A header row naming a date column and a title (or paper) column.
bool IsCsvHeader(absl::string_view line) {
  if (!absl::StrContains(line, ',')) return false;
  const CsvTable table = ParseCsv(line);
  auto has = [&](absl::string_view name) {
    return std::find(table.header.begin(), table.header.end(), name) !=
           table.header.end();
  };
  return has("date") && (has("title") || has("paper"));
}

// Index of the first line at or after `from` that `keep` accepts.
template <typename Predicate>
std::optional<size_t> FirstLine(const Lines& lines, size_t from,
                                Predicate keep) {
  for (size_t i = from; i < lines.size(); ++i) {
    if (keep(lines[i])) return i;
  }
  return std::nullopt;
}

}  // namespace

v1::ScheduleFormat DetectScheduleFormat(absl::string_view text) {
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");  // UTF-8 byte-order mark
  Lines lines = absl::StrSplit(text, '\n');
  for (absl::string_view& line : lines) absl::ConsumeSuffix(&line, "\r");
  auto not_blank = [](absl::string_view line) { return !IsBlank(line); };

  // Front matter: YAML when it holds the sessions (or never closes, which
  // makes the whole file a YAML document); otherwise only the Markdown
  // after it is judged, as Jekyll pages carry front matter of their own.
  size_t body = 0;
  const std::optional<size_t> first = FirstLine(lines, 0, not_blank);
  if (first && absl::StripAsciiWhitespace(lines[*first]) == "---") {
    const std::optional<size_t> close =
        FirstLine(lines, *first + 1, IsDocumentMarker);
    if (!close) return v1::SCHEDULE_FORMAT_YAML;
    for (size_t i = *first + 1; i < *close; ++i) {
      if (IsSessionsKey(lines[i])) return v1::SCHEDULE_FORMAT_YAML;
    }
    body = *close + 1;
  }

  if (FirstLine(lines, body, IsSessionsKey)) return v1::SCHEDULE_FORMAT_YAML;
  // Comments ("# ...") may precede a YAML list; Markdown headings look the
  // same, so they are skipped here and judged below.
  const std::optional<size_t> first_content =
      FirstLine(lines, body, [](absl::string_view line) {
        const absl::string_view stripped = absl::StripAsciiWhitespace(line);
        return !stripped.empty() && !absl::StartsWith(stripped, "#");
      });
  if (first_content && IsDateItem(lines[*first_content])) {
    return v1::SCHEDULE_FORMAT_YAML;
  }

  const std::optional<size_t> first_body = FirstLine(lines, body, not_blank);
  if (first_body && IsCsvHeader(lines[*first_body])) {
    return v1::SCHEDULE_FORMAT_CSV;
  }

  // A Markdown schedule may number the rules in its prose ("1) Be on
  // time"), so "N)" lines make a numbered list only where no "###" date
  // headings make sessions.
  bool numbered = false;
  bool headings = false;
  bool date_headings = false;
  for (size_t i = body; i < lines.size(); ++i) {
    const absl::string_view line = absl::StripLeadingAsciiWhitespace(lines[i]);
    const int level = HeadingLevel(line);
    headings = headings || level > 0;
    date_headings = date_headings || level == 3;
    numbered = numbered || IsNumberedEntry(line);
  }
  if (numbered && !date_headings) return v1::SCHEDULE_FORMAT_NUMBERED_LIST;
  if (headings) return v1::SCHEDULE_FORMAT_MARKDOWN;
  return v1::SCHEDULE_FORMAT_UNSPECIFIED;
}

}  // namespace lectern
