/* bench_query.c -- in-process query timing: median, p90, p99 over a query list.
 *
 * usage: bench_query INDEX QUERIES [--facets] [--rounds N] [--limit N]
 * Each query runs once to warm caches, then N rounds; every run is timed
 * (wall clock) and the CPU time of the whole loop is reported per query,
 * which is what bounds a server's throughput (cores / CPU per query). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "searcher.h"

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

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_query INDEX QUERIES [--facets] [--rounds N] [--limit N]\n");
        return 2;
    }
    int facets = 0, rounds = 5;
    unsigned limit = 10;
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "--facets") == 0)
            facets = 1;
        else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc)
            limit = (unsigned)atoi(argv[++i]);
    }
    FILE *f = fopen(argv[2], "r");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    char **queries = NULL, line[1024];
    size_t nq = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (!*line)
            continue;
        queries = realloc(queries, (nq + 1) * sizeof *queries);
        queries[nq++] = strdup(line);
    }
    fclose(f);
    char err[512];
    cs_searcher *s = cs_searcher_open(argv[1], err, sizeof err);
    if (!s) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    double *t = calloc(nq * (size_t)rounds, sizeof *t);
    size_t nt = 0, hits = 0;
    double cpu0 = 0;
    for (int r = -1; r < rounds; r++) {
        if (r == 0)
            cpu0 = now_ms(CLOCK_PROCESS_CPUTIME_ID);
        for (size_t i = 0; i < nq; i++) {
            cs_search_req req = {.query = queries[i], .limit = limit, .facets = facets};
            cs_results *res;
            double t0 = now_ms(CLOCK_MONOTONIC);
            if (cs_search(s, &req, &res, err, sizeof err) < 0) {
                fprintf(stderr, "%s: %s\n", queries[i], err);
                return 1;
            }
            double dt = now_ms(CLOCK_MONOTONIC) - t0;
            if (r >= 0) {
                t[nt++] = dt;
                hits += res->total > 0;
            }
            cs_results_free(res);
        }
    }
    double cpu = (now_ms(CLOCK_PROCESS_CPUTIME_ID) - cpu0) / (double)nt;
    qsort(t, nt, sizeof *t, cmp_double);
    double sum = 0;
    for (size_t i = 0; i < nt; i++)
        sum += t[i];
    printf("queries %zu x %d rounds%s: median %.2f ms, p90 %.2f ms, p99 %.2f ms, "
           "mean %.2f ms, max %.2f ms; CPU %.2f ms/query; %.0f%% with hits\n",
           nq, rounds, facets ? " (facets)" : "", t[nt / 2], t[nt * 9 / 10],
           t[nt * 99 / 100], sum / nt, t[nt - 1], cpu, 100.0 * hits / nt);
    for (size_t i = 0; i < nq; i++)
        free(queries[i]);
    free(queries);
    free(t);
    cs_searcher_close(s);
    return 0;
}
