#include "indexer/catalog_merge.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <numeric>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "indexer/normalize.h"

namespace lectern {
namespace {

// Disjoint sets over record indexes; the root is the smallest index, so
// a merged paper is ordered by its first record.
class DisjointSets {
 public:
  explicit DisjointSets(size_t n) : parent_(n) {
    std::iota(parent_.begin(), parent_.end(), 0);
  }
  size_t Find(size_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void Union(size_t a, size_t b) {
    a = Find(a);
    b = Find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<size_t> parent_;
};

uint32_t Fnv1a(absl::string_view text) {
  uint32_t hash = 2166136261u;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 16777619u;
  }
  return hash;
}

std::string BaseId(const v1::Paper& paper) {
  std::string id = paper.venue().empty() ? "paper" : VenueKey(paper.venue());
  if (paper.year() > 0)
    absl::StrAppend(&id, absl::StrFormat("%02d", paper.year() % 100));
  int words = 0;
  std::string word;
  auto flush = [&] {
    if (word.empty()) return;
    if (word != "a" && word != "an" && word != "the" && words < 3) {
      absl::StrAppend(&id, "-", word);
      ++words;
    }
    word.clear();
  };
  for (char c : paper.title()) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      word.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    } else {
      flush();
    }
  }
  flush();
  return id;
}

}  // namespace

std::vector<v1::Paper> MergeCatalog(const std::vector<CatalogRecord>& records) {
  DisjointSets sets(records.size());
  std::unordered_map<std::string, size_t> first_by_doi;
  std::unordered_map<std::string, size_t> first_by_key;
  for (size_t i = 0; i < records.size(); ++i) {
    const v1::Paper& paper = records[i].paper;
    if (!paper.doi().empty()) {
      auto [it, inserted] = first_by_doi.emplace(paper.doi(), i);
      if (!inserted) sets.Union(it->second, i);
    }
    if (!paper.title_key().empty()) {
      auto [it, inserted] = first_by_key.emplace(paper.title_key(), i);
      if (!inserted) sets.Union(it->second, i);
    }
  }
  // Members of each set in priority order, sets in order of their root.
  std::map<size_t, std::vector<size_t>> members;
  for (size_t i = 0; i < records.size(); ++i)
    members[sets.Find(i)].push_back(i);

  std::vector<v1::Paper> papers;
  papers.reserve(members.size());
  for (const auto& member : members) {
    // Not a structured binding: C++17 lambdas cannot capture those.
    const std::vector<size_t>& indexes = member.second;
    v1::Paper& paper = papers.emplace_back();
    // Each field from the first record that has it.
    auto take = [&](const char* field, auto has, auto copy) {
      for (size_t i : indexes) {
        if (has(records[i].paper)) {
          copy(records[i].paper);
          v1::FieldSource* source = paper.add_provenance();
          source->set_field(field);
          source->set_source(records[i].source);
          return;
        }
      }
    };
    take(
        "title", [](const v1::Paper& p) { return !p.title().empty(); },
        [&](const v1::Paper& p) { paper.set_title(p.title()); });
    take(
        "authors", [](const v1::Paper& p) { return p.authors_size() > 0; },
        [&](const v1::Paper& p) { *paper.mutable_authors() = p.authors(); });
    take(
        "venue", [](const v1::Paper& p) { return !p.venue().empty(); },
        [&](const v1::Paper& p) { paper.set_venue(p.venue()); });
    take(
        "year", [](const v1::Paper& p) { return p.year() > 0; },
        [&](const v1::Paper& p) { paper.set_year(p.year()); });
    take(
        "abstract", [](const v1::Paper& p) { return !p.abstract().empty(); },
        [&](const v1::Paper& p) { paper.set_abstract(p.abstract()); });
    take(
        "url", [](const v1::Paper& p) { return !p.url().empty(); },
        [&](const v1::Paper& p) { paper.set_url(p.url()); });
    take(
        "doi", [](const v1::Paper& p) { return !p.doi().empty(); },
        [&](const v1::Paper& p) { paper.set_doi(p.doi()); });
    paper.set_title_key(TitleKey(paper.title()));
  }
  AssignPaperIds(&papers);
  return papers;
}

std::vector<std::string> PaperIdChoices(const v1::Paper& paper) {
  const std::string base = BaseId(paper);
  return {base, absl::StrFormat("%s-%08x", base, Fnv1a(paper.title_key()))};
}

void AssignPaperIds(std::vector<v1::Paper>* papers) {
  std::unordered_map<std::string, int> uses;
  std::vector<std::string> base(papers->size());
  for (size_t i = 0; i < papers->size(); ++i) {
    base[i] = BaseId((*papers)[i]);
    ++uses[base[i]];
  }
  std::unordered_map<std::string, int> taken;
  for (size_t i = 0; i < papers->size(); ++i) {
    v1::Paper& paper = (*papers)[i];
    std::string id =
        uses[base[i]] == 1
            ? base[i]
            : absl::StrFormat("%s-%08x", base[i], Fnv1a(paper.title_key()));
    // Contrived clashes remain possible (a hashed id equal to another
    // paper's plain one, titles of punctuation only): number them.
    if (const int n = taken[id]++; n > 0) absl::StrAppend(&id, "-", n + 1);
    paper.set_id(std::move(id));
  }
}

std::string UrlKey(absl::string_view url) {
  url = absl::StripAsciiWhitespace(url);
  for (absl::string_view scheme : {"https://", "http://"}) {
    if (absl::StartsWithIgnoreCase(url, scheme)) {
      url.remove_prefix(scheme.size());
      break;
    }
  }
  if (absl::StartsWithIgnoreCase(url, "www.")) url.remove_prefix(4);
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  const size_t slash = url.find('/');
  std::string key = absl::AsciiStrToLower(url.substr(0, slash));
  if (slash != absl::string_view::npos)
    absl::StrAppend(&key, url.substr(slash));
  return key;
}

PaperFinder::PaperFinder(const std::vector<v1::Paper>& papers)
    : papers_(papers) {
  for (size_t i = 0; i < papers.size(); ++i) {
    const v1::Paper& paper = papers[i];
    if (!paper.doi().empty())
      by_doi_.emplace(absl::AsciiStrToLower(paper.doi()), i);
    if (!paper.url().empty()) by_url_.emplace(UrlKey(paper.url()), i);
    if (!paper.title_key().empty()) {
      by_key_.emplace(paper.title_key(), i);
      sorted_keys_.emplace_back(paper.title_key(), i);
    }
  }
  std::sort(sorted_keys_.begin(), sorted_keys_.end());
}

const v1::Paper* PaperFinder::Find(const v1::PaperRef& ref) const {
  if (!ref.doi().empty()) {
    auto it = by_doi_.find(absl::AsciiStrToLower(ref.doi()));
    if (it != by_doi_.end()) return &papers_[it->second];
  }
  if (!ref.url().empty()) {
    auto it = by_url_.find(UrlKey(ref.url()));
    if (it != by_url_.end()) return &papers_[it->second];
  }
  const std::string& key = ref.title_key();
  if (key.empty()) return nullptr;
  if (auto it = by_key_.find(key); it != by_key_.end()) {
    return &papers_[it->second];
  }
  constexpr size_t kSharedPrefix = 16;
  if (key.size() < kSharedPrefix) return nullptr;
  const std::string prefix = key.substr(0, kSharedPrefix);
  for (auto it = std::lower_bound(sorted_keys_.begin(), sorted_keys_.end(),
                                  std::make_pair(prefix, size_t{0}));
       it != sorted_keys_.end() && absl::StartsWith(it->first, prefix); ++it) {
    const v1::Paper& paper = papers_[it->second];
    const bool same_year =
        ref.year() == 0 || paper.year() == 0 || ref.year() == paper.year();
    if (same_year && TitleKeysMatch(it->first, key)) return &paper;
  }
  return nullptr;
}

}  // namespace lectern
