#!/usr/bin/env python3
"""report.py -- turn the measurements bench/run.sh and bench/scaling.sh
collect (one JSON object a line) into one table on stdout and one JSON
object.

usage: report.py RESULTS.jsonl [--json OUT]

Record types ("type" key): machine, corpus, load, index (one per engine and
run), compact, search (one per engine), serve, scaling (one per size).
Medians are taken over the index runs; ratios are each engine's figure
divided by corpsearch's (so an indexing wall-time ratio of 3.0 means the
engine took three times as long as corpsearch). Sizes are apparent sizes in
MiB (du --apparent-size)."""
import json
import statistics
import sys

MiB = 1024 * 1024
NAMES = {"corpsearch": "corpsearch", "omindex": "omindex (Omega)", "fts5": "SQLite FTS5",
         "corpsearch+facets": "corpsearch + facets",
         "xapian": "plain Xapian (quest-style, AND)",
         "xapian-folded": "plain Xapian, our index, folded"}


def load(path):
    recs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                recs.append(json.loads(line))
    return recs


def median(xs):
    return statistics.median(xs) if xs else None


def ratio(a, b):
    return round(a / b, 3) if a is not None and b else None


def indexing(recs, corpus):
    out = {}
    for engine in ("corpsearch", "omindex", "fts5"):
        runs = [r for r in recs if r["type"] == "index" and r["engine"] == engine]
        if not runs:
            continue
        wall = median([r["wall_s"] for r in runs])
        row = {"runs": len(runs), "wall_s": wall, "wall_s_runs": [r["wall_s"] for r in runs],
               "cpu_s": median([r["user_s"] + r["sys_s"] for r in runs]),
               "articles_per_s": corpus["articles"] / wall,
               "mib_per_s": corpus["bytes"] / MiB / wall,
               "peak_rss_mib": median([r["rss_kb"] for r in runs]) / 1024,
               "index_mib": runs[-1]["index_bytes"] / MiB}
        for c in recs:
            if c["type"] == "compact" and c["engine"] == engine:
                row["compacted_mib"] = c["index_bytes"] / MiB
                row["compact_wall_s"] = c["wall_s"]
        out[engine] = row
    cs = out.get("corpsearch", {})
    for row in out.values():
        row["ratio_to_corpsearch"] = {
            "wall_s": ratio(row["wall_s"], cs.get("wall_s")),
            "articles_per_s": ratio(row["articles_per_s"], cs.get("articles_per_s")),
            "peak_rss": ratio(row["peak_rss_mib"], cs.get("peak_rss_mib")),
            "index_size": ratio(row["index_mib"], cs.get("index_mib")),
            "compacted_size": ratio(row.get("compacted_mib"), cs.get("compacted_mib"))}
    return out


def by_kind(recs, out):
    """Per kind of query (bench/queries-mixed.kinds), then all queries, then
    the queries every engine had hits for: count, and per engine the median
    and p99 of the per-query median times and the share with hits. {} when
    the kinds or per-query times are missing."""
    kinds = next((r["kinds"] for r in recs if r["type"] == "kinds"), None)
    if not kinds:
        return {}
    table = {}
    engines = [r["per_query"] for r in out.values()
               if r.get("per_query") and len(r["per_query"]) == len(kinds)]
    groups = [(kind, [i for i, k in enumerate(kinds) if k == kind])
              for kind in dict.fromkeys(kinds)]
    groups.append(("all", list(range(len(kinds)))))
    # like for like: the queries every engine found something for
    groups.append(("hit by all", [i for i in range(len(kinds))
                                  if all(pq[i][1] for pq in engines)]))
    for kind, idx in groups:
        if not idx:
            continue
        row = {"queries": len(idx)}
        for e, r in out.items():
            pq = r.get("per_query")
            if not pq or len(pq) != len(kinds):
                continue
            t = sorted(pq[i][0] for i in idx)
            row[e] = {"median_ms": percentile(t, 0.5), "p99_ms": percentile(t, 0.99),
                      "hits_pct": 100.0 * sum(pq[i][1] for i in idx) / len(idx)}
        table[kind] = row
    return table


def percentile(t, p):
    i = int(-(-p * len(t) // 1))
    return t[min(max(i, 1), len(t)) - 1]


def searching(recs):
    out = {}
    for r in recs:
        if r["type"] == "search":
            out[r["engine"]] = {k: v for k, v in r.items() if k not in ("type", "engine")}
    cs = out.get("corpsearch", {})
    for row in out.values():
        row["ratio_to_corpsearch"] = {"median": ratio(row["median_ms"], cs.get("median_ms")),
                                      "p99": ratio(row["p99_ms"], cs.get("p99_ms"))}
    return out


def fmt(v, spec="%.1f"):
    return "-" if v is None else spec % v


def print_table(res):
    m, c = res.get("machine", {}), res.get("corpus")
    print("corpsearch benchmark suite -- %s" % m.get("date", ""))
    print("machine: %s cores, %s; load at start %s, at end %s" % (
        m.get("nproc"), m.get("cpu_model"), res.get("load_start", "-"), res.get("load_end", "-")))
    if c:
        print("corpus: %s: %d articles, %.1f MiB" % (c["path"], c["articles"], c["bytes"] / MiB))
    ix = res.get("indexing")
    if ix:
        print("\nIndexing (median of %d runs; ratio = engine / corpsearch)" %
              max(r["runs"] for r in ix.values()))
        print("%-20s %8s %8s %7s %7s %9s %9s %10s %8s %8s %8s" % (
            "engine", "wall s", "art/s", "MiB/s", "CPU s", "peak MiB", "index MiB",
            "compacted", "wall x", "RSS x", "compct x"))
        for e, r in ix.items():
            q = r["ratio_to_corpsearch"]
            print("%-20s %8.1f %8.0f %7.2f %7.1f %9.0f %9.0f %10s %8s %8s %8s" % (
                NAMES[e], r["wall_s"], r["articles_per_s"], r["mib_per_s"], r["cpu_s"],
                r["peak_rss_mib"], r["index_mib"], fmt(r.get("compacted_mib"), "%.0f"),
                fmt(q["wall_s"], "%.2f"), fmt(q["peak_rss"], "%.2f"),
                fmt(q["compacted_size"], "%.2f")))
        print("  (wall runs: %s)" % "; ".join(
            "%s %s" % (e, ", ".join("%.1f" % w for w in r["wall_s_runs"])) for e, r in ix.items()))
    se = res.get("searching")
    if se:
        any_row = next(iter(se.values()))
        print("\nSearching (%d queries x %d rounds after a warm-up round, one thread, "
              "top 10; ratio = engine / corpsearch)" % (any_row["queries"], any_row["rounds"]))
        print("%-32s %8s %8s %8s %8s %8s %6s %8s %8s" % (
            "engine", "median", "p90", "p99", "mean", "CPU/q", "hits%", "med x", "p99 x"))
        for e, r in se.items():
            q = r["ratio_to_corpsearch"]
            print("%-32s %8.3f %8.3f %8.3f %8.3f %8.3f %6.0f %8s %8s" % (
                NAMES.get(e, e), r["median_ms"], r["p90_ms"], r["p99_ms"], r["mean_ms"],
                r["cpu_ms_per_query"], r["hits_pct"], fmt(q["median"], "%.2f"),
                fmt(q["p99"], "%.2f")))
        print("  (times in ms; hits% = share of queries with at least one hit)")
        kinds = res.get("search_by_kind")
        if kinds:
            engines = [e for e in se if e in next(iter(kinds.values()))]
            print("\nSearch time by kind of query: median of the per-query medians, ms "
                  "(hits%)")
            print("%-11s %4s " % ("kind", "n") + " ".join("%20s" % e for e in engines))
            for kind, row in kinds.items():
                print("%-11s %4d " % (kind, row["queries"]) + " ".join(
                    "%20s" % ("%.3f (%3.0f%%)" % (row[e]["median_ms"], row[e]["hits_pct"]))
                    for e in engines))
    sv = res.get("serving")
    if sv:
        print("\nServing (wrk, %s s, facets on, same queries)" % sv.get("seconds"))
        print("  %.0f requests/s, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.1f ms; errors: "
              "connect %d, read %d, write %d, timeout %d, non-2xx %d" % (
                  sv["rps"], sv["p50_ms"], sv["p90_ms"], sv["p99_ms"], sv["max_ms"],
                  sv["errors_connect"], sv["errors_read"], sv["errors_write"],
                  sv["errors_timeout"], sv["non2xx"]))
        print("  ceiling: %d cores / %.3f ms CPU per query in-process = %.0f/s; daemon at "
              "%.0f%% of it; daemon CPU %.3f ms/request; wrk used %.2f cores" % (
                  sv["cores"], sv["inproc_cpu_ms_per_query"], sv["ceiling_rps"],
                  100 * sv["rps"] / sv["ceiling_rps"], sv["daemon_cpu_ms_per_request"],
                  sv["wrk_cores"]))
        if sv.get("search_row_ceiling_rps"):
            print("  from the search row's CPU (%.3f ms/query): ceiling %.0f/s; daemon at "
                  "%.0f%% of it" % (sv["search_row_cpu_ms_per_query"],
                                    sv["search_row_ceiling_rps"],
                                    100 * sv["rps"] / sv["search_row_ceiling_rps"]))
    sc = res.get("scaling")
    if sc:
        print("\nScaling (corpsearch on synthetic corpora from bench/gen_corpus.py; "
              "search with facets)")
        print("%12s %9s %8s %8s %9s %9s %10s %8s %8s %8s %8s %8s %8s" % (
            "articles", "MiB", "wall s", "art/s", "peak MiB", "index MiB", "compacted",
            "median", "p99", "nf med", "nf p99", "xf med", "xf p99"))
        for r in sc:
            f, n = r.get("search_facets", {}), r.get("search", {})
            x = r.get("search_xapian_folded", {})
            print("%12s %9.0f %8.1f %8.0f %9.0f %9.0f %10s %8s %8s %8s %8s %8s %8s" % (
                "%d%s" % (r["articles"], "+pairs" if r.get("phrase_pairs") else ""),
                r["corpus_bytes"] / MiB, r["wall_s"], r["articles"] / r["wall_s"],
                r["rss_kb"] / 1024, r["index_bytes"] / MiB,
                fmt(r.get("compact_bytes") and r["compact_bytes"] / MiB, "%.0f"),
                fmt(f.get("median_ms"), "%.2f"), fmt(f.get("p99_ms"), "%.2f"),
                fmt(n.get("median_ms"), "%.2f"), fmt(n.get("p99_ms"), "%.2f"),
                fmt(x.get("median_ms"), "%.2f"), fmt(x.get("p99_ms"), "%.2f")))
        print("  (search times in ms; nf = without facets; xf = plain Xapian AND over the "
              "same index's folded words, one thread;\n   +pairs: indexed with --phrase-pairs)")


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    out = None
    if "--json" in args:
        i = args.index("--json")
        out = args[i + 1]
        del args[i:i + 2]
    recs = load(args[0])
    res = {}
    for r in recs:
        if r["type"] == "machine":
            res["machine"] = {k: v for k, v in r.items() if k != "type"}
        elif r["type"] == "corpus":
            res["corpus"] = {k: v for k, v in r.items() if k != "type"}
        elif r["type"] == "load":
            res["load_" + r["when"]] = r["load"]
        elif r["type"] == "serve":
            res["serving"] = {k: v for k, v in r.items() if k != "type"}
        elif r["type"] == "scaling":
            res.setdefault("scaling", []).append({k: v for k, v in r.items() if k != "type"})
    if "corpus" in res:
        ix = indexing(recs, res["corpus"])
        if ix:
            res["indexing"] = ix
    se = searching(recs)
    if se:
        res["search_by_kind"] = by_kind(recs, se)
        for r in se.values():
            r.pop("per_query", None)
        res["searching"] = se
    # The serving step measures its own CPU per query just after wrk; the
    # search row measured the same queries earlier in the run. The two have
    # differed by 14% on this VM: the ceiling is given from both.
    row = (se or {}).get("corpsearch+facets", {})
    if "serving" in res and row.get("cpu_ms_per_query"):
        sv = res["serving"]
        sv["search_row_cpu_ms_per_query"] = row["cpu_ms_per_query"]
        sv["search_row_ceiling_rps"] = round(sv["cores"] * 1000.0 / row["cpu_ms_per_query"], 1)
    print_table(res)
    if out:
        with open(out, "w", encoding="utf-8") as f:
            json.dump(res, f, indent=1, ensure_ascii=False)
            f.write("\n")
        print("\nJSON written to " + out)


if __name__ == "__main__":
    main()
