// lectern-bench-load: Search throughput over gRPC with many calls in flight.
//
//   lectern-bench-load --server 127.0.0.1:P --queries queries.tsv
//       --inflight 16 --seconds 5           closed loop: the most calls/s
//   lectern-bench-load ... --rate 800        open loop: latency at a rate
//
// Closed loop keeps --inflight calls outstanding and reports completed
// calls per second. Open loop sends at --rate calls/s on a fixed schedule
// (at most --inflight outstanding) and measures each latency from the
// moment the call was due, so a server that falls behind is charged for
// the wait (no coordinated omission). Queries cycle through the set.
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "bench/common/query_set.h"
#include "bench/common/stats.h"
#include "lectern/v1/lectern.grpc.pb.h"

ABSL_FLAG(std::string, server, "", "gRPC address of a Lectern server");
ABSL_FLAG(std::string, queries, "", "query set (kind<TAB>query lines)");
ABSL_FLAG(int, inflight, 16, "most calls outstanding at once");
ABSL_FLAG(double, seconds, 5, "how long to measure");
ABSL_FLAG(double, rate, 0, "calls per second (open loop); 0: closed loop");
ABSL_FLAG(std::string, json, "", "file to write the results to as JSON");

namespace {

using Clock = std::chrono::steady_clock;

struct Call {
  grpc::ClientContext context;
  lectern::v1::SearchResponse response;
  grpc::Status status;
  std::unique_ptr<grpc::ClientAsyncResponseReader<lectern::v1::SearchResponse>>
      reader;
  Clock::time_point due;  // when it was meant to start
};

class Load {
 public:
  Load(lectern::v1::Lectern::Stub* stub,
       std::vector<lectern::v1::SearchRequest> requests)
      : stub_(stub), requests_(std::move(requests)) {}

  void Send(Clock::time_point due) {
    auto* call = new Call;
    call->due = due;
    call->context.set_deadline(std::chrono::system_clock::now() +
                               std::chrono::seconds(30));
    call->reader = stub_->PrepareAsyncSearch(
        &call->context, requests_[next_++ % requests_.size()], &queue_);
    call->reader->StartCall();
    call->reader->Finish(&call->response, &call->status, call);
    ++outstanding_;
  }

  // Waits for one completion until `deadline`; false when none came.
  bool Complete(Clock::time_point deadline, bool record) {
    void* tag = nullptr;
    bool ok = false;
    const auto status = queue_.AsyncNext(
        &tag, &ok,
        std::chrono::system_clock::now() + (deadline - Clock::now()));
    if (status != grpc::CompletionQueue::GOT_EVENT) return false;
    std::unique_ptr<Call> call(static_cast<Call*>(tag));
    --outstanding_;
    if (!ok || !call->status.ok()) {
      ++errors_;
    } else if (record) {
      latencies_us_.push_back(
          std::chrono::duration<double, std::micro>(Clock::now() - call->due)
              .count());
    }
    return true;
  }

  void Drain() {
    while (outstanding_ > 0)
      Complete(Clock::now() + std::chrono::seconds(31), false);
  }

  int outstanding() const { return outstanding_; }
  int errors() const { return errors_; }
  std::vector<double>& latencies_us() { return latencies_us_; }

 private:
  lectern::v1::Lectern::Stub* stub_;
  const std::vector<lectern::v1::SearchRequest> requests_;
  grpc::CompletionQueue queue_;
  size_t next_ = 0;
  int outstanding_ = 0;
  int errors_ = 0;
  std::vector<double> latencies_us_;
};

int Fail(const std::string& message) {
  std::fprintf(stderr, "lectern-bench-load: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  auto queries = lectern::bench::LoadQueries(absl::GetFlag(FLAGS_queries));
  if (!queries.ok()) return Fail(std::string(queries.status().message()));
  std::vector<lectern::v1::SearchRequest> requests;
  for (const auto& query : *queries) {
    requests.push_back(lectern::bench::SearchRequestFor(query));
  }
  const int inflight = absl::GetFlag(FLAGS_inflight);
  const double rate = absl::GetFlag(FLAGS_rate);
  const auto length = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(absl::GetFlag(FLAGS_seconds)));
  if (inflight < 1 || length <= Clock::duration::zero() || rate < 0) {
    return Fail("--inflight, --seconds must be positive and --rate >= 0");
  }
  auto stub = lectern::v1::Lectern::NewStub(grpc::CreateChannel(
      absl::GetFlag(FLAGS_server), grpc::InsecureChannelCredentials()));
  Load load(stub.get(), std::move(requests));

  // One second of warm-up at the same load, not recorded.
  const auto warm_end = Clock::now() + std::chrono::seconds(1);
  while (Clock::now() < warm_end) {
    while (load.outstanding() < inflight) load.Send(Clock::now());
    load.Complete(warm_end, false);
  }
  load.Drain();

  const auto start = Clock::now();
  const auto end = start + length;
  size_t completed = 0;
  if (rate == 0) {
    while (Clock::now() < end) {
      while (load.outstanding() < inflight) load.Send(Clock::now());
      if (load.Complete(end, true)) ++completed;
    }
  } else {
    const auto interval = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(1.0 / rate));
    auto due = start;
    while (due < end) {
      // Send every call that is due, as long as there is room.
      while (due <= Clock::now() && due < end &&
             load.outstanding() < inflight) {
        load.Send(due);
        due += interval;
      }
      const auto wake =
          load.outstanding() >= inflight ? end : std::max(due, Clock::now());
      if (load.Complete(wake, true)) ++completed;
    }
  }
  const double elapsed =
      std::chrono::duration<double>(Clock::now() - start).count();
  load.Drain();
  const auto summary = lectern::bench::Summarize(load.latencies_us(), {});
  const double qps = static_cast<double>(completed) / elapsed;
  std::printf("%s %.0f calls/s, median %.0f us, p99 %.0f us, %d errors\n",
              rate == 0 ? "closed loop:" : "open loop:", qps, summary.median_us,
              summary.p99_us, load.errors());
  if (!absl::GetFlag(FLAGS_json).empty()) {
    std::ofstream(absl::GetFlag(FLAGS_json)) << absl::StrFormat(
        R"({"mode":"%s","inflight":%d,"rate":%.1f,"seconds":%.2f,"qps":%.1f,"median_us":%.1f,"p99_us":%.1f,"errors":%d})"
        "\n",
        rate == 0 ? "closed" : "open", inflight, rate, elapsed, qps,
        summary.median_us, summary.p99_us, load.errors());
  }
  return load.errors() == 0 ? 0 : 1;
}
