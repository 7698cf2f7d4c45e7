#!/usr/bin/env python3
"""anchor_queries.py -- the suite's queries as the anchors (plain Xapian over
omindex, SQLite FTS5) can run them.

The suite's lines are `query<TAB>key=value;...` (bench/queries-mixed.txt).
The anchors extract no metadata, so the nearest thing a user of them would
type for a filter is the name itself: a province or resolution filter
becomes a quoted phrase ANDed to the query (`lũ<TAB>province=Quảng Ngãi` ->
`lũ "Quảng Ngãi"`). `lang`, `from` and `to` have no text equivalent and are
dropped. Queries without filters are copied unchanged.

usage: anchor_queries.py IN OUT"""
import sys


def convert(line):
    q, _, filters = line.partition("\t")
    extra = []
    for kv in filter(None, filters.split(";")):
        k, _, v = kv.partition("=")
        if k in ("province", "resolution") and v:
            extra.append('"%s"' % v.replace('"', ""))
    return " ".join([q] + extra)


def main():
    src, out = sys.argv[1], sys.argv[2]
    with open(src, encoding="utf-8") as f:
        lines = [ln.rstrip("\n") for ln in f if ln.strip()]
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(convert(ln) for ln in lines) + "\n")


if __name__ == "__main__":
    main()
