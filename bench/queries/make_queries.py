#!/usr/bin/python3
"""Writes the benchmark query set, bench/queries/queries.tsv.

The queries are drawn deterministically (a fixed seed) from the words of the
titles and abstracts of the real paper records (../shared/data/papers/), so
the set can be rebuilt and reviewed, and every query matches at least one
record in lectern, raw Xapian and SQLite FTS5 alike. Six kinds, --per-kind
of each:

  term     one word                     kernel
  and      two words of one record      kernel AND scheduling
  or       two words                    kernel OR scheduling
  phrase   two adjacent words           "page cache"
  field    title:WORD, author:SURNAME, venue:VENUE WORD, year:YYYY WORD
  faceted  one or two words, run with facets by the benchmark

Words are drawn evenly from three document-frequency bands over the
records (frequent, mid, rare; see BANDS), stopwords and academic filler
left out. Only words that every engine tokenizes the same way are used:
3+ ASCII letters, not joined to digits, apostrophes, underscores, "+" or
"#", and not part of a dotted acronym.

Usage: python3 bench/queries/make_queries.py [--seed N] [--per-kind N]
           [--papers DIR] [--out FILE]
"""

import argparse
import collections
import glob
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_PAPERS = os.path.join(REPO, "..", "shared", "data", "papers")
DEFAULT_OUT = os.path.join(REPO, "bench", "queries", "queries.tsv")
DEFAULT_SEED = 1729

KINDS = ("term", "and", "or", "phrase", "field", "faceted")

# Document-frequency bands (records holding the word, of 13,090): name,
# lowest, highest. Words in a single record are left out: many are PDF
# artifacts ("gradientbased") that say little about query cost.
BANDS = (("frequent", 500, None), ("mid", 20, 499), ("rare", 2, 19))
# Phrases are rarer than words, so their bands are lower.
PHRASE_BANDS = (("frequent", 100, None), ("mid", 10, 99), ("rare", 2, 9))

# Venues a field query may filter on: single-word names whose lectern venue
# key (indexer/normalize.cc VenueKey(CanonicalVenue(name))) is the name in
# lowercase, so raw Xapian's plain boolean prefix finds them too. "ATC"
# is left out: lectern stores it as "usenixatc".
VENUES = ("OSDI", "SOSP", "NSDI", "EuroSys", "ASPLOS", "VLDB", "OOPSLA",
          "POPL", "PLDI", "ICFP", "ECOOP", "SIGMOD")
# Years a field query may filter on (the corpus has many records in each).
YEARS = tuple(range(2017, 2026))

STOPWORDS = frozenset("""
a about above after again against all almost along already also although
always am among an and another any are around as at be because been before
being below between both but by can cannot could did do does doing done
down during each either else enough even ever every few for from further
had has have having he her here hers him his how however i if in into is
it its itself just least less many may me might more most much must my
neither no nor not now of off often on once one only onto or other others
otherwise our ours out over own per perhaps rather same several she should
since so some such than that the their theirs them themselves then there
thereby therefore these they this those though through thus to together
too toward towards under until up upon us very via was we well were what
whatever when where whereas whether which while who whom whose why will
with within without would yet you your
""".split())
# Words of academic prose that every abstract has; poor queries.
FILLER = frozenset("""
paper propose proposed present presents presented show shows shown
demonstrate demonstrates approach approaches result results based using
use used uses new novel existing first two three evaluate evaluation
evaluated achieve achieves significantly significant work works various
different provide provides provided number make makes makes including
allow allows enable enables key main given like
""".split())

TOKEN = re.compile(r"[\w'’]+")
WORD = re.compile(r"[a-z]{3,}")
# Two words separated by one space, with nothing around them that would
# make a tokenizer join them to something else, nor markup ("<mml:math").
PHRASE = re.compile(
    r"(?<![\w'’.+#<:-])([a-z]{3,}) ([a-z]{3,})(?![\w'’+#:]|\.\w)")


def load_records(papers_dir):
    """The records of every *.jsonl in `papers_dir`, in file order."""
    records = []
    for path in sorted(glob.glob(os.path.join(papers_dir, "*.jsonl"))):
        with open(path, encoding="utf-8") as lines:
            records.extend(json.loads(line) for line in lines if line.strip())
    if not records:
        sys.exit(f"make_queries: no records in {papers_dir}")
    return records


def clean_words(text):
    """Lowercase words of `text` that every engine tokenizes alike."""
    words = []
    for match in TOKEN.finditer(text):
        before = text[match.start() - 1] if match.start() > 0 else " "
        after = text[match.end()] if match.end() < len(text) else " "
        word = match.group().lower()
        if before == "." or after in "+#" or not WORD.fullmatch(word):
            continue
        if word in STOPWORDS or word in FILLER:
            continue
        words.append(word)
    return words


def phrases(text):
    """Adjacent non-stopword pairs ("page cache") of `text`."""
    found = []
    for match in PHRASE.finditer(text.lower()):
        pair = match.groups()
        if not any(w in STOPWORDS or w in FILLER for w in pair):
            found.append(" ".join(pair))
    return found


def surname(author):
    """The last word of an author's name, when it is a plain word."""
    parts = author.split()
    if len(parts) < 2 or not re.fullmatch(r"[A-Za-z]{3,}", parts[-1]):
        return None
    return parts[-1].lower()


class Corpus:
    """Per-record word sets and document frequencies."""

    def __init__(self, records):
        self.records = records
        self.words = [set(clean_words(r["title"] + " \n " + r["abstract"]))
                      for r in records]
        self.title_words = [set(clean_words(r["title"])) for r in records]
        self.phrases = [set(phrases(r["title"])) | set(phrases(r["abstract"]))
                        for r in records]
        self.surnames = [{s for s in map(surname, r["authors"]) if s}
                         for r in records]
        self.df = collections.Counter(w for ws in self.words for w in ws)
        self.title_df = collections.Counter(
            w for ws in self.title_words for w in ws)
        self.phrase_df = collections.Counter(
            p for ps in self.phrases for p in ps)
        self.surname_df = collections.Counter(
            s for ss in self.surnames for s in ss)
        self.holding = collections.defaultdict(list)  # word -> record indexes
        for i, ws in enumerate(self.words):
            for w in ws:
                self.holding[w].append(i)


def in_band(df, bands):
    """Band name -> sorted items of `df` whose frequency falls in it."""
    out = {}
    for name, low, high in bands:
        out[name] = sorted(k for k, n in df.items()
                           if n >= low and (high is None or n <= high))
    return out


def band_cycle(count):
    """`count` band names, evenly spread: frequent, mid, rare, frequent..."""
    names = [b[0] for b in BANDS]
    return [names[i % len(names)] for i in range(count)]


def draw(rng, pool, taken):
    """A member of `pool` not yet in `taken`; marks it taken."""
    while True:
        item = rng.choice(pool)
        if item not in taken:
            taken.add(item)
            return item


def term_queries(rng, corpus, count):
    bands, taken = in_band(corpus.df, BANDS), set()
    return [draw(rng, bands[b], taken) for b in band_cycle(count)]


def and_queries(rng, corpus, count):
    """`a AND b`: a from the band, b another word of a record holding a."""
    bands, taken, out = in_band(corpus.df, BANDS), set(), []
    for band in band_cycle(count):
        while True:
            a = draw(rng, bands[band], taken)
            record = rng.choice(corpus.holding[a])
            others = sorted(w for w in corpus.words[record]
                            if w != a and w[:4] != a[:4])
            if others:
                out.append(f"{a} AND {rng.choice(others)}")
                break
    return out


def or_queries(rng, corpus, count):
    """`a OR b`: both from the band."""
    bands, taken = in_band(corpus.df, BANDS), set()
    return [f"{draw(rng, bands[b], taken)} OR {draw(rng, bands[b], taken)}"
            for b in band_cycle(count)]


def phrase_queries(rng, corpus, count):
    bands, taken = in_band(corpus.phrase_df, PHRASE_BANDS), set()
    return [f'"{draw(rng, bands[b], taken)}"' for b in band_cycle(count)]


def filtered_query(rng, corpus, shape, records_of, words, taken):
    """`venue:V WORD` or `year:Y WORD`: a value, then one of `words` that a
    record of that value holds; not one already `taken`."""
    values = VENUES if shape == "venue" else YEARS
    while True:
        value = rng.choice(values)
        record = rng.choice(records_of[value])
        held = sorted(corpus.words[record] & words)
        if not held:
            continue
        query = f"{shape}:{str(value).lower()} {rng.choice(held)}"
        if query not in taken:
            taken.add(query)
            return query


def field_queries(rng, corpus, count):
    """A quarter each of title:, author:, venue: and year: queries."""
    title_bands = in_band(corpus.title_df, BANDS)
    author_bands = in_band(corpus.surname_df, BANDS)
    word_bands = {b: frozenset(ws)
                  for b, ws in in_band(corpus.df, BANDS).items()}
    records_of = {"venue": collections.defaultdict(list),
                  "year": collections.defaultdict(list)}
    for i, record in enumerate(corpus.records):
        if record["venue"] in VENUES:
            records_of["venue"][record["venue"]].append(i)
        if record["year"] in YEARS:
            records_of["year"][record["year"]].append(i)
    taken, out = set(), []
    for i, band in enumerate(band_cycle(count)):
        shape = ("title", "author", "venue", "year")[i % 4]
        if shape == "title":
            out.append(f"title:{draw(rng, title_bands[band], taken)}")
        elif shape == "author":
            out.append(f"author:{draw(rng, author_bands[band], taken)}")
        else:
            out.append(filtered_query(rng, corpus, shape, records_of[shape],
                                      word_bands[band], taken))
    return out


def faceted_queries(rng, corpus, count):
    """One word, or two words of one record (alternately), from the band."""
    bands, taken, out = in_band(corpus.df, BANDS), set(), []
    for i, band in enumerate(band_cycle(count)):
        a = draw(rng, bands[band], taken)
        if i % 2 == 0:
            out.append(a)
            continue
        record = rng.choice(corpus.holding[a])
        others = sorted(w for w in corpus.words[record]
                        if w != a and w[:4] != a[:4])
        out.append(f"{a} {rng.choice(others)}" if others else a)
    return out


def dedupe(queries, count):
    """`queries` without repeats; fails loudly if fewer than `count` stay."""
    seen, out = set(), []
    for q in queries:
        if q not in seen:
            seen.add(q)
            out.append(q)
    if len(out) < count:
        sys.exit(f"make_queries: only {len(out)} distinct queries of {count}")
    return out[:count]


def header(args, corpus):
    def bands(table):
        return ", ".join(f"{n} {lo}..{hi or ''}" for n, lo, hi in table)

    return [
        "# lectern benchmark queries: kind<TAB>query, one per line, in",
        "# lectern's query syntax (indexer/query.h). Generated; do not edit.",
        f"# Made by: python3 bench/queries/make_queries.py --seed {args.seed}"
        f" --per-kind {args.per_kind}",
        f"# from the titles and abstracts of the {len(corpus.records):,}"
        " records of ../shared/data/papers/*.jsonl.",
        "# Words come evenly from document-frequency bands",
        f"# (words: {bands(BANDS)}; phrases: {bands(PHRASE_BANDS)}),",
        "# stopwords left out; every query matches at least one record.",
        "# 'and' and two-word 'faceted' queries take both words from one",
        "# record; 'field' cycles title:, author: (surnames), venue: and",
        "# year:, the last two with a word of a record of that venue or",
        "# year. 'faceted' queries are run with facets. bench/search/",
        "# translates each query for raw Xapian and SQLite FTS5.",
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--per-kind", type=int, default=40)
    parser.add_argument("--papers", default=DEFAULT_PAPERS)
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args()

    corpus = Corpus(load_records(args.papers))
    makers = {
        "term": term_queries,
        "and": and_queries,
        "or": or_queries,
        "phrase": phrase_queries,
        "field": field_queries,
        "faceted": faceted_queries,
    }
    lines = header(args, corpus)
    for kind in KINDS:
        # One generator per kind, so changing one kind leaves the others.
        rng = random.Random(f"{args.seed}/{kind}")
        queries = makers[kind](rng, corpus, args.per_kind)
        lines.extend(f"{kind}\t{q}" for q in dedupe(queries, args.per_kind))
    with open(args.out, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    print(f"make_queries: {len(lines) - len(header(args, corpus))} queries"
          f" -> {args.out}")


if __name__ == "__main__":
    main()
