// LoadCorpus on the bundled data and on small configs: links between
// sessions, papers and summaries, and which inputs count as failed.
#include "indexer/corpus.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "tests/testing/paths.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace lectern {
namespace {

using ::lectern::testing::IsOk;
using ::lectern::testing::TempDir;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

Corpus LoadBundled() {
  auto config = LoadConfig(testing::BundledConfig());
  EXPECT_THAT(config, IsOk());
  return config.ok() ? LoadCorpus(*config) : Corpus{};
}

const v1::Session* SessionById(const Corpus& corpus, const std::string& id) {
  for (const v1::Session& session : corpus.sessions) {
    if (session.id() == id) return &session;
  }
  return nullptr;
}

const v1::Paper* PaperById(const Corpus& corpus, const std::string& id) {
  for (const v1::Paper& paper : corpus.papers) {
    if (paper.id() == id) return &paper;
  }
  return nullptr;
}

TEST(CorpusTest, BundledDataLoadsCleanly) {
  const Corpus corpus = LoadBundled();
  EXPECT_THAT(corpus.issues, IsEmpty());
  EXPECT_THAT(corpus.failed_origins, IsEmpty());
  EXPECT_EQ(corpus.sessions.size(), 44u);
  EXPECT_EQ(corpus.catalog_records, 594u);
  EXPECT_EQ(corpus.papers.size(), 594u);  // no duplicates in the file
  EXPECT_EQ(corpus.summaries.size(), 7u);
}

TEST(CorpusTest, BothPowerInferSessionsLinkToTheSameCatalogPaper) {
  const Corpus corpus = LoadBundled();
  const v1::Session* fall = SessionById(corpus, "fall-2024/2024-12-10/1");
  const v1::Session* list = SessionById(corpus, "paper-list-2024/2025-01-07/1");
  ASSERT_NE(fall, nullptr);
  ASSERT_NE(list, nullptr);
  // The list writes "PowerInfer Fast … Consumer-grade GPUTraining".
  EXPECT_THAT(list->title(), HasSubstr("GPUTraining"));
  ASSERT_FALSE(fall->paper().paper_id().empty());
  EXPECT_EQ(list->paper().paper_id(), fall->paper().paper_id());
  const v1::Paper* paper = PaperById(corpus, fall->paper().paper_id());
  ASSERT_NE(paper, nullptr);
  EXPECT_EQ(paper->title(),
            "PowerInfer: Fast Large Language Model Serving with a "
            "Consumer-grade GPU");
  EXPECT_EQ(paper->venue(), "SOSP");
  EXPECT_EQ(paper->year(), 2024);
  // The session keeps its own title, venue and year.
  EXPECT_EQ(list->paper().venue(), "SOSP");
}

TEST(CorpusTest, EverySeedPaperInTheCatalogIsLinked) {
  const Corpus corpus = LoadBundled();
  std::map<std::string, int> linked_by_group;
  for (const v1::Session& session : corpus.sessions) {
    if (!session.paper().paper_id().empty()) {
      ++linked_by_group[session.group()];
      const v1::Paper* paper = PaperById(corpus, session.paper().paper_id());
      ASSERT_NE(paper, nullptr) << session.id();
      EXPECT_EQ(paper->year(), session.paper().year()) << session.id();
    }
  }
  // All 15 OSDI/SOSP papers of the Markdown schedule; from the list, the
  // five the catalog holds (data/README.md): Optimizing Resource
  // Allocation, dLoRA, USHER, DistServe, PowerInfer.
  EXPECT_EQ(linked_by_group["fall-2024"], 15);
  EXPECT_EQ(linked_by_group["paper-list-2024"], 5);
  // Sessions whose paper is not in the catalog keep their own data.
  const v1::Session* igniter =
      SessionById(corpus, "paper-list-2024/2024-09-17/1");
  ASSERT_NE(igniter, nullptr);
  EXPECT_EQ(igniter->paper().paper_id(), "");
  EXPECT_EQ(igniter->paper().venue(), "TPDS");
  EXPECT_EQ(igniter->paper().year(), 2024);
}

TEST(CorpusTest, SummariesLinkToTheirSessionsAndPapers) {
  const Corpus corpus = LoadBundled();
  std::map<std::string, const v1::Summary*> by_id;
  for (const v1::Summary& summary : corpus.summaries)
    by_id[summary.id()] = &summary;

  // Named by file name only, in a folder whose group is fall-2024.
  ASSERT_TRUE(by_id.count("summaries/fall-2024/241022-msh.md"));
  const v1::Summary& msh = *by_id["summaries/fall-2024/241022-msh.md"];
  EXPECT_EQ(msh.session_id(), "fall-2024/2024-10-22/1");
  EXPECT_EQ(msh.language(), "en");
  EXPECT_FALSE(msh.paper_id().empty());
  // Front matter picks one of two sessions of 2024-12-24 by paper.
  ASSERT_TRUE(by_id.count("summaries/paper-list-2024/241224-distserve.md"));
  const v1::Summary& distserve =
      *by_id["summaries/paper-list-2024/241224-distserve.md"];
  EXPECT_EQ(distserve.session_id(), "paper-list-2024/2024-12-24/1");
  // Chinese, with the session's Q&A link as url when the file gives none.
  ASSERT_TRUE(by_id.count("summaries/fall-2024/240910-pit.md"));
  const v1::Summary& pit = *by_id["summaries/fall-2024/240910-pit.md"];
  EXPECT_EQ(pit.language(), "zh");
  EXPECT_EQ(pit.url(), "https://zhuanlan.zhihu.com/p/720960564");
  for (const v1::Summary& summary : corpus.summaries) {
    const v1::Session* session = SessionById(corpus, summary.session_id());
    ASSERT_NE(session, nullptr) << summary.id();
    EXPECT_EQ(summary.group(), session->group());
    EXPECT_EQ(summary.date(), session->date());
    EXPECT_EQ(summary.paper_id(), session->paper().paper_id());
  }
}

TEST(CorpusTest, UnresolvableSummaryIsReportedAndItsFolderFailed) {
  TempDir dir;
  dir.WriteFile("list.txt", "1) 9.17, A Paper (OSDI'24), Fei Xu\n");
  dir.WriteFile("notes/240917-a.md", "# A\n\nText.\n");
  dir.WriteFile("notes/250101-nothing.md",
                "# Nothing\n\nNo session that day.\n");
  const std::string config = dir.WriteFile("lectern.textproto", R"(
groups { id: "g" schedule_file: "list.txt" semester_start_year: 2024 }
summaries { path: "notes" }
)");
  auto loaded = LoadConfig(config);
  ASSERT_THAT(loaded, IsOk());
  const Corpus corpus = LoadCorpus(*loaded);
  ASSERT_THAT(corpus.summaries, SizeIs(1));
  EXPECT_EQ(corpus.summaries[0].session_id(), "g/2024-09-17/1");
  ASSERT_THAT(corpus.issues, SizeIs(1));
  EXPECT_EQ(corpus.issues[0].file, dir.Path("notes/250101-nothing.md"));
  EXPECT_THAT(corpus.issues[0].message, HasSubstr("2025-01-01"));
  EXPECT_THAT(corpus.failed_origins, Contains(SummariesOrigin("notes")));
  EXPECT_FALSE(corpus.failed_origins.count(GroupOrigin("g")));
}

TEST(CorpusTest, CatalogWithABadLineFailsOnlyThatCatalog) {
  TempDir dir;
  dir.WriteFile("list.txt", "1) 9.17, A Paper (OSDI'24), Fei Xu\n");
  dir.WriteFile("good.jsonl",
                R"({"title": "A Paper", "venue": "OSDI", "year": 2024})"
                "\n");
  dir.WriteFile("bad.jsonl",
                R"({"title": "Another Paper", "venue": "SOSP", "year": 2023})"
                "\n{not json\n");
  const std::string config = dir.WriteFile("lectern.textproto", R"(
groups { id: "g" schedule_file: "list.txt" semester_start_year: 2024 }
catalogs { path: "good.jsonl" }
catalogs { path: "bad.jsonl" }
)");
  auto loaded = LoadConfig(config);
  ASSERT_THAT(loaded, IsOk());
  const Corpus corpus = LoadCorpus(*loaded);
  EXPECT_THAT(corpus.papers, SizeIs(2));
  ASSERT_THAT(corpus.issues, SizeIs(1));
  EXPECT_EQ(corpus.issues[0].file, dir.Path("bad.jsonl"));
  EXPECT_EQ(corpus.issues[0].line, 2);
  EXPECT_THAT(corpus.failed_origins, Contains(CatalogOrigin("bad.jsonl")));
  EXPECT_FALSE(corpus.failed_origins.count(CatalogOrigin("good.jsonl")));
  // The session found its paper in the good catalog.
  ASSERT_THAT(corpus.sessions, SizeIs(1));
  EXPECT_EQ(corpus.sessions[0].paper().paper_id(), "osdi24-paper");
}

}  // namespace
}  // namespace lectern
