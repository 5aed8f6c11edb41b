// A sharded index (shard_map.h) against one database holding the same
// corpus: the same answers, read through real xapian-tcpsrv servers on
// loopback, and a replica that goes away is read around.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "indexer/corpus.h"
#include "indexer/group_config.h"
#include "indexer/index_writer.h"
#include "indexer/schema.h"
#include "indexer/searcher.h"
#include "indexer/shard_map.h"
#include "indexer/sharded_writer.h"
#include "tests/testing/namespace_sandbox.h"
#include "tests/testing/paths.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace lectern {
namespace {

using ::lectern::testing::IsOk;
using ::lectern::testing::StatusIs;
using ::lectern::testing::Subprocess;
using ::lectern::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::SizeIs;

// A port nothing listens on now (the kernel's pick for port 0).
int UnusedLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof(address);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), size) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

// xapian-tcpsrv serving one database on 127.0.0.1.
struct ShardServer {
  std::unique_ptr<Subprocess> process;
  ShardReplica replica;
};

// Starts xapian-tcpsrv for `path` on `port` (0: one unused now) and waits
// (bounded) until it answers.
void StartShardServer(const TempDir& dir, const std::string& path,
                      ShardServer* server, int fixed_port = 0) {
  static int started = 0;
  const std::string tcpsrv = testing::FindProgram("xapian-tcpsrv");
  ASSERT_FALSE(tcpsrv.empty()) << "xapian-tcpsrv (Debian xapian-tools) is "
                                  "not installed: run scripts/install-deps.sh";
  // A port picked now may be taken before the server binds it: a few tries.
  for (int attempt = 0; attempt < 5; ++attempt) {
    const int port = fixed_port != 0 ? fixed_port : UnusedLoopbackPort();
    const std::string log = dir.Path(absl::StrCat("tcpsrv-", ++started));
    auto process = Subprocess::Start({tcpsrv, "--interface", "127.0.0.1",
                                      "--port", absl::StrCat(port), path},
                                     log + ".out", log + ".err",
                                     /*own_process_group=*/true);
    ASSERT_THAT(process, IsOk());
    for (int i = 0; i < 100; ++i) {
      try {
        Xapian::Remote::open("127.0.0.1", port, 1000, 1000).get_doccount();
        server->process = *std::move(process);
        server->replica = {"127.0.0.1", port};
        return;
      } catch (const Xapian::Error&) {
        if ((*process)->Wait(absl::Milliseconds(50)).has_value()) break;
      }
    }
  }
  FAIL() << "xapian-tcpsrv did not start for " << path;
}

// The answer with what may differ between a sharded index and one
// database taken out: scores (compared on their own, within a float
// tolerance), and the match count, which Xapian estimates per database
// unless every match is counted (as it is when facets are asked for).
v1::SearchResponse Comparable(v1::SearchResponse response, bool exact_count) {
  for (v1::SearchHit& hit : *response.mutable_hits()) hit.clear_score();
  if (!exact_count) response.clear_total_estimate();
  return response;
}

// Scores agree to this fraction, except where a query holds a synonym
// group or a wildcard: Xapian weights its OP_SYNONYM with a document
// frequency it estimates per database, so there they may differ by a
// little (docs/SCALING.md); ids and order must still agree.
constexpr double kScoreTolerance = 1e-9;
constexpr double kSynonymScoreTolerance = 0.02;

void ExpectSameAnswer(const absl::StatusOr<v1::SearchResponse>& sharded,
                      const absl::StatusOr<v1::SearchResponse>& whole,
                      const v1::SearchRequest& request,
                      double tolerance = kScoreTolerance) {
  SCOPED_TRACE(request.ShortDebugString());
  ASSERT_EQ(sharded.status(), whole.status());
  if (!whole.ok()) return;
  ASSERT_EQ(sharded->hits_size(), whole->hits_size());
  for (int i = 0; i < whole->hits_size(); ++i) {
    EXPECT_EQ(sharded->hits(i).id(), whole->hits(i).id()) << "hit " << i;
    EXPECT_NEAR(sharded->hits(i).score(), whole->hits(i).score(),
                tolerance * std::max(1.0, whole->hits(i).score()))
        << "hit " << i;
  }
  // Collapsing makes the count an estimate again.
  const bool exact = request.facets_size() > 0 && !request.collapse_papers();
  std::string differences;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&differences);
  EXPECT_TRUE(differencer.Compare(Comparable(*sharded, exact),
                                  Comparable(*whole, exact)))
      << differences;
}

// The query set: bench/queries/queries.tsv (drawn from the vocabulary of
// the real paper records; 'faceted' ones asked with facets), and queries
// over what only the home database holds, each by relevance and by date;
// the latter name synonym groups, so their scores agree more loosely.
struct QueryCase {
  v1::SearchRequest request;
  double tolerance = kScoreTolerance;
};

std::vector<QueryCase> QuerySet() {
  std::vector<QueryCase> requests;
  std::ifstream in(testing::SourceDir() + "/bench/queries/queries.tsv");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields = absl::StrSplit(line, '\t');
    if (fields.size() != 2) continue;
    v1::SearchRequest& request = requests.emplace_back().request;
    request.set_query(fields[1]);
    if (fields[0] == "faceted") {
      for (v1::Facet facet : {v1::FACET_TYPE, v1::FACET_VENUE, v1::FACET_YEAR,
                              v1::FACET_GROUP, v1::FACET_PRESENTER}) {
        request.add_facets(facet);
      }
    }
  }
  for (const char* query :
       {"kv cache", "llm serving", "scheduling", "presenter:\"kunzhao xu\"",
        "role:main gpu", "type:summary", "year:2023..2024 memory",
        "\"large language model\"", "schedulling memroy", "disaggregated",
        "venue:OSDI year:2024", "type:session"}) {
    for (v1::SearchSort sort :
         {v1::SEARCH_SORT_RELEVANCE, v1::SEARCH_SORT_NEWEST}) {
      QueryCase& added = requests.emplace_back();
      added.tolerance = kSynonymScoreTolerance;
      v1::SearchRequest& request = added.request;
      request.set_query(query);
      request.set_sort(sort);
      request.set_auto_correct(true);
      request.add_facets(v1::FACET_TYPE);
      request.add_facets(v1::FACET_VENUE);
      request.set_collapse_papers(sort == v1::SEARCH_SORT_NEWEST);
    }
  }
  return requests;
}

class ShardedIndexTest : public ::testing::Test {
 protected:
  // One database, and the same corpus in 2 shards (2 replicas each) and
  // in 4 shards (1 replica each).
  static void SetUpTestSuite() {
    state_ = new State;
    auto config = LoadConfig(testing::BundledConfig());
    ASSERT_THAT(config, IsOk());
    const Corpus corpus = LoadCorpus(*config);
    auto writer = IndexWriter::Open(state_->dir.Path("whole"));
    ASSERT_THAT(writer, IsOk());
    ASSERT_THAT((*writer)->Apply(corpus), IsOk());
    writer->reset();
    for (int shards : {2, 4}) {
      const std::string root =
          state_->dir.Path(absl::StrCat("shards-", shards));
      auto report = WriteShardedIndex(root, shards, corpus);
      ASSERT_THAT(report, IsOk());
      ASSERT_THAT(report->shards, SizeIs(shards));
      EXPECT_EQ(report->Total().documents,
                static_cast<int>(corpus.sessions.size() + corpus.papers.size() +
                                 corpus.summaries.size()));
      ShardMap& map = shards == 2 ? state_->two : state_->four;
      for (int shard = 0; shard < shards; ++shard) {
        std::vector<ShardReplica>& replicas = map.shards.emplace_back();
        for (int replica = 0; replica < (shards == 2 ? 2 : 1); ++replica) {
          ShardServer& server = state_->servers.emplace_back();
          ASSERT_NO_FATAL_FAILURE(
              StartShardServer(state_->dir, ShardFolder(root, shard), &server));
          replicas.push_back(server.replica);
        }
      }
    }
  }
  static void TearDownTestSuite() {
    delete state_;
    state_ = nullptr;
  }

  static std::unique_ptr<Searcher> Whole() {
    auto searcher = Searcher::Open(state_->dir.Path("whole"));
    EXPECT_THAT(searcher, IsOk());
    return searcher.ok() ? *std::move(searcher) : nullptr;
  }
  static std::unique_ptr<Searcher> Sharded(int shards,
                                           size_t first_replica = 0) {
    const ShardMap& map = shards == 2 ? state_->two : state_->four;
    auto searcher = Searcher::Open(
        HomeFolder(state_->dir.Path(absl::StrCat("shards-", shards))),
        std::make_shared<const ShardMap>(map), first_replica);
    EXPECT_THAT(searcher, IsOk());
    return searcher.ok() ? *std::move(searcher) : nullptr;
  }

  // Opens one database as whole_ and the `shards`-shard index as sharded_.
  void OpenBoth(int shards) {
    whole_ = Whole();
    sharded_ = Sharded(shards);
    ASSERT_NE(whole_, nullptr);
    ASSERT_NE(sharded_, nullptr);
  }

  std::unique_ptr<Searcher> whole_;
  std::unique_ptr<Searcher> sharded_;

  struct State {
    TempDir dir;
    ShardMap two;
    ShardMap four;
    // Declared last: stopped before the folders they serve are removed.
    std::vector<ShardServer> servers;
  };
  static inline State* state_ = nullptr;
};

TEST_F(ShardedIndexTest, EveryQueryAnswersAsOneDatabaseDoes) {
  std::unique_ptr<Searcher> whole = Whole();
  ASSERT_NE(whole, nullptr);
  const std::vector<QueryCase> cases = QuerySet();
  ASSERT_GE(cases.size(), 200u);
  for (int shards : {2, 4}) {
    SCOPED_TRACE(absl::StrCat(shards, " shards"));
    std::unique_ptr<Searcher> sharded = Sharded(shards);
    ASSERT_NE(sharded, nullptr);
    int with_hits = 0;
    for (const QueryCase& query : cases) {
      const auto expected = whole->Search(query.request);
      ASSERT_NO_FATAL_FAILURE(ExpectSameAnswer(sharded->Search(query.request),
                                               expected, query.request,
                                               query.tolerance));
      with_hits += expected.ok() && expected->hits_size() > 0;
    }
    // The set exercises matches, not only empty answers.
    EXPECT_GE(with_hits, static_cast<int>(cases.size()) / 2);
  }
}

TEST_F(ShardedIndexTest, PagesFollowOnAsInOneDatabase) {
  ASSERT_NO_FATAL_FAILURE(OpenBoth(4));
  v1::SearchRequest request;
  request.set_query("system");
  request.set_page_size(7);
  request.add_facets(v1::FACET_YEAR);
  int pages = 0;
  for (;;) {
    const auto expected = whole_->Search(request);
    ASSERT_NO_FATAL_FAILURE(
        ExpectSameAnswer(sharded_->Search(request), expected, request));
    ++pages;
    if (expected->next_page_token().empty()) break;
    request.set_page_token(expected->next_page_token());
  }
  EXPECT_GE(pages, 3);
}

TEST_F(ShardedIndexTest, SpellingAndSynonymsComeFromTheHomeDatabase) {
  ASSERT_NO_FATAL_FAILURE(OpenBoth(2));
  // Misspelt catalog words: the shards' dictionaries, summed into home's.
  v1::SearchRequest misspelt;
  misspelt.set_query("disagregated scheduing");
  const auto corrected = sharded_->Search(misspelt);
  ASSERT_THAT(corrected, IsOk());
  EXPECT_EQ(corrected->corrected_query(), "disaggregated scheduling");
  ExpectSameAnswer(corrected, whole_->Search(misspelt), misspelt);
  // "kv cache" is a synonym group of data/synonyms.txt.
  v1::SearchRequest synonym;
  synonym.set_query("kv cache");
  const auto expanded = sharded_->Search(synonym);
  ASSERT_THAT(expanded, IsOk());
  ExpectSameAnswer(expanded, whole_->Search(synonym), synonym,
                   kSynonymScoreTolerance);
}

TEST_F(ShardedIndexTest, SuggestionsRelatedWorkAndStatsMatchOneDatabase) {
  ASSERT_NO_FATAL_FAILURE(OpenBoth(4));
  v1::SuggestRequest request;
  request.set_group("fall-2024");
  request.set_count(5);
  const auto expected = whole_->Suggest(request);
  ASSERT_THAT(expected, IsOk());
  ASSERT_GT(expected->dates_size(), 0);
  const auto got = sharded_->Suggest(request);
  ASSERT_THAT(got, IsOk());
  // The same papers, in the same order, for every date.
  ASSERT_EQ(got->dates_size(), expected->dates_size());
  for (int d = 0; d < expected->dates_size(); ++d) {
    std::vector<std::string> got_ids, expected_ids;
    for (const auto& candidate : got->dates(d).candidates()) {
      got_ids.push_back(candidate.paper().id());
    }
    for (const auto& candidate : expected->dates(d).candidates()) {
      expected_ids.push_back(candidate.paper().id());
    }
    EXPECT_EQ(got_ids, expected_ids) << expected->dates(d).date();
  }
  v1::RelatedWorkRequest related;
  related.set_paper("DistServe");
  related.set_count(10);
  const auto expected_related = whole_->RelatedWork(related);
  const auto got_related = sharded_->RelatedWork(related);
  ASSERT_THAT(expected_related, IsOk());
  ASSERT_THAT(got_related, IsOk());
  ASSERT_EQ(got_related->related_size(), expected_related->related_size());
  for (int i = 0; i < expected_related->related_size(); ++i) {
    EXPECT_EQ(got_related->related(i).paper().id(),
              expected_related->related(i).paper().id());
  }
  const auto whole_stats = whole_->Stats();
  const auto sharded_stats = sharded_->Stats();
  ASSERT_THAT(whole_stats, IsOk());
  ASSERT_THAT(sharded_stats, IsOk());
  EXPECT_EQ(sharded_stats->documents, whole_stats->documents);
  EXPECT_EQ(sharded_stats->papers, whole_stats->papers);
  EXPECT_EQ(sharded_stats->people, whole_stats->people);
  EXPECT_EQ(sharded_stats->groups.size(), whole_stats->groups.size());
}

TEST_F(ShardedIndexTest, AReplicaThatGoesAwayIsReadAround) {
  std::unique_ptr<Searcher> whole = Whole();
  ASSERT_NE(whole, nullptr);
  // Replica 0 of each shard first; then those replicas are killed.
  std::unique_ptr<Searcher> sharded = Sharded(2, /*first_replica=*/0);
  ASSERT_NE(sharded, nullptr);
  v1::SearchRequest request;
  request.set_query("memory");
  ASSERT_THAT(sharded->Search(request), IsOk());
  std::vector<ShardServer>& servers = state_->servers;
  // Servers 0-3 are the 2-shard index's: shard 0's replicas, then shard 1's.
  // Shard k is read first from replica k (first_replica + k).
  ShardServer& shard0_first = servers[0];
  ShardServer& shard1_first = servers[3];
  shard0_first.process->Signal(SIGKILL);
  shard1_first.process->Signal(SIGKILL);
  ASSERT_TRUE(shard0_first.process->Wait(absl::Seconds(10)).has_value());
  ASSERT_TRUE(shard1_first.process->Wait(absl::Seconds(10)).has_value());
  for (const char* query : {"memory", "kv cache", "consensus"}) {
    request.set_query(query);
    ExpectSameAnswer(sharded->Search(request), whole->Search(request), request);
  }
  // A new reader skips the dead replicas when it connects.
  std::unique_ptr<Searcher> late = Sharded(2, /*first_replica=*/0);
  ASSERT_NE(late, nullptr);
  ExpectSameAnswer(late->Search(request), whole->Search(request), request);

  // With no replica of shard 0 left, reads say which replicas were tried;
  // once one is back, the same reader serves again.
  servers[1].process->Signal(SIGKILL);
  ASSERT_TRUE(servers[1].process->Wait(absl::Seconds(10)).has_value());
  EXPECT_THAT(sharded->Search(request),
              StatusIs(absl::StatusCode::kUnavailable,
                       HasSubstr(servers[1].replica.ToString())));
  ASSERT_NO_FATAL_FAILURE(StartShardServer(
      state_->dir, ShardFolder(state_->dir.Path("shards-2"), 0), &servers[1],
      servers[1].replica.port));
  ExpectSameAnswer(sharded->Search(request), whole->Search(request), request);
}

TEST(ShardMapTest, ParsesReplicasPerLineAndNamesBadLines) {
  auto map = ParseShardMap(
      "# two shards\n127.0.0.1:7001 127.0.0.1:7011\n\n[::1]:7002  # v6\n",
      "shards.txt");
  ASSERT_THAT(map, IsOk());
  ASSERT_THAT(map->shards, SizeIs(2));
  ASSERT_THAT(map->shards[0], SizeIs(2));
  EXPECT_EQ(map->shards[0][1].port, 7011);
  EXPECT_EQ(map->shards[1][0].host, "::1");
  EXPECT_EQ(map->shards[1][0].ToString(), "[::1]:7002");
  EXPECT_THAT(ParseShardMap("127.0.0.1:7001\nlocalhost\n", "m.txt"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("m.txt:2: shard 1: expected HOST:PORT")));
  EXPECT_THAT(
      ParseShardMap("h:0\n", "m.txt"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("m.txt:1")));
  EXPECT_THAT(
      ParseShardMap("# nothing\n", "m.txt"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no shards")));
  EXPECT_THAT(LoadShardMap("/nonexistent/shards.txt"),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(ShardMapTest, TheComposeDeploymentsMapNamesTwoShardsOfTwoReplicas) {
  auto map = LoadShardMap(testing::SourceDir() + "/service/deploy/shards.txt");
  ASSERT_THAT(map, IsOk());
  ASSERT_THAT(map->shards, SizeIs(2));
  EXPECT_THAT(map->shards[0], SizeIs(2));
  EXPECT_THAT(map->shards[1], SizeIs(2));
  EXPECT_EQ(map->shards[1][1].ToString(), "shard-1-b:7000");
}

TEST(ShardMapTest, ShardOfPaperIsFnv1aOfTheId) {
  // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c (its published test vector).
  EXPECT_EQ(ShardOfPaper("a", 1 << 16), 0xec8c);
  EXPECT_EQ(ShardOfPaper("a", 7), static_cast<int>(0xaf63dc4c8601ec8cULL % 7));
  // Every shard gets a share of many ids.
  std::vector<int> per_shard(4);
  for (int i = 0; i < 4000; ++i) {
    ++per_shard[ShardOfPaper(absl::StrCat("paper-", i), 4)];
  }
  for (int count : per_shard) EXPECT_GT(count, 800);
}

// word -> frequency of a database's spelling dictionary.
std::map<std::string, Xapian::doccount> Dictionary(const std::string& path) {
  std::map<std::string, Xapian::doccount> words;
  const Xapian::Database db(path);
  for (auto word = db.spellings_begin(); word != db.spellings_end(); ++word) {
    words[*word] = word.get_termfreq();
  }
  return words;
}

TEST(ShardedWriterTest, HomeDictionaryIsTheWholeIndexsAndFollowsUpdates) {
  TempDir dir;
  auto config = LoadConfig(testing::BundledConfig());
  ASSERT_THAT(config, IsOk());
  Corpus corpus = LoadCorpus(*config);
  auto write_whole = [&](const std::string& path) {
    auto writer = IndexWriter::Open(path);
    ASSERT_THAT(writer, IsOk());
    ASSERT_THAT((*writer)->Apply(corpus), IsOk());
  };
  ASSERT_NO_FATAL_FAILURE(write_whole(dir.Path("whole")));
  auto first = WriteShardedIndex(dir.Path("root"), 3, corpus);
  ASSERT_THAT(first, IsOk());
  const auto expected = Dictionary(dir.Path("whole"));
  ASSERT_GT(expected.size(), 1000u);
  EXPECT_TRUE(Dictionary(HomeFolder(dir.Path("root"))) == expected);
  // Each paper is in the shard its id hashes to, and only there.
  for (int shard = 0; shard < 3; ++shard) {
    const Xapian::Database db(ShardFolder(dir.Path("root"), shard));
    EXPECT_EQ(db.get_doccount(),
              static_cast<Xapian::doccount>(first->shards[shard].documents));
    for (const v1::Paper& paper : corpus.papers) {
      EXPECT_EQ(db.term_exists(schema::IdTerm(schema::kTypePaper, paper.id())),
                ShardOfPaper(paper.id(), 3) == shard)
          << paper.id();
    }
  }

  // A rerun changes nothing; dropping papers deletes them from their shards
  // and their words from the home dictionary, as a whole index would.
  auto rerun = WriteShardedIndex(dir.Path("root"), 3, corpus);
  ASSERT_THAT(rerun, IsOk());
  EXPECT_EQ(rerun->Total().changes(), 0);
  corpus.papers.resize(corpus.papers.size() - 40);
  auto dropped = WriteShardedIndex(dir.Path("root"), 3, corpus);
  ASSERT_THAT(dropped, IsOk());
  EXPECT_EQ(dropped->Total().deleted, 40);
  EXPECT_EQ(dropped->home.deleted, 0);
  ASSERT_NO_FATAL_FAILURE(write_whole(dir.Path("whole-after")));
  EXPECT_TRUE(Dictionary(HomeFolder(dir.Path("root"))) ==
              Dictionary(dir.Path("whole-after")));
}

TEST(ShardedWriterTest, AReplicaFolderIsCheckedAndServed) {
  // What xapian-replicate leaves: the copy in a subfolder, named by a stub.
  TempDir dir;
  auto config = LoadConfig(testing::BundledConfig());
  ASSERT_THAT(config, IsOk());
  const Corpus corpus = LoadCorpus(*config);
  auto writer = IndexWriter::Open(dir.Path("replica/replica_1"));
  ASSERT_THAT(writer, IsOk());
  ASSERT_THAT((*writer)->Apply(corpus), IsOk());
  writer->reset();
  dir.WriteFile("replica/XAPIANDB",
                "# Automatically generated by Xapian::DatabaseReplica\n"
                "auto replica_1\n");
  EXPECT_THAT(CheckIndex(dir.Path("replica")), IsOk());
  EXPECT_THAT(VerifyIndexForReading(dir.Path("replica")), IsOk());
  auto searcher = Searcher::Open(dir.Path("replica"));
  ASSERT_THAT(searcher, IsOk());
  EXPECT_THAT((*searcher)->Stats(), IsOk());
}

TEST(ShardedIndexOpenTest, AShardMapThatDoesNotFitTheIndexIsRefused) {
  TempDir dir;
  auto config = LoadConfig(testing::BundledConfig());
  ASSERT_THAT(config, IsOk());
  const Corpus corpus = LoadCorpus(*config);
  ASSERT_THAT(WriteShardedIndex(dir.Path("root"), 2, corpus), IsOk());
  ShardMap one_shard;
  one_shard.shards.push_back({{"127.0.0.1", UnusedLoopbackPort()}});
  EXPECT_THAT(
      Searcher::Open(HomeFolder(dir.Path("root")),
                     std::make_shared<const ShardMap>(one_shard)),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               HasSubstr("written with 2 catalog shards, but the shard map "
                         "lists 1")));
  ShardMap two_dead = one_shard;
  two_dead.shards.push_back({{"127.0.0.1", UnusedLoopbackPort()}});
  EXPECT_THAT(Searcher::Open(HomeFolder(dir.Path("root")),
                             std::make_shared<const ShardMap>(two_dead)),
              StatusIs(absl::StatusCode::kUnavailable,
                       HasSubstr("shard 0: no replica answers")));
  EXPECT_THAT(WriteShardedIndex(dir.Path("none"), 0, corpus),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace lectern
