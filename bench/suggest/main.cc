// Suggest latency in process: lectern's Searcher::Suggest for one open date
// and for every open date of each group of an index, repeated.
//
//   lectern-bench-suggest --index DIR [--rounds 5] [--repeats 20] [--json F]
//
// For each group with open dates: a round runs `repeats` suggestions for
// the first open date, then `repeats` for all open dates (an empty date
// list), alternating the two so that machine noise touches both alike.
// Reported per group and case: median and p99 wall-clock latency over
// every run, the thread's CPU time, and the median of each round (noise).
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "bench/common/json.h"
#include "bench/common/stats.h"
#include "indexer/searcher.h"

ABSL_FLAG(std::string, index, "", "lectern index folder (lectern-index)");
ABSL_FLAG(int, rounds, 5, "Rounds; each runs both cases `repeats` times");
ABSL_FLAG(int, repeats, 20, "Suggestions per case and round");
ABSL_FLAG(std::string, json, "", "Write the results as JSON to this file");

namespace lectern::bench {
namespace {

double Micros(clockid_t clock) {
  timespec now;
  clock_gettime(clock, &now);
  return now.tv_sec * 1e6 + now.tv_nsec / 1e3;
}

struct Case {
  std::string name;  // "one date" or "all open dates"
  v1::SuggestRequest request;
  int dates = 0;
  int candidates = 0;  // in the last response
  std::vector<double> wall_us, cpu_us, round_medians;
};

int Main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "lectern-bench-suggest --index DIR [--rounds N] [--repeats N] "
      "[--json FILE]");
  absl::ParseCommandLine(argc, argv);
  const std::string index = absl::GetFlag(FLAGS_index);
  const int rounds = absl::GetFlag(FLAGS_rounds);
  const int repeats = absl::GetFlag(FLAGS_repeats);
  if (index.empty() || rounds < 1 || repeats < 1) {
    std::fprintf(stderr, "lectern-bench-suggest: --index is required\n");
    return 2;
  }
  auto searcher = Searcher::Open(index);
  if (!searcher.ok()) {
    std::fprintf(stderr, "lectern-bench-suggest: %s\n",
                 searcher.status().ToString().c_str());
    return 1;
  }
  auto stats = (*searcher)->Stats();
  if (!stats.ok()) {
    std::fprintf(stderr, "lectern-bench-suggest: %s\n",
                 stats.status().ToString().c_str());
    return 1;
  }

  struct Group {
    std::string id;
    std::vector<Case> cases;
  };
  std::vector<Group> groups;
  for (const auto& group_stats : stats->groups) {
    v1::ListOpenDatesRequest open_request;
    open_request.set_group(group_stats.group.id());
    auto open = (*searcher)->ListOpenDates(open_request);
    if (!open.ok() || open->open_dates().empty()) continue;
    Group group{group_stats.group.id(), {}};
    Case one;
    one.name = "one date";
    one.dates = 1;
    one.request.set_group(group.id);
    one.request.add_dates(open->open_dates(0).date());
    Case all;
    all.name = "all open dates";
    all.dates = open->open_dates_size();
    all.request.set_group(group.id);
    group.cases = {one, all};
    groups.push_back(std::move(group));
  }
  if (groups.empty()) {
    std::fprintf(stderr, "lectern-bench-suggest: no group has open dates\n");
    return 1;
  }

  // One untimed pass warms the caches, then the timed rounds.
  for (int round = -1; round < rounds; ++round) {
    for (Group& group : groups) {
      for (Case& run : group.cases) {
        std::vector<double> wall;
        for (int i = 0; i < repeats; ++i) {
          const double wall_start = Micros(CLOCK_MONOTONIC);
          const double cpu_start = Micros(CLOCK_THREAD_CPUTIME_ID);
          auto response = (*searcher)->Suggest(run.request);
          const double cpu = Micros(CLOCK_THREAD_CPUTIME_ID) - cpu_start;
          const double elapsed = Micros(CLOCK_MONOTONIC) - wall_start;
          if (!response.ok()) {
            std::fprintf(stderr, "lectern-bench-suggest: %s, %s: %s\n",
                         group.id.c_str(), run.name.c_str(),
                         response.status().ToString().c_str());
            return 1;
          }
          run.candidates = 0;
          for (const auto& date : response->dates()) {
            run.candidates += date.candidates_size();
          }
          if (round < 0) continue;
          run.wall_us.push_back(elapsed);
          run.cpu_us.push_back(cpu);
          wall.push_back(elapsed);
        }
        if (round >= 0) run.round_medians.push_back(Median(wall));
      }
    }
  }

  std::printf("Suggest latency in process, µs (%d rounds × %d runs)\n", rounds,
              repeats);
  std::printf("%-20s %-16s %6s %10s %10s %10s %12s\n", "group", "case", "dates",
              "median", "p99", "cpu", "round min–max");
  std::string json = absl::StrCat(
      "{\"index\": ", JsonString(index), ", \"documents\": ", stats->documents,
      ", \"rounds\": ", rounds, ", \"repeats\": ", repeats, ", \"groups\": [");
  for (size_t g = 0; g < groups.size(); ++g) {
    const Group& group = groups[g];
    absl::StrAppend(&json, g ? ", " : "", "{\"group\": ", JsonString(group.id),
                    ", \"cases\": [");
    for (size_t c = 0; c < group.cases.size(); ++c) {
      const Case& run = group.cases[c];
      const Latency latency = Summarize(run.wall_us, run.cpu_us);
      const auto [low, high] = std::minmax_element(run.round_medians.begin(),
                                                   run.round_medians.end());
      std::printf("%-20s %-16s %6d %10.0f %10.0f %10.0f %5.0f–%.0f\n",
                  group.id.c_str(), run.name.c_str(), run.dates,
                  latency.median_us, latency.p99_us, latency.cpu_median_us,
                  *low, *high);
      absl::StrAppend(
          &json, c ? ", " : "", "{\"case\": ", JsonString(run.name),
          ", \"dates\": ", run.dates, ", \"candidates\": ", run.candidates,
          absl::StrFormat(", \"median_us\": %.1f, \"p99_us\": %.1f, "
                          "\"cpu_median_us\": %.1f",
                          latency.median_us, latency.p99_us,
                          latency.cpu_median_us),
          ", \"round_medians_us\": [",
          absl::StrJoin(run.round_medians, ", ",
                        [](std::string* out, double v) {
                          absl::StrAppend(out, absl::StrFormat("%.1f", v));
                        }),
          "]}");
    }
    absl::StrAppend(&json, "]}");
  }
  absl::StrAppend(&json, "]}\n");
  if (const std::string path = absl::GetFlag(FLAGS_json); !path.empty()) {
    std::ofstream(path) << json;
  }
  return 0;
}

}  // namespace
}  // namespace lectern::bench

int main(int argc, char** argv) { return lectern::bench::Main(argc, argv); }
