#!/usr/bin/python3
"""Times lectern-index against Xapian's scriptindex and SQLite FTS5.

    run_indexing.py --build /tmp/build --corpus real 100k --rounds 3 \\
        --json /tmp/indexing.json

For each corpus, the three indexers build a fresh index of the same papers
(title, authors, abstract, venue, year; English stemming) in interleaved
rounds (lectern, scriptindex, fts5, lectern, scriptindex, fts5, ...), so a
machine that gets busier or quieter affects all three alike. Each run is one
child process timed by wall clock, with its peak RSS from os.wait4's rusage;
its index's size on disk is measured and the index deleted before the next
run.

  lectern      lectern-index --config CONFIG --index DIR. It also reads the
               bundled schedules and summaries (44 sessions, 7 summaries),
               links them to the papers and indexes them too: its own
               document count is reported as it prints it, but documents/s
               is computed on the corpus's papers for all three systems.
  scriptindex  Debian xapian-omega's scriptindex with papers.index (next to
               this file), --stemmer=english and XAPIAN_CJK_NGRAM=1 (lectern
               sets FLAG_CJK_NGRAM). Its input file is written from the
               JSON Lines before the first round and not timed.
  fts5         lectern-bench-fts5-index (bench/indexing/), one transaction,
               porter unicode61.

Corpora: "real" is the 13,090 records of ../shared/data/papers with
bench/configs/real.textproto; a size such as "100k" or "1m" is written once
by bench/corpus/make_corpus.py (seed 1) into --work and reused.

Progress goes to stderr; a table to stdout; --json writes every round, the
medians, ratios and the exact commands for a report writer.

Needs, beside lectern's own build dependencies, the Debian bookworm packages
xapian-omega (scriptindex), libsqlite3-dev (the FTS5 peer) and python3;
build with -DLECTERN_BUILD_BENCH=ON. Python 3 standard library only.
"""

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
REAL_CONFIG = os.path.join(REPO, "bench", "configs", "real.textproto")
PAPERS_DIR = os.path.join(os.path.dirname(REPO), "shared", "data", "papers")
REAL_FILES = ("osdi_sosp.jsonl", "systems_other.jsonl", "other_cs.jsonl")
MAKE_CORPUS = os.path.join(REPO, "bench", "corpus", "make_corpus.py")
INDEX_SCRIPT = os.path.join(HERE, "papers.index")
SCRIPTINDEX = "/usr/bin/scriptindex"
CORPUS_SEED = 1
SYSTEMS = ("lectern", "scriptindex", "fts5")
DEBIAN_PACKAGES = ("xapian-omega", "libxapian30", "libsqlite3-0")


def log(message):
    """Prints a progress line on stderr."""
    print(f"run_indexing: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- corpora


def corpus_size(name):
    """Returns the record count a corpus name asks for ("100k" → 100000),
    or None for "real"."""
    if name == "real":
        return None
    match = re.fullmatch(r"(\d+)([km]?)", name.lower())
    if not match:
        raise ValueError(f"unknown corpus {name!r}: real, or a size such "
                         "as 100k or 1m")
    return int(match.group(1)) * {"": 1, "k": 1000, "m": 1000000}[
        match.group(2)]


def prepare_corpus(name, work):
    """Returns (catalog files, lectern config) for corpus `name`.

    A generated corpus is written by make_corpus.py on first use; it is
    deterministic, so one already in `work` is reused.
    """
    size = corpus_size(name)
    if size is None:
        return [os.path.join(PAPERS_DIR, f) for f in REAL_FILES], REAL_CONFIG
    out = os.path.join(work, f"corpus-{name}-seed{CORPUS_SEED}")
    catalog = os.path.join(out, "catalog.jsonl")
    config = os.path.join(out, "lectern.textproto")
    if not (os.path.exists(config) and count_lines(catalog) == size):
        log(f"writing the {name} corpus into {out}")
        subprocess.run([sys.executable, MAKE_CORPUS, "--size", str(size),
                        "--seed", str(CORPUS_SEED), "--out", out],
                       check=True)
    return [catalog], config


def count_lines(path):
    """Returns the number of non-blank lines of `path` (0 if missing)."""
    if not os.path.exists(path):
        return 0
    with open(path, encoding="utf-8") as f:
        return sum(1 for line in f if line.strip())


def scriptindex_value(text):
    """Returns `text` as a scriptindex field value: whitespace collapsed,
    and any newline left escaped with a leading '=' as the format wants."""
    return " ".join(str(text).split()).replace("\n", "\n=")


def write_scriptindex_input(catalogs, path):
    """Converts JSON Lines catalogs to scriptindex's dump format.

    One record per paper, separated by blank lines: id (its position in
    the corpus, for `unique Q`), title, one author= line per author,
    abstract, venue and year. Returns the number of records.
    """
    count = 0
    with open(path, "w", encoding="utf-8", buffering=1 << 20) as out:
        for catalog in catalogs:
            with open(catalog, encoding="utf-8") as f:
                for line in f:
                    if not line.strip():
                        continue
                    record = json.loads(line)
                    count += 1
                    fields = [("id", f"p{count}"),
                              ("title", record.get("title"))]
                    fields += [("author", a) for a in record.get("authors")
                               or []]
                    fields += [("abstract", record.get("abstract")),
                               ("venue", record.get("venue")),
                               ("year", record.get("year"))]
                    for name, value in fields:
                        if value not in (None, ""):
                            out.write(f"{name}={scriptindex_value(value)}\n")
                    out.write("\n")
    return count


def warm_page_cache(paths):
    """Reads `paths` once so that the first timed run does not pay for
    cold disk reads the others skip."""
    for path in paths:
        with open(path, "rb") as f:
            while f.read(1 << 20):
                pass


# ---------------------------------------------------------------- systems


def commands(build, catalogs, config, dump):
    """Returns {system: (argv with "{out}" for the fresh index path,
    extra environment)}."""
    return {
        "lectern": ([os.path.join(build, "indexer", "tool", "lectern-index"),
                     "--config", config, "--index", "{out}"], {}),
        "scriptindex": ([SCRIPTINDEX, "--overwrite", "--stemmer=english",
                         "{out}", INDEX_SCRIPT, dump],
                        {"XAPIAN_CJK_NGRAM": "1"}),
        "fts5": ([os.path.join(build, "bench", "indexing",
                               "lectern-bench-fts5-index"),
                  "--out", "{out}"] + list(catalogs), {}),
    }


def reported_documents(system, stdout):
    """Returns the document count a system printed, or None.

    lectern-index: "..., N documents in 12.3s" (sessions and summaries
    included); scriptindex: "records (added, replaced, deleted, skipped) =
    (N, 0, 0, 0)"; fts5: "N documents from ...".
    """
    patterns = {"lectern": r"(\d+) documents in ",
                "scriptindex": r"^records \(added, .*\) = \((\d+), ",
                "fts5": r"^(\d+) documents from "}
    match = re.search(patterns[system], stdout, re.MULTILINE)
    return int(match.group(1)) if match else None


def lectern_papers(stdout):
    """Returns (records, papers) from lectern-index's catalog line."""
    match = re.search(r"catalog\s+([\d,]+) records → ([\d,]+) papers", stdout)
    if not match:
        return None, None
    return tuple(int(g.replace(",", "")) for g in match.groups())


def disk_bytes(path):
    """Returns the bytes `path` (a file or a folder) occupies on disk."""
    if os.path.isfile(path):
        return os.stat(path).st_blocks * 512
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            total += os.stat(os.path.join(root, name)).st_blocks * 512
    return total


def run_once(system, argv, env, scratch):
    """Runs one indexer into a fresh path under `scratch`.

    Returns a dict: wall_s, peak_rss_kb, index_bytes, exit status, output
    tail, the load average before the run, and the printed document count.
    """
    run_dir = tempfile.mkdtemp(prefix=f"{system}-", dir=scratch)
    out = os.path.join(run_dir, "index.db" if system == "fts5" else "index")
    argv = [arg.replace("{out}", out) for arg in argv]
    stdout_path = os.path.join(run_dir, "stdout")
    stderr_path = os.path.join(run_dir, "stderr")
    load = os.getloadavg()[0]
    with open(stdout_path, "w") as so, open(stderr_path, "w") as se:
        start = time.monotonic()
        child = subprocess.Popen(argv, stdout=so, stderr=se,
                                 env={**os.environ, **env})
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.monotonic() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    with open(stdout_path, encoding="utf-8", errors="replace") as f:
        stdout = f.read()
    with open(stderr_path, encoding="utf-8", errors="replace") as f:
        stderr = f.read()
    result = {
        "wall_s": round(wall, 3),
        "peak_rss_kb": usage.ru_maxrss,  # Kilobytes on Linux.
        "user_s": round(usage.ru_utime, 3),
        "sys_s": round(usage.ru_stime, 3),
        "index_bytes": disk_bytes(out) if os.path.exists(out) else 0,
        "exit_status": child.returncode,
        "load_average_before": round(load, 2),
        "command": argv,
        "reported_documents": reported_documents(system, stdout),
        "stdout_tail": stdout[-600:],
        "stderr_tail": stderr[-600:],
    }
    if system == "lectern":
        result["lectern_records"], result["lectern_papers"] = \
            lectern_papers(stdout)
    shutil.rmtree(run_dir)
    return result


# ---------------------------------------------------------------- summary


def summarize(system, runs, documents):
    """Returns medians and ranges over the rounds of one system."""
    rates = [documents / r["wall_s"] for r in runs]
    for run, rate in zip(runs, rates):
        run["docs_per_s"] = round(rate, 1)
    return {
        "median_docs_per_s": round(statistics.median(rates), 1),
        "min_docs_per_s": round(min(rates), 1),
        "max_docs_per_s": round(max(rates), 1),
        "median_wall_s": round(statistics.median(r["wall_s"] for r in runs),
                               3),
        "median_peak_rss_mb": round(
            statistics.median(r["peak_rss_kb"] for r in runs) / 1024, 1),
        "median_index_mb": round(
            statistics.median(r["index_bytes"] for r in runs) / 2**20, 1),
        "reported_documents": runs[-1]["reported_documents"],
        "all_runs_ok": all(r["exit_status"] == 0 for r in runs),
    }


def check_run(system, run, documents):
    """Returns a problem with one run (a failed exit, a wrong count), or
    None."""
    if run["exit_status"] != 0:
        return (f"{system} exited with {run['exit_status']}: "
                f"{run['stderr_tail'][-300:]}")
    if system != "lectern" and run["reported_documents"] != documents:
        return (f"{system} indexed {run['reported_documents']}, not "
                f"{documents}")
    if system == "lectern" and run.get("lectern_papers") != documents:
        return f"lectern made {run.get('lectern_papers')} papers, " \
               f"not {documents}"
    return None


def package_versions():
    """Returns the Debian versions of the peers' packages."""
    versions = {}
    for package in DEBIAN_PACKAGES:
        result = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", package],
            capture_output=True, text=True)
        versions[package] = result.stdout.strip() or None
    return versions


def bench_corpus(name, args):
    """Runs every round on one corpus; returns its JSON section."""
    catalogs, config = prepare_corpus(name, args.work)
    scratch = tempfile.mkdtemp(prefix=f"runs-{name}-", dir=args.work)
    # Kept after the runs, so the recorded commands can be run again.
    dump = os.path.join(args.work, f"scriptindex-input-{name}.txt")
    log(f"{name}: converting {len(catalogs)} catalog file(s) for "
        f"scriptindex (not timed)")
    documents = write_scriptindex_input(catalogs, dump)
    warm_page_cache(catalogs + [dump, config])
    systems = commands(args.build, catalogs, config, dump)
    runs = {system: [] for system in SYSTEMS}
    problems = []
    for round_number in range(1, args.rounds + 1):
        for system in SYSTEMS:
            argv, env = systems[system]
            log(f"{name}: round {round_number}/{args.rounds}: {system} ...")
            run = run_once(system, argv, env, scratch)
            run["round"] = round_number
            runs[system].append(run)
            problem = check_run(system, run, documents)
            if problem:
                problems.append(f"round {round_number}: {problem}")
                log(f"{name}: PROBLEM: {problem}")
            log(f"{name}: round {round_number}/{args.rounds}: {system} "
                f"{run['wall_s']:.2f} s, {documents / run['wall_s']:,.0f} "
                f"docs/s, {run['peak_rss_kb'] / 1024:,.0f} MB peak, "
                f"index {run['index_bytes'] / 2**20:,.1f} MB, load "
                f"{run['load_average_before']}")
    shutil.rmtree(scratch)
    summary = {s: summarize(s, runs[s], documents) for s in SYSTEMS}
    lectern_rate = summary["lectern"]["median_docs_per_s"]
    return {
        "corpus": name,
        "documents": documents,
        "documents_note": (
            "documents = catalog papers, the same for all three systems and "
            "the basis of docs_per_s; lectern-index also indexes the bundled "
            "schedules' sessions and the Q&A summaries (its "
            "reported_documents), and its time includes reading and linking "
            "them"),
        "catalog_files": catalogs,
        "lectern_config": config,
        "corpus_seed": None if corpus_size(name) is None else CORPUS_SEED,
        "rounds": args.rounds,
        "order": "interleaved: " + ", ".join(SYSTEMS) + " in each round",
        "commands": {s: {"argv": systems[s][0], "env": systems[s][1]}
                     for s in SYSTEMS},
        "scriptindex_input": dump,
        "scriptindex_input_note": ("written from the JSON Lines before the "
                                   "rounds, not timed"),
        "systems": {s: {"summary": summary[s], "rounds": runs[s]}
                    for s in SYSTEMS},
        "ratios": {
            "lectern/scriptindex_docs_per_s": round(
                lectern_rate / summary["scriptindex"]["median_docs_per_s"], 4),
            "lectern/fts5_docs_per_s": round(
                lectern_rate / summary["fts5"]["median_docs_per_s"], 4),
        },
        "problems": problems,
    }


def print_table(section):
    """Prints one corpus's results as a table on stdout."""
    print(f"\n{section['corpus']}: {section['documents']:,} papers, "
          f"{section['rounds']} rounds")
    print(f"{'system':<12} {'docs/s median':>14} {'min–max':>17} "
          f"{'wall s':>8} {'peak RSS MB':>12} {'index MB':>9} {'docs':>8}")
    for system in SYSTEMS:
        s = section["systems"][system]["summary"]
        docs = s["reported_documents"]
        print(f"{system:<12} {s['median_docs_per_s']:>14,.0f} "
              f"{s['min_docs_per_s']:>8,.0f}–{s['max_docs_per_s']:<8,.0f} "
              f"{s['median_wall_s']:>8.2f} {s['median_peak_rss_mb']:>12,.0f} "
              f"{s['median_index_mb']:>9,.1f} "
              f"{docs if docs is not None else '-':>8}")
    ratios = section["ratios"]
    print(f"lectern/scriptindex {ratios['lectern/scriptindex_docs_per_s']:.2f}"
          f", lectern/fts5 {ratios['lectern/fts5_docs_per_s']:.2f} "
          f"(docs/s medians)")
    for problem in section["problems"]:
        print(f"PROBLEM: {problem}")


def main():
    parser = argparse.ArgumentParser(
        description="Indexing throughput: lectern-index vs scriptindex vs "
                    "SQLite FTS5.")
    parser.add_argument("--build", required=True,
                        help="CMake build folder (-DLECTERN_BUILD_BENCH=ON)")
    parser.add_argument("--corpus", nargs="+", default=["real"],
                        help="real and/or sizes such as 100k (default real)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="interleaved rounds, at least 3 (default 3)")
    parser.add_argument("--work", default="/tmp/lectern-bench-indexing",
                        help="scratch folder for corpora and indexes "
                             "(default %(default)s)")
    parser.add_argument("--json", help="write the results here as JSON")
    args = parser.parse_args()
    if args.rounds < 3:
        parser.error("--rounds must be at least 3")
    args.build = os.path.abspath(args.build)
    os.makedirs(args.work, exist_ok=True)
    for name in args.corpus:
        corpus_size(name)  # Fails early on a bad name.

    report = {
        "benchmark": "indexing throughput",
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "load_average_start": os.getloadavg()},
        "packages": package_versions(),
        "corpora": [],
    }
    failed = False
    for name in args.corpus:
        section = bench_corpus(name, args)
        report["corpora"].append(section)
        print_table(section)
        failed |= bool(section["problems"])
    report["machine"]["load_average_end"] = os.getloadavg()
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=2, ensure_ascii=False)
            f.write("\n")
        log(f"wrote {args.json}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
