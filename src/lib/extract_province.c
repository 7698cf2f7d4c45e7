/* extract_province.c -- which provinces an article names, ranked by mentions
 * and position; and cs_extract_meta, which runs all the extractors.
 *
 * The text is scanned into words (extract_internal.h), and at each word the
 * gazetteer's aliases starting with that word are tried longest first, so
 * "Vinh Yen" is read before "Vinh" and "Thái Bình Dương" (a stop phrase)
 * before "Thái Bình". Each mention is weighted by where it is: the title
 * most, the lead (first lines) more than the rest, and trailing boilerplate
 * ("Related news", "Tin liên quan", "Share", copyright, "Source:") not at
 * all.
 */
#include "extract_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define W_TITLE 3.0
#define W_LEAD 2.0
#define W_BODY 1.0
#define W_HINT 3.0
#define KEYWORD_BONUS 1.5   /* "X province", "tỉnh X", "X city", "TP X" */
#define LEAD_LINES 3        /* non-empty body lines that count as the lead */
#define VI_DIAC_SHARE 5     /* text is Vietnamese when >= 1/5 of its words carry diacritics */

/* ------------------------------------------------------------------------
 * Where the boilerplate starts.
 * ---------------------------------------------------------------------- */

/* Headings that open the trailing navigation/boilerplate of a page, folded.
 * A heading line is short and starts with one of these, followed by the end
 * of the line or a non-letter. */
static const char *const noise_headings[] = {
    "related news", "related articles", "related stories", "related",
    "tin lien quan", "tin cung chuyen muc", "tin cung chu de", "bai lien quan",
    "bai viet lien quan", "xem them", "doc them", "see more", "read more",
    "more news", "more stories", "you may also like", "most read", "tin khac",
    "cac tin khac", "tin moi nhat", "doc nhieu", "share", "chia se", "copyright",
    "ban quyen", "comment (", "comments (", "binh luan", "same tag",
    "same category", "tags:", "tag:", "tu khoa:", "new comment",
};

/* Lines that start the boilerplate whatever their length. */
static const char *const noise_prefixes[] = {"source:", "nguon:", "(c) ", "\xc2\xa9"};

static int starts_word(const char *s, const char *pat) {
    size_t n = strlen(pat);
    if (strncmp(s, pat, n) != 0) return 0;
    char c = s[n];
    return !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '?');
}

static int is_noise_line(const char *line, size_t len) {
    char f[96];
    for (size_t i = 0; i < sizeof noise_prefixes / sizeof *noise_prefixes; i++) {
        size_t n = strlen(noise_prefixes[i]);
        if (len >= n && strncasecmp(line, noise_prefixes[i], n) == 0) return 1;
    }
    if (len > 80) return 0;
    cs_fold_ascii(line, len, f, sizeof f, NULL);
    for (size_t i = 0; i < sizeof noise_headings / sizeof *noise_headings; i++)
        if (starts_word(f, noise_headings[i])) return 1;
    return memmem(line, len, "\xc2\xa9", 2) != NULL; /* a short line with © */
}

/* The lead ends after LEAD_LINES non-empty lines; the boilerplate starts at
 * the first heading line after the lead and past a quarter of the text (a
 * "Xem thêm" link early in a story is not the end of it). */
static void body_zones(const char *b, size_t len, size_t *lead_end, size_t *noise_start) {
    size_t nonempty = 0;
    *lead_end = len;
    *noise_start = len;
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(b + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - b) : len;
        size_t s = pos, e = end;
        while (s < e && (b[s] == ' ' || b[s] == '\t' || b[s] == '\r')) s++;
        while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t' || b[e - 1] == '\r')) e--;
        if (e > s) {
            nonempty++;
            if (nonempty > LEAD_LINES && pos >= len / 4 && is_noise_line(b + s, e - s)) {
                *noise_start = pos;
                if (*lead_end > pos) *lead_end = pos;
                return;
            }
            if (nonempty == LEAD_LINES) *lead_end = end;
        }
        pos = end + 1;
    }
}

/* ------------------------------------------------------------------------
 * Matching.
 * ---------------------------------------------------------------------- */

typedef struct tally {
    unsigned mentions;
    double score;
    size_t first;     /* word index of the first counted mention */
    unsigned pending; /* mentions by a "!" alias without context, counted */
    double pending_score; /* only if the province is named some other way */
    size_t pending_first;
} tally;

typedef struct keywords {
    uint64_t province, city, tinh, tp, pho;
    uint64_t duong_exact, pho_exact, duong, thanh, street, road, avenue;
} keywords;

/* A street named after a place ("đường Điện Biên Phủ", "phố Huế", "Hai Ba
 * Trung street") is not the place. "thành phố Huế" is the city. */
static int is_street(const cs_word *w, size_t nw, size_t i, size_t n, const keywords *kw) {
    if (i + n < nw && !(w[i + n].flags & CS_W_BREAK) &&
        (w[i + n].fh == kw->street || w[i + n].fh == kw->road || w[i + n].fh == kw->avenue))
        return 1;
    if (i == 0 || (w[i].flags & CS_W_BREAK)) return 0;
    const cs_word *p = &w[i - 1];
    /* an unaccented word: only in lower case ("Duong" is also a name) */
    int plain = !(p->flags & (CS_W_DIAC | CS_W_UPPER));
    if (p->eh == kw->duong_exact || (plain && p->fh == kw->duong)) return 1;
    if (p->eh == kw->pho_exact || (plain && p->fh == kw->pho))
        return !(i >= 2 && !(p->flags & CS_W_BREAK) && w[i - 2].fh == kw->thanh);
    return 0;
}

/* Does alias a match the words at w[0..a->nwords)? 0 if not, 1 if every
 * word matched with its diacritics, 2 if some only without them. */
static int span_matches(const cs_gazetteer *g, const cs_alias *a, const cs_word *w, int vi) {
    const cs_alias_word *aw = g->words + a->first;
    int how = 1;
    for (unsigned j = 0; j < a->nwords; j++) {
        if (j > 0 && (w[j].flags & CS_W_BREAK)) return 0;
        if (aw[j].upper && !(w[j].flags & CS_W_UPPER)) return 0;
        /* A word written with diacritics, or any word of a Vietnamese text,
         * must be spelled as the alias spells it: "vịnh" is not "Vinh". */
        if ((w[j].flags & CS_W_DIAC) || vi) {
            if (w[j].eh != aw[j].eh) return 0;
        } else if (w[j].fh != aw[j].fh) {
            return 0;
        } else {
            how = 2;
        }
    }
    return how;
}

/* Weight of a mention of words [i, i+n) of the text; *ctx tells whether a
 * place word is next to it. */
static double mention_weight(const cs_word *w, size_t nw, size_t i, size_t n,
                             size_t ntitle, size_t lead_end, const keywords *kw, int *ctx) {
    double wt = i < ntitle ? W_TITLE : w[i].start < lead_end ? W_LEAD : W_BODY;
    int bonus = 0;
    if (i + n < nw && !(w[i + n].flags & CS_W_BREAK) &&
        (w[i + n].fh == kw->province || w[i + n].fh == kw->city))
        bonus = 1;
    if (i > 0 && !(w[i].flags & CS_W_BREAK) &&
        (w[i - 1].fh == kw->tinh || w[i - 1].fh == kw->tp || w[i - 1].fh == kw->pho))
        bonus = 1;
    *ctx = bonus;
    return bonus ? wt * KEYWORD_BONUS : wt;
}

/* Count the mentions in words w[0..nw): the first ntitle are the title's,
 * the rest the body's (offsets in the body). */
static void match_words(const cs_gazetteer *g, const cs_word *w, size_t nw, size_t ntitle,
                        size_t lead_end, size_t noise_start, int vi, tally *t) {
    keywords kw = {cs_word_hash("province"), cs_word_hash("city"), cs_word_hash("tinh"),
                   cs_word_hash("tp"), cs_word_hash("pho"), cs_exact_hash("đường"),
                   cs_exact_hash("phố"), cs_word_hash("duong"), cs_word_hash("thanh"),
                   cs_word_hash("street"), cs_word_hash("road"), cs_word_hash("avenue")};
    for (size_t i = 0; i < nw;) {
        if (i >= ntitle && w[i].start >= noise_start) break;
        size_t nc;
        const uint32_t *c = cs_gz_candidates(g, w[i].fh, &nc);
        size_t used = 0;
        for (size_t k = 0; k < nc; k++) {
            const cs_alias *a = &g->aliases[c[k]];
            int how = i + a->nwords > nw ? 0 : span_matches(g, a, w + i, vi);
            if (!how) continue;
            if (i < ntitle && i + a->nwords > ntitle) continue; /* title | body */
            /* "Nguyễn Hòa Bình", "Mr Vinh": a person, not the place. */
            unsigned weak = how == 1 ? CS_AL_WEAK : CS_AL_WEAK_FOLDED;
            if ((a->flags & weak) && i > 0 && !(w[i].flags & CS_W_BREAK) &&
                cs_gz_is_nameword(g, w[i - 1].fh))
                continue;
            used = a->nwords;
            if (a->prov >= 0 && !is_street(w, nw, i, used, &kw)) {
                tally *p = &t[a->prov];
                int ctx;
                double wt = mention_weight(w, nw, i, used, ntitle, lead_end, &kw, &ctx);
                if ((a->flags & CS_AL_CONTEXT) && !ctx) {
                    if (p->pending == 0) p->pending_first = i;
                    p->pending++;
                    p->pending_score += wt;
                } else {
                    if (p->mentions == 0) p->first = i;
                    p->mentions++;
                    p->score += wt;
                }
            }
            break;
        }
        i += used ? used : 1;
    }
    for (size_t k = 0; k < g->nprovs; k++) {
        if (!t[k].pending || !t[k].mentions) continue;
        if (t[k].pending_first < t[k].first) t[k].first = t[k].pending_first;
        t[k].mentions += t[k].pending;
        t[k].score += t[k].pending_score;
    }
}

static int cmp_hits(const void *a, const void *b) {
    const cs_province_hit *x = a, *y = b;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    return 0;
}

/* Sorted hits from the tallies: best score first, earliest mention on ties. */
static int collect_hits(const cs_gazetteer *g, const tally *t, cs_meta *m) {
    size_t n = 0;
    for (size_t i = 0; i < g->nprovs; i++) n += t[i].mentions > 0;
    if (n == 0) return 0;
    cs_province_hit *h = malloc(n * sizeof *h);
    size_t *first = malloc(n * sizeof *first);
    if (!h || !first) {
        free(h);
        free(first);
        return -1;
    }
    /* Order by first mention, then a stable sort by score keeps that order
     * among equal scores (insertion sort: a handful of entries). */
    size_t k = 0;
    for (size_t i = 0; i < g->nprovs; i++) {
        if (!t[i].mentions) continue;
        size_t j = k++;
        while (j > 0 && first[j - 1] > t[i].first) {
            h[j] = h[j - 1];
            first[j] = first[j - 1];
            j--;
        }
        h[j].name = g->provs[i].name;
        h[j].unit2025 = g->provs[i].unit;
        h[j].mentions = t[i].mentions;
        h[j].score = t[i].score;
        first[j] = t[i].first;
    }
    for (size_t i = 1; i < n; i++) {
        cs_province_hit x = h[i];
        size_t j = i;
        while (j > 0 && cmp_hits(&h[j - 1], &x) > 0) {
            h[j] = h[j - 1];
            j--;
        }
        h[j] = x;
    }
    free(first);
    m->provinces = h;
    m->nprovinces = n;
    return 0;
}

int cs_extract_provinces(const cs_gazetteer *g, const char *title, const char *body,
                         size_t body_len, const char *province_hint, cs_meta *m) {
    if (!g) return 0;
    cs_wordvec wv = {0};
    int oom = title && cs_scan_words(title, strlen(title), &wv);
    size_t ntitle = wv.n;
    if (body && body_len && !oom) oom = cs_scan_words(body, body_len, &wv);
    tally *t = calloc(g->nprovs, sizeof *t);
    if (oom || !t) {
        free(wv.v);
        free(t);
        return -1;
    }
    size_t alpha = 0, diac = 0;
    for (size_t i = 0; i < wv.n; i++) {
        alpha += (wv.v[i].flags & CS_W_ALPHA) != 0;
        diac += (wv.v[i].flags & CS_W_DIAC) != 0;
    }
    int vi = alpha > 0 && diac * VI_DIAC_SHARE >= alpha;
    size_t lead_end = 0, noise_start = 0;
    if (body) body_zones(body, body_len, &lead_end, &noise_start);
    match_words(g, wv.v, wv.n, ntitle, lead_end, noise_start, vi, t);
    if (province_hint && *province_hint) {
        int p = cs_gz_lookup(g, province_hint, strlen(province_hint));
        if (p >= 0) {
            t[p].mentions++;
            t[p].score += W_HINT;
            t[p].first = 0;
        }
    }
    int rc = collect_hits(g, t, m);
    free(wv.v);
    free(t);
    return rc;
}

/* ------------------------------------------------------------------------
 * All of it.
 * ---------------------------------------------------------------------- */

int cs_extract_meta(const cs_gazetteer *g, const char *title, const char *body,
                    size_t body_len, const char *url, const char *given_date,
                    const char *province_hint, cs_meta *out) {
    memset(out, 0, sizeof *out);
    if (!body) body_len = 0;
    if (cs_chars_ready()) return -1;
    if (cs_extract_provinces(g, title, body, body_len, province_hint, out) ||
        cs_extract_resolutions(title, body, body_len, out)) {
        cs_meta_free(out);
        return -1;
    }
    cs_extract_date(title, body, body_len, url, given_date, out);
    return 0;
}

void cs_meta_free(cs_meta *m) {
    if (!m) return;
    free(m->provinces);
    for (size_t i = 0; i < m->nresolutions; i++) free(m->resolutions[i]);
    free(m->resolutions);
    for (size_t i = 0; i < m->ndocuments; i++) free(m->documents[i]);
    free(m->documents);
    memset(m, 0, sizeof *m);
}
