// Copies of the bundled data for tests that run lectern-index on files:
// the data folder with extra config appended, and a larger catalog made of
// variants of the bundled papers.
#ifndef LECTERN_TESTS_TESTING_BUNDLED_DATA_H_
#define LECTERN_TESTS_TESTING_BUNDLED_DATA_H_

#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "tests/testing/paths.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace lectern::testing {

// A copy of the bundled data in `dir`/`name`, plus `extra` appended to the
// config; returns the config path.
inline std::string CopyBundledData(const TempDir& dir, const std::string& name,
                                   const std::string& extra = "") {
  namespace fs = std::filesystem;
  const fs::path data = fs::path(dir.path()) / name;
  fs::copy(fs::path(SourceDir()) / "data", data, fs::copy_options::recursive);
  const std::string config = (data / "lectern.textproto").string();
  fs::permissions(config, fs::perms::owner_write, fs::perm_options::add);
  std::ofstream(config, std::ios::app) << extra;
  return config;
}

// A JSON Lines catalog, `dir`/`file_name`, of `copies` variants of every
// bundled paper, each a distinct paper (its own title and DOI): real text
// for the indexer to chew on. Returns its path.
inline std::string WriteVariantCatalog(const TempDir& dir, int copies,
                                       const std::string& file_name) {
  const std::string bundled =
      ReadFile(SourceDir() + "/data/catalog/osdi_sosp.jsonl");
  std::string out;
  for (int copy = 1; copy <= copies; ++copy) {
    for (absl::string_view line : absl::StrSplit(bundled, '\n')) {
      if (line.empty()) continue;
      absl::StrAppend(
          &out,
          absl::StrReplaceAll(
              line,
              {{"{\"title\": \"",
                absl::StrCat("{\"title\": \"Variant ", copy, " of ")},
               {"\"doi\": \"", absl::StrCat("\"doi\": \"10.0/", copy, "/")}}),
          "\n");
    }
  }
  return dir.WriteFile(file_name, out);
}

}  // namespace lectern::testing

#endif  // LECTERN_TESTS_TESTING_BUNDLED_DATA_H_
