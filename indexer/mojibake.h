// Repair of UTF-8 text that was once decoded as Windows-1254 (Turkish) and
// re-encoded as UTF-8: "Î¼Slope" becomes "μSlope", "ğŸ’¡" becomes "💡".
//
// Only runs of characters that Windows-1254 can encode and whose bytes then
// form UTF-8 multi-byte sequences are rewritten, so clean UTF-8 text (Chinese,
// curly quotes, accented names) passes through unchanged. Bytes that
// Windows-1254 leaves undefined (0x81, 0x8D-0x90, 0x9D, 0x9E) were dropped by
// the original corruption and cannot be recovered: each sequence that lost
// one becomes U+FFFD. Pure functions; thread-safe.
#ifndef LECTERN_INDEXER_MOJIBAKE_H_
#define LECTERN_INDEXER_MOJIBAKE_H_

#include <string>

#include "absl/strings/string_view.h"

namespace lectern {

struct MojibakeRepair {
  std::string text;
  // Runs of mis-decoded characters that were rewritten.
  int repaired_runs = 0;
  // Sequences whose lost bytes left U+FFFD in the text.
  int lost_sequences = 0;
};

// Repairs `text` (UTF-8). Idempotent: repairing repaired text changes nothing.
MojibakeRepair RepairMojibake(absl::string_view text);

}  // namespace lectern

#endif  // LECTERN_INDEXER_MOJIBAKE_H_
