/* cli.h -- shared pieces of the corpsearch command-line program. */
#ifndef CS_CLI_H
#define CS_CLI_H

/* Exit statuses, documented in --help and the README. */
enum {
    EXIT_OK = 0,
    EXIT_FAILURE_ = 1,   /* any failure */
    EXIT_USAGE = 2,      /* bad command line */
    EXIT_SKIPPED = 3     /* the job finished but some input was skipped */
};

/* The index folder: --index if given, else $CORPSEARCH_INDEX, else "index". */
const char *cli_index_dir(const char *opt);

/* Print "corpsearch: <msg>" to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parse a non-negative integer option; -1 if it is not one. */
long cli_parse_count(const char *s, long max);

int cmd_index(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_compact(int argc, char **argv);

#endif
