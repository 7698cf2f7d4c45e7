/* query_builder.c -- a parsed query -> a Xapian query over our term scheme (docformat.h). */
#include "query_builder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docformat.h"
#include "extract.h"
#include "pairwords.h"
#include "synonyms.h"

/* Wildcards expand to at most this many terms (most frequent first), so
 * "a*" cannot turn into a query over the whole vocabulary. */
#define WILDCARD_MAX 256
#define MAX_WORD_TOKENS 32
/* Boost weights (multipliers of the boost queries' BM25 weights). */
#ifndef W_PHRASE
#define W_PHRASE 1.0
#define W_TITLE_WORD 0.5
/* Typed with marks, a word's exact form outweighs the folded boosts: the
 * intended syllable ("càng") ranks above its tone-mark neighbours ("cảng")
 * even when those are in the title. */
#define W_EXACT 3.0
/* Synonyms (the other language's term) match too, but rank below the
 * words as typed. */
#define W_SYN 0.5
#endif
#define MAX_SYN_MATCHES 8
/* A province filter can expand to the provinces merged into a 2025 unit. */
#define CS_MAX_FILTER_TERMS 16

const char *const cs_query_fields[] = {"title", "province", "resolution", "date",
                                        "lang", NULL};

typedef struct tok {
    char folded[CS_MAX_WORD_BYTES + 1];
    char exact[CS_MAX_WORD_BYTES + 1];
    int is_number;
} tok;

/* Query words in order, for the adjacency and title boosts. */
#define MAX_SEQ 16

/* Boost queries, each already scaled by its weight. */
typedef struct boost_list {
    xc_query **q;
    size_t n;
} boost_list;

typedef struct builder {
    char seq[MAX_SEQ][CS_MAX_WORD_BYTES + 1];
    size_t nseq;
    cs_tokenizer *tk;
    xc_stemmer *stem;
    const cs_pairwords *pairs;  /* the index's phrase pairs; NULL: none */
    cs_match_set *hl;
    xc_error *err;
    boost_list boosts;      /* exact forms, title words: cheap term boosts */
    boost_list positional;  /* phrases of the words: read position lists */
    int negated;            /* inside NOT: no highlights, no boosts */
    int synonyms;           /* CS_SYN_OFF, _PHRASES or _TERMS (cs_build_query) */
    int relax;              /* synonym phrases become ANDs (cs_build_query) */
    int in_synonym;         /* building a synonym alternative */
    size_t nphrases;        /* synonym phrases built outside NOT so far */
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

/* Appends q scaled by w to `list` (takes q). -1 on error. */
static int add_to(builder *b, boost_list *list, xc_query *q, double w)
{
    xc_query *s = q ? xc_query_scale(q, w, b->err) : NULL;
    xc_query_free(q);
    xc_query **l = s ? realloc(list->q, (list->n + 1) * sizeof *l) : NULL;
    if (!l) {
        xc_query_free(s);
        return -1;
    }
    list->q = l;
    l[list->n++] = s;
    return 0;
}

static int add_boost(builder *b, xc_query *q, double w)
{
    return add_to(b, &b->boosts, q, w);
}

/* Empties the list. No xc_* call that could clear an error. */
static void free_boosts(boost_list *list)
{
    for (size_t i = 0; i < list->n; i++)
        xc_query_free(list->q[i]);
    free(list->q);
    *list = (boost_list){0};
}

/* OR of the list's queries (NULL + XC_OK when empty); empties the list. */
static xc_query *take_boosts(boost_list *list, xc_error *err)
{
    xc_query *q = list->n ? xc_query_combine(XC_OP_OR, list->q, list->n, 0, err) : NULL;
    free_boosts(list);
    return q;
}

/* Out of memory while noting highlights: an error, not an empty part
 * (NULL with XC_OK means "nothing searchable here", and the part would
 * silently drop out of the query). Returns -1. */
static int no_memory(builder *b)
{
    b->err->code = XC_ERR_NO_MEMORY;
    snprintf(b->err->message, sizeof b->err->message, "out of memory");
    return -1;
}

/* Record highlights (unless the word is one of a phrase's, which is
 * highlighted as a whole), the exact-form boost and the word sequence for
 * token k (from an unfielded, not negated part of the query). */
static int note_token(builder *b, const tok *k, const char *field, int in_phrase)
{
    if (b->negated)
        return 0;
    if (!field && b->nseq < MAX_SEQ)
        memcpy(b->seq[b->nseq++], k->folded, strlen(k->folded) + 1);
    if (!in_phrase && (field ? cs_match_set_add(&b->hl->words, &b->hl->nwords, k->folded)
                             : cs_match_set_add_typed(b->hl, k->folded)) < 0)
        return no_memory(b);
    if (strcmp(k->folded, k->exact) == 0)
        return 0;
    return add_boost(b, term_query(b, CS_PREFIX_EXACT, k->exact), W_EXACT);
}

/* A single word: folded term, OR'd as a synonym with its English stem. */
static xc_query *word_query(builder *b, const tok *k, const char *field)
{
    if (note_token(b, k, field, 0) < 0)
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
        no_memory(b);
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

/* q (a body phrase of words[0..n), taken) restricted to the articles
 * holding its adjacent pairs of the index's pair words (pairwords.h): the
 * same matches with the same weights (every article where the phrase is
 * has those pairs, and FILTER adds no weight), but positions are only
 * read where the pairs are. q as it was when the phrase has no such pair.
 * NULL on error. */
static xc_query *filter_by_pairs(builder *b, xc_query *q, const char *const *words, size_t n)
{
    xc_query *subs[MAX_WORD_TOKENS];
    size_t k = 0;
    subs[k++] = q;
    for (size_t i = 0; i + 1 < n && k < MAX_WORD_TOKENS; i++) {
        size_t la = strlen(words[i]), lb = strlen(words[i + 1]);
        if (!cs_pairwords_has(b->pairs, words[i], la) ||
            !cs_pairwords_has(b->pairs, words[i + 1], lb))
            continue;
        char term[CS_MAX_TERM_BYTES + 8];
        size_t tl = cs_pair_term(words[i], la, words[i + 1], lb, term, sizeof term);
        if (tl && !(subs[k++] = xc_query_term(term, tl, 1, 0, b->err)))
            break;
    }
    if (k == 1)
        return q;
    xc_query *f = subs[k - 1] ? xc_query_combine(XC_OP_FILTER, subs, k, 0, b->err) : NULL;
    for (size_t i = 0; i < k; i++)
        xc_query_free(subs[i]);
    return f;
}

/* PHRASE of words[0..n) with `prefix` ("" body, S title); relaxing, a
 * synonym's phrase is an AND of its words, unless inside NOT (where an AND
 * would exclude more). Quoted phrases stay phrases: relaxed, their best
 * candidates are the articles with the most scattered occurrences of the
 * words (4 of the best 128 AND matches of "tù những người" at 200k
 * synthetic articles had the phrase), so checking them would not save the
 * full pass. */
static xc_query *phrase_of(builder *b, const char *prefix, const char *const *words, size_t n)
{
    xc_query *subs[MAX_WORD_TOKENS];
    size_t k = 0;
    xc_query *q = NULL;
    for (; k < n && k < MAX_WORD_TOKENS; k++)
        if (!(subs[k] = term_query(b, prefix, words[k])))
            break;
    int relaxable = b->in_synonym && !b->negated;
    b->nphrases += relaxable;
    int as_and = b->relax && relaxable;
    if (k == n && k > 0)
        q = xc_query_combine(as_and ? XC_OP_AND : XC_OP_PHRASE, subs, k, 0, b->err);
    for (size_t i = 0; i < k; i++)
        xc_query_free(subs[i]);
    if (q && !as_and && b->pairs && !*prefix)
        q = filter_by_pairs(b, q, words, n);
    return q;
}

/* The tokens in b->toks as a phrase (or one word). NULL + XC_OK if none. */
static xc_query *phrase_query(builder *b, const char *field)
{
    if (b->ntoks == 0)
        return NULL;
    if (b->ntoks == 1)
        return word_query(b, &b->toks[0], field);
    const char *w[MAX_WORD_TOKENS];
    for (size_t i = 0; i < b->ntoks; i++) {
        if (note_token(b, &b->toks[i], field, 1) < 0)
            return NULL;
        w[i] = b->toks[i].folded;
    }
    if (!b->negated && cs_match_set_add_phrase(b->hl, w, b->ntoks, !field) < 0) {
        no_memory(b);
        return NULL;
    }
    xc_query *q = phrase_of(b, "", w, b->ntoks);
    if (!field || !q)
        return q;
    /* In the title: every word as an S term (S terms have no positions;
     * the rare ones find the few candidates) and the phrase (its weight, as
     * for a phrase anywhere), filtered by the phrase starting among the
     * title's positions (below the body's): else a title holding the words
     * apart matched when the body had them together ("không ... biết" in 13
     * of baomoi's 56 title:"khong biet"). The AND is scaled by 1 to keep it
     * a subquery of its own: Xapian then checks the phrase inside it, and
     * the costlier title check (xc_query_phrase_before) only runs on its
     * matches, not on every article holding the words (on baomoi's title
     * phrases, median 2.0 -> 2.6 ms with facets instead of -> 3.4). Xapian
     * 1.4 only; a later one may merge through SCALE_WEIGHT, which would
     * cost that time again, not correctness. */
    xc_query *subs[MAX_WORD_TOKENS + 1];
    size_t n = 0;
    subs[n++] = q;
    for (size_t i = 0; i < b->ntoks; i++) {
        if (!(subs[n] = term_query(b, CS_PREFIX_TITLE, w[i])))
            break;
        n++;
    }
    xc_query *all = n == b->ntoks + 1 ? xc_query_combine(XC_OP_AND, subs, n, 0, b->err) : NULL;
    for (size_t i = 0; i < n; i++)
        xc_query_free(subs[i]);
    xc_query *f[2] = {all ? xc_query_scale(all, 1.0, b->err) : NULL, NULL};
    xc_query_free(all);
    if (f[0])
        f[1] = xc_query_phrase_before(w, b->ntoks, CS_BODY_FIRST_POS, b->err);
    xc_query *out = f[1] ? xc_query_combine(XC_OP_FILTER, f, 2, 0, b->err) : NULL;
    xc_query_free(f[0]);
    xc_query_free(f[1]);
    return out;
}

static xc_query *prefix_query(builder *b, const char *text, const char *field)
{
    char folded[CS_MAX_TERM_BYTES];
    long n = cs_fold(text, strlen(text), folded, sizeof folded - 2);
    if (n <= 0)
        return NULL;
    if (!b->negated && cs_match_set_add(&b->hl->prefixes, &b->hl->nprefixes, folded) < 0) {
        no_memory(b);
        return NULL;
    }
    char term[CS_MAX_TERM_BYTES + 8];
    size_t pl = field ? strlen(CS_PREFIX_TITLE) : 0;
    memcpy(term, CS_PREFIX_TITLE, pl);
    memcpy(term + pl, folded, (size_t)n);
    return xc_query_wildcard(term, pl + (size_t)n, WILDCARD_MAX, b->err);
}

static xc_query *build(builder *b, const cs_qnode *n, const char *field);

/* English function words: required, they would keep articles that say the
 * same thing in other words (or in Vietnamese) out of the results; dropped,
 * phrases would break. So in an AND they only add weight, and they stay in
 * the adjacency boost and in quoted phrases, where order matters. */
static int is_stopword(const char *w)
{
    static const char *const words[] = {
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have",
        "in", "is", "it", "its", "of", "on", "or", "that", "the", "this", "to", "was",
        "were", "will", "with"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strcmp(w, words[i]) == 0)
            return 1;
    return 0;
}

/* Is AND child k a lone stopword (optional in the AND)? */
static int optional_kid(builder *b, const cs_qnode *k)
{
    return k->kind == CS_Q_WORD && !k->field && k->ntext == 1 &&
           tokenize_words(b, k->text, 1) == 0 && b->ntoks == 1 &&
           is_stopword(b->toks[0].folded);
}

/* Adds a synonym alternative to the words to highlight: a word, or its
 * words as a phrase. A synonym term (as_term) of an English entry is also
 * in the articles that use its plural ("industrial parks" for "industrial
 * park": synterms.c), so the plural phrase is marked too; a phrase query
 * does not find it. 0, or -1 out of memory. */
static int mark_alt(builder *b, const cs_syn_entry *alt, int as_term)
{
    if (alt->ntokens == 1)
        return cs_match_set_add(&b->hl->words, &b->hl->nwords, alt->folded[0]);
    if (cs_match_set_add_phrase(b->hl, alt->folded, alt->ntokens, 0) < 0)
        return -1;
    if (!as_term || !alt->plural || alt->ntokens > CS_SYN_MAX_TOKENS)
        return 0;
    const char *w[CS_SYN_MAX_TOKENS];
    memcpy(w, alt->folded, alt->ntokens * sizeof *w);
    w[alt->ntokens - 1] = alt->plural;
    return cs_match_set_add_phrase(b->hl, w, alt->ntokens, 0);
}

/* One synonym alternative: its synonym term or a phrase of its folded
 * words (cs_build_query), or for a single word its exact form when it has
 * marks (its folded form is ambiguous), else the word with its stem.
 * Scaled below the words as typed. */
static xc_query *alt_query(builder *b, const cs_syn_entry *alt)
{
    xc_query *q = NULL;
    /* A term too long for the index (cs_syn_entry_term 0) is a phrase. */
    char term[CS_MAX_TERM_BYTES + 8];
    size_t tl = alt->ntokens > 1 && b->synonyms == CS_SYN_TERMS
                    ? cs_syn_entry_term(alt, term, sizeof term)
                    : 0;
    if (!b->negated && mark_alt(b, alt, tl > 0) < 0) {
        no_memory(b);
        return NULL;
    }
    if (alt->ntokens == 1) {
        int marked = strcmp(alt->exact[0], alt->folded[0]) != 0;
        q = term_query(b, marked ? CS_PREFIX_EXACT : "", marked ? alt->exact[0] : alt->folded[0]);
    } else {
        const char *w[CS_SYN_MAX_TOKENS];
        for (size_t k = 0; k < alt->ntokens; k++)
            w[k] = alt->folded[k];
        b->in_synonym = 1;
        /* The term: one posting list instead of the positions of every
         * article holding all the words. Its wqf is the entry's word
         * count, so it weighs about what the phrase (the sum of its words)
         * did. With wqf 1 the sample corpus's judgements
         * (tests/eval/handmade.py) swapped a pass for a fail ("Vinh city"
         * put Vĩnh Yên in the top 3: the Vietnamese "thành phố Vinh"
         * article lost weight); with the word count they pass and fail as
         * with phrases. */
        q = tl ? xc_query_term(term, tl, alt->ntokens, 0, b->err)
               : phrase_of(b, "", w, alt->ntokens);
        b->in_synonym = 0;
    }
    xc_query *scaled = q ? xc_query_scale(q, W_SYN, b->err) : NULL;
    xc_query_free(q);
    return scaled;
}

/* The plain one-token words among an AND's children, for synonym matching:
 * tokens of consecutive eligible children go in folded[]/exact[], with
 * kid_of[] mapping back; an ineligible child ends a run. Fills m[] with the
 * matches (start/len in kid indexes) and returns their number. */
static size_t find_synonyms(builder *b, const cs_qnode *n, cs_syn_match *m, size_t max)
{
    const cs_synonyms *syn = b->synonyms == CS_SYN_OFF ? NULL : cs_synonyms_default();
    static const size_t cap = 64;
    char folded[64][CS_MAX_WORD_BYTES + 1], exact[64][CS_MAX_WORD_BYTES + 1];
    const char *fp[64], *ep[64];
    size_t kid_of[64], nm = 0;
    for (size_t i = 0; syn && i < n->nkids && nm < max;) {
        size_t run = 0;
        for (; i < n->nkids && run < cap; i++) {
            const cs_qnode *k = n->kids[i];
            if (k->kind != CS_Q_WORD || k->field || k->ntext != 1 ||
                tokenize_words(b, k->text, 1) < 0 || b->ntoks != 1)
                break;
            memcpy(folded[run], b->toks[0].folded, sizeof folded[run]);
            memcpy(exact[run], b->toks[0].exact, sizeof exact[run]);
            fp[run] = folded[run], ep[run] = exact[run], kid_of[run++] = i;
        }
        size_t got = run ? cs_synonyms_match(syn, fp, ep, run, m + nm, max - nm) : 0;
        for (size_t k = 0; k < got; k++) {
            /* Token indexes -> kid indexes (consecutive within a run). */
            m[nm + k].start = kid_of[m[nm + k].start];
        }
        nm += got;
        if (run == 0)
            i++;
    }
    return nm;
}

/* The children [from, from+len) of an AND, ANDed, ORed with the synonym
 * alternatives of match m. */
static xc_query *synonym_group(builder *b, const cs_qnode *n, const cs_syn_match *m,
                               const char *field)
{
    xc_query *words[CS_SYN_MAX_TOKENS], *alts[8 + 1];
    size_t nw = 0, na = 0;
    xc_query *q = NULL;
    for (; nw < m->len && nw < CS_SYN_MAX_TOKENS; nw++)
        if (!(words[nw] = build(b, n->kids[m->start + nw], field)))
            goto out;
    alts[na] = nw == 1 ? words[0] : xc_query_combine(XC_OP_AND, words, nw, 0, b->err);
    if (nw == 1)
        nw = 0;   /* now owned by alts[0] */
    if (!alts[na++])
        goto out;
    for (size_t i = 0; i < m->nalts && na < sizeof alts / sizeof *alts; i++)
        if ((alts[na] = alt_query(b, m->alts[i])))
            na++;
        else if (b->err->code != XC_OK)
            goto out;
    q = xc_query_combine(XC_OP_OR, alts, na, 0, b->err);
out:
    for (size_t i = 0; i < nw; i++)
        xc_query_free(words[i]);
    for (size_t i = 0; i < na; i++)
        xc_query_free(alts[i]);
    return q;
}

/* A term that no document has: what an unknown filter value matches. */
static xc_query *match_nothing(xc_error *err)
{
    return xc_query_term("XNONE", 5, 1, 0, err);
}

/* Boolean OR of terms (weight 0), or match_nothing when n == 0. */
static xc_query *boolean_or(char terms[][CS_MAX_TERM_BYTES + 8], size_t n, xc_error *err)
{
    xc_query *subs[CS_MAX_FILTER_TERMS];
    xc_query *q = NULL;
    size_t k = 0;
    for (; k < n; k++)
        if (!(subs[k] = xc_query_term(terms[k], strlen(terms[k]), 1, 0, err)))
            goto out;
    xc_query *any = n ? xc_query_combine(XC_OP_OR, subs, n, 0, err) : match_nothing(err);
    q = any ? xc_query_scale(any, 0, err) : NULL;
    xc_query_free(any);
out:
    for (size_t i = 0; i < k; i++)
        xc_query_free(subs[i]);
    return q;
}

/* Digits of a date value: "2023-02-08" -> "20230208". Returns the count
 * (4, 6 or 8), or -1 if the value is not YYYY[-MM[-DD]]. */
static int date_digits(const char *s, size_t len, char out[9])
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] >= '0' && s[i] <= '9' && n < 8)
            out[n++] = s[i];
        else if (s[i] != '-' || i == 0)
            return -1;
    }
    out[n] = '\0';
    return n == 4 || n == 6 || n == 8 ? (int)n : -1;
}

static xc_query *date_filter(const char *v, int *unknown, xc_error *err)
{
    const char *dots = strstr(v, "..");
    char lo[9] = "", hi[9] = "";
    if (dots) {
        /* A range; either end may be open. "2023..2024" covers both years. */
        int nl = dots > v ? date_digits(v, (size_t)(dots - v), lo) : 0;
        int nh = dots[2] ? date_digits(dots + 2, strlen(dots + 2), hi) : 0;
        if (nl < 0 || nh < 0 || (nl == 0 && nh == 0)) {
            *unknown = 1;
            return match_nothing(err);
        }
        while (nl && strlen(lo) < 8)
            lo[strlen(lo)] = '0';
        while (nh && strlen(hi) < 8)
            hi[strlen(hi)] = '9';
        xc_query *r = xc_query_value_range(CS_SLOT_DATE, nl ? lo : NULL, nh ? hi : NULL, err);
        xc_query *q = r ? xc_query_scale(r, 0, err) : NULL;
        xc_query_free(r);
        return q;
    }
    int n = date_digits(v, strlen(v), lo);
    if (n < 0) {
        *unknown = 1;
        return match_nothing(err);
    }
    char terms[1][CS_MAX_TERM_BYTES + 8];
    snprintf(terms[0], sizeof terms[0], "%s%s",
             n == 4 ? CS_PREFIX_YEAR : n == 6 ? CS_PREFIX_MONTH : CS_PREFIX_DAY, lo);
    return boolean_or(terms, 1, err);
}

xc_query *cs_filter_query(cs_filter_kind kind, const char *value, int *unknown,
                          xc_error *err)
{
    char terms[CS_MAX_FILTER_TERMS][CS_MAX_TERM_BYTES + 8];
    size_t n = 0;
    int dummy;
    if (!unknown)
        unknown = &dummy;
    *unknown = 0;
    switch (kind) {
    case CS_FILTER_PROVINCE: {
        const char *names[CS_MAX_FILTER_TERMS];
        size_t k = cs_gazetteer_resolve(cs_gazetteer_default(), value, names,
                                        CS_MAX_FILTER_TERMS);
        for (size_t i = 0; i < k; i++)
            if (cs_slug_term(CS_PREFIX_PROVINCE, names[i], terms[n], sizeof terms[n]) > 0)
                n++;
        break;
    }
    case CS_FILTER_RESOLUTION: {
        char canon[CS_MAX_TERM_BYTES];
        long len = cs_resolution_normalize(value, canon, sizeof canon);
        if (len > 0)
            snprintf(terms[n++], sizeof terms[0], "%s%s",
                     strspn(canon, "0123456789") == (size_t)len ? CS_PREFIX_RESOLUTION_NUM
                                                                : CS_PREFIX_RESOLUTION,
                     canon);
        break;
    }
    case CS_FILTER_DATE:
        return date_filter(value, unknown, err);
    case CS_FILTER_LANG:
        if (strcmp(value, "vi") == 0 || strcmp(value, "en") == 0)
            snprintf(terms[n++], sizeof terms[0], CS_PREFIX_LANG "%s", value);
        break;
    }
    *unknown = n == 0;
    return boolean_or(terms, n, err);
}

/* A field that is a filter: its node's text (words joined) as a filter. */
static xc_query *field_filter(builder *b, const cs_qnode *n, const char *field)
{
    static const struct { const char *name; cs_filter_kind kind; } kinds[] = {
        {"province", CS_FILTER_PROVINCE}, {"resolution", CS_FILTER_RESOLUTION},
        {"date", CS_FILTER_DATE}, {"lang", CS_FILTER_LANG}};
    char value[512] = "";
    size_t at = 0;
    for (size_t i = 0; i < n->ntext; i++) {
        int w = snprintf(value + at, sizeof value - at, "%s%s", i ? " " : "", n->text[i]);
        if (w < 0 || (size_t)w >= sizeof value - at)
            break;
        at += (size_t)w;
    }
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (strcmp(field, kinds[i].name) == 0)
            return cs_filter_query(kinds[i].kind, value, NULL, b->err);
    return NULL;
}

/* AND/OR over the children; AND separates NOT children into AND_NOT. */
static xc_query *build_bool(builder *b, const cs_qnode *n, const char *field)
{
    xc_query **pos = calloc(n->nkids + 1, sizeof *pos);
    xc_query **neg = calloc(n->nkids + 1, sizeof *neg);
    xc_query **opt = calloc(n->nkids + 1, sizeof *opt);
    size_t np = 1, nn = 0, no = 0;    /* pos[0] is reserved for the positive part */
    xc_query *q = NULL;
    if (!pos || !neg || !opt)
        goto out;
    cs_syn_match syn[MAX_SYN_MATCHES];
    size_t nsyn = n->kind == CS_Q_AND && !b->negated && (!field || !*field)
                  ? find_synonyms(b, n, syn, MAX_SYN_MATCHES) : 0;
    for (size_t i = 0, s = 0; i < n->nkids; i++) {
        const cs_qnode *k = n->kids[i];
        while (s < nsyn && syn[s].start < i)
            s++;
        if (s < nsyn && syn[s].start == i) {
            /* Several entries may match the same run: the first one's
             * group is used (they share their alternatives' meaning). */
            xc_query *g = synonym_group(b, n, &syn[s], field);
            if (!g)
                goto out;
            pos[np++] = g;
            i += syn[s].len - 1;
            continue;
        }
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
        else if (n->kind == CS_Q_AND && n->nkids > 1 && optional_kid(b, k))
            opt[no++] = sub;
        else
            pos[np++] = sub;
    }
    if (np == 1 && no) {
        /* Only stopwords ("the who"): then they are what the user wants. */
        memcpy(pos + 1, opt, no * sizeof *opt);
        np += no;
        no = 0;
    }
    xc_op op = n->kind == CS_Q_AND ? XC_OP_AND : XC_OP_OR;
    if (np == 1 && nn == 0)
        goto out;   /* nothing searchable */
    pos[0] = np > 1 ? xc_query_combine(op, pos + 1, np - 1, 0, b->err)
                    : xc_query_match_all(b->err);
    if (pos[0] && no) {
        xc_query *maybe = xc_query_combine(XC_OP_OR, opt, no, 0, b->err);
        xc_query *parts[2] = {pos[0], maybe};
        xc_query *with = maybe ? xc_query_combine(XC_OP_AND_MAYBE, parts, 2, 0, b->err) : NULL;
        xc_query_free(maybe);
        xc_query_free(pos[0]);
        pos[0] = with;
    }
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
    for (size_t i = 0; opt && i < no; i++)
        xc_query_free(opt[i]);
    free(pos);
    free(neg);
    free(opt);
    return q;
}

static xc_query *build(builder *b, const cs_qnode *n, const char *field)
{
    if (n->field)
        field = n->field;
    if (field && strcmp(field, "title") != 0 &&
        (n->kind == CS_Q_WORD || n->kind == CS_Q_PHRASE || n->kind == CS_Q_PREFIX))
        return field_filter(b, n, field);
    switch (n->kind) {
    case CS_Q_WORD:
    case CS_Q_PHRASE:
        if (tokenize_words(b, n->text, n->ntext) < 0) {
            b->err->code = XC_ERR_OTHER;
            return NULL;
        }
        return phrase_query(b, field);
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

/* PHRASE over seq[from, from+n) with `prefix` ("" body, S title). */
static xc_query *seq_phrase(builder *b, const char *prefix, size_t from, size_t n)
{
    const char *w[MAX_SEQ];
    for (size_t k = 0; k < n; k++)
        w[k] = b->seq[from + k];
    return n == 1 ? term_query(b, prefix, w[0]) : phrase_of(b, prefix, w, n);
}

/* Ranking boosts over the query's words in order (they never change which
 * articles match, only their order):
 *  - the words adjacent and in order: a Vietnamese word is several
 *    syllables ("chuyển đổi số"), so adjacency is what tells the word from
 *    the same syllables scattered;
 *  - the words in the title, and the title phrase (searcher.c).
 * Chosen with tests/eval/known_item.py (README: Ranking): these took MRR@10
 * on baomoi from 0.60 to 0.94. A boost for each adjacent pair of words as
 * well cost 3x the query time for no gain (0.942 vs 0.944), so it is out. */
static int add_sequence_boosts(builder *b)
{
    if (b->nseq >= 2 && add_to(b, &b->positional, seq_phrase(b, "", 0, b->nseq), W_PHRASE) < 0)
        return -1;
    for (size_t i = 0; i < b->nseq; i++)
        if (!is_stopword(b->seq[i]) &&
            add_boost(b, term_query(b, CS_PREFIX_TITLE, b->seq[i]), W_TITLE_WORD) < 0)
            return -1;
    /* The title phrase boost is the searcher's (a phrase found by the body
     * boost that starts in the title), from the words in order. */
    for (size_t i = 0; b->nseq >= 2 && i < b->nseq; i++)
        if (cs_match_set_add_seq(b->hl, b->seq[i]) < 0)
            return no_memory(b);
    return 0;
}

/* The query for `tree` with its term boosts (AND_MAYBE); *matching and
 * *rerank as cs_build_query describes them, when not NULL (when NULL, not
 * made). b->nphrases then counts the synonym phrases in it. NULL on error
 * or when nothing is searchable. */
static xc_query *build_ranked(builder *b, const cs_qnode *tree, xc_query **matching,
                              xc_query **rerank)
{
    /* A lone word is an AND of one, so it gets its synonyms too. */
    cs_qnode *one[1] = {(cs_qnode *)tree};
    cs_qnode wrap = {.kind = CS_Q_AND, .kids = one, .nkids = 1};
    xc_query *q = build(b, tree->kind == CS_Q_WORD && !tree->field ? &wrap : tree, NULL);
    if (q && add_sequence_boosts(b) < 0) {
        xc_query_free(q);
        q = NULL;
    }
    if (q && matching && !(*matching = xc_query_scale(q, 1, b->err))) {
        xc_query_free(q);
        q = NULL;
    }
    xc_query *boost = q ? take_boosts(&b->boosts, b->err) : NULL;
    if (boost) {
        /* Boosts only add weight: AND_MAYBE never changes which articles
         * match. */
        xc_query *parts[2] = {q, boost};
        xc_query *all = xc_query_combine(XC_OP_AND_MAYBE, parts, 2, 0, b->err);
        xc_query_free(boost);
        xc_query_free(q);
        q = all;
    }
    if (q && rerank && b->err->code == XC_OK)
        *rerank = take_boosts(&b->positional, b->err);
    if (b->err->code != XC_OK) {
        xc_query_free(q);
        q = NULL;
    }
    free_boosts(&b->boosts);
    free_boosts(&b->positional);
    return q;
}

xc_query *cs_build_query(const cs_qnode *tree, cs_tokenizer *tk,
                         xc_stemmer *stem, const cs_pairwords *pairs, int synonyms,
                         cs_match_set *hl, xc_query **matching, xc_query **rerank,
                         xc_query **relaxed, xc_error *err)
{
    if (matching)
        *matching = NULL;
    if (relaxed)
        *relaxed = NULL;
    *rerank = NULL;
    builder b = {.tk = tk, .stem = stem, .pairs = pairs, .hl = hl, .err = err,
                 .synonyms = synonyms};
    xc_error_clear(err);
    xc_query *q = build_ranked(&b, tree, matching, rerank);
    if (q && relaxed && b.nphrases) {
        /* The same query with its synonym phrases as ANDs: what it adds to
         * the highlights is already there. */
        cs_match_set scratch = {0};
        builder r = {.tk = tk, .stem = stem, .pairs = pairs, .hl = &scratch, .err = err,
                     .synonyms = synonyms, .relax = 1};
        *relaxed = build_ranked(&r, tree, NULL, NULL);
        cs_match_set_free(&scratch);
        /* Only a shortcut: without it the search is slower, not wrong. */
        if (!*relaxed)
            xc_error_clear(err);
    }
    if (err->code != XC_OK) {
        xc_query_free(q);
        xc_query_free(*rerank);
        if (matching) {
            xc_query_free(*matching);
            *matching = NULL;
        }
        q = *rerank = NULL;
    }
    return q;
}
