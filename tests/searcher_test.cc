// Searcher over a real index of the bundled schedules in a temp folder.
#include "indexer/searcher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "indexer/corpus.h"
#include "indexer/group_config.h"
#include "indexer/index_writer.h"
#include "indexer/normalize.h"
#include "tests/testing/bundled_index.h"
#include "tests/testing/paths.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace lectern {
namespace {

using ::lectern::testing::IsOk;
using ::lectern::testing::StatusIs;
using ::lectern::testing::TempDir;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

class SearcherTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    index_ = new testing::BundledIndex;
    ASSERT_NO_FATAL_FAILURE(index_->Build());
    schedules_ = &index_->corpus;
  }
  static void TearDownTestSuite() {
    delete index_;
    schedules_ = nullptr;
  }

  void SetUp() override {
    auto searcher = Searcher::Open(index_->path());
    ASSERT_THAT(searcher, IsOk());
    searcher_ = std::move(*searcher);
  }

  v1::SearchResponse MustSearch(const std::string& query, int limit = 10) {
    v1::SearchRequest request;
    request.set_query(query);
    request.set_page_size(limit);
    auto result = searcher_->Search(request);
    EXPECT_THAT(result, IsOk()) << query;
    return result.ok() ? *std::move(result) : v1::SearchResponse{};
  }

  // Ids of the parsed sessions that satisfy `predicate`.
  template <typename Predicate>
  static std::set<std::string> ExpectedIds(Predicate predicate) {
    std::set<std::string> ids;
    for (const v1::Session& session : schedules_->sessions) {
      if (predicate(session)) ids.insert(session.id());
    }
    return ids;
  }

  static std::set<std::string> HitIds(const v1::SearchResponse& result) {
    std::set<std::string> ids;
    for (const v1::SearchHit& hit : result.hits()) ids.insert(hit.id());
    return ids;
  }

  static testing::BundledIndex* index_;
  static const Corpus* schedules_;
  std::unique_ptr<Searcher> searcher_;
};

testing::BundledIndex* SearcherTest::index_ = nullptr;
const Corpus* SearcherTest::schedules_ = nullptr;

TEST_F(SearcherTest, KvCacheFindsTheInfiniGenSessionFirst) {
  const v1::SearchResponse result = MustSearch("kv cache");
  ASSERT_THAT(result.hits(), Not(IsEmpty()));
  EXPECT_EQ(result.hits(0).session().date(), "2024-10-15");
  EXPECT_THAT(result.hits(0).title(), HasSubstr("InfiniGen"));
  EXPECT_EQ(result.hits(0).rank(), 1);
  EXPECT_THAT(result.hits(0).snippet(), HasSubstr("<mark>KV</mark>"));
  EXPECT_THAT(result.hits(0).snippet(), HasSubstr("<mark>Cache</mark>"));
  for (int i = 1; i < result.hits_size(); ++i) {
    EXPECT_LE(result.hits(i).score(), result.hits(i - 1).score());
  }
}

TEST_F(SearcherTest, RepairedTitleIsSearchable) {
  const v1::SearchResponse result = MustSearch("μslope");
  ASSERT_THAT(result.hits(), SizeIs(2));  // the session and its catalog paper
  EXPECT_EQ(result.hits(0).type(), v1::DOCUMENT_TYPE_SESSION);
  EXPECT_EQ(result.hits(0).session().date(), "2024-09-24");
  EXPECT_EQ(result.hits(0).session().group(), "fall-2024");
  EXPECT_EQ(result.hits(0).title(),
            "μSlope: High Compression and Fast Search on Semi-Structured Logs");
  EXPECT_EQ(result.hits(1).type(), v1::DOCUMENT_TYPE_PAPER);
  ASSERT_THAT(result.hits(1).linked_sessions(), SizeIs(1));
  EXPECT_EQ(result.hits(1).linked_sessions(0).id(), result.hits(0).id());
}

TEST_F(SearcherTest, PresenterMatchesEverySpellingOfTheName) {
  const std::set<std::string> expected = ExpectedIds([](const v1::Session& s) {
    return std::any_of(
        s.presenters().begin(), s.presenters().end(),
        [](const v1::Presenter& p) { return p.person_id() == "zongqingwei"; });
  });
  ASSERT_EQ(expected.size(), 6u);
  const v1::SearchResponse result = MustSearch("presenter:\"zongqing wei\"");
  EXPECT_EQ(HitIds(result), expected);
  bool saw_lowercase_spelling = false;
  for (const v1::SearchHit& hit : result.hits()) {
    for (const v1::Presenter& presenter : hit.session().presenters()) {
      EXPECT_EQ(presenter.name(), "Zongqing Wei");
      saw_lowercase_spelling |= presenter.written_as() == "Zongqing wei";
    }
    EXPECT_THAT(hit.snippet(), HasSubstr("<mark>Zongqing</mark>"));
  }
  EXPECT_TRUE(saw_lowercase_spelling);
  // Ties (filters only) list the newest session first.
  for (int i = 1; i < result.hits_size(); ++i) {
    EXPECT_GE(result.hits(i - 1).session().date(),
              result.hits(i).session().date());
  }
}

TEST_F(SearcherTest, PresenterIdentityJoinsJoinedAndSpacedNames) {
  const std::set<std::string> expected = ExpectedIds([](const v1::Session& s) {
    return std::any_of(
        s.presenters().begin(), s.presenters().end(),
        [](const v1::Presenter& p) { return p.person_id() == "xiangshen"; });
  });
  EXPECT_EQ(HitIds(MustSearch("type:session presenter:XiangShen")), expected);
  EXPECT_EQ(HitIds(MustSearch("type:session presenter:\"Xiang Shen\"")),
            expected);
  // A part of a name matches as a word.
  EXPECT_THAT(HitIds(MustSearch("presenter:mingxuan")), SizeIs(2));
}

// Sessions where the person `person_id` held `role` (by position on the
// parsed presenters line: the first presents, the others assist).
std::set<std::string> SessionsInRole(const Corpus& corpus,
                                     const std::string& person_id, bool main) {
  std::set<std::string> ids;
  for (const v1::Session& session : corpus.sessions) {
    for (int i = 0; i < session.presenters_size(); ++i) {
      if (session.presenters(i).person_id() == person_id && (i == 0) == main) {
        ids.insert(session.id());
      }
    }
  }
  return ids;
}

TEST_F(SearcherTest, RoleNarrowsPresenterToMainOrAssistant) {
  const std::set<std::string> assisted =
      SessionsInRole(*schedules_, "kunzhaoxu", /*main=*/false);
  ASSERT_THAT(assisted, ::testing::Contains("fall-2024/2024-09-03/1"));
  EXPECT_EQ(
      HitIds(MustSearch("type:session presenter:\"kunzhao xu\" role:assist")),
      assisted);
  // A part of the name, and role: before presenter:, narrow the same way.
  EXPECT_EQ(HitIds(MustSearch("type:session role:assist presenter:kunzhao")),
            assisted);
  EXPECT_EQ(HitIds(MustSearch("type:session presenter:\"kunzhao xu\" "
                              "role:main")),
            SessionsInRole(*schedules_, "kunzhaoxu", /*main=*/true));
  // Both roles are any role, however often named.
  std::set<std::string> either = assisted;
  for (const std::string& id :
       SessionsInRole(*schedules_, "kunzhaoxu", /*main=*/true)) {
    either.insert(id);
  }
  EXPECT_EQ(HitIds(MustSearch("type:session presenter:\"kunzhao xu\" "
                              "role:main role:assist role:main")),
            either);
  // The main presenter of the same session is not an assistant anywhere.
  const std::set<std::string> chaoyi_assisted =
      SessionsInRole(*schedules_, "chaoyiruan", /*main=*/false);
  EXPECT_EQ(
      HitIds(MustSearch("type:session presenter:\"chaoyi ruan\" role:assist")),
      chaoyi_assisted);
  EXPECT_THAT(
      HitIds(MustSearch("type:session presenter:\"chaoyi ruan\" role:main")),
      ::testing::Contains("fall-2024/2024-09-03/1"));
  // Summaries carry their session's roles.
  const v1::SearchResponse summaries =
      MustSearch("type:summary presenter:\"kunzhao xu\" role:assist");
  ASSERT_THAT(summaries.hits(), SizeIs(1));
  EXPECT_EQ(summaries.hits(0).summary().session_id(), "fall-2024/2024-09-03/1");
}

TEST_F(SearcherTest, RoleFilterMatchesTheQueryField) {
  v1::SearchRequest request;
  request.mutable_filters()->add_presenters("Kunzhao Xu");
  request.mutable_filters()->add_presenter_roles(v1::PRESENTER_ROLE_ASSIST);
  request.mutable_filters()->add_types(v1::DOCUMENT_TYPE_SESSION);
  request.set_page_size(100);
  auto result = searcher_->Search(request);
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(HitIds(*result),
            SessionsInRole(*schedules_, "kunzhaoxu", /*main=*/false));

  // Without presenters: every session with an assistant.
  request.mutable_filters()->clear_presenters();
  result = searcher_->Search(request);
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(HitIds(*result), ExpectedIds([](const v1::Session& s) {
              return s.presenters_size() > 1;
            }));
  EXPECT_EQ(HitIds(MustSearch("type:session role:assist", 100)),
            HitIds(*result));

  request.mutable_filters()->add_presenter_roles(
      static_cast<v1::PresenterRole>(7));
  EXPECT_THAT(searcher_->Search(request),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("presenter_roles")));
}

TEST_F(SearcherTest, UnknownRoleIsInvalidArgument) {
  v1::SearchRequest request;
  request.set_query("presenter:\"kunzhao xu\" role:speaker");
  EXPECT_THAT(
      searcher_->Search(request),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("role: expects main or assist, got 'speaker'")));
}

TEST_F(SearcherTest, VenueFilterAcceptsAnyNameOfTheVenue) {
  const std::set<std::string> expected = ExpectedIds(
      [](const v1::Session& s) { return s.paper().venue() == "USENIX ATC"; });
  ASSERT_THAT(expected, Not(IsEmpty()));
  EXPECT_EQ(HitIds(MustSearch("venue:atc")), expected);
  EXPECT_EQ(HitIds(MustSearch("venue:\"USENIX ATC\"")), expected);
}

TEST_F(SearcherTest, YearAndGroupFiltersCombine) {
  const std::set<std::string> expected = ExpectedIds([](const v1::Session& s) {
    return s.group() == "fall-2024" && s.paper().year() == 2023;
  });
  ASSERT_THAT(expected, SizeIs(2));  // PIT and UGache
  EXPECT_EQ(HitIds(MustSearch("type:session year:2023 group:fall-2024")),
            expected);
  EXPECT_EQ(HitIds(MustSearch("type:session year:23 group:fall-2024")),
            expected);
  EXPECT_THAT(HitIds(MustSearch("year:2023 group:paper-list-2024")), SizeIs(1));
}

TEST_F(SearcherTest, TitleFieldAndBooleanOperators) {
  const v1::SearchResponse titles = MustSearch("type:session title:cache");
  for (const v1::SearchHit& hit : titles.hits()) {
    EXPECT_THAT(absl::AsciiStrToLower(hit.title()), HasSubstr("cache"));
  }
  EXPECT_THAT(titles.hits(), SizeIs(2));
  const v1::SearchResponse without_kv = MustSearch("type:session cache -kv");
  ASSERT_THAT(without_kv.hits(), SizeIs(1));
  EXPECT_THAT(without_kv.hits(0).title(), HasSubstr("UGache"));
  const v1::SearchResponse phrase =
      MustSearch("type:session \"large language model serving\"");
  for (const v1::SearchHit& hit : phrase.hits()) {
    EXPECT_THAT(hit.title(), HasSubstr("Large Language Model Serving"));
  }
  EXPECT_THAT(phrase.hits(), Not(IsEmpty()));
}

TEST_F(SearcherTest, OpenSlotsAreFindableByKind) {
  const std::set<std::string> expected = ExpectedIds(
      [](const v1::Session& s) { return s.kind() == v1::SESSION_KIND_OPEN; });
  EXPECT_EQ(HitIds(MustSearch("kind:open")), expected);
}

TEST_F(SearcherTest, PagesAreDisjointAndCoverTheResults) {
  const v1::SearchResponse all =
      MustSearch("type:session group:paper-list-2024", 100);
  ASSERT_EQ(all.hits_size(), 24);
  std::set<std::string> seen;
  v1::SearchRequest request;
  request.set_query("type:session group:paper-list-2024");
  request.set_page_size(5);
  for (int offset = 0; offset < 24; offset += 5) {
    ASSERT_OK_AND_ASSIGN(v1::SearchResponse page, searcher_->Search(request));
    EXPECT_EQ(page.next_page_token().empty(), offset + 5 >= 24);
    for (int i = 0; i < page.hits_size(); ++i) {
      EXPECT_EQ(page.hits(i).rank(), offset + i + 1);
      EXPECT_EQ(page.hits(i).id(), all.hits(offset + i).id());
      EXPECT_TRUE(seen.insert(page.hits(i).id()).second);
    }
    request.set_page_token(page.next_page_token());
  }
  EXPECT_EQ(seen.size(), 24u);
}

TEST_F(SearcherTest, MalformedQueriesAreInvalidArgument) {
  const std::vector<std::string> queries = {
      "",
      "   ",
      "AND",
      "kv AND",
      "year:abc",
      "year:20245",
      std::string(kMaxQueryBytes + 1, 'a'),
      "\xff\xfe"};
  for (const std::string& query : queries) {
    v1::SearchRequest request;
    request.set_query(query);
    EXPECT_THAT(searcher_->Search(request),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << query;
  }
  v1::SearchRequest bad_size;
  bad_size.set_query("cache");
  bad_size.set_page_size(-1);
  EXPECT_THAT(searcher_->Search(bad_size),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(SearcherTest, GetSessionsReturnsOpenSlotWithItsPresenter) {
  ASSERT_OK_AND_ASSIGN(SessionDetails details,
                       searcher_->GetSessions("fall-2024", "2024-12-24", 0));
  const auto& sessions = details.sessions;
  EXPECT_THAT(details.papers, IsEmpty());
  EXPECT_EQ(details.group.display_name(), "2024 Fall");
  ASSERT_THAT(sessions, SizeIs(1));
  EXPECT_EQ(sessions[0].kind(), v1::SESSION_KIND_OPEN);
  EXPECT_EQ(sessions[0].title(), "");
  ASSERT_EQ(sessions[0].presenters_size(), 1);
  EXPECT_EQ(sessions[0].presenters(0).name(), "Yinhe Chen");
}

TEST_F(SearcherTest, ScheduleListsSessionsOpenDatesAndCrossGroupRepeats) {
  ASSERT_OK_AND_ASSIGN(v1::GetScheduleResponse schedule,
                       searcher_->GetSchedule("fall-2024"));
  EXPECT_EQ(schedule.group().display_name(), "2024 Fall");
  ASSERT_THAT(schedule.sessions(), Not(IsEmpty()));
  std::map<std::string, const v1::ScheduledSession*> by_date;
  std::string previous;
  for (const v1::ScheduledSession& entry : schedule.sessions()) {
    EXPECT_EQ(entry.session().group(), "fall-2024");
    EXPECT_LE(previous, entry.session().date()) << "not in date order";
    previous = entry.session().date();
    by_date[entry.session().date()] = &entry;
    for (const v1::Session& other : entry.also_presented()) {
      EXPECT_NE(other.group(), "fall-2024");
    }
  }
  // The open slot with its presenter, in both lists.
  ASSERT_TRUE(by_date.count("2024-12-24"));
  const v1::Session& open = by_date["2024-12-24"]->session();
  EXPECT_EQ(open.kind(), v1::SESSION_KIND_OPEN);
  ASSERT_EQ(open.presenters_size(), 1);
  EXPECT_EQ(open.presenters(0).name(), "Yinhe Chen");
  std::vector<std::string> open_dates;
  for (const v1::OpenDate& date : schedule.open_dates()) {
    open_dates.push_back(date.date());
  }
  EXPECT_THAT(open_dates, ::testing::ElementsAre("2024-12-24", "2024-12-31",
                                                 "2025-01-14", "2025-01-21"));
  // PowerInfer and DistServe were presented by the sibling group too; a
  // paper only this group read has no repeat.
  for (const char* date : {"2024-12-10", "2025-01-07"}) {
    ASSERT_TRUE(by_date.count(date)) << date;
    const v1::ScheduledSession& entry = *by_date[date];
    ASSERT_THAT(entry.also_presented(), SizeIs(1)) << date;
    EXPECT_EQ(entry.also_presented(0).group(), "paper-list-2024");
  }
  EXPECT_THAT(by_date["2024-12-10"]->session().title(),
              HasSubstr("PowerInfer"));
  ASSERT_TRUE(by_date.count("2024-10-15"));
  EXPECT_THAT(by_date["2024-10-15"]->also_presented(), IsEmpty());
  // The InfiniGen session's Q&A summary is named beside it.
  ASSERT_THAT(by_date["2024-10-15"]->summaries(), SizeIs(1));
  EXPECT_EQ(by_date["2024-10-15"]->summaries(0).session_id(),
            by_date["2024-10-15"]->session().id());
}

TEST_F(SearcherTest, ScheduleOfAnUnknownGroupIsNotFound) {
  EXPECT_THAT(searcher_->GetSchedule("winter-1999"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(searcher_->GetSchedule(""),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(SearcherTest, GetSessionsOrdersSessionsOfOneDate) {
  ASSERT_OK_AND_ASSIGN(
      SessionDetails both_details,
      searcher_->GetSessions("paper-list-2024", "2024-10-29", 0));
  const auto& both = both_details.sessions;
  ASSERT_THAT(both, SizeIs(2));
  EXPECT_EQ(both[0].ordinal(), 1);
  EXPECT_THAT(both[0].title(), HasSubstr("StreamBox"));
  EXPECT_EQ(both[1].ordinal(), 2);
  EXPECT_THAT(both[1].title(), HasSubstr("DynaPipe"));
  ASSERT_OK_AND_ASSIGN(
      SessionDetails second_details,
      searcher_->GetSessions("paper-list-2024", "2024-10-29", 2));
  const auto& second = second_details.sessions;
  ASSERT_THAT(second, SizeIs(1));
  EXPECT_EQ(second[0].id(), "paper-list-2024/2024-10-29/2");
}

TEST_F(SearcherTest, GetSessionsErrors) {
  EXPECT_THAT(
      searcher_->GetSessions("fall-2024", "2024-13-01", 0),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("YYYY-MM-DD")));
  EXPECT_THAT(searcher_->GetSessions("fall-2024", "12/24/2024", 0),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(searcher_->GetSessions("no-such-group", "2024-12-24", 0),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("fall-2024")));
  EXPECT_THAT(searcher_->GetSessions("fall-2024", "2024-12-25", 0),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(searcher_->GetSessions("fall-2024", "2024-12-24", 2),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(searcher_->GetSessions("", "2024-12-24", 0),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(SearcherTest, StatsCountWhatWasIndexed) {
  ASSERT_OK_AND_ASSIGN(IndexStats stats, searcher_->Stats());
  EXPECT_EQ(stats.sessions, static_cast<int64_t>(schedules_->sessions.size()));
  EXPECT_EQ(stats.papers, static_cast<int64_t>(schedules_->papers.size()));
  EXPECT_EQ(stats.summaries,
            static_cast<int64_t>(schedules_->summaries.size()));
  EXPECT_EQ(stats.documents, stats.sessions + stats.papers + stats.summaries);
  std::set<std::string> people;
  for (const v1::Session& session : schedules_->sessions) {
    for (const v1::Presenter& p : session.presenters())
      people.insert(p.person_id());
  }
  EXPECT_EQ(stats.people, static_cast<int64_t>(people.size()));
  ASSERT_THAT(stats.groups, SizeIs(2));
  for (const GroupCounts& counts : stats.groups) {
    const auto in_group = ExpectedIds(
        [&](const v1::Session& s) { return s.group() == counts.group.id(); });
    const auto open = ExpectedIds([&](const v1::Session& s) {
      return s.group() == counts.group.id() &&
             s.kind() == v1::SESSION_KIND_OPEN;
    });
    EXPECT_EQ(counts.sessions, static_cast<int64_t>(in_group.size()));
    EXPECT_EQ(counts.open_slots, static_cast<int64_t>(open.size()));
    EXPECT_EQ(counts.sessions,
              counts.paper_sessions + counts.talks + counts.open_slots);
  }
  EXPECT_EQ(stats.groups[0].group.id(), "fall-2024");
  EXPECT_EQ(stats.groups[0].first_date, "2024-09-03");
  EXPECT_EQ(stats.groups[0].last_date, "2025-01-21");
}

TEST_F(SearcherTest, MemoryTieringFindsNomadPaperWithItsSession) {
  const v1::SearchResponse result = MustSearch("memory tiering");
  ASSERT_THAT(result.hits(), Not(IsEmpty()));
  // What the group discussed comes first.
  EXPECT_EQ(result.hits(0).type(), v1::DOCUMENT_TYPE_SESSION);
  EXPECT_EQ(result.hits(0).session().date(), "2024-09-18");
  const v1::SearchHit* paper = nullptr;
  for (const v1::SearchHit& hit : result.hits()) {
    if (hit.type() == v1::DOCUMENT_TYPE_PAPER &&
        absl::StartsWith(hit.title(), "Nomad:"))
      paper = &hit;
  }
  ASSERT_NE(paper, nullptr);
  // The snippet comes from the abstract, with the words highlighted.
  EXPECT_THAT(paper->paper().abstract(), HasSubstr("page migration"));
  EXPECT_THAT(paper->snippet(), HasSubstr("<mark>tiering</mark>"));
  ASSERT_THAT(paper->linked_sessions(), SizeIs(1));
  EXPECT_EQ(paper->linked_sessions(0).date(), "2024-09-18");
  EXPECT_EQ(paper->linked_sessions(0).group(), "fall-2024");
  ASSERT_THAT(paper->linked_summaries(), SizeIs(1));
  EXPECT_EQ(paper->linked_summaries(0).language(), "en");
}

TEST_F(SearcherTest, ChineseQueryFindsChineseSummaryWithHighlight) {
  const v1::SearchResponse result = MustSearch("动态稀疏");
  ASSERT_THAT(result.hits(), Not(IsEmpty()));
  const v1::SearchHit& first = result.hits(0);
  EXPECT_EQ(first.type(), v1::DOCUMENT_TYPE_SUMMARY);
  EXPECT_EQ(first.summary().language(), "zh");
  EXPECT_EQ(first.summary().session_id(), "fall-2024/2024-09-10/1");
  EXPECT_THAT(first.snippet(), HasSubstr("<mark>动态稀疏</mark>"));
  // A summary hit links its session and its paper.
  ASSERT_THAT(first.linked_sessions(), SizeIs(1));
  EXPECT_THAT(first.linked_sessions(0).title(), HasSubstr("PIT"));
  ASSERT_TRUE(first.has_linked_paper());
  EXPECT_EQ(first.linked_paper().venue(), "SOSP");
}

TEST_F(SearcherTest, MixedChineseEnglishWorksBothWays) {
  const v1::SearchResponse mixed = MustSearch("KV cache 的驱逐策略");
  ASSERT_THAT(mixed.hits(), Not(IsEmpty()));
  EXPECT_EQ(mixed.hits(0).type(), v1::DOCUMENT_TYPE_SUMMARY);
  EXPECT_EQ(mixed.hits(0).summary().session_id(), "fall-2024/2024-10-15/1");
  EXPECT_THAT(mixed.hits(0).snippet(), HasSubstr("的驱逐策略</mark>"));
  // English words inside Chinese text are ordinary terms.
  bool found = false;
  const v1::SearchResponse prefetch = MustSearch("prefetch offloading");
  for (const v1::SearchHit& hit : prefetch.hits()) {
    found |= hit.type() == v1::DOCUMENT_TYPE_SUMMARY &&
             hit.summary().session_id() == "fall-2024/2024-10-15/1";
  }
  EXPECT_TRUE(found);
}

TEST_F(SearcherTest, TypeAndAuthorFields) {
  const v1::SearchResponse papers = MustSearch("type:paper serving", 20);
  ASSERT_THAT(papers.hits(), Not(IsEmpty()));
  for (const v1::SearchHit& hit : papers.hits())
    EXPECT_EQ(hit.type(), v1::DOCUMENT_TYPE_PAPER);
  const v1::SearchResponse by_author =
      MustSearch("type:paper author:\"Haibo Chen\"", 50);
  ASSERT_THAT(by_author.hits(), Not(IsEmpty()));
  for (const v1::SearchHit& hit : by_author.hits()) {
    EXPECT_THAT(hit.paper().authors(), Contains("Haibo Chen")) << hit.title();
  }
}

TEST_F(SearcherTest, GetPaperListsSessionsOfEveryGroup) {
  const std::string id = [] {
    for (const v1::Session& session : schedules_->sessions) {
      if (session.id() == "fall-2024/2024-12-10/1")
        return session.paper().paper_id();
    }
    return std::string();
  }();
  ASSERT_FALSE(id.empty());
  ASSERT_OK_AND_ASSIGN(PaperDetails details, searcher_->GetPaper(id));
  EXPECT_THAT(details.paper.title(), HasSubstr("PowerInfer"));
  ASSERT_THAT(details.sessions, SizeIs(2));
  EXPECT_EQ(details.sessions[0].id(), "fall-2024/2024-12-10/1");
  EXPECT_EQ(details.sessions[1].id(), "paper-list-2024/2025-01-07/1");
  ASSERT_THAT(details.summaries, SizeIs(1));
  EXPECT_EQ(details.summaries[0].session_id(), "paper-list-2024/2025-01-07/1");
  EXPECT_THAT(searcher_->GetPaper("osdi99-none"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(searcher_->GetPaper(""),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(SearcherTest, GetSessionsBringsPapersAndSummaries) {
  ASSERT_OK_AND_ASSIGN(SessionDetails details,
                       searcher_->GetSessions("fall-2024", "2024-10-15", 0));
  ASSERT_THAT(details.sessions, SizeIs(1));
  ASSERT_THAT(details.papers, SizeIs(1));
  EXPECT_EQ(details.papers[0].id(), details.sessions[0].paper().paper_id());
  ASSERT_THAT(details.summaries, SizeIs(1));
  EXPECT_THAT(details.summaries[0].text(), HasSubstr("KV cache 的驱逐策略"));
}

// The bundled config's corpus (empty when it cannot be read).
Corpus BundledCorpus() {
  auto config = LoadConfig(testing::BundledConfig());
  return config.ok() ? LoadCorpus(*config) : Corpus();
}

// Writes `corpus` into the index at `path` in one Apply, as lectern-index
// does, and lets the writer go.
absl::Status Commit(const std::string& path, const Corpus& corpus) {
  auto writer = IndexWriter::Open(path);
  if (!writer.ok()) return writer.status();
  return (*writer)->Apply(corpus).status();
}

TEST(SearcherFreshnessTest, SeesCommitsMadeAfterItOpened) {
  TempDir dir;
  Corpus schedules = BundledCorpus();
  ASSERT_THAT(schedules.sessions, Not(IsEmpty()));
  ASSERT_THAT(Commit(dir.Path("index"), schedules), IsOk());
  ASSERT_OK_AND_ASSIGN(auto searcher, Searcher::Open(dir.Path("index")));
  v1::SearchRequest request;
  request.set_query("type:session presenter:\"Grace Hopper\"");
  ASSERT_OK_AND_ASSIGN(v1::SearchResponse before, searcher->Search(request));
  EXPECT_THAT(before.hits(), IsEmpty());

  v1::Presenter* presenter = schedules.sessions[0].mutable_presenters(0);
  presenter->set_name("Grace Hopper");
  presenter->set_person_id(PersonKey("Grace Hopper"));
  ASSERT_THAT(Commit(dir.Path("index"), schedules), IsOk());
  ASSERT_OK_AND_ASSIGN(v1::SearchResponse after, searcher->Search(request));
  ASSERT_THAT(after.hits(), SizeIs(1));
  EXPECT_EQ(after.hits(0).id(), schedules.sessions[0].id());
}

TEST(SearcherFreshnessTest, SuggestionsFollowCommitsMadeAfterTheLastCall) {
  // A Searcher remembers decoded papers and term vectors between
  // suggestions; a commit in between must not leave them stale.
  TempDir dir;
  Corpus corpus = BundledCorpus();
  ASSERT_THAT(corpus.sessions, Not(IsEmpty()));
  ASSERT_THAT(Commit(dir.Path("index"), corpus), IsOk());
  ASSERT_OK_AND_ASSIGN(auto searcher, Searcher::Open(dir.Path("index")));
  v1::SuggestRequest request;
  request.set_group("fall-2024");
  request.add_dates("2024-12-24");
  ASSERT_OK_AND_ASSIGN(const v1::SuggestResponse before,
                       searcher->Suggest(request));
  ASSERT_THAT(before.dates(), SizeIs(1));
  ASSERT_THAT(before.dates(0).candidates(), Not(IsEmpty()));
  const v1::Paper first = before.dates(0).candidates(0).paper();

  // The first pick's abstract changes, and another group presents it.
  for (v1::Paper& paper : corpus.papers) {
    if (paper.id() == first.id()) paper.set_abstract("Rewritten abstract.");
  }
  v1::Session* presented = nullptr;
  for (v1::Session& session : corpus.sessions) {
    if (session.group() == "paper-list-2024" && session.has_paper()) {
      presented = &session;
      break;
    }
  }
  ASSERT_NE(presented, nullptr);
  presented->mutable_paper()->set_paper_id(first.id());
  presented->mutable_paper()->set_title(first.title());
  presented->mutable_paper()->set_title_key("");
  ASSERT_THAT(Commit(dir.Path("index"), corpus), IsOk());
  ASSERT_OK_AND_ASSIGN(const v1::SuggestResponse after,
                       searcher->Suggest(request));
  ASSERT_THAT(after.dates(), SizeIs(1));
  for (const v1::Candidate& candidate : after.dates(0).candidates()) {
    EXPECT_NE(candidate.paper().id(), first.id());
  }
  // And an explanation reads the new record, not the remembered one.
  request.set_explain(first.id());
  ASSERT_OK_AND_ASSIGN(const v1::SuggestResponse explained,
                       searcher->Suggest(request));
  ASSERT_THAT(explained.explanations(), SizeIs(1));
  EXPECT_EQ(explained.explanations(0).paper().abstract(),
            "Rewritten abstract.");
}

TEST(SearcherConcurrencyTest, SearchesDuringCommitsSeeWholeCommits) {
  TempDir dir;
  auto config = LoadConfig(testing::BundledConfig());
  ASSERT_THAT(config, IsOk());
  const Corpus original = LoadCorpus(*config);
  // The same corpus with every fall-2024 session title marked.
  Corpus marked = original;
  for (v1::Session& session : marked.sessions) {
    if (session.group() == "fall-2024") {
      session.set_title(session.title() + " (revised)");
    }
  }
  ASSERT_OK_AND_ASSIGN(auto writer, IndexWriter::Open(dir.Path("index")));
  ASSERT_THAT(writer->Apply(original), IsOk());

  std::atomic<bool> writing{true};
  std::atomic<int> searches{0}, failures{0}, torn{0};
  auto reader = [&] {
    auto searcher = Searcher::Open(dir.Path("index"));
    if (!searcher.ok()) {
      ++failures;
      return;
    }
    v1::SearchRequest request;
    request.set_query("type:session group:fall-2024");
    request.set_page_size(100);
    for (int i = 0; i < 20000 && (writing || i < 5); ++i) {
      auto response = (*searcher)->Search(request);
      ++searches;
      if (!response.ok() || response->hits_size() != 20) {
        ++failures;
        continue;
      }
      int revised = 0;
      for (const v1::SearchHit& hit : response->hits()) {
        revised += absl::EndsWith(hit.title(), " (revised)");
      }
      // A commit is seen whole: every title marked, or none.
      if (revised != 0 && revised != 20) ++torn;
    }
  };
  std::thread first(reader), second(reader);
  for (int round = 0; round < 8; ++round) {
    EXPECT_THAT(writer->Apply(round % 2 == 0 ? marked : original), IsOk());
  }
  writing = false;
  first.join();
  second.join();
  EXPECT_GT(searches.load(), 0);
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(torn.load(), 0);
}

TEST(SearcherOpenTest, MissingIndexIsNotFound) {
  TempDir dir;
  EXPECT_THAT(
      Searcher::Open(dir.Path("nothing-here")),
      StatusIs(absl::StatusCode::kNotFound, HasSubstr("lectern-index")));
}

}  // namespace
}  // namespace lectern
