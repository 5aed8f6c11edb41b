#include "indexer/documents.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "indexer/normalize.h"
#include "indexer/schema.h"

namespace lectern {

DocumentBuilder::DocumentBuilder() {
  generator_.set_stemmer(Xapian::Stem(schema::kStemLanguage));
  generator_.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
}

Xapian::Document DocumentBuilder::Session(const v1::Session& session) {
  Xapian::Document doc;
  generator_.set_document(doc);
  const std::string kind(schema::KindName(session.kind()));

  doc.add_boolean_term(schema::IdTerm(schema::kTypeSession, session.id()));
  doc.add_boolean_term(schema::Term(schema::kType, schema::kTypeSession));
  doc.add_boolean_term(schema::Term(schema::kKind, kind));
  doc.add_boolean_term(schema::Term(schema::kGroup, session.group()));
  doc.add_boolean_term(
      schema::Term(schema::kDate, schema::DateValue(session.date())));

  // Free text. Gaps in term positions keep phrases inside one field and one
  // person's name.
  if (!session.title().empty()) {
    generator_.index_text(session.title(), 1, std::string(schema::kTitle));
    generator_.index_text(session.title(), schema::kTitleWeight);
    generator_.increase_termpos(100);
  }
  for (const v1::Presenter& presenter : session.presenters()) {
    doc.add_boolean_term(schema::Term(schema::kPerson, presenter.person_id()));
    std::vector<std::string> names = {presenter.name()};
    if (presenter.written_as() != presenter.name()) {
      names.push_back(presenter.written_as());
    }
    if (!presenter.nickname().empty()) names.push_back(presenter.nickname());
    for (const std::string& name : names) {
      generator_.index_text(name, 1, std::string(schema::kPresenterName));
      generator_.index_text(name, schema::kPresenterWeight);
      generator_.increase_termpos(100);
    }
    if (!presenter.affiliation().empty()) {
      generator_.index_text(presenter.affiliation());
      generator_.increase_termpos(100);
    }
  }
  if (session.has_paper()) {
    const v1::PaperRef& paper = session.paper();
    if (!paper.venue().empty()) {
      doc.add_boolean_term(
          schema::Term(schema::kVenue, VenueKey(paper.venue())));
      doc.add_value(schema::kSlotVenue, paper.venue());
      generator_.index_text(paper.venue());
      generator_.increase_termpos(100);
    }
    if (paper.year() > 0) {
      doc.add_boolean_term(
          schema::Term(schema::kYear, absl::StrCat(paper.year())));
      doc.add_value(schema::kSlotYear,
                    Xapian::sortable_serialise(paper.year()));
    }
    if (!paper.title_key().empty()) {
      doc.add_boolean_term(schema::Term(schema::kTitleKey, paper.title_key()));
    }
  }

  doc.add_value(schema::kSlotType, std::string(schema::kTypeSession));
  doc.add_value(schema::kSlotDate, schema::DateValue(session.date()));
  doc.add_value(schema::kSlotGroup, session.group());
  doc.add_value(schema::kSlotKind, kind);
  doc.set_data(session.SerializeAsString());
  return doc;
}

std::string SessionText(const v1::Session& session) {
  std::vector<std::string> parts;
  if (!session.title().empty()) parts.push_back(session.title());
  std::vector<std::string> people;
  for (const v1::Presenter& presenter : session.presenters()) {
    std::string person = presenter.name();
    if (!presenter.nickname().empty()) {
      absl::StrAppend(&person, " (", presenter.nickname(), ")");
    }
    if (!presenter.affiliation().empty()) {
      absl::StrAppend(&person, " (", presenter.affiliation(), ")");
    }
    people.push_back(std::move(person));
  }
  if (!people.empty()) parts.push_back(absl::StrJoin(people, ", "));
  if (session.has_paper() && !session.paper().venue().empty()) {
    parts.push_back(
        absl::StrCat(session.paper().venue(), " ", session.paper().year()));
  }
  return absl::StrJoin(parts, ". ");
}

}  // namespace lectern
