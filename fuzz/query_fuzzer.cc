// Fuzz target: the query language (indexer/query.h) as Search uses it:
// QueryBuilder::Correct, then QueryBuilder::Parse, then the query run on a
// small index, with the synonym table of data/synonyms.txt's kind.
// The index is a glass database built once in a temporary folder (glass,
// not in-memory, so that spelling suggestions work), removed at exit.
// Checks: Parse of invalid UTF-8, an over-long or blank query is
// InvalidArgument; every failure is InvalidArgument (a malformed query is
// the user's mistake, never an internal error); a parsed query is not
// empty and runs; a correction is "" or valid UTF-8 that differs.
#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "fuzz/fuzz_checks.h"
#include "indexer/query.h"
#include "indexer/schema.h"
#include "indexer/synonyms.h"
#include "indexer/utf8.h"

namespace {

constexpr absl::string_view kSynonyms =
    "llm, llms, large language model, 大模型\n"
    "kv cache, kv-cache, key-value cache\n"
    "gpu, gpus, accelerator\n"
    "os, operating system\n";

struct Paper {
  const char* title;
  const char* author;
  const char* venue;
  int year;
  const char* date;  // of a session, "" for none
};

constexpr Paper kPapers[] = {
    {"DistServe: Disaggregating Prefill and Decoding for LLM Serving",
     "Yinmin Zhong", "OSDI", 2024, "2024-12-24"},
    {"Efficient Memory Management for Large Language Model Serving with "
     "PagedAttention",
     "Woosuk Kwon", "SOSP", 2023, "2024-10-15"},
    {"μSlope: High Compression and Fast Search on Semi-Structured Logs",
     "Rui Wang", "OSDI", 2024, ""},
    {"大模型推理系统 KV cache 管理", "张三", "ATC", 2024, "2024-09-03"},
    {"The Linux Scheduler: a Decade of Wasted Cores", "Jean-Pierre Lozi",
     "EuroSys", 2016, ""},
};

std::string* index_dir = nullptr;

void RemoveIndex() {
  std::error_code ignored;
  std::filesystem::remove_all(*index_dir, ignored);
}

Xapian::Database BuildIndex() {
  std::string dir =
      (std::filesystem::temp_directory_path() / "lectern-query-fuzz-XXXXXX")
          .string();
  if (mkdtemp(dir.data()) == nullptr) lectern::fuzz::Fail("mkdtemp", dir);
  index_dir = new std::string(dir);
  std::atexit(RemoveIndex);
  Xapian::WritableDatabase db(dir + "/index", Xapian::DB_CREATE_OR_OVERWRITE);
  Xapian::TermGenerator terms;
  terms.set_stemmer(Xapian::Stem(lectern::schema::kStemLanguage));
  terms.set_database(db);
  terms.set_flags(Xapian::TermGenerator::FLAG_SPELLING |
                  Xapian::TermGenerator::FLAG_CJK_NGRAM);
  for (const Paper& paper : kPapers) {
    Xapian::Document doc;
    terms.set_document(doc);
    terms.index_text(paper.title, 1, std::string(lectern::schema::kTitle));
    terms.index_text(paper.title);
    terms.index_text(paper.author, 1, std::string(lectern::schema::kAuthor));
    doc.add_boolean_term(lectern::schema::Term(lectern::schema::kYear,
                                               std::to_string(paper.year)));
    doc.add_boolean_term(lectern::schema::Term(lectern::schema::kType,
                                               lectern::schema::kTypePaper));
    doc.add_value(lectern::schema::kSlotYear,
                  Xapian::sortable_serialise(paper.year));
    if (*paper.date != '\0') {
      const std::string date = lectern::schema::DateValue(paper.date);
      doc.add_boolean_term(lectern::schema::Term(lectern::schema::kDate, date));
      doc.add_value(lectern::schema::kSlotDate, date);
    }
    doc.set_data(paper.title);
    db.add_document(doc);
  }
  db.commit();
  return Xapian::Database(dir + "/index");
}

struct Fixture {
  Xapian::Database db = BuildIndex();
  lectern::QueryBuilder builder{db};
  Fixture() {
    std::vector<lectern::ParseIssue> issues;
    builder.SetSynonyms(
        lectern::SynonymTable::Parse(kSynonyms, "synonyms.txt", &issues));
    if (!issues.empty()) lectern::fuzz::Fail("synonyms", issues[0].ToString());
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture* const fixture = new Fixture;
  const absl::string_view text(reinterpret_cast<const char*>(data), size);

  const std::string corrected = fixture->builder.Correct(text);
  LECTERN_FUZZ_CHECK(
      corrected.empty() ||
          (lectern::utf8::IsValid(corrected) && corrected != text),
      absl::StrCat("'", text, "' corrected to '", corrected, "'"));

  const absl::StatusOr<Xapian::Query> query = fixture->builder.Parse(text);
  if (!query.ok()) {
    LECTERN_FUZZ_CHECK(
        query.status().code() == absl::StatusCode::kInvalidArgument,
        absl::StrCat("'", text, "': ", query.status().ToString()));
    return 0;
  }
  LECTERN_FUZZ_CHECK(text.size() <= lectern::kMaxQueryBytes &&
                         lectern::utf8::IsValid(text) &&
                         !absl::StripAsciiWhitespace(text).empty(),
                     absl::StrCat("'", text, "' parsed"));
  LECTERN_FUZZ_CHECK(!query->empty(), absl::StrCat("'", text, "'"));
  try {
    Xapian::Enquire enquire(fixture->db);
    enquire.set_query(*query);
    enquire.get_mset(0, 10);
  } catch (const Xapian::Error& e) {
    lectern::fuzz::Fail(
        "the parsed query runs",
        absl::StrCat("'", text, "' -> ", query->get_description(), ": ",
                     e.get_description()));
  }
  return 0;
}
