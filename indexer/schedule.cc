#include "indexer/schedule.h"

#include "absl/strings/str_cat.h"

namespace lectern {

ParsedSchedule ParseSchedule(v1::ScheduleFormat format, absl::string_view text,
                             const ScheduleParseOptions& options) {
  if (format == v1::SCHEDULE_FORMAT_UNSPECIFIED) {
    format = DetectScheduleFormat(text);
  }
  switch (format) {
    case v1::SCHEDULE_FORMAT_MARKDOWN:
      return ParseMarkdownSchedule(text, options);
    case v1::SCHEDULE_FORMAT_NUMBERED_LIST:
      return ParseNumberedListSchedule(text, options);
    case v1::SCHEDULE_FORMAT_YAML:
      return ParseYamlSchedule(text, options);
    case v1::SCHEDULE_FORMAT_CSV:
      return ParseCsvSchedule(text, options);
    case v1::SCHEDULE_FORMAT_UNSPECIFIED:
      break;
    default: {
      ParsedSchedule result;
      result.issues.push_back(ParseIssue{
          options.file_label, 0,
          absl::StrCat("unknown schedule format ", static_cast<int>(format)),
          ""});
      return result;
    }
  }
  ParsedSchedule result;
  result.issues.push_back(ParseIssue{
      options.file_label, 0,
      "cannot tell the schedule's format: expected Markdown (\"#\" headings "
      "such as \"### September 03\"), a numbered list (\"N) M.D, Title "
      "(VENUE'YY), "
      "Presenter\"), YAML (a \"sessions:\" list) or CSV (a header row "
      "naming date and title); or set schedule_format in the config",
      ""});
  return result;
}

bool HasErrors(const std::vector<ParseIssue>& issues) {
  for (const ParseIssue& issue : issues) {
    if (!issue.note) return true;
  }
  return false;
}

std::string ParseIssue::ToString() const {
  std::string out =
      absl::StrCat(file, ":", line, ": ", note ? "note: " : "", message);
  if (!text.empty()) absl::StrAppend(&out, "\n    | ", text);
  return out;
}

}  // namespace lectern
