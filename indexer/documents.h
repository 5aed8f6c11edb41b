// Turns records into Xapian documents following schema.h. Thread-compatible:
// a DocumentBuilder holds a TermGenerator, so use one per thread.
#ifndef LECTERN_INDEXER_DOCUMENTS_H_
#define LECTERN_INDEXER_DOCUMENTS_H_

#include <xapian.h>

#include <string>

#include "lectern/v1/lectern.pb.h"

namespace lectern {

class DocumentBuilder {
 public:
  DocumentBuilder();

  // The document for a session: its id term, filters, weighted free text,
  // value slots, and the serialized record as data.
  Xapian::Document Session(const v1::Session& session);

 private:
  Xapian::TermGenerator generator_;
};

// The text a session hit's snippet is cut from: title, presenters (with
// affiliations), venue and year.
std::string SessionText(const v1::Session& session);

}  // namespace lectern

#endif  // LECTERN_INDEXER_DOCUMENTS_H_
