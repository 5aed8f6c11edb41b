#include "bench/search/systems.h"

#include <sqlite3.h>
#include <xapian.h>

#include <map>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "bench/search/fts5_query.h"
#include "indexer/documents.h"
#include "indexer/index_reader.h"
#include "indexer/schema.h"
#include "indexer/searcher.h"
#include "indexer/status_macros.h"
#include "indexer/xapian_status.h"
#include "lectern/v1/lectern.pb.h"

namespace lectern::bench {
namespace {

// Values per facet, lectern's default (kDefaultFacetLimit).
constexpr int kFacetLimit = kDefaultFacetLimit;

// The parse flags of indexer/query.cc (kParseFlags there is private).
constexpr unsigned kParseFlags =
    Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
    Xapian::QueryParser::FLAG_PURE_NOT | Xapian::QueryParser::FLAG_CJK_NGRAM;

// The value slots lectern's facets count (searcher.cc FacetSlot).
constexpr Xapian::valueno kFacetSlots[] = {
    schema::kSlotType, schema::kSlotVenue, schema::kSlotYear,
    schema::kSlotGroup, schema::kSlotPresenters};

// --- raw Xapian ---

// A QueryParser set up as lectern's QueryBuilder sets up its own, without
// what only lectern's code can do: synonyms (the "syn" field) and the
// field processors that normalize values (presenter:, venue: and year:
// become plain boolean prefixes here; the query set only uses venues and
// years whose terms are the value as written).
Xapian::QueryParser LecternLikeParser(const Xapian::Database& db) {
  Xapian::QueryParser parser;
  parser.set_database(db);
  parser.set_stemmer(Xapian::Stem(schema::kStemLanguage));
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  parser.set_default_op(Xapian::Query::OP_OR);
  parser.set_max_expansion(kMaxWildcardExpansion,
                           Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
  parser.add_prefix("title", std::string(schema::kTitle));
  parser.add_prefix("author", std::string(schema::kAuthor));
  parser.add_prefix("abstract", std::string(schema::kAbstract));
  parser.add_boolean_prefix("presenter", std::string(schema::kPerson));
  parser.add_boolean_prefix("venue", std::string(schema::kVenue));
  parser.add_boolean_prefix("year", std::string(schema::kYear));
  parser.add_boolean_prefix("date", std::string(schema::kDate));
  parser.add_boolean_prefix("group", std::string(schema::kGroup));
  parser.add_boolean_prefix("type", std::string(schema::kType));
  parser.add_boolean_prefix("kind", std::string(schema::kKind));
  parser.add_rangeprocessor(
      (new Xapian::NumberRangeProcessor(schema::kSlotYear, "year:"))
          ->release());
  parser.add_rangeprocessor(
      (new Xapian::DateRangeProcessor(schema::kSlotDate, "date:"))->release());
  return parser;
}

// Xapian's cheapest snippet: without its default background model and
// exhaustive search, which read the index and scan more windows.
constexpr unsigned kXapianSnippetFlags = Xapian::MSet::SNIPPET_CJK_NGRAM;

// The text a hit's snippet is cut from: the record's main text, as
// lectern's Searcher::FillHit tries first.
absl::StatusOr<std::string> MainText(const Xapian::Document& doc) {
  const std::string type = doc.get_value(schema::kSlotType);
  if (type == schema::kTypePaper) {
    LECTERN_ASSIGN_OR_RETURN(v1::Paper paper, DecodeRecord<v1::Paper>(doc));
    return std::move(*paper.mutable_abstract());
  }
  if (type == schema::kTypeSummary) {
    LECTERN_ASSIGN_OR_RETURN(const v1::Summary summary,
                             DecodeRecord<v1::Summary>(doc));
    return SummaryText(summary);
  }
  LECTERN_ASSIGN_OR_RETURN(const v1::Session session,
                           DecodeRecord<v1::Session>(doc));
  return SessionText(session);
}

class RawXapian final : public SearchSystem {
 public:
  // With `with_snippets` each hit's record is decoded and its main text
  // cut into a highlighted snippet (lectern's flags and length), as a
  // search page needs; without, the match alone.
  RawXapian(Xapian::Database db, std::vector<BenchQuery> queries,
            bool with_snippets)
      : db_(std::move(db)),
        parser_(LecternLikeParser(db_)),
        stemmer_(schema::kStemLanguage),
        queries_(std::move(queries)),
        with_snippets_(with_snippets) {}

  absl::string_view name() const override {
    return with_snippets_ ? "raw-xapian" : "xapian-match";
  }
  int64_t documents() const override { return db_.get_doccount(); }

  absl::StatusOr<RunResult> Run(size_t index, bool describe) override {
    const BenchQuery& query = queries_[index];
    try {
      Xapian::Enquire enquire(db_);
      enquire.set_query(parser_.parse_query(query.text, kParseFlags));
      // Weighting stays Xapian's default, BM25 with default parameters, as
      // lectern leaves it; equal scores list the newest first, as there.
      enquire.set_sort_by_relevance_then_value(schema::kSlotWhen, true);
      std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
      if (query.faceted()) {
        for (Xapian::valueno slot : kFacetSlots) {
          spies.push_back(std::make_unique<Xapian::ValueCountMatchSpy>(slot));
          enquire.add_matchspy(spies.back().get());
        }
      }
      // Facets see the whole match set, as lectern's do.
      const Xapian::MSet mset =
          enquire.get_mset(0, kTopK, query.faceted() ? db_.get_doccount() : 0);
      RunResult result;
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        const Xapian::Document doc = it.get_document();
        result.checksum += doc.get_data().size();
        ++result.hits;
        if (with_snippets_) {
          LECTERN_ASSIGN_OR_RETURN(const std::string text, MainText(doc));
          result.checksum +=
              mset.snippet(text, kSnippetBytes, stemmer_, kXapianSnippetFlags,
                           "<mark>", "</mark>", "…")
                  .size();
        }
        if (describe) {
          result.ids.push_back(absl::StrCat(doc.get_value(schema::kSlotType),
                                            ":",
                                            doc.get_value(schema::kSlotId)));
        }
      }
      for (const auto& spy : spies) {
        for (auto value = spy->top_values_begin(kFacetLimit);
             value != spy->top_values_end(kFacetLimit); ++value) {
          result.checksum += value.get_termfreq();
        }
      }
      return result;
    } catch (const Xapian::Error& e) {
      return XapianErrorToStatus(e, query.text);
    }
  }

 private:
  Xapian::Database db_;
  Xapian::QueryParser parser_;
  Xapian::Stem stemmer_;
  std::vector<BenchQuery> queries_;
  bool with_snippets_;
};

// --- lectern ---

absl::string_view TypeName(v1::DocumentType type) {
  switch (type) {
    case v1::DOCUMENT_TYPE_SESSION:
      return schema::kTypeSession;
    case v1::DOCUMENT_TYPE_SUMMARY:
      return schema::kTypeSummary;
    default:
      return schema::kTypePaper;
  }
}

class Lectern final : public SearchSystem {
 public:
  Lectern(std::unique_ptr<Searcher> searcher, int64_t documents,
          const std::vector<BenchQuery>& queries)
      : searcher_(std::move(searcher)), documents_(documents) {
    for (const BenchQuery& query : queries) {
      requests_.push_back(SearchRequestFor(query));
    }
  }

  absl::string_view name() const override { return "lectern"; }
  int64_t documents() const override { return documents_; }

  absl::StatusOr<RunResult> Run(size_t index, bool describe) override {
    LECTERN_ASSIGN_OR_RETURN(const v1::SearchResponse response,
                             searcher_->Search(requests_[index]));
    RunResult result;
    result.hits = response.hits_size();
    for (const v1::SearchHit& hit : response.hits()) {
      result.checksum += hit.title().size() + hit.snippet().size();
      if (!describe) continue;
      result.ids.push_back(absl::StrCat(TypeName(hit.type()), ":", hit.id()));
      if (hit.type() == v1::DOCUMENT_TYPE_PAPER) {
        result.paper_titles.push_back(TitleKey(hit.title()));
      }
    }
    for (const v1::FacetResult& facet : response.facets()) {
      for (const v1::FacetCount& count : facet.values()) {
        result.checksum += count.count();
      }
    }
    return result;
  }

 private:
  std::unique_ptr<Searcher> searcher_;
  int64_t documents_;
  std::vector<v1::SearchRequest> requests_;
};

// --- SQLite FTS5 ---

absl::Status SqliteError(sqlite3* db, absl::string_view what) {
  return absl::UnavailableError(
      absl::StrCat(what, ": ", db ? sqlite3_errmsg(db) : "out of memory"));
}

// The WHERE clause of a translated query: ?1 the MATCH expression, ?2 the
// venue, ?3 the year (bound only when present).
std::string WhereClause(const Fts5Query& query) {
  std::string where = "papers MATCH ?1";
  if (!query.venue.empty())
    absl::StrAppend(&where, " AND venue = ?2 COLLATE NOCASE");
  // CAST: a loader may store the year as text or as an integer.
  if (query.year != 0)
    absl::StrAppend(&where, " AND CAST(year AS INTEGER) = ?3");
  return where;
}

// Each hit's snippet, as lectern and raw-xapian give one: FTS5's own
// snippet() of the abstract (column 2), about as long as lectern's 240
// bytes (40 tokens), the matches in <mark>.
constexpr char kFts5Snippet[] =
    "snippet(papers, 2, '<mark>', '</mark>', '…', 40)";

class Fts5 final : public SearchSystem {
 public:
  explicit Fts5(sqlite3* db) : db_(db) {}
  ~Fts5() override {
    for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
    sqlite3_close(db_);
  }

  // Counts the records and prepares the statements of every query.
  absl::Status Prepare(const std::vector<BenchQuery>& queries) {
    LECTERN_ASSIGN_OR_RETURN(sqlite3_stmt * count,
                             Statement("SELECT count(*) FROM papers"));
    if (sqlite3_step(count) != SQLITE_ROW) {
      return SqliteError(db_, "counting papers");
    }
    documents_ = sqlite3_column_int64(count, 0);
    sqlite3_reset(count);
    for (const BenchQuery& query : queries) {
      Prepared prepared;
      LECTERN_ASSIGN_OR_RETURN(prepared.query, ToFts5(query.text));
      const std::string where = WhereClause(prepared.query);
      LECTERN_ASSIGN_OR_RETURN(
          prepared.hits,
          Statement(absl::StrCat("SELECT rowid, title, ", kFts5Snippet,
                                 " FROM papers WHERE ", where,
                                 " ORDER BY rank LIMIT ", kTopK)));
      if (query.faceted()) {
        for (const char* column : {"venue", "year"}) {
          LECTERN_ASSIGN_OR_RETURN(
              sqlite3_stmt * facet,
              Statement(absl::StrCat("SELECT ", column,
                                     ", count(*) FROM papers WHERE ", where,
                                     " GROUP BY ", column)));
          prepared.facets.push_back(facet);
        }
      }
      prepared_.push_back(std::move(prepared));
    }
    return absl::OkStatus();
  }

  absl::string_view name() const override { return "fts5"; }
  int64_t documents() const override { return documents_; }

  absl::StatusOr<RunResult> Run(size_t index, bool describe) override {
    const Prepared& prepared = prepared_[index];
    RunResult result;
    LECTERN_RETURN_IF_ERROR(
        Execute(prepared.hits, prepared.query, [&](sqlite3_stmt* row) {
          const auto* title =
              reinterpret_cast<const char*>(sqlite3_column_text(row, 1));
          const int bytes = sqlite3_column_bytes(row, 1);
          result.checksum += sqlite3_column_int64(row, 0) + bytes +
                             sqlite3_column_bytes(row, 2);
          ++result.hits;
          if (describe) {
            result.paper_titles.push_back(
                TitleKey(absl::string_view(title, bytes)));
          }
        }));
    for (sqlite3_stmt* facet : prepared.facets) {
      LECTERN_RETURN_IF_ERROR(
          Execute(facet, prepared.query, [&](sqlite3_stmt* row) {
            result.checksum +=
                sqlite3_column_bytes(row, 0) + sqlite3_column_int64(row, 1);
          }));
    }
    return result;
  }

 private:
  struct Prepared {
    Fts5Query query;
    sqlite3_stmt* hits = nullptr;
    std::vector<sqlite3_stmt*> facets;  // GROUP BY venue, year
  };

  // One prepared statement per distinct SQL text, owned by this object.
  absl::StatusOr<sqlite3_stmt*> Statement(const std::string& sql) {
    auto [it, inserted] = statements_.try_emplace(sql, nullptr);
    if (inserted &&
        sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT,
                           &it->second, nullptr) != SQLITE_OK) {
      statements_.erase(it);
      return SqliteError(db_, sql);
    }
    return it->second;
  }

  // Binds `query` to `statement`, calls `row` for each row, and resets it.
  template <typename RowFn>
  absl::Status Execute(sqlite3_stmt* statement, const Fts5Query& query,
                       RowFn row) {
    sqlite3_bind_text(statement, 1, query.match.data(),
                      static_cast<int>(query.match.size()), SQLITE_STATIC);
    if (!query.venue.empty()) {
      sqlite3_bind_text(statement, 2, query.venue.data(),
                        static_cast<int>(query.venue.size()), SQLITE_STATIC);
    }
    if (query.year != 0) sqlite3_bind_int(statement, 3, query.year);
    int status;
    while ((status = sqlite3_step(statement)) == SQLITE_ROW) row(statement);
    sqlite3_reset(statement);
    if (status != SQLITE_DONE) return SqliteError(db_, query.match);
    return absl::OkStatus();
  }

  sqlite3* db_;
  int64_t documents_ = 0;
  std::map<std::string, sqlite3_stmt*> statements_;
  std::vector<Prepared> prepared_;
};

}  // namespace

std::string TitleKey(absl::string_view title) {
  std::string key;
  for (char c : title) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80 || absl::ascii_isalnum(byte)) {
      key.push_back(absl::ascii_tolower(byte));
    }
  }
  return key;
}

absl::StatusOr<std::unique_ptr<SearchSystem>> OpenRawXapian(
    const std::string& index, const std::vector<BenchQuery>& queries,
    bool with_snippets) {
  try {
    return std::make_unique<RawXapian>(Xapian::Database(index), queries,
                                       with_snippets);
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, absl::StrCat("opening ", index));
  }
}

absl::StatusOr<std::unique_ptr<SearchSystem>> OpenLectern(
    const std::string& index, const std::vector<BenchQuery>& queries) {
  LECTERN_ASSIGN_OR_RETURN(std::unique_ptr<Searcher> searcher,
                           Searcher::Open(index));
  LECTERN_ASSIGN_OR_RETURN(const IndexStats stats, searcher->Stats());
  return std::make_unique<Lectern>(std::move(searcher), stats.documents,
                                   queries);
}

absl::StatusOr<std::unique_ptr<SearchSystem>> OpenFts5(
    const std::string& path, const std::vector<BenchQuery>& queries) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) !=
      SQLITE_OK) {
    absl::Status status = SqliteError(db, absl::StrCat("opening ", path));
    sqlite3_close(db);
    return status;
  }
  auto fts5 = std::make_unique<Fts5>(db);
  LECTERN_RETURN_IF_ERROR(fts5->Prepare(queries));
  return fts5;
}

}  // namespace lectern::bench
