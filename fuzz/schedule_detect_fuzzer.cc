// Fuzz target: any schedule: the format is detected from the content
// (DetectScheduleFormat) and the matching parser runs, as for a config
// that names no schedule_format.
// Checks: fuzz/fuzz_checks.h CheckSchedule.
#include <cstddef>
#include <cstdint>

#include "fuzz/schedule_fuzzer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lectern::fuzz::FuzzSchedule(lectern::v1::SCHEDULE_FORMAT_UNSPECIFIED, 2024,
                              data, size);
  return 0;
}
