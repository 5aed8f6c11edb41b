// The session reader shared by the YAML and CSV schedule formats: a CSV row
// is turned into the same map of keys a YAML list item holds, so both
// formats accept and reject the same values. Internal to schedule_*.cc.
#ifndef LECTERN_INDEXER_SCHEDULE_ENTRY_H_
#define LECTERN_INDEXER_SCHEDULE_ENTRY_H_

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "indexer/schedule.h"

namespace lectern::schedule_entry {

// Reads one session from `entry` (a map: date, title, presenter(s),
// venue, year, link, slides, summary, video) written at 1-based `line`,
// and appends it, or its issues, to `result`. `lines` gives issue texts.
void ReadScheduleEntry(const YAML::Node& entry, int line,
                       const std::vector<absl::string_view>& lines,
                       const ScheduleParseOptions& options,
                       ParsedSchedule* result);

// Numbers the sessions and sets the schedule's start year: the config's,
// else the first session's.
void FinishSchedule(const ScheduleParseOptions& options,
                    ParsedSchedule* result);

// `text` split on '\n', without trailing '\r'.
std::vector<absl::string_view> SplitLines(absl::string_view text);

// Line `line` (1-based) trimmed and cut to 200 bytes, for an issue.
std::string LineText(const std::vector<absl::string_view>& lines, int line);

}  // namespace lectern::schedule_entry

#endif  // LECTERN_INDEXER_SCHEDULE_ENTRY_H_
