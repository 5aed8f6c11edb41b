#include "indexer/shard_map.h"

#include <cstdint>
#include <filesystem>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "indexer/documents.h"
#include "indexer/files.h"
#include "indexer/schema.h"
#include "indexer/xapian_status.h"

namespace lectern {
namespace {

// "host:port" or "[v6]:port".
absl::StatusOr<ShardReplica> ParseReplica(absl::string_view text) {
  const size_t colon = text.rfind(':');
  ShardReplica replica;
  if (colon == absl::string_view::npos || colon == 0 ||
      !absl::SimpleAtoi(text.substr(colon + 1), &replica.port) ||
      replica.port <= 0 || replica.port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected HOST:PORT, got '", text, "'"));
  }
  absl::string_view host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  replica.host = std::string(host);
  return replica;
}

}  // namespace

std::string ShardReplica::ToString() const {
  return host.find(':') == std::string::npos
             ? absl::StrCat(host, ":", port)
             : absl::StrCat("[", host, "]:", port);
}

absl::StatusOr<ShardMap> ParseShardMap(absl::string_view text,
                                       absl::string_view file_name) {
  ShardMap map;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = line.substr(0, line.find('#'));
    std::vector<absl::string_view> words =
        absl::StrSplit(line, absl::ByAnyChar(" \t\r"), absl::SkipEmpty());
    if (words.empty()) continue;
    std::vector<ShardReplica>& replicas = map.shards.emplace_back();
    replicas.reserve(words.size());
    for (absl::string_view word : words) {
      absl::StatusOr<ShardReplica> replica = ParseReplica(word);
      if (!replica.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(
            file_name, ":", line_number, ": shard ", map.shards.size() - 1,
            ": ", replica.status().message()));
      }
      replicas.push_back(*std::move(replica));
    }
  }
  if (map.shards.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file_name,
                     ": no shards: expected one line per shard listing its "
                     "replicas as HOST:PORT"));
  }
  return map;
}

absl::StatusOr<ShardMap> LoadShardMap(const std::string& path) {
  std::string text;
  if (!ReadWholeFile(path, &text)) {
    return absl::NotFoundError(absl::StrCat("cannot read shard map ", path));
  }
  return ParseShardMap(text, path);
}

int ShardOfPaper(absl::string_view paper_id, int shards) {
  // FNV-1a: fixed by its definition, unlike std::hash.
  return static_cast<int>(Fnv1a64(paper_id) % static_cast<uint64_t>(shards));
}

std::string HomeFolder(const std::string& root) {
  return (std::filesystem::path(root) / "home").string();
}

std::string ShardFolder(const std::string& root, int shard) {
  return (std::filesystem::path(root) / absl::StrCat("shard-", shard)).string();
}

absl::StatusOr<Xapian::Database> OpenShardedDatabase(
    const Xapian::Database& home, const std::string& home_path,
    const ShardMap& map, size_t first_replica) {
  Xapian::Database db = home;
  std::string recorded;
  try {
    recorded = db.get_metadata(std::string(schema::kMetaShardCount));
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, absl::StrCat("reading index ", home_path));
  }
  if (recorded != absl::StrCat(map.shards.size())) {
    return absl::FailedPreconditionError(absl::StrCat(
        "index ", home_path, " was written with ",
        recorded.empty() ? "no" : recorded,
        " catalog shards, but the shard map lists ", map.shards.size(),
        recorded.empty() ? " (serve it without a shard map)" : ""));
  }
  for (size_t shard = 0; shard < map.shards.size(); ++shard) {
    const std::vector<ShardReplica>& replicas = map.shards[shard];
    std::vector<std::string> failures;
    bool opened = false;
    for (size_t i = 0; i < replicas.size() && !opened; ++i) {
      const ShardReplica& replica =
          replicas[(first_replica + shard + i) % replicas.size()];
      try {
        db.add_database(Xapian::Remote::open(
            replica.host, static_cast<unsigned>(replica.port),
            static_cast<useconds_t>(absl::ToInt64Milliseconds(map.timeout)),
            static_cast<useconds_t>(
                absl::ToInt64Milliseconds(map.connect_timeout))));
        opened = true;
      } catch (const Xapian::Error& e) {
        failures.push_back(
            absl::StrCat(replica.ToString(), " (", e.get_msg(), ")"));
      }
    }
    if (!opened) {
      return absl::UnavailableError(absl::StrCat(
          "shard ", shard,
          ": no replica answers: ", absl::StrJoin(failures, ", ")));
    }
  }
  return db;
}

}  // namespace lectern
