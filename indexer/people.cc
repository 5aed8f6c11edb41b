#include "indexer/people.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "indexer/index_reader.h"
#include "indexer/normalize.h"
#include "indexer/schema.h"
#include "indexer/status_macros.h"
#include "indexer/suggest_rules.h"

namespace lectern {
namespace {

// One person's sessions, oldest first, with the role they held.
struct History {
  std::string name;
  std::vector<v1::PersonSession> sessions;
};

// Records written before roles existed carry none: the first name
// presented, the others assisted, as the schedules say.
v1::PresenterRole RoleAt(const v1::Session& session, int index) {
  const v1::PresenterRole role = session.presenters(index).role();
  if (role != v1::PRESENTER_ROLE_UNSPECIFIED) return role;
  return index == 0 ? v1::PRESENTER_ROLE_MAIN : v1::PRESENTER_ROLE_ASSIST;
}

absl::StatusOr<absl::CivilDay> AsOf(absl::string_view as_of,
                                    absl::CivilDay today) {
  if (as_of.empty()) return today;
  std::optional<absl::CivilDay> day = ParseIsoDate(as_of);
  if (!day) {
    return absl::InvalidArgumentError(absl::StrCat(
        "as_of: expects a date like 2024-10-15, got '", as_of, "'"));
  }
  return *day;
}

// Everyone on the sessions of `groups` (every group when empty), by
// person id.
absl::StatusOr<std::map<std::string, History>> Histories(
    const Xapian::Database& db, const std::set<std::string>& groups,
    absl::CivilDay as_of) {
  std::vector<v1::Session> sessions;
  for (const Xapian::Document& doc :
       DocumentsWithTerm(db, schema::kTypeSession,
                         schema::Term(schema::kType, schema::kTypeSession))) {
    LECTERN_ASSIGN_OR_RETURN(v1::Session session,
                             DecodeRecord<v1::Session>(doc));
    if (groups.empty() || groups.count(session.group()) > 0) {
      sessions.push_back(std::move(session));
    }
  }
  std::sort(sessions.begin(), sessions.end(), SessionBefore);
  const std::string last_held = FormatIsoDate(as_of);
  std::map<std::string, History> people;
  for (const v1::Session& session : sessions) {
    for (int i = 0; i < session.presenters_size(); ++i) {
      const v1::Presenter& presenter = session.presenters(i);
      if (presenter.person_id().empty()) continue;
      History& history = people[presenter.person_id()];
      history.name = presenter.name();
      v1::PersonSession& entry = history.sessions.emplace_back();
      *entry.mutable_session() = session;
      entry.set_role(RoleAt(session, i));
      entry.set_held(session.kind() != v1::SESSION_KIND_OPEN &&
                     session.date() <= last_held);
    }
  }
  return people;
}

v1::PersonRecord RecordOf(const std::string& person_id, const History& history,
                          absl::CivilDay as_of) {
  v1::PersonRecord record;
  record.set_name(history.name);
  record.set_person_id(person_id);
  std::set<std::string> groups;
  const std::string as_of_text = FormatIsoDate(as_of);
  for (const v1::PersonSession& entry : history.sessions) {
    const v1::Session& session = entry.session();
    groups.insert(session.group());
    const bool main = entry.role() == v1::PRESENTER_ROLE_MAIN;
    if (entry.held()) {
      if (main) {
        record.set_main_sessions(record.main_sessions() + 1);
        record.set_last_main(session.date());
      } else {
        record.set_assist_sessions(record.assist_sessions() + 1);
        record.set_last_assist(session.date());
      }
    } else if (session.date() > as_of_text && record.next_session().empty()) {
      record.set_next_session(session.date());
      record.set_next_role(entry.role());
    }
  }
  for (const std::string& group : groups) record.add_groups(group);
  record.set_days_since_main(-1);
  if (std::optional<absl::CivilDay> last = ParseIsoDate(record.last_main())) {
    record.set_days_since_main(static_cast<int32_t>(as_of - *last));
  }
  return record;
}

// The lowercase words of `text`, split at anything but letters and digits.
std::vector<std::string> NameWords(absl::string_view text) {
  std::vector<std::string> words;
  for (absl::string_view word :
       absl::StrSplit(text, absl::ByAnyChar(" \t-_.,'"), absl::SkipEmpty())) {
    words.push_back(absl::AsciiStrToLower(word));
  }
  return words;
}

// True when every word of `query` starts a word of `name`.
bool NameHasWords(absl::string_view name,
                  const std::vector<std::string>& query) {
  const std::vector<std::string> words = NameWords(name);
  return std::all_of(query.begin(), query.end(), [&](const std::string& q) {
    return std::any_of(words.begin(), words.end(), [&](const std::string& w) {
      return absl::StartsWith(w, q);
    });
  });
}

}  // namespace

absl::StatusOr<v1::GetPersonResponse> GetPerson(
    const Xapian::Database& db, const v1::GetPersonRequest& request,
    absl::CivilDay today) {
  const std::string key = PersonKey(request.name());
  if (key.empty()) {
    return absl::InvalidArgumentError("name: expects a presenter's name");
  }
  LECTERN_ASSIGN_OR_RETURN(const absl::CivilDay as_of,
                           AsOf(request.as_of(), today));
  LECTERN_ASSIGN_OR_RETURN(const auto people, Histories(db, {}, as_of));
  auto found = people.find(key);
  if (found == people.end()) {
    // Words of one name: "kunzhao", "xu kunzhao".
    const std::vector<std::string> words = NameWords(request.name());
    std::vector<std::string> matches;
    for (auto it = people.begin(); it != people.end(); ++it) {
      if (NameHasWords(it->second.name, words)) {
        if (matches.empty()) found = it;
        matches.push_back(it->second.name);
      }
    }
    if (matches.size() > 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "name: \"", request.name(), "\" fits ", matches.size(),
          " people: ", absl::StrJoin(matches, ", "), "; give a full name"));
    }
  }
  if (found == people.end()) {
    return absl::NotFoundError(
        absl::StrCat("no presenter named \"", request.name(),
                     "\" in any group (lectern people lists everyone)"));
  }
  v1::GetPersonResponse response;
  *response.mutable_person() = RecordOf(found->first, found->second, as_of);
  for (const v1::PersonSession& entry : found->second.sessions) {
    *response.add_sessions() = entry;
  }
  return response;
}

absl::StatusOr<v1::ListPeopleResponse> ListPeople(
    const Xapian::Database& db, const v1::ListPeopleRequest& request,
    absl::CivilDay today) {
  LECTERN_ASSIGN_OR_RETURN(const absl::CivilDay as_of,
                           AsOf(request.as_of(), today));
  std::set<std::string> groups;
  for (const std::string& group : request.groups()) {
    LECTERN_RETURN_IF_ERROR(ReadGroup(db, group).status());
    groups.insert(group);
  }
  LECTERN_ASSIGN_OR_RETURN(const auto people, Histories(db, groups, as_of));
  std::vector<v1::PersonRecord> records;
  records.reserve(people.size());
  for (const auto& [person_id, history] : people) {
    records.push_back(RecordOf(person_id, history, as_of));
  }
  // Never presented first, then the longest since; ties by name.
  auto waiting = [](const v1::PersonRecord& record) {
    return record.days_since_main() < 0 ? INT32_MAX : record.days_since_main();
  };
  std::sort(
      records.begin(), records.end(),
      [&](const v1::PersonRecord& a, const v1::PersonRecord& b) {
        return std::make_tuple(-static_cast<int64_t>(waiting(a)), a.name()) <
               std::make_tuple(-static_cast<int64_t>(waiting(b)), b.name());
      });
  v1::ListPeopleResponse response;
  response.set_as_of(FormatIsoDate(as_of));
  for (v1::PersonRecord& record : records) {
    *response.add_people() = std::move(record);
  }
  return response;
}

}  // namespace lectern
