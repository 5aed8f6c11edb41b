// Writing the benchmarks' JSON results by hand: one escaping rule for all.
#ifndef LECTERN_BENCH_COMMON_JSON_H_
#define LECTERN_BENCH_COMMON_JSON_H_

#include <string>

#include "absl/strings/string_view.h"

namespace lectern::bench {

// `text` as a JSON string literal, quotes included.
std::string JsonString(absl::string_view text);

}  // namespace lectern::bench

#endif  // LECTERN_BENCH_COMMON_JSON_H_
