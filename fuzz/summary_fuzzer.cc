// Fuzz target: Q&A summary files (indexer/summary.h): YAML front matter and
// a Markdown body. Checks: the summary's strings are valid UTF-8 (proto
// strings must be), its id and source cite the label, its text starts at
// a line of the input, issues cite lines of the input.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "fuzz/fuzz_checks.h"
#include "indexer/summary.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string label = "summaries/fall-2024/241210-fuzz.md";
  const lectern::SummaryFile file =
      lectern::ParseSummaryFile(text, label, "fall-2024");
  lectern::fuzz::CheckIssues(file.issues, label, text);
  const lectern::v1::Summary& summary = file.summary;
  lectern::fuzz::CheckUtf8Strings(summary, "summary");
  LECTERN_FUZZ_CHECK(lectern::utf8::IsValid(file.paper_hint), file.paper_hint);
  LECTERN_FUZZ_CHECK(summary.id() == label && summary.source().file() == label,
                     summary.ShortDebugString());
  LECTERN_FUZZ_CHECK(
      summary.source().line() >= 1 &&
          summary.source().line() <= lectern::fuzz::LineCount(text) + 1,
      summary.ShortDebugString());
  lectern::DetectLanguage(text);
  return 0;
}
