// gRPC adapter for the Lectern service: converts requests to domain calls
// on a SearchWorkers thread and results back to protos. No search logic
// lives here.
//
// Thread-safe. Each call writes one log line (method, peer, status,
// latency, a short summary of the request) to `log`.
#ifndef LECTERN_SERVICE_LECTERN_SERVICE_H_
#define LECTERN_SERVICE_LECTERN_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "lectern/v1/lectern.grpc.pb.h"
#include "service/access.h"
#include "service/metrics.h"
#include "service/search_workers.h"

namespace lectern {

// Writes one line per request, and counts it in `metrics` when given;
// thread-safe.
class RequestLog {
 public:
  explicit RequestLog(std::FILE* out, Metrics* metrics = nullptr)
      : out_(out), metrics_(metrics) {}
  void Write(absl::string_view method, absl::string_view peer,
             const absl::Status& status, double milliseconds,
             absl::string_view detail);

 private:
  std::FILE* out_;
  Metrics* metrics_;
};

struct ReadOptions {
  // Who may read; nullptr: everyone.
  const AccessPolicy* access = nullptr;
  // The longest a read may run, whatever deadline the client sets (or
  // none): a runaway query cannot hold a worker for longer.
  absl::Duration max_deadline = absl::InfiniteDuration();
};

// Every "authorization" metadata value of a call, in the order sent (none
// when it sent none); AccessPolicy::Authorize refuses more than one.
std::vector<std::string> AuthorizationOf(
    const grpc::CallbackServerContext& context);

// Caller-supplied text for a log line: quoted, with quotes, backslashes
// and control characters escaped so one request stays one line (a caller
// cannot forge lines), cut after 200 bytes; UTF-8 kept readable.
std::string QuotedForLog(absl::string_view text);

class LecternService final : public v1::Lectern::CallbackService {
 public:
  // `workers`, `log` and `options.access` must outlive the service.
  LecternService(SearchWorkers* workers, RequestLog* log,
                 ReadOptions options = {})
      : workers_(workers), log_(log), options_(options) {}

  grpc::ServerUnaryReactor* Search(grpc::CallbackServerContext* context,
                                   const v1::SearchRequest* request,
                                   v1::SearchResponse* response) override;
  grpc::ServerUnaryReactor* GetSession(
      grpc::CallbackServerContext* context,
      const v1::GetSessionRequest* request,
      v1::GetSessionResponse* response) override;
  grpc::ServerUnaryReactor* GetStats(grpc::CallbackServerContext* context,
                                     const v1::GetStatsRequest* request,
                                     v1::GetStatsResponse* response) override;
  grpc::ServerUnaryReactor* Suggest(grpc::CallbackServerContext* context,
                                    const v1::SuggestRequest* request,
                                    v1::SuggestResponse* response) override;
  grpc::ServerUnaryReactor* ListOpenDates(
      grpc::CallbackServerContext* context,
      const v1::ListOpenDatesRequest* request,
      v1::ListOpenDatesResponse* response) override;
  grpc::ServerUnaryReactor* GetPaper(grpc::CallbackServerContext* context,
                                     const v1::GetPaperRequest* request,
                                     v1::GetPaperResponse* response) override;
  grpc::ServerUnaryReactor* GetSchedule(
      grpc::CallbackServerContext* context,
      const v1::GetScheduleRequest* request,
      v1::GetScheduleResponse* response) override;
  grpc::ServerUnaryReactor* RelatedWork(
      grpc::CallbackServerContext* context,
      const v1::RelatedWorkRequest* request,
      v1::RelatedWorkResponse* response) override;
  grpc::ServerUnaryReactor* GetPerson(grpc::CallbackServerContext* context,
                                      const v1::GetPersonRequest* request,
                                      v1::GetPersonResponse* response) override;
  grpc::ServerUnaryReactor* ListPeople(
      grpc::CallbackServerContext* context,
      const v1::ListPeopleRequest* request,
      v1::ListPeopleResponse* response) override;

  // Waits until no call is queued or running, for at most `timeout`; true
  // when idle. Lets shutdown finish calls in flight and then stop at once:
  // grpc::Server::Shutdown with a deadline otherwise waits out the whole
  // deadline while any client keeps an idle connection open.
  bool WaitUntilIdle(absl::Duration timeout);

 private:
  // Runs `work` on a worker and finishes the call with its status. `detail`
  // is logged; the work may append to it (e.g. the number of hits).
  using Work = std::function<absl::Status(Searcher&, std::string* detail)>;
  grpc::ServerUnaryReactor* Dispatch(grpc::CallbackServerContext* context,
                                     const char* method, std::string detail,
                                     Work work);

  // The call's deadline for the domain layer, capped at max_deadline.
  absl::Time DeadlineOf(const grpc::CallbackServerContext& context) const;

  SearchWorkers* workers_;
  RequestLog* log_;
  const ReadOptions options_;
  absl::Mutex mu_;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace lectern

#endif  // LECTERN_SERVICE_LECTERN_SERVICE_H_
