#include "indexer/progress.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"

namespace lectern {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

// ------------------------------------------------------------ WithThousands

TEST(WithThousandsTest, GroupsDigitsByThree) {
  EXPECT_EQ(WithThousands(0), "0");
  EXPECT_EQ(WithThousands(7), "7");
  EXPECT_EQ(WithThousands(999), "999");
  EXPECT_EQ(WithThousands(1000), "1,000");
  EXPECT_EQ(WithThousands(13090), "13,090");
  EXPECT_EQ(WithThousands(100000), "100,000");
  EXPECT_EQ(WithThousands(999999), "999,999");
  EXPECT_EQ(WithThousands(1000000), "1,000,000");
  EXPECT_EQ(WithThousands(1234567), "1,234,567");
}

TEST(WithThousandsTest, LargestValue) {
  static_assert(sizeof(size_t) == 8, "this test assumes a 64-bit size_t");
  EXPECT_EQ(WithThousands(std::numeric_limits<size_t>::max()),
            "18,446,744,073,709,551,615");
}

// ----------------------------------------------------------- FormatProgress

TEST(FormatProgressTest, WithTotalRateAndEta) {
  // 5,000 of 10,000 in 2s: 2,500 a second, 2s to go.
  EXPECT_EQ(FormatProgress("writing", 5000, 10000, absl::Seconds(2)),
            "writing 5,000/10,000 (50%) · 2,500/s · ETA 2s");
}

TEST(FormatProgressTest, EtaInMinutes) {
  // 100 of 10,000 in 10s: 10 a second, 990s = 16m30s to go.
  EXPECT_EQ(FormatProgress("writing", 100, 10000, absl::Seconds(10)),
            "writing 100/10,000 (1%) · 10/s · ETA 16m30s");
}

TEST(FormatProgressTest, WithoutTotalHasNoPercentageOrEta) {
  EXPECT_EQ(FormatProgress("reading catalogs", 6000, 0, absl::Seconds(2)),
            "reading catalogs 6,000 · 3,000/s");
}

TEST(FormatProgressTest, NoRateWithoutElapsedTimeOrWork) {
  EXPECT_EQ(FormatProgress("reading catalogs", 6000, 0, absl::ZeroDuration()),
            "reading catalogs 6,000");
  EXPECT_EQ(FormatProgress("writing", 5000, 10000, absl::ZeroDuration()),
            "writing 5,000/10,000 (50%)");
  EXPECT_EQ(FormatProgress("writing", 0, 10, absl::Seconds(3)),
            "writing 0/10 (0%)");
  EXPECT_EQ(FormatProgress("reading catalogs", 0, 0, absl::Seconds(3)),
            "reading catalogs 0");
}

TEST(FormatProgressTest, NoEtaWhenDone) {
  EXPECT_EQ(FormatProgress("writing", 10, 10, absl::Seconds(2)),
            "writing 10/10 (100%) · 5/s");
}

TEST(FormatProgressTest, IsAPureFunctionOfItsArguments) {
  // 1,200 in 1.5s: 800 a second; 97,565 left take 121.96s, about 2m2s.
  const std::string first =
      FormatProgress("indexing", 1200, 98765, absl::Milliseconds(1500));
  EXPECT_EQ(first, "indexing 1,200/98,765 (1%) · 800/s · ETA 2m2s");
  EXPECT_EQ(FormatProgress("indexing", 1200, 98765, absl::Milliseconds(1500)),
            first);
}

// The example in progress.h, reproduced: 6,000 of 13,090 at 2,310 a second
// (2.597s elapsed gives 2,310.4/s). 6,000/13,090 is 45.8% and the 7,090
// left take 3.07s, so the header's "(46%)" and "ETA 3s" round where the
// implementation truncates the percentage and rounds the ETA up. Kept as a
// record of that disagreement between contract and implementation.
TEST(FormatProgressTest, MatchesTheHeaderExample) {
  EXPECT_EQ(FormatProgress("writing", 6000, 13090, absl::Milliseconds(2597)),
            "writing 6,000/13,090 (45%) · 2,310/s · ETA 4s");
  EXPECT_EQ(
      FormatProgress("reading catalogs", 6000, 0, absl::Milliseconds(2597)),
      "reading catalogs 6,000 · 2,310/s");
}

// ------------------------------------------------------------ ProgressMeter

// A temporary FILE* the meter writes to, read back as a string.
class CapturedFile {
 public:
  CapturedFile() : file_(std::tmpfile()) {}
  ~CapturedFile() {
    if (file_ != nullptr) std::fclose(file_);
  }
  CapturedFile(const CapturedFile&) = delete;
  CapturedFile& operator=(const CapturedFile&) = delete;

  std::FILE* get() const { return file_; }

  std::string Contents() const {
    std::fflush(file_);
    const long end = std::ftell(file_);
    std::rewind(file_);
    std::string out(static_cast<size_t>(end), '\0');
    const size_t read = std::fread(out.data(), 1, out.size(), file_);
    out.resize(read);
    std::fseek(file_, 0, SEEK_END);
    return out;
  }

 private:
  std::FILE* file_;
};

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  // The text ends with '\n': drop the empty piece after it.
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

TEST(ProgressMeterTest, NonInteractivePrintsOneLineAtStartAndOneAtFinish) {
  CapturedFile out;
  ASSERT_NE(out.get(), nullptr);
  ProgressMeter meter(out.get(), /*interactive=*/false);

  meter.Update("reading catalogs", 1, 0);
  const std::string after_start = out.Contents();
  EXPECT_THAT(Lines(after_start), SizeIs(1));
  EXPECT_THAT(after_start, StartsWith("reading catalogs"));
  EXPECT_THAT(after_start, EndsWith("\n"));

  for (size_t done = 2; done <= 1000; ++done) {
    meter.Update("reading catalogs", done, 0);
  }
  // Nothing more until the phase ends.
  EXPECT_EQ(out.Contents(), after_start);

  meter.Finish();
  const std::string text = out.Contents();
  const std::vector<std::string> lines = Lines(text);
  ASSERT_THAT(lines, SizeIs(2)) << text;
  EXPECT_THAT(lines[0], StartsWith("reading catalogs"));
  // The end line reports the final count.
  EXPECT_THAT(lines[1], StartsWith("reading catalogs 1,000"));
  EXPECT_THAT(text, EndsWith("\n"));
  EXPECT_THAT(text, Not(HasSubstr("\r")));
  EXPECT_THAT(text, Not(HasSubstr("\x1b")));
}

TEST(ProgressMeterTest, NonInteractiveNextPhaseEndsThePreviousOne) {
  CapturedFile out;
  ASSERT_NE(out.get(), nullptr);
  ProgressMeter meter(out.get(), /*interactive=*/false);

  meter.Update("parsing", 1, 4);
  meter.Update("parsing", 4, 4);
  meter.Update("writing", 1, 13090);
  meter.Update("writing", 13090, 13090);
  meter.Finish();

  const std::string text = out.Contents();
  const std::vector<std::string> lines = Lines(text);
  ASSERT_THAT(lines, SizeIs(4)) << text;
  EXPECT_THAT(lines[0], StartsWith("parsing"));
  EXPECT_THAT(lines[1], StartsWith("parsing 4/4 (100%)"));
  EXPECT_THAT(lines[2], StartsWith("writing"));
  EXPECT_THAT(lines[3], StartsWith("writing 13,090/13,090 (100%)"));
  EXPECT_THAT(text, Not(HasSubstr("\r")));
}

TEST(ProgressMeterTest, FinishWithoutAPhasePrintsNothing) {
  for (const bool interactive : {false, true}) {
    CapturedFile out;
    ASSERT_NE(out.get(), nullptr);
    ProgressMeter meter(out.get(), interactive);
    meter.Finish();
    EXPECT_THAT(out.Contents(), IsEmpty()) << "interactive=" << interactive;
  }
}

TEST(ProgressMeterTest, FinishTwiceEndsThePhaseOnce) {
  CapturedFile out;
  ASSERT_NE(out.get(), nullptr);
  ProgressMeter meter(out.get(), /*interactive=*/false);
  meter.Update("writing", 3, 3);
  meter.Finish();
  const std::string once = out.Contents();
  meter.Finish();
  EXPECT_EQ(out.Contents(), once);
  EXPECT_THAT(Lines(once), SizeIs(2)) << once;
}

TEST(ProgressMeterTest, InteractiveRedrawsInPlaceAndEndsWithOneNewline) {
  CapturedFile out;
  ASSERT_NE(out.get(), nullptr);
  ProgressMeter meter(out.get(), /*interactive=*/true);

  meter.Update("writing", 1, 10);
  const std::string first = out.Contents();
  // The first update draws at once, starting with a carriage return and
  // without ending the line.
  EXPECT_THAT(first, StartsWith("\r"));
  EXPECT_THAT(first, HasSubstr("writing 1/10 (10%)"));
  EXPECT_THAT(first, Not(HasSubstr("\n")));

  for (size_t done = 2; done <= 10; ++done) meter.Update("writing", done, 10);
  meter.Finish();

  const std::string text = out.Contents();
  EXPECT_THAT(text, EndsWith("\n"));
  // Redrawn in place: the only line break is the one Finish writes.
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
  // The final drawing, after the last carriage return, is the full count.
  const std::string last = text.substr(text.rfind('\r') + 1);
  EXPECT_THAT(last, HasSubstr("writing 10/10 (100%)"));
  EXPECT_THAT(last, EndsWith("\n"));
}

TEST(ProgressMeterTest, InteractiveNextPhaseEndsThePreviousLine) {
  CapturedFile out;
  ASSERT_NE(out.get(), nullptr);
  ProgressMeter meter(out.get(), /*interactive=*/true);

  meter.Update("parsing", 2, 2);
  meter.Update("writing", 5, 5);
  meter.Finish();

  const std::string text = out.Contents();
  const std::vector<std::string> lines = Lines(text);
  ASSERT_THAT(lines, SizeIs(2)) << text;
  EXPECT_THAT(lines[0], HasSubstr("parsing 2/2 (100%)"));
  EXPECT_THAT(lines[1], HasSubstr("writing 5/5 (100%)"));
  for (const std::string& line : lines) {
    EXPECT_THAT(line, StartsWith("\r")) << line;
  }
}

}  // namespace
}  // namespace lectern
