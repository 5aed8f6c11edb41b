// RFC 4180 CSV with a header row, as spreadsheets export it: quoted fields
// may hold commas, doubled quotes and line breaks. Used by the CSV catalog
// and schedule formats. Pure functions; thread-safe.
#ifndef LECTERN_INDEXER_CSV_H_
#define LECTERN_INDEXER_CSV_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace lectern {

struct CsvRow {
  int line = 0;  // 1-based line where the row starts
  std::vector<std::string> fields;
};

struct CsvTable {
  // Header names, trimmed and lowercased.
  std::vector<std::string> header;
  // Data rows; blank lines are skipped.
  std::vector<CsvRow> rows;
  // "line N: ..." for an unterminated quote or a row whose field count
  // differs from the header's.
  std::vector<std::pair<int, std::string>> errors;

  // Index of the first header name among `names`, or nullopt.
  std::optional<size_t> Column(
      std::initializer_list<absl::string_view> names) const;
};

// Splits `text` (UTF-8, optional byte-order mark) into header and rows.
// Fields keep their inner whitespace; surrounding spaces of unquoted fields
// are trimmed.
CsvTable ParseCsv(absl::string_view text);

}  // namespace lectern

#endif  // LECTERN_INDEXER_CSV_H_
