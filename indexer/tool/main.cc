// lectern-index: builds or updates the index from a lectern config.
//
//   lectern-index --config data/lectern.textproto --index var/index
//   lectern-index --config data/lectern.textproto --check
//   lectern-index --index var/index --check_db
//   lectern-index --config data/lectern.textproto --index var/sharded
//       --shards 4
//
// With --shards N, --index is the root of a sharded index (shard_map.h,
// docs/SCALING.md): a home database in ROOT/home and the catalog split
// over ROOT/shard-0 … ROOT/shard-(N-1), written by N + 1 threads, one per
// part.
//
// Reads every schedule, catalog and summary folder the config names,
// reports every problem as "file:line: what was expected", and writes the
// result in one transaction: a run that is interrupted leaves the previous
// state. Entries that failed to parse keep their indexed version. Exit
// status: 0 on success, 1 when the index could not be written or (with
// --strict or --check) when any problem was found, 2 for a bad command line
// or config.
//
// --check_db (or --check-db) writes nothing: it runs Xapian's consistency
// check on --index and prints the verdict; exit 0 when the index is sound,
// 1 (with the damaged table and Xapian's error) when it is not or cannot be
// checked. A run killed part-way leaves an index that passes it.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "indexer/corpus.h"
#include "indexer/files.h"
#include "indexer/group_config.h"
#include "indexer/index_writer.h"
#include "indexer/progress.h"
#include "indexer/shard_map.h"
#include "indexer/sharded_writer.h"

ABSL_FLAG(std::string, config, "",
          "Config file (lectern.v1.LecternConfig, text format)");
ABSL_FLAG(std::string, index, "", "Index folder; created if missing");
ABSL_FLAG(bool, check, false,
          "Validate the inputs and report problems without writing");
ABSL_FLAG(bool, strict, false, "Exit 1 when any input has a problem");
ABSL_FLAG(bool, quiet, false, "Print problems and errors only");
ABSL_FLAG(bool, check_db, false,
          "Run Xapian's consistency check on --index and print the verdict "
          "(exit 0 when sound, 1 when damaged); writes nothing");
ABSL_FLAG(int, shards, 0,
          "Write a sharded index under --index: a home database and the "
          "catalog split over this many shards (docs/SCALING.md); 0: one "
          "database");
ABSL_FLAG(int, threads, 0,
          "Writer threads for a new index (0: one per core); an existing "
          "index is updated by one");
ABSL_FLAG(int, slice_min_documents, 1000,
          "Fewest documents per writer thread when a new index is built in "
          "slices");

namespace {

int CountErrors(const std::vector<lectern::ParseIssue>& issues) {
  int errors = 0;
  for (const lectern::ParseIssue& issue : issues) errors += !issue.note;
  return errors;
}

// --check_db: Xapian's verdict on the index at `index_path`.
int CheckDb(const std::string& index_path) {
  const absl::StatusOr<std::string> report = lectern::CheckIndex(index_path);
  if (!report.ok()) {
    std::fprintf(stderr, "lectern-index: %s\n",
                 std::string(report.status().message()).c_str());
    std::printf("%s: NOT consistent (%s)\n", index_path.c_str(),
                absl::StatusCodeToString(report.status().code()).c_str());
    return 1;
  }
  if (!absl::GetFlag(FLAGS_quiet)) std::printf("%s", report->c_str());
  std::printf("%s: consistent (Xapian's check found no errors)\n",
              index_path.c_str());
  return 0;
}

// One line on what a run did to `path`; the time only when it is given.
void PrintReport(const std::string& path, const lectern::IndexReport& report,
                 int errors, absl::Duration took = absl::ZeroDuration()) {
  const std::string took_text =
      took == absl::ZeroDuration()
          ? ""
          : absl::StrCat(" in ", absl::FormatDuration(absl::Trunc(
                                     took, absl::Milliseconds(10))));
  std::printf(
      "%s: %d added, %d updated, %d unchanged, %d deleted, %d skipped with "
      "errors; revision %u, %d documents%s\n",
      path.c_str(), report.added, report.updated, report.unchanged,
      report.deleted, errors, static_cast<unsigned>(report.revision),
      report.documents, took_text.c_str());
  if (!report.removed_groups.empty()) {
    std::printf("removed groups no longer in the config: %s\n",
                absl::StrJoin(report.removed_groups, ", ").c_str());
  }
}

// The exit status of a run that wrote the index and met `errors` problems.
int FinishWithErrors(int errors) {
  if (errors == 0) return 0;
  std::fprintf(stderr,
               "lectern-index: %d problem(s); the entries on those lines "
               "kept their indexed version%s\n",
               errors,
               absl::GetFlag(FLAGS_strict) ? " (--strict: exit 1)" : "");
  return absl::GetFlag(FLAGS_strict) ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "builds or updates lectern's index from a config.\n"
      "usage: lectern-index --config FILE --index DIR [--strict]\n"
      "       lectern-index --config FILE --check\n"
      "       lectern-index --config FILE --index ROOT --shards N\n"
      "       lectern-index --index DIR --check_db");
  // --check-db is accepted for --check_db.
  std::vector<char*> args(argv, argv + argc);
  char check_db_flag[] = "--check_db";
  for (char*& arg : args) {
    if (std::strcmp(arg, "--check-db") == 0) arg = check_db_flag;
  }
  absl::ParseCommandLine(static_cast<int>(args.size()), args.data());
  const std::string config_path = absl::GetFlag(FLAGS_config);
  const std::string index_path = absl::GetFlag(FLAGS_index);
  if (absl::GetFlag(FLAGS_check_db)) {
    if (index_path.empty()) {
      std::fprintf(stderr, "lectern-index: --check_db needs --index\n");
      return 2;
    }
    return CheckDb(index_path);
  }
  const bool check = absl::GetFlag(FLAGS_check);
  if (config_path.empty() || (index_path.empty() && !check)) {
    std::fprintf(stderr,
                 "lectern-index: --config and --index (or --check) are "
                 "required\n");
    return 2;
  }
  const bool quiet = absl::GetFlag(FLAGS_quiet);
  const absl::Time start = absl::Now();

  const auto config = lectern::LoadConfig(config_path);
  if (!config.ok()) {
    std::fprintf(stderr, "lectern-index: bad config:\n%s\n",
                 std::string(config.status().message()).c_str());
    return 2;
  }
  lectern::ProgressMeter meter(stderr, isatty(STDERR_FILENO) && !quiet);
  const lectern::ProgressCallback progress = [&](absl::string_view phase,
                                                 size_t done, size_t total) {
    meter.Update(phase, done, total);
  };
  const lectern::Corpus corpus = lectern::LoadCorpus(*config, progress);
  meter.Finish();
  for (const lectern::ParseIssue& issue : corpus.issues) {
    std::fprintf(stderr, "%s\n", issue.ToString().c_str());
  }
  const int errors = CountErrors(corpus.issues);

  if (!quiet) {
    std::map<std::string, int> per_group;
    for (const auto& session : corpus.sessions) ++per_group[session.group()];
    for (const auto& group : corpus.groups) {
      const bool failed =
          corpus.failed_origins.count(lectern::GroupOrigin(group.id())) > 0;
      std::printf("%-20s %4d sessions%s\n", group.id().c_str(),
                  per_group[group.id()], failed ? " (with problems)" : "");
    }
    int linked = 0;
    for (const auto& session : corpus.sessions) {
      linked += !session.paper().paper_id().empty();
    }
    std::printf("%-20s %4s records → %s papers; %d sessions linked to one\n",
                "catalog",
                lectern::WithThousands(corpus.catalog_records).c_str(),
                lectern::WithThousands(corpus.papers.size()).c_str(), linked);
    std::printf("%-20s %4zu linked to their sessions\n", "summaries",
                corpus.summaries.size());
  }
  if (check) {
    std::printf("check: %d problem(s), %zu note(s); nothing written\n", errors,
                corpus.issues.size() - errors);
    return errors > 0 ? 1 : 0;
  }

  if (const int shards = absl::GetFlag(FLAGS_shards); shards > 0) {
    const auto report =
        lectern::WriteShardedIndex(index_path, shards, corpus, progress);
    meter.Finish();
    if (!report.ok()) {
      std::fprintf(stderr, "lectern-index: %s\n",
                   std::string(report.status().message()).c_str());
      return 1;
    }
    if (!quiet) {
      PrintReport(lectern::HomeFolder(index_path), report->home, 0);
      for (int shard = 0; shard < shards; ++shard) {
        PrintReport(lectern::ShardFolder(index_path, shard),
                    report->shards[shard], 0);
      }
      PrintReport(absl::StrCat(index_path, " (", shards, " shards)"),
                  report->Total(), errors, absl::Now() - start);
    }
    return FinishWithErrors(errors);
  }

  auto writer = lectern::IndexWriter::Open(index_path);
  if (!writer.ok()) {
    std::fprintf(stderr, "lectern-index: %s\n",
                 std::string(writer.status().message()).c_str());
    std::string holder;
    if (writer.status().code() == absl::StatusCode::kFailedPrecondition &&
        lectern::ReadWholeFile(index_path + "/lecternd.writer", &holder)) {
      // lecternd --write leaves this note while it holds the lock.
      std::fprintf(
          stderr,
          "lectern-index: lecternd (%s) writes this index (--write). Send "
          "changes through its write API (lectern add-session, lectern "
          "import-papers, clients/python), or stop it, run lectern-index, "
          "and start it again; a lecternd without --write can keep serving "
          "reads while lectern-index runs.\n",
          std::string(absl::StripAsciiWhitespace(holder)).c_str());
    }
    return 1;
  }
  int threads = absl::GetFlag(FLAGS_threads);
  if (threads <= 0) {
    threads =
        static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  (*writer)->set_threads(
      threads, static_cast<size_t>(
                   std::max(1, absl::GetFlag(FLAGS_slice_min_documents))));
  const auto report = (*writer)->Apply(corpus, progress);
  meter.Finish();
  if (!report.ok()) {
    std::fprintf(stderr, "lectern-index: nothing written: %s\n",
                 std::string(report.status().message()).c_str());
    return 1;
  }
  if (!quiet) PrintReport(index_path, *report, errors, absl::Now() - start);
  return FinishWithErrors(errors);
}
