// Fuzz target: CSV schedules (a header row naming date, title, presenter, ...).
// Checks: fuzz/fuzz_checks.h CheckSchedule.
#include <cstddef>
#include <cstdint>

#include "fuzz/schedule_fuzzer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lectern::fuzz::FuzzSchedule(lectern::v1::SCHEDULE_FORMAT_CSV, 0, data, size);
  return 0;
}
