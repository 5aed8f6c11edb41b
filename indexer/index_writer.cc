#include "indexer/index_writer.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <system_error>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "indexer/documents.h"
#include "indexer/schema.h"
#include "indexer/shard_map.h"
#include "indexer/xapian_status.h"

namespace lectern {

// One document of a corpus. DocumentsOf lists them in the order the index
// numbers them: sessions, papers, summaries.
struct CorpusDocument {
  std::string id_term;
  const v1::Session* session = nullptr;
  const v1::Paper* paper = nullptr;
  const v1::Summary* summary = nullptr;
  const v1::Session* covered = nullptr;  // the session a summary covers

  Xapian::Document Build(DocumentBuilder& builder) const {
    if (session) return builder.Session(*session);
    if (paper) return builder.Paper(*paper);
    return builder.Summary(*summary, covered);
  }
};

namespace {

// The documents of `part` (IndexPart).
std::vector<CorpusDocument> DocumentsOf(const Corpus& corpus,
                                        const IndexPart& part) {
  const bool home_documents = part.keeps_home_records();
  const bool papers = part.kind != IndexPart::Kind::kHome;
  std::vector<CorpusDocument> documents;
  documents.reserve(corpus.sessions.size() + corpus.papers.size() +
                    corpus.summaries.size());
  std::map<std::string, const v1::Session*> sessions_by_id;
  for (const v1::Session& session : corpus.sessions) {
    sessions_by_id[session.id()] = &session;
    if (!home_documents) continue;
    CorpusDocument& document = documents.emplace_back();
    document.id_term = schema::IdTerm(schema::kTypeSession, session.id());
    document.session = &session;
  }
  for (const v1::Paper& paper : corpus.papers) {
    if (!papers || (part.kind == IndexPart::Kind::kShard &&
                    ShardOfPaper(paper.id(), part.shards) != part.shard)) {
      continue;
    }
    CorpusDocument& document = documents.emplace_back();
    document.id_term = schema::IdTerm(schema::kTypePaper, paper.id());
    document.paper = &paper;
  }
  for (const v1::Summary& summary : corpus.summaries) {
    if (!home_documents) break;
    CorpusDocument& document = documents.emplace_back();
    document.id_term = schema::IdTerm(schema::kTypeSummary, summary.id());
    document.summary = &summary;
    const auto covered = sessions_by_id.find(summary.session_id());
    if (covered != sessions_by_id.end()) document.covered = covered->second;
  }
  return documents;
}

bool HasRepeatedIds(const std::vector<CorpusDocument>& documents) {
  std::set<std::string> ids;
  for (const CorpusDocument& document : documents) {
    if (!ids.insert(document.id_term).second) return true;
  }
  return false;
}

// Stores each group of the corpus; returns their ids.
std::set<std::string> WriteGroups(const Corpus& corpus,
                                  Xapian::WritableDatabase* db) {
  std::set<std::string> configured;
  for (const v1::Group& group : corpus.groups) {
    configured.insert(group.id());
    const std::string key = absl::StrCat(schema::kMetaGroupPrefix, group.id());
    const std::string value = group.SerializeAsString();
    if (db->get_metadata(key) != value) db->set_metadata(key, value);
  }
  return configured;
}

// Stores the synonym table, unless its file was read with errors: then
// the last good one stays.
void WriteSynonyms(const Corpus& corpus, Xapian::WritableDatabase* db) {
  const bool failed =
      std::any_of(corpus.failed_origins.begin(), corpus.failed_origins.end(),
                  [](const std::string& origin) {
                    return absl::StartsWith(origin, SynonymsOrigin(""));
                  });
  if (failed) return;
  const std::string key(schema::kMetaSynonyms);
  const std::string value = corpus.synonyms.Serialize();
  if (db->get_metadata(key) != value) db->set_metadata(key, value);
}

void AddSpelling(const Xapian::Document& doc, Xapian::WritableDatabase* db) {
  for (const std::string& word : SpellingWords(doc)) db->add_spelling(word);
}

// Hears Xapian's compactor: each table reports once when it starts (an
// empty status) and once when it is done.
class MergeProgress : public Xapian::Compactor {
 public:
  explicit MergeProgress(const ProgressCallback& progress)
      : progress_(progress) {}
  void set_status(const std::string& /*table*/,
                  const std::string& status) override {
    if (status.empty() || !progress_) return;
    progress_("merging", ++tables_, kTables);
  }

 private:
  // postlist, docdata, termlist, position, spelling, synonym
  static constexpr size_t kTables = 6;
  const ProgressCallback& progress_;
  size_t tables_ = 0;
};

}  // namespace

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
    return std::unique_ptr<IndexWriter>(new IndexWriter(path, std::move(db)));
  } catch (const Xapian::DatabaseLockError& e) {
    // Xapian reports a lock file it cannot create as a lock error too.
    const std::string description = e.get_description();
    for (int code : {EROFS, EACCES, EPERM}) {
      if (absl::StrContains(description, std::strerror(code))) {
        return absl::FailedPreconditionError(
            absl::StrCat("cannot write index ", path,
                         ": the index folder cannot be "
                         "written (",
                         e.get_msg(), ")"));
      }
    }
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
  const std::vector<CorpusDocument> documents = DocumentsOf(corpus, part_);
  const size_t slices = std::min<size_t>(
      threads_, documents.size() / std::max<size_t>(min_per_thread_, 1));
  // A new part of a sharded index is built fresh even by one thread: its
  // writes are then committed in batches, not held in one transaction
  // (a shard of a million papers would not fit in memory).
  const bool fresh_part = part_.kind != IndexPart::Kind::kWhole && slices == 1;
  bool is_new = false;
  try {
    is_new = (slices > 1 || fresh_part) && IsNew();
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, "reading the index");
  }
  // Slices add their documents without looking them up, so a corpus that
  // names one id twice is written the usual way, where the second replaces
  // the first.
  if (is_new && !HasRepeatedIds(documents)) {
    return BuildInSlices(corpus, documents, static_cast<int>(slices), progress);
  }
  try {
    db_.begin_transaction();
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, "starting the index transaction");
  }
  absl::StatusOr<IndexReport> report;
  try {
    report = ApplyInTransaction(corpus, documents, progress);
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
    const Corpus& corpus, const std::vector<CorpusDocument>& documents,
    const ProgressCallback& progress) {
  IndexReport report;
  const std::string version = absl::StrCat(schema::kVersion);
  const bool rewrite_all =
      db_.get_metadata(std::string(schema::kMetaSchemaVersion)) != version;
  const bool keeps_groups = part_.keeps_home_records();
  const bool keeps_spelling = part_.keeps_spelling();

  const std::set<std::string> configured =
      keeps_groups ? WriteGroups(corpus, &db_) : std::set<std::string>();

  const size_t total = documents.size();
  size_t done = 0;
  std::set<std::string> current_ids;
  // The spelling table holds each word once per document that has it, so
  // it stays exact: a replaced or deleted document takes its words along.
  auto add_spelling = [&](const Xapian::Document& doc) {
    if (keeps_spelling) AddSpelling(doc, &db_);
  };
  auto remove_spelling = [&](const Xapian::Document& doc) {
    if (!keeps_spelling) return;
    for (const std::string& word : SpellingWords(doc)) {
      db_.remove_spelling(word);
    }
  };
  if (rewrite_all && keeps_spelling) {
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
  for (const CorpusDocument& document : documents) {
    upsert(document.id_term, document.Build(builder));
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

  if (keeps_groups) WriteSynonyms(corpus, &db_);

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

absl::Status IndexWriter::CompleteHome(
    const std::vector<std::string>& shard_paths, bool changed) {
  try {
    // The dictionary wanted: the words of this database's own documents
    // (SpellingWords, as a whole index adds them) and the shards' tables.
    std::map<std::string, Xapian::doccount> wanted;
    for (auto posting = db_.postlist_begin(""); posting != db_.postlist_end("");
         ++posting) {
      for (std::string& word : SpellingWords(db_.get_document(*posting))) {
        ++wanted[std::move(word)];
      }
    }
    for (const std::string& path : shard_paths) {
      const Xapian::Database shard(path);
      for (auto word = shard.spellings_begin(); word != shard.spellings_end();
           ++word) {
        wanted[*word] += word.get_termfreq();
      }
    }
    // Only the difference is written: a run that changed a few papers
    // touches a few words.
    db_.begin_transaction();
    std::vector<std::pair<std::string, Xapian::doccount>> surplus;
    for (auto word = db_.spellings_begin(); word != db_.spellings_end();
         ++word) {
      const Xapian::doccount have = word.get_termfreq();
      auto it = wanted.find(*word);
      const Xapian::doccount want = it == wanted.end() ? 0 : it->second;
      if (have > want) surplus.emplace_back(*word, have - want);
      if (it != wanted.end()) it->second = want > have ? want - have : 0;
    }
    for (const auto& [word, count] : surplus) db_.remove_spelling(word, count);
    for (const auto& [word, count] : wanted) {
      if (count > 0) db_.add_spelling(word, count);
    }
    const std::string shard_count = absl::StrCat(shard_paths.size());
    const std::string key(schema::kMetaShardCount);
    if (db_.get_metadata(key) != shard_count) {
      db_.set_metadata(key, shard_count);
    }
    if (changed || !surplus.empty()) {
      db_.set_metadata(std::string(schema::kMetaCommittedAt),
                       schema::CommitTimestamp(absl::Now()));
    }
    db_.commit_transaction();
  } catch (const Xapian::Error& e) {
    try {
      db_.cancel_transaction();
    } catch (const Xapian::Error&) {
      // Not in a transaction: it failed before one began.
    }
    return XapianErrorToStatus(e, "writing the home database's dictionary");
  }
  return absl::OkStatus();
}

bool IndexWriter::IsNew() {
  return db_.get_lastdocid() == 0 &&
         db_.metadata_keys_begin() == db_.metadata_keys_end() &&
         db_.spellings_begin() == db_.spellings_end();
}

absl::StatusOr<IndexReport> IndexWriter::BuildInSlices(
    const Corpus& corpus, const std::vector<CorpusDocument>& documents,
    int slices, const ProgressCallback& progress) {
  // The slices live inside the index folder, on the same file system, so
  // the merged tables can be renamed into place.
  const std::filesystem::path work =
      std::filesystem::path(path_) / "slices.tmp";
  const std::filesystem::path merged = work / "merged";
  auto slice_path = [&](int slice) {
    return (work / absl::StrCat("slice-", slice)).string();
  };
  auto cleanup = [&] {
    std::error_code ignored;
    std::filesystem::remove_all(work, ignored);
  };
  cleanup();
  {
    std::error_code error;
    std::filesystem::create_directories(work, error);
    if (error) {
      return absl::UnavailableError(
          absl::StrCat("cannot create ", work.string(), ": ", error.message()));
    }
  }

  std::atomic<size_t> done{0};
  std::atomic<int> finished{0};
  std::atomic<bool> failed{false};
  std::vector<absl::Status> statuses(slices);
  std::vector<std::thread> threads;
  const std::string version = absl::StrCat(schema::kVersion);
  for (int slice = 0; slice < slices; ++slice) {
    const size_t begin = documents.size() * slice / slices;
    const size_t end = documents.size() * (slice + 1) / slices;
    threads.emplace_back([&, slice, begin, end] {
      try {
        Xapian::WritableDatabase db(slice_path(slice),
                                    Xapian::DB_CREATE_OR_OVERWRITE);
        DocumentBuilder builder;
        for (size_t i = begin; i < end && !failed; ++i) {
          const Xapian::Document doc = documents[i].Build(builder);
          if (part_.keeps_spelling()) AddSpelling(doc, &db);
          db.add_document(doc);
          ++done;
          // Xapian's own batches (10,000 documents) cost more memory and,
          // measured, more time than this.
          if ((i - begin + 1) % 2000 == 0) db.commit();
        }
        if (slice == 0) {
          // The merge keeps the first slice's metadata.
          if (part_.keeps_home_records()) {
            WriteGroups(corpus, &db);
            WriteSynonyms(corpus, &db);
          }
          db.set_metadata(std::string(schema::kMetaSchemaVersion), version);
          db.set_metadata(std::string(schema::kMetaCommittedAt),
                          schema::CommitTimestamp(absl::Now()));
        }
        db.commit();
      } catch (const Xapian::Error& e) {
        statuses[slice] = XapianErrorToStatus(
            e, absl::StrCat("writing slice ", slice, " of the new index"));
        failed = true;
      } catch (const std::exception& e) {
        statuses[slice] = absl::InternalError(absl::StrCat(
            "writing slice ", slice, " of the new index: ", e.what()));
        failed = true;
      }
      ++finished;
    });
  }
  while (finished < slices) {
    if (progress) progress("writing", done, documents.size());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (std::thread& thread : threads) thread.join();
  if (progress) progress("writing", done, documents.size());
  for (const absl::Status& status : statuses) {
    if (!status.ok()) {
      cleanup();
      return status;
    }
  }

  try {
    Xapian::Database sources;
    for (int slice = 0; slice < slices; ++slice) {
      sources.add_database(Xapian::Database(slice_path(slice)));
    }
    MergeProgress merge_progress(progress);
    // Renumbering (the default) gives the documents of slice k the ids
    // after those of slice k - 1: the ids one writer would have given.
    sources.compact(merged.string(), 0, 0, merge_progress);
  } catch (const Xapian::Error& e) {
    cleanup();
    return XapianErrorToStatus(e, "merging the slices of the new index");
  }

  // In place of the empty database's files, while this writer still holds
  // the lock; the version file last, so a reader sees the old tables or
  // the new ones.
  std::error_code error;
  std::set<std::string> merged_files;
  for (const auto& entry : std::filesystem::directory_iterator(merged)) {
    merged_files.insert(entry.path().filename().string());
  }
  for (const auto& entry : std::filesystem::directory_iterator(path_)) {
    const std::string name = entry.path().filename().string();
    if (absl::EndsWith(name, ".glass") && !merged_files.count(name)) {
      std::filesystem::remove(entry.path(), error);
    }
  }
  merged_files.erase("iamglass");
  for (const std::string& name : merged_files) {
    std::filesystem::rename(merged / name, std::filesystem::path(path_) / name,
                            error);
    if (error) break;
  }
  if (!error) {
    std::filesystem::rename(merged / "iamglass",
                            std::filesystem::path(path_) / "iamglass", error);
  }
  if (error) {
    cleanup();
    return absl::UnavailableError(absl::StrCat(
        "putting the new index in place in ", path_, ": ", error.message()));
  }
  cleanup();
  IndexReport report;
  report.added = static_cast<int>(documents.size());
  try {
    db_.close();
    db_ = Xapian::WritableDatabase(path_, Xapian::DB_OPEN);
    report.revision = db_.get_revision();
    report.documents = static_cast<int>(db_.get_doccount());
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, absl::StrCat("reopening ", path_));
  }
  return report;
}

namespace {

// Xapian's check report, one section per table: "postlist:" on a line of
// its own, then what it found.
std::vector<std::pair<std::string, std::string>> CheckSections(
    const std::string& report) {
  std::vector<std::pair<std::string, std::string>> sections;
  for (absl::string_view line : absl::StrSplit(report, '\n')) {
    absl::string_view name = line;
    if (!line.empty() && line.front() != ' ' &&
        absl::ConsumeSuffix(&name, ":") &&
        name.find_first_of(" =") == absl::string_view::npos) {
      sections.emplace_back(std::string(name), "");
    } else if (!sections.empty() && !line.empty()) {
      absl::StrAppend(&sections.back().second, "  ", line, "\n");
    }
  }
  return sections;
}

// Whether a table's section ends with a clean verdict.
bool SectionIsClean(const std::string& text) {
  return absl::StrContains(text, "checked OK") ||
         absl::StrContains(text, "Lazily created");
}

// The status of a Xapian error met while checking or reading the index at
// `path`, in `table` when known.
absl::Status CheckError(const std::string& path, const std::string& table,
                        const Xapian::Error& e) {
  const std::string where =
      table.empty() ? "" : absl::StrCat("table ", table, ": ");
  const std::string what =
      absl::StrCat(e.get_type(), ": ", e.get_msg(),
                   e.get_error_string() == nullptr
                       ? ""
                       : absl::StrCat(" (", e.get_error_string(), ")"));
  const std::string type = e.get_type();
  const char* error_string = e.get_error_string();
  const bool not_writable =
      error_string != nullptr &&
      (std::strcmp(error_string, std::strerror(EROFS)) == 0 ||
       std::strcmp(error_string, std::strerror(EACCES)) == 0);
  if (type == "DatabaseOpeningError" && not_writable) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot check index ", path,
                     ": Xapian's check opens the tables for "
                     "writing, and ",
                     where, what));
  }
  if (type == "DatabaseModifiedError") {
    return absl::UnavailableError(absl::StrCat(
        "index ", path, " changed while it was checked; try again: ", what));
  }
  if (type == "DatabaseNotFoundError") {
    return absl::NotFoundError(absl::StrCat("no index at ", path, ": ", what));
  }
  if (type == "DatabaseError" || type == "DatabaseCorruptError" ||
      type == "DatabaseOpeningError" || type == "DatabaseVersionError") {
    return absl::DataLossError(
        absl::StrCat("index ", path, " is damaged: ", where, what));
  }
  return absl::UnavailableError(
      absl::StrCat("cannot check index ", path, ": ", where, what));
}

// NotFound unless `path` is a folder holding a glass database.
absl::Status FindIndexFolder(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_directory(path, error)) {
    return absl::NotFoundError(
        absl::StrCat("no index at ", path, ": no such folder"));
  }
  if (std::filesystem::is_empty(path, error)) {
    return absl::NotFoundError(
        absl::StrCat("no index at ", path, ": the folder is empty"));
  }
  if (!std::filesystem::exists(std::filesystem::path(path) / "iamglass",
                               error)) {
    return absl::NotFoundError(absl::StrCat(
        "no index at ", path,
        ": the folder has no iamglass file (not a Xapian glass database)"));
  }
  return absl::OkStatus();
}

// Xapian counts a table whose file is gone as one never created (glass
// tables are created lazily, and a database may do without a termlist), so
// its check passes an index that lost its documents' data or terms. A
// lectern index that holds documents always has these tables.
absl::Status FindLecternTables(const std::string& path) {
  Xapian::doccount documents = 0;
  try {
    documents = Xapian::Database(path).get_doccount();
  } catch (const Xapian::Error& e) {
    return CheckError(path, "", e);
  }
  if (documents == 0) return absl::OkStatus();
  for (const char* table : {"docdata", "termlist", "position"}) {
    const std::string file = absl::StrCat(table, ".glass");
    std::error_code error;
    if (!std::filesystem::exists(std::filesystem::path(path) / file, error)) {
      return absl::DataLossError(absl::StrCat(
          "index ", path, " is damaged: table ", table, ": its file ", file,
          " is missing, though the index holds ", documents, " documents"));
    }
  }
  return absl::OkStatus();
}

// The folder holding the tables: `path` itself, or, for a replica that
// xapian-replicate keeps (a folder whose XAPIANDB stub names the current
// copy, "auto replica_N"), that copy.
std::string TablesFolder(const std::string& path) {
  std::ifstream stub(std::filesystem::path(path) / "XAPIANDB");
  std::string line;
  while (std::getline(stub, line)) {
    absl::string_view copy = line;
    if (absl::ConsumePrefix(&copy, "auto ") && !copy.empty() &&
        copy.find('/') == absl::string_view::npos) {
      return (std::filesystem::path(path) / std::string(copy)).string();
    }
  }
  return path;
}

}  // namespace

absl::StatusOr<std::string> CheckIndex(const std::string& index_path) {
  const std::string path = TablesFolder(index_path);
  if (absl::Status found = FindIndexFolder(path); !found.ok()) return found;
  std::ostringstream out;
  size_t errors = 0;
  try {
    errors = Xapian::Database::check(path, Xapian::DBCHECK_SHOW_STATS, &out);
  } catch (const Xapian::Error& e) {
    // The table being checked when it threw is the last one reported.
    const auto sections = CheckSections(out.str());
    return CheckError(path, sections.empty() ? "" : sections.back().first, e);
  }
  if (errors == 0) {
    if (absl::Status tables = FindLecternTables(path); !tables.ok()) {
      return tables;
    }
    return out.str();
  }
  std::vector<std::string> tables;
  std::string details;
  for (const auto& [table, text] : CheckSections(out.str())) {
    if (SectionIsClean(text)) continue;
    tables.push_back(table);
    absl::StrAppend(&details, table, ":\n", text);
  }
  return absl::DataLossError(
      absl::StrCat("index ", path, " is damaged: Xapian's check found ", errors,
                   " error(s)", tables.empty() ? "" : " in table ",
                   absl::StrJoin(tables, ", "), "\n", details));
}

absl::Status VerifyIndexForReading(const std::string& index_path) {
  const std::string path = TablesFolder(index_path);
  if (absl::Status found = FindIndexFolder(path); !found.ok()) return found;
  bool writable = ::access(path.c_str(), W_OK) == 0;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(path, error)) {
    const std::string name = entry.path().filename().string();
    if (name == "iamglass" || absl::EndsWith(name, ".glass")) {
      writable &= ::access(entry.path().c_str(), W_OK) == 0;
    }
  }
  if (writable) return CheckIndex(path).status();
  if (absl::Status tables = FindLecternTables(path); !tables.ok()) {
    return tables;
  }
  try {
    Xapian::Database db(path);
    // Every term: a walk over the postlist table's keys.
    for (auto term = db.allterms_begin(); term != db.allterms_end(); ++term) {
      (*term).size();
    }
    const Xapian::docid last = db.get_lastdocid();
    for (Xapian::docid id : {Xapian::docid{1}, last}) {
      if (id == 0) continue;
      try {
        db.get_document(id).get_data();
      } catch (const Xapian::DocNotFoundError&) {
        // Deleted: nothing to read.
      }
    }
  } catch (const Xapian::Error& e) {
    return CheckError(path, "", e);
  }
  return absl::OkStatus();
}

}  // namespace lectern
