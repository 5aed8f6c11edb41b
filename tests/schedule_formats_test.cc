// YAML and CSV schedules, format detection and ParseSchedule's dispatch.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "indexer/normalize.h"
#include "indexer/schedule.h"
#include "lectern/v1/config.pb.h"
#include "lectern/v1/lectern.pb.h"
#include "tests/testing/paths.h"
#include "tests/testing/schedule_matchers.h"
#include "tests/testing/temp_dir.h"

namespace lectern {
namespace {

using ::lectern::testing::Dates;
using ::lectern::testing::Issues;
using ::lectern::testing::PresenterIs;

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Matcher;
using ::testing::Not;
using ::testing::SizeIs;

constexpr char kYamlLabel[] = "schedules/spring.yaml";
constexpr char kCsvLabel[] = "schedules/spring.csv";

ScheduleParseOptions Options(const std::string& label) {
  ScheduleParseOptions options;
  options.group_id = "spring-2025";
  options.file_label = label;
  return options;
}

ParsedSchedule ParseYaml(absl::string_view text) {
  return ParseYamlSchedule(text, Options(kYamlLabel));
}

ParsedSchedule ParseCsvText(absl::string_view text) {
  return ParseCsvSchedule(text, Options(kCsvLabel));
}

template <typename MessageMatcher>
Matcher<const ParseIssue&> ErrorAt(int line, MessageMatcher message) {
  return AllOf(Field("line", &ParseIssue::line, line),
               Field("note", &ParseIssue::note, false),
               Field("message", &ParseIssue::message, message));
}

template <typename MessageMatcher>
Matcher<const ParseIssue&> NoteAt(int line, MessageMatcher message) {
  return AllOf(Field("line", &ParseIssue::line, line),
               Field("note", &ParseIssue::note, true),
               Field("message", &ParseIssue::message, message));
}

// -------------------------------------------------------------------- YAML

TEST(YamlScheduleTest, ReadsEveryFieldOfAPaperSession) {
  const ParsedSchedule parsed = ParseYaml(R"yaml(title: Systems Reading Group
sessions:
  - date: 2024-09-10
    title: "PIT: Optimization of Dynamic Sparse Deep Learning Models"
    presenters: Jiaan Zhu (Andy), Qinghe Wang
    authors: [Ningxin Zheng, Huiqiang Jiang]
    venue: SOSP'23
    link: https://dl.acm.org/doi/abs/10.1145/3600006.3613139
    slides: ./slides/240910-pit.pdf
    summary: https://zhuanlan.zhihu.com/p/720960564
    video: https://www.bilibili.com/video/BV14b4peiEus
)yaml");
  EXPECT_THAT(parsed.issues, IsEmpty()) << Issues(parsed);
  EXPECT_EQ(parsed.title, "Systems Reading Group");
  EXPECT_EQ(parsed.start_year, 2024);
  ASSERT_THAT(parsed.sessions, SizeIs(1));
  const v1::Session& session = parsed.sessions[0];
  EXPECT_EQ(session.id(), "spring-2025/2024-09-10/1");
  EXPECT_EQ(session.group(), "spring-2025");
  EXPECT_EQ(session.date(), "2024-09-10");
  EXPECT_EQ(session.ordinal(), 1);
  EXPECT_EQ(session.kind(), v1::SESSION_KIND_PAPER);
  const std::string title =
      "PIT: Optimization of Dynamic Sparse Deep Learning Models";
  EXPECT_EQ(session.title(), title);
  EXPECT_EQ(session.paper().title(), title);
  EXPECT_EQ(session.paper().title_key(), TitleKey(title));
  EXPECT_EQ(session.paper().venue(), "SOSP");
  EXPECT_EQ(session.paper().year(), 2023);
  EXPECT_EQ(session.paper().venue_written(), "SOSP'23");
  EXPECT_EQ(session.paper().url(),
            "https://dl.acm.org/doi/abs/10.1145/3600006.3613139");
  EXPECT_EQ(session.paper().doi(), "10.1145/3600006.3613139");
  EXPECT_THAT(session.presenters(),
              ElementsAre(PresenterIs("Jiaan Zhu", "", "Andy"),
                          PresenterIs("Qinghe Wang", "", "")));
  EXPECT_EQ(session.links().slides(), "./slides/240910-pit.pdf");
  EXPECT_EQ(session.links().qa_summary(),
            "https://zhuanlan.zhihu.com/p/720960564");
  EXPECT_EQ(session.links().video(),
            "https://www.bilibili.com/video/BV14b4peiEus");
  EXPECT_EQ(session.source().file(), kYamlLabel);
  EXPECT_EQ(session.source().line(), 3);
}

TEST(YamlScheduleTest, ReadsIsoAndUsDates) {
  const ParsedSchedule parsed = ParseYaml(R"yaml(sessions:
  - date: 2024-09-03
  - date: '2024-09-10'
  - date: 09/17/2024
  - date: "9/24/2024"
)yaml");
  EXPECT_THAT(parsed.issues, IsEmpty()) << Issues(parsed);
  EXPECT_THAT(Dates(parsed), ElementsAre("2024-09-03", "2024-09-10",
                                         "2024-09-17", "2024-09-24"));
}

TEST(YamlScheduleTest, ReadsPresentersAsStringOrList) {
  const ParsedSchedule parsed = ParseYaml(R"yaml(sessions:
  - date: 2024-11-05
    presenter: Wenhao Huang, Yichi Chen **(*all from* TJU)**
  - date: 2024-11-12
    presenters:
      - Mingxuan Liu **(NPU, Northwestern Polytechnical University)**
      - Jiaan Zhu (Andy)
)yaml");
  EXPECT_THAT(parsed.issues, IsEmpty()) << Issues(parsed);
  ASSERT_THAT(parsed.sessions, SizeIs(2));
  EXPECT_THAT(parsed.sessions[0].presenters(),
              ElementsAre(PresenterIs("Wenhao Huang", "TJU", ""),
                          PresenterIs("Yichi Chen", "TJU", "")));
  EXPECT_THAT(
      parsed.sessions[1].presenters(),
      ElementsAre(PresenterIs("Mingxuan Liu",
                              "NPU, Northwestern Polytechnical University", ""),
                  PresenterIs("Jiaan Zhu", "", "Andy")));
}

TEST(YamlScheduleTest, ReadsVenueForms) {
  const ParsedSchedule parsed = ParseYaml(R"yaml(sessions:
  - date: 2024-10-01
    title: Metis
    venue: ATC’24
  - date: 2024-10-08
    title: UGache
    venue: SOSP
    year: 2023
  - date: 2024-10-15
    title: mLoRA
    venue: under revision in VLDB’25
  - date: 2024-10-22
    title: Nomad
    venue: OSDI'24
    year: 2024
)yaml");
  EXPECT_THAT(parsed.issues, IsEmpty()) << Issues(parsed);
  ASSERT_THAT(parsed.sessions, SizeIs(4));
  EXPECT_EQ(parsed.sessions[0].paper().venue(), "USENIX ATC");
  EXPECT_EQ(parsed.sessions[0].paper().year(), 2024);
  EXPECT_EQ(parsed.sessions[0].paper().venue_written(), "ATC’24");
  EXPECT_EQ(parsed.sessions[1].paper().venue(), "SOSP");
  EXPECT_EQ(parsed.sessions[1].paper().year(), 2023);
  EXPECT_EQ(parsed.sessions[2].paper().venue(), "VLDB");
  EXPECT_EQ(parsed.sessions[2].paper().year(), 2025);
  EXPECT_EQ(parsed.sessions[2].paper().venue_note(), "under revision");
  EXPECT_EQ(parsed.sessions[3].paper().venue(), "OSDI");
  EXPECT_EQ(parsed.sessions[3].paper().year(), 2024);
}

TEST(YamlScheduleTest, VenueYearThatDisagreesWithYearIsAnIssue) {
  const ParsedSchedule parsed = ParseYaml(R"yaml(- date: 2024-10-22
  title: Nomad
  year: 2023
  venue: OSDI'24
- date: 2024-10-29
  title: Motor
  venue: OSDI'24
)yaml");
  EXPECT_THAT(
      parsed.issues,
      ElementsAre(ErrorAt(4, AllOf(HasSubstr("2024"), HasSubstr("2023")))))
      << Issues(parsed);
  EXPECT_THAT(Dates(parsed), ElementsAre("2024-10-29"));
}

TEST(YamlScheduleTest, KindFollowsTheFieldsGiven) {
  const ParsedSchedule parsed = ParseYaml(R"yaml(sessions:
  - date: 2024-10-01
    title: Parrot
    venue: OSDI'24
  - date: 2024-10-08
    title: A paper with only a link
    url: https://www.usenix.org/system/files/osdi24-lin-chaofan.pdf
  - date: 2024-10-15
    title: A paper with only a year
    year: 2024
  - date: 2024-10-22
    title: How (and How Not) to Write a Good Systems Paper
    presenters: Kang Chen
  - date: 2024-10-29
    presenters: Yinhe Chen
  - date: 2024-11-05
)yaml");
  EXPECT_THAT(parsed.issues, IsEmpty()) << Issues(parsed);
  ASSERT_THAT(parsed.sessions, SizeIs(6));
  EXPECT_EQ(parsed.sessions[0].kind(), v1::SESSION_KIND_PAPER);
  EXPECT_EQ(parsed.sessions[1].kind(), v1::SESSION_KIND_PAPER);
  EXPECT_EQ(parsed.sessions[1].paper().url(),
            "https://www.usenix.org/system/files/osdi24-lin-chaofan.pdf");
  EXPECT_EQ(parsed.sessions[1].paper().doi(), "");
  EXPECT_EQ(parsed.sessions[2].kind(), v1::SESSION_KIND_PAPER);
  EXPECT_EQ(parsed.sessions[2].paper().year(), 2024);

  const v1::Session& talk = parsed.sessions[3];
  EXPECT_EQ(talk.kind(), v1::SESSION_KIND_TALK);
  EXPECT_EQ(talk.title(), "How (and How Not) to Write a Good Systems Paper");
  EXPECT_FALSE(talk.has_paper());

  const v1::Session& assigned = parsed.sessions[4];
  EXPECT_EQ(assigned.kind(), v1::SESSION_KIND_OPEN);
  EXPECT_EQ(assigned.title(), "");
  EXPECT_THAT(assigned.presenters(),
              ElementsAre(PresenterIs("Yinhe Chen", "", "")));

  EXPECT_EQ(parsed.sessions[5].kind(), v1::SESSION_KIND_OPEN);
  EXPECT_THAT(parsed.sessions[5].presenters(), IsEmpty());
}

TEST(YamlScheduleTest, PaperFieldsWithoutTitleAreAnIssue) {
  const ParsedSchedule parsed = ParseYaml(R"yaml(- date: 2024-10-01
  venue: OSDI'24
- date: 2024-10-08
)yaml");
  EXPECT_THAT(parsed.issues, ElementsAre(ErrorAt(1, HasSubstr("no title"))))
      << Issues(parsed);
  EXPECT_THAT(Dates(parsed), ElementsAre("2024-10-08"));
}

TEST(YamlScheduleTest, NumbersSessionsSharingADate) {
  const ParsedSchedule parsed = ParseYaml(R"yaml(- date: 2024-10-29
  title: StreamBox
  venue: ATC'24
- date: 2024-10-29
  title: DynaPipe
  venue: EuroSys'24
- date: 2024-11-06
  title: ModelKeeper
  venue: NSDI'23
)yaml");
  EXPECT_THAT(parsed.issues, IsEmpty()) << Issues(parsed);
  ASSERT_THAT(parsed.sessions, SizeIs(3));
  EXPECT_EQ(parsed.sessions[0].ordinal(), 1);
  EXPECT_EQ(parsed.sessions[0].id(), "spring-2025/2024-10-29/1");
  EXPECT_EQ(parsed.sessions[1].ordinal(), 2);
  EXPECT_EQ(parsed.sessions[1].id(), "spring-2025/2024-10-29/2");
  EXPECT_EQ(parsed.sessions[2].ordinal(), 1);
  EXPECT_EQ(parsed.sessions[2].id(), "spring-2025/2024-11-06/1");
}

TEST(YamlScheduleTest, UnknownKeysAreNotesOnTheirLines) {
  const ParsedSchedule parsed = ParseYaml(R"yaml(sessions:
  - date: 2024-09-03
    title: Parrot
    kind: talk
    room: B-201
  - date: 2024-09-10
    Room: B-202
)yaml");
  EXPECT_THAT(parsed.issues, ElementsAre(NoteAt(4, HasSubstr("'kind'")),
                                         NoteAt(5, HasSubstr("'room'")),
                                         NoteAt(7, HasSubstr("'Room'"))))
      << Issues(parsed);
  EXPECT_EQ(parsed.issues[0].file, kYamlLabel);
  EXPECT_EQ(parsed.issues[0].text, "kind: talk");
  EXPECT_FALSE(HasErrors(parsed.issues));
  // The sessions are read as if the keys were not there.
  ASSERT_THAT(parsed.sessions, SizeIs(2));
  EXPECT_EQ(parsed.sessions[0].kind(), v1::SESSION_KIND_TALK);
  EXPECT_EQ(parsed.sessions[1].kind(), v1::SESSION_KIND_OPEN);
}

TEST(YamlScheduleTest, KeysAreCaseInsensitive) {
  const ParsedSchedule parsed = ParseYaml(R"yaml(- Date: 2024-09-03
  Title: Parrot
  URL: https://example.org/parrot.pdf
)yaml");
  EXPECT_THAT(parsed.issues, IsEmpty()) << Issues(parsed);
  ASSERT_THAT(parsed.sessions, SizeIs(1));
  EXPECT_EQ(parsed.sessions[0].paper().url(), "https://example.org/parrot.pdf");
}

TEST(YamlScheduleTest, ReportsBadAndMissingDatesAndKeepsTheRest) {
  const ParsedSchedule parsed = ParseYaml(R"yaml(sessions:
  - date: 2024-09-03
    title: Parrot
  - title: No date at all
    venue: OSDI'24
  - title: Impossible date
    date: 2024-02-30
  - date: next tuesday
  - date:
  - date: 2024-09-10
    title: PIT
)yaml");
  EXPECT_THAT(parsed.issues,
              ElementsAre(ErrorAt(4, HasSubstr("no date")),
                          ErrorAt(7, HasSubstr("'2024-02-30' is not a date")),
                          ErrorAt(8, HasSubstr("'next tuesday' is not a date")),
                          ErrorAt(9, HasSubstr("no date"))))
      << Issues(parsed);
  EXPECT_EQ(parsed.issues[1].text, "date: 2024-02-30");
  EXPECT_TRUE(HasErrors(parsed.issues));
  EXPECT_THAT(Dates(parsed), ElementsAre("2024-09-03", "2024-09-10"));
  EXPECT_EQ(parsed.sessions[1].source().line(), 10);
}

TEST(YamlScheduleTest, ReportsValuesOfTheWrongShape) {
  const ParsedSchedule parsed = ParseYaml(R"yaml(sessions:
  - date: 2024-09-03
    title: [two, titles]
  - date: 2024-09-10
    presenters: {name: Jiahao Li}
  - date: 2024-09-17
    presenter: Jiahao Li
    presenters: Jiahao Li
  - date: 2024-09-24
    year: next year
  - just a string
  - date: 2024-10-01
)yaml");
  EXPECT_THAT(parsed.issues, ElementsAre(ErrorAt(3, HasSubstr("single value")),
                                         ErrorAt(5, HasSubstr("presenters")),
                                         ErrorAt(8, HasSubstr("repeats")),
                                         ErrorAt(10, HasSubstr("not a year")),
                                         ErrorAt(11, HasSubstr("map"))))
      << Issues(parsed);
  EXPECT_THAT(Dates(parsed), ElementsAre("2024-10-01"));
}

TEST(YamlScheduleTest, SyntaxErrorIsAnIssueWithItsLine) {
  const ParsedSchedule parsed = ParseYaml(R"yaml(sessions:
  - date: 2024-09-03
    title: [unclosed
  - date: 2024-09-10
)yaml");
  ASSERT_THAT(parsed.issues, SizeIs(1)) << Issues(parsed);
  EXPECT_EQ(parsed.issues[0].file, kYamlLabel);
  EXPECT_FALSE(parsed.issues[0].note);
  EXPECT_THAT(parsed.issues[0].message, HasSubstr("YAML"));
  // yaml-cpp notices the missing "]" where the next item starts.
  EXPECT_EQ(parsed.issues[0].line, 4);
  EXPECT_THAT(parsed.sessions, IsEmpty());
}

TEST(YamlScheduleTest, BadIndentationIsAnIssueWithItsLine) {
  const ParsedSchedule parsed = ParseYaml(
      "- date: 2024-09-03\n"
      " title: one space short\n");
  ASSERT_THAT(parsed.issues, SizeIs(1)) << Issues(parsed);
  EXPECT_EQ(parsed.issues[0].line, 2);
  EXPECT_EQ(parsed.issues[0].text, "title: one space short");
}

TEST(YamlScheduleTest, DeepNestingIsAnIssueWithAShortText) {
  const ParsedSchedule parsed = ParseYaml(std::string(100000, '['));
  ASSERT_THAT(parsed.issues, SizeIs(1));
  EXPECT_THAT(parsed.issues[0], ErrorAt(1, HasSubstr("nested too deeply")));
  // The offending line is cut short rather than copied whole.
  EXPECT_EQ(parsed.issues[0].text, std::string(200, '[') + "...");
}

TEST(YamlScheduleTest, HostileInputIsAnIssueNotACrash) {
  for (const std::string& text : {
           std::string("- &a [*a]\n"),
           std::string("- *nowhere\n"),
           std::string("sessions: &s\n  - *s\n"),
           std::string("\t- date: 2024-09-03\n"),
           std::string("sessions:\n  - date: 2024-09-03\n    presenters: &p "
                       "[*p]\n"),
       }) {
    const ParsedSchedule parsed = ParseYaml(text);
    EXPECT_TRUE(HasErrors(parsed.issues)) << text.substr(0, 40);
    EXPECT_THAT(parsed.sessions, IsEmpty()) << text.substr(0, 40);
  }
}

TEST(YamlScheduleTest, ReadsFrontMatterAndIgnoresTheMarkdownAfterIt) {
  const ParsedSchedule parsed = ParseYaml(R"md(---
layout: page
title: 2025 Spring
sessions:
  - date: 2025-03-04
    title: Parrot
    venue: OSDI'24
  - date: 2025-03-11
---

# 2025 Spring

Not YAML at all: [unbalanced {brackets and: colons: everywhere
)md");
  EXPECT_THAT(parsed.issues, IsEmpty()) << Issues(parsed);
  EXPECT_EQ(parsed.title, "2025 Spring");
  EXPECT_THAT(Dates(parsed), ElementsAre("2025-03-04", "2025-03-11"));
  EXPECT_EQ(parsed.sessions[0].source().line(), 5);
  EXPECT_EQ(parsed.sessions[1].source().line(), 8);
}

TEST(YamlScheduleTest, ReadsATopLevelList) {
  const ParsedSchedule parsed = ParseYaml(R"yaml(# Spring schedule
- date: 2025-03-04
  title: Parrot
  venue: OSDI'24

- date: 2025-03-11
  title: PIT
  venue: SOSP'23
)yaml");
  EXPECT_THAT(parsed.issues, IsEmpty()) << Issues(parsed);
  EXPECT_THAT(Dates(parsed), ElementsAre("2025-03-04", "2025-03-11"));
  EXPECT_EQ(parsed.sessions[0].source().line(), 2);
  EXPECT_EQ(parsed.sessions[1].source().line(), 6);
  EXPECT_EQ(parsed.start_year, 2025);
}

TEST(YamlScheduleTest, ConfigStartYearWins) {
  ScheduleParseOptions options = Options(kYamlLabel);
  options.start_year = 2024;
  const ParsedSchedule parsed =
      ParseYamlSchedule("- date: 2025-01-07\n", options);
  EXPECT_THAT(parsed.issues, IsEmpty()) << Issues(parsed);
  EXPECT_EQ(parsed.start_year, 2024);
}

TEST(YamlScheduleTest, ReadsWindowsLineEndings) {
  const ParsedSchedule parsed = ParseYaml(
      "sessions:\r\n  - date: 2024-09-03\r\n    title: Parrot\r\n"
      "    colour: red\r\n");
  ASSERT_THAT(parsed.sessions, SizeIs(1));
  EXPECT_EQ(parsed.sessions[0].title(), "Parrot");
  EXPECT_THAT(parsed.issues, ElementsAre(NoteAt(4, HasSubstr("'colour'"))));
  EXPECT_EQ(parsed.issues[0].text, "colour: red");
}

TEST(YamlScheduleTest, RepairsMojibake) {
  // "μSlope" as the Markdown seed stores it: UTF-8 read as Windows-1254.
  const ParsedSchedule parsed = ParseYaml(
      "- date: 2024-09-24\n"
      "  title: \"\xC3\x8E\xC2\xBC"
      "Slope: High Compression\"\n");
  EXPECT_THAT(parsed.issues, IsEmpty()) << Issues(parsed);
  ASSERT_THAT(parsed.sessions, SizeIs(1));
  EXPECT_EQ(parsed.sessions[0].title(), "\xCE\xBCSlope: High Compression");
}

TEST(YamlScheduleTest, ReportsDocumentsWithoutASessionList) {
  EXPECT_THAT(ParseYaml("").issues, ElementsAre(ErrorAt(0, HasSubstr("list"))));
  EXPECT_THAT(ParseYaml("just a sentence\n").issues,
              ElementsAre(ErrorAt(0, HasSubstr("list"))));
  EXPECT_THAT(ParseYaml("title: Spring\nlayout: page\n").issues,
              ElementsAre(ErrorAt(1, HasSubstr("sessions"))));
  EXPECT_THAT(ParseYaml("title: Spring\nsessions: weekly\n").issues,
              ElementsAre(ErrorAt(2, HasSubstr("must be a list"))));
  // An empty list is a schedule with nothing on it yet.
  const ParsedSchedule empty = ParseYaml("sessions:\n");
  EXPECT_THAT(empty.issues, IsEmpty()) << Issues(empty);
  EXPECT_THAT(empty.sessions, IsEmpty());
}

// --------------------------------------------------------------------- CSV

TEST(CsvScheduleTest, ReadsQuotedFieldsAndSynonyms) {
  const ParsedSchedule parsed = ParseCsvText(
      "Date,Paper,Speaker,Venue,URL,Slides,Summary,Video,Authors\n"
      "2024-09-10,\"PIT: Optimization of Dynamic Sparse Deep Learning "
      "Models, \"\"Permutation\"\" Edition\",\"Jiaan Zhu (Andy), Qinghe "
      "Wang\",SOSP'23,https://dl.acm.org/doi/10.1145/3600006.3613139,"
      "./slides/pit.pdf,https://zhuanlan.zhihu.com/p/720960564,"
      "https://www.bilibili.com/video/BV14b4peiEus,\"Ningxin Zheng; "
      "Huiqiang Jiang\"\n");
  EXPECT_THAT(parsed.issues, IsEmpty()) << Issues(parsed);
  ASSERT_THAT(parsed.sessions, SizeIs(1));
  const v1::Session& session = parsed.sessions[0];
  EXPECT_EQ(session.id(), "spring-2025/2024-09-10/1");
  EXPECT_EQ(session.kind(), v1::SESSION_KIND_PAPER);
  EXPECT_EQ(session.title(),
            "PIT: Optimization of Dynamic Sparse Deep Learning Models, "
            "\"Permutation\" Edition");
  EXPECT_EQ(session.paper().venue(), "SOSP");
  EXPECT_EQ(session.paper().year(), 2023);
  EXPECT_EQ(session.paper().doi(), "10.1145/3600006.3613139");
  EXPECT_THAT(session.presenters(),
              ElementsAre(PresenterIs("Jiaan Zhu", "", "Andy"),
                          PresenterIs("Qinghe Wang", "", "")));
  EXPECT_EQ(session.links().slides(), "./slides/pit.pdf");
  EXPECT_EQ(session.links().qa_summary(),
            "https://zhuanlan.zhihu.com/p/720960564");
  EXPECT_EQ(session.links().video(),
            "https://www.bilibili.com/video/BV14b4peiEus");
  EXPECT_EQ(session.source().file(), kCsvLabel);
  EXPECT_EQ(session.source().line(), 2);
}

TEST(CsvScheduleTest, ReadsCanonicalNamesDateFormsAndKinds) {
  const ParsedSchedule parsed = ParseCsvText(
      "date,title,presenters,venue,year,link\n"
      "09/03/2024,Parrot,Chaoyi Ruan,OSDI,2024,\n"
      "2024-10-08,How to Write a Good Systems Paper,Kang Chen,,,\n"
      "2024-10-08,,Yinhe Chen,,,\n"
      "2024-10-15,,,,,\n");
  EXPECT_THAT(parsed.issues, IsEmpty()) << Issues(parsed);
  ASSERT_THAT(parsed.sessions, SizeIs(4));
  EXPECT_EQ(parsed.sessions[0].date(), "2024-09-03");
  EXPECT_EQ(parsed.sessions[0].kind(), v1::SESSION_KIND_PAPER);
  EXPECT_EQ(parsed.sessions[0].paper().venue(), "OSDI");
  EXPECT_EQ(parsed.sessions[0].paper().year(), 2024);
  EXPECT_EQ(parsed.sessions[1].kind(), v1::SESSION_KIND_TALK);
  EXPECT_EQ(parsed.sessions[2].kind(), v1::SESSION_KIND_OPEN);
  EXPECT_THAT(parsed.sessions[2].presenters(),
              ElementsAre(PresenterIs("Yinhe Chen", "", "")));
  EXPECT_EQ(parsed.sessions[2].ordinal(), 2);
  EXPECT_EQ(parsed.sessions[2].id(), "spring-2025/2024-10-08/2");
  EXPECT_EQ(parsed.sessions[3].kind(), v1::SESSION_KIND_OPEN);
  EXPECT_EQ(parsed.start_year, 2024);
}

TEST(CsvScheduleTest, UnknownColumnsAreOneNote) {
  const ParsedSchedule parsed = ParseCsvText(
      "date,title,room,notes,\n"
      "2024-09-03,Parrot,B-201,bring snacks,\n"
      "2024-09-10,PIT,B-202,,\n");
  ASSERT_THAT(parsed.issues, SizeIs(1)) << Issues(parsed);
  EXPECT_THAT(parsed.issues[0],
              NoteAt(1, AllOf(HasSubstr("'room'"), HasSubstr("'notes'"),
                              HasSubstr("column 5"))));
  EXPECT_EQ(parsed.issues[0].text, "date,title,room,notes,");
  EXPECT_FALSE(HasErrors(parsed.issues));
  EXPECT_THAT(Dates(parsed), ElementsAre("2024-09-03", "2024-09-10"));
}

TEST(CsvScheduleTest, SecondColumnForAFieldIsNoted) {
  const ParsedSchedule parsed = ParseCsvText(
      "date,presenter,speaker\n"
      "2024-09-03,Chaoyi Ruan,Someone Else\n");
  EXPECT_THAT(parsed.issues, ElementsAre(NoteAt(1, HasSubstr("'speaker'"))));
  ASSERT_THAT(parsed.sessions, SizeIs(1));
  EXPECT_THAT(parsed.sessions[0].presenters(),
              ElementsAre(PresenterIs("Chaoyi Ruan", "", "")));
}

TEST(CsvScheduleTest, ReportsBadRowsByLineAndKeepsTheRest) {
  const ParsedSchedule parsed = ParseCsvText(
      "date,title,presenter\n"
      "2024-09-03,\"A title\nwritten on two lines\",Chaoyi Ruan\n"
      "2024-13-01,Bad month,Jiahao Li\n"
      ",No date,Jiahao Li\n"
      "2024-09-17,Too,many,fields\n"
      "\n"
      "2024-09-24,Fine,Yuming Xu\n");
  EXPECT_THAT(parsed.issues,
              ElementsAre(ErrorAt(6, HasSubstr("expected 3 fields")),
                          ErrorAt(4, HasSubstr("'2024-13-01' is not a date")),
                          ErrorAt(5, HasSubstr("no date"))))
      << Issues(parsed);
  EXPECT_EQ(parsed.issues[1].text, "2024-13-01,Bad month,Jiahao Li");
  EXPECT_THAT(Dates(parsed), ElementsAre("2024-09-03", "2024-09-24"));
  EXPECT_EQ(parsed.sessions[0].title(), "A title written on two lines");
  EXPECT_EQ(parsed.sessions[1].source().line(), 8);
}

TEST(CsvScheduleTest, UnterminatedQuoteIsAnIssue) {
  const ParsedSchedule parsed = ParseCsvText(
      "date,title\n"
      "2024-09-03,Parrot\n"
      "2024-09-10,\"PIT\n");
  EXPECT_THAT(parsed.issues, ElementsAre(ErrorAt(3, HasSubstr("unterminated"))))
      << Issues(parsed);
  // The row the quote swallowed is not read half-way.
  EXPECT_THAT(Dates(parsed), ElementsAre("2024-09-03"));
}

TEST(CsvScheduleTest, ReportsMissingHeaderOrDateColumn) {
  EXPECT_THAT(ParseCsvText("").issues,
              ElementsAre(ErrorAt(0, HasSubstr("header"))));
  const ParsedSchedule no_date =
      ParseCsvText("\ntitle,presenter\nParrot,Chaoyi Ruan\n");
  EXPECT_THAT(no_date.issues, ElementsAre(ErrorAt(2, HasSubstr("no date"))))
      << Issues(no_date);
  EXPECT_THAT(no_date.sessions, IsEmpty());
}

// --------------------------------------------------------------- Detection

TEST(DetectScheduleFormatTest, DetectsTheBundledSchedules) {
  const std::string markdown = testing::ReadFile(
      testing::SourceDir() + "/data/schedules/002_0cd5e5f5aef9465a.txt");
  const std::string list = testing::ReadFile(
      testing::SourceDir() + "/data/schedules/000_6ab9045ce742c85b.txt");
  ASSERT_FALSE(markdown.empty());
  ASSERT_FALSE(list.empty());
  EXPECT_EQ(DetectScheduleFormat(markdown), v1::SCHEDULE_FORMAT_MARKDOWN);
  EXPECT_EQ(DetectScheduleFormat(list), v1::SCHEDULE_FORMAT_NUMBERED_LIST);
}

TEST(DetectScheduleFormatTest, DetectsYaml) {
  EXPECT_EQ(DetectScheduleFormat("title: Spring\nsessions:\n  - date: x\n"),
            v1::SCHEDULE_FORMAT_YAML);
  EXPECT_EQ(DetectScheduleFormat("# comment\nsessions: []\n"),
            v1::SCHEDULE_FORMAT_YAML);
  EXPECT_EQ(DetectScheduleFormat("# Spring\n\n- date: 2025-03-04\n"),
            v1::SCHEDULE_FORMAT_YAML);
  EXPECT_EQ(DetectScheduleFormat("-   Date : 2025-03-04\n"),
            v1::SCHEDULE_FORMAT_YAML);
  EXPECT_EQ(DetectScheduleFormat(
                "---\nlayout: page\nsessions:\n  - date: 2025-03-04\n---\n"
                "# Spring\n### March 4\n"),
            v1::SCHEDULE_FORMAT_YAML);
  // A YAML document marker that never closes starts a plain YAML file.
  EXPECT_EQ(DetectScheduleFormat("---\n- title: Parrot\n  date: 2025-03-04\n"),
            v1::SCHEDULE_FORMAT_YAML);
}

TEST(DetectScheduleFormatTest, FrontMatterWithoutSessionsIsJudgedByTheBody) {
  EXPECT_EQ(DetectScheduleFormat("---\nlayout: page\ntitle: Spring\n---\n"
                                 "# 2025 Spring\n## Schedule\n### March 4\n"),
            v1::SCHEDULE_FORMAT_MARKDOWN);
}

TEST(DetectScheduleFormatTest, DetectsCsv) {
  EXPECT_EQ(DetectScheduleFormat("date,title,presenter\n2024-09-03,Parrot,A\n"),
            v1::SCHEDULE_FORMAT_CSV);
  EXPECT_EQ(DetectScheduleFormat("\xEF\xBB\xBF\"Date\", Paper ,Speaker\n"),
            v1::SCHEDULE_FORMAT_CSV);
  // Commas alone do not make a CSV schedule.
  EXPECT_EQ(DetectScheduleFormat("name,email\nA,a@example.org\n"),
            v1::SCHEDULE_FORMAT_UNSPECIFIED);
}

TEST(DetectScheduleFormatTest, DetectsNumberedListAndMarkdown) {
  EXPECT_EQ(DetectScheduleFormat("1) 9.17, A Paper (OSDI'24), Fei Xu\n"),
            v1::SCHEDULE_FORMAT_NUMBERED_LIST);
  EXPECT_EQ(DetectScheduleFormat("Intro\n\xEF\xBC\x91\xEF\xBC\x89 9.17, A "
                                 "Paper (OSDI'24), Fei Xu\n"),
            v1::SCHEDULE_FORMAT_NUMBERED_LIST);
  EXPECT_EQ(DetectScheduleFormat("# 2025 Spring\n\nTo be announced.\n"),
            v1::SCHEDULE_FORMAT_MARKDOWN);
  // Numbered rules inside a Markdown schedule do not make it a list.
  EXPECT_EQ(DetectScheduleFormat("# 2025 Spring\n## Rules\n1) Be on time\n"
                                 "## Schedule\n### March 4\n"),
            v1::SCHEDULE_FORMAT_MARKDOWN);
}

TEST(DetectScheduleFormatTest, UndetectableTextIsUnspecified) {
  EXPECT_EQ(DetectScheduleFormat(""), v1::SCHEDULE_FORMAT_UNSPECIFIED);
  EXPECT_EQ(DetectScheduleFormat("We meet on Tuesdays.\nsessions: weekly\n"
                                 "#hashtag\n"),
            v1::SCHEDULE_FORMAT_UNSPECIFIED);
}

// ------------------------------------------------------------ ParseSchedule

TEST(ParseScheduleFormatsTest, DispatchesYamlAndCsv) {
  const ScheduleParseOptions options = Options("f");
  const ParsedSchedule yaml = ParseSchedule(
      v1::SCHEDULE_FORMAT_YAML, "- date: 2024-09-03\n  title: T\n", options);
  EXPECT_THAT(yaml.issues, IsEmpty()) << Issues(yaml);
  EXPECT_THAT(Dates(yaml), ElementsAre("2024-09-03"));
  const ParsedSchedule csv = ParseSchedule(
      v1::SCHEDULE_FORMAT_CSV, "date,title\n2024-09-03,T\n", options);
  EXPECT_THAT(csv.issues, IsEmpty()) << Issues(csv);
  EXPECT_THAT(Dates(csv), ElementsAre("2024-09-03"));
}

TEST(ParseScheduleFormatsTest, UnspecifiedFormatIsDetected) {
  const ScheduleParseOptions options = Options("f");
  const ParsedSchedule yaml =
      ParseSchedule(v1::SCHEDULE_FORMAT_UNSPECIFIED,
                    "sessions:\n  - date: 2024-09-03\n", options);
  EXPECT_THAT(yaml.issues, IsEmpty()) << Issues(yaml);
  EXPECT_THAT(Dates(yaml), ElementsAre("2024-09-03"));
  const ParsedSchedule csv = ParseSchedule(
      v1::SCHEDULE_FORMAT_UNSPECIFIED, "date,title\n09/10/2024,T\n", options);
  EXPECT_THAT(csv.issues, IsEmpty()) << Issues(csv);
  EXPECT_THAT(Dates(csv), ElementsAre("2024-09-10"));
}

TEST(ParseScheduleFormatsTest, UnspecifiedBundledSchedulesParseAsConfigured) {
  ScheduleParseOptions options = Options("f");
  options.start_year = 2024;
  for (const auto& [file, format] :
       std::vector<std::pair<std::string, v1::ScheduleFormat>>{
           {"002_0cd5e5f5aef9465a.txt", v1::SCHEDULE_FORMAT_MARKDOWN},
           {"000_6ab9045ce742c85b.txt", v1::SCHEDULE_FORMAT_NUMBERED_LIST}}) {
    const std::string text =
        testing::ReadFile(testing::SourceDir() + "/data/schedules/" + file);
    const ParsedSchedule configured = ParseSchedule(format, text, options);
    const ParsedSchedule detected =
        ParseSchedule(v1::SCHEDULE_FORMAT_UNSPECIFIED, text, options);
    ASSERT_THAT(configured.sessions, Not(IsEmpty())) << file;
    ASSERT_EQ(detected.sessions.size(), configured.sessions.size()) << file;
    for (size_t i = 0; i < detected.sessions.size(); ++i) {
      EXPECT_EQ(detected.sessions[i].id(), configured.sessions[i].id());
      EXPECT_EQ(detected.sessions[i].title(), configured.sessions[i].title());
    }
  }
}

TEST(ParseScheduleFormatsTest, UndetectableTextIsOneIssueNamingTheFormats) {
  const ParsedSchedule parsed =
      ParseSchedule(v1::SCHEDULE_FORMAT_UNSPECIFIED,
                    "We meet on Tuesdays; papers to be announced.\n",
                    Options("schedules/notes.txt"));
  EXPECT_THAT(parsed.sessions, IsEmpty());
  ASSERT_THAT(parsed.issues, SizeIs(1));
  EXPECT_THAT(
      parsed.issues[0],
      ErrorAt(0, AllOf(HasSubstr("Markdown"), HasSubstr("numbered list"),
                       HasSubstr("YAML"), HasSubstr("CSV"))));
  EXPECT_EQ(parsed.issues[0].file, "schedules/notes.txt");
}

TEST(ParseScheduleFormatsTest, UnknownFormatValueIsOneIssue) {
  const ParsedSchedule parsed =
      ParseSchedule(static_cast<v1::ScheduleFormat>(99), "- date: 2024-09-03\n",
                    Options("f"));
  EXPECT_THAT(parsed.sessions, IsEmpty());
  EXPECT_THAT(parsed.issues,
              ElementsAre(ErrorAt(0, HasSubstr("unknown schedule format"))));
}

}  // namespace
}  // namespace lectern
