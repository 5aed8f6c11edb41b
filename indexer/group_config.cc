#include "indexer/group_config.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "indexer/files.h"
#include "indexer/suggest_rules.h"
#include "indexer/utf8.h"

namespace lectern {
namespace {

// Whether `path` is a file (a folder): false, not an exception, for a path
// the system refuses outright (too long, say), which a config may hold.
bool IsFile(const std::string& path) {
  std::error_code error;
  return std::filesystem::is_regular_file(path, error);
}
bool IsFolder(const std::string& path) {
  std::error_code error;
  return std::filesystem::is_directory(path, error);
}

namespace fs = std::filesystem;

class ErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  explicit ErrorCollector(std::string path) : path_(std::move(path)) {}
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    errors_.push_back(
        absl::StrCat(path_, ":", line + 1, ":", column + 1, ": ", message));
  }
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::string path_;
  std::vector<std::string> errors_;
};

bool IsValidGroupId(const std::string& id) {
  if (id.empty() || id.size() > 64 || id.front() == '-') return false;
  for (char c : id) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

// The first string field of `message` that is not valid UTF-8 (raw bytes,
// or an escape such as "\377"), as "name.name[i]" and its 1-based line
// from `tree` (0 when unknown); false when there is none. Protobuf strings
// must be UTF-8: the names reach the index and the API.
bool FindInvalidUtf8(const google::protobuf::Message& message,
                     const google::protobuf::TextFormat::ParseInfoTree* tree,
                     const std::string& prefix, std::string* field_path,
                     int* line) {
  using google::protobuf::FieldDescriptor;
  const google::protobuf::Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const int count =
        field->is_repeated() ? reflection->FieldSize(message, field) : 1;
    for (int i = 0; i < count; ++i) {
      const int index = field->is_repeated() ? i : -1;
      std::string path =
          absl::StrCat(prefix, prefix.empty() ? "" : ".", field->name());
      if (field->is_repeated()) absl::StrAppend(&path, "[", i, "]");
      if (field->type() == FieldDescriptor::TYPE_STRING) {
        std::string scratch;
        const std::string& value =
            field->is_repeated()
                ? reflection->GetRepeatedStringReference(message, field, i,
                                                         &scratch)
                : reflection->GetStringReference(message, field, &scratch);
        if (!utf8::IsValid(value)) {
          *field_path = path;
          *line =
              tree == nullptr ? 0 : tree->GetLocation(field, index).line + 1;
          return true;
        }
      } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        const google::protobuf::Message& nested =
            field->is_repeated()
                ? reflection->GetRepeatedMessage(message, field, i)
                : reflection->GetMessage(message, field);
        if (FindInvalidUtf8(nested,
                            tree == nullptr
                                ? nullptr
                                : tree->GetTreeForNested(field, index),
                            path, field_path, line)) {
          if (*line <= 0 && tree != nullptr) {
            *line = tree->GetLocation(field, index).line + 1;
          }
          return true;
        }
      }
    }
  }
  return false;
}

}  // namespace

std::string LoadedConfig::Resolve(const std::string& relative) const {
  const fs::path file(relative);
  if (file.is_absolute() || base_dir.empty()) return file.string();
  return (fs::path(base_dir) / file).string();
}

absl::StatusOr<LoadedConfig> LoadConfig(const std::string& path) {
  std::string text;
  if (!ReadWholeFile(path, &text)) {
    return absl::NotFoundError(
        absl::StrCat(path, ": cannot read the config file"));
  }
  return ParseConfig(text, path);
}

absl::StatusOr<LoadedConfig> ParseConfig(absl::string_view text,
                                         const std::string& path) {
  LoadedConfig loaded;
  loaded.path = path;
  loaded.base_dir = fs::path(path).parent_path().string();

  google::protobuf::TextFormat::Parser parser;
  ErrorCollector errors(path);
  google::protobuf::TextFormat::ParseInfoTree locations;
  parser.RecordErrorsTo(&errors);
  parser.WriteLocationsTo(&locations);
  if (!parser.ParseFromString(std::string(text), &loaded.config)) {
    return absl::InvalidArgumentError(absl::StrJoin(errors.errors(), "\n"));
  }
  std::string field_path;
  int field_line = 0;
  if (FindInvalidUtf8(loaded.config, &locations, "", &field_path,
                      &field_line)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ":", std::max(field_line, 1), ": ", field_path,
                     " is not valid UTF-8; the config must be UTF-8 text"));
  }

  // Semantic checks, each citing the line of the offending field.
  std::vector<std::string> problems;
  // The line of `field` (entry `value_index` if repeated, else -1) inside
  // entry `index` of the top-level list `list`; the entry's own line when
  // the field is absent.
  auto problem = [&](const char* list, int index, const char* field,
                     absl::string_view message, int value_index = -1) {
    const auto* list_field =
        v1::LecternConfig::descriptor()->FindFieldByName(list);
    int line = 0;
    if (auto* tree = locations.GetTreeForNested(list_field, index)) {
      const auto* descriptor =
          list_field->message_type()->FindFieldByName(field);
      const auto location = tree->GetLocation(descriptor, value_index);
      line = location.line >= 0 ? location.line + 1 : 0;
    }
    if (line == 0) line = locations.GetLocation(list_field, index).line + 1;
    problems.push_back(absl::StrCat(path, ":", line, ": ", message));
  };

  // The line of a top-level field's first occurrence (1 when absent).
  auto FirstLine = [&](const char* field) {
    const auto* descriptor =
        v1::LecternConfig::descriptor()->FindFieldByName(field);
    const auto location = locations.GetLocation(descriptor, 0);
    return location.line >= 0 ? location.line + 1 : 1;
  };
  const v1::LecternConfig& config = loaded.config;
  if (config.groups().empty() && config.catalogs().empty()) {
    problems.push_back(absl::StrCat(
        path,
        ":1: expected at least one 'groups { ... }' or 'catalogs { ... }'"));
  }
  std::set<std::string> ids;
  for (const v1::GroupConfig& group : config.groups()) ids.insert(group.id());
  std::set<std::string> seen;
  for (int i = 0; i < config.groups_size(); ++i) {
    const v1::GroupConfig& group = config.groups(i);
    const std::string label = absl::StrCat("group '", group.id(), "': ");
    if (!IsValidGroupId(group.id())) {
      problem("groups", i, "id",
              absl::StrCat(label,
                           "id must be lowercase letters, digits and "
                           "'-' (e.g. fall-2024)"));
    } else if (!seen.insert(group.id()).second) {
      problem("groups", i, "id", absl::StrCat(label, "duplicate id"));
    }
    if (group.schedule_file().empty()) {
      problem("groups", i, "schedule_file",
              absl::StrCat(label, "schedule_file is required"));
    } else if (!IsFile(loaded.Resolve(group.schedule_file()))) {
      problem("groups", i, "schedule_file",
              absl::StrCat(label, "schedule_file '", group.schedule_file(),
                           "' not found (looked for ",
                           loaded.Resolve(group.schedule_file()), ")"));
    }
    const int year = group.semester_start_year();
    if (year != 0 && (year < 1900 || year > 2199)) {
      problem(
          "groups", i, "semester_start_year",
          absl::StrCat(label, "semester_start_year must be a 4-digit year"));
    }
    if (year == 0 &&
        group.schedule_format() == v1::SCHEDULE_FORMAT_NUMBERED_LIST) {
      problem("groups", i, "schedule_format",
              absl::StrCat(label,
                           "numbered lists write no year: "
                           "semester_start_year is required"));
    }
    for (int k = 0; k < group.siblings_size(); ++k) {
      const std::string& sibling = group.siblings(k);
      if (sibling == group.id()) {
        problem("groups", i, "siblings",
                absl::StrCat(label, "a group is not its own sibling"), k);
      } else if (!ids.count(sibling)) {
        problem("groups", i, "siblings",
                absl::StrCat(label, "sibling '", sibling,
                             "' is not a group of this config"),
                k);
      }
    }
    const v1::SuggestionRules& rules = group.rules();
    for (int k = 0; k < rules.venues_size(); ++k) {
      if (rules.venues(k).empty()) {
        problem("groups", i, "rules",
                absl::StrCat(label, "rules: a venue must not be empty"));
      }
    }
    if (rules.max_age_months() < 0) {
      problem("groups", i, "rules",
              absl::StrCat(label,
                           "rules: max_age_months must be 0 (no limit) or "
                           "more (24 is \"within 2 years\")"));
    }
    if (rules.min_abstract_chars() < 0) {
      problem("groups", i, "rules",
              absl::StrCat(label,
                           "rules: min_abstract_chars must not be "
                           "negative"));
    }
    if (!rules.venue_months().empty()) {
      problem("groups", i, "rules",
              absl::StrCat(label,
                           "rules: venue_months belong at the top level of "
                           "the config (venue_months { ... })"));
    }
    for (const std::string& message : CheckCadence(group.cadence())) {
      problem("groups", i, "cadence", absl::StrCat(label, message));
    }
  }
  for (const std::string& message : CheckVenueMonths(config.venue_months())) {
    problems.push_back(
        absl::StrCat(path, ":", FirstLine("venue_months"), ": ", message));
  }
  for (int i = 0; i < config.catalogs_size(); ++i) {
    const v1::CatalogFile& catalog = config.catalogs(i);
    if (catalog.path().empty()) {
      problem("catalogs", i, "path", "catalogs: path is required");
    } else if (!IsFile(loaded.Resolve(catalog.path()))) {
      problem(
          "catalogs", i, "path",
          absl::StrCat("catalog '", catalog.path(), "' not found (looked for ",
                       loaded.Resolve(catalog.path()), ")"));
    }
  }
  for (int i = 0; i < config.summaries_size(); ++i) {
    const v1::SummaryFolder& folder = config.summaries(i);
    if (folder.path().empty()) {
      problem("summaries", i, "path", "summaries: path is required");
    } else if (!IsFolder(loaded.Resolve(folder.path()))) {
      problem("summaries", i, "path",
              absl::StrCat("summary folder '", folder.path(),
                           "' not found (looked for ",
                           loaded.Resolve(folder.path()), ")"));
    }
    if (!folder.group().empty() && !ids.count(folder.group())) {
      problem("summaries", i, "group",
              absl::StrCat("summary folder '", folder.path(), "': group '",
                           folder.group(), "' is not a group of this config"));
    }
  }
  if (!problems.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(problems, "\n"));
  }
  for (v1::GroupConfig& group : *loaded.config.mutable_groups()) {
    if (group.display_name().empty()) group.set_display_name(group.id());
  }
  return loaded;
}

}  // namespace lectern
