/* cmd_search.c -- `corpsearch search`: query the index, print hits for people or JSON for scripts. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "searcher.h"
#include "strbuf.h"

static const char usage[] =
    "usage: corpsearch search [OPTIONS] [--] QUERY...\n"
    "\n"
    "  --index DIR      index folder (default: $CORPSEARCH_INDEX, else ./index)\n"
    "  --limit N        hits to show (default 10, at most 1000)\n"
    "  --offset N       skip the first N hits (paging)\n"
    "  --sort date      newest first (default: relevance)\n"
    "  --lang vi|en     only articles in this language\n"
    "  --from DATE      only articles dated on or after DATE (YYYY-MM-DD, YYYY-MM, YYYY)\n"
    "  --to DATE        ... on or before DATE\n"
    "  --province NAME  only articles about this province (any spelling: \"bac giang\",\n"
    "                   \"HCMC\"; \"Bắc Ninh (2025)\" for the merged 2025 unit); repeatable\n"
    "  --resolution NUM only articles citing this resolution (57-NQ/TW, or 57 for\n"
    "                   any resolution 57); repeatable\n"
    "  --facets         count provinces, resolutions, years, months, languages\n"
    "                   (past 40,000 matches from a sample: shown ~N)\n"
    "  --all            show near-duplicate articles (same story syndicated or\n"
    "                   scraped twice) instead of one with \"N similar\"\n"
    "  --no-synonyms    don't also search the other language's terms (English <->\n"
    "                   Vietnamese dictionary, data/synonyms.tsv); quoting a phrase\n"
    "                   turns them off for that phrase\n"
    "  --json           print JSON: {query, total, total_exact, offset, hits: [...]}\n"
    "  --explain        also print the Xapian query that ran\n"
    "\n"
    "Query syntax: words (all must match; diacritics optional: \"bac giang\" finds\n"
    "\"Bắc Giang\"), \"a phrase\", a OR b, NOT a or -a, (grouping), title:word,\n"
    "prefix*, and filters province:\"bac giang\", resolution:57-NQ/TW,\n"
    "date:2023-01-01..2023-12-31 (or date:2023), lang:vi. Repeated filters of one\n"
    "kind OR together; different kinds AND. A query of filters only lists the\n"
    "matching articles, newest first. Put -- before a query that starts with '-'.\n";

/* Terminal colours only for a terminal, and not when NO_COLOR is set. */
static int use_color(void)
{
    const char *nc = getenv("NO_COLOR");
    return isatty(1) && !(nc && *nc);
}

static void print_list(const char *label, char *const *list, size_t n)
{
    if (n == 0)
        return;
    printf(" | %s", label);
    for (size_t i = 0; i < n; i++)
        printf("%s%s", i ? ", " : " ", list[i]);
}

static void print_facets(const cs_results *r)
{
    if (r->facets_sampled)
        printf("(facet counts estimated from a sample of the matches)\n");
    for (int i = 0; i < CS_NFACETS; i++) {
        const cs_facet *f = &r->facets[i];
        printf("%-11s", cs_facet_names[i]);
        for (size_t k = 0; k < f->n && k < 12; k++)
            printf("%s%s (%s%u)", k ? ", " : " ", f->values[k].value,
                   r->facets_sampled ? "~" : "", f->values[k].count);
        if (f->n > 12)
            printf(", ... %zu more", f->n - 12);
        putchar('\n');
    }
    putchar('\n');
}

static void print_human(const cs_results *r, int color, int explain)
{
    const char *on = color ? "\033[1;33m" : "[", *off = color ? "\033[0m" : "]";
    if (r->note)
        printf("note: %s\n", r->note);
    if (explain && r->parsed)
        printf("query: %s\n", r->parsed);
    if (explain && r->split_passes)
        printf("ranked in two halves: %u pass%s\n", r->split_passes,
               r->split_passes > 1 ? "es" : "");
    if (explain && r->facets_first)
        printf("ranked only the matches the facet count found\n");
    if (r->suggestion)
        printf("did you mean: %s\n", r->suggestion);
    if (r->has_facets)
        print_facets(r);
    if (r->nhits == 0) {
        printf("No articles match \"%s\".\n", r->query);
        return;
    }
    printf("%s%u result%s for \"%s\" (%.1f ms), showing %u-%u\n\n",
           r->total_exact ? "" : "about ", r->total,
           r->total == 1 ? "" : "s", r->query, r->took_ms, r->offset + 1,
           r->offset + (unsigned)r->nhits);
    for (size_t i = 0; i < r->nhits; i++) {
        const cs_hit *h = &r->hits[i];
        char *title = cs_snippet_render(&h->title_marks, on, off, 0);
        char *snip = cs_snippet_render(&h->snippet, on, off, 0);
        printf("%3u. %s%s%s\n", h->rank, color ? "\033[1m" : "",
               title && *title ? title : "(untitled)", color ? "\033[0m" : "");
        printf("     %s | %s | %s | score %.2f", h->date ? h->date : "no date",
               h->lang ? h->lang : "?", h->id, h->score);
        print_list("provinces:", h->provinces, h->nprovinces);
        print_list("resolutions:", h->resolutions, h->nresolutions);
        if (h->similar)
            printf(" | %u similar (--all shows them)", h->similar);
        putchar('\n');
        if (h->url)
            printf("     %s\n", h->url);
        if (snip && *snip)
            printf("     %s\n", snip);
        if (h->unreadable)
            printf("     (its stored text is damaged: see the note above)\n");
        putchar('\n');
        free(title);
        free(snip);
    }
}

int cmd_search(int argc, char **argv)
{
    static const struct option opts[] = {
        {"index", required_argument, 0, 'i'}, {"limit", required_argument, 0, 'n'},
        {"offset", required_argument, 0, 'o'}, {"sort", required_argument, 0, 's'},
        {"lang", required_argument, 0, 'l'}, {"from", required_argument, 0, 'f'},
        {"to", required_argument, 0, 't'}, {"json", no_argument, 0, 'j'},
        {"explain", no_argument, 0, 'x'}, {"province", required_argument, 0, 'p'},
        {"resolution", required_argument, 0, 'r'}, {"facets", no_argument, 0, 'F'},
        {"no-synonyms", no_argument, 0, 'S'}, {"all", no_argument, 0, 'A'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *dir = NULL;
    cs_search_req req = {0};
    int json = 0, explain = 0, c;
    long v;
    while ((c = getopt_long(argc, argv, "i:n:jh", opts, NULL)) != -1) {
        switch (c) {
        case 'i': dir = optarg; break;
        case 'n':
        case 'o':
            if ((v = cli_parse_count(optarg, c == 'n' ? 1000 : 100000000)) < 0) {
                cli_error("--%s takes a number%s", c == 'n' ? "limit" : "offset",
                          c == 'n' ? " from 0 to 1000" : "");
                return EXIT_USAGE;
            }
            if (c == 'n')
                req.limit = (unsigned)v;
            else
                req.offset = (unsigned)v;
            break;
        case 's':
            if (strcmp(optarg, "date") != 0 && strcmp(optarg, "relevance") != 0) {
                cli_error("--sort takes 'relevance' or 'date'");
                return EXIT_USAGE;
            }
            req.sort_by_date = strcmp(optarg, "date") == 0;
            break;
        case 'l':
            if (strcmp(optarg, "vi") != 0 && strcmp(optarg, "en") != 0) {
                cli_error("--lang takes 'vi' or 'en'");
                return EXIT_USAGE;
            }
            req.lang = optarg;
            break;
        case 'f': req.from = optarg; break;
        case 't': req.to = optarg; break;
        case 'j': json = 1; break;
        case 'x': explain = req.explain = 1; break;
        case 'F': req.facets = 1; break;
        case 'S': req.no_synonyms = 1; break;
        case 'A': req.no_collapse = 1; break;
        case 'p':
        case 'r': {
            const char **list = c == 'p' ? req.provinces : req.resolutions;
            size_t *n = c == 'p' ? &req.nprovinces : &req.nresolutions;
            if (*n == CS_MAX_FILTER_VALUES) {
                cli_error("at most %d --%s filters", CS_MAX_FILTER_VALUES,
                          c == 'p' ? "province" : "resolution");
                return EXIT_USAGE;
            }
            list[(*n)++] = optarg;
            break;
        }
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: fputs(usage, stderr); return EXIT_USAGE;
        }
    }
    int filtered = req.nprovinces || req.nresolutions || req.lang || req.from || req.to;
    if (optind >= argc && !filtered) {
        cli_error("search: no QUERY given (and no filter)");
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    cs_buf q = {0};
    for (int i = optind; i < argc; i++) {
        if (i > optind)
            cs_buf_putc(&q, ' ');
        cs_buf_puts(&q, argv[i]);
    }
    req.query = cs_buf_cstr(&q);
    char err[1024];
    cs_searcher *s = cs_searcher_open(cli_index_dir(dir), err, sizeof err);
    cs_results *r = NULL;
    int rc = EXIT_FAILURE_;
    if (!s || !req.query) {
        cli_error("%s", s ? "out of memory" : err);
    } else if (cs_search(s, &req, &r, err, sizeof err) < 0) {
        cli_error("%s", err);
    } else {
        if (json) {
            json_t *o = cs_results_json(r);
            if (explain && r->parsed)
                json_object_set_new(o, "xapian_query", json_string(r->parsed));
            if (explain) {
                json_object_set_new(o, "split_passes", json_integer(r->split_passes));
                json_object_set_new(o, "facets_first", json_boolean(r->facets_first));
            }
            json_object_set_new(o, "took_ms", json_real(r->took_ms));
            json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            putchar('\n');
            json_decref(o);
        } else {
            print_human(r, use_color(), explain);
        }
        rc = EXIT_OK;
    }
    cs_results_free(r);
    cs_searcher_close(s);
    cs_buf_free(&q);
    return rc;
}
