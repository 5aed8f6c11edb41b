#!/usr/bin/env python3
"""Writes the seed corpora fuzz/corpus/<target>/ from data/ and the tests.

  python3 fuzz/make_seeds.py .

Seeds are the bundled schedules, summaries, config and the first 50 lines
of the catalog, test fixtures (tests/testdata/catalog) and the string
literals of the tests that exercise each parser. Existing files are kept
(corpora grown by scripts/fuzz.sh and merged in stay); a seed is written
under a name saying where it comes from.
"""
import base64, glob, os, re, sys

ROOT = sys.argv[1]
OUT = os.path.join(ROOT, 'fuzz', 'corpus')

def literals(path):
    """C++ string literals of a file, adjacent ones concatenated, as bytes."""
    src = open(path, encoding='utf-8').read()
    out = []
    i = 0
    cur = None
    last_end = -1
    pat = re.compile(r'(?:u8)?R"([^(\s]*)\(|"|//|/\*|\'')
    while True:
        m = pat.search(src, i)
        if not m:
            break
        tok = m.group(0)
        if tok == '//':
            i = src.find('\n', m.end()); i = len(src) if i < 0 else i; continue
        if tok == '/*':
            i = src.find('*/', m.end()) + 2; continue
        if tok == "'":
            # char literal
            j = m.end()
            if src[j] == '\\': j += 2
            else: j += 1
            # Skip digit separators etc.: only treat as char literal if closed.
            if j < len(src) and src[j] == "'":
                i = j + 1
            else:
                i = m.end()
            continue
        if tok.endswith('('):
            delim = m.group(1)
            end = src.find(')' + delim + '"', m.end())
            val = src[m.end():end].encode('utf-8')
            j = end + len(delim) + 2
        else:
            j = m.end(); buf = bytearray()
            while src[j] != '"':
                c = src[j]
                if c == '\\':
                    n = src[j+1]
                    simple = {'n': b'\n', 't': b'\t', 'r': b'\r', '\\': b'\\', '"': b'"', "'": b"'", '0': None, '?': b'?', 'a': b'\a', 'b': b'\b', 'f': b'\f', 'v': b'\v'}
                    if n == 'x':
                        k = j + 2
                        while k < len(src) and src[k] in '0123456789abcdefABCDEF': k += 1
                        buf.append(int(src[j+2:k], 16) & 0xFF); j = k; continue
                    if n in '01234567':
                        k = j + 1
                        while k < j + 4 and src[k] in '01234567': k += 1
                        buf.append(int(src[j+1:k], 8) & 0xFF); j = k; continue
                    if n == 'u':
                        buf += chr(int(src[j+2:j+6], 16)).encode('utf-8'); j += 6; continue
                    buf += simple.get(n, n.encode()); j += 2; continue
                buf += c.encode('utf-8'); j += 1
            val = bytes(buf); j += 1
        between = src[last_end:m.start()] if last_end >= 0 else None
        if cur is not None and between is not None and between.strip() == '':
            cur += val
        else:
            if cur is not None: out.append(cur)
            cur = val
        last_end = j
        i = j
    if cur is not None: out.append(cur)
    return out

seeds = {}
def add(target, name, data):
    if not data: return
    d = seeds.setdefault(target, {})
    if data in d.values(): return
    base = re.sub(r'[^A-Za-z0-9_.-]', '_', name)
    n, k = base, 1
    while n in d: k += 1; n = f'{base}-{k}'
    d[n] = data

def test_literals(name, pred, targets, min_len=6):
    lits = [l for l in literals(os.path.join(ROOT, 'tests', name))
            if len(l) >= min_len and pred(l) and not re.fullmatch(rb'[\w/.-]+\.(h|cc)', l)]
    for k, l in enumerate(lits):
        for t in targets:
            add(t, f'{name[:-3]}-{k:03d}', l)
    return len(lits)

def read(rel): return open(os.path.join(ROOT, rel), 'rb').read()
def lines(b): return b.split(b'\n')
has = lambda *subs: (lambda l: any(s in l for s in subs))

# Schedules.
md = glob.glob(os.path.join(ROOT, 'data/schedules/002_*.txt'))[0]
nl = glob.glob(os.path.join(ROOT, 'data/schedules/000_*.txt'))[0]
mdb, nlb = open(md, 'rb').read(), open(nl, 'rb').read()
for t in ('schedule_markdown', 'schedule_detect'):
    add(t, 'data-' + os.path.basename(md), mdb)
for t in ('schedule_numbered_list', 'schedule_detect'):
    add(t, 'data-' + os.path.basename(nl), nlb)
# The Markdown file cut at each session, so that small seeds cover each kind.
parts = re.split(rb'\n(?=### )', mdb)
for k, p in enumerate(parts[1:]):
    add('schedule_markdown', f'data-002-session-{k:02d}', parts[0].split(b'\n## Schedule')[0][:200] + b'\n## Schedule\n' + p + b'\n')
md_pred = lambda l: re.search(rb'(^|\n)#+ ', l) is not None
nl_pred = lambda l: re.search(rb'(^|\n)\s*\d+\s*(\)|\xef\xbc\x89)', l) is not None
test_literals('schedule_test.cc', md_pred, ['schedule_markdown', 'schedule_detect'], 20)
test_literals('schedule_test.cc', lambda l: nl_pred(l) and not md_pred(l), ['schedule_numbered_list', 'schedule_detect'], 10)
yaml_pred = has(b'date:', b'sessions:', b'---')
csv_pred = lambda l: b',' in l.split(b'\n')[0] and b'date' in l.split(b'\n')[0].lower()
test_literals('schedule_formats_test.cc', lambda l: yaml_pred(l) and not csv_pred(l), ['schedule_yaml', 'schedule_detect'], 10)
test_literals('schedule_formats_test.cc', csv_pred, ['schedule_csv', 'schedule_detect'], 10)
test_literals('schedule_formats_test.cc', lambda l: md_pred(l) or nl_pred(l), ['schedule_detect'], 10)

# Mojibake.
test_literals('mojibake_test.cc', lambda l: True, ['mojibake'], 2)
for k, l in enumerate(l for l in lines(mdb) if any(b >= 0x80 for b in l)):
    if k < 30: add('mojibake', f'data-002-line-{k:02d}', l)

# Config.
add('group_config', 'data-lectern.textproto', read('data/lectern.textproto'))
test_literals('group_config_test.cc', has(b'groups', b'catalogs', b'{', b': '), ['group_config'], 8)

# Catalogs.
osdi = lines(read('data/catalog/osdi_sosp.jsonl'))
for k in range(5):
    add('catalog_jsonl', f'data-osdi_sosp-{k*10+1:03d}-{k*10+10:03d}', b'\n'.join(osdi[k*10:k*10+10]) + b'\n')
add('catalog_jsonl', 'testdata-papers.jsonl', read('tests/testdata/catalog/papers.jsonl'))
add('catalog_bibtex', 'testdata-dblp.bib', read('tests/testdata/catalog/dblp.bib'))
for k, e in enumerate(re.split(rb'\n(?=@)', read('tests/testdata/catalog/dblp.bib'))):
    add('catalog_bibtex', f'testdata-dblp-entry-{k:02d}', e)
add('catalog_csv', 'testdata-papers.csv', read('tests/testdata/catalog/papers.csv'))
test_literals('catalog_test.cc', lambda l: l.lstrip().startswith(b'{'), ['catalog_jsonl'], 8)
test_literals('catalog_test.cc', has(b'@'), ['catalog_bibtex'], 8)
test_literals('catalog_test.cc', lambda l: b',' in l.split(b'\n')[0] and b'title' in l.split(b'\n')[0].lower(), ['catalog_csv'], 8)
test_literals('csv_test.cc', has(b',', b'"'), ['catalog_csv'], 3)

# Summaries.
for p in sorted(glob.glob(os.path.join(ROOT, 'data/summaries/*/*.md'))):
    add('summary', 'data-' + os.path.basename(p), open(p, 'rb').read())
test_literals('summary_test.cc', has(b'---', b'# ', b'\n'), ['summary'], 8)

# Queries: short one-line literals of the search tests, and the syntax.
q_pred = lambda l: b'\n' not in l and len(l) <= 120 and b'::' not in l and not l.startswith(b'/')
for name in ('search_cases_test.cc', 'searcher_test.cc'):
    test_literals(name, q_pred, ['query'], 2)
for k, q in enumerate([
        'title:"kv cache" AND venue:osdi', 'author:zhong OR presenter:"Xiang Shen"',
        'year:2023..2024 llm', 'year:..2024', 'date:2024-09-01..2024-12-31 NOT type:summary',
        'group:fall-2024 kind:open', '+serving -gpu', 'page*', 'llm serving', '大模型 推理',
        'μslope', 'distserv', 'syn:g0', '(a OR b) NEAR/3 c', 'abstract:(memory management)',
        'year:24', 'date:2024-02-30', 'presenter:', 'venue:"usenix atc"', 'a ADJ/2 b']):
    add('query', f'syntax-{k:02d}', q.encode())

# Page tokens: "token\nquery", as EncodePageToken writes them.
def fnv(b):
    h = 2166136261
    for c in b: h = ((h ^ c) * 16777619) & 0xFFFFFFFF
    return h
for k, (q, off) in enumerate([('llm serving', 10), ('', 0), ('kv', 16777216), ('大模型', 20), ('x' * 40, 123456)]):
    tok = base64.urlsafe_b64encode(f'p1:{off}:{fnv(q.encode())}'.encode()).rstrip(b'=')
    add('page_token', f'token-{k}', tok + b'\n' + q.encode())
add('page_token', 'token-padded', base64.urlsafe_b64encode(f'p1:5:{fnv(b"q")}'.encode()) + b'\nq')
test_literals('page_token_test.cc', lambda l: True, ['page_token'], 2)

total = 0
for t, d in sorted(seeds.items()):
    os.makedirs(os.path.join(OUT, t), exist_ok=True)
    size = 0
    for n, data in d.items():
        open(os.path.join(OUT, t, n), 'wb').write(data); size += len(data)
    total += size
    print(f'{t:24s} {len(d):4d} seeds {size:8d} bytes')
print('total bytes', total)
