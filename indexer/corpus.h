// Everything a config names, read and linked: groups and their sessions,
// the merged paper catalog, and the Q&A summaries, each session linked to
// its catalog paper and each summary to its session. The index writer
// turns a Corpus into documents. Thread-compatible.
#ifndef LECTERN_INDEXER_CORPUS_H_
#define LECTERN_INDEXER_CORPUS_H_

#include <cstddef>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "indexer/group_config.h"
#include "indexer/schedule.h"
#include "indexer/synonyms.h"
#include "lectern/v1/lectern.pb.h"

namespace lectern {

// Reports work in progress: a phase name, units done and the total (0 when
// unknown). Called often; the callee decides what to print.
using ProgressCallback =
    std::function<void(absl::string_view phase, size_t done, size_t total)>;

struct Corpus {
  std::vector<v1::Group> groups;
  std::vector<v1::Session> sessions;
  std::vector<v1::Paper> papers;
  std::vector<v1::Summary> summaries;
  // Every problem and note, files cited as opened.
  std::vector<ParseIssue> issues;
  // The inputs read with errors, as origin labels ("group:<id>",
  // "catalog:<path>", "summaries:<path>"; see OriginsOf in documents.h).
  // Their documents are never deleted for being absent: the entry may be a
  // line that failed to parse.
  std::set<std::string> failed_origins;
  // Catalog records read, before merging.
  size_t catalog_records = 0;
  // From the config's synonyms_file; empty when it names none. Written to
  // the index unless its origin (SynonymsOrigin) failed.
  SynonymTable synonyms;
};

// Reads every schedule, catalog and summary folder `config` names, merges
// the catalog, links sessions to papers and summaries to sessions. Never
// fails as a whole: unreadable files and bad lines are issues.
Corpus LoadCorpus(const LoadedConfig& config,
                  const ProgressCallback& progress = nullptr);

// The origin label of each kind of input.
std::string GroupOrigin(absl::string_view group_id);
std::string CatalogOrigin(absl::string_view path);
std::string SummariesOrigin(absl::string_view path);
std::string SynonymsOrigin(absl::string_view path);
// Records written through the write API carry this origin too; lectern-index
// never deletes them for being absent from its inputs.
std::string ApiOrigin();

}  // namespace lectern

#endif  // LECTERN_INDEXER_CORPUS_H_
