// YAML schedules, alone or as Markdown/Jekyll front matter; see schedule.h
// for the format. The entry reader here also reads CSV rows: see
// schedule_csv.cc, which hands it each row as a YAML map.
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "indexer/mojibake.h"
#include "indexer/normalize.h"
#include "indexer/schedule.h"
#include "indexer/schedule_entry.h"
#include "indexer/schedule_text.h"
#include "indexer/utf8.h"

namespace lectern {
namespace {

// A scalar's text as valid UTF-8: yaml-cpp writes the escapes "\N" and "\_"
// as single Latin-1 bytes.
std::string ScalarText(const YAML::Node& node) {
  return utf8::Latin1StraysToUtf8(node.Scalar());
}

}  // namespace

namespace schedule_entry {

namespace {

enum class Field {
  kDate,
  kTitle,
  kPresenters,
  kAuthors,
  kVenue,
  kYear,
  kLink,
  kSlides,
  kSummary,
  kVideo,
};

struct FieldName {
  absl::string_view name;
  Field field;
};

// Entry keys, lowercase; CSV maps its own synonyms onto the first ones.
constexpr FieldName kFieldNames[] = {
    {"date", Field::kDate},
    {"title", Field::kTitle},
    {"presenter", Field::kPresenters},
    {"presenters", Field::kPresenters},
    {"authors", Field::kAuthors},
    {"venue", Field::kVenue},
    {"year", Field::kYear},
    {"link", Field::kLink},
    {"url", Field::kLink},
    {"slides", Field::kSlides},
    {"summary", Field::kSummary},
    {"video", Field::kVideo},
};

constexpr absl::string_view kKnownKeys =
    "date, title, presenter(s), authors, venue, year, link or url, slides, "
    "summary, video";

std::optional<Field> FieldFor(absl::string_view key) {
  const std::string lower =
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(key));
  for (const FieldName& name : kFieldNames) {
    if (name.name == lower) return name.field;
  }
  return std::nullopt;
}

// Digits only, 1 to `max_digits` of them.
bool ReadNumber(absl::string_view text, size_t max_digits, int* value) {
  if (text.empty() || text.size() > max_digits) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return absl::SimpleAtoi(text, value);
}

// "2024-09-03" (YAML leaves an unquoted one a plain string) or "09/03/2024".
std::optional<absl::CivilDay> ParseDate(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  int year = 0;
  int month = 0;
  int day = 0;
  std::vector<absl::string_view> parts = absl::StrSplit(text, '-');
  if (parts.size() == 3) {
    if (parts[0].size() != 4 || !ReadNumber(parts[0], 4, &year) ||
        !ReadNumber(parts[1], 2, &month) || !ReadNumber(parts[2], 2, &day)) {
      return std::nullopt;
    }
  } else {
    parts = absl::StrSplit(text, '/');
    if (parts.size() != 3 || parts[2].size() != 4 ||
        !ReadNumber(parts[0], 2, &month) || !ReadNumber(parts[1], 2, &day) ||
        !ReadNumber(parts[2], 4, &year)) {
      return std::nullopt;
    }
  }
  // CivilDay normalizes 02/30 to March; a real date survives unchanged.
  const absl::CivilDay date(year, month, day);
  if (date.year() != year || date.month() != month || date.day() != day) {
    return std::nullopt;
  }
  return date;
}

class EntryReader {
 public:
  EntryReader(int line, const std::vector<absl::string_view>& lines,
              const ScheduleParseOptions& options, ParsedSchedule* result)
      : line_(line), lines_(lines), options_(options), result_(result) {}

  void Read(const YAML::Node& entry) {
    if (!entry.IsMap()) {
      Error(line_, absl::StrCat("expected a session as a map of ", kKnownKeys));
      return;
    }
    for (auto it = entry.begin(); it != entry.end(); ++it) {
      ReadField(it->first, it->second);
    }
    if (!date_) {
      if (!bad_date_) Error(line_, "no date: each session needs a 'date'");
      return;
    }
    if (!ok_) return;
    Build();
  }

 private:
  int LineOf(const YAML::Node& node) const {
    // CSV cells are built, not parsed: they have no position of their own.
    return node.Mark().is_null() ? line_ : node.Mark().line + 1;
  }

  void Issue(int line, std::string message, bool note) {
    ParseIssue issue;
    issue.file = options_.file_label;
    issue.line = line;
    issue.message = std::move(message);
    issue.text = LineText(lines_, line);
    issue.note = note;
    result_->issues.push_back(std::move(issue));
  }
  void Error(int line, std::string message) {
    Issue(line, std::move(message), /*note=*/false);
    ok_ = false;
  }

  // The value of a single-valued key; absent (nullopt, no issue) when null
  // or blank.
  std::optional<std::string> Scalar(absl::string_view key,
                                    const YAML::Node& value, int line) {
    if (value.IsNull()) return std::nullopt;
    if (!value.IsScalar()) {
      Error(line, absl::StrCat("'", key, "' must be a single value"));
      return std::nullopt;
    }
    std::string text(absl::StripAsciiWhitespace(ScalarText(value)));
    if (text.empty()) return std::nullopt;
    return text;
  }

  void ReadField(const YAML::Node& key_node, const YAML::Node& value) {
    const int line = LineOf(key_node);
    const std::string key =
        key_node.IsScalar() ? ScalarText(key_node) : std::string("?");
    const std::optional<Field> field =
        key_node.IsScalar() ? FieldFor(key) : std::nullopt;
    if (!field) {
      Issue(line,
            absl::StrCat("unknown key '", key, "' ignored (known: ", kKnownKeys,
                         ")"),
            /*note=*/true);
      return;
    }
    if (*field == Field::kAuthors) return;  // the catalog has the authors
    const int index = static_cast<int>(*field);
    if (seen_[index]) {
      Error(line, absl::StrCat("'", key, "' repeats a key given before"));
      return;
    }
    seen_[index] = true;
    if (*field == Field::kPresenters) return ReadPresenters(value, line);

    std::optional<std::string> text = Scalar(key, value, line);
    if (!text) return;
    switch (*field) {
      case Field::kDate:
        date_ = ParseDate(*text);
        if (!date_) {
          bad_date_ = true;
          Error(line, absl::StrCat("'", *text,
                                   "' is not a date like 2024-09-03 or "
                                   "09/03/2024"));
        }
        break;
      case Field::kTitle:
        title_ = CleanText(*text);
        break;
      case Field::kVenue:
        venue_ = *text;
        venue_line_ = line;
        break;
      case Field::kYear:
        year_ = NormalizeYear(*text);
        if (!year_) {
          Error(line, absl::StrCat("'", *text, "' is not a year like 2024"));
        }
        break;
      case Field::kLink:
        link_ = *text;
        break;
      case Field::kSlides:
        session_.mutable_links()->set_slides(*text);
        break;
      case Field::kSummary:
        session_.mutable_links()->set_qa_summary(*text);
        break;
      case Field::kVideo:
        session_.mutable_links()->set_video(*text);
        break;
      case Field::kPresenters:
      case Field::kAuthors:
        break;
    }
  }

  // "A, B (Andy)" or a list of names, each read like the Markdown line.
  void ReadPresenters(const YAML::Node& value, int line) {
    std::vector<std::string> texts;
    if (value.IsNull()) return;
    if (value.IsScalar()) {
      texts.push_back(ScalarText(value));
    } else if (value.IsSequence()) {
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (!it->IsScalar()) {
          Error(LineOf(*it), "presenters: expected a name");
          return;
        }
        texts.push_back(ScalarText(*it));
      }
    } else {
      Error(line, "presenters: expected \"A, B\" or a list of names");
      return;
    }
    for (const std::string& text : texts) {
      schedule_text::PresenterList list = schedule_text::ParsePresenters(text);
      for (const std::string& problem : list.problems) {
        Error(line, absl::StrCat("presenters: ", problem));
      }
      for (v1::Presenter& presenter : list.presenters) {
        *session_.add_presenters() = std::move(presenter);
      }
    }
  }

  void Build() {
    schedule_text::VenueYear venue;
    if (venue_) {
      // "OSDI'24" carries its year; a bare "OSDI" takes the year key's.
      if (!schedule_text::ParseVenueYear(*venue_, &venue)) {
        const Venue canonical = CanonicalVenue(*venue_);
        venue.venue = canonical.name;
        venue.recognized = canonical.recognized;
      } else if (year_ && *year_ != venue.year) {
        return Error(venue_line_, absl::StrCat("the venue says ", venue.year,
                                               " but the year says ", *year_));
      }
    }
    if (venue.year == 0 && year_) venue.year = *year_;

    const bool names_paper = venue_ || year_ || link_;
    if (title_.empty()) {
      if (names_paper) {
        return Error(line_,
                     "a venue, year or link but no title: give the paper's "
                     "title, or leave all of them out for an open slot");
      }
      session_.set_kind(v1::SESSION_KIND_OPEN);
    } else if (names_paper) {
      session_.set_kind(v1::SESSION_KIND_PAPER);
      schedule_text::FillPaper(title_, venue, venue_.value_or(""),
                               link_.value_or(""), session_.mutable_paper());
      session_.set_title(session_.paper().title());
    } else {
      session_.set_kind(v1::SESSION_KIND_TALK);
      session_.set_title(title_);
    }
    session_.set_date(absl::FormatCivilTime(*date_));
    session_.mutable_source()->set_file(options_.file_label);
    session_.mutable_source()->set_line(line_);
    result_->sessions.push_back(std::move(session_));
  }

  const int line_;
  const std::vector<absl::string_view>& lines_;
  const ScheduleParseOptions& options_;
  ParsedSchedule* result_;

  bool ok_ = true;
  bool seen_[static_cast<int>(Field::kVideo) + 1] = {};
  std::optional<absl::CivilDay> date_;
  bool bad_date_ = false;
  std::string title_;
  std::optional<std::string> venue_;
  int venue_line_ = 0;
  std::optional<int> year_;
  std::optional<std::string> link_;
  v1::Session session_;  // presenters and links as read
};

}  // namespace

void ReadScheduleEntry(const YAML::Node& entry, int line,
                       const std::vector<absl::string_view>& lines,
                       const ScheduleParseOptions& options,
                       ParsedSchedule* result) {
  EntryReader(line, lines, options, result).Read(entry);
}

void FinishSchedule(const ScheduleParseOptions& options,
                    ParsedSchedule* result) {
  schedule_text::FinishSessions(options.group_id, &result->sessions);
  result->start_year = options.start_year;
  if (result->start_year == 0 && !result->sessions.empty()) {
    int year = 0;
    absl::SimpleAtoi(result->sessions.front().date().substr(0, 4), &year);
    result->start_year = year;
  }
}

std::vector<absl::string_view> SplitLines(absl::string_view text) {
  std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
  for (absl::string_view& line : lines) absl::ConsumeSuffix(&line, "\r");
  return lines;
}

std::string LineText(const std::vector<absl::string_view>& lines, int line) {
  if (line < 1 || static_cast<size_t>(line) > lines.size()) return "";
  absl::string_view text = absl::StripAsciiWhitespace(lines[line - 1]);
  // A whole minified file on one line would drown the report.
  constexpr size_t kMaxBytes = 200;
  if (text.size() <= kMaxBytes) return std::string(text);
  size_t end = kMaxBytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
    --end;  // not inside a UTF-8 sequence
  }
  return absl::StrCat(text.substr(0, end), "...");
}

}  // namespace schedule_entry

namespace {

// The YAML part of `text`: all of it, or, for Markdown with front matter,
// up to the closing "---" (so the Markdown after it is not read as YAML).
// The opening "---" stays: it starts a YAML document and keeps line numbers.
absl::string_view YamlPart(absl::string_view text) {
  bool in_front_matter = false;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = text.find('\n', start);
    const absl::string_view line = absl::StripAsciiWhitespace(
        text.substr(start, end == absl::string_view::npos ? end : end - start));
    if (!in_front_matter && !line.empty()) {
      if (line != "---") return text;
      in_front_matter = true;
    } else if (in_front_matter && (line == "---" || line == "...")) {
      return text.substr(0, start);
    }
    if (end == absl::string_view::npos) break;
    start = end + 1;
  }
  return text;
}

}  // namespace

ParsedSchedule ParseSessionInput(const v1::SessionInput& input,
                                 const ScheduleParseOptions& options) {
  YAML::Node entry(YAML::NodeType::Map);
  auto set = [&entry](const char* key, const std::string& value) {
    if (!value.empty()) entry[key] = value;
  };
  set("date", input.date());
  set("title", input.title());
  if (input.presenters_size() > 0) {
    YAML::Node presenters(YAML::NodeType::Sequence);
    for (const std::string& presenters_text : input.presenters()) {
      // "A, B" in one string is two people, as in a YAML schedule.
      for (absl::string_view name : absl::StrSplit(presenters_text, ',')) {
        name = absl::StripAsciiWhitespace(name);
        if (!name.empty()) presenters.push_back(std::string(name));
      }
    }
    entry["presenters"] = presenters;
  }
  set("venue", input.venue());
  if (input.year() != 0) entry["year"] = input.year();
  set("link", input.url());
  set("slides", input.slides());
  set("summary", input.qa_summary());
  set("video", input.video());
  ParsedSchedule result;
  schedule_entry::ReadScheduleEntry(entry, 0, {}, options, &result);
  schedule_entry::FinishSchedule(options, &result);
  return result;
}

ParsedSchedule ParseYamlSchedule(absl::string_view raw_text,
                                 const ScheduleParseOptions& options) {
  ParsedSchedule result;
  const MojibakeRepair repair = RepairMojibake(raw_text);
  absl::string_view text = repair.text;
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");  // UTF-8 byte-order mark
  const std::vector<absl::string_view> lines = schedule_entry::SplitLines(text);
  auto issue = [&](int line, std::string message) {
    result.issues.push_back(ParseIssue{options.file_label, line,
                                       std::move(message),
                                       schedule_entry::LineText(lines, line)});
  };

  // yaml-cpp reports every problem, syntax or shape, as an exception.
  try {
    const YAML::Node root = YAML::Load(std::string(YamlPart(text)));
    // Copied, never assigned: assigning a yaml-cpp node rewrites the node it
    // refers to.
    std::optional<YAML::Node> sessions;
    if (root.IsSequence()) {
      sessions.emplace(root);
    } else if (root.IsMap()) {
      for (auto it = root.begin(); it != root.end(); ++it) {
        if (!it->first.IsScalar()) continue;
        const std::string key = absl::AsciiStrToLower(ScalarText(it->first));
        if (key == "sessions" && !sessions) sessions.emplace(it->second);
        if (key == "title" && it->second.IsScalar()) {
          result.title = CleanText(ScalarText(it->second));
        }
      }
      if (!sessions) {
        issue(root.Mark().line + 1,
              "no 'sessions:' list among the top-level keys");
      } else if (!sessions->IsSequence() && !sessions->IsNull()) {
        issue(sessions->Mark().line + 1,
              "'sessions:' must be a list of sessions");
      }
    } else {
      issue(0,
            "expected a list of sessions, a map with a 'sessions:' list, or "
            "front matter holding one");
    }
    if (sessions && sessions->IsSequence()) {
      for (auto it = sessions->begin(); it != sessions->end(); ++it) {
        schedule_entry::ReadScheduleEntry(*it, it->Mark().line + 1, lines,
                                          options, &result);
      }
    }
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp 0.7 gives this one the message "bad file".
    issue(e.mark.is_null() ? 0 : e.mark.line + 1,
          "YAML: nested too deeply to read");
  } catch (const YAML::Exception& e) {
    issue(e.mark.is_null() ? 0 : e.mark.line + 1,
          absl::StrCat("YAML: ", e.msg));
  }
  schedule_entry::FinishSchedule(options, &result);
  return result;
}

}  // namespace lectern
