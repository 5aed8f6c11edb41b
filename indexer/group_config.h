// Loading and validating lectern's configuration: a lectern.v1.LecternConfig
// in protobuf text format (schema and field documentation in
// proto/lectern/v1/config.proto). Thread-compatible.
#ifndef LECTERN_INDEXER_GROUP_CONFIG_H_
#define LECTERN_INDEXER_GROUP_CONFIG_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "lectern/v1/config.pb.h"

namespace lectern {

struct LoadedConfig {
  v1::LecternConfig config;
  // The config file as given; errors cite it.
  std::string path;
  // Its directory: schedule files are relative to it.
  std::string base_dir;

  // Where to open a file the config names (relative to the config's
  // folder unless absolute).
  std::string Resolve(const std::string& relative) const;
};

// Reads and validates the config at `path`. On failure the status is
// NotFound when the file cannot be read, InvalidArgument with
// "path:line: what was expected" when it is malformed or inconsistent
// (bad group id, duplicate id, missing schedule, catalog or summary folder,
// unknown sibling or group).
absl::StatusOr<LoadedConfig> LoadConfig(const std::string& path);

// Same for text already read; `path` only labels errors and locates
// schedule files.
absl::StatusOr<LoadedConfig> ParseConfig(absl::string_view text,
                                         const std::string& path);

}  // namespace lectern

#endif  // LECTERN_INDEXER_GROUP_CONFIG_H_
