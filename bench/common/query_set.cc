#include "bench/common/query_set.h"

#include <algorithm>
#include <fstream>
#include <iterator>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace lectern::bench {

absl::StatusOr<std::vector<BenchQuery>> LoadQueries(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::vector<BenchQuery> queries;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    absl::string_view rest = absl::StripTrailingAsciiWhitespace(line);
    if (rest.empty() || rest.front() == '#') continue;
    const size_t tab = rest.find('\t');
    BenchQuery query;
    if (tab != absl::string_view::npos) {
      query.kind = std::string(rest.substr(0, tab));
      query.text = std::string(rest.substr(tab + 1));
    }
    const bool known = std::find(std::begin(kKinds), std::end(kKinds),
                                 query.kind) != std::end(kKinds);
    if (!known || query.text.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", number, ": expected KIND<TAB>QUERY with ",
                       "a kind of queries.tsv, got '", rest, "'"));
    }
    queries.push_back(std::move(query));
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
  if (query.faceted()) {
    for (const v1::Facet facet :
         {v1::FACET_TYPE, v1::FACET_VENUE, v1::FACET_YEAR, v1::FACET_GROUP,
          v1::FACET_PRESENTER}) {
      request.add_facets(facet);
    }
  }
  return request;
}

}  // namespace lectern::bench
