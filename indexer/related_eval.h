// Measuring related-work quality against hand-judged topics
// (data/eval/related_topics.tsv): every labelled paper asks RelatedWork for
// its list, and precision@k counts the listed papers of the same topic.
// Two baselines are computed exactly, as expectations, over the same
// window of years: k papers drawn at random from the window, and k drawn
// from the window's papers of the seed's own venue. docs/RELATED.md
// reports the figures.
#ifndef LECTERN_INDEXER_RELATED_EVAL_H_
#define LECTERN_INDEXER_RELATED_EVAL_H_

#include <xapian.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "indexer/query.h"
#include "indexer/related_work.h"

namespace lectern {

// One row of the topic file: a paper title and its topic.
struct TopicLabel {
  std::string topic;
  std::string title;
  int line = 0;
};

// Reads "topic<TAB>title" rows; '#' lines and blank lines are skipped.
// InvalidArgument naming `file_label`:line for a row without exactly two
// fields or with an empty one.
absl::StatusOr<std::vector<TopicLabel>> ParseTopicLabels(
    absl::string_view text, absl::string_view file_label);

struct PrecisionAtK {
  double related = 0;     // RelatedWork's list
  double random = 0;      // expectation of k random window papers
  double same_venue = 0;  // expectation of k random same-venue ones
};

struct TopicReport {
  std::string topic;
  // Labelled papers used as seeds (those with at least one paper of their
  // topic in their window), and how many were left out for having none.
  int seeds = 0;
  int without_peers = 0;
  PrecisionAtK precision;  // mean over the seeds
};

struct RelatedEvalReport {
  int k = 10;
  int years = 3;
  std::vector<TopicReport> topics;  // by topic name
  // Mean over every seed of every topic.
  int seeds = 0;
  PrecisionAtK precision;
};

// Runs RelatedWork (`years`, k results) for every labelled paper of the
// catalog in `db`. NotFound naming the file line of a title the catalog
// does not hold.
absl::StatusOr<RelatedEvalReport> EvaluateRelatedWork(
    const Xapian::Database& db, QueryBuilder& query_builder,
    const std::vector<TopicLabel>& labels, int years, int k,
    const RelatedWorkOptions& options = {});

// A table: one row per topic and an "all" row, precision@k of RelatedWork
// and of both baselines.
std::string FormatRelatedEvalReport(const RelatedEvalReport& report);

}  // namespace lectern

#endif  // LECTERN_INDEXER_RELATED_EVAL_H_
