#include "clients/cli/render.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"

namespace lectern::cli {
namespace {

// Terminal columns of UTF-8 text: wide East Asian characters and emoji
// take two, joiners and variation selectors none.
int Width(const std::string& text) {
  int width = 0;
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    char32_t cp = length == 1 ? lead : lead & (0xFF >> (length + 1));
    for (size_t k = 1; k < length && i + k < text.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    i += length;
    if (cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F)) continue;
    const bool wide =
        (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
        (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
        (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0x1F300 && cp <= 0x1FAFF);
    width += wide ? 2 : 1;
  }
  return width;
}

// `text` cut to `width` columns (with "…") and padded to exactly that.
std::string Fit(const std::string& text, int width) {
  if (Width(text) <= width) {
    return text + std::string(width - Width(text), ' ');
  }
  std::string out;
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    const std::string next = text.substr(i, length);
    if (Width(out) + Width(next) > width - 1) break;
    out += next;
    i += length;
  }
  out += "…";
  return out + std::string(std::max(0, width - Width(out)), ' ');
}

std::string Unescape(absl::string_view html) {
  return absl::StrReplaceAll(html, {{"&lt;", "<"},
                                    {"&gt;", ">"},
                                    {"&quot;", "\""},
                                    {"&#39;", "'"},
                                    {"&amp;", "&"}});
}

std::string Highlight(const std::string& snippet, bool ansi) {
  const std::string text =
      absl::StrReplaceAll(snippet, {{"<mark>", ansi ? "\x1b[1;33m" : "«"},
                                    {"</mark>", ansi ? "\x1b[0m" : "»"}});
  return Unescape(text);
}

std::string VenueOf(const v1::Session& session) {
  if (!session.has_paper() || session.paper().venue().empty()) return "";
  return absl::StrCat(session.paper().venue(), " ", session.paper().year());
}

std::string TitleOf(const v1::Session& session) {
  switch (session.kind()) {
    case v1::SESSION_KIND_OPEN:
      return "(open slot)";
    case v1::SESSION_KIND_TALK:
      return absl::StrCat(session.title(), " [talk]");
    default:
      return session.title();
  }
}

std::string LongDate(const std::string& iso) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(iso, &day)) return iso;
  static constexpr const char* kWeekdays[] = {
      "Monday", "Tuesday",  "Wednesday", "Thursday",
      "Friday", "Saturday", "Sunday"};
  return absl::StrCat(kWeekdays[static_cast<int>(absl::GetWeekday(day))], " ",
                      iso);
}

// "Tue" for a YYYY-MM-DD date; empty when the text is not a date.
std::string ShortWeekday(const std::string& iso) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(iso, &day)) return "";
  static constexpr const char* kWeekdays[] = {"Mon", "Tue", "Wed", "Thu",
                                              "Fri", "Sat", "Sun"};
  return kWeekdays[static_cast<int>(absl::GetWeekday(day))];
}

// "2024-12-24 (Tue)".
std::string DateWithWeekday(const std::string& iso) {
  const std::string weekday = ShortWeekday(iso);
  return weekday.empty() ? iso : absl::StrCat(iso, " (", weekday, ")");
}

// `text` in lines of at most `width` columns, broken at spaces; a word
// wider than `width` gets a line of its own.
std::vector<std::string> WrapWords(absl::string_view text, int width) {
  std::vector<std::string> lines;
  std::string line;
  for (absl::string_view word : absl::StrSplit(text, ' ')) {
    if (!line.empty() && Width(line) + 1 + Width(std::string(word)) > width) {
      lines.push_back(std::move(line));
      line.clear();
    }
    absl::StrAppend(&line, line.empty() ? "" : " ", word);
  }
  if (!line.empty()) lines.push_back(std::move(line));
  return lines;
}

// `text` wrapped to `width` columns in all: the first line after `first`,
// the others after `rest` (as wide as `first`). Line breaks in `text` are
// kept.
void AppendWrapped(std::string* out, absl::string_view text,
                   const std::string& first, const std::string& rest,
                   int width) {
  const int room = std::max(20, width - Width(rest));
  bool at_first = true;
  for (absl::string_view paragraph : absl::StrSplit(text, '\n')) {
    std::vector<std::string> lines = WrapWords(paragraph, room);
    if (lines.empty()) lines.emplace_back();
    for (const std::string& line : lines) {
      std::string prefix = at_first ? first : rest;
      at_first = false;
      if (line.empty()) prefix.erase(prefix.find_last_not_of(' ') + 1);
      absl::StrAppend(out, prefix, line, "\n");
    }
  }
}

// A session's team split by role (no role counts as main), each person as
// `format` writes them.
struct TeamParts {
  std::vector<std::string> main, assist;
};
template <typename Format>
TeamParts SplitTeam(
    const google::protobuf::RepeatedPtrField<v1::Presenter>& presenters,
    Format format) {
  TeamParts parts;
  for (const v1::Presenter& presenter : presenters) {
    (presenter.role() == v1::PRESENTER_ROLE_ASSIST ? parts.assist : parts.main)
        .push_back(format(presenter));
  }
  return parts;
}

// The team as "main + assistants": "Chaoyi Ruan + Kunzhao Xu, Bosen Yang".
template <typename Format>
std::string Team(
    const google::protobuf::RepeatedPtrField<v1::Presenter>& presenters,
    Format format) {
  const TeamParts parts = SplitTeam(presenters, format);
  std::string out = absl::StrJoin(parts.main, ", ");
  if (!parts.assist.empty()) {
    absl::StrAppend(&out, parts.main.empty() ? "" : " + ",
                    absl::StrJoin(parts.assist, ", "));
  }
  return out;
}

std::string NameOf(const v1::Presenter& presenter) { return presenter.name(); }

// "Yinhe Chen + Jiaan Zhu": names only.
std::string PresenterNames(
    const google::protobuf::RepeatedPtrField<v1::Presenter>& presenters) {
  return Team(presenters, NameOf);
}

// "main presenter", "assistant".
const char* RoleLabel(v1::PresenterRole role) {
  return role == v1::PRESENTER_ROLE_ASSIST ? "assistant" : "main presenter";
}

// "OSDI 2024", or whichever of the two is known.
std::string VenueYear(const v1::Paper& paper) {
  std::vector<std::string> parts;
  if (!paper.venue().empty()) parts.push_back(paper.venue());
  if (paper.year() != 0) parts.push_back(absl::StrCat(paper.year()));
  return absl::StrJoin(parts, " ");
}

// "1 eligible paper", "3 eligible papers".
std::string Counted(int count, const char* singular, const char* plural) {
  return absl::StrCat(count, " ", count == 1 ? singular : plural);
}

void Field(std::string* out, const char* label, const std::string& value) {
  if (!value.empty()) absl::StrAppendFormat(out, "  %-12s %s\n", label, value);
}

// "2024-10-15 fall-2024 by Zongqing Wei": names only, to stay on one line.
std::string Presentation(const v1::Session& session) {
  std::string out = absl::StrCat(session.date(), " ", session.group());
  if (!session.presenters().empty()) {
    absl::StrAppend(&out, " by ", PresenterNames(session.presenters()));
  }
  return out;
}

// "venue" for FACET_VENUE, from the enum's name so that a facet added to
// the proto later is labelled too.
std::string FacetLabel(v1::Facet facet) {
  const std::string& name = v1::Facet_Name(facet);
  if (name.empty()) return absl::StrCat("facet ", static_cast<int>(facet));
  return absl::AsciiStrToLower(absl::StripPrefix(name, "FACET_"));
}

// One line per facet: "venue:     OSDI 20 · SOSP 10  (+4 more)".
std::string RenderFacets(const v1::SearchResponse& response) {
  std::string out;
  for (const v1::FacetResult& facet : response.facets()) {
    std::vector<std::string> counts;
    for (const v1::FacetCount& count : facet.values()) {
      counts.push_back(absl::StrCat(count.value(), " ", count.count()));
    }
    std::string line = counts.empty() ? "(none)" : absl::StrJoin(counts, " · ");
    if (facet.distinct() > facet.values_size()) {
      absl::StrAppend(&line, "  (+", facet.distinct() - facet.values_size(),
                      " more)");
    }
    absl::StrAppendFormat(&out, "%-10s %s\n",
                          absl::StrCat(FacetLabel(facet.facet()), ":"), line);
  }
  return out;
}

}  // namespace

// "Jiaan Zhu "Andy" (NPU)": the name, nickname and affiliation.
std::string Describe(const v1::Presenter& presenter) {
  std::string person = presenter.name();
  if (!presenter.nickname().empty()) {
    absl::StrAppend(&person, " \"", presenter.nickname(), "\"");
  }
  if (!presenter.affiliation().empty()) {
    absl::StrAppend(&person, " (", presenter.affiliation(), ")");
  }
  return person;
}

std::string PresenterList(const v1::Session& session) {
  return Team(session.presenters(), Describe);
}

std::string RenderSearch(const v1::SearchResponse& response,
                         const RenderOptions& options,
                         absl::string_view query) {
  std::string out;
  if (!response.corrected_query().empty()) {
    absl::StrAppend(&out, "did you mean: ", response.corrected_query(), "\n");
    if (response.ran_corrected_query()) {
      absl::StrAppend(&out, "showing results for ", response.corrected_query(),
                      " (nothing matched ", query, ")\n");
    }
    out += "\n";
  }
  if (response.hits().empty()) {
    out += "no results\n";
    // The counts still show which other values of a filter would match.
    if (!response.facets().empty()) {
      absl::StrAppend(&out, "\n", RenderFacets(response));
    }
    return out;
  }
  constexpr int kRank = 3, kType = 7, kDate = 10, kGroup = 16, kVenue = 15;
  const int fixed = kRank + kType + kDate + kGroup + kVenue + 6 * 2;
  const int flexible = std::max(30, options.width - fixed);
  const int title_width = flexible * 3 / 5;
  const int who_width = flexible - title_width;
  absl::StrAppend(&out, Fit("#", kRank), "  ", Fit("TYPE", kType), "  ",
                  Fit("DATE", kDate), "  ", Fit("GROUP", kGroup), "  ",
                  Fit("VENUE", kVenue), "  ", Fit("TITLE", title_width), "  ",
                  "PRESENTERS / PRESENTED\n");
  const std::string indent(kRank + 2, ' ');
  for (const v1::SearchHit& hit : response.hits()) {
    std::string type, date, group, venue, title, who, links;
    switch (hit.type()) {
      case v1::DOCUMENT_TYPE_PAPER: {
        const v1::Paper& paper = hit.paper();
        type = "paper";
        venue = absl::StrCat(paper.venue(), " ", paper.year());
        title = paper.title();
        std::vector<std::string> presented, by_whom;
        bool named = false;
        for (const v1::Session& session : hit.linked_sessions()) {
          presented.push_back(
              absl::StrCat(session.date(), " ", session.group()));
          by_whom.push_back(Presentation(session));
          named = named || !session.presenters().empty();
        }
        who = presented.empty() ? "never presented"
                                : "presented " + absl::StrJoin(presented, ", ");
        links = absl::StrCat("paper ", paper.id());
        // The column is narrow and has no room for names; the link line
        // says who presented it, unless that would only repeat the column.
        if (named) {
          absl::StrAppend(&links, " · presented ",
                          absl::StrJoin(by_whom, "; "));
        }
        break;
      }
      case v1::DOCUMENT_TYPE_SUMMARY: {
        const v1::Summary& summary = hit.summary();
        type = "summary";
        date = summary.date();
        group = summary.group();
        if (hit.has_linked_paper()) {
          venue = absl::StrCat(hit.linked_paper().venue(), " ",
                               hit.linked_paper().year());
        }
        title = summary.title();
        who = absl::StrCat("Q&A summary (", summary.language(), ")");
        links = absl::StrCat("summary of session ", summary.session_id());
        break;
      }
      default: {
        const v1::Session& session = hit.session();
        type = "session";
        date = session.date();
        group = session.group();
        venue = VenueOf(session);
        title = TitleOf(session);
        who = PresenterList(session);
        if (hit.has_linked_paper()) {
          links = absl::StrCat("paper ", hit.linked_paper().id());
        }
        if (hit.linked_summaries_size() > 0) {
          absl::StrAppend(
              &links, links.empty() ? "" : " · ", hit.linked_summaries_size(),
              hit.linked_summaries_size() == 1 ? " summary" : " summaries");
        }
        break;
      }
    }
    if (hit.collapsed() > 0) {
      absl::StrAppend(&links, links.empty() ? "" : " · ", "+", hit.collapsed(),
                      " more of this paper");
    }
    std::string who_cell = Fit(who, who_width);
    who_cell.erase(who_cell.find_last_not_of(' ') + 1);
    absl::StrAppend(&out, Fit(absl::StrCat(hit.rank()), kRank), "  ",
                    Fit(type, kType), "  ", Fit(date, kDate), "  ",
                    Fit(group, kGroup), "  ", Fit(venue, kVenue), "  ",
                    Fit(title, title_width), "  ", who_cell, "\n");
    if (!hit.snippet().empty()) {
      absl::StrAppend(&out, indent, Highlight(hit.snippet(), options.ansi),
                      "\n");
    }
    if (!links.empty()) absl::StrAppend(&out, indent, "→ ", links, "\n");
  }
  if (!response.facets().empty()) {
    absl::StrAppend(&out, "\n", RenderFacets(response));
  }
  const int first = response.hits(0).rank();
  const int last = response.hits(response.hits_size() - 1).rank();
  if (first == last && response.total_estimate() == 1) {
    absl::StrAppend(&out, "\n1 result");
  } else {
    absl::StrAppend(&out, "\n", first, "–", last, " of about ",
                    response.total_estimate(), " results");
  }
  if (!response.next_page_token().empty()) {
    // With '=': a token may begin with '-', which must not read as a flag.
    absl::StrAppend(&out,
                    "; next page: --page_token=", response.next_page_token());
  }
  absl::StrAppend(&out, "\n");
  return out;
}

std::string RenderSessions(const v1::GetSessionResponse& response) {
  std::string out;
  const v1::Group& group = response.group();
  for (const v1::Session& session : response.sessions()) {
    if (!out.empty()) out += "\n";
    absl::StrAppend(&out, LongDate(session.date()), " · ", group.display_name(),
                    " (", session.group(), ")", " · session ", session.id(),
                    "\n");
    switch (session.kind()) {
      case v1::SESSION_KIND_OPEN:
        Field(&out, "Kind:", "open slot (no paper yet)");
        break;
      case v1::SESSION_KIND_TALK:
        Field(&out, "Talk:", session.title());
        break;
      default:
        Field(&out, "Paper:", session.title());
        break;
    }
    if (session.has_paper()) {
      const v1::PaperRef& paper = session.paper();
      std::string venue = VenueOf(session);
      if (!paper.venue_note().empty()) {
        absl::StrAppend(&venue, " (", paper.venue_note(), ")");
      }
      Field(&out, "Venue:", venue);
      Field(&out, "URL:", paper.url());
      Field(&out, "DOI:", paper.doi());
    }
    Field(&out, "Catalog:", session.paper().paper_id());
    // The 1+N team: who presents, who assists with preparation and Q&A.
    const TeamParts team = SplitTeam(session.presenters(), Describe);
    Field(&out, "Presenter:",
          session.presenters().empty()
              ? "(none yet)"
              : absl::StrCat(absl::StrJoin(team.main, ", "),
                             team.assist.empty() ? "" : " (main)"));
    if (!team.assist.empty()) {
      Field(&out, "Assisting:",
            absl::StrCat(absl::StrJoin(team.assist, ", "),
                         " (preparation, Q&A)"));
    }
    Field(&out, "Slides:", session.links().slides());
    Field(&out, "Q&A summary:", session.links().qa_summary());
    Field(&out, "Video:", session.links().video());
    Field(&out, "Markers:", absl::StrJoin(session.markers(), " "));
    for (const v1::Summary& summary : response.summaries()) {
      if (summary.session_id() != session.id()) continue;
      Field(&out, "Summary:",
            absl::StrCat(summary.id(), " (", summary.language(), ") ",
                         summary.title()));
    }
    Field(&out, "Source:",
          absl::StrCat(session.source().file(), ":", session.source().line()));
  }
  return out;
}

std::string RenderPaper(const v1::GetPaperResponse& response,
                        const RenderOptions& options) {
  const v1::Paper& paper = response.paper();
  std::string out =
      absl::StrCat(paper.id(), " · ", paper.venue(), " ", paper.year(), "\n");
  Field(&out, "Title:", paper.title());
  Field(&out, "Authors:", absl::StrJoin(paper.authors(), ", "));
  Field(&out, "URL:", paper.url());
  Field(&out, "DOI:", paper.doi());
  if (response.sessions().empty()) {
    Field(&out, "Presented:", "not presented yet");
  }
  for (int i = 0; i < response.sessions_size(); ++i) {
    const v1::Session& session = response.sessions(i);
    Field(&out, i == 0 ? "Presented:" : "",
          absl::StrCat(session.date(), " ", session.group(), " (",
                       PresenterList(session), ")"));
  }
  for (int i = 0; i < response.summaries_size(); ++i) {
    const v1::Summary& summary = response.summaries(i);
    Field(&out, i == 0 ? "Summaries:" : "",
          absl::StrCat(summary.id(), " (", summary.language(), ") ",
                       summary.title()));
  }
  if (!paper.abstract().empty()) {
    // Wrapped to the terminal, under the labels' column.
    const int width = std::max(40, options.width - 15);
    bool first = true;
    for (const std::string& line : WrapWords(paper.abstract(), width)) {
      Field(&out, first ? "Abstract:" : "", line);
      first = false;
    }
  }
  return out;
}

std::string RenderStats(const v1::GetStatsResponse& response) {
  std::string out = absl::StrFormat(
      "index revision %d: %d documents (%d sessions, %d papers, %d summaries), "
      "%d people\n\n",
      response.revision(), response.documents(), response.sessions(),
      response.papers(), response.summaries(), response.people());
  absl::StrAppendFormat(&out, "%-18s %-26s %8s %6s %5s %5s  %-10s  %-10s\n",
                        "GROUP", "NAME", "SESSIONS", "PAPERS", "TALKS", "OPEN",
                        "FROM", "TO");
  for (const v1::GroupStats& group : response.groups()) {
    absl::StrAppendFormat(
        &out, "%-18s %s %8d %6d %5d %5d  %-10s  %-10s\n", group.group().id(),
        Fit(group.group().display_name(), 26), group.sessions(),
        group.paper_sessions(), group.talks(), group.open_slots(),
        group.first_date(), group.last_date());
  }
  return out;
}

std::string RenderSchedule(const v1::GetScheduleResponse& response,
                           const RenderOptions& options) {
  const v1::Group& group = response.group();
  std::string out = absl::StrCat(group.display_name(), " (", group.id(), ")");
  if (!group.semester().empty()) absl::StrAppend(&out, " · ", group.semester());
  out += "\n";
  struct Row {
    std::string date;
    std::string venue;  // "OSDI 2024", "talk" or "OPEN"
    std::string title;
    std::string who;
    std::string also;  // other groups that presented the paper
  };
  std::vector<Row> rows;
  std::set<std::string> listed;
  for (const v1::ScheduledSession& entry : response.sessions()) {
    const v1::Session& session = entry.session();
    listed.insert(session.date());
    Row row{session.date(), "", session.title(),
            PresenterNames(session.presenters()), ""};
    switch (session.kind()) {
      case v1::SESSION_KIND_OPEN:
        row.venue = "OPEN";
        break;
      case v1::SESSION_KIND_TALK:
        row.venue = "talk";
        break;
      default:
        row.venue =
            absl::StrCat(session.paper().venue(), " ", session.paper().year());
    }
    std::vector<std::string> others;
    for (const v1::Session& other : entry.also_presented()) {
      others.push_back(absl::StrCat(other.group(), " on ", other.date()));
    }
    if (!others.empty()) {
      row.also =
          absl::StrCat("also presented by ", absl::StrJoin(others, ", "));
    }
    rows.push_back(std::move(row));
  }
  for (const v1::OpenDate& open : response.open_dates()) {
    if (listed.count(open.date())) continue;
    rows.push_back({open.date(), "OPEN", "(added by the group's cadence)",
                    PresenterNames(open.presenters()), ""});
  }
  std::sort(rows.begin(), rows.end(),
            [](const Row& a, const Row& b) { return a.date < b.date; });
  int venue_width = 0;
  int who_width = 0;
  for (const Row& row : rows) {
    venue_width = std::max(venue_width, Width(row.venue));
    who_width = std::max(who_width, Width(row.who));
  }
  who_width = std::min(who_width, 32);
  // date, weekday, venue and the gaps between the columns.
  const int fixed = 10 + 2 + 3 + 2 + venue_width + 2 + 2 + who_width;
  const int title_width = std::max(30, options.width - fixed);
  for (const Row& row : rows) {
    std::string line = absl::StrCat(
        Fit(row.date, 10), "  ", Fit(ShortWeekday(row.date), 3), "  ",
        Fit(row.venue, venue_width), "  ", Fit(row.title, title_width), "  ",
        Fit(row.who, who_width));
    absl::StripTrailingAsciiWhitespace(&line);
    absl::StrAppend(&out, line, "\n");
    if (!row.also.empty()) {
      absl::StrAppend(&out, std::string(17, ' '), "↳ ", row.also, "\n");
    }
  }
  return out;
}

std::string RenderOpenDates(const v1::ListOpenDatesRequest& request,
                            const v1::ListOpenDatesResponse& response) {
  std::string bounds;
  if (!request.from().empty())
    absl::StrAppend(&bounds, " from ", request.from());
  if (!request.until().empty()) {
    absl::StrAppend(&bounds, " until ", request.until());
  }
  if (response.open_dates().empty()) {
    return absl::StrCat(request.group(), ": no open dates", bounds, "\n");
  }
  std::string out = absl::StrCat(
      request.group(), ": ",
      Counted(response.open_dates_size(), "open date", "open dates"), bounds,
      "\n");
  std::vector<std::string> who;
  int who_width = 0;
  for (const v1::OpenDate& date : response.open_dates()) {
    who.push_back(date.presenters().empty()
                      ? "no presenter yet"
                      : PresenterNames(date.presenters()));
    who_width = std::max(who_width, Width(who.back()));
  }
  for (int i = 0; i < response.open_dates_size(); ++i) {
    const v1::OpenDate& date = response.open_dates(i);
    absl::StrAppend(&out, Fit(date.date(), 10), "  ",
                    Fit(ShortWeekday(date.date()), 3), "  ",
                    Fit(who[i], who_width), "  ",
                    date.listed() ? "(listed)" : "(by cadence)", "\n");
  }
  return out;
}

std::string RenderSuggest(const v1::SuggestResponse& response,
                          const RenderOptions& options) {
  std::string out;
  for (const v1::DateSuggestions& date : response.dates()) {
    if (!out.empty()) out += "\n";
    std::string who = "no presenter yet";
    if (date.presenters_size() == 1) {
      who = absl::StrCat("presenter ", PresenterNames(date.presenters()));
    } else if (date.presenters_size() > 1) {
      who = absl::StrCat("presenters ", PresenterNames(date.presenters()));
    }
    absl::StrAppend(
        &out, DateWithWeekday(date.date()), " · ", who, " · ",
        Counted(date.eligible(), "eligible paper", "eligible papers"), "\n");
    if (date.candidates().empty()) {
      out += date.eligible() == 0 ? "  no paper passes the rules\n"
                                  : "  no candidates\n";
      continue;
    }
    // "  1. " or, with ten or more, " 1. " padded to the widest number.
    const int digits =
        static_cast<int>(absl::StrCat(date.candidates_size()).size());
    const std::string indent(2 + digits + 2, ' ');
    for (int i = 0; i < date.candidates_size(); ++i) {
      const v1::Candidate& candidate = date.candidates(i);
      const v1::Paper& paper = candidate.paper();
      AppendWrapped(&out, paper.title(),
                    absl::StrFormat("  %*d. ", digits, i + 1), indent,
                    options.width);
      std::vector<std::string> facts;
      if (const std::string venue = VenueYear(paper); !venue.empty()) {
        facts.push_back(venue);
      }
      if (!paper.id().empty()) facts.push_back(paper.id());
      facts.push_back(absl::StrFormat("score %.3f", candidate.score()));
      absl::StrAppend(&out, indent, absl::StrJoin(facts, " · "), "\n");
      if (!candidate.explanation().empty()) {
        AppendWrapped(&out, candidate.explanation(), indent, indent,
                      options.width);
      }
      // The server's explanation may already say it.
      if (!candidate.nearest_presented().empty() &&
          !absl::StrContains(candidate.explanation(),
                             candidate.nearest_presented())) {
        AppendWrapped(
            &out,
            absl::StrCat("nearest presented: ", candidate.nearest_presented()),
            indent, indent, options.width);
      }
    }
  }
  for (const v1::PaperExplanation& explanation : response.explanations()) {
    if (!out.empty()) out += "\n";
    const v1::Paper& paper = explanation.paper();
    AppendWrapped(
        &out,
        absl::StrCat(DateWithWeekday(explanation.date()), " · ", paper.title()),
        "", "  ", options.width);
    std::vector<std::string> facts;
    if (const std::string venue = VenueYear(paper); !venue.empty()) {
      facts.push_back(venue);
    }
    if (!paper.id().empty()) facts.push_back(paper.id());
    if (!facts.empty())
      absl::StrAppend(&out, "  ", absl::StrJoin(facts, " · "), "\n");
    if (explanation.eligible()) {
      std::string verdict = "  eligible";
      if (explanation.rank() > 0) {
        absl::StrAppend(&verdict, " (rank ", explanation.rank(), " of ",
                        explanation.eligible_count(), ")");
      }
      absl::StrAppend(&out, verdict, "\n");
    } else {
      std::vector<std::string> failed;
      for (const v1::RuleCheck& rule : explanation.rules()) {
        if (!rule.passed()) failed.push_back(rule.rule());
      }
      absl::StrAppend(
          &out, "  not eligible",
          failed.empty()
              ? ""
              : absl::StrCat(": fails ", absl::StrJoin(failed, ", ")),
          "\n");
    }
    for (const v1::RuleCheck& rule : explanation.rules()) {
      const std::string text =
          rule.detail().empty()
              ? rule.rule()
              : absl::StrCat(rule.rule(), ": ", rule.detail());
      AppendWrapped(&out, text, rule.passed() ? "  ✓ " : "  ✗ ", "    ",
                    options.width);
    }
    if (!explanation.explanation().empty()) {
      AppendWrapped(&out, explanation.explanation(), "  ", "  ", options.width);
    }
  }
  if (out.empty()) out = "no open dates to suggest for\n";
  if (!response.unmatched_rejected().empty()) {
    std::vector<std::string> quoted;
    for (const std::string& entry : response.unmatched_rejected()) {
      quoted.push_back(absl::StrCat("\"", entry, "\""));
    }
    absl::StrAppend(&out, "\nnote: --reject entries not found in the catalog: ",
                    absl::StrJoin(quoted, ", "), "\n");
  }
  return out;
}

std::string RenderRelated(const v1::RelatedWorkResponse& response,
                          const RenderOptions& options) {
  const v1::Paper& paper = response.paper();
  std::string out;
  AppendWrapped(&out, absl::StrCat("Related work for ", paper.title()), "",
                "  ", options.width);
  std::vector<std::string> facts;
  if (const std::string venue = VenueYear(paper); !venue.empty()) {
    facts.push_back(venue);
  }
  facts.push_back(paper.id().empty() ? "not in the catalog" : paper.id());
  absl::StrAppend(&out, "  ", absl::StrJoin(facts, " · "), "\n");
  for (const v1::Session& session : response.sessions()) {
    absl::StrAppend(&out, "  presented ", Presentation(session), "\n");
  }
  if (!response.key_terms().empty()) {
    AppendWrapped(&out, absl::StrJoin(response.key_terms(), ", "),
                  "  key terms: ", "             ", options.width);
  }
  absl::StrAppend(
      &out, "  published ", response.year_from(), "–", response.year_to(),
      " · ", Counted(response.candidates(), "catalog paper", "catalog papers"),
      " in that window\n");
  if (response.related().empty()) {
    out += "\n  no related paper found\n";
    return out;
  }
  const int digits =
      static_cast<int>(absl::StrCat(response.related_size()).size());
  const std::string indent(2 + digits + 2, ' ');
  for (int i = 0; i < response.related_size(); ++i) {
    const v1::RelatedPaper& related = response.related(i);
    out += "\n";
    AppendWrapped(&out, related.paper().title(),
                  absl::StrFormat("  %*d. ", digits, i + 1), indent,
                  options.width);
    std::vector<std::string> line = {VenueYear(related.paper()),
                                     related.paper().id()};
    line.push_back(absl::StrFormat("similarity %.2f", related.similarity()));
    absl::StrAppend(&out, indent, absl::StrJoin(line, " · "), "\n");
    if (!related.evidence().empty()) {
      AppendWrapped(&out, absl::StrJoin(related.evidence(), ", "),
                    absl::StrCat(indent, "shared: "), indent + "        ",
                    options.width);
    }
    for (const v1::Session& session : related.sessions()) {
      AppendWrapped(&out, Presentation(session),
                    absl::StrCat(indent, "★ presented "), indent + "  ",
                    options.width);
    }
    for (const v1::SummaryRef& summary : related.summaries()) {
      AppendWrapped(
          &out,
          absl::StrCat(summary.title(), " (", summary.language(), ")",
                       summary.url().empty() ? "" : " ", summary.url()),
          absl::StrCat(indent, "  summary: "), indent + "    ", options.width);
    }
  }
  return out;
}

std::string RenderPerson(const v1::GetPersonResponse& response) {
  const v1::PersonRecord& person = response.person();
  std::string out = absl::StrCat(person.name(), " · ",
                                 absl::StrJoin(person.groups(), ", "), "\n");
  Field(&out, "Presented:",
        absl::StrCat(Counted(person.main_sessions(), "session", "sessions"),
                     person.last_main().empty()
                         ? ""
                         : absl::StrCat(", last on ", person.last_main())));
  Field(&out, "Assisted:",
        absl::StrCat(Counted(person.assist_sessions(), "session", "sessions"),
                     person.last_assist().empty()
                         ? ""
                         : absl::StrCat(", last on ", person.last_assist())));
  if (!person.next_session().empty()) {
    Field(&out, "Next:",
          absl::StrCat(person.next_session(), " as ",
                       RoleLabel(person.next_role())));
  }
  out += "\n";
  for (const v1::PersonSession& entry : response.sessions()) {
    const v1::Session& session = entry.session();
    absl::StrAppendFormat(
        &out, "  %s  %-16s %-15s %s%s\n", session.date(), session.group(),
        RoleLabel(entry.role()),
        session.title().empty() ? "(open slot)" : session.title(),
        entry.held() ? "" : "  (upcoming)");
  }
  return out;
}

std::string RenderPeople(const v1::ListPeopleResponse& response) {
  std::string out =
      absl::StrCat("as of ", response.as_of(),
                   ": longest since their last main presentation first\n\n");
  absl::StrAppendFormat(&out, "%-22s %-11s %6s %5s %6s  %-11s %s\n", "NAME",
                        "LAST MAIN", "DAYS", "MAIN", "ASSIST", "NEXT",
                        "GROUPS");
  for (const v1::PersonRecord& person : response.people()) {
    const std::string line = absl::StrFormat(
        "%s %-11s %6s %5d %6d  %-11s %s", Fit(person.name(), 22),
        person.last_main().empty() ? "never" : person.last_main(),
        person.days_since_main() < 0 ? "-"
                                     : absl::StrCat(person.days_since_main()),
        person.main_sessions(), person.assist_sessions(),
        person.next_session().empty() ? "-" : person.next_session(),
        absl::StrJoin(person.groups(), ","));
    absl::StrAppend(&out, line, "\n");
  }
  return out;
}

std::string RenderJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

}  // namespace lectern::cli
