#!/usr/bin/env python3
"""make_mixed_queries.py -- the fixed query mix of the benchmark suite
(bench/queries-mixed.txt), from real titles, with a fixed seed.

One query per line, optionally followed by a TAB and filters written
`key=value;key=value` (keys: province, resolution, lang), as a search UI
sends them after a facet click. The mix, of COUNT lines (default 400):
  30%  Vietnamese words from titles, with diacritics (2 to 4 words)
  22%  the same kind typed without diacritics
  13%  quoted phrases (2 or 3 consecutive title words)
  12%  English (consecutive words of English titles, newsroom keywords)
  15%  a title query plus a province filter (a province the article names)
   3%  a title query plus a resolution filter (one the article cites)
   5%  a title query plus lang=vi
Filters are chosen from the article the query came from, so most hit.

usage: make_mixed_queries.py BAOMOI_DIR DANTRI_DIR OUT [COUNT]
Also writes OUT's kinds, one a line, to OUT with .kinds for .txt (vi,
vi-plain, phrase, en, province, resolution, lang): bench/report.py
breaks the search times down by kind.
English titles come from ../shared/corpus/seed and the repository's
corpus/en and corpus/feeds/en-wire.jsonl (paths relative to this script)."""
import json
import os
import random
import re
import sys

from benchlib import provinces, strip_marks

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

ENGLISH = ["digital transformation", "flood", "lychee exports", "Resolution 57",
           "Hanoi traffic", "tourism", "storm", "investment", "rice", "coffee",
           "innovation centre", "science and technology", "Bac Giang", "Da Nang",
           "Ho Chi Minh City", "province merger", "new rural areas", "heritage",
           "Typhoon Yagi", "export", "covid vaccine", "hospital", "education",
           "startup", "bridge", "highway", "industrial park", "Samsung",
           "Apple iPhone", "Facebook", "football", "Champions League", "Donald Trump",
           "Real Madrid", "World Cup", "Bitcoin"]

RESOLUTION = re.compile(r"\b(\d{1,3}(?:/\d{4})?[-/]NQ[-/](?:TW|CP|TU|QH\d*|HĐND))\b")
PUNCT = ".,:;!?\"'()[]“”‘’…-–—|"


def read_article(path):
    """(title, text) of a .txt article: headers skipped, first line = title."""
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = [ln.strip() for ln in f]
    lines = [ln for ln in lines if ln and not ln.startswith("# ")]
    if not lines:
        return "", ""
    return lines[0], "\n".join(lines)


def words_of(title):
    words = [w.strip(PUNCT) for w in title.split()]
    return [w for w in words if w and any(c.isalpha() for c in w) and '"' not in w]


def span(rng, words, lo, hi):
    """lo..hi consecutive words, lower case, or None if the title is short."""
    n = rng.randint(lo, hi)
    if len(words) < n:
        return None
    i = rng.randrange(len(words) - n + 1)
    return " ".join(words[i:i + n]).lower()


def english_titles():
    titles = []
    seed = os.path.join(REPO, "..", "shared", "corpus", "seed")
    dirs = [seed, os.path.join(REPO, "corpus", "en")]
    for d in dirs:
        if os.path.isdir(d):
            for n in sorted(os.listdir(d)):
                if n.endswith(".txt"):
                    with open(os.path.join(d, n), encoding="utf-8") as f:
                        for ln in f:
                            ln = ln.strip()
                            # skip headers, datelines and site boilerplate
                            if (ln and not ln.startswith("#") and not re.search(r"\d/\d", ln)
                                    and len(ln.split()) >= 5 and ln.isascii()):
                                titles.append(ln)
                                break
    feed = os.path.join(REPO, "corpus", "feeds", "en-wire.jsonl")
    if os.path.exists(feed):
        with open(feed, encoding="utf-8") as f:
            titles += [json.loads(ln)["title"] for ln in f if ln.strip()]
    return titles


def main():
    baomoi, dantri, out = sys.argv[1], sys.argv[2], sys.argv[3]
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 400
    rng = random.Random(20251124)
    paths = [os.path.join(d, n) for d in (baomoi, dantri)
             for n in sorted(os.listdir(d)) if n.endswith(".txt")]
    provs = provinces()
    prov_re = re.compile(r"\b(" + "|".join(re.escape(p) for p in
                                           sorted(provs, key=len, reverse=True)) + r")\b")
    en_titles = english_titles()
    # Articles citing a resolution, found once (there are about a hundred).
    cites = []
    for p in paths:
        t, text = read_article(p)
        m = RESOLUTION.search(text)
        if m and len(words_of(t)) >= 3:
            cites.append((t, m.group(1)))
    queries, kinds, seen = [], [], set()
    while len(queries) < count:
        k = rng.random()
        line, kind = None, None
        if k < 0.30:
            kind = "vi"
            line = span(rng, words_of(read_article(rng.choice(paths))[0]), 2, 4)
        elif k < 0.52:
            kind = "vi-plain"
            q = span(rng, words_of(read_article(rng.choice(paths))[0]), 2, 4)
            line = strip_marks(q) if q else None
        elif k < 0.65:
            kind = "phrase"
            q = span(rng, words_of(read_article(rng.choice(paths))[0]), 2, 3)
            if q and rng.random() < 0.3:
                q = strip_marks(q)
            line = '"%s"' % q if q else None
        elif k < 0.77:
            kind = "en"
            if rng.random() < 0.5:
                line = rng.choice(ENGLISH)
            else:
                line = span(rng, words_of(rng.choice(en_titles)), 1, 3)
        elif k < 0.92:
            kind = "province"
            for _ in range(100):     # an article naming a province early
                title, text = read_article(rng.choice(paths))
                m = prov_re.search(title + "\n" + text[:600])
                q = span(rng, words_of(title), 1, 3)
                if m and q:
                    line = "%s\tprovince=%s" % (q, m.group(1))
                    break
        elif k < 0.95:
            kind = "resolution"
            title, res = rng.choice(cites)
            q = span(rng, words_of(title), 1, 2)
            if q:
                # half the time the bare number, as typed in the box
                val = res if rng.random() < 0.5 else re.match(r"\d+", res).group(0)
                line = "%s\tresolution=%s" % (q, val)
        else:
            kind = "lang"
            q = span(rng, words_of(read_article(rng.choice(paths))[0]), 2, 3)
            line = "%s\tlang=vi" % q if q else None
        if line and line not in seen:
            seen.add(line)
            queries.append(line)
            kinds.append(kind)
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(queries) + "\n")
    with open(re.sub(r"\.txt$", "", out) + ".kinds", "w", encoding="utf-8") as f:
        f.write("\n".join(kinds) + "\n")


if __name__ == "__main__":
    main()
