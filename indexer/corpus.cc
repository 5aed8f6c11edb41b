#include "indexer/corpus.h"

#include <algorithm>
#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "indexer/catalog.h"
#include "indexer/catalog_merge.h"
#include "indexer/files.h"
#include "indexer/schedule_loader.h"
#include "indexer/summary.h"

namespace lectern {
namespace {

namespace fs = std::filesystem;

bool IsSummaryFile(const fs::path& path) {
  const std::string ext = path.extension().string();
  const std::string name = path.filename().string();
  return (ext == ".md" || ext == ".markdown" || ext == ".txt") &&
         !absl::StartsWithIgnoreCase(name, "readme");
}

}  // namespace

std::string GroupOrigin(absl::string_view group_id) {
  return absl::StrCat("group:", group_id);
}
std::string CatalogOrigin(absl::string_view path) {
  return absl::StrCat("catalog:", path);
}
std::string SummariesOrigin(absl::string_view path) {
  return absl::StrCat("summaries:", path);
}

std::string ApiOrigin() { return "api"; }

std::string SynonymsOrigin(absl::string_view path) {
  return absl::StrCat("synonyms:", path);
}

Corpus LoadCorpus(const LoadedConfig& config,
                  const ProgressCallback& progress) {
  Corpus corpus;
  auto report = [&](absl::string_view phase, size_t done, size_t total) {
    if (progress) progress(phase, done, total);
  };

  // Schedules.
  LoadedSchedules schedules = LoadSchedules(config);
  corpus.groups = std::move(schedules.groups);
  corpus.sessions = std::move(schedules.sessions);
  corpus.issues = std::move(schedules.issues);
  for (const v1::GroupConfig& group : config.config.groups()) {
    if (!schedules.clean_groups.count(group.id())) {
      corpus.failed_origins.insert(GroupOrigin(group.id()));
    }
  }

  // Catalogs, in priority order.
  std::vector<CatalogRecord> records;
  for (const v1::CatalogFile& catalog : config.config.catalogs()) {
    const std::string origin = CatalogOrigin(catalog.path());
    const std::string path = config.Resolve(catalog.path());
    report("reading catalogs", 0, 0);
    std::string text;
    if (!ReadWholeFile(path, &text)) {
      corpus.issues.push_back(
          ParseIssue{path, 0, "cannot read the catalog", ""});
      corpus.failed_origins.insert(origin);
      continue;
    }
    ParsedCatalog parsed = ParseCatalog(catalog.format(), text, catalog.path());
    if (HasErrors(parsed.issues)) corpus.failed_origins.insert(origin);
    for (ParseIssue& issue : parsed.issues) {
      issue.file = path;
      corpus.issues.push_back(std::move(issue));
    }
    for (CatalogRecord& record : parsed.records)
      records.push_back(std::move(record));
    report("reading catalogs", records.size(), 0);
  }
  corpus.catalog_records = records.size();
  corpus.papers = MergeCatalog(records);
  records.clear();

  // Sessions link to the catalog papers they presented.
  {
    const PaperFinder finder(corpus.papers);
    for (v1::Session& session : corpus.sessions) {
      if (!session.has_paper()) continue;
      if (const v1::Paper* paper = finder.Find(session.paper())) {
        session.mutable_paper()->set_paper_id(paper->id());
      }
    }
  }

  // Summaries, linked to their sessions.
  std::vector<SummaryFile> files;
  for (const v1::SummaryFolder& folder : config.config.summaries()) {
    // "summaries/" and "./summaries" are the folder "summaries": its files'
    // ids and its origin must agree.
    std::string folder_label =
        fs::path(folder.path()).lexically_normal().generic_string();
    while (folder_label.size() > 1 && folder_label.back() == '/') {
      folder_label.pop_back();
    }
    const std::string origin = SummariesOrigin(folder_label);
    const fs::path dir = config.Resolve(folder.path());
    std::vector<fs::path> paths;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(dir, error)) {
      if (entry.is_regular_file() && IsSummaryFile(entry.path())) {
        paths.push_back(entry.path());
      }
    }
    if (error) {
      corpus.issues.push_back(
          ParseIssue{dir.string(), 0,
                     "cannot list the summary folder: " + error.message(), ""});
      corpus.failed_origins.insert(origin);
      continue;
    }
    std::sort(paths.begin(), paths.end());  // the same order on every run
    const size_t issues_before = corpus.issues.size();
    std::vector<SummaryFile> folder_files;
    for (const fs::path& path : paths) {
      const std::string label =
          (fs::path(folder_label) / path.filename()).generic_string();
      std::string text;
      if (!ReadWholeFile(path.string(), &text)) {
        corpus.issues.push_back(
            ParseIssue{path.string(), 0, "cannot read the summary", ""});
        continue;
      }
      folder_files.push_back(ParseSummaryFile(text, label, folder.group()));
    }
    for (v1::Summary& summary : ResolveSummaries(
             std::move(folder_files), corpus.sessions, &corpus.issues)) {
      corpus.summaries.push_back(std::move(summary));
    }
    // Cite the files as opened, like every other issue.
    std::vector<ParseIssue> folder_issues(corpus.issues.begin() + issues_before,
                                          corpus.issues.end());
    for (size_t i = issues_before; i < corpus.issues.size(); ++i) {
      corpus.issues[i].file = config.Resolve(corpus.issues[i].file);
    }
    if (HasErrors(folder_issues)) corpus.failed_origins.insert(origin);
  }

  // Synonyms. A file with errors leaves the index's previous table in
  // place rather than dropping the groups a bad edit touched.
  if (!config.config.synonyms_file().empty()) {
    const std::string path = config.Resolve(config.config.synonyms_file());
    const std::string origin = SynonymsOrigin(config.config.synonyms_file());
    std::string text;
    if (!ReadWholeFile(path, &text)) {
      corpus.issues.push_back(
          ParseIssue{path, 0, "cannot read the synonyms file", ""});
      corpus.failed_origins.insert(origin);
    } else {
      std::vector<ParseIssue> issues;
      corpus.synonyms = SynonymTable::Parse(text, path, &issues);
      if (HasErrors(issues)) corpus.failed_origins.insert(origin);
      for (ParseIssue& issue : issues)
        corpus.issues.push_back(std::move(issue));
    }
  }
  return corpus;
}

}  // namespace lectern
