// Fuzz target: mojibake repair (indexer/mojibake.h). Checks the header's
// promises: the result is valid UTF-8; repairing it again changes nothing
// (idempotent); valid UTF-8 in which no run was repaired passes through
// byte for byte; the counts are not negative.
#include <cstddef>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "fuzz/fuzz_checks.h"
#include "indexer/mojibake.h"
#include "indexer/utf8.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  const lectern::MojibakeRepair repair = lectern::RepairMojibake(text);
  LECTERN_FUZZ_CHECK(lectern::utf8::IsValid(repair.text), repair.text);
  LECTERN_FUZZ_CHECK(repair.repaired_runs >= 0 && repair.lost_sequences >= 0,
                     repair.text);
  if (repair.repaired_runs == 0 && lectern::utf8::IsValid(text)) {
    LECTERN_FUZZ_CHECK(repair.text == text,
                       absl::StrCat("'", text, "' became '", repair.text, "'"));
  }
  const lectern::MojibakeRepair again = lectern::RepairMojibake(repair.text);
  LECTERN_FUZZ_CHECK(again.text == repair.text && again.repaired_runs == 0,
                     absl::StrCat("'", text, "' became '", repair.text,
                                  "', then '", again.text, "'"));
  return 0;
}
