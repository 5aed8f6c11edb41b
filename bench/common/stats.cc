#include "bench/common/stats.h"

#include <algorithm>
#include <cmath>

namespace lectern::bench {

double Quantile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  const size_t rank = static_cast<size_t>(
      std::max(1.0, std::ceil(p * static_cast<double>(values.size()))));
  const auto nth = values.begin() + (rank - 1);
  std::nth_element(values.begin(), nth, values.end());
  return *nth;
}

Latency Summarize(const std::vector<double>& wall_us,
                  const std::vector<double>& cpu_us) {
  Latency latency;
  latency.samples = wall_us.size();
  latency.median_us = Median(wall_us);
  latency.p99_us = Quantile(wall_us, 0.99);
  latency.cpu_median_us = Median(cpu_us);
  return latency;
}

}  // namespace lectern::bench
