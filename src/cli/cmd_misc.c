/* cmd_misc.c -- `corpsearch show` and `corpsearch stats`. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "searcher.h"
#include "synonyms.h"

/* Options shared by show and stats: --index, --json, --help. Returns -1 to
 * go on, else the exit status. */
static int common_opts(int argc, char **argv, const char *usage,
                       const char **dir, int *json)
{
    static const struct option opts[] = {
        {"index", required_argument, 0, 'i'}, {"json", no_argument, 0, 'j'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "i:jh", opts, NULL)) != -1) {
        switch (c) {
        case 'i': *dir = optarg; break;
        case 'j': *json = 1; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: fputs(usage, stderr); return EXIT_USAGE;
        }
    }
    *dir = cli_index_dir(*dir);
    return -1;
}

static void print_list(const char *label, char *const *list, size_t n)
{
    if (n == 0)
        return;
    printf("%s:", label);
    for (size_t i = 0; i < n; i++)
        printf("%s%s", i ? ", " : " ", list[i]);
    putchar('\n');
}

int cmd_show(int argc, char **argv)
{
    static const char usage[] =
        "usage: corpsearch show [--index DIR] [--json] ID\n"
        "Print one article: title, id, date, language, url and text.\n";
    const char *dir = NULL;
    int json = 0;
    int rc = common_opts(argc, argv, usage, &dir, &json);
    if (rc >= 0)
        return rc;
    if (optind + 1 != argc) {
        cli_error("show: give exactly one ID");
        return EXIT_USAGE;
    }
    const char *id = argv[optind];
    char err[1024];
    cs_searcher *s = cs_searcher_open(dir, err, sizeof err);
    if (!s) {
        cli_error("%s", err);
        return EXIT_FAILURE_;
    }
    cs_article *a = NULL;
    int found = cs_searcher_get(s, id, &a, err, sizeof err);
    rc = EXIT_OK;
    if (found < 0) {
        cli_error("%s", err);
        rc = EXIT_FAILURE_;
    } else if (found == 0) {
        cli_error("no article with id '%s'", id);
        rc = EXIT_FAILURE_;
    } else if (json) {
        json_t *o = cs_article_json(a);
        json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        putchar('\n');
        json_decref(o);
    } else {
        printf("%s\n\nid: %s\ndate: %s\nlanguage: %s\n", a->title, a->id,
               a->date ? a->date : "-", a->lang ? a->lang : "-");
        if (a->url)
            printf("url: %s\n", a->url);
        print_list("provinces", a->provinces, a->nprovinces);
        print_list("resolutions", a->resolutions, a->nresolutions);
        print_list("documents", a->documents, a->ndocuments);
        printf("\n%s\n", a->body);
    }
    cs_article_free(a);
    cs_searcher_close(s);
    return rc;
}

int cmd_stats(int argc, char **argv)
{
    static const char usage[] =
        "usage: corpsearch stats [--index DIR] [--json]\n"
        "Article count, distinct terms, size on disk, the last update, and how\n"
        "phrases and synonyms are searched (phrase pairs, synonym terms).\n";
    const char *dir = NULL;
    int json = 0;
    int rc = common_opts(argc, argv, usage, &dir, &json);
    if (rc >= 0)
        return rc;
    if (optind != argc) {
        cli_error("stats takes no arguments");
        return EXIT_USAGE;
    }
    char err[1024];
    cs_searcher *s = cs_searcher_open(dir, err, sizeof err);
    cs_index_stats st;
    if (!s || cs_searcher_stats(s, &st, err, sizeof err) < 0) {
        cli_error("%s", err);
        cs_searcher_close(s);
        return EXIT_FAILURE_;
    }
    if (json) {
        json_t *o = json_pack("{s:s, s:I, s:o, s:i, s:o, s:I, s:f, s:I, s:I, s:i, s:b, s:s}",
                              "index", dir,
                              "articles", (json_int_t)st.articles,
                              "generation", *st.generation ? json_string(st.generation) : json_null(),
                              "shards", (int)st.shards,
                              "updated", *st.updated ? json_string(st.updated) : json_null(),
                              "terms", (json_int_t)st.terms,
                              "avg_length", st.avg_length, "bytes", (json_int_t)st.bytes,
                              "folder_bytes", (json_int_t)st.folder_bytes,
                              "phrase_pair_words", (int)st.pair_words,
                              "synonym_terms", st.synonym_terms,
                              "xapian", st.version);
        json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        putchar('\n');
        json_decref(o);
    } else {
        printf("index:      %s\narticles:   %u\nterms:      %llu\navg length: %.0f terms\n"
               "size:       %.1f MB",
               dir, st.articles, (unsigned long long)st.terms, st.avg_length, st.bytes / 1e6);
        /* The generation a compaction or rebuild replaced stays (a reader
         * may still have it open) until the next one. */
        if (st.folder_bytes > st.bytes + 1000000)
            printf(" (folder %.1f MB: the previous generation stays until the next "
                   "rebuild or compaction)", st.folder_bytes / 1e6);
        printf("\ngeneration: %s (%u shard%s)\nupdated:    %s\n",
               *st.generation ? st.generation : "-", st.shards, st.shards == 1 ? "" : "s",
               *st.updated ? st.updated : "never");
        if (st.pair_words)
            printf("phrases:    pairs of %u common words indexed (--phrase-pairs)\n",
                   st.pair_words);
        else
            printf("phrases:    no pair terms (a rebuild with --phrase-pairs adds them)\n");
        if (!cs_synonyms_default())
            printf("synonyms:   none (the synonym dictionary could not be loaded)\n");
        else if (st.synonym_terms)
            printf("synonyms:   multi-word synonyms indexed as terms\n");
        else if (st.articles)
            printf("synonyms:   searched as phrases (not every article has the terms of this "
                   "synonym dictionary: indexing the whole corpus again, or with --rebuild, "
                   "gives them)\n");
        printf("xapian:     %s\n", st.version);
    }
    cs_searcher_close(s);
    return EXIT_OK;
}
