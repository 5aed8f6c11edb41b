#include "bench/common/query_set.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace lectern::bench {

absl::StatusOr<std::vector<BenchQuery>> LoadQuerySet(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::vector<BenchQuery> queries;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const absl::string_view text = absl::StripAsciiWhitespace(line);
    if (text.empty() || text[0] == '#') continue;
    const size_t tab = line.find('\t');
    if (tab == std::string::npos || tab + 1 >= line.size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", number, ": expected kind<TAB>query, got '", line, "'"));
    }
    queries.push_back({line.substr(0, tab), line.substr(tab + 1)});
  }
  if (queries.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": no queries"));
  }
  return queries;
}

v1::SearchRequest SearchRequestFor(const BenchQuery& query) {
  v1::SearchRequest request;
  request.set_query(query.text);
  request.set_page_size(10);
  if (query.kind == "faceted") {
    for (const v1::Facet facet :
         {v1::FACET_TYPE, v1::FACET_VENUE, v1::FACET_YEAR, v1::FACET_GROUP,
          v1::FACET_PRESENTER}) {
      request.add_facets(facet);
    }
  }
  return request;
}

Summary Summarize(std::vector<double> samples_us) {
  Summary summary;
  summary.samples = samples_us.size();
  if (samples_us.empty()) return summary;
  std::sort(samples_us.begin(), samples_us.end());
  // Nearest-rank percentiles: the value below which the share of samples
  // lies, without interpolating between two of them.
  const auto rank = [&](double share) {
    const size_t index = static_cast<size_t>(
        std::ceil(share * static_cast<double>(samples_us.size())));
    return samples_us[std::min(samples_us.size() - 1,
                               index == 0 ? 0 : index - 1)];
  };
  summary.median_us = rank(0.5);
  summary.p99_us = rank(0.99);
  summary.mean_us = std::accumulate(samples_us.begin(), samples_us.end(), 0.0) /
                    static_cast<double>(samples_us.size());
  return summary;
}

}  // namespace lectern::bench
