// Fuzz target: numbered-list schedules ("N) M.D, Title（VENUE'YY）,
// Presenter"), first session in 2024. Checks: fuzz/fuzz_checks.h CheckSchedule.
#include <cstddef>
#include <cstdint>

#include "fuzz/schedule_fuzzer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lectern::fuzz::FuzzSchedule(lectern::v1::SCHEDULE_FORMAT_NUMBERED_LIST, 2024,
                              data, size);
  return 0;
}
