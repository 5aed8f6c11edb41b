// One paper, one record: merges catalog records that describe the same
// paper, gives each paper a stable id, and finds the catalog paper a
// schedule entry names. Thread-compatible.
#ifndef LECTERN_INDEXER_CATALOG_MERGE_H_
#define LECTERN_INDEXER_CATALOG_MERGE_H_

#include <string>
#include <unordered_map>
#include <vector>

#include "indexer/catalog.h"
#include "lectern/v1/lectern.pb.h"

namespace lectern {

// Records with the same DOI or the same title key are one paper. Records
// come in priority order (config order, then file order): each field takes
// the value of the first record that has one, and `provenance` names that
// record's source per field. Papers come out in the order of their first
// record. Deterministic: the same records give the same papers and ids.
std::vector<v1::Paper> MergeCatalog(const std::vector<CatalogRecord>& records);

// "<venue><yy>-<up to three title words>" ("osdi24-nomad-non-exclusive");
// papers whose ids would clash all get "-<8 hex digits of the title key>".
void AssignPaperIds(std::vector<v1::Paper>* papers);

// The ids AssignPaperIds gives `paper`: the plain one first, then the one
// with the title key hash it takes when the plain one is taken.
std::vector<std::string> PaperIdChoices(const v1::Paper& paper);

// Finds the catalog paper a schedule's PaperRef names: same DOI, same URL,
// same title key, or else a title key that TitleKeysMatch() in the same
// year and sharing the first 16 characters ("…consumergradegputraining"
// finds "…consumergradegpu"). Keeps a pointer to `papers`.
class PaperFinder {
 public:
  explicit PaperFinder(const std::vector<v1::Paper>& papers);

  // nullptr when no paper matches.
  const v1::Paper* Find(const v1::PaperRef& ref) const;

 private:
  const std::vector<v1::Paper>& papers_;
  std::unordered_map<std::string, size_t> by_doi_;
  std::unordered_map<std::string, size_t> by_url_;
  std::unordered_map<std::string, size_t> by_key_;
  // (title key, index), sorted by key: candidates for fuzzy matches.
  std::vector<std::pair<std::string, size_t>> sorted_keys_;
};

// URL identity for matching: scheme, "www." and trailing "/" dropped,
// host lowercased.
std::string UrlKey(absl::string_view url);

}  // namespace lectern

#endif  // LECTERN_INDEXER_CATALOG_MERGE_H_
