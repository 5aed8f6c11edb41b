// Text rendering of lectern's responses for people: tables and detail
// views. Pure functions.
#ifndef LECTERN_CLIENTS_CLI_RENDER_H_
#define LECTERN_CLIENTS_CLI_RENDER_H_

#include <string>

#include "absl/strings/string_view.h"
#include "lectern/v1/lectern.pb.h"

namespace lectern::cli {

struct RenderOptions {
  // Terminal width to fit tables into.
  int width = 100;
  // Highlight matches with ANSI bold (a terminal) or «…» (anything else).
  bool ansi = false;
};

// The hits as a table, then the facet counts and the paging footer. `query`
// is the query as the user typed it, for saying what a corrected query
// replaced.
std::string RenderSearch(const v1::SearchResponse& response,
                         const RenderOptions& options,
                         absl::string_view query = "");
std::string RenderSessions(const v1::GetSessionResponse& response);
std::string RenderPaper(const v1::GetPaperResponse& response,
                        const RenderOptions& options);
std::string RenderStats(const v1::GetStatsResponse& response);

// "Jiaan Zhu "Andy", Mingxuan Liu (NPU, ...)".
std::string PresenterList(const v1::Session& session);

}  // namespace lectern::cli

#endif  // LECTERN_CLIENTS_CLI_RENDER_H_
