// Where the tests find the project's files and built programs; CMake passes
// them in as compile definitions.
#ifndef LECTERN_TESTS_TESTING_PATHS_H_
#define LECTERN_TESTS_TESTING_PATHS_H_

#include <string>

namespace lectern::testing {

// Repository root.
inline std::string SourceDir() { return LECTERN_SOURCE_DIR; }
// The bundled config, data/lectern.textproto.
inline std::string BundledConfig() {
  return SourceDir() + "/data/lectern.textproto";
}
inline std::string TestData(const std::string& name) {
  return SourceDir() + "/tests/testdata/" + name;
}
inline std::string LecterndPath() { return LECTERN_LECTERND_PATH; }
inline std::string IndexerPath() { return LECTERN_INDEXER_PATH; }
inline std::string EvalPath() { return LECTERN_EVAL_PATH; }

}  // namespace lectern::testing

#endif  // LECTERN_TESTS_TESTING_PATHS_H_
