// Fuzz target: BibTeX catalogs (DBLP-style @inproceedings{...} entries).
// Checks: fuzz/catalog_fuzzer.h.
#include <cstddef>
#include <cstdint>

#include "fuzz/catalog_fuzzer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lectern::fuzz::FuzzCatalog(lectern::v1::CATALOG_FORMAT_BIBTEX, data, size);
  return 0;
}
