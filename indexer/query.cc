#include "indexer/query.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "indexer/normalize.h"
#include "indexer/schema.h"
#include "indexer/utf8.h"
#include "indexer/xapian_status.h"

namespace lectern {
namespace {

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

void RequireValue(absl::string_view field, const std::string& value) {
  if (absl::StripAsciiWhitespace(value).empty()) {
    throw Xapian::QueryParserError(absl::StrCat(field, ": expects a value"));
  }
}

// presenter:NAME matches the person's identity (any spelling: "XiangShen"
// finds "Xiang Shen") or the words of a name as a phrase ("zongqing").
class PresenterField : public Xapian::FieldProcessor {
 public:
  Xapian::Query operator()(const std::string& value) override {
    RequireValue("presenter", value);
    const std::vector<std::string> words = Words(value);
    if (words.empty()) {
      throw Xapian::QueryParserError("presenter: expects a name");
    }
    std::vector<Xapian::Query> terms;
    for (const std::string& word : words) {
      terms.emplace_back(schema::Term(schema::kPresenterName, word));
    }
    Xapian::Query name =
        terms.size() == 1
            ? terms.front()
            : Xapian::Query(Xapian::Query::OP_PHRASE, terms.begin(),
                            terms.end(), terms.size());
    return Xapian::Query(
        Xapian::Query::OP_OR,
        Xapian::Query(schema::Term(schema::kPerson, PersonKey(value))), name);
  }
};

class VenueField : public Xapian::FieldProcessor {
 public:
  Xapian::Query operator()(const std::string& value) override {
    RequireValue("venue", value);
    return Xapian::Query(
        schema::Term(schema::kVenue, VenueKey(CanonicalVenue(value).name)));
  }
};

class YearField : public Xapian::FieldProcessor {
 public:
  Xapian::Query operator()(const std::string& value) override {
    const auto year = NormalizeYear(value);
    if (!year) {
      throw Xapian::QueryParserError(
          absl::StrCat("year: expects a year like 2024, got '", value, "'"));
    }
    return Xapian::Query(schema::Term(schema::kYear, absl::StrCat(*year)));
  }
};

}  // namespace

QueryBuilder::QueryBuilder(const Xapian::Database& db) {
  parser_.set_database(db);
  parser_.set_stemmer(Xapian::Stem(schema::kStemLanguage));
  parser_.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  parser_.set_default_op(Xapian::Query::OP_OR);
  parser_.add_prefix("title", std::string(schema::kTitle));
  parser_.add_prefix("author", std::string(schema::kAuthor));
  parser_.add_prefix("abstract", std::string(schema::kAbstract));
  parser_.add_boolean_prefix("presenter", (new PresenterField)->release());
  parser_.add_boolean_prefix("venue", (new VenueField)->release());
  parser_.add_boolean_prefix("year", (new YearField)->release());
  parser_.add_boolean_prefix("group", std::string(schema::kGroup));
  parser_.add_boolean_prefix("type", std::string(schema::kType));
  parser_.add_boolean_prefix("kind", std::string(schema::kKind));
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
  constexpr unsigned kFlags =
      Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
      Xapian::QueryParser::FLAG_PURE_NOT | Xapian::QueryParser::FLAG_CJK_NGRAM;
  try {
    Xapian::Query query = parser_.parse_query(std::string(text), kFlags);
    if (query.empty()) {
      return absl::InvalidArgumentError("query has no search terms");
    }
    return query;
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, "malformed query");
  }
}

}  // namespace lectern
