#!/usr/bin/env bash
# End-to-end test of the lectern CLI, run the way a user runs it: index the
# bundled data, start lecternd on an ephemeral 127.0.0.1 port, and check
# what each command prints and how it exits.
#
# usage: cli_test.sh LECTERN_INDEX LECTERND LECTERN SOURCE_DIR LECTERN_EVAL
set -euo pipefail

indexer=$1 lecternd=$2 lectern=$3 source_dir=$4 eval=$5
work=$(mktemp -d "${TMPDIR:-/tmp}/lectern-cli-test.XXXXXX")
pid= wpid=
cleanup() {
  if [[ -n $pid ]]; then kill -KILL "$pid" 2>/dev/null || true; fi
  if [[ -n $wpid ]]; then kill -KILL "$wpid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
fail() {
  printf 'FAIL: %s\n' "$1" >&2
  [[ $# -gt 1 ]] && printf '%s\n' "$2" | sed 's/^/    | /' >&2
  failures=$((failures + 1))
}
contains() {  # name haystack needle
  grep -qF -- "$3" <<<"$2" || fail "$1: expected '$3'" "$2"
}

"$indexer" --config "$source_dir/data/lectern.textproto" --index "$work/index" \
  --strict >"$work/index.out"
contains "lectern-index" "$(cat "$work/index.out")" "645 added"

"$lecternd" --index "$work/index" --listen 127.0.0.1:0 --threads 2 \
  --port_file "$work/port" 2>"$work/lecternd.log" &
pid=$!
for _ in $(seq 200); do [[ -s $work/port ]] && break; sleep 0.05; done
[[ -s $work/port ]] || { cat "$work/lecternd.log" >&2; echo "lecternd did not start" >&2; exit 1; }
port=$(cat "$work/port")
cli() { "$lectern" --server "127.0.0.1:$port" "$@"; }

# health
out=$(cli health) || fail "health exit status $?"
[[ $out == SERVING ]] || fail "health: expected SERVING" "$out"

# The acceptance searches.
out=$(COLUMNS=200 cli search kv cache)
first=$(sed -n 2p <<<"$out")
[[ $first =~ ^1\  ]] || fail "search kv cache: row 1 missing" "$out"
contains "search kv cache: first row" "$first" "2024-10-15"
contains "search kv cache: first row" "$first" "InfiniGen"
contains "search kv cache: highlight" "$out" "«KV» «Cache»"

out=$(COLUMNS=200 cli search μslope)
contains "search μslope" "$(sed -n 2p <<<"$out")" "2024-09-24"
contains "search μslope" "$out" "μSlope: High Compression"

# The search acceptance: LLM-serving papers and sessions with facets, the
# same through the "llm" synonym, and "did you mean".
llm_titles=(DistServe LoongServe PowerInfer ServerlessLLM Parrot dLoRA)
out=$(COLUMNS=200 cli search "large language model serving" --facets --collapse --limit 20)
for title in "${llm_titles[@]}"; do
  contains "large language model serving: $title" "$out" "$title"
done
contains "facets: venue line" "$(grep '^venue:' <<<"$out")" "OSDI"
contains "facets: venue line" "$(grep '^venue:' <<<"$out")" "SOSP"
contains "facets: year line" "$(grep '^year:' <<<"$out")" "2024"
synonym_out=$(COLUMNS=200 cli search "llm serving" --collapse --limit 20)
for title in "${llm_titles[@]}"; do
  contains "llm serving: $title" "$synonym_out" "$title"
done
out=$(COLUMNS=200 cli search infinigne)
contains "did you mean" "$(sed -n 1p <<<"$out")" "did you mean: infinigen"
contains "auto-corrected results" "$out" "InfiniGen"
out=$(COLUMNS=200 cli search --noauto_correct infinigne)
contains "did you mean, no auto-correct" "$out" "did you mean: infinigen"
contains "did you mean, no auto-correct" "$out" "no results"

# Filters, sort and paging flags.
out=$(COLUMNS=200 cli search --group=fall-2024 --type=session --sort=oldest --limit 3)
contains "filters only: oldest first" "$(sed -n 2p <<<"$out")" "2024-09-03"
token=$(cli --json search --group=fall-2024 --type=session --sort=oldest --limit 3 |
  grep -o '"nextPageToken": "[^"]*"' | cut -d'"' -f4)
[[ -n $token ]] || fail "filters only: no next page token"
out=$(COLUMNS=200 cli search --group=fall-2024 --type=session --sort=oldest --limit 3 --page-token="$token")
contains "second page" "$(sed -n 2p <<<"$out")" "4 "
set +e
out=$(cli search memory --page-token="$token" 2>&1); code=$?
set -e
[[ $code == 1 ]] || fail "token of another query: expected exit 1, got $code" "$out"
contains "token of another query" "$out" "INVALID_ARGUMENT"
out=$(COLUMNS=200 cli search cache --venue=osdi --year=2024 --type=paper --limit 50)
rows=$(grep -cE '^[0-9]+ ' <<<"$out" || true)
osdi_rows=$(grep -cE '^[0-9]+ +paper +OSDI 2024' <<<"$out" || true)
[[ $rows -gt 0 && $rows == "$osdi_rows" ]] || fail "--venue=osdi --year=2024: every row OSDI 2024" "$out"

out=$(COLUMNS=200 cli search 'type:session presenter:"zongqing wei"')
rows=$(grep -cE '^[0-9]+ ' <<<"$out" || true)
[[ $rows == 6 ]] || fail "presenter:\"zongqing wei\": expected 6 rows, got $rows" "$out"
json=$(cli --json search 'type:session presenter:"zongqing wei"')
[[ $(grep -c '"rank"' <<<"$json") == 6 ]] || fail "--json: expected 6 hits" "$json"
contains "--json keeps the spelling" "$json" '"writtenAs": "Zongqing wei"'

out=$(cli session fall-2024 2024-12-24)
contains "session open slot" "$out" "open slot"
contains "session presenter" "$out" "Yinhe Chen"
contains "session date" "$out" "Tuesday 2024-12-24"

# The 1+N team: the first name presents, the others assist.
out=$(cli session fall-2024 2024-09-03)
contains "session main presenter" "$out" "Presenter:   Chaoyi Ruan (main)"
contains "session assistants" "$out" "Assisting:   Kunzhao Xu, Bosen Yang"
out=$(COLUMNS=200 cli search 'presenter:"kunzhao xu" role:assist')
contains "role:assist finds the session" "$out" "2024-09-03  fall-2024"
out=$(COLUMNS=200 cli search 'type:session presenter:"kunzhao xu" role:main' 2>&1)
contains "role:main: Kunzhao never presented" "$out" "no results"
out=$(cli person "kunzhao xu")
contains "person: assistant on 2024-09-03" "$out" "2024-09-03  fall-2024        assistant"
out=$(cli people --group fall-2024 --as_of 2025-06-01)
contains "people: header" "$out" "LAST MAIN"
contains "people: Chaoyi Ruan" "$out" "Chaoyi Ruan"

# Related work: LLM serving papers of 2021-2024, presented ones marked.
out=$(COLUMNS=200 cli related "DistServe" --count 15)
contains "related: window" "$out" "published 2021–2024"
contains "related: evidence" "$out" "shared: "
contains "related: presented marked" "$out" "★ presented"
rows=$(grep -cE '^ +[0-9]+\. ' <<<"$out" || true)
[[ $rows == 15 ]] || fail "related --count 15: expected 15 papers, got $rows" "$out"
json=$(cli --json related "DistServe" --years 1)
contains "related --json: window" "$json" '"yearFrom": 2023'
set +e
out=$(cli related "" 2>&1); code=$?
set -e
[[ $code == 1 ]] || fail "related \"\": expected exit 1, got $code" "$out"
contains "related \"\": says what was expected" "$out" "INVALID_ARGUMENT"

out=$(cli session paper-list-2024 2024-10-29)
contains "session two of a date" "$out" "StreamBox"
contains "session two of a date" "$out" "DynaPipe"

# Papers and summaries, linked to the sessions that discussed them.
out=$(COLUMNS=200 cli search memory tiering)
contains "memory tiering: Nomad session" "$out" "2024-09-18  fall-2024"
paper_row=$(grep -E '^[0-9]+ +paper +.*Nomad: Non-Exclusive' <<<"$out" || true)
[[ -n $paper_row ]] || fail "memory tiering: no Nomad paper row" "$out"
contains "memory tiering: Nomad paper presented" "$paper_row" "presented 2024-09-18 fall-2024"
contains "memory tiering: abstract snippet" "$out" "page migration"

powerinfer=$(cli --json search 'type:paper title:powerinfer' | grep -o '"id": "sosp24-[^"]*"' | head -1 | cut -d'"' -f4)
[[ -n $powerinfer ]] || fail "type:paper title:powerinfer: no paper id"
out=$(COLUMNS=200 cli paper "$powerinfer")
contains "paper view" "$out" "PowerInfer: Fast Large Language Model Serving"
contains "paper view: fall-2024 session" "$out" "2024-12-10 fall-2024"
contains "paper view: paper-list-2024 session" "$out" "2025-01-07 paper-list-2024"
contains "paper view: summary" "$out" "250107-powerinfer.md (zh)"

out=$(COLUMNS=200 cli search 稀疏)
contains "Chinese query: summary" "$(sed -n 2p <<<"$out")" "summary"
contains "Chinese query: highlighted" "$out" "«稀疏»"

out=$(cli stats)
contains "stats" "$out" "645 documents"
contains "stats" "$out" "paper-list-2024"

# Open dates and suggestions: the acceptance of the suggest issue.
out=$(cli open-dates fall-2024)
contains "open-dates: count" "$(sed -n 1p <<<"$out")" "4 open dates"
contains "open-dates: presenter" "$(grep '^2024-12-24' <<<"$out")" "Yinhe Chen"
for date in 2024-12-31 2025-01-14 2025-01-21; do
  contains "open-dates: $date" "$out" "$date"
done
# schedule: the timeline with the open dates and the cross-group repeats.
out=$(cli schedule fall-2024)
contains "schedule: heading" "$(sed -n 1p <<<"$out")" "2024 Fall (fall-2024)"
contains "schedule: open date" "$(grep '^2024-12-24' <<<"$out")" "OPEN"
contains "schedule: its presenter" "$(grep '^2024-12-24' <<<"$out")" "Yinhe Chen"
[[ $(grep -c '  OPEN' <<<"$out") == 4 ]] || fail "schedule: expected 4 open dates" "$out"
contains "schedule: PowerInfer repeat" "$(grep -A1 '^2024-12-10' <<<"$out")" \
  "also presented by paper-list-2024 on 2025-01-07"
contains "schedule: DistServe repeat" "$(grep -A1 '^2025-01-07' <<<"$out")" \
  "also presented by paper-list-2024 on 2024-12-24"
json=$(cli --json suggest fall-2024 --count 3)
dates=$(grep -c '"date": "20' <<<"$json" || true)
[[ $dates == 4 ]] || fail "suggest: expected 4 dates, got $dates" "$json"
ids=$(grep -o '"id": "[a-z]*[0-9]*-[^"]*"' <<<"$json" | cut -d'"' -f4)
[[ $(wc -l <<<"$ids") == 12 ]] || fail "suggest: expected 12 candidates" "$ids"
[[ -z $(sort <<<"$ids" | uniq -d) ]] || fail "suggest: a paper twice" "$ids"
grep -vqE '^(osdi|sosp)2[345]-' <<<"$ids" && fail "suggest: only OSDI/SOSP 2023-2025" "$ids"
grep -qE 'distserve|powerinfer' <<<"$ids" && fail "suggest: a presented paper" "$ids"
out=$(COLUMNS=200 cli suggest fall-2024 --date 2024-12-24 --count 2)
contains "suggest: header" "$(sed -n 1p <<<"$out")" "presenter Yinhe Chen"
contains "suggest: explanation" "$out" "Qualifies: "
contains "suggest: explanation" "$out" "Ranks: "
out=$(COLUMNS=200 cli suggest fall-2024 --date 2025-01-14 --explain DistServe)
contains "explain DistServe" "$out" "not eligible"
contains "explain DistServe: who" "$out" "presented by sibling group paper-list-2024 on 2024-12-24"
contains "explain DistServe: who" "$out" "presented by this group (fall-2024) on 2025-01-07"
out=$(COLUMNS=200 cli suggest fall-2024 --date 2025-01-14 --explain "Orca: A Distributed Serving System for Transformer-Based Generative Models")
contains "explain OSDI 2022" "$out" "✗ recency: published July 2022"
contains "explain OSDI 2022: months" "$out" "30 months and 13 days before 2025-01-14"

# Suggestion quality, replayed on the seeds.
out=$("$eval" --index "$work/index")
for group in fall-2024 paper-list-2024; do
  contains "lectern-eval: $group" "$out" "group $group:"
done
for line in "ranker " "newest first" "random (expected)"; do
  contains "lectern-eval: $line" "$out" "$line"
done

# Errors: the server's status and message, exit 1; usage errors exit 2.
set +e
out=$(cli search AND 2>&1); code=$?
set -e
[[ $code == 1 ]] || fail "malformed query: expected exit 1, got $code" "$out"
contains "malformed query" "$out" "INVALID_ARGUMENT"

set +e
out=$(cli session fall-2024 2024-12-25 2>&1); code=$?
set -e
[[ $code == 1 ]] || fail "missing session: expected exit 1, got $code" "$out"
contains "missing session" "$out" "NOT_FOUND"

set +e
out=$(cli frobnicate 2>&1); code=$?
set -e
[[ $code == 2 ]] || fail "unknown command: expected exit 2, got $code" "$out"
contains "usage lists open-dates" "$out" "open-dates GROUP"
contains "usage lists suggest" "$out" "suggest GROUP"
contains "usage lists schedule" "$out" "schedule GROUP"

# open-dates and suggest: malformed flags are usage errors (exit 2, the
# flag named, whichever spelling was used); the server's errors exit 1.
usage_cases=(
  "--from=|open-dates fall-2024 --from=2024-13-45"
  "--from=|open-dates fall-2024 --from 2025-01-01 --until 2024-12-01"
  "needs a GROUP|open-dates"
  "needs a GROUP|suggest"
  "--date=|suggest fall-2024 --date 2024-12-24 --date 2024-02-30"
  "--count=|suggest fall-2024 --count=-1"
  "--max_age_months=|suggest fall-2024 --max-age-months=-1"
  "--min_abstract_chars=|suggest fall-2024 --min-abstract-chars -5"
)
for case in "${usage_cases[@]}"; do
  expected=${case%%|*}
  read -ra words <<<"${case#*|}"
  set +e
  out=$(cli "${words[@]}" 2>&1); code=$?
  set -e
  [[ $code == 2 ]] || fail "${words[*]}: expected exit 2, got $code" "$out"
  contains "${words[*]}" "$out" "$expected"
done
for command in open-dates suggest schedule; do
  set +e
  out=$(cli "$command" no-such-group 2>&1); code=$?
  set -e
  [[ $code == 1 ]] || fail "$command no-such-group: expected exit 1, got $code" "$out"
  contains "$command no-such-group" "$out" "$command failed: "
done

# Nothing listens on loopback port 1: a clear message, exit 1.
set +e
out=$("$lectern" --server 127.0.0.1:1 --timeout 2s health 2>&1); code=$?
set -e
[[ $code == 1 ]] || fail "unreachable server: expected exit 1, got $code" "$out"
contains "unreachable server" "$out" "cannot reach lecternd"

# A schedule line that cannot be parsed: reported as file:line, the other
# entries indexed, the indexed session of that line kept; --strict exits 1.
mkdir -p "$work/data"
cp -r "$source_dir/data/." "$work/data/"
list="$work/data/schedules/000_6ab9045ce742c85b.txt"
chmod u+w "$list"
sed -i 's/^3) 10.15, Metis: \(.*\) （ATC’24）, Ruixing Li$/3) 10.15, Metis: \1, Ruixing Li/' "$list"
grep -q '^3) 10.15, Metis: .*GPUs, Ruixing Li$' "$list" || fail "test setup: line 9 not broken"
set +e
"$indexer" --config "$work/data/lectern.textproto" --index "$work/index" \
  >"$work/reindex.out" 2>"$work/reindex.err"; code=$?
"$indexer" --config "$work/data/lectern.textproto" --index "$work/index" \
  --strict >/dev/null 2>"$work/strict.err"; strict_code=$?
set -e
[[ $code == 0 ]] || fail "lectern-index with a bad line: expected exit 0, got $code" "$(cat "$work/reindex.err")"
[[ $strict_code == 1 ]] || fail "lectern-index --strict with a bad line: expected exit 1, got $strict_code"
contains "bad line cited" "$(cat "$work/reindex.err")" "000_6ab9045ce742c85b.txt:9:"
contains "bad line shown" "$(cat "$work/reindex.err")" "3) 10.15, Metis"
contains "nothing else changed" "$(cat "$work/reindex.out")" "0 deleted"
out=$(cli session paper-list-2024 2024-10-15)
contains "session of the bad line is kept" "$out" "Metis: Fast Automatic Distributed Training"

# Clean shutdown.
kill -TERM "$pid"
set +e
wait "$pid"; code=$?
set -e
pid=
[[ $code == 0 ]] || fail "lecternd after SIGTERM: expected exit 0, got $code" "$(cat "$work/lecternd.log")"

# Writes: a lecternd with --write on a copy of the index, a token file.
cp -r "$work/index" "$work/windex"
printf '# name scopes token\nbot read,write cli-bot-token-0123456789\nviewer read cli-viewer-token-01234567\n' >"$work/tokens"
printf 'cli-viewer-token-01234567\n' >"$work/viewer.token"
"$lecternd" --index "$work/windex" --listen 127.0.0.1:0 --threads 2 --write \
  --token_file "$work/tokens" --port_file "$work/wport" 2>"$work/wlecternd.log" &
wpid=$!
for _ in $(seq 200); do [[ -s $work/wport ]] && break; sleep 0.05; done
[[ -s $work/wport ]] || { cat "$work/wlecternd.log" >&2; echo "lecternd --write did not start" >&2; exit 1; }
wcli() { "$lectern" --server "127.0.0.1:$(cat "$work/wport")" "$@"; }
signup=(add-session fall-2024 2024-12-31 --title "Tenplex: Dynamic Parallelism for Deep Learning using Parallelizable Tensor Collections" --venue "SOSP'24" --presenter "Kunzhao Xu, Bosen Yang")
set +e
out=$(wcli "${signup[@]}" 2>&1); code=$?
set -e
[[ $code == 1 ]] || fail "add-session without a token: expected exit 1, got $code" "$out"
contains "add-session without a token" "$out" "UNAUTHENTICATED"
set +e
out=$(wcli "${signup[@]}" --token_file "$work/viewer.token" 2>&1); code=$?
set -e
[[ $code == 1 ]] || fail "add-session with a read token: expected exit 1, got $code" "$out"
contains "add-session with a read token" "$out" "PERMISSION_DENIED"
contains "nothing written without a write token" "$(wcli open-dates fall-2024)" "2024-12-31"
out=$(wcli "${signup[@]}" --token_file "$work/tokens") || fail "add-session with a token: exit $?" "$out"
contains "add-session stored" "$out" "fall-2024/2024-12-31/1: updated"
contains "add-session linked" "$out" "catalog paper sosp24-tenplex-dynamic-parallelism"
out=$(wcli open-dates fall-2024)
grep -qF "2024-12-31" <<<"$out" && fail "open-dates after add-session still lists 2024-12-31" "$out"
contains "search finds the new session" "$(COLUMNS=200 wcli search tenplex --type session)" "2024-12-31"
{ head -n 3 "$source_dir/../shared/data/papers/systems_other.jsonl"; echo '{"authors": ["No Title"]}'; } >"$work/import.jsonl"
set +e
out=$(wcli import-papers "$work/import.jsonl" --token_file "$work/tokens"); code=$?
set -e
[[ $code == 1 ]] || fail "import-papers with a bad line: expected exit 1, got $code" "$out"
contains "import-papers counts" "$out" "3 accepted (3 created, 0 updated, 0 unchanged), 1 rejected"
contains "import-papers cites the line" "$out" "rejected import.jsonl:4: record has no title"
contains "write log names the caller" "$(cat "$work/wlecternd.log")" "caller=bot"
grep -qF "cli-bot-token" "$work/wlecternd.log" && fail "the token appears in lecternd's log"
kill -TERM "$wpid"
wait "$wpid" || fail "lecternd --write after SIGTERM: exit $?" "$(cat "$work/wlecternd.log")"
wpid=

if ((failures > 0)); then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "cli_end_to_end: all checks passed"
