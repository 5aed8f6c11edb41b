// Fuzz target: JSON Lines catalogs (one {"title": ..., "authors": [...]} object
// a line). Checks: fuzz/catalog_fuzzer.h.
#include <cstddef>
#include <cstdint>

#include "fuzz/catalog_fuzzer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lectern::fuzz::FuzzCatalog(lectern::v1::CATALOG_FORMAT_JSONL, data, size);
  return 0;
}
