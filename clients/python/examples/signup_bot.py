#!/usr/bin/env python3
"""Sign a presenter up for an open date of a reading group.

Takes the requested open date (or the group's first one), stores a paper
session for it through lecternd's write API, prints what was stored, and
searches for it to confirm. For example:

    PYTHONPATH=clients/python:build/clients/python/generated \\
    python3 clients/python/examples/signup_bot.py \\
        --server 127.0.0.1:50051 --token-file tokens.txt \\
        --group fall-2024 --presenter "Ada Lovelace" \\
        --title "Nomad: Non-Exclusive Memory Tiering" --venue "OSDI'24"

Exit status: 0 stored and found, 1 an RPC failed or the search did not find
the session, 2 the date is not open.
"""

import argparse
import os
import sys
import time
import uuid

import grpc

try:
    import lectern_client
except ImportError:  # run from a checkout: clients/python is the parent
    sys.path.insert(0, os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    import lectern_client

# Errors worth retrying with the same request_id: the write may or may not
# have happened, and the server answers a repeated request_id with the
# first answer instead of writing twice.
RETRYABLE = (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", default="127.0.0.1:50051",
                        help="lecternd address (default %(default)s)")
    parser.add_argument("--token-file", required=True,
                        help="file with a token of the write scope: a "
                             "lecternd token file (first entry) or the "
                             "token alone")
    parser.add_argument("--group", required=True, help="e.g. fall-2024")
    parser.add_argument("--presenter", required=True,
                        help="presenter name; several separated by commas")
    parser.add_argument("--title", required=True, help="the paper's title")
    parser.add_argument("--venue", default="", help="e.g. OSDI'24")
    parser.add_argument("--url", default="", help="the paper's link")
    parser.add_argument("--date", help="YYYY-MM-DD (default: first open "
                                       "date)")
    return parser.parse_args(argv)


def upsert_with_retry(client, attempts=3, **session):
    """upsert_session, retried on transient errors with one request_id."""
    request_id = str(uuid.uuid4())
    for attempt in range(1, attempts + 1):
        try:
            return client.upsert_session(request_id=request_id, **session)
        except grpc.RpcError as error:
            if error.code() not in RETRYABLE or attempt == attempts:
                raise
            time.sleep(0.5 * attempt)
    raise AssertionError("unreachable")


def main(argv=None):
    args = parse_args(argv)
    client = lectern_client.Client(args.server, token_file=args.token_file)
    with client:
        open_dates = [d.date for d in client.open_dates(args.group).open_dates]
        if not open_dates:
            print(f"{args.group} has no open dates", file=sys.stderr)
            return 2
        date = args.date or open_dates[0]
        if date not in open_dates:
            print(f"{date} is not open in {args.group}; open dates: "
                  f"{', '.join(open_dates)}", file=sys.stderr)
            return 2

        response = upsert_with_retry(
            client, group=args.group, date=date, title=args.title,
            presenters=args.presenter, venue=args.venue, url=args.url)
        session, result = response.session, response.result
        outcome = lectern_client.writer_pb2.WriteOutcome.Name(result.outcome)
        presenters = ", ".join(p.name for p in session.presenters)
        print(f"stored {session.id}: {session.title}")
        print(f"  presented by {presenters}; venue {session.paper.venue} "
              f"{session.paper.year or ''}".rstrip())
        print(f"  {outcome.removeprefix('WRITE_OUTCOME_').lower()} at "
              f"revision {result.revision}"
              + (" (replayed)" if result.replayed else ""))

        hits = client.search(args.title, groups=args.group, types="session",
                             date_from=date, date_to=date).hits
        found = [hit for hit in hits if hit.id == session.id]
        if not found:
            print(f"search for {args.title!r} did not find {session.id}",
                  file=sys.stderr)
            return 1
        print(f"search confirms: #{found[0].rank} {found[0].id} "
              f"{found[0].title}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except grpc.RpcError as error:
        print(f"error: {error.code().name}: {error.details()}",
              file=sys.stderr)
        sys.exit(1)
