// People over a real index of the bundled data: each person's sessions by
// role and who has not presented for a while. Expectations are computed
// from the parsed schedules, where the first name on a presenters line
// presents and the others assist.
#include "indexer/people.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "indexer/corpus.h"
#include "tests/testing/bundled_index.h"
#include "tests/testing/status_matchers.h"

namespace lectern {
namespace {

using ::lectern::testing::IsOk;
using ::lectern::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr absl::CivilDay kAfterBothSemesters(2025, 6, 1);

class PeopleTest : public testing::BundledIndexSuite {
 protected:
  void SetUp() override { db_ = Xapian::Database(index_->path()); }

  // Session id → role of `person_id` in it, from the parsed schedules.
  static std::map<std::string, v1::PresenterRole> RolesOf(
      const std::string& person_id) {
    std::map<std::string, v1::PresenterRole> roles;
    for (const v1::Session& session : index_->corpus.sessions) {
      for (int i = 0; i < session.presenters_size(); ++i) {
        if (session.presenters(i).person_id() == person_id) {
          roles[session.id()] =
              i == 0 ? v1::PRESENTER_ROLE_MAIN : v1::PRESENTER_ROLE_ASSIST;
        }
      }
    }
    return roles;
  }

  Xapian::Database db_;
};

TEST_F(PeopleTest, PersonListsEverySessionWithItsRole) {
  v1::GetPersonRequest request;
  request.set_name("Kunzhao Xu");
  auto person = GetPerson(db_, request, kAfterBothSemesters);
  ASSERT_THAT(person, IsOk());
  EXPECT_EQ(person->person().name(), "Kunzhao Xu");
  std::map<std::string, v1::PresenterRole> roles;
  for (const v1::PersonSession& entry : person->sessions()) {
    roles[entry.session().id()] = entry.role();
  }
  EXPECT_EQ(roles, RolesOf("kunzhaoxu"));
  EXPECT_EQ(roles["fall-2024/2024-09-03/1"], v1::PRESENTER_ROLE_ASSIST);
  for (int i = 1; i < person->sessions_size(); ++i) {
    EXPECT_LE(person->sessions(i - 1).session().date(),
              person->sessions(i).session().date());
  }
  int main = 0, assist = 0;
  for (const auto& [id, role] : roles) {
    (role == v1::PRESENTER_ROLE_MAIN ? main : assist) += 1;
  }
  EXPECT_EQ(person->person().main_sessions(), main);
  EXPECT_EQ(person->person().assist_sessions(), assist);
  EXPECT_GE(person->person().last_assist(), std::string("2024-09-03"));
}

TEST_F(PeopleTest, AnySpellingOrPartOfOneNameFindsThePerson) {
  v1::GetPersonRequest request;
  for (const char* name : {"XiangShen", "xiang shen", "xiang"}) {
    request.set_name(name);
    auto person = GetPerson(db_, request, kAfterBothSemesters);
    ASSERT_THAT(person, IsOk()) << name;
    EXPECT_EQ(person->person().person_id(), "xiangshen") << name;
    EXPECT_THAT(person->sessions(), SizeIs(RolesOf("xiangshen").size()));
  }
  request.set_name("Grace Hopper");
  EXPECT_THAT(GetPerson(db_, request, kAfterBothSemesters),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("Grace Hopper")));
  request.set_name("  ");
  EXPECT_THAT(GetPerson(db_, request, kAfterBothSemesters),
              StatusIs(absl::StatusCode::kInvalidArgument));
  request.set_name("Kunzhao Xu");
  request.set_as_of("yesterday");
  EXPECT_THAT(GetPerson(db_, request, kAfterBothSemesters),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("as_of")));
}

TEST_F(PeopleTest, WordsOfSeveralNamesAreAmbiguous) {
  // Two people of fall-2024 whose names both hold a word starting "j".
  v1::GetPersonRequest request;
  request.set_name("j");
  EXPECT_THAT(GetPerson(db_, request, kAfterBothSemesters),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("give a full name")));
}

TEST_F(PeopleTest, ListPutsWhoWaitedLongestFirst) {
  v1::ListPeopleRequest request;
  request.add_groups("fall-2024");
  auto people = ListPeople(db_, request, kAfterBothSemesters);
  ASSERT_THAT(people, IsOk());
  EXPECT_EQ(people->as_of(), "2025-06-01");
  std::set<std::string> expected;
  for (const v1::Session& session : index_->corpus.sessions) {
    if (session.group() != "fall-2024") continue;
    for (const v1::Presenter& presenter : session.presenters()) {
      expected.insert(presenter.person_id());
    }
  }
  std::set<std::string> listed;
  int64_t previous_wait = INT64_MAX;
  for (const v1::PersonRecord& person : people->people()) {
    listed.insert(person.person_id());
    const int64_t wait =
        person.days_since_main() < 0 ? INT32_MAX : person.days_since_main();
    EXPECT_LE(wait, previous_wait) << person.name();
    previous_wait = wait;
    EXPECT_EQ(person.days_since_main() < 0, person.last_main().empty());
    for (const std::string& group : person.groups()) {
      EXPECT_EQ(group, "fall-2024");
    }
  }
  EXPECT_EQ(listed, expected);
  // Whoever never presented has no last main presentation.
  const auto kunzhao = std::find_if(
      people->people().begin(), people->people().end(),
      [](const v1::PersonRecord& p) { return p.person_id() == "kunzhaoxu"; });
  ASSERT_NE(kunzhao, people->people().end());
  bool ever_main = false;
  for (const auto& [id, role] : RolesOf("kunzhaoxu")) {
    ever_main |= role == v1::PRESENTER_ROLE_MAIN;
  }
  EXPECT_EQ(kunzhao->days_since_main() < 0, !ever_main);
}

TEST_F(PeopleTest, SessionsAfterAsOfAreUpcoming) {
  v1::GetPersonRequest request;
  request.set_name("Chaoyi Ruan");
  request.set_as_of("2024-09-02");
  auto person = GetPerson(db_, request, kAfterBothSemesters);
  ASSERT_THAT(person, IsOk());
  EXPECT_EQ(person->person().main_sessions(), 0);
  EXPECT_EQ(person->person().next_session(), "2024-09-03");
  EXPECT_EQ(person->person().next_role(), v1::PRESENTER_ROLE_MAIN);
  for (const v1::PersonSession& entry : person->sessions()) {
    EXPECT_FALSE(entry.held());
  }
  request.set_as_of("2024-09-03");
  person = GetPerson(db_, request, kAfterBothSemesters);
  ASSERT_THAT(person, IsOk());
  EXPECT_EQ(person->person().last_main(), "2024-09-03");
  EXPECT_EQ(person->person().days_since_main(), 0);
}

TEST_F(PeopleTest, UnknownGroupIsNotFound) {
  v1::ListPeopleRequest request;
  request.add_groups("no-such-group");
  EXPECT_THAT(ListPeople(db_, request, kAfterBothSemesters),
              StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace lectern
