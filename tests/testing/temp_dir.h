// A fresh folder under ::testing::TempDir(), removed with everything in it
// when the object goes away. Each test gets its own, so tests never share
// paths or leave files behind.
#ifndef LECTERN_TESTS_TESTING_TEMP_DIR_H_
#define LECTERN_TESTS_TESTING_TEMP_DIR_H_

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace lectern::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = ::testing::TempDir() + "lectern-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      ADD_FAILURE() << "mkdtemp failed for " << pattern;
    }
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string Path(const std::string& name) const { return path_ + "/" + name; }

  // Writes `content` to `name` inside the folder (creating subfolders) and
  // returns the full path.
  std::string WriteFile(const std::string& name,
                        const std::string& content) const {
    const std::string full = Path(name);
    std::filesystem::create_directories(
        std::filesystem::path(full).parent_path());
    std::ofstream out(full, std::ios::binary | std::ios::trunc);
    out << content;
    return full;
  }

 private:
  std::string path_;
};

// The whole content of a file ("" when unreadable).
inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace lectern::testing

#endif  // LECTERN_TESTS_TESTING_TEMP_DIR_H_
