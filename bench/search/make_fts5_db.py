#!/usr/bin/python3
"""Writes an SQLite FTS5 database of paper records for lectern-bench-search.

A stand-in for bench/indexing's lectern-bench-fts5-index, with the same
table, so either database serves the search benchmark:

  papers: fts5(title, authors, abstract, venue UNINDEXED, year UNINDEXED,
               tokenize='porter unicode61')

Authors are joined with "; " and year is an integer, as there; rowids
follow the records in the order of the files given. Unlike
lectern-bench-fts5-index, text and venue names are stored as the files
write them, not cleaned by lectern's catalog reader: the same for the
venues the query set filters on.

Usage: python3 bench/search/make_fts5_db.py --out DB FILE.jsonl...
"""

import argparse
import json
import os
import sqlite3
import sys

SCHEMA = ("CREATE VIRTUAL TABLE papers USING fts5(title, authors, abstract, "
          "venue UNINDEXED, year UNINDEXED, tokenize='porter unicode61')")


def rows(paths):
    for path in paths:
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    r = json.loads(line)
                    yield (r["title"], "; ".join(r["authors"]), r["abstract"],
                           r["venue"], int(r["year"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    if os.path.exists(args.out):
        os.remove(args.out)
    db = sqlite3.connect(args.out)
    db.execute(SCHEMA)
    with db:
        db.executemany("INSERT INTO papers(title, authors, abstract, venue, "
                       "year) VALUES (?, ?, ?, ?, ?)", rows(args.files))
    # One b-tree segment, as a database built once and then only read.
    db.execute("INSERT INTO papers(papers) VALUES ('optimize')")
    db.commit()
    count = db.execute("SELECT count(*) FROM papers").fetchone()[0]
    db.close()
    print(f"make_fts5_db: {count} records -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
