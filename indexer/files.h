// Reading input files whole. Thread-safe.
#ifndef LECTERN_INDEXER_FILES_H_
#define LECTERN_INDEXER_FILES_H_

#include <string>

namespace lectern {

// Reads the regular file at `path` into `contents`, bytes as they are.
// False, and `contents` unspecified, when it is missing, not a regular
// file (a folder reads as empty on Linux) or cannot be read.
bool ReadWholeFile(const std::string& path, std::string* contents);

}  // namespace lectern

#endif  // LECTERN_INDEXER_FILES_H_
