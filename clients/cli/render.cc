#include "clients/cli/render.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
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

std::string Unescape(std::string html) {
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

void Field(std::string* out, const char* label, const std::string& value) {
  if (!value.empty()) absl::StrAppendFormat(out, "  %-12s %s\n", label, value);
}

}  // namespace

std::string PresenterList(const v1::Session& session) {
  std::vector<std::string> people;
  for (const v1::Presenter& presenter : session.presenters()) {
    std::string person = presenter.name();
    if (!presenter.nickname().empty()) {
      absl::StrAppend(&person, " \"", presenter.nickname(), "\"");
    }
    if (!presenter.affiliation().empty()) {
      absl::StrAppend(&person, " (", presenter.affiliation(), ")");
    }
    people.push_back(std::move(person));
  }
  return absl::StrJoin(people, ", ");
}

std::string RenderSearch(const v1::SearchResponse& response,
                         const RenderOptions& options) {
  if (response.hits().empty()) return "no results\n";
  constexpr int kRank = 3, kDate = 10, kGroup = 16, kVenue = 15;
  const int fixed = kRank + kDate + kGroup + kVenue + 5 * 2;
  const int flexible = std::max(30, options.width - fixed);
  const int title_width = flexible * 3 / 5;
  const int people_width = flexible - title_width;
  std::string out =
      absl::StrCat(Fit("#", kRank), "  ", Fit("DATE", kDate), "  ",
                   Fit("GROUP", kGroup), "  ", Fit("VENUE", kVenue), "  ",
                   Fit("TITLE", title_width), "  ", "PRESENTERS\n");
  for (const v1::SearchHit& hit : response.hits()) {
    const v1::Session& session = hit.session();
    std::string people = Fit(PresenterList(session), people_width);
    people.erase(people.find_last_not_of(' ') + 1);
    absl::StrAppend(&out, Fit(absl::StrCat(hit.rank()), kRank), "  ",
                    Fit(session.date(), kDate), "  ",
                    Fit(session.group(), kGroup), "  ",
                    Fit(VenueOf(session), kVenue), "  ",
                    Fit(TitleOf(session), title_width), "  ", people, "\n");
    if (!hit.snippet().empty()) {
      absl::StrAppend(&out, std::string(kRank + 2, ' '),
                      Highlight(hit.snippet(), options.ansi), "\n");
    }
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
    absl::StrAppend(&out, "; next page: --page_token ",
                    response.next_page_token());
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
    Field(&out, "Presenters:",
          session.presenters().empty() ? "(none yet)" : PresenterList(session));
    Field(&out, "Slides:", session.links().slides());
    Field(&out, "Q&A summary:", session.links().qa_summary());
    Field(&out, "Video:", session.links().video());
    Field(&out, "Markers:", absl::StrJoin(session.markers(), " "));
    Field(&out, "Source:",
          absl::StrCat(session.source().file(), ":", session.source().line()));
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

}  // namespace lectern::cli
