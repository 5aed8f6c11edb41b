// lectern-eval: replays each group's schedule and reports how well the
// suggestion ranker would have predicted the papers the group chose, next
// to random order and newest-first (docs/SUGGEST.md, "Quality"). With
// --related, measures related work against hand-judged topics instead
// (docs/RELATED.md).
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "indexer/files.h"
#include "indexer/related_eval.h"
#include "indexer/searcher.h"
#include "indexer/suggest_eval.h"
#include "indexer/suggester.h"

ABSL_FLAG(std::string, index, "", "Index directory (built by lectern-index).");
ABSL_FLAG(std::vector<std::string>, group, {},
          "Groups to replay (comma-separated); every group when empty.");
ABSL_FLAG(std::string, related, "",
          "Topic file (topic<TAB>title rows, e.g. "
          "data/eval/related_topics.tsv): measure related work instead.");
ABSL_FLAG(int, years, 3, "--related: years back from each paper");
ABSL_FLAG(int, k, 10, "--related: list length precision is taken at");
ABSL_FLAG(double, diversity, lectern::RelatedWorkOptions().diversity_weight,
          "--related: weight of the diversity pass (0: relevance alone)");
ABSL_FLAG(int, key_terms,
          static_cast<int>(lectern::RelatedWorkOptions().key_terms),
          "--related: terms of the paper that query the catalog");

namespace {

int EvaluateRelated(const std::string& index, const std::string& path) {
  std::string text;
  if (!lectern::ReadWholeFile(path, &text)) {
    std::fprintf(stderr, "lectern-eval: cannot read %s\n", path.c_str());
    return 1;
  }
  auto labels = lectern::ParseTopicLabels(text, path);
  if (!labels.ok()) {
    std::fprintf(stderr, "lectern-eval: %s\n",
                 std::string(labels.status().message()).c_str());
    return 1;
  }
  try {
    Xapian::Database db(index);
    lectern::QueryBuilder query_builder(db);
    lectern::RelatedWorkOptions options;
    options.diversity_weight = absl::GetFlag(FLAGS_diversity);
    options.key_terms =
        static_cast<size_t>(std::max(1, absl::GetFlag(FLAGS_key_terms)));
    auto report = lectern::EvaluateRelatedWork(db, query_builder, *labels,
                                               absl::GetFlag(FLAGS_years),
                                               absl::GetFlag(FLAGS_k), options);
    if (!report.ok()) {
      std::fprintf(stderr, "lectern-eval: %s: %s\n", path.c_str(),
                   std::string(report.status().message()).c_str());
      return 1;
    }
    std::fputs(lectern::FormatRelatedEvalReport(*report).c_str(), stdout);
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "lectern-eval: %s: %s\n", index.c_str(),
                 e.get_description().c_str());
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Replays schedules to measure suggestion quality.\n"
      "usage: lectern-eval --index DIR [--group ID,...]\n"
      "       lectern-eval --index DIR --related FILE [--years N] [--k N]");
  const std::vector<char*> rest = absl::ParseCommandLine(argc, argv);
  if (rest.size() > 1 || absl::GetFlag(FLAGS_index).empty()) {
    std::fprintf(stderr,
                 "lectern-eval: --index is required and no "
                 "positional arguments are taken\n");
    return 2;
  }
  if (const std::string related = absl::GetFlag(FLAGS_related);
      !related.empty()) {
    return EvaluateRelated(absl::GetFlag(FLAGS_index), related);
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
