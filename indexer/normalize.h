// Normalization shared by every input lectern reads (schedules now, catalogs
// and summaries later): venue names, years, people's names and paper titles.
// Pure functions; thread-safe.
#ifndef LECTERN_INDEXER_NORMALIZE_H_
#define LECTERN_INDEXER_NORMALIZE_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace lectern {

// Folds full-width ASCII forms and CJK punctuation to ASCII ("（" to "(",
// "：" to ": "), collapses whitespace runs to
// one space and trims both ends.
std::string CleanText(absl::string_view text);

struct Venue {
  // Canonical name ("USENIX ATC"); the cleaned input when not recognized.
  std::string name;
  bool recognized = false;
};

// Canonical venue name for the ways schedules and catalogs write it:
// "ATC", "usenix atc" and "USENIX ATC" are all "USENIX ATC"; "Eurosys" is
// "EuroSys"; "SOCC" is "SoCC"; "PVLDB" is "VLDB".
Venue CanonicalVenue(absl::string_view written);

// The known venue a longer text names: "OSDI" for "18th USENIX Symposium on
// Operating Systems Design and Implementation, OSDI 2024", "USENIX ATC" for
// "2024 USENIX Annual Technical Conference (USENIX ATC 24)". Tries runs of
// up to three words, longest first, left to right.
std::optional<std::string> FindVenueIn(absl::string_view text);

// Lowercase letters and digits of a canonical venue name ("usenixatc"): the
// form venue terms take in the index.
std::string VenueKey(absl::string_view canonical_name);

// Four-digit year from "2024", "24", "'24" or "’24"; nullopt otherwise. Two
// digits are 20YY up to 69 and 19YY from 70.
std::optional<int> NormalizeYear(absl::string_view written);

// Identity key of a person's name: lowercase letters and digits only, so
// "Zongqing Wei", "Zongqing wei" and "zongqing  wei" share "zongqingwei",
// and "XiangShen" and "Xiang Shen" share "xiangshen".
std::string PersonKey(absl::string_view name);

// How well a spelling of a name reads, for choosing the display name among
// spellings with the same PersonKey: words separated by spaces and starting
// with a capital letter score higher.
int NameSpellingScore(absl::string_view name);

// Normalized title: lowercase letters and digits of CleanText(title), all
// punctuation and spacing removed ("powerinferfastlargelanguage...").
std::string TitleKey(absl::string_view title);

// True when two title keys name the same paper despite small differences:
// equal; or one is a prefix of the other with at most 12 characters of
// trailing residue ("...consumergradegpu" vs "...consumergradegputraining");
// or both are long and differ by an edit distance of at most one per eight
// characters. Short keys must be equal.
bool TitleKeysMatch(absl::string_view a, absl::string_view b);

// The DOI inside a DOI or ACM Digital Library URL ("https://dl.acm.org/doi/
// abs/10.1145/3600006.3613139" gives "10.1145/3600006.3613139"); empty when
// the URL holds none.
std::string DoiFromUrl(absl::string_view url);

}  // namespace lectern

#endif  // LECTERN_INDEXER_NORMALIZE_H_
