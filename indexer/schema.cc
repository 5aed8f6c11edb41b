#include "indexer/schema.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"

namespace lectern::schema {
namespace {
// Xapian's glass backend limits terms to 245 bytes.
constexpr size_t kMaxTermBytes = 240;

// What each role is called, and its identity and name-word prefixes.
struct RoleTerms {
  absl::string_view name, person, words;
};
RoleTerms TermsOf(v1::PresenterRole role) {
  switch (role) {
    case v1::PRESENTER_ROLE_MAIN:
      return {"main", kMainPerson, kMainName};
    case v1::PRESENTER_ROLE_ASSIST:
      return {"assist", kAssistPerson, kAssistName};
    default:
      return {"", kPerson, kPresenterName};
  }
}
}  // namespace

std::string Term(absl::string_view prefix, absl::string_view value) {
  std::string term = absl::StrCat(prefix, value);
  if (term.size() > kMaxTermBytes) {
    size_t cut = kMaxTermBytes;
    // Back up over UTF-8 continuation bytes.
    while (cut > 0 && (static_cast<unsigned char>(term[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    term.resize(cut);
  }
  return term;
}

std::string IdTerm(absl::string_view type, absl::string_view id) {
  return Term(kId, absl::StrCat(type, ":", id));
}

absl::string_view KindName(v1::SessionKind kind) {
  switch (kind) {
    case v1::SESSION_KIND_PAPER:
      return "paper";
    case v1::SESSION_KIND_TALK:
      return "talk";
    case v1::SESSION_KIND_OPEN:
      return "open";
    default:
      return "unknown";
  }
}

absl::string_view RoleName(v1::PresenterRole role) {
  return TermsOf(role).name;
}
absl::string_view PersonPrefix(v1::PresenterRole role) {
  return TermsOf(role).person;
}
absl::string_view NamePrefix(v1::PresenterRole role) {
  return TermsOf(role).words;
}

std::string CommitTimestamp(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", time, absl::UTCTimeZone());
}

std::string DateValue(absl::string_view iso_date) {
  return absl::StrReplaceAll(iso_date, {{"-", ""}});
}

}  // namespace lectern::schema
