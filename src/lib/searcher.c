/* searcher.c -- running a query against the index and collecting results. */
#include "searcher.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "docformat.h"
#include "query_builder.h"
#include "query_parser.h"
#include "tokenizer.h"
#include "xapian_c.h"

#define MAX_LIMIT 1000

struct cs_searcher {
    char *path;
    xc_database *db;
    cs_tokenizer *tk;
    xc_stemmer *stem;
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
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
    } else if (!(s->db = xc_database_open(path, &e))) {
        snprintf(errbuf, errlen, "cannot open the index at %s: %s", path, e.message);
    } else if (!(s->tk = cs_tokenizer_new(&why))) {
        snprintf(errbuf, errlen, "%s", why ? why : "tokenizer failed");
    } else if (!(s->stem = xc_stemmer_new("english", &e))) {
        snprintf(errbuf, errlen, "%s", e.message);
    } else {
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
    cs_tokenizer_free(s->tk);
    xc_stemmer_free(s->stem);
    free(s->path);
    free(s);
}

int cs_searcher_reopen(cs_searcher *s, char *errbuf, size_t errlen)
{
    xc_error e;
    int rc = xc_database_reopen(s->db, &e);
    if (rc < 0)
        snprintf(errbuf, errlen, "%s", e.message);
    return rc < 0 ? -1 : rc;
}

/* Filters (language, date range) restrict without adding weight. */
static xc_query *apply_filters(const cs_search_req *req, xc_query *q, xc_error *e)
{
    xc_query *f[3];
    size_t n = 0;
    if (req->lang && *req->lang) {
        char term[16];
        int len = snprintf(term, sizeof term, CS_PREFIX_LANG "%.8s", req->lang);
        f[n++] = xc_query_term(term, (size_t)len, 1, 0, e);
    }
    if ((req->from && *req->from) || (req->to && *req->to)) {
        char lo[9] = "", hi[9] = "";
        /* "YYYY-MM-DD" -> "YYYYMMDD"; a bare year or month works too. */
        for (const char *p = req->from; p && *p && strlen(lo) < 8; p++)
            if (*p >= '0' && *p <= '9')
                lo[strlen(lo)] = *p;
        for (const char *p = req->to; p && *p && strlen(hi) < 8; p++)
            if (*p >= '0' && *p <= '9')
                hi[strlen(hi)] = *p;
        /* An upper bound "2023" or "2023-02" includes the whole period. */
        while (*hi && strlen(hi) < 8)
            hi[strlen(hi)] = '9';
        f[n++] = xc_query_value_range(CS_SLOT_DATE, *lo ? lo : NULL, *hi ? hi : NULL, e);
    }
    if (n == 0)
        return q;
    xc_query *parts[4] = {q};
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
    return out;
}

/* Parse and build the query. *q NULL with no error means "no results". */
static int make_query(cs_searcher *s, const cs_search_req *req, cs_results *r,
                      cs_match_set *hl, xc_query **q, char *errbuf, size_t errlen)
{
    xc_error e;
    xc_error_clear(&e);
    char *note = NULL;
    cs_qnode *tree = req->query ? cs_query_parse(req->query, cs_query_fields, &note) : NULL;
    *q = NULL;
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
        *q = cs_build_query(tree, s->tk, s->stem, hl, &e);
        cs_qnode_free(tree);
    }
    if (!*q && e.code == XC_OK && !r->note)
        r->note = strdup("the query has no words to search for");
    if (*q)
        *q = apply_filters(req, *q, &e);
    if (e.code != XC_OK) {
        snprintf(errbuf, errlen, "%s", e.message);
        xc_query_free(*q);
        *q = NULL;
        return -1;
    }
    return 0;
}

/* Fill one hit from a matched document. */
static int fill_hit(cs_searcher *s, const xc_mset *m, uint32_t i,
                    const cs_match_set *hl, size_t snip, cs_hit *h)
{
    xc_error e;
    xc_hit xh;
    xc_document *doc = NULL;
    char *data = NULL;
    size_t len = 0;
    if (xc_mset_hit(m, i, &xh, &e) < 0 || xc_mset_document(m, i, &doc, &e) < 0 ||
        xc_document_get_data(doc, &data, &len, &e) < 0) {
        xc_document_free(doc);
        return -1;
    }
    xc_document_free(doc);
    cs_article *a = cs_doc_data_decode(data, len);
    free(data);
    if (!a)
        return -1;
    h->rank = xh.rank + 1;
    h->score = xh.weight;
    h->id = a->id, a->id = NULL;
    h->title = a->title, a->title = NULL;
    h->url = a->url, a->url = NULL;
    h->date = a->date, a->date = NULL;
    h->lang = a->lang, a->lang = NULL;
    int rc = cs_make_snippet(s->tk, s->stem, hl, a->body, a->body_len, snip, &h->snippet);
    if (rc == 0)
        rc = cs_mark_all(s->tk, s->stem, hl, h->title, strlen(h->title), &h->title_marks);
    cs_article_free(a);
    return rc;
}

int cs_search(cs_searcher *s, const cs_search_req *req, cs_results **out,
              char *errbuf, size_t errlen)
{
    double t0 = now_ms();
    cs_results *r = calloc(1, sizeof *r);
    cs_match_set hl = {0};
    xc_query *q = NULL;
    xc_enquire *enq = NULL;
    xc_mset *m = NULL;
    xc_error e;
    int rc = -1;
    *out = NULL;
    if (!r || !(r->query = strdup(req->query ? req->query : ""))) {
        snprintf(errbuf, errlen, "out of memory");
        goto done;
    }
    r->offset = req->offset;
    if (make_query(s, req, r, &hl, &q, errbuf, errlen) < 0)
        goto done;
    if (!q) {
        rc = 0;   /* nothing to search for: no results, with a note */
        goto done;
    }
    r->parsed = xc_query_describe(q);
    unsigned limit = req->limit ? req->limit : 10;
    if (limit > MAX_LIMIT)
        limit = MAX_LIMIT;
    int browse = !req->query || !*req->query || hl.nwords + hl.nprefixes == 0;
    if (!(enq = xc_enquire_new(s->db, &e)) || xc_enquire_set_query(enq, q, &e) < 0 ||
        ((req->sort_by_date || browse) &&
         xc_enquire_set_sort_by_value(enq, CS_SLOT_DATE, 1, &e) < 0) ||
        !(m = xc_enquire_get_mset(enq, req->offset, limit, req->offset + limit, &e))) {
        snprintf(errbuf, errlen, "search failed: %s", e.message);
        goto done;
    }
    r->total = xc_mset_estimated(m);
    uint32_t n = xc_mset_size(m);
    r->hits = calloc(n ? n : 1, sizeof *r->hits);
    if (!r->hits) {
        snprintf(errbuf, errlen, "out of memory");
        goto done;
    }
    for (uint32_t i = 0; i < n; i++, r->nhits++) {
        if (fill_hit(s, m, i, &hl, req->snippet_bytes, &r->hits[i]) < 0) {
            snprintf(errbuf, errlen, "cannot read a matching article");
            goto done;
        }
    }
    rc = 0;
done:
    xc_mset_free(m);
    xc_enquire_free(enq);
    xc_query_free(q);
    cs_match_set_free(&hl);
    if (rc == 0) {
        r->took_ms = now_ms() - t0;
        *out = r;
    } else {
        cs_results_free(r);
    }
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
        cs_snippet_free(&h->snippet);
        cs_snippet_free(&h->title_marks);
    }
    free(r->hits);
    free(r->query);
    free(r->note);
    free(r->parsed);
    free(r);
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *cs_results_json(const cs_results *r)
{
    json_t *hits = json_array();
    for (size_t i = 0; i < r->nhits; i++) {
        const cs_hit *h = &r->hits[i];
        char *snip = cs_snippet_render(&h->snippet, "<mark>", "</mark>", 1);
        char *title = cs_snippet_render(&h->title_marks, "<mark>", "</mark>", 1);
        json_array_append_new(hits, json_pack("{s:i, s:s, s:s, s:o, s:o, s:o, s:f, s:s, s:s}",
            "rank", (int)h->rank, "id", h->id, "title", h->title,
            "url", str_or_null(h->url), "date", str_or_null(h->date),
            "lang", str_or_null(h->lang), "score", h->score,
            "snippet", snip ? snip : "", "title_html", title ? title : ""));
        free(snip);
        free(title);
    }
    json_t *o = json_pack("{s:s, s:i, s:i, s:o}", "query", r->query,
                          "total", (json_int_t)r->total, "offset", (int)r->offset,
                          "hits", hits);
    if (o && r->note)
        json_object_set_new(o, "note", json_string(r->note));
    return o;
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
    char *data = NULL;
    size_t len = 0;
    if (xc_database_get_document(s->db, did, &doc, &e) < 0) {
        snprintf(errbuf, errlen, "%s", e.message);
        return -1;
    }
    int rc = xc_document_get_data(doc, &data, &len, &e);
    xc_document_free(doc);
    if (rc < 0) {
        snprintf(errbuf, errlen, "%s", e.message);
        return -1;
    }
    *out = cs_doc_data_decode(data, len);
    free(data);
    if (!*out) {
        snprintf(errbuf, errlen, "article %s has unreadable stored data", id);
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
    st->bytes = disk_usage(s->path);
    snprintf(st->version, sizeof st->version, "%s", xc_version());
    char *upd = NULL;
    size_t len = 0;
    if (xc_database_get_metadata(s->db, "cs:updated", &upd, &len, &e) == 0)
        snprintf(st->updated, sizeof st->updated, "%s", upd);
    free(upd);
    return 0;
}
