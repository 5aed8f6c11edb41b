#ifndef LECTERN_TESTS_TESTING_TOKENS_H_
#define LECTERN_TESTS_TESTING_TOKENS_H_

// The tokens file tests give lecternd's write API: one writer, one reader.

#include <fstream>
#include <string>

namespace lectern::testing {

inline constexpr char kWriteToken[] = "bot-token-0123456789abcdef";
inline constexpr char kReadToken[] = "viewer-token-0123456789ab";

// Writes a tokens file (--tokens) granting kWriteToken read and write and
// kReadToken read only.
inline void WriteTokenFile(const std::string& path) {
  std::ofstream out(path);
  out << "# name scopes token\n"
      << "bot read,write " << kWriteToken << "\n"
      << "viewer read " << kReadToken << "\n";
}

}  // namespace lectern::testing

#endif  // LECTERN_TESTS_TESTING_TOKENS_H_
