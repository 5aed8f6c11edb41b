// Order statistics of latency samples.
#ifndef LECTERN_BENCH_COMMON_STATS_H_
#define LECTERN_BENCH_COMMON_STATS_H_

#include <cstddef>
#include <vector>

namespace lectern::bench {

// The nearest-rank `p`-quantile (0 < p <= 1) of `values`: the smallest
// value with at least p of them at or below it. 0 for no values.
double Quantile(std::vector<double> values, double p);

inline double Median(std::vector<double> values) {
  return Quantile(std::move(values), 0.5);
}

struct Latency {
  size_t samples = 0;
  double median_us = 0;
  double p99_us = 0;
  double cpu_median_us = 0;  // thread CPU time
};

// Latency of paired wall-clock and CPU samples, in microseconds.
Latency Summarize(const std::vector<double>& wall_us,
                  const std::vector<double>& cpu_us);

// a / b, or 0 when b is 0.
inline double Ratio(double a, double b) { return b > 0 ? a / b : 0; }

}  // namespace lectern::bench

#endif  // LECTERN_BENCH_COMMON_STATS_H_
