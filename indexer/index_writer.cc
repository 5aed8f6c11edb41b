#include "indexer/index_writer.h"

#include <filesystem>
#include <set>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "indexer/documents.h"
#include "indexer/schema.h"
#include "indexer/xapian_status.h"

namespace lectern {

absl::StatusOr<std::unique_ptr<IndexWriter>> IndexWriter::Open(
    const std::string& path) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  if (error) {
    return absl::UnavailableError(absl::StrCat("cannot create index folder ",
                                               path, ": ", error.message()));
  }
  try {
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OPEN);
    return std::unique_ptr<IndexWriter>(new IndexWriter(std::move(db)));
  } catch (const Xapian::DatabaseLockError& e) {
    return absl::FailedPreconditionError(
        absl::StrCat("index ", path,
                     " is locked by another writer (another lectern-index, "
                     "or a lecternd with writes enabled): ",
                     e.get_msg()));
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, absl::StrCat("opening index ", path));
  }
}

absl::StatusOr<IndexReport> IndexWriter::Apply(
    const LoadedSchedules& schedules) {
  try {
    db_.begin_transaction();
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, "starting the index transaction");
  }
  absl::StatusOr<IndexReport> report;
  try {
    report = ApplyInTransaction(schedules);
  } catch (const Xapian::Error& e) {
    report = XapianErrorToStatus(e, "writing the index");
  }
  try {
    if (!report.ok()) {
      db_.cancel_transaction();
      return report;
    }
    db_.commit_transaction();
    report->revision = db_.get_revision();
    report->documents = static_cast<int>(db_.get_doccount());
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, "committing the index");
  }
  return report;
}

absl::StatusOr<IndexReport> IndexWriter::ApplyInTransaction(
    const LoadedSchedules& schedules) {
  IndexReport report;
  const std::string version = absl::StrCat(schema::kVersion);
  const bool rewrite_all =
      db_.get_metadata(std::string(schema::kMetaSchemaVersion)) != version;

  std::set<std::string> configured;
  for (const v1::Group& group : schedules.groups) {
    configured.insert(group.id());
    const std::string key = absl::StrCat(schema::kMetaGroupPrefix, group.id());
    const std::string value = group.SerializeAsString();
    if (db_.get_metadata(key) != value) db_.set_metadata(key, value);
  }

  DocumentBuilder builder;
  std::set<std::string> current_ids;
  for (const v1::Session& session : schedules.sessions) {
    const std::string id_term =
        schema::IdTerm(schema::kTypeSession, session.id());
    current_ids.insert(id_term);
    Xapian::Document doc = builder.Session(session);
    Xapian::PostingIterator existing = db_.postlist_begin(id_term);
    if (existing != db_.postlist_end(id_term)) {
      if (!rewrite_all &&
          db_.get_document(*existing).get_data() == doc.get_data()) {
        ++report.unchanged;
        continue;
      }
      ++report.updated;
    } else {
      ++report.added;
    }
    db_.replace_document(id_term, doc);
  }

  // Sessions a clean group no longer lists, and every session of a group
  // the config dropped.
  std::vector<std::string> stale;
  const std::string group_meta(schema::kMetaGroupPrefix);
  for (auto key = db_.metadata_keys_begin(group_meta);
       key != db_.metadata_keys_end(group_meta); ++key) {
    const std::string group_id = (*key).substr(group_meta.size());
    const bool dropped = !configured.count(group_id);
    if (!dropped && !schedules.clean_groups.count(group_id)) continue;
    if (dropped) report.removed_groups.push_back(group_id);
    const std::string group_term = schema::Term(schema::kGroup, group_id);
    for (auto posting = db_.postlist_begin(group_term);
         posting != db_.postlist_end(group_term); ++posting) {
      // Every document has exactly one id term; find it in the sorted list.
      const Xapian::Document doc = db_.get_document(*posting);
      auto term = doc.termlist_begin();
      term.skip_to(std::string(schema::kId));
      if (term == doc.termlist_end() || !absl::StartsWith(*term, schema::kId)) {
        continue;
      }
      if (dropped || !current_ids.count(*term)) stale.push_back(*term);
    }
  }
  for (const std::string& group_id : report.removed_groups) {
    db_.set_metadata(absl::StrCat(schema::kMetaGroupPrefix, group_id), "");
  }
  for (const std::string& id_term : stale) {
    db_.delete_document(id_term);
    ++report.deleted;
  }
  if (rewrite_all) {
    db_.set_metadata(std::string(schema::kMetaSchemaVersion), version);
  }
  return report;
}

}  // namespace lectern
