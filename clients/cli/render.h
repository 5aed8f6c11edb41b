// Text rendering of lectern's responses for people: tables and detail
// views. Pure functions.
#ifndef LECTERN_CLIENTS_CLI_RENDER_H_
#define LECTERN_CLIENTS_CLI_RENDER_H_

#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "lectern/v1/lectern.pb.h"

namespace lectern::cli {

// `message` in protobuf's JSON mapping, indented (--json output).
std::string RenderJson(const google::protobuf::Message& message);

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
// A group's timeline: one line per session or open date, the open ones
// marked, with the other groups that presented the same paper.
std::string RenderSchedule(const v1::GetScheduleResponse& response,
                           const RenderOptions& options);
std::string RenderPaper(const v1::GetPaperResponse& response,
                        const RenderOptions& options);
std::string RenderStats(const v1::GetStatsResponse& response);

// A header with the group and the number of open dates, then one line per
// date: "2024-12-24  Tue  Yinhe Chen  (listed)", "no presenter yet" when
// nobody is assigned, "(by cadence)" for a date the group's cadence adds.
// `request` names the group and the bounds asked for.
std::string RenderOpenDates(const v1::ListOpenDatesRequest& request,
                            const v1::ListOpenDatesResponse& response);

// Per date, a header ("2024-12-24 (Tue) · presenter Yinhe Chen · 123
// eligible papers") and the numbered candidates with their explanations
// wrapped to `options.width`; with SuggestRequest.explain, each date's
// verdict on the paper and every rule as "✓ rule: detail" or "✗ rule:
// detail". Rejected papers the catalog does not have are named in a
// closing note.
std::string RenderSuggest(const v1::SuggestResponse& response,
                          const RenderOptions& options);

// The paper and its window, then the numbered related papers, each with
// its venue, similarity, shared terms, and the sessions that presented it
// (marked ★) with their summaries.
std::string RenderRelated(const v1::RelatedWorkResponse& response,
                          const RenderOptions& options);
// The person's counts by role, then one line per session: date, group,
// role, title, "(upcoming)" for one not held yet.
std::string RenderPerson(const v1::GetPersonResponse& response);
// One line per person: last main presentation, days since, sessions by
// role, next session, groups.
std::string RenderPeople(const v1::ListPeopleResponse& response);

// The team as "main + assistants": "Jiaan Zhu "Andy" + Qinghe Wang,
// Mingxuan Liu (NPU, ...)"; a single name when nobody assists.
std::string PresenterList(const v1::Session& session);

}  // namespace lectern::cli

#endif  // LECTERN_CLIENTS_CLI_RENDER_H_
