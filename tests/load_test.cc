// Reads under load while the index changes: many clients, each on its own
// connection, mix Search, Suggest, GetPaper and ListOpenDates against a
// real lecternd serving the write API, while a writer thread commits a
// change every few hundred milliseconds. Every answer must be OK and must
// show one committed state of the index: never a write the writer had not
// started when the answer arrived, never one older than what had been
// acknowledged when the request was sent, never half of one.
//
// The writer keeps a model of what it wrote:
//   - paper write t upserts marker paper t % kMarkerPapers with generation
//     t / kMarkerPapers + 1 (the generation is in the abstract twice);
//   - session write t fills open slot t % S of fall-2024 with paper P_j (a
//     paper Suggest proposed before the load) on even rounds, and empties
//     it again on odd rounds.
// A reader that sent its request after `acked` writes and got the answer
// before `started` writes checks that the answer equals the model's state
// after w writes for some w in [acked, started].
//
// A read answered UNAVAILABLE (commits kept overtaking it) is retried, as
// gRPC clients retry that code, and counted; any other error, or an
// UNAVAILABLE that outlasts the retries, fails the test. Latency
// percentiles per RPC (retries included) are printed and recorded as test
// properties; nothing is asserted about time.
//
// Knobs (environment):
//   LECTERN_LOAD_REQUESTS_PER_CLIENT  requests per client (default 40; 8
//                                     under ThreadSanitizer)
//   LECTERN_LOAD_CLIENTS              concurrent clients (default 64)
//   LECTERN_LOAD_SECONDS              run for this long instead of a count
//   LECTERN_LOAD_WRITE_INTERVAL_MS    pause between writer rounds (200)
//   LECTERN_LOAD_SERVER, LECTERN_LOAD_TOKEN
//       drive a lecternd already serving a fresh bundled index with --write
//       (scripts/soak.sh) instead of starting one; the token needs the
//       write scope.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/barrier.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "lectern/v1/lectern.grpc.pb.h"
#include "lectern/v1/writer.grpc.pb.h"
#include "tests/testing/lecternd_process.h"
#include "tests/testing/temp_dir.h"

namespace lectern {
namespace {

using Clock = std::chrono::steady_clock;
using ::lectern::testing::LecterndProcess;
using ::lectern::testing::TempDir;

constexpr char kToken[] = "load-writer-0123456789abcdef";
constexpr char kGroup[] = "fall-2024";
// A word no bundled record contains; every marker paper has it.
constexpr char kMarker[] = "zyxloadmark";
constexpr int kMarkerPapers = 8;
constexpr int kMaxSlots = 4;
// Tries of a read that the server answers UNAVAILABLE (see LoadRun::Retrying).
constexpr int kReadAttempts = 5;
// Long enough for a slow (sanitized) build: a request that waits behind
// 63 others on two workers must not run out of time.
constexpr int kDeadlineSeconds = 60;

// ThreadSanitizer slows the server and the clients five to ten times: its
// build sends fewer requests unless told otherwise.
#if defined(__SANITIZE_THREAD__)
constexpr int kDefaultRequestsPerClient = 8;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
constexpr int kDefaultRequestsPerClient = 8;
#else
constexpr int kDefaultRequestsPerClient = 40;
#endif
#else
constexpr int kDefaultRequestsPerClient = 40;
#endif

int EnvInt(const char* name, int fallback) {
  const char* value = std::getenv(name);
  int parsed = 0;
  if (value == nullptr || !absl::SimpleAtoi(value, &parsed) || parsed <= 0) {
    return fallback;
  }
  return parsed;
}

std::string EnvString(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

std::unique_ptr<grpc::ClientContext> Context(const std::string& token = "") {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(kDeadlineSeconds));
  if (!token.empty()) {
    context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
  }
  return context;
}

// A channel of its own (not shared through gRPC's global subchannel pool),
// so every client is one more connection to the server.
std::shared_ptr<grpc::Channel> OwnChannel(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(),
                                   args);
}

std::string MarkerTitle(int paper) {
  return absl::StrCat("Zyxloadmark probe ", paper);
}

std::string MarkerAbstract(int paper, int64_t generation) {
  return absl::StrCat("Zyxloadmark probe ", paper, " generation ", generation,
                      " of the load test; generation ", generation,
                      " ends here.");
}

// The paper number and generation of a marker paper's record; nullopt when
// the record is not one the writer could have written whole.
std::optional<std::pair<int, int64_t>> ParseMarker(const v1::Paper& paper) {
  const std::vector<std::string> words = absl::StrSplit(paper.abstract(), ' ');
  int number = 0;
  int64_t first = 0, second = 0;
  if (words.size() != 13 || !absl::SimpleAtoi(words[2], &number) ||
      !absl::SimpleAtoi(words[4], &first) ||
      !absl::SimpleAtoi(words[10], &second) || first != second || number < 0 ||
      number >= kMarkerPapers || paper.title() != MarkerTitle(number) ||
      paper.venue() != "HotOS" || paper.year() != 2024 ||
      paper.abstract() != MarkerAbstract(number, first)) {
    return std::nullopt;
  }
  return std::make_pair(number, first);
}

// Writes the writer has sent (`started`) and had acknowledged (`acked`);
// the writer is the only one that moves them, one write at a time.
struct WriteCount {
  std::atomic<int64_t> started{0};
  std::atomic<int64_t> acked{0};
};

// What the index holds after the first w writes of each kind.
struct Model {
  // Generation of marker paper `paper` after `writes` paper writes; 0 when
  // it does not exist yet.
  static int64_t Generation(int paper, int64_t writes) {
    return writes > paper ? (writes - 1 - paper) / kMarkerPapers + 1 : 0;
  }
  int slots() const { return static_cast<int>(slot_dates.size()); }
  // Whether slot `slot` holds its paper after `writes` session writes.
  bool Filled(int slot, int64_t writes) const {
    const int64_t count = writes > slot ? (writes - 1 - slot) / slots() + 1 : 0;
    return count % 2 == 1;
  }
  std::vector<std::string> OpenDates(int64_t writes) const {
    std::vector<std::string> dates;
    for (const std::string& date : initial_open_dates) {
      const auto slot = std::find(slot_dates.begin(), slot_dates.end(), date) -
                        slot_dates.begin();
      if (slot < slots() && Filled(static_cast<int>(slot), writes)) continue;
      dates.push_back(date);
    }
    return dates;
  }

  std::vector<std::string> initial_open_dates;
  std::vector<std::string> slot_dates;  // the first S open dates
  std::vector<v1::Paper> slot_papers;   // P_j for slot j
};

// The first w in [lo, hi] for which `matches(w)` holds.
template <typename Matches>
std::optional<int64_t> FirstState(int64_t lo, int64_t hi, Matches matches) {
  for (int64_t w = lo; w <= hi; ++w) {
    if (matches(w)) return w;
  }
  return std::nullopt;
}

enum Rpc {
  kSearch,
  kSuggest,
  kGetPaper,
  kListOpenDates,
  kUpsertPaper,
  kUpsertSession,
  kRpcCount
};
constexpr const char* kRpcNames[kRpcCount] = {"Search",      "Suggest",
                                              "GetPaper",    "ListOpenDates",
                                              "UpsertPaper", "UpsertSession"};

// Latencies, errors and consistency findings of every thread.
class Tally {
 public:
  void Record(Rpc rpc, double milliseconds, const grpc::Status& status) {
    absl::MutexLock lock(&mu_);
    latencies_[rpc].push_back(milliseconds);
    if (!status.ok()) {
      ++errors_[rpc];
      if (problems_.size() < kMaxKept) {
        problems_.push_back(absl::StrCat(kRpcNames[rpc], " failed: code ",
                                         status.error_code(), " ",
                                         status.error_message()));
      }
    }
  }
  void Retried(Rpc rpc) {
    absl::MutexLock lock(&mu_);
    ++retried_[rpc];
  }
  // A consistency check that was made; `problem` empty when it passed.
  // `state`: the number of writes whose state the answer showed.
  void Check(const std::string& kind, const std::string& problem,
             std::optional<int64_t> state = std::nullopt) {
    absl::MutexLock lock(&mu_);
    ++checks_[kind];
    if (state) states_[kind].insert(*state);
    if (!problem.empty()) {
      ++inconsistent_;
      if (problems_.size() < kMaxKept) problems_.push_back(problem);
    }
  }

  int64_t errors() const {
    absl::MutexLock lock(&mu_);
    int64_t total = 0;
    for (int64_t count : errors_) total += count;
    return total;
  }
  int64_t inconsistent() const {
    absl::MutexLock lock(&mu_);
    return inconsistent_;
  }
  int64_t count(Rpc rpc) const {
    absl::MutexLock lock(&mu_);
    return latencies_[rpc].size();
  }
  std::string Problems() const {
    absl::MutexLock lock(&mu_);
    return absl::StrJoin(problems_, "\n");
  }

  // Prints the table and records each figure as a test property.
  void Report(double seconds) {
    absl::MutexLock lock(&mu_);
    std::string table = absl::StrFormat("%-14s %8s %7s %7s %9s %9s %9s %9s\n",
                                        "rpc", "requests", "errors", "retried",
                                        "p50_ms", "p90_ms", "p99_ms", "max_ms");
    int64_t reads = 0;
    for (int rpc = 0; rpc < kRpcCount; ++rpc) {
      std::vector<double>& values = latencies_[rpc];
      std::sort(values.begin(), values.end());
      const double p50 = Percentile(values, 50), p90 = Percentile(values, 90),
                   p99 = Percentile(values, 99),
                   max = values.empty() ? 0 : values.back();
      absl::StrAppendFormat(
          &table, "%-14s %8d %7d %7d %9.2f %9.2f %9.2f %9.2f\n", kRpcNames[rpc],
          values.size(), errors_[rpc], retried_[rpc], p50, p90, p99, max);
      if (rpc < kUpsertPaper) reads += values.size();
      const std::string name = kRpcNames[rpc];
      ::testing::Test::RecordProperty(name + "_requests",
                                      static_cast<int>(values.size()));
      ::testing::Test::RecordProperty(name + "_errors",
                                      static_cast<int>(errors_[rpc]));
      ::testing::Test::RecordProperty(name + "_retried",
                                      static_cast<int>(retried_[rpc]));
      ::testing::Test::RecordProperty(name + "_p50_ms", Fixed(p50));
      ::testing::Test::RecordProperty(name + "_p90_ms", Fixed(p90));
      ::testing::Test::RecordProperty(name + "_p99_ms", Fixed(p99));
      ::testing::Test::RecordProperty(name + "_max_ms", Fixed(max));
    }
    absl::StrAppendFormat(
        &table, "reads: %d in %.1f s (%.0f/s); consistency checks:", reads,
        seconds, reads / std::max(seconds, 1e-9));
    for (const auto& [kind, count] : checks_) {
      absl::StrAppend(&table, " ", kind, "=", count);
      ::testing::Test::RecordProperty("checks_" + kind,
                                      static_cast<int>(count));
    }
    absl::StrAppend(&table, "; inconsistent: ", inconsistent_,
                    "\ndistinct index states the answers showed:");
    for (const auto& [kind, states] : states_) {
      absl::StrAppend(&table, " ", kind, "=", states.size());
      ::testing::Test::RecordProperty("states_" + kind,
                                      static_cast<int>(states.size()));
    }
    absl::StrAppend(&table, "\n");
    ::testing::Test::RecordProperty("read_seconds", Fixed(seconds));
    std::fputs(table.c_str(), stdout);
    std::fflush(stdout);
  }

 private:
  static constexpr size_t kMaxKept = 20;
  // Nearest rank.
  static double Percentile(const std::vector<double>& sorted, int percent) {
    if (sorted.empty()) return 0;
    const size_t rank = static_cast<size_t>(
        std::ceil(percent / 100.0 * static_cast<double>(sorted.size())));
    return sorted[std::max<size_t>(rank, 1) - 1];
  }
  static std::string Fixed(double value) {
    return absl::StrFormat("%.2f", value);
  }

  mutable absl::Mutex mu_;
  std::vector<double> latencies_[kRpcCount] ABSL_GUARDED_BY(mu_);
  int64_t errors_[kRpcCount] ABSL_GUARDED_BY(mu_) = {};
  int64_t retried_[kRpcCount] ABSL_GUARDED_BY(mu_) = {};
  std::map<std::string, int64_t> checks_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::set<int64_t>> states_ ABSL_GUARDED_BY(mu_);
  int64_t inconsistent_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<std::string> problems_ ABSL_GUARDED_BY(mu_);
};

double MillisecondsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start)
      .count();
}

std::string Dates(const std::vector<std::string>& dates) {
  return absl::StrCat("[", absl::StrJoin(dates, ","), "]");
}

class LoadRun {
 public:
  LoadRun(std::string address, Model model)
      : address_(std::move(address)), model_(std::move(model)) {}

  Tally& tally() { return tally_; }
  const WriteCount& papers() const { return papers_; }
  const WriteCount& sessions() const { return sessions_; }

  // Commits one paper and one session write per round until `stop`.
  void Writer(const absl::Notification& stop, absl::Duration interval,
              Clock::time_point give_up) {
    auto writer = v1::LecternWriter::NewStub(OwnChannel(address_));
    uint64_t last_revision = 0;
    auto revision_grows = [&](const v1::WriteResult& result,
                              const std::string& what) {
      if (result.revision() <= last_revision ||
          result.outcome() == v1::WRITE_OUTCOME_UNCHANGED) {
        tally_.Check(
            "writer",
            absl::StrCat(what, ": expected a new revision after ",
                         last_revision, ", got ", result.revision(),
                         " outcome ", v1::WriteOutcome_Name(result.outcome())));
      } else {
        tally_.Check("writer", "");
      }
      last_revision = std::max(last_revision, result.revision());
    };
    for (int64_t t = 0; !stop.HasBeenNotified() && Clock::now() < give_up;
         ++t) {
      // A marker paper.
      const int number = static_cast<int>(t % kMarkerPapers);
      const int64_t generation = t / kMarkerPapers + 1;
      v1::UpsertPaperRequest paper;
      paper.mutable_paper()->set_title(MarkerTitle(number));
      paper.mutable_paper()->add_authors("Load Writer");
      paper.mutable_paper()->set_venue("HotOS");
      paper.mutable_paper()->set_year(2024);
      paper.mutable_paper()->set_abstract(MarkerAbstract(number, generation));
      paper.mutable_paper()->set_source(absl::StrCat("load:", t));
      paper.set_request_id(absl::StrCat("load-paper-", t));
      v1::UpsertPaperResponse paper_reply;
      papers_.started.store(t + 1);
      Clock::time_point start = Clock::now();
      grpc::Status status =
          writer->UpsertPaper(Context(kToken).get(), paper, &paper_reply);
      tally_.Record(kUpsertPaper, MillisecondsSince(start), status);
      // The write may or may not be in: stop writing so that the model's
      // range [acked, started] still holds every possible state.
      if (!status.ok()) return;
      revision_grows(paper_reply.result(), absl::StrCat("paper write ", t));
      {
        absl::MutexLock lock(&mu_);
        std::string& id = marker_ids_[number];
        if (id.empty()) id = paper_reply.paper().id();
        if (id.empty() || id != paper_reply.paper().id()) {
          tally_.Check("writer", absl::StrCat("paper write ", t, ": id '",
                                              paper_reply.paper().id(),
                                              "', expected '", id, "'"));
        }
      }
      papers_.acked.store(t + 1);

      // A slot of fall-2024 filled or emptied.
      const int slot = static_cast<int>(t % model_.slots());
      const bool fill = (t / model_.slots()) % 2 == 0;
      const v1::Paper& presented = model_.slot_papers[slot];
      v1::UpsertSessionRequest session;
      session.mutable_session()->set_group(kGroup);
      session.mutable_session()->set_date(model_.slot_dates[slot]);
      if (fill) {
        session.mutable_session()->set_title(presented.title());
        session.mutable_session()->set_venue(presented.venue());
        session.mutable_session()->set_year(presented.year());
        session.mutable_session()->set_url(presented.url());
        session.mutable_session()->add_presenters("Load Presenter");
      }
      session.set_request_id(absl::StrCat("load-session-", t));
      v1::UpsertSessionResponse session_reply;
      sessions_.started.store(t + 1);
      start = Clock::now();
      status =
          writer->UpsertSession(Context(kToken).get(), session, &session_reply);
      tally_.Record(kUpsertSession, MillisecondsSince(start), status);
      if (!status.ok()) return;
      revision_grows(session_reply.result(), absl::StrCat("session write ", t));
      const v1::Session& stored = session_reply.session();
      const bool linked = stored.paper().paper_id() == presented.id();
      const bool open = stored.kind() == v1::SESSION_KIND_OPEN;
      tally_.Check(
          "writer",
          (fill ? linked : open)
              ? ""
              : absl::StrCat("session write ", t, " on ",
                             model_.slot_dates[slot], ": stored ",
                             stored.ShortDebugString(), ", expected ",
                             fill ? absl::StrCat("a link to ", presented.id())
                                  : "an open slot"));
      sessions_.acked.store(t + 1);
      stop.WaitForNotificationWithTimeout(interval);
    }
  }

  // One client: its own connection, `requests` calls (or until `until`).
  void Client(int client, int requests, Clock::time_point until,
              absl::Barrier* ready) {
    // Connected before the load starts: 64 connections opening at once are
    // not what this test measures, and gRPC fails calls fast (UNAVAILABLE,
    // then a second of reconnect backoff) on a connection that failed.
    const std::shared_ptr<grpc::Channel> channel = OwnChannel(address_);
    const bool connected =
        channel->WaitForConnected(std::chrono::system_clock::now() +
                                  std::chrono::seconds(kDeadlineSeconds));
    tally_.Check("connect",
                 connected ? ""
                           : absl::StrCat("client ", client,
                                          " could not connect to ", address_));
    auto reader = v1::Lectern::NewStub(channel);
    if (ready->Block()) delete ready;
    for (int r = 0; r < requests && Clock::now() < until; ++r) {
      // Of every eight calls: three searches (the marker and the bundled
      // data in turn), one Suggest (the costliest), two GetPaper, two
      // ListOpenDates.
      const int step = client + r;
      switch (step % 8) {
        case 0:
        case 3:
        case 6:
          if ((step / 8 + step % 8) % 2 == 0) {
            MarkerSearch(*reader);
          } else {
            BundledSearch(*reader, step / 8);
          }
          break;
        case 1:
          Suggest(*reader);
          break;
        case 2:
        case 5:
          GetPaper(*reader, step / 4);
          break;
        default:
          ListOpenDates(*reader);
          break;
      }
    }
  }

 private:
  // Runs `call` (which makes a fresh context each time) again after an
  // UNAVAILABLE, at most kReadAttempts times in all, with a growing pause.
  // lecternd answers UNAVAILABLE when commits keep overtaking a read
  // (Xapian's DatabaseModifiedError, after its own retries: docs/DESIGN.md)
  // and gRPC clients retry UNAVAILABLE; the table counts the retries, and
  // an UNAVAILABLE that outlasts them is an error.
  template <typename Call>
  grpc::Status Retrying(Rpc rpc, Call call) {
    grpc::Status status;
    for (int attempt = 0; attempt < kReadAttempts; ++attempt) {
      if (attempt > 0) {
        tally_.Retried(rpc);
        std::this_thread::sleep_for(std::chrono::milliseconds(25 << attempt));
      }
      status = call();
      if (status.error_code() != grpc::StatusCode::UNAVAILABLE) break;
    }
    return status;
  }

  // Search for the marker: exactly the marker papers of one state.
  void MarkerSearch(v1::Lectern::Stub& reader) {
    v1::SearchRequest request;
    request.set_query(kMarker);
    request.set_page_size(100);
    request.mutable_filters()->add_types(v1::DOCUMENT_TYPE_PAPER);
    v1::SearchResponse response;
    const int64_t lo = papers_.acked.load();
    const Clock::time_point start = Clock::now();
    const grpc::Status status = Retrying(kSearch, [&] {
      response.Clear();
      return reader.Search(Context().get(), request, &response);
    });
    tally_.Record(kSearch, MillisecondsSince(start), status);
    const int64_t hi = papers_.started.load();
    if (!status.ok()) return;
    std::map<int, int64_t> seen;
    std::string malformed;
    for (const v1::SearchHit& hit : response.hits()) {
      const auto marker = ParseMarker(hit.paper());
      if (hit.type() != v1::DOCUMENT_TYPE_PAPER || !marker ||
          !seen.emplace(marker->first, marker->second).second) {
        malformed = hit.ShortDebugString();
        break;
      }
    }
    const auto state = FirstState(lo, hi, [&](int64_t w) {
      for (int paper = 0; paper < kMarkerPapers; ++paper) {
        const int64_t generation = Model::Generation(paper, w);
        const auto it = seen.find(paper);
        if (it == seen.end() ? generation != 0 : it->second != generation) {
          return false;
        }
      }
      return true;
    });
    std::string found;
    for (const auto& [paper, generation] : seen) {
      absl::StrAppend(&found, " ", paper, "@", generation);
    }
    tally_.Check(
        "marker_search",
        malformed.empty() && state
            ? ""
            : absl::StrCat("Search '", kMarker,
                           "' between paper "
                           "writes ",
                           lo, " and ", hi, " found", found,
                           malformed.empty() ? "" : "; bad hit ", malformed),
        state);
  }

  // Search over the bundled records, which the writes leave in place.
  void BundledSearch(v1::Lectern::Stub& reader, int which) {
    static const char* const kQueries[] = {"kv cache",
                                           "serverless",
                                           "llm serving",
                                           "\"large language model\"",
                                           "disaggregated memory",
                                           "venue:osdi year:2024",
                                           "transactions",
                                           "scheduling"};
    constexpr int kQueryCount = sizeof(kQueries) / sizeof(kQueries[0]);
    v1::SearchRequest request;
    request.set_query(kQueries[which % kQueryCount]);
    if (which % 3 == 0) {
      request.add_facets(v1::FACET_VENUE);
      request.add_facets(v1::FACET_TYPE);
    }
    if (which % 5 == 0) request.set_collapse_papers(true);
    v1::SearchResponse response;
    const Clock::time_point start = Clock::now();
    const grpc::Status status = Retrying(kSearch, [&] {
      response.Clear();
      return reader.Search(Context().get(), request, &response);
    });
    tally_.Record(kSearch, MillisecondsSince(start), status);
    if (!status.ok()) return;
    tally_.Check("bundled_search",
                 response.hits_size() > 0
                     ? ""
                     : absl::StrCat("Search '", request.query(),
                                    "' found nothing in the bundled data"));
  }

  // Suggest for every open date: the dates of one state, and none of the
  // papers that state's sessions present.
  void Suggest(v1::Lectern::Stub& reader) {
    v1::SuggestRequest request;
    request.set_group(kGroup);
    request.set_count(5);
    v1::SuggestResponse response;
    const int64_t lo = sessions_.acked.load();
    const Clock::time_point start = Clock::now();
    const grpc::Status status = Retrying(kSuggest, [&] {
      response.Clear();
      return reader.Suggest(Context().get(), request, &response);
    });
    tally_.Record(kSuggest, MillisecondsSince(start), status);
    const int64_t hi = sessions_.started.load();
    if (!status.ok()) return;
    std::vector<std::string> dates;
    std::set<std::string> proposed;
    for (const v1::DateSuggestions& date : response.dates()) {
      dates.push_back(date.date());
      for (const v1::Candidate& candidate : date.candidates()) {
        proposed.insert(candidate.paper().id());
      }
    }
    const auto state = FirstState(lo, hi, [&](int64_t w) {
      if (dates != model_.OpenDates(w)) return false;
      for (int slot = 0; slot < model_.slots(); ++slot) {
        if (model_.Filled(slot, w) &&
            proposed.count(model_.slot_papers[slot].id()) > 0) {
          return false;
        }
      }
      return true;
    });
    tally_.Check("suggest",
                 state
                     ? ""
                     : absl::StrCat("Suggest between session writes ", lo,
                                    " and ", hi, ": dates ", Dates(dates),
                                    ", papers ", absl::StrJoin(proposed, ",")),
                 state);
  }

  // A marker paper (whole, of a generation in range) or a slot's paper
  // (presented by exactly the sessions of one state).
  void GetPaper(v1::Lectern::Stub& reader, int which) {
    const int64_t papers_lo = papers_.acked.load();
    const int64_t sessions_lo = sessions_.acked.load();
    const bool marker = which % 2 == 0 && papers_lo > 0;
    int number = 0;
    v1::GetPaperRequest request;
    if (marker) {
      number = static_cast<int>((which / 2) %
                                std::min<int64_t>(papers_lo, kMarkerPapers));
      absl::MutexLock lock(&mu_);
      request.set_id(marker_ids_[number]);
    } else {
      request.set_id(model_.slot_papers[(which / 2) % model_.slots()].id());
    }
    v1::GetPaperResponse response;
    const Clock::time_point start = Clock::now();
    const grpc::Status status = Retrying(kGetPaper, [&] {
      response.Clear();
      return reader.GetPaper(Context().get(), request, &response);
    });
    tally_.Record(kGetPaper, MillisecondsSince(start), status);
    if (!status.ok()) return;
    if (marker) {
      const int64_t hi = papers_.started.load();
      const auto parsed = ParseMarker(response.paper());
      const bool ok = parsed && parsed->first == number &&
                      parsed->second >= Model::Generation(number, papers_lo) &&
                      parsed->second <= Model::Generation(number, hi);
      tally_.Check(
          "get_marker_paper",
          ok ? ""
             : absl::StrCat("GetPaper ", request.id(), " between paper writes ",
                            papers_lo, " and ", hi, ": ",
                            response.paper().ShortDebugString()));
      return;
    }
    const int64_t hi = sessions_.started.load();
    std::vector<std::string> presented_on;
    for (const v1::Session& session : response.sessions()) {
      presented_on.push_back(
          absl::StrCat(session.group(), "/", session.date()));
    }
    const auto state = FirstState(sessions_lo, hi, [&](int64_t w) {
      std::vector<std::string> expected;
      for (int slot = 0; slot < model_.slots(); ++slot) {
        if (model_.slot_papers[slot].id() == request.id() &&
            model_.Filled(slot, w)) {
          expected.push_back(
              absl::StrCat(kGroup, "/", model_.slot_dates[slot]));
        }
      }
      return presented_on == expected;
    });
    tally_.Check(
        "get_slot_paper",
        state && response.paper().id() == request.id()
            ? ""
            : absl::StrCat("GetPaper ", request.id(),
                           " between session writes ", sessions_lo, " and ", hi,
                           ": presented on ", Dates(presented_on)),
        state);
  }

  void ListOpenDates(v1::Lectern::Stub& reader) {
    v1::ListOpenDatesRequest request;
    request.set_group(kGroup);
    v1::ListOpenDatesResponse response;
    const int64_t lo = sessions_.acked.load();
    const Clock::time_point start = Clock::now();
    const grpc::Status status = Retrying(kListOpenDates, [&] {
      response.Clear();
      return reader.ListOpenDates(Context().get(), request, &response);
    });
    tally_.Record(kListOpenDates, MillisecondsSince(start), status);
    const int64_t hi = sessions_.started.load();
    if (!status.ok()) return;
    std::vector<std::string> dates;
    for (const v1::OpenDate& date : response.open_dates()) {
      dates.push_back(date.date());
    }
    const auto state = FirstState(
        lo, hi, [&](int64_t w) { return dates == model_.OpenDates(w); });
    tally_.Check("open_dates",
                 state ? ""
                       : absl::StrCat("ListOpenDates between session writes ",
                                      lo, " and ", hi, ": ", Dates(dates)),
                 state);
  }

  const std::string address_;
  const Model model_;
  Tally tally_;
  WriteCount papers_;
  WriteCount sessions_;
  absl::Mutex mu_;
  std::string marker_ids_[kMarkerPapers] ABSL_GUARDED_BY(mu_);
};

// The model's starting point, read from the server before the load: the
// open dates of fall-2024 and, for the first few, a paper Suggest proposes
// that no session presents yet.
void ReadStartingPoint(const std::shared_ptr<grpc::Channel>& channel,
                       Model* model) {
  auto reader = v1::Lectern::NewStub(channel);
  v1::ListOpenDatesRequest open_request;
  open_request.set_group(kGroup);
  v1::ListOpenDatesResponse open;
  grpc::Status status =
      reader->ListOpenDates(Context().get(), open_request, &open);
  ASSERT_TRUE(status.ok()) << status.error_message();
  for (const v1::OpenDate& date : open.open_dates()) {
    model->initial_open_dates.push_back(date.date());
  }
  ASSERT_GE(model->initial_open_dates.size(), 2u)
      << "the bundled fall-2024 schedule has open dates";

  v1::SuggestRequest suggest_request;
  suggest_request.set_group(kGroup);
  suggest_request.set_count(5);
  v1::SuggestResponse suggest;
  status = reader->Suggest(Context().get(), suggest_request, &suggest);
  ASSERT_TRUE(status.ok()) << status.error_message();
  // The best candidate of each date, while there are slots for them.
  std::set<std::string> taken;
  const size_t slots =
      std::min<size_t>(kMaxSlots, model->initial_open_dates.size());
  for (const v1::DateSuggestions& date : suggest.dates()) {
    for (const v1::Candidate& candidate : date.candidates()) {
      if (model->slot_papers.size() >= slots) break;
      if (!taken.insert(candidate.paper().id()).second) continue;
      model->slot_papers.push_back(candidate.paper());
      break;
    }
  }
  ASSERT_GE(model->slot_papers.size(), 2u) << suggest.ShortDebugString();
  model->slot_dates.assign(
      model->initial_open_dates.begin(),
      model->initial_open_dates.begin() + model->slot_papers.size());
  for (const v1::Paper& paper : model->slot_papers) {
    v1::GetPaperRequest request;
    request.set_id(paper.id());
    v1::GetPaperResponse response;
    status = reader->GetPaper(Context().get(), request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_EQ(response.sessions_size(), 0)
        << paper.id() << " is suggested, so no session presents it yet";
  }
}

TEST(LoadTest, MixedReadsStayConsistentWhileWriting) {
  const int clients = EnvInt("LECTERN_LOAD_CLIENTS", 64);
  const int requests =
      EnvInt("LECTERN_LOAD_REQUESTS_PER_CLIENT", kDefaultRequestsPerClient);
  const int seconds = EnvInt("LECTERN_LOAD_SECONDS", 0);
  const absl::Duration interval =
      absl::Milliseconds(EnvInt("LECTERN_LOAD_WRITE_INTERVAL_MS", 200));
  std::string address = EnvString("LECTERN_LOAD_SERVER");
  const std::string token = EnvString("LECTERN_LOAD_TOKEN");

  TempDir dir;
  std::unique_ptr<LecterndProcess> server;
  if (address.empty()) {
    ASSERT_NO_FATAL_FAILURE(testing::BuildBundledIndex(dir, dir.Path("index")));
    {
      std::ofstream tokens(dir.Path("tokens"));
      tokens << "loadwriter read,write " << kToken << "\n";
    }
    server = std::make_unique<LecterndProcess>(
        dir, dir.Path("index"),
        std::vector<std::string>{"--write", "--token_file", dir.Path("tokens"),
                                 "--max_deadline", "120s"});
    ASSERT_TRUE(server->ok());
    address = server->address();
  } else {
    ASSERT_EQ(token, kToken) << "LECTERN_LOAD_TOKEN must be the token the "
                                "server's --token_file gives the write scope";
  }

  Model model;
  ASSERT_NO_FATAL_FAILURE(ReadStartingPoint(OwnChannel(address), &model));
  std::printf("load: %d clients, %s, writes every %s; slots %s\n", clients,
              seconds > 0 ? absl::StrCat(seconds, " s").c_str()
                          : absl::StrCat(requests, " requests each").c_str(),
              absl::FormatDuration(interval).c_str(),
              Dates(model.slot_dates).c_str());

  LoadRun load(address, model);
  // Count mode still stops at a time bound; duration mode at its end.
  const Clock::time_point begin = Clock::now();
  const Clock::time_point until =
      begin + std::chrono::seconds(seconds > 0 ? seconds : 100);
  absl::Notification stop;
  std::thread writer(
      [&] { load.Writer(stop, interval, until + std::chrono::seconds(10)); });
  auto* ready = new absl::Barrier(clients);
  std::vector<std::thread> threads;
  for (int client = 0; client < clients; ++client) {
    threads.emplace_back([&, client] {
      load.Client(client, seconds > 0 ? INT32_MAX : requests, until, ready);
    });
  }
  for (std::thread& thread : threads) thread.join();
  const double read_seconds = MillisecondsSince(begin) / 1000;
  stop.Notify();
  writer.join();

  load.tally().Report(read_seconds);
  std::printf("writes committed: %lld papers, %lld sessions\n",
              static_cast<long long>(load.papers().acked.load()),
              static_cast<long long>(load.sessions().acked.load()));
  ::testing::Test::RecordProperty("papers_written",
                                  static_cast<int>(load.papers().acked.load()));
  ::testing::Test::RecordProperty(
      "sessions_written", static_cast<int>(load.sessions().acked.load()));

  EXPECT_EQ(load.tally().errors(), 0) << load.tally().Problems();
  EXPECT_EQ(load.tally().inconsistent(), 0) << load.tally().Problems();
  if (seconds == 0) {
    int64_t reads = 0;
    for (Rpc rpc : {kSearch, kSuggest, kGetPaper, kListOpenDates}) {
      reads += load.tally().count(rpc);
    }
    EXPECT_EQ(reads, static_cast<int64_t>(clients) * requests)
        << "every client sends all its requests within the time bound";
  }
  // The reads overlapped with commits.
  EXPECT_GT(load.papers().acked.load(), 0);
  EXPECT_GT(load.sessions().acked.load(), 0);
  if (server != nullptr) {
    // The server is still up and answering.
    v1::GetStatsResponse stats;
    EXPECT_TRUE(v1::Lectern::NewStub(server->channel())
                    ->GetStats(Context().get(), {}, &stats)
                    .ok())
        << server->Log();
  }
}

}  // namespace
}  // namespace lectern
