// lectern-bench-fts5-index: indexes lectern JSON Lines catalogs into an
// SQLite FTS5 table, the peer lectern-index is compared with.
//
//   lectern-bench-fts5-index --out papers.db catalog.jsonl...
//
// Creates
//
//   CREATE VIRTUAL TABLE papers USING fts5(title, authors, abstract,
//       venue UNINDEXED, year UNINDEXED, tokenize='porter unicode61')
//
// in a new database file (an existing one is refused, so a benchmark never
// appends to an old run) and inserts every record in one transaction with
// one prepared statement. Records are read one line at a time by lectern's
// own JSON Lines reader (ParseJsonLinesCatalog), so both indexers see the
// same text: title and authors cleaned, venue canonical, year 4 digits.
// Authors are joined with "; ". SQLite's defaults are kept (rollback
// journal, synchronous=FULL): the commit is durable, as Xapian's is.
//
// Prints "N documents from M files in S s" on stdout. Exit status: 0 on
// success, 1 when a file cannot be read (nothing is committed) or a record
// is malformed (it is reported and skipped, the rest committed), 2 for a
// bad command line.
#include <sqlite3.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "indexer/catalog.h"

ABSL_FLAG(std::string, out, "", "SQLite database to create (must not exist)");

namespace {

constexpr char kCreateTable[] =
    "CREATE VIRTUAL TABLE papers USING fts5(title, authors, abstract, "
    "venue UNINDEXED, year UNINDEXED, tokenize='porter unicode61')";
constexpr char kInsert[] =
    "INSERT INTO papers(title, authors, abstract, venue, year) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";

// One FTS5 table in a new database, filled in a single transaction.
// Not thread-safe.
class Fts5Writer {
 public:
  // Creates the database at `path` and the table, and begins the
  // transaction. AlreadyExists when `path` exists; Internal on SQLite
  // errors.
  static absl::StatusOr<Fts5Writer> Create(const std::string& path);

  Fts5Writer(Fts5Writer&& other) noexcept
      : db_(other.db_), insert_(other.insert_) {
    other.db_ = nullptr;
    other.insert_ = nullptr;
  }
  Fts5Writer(const Fts5Writer&) = delete;
  Fts5Writer& operator=(const Fts5Writer&) = delete;
  ~Fts5Writer();

  absl::Status Insert(const lectern::v1::Paper& paper);
  // Commits the transaction: every inserted row or none.
  absl::Status Commit();

 private:
  explicit Fts5Writer(sqlite3* db) : db_(db) {}

  // Internal status with SQLite's message for the last call on db_.
  absl::Status Error(absl::string_view what) const;
  absl::Status Exec(const char* sql);

  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
};

absl::StatusOr<Fts5Writer> Fts5Writer::Create(const std::string& path) {
  if (std::ifstream(path).good()) {
    return absl::AlreadyExistsError(
        absl::StrCat(path, " exists; remove it first"));
  }
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  Fts5Writer writer(db);  // Closes db on every return below.
  if (rc != SQLITE_OK) return writer.Error(absl::StrCat("cannot open ", path));
  if (absl::Status status = writer.Exec(kCreateTable); !status.ok()) {
    return status;
  }
  if (sqlite3_prepare_v2(db, kInsert, -1, &writer.insert_, nullptr) !=
      SQLITE_OK) {
    return writer.Error("cannot prepare the insert");
  }
  if (absl::Status status = writer.Exec("BEGIN"); !status.ok()) return status;
  return writer;
}

Fts5Writer::~Fts5Writer() {
  sqlite3_finalize(insert_);  // Both accept nullptr.
  sqlite3_close(db_);         // An open transaction is rolled back.
}

absl::Status Fts5Writer::Insert(const lectern::v1::Paper& paper) {
  const std::string authors = absl::StrJoin(paper.authors(), "; ");
  // SQLITE_STATIC: the strings outlive the step below.
  sqlite3_bind_text(insert_, 1, paper.title().data(),
                    static_cast<int>(paper.title().size()), SQLITE_STATIC);
  sqlite3_bind_text(insert_, 2, authors.data(),
                    static_cast<int>(authors.size()), SQLITE_STATIC);
  sqlite3_bind_text(insert_, 3, paper.abstract().data(),
                    static_cast<int>(paper.abstract().size()), SQLITE_STATIC);
  sqlite3_bind_text(insert_, 4, paper.venue().data(),
                    static_cast<int>(paper.venue().size()), SQLITE_STATIC);
  if (paper.year() > 0) {
    sqlite3_bind_int(insert_, 5, paper.year());
  } else {
    sqlite3_bind_null(insert_, 5);
  }
  const int rc = sqlite3_step(insert_);
  sqlite3_reset(insert_);
  return rc == SQLITE_DONE ? absl::OkStatus() : Error("insert failed");
}

absl::Status Fts5Writer::Commit() { return Exec("COMMIT"); }

absl::Status Fts5Writer::Error(absl::string_view what) const {
  return absl::InternalError(
      absl::StrCat(what, ": ", db_ ? sqlite3_errmsg(db_) : "out of memory"));
}

absl::Status Fts5Writer::Exec(const char* sql) {
  if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Error(sql);
  }
  return absl::OkStatus();
}

// Inserts every record of the JSON Lines file at `path`, one line at a
// time (memory stays flat however large the file). Malformed records are
// reported on stderr and counted in `*problems`. NotFound when the file
// cannot be opened.
absl::Status IndexFile(const std::string& path, Fts5Writer* writer,
                       int64_t* documents, int* problems) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::string line;
  for (int line_number = 1; std::getline(in, line); ++line_number) {
    lectern::ParsedCatalog parsed = lectern::ParseJsonLinesCatalog(line, path);
    for (lectern::ParseIssue& issue : parsed.issues) {
      issue.line = line_number;
      std::fprintf(stderr, "%s\n", issue.ToString().c_str());
      *problems += !issue.note;
    }
    for (const lectern::CatalogRecord& record : parsed.records) {
      if (absl::Status status = writer->Insert(record.paper); !status.ok()) {
        return status;
      }
      ++*documents;
    }
  }
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "indexes lectern JSON Lines catalogs into an SQLite FTS5 table.\n"
      "usage: lectern-bench-fts5-index --out DB FILE.jsonl...");
  const std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  const std::string out = absl::GetFlag(FLAGS_out);
  if (out.empty() || args.size() < 2) {
    std::fprintf(stderr,
                 "lectern-bench-fts5-index: --out DB and at least one "
                 "FILE.jsonl are required\n");
    return 2;
  }
  const absl::Time start = absl::Now();
  absl::StatusOr<Fts5Writer> writer = Fts5Writer::Create(out);
  if (!writer.ok()) {
    std::fprintf(stderr, "lectern-bench-fts5-index: %s\n",
                 std::string(writer.status().message()).c_str());
    return 1;
  }
  int64_t documents = 0;
  int problems = 0;
  for (size_t i = 1; i < args.size(); ++i) {
    const absl::Status status =
        IndexFile(args[i], &*writer, &documents, &problems);
    if (!status.ok()) {
      std::fprintf(stderr, "lectern-bench-fts5-index: %s\n",
                   std::string(status.message()).c_str());
      return 1;
    }
  }
  if (absl::Status status = writer->Commit(); !status.ok()) {
    std::fprintf(stderr, "lectern-bench-fts5-index: %s\n",
                 std::string(status.message()).c_str());
    return 1;
  }
  std::printf("%lld documents from %zu files in %.2f s\n",
              static_cast<long long>(documents), args.size() - 1,
              absl::ToDoubleSeconds(absl::Now() - start));
  return problems > 0 ? 1 : 0;
}
