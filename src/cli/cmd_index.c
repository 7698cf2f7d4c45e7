/* cmd_index.c -- `corpsearch index`: read articles and write them to the index. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "indexer.h"
#include "reader.h"

static const char usage[] =
    "usage: corpsearch index [--index DIR] [--shards N] [--batch N] [--quiet] PATH...\n"
    "\n"
    "Index articles from files and folders (recursively): .txt articles (title on\n"
    "the first line, optional '# key = value' header lines) and .jsonl feeds (one\n"
    "JSON object per line: id, title, body, optional url, date, province, lang).\n"
    "PATH '-' reads JSON Lines from standard input. Re-indexing an article replaces\n"
    "it; articles whose content has not changed are skipped.\n"
    "\n"
    "  --index DIR   index folder (default: $CORPSEARCH_INDEX, else ./index)\n"
    "  --shards N    shards (and writer threads) for a new index (default 2)\n"
    "  --batch N     commit every N articles per shard (default 5000)\n"
    "  --quiet       no progress or summary (warnings still go to stderr)\n"
    "\n"
    "Bad input (invalid UTF-8, binary or empty files, over-large articles, bad JSON\n"
    "lines) is reported on stderr, one line each, and the rest is indexed.\n"
    "Exit status: 0 all indexed, 3 some input skipped, 1 failure, 2 usage error.\n";

typedef struct job {
    cs_indexer *ix;
    int quiet;
    int progress;          /* stderr is a terminal */
    size_t queued;
    double t0, last_report;
    int stopped;           /* the indexer failed; stop reading */
} job;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void on_warning(const char *where, const char *msg, int skipped, void *ud)
{
    job *j = ud;
    if (j->progress)
        fputs("\r\033[K", stderr);
    fprintf(stderr, "corpsearch: %s: %s: %s\n", skipped ? "skipped" : "warning", where, msg);
}

static void on_index_error(const char *source, const char *msg, void *ud)
{
    (void)ud;
    fprintf(stderr, "corpsearch: failed: %s: %s\n", source, msg);
}

static int on_article(cs_article *a, void *ud)
{
    job *j = ud;
    if (cs_indexer_add(j->ix, a) < 0) {
        j->stopped = 1;
        return 1;
    }
    j->queued++;
    if (j->progress && !j->quiet && (j->queued & 255) == 0) {
        double t = now_s();
        if (t - j->last_report > 0.2) {
            fprintf(stderr, "\r\033[K%zu articles, %.0f/s", j->queued,
                    j->queued / (t - j->t0));
            j->last_report = t;
        }
    }
    return 0;
}

int cmd_index(int argc, char **argv)
{
    static const struct option opts[] = {
        {"index", required_argument, 0, 'i'}, {"shards", required_argument, 0, 's'},
        {"batch", required_argument, 0, 'b'}, {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *dir = NULL;
    cs_index_opts io = {0};
    job j = {0};
    int c;
    long v;
    while ((c = getopt_long(argc, argv, "i:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'i': dir = optarg; break;
        case 'q': j.quiet = 1; break;
        case 's':
            if ((v = cli_parse_count(optarg, 16)) < 1) {
                cli_error("--shards takes a number from 1 to 16");
                return EXIT_USAGE;
            }
            io.shards = (unsigned)v;
            break;
        case 'b':
            if ((v = cli_parse_count(optarg, 10000000)) < 1) {
                cli_error("--batch takes a positive number");
                return EXIT_USAGE;
            }
            io.batch_docs = (unsigned)v;
            break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: fputs(usage, stderr); return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        cli_error("index: no PATH given");
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    dir = cli_index_dir(dir);
    char err[1024];
    j.ix = cs_indexer_open(dir, &io, on_index_error, &j, err, sizeof err);
    if (!j.ix) {
        cli_error("%s", err);
        return EXIT_FAILURE_;
    }
    j.progress = isatty(2);
    j.t0 = now_s();
    cs_reader r = {.on_article = on_article, .on_warning = on_warning, .ud = &j};
    int unreadable = 0;
    for (int i = optind; i < argc && !j.stopped; i++) {
        int rc = strcmp(argv[i], "-") == 0 ? cs_read_jsonl_stream(&r, stdin, "<stdin>")
                                           : cs_read_path(&r, argv[i]);
        if (rc < 0)
            unreadable++;
    }
    cs_index_counts n;
    int rc = cs_indexer_finish(j.ix, &n, err, sizeof err);
    double secs = now_s() - j.t0;
    if (j.progress && !j.quiet)
        fputs("\r\033[K", stderr);
    if (rc < 0)
        cli_error("%s", err);
    if (!j.quiet) {
        size_t done = n.added + n.updated + n.unchanged;
        printf("indexed %zu articles in %.1f s (%.0f articles/s): %zu added, %zu updated, "
               "%zu unchanged, %zu skipped, %zu repaired, %zu failed\n",
               done, secs, secs > 0 ? done / secs : 0.0, n.added, n.updated, n.unchanged,
               r.stats.skipped + (size_t)unreadable, r.stats.repaired, n.failed);
    }
    if (rc < 0 || j.stopped)
        return EXIT_FAILURE_;
    if (r.stats.skipped || unreadable || n.failed)
        return EXIT_SKIPPED;
    return EXIT_OK;
}
