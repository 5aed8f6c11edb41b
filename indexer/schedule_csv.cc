// CSV schedules; see schedule.h for the format. Each row becomes a YAML map
// of the recognized columns, read by the same entry reader as YAML items,
// so both formats accept and reject exactly the same values.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "indexer/csv.h"
#include "indexer/mojibake.h"
#include "indexer/schedule.h"
#include "indexer/schedule_entry.h"
#include "indexer/schedule_text.h"

namespace lectern {

namespace {

struct Column {
  absl::string_view name;  // as the header may write it, lowercase
  absl::string_view key;   // the entry key it stands for
};

constexpr Column kColumns[] = {
    {"date", "date"},
    {"title", "title"},
    {"paper", "title"},
    {"presenter", "presenters"},
    {"presenters", "presenters"},
    {"speaker", "presenters"},
    {"authors", "authors"},
    {"venue", "venue"},
    {"year", "year"},
    {"link", "link"},
    {"url", "link"},
    {"slides", "slides"},
    {"summary", "summary"},
    {"video", "video"},
};

std::optional<absl::string_view> KeyFor(absl::string_view header_name) {
  for (const Column& column : kColumns) {
    if (column.name == header_name) return column.key;
  }
  return std::nullopt;
}

// 1-based line of the header: the first line with anything on it.
int HeaderLine(const std::vector<absl::string_view>& lines) {
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!absl::StripAsciiWhitespace(lines[i]).empty()) {
      return static_cast<int>(i) + 1;
    }
  }
  return 1;
}

}  // namespace

ParsedSchedule ParseCsvSchedule(absl::string_view raw_text,
                                const ScheduleParseOptions& options) {
  ParsedSchedule result;
  const MojibakeRepair repair = RepairMojibake(raw_text);
  absl::string_view text = repair.text;
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");  // UTF-8 byte-order mark
  const std::vector<absl::string_view> lines = schedule_entry::SplitLines(text);
  auto issue = [&](int line, std::string message, bool note) {
    ParseIssue parse_issue{options.file_label, line, std::move(message),
                           schedule_entry::LineText(lines, line)};
    parse_issue.note = note;
    result.issues.push_back(std::move(parse_issue));
  };

  const CsvTable table = ParseCsv(text);
  if (table.header.empty()) {
    issue(0, "no header row: expected columns such as date, title, presenter",
          false);
    return result;
  }
  const int header_line = HeaderLine(lines);

  // The entry key of each column, or nothing for a column left out.
  std::vector<std::optional<std::string>> keys(table.header.size());
  std::vector<std::string> ignored;
  bool has_date = false;
  for (size_t i = 0; i < table.header.size(); ++i) {
    const std::string& name = table.header[i];
    const std::optional<absl::string_view> key = KeyFor(name);
    if (!key) {
      ignored.push_back(name.empty()
                            ? absl::StrCat("column ", i + 1, " (no name)")
                            : absl::StrCat("'", name, "'"));
      continue;
    }
    bool repeated = false;
    for (size_t j = 0; j < i; ++j) repeated = repeated || keys[j] == *key;
    if (repeated) {
      // "presenter" and "speaker" both: the first one is read.
      ignored.push_back(
          absl::StrCat("'", name, "' (a second ", *key, " column)"));
      continue;
    }
    keys[i] = std::string(*key);
    has_date = has_date || *key == "date";
  }
  if (!ignored.empty()) {
    issue(header_line,
          absl::StrCat("columns ignored: ", absl::StrJoin(ignored, ", ")),
          /*note=*/true);
  }
  if (!has_date) {
    issue(header_line, "no date column: each session needs a date", false);
    return result;
  }
  std::vector<int> error_lines;
  for (const auto& [line, message] : table.errors) {
    issue(line, message, false);
    error_lines.push_back(line);
  }
  for (const CsvRow& row : table.rows) {
    // A row whose quote never closes is cut short: reported, not read.
    if (std::find(error_lines.begin(), error_lines.end(), row.line) !=
        error_lines.end()) {
      continue;
    }
    YAML::Node entry(YAML::NodeType::Map);
    for (size_t i = 0; i < row.fields.size() && i < keys.size(); ++i) {
      // An empty cell is a field left out, as a missing YAML key.
      if (!keys[i] || absl::StripAsciiWhitespace(row.fields[i]).empty()) {
        continue;
      }
      entry[*keys[i]] = row.fields[i];
    }
    schedule_entry::ReadScheduleEntry(entry, row.line, lines, options, &result);
  }
  schedule_entry::FinishSchedule(options, &result);
  return result;
}

}  // namespace lectern
