// lectern: command-line client for lecternd.
//
//   lectern [--server HOST:PORT] [--json] COMMAND ...
//     health                    SERVING or NOT_SERVING (exit 0 only if serving)
//     search [QUERY...]         ranked sessions, papers and summaries with
//                               highlighted snippets; filters --venue,
//                               --group, --type, --presenter (comma lists),
//                               --year, --date (one value or FROM..TO);
//                               --sort, --facets, --collapse, --noauto_correct
//     session GROUP DATE        the sessions of a group on a date
//     schedule GROUP            the group's timeline, open dates marked
//     paper ID                  a catalog paper and who presented it
//     stats                     what the index holds
//     related PAPER             related catalog papers from the years before
//                               it; --years, --count, --venue, --before
//     person NAME               a presenter's sessions, as main or assistant
//     people                    everyone by last main presentation; --group
//     open-dates GROUP          the group's dates with no paper yet;
//                               --from, --until
//     suggest GROUP             papers for the group's open dates and why;
//                               --date, --reject, --conflict (repeatable),
//                               --topic, --count, --presenter, --venues,
//                               --max_age_months, --min_abstract_chars,
//                               --explain
//     add-session GROUP DATE    write a session (--title, --presenter, --venue,
//                               links); needs --token_file with write scope
//     import-papers FILE        stream a JSON Lines catalog to the write API
//
// Flags may be spelled with dashes or underscores (--page-token or
// --page_token). Exit status: 0 success, 1 the server answered with an error
// or could not be reached, 2 bad command line.
#include <grpcpp/grpcpp.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clients/cli/render.h"
#include "clients/cli/write_commands.h"
#include "google/protobuf/util/json_util.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "lectern/v1/lectern.grpc.pb.h"

ABSL_FLAG(std::string, server, "127.0.0.1:50051",
          "lecternd address, HOST:PORT");
ABSL_FLAG(bool, json, false, "Print the response as JSON (for scripts)");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(10), "Deadline of each call");
ABSL_FLAG(int, limit, 10, "search: results per page (1-100)");
ABSL_FLAG(std::string, page_token, "",
          "search: next_page_token of a previous page");
ABSL_FLAG(std::string, venue, "",
          "search: only these venues, comma-separated (osdi,sosp)");
ABSL_FLAG(std::string, group, "",
          "search: only these groups, comma-separated (fall-2024)");
ABSL_FLAG(std::string, type, "",
          "search: only these kinds of record, comma-separated: session, "
          "paper, summary");
ABSL_FLAG(std::string, presenter, "",
          "search: only records these people presented, comma-separated; "
          "suggest: the presenter to lean towards");
ABSL_FLAG(std::string, year, "",
          "search: publication year, 2024, or range 2023..2024 (2023.. and "
          "..2024 leave an end open)");
ABSL_FLAG(std::string, date, "",
          "search: session date, 2024-10-15, or range 2024-09-01..2024-12-31 "
          "(an end may be left open); suggest: a date to suggest for, "
          "YYYY-MM-DD (repeat the flag or separate with commas)");
ABSL_FLAG(bool, facets, false,
          "search: count the matches by type, venue, year, group and "
          "presenter");
ABSL_FLAG(int, facet_limit, 0, "search: values per facet (0: server default)");
ABSL_FLAG(std::string, sort, "relevance",
          "search: relevance, newest or oldest");
ABSL_FLAG(bool, collapse, false,
          "search: one hit per paper, standing for its sessions and summaries");
ABSL_FLAG(bool, auto_correct, true,
          "search: when nothing matches, run the spelling-corrected query");
ABSL_FLAG(int, ordinal, 0, "session: which session of that date (0: all)");
ABSL_FLAG(std::string, from, "",
          "open-dates: the first date to list, YYYY-MM-DD");
ABSL_FLAG(std::string, until, "",
          "open-dates: the last date to list, YYYY-MM-DD");
ABSL_FLAG(int, count, 0,
          "suggest: candidates per date (0: 5; at most 50); related: papers "
          "to list (0: 10; at most 50)");
ABSL_FLAG(int, years, 0,
          "related: years before the paper's publication to search (0: 3)");
ABSL_FLAG(std::string, before, "",
          "related: count the years back from this date (YYYY-MM-DD) and "
          "leave out papers published after it");
ABSL_FLAG(std::string, role, "",
          "search: with --presenter, the role they held; alone, records "
          "with a presenter in that role: main or assist (comma-separated)");
ABSL_FLAG(std::string, as_of, "",
          "person, people: sessions after this date (YYYY-MM-DD) count as "
          "upcoming (default: today)");
ABSL_FLAG(std::string, topic, "",
          "suggest: free text to steer the ranking, as for search");
ABSL_FLAG(std::string, reject, "",
          "suggest: a paper the group turned down: catalog id, DOI, URL or "
          "title; repeat the flag for more (a title may contain commas)");
ABSL_FLAG(std::string, venues, "",
          "suggest: only these of the group's venues, comma-separated "
          "(OSDI,SOSP)");
ABSL_FLAG(int, max_age_months, 0,
          "suggest: only papers at most this many months old on the date "
          "(0: the group's rule)");
ABSL_FLAG(std::string, conflict, "",
          "suggest: leave out papers by this author, on top of the group's "
          "conflicts; repeat the flag or separate with commas");
ABSL_FLAG(int, min_abstract_chars, 0,
          "suggest: only papers with an abstract at least this long (0: the "
          "group's rule)");
ABSL_FLAG(std::string, explain, "",
          "suggest: instead of suggesting, say for each date why this paper "
          "(catalog id, DOI, URL or title) is or is not eligible");

ABSL_FLAG(std::string, token_file, "",
          "File holding the bearer token (or a lecternd token file: its first "
          "token is used); writes need one with write scope");
ABSL_FLAG(std::string, tls_ca, "",
          "Connect over TLS, trusting this PEM certificate (lecternd "
          "--tls_cert, or the CA that signed it)");
ABSL_FLAG(std::string, title, "", "add-session: the paper or talk title");
ABSL_FLAG(std::string, url, "", "add-session: the paper's link");
ABSL_FLAG(std::string, slides, "", "add-session: link to the slides");
ABSL_FLAG(std::string, qa_summary, "", "add-session: link to the Q&A summary");
ABSL_FLAG(std::string, video, "", "add-session: link to the video");
ABSL_FLAG(std::string, request_id, "",
          "add-session, import-papers: an id that makes a retry a no-op "
          "(default: a fresh one per run)");
ABSL_FLAG(bool, validate_only, false,
          "add-session: check the session without writing it");

namespace {

constexpr char kUsage[] =
    "client for lecternd, lectern's search service.\n"
    "usage: lectern [--server HOST:PORT] [--json] COMMAND ...\n"
    "  health               is lecternd serving?\n"
    "  search [QUERY...]    search sessions, papers and summaries; fields:\n"
    "                       title: author: abstract: presenter: venue: year:\n"
    "                       date: group: type: kind: role:; phrases,\n"
    "                       AND/OR/NOT, -term (after --: lectern search --\n"
    "                       kv -cache); role:main|assist narrows presenter:\n"
    "      --venue=osdi,sosp --group=G,... --presenter=NAME,...\n"
    "      --role=main|assist (with --presenter: the role they held)\n"
    "      --type=session,paper,summary --year=2024 | 2023..2024\n"
    "      --date=2024-10-15 | 2024-09-01..2024-12-31  (FROM.. or ..TO: open)\n"
    "      --sort=relevance|newest|oldest --facets [--facet_limit=N]\n"
    "      --collapse (one hit per paper) --noauto_correct --limit=N\n"
    "      --page_token=TOKEN; QUERY may be empty when a filter is given\n"
    "  session GROUP DATE   sessions of GROUP on DATE (YYYY-MM-DD)\n"
    "  schedule GROUP       GROUP's timeline: sessions, open dates, papers\n"
    "                       another group also presented\n"
    "  paper ID             a catalog paper, who presented it, its summaries\n"
    "  stats                counts of what the index holds\n"
    "  related PAPER        catalog papers related to PAPER (id, title or\n"
    "                       words from one), published in the years before\n"
    "                       it, with shared terms; ★ marks those presented\n"
    "      --years=N (default 3) --count=N (default 10) --venue=osdi,...\n"
    "      --before=YYYY-MM-DD\n"
    "  person NAME          a presenter's sessions in every group, by role\n"
    "  people               everyone, longest since their last main\n"
    "                       presentation first; --group=G,... --as_of=DATE\n"
    "  open-dates GROUP     dates of GROUP with no paper yet, listed on the\n"
    "                       schedule or added by the group's cadence\n"
    "      --from=YYYY-MM-DD --until=YYYY-MM-DD\n"
    "  suggest GROUP        papers for GROUP's open dates and why each fits\n"
    "      --date=YYYY-MM-DD (repeat for more; default: every open date)\n"
    "      --topic=TEXT --count=N --presenter=NAME\n"
    "      --reject=PAPER (id, DOI, URL or title; repeat for more)\n"
    "      narrowing the group's rules: --venues=OSDI,SOSP\n"
    "      --max_age_months=N --min_abstract_chars=N\n"
    "      --conflict=NAME (repeat for more)\n"
    "      --explain=PAPER: each rule PAPER passes or fails, and its rank\n"
    "writes (lecternd --write; --token_file=FILE with a write token):\n"
    "  add-session GROUP DATE   add or replace a session of GROUP on DATE\n"
    "      --title=TITLE (none: an open slot) --presenter=\"Main, Assistant\"\n"
    "      --venue=\"OSDI'24\" --url=URL --slides=URL --qa_summary=URL\n"
    "      --video=URL --ordinal=N --validate_only\n"
    "  import-papers FILE   add or update the papers of a JSON Lines catalog\n"
    "                       (one paper per line); reports each rejected line\n"
    "      --request_id=ID: a retry with the same id imports nothing twice\n"
    "--tls_ca=FILE connects over TLS\n"
    "flags take dashes or underscores: --page-token is --page_token";

int UsageError(const std::string& message) {
  std::fprintf(stderr, "lectern: %s\n\n%s\n", message.c_str(), kUsage);
  return 2;
}

int CallFailed(const char* what, const grpc::Status& status) {
  const std::string server = absl::GetFlag(FLAGS_server);
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    std::fprintf(stderr,
                 "lectern: cannot reach lecternd at %s (%s); is it running?\n",
                 server.c_str(), status.error_message().c_str());
  } else {
    std::fprintf(stderr, "lectern: %s failed: %s: %s\n", what,
                 absl::StatusCodeToString(
                     static_cast<absl::StatusCode>(status.error_code()))
                     .c_str(),
                 status.error_message().c_str());
    if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
      std::fprintf(stderr,
                   "lectern: give a token: --token_file FILE (writes need "
                   "one with write scope)\n");
    }
  }
  return 1;
}

void SetDeadline(grpc::ClientContext* context) {
  context->set_deadline(
      std::chrono::system_clock::now() +
      absl::ToChronoMilliseconds(absl::GetFlag(FLAGS_timeout)));
}

void PrintJson(const google::protobuf::Message& message) {
  std::fputs(lectern::cli::RenderJson(message).c_str(), stdout);
}

int TerminalWidth() {
  winsize size{};
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 &&
      size.ws_col > 0) {
    return size.ws_col;
  }
  int columns = 0;
  const char* env = std::getenv("COLUMNS");
  if (env != nullptr && absl::SimpleAtoi(env, &columns) && columns > 0) {
    return columns;
  }
  return 120;
}

int Health(const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  SetDeadline(&context);
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  const grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) return CallFailed("health check", status);
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(response);
  } else {
    std::printf("%s\n",
                grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
                    response.status())
                    .c_str());
  }
  return response.status() == grpc::health::v1::HealthCheckResponse::SERVING
             ? 0
             : 1;
}

// The items of a comma-separated flag value, trimmed, empty ones dropped.
std::vector<std::string> CommaList(const std::string& text) {
  std::vector<std::string> items;
  for (absl::string_view item : absl::StrSplit(text, ',')) {
    item = absl::StripAsciiWhitespace(item);
    if (!item.empty()) items.emplace_back(item);
  }
  return items;
}

// "A", "A..B", "A.." or "..B" into its ends; a single value is both ends.
// False for "..", which bounds nothing.
bool SplitRange(const std::string& text, std::string* from, std::string* to) {
  const size_t dots = text.find("..");
  if (dots == std::string::npos) {
    *from = *to = text;
  } else {
    *from = text.substr(0, dots);
    *to = text.substr(dots + 2);
  }
  return !from->empty() || !to->empty();
}

bool IsYear(const std::string& text) {
  return text.size() == 4 &&
         std::all_of(text.begin(), text.end(), absl::ascii_isdigit);
}

// Formatting back rejects what ParseCivilTime would accept or normalize
// but the server would not ("2024-9-1", "2024-02-30").
bool IsDate(const std::string& text) {
  absl::CivilDay day;
  return absl::ParseCivilTime(text, &day) && absl::FormatCivilTime(day) == text;
}

absl::Status ParseYears(const std::string& text,
                        lectern::v1::SearchFilters* filters) {
  std::string from, to;
  if (!SplitRange(text, &from, &to) || (!from.empty() && !IsYear(from)) ||
      (!to.empty() && !IsYear(to))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--year=", text,
        ": expected a four-digit year (2024) or a range 2023..2024, 2023.. "
        "or ..2024"));
  }
  int year_from = 0, year_to = 0;
  if (!from.empty()) (void)absl::SimpleAtoi(from, &year_from);
  if (!to.empty()) (void)absl::SimpleAtoi(to, &year_to);
  if (year_from != 0 && year_to != 0 && year_from > year_to) {
    return absl::InvalidArgumentError(
        absl::StrCat("--year=", text, ": the range ends before it starts"));
  }
  filters->set_year_from(year_from);
  filters->set_year_to(year_to);
  return absl::OkStatus();
}

absl::Status ParseDates(const std::string& text,
                        lectern::v1::SearchFilters* filters) {
  std::string from, to;
  if (!SplitRange(text, &from, &to) || (!from.empty() && !IsDate(from)) ||
      (!to.empty() && !IsDate(to))) {
    return absl::InvalidArgumentError(
        absl::StrCat("--date=", text,
                     ": expected a date YYYY-MM-DD (2024-10-15) or a range "
                     "2024-09-01..2024-12-31, 2024-09-01.. or ..2024-12-31"));
  }
  // ISO dates compare as strings.
  if (!from.empty() && !to.empty() && from > to) {
    return absl::InvalidArgumentError(
        absl::StrCat("--date=", text, ": the range ends before it starts"));
  }
  filters->set_date_from(from);
  filters->set_date_to(to);
  return absl::OkStatus();
}

// The request the search flags describe; InvalidArgument (a usage error)
// when a flag's value is malformed or there is nothing to search for.
absl::Status BuildSearchRequest(const std::string& query,
                                lectern::v1::SearchRequest* request) {
  request->set_query(query);
  request->set_page_size(absl::GetFlag(FLAGS_limit));
  request->set_page_token(absl::GetFlag(FLAGS_page_token));

  lectern::v1::SearchFilters* filters = request->mutable_filters();
  for (std::string& venue : CommaList(absl::GetFlag(FLAGS_venue))) {
    filters->add_venues(std::move(venue));
  }
  for (std::string& group : CommaList(absl::GetFlag(FLAGS_group))) {
    filters->add_groups(std::move(group));
  }
  for (std::string& person : CommaList(absl::GetFlag(FLAGS_presenter))) {
    filters->add_presenters(std::move(person));
  }
  for (const std::string& role : CommaList(absl::GetFlag(FLAGS_role))) {
    const std::string name = absl::AsciiStrToLower(role);
    if (name == "main") {
      filters->add_presenter_roles(lectern::v1::PRESENTER_ROLE_MAIN);
    } else if (name == "assist" || name == "assistant") {
      filters->add_presenter_roles(lectern::v1::PRESENTER_ROLE_ASSIST);
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "--role: '", role, "' is not a role; expected main or assist"));
    }
  }
  for (const std::string& type : CommaList(absl::GetFlag(FLAGS_type))) {
    const std::string name = absl::AsciiStrToLower(type);
    if (name == "session") {
      filters->add_types(lectern::v1::DOCUMENT_TYPE_SESSION);
    } else if (name == "paper") {
      filters->add_types(lectern::v1::DOCUMENT_TYPE_PAPER);
    } else if (name == "summary") {
      filters->add_types(lectern::v1::DOCUMENT_TYPE_SUMMARY);
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("--type: '", type,
                       "' is not a record type; expected session, paper or "
                       "summary (comma-separated)"));
    }
  }
  if (const std::string year = absl::GetFlag(FLAGS_year); !year.empty()) {
    if (absl::Status status = ParseYears(year, filters); !status.ok()) {
      return status;
    }
  }
  if (const std::string date = absl::GetFlag(FLAGS_date); !date.empty()) {
    if (absl::Status status = ParseDates(date, filters); !status.ok()) {
      return status;
    }
  }
  // No filter given: leave the message unset, as before filters existed.
  const bool filtered = filters->ByteSizeLong() > 0;
  if (!filtered) request->clear_filters();
  if (query.empty() && !filtered) {
    return absl::InvalidArgumentError(
        "search needs a query or a filter (--venue, --group, --type, "
        "--presenter, --year, --date)");
  }

  const std::string sort = absl::AsciiStrToLower(absl::GetFlag(FLAGS_sort));
  if (sort == "relevance") {
    request->set_sort(lectern::v1::SEARCH_SORT_RELEVANCE);
  } else if (sort == "newest") {
    request->set_sort(lectern::v1::SEARCH_SORT_NEWEST);
  } else if (sort == "oldest") {
    request->set_sort(lectern::v1::SEARCH_SORT_OLDEST);
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("--sort=", absl::GetFlag(FLAGS_sort),
                     ": expected relevance, newest or oldest"));
  }

  if (absl::GetFlag(FLAGS_facets)) {
    for (const lectern::v1::Facet facet :
         {lectern::v1::FACET_TYPE, lectern::v1::FACET_VENUE,
          lectern::v1::FACET_YEAR, lectern::v1::FACET_GROUP,
          lectern::v1::FACET_PRESENTER}) {
      request->add_facets(facet);
    }
  }
  const int facet_limit = absl::GetFlag(FLAGS_facet_limit);
  if (facet_limit < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--facet_limit=", facet_limit, ": must not be negative"));
  }
  request->set_facet_limit(facet_limit);
  request->set_collapse_papers(absl::GetFlag(FLAGS_collapse));
  request->set_auto_correct(absl::GetFlag(FLAGS_auto_correct));
  return absl::OkStatus();
}

// Calls `rpc` with `request`; prints the answer as JSON with --json, else as
// `render` writes it. `what` names the command in errors.
template <typename Request, typename Response, typename Render>
int CallAndPrint(const char* what,
                 grpc::Status (lectern::v1::Lectern::Stub::*rpc)(
                     grpc::ClientContext*, const Request&, Response*),
                 lectern::v1::Lectern::Stub& stub, const Request& request,
                 Render render) {
  Response response;
  grpc::ClientContext context;
  SetDeadline(&context);
  const grpc::Status status = (stub.*rpc)(&context, request, &response);
  if (!status.ok()) return CallFailed(what, status);
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(response);
  } else {
    std::fputs(render(response).c_str(), stdout);
  }
  return 0;
}

int Search(lectern::v1::Lectern::Stub& stub,
           const lectern::v1::SearchRequest& request) {
  lectern::cli::RenderOptions options;
  options.width = TerminalWidth();
  options.ansi = isatty(STDOUT_FILENO);
  return CallAndPrint(
      "search", &lectern::v1::Lectern::Stub::Search, stub, request,
      [&](const lectern::v1::SearchResponse& response) {
        return lectern::cli::RenderSearch(response, options, request.query());
      });
}

int Session(lectern::v1::Lectern::Stub& stub, const std::string& group,
            const std::string& date) {
  lectern::v1::GetSessionRequest request;
  request.set_group(group);
  request.set_date(date);
  request.set_ordinal(absl::GetFlag(FLAGS_ordinal));
  return CallAndPrint("session", &lectern::v1::Lectern::Stub::GetSession, stub,
                      request, lectern::cli::RenderSessions);
}

int Schedule(lectern::v1::Lectern::Stub& stub, const std::string& group) {
  lectern::v1::GetScheduleRequest request;
  request.set_group(group);
  lectern::cli::RenderOptions options;
  options.width = TerminalWidth();
  return CallAndPrint("schedule", &lectern::v1::Lectern::Stub::GetSchedule,
                      stub, request,
                      [&](const lectern::v1::GetScheduleResponse& response) {
                        return lectern::cli::RenderSchedule(response, options);
                      });
}

int Paper(lectern::v1::Lectern::Stub& stub, const std::string& id) {
  lectern::v1::GetPaperRequest request;
  request.set_id(id);
  lectern::cli::RenderOptions options;
  options.width = TerminalWidth();
  return CallAndPrint("paper", &lectern::v1::Lectern::Stub::GetPaper, stub,
                      request,
                      [&](const lectern::v1::GetPaperResponse& response) {
                        return lectern::cli::RenderPaper(response, options);
                      });
}

int Related(lectern::v1::Lectern::Stub& stub, const std::string& paper) {
  lectern::v1::RelatedWorkRequest request;
  request.set_paper(paper);
  request.set_years(absl::GetFlag(FLAGS_years));
  request.set_count(absl::GetFlag(FLAGS_count));
  request.set_before(absl::GetFlag(FLAGS_before));
  for (std::string& venue : CommaList(absl::GetFlag(FLAGS_venue))) {
    request.add_venues(std::move(venue));
  }
  lectern::cli::RenderOptions options;
  options.width = TerminalWidth();
  return CallAndPrint("related", &lectern::v1::Lectern::Stub::RelatedWork, stub,
                      request,
                      [&](const lectern::v1::RelatedWorkResponse& response) {
                        return lectern::cli::RenderRelated(response, options);
                      });
}

int Person(lectern::v1::Lectern::Stub& stub, const std::string& name) {
  lectern::v1::GetPersonRequest request;
  request.set_name(name);
  request.set_as_of(absl::GetFlag(FLAGS_as_of));
  return CallAndPrint("person", &lectern::v1::Lectern::Stub::GetPerson, stub,
                      request, lectern::cli::RenderPerson);
}

int People(lectern::v1::Lectern::Stub& stub) {
  lectern::v1::ListPeopleRequest request;
  for (std::string& group : CommaList(absl::GetFlag(FLAGS_group))) {
    request.add_groups(std::move(group));
  }
  request.set_as_of(absl::GetFlag(FLAGS_as_of));
  return CallAndPrint("people", &lectern::v1::Lectern::Stub::ListPeople, stub,
                      request, lectern::cli::RenderPeople);
}

// Every value a repeatable flag was given, in order; absl itself keeps only
// the last. Falls back to the flag's value when the command line has none
// (--flagfile, --fromenv).
std::vector<std::string> AllValues(
    const std::map<std::string, std::vector<std::string>>& repeated,
    const std::string& name, const std::string& value) {
  if (auto it = repeated.find(name); it != repeated.end()) return it->second;
  if (value.empty()) return {};
  return {value};
}

// The request the open-dates flags describe; InvalidArgument (a usage
// error) for a malformed bound.
absl::Status BuildOpenDatesRequest(const std::string& group,
                                   lectern::v1::ListOpenDatesRequest* request) {
  request->set_group(group);
  request->set_from(absl::GetFlag(FLAGS_from));
  request->set_until(absl::GetFlag(FLAGS_until));
  for (const auto& [flag, date] :
       {std::pair<const char*, std::string>{"--from", request->from()},
        {"--until", request->until()}}) {
    if (!date.empty() && !IsDate(date)) {
      return absl::InvalidArgumentError(absl::StrCat(
          flag, "=", date, ": expected a date YYYY-MM-DD (2024-12-24)"));
    }
  }
  if (!request->from().empty() && !request->until().empty() &&
      request->from() > request->until()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--from=", request->from(), " is after --until=", request->until()));
  }
  return absl::OkStatus();
}

// The request the suggest flags describe; `repeated` holds every value of
// --date, --reject and --conflict. InvalidArgument (a usage error) when a
// flag's value is malformed.
absl::Status BuildSuggestRequest(
    const std::string& group,
    const std::map<std::string, std::vector<std::string>>& repeated,
    lectern::v1::SuggestRequest* request) {
  request->set_group(group);
  for (const std::string& value :
       AllValues(repeated, "date", absl::GetFlag(FLAGS_date))) {
    for (std::string& date : CommaList(value)) {
      if (!IsDate(date)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "--date=", date,
            ": expected a date YYYY-MM-DD (2024-12-24); repeat --date for "
            "more dates"));
      }
      request->add_dates(std::move(date));
    }
  }
  const int count = absl::GetFlag(FLAGS_count);
  if (count < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--count=", count, ": must not be negative"));
  }
  request->set_count(count);
  request->set_topic(absl::GetFlag(FLAGS_topic));
  request->set_presenter(
      std::string(absl::StripAsciiWhitespace(absl::GetFlag(FLAGS_presenter))));
  // Whole values only: a title may contain commas.
  for (const std::string& value :
       AllValues(repeated, "reject", absl::GetFlag(FLAGS_reject))) {
    const absl::string_view paper = absl::StripAsciiWhitespace(value);
    if (!paper.empty()) request->add_rejected(std::string(paper));
  }
  request->set_explain(
      std::string(absl::StripAsciiWhitespace(absl::GetFlag(FLAGS_explain))));

  lectern::v1::SuggestionRules* narrow = request->mutable_narrow();
  for (std::string& venue : CommaList(absl::GetFlag(FLAGS_venues))) {
    narrow->add_venues(std::move(venue));
  }
  for (const std::string& value :
       AllValues(repeated, "conflict", absl::GetFlag(FLAGS_conflict))) {
    for (std::string& name : CommaList(value)) {
      narrow->add_conflicts(std::move(name));
    }
  }
  for (const auto& [flag, value] :
       {std::pair<const char*, int>{"--max_age_months",
                                    absl::GetFlag(FLAGS_max_age_months)},
        {"--min_abstract_chars", absl::GetFlag(FLAGS_min_abstract_chars)}}) {
    if (value < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(flag, "=", value, ": must not be negative"));
    }
  }
  narrow->set_max_age_months(absl::GetFlag(FLAGS_max_age_months));
  narrow->set_min_abstract_chars(absl::GetFlag(FLAGS_min_abstract_chars));
  // Nothing narrowed: leave the message unset.
  if (narrow->ByteSizeLong() == 0) request->clear_narrow();
  return absl::OkStatus();
}

int OpenDates(lectern::v1::Lectern::Stub& stub,
              const lectern::v1::ListOpenDatesRequest& request) {
  return CallAndPrint("open-dates", &lectern::v1::Lectern::Stub::ListOpenDates,
                      stub, request,
                      [&](const lectern::v1::ListOpenDatesResponse& response) {
                        return lectern::cli::RenderOpenDates(request, response);
                      });
}

int Suggest(lectern::v1::Lectern::Stub& stub,
            const lectern::v1::SuggestRequest& request) {
  lectern::cli::RenderOptions options;
  options.width = TerminalWidth();
  return CallAndPrint("suggest", &lectern::v1::Lectern::Stub::Suggest, stub,
                      request,
                      [&](const lectern::v1::SuggestResponse& response) {
                        return lectern::cli::RenderSuggest(response, options);
                      });
}

int Stats(lectern::v1::Lectern::Stub& stub) {
  return CallAndPrint("stats", &lectern::v1::Lectern::Stub::GetStats, stub,
                      lectern::v1::GetStatsRequest(),
                      lectern::cli::RenderStats);
}

// Flags whose every value counts when repeated (--date A --date B).
const std::set<std::string>& RepeatableFlags() {
  static const auto* const kNames =
      new std::set<std::string>{"date", "reject", "conflict"};
  return *kNames;
}

// argv with "--page-token" spelled "--page_token": absl knows only the
// underscore names. Only arguments that name a known flag change, so absl
// still reports an unknown flag as the user wrote it; a flag's value given as
// the next argument is skipped (a page token may begin with '-'), and so is
// everything after "--". Every value of a RepeatableFlags() flag is added to
// `repeated` under its underscore name, in order.
std::vector<std::string> NormalizeFlagNames(
    int argc, char** argv,
    std::map<std::string, std::vector<std::string>>* repeated) {
  std::vector<std::string> args(argv, argv + argc);
  for (size_t i = 1; i < args.size(); ++i) {
    std::string& arg = args[i];
    if (arg == "--") break;
    if (arg.size() < 2 || arg[0] != '-') continue;
    const size_t dashes = arg[1] == '-' ? 2 : 1;
    const size_t equals = arg.find('=');
    const bool has_value = equals != std::string::npos;
    std::string name =
        arg.substr(dashes, has_value ? equals - dashes : std::string::npos);
    std::replace(name.begin(), name.end(), '-', '_');
    const absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag == nullptr) {
      // absl negates a bool as "--noNAME"; "--no-NAME" means the same.
      std::string base;
      if (absl::StartsWith(name, "no_")) {
        base = name.substr(3);
      } else if (absl::StartsWith(name, "no")) {
        base = name.substr(2);
      }
      const absl::CommandLineFlag* negated =
          base.empty() ? nullptr : absl::FindCommandLineFlag(base);
      if (negated != nullptr && negated->IsOfType<bool>()) {
        name = "no" + base;
        flag = negated;
      }
    }
    if (flag == nullptr) continue;
    if (RepeatableFlags().count(name) > 0) {
      if (has_value) {
        (*repeated)[name].push_back(arg.substr(equals + 1));
      } else if (i + 1 < args.size()) {
        (*repeated)[name].push_back(args[i + 1]);
      }
    }
    arg = absl::StrCat(arg.substr(0, dashes), name,
                       has_value ? arg.substr(equals) : "");
    if (!has_value && !flag->IsOfType<bool>()) ++i;
  }
  return args;
}

// A request id for this run: retries within it are no-ops on the server.
std::string FreshRequestId() {
  return absl::StrFormat("lectern-%d-%d", absl::ToUnixNanos(absl::Now()),
                         getpid());
}

int Write(const std::shared_ptr<grpc::Channel>& channel,
          const std::string& command, const std::vector<std::string>& args) {
  auto stub = lectern::v1::LecternWriter::NewStub(channel);
  lectern::cli::WriteContext write;
  write.stub = stub.get();
  write.json = absl::GetFlag(FLAGS_json);
  write.prepare = SetDeadline;
  write.report_failure = CallFailed;
  if (isatty(STDERR_FILENO)) write.progress = stderr;
  if (const std::string path = absl::GetFlag(FLAGS_token_file); !path.empty()) {
    auto token = lectern::cli::ReadToken(path);
    if (!token.ok()) return UsageError(std::string(token.status().message()));
    write.token = *std::move(token);
  }
  std::string request_id = absl::GetFlag(FLAGS_request_id);
  if (request_id.empty()) request_id = FreshRequestId();
  if (command == "import-papers") {
    if (args.size() != 1) return UsageError("import-papers needs a FILE");
    return lectern::cli::ImportPapers(write, args[0], request_id);
  }
  if (args.size() != 2) return UsageError("add-session needs GROUP and DATE");
  lectern::v1::UpsertSessionRequest request;
  lectern::v1::SessionInput* session = request.mutable_session();
  session->set_group(args[0]);
  session->set_date(args[1]);
  session->set_ordinal(absl::GetFlag(FLAGS_ordinal));
  session->set_title(absl::GetFlag(FLAGS_title));
  if (const std::string presenters = absl::GetFlag(FLAGS_presenter);
      !presenters.empty()) {
    session->add_presenters(presenters);
  }
  session->set_venue(absl::GetFlag(FLAGS_venue));
  session->set_url(absl::GetFlag(FLAGS_url));
  session->set_slides(absl::GetFlag(FLAGS_slides));
  session->set_qa_summary(absl::GetFlag(FLAGS_qa_summary));
  session->set_video(absl::GetFlag(FLAGS_video));
  request.set_request_id(request_id);
  request.set_validate_only(absl::GetFlag(FLAGS_validate_only));
  return lectern::cli::AddSession(write, request);
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(kUsage);
  std::map<std::string, std::vector<std::string>> repeated;
  std::vector<std::string> normalized =
      NormalizeFlagNames(argc, argv, &repeated);
  std::vector<char*> normalized_argv;
  normalized_argv.reserve(normalized.size());
  for (std::string& arg : normalized) normalized_argv.push_back(arg.data());
  const std::vector<char*> positional = absl::ParseCommandLine(
      static_cast<int>(normalized_argv.size()), normalized_argv.data());
  if (positional.size() < 2) return UsageError("no command given");
  const std::string command = positional[1];
  const std::vector<std::string> args(positional.begin() + 2, positional.end());

  std::shared_ptr<grpc::ChannelCredentials> credentials =
      grpc::InsecureChannelCredentials();
  if (const std::string ca = absl::GetFlag(FLAGS_tls_ca); !ca.empty()) {
    std::ifstream in(ca);
    std::ostringstream pem;
    pem << in.rdbuf();
    if (!in || pem.str().empty()) {
      return UsageError(absl::StrCat("cannot read --tls_ca ", ca));
    }
    grpc::SslCredentialsOptions tls;
    tls.pem_root_certs = pem.str();
    credentials = grpc::SslCredentials(tls);
  }
  auto channel = grpc::CreateChannel(absl::GetFlag(FLAGS_server), credentials);
  if (command == "add-session" || command == "import-papers") {
    return Write(channel, command, args);
  }
  if (command == "health") {
    if (!args.empty()) return UsageError("health takes no arguments");
    return Health(channel);
  }
  auto stub = lectern::v1::Lectern::NewStub(channel);
  if (command == "search") {
    lectern::v1::SearchRequest request;
    const absl::Status valid =
        BuildSearchRequest(absl::StrJoin(args, " "), &request);
    if (!valid.ok()) return UsageError(std::string(valid.message()));
    return Search(*stub, request);
  }
  if (command == "session") {
    if (args.size() != 2) return UsageError("session needs GROUP and DATE");
    return Session(*stub, args[0], args[1]);
  }
  if (command == "schedule") {
    if (args.size() != 1) return UsageError("schedule needs a GROUP");
    return Schedule(*stub, args[0]);
  }
  if (command == "paper") {
    if (args.size() != 1) return UsageError("paper needs a paper id");
    return Paper(*stub, args[0]);
  }
  if (command == "open-dates") {
    if (args.size() != 1) return UsageError("open-dates needs a GROUP");
    lectern::v1::ListOpenDatesRequest request;
    const absl::Status valid = BuildOpenDatesRequest(args[0], &request);
    if (!valid.ok()) return UsageError(std::string(valid.message()));
    return OpenDates(*stub, request);
  }
  if (command == "suggest") {
    if (args.size() != 1) return UsageError("suggest needs a GROUP");
    lectern::v1::SuggestRequest request;
    const absl::Status valid = BuildSuggestRequest(args[0], repeated, &request);
    if (!valid.ok()) return UsageError(std::string(valid.message()));
    return Suggest(*stub, request);
  }
  if (command == "stats") {
    if (!args.empty()) return UsageError("stats takes no arguments");
    return Stats(*stub);
  }
  if (command == "related") {
    if (args.empty()) return UsageError("related needs a PAPER");
    return Related(*stub, absl::StrJoin(args, " "));
  }
  if (command == "person") {
    if (args.empty()) return UsageError("person needs a NAME");
    return Person(*stub, absl::StrJoin(args, " "));
  }
  if (command == "people") {
    if (!args.empty()) return UsageError("people takes no arguments");
    return People(*stub);
  }
  return UsageError(absl::StrCat("unknown command '", command, "'"));
}
