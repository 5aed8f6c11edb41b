// Turns records into Xapian documents following schema.h. Thread-compatible:
// a DocumentBuilder holds a TermGenerator, so use one per thread.
#ifndef LECTERN_INDEXER_DOCUMENTS_H_
#define LECTERN_INDEXER_DOCUMENTS_H_

#include <xapian.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "lectern/v1/lectern.pb.h"

namespace lectern {

class DocumentBuilder {
 public:
  // Every document also gets the origins `extra_origins` (ApiOrigin() for
  // records written through the write API).
  explicit DocumentBuilder(std::vector<std::string> extra_origins = {});

  // Each document holds its id term, filters, link and origin terms,
  // weighted free text, value slots, and the serialized record as data.
  Xapian::Document Session(const v1::Session& session);
  Xapian::Document Paper(const v1::Paper& paper);
  // A summary also carries, as filters, the venue, year and presenters of
  // `session` (the one it covers) when given.
  Xapian::Document Summary(const v1::Summary& summary,
                           const v1::Session* session = nullptr);

 private:
  // Indexes `text` under `prefix` and, `weight` times, unprefixed; then
  // leaves a gap so phrases do not run into the next field.
  void Field(const std::string& text, absl::string_view prefix, int weight);

  Xapian::TermGenerator generator_;
  std::vector<std::string> extra_origins_;
};

// FNV-1a, 64 bits: a stable hash of `bytes` for fingerprints (the same on
// every run and machine, unlike std::hash).
uint64_t Fnv1a64(absl::string_view bytes);

// The words of `doc` worth offering as spelling corrections: its
// unprefixed, unstemmed terms that are ASCII words of 3 to 32 letters and
// digits starting with a letter. The indexer adds each once per document,
// so a word's spelling frequency is its document frequency.
std::vector<std::string> SpellingWords(const Xapian::Document& doc);

// The inputs a record comes from (corpus.h's origin labels).
std::vector<std::string> OriginsOf(const v1::Session& session);
std::vector<std::string> OriginsOf(const v1::Paper& paper);
std::vector<std::string> OriginsOf(const v1::Summary& summary);

// The text a hit's snippet is cut from. A session: title, presenters (with
// affiliations), venue and year. A paper: its abstract (the title when it
// has none). A summary: its text.
std::string SessionText(const v1::Session& session);
std::string PaperText(const v1::Paper& paper);
std::string SummaryText(const v1::Summary& summary);

}  // namespace lectern

#endif  // LECTERN_INDEXER_DOCUMENTS_H_
