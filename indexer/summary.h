// Q&A summaries: Markdown or text files that name their session by front
// matter or by file name (docs/FORMATS.md).
//
//   ---
//   group: paper-list-2024
//   date: 2024-12-24
//   paper: "DistServe: ..."      # picks one of several sessions that day
//   language: en                 # detected when absent
//   url: https://...             # where it is published
//   ---
//   # Title
//   text...
//
// Without front matter, a file named "YYMMDD-slug.md" names the date.
// Pure functions; thread-safe.
#ifndef LECTERN_INDEXER_SUMMARY_H_
#define LECTERN_INDEXER_SUMMARY_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "indexer/schedule.h"
#include "lectern/v1/lectern.pb.h"

namespace lectern {

struct SummaryFile {
  // id and source.file: `label`; text: the body without front matter;
  // title: its first "# " heading; language: front matter or detected;
  // url, group and date: front matter (date also from the file name).
  v1::Summary summary;
  // Front matter `paper`: a title or catalog id that picks one session
  // when the group has several on the date.
  std::string paper_hint;
  std::vector<ParseIssue> issues;
};

// Reads one summary file. `label` is its path relative to the config (the
// summary's id); `default_group` applies when the front matter names none.
SummaryFile ParseSummaryFile(absl::string_view text, const std::string& label,
                             const std::string& default_group);

// "zh" when at least a fifth of the letters are CJK, else "en".
std::string DetectLanguage(absl::string_view text);

// Links each summary to its session (group if known, date, paper hint) and
// the session's catalog paper, and fills group, date, session_id, paper_id,
// a missing title (the session's) and url (the session's Q&A link).
// A summary that names no session, or several, is an issue and left out.
std::vector<v1::Summary> ResolveSummaries(
    std::vector<SummaryFile> files, const std::vector<v1::Session>& sessions,
    std::vector<ParseIssue>* issues);

}  // namespace lectern

#endif  // LECTERN_INDEXER_SUMMARY_H_
