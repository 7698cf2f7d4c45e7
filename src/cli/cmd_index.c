/* cmd_index.c -- `corpsearch index` and `corpsearch compact`: write the index. */
#include <dirent.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "indexer.h"
#include "reader.h"

static const char usage[] =
    "usage: corpsearch index [OPTIONS] PATH...\n"
    "\n"
    "Index articles from files and folders (recursively): .txt articles (title on\n"
    "the first line, optional '# key = value' header lines) and .jsonl feeds (one\n"
    "JSON object per line: id, title, body, optional url, date, province, lang).\n"
    "PATH '-' reads JSON Lines from standard input.\n"
    "\n"
    "Incremental: articles whose content is unchanged (same hash) are skipped,\n"
    "changed ones replaced; nothing is ever duplicated. Readers keep searching\n"
    "while a job runs; one job writes an index at a time.\n"
    "\n"
    "  --index DIR     index folder (default: $CORPSEARCH_INDEX, else ./index)\n"
    "  --prune         remove articles whose source file (or JSON line) is gone\n"
    "                  from the PATHs given\n"
    "  --rebuild       build a fresh index beside the live one and swap it in\n"
    "                  atomically when complete (readers see the old one until then)\n"
    "  --dry-run       report what would be added, updated, removed; write nothing\n"
    "  --wait          wait for another job on this index instead of failing\n"
    "  --shards N      shards (and writer threads) for a new index (default 2)\n"
    "  --phrase-pairs  a new index (first build or --rebuild) also holds the\n"
    "                  adjacent pairs of common words as terms: quoted phrases of\n"
    "                  common words get much faster on big indexes, for an index\n"
    "                  about 10% bigger. Kept by later runs and rebuilds\n"
    "  --no-phrase-pairs  with --rebuild: drop them\n"
    "  --batch N       commit every N articles per shard (default 250, growing\n"
    "                  with the shard to 1000: big shards commit less often)\n"
    "  --batch-mb M    ... or every M megabytes of text per shard (default 8)\n"
    "  --json          print the summary as JSON\n"
    "  --quiet         no progress or summary (warnings still go to stderr)\n"
    "\n"
    "Progress: a bar on a terminal, else a log line every 10 seconds.\n"
    "Bad input (invalid UTF-8, binary or empty files, over-large articles, bad JSON\n"
    "lines) is reported on stderr, one line each, and the rest is indexed.\n"
    "Exit status: 0 all indexed, 3 some input skipped, 1 failure (including\n"
    "another job holding the index), 2 usage error.\n";

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

/* Skips tallied by reason for the summary ("binary file": 2, ...). */
#define MAX_REASONS 16

typedef struct reason {
    char text[64];
    size_t count;
} reason;

typedef struct job {
    reason reasons[MAX_REASONS];
    size_t nreasons;
    cs_indexer *ix;
    int quiet;
    int tty;               /* stderr is a terminal: a progress bar */
    size_t total;          /* articles expected (for the bar), 0 unknown */
    double t0, last_report;
    int stopped;           /* the indexer failed; stop reading */
    int bar_shown;
} job;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void clear_bar(job *j)
{
    if (j->bar_shown) {
        fputs("\r\033[K", stderr);
        j->bar_shown = 0;
    }
}

/* The reason of a skip message: its text before any detail in
 * parentheses or after a colon ("article too large (9437184 bytes, ...)" ->
 * "article too large"). Reasons past MAX_REASONS count as "other". */
static void tally_reason(job *j, const char *msg)
{
    char r[64];
    size_t n = strcspn(msg, "(:");
    while (n && msg[n - 1] == ' ')
        n--;
    if (n >= sizeof r)
        n = sizeof r - 1;
    memcpy(r, msg, n);
    r[n] = '\0';
    for (size_t i = 0; i < j->nreasons; i++)
        if (strcmp(j->reasons[i].text, r) == 0) {
            j->reasons[i].count++;
            return;
        }
    if (j->nreasons == MAX_REASONS) {
        j->reasons[MAX_REASONS - 1].count++;
        snprintf(j->reasons[MAX_REASONS - 1].text, sizeof r, "other");
        return;
    }
    snprintf(j->reasons[j->nreasons].text, sizeof r, "%s", r);
    j->reasons[j->nreasons++].count = 1;
}

static void on_warning(const char *where, const char *msg, int skipped, void *ud)
{
    job *j = ud;
    if (skipped)
        tally_reason(j, msg);
    clear_bar(j);
    fprintf(stderr, "corpsearch: %s: %s: %s\n", skipped ? "skipped" : "warning", where, msg);
}

static void on_index_error(const char *source, const char *msg, void *ud)
{
    (void)ud;
    fprintf(stderr, "corpsearch: failed: %s: %s\n", source, msg);
}

/* A bar on a terminal (done/total, rate, ETA), a log line every 10 s
 * elsewhere, nothing with --quiet. */
static void report_progress(job *j, int final)
{
    double t = now_s();
    if (j->quiet || (!final && t - j->last_report < (j->tty ? 0.2 : 10.0)))
        return;
    j->last_report = t;
    size_t queued, done;
    cs_indexer_progress(j->ix, &queued, &done);
    double rate = t > j->t0 ? done / (t - j->t0) : 0;
    if (!j->tty) {
        if (!final)
            fprintf(stderr, "corpsearch: indexed %zu articles (%.0f/s)\n", done, rate);
        return;
    }
    if (final) {
        clear_bar(j);
        return;
    }
    size_t total = j->total > queued ? j->total : queued;
    int width = 30, filled = total ? (int)(width * (double)done / total) : 0;
    char bar[64];
    memset(bar, '#', (size_t)filled);
    memset(bar + filled, '.', (size_t)(width - filled));
    bar[width] = '\0';
    double eta = rate > 0 && total > done ? (total - done) / rate : 0;
    fprintf(stderr, "\r\033[K[%s] %zu/%zu articles, %.0f/s, ETA %.0f s", bar, done, total,
            rate, eta);
    j->bar_shown = 1;
}

static int on_article(cs_article *a, void *ud)
{
    job *j = ud;
    if (interrupted || cs_indexer_add(j->ix, a) < 0) {
        if (interrupted)
            cs_article_free(a);
        j->stopped = 1;
        return 1;
    }
    report_progress(j, 0);
    return 0;
}

/* Articles under `path`, for the progress bar: .txt files plus lines of
 * .jsonl files. Cheap next to indexing (names and newlines only). */
static size_t count_articles(const char *path, int depth)
{
    struct stat st;
    if (depth > 64 || stat(path, &st) != 0)
        return 0;
    size_t n = strlen(path);
    if (!S_ISDIR(st.st_mode)) {
        if (n < 6 || strcmp(path + n - 6, ".jsonl") != 0)
            return 1;
        FILE *f = fopen(path, "r");
        size_t lines = 0;
        int c;
        while (f && (c = getc_unlocked(f)) != EOF)
            lines += c == '\n';
        if (f)
            fclose(f);
        return lines;
    }
    size_t total = 0;
    DIR *d = opendir(path);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        const char *name = de->d_name;
        size_t l = strlen(name);
        if (name[0] == '.')
            continue;
        char *p;
        if (asprintf(&p, "%s/%s", path, name) < 0)
            break;
        if (de->d_type == DT_DIR || (l > 6 && strcmp(name + l - 6, ".jsonl") == 0) ||
            de->d_type == DT_UNKNOWN)
            total += count_articles(p, depth + 1);
        else if (l > 4 && strcmp(name + l - 4, ".txt") == 0)
            total++;
        free(p);
    }
    if (d)
        closedir(d);
    return total;
}

static void print_summary(const job *j, const cs_index_counts *n, const cs_reader_stats *rs,
                          double secs, int dry_run, int json)
{
    size_t done = n->added + n->updated + n->unchanged;
    size_t skipped = rs->skipped;   /* includes paths that could not be read */
    if (json) {
        json_t *o = json_pack("{s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:f, s:f}",
                              "dry_run", dry_run, "added", (json_int_t)n->added,
                              "updated", (json_int_t)n->updated,
                              "unchanged", (json_int_t)n->unchanged,
                              "removed", (json_int_t)n->removed,
                              "skipped", (json_int_t)skipped,
                              "repaired", (json_int_t)rs->repaired,
                              "failed", (json_int_t)n->failed, "seconds", secs,
                              "articles_per_second", secs > 0 ? done / secs : 0.0);
        json_t *why = json_object();
        for (size_t i = 0; i < j->nreasons; i++)
            json_object_set_new(why, j->reasons[i].text, json_integer((json_int_t)j->reasons[i].count));
        json_object_set_new(o, "skipped_reasons", why);
        json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
        putchar('\n');
        json_decref(o);
        return;
    }
    printf("%s%zu article%s in %.1f s (%.0f articles/s): %zu added, %zu updated, "
           "%zu unchanged, %zu removed, %zu skipped, %zu repaired, %zu failed\n",
           dry_run ? "dry run, nothing written: " : "indexed ", done, done == 1 ? "" : "s",
           secs, secs > 0 ? done / secs : 0.0, n->added, n->updated, n->unchanged,
           n->removed, skipped, rs->repaired, n->failed);
    if (j->nreasons) {
        printf("skipped:");
        for (size_t i = 0; i < j->nreasons; i++)
            printf("%s %s (%zu)", i ? "," : "", j->reasons[i].text, j->reasons[i].count);
        putchar('\n');
    }
}

/* Long-only options get codes above the ASCII range. */
enum { OPT_SHARDS = 256, OPT_BATCH, OPT_BATCH_MB, OPT_PRUNE, OPT_REBUILD, OPT_DRY_RUN,
       OPT_WAIT, OPT_JSON, OPT_JSONL, OPT_PAIRS, OPT_NO_PAIRS };

/* Parses the options into *io and *j. Returns -1 to go on, else an exit status. */
static int parse_options(int argc, char **argv, cs_index_opts *io, job *j,
                         const char **dir, int *json, int *prune)
{
    static const struct option opts[] = {
        {"index", required_argument, 0, 'i'}, {"shards", required_argument, 0, OPT_SHARDS},
        {"batch", required_argument, 0, OPT_BATCH}, {"batch-mb", required_argument, 0, OPT_BATCH_MB},
        {"prune", no_argument, 0, OPT_PRUNE}, {"rebuild", no_argument, 0, OPT_REBUILD},
        {"dry-run", no_argument, 0, OPT_DRY_RUN}, {"wait", no_argument, 0, OPT_WAIT},
        {"json", no_argument, 0, OPT_JSON}, {"jsonl", no_argument, 0, OPT_JSONL},
        {"phrase-pairs", no_argument, 0, OPT_PAIRS},
        {"no-phrase-pairs", no_argument, 0, OPT_NO_PAIRS},
        {"quiet", no_argument, 0, 'q'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    long v;
    while ((c = getopt_long(argc, argv, "i:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'i': *dir = optarg; break;
        case 'q': j->quiet = 1; break;
        case OPT_PRUNE: *prune = 1; break;
        case OPT_REBUILD: io->rebuild = 1; break;
        case OPT_DRY_RUN: io->dry_run = 1; break;
        case OPT_WAIT: io->wait = 1; break;
        case OPT_PAIRS:
        case OPT_NO_PAIRS:
            if (io->phrase_pairs == (c == OPT_PAIRS ? -1 : 1)) {
                cli_error("--phrase-pairs and --no-phrase-pairs cannot be used together");
                return EXIT_USAGE;
            }
            io->phrase_pairs = c == OPT_PAIRS ? 1 : -1;
            break;
        case OPT_JSON: *json = 1; break;
        case OPT_JSONL: break;   /* '-' is always JSON Lines; accepted for clarity */
        case OPT_SHARDS:
            if ((v = cli_parse_count(optarg, 16)) < 1) {
                cli_error("--shards takes a number from 1 to 16");
                return EXIT_USAGE;
            }
            io->shards = (unsigned)v;
            break;
        case OPT_BATCH:
        case OPT_BATCH_MB:
            if ((v = cli_parse_count(optarg, 10000000)) < 1) {
                cli_error("--%s takes a positive number", c == OPT_BATCH ? "batch" : "batch-mb");
                return EXIT_USAGE;
            }
            if (c == OPT_BATCH)
                io->batch_docs = (unsigned)v;
            else
                io->batch_bytes = (size_t)v * 1024 * 1024;
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
    return -1;
}

int cmd_index(int argc, char **argv)
{
    const char *dir = NULL;
    cs_index_opts io = {0};
    job j = {0};
    int json = 0, prune = 0;
    int rc = parse_options(argc, argv, &io, &j, &dir, &json, &prune);
    if (rc >= 0)
        return rc;
    dir = cli_index_dir(dir);
    /* Absolute roots: stored as each article's source, which --prune and
     * messages rely on. A path that does not resolve is passed as given and
     * the reader reports it. */
    int npaths = argc - optind;
    char **roots = calloc((size_t)npaths, sizeof *roots);
    const char **prune_roots = calloc((size_t)npaths, sizeof *prune_roots);
    if (!roots || !prune_roots) {
        cli_error("out of memory");
        free(roots);
        free(prune_roots);
        return EXIT_FAILURE_;
    }
    for (int i = 0; i < npaths; i++) {
        const char *p = argv[optind + i];
        roots[i] = strcmp(p, "-") == 0 ? NULL : realpath(p, NULL);
        /* Standard input and paths that do not resolve have no files to
         * prune against. */
        if (prune && roots[i])
            prune_roots[io.nprune_roots++] = roots[i];
    }
    io.prune_roots = prune_roots;

    char err[1024];
    j.ix = cs_indexer_open(dir, &io, on_index_error, &j, err, sizeof err);
    if (!j.ix) {
        cli_error("%s", err);
        for (int i = 0; i < npaths; i++)
            free(roots[i]);
        free(roots);
        free(prune_roots);
        return EXIT_FAILURE_;
    }
    if (cs_indexer_warning(j.ix))
        on_warning(dir, cs_indexer_warning(j.ix), 0, &j);
    j.tty = isatty(2);
    if (j.tty && !j.quiet)
        for (int i = 0; i < npaths; i++)
            j.total += roots[i] ? count_articles(roots[i], 0) : 0;
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    j.t0 = j.last_report = now_s();
    cs_reader r = {.on_article = on_article, .on_warning = on_warning, .ud = &j};
    size_t unreadable = 0;
    for (int i = 0; i < npaths && !j.stopped; i++) {
        const char *p = argv[optind + i];
        int got = strcmp(p, "-") == 0 ? cs_read_jsonl_stream(&r, stdin, "<stdin>")
                                      : cs_read_path(&r, roots[i] ? roots[i] : p);
        unreadable += got < 0;
    }
    report_progress(&j, 1);
    cs_index_counts n;
    /* Abandoning skips pruning (an incomplete read would remove what was not
     * read) and throws away an unfinished rebuild. */
    rc = cs_indexer_finish(j.ix, interrupted || j.stopped, &n, err, sizeof err);
    double secs = now_s() - j.t0;
    clear_bar(&j);
    if (rc < 0)
        cli_error("%s", err);
    if (interrupted)
        cli_error("interrupted: committed what was indexed%s",
                  io.rebuild ? "; the rebuild was abandoned, the old index is unchanged" : "");
    if (!j.quiet)
        print_summary(&j, &n, &r.stats, secs, io.dry_run, json);
    for (int i = 0; i < npaths; i++)
        free(roots[i]);
    free(roots);
    free(prune_roots);
    if (rc < 0 || j.stopped || interrupted)
        return EXIT_FAILURE_;
    if (r.stats.skipped || unreadable || n.failed)
        return EXIT_SKIPPED;
    return EXIT_OK;
}

int cmd_compact(int argc, char **argv)
{
    static const char cusage[] =
        "usage: corpsearch compact [--index DIR] [--wait]\n"
        "Compact the index (Xapian's compaction, merging its shards into one\n"
        "database, which searches faster) into a new generation and swap it in\n"
        "atomically; searches go on meanwhile. Later incremental runs write that\n"
        "one shard; --rebuild shards again.\n";
    static const struct option opts[] = {
        {"index", required_argument, 0, 'i'}, {"wait", no_argument, 0, 'w'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *dir = NULL;
    int wait = 0, c;
    while ((c = getopt_long(argc, argv, "i:h", opts, NULL)) != -1) {
        switch (c) {
        case 'i': dir = optarg; break;
        case 'w': wait = 1; break;
        case 'h': fputs(cusage, stdout); return EXIT_OK;
        default: fputs(cusage, stderr); return EXIT_USAGE;
        }
    }
    if (optind != argc) {
        cli_error("compact takes no arguments");
        return EXIT_USAGE;
    }
    char err[1024];
    double t0 = now_s();
    if (cs_index_compact(cli_index_dir(dir), wait, err, sizeof err) < 0) {
        cli_error("%s", err);
        return EXIT_FAILURE_;
    }
    printf("compacted %s in %.1f s\n", cli_index_dir(dir), now_s() - t0);
    return EXIT_OK;
}
