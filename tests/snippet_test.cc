// SnippetMaker: windows, highlighting and escaping of hit snippets.
#include "indexer/snippet.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace lectern {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

HighlightTerms Terms(std::initializer_list<const char*> index_terms) {
  HighlightTerms terms;
  for (const char* term : index_terms) terms.AddIndexTerm(term);
  return terms;
}

class SnippetTest : public ::testing::Test {
 protected:
  SnippetMaker maker_{Xapian::Stem("english")};
};

TEST_F(SnippetTest, ShortTextIsWholeWithWordsAndStemsMarked) {
  const Snippet snippet = maker_.Make("Caching KV caches for LLM serving",
                                      Terms({"kv", "Zcach"}), 240);
  EXPECT_EQ(snippet.html,
            "<mark>Caching</mark> <mark>KV</mark> <mark>caches</mark> for LLM "
            "serving");
  EXPECT_EQ(snippet.marks, 3);
}

TEST_F(SnippetTest, PrefixedTermsAreLeftToTheCaller) {
  const HighlightTerms terms = Terms({"ZScach", "XAfoo", "Z"});
  EXPECT_TRUE(terms.empty());
}

TEST_F(SnippetTest, LongTextIsCutAroundTheMostDistinctMatches) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "filler words here. ";
  text += "Disaggregated memory with a remote cache. ";
  for (int i = 0; i < 40; ++i) text += "more filler text. ";
  const Snippet snippet =
      maker_.Make(text, Terms({"Zmemori", "Zcach", "Zfiller"}), 120);
  EXPECT_THAT(snippet.html, StartsWith("…"));
  EXPECT_THAT(snippet.html, HasSubstr("<mark>memory</mark>"));
  EXPECT_THAT(snippet.html, HasSubstr("<mark>cache</mark>"));
  // The window holds at most 120 bytes of the text, plus the marks and
  // the two ellipses.
  const size_t mark_bytes = snippet.marks * (6 + 7);
  EXPECT_LE(snippet.html.size(), 120 + mark_bytes + 2 * 3);
  EXPECT_THAT(snippet.html, ::testing::EndsWith("…"));
}

TEST_F(SnippetTest, TypedWordsWinATie) {
  std::string text = "Tiered memory first. ";
  for (int i = 0; i < 20; ++i) text += "unrelated words. ";
  text += "Then memory tiering.";
  HighlightTerms terms = Terms({"Zmemori", "Ztier"});
  terms.typed = {"memory", "tiering"};
  const Snippet snippet = maker_.Make(text, terms, 40);
  EXPECT_THAT(snippet.html, HasSubstr("<mark>tiering</mark>"));
  EXPECT_THAT(snippet.html, Not(HasSubstr("Tiered")));
}

TEST_F(SnippetTest, AdjacentCjkMatchesShareOneMark) {
  const Snippet snippet = maker_.Make("讨论了动态稀疏注意力的显存开销",
                                      Terms({"动", "态", "稀", "疏"}), 240);
  EXPECT_EQ(snippet.html, "讨论了<mark>动态稀疏</mark>注意力的显存开销");
  EXPECT_EQ(snippet.marks, 1);
}

TEST_F(SnippetTest, HtmlIsEscapedInsideAndOutsideMarks) {
  const Snippet snippet =
      maker_.Make("R&D <b>cache</b> a<b", Terms({"Zcach", "b"}), 240);
  EXPECT_EQ(snippet.html,
            "R&amp;D &lt;<mark>b</mark>&gt;<mark>cache</mark>&lt;/<mark>b</"
            "mark>&gt; a&lt;<mark>b</mark>");
}

TEST_F(SnippetTest, NoMatchGivesTheStartOfTheText) {
  std::string text;
  for (int i = 0; i < 30; ++i) text += "alpha beta gamma. ";
  const Snippet snippet = maker_.Make(text, Terms({"Zdelta"}), 50);
  EXPECT_EQ(snippet.marks, 0);
  EXPECT_THAT(snippet.html, StartsWith("alpha beta"));
  EXPECT_THAT(snippet.html, ::testing::EndsWith("…"));
  EXPECT_LE(snippet.html.size(), 50 + 3);
}

TEST_F(SnippetTest, NonAsciiWordsAreLoweredBeforeMatching) {
  const Snippet snippet =
      maker_.Make("Über-schnelle Caches", Terms({"über", "Zcach"}), 240);
  EXPECT_EQ(snippet.html, "<mark>Über</mark>-schnelle <mark>Caches</mark>");
}

}  // namespace
}  // namespace lectern
