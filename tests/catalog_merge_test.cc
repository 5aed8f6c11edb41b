#include "indexer/catalog_merge.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "indexer/catalog.h"
#include "indexer/normalize.h"
#include "tests/testing/paths.h"
#include "tests/testing/temp_dir.h"

namespace lectern {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::IsNull;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::NotNull;
using ::testing::Pair;
using ::testing::SizeIs;
using ::testing::StartsWith;
using ::testing::UnorderedElementsAre;

constexpr char kPowerInferTitle[] =
    "PowerInfer: Fast Large Language Model Serving with a Consumer-grade GPU";
// How the paper-list-2024 schedule (data/schedules/000_*.txt) writes it.
constexpr char kPowerInferScheduleSpelling[] =
    "PowerInfer Fast Large Language Model Serving with a Consumer-grade "
    "GPUTraining";
constexpr char kNomadTitle[] =
    "Nomad: Non-Exclusive Memory Tiering via Transactional Page Migration";

// A record as the catalog readers make it: title key filled from the title.
CatalogRecord Record(const std::string& source, const std::string& title,
                     const std::string& doi = "") {
  CatalogRecord record;
  record.source = source;
  record.paper.set_title(title);
  record.paper.set_title_key(TitleKey(title));
  record.paper.set_doi(doi);
  return record;
}

// A catalog paper with its title key, for PaperFinder and AssignPaperIds.
v1::Paper Paper(const std::string& title, const std::string& venue, int year,
                const std::string& doi = "", const std::string& url = "") {
  v1::Paper paper;
  paper.set_title(title);
  paper.set_title_key(TitleKey(title));
  paper.set_venue(venue);
  paper.set_year(year);
  paper.set_doi(doi);
  paper.set_url(url);
  return paper;
}

// A schedule's reference to a paper, title key filled as the schedule
// readers do.
v1::PaperRef Ref(const std::string& title, int year = 0,
                 const std::string& doi = "", const std::string& url = "") {
  v1::PaperRef ref;
  ref.set_title(title);
  ref.set_title_key(TitleKey(title));
  ref.set_year(year);
  ref.set_doi(doi);
  ref.set_url(url);
  return ref;
}

std::map<std::string, std::string> Provenance(const v1::Paper& paper) {
  std::map<std::string, std::string> out;
  for (const v1::FieldSource& source : paper.provenance()) {
    EXPECT_TRUE(out.emplace(source.field(), source.source()).second)
        << "field " << source.field() << " named twice";
  }
  return out;
}

std::vector<std::string> Titles(const std::vector<v1::Paper>& papers) {
  std::vector<std::string> out;
  for (const v1::Paper& paper : papers) out.push_back(paper.title());
  return out;
}

std::vector<std::string> Ids(const std::vector<v1::Paper>& papers) {
  std::vector<std::string> out;
  for (const v1::Paper& paper : papers) out.push_back(paper.id());
  return out;
}

// The bundled catalog, parsed and merged.
std::vector<v1::Paper> BundledCatalog() {
  const std::string text =
      testing::ReadFile(testing::SourceDir() + "/data/catalog/osdi_sosp.jsonl");
  EXPECT_FALSE(text.empty());
  const ParsedCatalog parsed =
      ParseJsonLinesCatalog(text, "catalog/osdi_sosp.jsonl");
  EXPECT_THAT(parsed.issues, IsEmpty());
  EXPECT_THAT(parsed.records, SizeIs(594));
  return MergeCatalog(parsed.records);
}

const v1::Paper* FindByTitle(const std::vector<v1::Paper>& papers,
                             const std::string& title) {
  for (const v1::Paper& paper : papers) {
    if (paper.title() == title) return &paper;
  }
  return nullptr;
}

// ------------------------------------------------------------- MergeCatalog

TEST(MergeCatalogTest, RecordsSharingADoiAreOnePaper) {
  const std::vector<v1::Paper> papers = MergeCatalog({
      Record("a.jsonl:1", "Nomad: Non-Exclusive Memory Tiering",
             "10.5555/nomad"),
      Record("b.bib:9",
             "Non-Exclusive Memory Tiering via Transactional Page Migration",
             "10.5555/nomad"),
  });
  ASSERT_THAT(papers, SizeIs(1));
  EXPECT_EQ(papers[0].title(), "Nomad: Non-Exclusive Memory Tiering");
  EXPECT_EQ(papers[0].doi(), "10.5555/nomad");
}

TEST(MergeCatalogTest, RecordsSharingATitleKeyAreOnePaper) {
  const std::vector<v1::Paper> papers = MergeCatalog({
      Record("a.jsonl:1", kPowerInferTitle),
      Record("b.csv:2",
             "POWERINFER - Fast Large Language Model Serving with a "
             "Consumer-Grade GPU"),
  });
  ASSERT_THAT(papers, SizeIs(1));
  EXPECT_EQ(papers[0].title(), kPowerInferTitle);
  EXPECT_EQ(papers[0].title_key(), TitleKey(kPowerInferTitle));
}

TEST(MergeCatalogTest, MergesTransitivelyAcrossDoiAndTitle) {
  // A~B by DOI, B~C by title key: one paper. D stands apart.
  const std::vector<v1::Paper> papers = MergeCatalog({
      Record("a:1", "Preprint Title", "10.1/x"),
      Record("b:1", "Final Title", "10.1/x"),
      Record("c:1", "final title!"),
      Record("d:1", "Another Paper", "10.1/y"),
  });
  EXPECT_THAT(Titles(papers), ElementsAre("Preprint Title", "Another Paper"));
}

TEST(MergeCatalogTest, MergesTransitivelyWhenTheLinkComesLast) {
  // A and B look unrelated until C shares A's title and B's DOI.
  const std::vector<v1::Paper> papers = MergeCatalog({
      Record("a:1", "Title One"),
      Record("b:1", "Title Two", "10.1/z"),
      Record("e:1", "Elsewhere"),
      Record("c:1", "TITLE ONE", "10.1/z"),
  });
  ASSERT_THAT(Titles(papers), ElementsAre("Title One", "Elsewhere"));
  EXPECT_EQ(papers[0].doi(), "10.1/z");
  EXPECT_EQ(Provenance(papers[0]).at("doi"), "b:1");
}

TEST(MergeCatalogTest, EachFieldComesFromTheFirstRecordThatHasIt) {
  CatalogRecord first = Record("first.jsonl:3", kNomadTitle);
  first.paper.set_venue("OSDI");

  CatalogRecord second = Record(
      "second.bib:10",
      "Nomad: non-exclusive memory tiering via transactional page migration");
  second.paper.set_venue("USENIX ATC");
  second.paper.set_year(2024);
  second.paper.set_url(
      "https://www.usenix.org/conference/osdi24/presentation/xiang");
  second.paper.add_authors("Lingfeng Xiang");
  second.paper.add_authors("Zhen Lin");
  second.paper.set_abstract("Tiered memory systems.");

  CatalogRecord third = Record("third.csv:4", kNomadTitle, "10.5555/nomad");
  third.paper.set_year(2023);
  third.paper.set_url("https://example.org/nomad");
  third.paper.add_authors("Someone Else");
  third.paper.set_abstract("Another abstract.");

  const std::vector<v1::Paper> papers = MergeCatalog({first, second, third});
  ASSERT_THAT(papers, SizeIs(1));
  const v1::Paper& paper = papers[0];
  EXPECT_EQ(paper.title(), kNomadTitle);
  EXPECT_THAT(paper.authors(), ElementsAre("Lingfeng Xiang", "Zhen Lin"));
  EXPECT_EQ(paper.venue(), "OSDI");
  EXPECT_EQ(paper.year(), 2024);
  EXPECT_EQ(paper.abstract(), "Tiered memory systems.");
  EXPECT_EQ(paper.url(),
            "https://www.usenix.org/conference/osdi24/presentation/xiang");
  EXPECT_EQ(paper.doi(), "10.5555/nomad");
  EXPECT_EQ(paper.title_key(), TitleKey(kNomadTitle));
  EXPECT_THAT(
      Provenance(paper),
      UnorderedElementsAre(
          Pair("title", "first.jsonl:3"), Pair("venue", "first.jsonl:3"),
          Pair("authors", "second.bib:10"), Pair("year", "second.bib:10"),
          Pair("abstract", "second.bib:10"), Pair("url", "second.bib:10"),
          Pair("doi", "third.csv:4")));
}

TEST(MergeCatalogTest, PriorityFollowsRecordOrderNotSourceName) {
  // The same two records in the other order: the other one wins.
  CatalogRecord zeta = Record("zeta.jsonl:1", kNomadTitle);
  zeta.paper.set_year(2024);
  CatalogRecord alpha = Record("alpha.jsonl:1", kNomadTitle);
  alpha.paper.set_year(2023);

  const std::vector<v1::Paper> zeta_first = MergeCatalog({zeta, alpha});
  ASSERT_THAT(zeta_first, SizeIs(1));
  EXPECT_EQ(zeta_first[0].year(), 2024);
  EXPECT_EQ(Provenance(zeta_first[0]).at("year"), "zeta.jsonl:1");

  const std::vector<v1::Paper> alpha_first = MergeCatalog({alpha, zeta});
  ASSERT_THAT(alpha_first, SizeIs(1));
  EXPECT_EQ(alpha_first[0].year(), 2023);
  EXPECT_EQ(Provenance(alpha_first[0]).at("year"), "alpha.jsonl:1");
}

TEST(MergeCatalogTest, FieldsNoRecordHasHaveNoProvenance) {
  const std::vector<v1::Paper> papers = MergeCatalog({
      Record("only.jsonl:1", "Lonely Paper"),
  });
  ASSERT_THAT(papers, SizeIs(1));
  EXPECT_THAT(Provenance(papers[0]),
              UnorderedElementsAre(Pair("title", "only.jsonl:1")));
  EXPECT_EQ(papers[0].doi(), "");
  EXPECT_EQ(papers[0].year(), 0);
  EXPECT_THAT(papers[0].authors(), IsEmpty());
}

TEST(MergeCatalogTest, PapersComeOutInTheOrderOfTheirFirstRecord) {
  const std::vector<v1::Paper> papers = MergeCatalog({
      Record("s:1", "Xenon Paper"),
      Record("s:2", "Yttrium Paper", "10.1/y"),
      Record("s:3", "Zinc Paper"),
      Record("s:4", "Yttrium paper, again", "10.1/y"),
      Record("s:5", "xenon paper"),
      Record("s:6", "Argon Paper"),
  });
  EXPECT_THAT(Titles(papers), ElementsAre("Xenon Paper", "Yttrium Paper",
                                          "Zinc Paper", "Argon Paper"));
}

TEST(MergeCatalogTest, DifferentPapersStayApart) {
  // Same venue and year, no DOIs, different titles: two papers. Empty DOIs
  // do not make records the same paper.
  CatalogRecord nomad = Record("s:1", kNomadTitle);
  nomad.paper.set_venue("OSDI");
  nomad.paper.set_year(2024);
  CatalogRecord parrot = Record(
      "s:2",
      "Parrot: Efficient Serving of LLM-based Applications with Semantic "
      "Variable");
  parrot.paper.set_venue("OSDI");
  parrot.paper.set_year(2024);
  const std::vector<v1::Paper> papers = MergeCatalog({
      nomad,
      parrot,
      Record("s:3", "Different DOI", "10.1/a"),
      Record("s:4", "Different DOIs", "10.1/b"),
  });
  EXPECT_THAT(Titles(papers), ElementsAre(kNomadTitle, parrot.paper.title(),
                                          "Different DOI", "Different DOIs"));
  const std::vector<std::string> ids = Ids(papers);
  EXPECT_THAT(std::set<std::string>(ids.begin(), ids.end()), SizeIs(4));
}

TEST(MergeCatalogTest, AssignsIds) {
  CatalogRecord record = Record("s:1", kPowerInferTitle);
  record.paper.set_venue("SOSP");
  record.paper.set_year(2024);
  const std::vector<v1::Paper> papers = MergeCatalog({record});
  ASSERT_THAT(papers, SizeIs(1));
  EXPECT_EQ(papers[0].id(), "sosp24-powerinfer-fast-large");
}

TEST(MergeCatalogTest, EmptyInputGivesNoPapers) {
  EXPECT_THAT(MergeCatalog({}), IsEmpty());
}

TEST(MergeCatalogTest, SameRecordsGiveIdenticalPapers) {
  const std::string text =
      testing::ReadFile(testing::SourceDir() + "/data/catalog/osdi_sosp.jsonl");
  const ParsedCatalog parsed =
      ParseJsonLinesCatalog(text, "catalog/osdi_sosp.jsonl");
  ASSERT_THAT(parsed.records, Not(IsEmpty()));
  const std::vector<v1::Paper> first = MergeCatalog(parsed.records);
  const std::vector<v1::Paper> second = MergeCatalog(parsed.records);
  ASSERT_EQ(first.size(), second.size());
  for (size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].SerializeAsString(), second[i].SerializeAsString())
        << "paper " << i << ": " << first[i].ShortDebugString() << "\nvs\n"
        << second[i].ShortDebugString();
  }
}

// ----------------------------------------------------------- AssignPaperIds

TEST(AssignPaperIdsTest, VenueTwoDigitYearAndUpToThreeTitleWords) {
  std::vector<v1::Paper> papers = {
      Paper(kPowerInferTitle, "SOSP", 2024),
      Paper(kNomadTitle, "OSDI", 2024),
      Paper("Parrot", "OSDI", 2024),
      Paper("Two Words", "USENIX ATC", 2023),
      Paper("Old Times", "SOSP", 2009),
  };
  AssignPaperIds(&papers);
  EXPECT_THAT(Ids(papers),
              ElementsAre("sosp24-powerinfer-fast-large",
                          "osdi24-nomad-non-exclusive", "osdi24-parrot",
                          "usenixatc23-two-words", "sosp09-old-times"));
}

TEST(AssignPaperIdsTest, SkipsArticles) {
  std::vector<v1::Paper> papers = {
      Paper("The Design of an Efficient System", "OSDI", 2023),
      Paper("A Case for the Anchors and Theses", "SOSP", 2023),
  };
  AssignPaperIds(&papers);
  // "Anchors" and "Theses" are words, not articles.
  EXPECT_THAT(Ids(papers), ElementsAre("osdi23-design-of-efficient",
                                       "sosp23-case-for-anchors"));
}

TEST(AssignPaperIdsTest, ClashingPapersAllGetAHashSuffix) {
  std::vector<v1::Paper> papers = {
      Paper("Nomad: Non-Exclusive Memory Tiering", "OSDI", 2024),
      Paper(kPowerInferTitle, "SOSP", 2024),
      Paper("Nomad: Non-exclusive Scheduling of Containers", "OSDI", 2024),
      Paper("Nomad non exclusive, third of its name", "OSDI", 2024),
      // Same words, other year: no clash.
      Paper("Nomad: Non-Exclusive Memory Tiering", "OSDI", 2023),
  };
  AssignPaperIds(&papers);
  const std::string suffixed = "osdi24-nomad-non-exclusive-[0-9a-f]{8}";
  EXPECT_THAT(papers[0].id(), MatchesRegex(suffixed));
  EXPECT_THAT(papers[2].id(), MatchesRegex(suffixed));
  EXPECT_THAT(papers[3].id(), MatchesRegex(suffixed));
  EXPECT_NE(papers[0].id(), papers[2].id());
  EXPECT_NE(papers[0].id(), papers[3].id());
  EXPECT_NE(papers[2].id(), papers[3].id());
  EXPECT_EQ(papers[1].id(), "sosp24-powerinfer-fast-large");
  EXPECT_EQ(papers[4].id(), "osdi23-nomad-non-exclusive");
}

TEST(AssignPaperIdsTest, IdsStayUniqueEvenInContrivedClashes) {
  // Titles of punctuation only share an empty title key, hence a hash.
  std::vector<v1::Paper> papers = {Paper("!!!", "OSDI", 2024),
                                   Paper("???", "OSDI", 2024),
                                   Paper("...", "OSDI", 2024)};
  AssignPaperIds(&papers);
  std::set<std::string> ids;
  for (const v1::Paper& paper : papers) ids.insert(paper.id());
  EXPECT_EQ(ids.size(), papers.size());
}

TEST(AssignPaperIdsTest, HashSuffixDoesNotDependOnOrder) {
  const v1::Paper a =
      Paper("Nomad: Non-Exclusive Memory Tiering", "OSDI", 2024);
  const v1::Paper b = Paper("Nomad: Non-exclusive Scheduling", "OSDI", 2024);
  std::vector<v1::Paper> forward = {a, b};
  std::vector<v1::Paper> backward = {b, a};
  AssignPaperIds(&forward);
  AssignPaperIds(&backward);
  EXPECT_EQ(forward[0].id(), backward[1].id());
  EXPECT_EQ(forward[1].id(), backward[0].id());
  EXPECT_NE(forward[0].id(), forward[1].id());
}

TEST(AssignPaperIdsTest, RealPowerInferTitleFromTheBundledCatalog) {
  const std::vector<v1::Paper> papers = BundledCatalog();
  const v1::Paper* powerinfer = FindByTitle(papers, kPowerInferTitle);
  ASSERT_THAT(powerinfer, NotNull());
  EXPECT_EQ(powerinfer->venue(), "SOSP");
  EXPECT_EQ(powerinfer->year(), 2024);
  EXPECT_THAT(powerinfer->id(), StartsWith("sosp24-powerinfer"));
  // Every field it has comes from its line of the bundled catalog.
  for (const v1::FieldSource& source : powerinfer->provenance()) {
    EXPECT_EQ(source.source(), "catalog/osdi_sosp.jsonl:509") << source.field();
  }
  EXPECT_EQ(Provenance(*powerinfer).count("title"), 1u);
}

TEST(AssignPaperIdsTest, IdsAreUniqueOverTheBundledCatalog) {
  const std::vector<v1::Paper> papers = BundledCatalog();
  ASSERT_THAT(papers, Not(IsEmpty()));
  std::map<std::string, std::vector<std::string>> titles_by_id;
  for (const v1::Paper& paper : papers) {
    EXPECT_THAT(paper.id(), MatchesRegex("[a-z0-9]+(-[a-z0-9]+)*"));
    titles_by_id[paper.id()].push_back(paper.title());
  }
  for (const auto& [id, titles] : titles_by_id) {
    EXPECT_THAT(titles, SizeIs(1)) << "id " << id << " is shared";
  }
  EXPECT_EQ(titles_by_id.size(), papers.size());
}

// ---------------------------------------------------------------- UrlKey

TEST(UrlKeyTest, DropsSchemeWwwAndTrailingSlashAndLowercasesTheHost) {
  const std::string key = "usenix.org/conference/osdi24/presentation/xiang";
  EXPECT_EQ(UrlKey("https://www.usenix.org/conference/osdi24/presentation/"
                   "xiang"),
            key);
  EXPECT_EQ(UrlKey("http://usenix.org/conference/osdi24/presentation/xiang/"),
            key);
  EXPECT_EQ(UrlKey("HTTPS://WWW.USENIX.ORG/conference/osdi24/presentation/"
                   "xiang"),
            key);
  EXPECT_EQ(UrlKey("www.Usenix.Org/conference/osdi24/presentation/xiang//"),
            key);
  EXPECT_EQ(UrlKey("https://www.usenix.org/"), "usenix.org");
  EXPECT_EQ(UrlKey("https://Example.COM"), "example.com");
}

TEST(UrlKeyTest, KeepsThePathsCase) {
  EXPECT_EQ(UrlKey("https://Example.com/Papers/PIT.pdf"),
            "example.com/Papers/PIT.pdf");
  EXPECT_NE(UrlKey("https://example.com/a"), UrlKey("https://example.com/A"));
}

// ------------------------------------------------------------- PaperFinder

TEST(PaperFinderTest, FindsByDoiIgnoringCase) {
  const std::vector<v1::Paper> papers = {
      Paper(kNomadTitle, "OSDI", 2024, "10.5555/nomad"),
      Paper(kPowerInferTitle, "SOSP", 2024, "10.1145/3694715.3695964"),
  };
  const PaperFinder finder(papers);
  // The DOI alone, no title.
  v1::PaperRef ref;
  ref.set_doi("10.1145/3694715.3695964");
  EXPECT_EQ(finder.Find(ref), &papers[1]);
  ref.set_doi("10.5555/NOMAD");
  EXPECT_EQ(finder.Find(ref), &papers[0]);
}

TEST(PaperFinderTest, FindsByDoiStoredInUppercase) {
  const std::vector<v1::Paper> papers = {
      Paper(kNomadTitle, "OSDI", 2024, "10.5555/NOMAD"),
  };
  const PaperFinder finder(papers);
  v1::PaperRef ref;
  ref.set_doi("10.5555/nomad");
  EXPECT_EQ(finder.Find(ref), &papers[0]);
}

TEST(PaperFinderTest, FindsByUrlKey) {
  const std::vector<v1::Paper> papers = {
      Paper(kPowerInferTitle, "SOSP", 2024),
      Paper(kNomadTitle, "OSDI", 2024, "",
            "https://www.usenix.org/conference/osdi24/presentation/xiang"),
  };
  const PaperFinder finder(papers);
  for (const char* url :
       {"https://www.usenix.org/conference/osdi24/presentation/xiang",
        "http://usenix.org/conference/osdi24/presentation/xiang/",
        "HTTPS://WWW.USENIX.ORG/conference/osdi24/presentation/xiang",
        "www.usenix.org/conference/osdi24/presentation/xiang"}) {
    v1::PaperRef ref;
    ref.set_url(url);
    EXPECT_EQ(finder.Find(ref), &papers[1]) << url;
  }
  v1::PaperRef other;
  other.set_url("https://www.usenix.org/conference/osdi24/presentation/lin");
  EXPECT_THAT(finder.Find(other), IsNull());
}

TEST(PaperFinderTest, FindsByExactTitleKey) {
  const std::vector<v1::Paper> papers = {
      Paper(kNomadTitle, "OSDI", 2024),
      Paper("PIT: Optimization of Dynamic Sparse Deep Learning Models via "
            "Permutation Invariant Transformation",
            "SOSP", 2023),
  };
  const PaperFinder finder(papers);
  EXPECT_EQ(finder.Find(Ref("Nomad - non-exclusive memory tiering via "
                            "transactional page migration",
                            2024)),
            &papers[0]);
  EXPECT_EQ(finder.Find(Ref("PIT: Optimization of Dynamic Sparse Deep "
                            "Learning Models via Permutation Invariant "
                            "Transformation")),
            &papers[1]);
}

TEST(PaperFinderTest, WrongDoiStillFindsByTitle) {
  const std::vector<v1::Paper> papers = {
      Paper(kNomadTitle, "OSDI", 2024, "10.5555/nomad"),
  };
  const PaperFinder finder(papers);
  EXPECT_EQ(finder.Find(Ref(kNomadTitle, 2024, "10.9999/other")), &papers[0]);
}

TEST(PaperFinderTest, FindsTheScheduleSpellingOfPowerInferInTheCatalog) {
  const std::vector<v1::Paper> papers = BundledCatalog();
  const PaperFinder finder(papers);
  const v1::Paper* found = finder.Find(Ref(kPowerInferScheduleSpelling, 2024));
  ASSERT_THAT(found, NotNull());
  EXPECT_EQ(found->title(), kPowerInferTitle);
  EXPECT_THAT(found->id(), StartsWith("sosp24-powerinfer"));
}

TEST(PaperFinderTest, FuzzyMatchIsRefusedAcrossYears) {
  const std::vector<v1::Paper> papers = BundledCatalog();
  const PaperFinder finder(papers);
  EXPECT_THAT(finder.Find(Ref(kPowerInferScheduleSpelling, 2023)), IsNull());
  EXPECT_THAT(finder.Find(Ref(kPowerInferScheduleSpelling, 2025)), IsNull());
}

TEST(PaperFinderTest, FuzzyMatchNeedsTheSameFirstSixteenCharacters) {
  const std::vector<v1::Paper> papers = {Paper(kPowerInferTitle, "SOSP", 2024)};
  const PaperFinder finder(papers);
  // One letter off within the first 16 characters of the key: close enough
  // for TitleKeysMatch, but not a shared prefix.
  const std::string typo =
      "PowerInfor: Fast Large Language Model Serving with a Consumer-grade "
      "GPU";
  ASSERT_TRUE(TitleKeysMatch(TitleKey(typo), TitleKey(kPowerInferTitle)));
  EXPECT_THAT(finder.Find(Ref(typo, 2024)), IsNull());
  // The same typo past the first 16 characters is found.
  EXPECT_EQ(finder.Find(Ref("PowerInfer: Fast Large Languag Model Serving "
                            "with a Consumer-grade GPU",
                            2024)),
            &papers[0]);
}

TEST(PaperFinderTest, UnrelatedTitlesFindNothing) {
  const std::vector<v1::Paper> papers = BundledCatalog();
  const PaperFinder finder(papers);
  EXPECT_THAT(
      finder.Find(Ref("Growing Tomatoes on a Balcony: A Field Study", 2024)),
      IsNull());
  EXPECT_THAT(finder.Find(Ref("PowerInfer", 2024)), IsNull());
  EXPECT_THAT(finder.Find(Ref("Fast Large Language Model Serving", 2024)),
              IsNull());
}

TEST(PaperFinderTest, EmptyRefFindsNothing) {
  const std::vector<v1::Paper> papers = BundledCatalog();
  const PaperFinder finder(papers);
  EXPECT_THAT(finder.Find(v1::PaperRef()), IsNull());
  v1::PaperRef year_only;
  year_only.set_year(2024);
  year_only.set_venue("OSDI");
  EXPECT_THAT(finder.Find(year_only), IsNull());
}

TEST(PaperFinderTest, EmptyCatalogFindsNothing) {
  const std::vector<v1::Paper> papers;
  const PaperFinder finder(papers);
  EXPECT_THAT(
      finder.Find(Ref(kPowerInferTitle, 2024, "10.1/x", "https://example.com")),
      IsNull());
}

}  // namespace
}  // namespace lectern
