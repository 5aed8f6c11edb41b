// Parsers for the two schedule formats reading groups write by hand:
//
//   Markdown (SCHEDULE_FORMAT_MARKDOWN), as in data/schedules/002_*.txt:
//     # 2024 Fall
//     ## Specific Requirements       <- the group's rules, one bullet each
//     ## Schedule
//     ### 🔥 December 10              <- a session date (markers kept)
//     - 💡 [SOSP'24] [Title](url)     <- a paper; "*Title*" is a talk;
//                                        nothing at all is an open slot
//     - 🙎‍♂️ A (Andy), B **(*all from* X)**   <- presenters
//     - [📕 slides](..), [📃 Q&A summary](..), [📺 video](..)
//
//   Numbered list (SCHEDULE_FORMAT_NUMBERED_LIST), as in 000_*.txt:
//     N) M.D, Title（VENUE'YY）, Presenter
//
// Both tolerate the mess real files contain (mojibake, full-width
// punctuation, curly quotes, missing spaces, missing years) and report
// every line they cannot read as a ParseIssue while keeping the rest.
// Pure functions; thread-safe.
#ifndef LECTERN_INDEXER_SCHEDULE_H_
#define LECTERN_INDEXER_SCHEDULE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "lectern/v1/config.pb.h"
#include "lectern/v1/lectern.pb.h"
#include "lectern/v1/writer.pb.h"

namespace lectern {

// A line of input that could not be read, or only in part.
struct ParseIssue {
  std::string file;
  int line = 0;  // 1-based; 0 when the problem concerns the whole file
  std::string message;
  std::string text;  // the offending line as written
  // A note loses nothing: the entry was read and something in it ignored
  // (an unknown field, say). Notes do not fail --strict.
  bool note = false;

  // "file:line: message" ("file:line: note: message" for a note) and, when
  // known, the line on a second row.
  std::string ToString() const;
};

// True when `issues` holds something other than notes.
bool HasErrors(const std::vector<ParseIssue>& issues);

struct ScheduleParseOptions {
  // Group the sessions belong to: the first part of every session id.
  std::string group_id;
  // File name that sessions and issues cite.
  std::string file_label;
  // Year of the first session. Required by numbered lists; for Markdown,
  // 0 means "take it from the '# 2024 Fall' title".
  int start_year = 0;
};

struct ParsedSchedule {
  // The schedule's own title ("2024 Fall", "Paper presentation list").
  std::string title;
  // Year the first session falls in.
  int start_year = 0;
  // The requirements section, one rule per line (Markdown only).
  std::string rules_text;
  // In schedule order. Presenter names are as written; see
  // ResolvePresenters() in schedule_loader.h for identities across files.
  std::vector<v1::Session> sessions;
  std::vector<ParseIssue> issues;
};

// `text` is the file's content as read; mojibake is repaired here.
ParsedSchedule ParseMarkdownSchedule(absl::string_view text,
                                     const ScheduleParseOptions& options);

ParsedSchedule ParseNumberedListSchedule(absl::string_view text,
                                         const ScheduleParseOptions& options);

// YAML (or Markdown front matter between "---" lines) holding a
// `sessions:` list, or a top-level list, of maps with the keys date (ISO or
// MM/DD/YYYY), title, presenter or presenters (a string "A, B" or a list),
// authors, venue (e.g. "OSDI'24", or venue and year), year, link or url,
// slides, summary, video. Each session's line is where its list item
// starts. Unknown keys are notes; a session without a date is an issue.
// An entry without a title is an open slot.
ParsedSchedule ParseYamlSchedule(absl::string_view text,
                                 const ScheduleParseOptions& options);

// One session written through the write API, read exactly as the YAML
// entry with the same fields would be: date, title, presenters, venue,
// year, url (as link), slides, qa_summary (as summary), video. Issues cite
// `options.file_label` at line 0. The session is numbered as the only one
// of its date; the caller sets the ordinal it asks for.
ParsedSchedule ParseSessionInput(const v1::SessionInput& input,
                                 const ScheduleParseOptions& options);

// CSV with a header row naming the same fields as YAML (case-insensitive;
// "presenters", "speaker", "paper" and "url" are accepted synonyms).
// Unknown columns are one note; rows are issues as for YAML.
ParsedSchedule ParseCsvSchedule(absl::string_view text,
                                const ScheduleParseOptions& options);

// The format `text` is written in, judged by its content: front matter or a
// `sessions:` key or a leading "- date:" item is YAML; a first line with
// commas naming date and title columns is CSV; "N)" entry lines are a
// numbered list; "#" headings are Markdown. UNSPECIFIED when none fits.
v1::ScheduleFormat DetectScheduleFormat(absl::string_view text);

// Dispatches on `format`, detecting it when unspecified; text that fits no
// format yields one issue.
ParsedSchedule ParseSchedule(v1::ScheduleFormat format, absl::string_view text,
                             const ScheduleParseOptions& options);

}  // namespace lectern

#endif  // LECTERN_INDEXER_SCHEDULE_H_
