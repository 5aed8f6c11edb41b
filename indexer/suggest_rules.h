// The rules a suggested paper must pass and the open dates it is suggested
// for: publication dates from the venue-month table, the recency window,
// identity matching against presented and rejected papers, narrowing a
// group's rules by a request, and the cadence that continues a schedule.
// Pure functions and plain data; no Xapian. Thread-compatible.
#ifndef LECTERN_INDEXER_SUGGEST_RULES_H_
#define LECTERN_INDEXER_SUGGEST_RULES_H_

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "lectern/v1/lectern.pb.h"

namespace lectern {

// Strict "YYYY-MM-DD" (a real calendar day); nullopt otherwise.
std::optional<absl::CivilDay> ParseIsoDate(absl::string_view text);
std::string FormatIsoDate(absl::CivilDay day);
// "Tue".
std::string WeekdayAbbreviation(absl::CivilDay day);
// "July 2024".
std::string MonthAndYear(absl::CivilDay day);

// lectern's built-in publication months (docs/SUGGEST.md lists them): the
// month each venue's conference usually takes place, with rows for the
// years it moved (OSDI 2020 in November, SOSP 2024 in November, ...).
std::vector<v1::VenueMonth> DefaultVenueMonths();

// The defaults with `overrides` over them: a row replaces the default row
// of the same venue and year. Sorted by venue, then year.
std::vector<v1::VenueMonth> EffectiveVenueMonths(
    const google::protobuf::RepeatedPtrField<v1::VenueMonth>& overrides);

// "venue_months[i]: ..." for each invalid row (no venue, a month outside
// 1..12, a year that is neither 0 nor four digits); empty when all are
// valid. Venues outside lectern's list are allowed: catalogs may name
// them.
std::vector<std::string> CheckVenueMonths(
    const google::protobuf::RepeatedPtrField<v1::VenueMonth>& rows);

struct PublicationDate {
  // The first day of the month the paper counts as published in.
  absl::CivilDay day;
  // How the month was decided: "OSDI 2024 is held in July", "SOSP 2024 was
  // held in November", or "no month known for TPDS; January assumed".
  std::string basis;
};

// Publication date of a paper of `venue` and `year` by `table` (rows of
// EffectiveVenueMonths): the row for that year, else the venue's year-0
// row, else January. nullopt when the year is unknown (0).
std::optional<PublicationDate> PublicationDateOf(
    absl::string_view venue, int year,
    const google::protobuf::RepeatedPtrField<v1::VenueMonth>& table);

// Whole months from `from` to `to`, counting a month only once its day of
// the month is reached (2023-07-01 to 2025-01-14 is 18).
int MonthsBetween(absl::CivilDay from, absl::CivilDay to);

// The group's rules narrowed by a request's `narrow`. InvalidArgument, with
// what the group allows, when `narrow` would loosen them: a venue outside
// the group's set, a longer window, a smaller minimum abstract length, or
// a negative number.
absl::StatusOr<v1::SuggestionRules> NarrowRules(
    const v1::SuggestionRules& group_rules, const v1::SuggestionRules& narrow);

// A paper someone presented (or scheduled), as a session names it.
struct PresentedPaper {
  std::string group;
  std::string date;  // YYYY-MM-DD
  std::string session_id;
  std::string title;
  std::string paper_id;  // catalog id when linked
};

// Finds whether a catalog paper is one of a set of papers, by catalog id,
// DOI, URL or title key, and says by which.
class PaperIdentitySet {
 public:
  // Adds a paper as a schedule names it.
  void Add(const v1::PaperRef& ref, PresentedPaper presented);
  // Adds what a user typed to name a paper: an id, DOI, URL or title.
  void AddTyped(absl::string_view text);

  struct Match {
    const PresentedPaper* presented;  // nullptr for typed entries
    std::string typed;                // the typed entry, for typed ones
    // The first identity that matched: "catalog id", "DOI", "URL" or
    // "title".
    std::string by;
  };
  // Every entry matching `paper` (each once), in the order added.
  std::vector<Match> FindAll(const v1::Paper& paper) const;

 private:
  void Put(const std::string& key, size_t entry);

  // Entries: presented_[i] or, for typed ones, typed_[i] non-empty.
  std::vector<PresentedPaper> presented_;
  std::vector<std::string> typed_;
  // "id:…", "doi:…", "url:…", "key:…" → entries with that identity.
  std::unordered_map<std::string, std::vector<size_t>> keys_;
};

// A date a group can still fill.
struct OpenSlot {
  absl::CivilDay date;
  // Presenters assigned to it; empty for none.
  std::vector<v1::Presenter> presenters;
  // True when the schedule lists it; false when the cadence adds it.
  bool listed = false;
  v1::SourceLocation source;
};

// Open dates of a group in [from, until] (either may be absent): every date
// whose sessions include an open slot (SESSION_KIND_OPEN), and, when
// `cadence` has a weekday, the dates it gives after the schedule's last
// date, up to its `until` (or twelve weeks past that last date) except its
// skip dates. `sessions` are the group's, in any order. In date order.
// InvalidArgument when the cadence is malformed.
absl::StatusOr<std::vector<OpenSlot>> FindOpenSlots(
    const std::vector<v1::Session>& sessions, const v1::Cadence& cadence,
    std::optional<absl::CivilDay> from, std::optional<absl::CivilDay> until);

// Problems with a cadence as configured ("weekday must be 1 (Monday) to 7
// (Sunday)", a malformed skip date, ...); empty when valid.
std::vector<std::string> CheckCadence(const v1::Cadence& cadence);

}  // namespace lectern

#endif  // LECTERN_INDEXER_SUGGEST_RULES_H_
