#include "service/lectern_service.h"

#include <algorithm>
#include <chrono>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "indexer/schema.h"
#include "service/status.h"

namespace lectern {
namespace {

void ToProto(const GroupCounts& counts, v1::GroupStats* out) {
  *out->mutable_group() = counts.group;
  out->set_sessions(counts.sessions);
  out->set_paper_sessions(counts.paper_sessions);
  out->set_talks(counts.talks);
  out->set_open_slots(counts.open_slots);
  out->set_first_date(counts.first_date);
  out->set_last_date(counts.last_date);
}

}  // namespace

std::string QuotedForLog(absl::string_view text) {
  constexpr size_t kMaxLogged = 200;
  std::string out = "\"";
  for (char c : text.substr(0, kMaxLogged)) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      absl::StrAppendFormat(&out, "\\x%02x", static_cast<unsigned char>(c));
    } else {
      out.push_back(c);
    }
  }
  absl::StrAppend(&out, text.size() > kMaxLogged ? "…\"" : "\"");
  return out;
}

std::vector<std::string> AuthorizationOf(
    const grpc::CallbackServerContext& context) {
  std::vector<std::string> values;
  const auto [begin, end] =
      context.client_metadata().equal_range("authorization");
  for (auto it = begin; it != end; ++it) {
    values.emplace_back(it->second.data(), it->second.size());
  }
  return values;
}

absl::Time LecternService::DeadlineOf(
    const grpc::CallbackServerContext& context) const {
  // gRPC's "no deadline" is the clock's maximum, beyond absl::Time's range.
  const absl::Time requested =
      context.deadline() == std::chrono::system_clock::time_point::max()
          ? absl::InfiniteFuture()
          : absl::FromChrono(context.deadline());
  return std::min(requested, absl::Now() + options_.max_deadline);
}

void RequestLog::Write(absl::string_view method, absl::string_view peer,
                       const absl::Status& status, double milliseconds,
                       absl::string_view detail) {
  static absl::Mutex mu(absl::kConstInit);
  const std::string line = absl::StrCat(
      absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                       absl::UTCTimeZone()),
      " rpc=", method, " status=", absl::StatusCodeToString(status.code()),
      " ms=", absl::StrFormat("%.2f", milliseconds), " peer=", peer,
      detail.empty() ? "" : " ", detail,
      status.ok() ? ""
                  : absl::StrCat(" error=", QuotedForLog(status.message())),
      "\n");
  if (metrics_ != nullptr) {
    metrics_->Record(method, status.code(), absl::Milliseconds(milliseconds));
  }
  absl::MutexLock lock(&mu);
  std::fputs(line.c_str(), out_);
  std::fflush(out_);
}

grpc::ServerUnaryReactor* LecternService::Dispatch(
    grpc::CallbackServerContext* context, const char* method,
    std::string detail, Work work) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const absl::Time start = absl::Now();
  if (options_.access != nullptr) {
    const absl::StatusOr<std::string> caller =
        options_.access->Authorize(AuthorizationOf(*context), Scope::kRead);
    if (!caller.ok()) {
      log_->Write(method, context->peer(), caller.status(), 0, detail);
      reactor->Finish(ToGrpcStatus(caller.status()));
      return reactor;
    }
    if (*caller != "anonymous")
      detail = absl::StrCat("caller=", *caller, " ", detail);
  }
  auto shared_detail = std::make_shared<std::string>(std::move(detail));
  {
    absl::MutexLock lock(&mu_);
    ++in_flight_;
  }
  const absl::Status queued =
      workers_->Admit([this, context, reactor, method, start, shared_detail,
                       work = std::move(work)](Searcher& searcher) {
        // A caller that gave up while queued gets no work done for it.
        absl::Status status =
            context->IsCancelled()
                ? absl::CancelledError("cancelled by the client")
                : work(searcher, shared_detail.get());
        log_->Write(method, context->peer(), status,
                    absl::ToDoubleMilliseconds(absl::Now() - start),
                    *shared_detail);
        reactor->Finish(ToGrpcStatus(status));
        absl::MutexLock lock(&mu_);
        --in_flight_;
      });
  if (!queued.ok()) {
    // Unavailable while the index cannot be served, ResourceExhausted when
    // the queue is full (SearchWorkers::Admit).
    {
      absl::MutexLock lock(&mu_);
      --in_flight_;
    }
    log_->Write(method, context->peer(), queued, 0, *shared_detail);
    reactor->Finish(ToGrpcStatus(queued));
  }
  return reactor;
}

bool LecternService::WaitUntilIdle(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return in_flight_ == 0;
  };
  return mu_.AwaitWithTimeout(absl::Condition(&idle), timeout);
}

grpc::ServerUnaryReactor* LecternService::Search(
    grpc::CallbackServerContext* context, const v1::SearchRequest* request,
    v1::SearchResponse* response) {
  std::string detail = absl::StrCat("query=", QuotedForLog(request->query()));
  if (request->has_filters()) {
    absl::StrAppend(&detail, " filters=",
                    QuotedForLog(request->filters().ShortDebugString()));
  }
  const absl::Time deadline = DeadlineOf(*context);
  return Dispatch(
      context, "Search", std::move(detail),
      [request, response, deadline](Searcher& searcher, std::string* detail) {
        auto result = searcher.Search(*request, deadline);
        if (!result.ok()) return result.status();
        *response = *std::move(result);
        absl::StrAppend(detail, " hits=", response->hits_size(),
                        " total=", response->total_estimate());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* LecternService::GetSession(
    grpc::CallbackServerContext* context, const v1::GetSessionRequest* request,
    v1::GetSessionResponse* response) {
  std::string detail = absl::StrCat("group=", QuotedForLog(request->group()),
                                    " date=", QuotedForLog(request->date()),
                                    " ordinal=", request->ordinal());
  const v1::GetSessionRequest copy = *request;
  return Dispatch(
      context, "GetSession", std::move(detail),
      [copy, response](Searcher& searcher, std::string* detail) {
        auto details =
            searcher.GetSessions(copy.group(), copy.date(), copy.ordinal());
        if (!details.ok()) return details.status();
        for (v1::Session& session : details->sessions) {
          *response->add_sessions() = std::move(session);
        }
        *response->mutable_group() = std::move(details->group);
        for (v1::Paper& paper : details->papers) {
          *response->add_papers() = std::move(paper);
        }
        for (v1::Summary& summary : details->summaries) {
          *response->add_summaries() = std::move(summary);
        }
        absl::StrAppend(detail, " sessions=", response->sessions_size());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* LecternService::GetStats(
    grpc::CallbackServerContext* context,
    const v1::GetStatsRequest* /*request*/, v1::GetStatsResponse* response) {
  return Dispatch(context, "GetStats", "",
                  [response](Searcher& searcher, std::string* detail) {
                    auto stats = searcher.Stats();
                    if (!stats.ok()) return stats.status();
                    response->set_documents(stats->documents);
                    response->set_sessions(stats->sessions);
                    response->set_papers(stats->papers);
                    response->set_summaries(stats->summaries);
                    response->set_people(stats->people);
                    response->set_revision(stats->revision);
                    response->set_committed_at(stats->committed_at);
                    for (const GroupCounts& counts : stats->groups) {
                      ToProto(counts, response->add_groups());
                    }
                    absl::StrAppend(detail, "documents=", stats->documents);
                    return absl::OkStatus();
                  });
}

grpc::ServerUnaryReactor* LecternService::Suggest(
    grpc::CallbackServerContext* context, const v1::SuggestRequest* request,
    v1::SuggestResponse* response) {
  std::string detail =
      absl::StrCat("group=", QuotedForLog(request->group()),
                   " dates=", request->dates_size(),
                   " topic=", QuotedForLog(request->topic()),
                   " explain=", QuotedForLog(request->explain()));
  const absl::Time deadline = DeadlineOf(*context);
  return Dispatch(
      context, "Suggest", std::move(detail),
      [request, response, deadline](Searcher& searcher, std::string* detail) {
        auto result = searcher.Suggest(*request, deadline);
        if (!result.ok()) return result.status();
        *response = *std::move(result);
        int candidates = 0;
        for (const v1::DateSuggestions& date : response->dates()) {
          candidates += date.candidates_size();
        }
        // "result_dates": "dates" already counts the request's.
        absl::StrAppend(detail, " result_dates=", response->dates_size(),
                        " candidates=", candidates);
        if (response->explanations_size() > 0) {
          absl::StrAppend(detail,
                          " explanations=", response->explanations_size());
        }
        if (response->unmatched_rejected_size() > 0) {
          absl::StrAppend(detail, " unmatched_rejected=",
                          response->unmatched_rejected_size());
        }
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* LecternService::ListOpenDates(
    grpc::CallbackServerContext* context,
    const v1::ListOpenDatesRequest* request,
    v1::ListOpenDatesResponse* response) {
  std::string detail = absl::StrCat("group=", QuotedForLog(request->group()),
                                    " from=", QuotedForLog(request->from()),
                                    " until=", QuotedForLog(request->until()));
  return Dispatch(context, "ListOpenDates", std::move(detail),
                  [request, response](Searcher& searcher, std::string* detail) {
                    auto result = searcher.ListOpenDates(*request);
                    if (!result.ok()) return result.status();
                    *response = *std::move(result);
                    absl::StrAppend(
                        detail, " open_dates=", response->open_dates_size());
                    return absl::OkStatus();
                  });
}

grpc::ServerUnaryReactor* LecternService::GetPaper(
    grpc::CallbackServerContext* context, const v1::GetPaperRequest* request,
    v1::GetPaperResponse* response) {
  const std::string& id = request->id();
  return Dispatch(context, "GetPaper", absl::StrCat("id=", QuotedForLog(id)),
                  [id, response](Searcher& searcher, std::string* detail) {
                    auto details = searcher.GetPaper(id);
                    if (!details.ok()) return details.status();
                    *response->mutable_paper() = std::move(details->paper);
                    for (v1::Session& session : details->sessions) {
                      *response->add_sessions() = std::move(session);
                    }
                    for (v1::Summary& summary : details->summaries) {
                      *response->add_summaries() = std::move(summary);
                    }
                    absl::StrAppend(detail,
                                    " sessions=", response->sessions_size());
                    return absl::OkStatus();
                  });
}

grpc::ServerUnaryReactor* LecternService::GetSchedule(
    grpc::CallbackServerContext* context, const v1::GetScheduleRequest* request,
    v1::GetScheduleResponse* response) {
  const std::string& group = request->group();
  return Dispatch(
      context, "GetSchedule", absl::StrCat("group=", QuotedForLog(group)),
      [group, response](Searcher& searcher, std::string* detail) {
        auto schedule = searcher.GetSchedule(group);
        if (!schedule.ok()) return schedule.status();
        *response = *std::move(schedule);
        absl::StrAppend(detail, " sessions=", response->sessions_size(),
                        " open_dates=", response->open_dates_size());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* LecternService::RelatedWork(
    grpc::CallbackServerContext* context, const v1::RelatedWorkRequest* request,
    v1::RelatedWorkResponse* response) {
  const absl::Time deadline = DeadlineOf(*context);
  return Dispatch(
      context, "RelatedWork",
      absl::StrCat("paper=", QuotedForLog(request->paper()),
                   " years=", request->years(), " count=", request->count()),
      [request, response, deadline](Searcher& searcher, std::string* detail) {
        auto related = searcher.RelatedWork(*request, deadline);
        if (!related.ok()) return related.status();
        *response = *std::move(related);
        absl::StrAppend(detail, " related=", response->related_size(),
                        " candidates=", response->candidates());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* LecternService::GetPerson(
    grpc::CallbackServerContext* context, const v1::GetPersonRequest* request,
    v1::GetPersonResponse* response) {
  return Dispatch(context, "GetPerson",
                  absl::StrCat("name=", QuotedForLog(request->name())),
                  [request, response](Searcher& searcher, std::string* detail) {
                    auto person = searcher.GetPerson(*request);
                    if (!person.ok()) return person.status();
                    *response = *std::move(person);
                    absl::StrAppend(detail,
                                    " sessions=", response->sessions_size());
                    return absl::OkStatus();
                  });
}

grpc::ServerUnaryReactor* LecternService::ListPeople(
    grpc::CallbackServerContext* context, const v1::ListPeopleRequest* request,
    v1::ListPeopleResponse* response) {
  return Dispatch(
      context, "ListPeople", absl::StrCat("groups=", request->groups_size()),
      [request, response](Searcher& searcher, std::string* detail) {
        auto people = searcher.ListPeople(*request);
        if (!people.ok()) return people.status();
        *response = *std::move(people);
        absl::StrAppend(detail, " people=", response->people_size());
        return absl::OkStatus();
      });
}

}  // namespace lectern
