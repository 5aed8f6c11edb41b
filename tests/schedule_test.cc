#include "indexer/schedule.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "indexer/normalize.h"
#include "indexer/schedule_text.h"
#include "lectern/v1/lectern.pb.h"
#include "tests/testing/schedule_matchers.h"
#include "tests/testing/status_matchers.h"

namespace lectern {
namespace {

using ::lectern::testing::Dates;
using ::lectern::testing::Issues;
using ::lectern::testing::PresenterIs;

using ::lectern::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Matcher;
using ::testing::Not;
using ::testing::SizeIs;

constexpr char kMarkdownLabel[] = "schedules/fall.md";
constexpr char kListLabel[] = "schedules/list.txt";

// The presenters icon "🙎‍♂️": person, zero-width joiner, male sign and
// variation selector 16, written out because two of them are invisible.
constexpr char kPersonIcon[] =
    "\xF0\x9F\x99\x8E\xE2\x80\x8D\xE2\x99\x82\xEF\xB8\x8F";
// The same icon as the seed file stores it: mojibake that lost the bytes
// Windows-1254 does not define (see mojibake_test.cc).
constexpr char kPersonIconMojibake[] =
    "\xC4\x9F\xC5\xB8\xE2\x84\xA2\xC3\xA2\xE2\x82\xAC\xC3\xA2\xE2\x84\xA2"
    "\xE2\x80\x9A\xC3\xAF\xC2\xB8";

// Inline schedules write "{person}" for the presenters icon.
ParsedSchedule ParseMarkdown(absl::string_view text, int start_year = 0) {
  ScheduleParseOptions options;
  options.group_id = "fall-2024";
  options.file_label = kMarkdownLabel;
  options.start_year = start_year;
  return ParseMarkdownSchedule(
      absl::StrReplaceAll(text, {{"{person}", kPersonIcon},
                                 {"{person-mojibake}", kPersonIconMojibake}}),
      options);
}

ParsedSchedule ParseList(absl::string_view text, int start_year = 2024) {
  ScheduleParseOptions options;
  options.group_id = "paper-list-2024";
  options.file_label = kListLabel;
  options.start_year = start_year;
  return ParseNumberedListSchedule(text, options);
}

std::vector<std::string> Titles(const ParsedSchedule& parsed) {
  std::vector<std::string> titles;
  for (const v1::Session& session : parsed.sessions) {
    titles.push_back(session.title());
  }
  return titles;
}

template <typename MessageMatcher>
Matcher<const ParseIssue&> IssueIs(const std::string& file, int line,
                                   const std::string& text,
                                   MessageMatcher message) {
  return AllOf(Field("file", &ParseIssue::file, file),
               Field("line", &ParseIssue::line, line),
               Field("text", &ParseIssue::text, text),
               Field("message", &ParseIssue::message, message));
}

// ------------------------------------------------------ ParseIssue::ToString

TEST(ParseIssueTest, ToStringCitesFileLineAndText) {
  const ParseIssue issue{"schedules/fall.md", 12,
                         "expected a date heading like '### September 03'",
                         "### Sometime soon"};
  const std::string text = issue.ToString();
  const size_t newline = text.find('\n');
  ASSERT_NE(newline, std::string::npos) << text;
  EXPECT_EQ(text.substr(0, newline),
            "schedules/fall.md:12: expected a date heading like "
            "'### September 03'");
  EXPECT_THAT(text.substr(newline + 1), HasSubstr("### Sometime soon"));
  EXPECT_EQ(text.find('\n', newline + 1), std::string::npos) << text;
}

TEST(ParseIssueTest, ToStringWithoutTextIsOneRow) {
  const ParseIssue issue{"schedules/fall.md", 0, "no year for the dates", ""};
  EXPECT_EQ(issue.ToString(), "schedules/fall.md:0: no year for the dates");
}

// ------------------------------------------------------------ ParseSchedule

TEST(ParseScheduleTest, DispatchesOnFormat) {
  ScheduleParseOptions options;
  options.group_id = "g";
  options.file_label = "f";
  options.start_year = 2024;
  const ParsedSchedule markdown =
      ParseSchedule(v1::SCHEDULE_FORMAT_MARKDOWN,
                    "## Schedule\n### September 03\n- *A talk*\n", options);
  EXPECT_THAT(markdown.issues, IsEmpty()) << Issues(markdown);
  ASSERT_THAT(markdown.sessions, SizeIs(1));
  EXPECT_EQ(markdown.sessions[0].kind(), v1::SESSION_KIND_TALK);

  const ParsedSchedule list =
      ParseSchedule(v1::SCHEDULE_FORMAT_NUMBERED_LIST,
                    "1) 9.17, A Paper (OSDI'24), Fei Xu\n", options);
  EXPECT_THAT(list.issues, IsEmpty()) << Issues(list);
  ASSERT_THAT(list.sessions, SizeIs(1));
  EXPECT_EQ(list.sessions[0].kind(), v1::SESSION_KIND_PAPER);
}

TEST(ParseScheduleTest, UndetectableFormatIsOneIssue) {
  ScheduleParseOptions options;
  options.group_id = "g";
  options.file_label = "schedules/x.txt";
  options.start_year = 2024;
  const ParsedSchedule parsed = ParseSchedule(
      v1::SCHEDULE_FORMAT_UNSPECIFIED, "We meet on Tuesdays.\n", options);
  EXPECT_THAT(parsed.sessions, IsEmpty());
  ASSERT_THAT(parsed.issues, SizeIs(1));
  EXPECT_EQ(parsed.issues[0].file, "schedules/x.txt");
  EXPECT_EQ(parsed.issues[0].line, 0);
  EXPECT_THAT(parsed.issues[0].message, HasSubstr("format"));
}

// ----------------------------------------------------------------- Markdown

constexpr char kPitSession[] = R"md(# 2024 Fall

## Schedule

### September 10

- 💡 [SOSP'23] [PIT: Optimization of Dynamic Sparse Deep Learning Models via Permutation Invariant Transformation](https://dl.acm.org/doi/abs/10.1145/3600006.3613139)
- {person} Jiaan Zhu (Andy), Qinghe Wang, Long Zhao
- [📕 slides](./slides/240910-pit.pdf), [📃 Q&A summary](https://zhuanlan.zhihu.com/p/720960564), [📺 video](https://www.bilibili.com/video/BV14b4peiEus)
)md";

TEST(MarkdownScheduleTest, TakesYearFromTitle) {
  const ParsedSchedule parsed = ParseMarkdown(kPitSession, /*start_year=*/0);
  EXPECT_THAT(parsed.issues, IsEmpty()) << Issues(parsed);
  EXPECT_EQ(parsed.title, "2024 Fall");
  EXPECT_EQ(parsed.start_year, 2024);
  EXPECT_THAT(Dates(parsed), ElementsAre("2024-09-10"));
}

TEST(MarkdownScheduleTest, ConfigYearThatAgreesWithTitleIsNoIssue) {
  const ParsedSchedule parsed = ParseMarkdown(kPitSession, 2024);
  EXPECT_THAT(parsed.issues, IsEmpty()) << Issues(parsed);
  EXPECT_EQ(parsed.start_year, 2024);
  EXPECT_THAT(Dates(parsed), ElementsAre("2024-09-10"));
}

TEST(MarkdownScheduleTest, ReadsAPaperSession) {
  const ParsedSchedule parsed = ParseMarkdown(kPitSession);
  EXPECT_THAT(parsed.issues, IsEmpty()) << Issues(parsed);
  ASSERT_THAT(parsed.sessions, SizeIs(1));
  const v1::Session& session = parsed.sessions[0];
  EXPECT_EQ(session.id(), "fall-2024/2024-09-10/1");
  EXPECT_EQ(session.group(), "fall-2024");
  EXPECT_EQ(session.date(), "2024-09-10");
  EXPECT_EQ(session.ordinal(), 1);
  EXPECT_EQ(session.kind(), v1::SESSION_KIND_PAPER);
  const std::string title =
      "PIT: Optimization of Dynamic Sparse Deep Learning Models via "
      "Permutation Invariant Transformation";
  EXPECT_EQ(session.title(), title);
  EXPECT_EQ(session.paper().title(), title);
  EXPECT_EQ(session.paper().title_key(), TitleKey(title));
  EXPECT_EQ(session.paper().venue(), "SOSP");
  EXPECT_EQ(session.paper().year(), 2023);
  EXPECT_EQ(session.paper().venue_written(), "SOSP'23");
  EXPECT_EQ(session.paper().venue_note(), "");
  EXPECT_EQ(session.paper().url(),
            "https://dl.acm.org/doi/abs/10.1145/3600006.3613139");
  EXPECT_EQ(session.paper().doi(), "10.1145/3600006.3613139");
  EXPECT_EQ(session.source().file(), kMarkdownLabel);
  EXPECT_EQ(session.source().line(), 5);  // the date heading
  // The 💡 of the paper line is the line's kind, not a session marker.
  EXPECT_THAT(session.markers(), IsEmpty());
}

TEST(MarkdownScheduleTest, ReadsPresentersWithNickname) {
  const ParsedSchedule parsed = ParseMarkdown(kPitSession);
  ASSERT_THAT(parsed.sessions, SizeIs(1)) << Issues(parsed);
  EXPECT_THAT(parsed.sessions[0].presenters(),
              ElementsAre(PresenterIs("Jiaan Zhu", "", "Andy"),
                          PresenterIs("Qinghe Wang", "", ""),
                          PresenterIs("Long Zhao", "", "")));
}

TEST(MarkdownScheduleTest, ReadsLinks) {
  const ParsedSchedule parsed = ParseMarkdown(kPitSession);
  ASSERT_THAT(parsed.sessions, SizeIs(1)) << Issues(parsed);
  const v1::SessionLinks& links = parsed.sessions[0].links();
  EXPECT_EQ(links.slides(), "./slides/240910-pit.pdf");
  EXPECT_EQ(links.qa_summary(), "https://zhuanlan.zhihu.com/p/720960564");
  EXPECT_EQ(links.video(), "https://www.bilibili.com/video/BV14b4peiEus");
}

TEST(MarkdownScheduleTest, ReadsRulesUnderMisspelledHeading) {
  const ParsedSchedule parsed = ParseMarkdown(R"md(# 2024 Fall

## Speicific Requirements

- We focus on papers published on SOSP and OSDI within 2 years .
- We adopt a "1+N" presentation format:  one person presents.

## Other Information

The playback video will be uploaded to <a href="https://space.bilibili.com/1">bilibili</a>.

### Contact

Write to us.

## Schedule

### September 03

- 💡 *A talk*
)md");
  EXPECT_THAT(parsed.issues, IsEmpty()) << Issues(parsed);
  EXPECT_EQ(parsed.rules_text,
            "We focus on papers published on SOSP and OSDI within 2 years .\n"
            "We adopt a \"1+N\" presentation format: one person presents.");
  // "### Contact" outside the schedule section is no session.
  EXPECT_THAT(Dates(parsed), ElementsAre("2024-09-03"));
}

TEST(MarkdownScheduleTest, KeepsMarkerEmojiOfDateHeadings) {
  const ParsedSchedule parsed = ParseMarkdown(R"md(# 2024 Fall
## Schedule
### 🔥 December 10
- 💡 *A talk*
### December 17 🔥
### December 24
)md");
  EXPECT_THAT(parsed.issues, IsEmpty()) << Issues(parsed);
  ASSERT_THAT(parsed.sessions, SizeIs(3));
  EXPECT_EQ(parsed.sessions[0].date(), "2024-12-10");
  EXPECT_THAT(parsed.sessions[0].markers(), ElementsAre("🔥"));
  EXPECT_EQ(parsed.sessions[1].date(), "2024-12-17");
  EXPECT_THAT(parsed.sessions[1].markers(), ElementsAre("🔥"));
  EXPECT_THAT(parsed.sessions[2].markers(), IsEmpty());
}

TEST(MarkdownScheduleTest, ReadsHeadingDateForms) {
  const ParsedSchedule parsed = ParseMarkdown(R"md(# 2024 Fall
## Schedule
### Sep 3
### Sept 10
### 2024-10-08
### October 15, 2024
)md");
  EXPECT_THAT(parsed.issues, IsEmpty()) << Issues(parsed);
  EXPECT_THAT(Dates(parsed), ElementsAre("2024-09-03", "2024-09-10",
                                         "2024-10-08", "2024-10-15"));
}

TEST(MarkdownScheduleTest, RollsOverIntoJanuary) {
  const ParsedSchedule parsed = ParseMarkdown(R"md(# 2024 Fall
## Schedule
### December 24
### December 31
### January 7
### January 14
)md");
  EXPECT_THAT(parsed.issues, IsEmpty()) << Issues(parsed);
  EXPECT_EQ(parsed.start_year, 2024);
  EXPECT_THAT(Dates(parsed), ElementsAre("2024-12-24", "2024-12-31",
                                         "2025-01-07", "2025-01-14"));
}

// A heading that names its year sets the year of that date and the ones
// after it: "January 7, 2025" after "December 31" is 2025-01-07.
TEST(MarkdownScheduleTest, ExplicitYearAfterDecemberIsThatYear) {
  const ParsedSchedule parsed = ParseMarkdown(R"md(# 2024 Fall
## Schedule
### December 31
### January 7, 2025
### January 14
)md");
  EXPECT_THAT(parsed.issues, IsEmpty()) << Issues(parsed);
  EXPECT_THAT(Dates(parsed),
              ElementsAre("2024-12-31", "2025-01-07", "2025-01-14"));
}

TEST(MarkdownScheduleTest, ReadsATalk) {
  const ParsedSchedule parsed = ParseMarkdown(R"md(# 2024 Fall
## Schedule
### October 08
- 💡 *How (and How Not) to Write a Good Systems Paper*
- {person} **Xiaosong Ma (*MBZUAI*), Kang Chen (*THU*), Cheng Li (*USTC*)**
- [📕 slides](./slides/241008-Systems%20and%20Papers%20(slides).pdf)
)md");
  EXPECT_THAT(parsed.issues, IsEmpty()) << Issues(parsed);
  ASSERT_THAT(parsed.sessions, SizeIs(1));
  const v1::Session& session = parsed.sessions[0];
  EXPECT_EQ(session.kind(), v1::SESSION_KIND_TALK);
  EXPECT_EQ(session.title(), "How (and How Not) to Write a Good Systems Paper");
  EXPECT_FALSE(session.has_paper());
  // Italic affiliations inside a bold line.
  EXPECT_THAT(session.presenters(),
              ElementsAre(PresenterIs("Xiaosong Ma", "MBZUAI", ""),
                          PresenterIs("Kang Chen", "THU", ""),
                          PresenterIs("Cheng Li", "USTC", "")));
  // The URL holds parentheses of its own.
  EXPECT_EQ(session.links().slides(),
            "./slides/241008-Systems%20and%20Papers%20(slides).pdf");
  EXPECT_EQ(session.links().qa_summary(), "");
  EXPECT_EQ(session.links().video(), "");
}

TEST(MarkdownScheduleTest, ReadsOpenSlots) {
  const ParsedSchedule parsed = ParseMarkdown(R"md(# 2024 Fall
## Schedule
### December 24

- 💡 
- {person} Yinhe Chen

### December 31


### January 7
- 💡
)md");
  EXPECT_THAT(parsed.issues, IsEmpty()) << Issues(parsed);
  ASSERT_THAT(parsed.sessions, SizeIs(3));
  for (const v1::Session& session : parsed.sessions) {
    EXPECT_EQ(session.kind(), v1::SESSION_KIND_OPEN) << session.date();
    EXPECT_EQ(session.title(), "") << session.date();
    EXPECT_FALSE(session.has_paper()) << session.date();
  }
  EXPECT_THAT(parsed.sessions[0].presenters(),
              ElementsAre(PresenterIs("Yinhe Chen", "", "")));
  EXPECT_THAT(parsed.sessions[1].presenters(), IsEmpty());
  EXPECT_EQ(parsed.sessions[2].date(), "2025-01-07");
}

TEST(MarkdownScheduleTest, ReadsBoldAffiliationWithComma) {
  const ParsedSchedule parsed = ParseMarkdown(R"md(# 2024 Fall
## Schedule
### October 29
- 💡 [OSDI'24] [ServerlessLLM: Low-Latency Serverless Inference for Large Language Models](https://www.usenix.org/system/files/osdi24-fu.pdf)
- {person} Mingxuan Liu **(NPU, Northwestern Polytechnical University)**
)md");
  EXPECT_THAT(parsed.issues, IsEmpty()) << Issues(parsed);
  ASSERT_THAT(parsed.sessions, SizeIs(1));
  EXPECT_THAT(
      parsed.sessions[0].presenters(),
      ElementsAre(PresenterIs(
          "Mingxuan Liu", "NPU, Northwestern Polytechnical University", "")));
  EXPECT_EQ(parsed.sessions[0].paper().doi(), "");
}

TEST(MarkdownScheduleTest, AppliesSharedAffiliation) {
  const ParsedSchedule parsed = ParseMarkdown(R"md(# 2024 Fall
## Schedule
### November 05
- 💡 [SOSP'24] [ReCycle: Resilient Training of Large DNNs using Pipeline Adaptation](https://dl.acm.org/doi/10.1145/3694715.3695960)
- {person} Wenhao Huang, Yichi Chen, Yanjie Wang **(*all from* TJU, Tianjin University)**
)md");
  EXPECT_THAT(parsed.issues, IsEmpty()) << Issues(parsed);
  ASSERT_THAT(parsed.sessions, SizeIs(1));
  EXPECT_THAT(
      parsed.sessions[0].presenters(),
      ElementsAre(PresenterIs("Wenhao Huang", "TJU, Tianjin University", ""),
                  PresenterIs("Yichi Chen", "TJU, Tianjin University", ""),
                  PresenterIs("Yanjie Wang", "TJU, Tianjin University", "")));
}

TEST(MarkdownScheduleTest, LinksLineIsOptional) {
  const ParsedSchedule parsed = ParseMarkdown(R"md(# 2024 Fall
## Schedule
### December 17
- 💡 [OSDI'24] [Motor: Enabling Multi-Versioning for Distributed Transactions on Disaggregated Memory](https://www.usenix.org/system/files/osdi24-zhang-ming.pdf)
- {person} Sen Han
### December 24
- 💡 [Untitled Venue Paper](https://example.org/p.pdf)
)md");
  EXPECT_THAT(parsed.issues, IsEmpty()) << Issues(parsed);
  ASSERT_THAT(parsed.sessions, SizeIs(2));
  const v1::Session& motor = parsed.sessions[0];
  EXPECT_EQ(motor.kind(), v1::SESSION_KIND_PAPER);
  EXPECT_EQ(motor.title(),
            "Motor: Enabling Multi-Versioning for Distributed Transactions on "
            "Disaggregated Memory");
  EXPECT_THAT(motor.presenters(), ElementsAre(PresenterIs("Sen Han", "", "")));
  EXPECT_EQ(motor.links().slides(), "");
  EXPECT_EQ(motor.links().qa_summary(), "");
  EXPECT_EQ(motor.links().video(), "");
  // A paper link with no venue before it.
  EXPECT_EQ(parsed.sessions[1].kind(), v1::SESSION_KIND_PAPER);
  EXPECT_EQ(parsed.sessions[1].title(), "Untitled Venue Paper");
  EXPECT_EQ(parsed.sessions[1].paper().url(), "https://example.org/p.pdf");
  EXPECT_EQ(parsed.sessions[1].paper().venue(), "");
  EXPECT_EQ(parsed.sessions[1].paper().year(), 0);
}

TEST(MarkdownScheduleTest, RepairsMojibakeAsWritten) {
  const ParsedSchedule parsed = ParseMarkdown(R"md(# 2024 Fall
## Schedule
### September 24
- ğŸ’¡ [OSDI'24] [Î¼Slope: High Compression and Fast Search on Semi-Structured Logs](https://www.usenix.org/system/files/osdi24-wang-rui.pdf)
- {person-mojibake} Yuming Xu, Hengyu Liang
- [ğŸ“• slides](./slides/240924-uslope.pdf)
)md");
  EXPECT_THAT(parsed.issues, IsEmpty()) << Issues(parsed);
  ASSERT_THAT(parsed.sessions, SizeIs(1));
  const v1::Session& session = parsed.sessions[0];
  EXPECT_EQ(session.kind(), v1::SESSION_KIND_PAPER);
  EXPECT_EQ(session.title(),
            "\xCE\xBC"
            "Slope: High Compression and Fast Search on Semi-Structured Logs");
  EXPECT_THAT(session.presenters(),
              ElementsAre(PresenterIs("Yuming Xu", "", ""),
                          PresenterIs("Hengyu Liang", "", "")));
  EXPECT_EQ(session.links().slides(), "./slides/240924-uslope.pdf");
}

TEST(MarkdownScheduleTest, ReportsTitleYearThatDisagreesWithConfig) {
  const ParsedSchedule parsed = ParseMarkdown(R"md(# 2024 Fall
## Schedule
### September 03
- 💡 *A talk*
)md",
                                              /*start_year=*/2023);
  EXPECT_THAT(parsed.issues,
              ElementsAre(IssueIs(kMarkdownLabel, 1, "# 2024 Fall",
                                  AllOf(HasSubstr("2024"), HasSubstr("2023"),
                                        HasSubstr("semester_start_year")))))
      << Issues(parsed);
  // The config wins.
  EXPECT_EQ(parsed.start_year, 2023);
  EXPECT_THAT(Dates(parsed), ElementsAre("2023-09-03"));
}

TEST(MarkdownScheduleTest, ReportsMissingYear) {
  const ParsedSchedule parsed = ParseMarkdown(R"md(# Fall Semester
## Schedule
### September 03
- 💡 *A talk*
)md",
                                              /*start_year=*/0);
  EXPECT_THAT(parsed.issues,
              ElementsAre(IssueIs(kMarkdownLabel, 0, "",
                                  AllOf(HasSubstr("no year"),
                                        HasSubstr("semester_start_year")))))
      << Issues(parsed);
  EXPECT_EQ(parsed.title, "Fall Semester");
  EXPECT_THAT(parsed.sessions, IsEmpty());
}

TEST(MarkdownScheduleTest, ReportsMalformedHeadingAndKeepsTheRest) {
  const ParsedSchedule parsed = ParseMarkdown(R"md(# 2024 Fall
## Schedule
### September 03
- 💡 *Talk A*
### Sometime in October
- 💡 *Talk B*
### September 31
- 💡 *Talk C*
### October 15
- 💡 *Talk D*
)md");
  EXPECT_THAT(parsed.issues,
              ElementsAre(IssueIs(kMarkdownLabel, 5, "### Sometime in October",
                                  HasSubstr("expected a date heading")),
                          IssueIs(kMarkdownLabel, 7, "### September 31",
                                  HasSubstr("not a date"))))
      << Issues(parsed);
  // Entries under a heading that could not be read belong to no session.
  EXPECT_THAT(Titles(parsed), ElementsAre("Talk A", "Talk D"));
  EXPECT_THAT(Dates(parsed), ElementsAre("2024-09-03", "2024-10-15"));
}

TEST(MarkdownScheduleTest, DropsSessionWithMalformedEntry) {
  const ParsedSchedule parsed = ParseMarkdown(R"md(# 2024 Fall
## Schedule
### September 03
- 💡 [OSDI'24] [Parrot: Efficient Serving of LLM-based Applications with Semantic Variable](https://www.usenix.org/system/files/osdi24-lin-chaofan.pdf)
- {person} Chaoyi Ruan, Kunzhao Xu, Bosen Yang
### September 10
- 💡 PIT without brackets or emphasis
- {person} Jiaan Zhu (Andy)
### September 18
- 💡 [OSDI'24] [Nomad: Non-Exclusive Memory Tiering via Transactional Page Migration](https://www.usenix.org/system/files/osdi24-xiang.pdf)
- {person} Jiahao Li
)md");
  EXPECT_THAT(parsed.issues,
              ElementsAre(IssueIs(
                  kMarkdownLabel, 7, "- 💡 PIT without brackets or emphasis",
                  AllOf(HasSubstr("expected '[VENUE'YY] [Title](url)'"),
                        HasSubstr("'*Title*'")))))
      << Issues(parsed);
  // Not half-parsed: the September 10 session is gone, its neighbors stay
  // whole.
  EXPECT_THAT(Dates(parsed), ElementsAre("2024-09-03", "2024-09-18"));
  ASSERT_THAT(parsed.sessions, SizeIs(2));
  EXPECT_THAT(parsed.sessions[0].presenters(), SizeIs(3));
  EXPECT_THAT(parsed.sessions[1].presenters(),
              ElementsAre(PresenterIs("Jiahao Li", "", "")));
  EXPECT_EQ(parsed.sessions[1].id(), "fall-2024/2024-09-18/1");
}

TEST(MarkdownScheduleTest, ReportsMalformedVenue) {
  const ParsedSchedule parsed = ParseMarkdown(R"md(# 2024 Fall
## Schedule
### September 03
- 💡 [OSDI] [Parrot: Efficient Serving](https://www.usenix.org/system/files/osdi24-lin-chaofan.pdf)
- {person} Chaoyi Ruan
### September 10
- 💡 [SOSP'23] PIT: Optimization of Dynamic Sparse Deep Learning Models
### September 18
- 💡 *A talk*
)md");
  EXPECT_THAT(
      parsed.issues,
      ElementsAre(
          IssueIs(
              kMarkdownLabel, 4,
              "- 💡 [OSDI] [Parrot: Efficient Serving]"
              "(https://www.usenix.org/system/files/osdi24-lin-chaofan.pdf)",
              AllOf(HasSubstr("venue and year"), HasSubstr("[OSDI]"))),
          IssueIs(kMarkdownLabel, 7,
                  "- 💡 [SOSP'23] PIT: Optimization of Dynamic Sparse Deep "
                  "Learning Models",
                  HasSubstr("[Title](url)"))))
      << Issues(parsed);
  EXPECT_THAT(Dates(parsed), ElementsAre("2024-09-18"));
}

TEST(MarkdownScheduleTest, ReportsStrayLinesUnderADate) {
  const ParsedSchedule parsed = ParseMarkdown(R"md(# 2024 Fall
## Schedule
### September 03
- 💡 *Talk A*
Some note that is no bullet
### September 10
- 💡 *Talk B*
- 💡 *Talk B again*
### September 18
- 💡 *Talk C*
- {person} Jiahao Li
- [📎 poster](./poster.pdf)
### September 24
- 💡 *Talk D*
- {person} Yuming Xu
- {person} Hengyu Liang
### October 08
- 💡 *Talk E*
)md");
  EXPECT_THAT(
      parsed.issues,
      ElementsAre(IssueIs(kMarkdownLabel, 5, "Some note that is no bullet",
                          HasSubstr("expected a '- ' bullet")),
                  IssueIs(kMarkdownLabel, 8, "- 💡 *Talk B again*",
                          HasSubstr("second paper line")),
                  IssueIs(kMarkdownLabel, 12, "- [📎 poster](./poster.pdf)",
                          AllOf(HasSubstr("poster"), HasSubstr("slides"))),
                  IssueIs(kMarkdownLabel, 16,
                          std::string("- ") + kPersonIcon + " Hengyu Liang",
                          HasSubstr("unexpected line"))))
      << Issues(parsed);
  EXPECT_THAT(Titles(parsed), ElementsAre("Talk E"));
}

TEST(MarkdownScheduleTest, NumbersSessionsSharingADate) {
  const ParsedSchedule parsed = ParseMarkdown(R"md(# 2024 Fall
## Schedule
### September 03
- 💡 *Talk A*
### September 03
- 💡 *Talk B*
)md");
  EXPECT_THAT(parsed.issues, IsEmpty()) << Issues(parsed);
  ASSERT_THAT(parsed.sessions, SizeIs(2));
  EXPECT_EQ(parsed.sessions[0].id(), "fall-2024/2024-09-03/1");
  EXPECT_EQ(parsed.sessions[1].id(), "fall-2024/2024-09-03/2");
  EXPECT_EQ(parsed.sessions[1].ordinal(), 2);
  EXPECT_EQ(parsed.sessions[1].source().line(), 5);
}

// ------------------------------------------------------------ Numbered list

constexpr char kPaperList[] = R"(## Paper presentation list



We plan to present one paper for each group disccusion. Please add the presentation in the format of ``time, paper title（conference、journal), name''.

1) 9.17, iGniter: Interference-Aware GPU Resource Provisioning for Predictable DNN Inference in the Cloud（TPDS'24）, Fei Xu
3) 10.15, Metis: Fast Automatic Distributed Training on Heterogeneous GPUs （ATC’24）, Ruixing Li
4) 10.22, dLoRA: Dynamically Orchestrating Requests and Adapters for LoRA LLM Serving （OSDI'24), Lingxuan Weng
5) 10.29, StreamBox: A Lightweight GPU SandBox for Serverless Inference Workflow (ATC'24), Yikun Gu
6) 10.29, DynaPipe: Optimizing Multi-task Training through Dynamic Pipelines (Eurosys'24), Qiannan Zhou
8) 11.6, Starburst: A Cost-aware Scheduler for Hybrid Cloud(ATC'24), Zongqing Wei
10) 11.12, mLoRA: Fine-Tuning LoRA Adapters via Highly-Efficient Pipeline Parallelism in Multiple GPUs (under revision in VLDB’25), Lingxuan Weng
11) 11.19, USHER：Holistic Interference Avoidance for Resource Optimized ML Inference (OSDI'24), Xiang Shen
15) 12.3, AutoBurst: Autoscaling Burstable Instances for Cost-effective Latency SLOs(SOCC'24), Zongqing wei
21) 12.24, DistServe: Disaggregating Prefill and Decoding for Goodput-optimized  Large Language Model Serving(OSDI'24), Lingxuan Weng
22) 12.24, PISeL Pipelining DNN Inference for Serverless Computing(CIKM'24), Yikun Gu
24) 1.7, PowerInfer Fast Large Language Model Serving with a Consumer-grade GPUTraining(SOSP'24), Xiang Shen

)";

// The session of kPaperList whose title starts with `prefix`.
const v1::Session* FindSession(const ParsedSchedule& parsed,
                               absl::string_view prefix) {
  for (const v1::Session& session : parsed.sessions) {
    if (absl::string_view(session.title()).substr(0, prefix.size()) == prefix) {
      return &session;
    }
  }
  return nullptr;
}

TEST(NumberedListScheduleTest, ReadsEveryEntryAndIgnoresProse) {
  const ParsedSchedule parsed = ParseList(kPaperList);
  EXPECT_THAT(parsed.issues, IsEmpty()) << Issues(parsed);
  EXPECT_EQ(parsed.title, "Paper presentation list");
  EXPECT_EQ(parsed.start_year, 2024);
  EXPECT_THAT(
      Dates(parsed),
      ElementsAre("2024-09-17", "2024-10-15", "2024-10-22", "2024-10-29",
                  "2024-10-29", "2024-11-06", "2024-11-12", "2024-11-19",
                  "2024-12-03", "2024-12-24", "2024-12-24", "2025-01-07"));
  for (const v1::Session& session : parsed.sessions) {
    EXPECT_EQ(session.kind(), v1::SESSION_KIND_PAPER) << session.title();
    EXPECT_EQ(session.group(), "paper-list-2024") << session.title();
    EXPECT_EQ(session.source().file(), kListLabel) << session.title();
    EXPECT_EQ(session.paper().title(), session.title());
    EXPECT_EQ(session.paper().title_key(), TitleKey(session.title()));
    EXPECT_THAT(session.presenters(), SizeIs(1)) << session.title();
  }
  ASSERT_THAT(parsed.sessions, SizeIs(12));
  EXPECT_EQ(parsed.sessions[0].source().line(), 7);
  EXPECT_EQ(parsed.sessions[11].source().line(), 18);
}

TEST(NumberedListScheduleTest, ReadsMixedParentheses) {
  const ParsedSchedule parsed = ParseList(kPaperList);
  // Full-width on both sides.
  const v1::Session* igniter = FindSession(parsed, "iGniter");
  ASSERT_NE(igniter, nullptr);
  EXPECT_EQ(igniter->title(),
            "iGniter: Interference-Aware GPU Resource Provisioning for "
            "Predictable DNN Inference in the Cloud");
  EXPECT_EQ(igniter->paper().venue(), "TPDS");
  EXPECT_EQ(igniter->paper().year(), 2024);
  EXPECT_THAT(igniter->presenters(),
              ElementsAre(PresenterIs("Fei Xu", "", "")));
  // Full-width opening, ASCII closing.
  const v1::Session* dlora = FindSession(parsed, "dLoRA");
  ASSERT_NE(dlora, nullptr);
  EXPECT_EQ(dlora->title(),
            "dLoRA: Dynamically Orchestrating Requests and Adapters for LoRA "
            "LLM Serving");
  EXPECT_EQ(dlora->paper().venue(), "OSDI");
  EXPECT_EQ(dlora->paper().year(), 2024);
  // ASCII on both sides; "Eurosys" is canonicalized.
  const v1::Session* dynapipe = FindSession(parsed, "DynaPipe");
  ASSERT_NE(dynapipe, nullptr);
  EXPECT_EQ(dynapipe->paper().venue(), "EuroSys");
  EXPECT_EQ(dynapipe->paper().venue_written(), "Eurosys'24");
}

TEST(NumberedListScheduleTest, ReadsCurlyApostrophe) {
  const ParsedSchedule parsed = ParseList(kPaperList);
  const v1::Session* metis = FindSession(parsed, "Metis");
  ASSERT_NE(metis, nullptr);
  EXPECT_EQ(metis->title(),
            "Metis: Fast Automatic Distributed Training on Heterogeneous GPUs");
  EXPECT_EQ(metis->paper().venue(), "USENIX ATC");
  EXPECT_EQ(metis->paper().year(), 2024);
  EXPECT_EQ(metis->paper().venue_written(), "ATC’24");
  EXPECT_THAT(metis->presenters(),
              ElementsAre(PresenterIs("Ruixing Li", "", "")));
}

TEST(NumberedListScheduleTest, ReadsVenueWithoutSpaceBeforeIt) {
  const ParsedSchedule parsed = ParseList(kPaperList);
  const v1::Session* starburst = FindSession(parsed, "Starburst");
  ASSERT_NE(starburst, nullptr);
  EXPECT_EQ(starburst->title(),
            "Starburst: A Cost-aware Scheduler for Hybrid Cloud");
  EXPECT_EQ(starburst->paper().venue(), "USENIX ATC");
  EXPECT_EQ(starburst->date(), "2024-11-06");
  const v1::Session* autoburst = FindSession(parsed, "AutoBurst");
  ASSERT_NE(autoburst, nullptr);
  EXPECT_EQ(autoburst->paper().venue(), "SoCC");
  // Names are kept as written; identities come later.
  EXPECT_THAT(autoburst->presenters(),
              ElementsAre(PresenterIs("Zongqing wei", "", "")));
  EXPECT_EQ(autoburst->presenters(0).person_id(), PersonKey("Zongqing Wei"));
}

TEST(NumberedListScheduleTest, ReadsVenueNote) {
  const ParsedSchedule parsed = ParseList(kPaperList);
  const v1::Session* mlora = FindSession(parsed, "mLoRA");
  ASSERT_NE(mlora, nullptr);
  EXPECT_EQ(mlora->title(),
            "mLoRA: Fine-Tuning LoRA Adapters via Highly-Efficient Pipeline "
            "Parallelism in Multiple GPUs");
  EXPECT_EQ(mlora->paper().venue(), "VLDB");
  EXPECT_EQ(mlora->paper().year(), 2025);
  EXPECT_EQ(mlora->paper().venue_note(), "under revision");
  EXPECT_EQ(mlora->paper().venue_written(), "under revision in VLDB’25");
}

TEST(NumberedListScheduleTest, KeepsTitlesWithoutColonAndCollapsesSpaces) {
  const ParsedSchedule parsed = ParseList(kPaperList);
  const v1::Session* pisel = FindSession(parsed, "PISeL");
  ASSERT_NE(pisel, nullptr);
  EXPECT_EQ(pisel->title(),
            "PISeL Pipelining DNN Inference for Serverless Computing");
  EXPECT_EQ(pisel->paper().venue(), "CIKM");
  const v1::Session* distserve = FindSession(parsed, "DistServe");
  ASSERT_NE(distserve, nullptr);
  EXPECT_EQ(distserve->title(),
            "DistServe: Disaggregating Prefill and Decoding for "
            "Goodput-optimized Large Language Model Serving");
  // Full-width colon.
  const v1::Session* usher = FindSession(parsed, "USHER");
  ASSERT_NE(usher, nullptr);
  EXPECT_EQ(usher->title(),
            "USHER: Holistic Interference Avoidance for Resource Optimized ML "
            "Inference");
  EXPECT_THAT(usher->presenters(),
              ElementsAre(PresenterIs("Xiang Shen", "", "")));
}

TEST(NumberedListScheduleTest, NumbersSessionsSharingADate) {
  const ParsedSchedule parsed = ParseList(kPaperList);
  const v1::Session* streambox = FindSession(parsed, "StreamBox");
  const v1::Session* dynapipe = FindSession(parsed, "DynaPipe");
  ASSERT_NE(streambox, nullptr);
  ASSERT_NE(dynapipe, nullptr);
  EXPECT_EQ(streambox->ordinal(), 1);
  EXPECT_EQ(streambox->id(), "paper-list-2024/2024-10-29/1");
  EXPECT_EQ(dynapipe->ordinal(), 2);
  EXPECT_EQ(dynapipe->id(), "paper-list-2024/2024-10-29/2");
  const v1::Session* metis = FindSession(parsed, "Metis");
  ASSERT_NE(metis, nullptr);
  EXPECT_EQ(metis->ordinal(), 1);
  EXPECT_EQ(metis->id(), "paper-list-2024/2024-10-15/1");
}

TEST(NumberedListScheduleTest, RollsOverIntoJanuary) {
  const ParsedSchedule parsed = ParseList(kPaperList);
  const v1::Session* powerinfer = FindSession(parsed, "PowerInfer");
  ASSERT_NE(powerinfer, nullptr);
  EXPECT_EQ(powerinfer->date(), "2025-01-07");
  EXPECT_EQ(powerinfer->id(), "paper-list-2024/2025-01-07/1");
  EXPECT_EQ(powerinfer->title(),
            "PowerInfer Fast Large Language Model Serving with a "
            "Consumer-grade GPUTraining");
  EXPECT_EQ(powerinfer->paper().venue(), "SOSP");
  EXPECT_EQ(powerinfer->source().line(), 18);
}

TEST(NumberedListScheduleTest, ReadsFullWidthParenthesisAfterNumber) {
  const ParsedSchedule parsed =
      ParseList("1）9.17, A Paper （OSDI'24）, Fei Xu\n");
  EXPECT_THAT(parsed.issues, IsEmpty()) << Issues(parsed);
  ASSERT_THAT(parsed.sessions, SizeIs(1));
  EXPECT_EQ(parsed.sessions[0].title(), "A Paper");
  EXPECT_EQ(parsed.sessions[0].date(), "2024-09-17");
}

TEST(NumberedListScheduleTest, ReportsBadLinesAndKeepsTheRest) {
  const ParsedSchedule parsed = ParseList(R"(## Paper presentation list
1) 11.19, USHER：Holistic Interference Avoidance (OSDI'24), Xiang Shen
2) 11.26, SMIless Serving DAG-based Inference, Yikun Gu
3) 11.26, Online Scheduling and Pricing for Multi-LoRA Fine-Tuning Tasks(ICPP'24)
4) 11.31, Kale: Elastic GPU Scheduling (SOCC'24), Lingxuan Weng
5) Jolteon: Unleashing the Promise of Serverless (NSDI'24), Yikun Gu
6) 12.10 Delta: A Cloud-assisted Data Enrichment Framework (MobiCom'24), Zongqing Wei
7) 12.17, Near-Lossless Gradient Compression (SOCC'24), (Andy)
8) 12.17, (OSDI'24), Xiang Shen
9) 12.3, AutoBurst: Autoscaling Burstable Instances(SOCC'24), Zongqing wei
)");
  const std::string venue = "expected the venue in parentheses";
  EXPECT_THAT(
      parsed.issues,
      ElementsAre(
          IssueIs(kListLabel, 3,
                  "2) 11.26, SMIless Serving DAG-based Inference, Yikun Gu",
                  HasSubstr(venue)),
          IssueIs(kListLabel, 4,
                  "3) 11.26, Online Scheduling and Pricing for Multi-LoRA "
                  "Fine-Tuning Tasks(ICPP'24)",
                  HasSubstr("', Presenter'")),
          IssueIs(kListLabel, 5,
                  "4) 11.31, Kale: Elastic GPU Scheduling (SOCC'24), "
                  "Lingxuan Weng",
                  AllOf(HasSubstr("11-31"), HasSubstr("not a date"))),
          IssueIs(kListLabel, 6,
                  "5) Jolteon: Unleashing the Promise of Serverless "
                  "(NSDI'24), Yikun Gu",
                  HasSubstr("M.D date")),
          IssueIs(kListLabel, 7,
                  "6) 12.10 Delta: A Cloud-assisted Data Enrichment "
                  "Framework (MobiCom'24), Zongqing Wei",
                  HasSubstr("',' after the date")),
          IssueIs(kListLabel, 8,
                  "7) 12.17, Near-Lossless Gradient Compression (SOCC'24), "
                  "(Andy)",
                  AllOf(HasSubstr("presenters"),
                        HasSubstr("does not start with a name"))),
          IssueIs(kListLabel, 9, "8) 12.17, (OSDI'24), Xiang Shen",
                  HasSubstr("empty title"))))
      << Issues(parsed);
  ASSERT_THAT(parsed.sessions, SizeIs(2));
  EXPECT_EQ(parsed.sessions[0].source().line(), 2);
  EXPECT_EQ(parsed.sessions[0].id(), "paper-list-2024/2024-11-19/1");
  EXPECT_EQ(parsed.sessions[1].source().line(), 10);
  EXPECT_EQ(parsed.sessions[1].id(), "paper-list-2024/2024-12-03/1");
}

TEST(NumberedListScheduleTest, ReportsImpossibleDate) {
  const ParsedSchedule parsed =
      ParseList(R"(1) 1.14, Paper One (OSDI'24), Fei Xu
2) 2.30, Paper Two (OSDI'24), Yikun Gu
3) 2.4, Paper Three (OSDI'24), Xiang Shen
)",
                /*start_year=*/2025);
  EXPECT_THAT(parsed.issues,
              ElementsAre(IssueIs(kListLabel, 2,
                                  "2) 2.30, Paper Two (OSDI'24), Yikun Gu",
                                  HasSubstr("not a date"))))
      << Issues(parsed);
  EXPECT_THAT(Dates(parsed), ElementsAre("2025-01-14", "2025-02-04"));
}

// A date that does not exist must not move the calendar: "2.30" after
// December is reported, and "1.7" after it is still 2025-01-07.
TEST(NumberedListScheduleTest, ImpossibleDateDoesNotShiftLaterYears) {
  const ParsedSchedule parsed =
      ParseList(R"(1) 12.17, Paper One (OSDI'24), Fei Xu
2) 2.30, Paper Two (OSDI'24), Yikun Gu
3) 1.7, Paper Three (OSDI'24), Xiang Shen
)");
  EXPECT_THAT(parsed.issues,
              ElementsAre(IssueIs(kListLabel, 2,
                                  "2) 2.30, Paper Two (OSDI'24), Yikun Gu",
                                  HasSubstr("not a date"))))
      << Issues(parsed);
  EXPECT_THAT(Dates(parsed), ElementsAre("2024-12-17", "2025-01-07"));
}

TEST(NumberedListScheduleTest, ReportsMissingStartYear) {
  const ParsedSchedule parsed = ParseList(R"(Prose line.
1) 9.17, iGniter: Interference-Aware GPU Resource Provisioning (TPDS'24), Fei Xu
2) 9.24, Optimizing Resource Allocation in Hyperscale Datacenters (OSDI'24), Zongqing Wei
)",
                                          /*start_year=*/0);
  EXPECT_THAT(parsed.sessions, IsEmpty());
  EXPECT_THAT(
      parsed.issues,
      ElementsAre(
          IssueIs(kListLabel, 2,
                  "1) 9.17, iGniter: Interference-Aware GPU Resource "
                  "Provisioning (TPDS'24), Fei Xu",
                  HasSubstr("semester_start_year")),
          IssueIs(kListLabel, 3,
                  "2) 9.24, Optimizing Resource Allocation in Hyperscale "
                  "Datacenters (OSDI'24), Zongqing Wei",
                  HasSubstr("semester_start_year"))))
      << Issues(parsed);
}

// ----------------------------------------------------- schedule_text pieces

TEST(ParseVenueYearTest, ReadsVenueAndYear) {
  schedule_text::VenueYear venue;
  ASSERT_TRUE(schedule_text::ParseVenueYear("OSDI'24", &venue));
  EXPECT_EQ(venue.venue, "OSDI");
  EXPECT_TRUE(venue.recognized);
  EXPECT_EQ(venue.year, 2024);
  EXPECT_EQ(venue.note, "");

  ASSERT_TRUE(schedule_text::ParseVenueYear("ATC’24", &venue));
  EXPECT_EQ(venue.venue, "USENIX ATC");
  EXPECT_EQ(venue.year, 2024);

  ASSERT_TRUE(schedule_text::ParseVenueYear("USENIX ATC 2024", &venue));
  EXPECT_EQ(venue.venue, "USENIX ATC");
  EXPECT_EQ(venue.year, 2024);
  EXPECT_EQ(venue.note, "");

  ASSERT_TRUE(
      schedule_text::ParseVenueYear("under revision in VLDB’25", &venue));
  EXPECT_EQ(venue.venue, "VLDB");
  EXPECT_EQ(venue.year, 2025);
  EXPECT_EQ(venue.note, "under revision");

  ASSERT_TRUE(schedule_text::ParseVenueYear("FooConf'23", &venue));
  EXPECT_EQ(venue.venue, "FooConf");
  EXPECT_FALSE(venue.recognized);
  EXPECT_EQ(venue.year, 2023);
}

TEST(ParseVenueYearTest, RejectsTokensWithoutVenueOrYear) {
  schedule_text::VenueYear venue;
  for (const char* bad :
       {"OSDI", "'24", "2024", "", "OSDI'2024x", "OSDI'124", "Andy"}) {
    EXPECT_FALSE(schedule_text::ParseVenueYear(bad, &venue)) << bad;
  }
}

TEST(MarkersTest, StripsLeadingMarkers) {
  std::vector<std::string> markers;
  EXPECT_EQ(schedule_text::StripLeadingMarkers("🔥 December 10", &markers),
            "December 10");
  EXPECT_THAT(markers, ElementsAre("🔥"));

  markers.clear();
  const std::string person = std::string(kPersonIcon) + " Jiahao Li";
  EXPECT_EQ(schedule_text::StripLeadingMarkers(person, &markers), "Jiahao Li");
  // The joined sequence is one emoji.
  EXPECT_THAT(markers, ElementsAre(kPersonIcon));

  markers.clear();
  EXPECT_EQ(schedule_text::StripLeadingMarkers("💡 🔥 Title", &markers), "Title");
  EXPECT_THAT(markers, ElementsAre("💡", "🔥"));

  markers.clear();
  EXPECT_EQ(schedule_text::StripLeadingMarkers("December 10", &markers),
            "December 10");
  EXPECT_THAT(markers, IsEmpty());

  EXPECT_EQ(schedule_text::StripLeadingMarkers("  🔥  Title ", nullptr),
            "Title");
}

TEST(MarkersTest, DropsReplacementCharacters) {
  std::vector<std::string> markers;
  const std::string repaired =
      "\xEF\xBF\xBD\xEF\xBF\xBD\xE2\x99\x82\xEF\xBF\xBD Chaoyi Ruan";
  EXPECT_EQ(schedule_text::StripLeadingMarkers(repaired, &markers),
            "Chaoyi Ruan");
  for (const std::string& marker : markers) {
    EXPECT_THAT(marker, Not(HasSubstr("\xEF\xBF\xBD")));
  }
}

TEST(MarkersTest, StripsTrailingMarkers) {
  std::vector<std::string> markers;
  EXPECT_EQ(schedule_text::StripTrailingMarkers("December 17 🔥 ", &markers),
            "December 17");
  EXPECT_THAT(markers, ElementsAre("🔥"));
  markers.clear();
  EXPECT_EQ(schedule_text::StripTrailingMarkers("December 17", &markers),
            "December 17");
  EXPECT_THAT(markers, IsEmpty());
}

TEST(MarkersTest, HasMarker) {
  const std::vector<std::string> markers = {"🔥", kPersonIcon};
  EXPECT_TRUE(schedule_text::HasMarker(markers, "🔥"));
  EXPECT_FALSE(schedule_text::HasMarker(markers, "💡"));
  EXPECT_FALSE(schedule_text::HasMarker({}, "🔥"));
}

TEST(ParsePresentersTest, ReadsNamesNicknamesAndAffiliations) {
  const schedule_text::PresenterList list = schedule_text::ParsePresenters(
      "Jiaan Zhu (Andy), Sen Han (THU), Mingxuan Liu **(NPU, Northwestern "
      "Polytechnical University)**, Kang Chen (*Tsinghua*)");
  EXPECT_THAT(list.problems, IsEmpty());
  EXPECT_THAT(
      list.presenters,
      ElementsAre(PresenterIs("Jiaan Zhu", "", "Andy"),
                  PresenterIs("Sen Han", "THU", ""),
                  PresenterIs("Mingxuan Liu",
                              "NPU, Northwestern Polytechnical University", ""),
                  PresenterIs("Kang Chen", "Tsinghua", "")));
}

TEST(ParsePresentersTest, SplitsOnSeparators) {
  const schedule_text::PresenterList list = schedule_text::ParsePresenters(
      "Ping Gong; Jiawei Yi and Juncheng Zhang "
      "& Luofan Chen");
  EXPECT_THAT(list.problems, IsEmpty());
  EXPECT_THAT(list.presenters,
              ElementsAre(PresenterIs("Ping Gong", "", ""),
                          PresenterIs("Jiawei Yi", "", ""),
                          PresenterIs("Juncheng Zhang", "", ""),
                          PresenterIs("Luofan Chen", "", "")));
}

TEST(ParsePresentersTest, SharedAffiliationDoesNotOverrideOwn) {
  const schedule_text::PresenterList list = schedule_text::ParsePresenters(
      "Wenhao Huang (*MBZUAI*), Yichi Chen **(*all from* TJU, Tianjin "
      "University)**");
  EXPECT_THAT(list.problems, IsEmpty());
  EXPECT_THAT(
      list.presenters,
      ElementsAre(PresenterIs("Wenhao Huang", "MBZUAI", ""),
                  PresenterIs("Yichi Chen", "TJU, Tianjin University", "")));
}

TEST(ParsePresentersTest, ReportsWhatItCannotRead) {
  EXPECT_THAT(schedule_text::ParsePresenters("Jiaan Zhu (Andy").problems,
              ElementsAre(HasSubstr("unbalanced parentheses"),
                          HasSubstr("unclosed parenthesis")));
  EXPECT_THAT(schedule_text::ParsePresenters("Jiaan Zhu, , Long Zhao").problems,
              ElementsAre(HasSubstr("empty name")));
  EXPECT_THAT(schedule_text::ParsePresenters("(Andy)").problems,
              ElementsAre(HasSubstr("does not start with a name")));
  EXPECT_THAT(schedule_text::ParsePresenters("Jiaan Zhu (Andy) Jr").problems,
              ElementsAre(HasSubstr("after ')'")));
  const schedule_text::PresenterList empty = schedule_text::ParsePresenters("");
  EXPECT_THAT(empty.presenters, IsEmpty());
  EXPECT_THAT(empty.problems, IsEmpty());
}

TEST(ConsumeMarkdownLinkTest, ReadsLinkWithParenthesesInUrl) {
  absl::string_view text =
      "[📕 slides](./slides/241008-Systems%20and%20Papers%20(slides).pdf), "
      "[📺 video](v)";
  schedule_text::MarkdownLink link;
  ASSERT_TRUE(schedule_text::ConsumeMarkdownLink(&text, &link));
  EXPECT_EQ(link.label, "📕 slides");
  EXPECT_EQ(link.url, "./slides/241008-Systems%20and%20Papers%20(slides).pdf");
  EXPECT_EQ(text, ", [📺 video](v)");
}

TEST(ConsumeMarkdownLinkTest, ReadsLabelWithBrackets) {
  absl::string_view text = "[a [nested] label](https://x.org/p)";
  schedule_text::MarkdownLink link;
  ASSERT_TRUE(schedule_text::ConsumeMarkdownLink(&text, &link));
  EXPECT_EQ(link.label, "a [nested] label");
  EXPECT_EQ(link.url, "https://x.org/p");
  EXPECT_EQ(text, "");
}

TEST(ConsumeMarkdownLinkTest, LeavesTextAloneWhenNoLink) {
  for (absl::string_view input :
       {"plain text", "[label] (url)", "[label](url", "[label]", "(url)", ""}) {
    absl::string_view text = input;
    schedule_text::MarkdownLink link;
    EXPECT_FALSE(schedule_text::ConsumeMarkdownLink(&text, &link)) << input;
    EXPECT_EQ(text, input);
  }
}

// The date `calendar` gives, as YYYY-MM-DD, or the error.
std::string Resolve(schedule_text::SemesterCalendar& calendar, int month,
                    int day) {
  const absl::StatusOr<absl::CivilDay> date = calendar.Resolve(month, day);
  if (!date.ok()) return date.status().ToString();
  return absl::FormatCivilTime(*date);
}

TEST(SemesterCalendarTest, RollsOverWhenMonthGoesBackSixOrMore) {
  schedule_text::SemesterCalendar calendar(2024);
  EXPECT_EQ(Resolve(calendar, 9, 3), "2024-09-03");
  EXPECT_EQ(Resolve(calendar, 12, 31), "2024-12-31");
  EXPECT_EQ(Resolve(calendar, 1, 7), "2025-01-07");
  EXPECT_EQ(Resolve(calendar, 2, 4), "2025-02-04");
}

TEST(SemesterCalendarTest, SmallStepsBackStayInTheYear) {
  schedule_text::SemesterCalendar calendar(2024);
  EXPECT_EQ(Resolve(calendar, 10, 15), "2024-10-15");
  EXPECT_EQ(Resolve(calendar, 9, 30), "2024-09-30");
  EXPECT_EQ(Resolve(calendar, 12, 1), "2024-12-01");
  EXPECT_EQ(Resolve(calendar, 7, 1), "2024-07-01");  // back by 5
  EXPECT_EQ(Resolve(calendar, 1, 1), "2025-01-01");  // back by 6
}

TEST(SemesterCalendarTest, RejectsDatesThatDoNotExist) {
  schedule_text::SemesterCalendar calendar(2024);
  EXPECT_THAT(calendar.Resolve(13, 1).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(calendar.Resolve(0, 1).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(
      calendar.Resolve(4, 31).status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a date")));
  EXPECT_THAT(calendar.Resolve(4, 0).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(Resolve(calendar, 2, 29), "2024-02-29");  // a leap year
  schedule_text::SemesterCalendar next(2025);
  EXPECT_THAT(next.Resolve(2, 29).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// Same bug as NumberedListScheduleTest.ImpossibleDateDoesNotShiftLaterYears,
// at the calendar: a rejected date must leave the year alone.
TEST(SemesterCalendarTest, RejectedDateDoesNotAdvanceTheYear) {
  schedule_text::SemesterCalendar calendar(2024);
  EXPECT_EQ(Resolve(calendar, 12, 17), "2024-12-17");
  EXPECT_THAT(calendar.Resolve(2, 30).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(Resolve(calendar, 1, 7), "2025-01-07");
}

// Same bug as MarkdownScheduleTest.ExplicitYearAfterDecemberIsThatYear:
// after SetYear(2025) the next January is in 2025, not 2026.
TEST(SemesterCalendarTest, ExplicitYearIsUsedAsIs) {
  schedule_text::SemesterCalendar calendar(2024);
  EXPECT_EQ(Resolve(calendar, 12, 31), "2024-12-31");
  calendar.SetYear(2025);
  EXPECT_EQ(Resolve(calendar, 1, 7), "2025-01-07");
  EXPECT_EQ(Resolve(calendar, 1, 14), "2025-01-14");
}

TEST(SessionIdsTest, SessionIdJoinsGroupDateAndOrdinal) {
  EXPECT_EQ(schedule_text::SessionId("fall-2024", "2024-10-15", 1),
            "fall-2024/2024-10-15/1");
  EXPECT_EQ(schedule_text::SessionId("paper-list-2024", "2024-10-29", 2),
            "paper-list-2024/2024-10-29/2");
}

TEST(SessionIdsTest, FinishSessionsCountsPerDate) {
  std::vector<v1::Session> sessions(4);
  sessions[0].set_date("2024-10-29");
  sessions[1].set_date("2024-10-29");
  sessions[2].set_date("2024-11-06");
  sessions[3].set_date("2024-10-29");
  schedule_text::FinishSessions("g", &sessions);
  EXPECT_EQ(sessions[0].id(), "g/2024-10-29/1");
  EXPECT_EQ(sessions[1].id(), "g/2024-10-29/2");
  EXPECT_EQ(sessions[2].id(), "g/2024-11-06/1");
  EXPECT_EQ(sessions[3].id(), "g/2024-10-29/3");
  EXPECT_EQ(sessions[3].ordinal(), 3);
  for (const v1::Session& session : sessions) EXPECT_EQ(session.group(), "g");
}

TEST(SessionIdsTest, FinishSessionsGivesTheFirstPresenterTheMainRole) {
  std::vector<v1::Session> sessions(2);
  sessions[0].set_date("2024-09-03");
  for (const char* name : {"Chaoyi Ruan", "Kunzhao Xu", "Bosen Yang"}) {
    sessions[0].add_presenters()->set_name(name);
  }
  sessions[1].set_date("2024-09-17");
  sessions[1].add_presenters()->set_name("Fei Xu");
  schedule_text::FinishSessions("g", &sessions);
  EXPECT_EQ(sessions[0].presenters(0).role(), v1::PRESENTER_ROLE_MAIN);
  EXPECT_EQ(sessions[0].presenters(1).role(), v1::PRESENTER_ROLE_ASSIST);
  EXPECT_EQ(sessions[0].presenters(2).role(), v1::PRESENTER_ROLE_ASSIST);
  EXPECT_EQ(sessions[1].presenters(0).role(), v1::PRESENTER_ROLE_MAIN);
}

TEST(FillPaperTest, FillsEveryField) {
  schedule_text::VenueYear venue;
  ASSERT_TRUE(
      schedule_text::ParseVenueYear("under revision in VLDB’25", &venue));
  v1::PaperRef paper;
  schedule_text::FillPaper("  mLoRA：Fine-Tuning  LoRA Adapters ", venue,
                           " under revision in VLDB’25 ",
                           "https://dl.acm.org/doi/10.1145/3694715.3695960",
                           &paper);
  EXPECT_EQ(paper.title(), "mLoRA: Fine-Tuning LoRA Adapters");
  EXPECT_EQ(paper.title_key(), "mlorafinetuningloraadapters");
  EXPECT_EQ(paper.venue(), "VLDB");
  EXPECT_EQ(paper.year(), 2025);
  EXPECT_EQ(paper.venue_note(), "under revision");
  EXPECT_EQ(paper.venue_written(), "under revision in VLDB’25");
  EXPECT_EQ(paper.url(), "https://dl.acm.org/doi/10.1145/3694715.3695960");
  EXPECT_EQ(paper.doi(), "10.1145/3694715.3695960");
  EXPECT_EQ(paper.paper_id(), "");
}

}  // namespace
}  // namespace lectern
