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
    const Corpus& corpus, const ProgressCallback& progress) {
  try {
    db_.begin_transaction();
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, "starting the index transaction");
  }
  absl::StatusOr<IndexReport> report;
  try {
    report = ApplyInTransaction(corpus, progress);
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
    const Corpus& corpus, const ProgressCallback& progress) {
  IndexReport report;
  const std::string version = absl::StrCat(schema::kVersion);
  const bool rewrite_all =
      db_.get_metadata(std::string(schema::kMetaSchemaVersion)) != version;

  std::set<std::string> configured;
  for (const v1::Group& group : corpus.groups) {
    configured.insert(group.id());
    const std::string key = absl::StrCat(schema::kMetaGroupPrefix, group.id());
    const std::string value = group.SerializeAsString();
    if (db_.get_metadata(key) != value) db_.set_metadata(key, value);
  }

  const size_t total =
      corpus.sessions.size() + corpus.papers.size() + corpus.summaries.size();
  size_t done = 0;
  std::set<std::string> current_ids;
  auto upsert = [&](const std::string& id_term, const Xapian::Document& doc) {
    current_ids.insert(id_term);
    Xapian::PostingIterator existing = db_.postlist_begin(id_term);
    if (existing != db_.postlist_end(id_term)) {
      if (!rewrite_all &&
          db_.get_document(*existing).get_data() == doc.get_data()) {
        ++report.unchanged;
      } else {
        ++report.updated;
        db_.replace_document(id_term, doc);
      }
    } else {
      ++report.added;
      db_.replace_document(id_term, doc);
    }
    if (progress && (++done % 256 == 0 || done == total)) {
      progress("writing", done, total);
    }
  };
  DocumentBuilder builder;
  for (const v1::Session& session : corpus.sessions) {
    upsert(schema::IdTerm(schema::kTypeSession, session.id()),
           builder.Session(session));
  }
  for (const v1::Paper& paper : corpus.papers) {
    upsert(schema::IdTerm(schema::kTypePaper, paper.id()),
           builder.Paper(paper));
  }
  for (const v1::Summary& summary : corpus.summaries) {
    upsert(schema::IdTerm(schema::kTypeSummary, summary.id()),
           builder.Summary(summary));
  }

  // Documents the corpus no longer holds go, unless one of their origins
  // was read with errors: then the document may be an entry that failed to
  // parse this time, and the last good version stays.
  std::vector<std::string> stale;
  const std::string id_prefix(schema::kId);
  const std::string origin_prefix(schema::kOrigin);
  for (auto term = db_.allterms_begin(id_prefix);
       term != db_.allterms_end(id_prefix); ++term) {
    if (current_ids.count(*term)) continue;
    const Xapian::Document doc = db_.get_document(*db_.postlist_begin(*term));
    bool protected_by_failure = false;
    auto origin = doc.termlist_begin();
    for (origin.skip_to(origin_prefix);
         origin != doc.termlist_end() &&
         absl::StartsWith(*origin, origin_prefix);
         ++origin) {
      const std::string label = (*origin).substr(origin_prefix.size());
      protected_by_failure |= corpus.failed_origins.count(label) > 0;
    }
    if (!protected_by_failure) stale.push_back(*term);
  }
  for (const std::string& id_term : stale) {
    db_.delete_document(id_term);
    ++report.deleted;
  }

  // Groups the config dropped.
  const std::string group_meta(schema::kMetaGroupPrefix);
  for (auto key = db_.metadata_keys_begin(group_meta);
       key != db_.metadata_keys_end(group_meta); ++key) {
    const std::string group_id = (*key).substr(group_meta.size());
    if (!configured.count(group_id)) report.removed_groups.push_back(group_id);
  }
  for (const std::string& group_id : report.removed_groups) {
    db_.set_metadata(absl::StrCat(schema::kMetaGroupPrefix, group_id), "");
  }
  if (rewrite_all) {
    db_.set_metadata(std::string(schema::kMetaSchemaVersion), version);
  }
  return report;
}

}  // namespace lectern
