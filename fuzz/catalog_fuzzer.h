// The body shared by the catalog fuzz targets: parse the input as one
// catalog format and check every record: valid UTF-8 (proto strings must
// be), a title, a year of four digits or none, a source "<file>:<line>"
// inside the input; and every issue (fuzz_checks.h CheckIssues).
#ifndef LECTERN_FUZZ_CATALOG_FUZZER_H_
#define LECTERN_FUZZ_CATALOG_FUZZER_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "fuzz/fuzz_checks.h"
#include "indexer/catalog.h"

namespace lectern::fuzz {

inline void FuzzCatalog(v1::CatalogFormat format, const uint8_t* data,
                        size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string label = "catalog/fuzz";
  const ParsedCatalog parsed = ParseCatalog(format, text, label);
  CheckIssues(parsed.issues, label, text);
  const int lines = LineCount(text);
  for (const CatalogRecord& record : parsed.records) {
    const v1::Paper& paper = record.paper;
    const std::string printed =
        absl::StrCat(record.source, ": ", paper.ShortDebugString());
    CheckUtf8Strings(paper, "paper");
    LECTERN_FUZZ_CHECK(!paper.title().empty(), printed);
    LECTERN_FUZZ_CHECK(
        paper.year() == 0 || (paper.year() >= 1000 && paper.year() <= 9999),
        printed);
    absl::string_view source = record.source;
    int line = 0;
    LECTERN_FUZZ_CHECK(absl::ConsumePrefix(&source, label + ":") &&
                           absl::SimpleAtoi(source, &line) && line >= 1 &&
                           line <= lines,
                       printed);
  }
}

}  // namespace lectern::fuzz

#endif  // LECTERN_FUZZ_CATALOG_FUZZER_H_
