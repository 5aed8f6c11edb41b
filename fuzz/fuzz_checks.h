// Properties the fuzz targets check on every parser's output, beyond "does
// not crash": proto strings are valid UTF-8 (protobuf refuses to parse them
// back otherwise), issues cite the file they were given and a line inside
// it, sessions carry a real date and an id of their group. A violation
// prints what was wrong and aborts, which libFuzzer reports as a crash with
// the input saved. Header-only; used by fuzz/*_fuzzer.cc only.
#ifndef LECTERN_FUZZ_FUZZ_CHECKS_H_
#define LECTERN_FUZZ_FUZZ_CHECKS_H_

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "indexer/schedule.h"
#include "indexer/utf8.h"

namespace lectern::fuzz {

// Prints `what` and `detail` and aborts.
[[noreturn]] inline void Fail(absl::string_view what,
                              absl::string_view detail) {
  std::fprintf(stderr, "\n*** fuzz property violated: %.*s\n%.*s\n",
               static_cast<int>(what.size()), what.data(),
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

#define LECTERN_FUZZ_CHECK(condition, detail)                    \
  do {                                                           \
    if (!(condition)) ::lectern::fuzz::Fail(#condition, detail); \
  } while (0)

// Every string field of `message` and of the messages it holds is valid
// UTF-8; `where` names the message in the report.
inline void CheckUtf8Strings(const google::protobuf::Message& message,
                             absl::string_view where) {
  using google::protobuf::FieldDescriptor;
  const google::protobuf::Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const std::string name = absl::StrCat(where, ".", field->name());
    if (field->type() == FieldDescriptor::TYPE_STRING) {
      const int count =
          field->is_repeated() ? reflection->FieldSize(message, field) : 1;
      for (int i = 0; i < count; ++i) {
        const std::string value =
            field->is_repeated()
                ? reflection->GetRepeatedString(message, field, i)
                : reflection->GetString(message, field);
        LECTERN_FUZZ_CHECK(
            utf8::IsValid(value),
            absl::StrCat(name, " is not valid UTF-8: '", value, "'"));
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
          CheckUtf8Strings(reflection->GetRepeatedMessage(message, field, i),
                           absl::StrCat(name, "[", i, "]"));
        }
      } else {
        CheckUtf8Strings(reflection->GetMessage(message, field), name);
      }
    }
  }
}

// Lines in `text` as the parsers count them: one more than its '\n's.
inline int LineCount(absl::string_view text) {
  return 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

// Each issue cites `label` and a line of `text` (0: the whole file), and
// prints.
inline void CheckIssues(const std::vector<ParseIssue>& issues,
                        absl::string_view label, absl::string_view text) {
  const int lines = LineCount(text);
  for (const ParseIssue& issue : issues) {
    const std::string printed = issue.ToString();
    LECTERN_FUZZ_CHECK(issue.file == label, printed);
    LECTERN_FUZZ_CHECK(
        issue.line >= 0 && issue.line <= lines,
        absl::StrCat(printed, "\n(the input has ", lines, " lines)"));
    LECTERN_FUZZ_CHECK(!issue.message.empty(), printed);
  }
}

// Sessions of a parsed schedule: valid UTF-8, a real YYYY-MM-DD date, an id
// "<group>/<date>/<ordinal>" and a source line inside the file.
inline void CheckSchedule(const ParsedSchedule& parsed,
                          const ScheduleParseOptions& options,
                          absl::string_view text) {
  CheckIssues(parsed.issues, options.file_label, text);
  LECTERN_FUZZ_CHECK(utf8::IsValid(parsed.title), parsed.title);
  LECTERN_FUZZ_CHECK(utf8::IsValid(parsed.rules_text), parsed.rules_text);
  const int lines = LineCount(text);
  for (const v1::Session& session : parsed.sessions) {
    const std::string printed = session.ShortDebugString();
    CheckUtf8Strings(session, "session");
    absl::CivilDay day;
    LECTERN_FUZZ_CHECK(absl::ParseCivilTime(session.date(), &day) &&
                           absl::FormatCivilTime(day) == session.date(),
                       printed);
    LECTERN_FUZZ_CHECK(
        session.id() == absl::StrCat(options.group_id, "/", session.date(), "/",
                                     session.ordinal()),
        printed);
    LECTERN_FUZZ_CHECK(session.ordinal() >= 1, printed);
    LECTERN_FUZZ_CHECK(session.group() == options.group_id, printed);
    LECTERN_FUZZ_CHECK(session.source().file() == options.file_label, printed);
    LECTERN_FUZZ_CHECK(
        session.source().line() >= 1 && session.source().line() <= lines,
        printed);
  }
}

}  // namespace lectern::fuzz

#endif  // LECTERN_FUZZ_FUZZ_CHECKS_H_
