#include "indexer/suggest_rules.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "indexer/catalog.h"
#include "indexer/catalog_merge.h"
#include "indexer/normalize.h"

namespace lectern {
namespace {

constexpr const char* kMonthNames[] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

v1::VenueMonth Row(const char* venue, int year, int month) {
  v1::VenueMonth row;
  row.set_venue(venue);
  row.set_year(year);
  row.set_month(month);
  return row;
}

bool RowLess(const v1::VenueMonth& a, const v1::VenueMonth& b) {
  return std::make_tuple(a.venue(), a.year()) <
         std::make_tuple(b.venue(), b.year());
}

// Weeks a schedule continues past its last date when the cadence names no
// end: about the rest of a semester.
constexpr int kDefaultCadenceWeeks = 12;

}  // namespace

std::optional<absl::CivilDay> ParseIsoDate(absl::string_view text) {
  // absl parses loosely ("2024-1-5", 2024-02-30 rolled into March, year
  // 24); a real day written strictly, with four year digits, reads back
  // exactly as written.
  absl::CivilDay day;
  if (text.size() != 10 || !absl::ParseCivilTime(text, &day) ||
      absl::FormatCivilTime(day) != text) {
    return std::nullopt;
  }
  return day;
}

std::string FormatIsoDate(absl::CivilDay day) {
  return absl::FormatCivilTime(day);
}

std::string WeekdayAbbreviation(absl::CivilDay day) {
  switch (absl::GetWeekday(day)) {
    case absl::Weekday::monday:
      return "Mon";
    case absl::Weekday::tuesday:
      return "Tue";
    case absl::Weekday::wednesday:
      return "Wed";
    case absl::Weekday::thursday:
      return "Thu";
    case absl::Weekday::friday:
      return "Fri";
    case absl::Weekday::saturday:
      return "Sat";
    case absl::Weekday::sunday:
      return "Sun";
  }
  return "";
}

std::string MonthAndYear(absl::CivilDay day) {
  return absl::StrCat(kMonthNames[day.month() - 1], " ", day.year());
}

std::vector<v1::VenueMonth> DefaultVenueMonths() {
  // The month of the conference (the proceedings appear then), from the
  // venues' own sites; journals and arXiv have no month of their own.
  std::vector<v1::VenueMonth> rows = {
      Row("OSDI", 0, 7),       Row("OSDI", 2012, 10),
      Row("OSDI", 2014, 10),   Row("OSDI", 2016, 11),
      Row("OSDI", 2018, 10),   Row("OSDI", 2020, 11),
      Row("SOSP", 0, 10),      Row("SOSP", 2024, 11),
      Row("NSDI", 0, 4),       Row("EuroSys", 0, 4),
      Row("USENIX ATC", 0, 7), Row("FAST", 0, 2),
      Row("ASPLOS", 0, 4),     Row("SIGCOMM", 0, 8),
      Row("MLSys", 0, 5),      Row("SoCC", 0, 11),
      Row("SC", 0, 11),        Row("ICPP", 0, 8),
      Row("MobiCom", 0, 10),   Row("VLDB", 0, 8),
      Row("SIGMOD", 0, 6),     Row("ISCA", 0, 6),
      Row("MICRO", 0, 10),     Row("HPCA", 0, 2),
      Row("HotOS", 0, 6),      Row("PPoPP", 0, 3),
      Row("ICDE", 0, 5),       Row("Middleware", 0, 12),
      Row("CCS", 0, 11),       Row("PLDI", 0, 6),
      Row("POPL", 0, 1),       Row("OOPSLA", 0, 10),
      Row("ICFP", 0, 9),       Row("KDD", 0, 8),
      Row("SIGIR", 0, 7),      Row("WWW", 0, 5),
      Row("INFOCOM", 0, 5),    Row("HPDC", 0, 6),
      Row("IPDPS", 0, 5),      Row("ICML", 0, 7),
      Row("NeurIPS", 0, 12),   Row("ICLR", 0, 5),
      Row("CoNEXT", 0, 12),    Row("SenSys", 0, 11),
      Row("MobiSys", 0, 6),    Row("VEE", 0, 4),
      Row("SYSTOR", 0, 6),     Row("HotStorage", 0, 7),
      Row("HotCloud", 0, 7),   Row("PODC", 0, 7),
      Row("SPAA", 0, 7),       Row("CIDR", 0, 1),
      Row("PODS", 0, 6),       Row("ICDM", 0, 12),
      Row("CIKM", 0, 10),
  };
  std::sort(rows.begin(), rows.end(), RowLess);
  return rows;
}

std::vector<v1::VenueMonth> EffectiveVenueMonths(
    const google::protobuf::RepeatedPtrField<v1::VenueMonth>& overrides) {
  std::vector<v1::VenueMonth> rows = DefaultVenueMonths();
  for (const v1::VenueMonth& row : overrides) {
    v1::VenueMonth canonical = row;
    canonical.set_venue(CanonicalVenue(row.venue()).name);
    auto same = std::find_if(rows.begin(), rows.end(), [&](const auto& r) {
      return r.venue() == canonical.venue() && r.year() == canonical.year();
    });
    if (same != rows.end()) {
      *same = canonical;
    } else {
      rows.push_back(canonical);
    }
  }
  std::sort(rows.begin(), rows.end(), RowLess);
  return rows;
}

std::vector<std::string> CheckVenueMonths(
    const google::protobuf::RepeatedPtrField<v1::VenueMonth>& rows) {
  std::vector<std::string> problems;
  for (int i = 0; i < rows.size(); ++i) {
    const v1::VenueMonth& row = rows[i];
    const std::string label = absl::StrCat("venue_months[", i, "]: ");
    if (row.venue().empty()) {
      problems.push_back(absl::StrCat(label, "venue is required"));
    }
    if (row.month() < 1 || row.month() > 12) {
      problems.push_back(
          absl::StrCat(label, "month must be 1 to 12, not ", row.month()));
    }
    if (row.year() != 0 && (row.year() < 1900 || row.year() > 2199)) {
      problems.push_back(absl::StrCat(
          label, "year must be a 4-digit year, or 0 for every year"));
    }
  }
  return problems;
}

std::optional<PublicationDate> PublicationDateOf(
    absl::string_view venue, int year,
    const google::protobuf::RepeatedPtrField<v1::VenueMonth>& table) {
  if (year <= 0) return std::nullopt;
  const v1::VenueMonth* usual = nullptr;
  const v1::VenueMonth* that_year = nullptr;
  for (const v1::VenueMonth& row : table) {
    if (row.venue() != venue) continue;
    if (row.year() == 0) usual = &row;
    if (row.year() == year) that_year = &row;
  }
  PublicationDate date;
  if (that_year != nullptr) {
    date.day = absl::CivilDay(year, that_year->month(), 1);
    date.basis = absl::StrCat(venue, " ", year, " was held in ",
                              kMonthNames[that_year->month() - 1]);
  } else if (usual != nullptr) {
    date.day = absl::CivilDay(year, usual->month(), 1);
    date.basis =
        absl::StrCat(venue, " is held in ", kMonthNames[usual->month() - 1]);
  } else {
    date.day = absl::CivilDay(year, 1, 1);
    date.basis = absl::StrCat("no month known for ",
                              venue.empty() ? "an unknown venue" : venue,
                              "; January assumed");
  }
  return date;
}

int MonthsBetween(absl::CivilDay from, absl::CivilDay to) {
  int months = (to.year() - from.year()) * 12 + (to.month() - from.month());
  if (months > 0 && to.day() < from.day()) --months;
  if (months < 0 && to.day() > from.day()) ++months;
  return months;
}

absl::StatusOr<v1::SuggestionRules> NarrowRules(
    const v1::SuggestionRules& group_rules, const v1::SuggestionRules& narrow) {
  v1::SuggestionRules rules = group_rules;
  std::vector<std::string> problems;
  if (!narrow.venues().empty()) {
    std::set<std::string> allowed(group_rules.venues().begin(),
                                  group_rules.venues().end());
    rules.clear_venues();
    for (const std::string& written : narrow.venues()) {
      const std::string venue = CanonicalVenue(written).name;
      if (!allowed.empty() && !allowed.count(venue)) {
        problems.push_back(absl::StrCat(
            "venue '", written, "' is outside the group's venues (",
            absl::StrJoin(group_rules.venues(), ", "), ")"));
      }
      if (std::find(rules.venues().begin(), rules.venues().end(), venue) ==
          rules.venues().end()) {
        rules.add_venues(venue);
      }
    }
  }
  if (narrow.max_age_months() < 0) {
    problems.push_back("max_age_months must not be negative");
  } else if (narrow.max_age_months() > 0) {
    if (group_rules.max_age_months() > 0 &&
        narrow.max_age_months() > group_rules.max_age_months()) {
      problems.push_back(absl::StrCat("max_age_months ",
                                      narrow.max_age_months(),
                                      " is longer than the group's window of ",
                                      group_rules.max_age_months(), " months"));
    }
    rules.set_max_age_months(narrow.max_age_months());
  }
  if (narrow.min_abstract_chars() < 0) {
    problems.push_back("min_abstract_chars must not be negative");
  } else if (narrow.min_abstract_chars() > 0) {
    if (narrow.min_abstract_chars() < group_rules.min_abstract_chars()) {
      problems.push_back(absl::StrCat("min_abstract_chars ",
                                      narrow.min_abstract_chars(),
                                      " is below the group's minimum of ",
                                      group_rules.min_abstract_chars()));
    }
    rules.set_min_abstract_chars(std::max(narrow.min_abstract_chars(),
                                          group_rules.min_abstract_chars()));
  }
  for (const std::string& name : narrow.conflicts()) rules.add_conflicts(name);
  if (!narrow.venue_months().empty()) {
    problems.push_back(
        "venue_months cannot be set by a request; they come from the "
        "config");
  }
  if (!problems.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the request would loosen the group's rules: ",
                     absl::StrJoin(problems, "; ")));
  }
  return rules;
}

void PaperIdentitySet::Put(const std::string& key, size_t entry) {
  std::vector<size_t>& entries = keys_[key];
  if (entries.empty() || entries.back() != entry) entries.push_back(entry);
}

void PaperIdentitySet::Add(const v1::PaperRef& ref, PresentedPaper presented) {
  const size_t entry = presented_.size();
  presented_.push_back(std::move(presented));
  typed_.emplace_back();
  if (!ref.paper_id().empty()) Put("id:" + ref.paper_id(), entry);
  const std::string doi = NormalizeDoi(ref.doi(), ref.url());
  if (!doi.empty()) Put("doi:" + doi, entry);
  if (!ref.url().empty()) Put("url:" + UrlKey(ref.url()), entry);
  const std::string key =
      ref.title_key().empty() ? TitleKey(ref.title()) : ref.title_key();
  if (!key.empty()) Put("key:" + key, entry);
}

void PaperIdentitySet::AddTyped(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  if (text.empty()) return;
  const size_t entry = presented_.size();
  presented_.emplace_back();
  typed_.emplace_back(text);
  Put(absl::StrCat("id:", text), entry);
  const std::string doi = NormalizeDoi(text, text);
  if (absl::StartsWith(doi, "10.")) Put("doi:" + doi, entry);
  if (absl::StrContains(text, "://") || absl::StartsWith(text, "www.")) {
    Put("url:" + UrlKey(text), entry);
  }
  const std::string key = TitleKey(text);
  if (!key.empty()) Put("key:" + key, entry);
}

std::vector<PaperIdentitySet::Match> PaperIdentitySet::FindAll(
    const v1::Paper& paper) const {
  std::vector<Match> matches;
  if (keys_.empty()) return matches;
  std::vector<std::pair<std::string, const char*>> keys = {
      {"id:" + paper.id(), "catalog id"}};
  if (!paper.doi().empty()) {
    keys.emplace_back("doi:" + absl::AsciiStrToLower(paper.doi()), "DOI");
  }
  if (!paper.url().empty()) {
    keys.emplace_back("url:" + UrlKey(paper.url()), "URL");
  }
  const std::string title_key =
      paper.title_key().empty() ? TitleKey(paper.title()) : paper.title_key();
  if (!title_key.empty()) keys.emplace_back("key:" + title_key, "title");

  std::vector<std::pair<size_t, const char*>> found;  // entry, matched by
  for (const auto& [key, by] : keys) {
    auto it = keys_.find(key);
    if (it == keys_.end()) continue;
    for (size_t entry : it->second) {
      const bool seen =
          std::any_of(found.begin(), found.end(),
                      [&](const auto& f) { return f.first == entry; });
      if (!seen) found.emplace_back(entry, by);
    }
  }
  std::sort(found.begin(), found.end());
  for (const auto& [entry, by] : found) {
    Match& match = matches.emplace_back();
    match.presented = typed_[entry].empty() ? &presented_[entry] : nullptr;
    match.typed = typed_[entry];
    match.by = by;
  }
  return matches;
}

std::vector<std::string> CheckCadence(const v1::Cadence& cadence) {
  std::vector<std::string> problems;
  const bool any = cadence.interval_weeks() != 0 ||
                   !cadence.skip_dates().empty() || !cadence.until().empty();
  if (cadence.weekday() == 0) {
    if (any)
      problems.push_back(
          "cadence: weekday is required (1 Monday ... 7 Sunday)");
    return problems;
  }
  if (cadence.weekday() < 1 || cadence.weekday() > 7) {
    problems.push_back(
        absl::StrCat("cadence: weekday must be 1 (Monday) to 7 (Sunday), not ",
                     cadence.weekday()));
  }
  if (cadence.interval_weeks() < 0 || cadence.interval_weeks() > 52) {
    problems.push_back(
        absl::StrCat("cadence: interval_weeks must be 1 to 52, not ",
                     cadence.interval_weeks()));
  }
  for (const std::string& date : cadence.skip_dates()) {
    if (!ParseIsoDate(date)) {
      problems.push_back(absl::StrCat("cadence: skip date '", date,
                                      "' is not a YYYY-MM-DD date"));
    }
  }
  if (!cadence.until().empty() && !ParseIsoDate(cadence.until())) {
    problems.push_back(absl::StrCat("cadence: until '", cadence.until(),
                                    "' is not a YYYY-MM-DD date"));
  }
  return problems;
}

absl::StatusOr<std::vector<OpenSlot>> FindOpenSlots(
    const std::vector<v1::Session>& sessions, const v1::Cadence& cadence,
    std::optional<absl::CivilDay> from, std::optional<absl::CivilDay> until) {
  const std::vector<std::string> problems = CheckCadence(cadence);
  if (!problems.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(problems, "; "));
  }
  auto in_range = [&](absl::CivilDay day) {
    return (!from || day >= *from) && (!until || day <= *until);
  };

  std::vector<OpenSlot> slots;
  std::optional<absl::CivilDay> last;
  std::set<absl::CivilDay> listed_dates;
  for (const v1::Session& session : sessions) {
    const std::optional<absl::CivilDay> day = ParseIsoDate(session.date());
    if (!day) continue;
    listed_dates.insert(*day);
    if (!last || *day > *last) last = *day;
    if (session.kind() != v1::SESSION_KIND_OPEN || !in_range(*day)) continue;
    auto same_day =
        std::find_if(slots.begin(), slots.end(),
                     [&](const OpenSlot& s) { return s.date == *day; });
    OpenSlot* slot = nullptr;
    if (same_day != slots.end()) {
      slot = &*same_day;
    } else {
      slot = &slots.emplace_back();
      slot->date = *day;
      slot->listed = true;
      slot->source = session.source();
    }
    for (const v1::Presenter& presenter : session.presenters()) {
      slot->presenters.push_back(presenter);
    }
  }

  if (cadence.weekday() != 0 && last) {
    const absl::CivilDay end = cadence.until().empty()
                                   ? *last + 7 * kDefaultCadenceWeeks
                                   : *ParseIsoDate(cadence.until());
    const std::set<std::string> skip(cadence.skip_dates().begin(),
                                     cadence.skip_dates().end());
    const int interval = std::max(1, cadence.interval_weeks());
    // absl numbers weekdays from Monday = 0; the config from Monday = 1.
    const auto wanted = static_cast<absl::Weekday>(cadence.weekday() - 1);
    absl::CivilDay day = absl::NextWeekday(*last, wanted);
    // The first meeting after the schedule keeps its rhythm when the last
    // listed date is itself a meeting day.
    if (absl::GetWeekday(*last) == wanted) day = *last + 7 * interval;
    for (; day <= end && (!until || day <= *until); day += 7 * interval) {
      if (skip.count(FormatIsoDate(day)) || listed_dates.count(day) ||
          !in_range(day)) {
        continue;
      }
      OpenSlot& slot = slots.emplace_back();
      slot.date = day;
      slot.listed = false;
    }
  }
  std::stable_sort(
      slots.begin(), slots.end(),
      [](const OpenSlot& a, const OpenSlot& b) { return a.date < b.date; });
  return slots;
}

}  // namespace lectern
