#include "indexer/documents.h"

#include <filesystem>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "indexer/corpus.h"
#include "indexer/normalize.h"
#include "indexer/schema.h"

namespace lectern {
namespace {

void AddOrigins(const std::vector<std::string>& origins,
                Xapian::Document* doc) {
  for (const std::string& origin : origins) {
    doc->add_boolean_term(schema::Term(schema::kOrigin, origin));
  }
}

void AddVenueAndYear(const std::string& venue, int year,
                     Xapian::Document* doc) {
  if (!venue.empty()) {
    doc->add_boolean_term(schema::Term(schema::kVenue, VenueKey(venue)));
    doc->add_value(schema::kSlotVenue, venue);
  }
  if (year > 0) {
    doc->add_boolean_term(schema::Term(schema::kYear, absl::StrCat(year)));
    doc->add_value(schema::kSlotYear, Xapian::sortable_serialise(year));
  }
}

void AddPresenters(const v1::Session& session, Xapian::Document* doc) {
  std::vector<std::string> names;
  for (const v1::Presenter& presenter : session.presenters()) {
    doc->add_boolean_term(schema::Term(schema::kPerson, presenter.person_id()));
    if (presenter.role() != v1::PRESENTER_ROLE_UNSPECIFIED) {
      doc->add_boolean_term(schema::Term(schema::PersonPrefix(presenter.role()),
                                         presenter.person_id()));
      doc->add_boolean_term(
          schema::Term(schema::kRole, schema::RoleName(presenter.role())));
    }
    names.push_back(presenter.name());
  }
  if (!names.empty()) {
    doc->add_value(
        schema::kSlotPresenters,
        absl::StrJoin(names, std::string(1, schema::kPresenterSeparator)));
  }
}

// What Search collapses on: the catalog paper, or the title key of a paper
// the catalog does not hold.
std::string PaperKeyOf(const v1::Session& session) {
  if (!session.has_paper()) return "";
  if (!session.paper().paper_id().empty()) return session.paper().paper_id();
  if (!session.paper().title_key().empty()) {
    return absl::StrCat("title:", session.paper().title_key());
  }
  return "";
}

// Stamps the fingerprint of everything else in `doc` (see kSlotFingerprint).
Xapian::Document Finish(Xapian::Document doc) {
  const std::string when = doc.get_value(schema::kSlotWhen);
  doc.add_value(schema::kSlotTieBreak,
                absl::StrCat(when.empty() ? "00000000" : when,
                             doc.get_value(schema::kSlotType), "/",
                             doc.get_value(schema::kSlotId)));
  doc.add_value(schema::kSlotFingerprint,
                absl::StrCat(absl::Hex(Fnv1a64(doc.serialise()))));
  return doc;
}

}  // namespace

uint64_t Fnv1a64(absl::string_view bytes) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

DocumentBuilder::DocumentBuilder(std::vector<std::string> extra_origins)
    : extra_origins_(std::move(extra_origins)) {
  generator_.set_stemmer(Xapian::Stem(schema::kStemLanguage));
  generator_.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
}

void DocumentBuilder::Field(const std::string& text, absl::string_view prefix,
                            int weight) {
  if (text.empty()) return;
  if (!prefix.empty()) generator_.index_text(text, 1, std::string(prefix));
  if (weight > 0) generator_.index_text(text, weight);
  generator_.increase_termpos(100);
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
  AddOrigins(OriginsOf(session), &doc);
  AddOrigins(extra_origins_, &doc);

  Field(session.title(), schema::kTitle, schema::kTitleWeight);
  AddPresenters(session, &doc);
  for (const v1::Presenter& presenter : session.presenters()) {
    std::vector<std::string> spellings = {presenter.name()};
    if (presenter.written_as() != presenter.name()) {
      spellings.push_back(presenter.written_as());
    }
    spellings.push_back(presenter.nickname());
    for (const std::string& spelling : spellings) {
      Field(spelling, schema::kPresenterName, schema::kPresenterWeight);
      if (presenter.role() != v1::PRESENTER_ROLE_UNSPECIFIED &&
          !spelling.empty()) {
        // For phrase matching under role: only; wdf 0 keeps the session's
        // length, and so its BM25 scores, as without roles.
        generator_.index_text(
            spelling, 0, std::string(schema::NamePrefix(presenter.role())));
        generator_.increase_termpos(100);
      }
    }
    Field(presenter.affiliation(), "", 1);
  }
  if (session.has_paper()) {
    const v1::PaperRef& paper = session.paper();
    AddVenueAndYear(paper.venue(), paper.year(), &doc);
    Field(paper.venue(), "", 1);
    if (!paper.title_key().empty()) {
      doc.add_boolean_term(schema::Term(schema::kTitleKey, paper.title_key()));
    }
    if (!paper.paper_id().empty()) {
      doc.add_boolean_term(schema::Term(schema::kPaperLink, paper.paper_id()));
    }
  }

  doc.add_value(schema::kSlotType, std::string(schema::kTypeSession));
  doc.add_value(schema::kSlotDate, schema::DateValue(session.date()));
  doc.add_value(schema::kSlotGroup, session.group());
  doc.add_value(schema::kSlotKind, kind);
  doc.add_value(schema::kSlotId, session.id());
  doc.add_value(schema::kSlotWhen, schema::DateValue(session.date()));
  const std::string paper_key = PaperKeyOf(session);
  if (!paper_key.empty()) doc.add_value(schema::kSlotPaperKey, paper_key);
  doc.set_data(session.SerializeAsString());
  return Finish(std::move(doc));
}

Xapian::Document DocumentBuilder::Paper(const v1::Paper& paper) {
  Xapian::Document doc;
  generator_.set_document(doc);
  doc.add_boolean_term(schema::IdTerm(schema::kTypePaper, paper.id()));
  doc.add_boolean_term(schema::Term(schema::kType, schema::kTypePaper));
  if (!paper.title_key().empty()) {
    doc.add_boolean_term(schema::Term(schema::kTitleKey, paper.title_key()));
  }
  AddVenueAndYear(paper.venue(), paper.year(), &doc);
  AddOrigins(OriginsOf(paper), &doc);
  AddOrigins(extra_origins_, &doc);

  Field(paper.title(), schema::kTitle, schema::kTitleWeight);
  for (const std::string& author : paper.authors()) {
    Field(author, schema::kAuthor, 1);
  }
  Field(paper.abstract(), schema::kAbstract, 1);
  Field(paper.venue(), "", 1);

  doc.add_value(schema::kSlotType, std::string(schema::kTypePaper));
  doc.add_value(schema::kSlotId, paper.id());
  doc.add_value(schema::kSlotPaperKey, paper.id());
  if (paper.year() > 0) {
    doc.add_value(schema::kSlotWhen, absl::StrCat(paper.year(), "0000"));
  }
  doc.set_data(paper.SerializeAsString());
  return Finish(std::move(doc));
}

Xapian::Document DocumentBuilder::Summary(const v1::Summary& summary,
                                          const v1::Session* session) {
  Xapian::Document doc;
  generator_.set_document(doc);
  doc.add_boolean_term(schema::IdTerm(schema::kTypeSummary, summary.id()));
  doc.add_boolean_term(schema::Term(schema::kType, schema::kTypeSummary));
  doc.add_boolean_term(schema::Term(schema::kGroup, summary.group()));
  doc.add_boolean_term(
      schema::Term(schema::kDate, schema::DateValue(summary.date())));
  doc.add_boolean_term(
      schema::Term(schema::kSessionLink, summary.session_id()));
  if (!summary.paper_id().empty()) {
    doc.add_boolean_term(schema::Term(schema::kPaperLink, summary.paper_id()));
  }
  doc.add_boolean_term(schema::Term(schema::kLanguage, summary.language()));
  AddOrigins(OriginsOf(summary), &doc);
  AddOrigins(extra_origins_, &doc);

  Field(summary.title(), schema::kTitle, schema::kTitleWeight);
  Field(summary.text(), "", 1);

  doc.add_value(schema::kSlotType, std::string(schema::kTypeSummary));
  doc.add_value(schema::kSlotDate, schema::DateValue(summary.date()));
  doc.add_value(schema::kSlotGroup, summary.group());
  doc.add_value(schema::kSlotId, summary.id());
  doc.add_value(schema::kSlotWhen, schema::DateValue(summary.date()));
  std::string paper_key = summary.paper_id();
  if (session != nullptr) {
    AddPresenters(*session, &doc);
    if (session->has_paper()) {
      AddVenueAndYear(session->paper().venue(), session->paper().year(), &doc);
    }
    if (paper_key.empty()) paper_key = PaperKeyOf(*session);
  }
  if (!paper_key.empty()) doc.add_value(schema::kSlotPaperKey, paper_key);
  doc.set_data(summary.SerializeAsString());
  return Finish(std::move(doc));
}

std::vector<std::string> SpellingWords(const Xapian::Document& doc) {
  std::vector<std::string> words;
  // Unprefixed terms sort after the capitalised prefixes, from "a".
  auto term = doc.termlist_begin();
  for (term.skip_to("a"); term != doc.termlist_end(); ++term) {
    const std::string word = *term;
    if (word.size() < 3 || word.size() > 32) continue;
    if (!absl::ascii_islower(static_cast<unsigned char>(word[0]))) continue;
    bool plain = true;
    for (char c : word) {
      plain &= absl::ascii_islower(static_cast<unsigned char>(c)) ||
               absl::ascii_isdigit(static_cast<unsigned char>(c));
    }
    if (plain) words.push_back(word);
  }
  return words;
}

std::vector<std::string> OriginsOf(const v1::Session& session) {
  return {GroupOrigin(session.group())};
}

std::vector<std::string> OriginsOf(const v1::Paper& paper) {
  std::set<std::string> files;
  for (const v1::FieldSource& source : paper.provenance()) {
    const size_t colon = source.source().rfind(':');
    files.insert(source.source().substr(0, colon));
  }
  std::vector<std::string> origins;
  origins.reserve(files.size());
  for (const std::string& file : files) origins.push_back(CatalogOrigin(file));
  return origins;
}

std::vector<std::string> OriginsOf(const v1::Summary& summary) {
  return {SummariesOrigin(
      std::filesystem::path(summary.id()).parent_path().generic_string())};
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

std::string PaperText(const v1::Paper& paper) {
  return paper.abstract().empty() ? paper.title() : paper.abstract();
}

std::string SummaryText(const v1::Summary& summary) { return summary.text(); }

}  // namespace lectern
