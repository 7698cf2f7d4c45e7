/* gazetteer.c -- the province gazetteer (data/gazetteer.tsv): parsing,
 * lookup, resolving filter names, the 2025 units; plus the code-point table
 * and word scanner that all the extractors share (extract_internal.h).
 */
#include "datafile.h"
#include "extract_internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf16.h>
#include <unicode/unorm2.h>

/* The data file, embedded at build time by data/embed.py. */
extern const char cs_gazetteer_tsv[];
extern const size_t cs_gazetteer_tsv_len;

/* ------------------------------------------------------------------------
 * Code points: lower case and fold, from ICU, once per process.
 * ---------------------------------------------------------------------- */

cs_cpinfo cs_cptab[CS_CPTAB_SIZE];
static pthread_once_t g_chars_once = PTHREAD_ONCE_INIT;
static int g_chars_err;

/* Lower case and fold of a letter or digit: fold is the first code point of
 * the lower case's canonical decomposition (the base letter: ắ -> a, ơ -> o),
 * and đ, which has no decomposition, folds to d -- as tokenizer.h defines. */
static void letter_forms(const UNormalizer2 *nfd, uint32_t cp, uint32_t *lower,
                         uint32_t *fold) {
    UChar d[16];
    UErrorCode e = U_ZERO_ERROR;
    uint32_t lo = (uint32_t)u_tolower((UChar32)cp);
    uint32_t f = lo;
    int32_t n = unorm2_getDecomposition(nfd, (UChar32)lo, d, 16, &e);
    if (U_SUCCESS(e) && n > 0 && !U16_IS_SURROGATE(d[0])) f = d[0];
    if (f == 0x111) f = 'd';
    *lower = lo;
    *fold = f;
}

static void build_chars(void) {
    UErrorCode e = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&e);
    if (U_FAILURE(e)) {
        g_chars_err = 1;
        return;
    }
    for (uint32_t c = 0; c < CS_CPTAB_SIZE; c++) {
        cs_cpinfo *t = &cs_cptab[c];
        int8_t type = u_charType((UChar32)c);
        if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK) {
            t->cls = CS_CH_MARK;
            t->lower = (uint16_t)c;
            t->fold = 0;
        } else if (u_isalnum((UChar32)c)) {
            uint32_t lo, f;
            letter_forms(nfd, c, &lo, &f);
            t->cls = CS_CH_ALNUM;
            t->lower = (uint16_t)(lo < 0x10000 ? lo : c);
            t->fold = (uint16_t)(f < 0x10000 ? f : t->lower);
        } else {
            t->cls = CS_CH_OTHER;
            t->lower = (uint16_t)c;
            t->fold = (uint16_t)c;
        }
    }
}

int cs_chars_ready(void) {
    if (pthread_once(&g_chars_once, build_chars) != 0) return -1;
    return g_chars_err ? -1 : 0;
}

/* Outside the table: letters and digits are words, kept as they are (no
 * Vietnamese letter lives there, so nothing to fold). */
void cs_cp_slow(uint32_t cp, uint32_t *lower, uint32_t *fold, int *cls) {
    int8_t type = cp <= 0x10FFFF ? u_charType((UChar32)cp) : U_UNASSIGNED;
    *lower = *fold = cp;
    if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK) {
        *cls = CS_CH_MARK;
        *fold = 0;
    } else if (cp != 0xFFFD && u_isalnum((UChar32)cp)) {
        *cls = CS_CH_ALNUM;
        *lower = *fold = (uint32_t)u_tolower((UChar32)cp);
    } else {
        *cls = CS_CH_OTHER;
    }
}

size_t cs_fold_ascii(const char *s, size_t len, char *out, size_t cap, size_t *off) {
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    size_t o = 0;
    if (cap == 0) return 0;
    while (p < end && o + 1 < cap) {
        uint32_t cp, lo, fo;
        int cls;
        size_t n = cs_utf8_next(p, end, &cp);
        cs_cp_info(cp, &lo, &fo, &cls);
        char c;
        if (cls == CS_CH_MARK) {
            p += n;
            continue;
        }
        if (cls == CS_CH_ALNUM) c = fo < 0x80 ? (char)fo : '?';
        else if (cp < 0x80) c = (char)cp;
        else if (cp == 0xA0 || cp == 0x2009 || cp == 0x202F) c = ' ';
        else if (cp >= 0x2010 && cp <= 0x2015) c = '-';
        else if (cp == 0x2018 || cp == 0x2019) c = '\'';
        else c = '?';
        if (off) off[o] = (size_t)(p - (const unsigned char *)s);
        out[o++] = c;
        p += n;
    }
    out[o] = '\0';
    return o;
}

/* ------------------------------------------------------------------------
 * Words.
 * ---------------------------------------------------------------------- */

#define HASH_INIT 0xcbf29ce484222325ULL
#define HASH_MUL 0x100000001b3ULL

uint64_t cs_word_hash(const char *w) {
    uint64_t h = HASH_INIT;
    for (; *w; w++) {
        unsigned c = (unsigned char)*w;
        if (c >= 'A' && c <= 'Z') c |= 0x20;
        h = (h ^ c) * HASH_MUL;
    }
    return h;
}

uint64_t cs_exact_hash(const char *word) {
    cs_wordvec wv = {0};
    uint64_t h = 0;
    if (cs_scan_words(word, strlen(word), &wv) == 0 && wv.n == 1) h = wv.v[0].eh;
    free(wv.v);
    return h;
}

/* Separators allowed inside a multi-word name: 0 = space, 1 = hyphen, dash
 * or dot, 2 = anything else (a break). */
static int gap_kind(uint32_t cp) {
    if (cp == ' ' || cp == '\t' || cp == 0xA0) return 0;
    if (cp == '-' || cp == '.' || (cp >= 0x2010 && cp <= 0x2014)) return 1;
    return 2;
}

static int wordvec_reserve(cs_wordvec *wv, size_t need) {
    if (need <= wv->cap) return 0;
    size_t nc = wv->cap ? wv->cap * 2 : 64;
    while (nc < need) nc *= 2;
    cs_word *nv = realloc(wv->v, nc * sizeof(cs_word));
    if (!nv) return -1;
    wv->v = nv;
    wv->cap = nc;
    return 0;
}

/* Per code point: the lower-case form, the fold and the class, with ASCII
 * done inline (most of any text, even Vietnamese). */
static inline size_t next_info(const unsigned char *p, const unsigned char *end, uint32_t *cp,
                               uint32_t *lo, uint32_t *fo, int *cls) {
    if (*p < 0x80) {
        const cs_cpinfo *e = &cs_cptab[*p];
        *cp = *p;
        *lo = *fo = e->lower;
        *cls = e->cls;
        return 1;
    }
    size_t n = cs_utf8_next(p, end, cp);
    cs_cp_info(*cp, lo, fo, cls);
    return n;
}

int cs_scan_words(const char *s, size_t len, cs_wordvec *wv) {
    const unsigned char *base = (const unsigned char *)s;
    const unsigned char *p = base, *end = base + len;
    int gap = 2; /* worst separator since the last word; the start breaks */
    /* about one word per five bytes of text: reserve once, rarely grow */
    if (wordvec_reserve(wv, wv->n + len / 5 + 8)) return -1;
    while (p < end) {
        uint32_t cp, lo, fo;
        int cls;
        size_t n = next_info(p, end, &cp, &lo, &fo, &cls);
        if (cls == CS_CH_OTHER) {
            int k = gap_kind(cp);
            if (k > gap) gap = k;
            p += n;
            continue;
        }
        if (wv->n == wv->cap && wordvec_reserve(wv, wv->n + 1)) return -1;
        cs_word *w = &wv->v[wv->n++];
        w->start = (uint32_t)(p - base);
        unsigned flags = gap == 2 ? CS_W_BREAK : gap == 0 ? CS_W_ADJ : 0;
        if (lo != cp) flags |= CS_W_UPPER;
        if (cp >= '0' && cp <= '9') flags |= CS_W_DIGIT;
        /* The exact hash equals the folded one until the first diacritic:
         * keep one chain until then. */
        uint64_t fh = HASH_INIT, eh = 0;
        for (;;) {
            if (fo != lo && !(flags & CS_W_DIAC)) {
                flags |= CS_W_DIAC;
                eh = fh;
            }
            if (flags & CS_W_DIAC) eh = (eh ^ lo) * HASH_MUL;
            if (fo) fh = (fh ^ fo) * HASH_MUL;
            if (!(cp >= '0' && cp <= '9')) flags |= CS_W_ALPHA;
            p += n;
            if (p >= end) break;
            n = next_info(p, end, &cp, &lo, &fo, &cls);
            if (cls == CS_CH_OTHER) break;
        }
        w->end = (uint32_t)(p - base);
        w->fh = fh;
        w->eh = (flags & CS_W_DIAC) ? eh : fh;
        w->flags = flags;
        gap = -1;
    }
    return 0;
}

/* ------------------------------------------------------------------------
 * Parsing the data file.
 * ---------------------------------------------------------------------- */

typedef struct row {
    char kind;
    char *f[4];
    unsigned line;
} row;

/* Parser state: the gazetteer being built and its growable arrays. */
typedef struct parser {
    cs_gazetteer *g;
    size_t cap_aliases, cap_words, cap_names;
    char *err;
    size_t errlen;
} parser;

static int perr(parser *ps, unsigned line, const char *fmt, ...) {
    if (ps->err && ps->errlen) {
        int k = snprintf(ps->err, ps->errlen, "gazetteer line %u: ", line);
        if (k < 0) k = 0;
        if ((size_t)k < ps->errlen) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(ps->err + k, ps->errlen - (size_t)k, fmt, ap);
            va_end(ap);
        }
    }
    return -1;
}

static int grow(void **v, size_t *cap, size_t need, size_t size) {
    if (need <= *cap) return 0;
    size_t nc = *cap ? *cap * 2 : 64;
    while (nc < need) nc *= 2;
    void *nv = realloc(*v, nc * size);
    if (!nv) return -1;
    *v = nv;
    *cap = nc;
    return 0;
}

/* An alias's words (n may exceed CS_ALIAS_MAX_WORDS: then only that many
 * are kept). */
typedef struct alias_words {
    cs_alias_word w[CS_ALIAS_MAX_WORDS];
    size_t n;
} alias_words;

/* The words of an alias text. 0, or -1 when out of memory. */
static int alias_scan(const char *text, alias_words *aw) {
    cs_wordvec wv = {0};
    int rc = cs_scan_words(text, strlen(text), &wv);
    aw->n = wv.n;
    for (size_t i = 0; i < wv.n && i < CS_ALIAS_MAX_WORDS; i++) {
        aw->w[i].fh = wv.v[i].fh;
        aw->w[i].eh = wv.v[i].eh;
        aw->w[i].upper = (wv.v[i].flags & CS_W_UPPER) != 0;
    }
    free(wv.v);
    return rc;
}

static uint64_t phrase_hash(const cs_alias_word *w, size_t n, int exact) {
    uint64_t h = HASH_INIT;
    for (size_t i = 0; i < n; i++) h = (h ^ (exact ? w[i].eh : w[i].fh)) * HASH_MUL;
    return h;
}

/* Add one alias (text as in the data file, markers stripped by the caller). */
static int add_alias(parser *ps, unsigned line, const char *text, int prov,
                     unsigned flags) {
    cs_gazetteer *g = ps->g;
    alias_words aw;
    if (alias_scan(text, &aw)) return perr(ps, line, "out of memory");
    if (aw.n == 0) return perr(ps, line, "alias \"%s\" has no words", text);
    if (aw.n > CS_ALIAS_MAX_WORDS)
        return perr(ps, line, "alias \"%s\" has more than %d words", text,
                    CS_ALIAS_MAX_WORDS);
    if (grow((void **)&g->aliases, &ps->cap_aliases, g->naliases + 1, sizeof(cs_alias)) ||
        grow((void **)&g->words, &ps->cap_words, g->nwords + aw.n, sizeof(cs_alias_word)))
        return perr(ps, line, "out of memory");
    cs_alias *a = &g->aliases[g->naliases++];
    a->prov = prov;
    a->flags = flags;
    a->nwords = (unsigned)aw.n;
    a->first = g->nwords;
    a->phrase = phrase_hash(aw.w, aw.n, 0);
    memcpy(g->words + g->nwords, aw.w, aw.n * sizeof(cs_alias_word));
    g->nwords += aw.n;
    return 0;
}

static char *trim(char *s) {
    while (*s == ' ') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\r')) s[--n] = '\0';
    return s;
}

/* Exact phrase hash of an alias text, to spot a name repeated as an alias. */
static uint64_t exact_phrase(const char *text) {
    alias_words aw;
    if (alias_scan(text, &aw)) return 0;
    return phrase_hash(aw.w, aw.n > CS_ALIAS_MAX_WORDS ? CS_ALIAS_MAX_WORDS : aw.n, 1);
}

/* The '|'-separated alias list of a P, T or X row. For a P row the name is
 * added first unless the list repeats it (with a marker, say). */
static int add_alias_list(parser *ps, const row *r, int prov, unsigned extra) {
    char *list = r->f[3];
    int name_listed = 0;
    if (r->kind == 'P') {
        uint64_t nh = exact_phrase(r->f[1]);
        for (char *a = list; a;) {
            char *bar = strchr(a, '|');
            if (bar) *bar = '\0';
            char *t = trim(a);
            while (*t == '~' || *t == '^' || *t == '!') t++;
            if (exact_phrase(t) == nh) name_listed = 1;
            if (bar) *bar = '|';
            a = bar ? bar + 1 : NULL;
        }
        if (!name_listed && add_alias(ps, r->line, r->f[1], prov, extra)) return -1;
    }
    for (char *a = list; a;) {
        char *bar = strchr(a, '|');
        if (bar) *bar = '\0';
        char *t = trim(a);
        unsigned flags = extra;
        for (;; t++) {
            if (*t == '~') flags |= CS_AL_WEAK;
            else if (*t == '^') flags |= CS_AL_RESOLVE;
            else if (*t == '!') flags |= CS_AL_CONTEXT;
            else break;
        }
        if (add_alias(ps, r->line, t, prov, flags)) return -1;
        a = bar ? bar + 1 : NULL;
    }
    return 0;
}

static int add_namewords(parser *ps, const row *r) {
    cs_gazetteer *g = ps->g;
    for (char *a = r->f[3]; a;) {
        char *bar = strchr(a, '|');
        if (bar) *bar = '\0';
        alias_words aw;
        char *t = trim(a);
        if (alias_scan(t, &aw)) return perr(ps, r->line, "out of memory");
        if (aw.n != 1) return perr(ps, r->line, "name word \"%s\" is not one word", t);
        if (grow((void **)&g->namewords, &ps->cap_names, g->nnamewords + 1, sizeof(uint64_t)))
            return perr(ps, r->line, "out of memory");
        g->namewords[g->nnamewords++] = aw.w[0].fh;
        a = bar ? bar + 1 : NULL;
    }
    return 0;
}

/* Split the private copy into rows. Returns the row count, or -1 (then
 * *out is NULL). */
static long split_rows(parser *ps, char *text, row **out) {
    row *rows = NULL;
    size_t n = 0, cap = 0;
    unsigned line = 0;
    *out = NULL;
    for (char *p = text; p && *p;) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = '\0';
        line++;
        char *l = p;
        p = nl ? nl + 1 : NULL;
        size_t ll = strlen(l);
        if (ll && l[ll - 1] == '\r') l[--ll] = '\0';
        if (l[0] == '#' || l[strspn(l, " \t")] == '\0') continue;
        if (grow((void **)&rows, &cap, n + 1, sizeof(row))) {
            perr(ps, line, "out of memory");
            goto fail;
        }
        row *r = &rows[n];
        r->line = line;
        int nf = 0;
        for (char *f = l; f; nf++) {
            char *tab = strchr(f, '\t');
            if (tab) *tab = '\0';
            if (nf < 4) r->f[nf] = trim(f);
            f = tab ? tab + 1 : NULL;
        }
        if (nf != 4) {
            perr(ps, line, "expected 4 tab-separated fields, found %d", nf);
            goto fail;
        }
        if (strlen(r->f[0]) != 1 || !strchr("PTXN", r->f[0][0])) {
            perr(ps, line, "unknown kind \"%s\" (expected P, T, X or N)", r->f[0]);
            goto fail;
        }
        r->kind = r->f[0][0];
        if (!r->f[1][0] || !r->f[2][0] || !r->f[3][0]) {
            perr(ps, line, "empty field");
            goto fail;
        }
        n++;
    }
    *out = rows;
    return (long)n;
fail:
    free(rows);
    return -1;
}

static int find_prov(const cs_gazetteer *g, const char *name) {
    for (size_t i = 0; i < g->nprovs; i++)
        if (strcmp(g->provs[i].name, name) == 0) return (int)i;
    return -1;
}

/* qsort order for the first-word index: by key, then longest alias first,
 * then data order. */
typedef struct cand_sort {
    uint64_t key;
    unsigned nwords;
    uint32_t idx;
} cand_sort;

static int cmp_cand(const void *a, const void *b) {
    const cand_sort *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    if (x->nwords != y->nwords) return x->nwords > y->nwords ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t bucket_key(uint64_t fh) { return fh ? fh : 1; }

static int build_index(cs_gazetteer *g) {
    cand_sort *cs = malloc((g->naliases + 1) * sizeof(cand_sort));
    g->cand = malloc((g->naliases + 1) * sizeof(uint32_t));
    if (!cs || !g->cand) {
        free(cs);
        return -1;
    }
    size_t n = 0;
    for (size_t i = 0; i < g->naliases; i++) {
        const cs_alias *a = &g->aliases[i];
        if (a->flags & CS_AL_RESOLVE) continue;
        cs[n].key = bucket_key(g->words[a->first].fh);
        cs[n].nwords = a->nwords;
        cs[n].idx = (uint32_t)i;
        n++;
    }
    qsort(cs, n, sizeof(cand_sort), cmp_cand);
    size_t nb = 16;
    while (nb < 2 * n) nb *= 2;
    g->buckets = calloc(nb, sizeof(cs_gz_bucket));
    if (!g->buckets) {
        free(cs);
        return -1;
    }
    g->nbuckets = nb;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && cs[j].key == cs[i].key) {
            g->cand[j] = cs[j].idx;
            j++;
        }
        uint64_t fh = g->words[g->aliases[cs[i].idx].first].fh;
        g->first_bits[(fh >> 6) & 1023] |= 1ULL << (fh & 63);
        size_t h = (size_t)cs[i].key & (nb - 1);
        while (g->buckets[h].key) h = (h + 1) & (nb - 1);
        g->buckets[h].key = cs[i].key;
        g->buckets[h].start = (uint32_t)i;
        g->buckets[h].count = (uint32_t)(j - i);
        i = j;
    }
    free(cs);
    if (g->nnamewords) qsort(g->namewords, g->nnamewords, sizeof(uint64_t), cmp_u64);
    return 0;
}

/* An alias that folds like a weak alias of its province is weak too when the
 * text does not spell it with diacritics. */
static void mark_weak_folded(cs_gazetteer *g) {
    for (size_t i = 0; i < g->naliases; i++) {
        cs_alias *a = &g->aliases[i];
        if (a->flags & CS_AL_WEAK) a->flags |= CS_AL_WEAK_FOLDED;
        for (size_t j = 0; j < g->naliases && !(a->flags & CS_AL_WEAK_FOLDED); j++) {
            const cs_alias *b = &g->aliases[j];
            if ((b->flags & CS_AL_WEAK) && b->prov == a->prov && b->phrase == a->phrase)
                a->flags |= CS_AL_WEAK_FOLDED;
        }
    }
}

static int parse_rows(parser *ps, row *rows, size_t n) {
    cs_gazetteer *g = ps->g;
    size_t np = 0;
    for (size_t i = 0; i < n; i++) np += rows[i].kind == 'P';
    if (np == 0) return perr(ps, 0, "no province (P) rows");
    g->provs = calloc(np, sizeof(cs_province));
    if (!g->provs) return perr(ps, 0, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const row *r = &rows[i];
        if (r->kind != 'P') continue;
        if (find_prov(g, r->f[1]) >= 0)
            return perr(ps, r->line, "province \"%s\" listed twice", r->f[1]);
        if (strcmp(r->f[2], "-") == 0)
            return perr(ps, r->line, "province \"%s\" has no 2025 unit", r->f[1]);
        g->provs[g->nprovs].name = r->f[1];
        g->provs[g->nprovs].unit = r->f[2];
        g->nprovs++;
    }
    /* A unit named after a province shares that province's string. */
    for (size_t i = 0; i < g->nprovs; i++) {
        int u = find_prov(g, g->provs[i].unit);
        if (u >= 0) g->provs[i].unit = g->provs[u].name;
    }
    for (size_t i = 0; i < n; i++) {
        const row *r = &rows[i];
        int rc = 0;
        if (r->kind == 'P') {
            rc = add_alias_list(ps, r, find_prov(g, r->f[1]), 0);
        } else if (r->kind == 'T') {
            int p = find_prov(g, r->f[1]);
            if (p < 0) return perr(ps, r->line, "unknown province \"%s\"", r->f[1]);
            rc = add_alias_list(ps, r, p, 0);
        } else if (r->kind == 'X') {
            rc = add_alias_list(ps, r, -1, CS_AL_STOP);
        } else {
            rc = add_namewords(ps, r);
        }
        if (rc) return -1;
    }
    mark_weak_folded(g);
    if (build_index(g)) return perr(ps, 0, "out of memory");
    return 0;
}

cs_gazetteer *cs_gazetteer_parse(const char *text, size_t len, char *errbuf,
                                 size_t errlen) {
    parser ps = {0};
    ps.err = errbuf;
    ps.errlen = errlen;
    if (errbuf && errlen) errbuf[0] = '\0';
    if (cs_chars_ready()) {
        if (errbuf && errlen) snprintf(errbuf, errlen, "gazetteer: ICU failed");
        return NULL;
    }
    if (!text && len) {
        perr(&ps, 0, "no text");
        return NULL;
    }
    cs_gazetteer *g = calloc(1, sizeof *g);
    if (!g || !(g->text = malloc(len + 1))) {
        free(g);
        if (errbuf && errlen) snprintf(errbuf, errlen, "gazetteer: out of memory");
        return NULL;
    }
    if (len) memcpy(g->text, text, len);
    g->text[len] = '\0';
    if (memchr(g->text, '\0', len)) {
        perr(&ps, 0, "NUL byte in the data");
        cs_gazetteer_free(g);
        return NULL;
    }
    ps.g = g;
    row *rows = NULL;
    long n = split_rows(&ps, g->text, &rows);
    int rc = n < 0 ? -1 : parse_rows(&ps, rows, (size_t)n);
    free(rows);
    if (rc) {
        cs_gazetteer_free(g);
        return NULL;
    }
    return g;
}

void cs_gazetteer_free(cs_gazetteer *g) {
    if (!g) return;
    free(g->text);
    free(g->provs);
    free(g->aliases);
    free(g->words);
    free(g->cand);
    free(g->buckets);
    free(g->namewords);
    free(g);
}

/* ------------------------------------------------------------------------
 * The built-in gazetteer.
 * ---------------------------------------------------------------------- */

static pthread_once_t g_default_once = PTHREAD_ONCE_INIT;
static cs_gazetteer *g_default;


static void load_default(void) {
    char err[256];
    const char *path = getenv("CORPSEARCH_GAZETTEER");
    if (path && *path) {
        size_t len = 0;
        char *text = cs_read_file(path, &len);
        if (!text) {
            fprintf(stderr, "corpsearch: cannot read gazetteer %s: %s\n", path,
                    strerror(errno));
            return;
        }
        g_default = cs_gazetteer_parse(text, len, err, sizeof err);
        free(text);
        if (!g_default) fprintf(stderr, "corpsearch: %s: %s\n", path, err);
        return;
    }
    g_default = cs_gazetteer_parse(cs_gazetteer_tsv, cs_gazetteer_tsv_len, err, sizeof err);
    if (!g_default) fprintf(stderr, "corpsearch: built-in gazetteer: %s\n", err);
}

const cs_gazetteer *cs_gazetteer_default(void) {
    if (pthread_once(&g_default_once, load_default) != 0) return NULL;
    return g_default;
}

/* ------------------------------------------------------------------------
 * Lookups.
 * ---------------------------------------------------------------------- */

const uint32_t *cs_gz_probe(const cs_gazetteer *g, uint64_t fh, size_t *n) {
    uint64_t key = bucket_key(fh);
    size_t mask = g->nbuckets - 1;
    for (size_t h = (size_t)key & mask;; h = (h + 1) & mask) {
        const cs_gz_bucket *b = &g->buckets[h];
        if (b->key == key) {
            *n = b->count;
            return g->cand + b->start;
        }
        if (!b->key) break;
    }
    *n = 0;
    return NULL;
}

int cs_gz_is_nameword(const cs_gazetteer *g, uint64_t fh) {
    return g->nnamewords &&
           bsearch(&fh, g->namewords, g->nnamewords, sizeof(uint64_t), cmp_u64) != NULL;
}

/* Folded word hashes of a short input (at most 16 words). */
typedef struct hashes {
    uint64_t h[16];
    size_t n;
} hashes;

/* 0, or -1 when the input is too long or memory runs out. */
static int input_hashes(const char *s, size_t len, hashes *hs) {
    cs_wordvec wv = {0};
    int rc = cs_scan_words(s, len, &wv);
    hs->n = wv.n;
    if (wv.n > 16) rc = -1;
    for (size_t i = 0; rc == 0 && i < wv.n; i++) hs->h[i] = wv.v[i].fh;
    free(wv.v);
    return rc;
}

static int lookup_phrase(const cs_gazetteer *g, const uint64_t *h, size_t n) {
    if (n == 0) return -1;
    uint64_t ph = HASH_INIT;
    for (size_t i = 0; i < n; i++) ph = (ph ^ h[i]) * HASH_MUL;
    for (size_t i = 0; i < g->naliases; i++) {
        const cs_alias *a = &g->aliases[i];
        if (a->prov >= 0 && a->nwords == n && a->phrase == ph) return a->prov;
    }
    return -1;
}

/* Words around a name that say what it is, ignored when resolving. */
static int lookup_words(const cs_gazetteer *g, const uint64_t *h, size_t n) {
    const uint64_t tinh = cs_word_hash("tinh"), thanh = cs_word_hash("thanh"),
                   pho = cs_word_hash("pho"), tp = cs_word_hash("tp"),
                   province = cs_word_hash("province"), city = cs_word_hash("city"),
                   of = cs_word_hash("of");
    int p = lookup_phrase(g, h, n);
    if (p >= 0) return p;
    size_t a = 0, b = n;
    if (b - a >= 2 && h[a] == thanh && h[a + 1] == pho) a += 2;
    else if (b - a >= 1 && (h[a] == tinh || h[a] == tp)) a += 1;
    else if (b - a >= 2 && (h[a] == province || h[a] == city) && h[a + 1] == of) a += 2;
    if (b - a >= 1 && (h[b - 1] == province || h[b - 1] == city || h[b - 1] == tinh)) b--;
    return a == 0 && b == n ? -1 : lookup_phrase(g, h + a, b - a);
}

int cs_gz_lookup(const cs_gazetteer *g, const char *name, size_t len) {
    hashes hs;
    if (!g || !name || input_hashes(name, len, &hs)) return -1;
    return lookup_words(g, hs.h, hs.n);
}

size_t cs_gazetteer_resolve(const cs_gazetteer *g, const char *name,
                            const char **out, size_t max) {
    const uint64_t y2025 = cs_word_hash("2025"), moi = cs_word_hash("moi"),
                   new_ = cs_word_hash("new");
    hashes hs;
    if (!g || !name || input_hashes(name, strlen(name), &hs)) return 0;
    /* "Bắc Ninh (2025)", "bac ninh 2025", "Bắc Ninh mới", "new Bac Ninh":
     * the 2025 unit. */
    int unit = 0;
    const uint64_t *h = hs.h;
    size_t n = hs.n;
    if (n > 1 && (h[n - 1] == y2025 || h[n - 1] == moi)) n--, unit = 1;
    else if (n > 1 && h[0] == new_) h++, n--, unit = 1;
    int p = lookup_words(g, h, n);
    if (p < 0) return 0;
    if (!unit) {
        if (max) out[0] = g->provs[p].name;
        return max ? 1 : 0;
    }
    const char *u = g->provs[p].unit;
    size_t k = 0;
    if (k < max) out[k++] = u;
    for (size_t i = 0; i < g->nprovs && k < max; i++)
        if (strcmp(g->provs[i].unit, u) == 0 && strcmp(g->provs[i].name, u) != 0)
            out[k++] = g->provs[i].name;
    return k;
}

const char *cs_gazetteer_unit2025(const cs_gazetteer *g, const char *province) {
    if (!g || !province) return NULL;
    int p = find_prov(g, province);
    if (p < 0) p = cs_gz_lookup(g, province, strlen(province));
    return p < 0 ? NULL : g->provs[p].unit;
}
