#!/usr/bin/python3
"""Checks a sharded lectern deployment (scripts/scale.sh runs it).

  scale_check.py identity --single HOST:PORT --sharded HOST:PORT
      --queries bench/queries/queries.tsv [--limit N]
    Sends every query of the set to both servers and compares the answers:
    the same hits (ids, order, scores within 1e-9 relative), the same
    facets, total and page tokens, and the same second page. Exit 1 on any
    difference.

  scale_check.py load --server HOST:PORT --queries FILE --seconds S
      [--threads T] [--kill SECONDS:LABEL:PID ...]
    Sends Search calls from T threads for S seconds and, at each --kill
    time, sends SIGKILL to PID's process group (its own process when it
    leads none). Reports, for each window between kills, the calls made,
    the errors and the latency (median, p99), as text and as JSON on the
    last line. Exit 1 when no call succeeded in a window.

Needs the generated modules: LECTERN_PYTHON_GENERATED=build/clients/python/
generated, and clients/python on PYTHONPATH (scale.sh sets both).
"""

import argparse
import json
import os
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "clients",
                                "python"))
from lectern_client import _paths  # noqa: E402

_paths.add_generated_path()
import grpc  # noqa: E402
from lectern_client import Client  # noqa: E402

FACETS = ["type", "venue", "year", "group", "presenter"]


def read_queries(path, limit=None):
    queries = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if not line.strip() or line.startswith("#"):
                continue
            kind, _, query = line.rstrip("\n").partition("\t")
            queries.append((kind, query))
    return queries[:limit] if limit else queries


def search(client, kind, query, page_token=""):
    return client.search(query, page_token=page_token,
                         facets=FACETS if kind == "faceted" else ())


def describe(response):
    return [(hit.id, hit.score) for hit in response.hits]


def compare(single, sharded, kind):
    """The differences between two answers to one query, as text."""
    problems = []
    a, b = describe(single), describe(sharded)
    if [i for i, _ in a] != [i for i, _ in b]:
        problems.append(f"hits differ: {[i for i, _ in a]} vs "
                        f"{[i for i, _ in b]}")
    else:
        for (hit_id, x), (_, y) in zip(a, b):
            if abs(x - y) > 1e-9 * max(1.0, abs(x)):
                problems.append(f"score of {hit_id}: {x} vs {y}")
    if list(single.facets) != list(sharded.facets):
        problems.append("facets differ")
    # The total is counted exactly only when facets are asked for.
    if kind == "faceted" and single.total_estimate != sharded.total_estimate:
        problems.append(f"total {single.total_estimate} vs "
                        f"{sharded.total_estimate}")
    if single.next_page_token != sharded.next_page_token:
        problems.append("page tokens differ")
    return problems


def identity(args):
    queries = read_queries(args.queries, args.limit)
    single, sharded = Client(args.single), Client(args.sharded)
    compared = with_hits = pages = 0
    failures = []
    for kind, query in queries:
        first = [search(single, kind, query), search(sharded, kind, query)]
        problems = compare(*first, kind)
        if not problems and first[0].next_page_token:
            token = first[0].next_page_token
            second = [search(single, kind, query, token),
                      search(sharded, kind, query, token)]
            problems += [f"page 2: {p}" for p in compare(*second, kind)]
            pages += 1
        compared += 1
        with_hits += bool(first[0].hits)
        if problems:
            failures.append((query, problems))
    for query, problems in failures[:10]:
        print(f"  DIFFERS {query!r}: {'; '.join(problems)}")
    print(f"identity: {compared} queries ({with_hits} with hits, {pages} "
          f"second pages) compared; {len(failures)} differ")
    print(json.dumps({"queries": compared, "with_hits": with_hits,
                      "second_pages": pages, "differ": len(failures)}))
    return 1 if failures or compared == 0 else 0


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def kill(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def load(args):
    queries = read_queries(args.queries)
    kills = []
    for spec in args.kill:
        at, label, pid = spec.split(":")
        kills.append((float(at), label, int(pid)))
    kills.sort()
    client = Client(args.server, timeout=args.timeout)
    start = time.monotonic()
    stop_at = start + args.seconds
    # (time since start, seconds taken, error code or None)
    calls = []
    lock = threading.Lock()

    def worker(offset):
        index = offset
        while time.monotonic() < stop_at:
            kind, query = queries[index % len(queries)]
            index += args.threads
            began = time.monotonic()
            code = None
            try:
                search(client, kind, query)
            except grpc.RpcError as error:
                code = error.code().name
            ended = time.monotonic()
            with lock:
                calls.append((began - start, ended - began, code))

    threads = [threading.Thread(target=worker, args=(i,))
               for i in range(args.threads)]
    for thread in threads:
        thread.start()
    for at, label, pid in kills:
        time.sleep(max(0.0, start + at - time.monotonic()))
        kill(pid)
        print(f"load: {at:.1f}s: killed {label} (pid {pid})", flush=True)
    for thread in threads:
        thread.join()

    bounds = [0.0] + [at for at, _, _ in kills] + [args.seconds]
    names = ["all up"] + [f"after killing {label}" for _, label, _ in kills]
    windows = []
    failed = False
    for name, low, high in zip(names, bounds, bounds[1:]):
        inside = [c for c in calls if low <= c[0] < high]
        ok = [c[1] * 1000 for c in inside if c[2] is None]
        errors = {}
        for c in inside:
            if c[2] is not None:
                errors[c[2]] = errors.get(c[2], 0) + 1
        window = {"window": name, "from_s": low, "to_s": high,
                  "calls": len(inside), "ok": len(ok),
                  "errors": sum(errors.values()), "error_codes": errors,
                  "median_ms": round(percentile(ok, 0.5), 2),
                  "p99_ms": round(percentile(ok, 0.99), 2),
                  "max_ms": round(max(ok, default=0.0), 2),
                  "qps": round(len(ok) / max(high - low, 1e-9), 1)}
        windows.append(window)
        failed |= not ok
        print(f"load: {name:<28} {low:4.1f}-{high:4.1f}s  {len(inside):5d} "
              f"calls  {window['errors']:3d} errors {errors or ''}  median "
              f"{window['median_ms']:.1f} ms  p99 {window['p99_ms']:.1f} ms  "
              f"{window['qps']:.0f}/s")
    print(json.dumps({"windows": windows}))
    return 1 if failed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    same = sub.add_parser("identity")
    same.add_argument("--single", required=True)
    same.add_argument("--sharded", required=True)
    same.add_argument("--queries", required=True)
    same.add_argument("--limit", type=int, default=0)
    run = sub.add_parser("load")
    run.add_argument("--server", required=True)
    run.add_argument("--queries", required=True)
    run.add_argument("--seconds", type=float, default=6)
    run.add_argument("--threads", type=int, default=4)
    run.add_argument("--timeout", type=float, default=10)
    run.add_argument("--kill", action="append", default=[],
                     metavar="SECONDS:LABEL:PID")
    args = parser.parse_args()
    return identity(args) if args.command == "identity" else load(args)


if __name__ == "__main__":
    sys.exit(main())
