#!/usr/bin/env python3
"""make_queries.py -- real queries for the benchmarks, from baomoi titles.

Picks titles at random (fixed seed, so the list is stable), takes 2 or 3
consecutive words of each, and writes one query per line; half keep their
diacritics, half are typed without (as journalists often do).

usage: make_queries.py BAOMOI_DIR COUNT OUT"""
import os
import random
import sys

from benchlib import strip_marks


def main():
    src, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    names = sorted(n for n in os.listdir(src) if n.endswith(".txt"))
    rng = random.Random(20261124)
    queries = []
    while len(queries) < count:
        with open(os.path.join(src, rng.choice(names)), encoding="utf-8") as f:
            words = [w.strip(".,:;!?\"'()[]“”") for w in f.readline().split()]
        words = [w for w in words if w and any(c.isalpha() for c in w)]
        n = rng.choice((2, 3))
        if len(words) < n:
            continue
        i = rng.randrange(len(words) - n + 1)
        q = " ".join(words[i:i + n]).lower()
        queries.append(strip_marks(q) if len(queries) % 2 else q)
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(queries) + "\n")


if __name__ == "__main__":
    main()
