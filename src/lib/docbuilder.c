/* docbuilder.c -- one article -> one Xapian document (the term scheme in docformat.h). */
#include "indexer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docformat.h"
#include "extract.h"
#include "idset.h"
#include "strbuf.h"
#include "langdetect.h"
#include "pairwords.h"
#include "synonyms.h"
#include "synterms.h"
#include "tokenizer.h"
#include "xapian_c.h"

/* Title words count this many times in the body stream: a title match says
 * more about what an article is about than one more mention in the body. */
#define TITLE_WDF 3
/* Gap between title and body positions, so a phrase cannot run from the end
 * of the title into the first words of the body. */
#define TITLE_BODY_GAP 16
/* Language detection looks at this much text: plenty to decide, and cheap. */
#define LANG_SAMPLE_BYTES 16384
/* Bump when the term scheme changes: changes every article's hash, so an
 * incremental run reindexes everything. */
#define SCHEME_VERSION "cs-scheme-7"

struct cs_docbuilder {
    cs_tokenizer *tok;
    xc_stemmer *stem;
    const cs_gazetteer *gaz;
    cs_codec *codec;            /* borrowed; NULL: bodies stored raw */
    const cs_pairwords *pairs;  /* borrowed; NULL: no pair terms */
    const cs_synonyms *syn;     /* the default dictionary (synonym terms) */
    char syn_marker[CS_SYN_MARKER_BYTES];
    cs_idset words;             /* distinct words of the current document */
    const char **word_list;     /* their list, for cs_docbuilder_words */
    size_t nwords, word_cap;
};

/* Titles shorter than this are too generic to mark duplicates. */
#define DUPKEY_MIN_WORDS 4

/* State shared with the token callbacks while one document is built. */
typedef struct build_ctx {
    cs_docbuilder *b;
    xc_document *doc;
    int english;
    int title;          /* tokens belong to the title */
    uint64_t title_hash;  /* FNV-1a of the folded title words */
    unsigned title_words;
    unsigned last_pos;
    /* The last positioned word when it is in the pair list (has_prev). */
    char prev[CS_MAX_WORD_BYTES + 1];
    size_t prev_len;
    unsigned prev_pos;
    int has_prev;
    cs_synscan syn;     /* synonym entries (synterms.h) */
    xc_error err;
    int failed;
} build_ctx;

cs_docbuilder *cs_docbuilder_new(const char **err)
{
    cs_docbuilder *b = calloc(1, sizeof *b);
    if (!b) {
        *err = "out of memory";
        return NULL;
    }
    b->tok = cs_tokenizer_new(err);
    xc_error xe;
    b->stem = b->tok ? xc_stemmer_new("english", &xe) : NULL;
    b->gaz = b->stem ? cs_gazetteer_default() : NULL;
    if (!b->tok || !b->stem || !b->gaz) {
        if (b->tok)
            *err = b->stem ? "cannot load the province gazetteer"
                           : "cannot create the English stemmer";
        cs_docbuilder_free(b);
        return NULL;
    }
    /* A dictionary that cannot be loaded (a CORPSEARCH_SYNONYMS file
     * mistyped or malformed: its loader said why) stops the run: indexing
     * without it would reindex every article without its synonym terms
     * (the dictionary is part of each article's hash), and again once
     * it is mended. */
    if (!(b->syn = cs_synonyms_default())) {
        *err = "cannot load the synonym dictionary";
        cs_docbuilder_free(b);
        return NULL;
    }
    cs_synonyms_marker(b->syn, b->syn_marker);
    return b;
}

const char *const *cs_docbuilder_words(const cs_docbuilder *b, size_t *n)
{
    *n = b->nwords;
    return b->word_list;
}

/* Lists the document's distinct words (from the set) for the caller. */
static int list_words(cs_docbuilder *b)
{
    b->nwords = 0;
    if (b->words.n > b->word_cap) {
        const char **l = realloc(b->word_list, b->words.n * sizeof *l);
        if (!l)
            return -1;
        b->word_list = l;
        b->word_cap = b->words.n;
    }
    for (size_t i = 0; i < b->words.cap; i++)
        if (b->words.slots[i])
            b->word_list[b->nwords++] = b->words.slots[i];
    return 0;
}

void cs_docbuilder_set_codec(cs_docbuilder *b, cs_codec *codec)
{
    b->codec = codec;
}

void cs_docbuilder_set_pairs(cs_docbuilder *b, const cs_pairwords *pairs)
{
    b->pairs = pairs;
}

void cs_docbuilder_free(cs_docbuilder *b)
{
    if (!b)
        return;
    cs_idset_free(&b->words);
    free(b->word_list);
    cs_tokenizer_free(b->tok);
    xc_stemmer_free(b->stem);
    free(b);
}

/* Adds prefix+word as a term, with a position when pos_plus1 > 0. */
static int add_prefixed(build_ctx *c, const char *prefix, const char *w,
                        size_t n, unsigned pos_plus1, unsigned wdf)
{
    char term[CS_MAX_TERM_BYTES + 8];
    size_t pl = strlen(prefix);
    if (pl + n >= sizeof term)
        return 0;   /* cannot happen with CS_MAX_WORD_BYTES; be safe anyway */
    memcpy(term, prefix, pl);
    memcpy(term + pl, w, n);
    if (pos_plus1)
        return xc_document_add_posting(c->doc, term, pl + n, pos_plus1 - 1,
                                       wdf, &c->err);
    return xc_document_add_term(c->doc, term, pl + n, wdf, &c->err);
}

/* The pair term of the previous word and t when both are in the pair list
 * and t was given the position after it (pairwords.h): exactly where a
 * phrase of the two would match, so a phrase never misses an article for
 * want of its pair. Then t becomes the previous word (positioned: has a
 * position). 0, or -1 on a Xapian error. */
static int add_pair(build_ctx *c, const cs_token *t, int positioned)
{
    int in = positioned && cs_pairwords_has(c->b->pairs, t->folded, t->folded_len);
    int rc = 0;
    if (in && c->has_prev && t->pos == c->prev_pos + 1) {
        char term[CS_MAX_TERM_BYTES + 8];
        size_t n = cs_pair_term(c->prev, c->prev_len, t->folded, t->folded_len, term,
                                sizeof term);
        /* Boolean: phrases only filter by it, so no wdf to store. */
        if (n)
            rc = xc_document_add_boolean_term(c->doc, term, n, &c->err);
    }
    c->has_prev = in && t->folded_len < sizeof c->prev;
    if (c->has_prev) {
        memcpy(c->prev, t->folded, t->folded_len);
        c->prev_len = t->folded_len;
        c->prev_pos = t->pos;
    }
    return rc;
}

/* Synonym scan callback: the entry's term, once per occurrence. */
static int add_synonym(const cs_syn_entry *e, unsigned wdf, void *ud)
{
    build_ctx *c = ud;
    char term[CS_MAX_TERM_BYTES + 8];
    size_t n = cs_syn_entry_term(e, term, sizeof term);
    return n && xc_document_add_term(c->doc, term, n, wdf, &c->err) < 0 ? -1 : 0;
}

/* Token callback: the folded word with its position, the exact form when
 * it differs, the English stem, for titles the S-prefixed word, in an
 * index with phrase pairs the pair it ends, and the synonym entries it
 * completes. */
static int on_token(const cs_token *t, void *ud)
{
    build_ctx *c = ud;
    unsigned wdf = c->title ? TITLE_WDF : 1;
    /* Title words take positions below CS_BODY_FIRST_POS (one that would
     * reach it takes none), so a phrase is known to be in the title by
     * where it starts. */
    int positioned = !(c->title && t->pos >= CS_BODY_FIRST_POS - TITLE_BODY_GAP);
    int rc = !positioned
                 ? xc_document_add_term(c->doc, t->folded, t->folded_len, wdf, &c->err)
                 : xc_document_add_posting(c->doc, t->folded, t->folded_len, t->pos,
                                           wdf, &c->err);
    if (rc == 0 && c->b->pairs)
        rc = add_pair(c, t, positioned);
    if (rc == 0)
        rc = cs_synscan_token(&c->syn, t, positioned, wdf, add_synonym, c);
    if (rc == 0 && (t->exact_len != t->folded_len ||
                    memcmp(t->exact, t->folded, t->folded_len) != 0))
        rc = add_prefixed(c, CS_PREFIX_EXACT, t->exact, t->exact_len, 0, wdf);
    /* S terms without positions: each (term, article) with positions is
     * an entry of its own in the position table, and S ones were 5 MB of
     * baomoi's compacted index. Title phrases use the plain terms' title
     * positions instead (docformat.h). */
    if (rc == 0 && c->title)
        rc = add_prefixed(c, CS_PREFIX_TITLE, t->folded, t->folded_len, 0, 1);
    if (rc == 0 && c->english && !t->is_number) {
        char stem[CS_MAX_WORD_BYTES * 2 + 8];
        int n = xc_stem(c->b->stem, t->folded, t->folded_len, stem, sizeof stem,
                        &c->err);
        if (n > 0)
            rc = add_prefixed(c, CS_PREFIX_STEM, stem, (size_t)n, 0, wdf);
        else if (n < 0)
            rc = n;
    }
    if (c->title) {
        for (size_t i = 0; i < t->folded_len; i++)
            c->title_hash = (c->title_hash ^ (unsigned char)t->folded[i]) * 0x100000001b3ULL;
        c->title_hash = (c->title_hash ^ ' ') * 0x100000001b3ULL;
        c->title_words++;
    }
    if (rc == 0 && !t->is_number && t->folded_len >= 3 && t->folded_len <= 32 &&
        cs_idset_add(&c->b->words, t->folded, t->folded_len) < 0)
        rc = -1;
    c->last_pos = t->pos;
    if (rc < 0) {
        c->failed = 1;
        return 1;
    }
    return 0;
}

/* Adds prefix+slug(name) as a boolean term. */
static int add_slug(build_ctx *c, const char *prefix, const char *name)
{
    char term[CS_MAX_TERM_BYTES + 8];
    int n = cs_slug_term(prefix, name, term, sizeof term);
    return n < 0 ? 0 : xc_document_add_boolean_term(c->doc, term, (size_t)n, &c->err);
}

/* Appends one facet item (kind byte + value) to the combined facet value. */
static void facet_item(cs_buf *v, char kind, const char *value, size_t len)
{
    if (v->len)
        cs_buf_putc(v, CS_FACET_SEP);
    cs_buf_putc(v, kind);
    cs_buf_append(v, value, len);
}

/* The combined facet value (docformat.h, CS_SLOT_FACETS). */
static int add_facets(build_ctx *c, const cs_article *a)
{
    cs_buf v = {0};
    for (size_t i = 0; i < a->nprovinces; i++)
        facet_item(&v, CS_FACET_KIND_PROVINCE, a->provinces[i], strlen(a->provinces[i]));
    for (size_t i = 0; i < a->nresolutions; i++)
        facet_item(&v, CS_FACET_KIND_RESOLUTION, a->resolutions[i], strlen(a->resolutions[i]));
    if (a->date && strlen(a->date) == 10) {
        facet_item(&v, CS_FACET_KIND_YEAR, a->date, 4);
        facet_item(&v, CS_FACET_KIND_MONTH, a->date, 7);
    }
    facet_item(&v, CS_FACET_KIND_LANG, a->lang, strlen(a->lang));
    int rc = v.oom ? -1 : xc_document_add_value(c->doc, CS_SLOT_FACETS, v.p, v.len, &c->err);
    if (v.oom)
        snprintf(c->err.message, sizeof c->err.message, "out of memory");
    cs_buf_free(&v);
    return rc;
}

/* Terms and facet values for what extraction found (docformat.h). */
static int add_extracted(build_ctx *c, const cs_article *a, const cs_meta *m)
{
    char term[CS_MAX_TERM_BYTES + 8];
    for (size_t i = 0; i < m->nprovinces; i++) {
        if (add_slug(c, CS_PREFIX_PROVINCE, m->provinces[i].name) < 0 ||
            (i == 0 && add_slug(c, CS_PREFIX_MAIN_PROVINCE, m->provinces[i].name) < 0) ||
            (m->provinces[i].unit2025 &&
             add_slug(c, CS_PREFIX_UNIT2025, m->provinces[i].unit2025) < 0))
            return -1;
    }
    for (size_t i = 0; i < m->nresolutions; i++) {
        const char *r = m->resolutions[i];
        int n = snprintf(term, sizeof term, CS_PREFIX_RESOLUTION "%s", r);
        size_t digits = strspn(r, "0123456789");
        if (n > 0 && (size_t)n < sizeof term &&
            xc_document_add_boolean_term(c->doc, term, (size_t)n, &c->err) < 0)
            return -1;
        n = snprintf(term, sizeof term, CS_PREFIX_RESOLUTION_NUM "%.*s", (int)digits, r);
        if (digits && xc_document_add_boolean_term(c->doc, term, (size_t)n, &c->err) < 0)
            return -1;
    }
    for (size_t i = 0; i < m->ndocuments; i++) {
        int n = snprintf(term, sizeof term, CS_PREFIX_DOCUMENT "%s", m->documents[i]);
        if (n > 0 && (size_t)n < sizeof term &&
            xc_document_add_boolean_term(c->doc, term, (size_t)n, &c->err) < 0)
            return -1;
    }
    return add_facets(c, a);
}

/* Copies the extracted lists into the article, for the stored data. */
static int copy_meta(cs_article *a, const cs_meta *m)
{
    cs_strlist_free(a->provinces, a->nprovinces);
    cs_strlist_free(a->resolutions, a->nresolutions);
    cs_strlist_free(a->documents, a->ndocuments);
    a->provinces = calloc(m->nprovinces + 1, sizeof *a->provinces);
    a->resolutions = calloc(m->nresolutions + 1, sizeof *a->resolutions);
    a->documents = calloc(m->ndocuments + 1, sizeof *a->documents);
    a->nprovinces = a->nresolutions = a->ndocuments = 0;
    if (!a->provinces || !a->resolutions || !a->documents)
        return -1;
    for (size_t i = 0; i < m->nprovinces; i++)
        if (!(a->provinces[a->nprovinces++] = strdup(m->provinces[i].name)))
            return -1;
    for (size_t i = 0; i < m->nresolutions; i++)
        if (!(a->resolutions[a->nresolutions++] = strdup(m->resolutions[i])))
            return -1;
    for (size_t i = 0; i < m->ndocuments; i++)
        if (!(a->documents[a->ndocuments++] = strdup(m->documents[i])))
            return -1;
    if (!a->date && m->date[0] && !(a->date = strdup(m->date)))
        return -1;
    return 0;
}

/* The near-duplicate key (docformat.h, CS_SLOT_DUPKEY). */
static int add_dupkey(build_ctx *c)
{
    if (c->title_words < DUPKEY_MIN_WORDS)
        return 0;
    char key[17];
    snprintf(key, sizeof key, "%016llx", (unsigned long long)c->title_hash);
    return xc_document_add_value(c->doc, CS_SLOT_DUPKEY, key, 16, &c->err);
}

/* Boolean terms and values: id, language, date, url; then the data. */
static int add_metadata(build_ctx *c, const cs_article *a, const char *hash)
{
    char term[CS_MAX_TERM_BYTES + 8];
    xc_error *e = &c->err;
    int n = cs_idterm(a->id, term, sizeof term);
    if (n < 0) {
        snprintf(e->message, sizeof e->message, "id is empty or longer than %d bytes",
                 CS_MAX_ID_BYTES);
        return -1;
    }
    if (xc_document_add_boolean_term(c->doc, term, (size_t)n, e) < 0)
        return -1;
    n = snprintf(term, sizeof term, CS_PREFIX_LANG "%s", a->lang);
    if (xc_document_add_boolean_term(c->doc, term, (size_t)n, e) < 0 ||
        xc_document_add_value(c->doc, CS_SLOT_LANG, a->lang, strlen(a->lang), e) < 0)
        return -1;
    if (a->date && strlen(a->date) == 10) {
        /* "YYYY-MM-DD" -> D/M/Y terms and a sortable "YYYYMMDD" value. */
        char ymd[9] = {a->date[0], a->date[1], a->date[2], a->date[3],
                       a->date[5], a->date[6], a->date[8], a->date[9], 0};
        n = snprintf(term, sizeof term, CS_PREFIX_DAY "%s", ymd);
        if (xc_document_add_boolean_term(c->doc, term, (size_t)n, e) < 0 ||
            xc_document_add_value(c->doc, CS_SLOT_DATE, ymd, 8, e) < 0)
            return -1;
        term[0] = CS_PREFIX_MONTH[0];
        if (xc_document_add_boolean_term(c->doc, term, 1 + 6, e) < 0)
            return -1;
        term[0] = CS_PREFIX_YEAR[0];
        if (xc_document_add_boolean_term(c->doc, term, 1 + 4, e) < 0)
            return -1;
    }
    if (a->url && strlen(a->url) + 1 <= CS_MAX_TERM_BYTES) {
        n = snprintf(term, sizeof term, CS_PREFIX_URL "%s", a->url);
        if (xc_document_add_boolean_term(c->doc, term, (size_t)n, e) < 0)
            return -1;
    }
    if (xc_document_add_value(c->doc, CS_SLOT_HASH, hash, 16, e) < 0 ||
        (a->source && xc_document_add_value(c->doc, CS_SLOT_SOURCE, a->source,
                                            strlen(a->source), e) < 0))
        return -1;
    size_t len;
    char *data = cs_doc_data_encode(a, c->b->codec, &len);
    if (!data) {
        snprintf(e->message, sizeof e->message, "out of memory");
        return -1;
    }
    /* With a dictionary, in its value; without, in the data: see
     * CS_SLOT_ARTICLE. */
    int rc = cs_codec_has_dict(c->b->codec)
                 ? xc_document_add_value(c->doc, CS_SLOT_ARTICLE, data, len, e)
                 : xc_document_set_data(c->doc, data, len, e);
    free(data);
    return rc < 0 ? -1 : 0;
}

xc_document *cs_build_document(cs_docbuilder *b, cs_article *a,
                               const char *hash, char *errbuf, size_t errlen)
{
    char own_hash[17];
    if (!hash) {
        cs_article_hash(a, own_hash);
        hash = own_hash;
    }
    if (!a->lang) {
        size_t n = a->body_len < LANG_SAMPLE_BYTES ? a->body_len : LANG_SAMPLE_BYTES;
        a->lang = strdup(cs_detect_lang(a->body, n));
        if (!a->lang) {
            snprintf(errbuf, errlen, "out of memory");
            return NULL;
        }
    }
    build_ctx c = {.b = b, .english = strcmp(a->lang, "en") == 0,
                   .title_hash = 0xcbf29ce484222325ULL};
    cs_synscan_init(&c.syn, b->syn);
    cs_idset_free(&b->words);
    b->nwords = 0;
    xc_error_clear(&c.err);
    c.doc = xc_document_new(&c.err);
    if (!c.doc) {
        snprintf(errbuf, errlen, "%s", c.err.message);
        return NULL;
    }
    if ((b->pairs && xc_document_add_boolean_term(c.doc, CS_PAIR_MARKER,
                                                  strlen(CS_PAIR_MARKER), &c.err) < 0) ||
        xc_document_add_boolean_term(c.doc, b->syn_marker, strlen(b->syn_marker),
                                     &c.err) < 0) {
        snprintf(errbuf, errlen, "%s", c.err.message);
        xc_document_free(c.doc);
        return NULL;
    }
    c.title = 1;
    long nt = cs_tokenize(b->tok, a->title, strlen(a->title), 0, on_token, &c);
    if (!c.failed && cs_synscan_flush(&c.syn, add_synonym, &c) < 0)
        c.failed = 1;
    c.title = 0;
    unsigned body_pos = CS_BODY_FIRST_POS;
    long nb = c.failed || nt < 0 ? 0
              : cs_tokenize(b->tok, a->body, a->body_len, body_pos, on_token, &c);
    if (!c.failed && nb >= 0 && cs_synscan_flush(&c.syn, add_synonym, &c) < 0)
        c.failed = 1;
    if (nt < 0 || nb < 0) {
        snprintf(errbuf, errlen, "tokenizer failed");
    } else if (c.failed) {
        snprintf(errbuf, errlen, "%s", c.err.message);
    } else {
        /* Extraction fills the article's date (when none was given),
         * provinces and resolutions before the stored data is encoded. */
        cs_meta meta;
        if (cs_extract_meta(b->gaz, a->title, a->body, a->body_len, a->url, a->date,
                            a->province, &meta) < 0 || copy_meta(a, &meta) < 0) {
            snprintf(errbuf, errlen, "out of memory");
        } else if (add_extracted(&c, a, &meta) < 0 || add_metadata(&c, a, hash) < 0 ||
                   add_dupkey(&c) < 0 || list_words(b) < 0) {
            snprintf(errbuf, errlen, "%s", c.err.message);
        } else {
            cs_meta_free(&meta);
            return c.doc;
        }
        cs_meta_free(&meta);
    }
    xc_document_free(c.doc);
    return NULL;
}

/* FNV-1a over a field and a separator byte, so "ab"+"c" != "a"+"bc". */
static uint64_t fnv_field(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    h ^= 0xff;
    return h * 0x100000001b3ULL;
}

void cs_article_hash(const cs_article *a, char out[17])
{
    uint64_t h = 0xcbf29ce484222325ULL;
    /* The synonym dictionary decides which XY terms an article gets: a new
     * one reindexes every article. */
    char syn[24];
    snprintf(syn, sizeof syn, "%016llx", cs_synonyms_fingerprint(cs_synonyms_default()));
    const char *fields[] = {SCHEME_VERSION, syn, a->id, a->title, a->url, a->date,
                            a->lang, a->province};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        h = fnv_field(h, fields[i] ? fields[i] : "", fields[i] ? strlen(fields[i]) : 0);
    h = fnv_field(h, a->body ? a->body : "", a->body ? a->body_len : 0);
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}
