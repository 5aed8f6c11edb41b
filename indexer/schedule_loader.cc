#include "indexer/schedule_loader.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "indexer/files.h"
#include "indexer/normalize.h"
#include "indexer/suggest_rules.h"

namespace lectern {
namespace {

// "2024 Fall", "Spring 2025": a title that names a semester.
bool NamesSemester(const std::string& title) {
  const std::string lower = absl::AsciiStrToLower(title);
  bool has_year = false;
  for (absl::string_view word : absl::StrSplit(lower, ' ', absl::SkipEmpty())) {
    if (word.size() == 4 &&
        absl::ascii_isdigit(static_cast<unsigned char>(word[0]))) {
      has_year = true;
    }
  }
  for (const char* season : {"spring", "summer", "fall", "autumn", "winter"}) {
    if (has_year && absl::StrContains(lower, season)) return true;
  }
  return false;
}

}  // namespace

LoadedSchedules LoadSchedules(const LoadedConfig& config) {
  LoadedSchedules result;
  for (const v1::GroupConfig& group_config : config.config.groups()) {
    const std::string path = config.Resolve(group_config.schedule_file());
    std::string text;
    if (!ReadWholeFile(path, &text)) {
      result.issues.push_back(
          ParseIssue{path, 0, "cannot read the schedule file", ""});
      continue;
    }
    ScheduleParseOptions options;
    options.group_id = group_config.id();
    options.file_label = group_config.schedule_file();
    options.start_year = group_config.semester_start_year();
    ParsedSchedule parsed =
        ParseSchedule(group_config.schedule_format(), text, options);

    v1::Group& group = result.groups.emplace_back();
    group.set_id(group_config.id());
    group.set_display_name(group_config.display_name());
    if (NamesSemester(parsed.title)) group.set_semester(parsed.title);
    group.set_semester_start_year(parsed.start_year);
    group.set_rules_text(group_config.rules_text().empty()
                             ? parsed.rules_text
                             : group_config.rules_text());
    *group.mutable_siblings() = group_config.siblings();
    *group.mutable_rules() = group_config.rules();
    group.mutable_rules()->clear_venues();
    for (const std::string& venue : group_config.rules().venues()) {
      group.mutable_rules()->add_venues(CanonicalVenue(venue).name);
    }
    for (v1::VenueMonth& row :
         EffectiveVenueMonths(config.config.venue_months())) {
      *group.mutable_rules()->add_venue_months() = std::move(row);
    }
    if (group_config.has_cadence()) {
      *group.mutable_cadence() = group_config.cadence();
    }

    if (parsed.issues.empty()) result.clean_groups.insert(group_config.id());
    for (ParseIssue& issue : parsed.issues) {
      issue.file = path;
      result.issues.push_back(std::move(issue));
    }
    for (v1::Session& session : parsed.sessions) {
      result.sessions.push_back(std::move(session));
    }
  }
  ResolvePresenters(&result.sessions);
  UnifyTitleKeys(&result.sessions);
  return result;
}

void ResolvePresenters(std::vector<v1::Session>* sessions) {
  // Per identity: each spelling and how often it occurs.
  std::map<std::string, std::map<std::string, int>> spellings;
  for (const v1::Session& session : *sessions) {
    for (const v1::Presenter& presenter : session.presenters()) {
      ++spellings[presenter.person_id()][presenter.written_as()];
    }
  }
  std::map<std::string, std::string> display;
  for (const auto& [person, names] : spellings) {
    const std::string* best = nullptr;
    int best_score = -1;
    int best_count = 0;
    // std::map iterates spellings in order, so ties resolve the same way
    // on every run.
    for (const auto& [name, count] : names) {
      const int score = NameSpellingScore(name);
      if (score > best_score || (score == best_score && count > best_count)) {
        best = &name;
        best_score = score;
        best_count = count;
      }
    }
    if (best == nullptr) continue;  // a person is only listed with a name
    display[person] = *best;
  }
  for (v1::Session& session : *sessions) {
    for (v1::Presenter& presenter : *session.mutable_presenters()) {
      presenter.set_name(display[presenter.person_id()]);
    }
  }
}

void UnifyTitleKeys(std::vector<v1::Session>* sessions) {
  std::vector<std::string> canonical;  // one key per distinct paper
  for (v1::Session& session : *sessions) {
    if (!session.has_paper() || session.paper().title_key().empty()) continue;
    const std::string& key = session.paper().title_key();
    bool matched = false;
    for (std::string& known : canonical) {
      if (TitleKeysMatch(known, key)) {
        if (key.size() < known.size()) known = key;
        matched = true;
        break;
      }
    }
    if (!matched) canonical.push_back(key);
  }
  for (v1::Session& session : *sessions) {
    if (!session.has_paper()) continue;
    for (const std::string& known : canonical) {
      if (TitleKeysMatch(known, session.paper().title_key())) {
        session.mutable_paper()->set_title_key(known);
        break;
      }
    }
  }
}

}  // namespace lectern
