#include "indexer/query.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "indexer/normalize.h"
#include "indexer/schema.h"
#include "indexer/status_macros.h"
#include "indexer/utf8.h"
#include "indexer/xapian_status.h"

namespace lectern {
namespace {

// Fields of free text: their values are words, stemmed and spell-checked.
constexpr std::pair<const char*, absl::string_view> kFreeTextFields[] = {
    {"title", schema::kTitle},
    {"author", schema::kAuthor},
    {"abstract", schema::kAbstract},
};
// The field SynonymTable::Rewrite leaves in queries ("syn:g3").
constexpr char kSynonymField[] = "syn";

constexpr unsigned kParseFlags =
    Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
    Xapian::QueryParser::FLAG_PURE_NOT | Xapian::QueryParser::FLAG_CJK_NGRAM;

// Lowercased words of `text`, split as the TermGenerator splits names.
std::vector<std::string> Words(absl::string_view text) {
  std::vector<std::string> words(1);
  for (char32_t cp : utf8::Decode(text)) {
    if (Xapian::Unicode::is_wordchar(cp)) {
      utf8::Append(Xapian::Unicode::tolower(cp), &words.back());
    } else if (!words.back().empty()) {
      words.emplace_back();
    }
  }
  if (words.back().empty()) words.pop_back();
  return words;
}

absl::Status RequireValue(absl::string_view field, const std::string& value) {
  if (absl::StripAsciiWhitespace(value).empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": expects a value"));
  }
  return absl::OkStatus();
}

// presenter:NAME matches the person's identity (any spelling: "XiangShen"
// finds "Xiang Shen") or the words of a name as a phrase ("zongqing").
// Sessions match by either; summaries carry identities only. With one
// role in `roles`, only a presenter who held it matches; none or both
// mean any role.
absl::StatusOr<Xapian::Query> PresenterQuery(absl::string_view value,
                                             const RoleSet& roles) {
  const std::vector<std::string> words = Words(value);
  if (words.empty()) {
    return absl::InvalidArgumentError("presenter: expects a name");
  }
  const RoleSet any_role = {v1::PRESENTER_ROLE_UNSPECIFIED};
  std::vector<Xapian::Query> alternatives;
  for (v1::PresenterRole role : roles.size() == 1 ? roles : any_role) {
    std::vector<Xapian::Query> terms;
    terms.reserve(words.size());
    for (const std::string& word : words) {
      terms.emplace_back(schema::Term(schema::NamePrefix(role), word));
    }
    alternatives.emplace_back(
        schema::Term(schema::PersonPrefix(role), PersonKey(value)));
    alternatives.push_back(terms.size() == 1
                               ? terms.front()
                               : Xapian::Query(Xapian::Query::OP_PHRASE,
                                               terms.begin(), terms.end(),
                                               terms.size()));
  }
  return Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(),
                       alternatives.end());
}

absl::StatusOr<v1::PresenterRole> ParseRole(absl::string_view field,
                                            absl::string_view value) {
  const std::string lower =
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(value));
  if (lower == "main" || lower == "presenter") return v1::PRESENTER_ROLE_MAIN;
  if (lower == "assist" || lower == "assistant") {
    return v1::PRESENTER_ROLE_ASSIST;
  }
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": expects main or assist, got '", value, "'"));
}

void AddRole(v1::PresenterRole role, RoleSet* roles) {
  if (std::find(roles->begin(), roles->end(), role) == roles->end()) {
    roles->push_back(role);
  }
}

Xapian::Query VenueQuery(absl::string_view value) {
  return Xapian::Query(
      schema::Term(schema::kVenue, VenueKey(CanonicalVenue(value).name)));
}

absl::StatusOr<int> ParseYear(absl::string_view field,
                              absl::string_view value) {
  const auto year = NormalizeYear(value);
  if (!year) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": expects a year like 2024, got '", value, "'"));
  }
  return *year;
}

// "20241015" for a valid "2024-10-15".
absl::StatusOr<std::string> ParseDate(absl::string_view field,
                                      absl::string_view value) {
  absl::CivilDay day;
  // YYYY-MM-DD exactly: dates sort as strings in their value slot, so a
  // five-digit year would sort before 2024.
  if (value.size() != 10 || !absl::ParseCivilTime(value, &day) ||
      absl::FormatCivilTime(day) != value) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": expects a date like 2024-10-15, got '", value, "'"));
  }
  return schema::DateValue(value);
}

// A value range on `slot` with either end open ("" for open).
Xapian::Query ValueRange(Xapian::valueno slot, const std::string& low,
                         const std::string& high) {
  if (low.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, high);
  if (high.empty()) {
    return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, low);
  }
  return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, low, high);
}

absl::StatusOr<Xapian::Query> YearRange(absl::string_view field, int from,
                                        int to) {
  if (from > 0 && to > 0 && from > to) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": range ", from, "..", to, " ends before it starts"));
  }
  return ValueRange(schema::kSlotYear,
                    from > 0 ? Xapian::sortable_serialise(from) : "",
                    to > 0 ? Xapian::sortable_serialise(to) : "");
}

absl::StatusOr<Xapian::Query> DateRange(absl::string_view field,
                                        absl::string_view from,
                                        absl::string_view to) {
  std::string low, high;
  if (!from.empty()) {
    LECTERN_ASSIGN_OR_RETURN(low, ParseDate(field, from));
  }
  if (!to.empty()) {
    LECTERN_ASSIGN_OR_RETURN(high, ParseDate(field, to));
  }
  if (!low.empty() && !high.empty() && low > high) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": range ", from, "..", to, " ends before it starts"));
  }
  return ValueRange(schema::kSlotDate, low, high);
}

// Field and range processors run inside QueryParser::parse_query. An
// exception thrown through it leaks the parser's state (Xapian 1.4.22:
// "year:abc" alone lost 288 bytes a query), so they note the first
// problem in a FieldErrors shared with their QueryBuilder and match
// nothing; QueryBuilder::Parse turns the note into InvalidArgument.
using FieldErrors = std::shared_ptr<std::string>;

Xapian::Query ValueOrNote(absl::StatusOr<Xapian::Query> query,
                          const FieldErrors& errors) {
  if (query.ok()) return *std::move(query);
  if (errors->empty()) *errors = std::string(query.status().message());
  return Xapian::Query::MatchNothing;
}

// `roles` are those the query's role: filters name, set before each parse.
class PresenterField : public Xapian::FieldProcessor {
 public:
  PresenterField(FieldErrors errors, std::shared_ptr<const RoleSet> roles)
      : errors_(std::move(errors)), roles_(std::move(roles)) {}
  Xapian::Query operator()(const std::string& value) override {
    return ValueOrNote(
        [&]() -> absl::StatusOr<Xapian::Query> {
          LECTERN_RETURN_IF_ERROR(RequireValue("presenter", value));
          return PresenterQuery(value, *roles_);
        }(),
        errors_);
  }

 private:
  FieldErrors errors_;
  std::shared_ptr<const RoleSet> roles_;
};

// role:main, role:assist: records whose presenters include that role.
class RoleField : public Xapian::FieldProcessor {
 public:
  explicit RoleField(FieldErrors errors) : errors_(std::move(errors)) {}
  Xapian::Query operator()(const std::string& value) override {
    return ValueOrNote(
        [&]() -> absl::StatusOr<Xapian::Query> {
          LECTERN_ASSIGN_OR_RETURN(const v1::PresenterRole role,
                                   ParseRole("role", value));
          return Xapian::Query(
              schema::Term(schema::kRole, schema::RoleName(role)));
        }(),
        errors_);
  }

 private:
  FieldErrors errors_;
};

class VenueField : public Xapian::FieldProcessor {
 public:
  explicit VenueField(FieldErrors errors) : errors_(std::move(errors)) {}
  Xapian::Query operator()(const std::string& value) override {
    return ValueOrNote(
        [&]() -> absl::StatusOr<Xapian::Query> {
          LECTERN_RETURN_IF_ERROR(RequireValue("venue", value));
          return VenueQuery(value);
        }(),
        errors_);
  }

 private:
  FieldErrors errors_;
};

class YearField : public Xapian::FieldProcessor {
 public:
  explicit YearField(FieldErrors errors) : errors_(std::move(errors)) {}
  Xapian::Query operator()(const std::string& value) override {
    return ValueOrNote(
        [&]() -> absl::StatusOr<Xapian::Query> {
          LECTERN_ASSIGN_OR_RETURN(const int year, ParseYear("year", value));
          return Xapian::Query(schema::Term(schema::kYear, absl::StrCat(year)));
        }(),
        errors_);
  }

 private:
  FieldErrors errors_;
};

class DateField : public Xapian::FieldProcessor {
 public:
  explicit DateField(FieldErrors errors) : errors_(std::move(errors)) {}
  Xapian::Query operator()(const std::string& value) override {
    return ValueOrNote(
        [&]() -> absl::StatusOr<Xapian::Query> {
          LECTERN_ASSIGN_OR_RETURN(const std::string date,
                                   ParseDate("date", value));
          return Xapian::Query(schema::Term(schema::kDate, date));
        }(),
        errors_);
  }

 private:
  FieldErrors errors_;
};

// "year:2023..2024", "year:2023..", "year:..2024".
class YearRangeProcessor : public Xapian::RangeProcessor {
 public:
  explicit YearRangeProcessor(FieldErrors errors)
      : RangeProcessor(schema::kSlotYear, "year:"),
        errors_(std::move(errors)) {}
  Xapian::Query operator()(const std::string& begin,
                           const std::string& end) override {
    return ValueOrNote(
        [&]() -> absl::StatusOr<Xapian::Query> {
          int from = 0, to = 0;
          if (!begin.empty()) {
            LECTERN_ASSIGN_OR_RETURN(from, ParseYear("year", begin));
          }
          if (!end.empty()) {
            LECTERN_ASSIGN_OR_RETURN(to, ParseYear("year", end));
          }
          return YearRange("year", from, to);
        }(),
        errors_);
  }

 private:
  FieldErrors errors_;
};

// "date:2024-09-01..2024-12-31", with either end open.
class DateRangeProcessor : public Xapian::RangeProcessor {
 public:
  explicit DateRangeProcessor(FieldErrors errors)
      : RangeProcessor(schema::kSlotDate, "date:"),
        errors_(std::move(errors)) {}
  Xapian::Query operator()(const std::string& begin,
                           const std::string& end) override {
    return ValueOrNote(DateRange("date", begin, end), errors_);
  }

 private:
  FieldErrors errors_;
};

// The words of a query split at whitespace, outside double quotes.
std::vector<std::string> QueryWords(absl::string_view text) {
  std::vector<std::string> words(1);
  bool quoted = false;
  for (char32_t cp : utf8::Decode(text)) {
    if (cp == '"' || cp == 0x201C || cp == 0x201D) quoted = !quoted;
    if (!quoted && Xapian::Unicode::is_whitespace(cp)) {
      if (!words.back().empty()) words.emplace_back();
    } else {
      utf8::Append(cp, &words.back());
    }
  }
  if (words.back().empty()) words.pop_back();
  return words;
}

// The roles the role: filters of a query name ("role:assist",
// "(role:main)"), ignoring negated ones: role:X narrows every presenter:
// of the query to role X. Values that are not roles are left to RoleField
// to report.
RoleSet QueryRoles(const std::vector<std::string>& words) {
  RoleSet roles;
  for (absl::string_view word : words) {
    while (!word.empty() && (word.front() == '(' || word.front() == '+')) {
      word.remove_prefix(1);
    }
    if (!absl::ConsumePrefix(&word, "role:")) continue;
    while (!word.empty() && (word.back() == ')' || word.back() == '"')) {
      word.remove_suffix(1);
    }
    absl::ConsumePrefix(&word, "\"");
    if (absl::StatusOr<v1::PresenterRole> role = ParseRole("role", word);
        role.ok()) {
      AddRole(*role, &roles);
    }
  }
  return roles;
}

// `text` without the field name "syn:" wherever a user typed it at the
// start of a term: the field is SynonymTable::Rewrite's, and Xapian
// 1.4.22's QueryParser dereferenced null on a phrase given to it after a
// negation ('-r -syn:"p', found by query_fuzzer). "syn:foo" reads as
// "foo", as SynonymField would read it. Quotes do not protect it: where a
// quote opens a phrase is Xapian's call (in 'venue:b"x -syn:/y' the quote
// belongs to the venue, and the field after it crashed the parser too).
std::string WithoutSynonymField(absl::string_view text) {
  const std::u32string chars = utf8::Decode(text);
  const std::u32string field = U"syn:";
  std::string out;
  for (size_t i = 0; i < chars.size(); ++i) {
    const char32_t cp = chars[i];
    const bool term_start =
        i == 0 || !Xapian::Unicode::is_wordchar(chars[i - 1]);
    if (term_start && chars.compare(i, field.size(), field) == 0) {
      i += field.size() - 1;
      continue;
    }
    utf8::Append(cp, &out);
  }
  return out;
}

// "NEAR", "ADJ", "NEAR/3", "ADJ/2".
bool IsProximityOperator(absl::string_view word) {
  if (word == "NEAR" || word == "ADJ") return true;
  return (absl::ConsumePrefix(&word, "NEAR/") ||
          absl::ConsumePrefix(&word, "ADJ/")) &&
         !word.empty() && absl::ascii_isdigit(word.front());
}

// Xapian 1.4.22's QueryParser leaks 96 bytes on every query in which a
// boolean operator is followed by NEAR/n or ADJ/n ("a AND NEAR/2 b"), a
// syntax error in any case: such queries are refused before they reach it.
absl::Status CheckProximityOperands(const std::vector<std::string>& words) {
  for (size_t i = 1; i < words.size(); ++i) {
    const std::string& before = words[i - 1];
    if ((before == "AND" || before == "OR" || before == "NOT" ||
         before == "XOR") &&
        IsProximityOperator(words[i]) &&
        words[i].find('/') != std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("malformed query: '", before, " ", words[i],
                       "': ", words[i].substr(0, words[i].find('/')),
                       " joins the words on either side of it"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

// "syn:gN" stands for synonym group N; anything else is looked up as a
// plain word, so a user who types "syn:foo" gets "foo".
class QueryBuilder::SynonymField : public Xapian::FieldProcessor {
 public:
  explicit SynonymField(const QueryBuilder* builder) : builder_(builder) {}
  Xapian::Query operator()(const std::string& value) override {
    size_t group = 0;
    if (value.size() > 1 && value[0] == 'g' &&
        absl::SimpleAtoi(absl::string_view(value).substr(1), &group) &&
        group < builder_->synonym_queries_.size()) {
      return builder_->synonym_queries_[group];
    }
    return Xapian::Query(absl::StrCat("Z", Xapian::Stem(schema::kStemLanguage)(
                                               absl::AsciiStrToLower(value))));
  }

 private:
  const QueryBuilder* builder_;
};

absl::StatusOr<std::vector<std::pair<v1::Facet, Xapian::Query>>> FilterQueries(
    const v1::SearchFilters& filters) {
  std::vector<std::pair<v1::Facet, Xapian::Query>> queries;
  auto any_of = [&](v1::Facet facet, std::vector<Xapian::Query> alternatives) {
    if (alternatives.empty()) return;
    queries.emplace_back(
        facet, Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(),
                             alternatives.end()));
  };
  std::vector<Xapian::Query> alternatives;
  for (const std::string& venue : filters.venues()) {
    if (absl::StripAsciiWhitespace(venue).empty()) {
      return absl::InvalidArgumentError("filters.venues: empty venue name");
    }
    alternatives.push_back(VenueQuery(venue));
  }
  any_of(v1::FACET_VENUE, std::move(alternatives));

  if (filters.year_from() != 0 || filters.year_to() != 0) {
    for (int year : {filters.year_from(), filters.year_to()}) {
      if (year < 0 || year > 9999) {
        return absl::InvalidArgumentError(absl::StrCat(
            "filters.year_from/year_to: expects a year like 2024, got ", year));
      }
    }
    LECTERN_ASSIGN_OR_RETURN(
        Xapian::Query range,
        YearRange("filters.year", filters.year_from(), filters.year_to()));
    queries.emplace_back(v1::FACET_YEAR, std::move(range));
  }
  if (!filters.date_from().empty() || !filters.date_to().empty()) {
    LECTERN_ASSIGN_OR_RETURN(
        Xapian::Query range,
        DateRange("filters.date", filters.date_from(), filters.date_to()));
    // Dates have no facet of their own; they filter every facet.
    queries.emplace_back(v1::FACET_UNSPECIFIED, std::move(range));
  }

  alternatives.clear();
  for (const std::string& group : filters.groups()) {
    if (group.empty()) {
      return absl::InvalidArgumentError("filters.groups: empty group id");
    }
    alternatives.emplace_back(schema::Term(schema::kGroup, group));
  }
  any_of(v1::FACET_GROUP, std::move(alternatives));

  alternatives.clear();
  for (int type : filters.types()) {
    absl::string_view name;
    switch (type) {
      case v1::DOCUMENT_TYPE_SESSION:
        name = schema::kTypeSession;
        break;
      case v1::DOCUMENT_TYPE_PAPER:
        name = schema::kTypePaper;
        break;
      case v1::DOCUMENT_TYPE_SUMMARY:
        name = schema::kTypeSummary;
        break;
      default:
        return absl::InvalidArgumentError(absl::StrCat(
            "filters.types: expects SESSION, PAPER or SUMMARY, got ", type));
    }
    alternatives.emplace_back(schema::Term(schema::kType, name));
  }
  any_of(v1::FACET_TYPE, std::move(alternatives));

  RoleSet roles;
  for (int role : filters.presenter_roles()) {
    if (role != v1::PRESENTER_ROLE_MAIN && role != v1::PRESENTER_ROLE_ASSIST) {
      return absl::InvalidArgumentError(absl::StrCat(
          "filters.presenter_roles: expects MAIN or ASSIST, got ", role));
    }
    AddRole(static_cast<v1::PresenterRole>(role), &roles);
  }
  alternatives.clear();
  for (const std::string& presenter : filters.presenters()) {
    absl::StatusOr<Xapian::Query> query = PresenterQuery(presenter, roles);
    if (!query.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("filters.presenters: ", query.status().message()));
    }
    alternatives.push_back(*std::move(query));
  }
  any_of(v1::FACET_PRESENTER, std::move(alternatives));
  if (filters.presenters().empty() && roles.size() == 1) {
    // Roles alone: records with a presenter in that role. Not a presenter
    // facet filter: the facet then counts the people who held it.
    queries.emplace_back(v1::FACET_UNSPECIFIED,
                         Xapian::Query(schema::Term(
                             schema::kRole, schema::RoleName(roles.front()))));
  }
  return queries;
}

bool HasFilters(const v1::SearchFilters& filters) {
  return filters.venues_size() > 0 || filters.year_from() != 0 ||
         filters.year_to() != 0 || !filters.date_from().empty() ||
         !filters.date_to().empty() || filters.groups_size() > 0 ||
         filters.types_size() > 0 || filters.presenters_size() > 0 ||
         filters.presenter_roles_size() > 0;
}

QueryBuilder::QueryBuilder(const Xapian::Database& db)
    : db_(&db),
      field_errors_(std::make_shared<std::string>()),
      query_roles_(std::make_shared<RoleSet>()) {
  parser_.set_database(db);
  parser_.set_stemmer(Xapian::Stem(schema::kStemLanguage));
  parser_.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  parser_.set_default_op(Xapian::Query::OP_OR);
  // "s*" would otherwise OR together every word starting with s.
  parser_.set_max_expansion(kMaxWildcardExpansion,
                            Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
  for (const auto& [field, prefix] : kFreeTextFields) {
    parser_.add_prefix(field, std::string(prefix));
  }
  parser_.add_boolean_prefix(
      "presenter",
      (new PresenterField(field_errors_, query_roles_))->release());
  parser_.add_boolean_prefix("role", (new RoleField(field_errors_))->release());
  parser_.add_boolean_prefix("venue",
                             (new VenueField(field_errors_))->release());
  parser_.add_boolean_prefix("year", (new YearField(field_errors_))->release());
  parser_.add_boolean_prefix("date", (new DateField(field_errors_))->release());
  parser_.add_rangeprocessor(
      (new YearRangeProcessor(field_errors_))->release());
  parser_.add_rangeprocessor(
      (new DateRangeProcessor(field_errors_))->release());
  parser_.add_prefix(kSynonymField, (new SynonymField(this))->release());
  parser_.add_boolean_prefix("group", std::string(schema::kGroup));
  parser_.add_boolean_prefix("type", std::string(schema::kType));
  parser_.add_boolean_prefix("kind", std::string(schema::kKind));
}

void QueryBuilder::Rebind(const Xapian::Database& db) {
  db_ = &db;
  parser_.set_database(db);
}

void QueryBuilder::SetSynonyms(SynonymTable synonyms) {
  synonyms_ = std::move(synonyms);
  synonym_queries_.clear();
  // Each phrase parsed as a user would type it: one word is stemmed, words
  // in quotes are a phrase (CJK as n-grams).
  Xapian::QueryParser plain;
  plain.set_stemmer(Xapian::Stem(schema::kStemLanguage));
  plain.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  for (const std::vector<std::string>& group : synonyms_.groups()) {
    std::vector<Xapian::Query> alternatives;
    for (const std::string& phrase : group) {
      const bool one_word =
          phrase.find(' ') == std::string::npos &&
          std::all_of(phrase.begin(), phrase.end(), [](char c) {
            return static_cast<unsigned char>(c) < 0x80;
          });
      try {
        Xapian::Query query = plain.parse_query(
            one_word ? phrase : absl::StrCat("\"", phrase, "\""),
            Xapian::QueryParser::FLAG_PHRASE |
                Xapian::QueryParser::FLAG_CJK_NGRAM);
        if (!query.empty()) alternatives.push_back(std::move(query));
      } catch (const Xapian::Error&) {
        // A phrase the parser cannot read matches nothing; the file's
        // checks keep query syntax out of phrases.
      }
    }
    synonym_queries_.emplace_back(Xapian::Query::OP_SYNONYM,
                                  alternatives.begin(), alternatives.end());
  }
}

std::string QueryBuilder::Correct(absl::string_view text) {
  if (text.size() > kMaxQueryBytes || !utf8::IsValid(text)) return "";
  // Xapian's own FLAG_SPELLING_CORRECTION also "corrects" words the index
  // holds but the spelling table leaves out (short ones like "kv", CJK and
  // mixed words like "μslope"), so words are checked against the terms
  // first. Field names, operators, wildcards and the values of the filter
  // fields are left alone.
  const std::u32string chars = utf8::Decode(text);
  std::string corrected;
  bool changed = false;
  size_t i = 0;
  while (i < chars.size()) {
    if (!Xapian::Unicode::is_wordchar(chars[i])) {
      utf8::Append(chars[i++], &corrected);
      continue;
    }
    const size_t start = i;
    bool ascii = true;
    std::string word;
    while (i < chars.size() && Xapian::Unicode::is_wordchar(chars[i])) {
      ascii &= chars[i] < 0x80;
      utf8::Append(chars[i++], &word);
    }
    const bool field_name = i < chars.size() && chars[i] == ':';
    const bool wildcard = i < chars.size() && chars[i] == '*';
    // The value of a filter field: "group:fall-2024", "venue:osdi".
    bool filter_value = false;
    for (size_t j = start; j > 0; --j) {
      const char32_t c = chars[j - 1];
      if (c == ' ' || c == '(' || c == '"') break;
      if (c == ':') {
        std::string field;
        size_t k = j - 1;
        while (k > 0 && Xapian::Unicode::is_wordchar(chars[k - 1])) --k;
        for (size_t m = k; m < j - 1; ++m) utf8::Append(chars[m], &field);
        filter_value =
            field != kSynonymField &&
            std::none_of(std::begin(kFreeTextFields), std::end(kFreeTextFields),
                         [&](const auto& free) { return field == free.first; });
        break;
      }
    }
    const std::string lower = absl::AsciiStrToLower(word);
    const bool is_operator = word == "AND" || word == "OR" || word == "NOT" ||
                             word == "XOR" || word == "NEAR" || word == "ADJ";
    if (!ascii || field_name || wildcard || filter_value || is_operator ||
        lower.size() < 3 || db_->term_exists(lower)) {
      corrected += word;
      continue;
    }
    const std::string suggestion = db_->get_spelling_suggestion(lower, 2);
    if (suggestion.empty() || suggestion == lower) {
      corrected += word;
      continue;
    }
    corrected += suggestion;
    changed = true;
  }
  return changed ? corrected : "";
}

absl::StatusOr<Xapian::Query> QueryBuilder::Parse(absl::string_view text) {
  if (text.size() > kMaxQueryBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "query is ", text.size(), " bytes; the limit is ", kMaxQueryBytes));
  }
  if (!utf8::IsValid(text)) {
    return absl::InvalidArgumentError("query is not valid UTF-8");
  }
  if (absl::StripAsciiWhitespace(text).empty()) {
    return absl::InvalidArgumentError("query is empty");
  }
  const std::string typed = WithoutSynonymField(text);
  const std::vector<std::string> words = QueryWords(typed);
  LECTERN_RETURN_IF_ERROR(CheckProximityOperands(words));
  // NEAR and ADJ take words, and a synonym is a group of phrases that
  // Xapian cannot put under them ("llm NEAR/3 gpu" threw UnimplementedError
  // from inside the parser, which leaks): such queries go without synonyms.
  const bool proximity = std::any_of(
      words.begin(), words.end(),
      [](const std::string& word) { return IsProximityOperator(word); });
  const std::string rewritten = synonyms_.empty() || proximity
                                    ? typed
                                    : synonyms_.Rewrite(typed, kSynonymField);
  *query_roles_ = QueryRoles(words);
  try {
    field_errors_->clear();
    Xapian::Query query = parser_.parse_query(rewritten, kParseFlags);
    if (!field_errors_->empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("malformed query: ", *field_errors_));
    }
    if (query.empty()) {
      return absl::InvalidArgumentError("query has no search terms");
    }
    return query;
  } catch (const Xapian::UnimplementedError& e) {
    // A query Xapian cannot run ("a* NEAR b" and the like) is the user's to
    // change, not an internal error.
    return absl::InvalidArgumentError(
        absl::StrCat("malformed query: ", e.get_msg()));
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, "malformed query");
  }
}

}  // namespace lectern
