#include "indexer/csv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace lectern {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Optional;
using ::testing::Pair;
using ::testing::SizeIs;

// Rows as "line: field|field|...", for readable comparisons.
std::vector<std::string> Describe(const CsvTable& table) {
  std::vector<std::string> out;
  for (const CsvRow& row : table.rows) {
    std::string line = absl::StrCat(row.line, ":");
    for (size_t i = 0; i < row.fields.size(); ++i) {
      absl::StrAppend(&line, i == 0 ? "" : "|", row.fields[i]);
    }
    out.push_back(line);
  }
  return out;
}

std::string Errors(const CsvTable& table) {
  std::string out;
  for (const auto& [line, message] : table.errors) {
    absl::StrAppend(&out, "line ", line, ": ", message, "\n");
  }
  return out;
}

TEST(ParseCsvTest, HeaderIsTrimmedAndLowercased) {
  const CsvTable table =
      ParseCsv("  Title , YEAR,Url  ,\" Venue \"\nx,1,u,v\n");
  EXPECT_THAT(table.header, ElementsAre("title", "year", "url", "venue"));
  EXPECT_THAT(Describe(table), ElementsAre("2:x|1|u|v"));
  EXPECT_THAT(table.errors, IsEmpty());
}

TEST(ParseCsvTest, UnquotedFieldsAreTrimmedQuotedFieldsKeepTheirSpaces) {
  const CsvTable table = ParseCsv("a,b,c\n  two  words  ,\"  padded  \",x\n");
  ASSERT_THAT(table.rows, SizeIs(1)) << Errors(table);
  EXPECT_THAT(table.rows[0].fields,
              ElementsAre("two  words", "  padded  ", "x"));
}

TEST(ParseCsvTest, QuotedFieldsHoldCommasDoubledQuotesAndNewlines) {
  const CsvTable table = ParseCsv(
      "title,presenters,notes\n"
      "\"Parrot: Efficient Serving, with Semantic Variable\","
      "\"Chaoyi Ruan, \"\"Andy\"\" Zhu\","
      "\"first line\nsecond line\"\n");
  ASSERT_THAT(table.rows, SizeIs(1)) << Errors(table);
  EXPECT_THAT(
      table.rows[0].fields,
      ElementsAre("Parrot: Efficient Serving, with Semantic Variable",
                  "Chaoyi Ruan, \"Andy\" Zhu", "first line\nsecond line"));
  EXPECT_EQ(table.rows[0].line, 2);
  EXPECT_THAT(table.errors, IsEmpty());
}

// Spaces around a quoted field are not part of it. ParseCsv drops the
// spaces before the opening quote but keeps those after the closing one:
// `x, "b, c" ,d` gives "b, c " (hand-edited CSV often pads after commas).
TEST(ParseCsvTest, SpacesAroundAQuotedFieldAreNotPartOfIt) {
  const CsvTable table = ParseCsv("a,b,c\nx, \"b, c\" ,d\n");
  ASSERT_THAT(table.rows, SizeIs(1)) << Errors(table);
  EXPECT_THAT(table.rows[0].fields, ElementsAre("x", "b, c", "d"));
}

TEST(ParseCsvTest, EmptyQuotedFieldIsEmpty) {
  const CsvTable table = ParseCsv("a,b,c\n\"\",x,\"\"\n");
  ASSERT_THAT(table.rows, SizeIs(1)) << Errors(table);
  EXPECT_THAT(table.rows[0].fields, ElementsAre("", "x", ""));
}

TEST(ParseCsvTest, RowAfterMultiLineFieldStartsOnItsOwnLine) {
  const CsvTable table = ParseCsv(
      "title,notes\n"            // line 1
      "A,\"one\ntwo\nthree\"\n"  // lines 2-4
      "B,plain\n"                // line 5
      "C,\"x\ny\"\n"             // lines 6-7
      "D,last\n");               // line 8
  EXPECT_THAT(Describe(table), ElementsAre("2:A|one\ntwo\nthree", "5:B|plain",
                                           "6:C|x\ny", "8:D|last"));
  EXPECT_THAT(table.errors, IsEmpty());
}

TEST(ParseCsvTest, BlankLinesAreSkippedAndLaterLinesKeepTheirNumbers) {
  const CsvTable table = ParseCsv(
      "\n"     // line 1: before the header
      "a,b\n"  // line 2: header
      "\n"     // line 3
      "1,2\n"  // line 4
      "   \n"  // line 5: only spaces
      "\n"     // line 6
      "3,4\n"  // line 7
      "\n");   // line 8
  EXPECT_THAT(table.header, ElementsAre("a", "b"));
  EXPECT_THAT(Describe(table), ElementsAre("4:1|2", "7:3|4"));
  EXPECT_THAT(table.errors, IsEmpty()) << Errors(table);
}

TEST(ParseCsvTest, ByteOrderMarkIsNotPartOfTheFirstHeaderName) {
  const CsvTable table = ParseCsv("\xEF\xBB\xBFtitle,year\nNomad,2024\n");
  EXPECT_THAT(table.header, ElementsAre("title", "year"));
  EXPECT_EQ(table.Column({"title"}), std::optional<size_t>(0));
  EXPECT_THAT(Describe(table), ElementsAre("2:Nomad|2024"));
}

TEST(ParseCsvTest, ByteOrderMarkBeforeQuotedHeader) {
  const CsvTable table = ParseCsv("\xEF\xBB\xBF\"Title\",year\nNomad,2024\n");
  EXPECT_THAT(table.header, ElementsAre("title", "year"));
  EXPECT_THAT(table.errors, IsEmpty()) << Errors(table);
}

TEST(ParseCsvTest, CrlfLineEndsAreOneLineBreak) {
  const CsvTable table = ParseCsv(
      "Title,Year\r\n"
      "Nomad,2024\r\n"
      "\r\n"
      "\"PIT, dynamic\",2023\r\n");
  EXPECT_THAT(table.header, ElementsAre("title", "year"));
  EXPECT_THAT(Describe(table),
              ElementsAre("2:Nomad|2024", "4:PIT, dynamic|2023"));
  for (const CsvRow& row : table.rows) {
    for (const std::string& field : row.fields) {
      EXPECT_THAT(field, Not(HasSubstr("\r"))) << "line " << row.line;
    }
  }
  EXPECT_THAT(table.errors, IsEmpty()) << Errors(table);
}

TEST(ParseCsvTest, LastRowWithoutLineBreakIsRead) {
  const CsvTable table = ParseCsv("a,b\n1,2\n3,4");
  EXPECT_THAT(Describe(table), ElementsAre("2:1|2", "3:3|4"));
}

TEST(ParseCsvTest, RowsWithWrongFieldCountAreErrorsAndLeftOut) {
  const CsvTable table = ParseCsv(
      "title,year,venue\n"                 // line 1
      "Nomad,2024,OSDI\n"                  // line 2
      "Too few,2024\n"                     // line 3
      "\"Multi\nline\",2023,SOSP,extra\n"  // lines 4-5: too many
      "PIT,2023,SOSP\n");                  // line 6
  EXPECT_THAT(Describe(table),
              ElementsAre("2:Nomad|2024|OSDI", "6:PIT|2023|SOSP"));
  ASSERT_THAT(table.errors, SizeIs(2));
  EXPECT_EQ(table.errors[0].first, 3);
  EXPECT_THAT(table.errors[0].second, HasSubstr("3"));
  EXPECT_THAT(table.errors[0].second, HasSubstr("2"));
  EXPECT_EQ(table.errors[1].first, 4);
  EXPECT_THAT(table.errors[1].second, HasSubstr("4"));
}

TEST(ParseCsvTest, UnterminatedQuoteIsReportedAtTheRowsLine) {
  const CsvTable table = ParseCsv(
      "title,notes\n"         // line 1
      "Nomad,fine\n"          // line 2
      "PIT,\"never closed\n"  // line 3
      "more text\n");         // line 4
  EXPECT_THAT(table.rows, Not(IsEmpty()));
  EXPECT_EQ(table.rows[0].line, 2);
  EXPECT_THAT(table.errors, Contains(Pair(Eq(3), HasSubstr("quot"))))
      << Errors(table);
}

TEST(ParseCsvTest, EmptyTextHasNoHeaderRowsOrErrors) {
  for (const char* text : {"", "\n\n", "\xEF\xBB\xBF", "  \r\n"}) {
    const CsvTable table = ParseCsv(text);
    EXPECT_THAT(table.header, IsEmpty()) << '"' << text << '"';
    EXPECT_THAT(table.rows, IsEmpty()) << '"' << text << '"';
    EXPECT_THAT(table.errors, IsEmpty()) << '"' << text << '"';
  }
}

TEST(ParseCsvTest, HeaderOnlyHasNoRows) {
  const CsvTable table = ParseCsv("title,year\n");
  EXPECT_THAT(table.header, ElementsAre("title", "year"));
  EXPECT_THAT(table.rows, IsEmpty());
  EXPECT_THAT(table.errors, IsEmpty());
}

TEST(CsvTableColumnTest, PicksTheFirstMatchingNameInTheGivenOrder) {
  const CsvTable table = ParseCsv("Link,Title,URL,Year\n");
  // "url" is asked for before "link", so it wins although "link" comes
  // first in the header.
  EXPECT_THAT(table.Column({"url", "link"}), Optional(Eq(size_t{2})));
  EXPECT_THAT(table.Column({"link", "url"}), Optional(Eq(size_t{0})));
  // Names the header lacks are passed over.
  EXPECT_THAT(table.Column({"paper", "title"}), Optional(Eq(size_t{1})));
  EXPECT_THAT(table.Column({"year"}), Optional(Eq(size_t{3})));
}

TEST(CsvTableColumnTest, NoMatchingNameIsNullopt) {
  const CsvTable table = ParseCsv("title,year\n");
  EXPECT_EQ(table.Column({"doi", "abstract"}), std::nullopt);
  EXPECT_EQ(table.Column({}), std::nullopt);
  EXPECT_EQ(ParseCsv("").Column({"title"}), std::nullopt);
}

TEST(CsvTableColumnTest, RepeatedHeaderNameGivesItsFirstColumn) {
  const CsvTable table = ParseCsv("title,notes,title\n");
  EXPECT_THAT(table.Column({"title"}), Optional(Eq(size_t{0})));
}

}  // namespace
}  // namespace lectern
