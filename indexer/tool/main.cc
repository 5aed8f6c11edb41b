// lectern-index: builds or updates the index from a lectern config.
//
//   lectern-index --config data/lectern.textproto --index var/index
//
// Reports every schedule problem as "file:line: what was expected", indexes
// the sessions that parsed, and never drops an indexed session because its
// line failed to parse. Exit status: 0 on success, 1 when the index could
// not be written or (with --strict) when any problem was found, 2 for a bad
// command line or config.
#include <cstdio>
#include <map>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "indexer/group_config.h"
#include "indexer/index_writer.h"
#include "indexer/schedule_loader.h"

ABSL_FLAG(std::string, config, "",
          "Config file (lectern.v1.LecternConfig, text format)");
ABSL_FLAG(std::string, index, "", "Index folder; created if missing");
ABSL_FLAG(bool, strict, false, "Exit 1 when any schedule line has a problem");
ABSL_FLAG(bool, quiet, false, "Print problems and errors only");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "builds or updates lectern's index from a config.\n"
      "usage: lectern-index --config FILE --index DIR [--strict]");
  absl::ParseCommandLine(argc, argv);
  const std::string config_path = absl::GetFlag(FLAGS_config);
  const std::string index_path = absl::GetFlag(FLAGS_index);
  if (config_path.empty() || index_path.empty()) {
    std::fprintf(stderr, "lectern-index: --config and --index are required\n");
    return 2;
  }
  const bool quiet = absl::GetFlag(FLAGS_quiet);

  const auto config = lectern::LoadConfig(config_path);
  if (!config.ok()) {
    std::fprintf(stderr, "lectern-index: bad config:\n%s\n",
                 std::string(config.status().message()).c_str());
    return 2;
  }
  const lectern::LoadedSchedules schedules = lectern::LoadSchedules(*config);
  for (const lectern::ParseIssue& issue : schedules.issues) {
    std::fprintf(stderr, "%s\n", issue.ToString().c_str());
  }

  if (!quiet) {
    std::map<std::string, int> per_group;
    for (const auto& session : schedules.sessions) ++per_group[session.group()];
    for (const auto& group : schedules.groups) {
      std::printf(
          "%-20s %3d sessions from %s%s\n", group.id().c_str(),
          per_group[group.id()],
          config
              ->SchedulePath(
                  config->config.groups(&group - schedules.groups.data()))
              .c_str(),
          schedules.clean_groups.count(group.id()) ? "" : " (with problems)");
    }
  }

  auto writer = lectern::IndexWriter::Open(index_path);
  if (!writer.ok()) {
    std::fprintf(stderr, "lectern-index: %s\n",
                 std::string(writer.status().message()).c_str());
    return 1;
  }
  const auto report = (*writer)->Apply(schedules);
  if (!report.ok()) {
    std::fprintf(stderr, "lectern-index: nothing written: %s\n",
                 std::string(report.status().message()).c_str());
    return 1;
  }
  if (!quiet) {
    std::printf(
        "%s: %d added, %d updated, %d unchanged, %d deleted; revision %u, "
        "%d documents\n",
        index_path.c_str(), report->added, report->updated, report->unchanged,
        report->deleted, static_cast<unsigned>(report->revision),
        report->documents);
    if (!report->removed_groups.empty()) {
      std::printf("removed groups no longer in the config: %s\n",
                  absl::StrJoin(report->removed_groups, ", ").c_str());
    }
  }
  if (!schedules.issues.empty()) {
    std::fprintf(stderr,
                 "lectern-index: %zu problem(s); sessions on those lines were "
                 "not updated%s\n",
                 schedules.issues.size(),
                 absl::GetFlag(FLAGS_strict) ? " (--strict: exit 1)" : "");
    if (absl::GetFlag(FLAGS_strict)) return 1;
  }
  return 0;
}
