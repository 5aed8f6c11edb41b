#include "indexer/schedule_text.h"

#include <algorithm>
#include <map>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "indexer/normalize.h"
#include "indexer/utf8.h"

namespace lectern::schedule_text {
namespace {

constexpr absl::string_view kApostrophes[] = {"'", "\xE2\x80\x99",
                                              "\xE2\x80\x98", "\xE2\x80\xB2"};

bool IsEmphasisChar(char c) { return c == '*' || c == '_'; }

std::string WithoutEmphasis(absl::string_view text) {
  std::string out;
  for (char c : text) {
    if (!IsEmphasisChar(c)) out.push_back(c);
  }
  return CleanText(out);
}

bool HasLowercaseLetter(absl::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    return absl::ascii_islower(static_cast<unsigned char>(c));
  });
}

// Whether a code point belongs to a run of marker emoji.
bool IsMarkerPart(char32_t cp) {
  return utf8::IsPictographic(cp) || cp == utf8::kReplacement;
}

// Groups marker code points into emoji: joiners, selectors, skin tones and
// the code point after a joiner belong to the emoji before them.
void CollectMarkers(const std::u32string& chars,
                    std::vector<std::string>* markers) {
  std::string current;
  bool joined = false;
  auto flush = [&]() {
    if (!current.empty()) markers->push_back(current);
    current.clear();
  };
  for (char32_t cp : chars) {
    if (cp == utf8::kReplacement || cp == ' ') {
      flush();
      joined = false;
      continue;
    }
    const bool attaches = cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F) ||
                          (cp >= 0x1F3FB && cp <= 0x1F3FF) || cp == 0x20E3;
    if (!attaches && !joined) flush();
    utf8::Append(cp, &current);
    joined = cp == 0x200D;
  }
  flush();
}

}  // namespace

bool ParseVenueYear(absl::string_view token, VenueYear* out) {
  const std::string cleaned = CleanText(token);
  absl::string_view rest = cleaned;
  size_t digits = 0;
  while (digits < rest.size() && absl::ascii_isdigit(static_cast<unsigned char>(
                                     rest[rest.size() - 1 - digits]))) {
    ++digits;
  }
  if (digits != 2 && digits != 4) return false;
  const auto year = NormalizeYear(rest.substr(rest.size() - digits));
  if (!year) return false;
  rest.remove_suffix(digits);
  for (absl::string_view apostrophe : kApostrophes) {
    if (absl::ConsumeSuffix(&rest, apostrophe)) break;
  }
  rest = absl::StripAsciiWhitespace(rest);
  if (rest.empty()) return false;

  std::vector<absl::string_view> words =
      absl::StrSplit(rest, ' ', absl::SkipEmpty());
  // The longest run of final words that names a known venue wins
  // ("USENIX ATC"); otherwise the last word is the venue.
  size_t venue_words = 1;
  Venue venue = CanonicalVenue(words.back());
  for (size_t k = std::min<size_t>(3, words.size()); k >= 1; --k) {
    const std::vector<absl::string_view> tail(words.end() - k, words.end());
    const Venue candidate = CanonicalVenue(absl::StrJoin(tail, " "));
    if (candidate.recognized) {
      venue = candidate;
      venue_words = k;
      break;
    }
  }
  words.resize(words.size() - venue_words);
  static constexpr absl::string_view kLinkWords[] = {"in",  "at", "to",
                                                     "for", "by", "of"};
  while (!words.empty() &&
         std::find(std::begin(kLinkWords), std::end(kLinkWords),
                   absl::AsciiStrToLower(words.back())) !=
             std::end(kLinkWords)) {
    words.pop_back();
  }
  out->venue = venue.name;
  out->recognized = venue.recognized;
  out->year = *year;
  out->note = absl::StrJoin(words, " ");
  return true;
}

absl::string_view StripLeadingMarkers(absl::string_view text,
                                      std::vector<std::string>* markers) {
  text = absl::StripAsciiWhitespace(text);
  std::u32string run;
  size_t pos = 0;
  while (pos < text.size()) {
    // Decode one code point at pos.
    size_t length = 1;
    const auto lead = static_cast<unsigned char>(text[pos]);
    if (lead >= 0xF0)
      length = 4;
    else if (lead >= 0xE0)
      length = 3;
    else if (lead >= 0xC0)
      length = 2;
    const std::u32string cp = utf8::Decode(text.substr(pos, length));
    if (cp.size() != 1 || !(IsMarkerPart(cp[0]) || cp[0] == ' ')) break;
    run += cp;
    pos += length;
  }
  if (markers != nullptr) CollectMarkers(run, markers);
  return absl::StripAsciiWhitespace(text.substr(pos));
}

absl::string_view StripTrailingMarkers(absl::string_view text,
                                       std::vector<std::string>* markers) {
  text = absl::StripAsciiWhitespace(text);
  size_t end = text.size();
  while (end > 0) {
    size_t start = end - 1;
    while (start > 0 &&
           (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
      --start;
    }
    const std::u32string cp = utf8::Decode(text.substr(start, end - start));
    if (cp.size() != 1 || !(IsMarkerPart(cp[0]) || cp[0] == ' ')) break;
    end = start;
  }
  if (markers != nullptr) {
    CollectMarkers(utf8::Decode(text.substr(end)), markers);
  }
  return absl::StripAsciiWhitespace(text.substr(0, end));
}

bool HasMarker(const std::vector<std::string>& markers,
               absl::string_view emoji) {
  return std::any_of(markers.begin(), markers.end(), [&](const std::string& m) {
    return absl::StrContains(m, emoji);
  });
}

PresenterList ParsePresenters(absl::string_view raw) {
  PresenterList result;
  const std::string text = CleanText(raw);

  // Split at top level on ',', ';', '&' and the word "and".
  std::vector<std::string> segments(1);
  int depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '(') ++depth;
    if (c == ')' && depth > 0) --depth;
    const bool separator =
        depth == 0 &&
        (c == ',' || c == ';' || c == '&' ||
         (c == ' ' &&
          absl::StartsWith(absl::string_view(text).substr(i), " and ")));
    if (separator) {
      segments.emplace_back();
      if (c == ' ') i += 4;  // skip " and"
      continue;
    }
    segments.back().push_back(c);
  }
  if (depth != 0) result.problems.push_back("unbalanced parentheses");

  std::string shared_affiliation;
  for (const std::string& segment_text : segments) {
    absl::string_view segment = absl::StripAsciiWhitespace(segment_text);
    if (WithoutEmphasis(segment).empty()) {
      if (!segment.empty() || segments.size() > 1) {
        result.problems.push_back("empty name in the presenter list");
      }
      continue;
    }
    v1::Presenter presenter;
    const size_t open = segment.find('(');
    absl::string_view name_part = segment.substr(0, open);
    if (open != absl::string_view::npos) {
      const size_t close = segment.rfind(')');
      if (close == absl::string_view::npos || close < open) {
        result.problems.push_back(
            absl::StrCat("unclosed parenthesis after '", name_part, "'"));
        continue;
      }
      const absl::string_view inside =
          segment.substr(open + 1, close - open - 1);
      const std::string after = WithoutEmphasis(segment.substr(close + 1));
      if (!after.empty()) {
        result.problems.push_back(
            absl::StrCat("unexpected text '", after, "' after ')'"));
      }
      const absl::string_view before =
          absl::StripTrailingAsciiWhitespace(name_part);
      const bool emphasized =
          (!before.empty() && IsEmphasisChar(before.back())) ||
          absl::StrContains(inside, "*") || absl::StrContains(inside, "_");
      const std::string content = WithoutEmphasis(inside);
      std::string lower = absl::AsciiStrToLower(content);
      if (absl::StartsWith(lower, "all from")) {
        shared_affiliation =
            std::string(absl::StripAsciiWhitespace(content.substr(8)));
      } else if (emphasized || absl::StrContains(content, " ") ||
                 absl::StrContains(content, ",") ||
                 !HasLowercaseLetter(content)) {
        presenter.set_affiliation(content);
      } else {
        presenter.set_nickname(content);
      }
    }
    const std::string name = WithoutEmphasis(name_part);
    if (name.empty() || !std::any_of(name.begin(), name.end(), [](char c) {
          return absl::ascii_isalpha(static_cast<unsigned char>(c)) ||
                 static_cast<unsigned char>(c) >= 0x80;
        })) {
      result.problems.push_back(
          absl::StrCat("'", segment, "' does not start with a name"));
      continue;
    }
    presenter.set_name(name);
    presenter.set_written_as(name);
    presenter.set_person_id(PersonKey(name));
    result.presenters.push_back(std::move(presenter));
  }
  if (!shared_affiliation.empty()) {
    for (v1::Presenter& presenter : result.presenters) {
      if (presenter.affiliation().empty()) {
        presenter.set_affiliation(shared_affiliation);
      }
    }
  }
  return result;
}

bool ConsumeMarkdownLink(absl::string_view* text, MarkdownLink* link) {
  absl::string_view s = *text;
  if (s.empty() || s[0] != '[') return false;
  int depth = 0;
  size_t label_end = absl::string_view::npos;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '[') ++depth;
    if (s[i] == ']' && --depth == 0) {
      label_end = i;
      break;
    }
  }
  if (label_end == absl::string_view::npos || label_end + 1 >= s.size() ||
      s[label_end + 1] != '(') {
    return false;
  }
  depth = 0;
  size_t url_end = absl::string_view::npos;
  for (size_t i = label_end + 1; i < s.size(); ++i) {
    if (s[i] == '(') ++depth;
    if (s[i] == ')' && --depth == 0) {
      url_end = i;
      break;
    }
  }
  if (url_end == absl::string_view::npos) return false;
  link->label = std::string(s.substr(1, label_end - 1));
  link->url = std::string(absl::StripAsciiWhitespace(
      s.substr(label_end + 2, url_end - label_end - 2)));
  text->remove_prefix(url_end + 1);
  return true;
}

absl::StatusOr<absl::CivilDay> SemesterCalendar::Resolve(int month, int day) {
  if (month < 1 || month > 12) {
    return absl::InvalidArgumentError(absl::StrCat("no month ", month));
  }
  const int year =
      last_month_ != 0 && month + 6 <= last_month_ ? year_ + 1 : year_;
  const absl::CivilDay date(year, month, day);
  if (date.month() != month || date.day() != day) {
    return absl::InvalidArgumentError(
        absl::StrCat(year, "-", month, "-", day, " is not a date"));
  }
  year_ = year;
  last_month_ = month;
  return date;
}

std::string SessionId(absl::string_view group_id, absl::string_view date,
                      int ordinal) {
  return absl::StrCat(group_id, "/", date, "/", ordinal);
}

void FinishSessions(const std::string& group_id,
                    std::vector<v1::Session>* sessions) {
  std::map<std::string, int> per_date;
  for (v1::Session& session : *sessions) {
    const int ordinal = ++per_date[session.date()];
    session.set_group(group_id);
    session.set_ordinal(ordinal);
    session.set_id(SessionId(group_id, session.date(), ordinal));
    for (int i = 0; i < session.presenters_size(); ++i) {
      session.mutable_presenters(i)->set_role(
          i == 0 ? v1::PRESENTER_ROLE_MAIN : v1::PRESENTER_ROLE_ASSIST);
    }
  }
}

void FillPaper(absl::string_view title, const VenueYear& venue,
               absl::string_view venue_written, absl::string_view url,
               v1::PaperRef* paper) {
  paper->set_title(CleanText(title));
  paper->set_title_key(TitleKey(title));
  paper->set_venue(venue.venue);
  paper->set_year(venue.year);
  paper->set_venue_written(
      std::string(absl::StripAsciiWhitespace(venue_written)));
  paper->set_venue_note(venue.note);
  paper->set_url(std::string(url));
  paper->set_doi(DoiFromUrl(url));
}

}  // namespace lectern::schedule_text
