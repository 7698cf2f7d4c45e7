/* bench_query.c -- in-process corpsearch query timing: median, p90, p99 over
 * a query list.
 *
 * usage: bench_query INDEX QUERIES [--facets] [--rounds N] [--limit N] [--json]
 *                    [--per-query FILE]
 * QUERIES has one query per line, optionally followed by a TAB and filters
 * `key=value;key=value` (province, resolution, lang, from, to), as the
 * search box sends them (bench/queries-mixed.txt). Each query runs once to
 * warm caches, then N rounds; every run is timed (wall clock) and the CPU
 * time of the whole timed loop is reported per query, which is what bounds a
 * server's throughput (cores / CPU per query). Percentiles are nearest-rank,
 * the same definition as bench_xapian.cc and fts5_bench.py use.
 * --per-query writes each query's median time (ms) and 1 if it had hits
 * (else 0), one query a line, in the order of QUERIES (bench/report.py breaks times down by kind with it). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "searcher.h"

/* One line of the query file: the query and its filters, pointing into
 * `line` (owned). */
typedef struct bench_query {
    char *line;
    cs_search_req req;
} bench_query;

static double now_ms(clockid_t clk)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile p (0..1] of the sorted array t[0..n). */
static double percentile(const double *t, size_t n, double p)
{
    size_t i = (size_t)ceil(p * (double)n);
    return t[i ? (i > n ? n : i) - 1 : 0];
}

/* Write each query's median over its rounds (tq holds nq x rounds times,
 * query-major) and whether it had hits (hit[i]) to `path`, "ms 0|1" a line.
 * 0, or -1 with a message on stderr. */
static int write_per_query(const char *path, double *tq, const char *hit, size_t nq,
                           int rounds)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        return -1;
    }
    for (size_t i = 0; i < nq; i++) {
        double *q = tq + i * (size_t)rounds;
        qsort(q, (size_t)rounds, sizeof *q, cmp_double);
        fprintf(f, "%.4f %d\n", percentile(q, (size_t)rounds, 0.5), hit[i]);
    }
    return fclose(f) == 0 ? 0 : -1;
}

/* Split `filters` ("province=X;lang=vi") in place into q->req. Unknown keys
 * and values beyond CS_MAX_FILTER_VALUES are reported and ignored. */
static void parse_filters(bench_query *q, char *filters)
{
    for (char *save = NULL, *kv = strtok_r(filters, ";", &save); kv;
         kv = strtok_r(NULL, ";", &save)) {
        char *v = strchr(kv, '=');
        if (!v) {
            fprintf(stderr, "bench_query: ignoring filter '%s'\n", kv);
            continue;
        }
        *v++ = '\0';
        cs_search_req *r = &q->req;
        if (strcmp(kv, "province") == 0 && r->nprovinces < CS_MAX_FILTER_VALUES)
            r->provinces[r->nprovinces++] = v;
        else if (strcmp(kv, "resolution") == 0 && r->nresolutions < CS_MAX_FILTER_VALUES)
            r->resolutions[r->nresolutions++] = v;
        else if (strcmp(kv, "lang") == 0)
            r->lang = v;
        else if (strcmp(kv, "from") == 0)
            r->from = v;
        else if (strcmp(kv, "to") == 0)
            r->to = v;
        else
            fprintf(stderr, "bench_query: ignoring filter '%s'\n", kv);
    }
}

/* Read the query file. Returns a malloc'd array (free with free_queries) and
 * its length in *n (at least 1), or NULL with a message on stderr (no such
 * file, no queries in it). */
static bench_query *read_queries(const char *path, size_t *n)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return NULL;
    }
    bench_query *qs = NULL;
    char buf[2048];
    *n = 0;
    while (fgets(buf, sizeof buf, f)) {
        buf[strcspn(buf, "\r\n")] = '\0';
        if (!*buf)
            continue;
        bench_query *grown = realloc(qs, (*n + 1) * sizeof *qs);
        if (!grown)
            break;
        qs = grown;
        bench_query *q = &qs[(*n)++];
        memset(q, 0, sizeof *q);
        q->line = strdup(buf);
        char *tab = strchr(q->line, '\t');
        if (tab) {
            *tab = '\0';
            parse_filters(q, tab + 1);
        }
        q->req.query = q->line;
    }
    fclose(f);
    if (*n == 0)
        fprintf(stderr, "bench_query: no queries in %s\n", path);
    return qs;
}

static void free_queries(bench_query *qs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(qs[i].line);
    free(qs);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_query INDEX QUERIES [--facets] [--rounds N] "
                        "[--limit N] [--json] [--per-query FILE]\n");
        return 2;
    }
    int facets = 0, rounds = 5, json = 0;
    const char *per_query = NULL;
    unsigned limit = 10;
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "--facets") == 0)
            facets = 1;
        else if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (strcmp(argv[i], "--per-query") == 0 && i + 1 < argc)
            per_query = argv[++i];
        else if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc)
            limit = (unsigned)atoi(argv[++i]);
        else {
            fprintf(stderr, "bench_query: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (rounds < 1)
        rounds = 1;
    size_t nq;
    bench_query *qs = read_queries(argv[2], &nq);
    if (!qs)
        return 1;
    char err[512];
    cs_searcher *s = cs_searcher_open(argv[1], err, sizeof err);
    if (!s) {
        fprintf(stderr, "%s\n", err);
        free_queries(qs, nq);
        return 1;
    }
    double *t = calloc(nq * (size_t)rounds, sizeof *t);
    double *tq = calloc(nq * (size_t)rounds, sizeof *tq);
    char *hit = calloc(nq, 1);
    size_t nt = 0, hits = 0;
    double cpu0 = 0, wall0 = 0;
    int rc = 1;
    if (!t || !tq || !hit) {
        fprintf(stderr, "bench_query: out of memory\n");
        goto done;
    }
    for (int r = -1; r < rounds; r++) {
        if (r == 0) {
            cpu0 = now_ms(CLOCK_PROCESS_CPUTIME_ID);
            wall0 = now_ms(CLOCK_MONOTONIC);
        }
        for (size_t i = 0; i < nq; i++) {
            cs_search_req req = qs[i].req;
            req.limit = limit;
            req.facets = facets;
            cs_results *res;
            double t0 = now_ms(CLOCK_MONOTONIC);
            if (cs_search(s, &req, &res, err, sizeof err) < 0) {
                fprintf(stderr, "%s: %s\n", qs[i].line, err);
                goto done;
            }
            double dt = now_ms(CLOCK_MONOTONIC) - t0;
            if (r >= 0) {
                t[nt++] = dt;
                tq[i * (size_t)rounds + (size_t)r] = dt;
                hits += res->total > 0;
                hit[i] = res->total > 0;
            }
            cs_results_free(res);
        }
    }
    double cpu = (now_ms(CLOCK_PROCESS_CPUTIME_ID) - cpu0) / (double)nt;
    double wall = (now_ms(CLOCK_MONOTONIC) - wall0) / 1e3;
    qsort(t, nt, sizeof *t, cmp_double);
    double sum = 0;
    for (size_t i = 0; i < nt; i++)
        sum += t[i];
    if (json)
        printf("{\"queries\": %zu, \"rounds\": %d, \"facets\": %s, \"median_ms\": %.4f, "
               "\"p90_ms\": %.4f, \"p99_ms\": %.4f, \"mean_ms\": %.4f, \"max_ms\": %.4f, "
               "\"cpu_ms_per_query\": %.4f, \"wall_s\": %.3f, \"hits_pct\": %.1f}\n",
               nq, rounds, facets ? "true" : "false", percentile(t, nt, 0.5),
               percentile(t, nt, 0.9), percentile(t, nt, 0.99), sum / (double)nt,
               t[nt - 1], cpu, wall, 100.0 * (double)hits / (double)nt);
    else
        printf("queries %zu x %d rounds%s: median %.2f ms, p90 %.2f ms, p99 %.2f ms, "
               "mean %.2f ms, max %.2f ms; CPU %.2f ms/query; %.0f%% with hits\n",
               nq, rounds, facets ? " (facets)" : "", percentile(t, nt, 0.5),
               percentile(t, nt, 0.9), percentile(t, nt, 0.99), sum / (double)nt,
               t[nt - 1], cpu, 100.0 * (double)hits / (double)nt);
    rc = per_query && write_per_query(per_query, tq, hit, nq, rounds) < 0;
done:
    free_queries(qs, nq);
    free(t);
    free(tq);
    free(hit);
    cs_searcher_close(s);
    return rc;
}
