#include "service/web/web_assets.h"

#include <map>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/strip.h"

namespace lectern {
namespace {

absl::string_view ContentTypeOf(absl::string_view name) {
  if (absl::EndsWith(name, ".html")) return "text/html; charset=utf-8";
  if (absl::EndsWith(name, ".js")) return "text/javascript; charset=utf-8";
  if (absl::EndsWith(name, ".css")) return "text/css; charset=utf-8";
  if (absl::EndsWith(name, ".svg")) return "image/svg+xml";
  if (absl::EndsWith(name, ".png")) return "image/png";
  return "application/octet-stream";
}

const std::map<std::string, WebAsset, std::less<>>& AssetsByName() {
  static const auto* assets = [] {
    auto* map = new std::map<std::string, WebAsset, std::less<>>;
    for (int i = 0; i < kEmbeddedWebFileCount; ++i) {
      const EmbeddedFile& file = kEmbeddedWebFiles[i];
      (*map)[file.name] =
          WebAsset{ContentTypeOf(file.name),
                   absl::string_view(reinterpret_cast<const char*>(file.data),
                                     file.size)};
    }
    return map;
  }();
  return *assets;
}

}  // namespace

const WebAsset* FindWebAsset(absl::string_view path) {
  absl::string_view name;
  if (path == "/" || path == "/index.html") {
    name = "index.html";
  } else if (absl::ConsumePrefix(&path, "/assets/") && path != "index.html") {
    name = path;
  } else {
    return nullptr;
  }
  const auto& assets = AssetsByName();
  const auto found = assets.find(name);
  return found == assets.end() ? nullptr : &found->second;
}

}  // namespace lectern
