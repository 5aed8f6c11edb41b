// Pieces of schedule text shared by the Markdown and numbered-list parsers:
// venue tokens, presenter lists, marker emoji, Markdown links and the
// semester calendar. Internal to schedule_*.cc; pure and thread-safe.
#ifndef LECTERN_INDEXER_SCHEDULE_TEXT_H_
#define LECTERN_INDEXER_SCHEDULE_TEXT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "lectern/v1/lectern.pb.h"

namespace lectern::schedule_text {

struct VenueYear {
  std::string venue;  // canonical when recognized
  bool recognized = false;
  int year = 0;
  std::string note;  // "under revision" in "under revision in VLDB’25"
};

// Reads "OSDI'24", "ATC’24", "USENIX ATC 2024" or "under revision in
// VLDB’25": a venue, optionally preceded by a note, then a year of two or
// four digits after an optional apostrophe. False when no year ends it.
bool ParseVenueYear(absl::string_view token, VenueYear* out);

// Splits leading marker emoji (and U+FFFD left by lost bytes) off `text`.
// Each complete emoji is appended to `markers` when it is not null;
// U+FFFD is dropped. Returns the rest, with surrounding spaces trimmed.
absl::string_view StripLeadingMarkers(absl::string_view text,
                                      std::vector<std::string>* markers);
// Same at the end of `text`.
absl::string_view StripTrailingMarkers(absl::string_view text,
                                       std::vector<std::string>* markers);

// True when `markers` holds `emoji`.
bool HasMarker(const std::vector<std::string>& markers,
               absl::string_view emoji);

struct PresenterList {
  std::vector<v1::Presenter> presenters;  // names as written
  std::vector<std::string> problems;      // why a part could not be read
};

// Reads "A, B (Andy), C **(*all from* X, Y)**", "**A (*MBZUAI*), B (*THU*)**"
// and "A **(NPU, Northwestern Polytechnical University)**". A parenthesis
// after a name is the person's affiliation when emphasized, several words or
// all capitals, else a nickname; "all from X" applies X to every name.
PresenterList ParsePresenters(absl::string_view text);

struct MarkdownLink {
  std::string label;
  std::string url;
};

// Consumes "[label](url)" at the start of `*text`; parentheses may nest in
// the URL ("./slides/Systems%20and%20Papers%20(slides).pdf").
bool ConsumeMarkdownLink(absl::string_view* text, MarkdownLink* link);

// Dates of a semester whose files omit the year: the year starts at
// `start_year` and advances when the month goes back by six or more
// (December, then January); smaller steps back stay in the same year.
class SemesterCalendar {
 public:
  explicit SemesterCalendar(int start_year) : year_(start_year) {}

  // InvalidArgument for a month or day that does not exist; the calendar
  // is then left as it was.
  absl::StatusOr<absl::CivilDay> Resolve(int month, int day);

  // Uses an explicit year from now on; the next month starts afresh.
  void SetYear(int year) {
    year_ = year;
    last_month_ = 0;
  }

 private:
  int year_;
  int last_month_ = 0;
};

// Numbers sessions sharing a date 1, 2, ... in order, sets their ids, and
// gives presenters their roles: the first name presents, the others
// assist (the "1+N" format; a single name presents).
void FinishSessions(const std::string& group_id,
                    std::vector<v1::Session>* sessions);

// "<group>/<YYYY-MM-DD>/<ordinal>".
std::string SessionId(absl::string_view group_id, absl::string_view date,
                      int ordinal);

// Fills venue, year, note, title, title key, url and DOI of a paper.
void FillPaper(absl::string_view title, const VenueYear& venue,
               absl::string_view venue_written, absl::string_view url,
               v1::PaperRef* paper);

}  // namespace lectern::schedule_text

#endif  // LECTERN_INDEXER_SCHEDULE_TEXT_H_
