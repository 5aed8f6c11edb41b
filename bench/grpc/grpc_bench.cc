// lectern-bench-grpc: Search latency over gRPC on loopback, lecternd side by
// side with lectern-bench-echo (the transport floor), one call in flight,
// the two interleaved query by query and their order swapped every round.
//
//   lectern-bench-grpc --lectern 127.0.0.1:P --echo 127.0.0.1:Q
//       --queries bench/queries/queries.tsv --rounds 5
//       [--lectern_pid PID] [--json OUT]
//
// With --lectern_pid, also reports lecternd's CPU time per Search (user +
// system from /proc/PID/stat over the lectern calls of every round).
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "bench/common/query_set.h"
#include "bench/common/stats.h"
#include "lectern/v1/lectern.grpc.pb.h"

ABSL_FLAG(std::string, lectern, "", "lecternd's gRPC address");
ABSL_FLAG(std::string, echo, "", "lectern-bench-echo's address");
ABSL_FLAG(std::string, queries, "", "query set (kind<TAB>query lines)");
ABSL_FLAG(int, rounds, 5, "rounds over the whole query set");
ABSL_FLAG(int, lectern_pid, 0, "lecternd's pid, for its CPU per call");
ABSL_FLAG(std::string, json, "", "file to write the results to as JSON");

namespace {

using lectern::bench::BenchQuery;
using lectern::bench::Latency;
using Clock = std::chrono::steady_clock;

// User + system CPU seconds of a process so far.
double ProcessCpuSeconds(int pid) {
  std::ifstream stat(absl::StrCat("/proc/", pid, "/stat"));
  std::string text((std::istreambuf_iterator<char>(stat)), {});
  // Fields after the command name, which is in parentheses and may hold
  // spaces: state is field 3, utime 14, stime 15.
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string field;
  double ticks = 0;
  for (int number = 3; fields >> field && number <= 15; ++number) {
    if (number == 14 || number == 15) ticks += std::stod(field);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

struct System {
  std::string name;
  std::unique_ptr<lectern::v1::Lectern::Stub> stub;
  std::vector<double> samples_us;
  std::map<std::string, std::vector<double>> by_kind;
  std::vector<double> round_medians_us;
};

// One Search; its latency in microseconds, or a negative value on error.
double TimedSearch(System& system, const lectern::v1::SearchRequest& request) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  lectern::v1::SearchResponse response;
  const auto start = Clock::now();
  const grpc::Status status = system.stub->Search(&context, request, &response);
  const auto end = Clock::now();
  if (!status.ok()) {
    std::fprintf(stderr, "%s: %s: %s\n", system.name.c_str(),
                 request.query().c_str(), status.error_message().c_str());
    return -1;
  }
  return std::chrono::duration<double, std::micro>(end - start).count();
}

Latency Summarize(const std::vector<double>& samples_us) {
  return lectern::bench::Summarize(samples_us, {});
}

std::string SummaryJson(const Latency& summary) {
  return absl::StrFormat(R"({"median_us":%.1f,"p99_us":%.1f,"samples":%d})",
                         summary.median_us, summary.p99_us, summary.samples);
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "lectern-bench-grpc: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  auto queries = lectern::bench::LoadQueries(absl::GetFlag(FLAGS_queries));
  if (!queries.ok()) return Fail(std::string(queries.status().message()));
  const int rounds = absl::GetFlag(FLAGS_rounds);
  const int pid = absl::GetFlag(FLAGS_lectern_pid);

  System systems[2];
  systems[0].name = "lectern";
  systems[1].name = "echo";
  const std::string addresses[2] = {absl::GetFlag(FLAGS_lectern),
                                    absl::GetFlag(FLAGS_echo)};
  for (int i = 0; i < 2; ++i) {
    systems[i].stub = lectern::v1::Lectern::NewStub(
        grpc::CreateChannel(addresses[i], grpc::InsecureChannelCredentials()));
  }
  std::vector<lectern::v1::SearchRequest> requests;
  for (const BenchQuery& query : *queries) {
    requests.push_back(lectern::bench::SearchRequestFor(query));
  }
  // Warm-up: connections up, lecternd's readers and caches warm.
  for (System& system : systems) {
    for (const auto& request : requests) {
      if (TimedSearch(system, request) < 0) return Fail("warm-up failed");
    }
  }

  double lectern_cpu = 0;
  for (int round = 0; round < rounds; ++round) {
    std::vector<double> round_samples[2];
    for (size_t q = 0; q < requests.size(); ++q) {
      // Swap the order every round so that neither always goes first.
      for (int k = 0; k < 2; ++k) {
        const int i = (round % 2 == 0) ? k : 1 - k;
        const double cpu_before = (i == 0 && pid) ? ProcessCpuSeconds(pid) : 0;
        const double us = TimedSearch(systems[i], requests[q]);
        if (i == 0 && pid) lectern_cpu += ProcessCpuSeconds(pid) - cpu_before;
        if (us < 0) return Fail("a call failed");
        systems[i].samples_us.push_back(us);
        systems[i].by_kind[(*queries)[q].kind].push_back(us);
        round_samples[i].push_back(us);
      }
    }
    for (int i = 0; i < 2; ++i) {
      systems[i].round_medians_us.push_back(
          Summarize(round_samples[i]).median_us);
    }
    std::fprintf(stderr, "round %d/%d: lectern median %.0f us, echo %.0f us\n",
                 round + 1, rounds, systems[0].round_medians_us.back(),
                 systems[1].round_medians_us.back());
  }

  const double calls = static_cast<double>(requests.size()) * rounds;
  std::vector<std::string> parts;
  std::printf("%-8s %-8s %10s %10s\n", "system", "kind", "median_us", "p99_us");
  for (System& system : systems) {
    const Latency all = Summarize(system.samples_us);
    std::printf("%-8s %-8s %10.0f %10.0f\n", system.name.c_str(), "all",
                all.median_us, all.p99_us);
    std::vector<std::string> kinds;
    for (const auto& [kind, samples] : system.by_kind) {
      const Latency summary = Summarize(samples);
      std::printf("%-8s %-8s %10.0f %10.0f\n", system.name.c_str(),
                  kind.c_str(), summary.median_us, summary.p99_us);
      kinds.push_back(absl::StrCat("\"", kind, "\":", SummaryJson(summary)));
    }
    const auto [low, high] = std::minmax_element(
        system.round_medians_us.begin(), system.round_medians_us.end());
    parts.push_back(absl::StrFormat(
        R"("%s":{"all":%s,"by_kind":{%s},"round_median_min_us":%.1f,"round_median_max_us":%.1f})",
        system.name, SummaryJson(all), absl::StrJoin(kinds, ","), *low, *high));
  }
  if (pid) {
    std::printf("lecternd CPU per Search: %.0f us\n",
                lectern_cpu / calls * 1e6);
  }
  const std::string json = absl::StrFormat(
      R"({"queries":%d,"rounds":%d,"systems":{%s},"lectern_cpu_us_per_call":%.1f})",
      requests.size(), rounds, absl::StrJoin(parts, ","),
      pid ? lectern_cpu / calls * 1e6 : -1.0);
  if (!absl::GetFlag(FLAGS_json).empty()) {
    std::ofstream(absl::GetFlag(FLAGS_json)) << json << "\n";
  }
  return 0;
}
