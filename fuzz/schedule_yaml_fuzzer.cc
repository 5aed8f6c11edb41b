// Fuzz target: YAML schedules (a "sessions:" list or front matter).
// Checks: fuzz/fuzz_checks.h CheckSchedule.
#include <cstddef>
#include <cstdint>

#include "fuzz/schedule_fuzzer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lectern::fuzz::FuzzSchedule(lectern::v1::SCHEDULE_FORMAT_YAML, 0, data, size);
  return 0;
}
