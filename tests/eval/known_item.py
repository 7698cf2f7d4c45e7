#!/usr/bin/env python3
"""known_item.py -- known-item search quality on the baomoi corpus, three engines side by side.

A journalist remembers a few words of a headline and types them, often without
diacritics. This tool measures how often the right article comes first:

  * pick --n articles at random (fixed --seed) among those whose title is unique
    in the corpus (the corpus holds syndicated duplicates; a query cannot tell
    them apart, so they would only add noise);
  * take four consecutive words of the title as the query, once as written and
    once with every diacritic removed (d for đ), as users type;
  * run both through corpsearch, SQLite FTS5 (unicode61 remove_diacritics 2,
    title weighted 10:1) and plain Xapian as omindex/quest build and query it;
  * report MRR@10 (mean of 1/rank of the article, 0 when not in the top 10) and
    success@10 (share of queries with the article in the top 10).

The FTS5 and omindex indexes are cached in --work and reused while the corpus
is the same; the corpsearch index is rebuilt with --rebuild-corpsearch (the
ranking and term scheme change while we tune them). Standard library only, plus
the xapian-tools programs (omindex, quest) for the third engine.

Usage: tests/eval/known_item.py [--corpsearch build/src/cli/corpsearch]
         [--work /tmp/cs-eval] [--rebuild-corpsearch] [--n 300] [--seed 6]
         [--engines corpsearch,fts5,xapian] [--json FILE] [--failures N]
"""
import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import unicodedata
import urllib.parse
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_CORPUS = "/tmp/data/vi-news-baomoi"
CORPUS_TARBALL = os.path.join(REPO, "..", "shared", "corpus", "vi-news-baomoi.tar.xz")
HEADER_RE = re.compile(r"^#\s*[A-Za-z_]+\s*=")
K = 10


# ---------------------------------------------------------------- corpus

def find_corpus(arg, work):
    """The corpus folder: --corpus, else the default path, else the shared
    tarball unpacked once into WORK/corpus. Exits when none is there."""
    if arg:
        return os.path.abspath(arg)
    if os.path.isdir(DEFAULT_CORPUS):
        return DEFAULT_CORPUS
    dest = os.path.join(work, "corpus")
    if os.path.isdir(dest):
        return only_subdir(dest)
    if not os.path.exists(CORPUS_TARBALL):
        sys.exit("known_item: no corpus at %s and no %s" % (DEFAULT_CORPUS, CORPUS_TARBALL))
    log("unpacking %s" % CORPUS_TARBALL)
    tmp = tempfile.mkdtemp(dir=work)
    with tarfile.open(CORPUS_TARBALL) as tf:
        tf.extractall(tmp)
    os.rename(tmp, dest)
    return only_subdir(dest)


def only_subdir(d):
    """The tarball holds one folder of .txt files (or the files directly)."""
    entries = [e for e in os.listdir(d) if not e.startswith(".")]
    if len(entries) == 1 and os.path.isdir(os.path.join(d, entries[0])):
        return os.path.join(d, entries[0])
    return d


def split_article(text):
    """(title, body) of a scraped article: header lines `# key = value` skipped,
    the title is the first non-empty line after them."""
    lines = text.splitlines()
    i = 0
    while i < len(lines) and (not lines[i].strip() or HEADER_RE.match(lines[i])):
        i += 1
    if i == len(lines):
        return "", ""
    return lines[i].strip(), "\n".join(lines[i + 1:])


def read_corpus(corpus):
    """{id: (title, body)} for every .txt file; the id is the file name
    without .txt, as corpsearch derives it."""
    docs = {}
    for name in sorted(os.listdir(corpus)):
        if not name.endswith(".txt") or name.startswith("."):
            continue
        with open(os.path.join(corpus, name), encoding="utf-8", errors="replace") as f:
            docs[name[:-4]] = split_article(f.read())
    return docs


def fold(s):
    """All diacritics removed, đ -> d: what a user types on a plain keyboard."""
    s = s.replace("đ", "d").replace("Đ", "D")
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", s)


def is_punct(c):
    return unicodedata.category(c)[0] in "PS"


def query_words(title):
    """The title's words as a user would type them: outer punctuation
    stripped ("Giang:" -> "Giang", "(TTXVN)" -> "TTXVN"), pure punctuation
    dropped; inner punctuation stays ("6/2/2017", "COVID-19")."""
    out = []
    for w in title.split():
        i, j = 0, len(w)
        while i < j and is_punct(w[i]):
            i += 1
        while j > i and is_punct(w[j - 1]):
            j -= 1
        w = w[i:j]
        if w and any(c.isalnum() for c in w):
            out.append(w)
    return out


def title_key(title):
    return " ".join(fold(title).casefold().split())


def make_queries(docs, n, seed):
    """n (id, title, words) with unique titles, 4 consecutive title words each.
    Operator words (AND, OR, NOT) are avoided: a user would not type them as
    words and each engine reads them differently."""
    counts = {}
    for title, _ in docs.values():
        counts[title_key(title)] = counts.get(title_key(title), 0) + 1
    rng = random.Random(seed)
    ids = sorted(docs)
    rng.shuffle(ids)
    out = []
    for doc_id in ids:
        title = docs[doc_id][0]
        if counts[title_key(title)] != 1:
            continue
        words = query_words(title)
        starts = [s for s in range(len(words) - 3)
                  if not {"AND", "OR", "NOT"} & set(words[s:s + 4])]
        if not starts:
            continue
        s = rng.choice(starts)
        out.append({"id": doc_id, "title": title, "words": words[s:s + 4]})
        if len(out) == n:
            break
    return out


# ---------------------------------------------------------------- caching

def stamp_ok(path, corpus, nfiles):
    try:
        with open(path) as f:
            st = json.load(f)
        return st.get("corpus") == corpus and st.get("files") == nfiles
    except (OSError, ValueError):
        return False


def write_stamp(path, corpus, nfiles, **extra):
    with open(path, "w") as f:
        json.dump(dict(corpus=corpus, files=nfiles, **extra), f)


def dir_bytes(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass
    return total


def log(msg):
    sys.stderr.write("known_item: %s\n" % msg)
    sys.stderr.flush()


# ---------------------------------------------------------------- engines

class Fts5:
    name = "SQLite FTS5"

    def __init__(self, work, corpus, docs, rebuild):
        self.path = os.path.join(work, "fts5.sqlite")
        stamp = self.path + ".done"
        self.build_seconds = None
        if rebuild or not stamp_ok(stamp, corpus, len(docs)):
            t0 = time.time()
            self.build(docs)
            self.build_seconds = time.time() - t0
            write_stamp(stamp, corpus, len(docs), seconds=self.build_seconds)
        self.db = sqlite3.connect(self.path)
        self.index_bytes = dir_bytes(self.path)

    def build(self, docs):
        log("building the FTS5 index (%d articles)" % len(docs))
        tmp = self.path + ".tmp"
        if os.path.exists(tmp):
            os.remove(tmp)
        db = sqlite3.connect(tmp)
        db.execute("CREATE VIRTUAL TABLE t USING fts5(id UNINDEXED, title, body, "
                   "tokenize = 'unicode61 remove_diacritics 2')")
        db.executemany("INSERT INTO t(id, title, body) VALUES (?, ?, ?)",
                       ((i, t, b) for i, (t, b) in docs.items()))
        db.commit()
        db.close()
        os.replace(tmp, self.path)

    def search(self, words):
        """Every word quoted (no FTS5 syntax), all ANDed; title weighted 10:1."""
        q = " ".join('"%s"' % w.replace('"', '""') for w in words)
        t0 = time.perf_counter()
        rows = self.db.execute("SELECT id FROM t WHERE t MATCH ? "
                               "ORDER BY bm25(t, 0, 10.0, 1.0) LIMIT ?", (q, K)).fetchall()
        return [r[0] for r in rows], (time.perf_counter() - t0) * 1000

    def close(self):
        self.db.close()


class Omega:
    """Plain Xapian: omindex builds it, quest queries it, both with their
    defaults (English stemming; quest's default operator is OR)."""
    name = "Xapian omindex/quest"
    URL_RE = re.compile(r"^url=/(.+?)\.txt$", re.M)

    def __init__(self, work, corpus, docs, rebuild, op):
        for prog in ("omindex", "quest"):
            if not shutil.which(prog):
                sys.exit("known_item: %s not found (apt-get install xapian-omega xapian-tools)"
                         % prog)
        self.path = os.path.join(work, "omega")
        self.op = op
        stamp = self.path + ".done"
        self.build_seconds = None
        if rebuild or not stamp_ok(stamp, corpus, len(docs)):
            t0 = time.time()
            self.build(corpus)
            self.build_seconds = time.time() - t0
            write_stamp(stamp, corpus, len(docs), seconds=self.build_seconds)
        self.index_bytes = dir_bytes(self.path)

    def build(self, corpus):
        log("building the omindex index (a few minutes)")
        tmp = self.path + ".tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        subprocess.run(["omindex", "--db", tmp, "--url", "/", corpus], check=True,
                       stdout=subprocess.DEVNULL)
        shutil.rmtree(self.path, ignore_errors=True)
        os.rename(tmp, self.path)

    def search(self, words):
        cmd = ["quest", "-d", self.path, "-m", str(K), "-o", self.op, " ".join(words)]
        t0 = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True, errors="replace").stdout
        ms = (time.perf_counter() - t0) * 1000
        return self.URL_RE.findall(out)[:K], ms

    def close(self):
        pass


class Corpsearch:
    """corpsearch over HTTP (`corpsearch serve` on a free loopback port, so
    a query costs no process start), or the CLI with --cli."""
    name = "corpsearch"

    def __init__(self, work, corpus, docs, binary, rebuild, use_cli, index, params):
        self.binary = binary
        self.params = params
        self.use_cli = use_cli
        self.build_seconds = None
        self.index = index or os.path.join(work, "corpsearch-index")
        stamp = os.path.join(work, "corpsearch-index.done")
        if not index and (rebuild or not stamp_ok(stamp, corpus, len(docs))):
            t0 = time.time()
            self.build(corpus)
            self.build_seconds = time.time() - t0
            write_stamp(stamp, corpus, len(docs), seconds=self.build_seconds)
        elif not index and os.path.getmtime(binary) > os.path.getmtime(stamp):
            log("note: %s is newer than the cached corpsearch index; "
                "pass --rebuild-corpsearch if the term scheme changed" % binary)
        self.index_bytes = dir_bytes(self.index)
        self.server = None
        if not use_cli:
            self.start_server()

    def build(self, corpus):
        log("building the corpsearch index")
        shutil.rmtree(self.index, ignore_errors=True)
        r = subprocess.run([self.binary, "index", "--index", self.index, "--quiet", corpus])
        if r.returncode not in (0, 3):   # 3: some input skipped, reported
            sys.exit("known_item: corpsearch index failed (exit %d)" % r.returncode)

    def start_server(self):
        self.errfile = tempfile.TemporaryFile()
        self.server = subprocess.Popen(
            [self.binary, "serve", "--index", self.index, "--listen", "127.0.0.1:0",
             "--threads", "1", "--quiet"],
            stdout=subprocess.DEVNULL, stderr=self.errfile)
        deadline = time.time() + 30
        while time.time() < deadline:
            self.errfile.seek(0)
            m = re.search(rb"http://(127\.0\.0\.1:\d+)/", self.errfile.read())
            if m:
                self.base = "http://%s" % m.group(1).decode()
                return
            if self.server.poll() is not None:
                break
            time.sleep(0.05)
        self.errfile.seek(0)
        sys.exit("known_item: corpsearch serve did not start: %s"
                 % self.errfile.read().decode(errors="replace"))

    def search(self, words):
        """Ids of the top 10 and the engine's own time (took_ms)."""
        q = " ".join(words)
        if self.use_cli:
            cmd = [self.binary, "search", "--index", self.index, "--json",
                   "--limit", str(K), "--", q]
            t0 = time.perf_counter()
            r = subprocess.run(cmd, capture_output=True, text=True)
            ms = (time.perf_counter() - t0) * 1000
            res = json.loads(r.stdout) if r.stdout.strip() else {"hits": []}
        else:
            args = [("q", q), ("per_page", str(K))] + self.params
            url = self.base + "/api/search?" + urllib.parse.urlencode(args)
            with urllib.request.urlopen(url, timeout=30) as resp:
                res = json.load(resp)
            ms = res.get("took_ms")
        return [h["id"] for h in res.get("hits", [])][:K], ms

    def close(self):
        if self.server:
            self.server.terminate()
            self.server.wait(timeout=10)
            self.errfile.close()


# ---------------------------------------------------------------- scoring

def rank_of(doc_id, hits):
    return hits.index(doc_id) + 1 if doc_id in hits else None


def summarize(ranks, times):
    n = len(ranks)
    times = [t for t in times if t is not None]
    return {
        "mrr10": sum(1.0 / r for r in ranks if r) / n if n else 0.0,
        "success10": sum(1 for r in ranks if r) / n if n else 0.0,
        "first": sum(1 for r in ranks if r == 1) / n if n else 0.0,
        "median_ms": statistics.median(times) if times else None,
    }


def run_engine(engine, queries, key):
    """Ranks of each query's article under `engine` for both variants,
    stored in query["ranks"][key]."""
    res = {}
    for variant in ("as_written", "folded"):
        ranks, times = [], []
        for q in queries:
            words = q["words"] if variant == "as_written" else [fold(w) for w in q["words"]]
            hits, ms = engine.search(words)
            r = rank_of(q["id"], hits)
            q.setdefault("ranks", {}).setdefault(key, {})[variant] = r
            if r != 1:
                q.setdefault("top", {}).setdefault(key, {})[variant] = hits[:3]
            ranks.append(r)
            times.append(ms)
        res[variant] = summarize(ranks, times)
    return res


def fmt(x, digits=3):
    return "-" if x is None else ("%.*f" % (digits, x))


def print_table(report):
    print("known-item search: %d queries (4 title words, seed %d), %s (%d articles)"
          % (report["n"], report["seed"], report["corpus"], report["articles"]))
    print()
    head = ("engine", "MRR@10", "succ@10", "MRR@10", "succ@10", "ms", "index MB")
    print("%-22s | %-16s | %-16s | %6s | %8s" % ("", "   as written", "  no diacritics",
                                               "median", ""))
    print("%-22s | %7s %8s | %7s %8s | %6s | %8s" % head)
    print("-" * 82)
    for e in report["engines"].values():
        a, f = e["as_written"], e["folded"]
        ms = a["median_ms"]
        print("%-22s | %7s %8s | %7s %8s | %6s | %8s" % (
            e["name"], fmt(a["mrr10"]), fmt(a["success10"]), fmt(f["mrr10"]),
            fmt(f["success10"]), fmt(ms, 1), fmt(e["index_bytes"] / 1e6, 0)))
    print()
    if report.get("corpsearch_cli"):
        print("ms: corpsearch (--cli) and quest include starting the process; FTS5 is timed")
        print("in-process.")
    else:
        print("ms: corpsearch reports its own search time (took_ms); FTS5 is timed in-process;")
        print("quest includes starting the process.")
    print("Target for corpsearch: MRR@10 >= 0.92 as written, >= 0.90 without diacritics.")


def print_failures(queries, key, limit):
    shown = 0
    for variant in ("as_written", "folded"):
        for q in queries:
            r = q["ranks"][key][variant]
            if r == 1 or shown >= limit:
                continue
            shown += 1
            words = q["words"] if variant == "as_written" else [fold(w) for w in q["words"]]
            print("  %-10s %-5s %-45s [%s] top: %s" % (
                variant, r or "-", " ".join(words), q["id"],
                ", ".join(q["top"][key][variant])))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpsearch", default=os.path.join("build", "src", "cli", "corpsearch"),
                    help="corpsearch binary (default build/src/cli/corpsearch)")
    ap.add_argument("--corpus", help="folder of .txt articles (default %s)" % DEFAULT_CORPUS)
    ap.add_argument("--work", default="/tmp/cs-eval", help="cache of indexes (default /tmp/cs-eval)")
    ap.add_argument("--rebuild-corpsearch", action="store_true",
                    help="rebuild the corpsearch index (after a ranking or scheme change)")
    ap.add_argument("--rebuild-all", action="store_true", help="rebuild every index")
    ap.add_argument("--corpsearch-index", help="search this existing index instead")
    ap.add_argument("--cli", action="store_true",
                    help="query with `corpsearch search --json` instead of serve")
    ap.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                    help="extra /api/search parameter for corpsearch (repeatable)")
    ap.add_argument("--n", type=int, default=300, help="number of articles (default 300)")
    ap.add_argument("--seed", type=int, default=6, help="random seed (default 6)")
    ap.add_argument("--engines", default="corpsearch,fts5,xapian",
                    help="comma-separated subset of corpsearch,fts5,xapian")
    ap.add_argument("--quest-op", default="or",
                    help="quest's default operator (default: quest's own, or)")
    ap.add_argument("--json", help="write the report here (default WORK/known_item.json)")
    ap.add_argument("--failures", type=int, default=0, metavar="N",
                    help="list up to N corpsearch queries whose article was not first")
    args = ap.parse_args()

    os.makedirs(args.work, exist_ok=True)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    for e in engines:
        if e not in ("corpsearch", "fts5", "xapian"):
            ap.error("unknown engine %r" % e)
    binary = args.corpsearch
    if not os.path.exists(binary) and os.path.exists(os.path.join(REPO, binary)):
        binary = os.path.join(REPO, binary)
    if "corpsearch" in engines and not os.access(binary, os.X_OK):
        ap.error("no corpsearch binary at %s (--corpsearch PATH)" % binary)
    params = []
    for p in args.param:
        k, sep, v = p.partition("=")
        if not sep:
            ap.error("--param wants KEY=VALUE")
        params.append((k, v))

    corpus = find_corpus(args.corpus, args.work)
    t0 = time.time()
    docs = read_corpus(corpus)
    log("read %d articles in %.1f s" % (len(docs), time.time() - t0))
    queries = make_queries(docs, args.n, args.seed)
    if len(queries) < args.n:
        log("only %d articles qualify" % len(queries))

    report = {"corpus": corpus, "articles": len(docs), "n": len(queries), "seed": args.seed,
              "quest_op": args.quest_op, "corpsearch_cli": args.cli, "engines": {}}
    for key in engines:
        if key == "corpsearch":
            eng = Corpsearch(args.work, corpus, docs, os.path.abspath(binary),
                             args.rebuild_corpsearch or args.rebuild_all, args.cli,
                             args.corpsearch_index, params)
        elif key == "fts5":
            eng = Fts5(args.work, corpus, docs, args.rebuild_all)
        else:
            eng = Omega(args.work, corpus, docs, args.rebuild_all, args.quest_op)
        try:
            log("querying %s" % eng.name)
            res = run_engine(eng, queries, key)
        finally:
            eng.close()
        res.update(name=eng.name, index_bytes=eng.index_bytes,
                   build_seconds=eng.build_seconds)
        report["engines"][key] = res

    for q in queries:
        q["query"] = " ".join(q["words"])
        q["query_folded"] = fold(q["query"])
        del q["words"]
    report["queries"] = queries
    out = args.json or os.path.join(args.work, "known_item.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(report, f, ensure_ascii=False, indent=1)
    print_table(report)
    print("report: %s" % out)
    if args.failures and "corpsearch" in engines:
        print("\ncorpsearch queries whose article was not first (rank, query, id, top 3):")
        for q in queries:
            q["words"] = q["query"].split()
        print_failures(queries, "corpsearch", args.failures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
