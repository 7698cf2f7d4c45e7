/* main.c -- the corpsearch program: dispatches to the subcommands. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uclean.h>

#include "cli.h"

static const char usage[] =
    "usage: corpsearch COMMAND [OPTIONS] [ARGS]\n"
    "\n"
    "Full-text search over news articles about Vietnam's provinces (English and\n"
    "Vietnamese).\n"
    "\n"
    "Commands:\n"
    "  index PATH...     index .txt and .jsonl articles from files or folders\n"
    "  search QUERY      search the index\n"
    "  show ID           print one article\n"
    "  stats             article count, terms, size, last update\n"
    "  serve             answer searches over HTTP: JSON API and a web search box\n"
    "  compact           compact the index into a new generation, swapped in atomically\n"
    "\n"
    "Every command takes --index DIR (default: $CORPSEARCH_INDEX, else ./index).\n"
    "'corpsearch COMMAND --help' describes a command.\n"
    "\n"
    "Exit status: 0 success (an empty result is a success), 1 failure,\n"
    "2 usage error, 3 indexing finished but some input was skipped.\n";

const char *cli_index_dir(const char *opt)
{
    if (opt && *opt)
        return opt;
    const char *env = getenv("CORPSEARCH_INDEX");
    return env && *env ? env : "index";
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("corpsearch: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

long cli_parse_count(const char *s, long max)
{
    char *end;
    if (!s || !*s || *s == '-')
        return -1;
    long v = strtol(s, &end, 10);
    return *end || v > max ? -1 : v;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {
        {"index", cmd_index},
        {"search", cmd_search},
        {"show", cmd_show},
        {"stats", cmd_stats},
        {"serve", cmd_serve},
        {"compact", cmd_compact},
    };
    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage, stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        puts("corpsearch " CS_VERSION);
        return EXIT_OK;
    }
    int rc = -1;
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++)
        if (strcmp(argv[1], cmds[i].name) == 0)
            rc = cmds[i].fn(argc - 1, argv + 1);
    if (rc < 0) {
        cli_error("unknown command '%s' (try 'corpsearch --help')", argv[1]);
        rc = EXIT_USAGE;
    }
    /* Release ICU's caches so leak checkers see a clean exit. */
    u_cleanup();
    return rc;
}
