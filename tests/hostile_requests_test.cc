// Hostile requests against a real lecternd: one table of inputs a careless
// or malicious client may send to the read API (lectern.v1.Lectern), each
// with the status code docs/API.md documents for it. The requests go out
// as raw bytes through a generic stub, so the table can also hold what a
// generated client would never send: invalid UTF-8 in a string field,
// truncated or garbled wire data.
//
// One lecternd serves the whole table, started with a small
// --max_message_bytes so the oversized rows stay cheap. After the table it
// must still run, report SERVING and answer a normal search as before.
#include <gmock/gmock.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/notification.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "lectern/v1/lectern.grpc.pb.h"
#include "tests/testing/lecternd_process.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace lectern {
namespace {

using ::lectern::testing::ContextWithDeadline;
using ::lectern::testing::LecterndProcess;
using ::lectern::testing::TempDir;
using ::testing::IsEmpty;
using ::testing::Not;
using Code = ::grpc::StatusCode;

// lecternd's request limit in this test (--max_message_bytes).
constexpr int kMaxMessageBytes = 64 << 10;
// Larger than that: every "huge" row sends this much.
constexpr size_t kHugeBytes = kMaxMessageBytes + (16 << 10);
// The longest error message a client should get back: a message echoing a
// long input must be cut, or it no longer fits gRPC's metadata limits.
constexpr size_t kMaxErrorMessageBytes = 4096;

constexpr int32_t kInt32Max = std::numeric_limits<int32_t>::max();
constexpr int32_t kInt32Min = std::numeric_limits<int32_t>::min();

// One hostile input.
struct Row {
  std::string rpc;    // method of lectern.v1.Lectern
  std::string input;  // what is hostile about it
  std::string bytes;  // the serialized request
  Code code;          // the code docs/API.md documents
};

// Protobuf wire format by hand, for requests a generated client refuses
// to serialize (invalid UTF-8) or that are not protobuf at all.
std::string Varint(uint64_t value) {
  std::string out;
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
  return out;
}
std::string StringField(int field, const std::string& bytes) {
  return absl::StrCat(Varint(static_cast<uint64_t>(field) << 3 | 2),
                      Varint(bytes.size()), bytes);
}

std::string Repeat(const std::string& piece, size_t times) {
  std::string out;
  out.reserve(piece.size() * times);
  for (size_t i = 0; i < times; ++i) out += piece;
  return out;
}

// "w0 w1 w2 ..." with `words` distinct words.
std::string Words(int words, const std::string& separator = " ") {
  std::vector<std::string> out;
  for (int i = 0; i < words; ++i) out.push_back(absl::StrCat("w", i));
  return absl::StrJoin(out, separator);
}

// A string `bytes` long.
std::string Huge(size_t bytes) { return std::string(bytes, 'x'); }

const char kInvalidUtf8[] = "kv \xff\xfe cache \xc3";  // stray bytes
const char kOverlongUtf8[] = "\xc0\xaf etc";           // overlong '/'
const char kSurrogateUtf8[] = "\xed\xa0\x80 cache";    // UTF-16 surrogate
const std::string kWithNul("kv\0cache", 8);

class HostileTable {
 public:
  void Add(const std::string& rpc, const std::string& input,
           const google::protobuf::Message& request, Code code) {
    rows_.push_back({rpc, input, request.SerializeAsString(), code});
  }
  void AddRaw(const std::string& rpc, const std::string& input,
              const std::string& bytes, Code code) {
    rows_.push_back({rpc, input, bytes, code});
  }
  const std::vector<Row>& rows() const { return rows_; }

 private:
  std::vector<Row> rows_;
};

// The rows of every RPC that are alike for all of them: an oversized
// message, bytes that are not a protobuf message, string fields with
// invalid UTF-8. `string_field` is a string field of the request (0: none).
void AddWireRows(HostileTable* table, const std::string& rpc,
                 int string_field) {
  // gRPC refuses a message over --max_message_bytes before lecternd reads it.
  table->AddRaw(rpc, "message over --max_message_bytes (unknown field 99)",
                StringField(99, Huge(kHugeBytes)), Code::RESOURCE_EXHAUSTED);
  // Not protobuf: gRPC's own parse fails before any handler runs, and
  // gRPC's callback API answers that UNIMPLEMENTED, with no message.
  const std::string truncated = "\x0a\x7f" + std::string("abc");
  table->AddRaw(rpc, "truncated wire data (length past the end)", truncated,
                Code::UNIMPLEMENTED);
  const std::string garbage(10, '\xff');
  table->AddRaw(rpc, "garbage wire data (overlong varint tag)", garbage,
                Code::UNIMPLEMENTED);
  if (string_field == 0) return;
  // proto3 strings must be UTF-8: protobuf's parser rejects the rest, so
  // gRPC refuses these like the bytes above.
  for (const auto& [label, text] :
       std::vector<std::pair<std::string, std::string>>{
           {"invalid UTF-8 (stray bytes)", kInvalidUtf8},
           {"invalid UTF-8 (overlong encoding)", kOverlongUtf8},
           {"invalid UTF-8 (surrogate)", kSurrogateUtf8}}) {
    table->AddRaw(rpc, label, StringField(string_field, text),
                  Code::UNIMPLEMENTED);
  }
}

void AddSearchRows(HostileTable* table) {
  const std::string rpc = "Search";
  auto query = [](const std::string& text) {
    v1::SearchRequest request;
    request.set_query(text);
    return request;
  };
  AddWireRows(table, rpc, 1);
  table->Add(rpc, "empty request", v1::SearchRequest(), Code::INVALID_ARGUMENT);
  table->Add(rpc, "whitespace-only query", query(" \t\n\r "),
             Code::INVALID_ARGUMENT);
  table->Add(rpc, "query over --max_message_bytes", query(Huge(kHugeBytes)),
             Code::RESOURCE_EXHAUSTED);
  table->Add(rpc, "query of 60 KiB (over the 1024-byte limit)",
             query(Huge(60 << 10)), Code::INVALID_ARGUMENT);
  table->Add(rpc, "query of 1025 bytes", query(Huge(1025)),
             Code::INVALID_ARGUMENT);
  // Deep nesting and long chains: over 1024 bytes they are refused before
  // parsing; within it, they parse.
  table->Add(rpc, "5000 nested parentheses",
             query(Repeat("(", 5000) + "cache" + Repeat(")", 5000)),
             Code::INVALID_ARGUMENT);
  table->Add(rpc, "500 nested parentheses (within 1024 bytes)",
             query(Repeat("(", 500) + "cache" + Repeat(")", 500)), Code::OK);
  table->Add(rpc, "1000 unbalanced '('", query(Repeat("(", 1000) + "cache"),
             Code::OK);
  table->Add(rpc, "1000 unbalanced ')'", query("cache" + Repeat(")", 1000)),
             Code::OK);
  table->Add(rpc, "NOT chain of 5000", query("cache" + Repeat(" NOT a", 5000)),
             Code::INVALID_ARGUMENT);
  table->Add(rpc, "NOT chain of 160 (within 1024 bytes)",
             query("cache" + Repeat(" NOT x", 160)), Code::OK);
  table->Add(rpc, "AND chain of 5000", query("cache" + Repeat(" AND a", 5000)),
             Code::INVALID_ARGUMENT);
  table->Add(rpc, "AND chain of 145 (within 1024 bytes)",
             query("cache" + Repeat(" AND kv", 145)), Code::OK);
  table->Add(rpc, "operators only: 200 x NOT", query(Repeat("NOT ", 200)),
             Code::INVALID_ARGUMENT);
  table->Add(rpc, "10k terms", query(Words(10000)), Code::INVALID_ARGUMENT);
  table->Add(rpc, "200 distinct terms (within 1024 bytes)", query(Words(200)),
             Code::OK);
  table->Add(rpc, "phrase of 10k words", query("\"" + Words(10000) + "\""),
             Code::INVALID_ARGUMENT);
  table->Add(rpc, "phrase of 200 words (within 1024 bytes)",
             query("\"" + Words(200) + "\""), Code::OK);
  // Each wildcard stands for up to 500 words; more than ten are refused
  // (250 of them once held a worker for over a minute).
  table->Add(rpc, "250 wildcards", query(Repeat("a* ", 250)),
             Code::INVALID_ARGUMENT);
  table->Add(rpc, "11 wildcards", query(Repeat("a* ", 11)),
             Code::INVALID_ARGUMENT);
  table->Add(rpc, "11 field wildcards", query(Repeat("title:c* ", 11)),
             Code::INVALID_ARGUMENT);
  table->Add(rpc, "10 wildcards (the most)", query(Repeat("a* ", 10)),
             Code::OK);
  table->Add(rpc, "200 field prefixes", query(Repeat("title:", 170) + "x"),
             Code::OK);
  table->Add(rpc, "NUL bytes in the query", query(kWithNul), Code::OK);
  table->Add(rpc, "query of NULs only", query(std::string(100, '\0')),
             Code::INVALID_ARGUMENT);
  table->Add(rpc, "control characters", query("kv\x01\x02\x1b[31m cache"),
             Code::OK);
  table->Add(rpc, "year:99999", query("year:99999"), Code::INVALID_ARGUMENT);
  table->Add(rpc, "date:9999-12-31", query("date:9999-12-31"), Code::OK);
  table->Add(rpc, "date:10000-01-01", query("date:10000-01-01"),
             Code::INVALID_ARGUMENT);
  table->Add(rpc, "date:2024-02-30", query("date:2024-02-30"),
             Code::INVALID_ARGUMENT);
  table->Add(rpc, "backwards date range", query("date:2025-01-01..2024-01-01"),
             Code::INVALID_ARGUMENT);

  // Sizes and enums.
  for (const auto& [label, size, code] :
       std::vector<std::tuple<std::string, int32_t, Code>>{
           {"page_size -1", -1, Code::INVALID_ARGUMENT},
           {"page_size INT32_MIN", kInt32Min, Code::INVALID_ARGUMENT},
           {"page_size INT32_MAX (capped at 100)", kInt32Max, Code::OK},
           {"page_size 101 (capped at 100)", 101, Code::OK}}) {
    v1::SearchRequest request = query("cache");
    request.set_page_size(size);
    table->Add(rpc, label, request, code);
  }
  for (const auto& [label, limit, code] :
       std::vector<std::tuple<std::string, int32_t, Code>>{
           {"facet_limit -1", -1, Code::INVALID_ARGUMENT},
           {"facet_limit INT32_MIN", kInt32Min, Code::INVALID_ARGUMENT},
           {"facet_limit INT32_MAX (capped at 100)", kInt32Max, Code::OK}}) {
    v1::SearchRequest request = query("cache");
    request.set_facet_limit(limit);
    request.add_facets(v1::FACET_VENUE);
    table->Add(rpc, label, request, code);
  }
  {
    v1::SearchRequest request = query("cache");
    request.set_sort(static_cast<v1::SearchSort>(77));
    table->Add(rpc, "unknown sort 77", request, Code::INVALID_ARGUMENT);
  }
  {
    v1::SearchRequest request = query("cache");
    request.add_facets(static_cast<v1::Facet>(99));
    table->Add(rpc, "unknown facet 99", request, Code::INVALID_ARGUMENT);
  }
  {
    v1::SearchRequest request = query("cache");
    for (int i = 0; i < 10000; ++i) {
      request.add_facets(static_cast<v1::Facet>(1 + i % 5));
    }
    table->Add(rpc, "10k facets (repeats of the five)", request, Code::OK);
  }
  // Filters.
  auto filtered = [&](const std::string& label, auto set, Code code) {
    v1::SearchRequest request = query("cache");
    set(request.mutable_filters());
    table->Add(rpc, label, request, code);
  };
  filtered(
      "unknown group filter",
      [](v1::SearchFilters* f) { f->add_groups("no-such-group"); }, Code::OK);
  filtered(
      "5000 unknown group filters",
      [](v1::SearchFilters* f) {
        for (int i = 0; i < 5000; ++i) f->add_groups(absl::StrCat("g", i));
      },
      Code::OK);
  filtered(
      "group filter of 60 KiB",
      [](v1::SearchFilters* f) { f->add_groups(Huge(60 << 10)); }, Code::OK);
  filtered(
      "5000 venue filters",
      [](v1::SearchFilters* f) {
        for (int i = 0; i < 5000; ++i) f->add_venues(absl::StrCat("v", i));
      },
      Code::OK);
  filtered(
      "presenter filter with NUL",
      [](v1::SearchFilters* f) { f->add_presenters(kWithNul); }, Code::OK);
  filtered(
      "date_from 9999-12-31",
      [](v1::SearchFilters* f) { f->set_date_from("9999-12-31"); }, Code::OK);
  filtered(
      "date_to 10000-01-01",
      [](v1::SearchFilters* f) { f->set_date_to("10000-01-01"); },
      Code::INVALID_ARGUMENT);
  filtered(
      "date_from 2024-13-01",
      [](v1::SearchFilters* f) { f->set_date_from("2024-13-01"); },
      Code::INVALID_ARGUMENT);
  filtered(
      "date_from with NUL",
      [](v1::SearchFilters* f) {
        f->set_date_from(std::string("2024-01-01\0", 11));
      },
      Code::INVALID_ARGUMENT);
  filtered(
      "backwards date filter",
      [](v1::SearchFilters* f) {
        f->set_date_from("2025-01-01");
        f->set_date_to("2024-01-01");
      },
      Code::INVALID_ARGUMENT);
  filtered(
      "backwards year filter",
      [](v1::SearchFilters* f) {
        f->set_year_from(2025);
        f->set_year_to(2024);
      },
      Code::INVALID_ARGUMENT);
  filtered(
      "year_from INT32_MAX",
      [](v1::SearchFilters* f) { f->set_year_from(kInt32Max); },
      Code::INVALID_ARGUMENT);
  filtered(
      "year_to -1", [](v1::SearchFilters* f) { f->set_year_to(-1); },
      Code::INVALID_ARGUMENT);
  filtered(
      "unknown document type 42",
      [](v1::SearchFilters* f) {
        f->add_types(static_cast<v1::DocumentType>(42));
      },
      Code::INVALID_ARGUMENT);
  // Filters only, no text: every record they admit.
  {
    v1::SearchRequest request;
    request.mutable_filters()->add_groups("no-such-group");
    table->Add(rpc, "filters only, unknown group", request, Code::OK);
  }
  // Page tokens that were never issued.
  for (const std::string& token :
       {std::string("garbage!"), std::string(65, 'A'), std::string(4096, 'A'),
        absl::WebSafeBase64Escape("p1:10"),
        absl::WebSafeBase64Escape("p1:-10:123"),
        absl::WebSafeBase64Escape("p2:10:123"), kWithNul,
        std::string("\xff\xfe", 2)}) {
    v1::SearchRequest request = query("cache");
    request.set_page_token(token);
    if (token == "\xff\xfe") {
      table->AddRaw(rpc, "page_token of invalid UTF-8",
                    StringField(1, "cache") + StringField(3, token),
                    Code::UNIMPLEMENTED);
      continue;
    }
    table->Add(rpc,
               absl::StrCat("made-up page_token \"",
                            absl::CHexEscape(token.substr(0, 20)), "\"",
                            token.size() > 20 ? "…" : ""),
               request, Code::INVALID_ARGUMENT);
  }
}

void AddSuggestRows(HostileTable* table) {
  const std::string rpc = "Suggest";
  auto suggest = [](const std::string& group) {
    v1::SuggestRequest request;
    request.set_group(group);
    return request;
  };
  AddWireRows(table, rpc, 1);
  table->Add(rpc, "empty request", v1::SuggestRequest(),
             Code::INVALID_ARGUMENT);
  table->Add(rpc, "unknown group", suggest("no-such-group"), Code::NOT_FOUND);
  table->Add(rpc, "group of 60 KiB", suggest(Huge(60 << 10)), Code::NOT_FOUND);
  table->Add(rpc, "group with NUL", suggest(std::string("fall-2024\0x", 11)),
             Code::NOT_FOUND);
  // Quoted in the message, which gRPC sends percent-escaped (3x).
  table->Add(rpc, "group of 20k non-ASCII characters",
             suggest(Repeat("\xc3\xa9", 20000)), Code::NOT_FOUND);
  table->Add(rpc, "group over --max_message_bytes", suggest(Huge(kHugeBytes)),
             Code::RESOURCE_EXHAUSTED);
  for (const auto& [label, count, code] :
       std::vector<std::tuple<std::string, int32_t, Code>>{
           {"count -1", -1, Code::INVALID_ARGUMENT},
           {"count 51", 51, Code::INVALID_ARGUMENT},
           {"count 1000000", 1000000, Code::INVALID_ARGUMENT},
           {"count INT32_MAX", kInt32Max, Code::INVALID_ARGUMENT},
           {"count INT32_MIN", kInt32Min, Code::INVALID_ARGUMENT},
           {"count 50 (the most)", 50, Code::OK}}) {
    v1::SuggestRequest request = suggest("fall-2024");
    request.add_dates("2024-12-24");
    request.set_count(count);
    table->Add(rpc, label, request, code);
  }
  for (const auto& [label, date, code] :
       std::vector<std::tuple<std::string, std::string, Code>>{
           {"date 9999-12-31", "9999-12-31", Code::OK},
           {"date 10000-01-01", "10000-01-01", Code::INVALID_ARGUMENT},
           {"date 0000-01-01", "0000-01-01", Code::INVALID_ARGUMENT},
           {"date -001-01-01", "-001-01-01", Code::INVALID_ARGUMENT},
           {"date 2024-02-30", "2024-02-30", Code::INVALID_ARGUMENT},
           {"date 2024-1-5", "2024-1-5", Code::INVALID_ARGUMENT},
           {"date Dec 24", "Dec 24", Code::INVALID_ARGUMENT},
           {"empty date", "", Code::INVALID_ARGUMENT},
           {"date with NUL", std::string("2024-12-24\0", 11),
            Code::INVALID_ARGUMENT},
           {"date of 60 KiB", Huge(60 << 10), Code::INVALID_ARGUMENT}}) {
    v1::SuggestRequest request = suggest("fall-2024");
    request.add_dates(date);
    table->Add(rpc, label, request, code);
  }
  {
    // Distinct dates, each a slot to rank for: at most 100 (4000 once
    // held a worker for 15 s).
    for (const auto& [dates, code] :
         std::vector<std::pair<int, Code>>{{4000, Code::INVALID_ARGUMENT},
                                           {101, Code::INVALID_ARGUMENT},
                                           {100, Code::OK}}) {
      v1::SuggestRequest request = suggest("fall-2024");
      absl::CivilDay day(2030, 1, 1);
      for (int i = 0; i < dates; ++i, ++day) {
        request.add_dates(absl::FormatCivilTime(day));
      }
      table->Add(rpc, absl::StrCat(dates, " distinct future dates"), request,
                 code);
    }
  }
  {
    v1::SuggestRequest request = suggest("fall-2024");
    for (int i = 0; i < 5000; ++i) request.add_dates("2024-12-24");
    table->Add(rpc, "the same date 5000 times", request, Code::OK);
  }
  {
    v1::SuggestRequest request = suggest("fall-2024");
    request.add_dates("2024-09-03");
    table->Add(rpc, "a date that has a paper", request,
               Code::FAILED_PRECONDITION);
  }
  {
    v1::SuggestRequest request = suggest("fall-2024");
    request.add_dates("2024-12-24");
    request.set_topic(Huge(2048));
    table->Add(rpc, "topic of 2 KiB", request, Code::INVALID_ARGUMENT);
    request.set_topic(Repeat("(", 400) + "memory" + Repeat(")", 400));
    table->Add(rpc, "topic of 400 nested parentheses", request, Code::OK);
    request.set_topic("AND");
    table->Add(rpc, "topic of an operator only", request,
               Code::INVALID_ARGUMENT);
    request.set_topic(kWithNul);
    table->Add(rpc, "topic with NUL", request, Code::OK);
    request.set_topic(Repeat("a* ", 250));
    table->Add(rpc, "topic of 250 wildcards", request, Code::INVALID_ARGUMENT);
    request.set_topic(Repeat("m* ", 11));
    table->Add(rpc, "topic of 11 wildcards", request, Code::INVALID_ARGUMENT);
  }
  {
    v1::SuggestRequest request = suggest("fall-2024");
    request.add_dates("2024-12-24");
    request.set_explain("zzqxjwvk");
    table->Add(rpc, "explain an unknown paper", request, Code::NOT_FOUND);
    // Read like a query, and as long at most.
    request.set_explain(Huge(60 << 10));
    table->Add(rpc, "explain 60 KiB", request, Code::INVALID_ARGUMENT);
  }
  {
    v1::SuggestRequest request = suggest("fall-2024");
    request.add_dates("2024-12-24");
    for (int i = 0; i < 5000; ++i) request.add_rejected(absl::StrCat("r", i));
    table->Add(rpc, "5000 rejected papers", request, Code::OK);
  }
  {
    v1::SuggestRequest request = suggest("fall-2024");
    request.add_dates("2024-12-24");
    request.set_presenter(Huge(60 << 10));
    table->Add(rpc, "presenter of 60 KiB", request, Code::OK);
  }
  for (const auto& [label, set, code] : std::vector<
           std::tuple<std::string, void (*)(v1::SuggestionRules*), Code>>{
           {"narrow max_age_months -1",
            [](v1::SuggestionRules* r) { r->set_max_age_months(-1); },
            Code::INVALID_ARGUMENT},
           {"narrow max_age_months INT32_MAX (looser)",
            [](v1::SuggestionRules* r) { r->set_max_age_months(kInt32Max); },
            Code::INVALID_ARGUMENT},
           {"narrow min_abstract_chars INT32_MIN",
            [](v1::SuggestionRules* r) {
              r->set_min_abstract_chars(kInt32Min);
            },
            Code::INVALID_ARGUMENT},
           {"narrow min_abstract_chars INT32_MAX (nothing eligible)",
            [](v1::SuggestionRules* r) {
              r->set_min_abstract_chars(kInt32Max);
            },
            Code::OK},
           {"narrow to an unknown venue",
            [](v1::SuggestionRules* r) { r->add_venues("NoSuchConf"); },
            Code::INVALID_ARGUMENT},
           {"narrow sets venue_months",
            [](v1::SuggestionRules* r) {
              r->add_venue_months()->set_venue("OSDI");
            },
            Code::INVALID_ARGUMENT},
           {"narrow with 5000 conflicts",
            [](v1::SuggestionRules* r) {
              for (int i = 0; i < 5000; ++i) {
                r->add_conflicts(absl::StrCat("Person ", i));
              }
            },
            Code::OK}}) {
    v1::SuggestRequest request = suggest("fall-2024");
    request.add_dates("2024-12-24");
    set(request.mutable_narrow());
    table->Add(rpc, label, request, code);
  }
}

void AddListOpenDatesRows(HostileTable* table) {
  const std::string rpc = "ListOpenDates";
  AddWireRows(table, rpc, 1);
  table->Add(rpc, "empty request", v1::ListOpenDatesRequest(),
             Code::INVALID_ARGUMENT);
  for (const auto& [label, group, from, until, code] :
       std::vector<std::tuple<std::string, std::string, std::string,
                              std::string, Code>>{
           {"unknown group", "no-such-group", "", "", Code::NOT_FOUND},
           {"group of 60 KiB", Huge(60 << 10), "", "", Code::NOT_FOUND},
           {"group with NUL", std::string("fall-2024\0", 10), "", "",
            Code::NOT_FOUND},
           {"group over --max_message_bytes", Huge(kHugeBytes), "", "",
            Code::RESOURCE_EXHAUSTED},
           {"from 9999-12-31", "fall-2024", "9999-12-31", "", Code::OK},
           {"until 9999-12-31", "fall-2024", "", "9999-12-31", Code::OK},
           {"from 1000-01-01 until 9999-12-31", "fall-2024", "1000-01-01",
            "9999-12-31", Code::OK},
           // Dates are read with four year digits and no leading zeros in
           // the year: years before 1000 are not dates here.
           {"from 0001-01-01", "fall-2024", "0001-01-01", "",
            Code::INVALID_ARGUMENT},
           {"from 10000-01-01", "fall-2024", "10000-01-01", "",
            Code::INVALID_ARGUMENT},
           {"until 10000-01-01", "fall-2024", "", "10000-01-01",
            Code::INVALID_ARGUMENT},
           {"from -001-01-01", "fall-2024", "-001-01-01", "",
            Code::INVALID_ARGUMENT},
           {"from 2024-13-45", "fall-2024", "2024-13-45", "",
            Code::INVALID_ARGUMENT},
           {"until 2024-02-30", "fall-2024", "", "2024-02-30",
            Code::INVALID_ARGUMENT},
           {"from after until", "fall-2024", "2025-01-01", "2024-01-01",
            Code::INVALID_ARGUMENT},
           {"from with NUL", "fall-2024", std::string("2024-01-01\0", 11), "",
            Code::INVALID_ARGUMENT},
           {"from of 60 KiB", "fall-2024", Huge(60 << 10), "",
            Code::INVALID_ARGUMENT}}) {
    v1::ListOpenDatesRequest request;
    request.set_group(group);
    request.set_from(from);
    request.set_until(until);
    table->Add(rpc, label, request, code);
  }
  table->AddRaw(rpc, "from of invalid UTF-8",
                StringField(1, "fall-2024") + StringField(2, kInvalidUtf8),
                Code::UNIMPLEMENTED);
}

void AddGetSessionRows(HostileTable* table) {
  const std::string rpc = "GetSession";
  AddWireRows(table, rpc, 1);
  table->Add(rpc, "empty request", v1::GetSessionRequest(),
             Code::INVALID_ARGUMENT);
  for (const auto& [label, group, date, ordinal, code] : std::vector<
           std::tuple<std::string, std::string, std::string, int32_t, Code>>{
           {"empty group", "", "2024-12-24", 0, Code::INVALID_ARGUMENT},
           {"unknown group", "no-such-group", "2024-12-24", 0, Code::NOT_FOUND},
           {"group of 60 KiB", Huge(60 << 10), "2024-12-24", 0,
            Code::NOT_FOUND},
           {"group with NUL", std::string("fall-2024\0", 10), "2024-12-24", 0,
            Code::NOT_FOUND},
           {"group over --max_message_bytes", Huge(kHugeBytes), "2024-12-24", 0,
            Code::RESOURCE_EXHAUSTED},
           {"date 9999-12-31", "fall-2024", "9999-12-31", 0, Code::NOT_FOUND},
           {"date 10000-01-01", "fall-2024", "10000-01-01", 0,
            Code::INVALID_ARGUMENT},
           {"date -001-01-01", "fall-2024", "-001-01-01", 0,
            Code::INVALID_ARGUMENT},
           {"date 2024-02-30", "fall-2024", "2024-02-30", 0,
            Code::INVALID_ARGUMENT},
           {"date Dec 24", "fall-2024", "Dec 24", 0, Code::INVALID_ARGUMENT},
           {"date with NUL", "fall-2024", std::string("2024-12-24\0", 11), 0,
            Code::INVALID_ARGUMENT},
           {"date of 60 KiB", "fall-2024", Huge(60 << 10), 0,
            Code::INVALID_ARGUMENT},
           {"ordinal -1", "fall-2024", "2024-12-24", -1,
            Code::INVALID_ARGUMENT},
           {"ordinal INT32_MIN", "fall-2024", "2024-12-24", kInt32Min,
            Code::INVALID_ARGUMENT},
           {"ordinal INT32_MAX", "fall-2024", "2024-12-24", kInt32Max,
            Code::NOT_FOUND}}) {
    v1::GetSessionRequest request;
    request.set_group(group);
    request.set_date(date);
    request.set_ordinal(ordinal);
    table->Add(rpc, label, request, code);
  }
  table->AddRaw(rpc, "date of invalid UTF-8",
                StringField(1, "fall-2024") + StringField(2, kInvalidUtf8),
                Code::UNIMPLEMENTED);
}

void AddGetPaperRows(HostileTable* table) {
  const std::string rpc = "GetPaper";
  AddWireRows(table, rpc, 1);
  table->Add(rpc, "empty request", v1::GetPaperRequest(),
             Code::INVALID_ARGUMENT);
  for (const auto& [label, id, code] :
       std::vector<std::tuple<std::string, std::string, Code>>{
           {"unknown id", "osdi99-no-such-paper", Code::NOT_FOUND},
           {"id of 60 KiB", Huge(60 << 10), Code::NOT_FOUND},
           {"id of 300 bytes (over Xapian's term length)", Huge(300),
            Code::NOT_FOUND},
           {"id with NUL", kWithNul, Code::NOT_FOUND},
           {"id of NULs only", std::string(16, '\0'), Code::NOT_FOUND},
           {"id with a wildcard", "sosp24-*", Code::NOT_FOUND},
           {"id with path dots", "../../etc/passwd", Code::NOT_FOUND},
           {"id over --max_message_bytes", Huge(kHugeBytes),
            Code::RESOURCE_EXHAUSTED}}) {
    v1::GetPaperRequest request;
    request.set_id(id);
    table->Add(rpc, label, request, code);
  }
}

void AddGetStatsRows(HostileTable* table) {
  const std::string rpc = "GetStats";
  AddWireRows(table, rpc, 0);
  table->Add(rpc, "empty request", v1::GetStatsRequest(), Code::OK);
  table->AddRaw(rpc, "unknown fields (kept, ignored)",
                StringField(1, kInvalidUtf8) + StringField(7, Huge(1000)),
                Code::OK);
}

void AddGetScheduleRows(HostileTable* table) {
  const std::string rpc = "GetSchedule";
  AddWireRows(table, rpc, 1);
  table->Add(rpc, "empty request", v1::GetScheduleRequest(),
             Code::INVALID_ARGUMENT);
  for (const auto& [label, group, code] :
       std::vector<std::tuple<std::string, std::string, Code>>{
           {"unknown group", "no-such-group", Code::NOT_FOUND},
           {"group of 60 KiB", Huge(60 << 10), Code::NOT_FOUND},
           {"group with NUL", std::string("fall-2024\0", 10), Code::NOT_FOUND},
           {"group of control characters", "\x01\x02\x1b[2J", Code::NOT_FOUND},
           {"group over --max_message_bytes", Huge(kHugeBytes),
            Code::RESOURCE_EXHAUSTED}}) {
    v1::GetScheduleRequest request;
    request.set_group(group);
    table->Add(rpc, label, request, code);
  }
}

// A Search request's real next_page_token, taken apart: "p1:<offset>:<fp>"
// in web-safe base64 (indexer/page_token.h).
struct IssuedToken {
  v1::SearchRequest request;  // the request it was issued for
  std::string token;
  std::vector<std::string> parts;  // version, offset, fingerprint
};

class HostileRequestsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    testing::BuildBundledIndex(*dir_, dir_->Path("index"));
    server_ = new LecterndProcess(
        *dir_, dir_->Path("index"),
        {"--max_message_bytes", absl::StrCat(kMaxMessageBytes),
         "--max_deadline", "20s"});
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }
  void SetUp() override {
    ASSERT_TRUE(server_->ok()) << server_->Log();
    stub_ = v1::Lectern::NewStub(server_->channel());
  }

  // Calls /lectern.v1.Lectern/<rpc> with `bytes` as the request; the reply
  // bytes go to `reply`.
  grpc::Status Call(const std::string& rpc, const std::string& bytes,
                    std::string* reply) {
    grpc::GenericStub stub(server_->channel());
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(30));
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    grpc::Status status;
    absl::Notification done;
    stub.UnaryCall(&context, absl::StrCat("/lectern.v1.Lectern/", rpc),
                   grpc::StubOptions(), &request, &response,
                   [&](grpc::Status result) {
                     status = std::move(result);
                     done.Notify();
                   });
    // The deadline ends the call; this wait only guards against a client
    // library that never calls back.
    if (!done.WaitForNotificationWithTimeout(absl::Seconds(60))) {
      context.TryCancel();
      done.WaitForNotification();
    }
    reply->clear();
    std::vector<grpc::Slice> slices;
    if (status.ok() && response.Dump(&slices).ok()) {
      for (const grpc::Slice& part : slices) {
        reply->append(reinterpret_cast<const char*>(part.begin()), part.size());
      }
    }
    return status;
  }

  // A first page of `request` and the token for the next one.
  void IssueToken(const v1::SearchRequest& request, IssuedToken* issued) {
    v1::SearchResponse response;
    const grpc::Status status =
        stub_->Search(ContextWithDeadline().get(), request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_NE(response.next_page_token(), "") << request.ShortDebugString();
    issued->request = request;
    issued->token = response.next_page_token();
    std::string decoded;
    ASSERT_TRUE(absl::WebSafeBase64Unescape(issued->token, &decoded));
    issued->parts = absl::StrSplit(decoded, ':');
    ASSERT_EQ(issued->parts.size(), 3u)
        << "page tokens are no longer \"p1:<offset>:<fingerprint>\": "
        << decoded;
  }

  // Rows with page tokens lecternd issued, reused or tampered with.
  void AddIssuedTokenRows(HostileTable* table) {
    v1::SearchRequest first;
    first.set_query("type:session group:paper-list-2024");
    first.set_page_size(5);
    IssuedToken issued;
    ASSERT_NO_FATAL_FAILURE(IssueToken(first, &issued));
    const std::string rpc = "Search";
    auto with_token = [&](v1::SearchRequest request, const std::string& token) {
      request.set_page_token(token);
      return request;
    };
    table->Add(rpc, "issued token (control row)",
               with_token(first, issued.token), Code::OK);
    table->Add(rpc, "issued token with a larger page_size (allowed)",
               with_token(
                   [&] {
                     v1::SearchRequest other = first;
                     other.set_page_size(50);
                     return other;
                   }(),
                   issued.token),
               Code::OK);
    {
      v1::SearchRequest other = first;
      other.set_query("kv cache");
      table->Add(rpc, "token of another query", with_token(other, issued.token),
                 Code::INVALID_ARGUMENT);
      other = first;
      other.set_sort(v1::SEARCH_SORT_NEWEST);
      table->Add(rpc, "token of another sort", with_token(other, issued.token),
                 Code::INVALID_ARGUMENT);
      other = first;
      other.mutable_filters()->add_groups("fall-2024");
      table->Add(rpc, "token of other filters", with_token(other, issued.token),
                 Code::INVALID_ARGUMENT);
      other = first;
      other.set_collapse_papers(true);
      table->Add(rpc, "token without collapse used with it",
                 with_token(other, issued.token), Code::INVALID_ARGUMENT);
    }
    for (size_t length :
         {size_t{1}, issued.token.size() / 2, issued.token.size() - 1}) {
      table->Add(rpc, absl::StrCat("token truncated to ", length, " chars"),
                 with_token(first, issued.token.substr(0, length)),
                 Code::INVALID_ARGUMENT);
    }
    table->Add(rpc, "token with a byte appended",
               with_token(first, issued.token + "A"), Code::INVALID_ARGUMENT);
    table->Add(rpc, "token doubled",
               with_token(first, issued.token + issued.token),
               Code::INVALID_ARGUMENT);
    // Bit flips in the decoded token outside the offset digits (the token
    // carries no MAC: another offset digit just pages elsewhere in the
    // same list). Re-encoded, so the base64 stays valid.
    std::string decoded;
    ASSERT_TRUE(absl::WebSafeBase64Unescape(issued.token, &decoded));
    const size_t offset_begin = issued.parts[0].size() + 1;
    const size_t offset_end = offset_begin + issued.parts[1].size();
    for (size_t i = 0; i < decoded.size(); ++i) {
      if (i >= offset_begin && i < offset_end) continue;
      for (int bit : {0, 7}) {
        std::string flipped = decoded;
        flipped[i] = static_cast<char>(flipped[i] ^ (1 << bit));
        table->Add(
            rpc,
            absl::StrCat("token with bit ", bit, " of byte ", i, " flipped"),
            with_token(first, absl::WebSafeBase64Escape(flipped)),
            Code::INVALID_ARGUMENT);
      }
    }
    // Flips in the base64 text itself.
    for (size_t i = 0; i < issued.token.size(); i += 3) {
      std::string flipped = issued.token;
      flipped[i] = static_cast<char>(flipped[i] ^ 0x20);
      std::string check;
      // A flip that still decodes to the same bytes (padding bits) is no
      // forgery; leave it out.
      if (absl::WebSafeBase64Unescape(flipped, &check) && check == decoded) {
        continue;
      }
      table->Add(rpc, absl::StrCat("token with base64 char ", i, " flipped"),
                 with_token(first, flipped), Code::INVALID_ARGUMENT);
    }
    // Forged offsets with the real fingerprint.
    for (const auto& [offset, code] : std::vector<std::pair<std::string, Code>>{
             {"16777216", Code::OK},  // the largest: an empty page
             {"16777217", Code::INVALID_ARGUMENT},
             {"2147483647", Code::INVALID_ARGUMENT},
             {"99999999999999999999", Code::INVALID_ARGUMENT},
             {"-1", Code::INVALID_ARGUMENT},
             {"", Code::INVALID_ARGUMENT},
             {"0x10", Code::INVALID_ARGUMENT}}) {
      const std::string forged = absl::WebSafeBase64Escape(
          absl::StrCat(issued.parts[0], ":", offset, ":", issued.parts[2]));
      table->Add(rpc, absl::StrCat("forged token with offset '", offset, "'"),
                 with_token(first, forged), code);
    }
  }

  static TempDir* dir_;
  static LecterndProcess* server_;
  std::unique_ptr<v1::Lectern::Stub> stub_;
};

TempDir* HostileRequestsTest::dir_ = nullptr;
LecterndProcess* HostileRequestsTest::server_ = nullptr;

// The hits of a normal search, as "id@rank" strings.
std::vector<std::string> NormalSearch(v1::Lectern::Stub& stub) {
  v1::SearchRequest request;
  request.set_query("kv cache");
  v1::SearchResponse response;
  const grpc::Status status =
      stub.Search(ContextWithDeadline().get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  std::vector<std::string> hits;
  for (const v1::SearchHit& hit : response.hits()) {
    hits.push_back(absl::StrCat(hit.id(), "@", hit.rank()));
  }
  return hits;
}

TEST_F(HostileRequestsTest, EveryHostileRequestGetsItsDocumentedCode) {
  const std::vector<std::string> usual = NormalSearch(*stub_);
  ASSERT_THAT(usual, Not(IsEmpty()));

  HostileTable table;
  AddSearchRows(&table);
  ASSERT_NO_FATAL_FAILURE(AddIssuedTokenRows(&table));
  AddSuggestRows(&table);
  AddListOpenDatesRows(&table);
  AddGetSessionRows(&table);
  AddGetPaperRows(&table);
  AddGetStatsRows(&table);
  AddGetScheduleRows(&table);

  const google::protobuf::DescriptorPool* pool =
      google::protobuf::DescriptorPool::generated_pool();
  std::map<std::string, int> per_rpc;
  std::map<std::string, int> per_code;
  absl::Duration slowest;
  std::string slowest_row;
  for (const Row& row : table.rows()) {
    SCOPED_TRACE(absl::StrCat(row.rpc, ": ", row.input));
    const google::protobuf::MethodDescriptor* method =
        pool->FindMethodByName(absl::StrCat("lectern.v1.Lectern.", row.rpc));
    ASSERT_NE(method, nullptr);
    std::string reply;
    const absl::Time start = absl::Now();
    const grpc::Status status = Call(row.rpc, row.bytes, &reply);
    const absl::Duration took = absl::Now() - start;
    if (took > slowest) {
      slowest = took;
      slowest_row = absl::StrCat(row.rpc, ": ", row.input);
    }
    ++per_rpc[row.rpc];
    ++per_code[absl::StatusCodeToString(
        static_cast<absl::StatusCode>(status.error_code()))];
    EXPECT_EQ(status.error_code(), row.code)
        << "message: " << status.error_message().substr(0, 300);
    if (status.ok()) {
      // The answer is a well-formed response of the method.
      std::unique_ptr<google::protobuf::Message> response(
          google::protobuf::MessageFactory::generated_factory()
              ->GetPrototype(method->output_type())
              ->New());
      EXPECT_TRUE(response->ParseFromString(reply));
    } else {
      // Every refusal lecternd makes says why, briefly: no echo of a huge
      // input. (gRPC's own UNIMPLEMENTED for an unparsable request has no
      // message.)
      if (status.error_code() != Code::UNIMPLEMENTED) {
        EXPECT_THAT(status.error_message(), Not(IsEmpty()));
      }
      EXPECT_LE(status.error_message().size(), kMaxErrorMessageBytes);
    }
    // lecternd survives every row.
    ASSERT_FALSE(server_->process().Wait(absl::ZeroDuration()).has_value())
        << "lecternd exited\n"
        << server_->Log().substr(0, 4000);
  }

  std::printf("hostile inputs tried: %zu\n", table.rows().size());
  for (const auto& [rpc, count] : per_rpc) {
    std::printf("  %-14s %d\n", rpc.c_str(), count);
  }
  std::printf("status codes seen:\n");
  for (const auto& [code, count] : per_code) {
    std::printf("  %-20s %d\n", code.c_str(), count);
  }
  std::printf("slowest row: %s (%.1f ms)\n", slowest_row.c_str(),
              absl::ToDoubleMilliseconds(slowest));

  // Still running, still healthy, still answering as before.
  ASSERT_FALSE(server_->process().Wait(absl::ZeroDuration()).has_value());
  auto health = grpc::health::v1::Health::NewStub(server_->channel());
  for (const std::string service : {"", "lectern.v1.Lectern"}) {
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    ASSERT_TRUE(
        health->Check(ContextWithDeadline().get(), request, &response).ok());
    EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING)
        << service;
  }
  EXPECT_EQ(NormalSearch(*stub_), usual);
}

}  // namespace
}  // namespace lectern
