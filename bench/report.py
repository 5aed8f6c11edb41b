#!/usr/bin/env python3
"""Writes docs/BENCHMARKS.md from the JSON results of bench/run.sh.

usage: bench/report.py RESULTS_DIR > docs/BENCHMARKS.md

Reads indexing.json (bench/indexing/run_indexing.py), search.json
(lectern-bench-search), grpc.json (lectern-bench-grpc) and load-*.json
(lectern-bench-load). Each target of the benchmark plan is marked met,
missed (with the ratio) or not measured, so the page says plainly where
lectern stands.
"""
import glob
import json
import os
import sys


def load(path):
    """The JSON at path, or None when the benchmark did not run."""
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def verdict(met):
    return "**met**" if met else "**missed**"


class Report:
    def __init__(self, results):
        self.results = results
        self.lines = []
        self.targets = []  # (target, verdict, figures)

    def out(self, text=""):
        self.lines.append(text)

    def target(self, name, met, figures):
        self.targets.append((name, "not measured" if met is None else verdict(met), figures))

    def indexing(self):
        data = load(os.path.join(self.results, "indexing.json"))
        self.out("## Indexing throughput")
        self.out()
        if not data:
            self.out("Not measured in this run.")
            self.target("Indexing ≥ 1.6 × scriptindex documents/s", None, "")
            return
        self.out("Documents per second over the catalog papers (the same for every "
                 "system), median of the rounds with the min–max; peak RSS and index "
                 "size are medians. Rounds interleave the systems.")
        self.out()
        self.out("lectern-index builds a new index with one writer per core, each "
                 "writing a slice of the documents, merged with Xapian's compactor; the "
                 "result is the index one writer makes, term for term "
                 "(`IndexWriterSlicesTest` compares every document, term, position, "
                 "spelling and metadata key), so search results are identical.")
        self.out()
        self.out("| corpus | system | docs/s | min–max | peak RSS MB | index MB |")
        self.out("|---|---|---:|---|---:|---:|")
        for corpus in data["corpora"]:
            for name, system in corpus["systems"].items():
                s = system["summary"]
                self.out(f"| {corpus['corpus']} ({corpus['documents']:,}) | {name} | "
                         f"{s['median_docs_per_s']:,.0f} | {s['min_docs_per_s']:,.0f}–"
                         f"{s['max_docs_per_s']:,.0f} | {s['median_peak_rss_mb']:,.0f} | "
                         f"{s['median_index_mb']:,.0f} |")
        for corpus in data["corpora"]:
            ratio = corpus["ratios"].get("lectern/scriptindex_docs_per_s")
            if ratio is not None:
                self.target(f"Indexing ≥ 1.6 × scriptindex documents/s ({corpus['corpus']})",
                            ratio >= 1.6, f"{ratio:.2f}×")
        self.out()
        self.out("Commands: `" + " ".join(
            data["corpora"][0]["commands"]["lectern"]["argv"]) + "` and its peers "
            "as recorded in indexing.json.")
        self.out()

    def search(self):
        data = load(os.path.join(self.results, "search.json"))
        self.out("## Query latency in process")
        self.out()
        if not data:
            self.out("Not measured in this run.")
            self.target("lectern library median ≤ 1.10 × raw Xapian", None, "")
            self.target("≥ 3× faster than FTS5 at the median, ≥ 10× at p99", None, "")
            return
        self.out(f"{data['queries']} queries of bench/queries/queries.tsv, {data['rounds']} "
                 f"interleaved rounds, top {data['top_k']}; microseconds, median / p99.")
        self.out()
        self.out("Every system returns a page a reader can use: the top 10 with a "
                 "highlighted snippet each, and the facet counts for faceted queries. "
                 "**raw-xapian** is that page with Xapian's API alone (Enquire with "
                 "lectern's parser settings, value-count match spies, each hit's record "
                 "decoded and `MSet::snippet` of its main text with its cheapest flags); "
                 "it is the peer the targets name. **xapian-match** is the same match "
                 "without snippets or decoding, shown as the engine's floor. **fts5** is "
                 "`MATCH … ORDER BY rank LIMIT 10` with `snippet()` of the abstract.")
        self.out()
        systems = data["systems"]
        kinds = list(data["queries_by_kind"])
        self.out("| kind | " + " | ".join(s["name"] for s in systems) + " |")
        self.out("|---|" + "---:|" * len(systems))
        for kind in ["all"] + kinds:
            cells = []
            for s in systems:
                figures = s["all"] if kind == "all" else s["by_kind"][kind]
                cells.append(f"{figures['median_us']:,.0f} / {figures['p99_us']:,.0f}")
            self.out(f"| {kind} | " + " | ".join(cells) + " |")
        self.out()
        self.out(f"Command: `{data['command']}`")
        self.out()
        ratio = {(r["numerator"], r["denominator"]): r for r in data["ratios"]}
        library = ratio.get(("lectern", "raw-xapian"))
        if library:
            self.target("lectern library median ≤ 1.10 × raw Xapian", library["median"] <= 1.10,
                        f"{library['median']:.2f}×")
        floor = ratio.get(("lectern", "xapian-match"))
        if floor:
            self.out(f"lectern / xapian-match (context, not a target): "
                     f"{floor['median']:.2f}× at the median, {floor['p99']:.2f}× at p99.")
            self.out()
        fts = ratio.get(("fts5", "lectern"))
        if fts:
            self.target("≥ 3× faster than FTS5 at the median", fts["median"] >= 3,
                        f"FTS5 / lectern = {fts['median']:.2f}×")
            self.target("≥ 10× faster than FTS5 at p99", fts["p99"] >= 10,
                        f"FTS5 / lectern = {fts['p99']:.2f}×")
        self.search_data = data

    def grpc(self):
        data = load(os.path.join(self.results, "grpc.json"))
        self.out("## Search over gRPC")
        self.out()
        if not data:
            self.out("Not measured in this run.")
            self.target("gRPC Search median ≤ 1.10 × (raw Xapian + echo)", None, "")
            return
        lectern, echo = data["systems"]["lectern"], data["systems"]["echo"]
        self.out(f"One call in flight over loopback, {data['queries']} queries × "
                 f"{data['rounds']} rounds, lecternd and the echo server (the same "
                 "responses, no search) interleaved.")
        self.out()
        self.out("| server | median µs | p99 µs | round medians min–max |")
        self.out("|---|---:|---:|---|")
        for name, s in (("lecternd", lectern), ("echo", echo)):
            self.out(f"| {name} | {s['all']['median_us']:,.0f} | {s['all']['p99_us']:,.0f} | "
                     f"{s['round_median_min_us']:,.0f}–{s['round_median_max_us']:,.0f} |")
        if data.get("lectern_cpu_us_per_call", -1) >= 0:
            self.out()
            self.out(f"lecternd CPU per Search: {data['lectern_cpu_us_per_call']:,.0f} µs.")
        self.out()
        raw = getattr(self, "search_data", None)
        if raw:
            xapian = next(s for s in raw["systems"] if s["name"] == "raw-xapian")["all"]
            floor_median = xapian["median_us"] + echo["all"]["median_us"]
            floor_p99 = xapian["p99_us"] + echo["all"]["p99_us"]
            self.target("gRPC Search median ≤ 1.10 × (raw Xapian + echo)",
                        lectern["all"]["median_us"] <= 1.10 * floor_median,
                        f"{lectern['all']['median_us'] / floor_median:.2f}×")
            self.target("gRPC Search p99 ≤ 1.25 × (raw Xapian + echo)",
                        lectern["all"]["p99_us"] <= 1.25 * floor_p99,
                        f"{lectern['all']['p99_us'] / floor_p99:.2f}×")
            if data.get("lectern_cpu_us_per_call", -1) >= 0:
                cpu = data["lectern_cpu_us_per_call"]
                self.target("Server CPU per Search ≤ raw Xapian CPU + 100 µs",
                            cpu <= xapian["cpu_median_us"] + 100,
                            f"{cpu:,.0f} µs vs {xapian['cpu_median_us']:,.0f} + 100 µs")

    def load(self):
        runs = [load(p) for p in sorted(glob.glob(os.path.join(self.results, "load-*.json")))]
        names = [os.path.basename(p)[5:-5] for p in sorted(glob.glob(os.path.join(self.results, "load-*.json")))]
        self.out("## Throughput")
        self.out()
        if not runs:
            self.out("Not measured in this run.")
            self.target("Maximum QPS ≥ 80% of the echo's maximum minus Xapian's cost", None, "")
            return
        self.out("| run | calls in flight | rate asked | calls/s | median µs | p99 µs |")
        self.out("|---|---:|---:|---:|---:|---:|")
        best = {}
        for name, run in zip(names, runs):
            server = name.split("-")[0]
            if run["mode"] == "closed":
                best[server] = max(best.get(server, 0), run["qps"])
            rate = f"{run['rate']:,.0f}" if run["mode"] == "open" else "—"
            self.out(f"| {name} | {run['inflight']} | {rate} | {run['qps']:,.0f} | "
                     f"{run['median_us']:,.0f} | {run['p99_us']:,.0f} |")
        self.out()
        raw = getattr(self, "search_data", None)
        if "lectern" in best and "echo" in best and raw:
            xapian_cpu_s = next(s for s in raw["systems"]
                                if s["name"] == "raw-xapian")["all"]["cpu_median_us"] / 1e6
            cpus = raw.get("cpus", 2)
            # The echo's per-call cost plus Xapian's, spread over the cores.
            ceiling = 1 / (1 / best["echo"] + xapian_cpu_s / cpus)
            self.out(f"Ceiling: 1 / (1 / {best['echo']:,.0f} + {xapian_cpu_s * 1e6:,.0f} µs / "
                     f"{cpus} cores) = {ceiling:,.0f} calls/s; lecternd reached "
                     f"{best['lectern']:,.0f} ({best['lectern'] / ceiling:.0%}).")
            self.out()
            self.target("Maximum QPS ≥ 80% of the ceiling", best["lectern"] >= 0.8 * ceiling,
                        f"{best['lectern'] / ceiling:.0%}")

    def suggest(self):
        self.out("## Suggest")
        self.out()
        runs = {name: load(os.path.join(self.results, f"suggest-{name}.json"))
                for name in ("13k", "100k")}
        if not any(runs.values()):
            self.out("Not measured in this run.")
            self.target("Suggest p99 ≤ 25 ms for all open dates on the 100k corpus", None, "")
            return
        self.out("lectern's Searcher::Suggest in process (`bench/suggest/`): for each group "
                 "with open dates, one date and every open date, alternated, after one "
                 "untimed pass. µs.")
        self.out()
        self.out("| corpus | documents | group | case | dates | median | p99 | round medians min–max |")
        self.out("|---|---:|---|---|---:|---:|---:|---|")
        for name, data in runs.items():
            if not data:
                continue
            for group in data["groups"]:
                for case in group["cases"]:
                    rounds = case["round_medians_us"]
                    self.out(f"| {name} | {data['documents']:,} | {group['group']} | "
                             f"{case['case']} | {case['dates']} | {case['median_us']:,.0f} | "
                             f"{case['p99_us']:,.0f} | {min(rounds):,.0f}–{max(rounds):,.0f} |")
        self.out()
        big = runs.get("100k")
        if big:
            worst = max(case["p99_us"] for group in big["groups"] for case in group["cases"]
                        if case["case"] == "all open dates")
            self.target("Suggest p99 ≤ 25 ms for all open dates on the 100k corpus",
                        worst <= 25000, f"{worst / 1000:.1f} ms")
        else:
            self.target("Suggest p99 ≤ 25 ms for all open dates on the 100k corpus", None, "")

    def memory(self):
        self.out("## Memory")
        self.out()
        runs = {name: load(os.path.join(self.results, f"rss-{name}.json"))
                for name in ("13k", "100k", "1m")}
        if not any(runs.values()):
            self.out("Not measured in this run.")
        else:
            self.out("lecternd's resident memory (`bench/memory/run.sh`): at start, and after "
                     "serving the query set for the stated time with 4 calls in flight.")
            self.out()
            self.out("| corpus | RSS at start MB | RSS after MB | peak MB | calls |")
            self.out("|---|---:|---:|---:|---:|")
            for name, run in runs.items():
                if run:
                    self.out(f"| {name} | {run['idle_rss_kb'] / 1024:,.0f} | "
                             f"{run['rss_kb'] / 1024:,.0f} | {run['peak_rss_kb'] / 1024:,.0f} | "
                             f"{run['calls']:,} |")
            self.out()
        small, large = runs.get("13k"), runs.get("1m")
        if small and large:
            ratio = large["rss_kb"] / small["rss_kb"]
            self.target("lecternd RSS on the 1M corpus ≤ 4 × the 13k corpus's", ratio <= 4,
                        f"{ratio:.2f}×")
        else:
            self.target("lecternd RSS on the 1M corpus ≤ 4 × the 13k corpus's", None,
                        "the 1M corpus was not run")

    def write(self):
        self.indexing()
        self.search()
        self.grpc()
        self.load()
        self.suggest()
        self.memory()
        body = self.lines
        self.lines = []
        self.out("# lectern benchmarks")
        self.out()
        self.out("Written by `bash bench/run.sh` (bench/README.md); every figure below "
                 "comes from one run on this machine, the systems measured side by side.")
        self.out()
        self.out("## Targets")
        self.out()
        self.out("| target | verdict | measured |")
        self.out("|---|---|---|")
        for name, mark, figures in self.targets:
            self.out(f"| {name} | {mark} | {figures} |")
        self.out()
        return "\n".join(self.lines + body) + "\n"


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.stdout.write(Report(sys.argv[1]).write())


if __name__ == "__main__":
    main()
