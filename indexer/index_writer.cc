#include "indexer/index_writer.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
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
  // The spelling table holds each word once per document that has it, so
  // it stays exact: a replaced or deleted document takes its words along.
  auto add_spelling = [&](const Xapian::Document& doc) {
    for (const std::string& word : SpellingWords(doc)) db_.add_spelling(word);
  };
  auto remove_spelling = [&](const Xapian::Document& doc) {
    for (const std::string& word : SpellingWords(doc)) {
      db_.remove_spelling(word);
    }
  };
  if (rewrite_all) {
    // Every document is rewritten and adds its words afresh.
    std::vector<std::pair<std::string, Xapian::doccount>> spellings;
    for (auto word = db_.spellings_begin(); word != db_.spellings_end();
         ++word) {
      spellings.emplace_back(*word, word.get_termfreq());
    }
    for (const auto& [word, count] : spellings) {
      db_.remove_spelling(word, count);
    }
  }
  auto upsert = [&](const std::string& id_term, const Xapian::Document& doc) {
    current_ids.insert(id_term);
    Xapian::PostingIterator existing = db_.postlist_begin(id_term);
    if (existing != db_.postlist_end(id_term)) {
      const Xapian::Document old = db_.get_document(*existing);
      if (!rewrite_all && old.get_value(schema::kSlotFingerprint) ==
                              doc.get_value(schema::kSlotFingerprint)) {
        ++report.unchanged;
      } else {
        ++report.updated;
        if (!rewrite_all) remove_spelling(old);
        add_spelling(doc);
        db_.replace_document(id_term, doc);
      }
    } else {
      ++report.added;
      add_spelling(doc);
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
  std::map<std::string, const v1::Session*> sessions_by_id;
  for (const v1::Session& session : corpus.sessions) {
    sessions_by_id[session.id()] = &session;
  }
  for (const v1::Summary& summary : corpus.summaries) {
    const auto session = sessions_by_id.find(summary.session_id());
    upsert(schema::IdTerm(schema::kTypeSummary, summary.id()),
           builder.Summary(summary, session == sessions_by_id.end()
                                        ? nullptr
                                        : session->second));
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
      protected_by_failure |=
          corpus.failed_origins.count(label) > 0 || label == ApiOrigin();
    }
    if (!protected_by_failure) stale.push_back(*term);
  }
  for (const std::string& id_term : stale) {
    if (!rewrite_all) {
      remove_spelling(db_.get_document(*db_.postlist_begin(id_term)));
    }
    db_.delete_document(id_term);
    ++report.deleted;
  }

  const bool synonyms_failed =
      std::any_of(corpus.failed_origins.begin(), corpus.failed_origins.end(),
                  [](const std::string& origin) {
                    return absl::StartsWith(origin, SynonymsOrigin(""));
                  });
  if (!synonyms_failed) {
    const std::string key(schema::kMetaSynonyms);
    const std::string value = corpus.synonyms.Serialize();
    if (db_.get_metadata(key) != value) db_.set_metadata(key, value);
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
  if (report.changes() > 0 || !report.removed_groups.empty()) {
    db_.set_metadata(std::string(schema::kMetaCommittedAt),
                     schema::CommitTimestamp(absl::Now()));
  }
  return report;
}

}  // namespace lectern
