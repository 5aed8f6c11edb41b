#include "indexer/mojibake.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "absl/strings/string_view.h"
#include "indexer/utf8.h"
#include "tests/testing/paths.h"
#include "tests/testing/temp_dir.h"

namespace lectern {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// U+FFFD, left where the corruption dropped bytes.
constexpr absl::string_view kReplacement = "\xEF\xBF\xBD";
// The light bulb emoji U+1F4A1 and its mojibake: F0 9F 92 A1 read as
// Windows-1254 is "ğ", "Ÿ", "’", "¡".
constexpr absl::string_view kLightBulb = "\xF0\x9F\x92\xA1";
constexpr absl::string_view kLightBulbMojibake = "ğŸ’¡";

// The presenters line of the 2024-09-03 session, byte for byte as the seed
// file stores it. The icon was U+1F64E U+200D U+2642 U+FE0F, in UTF-8
// F0 9F 99 8E / E2 80 8D / E2 99 82 / EF B8 8F. Windows-1254 has no
// character for 0x8E, 0x8D and 0x8F, so those bytes were dropped and only
// "ğŸ™", "â€", "â™‚" and "ï¸" remain.
constexpr absl::string_view kSeedPresentersLine =
    "- "
    "\xC4\x9F\xC5\xB8\xE2\x84\xA2"      // ğŸ™ (F0 9F 99, 8E lost)
    "\xC3\xA2\xE2\x82\xAC"              // â€ (E2 80, 8D lost)
    "\xC3\xA2\xE2\x84\xA2\xE2\x80\x9A"  // â™‚ (E2 99 82: complete)
    "\xC3\xAF\xC2\xB8"                  // ï¸ (EF B8, 8F lost)
    " Chaoyi Ruan, Kunzhao Xu, Bosen Yang";

std::string SeedPath() {
  return lectern::testing::SourceDir() +
         "/data/schedules/002_0cd5e5f5aef9465a.txt";
}

int CountOccurrences(absl::string_view text, absl::string_view needle) {
  int count = 0;
  for (size_t pos = text.find(needle); pos != absl::string_view::npos;
       pos = text.find(needle, pos + needle.size())) {
    ++count;
  }
  return count;
}

TEST(RepairMojibakeTest, RepairsGreekLetter) {
  const MojibakeRepair repair = RepairMojibake("Î¼Slope");
  EXPECT_EQ(repair.text,
            "\xCE\xBC"
            "Slope");  // μSlope
  EXPECT_EQ(repair.repaired_runs, 1);
  EXPECT_EQ(repair.lost_sequences, 0);
}

TEST(RepairMojibakeTest, RepairsEmoji) {
  const MojibakeRepair repair = RepairMojibake(kLightBulbMojibake);
  EXPECT_EQ(repair.text, kLightBulb);
  EXPECT_EQ(repair.repaired_runs, 1);
  EXPECT_EQ(repair.lost_sequences, 0);
}

TEST(RepairMojibakeTest, RepairsEveryRunAndKeepsTheTextAroundThem) {
  const MojibakeRepair repair = RepairMojibake(
      "- ğŸ’¡ [OSDI'24] [Î¼Slope: High Compression](https://x.org/a.pdf)");
  EXPECT_EQ(repair.text, std::string("- ") + std::string(kLightBulb) +
                             " [OSDI'24] [\xCE\xBC"
                             "Slope: High Compression](https://x.org/a.pdf)");
  EXPECT_EQ(repair.repaired_runs, 2);
  EXPECT_EQ(repair.lost_sequences, 0);
}

TEST(RepairMojibakeTest, LostBytesBecomeReplacementCharacters) {
  const MojibakeRepair repair = RepairMojibake(kSeedPresentersLine);
  // Three sequences lost a byte; "♂" (E2 99 82) survived whole.
  const std::string expected = std::string("- ") + std::string(kReplacement) +
                               std::string(kReplacement) + "\xE2\x99\x82" +
                               std::string(kReplacement) +
                               " Chaoyi Ruan, Kunzhao Xu, Bosen Yang";
  EXPECT_EQ(repair.text, expected);
  EXPECT_EQ(repair.lost_sequences, 3);
  EXPECT_EQ(repair.repaired_runs, 1);
}

TEST(RepairMojibakeTest, SeedFileHoldsThePresentersLineAsTested) {
  const std::string seed = lectern::testing::ReadFile(SeedPath());
  ASSERT_FALSE(seed.empty()) << SeedPath();
  EXPECT_THAT(seed, HasSubstr(std::string(kSeedPresentersLine) + "\n"));
}

class CleanUtf8Test : public ::testing::TestWithParam<const char*> {};

TEST_P(CleanUtf8Test, PassesThroughUnchanged) {
  const std::string input = GetParam();
  const MojibakeRepair repair = RepairMojibake(input);
  EXPECT_EQ(repair.text, input);
  EXPECT_EQ(repair.repaired_runs, 0);
  EXPECT_EQ(repair.lost_sequences, 0);
}

INSTANTIATE_TEST_SUITE_P(
    RealText, CleanUtf8Test,
    ::testing::Values(
        "", "1) 9.17, iGniter: Interference-Aware GPU Resource Provisioning",
        // Chinese.
        "我们计划每次小组讨论介绍一篇论文",
        // A curly apostrophe: U+2019 is Windows-1254 byte 0x92, which alone
        // is no UTF-8 sequence.
        "Metis: Fast Automatic Distributed Training （ATC’24）, Ruixing Li",
        "Clément", "naïve", "Größe", "© 2024, ½ cup, 25°C",
        // Full-width parentheses.
        "（TPDS'24）",
        // Text that is already repaired.
        "\xCE\xBC"
        "Slope",
        "\xF0\x9F\x92\xA1 \xF0\x9F\x99\x8E\xE2\x80\x8D\xE2\x99\x82\xEF\xB8\x8F "
        "Jiahao Li",
        // A lone lead byte's character with nothing after it.
        "Ã ok"));

TEST(RepairMojibakeTest, IsIdempotentOnRepairedText) {
  for (absl::string_view input : {absl::string_view("Î¼Slope"),
                                  kLightBulbMojibake, kSeedPresentersLine}) {
    const MojibakeRepair once = RepairMojibake(input);
    const MojibakeRepair twice = RepairMojibake(once.text);
    EXPECT_EQ(twice.text, once.text) << input;
    EXPECT_EQ(twice.repaired_runs, 0) << input;
    EXPECT_EQ(twice.lost_sequences, 0) << input;
  }
}

TEST(RepairMojibakeTest, IsIdempotentOnTheSeedFile) {
  const std::string seed = lectern::testing::ReadFile(SeedPath());
  ASSERT_FALSE(seed.empty()) << SeedPath();
  const MojibakeRepair once = RepairMojibake(seed);
  ASSERT_GT(once.repaired_runs, 0);
  const MojibakeRepair twice = RepairMojibake(once.text);
  EXPECT_EQ(twice.text, once.text);
  EXPECT_EQ(twice.repaired_runs, 0);
  EXPECT_EQ(twice.lost_sequences, 0);
}

TEST(RepairMojibakeTest, RepairsTheWholeSeedFile) {
  const std::string seed = lectern::testing::ReadFile(SeedPath());
  ASSERT_FALSE(seed.empty()) << SeedPath();
  const int bulbs_written = CountOccurrences(seed, kLightBulbMojibake);
  ASSERT_GT(bulbs_written, 0);
  const int bulbs_before = CountOccurrences(seed, kLightBulb);
  const int replacements_before = CountOccurrences(seed, kReplacement);

  const MojibakeRepair repair = RepairMojibake(seed);

  EXPECT_THAT(repair.text, Not(HasSubstr("Ã")));
  EXPECT_THAT(repair.text, Not(HasSubstr("Î")));
  EXPECT_THAT(repair.text, Not(HasSubstr("ğŸ")));
  EXPECT_EQ(CountOccurrences(repair.text, kLightBulb),
            bulbs_before + bulbs_written);
  // Every lost sequence left exactly one U+FFFD.
  EXPECT_GT(repair.lost_sequences, 0);
  EXPECT_EQ(CountOccurrences(repair.text, kReplacement) - replacements_before,
            repair.lost_sequences);
  EXPECT_THAT(repair.text, HasSubstr("[\xCE\xBC"
                                     "Slope: High Compression"));
  // ASCII around the runs is untouched: names, links, headings.
  EXPECT_THAT(repair.text, HasSubstr(" Chaoyi Ruan, Kunzhao Xu, Bosen Yang\n"));
  EXPECT_THAT(repair.text,
              HasSubstr("(./slides/241008-Systems%20and%20Papers%20(slides)"
                        ".pdf)"));
  EXPECT_EQ(CountOccurrences(repair.text, "\n"), CountOccurrences(seed, "\n"));
}

TEST(Latin1StraysToUtf8Test, ReencodesOnlyTheBytesThatAreNotUtf8) {
  // 0x85 and 0xA0 alone; "é" and "中" whole; a 3-byte sequence cut short.
  EXPECT_EQ(utf8::Latin1StraysToUtf8("a\x85"
                                     "b\xC3\xA9\xA0\xE4\xB8\xAD\xE2\x80"),
            "a\xC2\x85"
            "b\xC3\xA9\xC2\xA0\xE4\xB8\xAD\xC3\xA2\xC2\x80");
  // Overlong forms and surrogates are not UTF-8 either.
  EXPECT_EQ(utf8::Latin1StraysToUtf8("\xC0\x80"), "\xC3\x80\xC2\x80");
  EXPECT_EQ(utf8::Latin1StraysToUtf8("\xED\xA0\x80"),
            "\xC3\xAD\xC2\xA0\xC2\x80");
  const std::string clean = "Jiaan Zhu \xE6\x9C\xB1 \xF0\x9F\x92\xA1";
  EXPECT_EQ(utf8::Latin1StraysToUtf8(clean), clean);
  EXPECT_TRUE(utf8::IsValid(utf8::Latin1StraysToUtf8("\xFF\xFE\x80\xBF")));
}

}  // namespace
}  // namespace lectern
