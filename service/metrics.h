// Request counters and latency histograms of lecternd, rendered in the
// Prometheus text exposition format 0.0.4 (what `GET /metrics` serves).
//
//   Metrics metrics;
//   metrics.Record("Search", absl::StatusCode::kOk, absl::Milliseconds(3));
//   std::string text = metrics.RenderPrometheus(IndexGauges{.documents = 645});
//
// The families:
//   lectern_requests_total{method,code}              counter
//   lectern_request_duration_seconds{method,le}      histogram
//   lectern_index_documents                          gauge
//   lectern_index_revision                           gauge
//   lectern_index_last_commit_timestamp_seconds      gauge (when known)
//
// Thread-safe: Record and RenderPrometheus may be called from any thread.
// No gRPC here; the service reports its calls with absl::StatusCode (the
// numeric codes are gRPC's).
#ifndef LECTERN_SERVICE_METRICS_H_
#define LECTERN_SERVICE_METRICS_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace lectern {

// What the index holds, as GetStats reports it.
struct IndexGauges {
  int64_t documents = 0;
  uint64_t revision = 0;
  // RFC 3339 time of the revision's commit; empty (or unparsable) leaves
  // lectern_index_last_commit_timestamp_seconds out.
  std::string committed_at;
};

class Metrics {
 public:
  // Upper bounds (seconds) of the latency histogram buckets, ascending;
  // a +Inf bucket follows them.
  static constexpr std::array<double, 14> kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
      0.1,    0.25,  0.5,    1,     2.5,  5,     10};

  Metrics() = default;
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Counts one finished call: its method name as logged ("Search",
  // "UpsertSession"), its status code and how long it took (a negative
  // latency counts as 0).
  void Record(absl::string_view method, absl::StatusCode code,
              absl::Duration latency);

  // Everything recorded so far plus the index gauges, in the Prometheus
  // text format 0.0.4 with # HELP and # TYPE lines. Series are sorted by
  // method, then code name; label values are escaped per the format.
  std::string RenderPrometheus(const IndexGauges& index) const;

  // The same without the index gauges (when they cannot be read).
  std::string RenderPrometheus() const;

 private:
  struct MethodStats {
    // Code name ("OK", "NOT_FOUND") -> calls.
    std::map<std::string, uint64_t> codes;
    // Calls per bucket, not cumulative; the last is +Inf.
    std::array<uint64_t, kBuckets.size() + 1> buckets{};
    double seconds = 0;
    uint64_t count = 0;
  };

  std::string Render(const IndexGauges* index) const;

  mutable absl::Mutex mu_;
  std::map<std::string, MethodStats, std::less<>> methods_ ABSL_GUARDED_BY(mu_);
};

// Escapes a label value for the text format: backslash, double quote and
// newline become \\, \" and \n.
std::string EscapePrometheusLabel(absl::string_view value);

}  // namespace lectern

#endif  // LECTERN_SERVICE_METRICS_H_
