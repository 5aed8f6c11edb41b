// Related work over a real index of the bundled data. What a list should
// hold comes from outside the code under test: the publication years of
// the catalog, the parsed schedules (who presented what), and the
// hand-judged topics of data/eval/related_topics.tsv.
#include "indexer/related_work.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "indexer/corpus.h"
#include "indexer/related_eval.h"
#include "indexer/searcher.h"
#include "tests/testing/bundled_index.h"
#include "tests/testing/paths.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace lectern {
namespace {

using ::lectern::testing::IsOk;
using ::lectern::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

std::string TopicFile() {
  return testing::SourceDir() + "/data/eval/related_topics.tsv";
}

class RelatedWorkTest : public testing::BundledIndexSuite {
 protected:
  static void SetUpTestSuite() {
    ASSERT_NO_FATAL_FAILURE(BundledIndexSuite::SetUpTestSuite());
    auto labels = ParseTopicLabels(testing::ReadFile(TopicFile()), TopicFile());
    ASSERT_THAT(labels, IsOk());
    labels_ = new std::vector<TopicLabel>(*std::move(labels));
  }
  static void TearDownTestSuite() {
    BundledIndexSuite::TearDownTestSuite();
    delete labels_;
    labels_ = nullptr;
  }
  void SetUp() override {
    auto searcher = Searcher::Open(index_->path());
    ASSERT_THAT(searcher, IsOk());
    searcher_ = std::move(*searcher);
  }

  v1::RelatedWorkResponse MustFind(const std::string& paper, int count = 0,
                                   int years = 0) {
    v1::RelatedWorkRequest request;
    request.set_paper(paper);
    request.set_count(count);
    request.set_years(years);
    auto response = searcher_->RelatedWork(request);
    EXPECT_THAT(response, IsOk()) << paper;
    return response.ok() ? *std::move(response) : v1::RelatedWorkResponse{};
  }

  // The parsed sessions that presented catalog paper `id`.
  static std::set<std::string> SessionsPresenting(const std::string& id) {
    std::set<std::string> ids;
    for (const v1::Session& session : index_->corpus.sessions) {
      if (session.paper().paper_id() == id) ids.insert(session.id());
    }
    return ids;
  }

  static std::set<std::string> TitlesOfTopic(const std::string& topic) {
    std::set<std::string> titles;
    for (const TopicLabel& label : *labels_) {
      if (label.topic == topic) titles.insert(label.title);
    }
    return titles;
  }

  static std::vector<TopicLabel>* labels_;
  std::unique_ptr<Searcher> searcher_;
};

std::vector<TopicLabel>* RelatedWorkTest::labels_ = nullptr;

TEST_F(RelatedWorkTest, DistServeListsLlmServingPapersOfTheThreeYearsBefore) {
  const v1::RelatedWorkResponse response = MustFind("DistServe", 15);
  ASSERT_THAT(response.paper().title(), HasSubstr("DistServe"));
  ASSERT_EQ(response.paper().year(), 2024);
  EXPECT_EQ(response.year_from(), 2021);
  EXPECT_EQ(response.year_to(), 2024);
  ASSERT_THAT(response.related(), SizeIs(15));

  const std::set<std::string> llm_serving = TitlesOfTopic("llm-serving");
  int on_topic = 0;
  int presented = 0;
  for (const v1::RelatedPaper& related : response.related()) {
    const v1::Paper& paper = related.paper();
    EXPECT_GE(paper.year(), 2021) << paper.title();
    EXPECT_LE(paper.year(), 2024) << paper.title();
    EXPECT_NE(paper.id(), response.paper().id());
    EXPECT_THAT(related.evidence(), Not(IsEmpty())) << paper.title();
    EXPECT_GT(related.similarity(), 0) << paper.title();
    on_topic += llm_serving.count(paper.title());
    // Marked presented exactly when a schedule presented it.
    std::set<std::string> sessions;
    for (const v1::Session& session : related.sessions()) {
      sessions.insert(session.id());
    }
    EXPECT_EQ(sessions, SessionsPresenting(paper.id())) << paper.title();
    presented += !sessions.empty();
  }
  // A third of the list or more is hand-judged LLM serving, where such
  // papers are under 5% of the window.
  EXPECT_GE(on_topic, 5);
  // Parrot, dLoRA and PowerInfer were presented by the groups.
  EXPECT_GE(presented, 1);
  // The paper's own sessions are reported.
  std::set<std::string> own;
  for (const v1::Session& session : response.sessions()) {
    own.insert(session.id());
  }
  EXPECT_EQ(own, SessionsPresenting(response.paper().id()));
}

TEST_F(RelatedWorkTest, SameAnswerEveryTimeAndByIdOrTitle) {
  const v1::RelatedWorkResponse by_words = MustFind("DistServe");
  const v1::RelatedWorkResponse by_id = MustFind(by_words.paper().id());
  const v1::RelatedWorkResponse by_title = MustFind(by_words.paper().title());
  EXPECT_EQ(by_words.SerializeAsString(), by_id.SerializeAsString());
  EXPECT_EQ(by_words.SerializeAsString(), by_title.SerializeAsString());
  EXPECT_THAT(by_words.related(), SizeIs(kDefaultRelatedCount));
}

TEST_F(RelatedWorkTest, PaperOnlyASchedulePresentedIsTakenFromItsSession) {
  // iGniter (TPDS'24) is on paper-list-2024's schedule, not in the catalog.
  const v1::RelatedWorkResponse response = MustFind(
      "iGniter: Interference-Aware GPU Resource Provisioning for "
      "Predictable DNN Inference in the Cloud");
  EXPECT_TRUE(response.paper().id().empty());
  EXPECT_EQ(response.paper().venue(), "TPDS");
  ASSERT_THAT(response.sessions(), SizeIs(1));
  EXPECT_EQ(response.sessions(0).group(), "paper-list-2024");
  EXPECT_EQ(response.year_to(), 2024);
  EXPECT_THAT(response.related(), Not(IsEmpty()));
}

TEST_F(RelatedWorkTest, BeforeAndVenuesNarrowTheWindow) {
  v1::RelatedWorkRequest request;
  request.set_paper("DistServe");
  request.set_before("2023-12-31");
  request.set_years(2);
  request.add_venues("sosp");
  request.set_count(20);
  auto response = searcher_->RelatedWork(request);
  ASSERT_THAT(response, IsOk());
  EXPECT_EQ(response->year_from(), 2021);
  EXPECT_EQ(response->year_to(), 2023);
  ASSERT_THAT(response->related(), Not(IsEmpty()));
  for (const v1::RelatedPaper& related : response->related()) {
    EXPECT_EQ(related.paper().venue(), "SOSP");
    EXPECT_GE(related.paper().year(), 2021);
    EXPECT_LE(related.paper().year(), 2023);
  }
}

TEST_F(RelatedWorkTest, DiversityPassReordersOnlyWithinThePool) {
  SuggestCache cache;
  Xapian::Database db(index_->path());
  QueryBuilder query_builder(db);
  RelatedWorkOptions plain;
  plain.diversity_weight = 0;
  v1::RelatedWorkRequest request;
  request.set_paper("DistServe");
  request.set_count(15);
  auto by_relevance =
      RelatedWorkFinder(db, &query_builder, &cache, plain).Find(request);
  ASSERT_THAT(by_relevance, IsOk());
  for (int i = 0; i < by_relevance->related_size(); ++i) {
    EXPECT_EQ(by_relevance->related(i).relevance_rank(), i + 1);
  }
  auto diverse = RelatedWorkFinder(db, &query_builder, &cache).Find(request);
  ASSERT_THAT(diverse, IsOk());
  for (const v1::RelatedPaper& related : diverse->related()) {
    EXPECT_GE(related.relevance_rank(), 1);
    if (!related.similar_to().empty()) {
      EXPECT_GT(related.diversity_penalty(), 0);
    }
  }
}

TEST_F(RelatedWorkTest, BadRequestsSayWhatWasExpected) {
  v1::RelatedWorkRequest request;
  EXPECT_THAT(searcher_->RelatedWork(request),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("paper")));
  request.set_paper("DistServe");
  request.set_years(-1);
  EXPECT_THAT(searcher_->RelatedWork(request),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("years")));
  request.set_years(0);
  request.set_count(kMaxRelatedCount + 1);
  EXPECT_THAT(searcher_->RelatedWork(request),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("count")));
  request.set_count(0);
  request.set_before("2024-13-01");
  EXPECT_THAT(searcher_->RelatedWork(request),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("before: expects a date")));
  request.set_before("");
  request.set_paper("zzzqqqxxy");
  EXPECT_THAT(searcher_->RelatedWork(request),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("zzzqqqxxy")));
  request.set_paper("year:abc");
  EXPECT_THAT(searcher_->RelatedWork(request),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(RelatedWorkTest, BeatsRandomAndSameVenueOnEveryJudgedTopic) {
  Xapian::Database db(index_->path());
  QueryBuilder query_builder(db);
  auto report = EvaluateRelatedWork(db, query_builder, *labels_,
                                    kDefaultRelatedYears, 10);
  ASSERT_THAT(report, IsOk());
  ASSERT_GT(report->seeds, 100);
  for (const TopicReport& topic : report->topics) {
    EXPECT_GT(topic.seeds, 0) << topic.topic;
    EXPECT_GT(topic.precision.related, 3 * topic.precision.random)
        << topic.topic;
    EXPECT_GT(topic.precision.related, 3 * topic.precision.same_venue)
        << topic.topic;
  }
  EXPECT_GT(report->precision.related, 5 * report->precision.same_venue);
  EXPECT_THAT(FormatRelatedEvalReport(*report), HasSubstr("llm-serving"));
}

TEST(TopicLabelsTest, RowsNeedATopicAndATitle) {
  auto labels = ParseTopicLabels("# comment\n\nllm-serving\tOrca\n", "t.tsv");
  ASSERT_THAT(labels, IsOk());
  ASSERT_THAT(*labels, SizeIs(1));
  EXPECT_EQ((*labels)[0].topic, "llm-serving");
  EXPECT_EQ((*labels)[0].title, "Orca");
  EXPECT_EQ((*labels)[0].line, 3);
  EXPECT_THAT(ParseTopicLabels("a\tb\nno tab here\n", "t.tsv"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("t.tsv:2: expected \"topic<TAB>title\"")));
  EXPECT_THAT(
      ParseTopicLabels("a\t\n", "t.tsv"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("t.tsv:1")));
}

}  // namespace
}  // namespace lectern
