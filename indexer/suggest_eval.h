// Measuring suggestion quality by replaying a schedule (Suggester::Replay):
// for each past session, where the paper the group chose ranks among the
// papers eligible that day, for the ranker and two baselines (random order
// and newest first). Ties are scored by their expectation, so every
// figure is exact and deterministic: a paper tied with others for places
// a..b is at each of them with equal chance. Pure functions.
#ifndef LECTERN_INDEXER_SUGGEST_EVAL_H_
#define LECTERN_INDEXER_SUGGEST_EVAL_H_

#include <string>
#include <vector>

#include "indexer/suggester.h"

namespace lectern {

// Where the target sits: `better` papers score strictly higher, `tied`
// papers (the target among them) score the same.
struct TiedRank {
  size_t better = 0;
  size_t tied = 1;
};

// The tied rank of scores[target] ("higher is better").
TiedRank RankOf(const std::vector<double>& scores, size_t target);

// Expected hit@k: the chance the target is among the first k.
double ExpectedHitAt(const TiedRank& rank, size_t k);
// Expected reciprocal rank.
double ExpectedReciprocalRank(const TiedRank& rank);
// Expected rank (1-based).
double ExpectedRank(const TiedRank& rank);

struct RankingMetrics {
  double hit_at_5 = 0;
  double hit_at_10 = 0;
  double mrr = 0;
  double mean_rank = 0;
};

struct EvalCase {
  std::string date;
  std::string paper_id;
  std::string title;
  size_t eligible = 0;
  // Set when the chosen paper was eligible.
  TiedRank ranker, newest, random;
  // Why it was not (the first rule it fails).
  std::string skipped_because;
};

struct EvalReport {
  std::string group;
  std::vector<EvalCase> cases;
  // Over the cases whose paper was eligible.
  size_t evaluated = 0;
  RankingMetrics ranker, newest, random;
};

EvalReport Evaluate(const std::string& group,
                    const std::vector<ReplayCase>& cases);

// A table for people: one row per session, then the three summaries.
std::string FormatEvalReport(const EvalReport& report);

}  // namespace lectern

#endif  // LECTERN_INDEXER_SUGGEST_EVAL_H_
