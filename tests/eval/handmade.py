#!/usr/bin/env python3
"""handmade.py -- hand-made relevance judgements (judgements.tsv) against corpsearch.

Builds a corpsearch index of the sample corpus (corpus/) in a temporary folder
(or searches --index), runs every query in judgements.tsv and prints PASS or
FAIL per judgement with the ranks that decided it, then a summary per category.
A quality report, not a test: the exit status is 0 whenever the judgements
could be run, whatever they say (1 on a broken judgements file or engine).

Usage: tests/eval/handmade.py [--corpsearch build/src/cli/corpsearch]
         [--index DIR] [--judgements FILE] [--json FILE] [--verbose]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CHECKS = ("first", "top", "head", "above", "absent")
DEPTH = 100     # hits fetched per query: the whole sample corpus


class JudgementError(Exception):
    pass


def parse_ids(s):
    ids = [i.strip() for i in s.split(",") if i.strip()]
    if not ids:
        raise JudgementError("no ids")
    return ids


def parse_judgements(path):
    """List of dicts (name, query, check, n, ids, below, why). Raises
    JudgementError naming the line on a malformed one."""
    out, names = [], set()
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            try:
                if len(cols) != 5:
                    raise JudgementError("%d columns, want 5" % len(cols))
                name, query, check, ids, why = cols
                if name in names:
                    raise JudgementError("duplicate name %s" % name)
                names.add(name)
                j = {"name": name, "query": query, "why": why, "n": None, "below": []}
                kind = check.rstrip("0123456789")
                if kind not in CHECKS or (kind in ("top", "head")) != (kind != check):
                    raise JudgementError("unknown check %r" % check)
                j["check"] = kind
                if kind in ("top", "head"):
                    j["n"] = int(check[len(kind):])
                if kind == "above":
                    above, sep, below = ids.partition(">")
                    if not sep:
                        raise JudgementError("'above' wants 'A,B > C,D'")
                    j["ids"], j["below"] = parse_ids(above), parse_ids(below)
                else:
                    j["ids"] = parse_ids(ids)
                out.append(j)
            except (JudgementError, ValueError) as e:
                raise JudgementError("%s:%d: %s" % (path, lineno, e))
    return out


def rank(hits, doc_id):
    return hits.index(doc_id) + 1 if doc_id in hits else None


def judge(j, hits):
    """(passed, detail) for judgement j over the ranked ids `hits`."""
    ids = j["ids"]
    ranks = {i: rank(hits, i) for i in ids + j["below"]}
    shown = ", ".join("%s@%s" % (i, ranks[i] or "-") for i in ids + j["below"])
    if j["check"] == "first":
        return bool(hits) and hits[0] in ids, "first: %s; %s" % (hits[0] if hits else "-", shown)
    if j["check"] == "top":
        return all(ranks[i] and ranks[i] <= j["n"] for i in ids), shown
    if j["check"] == "head":
        n = j["n"] or len(ids)
        head = hits[:n]
        strays = [h for h in head if h not in ids]
        ok = len(head) == n and not strays
        return ok, "first %d: %s" % (n, ", ".join(head)) + \
            ("; not expected: %s" % ", ".join(strays) if strays else "")
    if j["check"] == "above":
        worst = max((ranks[i] or 10 ** 9) for i in ids)
        best_below = min((ranks[i] or 10 ** 9 + 1) for i in j["below"])
        return worst < best_below and worst < 10 ** 9, shown
    if j["check"] == "absent":
        return all(not ranks[i] or ranks[i] > 10 for i in ids), shown
    raise AssertionError(j["check"])


def search(binary, index, query):
    r = subprocess.run([binary, "search", "--index", index, "--json", "--limit", str(DEPTH),
                        "--", query], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("corpsearch search %r failed (exit %d): %s"
                           % (query, r.returncode, r.stderr.strip()))
    return [h["id"] for h in json.loads(r.stdout)["hits"]]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpsearch", default=os.path.join("build", "src", "cli", "corpsearch"),
                    help="corpsearch binary (default build/src/cli/corpsearch)")
    ap.add_argument("--index", help="search this index instead of indexing corpus/ afresh")
    ap.add_argument("--corpus", default=os.path.join(REPO, "corpus"),
                    help="corpus to index (default the repository's corpus/)")
    ap.add_argument("--judgements", default=os.path.join(HERE, "judgements.tsv"))
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--verbose", "-v", action="store_true", help="details for passes too")
    args = ap.parse_args()

    binary = args.corpsearch
    if not os.path.exists(binary) and os.path.exists(os.path.join(REPO, binary)):
        binary = os.path.join(REPO, binary)
    if not os.access(binary, os.X_OK):
        ap.error("no corpsearch binary at %s (--corpsearch PATH)" % binary)
    try:
        judgements = parse_judgements(args.judgements)
    except (OSError, JudgementError) as e:
        sys.exit("handmade: %s" % e)

    tmp = None
    index = args.index
    if not index:
        tmp = tempfile.mkdtemp(prefix="cs-handmade-")
        index = os.path.join(tmp, "index")
        r = subprocess.run([binary, "index", "--index", index, "--quiet", args.corpus])
        if r.returncode not in (0, 3):
            shutil.rmtree(tmp)
            sys.exit("handmade: corpsearch index failed (exit %d)" % r.returncode)
    try:
        cache, results = {}, []
        for j in judgements:
            if j["query"] not in cache:
                cache[j["query"]] = search(binary, index, j["query"])
            ok, detail = judge(j, cache[j["query"]])
            results.append({"name": j["name"], "query": j["query"], "pass": ok,
                            "detail": detail, "why": j["why"],
                            "top5": cache[j["query"]][:5]})
    except RuntimeError as e:
        sys.exit("handmade: %s" % e)
    finally:
        if tmp:
            shutil.rmtree(tmp)

    cats = {}
    for r in results:
        cat = r["name"].split("/")[0]
        cats.setdefault(cat, [0, 0])[0 if r["pass"] else 1] += 1
        print("%s  %-36s %-24s %s" % ("PASS" if r["pass"] else "FAIL", r["name"],
                                      r["query"], r["why"]))
        if not r["pass"] or args.verbose:
            print("        %s" % r["detail"])
            print("        top 5: %s" % ", ".join(r["top5"]))
    print()
    total_pass = sum(r["pass"] for r in results)
    for cat, (p, f) in sorted(cats.items()):
        print("%-8s %3d/%-3d passed" % (cat, p, p + f))
    print("%-8s %3d/%-3d passed" % ("all", total_pass, len(results)))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"passed": total_pass, "total": len(results), "categories": cats,
                       "results": results}, f, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
