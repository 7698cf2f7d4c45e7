/* query_builder.c -- a parsed query -> a Xapian query over our term scheme (docformat.h). */
#include "query_builder.h"

#include <stdlib.h>
#include <string.h>

#include "docformat.h"

/* Wildcards expand to at most this many terms (most frequent first), so
 * "a*" cannot turn into a query over the whole vocabulary. */
#define WILDCARD_MAX 256
#define MAX_WORD_TOKENS 32

const char *const cs_query_fields[] = {"title", NULL};

typedef struct tok {
    char folded[CS_MAX_WORD_BYTES + 1];
    char exact[CS_MAX_WORD_BYTES + 1];
    int is_number;
} tok;

typedef struct builder {
    cs_tokenizer *tk;
    xc_stemmer *stem;
    cs_match_set *hl;
    xc_error *err;
    xc_query **boosts;      /* exact-form terms of words typed with marks */
    size_t nboosts;
    int negated;            /* inside NOT: no highlights, no boosts */
    tok toks[MAX_WORD_TOKENS];
    size_t ntoks;
} builder;

static int collect_tok(const cs_token *t, void *ud)
{
    builder *b = ud;
    tok *k = &b->toks[b->ntoks++];
    memcpy(k->folded, t->folded, t->folded_len + 1);
    memcpy(k->exact, t->exact, t->exact_len + 1);
    k->is_number = t->is_number;
    return b->ntoks == MAX_WORD_TOKENS;
}

/* Tokenize one or more words into b->toks. -1 on tokenizer failure. */
static int tokenize_words(builder *b, char *const *words, size_t n)
{
    b->ntoks = 0;
    for (size_t i = 0; i < n && b->ntoks < MAX_WORD_TOKENS; i++)
        if (cs_tokenize(b->tk, words[i], strlen(words[i]), 0, collect_tok, b) < 0)
            return -1;
    return 0;
}

static xc_query *term_query(builder *b, const char *prefix, const char *w)
{
    char term[CS_MAX_TERM_BYTES + 8];
    size_t pl = strlen(prefix), wl = strlen(w);
    memcpy(term, prefix, pl);
    memcpy(term + pl, w, wl);
    return xc_query_term(term, pl + wl, 1, 0, b->err);
}

/* Record highlights and the exact-form boost for token k. */
static int note_token(builder *b, const tok *k)
{
    if (b->negated)
        return 0;
    if (cs_match_set_add(&b->hl->words, &b->hl->nwords, k->folded) < 0)
        return -1;
    if (strcmp(k->folded, k->exact) == 0)
        return 0;
    xc_query *q = term_query(b, CS_PREFIX_EXACT, k->exact);
    xc_query **l = q ? realloc(b->boosts, (b->nboosts + 1) * sizeof *l) : NULL;
    if (!l) {
        xc_query_free(q);
        return -1;
    }
    b->boosts = l;
    l[b->nboosts++] = q;
    return 0;
}

/* A single word: folded term, OR'd as a synonym with its English stem. */
static xc_query *word_query(builder *b, const tok *k, const char *field)
{
    if (note_token(b, k) < 0)
        return NULL;
    if (field)
        return term_query(b, CS_PREFIX_TITLE, k->folded);
    xc_query *plain = term_query(b, "", k->folded);
    if (!plain || k->is_number)
        return plain;
    char st[CS_MAX_WORD_BYTES * 2 + 8];
    int n = xc_stem(b->stem, k->folded, strlen(k->folded), st, sizeof st, b->err);
    if (n <= 0) {
        xc_query_free(plain);
        return NULL;
    }
    if (!b->negated && cs_match_set_add(&b->hl->stems, &b->hl->nstems, st) < 0) {
        xc_query_free(plain);
        return NULL;
    }
    xc_query *stemq = term_query(b, CS_PREFIX_STEM, st);
    xc_query *subs[2] = {plain, stemq};
    xc_query *q = stemq ? xc_query_combine(XC_OP_SYNONYM, subs, 2, 0, b->err) : NULL;
    xc_query_free(plain);
    xc_query_free(stemq);
    return q;
}

/* The tokens in b->toks as a phrase (or one word). NULL + XC_OK if none. */
static xc_query *phrase_query(builder *b, const char *field, int as_phrase)
{
    if (b->ntoks == 0)
        return NULL;
    if (b->ntoks == 1)
        return word_query(b, &b->toks[0], field);
    xc_query *subs[MAX_WORD_TOKENS];
    size_t n = 0;
    xc_query *q = NULL;
    for (size_t i = 0; i < b->ntoks; i++) {
        if (note_token(b, &b->toks[i]) < 0 ||
            !(subs[n] = term_query(b, field ? CS_PREFIX_TITLE : "", b->toks[i].folded)))
            goto out;
        n++;
    }
    (void)as_phrase;
    q = xc_query_combine(XC_OP_PHRASE, subs, n, 0, b->err);
out:
    for (size_t i = 0; i < n; i++)
        xc_query_free(subs[i]);
    return q;
}

static xc_query *prefix_query(builder *b, const char *text, const char *field)
{
    char folded[CS_MAX_TERM_BYTES];
    long n = cs_fold(text, strlen(text), folded, sizeof folded - 2);
    if (n <= 0)
        return NULL;
    if (!b->negated && cs_match_set_add(&b->hl->prefixes, &b->hl->nprefixes, folded) < 0)
        return NULL;
    char term[CS_MAX_TERM_BYTES + 8];
    size_t pl = field ? strlen(CS_PREFIX_TITLE) : 0;
    memcpy(term, CS_PREFIX_TITLE, pl);
    memcpy(term + pl, folded, (size_t)n);
    return xc_query_wildcard(term, pl + (size_t)n, WILDCARD_MAX, b->err);
}

static xc_query *build(builder *b, const cs_qnode *n, const char *field);

/* AND/OR over the children; AND separates NOT children into AND_NOT. */
static xc_query *build_bool(builder *b, const cs_qnode *n, const char *field)
{
    xc_query **pos = calloc(n->nkids + 1, sizeof *pos);
    xc_query **neg = calloc(n->nkids + 1, sizeof *neg);
    size_t np = 1, nn = 0;    /* pos[0] is reserved for the positive part */
    xc_query *q = NULL;
    if (!pos || !neg)
        goto out;
    for (size_t i = 0; i < n->nkids; i++) {
        const cs_qnode *k = n->kids[i];
        int is_not = n->kind == CS_Q_AND && k->kind == CS_Q_NOT;
        xc_query *sub = is_not ? NULL : build(b, k, field);
        if (is_not) {
            b->negated++;
            sub = build(b, k->kids[0], k->field ? k->field : field);
            b->negated--;
        }
        if (!sub) {
            if (b->err->code != XC_OK)
                goto out;
            continue;
        }
        if (is_not)
            neg[nn++] = sub;
        else
            pos[np++] = sub;
    }
    xc_op op = n->kind == CS_Q_AND ? XC_OP_AND : XC_OP_OR;
    if (np == 1 && nn == 0)
        goto out;   /* nothing searchable */
    pos[0] = np > 1 ? xc_query_combine(op, pos + 1, np - 1, 0, b->err)
                    : xc_query_match_all(b->err);
    if (!pos[0] || nn == 0) {
        q = pos[0];
        pos[0] = NULL;
        goto out;
    }
    neg[nn] = NULL;
    xc_query *parts[2] = {pos[0], NULL};
    parts[1] = xc_query_combine(XC_OP_OR, neg, nn, 0, b->err);
    if (parts[1])
        q = xc_query_combine(XC_OP_AND_NOT, parts, 2, 0, b->err);
    xc_query_free(parts[1]);
out:
    for (size_t i = 0; pos && i < np; i++)
        xc_query_free(pos[i]);
    for (size_t i = 0; neg && i < nn; i++)
        xc_query_free(neg[i]);
    free(pos);
    free(neg);
    return q;
}

static xc_query *build(builder *b, const cs_qnode *n, const char *field)
{
    if (n->field)
        field = n->field;
    switch (n->kind) {
    case CS_Q_WORD:
    case CS_Q_PHRASE:
        if (tokenize_words(b, n->text, n->ntext) < 0) {
            b->err->code = XC_ERR_OTHER;
            return NULL;
        }
        return phrase_query(b, field, n->kind == CS_Q_PHRASE);
    case CS_Q_PREFIX:
        return prefix_query(b, n->text[0], field);
    case CS_Q_AND:
    case CS_Q_OR:
        return build_bool(b, n, field);
    case CS_Q_NOT: {
        /* A NOT outside an AND: everything except it. */
        b->negated++;
        xc_query *sub = build(b, n->kids[0], field);
        b->negated--;
        if (!sub)
            return NULL;
        xc_query *parts[2] = {xc_query_match_all(b->err), sub};
        xc_query *q = parts[0] ? xc_query_combine(XC_OP_AND_NOT, parts, 2, 0, b->err) : NULL;
        xc_query_free(parts[0]);
        xc_query_free(sub);
        return q;
    }
    }
    return NULL;
}

xc_query *cs_build_query(const cs_qnode *tree, cs_tokenizer *tk,
                         xc_stemmer *stem, cs_match_set *hl, xc_error *err)
{
    builder b = {.tk = tk, .stem = stem, .hl = hl, .err = err};
    xc_error_clear(err);
    xc_query *q = build(&b, tree, NULL);
    if (q && b.nboosts) {
        /* Exact accented forms only add weight: AND_MAYBE never changes
         * which articles match. */
        xc_query *boost = xc_query_combine(XC_OP_OR, b.boosts, b.nboosts, 0, err);
        xc_query *parts[2] = {q, boost};
        xc_query *all = boost ? xc_query_combine(XC_OP_AND_MAYBE, parts, 2, 0, err) : NULL;
        xc_query_free(boost);
        xc_query_free(q);
        q = all;
    }
    for (size_t i = 0; i < b.nboosts; i++)
        xc_query_free(b.boosts[i]);
    free(b.boosts);
    return q;
}
