// lectern-eval: replays each group's schedule and reports how well the
// suggestion ranker would have predicted the papers the group chose, next
// to random order and newest-first (docs/SUGGEST.md, "Quality").
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "indexer/searcher.h"
#include "indexer/suggest_eval.h"
#include "indexer/suggester.h"

ABSL_FLAG(std::string, index, "", "Index directory (built by lectern-index).");
ABSL_FLAG(std::vector<std::string>, group, {},
          "Groups to replay (comma-separated); every group when empty.");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Replays schedules to measure suggestion quality.\n"
      "usage: lectern-eval --index DIR [--group ID,...]");
  const std::vector<char*> rest = absl::ParseCommandLine(argc, argv);
  if (rest.size() > 1 || absl::GetFlag(FLAGS_index).empty()) {
    std::fprintf(stderr,
                 "lectern-eval: --index is required and no "
                 "positional arguments are taken\n");
    return 2;
  }
  auto searcher = lectern::Searcher::Open(absl::GetFlag(FLAGS_index));
  if (!searcher.ok()) {
    std::fprintf(stderr, "lectern-eval: %s\n",
                 std::string(searcher.status().message()).c_str());
    return 1;
  }
  std::vector<std::string> groups = absl::GetFlag(FLAGS_group);
  if (groups.empty()) {
    auto stats = (*searcher)->Stats();
    if (!stats.ok()) {
      std::fprintf(stderr, "lectern-eval: %s\n",
                   std::string(stats.status().message()).c_str());
      return 1;
    }
    for (const lectern::GroupCounts& counts : stats->groups) {
      groups.push_back(counts.group.id());
    }
  }
  int failures = 0;
  for (const std::string& group : groups) {
    auto cases = (*searcher)->Replay(group);
    if (!cases.ok()) {
      std::fprintf(stderr, "lectern-eval: %s: %s\n", group.c_str(),
                   std::string(cases.status().message()).c_str());
      ++failures;
      continue;
    }
    std::fputs(
        lectern::FormatEvalReport(lectern::Evaluate(group, *cases)).c_str(),
        stdout);
  }
  return failures == 0 ? 0 : 1;
}
