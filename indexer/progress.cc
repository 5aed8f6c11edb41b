#include "indexer/progress.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace lectern {

std::string WithThousands(size_t n) {
  std::string digits = absl::StrCat(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string FormatProgress(absl::string_view phase, size_t done, size_t total,
                           absl::Duration elapsed) {
  std::string out = absl::StrCat(phase, " ", WithThousands(done));
  if (total > 0) {
    absl::StrAppend(&out, "/", WithThousands(total), " (", done * 100 / total,
                    "%)");
  }
  const double seconds = absl::ToDoubleSeconds(elapsed);
  if (seconds > 0 && done > 0) {
    const double rate = done / seconds;
    absl::StrAppend(&out, " · ", WithThousands(static_cast<size_t>(rate)),
                    "/s");
    if (total > done) {
      const double left = (total - done) / rate;
      absl::StrAppend(&out, " · ETA ",
                      absl::FormatDuration(absl::Seconds(std::ceil(left))));
    }
  }
  return out;
}

void ProgressMeter::Update(absl::string_view phase, size_t done, size_t total) {
  const absl::Time now = absl::Now();
  if (phase != phase_) {
    Finish();
    phase_ = std::string(phase);
    phase_start_ = now;
    if (!interactive_) {
      std::fprintf(
          out_, "%s%s…\n", phase_.c_str(),
          total > 0 ? absl::StrCat(" ", WithThousands(total)).c_str() : "");
      std::fflush(out_);
    }
  }
  done_ = done;
  total_ = total;
  if (interactive_ && now - last_draw_ >= absl::Milliseconds(100)) {
    last_draw_ = now;
    std::fprintf(
        out_, "\r\x1b[K%s",
        FormatProgress(phase_, done_, total_, now - phase_start_).c_str());
    std::fflush(out_);
  }
}

void ProgressMeter::Finish() {
  if (phase_.empty()) return;
  const std::string line =
      FormatProgress(phase_, done_, total_, absl::Now() - phase_start_);
  std::fprintf(out_, interactive_ ? "\r\x1b[K%s\n" : "%s\n", line.c_str());
  std::fflush(out_);
  phase_.clear();
}

}  // namespace lectern
