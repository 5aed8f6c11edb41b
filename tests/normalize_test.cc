#include "indexer/normalize.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace lectern {
namespace {

using ::testing::Optional;

// ---------------------------------------------------------------- CleanText

TEST(CleanTextTest, FoldsFullWidthParenthesesAroundVenue) {
  EXPECT_EQ(CleanText("Inference in the Cloud（TPDS'24）, Fei Xu"),
            "Inference in the Cloud (TPDS'24), Fei Xu");
  EXPECT_EQ(CleanText("Heterogeneous GPUs （ATC’24）, Ruixing Li"),
            "Heterogeneous GPUs (ATC’24), Ruixing Li");
  // Mixed full-width opening and ASCII closing parenthesis.
  EXPECT_EQ(CleanText("LLM Serving （OSDI'24), Lingxuan Weng"),
            "LLM Serving (OSDI'24), Lingxuan Weng");
}

TEST(CleanTextTest, FoldsCjkPunctuation) {
  EXPECT_EQ(CleanText("USHER：Holistic Interference Avoidance"),
            "USHER: Holistic Interference Avoidance");
  EXPECT_EQ(CleanText("paper title（conference、journal), name"),
            "paper title (conference, journal), name");
  EXPECT_EQ(CleanText("a，b；c。d！e？"), "a, b; c. d! e?");
}

TEST(CleanTextTest, FoldsFullWidthLettersAndDigits) {
  EXPECT_EQ(CleanText("ＯＳＤＩ＇２４"), "OSDI'24");
}

TEST(CleanTextTest, CollapsesAndTrimsWhitespace) {
  EXPECT_EQ(CleanText("  Goodput-optimized  Large\tLanguage \n Model  "),
            "Goodput-optimized Large Language Model");
  // Ideographic space (U+3000) and no-break space (U+00A0) are spaces too.
  EXPECT_EQ(CleanText("a\xE3\x80\x80"
                      "b\xC2\xA0"
                      "c"),
            "a b c");
  EXPECT_EQ(CleanText(" \t\n "), "");
  EXPECT_EQ(CleanText(""), "");
}

TEST(CleanTextTest, KeepsOtherTextAsIs) {
  EXPECT_EQ(CleanText("我们计划每次讨论一篇论文"), "我们计划每次讨论一篇论文");
  EXPECT_EQ(CleanText("Clément’s naïve \xCE\xBC"
                      "Slope"),
            "Clément’s naïve \xCE\xBC"
            "Slope");
  EXPECT_EQ(CleanText("Parrot: Efficient Serving (of LLM-based Apps)"),
            "Parrot: Efficient Serving (of LLM-based Apps)");
}

// ----------------------------------------------------------- CanonicalVenue

struct VenueCase {
  const char* written;
  const char* canonical;
};

class CanonicalVenueTest : public ::testing::TestWithParam<VenueCase> {};

TEST_P(CanonicalVenueTest, RecognizesSpelling) {
  const Venue venue = CanonicalVenue(GetParam().written);
  EXPECT_EQ(venue.name, GetParam().canonical);
  EXPECT_TRUE(venue.recognized);
}

INSTANTIATE_TEST_SUITE_P(
    Spellings, CanonicalVenueTest,
    ::testing::Values(
        VenueCase{"ATC", "USENIX ATC"}, VenueCase{"usenix atc", "USENIX ATC"},
        VenueCase{"USENIX ATC", "USENIX ATC"},
        VenueCase{"  USENIX   ATC ", "USENIX ATC"},
        VenueCase{"Eurosys", "EuroSys"}, VenueCase{"EuroSys", "EuroSys"},
        VenueCase{"SOCC", "SoCC"}, VenueCase{"SoCC", "SoCC"},
        VenueCase{"PVLDB", "VLDB"}, VenueCase{"VLDB", "VLDB"},
        VenueCase{"arXiv", "arXiv"}, VenueCase{"ARXIV", "arXiv"},
        VenueCase{"osdi", "OSDI"}, VenueCase{"SOSP", "SOSP"},
        VenueCase{"MobiCom", "MobiCom"}, VenueCase{"ＯＳＤＩ", "OSDI"}));

TEST(CanonicalVenueTest, KeepsUnknownVenueCleaned) {
  const Venue venue = CanonicalVenue("  Workshop   on Foo ");
  EXPECT_EQ(venue.name, "Workshop on Foo");
  EXPECT_FALSE(venue.recognized);

  const Venue word = CanonicalVenue("FooConf");
  EXPECT_EQ(word.name, "FooConf");
  EXPECT_FALSE(word.recognized);
}

TEST(VenueKeyTest, LowercaseLettersAndDigits) {
  EXPECT_EQ(VenueKey("USENIX ATC"), "usenixatc");
  EXPECT_EQ(VenueKey("EuroSys"), "eurosys");
  EXPECT_EQ(VenueKey("arXiv"), "arxiv");
  EXPECT_EQ(VenueKey(CanonicalVenue("usenix atc").name),
            VenueKey(CanonicalVenue("ATC").name));
}

// ------------------------------------------------------------ NormalizeYear

TEST(NormalizeYearTest, ReadsTwoAndFourDigits) {
  EXPECT_THAT(NormalizeYear("24"), Optional(2024));
  EXPECT_THAT(NormalizeYear("'24"), Optional(2024));
  EXPECT_THAT(NormalizeYear("’24"), Optional(2024));
  EXPECT_THAT(NormalizeYear("2024"), Optional(2024));
  EXPECT_THAT(NormalizeYear(" 2025 "), Optional(2025));
  EXPECT_THAT(NormalizeYear("1999"), Optional(1999));
}

TEST(NormalizeYearTest, TwoDigitCenturyCutoff) {
  EXPECT_THAT(NormalizeYear("00"), Optional(2000));
  EXPECT_THAT(NormalizeYear("69"), Optional(2069));
  EXPECT_THAT(NormalizeYear("70"), Optional(1970));
  EXPECT_THAT(NormalizeYear("'99"), Optional(1999));
}

TEST(NormalizeYearTest, RejectsWhatIsNotAYear) {
  for (const char* bad : {"", "'", "2", "202", "20245", "abcd", "2O24", "24'",
                          "-24", "+24", "OSDI'24", "24a"}) {
    EXPECT_EQ(NormalizeYear(bad), std::nullopt) << "input: " << bad;
  }
}

// ------------------------------------------------- PersonKey / spelling score

TEST(PersonKeyTest, SpellingsOfOnePersonShareAKey) {
  EXPECT_EQ(PersonKey("Zongqing Wei"), "zongqingwei");
  EXPECT_EQ(PersonKey("Zongqing wei"), PersonKey("Zongqing Wei"));
  EXPECT_EQ(PersonKey("zongqing  wei"), PersonKey("Zongqing Wei"));
  EXPECT_EQ(PersonKey("XiangShen"), "xiangshen");
  EXPECT_EQ(PersonKey("Xiang Shen"), PersonKey("XiangShen"));
}

TEST(PersonKeyTest, DifferentPeopleDiffer) {
  EXPECT_NE(PersonKey("Xiang Shen"), PersonKey("Xiang Chen"));
  EXPECT_NE(PersonKey("Jiawei Yi"), PersonKey("Jiawei Y"));
}

TEST(NameSpellingScoreTest, PrefersSeparatedCapitalizedWords) {
  EXPECT_GT(NameSpellingScore("Zongqing Wei"),
            NameSpellingScore("Zongqing wei"));
  EXPECT_GT(NameSpellingScore("Zongqing wei"),
            NameSpellingScore("zongqing wei"));
  EXPECT_GT(NameSpellingScore("Xiang Shen"), NameSpellingScore("XiangShen"));
}

// The header names "zongqing  wei" as a spelling of "Zongqing Wei"; the one
// with capitals must read better than the lowercase one with a doubled
// space, or ResolvePresenters may pick the worse spelling.
TEST(NameSpellingScoreTest, DoubledSpacesDoNotBeatCapitals) {
  EXPECT_GT(NameSpellingScore("Zongqing Wei"),
            NameSpellingScore("zongqing  wei"));
}

// ------------------------------------------------- TitleKey / TitleKeysMatch

constexpr char kPowerInferMarkdown[] =
    "PowerInfer: Fast Large Language Model Serving with a Consumer-grade GPU";
constexpr char kPowerInferNumbered[] =
    "PowerInfer Fast Large Language Model Serving with a Consumer-grade "
    "GPUTraining";

TEST(TitleKeyTest, KeepsLowercaseLettersAndDigitsOnly) {
  EXPECT_EQ(TitleKey(kPowerInferMarkdown),
            "powerinferfastlargelanguagemodelservingwithaconsumergradegpu");
  EXPECT_EQ(TitleKey("USHER：Holistic Interference Avoidance"),
            "usherholisticinterferenceavoidance");
  EXPECT_EQ(TitleKey("\xCE\xBC"
                     "Slope: High Compression"),
            "\xCE\xBC"
            "slopehighcompression");
  EXPECT_EQ(TitleKey("（Ｖ２） Title!"), "v2title");
}

TEST(TitleKeyTest, SpacingAndPunctuationDoNotMatter) {
  EXPECT_EQ(TitleKey("DistServe: Disaggregating Prefill and Decoding for "
                     "Goodput-optimized  Large Language Model Serving"),
            TitleKey("DistServe: Disaggregating Prefill and Decoding for "
                     "Goodput-optimized Large Language Model Serving"));
}

TEST(TitleKeysMatchTest, PowerInferSpellingsFromTheSeedsMatch) {
  const std::string markdown = TitleKey(kPowerInferMarkdown);
  const std::string numbered = TitleKey(kPowerInferNumbered);
  ASSERT_NE(markdown, numbered);
  EXPECT_TRUE(TitleKeysMatch(markdown, numbered));
  EXPECT_TRUE(TitleKeysMatch(numbered, markdown));
}

TEST(TitleKeysMatchTest, EqualKeysMatch) {
  EXPECT_TRUE(TitleKeysMatch("pit", "pit"));
  const std::string key = TitleKey(kPowerInferMarkdown);
  EXPECT_TRUE(TitleKeysMatch(key, key));
}

TEST(TitleKeysMatchTest, ShortKeysMustBeEqual) {
  EXPECT_FALSE(TitleKeysMatch("nomad", "nomads"));
  EXPECT_FALSE(TitleKeysMatch("pit", "pat"));
  // 23 characters with a one-character residue or typo: still too short.
  EXPECT_FALSE(
      TitleKeysMatch("abcdefghijklmnopqrstuvw", "abcdefghijklmnopqrstuvwx"));
  EXPECT_FALSE(
      TitleKeysMatch("abcdefghijklmnopqrstuvw", "abcdefghijklmnopqrstuvx"));
}

TEST(TitleKeysMatchTest, LongResidueDoesNotMatch) {
  const std::string key = TitleKey(kPowerInferMarkdown);
  EXPECT_TRUE(TitleKeysMatch(key, key + "abcdefghijkl"));    // 12
  EXPECT_FALSE(TitleKeysMatch(key, key + "abcdefghijklm"));  // 13
}

TEST(TitleKeysMatchTest, OneTypoInALongTitleMatches) {
  const std::string key =
      TitleKey("Harvesting Memory-bound CPU Stall Cycles in Software with MSH");
  const std::string typo =
      TitleKey("Harvesting Memory-bound CPU Stal Cycles in Software with MSH");
  EXPECT_TRUE(TitleKeysMatch(key, typo));
  EXPECT_TRUE(TitleKeysMatch(typo, key));
}

TEST(TitleKeysMatchTest, DistinctTitlesFromTheSeedsDoNotMatch) {
  const std::vector<std::string> titles = {
      kPowerInferMarkdown,
      "Parrot: Efficient Serving of LLM-based Applications with Semantic "
      "Variable",
      "Nomad: Non-Exclusive Memory Tiering via Transactional Page Migration",
      "InfiniGen: Efficient Generative Inference of Large Language Models "
      "with Dynamic KV Cache Management",
      "ServerlessLLM: Low-Latency Serverless Inference for Large Language "
      "Models",
      "LoongServe: Efficiently Serving Long-Context Large Language Models "
      "with Elastic Sequence Parallelism",
      "DistServe: Disaggregating Prefill and Decoding for Goodput-optimized "
      "Large Language Model Serving",
      "Pre-Warming is Not Enough: Accelerating Serverless Inference With "
      "Opportunistic Pre-Loading",
      "Optimus: Warming Serverless ML Inference via Inter-Function Model "
      "Transformation",
      "Jolteon: Unleashing the Promise of Serverless for Serverless Workflows",
      "SMIless: Serving DAG-based Inference with Dynamic Invocations under "
      "Serverless Computing",
      "Kale: Elastic GPU Scheduling for Online DL Model Training",
      "mLoRA: Fine-Tuning LoRA Adapters via Highly-Efficient Pipeline "
      "Parallelism in Multiple GPUs",
      "Online Scheduling and Pricing for Multi-LoRA Fine-Tuning Tasks",
  };
  for (size_t i = 0; i < titles.size(); ++i) {
    for (size_t j = 0; j < titles.size(); ++j) {
      if (i == j) continue;
      EXPECT_FALSE(TitleKeysMatch(TitleKey(titles[i]), TitleKey(titles[j])))
          << titles[i] << "\n  vs " << titles[j];
    }
  }
}

// ---------------------------------------------------------------- DoiFromUrl

TEST(DoiFromUrlTest, ReadsAcmAndDoiUrls) {
  EXPECT_EQ(DoiFromUrl("https://dl.acm.org/doi/abs/10.1145/3600006.3613139"),
            "10.1145/3600006.3613139");
  EXPECT_EQ(DoiFromUrl("https://dl.acm.org/doi/10.1145/3694715.3695960"),
            "10.1145/3694715.3695960");
  EXPECT_EQ(DoiFromUrl("https://dl.acm.org/doi/pdf/10.1145/3694715.3695953"),
            "10.1145/3694715.3695953");
  EXPECT_EQ(DoiFromUrl("https://doi.org/10.1145/3600006.3613169"),
            "10.1145/3600006.3613169");
  EXPECT_EQ(DoiFromUrl("https://doi.org/10.1145/3600006.3613169/"),
            "10.1145/3600006.3613169");
  EXPECT_EQ(DoiFromUrl("https://dl.acm.org/doi/10.1145/3694715.3695964?x=1#y"),
            "10.1145/3694715.3695964");
}

TEST(DoiFromUrlTest, EmptyWhenTheUrlHoldsNone) {
  EXPECT_EQ(DoiFromUrl(""), "");
  EXPECT_EQ(DoiFromUrl("https://www.usenix.org/system/files/osdi24-lee.pdf"),
            "");
  EXPECT_EQ(DoiFromUrl("./slides/241008-Systems%20and%20Papers%20(slides).pdf"),
            "");
  EXPECT_EQ(DoiFromUrl("https://dl.acm.org/doi/"), "");
  EXPECT_EQ(DoiFromUrl("https://doi.org/10.1145"), "");
  // A DOI-like path on a site that is not a DOI resolver or library.
  EXPECT_EQ(DoiFromUrl("https://example.com/files/10.1145/3600006.3613169"),
            "");
}

// "10.1145/" with nothing after the slash is no DOI, also when a query
// string follows it.
TEST(DoiFromUrlTest, EmptySuffixBeforeQueryIsNoDoi) {
  EXPECT_EQ(DoiFromUrl("https://doi.org/10.1145/?x=1"), "");
}

}  // namespace
}  // namespace lectern
