/* fold_queries.c -- rewrite anchor queries in corpsearch's folded terms, so
 * plain Xapian can run them against corpsearch's own index.
 *
 * usage: fold_queries IN OUT
 * Each line of IN (bench/anchor_queries.py's output: plain query strings)
 * is copied to OUT with every word replaced by the folded form the indexer
 * gives it (cs_tokenize: "Bắc Giang" -> "bac giang"); what lies between
 * words (spaces, quotes, operators' punctuation) is kept as it is. The
 * suite runs bench_xapian --no-stem over the result on corpsearch's
 * compacted index: Xapian's own matcher (a plain AND, BM25, no boosts,
 * snippets, facets or near-duplicate folding) over the same folded posting
 * lists corpsearch searches. Set beside the quest-style anchor (exact words
 * over omindex), it splits the gap between the two into what folding costs
 * (longer posting lists, more matches) and what corpsearch's ranking and
 * output add. Exit 1 when a file cannot be read or written, or a line is
 * not valid UTF-8. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tokenizer.h"

typedef struct fold_out {
    FILE *f;
    const char *line;
    size_t copied;   /* bytes of line written so far */
} fold_out;

/* Writes the text before the token as it is, then its folded form. */
static int put_folded(const cs_token *t, void *ud)
{
    fold_out *o = ud;
    fwrite(o->line + o->copied, 1, t->start - o->copied, o->f);
    fwrite(t->folded, 1, t->folded_len, o->f);
    o->copied = t->end;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: fold_queries IN OUT\n");
        return 2;
    }
    const char *err = NULL;
    cs_tokenizer *tk = cs_tokenizer_new(&err);
    FILE *in = fopen(argv[1], "r");
    FILE *out = in ? fopen(argv[2], "w") : NULL;
    if (!tk || !in || !out) {
        fprintf(stderr, "fold_queries: %s\n", !tk ? err : !in ? argv[1] : argv[2]);
        return 1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    int rc = 0;
    while ((n = getline(&line, &cap, in)) > 0) {
        lineno++;
        if (line[n - 1] == '\n')
            line[--n] = '\0';
        fold_out o = {out, line, 0};
        if (cs_tokenize(tk, line, (size_t)n, 0, put_folded, &o) < 0) {
            fprintf(stderr, "fold_queries: %s:%ld: cannot tokenize (invalid UTF-8?)\n", argv[1],
                    lineno);
            rc = 1;
            break;
        }
        fprintf(out, "%s\n", line + o.copied);
    }
    free(line);
    fclose(in);
    if (fclose(out) != 0) {
        perror(argv[2]);
        rc = 1;
    }
    cs_tokenizer_free(tk);
    return rc;
}
