#include "indexer/suggest_eval.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace lectern {
namespace {

void Accumulate(const TiedRank& rank, RankingMetrics* metrics) {
  metrics->hit_at_5 += ExpectedHitAt(rank, 5);
  metrics->hit_at_10 += ExpectedHitAt(rank, 10);
  metrics->mrr += ExpectedReciprocalRank(rank);
  metrics->mean_rank += ExpectedRank(rank);
}

void Average(size_t n, RankingMetrics* metrics) {
  if (n == 0) return;
  metrics->hit_at_5 /= n;
  metrics->hit_at_10 /= n;
  metrics->mrr /= n;
  metrics->mean_rank /= n;
}

std::string Row(const char* name, const RankingMetrics& m) {
  return absl::StrFormat(
      "  %-22s hit@5 %.3f  hit@10 %.3f  MRR %.3f  mean rank %.1f\n", name,
      m.hit_at_5, m.hit_at_10, m.mrr, m.mean_rank);
}

}  // namespace

TiedRank RankOf(const std::vector<double>& scores, size_t target) {
  TiedRank rank;
  rank.tied = 0;
  for (double score : scores) {
    if (score > scores[target]) {
      ++rank.better;
    } else if (score == scores[target]) {
      ++rank.tied;
    }
  }
  return rank;
}

double ExpectedHitAt(const TiedRank& rank, size_t k) {
  if (rank.tied == 0 || rank.better >= k) return 0;
  const size_t places_within = std::min(rank.tied, k - rank.better);
  return static_cast<double>(places_within) / rank.tied;
}

double ExpectedReciprocalRank(const TiedRank& rank) {
  if (rank.tied == 0) return 0;
  double sum = 0;
  for (size_t place = rank.better + 1; place <= rank.better + rank.tied;
       ++place) {
    sum += 1.0 / place;
  }
  return sum / rank.tied;
}

double ExpectedRank(const TiedRank& rank) {
  return rank.better + (rank.tied + 1) / 2.0;
}

EvalReport Evaluate(const std::string& group,
                    const std::vector<ReplayCase>& cases) {
  EvalReport report;
  report.group = group;
  for (const ReplayCase& replay : cases) {
    EvalCase& out = report.cases.emplace_back();
    out.date = replay.session.date();
    out.paper_id = replay.session.paper().paper_id();
    out.title = replay.session.title();
    out.eligible = replay.papers.size();
    if (!replay.eligible) {
      out.skipped_because =
          replay.reason.empty() ? "not eligible on its date" : replay.reason;
      continue;
    }
    std::vector<double> relevance, published;
    std::optional<size_t> target;
    for (size_t i = 0; i < replay.papers.size(); ++i) {
      relevance.push_back(replay.papers[i].relevance);
      published.push_back(static_cast<double>(replay.papers[i].published));
      if (replay.papers[i].paper_id == out.paper_id) target = i;
    }
    if (!target) {
      out.skipped_because = "not among the papers ranked on its date";
      continue;
    }
    out.ranker = RankOf(relevance, *target);
    out.newest = RankOf(published, *target);
    out.random = TiedRank{0, replay.papers.size()};
    ++report.evaluated;
    Accumulate(out.ranker, &report.ranker);
    Accumulate(out.newest, &report.newest);
    Accumulate(out.random, &report.random);
  }
  Average(report.evaluated, &report.ranker);
  Average(report.evaluated, &report.newest);
  Average(report.evaluated, &report.random);
  return report;
}

std::string FormatEvalReport(const EvalReport& report) {
  std::string out = absl::StrCat(
      "group ", report.group, ": ", report.cases.size(),
      " sessions with a catalog paper, ", report.evaluated, " evaluated\n");
  for (const EvalCase& c : report.cases) {
    if (!c.skipped_because.empty()) {
      absl::StrAppend(&out, "  ", c.date, "  skipped: ", c.paper_id, " ",
                      c.skipped_because, "\n");
      continue;
    }
    absl::StrAppend(
        &out, absl::StrFormat(
                  "  %s  rank %6.1f  newest %6.1f  random %6.1f  of %4zu  %s\n",
                  c.date, ExpectedRank(c.ranker), ExpectedRank(c.newest),
                  ExpectedRank(c.random), c.eligible, c.paper_id));
  }
  absl::StrAppend(&out, Row("ranker", report.ranker),
                  Row("newest first", report.newest),
                  Row("random (expected)", report.random));
  return out;
}

}  // namespace lectern
