#!/usr/bin/env python3
"""make_http_queries.py -- the query mix for the HTTP benchmark (queries.txt).

Real queries from baomoi titles (fixed seed, so the list is stable): two or
three consecutive title words with diacritics, the same typed without them,
quoted phrases, and a share of English and province queries such as a
newsroom types. One query per line.

usage: make_http_queries.py BAOMOI_DIR COUNT OUT"""
import os
import random
import sys

from benchlib import strip_marks

ENGLISH = ["digital transformation", "flood", "lychee exports", "Resolution 57",
           "Hanoi traffic", "tourism", "storm", "investment", "rice", "coffee",
           "innovation centre", "science and technology", "Bac Giang", "Da Nang",
           "Ho Chi Minh City", "province merger", "new rural areas", "heritage",
           "Typhoon Yagi", "export", "57-NQ/TW", "covid vaccine", "hospital",
           "education", "startup", "bridge", "highway", "industrial park"]


def title_words(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                break
        else:
            return []
    words = [w.strip(".,:;!?\"'()[]“”‘’…-–") for w in line.split()]
    return [w for w in words if w and any(c.isalpha() for c in w)]


def main():
    src, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    names = sorted(n for n in os.listdir(src) if n.endswith(".txt"))
    rng = random.Random(4242)
    queries, seen = [], set()
    while len(queries) < count:
        kind = rng.random()
        if kind < 0.15:
            q = rng.choice(ENGLISH)
        else:
            words = title_words(os.path.join(src, rng.choice(names)))
            n = rng.choice((2, 2, 3))
            if len(words) < n:
                continue
            i = rng.randrange(len(words) - n + 1)
            q = " ".join(words[i:i + n]).lower()
            if kind < 0.55:
                pass                      # with diacritics
            elif kind < 0.85:
                q = strip_marks(q)        # typed without
            else:
                q = '"' + q + '"'         # a phrase
        if q not in seen or kind < 0.15:
            seen.add(q)
            queries.append(q)
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(queries) + "\n")


if __name__ == "__main__":
    main()
