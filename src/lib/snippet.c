/* snippet.c -- choosing and marking the passage of an article that matches a query.
 *
 * Xapian's MSet::snippet() only knows terms as TermGenerator makes them; it
 * cannot mark "Bắc" for the folded query word "bac". So snippets are made
 * here: the stored text is re-tokenized with the same ICU tokenizer as at
 * index time and each word's folded form is looked up in the query's words.
 */
#include "snippet.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "xapian_c.h"

/* Scanning a whole 8 MB article for every hit would make a results page
 * slow; matches past this point are not looked for. */
#define SCAN_MAX_BYTES (64u * 1024u)
#define MAX_HITS 4096

typedef struct hit {
    size_t start, end;
    unsigned long long ids;   /* which query words or phrases matched: bit
                                 id, ids past 62 sharing bit 63 */
} hit;

static unsigned long long id_bit(size_t id)
{
    return 1ULL << (id < 63 ? id : 63);
}

/* A token the scan went past, for matching phrases that end later. */
typedef struct recent_tok {
    size_t start;
    char folded[4 * CS_MAX_WORD_BYTES + 1];
} recent_tok;

typedef struct scan_ctx {
    const cs_match_set *m;
    recent_tok recent[CS_MATCH_PHRASE_MAX];   /* ring: token k at k % MAX */
    size_t ntokens;         /* tokens seen (only kept when there are phrases) */
    struct xc_stemmer *stem;
    hit *hits;
    size_t n, cap;
    int oom;
    unsigned char stem_first[256];   /* 1 for the first byte of a query stem */
    size_t window;          /* > 0: stop at the first window this wide... */
    unsigned long long all; /* ...holding hits of all these word ids */
    size_t stop_at;         /* > 0: no token starting past here matters */
} scan_ctx;

void cs_match_set_free(cs_match_set *m)
{
    for (size_t i = 0; i < m->nwords; i++)
        free(m->words[i]);
    for (size_t i = 0; i < m->nprefixes; i++)
        free(m->prefixes[i]);
    for (size_t i = 0; i < m->nstems; i++)
        free(m->stems[i]);
    for (size_t i = 0; i < m->nseq; i++)
        free(m->seq[i]);
    for (size_t i = 0; i < m->nphrases; i++) {
        for (size_t k = 0; k < m->phrases[i].n; k++)
            free(m->phrases[i].words[k]);
        free(m->phrases[i].words);
    }
    free(m->phrases);
    free(m->seq);
    free(m->words);
    free(m->prefixes);
    free(m->stems);
    memset(m, 0, sizeof *m);
}

int cs_match_set_add(char ***list, size_t *n, const char *s)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*list)[i], s) == 0)
            return 0;
    char **l = realloc(*list, (*n + 1) * sizeof *l);
    if (!l)
        return -1;
    *list = l;
    if (!(l[*n] = strdup(s)))
        return -1;
    (*n)++;
    return 0;
}

int cs_match_set_add_seq(cs_match_set *m, const char *s)
{
    char **l = realloc(m->seq, (m->nseq + 1) * sizeof *l);
    if (!l)
        return -1;
    m->seq = l;
    if (!(l[m->nseq] = strdup(s)))
        return -1;
    m->nseq++;
    return 0;
}

int cs_match_set_add_typed(cs_match_set *m, const char *s)
{
    if (cs_match_set_add(&m->words, &m->nwords, s) < 0)
        return -1;
    for (size_t i = 0; i < m->nwords && i < 64; i++)
        if (strcmp(m->words[i], s) == 0)
            m->typed |= 1ULL << i;
    return 0;
}

/* Is phrases[i] words[0..n)? */
static int same_phrase(const cs_match_phrase *p, const char *const *words, size_t n)
{
    if (p->n != n)
        return 0;
    for (size_t k = 0; k < n; k++)
        if (strcmp(p->words[k], words[k]) != 0)
            return 0;
    return 1;
}

int cs_match_set_add_phrase(cs_match_set *m, const char *const *words, size_t n, int typed)
{
    if (n < 2 || n > CS_MATCH_PHRASE_MAX)
        return 0;
    size_t i = 0;
    while (i < m->nphrases && !same_phrase(&m->phrases[i], words, n))
        i++;
    if (i == m->nphrases) {
        cs_match_phrase *l = realloc(m->phrases, (m->nphrases + 1) * sizeof *l);
        if (!l)
            return -1;
        m->phrases = l;
        cs_match_phrase *p = &l[i];
        if (!(p->words = calloc(n, sizeof *p->words)))
            return -1;
        m->nphrases++;   /* from here on freed with the set */
        for (p->n = 0; p->n < n; p->n++)
            if (!(p->words[p->n] = strdup(words[p->n])))
                return -1;
    }
    if (typed && i < 64)
        m->typed_phrases |= 1ULL << i;
    return 0;
}

/* Which query word a folded token matches, as an id; -1 for none. */
static long match_id(const scan_ctx *c, const cs_token *t)
{
    const cs_match_set *m = c->m;
    for (size_t i = 0; i < m->nwords; i++)
        if (strcmp(m->words[i], t->folded) == 0)
            return (long)i;
    for (size_t i = 0; i < m->nprefixes; i++)
        if (strncmp(m->prefixes[i], t->folded, strlen(m->prefixes[i])) == 0)
            return (long)(m->nwords + i);
    /* Stemming every word of the article was 15% of a search (perf); an
     * English Snowball stem keeps its word's first letter (only endings change),
     * so a word whose first byte starts no stem cannot match one. */
    if (m->nstems && c->stem && !t->is_number &&
        c->stem_first[(unsigned char)t->folded[0]]) {
        char st[CS_MAX_WORD_BYTES * 2 + 8];
        int n = xc_stem(c->stem, t->folded, t->folded_len, st, sizeof st, NULL);
        for (size_t i = 0; n > 0 && i < m->nstems; i++)
            if (strcmp(m->stems[i], st) == 0)
                return (long)(m->nwords + m->nprefixes + i);
    }
    return -1;
}

/* Non-zero if the hits ending at the last one, within c->window bytes,
 * include every word of c->all. Most of a search's snippet time was ICU
 * tokenizing whole articles; the typed words usually meet early (the lede),
 * and no later window can hold more of them. */
static int covers_all(const scan_ctx *c)
{
    unsigned long long seen = 0;
    size_t end = c->hits[c->n - 1].end;
    for (size_t k = c->n; k-- > 0 && end - c->hits[k].start <= c->window;)
        seen |= c->hits[k].ids;
    return (seen & c->all) == c->all;
}

/* Appends a hit. 0, or -1 out of memory. */
static int push_hit(scan_ctx *c, size_t start, size_t end, unsigned long long ids)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 32;
        hit *h = realloc(c->hits, cap * sizeof *h);
        if (!h) {
            c->oom = 1;
            return -1;
        }
        c->hits = h;
        c->cap = cap;
    }
    c->hits[c->n++] = (hit){start, end, ids};
    return 0;
}

/* The phrases whose last word is token t and whose other words are the
 * tokens just before it, as id bits (base: the first phrase's id), with in
 * *start where the longest starts. 0 for none. */
static unsigned long long phrases_ending(const scan_ctx *c, const cs_token *t, size_t base,
                                         size_t *start)
{
    const cs_match_set *m = c->m;
    unsigned long long ids = 0;
    size_t longest = 0;
    for (size_t i = 0; i < m->nphrases; i++) {
        const cs_match_phrase *p = &m->phrases[i];
        if (p->n - 1 > c->ntokens || strcmp(p->words[p->n - 1], t->folded) != 0)
            continue;
        size_t k = 1;
        while (k < p->n &&
               strcmp(c->recent[(c->ntokens - k) % CS_MATCH_PHRASE_MAX].folded,
                      p->words[p->n - 1 - k]) == 0)
            k++;
        if (k < p->n)
            continue;
        ids |= id_bit(base + i);
        if (p->n > longest) {
            longest = p->n;
            *start = c->recent[(c->ntokens - (p->n - 1)) % CS_MATCH_PHRASE_MAX].start;
        }
    }
    return ids;
}

/* Phrases matched over [start, end): one hit for all of it, replacing the
 * hits inside (their ids kept); one that overlaps the previous phrase's
 * (a b, b c in "a b c") extends that one. 0, or -1 out of memory. */
static int phrase_hit(scan_ctx *c, size_t start, size_t end, unsigned long long ids)
{
    while (c->n && c->hits[c->n - 1].start >= start)
        ids |= c->hits[--c->n].ids;
    if (c->n && c->hits[c->n - 1].end > start) {
        c->hits[c->n - 1].end = end;
        c->hits[c->n - 1].ids |= ids;
        return 0;
    }
    return push_hit(c, start, end, ids);
}

static int on_scan_token(const cs_token *t, void *ud)
{
    scan_ctx *c = ud;
    if (c->stop_at && t->start > c->stop_at)
        return 1;
    const cs_match_set *m = c->m;
    long id = match_id(c, t);
    if (id >= 0 && push_hit(c, t->start, t->end, id_bit((size_t)id)) < 0)
        return 1;
    unsigned long long p = 0;
    if (m->nphrases) {
        size_t start = 0;
        p = phrases_ending(c, t, m->nwords + m->nprefixes + m->nstems, &start);
        if (p && phrase_hit(c, start, t->end, p) < 0)
            return 1;
        recent_tok *r = &c->recent[c->ntokens++ % CS_MATCH_PHRASE_MAX];
        r->start = t->start;
        if (t->folded_len < sizeof r->folded)
            memcpy(r->folded, t->folded, t->folded_len + 1);
        else
            r->folded[0] = '\0';   /* matches no phrase word */
    }
    if (id < 0 && !p)
        return 0;
    /* Once a window holds every typed word, scan on to where a window
     * starting there would end, so the matches it shows are all marked. */
    if (c->window && !c->stop_at && covers_all(c))
        c->stop_at = c->hits[c->n - 1].end + c->window;
    return c->n >= MAX_HITS;
}

/* Number of distinct ids among hits[i..j]. Ids past 62 share a bit: only a
 * tie-breaker, so the approximation is harmless. */
static int distinct(const hit *h, size_t i, size_t j)
{
    unsigned long long seen = 0;
    for (size_t k = i; k <= j; k++)
        seen |= h[k].ids;
    return __builtin_popcountll(seen);
}

/* The best window [*ws, *we) of about `target` bytes: most distinct words,
 * then most hits, then earliest. */
static void choose_window(const hit *h, size_t n, const char *text, size_t len,
                          size_t target, size_t *ws, size_t *we)
{
    size_t best_i = 0, best_j = 0;
    long best = -1;
    for (size_t i = 0, j = 0; i < n; i++) {
        if (j < i)
            j = i;
        while (j + 1 < n && h[j + 1].end - h[i].start <= target)
            j++;
        long score = distinct(h, i, j) * 1000L + (long)(j - i + 1);
        if (score > best) {
            best = score;
            best_i = i;
            best_j = j;
        }
    }
    size_t start = 0;
    if (n) {
        /* Some context before the first match, centred when there is room. */
        size_t span = h[best_j].end - h[best_i].start;
        size_t lead = span < target ? (target - span) / 3 : 0;
        start = h[best_i].start > lead ? h[best_i].start - lead : 0;
        /* Start at a line start within the lead if there is one. */
        for (size_t k = h[best_i].start; k > start; k--)
            if (text[k - 1] == '\n') {
                start = k;
                break;
            }
    }
    /* Do not start or end inside a word. */
    if (start > 0)
        while (start < len && text[start - 1] != ' ' && text[start - 1] != '\n' &&
               (!n || start < h[best_i].start))
            start++;
    size_t end = start + target < len ? start + target : len;
    if (end < len) {
        size_t e = end;
        while (e > start && text[e] != ' ' && text[e] != '\n')
            e--;
        if (e > start)
            end = e;
        /* Never cut a UTF-8 sequence. */
        while (end < len && ((unsigned char)text[end] & 0xC0) == 0x80)
            end++;
    }
    *ws = start;
    *we = end;
}

/* Copy text[ws, we) into out with whitespace runs collapsed, recording the
 * hits that fall inside as spans in the output. */
static int emit(const hit *h, size_t n, const char *text, size_t len,
                size_t ws, size_t we, cs_snippet *out)
{
    cs_buf b = {0};
    out->spans = n ? calloc(n, sizeof *out->spans) : NULL;
    if (n && !out->spans)
        return -1;
    if (ws > 0)
        cs_buf_puts(&b, "… ");
    size_t k = 0;
    while (k < n && h[k].end <= ws)
        k++;
    int in_space = 0;
    cs_span *open = NULL;   /* the span being written, until open_end */
    size_t open_end = 0;
    for (size_t i = ws; i < we; i++) {
        /* A hit the window cuts (a long phrase) is marked where shown. */
        if (!open && k < n && i == (h[k].start > ws ? h[k].start : ws)) {
            open = &out->spans[out->nspans++];
            open->start = b.len;
            open_end = h[k].end < we ? h[k].end : we;
        }
        /* Whitespace runs, in a phrase's span too, become one space. */
        int sp = text[i] == ' ' || text[i] == '\n' || text[i] == '\t';
        if (!sp || (!in_space && b.len > 0)) {
            cs_buf_putc(&b, sp ? ' ' : text[i]);
            in_space = sp;
        }
        if (open && i + 1 == open_end) {
            /* A span cut by the window may end in a space, which the
             * trimming below removes: not part of the mark. */
            open->len = b.len - open->start - (size_t)in_space;
            open = NULL;
            k++;
        }
    }
    while (b.len && b.p[b.len - 1] == ' ')
        b.len--;
    if (we < len)
        cs_buf_puts(&b, " …");
    out->text = cs_buf_release(&b);
    return out->text ? 0 : -1;
}

static int scan(cs_tokenizer *tk, struct xc_stemmer *stem,
                const cs_match_set *m, const char *text, size_t len,
                size_t window, scan_ctx *c)
{
    memset(c, 0, sizeof *c);
    c->m = m;
    c->stem = stem;
    c->all = m->typed;
    size_t base = m->nwords + m->nprefixes + m->nstems;
    for (size_t i = 0; i < m->nphrases && base + i < 63; i++)
        if (m->typed_phrases >> i & 1)
            c->all |= id_bit(base + i);
    c->all &= ~id_bit(63);   /* shared by ids past 62: cannot tell them apart */
    c->window = c->all ? window : 0;
    if (base + m->nphrases == 0)
        return 0;
    for (size_t i = 0; i < m->nstems; i++)
        c->stem_first[(unsigned char)m->stems[i][0]] = 1;
    size_t n = len < SCAN_MAX_BYTES ? len : SCAN_MAX_BYTES;
    /* Stop at a character boundary. */
    while (n < len && ((unsigned char)text[n] & 0xC0) == 0x80)
        n--;
    if (cs_tokenize(tk, text, n, 0, on_scan_token, c) < 0 || c->oom) {
        free(c->hits);
        return -1;
    }
    return 0;
}

int cs_make_snippet(cs_tokenizer *tk, struct xc_stemmer *stem,
                    const cs_match_set *m, const char *text, size_t len,
                    size_t target, cs_snippet *out)
{
    memset(out, 0, sizeof *out);
    scan_ctx c;
    if (!target)
        target = 240;
    if (scan(tk, stem, m, text, len, target, &c) < 0)
        return -1;
    size_t ws, we;
    choose_window(c.hits, c.n, text, len, target, &ws, &we);
    int rc = emit(c.hits, c.n, text, len, ws, we, out);
    free(c.hits);
    if (rc < 0)
        cs_snippet_free(out);
    return rc;
}

int cs_mark_all(cs_tokenizer *tk, struct xc_stemmer *stem,
                const cs_match_set *m, const char *text, size_t len,
                cs_snippet *out)
{
    memset(out, 0, sizeof *out);
    scan_ctx c;
    if (scan(tk, stem, m, text, len, 0, &c) < 0)
        return -1;
    int rc = emit(c.hits, c.n, text, len, 0, len, out);
    free(c.hits);
    if (rc < 0)
        cs_snippet_free(out);
    return rc;
}

void cs_snippet_free(cs_snippet *s)
{
    free(s->text);
    free(s->spans);
    memset(s, 0, sizeof *s);
}

char *cs_snippet_render(const cs_snippet *s, const char *open,
                        const char *close, int html)
{
    cs_buf b = {0};
    size_t at = 0, len = s->text ? strlen(s->text) : 0;
    void (*put)(cs_buf *, const char *, size_t) = html ? cs_buf_append_html : cs_buf_append;
    for (size_t i = 0; i < s->nspans; i++) {
        const cs_span *sp = &s->spans[i];
        put(&b, s->text + at, sp->start - at);
        cs_buf_puts(&b, open);
        put(&b, s->text + sp->start, sp->len);
        cs_buf_puts(&b, close);
        at = sp->start + sp->len;
    }
    put(&b, s->text + at, len - at);
    return cs_buf_release(&b);
}
