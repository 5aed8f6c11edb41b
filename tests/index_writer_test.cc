// IndexWriter against real Xapian databases in temp folders.
#include "indexer/index_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <xapian.h>

#include <filesystem>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "indexer/corpus.h"
#include "indexer/group_config.h"
#include "indexer/schema.h"
#include "indexer/synonyms.h"
#include "tests/testing/paths.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace lectern {
namespace {

using ::lectern::testing::BundledConfig;
using ::lectern::testing::IsOk;
using ::lectern::testing::StatusIs;
using ::lectern::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

constexpr char kSchedule[] = R"(# 2024 Fall

## Schedule

### September 03

- [OSDI'24] [Parrot: Efficient Serving of LLM-based Applications](https://example.org/parrot.pdf)
- Chaoyi Ruan, Kunzhao Xu

### September 10

- [SOSP'23] [PIT: Optimization of Dynamic Sparse Deep Learning Models](https://example.org/pit.pdf)
- Jiaan Zhu (Andy)

### September 17

- [OSDI'24] [Nomad: Non-Exclusive Memory Tiering](https://example.org/nomad.pdf)
- Jiahao Li
)";

// A config in `dir` with one Markdown group per (id, schedule text).
std::string WriteConfig(const TempDir& dir,
                        const std::map<std::string, std::string>& groups) {
  std::string config;
  for (const auto& [id, schedule] : groups) {
    dir.WriteFile(absl::StrCat(id, ".md"), schedule);
    absl::StrAppend(&config, "groups { id: \"", id, "\" schedule_file: \"", id,
                    ".md\" schedule_format: SCHEDULE_FORMAT_MARKDOWN }\n");
  }
  return dir.WriteFile("lectern.textproto", config);
}

Corpus Load(const std::string& config_path) {
  auto config = LoadConfig(config_path);
  EXPECT_THAT(config, IsOk());
  if (!config.ok()) return {};
  return LoadCorpus(*config);
}

absl::StatusOr<IndexReport> Apply(const std::string& index,
                                  const Corpus& corpus) {
  auto writer = IndexWriter::Open(index);
  if (!writer.ok()) return writer.status();
  return (*writer)->Apply(corpus);
}

// The stored record of `type` with `id`, or nullopt.
template <typename Record = v1::Session>
std::optional<Record> Stored(const std::string& index, absl::string_view type,
                             const std::string& id) {
  Xapian::Database db(index);
  const std::string term = schema::IdTerm(type, id);
  auto posting = db.postlist_begin(term);
  if (posting == db.postlist_end(term)) return std::nullopt;
  Record record;
  if (!record.ParseFromString(db.get_document(*posting).get_data())) {
    return std::nullopt;
  }
  return record;
}

std::optional<v1::Session> StoredSession(const std::string& index,
                                         const std::string& id) {
  return Stored<v1::Session>(index, schema::kTypeSession, id);
}

TEST(IndexWriterTest, IndexesEveryBundledRecordExactly) {
  TempDir dir;
  const Corpus corpus = Load(BundledConfig());
  ASSERT_THAT(corpus.issues, IsEmpty());
  ASSERT_EQ(corpus.sessions.size(), 44u);  // 20 + 24 entries in the seeds
  ASSERT_EQ(corpus.papers.size(), 594u);   // data/catalog/osdi_sosp.jsonl
  ASSERT_EQ(corpus.summaries.size(), 7u);  // data/summaries/*/*.md
  const int total = 44 + 594 + 7;

  ASSERT_OK_AND_ASSIGN(IndexReport report, Apply(dir.Path("index"), corpus));
  EXPECT_EQ(report.added, total);
  EXPECT_EQ(report.documents, total);
  for (const v1::Session& session : corpus.sessions) {
    const auto stored = StoredSession(dir.Path("index"), session.id());
    ASSERT_TRUE(stored.has_value()) << session.id();
    EXPECT_EQ(stored->SerializeAsString(), session.SerializeAsString())
        << session.id();
  }
  for (const v1::Paper& paper : corpus.papers) {
    const auto stored =
        Stored<v1::Paper>(dir.Path("index"), schema::kTypePaper, paper.id());
    ASSERT_TRUE(stored.has_value()) << paper.id();
    EXPECT_EQ(stored->SerializeAsString(), paper.SerializeAsString());
  }
  for (const v1::Summary& summary : corpus.summaries) {
    const auto stored = Stored<v1::Summary>(dir.Path("index"),
                                            schema::kTypeSummary, summary.id());
    ASSERT_TRUE(stored.has_value()) << summary.id();
    EXPECT_EQ(stored->SerializeAsString(), summary.SerializeAsString());
  }
  Xapian::Database db(dir.Path("index"));
  for (const v1::Group& group : corpus.groups) {
    v1::Group stored;
    ASSERT_TRUE(stored.ParseFromString(
        db.get_metadata(absl::StrCat(schema::kMetaGroupPrefix, group.id()))));
    EXPECT_EQ(stored.SerializeAsString(), group.SerializeAsString());
  }
}

TEST(IndexWriterTest, RerunOnUnchangedInputChangesNothing) {
  TempDir dir;
  const Corpus corpus = Load(BundledConfig());
  ASSERT_OK_AND_ASSIGN(IndexReport first, Apply(dir.Path("index"), corpus));
  ASSERT_OK_AND_ASSIGN(IndexReport second,
                       Apply(dir.Path("index"), Load(BundledConfig())));
  EXPECT_EQ(second.changes(), 0);
  EXPECT_EQ(second.unchanged, first.added);
  EXPECT_EQ(second.revision, first.revision);
  EXPECT_EQ(second.documents, first.documents);
}

TEST(IndexWriterTest, ChangedSessionIsReplacedNotDuplicated) {
  TempDir dir;
  const std::string config = WriteConfig(dir, {{"g", kSchedule}});
  ASSERT_THAT(Apply(dir.Path("index"), Load(config)), IsOk());

  WriteConfig(
      dir, {{"g", absl::StrReplaceAll(kSchedule, {{"Jiahao Li", "Sen Han"}})}});
  ASSERT_OK_AND_ASSIGN(IndexReport report,
                       Apply(dir.Path("index"), Load(config)));
  EXPECT_EQ(report.updated, 1);
  EXPECT_EQ(report.unchanged, 2);
  EXPECT_EQ(report.documents, 3);
  const auto stored = StoredSession(dir.Path("index"), "g/2024-09-17/1");
  ASSERT_TRUE(stored.has_value());
  ASSERT_EQ(stored->presenters_size(), 1);
  EXPECT_EQ(stored->presenters(0).name(), "Sen Han");
}

TEST(IndexWriterTest, BadLineKeepsTheIndexedSessionAndIndexesTheRest) {
  TempDir dir;
  const std::string config = WriteConfig(dir, {{"g", kSchedule}});
  ASSERT_THAT(Apply(dir.Path("index"), Load(config)), IsOk());
  const auto before = StoredSession(dir.Path("index"), "g/2024-09-10/1");
  ASSERT_TRUE(before.has_value());

  // September 10 becomes unreadable; September 17 changes for real.
  WriteConfig(dir, {{"g", absl::StrReplaceAll(
                              kSchedule, {{"[SOSP'23] [PIT", "[SOSP'2x] [PIT"},
                                          {"Jiahao Li", "Sen Han"}})}});
  const Corpus broken = Load(config);
  ASSERT_EQ(broken.issues.size(), 1u);
  EXPECT_EQ(broken.issues[0].line, 12);
  EXPECT_THAT(broken.issues[0].text, HasSubstr("[SOSP'2x]"));
  ASSERT_OK_AND_ASSIGN(IndexReport report, Apply(dir.Path("index"), broken));
  EXPECT_EQ(report.deleted, 0);
  EXPECT_EQ(report.updated, 1);
  EXPECT_EQ(report.documents, 3);

  const auto after = StoredSession(dir.Path("index"), "g/2024-09-10/1");
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->SerializeAsString(), before->SerializeAsString());
  EXPECT_EQ(
      StoredSession(dir.Path("index"), "g/2024-09-17/1")->presenters(0).name(),
      "Sen Han");
}

TEST(IndexWriterTest, CleanScheduleDropsSessionsItNoLongerLists) {
  TempDir dir;
  const std::string config = WriteConfig(dir, {{"g", kSchedule}});
  ASSERT_THAT(Apply(dir.Path("index"), Load(config)), IsOk());

  const std::string shorter(kSchedule,
                            std::string(kSchedule).find("### September 17"));
  WriteConfig(dir, {{"g", shorter}});
  const Corpus corpus = Load(config);
  ASSERT_THAT(corpus.issues, IsEmpty());
  ASSERT_OK_AND_ASSIGN(IndexReport report, Apply(dir.Path("index"), corpus));
  EXPECT_EQ(report.deleted, 1);
  EXPECT_EQ(report.documents, 2);
  EXPECT_FALSE(StoredSession(dir.Path("index"), "g/2024-09-17/1").has_value());
  EXPECT_TRUE(StoredSession(dir.Path("index"), "g/2024-09-10/1").has_value());
}

TEST(IndexWriterTest, GroupDroppedFromTheConfigIsRemoved) {
  TempDir dir;
  const std::string config =
      WriteConfig(dir, {{"a", kSchedule}, {"b", kSchedule}});
  ASSERT_OK_AND_ASSIGN(IndexReport first,
                       Apply(dir.Path("index"), Load(config)));
  EXPECT_EQ(first.documents, 6);

  WriteConfig(dir, {{"a", kSchedule}});
  ASSERT_OK_AND_ASSIGN(IndexReport report,
                       Apply(dir.Path("index"), Load(config)));
  EXPECT_THAT(report.removed_groups, ElementsAre("b"));
  EXPECT_EQ(report.deleted, 3);
  EXPECT_EQ(report.documents, 3);
  Xapian::Database db(dir.Path("index"));
  EXPECT_EQ(db.get_metadata(absl::StrCat(schema::kMetaGroupPrefix, "b")), "");
  EXPECT_NE(db.get_metadata(absl::StrCat(schema::kMetaGroupPrefix, "a")), "");
}

// A config with one group, one JSON Lines catalog and one summary folder.
std::string WriteCorpusConfig(const TempDir& dir, const std::string& catalog,
                              const std::map<std::string, std::string>& notes) {
  dir.WriteFile("g.md", kSchedule);
  dir.WriteFile("catalog.jsonl", catalog);
  std::filesystem::remove_all(dir.Path("notes"));
  std::filesystem::create_directories(dir.Path("notes"));
  for (const auto& [name, text] : notes) dir.WriteFile("notes/" + name, text);
  return dir.WriteFile("lectern.textproto", R"(
groups { id: "g" schedule_file: "g.md" }
catalogs { path: "catalog.jsonl" }
summaries { path: "notes" group: "g" }
)");
}

constexpr char kNomad[] =
    R"({"title": "Nomad: Non-Exclusive Memory Tiering", "venue": "OSDI", "year": 2024})"
    "\n";
constexpr char kMotor[] =
    R"({"title": "Motor: Enabling Multi-Versioning", "venue": "OSDI", "year": 2024})"
    "\n";

TEST(IndexWriterTest, PapersAndSummariesFollowTheirInputs) {
  TempDir dir;
  const std::string config =
      WriteCorpusConfig(dir, std::string(kNomad) + kMotor,
                        {{"240917-nomad.md", "# Nomad\n\nWe discussed it.\n"}});
  ASSERT_OK_AND_ASSIGN(IndexReport first,
                       Apply(dir.Path("index"), Load(config)));
  EXPECT_EQ(first.documents, 3 + 2 + 1);
  EXPECT_TRUE(Stored<v1::Paper>(dir.Path("index"), schema::kTypePaper,
                                "osdi24-motor-enabling-multi"));

  // A record and the summary file disappear from clean inputs: both go.
  WriteCorpusConfig(dir, kNomad, {});
  ASSERT_OK_AND_ASSIGN(IndexReport second,
                       Apply(dir.Path("index"), Load(config)));
  EXPECT_EQ(second.deleted, 2);
  EXPECT_EQ(second.documents, 3 + 1);
  EXPECT_FALSE(Stored<v1::Paper>(dir.Path("index"), schema::kTypePaper,
                                 "osdi24-motor-enabling-multi"));
  EXPECT_FALSE(Stored<v1::Summary>(dir.Path("index"), schema::kTypeSummary,
                                   "notes/240917-nomad.md"));
}

TEST(IndexWriterTest, BrokenCatalogLineKeepsThePaperItHeld) {
  TempDir dir;
  const std::string config =
      WriteCorpusConfig(dir, std::string(kNomad) + kMotor, {});
  ASSERT_THAT(Apply(dir.Path("index"), Load(config)), IsOk());
  const auto before = Stored<v1::Paper>(dir.Path("index"), schema::kTypePaper,
                                        "osdi24-motor-enabling-multi");
  ASSERT_TRUE(before.has_value());

  // Motor's line is now broken JSON: reported, and its paper stays.
  WriteCorpusConfig(dir, std::string(kNomad) + "{\"title\": \"Motor\n", {});
  const Corpus corpus = Load(config);
  ASSERT_THAT(corpus.issues, SizeIs(1));
  EXPECT_EQ(corpus.issues[0].line, 2);
  ASSERT_OK_AND_ASSIGN(IndexReport report, Apply(dir.Path("index"), corpus));
  EXPECT_EQ(report.deleted, 0);
  const auto after = Stored<v1::Paper>(dir.Path("index"), schema::kTypePaper,
                                       "osdi24-motor-enabling-multi");
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->SerializeAsString(), before->SerializeAsString());
}

// How many documents the spelling table counts for `word`.
Xapian::doccount SpellingFrequency(const Xapian::Database& db,
                                   const std::string& word) {
  for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it) {
    if (*it == word) return it.get_termfreq();
  }
  return 0;
}

TEST(IndexWriterTest, SpellingTableHoldsTheWordsOfCurrentDocuments) {
  TempDir dir;
  const std::string config = WriteConfig(dir, {{"g", kSchedule}});
  ASSERT_THAT(Apply(dir.Path("index"), Load(config)), IsOk());
  {
    Xapian::Database db(dir.Path("index"));
    EXPECT_EQ(SpellingFrequency(db, "nomad"), 1u);
    EXPECT_EQ(SpellingFrequency(db, "tigris"), 0u);
    EXPECT_EQ(db.get_spelling_suggestion("nomda"), "nomad");
    // Short words are left out of the table.
    EXPECT_EQ(SpellingFrequency(db, "li"), 0u);
  }
  WriteConfig(dir,
              {{"g", absl::StrReplaceAll(kSchedule, {{"Nomad", "Tigris"}})}});
  ASSERT_OK_AND_ASSIGN(IndexReport report,
                       Apply(dir.Path("index"), Load(config)));
  EXPECT_EQ(report.updated, 1);
  Xapian::Database db(dir.Path("index"));
  EXPECT_EQ(SpellingFrequency(db, "nomad"), 0u);
  EXPECT_EQ(SpellingFrequency(db, "tigris"), 1u);
  // Words of unchanged documents are not counted twice.
  EXPECT_EQ(SpellingFrequency(db, "parrot"), 1u);
}

TEST(IndexWriterTest, SynonymsAreStoredAndKeptWhenTheFileBreaks) {
  TempDir dir;
  dir.WriteFile("g.md", kSchedule);
  dir.WriteFile("synonyms.txt", "llm, large language model\n");
  const std::string config = dir.WriteFile("lectern.textproto", R"(
groups { id: "g" schedule_file: "g.md" }
synonyms_file: "synonyms.txt"
)");
  ASSERT_THAT(Apply(dir.Path("index"), Load(config)), IsOk());
  auto stored = [&] {
    return Xapian::Database(dir.Path("index"))
        .get_metadata(std::string(schema::kMetaSynonyms));
  };
  ASSERT_OK_AND_ASSIGN(SynonymTable table, SynonymTable::Deserialize(stored()));
  ASSERT_THAT(table.groups(), SizeIs(1));
  EXPECT_THAT(table.groups()[0], ElementsAre("llm", "large language model"));

  // A broken line: reported with its line, and the stored table stays.
  const std::string before = stored();
  dir.WriteFile("synonyms.txt", "llm, large language model\ngpu\n");
  const Corpus broken = Load(config);
  ASSERT_THAT(broken.issues, SizeIs(1));
  EXPECT_EQ(broken.issues[0].line, 2);
  ASSERT_THAT(Apply(dir.Path("index"), broken), IsOk());
  EXPECT_EQ(stored(), before);

  // Fixed: the new table replaces it.
  dir.WriteFile("synonyms.txt", "gpu, accelerator\n");
  ASSERT_THAT(Apply(dir.Path("index"), Load(config)), IsOk());
  ASSERT_OK_AND_ASSIGN(table, SynonymTable::Deserialize(stored()));
  ASSERT_THAT(table.groups(), SizeIs(1));
  EXPECT_THAT(table.groups()[0], ElementsAre("gpu", "accelerator"));
}

TEST(IndexWriterTest, SummaryFollowsTheSessionItCovers) {
  TempDir dir;
  const std::string config = WriteCorpusConfig(
      dir, kNomad, {{"240917-nomad.md", "# Nomad\n\nWe discussed it.\n"}});
  ASSERT_THAT(Apply(dir.Path("index"), Load(config)), IsOk());
  auto summary_has = [&](const std::string& term) {
    Xapian::Database db(dir.Path("index"));
    const std::string id =
        schema::IdTerm(schema::kTypeSummary, "notes/240917-nomad.md");
    const Xapian::Document doc = db.get_document(*db.postlist_begin(id));
    auto it = doc.termlist_begin();
    it.skip_to(term);
    return it != doc.termlist_end() && *it == term;
  };
  EXPECT_TRUE(summary_has(schema::Term(schema::kPerson, "jiahaoli")));
  EXPECT_TRUE(summary_has(schema::Term(schema::kVenue, "osdi")));

  // The session's presenter changes; the summary file does not, but its
  // document carries the session's presenters and is rewritten too.
  dir.WriteFile("g.md",
                absl::StrReplaceAll(kSchedule, {{"Jiahao Li", "Sen Han"}}));
  ASSERT_OK_AND_ASSIGN(IndexReport report,
                       Apply(dir.Path("index"), Load(config)));
  EXPECT_EQ(report.updated, 2);
  EXPECT_FALSE(summary_has(schema::Term(schema::kPerson, "jiahaoli")));
  EXPECT_TRUE(summary_has(schema::Term(schema::kPerson, "senhan")));
}

TEST(IndexWriterTest, SecondWriterFailsFastWhileTheFirstHoldsTheLock) {
  TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto first, IndexWriter::Open(dir.Path("index")));
  EXPECT_THAT(
      IndexWriter::Open(dir.Path("index")),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("locked")));
}

TEST(IndexWriterTest, UnwritableLocationIsAnError) {
  TempDir dir;
  const std::string file = dir.WriteFile("not-a-folder", "x");
  EXPECT_THAT(IndexWriter::Open(file + "/index"), Not(IsOk()));
}

// --- building a new index in slices (IndexWriter::set_threads) ---

// Everything a reader can see in `index`, as text: per document its id,
// data, values and terms with wdf and positions; per term its frequencies;
// the spelling table with frequencies; the metadata except the commit
// time; the collection statistics.
std::string Dump(const std::string& index) {
  Xapian::Database db(index);
  std::string out =
      absl::StrCat("docs ", db.get_doccount(), " last ", db.get_lastdocid(),
                   " length ", db.get_total_length(), "\n");
  for (auto posting = db.postlist_begin(""); posting != db.postlist_end("");
       ++posting) {
    const Xapian::Document doc = db.get_document(*posting);
    absl::StrAppend(&out, "doc ", *posting, " len ", posting.get_doclength(),
                    " data ", doc.get_data().size(), ":",
                    std::hash<std::string>()(doc.get_data()), "\n");
    for (auto value = doc.values_begin(); value != doc.values_end(); ++value) {
      absl::StrAppend(&out, " v", value.get_valueno(), "=", *value, "\n");
    }
    for (auto term = doc.termlist_begin(); term != doc.termlist_end(); ++term) {
      absl::StrAppend(&out, " t ", *term, " ", term.get_wdf(), " @");
      for (auto pos = term.positionlist_begin(); pos != term.positionlist_end();
           ++pos) {
        absl::StrAppend(&out, " ", *pos);
      }
      absl::StrAppend(&out, "\n");
    }
  }
  for (auto term = db.allterms_begin(); term != db.allterms_end(); ++term) {
    absl::StrAppend(&out, "term ", *term, " ", term.get_termfreq(), " ",
                    db.get_collection_freq(*term), "\n");
  }
  for (auto word = db.spellings_begin(); word != db.spellings_end(); ++word) {
    absl::StrAppend(&out, "spell ", *word, " ", word.get_termfreq(), "\n");
  }
  for (auto key = db.metadata_keys_begin(); key != db.metadata_keys_end();
       ++key) {
    if (*key == schema::kMetaCommittedAt) continue;
    absl::StrAppend(&out, "meta ", *key, " ",
                    std::hash<std::string>()(db.get_metadata(*key)), "\n");
  }
  return out;
}

absl::StatusOr<IndexReport> ApplyWithThreads(const std::string& index,
                                             const Corpus& corpus, int threads,
                                             size_t min_per_thread) {
  auto writer = IndexWriter::Open(index);
  if (!writer.ok()) return writer.status();
  (*writer)->set_threads(threads, min_per_thread);
  return (*writer)->Apply(corpus);
}

TEST(IndexWriterSlicesTest, NewIndexBuiltInSlicesIsTheSameIndex) {
  TempDir dir;
  const Corpus corpus = Load(BundledConfig());
  ASSERT_THAT(corpus.issues, IsEmpty());
  ASSERT_OK_AND_ASSIGN(const IndexReport one,
                       ApplyWithThreads(dir.Path("one"), corpus, 1, 10));
  ASSERT_OK_AND_ASSIGN(const IndexReport three,
                       ApplyWithThreads(dir.Path("three"), corpus, 3, 10));
  EXPECT_EQ(three.added, one.added);
  EXPECT_EQ(three.documents, one.documents);
  const std::string expected = Dump(dir.Path("one"));
  const std::string actual = Dump(dir.Path("three"));
  // Compare sizes first: a diff of megabytes helps nobody.
  ASSERT_EQ(actual.size(), expected.size());
  EXPECT_TRUE(actual == expected);
  // The slices are gone and only Xapian's files remain.
  EXPECT_FALSE(std::filesystem::exists(dir.Path("three/slices.tmp")));
  // The commit time is there, as after a single writer.
  EXPECT_THAT(Xapian::Database(dir.Path("three"))
                  .get_metadata(std::string(schema::kMetaCommittedAt)),
              Not(IsEmpty()));
}

TEST(IndexWriterSlicesTest, RerunAfterSlicesChangesNothing) {
  TempDir dir;
  const Corpus corpus = Load(BundledConfig());
  ASSERT_THAT(ApplyWithThreads(dir.Path("index"), corpus, 2, 10), IsOk());
  ASSERT_OK_AND_ASSIGN(const IndexReport rerun,
                       ApplyWithThreads(dir.Path("index"), corpus, 2, 10));
  EXPECT_EQ(rerun.changes(), 0);
  EXPECT_EQ(rerun.unchanged, rerun.documents);
}

TEST(IndexWriterSlicesTest, ExistingIndexIsUpdatedInPlace) {
  TempDir dir;
  const std::string config = WriteConfig(dir, {{"fall-2024", kSchedule}});
  ASSERT_THAT(Apply(dir.Path("index"), Load(config)), IsOk());
  // A second run with threads on an index that holds documents updates it:
  // nothing is rebuilt, and the added group's sessions come in.
  const Corpus bundled = Load(BundledConfig());
  ASSERT_OK_AND_ASSIGN(const IndexReport report,
                       ApplyWithThreads(dir.Path("index"), bundled, 2, 10));
  EXPECT_GT(report.added, 0);
  EXPECT_FALSE(std::filesystem::exists(dir.Path("index/slices.tmp")));
  EXPECT_EQ(Xapian::Database(dir.Path("index")).get_doccount(),
            static_cast<Xapian::doccount>(report.documents));
}

TEST(IndexWriterSlicesTest, SmallCorpusIsWrittenByOneWriter) {
  TempDir dir;
  const Corpus corpus = Load(WriteConfig(dir, {{"fall-2024", kSchedule}}));
  // Three sessions, below 2 × 10 documents: no slices, the same result.
  ASSERT_OK_AND_ASSIGN(const IndexReport report,
                       ApplyWithThreads(dir.Path("index"), corpus, 4, 10));
  EXPECT_EQ(report.added, 3);
  ASSERT_OK_AND_ASSIGN(const IndexReport single,
                       ApplyWithThreads(dir.Path("single"), corpus, 1, 10));
  EXPECT_EQ(Dump(dir.Path("index")), Dump(dir.Path("single")));
}

}  // namespace
}  // namespace lectern
