#include "indexer/related_eval.h"

#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "indexer/index_reader.h"
#include "indexer/normalize.h"
#include "indexer/related_work.h"
#include "indexer/schema.h"
#include "indexer/status_macros.h"

namespace lectern {
namespace {

struct CatalogEntry {
  std::string id;
  std::string title_key;
  std::string venue;
  int year = 0;
};

// Sums of precision over seeds, turned into means at the end.
struct Totals {
  int seeds = 0;
  int without_peers = 0;
  PrecisionAtK sum;

  void Add(const PrecisionAtK& p) {
    ++seeds;
    sum.related += p.related;
    sum.random += p.random;
    sum.same_venue += p.same_venue;
  }
  PrecisionAtK Mean() const {
    if (seeds == 0) return {};
    return {sum.related / seeds, sum.random / seeds, sum.same_venue / seeds};
  }
};

}  // namespace

absl::StatusOr<std::vector<TopicLabel>> ParseTopicLabels(
    absl::string_view text, absl::string_view file_label) {
  std::vector<TopicLabel> labels;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    absl::ConsumeSuffix(&line, "\r");
    if (absl::StripAsciiWhitespace(line).empty() ||
        absl::StartsWith(line, "#")) {
      continue;
    }
    const std::vector<absl::string_view> fields = absl::StrSplit(line, '\t');
    if (fields.size() != 2 || absl::StripAsciiWhitespace(fields[0]).empty() ||
        absl::StripAsciiWhitespace(fields[1]).empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(file_label, ":", line_number,
                       ": expected \"topic<TAB>title\", got \"", line, "\""));
    }
    labels.push_back({std::string(absl::StripAsciiWhitespace(fields[0])),
                      std::string(absl::StripAsciiWhitespace(fields[1])),
                      line_number});
  }
  return labels;
}

absl::StatusOr<RelatedEvalReport> EvaluateRelatedWork(
    const Xapian::Database& db, QueryBuilder& query_builder,
    const std::vector<TopicLabel>& labels, int years, int k,
    const RelatedWorkOptions& options) {
  std::vector<CatalogEntry> catalog;
  std::unordered_map<std::string, size_t> by_title_key;
  for (const Xapian::Document& doc :
       DocumentsWithTerm(db, schema::kTypePaper,
                         schema::Term(schema::kType, schema::kTypePaper))) {
    LECTERN_ASSIGN_OR_RETURN(const v1::Paper paper,
                             DecodeRecord<v1::Paper>(doc));
    by_title_key.emplace(paper.title_key(), catalog.size());
    catalog.push_back(
        {paper.id(), paper.title_key(), paper.venue(), paper.year()});
  }
  std::unordered_map<std::string, std::string> topic_of;  // by paper id
  std::vector<size_t> seeds;  // catalog index of each label
  for (const TopicLabel& label : labels) {
    auto found = by_title_key.find(TitleKey(label.title));
    if (found == by_title_key.end()) {
      return absl::NotFoundError(absl::StrCat("line ", label.line,
                                              ": no catalog paper titled \"",
                                              label.title, "\""));
    }
    topic_of[catalog[found->second].id] = label.topic;
    seeds.push_back(found->second);
  }

  SuggestCache cache;
  RelatedWorkFinder finder(db, &query_builder, &cache, options);
  std::map<std::string, Totals> by_topic;
  Totals all;
  for (size_t i = 0; i < labels.size(); ++i) {
    const CatalogEntry& seed = catalog[seeds[i]];
    const std::string& topic = labels[i].topic;
    v1::RelatedWorkRequest request;
    request.set_paper(seed.id);
    request.set_years(years);
    request.set_count(k);
    LECTERN_ASSIGN_OR_RETURN(const v1::RelatedWorkResponse response,
                             finder.Find(request));
    // The window RelatedWork searched, the seed left out.
    int window = 0, peers = 0, venue_window = 0, venue_peers = 0;
    for (const CatalogEntry& paper : catalog) {
      if (paper.year < response.year_from() ||
          paper.year > response.year_to() ||
          paper.title_key == seed.title_key) {
        continue;
      }
      auto label = topic_of.find(paper.id);
      const bool peer = label != topic_of.end() && label->second == topic;
      ++window;
      peers += peer;
      if (paper.venue == seed.venue) {
        ++venue_window;
        venue_peers += peer;
      }
    }
    Totals& totals = by_topic[topic];
    if (peers == 0) {
      ++totals.without_peers;
      continue;
    }
    int hits = 0;
    for (const v1::RelatedPaper& related : response.related()) {
      auto label = topic_of.find(related.paper().id());
      hits += label != topic_of.end() && label->second == topic;
    }
    PrecisionAtK precision;
    precision.related = static_cast<double>(hits) / k;
    precision.random = static_cast<double>(peers) / window;
    precision.same_venue =
        venue_window == 0 ? 0 : static_cast<double>(venue_peers) / venue_window;
    totals.Add(precision);
    all.Add(precision);
  }

  RelatedEvalReport report;
  report.k = k;
  report.years = years;
  for (const auto& [topic, totals] : by_topic) {
    report.topics.push_back(
        {topic, totals.seeds, totals.without_peers, totals.Mean()});
  }
  report.seeds = all.seeds;
  report.precision = all.Mean();
  return report;
}

std::string FormatRelatedEvalReport(const RelatedEvalReport& report) {
  std::string out = absl::StrFormat(
      "related work: precision@%d over hand-judged topics, %d years back\n"
      "%-24s %5s %9s %9s %11s\n",
      report.k, report.years, "TOPIC", "SEEDS", "RELATED", "RANDOM",
      "SAME VENUE");
  auto row = [&](const std::string& name, int seeds, const PrecisionAtK& p) {
    absl::StrAppendFormat(&out, "%-24s %5d %9.3f %9.3f %11.3f\n", name, seeds,
                          p.related, p.random, p.same_venue);
  };
  for (const TopicReport& topic : report.topics) {
    row(topic.topic, topic.seeds, topic.precision);
  }
  row("all", report.seeds, report.precision);
  return out;
}

}  // namespace lectern
