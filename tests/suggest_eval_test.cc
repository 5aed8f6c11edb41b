#include "indexer/suggest_eval.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "indexer/suggester.h"
#include "lectern/v1/lectern.pb.h"

namespace lectern {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

constexpr double kEps = 1e-12;

double Harmonic(int n) {
  double sum = 0;
  for (int i = 1; i <= n; ++i) sum += 1.0 / i;
  return sum;
}

// ------------------------------------------------------------------ RankOf

TEST(SuggestEvalRankOf, CountsBetterAndTied) {
  const std::vector<double> scores = {3, 5, 5, 1};
  const TiedRank second = RankOf(scores, 1);
  EXPECT_EQ(second.better, 0u);
  EXPECT_EQ(second.tied, 2u);
  const TiedRank also_second = RankOf(scores, 2);
  EXPECT_EQ(also_second.better, 0u);
  EXPECT_EQ(also_second.tied, 2u);
  const TiedRank last = RankOf(scores, 3);
  EXPECT_EQ(last.better, 3u);
  EXPECT_EQ(last.tied, 1u);
  const TiedRank first_listed = RankOf(scores, 0);
  EXPECT_EQ(first_listed.better, 2u);
  EXPECT_EQ(first_listed.tied, 1u);
}

TEST(SuggestEvalRankOf, SinglePaper) {
  const TiedRank rank = RankOf({0.25}, 0);
  EXPECT_EQ(rank.better, 0u);
  EXPECT_EQ(rank.tied, 1u);
}

TEST(SuggestEvalRankOf, AllTied) {
  const TiedRank rank = RankOf({2, 2, 2, 2, 2}, 3);
  EXPECT_EQ(rank.better, 0u);
  EXPECT_EQ(rank.tied, 5u);
}

// ------------------------------------------------- expectations over ties

// The metrics by enumeration: the papers in score order (higher first),
// with every ordering of the target's tied block, each equally likely.
struct BruteForce {
  size_t better = 0;
  size_t tied = 0;
  double hit_at_1 = 0, hit_at_2 = 0, hit_at_5 = 0, hit_at_10 = 0;
  double reciprocal_rank = 0;
  double rank = 0;
};

BruteForce Enumerate(const std::vector<double>& scores, size_t target) {
  std::vector<size_t> above, block, below;
  for (size_t i = 0; i < scores.size(); ++i) {
    if (scores[i] > scores[target]) {
      above.push_back(i);
    } else if (scores[i] == scores[target]) {
      block.push_back(i);
    } else {
      below.push_back(i);
    }
  }
  BruteForce out;
  out.better = above.size();
  out.tied = block.size();
  std::sort(block.begin(), block.end());
  size_t orderings = 0;
  do {
    std::vector<size_t> order = above;
    order.insert(order.end(), block.begin(), block.end());
    order.insert(order.end(), below.begin(), below.end());
    const size_t position =
        std::find(order.begin(), order.end(), target) - order.begin() + 1;
    ++orderings;
    out.hit_at_1 += position <= 1;
    out.hit_at_2 += position <= 2;
    out.hit_at_5 += position <= 5;
    out.hit_at_10 += position <= 10;
    out.reciprocal_rank += 1.0 / position;
    out.rank += position;
  } while (std::next_permutation(block.begin(), block.end()));
  out.hit_at_1 /= orderings;
  out.hit_at_2 /= orderings;
  out.hit_at_5 /= orderings;
  out.hit_at_10 /= orderings;
  out.reciprocal_rank /= orderings;
  out.rank /= orderings;
  return out;
}

void ExpectMatchesEnumeration(const std::vector<double>& scores,
                              size_t target) {
  SCOPED_TRACE(::testing::Message()
               << "target " << target << " of " << scores.size());
  const BruteForce expected = Enumerate(scores, target);
  const TiedRank rank = RankOf(scores, target);
  EXPECT_EQ(rank.better, expected.better);
  EXPECT_EQ(rank.tied, expected.tied);
  EXPECT_NEAR(ExpectedHitAt(rank, 1), expected.hit_at_1, kEps);
  EXPECT_NEAR(ExpectedHitAt(rank, 2), expected.hit_at_2, kEps);
  EXPECT_NEAR(ExpectedHitAt(rank, 5), expected.hit_at_5, kEps);
  EXPECT_NEAR(ExpectedHitAt(rank, 10), expected.hit_at_10, kEps);
  EXPECT_NEAR(ExpectedReciprocalRank(rank), expected.reciprocal_rank, kEps);
  EXPECT_NEAR(ExpectedRank(rank), expected.rank, kEps);
}

TEST(SuggestEvalExpectations, MatchEnumerationOfTies) {
  // Tied for first and second.
  ExpectMatchesEnumeration({3, 5, 5, 1}, 1);
  // Alone, last.
  ExpectMatchesEnumeration({3, 5, 5, 1}, 3);
  // A block of five over places 4..8: straddles k = 5.
  ExpectMatchesEnumeration({9, 9, 9, 7, 7, 7, 7, 7, 1}, 4);
  // A block of four over places 9..12: straddles k = 10.
  ExpectMatchesEnumeration({8, 8, 8, 8, 8, 8, 8, 8, 4, 4, 4, 4, 2, 1}, 10);
  // Places 7..9: past 5, within 10.
  ExpectMatchesEnumeration({6, 6, 6, 6, 6, 6, 3, 3, 3, 0}, 7);
  // Entirely past 10.
  ExpectMatchesEnumeration({5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 2, 2}, 12);
  // One paper; everything tied.
  ExpectMatchesEnumeration({0.5}, 0);
  ExpectMatchesEnumeration({1, 1, 1, 1, 1, 1, 1}, 2);
  // Unsorted input.
  ExpectMatchesEnumeration({0.1, 0.7, 0.3, 0.7, 0.9, 0.3, 0.3}, 5);
}

TEST(SuggestEvalExpectations, RandomBaseline) {
  for (size_t n = 1; n <= 15; ++n) {
    SCOPED_TRACE(::testing::Message() << "n = " << n);
    const TiedRank rank{0, n};
    EXPECT_NEAR(ExpectedReciprocalRank(rank), Harmonic(n) / n, kEps);
    EXPECT_NEAR(ExpectedRank(rank), (n + 1) / 2.0, kEps);
    EXPECT_NEAR(ExpectedHitAt(rank, 5), std::min<size_t>(5, n) / double(n),
                kEps);
    EXPECT_NEAR(ExpectedHitAt(rank, 10), std::min<size_t>(10, n) / double(n),
                kEps);
  }
}

TEST(SuggestEvalExpectations, ExactValuesWithoutTies) {
  EXPECT_EQ(ExpectedHitAt(TiedRank{0, 1}, 1), 1.0);
  EXPECT_EQ(ExpectedHitAt(TiedRank{4, 1}, 5), 1.0);
  EXPECT_EQ(ExpectedHitAt(TiedRank{5, 1}, 5), 0.0);
  EXPECT_EQ(ExpectedHitAt(TiedRank{3, 1}, 0), 0.0);
  EXPECT_NEAR(ExpectedReciprocalRank(TiedRank{3, 1}), 0.25, kEps);
  EXPECT_EQ(ExpectedRank(TiedRank{3, 1}), 4.0);
  EXPECT_EQ(ExpectedRank(TiedRank{0, 1}), 1.0);
}

// ---------------------------------------------------------------- Evaluate

ReplayCase Case(const std::string& date, const std::string& paper_id,
                const std::string& title,
                std::vector<ReplayCase::Scored> papers, bool eligible = true,
                const std::string& reason = "") {
  ReplayCase replay;
  replay.session.set_group("reading-club");
  replay.session.set_date(date);
  replay.session.set_kind(v1::SESSION_KIND_PAPER);
  replay.session.set_title(title);
  replay.session.mutable_paper()->set_paper_id(paper_id);
  replay.session.mutable_paper()->set_title(title);
  replay.eligible = eligible;
  replay.reason = reason;
  replay.papers = std::move(papers);
  return replay;
}

// Case 1: the target has the highest relevance and is the oldest of four.
ReplayCase FirstCase() {
  return Case(
      "2024-09-10", "a", "Paper A",
      {{"b", 0.5, 200}, {"c", 0.3, 300}, {"a", 0.9, 100}, {"d", 0.1, 400}});
}

// Case 2: twelve papers; four more relevant than the target, which ties with
// "u" and is the newest.
ReplayCase SecondCase() {
  return Case("2024-09-17", "t", "Paper T",
              {{"p1", 0.9, 100},
               {"p2", 0.9, 110},
               {"q1", 0.2, 120},
               {"p3", 0.9, 130},
               {"u", 0.8, 500},
               {"q2", 0.2, 140},
               {"t", 0.8, 1000},
               {"q3", 0.1, 150},
               {"p4", 0.9, 160},
               {"q4", 0.3, 170},
               {"q5", 0.2, 180},
               {"q6", 0.0, 190}});
}

// Case 3: the group's choice was not eligible.
ReplayCase SkippedCase() {
  return Case("2024-09-24", "z", "Paper Z",
              {{"a", 0.9, 100}, {"b", 0.5, 200}, {"c", 0.3, 300}},
              /*eligible=*/false, "already presented by ml-sys on 2024-06-04");
}

TEST(SuggestEvalEvaluate, SkipsIneligibleCaseWithItsReason) {
  const EvalReport report = Evaluate("reading-club", {SkippedCase()});
  EXPECT_EQ(report.group, "reading-club");
  ASSERT_THAT(report.cases, SizeIs(1));
  EXPECT_EQ(report.evaluated, 0u);
  const EvalCase& c = report.cases[0];
  EXPECT_EQ(c.date, "2024-09-24");
  EXPECT_EQ(c.paper_id, "z");
  EXPECT_EQ(c.title, "Paper Z");
  EXPECT_EQ(c.skipped_because, "already presented by ml-sys on 2024-06-04");
  // Nothing evaluated: the averages stay zero (not NaN).
  for (const RankingMetrics* m :
       {&report.ranker, &report.newest, &report.random}) {
    EXPECT_EQ(m->hit_at_5, 0.0);
    EXPECT_EQ(m->hit_at_10, 0.0);
    EXPECT_EQ(m->mrr, 0.0);
    EXPECT_EQ(m->mean_rank, 0.0);
  }
}

TEST(SuggestEvalEvaluate, PerCaseRanks) {
  const EvalReport report =
      Evaluate("reading-club", {FirstCase(), SecondCase(), SkippedCase()});
  ASSERT_THAT(report.cases, SizeIs(3));
  EXPECT_EQ(report.evaluated, 2u);

  const EvalCase& first = report.cases[0];
  EXPECT_EQ(first.date, "2024-09-10");
  EXPECT_EQ(first.paper_id, "a");
  EXPECT_EQ(first.title, "Paper A");
  EXPECT_EQ(first.eligible, 4u);
  EXPECT_EQ(first.skipped_because, "");
  EXPECT_EQ(first.ranker.better, 0u);
  EXPECT_EQ(first.ranker.tied, 1u);
  EXPECT_EQ(first.newest.better, 3u);
  EXPECT_EQ(first.newest.tied, 1u);
  EXPECT_EQ(first.random.better, 0u);
  EXPECT_EQ(first.random.tied, 4u);

  const EvalCase& second = report.cases[1];
  EXPECT_EQ(second.paper_id, "t");
  EXPECT_EQ(second.eligible, 12u);
  EXPECT_EQ(second.ranker.better, 4u);
  EXPECT_EQ(second.ranker.tied, 2u);
  EXPECT_EQ(second.newest.better, 0u);
  EXPECT_EQ(second.newest.tied, 1u);
  EXPECT_EQ(second.random.better, 0u);
  EXPECT_EQ(second.random.tied, 12u);

  EXPECT_EQ(report.cases[2].skipped_because,
            "already presented by ml-sys on 2024-06-04");
}

TEST(SuggestEvalEvaluate, AveragesOverEvaluatedCases) {
  const EvalReport report =
      Evaluate("reading-club", {FirstCase(), SkippedCase(), SecondCase()});
  ASSERT_EQ(report.evaluated, 2u);

  // Ranker: case 1 first of 4; case 2 at places 5..6 of 12.
  EXPECT_NEAR(report.ranker.hit_at_5, (1 + 0.5) / 2, kEps);
  EXPECT_NEAR(report.ranker.hit_at_10, 1.0, kEps);
  EXPECT_NEAR(report.ranker.mrr, (1 + (1.0 / 5 + 1.0 / 6) / 2) / 2, kEps);
  EXPECT_NEAR(report.ranker.mean_rank, (1 + 5.5) / 2, kEps);

  // Newest first: case 1 fourth (oldest); case 2 first (newest).
  EXPECT_NEAR(report.newest.hit_at_5, 1.0, kEps);
  EXPECT_NEAR(report.newest.hit_at_10, 1.0, kEps);
  EXPECT_NEAR(report.newest.mrr, (0.25 + 1) / 2, kEps);
  EXPECT_NEAR(report.newest.mean_rank, (4 + 1) / 2.0, kEps);

  // Random: uniform over 4, then over 12.
  EXPECT_NEAR(report.random.hit_at_5, (1 + 5.0 / 12) / 2, kEps);
  EXPECT_NEAR(report.random.hit_at_10, (1 + 10.0 / 12) / 2, kEps);
  EXPECT_NEAR(report.random.mrr,
              ((1 + 1.0 / 2 + 1.0 / 3 + 1.0 / 4) / 4 + Harmonic(12) / 12) / 2,
              kEps);
  EXPECT_NEAR(report.random.mean_rank, (2.5 + 6.5) / 2, kEps);
}

TEST(SuggestEvalEvaluate, SkippedCaseDoesNotChangeMetrics) {
  const EvalReport with =
      Evaluate("reading-club", {SkippedCase(), FirstCase(), SecondCase()});
  const EvalReport without =
      Evaluate("reading-club", {FirstCase(), SecondCase()});
  EXPECT_EQ(with.evaluated, without.evaluated);
  EXPECT_EQ(with.cases.size(), without.cases.size() + 1);
  EXPECT_NEAR(with.ranker.mrr, without.ranker.mrr, kEps);
  EXPECT_NEAR(with.newest.mean_rank, without.newest.mean_rank, kEps);
  EXPECT_NEAR(with.random.hit_at_5, without.random.hit_at_5, kEps);
}

// ----------------------------------------------------------- the report

// The first line containing `needle`.
std::string LineWith(const std::string& text, absl::string_view needle) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StrContains(line, needle)) return std::string(line);
  }
  return "";
}

// The first line that starts with `label` once indented space is dropped.
std::string LineStartingWith(const std::string& text, absl::string_view label) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StartsWith(absl::StripLeadingAsciiWhitespace(line), label)) {
      return std::string(line);
    }
  }
  return "";
}

TEST(SuggestEvalEvaluate, CasesThatCannotBeRankedAreSkippedWithAReason) {
  // Eligible but absent from the ranked papers, and ineligible with no
  // reason given: neither may be scored as if it ranked first.
  const EvalReport report =
      Evaluate("reading-club",
               {Case("2024-10-01", "missing", "Missing", {{"b", 0.9, 100}}),
                Case("2024-10-08", "a", "Paper A", {}, /*eligible=*/false)});
  EXPECT_EQ(report.evaluated, 0u);
  ASSERT_EQ(report.cases.size(), 2u);
  EXPECT_THAT(report.cases[0].skipped_because, HasSubstr("not among"));
  EXPECT_FALSE(report.cases[1].skipped_because.empty());
  EXPECT_EQ(report.ranker.mrr, 0);
  EXPECT_EQ(ExpectedReciprocalRank(TiedRank{0, 0}), 0);
  EXPECT_EQ(ExpectedHitAt(TiedRank{0, 0}, 5), 0);
}

TEST(SuggestEvalReport, FormatsCasesAndSummaries) {
  const EvalReport report =
      Evaluate("reading-club", {FirstCase(), SecondCase(), SkippedCase()});
  const std::string text = FormatEvalReport(report);
  EXPECT_THAT(text, HasSubstr("reading-club"));

  EXPECT_THAT(LineWith(text, "skipped"),
              AllOf(HasSubstr("2024-09-24"), HasSubstr("z"),
                    HasSubstr("already presented by ml-sys on 2024-06-04")));
  // Evaluated sessions: expected ranks 1, 4 and 2.5, then the paper.
  const std::string first = LineWith(text, "2024-09-10");
  EXPECT_THAT(first, AllOf(HasSubstr("1.0"), HasSubstr("4.0"), HasSubstr("2.5"),
                           Not(HasSubstr("skipped"))));
  EXPECT_TRUE(absl::EndsWith(first, " a")) << first;
  const std::string second = LineWith(text, "2024-09-17");
  EXPECT_THAT(second, AllOf(HasSubstr("5.5"), HasSubstr("6.5")));
  EXPECT_TRUE(absl::EndsWith(second, " t")) << second;

  // Summaries: ranker hit@5 0.75, MRR 71/120; newest MRR 0.625, mean rank
  // 2.5; random hit@5 17/24, hit@10 11/12, mean rank 4.5.
  EXPECT_THAT(LineStartingWith(text, "ranker"),
              AllOf(HasSubstr("0.750"), HasSubstr("0.592")));
  EXPECT_THAT(LineStartingWith(text, "newest first"),
              AllOf(HasSubstr("0.625"), HasSubstr("2.5")));
  EXPECT_THAT(LineStartingWith(text, "random"),
              AllOf(HasSubstr("0.708"), HasSubstr("0.917"), HasSubstr("4.5")));
}

TEST(SuggestEvalReport, EmptyReportStillHasSummaries) {
  const std::string text = FormatEvalReport(Evaluate("empty-group", {}));
  EXPECT_THAT(text, HasSubstr("empty-group"));
  EXPECT_THAT(LineStartingWith(text, "ranker"), HasSubstr("0.000"));
  EXPECT_THAT(LineStartingWith(text, "newest first"), HasSubstr("0.000"));
  EXPECT_THAT(LineStartingWith(text, "random"), HasSubstr("0.000"));
  EXPECT_EQ(text.find("nan"), std::string::npos);
}

}  // namespace
}  // namespace lectern
