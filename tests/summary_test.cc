#include "indexer/summary.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "indexer/schedule.h"
#include "tests/testing/paths.h"
#include "tests/testing/temp_dir.h"

namespace lectern {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

constexpr char kDistServeTitle[] =
    "DistServe: Disaggregating Prefill and Decoding for Goodput-optimized "
    "Large Language Model Serving";
constexpr char kPiselTitle[] =
    "PISeL: Pipelining DNN Inference for Serverless Computing";

// Issues as "file:line: [note] message", for failure messages.
std::string Describe(const std::vector<ParseIssue>& issues) {
  std::string out;
  for (const ParseIssue& issue : issues) {
    absl::StrAppend(&out, issue.file, ":", issue.line, ": ",
                    issue.note ? "note: " : "", issue.message, "\n");
  }
  return out;
}

MATCHER_P(IsErrorAt, line, "") { return !arg.note && arg.line == line; }

MATCHER_P(IsNoteAt, line, "") { return arg.note && arg.line == line; }

std::string SummariesDir() { return testing::SourceDir() + "/data/summaries"; }

// A real summary file: its text and its label as the bundled config sees
// it ("summaries/fall-2024/240903-parrot.md").
struct RealFile {
  std::string label;
  std::string text;
};

RealFile ReadReal(const std::string& group, const std::string& name) {
  RealFile file;
  file.label = absl::StrCat("summaries/", group, "/", name);
  file.text =
      testing::ReadFile(absl::StrCat(SummariesDir(), "/", group, "/", name));
  EXPECT_FALSE(file.text.empty()) << file.label;
  return file;
}

v1::Session Session(const std::string& group, const std::string& date,
                    int ordinal, const std::string& title,
                    const std::string& paper_id = "",
                    const std::string& qa_url = "") {
  v1::Session session;
  session.set_id(absl::StrCat(group, "/", date, "/", ordinal));
  session.set_group(group);
  session.set_date(date);
  session.set_ordinal(ordinal);
  session.set_kind(v1::SESSION_KIND_PAPER);
  session.set_title(title);
  session.mutable_paper()->set_title(title);
  session.mutable_paper()->set_paper_id(paper_id);
  session.mutable_links()->set_qa_summary(qa_url);
  return session;
}

// ---------------------------------------------------------- ParseSummaryFile

TEST(ParseSummaryFileTest, ReadsEveryFrontMatterKey) {
  const SummaryFile file = ParseSummaryFile(
      "---\n"                                           // 1
      "group: paper-list-2024\n"                        // 2
      "date: 2024-12-24\n"                              // 3
      "paper: \"DistServe: Disaggregating Prefill\"\n"  // 4
      "language: EN\n"                                  // 5
      "url: https://zhuanlan.zhihu.com/p/1234567890\n"  // 6
      "title: DistServe Q&A\n"                          // 7
      "---\n"                                           // 8
      "# A heading that is not the title\n"             // 9
      "\n"
      "Some text.\n",
      "summaries/paper-list-2024/distserve.md", "fall-2024");
  EXPECT_THAT(file.issues, IsEmpty()) << Describe(file.issues);
  const v1::Summary& summary = file.summary;
  EXPECT_EQ(summary.id(), "summaries/paper-list-2024/distserve.md");
  EXPECT_EQ(summary.source().file(), "summaries/paper-list-2024/distserve.md");
  EXPECT_EQ(summary.source().line(), 9);
  EXPECT_EQ(summary.group(), "paper-list-2024");
  EXPECT_EQ(summary.date(), "2024-12-24");
  EXPECT_EQ(file.paper_hint, "DistServe: Disaggregating Prefill");
  EXPECT_EQ(summary.language(), "en");
  EXPECT_EQ(summary.url(), "https://zhuanlan.zhihu.com/p/1234567890");
  EXPECT_EQ(summary.title(), "DistServe Q&A");
  EXPECT_EQ(summary.text(), "# A heading that is not the title\n\nSome text.");
  // Left for ResolveSummaries.
  EXPECT_EQ(summary.session_id(), "");
  EXPECT_EQ(summary.paper_id(), "");
}

TEST(ParseSummaryFileTest, UnknownKeysAreNotesWithTheirLines) {
  const SummaryFile file = ParseSummaryFile(
      "---\n"                // 1
      "group: fall-2024\n"   // 2
      "author: Jiahao Li\n"  // 3
      "date: 2024-09-18\n"   // 4
      "tags: memory\n"       // 5
      "---\n"
      "# Nomad\n"
      "Text.\n",
      "nomad.md", "");
  ASSERT_THAT(file.issues, SizeIs(2)) << Describe(file.issues);
  EXPECT_THAT(file.issues[0], IsNoteAt(3));
  EXPECT_THAT(file.issues[0].message, HasSubstr("author"));
  EXPECT_THAT(file.issues[1], IsNoteAt(5));
  EXPECT_THAT(file.issues[1].message, HasSubstr("tags"));
  EXPECT_EQ(file.issues[0].file, "nomad.md");
  EXPECT_FALSE(HasErrors(file.issues));
  // The known keys are still read.
  EXPECT_EQ(file.summary.group(), "fall-2024");
  EXPECT_EQ(file.summary.date(), "2024-09-18");
}

TEST(ParseSummaryFileTest, InvalidDateIsAnError) {
  for (const char* date : {"2024-13-01", "2024-02-30", "2024-9-3",
                           "September 3", "2024/09/03", "0024-09-03"}) {
    const SummaryFile file =
        ParseSummaryFile(absl::StrCat("---\ngroup: fall-2024\ndate: ", date,
                                      "\n---\n# T\ntext\n"),
                         "x.md", "");
    EXPECT_THAT(file.issues, ElementsAre(IsErrorAt(3)))
        << date << "\n"
        << Describe(file.issues);
    EXPECT_TRUE(HasErrors(file.issues)) << date;
  }
}

// A two-digit year is not YYYY-MM-DD, but absl::ParseCivilTime reads
// "24-09-03" as the year 24 and formats it back unchanged, so the
// round-trip check in summary.cc accepts it. The file is then only reported
// later, by ResolveSummaries, as naming no session on "24-09-03".
TEST(ParseSummaryFileTest, TwoDigitYearDateIsAnError) {
  const SummaryFile file = ParseSummaryFile(
      "---\ngroup: fall-2024\ndate: 24-09-03\n---\n# T\ntext\n", "240903-x.md",
      "");
  EXPECT_THAT(file.issues, ElementsAre(IsErrorAt(3))) << Describe(file.issues);
}

// Empty front matter (as Jekyll-style sites write it to mark a page) gives
// no date, so per docs/FORMATS.md the file name names the session; the
// group comes from the folder. summary.cc instead reports "front matter
// must be 'key: value' lines" and drops the file.
TEST(ParseSummaryFileTest, EmptyFrontMatterFallsBackToFileNameAndFolderGroup) {
  for (const char* front_matter : {"---\n---\n", "---\n# a comment\n---\n"}) {
    const SummaryFile file =
        ParseSummaryFile(absl::StrCat(front_matter, "# Parrot\ntext\n"),
                         "summaries/240903-parrot.md", "fall-2024");
    EXPECT_FALSE(HasErrors(file.issues))
        << front_matter << Describe(file.issues);
    EXPECT_EQ(file.summary.date(), "2024-09-03") << front_matter;
    EXPECT_EQ(file.summary.group(), "fall-2024") << front_matter;
  }
}

TEST(ParseSummaryFileTest, UnclosedFrontMatterIsAnError) {
  const SummaryFile file = ParseSummaryFile(
      "---\n"
      "group: fall-2024\n"
      "date: 2024-09-18\n"
      "# Nomad\n"
      "Text.\n",
      "nomad.md", "");
  EXPECT_TRUE(HasErrors(file.issues)) << Describe(file.issues);
  ASSERT_THAT(file.issues, Not(IsEmpty()));
  EXPECT_EQ(file.issues[0].file, "nomad.md");
}

// Front matter that is not a map of single values is an error issue, and
// never escapes as an exception.
class BadFrontMatterTest : public ::testing::TestWithParam<const char*> {};

TEST_P(BadFrontMatterTest, IsAnErrorIssueNotAnException) {
  const std::string text =
      absl::StrCat("---\n", GetParam(), "\n---\n# Title\nSome text.\n");
  SummaryFile file;
  EXPECT_NO_THROW(file = ParseSummaryFile(text, "bad.md", "fall-2024"));
  EXPECT_TRUE(HasErrors(file.issues)) << text << "\n" << Describe(file.issues);
  for (const ParseIssue& issue : file.issues) {
    EXPECT_EQ(issue.file, "bad.md");
    EXPECT_GE(issue.line, 1);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Yaml, BadFrontMatterTest,
    ::testing::Values("group: [unclosed\ndate: 2024-09-18",    // flow list
                      "date: 2024-09-18\n  bad: indentation",  // indentation
                      "group: fall-2024\n\tdate: 2024-09-18",  // tab indent
                      "- a list\n- not a map",                 // not a map
                      "just a scalar",                         // not a map
                      "group: [a, b]",                         // list value
                      "date: {year: 2024}",                    // map value
                      "? [a, b]\n: complex key",               // list as key
                      "{x: 1}: map as key",                    // map as key
                      "group: &a x\ndate: *b"));               // bad alias

TEST(ParseSummaryFileTest, DateFromFileNameWithoutFrontMatter) {
  const SummaryFile file =
      ParseSummaryFile("# Parrot 讨论总结\n\n本期由 Chaoyi Ruan 主讲。\n",
                       "summaries/fall-2024/240903-parrot.md", "fall-2024");
  EXPECT_THAT(file.issues, IsEmpty()) << Describe(file.issues);
  EXPECT_EQ(file.summary.date(), "2024-09-03");
  EXPECT_EQ(file.summary.group(), "fall-2024");
  EXPECT_EQ(file.summary.source().line(), 1);
  EXPECT_EQ(file.summary.title(), "Parrot 讨论总结");
}

TEST(ParseSummaryFileTest, DateFromFileNameWhenFrontMatterGivesNone) {
  const SummaryFile file =
      ParseSummaryFile("---\ngroup: paper-list-2024\n---\n# T\ntext\n",
                       "summaries/250107-powerinfer.md", "");
  EXPECT_THAT(file.issues, IsEmpty()) << Describe(file.issues);
  EXPECT_EQ(file.summary.date(), "2025-01-07");
}

TEST(ParseSummaryFileTest, FrontMatterDateWinsOverFileName) {
  const SummaryFile file = ParseSummaryFile(
      "---\ndate: 2024-09-10\n---\n# T\ntext\n", "240903-parrot.md", "");
  EXPECT_EQ(file.summary.date(), "2024-09-10");
}

TEST(ParseSummaryFileTest, InvalidFileNameDatesGiveNoDate) {
  for (const char* label :
       {"summaries/241332-bad-month.md", "summaries/240230-no-feb-30.md",
        "summaries/240900-day-zero.md", "summaries/230229-not-leap.md",
        "summaries/parrot.md", "summaries/2409-short.md", "summaries/240903.md",
        "summaries/240903parrot.md", "summaries/24o903-letter.md",
        "summaries/x240903-parrot.md"}) {
    const SummaryFile file =
        ParseSummaryFile("# Title\ntext\n", label, "fall-2024");
    EXPECT_EQ(file.summary.date(), "") << label;
    EXPECT_FALSE(HasErrors(file.issues)) << label << Describe(file.issues);
  }
  // A real leap day is fine.
  EXPECT_EQ(
      ParseSummaryFile("# T\ntext\n", "240229-leap.md", "").summary.date(),
      "2024-02-29");
}

TEST(ParseSummaryFileTest, TitleIsTheFirstTopLevelHeading) {
  const SummaryFile file = ParseSummaryFile(
      "Intro line.\n"
      "## A second-level heading\n"
      "#NoSpace\n"
      "#   Nomad:   Q&A summary  \n"
      "# A later heading\n",
      "241022-x.md", "");
  EXPECT_EQ(file.summary.title(), "Nomad: Q&A summary");
}

TEST(ParseSummaryFileTest, NoHeadingNoTitle) {
  const SummaryFile file =
      ParseSummaryFile("Just text.\n## Sub\n", "241022-x.md", "");
  EXPECT_EQ(file.summary.title(), "");
  EXPECT_THAT(file.issues, IsEmpty()) << Describe(file.issues);
}

TEST(ParseSummaryFileTest, LanguageFromFrontMatterOrDetected) {
  const std::string chinese_body =
      "# 讨论总结\n\n本期由 Ping Gong 主讲，讨论了长文本生成下的显存问题。\n";
  const SummaryFile stated =
      ParseSummaryFile(absl::StrCat("---\nlanguage: en\n---\n", chinese_body),
                       "241015-a.md", "");
  EXPECT_EQ(stated.summary.language(), "en");
  const SummaryFile detected =
      ParseSummaryFile(chinese_body, "241015-a.md", "");
  EXPECT_EQ(detected.summary.language(), "zh");
  const SummaryFile english = ParseSummaryFile(
      "# MSH\n\nLuofan Chen presented the paper.\n", "241022-msh.md", "");
  EXPECT_EQ(english.summary.language(), "en");
}

TEST(ParseSummaryFileTest, EmptyTextIsAnError) {
  for (const char* text :
       {"", "\n \n\t\n", "---\ngroup: fall-2024\ndate: 2024-09-03\n---\n",
        "---\ngroup: fall-2024\ndate: 2024-09-03\n---\n\n   \n"}) {
    const SummaryFile file = ParseSummaryFile(text, "240903-x.md", "");
    EXPECT_TRUE(HasErrors(file.issues)) << '"' << text << "\"\n"
                                        << Describe(file.issues);
  }
}

TEST(ParseSummaryFileTest, ByteOrderMarkBeforeFrontMatter) {
  const SummaryFile file = ParseSummaryFile(
      "\xEF\xBB\xBF---\ngroup: fall-2024\ndate: 2024-09-10\n---\n# PIT\ntext\n",
      "pit.md", "");
  EXPECT_THAT(file.issues, IsEmpty()) << Describe(file.issues);
  EXPECT_EQ(file.summary.group(), "fall-2024");
  EXPECT_EQ(file.summary.date(), "2024-09-10");
  EXPECT_EQ(file.summary.title(), "PIT");
  EXPECT_THAT(file.summary.text(), StartsWith("# PIT"));
}

TEST(ParseSummaryFileTest, ByteOrderMarkWithoutFrontMatter) {
  const SummaryFile file =
      ParseSummaryFile("\xEF\xBB\xBF# Parrot\ntext\n", "240903-parrot.md", "");
  EXPECT_THAT(file.issues, IsEmpty()) << Describe(file.issues);
  EXPECT_EQ(file.summary.title(), "Parrot");
  EXPECT_EQ(file.summary.text(), "# Parrot\ntext");
}

TEST(ParseSummaryFileTest, CrlfLineEnds) {
  const SummaryFile file = ParseSummaryFile(
      "---\r\ngroup: fall-2024\r\ndate: 2024-09-10\r\n---\r\n# PIT\r\ntext\r\n",
      "pit.md", "");
  EXPECT_THAT(file.issues, IsEmpty()) << Describe(file.issues);
  EXPECT_EQ(file.summary.group(), "fall-2024");
  EXPECT_EQ(file.summary.date(), "2024-09-10");
  EXPECT_EQ(file.summary.title(), "PIT");
}

TEST(ParseSummaryFileTest, DefaultGroupOnlyWhenFrontMatterNamesNone) {
  const SummaryFile named =
      ParseSummaryFile("---\ngroup: paper-list-2024\n---\n# T\ntext\n",
                       "241224-a.md", "fall-2024");
  EXPECT_EQ(named.summary.group(), "paper-list-2024");
  const SummaryFile unnamed = ParseSummaryFile(
      "---\ndate: 2024-12-24\n---\n# T\ntext\n", "a.md", "fall-2024");
  EXPECT_EQ(unnamed.summary.group(), "fall-2024");
  const SummaryFile no_front_matter =
      ParseSummaryFile("# T\ntext\n", "241224-a.md", "fall-2024");
  EXPECT_EQ(no_front_matter.summary.group(), "fall-2024");
  const SummaryFile no_default =
      ParseSummaryFile("# T\ntext\n", "241224-a.md", "");
  EXPECT_EQ(no_default.summary.group(), "");
}

TEST(ParseSummaryFileTest, ReadsTheRealSummaries) {
  struct Expected {
    std::string group;
    std::string name;
    std::string date;
    std::string title_prefix;
  };
  const std::vector<Expected> expected = {
      {"fall-2024", "240903-parrot.md", "2024-09-03", "Parrot"},
      {"fall-2024", "240910-pit.md", "2024-09-10", "PIT"},
      {"fall-2024", "240918-nomad.md", "2024-09-18", "Nomad"},
      {"fall-2024", "241015-infinigen.md", "2024-10-15", "InfiniGen"},
      {"fall-2024", "241022-msh.md", "2024-10-22", "MSH"},
      {"paper-list-2024", "241224-distserve.md", "2024-12-24", "DistServe"},
      {"paper-list-2024", "250107-powerinfer.md", "2025-01-07", "PowerInfer"},
  };
  for (const Expected& want : expected) {
    const RealFile real = ReadReal(want.group, want.name);
    const SummaryFile file =
        ParseSummaryFile(real.text, real.label, want.group);
    EXPECT_THAT(file.issues, IsEmpty()) << real.label << "\n"
                                        << Describe(file.issues);
    EXPECT_EQ(file.summary.id(), real.label);
    EXPECT_EQ(file.summary.group(), want.group) << real.label;
    EXPECT_EQ(file.summary.date(), want.date) << real.label;
    EXPECT_THAT(file.summary.title(), StartsWith(want.title_prefix))
        << real.label;
    EXPECT_THAT(file.summary.text(), Not(StartsWith("---"))) << real.label;
  }
  const SummaryFile distserve = [] {
    const RealFile real = ReadReal("paper-list-2024", "241224-distserve.md");
    return ParseSummaryFile(real.text, real.label, "");
  }();
  EXPECT_EQ(distserve.paper_hint, kDistServeTitle);
}

// ------------------------------------------------------------ DetectLanguage

TEST(DetectLanguageTest, ChineseEnglishAndMixed) {
  EXPECT_EQ(DetectLanguage("这是一段中文总结，讨论了显存管理。"), "zh");
  EXPECT_EQ(DetectLanguage("This is an English summary of the talk."), "en");
  // Chinese prose with English technical terms is still Chinese.
  EXPECT_EQ(DetectLanguage("本期讨论 KV cache 的 offloading 问题"), "zh");
  // English prose with one Chinese name is English.
  EXPECT_EQ(DetectLanguage("Thanks to the presenter 张三 for the great talk"),
            "en");
}

TEST(DetectLanguageTest, AtLeastAFifthOfTheLettersMakesChinese) {
  // 1 CJK character among 5 letters: a fifth.
  EXPECT_EQ(DetectLanguage("中abcd"), "zh");
  // 1 among 6: less than a fifth.
  EXPECT_EQ(DetectLanguage("中abcde"), "en");
  // Digits, spaces and punctuation are not letters.
  EXPECT_EQ(DetectLanguage("中abcd 12345678, 90!?"), "zh");
  EXPECT_EQ(DetectLanguage("中，。！abcde"), "en");
}

TEST(DetectLanguageTest, NoLettersIsEnglish) {
  EXPECT_EQ(DetectLanguage(""), "en");
  EXPECT_EQ(DetectLanguage("12345 -- !!"), "en");
}

TEST(DetectLanguageTest, RealSummaries) {
  const std::map<std::string, std::string> expected = {
      {"fall-2024/240903-parrot.md", "zh"},
      {"fall-2024/240910-pit.md", "zh"},
      {"fall-2024/240918-nomad.md", "en"},
      {"fall-2024/241015-infinigen.md", "zh"},
      {"fall-2024/241022-msh.md", "en"},
      {"paper-list-2024/241224-distserve.md", "en"},
      {"paper-list-2024/250107-powerinfer.md", "zh"},
  };
  // Every bundled summary is listed above.
  size_t files = 0;
  for (const auto& group :
       std::filesystem::directory_iterator(SummariesDir())) {
    for (const auto& entry : std::filesystem::directory_iterator(group)) {
      ++files;
      const std::string relative =
          absl::StrCat(group.path().filename().string(), "/",
                       entry.path().filename().string());
      EXPECT_EQ(expected.count(relative), 1u) << relative << " is not listed";
    }
  }
  EXPECT_EQ(files, expected.size());

  for (const auto& [relative, language] : expected) {
    const std::string text =
        testing::ReadFile(absl::StrCat(SummariesDir(), "/", relative));
    ASSERT_FALSE(text.empty()) << relative;
    // Detected on the body alone, whatever the front matter says.
    const SummaryFile file = ParseSummaryFile(text, relative, "");
    EXPECT_EQ(DetectLanguage(file.summary.text()), language) << relative;
    EXPECT_EQ(file.summary.language(), language) << relative;
  }
}

// --------------------------------------------------------- ResolveSummaries

SummaryFile Parsed(const std::string& text, const std::string& label,
                   const std::string& default_group = "") {
  SummaryFile file = ParseSummaryFile(text, label, default_group);
  EXPECT_FALSE(HasErrors(file.issues)) << label << Describe(file.issues);
  return file;
}

std::vector<std::string> SessionIds(const std::vector<v1::Summary>& summaries) {
  std::vector<std::string> out;
  for (const v1::Summary& summary : summaries) {
    out.push_back(summary.session_id());
  }
  return out;
}

TEST(ResolveSummariesTest, ByGroupAndDate) {
  const std::vector<v1::Session> sessions = {
      Session("fall-2024", "2024-09-03", 1, "Parrot", "osdi24-parrot"),
      Session("paper-list-2024", "2024-09-03", 1, "Other", "osdi24-other"),
  };
  std::vector<ParseIssue> issues;
  const std::vector<v1::Summary> resolved = ResolveSummaries(
      {Parsed("# Parrot\ntext\n", "fall/240903-parrot.md", "fall-2024")},
      sessions, &issues);
  EXPECT_THAT(issues, IsEmpty()) << Describe(issues);
  ASSERT_THAT(resolved, SizeIs(1));
  EXPECT_EQ(resolved[0].session_id(), "fall-2024/2024-09-03/1");
  EXPECT_EQ(resolved[0].group(), "fall-2024");
  EXPECT_EQ(resolved[0].date(), "2024-09-03");
  EXPECT_EQ(resolved[0].paper_id(), "osdi24-parrot");
  EXPECT_EQ(resolved[0].id(), "fall/240903-parrot.md");
}

TEST(ResolveSummariesTest, ByDateAloneWhenOneSessionHasIt) {
  const std::vector<v1::Session> sessions = {
      Session("fall-2024", "2024-09-03", 1, "Parrot"),
      Session("paper-list-2024", "2024-12-24", 1, kDistServeTitle,
              "osdi24-distserve-disaggregating-prefill"),
  };
  std::vector<ParseIssue> issues;
  const std::vector<v1::Summary> resolved =
      ResolveSummaries({Parsed("# DistServe\ntext\n", "241224-distserve.md")},
                       sessions, &issues);
  EXPECT_THAT(issues, IsEmpty()) << Describe(issues);
  ASSERT_THAT(resolved, SizeIs(1));
  EXPECT_EQ(resolved[0].session_id(), "paper-list-2024/2024-12-24/1");
  EXPECT_EQ(resolved[0].group(), "paper-list-2024");
  EXPECT_EQ(resolved[0].paper_id(), "osdi24-distserve-disaggregating-prefill");
}

TEST(ResolveSummariesTest, DateOfTwoGroupsIsAmbiguousWithoutAGroup) {
  const std::vector<v1::Session> sessions = {
      Session("fall-2024", "2024-12-10", 1, "PowerInfer"),
      Session("paper-list-2024", "2024-12-10", 1, "Something Else"),
  };
  std::vector<ParseIssue> issues;
  const std::vector<v1::Summary> resolved =
      ResolveSummaries({Parsed("# PowerInfer\ntext\n", "241210-powerinfer.md")},
                       sessions, &issues);
  EXPECT_THAT(resolved, IsEmpty());
  ASSERT_THAT(issues, SizeIs(1));
  EXPECT_FALSE(issues[0].note);
  EXPECT_EQ(issues[0].file, "241210-powerinfer.md");
  EXPECT_THAT(issues[0].message,
              AllOf(HasSubstr("fall-2024/2024-12-10/1"),
                    HasSubstr("paper-list-2024/2024-12-10/1")));
  EXPECT_TRUE(HasErrors(issues));
}

TEST(ResolveSummariesTest, TwoSessionsOfOneGroupOnADateAreAmbiguous) {
  const std::vector<v1::Session> sessions = {
      Session("paper-list-2024", "2024-12-24", 1, kDistServeTitle),
      Session("paper-list-2024", "2024-12-24", 2, kPiselTitle),
      Session("fall-2024", "2024-12-24", 1, "Elsewhere"),
  };
  std::vector<ParseIssue> issues;
  const std::vector<v1::Summary> resolved = ResolveSummaries(
      {Parsed("---\ngroup: paper-list-2024\ndate: 2024-12-24\n---\n# T\nx\n",
              "summaries/distserve.md")},
      sessions, &issues);
  EXPECT_THAT(resolved, IsEmpty());
  ASSERT_THAT(issues, SizeIs(1));
  EXPECT_FALSE(issues[0].note);
  EXPECT_EQ(issues[0].file, "summaries/distserve.md");
  EXPECT_THAT(issues[0].message,
              AllOf(HasSubstr("paper-list-2024/2024-12-24/1"),
                    HasSubstr("paper-list-2024/2024-12-24/2"),
                    Not(HasSubstr("fall-2024/2024-12-24/1"))));
}

TEST(ResolveSummariesTest, PaperHintByTitlePicksOneOfTwoSessions) {
  const std::vector<v1::Session> sessions = {
      Session("paper-list-2024", "2024-12-24", 1, kPiselTitle),
      Session("paper-list-2024", "2024-12-24", 2, kDistServeTitle,
              "osdi24-distserve-disaggregating-prefill"),
  };
  // The real file, with its front matter naming the paper.
  const RealFile real = ReadReal("paper-list-2024", "241224-distserve.md");
  std::vector<ParseIssue> issues;
  const std::vector<v1::Summary> resolved = ResolveSummaries(
      {Parsed(real.text, real.label, "paper-list-2024")}, sessions, &issues);
  EXPECT_THAT(issues, IsEmpty()) << Describe(issues);
  ASSERT_THAT(resolved, SizeIs(1));
  EXPECT_EQ(resolved[0].session_id(), "paper-list-2024/2024-12-24/2");
  EXPECT_EQ(resolved[0].paper_id(), "osdi24-distserve-disaggregating-prefill");
}

TEST(ResolveSummariesTest, PaperHintByTitleToleratesSpelling) {
  const std::vector<v1::Session> sessions = {
      Session("paper-list-2024", "2024-12-24", 1, kDistServeTitle),
      Session("paper-list-2024", "2024-12-24", 2, kPiselTitle),
  };
  std::vector<ParseIssue> issues;
  const std::vector<v1::Summary> resolved = ResolveSummaries(
      {Parsed("---\ndate: 2024-12-24\npaper: PISeL - pipelining DNN "
              "inference for serverless computing\n---\n# T\nx\n",
              "pisel.md", "paper-list-2024")},
      sessions, &issues);
  EXPECT_THAT(issues, IsEmpty()) << Describe(issues);
  EXPECT_THAT(SessionIds(resolved),
              ElementsAre("paper-list-2024/2024-12-24/2"));
}

TEST(ResolveSummariesTest, PaperHintByPaperId) {
  const std::vector<v1::Session> sessions = {
      Session("paper-list-2024", "2024-12-24", 1, kDistServeTitle,
              "osdi24-distserve-disaggregating-prefill"),
      Session("paper-list-2024", "2024-12-24", 2, kPiselTitle,
              "atc24-pisel-pipelining-dnn"),
  };
  std::vector<ParseIssue> issues;
  const std::vector<v1::Summary> resolved = ResolveSummaries(
      {Parsed("---\ngroup: paper-list-2024\ndate: 2024-12-24\n"
              "paper: atc24-pisel-pipelining-dnn\n---\n# PISeL\nx\n",
              "pisel.md")},
      sessions, &issues);
  EXPECT_THAT(issues, IsEmpty()) << Describe(issues);
  ASSERT_THAT(resolved, SizeIs(1));
  EXPECT_EQ(resolved[0].session_id(), "paper-list-2024/2024-12-24/2");
  EXPECT_EQ(resolved[0].paper_id(), "atc24-pisel-pipelining-dnn");
}

TEST(ResolveSummariesTest, PaperHintMatchingNoSessionIsAnIssue) {
  const std::vector<v1::Session> sessions = {
      Session("paper-list-2024", "2024-12-24", 1, kDistServeTitle),
      Session("paper-list-2024", "2024-12-24", 2, kPiselTitle),
  };
  std::vector<ParseIssue> issues;
  const std::vector<v1::Summary> resolved = ResolveSummaries(
      {Parsed("---\ngroup: paper-list-2024\ndate: 2024-12-24\n"
              "paper: \"Nomad: Non-Exclusive Memory Tiering via "
              "Transactional Page Migration\"\n---\n# T\nx\n",
              "nomad.md")},
      sessions, &issues);
  EXPECT_THAT(resolved, IsEmpty());
  ASSERT_THAT(issues, SizeIs(1));
  EXPECT_FALSE(issues[0].note);
  EXPECT_EQ(issues[0].file, "nomad.md");
}

TEST(ResolveSummariesTest, UnknownDateIsAnIssue) {
  const std::vector<v1::Session> sessions = {
      Session("fall-2024", "2024-09-03", 1, "Parrot"),
  };
  std::vector<ParseIssue> issues;
  const std::vector<v1::Summary> resolved =
      ResolveSummaries({Parsed("# T\ntext\n", "240904-typo.md", "fall-2024")},
                       sessions, &issues);
  EXPECT_THAT(resolved, IsEmpty());
  ASSERT_THAT(issues, SizeIs(1));
  EXPECT_FALSE(issues[0].note);
  EXPECT_EQ(issues[0].file, "240904-typo.md");
  EXPECT_THAT(issues[0].message, HasSubstr("2024-09-04"));
}

TEST(ResolveSummariesTest, SessionOfAnotherGroupIsNotUsed) {
  const std::vector<v1::Session> sessions = {
      Session("paper-list-2024", "2024-09-03", 1, "Parrot"),
  };
  std::vector<ParseIssue> issues;
  const std::vector<v1::Summary> resolved =
      ResolveSummaries({Parsed("# T\ntext\n", "240903-parrot.md", "fall-2024")},
                       sessions, &issues);
  EXPECT_THAT(resolved, IsEmpty());
  EXPECT_THAT(issues, SizeIs(1));
}

TEST(ResolveSummariesTest, NoDateIsAnIssue) {
  const std::vector<v1::Session> sessions = {
      Session("fall-2024", "2024-09-03", 1, "Parrot"),
  };
  std::vector<ParseIssue> issues;
  const std::vector<v1::Summary> resolved = ResolveSummaries(
      {Parsed("# T\ntext\n", "parrot.md", "fall-2024")}, sessions, &issues);
  EXPECT_THAT(resolved, IsEmpty());
  ASSERT_THAT(issues, SizeIs(1));
  EXPECT_FALSE(issues[0].note);
  EXPECT_EQ(issues[0].file, "parrot.md");
}

TEST(ResolveSummariesTest, FillsMissingTitleAndUrlFromTheSession) {
  const std::vector<v1::Session> sessions = {
      Session("fall-2024", "2024-09-18", 1,
              "Nomad: Non-Exclusive Memory Tiering via Transactional Page "
              "Migration",
              "osdi24-nomad-non-exclusive",
              "https://zhuanlan.zhihu.com/p/721388643"),
  };
  std::vector<ParseIssue> issues;
  // No heading, no front matter title or url.
  const std::vector<v1::Summary> resolved = ResolveSummaries(
      {Parsed("Jiahao Li presented Nomad.\n", "240918-nomad.md", "fall-2024")},
      sessions, &issues);
  EXPECT_THAT(issues, IsEmpty()) << Describe(issues);
  ASSERT_THAT(resolved, SizeIs(1));
  const v1::Summary& summary = resolved[0];
  EXPECT_EQ(summary.session_id(), "fall-2024/2024-09-18/1");
  EXPECT_EQ(summary.paper_id(), "osdi24-nomad-non-exclusive");
  EXPECT_EQ(summary.group(), "fall-2024");
  EXPECT_EQ(summary.title(),
            "Nomad: Non-Exclusive Memory Tiering via Transactional Page "
            "Migration");
  EXPECT_EQ(summary.url(), "https://zhuanlan.zhihu.com/p/721388643");
  EXPECT_EQ(summary.text(), "Jiahao Li presented Nomad.");
  EXPECT_EQ(summary.language(), "en");
}

TEST(ResolveSummariesTest, KeepsTheFilesOwnTitleAndUrl) {
  const std::vector<v1::Session> sessions = {
      Session("fall-2024", "2024-09-18", 1, "Session Title", "",
              "https://session.example/qa"),
  };
  std::vector<ParseIssue> issues;
  const std::vector<v1::Summary> resolved = ResolveSummaries(
      {Parsed("---\ngroup: fall-2024\ndate: 2024-09-18\n"
              "url: https://file.example/qa\ntitle: Front Matter Title\n---\n"
              "# Heading\ntext\n",
              "a.md"),
       Parsed("---\ngroup: fall-2024\ndate: 2024-09-18\n---\n"
              "# Heading Title\ntext\n",
              "b.md")},
      sessions, &issues);
  EXPECT_THAT(issues, IsEmpty()) << Describe(issues);
  ASSERT_THAT(resolved, SizeIs(2));
  EXPECT_EQ(resolved[0].title(), "Front Matter Title");
  EXPECT_EQ(resolved[0].url(), "https://file.example/qa");
  EXPECT_EQ(resolved[1].title(), "Heading Title");
  EXPECT_EQ(resolved[1].url(), "https://session.example/qa");
  // A session not linked to the catalog gives no paper id.
  EXPECT_EQ(resolved[0].paper_id(), "");
}

TEST(ResolveSummariesTest, FilesWithErrorsAreSkippedButTheirIssuesKept) {
  const std::vector<v1::Session> sessions = {
      Session("fall-2024", "2024-09-03", 1, "Parrot"),
      Session("fall-2024", "2024-09-10", 1, "PIT"),
      Session("fall-2024", "2024-09-18", 1, "Nomad"),
  };
  const SummaryFile bad_date = ParseSummaryFile(
      "---\ngroup: fall-2024\ndate: 2024-09-31\n---\n# T\nx\n", "bad.md", "");
  ASSERT_TRUE(HasErrors(bad_date.issues));
  const SummaryFile empty = ParseSummaryFile(
      "---\ngroup: fall-2024\ndate: 2024-09-10\n---\n", "empty.md", "");
  ASSERT_TRUE(HasErrors(empty.issues));
  // Notes only: still resolved.
  const SummaryFile noted = ParseSummaryFile(
      "---\ngroup: fall-2024\ndate: 2024-09-18\nmood: great\n---\n# N\nx\n",
      "noted.md", "");
  ASSERT_THAT(noted.issues, ElementsAre(IsNoteAt(4)));
  const SummaryFile good =
      ParseSummaryFile("# Parrot\nx\n", "240903-parrot.md", "fall-2024");

  std::vector<ParseIssue> issues;
  const std::vector<v1::Summary> resolved =
      ResolveSummaries({bad_date, empty, noted, good}, sessions, &issues);
  EXPECT_THAT(SessionIds(resolved),
              ElementsAre("fall-2024/2024-09-18/1", "fall-2024/2024-09-03/1"));
  EXPECT_THAT(issues, ElementsAre(AllOf(Field(&ParseIssue::file, "bad.md"),
                                        Field(&ParseIssue::note, false)),
                                  AllOf(Field(&ParseIssue::file, "empty.md"),
                                        Field(&ParseIssue::note, false)),
                                  AllOf(Field(&ParseIssue::file, "noted.md"),
                                        Field(&ParseIssue::note, true))))
      << Describe(issues);
}

TEST(ResolveSummariesTest, KeepsAppendingToExistingIssues) {
  std::vector<ParseIssue> issues = {
      ParseIssue{"earlier.txt", 3, "an earlier problem", "", false}};
  const std::vector<v1::Summary> resolved =
      ResolveSummaries({Parsed("# T\ntext\n", "240903-x.md")}, {}, &issues);
  EXPECT_THAT(resolved, IsEmpty());
  ASSERT_THAT(issues, SizeIs(2));
  EXPECT_EQ(issues[0].file, "earlier.txt");
  EXPECT_EQ(issues[1].file, "240903-x.md");
}

TEST(ResolveSummariesTest, NoFilesNoSummaries) {
  std::vector<ParseIssue> issues;
  EXPECT_THAT(
      ResolveSummaries({}, {Session("g", "2024-01-01", 1, "T")}, &issues),
      IsEmpty());
  EXPECT_THAT(issues, IsEmpty());
}

// The bundled summaries against the bundled schedules, as the bundled
// config pairs them: every summary names exactly one session.
TEST(ResolveSummariesTest, RealSummariesResolveAgainstRealSchedules) {
  ScheduleParseOptions fall;
  fall.group_id = "fall-2024";
  fall.file_label = "schedules/002_0cd5e5f5aef9465a.txt";
  fall.start_year = 2024;
  ScheduleParseOptions list;
  list.group_id = "paper-list-2024";
  list.file_label = "schedules/000_6ab9045ce742c85b.txt";
  list.start_year = 2024;
  const ParsedSchedule fall_schedule = ParseMarkdownSchedule(
      testing::ReadFile(testing::SourceDir() + "/data/" + fall.file_label),
      fall);
  const ParsedSchedule list_schedule = ParseNumberedListSchedule(
      testing::ReadFile(testing::SourceDir() + "/data/" + list.file_label),
      list);
  std::vector<v1::Session> sessions = fall_schedule.sessions;
  sessions.insert(sessions.end(), list_schedule.sessions.begin(),
                  list_schedule.sessions.end());
  ASSERT_THAT(sessions, Not(IsEmpty()));

  std::vector<SummaryFile> files;
  for (const char* group : {"fall-2024", "paper-list-2024"}) {
    std::vector<std::string> names;
    for (const auto& entry :
         std::filesystem::directory_iterator(SummariesDir() + "/" + group)) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) {
      const RealFile real = ReadReal(group, name);
      files.push_back(ParseSummaryFile(real.text, real.label, group));
    }
  }
  ASSERT_THAT(files, SizeIs(7));

  std::vector<ParseIssue> issues;
  const std::vector<v1::Summary> resolved =
      ResolveSummaries(files, sessions, &issues);
  EXPECT_THAT(issues, IsEmpty()) << Describe(issues);
  EXPECT_THAT(SessionIds(resolved),
              ElementsAre("fall-2024/2024-09-03/1", "fall-2024/2024-09-10/1",
                          "fall-2024/2024-09-18/1", "fall-2024/2024-10-15/1",
                          "fall-2024/2024-10-22/1",
                          StartsWith("paper-list-2024/2024-12-24/"),
                          "paper-list-2024/2025-01-07/1"));
  // The DistServe summary picked the DistServe session of its two.
  for (const v1::Summary& summary : resolved) {
    if (summary.date() != "2024-12-24") continue;
    for (const v1::Session& session : sessions) {
      if (session.id() == summary.session_id()) {
        EXPECT_THAT(session.title(), StartsWith("DistServe")) << session.id();
      }
    }
  }
}

}  // namespace
}  // namespace lectern
