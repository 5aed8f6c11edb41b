// Numbered-list schedules; see schedule.h for the format.
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "indexer/mojibake.h"
#include "indexer/normalize.h"
#include "indexer/schedule.h"
#include "indexer/schedule_text.h"

namespace lectern {
namespace {

// Reads leading ASCII digits of `*text`, consuming them.
bool ConsumeNumber(absl::string_view* text, int* value) {
  size_t n = 0;
  while (n < text->size() &&
         absl::ascii_isdigit(static_cast<unsigned char>((*text)[n]))) {
    ++n;
  }
  if (n == 0 || n > 4 || !absl::SimpleAtoi(text->substr(0, n), value)) {
    return false;
  }
  text->remove_prefix(n);
  return true;
}

struct ParenGroup {
  size_t open;
  size_t close;
};

// Top-level parenthesized groups of `text` (already CleanText'ed, so
// full-width parentheses are ASCII here).
std::vector<ParenGroup> TopLevelParens(absl::string_view text) {
  std::vector<ParenGroup> groups;
  int depth = 0;
  size_t open = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '(') {
      if (depth++ == 0) open = i;
    } else if (text[i] == ')' && depth > 0) {
      if (--depth == 0) groups.push_back({open, i});
    }
  }
  return groups;
}

}  // namespace

ParsedSchedule ParseNumberedListSchedule(absl::string_view raw_text,
                                         const ScheduleParseOptions& options) {
  ParsedSchedule result;
  const MojibakeRepair repair = RepairMojibake(raw_text);
  std::vector<absl::string_view> lines = absl::StrSplit(repair.text, '\n');
  result.start_year = options.start_year;
  schedule_text::SemesterCalendar calendar(options.start_year);

  for (size_t i = 0; i < lines.size(); ++i) {
    const int line_number = static_cast<int>(i) + 1;
    const absl::string_view line = absl::StripAsciiWhitespace(lines[i]);
    auto issue = [&](absl::string_view message) {
      result.issues.push_back(ParseIssue{options.file_label, line_number,
                                         std::string(message),
                                         std::string(line)});
    };
    absl::string_view rest = line;
    if (absl::StartsWith(rest, "#")) {
      // A line of '#' alone ("###", a separator) names nothing.
      const size_t heading = rest.find_first_not_of('#');
      if (result.title.empty() && heading != absl::string_view::npos) {
        result.title =
            CleanText(absl::StripLeadingAsciiWhitespace(rest.substr(heading)));
      }
      continue;
    }
    // Entries start with "N)" (ASCII or full-width parenthesis); every
    // other line is prose.
    int number = 0;
    const std::string cleaned = CleanText(rest);
    absl::string_view entry = cleaned;
    if (!ConsumeNumber(&entry, &number)) continue;
    entry = absl::StripLeadingAsciiWhitespace(entry);
    if (!absl::ConsumePrefix(&entry, ")")) continue;
    if (options.start_year == 0) {
      issue("no year for the dates: set semester_start_year in the config");
      continue;
    }
    entry = absl::StripLeadingAsciiWhitespace(entry);

    // "M.D," — the date without a year.
    int month = 0;
    int day = 0;
    if (!ConsumeNumber(&entry, &month) || !absl::ConsumePrefix(&entry, ".") ||
        !ConsumeNumber(&entry, &day)) {
      issue(
          "expected 'N) M.D, Title (VENUE'YY), Presenter': no M.D date "
          "after the number");
      continue;
    }
    entry = absl::StripLeadingAsciiWhitespace(entry);
    if (!absl::ConsumePrefix(&entry, ",")) {
      issue("expected ',' after the date");
      continue;
    }
    const auto date = calendar.Resolve(month, day);
    if (!date.ok()) {
      issue(date.status().message());
      continue;
    }

    // The venue is the last parenthesized group that reads as VENUE'YY
    // and is followed by ", Presenter".
    const std::vector<ParenGroup> parens = TopLevelParens(entry);
    schedule_text::VenueYear venue;
    const ParenGroup* venue_group = nullptr;
    for (auto it = parens.rbegin(); it != parens.rend(); ++it) {
      const absl::string_view inside =
          entry.substr(it->open + 1, it->close - it->open - 1);
      if (schedule_text::ParseVenueYear(inside, &venue)) {
        venue_group = &*it;
        break;
      }
    }
    if (venue_group == nullptr) {
      issue(
          "expected the venue in parentheses after the title, like "
          "(OSDI'24)");
      continue;
    }
    const absl::string_view title =
        absl::StripAsciiWhitespace(entry.substr(0, venue_group->open));
    absl::string_view after =
        absl::StripLeadingAsciiWhitespace(entry.substr(venue_group->close + 1));
    if (title.empty()) {
      issue("empty title before the venue");
      continue;
    }
    if (!absl::ConsumePrefix(&after, ",") ||
        absl::StripAsciiWhitespace(after).empty()) {
      issue("expected ', Presenter' after the venue");
      continue;
    }
    schedule_text::PresenterList presenters =
        schedule_text::ParsePresenters(after);
    if (!presenters.problems.empty() || presenters.presenters.empty()) {
      issue(absl::StrCat("presenters: ", presenters.problems.empty()
                                             ? "no name"
                                             : presenters.problems.front()));
      continue;
    }

    v1::Session session;
    session.set_date(absl::FormatCivilTime(*date));
    session.set_kind(v1::SESSION_KIND_PAPER);
    schedule_text::FillPaper(
        title, venue,
        entry.substr(venue_group->open + 1,
                     venue_group->close - venue_group->open - 1),
        "", session.mutable_paper());
    session.set_title(session.paper().title());
    for (v1::Presenter& presenter : presenters.presenters) {
      *session.add_presenters() = std::move(presenter);
    }
    session.mutable_source()->set_file(options.file_label);
    session.mutable_source()->set_line(line_number);
    result.sessions.push_back(std::move(session));
  }
  schedule_text::FinishSessions(options.group_id, &result.sessions);
  return result;
}

}  // namespace lectern
