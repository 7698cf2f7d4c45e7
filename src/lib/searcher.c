/* searcher.c -- running a query against the index and collecting results. */
#include "searcher.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bodycodec.h"
#include "docformat.h"
#include "extract.h"
#include "index_layout.h"
#include "notes.h"
#include "pairwords.h"
#include "query_builder.h"
#include "query_parser.h"
#include "strbuf.h"
#include "synonyms.h"
#include "text.h"
#include "tokenizer.h"
#include "xapian_c.h"

#define MAX_LIMIT 1000
/* Facet values reported per facet: enough for all 63 provinces. */
#define FACET_MAX_VALUES 64

const char *const cs_facet_names[CS_NFACETS] = {"province", "resolution", "year",
                                                "month", "lang"};
/* The kind byte of each facet's items in CS_SLOT_FACETS, in cs_facet_names order. */
static const char facet_kinds[CS_NFACETS] = {CS_FACET_KIND_PROVINCE, CS_FACET_KIND_RESOLUTION,
                                             CS_FACET_KIND_YEAR, CS_FACET_KIND_MONTH,
                                             CS_FACET_KIND_LANG};

struct cs_searcher {
    char *path;
    xc_database *db;
    cs_tokenizer *tk;
    xc_stemmer *stem;
    cs_codec *codec;        /* reads bodies with the index's dictionary */
    cs_pairwords *pairs;    /* the index's phrase pairs (pairwords.h); NULL: none */
    char syn_marker[CS_SYN_MARKER_BYTES];  /* of this program's dictionary; "": none */
    xc_database *fdb;       /* a second handle, for the facet thread (lazily) */
    xc_database *rdb;       /* a third, for the second half of a split ranked pass (lazily) */
    cs_layout layout;       /* the shards db was opened from (has_layout), for the others */
    int has_layout;
    long ncpus;             /* cores online when opened */
    unsigned split_passes;  /* ranked passes split in two so far */
    struct stat stub;       /* the stub file as last opened: a swap changes it */
    int has_stub;
};

/* Before reading bodies: the codec for the index's body dictionary
 * (bodycodec.h; none: raw bodies only). An index that had none may get one
 * from a later run, and reading it can fail while a writer commits, so
 * every search without one looks again. 0 when the codec is as the index
 * says: its dictionary, or none when the index has none or what it holds
 * is not a dictionary (a damaged index: its compressed bodies are then
 * unreadable, and read_article salvages what it can). -1 with errbuf set
 * when the dictionary could not be read (a Xapian error, out of memory):
 * bodies must not be called damaged then, as a retry may read them. */
static int ensure_codec(cs_searcher *s, char *errbuf, size_t errlen)
{
    if (cs_codec_has_dict(s->codec))
        return 0;
    xc_error e;
    char *d = NULL;
    size_t len = 0;
    if (xc_database_get_metadata(s->db, CS_ZDICT_KEY, &d, &len, &e) < 0) {
        snprintf(errbuf, errlen, "cannot read the index's body dictionary: %s", e.message);
        return -1;
    }
    errno = 0;
    cs_codec *c = len ? cs_codec_new(d, len) : NULL;
    int no_memory = len && !c && errno == ENOMEM;
    free(d);
    if (no_memory) {
        snprintf(errbuf, errlen, "out of memory");
        return -1;
    }
    if (c) {
        cs_codec_free(s->codec);
        s->codec = c;
    }
    return 0;
}

/* The index's phrase pair list (pairwords.h) in s->pairs, read when the
 * index is opened and when another generation is swapped in (a generation
 * keeps its list: every run writing it gives its articles the pairs of
 * that list). Left without one when it cannot be read: phrases are then
 * checked without their pairs, slower but with the same results (and so
 * for each search where usable_pairs says no). */
static void load_pairs(cs_searcher *s)
{
    cs_pairwords_free(s->pairs);
    s->pairs = NULL;
    xc_error e;
    char *list = NULL;
    size_t len = 0;
    if (xc_database_get_metadata(s->db, CS_PAIRWORDS_KEY, &list, &len, &e) == 0 && len)
        s->pairs = cs_pairwords_new(list, len);
    free(list);
}

/* Non-zero when every one of the index's `docs` articles (at least one)
 * holds `marker`. */
static int all_marked(cs_searcher *s, const char *marker, uint32_t docs)
{
    xc_error e;
    uint32_t marked = 0;
    return docs && *marker &&
           xc_database_termfreq(s->db, marker, strlen(marker), &marked, &e) == 0 &&
           marked == docs;
}

/* The pair list a search may use: s->pairs while every article holds the
 * marker of articles given their pairs (one written since by another
 * writer, an older corpsearch, would lack them, and phrases would miss
 * it), else NULL. A term lookup. */
static const cs_pairwords *usable_pairs(cs_searcher *s, uint32_t docs)
{
    return s->pairs && all_marked(s, CS_PAIR_MARKER, docs) ? s->pairs : NULL;
}

/* How a search may look synonyms up (query_builder.h): as their terms while
 * every article was given those of this program's dictionary (an index
 * built with another one, by an older corpsearch or by another writer has
 * other terms or none), else as phrases. A term lookup. */
static int synonym_mode(cs_searcher *s, const cs_search_req *req, uint32_t docs)
{
    if (req->no_synonyms)
        return CS_SYN_OFF;
    return all_marked(s, s->syn_marker, docs) ? CS_SYN_TERMS : CS_SYN_PHRASES;
}

/* BM25 parameters: k1 (how fast repeated words stop counting) and b (how
 * much long articles are discounted). Measured with tests/eval/known_item.py
 * (MRR@10 with / without diacritics) and tests/eval/handmade.py: k1,b =
 * 1.0,0.5: 0.944/0.933, 71/77; 1.2,0.75: 0.946/0.930, 71/77; 0.8,0.3:
 * 0.943/0.936, 71/77; 1.5,0.5: 0.943/0.925; 1.0,0.8: 0.946/0.932. Flat within
 * one query: the adjacency and title boosts decide; 1.0,0.5 stays.
 * CORPSEARCH_BM25="k1,b" overrides them for experiments. */
#define BM25_K1 1.0
#define BM25_B 0.5

static void bm25_params(double *k1, double *b)
{
    const char *env = getenv("CORPSEARCH_BM25");
    *k1 = BM25_K1;
    *b = BM25_B;
    if (env && sscanf(env, "%lf,%lf", k1, b) != 2) {
        *k1 = BM25_K1;
        *b = BM25_B;
    }
}

/* An enquire on db running q, ranked by BM25 with bm25_params: what every
 * ranked pass starts from, on any thread. NULL with *e set on error. */
static xc_enquire *ranked_enquire(xc_database *db, const xc_query *q, xc_error *e)
{
    double k1, b;
    bm25_params(&k1, &b);
    xc_enquire *enq = xc_enquire_new(db, e);
    if (enq && (xc_enquire_set_query(enq, q, e) < 0 ||
                xc_enquire_set_bm25(enq, k1, 0, 1, b, 0.5, e) < 0)) {
        xc_enquire_free(enq);
        enq = NULL;
    }
    return enq;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The shards of layout l (has: 1) opened one by one (so facets are
 * counted per shard, see xc_facet_count), else whatever Xapian opens at
 * `path` (a stub file, a database). NULL with *e set on error. */
static xc_database *open_layout(const char *path, const cs_layout *l, int has, xc_error *e)
{
    return has ? xc_database_open_shards((const char *const *)l->shard, l->nshards, e)
               : xc_database_open(path, e);
}

/* The index in `path`, by the layout read there now (kept in *l, *has
 * set; see open_layout). NULL with *e set on error (then *has is 0 and *l
 * holds nothing). */
static xc_database *open_index(const char *path, cs_layout *l, int *has, xc_error *e)
{
    char why[256];
    *has = cs_layout_read(path, l, why, sizeof why) == 0;
    xc_database *db = open_layout(path, l, *has, e);
    if (!db && *has) {
        cs_layout_free(l);
        *has = 0;
    }
    return db;
}

/* 1 when handles a and b hold the same articles under the same docids:
 * every shard at the same revision. Statistics alone miss a commit that
 * rewrote articles in place at the same length (the two handles would read
 * different texts of one hit), so they are only the fallback when the
 * revisions are unknown (a stub path listing several shards, a backend
 * without revisions: xc_database_same_revision fails). */
static int same_revision(xc_database *a, xc_database *b)
{
    xc_db_stats x, y;
    xc_error e;
    int rc = xc_database_same_revision(a, b, &e);
    if (rc >= 0)
        return rc;
    return xc_database_stats(a, &x, &e) == 0 && xc_database_stats(b, &y, &e) == 0 &&
           x.doccount == y.doccount && x.lastdocid == y.lastdocid &&
           x.total_length == y.total_length;
}

/* *h, another handle on the shards s->db reads (opened the first time),
 * for another thread. With same_docids, at s->db's revision: threads that
 * split work by docids (facet parts, ranked halves) must agree on them, or
 * articles would be lost or seen twice. NULL when it cannot be opened or
 * brought to that revision (its newest may be past s->db's until the next
 * reopen): the caller works alone then. */
static xc_database *second_handle(cs_searcher *s, xc_database **h, int same_docids)
{
    xc_error e;
    if (!*h)
        *h = open_layout(s->path, &s->layout, s->has_layout, &e);
    if (!same_docids || !*h)
        return *h;
    if (same_revision(s->db, *h))   /* the usual case: checked once */
        return *h;
    if (xc_database_reopen(*h, &e) < 0) {
        xc_database_close(*h);
        *h = NULL;
        return NULL;
    }
    return same_revision(s->db, *h) ? *h : NULL;
}

cs_searcher *cs_searcher_open(const char *path, char *errbuf, size_t errlen)
{
    cs_searcher *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        snprintf(errbuf, errlen, "out of memory");
        free(s);
        return NULL;
    }
    xc_error e;
    const char *why = NULL;
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(errbuf, errlen, "no index at %s (run 'corpsearch index' first)", path);
        cs_searcher_close(s);
        return NULL;
    }
    s->ncpus = sysconf(_SC_NPROCESSORS_ONLN);
    /* Remember the stub before opening, so a swap after this is noticed. */
    s->has_stub = cs_layout_stat_stub(path, &s->stub) == 0;
    if (!(s->db = open_index(path, &s->layout, &s->has_layout, &e))) {
        snprintf(errbuf, errlen, "cannot open the index at %s: %s", path, e.message);
    } else if (!(s->tk = cs_tokenizer_new(&why))) {
        snprintf(errbuf, errlen, "%s", why ? why : "tokenizer failed");
    } else if (!(s->stem = xc_stemmer_new("english", &e))) {
        snprintf(errbuf, errlen, "%s", e.message);
    } else {
        char ignored[8];
        ensure_codec(s, ignored, sizeof ignored);   /* a search tries again */
        load_pairs(s);
        const cs_synonyms *syn = cs_synonyms_default();
        if (syn)
            cs_synonyms_marker(syn, s->syn_marker);
        return s;
    }
    cs_searcher_close(s);
    return NULL;
}

void cs_searcher_close(cs_searcher *s)
{
    if (!s)
        return;
    xc_database_close(s->db);
    xc_database_close(s->fdb);
    xc_database_close(s->rdb);
    if (s->has_layout)
        cs_layout_free(&s->layout);
    cs_tokenizer_free(s->tk);
    xc_stemmer_free(s->stem);
    cs_codec_free(s->codec);
    cs_pairwords_free(s->pairs);
    free(s->path);
    free(s);
}

int cs_searcher_reopen(cs_searcher *s, char *errbuf, size_t errlen)
{
    xc_error e;
    int rc = xc_database_reopen(s->db, &e);
    if (rc < 0)
        snprintf(errbuf, errlen, "%s", e.message);
    /* The other handles follow; failing, they are opened from scratch. */
    xc_database **other[] = {&s->fdb, &s->rdb};
    for (size_t i = 0; rc >= 0 && i < sizeof other / sizeof *other; i++) {
        if (*other[i] && xc_database_reopen(*other[i], &e) < 0) {
            xc_database_close(*other[i]);
            *other[i] = NULL;
        }
    }
    return rc < 0 ? -1 : rc;
}

int cs_searcher_refresh(cs_searcher *s, char *errbuf, size_t errlen)
{
    struct stat st;
    int has = cs_layout_stat_stub(s->path, &st) == 0;
    if (has != s->has_stub || (has && (st.st_ino != s->stub.st_ino ||
                                       st.st_mtim.tv_sec != s->stub.st_mtim.tv_sec ||
                                       st.st_mtim.tv_nsec != s->stub.st_mtim.tv_nsec))) {
        /* A new generation was swapped in: Database::reopen() would keep
         * reading the shards the old stub named, so open afresh. */
        xc_error e;
        cs_layout l;
        int has_layout;
        xc_database *db = open_index(s->path, &l, &has_layout, &e);
        if (!db) {
            snprintf(errbuf, errlen, "cannot reopen the index: %s", e.message);
            return -1;
        }
        xc_database_close(s->db);
        s->db = db;
        if (s->has_layout)
            cs_layout_free(&s->layout);
        s->layout = l;
        s->has_layout = has_layout;
        xc_database_close(s->fdb);
        s->fdb = NULL;
        xc_database_close(s->rdb);
        s->rdb = NULL;
        s->has_stub = has;
        if (has)
            s->stub = st;
        /* A new generation has its own dictionary (read at the next
         * search: ensure_codec). */
        cs_codec_free(s->codec);
        s->codec = NULL;
        load_pairs(s);
        return 1;
    }
    return cs_searcher_reopen(s, errbuf, errlen);
}

/* AND of an OR-group of filter values of one kind (values OR together). */
static xc_query *filter_group(cs_filter_kind kind, const char *const *values,
                              size_t n, xc_error *e)
{
    xc_query *subs[CS_MAX_FILTER_VALUES];
    size_t k = 0;
    xc_query *q = NULL;
    for (; k < n && k < CS_MAX_FILTER_VALUES; k++)
        if (!(subs[k] = cs_filter_query(kind, values[k], NULL, e)))
            goto out;
    q = k == 1 ? subs[0] : xc_query_combine(XC_OP_OR, subs, k, 0, e);
    if (k == 1)
        return q;
out:
    for (size_t i = 0; i < k; i++)
        xc_query_free(subs[i]);
    return q;
}

/* Filters (language, date range, provinces, resolutions) restrict without
 * adding weight. Takes ownership of q. */
static xc_query *apply_filters(const cs_search_req *req, xc_query *q, xc_error *e)
{
    xc_query *f[5];
    size_t n = 0;
    int bad_date = 0;
    if (req->lang && *req->lang)
        f[n++] = cs_filter_query(CS_FILTER_LANG, req->lang, NULL, e);
    if (req->nprovinces)
        f[n++] = filter_group(CS_FILTER_PROVINCE, req->provinces, req->nprovinces, e);
    if (req->nresolutions)
        f[n++] = filter_group(CS_FILTER_RESOLUTION, req->resolutions, req->nresolutions, e);
    if ((req->from && *req->from) || (req->to && *req->to)) {
        /* The same range as the query syntax date:FROM..TO (either end open;
         * "2023" as an upper bound includes the whole year). */
        char range[64];
        snprintf(range, sizeof range, "%.24s..%.24s", req->from ? req->from : "",
                 req->to ? req->to : "");
        f[n++] = cs_filter_query(CS_FILTER_DATE, range, &bad_date, e);
    }
    if (n == 0)
        return q;
    xc_query *parts[6] = {q};
    memcpy(parts + 1, f, n * sizeof *f);
    xc_query *out = NULL;
    int ok = 1;
    for (size_t i = 0; i < n; i++)
        ok &= f[i] != NULL;
    if (ok)
        out = xc_query_combine(XC_OP_FILTER, parts, n + 1, 0, e);
    for (size_t i = 0; i < n; i++)
        xc_query_free(f[i]);
    xc_query_free(q);
    if (bad_date && out) {
        /* Set last: every successful xc_* call clears the error. */
        xc_query_free(out);
        out = NULL;
        e->code = XC_ERR_INVALID_ARGUMENT;
        snprintf(e->message, sizeof e->message,
                 "dates must be YYYY, YYYY-MM or YYYY-MM-DD (from '%.24s', to '%.24s')",
                 req->from ? req->from : "", req->to ? req->to : "");
    }
    return out;
}

/* Parse and build the query. *q NULL with no error means "no results". */
static int make_query(cs_searcher *s, const cs_search_req *req, cs_results *r,
                      cs_match_set *hl, xc_query **q, xc_query **matching,
                      xc_query **rerank, xc_query **relaxed, char *errbuf, size_t errlen)
{
    xc_error e;
    xc_error_clear(&e);
    char *note = NULL;
    cs_qnode *tree = req->query ? cs_query_parse(req->query, cs_query_fields, &note) : NULL;
    *q = NULL;
    *matching = NULL;
    *rerank = NULL;
    *relaxed = NULL;
    if (!tree && note && strstr(note, "UTF-8")) {
        snprintf(errbuf, errlen, "%s", note);
        free(note);
        return -1;
    }
    r->note = note;
    if (!tree) {
        /* An empty query browses everything; filters still apply. */
        int empty = !req->query || strspn(req->query, " \t\r\n") == strlen(req->query);
        *q = empty ? xc_query_match_all(&e) : NULL;
    } else {
        xc_db_stats st = {0};
        uint32_t docs = xc_database_stats(s->db, &st, &e) == 0 ? st.doccount : 0;
        *q = cs_build_query(tree, s->tk, s->stem, usable_pairs(s, docs),
                            synonym_mode(s, req, docs), hl,
                            req->facets ? matching : NULL, rerank, relaxed, &e);
        cs_qnode_free(tree);
    }
    if (!*q && e.code == XC_OK && !r->note)
        r->note = strdup(cs_note_text(CS_NOTE_NO_WORDS));
    if (*q)
        *q = apply_filters(req, *q, &e);
    /* Every xc_* call clears the error: check before the second pass. */
    if (e.code == XC_OK && *matching)
        *matching = apply_filters(req, *matching, &e);
    if (e.code == XC_OK && *relaxed && !(*relaxed = apply_filters(req, *relaxed, &e)))
        xc_error_clear(&e);   /* only a shortcut (pool_mset) */
    if (e.code != XC_OK) {
        snprintf(errbuf, errlen, "%s", e.message);
        xc_query_free(*q);
        xc_query_free(*matching);
        xc_query_free(*rerank);
        xc_query_free(*relaxed);
        *q = *matching = *rerank = *relaxed = NULL;
        return -1;
    }
    return 0;
}

/* The stored article of `doc`, as it is stored: its value CS_SLOT_ARTICLE,
 * or its data when that is empty (a raw body; an older index), in *data
 * (malloc'd, *len bytes). 0, or -1 with *e set on an error of Xapian's. */
static int stored_data(const xc_document *doc, char **data, size_t *len, xc_error *e)
{
    *data = NULL;
    *len = 0;
    xc_error_clear(e);
    if (xc_document_get_value(doc, CS_SLOT_ARTICLE, data, len, e) == 0 && *len == 0) {
        free(*data);
        *data = NULL;
        xc_document_get_data(doc, data, len, e);
    }
    return e->code == XC_OK ? 0 : -1;
}

static int first_id(const char *term, size_t len, uint32_t freq, void *ud)
{
    (void)freq;
    char **id = ud;
    *id = strndup(term + 1, len - 1);   /* past the "Q" */
    return 1;   /* one is enough */
}

/* What a hit can show of `doc` when its stored `data` is rejected by
 * cs_doc_data_decode (a damaged value, or a dictionary that cannot read
 * it): the header's fields when they can be read, else the id from the
 * document's Q term, with an empty title and body (every article has a Q
 * term; "#docid" stands in for a missing one). NULL when out of memory, or
 * with *e set on an error of Xapian's. */
static cs_article *salvage_article(const xc_document *doc, const char *data, size_t len,
                                   xc_error *e)
{
    cs_article *a = cs_doc_data_salvage(data, len);
    if (a || !(a = calloc(1, sizeof *a)))
        return a;
    if (xc_document_terms(doc, CS_PREFIX_ID, first_id, &a->id, e) < 0) {
        cs_article_free(a);
        return NULL;
    }
    if (!a->id) {
        char num[24];
        snprintf(num, sizeof num, "#%u", (unsigned)xc_document_docid(doc));
        a->id = strdup(num);
    }
    a->title = strdup("");
    a->body = strdup("");
    if (!a->id || !a->title || !a->body) {
        cs_article_free(a);
        return NULL;
    }
    return a;
}

/* The article stored in `doc` (stored_data), decoded. When what is stored
 * is not ours and `salvaged` is not NULL, what salvage_article can read of
 * it, with *salvaged set to 1 (not when decoding ran out of memory: that
 * article is not damaged). NULL if it cannot be read: with *e set on an
 * error of Xapian's, e->code XC_OK when what is stored is not ours (and not
 * salvaged) or out of memory (then errno is ENOMEM). The caller frees it
 * with cs_article_free. */
static cs_article *read_article(cs_searcher *s, const xc_document *doc, int *salvaged,
                                xc_error *e)
{
    char *data = NULL;
    size_t len = 0;
    cs_article *a = NULL;
    int oom = 0;
    if (stored_data(doc, &data, &len, e) == 0) {
        a = cs_doc_data_decode(data, len, s->codec);
        oom = !a && errno == ENOMEM;
        if (!a && salvaged && !oom && (a = salvage_article(doc, data, len, e)))
            *salvaged = 1;
    }
    free(data);
    if (oom)
        errno = ENOMEM;
    return a;
}

/* Fill one hit from a matched document. */
static int fill_hit(cs_searcher *s, const xc_mset *m, uint32_t i, double score,
                    const cs_match_set *hl, size_t snip, int titles_only, cs_hit *h)
{
    xc_error e;
    xc_document *doc = NULL;
    if (xc_mset_document(m, i, &doc, &e) < 0)
        return -1;
    /* A damaged article is still a hit, marked, rather than the end of
     * the search: the other hits are fine, and its id says what to repair. */
    cs_article *a = read_article(s, doc, &h->unreadable, &e);
    xc_document_free(doc);
    if (!a)
        return -1;
    h->score = score;
    h->id = a->id, a->id = NULL;
    h->title = a->title, a->title = NULL;
    h->url = a->url, a->url = NULL;
    h->date = a->date, a->date = NULL;
    h->lang = a->lang, a->lang = NULL;
    h->provinces = a->provinces, h->nprovinces = a->nprovinces;
    h->resolutions = a->resolutions, h->nresolutions = a->nresolutions;
    a->provinces = a->resolutions = NULL;
    a->nprovinces = a->nresolutions = 0;
    /* Stems are indexed for English articles only (docbuilder.c), so only
     * there can a stem have made the match; stemming a Vietnamese article's
     * words to look for one was 4% of a search (perf). */
    xc_stemmer *stem = h->lang && strcmp(h->lang, "en") == 0 ? s->stem : NULL;
    int rc = titles_only ? 0
             : cs_make_snippet(s->tk, stem, hl, a->body, a->body_len, snip, &h->snippet);
    if (rc == 0 && !titles_only)
        rc = cs_mark_all(s->tk, stem, hl, h->title, strlen(h->title), &h->title_marks);
    cs_article_free(a);
    return rc;
}

typedef struct spell_ctx {
    cs_searcher *s;
    const char *query;
    cs_buf out;          /* the query with unknown words replaced */
    size_t copied;       /* bytes of the query copied so far */
    int changed;
} spell_ctx;

/* For each query word the index does not have, Xapian's spelling table
 * (built at index time) may know a close one: splice it in. */
static int spell_token(const cs_token *t, void *ud)
{
    spell_ctx *c = ud;
    xc_error e;
    uint32_t freq = 1;
    char *sug = NULL;
    if (t->is_number || t->folded_len < 3 ||
        xc_database_termfreq(c->s->db, t->folded, t->folded_len, &freq, &e) < 0 || freq > 0)
        return 0;
    /* A word found through its English stem ("lychees") is not misspelt. */
    char stem[CS_MAX_WORD_BYTES * 2 + 8] = CS_PREFIX_STEM;
    int n = xc_stem(c->s->stem, t->folded, t->folded_len, stem + 1, sizeof stem - 1, NULL);
    if (n > 0 && xc_database_termfreq(c->s->db, stem, (size_t)n + 1, &freq, &e) == 0 && freq > 0)
        return 0;
    if (xc_database_spelling(c->s->db, t->folded, 2, &sug, &e) == 0 && sug && *sug) {
        cs_buf_append(&c->out, c->query + c->copied, t->start - c->copied);
        cs_buf_puts(&c->out, sug);
        c->copied = t->end;
        c->changed = 1;
    }
    free(sug);
    return 0;
}

/* *out: the query with misspelt words corrected, or NULL when every word
 * is known (or nothing close is). -1 only when out of memory. */
static int suggest_spelling(cs_searcher *s, const char *query, char **out)
{
    spell_ctx c = {.s = s, .query = query};
    *out = NULL;
    if (cs_tokenize(s->tk, query, strlen(query), 0, spell_token, &c) < 0 || !c.changed) {
        cs_buf_free(&c.out);
        return 0;
    }
    cs_buf_puts(&c.out, query + c.copied);
    *out = cs_buf_release(&c.out);
    return *out ? 0 : -1;
}

/* Near-duplicates are collapsed over the ranked window, not by Xapian's
 * collapse key: that reads the key of every match, which with exact facet
 * counts (all matches visited) doubled the cost of a facet query (31 vs
 * 19 ms for "việt nam" on baomoi). Copies of a story rank next to each
 * other, so folding them within the page and half again (plus a margin)
 * shows the same page; "similar" counts the copies seen in that window. A
 * wider window weakens Xapian's early termination: twice the page + 20 cost
 * 0.9 ms more per query (median 5.3 vs 4.5 ms on baomoi). */
#define COLLAPSE_MARGIN 10

typedef struct kept_hit {
    uint32_t index;       /* in the ranked window */
    uint32_t similar;
} kept_hit;

/* The value in `slot` of mset item i into out[width + 1], NUL-terminated;
 * "" when it has none or one of another width. 0, or -1 with *e set. */
static int item_value(const xc_mset *m, uint32_t i, xc_slot slot, size_t width, char *out,
                      xc_error *e)
{
    xc_document *doc = NULL;
    char *v = NULL;
    size_t len = 0;
    int rc = xc_mset_document(m, i, &doc, e) < 0 ||
             xc_document_get_value(doc, slot, &v, &len, e) < 0 ? -1 : 0;
    out[0] = '\0';
    if (rc == 0 && len == width)
        memcpy(out, v, width + 1);
    free(v);
    xc_document_free(doc);
    return rc;
}

/* The duplicate key of mset item i into key[17] ("" when it has none). */
static int dup_key(const xc_mset *m, uint32_t i, char key[17], xc_error *e)
{
    return item_value(m, i, CS_SLOT_DUPKEY, 16, key, e);
}

/* Keep the first of each key (in rank order), counting the others on it.
 * Fills kept[] (n entries of room) and returns how many were kept, or -1. */
static long collapse_window(const xc_mset *m, const uint32_t *order, uint32_t n,
                            int collapse, kept_hit *kept, xc_error *e)
{
    char (*keys)[17] = collapse ? calloc(n ? n : 1, sizeof *keys) : NULL;
    long nk = 0;
    if (collapse && !keys)
        return -1;
    for (uint32_t i = 0; i < n; i++) {
        long same = -1;
        if (collapse) {
            if (dup_key(m, order[i], keys[nk], e) < 0) {
                free(keys);
                return -1;
            }
            for (long k = 0; keys[nk][0] && k < nk && same < 0; k++)
                if (strcmp(keys[k], keys[nk]) == 0)
                    same = k;
        }
        if (same >= 0) {
            kept[same].similar++;
            continue;
        }
        kept[nk++] = (kept_hit){i, 0};
    }
    free(keys);
    return nk;
}

/* The phrase boosts (the query's words adjacent, in the body and in the
 * title) read position lists, and Xapian checks them on every article that
 * has all the words: for common syllables, thousands per query, which was
 * most of the search time (perf; median 4.9 -> 3.0 ms without them on 100
 * two- and three-word baomoi queries). So the ranked pass runs without them
 * and keeps the best RERANK_POOL articles; a second pass weighs just the
 * phrase boosts over just those, and each candidate's two weights add up:
 * the same scores as one pass with every boost, as long as the final top
 * ranks come from the pool. (Re-running the whole boosted query on the
 * candidates cost 0.2 ms more at the median: every term's posting list is
 * read again.) Known-item MRR@10 on baomoi (tests/eval/known_item.py, as written / no diacritics):
 * one pass 0.944 / 0.933; pool 10: 0.918 / 0.920; 25: 0.942 / 0.941;
 * 32 (this): 0.945 / 0.943; 100: 0.945 / 0.940 (measured while the title
 * phrase was a positional S phrase; see W_TITLE_PHRASE for now). The
 * pool's cost grows with its size (~13 us an article: 2.3 ms median with
 * 25, 3.3 ms with 100 on the two- and three-word queries, when the whole
 * query was re-run). */
#define RERANK_POOL 32

/* The query as Xapian sees it, the re-ranking boosts shown as the
 * AND_MAYBE they are applied with. malloc'd; NULL when out of memory. */
static char *describe(const xc_query *q, const xc_query *rerank)
{
    xc_error e;
    xc_query *parts[2] = {(xc_query *)q, (xc_query *)rerank};
    xc_query *all = rerank ? xc_query_combine(XC_OP_AND_MAYBE, parts, 2, 0, &e) : NULL;
    char *d = xc_query_describe(all ? all : q);
    xc_query_free(all);
    return d;
}

/* The ranked window: Xapian's mset and the order to read it in. */
typedef struct ranked {
    xc_mset *m;
    uint32_t n;           /* entries in order[] and score[] */
    uint32_t *order;      /* i-th result: index in m */
    double *score;        /* its weight */
    uint32_t estimated;   /* matches estimated */
    int exact;            /* ... and that is their count, not an estimate */
} ranked;

static void ranked_free(ranked *rk)
{
    xc_mset_free(rk->m);
    free(rk->order);
    free(rk->score);
    memset(rk, 0, sizeof *rk);
}

/* order[0..n) by w[] descending, ties keeping their order (insertion
 * sort: a pool is a few dozen, and Xapian's order is nearly right). */
static void sort_by_weight(uint32_t *order, uint32_t n, const double *w)
{
    for (uint32_t i = 1; i < n; i++) {
        uint32_t x = order[i], j = i;
        for (; j > 0 && w[order[j - 1]] < w[x]; j--)
            order[j] = order[j - 1];
        order[j] = x;
    }
}

/* The phrase-boost weight of each candidate cand[0..n) into w2[] (0 when
 * it has none): `rerank` alone, over just those documents. 0 or -1. */
static int phrase_weights(cs_searcher *s, xc_enquire *enq, const xc_query *rerank,
                          const xc_docid *ids, uint32_t n, double *w2, xc_error *e)
{
    xc_query *only = xc_query_docids(s->db, ids, n, e);
    xc_query *f[2] = {(xc_query *)rerank, only};
    xc_query *q2 = only ? xc_query_combine(XC_OP_FILTER, f, 2, 0, e) : NULL;
    xc_mset *m2 = q2 && xc_enquire_set_query(enq, q2, e) == 0
                      ? xc_enquire_get_mset(enq, 0, n, n, e) : NULL;
    int rc = m2 ? 0 : -1;
    xc_hit h;
    for (uint32_t i = 0; m2 && i < xc_mset_size(m2); i++) {
        if (xc_mset_hit(m2, i, &h, e) < 0) {
            rc = -1;
            break;
        }
        for (uint32_t k = 0; k < n; k++)
            if (ids[k] == h.docid)
                w2[k] = h.weight;
    }
    xc_mset_free(m2);
    xc_query_free(q2);
    xc_query_free(only);
    return rc;
}

/* The title phrase boost: a phrase that starts in the title (below
 * CS_BODY_FIRST_POS, docformat.h) counts its adjacency weight 1 +
 * W_TITLE_PHRASE times. Title words have no positions of their own (S
 * terms), so the phrase found by the body boost says where it is. An
 * error reading positions counts as "not in the title". Known-item MRR@10
 * on baomoi (as written / no diacritics): 0.945 / 0.943 with a PHRASE over
 * positional S terms (5 MB more index); with this, 0.930 / 0.942 at 1.0,
 * 0.936 / 0.940 at 2.0, 0.936 / 0.941 at 4.0. */
#define W_TITLE_PHRASE 2.0

/* 1 if candidate did has the query's words in a row in its title (only
 * looked for when it has them in a row somewhere: phrase weight > 0). */
static int in_title(cs_searcher *s, const cs_match_set *hl, xc_docid did, double phrase_w)
{
    xc_error e;
    return phrase_w > 0 && hl->nseq >= 2 &&
           xc_database_phrase_before(s->db, did, (const char *const *)hl->seq, hl->nseq,
                                     CS_BODY_FIRST_POS, &e) == 1;
}

/* Relaxed candidates looked at per result wanted (pool_mset), at least
 * RELAXED_MIN: enough that the phrase is usually among them. */
#define RELAXED_FACTOR 4
#define RELAXED_MIN 128
#define RELAXED_MAX_N 256

/* Verified candidates: the query `q` over just the docids of mset r. */
static xc_mset *verify(cs_searcher *s, xc_enquire *enq, const xc_query *q, const xc_mset *r,
                       xc_error *e)
{
    uint32_t m = xc_mset_size(r);
    xc_docid *ids = malloc((m ? m : 1) * sizeof *ids);
    xc_hit h;
    xc_mset *v = NULL;
    uint32_t i = 0;
    for (; ids && i < m && xc_mset_hit(r, i, &h, e) == 0; i++)
        ids[i] = h.docid;
    xc_query *only = ids && i == m ? xc_query_docids(s->db, ids, m, e) : NULL;
    xc_query *f[2] = {(xc_query *)q, only};
    xc_query *qv = only ? xc_query_combine(XC_OP_FILTER, f, 2, 0, e) : NULL;
    if (qv && xc_enquire_set_query(enq, qv, e) == 0)
        v = xc_enquire_get_mset(enq, 0, m, m, e);
    xc_query_free(qv);
    xc_query_free(only);
    free(ids);
    return v;
}

/* 1 when the n-th verified candidate (nth, item n-1 of v) provably ranks
 * above every article outside the relaxed window r (its last item, `last`):
 * by relevance, a weight strictly above last's (an article outside weighs
 * at most that in the relaxed query, so no more in the real one; strictly,
 * with a margin for rounding, because equal weights are ordered by docid);
 * by date, a day strictly after last's (Xapian orders one day's articles by
 * weight, and those are relaxed weights in r). */
static int beats_outside(const xc_mset *r, const xc_mset *v, uint32_t n, int by_date,
                         xc_error *e)
{
    xc_hit last, nth;
    if (xc_mset_hit(r, xc_mset_size(r) - 1, &last, e) < 0 || xc_mset_hit(v, n - 1, &nth, e) < 0)
        return 0;
    if (!by_date)
        return nth.weight > last.weight * (1 + 1e-9) + 1e-12;
    char dl[9], dn[9];   /* YYYYMMDD */
    return item_value(r, xc_mset_size(r) - 1, CS_SLOT_DATE, 8, dl, e) == 0 &&
           item_value(v, n - 1, CS_SLOT_DATE, 8, dn, e) == 0 && strcmp(dn, dl) > 0;
}

/* Xapian's estimate of m's matches, exact when its bounds meet (the
 * matcher saw every match). */
static void set_estimate(const xc_mset *m, uint32_t *estimated, int *exact)
{
    *estimated = xc_mset_estimated(m);
    *exact = xc_mset_lower_bound(m) == xc_mset_upper_bound(m);
}

/* A ranked pass that must see every match (no relaxed shortcut) on an
 * index of more than SPLIT_MIN_DOCS articles is cut in two halves of the
 * docids (xc_query_part): the searching thread ranks the first, a thread
 * of its own with its own handle (s->rdb) the second, and the two tops are
 * merged (xc_mset_merge): the same hits in the same order as one pass (the
 * weights may differ from one pass's in their last bits, as Xapian adds up
 * a filtered query's weights in another order, so two articles that close
 * could swap; none did in 800 searches). The slowest searches on big
 * indexes are such passes: phrases of common syllables, whose every
 * candidate has its positions read. At 1M synthetic articles (bench_query,
 * 400 queries x 2, old and new binaries alternating, twice) the median
 * went from 14.4 to 9.1 ms, p99 from 92 to 66 ms, for 19% more CPU (each
 * half keeps its own best n, so it prunes less); at 350k, 6.5 -> 4.7 and
 * 45 -> 30-35 ms.
 * Queries under 0.3 ms take 0.1 ms more. Not while facets are counted: the
 * facet thread already keeps the second core busy, and a third thread made
 * those searches slower (median 17.2 -> 18.9 ms at 1M). Nor when every
 * core already runs a search (a loaded daemon): the extra CPU would come
 * out of its throughput. Both handles must be at one revision
 * (second_handle); each hit is read through its own half's handle. */
#define SPLIT_MIN_DOCS 40000

/* Searches running now in this process, over all searchers. */
static atomic_int searches_running;

/* How rank() orders and runs its passes (flags). */
enum {
    RANK_BY_DATE = 1,   /* newest first, then by relevance */
    RANK_SPLIT = 2,     /* a full pass may be split in two threads */
};

typedef struct half_run {
    xc_database *db;
    xc_query *q;        /* the thread's own copy of the query; it frees it */
    uint32_t n;
    xc_mset *m;         /* its best n, or NULL with e set */
    xc_error e;
} half_run;

static void *half_main(void *ud)
{
    half_run *h = ud;
    xc_query *part = xc_query_part(h->q, 1, 2, &h->e);
    xc_enquire *enq = part ? ranked_enquire(h->db, part, &h->e) : NULL;
    if (enq)
        h->m = xc_enquire_get_mset(enq, 0, h->n, h->n, &h->e);
    xc_enquire_free(enq);
    xc_query_free(part);
    xc_query_free(h->q);
    h->q = NULL;
    return NULL;
}

/* 1 when s's index holds more than `dflt` articles, or more than the
 * number in the environment variable `env` when that is set (tests set it
 * to take a big index's path on a small one); *forced (if not NULL) says
 * it was set. */
static int index_over(cs_searcher *s, unsigned long dflt, const char *env, int *forced)
{
    xc_db_stats st;
    xc_error e;
    const char *v = getenv(env);
    int set = v && *v;
    if (forced)
        *forced = set;
    unsigned long min_docs = set ? strtoul(v, NULL, 10) : dflt;
    return xc_database_stats(s->db, &st, &e) == 0 && st.doccount > min_docs;
}

/* 1 when a full pass over s's index is worth splitting in two: the index
 * is big and a core is free (this search counts among those running;
 * CORPSEARCH_SPLIT_FROM, for tests, also splits on one core). */
static int worth_splitting(cs_searcher *s)
{
    int forced;
    return index_over(s, SPLIT_MIN_DOCS, "CORPSEARCH_SPLIT_FROM", &forced) &&
           (forced || (s->ncpus > 1 && atomic_load(&searches_running) < s->ncpus));
}

/* The match counts of a split pass: the halves' sums (in m), narrowed by
 * Xapian's bounds for the whole query (w: from term statistics, which make
 * a single word's count exact, where each half only has an estimate). */
static void split_estimate(const xc_mset *m, const xc_mset *w, uint32_t *estimated,
                           int *exact)
{
    uint32_t lo = xc_mset_lower_bound(m), hi = xc_mset_upper_bound(m);
    if (w && xc_mset_lower_bound(w) > lo)
        lo = xc_mset_lower_bound(w);
    if (w && xc_mset_upper_bound(w) < hi)
        hi = xc_mset_upper_bound(w);
    uint32_t est = xc_mset_estimated(m);
    if (hi < lo) {   /* the handles disagree: keep the halves' own guess */
        *estimated = est;
        *exact = 0;
        return;
    }
    *estimated = est < lo ? lo : est > hi ? hi : est;
    *exact = lo == hi;
}

/* get_mset(0, n, n) of `q` on the enquire, in one pass, and (estimated not
 * NULL) its match count as set_estimate reads it. NULL with *e set. */
static xc_mset *one_pass(xc_enquire *enq, const xc_query *q, uint32_t n, uint32_t *estimated,
                         int *exact, xc_error *e)
{
    xc_mset *m = xc_enquire_set_query(enq, q, e) == 0 ? xc_enquire_get_mset(enq, 0, n, n, e)
                                                     : NULL;
    if (m && estimated)
        set_estimate(m, estimated, exact);
    return m;
}

/* What get_mset(0, n, n) of `q` on the enquire gives, and (estimated not
 * NULL) its match count in *estimated (*exact: 1 when a count): in two
 * halves when `how` allows it, the order is by relevance and the index is
 * big, else in one pass (also when no thread, handle or copy of the query
 * can be had). The enquire's query is left changed. NULL with *e set on
 * error. */
static xc_mset *full_mset(cs_searcher *s, xc_enquire *enq, const xc_query *q, uint32_t n,
                          int how, uint32_t *estimated, int *exact, xc_error *e)
{
    half_run h = {.n = n};
    pthread_t thread;
    xc_error ce;
    if ((how & RANK_SPLIT) && !(how & RANK_BY_DATE) && worth_splitting(s) &&
        (h.db = second_handle(s, &s->rdb, 1)))
        h.q = xc_query_copy_deep(q, &ce);
    if (!h.q || pthread_create(&thread, NULL, half_main, &h) != 0) {
        xc_query_free(h.q);
        return one_pass(enq, q, n, estimated, exact, e);
    }
    xc_query *first = xc_query_part(q, 0, 2, e);
    xc_mset *a = first && xc_enquire_set_query(enq, first, e) == 0
                     ? xc_enquire_get_mset(enq, 0, n, n, e) : NULL;
    /* An empty window runs no match: only the statistics' bounds. */
    xc_mset *w = a && estimated && xc_enquire_set_query(enq, q, e) == 0
                     ? xc_enquire_get_mset(enq, 0, 0, 0, e) : NULL;
    pthread_join(thread, NULL);
    xc_query_free(first);
    xc_mset *m = NULL;
    if (a && h.m) {
        m = xc_mset_merge(a, h.m, n, e);   /* frees both */
        a = h.m = NULL;
        if (m && estimated)
            split_estimate(m, w, estimated, exact);   /* w NULL: the halves' sums */
        s->split_passes += m != NULL;
    } else if (a) {
        /* Only the thread failed (its handle, say, overtaken by a
         * commit): one pass on ours. */
        xc_mset_free(a);
        a = NULL;
        m = one_pass(enq, q, n, estimated, exact, e);
    }
    xc_mset_free(a);
    xc_mset_free(h.m);
    xc_mset_free(w);
    return m;
}

/* The best `n` matches of `q`, in order (what get_mset(0, n, n) gives;
 * through the shortcut below, the mset may hold more after them, in order
 * too; the enquire's query is left changed), and in *estimated how many
 * there are (*exact: 1 when that is a count, 0 when an estimate).
 *
 * A synonym that is a phrase ("Ho Chi Minh City" also matches "thành phố
 * hồ chí minh") makes Xapian check positions in every article holding all
 * its words: at 200k synthetic articles, 75 ms for that query, growing with
 * the corpus. So with `relaxed` (the query with those phrases as ANDs, which
 * matches a superset, each article weighing at least what it does in `q`),
 * the best m = max(RELAXED_MIN, RELAXED_FACTOR n) relaxed candidates are
 * ranked without positions and `q` is run over just them. That is `q`'s
 * exact top n when the relaxed query had at most m matches, or when the
 * n-th verified article provably ranks above every article outside the m
 * (beats_outside). Else `q` runs in full (full_mset). `how`: RANK_ flags.
 * NULL with *e set on error. */
static xc_mset *pool_mset(cs_searcher *s, xc_enquire *enq, const xc_query *q,
                          const xc_query *relaxed, uint32_t n, int how,
                          uint32_t *estimated, int *exact_total, xc_error *e)
{
    uint32_t m = n * RELAXED_FACTOR > RELAXED_MIN ? n * RELAXED_FACTOR : RELAXED_MIN;
    if (n > RELAXED_MAX_N)
        relaxed = NULL;   /* deep pages: thousands of candidates to check */
    xc_mset *r = relaxed ? full_mset(s, enq, relaxed, m, how, NULL, NULL, e) : NULL;
    xc_mset *v = r ? verify(s, enq, q, r, e) : NULL;
    if (v) {
        uint32_t nr = xc_mset_size(r), nv = xc_mset_size(v);
        int exact = nr < m || (nv >= n && beats_outside(r, v, n, how & RANK_BY_DATE, e));
        xc_mset *est = NULL;
        if (exact && nr == m) {
            /* Xapian's estimate for `q`, from term statistics: an empty
             * window runs no match. */
            est = xc_enquire_set_query(enq, q, e) == 0 ? xc_enquire_get_mset(enq, 0, 0, 0, e)
                                                        : NULL;
            exact = est != NULL;
        }
        if (exact) {
            /* Without est, every relaxed match was verified: nv counts. */
            *estimated = est ? xc_mset_estimated(est) : nv;
            *exact_total = !est;
            if (*estimated < nv)
                *estimated = nv;
            xc_mset_free(est);
            xc_mset_free(r);
            return v;
        }
    }
    xc_mset_free(v);
    xc_mset_free(r);
    return full_mset(s, enq, q, n, how, estimated, exact_total, e);
}

/* Results [first, first+fetch) of the enquire's query, with the boosts of
 * `rerank` (if any) added to the best candidates (see above): rk->order
 * and rk->score in result order; `how`: RANK_ flags. 0, or -1 with *e set. */
static int rank(cs_searcher *s, xc_enquire *enq, const xc_query *q, const xc_query *relaxed,
                const xc_query *rerank, const cs_match_set *hl, uint32_t first, uint32_t fetch,
                int how, ranked *rk, xc_error *e)
{
    memset(rk, 0, sizeof *rk);
    uint32_t pool = first + fetch > RERANK_POOL ? first + fetch : RERANK_POOL;
    if (rerank)
        rk->m = pool_mset(s, enq, q, relaxed, pool, how, &rk->estimated, &rk->exact, e);
    else if (first == 0)
        rk->m = pool_mset(s, enq, q, relaxed, fetch, how, &rk->estimated, &rk->exact, e);
    else if ((rk->m = xc_enquire_get_mset(enq, first, fetch, first + fetch, e)))
        set_estimate(rk->m, &rk->estimated, &rk->exact);
    if (!rk->m)
        return -1;
    uint32_t n = xc_mset_size(rk->m);
    double *w = calloc(2 * (size_t)(n ? n : 1), sizeof *w);   /* w[i], then w2[i] */
    xc_docid *ids = malloc((n ? n : 1) * sizeof *ids);
    uint32_t *order = malloc((n ? n : 1) * sizeof *order);
    int rc = w && ids && order ? 0 : -1;
    if (rc < 0)
        snprintf(e->message, sizeof e->message, "out of memory"), e->code = XC_ERR_NO_MEMORY;
    xc_hit h;
    for (uint32_t i = 0; rc == 0 && i < n; i++) {
        if ((rc = xc_mset_hit(rk->m, i, &h, e)) == 0) {
            w[i] = h.weight;
            ids[i] = h.docid;
            order[i] = i;
        }
    }
    /* Only the first RERANK_POOL are re-ranked, whatever the page: boosts
     * only add weight, so they stay above the rest (in Xapian's order), and
     * every page reads the same ranking. */
    uint32_t np = rerank ? (n < RERANK_POOL ? n : RERANK_POOL) : 0;
    if (rc == 0 && np) {
        rc = phrase_weights(s, enq, rerank, ids, np, w + n, e);
        for (uint32_t i = 0; rc == 0 && i < np; i++)
            w[i] += w[n + i] * (1 + W_TITLE_PHRASE * in_title(s, hl, ids[i], w[n + i]));
        if (rc == 0)
            sort_by_weight(order, np, w);
    }
    /* Re-ranked, the window starts at `first` of the pool. */
    uint32_t skip = rerank ? (first < n ? first : n) : 0;
    uint32_t take = n - skip < fetch ? n - skip : fetch;
    rk->n = take;
    rk->order = order;
    rk->score = w;
    for (uint32_t i = 0; rc == 0 && i < take; i++) {
        uint32_t k = order[skip + i];
        order[i] = k;
        w[n + i] = w[k];   /* scores in result order, into the spare half */
    }
    if (rc == 0)
        memmove(w, w + n, take * sizeof *w);
    free(ids);
    if (rc < 0) {
        rk->order = NULL, rk->score = NULL;
        free(order);
        free(w);
        ranked_free(rk);
    }
    return rc;
}

/* Items come most frequent first; each goes to its kind's facet. */
static int collect_facet(const char *item, size_t len, uint32_t count, void *ud)
{
    cs_results *r = ud;
    for (int i = 0; len > 1 && i < CS_NFACETS; i++) {
        cs_facet *f = &r->facets[i];
        if (item[0] != facet_kinds[i] || f->n == FACET_MAX_VALUES)
            continue;
        cs_facet_value *v = &f->values[f->n];
        if (!(v->value = strndup(item + 1, len - 1)))
            return 1;
        v->count = count;
        f->n++;
    }
    return 0;
}

/* Up to this many matches, facets are counted exactly; past it, from a
 * sample of about this many (xc_facet_count). It covers every query on
 * baomoi (35k articles); on the 350k synthetic corpus a query matching most
 * of it took 1.5 s to count exactly. */
#define FACET_EXACT_MAX 40000

/* FACET_EXACT_MAX, or CORPSEARCH_FACET_EXACT_MAX when that is a positive
 * decimal number of at most 32 bits (tests take the sampled path on a
 * small index with it); anything else there is ignored. */
static uint32_t facet_exact_max(void)
{
    const char *v = getenv("CORPSEARCH_FACET_EXACT_MAX");
    if (!v || *v < '0' || *v > '9')
        return FACET_EXACT_MAX;
    char *end;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    return *end || errno || n == 0 || n > UINT32_MAX ? FACET_EXACT_MAX : (uint32_t)n;
}

/* Count facets over the matches of `q` (the query without its ranking
 * boosts), weightless: a second, cheap pass. The ranked pass stops early;
 * this one must visit every match for exact counts (spies only see what
 * the matcher looks at). The caller frees the counts with xc_facet_free;
 * NULL with *e set on error. */
static xc_facet *count_facets(xc_database *db, const xc_query *q, unsigned part,
                              unsigned nparts, int keep_docids, xc_error *e)
{
    return xc_facet_count_part(db, q, CS_SLOT_FACETS, CS_FACET_SEP, facet_exact_max(), part,
                               nparts, keep_docids, e);
}

/* Facets are counted in a thread of their own while the ranked pass,
 * snippets and spelling run: the two are independent, so a search takes
 * the longer of them instead of their sum (the CPU spent is the same; a
 * loaded daemon gains nothing, a journalist waiting does); phrases on big
 * indexes are the exception (facets_first). The thread has its own
 * database handle (Xapian objects are not shared between threads) and its
 * own copy of the query.
 *
 * On an index of more than FACET_EXACT_MAX articles the count is cut into
 * FACET_PARTS parts of the docids (xc_facet_count_part), taken in turn by
 * the facet thread and, once its own work is done, by the searching thread
 * with its handle: the slow counts are there (every match of a phrase of
 * common words has its positions read), and the searching thread used to
 * wait idle while the facet thread did all of it. On 350k synthetic
 * articles (bench_query --facets, 400 queries x 2, old and new binaries
 * alternating) p99 went from 102-106 to 77 ms, p90 from 29 to 23, the
 * median from 8.3 to 7.8, for 4% more CPU (each part estimates its own
 * matches); the exact counts are the same. Two threads, not one per part:
 * a third thread (two halves in threads of their own) slowed the ranked
 * pass on 2 cores, +1 ms on the queries of 5-20 ms. Both handles keep
 * their own in-memory facet values (xc_database_set_facet_cache). Parts
 * are only shared between handles at one revision (second_handle); else
 * the searching thread counts them all. */
#define FACET_PARTS 4

typedef struct facet_run {
    cs_searcher *s;
    xc_query *q;              /* the facet thread's copy */
    unsigned nparts;
    int keep_docids;          /* keep the matches' docids (facets_first) */
    atomic_uint next;         /* the next part to take */
    pthread_t thread;
    int running;              /* the thread is to be joined */
    int started;              /* facets_start ran: facets_finish has work */
    xc_facet *spy[2];         /* what the facet thread [0] and the caller [1] counted */
    xc_error e[2];
    int failed[2];
} facet_run;

/* Take parts until none is left, counting them over db and merging them
 * into run->spy[who]. On an error, run->failed[who] and run->e[who] say so
 * (the part is lost: the whole count fails). */
static void count_parts(facet_run *run, xc_database *db, const xc_query *q, int who)
{
    while (!run->failed[who]) {
        unsigned part = atomic_fetch_add(&run->next, 1);
        if (part >= run->nparts)
            return;
        xc_facet *f = count_facets(db, q, part, run->nparts, run->keep_docids, &run->e[who]);
        if (f && run->spy[who] && xc_facet_merge(run->spy[who], f, &run->e[who]) < 0) {
            xc_facet_free(f);
            f = NULL;
        }
        if (!f)
            run->failed[who] = 1;
        else if (!run->spy[who])
            run->spy[who] = f;
        else
            xc_facet_free(f);
    }
}

static void *facet_main(void *ud)
{
    facet_run *run = ud;
    count_parts(run, run->s->fdb, run->q, 0);
    return NULL;
}

/* 1 when s's facets are counted in parts: its index holds more than
 * FACET_EXACT_MAX articles (CORPSEARCH_FACET_PARTS_FROM, for tests, sets
 * another bound). */
static int facets_in_parts(cs_searcher *s)
{
    return index_over(s, FACET_EXACT_MAX, "CORPSEARCH_FACET_PARTS_FROM", NULL);
}

/* Start counting facets of `q` in a thread (in parts past
 * FACET_EXACT_MAX articles), keeping the matches' docids when asked. When
 * no thread (or handle, or copy) can be had, facets_finish counts every
 * part itself. */
static void facets_start(cs_searcher *s, const xc_query *q, int keep_docids, facet_run *run)
{
    xc_error e;
    memset(run, 0, sizeof *run);
    run->s = s;
    run->keep_docids = keep_docids;
    run->started = 1;
    run->nparts = facets_in_parts(s) ? FACET_PARTS : 1;
    atomic_init(&run->next, 0);
    /* One part needs no agreement on the docids: a handle a commit ahead
     * counts the newer revision's matches. */
    if (!second_handle(s, &s->fdb, run->nparts > 1) || !(run->q = xc_query_copy_deep(q, &e)))
        return;
    run->running = pthread_create(&run->thread, NULL, facet_main, run) == 0;
}

/* The counts of facets_start, all parts merged, or NULL with *e set. The
 * caller counts the parts left (over `q`, with its own handle), then
 * waits for the thread. Safe to call twice (NULL the second time); q NULL
 * (cleaning up after an error) counts nothing. */
static xc_facet *facets_finish(facet_run *run, const xc_query *q, xc_error *e)
{
    if (!run->started)
        return NULL;
    if (q)
        count_parts(run, run->s->db, q, 1);
    else
        atomic_store(&run->next, run->nparts);   /* no more parts for the thread */
    if (run->running)
        pthread_join(run->thread, NULL);
    xc_query_free(run->q);
    xc_facet *all = run->spy[0], *other = run->spy[1];
    if (!all) {
        all = other;
        other = NULL;
    }
    /* Without a failure every part was counted, so `all` is set. */
    int ok = q && !run->failed[0] && !run->failed[1];
    if (q && !ok)
        *e = run->e[run->failed[0] ? 0 : 1];
    if (ok && other && xc_facet_merge(all, other, e) < 0)
        ok = 0;
    xc_facet_free(other);
    if (!ok) {
        xc_facet_free(all);
        all = NULL;
    }
    memset(run, 0, sizeof *run);
    return all;
}

/* 1 when facets are to be counted before the ranked pass, which then
 * ranks only their matches (matches_only): a phrase (or NEAR) in
 * `matching`, ordered by relevance, on an index whose facets are counted
 * in parts (facets_start), so by handles at one revision, whose docids
 * agree, and whose counts can keep those (not a stub's databases). When
 * the count is a sample (too many matches to count), the ranked pass runs
 * as without facets, split in two.
 *
 * Why: a phrase of common syllables can have few matches among hundreds
 * of thousands of articles holding all its words. The exact count reads
 * the positions of every one of those; the ranked pass, which skips only
 * the articles that could not weigh enough, read most of them again (at
 * 1M synthetic articles, "nha bao moi": 433,356 candidates, 49 matches,
 * ~220 ms of CPU for the ranked pass besides the count's ~250). Counted
 * first, on both cores, the count's matches are all the ranked pass needs
 * to look at: 246 -> 151 ms for that search, and on the 400 queries at
 * 1M with facets p99 206 -> 168 ms, the phrases' mean 73 -> 61 ms
 * (bench/README). */
static int facets_first(cs_searcher *s, const xc_query *matching, int by_date)
{
    return !by_date && xc_query_positional(matching) && xc_database_keeps_docids(s->db) &&
           facets_in_parts(s);
}

/* `q` over only the matches an exact facet count saw (FILTER by their
 * docids: Xapian checks positions only on those), or NULL when they are
 * not known (a sample; a stub's databases), with *e clear; NULL with *e
 * set on error. */
static xc_query *matches_only(cs_searcher *s, const xc_query *q, const xc_facet *spy,
                              xc_error *e)
{
    const xc_docid *ids;
    long n = xc_facet_docids(spy, &ids);
    xc_error_clear(e);
    if (n < 0)
        return NULL;
    /* No match: an empty set of docids matches nothing, as q does. */
    xc_query *only = xc_query_docids(s->db, ids, (size_t)n, e);
    xc_query *f[2] = {(xc_query *)q, only};
    xc_query *out = only ? xc_query_combine(XC_OP_FILTER, f, 2, 0, e) : NULL;
    xc_query_free(only);
    return out;
}

/* Copy the spy's counts into the results, facet by facet. */
static int read_facets(xc_facet *spy, cs_results *r)
{
    for (int i = 0; i < CS_NFACETS; i++)
        if (!(r->facets[i].values = calloc(FACET_MAX_VALUES, sizeof *r->facets[i].values)))
            return -1;
    if (xc_facet_top(spy, 0, collect_facet, r) < 0)
        return -1;
    r->has_facets = 1;
    r->facets_sampled = xc_facet_sample(spy) > 1;
    return 0;
}

/* How damaged articles are repaired: a rebuild of corpsearch's index
 * folder; a bare Xapian database (or a stub not ours) cannot be rebuilt in
 * place (choose_layout in indexer.c), so it is indexed again elsewhere. */
static const char *repair_hint(const cs_searcher *s)
{
    return cs_note_text(s->has_layout && s->layout.generation[0] ? CS_NOTE_HINT_REBUILD
                                                                 : CS_NOTE_HINT_REINDEX);
}

/* Says in r's note (after what is there) how many hits are damaged
 * articles (cs_hit.unreadable), and how to repair them. 0, or -1 when out
 * of memory. */
static int note_unreadable(const cs_searcher *s, cs_results *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nhits; i++)
        n += r->hits[i].unreadable != 0;
    if (!n)
        return 0;
    char *part, *note;
    if (asprintf(&part, CS_NOTE_UNREADABLE_EN, n, repair_hint(s)) < 0)
        return -1;
    int rc = asprintf(&note, "%s%s%s", r->note ? r->note : "", r->note ? "; " : "", part);
    free(part);
    if (rc < 0)
        return -1;
    free(r->note);
    r->note = note;
    return 0;
}

int cs_search(cs_searcher *s, const cs_search_req *req, cs_results **out,
              char *errbuf, size_t errlen)
{
    double t0 = now_ms();
    atomic_fetch_add(&searches_running, 1);
    unsigned splits_before = s->split_passes;
    cs_results *r = calloc(1, sizeof *r);
    cs_match_set hl = {0};
    xc_query *q = NULL;
    xc_enquire *enq = NULL;
    xc_query *matching = NULL;
    xc_query *rerank = NULL;
    xc_query *relaxed = NULL;
    xc_query *only = NULL;
    facet_run fr = {0};
    ranked rk = {0};
    kept_hit *kept = NULL;
    xc_facet *spy = NULL;
    xc_error e;
    int rc = -1;
    *out = NULL;
    if (!r || !(r->query = strdup(req->query ? req->query : ""))) {
        snprintf(errbuf, errlen, "out of memory");
        goto done;
    }
    r->offset = req->offset;
    if (make_query(s, req, r, &hl, &q, &matching, &rerank, &relaxed, errbuf, errlen) < 0)
        goto done;
    if (!q) {
        r->total_exact = 1;
        rc = 0;   /* nothing to search for: no results, with a note */
        goto done;
    }
    if (req->explain)
        r->parsed = describe(q, rerank);
    unsigned limit = req->limit ? req->limit : 10;
    if (limit > MAX_LIMIT)
        limit = MAX_LIMIT;
    int browse = !req->query || !*req->query || hl.nwords + hl.nprefixes + hl.nphrases == 0;
    int collapse = !req->no_collapse;
    uint32_t first = collapse ? 0 : req->offset;
    uint32_t fetch = collapse ? (req->offset + limit) * 3 / 2 + COLLAPSE_MARGIN : limit;
    int by_date = req->sort_by_date || browse;
    const xc_query *fq = matching ? matching : q;   /* what facets count */
    int counted_first = req->facets && facets_first(s, fq, by_date);
    if (req->facets)
        facets_start(s, fq, counted_first, &fr);
    if (counted_first && (!(spy = facets_finish(&fr, fq, &e)) ||
                          (!(only = matches_only(s, q, spy, &e)) && e.code != XC_OK)))
        goto xapian_failed;
    const xc_query *rq = only ? only : q;   /* what is ranked */
    r->facets_first = only != NULL;
    if (!(enq = ranked_enquire(s->db, rq, &e)) ||
        (by_date && xc_enquire_set_sort_by_value(enq, CS_SLOT_DATE, 1, &e) < 0))
        goto xapian_failed;
    /* Sorted by date, boosts do not change the order. While the facet
     * thread runs, it keeps the second core busy: no split. Counted first,
     * the facets are done, and the matches they found may be many (a
     * phrase with tens of thousands): the ranked pass over them splits. */
    int how = by_date ? RANK_BY_DATE : req->facets && !counted_first ? 0 : RANK_SPLIT;
    if (rank(s, enq, rq, only ? NULL : relaxed, by_date ? NULL : rerank, &hl, first, fetch, how,
             &rk, &e) < 0)
        goto xapian_failed;
    uint32_t n = rk.n;
    kept = calloc(n ? n : 1, sizeof *kept);
    long nk = kept ? collapse_window(rk.m, rk.order, n, collapse, kept, &e) : -1;
    if (nk < 0) {
        snprintf(errbuf, errlen, "cannot read a matching article");
        goto done;
    }
    uint32_t from = collapse ? req->offset : 0;
    uint32_t count = (uint32_t)nk > from ? (uint32_t)nk - from : 0;
    if (count > limit)
        count = limit;
    r->hits = calloc(count ? count : 1, sizeof *r->hits);
    if (!r->hits) {
        snprintf(errbuf, errlen, "out of memory");
        goto done;
    }
    if (count && ensure_codec(s, errbuf, errlen) < 0)
        goto done;
    for (uint32_t i = 0; i < count; i++) {
        const kept_hit *k = &kept[from + i];
        r->nhits++;   /* before filling: a half-filled hit is freed with the rest */
        if (fill_hit(s, rk.m, rk.order[k->index], rk.score[k->index], &hl, req->snippet_bytes,
                     req->titles_only, &r->hits[i]) < 0) {
            snprintf(errbuf, errlen, "cannot read a matching article");
            goto done;
        }
        r->hits[i].rank = req->offset + i + 1;
        r->hits[i].similar = k->similar;
    }
    if (note_unreadable(s, r) < 0 ||
        (req->query && !req->titles_only && suggest_spelling(s, req->query, &r->suggestion) < 0)) {
        snprintf(errbuf, errlen, "out of memory");
        goto done;
    }
    if (req->facets && !counted_first && !(spy = facets_finish(&fr, fq, &e)))
        goto xapian_failed;
    if (req->facets && read_facets(spy, r) < 0) {
        snprintf(errbuf, errlen, "out of memory");
        goto done;
    }
    /* The count (exact when facets made every match count) or estimate,
     * less the copies folded away in the window. */
    uint32_t seen = spy ? xc_facet_docs_seen(spy) : rk.estimated, folded = n - (uint32_t)nk;
    r->total = seen > folded ? seen - folded : (uint32_t)nk;
    r->total_exact = spy ? xc_facet_sample(spy) == 1 : rk.exact;
    rc = 0;
    goto done;
xapian_failed:
    snprintf(errbuf, errlen, "search failed: %s", e.message);
done:
    if (fr.started) {
        xc_error fe;
        xc_facet_free(facets_finish(&fr, NULL, &fe));   /* never left running */
    }
    free(kept);
    xc_facet_free(spy);
    xc_query_free(matching);
    xc_query_free(rerank);
    xc_query_free(relaxed);
    xc_query_free(only);
    ranked_free(&rk);
    xc_enquire_free(enq);
    xc_query_free(q);
    cs_match_set_free(&hl);
    if (rc == 0) {
        r->took_ms = now_ms() - t0;
        r->split_passes = s->split_passes - splits_before;
        *out = r;
    } else {
        cs_results_free(r);
    }
    atomic_fetch_sub(&searches_running, 1);
    return rc;
}

void cs_results_free(cs_results *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nhits; i++) {
        cs_hit *h = &r->hits[i];
        free(h->id);
        free(h->title);
        free(h->url);
        free(h->date);
        free(h->lang);
        cs_strlist_free(h->provinces, h->nprovinces);
        cs_strlist_free(h->resolutions, h->nresolutions);
        cs_snippet_free(&h->snippet);
        cs_snippet_free(&h->title_marks);
    }
    free(r->hits);
    for (int i = 0; i < CS_NFACETS; i++) {
        for (size_t k = 0; k < r->facets[i].n; k++)
            free(r->facets[i].values[k].value);
        free(r->facets[i].values);
    }
    free(r->query);
    free(r->suggestion);
    free(r->note);
    free(r->parsed);
    free(r);
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *str_list(char *const *list, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(list[i]));
    return a;
}

static json_t *facets_json(const cs_results *r)
{
    json_t *o = json_object();
    for (int i = 0; i < CS_NFACETS; i++) {
        json_t *arr = json_array();
        for (size_t k = 0; k < r->facets[i].n; k++)
            json_array_append_new(arr, json_pack("{s:s, s:I}", "value",
                                                 r->facets[i].values[k].value, "count",
                                                 (json_int_t)r->facets[i].values[k].count));
        json_object_set_new(o, cs_facet_names[i], arr);
    }
    return o;
}

json_t *cs_results_json(const cs_results *r)
{
    json_t *hits = json_array();
    for (size_t i = 0; i < r->nhits; i++) {
        const cs_hit *h = &r->hits[i];
        char *snip = cs_snippet_render(&h->snippet, "<mark>", "</mark>", 1);
        char *title = cs_snippet_render(&h->title_marks, "<mark>", "</mark>", 1);
        json_array_append_new(hits, json_pack("{s:i, s:s, s:s, s:o, s:o, s:o, s:f, s:s, s:s, s:o, s:o}",
            "rank", (int)h->rank, "id", h->id, "title", h->title,
            "url", str_or_null(h->url), "date", str_or_null(h->date),
            "lang", str_or_null(h->lang), "score", h->score,
            "snippet", snip ? snip : "", "title_html", title ? title : "",
            "provinces", str_list(h->provinces, h->nprovinces),
            "resolutions", str_list(h->resolutions, h->nresolutions)));
        if (h->similar)
            json_object_set_new(json_array_get(hits, i), "similar", json_integer(h->similar));
        if (h->unreadable)
            json_object_set_new(json_array_get(hits, i), "unreadable", json_true());
        free(snip);
        free(title);
    }
    json_t *o = json_pack("{s:s, s:I, s:i, s:o}", "query", r->query,
                          "total", (json_int_t)r->total, "offset", (int)r->offset,
                          "hits", hits);
    if (o)
        json_object_set_new(o, "total_exact", json_boolean(r->total_exact));
    if (o && r->has_facets) {
        json_object_set_new(o, "facets", facets_json(r));
        json_object_set_new(o, "facets_exact", json_boolean(!r->facets_sampled));
    }
    if (o && r->note)
        json_object_set_new(o, "note", json_string(r->note));
    if (o && r->suggestion)
        json_object_set_new(o, "suggestion", json_string(r->suggestion));
    return o;
}

json_t *cs_article_json(const cs_article *a)
{
    /* "language" as the API documents it; "lang" as in search hits. */
    return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s}", "id", a->id,
                     "title", a->title, "url", str_or_null(a->url),
                     "date", str_or_null(a->date), "language", str_or_null(a->lang),
                     "lang", str_or_null(a->lang),
                     "provinces", str_list(a->provinces, a->nprovinces),
                     "resolutions", str_list(a->resolutions, a->nresolutions),
                     "documents", str_list(a->documents, a->ndocuments),
                     "text", a->body);
}

int cs_searcher_get(cs_searcher *s, const char *id, cs_article **out,
                    char *errbuf, size_t errlen)
{
    char term[CS_MAX_TERM_BYTES + 8];
    xc_error e;
    xc_docid did;
    *out = NULL;
    if (cs_idterm(id, term, sizeof term) < 0)
        return 0;
    int found = xc_database_find_term(s->db, term, strlen(term), &did, &e);
    if (found <= 0) {
        if (found < 0)
            snprintf(errbuf, errlen, "%s", e.message);
        return found;
    }
    xc_document *doc;
    if (xc_database_get_document(s->db, did, &doc, &e) < 0) {
        snprintf(errbuf, errlen, "%s", e.message);
        return -1;
    }
    if (ensure_codec(s, errbuf, errlen) < 0) {
        xc_document_free(doc);
        return -1;
    }
    *out = read_article(s, doc, NULL, &e);
    int oom = !*out && errno == ENOMEM;   /* not damage: read_article */
    xc_document_free(doc);
    if (!*out && e.code != XC_OK) {
        snprintf(errbuf, errlen, "%s", e.message);
        return -1;
    }
    if (!*out) {
        if (oom)
            snprintf(errbuf, errlen, "out of memory");
        else
            snprintf(errbuf, errlen, "article %s has unreadable stored data (its stored text "
                     "is damaged): %s to repair it", id, repair_hint(s));
        return -1;
    }
    return 1;
}

static int count_term(const char *t, size_t l, uint32_t f, void *ud)
{
    (void)t, (void)l, (void)f;
    (*(uint64_t *)ud)++;
    return 0;
}

/* Bytes used by the files under `path` (the index folder). */
static uint64_t disk_usage(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return 0;
    if (!S_ISDIR(st.st_mode))
        return (uint64_t)st.st_size;
    uint64_t total = 0;
    DIR *d = opendir(path);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char *p;
        if (asprintf(&p, "%s/%s", path, de->d_name) < 0)
            break;
        total += disk_usage(p);
        free(p);
    }
    if (d)
        closedir(d);
    return total;
}

long cs_searcher_articles(cs_searcher *s, char *errbuf, size_t errlen)
{
    xc_error e;
    xc_db_stats ds;
    if (xc_database_stats(s->db, &ds, &e) < 0) {
        snprintf(errbuf, errlen, "%s", e.message);
        return -1;
    }
    return (long)ds.doccount;
}

int cs_searcher_stats(cs_searcher *s, cs_index_stats *st, char *errbuf,
                      size_t errlen)
{
    xc_error e;
    xc_db_stats ds;
    memset(st, 0, sizeof *st);
    if (xc_database_stats(s->db, &ds, &e) < 0 ||
        xc_database_allterms(s->db, "", count_term, &st->terms, &e) < 0) {
        snprintf(errbuf, errlen, "%s", e.message);
        return -1;
    }
    st->articles = ds.doccount;
    st->avg_length = ds.avlength;
    st->pair_words = s->pairs ? (unsigned)cs_pairwords_count(s->pairs) : 0;
    st->synonym_terms = all_marked(s, s->syn_marker, ds.doccount);
    st->folder_bytes = disk_usage(s->path);
    st->bytes = st->folder_bytes;
    snprintf(st->version, sizeof st->version, "%s", xc_version());
    char *upd = NULL;
    size_t len = 0;
    if (xc_database_get_metadata(s->db, "cs:updated", &upd, &len, &e) == 0)
        snprintf(st->updated, sizeof st->updated, "%s", upd);
    free(upd);
    cs_layout l;
    char why[256];
    if (cs_layout_read(s->path, &l, why, sizeof why) == 0) {
        memcpy(st->generation, l.generation, sizeof st->generation);
        st->shards = l.nshards;
        cs_layout_free(&l);
        char *gen = NULL;
        if (st->generation[0] && asprintf(&gen, "%s/%s", s->path, st->generation) >= 0)
            st->bytes = disk_usage(gen);
        free(gen);
    }
    return 0;
}

/* ---- suggestions ------------------------------------------------------------ */

typedef struct suggest_ctx {
    char **out;
    size_t n, max;
    int oom;
} suggest_ctx;

/* Adds s unless it is already there (case-sensitive). */
static void suggest_add(suggest_ctx *c, const char *s)
{
    if (c->n >= c->max)
        return;
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->out[i], s) == 0)
            return;
    if (!(c->out[c->n] = strdup(s)))
        c->oom = 1;
    else
        c->n++;
}

/* allterms callback over "XP<slug-prefix>": the slug back to its name. */
static int suggest_province(const char *term, size_t len, uint32_t freq, void *ud)
{
    (void)freq;
    suggest_ctx *c = ud;
    char name[CS_MAX_TERM_BYTES];
    size_t pl = strlen(CS_PREFIX_PROVINCE), n = len - pl;
    if (len <= pl || n >= sizeof name)
        return 0;
    for (size_t i = 0; i < n; i++)
        name[i] = term[pl + i] == '-' ? ' ' : term[pl + i];
    name[n] = '\0';
    const char *canon[4];
    if (cs_gazetteer_resolve(cs_gazetteer_default(), name, canon, 4) > 0)
        suggest_add(c, canon[0]);
    return c->n >= c->max;
}

typedef struct word_list {
    char words[8][CS_MAX_WORD_BYTES + 1];
    size_t n;
} word_list;

static int collect_word(const cs_token *t, void *ud)
{
    word_list *w = ud;
    memcpy(w->words[w->n++], t->folded, t->folded_len + 1);
    return w->n == 8;
}

int cs_suggest(cs_searcher *s, const char *prefix, size_t max, char ***out,
               size_t *n, char *errbuf, size_t errlen)
{
    suggest_ctx c = {.max = max ? max : 8};
    word_list w = {0};
    xc_error e;
    *out = NULL;
    *n = 0;
    size_t plen = strlen(prefix);
    if (!cs_utf8_valid(prefix, plen)) {
        snprintf(errbuf, errlen, "the prefix is not valid UTF-8");
        return -1;
    }
    if (!(c.out = calloc(c.max, sizeof *c.out)) ||
        cs_tokenize(s->tk, prefix, plen, 0, collect_word, &w) < 0) {
        free(c.out);
        snprintf(errbuf, errlen, "out of memory");
        return -1;
    }
    if (w.n == 0) {
        *out = c.out;
        return 0;
    }
    /* Province names first: "bac g" -> Bắc Giang. */
    char term[CS_MAX_TERM_BYTES + 8], joined[CS_MAX_TERM_BYTES];
    size_t at = 0;
    for (size_t i = 0; i < w.n && at + strlen(w.words[i]) + 2 < sizeof joined; i++)
        at += (size_t)snprintf(joined + at, sizeof joined - at, "%s%s", i ? " " : "", w.words[i]);
    int tl = cs_slug_term(CS_PREFIX_PROVINCE, joined, term, sizeof term);
    if (tl > 0 && xc_database_allterms(s->db, term, suggest_province, &c, &e) < 0) {
        snprintf(errbuf, errlen, "%s", e.message);
        cs_strlist_free(c.out, c.n);
        return -1;
    }
    /* Then titles holding all the words, the last one as a prefix unless
     * the user already typed a space after it. */
    int last_done = strchr(" \t", prefix[plen - 1]) != NULL;
    cs_buf q = {0};
    for (size_t i = 0; i < w.n; i++) {
        int is_last = i + 1 == w.n;
        cs_buf_printf(&q, "%stitle:%s%s", i ? " " : "", w.words[i],
                      is_last && !last_done && strlen(w.words[i]) >= 2 ? "*" : "");
    }
    cs_search_req req = {.query = cs_buf_cstr(&q), .limit = (unsigned)c.max * 2,
                         .titles_only = 1};
    cs_results *r = NULL;
    int rc = req.query ? cs_search(s, &req, &r, errbuf, errlen) : -1;
    for (size_t i = 0; rc == 0 && r && i < r->nhits; i++)
        if (*r->hits[i].title)
            suggest_add(&c, r->hits[i].title);
    cs_results_free(r);
    cs_buf_free(&q);
    if (rc < 0 || c.oom) {
        if (c.oom)
            snprintf(errbuf, errlen, "out of memory");
        cs_strlist_free(c.out, c.n);
        return -1;
    }
    *out = c.out;
    *n = c.n;
    return 0;
}
