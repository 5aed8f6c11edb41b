#include "indexer/summary.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "indexer/normalize.h"
#include "indexer/utf8.h"

namespace lectern {
namespace {

bool IsCjk(char32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
         (cp >= 0x20000 && cp <= 0x2A6DF);
}

// "240903-parrot.md" -> "2024-09-03".
std::string DateFromFileName(const std::string& label) {
  const std::string name = std::filesystem::path(label).filename().string();
  if (name.size() < 8 || name[6] != '-') return "";
  int yy = 0, mm = 0, dd = 0;
  if (!absl::SimpleAtoi(name.substr(0, 2), &yy) ||
      !absl::SimpleAtoi(name.substr(2, 2), &mm) ||
      !absl::SimpleAtoi(name.substr(4, 2), &dd)) {
    return "";
  }
  const absl::CivilDay day(2000 + yy, mm, dd);
  if (day.month() != mm || day.day() != dd) return "";
  return absl::FormatCivilTime(day);
}

// Exactly YYYY-MM-DD and a real day: ParseCivilTime alone also takes
// "24-09-03" (the year 24) and "10000-01-01".
bool ValidDate(const std::string& date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(date[i]))) return false;
  }
  absl::CivilDay day;
  return absl::ParseCivilTime(date, &day) && absl::FormatCivilTime(day) == date;
}

}  // namespace

std::string DetectLanguage(absl::string_view text) {
  int letters = 0;
  int cjk = 0;
  for (char32_t cp : utf8::Decode(text)) {
    if (IsCjk(cp)) {
      ++cjk;
      ++letters;
    } else if (cp < 0x80 &&
               absl::ascii_isalpha(static_cast<unsigned char>(cp))) {
      ++letters;
    }
  }
  return letters > 0 && cjk * 5 >= letters ? "zh" : "en";
}

SummaryFile ParseSummaryFile(absl::string_view text, const std::string& label,
                             const std::string& default_group) {
  SummaryFile file;
  v1::Summary& summary = file.summary;
  summary.set_id(label);
  summary.mutable_source()->set_file(label);
  summary.mutable_source()->set_line(1);
  auto issue = [&](int line, std::string message, bool note = false) {
    file.issues.push_back(
        ParseIssue{label, line, std::move(message), "", note});
  };

  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");
  // Proto strings must be UTF-8: undecodable bytes become U+FFFD, and the
  // first line that had any is an issue.
  std::string repaired;
  if (!utf8::IsValid(text)) {
    int line_number = 0;
    for (absl::string_view line : absl::StrSplit(text, '\n')) {
      ++line_number;
      if (utf8::IsValid(line)) continue;
      issue(line_number,
            "not valid UTF-8 (saved as Latin-1?): undecodable bytes were "
            "replaced with U+FFFD; expected UTF-8 text");
      break;
    }
    for (char32_t cp : utf8::Decode(text)) utf8::Append(cp, &repaired);
    text = repaired;
  }
  absl::string_view body = text;
  int body_line = 1;
  // Front matter: "---" on the first line, up to the next "---" line.
  if (absl::StartsWith(text, "---\n") || absl::StartsWith(text, "---\r\n")) {
    const size_t open = text.find('\n') + 1;
    size_t close = std::string::npos;
    for (size_t pos = open; pos < text.size();) {
      const size_t end = text.find('\n', pos);
      const absl::string_view line =
          absl::StripTrailingAsciiWhitespace(text.substr(
              pos, end == std::string::npos ? std::string::npos : end - pos));
      if (line == "---") {
        close = pos;
        body = end == std::string::npos ? "" : text.substr(end + 1);
        break;
      }
      if (end == std::string::npos) break;
      pos = end + 1;
    }
    if (close == std::string::npos) {
      issue(1, "front matter starts with '---' but has no closing '---' line");
      return file;
    }
    const std::string yaml(text.substr(open, close - open));
    body_line =
        2 + static_cast<int>(std::count(yaml.begin(), yaml.end(), '\n')) + 1;
    try {
      const YAML::Node node = YAML::Load(yaml);
      // Empty or comment-only front matter ("---\n---") names nothing; the
      // file name and folder group still may.
      if (!node.IsMap() && !node.IsNull()) {
        issue(2,
              "front matter must be 'key: value' lines (group, date, paper, "
              "language, url, title)");
        return file;
      }
      for (const auto& entry : node) {
        const std::string key = entry.first.as<std::string>();
        const int line = entry.first.Mark().line + 2;
        if (!entry.second.IsScalar()) {
          issue(line, absl::StrCat("front matter '", key,
                                   "' must be a single value"));
          continue;
        }
        const std::string value(
            absl::StripAsciiWhitespace(entry.second.as<std::string>()));
        // yaml-cpp can turn valid text into invalid UTF-8 (a NUL byte in a
        // plain scalar).
        if (!utf8::IsValid(value)) {
          issue(line,
                absl::StrCat("front matter '", key, "' is not valid UTF-8"));
          continue;
        }
        if (key == "group") {
          summary.set_group(value);
        } else if (key == "date") {
          if (!ValidDate(value)) {
            issue(line,
                  absl::StrCat("date must be YYYY-MM-DD, got '", value, "'"));
          }
          summary.set_date(value);
        } else if (key == "paper") {
          file.paper_hint = value;
        } else if (key == "language") {
          summary.set_language(absl::AsciiStrToLower(value));
        } else if (key == "url") {
          summary.set_url(value);
        } else if (key == "title") {
          summary.set_title(CleanText(value));
        } else {
          issue(line,
                absl::StrCat("unknown front matter key '", key, "' ignored"),
                /*note=*/true);
        }
      }
    } catch (const YAML::Exception& e) {
      issue(e.mark.line >= 0 ? e.mark.line + 2 : 1,
            absl::StrCat("front matter is not valid YAML: ", e.msg));
      return file;
    }
  }
  summary.mutable_source()->set_line(body_line);
  summary.set_text(std::string(absl::StripAsciiWhitespace(body)));
  if (summary.group().empty()) summary.set_group(default_group);
  if (summary.date().empty()) summary.set_date(DateFromFileName(label));
  if (summary.language().empty())
    summary.set_language(DetectLanguage(summary.text()));
  if (summary.title().empty()) {
    for (absl::string_view line : absl::StrSplit(summary.text(), '\n')) {
      if (absl::ConsumePrefix(&line, "# ")) {
        summary.set_title(CleanText(line));
        break;
      }
    }
  }
  if (summary.text().empty()) {
    // A file that ends with the closing "---" has no line after it.
    const int last_line =
        1 + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
    issue(std::min(body_line, last_line), "the summary has no text");
  }
  return file;
}

std::vector<v1::Summary> ResolveSummaries(
    std::vector<SummaryFile> files, const std::vector<v1::Session>& sessions,
    std::vector<ParseIssue>* issues) {
  std::vector<v1::Summary> resolved;
  for (SummaryFile& file : files) {
    const bool failed = HasErrors(file.issues);
    for (ParseIssue& issue : file.issues) issues->push_back(std::move(issue));
    if (failed) continue;
    v1::Summary& summary = file.summary;
    auto unresolved = [&](std::string message) {
      issues->push_back(ParseIssue{summary.id(), 1, std::move(message), ""});
    };
    if (summary.date().empty()) {
      unresolved(
          "names no session: give it front matter (group, date) or a "
          "file name like 240903-slug.md");
      continue;
    }
    std::vector<const v1::Session*> candidates;
    for (const v1::Session& session : sessions) {
      if (session.date() != summary.date()) continue;
      if (!summary.group().empty() && session.group() != summary.group())
        continue;
      if (!file.paper_hint.empty() &&
          session.paper().paper_id() != file.paper_hint &&
          !TitleKeysMatch(TitleKey(session.title()),
                          TitleKey(file.paper_hint))) {
        continue;
      }
      candidates.push_back(&session);
    }
    const std::string where = absl::StrCat(
        summary.group().empty() ? "no group"
                                : absl::StrCat("group '", summary.group(), "'"),
        " has ", candidates.empty() ? "no session" : "several sessions", " on ",
        summary.date(),
        file.paper_hint.empty()
            ? ""
            : absl::StrCat(" presenting '", file.paper_hint, "'"));
    if (candidates.size() != 1) {
      std::vector<std::string> ids;
      ids.reserve(candidates.size());
      for (const v1::Session* session : candidates)
        ids.push_back(session->id());
      unresolved(absl::StrCat(
          "names no single session: ", where,
          ids.empty() ? "" : absl::StrCat(" (", absl::StrJoin(ids, ", "), ")"),
          candidates.empty() ? ""
                             : "; add group and paper to the front matter"));
      continue;
    }
    const v1::Session& session = *candidates.front();
    summary.set_group(session.group());
    summary.set_session_id(session.id());
    summary.set_paper_id(session.paper().paper_id());
    if (summary.title().empty()) summary.set_title(session.title());
    if (summary.url().empty()) summary.set_url(session.links().qa_summary());
    resolved.push_back(std::move(summary));
  }
  return resolved;
}

}  // namespace lectern
