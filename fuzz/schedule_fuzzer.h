// The body shared by the schedule fuzz targets: parse the input as one
// format and check the result (fuzz_checks.h). Each *_fuzzer.cc defines
// LLVMFuzzerTestOneInput with its format.
#ifndef LECTERN_FUZZ_SCHEDULE_FUZZER_H_
#define LECTERN_FUZZ_SCHEDULE_FUZZER_H_

#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "fuzz/fuzz_checks.h"
#include "indexer/schedule.h"

namespace lectern::fuzz {

// Parses `data` as a schedule in `format` (UNSPECIFIED: detected) of the
// group "fuzz-group" with the given start year, and checks the result.
inline void FuzzSchedule(v1::ScheduleFormat format, int start_year,
                         const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  ScheduleParseOptions options;
  options.group_id = "fuzz-group";
  options.file_label = "schedules/fuzz.txt";
  options.start_year = start_year;
  const ParsedSchedule parsed = ParseSchedule(format, text, options);
  CheckSchedule(parsed, options, text);
}

}  // namespace lectern::fuzz

#endif  // LECTERN_FUZZ_SCHEDULE_FUZZER_H_
