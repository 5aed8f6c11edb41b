// Search over a real index of the bundled data: one case per feature of the
// query language and of the response (fields, ranges, phrases, booleans,
// wildcards, Chinese, synonyms, spelling, paging, facets, sorting,
// collapse, structured filters, links). Expected documents are computed
// from the parsed corpus, not copied from a previous run.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "indexer/corpus.h"
#include "indexer/group_config.h"
#include "indexer/index_writer.h"
#include "indexer/normalize.h"
#include "indexer/searcher.h"
#include "tests/testing/bundled_index.h"
#include "tests/testing/paths.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace lectern {
namespace {

using ::lectern::testing::IsOk;
using ::lectern::testing::StatusIs;
using ::testing::Contains;
using ::testing::Ge;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

// Lowercased ASCII words of `text`.
std::set<std::string> WordsOf(const std::string& text) {
  std::set<std::string> words;
  for (absl::string_view word : absl::StrSplit(
           absl::AsciiStrToLower(text),
           absl::ByAnyChar(" \t\n,.:;!?()[]{}\"'/"), absl::SkipEmpty())) {
    words.emplace(word);
  }
  return words;
}

bool HasWord(const std::string& text, const std::string& word) {
  return WordsOf(text).count(word) > 0;
}

bool ContainsCi(const std::string& text, const std::string& part) {
  return absl::StrContains(absl::AsciiStrToLower(text),
                           absl::AsciiStrToLower(part));
}

class SearchCasesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    index_ = new testing::BundledIndex;
    ASSERT_NO_FATAL_FAILURE(index_->Build());
    corpus_ = &index_->corpus;
    ASSERT_FALSE(corpus_->synonyms.empty());
  }
  static void TearDownTestSuite() {
    delete index_;
    corpus_ = nullptr;
  }

  void SetUp() override {
    auto searcher = Searcher::Open(index_->path());
    ASSERT_THAT(searcher, IsOk());
    searcher_ = std::move(*searcher);
  }

  static v1::SearchRequest Query(const std::string& query,
                                 int page_size = kMaxPageSize) {
    v1::SearchRequest request;
    request.set_query(query);
    request.set_page_size(page_size);
    return request;
  }

  v1::SearchResponse Run(const v1::SearchRequest& request) {
    auto response = searcher_->Search(request);
    EXPECT_THAT(response, IsOk()) << request.ShortDebugString();
    return response.ok() ? *std::move(response) : v1::SearchResponse{};
  }

  // Every hit of `request`, following next_page_token to the end.
  std::vector<v1::SearchHit> All(v1::SearchRequest request) {
    std::vector<v1::SearchHit> hits;
    for (int pages = 0; pages < 1000; ++pages) {
      const v1::SearchResponse page = Run(request);
      hits.insert(hits.end(), page.hits().begin(), page.hits().end());
      if (page.next_page_token().empty()) break;
      request.set_page_token(page.next_page_token());
    }
    return hits;
  }

  std::set<std::string> Ids(const v1::SearchRequest& request) {
    std::set<std::string> ids;
    for (const v1::SearchHit& hit : All(request)) ids.insert(hit.id());
    return ids;
  }

  template <typename Predicate>
  static std::set<std::string> SessionIds(Predicate predicate) {
    std::set<std::string> ids;
    for (const v1::Session& session : corpus_->sessions) {
      if (predicate(session)) ids.insert(session.id());
    }
    return ids;
  }

  template <typename Predicate>
  static std::set<std::string> PaperIds(Predicate predicate) {
    std::set<std::string> ids;
    for (const v1::Paper& paper : corpus_->papers) {
      if (predicate(paper)) ids.insert(paper.id());
    }
    return ids;
  }

  static const v1::Session* SessionById(const std::string& id) {
    for (const v1::Session& session : corpus_->sessions) {
      if (session.id() == id) return &session;
    }
    return nullptr;
  }

  static bool Presented(const v1::Session& session, const std::string& name) {
    for (const v1::Presenter& presenter : session.presenters()) {
      if (presenter.person_id() == PersonKey(name)) return true;
    }
    return false;
  }

  // The venue a hit is filed under: its paper's, its session's paper's.
  static std::string VenueOf(const v1::SearchHit& hit) {
    switch (hit.type()) {
      case v1::DOCUMENT_TYPE_PAPER:
        return hit.paper().venue();
      case v1::DOCUMENT_TYPE_SESSION:
        return hit.session().paper().venue();
      default:
        return hit.linked_sessions().empty()
                   ? ""
                   : hit.linked_sessions(0).paper().venue();
    }
  }

  static testing::BundledIndex* index_;
  static const Corpus* corpus_;
  std::unique_ptr<Searcher> searcher_;
};

testing::BundledIndex* SearchCasesTest::index_ = nullptr;
const Corpus* SearchCasesTest::corpus_ = nullptr;

// --- Fields ---

TEST_F(SearchCasesTest, TitleFieldMatchesTitleWordsOnly) {
  const auto expected = SessionIds(
      [](const v1::Session& s) { return HasWord(s.title(), "cache"); });
  ASSERT_THAT(expected, SizeIs(Ge(2u)));
  EXPECT_EQ(Ids(Query("type:session title:cache")), expected);
}

TEST_F(SearchCasesTest, PresenterFieldMatchesSessionsAndTheirSummaries) {
  const auto sessions = SessionIds(
      [](const v1::Session& s) { return Presented(s, "Zongqing Wei"); });
  ASSERT_THAT(sessions, SizeIs(Ge(3u)));
  std::set<std::string> expected = sessions;
  for (const v1::Summary& summary : corpus_->summaries) {
    if (sessions.count(summary.session_id())) expected.insert(summary.id());
  }
  EXPECT_EQ(Ids(Query("presenter:\"zongqing wei\"")), expected);
}

TEST_F(SearchCasesTest, AuthorFieldMatchesPaperAuthors) {
  const auto expected = PaperIds([](const v1::Paper& p) {
    return std::find(p.authors().begin(), p.authors().end(), "Haibo Chen") !=
           p.authors().end();
  });
  ASSERT_THAT(expected, SizeIs(Ge(2u)));
  const auto hits = All(Query("author:\"Haibo Chen\""));
  std::set<std::string> ids;
  for (const v1::SearchHit& hit : hits) {
    ids.insert(hit.id());
    EXPECT_EQ(hit.snippet_field(), "authors") << hit.id();
    EXPECT_THAT(hit.snippet(), HasSubstr("<mark>Haibo</mark>"));
  }
  EXPECT_EQ(ids, expected);
}

TEST_F(SearchCasesTest, AbstractFieldMatchesAbstractPhrase) {
  const auto hits = All(Query("abstract:\"persistent memory\""));
  ASSERT_THAT(hits, Not(IsEmpty()));
  for (const v1::SearchHit& hit : hits) {
    EXPECT_EQ(hit.type(), v1::DOCUMENT_TYPE_PAPER);
    EXPECT_TRUE(ContainsCi(
        absl::StrReplaceAll(hit.paper().abstract(), {{"-", " "}, {"\n", " "}}),
        "persistent memory"))
        << hit.id();
  }
}

TEST_F(SearchCasesTest, VenueFieldTakesAnySpelling) {
  const auto expected = SessionIds(
      [](const v1::Session& s) { return s.paper().venue() == "USENIX ATC"; });
  ASSERT_THAT(expected, Not(IsEmpty()));
  EXPECT_EQ(Ids(Query("type:session venue:atc")), expected);
  EXPECT_EQ(Ids(Query("type:session venue:\"usenix atc\"")), expected);
}

TEST_F(SearchCasesTest, VenueAndYearFieldsCombine) {
  const auto expected = PaperIds([](const v1::Paper& p) {
    return p.venue() == "OSDI" && p.year() == 2024;
  });
  ASSERT_THAT(expected, SizeIs(Ge(10u)));
  EXPECT_EQ(Ids(Query("type:paper venue:osdi year:2024")), expected);
}

TEST_F(SearchCasesTest, GroupAndTypeFields) {
  EXPECT_EQ(Ids(Query("type:session group:paper-list-2024")),
            SessionIds([](const v1::Session& s) {
              return s.group() == "paper-list-2024";
            }));
  std::set<std::string> summaries;
  for (const v1::Summary& summary : corpus_->summaries) {
    summaries.insert(summary.id());
  }
  EXPECT_EQ(Ids(Query("type:summary")), summaries);
}

TEST_F(SearchCasesTest, KindFieldFindsOpenSlots) {
  const auto expected = SessionIds(
      [](const v1::Session& s) { return s.kind() == v1::SESSION_KIND_OPEN; });
  ASSERT_THAT(expected, SizeIs(Ge(4u)));
  EXPECT_EQ(Ids(Query("kind:open")), expected);
}

// --- Ranges ---

TEST_F(SearchCasesTest, YearRangeIsInclusive) {
  const auto expected = PaperIds(
      [](const v1::Paper& p) { return p.year() >= 2023 && p.year() <= 2024; });
  EXPECT_EQ(Ids(Query("type:paper year:2023..2024")), expected);
}

TEST_F(SearchCasesTest, YearRangeWithOpenEnds) {
  EXPECT_EQ(Ids(Query("type:paper year:2025..")),
            PaperIds([](const v1::Paper& p) { return p.year() >= 2025; }));
  EXPECT_EQ(Ids(Query("type:paper year:..2019")),
            PaperIds([](const v1::Paper& p) {
              return p.year() > 0 && p.year() <= 2019;
            }));
}

TEST_F(SearchCasesTest, DateRangeSelectsSessionsOfBothGroups) {
  const auto expected = SessionIds([](const v1::Session& s) {
    return s.date() >= "2024-09-01" && s.date() <= "2024-10-31";
  });
  std::set<std::string> groups;
  for (const std::string& id : expected)
    groups.insert(SessionById(id)->group());
  EXPECT_THAT(groups, SizeIs(2));
  EXPECT_EQ(Ids(Query("type:session date:2024-09-01..2024-10-31")), expected);
}

TEST_F(SearchCasesTest, SingleDateFindsSessionAndSummary) {
  const auto hits = All(Query("date:2024-10-15"));
  std::set<v1::DocumentType> types;
  for (const v1::SearchHit& hit : hits) types.insert(hit.type());
  EXPECT_EQ(types, (std::set<v1::DocumentType>{v1::DOCUMENT_TYPE_SESSION,
                                               v1::DOCUMENT_TYPE_SUMMARY}));
}

TEST_F(SearchCasesTest, BadRangesAreInvalidArgument) {
  for (const char* query :
       {"year:2025..2023", "year:abc..2024", "date:2024-12-31..2024-01-01",
        "date:2024-13-01..2024-12-01", "date:yesterday", "date:2024-02-30"}) {
    EXPECT_THAT(searcher_->Search(Query(query)),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << query;
  }
}

// --- Phrases, booleans, wildcards ---

TEST_F(SearchCasesTest, PhraseMatchesWordsInOrder) {
  const auto hits = All(Query("type:session \"large language model serving\""));
  ASSERT_THAT(hits, SizeIs(Ge(2u)));
  for (const v1::SearchHit& hit : hits) {
    EXPECT_TRUE(ContainsCi(hit.title(), "large language model serving"))
        << hit.title();
  }
}

TEST_F(SearchCasesTest, MinusExcludesAndPlusRequires) {
  for (const v1::SearchHit& hit : All(Query("type:session cache -kv"))) {
    EXPECT_FALSE(HasWord(hit.title(), "kv")) << hit.title();
  }
  const auto required = All(Query("type:session +serverless inference"));
  ASSERT_THAT(required, Not(IsEmpty()));
  for (const v1::SearchHit& hit : required) {
    EXPECT_TRUE(ContainsCi(hit.title(), "serverless")) << hit.title();
  }
}

TEST_F(SearchCasesTest, AndRequiresBothWords) {
  const auto expected = SessionIds([](const v1::Session& s) {
    return HasWord(s.title(), "kv") && HasWord(s.title(), "cache");
  });
  ASSERT_THAT(expected, Not(IsEmpty()));
  EXPECT_EQ(Ids(Query("type:session title:kv AND title:cache")), expected);
}

TEST_F(SearchCasesTest, OrIsTheUnion) {
  const auto a = Ids(Query("type:session title:serverless"));
  const auto b = Ids(Query("type:session title:disaggregating"));
  ASSERT_FALSE(a.empty());
  ASSERT_FALSE(b.empty());
  std::set<std::string> both = a;
  both.insert(b.begin(), b.end());
  EXPECT_EQ(
      Ids(Query("type:session (title:serverless OR title:disaggregating)")),
      both);
}

TEST_F(SearchCasesTest, NotSubtracts) {
  const auto all = Ids(Query("type:session title:cache"));
  const auto kv = Ids(Query("type:session title:kv"));
  std::set<std::string> expected;
  for (const std::string& id : all) {
    if (!kv.count(id)) expected.insert(id);
  }
  ASSERT_LT(expected.size(), all.size());
  EXPECT_EQ(Ids(Query("type:session title:cache NOT title:kv")), expected);
}

TEST_F(SearchCasesTest, WildcardMatchesWordPrefixAndIsHighlighted) {
  const auto expected = SessionIds([](const v1::Session& s) {
    for (const std::string& word : WordsOf(s.title())) {
      if (absl::StartsWith(word, "serverless")) return true;
    }
    return false;
  });
  ASSERT_THAT(expected, SizeIs(Ge(2u)));
  const auto hits = All(Query("type:session title:serverless*"));
  std::set<std::string> ids;
  for (const v1::SearchHit& hit : hits) {
    ids.insert(hit.id());
    EXPECT_THAT(absl::AsciiStrToLower(hit.snippet()),
                HasSubstr("<mark>serverless"));
  }
  EXPECT_EQ(ids, expected);
}

TEST_F(SearchCasesTest, StemmingMatchesOtherFormsOfAWord) {
  const auto singular = Ids(Query("type:session schedule"));
  const auto plural = Ids(Query("type:session scheduling"));
  ASSERT_FALSE(singular.empty());
  EXPECT_EQ(singular, plural);
}

TEST_F(SearchCasesTest, MalformedQueriesNameTheProblem) {
  EXPECT_THAT(searcher_->Search(Query("kv AND")),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(
      searcher_->Search(Query(std::string(kMaxQueryBytes + 1, 'a'))),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("limit is 1024")));
  EXPECT_THAT(searcher_->Search(Query("year:abc")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("expects a year")));
}

// --- Chinese ---

TEST_F(SearchCasesTest, ChineseQueryHighlightsChineseWords) {
  const v1::SearchResponse response = Run(Query("动态稀疏"));
  ASSERT_THAT(response.hits(), Not(IsEmpty()));
  const v1::SearchHit& first = response.hits(0);
  EXPECT_EQ(first.type(), v1::DOCUMENT_TYPE_SUMMARY);
  EXPECT_THAT(first.snippet(), HasSubstr("<mark>动态稀疏</mark>"));
  EXPECT_EQ(first.snippet_field(), "text");
}

TEST_F(SearchCasesTest, MixedChineseAndEnglishQuery) {
  const v1::SearchResponse response = Run(Query("KV cache 的驱逐策略"));
  ASSERT_THAT(response.hits(), Not(IsEmpty()));
  EXPECT_EQ(response.hits(0).type(), v1::DOCUMENT_TYPE_SUMMARY);
  EXPECT_EQ(response.hits(0).summary().session_id(), "fall-2024/2024-10-15/1");
}

TEST_F(SearchCasesTest, ChineseWordMatchesOnlyTextsWithIt) {
  const auto hits = All(Query("type:summary 稀疏"));
  std::set<std::string> expected;
  for (const v1::Summary& summary : corpus_->summaries) {
    if (absl::StrContains(summary.text(), "稀疏"))
      expected.insert(summary.id());
  }
  ASSERT_THAT(expected, Not(IsEmpty()));
  std::set<std::string> ids;
  for (const v1::SearchHit& hit : hits) ids.insert(hit.id());
  EXPECT_EQ(ids, expected);
}

// --- Synonyms ---

TEST_F(SearchCasesTest, LlmFindsLargeLanguageModelAndBack) {
  const auto by_acronym = Ids(Query("type:session llm serving"));
  const auto by_words = Ids(Query("type:session large language model serving"));
  // The typed words also match one by one; the acronym only through
  // the synonym, so every session it finds the words find too.
  for (const std::string& id : by_acronym) EXPECT_THAT(by_words, Contains(id));
  const auto titled = SessionIds([](const v1::Session& s) {
    return ContainsCi(s.title(), "large language model") &&
           !HasWord(s.title(), "llm");
  });
  ASSERT_THAT(titled, Not(IsEmpty()));
  for (const std::string& id : titled) EXPECT_THAT(by_acronym, Contains(id));
}

TEST_F(SearchCasesTest, SynonymsAreSymmetric) {
  EXPECT_EQ(Ids(Query("gpu")), Ids(Query("accelerator")));
  EXPECT_FALSE(Ids(Query("gpu")).empty());
}

TEST_F(SearchCasesTest, MultiWordSynonymMatchesAsPhrase) {
  // "key-value cache" matches "KV cache" titles, but "value" alone in a
  // title does not.
  const auto hits = Ids(Query("type:session key-value cache"));
  for (const std::string& id : SessionIds([](const v1::Session& s) {
         return ContainsCi(s.title(), "kv cache");
       })) {
    EXPECT_THAT(hits, Contains(id));
  }
}

TEST_F(SearchCasesTest, QuotedWordsAreNotExpanded) {
  for (const v1::SearchHit& hit : All(Query("type:session \"llm\""))) {
    EXPECT_TRUE(ContainsCi(hit.title(), "llm")) << hit.title();
  }
}

// --- Spelling ---

TEST_F(SearchCasesTest, MisspellingSuggestsACorrection) {
  const v1::SearchResponse response = Run(Query("infinigne"));
  EXPECT_EQ(response.corrected_query(), "infinigen");
  EXPECT_FALSE(response.ran_corrected_query());
  EXPECT_THAT(response.hits(), IsEmpty());
  EXPECT_EQ(Run(Query("serverles")).corrected_query(), "serverless");
}

TEST_F(SearchCasesTest, AutoCorrectRunsTheCorrectionWhenNothingMatched) {
  v1::SearchRequest request = Query("infinigne");
  request.set_auto_correct(true);
  const v1::SearchResponse response = Run(request);
  EXPECT_TRUE(response.ran_corrected_query());
  ASSERT_THAT(response.hits(), Not(IsEmpty()));
  EXPECT_EQ(response.hits(0).id(), "fall-2024/2024-10-15/1");
  EXPECT_THAT(response.hits(0).snippet(), HasSubstr("<mark>InfiniGen</mark>"));
}

TEST_F(SearchCasesTest, IndexedWordsAreNeverCorrected) {
  // "kv" is too short for the spelling table and "μslope" is not ASCII,
  // but both are in the index: no "did you mean".
  for (const char* query : {"kv cache", "μslope", "group:fall-2024 cache",
                            "title:infinigen", "serverless*"}) {
    EXPECT_EQ(Run(Query(query)).corrected_query(), "") << query;
  }
  EXPECT_EQ(Run(Query("kv cahce")).corrected_query(), "kv cache");
  EXPECT_EQ(Run(Query("title:infinigne")).corrected_query(), "title:infinigen");
}

TEST_F(SearchCasesTest, CorrectWordsGetNoSuggestion) {
  v1::SearchRequest request = Query("infinigen");
  request.set_auto_correct(true);
  const v1::SearchResponse response = Run(request);
  EXPECT_EQ(response.corrected_query(), "");
  EXPECT_FALSE(response.ran_corrected_query());
}

// --- Paging ---

TEST_F(SearchCasesTest, PagingBySevenReturnsEveryHitOnce) {
  const v1::SearchResponse whole = Run(Query("memory", kMaxPageSize));
  ASSERT_GE(whole.total_estimate(), 100);
  v1::SearchRequest request = Query("memory", 7);
  std::vector<std::string> paged;
  int pages = 0;
  while (pages++ < 100) {
    const v1::SearchResponse page = Run(request);
    EXPECT_LE(page.hits_size(), 7);
    for (const v1::SearchHit& hit : page.hits()) {
      EXPECT_EQ(hit.rank(), static_cast<int>(paged.size()) + 1);
      paged.push_back(hit.id());
    }
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  const std::set<std::string> unique(paged.begin(), paged.end());
  EXPECT_EQ(unique.size(), paged.size());
  // The same list as in pages of 100.
  std::vector<std::string> by_hundred;
  for (const v1::SearchHit& hit : All(Query("memory", 100))) {
    by_hundred.push_back(hit.id());
  }
  EXPECT_EQ(paged, by_hundred);
  EXPECT_GE(paged.size(), 100u);
}

TEST_F(SearchCasesTest, PageSizeDefaultsAndCaps) {
  EXPECT_EQ(Run(Query("memory", 0)).hits_size(), kDefaultPageSize);
  EXPECT_EQ(Run(Query("memory", 5000)).hits_size(), kMaxPageSize);
  EXPECT_THAT(searcher_->Search(Query("memory", -1)),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(SearchCasesTest, TokenFromAnotherQueryIsRejected) {
  const v1::SearchResponse first = Run(Query("memory", 7));
  ASSERT_FALSE(first.next_page_token().empty());
  v1::SearchRequest other = Query("cache", 7);
  other.set_page_token(first.next_page_token());
  EXPECT_THAT(searcher_->Search(other),
              StatusIs(absl::StatusCode::kInvalidArgument));
  v1::SearchRequest sorted = Query("memory", 7);
  sorted.set_sort(v1::SEARCH_SORT_NEWEST);
  sorted.set_page_token(first.next_page_token());
  EXPECT_THAT(searcher_->Search(sorted),
              StatusIs(absl::StatusCode::kInvalidArgument));
  v1::SearchRequest garbage = Query("memory", 7);
  garbage.set_page_token("not a token");
  EXPECT_THAT(searcher_->Search(garbage),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(SearchCasesTest, LastPageHasNoToken) {
  const v1::SearchResponse response = Run(Query("type:summary", 100));
  EXPECT_EQ(response.hits_size(), static_cast<int>(corpus_->summaries.size()));
  EXPECT_EQ(response.next_page_token(), "");
}

// --- Facets ---

TEST_F(SearchCasesTest, FacetsCountTheWholeMatchSet) {
  v1::SearchRequest request = Query("serving");
  for (v1::Facet facet : {v1::FACET_TYPE, v1::FACET_VENUE, v1::FACET_YEAR,
                          v1::FACET_GROUP, v1::FACET_PRESENTER}) {
    request.add_facets(facet);
  }
  request.set_facet_limit(100);
  const v1::SearchResponse response = Run(request);
  ASSERT_THAT(response.facets(), SizeIs(5));

  // Tally the same counts from every hit.
  std::map<std::string, int64_t> types, venues, years, groups, presenters;
  for (const v1::SearchHit& hit : All(Query("serving"))) {
    ++types[v1::DocumentType_Name(hit.type())];
    const std::string venue = VenueOf(hit);
    if (!venue.empty()) ++venues[venue];
    const v1::Session* session = hit.type() == v1::DOCUMENT_TYPE_SESSION
                                     ? &hit.session()
                                 : hit.type() == v1::DOCUMENT_TYPE_SUMMARY &&
                                         !hit.linked_sessions().empty()
                                     ? &hit.linked_sessions(0)
                                     : nullptr;
    const int year = hit.type() == v1::DOCUMENT_TYPE_PAPER ? hit.paper().year()
                     : session ? session->paper().year()
                               : 0;
    if (year > 0) ++years[std::to_string(year)];
    if (session) {
      ++groups[session->group()];
      for (const v1::Presenter& presenter : session->presenters()) {
        ++presenters[presenter.name()];
      }
    }
  }
  auto counts = [&](v1::Facet facet) {
    std::map<std::string, int64_t> out;
    for (const v1::FacetResult& result : response.facets()) {
      if (result.facet() != facet) continue;
      for (const v1::FacetCount& count : result.values()) {
        out[count.value()] = count.count();
      }
    }
    return out;
  };
  std::map<std::string, int64_t> type_names;
  for (const auto& [name, count] : counts(v1::FACET_TYPE)) {
    type_names["DOCUMENT_TYPE_" + absl::AsciiStrToUpper(name)] = count;
  }
  EXPECT_EQ(type_names, types);
  EXPECT_EQ(counts(v1::FACET_VENUE), venues);
  EXPECT_EQ(counts(v1::FACET_YEAR), years);
  EXPECT_EQ(counts(v1::FACET_GROUP), groups);
  EXPECT_EQ(counts(v1::FACET_PRESENTER), presenters);
}

TEST_F(SearchCasesTest, FacetCountsRespectTheOtherFilters) {
  v1::SearchRequest request = Query("serving");
  request.add_facets(v1::FACET_TYPE);
  request.add_facets(v1::FACET_VENUE);
  request.mutable_filters()->add_types(v1::DOCUMENT_TYPE_PAPER);
  const v1::SearchResponse response = Run(request);
  ASSERT_THAT(response.facets(), SizeIs(2));
  // The venue facet applies the type filter: its counts add up to papers.
  int64_t venue_total = 0;
  for (const v1::FacetCount& count : response.facets(1).values()) {
    venue_total += count.count();
  }
  EXPECT_EQ(response.facets(1).facet(), v1::FACET_VENUE);
  EXPECT_EQ(venue_total, response.total_estimate());
  // The type facet leaves out its own filter, so sessions still show.
  std::set<std::string> type_values;
  for (const v1::FacetCount& count : response.facets(0).values()) {
    type_values.insert(count.value());
  }
  EXPECT_THAT(type_values, Contains("session"));
  EXPECT_THAT(type_values, Contains("paper"));
}

TEST_F(SearchCasesTest, FacetLimitKeepsTheMostFrequent) {
  v1::SearchRequest request = Query("memory");
  request.add_facets(v1::FACET_YEAR);
  request.set_facet_limit(2);
  const v1::SearchResponse response = Run(request);
  ASSERT_THAT(response.facets(), SizeIs(1));
  const v1::FacetResult& years = response.facets(0);
  ASSERT_THAT(years.values(), SizeIs(2));
  EXPECT_GT(years.distinct(), 2);
  EXPECT_GE(years.values(0).count(), years.values(1).count());
}

// --- Sorting ---

TEST_F(SearchCasesTest, SortNewestAndOldestFirst) {
  v1::SearchRequest request = Query("type:session serving");
  request.set_sort(v1::SEARCH_SORT_NEWEST);
  const auto newest = All(request);
  ASSERT_THAT(newest, SizeIs(Ge(3u)));
  for (size_t i = 1; i < newest.size(); ++i) {
    EXPECT_GE(newest[i - 1].session().date(), newest[i].session().date());
  }
  request.set_sort(v1::SEARCH_SORT_OLDEST);
  const auto oldest = All(request);
  ASSERT_EQ(oldest.size(), newest.size());
  for (size_t i = 1; i < oldest.size(); ++i) {
    EXPECT_LE(oldest[i - 1].session().date(), oldest[i].session().date());
  }
}

TEST_F(SearchCasesTest, RelevanceRanksTheBestMatchFirst) {
  const v1::SearchResponse response = Run(Query("kv cache"));
  ASSERT_THAT(response.hits(), SizeIs(Ge(2)));
  EXPECT_EQ(response.hits(0).id(), "fall-2024/2024-10-15/1");
  for (int i = 1; i < response.hits_size(); ++i) {
    EXPECT_LE(response.hits(i).score(), response.hits(i - 1).score());
  }
}

// --- Collapse ---

TEST_F(SearchCasesTest, CollapseListsAPaperOnce) {
  const auto expanded = All(Query("distserve"));
  int distserve = 0;
  for (const v1::SearchHit& hit : expanded) {
    distserve += ContainsCi(hit.title(), "distserve");
  }
  ASSERT_GE(distserve, 3);  // two sessions, the paper, a summary

  v1::SearchRequest request = Query("distserve");
  request.set_collapse_papers(true);
  const auto collapsed = All(request);
  int listed = 0;
  for (const v1::SearchHit& hit : collapsed) {
    if (!ContainsCi(hit.title(), "distserve")) continue;
    ++listed;
    EXPECT_EQ(hit.collapsed(), distserve - 1);
  }
  EXPECT_EQ(listed, 1);
}

// --- Structured filters ---

TEST_F(SearchCasesTest, VenueFiltersAreOred) {
  v1::SearchRequest request;
  request.mutable_filters()->add_venues("osdi");
  request.mutable_filters()->add_venues("SOSP");
  request.mutable_filters()->add_types(v1::DOCUMENT_TYPE_SESSION);
  request.set_page_size(100);
  EXPECT_EQ(Ids(request), SessionIds([](const v1::Session& s) {
              return s.paper().venue() == "OSDI" || s.paper().venue() == "SOSP";
            }));
}

TEST_F(SearchCasesTest, YearFilterMatchesYearQuery) {
  v1::SearchRequest request = Query("serving");
  request.mutable_filters()->set_year_from(2023);
  request.mutable_filters()->set_year_to(2024);
  EXPECT_EQ(Ids(request), Ids(Query("serving year:2023..2024")));
  EXPECT_FALSE(Ids(request).empty());
}

TEST_F(SearchCasesTest, DateAndGroupFiltersCombine) {
  v1::SearchRequest request;
  request.mutable_filters()->set_date_from("2024-10-01");
  request.mutable_filters()->set_date_to("2024-12-31");
  request.mutable_filters()->add_groups("fall-2024");
  request.mutable_filters()->add_types(v1::DOCUMENT_TYPE_SESSION);
  request.set_page_size(100);
  EXPECT_EQ(Ids(request), SessionIds([](const v1::Session& s) {
              return s.group() == "fall-2024" && s.date() >= "2024-10-01" &&
                     s.date() <= "2024-12-31";
            }));
}

TEST_F(SearchCasesTest, PresenterFilterTakesAnySpelling) {
  v1::SearchRequest request;
  request.mutable_filters()->add_presenters("XiangShen");
  request.mutable_filters()->add_types(v1::DOCUMENT_TYPE_SESSION);
  request.set_page_size(100);
  const auto expected = SessionIds(
      [](const v1::Session& s) { return Presented(s, "Xiang Shen"); });
  ASSERT_THAT(expected, SizeIs(Ge(2u)));
  EXPECT_EQ(Ids(request), expected);
}

TEST_F(SearchCasesTest, FiltersAloneListAGroupOldestFirst) {
  v1::SearchRequest request;
  request.mutable_filters()->add_groups("fall-2024");
  request.mutable_filters()->add_types(v1::DOCUMENT_TYPE_SESSION);
  request.set_sort(v1::SEARCH_SORT_OLDEST);
  request.set_page_size(100);
  std::vector<std::string> dates;
  for (const v1::SearchHit& hit : All(request)) {
    dates.push_back(hit.session().date());
  }
  std::vector<std::string> expected;
  for (const v1::Session& session : corpus_->sessions) {
    if (session.group() == "fall-2024") expected.push_back(session.date());
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(dates, expected);
}

TEST_F(SearchCasesTest, BadFiltersAreInvalidArgument) {
  std::vector<v1::SearchRequest> requests(5, Query("cache"));
  requests[0].mutable_filters()->set_year_from(2025);
  requests[0].mutable_filters()->set_year_to(2023);
  requests[1].mutable_filters()->set_date_from("2024-13-01");
  requests[2].mutable_filters()->add_types(v1::DOCUMENT_TYPE_UNSPECIFIED);
  requests[3].mutable_filters()->add_groups("");
  requests[4].add_facets(v1::FACET_UNSPECIFIED);
  for (const v1::SearchRequest& request : requests) {
    EXPECT_THAT(searcher_->Search(request),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << request.ShortDebugString();
  }
  EXPECT_THAT(searcher_->Search(v1::SearchRequest()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("query is empty")));
}

// --- Linked hits ---

TEST_F(SearchCasesTest, SummaryHitLinksItsSessionAndPaper) {
  const auto hits = All(Query("type:summary group:paper-list-2024 distserve"));
  ASSERT_THAT(hits, Not(IsEmpty()));
  const v1::SearchHit& hit = hits[0];
  ASSERT_THAT(hit.linked_sessions(), SizeIs(1));
  EXPECT_EQ(hit.linked_sessions(0).date(), "2024-12-24");
  EXPECT_EQ(hit.linked_sessions(0).group(), "paper-list-2024");
  EXPECT_THAT(hit.linked_paper().title(), HasSubstr("DistServe"));
}

TEST_F(SearchCasesTest, PaperHitSaysWhenAndByWhomOrNever) {
  const auto hits = All(Query("type:paper title:distserve"));
  ASSERT_THAT(hits, SizeIs(1));
  std::set<std::string> groups;
  for (const v1::Session& session : hits[0].linked_sessions()) {
    groups.insert(session.group());
    EXPECT_THAT(session.presenters(), Not(IsEmpty()));
  }
  EXPECT_EQ(groups, (std::set<std::string>{"fall-2024", "paper-list-2024"}));

  const auto presented = PaperIds([](const v1::Paper&) { return false; });
  bool found_unpresented = false;
  for (const v1::SearchHit& hit : All(Query("type:paper llumnix"))) {
    if (ContainsCi(hit.title(), "llumnix")) {
      found_unpresented = true;
      EXPECT_THAT(hit.linked_sessions(), IsEmpty());
    }
  }
  EXPECT_TRUE(found_unpresented);
  EXPECT_THAT(presented, IsEmpty());
}

// --- Deadline ---

TEST_F(SearchCasesTest, PastDeadlineIsDeadlineExceeded) {
  EXPECT_THAT(
      searcher_->Search(Query("memory"), absl::Now() - absl::Seconds(1)),
      StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_THAT(searcher_->Search(Query("memory"), absl::Now() + absl::Hours(1)),
              IsOk());
}

}  // namespace
}  // namespace lectern
