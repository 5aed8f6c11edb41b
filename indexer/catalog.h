// Readers of paper catalogs: JSON Lines (the bundled catalog's schema),
// BibTeX (DBLP style) and CSV with a header row. Each yields records with
// venue and year normalized exactly as for schedules (CanonicalVenue,
// NormalizeYear) and a title key; merging records that describe the same
// paper is catalog_merge.h's job. Pure functions; thread-safe.
#ifndef LECTERN_INDEXER_CATALOG_H_
#define LECTERN_INDEXER_CATALOG_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "indexer/schedule.h"
#include "lectern/v1/config.pb.h"
#include "lectern/v1/lectern.pb.h"

namespace lectern {

struct CatalogRecord {
  // id and provenance empty; title (CleanText), authors (each CleanText),
  // venue (canonical), year (4 digits), abstract (whitespace collapsed),
  // url, doi (lowercase, no "https://doi.org/" prefix) and title_key filled
  // as far as the source has them.
  v1::Paper paper;
  // "<file label>:<line>", where the record starts.
  std::string source;
};

struct ParsedCatalog {
  std::vector<CatalogRecord> records;
  // Records without a title are issues and skipped; a missing year or
  // venue is not an issue (the field stays empty).
  std::vector<ParseIssue> issues;
};

// One JSON object per line (blank lines skipped); keys as in
// lectern.v1.CatalogJsonRecord, unknown keys ignored, "doi": null allowed.
ParsedCatalog ParseJsonLinesCatalog(absl::string_view text,
                                    const std::string& file_label);

// @inproceedings / @article / @misc ... entries with {braced} or "quoted"
// values and bare numbers; "author" split on " and "; venue from
// booktitle or journal (the known venue named in it, e.g. "OSDI" in "18th
// USENIX Symposium ... OSDI 2024"), else from a DBLP key "conf/osdi/...";
// TeX braces and common accent commands removed. @string/@comment/@preamble
// are skipped.
ParsedCatalog ParseBibtexCatalog(absl::string_view text,
                                 const std::string& file_label);

// Header row naming title, authors (";" or " and " separated), venue, year,
// url, doi, abstract (case-insensitive; unknown columns ignored).
ParsedCatalog ParseCsvCatalog(absl::string_view text,
                              const std::string& file_label);

// JSONL when the first non-blank character is '{'; BibTeX when it is '@'
// (after comments); CSV when the first line has a "title" column;
// UNSPECIFIED otherwise.
v1::CatalogFormat DetectCatalogFormat(absl::string_view text);

// Lowercase DOI without resolver prefixes ("https://doi.org/", "doi:");
// taken from `url` (a DOI or ACM Digital Library link) when `doi` is empty.
std::string NormalizeDoi(absl::string_view doi, absl::string_view url);

// Dispatches on `format`, detecting it when unspecified.
ParsedCatalog ParseCatalog(v1::CatalogFormat format, absl::string_view text,
                           const std::string& file_label);

}  // namespace lectern

#endif  // LECTERN_INDEXER_CATALOG_H_
