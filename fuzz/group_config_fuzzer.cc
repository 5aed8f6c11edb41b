// Fuzz target: the config (indexer/group_config.h), protobuf text format
// plus lectern's checks. The config is placed in data/ of the source tree,
// so the files the seed configs name exist and the whole validation runs.
// Checks: an error is InvalidArgument citing "<path>:<line>"; a config
// that loads has valid group ids, display names, and valid UTF-8 strings.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "fuzz/fuzz_checks.h"
#include "indexer/group_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string path = LECTERN_SOURCE_DIR "/data/lectern.textproto";
  const absl::StatusOr<lectern::LoadedConfig> loaded =
      lectern::ParseConfig(text, path);
  if (!loaded.ok()) {
    LECTERN_FUZZ_CHECK(
        loaded.status().code() == absl::StatusCode::kInvalidArgument &&
            absl::StartsWith(loaded.status().message(), path + ":"),
        loaded.status().ToString());
    return 0;
  }
  const lectern::v1::LecternConfig& config = loaded->config;
  lectern::fuzz::CheckUtf8Strings(config, "config");
  LECTERN_FUZZ_CHECK(config.groups_size() + config.catalogs_size() > 0,
                     config.ShortDebugString());
  for (const lectern::v1::GroupConfig& group : config.groups()) {
    LECTERN_FUZZ_CHECK(!group.id().empty() && !group.display_name().empty(),
                       group.ShortDebugString());
  }
  return 0;
}
