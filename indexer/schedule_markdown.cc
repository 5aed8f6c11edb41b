// Markdown schedules; see schedule.h for the format.
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "indexer/mojibake.h"
#include "indexer/normalize.h"
#include "indexer/schedule.h"
#include "indexer/schedule_text.h"

namespace lectern {
namespace {

using schedule_text::ConsumeMarkdownLink;
using schedule_text::HasMarker;
using schedule_text::MarkdownLink;
using schedule_text::StripLeadingMarkers;
using schedule_text::StripTrailingMarkers;

constexpr absl::string_view kPaperIcon = "\xF0\x9F\x92\xA1";  // 💡

std::optional<int> MonthNumber(absl::string_view word) {
  static constexpr absl::string_view kMonths[] = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  const std::string lower = absl::AsciiStrToLower(word);
  if (lower.size() < 3) return std::nullopt;
  for (int i = 0; i < 12; ++i) {
    // Full names and abbreviations of three or more letters ("Sep", "Sept").
    if (absl::StartsWith(kMonths[i], lower)) return i + 1;
  }
  return std::nullopt;
}

struct HeadingDate {
  int month = 0;
  int day = 0;
  int year = 0;  // 0 when the heading gives none
};

// "September 03", "Sep 3", "January 7, 2025" or "2024-09-03".
std::optional<HeadingDate> ParseHeadingDate(absl::string_view text) {
  HeadingDate date;
  const std::string cleaned = CleanText(text);
  absl::CivilDay iso;
  if (absl::ParseCivilTime(cleaned, &iso)) {
    date.year = static_cast<int>(iso.year());
    date.month = iso.month();
    date.day = iso.day();
    return date;
  }
  std::vector<absl::string_view> words =
      absl::StrSplit(cleaned, absl::ByAnyChar(" ,."), absl::SkipEmpty());
  if (words.size() != 2 && words.size() != 3) return std::nullopt;
  const auto month = MonthNumber(words[0]);
  if (!month || !absl::SimpleAtoi(words[1], &date.day) || words[1].size() > 2) {
    return std::nullopt;
  }
  date.month = *month;
  if (words.size() == 3) {
    if (words[2].size() != 4 || !absl::SimpleAtoi(words[2], &date.year)) {
      return std::nullopt;
    }
  }
  return date;
}

enum class Section { kPreamble, kRules, kSchedule, kOther };

Section SectionFor(absl::string_view heading) {
  const std::string lower = absl::AsciiStrToLower(heading);
  // "Speicific Requirements" in the wild: match the word that matters.
  if (absl::StrContains(lower, "requirement") ||
      absl::StrContains(lower, "rule")) {
    return Section::kRules;
  }
  if (absl::StrContains(lower, "schedule")) return Section::kSchedule;
  return Section::kOther;
}

// True when `text` is only Markdown links separated by commas or spaces.
bool ReadLinks(absl::string_view text, std::vector<MarkdownLink>* links) {
  links->clear();
  absl::string_view rest = absl::StripAsciiWhitespace(text);
  while (!rest.empty()) {
    MarkdownLink link;
    if (!ConsumeMarkdownLink(&rest, &link)) return false;
    links->push_back(std::move(link));
    rest = absl::StripLeadingAsciiWhitespace(rest);
    if (absl::ConsumePrefix(&rest, ",")) {
      rest = absl::StripLeadingAsciiWhitespace(rest);
    }
  }
  return !links->empty();
}

class MarkdownParser {
 public:
  explicit MarkdownParser(const ScheduleParseOptions& options)
      : options_(options) {}

  ParsedSchedule Parse(absl::string_view raw_text) {
    const MojibakeRepair repair = RepairMojibake(raw_text);
    std::vector<absl::string_view> lines = absl::StrSplit(repair.text, '\n');
    // A file with a "## Schedule" section keeps its dates there; other
    // sections may then hold any prose.
    bool has_schedule_section = false;
    for (absl::string_view line : lines) {
      if (absl::StartsWith(line, "## ") &&
          SectionFor(line.substr(3)) == Section::kSchedule) {
        has_schedule_section = true;
      }
    }
    std::vector<std::string> rules;
    Section section = Section::kPreamble;
    for (size_t i = 0; i < lines.size(); ++i) {
      line_number_ = static_cast<int>(i) + 1;
      line_ = absl::StripTrailingAsciiWhitespace(lines[i]);
      absl::string_view line = line_;
      if (absl::ConsumePrefix(&line, "### ")) {
        if (section == Section::kSchedule || !has_schedule_section) {
          StartSession(line);
          continue;
        }
      } else if (absl::ConsumePrefix(&line, "## ")) {
        FinishSession();
        section = SectionFor(line);
        continue;
      } else if (absl::ConsumePrefix(&line, "# ")) {
        FinishSession();
        ReadTitle(line);
        continue;
      }
      if (section == Section::kRules) {
        absl::string_view rule = absl::StripAsciiWhitespace(line_);
        absl::ConsumePrefix(&rule, "- ") || absl::ConsumePrefix(&rule, "* ");
        if (!rule.empty()) rules.push_back(CleanText(rule));
        continue;
      }
      if (in_session_) ReadSessionLine();
    }
    FinishSession();
    if (result_.start_year == 0 && !result_.sessions.empty()) {
      Issue(0, "",
            "no year for the dates: add semester_start_year to the "
            "group's config or a '# 2024 Fall' title");
      result_.sessions.clear();
    }
    schedule_text::FinishSessions(options_.group_id, &result_.sessions);
    result_.rules_text = absl::StrJoin(rules, "\n");
    return std::move(result_);
  }

 private:
  void Issue(int line, absl::string_view text, absl::string_view message) {
    result_.issues.push_back(ParseIssue{
        options_.file_label, line, std::string(message), std::string(text)});
  }
  void IssueHere(absl::string_view message) {
    Issue(line_number_, line_, message);
    session_ok_ = false;
  }

  void ReadTitle(absl::string_view title) {
    result_.title = CleanText(title);
    int title_year = 0;
    for (absl::string_view word :
         absl::StrSplit(result_.title, ' ', absl::SkipEmpty())) {
      int value = 0;
      if (word.size() == 4 && absl::SimpleAtoi(word, &value))
        title_year = value;
    }
    if (options_.start_year != 0 && title_year != 0 &&
        title_year != options_.start_year) {
      Issue(line_number_, line_,
            absl::StrCat("the title says ", title_year,
                         " but the config's semester_start_year is ",
                         options_.start_year, "; using ", options_.start_year));
    }
    if (result_.start_year == 0) {
      result_.start_year =
          options_.start_year ? options_.start_year : title_year;
    }
  }

  void StartSession(absl::string_view heading) {
    FinishSession();
    if (result_.start_year == 0) result_.start_year = options_.start_year;
    if (!calendar_) calendar_.emplace(result_.start_year);
    std::vector<std::string> markers;
    absl::string_view date_text = StripLeadingMarkers(heading, &markers);
    date_text = StripTrailingMarkers(date_text, &markers);
    const auto date = ParseHeadingDate(date_text);
    if (!date) {
      Issue(line_number_, line_,
            "expected a date heading like '### September 03'");
      return;
    }
    if (date->year != 0) calendar_->SetYear(date->year);
    const auto day = calendar_->Resolve(date->month, date->day);
    if (!day.ok()) {
      Issue(line_number_, line_, day.status().message());
      return;
    }
    in_session_ = true;
    session_ok_ = true;
    seen_entry_ = seen_presenters_ = seen_links_ = false;
    session_ = v1::Session();
    session_.set_date(absl::FormatCivilTime(*day));
    session_.set_kind(v1::SESSION_KIND_OPEN);
    for (std::string& marker : markers) session_.add_markers(std::move(marker));
    session_.mutable_source()->set_file(options_.file_label);
    session_.mutable_source()->set_line(line_number_);
  }

  void FinishSession() {
    if (in_session_ && session_ok_) result_.sessions.push_back(session_);
    in_session_ = false;
  }

  void ReadSessionLine() {
    absl::string_view line = absl::StripAsciiWhitespace(line_);
    if (line.empty()) return;
    if (!absl::ConsumePrefix(&line, "- ") &&
        !absl::ConsumePrefix(&line, "* ") && line != "-") {
      IssueHere(
          "expected a '- ' bullet (paper, presenters or links) "
          "under the date heading");
      return;
    }
    if (line == "-") line = "";
    std::vector<std::string> icons;
    const absl::string_view content = StripLeadingMarkers(line, &icons);
    std::vector<MarkdownLink> links;
    if (HasMarker(icons, kPaperIcon) ||
        (!seen_entry_ && !seen_presenters_ &&
         (absl::StartsWith(content, "[") || absl::StartsWith(content, "*")) &&
         !ReadLinks(content, &links))) {
      if (seen_entry_) return IssueHere("a second paper line for this date");
      seen_entry_ = true;
      return ReadEntry(content);
    }
    if (ReadLinks(content, &links)) {
      if (seen_links_) return IssueHere("a second links line for this date");
      seen_links_ = true;
      return ReadLinkLine(links);
    }
    if (seen_presenters_) {
      return IssueHere(
          "unexpected line: this date already has its paper, "
          "presenters and links");
    }
    seen_presenters_ = true;
    schedule_text::PresenterList list = schedule_text::ParsePresenters(content);
    for (const std::string& problem : list.problems) {
      IssueHere(absl::StrCat("presenters: ", problem));
    }
    for (v1::Presenter& presenter : list.presenters) {
      *session_.add_presenters() = std::move(presenter);
    }
  }

  // "[VENUE'YY] [Title](url)", "[Title](url)", "*Talk title*" or nothing.
  void ReadEntry(absl::string_view content) {
    std::vector<std::string> markers;
    content = StripTrailingMarkers(content, &markers);
    if (content.empty()) return;  // an open slot
    absl::string_view rest = content;
    MarkdownLink link;
    if (ConsumeMarkdownLink(&rest, &link)) {
      // A link with no venue before it.
      if (!absl::StripAsciiWhitespace(rest).empty()) {
        return IssueHere("unexpected text after the paper link");
      }
      session_.set_kind(v1::SESSION_KIND_PAPER);
      SetPaper(link, schedule_text::VenueYear{}, "", &markers);
      return;
    }
    if (absl::StartsWith(content, "[")) {
      const size_t close = content.find(']');
      if (close == absl::string_view::npos) {
        return IssueHere("expected '[VENUE'YY] [Title](url)'");
      }
      const absl::string_view venue_token = content.substr(1, close - 1);
      schedule_text::VenueYear venue;
      if (!schedule_text::ParseVenueYear(venue_token, &venue)) {
        return IssueHere(
            absl::StrCat("expected a venue and year like "
                         "[OSDI'24], got [",
                         venue_token, "]"));
      }
      rest = absl::StripLeadingAsciiWhitespace(content.substr(close + 1));
      if (!ConsumeMarkdownLink(&rest, &link) ||
          !absl::StripAsciiWhitespace(rest).empty()) {
        return IssueHere("expected the paper as [Title](url) after the venue");
      }
      session_.set_kind(v1::SESSION_KIND_PAPER);
      SetPaper(link, venue, venue_token, &markers);
      return;
    }
    // A talk: the title in emphasis, "*Title*" or "**Title**".
    absl::string_view talk = content;
    if (!absl::StartsWith(talk, "*") && !absl::StartsWith(talk, "_")) {
      return IssueHere(
          "expected '[VENUE'YY] [Title](url)', a talk as "
          "'*Title*', or nothing for an open slot");
    }
    while (!talk.empty() && (talk.front() == '*' || talk.front() == '_')) {
      talk.remove_prefix(1);
    }
    while (!talk.empty() && (talk.back() == '*' || talk.back() == '_')) {
      talk.remove_suffix(1);
    }
    const std::string title = CleanText(talk);
    if (title.empty()) return IssueHere("empty talk title");
    session_.set_kind(v1::SESSION_KIND_TALK);
    session_.set_title(title);
    for (std::string& marker : markers) session_.add_markers(std::move(marker));
  }

  void SetPaper(const MarkdownLink& link, const schedule_text::VenueYear& venue,
                absl::string_view venue_token,
                std::vector<std::string>* markers) {
    absl::string_view title = StripLeadingMarkers(link.label, markers);
    title = StripTrailingMarkers(title, markers);
    if (title.empty()) return IssueHere("empty paper title");
    schedule_text::FillPaper(title, venue, venue_token, link.url,
                             session_.mutable_paper());
    session_.set_title(session_.paper().title());
    for (std::string& marker : *markers)
      session_.add_markers(std::move(marker));
  }

  void ReadLinkLine(const std::vector<MarkdownLink>& links) {
    for (const MarkdownLink& link : links) {
      const std::string label = absl::AsciiStrToLower(link.label);
      v1::SessionLinks* out = session_.mutable_links();
      if (absl::StrContains(label, "slide")) {
        out->set_slides(link.url);
      } else if (absl::StrContains(label, "summary") ||
                 absl::StrContains(label, "q&a")) {
        out->set_qa_summary(link.url);
      } else if (absl::StrContains(label, "video") ||
                 absl::StrContains(label, "playback")) {
        out->set_video(link.url);
      } else {
        IssueHere(absl::StrCat("unknown link '", link.label,
                               "': expected slides, Q&A summary or video"));
      }
    }
  }

  const ScheduleParseOptions& options_;
  ParsedSchedule result_;
  std::optional<schedule_text::SemesterCalendar> calendar_;
  int line_number_ = 0;
  absl::string_view line_;
  bool in_session_ = false;
  bool session_ok_ = false;
  bool seen_entry_ = false;
  bool seen_presenters_ = false;
  bool seen_links_ = false;
  v1::Session session_;
};

}  // namespace

ParsedSchedule ParseMarkdownSchedule(absl::string_view text,
                                     const ScheduleParseOptions& options) {
  return MarkdownParser(options).Parse(text);
}

}  // namespace lectern
