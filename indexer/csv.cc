#include "indexer/csv.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace lectern {
namespace {

bool IsBlank(const std::vector<std::string>& fields) {
  for (const std::string& field : fields) {
    if (!absl::StripAsciiWhitespace(field).empty()) return false;
  }
  return true;
}

}  // namespace

std::optional<size_t> CsvTable::Column(
    std::initializer_list<absl::string_view> names) const {
  for (absl::string_view name : names) {
    for (size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return i;
    }
  }
  return std::nullopt;
}

CsvTable ParseCsv(absl::string_view text) {
  CsvTable table;
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");  // UTF-8 byte-order mark
  std::vector<CsvRow> rows;
  CsvRow row;
  row.line = 1;
  std::string field;
  bool quoted = false;      // inside a quoted field
  bool was_quoted = false;  // the current field was quoted
  int line = 1;
  auto end_field = [&] {
    row.fields.push_back(
        was_quoted ? field : std::string(absl::StripAsciiWhitespace(field)));
    field.clear();
    was_quoted = false;
  };
  auto end_row = [&] {
    end_field();
    if (!IsBlank(row.fields)) rows.push_back(std::move(row));
    row = CsvRow();
    row.line = line;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    if (c == '"' && absl::StripAsciiWhitespace(field).empty()) {
      field.clear();
      quoted = was_quoted = true;
    } else if (c == ',') {
      end_field();
    } else if (c == '\n') {
      ++line;
      end_row();
    } else if (was_quoted && (c == ' ' || c == '\t')) {
      // Spaces after a closing quote are not part of the field.
    } else if (c != '\r') {
      field.push_back(c);
    }
  }
  if (quoted) {
    // The rest of the file went into one field: the row is not data.
    table.errors.emplace_back(row.line, "unterminated quoted field");
    row = CsvRow();
  } else {
    end_row();
  }

  if (rows.empty()) return table;
  for (std::string& name : rows.front().fields) {
    table.header.push_back(
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(name)));
  }
  for (size_t r = 1; r < rows.size(); ++r) {
    if (rows[r].fields.size() != table.header.size()) {
      table.errors.emplace_back(rows[r].line,
                                absl::StrCat("expected ", table.header.size(),
                                             " fields as in the header, found ",
                                             rows[r].fields.size()));
      continue;
    }
    table.rows.push_back(std::move(rows[r]));
  }
  return table;
}

}  // namespace lectern
