// Fuzz target: CSV catalogs, and the RFC 4180 reader under them
// (indexer/csv.h): rows and errors cite lines of the input in order, and a
// row has as many fields as the header unless an error says otherwise.
// Then the catalog checks of fuzz/catalog_fuzzer.h.
#include <cstddef>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "fuzz/catalog_fuzzer.h"
#include "fuzz/fuzz_checks.h"
#include "indexer/csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  const lectern::CsvTable table = lectern::ParseCsv(text);
  const int lines = lectern::fuzz::LineCount(text);
  int previous = 0;
  for (const lectern::CsvRow& row : table.rows) {
    LECTERN_FUZZ_CHECK(row.line > previous && row.line <= lines,
                       absl::StrCat("row at line ", row.line, " after ",
                                    previous, " of ", lines));
    previous = row.line;
    bool reported = false;
    for (const auto& [line, message] : table.errors) {
      reported |= line == row.line;
    }
    LECTERN_FUZZ_CHECK(reported || row.fields.size() == table.header.size(),
                       absl::StrCat("row at line ", row.line, " has ",
                                    row.fields.size(), " fields, the header ",
                                    table.header.size(), ", and no error"));
  }
  for (const auto& [line, message] : table.errors) {
    LECTERN_FUZZ_CHECK(line >= 1 && line <= lines,
                       absl::StrCat(line, ": ", message));
  }
  lectern::fuzz::FuzzCatalog(lectern::v1::CATALOG_FORMAT_CSV, data, size);
  return 0;
}
