#include "service/writer_service.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "service/status.h"

namespace lectern {
namespace {

std::string RequestIdDetail(const std::string& request_id) {
  return request_id.empty()
             ? ""
             : absl::StrCat(" request_id=", QuotedForLog(request_id));
}

std::string ResultDetail(const v1::WriteResult& result) {
  return absl::StrCat(" outcome=", v1::WriteOutcome_Name(result.outcome()),
                      " revision=", result.revision(),
                      result.replayed() ? " replayed" : "");
}

const v1::WriteResult& ResultOf(const v1::UpsertSessionResponse& response) {
  return response.result();
}
const v1::WriteResult& ResultOf(const v1::UpsertPaperResponse& response) {
  return response.result();
}
const v1::WriteResult& ResultOf(const v1::UpsertSummaryResponse& response) {
  return response.result();
}
const v1::WriteResult& ResultOf(const v1::DeleteResponse& response) {
  return response.result();
}

}  // namespace

void WriterService::Finished(grpc::CallbackServerContext* context,
                             const char* method, absl::Time start,
                             const std::string& detail,
                             const absl::Status& status) {
  log_->Write(method, context->peer(), status,
              absl::ToDoubleMilliseconds(absl::Now() - start), detail);
}

template <typename Response, typename Submit>
grpc::ServerUnaryReactor* WriterService::Write(
    grpc::CallbackServerContext* context, const char* method,
    std::string detail, Response* response, Submit submit) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const absl::Time start = absl::Now();
  const absl::StatusOr<std::string> caller =
      access_->Authorize(AuthorizationOf(*context), Scope::kWrite);
  if (!caller.ok()) {
    Finished(context, method, start, detail, caller.status());
    reactor->Finish(ToGrpcStatus(caller.status()));
    return reactor;
  }
  detail = absl::StrCat("caller=", *caller, " ", detail);
  {
    absl::MutexLock lock(&mu_);
    ++in_flight_;
  }
  // A write that reached the queue is applied even if the client gives up
  // meanwhile: a retry with the same request_id learns its outcome.
  submit([this, context, reactor, method, start, detail,
          response](absl::StatusOr<Response> result) {
    std::string logged = detail;
    const absl::Status status = result.status();
    if (result.ok()) {
      absl::StrAppend(&logged, ResultDetail(ResultOf(*result)));
      *response = *std::move(result);
    }
    Finished(context, method, start, logged, status);
    reactor->Finish(ToGrpcStatus(status));
    absl::MutexLock lock(&mu_);
    --in_flight_;
  });
  return reactor;
}

grpc::ServerUnaryReactor* WriterService::UpsertSession(
    grpc::CallbackServerContext* context,
    const v1::UpsertSessionRequest* request,
    v1::UpsertSessionResponse* response) {
  const v1::SessionInput& session = request->session();
  return Write(context, "UpsertSession",
               absl::StrCat("group=", QuotedForLog(session.group()),
                            " date=", QuotedForLog(session.date()),
                            " ordinal=", session.ordinal(),
                            RequestIdDetail(request->request_id()),
                            request->validate_only() ? " validate_only" : ""),
               response, [&](Librarian::Done<v1::UpsertSessionResponse> done) {
                 librarian_->UpsertSession(*request, std::move(done));
               });
}

grpc::ServerUnaryReactor* WriterService::DeleteSession(
    grpc::CallbackServerContext* context,
    const v1::DeleteSessionRequest* request, v1::DeleteResponse* response) {
  return Write(context, "DeleteSession",
               absl::StrCat("group=", QuotedForLog(request->group()),
                            " date=", QuotedForLog(request->date()),
                            " ordinal=", request->ordinal(),
                            RequestIdDetail(request->request_id())),
               response, [&](Librarian::Done<v1::DeleteResponse> done) {
                 librarian_->DeleteSession(*request, std::move(done));
               });
}

grpc::ServerUnaryReactor* WriterService::UpsertPaper(
    grpc::CallbackServerContext* context, const v1::UpsertPaperRequest* request,
    v1::UpsertPaperResponse* response) {
  return Write(context, "UpsertPaper",
               absl::StrCat("source=", QuotedForLog(request->paper().source()),
                            RequestIdDetail(request->request_id()),
                            request->validate_only() ? " validate_only" : ""),
               response, [&](Librarian::Done<v1::UpsertPaperResponse> done) {
                 librarian_->UpsertPaper(*request, std::move(done));
               });
}

grpc::ServerUnaryReactor* WriterService::DeletePaper(
    grpc::CallbackServerContext* context, const v1::DeletePaperRequest* request,
    v1::DeleteResponse* response) {
  return Write(context, "DeletePaper",
               absl::StrCat("id=", QuotedForLog(request->id()),
                            RequestIdDetail(request->request_id())),
               response, [&](Librarian::Done<v1::DeleteResponse> done) {
                 librarian_->DeletePaper(*request, std::move(done));
               });
}

grpc::ServerUnaryReactor* WriterService::UpsertSummary(
    grpc::CallbackServerContext* context,
    const v1::UpsertSummaryRequest* request,
    v1::UpsertSummaryResponse* response) {
  const v1::SummaryInput& summary = request->summary();
  return Write(context, "UpsertSummary",
               absl::StrCat("id=", QuotedForLog(summary.id()),
                            " group=", QuotedForLog(summary.group()),
                            " date=", QuotedForLog(summary.date()),
                            RequestIdDetail(request->request_id()),
                            request->validate_only() ? " validate_only" : ""),
               response, [&](Librarian::Done<v1::UpsertSummaryResponse> done) {
                 librarian_->UpsertSummary(*request, std::move(done));
               });
}

grpc::ServerUnaryReactor* WriterService::DeleteSummary(
    grpc::CallbackServerContext* context,
    const v1::DeleteSummaryRequest* request, v1::DeleteResponse* response) {
  return Write(context, "DeleteSummary",
               absl::StrCat("id=", QuotedForLog(request->id()),
                            RequestIdDetail(request->request_id())),
               response, [&](Librarian::Done<v1::DeleteResponse> done) {
                 librarian_->DeleteSummary(*request, std::move(done));
               });
}

// Reads the whole stream (at most max_stream_items messages), then hands
// the items to the Librarian as one import.
class WriterService::ImportReactor
    : public grpc::ServerReadReactor<v1::ImportPapersRequest> {
 public:
  ImportReactor(WriterService* service, grpc::CallbackServerContext* context,
                v1::ImportPapersResponse* response)
      : service_(service),
        context_(context),
        response_(response),
        start_(absl::Now()) {
    const absl::StatusOr<std::string> caller =
        service_->access_->Authorize(AuthorizationOf(*context), Scope::kWrite);
    if (!caller.ok()) {
      End(caller.status());
      return;
    }
    detail_ = absl::StrCat("caller=", *caller);
    {
      absl::MutexLock lock(&service_->mu_);
      ++service_->in_flight_;
    }
    counted_ = true;
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the client finished sending, or went away
      Submit();
      return;
    }
    if (items_.empty()) request_id_ = request_.request_id();
    if (static_cast<int>(items_.size()) >= service_->limits_.max_stream_items) {
      End(absl::ResourceExhaustedError(absl::StrCat(
          "ImportPapers takes at most ", service_->limits_.max_stream_items,
          " papers per stream; nothing was imported: split the input")));
      return;
    }
    items_.push_back(std::move(*request_.mutable_paper()));
    StartRead(&request_);
  }

  void OnDone() override { delete this; }

 private:
  void Submit() {
    if (context_->IsCancelled()) {
      End(absl::CancelledError("cancelled by the client before the end"));
      return;
    }
    absl::StrAppend(&detail_, " items=", items_.size(),
                    RequestIdDetail(request_id_));
    service_->librarian_->ImportPapers(
        std::move(items_), request_id_,
        [this](absl::StatusOr<v1::ImportPapersResponse> result) {
          const absl::Status status = result.status();
          if (result.ok()) {
            absl::StrAppend(&detail_, " accepted=", result->accepted(),
                            " rejected=", result->rejected(),
                            " revision=", result->revision(),
                            result->replayed() ? " replayed" : "");
            *response_ = *std::move(result);
          }
          End(status);
        });
  }

  void End(const absl::Status& status) {
    service_->Finished(context_, "ImportPapers", start_, detail_, status);
    const bool counted = counted_;
    WriterService* service = service_;
    Finish(ToGrpcStatus(status));  // may run OnDone, which deletes this
    if (counted) {
      absl::MutexLock lock(&service->mu_);
      --service->in_flight_;
    }
  }

  WriterService* const service_;
  grpc::CallbackServerContext* const context_;
  v1::ImportPapersResponse* const response_;
  const absl::Time start_;
  std::string detail_;
  bool counted_ = false;
  v1::ImportPapersRequest request_;
  std::string request_id_;
  std::vector<v1::PaperInput> items_;
};

grpc::ServerReadReactor<v1::ImportPapersRequest>* WriterService::ImportPapers(
    grpc::CallbackServerContext* context, v1::ImportPapersResponse* response) {
  return new ImportReactor(this, context, response);
}

bool WriterService::WaitUntilIdle(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return in_flight_ == 0;
  };
  return mu_.AwaitWithTimeout(absl::Condition(&idle), timeout);
}

}  // namespace lectern
