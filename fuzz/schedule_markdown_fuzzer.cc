// Fuzz target: Markdown schedules ("# 2024 Fall", "### December 10", "-
// [SOSP'24] [Title](url)"); the start year comes from the title. Checks:
// fuzz/fuzz_checks.h CheckSchedule.
#include <cstddef>
#include <cstdint>

#include "fuzz/schedule_fuzzer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lectern::fuzz::FuzzSchedule(lectern::v1::SCHEDULE_FORMAT_MARKDOWN, 0, data,
                              size);
  return 0;
}
