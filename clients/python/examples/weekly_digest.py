#!/usr/bin/env python3
"""Print paper suggestions for a reading group's next open date.

    PYTHONPATH=clients/python:build/clients/python/generated \\
    python3 clients/python/examples/weekly_digest.py --group fall-2024

Needs only the read API (a token only when lecternd requires one).
"""

import argparse
import os
import sys
import textwrap

import grpc

try:
    import lectern_client
except ImportError:  # run from a checkout: clients/python is the parent
    sys.path.insert(0, os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    import lectern_client


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", default="127.0.0.1:50051")
    parser.add_argument("--token-file", help="only if lecternd asks for one")
    parser.add_argument("--group", required=True)
    parser.add_argument("--from", dest="from_", help="first date to consider")
    parser.add_argument("--count", type=int, default=3)
    parser.add_argument("--topic", help="e.g. 'memory disaggregation'")
    args = parser.parse_args(argv)

    client = lectern_client.Client(args.server, token_file=args.token_file)
    with client:
        open_dates = client.open_dates(args.group, from_=args.from_).open_dates
        if not open_dates:
            print(f"{args.group} has no open dates")
            return 0
        slot = open_dates[0]
        presenters = ", ".join(p.name for p in slot.presenters) or "nobody yet"
        print(f"{args.group}, {slot.date} (presenter: {presenters})")
        response = client.suggest(args.group, dates=slot.date,
                                  count=args.count, topic=args.topic)
        for day in response.dates:
            for number, candidate in enumerate(day.candidates, 1):
                paper = candidate.paper
                print(f"{number}. {paper.title} ({paper.venue} {paper.year})")
                print(textwrap.indent(candidate.explanation, "   "))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except grpc.RpcError as error:
        print(f"error: {error.code().name}: {error.details()}",
              file=sys.stderr)
        sys.exit(1)
