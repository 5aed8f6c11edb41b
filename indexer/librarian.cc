#include "indexer/librarian.h"

#include <google/protobuf/util/json_util.h>
#include <xapian.h>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "indexer/catalog.h"
#include "indexer/catalog_merge.h"
#include "indexer/corpus.h"
#include "indexer/documents.h"
#include "indexer/index_reader.h"
#include "indexer/index_writer.h"
#include "indexer/normalize.h"
#include "indexer/schedule.h"
#include "indexer/schedule_loader.h"
#include "indexer/schedule_text.h"
#include "indexer/schema.h"
#include "indexer/status_macros.h"
#include "indexer/suggest_rules.h"
#include "indexer/summary.h"
#include "indexer/xapian_status.h"
#include "lectern/v1/catalog.pb.h"

namespace lectern {
namespace {

// What parse issues cite as the file of a write.
constexpr char kWriteLabel[] = "api";

// Identifies a request's content apart from its request id, so a request
// id reused for a different request is caught.
template <typename Request>
std::string Fingerprint(const Request& request) {
  Request copy = request;
  copy.clear_request_id();
  return absl::StrCat(absl::Hex(Fnv1a64(copy.SerializeAsString())));
}

// A stored answer: "<method>\t<fingerprint>\t<unix seconds>\t<response>".
struct StoredReply {
  std::string method;
  std::string fingerprint;
  int64_t written = 0;
  std::string response;
};

std::string EncodeReply(const StoredReply& reply) {
  return absl::StrCat(reply.method, "\t", reply.fingerprint, "\t",
                      reply.written, "\t", reply.response);
}

std::optional<StoredReply> DecodeReply(absl::string_view value) {
  std::vector<absl::string_view> parts =
      absl::StrSplit(value, absl::MaxSplits('\t', 3));
  StoredReply reply;
  if (parts.size() != 4 || !absl::SimpleAtoi(parts[2], &reply.written)) {
    return std::nullopt;
  }
  reply.method = std::string(parts[0]);
  reply.fingerprint = std::string(parts[1]);
  reply.response = std::string(parts[3]);
  return reply;
}

std::string RequestKey(absl::string_view request_id) {
  return absl::StrCat(schema::kMetaRequestPrefix, request_id);
}

// Where each response keeps its outcome and revision.
v1::WriteResult* ResultOf(v1::UpsertSessionResponse* r) {
  return r->mutable_result();
}
v1::WriteResult* ResultOf(v1::UpsertPaperResponse* r) {
  return r->mutable_result();
}
v1::WriteResult* ResultOf(v1::UpsertSummaryResponse* r) {
  return r->mutable_result();
}
v1::WriteResult* ResultOf(v1::DeleteResponse* r) { return r->mutable_result(); }
void SetRevision(v1::ImportPapersResponse* r, uint64_t revision) {
  r->set_revision(revision);
}
void MarkReplayed(v1::ImportPapersResponse* r) { r->set_replayed(true); }
template <typename Response>
void SetRevision(Response* r, uint64_t revision) {
  ResultOf(r)->set_revision(revision);
}
template <typename Response>
void MarkReplayed(Response* r) {
  ResultOf(r)->set_replayed(true);
}
// A validate_only answer is not a write: its request id is not kept.
bool IsValidationOnly(const v1::ImportPapersResponse&) { return false; }
template <typename Response>
bool IsValidationOnly(const Response& r) {
  return r.result().outcome() == v1::WRITE_OUTCOME_VALIDATED;
}

// The problems a parser found in a write. They cite no file:line: the
// input is the request itself.
std::string IssuesText(const std::vector<ParseIssue>& issues) {
  std::vector<std::string> lines;
  for (const ParseIssue& issue : issues) {
    if (!issue.note) lines.push_back(issue.message);
  }
  return absl::StrJoin(lines, "; ");
}

// The answer to a write that `error` kept from being committed: the disk
// being full stays ResourceExhausted, anything else is Unavailable.
absl::Status NotCommitted(const absl::Status& error) {
  return absl::Status(
      error.code() == absl::StatusCode::kResourceExhausted
          ? absl::StatusCode::kResourceExhausted
          : absl::StatusCode::kUnavailable,
      absl::StrCat("nothing of this write was committed: ", error.message()));
}

// Catalog papers by the keys a record or a schedule entry is matched on.
class PaperKeys {
 public:
  void Add(const v1::Paper& paper) {
    if (!paper.doi().empty()) by_doi_[paper.doi()] = paper.id();
    if (!paper.url().empty()) by_url_[UrlKey(paper.url())] = paper.id();
    if (!paper.title_key().empty()) by_key_[paper.title_key()] = paper.id();
  }
  void Remove(const v1::Paper& paper) {
    auto erase = [&](std::unordered_map<std::string, std::string>& map,
                     const std::string& key) {
      auto it = map.find(key);
      if (it != map.end() && it->second == paper.id()) map.erase(it);
    };
    erase(by_doi_, paper.doi());
    erase(by_url_, UrlKey(paper.url()));
    erase(by_key_, paper.title_key());
  }
  void Clear() { *this = PaperKeys(); }

  // The id of the paper with the same DOI, URL or title key, tried in that
  // order (as MergeCatalog and PaperFinder match).
  std::optional<std::string> Find(const v1::Paper& paper) const {
    for (const auto& [map, key] :
         {std::pair{&by_doi_, paper.doi()},
          std::pair{&by_url_, paper.url().empty() ? "" : UrlKey(paper.url())},
          std::pair{&by_key_, paper.title_key()}}) {
      if (key.empty()) continue;
      auto it = map->find(key);
      if (it != map->end()) return it->second;
    }
    return std::nullopt;
  }

 private:
  std::unordered_map<std::string, std::string> by_doi_;
  std::unordered_map<std::string, std::string> by_url_;
  std::unordered_map<std::string, std::string> by_key_;
};

// Overwrites the fields `update` has (per its provenance) in `paper`, with
// their provenance: an upsert replaces what it gives and keeps the rest.
void Overlay(const v1::Paper& update, v1::Paper* paper) {
  for (const v1::FieldSource& source : update.provenance()) {
    const std::string& field = source.field();
    if (field == "title") paper->set_title(update.title());
    if (field == "authors") *paper->mutable_authors() = update.authors();
    if (field == "venue") paper->set_venue(update.venue());
    if (field == "year") paper->set_year(update.year());
    if (field == "abstract") paper->set_abstract(update.abstract());
    if (field == "url") paper->set_url(update.url());
    if (field == "doi") paper->set_doi(update.doi());
    bool replaced = false;
    for (v1::FieldSource& old : *paper->mutable_provenance()) {
      if (old.field() == field) {
        old.set_source(source.source());
        replaced = true;
      }
    }
    if (!replaced) *paper->add_provenance() = source;
  }
  paper->set_title_key(TitleKey(paper->title()));
}

}  // namespace

class Librarian::Impl {
 public:
  Impl(Xapian::WritableDatabase db, const LibrarianOptions& options)
      : db_(std::move(db)), options_(options), builder_({ApiOrigin()}) {}

  ~Impl() { Stop(); }

  absl::Status Start() {
    try {
      LoadPaperKeys();
      ForgetOldRequestIds();
    } catch (const Xapian::Error& e) {
      return XapianErrorToStatus(e, "reading the index for writing");
    }
    thread_ = std::thread([this] { Run(); });
    return absl::OkStatus();
  }

  void Stop() {
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
    }
    if (thread_.joinable()) thread_.join();
  }

  int pending() const {
    absl::MutexLock lock(&mu_);
    return static_cast<int>(queue_.size()) + running_;
  }

  // Queues a write. `apply` runs on the writer thread and either fails
  // without having changed the index, or stages its changes (committed
  // with the batch).
  template <typename Request, typename Response>
  void Submit(const char* method, Request request, Done<Response> done,
              absl::StatusOr<Response> (Impl::*apply)(const Request&)) {
    Enqueue([this, method, request = std::move(request), done = std::move(done),
             apply]() mutable {
      RunWrite<Response>(
          method, request.request_id(), Fingerprint(request),
          [&] { return (this->*apply)(request); }, std::move(done));
    });
  }

  void SubmitImport(std::vector<v1::PaperInput> items, std::string request_id,
                    Done<v1::ImportPapersResponse> done) {
    Enqueue([this, items = std::move(items), request_id = std::move(request_id),
             done = std::move(done)]() mutable {
      std::string item_hashes;
      for (const v1::PaperInput& item : items) {
        absl::StrAppend(&item_hashes, Fnv1a64(item.SerializeAsString()), ",");
      }
      RunWrite<v1::ImportPapersResponse>(
          "ImportPapers", request_id,
          absl::StrCat(absl::Hex(Fnv1a64(item_hashes))),
          [&] { return ApplyImport(items); }, std::move(done));
    });
  }

  absl::StatusOr<v1::UpsertSessionResponse> ApplyUpsertSession(
      const v1::UpsertSessionRequest& request);
  absl::StatusOr<v1::DeleteResponse> ApplyDeleteSession(
      const v1::DeleteSessionRequest& request);
  absl::StatusOr<v1::UpsertPaperResponse> ApplyUpsertPaper(
      const v1::UpsertPaperRequest& request);
  absl::StatusOr<v1::DeleteResponse> ApplyDeletePaper(
      const v1::DeletePaperRequest& request);
  absl::StatusOr<v1::UpsertSummaryResponse> ApplyUpsertSummary(
      const v1::UpsertSummaryRequest& request);
  absl::StatusOr<v1::DeleteResponse> ApplyDeleteSummary(
      const v1::DeleteSummaryRequest& request);

 private:
  using Op = std::function<void()>;

  // The answer of one staged write, given once its batch commits or fails.
  struct Pending {
    std::function<void(uint64_t revision)> committed;
    std::function<void(const absl::Status&)> failed;
  };

  void Enqueue(Op op) {
    absl::MutexLock lock(&mu_);
    queue_.push_back(std::move(op));
  }

  void Run();
  void RunBatch(const std::deque<Op>& batch);
  // Commits what is staged and starts a new transaction; answers the
  // writes it held.
  void CommitStaged();
  void FailStaged(const absl::Status& status);

  template <typename Response>
  void RunWrite(const char* method, const std::string& request_id,
                const std::string& fingerprint,
                const std::function<absl::StatusOr<Response>()>& apply,
                Done<Response> done);

  // Stages `doc` under `id_term` unless it is stored exactly so.
  v1::WriteOutcome Put(const std::string& id_term, const Xapian::Document& doc,
                       bool validate_only);
  // Stages the deletion of the document with `id_term`.
  void Remove(const std::string& id_term);

  absl::StatusOr<std::vector<v1::Session>> AllSessions() const;
  void LinkToCatalog(v1::Session* session) const;
  // Rebuilds the summaries of `session`: they carry its presenters, venue
  // and year as filters.
  void RefreshSummariesOf(const v1::Session& session);
  // Parses one paper and merges it with the stored paper it matches.
  absl::StatusOr<v1::Paper> PreparePaper(const v1::PaperInput& input) const;
  absl::StatusOr<v1::ImportPapersResponse> ApplyImport(
      const std::vector<v1::PaperInput>& items);
  // Stages `paper`; keeps the paper keys in step.
  v1::WriteOutcome PutPaper(const v1::Paper& paper, bool validate_only);

  void LoadPaperKeys();
  void ForgetOldRequestIds();
  std::optional<StoredReply> FindReply(const std::string& request_id) const;

  Xapian::WritableDatabase db_;
  const LibrarianOptions options_;
  // Writer thread only.
  DocumentBuilder builder_;
  PaperKeys paper_keys_;
  std::vector<Pending> staged_;
  bool changed_ = false;
  // An error that spoiled the open transaction; the rest of the batch fails.
  absl::Status batch_error_;

  mutable absl::Mutex mu_;
  std::deque<Op> queue_ ABSL_GUARDED_BY(mu_);
  int running_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

void Librarian::Impl::Run() {
  while (true) {
    std::deque<Op> batch;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return !queue_.empty() || stopping_;
      };
      mu_.Await(absl::Condition(&ready));
      if (queue_.empty()) return;  // stopping, and nothing left
      // Writes arriving together share one commit.
      auto full = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return static_cast<int>(queue_.size()) >= options_.max_batch ||
               stopping_;
      };
      mu_.AwaitWithTimeout(absl::Condition(&full), options_.commit_delay);
      while (!queue_.empty() &&
             static_cast<int>(batch.size()) < options_.max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      running_ = static_cast<int>(batch.size());
    }
    RunBatch(batch);
    absl::MutexLock lock(&mu_);
    running_ = 0;
  }
}

void Librarian::Impl::RunBatch(const std::deque<Op>& batch) {
  batch_error_ = absl::OkStatus();
  try {
    db_.begin_transaction();
  } catch (const Xapian::Error& e) {
    batch_error_ = XapianErrorToStatus(e, "starting a write transaction");
  }
  for (const Op& op : batch) op();
  CommitStaged();
}

void Librarian::Impl::CommitStaged() {
  if (batch_error_.ok()) {
    try {
      if (changed_) {
        db_.set_metadata(std::string(schema::kMetaCommittedAt),
                         schema::CommitTimestamp(absl::Now()));
      }
      db_.commit_transaction();
    } catch (const Xapian::Error& e) {
      batch_error_ = XapianErrorToStatus(e, "committing writes");
    }
  }
  if (!batch_error_.ok()) {
    FailStaged(batch_error_);
    return;
  }
  const uint64_t revision = db_.get_revision();
  std::vector<Pending> staged;
  staged.swap(staged_);
  changed_ = false;
  for (Pending& pending : staged) pending.committed(revision);
}

void Librarian::Impl::FailStaged(const absl::Status& status) {
  try {
    db_.cancel_transaction();
  } catch (const Xapian::Error&) {
    // Not in a transaction: nothing was staged.
  }
  std::vector<Pending> staged;
  staged.swap(staged_);
  changed_ = false;
  const absl::Status failed = NotCommitted(status);
  for (Pending& pending : staged) pending.failed(failed);
  // The in-memory keys may hold staged papers that are gone.
  try {
    LoadPaperKeys();
  } catch (const Xapian::Error&) {
    paper_keys_.Clear();
  }
}

template <typename Response>
void Librarian::Impl::RunWrite(
    const char* method, const std::string& request_id,
    const std::string& fingerprint,
    const std::function<absl::StatusOr<Response>()>& apply,
    Done<Response> done) {
  if (!batch_error_.ok()) {
    done(NotCommitted(batch_error_));
    return;
  }
  try {
    if (!request_id.empty()) {
      if (std::optional<StoredReply> reply = FindReply(request_id)) {
        if (reply->method != method || reply->fingerprint != fingerprint) {
          done(absl::InvalidArgumentError(absl::StrCat(
              "request_id '", request_id, "' was already used for a ",
              reply->method == method ? "different " : "", reply->method,
              " request; use a new id for a new request")));
          return;
        }
        Response response;
        response.ParseFromString(reply->response);
        MarkReplayed(&response);
        // The first request may be in this very batch: answer after it.
        staged_.push_back(
            {[done, response](uint64_t) { done(response); },
             [done](const absl::Status& status) { done(status); }});
        return;
      }
    }
    absl::StatusOr<Response> response = apply();
    if (!response.ok()) {
      done(response.status());
      return;
    }
    if (!request_id.empty() && !IsValidationOnly(*response)) {
      // The revision this batch's commit will have.
      SetRevision(&*response, db_.get_revision() + 1);
      StoredReply reply{method, fingerprint, absl::ToUnixSeconds(absl::Now()),
                        response->SerializeAsString()};
      db_.set_metadata(RequestKey(request_id), EncodeReply(reply));
      changed_ = true;
    }
    staged_.push_back(
        {[done, response = *std::move(response)](uint64_t revision) mutable {
           SetRevision(&response, revision);
           done(std::move(response));
         },
         [done](const absl::Status& status) { done(status); }});
  } catch (const Xapian::Error& e) {
    batch_error_ = XapianErrorToStatus(e, "writing the index");
    done(NotCommitted(batch_error_));
  }
}

std::optional<StoredReply> Librarian::Impl::FindReply(
    const std::string& request_id) const {
  const std::string value = db_.get_metadata(RequestKey(request_id));
  if (value.empty()) return std::nullopt;
  return DecodeReply(value);
}

void Librarian::Impl::ForgetOldRequestIds() {
  const int64_t oldest =
      absl::ToUnixSeconds(absl::Now() - options_.request_id_lifetime);
  const std::string prefix(schema::kMetaRequestPrefix);
  std::vector<std::string> expired;
  for (auto key = db_.metadata_keys_begin(prefix);
       key != db_.metadata_keys_end(prefix); ++key) {
    std::optional<StoredReply> reply = DecodeReply(db_.get_metadata(*key));
    if (!reply || reply->written < oldest) expired.push_back(*key);
  }
  if (expired.empty()) return;
  for (const std::string& key : expired) db_.set_metadata(key, "");
  db_.commit();
}

void Librarian::Impl::LoadPaperKeys() {
  paper_keys_.Clear();
  const std::string type_term = schema::Term(schema::kType, schema::kTypePaper);
  for (auto posting = db_.postlist_begin(type_term);
       posting != db_.postlist_end(type_term); ++posting) {
    absl::StatusOr<v1::Paper> paper =
        DecodeRecord<v1::Paper>(db_.get_document(*posting));
    if (paper.ok()) paper_keys_.Add(*paper);
  }
}

v1::WriteOutcome Librarian::Impl::Put(const std::string& id_term,
                                      const Xapian::Document& doc,
                                      bool validate_only) {
  Xapian::PostingIterator existing = db_.postlist_begin(id_term);
  const bool exists = existing != db_.postlist_end(id_term);
  std::optional<Xapian::Document> old;
  if (exists) {
    old = db_.get_document(*existing);
    if (old->get_value(schema::kSlotFingerprint) ==
        doc.get_value(schema::kSlotFingerprint)) {
      return v1::WRITE_OUTCOME_UNCHANGED;
    }
  }
  if (validate_only) return v1::WRITE_OUTCOME_VALIDATED;
  // The spelling table counts each word once per document (index_writer).
  if (old) {
    for (const std::string& word : SpellingWords(*old))
      db_.remove_spelling(word);
  }
  for (const std::string& word : SpellingWords(doc)) db_.add_spelling(word);
  db_.replace_document(id_term, doc);
  changed_ = true;
  return exists ? v1::WRITE_OUTCOME_UPDATED : v1::WRITE_OUTCOME_CREATED;
}

void Librarian::Impl::Remove(const std::string& id_term) {
  Xapian::PostingIterator existing = db_.postlist_begin(id_term);
  if (existing == db_.postlist_end(id_term)) return;
  for (const std::string& word : SpellingWords(db_.get_document(*existing))) {
    db_.remove_spelling(word);
  }
  db_.delete_document(id_term);
  changed_ = true;
}

absl::StatusOr<std::vector<v1::Session>> Librarian::Impl::AllSessions() const {
  std::vector<v1::Session> sessions;
  const std::string type_term =
      schema::Term(schema::kType, schema::kTypeSession);
  for (auto posting = db_.postlist_begin(type_term);
       posting != db_.postlist_end(type_term); ++posting) {
    LECTERN_ASSIGN_OR_RETURN(
        v1::Session session,
        DecodeRecord<v1::Session>(db_.get_document(*posting)));
    sessions.push_back(std::move(session));
  }
  return sessions;
}

void Librarian::Impl::LinkToCatalog(v1::Session* session) const {
  const v1::PaperRef& ref = session->paper();
  // The papers PaperFinder could pick: the exact matches, and those whose
  // title key shares its first 16 characters (its fuzzy candidates).
  std::set<std::string> ids;
  v1::Paper probe;
  probe.set_doi(ref.doi());
  probe.set_url(ref.url());
  probe.set_title_key(ref.title_key());
  if (std::optional<std::string> id = paper_keys_.Find(probe)) ids.insert(*id);
  if (!ref.title_key().empty()) {
    const std::string prefix = schema::Term(
        schema::kTitleKey, absl::string_view(ref.title_key()).substr(0, 16));
    for (auto term = db_.allterms_begin(prefix);
         term != db_.allterms_end(prefix); ++term) {
      for (const Xapian::Document& doc :
           DocumentsWithTerm(db_, schema::kTypePaper, *term)) {
        ids.insert(doc.get_value(schema::kSlotId));
      }
    }
  }
  std::vector<v1::Paper> candidates;
  for (const std::string& id : ids) {
    if (auto doc = FindById(db_, schema::kTypePaper, id)) {
      if (auto paper = DecodeRecord<v1::Paper>(*doc); paper.ok()) {
        candidates.push_back(*std::move(paper));
      }
    }
  }
  const PaperFinder finder(candidates);
  if (const v1::Paper* paper = finder.Find(ref)) {
    session->mutable_paper()->set_paper_id(paper->id());
  }
}

void Librarian::Impl::RefreshSummariesOf(const v1::Session& session) {
  for (const Xapian::Document& doc :
       DocumentsWithTerm(db_, schema::kTypeSummary,
                         schema::Term(schema::kSessionLink, session.id()))) {
    absl::StatusOr<v1::Summary> summary = DecodeRecord<v1::Summary>(doc);
    if (!summary.ok()) continue;
    summary->set_paper_id(session.paper().paper_id());
    Put(schema::IdTerm(schema::kTypeSummary, summary->id()),
        builder_.Summary(*summary, &session), /*validate_only=*/false);
  }
}

absl::StatusOr<v1::UpsertSessionResponse> Librarian::Impl::ApplyUpsertSession(
    const v1::UpsertSessionRequest& request) {
  const v1::SessionInput& input = request.session();
  if (input.group().empty()) {
    return absl::InvalidArgumentError("session.group is required");
  }
  if (input.ordinal() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("session.ordinal must be 1 or more (0 means 1), got ",
                     input.ordinal()));
  }
  LECTERN_ASSIGN_OR_RETURN(v1::Group group, ReadGroup(db_, input.group()));
  ScheduleParseOptions options;
  options.group_id = group.id();
  options.file_label = kWriteLabel;
  ParsedSchedule parsed = ParseSessionInput(input, options);
  if (HasErrors(parsed.issues) || parsed.sessions.size() != 1) {
    return absl::InvalidArgumentError(
        parsed.issues.empty() ? "session: expected one session with a date"
                              : IssuesText(parsed.issues));
  }
  v1::Session session = std::move(parsed.sessions.front());
  const int ordinal = std::max(1, input.ordinal());
  session.set_ordinal(ordinal);
  session.set_id(schedule_text::SessionId(group.id(), session.date(), ordinal));

  // One display name per person and one title key per paper, as
  // lectern-index gives them across every group.
  LECTERN_ASSIGN_OR_RETURN(std::vector<v1::Session> sessions, AllSessions());
  sessions.erase(std::remove_if(sessions.begin(), sessions.end(),
                                [&](const v1::Session& other) {
                                  return other.id() == session.id();
                                }),
                 sessions.end());
  sessions.push_back(session);
  ResolvePresenters(&sessions);
  UnifyTitleKeys(&sessions);
  session = std::move(sessions.back());
  if (session.has_paper()) LinkToCatalog(&session);

  v1::UpsertSessionResponse response;
  const v1::WriteOutcome outcome =
      Put(schema::IdTerm(schema::kTypeSession, session.id()),
          builder_.Session(session), request.validate_only());
  if (outcome == v1::WRITE_OUTCOME_CREATED ||
      outcome == v1::WRITE_OUTCOME_UPDATED) {
    RefreshSummariesOf(session);
  }
  response.mutable_result()->set_outcome(outcome);
  *response.mutable_session() = std::move(session);
  return response;
}

absl::StatusOr<v1::DeleteResponse> Librarian::Impl::ApplyDeleteSession(
    const v1::DeleteSessionRequest& request) {
  if (!ParseIsoDate(request.date())) {
    return absl::InvalidArgumentError(
        absl::StrCat("date must be YYYY-MM-DD, got '", request.date(), "'"));
  }
  LECTERN_ASSIGN_OR_RETURN(v1::Group group, ReadGroup(db_, request.group()));
  const std::string id = schedule_text::SessionId(
      group.id(), request.date(), std::max(1, request.ordinal()));
  if (!FindDocid(db_, schema::kTypeSession, id)) {
    return absl::NotFoundError(absl::StrCat("no session ", id));
  }
  std::vector<std::string> summaries;
  for (const Xapian::Document& doc : DocumentsWithTerm(
           db_, schema::kTypeSummary, schema::Term(schema::kSessionLink, id))) {
    summaries.push_back(doc.get_value(schema::kSlotId));
  }
  if (!summaries.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("session ", id, " has summaries (",
                     absl::StrJoin(summaries, ", "), "); delete them first"));
  }
  Remove(schema::IdTerm(schema::kTypeSession, id));
  v1::DeleteResponse response;
  response.mutable_result()->set_outcome(v1::WRITE_OUTCOME_DELETED);
  return response;
}

absl::StatusOr<v1::Paper> Librarian::Impl::PreparePaper(
    const v1::PaperInput& input) const {
  const std::string source =
      input.source().empty() ? std::string(kWriteLabel) : input.source();
  std::string line = input.json();
  v1::PaperInput fields = input;
  fields.clear_json();
  fields.clear_source();
  if (!line.empty() && fields.ByteSizeLong() > 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        source, ": give the paper either as json or as fields, not both"));
  }
  if (line.empty()) {
    // The fields go through the JSON Lines reader, so both forms are read
    // and normalized alike.
    v1::CatalogJsonRecord record;
    record.set_title(fields.title());
    *record.mutable_authors() = fields.authors();
    record.set_venue(fields.venue());
    record.set_year(fields.year());
    record.set_abstract(fields.abstract());
    record.set_url(fields.url());
    record.set_doi(fields.doi());
    google::protobuf::util::JsonPrintOptions options;
    options.preserve_proto_field_names = true;
    if (!google::protobuf::util::MessageToJsonString(record, &line, options)
             .ok()) {
      return absl::InternalError("cannot encode the paper as JSON");
    }
  }
  if (absl::StrContains(line, '\n')) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": json must be one line (one paper)"));
  }
  ParsedCatalog parsed = ParseJsonLinesCatalog(line, source);
  if (HasErrors(parsed.issues)) {
    // The reader cites "<source>:1"; the caller's source already says where.
    std::vector<std::string> messages;
    for (const ParseIssue& issue : parsed.issues) {
      if (!issue.note) messages.push_back(issue.message);
    }
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": ", absl::StrJoin(messages, "; ")));
  }
  if (parsed.records.size() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": expected one JSON object"));
  }
  CatalogRecord record = std::move(parsed.records.front());
  record.source = source;
  v1::Paper paper = std::move(MergeCatalog({record}).front());

  if (std::optional<std::string> id = paper_keys_.Find(paper)) {
    if (auto doc = FindById(db_, schema::kTypePaper, *id)) {
      LECTERN_ASSIGN_OR_RETURN(v1::Paper stored, DecodeRecord<v1::Paper>(*doc));
      Overlay(paper, &stored);
      return stored;
    }
  }
  std::vector<std::string> choices = PaperIdChoices(paper);
  for (int n = 2; n < 100; ++n) {
    choices.push_back(absl::StrCat(choices[1], "-", n));
  }
  for (const std::string& id : choices) {
    if (!FindDocid(db_, schema::kTypePaper, id)) {
      paper.set_id(id);
      return paper;
    }
  }
  return absl::AlreadyExistsError(
      absl::StrCat(source, ": no free id for '", paper.title(), "'"));
}

v1::WriteOutcome Librarian::Impl::PutPaper(const v1::Paper& paper,
                                           bool validate_only) {
  std::optional<v1::Paper> old;
  if (auto doc = FindById(db_, schema::kTypePaper, paper.id())) {
    if (auto decoded = DecodeRecord<v1::Paper>(*doc); decoded.ok()) {
      old = *std::move(decoded);
    }
  }
  const v1::WriteOutcome outcome =
      Put(schema::IdTerm(schema::kTypePaper, paper.id()), builder_.Paper(paper),
          validate_only);
  if (outcome == v1::WRITE_OUTCOME_CREATED ||
      outcome == v1::WRITE_OUTCOME_UPDATED) {
    if (old) paper_keys_.Remove(*old);
    paper_keys_.Add(paper);
  }
  return outcome;
}

absl::StatusOr<v1::UpsertPaperResponse> Librarian::Impl::ApplyUpsertPaper(
    const v1::UpsertPaperRequest& request) {
  LECTERN_ASSIGN_OR_RETURN(v1::Paper paper, PreparePaper(request.paper()));
  v1::UpsertPaperResponse response;
  response.mutable_result()->set_outcome(
      PutPaper(paper, request.validate_only()));
  *response.mutable_paper() = std::move(paper);
  return response;
}

absl::StatusOr<v1::DeleteResponse> Librarian::Impl::ApplyDeletePaper(
    const v1::DeletePaperRequest& request) {
  auto doc = FindById(db_, schema::kTypePaper, request.id());
  if (!doc) return absl::NotFoundError(absl::StrCat("no paper ", request.id()));
  const std::string link = schema::Term(schema::kPaperLink, request.id());
  std::vector<std::string> linked;
  for (absl::string_view type : {schema::kTypeSession, schema::kTypeSummary}) {
    for (const Xapian::Document& other : DocumentsWithTerm(db_, type, link)) {
      linked.push_back(
          absl::StrCat(type, " ", other.get_value(schema::kSlotId)));
    }
  }
  if (!linked.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("paper ", request.id(), " is linked from ",
                     absl::StrJoin(linked, ", "), "; delete those first"));
  }
  LECTERN_ASSIGN_OR_RETURN(v1::Paper paper, DecodeRecord<v1::Paper>(*doc));
  Remove(schema::IdTerm(schema::kTypePaper, request.id()));
  paper_keys_.Remove(paper);
  v1::DeleteResponse response;
  response.mutable_result()->set_outcome(v1::WRITE_OUTCOME_DELETED);
  return response;
}

absl::StatusOr<v1::UpsertSummaryResponse> Librarian::Impl::ApplyUpsertSummary(
    const v1::UpsertSummaryRequest& request) {
  const v1::SummaryInput& input = request.summary();
  if (absl::StartsWith(input.id(), "/") ||
      absl::StrContains(input.id(), "..")) {
    return absl::InvalidArgumentError(
        absl::StrCat("summary.id must be a relative path without '..', got '",
                     input.id(), "'"));
  }
  if (!input.date().empty() && !ParseIsoDate(input.date())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "summary.date must be YYYY-MM-DD, got '", input.date(), "'"));
  }
  if (!input.language().empty() && input.language() != "zh" &&
      input.language() != "en") {
    return absl::InvalidArgumentError(
        absl::StrCat("summary.language must be \"zh\" or \"en\", got '",
                     input.language(), "'"));
  }
  SummaryFile file = ParseSummaryFile(
      input.text(), input.id().empty() ? kWriteLabel : input.id(),
      input.group());
  v1::Summary& summary = file.summary;
  if (!input.group().empty()) summary.set_group(input.group());
  if (!input.date().empty()) summary.set_date(input.date());
  if (!input.paper().empty()) file.paper_hint = input.paper();
  if (!input.language().empty()) summary.set_language(input.language());
  if (!input.url().empty()) summary.set_url(input.url());
  if (HasErrors(file.issues)) {
    return absl::InvalidArgumentError(IssuesText(file.issues));
  }
  if (summary.group().empty() || summary.date().empty()) {
    return absl::InvalidArgumentError(
        "summary: give group and date (fields or front matter)");
  }
  LECTERN_ASSIGN_OR_RETURN(v1::Group group, ReadGroup(db_, summary.group()));
  LECTERN_ASSIGN_OR_RETURN(std::vector<v1::Session> sessions,
                           SessionsOfGroup(db_, group.id()));
  const std::string date = summary.date();
  if (std::none_of(sessions.begin(), sessions.end(),
                   [&](const v1::Session& s) { return s.date() == date; })) {
    return absl::NotFoundError(
        absl::StrCat(group.id(), " has no session on ", date));
  }
  std::vector<ParseIssue> issues;
  std::vector<SummaryFile> files;
  files.push_back(std::move(file));
  std::vector<v1::Summary> resolved =
      ResolveSummaries(std::move(files), sessions, &issues);
  if (resolved.size() != 1) {
    return absl::InvalidArgumentError(
        issues.empty() ? "summary: names no session" : IssuesText(issues));
  }
  v1::Summary stored = std::move(resolved.front());
  const auto session = std::find_if(
      sessions.begin(), sessions.end(),
      [&](const v1::Session& s) { return s.id() == stored.session_id(); });
  if (input.id().empty()) {
    stored.set_id(absl::StrCat(kWriteLabel, "/", group.id(), "/",
                               session->date(), "-", session->ordinal()));
    stored.mutable_source()->set_file(stored.id());
  }
  v1::UpsertSummaryResponse response;
  response.mutable_result()->set_outcome(
      Put(schema::IdTerm(schema::kTypeSummary, stored.id()),
          builder_.Summary(stored, &*session), request.validate_only()));
  *response.mutable_summary() = std::move(stored);
  return response;
}

absl::StatusOr<v1::DeleteResponse> Librarian::Impl::ApplyDeleteSummary(
    const v1::DeleteSummaryRequest& request) {
  if (!FindDocid(db_, schema::kTypeSummary, request.id())) {
    return absl::NotFoundError(absl::StrCat("no summary ", request.id()));
  }
  Remove(schema::IdTerm(schema::kTypeSummary, request.id()));
  v1::DeleteResponse response;
  response.mutable_result()->set_outcome(v1::WRITE_OUTCOME_DELETED);
  return response;
}

absl::StatusOr<v1::ImportPapersResponse> Librarian::Impl::ApplyImport(
    const std::vector<v1::PaperInput>& items) {
  v1::ImportPapersResponse response;
  int since_commit = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    v1::ImportItemResult* item = response.add_items();
    item->set_index(static_cast<int>(i));
    item->set_source(items[i].source().empty() ? absl::StrCat("item ", i)
                                               : items[i].source());
    absl::StatusOr<v1::Paper> paper = PreparePaper(items[i]);
    if (!paper.ok()) {
      // The item's source is beside the reason already.
      absl::string_view reason = paper.status().message();
      absl::ConsumePrefix(&reason, absl::StrCat(item->source(), ": "));
      item->set_reason(std::string(reason));
      response.set_rejected(response.rejected() + 1);
      continue;
    }
    const v1::WriteOutcome outcome = PutPaper(*paper, false);
    item->set_accepted(true);
    item->set_paper_id(paper->id());
    item->set_outcome(outcome);
    response.set_accepted(response.accepted() + 1);
    if (outcome == v1::WRITE_OUTCOME_CREATED) {
      response.set_created(response.created() + 1);
    } else if (outcome == v1::WRITE_OUTCOME_UPDATED) {
      response.set_updated(response.updated() + 1);
    } else {
      response.set_unchanged(response.unchanged() + 1);
    }
    // A long import commits as it goes, so other writes are not held up
    // behind one huge transaction and memory stays bounded.
    if (++since_commit >= options_.max_batch) {
      since_commit = 0;
      CommitStaged();
      if (!batch_error_.ok()) return batch_error_;
      db_.begin_transaction();
    }
  }
  return response;
}

Librarian::Librarian(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Librarian::~Librarian() = default;

absl::StatusOr<std::unique_ptr<Librarian>> Librarian::Open(
    const std::string& path, const LibrarianOptions& options) {
  // IndexWriter::Open creates the folder and names the lock holder.
  LECTERN_ASSIGN_OR_RETURN(std::unique_ptr<IndexWriter> probe,
                           IndexWriter::Open(path));
  probe.reset();
  try {
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OPEN);
    auto impl = std::make_unique<Impl>(std::move(db), options);
    LECTERN_RETURN_IF_ERROR(impl->Start());
    return std::unique_ptr<Librarian>(new Librarian(std::move(impl)));
  } catch (const Xapian::DatabaseLockError& e) {
    return absl::FailedPreconditionError(absl::StrCat(
        "index ", path, " is locked by another writer: ", e.get_msg()));
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, absl::StrCat("opening index ", path));
  }
}

void Librarian::UpsertSession(v1::UpsertSessionRequest request,
                              Done<v1::UpsertSessionResponse> done) {
  impl_->Submit("UpsertSession", std::move(request), std::move(done),
                &Impl::ApplyUpsertSession);
}

void Librarian::DeleteSession(v1::DeleteSessionRequest request,
                              Done<v1::DeleteResponse> done) {
  impl_->Submit("DeleteSession", std::move(request), std::move(done),
                &Impl::ApplyDeleteSession);
}

void Librarian::UpsertPaper(v1::UpsertPaperRequest request,
                            Done<v1::UpsertPaperResponse> done) {
  impl_->Submit("UpsertPaper", std::move(request), std::move(done),
                &Impl::ApplyUpsertPaper);
}

void Librarian::DeletePaper(v1::DeletePaperRequest request,
                            Done<v1::DeleteResponse> done) {
  impl_->Submit("DeletePaper", std::move(request), std::move(done),
                &Impl::ApplyDeletePaper);
}

void Librarian::UpsertSummary(v1::UpsertSummaryRequest request,
                              Done<v1::UpsertSummaryResponse> done) {
  impl_->Submit("UpsertSummary", std::move(request), std::move(done),
                &Impl::ApplyUpsertSummary);
}

void Librarian::DeleteSummary(v1::DeleteSummaryRequest request,
                              Done<v1::DeleteResponse> done) {
  impl_->Submit("DeleteSummary", std::move(request), std::move(done),
                &Impl::ApplyDeleteSummary);
}

void Librarian::ImportPapers(std::vector<v1::PaperInput> items,
                             std::string request_id,
                             Done<v1::ImportPapersResponse> done) {
  impl_->SubmitImport(std::move(items), std::move(request_id), std::move(done));
}

int Librarian::pending() const { return impl_->pending(); }

}  // namespace lectern
