#include "indexer/synonyms.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/testing/paths.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace lectern {
namespace {

using ::lectern::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

// Parses `content`, failing the test on any issue.
SynonymTable ParseClean(absl::string_view content) {
  std::vector<ParseIssue> issues;
  SynonymTable table = SynonymTable::Parse(content, "syn.txt", &issues);
  for (const ParseIssue& issue : issues) ADD_FAILURE() << issue.ToString();
  return table;
}

// The table of the Rewrite examples: 0 = llm, 1 = kv, 2 = gpu.
const SynonymTable& Examples() {
  static const SynonymTable* const table = new SynonymTable(
      ParseClean("llm, large language model, large language models\n"
                 "kv, key-value, key value\n"
                 "gpu, accelerator\n"));
  return *table;
}

std::string Rewrite(absl::string_view query) {
  return Examples().Rewrite(query, "syn");
}

auto Issue(int line, absl::string_view message) {
  return AllOf(Field(&ParseIssue::file, "syn.txt"),
               Field(&ParseIssue::line, line),
               Field(&ParseIssue::message, HasSubstr(std::string(message))),
               Field(&ParseIssue::note, false));
}

// ------------------------------------------------------------------- Parse

TEST(SynonymTableTest, ParsesGroupsNormalizedInFileOrder) {
  const SynonymTable table = ParseClean(
      "LLM,  Large   Language Model ,large language models\n"
      "kv,key-value,\tkey value\r\n"
      "大模型, 大语言模型, C++, node.js, tcp/ip\n");
  EXPECT_FALSE(table.empty());
  EXPECT_THAT(
      table.groups(),
      ElementsAre(
          ElementsAre("llm", "large language model", "large language models"),
          ElementsAre("kv", "key-value", "key value"),
          ElementsAre("大模型", "大语言模型", "c++", "node.js", "tcp/ip")));
}

TEST(SynonymTableTest, IgnoresCommentsAndBlankLines) {
  const SynonymTable table = ParseClean(
      "# Synonyms\n"
      "\n"
      "   \t\n"
      "  # indented comment, with, commas\n"
      "gpu, accelerator  # trailing comment, not a phrase\n"
      "\n");
  EXPECT_THAT(table.groups(), ElementsAre(ElementsAre("gpu", "accelerator")));
}

TEST(SynonymTableTest, SkipsLeadingByteOrderMark) {
  const SynonymTable table = ParseClean("\xEF\xBB\xBFgpu, accelerator\n");
  EXPECT_THAT(table.groups(), ElementsAre(ElementsAre("gpu", "accelerator")));
}

TEST(SynonymTableTest, EmptyContentIsEmptyTable) {
  const SynonymTable table = ParseClean("# nothing yet\n\n");
  EXPECT_TRUE(table.empty());
  EXPECT_THAT(table.groups(), IsEmpty());
}

TEST(SynonymTableTest, ReportsLineWithOnePhrase) {
  std::vector<ParseIssue> issues;
  const SynonymTable table = SynonymTable::Parse(
      "gpu, accelerator\nllm   # no synonyms\n", "syn.txt", &issues);
  EXPECT_THAT(issues,
              ElementsAre(AllOf(
                  Issue(2, "expected at least two phrases separated by commas"),
                  Field(&ParseIssue::text, "llm   # no synonyms"))));
  EXPECT_THAT(table.groups(), SizeIs(1));
}

TEST(SynonymTableTest, ReportsEmptyPhrase) {
  std::vector<ParseIssue> issues;
  const SynonymTable table = SynonymTable::Parse(
      "a,,b\n"
      "c, d,\n"
      ", e, f\n"
      "g,   , h\n"
      ",\n",
      "syn.txt", &issues);
  EXPECT_THAT(
      issues,
      ElementsAre(Issue(1, "phrase 2 is empty"), Issue(2, "phrase 3 is empty"),
                  Issue(3, "phrase 1 is empty"), Issue(4, "phrase 2 is empty"),
                  Issue(5, "phrase 1 is empty")));
  EXPECT_TRUE(table.empty());
}

TEST(SynonymTableTest, ReportsPhraseInEarlierGroup) {
  std::vector<ParseIssue> issues;
  const SynonymTable table = SynonymTable::Parse(
      "# groups\n"
      "gpu, accelerator\n"
      "tpu, Accelerator\n",
      "syn.txt", &issues);
  EXPECT_THAT(issues,
              ElementsAre(AllOf(
                  Issue(3, "'accelerator' is already in the group on line 2"),
                  Field(&ParseIssue::text, "tpu, Accelerator"))));
  EXPECT_THAT(table.groups(), ElementsAre(ElementsAre("gpu", "accelerator")));
}

TEST(SynonymTableTest, ReportsQuerySyntaxInPhrase) {
  for (const char* line :
       {"llm, \"large language model\"", "llm, large (language) model",
        "llm, title:llm", "llm, large*", "c#, csharp", "a, b;c",
        "大模型，大语言模型, llm"}) {
    SCOPED_TRACE(line);
    std::vector<ParseIssue> issues;
    const SynonymTable table = SynonymTable::Parse(line, "syn.txt", &issues);
    if (std::string(line) == "c#, csharp") {
      // '#' starts a comment, leaving the single phrase "c".
      EXPECT_THAT(issues, ElementsAre(Issue(1, "at least two phrases")));
    } else {
      EXPECT_THAT(issues, ElementsAre(Issue(1, "is not allowed; expected")));
    }
    EXPECT_TRUE(table.empty());
  }
}

TEST(SynonymTableTest, ReportsSignedWordsAndWordsWithoutLetters) {
  std::vector<ParseIssue> issues;
  SynonymTable::Parse(
      "-gpu, accelerator\n"
      "c++, +c\n"
      "io, i/o, /\n",
      "syn.txt", &issues);
  EXPECT_THAT(issues, ElementsAre(Issue(1, "'-gpu' starts with '-'"),
                                  Issue(2, "'+c' starts with '+'"),
                                  Issue(3, "'/' has no letter or digit")));
}

TEST(SynonymTableTest, ReportsInvalidUtf8) {
  std::vector<ParseIssue> issues;
  const SynonymTable table = SynonymTable::Parse(
      "gpu, accel\xFF"
      "erator\n"
      "kv, key value\n",
      "syn.txt", &issues);
  ASSERT_THAT(issues, ElementsAre(Issue(1, "expected UTF-8")));
  // The issue's text stays printable.
  EXPECT_EQ(issues[0].text,
            "gpu, accel\xEF\xBF\xBD"
            "erator");
  EXPECT_THAT(table.groups(), ElementsAre(ElementsAre("kv", "key value")));
}

TEST(SynonymTableTest, KeepsGoodLinesAroundBadOnes) {
  std::vector<ParseIssue> issues;
  const SynonymTable table = SynonymTable::Parse(
      "llm, large language model\n"
      "kv\n"
      "gpu, (accelerator)\n"
      "gpu, accelerator\n"  // the bad line above claimed nothing
      "llm, lm\n"
      "kv, key value\n",
      "syn.txt", &issues);
  EXPECT_THAT(
      issues,
      ElementsAre(Issue(2, "at least two phrases"), Issue(3, "is not allowed"),
                  Issue(5, "'llm' is already in the group on line 1")));
  EXPECT_THAT(table.groups(),
              ElementsAre(ElementsAre("llm", "large language model"),
                          ElementsAre("gpu", "accelerator"),
                          ElementsAre("kv", "key value")));
}

TEST(SynonymTableTest, RepeatOnOneLineIsNoteAndDropped) {
  std::vector<ParseIssue> issues;
  const SynonymTable table = SynonymTable::Parse(
      "gpu, GPU, accelerator\n"
      "tpu, TPU\n",
      "syn.txt", &issues);
  ASSERT_THAT(issues, SizeIs(2));
  EXPECT_EQ(issues[0].line, 1);
  EXPECT_TRUE(issues[0].note);
  EXPECT_THAT(issues[0].message, HasSubstr("'gpu' is written more than once"));
  // Without the repeat one phrase is left, which is no group.
  EXPECT_THAT(issues[1], Issue(2, "at least two phrases"));
  EXPECT_THAT(table.groups(), ElementsAre(ElementsAre("gpu", "accelerator")));
}

// ------------------------------------------------------ Serialize/Deserialize

TEST(SynonymTableTest, SerializesOneGroupPerLine) {
  EXPECT_EQ(Examples().Serialize(),
            "llm, large language model, large language models\n"
            "kv, key-value, key value\n"
            "gpu, accelerator\n");
  EXPECT_EQ(SynonymTable().Serialize(), "");
}

TEST(SynonymTableTest, DeserializeReadsSerializeBack) {
  const SynonymTable table = ParseClean(
      "# c\nLLM, Large  Language Model, 大模型\nkv, key-value, key value\n");
  ASSERT_OK_AND_ASSIGN(const SynonymTable back,
                       SynonymTable::Deserialize(table.Serialize()));
  EXPECT_EQ(back, table);
  EXPECT_EQ(back.Rewrite("large language model kv", "syn"),
            "(syn:g0 large language model) syn:g1");
  ASSERT_OK_AND_ASSIGN(const SynonymTable empty, SynonymTable::Deserialize(""));
  EXPECT_TRUE(empty.empty());
  // The last newline is optional.
  ASSERT_OK_AND_ASSIGN(const SynonymTable unterminated,
                       SynonymTable::Deserialize("gpu, accelerator"));
  EXPECT_THAT(unterminated.groups(),
              ElementsAre(ElementsAre("gpu", "accelerator")));
}

TEST(SynonymTableTest, DeserializeRejectsMalformedText) {
  struct Case {
    const char* text;
    const char* message;
  };
  for (const Case& c : {
           Case{"llm\n", "line 1: expected at least two phrases"},
           Case{"gpu, accelerator\nllm,, lm\n", "line 2: phrase 2 is empty"},
           Case{"gpu, accelerator\ntpu, accelerator\n",
                "line 2: 'accelerator' is already in an earlier group"},
           Case{"gpu, accelerator # c\n", "is not allowed"},
           Case{"GPU, accelerator\n", "expected normalized phrases"},
           Case{"gpu,accelerator\n", "expected normalized phrases"},
           Case{"gpu,  accelerator\n", "expected normalized phrases"},
           Case{"gpu, accelerator, gpu\n", "expected normalized phrases"},
           Case{"gpu, accelerator\n\nkv, key value\n",
                "line 2: expected at least two phrases"},
           Case{"gpu, accelerator\n\n", "line 2"},
           Case{"gpu, acc\xC3\n", "expected UTF-8"},
           Case{"\n", "line 1"},
       }) {
    SCOPED_TRACE(c.text);
    EXPECT_THAT(
        SynonymTable::Deserialize(c.text),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.message)));
  }
}

// ----------------------------------------------------------------- Rewrite

TEST(SynonymTableTest, RewritesPlainWords) {
  EXPECT_EQ(Rewrite("llm serving"), "syn:g0 serving");
  EXPECT_EQ(Rewrite("serving llm"), "serving syn:g0");
  EXPECT_EQ(Rewrite("kv cache"), "syn:g1 cache");
  EXPECT_EQ(Rewrite("key-value store"), "syn:g1 store");
  EXPECT_EQ(Rewrite("key value store"), "(syn:g1 key value) store");
  EXPECT_EQ(Rewrite("llm on gpu"), "syn:g0 on syn:g2");
  EXPECT_EQ(Rewrite("llms"), "llms");  // not a phrase here
  EXPECT_EQ(Examples().Rewrite("llm", "synonym"), "synonym:g0");
}

TEST(SynonymTableTest, RewriteIgnoresAsciiCase) {
  EXPECT_EQ(Rewrite("Large Language Model serving"),
            "(syn:g0 Large Language Model) serving");
  EXPECT_EQ(Rewrite("LLM KEY-VALUE Gpu"), "syn:g0 syn:g1 syn:g2");
}

TEST(SynonymTableTest, RewritePrefersLongestMatch) {
  EXPECT_EQ(Rewrite("large language models"), "(syn:g0 large language models)");
  const SynonymTable table = ParseClean(
      "large, big\n"
      "large language model, llm\n"
      "language, tongue\n");
  EXPECT_EQ(table.Rewrite("large language model", "syn"),
            "(syn:g1 large language model)");
  // A partial walk down the longer phrase falls back to the shorter one.
  EXPECT_EQ(table.Rewrite("large language", "syn"), "syn:g0 syn:g2");
  EXPECT_EQ(table.Rewrite("large language x", "syn"), "syn:g0 syn:g2 x");
}

TEST(SynonymTableTest, RewriteKeepsEverythingElseByteForByte) {
  EXPECT_EQ(Rewrite("  llm\t\tserving \n"), "  syn:g0\t\tserving \n");
  // The whitespace inside a match goes with it.
  EXPECT_EQ(Rewrite("a  large \t language\nmodel  b"),
            "a  (syn:g0 large \t language\nmodel)  b");
  EXPECT_EQ(Rewrite("Serving, LLMs; at scale!"), "Serving, LLMs; at scale!");
}

TEST(SynonymTableTest, RewriteLeavesQuotedPhrases) {
  EXPECT_EQ(Rewrite("\"llm serving\""), "\"llm serving\"");
  EXPECT_EQ(Rewrite("\"large language model\" llm"),
            "\"large language model\" syn:g0");
  EXPECT_EQ(Rewrite("gpu \"kv\" kv"), "syn:g2 \"kv\" syn:g1");
  // Curly quotes are quotes to Xapian too.
  EXPECT_EQ(Rewrite("\xE2\x80\x9Cllm serving\xE2\x80\x9D gpu"),
            "\xE2\x80\x9Cllm serving\xE2\x80\x9D syn:g2");
  // Parentheses inside quotes are text.
  EXPECT_EQ(Rewrite("\"a (llm\" gpu)"), "\"a (llm\" syn:g2)");
}

TEST(SynonymTableTest, RewriteTakesUnbalancedQuoteToTheEnd) {
  EXPECT_EQ(Rewrite("llm \"gpu serving llm"), "syn:g0 \"gpu serving llm");
  EXPECT_EQ(Rewrite("gpu\""), "gpu\"");
  EXPECT_EQ(Rewrite("\""), "\"");
}

TEST(SynonymTableTest, RewriteLeavesFields) {
  EXPECT_EQ(Rewrite("title:llm"), "title:llm");
  EXPECT_EQ(Rewrite("title:llm gpu"), "title:llm syn:g2");
  EXPECT_EQ(Rewrite("title:\"large language model\""),
            "title:\"large language model\"");
  EXPECT_EQ(Rewrite("-title:llm"), "-title:llm");
  // A field applies to a whole bracketed group, nested brackets included.
  EXPECT_EQ(Rewrite("title:(llm OR (gpu kv)) kv"),
            "title:(llm OR (gpu kv)) syn:g1");
  EXPECT_EQ(Rewrite("title:(llm gpu"), "title:(llm gpu");
  // With a space after the colon Xapian sees no field.
  EXPECT_EQ(Rewrite("title: llm"), "title: syn:g0");
}

TEST(SynonymTableTest, RewriteLeavesWildcards) {
  EXPECT_EQ(Rewrite("gpu* x"), "gpu* x");
  EXPECT_EQ(Rewrite("large language model*"), "large language model*");
  EXPECT_EQ(Rewrite("llm*x gpu"), "llm*x syn:g2");
}

TEST(SynonymTableTest, RewriteKeepsLoveAndHateSigns) {
  EXPECT_EQ(Rewrite("-gpu scheduling"), "-syn:g2 scheduling");
  EXPECT_EQ(Rewrite("+llm -key-value"), "+syn:g0 -syn:g1");
  EXPECT_EQ(Rewrite("(-kv)"), "(-syn:g1)");
  // A sign binds to one word, so it cannot start or join a longer phrase.
  EXPECT_EQ(Rewrite("-large language model"), "-large language model");
  EXPECT_EQ(Rewrite("large -language model"), "large -language model");
  EXPECT_EQ(Rewrite("key +value"), "key +value");
  EXPECT_EQ(Rewrite("- llm"), "- syn:g0");
  EXPECT_EQ(Rewrite("--llm"), "--llm");
}

TEST(SynonymTableTest, RewriteTreatsParenthesesAsTokens) {
  EXPECT_EQ(Rewrite("(llm OR gpu)"), "(syn:g0 OR syn:g2)");
  EXPECT_EQ(Rewrite("((large language model))"),
            "(((syn:g0 large language model)))");
  // A match cannot span a parenthesis.
  EXPECT_EQ(Rewrite("large (language model)"), "large (language model)");
  EXPECT_EQ(Rewrite("key)value"), "key)value");
  EXPECT_EQ(Rewrite(")llm("), ")syn:g0(");
}

TEST(SynonymTableTest, RewriteLeavesOperators) {
  EXPECT_EQ(Rewrite("llm AND large"), "syn:g0 AND large");
  EXPECT_EQ(Rewrite("large AND language model"), "large AND language model");
  EXPECT_EQ(Rewrite("llm NEAR/3 gpu NOT kv"),
            "syn:g0 NEAR/3 syn:g2 NOT syn:g1");
  // Only upper case makes an operator, so a phrase may hold "and".
  const SynonymTable table = ParseClean("r and d, research and development\n");
  EXPECT_EQ(table.Rewrite("r and d", "syn"), "(syn:g0 r and d)");
  EXPECT_EQ(table.Rewrite("R AND D", "syn"), "R AND D");
  EXPECT_EQ(table.Rewrite("r ADJ d", "syn"), "r ADJ d");
}

TEST(SynonymTableTest, RewriteMatchesNonAsciiWords) {
  const SynonymTable table = ParseClean("llm, 大模型, 大语言模型\n");
  EXPECT_EQ(table.Rewrite("大模型 推理", "syn"), "syn:g0 推理");
  // U+3000, the ideographic space, separates words.
  EXPECT_EQ(table.Rewrite("大语言模型\xE3\x80\x80推理", "syn"),
            "syn:g0\xE3\x80\x80推理");
  // Words are not found inside unspaced Chinese text.
  EXPECT_EQ(table.Rewrite("大模型推理", "syn"), "大模型推理");
}

TEST(SynonymTableTest, EmptyTableLeavesQuery) {
  const SynonymTable table;
  EXPECT_EQ(table.Rewrite("llm (gpu) \"kv", "syn"), "llm (gpu) \"kv");
  EXPECT_EQ(table.Rewrite("", "syn"), "");
}

TEST(SynonymTableTest, RewriteSurvivesMalformedInput) {
  EXPECT_EQ(Rewrite(""), "");
  EXPECT_EQ(Rewrite(")))((("), ")))(((");
  EXPECT_EQ(Rewrite("\xFF\xFE llm \xC3"), "\xFF\xFE syn:g0 \xC3");
  EXPECT_EQ(Rewrite("llm\xE2\x80"), "llm\xE2\x80");  // truncated sequence
  EXPECT_EQ(Rewrite(std::string("llm\0gpu kv", 10)),
            std::string("llm\0gpu syn:g1", 14));
  EXPECT_EQ(Rewrite("+ - * : \" \" ( )"), "+ - * : \" \" ( )");
}

// Random queries from words and syntax: Rewrite never crashes, leaves no
// phrase behind (a second pass changes nothing) and only ever replaces.
TEST(SynonymTableTest, RewriteKeepsQuotesOnRandomQueries) {
  const std::vector<std::string> pieces = {"llm",
                                           "LLM",
                                           "large",
                                           "language",
                                           "model",
                                           "models",
                                           "kv",
                                           "key",
                                           "value",
                                           "key-value",
                                           "gpu",
                                           "-",
                                           "+",
                                           "(",
                                           ")",
                                           "\"",
                                           "*",
                                           ":",
                                           "title:",
                                           "AND",
                                           "OR",
                                           " ",
                                           "  ",
                                           "\t",
                                           "\xE2\x80\x9C",
                                           "\xFF",
                                           "\xE3\x80\x80",
                                           "大模型"};
  std::mt19937 random(42);
  for (int round = 0; round < 2000; ++round) {
    std::string query;
    const int length = static_cast<int>(random() % 20);
    for (int k = 0; k < length; ++k) {
      query += pieces[random() % pieces.size()];
      if (random() % 2) query += ' ';
    }
    const std::string once = Rewrite(query);
    // Quotes are query syntax: never added, never lost.
    ASSERT_EQ(std::count(once.begin(), once.end(), '"'),
              std::count(query.begin(), query.end(), '"'))
        << "query: " << query;
    if (once.find("syn:g") == std::string::npos) {
      ASSERT_EQ(once, query);
    }
  }
}

TEST(SynonymTableTest, RewriteHandlesLongQueries) {
  // Many near-misses: every "large language" starts a walk that fails.
  std::string query;
  std::string expected;
  for (int k = 0; k < 20000; ++k) {
    query += "large language llm ";
    expected += "large language syn:g0 ";
  }
  EXPECT_EQ(Rewrite(query), expected);
}

// ----------------------------------------------------------- bundled file

TEST(SynonymTableTest, BundledFileParsesCleanly) {
  const std::string path = testing::SourceDir() + "/data/synonyms.txt";
  const std::string content = testing::ReadFile(path);
  ASSERT_FALSE(content.empty()) << path;
  std::vector<ParseIssue> issues;
  const SynonymTable table = SynonymTable::Parse(content, path, &issues);
  for (const ParseIssue& issue : issues) ADD_FAILURE() << issue.ToString();
  EXPECT_GE(table.groups().size(), 30u);
  // The groups the service relies on.
  const std::string llm = table.Rewrite("llm", "syn");
  EXPECT_THAT(llm, HasSubstr("syn:g"));
  EXPECT_THAT(table.Rewrite("large language models", "syn"),
              HasSubstr(llm + " large language models"));
  EXPECT_EQ(table.Rewrite("大模型", "syn"), llm);
  EXPECT_THAT(table.Rewrite("key value", "syn"),
              HasSubstr(table.Rewrite("kv", "syn") + " key value"));
  EXPECT_EQ(table.Rewrite("accelerators", "syn"), table.Rewrite("gpu", "syn"));
  EXPECT_NE(table.Rewrite("kv", "syn"), "kv");
}

}  // namespace
}  // namespace lectern
