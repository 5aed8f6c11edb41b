// The web page lecternd serves at "/" when its HTTP gateway is on: plain
// HTML, CSS and JavaScript compiled into the binary (embed_assets.cmake),
// so nothing is fetched from anywhere else and no build step runs.
#ifndef LECTERN_SERVICE_WEB_WEB_ASSETS_H_
#define LECTERN_SERVICE_WEB_WEB_ASSETS_H_

#include <cstddef>

#include "absl/strings/string_view.h"

namespace lectern {

// A file of service/web/ as the build embedded it.
struct EmbeddedFile {
  const char* name;  // "app.js"
  const unsigned char* data;
  size_t size;
};

// Defined by the generated web_assets_data.cc.
extern const EmbeddedFile kEmbeddedWebFiles[];
extern const int kEmbeddedWebFileCount;

struct WebAsset {
  absl::string_view content_type;
  absl::string_view body;
};

// The asset served at `path`: "/" (and "/index.html") is the page,
// "/assets/<name>" the other files. nullptr for any other path.
const WebAsset* FindWebAsset(absl::string_view path);

}  // namespace lectern

#endif  // LECTERN_SERVICE_WEB_WEB_ASSETS_H_
