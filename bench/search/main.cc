// lectern-bench-search: query latency in process, lectern's Searcher next
// to raw Xapian configured the same way and SQLite FTS5 over the same
// papers, on the committed query set (bench/queries/queries.tsv).
//
//   lectern-bench-search --index DIR --fts5 DB
//       --queries bench/queries/queries.tsv --rounds 5 --json OUT.json
//
// Prints a table (latency per system and kind, ratios, noise across
// rounds, agreement of results) and writes the same as JSON. It asserts
// nothing about speed: it measures.
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "bench/common/query_set.h"
#include "bench/search/fts5_query.h"
#include "bench/search/report.h"
#include "bench/search/runner.h"
#include "bench/search/systems.h"
#include "indexer/schema.h"
#include "indexer/synonyms.h"

ABSL_FLAG(std::string, index, "", "lectern index folder (lectern-index)");
ABSL_FLAG(std::string, fts5, "",
          "SQLite FTS5 database of the same papers (table 'papers')");
ABSL_FLAG(std::string, queries, "bench/queries/queries.tsv",
          "Query set: kind<TAB>query lines");
ABSL_FLAG(int, rounds, 5, "Timed rounds after the untimed pass");
ABSL_FLAG(std::string, json, "", "Write the report as JSON to this file");
ABSL_FLAG(std::string, systems, "xapian-match,raw-xapian,lectern,fts5",
          "Systems to run, comma-separated (a subset for profiling)");
ABSL_FLAG(std::string, kinds, "",
          "Only queries of these kinds, comma-separated (default: all)");
ABSL_FLAG(bool, print_translations, false,
          "Print each query's FTS5 translation and exit");

namespace lectern::bench {
namespace {

// `arg` as a POSIX shell reads it back: bare when it holds only safe
// characters, else in single quotes.
std::string ShellQuote(absl::string_view arg) {
  constexpr absl::string_view kSafe =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
      "-_=./,:@+";
  if (!arg.empty() && arg.find_first_not_of(kSafe) == arg.npos) {
    return std::string(arg);
  }
  return absl::StrCat("'", absl::StrReplaceAll(arg, {{"'", "'\\''"}}), "'");
}

std::string CommandLine(int argc, char** argv) {
  std::vector<std::string> args;
  args.reserve(argc);
  for (int i = 0; i < argc; ++i) args.push_back(ShellQuote(argv[i]));
  return absl::StrJoin(args, " ");
}

// The three load averages of /proc/loadavg.
std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return absl::StrCat(one, " ", five, " ", fifteen);
}

std::vector<BenchQuery> OfKinds(std::vector<BenchQuery> queries,
                                const std::string& kinds) {
  if (kinds.empty()) return queries;
  const std::vector<std::string> wanted = absl::StrSplit(kinds, ',');
  std::vector<BenchQuery> kept;
  for (BenchQuery& query : queries) {
    if (std::find(wanted.begin(), wanted.end(), query.kind) != wanted.end()) {
      kept.push_back(std::move(query));
    }
  }
  return kept;
}

// Per query, whether lectern's synonyms (as stored in the index) rewrite
// it; all false when the index has none.
std::vector<bool> SynonymRewritten(const std::string& index,
                                   const std::vector<BenchQuery>& queries) {
  std::vector<bool> rewritten(queries.size(), false);
  try {
    const Xapian::Database db(index);
    const absl::StatusOr<SynonymTable> table = SynonymTable::Deserialize(
        db.get_metadata(std::string(schema::kMetaSynonyms)));
    if (!table.ok()) return rewritten;
    for (size_t q = 0; q < queries.size(); ++q) {
      rewritten[q] = table->Rewrite(queries[q].text, "syn") != queries[q].text;
    }
  } catch (const Xapian::Error&) {
    // Opening the systems reports the index's problem.
  }
  return rewritten;
}

absl::StatusOr<std::unique_ptr<SearchSystem>> Open(
    absl::string_view name, const std::vector<BenchQuery>& queries) {
  if (name == "raw-xapian" || name == "xapian-match") {
    return OpenRawXapian(absl::GetFlag(FLAGS_index), queries,
                         name == "raw-xapian");
  }
  if (name == "lectern")
    return OpenLectern(absl::GetFlag(FLAGS_index), queries);
  if (name == "fts5") return OpenFts5(absl::GetFlag(FLAGS_fts5), queries);
  return absl::InvalidArgumentError(absl::StrCat(
      "--systems: expects raw-xapian, xapian-match, lectern or fts5, got '",
      name, "'"));
}

int PrintTranslations(const std::vector<BenchQuery>& queries) {
  int failures = 0;
  for (const BenchQuery& query : queries) {
    const absl::StatusOr<Fts5Query> fts5 = ToFts5(query.text);
    std::cout << query.kind << "\t" << query.text << "\t";
    if (!fts5.ok()) {
      std::cout << "ERROR " << fts5.status() << "\n";
      ++failures;
      continue;
    }
    std::cout << fts5->match;
    if (!fts5->venue.empty()) std::cout << "\tvenue=" << fts5->venue;
    if (fts5->year != 0) std::cout << "\tyear=" << fts5->year;
    std::cout << "\n";
  }
  return failures == 0 ? 0 : 1;
}

int Main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "lectern-bench-search --index DIR --fts5 DB --queries FILE "
      "[--rounds N] [--json OUT.json]");
  absl::ParseCommandLine(argc, argv);
  absl::StatusOr<std::vector<BenchQuery>> loaded =
      LoadQueries(absl::GetFlag(FLAGS_queries));
  if (!loaded.ok()) {
    std::cerr << "lectern-bench-search: " << loaded.status() << "\n";
    return 2;
  }
  const std::vector<BenchQuery> queries =
      OfKinds(*std::move(loaded), absl::GetFlag(FLAGS_kinds));
  if (absl::GetFlag(FLAGS_print_translations))
    return PrintTranslations(queries);
  if (queries.empty() || absl::GetFlag(FLAGS_rounds) < 1) {
    std::cerr << "lectern-bench-search: no queries of --kinds, or --rounds "
                 "below 1\n";
    return 2;
  }

  std::vector<SystemResults> systems;
  for (absl::string_view name :
       absl::StrSplit(absl::GetFlag(FLAGS_systems), ',', absl::SkipEmpty())) {
    absl::StatusOr<std::unique_ptr<SearchSystem>> system = Open(name, queries);
    if (!system.ok()) {
      std::cerr << "lectern-bench-search: " << name << ": " << system.status()
                << "\n";
      return 1;
    }
    systems.emplace_back();
    systems.back().system = *std::move(system);
  }

  RunInfo info;
  info.command = CommandLine(argc, argv);
  info.rounds = absl::GetFlag(FLAGS_rounds);
  info.cpus = std::thread::hardware_concurrency();
  info.synonym_rewritten =
      SynonymRewritten(absl::GetFlag(FLAGS_index), queries);
  info.load_before = LoadAverage();
  RunBenchmark(queries, info.rounds, &systems);
  info.load_after = LoadAverage();

  PrintReport(info, queries, systems, std::cout);
  if (const std::string path = absl::GetFlag(FLAGS_json); !path.empty()) {
    std::ofstream out(path);
    out << ReportJson(info, queries, systems);
    if (!out) {
      std::cerr << "lectern-bench-search: cannot write " << path << "\n";
      return 1;
    }
  }
  return 0;
}

}  // namespace
}  // namespace lectern::bench

int main(int argc, char** argv) { return lectern::bench::Main(argc, argv); }
