// Helpers for tests of the schedule parsers: readable issue lists for
// failure messages, the dates of parsed sessions, a presenter matcher.
#ifndef LECTERN_TESTS_TESTING_SCHEDULE_MATCHERS_H_
#define LECTERN_TESTS_TESTING_SCHEDULE_MATCHERS_H_

#include <gmock/gmock.h>

#include <string>
#include <vector>

#include "indexer/normalize.h"
#include "indexer/schedule.h"
#include "lectern/v1/lectern.pb.h"

namespace lectern::testing {

// Every issue, readable, for failure messages.
inline std::string Issues(const ParsedSchedule& parsed) {
  std::string out = "issues:";
  for (const ParseIssue& issue : parsed.issues) {
    out += "\n  " + issue.ToString();
  }
  return out;
}

inline std::vector<std::string> Dates(const ParsedSchedule& parsed) {
  std::vector<std::string> dates;
  for (const v1::Session& session : parsed.sessions) {
    dates.push_back(session.date());
  }
  return dates;
}

// A presenter as the parsers write one: name and written_as as written,
// person_id its PersonKey.
inline ::testing::Matcher<const v1::Presenter&> PresenterIs(
    const std::string& name, const std::string& affiliation,
    const std::string& nickname) {
  return ::testing::AllOf(
      ::testing::Property("name", &v1::Presenter::name, name),
      ::testing::Property("written_as", &v1::Presenter::written_as, name),
      ::testing::Property("person_id", &v1::Presenter::person_id,
                          PersonKey(name)),
      ::testing::Property("affiliation", &v1::Presenter::affiliation,
                          affiliation),
      ::testing::Property("nickname", &v1::Presenter::nickname, nickname));
}

}  // namespace lectern::testing

#endif  // LECTERN_TESTS_TESTING_SCHEDULE_MATCHERS_H_
