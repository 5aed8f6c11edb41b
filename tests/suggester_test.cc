// Suggestions and open dates over a real index of the bundled data: the
// expectations (open slots, presented papers, publication windows) are
// computed here from the parsed corpus and the calendar, independently of
// the code under test.
#include "indexer/suggester.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "indexer/corpus.h"
#include "indexer/group_config.h"
#include "indexer/index_writer.h"
#include "indexer/interest_profile.h"
#include "indexer/normalize.h"
#include "indexer/searcher.h"
#include "indexer/suggest_eval.h"
#include "tests/testing/bundled_index.h"
#include "tests/testing/paths.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace lectern {
namespace {

using ::lectern::testing::IsOk;
using ::lectern::testing::StatusIs;
using ::lectern::testing::TempDir;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

constexpr char kGroup[] = "fall-2024";
constexpr char kSibling[] = "paper-list-2024";

absl::CivilDay Day(const std::string& iso) {
  int y = 0, m = 0, d = 0;
  EXPECT_EQ(std::sscanf(iso.c_str(), "%d-%d-%d", &y, &m, &d), 3) << iso;
  return absl::CivilDay(y, m, d);
}

// The conference months of the bundled catalog's venues, from the venues'
// own sites (OSDI in July; SOSP in October, November in 2024).
absl::CivilDay ConferenceMonth(const v1::Paper& paper) {
  int month = 0;
  if (paper.venue() == "OSDI") month = 7;
  if (paper.venue() == "SOSP") month = paper.year() == 2024 ? 11 : 10;
  EXPECT_NE(month, 0) << paper.venue();
  return absl::CivilDay(paper.year(), month, 1);
}

class SuggesterTest : public testing::BundledIndexSuite {
 protected:
  void SetUp() override {
    auto searcher = Searcher::Open(index_->path());
    ASSERT_THAT(searcher, IsOk());
    searcher_ = std::move(*searcher);
  }

  static const Corpus& corpus() { return index_->corpus; }

  // Dates of the group's open slots, as parsed.
  static std::set<std::string> OpenDatesOf(const std::string& group) {
    std::set<std::string> dates;
    for (const v1::Session& session : corpus().sessions) {
      if (session.group() == group && session.kind() == v1::SESSION_KIND_OPEN) {
        dates.insert(session.date());
      }
    }
    return dates;
  }

  // Catalog ids and title keys of every paper either seed group presented
  // or scheduled.
  static std::set<std::string> PresentedKeys() {
    std::set<std::string> keys;
    for (const v1::Session& session : corpus().sessions) {
      if (!session.has_paper()) continue;
      if (!session.paper().paper_id().empty()) {
        keys.insert("id:" + session.paper().paper_id());
      }
      keys.insert("key:" + TitleKey(session.paper().title()));
    }
    return keys;
  }

  v1::SuggestResponse MustSuggest(const v1::SuggestRequest& request) {
    auto response = searcher_->Suggest(request);
    EXPECT_THAT(response, IsOk()) << request.ShortDebugString();
    return response.ok() ? *std::move(response) : v1::SuggestResponse();
  }

  static v1::SuggestRequest Request(const std::string& group) {
    v1::SuggestRequest request;
    request.set_group(group);
    return request;
  }

  std::unique_ptr<Searcher> searcher_;
};

TEST_F(SuggesterTest, OpenDatesAreTheScheduleSlotsWithTheirPresenters) {
  v1::ListOpenDatesRequest request;
  request.set_group(kGroup);
  auto response = searcher_->ListOpenDates(request);
  ASSERT_THAT(response, IsOk());
  std::set<std::string> dates;
  for (const v1::OpenDate& open : response->open_dates()) {
    dates.insert(open.date());
    EXPECT_TRUE(open.listed());
    EXPECT_GT(open.source().line(), 0);
  }
  EXPECT_EQ(dates, OpenDatesOf(kGroup));
  EXPECT_EQ(dates, (std::set<std::string>{"2024-12-24", "2024-12-31",
                                          "2025-01-14", "2025-01-21"}));
  ASSERT_GE(response->open_dates_size(), 1);
  const v1::OpenDate& first = response->open_dates(0);
  EXPECT_EQ(first.date(), "2024-12-24");
  ASSERT_THAT(first.presenters(), SizeIs(1));
  EXPECT_EQ(first.presenters(0).name(), "Yinhe Chen");
  EXPECT_THAT(response->open_dates(1).presenters(), IsEmpty());
}

TEST_F(SuggesterTest, OpenDatesHonourBounds) {
  v1::ListOpenDatesRequest request;
  request.set_group(kGroup);
  request.set_from("2024-12-31");
  request.set_until("2025-01-14");
  auto response = searcher_->ListOpenDates(request);
  ASSERT_THAT(response, IsOk());
  std::vector<std::string> dates;
  for (const v1::OpenDate& open : response->open_dates()) {
    dates.push_back(open.date());
  }
  EXPECT_THAT(dates, ElementsAre("2024-12-31", "2025-01-14"));
}

TEST_F(SuggesterTest, OpenDatesRejectBadInput) {
  v1::ListOpenDatesRequest request;
  request.set_group("no-such-group");
  EXPECT_THAT(searcher_->ListOpenDates(request),
              StatusIs(absl::StatusCode::kNotFound));
  request.set_group(kGroup);
  request.set_from("2024-02-30");
  EXPECT_THAT(searcher_->ListOpenDates(request),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("from")));
  request.set_from("2025-02-01");
  request.set_until("2025-01-01");
  EXPECT_THAT(searcher_->ListOpenDates(request),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// The acceptance check: every open date, only SOSP/OSDI papers within two
// years of the date, nothing either group presented, no paper twice, each
// with an explanation.
TEST_F(SuggesterTest, AllOpenDatesObeyTheGroupsRules) {
  const std::set<std::string> presented = PresentedKeys();
  size_t own_papers = 0;
  for (const v1::Session& session : corpus().sessions) {
    if (session.group() == kGroup && !session.paper().paper_id().empty()) {
      ++own_papers;
    }
  }
  EXPECT_EQ(own_papers, 15u);

  v1::SuggestRequest request = Request(kGroup);
  request.set_count(8);
  const v1::SuggestResponse response = MustSuggest(request);
  std::set<std::string> dates;
  std::set<std::string> seen;
  for (const v1::DateSuggestions& date : response.dates()) {
    dates.insert(date.date());
    EXPECT_THAT(date.candidates(), SizeIs(8)) << date.date();
    EXPECT_GT(date.eligible(), 8) << date.date();
    const absl::CivilDay day = Day(date.date());
    for (const v1::Candidate& candidate : date.candidates()) {
      const v1::Paper& paper = candidate.paper();
      SCOPED_TRACE(absl::StrCat(date.date(), " ", paper.id()));
      EXPECT_TRUE(paper.venue() == "SOSP" || paper.venue() == "OSDI");
      const absl::CivilDay published = ConferenceMonth(paper);
      EXPECT_LE(published, day);
      EXPECT_GE(published,
                absl::CivilDay(day.year() - 2, day.month(), day.day()));
      EXPECT_FALSE(presented.count("id:" + paper.id()));
      EXPECT_FALSE(presented.count("key:" + TitleKey(paper.title())));
      EXPECT_TRUE(seen.insert(paper.id()).second) << "suggested twice";
      EXPECT_THAT(candidate.explanation(),
                  AllOf(HasSubstr("Qualifies:"), HasSubstr("Ranks:"),
                        HasSubstr(paper.venue())));
      for (const v1::RuleCheck& rule : candidate.rules()) {
        EXPECT_TRUE(rule.passed()) << rule.rule() << ": " << rule.detail();
      }
      EXPECT_FALSE(candidate.nearest_presented().empty());
    }
  }
  EXPECT_EQ(dates, OpenDatesOf(kGroup));
}

TEST_F(SuggesterTest, SlotPresenterIsReportedAndRequestPresenterOverrides) {
  v1::SuggestRequest request = Request(kGroup);
  request.add_dates("2024-12-24");
  v1::SuggestResponse response = MustSuggest(request);
  ASSERT_THAT(response.dates(), SizeIs(1));
  ASSERT_THAT(response.dates(0).presenters(), SizeIs(1));
  EXPECT_EQ(response.dates(0).presenters(0).name(), "Yinhe Chen");

  // Chaoyi Ruan presented Parrot (LLM serving): their history counts.
  request.set_presenter("Chaoyi Ruan");
  response = MustSuggest(request);
  ASSERT_THAT(response.dates(), SizeIs(1));
  ASSERT_THAT(response.dates(0).candidates(), Not(IsEmpty()));
  const v1::RankReason& reason = response.dates(0).candidates(0).ranking();
  EXPECT_GT(reason.presenter_weight(), 0);
  EXPECT_THAT(response.dates(0).candidates(0).explanation(),
              HasSubstr("Chaoyi Ruan"));
}

TEST_F(SuggesterTest, ExplainSaysWhoPresentedDistServe) {
  v1::SuggestRequest request = Request(kGroup);
  request.add_dates("2025-01-14");
  request.set_explain("DistServe");
  const v1::SuggestResponse response = MustSuggest(request);
  EXPECT_THAT(response.dates(), IsEmpty());
  ASSERT_THAT(response.explanations(), SizeIs(1));
  const v1::PaperExplanation& explained = response.explanations(0);
  EXPECT_THAT(explained.paper().title(), HasSubstr("DistServe"));
  EXPECT_FALSE(explained.eligible());
  bool found = false;
  for (const v1::RuleCheck& rule : explained.rules()) {
    if (rule.rule() != "not_presented") continue;
    found = true;
    EXPECT_FALSE(rule.passed());
    // Both groups, with their dates.
    EXPECT_THAT(rule.detail(),
                AllOf(HasSubstr(kSibling), HasSubstr("2024-12-24"),
                      HasSubstr(kGroup), HasSubstr("2025-01-07")));
  }
  EXPECT_TRUE(found);
  EXPECT_THAT(explained.explanation(), HasSubstr("not eligible"));
}

TEST_F(SuggesterTest, ExplainGivesTheMonthsOfAnOldPaper) {
  const v1::Paper* old = nullptr;
  for (const v1::Paper& paper : corpus().papers) {
    if (paper.venue() == "OSDI" && paper.year() == 2022) {
      old = &paper;
      break;
    }
  }
  ASSERT_NE(old, nullptr);
  v1::SuggestRequest request = Request(kGroup);
  request.add_dates("2025-01-14");
  request.set_explain(old->title());
  const v1::SuggestResponse response = MustSuggest(request);
  ASSERT_THAT(response.explanations(), SizeIs(1));
  const v1::PaperExplanation& explained = response.explanations(0);
  EXPECT_EQ(explained.paper().id(), old->id());
  EXPECT_FALSE(explained.eligible());
  // July 2022 to 2025-01-14 is 30 whole months.
  const int months = (2025 - 2022) * 12 + (1 - ConferenceMonth(*old).month());
  for (const v1::RuleCheck& rule : explained.rules()) {
    if (rule.rule() == "recency") {
      EXPECT_FALSE(rule.passed());
      EXPECT_THAT(rule.detail(),
                  AllOf(HasSubstr("July 2022"),
                        HasSubstr(absl::StrCat(months, " months")),
                        HasSubstr("24 months"), HasSubstr("2023-01-14"),
                        HasSubstr("outside")));
    } else {
      EXPECT_TRUE(rule.passed()) << rule.rule();
    }
  }
}

TEST_F(SuggesterTest, ExplainRanksAnEligiblePaper) {
  v1::SuggestRequest request = Request(kGroup);
  request.add_dates("2024-12-24");
  request.set_count(1);
  const v1::SuggestResponse suggested = MustSuggest(request);
  ASSERT_THAT(suggested.dates(), SizeIs(1));
  ASSERT_THAT(suggested.dates(0).candidates(), SizeIs(1));
  const v1::Candidate& top = suggested.dates(0).candidates(0);

  request.set_explain(top.paper().id());
  const v1::SuggestResponse response = MustSuggest(request);
  ASSERT_THAT(response.explanations(), SizeIs(1));
  EXPECT_TRUE(response.explanations(0).eligible());
  EXPECT_EQ(response.explanations(0).rank(), top.ranking().relevance_rank());
  EXPECT_EQ(response.explanations(0).eligible_count(),
            suggested.dates(0).eligible());
}

TEST_F(SuggesterTest, ExplainOfNothingIsNotFound) {
  v1::SuggestRequest request = Request(kGroup);
  request.set_explain("zzqxv wwkrp");
  EXPECT_THAT(searcher_->Suggest(request),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("zzqxv")));
}

TEST_F(SuggesterTest, RejectedPapersAreLeftOutAndUnknownOnesReported) {
  v1::SuggestRequest request = Request(kGroup);
  request.add_dates("2024-12-31");
  request.set_count(3);
  const v1::SuggestResponse before = MustSuggest(request);
  ASSERT_THAT(before.dates(), SizeIs(1));
  ASSERT_THAT(before.dates(0).candidates(), SizeIs(3));
  const v1::Paper first = before.dates(0).candidates(0).paper();
  const v1::Paper second = before.dates(0).candidates(1).paper();

  request.add_rejected(first.title());  // by title
  request.add_rejected(second.id());    // by catalog id
  request.add_rejected("A Paper Nobody Wrote");
  const v1::SuggestResponse after = MustSuggest(request);
  ASSERT_THAT(after.dates(), SizeIs(1));
  for (const v1::Candidate& candidate : after.dates(0).candidates()) {
    EXPECT_NE(candidate.paper().id(), first.id());
    EXPECT_NE(candidate.paper().id(), second.id());
  }
  EXPECT_EQ(after.dates(0).eligible(), before.dates(0).eligible() - 2);
  EXPECT_THAT(after.unmatched_rejected(), ElementsAre("A Paper Nobody Wrote"));

  request.set_explain(first.id());
  const v1::SuggestResponse explained = MustSuggest(request);
  ASSERT_THAT(explained.explanations(), SizeIs(1));
  EXPECT_FALSE(explained.explanations(0).eligible());
  EXPECT_THAT(explained.explanations(0).explanation(),
              HasSubstr("rejected in the request"));
}

TEST_F(SuggesterTest, RequestsMayNarrowButNotLoosen) {
  v1::SuggestRequest request = Request(kGroup);
  request.add_dates("2025-01-14");
  request.set_count(10);
  request.mutable_narrow()->add_venues("osdi");
  request.mutable_narrow()->set_max_age_months(12);
  const v1::SuggestResponse response = MustSuggest(request);
  ASSERT_THAT(response.dates(), SizeIs(1));
  ASSERT_THAT(response.dates(0).candidates(), Not(IsEmpty()));
  for (const v1::Candidate& candidate : response.dates(0).candidates()) {
    EXPECT_EQ(candidate.paper().venue(), "OSDI");
    EXPECT_GE(ConferenceMonth(candidate.paper()), absl::CivilDay(2024, 1, 14));
  }

  v1::SuggestRequest looser = Request(kGroup);
  looser.mutable_narrow()->add_venues("EuroSys");
  EXPECT_THAT(
      searcher_->Suggest(looser),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("EuroSys")));
  looser = Request(kGroup);
  looser.mutable_narrow()->set_max_age_months(36);
  EXPECT_THAT(searcher_->Suggest(looser),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("24")));
}

TEST_F(SuggesterTest, ConflictsAndAbstractLengthExclude) {
  v1::SuggestRequest request = Request(kGroup);
  request.add_dates("2024-12-31");
  request.set_count(1);
  const v1::SuggestResponse before = MustSuggest(request);
  ASSERT_THAT(before.dates(0).candidates(), SizeIs(1));
  const v1::Paper top = before.dates(0).candidates(0).paper();
  ASSERT_THAT(top.authors(), Not(IsEmpty()));

  request.mutable_narrow()->add_conflicts(top.authors(0));
  const size_t longest = top.abstract().size();
  request.mutable_narrow()->set_min_abstract_chars(1);
  const v1::SuggestResponse after = MustSuggest(request);
  ASSERT_THAT(after.dates(0).candidates(), SizeIs(1));
  EXPECT_NE(after.dates(0).candidates(0).paper().id(), top.id());
  EXPECT_LT(after.dates(0).eligible(), before.dates(0).eligible());

  // Nothing is as long as a million characters.
  request.mutable_narrow()->set_min_abstract_chars(1000000);
  const v1::SuggestResponse none = MustSuggest(request);
  EXPECT_GT(1000000u, longest);
  EXPECT_EQ(none.dates(0).eligible(), 0);
  EXPECT_THAT(none.dates(0).candidates(), IsEmpty());
}

TEST_F(SuggesterTest, TopicSteersTheRanking) {
  v1::SuggestRequest request = Request(kGroup);
  request.add_dates("2025-01-21");
  request.set_count(3);
  request.set_topic("memory disaggregation");
  const v1::SuggestResponse response = MustSuggest(request);
  ASSERT_THAT(response.dates(0).candidates(), SizeIs(3));
  for (const v1::Candidate& candidate : response.dates(0).candidates()) {
    EXPECT_GT(candidate.ranking().topic_weight(), 0);
    EXPECT_GT(candidate.ranking().topic(), 0) << candidate.paper().title();
    EXPECT_THAT(candidate.ranking().topic_terms(), Not(IsEmpty()));
  }
  const std::string title = response.dates(0).candidates(0).paper().title() +
                            response.dates(0).candidates(0).paper().abstract();
  EXPECT_TRUE(absl::StrContains(absl::AsciiStrToLower(title), "disaggregat"))
      << title;
}

TEST_F(SuggesterTest, CandidatesCarryTheirScoreParts) {
  v1::SuggestRequest request = Request(kGroup);
  request.add_dates("2024-12-31");
  request.set_count(5);
  const v1::SuggestResponse response = MustSuggest(request);
  ASSERT_THAT(response.dates(0).candidates(), SizeIs(5));
  for (const v1::Candidate& candidate : response.dates(0).candidates()) {
    const v1::RankReason& r = candidate.ranking();
    const double relevance = r.interest_weight() * r.interest() +
                             r.topic_weight() * r.topic() +
                             r.presenter_weight() * r.presenter() +
                             r.freshness_weight() * r.freshness();
    EXPECT_NEAR(candidate.score(), relevance - r.diversity_penalty(), 1e-9);
    EXPECT_NEAR(r.interest_weight() + r.topic_weight() + r.presenter_weight() +
                    r.freshness_weight(),
                1.0, 1e-9);
    EXPECT_THAT(r.matched_terms(), Not(IsEmpty()));
    EXPECT_THAT(r.matched_sessions(), Not(IsEmpty()));
    for (const std::string& session : r.matched_sessions()) {
      EXPECT_TRUE(absl::StartsWith(session, std::string(kGroup) + "/"));
      EXPECT_LT(session.substr(sizeof(kGroup), 10), "2024-12-31");
    }
  }
}

TEST_F(SuggesterTest, BadRequestsGetClearStatuses) {
  v1::SuggestRequest request = Request("no-such-group");
  EXPECT_THAT(searcher_->Suggest(request),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("fall-2024")));
  request = Request(kGroup);
  request.add_dates("2024-12-10");  // PowerInfer
  EXPECT_THAT(
      searcher_->Suggest(request),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("PowerInfer")));
  request = Request(kGroup);
  request.add_dates("Dec 24");
  EXPECT_THAT(searcher_->Suggest(request),
              StatusIs(absl::StatusCode::kInvalidArgument));
  request = Request(kGroup);
  request.set_count(kMaxSuggestCount + 1);
  EXPECT_THAT(searcher_->Suggest(request),
              StatusIs(absl::StatusCode::kInvalidArgument));
  request = Request(kGroup);
  request.set_topic("year:2025..2023");
  EXPECT_THAT(searcher_->Suggest(request),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(SuggesterTest, ReplayUsesOnlyThePast) {
  auto cases = searcher_->Replay(kGroup);
  ASSERT_THAT(cases, IsOk());
  ASSERT_THAT(*cases, SizeIs(15));
  for (const ReplayCase& replay : *cases) {
    SCOPED_TRACE(replay.session.id());
    std::set<std::string> eligible;
    for (const ReplayCase::Scored& paper : replay.papers) {
      eligible.insert(paper.paper_id);
    }
    EXPECT_EQ(eligible.count(replay.session.paper().paper_id()) == 1,
              replay.eligible);
    // Papers either group presented before the date are out; papers
    // presented later were still open then.
    for (const v1::Session& other : corpus().sessions) {
      if (other.paper().paper_id().empty()) continue;
      if (other.date() < replay.session.date()) {
        EXPECT_FALSE(eligible.count(other.paper().paper_id())) << other.id();
      }
    }
    if (replay.session.paper().paper_id() ==
        "osdi24-distserve-disaggregating-prefill") {
      EXPECT_FALSE(replay.eligible);
      EXPECT_THAT(replay.reason, HasSubstr(kSibling));
    }
  }
  // PowerInfer (2024-12-10) was still a candidate on 2024-12-03.
  const ReplayCase& loongserve = (*cases)[11];
  EXPECT_EQ(loongserve.session.date(), "2024-12-03");
  bool powerinfer_open = false;
  for (const ReplayCase::Scored& paper : loongserve.papers) {
    powerinfer_open |= paper.paper_id == "sosp24-powerinfer-fast-large";
  }
  EXPECT_TRUE(powerinfer_open);
}

TEST_F(SuggesterTest, RankerBeatsRandomOnTheSeeds) {
  auto cases = searcher_->Replay(kGroup);
  ASSERT_THAT(cases, IsOk());
  const EvalReport report = Evaluate(kGroup, *cases);
  EXPECT_GE(report.evaluated, 10u);
  EXPECT_GT(report.ranker.mrr, report.random.mrr);
  EXPECT_GT(report.ranker.hit_at_10, report.random.hit_at_10);
}

// A config with a cadence continues the schedule past its last date.
TEST(SuggesterCadenceTest, CadenceAddsDatesAfterTheSchedule) {
  TempDir dir;
  const std::string config_path = dir.Path("lectern.textproto");
  {
    std::ofstream config(config_path);
    config << "groups {\n  id: \"fall-2024\"\n  schedule_file: \""
           << testing::SourceDir() + "/data/schedules/002_0cd5e5f5aef9465a.txt"
           << "\"\n  schedule_format: SCHEDULE_FORMAT_MARKDOWN\n"
           << "  cadence { weekday: 2 interval_weeks: 1 skip_dates: "
              "\"2025-02-04\" until: \"2025-02-25\" }\n}\n";
  }
  auto config = LoadConfig(config_path);
  ASSERT_THAT(config, IsOk());
  const Corpus corpus = LoadCorpus(*config);
  auto writer = IndexWriter::Open(dir.Path("index"));
  ASSERT_THAT(writer, IsOk());
  ASSERT_THAT((*writer)->Apply(corpus), IsOk());
  writer->reset();
  auto searcher = Searcher::Open(dir.Path("index"));
  ASSERT_THAT(searcher, IsOk());

  v1::ListOpenDatesRequest request;
  request.set_group("fall-2024");
  request.set_from("2025-01-20");
  auto response = (*searcher)->ListOpenDates(request);
  ASSERT_THAT(response, IsOk());
  std::vector<std::string> dates;
  for (const v1::OpenDate& open : response->open_dates()) {
    dates.push_back(absl::StrCat(open.date(), open.listed() ? "" : "+"));
  }
  // 2025-01-21 is the schedule's last date; Tuesdays follow, except the
  // skipped one.
  EXPECT_THAT(dates, ElementsAre("2025-01-21", "2025-01-28+", "2025-02-11+",
                                 "2025-02-18+", "2025-02-25+"));

  // Suggest with no dates covers the cadence's dates too.
  v1::SuggestRequest suggest;
  suggest.set_group("fall-2024");
  suggest.set_count(1);
  auto suggested = (*searcher)->Suggest(suggest);
  ASSERT_THAT(suggested, IsOk());
  EXPECT_EQ(suggested->dates_size(), 8);  // 4 listed + 4 by cadence
}

TEST(MaximalMarginalRelevanceTest, NearDuplicatesGiveWayToADifferentTopic) {
  const TermVector cache_a = {{"Zcach", 0.8}, {"Zkv", 0.6}};
  const TermVector cache_b = {{"Zcach", 0.6}, {"Zkv", 0.8}};
  const TermVector storage = {{"Zflash", 1.0}};
  const std::vector<DiversePick> picks = MaximalMarginalRelevance(
      {1.0, 0.95, 0.7}, {cache_a, cache_b, storage}, 3, 0.5);
  ASSERT_THAT(picks, SizeIs(3));
  EXPECT_EQ(picks[0].index, 0u);
  EXPECT_EQ(picks[1].index, 2u);  // 0.7 beats 0.95 - 0.5 * 0.96
  EXPECT_EQ(picks[2].index, 1u);
  EXPECT_EQ(picks[2].similar_to, 0u);
  EXPECT_NEAR(picks[2].similarity, 0.96, 1e-12);
  EXPECT_NEAR(picks[2].score, 0.95 - 0.5 * 0.96, 1e-12);
  // Without the diversity weight, relevance order.
  const std::vector<DiversePick> plain = MaximalMarginalRelevance(
      {1.0, 0.95, 0.7}, {cache_a, cache_b, storage}, 2, 0.0);
  EXPECT_EQ(plain[0].index, 0u);
  EXPECT_EQ(plain[1].index, 1u);
}

}  // namespace
}  // namespace lectern
