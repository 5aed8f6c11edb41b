// Turns records into Xapian documents following schema.h. Thread-compatible:
// a DocumentBuilder holds a TermGenerator, so use one per thread.
#ifndef LECTERN_INDEXER_DOCUMENTS_H_
#define LECTERN_INDEXER_DOCUMENTS_H_

#include <xapian.h>

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "lectern/v1/lectern.pb.h"

namespace lectern {

class DocumentBuilder {
 public:
  DocumentBuilder();

  // Each document holds its id term, filters, link and origin terms,
  // weighted free text, value slots, and the serialized record as data.
  Xapian::Document Session(const v1::Session& session);
  Xapian::Document Paper(const v1::Paper& paper);
  Xapian::Document Summary(const v1::Summary& summary);

 private:
  // Indexes `text` under `prefix` and, `weight` times, unprefixed; then
  // leaves a gap so phrases do not run into the next field.
  void Field(const std::string& text, absl::string_view prefix, int weight);

  Xapian::TermGenerator generator_;
};

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
