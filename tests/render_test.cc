// Tests of the CLI's text renderers for ListOpenDates and Suggest, on
// hand-made responses.
#include "clients/cli/render.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace lectern::cli {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

// The lines that begin with `prefix`.
std::vector<std::string> LinesStartingWith(const std::string& text,
                                           const std::string& prefix) {
  std::vector<std::string> found;
  for (const std::string& line : Lines(text)) {
    if (absl::StartsWith(line, prefix)) found.push_back(line);
  }
  return found;
}

// Columns of UTF-8 text without wide characters: its code points.
int Columns(const std::string& line) {
  int columns = 0;
  for (char c : line) columns += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return columns;
}

v1::Presenter Person(const std::string& name) {
  v1::Presenter presenter;
  presenter.set_name(name);
  presenter.set_written_as(name);
  return presenter;
}

v1::Paper MakePaper(const std::string& id, const std::string& title,
                    const std::string& venue, int year) {
  v1::Paper paper;
  paper.set_id(id);
  paper.set_title(title);
  paper.set_venue(venue);
  paper.set_year(year);
  return paper;
}

v1::RuleCheck Rule(const std::string& rule, bool passed,
                   const std::string& detail) {
  v1::RuleCheck check;
  check.set_rule(rule);
  check.set_passed(passed);
  check.set_detail(detail);
  return check;
}

v1::ListOpenDatesResponse ThreeOpenDates() {
  v1::ListOpenDatesResponse response;
  v1::OpenDate* listed = response.add_open_dates();
  listed->set_date("2024-12-24");
  listed->set_listed(true);
  *listed->add_presenters() = Person("Yinhe Chen");
  v1::OpenDate* pair = response.add_open_dates();
  pair->set_date("2025-01-02");
  pair->set_listed(true);
  *pair->add_presenters() = Person("Jiaan Zhu");
  *pair->add_presenters() = Person("Mingxuan Liu");
  v1::OpenDate* cadence = response.add_open_dates();
  cadence->set_date("2025-01-07");
  cadence->set_listed(false);
  return response;
}

TEST(RenderOpenDatesTest, OneLinePerDateWithWeekdayPresentersAndOrigin) {
  v1::ListOpenDatesRequest request;
  request.set_group("fall-2024");
  const std::string out = RenderOpenDates(request, ThreeOpenDates());

  const std::vector<std::string> lines = Lines(out);
  ASSERT_EQ(lines.size(), 4u) << out;
  EXPECT_THAT(lines[0],
              AllOf(HasSubstr("fall-2024"), HasSubstr("3 open dates")));
  EXPECT_THAT(lines[1], AllOf(StartsWith("2024-12-24"), HasSubstr("Tue"),
                              HasSubstr("Yinhe Chen"), HasSubstr("(listed)"),
                              Not(HasSubstr("cadence"))));
  EXPECT_THAT(lines[2], AllOf(StartsWith("2025-01-02"), HasSubstr("Thu"),
                              HasSubstr("Jiaan Zhu, Mingxuan Liu"),
                              HasSubstr("(listed)")));
  EXPECT_THAT(lines[3],
              AllOf(StartsWith("2025-01-07"), HasSubstr("Tue"),
                    HasSubstr("no presenter yet"), HasSubstr("(by cadence)"),
                    Not(HasSubstr("(listed)"))));
}

TEST(RenderOpenDatesTest, HeaderNamesTheBoundsAndCountsOneDate) {
  v1::ListOpenDatesRequest request;
  request.set_group("paper-list-2024");
  request.set_from("2024-12-01");
  request.set_until("2024-12-31");
  v1::ListOpenDatesResponse response;
  *response.add_open_dates() = ThreeOpenDates().open_dates(0);
  const std::vector<std::string> lines =
      Lines(RenderOpenDates(request, response));
  ASSERT_FALSE(lines.empty());
  EXPECT_THAT(lines[0],
              AllOf(HasSubstr("paper-list-2024"), HasSubstr("1 open date"),
                    Not(HasSubstr("1 open dates")), HasSubstr("2024-12-01"),
                    HasSubstr("2024-12-31")));
}

TEST(RenderOpenDatesTest, SaysSoWhenThereAreNone) {
  v1::ListOpenDatesRequest request;
  request.set_group("fall-2024");
  const std::string out = RenderOpenDates(request, v1::ListOpenDatesResponse());
  EXPECT_THAT(out, AllOf(HasSubstr("fall-2024"), HasSubstr("no open dates"),
                         Not(HasSubstr("(listed)"))));
  EXPECT_EQ(Lines(out).size(), 1u) << out;
}

v1::Candidate MakeCandidate(const v1::Paper& paper, double score,
                            const std::string& explanation) {
  v1::Candidate candidate;
  *candidate.mutable_paper() = paper;
  candidate.set_score(score);
  candidate.set_explanation(explanation);
  return candidate;
}

TEST(RenderSuggestTest, DateHeaderThenNumberedCandidates) {
  v1::SuggestResponse response;
  v1::DateSuggestions* date = response.add_dates();
  date->set_date("2024-12-24");
  date->set_eligible(123);
  *date->add_presenters() = Person("Yinhe Chen");
  *date->add_candidates() = MakeCandidate(
      MakePaper("osdi24-nomad-non-exclusive",
                "Nomad: Non-Exclusive Memory Tiering", "OSDI", 2024),
      0.8125, "Shares memory tiering with 3 past sessions.");
  *date->add_candidates() = MakeCandidate(
      MakePaper("sosp23-gmlake", "GMLake: GPU Memory Defragmentation", "SOSP",
                2023),
      0.5, "Matches the topic: gpu, memory.");
  date->mutable_candidates(1)->set_nearest_presented(
      "vAttention (2024-11-05): different mechanism");

  RenderOptions options;
  options.width = 100;
  const std::string out = RenderSuggest(response, options);
  const std::vector<std::string> lines = Lines(out);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0],
            "2024-12-24 (Tue) · presenter Yinhe Chen · 123 eligible papers");

  // Numbered in order, each with its venue, id, score and explanation.
  const size_t nomad = out.find("1. Nomad: Non-Exclusive Memory Tiering");
  const size_t gmlake = out.find("2. GMLake: GPU Memory Defragmentation");
  ASSERT_NE(nomad, std::string::npos) << out;
  ASSERT_NE(gmlake, std::string::npos) << out;
  EXPECT_LT(nomad, gmlake);
  const std::string first = out.substr(nomad, gmlake - nomad);
  EXPECT_THAT(first, AllOf(HasSubstr("OSDI 2024"),
                           HasSubstr("osdi24-nomad-non-exclusive"),
                           HasSubstr("score 0.81"),
                           HasSubstr("Shares memory tiering with 3 past")));
  const std::string second = out.substr(gmlake);
  EXPECT_THAT(second, AllOf(HasSubstr("SOSP 2023"), HasSubstr("sosp23-gmlake"),
                            HasSubstr("score 0.50"),
                            HasSubstr("Matches the topic: gpu, memory."),
                            HasSubstr("nearest presented: vAttention")));
  EXPECT_THAT(first, Not(HasSubstr("nearest presented")));

  // Not repeated when the explanation already says it.
  v1::Candidate* said = date->mutable_candidates(1);
  said->set_explanation(absl::StrCat("Nearest: ", said->nearest_presented()));
  const std::string again = RenderSuggest(response, options);
  EXPECT_THAT(again, HasSubstr("Nearest: vAttention"));
  EXPECT_THAT(again, Not(HasSubstr("nearest presented:")));
  // Details are indented under their candidate.
  for (const std::string& line : Lines(out.substr(nomad))) {
    if (absl::StrContains(line, "Matches the topic")) {
      EXPECT_THAT(line, StartsWith("     "));
    }
  }
}

TEST(RenderSuggestTest, HeaderSaysWhoPresentsAndCountsInTheSingular) {
  v1::SuggestResponse response;
  v1::DateSuggestions* nobody = response.add_dates();
  nobody->set_date("2024-12-31");
  nobody->set_eligible(1);
  *nobody->add_candidates() =
      MakeCandidate(MakePaper("osdi24-a", "A", "OSDI", 2024), 1, "");
  v1::DateSuggestions* two = response.add_dates();
  two->set_date("2025-01-07");
  two->set_eligible(0);
  *two->add_presenters() = Person("Jiaan Zhu");
  *two->add_presenters() = Person("Mingxuan Liu");

  const std::string out = RenderSuggest(response, RenderOptions());
  EXPECT_THAT(LinesStartingWith(out, "2024-12-31"),
              ElementsAre("2024-12-31 (Tue) · no presenter yet · 1 eligible "
                          "paper"));
  EXPECT_THAT(LinesStartingWith(out, "2025-01-07"),
              ElementsAre("2025-01-07 (Tue) · presenters Jiaan Zhu, Mingxuan "
                          "Liu · 0 eligible papers"));
  // The date with nothing eligible says so instead of listing nothing.
  const std::string after = out.substr(out.find("2025-01-07"));
  EXPECT_THAT(after, HasSubstr("no paper passes the rules"));
  EXPECT_THAT(out.substr(0, out.find("2025-01-07")),
              Not(HasSubstr("no paper passes the rules")));
}

TEST(RenderSuggestTest, WrapsExplanationsToTheWidthKeepingEveryWord) {
  std::vector<std::string> words;
  for (int i = 0; i < 60; ++i) words.push_back("word" + std::to_string(i));
  const std::string explanation = absl::StrJoin(words, " ");
  v1::SuggestResponse response;
  v1::DateSuggestions* date = response.add_dates();
  date->set_date("2024-12-24");
  date->set_eligible(5);
  *date->add_candidates() = MakeCandidate(
      MakePaper("osdi24-a", "A Paper", "OSDI", 2024), 0.9, explanation);

  for (const int width : {40, 60, 100}) {
    RenderOptions options;
    options.width = width;
    const std::string out = RenderSuggest(response, options);
    std::vector<std::string> wrapped;
    for (const std::string& line : Lines(out)) {
      if (!absl::StrContains(line, "word")) continue;
      EXPECT_LE(Columns(line), width) << line;
      wrapped.push_back(std::string(absl::StripLeadingAsciiWhitespace(line)));
    }
    EXPECT_GT(wrapped.size(), 1u) << out;
    EXPECT_EQ(absl::StrJoin(wrapped, " "), explanation) << width;
  }
}

TEST(RenderSuggestTest, ExplainShowsTheVerdictAndEveryRule) {
  v1::SuggestResponse response;
  const v1::Paper nomad = MakePaper("osdi24-nomad", "Nomad", "OSDI", 2024);
  const v1::Paper old = MakePaper("osdi22-old", "Old Paper", "OSDI", 2022);

  v1::PaperExplanation* eligible = response.add_explanations();
  eligible->set_date("2024-12-24");
  *eligible->mutable_paper() = nomad;
  eligible->set_eligible(true);
  eligible->set_rank(3);
  eligible->set_eligible_count(120);
  *eligible->add_rules() = Rule("venue", true, "OSDI is one of OSDI, SOSP");
  *eligible->add_rules() = Rule("recency", true, "published July 2024");

  v1::PaperExplanation* rejected = response.add_explanations();
  rejected->set_date("2025-01-14");
  *rejected->mutable_paper() = old;
  rejected->set_eligible(false);
  *rejected->add_rules() = Rule("venue", true, "OSDI is one of OSDI, SOSP");
  *rejected->add_rules() =
      Rule("recency", false,
           "published July 2022 (OSDI 2022), 30 months before 2025-01-14");
  *rejected->add_rules() = Rule("not_presented", false, "presented 2023-03-01");

  RenderOptions options;
  options.width = 200;
  const std::string out = RenderSuggest(response, options);
  const size_t second = out.find("2025-01-14 (Tue)");
  ASSERT_NE(second, std::string::npos) << out;
  const std::string first_part = out.substr(0, second);
  const std::string second_part = out.substr(second);

  EXPECT_THAT(first_part,
              AllOf(HasSubstr("2024-12-24 (Tue)"), HasSubstr("Nomad"),
                    HasSubstr("OSDI 2024"), HasSubstr("osdi24-nomad"),
                    HasSubstr("eligible (rank 3 of 120)"),
                    Not(HasSubstr("not eligible")), Not(HasSubstr("✗"))));
  EXPECT_THAT(Lines(first_part),
              AllOf(Contains("  ✓ venue: OSDI is one of OSDI, SOSP"),
                    Contains("  ✓ recency: published July 2024")));

  EXPECT_THAT(second_part,
              AllOf(HasSubstr("Old Paper"), HasSubstr("OSDI 2022"),
                    HasSubstr("osdi22-old"), HasSubstr("not eligible"),
                    Not(HasSubstr("rank"))));
  EXPECT_THAT(Lines(second_part),
              AllOf(Contains("  ✓ venue: OSDI is one of OSDI, SOSP"),
                    Contains("  ✗ recency: published July 2022 (OSDI 2022), "
                             "30 months before 2025-01-14"),
                    Contains("  ✗ not_presented: presented 2023-03-01")));
}

TEST(RenderSuggestTest, NamesRejectedPapersTheCatalogLacks) {
  v1::SuggestResponse response;
  v1::DateSuggestions* date = response.add_dates();
  date->set_date("2024-12-24");
  date->set_eligible(2);
  *date->add_candidates() =
      MakeCandidate(MakePaper("osdi24-a", "A", "OSDI", 2024), 1, "");
  response.add_unmatched_rejected("Fast, Cheap, and Good: A Paper");
  response.add_unmatched_rejected("osdi99-missing");

  const std::string out = RenderSuggest(response, RenderOptions());
  const std::vector<std::string> notes =
      LinesStartingWith(out, "note: --reject entries not found");
  ASSERT_EQ(notes.size(), 1u) << out;
  EXPECT_THAT(notes[0], AllOf(HasSubstr("not found in the catalog: "),
                              HasSubstr("\"Fast, Cheap, and Good: A Paper\""),
                              HasSubstr("\"osdi99-missing\"")));

  response.clear_unmatched_rejected();
  EXPECT_THAT(RenderSuggest(response, RenderOptions()),
              Not(HasSubstr("not found in the catalog")));
}

TEST(RenderSuggestTest, AnEmptyAnswerSaysSo) {
  const std::string out = RenderSuggest(v1::SuggestResponse(), RenderOptions());
  EXPECT_THAT(out, HasSubstr("no open dates"));
  EXPECT_THAT(Lines(out), Not(IsEmpty()));
}

}  // namespace
}  // namespace lectern::cli
