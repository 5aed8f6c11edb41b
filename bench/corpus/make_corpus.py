#!/usr/bin/python3
"""Writes a deterministic scale corpus for lectern's benchmarks.

    make_corpus.py --size 100000 --seed 1 --out /tmp/corpus-100k

writes two files into --out:

  catalog.jsonl       exactly --size records in lectern's JSON Lines catalog
                      format (docs/FORMATS.md). The first 13,090 are the real
                      records of ../shared/data/papers/ (osdi_sosp,
                      systems_other, other_cs, in that order), copied byte for
                      byte; the rest are synthetic records recombined from
                      them, so term statistics stay those of real abstracts.
  lectern.textproto   bench/configs/real.textproto (groups, schedules,
                      summaries, synonyms) with absolute paths and
                      catalog.jsonl as its only catalog.

A synthetic record takes its title from the words of two real titles (the
head of one, the tail of the other), its abstract from sentences of several
real abstracts, its authors from the pool of real author names, its venue and
year from one real record, a unique url https://bench.invalid/paper/<n> and
no DOI. Every title key (lectern's TitleKey: lowercase letters and digits) is
unique, because lectern merges records with the same title key.

The same --size and --seed give byte-identical files: one random.Random(seed)
drives every choice, inputs are read in a fixed order, and nothing depends on
time or hash order. Records are written as they are made, so 1,000,000
records need about as much memory as 13,090 (plus one 8-byte hash per title).
Python 3 standard library only.
"""

import argparse
import hashlib
import json
import os
import random
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
REAL_CONFIG = os.path.join(REPO, "bench", "configs", "real.textproto")
DEFAULT_PAPERS = os.path.join(os.path.dirname(REPO), "shared", "data", "papers")
# In the order of real.textproto's catalogs (the first file wins a field).
PAPER_FILES = ("osdi_sosp.jsonl", "systems_other.jsonl", "other_cs.jsonl")
SYNTHETIC_URL = "https://bench.invalid/paper/{}"

# A sentence ends at . ! or ? followed by space and a capital or digit;
# good enough to cut real abstracts into reusable pieces.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")


def title_key(title):
    """Returns lectern's title key (indexer/normalize.cc TitleKey).

    Lowercase letters (Unicode category L*) and decimal digits, with
    full-width ASCII folded first, as CleanText does. Two titles with the
    same key would be merged into one paper by lectern-index.
    """
    out = []
    for ch in title:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            ch = chr(code - 0xFF01 + 0x21)
        category = unicodedata.category(ch)
        if category[0] == "L" or category == "Nd":
            out.append(ch.lower())
    return "".join(out)


def key_hash(key):
    """Returns an 8-byte hash of a title key: the seen-set stays small."""
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()


class RealCorpus:
    """The real records: raw lines plus the pieces synthetic records reuse."""

    def __init__(self, papers_dir):
        self.lines = []  # Each line as read, newline included.
        self.titles = []  # Title words, per record.
        self.sentences = []  # Abstract sentences, per record.
        self.author_counts = []  # Authors per record.
        self.authors = []  # Every author occurrence (keeps real frequencies).
        self.venue_years = []  # (venue, year) per record.
        for name in PAPER_FILES:
            with open(os.path.join(papers_dir, name), encoding="utf-8") as f:
                for line in f:
                    if line.strip():
                        self._add(line if line.endswith("\n") else line + "\n")

    def _add(self, line):
        record = json.loads(line)
        self.lines.append(line)
        self.titles.append(record["title"].split())
        self.sentences.append(SENTENCE_END.split(record.get("abstract") or ""))
        authors = record.get("authors") or []
        self.author_counts.append(len(authors))
        self.authors.extend(authors)
        self.venue_years.append((record.get("venue"), record.get("year")))


class SyntheticRecords:
    """Makes synthetic records from a RealCorpus with one random generator."""

    def __init__(self, real, rng):
        self.real = real
        self.rng = rng
        # Titles of two words or more can be cut into a head and a tail.
        self.cuttable = [i for i, words in enumerate(real.titles)
                         if len(words) >= 2]
        self.seen = {key_hash(title_key(" ".join(words)))
                     for words in real.titles}

    def title(self):
        """Returns a title whose key no earlier record has."""
        rng = self.rng
        while True:
            head = self.real.titles[rng.choice(self.cuttable)]
            tail = self.real.titles[rng.choice(self.cuttable)]
            words = (head[:rng.randint(1, len(head) - 1)] +
                     tail[rng.randint(1, len(tail) - 1):])
            title = " ".join(words)
            digest = key_hash(title_key(title))
            if digest not in self.seen:
                self.seen.add(digest)
                return title

    def abstract(self, template):
        """Returns as many sentences as `template`'s abstract, drawn
        without repeats from two to four real abstracts (the template's
        among them)."""
        rng = self.rng
        sentences = self.real.sentences
        donors = [template]
        for _ in range(rng.randint(1, 3)):
            donor = rng.randrange(len(sentences))
            if donor not in donors:
                donors.append(donor)
        pool = [s for donor in donors for s in sentences[donor]]
        return " ".join(rng.sample(pool, len(sentences[template])))

    def authors(self, template):
        """Returns as many distinct real names as `template` has authors."""
        rng = self.rng
        wanted = self.real.author_counts[template]
        names = []
        while len(names) < wanted:
            name = rng.choice(self.real.authors)
            if name not in names:
                names.append(name)
        return names

    def record(self, number):
        """Returns the JSON line of synthetic record `number` (0-based, over
        the whole catalog, so urls never repeat)."""
        template = self.rng.randrange(len(self.real.lines))
        venue, year = self.real.venue_years[template]
        record = {
            "title": self.title(),
            "authors": self.authors(template),
            "venue": venue,
            "year": year,
            "url": SYNTHETIC_URL.format(number),
            "doi": None,
            "abstract": self.abstract(template),
            "source": "synthetic:bench/corpus/make_corpus.py",
        }
        return json.dumps(record, ensure_ascii=False) + "\n"


def write_catalog(path, real, size, seed):
    """Writes `size` records to `path`: real ones first, then synthetic."""
    with open(path, "w", encoding="utf-8", newline="\n",
              buffering=1 << 20) as out:
        for line in real.lines[:size]:
            out.write(line)
        synthetic = SyntheticRecords(real, random.Random(seed))
        for number in range(len(real.lines), size):
            out.write(synthetic.record(number))
            if (number + 1) % 100000 == 0:
                print(f"make_corpus: {number + 1:,} records", file=sys.stderr)


def config_text(catalog_path):
    """Returns real.textproto with absolute paths and one catalog.

    Every path field is resolved against bench/configs/; the catalogs
    blocks are replaced, where the first one stood, by one naming
    `catalog_path`; the file's opening comment is replaced by ours.
    """
    base = os.path.dirname(REAL_CONFIG)
    path_field = re.compile(r'^(\s*(?:schedule_file|path|synonyms_file):\s*)"([^"]*)"')
    with open(REAL_CONFIG, encoding="utf-8") as f:
        lines = f.read().splitlines()
    while lines and lines[0].startswith("#"):
        lines.pop(0)  # The header names the real catalogs; ours follows.
    out = [
        "# Benchmark configuration written by bench/corpus/make_corpus.py:",
        "# bench/configs/real.textproto with absolute paths and the generated",
        "# catalog as its only catalog. Schema: lectern.v1.LecternConfig.",
    ]
    in_catalog = False
    catalog_written = False
    for line in lines:
        if line.startswith("catalogs {"):
            in_catalog = True
            if not catalog_written:
                out += ["catalogs {", f'  path: "{catalog_path}"', "}"]
                catalog_written = True
            continue
        if in_catalog:
            in_catalog = not line.startswith("}")
            continue
        match = path_field.match(line)
        if match:
            absolute = os.path.normpath(os.path.join(base, match.group(2)))
            line = f'{match.group(1)}"{absolute}"' + line[match.end():]
        out.append(line)
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(
        description="Writes a deterministic scale catalog and its lectern "
                    "config.")
    parser.add_argument("--size", type=int, required=True,
                        help="number of records (the first 13,090 are real)")
    parser.add_argument("--seed", type=int, default=1,
                        help="seed of the synthetic records (default 1)")
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--papers", default=DEFAULT_PAPERS,
                        help="folder of the real JSON Lines files "
                             "(default: %(default)s)")
    args = parser.parse_args()
    if args.size < 1:
        parser.error("--size must be at least 1")

    out_dir = os.path.abspath(args.out)
    os.makedirs(out_dir, exist_ok=True)
    catalog_path = os.path.join(out_dir, "catalog.jsonl")
    real = RealCorpus(args.papers)
    write_catalog(catalog_path, real, args.size, args.seed)
    with open(os.path.join(out_dir, "lectern.textproto"), "w",
              encoding="utf-8", newline="\n") as f:
        f.write(config_text(catalog_path))
    synthetic = max(0, args.size - len(real.lines))
    print(f"make_corpus: wrote {args.size:,} records "
          f"({args.size - synthetic:,} real, {synthetic:,} synthetic) to "
          f"{catalog_path}", file=sys.stderr)


if __name__ == "__main__":
    main()
