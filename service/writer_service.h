// gRPC adapter for the LecternWriter service: checks the caller's token,
// hands each write to the Librarian and answers when its commit is done.
// No write logic lives here.
//
// Thread-safe. Each call writes one log line with the caller's token name
// (never the token).
#ifndef LECTERN_SERVICE_WRITER_SERVICE_H_
#define LECTERN_SERVICE_WRITER_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "indexer/librarian.h"
#include "lectern/v1/writer.grpc.pb.h"
#include "service/access.h"
#include "service/lectern_service.h"

namespace lectern {

struct WriterLimits {
  // Most messages one ImportPapers stream may send.
  int max_stream_items = 100000;
};

class WriterService final : public v1::LecternWriter::CallbackService {
 public:
  // Every pointer must outlive the service.
  WriterService(Librarian* librarian, const AccessPolicy* access,
                RequestLog* log, WriterLimits limits)
      : librarian_(librarian), access_(access), log_(log), limits_(limits) {}

  grpc::ServerUnaryReactor* UpsertSession(
      grpc::CallbackServerContext* context,
      const v1::UpsertSessionRequest* request,
      v1::UpsertSessionResponse* response) override;
  grpc::ServerUnaryReactor* DeleteSession(
      grpc::CallbackServerContext* context,
      const v1::DeleteSessionRequest* request,
      v1::DeleteResponse* response) override;
  grpc::ServerUnaryReactor* UpsertPaper(
      grpc::CallbackServerContext* context,
      const v1::UpsertPaperRequest* request,
      v1::UpsertPaperResponse* response) override;
  grpc::ServerUnaryReactor* DeletePaper(grpc::CallbackServerContext* context,
                                        const v1::DeletePaperRequest* request,
                                        v1::DeleteResponse* response) override;
  grpc::ServerUnaryReactor* UpsertSummary(
      grpc::CallbackServerContext* context,
      const v1::UpsertSummaryRequest* request,
      v1::UpsertSummaryResponse* response) override;
  grpc::ServerUnaryReactor* DeleteSummary(
      grpc::CallbackServerContext* context,
      const v1::DeleteSummaryRequest* request,
      v1::DeleteResponse* response) override;
  grpc::ServerReadReactor<v1::ImportPapersRequest>* ImportPapers(
      grpc::CallbackServerContext* context,
      v1::ImportPapersResponse* response) override;

  // Waits until no write is in flight, for at most `timeout`.
  bool WaitUntilIdle(absl::Duration timeout);

 private:
  class ImportReactor;

  // Authorizes, then calls `submit` (which hands the request to the
  // Librarian) with the callback that finishes the call.
  template <typename Response, typename Submit>
  grpc::ServerUnaryReactor* Write(grpc::CallbackServerContext* context,
                                  const char* method, std::string detail,
                                  Response* response, Submit submit);
  // Logs the call and counts it out.
  void Finished(grpc::CallbackServerContext* context, const char* method,
                absl::Time start, const std::string& detail,
                const absl::Status& status);

  Librarian* librarian_;
  const AccessPolicy* access_;
  RequestLog* log_;
  const WriterLimits limits_;
  absl::Mutex mu_;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace lectern

#endif  // LECTERN_SERVICE_WRITER_SERVICE_H_
