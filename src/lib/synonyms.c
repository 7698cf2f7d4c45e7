/* synonyms.c -- the bilingual synonym dictionary: parsing data/synonyms.tsv
 * into token sequences and finding its entries among a query's tokens. */
#include "datafile.h"
#include "synonyms.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docformat.h"
#include "idset.h"
#include "text.h"
#include "tokenizer.h"

/* The data file, embedded at build time by data/embed.py. */
extern const char cs_synonyms_tsv[];
extern const size_t cs_synonyms_tsv_len;

/* A distinct entry (the same exact words in two groups are one phrase, which
 * brings the entries of both). `e` comes first so an entry pointer is a
 * phrase pointer. */
typedef struct phrase {
    cs_syn_entry e;
    char *text;
    char **folded, **exact;    /* e.ntokens malloc'd strings each */
    char *plural;              /* plural of the last folded word, or NULL */
    char *exact_key;           /* exact words joined by ' ': identity */
    char *folded_key;          /* folded words joined by ' ' */
    int strict;                /* one word with diacritics: needs them typed */
    int indexed;               /* has a synonym term (index_entries) */
    const cs_syn_entry **alts;
    size_t nalts;
} phrase;

/* A group: indexes into phrases. */
typedef struct group {
    size_t *ph;
    size_t n;
} group;

/* Lookup key: a phrase's first folded word (or its plural, for a one-word
 * phrase), sorted for binary search. */
typedef struct key {
    const char *word;
    const phrase *p;
} key;

struct cs_synonyms {
    phrase **phrases;
    size_t nphrases, cap;
    group *groups;
    size_t ngroups;
    key *keys;
    size_t nkeys;
    cs_idset starts;           /* first words of the indexed entries */
    size_t max_words;          /* most words of an indexed entry */
    unsigned long long fingerprint;
};

/* ------------------------------------------------------------------------
 * Parsing.
 * ---------------------------------------------------------------------- */

typedef struct parser {
    cs_synonyms *syn;
    cs_tokenizer *tk;
    char *errbuf;
    size_t errlen;
    unsigned line;
    /* the entry being tokenized */
    char *folded[CS_SYN_MAX_TOKENS], *exact[CS_SYN_MAX_TOKENS];
    size_t ntok;
    int too_long, nomem;
} parser;

__attribute__((format(printf, 2, 3)))
static void fail(parser *ps, const char *fmt, ...)
{
    if (!ps->errbuf || ps->errlen == 0)
        return;
    int n = snprintf(ps->errbuf, ps->errlen, "line %u: ", ps->line);
    if (n < 0 || (size_t)n >= ps->errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ps->errbuf + n, ps->errlen - (size_t)n, fmt, ap);
    va_end(ap);
}

static int collect(const cs_token *t, void *ud)
{
    parser *ps = ud;
    if (ps->ntok == CS_SYN_MAX_TOKENS) {
        ps->too_long = 1;
        return 1;
    }
    char *f = strdup(t->folded), *x = strdup(t->exact);
    if (!f || !x) {
        free(f);
        free(x);
        ps->nomem = 1;
        return 1;
    }
    ps->folded[ps->ntok] = f;
    ps->exact[ps->ntok] = x;
    ps->ntok++;
    return 0;
}

static void drop_tokens(parser *ps)
{
    for (size_t i = 0; i < ps->ntok; i++) {
        free(ps->folded[i]);
        free(ps->exact[i]);
    }
    ps->ntok = 0;
}

/* Words joined by spaces, malloc'd; NULL when out of memory. */
static char *join(char *const *w, size_t n)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += strlen(w[i]) + 1;
    char *s = malloc(len ? len : 1), *at = s;
    if (!s)
        return NULL;
    *s = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(w[i]);
        if (i)
            *at++ = ' ';
        memcpy(at, w[i], l + 1);
        at += l;
    }
    return s;
}

static int is_vowel(char c)
{
    return c && strchr("aeiou", c) != NULL;
}

/* The English plural of a folded ASCII word of three or more letters
 * ("park" -> "parks", "bus" -> "buses", "city" -> "cities"), or NULL when
 * the entry is not plain English (not ASCII letters, or has an apostrophe:
 * "people's") or out of memory. */
static char *plural_of(const char *text, const char *word)
{
    for (const char *s = text; *s; s++)
        if ((unsigned char)*s >= 0x80 || *s == '\'')
            return NULL;
    size_t n = strlen(word);
    if (n < 3)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (word[i] < 'a' || word[i] > 'z')
            return NULL;
    char *p = malloc(n + 3);
    if (!p)
        return NULL;
    memcpy(p, word, n + 1);
    char last = word[n - 1], before = word[n - 2];
    if (last == 'y' && !is_vowel(before))
        strcpy(p + n - 1, "ies");
    else if (strchr("sxz", last) || (last == 'h' && (before == 'c' || before == 's')))
        strcpy(p + n, "es");
    else
        strcpy(p + n, "s");
    return p;
}

static void phrase_free(phrase *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->e.ntokens; i++) {
        free(p->folded[i]);
        free(p->exact[i]);
    }
    free(p->folded);
    free(p->exact);
    free(p->text);
    free(p->plural);
    free(p->exact_key);
    free(p->folded_key);
    free(p->alts);
    free(p);
}

/* The index of the phrase for the tokens in ps (taking them over), adding it
 * if new. -1 when out of memory. */
static long intern_phrase(parser *ps, const char *text, size_t tlen)
{
    cs_synonyms *syn = ps->syn;
    char *xkey = join(ps->exact, ps->ntok);
    if (!xkey)
        return -1;
    for (size_t i = 0; i < syn->nphrases; i++)
        if (strcmp(syn->phrases[i]->exact_key, xkey) == 0) {
            free(xkey);
            drop_tokens(ps);
            return (long)i;
        }
    if (syn->nphrases == syn->cap) {
        size_t nc = syn->cap ? syn->cap * 2 : 64;
        phrase **np = realloc(syn->phrases, nc * sizeof *np);
        if (!np) {
            free(xkey);
            return -1;
        }
        syn->phrases = np;
        syn->cap = nc;
    }
    phrase *p = calloc(1, sizeof *p);
    if (!p) {
        free(xkey);
        return -1;
    }
    p->exact_key = xkey;
    p->folded = malloc(ps->ntok * sizeof *p->folded);
    p->exact = malloc(ps->ntok * sizeof *p->exact);
    p->text = strndup(text, tlen);
    if (!p->folded || !p->exact || !p->text) {
        phrase_free(p);
        return -1;
    }
    memcpy(p->folded, ps->folded, ps->ntok * sizeof *p->folded);
    memcpy(p->exact, ps->exact, ps->ntok * sizeof *p->exact);
    p->e.ntokens = ps->ntok;
    ps->ntok = 0;   /* the phrase owns the strings now */
    p->folded_key = join(p->folded, p->e.ntokens);
    if (!p->folded_key) {
        phrase_free(p);
        return -1;
    }
    p->plural = plural_of(p->text, p->folded[p->e.ntokens - 1]);
    p->strict = p->e.ntokens == 1 && strcmp(p->folded[0], p->exact[0]) != 0;
    p->e.text = p->text;
    p->e.folded = (const char *const *)p->folded;
    p->e.exact = (const char *const *)p->exact;
    p->e.plural = p->plural;
    syn->phrases[syn->nphrases] = p;
    return (long)syn->nphrases++;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* One line: a group of entries separated by '|'. 0 on success (or a blank
 * or comment line), -1 on error (message set). */
static int parse_line(parser *ps, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && is_space(s[i]))
        i++;
    if (i == len || s[i] == '#')
        return 0;
    if (!cs_utf8_valid(s, len)) {
        fail(ps, "invalid UTF-8");
        return -1;
    }
    for (size_t k = 0; k < len; k++)
        if ((unsigned char)s[k] < 0x20 && !is_space(s[k])) {
            fail(ps, "control character (byte %zu)", k + 1);
            return -1;
        }
    group g = {calloc(len / 2 + 2, sizeof(size_t)), 0};
    if (!g.ph)
        goto nomem;
    for (size_t at = 0; at <= len;) {
        const char *bar = memchr(s + at, '|', len - at);
        size_t end = bar ? (size_t)(bar - s) : len, a = at, b = end;
        while (a < b && is_space(s[a]))
            a++;
        while (b > a && is_space(s[b - 1]))
            b--;
        if (a == b) {
            fail(ps, "empty entry");
            goto bad;
        }
        ps->too_long = ps->nomem = 0;
        if (cs_tokenize(ps->tk, s + a, b - a, 0, collect, ps) < 0 || ps->nomem)
            goto nomem;
        if (ps->too_long || ps->ntok == 0) {
            if (ps->too_long)
                fail(ps, "entry \"%.*s\" has more than %d words", (int)(b - a), s + a,
                     CS_SYN_MAX_TOKENS);
            else
                fail(ps, "entry \"%.*s\" has no words", (int)(b - a), s + a);
            goto bad;
        }
        long idx = intern_phrase(ps, s + a, b - a);
        if (idx < 0)
            goto nomem;
        int seen = 0;
        for (size_t k = 0; k < g.n; k++)
            seen |= g.ph[k] == (size_t)idx;
        if (!seen)
            g.ph[g.n++] = (size_t)idx;
        at = end + 1;
    }
    if (g.n < 2) {
        fail(ps, "a group needs at least two different entries");
        goto bad;
    }
    group *ng = realloc(ps->syn->groups, (ps->syn->ngroups + 1) * sizeof *ng);
    if (!ng)
        goto nomem;
    ps->syn->groups = ng;
    ng[ps->syn->ngroups++] = g;
    return 0;
nomem:
    fail(ps, "out of memory");
bad:
    drop_tokens(ps);
    free(g.ph);
    return -1;
}

/* Fills each phrase's alternatives: the other phrases of every group it is
 * in, once each, leaving out those with the same folded words (they would
 * search for the same thing). -1 when out of memory. */
static int link_alternatives(cs_synonyms *syn)
{
    for (size_t gi = 0; gi < syn->ngroups; gi++) {
        const group *g = &syn->groups[gi];
        for (size_t a = 0; a < g->n; a++) {
            phrase *p = syn->phrases[g->ph[a]];
            for (size_t b = 0; b < g->n; b++) {
                const phrase *q = syn->phrases[g->ph[b]];
                if (q == p || strcmp(q->folded_key, p->folded_key) == 0)
                    continue;
                int dup = 0;
                for (size_t k = 0; k < p->nalts && !dup; k++)
                    dup = p->alts[k] == &q->e;
                if (dup)
                    continue;
                const cs_syn_entry **na = realloc(p->alts, (p->nalts + 1) * sizeof *na);
                if (!na)
                    return -1;
                p->alts = na;
                na[p->nalts++] = &q->e;
            }
        }
    }
    return 0;
}

static int key_cmp(const void *a, const void *b)
{
    return strcmp(((const key *)a)->word, ((const key *)b)->word);
}

/* The sorted lookup keys. Phrases without alternatives are left out: they
 * could only hide a shorter match that has some. -1 when out of memory. */
static int build_keys(cs_synonyms *syn)
{
    syn->keys = malloc((2 * syn->nphrases + 1) * sizeof *syn->keys);
    if (!syn->keys)
        return -1;
    for (size_t i = 0; i < syn->nphrases; i++) {
        const phrase *p = syn->phrases[i];
        if (p->nalts == 0)
            continue;
        syn->keys[syn->nkeys++] = (key){p->folded[0], p};
        if (p->e.ntokens == 1 && p->plural)
            syn->keys[syn->nkeys++] = (key){p->plural, p};
    }
    qsort(syn->keys, syn->nkeys, sizeof *syn->keys, key_cmp);
    return 0;
}

/* An indexed entry: several words (one word is a term already), some other
 * entry's alternative (which is what a search looks up), and a term that
 * fits. */
static int indexed(const phrase *p)
{
    char term[CS_MAX_TERM_BYTES + 8];
    return p->e.ntokens >= 2 && p->nalts > 0 && cs_syn_entry_term(&p->e, term, sizeof term);
}

/* FNV-1a over s and a separator byte. */
static unsigned long long fnv(unsigned long long h, const char *s)
{
    for (; s && *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return (h ^ 0x1f) * 0x100000001b3ULL;
}

/* The first words of the indexed entries, their longest, and the
 * fingerprint: a sum of one hash per entry (so order does not count) of
 * what matching compares. -1 when out of memory. */
static int index_entries(cs_synonyms *syn)
{
    /* Bump when the matching rules change. */
    unsigned long long sum = fnv(0xcbf29ce484222325ULL, "cs-synterms-1");
    for (size_t i = 0; i < syn->nphrases; i++) {
        phrase *p = syn->phrases[i];
        if (!(p->indexed = indexed(p)))
            continue;
        if (cs_idset_add(&syn->starts, p->folded[0], strlen(p->folded[0])) < 0)
            return -1;
        if (p->e.ntokens > syn->max_words)
            syn->max_words = p->e.ntokens;
        unsigned long long h = 0xcbf29ce484222325ULL;
        h = fnv(fnv(fnv(h, p->folded_key), p->exact_key), p->plural);
        sum += h;
    }
    syn->fingerprint = sum;
    return 0;
}

cs_synonyms *cs_synonyms_parse(const char *text, size_t len, char *errbuf,
                               size_t errlen)
{
    parser ps = {.errbuf = errbuf, .errlen = errlen};
    if (errbuf && errlen)
        errbuf[0] = '\0';
    ps.syn = calloc(1, sizeof *ps.syn);
    const char *err = NULL;
    ps.tk = cs_tokenizer_new(&err);
    if (!ps.syn || !ps.tk) {
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "%s", ps.tk ? "out of memory" : err ? err : "ICU failure");
        goto bad;
    }
    for (size_t at = 0; at < len;) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - text) : len;
        ps.line++;
        if (parse_line(&ps, text + at, end - at) < 0)
            goto bad;
        at = end + 1;
    }
    if (link_alternatives(ps.syn) < 0 || build_keys(ps.syn) < 0 ||
        index_entries(ps.syn) < 0) {
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "out of memory");
        goto bad;
    }
    cs_tokenizer_free(ps.tk);
    return ps.syn;
bad:
    cs_tokenizer_free(ps.tk);
    cs_synonyms_free(ps.syn);
    return NULL;
}

void cs_synonyms_free(cs_synonyms *syn)
{
    if (!syn)
        return;
    for (size_t i = 0; i < syn->nphrases; i++)
        phrase_free(syn->phrases[i]);
    for (size_t i = 0; i < syn->ngroups; i++)
        free(syn->groups[i].ph);
    free(syn->phrases);
    free(syn->groups);
    free(syn->keys);
    cs_idset_free(&syn->starts);
    free(syn);
}

size_t cs_synonyms_groups(const cs_synonyms *syn)
{
    return syn ? syn->ngroups : 0;
}

/* ------------------------------------------------------------------------
 * The built-in dictionary.
 * ---------------------------------------------------------------------- */

static pthread_once_t g_default_once = PTHREAD_ONCE_INIT;
static cs_synonyms *g_default;


static void load_default(void)
{
    char err[256];
    const char *path = getenv("CORPSEARCH_SYNONYMS");
    if (path && *path) {
        size_t len = 0;
        char *text = cs_read_file(path, &len);
        if (!text) {
            fprintf(stderr, "corpsearch: cannot read synonyms %s: %s\n", path,
                    strerror(errno));
            return;
        }
        g_default = cs_synonyms_parse(text, len, err, sizeof err);
        free(text);
        if (!g_default)
            fprintf(stderr, "corpsearch: %s: %s\n", path, err);
        return;
    }
    g_default = cs_synonyms_parse(cs_synonyms_tsv, cs_synonyms_tsv_len, err, sizeof err);
    if (!g_default)
        fprintf(stderr, "corpsearch: built-in synonyms: %s\n", err);
}

const cs_synonyms *cs_synonyms_default(void)
{
    if (pthread_once(&g_default_once, load_default) != 0)
        return NULL;
    return g_default;
}

/* ------------------------------------------------------------------------
 * Matching.
 * ---------------------------------------------------------------------- */

static int typed_with_marks(const char *const *folded, const char *const *exact, size_t i)
{
    return exact && exact[i] && strcmp(exact[i], folded[i]) != 0;
}

/* Non-zero if phrase p matches the query tokens from i on. */
static int phrase_matches(const phrase *p, const char *const *folded,
                          const char *const *exact, size_t n, size_t i)
{
    size_t nt = p->e.ntokens;
    if (nt > n - i)
        return 0;
    if (p->strict && !typed_with_marks(folded, exact, i))
        return 0;
    for (size_t k = 0; k < nt; k++) {
        const char *q = folded[i + k];
        if (!q)
            return 0;
        int last_plural = k == nt - 1 && p->plural && strcmp(q, p->plural) == 0;
        if (strcmp(q, p->folded[k]) != 0 && !last_plural)
            return 0;
        /* Marks typed and marks in the entry must agree; either side
         * without marks matches the other. */
        if (typed_with_marks(folded, exact, i + k) &&
            strcmp(p->exact[k], p->folded[k]) != 0 &&
            strcmp(p->exact[k], exact[i + k]) != 0)
            return 0;
    }
    return 1;
}

/* The first key for `word` (keys are sorted), or syn->nkeys if none. */
static size_t first_key(const cs_synonyms *syn, const char *word)
{
    size_t lo = 0, hi = syn->nkeys;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(syn->keys[mid].word, word) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < syn->nkeys && strcmp(syn->keys[lo].word, word) == 0 ? lo : syn->nkeys;
}

size_t cs_synonyms_match(const cs_synonyms *syn, const char *const *folded,
                         const char *const *exact, size_t n, cs_syn_match *out,
                         size_t max)
{
    size_t count = 0;
    if (!syn || !folded || (!out && max))
        return 0;
    for (size_t i = 0; i < n && count < max;) {
        size_t k0 = folded[i] ? first_key(syn, folded[i]) : syn->nkeys, best = 0;
        for (size_t k = k0; k < syn->nkeys && strcmp(syn->keys[k].word, folded[i]) == 0; k++) {
            const phrase *p = syn->keys[k].p;
            if (p->e.ntokens > best && phrase_matches(p, folded, exact, n, i))
                best = p->e.ntokens;
        }
        if (best == 0) {
            i++;
            continue;
        }
        for (size_t k = k0; k < syn->nkeys && count < max &&
                            strcmp(syn->keys[k].word, folded[i]) == 0; k++) {
            const phrase *p = syn->keys[k].p;
            if (p->e.ntokens == best && phrase_matches(p, folded, exact, n, i))
                out[count++] = (cs_syn_match){i, best, &p->e, p->alts, p->nalts};
        }
        i += best;
    }
    return count;
}

/* ------------------------------------------------------------------------
 * Synonym terms.
 * ---------------------------------------------------------------------- */

int cs_synonyms_starts(const cs_synonyms *syn, const char *folded, size_t len)
{
    return syn && syn->starts.n && cs_idset_has(&syn->starts, folded, len);
}

size_t cs_synonyms_max_words(const cs_synonyms *syn)
{
    return syn ? syn->max_words : 0;
}

int cs_synonyms_each_at(const cs_synonyms *syn, const char *const *folded,
                        const char *const *exact, size_t n,
                        int (*fn)(const cs_syn_entry *e, void *ud), void *ud)
{
    if (!syn || n == 0 || !folded[0])
        return 0;
    size_t k0 = first_key(syn, folded[0]);
    for (size_t k = k0; k < syn->nkeys && strcmp(syn->keys[k].word, folded[0]) == 0; k++) {
        const phrase *p = syn->keys[k].p;
        if (!p->indexed || !phrase_matches(p, folded, exact, n, 0))
            continue;
        /* Two spellings of one entry are one term, given once. */
        int seen = 0;
        for (size_t j = k0; j < k && !seen; j++) {
            const phrase *q = syn->keys[j].p;
            seen = q->indexed && strcmp(q->folded_key, p->folded_key) == 0 &&
                   phrase_matches(q, folded, exact, n, 0);
        }
        int rc = seen ? 0 : fn(&p->e, ud);
        if (rc)
            return rc;
    }
    return 0;
}

size_t cs_syn_entry_term(const cs_syn_entry *e, char *buf, size_t cap)
{
    size_t pl = strlen(CS_PREFIX_SYNONYM), n = pl;
    for (size_t i = 0; i < e->ntokens; i++)
        n += strlen(e->folded[i]) + (i > 0);
    if (n >= cap || n > CS_MAX_TERM_BYTES)
        return 0;
    char *at = buf;
    memcpy(at, CS_PREFIX_SYNONYM, pl);
    at += pl;
    for (size_t i = 0; i < e->ntokens; i++) {
        size_t l = strlen(e->folded[i]);
        if (i)
            *at++ = ' ';
        memcpy(at, e->folded[i], l);
        at += l;
    }
    *at = '\0';
    return n;
}

unsigned long long cs_synonyms_fingerprint(const cs_synonyms *syn)
{
    return syn ? syn->fingerprint : 0;
}

size_t cs_synonyms_marker(const cs_synonyms *syn, char *buf)
{
    int n = snprintf(buf, CS_SYN_MARKER_BYTES, "%s%016llx", CS_PREFIX_SYNONYM_MARKER,
                     cs_synonyms_fingerprint(syn));
    return n > 0 ? (size_t)n : 0;
}
