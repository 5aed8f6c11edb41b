#include "indexer/files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace lectern {

bool ReadWholeFile(const std::string& path, std::string* contents) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) return false;
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return false;
  *contents = buffer.str();
  return true;
}

}  // namespace lectern
