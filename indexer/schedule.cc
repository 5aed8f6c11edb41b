#include "indexer/schedule.h"

#include "absl/strings/str_cat.h"

namespace lectern {

ParsedSchedule ParseSchedule(v1::ScheduleFormat format, absl::string_view text,
                             const ScheduleParseOptions& options) {
  switch (format) {
    case v1::SCHEDULE_FORMAT_MARKDOWN:
      return ParseMarkdownSchedule(text, options);
    case v1::SCHEDULE_FORMAT_NUMBERED_LIST:
      return ParseNumberedListSchedule(text, options);
    default: {
      ParsedSchedule result;
      result.issues.push_back(
          ParseIssue{options.file_label, 0, "unknown schedule format", ""});
      return result;
    }
  }
}

std::string ParseIssue::ToString() const {
  std::string out = absl::StrCat(file, ":", line, ": ", message);
  if (!text.empty()) absl::StrAppend(&out, "\n    | ", text);
  return out;
}

}  // namespace lectern
