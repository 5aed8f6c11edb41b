#include "indexer/suggest_rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "indexer/normalize.h"
#include "lectern/v1/lectern.pb.h"
#include "tests/testing/status_matchers.h"

namespace lectern {
namespace {

using ::lectern::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Optional;
using ::testing::SizeIs;

using VenueMonths = google::protobuf::RepeatedPtrField<v1::VenueMonth>;

v1::VenueMonth Row(const std::string& venue, int year, int month) {
  v1::VenueMonth row;
  row.set_venue(venue);
  row.set_year(year);
  row.set_month(month);
  return row;
}

// A table as SuggestionRules.venue_months carries it.
VenueMonths Table(const std::vector<v1::VenueMonth>& rows) {
  v1::SuggestionRules rules;
  for (const v1::VenueMonth& row : rows) *rules.add_venue_months() = row;
  return rules.venue_months();
}

// The month of `venue`'s row for `year`, or -1 when there is none (or more
// than one).
int MonthOf(const std::vector<v1::VenueMonth>& rows, const std::string& venue,
            int year) {
  int month = -1;
  int found = 0;
  for (const v1::VenueMonth& row : rows) {
    if (row.venue() == venue && row.year() == year) {
      month = row.month();
      ++found;
    }
  }
  return found == 1 ? month : -1;
}

bool SortedByVenueThenYear(const std::vector<v1::VenueMonth>& rows) {
  return std::is_sorted(rows.begin(), rows.end(),
                        [](const v1::VenueMonth& a, const v1::VenueMonth& b) {
                          return std::make_tuple(a.venue(), a.year()) <
                                 std::make_tuple(b.venue(), b.year());
                        });
}

// ------------------------------------------------------------------ dates

TEST(SuggestRulesDates, ParsesRealCalendarDay) {
  EXPECT_THAT(ParseIsoDate("2024-12-24"),
              Optional(absl::CivilDay(2024, 12, 24)));
  EXPECT_THAT(ParseIsoDate("2024-02-29"),
              Optional(absl::CivilDay(2024, 2, 29)));
  EXPECT_THAT(ParseIsoDate("2025-01-01"), Optional(absl::CivilDay(2025, 1, 1)));
}

TEST(SuggestRulesDates, RejectsMalformedOrImpossibleDates) {
  for (const char* text :
       {"2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10", "2024-04-31",
        "2024-12-00", "24-12-24", "2024/12/24", "2024-1-05", "", "2024-12-2x",
        "2024-12-24 ", " 2024-12-24", "+024-12-24", "2024-+1-05"}) {
    EXPECT_EQ(ParseIsoDate(text), std::nullopt) << "'" << text << "'";
  }
}

TEST(SuggestRulesDates, FormatRoundTrips) {
  EXPECT_EQ(FormatIsoDate(absl::CivilDay(2024, 12, 24)), "2024-12-24");
  EXPECT_EQ(FormatIsoDate(absl::CivilDay(2025, 1, 5)), "2025-01-05");
  for (const char* text : {"2024-12-24", "2025-01-05", "2024-02-29"}) {
    const std::optional<absl::CivilDay> day = ParseIsoDate(text);
    ASSERT_TRUE(day.has_value()) << text;
    EXPECT_EQ(FormatIsoDate(*day), text);
  }
}

TEST(SuggestRulesDates, WeekdayAbbreviation) {
  EXPECT_EQ(WeekdayAbbreviation(absl::CivilDay(2024, 12, 24)), "Tue");
  EXPECT_EQ(WeekdayAbbreviation(absl::CivilDay(2024, 12, 22)), "Sun");
  EXPECT_EQ(WeekdayAbbreviation(absl::CivilDay(2024, 12, 23)), "Mon");
  EXPECT_EQ(WeekdayAbbreviation(absl::CivilDay(2024, 12, 28)), "Sat");
}

TEST(SuggestRulesDates, MonthAndYear) {
  EXPECT_EQ(MonthAndYear(absl::CivilDay(2024, 7, 1)), "July 2024");
  EXPECT_EQ(MonthAndYear(absl::CivilDay(2023, 1, 31)), "January 2023");
  EXPECT_EQ(MonthAndYear(absl::CivilDay(2025, 12, 24)), "December 2025");
}

TEST(SuggestRulesDates, MonthsBetweenCountsAMonthOnceItsDayIsReached) {
  EXPECT_EQ(
      MonthsBetween(absl::CivilDay(2023, 7, 1), absl::CivilDay(2025, 1, 14)),
      18);
  EXPECT_EQ(
      MonthsBetween(absl::CivilDay(2023, 1, 14), absl::CivilDay(2025, 1, 14)),
      24);
  EXPECT_EQ(
      MonthsBetween(absl::CivilDay(2023, 1, 15), absl::CivilDay(2025, 1, 14)),
      23);
  EXPECT_EQ(
      MonthsBetween(absl::CivilDay(2024, 12, 24), absl::CivilDay(2024, 12, 24)),
      0);
  EXPECT_EQ(
      MonthsBetween(absl::CivilDay(2024, 12, 1), absl::CivilDay(2024, 12, 31)),
      0);
  EXPECT_EQ(
      MonthsBetween(absl::CivilDay(2024, 11, 30), absl::CivilDay(2024, 12, 1)),
      0);
}

// ------------------------------------------------------------ venue months

TEST(SuggestRulesVenueMonths, DefaultsAreSortedCanonicalAndValid) {
  const std::vector<v1::VenueMonth> rows = DefaultVenueMonths();
  ASSERT_THAT(rows, Not(IsEmpty()));
  EXPECT_TRUE(SortedByVenueThenYear(rows));
  std::set<std::pair<std::string, int>> seen;
  for (const v1::VenueMonth& row : rows) {
    const Venue venue = CanonicalVenue(row.venue());
    EXPECT_TRUE(venue.recognized) << row.venue();
    EXPECT_EQ(venue.name, row.venue());
    EXPECT_TRUE(seen.emplace(row.venue(), row.year()).second)
        << "duplicate row " << row.venue() << " " << row.year();
  }
  EXPECT_THAT(CheckVenueMonths(Table(rows)), IsEmpty());
}

TEST(SuggestRulesVenueMonths, DefaultOsdiAndSosp) {
  const VenueMonths table = Table(DefaultVenueMonths());

  const std::optional<PublicationDate> osdi24 =
      PublicationDateOf("OSDI", 2024, table);
  ASSERT_TRUE(osdi24.has_value());
  EXPECT_EQ(osdi24->day, absl::CivilDay(2024, 7, 1));
  EXPECT_THAT(osdi24->basis, AllOf(HasSubstr("OSDI"), HasSubstr("July")));

  const std::optional<PublicationDate> osdi20 =
      PublicationDateOf("OSDI", 2020, table);
  ASSERT_TRUE(osdi20.has_value());
  EXPECT_EQ(osdi20->day, absl::CivilDay(2020, 11, 1));
  EXPECT_THAT(osdi20->basis, AllOf(HasSubstr("2020"), HasSubstr("November")));

  const std::optional<PublicationDate> sosp23 =
      PublicationDateOf("SOSP", 2023, table);
  ASSERT_TRUE(sosp23.has_value());
  EXPECT_EQ(sosp23->day, absl::CivilDay(2023, 10, 1));
  EXPECT_THAT(sosp23->basis, HasSubstr("October"));

  const std::optional<PublicationDate> sosp24 =
      PublicationDateOf("SOSP", 2024, table);
  ASSERT_TRUE(sosp24.has_value());
  EXPECT_EQ(sosp24->day, absl::CivilDay(2024, 11, 1));
  EXPECT_THAT(sosp24->basis, HasSubstr("November"));
}

TEST(SuggestRulesVenueMonths, UnknownVenueIsJanuary) {
  const VenueMonths table = Table(DefaultVenueMonths());
  const std::optional<PublicationDate> tpds =
      PublicationDateOf("TPDS", 2024, table);
  ASSERT_TRUE(tpds.has_value());
  EXPECT_EQ(tpds->day, absl::CivilDay(2024, 1, 1));
  EXPECT_THAT(tpds->basis,
              AllOf(HasSubstr("TPDS"), HasSubstr("January assumed")));

  // An empty table knows no venue at all.
  const std::optional<PublicationDate> osdi =
      PublicationDateOf("OSDI", 2024, VenueMonths());
  ASSERT_TRUE(osdi.has_value());
  EXPECT_EQ(osdi->day, absl::CivilDay(2024, 1, 1));
  EXPECT_THAT(osdi->basis, HasSubstr("January assumed"));
}

TEST(SuggestRulesVenueMonths, UnknownYearHasNoDate) {
  const VenueMonths table = Table(DefaultVenueMonths());
  EXPECT_FALSE(PublicationDateOf("OSDI", 0, table).has_value());
  EXPECT_FALSE(PublicationDateOf("TPDS", 0, table).has_value());
  EXPECT_FALSE(PublicationDateOf("OSDI", -1, table).has_value());
}

TEST(SuggestRulesVenueMonths, OverrideReplacesUsualMonthButKeepsYearRows) {
  const std::vector<v1::VenueMonth> defaults = DefaultVenueMonths();
  const std::vector<v1::VenueMonth> rows =
      EffectiveVenueMonths(Table({Row("OSDI", 0, 6)}));
  EXPECT_EQ(rows.size(), defaults.size());
  EXPECT_EQ(MonthOf(rows, "OSDI", 0), 6);
  EXPECT_EQ(MonthOf(rows, "OSDI", 2020), 11);
  EXPECT_EQ(MonthOf(rows, "SOSP", 0), 10);
  EXPECT_TRUE(SortedByVenueThenYear(rows));

  const VenueMonths table = Table(rows);
  const std::optional<PublicationDate> osdi24 =
      PublicationDateOf("OSDI", 2024, table);
  ASSERT_TRUE(osdi24.has_value());
  EXPECT_EQ(osdi24->day, absl::CivilDay(2024, 6, 1));
  EXPECT_THAT(osdi24->basis, HasSubstr("June"));
  const std::optional<PublicationDate> osdi20 =
      PublicationDateOf("OSDI", 2020, table);
  ASSERT_TRUE(osdi20.has_value());
  EXPECT_EQ(osdi20->day, absl::CivilDay(2020, 11, 1));
}

TEST(SuggestRulesVenueMonths, OverrideForNewVenueIsAdded) {
  const std::vector<v1::VenueMonth> defaults = DefaultVenueMonths();
  ASSERT_EQ(MonthOf(defaults, "TPDS", 0), -1);
  const std::vector<v1::VenueMonth> rows =
      EffectiveVenueMonths(Table({Row("TPDS", 0, 3), Row("OSDI", 2025, 8)}));
  EXPECT_EQ(rows.size(), defaults.size() + 2);
  EXPECT_EQ(MonthOf(rows, "TPDS", 0), 3);
  EXPECT_EQ(MonthOf(rows, "OSDI", 2025), 8);
  EXPECT_EQ(MonthOf(rows, "OSDI", 0), 7);
  EXPECT_TRUE(SortedByVenueThenYear(rows));

  const std::optional<PublicationDate> tpds =
      PublicationDateOf("TPDS", 2024, Table(rows));
  ASSERT_TRUE(tpds.has_value());
  EXPECT_EQ(tpds->day, absl::CivilDay(2024, 3, 1));
}

TEST(SuggestRulesVenueMonths, OverrideVenueIsCanonicalized) {
  const std::vector<v1::VenueMonth> defaults = DefaultVenueMonths();
  const std::vector<v1::VenueMonth> rows =
      EffectiveVenueMonths(Table({Row("osdi", 0, 6), Row("eurosys", 2025, 3)}));
  EXPECT_EQ(rows.size(), defaults.size() + 1);
  EXPECT_EQ(MonthOf(rows, "OSDI", 0), 6);
  EXPECT_EQ(MonthOf(rows, "EuroSys", 2025), 3);
  for (const v1::VenueMonth& row : rows) {
    EXPECT_NE(row.venue(), "osdi");
    EXPECT_NE(row.venue(), "eurosys");
  }
  EXPECT_TRUE(SortedByVenueThenYear(rows));
}

TEST(SuggestRulesVenueMonths, NoOverridesGivesDefaults) {
  const std::vector<v1::VenueMonth> defaults = DefaultVenueMonths();
  const std::vector<v1::VenueMonth> rows = EffectiveVenueMonths(VenueMonths());
  ASSERT_EQ(rows.size(), defaults.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].SerializeAsString(), defaults[i].SerializeAsString());
  }
}

TEST(SuggestRulesVenueMonths, CheckFindsEachInvalidRow) {
  EXPECT_THAT(CheckVenueMonths(Table({Row("OSDI", 2024, 13)})),
              ElementsAre(AllOf(HasSubstr("venue_months[0]"),
                                HasSubstr("month"), HasSubstr("13"))));
  EXPECT_THAT(
      CheckVenueMonths(Table({Row("OSDI", 0, 0)})),
      ElementsAre(AllOf(HasSubstr("venue_months[0]"), HasSubstr("month"))));
  EXPECT_THAT(
      CheckVenueMonths(Table({Row("", 2024, 5)})),
      ElementsAre(AllOf(HasSubstr("venue_months[0]"), HasSubstr("venue"))));
  EXPECT_THAT(
      CheckVenueMonths(Table({Row("OSDI", 99, 5)})),
      ElementsAre(AllOf(HasSubstr("venue_months[0]"), HasSubstr("year"))));
  EXPECT_THAT(CheckVenueMonths(Table({Row("OSDI", -2024, 5)})), SizeIs(1));
}

TEST(SuggestRulesVenueMonths, CheckLabelsRowsByIndex) {
  const std::vector<std::string> problems = CheckVenueMonths(
      Table({Row("OSDI", 2024, 7), Row("SOSP", 2024, 13), Row("NSDI", 0, 4)}));
  EXPECT_THAT(problems, ElementsAre(HasSubstr("venue_months[1]")));
}

TEST(SuggestRulesVenueMonths, CheckAcceptsValidRows) {
  EXPECT_THAT(CheckVenueMonths(Table({Row("OSDI", 2024, 7)})), IsEmpty());
  EXPECT_THAT(
      CheckVenueMonths(Table({Row("SOSP", 0, 1), Row("NSDI", 2025, 12)})),
      IsEmpty());
  EXPECT_THAT(CheckVenueMonths(VenueMonths()), IsEmpty());
}

// ------------------------------------------------------------- NarrowRules

v1::SuggestionRules GroupRules() {
  v1::SuggestionRules rules;
  rules.add_venues("SOSP");
  rules.add_venues("OSDI");
  rules.set_max_age_months(24);
  rules.set_min_abstract_chars(0);
  rules.add_conflicts("Alice Zhang");
  return rules;
}

TEST(SuggestRulesNarrow, EmptyNarrowKeepsGroupRules) {
  ASSERT_OK_AND_ASSIGN(const v1::SuggestionRules rules,
                       NarrowRules(GroupRules(), v1::SuggestionRules()));
  EXPECT_THAT(rules.venues(), ElementsAre("SOSP", "OSDI"));
  EXPECT_EQ(rules.max_age_months(), 24);
  EXPECT_EQ(rules.min_abstract_chars(), 0);
  EXPECT_THAT(rules.conflicts(), ElementsAre("Alice Zhang"));
}

TEST(SuggestRulesNarrow, VenueIsCanonicalizedAndReplacesTheSet) {
  v1::SuggestionRules narrow;
  narrow.add_venues("osdi");
  ASSERT_OK_AND_ASSIGN(const v1::SuggestionRules rules,
                       NarrowRules(GroupRules(), narrow));
  EXPECT_THAT(rules.venues(), ElementsAre("OSDI"));
  EXPECT_EQ(rules.max_age_months(), 24);
}

TEST(SuggestRulesNarrow, VenueOutsideGroupIsRejected) {
  v1::SuggestionRules narrow;
  narrow.add_venues("EuroSys");
  EXPECT_THAT(NarrowRules(GroupRules(), narrow),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("EuroSys"), HasSubstr("SOSP"),
                             HasSubstr("OSDI"))));
  // One bad venue among good ones still fails.
  narrow.add_venues("SOSP");
  EXPECT_THAT(
      NarrowRules(GroupRules(), narrow),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("EuroSys")));
}

TEST(SuggestRulesNarrow, GroupWithoutVenuesAcceptsAnyVenue) {
  v1::SuggestionRules group = GroupRules();
  group.clear_venues();
  v1::SuggestionRules narrow;
  narrow.add_venues("eurosys");
  narrow.add_venues("TPDS");
  ASSERT_OK_AND_ASSIGN(const v1::SuggestionRules rules,
                       NarrowRules(group, narrow));
  EXPECT_THAT(rules.venues(), ElementsAre("EuroSys", "TPDS"));
}

TEST(SuggestRulesNarrow, ShorterWindowIsKept) {
  v1::SuggestionRules narrow;
  narrow.set_max_age_months(12);
  ASSERT_OK_AND_ASSIGN(const v1::SuggestionRules rules,
                       NarrowRules(GroupRules(), narrow));
  EXPECT_EQ(rules.max_age_months(), 12);
  EXPECT_THAT(rules.venues(), ElementsAre("SOSP", "OSDI"));

  narrow.set_max_age_months(24);
  ASSERT_OK_AND_ASSIGN(const v1::SuggestionRules same,
                       NarrowRules(GroupRules(), narrow));
  EXPECT_EQ(same.max_age_months(), 24);
}

TEST(SuggestRulesNarrow, LongerWindowIsRejected) {
  v1::SuggestionRules narrow;
  narrow.set_max_age_months(36);
  EXPECT_THAT(NarrowRules(GroupRules(), narrow),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("36"), HasSubstr("24"))));
}

TEST(SuggestRulesNarrow, GroupWithoutWindowAcceptsAnyWindow) {
  v1::SuggestionRules group = GroupRules();
  group.set_max_age_months(0);
  v1::SuggestionRules narrow;
  narrow.set_max_age_months(120);
  ASSERT_OK_AND_ASSIGN(const v1::SuggestionRules rules,
                       NarrowRules(group, narrow));
  EXPECT_EQ(rules.max_age_months(), 120);
}

TEST(SuggestRulesNarrow, NegativeNumbersAreRejected) {
  v1::SuggestionRules narrow;
  narrow.set_max_age_months(-1);
  EXPECT_THAT(NarrowRules(GroupRules(), narrow),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("max_age_months")));
  v1::SuggestionRules narrow_abstract;
  narrow_abstract.set_min_abstract_chars(-5);
  EXPECT_THAT(NarrowRules(GroupRules(), narrow_abstract),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("min_abstract_chars")));
}

TEST(SuggestRulesNarrow, ConflictsAreAppended) {
  v1::SuggestionRules narrow;
  narrow.add_conflicts("Bob Li");
  narrow.add_conflicts("Carol Wu");
  ASSERT_OK_AND_ASSIGN(const v1::SuggestionRules rules,
                       NarrowRules(GroupRules(), narrow));
  EXPECT_THAT(rules.conflicts(),
              ElementsAre("Alice Zhang", "Bob Li", "Carol Wu"));
}

TEST(SuggestRulesNarrow, MinAbstractChars) {
  v1::SuggestionRules group = GroupRules();
  group.set_min_abstract_chars(200);

  v1::SuggestionRules smaller;
  smaller.set_min_abstract_chars(100);
  EXPECT_THAT(NarrowRules(group, smaller),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("100"), HasSubstr("200"))));

  v1::SuggestionRules larger;
  larger.set_min_abstract_chars(500);
  ASSERT_OK_AND_ASSIGN(const v1::SuggestionRules rules,
                       NarrowRules(group, larger));
  EXPECT_EQ(rules.min_abstract_chars(), 500);

  ASSERT_OK_AND_ASSIGN(const v1::SuggestionRules unchanged,
                       NarrowRules(group, v1::SuggestionRules()));
  EXPECT_EQ(unchanged.min_abstract_chars(), 200);
}

TEST(SuggestRulesNarrow, VenueMonthsCannotBeSet) {
  v1::SuggestionRules narrow;
  *narrow.add_venue_months() = Row("OSDI", 0, 1);
  EXPECT_THAT(
      NarrowRules(GroupRules(), narrow),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("venue_months")));
}

TEST(SuggestRulesNarrow, GroupVenueMonthsAreKept) {
  v1::SuggestionRules group = GroupRules();
  *group.add_venue_months() = Row("OSDI", 0, 6);
  v1::SuggestionRules narrow;
  narrow.set_max_age_months(6);
  ASSERT_OK_AND_ASSIGN(const v1::SuggestionRules rules,
                       NarrowRules(group, narrow));
  ASSERT_EQ(rules.venue_months_size(), 1);
  EXPECT_EQ(rules.venue_months(0).month(), 6);
}

// -------------------------------------------------------- PaperIdentitySet

v1::Paper NomadPaper() {
  v1::Paper paper;
  paper.set_id("osdi24-nomad-non-exclusive");
  paper.set_title(
      "Nomad: Non-Exclusive Memory Tiering via Transactional Page Migration");
  paper.set_venue("OSDI");
  paper.set_year(2024);
  paper.set_doi("10.5555/abc.nomad");
  paper.set_url("https://www.usenix.org/conference/osdi24/presentation/xiang");
  return paper;
}

v1::Paper OtherPaper() {
  v1::Paper paper;
  paper.set_id("sosp23-gemini-fast-failure");
  paper.set_title("Gemini: Fast Failure Recovery in Distributed Training");
  paper.set_venue("SOSP");
  paper.set_year(2023);
  paper.set_doi("10.1145/3600006.3613145");
  paper.set_url("https://dl.acm.org/doi/10.1145/3600006.3613145");
  return paper;
}

PresentedPaper Presented(const std::string& group, const std::string& date) {
  PresentedPaper presented;
  presented.group = group;
  presented.date = date;
  presented.session_id = group + "/" + date + "/1";
  return presented;
}

TEST(SuggestRulesIdentity, EmptySetFindsNothing) {
  const PaperIdentitySet set;
  EXPECT_THAT(set.FindAll(NomadPaper()), IsEmpty());
  EXPECT_THAT(set.FindAll(v1::Paper()), IsEmpty());
}

TEST(SuggestRulesIdentity, MatchesByCatalogId) {
  PaperIdentitySet set;
  v1::PaperRef ref;
  ref.set_paper_id("osdi24-nomad-non-exclusive");
  set.Add(ref, Presented("fall-2024", "2024-10-15"));

  const std::vector<PaperIdentitySet::Match> matches =
      set.FindAll(NomadPaper());
  ASSERT_THAT(matches, SizeIs(1));
  EXPECT_EQ(matches[0].by, "catalog id");
  ASSERT_NE(matches[0].presented, nullptr);
  EXPECT_EQ(matches[0].presented->group, "fall-2024");
  EXPECT_EQ(matches[0].presented->date, "2024-10-15");
  EXPECT_EQ(matches[0].presented->session_id, "fall-2024/2024-10-15/1");
  EXPECT_EQ(matches[0].typed, "");

  EXPECT_THAT(set.FindAll(OtherPaper()), IsEmpty());
}

TEST(SuggestRulesIdentity, MatchesByDoiWrittenAsUrlInOtherCase) {
  PaperIdentitySet set;
  v1::PaperRef ref;
  ref.set_doi("https://doi.org/10.5555/ABC.Nomad");
  set.Add(ref, Presented("fall-2024", "2024-10-15"));

  v1::Paper paper = NomadPaper();
  paper.set_id("some-other-id");
  paper.set_url("");
  paper.set_title("Unrelated title");
  const std::vector<PaperIdentitySet::Match> matches = set.FindAll(paper);
  ASSERT_THAT(matches, SizeIs(1));
  EXPECT_EQ(matches[0].by, "DOI");

  EXPECT_THAT(set.FindAll(OtherPaper()), IsEmpty());
}

TEST(SuggestRulesIdentity, MatchesByDoiInLandingPageUrl) {
  PaperIdentitySet set;
  v1::PaperRef ref;
  // No DOI field: the DOI comes from the ACM landing page.
  ref.set_url("https://dl.acm.org/doi/abs/10.1145/3600006.3613145");
  set.Add(ref, Presented("fall-2024", "2024-10-15"));

  v1::Paper paper = OtherPaper();
  paper.set_id("x");
  paper.set_url("");
  paper.set_title("Something else");
  const std::vector<PaperIdentitySet::Match> matches = set.FindAll(paper);
  ASSERT_THAT(matches, SizeIs(1));
  EXPECT_EQ(matches[0].by, "DOI");
}

TEST(SuggestRulesIdentity, MatchesByUrlIgnoringSchemeWwwAndTrailingSlash) {
  PaperIdentitySet set;
  v1::PaperRef ref;
  ref.set_url("http://WWW.USENIX.org/conference/osdi24/presentation/xiang/");
  set.Add(ref, Presented("fall-2024", "2024-10-15"));

  v1::Paper paper = NomadPaper();
  paper.set_id("some-other-id");
  paper.set_doi("");
  paper.set_title("Unrelated title");
  const std::vector<PaperIdentitySet::Match> matches = set.FindAll(paper);
  ASSERT_THAT(matches, SizeIs(1));
  EXPECT_EQ(matches[0].by, "URL");

  // The path is case-sensitive: a different path is a different page.
  paper.set_url("https://usenix.org/conference/osdi24/presentation/Xiang");
  EXPECT_THAT(set.FindAll(paper), IsEmpty());
}

TEST(SuggestRulesIdentity, MatchesByTitleKey) {
  PaperIdentitySet set;
  v1::PaperRef ref;
  ref.set_title(
      "NOMAD -- non-exclusive memory tiering, via transactional page "
      "migration!");
  set.Add(ref, Presented("fall-2024", "2024-10-15"));

  v1::Paper paper = NomadPaper();
  paper.set_id("some-other-id");
  paper.set_doi("");
  paper.set_url("");
  // Title key computed from the title...
  paper.clear_title_key();
  std::vector<PaperIdentitySet::Match> matches = set.FindAll(paper);
  ASSERT_THAT(matches, SizeIs(1));
  EXPECT_EQ(matches[0].by, "title");
  // ...or given, as the catalog stores it.
  paper.set_title_key(TitleKey(paper.title()));
  matches = set.FindAll(paper);
  ASSERT_THAT(matches, SizeIs(1));
  EXPECT_EQ(matches[0].by, "title");

  EXPECT_THAT(set.FindAll(OtherPaper()), IsEmpty());
}

TEST(SuggestRulesIdentity, ReportsFirstIdentityThatMatched) {
  PaperIdentitySet set;
  v1::PaperRef ref;
  ref.set_doi("10.5555/abc.nomad");
  ref.set_url("https://usenix.org/conference/osdi24/presentation/xiang");
  ref.set_title(NomadPaper().title());
  set.Add(ref, Presented("fall-2024", "2024-10-15"));
  const std::vector<PaperIdentitySet::Match> matches =
      set.FindAll(NomadPaper());
  ASSERT_THAT(matches, SizeIs(1));
  EXPECT_EQ(matches[0].by, "DOI");
}

TEST(SuggestRulesIdentity, EveryEntryOnceInOrderAdded) {
  PaperIdentitySet set;
  // Added first; names the paper by title only.
  v1::PaperRef by_title;
  by_title.set_title(
      "Nomad: non-exclusive memory tiering via transactional "
      "page migration");
  set.Add(by_title, Presented("spring-2024", "2024-04-02"));
  // A paper that is not this one.
  v1::PaperRef other;
  other.set_paper_id(OtherPaper().id());
  other.set_title(OtherPaper().title());
  set.Add(other, Presented("fall-2024", "2024-09-03"));
  // Added last; its id and its title both match.
  v1::PaperRef linked;
  linked.set_paper_id("osdi24-nomad-non-exclusive");
  linked.set_title(NomadPaper().title());
  set.Add(linked, Presented("fall-2024", "2024-10-15"));

  const std::vector<PaperIdentitySet::Match> matches =
      set.FindAll(NomadPaper());
  ASSERT_THAT(matches, SizeIs(2));
  ASSERT_NE(matches[0].presented, nullptr);
  ASSERT_NE(matches[1].presented, nullptr);
  EXPECT_EQ(matches[0].presented->group, "spring-2024");
  EXPECT_EQ(matches[0].by, "title");
  EXPECT_EQ(matches[1].presented->group, "fall-2024");
  EXPECT_EQ(matches[1].presented->date, "2024-10-15");
  EXPECT_EQ(matches[1].by, "catalog id");
}

TEST(SuggestRulesIdentity, TwoGroupsPresentingTheSamePaper) {
  PaperIdentitySet set;
  v1::PaperRef ref;
  ref.set_paper_id("osdi24-nomad-non-exclusive");
  ref.set_title(NomadPaper().title());
  set.Add(ref, Presented("fall-2024", "2024-10-15"));
  set.Add(ref, Presented("ml-sys", "2024-11-05"));

  const std::vector<PaperIdentitySet::Match> matches =
      set.FindAll(NomadPaper());
  ASSERT_THAT(matches, SizeIs(2));
  EXPECT_EQ(matches[0].presented->group, "fall-2024");
  EXPECT_EQ(matches[1].presented->group, "ml-sys");
  EXPECT_EQ(matches[0].by, "catalog id");
  EXPECT_EQ(matches[1].by, "catalog id");
}

TEST(SuggestRulesIdentity, TypedTitle) {
  PaperIdentitySet set;
  set.AddTyped(
      "  nomad non exclusive memory tiering via transactional page migration ");
  const std::vector<PaperIdentitySet::Match> matches =
      set.FindAll(NomadPaper());
  ASSERT_THAT(matches, SizeIs(1));
  EXPECT_EQ(matches[0].presented, nullptr);
  EXPECT_EQ(matches[0].typed,
            "nomad non exclusive memory tiering via transactional page "
            "migration");
  EXPECT_EQ(matches[0].by, "title");
  EXPECT_THAT(set.FindAll(OtherPaper()), IsEmpty());
}

TEST(SuggestRulesIdentity, TypedId) {
  PaperIdentitySet set;
  set.AddTyped("osdi24-nomad-non-exclusive");
  const std::vector<PaperIdentitySet::Match> matches =
      set.FindAll(NomadPaper());
  ASSERT_THAT(matches, SizeIs(1));
  EXPECT_EQ(matches[0].presented, nullptr);
  EXPECT_EQ(matches[0].typed, "osdi24-nomad-non-exclusive");
  EXPECT_EQ(matches[0].by, "catalog id");
  EXPECT_THAT(set.FindAll(OtherPaper()), IsEmpty());
}

TEST(SuggestRulesIdentity, TypedDoi) {
  for (const char* typed :
       {"10.1145/3600006.3613145", "doi:10.1145/3600006.3613145",
        "https://doi.org/10.1145/3600006.3613145",
        "https://dl.acm.org/doi/10.1145/3600006.3613145"}) {
    PaperIdentitySet set;
    set.AddTyped(typed);
    v1::Paper paper = OtherPaper();
    paper.set_url("");  // so that only the DOI can match
    const std::vector<PaperIdentitySet::Match> matches = set.FindAll(paper);
    ASSERT_THAT(matches, SizeIs(1)) << typed;
    EXPECT_EQ(matches[0].by, "DOI") << typed;
    EXPECT_EQ(matches[0].typed, typed);
    EXPECT_THAT(set.FindAll(NomadPaper()), IsEmpty()) << typed;
  }
}

TEST(SuggestRulesIdentity, TypedUrl) {
  PaperIdentitySet set;
  set.AddTyped("http://usenix.org/conference/osdi24/presentation/xiang/");
  const std::vector<PaperIdentitySet::Match> matches =
      set.FindAll(NomadPaper());
  ASSERT_THAT(matches, SizeIs(1));
  EXPECT_EQ(matches[0].by, "URL");
  EXPECT_EQ(matches[0].typed,
            "http://usenix.org/conference/osdi24/presentation/xiang/");
}

TEST(SuggestRulesIdentity, BlankTypedTextIsIgnored) {
  PaperIdentitySet set;
  set.AddTyped("");
  set.AddTyped("   ");
  EXPECT_THAT(set.FindAll(NomadPaper()), IsEmpty());
  EXPECT_THAT(set.FindAll(v1::Paper()), IsEmpty());
}

TEST(SuggestRulesIdentity, MixedTypedAndPresentedInOrder) {
  PaperIdentitySet set;
  set.AddTyped("osdi24-nomad-non-exclusive");
  v1::PaperRef ref;
  ref.set_doi("10.5555/abc.nomad");
  set.Add(ref, Presented("fall-2024", "2024-10-15"));

  const std::vector<PaperIdentitySet::Match> matches =
      set.FindAll(NomadPaper());
  ASSERT_THAT(matches, SizeIs(2));
  EXPECT_EQ(matches[0].presented, nullptr);
  EXPECT_EQ(matches[0].typed, "osdi24-nomad-non-exclusive");
  ASSERT_NE(matches[1].presented, nullptr);
  EXPECT_EQ(matches[1].presented->group, "fall-2024");
  EXPECT_EQ(matches[1].by, "DOI");
}

// ------------------------------------------------------------ FindOpenSlots

v1::Presenter Person(const std::string& name) {
  v1::Presenter presenter;
  presenter.set_name(name);
  presenter.set_person_id(PersonKey(name));
  return presenter;
}

v1::Session MakeSession(const std::string& date, v1::SessionKind kind,
                        std::vector<std::string> presenters = {},
                        int line = 0) {
  v1::Session session;
  session.set_group("fall-2024");
  session.set_date(date);
  session.set_kind(kind);
  if (kind == v1::SESSION_KIND_PAPER) {
    session.set_title("A paper on " + date);
    session.mutable_paper()->set_title(session.title());
  }
  for (const std::string& name : presenters) {
    *session.add_presenters() = Person(name);
  }
  session.mutable_source()->set_file("schedule.md");
  session.mutable_source()->set_line(line);
  return session;
}

std::vector<std::string> Dates(const std::vector<OpenSlot>& slots) {
  std::vector<std::string> dates;
  for (const OpenSlot& slot : slots) dates.push_back(FormatIsoDate(slot.date));
  return dates;
}

std::vector<std::string> Names(const OpenSlot& slot) {
  std::vector<std::string> names;
  for (const v1::Presenter& p : slot.presenters) names.push_back(p.name());
  return names;
}

absl::CivilDay Day(int y, int m, int d) { return absl::CivilDay(y, m, d); }

// Tuesdays: 2024-09-03, 09-10, 09-17, 09-24, 10-01.
std::vector<v1::Session> ListedSchedule() {
  return {
      MakeSession("2024-09-24", v1::SESSION_KIND_PAPER, {"Dan"}, 40),
      MakeSession("2024-09-17", v1::SESSION_KIND_OPEN, {"Carol"}, 30),
      MakeSession("2024-09-03", v1::SESSION_KIND_PAPER, {"Alice"}, 10),
      MakeSession("2024-10-01", v1::SESSION_KIND_OPEN, {}, 50),
      MakeSession("2024-09-10", v1::SESSION_KIND_OPEN, {"Bob"}, 20),
      MakeSession("2024-09-10", v1::SESSION_KIND_TALK, {"Eve"}, 21),
  };
}

TEST(SuggestRulesOpenSlots, ListedOpenSessionsInDateOrder) {
  ASSERT_OK_AND_ASSIGN(const std::vector<OpenSlot> slots,
                       FindOpenSlots(ListedSchedule(), v1::Cadence(),
                                     std::nullopt, std::nullopt));
  EXPECT_THAT(Dates(slots),
              ElementsAre("2024-09-10", "2024-09-17", "2024-10-01"));
  ASSERT_THAT(slots, SizeIs(3));
  for (const OpenSlot& slot : slots) EXPECT_TRUE(slot.listed);
  // Only the open session's presenters, not the talk's on the same date.
  EXPECT_THAT(Names(slots[0]), ElementsAre("Bob"));
  EXPECT_EQ(slots[0].source.file(), "schedule.md");
  EXPECT_EQ(slots[0].source.line(), 20);
  EXPECT_THAT(Names(slots[1]), ElementsAre("Carol"));
  EXPECT_EQ(slots[1].source.line(), 30);
  EXPECT_THAT(Names(slots[2]), IsEmpty());
  EXPECT_EQ(slots[2].source.line(), 50);
}

TEST(SuggestRulesOpenSlots, NoSessionsNoSlots) {
  v1::Cadence cadence;
  cadence.set_weekday(2);
  ASSERT_OK_AND_ASSIGN(const std::vector<OpenSlot> slots,
                       FindOpenSlots({}, cadence, std::nullopt, std::nullopt));
  EXPECT_THAT(slots, IsEmpty());
}

TEST(SuggestRulesOpenSlots, OpenSessionsOnOneDateMerge) {
  const std::vector<v1::Session> sessions = {
      MakeSession("2024-09-10", v1::SESSION_KIND_OPEN, {"Bob"}, 20),
      MakeSession("2024-09-03", v1::SESSION_KIND_PAPER, {"Alice"}, 10),
      MakeSession("2024-09-10", v1::SESSION_KIND_OPEN, {"Carol", "Dan"}, 21),
  };
  ASSERT_OK_AND_ASSIGN(
      const std::vector<OpenSlot> slots,
      FindOpenSlots(sessions, v1::Cadence(), std::nullopt, std::nullopt));
  ASSERT_THAT(slots, SizeIs(1));
  EXPECT_EQ(slots[0].date, Day(2024, 9, 10));
  EXPECT_TRUE(slots[0].listed);
  EXPECT_THAT(Names(slots[0]), ElementsAre("Bob", "Carol", "Dan"));
  EXPECT_EQ(slots[0].source.line(), 20);
}

TEST(SuggestRulesOpenSlots, BoundsAreInclusive) {
  const std::vector<v1::Session> sessions = ListedSchedule();
  ASSERT_OK_AND_ASSIGN(std::vector<OpenSlot> slots,
                       FindOpenSlots(sessions, v1::Cadence(), Day(2024, 9, 10),
                                     Day(2024, 9, 17)));
  EXPECT_THAT(Dates(slots), ElementsAre("2024-09-10", "2024-09-17"));

  ASSERT_OK_AND_ASSIGN(slots, FindOpenSlots(sessions, v1::Cadence(),
                                            Day(2024, 9, 11), std::nullopt));
  EXPECT_THAT(Dates(slots), ElementsAre("2024-09-17", "2024-10-01"));

  ASSERT_OK_AND_ASSIGN(slots, FindOpenSlots(sessions, v1::Cadence(),
                                            std::nullopt, Day(2024, 9, 16)));
  EXPECT_THAT(Dates(slots), ElementsAre("2024-09-10"));

  ASSERT_OK_AND_ASSIGN(slots,
                       FindOpenSlots(sessions, v1::Cadence(), Day(2024, 10, 1),
                                     Day(2024, 10, 1)));
  EXPECT_THAT(Dates(slots), ElementsAre("2024-10-01"));
}

// The last listed session is Tuesday 2024-12-03.
std::vector<v1::Session> ScheduleEndingTuesday() {
  return {
      MakeSession("2024-11-26", v1::SESSION_KIND_PAPER, {"Alice"}, 10),
      MakeSession("2024-12-03", v1::SESSION_KIND_OPEN, {"Bob"}, 20),
  };
}

TEST(SuggestRulesOpenSlots, CadenceContinuesScheduleSkippingDates) {
  v1::Cadence cadence;
  cadence.set_weekday(2);  // Tuesday
  cadence.set_interval_weeks(1);
  cadence.add_skip_dates("2024-12-24");
  cadence.set_until("2025-01-14");
  ASSERT_OK_AND_ASSIGN(const std::vector<OpenSlot> slots,
                       FindOpenSlots(ScheduleEndingTuesday(), cadence,
                                     std::nullopt, std::nullopt));
  EXPECT_THAT(Dates(slots),
              ElementsAre("2024-12-03", "2024-12-10", "2024-12-17",
                          "2024-12-31", "2025-01-07", "2025-01-14"));
  ASSERT_THAT(slots, SizeIs(6));
  EXPECT_TRUE(slots[0].listed);
  EXPECT_THAT(Names(slots[0]), ElementsAre("Bob"));
  for (size_t i = 1; i < slots.size(); ++i) {
    EXPECT_FALSE(slots[i].listed) << i;
    EXPECT_THAT(slots[i].presenters, IsEmpty()) << i;
    EXPECT_EQ(WeekdayAbbreviation(slots[i].date), "Tue") << i;
    EXPECT_EQ(slots[i].source.file(), "") << i;
  }
}

TEST(SuggestRulesOpenSlots, CadenceEveryOtherWeek) {
  v1::Cadence cadence;
  cadence.set_weekday(2);
  cadence.set_interval_weeks(2);
  cadence.set_until("2025-01-14");
  ASSERT_OK_AND_ASSIGN(const std::vector<OpenSlot> slots,
                       FindOpenSlots(ScheduleEndingTuesday(), cadence,
                                     Day(2024, 12, 4), std::nullopt));
  EXPECT_THAT(Dates(slots),
              ElementsAre("2024-12-17", "2024-12-31", "2025-01-14"));
}

TEST(SuggestRulesOpenSlots, CadenceWithoutUntilRunsTwelveWeeks) {
  v1::Cadence cadence;
  cadence.set_weekday(2);
  ASSERT_OK_AND_ASSIGN(const std::vector<OpenSlot> slots,
                       FindOpenSlots(ScheduleEndingTuesday(), cadence,
                                     Day(2024, 12, 4), std::nullopt));
  ASSERT_THAT(slots, SizeIs(12));
  EXPECT_EQ(slots.front().date, Day(2024, 12, 10));
  // 2024-12-03 + 84 days.
  EXPECT_EQ(slots.back().date, Day(2025, 2, 25));
  for (size_t i = 1; i < slots.size(); ++i) {
    EXPECT_EQ(slots[i].date - slots[i - 1].date, 7) << i;
  }
}

TEST(SuggestRulesOpenSlots, CadenceStartsAtNextWeekdayAfterOffDayLastSession) {
  const std::vector<v1::Session> sessions = {
      MakeSession("2024-12-04", v1::SESSION_KIND_PAPER, {"Alice"}, 10),
  };
  v1::Cadence cadence;
  cadence.set_weekday(2);
  cadence.set_until("2024-12-24");
  ASSERT_OK_AND_ASSIGN(
      const std::vector<OpenSlot> slots,
      FindOpenSlots(sessions, cadence, std::nullopt, std::nullopt));
  EXPECT_THAT(Dates(slots),
              ElementsAre("2024-12-10", "2024-12-17", "2024-12-24"));
}

TEST(SuggestRulesOpenSlots, CadenceOnOtherWeekday) {
  // Friday meetings (ISO 5), after a Tuesday schedule.
  v1::Cadence cadence;
  cadence.set_weekday(5);
  cadence.set_until("2024-12-20");
  ASSERT_OK_AND_ASSIGN(const std::vector<OpenSlot> slots,
                       FindOpenSlots(ScheduleEndingTuesday(), cadence,
                                     Day(2024, 12, 4), std::nullopt));
  EXPECT_THAT(Dates(slots),
              ElementsAre("2024-12-06", "2024-12-13", "2024-12-20"));
  for (const OpenSlot& slot : slots) {
    EXPECT_EQ(WeekdayAbbreviation(slot.date), "Fri");
  }
}

TEST(SuggestRulesOpenSlots, RequestUntilCutsCadence) {
  v1::Cadence cadence;
  cadence.set_weekday(2);
  cadence.set_until("2025-01-14");
  ASSERT_OK_AND_ASSIGN(const std::vector<OpenSlot> slots,
                       FindOpenSlots(ScheduleEndingTuesday(), cadence,
                                     std::nullopt, Day(2024, 12, 20)));
  EXPECT_THAT(Dates(slots),
              ElementsAre("2024-12-03", "2024-12-10", "2024-12-17"));
}

TEST(SuggestRulesOpenSlots, RequestFromSkipsEarlyCadenceDates) {
  v1::Cadence cadence;
  cadence.set_weekday(2);
  cadence.set_until("2025-01-14");
  ASSERT_OK_AND_ASSIGN(const std::vector<OpenSlot> slots,
                       FindOpenSlots(ScheduleEndingTuesday(), cadence,
                                     Day(2024, 12, 31), std::nullopt));
  EXPECT_THAT(Dates(slots),
              ElementsAre("2024-12-31", "2025-01-07", "2025-01-14"));
}

TEST(SuggestRulesOpenSlots, NoWeekdayNoGeneratedDates) {
  v1::Cadence cadence;
  cadence.set_weekday(0);
  ASSERT_OK_AND_ASSIGN(const std::vector<OpenSlot> slots,
                       FindOpenSlots(ScheduleEndingTuesday(), cadence,
                                     std::nullopt, std::nullopt));
  EXPECT_THAT(Dates(slots), ElementsAre("2024-12-03"));
}

TEST(SuggestRulesOpenSlots, MalformedCadenceIsInvalidArgument) {
  v1::Cadence bad_weekday;
  bad_weekday.set_weekday(9);
  EXPECT_THAT(
      FindOpenSlots(ScheduleEndingTuesday(), bad_weekday, std::nullopt,
                    std::nullopt),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("weekday")));

  v1::Cadence bad_skip;
  bad_skip.set_weekday(2);
  bad_skip.add_skip_dates("2024-02-30");
  EXPECT_THAT(
      FindOpenSlots(ScheduleEndingTuesday(), bad_skip, std::nullopt,
                    std::nullopt),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("2024-02-30")));

  // Even with no sessions to continue.
  EXPECT_THAT(FindOpenSlots({}, bad_skip, std::nullopt, std::nullopt),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// ------------------------------------------------------------ CheckCadence

TEST(SuggestRulesCadence, EmptyOrValidCadenceHasNoProblems) {
  EXPECT_THAT(CheckCadence(v1::Cadence()), IsEmpty());
  v1::Cadence cadence;
  cadence.set_weekday(7);
  cadence.set_interval_weeks(52);
  cadence.add_skip_dates("2024-12-24");
  cadence.set_until("2025-01-14");
  EXPECT_THAT(CheckCadence(cadence), IsEmpty());
  cadence.set_weekday(1);
  cadence.set_interval_weeks(0);  // counts as 1
  EXPECT_THAT(CheckCadence(cadence), IsEmpty());
}

TEST(SuggestRulesCadence, WeekdayOutOfRange) {
  v1::Cadence cadence;
  cadence.set_weekday(8);
  EXPECT_THAT(CheckCadence(cadence),
              ElementsAre(AllOf(HasSubstr("weekday"), HasSubstr("8"))));
  cadence.set_weekday(-1);
  EXPECT_THAT(CheckCadence(cadence), ElementsAre(HasSubstr("weekday")));
}

TEST(SuggestRulesCadence, IntervalOutOfRange) {
  v1::Cadence cadence;
  cadence.set_weekday(2);
  cadence.set_interval_weeks(60);
  EXPECT_THAT(CheckCadence(cadence),
              ElementsAre(AllOf(HasSubstr("interval_weeks"), HasSubstr("60"))));
  cadence.set_interval_weeks(-1);
  EXPECT_THAT(CheckCadence(cadence), ElementsAre(HasSubstr("interval_weeks")));
}

TEST(SuggestRulesCadence, MalformedSkipDate) {
  v1::Cadence cadence;
  cadence.set_weekday(2);
  cadence.add_skip_dates("2024-12-24");
  cadence.add_skip_dates("2024-02-30");
  EXPECT_THAT(CheckCadence(cadence),
              ElementsAre(AllOf(HasSubstr("skip"), HasSubstr("2024-02-30"))));
}

TEST(SuggestRulesCadence, MalformedUntil) {
  v1::Cadence cadence;
  cadence.set_weekday(2);
  cadence.set_until("soon");
  EXPECT_THAT(CheckCadence(cadence),
              ElementsAre(AllOf(HasSubstr("until"), HasSubstr("soon"))));
}

TEST(SuggestRulesCadence, SettingsWithoutWeekday) {
  v1::Cadence cadence;
  cadence.set_interval_weeks(2);
  EXPECT_THAT(CheckCadence(cadence),
              ElementsAre(HasSubstr("weekday is required")));
  v1::Cadence until_only;
  until_only.set_until("2025-01-14");
  EXPECT_THAT(CheckCadence(until_only),
              ElementsAre(HasSubstr("weekday is required")));
}

TEST(SuggestRulesCadence, ReportsEveryProblem) {
  v1::Cadence cadence;
  cadence.set_weekday(8);
  cadence.set_interval_weeks(60);
  cadence.add_skip_dates("2024-02-30");
  cadence.set_until("soon");
  EXPECT_THAT(CheckCadence(cadence),
              ElementsAre(HasSubstr("weekday"), HasSubstr("interval_weeks"),
                          HasSubstr("2024-02-30"), HasSubstr("soon")));
}

}  // namespace
}  // namespace lectern
