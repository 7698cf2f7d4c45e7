#!/usr/bin/env python3
"""fts5_bench.py -- the SQLite FTS5 anchor: index a corpus folder, time queries.

usage: fts5_bench.py index CORPUS_DIR DB
       fts5_bench.py optimize DB
       fts5_bench.py query DB QUERIES [--rounds N] [--limit N] [--json]
                     [--per-query FILE]

index: one FTS5 table (id UNINDEXED, title, body) with the tokenizer
  `unicode61 remove_diacritics 2`, every .txt file below CORPUS_DIR in one
  transaction; leading `# key = value` header lines are skipped and the first
  non-empty line is the title (what a few lines of Python would do).
optimize: merge the FTS5 b-trees into one and VACUUM (the "compacted" size).
query: QUERIES has one plain query per line, as made by anchor_queries.py
  (quoted phrases, bare words). Each word becomes a quoted FTS5 string and
  each phrase a quoted FTS5 phrase, so no query can be read as FTS5 syntax;
  they AND together (FTS5's implicit operator). Each query runs
  `SELECT id, title ... WHERE a MATCH ? ORDER BY rank LIMIT 10` (rank is
  bm25()), once to warm up, then N timed rounds; nearest-rank percentiles
  like bench_query.c; --per-query writes each query's median time (ms)
  and 1 if it had hits (else 0), one query a line."""
import json
import math
import os
import sqlite3
import sys
import time


def index(root, db):
    if os.path.exists(db):
        os.remove(db)
    con = sqlite3.connect(db)
    con.execute("CREATE VIRTUAL TABLE a USING fts5(id UNINDEXED, title, body, "
                "tokenize='unicode61 remove_diacritics 2')")
    n = 0
    with con:
        for dirpath, dirs, files in os.walk(root):
            dirs.sort()
            for f in sorted(files):
                if not f.endswith(".txt") or f.startswith("."):
                    continue
                with open(os.path.join(dirpath, f), encoding="utf-8", errors="replace") as fh:
                    title = ""
                    for line in fh:
                        s = line.strip()
                        if s and not s.startswith("# "):
                            title = s
                            break
                    con.execute("INSERT INTO a VALUES (?, ?, ?)", (f[:-4], title, fh.read()))
                    n += 1
    con.close()
    print(n, "articles", file=sys.stderr)


def optimize(db):
    con = sqlite3.connect(db)
    with con:
        con.execute("INSERT INTO a(a) VALUES('optimize')")
    con.execute("VACUUM")
    con.close()


def to_fts5(q):
    """A plain query ('a "b c" d') as a safe FTS5 MATCH string, or None when
    nothing searchable is left."""
    parts, i = [], 0
    while i < len(q):
        if q[i] == '"':
            j = q.find('"', i + 1)
            j = len(q) if j < 0 else j
            parts.append(q[i + 1:j])
            i = j + 1
        elif q[i].isspace():
            i += 1
        else:
            j = i
            while j < len(q) and not q[j].isspace() and q[j] != '"':
                j += 1
            parts.append(q[i:j])
            i = j
    parts = [p for p in parts if any(c.isalnum() for c in p)]
    if not parts:
        return None
    return " ".join('"' + p.replace('"', '""') + '"' for p in parts)


def percentile(t, p):
    i = math.ceil(p * len(t))
    return t[min(max(i, 1), len(t)) - 1]


def query(db, path, rounds, limit, as_json, per_query=None):
    with open(path, encoding="utf-8") as f:
        queries = [ln.rstrip("\n").split("\t")[0] for ln in f if ln.strip()]
    con = sqlite3.connect(db)
    sql = "SELECT id, title FROM a WHERE a MATCH ? ORDER BY rank LIMIT ?"
    matches = [to_fts5(q) for q in queries]
    times, hits, errors = [], 0, 0
    tq = [[] for _ in matches]
    hit = [0] * len(matches)
    cpu0 = wall0 = 0.0
    for r in range(-1, rounds):
        if r == 0:
            cpu0, wall0 = time.process_time(), time.perf_counter()
        for qi, m in enumerate(matches):
            t0 = time.perf_counter()
            rows = []
            if m is not None:
                try:
                    rows = con.execute(sql, (m, limit)).fetchall()
                except sqlite3.OperationalError:
                    errors += r < 0
            dt = (time.perf_counter() - t0) * 1e3
            if r >= 0:
                times.append(dt)
                tq[qi].append(dt)
                hit[qi] = int(bool(rows))
                hits += bool(rows)
    cpu = (time.process_time() - cpu0) * 1e3 / len(times)
    wall = time.perf_counter() - wall0
    times.sort()
    if per_query:
        with open(per_query, "w") as f:
            f.write("".join("%.4f %d\n" % (percentile(sorted(v), 0.5), h)
                            for v, h in zip(tq, hit)))
    res = {"queries": len(queries), "rounds": rounds, "median_ms": percentile(times, 0.5),
           "p90_ms": percentile(times, 0.9), "p99_ms": percentile(times, 0.99),
           "mean_ms": sum(times) / len(times), "max_ms": times[-1],
           "cpu_ms_per_query": cpu, "wall_s": wall,
           "hits_pct": 100.0 * hits / len(times), "errors": errors}
    if as_json:
        print(json.dumps(res))
    else:
        print("queries %d x %d rounds: median %.2f ms, p90 %.2f ms, p99 %.2f ms, "
              "mean %.2f ms, max %.2f ms; CPU %.2f ms/query; %.0f%% with hits; %d errors"
              % (len(queries), rounds, res["median_ms"], res["p90_ms"], res["p99_ms"],
                 res["mean_ms"], res["max_ms"], cpu, res["hits_pct"], errors))


def main(argv):
    if len(argv) >= 3 and argv[0] == "index":
        index(argv[1], argv[2])
    elif len(argv) == 2 and argv[0] == "optimize":
        optimize(argv[1])
    elif len(argv) >= 3 and argv[0] == "query":
        rounds, limit, as_json, per_query, rest = 5, 10, False, None, argv[3:]
        while rest:
            o = rest.pop(0)
            if o == "--rounds":
                rounds = max(1, int(rest.pop(0)))
            elif o == "--limit":
                limit = int(rest.pop(0))
            elif o == "--per-query":
                per_query = rest.pop(0)
            elif o == "--json":
                as_json = True
            else:
                sys.exit("fts5_bench.py: unknown option " + o)
        query(argv[1], argv[2], rounds, limit, as_json, per_query)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
