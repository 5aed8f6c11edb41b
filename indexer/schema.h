// The Xapian index schema: every term prefix and value slot lectern uses is
// defined here and nowhere else. docs/DESIGN.md describes the same table
// for people; keep both in step.
//
// Conventions follow Xapian's (omega's termprefixes.rst): single capitals
// are the standard prefixes, X-prefixes are ours, and no prefix is a prefix
// of another so each can be enumerated with allterms_begin(prefix).
#ifndef LECTERN_INDEXER_SCHEMA_H_
#define LECTERN_INDEXER_SCHEMA_H_

#include <xapian.h>

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "lectern/v1/lectern.pb.h"

namespace lectern::schema {

// Bump when documents change shape: the indexer then rewrites every
// document instead of skipping unchanged ones.
inline constexpr int kVersion = 5;

// Stemmer for every free-text field, at index and query time alike. CJK
// text is indexed as unigrams and bigrams (FLAG_CJK_NGRAM) on both sides.
inline constexpr char kStemLanguage[] = "english";

// --- Boolean terms (filters; no positions, no weight) ---
// Unique id: "Q" + type + ":" + record id ("Qsession:fall-2024/2024-10-15/1").
inline constexpr absl::string_view kId = "Q";
// Record type: "session", "paper", "summary".
inline constexpr absl::string_view kType = "XTYPE";
// Session kind: "paper", "talk", "open".
inline constexpr absl::string_view kKind = "XKIND";
// Group id ("fall-2024").
inline constexpr absl::string_view kGroup = "XGROUP";
// Venue key: VenueKey() of the canonical venue ("usenixatc").
inline constexpr absl::string_view kVenue = "XVENUE";
// Four-digit year ("2024").
inline constexpr absl::string_view kYear = "XYEAR";
// Date, YYYYMMDD (Xapian's standard "D" prefix).
inline constexpr absl::string_view kDate = "D";
// Presenter identity: PersonKey() of the name ("zongqingwei").
inline constexpr absl::string_view kPerson = "XPERSON";
// Presenter identity by role (1+N format): the main presenter's
// ("XMAINchaoyiruan") and each assistant's ("XASSISTkunzhaoxu").
inline constexpr absl::string_view kMainPerson = "XMAIN";
inline constexpr absl::string_view kAssistPerson = "XASSIST";
// The roles a session's presenters hold: "main", "assist".
inline constexpr absl::string_view kRole = "XROLE";
// Title key of the paper: TitleKey(), unified across spellings.
inline constexpr absl::string_view kTitleKey = "XTKEY";
// Links: the catalog paper id a session presented or a summary is about,
// and the session id a summary covers. Neighbours are found by these terms
// at query time, so adding a summary never rewrites its session.
inline constexpr absl::string_view kPaperLink = "XPAPER";
inline constexpr absl::string_view kSessionLink = "XSESSION";
// The inputs a document comes from ("group:fall-2024",
// "catalog:catalog/osdi_sosp.jsonl", "summaries:summaries"); decides which
// documents a run may delete.
inline constexpr absl::string_view kOrigin = "XORIGIN";
// Summary language, "zh" or "en" (Xapian's standard "L").
inline constexpr absl::string_view kLanguage = "L";

// --- Free-text prefixes (positional; also indexed unprefixed) ---
// Title words (Xapian's standard "S", subject/title).
inline constexpr absl::string_view kTitle = "S";
// Presenter names, as canonical name, as written and nickname.
inline constexpr absl::string_view kPresenterName = "XNAME";
// The same names by role, so presenter:NAME role:assist matches the words
// of an assistant's name only.
inline constexpr absl::string_view kMainName = "XMNAME";
inline constexpr absl::string_view kAssistName = "XANAME";
// Paper authors (Xapian's standard "A").
inline constexpr absl::string_view kAuthor = "A";
// Paper abstracts.
inline constexpr absl::string_view kAbstract = "XABSTRACT";

// --- Within-document frequency boosts of the unprefixed copies ---
inline constexpr int kTitleWeight = 3;
inline constexpr int kPresenterWeight = 2;

// --- Ranking across record types ---
// What the group itself discussed answers "what did we discuss about X"
// better than a catalog paper of equal BM25 score: session scores are
// multiplied by kSessionBoost, summary scores by kSummaryBoost, papers'
// are left as they are.
inline constexpr double kSessionBoost = 2.0;
inline constexpr double kSummaryBoost = 1.5;

// --- Value slots ---
enum Slot : Xapian::valueno {
  kSlotType = 0,   // "session", "paper", "summary"
  kSlotDate = 1,   // YYYYMMDD; sorts and ranges by date
  kSlotYear = 2,   // Xapian::sortable_serialise(year)
  kSlotVenue = 3,  // canonical venue name
  kSlotGroup = 4,  // group id
  kSlotKind = 5,   // session kind, as kKind
  kSlotId = 6,     // record id (without the type), for links and logs
  // Presenter display names joined by '\n' (sessions, and summaries by
  // their session); the presenter facet splits them.
  kSlotPresenters = 7,
  // The paper a record is about: a paper's own id, the catalog id (or
  // failing that the title key) of a session's or summary's paper. Search
  // collapses on it.
  kSlotPaperKey = 8,
  // Sort key for "by date": YYYYMMDD of a session or summary, YYYY0000 of
  // a paper (its year, before the dated records of that year).
  kSlotWhen = 9,
  // Hash of everything else in the document; the indexer compares it to
  // skip unchanged documents without reading their data.
  kSlotFingerprint = 10,
  // kSlotWhen (00000000 when a record has none), then type and id: orders
  // equal scores newest first and then by record, the same whether the
  // index is one database or shards (Xapian would fall back on docids,
  // which sharding changes).
  kSlotTieBreak = 11,
};

// Separates the names in kSlotPresenters.
inline constexpr char kPresenterSeparator = '\n';

// Metadata keys (Database::get_metadata).
// Schema version of the documents, as decimal text.
inline constexpr absl::string_view kMetaSchemaVersion =
    "lectern.schema_version";
// Serialized v1::Group per group: kMetaGroupPrefix + group id.
inline constexpr absl::string_view kMetaGroupPrefix = "lectern.group/";

// The synonym table (SynonymTable::Serialize) applied at query time.
inline constexpr absl::string_view kMetaSynonyms = "lectern.synonyms";
// When the last commit was made, RFC 3339 UTC; written with every commit.
inline constexpr absl::string_view kMetaCommittedAt = "lectern.committed_at";
// In a sharded index (shard_map.h), the home database's record of how many
// catalog shards were written beside it, as decimal text; absent in a
// single database.
inline constexpr absl::string_view kMetaShardCount = "lectern.shard_count";
// Answers of the write API by request id (AIP-155): kMetaRequestPrefix +
// request id; the value is written by librarian.cc.
inline constexpr absl::string_view kMetaRequestPrefix = "lectern.request/";

// Names of the record types, as in kType terms and kSlotType values.
inline constexpr absl::string_view kTypeSession = "session";
inline constexpr absl::string_view kTypePaper = "paper";
inline constexpr absl::string_view kTypeSummary = "summary";

// prefix + value, cut to Xapian's term length limit at a UTF-8 boundary.
std::string Term(absl::string_view prefix, absl::string_view value);

// The unique id term of a record.
std::string IdTerm(absl::string_view type, absl::string_view id);

// "paper", "talk" or "open".
absl::string_view KindName(v1::SessionKind kind);

// "main" or "assist" (kRole terms, role: values); "" when unspecified.
absl::string_view RoleName(v1::PresenterRole role);
// The identity and name-word prefixes of `role`; kPerson and
// kPresenterName for an unspecified one.
absl::string_view PersonPrefix(v1::PresenterRole role);
absl::string_view NamePrefix(v1::PresenterRole role);

// `time` as kMetaCommittedAt stores it: "2024-12-24T09:30:00Z".
std::string CommitTimestamp(absl::Time time);

// "20241015" for "2024-10-15".
std::string DateValue(absl::string_view iso_date);

}  // namespace lectern::schema

#endif  // LECTERN_INDEXER_SCHEMA_H_
