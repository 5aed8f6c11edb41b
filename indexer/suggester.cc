#include "indexer/suggester.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "indexer/index_reader.h"
#include "indexer/interest_profile.h"
#include "indexer/normalize.h"
#include "indexer/schema.h"
#include "indexer/status_macros.h"
#include "indexer/suggest_rules.h"
#include "indexer/utf8.h"

namespace lectern {
namespace {

// A past session counts half as much as interest evidence every this many
// days before the date suggested for.
constexpr double kHalfLifeDays = 180;
// Terms in an interest profile.
constexpr size_t kProfileTerms = 40;
// How the parts of relevance blend, before normalizing to sum 1 over the
// parts a request has.
constexpr double kInterestWeight = 1.0;
constexpr double kTopicWeight = 1.0;
constexpr double kPresenterWeight = 0.5;
constexpr double kFreshnessWeight = 0.5;
// The freshness scale never drops below this many months.
constexpr double kMinFreshnessMonths = 3;
// Maximal marginal relevance: a candidate loses this times its cosine
// similarity to the closest candidate already picked for the date.
constexpr double kDiversityWeight = 0.5;
// The diversity pass chooses among this many times `count` of the most
// relevant papers (at least kMinPool).
constexpr size_t kPoolFactor = 4;
constexpr size_t kMinPool = 20;
// Terms and sessions named in a reason.
constexpr size_t kReasonTerms = 6;
constexpr size_t kReasonSessions = 2;

struct CatalogPaper {
  Xapian::docid docid = 0;
  std::shared_ptr<const v1::Paper> record;
  std::optional<PublicationDate> published;

  const v1::Paper& paper() const { return *record; }
};

std::string Quote(absl::string_view title) {
  constexpr size_t kMax = 60;
  std::string out(title.substr(0, kMax));
  if (title.size() > kMax) {
    // Cut at a character boundary.
    while (!out.empty() &&
           (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) {
      out.pop_back();
    }
    if (!out.empty()) out.pop_back();
    out += "…";
  }
  return absl::StrCat("\"", out, "\"");
}

// "18 months" or "24 months and 13 days".
std::string AgeText(absl::CivilDay from, absl::CivilDay to) {
  const int months = MonthsBetween(from, to);
  const absl::CivilDay anniversary(from.year(), from.month() + months,
                                   from.day());
  const int64_t days = to - anniversary;
  std::string text = absl::StrCat(months, months == 1 ? " month" : " months");
  if (days > 0)
    absl::StrAppend(&text, " and ", days, days == 1 ? " day" : " days");
  return text;
}

// The date `months` months before `date`, the day clamped to the month.
absl::CivilDay MonthsBefore(absl::CivilDay date, int months) {
  const absl::CivilMonth month = absl::CivilMonth(date) - months;
  absl::CivilDay day(month.year(), month.month(), date.day());
  // CivilDay rolls 2023-02-30 into March: step back into the month.
  while (absl::CivilMonth(day) != month) day -= 1;
  return day;
}

double RecencyWeight(absl::CivilDay session, absl::CivilDay date) {
  const double days = static_cast<double>(date - session);
  return std::pow(0.5, std::max(0.0, days) / kHalfLifeDays);
}

// The paper sessions of `sessions` held before `date`, with their days.
std::vector<std::pair<const v1::Session*, absl::CivilDay>> PaperSessionsBefore(
    const std::vector<v1::Session>& sessions, absl::CivilDay date) {
  std::vector<std::pair<const v1::Session*, absl::CivilDay>> before;
  for (const v1::Session& session : sessions) {
    const std::optional<absl::CivilDay> day = ParseIsoDate(session.date());
    if (day && *day < date && session.kind() == v1::SESSION_KIND_PAPER) {
      before.emplace_back(&session, *day);
    }
  }
  return before;
}

v1::RuleCheck MakeCheck(const char* rule, bool passed, std::string detail) {
  v1::RuleCheck check;
  check.set_rule(rule);
  check.set_passed(passed);
  check.set_detail(std::move(detail));
  return check;
}

bool AllPassed(const std::vector<v1::RuleCheck>& checks) {
  return std::all_of(checks.begin(), checks.end(),
                     [](const v1::RuleCheck& c) { return c.passed(); });
}

std::string FirstFailure(const std::vector<v1::RuleCheck>& checks) {
  for (const v1::RuleCheck& check : checks) {
    if (!check.passed())
      return absl::StrCat(check.rule(), ": ", check.detail());
  }
  return "";
}

std::string PaperLabel(const v1::Paper& paper) {
  return absl::StrCat(Quote(paper.title()), " (", paper.venue(), " ",
                      paper.year(), ")");
}

// One paper's place in a date's ranking.
struct Ranked {
  size_t paper = 0;  // index into the request's papers
  double relevance = 0;
  double interest = 0;
  double topic = 0;
  double presenter = 0;
  double freshness = 0;
  // Whole months from publication to the date.
  int age_months = 0;
};

}  // namespace

struct Suggester::Impl {
  Impl(const Xapian::Database& database, QueryBuilder* builder,
       SuggestCache* shared)
      : db(database),
        query_builder(builder),
        cache(Refreshed(shared ? shared : &own_cache, database)),
        content(cache->content()) {}

  static SuggestCache* Refreshed(SuggestCache* cache,
                                 const Xapian::Database& database) {
    cache->Refresh(database);
    return cache;
  }

  const Xapian::Database& db;
  QueryBuilder* query_builder;
  SuggestCache own_cache;  // when the caller keeps none
  SuggestCache* cache;
  ContentTerms& content;

  v1::Group group;
  v1::SuggestionRules rules;
  // The group's sessions, by date; the sessions that name a paper in the
  // group and its siblings, by date.
  std::vector<v1::Session> own;
  std::vector<v1::Session> with_papers;
  // The papers the coarse filter lets through.
  std::vector<CatalogPaper> papers;
  // Set by Load for Check: "group, sibling, ..." and the conflicts' person
  // keys.
  std::string scope;
  std::set<std::string> conflict_keys;

  // Reads the group, its rules narrowed by `narrow`, and the sessions.
  absl::Status Load(absl::string_view group_id,
                    const v1::SuggestionRules& narrow) {
    LECTERN_ASSIGN_OR_RETURN(group, ReadGroup(db, group_id));
    LECTERN_ASSIGN_OR_RETURN(rules, NarrowRules(group.rules(), narrow));
    LECTERN_ASSIGN_OR_RETURN(own, SessionsOfGroup(db, group.id()));
    std::vector<std::string> groups = {group.id()};
    groups.insert(groups.end(), group.siblings().begin(),
                  group.siblings().end());
    scope = absl::StrJoin(groups, ", ");
    for (const std::string& name : rules.conflicts()) {
      conflict_keys.insert(PersonKey(name));
    }
    for (const std::string& id : groups) {
      std::vector<v1::Session> sessions;
      if (id == group.id()) {
        sessions = own;
      } else {
        LECTERN_ASSIGN_OR_RETURN(sessions, SessionsOfGroup(db, id));
      }
      for (v1::Session& session : sessions) {
        if (session.has_paper()) with_papers.push_back(std::move(session));
      }
    }
    std::stable_sort(with_papers.begin(), with_papers.end(),
                     [](const v1::Session& a, const v1::Session& b) {
                       return a.date() < b.date();
                     });
    return absl::OkStatus();
  }

  std::optional<PublicationDate> Published(const v1::Paper& paper) const {
    return PublicationDateOf(paper.venue(), paper.year(), rules.venue_months());
  }

  // Catalog papers that can pass the venue and recency rules on some of
  // `dates`: the rule's venues, years from the earliest window start to
  // the latest date.
  absl::Status LoadCandidates(const std::vector<absl::CivilDay>& dates) {
    std::vector<Xapian::Query> filters = {
        Xapian::Query(schema::Term(schema::kType, schema::kTypePaper))};
    if (!rules.venues().empty()) {
      std::vector<Xapian::Query> venues;
      for (const std::string& venue : rules.venues()) {
        venues.emplace_back(schema::Term(schema::kVenue, VenueKey(venue)));
      }
      filters.emplace_back(Xapian::Query::OP_OR, venues.begin(), venues.end());
    }
    if (rules.max_age_months() > 0 && !dates.empty()) {
      const auto [first, last] =
          std::minmax_element(dates.begin(), dates.end());
      const int from_year = MonthsBefore(*first, rules.max_age_months()).year();
      std::vector<Xapian::Query> years;
      for (int year = from_year; year <= last->year(); ++year) {
        years.emplace_back(schema::Term(schema::kYear, absl::StrCat(year)));
      }
      filters.emplace_back(Xapian::Query::OP_OR, years.begin(), years.end());
    }
    Xapian::Enquire enquire(db);
    enquire.set_query(
        Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
    papers.clear();
    papers.reserve(mset.size());
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      CatalogPaper& paper = papers.emplace_back();
      paper.docid = *it;
      LECTERN_ASSIGN_OR_RETURN(paper.record,
                               cache->Paper(*it, it.get_document()));
      paper.published = Published(paper.paper());
    }
    return absl::OkStatus();
  }

  // The papers the group and its siblings presented or scheduled, those on
  // or after `before` left out when it is given.
  PaperIdentitySet Presented(std::optional<absl::CivilDay> before) const {
    PaperIdentitySet set;
    for (const v1::Session& session : with_papers) {
      if (before) {
        const std::optional<absl::CivilDay> day = ParseIsoDate(session.date());
        if (!day || *day >= *before) continue;
      }
      PresentedPaper presented;
      presented.group = session.group();
      presented.date = session.date();
      presented.session_id = session.id();
      presented.title = session.title();
      presented.paper_id = session.paper().paper_id();
      set.Add(session.paper(), std::move(presented));
    }
    return set;
  }

  // Every rule, checked for `paper` on `date`. `taken` maps papers picked
  // for earlier dates of the same answer to those dates; `typed_matches`
  // collects the rejected entries that matched.
  std::vector<v1::RuleCheck> Check(
      const CatalogPaper& candidate, absl::CivilDay date,
      const PaperIdentitySet& presented, const PaperIdentitySet& rejected,
      const std::map<std::string, std::string>* taken,
      std::set<std::string>* typed_matches) const {
    std::vector<v1::RuleCheck> checks;
    Evaluate(candidate, date, presented, rejected, taken, typed_matches,
             &checks);
    return checks;
  }

  // Whether `paper` passes every rule on `date`, as AllPassed(Check(...))
  // but without writing the evidence, stopping at the first failure: most
  // of the catalog fails one, and the evidence is only shown for picks.
  bool Passes(const CatalogPaper& candidate, absl::CivilDay date,
              const PaperIdentitySet& presented,
              const PaperIdentitySet& rejected,
              const std::map<std::string, std::string>* taken,
              std::set<std::string>* typed_matches) const {
    return Evaluate(candidate, date, presented, rejected, taken, typed_matches,
                    nullptr);
  }

  // Checks the rules in order. With `checks`, appends each with its
  // evidence; without, only tells whether all pass. Either way every
  // rejected entry that matches goes into `typed_matches`.
  bool Evaluate(const CatalogPaper& candidate, absl::CivilDay date,
                const PaperIdentitySet& presented,
                const PaperIdentitySet& rejected,
                const std::map<std::string, std::string>* taken,
                std::set<std::string>* typed_matches,
                std::vector<v1::RuleCheck>* checks) const {
    const v1::Paper& paper = candidate.paper();
    const std::string& iso = IsoDate(date);
    bool all_passed = true;
    // Records a rule; false when the caller wants no evidence and the rule
    // failed, so that Evaluate can stop.
    auto add = [&](const char* rule, bool passed, auto detail) {
      all_passed &= passed;
      if (checks != nullptr) {
        checks->push_back(MakeCheck(rule, passed, detail()));
        return true;
      }
      return passed;
    };

    // Matched first: the request wants to know every rejected entry that
    // matched, whatever else the paper fails.
    const std::vector<PaperIdentitySet::Match> rejected_matches =
        rejected.FindAll(paper);
    if (typed_matches != nullptr) {
      for (const PaperIdentitySet::Match& match : rejected_matches) {
        typed_matches->insert(match.typed);
      }
    }

    // Venue.
    if (rules.venues().empty()) {
      add("venue", true, [] { return "the group accepts any venue"; });
    } else {
      const bool in_set =
          std::find(rules.venues().begin(), rules.venues().end(),
                    paper.venue()) != rules.venues().end();
      if (!add("venue", in_set, [&] {
            const std::string venue =
                paper.venue().empty() ? "no venue" : paper.venue();
            return absl::StrCat(venue,
                                in_set ? " is one of " : " is not one of ",
                                absl::StrJoin(rules.venues(), ", "));
          })) {
        return false;
      }
    }

    // Recency.
    if (!candidate.published) {
      const bool passed = rules.max_age_months() == 0;
      if (!add("recency", passed, [&] {
            return passed ? "publication year unknown; the group sets no "
                            "window"
                          : "publication year unknown, so the window cannot "
                            "be checked";
          })) {
        return false;
      }
    } else {
      const PublicationDate& published = *candidate.published;
      auto when = [&] {
        return absl::StrCat("published ", MonthAndYear(published.day), " (",
                            published.basis, ")");
      };
      if (published.day > date) {
        if (!add("recency", false, [&] {
              return absl::StrCat(when(), ", after ", iso,
                                  ": not yet published then");
            })) {
          return false;
        }
      } else if (rules.max_age_months() == 0) {
        add("recency", true, [&] {
          return absl::StrCat(when(), ", ", AgeText(published.day, date),
                              " before ", iso, "; the group sets no window");
        });
      } else {
        const absl::CivilDay start = MonthsBefore(date, rules.max_age_months());
        const bool within = published.day >= start;
        if (!add("recency", within, [&] {
              return absl::StrCat(when(), ", ", AgeText(published.day, date),
                                  " before ", iso, "; the window of ",
                                  rules.max_age_months(), " months starts ",
                                  FormatIsoDate(start),
                                  within ? ": within it" : ": outside it");
            })) {
          return false;
        }
      }
    }

    // Repeats: presented before the date, or scheduled on or after it.
    std::vector<const PaperIdentitySet::Match*> before, after;
    const std::vector<PaperIdentitySet::Match> presented_matches =
        presented.FindAll(paper);
    for (const PaperIdentitySet::Match& match : presented_matches) {
      (match.presented->date < iso ? before : after).push_back(&match);
    }
    auto describe =
        [&](const std::vector<const PaperIdentitySet::Match*>& matches,
            const char* verb, const char* preposition) {
          std::vector<std::string> parts;
          for (const PaperIdentitySet::Match* match : matches) {
            const PresentedPaper& p = *match->presented;
            const std::string who =
                p.group == group.id()
                    ? absl::StrCat("this group (", p.group, ")")
                    : absl::StrCat("sibling group ", p.group);
            parts.push_back(absl::StrCat(verb, " by ", who, preposition, p.date,
                                         " (same ", match->by, ")"));
          }
          return absl::StrJoin(parts, "; ");
        };
    if (!add("not_presented", before.empty(), [&] {
          return before.empty()
                     ? absl::StrCat("not presented before ", iso, " by ", scope)
                     : describe(before, "presented", " on ");
        })) {
      return false;
    }
    if (!add("not_scheduled", after.empty(), [&] {
          return after.empty() ? absl::StrCat("not on the schedule of ", scope,
                                              " from ", iso, " on")
                               : describe(after, "scheduled", " for ");
        })) {
      return false;
    }

    // Rejected by the request.
    if (!add("not_rejected", rejected_matches.empty(), [&] {
          if (rejected_matches.empty()) {
            return std::string("not among the request's rejected papers");
          }
          std::vector<std::string> typed;
          typed.reserve(rejected_matches.size());
          for (const PaperIdentitySet::Match& match : rejected_matches) {
            typed.push_back(
                absl::StrCat("\"", match.typed, "\" (same ", match.by, ")"));
          }
          return absl::StrCat("rejected in the request as ",
                              absl::StrJoin(typed, ", "));
        })) {
      return false;
    }

    if (!rules.conflicts().empty()) {
      std::vector<std::string> hits;
      for (const std::string& author : paper.authors()) {
        if (conflict_keys.count(PersonKey(author))) hits.push_back(author);
      }
      if (!add("no_conflict", hits.empty(), [&] {
            return hits.empty()
                       ? absl::StrCat("no author among the conflicts (",
                                      absl::StrJoin(rules.conflicts(), ", "),
                                      ")")
                       : absl::StrCat("author ", absl::StrJoin(hits, ", "),
                                      " is a listed conflict");
          })) {
        return false;
      }
    }
    if (rules.min_abstract_chars() > 0) {
      const size_t length = utf8::Decode(paper.abstract()).size();
      const bool long_enough =
          length >= static_cast<size_t>(rules.min_abstract_chars());
      if (!add("abstract_length", long_enough, [&] {
            return absl::StrCat("abstract of ", length,
                                " characters; at least ",
                                rules.min_abstract_chars(), " required");
          })) {
        return false;
      }
    }
    if (taken != nullptr) {
      auto it = taken->find(paper.id());
      if (!add("not_suggested", it == taken->end(), [&] {
            return it == taken->end()
                       ? std::string(
                             "not suggested for an earlier date of this "
                             "answer")
                       : absl::StrCat("already suggested for ", it->second,
                                      " in this answer");
          })) {
        return false;
      }
    }
    return all_passed;
  }

  // FormatIsoDate of the last date asked, kept: Evaluate runs for every
  // candidate on the same date.
  const std::string& IsoDate(absl::CivilDay date) const {
    if (iso_day_ != date || iso_.empty()) {
      iso_day_ = date;
      iso_ = FormatIsoDate(date);
    }
    return iso_;
  }
  mutable absl::CivilDay iso_day_;
  mutable std::string iso_;

  // What describes a session: its paper, its record and its summaries.
  std::vector<Xapian::docid> DocumentsOf(const v1::Session& session) const {
    std::vector<Xapian::docid> docs;
    if (auto docid = FindDocid(db, schema::kTypeSession, session.id())) {
      docs.push_back(*docid);
    }
    if (!session.paper().paper_id().empty()) {
      if (auto docid =
              FindDocid(db, schema::kTypePaper, session.paper().paper_id())) {
        docs.push_back(*docid);
      }
    }
    for (const Xapian::Document& doc :
         DocumentsWithTerm(db, schema::kTypeSummary,
                           schema::Term(schema::kSessionLink, session.id()))) {
      docs.push_back(DocidIn(db, doc));
    }
    return docs;
  }

  InterestProfile ProfileOf(const std::vector<v1::Session>& sessions,
                            absl::CivilDay date) const {
    std::vector<InterestSource> sources;
    for (const auto& [session, day] : PaperSessionsBefore(sessions, date)) {
      InterestSource& source = sources.emplace_back();
      source.documents = DocumentsOf(*session);
      source.weight = RecencyWeight(day, date);
      source.label = session->id();
    }
    return InterestProfile::Build(content, std::move(sources), kProfileTerms);
  }

  // Paper sessions before `date`, in any group, that one of `presenters`
  // took part in.
  absl::StatusOr<std::vector<v1::Session>> SessionsOfPresenters(
      const std::vector<v1::Presenter>& presenters) const {
    std::vector<v1::Session> sessions;
    std::set<std::string> seen;
    for (const v1::Presenter& presenter : presenters) {
      const std::string person = presenter.person_id().empty()
                                     ? PersonKey(presenter.name())
                                     : presenter.person_id();
      if (person.empty()) continue;
      for (const Xapian::Document& doc :
           DocumentsWithTerm(db, schema::kTypeSession,
                             schema::Term(schema::kPerson, person))) {
        LECTERN_ASSIGN_OR_RETURN(v1::Session session,
                                 DecodeRecord<v1::Session>(doc));
        if (seen.insert(session.id()).second)
          sessions.push_back(std::move(session));
      }
    }
    return sessions;
  }

  // The catalog paper `text` names: its id, its title (punctuation and case
  // aside), or else the best match for the words as a query over papers.
  absl::StatusOr<CatalogPaper> FindPaper(absl::string_view text) const {
    LECTERN_ASSIGN_OR_RETURN(const std::optional<Xapian::Document> doc,
                             FindPaperDocument(db, *query_builder, text));
    if (!doc) {
      return absl::NotFoundError(
          absl::StrCat("explain: no catalog paper matches \"", text,
                       "\" (give a paper id, a title, or words from one)"));
    }
    CatalogPaper paper;
    paper.docid = DocidIn(db, *doc);
    LECTERN_ASSIGN_OR_RETURN(paper.record, cache->Paper(paper.docid, *doc));
    paper.published = Published(paper.paper());
    return paper;
  }

  struct DateRanking {
    std::vector<Ranked> order;  // by relevance, best first
    InterestProfile interest;
    InterestProfile presenter;
    Xapian::Query topic;
    double interest_weight = 0, topic_weight = 0, presenter_weight = 0,
           freshness_weight = 0;
    // How old (months) the group's past papers were when it read them, on
    // average; 0 when it has no such history.
    double usual_age_months = 0;
    // Presenters whose history was used.
    std::vector<std::string> presenter_names;
  };

  // Ranks `eligible` (indexes into `papers`) for `date`.
  absl::StatusOr<DateRanking> Rank(const std::vector<size_t>& eligible,
                                   absl::CivilDay date,
                                   const std::vector<v1::Presenter>& presenters,
                                   const Xapian::Query& topic) const {
    DateRanking ranking;
    ranking.interest = ProfileOf(own, date);
    if (!presenters.empty()) {
      LECTERN_ASSIGN_OR_RETURN(std::vector<v1::Session> history,
                               SessionsOfPresenters(presenters));
      ranking.presenter = ProfileOf(history, date);
      if (!ranking.presenter.empty()) {
        for (const v1::Presenter& p : presenters) {
          ranking.presenter_names.push_back(p.name());
        }
      }
    }
    ranking.topic = topic;

    // Freshness: groups read papers of about the age they usually read.
    double age_sum = 0;
    int aged = 0;
    for (const auto& [session, day] : PaperSessionsBefore(own, date)) {
      const std::optional<PublicationDate> published =
          PublicationDateOf(session->paper().venue(), session->paper().year(),
                            rules.venue_months());
      if (!published) continue;
      age_sum += std::max(0, MonthsBetween(published->day, day));
      ++aged;
    }
    if (aged > 0) ranking.usual_age_months = age_sum / aged;

    std::unordered_set<Xapian::docid> docids;
    for (size_t i : eligible) docids.insert(papers[i].docid);
    auto normalized = [&](const Xapian::Query& query) {
      auto scores = ScoreCandidates(db, query, docids);
      double best = 0;
      for (const auto& [docid, score] : scores) best = std::max(best, score);
      if (best > 0) {
        for (auto& [docid, score] : scores) score /= best;
      }
      return scores;
    };
    const auto interest = ranking.interest.empty()
                              ? std::unordered_map<Xapian::docid, double>()
                              : normalized(ranking.interest.Query());
    const auto by_topic = topic.empty()
                              ? std::unordered_map<Xapian::docid, double>()
                              : normalized(topic);
    const auto by_presenter = ranking.presenter.empty()
                                  ? std::unordered_map<Xapian::docid, double>()
                                  : normalized(ranking.presenter.Query());
    ranking.interest_weight = ranking.interest.empty() ? 0 : kInterestWeight;
    ranking.topic_weight = topic.empty() ? 0 : kTopicWeight;
    ranking.presenter_weight = ranking.presenter.empty() ? 0 : kPresenterWeight;
    ranking.freshness_weight = aged == 0 ? 0 : kFreshnessWeight;
    const double total = ranking.interest_weight + ranking.topic_weight +
                         ranking.presenter_weight + ranking.freshness_weight;
    if (total > 0) {
      ranking.interest_weight /= total;
      ranking.topic_weight /= total;
      ranking.presenter_weight /= total;
      ranking.freshness_weight /= total;
    }
    const double scale =
        std::max(kMinFreshnessMonths, ranking.usual_age_months);
    auto score_of = [](const std::unordered_map<Xapian::docid, double>& scores,
                       Xapian::docid docid) {
      auto it = scores.find(docid);
      return it == scores.end() ? 0.0 : it->second;
    };
    for (size_t i : eligible) {
      Ranked& r = ranking.order.emplace_back();
      r.paper = i;
      r.interest = score_of(interest, papers[i].docid);
      r.topic = score_of(by_topic, papers[i].docid);
      r.presenter = score_of(by_presenter, papers[i].docid);
      if (papers[i].published) {
        r.age_months =
            std::max(0, MonthsBetween(papers[i].published->day, date));
        r.freshness = std::exp(-r.age_months / scale);
      }
      r.relevance = ranking.interest_weight * r.interest +
                    ranking.topic_weight * r.topic +
                    ranking.presenter_weight * r.presenter +
                    ranking.freshness_weight * r.freshness;
    }
    // Ties (no history, no topic) go to the newest paper, then the id.
    std::sort(ranking.order.begin(), ranking.order.end(),
              [&](const Ranked& a, const Ranked& b) {
                if (a.relevance != b.relevance)
                  return a.relevance > b.relevance;
                const auto& pa = papers[a.paper];
                const auto& pb = papers[b.paper];
                const absl::CivilDay da =
                    pa.published ? pa.published->day : absl::CivilDay(1);
                const absl::CivilDay db_ =
                    pb.published ? pb.published->day : absl::CivilDay(1);
                if (da != db_) return da > db_;
                return pa.paper().id() < pb.paper().id();
              });
    return ranking;
  }

  // The slots a request asks for, each with the presenters the schedule
  // gives it: every open date when `dates` is empty.
  absl::StatusOr<std::vector<OpenSlot>> SlotsFor(
      const google::protobuf::RepeatedPtrField<std::string>& dates) const {
    LECTERN_ASSIGN_OR_RETURN(
        std::vector<OpenSlot> open,
        FindOpenSlots(own, group.cadence(), std::nullopt, std::nullopt));
    std::vector<OpenSlot> slots;
    if (dates.empty()) {
      slots = open;
    } else {
      std::set<absl::CivilDay> wanted;
      for (const std::string& text : dates) {
        const std::optional<absl::CivilDay> day = ParseIsoDate(text);
        if (!day) {
          return absl::InvalidArgumentError(
              absl::StrCat("dates: expected YYYY-MM-DD, got '", text, "'"));
        }
        wanted.insert(*day);
      }
      for (absl::CivilDay day : wanted) {
        auto listed =
            std::find_if(open.begin(), open.end(),
                         [&](const OpenSlot& s) { return s.date == day; });
        if (listed != open.end()) {
          slots.push_back(*listed);
          continue;
        }
        const std::string iso = FormatIsoDate(day);
        for (const v1::Session& session : own) {
          if (session.date() == iso &&
              session.kind() == v1::SESSION_KIND_PAPER) {
            return absl::FailedPreconditionError(
                absl::StrCat(iso, " already has a paper on ", group.id(),
                             "'s schedule: ", Quote(session.title()),
                             "; ask for an open date (lectern "
                             "open-dates ",
                             group.id(), ")"));
          }
        }
        OpenSlot& slot = slots.emplace_back();
        slot.date = day;
      }
    }
    return slots;
  }

  // One paper judged for one date: every rule and, when it is eligible,
  // its rank in `ranking`.
  v1::PaperExplanation Explain(const CatalogPaper& paper, absl::CivilDay date,
                               const PaperIdentitySet& presented,
                               const PaperIdentitySet& rejected,
                               size_t eligible_count,
                               const DateRanking& ranking,
                               std::set<std::string>* typed_matches) const {
    const std::string iso = FormatIsoDate(date);
    v1::PaperExplanation out;
    out.set_date(iso);
    *out.mutable_paper() = paper.paper();
    const std::vector<v1::RuleCheck> rules =
        Check(paper, date, presented, rejected, nullptr, typed_matches);
    for (const v1::RuleCheck& rule : rules) *out.add_rules() = rule;
    out.set_eligible(AllPassed(rules));
    out.set_eligible_count(static_cast<int>(eligible_count));
    if (out.eligible()) {
      for (size_t r = 0; r < ranking.order.size(); ++r) {
        if (papers[ranking.order[r].paper].paper().id() == paper.paper().id()) {
          out.set_rank(static_cast<int>(r + 1));
        }
      }
      out.set_explanation(absl::StrCat(
          PaperLabel(paper.paper()), " is eligible for ", iso, " and ranks ",
          out.rank(), " of ", eligible_count, " by relevance."));
    } else {
      std::vector<std::string> failed;
      for (const v1::RuleCheck& rule : rules) {
        if (!rule.passed()) {
          failed.push_back(absl::StrCat(rule.rule(), ": ", rule.detail()));
        }
      }
      out.set_explanation(absl::StrCat(PaperLabel(paper.paper()),
                                       " is not eligible for ", iso, ". ",
                                       absl::StrJoin(failed, ". "), "."));
    }
    return out;
  }

  // "Ranks: ..." of a candidate's explanation.
  static std::string WhyItRanks(const Ranked& r, const DateRanking& ranking,
                                const v1::RankReason& reason,
                                const std::vector<std::string>& session_titles,
                                bool has_presenters,
                                const std::string& similar_title) {
    std::string why;
    if (ranking.interest_weight > 0) {
      why = absl::StrFormat("interest %.2f", r.interest);
      if (reason.matched_terms_size() > 0) {
        absl::StrAppend(&why, " (", absl::StrJoin(reason.matched_terms(), ", "),
                        ")");
      }
      if (!session_titles.empty()) {
        absl::StrAppend(&why, ", like ",
                        absl::StrJoin(session_titles, " and "));
      }
    } else {
      why = "no past sessions before this date to learn from";
    }
    if (ranking.topic_weight > 0) {
      absl::StrAppend(&why, absl::StrFormat("; topic %.2f", r.topic));
      if (reason.topic_terms_size() > 0) {
        absl::StrAppend(&why, " (", absl::StrJoin(reason.topic_terms(), ", "),
                        ")");
      }
    }
    if (ranking.presenter_weight > 0) {
      absl::StrAppend(
          &why, absl::StrFormat("; presenter %s's history %.2f",
                                absl::StrJoin(ranking.presenter_names, ", "),
                                r.presenter));
    } else if (has_presenters) {
      absl::StrAppend(&why, "; the presenter has no earlier paper sessions");
    }
    if (ranking.freshness_weight > 0) {
      absl::StrAppend(&why,
                      absl::StrFormat("; freshness %.2f (%d month%s old; this "
                                      "group's papers were %.0f months old on "
                                      "average when read)",
                                      r.freshness, r.age_months,
                                      r.age_months == 1 ? "" : "s",
                                      ranking.usual_age_months));
    }
    absl::StrAppend(&why,
                    absl::StrFormat("; relevance %.3f, rank %d by relevance",
                                    r.relevance, reason.relevance_rank()));
    if (reason.diversity_penalty() > 0) {
      absl::StrAppend(&why, absl::StrFormat("; diversity -%.3f (similar to %s)",
                                            reason.diversity_penalty(),
                                            Quote(similar_title)));
    }
    return why;
  }

  // A paper as term vectors, and the session that presented it.
  struct PresentedVector {
    const v1::Session* session;
    TermVector vector;
  };
  // Every presented paper of the group and its siblings: its catalog
  // paper's vector, or its session record's when it is not in the catalog.
  std::vector<PresentedVector> PresentedVectors() const {
    std::vector<PresentedVector> vectors;
    for (const v1::Session& session : with_papers) {
      std::vector<Xapian::docid> docs;
      const std::string& paper_id = session.paper().paper_id();
      if (auto paper = paper_id.empty()
                           ? std::nullopt
                           : FindDocid(db, schema::kTypePaper, paper_id)) {
        docs.push_back(*paper);
      } else if (auto record =
                     FindDocid(db, schema::kTypeSession, session.id())) {
        docs.push_back(*record);
      }
      vectors.push_back({&session, CombinedTermVector(content, docs)});
    }
    return vectors;
  }

  // One picked paper as a Candidate: its rules, score parts, nearest
  // presented paper and explanation. `vectors` are the pool's, in
  // `ranking.order`.
  void FillCandidate(const DiversePick& pick, const DateRanking& ranking,
                     const std::vector<TermVector>& vectors,
                     const std::vector<v1::RuleCheck>& checks,
                     const std::vector<PresentedVector>& presented_vectors,
                     const Xapian::Query& topic, bool has_presenters,
                     v1::Candidate* candidate) const {
    const Ranked& r = ranking.order[pick.index];
    const CatalogPaper& paper = papers[r.paper];
    *candidate->mutable_paper() = paper.paper();
    candidate->set_score(pick.score);
    for (const v1::RuleCheck& rule : checks) *candidate->add_rules() = rule;

    v1::RankReason* reason = candidate->mutable_ranking();
    reason->set_interest(r.interest);
    reason->set_topic(r.topic);
    reason->set_presenter(r.presenter);
    reason->set_freshness(r.freshness);
    reason->set_interest_weight(ranking.interest_weight);
    reason->set_topic_weight(ranking.topic_weight);
    reason->set_presenter_weight(ranking.presenter_weight);
    reason->set_freshness_weight(ranking.freshness_weight);
    reason->set_relevance_rank(static_cast<int>(pick.index + 1));
    const std::vector<const ProfileTerm*> matched =
        ranking.interest.TermsIn(content, paper.docid);
    for (size_t t = 0; t < matched.size() && t < kReasonTerms; ++t) {
      reason->add_matched_terms(matched[t]->word);
    }
    std::vector<std::string> session_titles;
    for (size_t source :
         ranking.interest.SourcesSharing(matched, kReasonSessions)) {
      const std::string& id = ranking.interest.sources()[source].label;
      reason->add_matched_sessions(id);
      for (const v1::Session& s : own) {
        if (s.id() == id) {
          session_titles.push_back(
              absl::StrCat(Quote(s.title()), " (", s.date(), ")"));
        }
      }
    }
    if (!topic.empty()) {
      for (const std::string& term : MatchingTerms(db, topic, paper.docid)) {
        reason->add_topic_terms(term[0] == 'Z' ? term.substr(1) : term);
      }
    }
    std::string similar_title;
    if (pick.similar_to != SIZE_MAX) {
      const v1::Paper& similar =
          papers[ranking.order[pick.similar_to].paper].paper();
      reason->set_diversity_penalty(kDiversityWeight * pick.similarity);
      reason->set_similar_to(similar.id());
      similar_title = similar.title();
    }

    // The nearest already-presented paper.
    const v1::Session* nearest = nullptr;
    double nearest_similarity = 0;
    for (const PresentedVector& p : presented_vectors) {
      const double s = Cosine(vectors[pick.index], p.vector);
      if (s > nearest_similarity) {
        nearest_similarity = s;
        nearest = p.session;
      }
    }
    if (nearest != nullptr) {
      candidate->set_nearest_presented(absl::StrFormat(
          "%s, presented by %s on %s, is the closest already-presented "
          "paper (similarity %.2f); not a repeat: catalog id, DOI, URL and "
          "title all differ",
          Quote(nearest->title()), nearest->group(), nearest->date(),
          nearest_similarity));
    }

    // The explanation, for people.
    std::vector<std::string> passed;
    passed.reserve(checks.size());
    for (const v1::RuleCheck& rule : checks) passed.push_back(rule.detail());
    const std::string nearest_text =
        candidate->nearest_presented().empty()
            ? ""
            : absl::StrCat(" Nearest: ", candidate->nearest_presented(), ".");
    candidate->set_explanation(
        absl::StrCat("Qualifies: ", absl::StrJoin(passed, "; "), ".",
                     nearest_text, "\nRanks: ",
                     WhyItRanks(r, ranking, *reason, session_titles,
                                has_presenters, similar_title),
                     "."));
  }
};

SuggestCache::SuggestCache() = default;
SuggestCache::~SuggestCache() = default;

void SuggestCache::Refresh(const Xapian::Database& db) {
  // Bounds: a few groups' candidates and histories fit many times over.
  constexpr size_t kMaxPapers = 50000;
  constexpr size_t kMaxDocuments = 20000;
  if (db_ == &db && content_ && !stale_ && papers_.size() <= kMaxPapers &&
      content_->size() <= kMaxDocuments) {
    return;
  }
  db_ = &db;
  stale_ = false;
  papers_.clear();
  content_ = std::make_unique<ContentTerms>(db);
}

absl::StatusOr<std::shared_ptr<const v1::Paper>> SuggestCache::Paper(
    Xapian::docid docid, const Xapian::Document& doc) {
  auto [cached, inserted] = papers_.try_emplace(docid);
  if (inserted) {
    absl::StatusOr<v1::Paper> paper = DecodeRecord<v1::Paper>(doc);
    if (!paper.ok()) {
      papers_.erase(cached);
      return paper.status();
    }
    cached->second = std::make_shared<const v1::Paper>(*std::move(paper));
  }
  return cached->second;
}

Suggester::Suggester(const Xapian::Database& db, QueryBuilder* query_builder,
                     SuggestCache* cache)
    : db_(db), query_builder_(query_builder), cache_(cache) {}

absl::StatusOr<v1::ListOpenDatesResponse> Suggester::ListOpenDates(
    const v1::ListOpenDatesRequest& request) {
  std::optional<absl::CivilDay> from, until;
  if (!request.from().empty()) {
    from = ParseIsoDate(request.from());
    if (!from) {
      return absl::InvalidArgumentError(absl::StrCat(
          "from: expected a date YYYY-MM-DD, got '", request.from(), "'"));
    }
  }
  if (!request.until().empty()) {
    until = ParseIsoDate(request.until());
    if (!until) {
      return absl::InvalidArgumentError(absl::StrCat(
          "until: expected a date YYYY-MM-DD, got '", request.until(), "'"));
    }
  }
  if (from && until && *from > *until) {
    return absl::InvalidArgumentError(absl::StrCat(
        "from ", request.from(), " is after until ", request.until()));
  }
  LECTERN_ASSIGN_OR_RETURN(v1::Group group, ReadGroup(db_, request.group()));
  LECTERN_ASSIGN_OR_RETURN(std::vector<v1::Session> sessions,
                           SessionsOfGroup(db_, group.id()));
  LECTERN_ASSIGN_OR_RETURN(
      std::vector<OpenSlot> slots,
      FindOpenSlots(sessions, group.cadence(), from, until));
  v1::ListOpenDatesResponse response;
  for (OpenSlot& slot : slots) {
    v1::OpenDate* open = response.add_open_dates();
    open->set_date(FormatIsoDate(slot.date));
    for (v1::Presenter& presenter : slot.presenters) {
      *open->add_presenters() = std::move(presenter);
    }
    open->set_listed(slot.listed);
    if (slot.listed) *open->mutable_source() = slot.source;
  }
  return response;
}

absl::StatusOr<v1::SuggestResponse> Suggester::Suggest(
    const v1::SuggestRequest& request, absl::Time deadline) {
  if (request.count() < 0 || request.count() > kMaxSuggestCount) {
    return absl::InvalidArgumentError(
        absl::StrCat("count must be 1 to ", kMaxSuggestCount, " (0 for ",
                     kDefaultSuggestCount, "), not ", request.count()));
  }
  const size_t count =
      request.count() == 0 ? kDefaultSuggestCount : request.count();

  Impl impl(db_, query_builder_, cache_);
  LECTERN_RETURN_IF_ERROR(impl.Load(request.group(), request.narrow()));

  LECTERN_ASSIGN_OR_RETURN(const std::vector<OpenSlot> slots,
                           impl.SlotsFor(request.dates()));
  std::vector<absl::CivilDay> days;
  days.reserve(slots.size());
  for (const OpenSlot& slot : slots) days.push_back(slot.date);

  Xapian::Query topic;
  if (!request.topic().empty()) {
    LECTERN_ASSIGN_OR_RETURN(topic, query_builder_->Parse(request.topic()));
  }
  std::vector<v1::Presenter> request_presenters;
  if (!request.presenter().empty()) {
    v1::Presenter& presenter = request_presenters.emplace_back();
    presenter.set_name(request.presenter());
    presenter.set_person_id(PersonKey(request.presenter()));
  }

  LECTERN_RETURN_IF_ERROR(impl.LoadCandidates(days));
  const PaperIdentitySet presented = impl.Presented(std::nullopt);
  PaperIdentitySet rejected;
  for (const std::string& text : request.rejected()) rejected.AddTyped(text);
  std::set<std::string> matched_rejected;

  // The paper to explain, when asked.
  std::optional<CatalogPaper> explained;
  if (!request.explain().empty()) {
    LECTERN_ASSIGN_OR_RETURN(explained, impl.FindPaper(request.explain()));
  }

  // Presented papers as term vectors, for "nearest already presented".
  const std::vector<Impl::PresentedVector> presented_vectors =
      explained ? std::vector<Impl::PresentedVector>()
                : impl.PresentedVectors();

  v1::SuggestResponse response;
  std::map<std::string, std::string> taken;  // paper id → date
  const bool several = slots.size() > 1;
  for (const OpenSlot& slot : slots) {
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat("suggestions ran past the deadline after ",
                       response.dates_size(), " of ", slots.size(), " dates"));
    }
    const std::string iso = FormatIsoDate(slot.date);
    const std::vector<v1::Presenter>& presenters =
        request_presenters.empty() ? slot.presenters : request_presenters;

    std::vector<size_t> eligible;
    const std::map<std::string, std::string>* earlier =
        several && !explained ? &taken : nullptr;
    for (size_t i = 0; i < impl.papers.size(); ++i) {
      if (impl.Passes(impl.papers[i], slot.date, presented, rejected, earlier,
                      &matched_rejected)) {
        eligible.push_back(i);
      }
    }
    LECTERN_ASSIGN_OR_RETURN(Impl::DateRanking ranking,
                             impl.Rank(eligible, slot.date, presenters, topic));

    if (explained) {
      *response.add_explanations() =
          impl.Explain(*explained, slot.date, presented, rejected,
                       eligible.size(), ranking, &matched_rejected);
      continue;
    }

    v1::DateSuggestions* date_out = response.add_dates();
    date_out->set_date(iso);
    for (const v1::Presenter& p : slot.presenters)
      *date_out->add_presenters() = p;
    date_out->set_eligible(static_cast<int>(eligible.size()));

    // Maximal marginal relevance over the most relevant papers.
    const size_t pool_size =
        std::min(ranking.order.size(), std::max(kMinPool, kPoolFactor * count));
    std::vector<TermVector> vectors(pool_size);
    for (size_t k = 0; k < pool_size; ++k) {
      vectors[k] =
          TermVectorOf(impl.content, impl.papers[ranking.order[k].paper].docid);
    }
    std::vector<double> relevance(pool_size);
    for (size_t k = 0; k < pool_size; ++k) {
      relevance[k] = ranking.order[k].relevance;
    }
    for (const DiversePick& pick : MaximalMarginalRelevance(
             relevance, vectors, count, kDiversityWeight)) {
      const Ranked& r = ranking.order[pick.index];
      // The evidence of every rule, written for the picks only.
      const std::vector<v1::RuleCheck> checks =
          impl.Check(impl.papers[r.paper], slot.date, presented, rejected,
                     earlier, nullptr);
      impl.FillCandidate(pick, ranking, vectors, checks, presented_vectors,
                         topic, !presenters.empty(),
                         date_out->add_candidates());
      taken[impl.papers[r.paper].paper().id()] = iso;
    }
  }
  for (const std::string& text : request.rejected()) {
    const std::string stripped(absl::StripAsciiWhitespace(text));
    if (!stripped.empty() && !matched_rejected.count(stripped)) {
      response.add_unmatched_rejected(text);
    }
  }
  return response;
}

absl::StatusOr<std::vector<ReplayCase>> Suggester::Replay(
    absl::string_view group_id) {
  Impl impl(db_, query_builder_, cache_);
  LECTERN_RETURN_IF_ERROR(impl.Load(group_id, v1::SuggestionRules()));
  std::vector<absl::CivilDay> days;
  std::vector<const v1::Session*> chosen;
  for (const v1::Session& session : impl.own) {
    const std::optional<absl::CivilDay> day = ParseIsoDate(session.date());
    if (!day || session.kind() != v1::SESSION_KIND_PAPER ||
        session.paper().paper_id().empty()) {
      continue;
    }
    days.push_back(*day);
    chosen.push_back(&session);
  }
  LECTERN_RETURN_IF_ERROR(impl.LoadCandidates(days));
  const PaperIdentitySet no_rejections;

  std::vector<ReplayCase> cases;
  for (size_t c = 0; c < chosen.size(); ++c) {
    const v1::Session& session = *chosen[c];
    const absl::CivilDay day = days[c];
    // Only what was known before the date: earlier sessions of the group
    // and its siblings.
    const PaperIdentitySet presented = impl.Presented(day);
    ReplayCase& out = cases.emplace_back();
    out.session = session;
    std::vector<size_t> eligible;
    for (size_t i = 0; i < impl.papers.size(); ++i) {
      const std::vector<v1::RuleCheck> checks = impl.Check(
          impl.papers[i], day, presented, no_rejections, nullptr, nullptr);
      const bool is_target =
          impl.papers[i].paper().id() == session.paper().paper_id();
      if (AllPassed(checks)) {
        eligible.push_back(i);
        if (is_target) out.eligible = true;
      } else if (is_target) {
        out.reason = FirstFailure(checks);
      }
    }
    if (!out.eligible && out.reason.empty()) {
      out.reason = "the chosen paper is not in the catalog";
      // Outside even the coarse filter: check it on its own.
      absl::StatusOr<CatalogPaper> target =
          impl.FindPaper(session.paper().paper_id());
      if (target.ok()) {
        out.reason = FirstFailure(impl.Check(*target, day, presented,
                                             no_rejections, nullptr, nullptr));
      }
    }
    LECTERN_ASSIGN_OR_RETURN(
        Impl::DateRanking ranking,
        impl.Rank(eligible, day,
                  std::vector<v1::Presenter>(session.presenters().begin(),
                                             session.presenters().end()),
                  Xapian::Query()));
    for (const Ranked& r : ranking.order) {
      const CatalogPaper& paper = impl.papers[r.paper];
      ReplayCase::Scored& scored = out.papers.emplace_back();
      scored.paper_id = paper.paper().id();
      scored.relevance = r.relevance;
      scored.published =
          paper.published ? paper.published->day - absl::CivilDay(1970) : 0;
    }
  }
  return cases;
}

}  // namespace lectern
