#include "service/metrics.h"

#include <charconv>
#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace lectern {
namespace {

// Shortest text that reads back as the same double; "+Inf", "-Inf" and
// "NaN" as the format spells them.
std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[64];
  const auto [end, error] =
      std::to_chars(buffer, buffer + sizeof(buffer), value);
  if (error != std::errc()) return absl::StrCat(value);
  return std::string(buffer, end);
}

std::string CodeName(absl::StatusCode code) {
  std::string name = absl::StatusCodeToString(code);
  if (name.empty()) name = absl::StrCat(static_cast<int>(code));
  return name;
}

void AppendHeader(std::string* out, absl::string_view name,
                  absl::string_view type, absl::string_view help) {
  absl::StrAppend(out, "# HELP ", name, " ", help, "\n", "# TYPE ", name, " ",
                  type, "\n");
}

}  // namespace

std::string EscapePrometheusLabel(absl::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
  return out;
}

void Metrics::Record(absl::string_view method, absl::StatusCode code,
                     absl::Duration latency) {
  const double seconds =
      latency < absl::ZeroDuration() ? 0 : absl::ToDoubleSeconds(latency);
  size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  std::string code_name = CodeName(code);

  absl::MutexLock lock(&mu_);
  auto it = methods_.find(method);
  if (it == methods_.end()) {
    it = methods_.emplace(std::string(method), MethodStats()).first;
  }
  MethodStats& stats = it->second;
  ++stats.codes[std::move(code_name)];
  ++stats.buckets[bucket];
  stats.seconds += seconds;
  ++stats.count;
}

std::string Metrics::RenderPrometheus(const IndexGauges& index) const {
  return Render(&index);
}

std::string Metrics::RenderPrometheus() const { return Render(nullptr); }

std::string Metrics::Render(const IndexGauges* index) const {
  std::string out;
  {
    absl::MutexLock lock(&mu_);
    AppendHeader(&out, "lectern_requests_total", "counter",
                 "Finished gRPC calls by method and status code.");
    for (const auto& [method, stats] : methods_) {
      const std::string label = EscapePrometheusLabel(method);
      for (const auto& [code, count] : stats.codes) {
        absl::StrAppend(&out, "lectern_requests_total{method=\"", label,
                        "\",code=\"", EscapePrometheusLabel(code), "\"} ",
                        count, "\n");
      }
    }
    AppendHeader(&out, "lectern_request_duration_seconds", "histogram",
                 "Latency of finished gRPC calls by method, in seconds.");
    for (const auto& [method, stats] : methods_) {
      const std::string label = EscapePrometheusLabel(method);
      uint64_t cumulative = 0;
      for (size_t i = 0; i < stats.buckets.size(); ++i) {
        cumulative += stats.buckets[i];
        // absl::StrCat prints the bounds as written above ("0.0005", "10").
        const std::string le =
            i < kBuckets.size() ? absl::StrCat(kBuckets[i]) : "+Inf";
        absl::StrAppend(&out,
                        "lectern_request_duration_seconds_bucket{method=\"",
                        label, "\",le=\"", le, "\"} ", cumulative, "\n");
      }
      absl::StrAppend(&out, "lectern_request_duration_seconds_sum{method=\"",
                      label, "\"} ", FormatValue(stats.seconds), "\n");
      absl::StrAppend(&out, "lectern_request_duration_seconds_count{method=\"",
                      label, "\"} ", stats.count, "\n");
    }
  }
  if (index == nullptr) return out;

  AppendHeader(&out, "lectern_index_documents", "gauge",
               "Documents in the index lecternd serves.");
  absl::StrAppend(&out, "lectern_index_documents ", index->documents, "\n");
  AppendHeader(&out, "lectern_index_revision", "gauge",
               "Revision of the index lecternd serves.");
  absl::StrAppend(&out, "lectern_index_revision ", index->revision, "\n");
  absl::Time committed;
  std::string error;
  if (!index->committed_at.empty() &&
      absl::ParseTime(absl::RFC3339_full, index->committed_at, &committed,
                      &error)) {
    AppendHeader(&out, "lectern_index_last_commit_timestamp_seconds", "gauge",
                 "When the served index revision was committed, in seconds "
                 "since the Unix epoch.");
    absl::StrAppend(
        &out, "lectern_index_last_commit_timestamp_seconds ",
        FormatValue(absl::ToDoubleSeconds(committed - absl::UnixEpoch())),
        "\n");
  }
  return out;
}

}  // namespace lectern
