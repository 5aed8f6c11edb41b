// Progress of long work for people: phase, count, rate and ETA, redrawn in
// place on a terminal and reduced to start and end lines elsewhere.
// Not thread-safe; one meter per run.
#ifndef LECTERN_INDEXER_PROGRESS_H_
#define LECTERN_INDEXER_PROGRESS_H_

#include <cstddef>
#include <cstdio>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace lectern {

// "writing 6,000/13,090 (45%) · 2,310/s · ETA 4s"; without a total,
// "reading catalogs 6,000 · 2,310/s". The percentage rounds down (100% only
// when done) and the ETA up.
std::string FormatProgress(absl::string_view phase, size_t done, size_t total,
                           absl::Duration elapsed);

// "13,090".
std::string WithThousands(size_t n);

class ProgressMeter {
 public:
  // `interactive`: `out` is a terminal, so redraw one line at most ten
  // times a second; otherwise print one line when a phase starts and one
  // when it ends.
  ProgressMeter(std::FILE* out, bool interactive)
      : out_(out), interactive_(interactive) {}

  void Update(absl::string_view phase, size_t done, size_t total);

  // Ends the current phase's line.
  void Finish();

 private:
  std::FILE* out_;
  bool interactive_;
  std::string phase_;
  size_t done_ = 0;
  size_t total_ = 0;
  absl::Time phase_start_;
  absl::Time last_draw_ = absl::InfinitePast();
};

}  // namespace lectern

#endif  // LECTERN_INDEXER_PROGRESS_H_
