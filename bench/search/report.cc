#include "bench/search/report.h"

#include <algorithm>
#include <iterator>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "bench/common/json.h"
#include "bench/common/stats.h"

namespace lectern::bench {
namespace {

constexpr size_t kKindCount = std::size(kKinds);

// --- what the report computes ---

struct SystemSummary {
  const SystemResults* results = nullptr;
  Latency all;
  std::vector<Latency> by_kind;       // in kKinds order
  std::vector<double> round_medians;  // wall clock, per round
  std::vector<double> query_medians;  // wall clock, per query over rounds
  int queries_with_hits = 0;
  int errors = 0;  // queries the untimed pass could not run
  std::string first_error;
};

// numerator / denominator latency.
struct RatioSummary {
  std::string numerator, denominator;
  double median = 0, p99 = 0;
  // Median over queries of the ratio of their per-query medians: the
  // paired view, less sensitive to which queries dominate the tails.
  double paired_median = 0;
  std::vector<std::pair<double, double>> by_kind;  // median, p99
};

// How far two systems' top 10 agree: |A ∩ B| / max(|A|, |B|) per query (1
// when both are empty), over the queries both ran.
struct AgreementSummary {
  std::string a, b, basis;
  double mean = 0;
  std::vector<double> by_kind;
  int identical = 0;  // queries with the same set
  int compared = 0;
  // Split by whether lectern's synonyms rewrite the query.
  double mean_synonyms = 0, mean_plain = 0;
  int synonym_queries = 0;
  // Hits of b missing from a's top 10, and those of them that are sessions
  // or summaries (which lectern ranks up).
  int only_b = 0, only_b_discussed = 0;
};

struct Summary {
  std::vector<int> kind_queries;  // queries of each kind; kinds with none
                                  // are left out of the report
  std::vector<SystemSummary> systems;
  std::vector<RatioSummary> ratios;
  std::vector<AgreementSummary> agreement;
};

size_t KindIndex(const std::string& kind) {
  return std::find(std::begin(kKinds), std::end(kKinds), kind) -
         std::begin(kKinds);
}

SystemSummary SummarizeSystem(const std::vector<BenchQuery>& queries,
                              int rounds, const SystemResults& results) {
  SystemSummary summary;
  summary.results = &results;
  std::vector<double> wall, cpu;
  std::vector<std::vector<double>> kind_wall(kKindCount), kind_cpu(kKindCount),
      round_wall(rounds), query_wall(queries.size());
  for (const Sample& sample : results.samples) {
    const size_t kind = KindIndex(queries[sample.query].kind);
    wall.push_back(sample.wall_us);
    cpu.push_back(sample.cpu_us);
    kind_wall[kind].push_back(sample.wall_us);
    kind_cpu[kind].push_back(sample.cpu_us);
    round_wall[sample.round].push_back(sample.wall_us);
    query_wall[sample.query].push_back(sample.wall_us);
  }
  summary.all = Summarize(wall, cpu);
  for (size_t k = 0; k < kKindCount; ++k) {
    summary.by_kind.push_back(Summarize(kind_wall[k], kind_cpu[k]));
  }
  for (const auto& samples : round_wall) {
    summary.round_medians.push_back(Median(samples));
  }
  for (const auto& samples : query_wall) {
    summary.query_medians.push_back(Median(samples));
  }
  for (size_t q = 0; q < queries.size(); ++q) {
    if (!results.status[q].ok()) {
      if (summary.errors++ == 0) {
        summary.first_error =
            absl::StrCat(queries[q].text, ": ", results.status[q].ToString());
      }
    } else if (results.described[q].hits > 0) {
      ++summary.queries_with_hits;
    }
  }
  return summary;
}

const SystemSummary* Find(const Summary& summary, absl::string_view name) {
  for (const SystemSummary& system : summary.systems) {
    if (system.results->system->name() == name) return &system;
  }
  return nullptr;
}

RatioSummary Compare(const SystemSummary& num, const SystemSummary& den) {
  RatioSummary ratio;
  ratio.numerator = std::string(num.results->system->name());
  ratio.denominator = std::string(den.results->system->name());
  ratio.median = Ratio(num.all.median_us, den.all.median_us);
  ratio.p99 = Ratio(num.all.p99_us, den.all.p99_us);
  std::vector<double> paired;
  for (size_t q = 0; q < num.query_medians.size(); ++q) {
    if (num.query_medians[q] > 0 && den.query_medians[q] > 0) {
      paired.push_back(num.query_medians[q] / den.query_medians[q]);
    }
  }
  ratio.paired_median = Median(paired);
  for (size_t k = 0; k < kKindCount; ++k) {
    ratio.by_kind.emplace_back(
        Ratio(num.by_kind[k].median_us, den.by_kind[k].median_us),
        Ratio(num.by_kind[k].p99_us, den.by_kind[k].p99_us));
  }
  return ratio;
}

double Overlap(const std::vector<std::string>& a,
               const std::vector<std::string>& b) {
  if (a.empty() && b.empty()) return 1;
  const std::set<std::string> in_a(a.begin(), a.end());
  const size_t shared = std::count_if(
      b.begin(), b.end(), [&](const std::string& x) { return in_a.count(x); });
  return static_cast<double>(shared) / std::max(a.size(), b.size());
}

// Agreement of `a` and `b` on their ids (by_ids) or paper titles.
AgreementSummary Agree(const std::vector<BenchQuery>& queries,
                       const RunInfo& info, const SystemSummary& a,
                       const SystemSummary& b, bool by_ids) {
  AgreementSummary agreement;
  agreement.a = std::string(a.results->system->name());
  agreement.b = std::string(b.results->system->name());
  agreement.basis = by_ids ? "record ids" : "paper titles";
  std::vector<double> all, synonyms, plain;
  std::vector<std::vector<double>> by_kind(kKindCount);
  for (size_t q = 0; q < queries.size(); ++q) {
    if (!a.results->status[q].ok() || !b.results->status[q].ok()) continue;
    const RunResult& ra = a.results->described[q];
    const RunResult& rb = b.results->described[q];
    const auto& xa = by_ids ? ra.ids : ra.paper_titles;
    const auto& xb = by_ids ? rb.ids : rb.paper_titles;
    const double overlap = Overlap(xa, xb);
    all.push_back(overlap);
    by_kind[KindIndex(queries[q].kind)].push_back(overlap);
    (info.synonym_rewritten[q] ? synonyms : plain).push_back(overlap);
    agreement.identical += overlap == 1;
    const std::set<std::string> in_a(xa.begin(), xa.end());
    for (const std::string& x : xb) {
      if (in_a.count(x)) continue;
      ++agreement.only_b;
      if (by_ids) agreement.only_b_discussed += x.rfind("paper:", 0) != 0;
    }
  }
  auto mean = [](const std::vector<double>& v) {
    double sum = 0;
    for (double x : v) sum += x;
    return v.empty() ? 0 : sum / v.size();
  };
  agreement.compared = static_cast<int>(all.size());
  agreement.mean = mean(all);
  for (const auto& v : by_kind) agreement.by_kind.push_back(mean(v));
  agreement.mean_synonyms = mean(synonyms);
  agreement.mean_plain = mean(plain);
  agreement.synonym_queries = static_cast<int>(synonyms.size());
  return agreement;
}

Summary Summarize(const RunInfo& info, const std::vector<BenchQuery>& queries,
                  const std::vector<SystemResults>& systems) {
  Summary summary;
  summary.kind_queries.assign(kKindCount, 0);
  for (const BenchQuery& query : queries) {
    ++summary.kind_queries[KindIndex(query.kind)];
  }
  for (const SystemResults& results : systems) {
    summary.systems.push_back(SummarizeSystem(queries, info.rounds, results));
  }
  const SystemSummary* raw = Find(summary, "raw-xapian");
  const SystemSummary* lectern = Find(summary, "lectern");
  const SystemSummary* fts5 = Find(summary, "fts5");
  const SystemSummary* match = Find(summary, "xapian-match");
  if (lectern && raw) {
    summary.ratios.push_back(Compare(*lectern, *raw));
    summary.agreement.push_back(Agree(queries, info, *raw, *lectern, true));
  }
  if (lectern && match) summary.ratios.push_back(Compare(*lectern, *match));
  if (fts5 && lectern) {
    summary.ratios.push_back(Compare(*fts5, *lectern));
    summary.agreement.push_back(Agree(queries, info, *fts5, *lectern, false));
  }
  return summary;
}

// --- the table ---

std::string Micros(const Latency& latency) {
  return absl::StrFormat("%8.0f / %7.0f", latency.median_us, latency.p99_us);
}

void PrintLatency(const Summary& summary, std::ostream& out) {
  out << "\nLatency per query, µs (wall clock, median / p99)\n";
  out << absl::StrFormat("%-12s", "kind");
  for (const SystemSummary& system : summary.systems) {
    out << absl::StrFormat("  %18s", system.results->system->name());
  }
  out << "\n" << absl::StrFormat("%-12s", "all");
  for (const SystemSummary& system : summary.systems) {
    out << "  " << Micros(system.all);
  }
  for (size_t k = 0; k < kKindCount; ++k) {
    if (summary.kind_queries[k] == 0) continue;
    out << "\n" << absl::StrFormat("%-12s", kKinds[k]);
    for (const SystemSummary& system : summary.systems) {
      out << "  " << Micros(system.by_kind[k]);
    }
  }
  out << "\n" << absl::StrFormat("%-12s", "cpu median");
  for (const SystemSummary& system : summary.systems) {
    out << absl::StrFormat("  %8.0f %9s", system.all.cpu_median_us, "");
  }
  out << "\n";
}

void PrintNoise(const Summary& summary, std::ostream& out) {
  out << "\nNoise: median of each round, µs\n";
  for (const SystemSummary& system : summary.systems) {
    const auto& medians = system.round_medians;
    if (medians.empty()) continue;
    const auto [low, high] =
        std::minmax_element(medians.begin(), medians.end());
    out << absl::StrFormat("%-12s  %s   min–max %.0f–%.0f (spread %.1f%%)\n",
                           system.results->system->name(),
                           absl::StrJoin(medians, " ",
                                         [](std::string* s, double m) {
                                           absl::StrAppendFormat(s, "%.0f", m);
                                         }),
                           *low, *high, 100 * Ratio(*high - *low, *low));
  }
}

void PrintRatios(const Summary& summary, std::ostream& out) {
  if (summary.ratios.empty()) return;
  out << "\nRatios (median / p99)";
  for (const RatioSummary& ratio : summary.ratios) {
    out << absl::StrFormat(
        "  %20s", absl::StrCat(ratio.numerator, "/", ratio.denominator));
  }
  out << "\n" << absl::StrFormat("%-21s", "all");
  for (const RatioSummary& ratio : summary.ratios) {
    out << absl::StrFormat("  %9.2f / %8.2f", ratio.median, ratio.p99);
  }
  for (size_t k = 0; k < kKindCount; ++k) {
    if (summary.kind_queries[k] == 0) continue;
    out << "\n" << absl::StrFormat("%-21s", kKinds[k]);
    for (const RatioSummary& ratio : summary.ratios) {
      out << absl::StrFormat("  %9.2f / %8.2f", ratio.by_kind[k].first,
                             ratio.by_kind[k].second);
    }
  }
  out << "\n" << absl::StrFormat("%-21s", "per-query median");
  for (const RatioSummary& ratio : summary.ratios) {
    out << absl::StrFormat("  %9.2f %10s", ratio.paired_median, "");
  }
  out << "\n";
}

void PrintResults(const std::vector<BenchQuery>& queries,
                  const Summary& summary, std::ostream& out) {
  out << "\nQueries with at least one hit:";
  for (const SystemSummary& system : summary.systems) {
    out << absl::StrFormat("  %s %d/%d", system.results->system->name(),
                           system.queries_with_hits, queries.size());
  }
  out << "\n";
  for (const SystemSummary& system : summary.systems) {
    if (system.errors > 0 || system.results->timed_errors > 0) {
      out << absl::StrFormat("Errors in %s: %d untimed, %d timed; first: %s\n",
                             system.results->system->name(), system.errors,
                             system.results->timed_errors, system.first_error);
    }
  }
  for (const AgreementSummary& agreement : summary.agreement) {
    out << absl::StrFormat(
        "Top-10 agreement %s vs %s (%s): mean overlap %.2f, identical sets "
        "%d/%d\n  by kind:",
        agreement.a, agreement.b, agreement.basis, agreement.mean,
        agreement.identical, agreement.compared);
    for (size_t k = 0; k < kKindCount; ++k) {
      if (summary.kind_queries[k] == 0) continue;
      out << absl::StrFormat(" %s %.2f", kKinds[k], agreement.by_kind[k]);
    }
    out << absl::StrFormat(
        "\n  %d queries rewritten by lectern's synonyms: %.2f; the others: "
        "%.2f\n  %s hits missing from %s's top 10: %d",
        agreement.synonym_queries, agreement.mean_synonyms,
        agreement.mean_plain, agreement.b, agreement.a, agreement.only_b);
    if (agreement.basis == "record ids") {
      out << absl::StrFormat(", of them sessions or summaries: %d",
                             agreement.only_b_discussed);
    }
    out << "\n";
  }
}

// --- JSON ---

std::string Number(double value) { return absl::StrFormat("%.7g", value); }

// A JSON object of already serialized values.
std::string Object(const std::vector<std::pair<std::string, std::string>>& kv,
                   absl::string_view separator = ", ") {
  return absl::StrCat("{",
                      absl::StrJoin(kv, separator,
                                    [](std::string* out, const auto& item) {
                                      absl::StrAppend(out,
                                                      JsonString(item.first),
                                                      ": ", item.second);
                                    }),
                      "}");
}

std::string Array(const std::vector<std::string>& values,
                  absl::string_view separator = ", ") {
  return absl::StrCat("[", absl::StrJoin(values, separator), "]");
}

std::string LatencyJson(const Latency& latency) {
  return Object({{"samples", absl::StrCat(latency.samples)},
                 {"median_us", Number(latency.median_us)},
                 {"p99_us", Number(latency.p99_us)},
                 {"cpu_median_us", Number(latency.cpu_median_us)}});
}

std::string SystemJson(const SystemSummary& system,
                       const std::vector<int>& kind_queries) {
  std::vector<std::pair<std::string, std::string>> kinds;
  for (size_t k = 0; k < kKindCount; ++k) {
    if (kind_queries[k] == 0) continue;
    kinds.emplace_back(kKinds[k], LatencyJson(system.by_kind[k]));
  }
  std::vector<std::string> rounds;
  for (double median : system.round_medians) rounds.push_back(Number(median));
  const auto [low, high] = std::minmax_element(system.round_medians.begin(),
                                               system.round_medians.end());
  const bool any = !system.round_medians.empty();
  return Object(
      {{"name", JsonString(system.results->system->name())},
       {"documents", absl::StrCat(system.results->system->documents())},
       {"all", LatencyJson(system.all)},
       {"by_kind", Object(kinds)},
       {"round_medians_us", Array(rounds)},
       {"round_median_min_us", Number(any ? *low : 0)},
       {"round_median_max_us", Number(any ? *high : 0)},
       {"queries_with_hits", absl::StrCat(system.queries_with_hits)},
       {"untimed_errors", absl::StrCat(system.errors)},
       {"timed_errors", absl::StrCat(system.results->timed_errors)},
       {"first_error", JsonString(system.first_error)}},
      ",\n    ");
}

std::string RatioJson(const RatioSummary& ratio,
                      const std::vector<int>& kind_queries) {
  std::vector<std::pair<std::string, std::string>> kinds;
  for (size_t k = 0; k < kKindCount; ++k) {
    if (kind_queries[k] == 0) continue;
    kinds.emplace_back(kKinds[k],
                       Object({{"median", Number(ratio.by_kind[k].first)},
                               {"p99", Number(ratio.by_kind[k].second)}}));
  }
  return Object({{"numerator", JsonString(ratio.numerator)},
                 {"denominator", JsonString(ratio.denominator)},
                 {"median", Number(ratio.median)},
                 {"p99", Number(ratio.p99)},
                 {"per_query_median", Number(ratio.paired_median)},
                 {"by_kind", Object(kinds)}});
}

std::string AgreementJson(const AgreementSummary& agreement,
                          const std::vector<int>& kind_queries) {
  std::vector<std::pair<std::string, std::string>> kinds;
  for (size_t k = 0; k < kKindCount; ++k) {
    if (kind_queries[k] == 0) continue;
    kinds.emplace_back(kKinds[k], Number(agreement.by_kind[k]));
  }
  return Object(
      {{"a", JsonString(agreement.a)},
       {"b", JsonString(agreement.b)},
       {"basis", JsonString(agreement.basis)},
       {"mean_top10_overlap", Number(agreement.mean)},
       {"identical_sets", absl::StrCat(agreement.identical)},
       {"compared", absl::StrCat(agreement.compared)},
       {"by_kind", Object(kinds)},
       {"synonym_queries", absl::StrCat(agreement.synonym_queries)},
       {"mean_overlap_synonym_queries", Number(agreement.mean_synonyms)},
       {"mean_overlap_other_queries", Number(agreement.mean_plain)},
       {"b_hits_missing_from_a", absl::StrCat(agreement.only_b)},
       {"of_them_sessions_or_summaries",
        absl::StrCat(agreement.only_b_discussed)}});
}

// One line per query: its text, and per system its median and hits.
std::string QueryJson(const RunInfo& info,
                      const std::vector<BenchQuery>& queries,
                      const Summary& summary, size_t q) {
  std::vector<std::pair<std::string, std::string>> kv = {
      {"kind", JsonString(queries[q].kind)},
      {"query", JsonString(queries[q].text)},
      {"synonyms", info.synonym_rewritten[q] ? "true" : "false"}};
  for (const SystemSummary& system : summary.systems) {
    const std::string name(system.results->system->name());
    kv.emplace_back(name + "_median_us", Number(system.query_medians[q]));
    kv.emplace_back(name + "_hits",
                    absl::StrCat(system.results->described[q].hits));
  }
  return Object(kv);
}

}  // namespace

void PrintReport(const RunInfo& info, const std::vector<BenchQuery>& queries,
                 const std::vector<SystemResults>& systems, std::ostream& out) {
  const Summary summary = Summarize(info, queries, systems);
  out << absl::StrFormat(
      "lectern-bench-search: %d queries, %d timed rounds after an untimed "
      "pass, top %d\n",
      queries.size(), info.rounds, kTopK);
  for (const SystemSummary& system : summary.systems) {
    out << absl::StrFormat("  %s: %d documents\n",
                           system.results->system->name(),
                           system.results->system->documents());
  }
  out << absl::StrFormat("  machine: %u CPUs; load %s at start, %s at end\n",
                         info.cpus, info.load_before, info.load_after);
  PrintLatency(summary, out);
  PrintNoise(summary, out);
  PrintRatios(summary, out);
  PrintResults(queries, summary, out);
}

std::string ReportJson(const RunInfo& info,
                       const std::vector<BenchQuery>& queries,
                       const std::vector<SystemResults>& systems) {
  const Summary summary = Summarize(info, queries, systems);
  std::vector<std::string> system_json, ratio_json, agreement_json, per_query;
  for (const SystemSummary& system : summary.systems) {
    system_json.push_back(SystemJson(system, summary.kind_queries));
  }
  for (const RatioSummary& ratio : summary.ratios) {
    ratio_json.push_back(RatioJson(ratio, summary.kind_queries));
  }
  for (const AgreementSummary& agreement : summary.agreement) {
    agreement_json.push_back(AgreementJson(agreement, summary.kind_queries));
  }
  for (size_t q = 0; q < queries.size(); ++q) {
    per_query.push_back(QueryJson(info, queries, summary, q));
  }
  std::vector<std::pair<std::string, std::string>> kinds;
  for (const char* kind : kKinds) {
    kinds.emplace_back(
        kind, absl::StrCat(std::count_if(
                  queries.begin(), queries.end(),
                  [&](const BenchQuery& q) { return q.kind == kind; })));
  }
  return Object({{"command", JsonString(info.command)},
                 {"queries", absl::StrCat(queries.size())},
                 {"queries_by_kind", Object(kinds)},
                 {"rounds", absl::StrCat(info.rounds)},
                 {"top_k", absl::StrCat(kTopK)},
                 {"cpus", absl::StrCat(info.cpus)},
                 {"load_before", JsonString(info.load_before)},
                 {"load_after", JsonString(info.load_after)},
                 {"systems", Array(system_json, ",\n  ")},
                 {"ratios", Array(ratio_json, ",\n  ")},
                 {"agreement", Array(agreement_json, ",\n  ")},
                 {"per_query", Array(per_query, ",\n  ")}},
                ",\n ") +
         "\n";
}

}  // namespace lectern::bench
