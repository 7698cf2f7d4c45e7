/* test_xapian_c.c -- cmocka tests of the xapian-c wrapper through its C API.
 *
 * Everything happens in a fresh mkdtemp() directory under /tmp, removed at
 * the end. A small five-document "search" database is built once in the
 * group setup; tests that write build their own databases beside it.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xapian_c.h"

static char g_root[64];            /* the mkdtemp directory */
static xc_database *g_db;          /* reader over g_root/search */

/* ---- helpers ---------------------------------------------------------- */

/* Writes g_root/name into buf (PATH_MAX bytes). */
static const char *path_in(char *buf, const char *name)
{
    snprintf(buf, PATH_MAX, "%s/%s", g_root, name);
    return buf;
}

/* One test document: words (space separated, positions 1..n), its unique
 * id term, a date in slot 0, provinces '|'-separated in slot 1, a group
 * key in slot 2 and a boolean tag term. */
typedef struct doc_spec {
    const char *id;
    const char *text;
    const char *date;
    const char *provinces;
    const char *group;
    const char *tag;
} doc_spec;

static xc_document *make_doc(const doc_spec *s)
{
    xc_error err;
    xc_document *doc = xc_document_new(&err);
    assert_non_null(doc);
    char words[256];
    snprintf(words, sizeof words, "%s", s->text);
    uint32_t pos = 0;
    for (char *save, *w = strtok_r(words, " ", &save); w; w = strtok_r(NULL, " ", &save))
        assert_int_equal(xc_document_add_posting(doc, w, strlen(w), ++pos, 1, &err), XC_OK);
    assert_int_equal(xc_document_add_boolean_term(doc, s->tag, strlen(s->tag), &err), XC_OK);
    assert_int_equal(xc_document_add_value(doc, 0, s->date, strlen(s->date), &err), XC_OK);
    assert_int_equal(xc_document_add_value(doc, 1, s->provinces, strlen(s->provinces), &err), XC_OK);
    assert_int_equal(xc_document_add_value(doc, 2, s->group, strlen(s->group), &err), XC_OK);
    assert_int_equal(xc_document_set_data(doc, s->text, strlen(s->text), &err), XC_OK);
    return doc;
}

static void put_doc(xc_wdb *w, const doc_spec *s, xc_docid *did)
{
    xc_error err;
    xc_document *doc = make_doc(s);
    int rc = xc_wdb_replace_by_term(w, s->id, strlen(s->id), doc, did, &err);
    xc_document_free(doc);
    assert_int_equal(rc, XC_OK);
}

static const doc_spec corpus[] = {
    {"Qd1", "hanoi flood warning issued today", "20240103", "Hanoi|Hue", "g1", "Tnews"},
    {"Qd2", "flood in hue city", "20240101", "Hue", "g1", "Tnews"},
    {"Qd3", "warning flood hanoi typhoon", "20240105", "Hanoi|Hanoi", "g2", "Tblog"},
    {"Qd4", "typhoon warning for danang", "20240102", "Danang|Hue", "g1", "Tblog"},
    {"Qd5", "typhoons and flood damage", "20240104", "", "g3", "Tnews"},
};
enum { NCORPUS = sizeof corpus / sizeof corpus[0] };

/* Builds a committed database at g_root/name from docs[0..n). */
static void build_db(const char *name, const doc_spec *docs, size_t n)
{
    char path[PATH_MAX];
    xc_error err;
    xc_wdb *w = xc_wdb_open(path_in(path, name), XC_DB_CREATE_OR_OVERWRITE, &err);
    assert_non_null(w);
    for (size_t i = 0; i < n; i++) put_doc(w, &docs[i], NULL);
    assert_int_equal(xc_wdb_commit(w, &err), XC_OK);
    xc_wdb_close(w);
}

/* Runs q on db (all matches, exact) and writes the docids in rank order as
 * "1,3,..." into out. Returns the number of hits. Frees q. */
static uint32_t run_ranked(xc_database *db, xc_query *q, char *out, size_t outsz)
{
    xc_error err;
    assert_non_null(q);
    xc_enquire *enq = xc_enquire_new(db, &err);
    assert_non_null(enq);
    assert_int_equal(xc_enquire_set_query(enq, q, &err), XC_OK);
    xc_mset *m = xc_enquire_get_mset(enq, 0, 100, 100, &err);
    assert_non_null(m);
    out[0] = '\0';
    uint32_t n = xc_mset_size(m);
    for (uint32_t i = 0; i < n; i++) {
        xc_hit h;
        assert_int_equal(xc_mset_hit(m, i, &h, &err), XC_OK);
        size_t used = strlen(out);
        snprintf(out + used, outsz - used, "%s%u", i ? "," : "", (unsigned)h.docid);
    }
    xc_mset_free(m);
    xc_enquire_free(enq);
    xc_query_free(q);
    return n;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Like run_ranked but with the docids sorted ascending (set semantics). */
static const char *run_set(xc_database *db, xc_query *q)
{
    static char out[256];
    char ranked[256];
    uint32_t ids[64], n = 0;
    run_ranked(db, q, ranked, sizeof ranked);
    for (char *save, *t = strtok_r(ranked, ",", &save); t; t = strtok_r(NULL, ",", &save))
        ids[n++] = (uint32_t)strtoul(t, NULL, 10);
    qsort(ids, n, sizeof ids[0], cmp_u32);
    out[0] = '\0';
    for (uint32_t i = 0; i < n; i++) {
        size_t used = strlen(out);
        snprintf(out + used, sizeof out - used, "%s%u", i ? "," : "", (unsigned)ids[i]);
    }
    return out;
}

static xc_query *term(const char *t)
{
    xc_error err;
    xc_query *q = xc_query_term(t, strlen(t), 1, 0, &err);
    assert_non_null(q);
    return q;
}

/* Combines the given term queries with op (window for PHRASE/NEAR). */
static xc_query *combine_terms(xc_op op, uint32_t window, size_t n, const char **terms)
{
    xc_error err;
    xc_query *subs[8];
    for (size_t i = 0; i < n; i++) subs[i] = term(terms[i]);
    xc_query *q = xc_query_combine(op, subs, n, window, &err);
    for (size_t i = 0; i < n; i++) xc_query_free(subs[i]);
    assert_non_null(q);
    return q;
}

#define COMBINE(op, window, ...) \
    combine_terms((op), (window), \
                  sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *), \
                  (const char *[]){__VA_ARGS__})

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    return remove(p);
}

static int group_setup(void **state)
{
    (void)state;
    snprintf(g_root, sizeof g_root, "/tmp/xapian-c-test-XXXXXX");
    if (!mkdtemp(g_root)) return -1;
    build_db("search", corpus, NCORPUS);
    char path[PATH_MAX];
    xc_error err;
    g_db = xc_database_open(path_in(path, "search"), &err);
    return g_db ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    xc_database_close(g_db);
    return nftw(g_root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- tests ------------------------------------------------------------- */

static void test_version_and_error_clear(void **state)
{
    (void)state;
    const char *v = xc_version();
    assert_non_null(v);
    assert_true(strncmp(v, "1.", 2) == 0);
    xc_error err = {XC_ERR_OTHER, "stale"};
    xc_error_clear(&err);
    assert_int_equal(err.code, XC_OK);
    assert_string_equal(err.message, "");
    xc_error_clear(NULL); /* must not crash */
}

static void test_document_roundtrip(void **state)
{
    (void)state;
    xc_error err;
    xc_document *doc = xc_document_new(&err);
    assert_non_null(doc);
    assert_int_equal(xc_document_docid(doc), 0);

    const char data[] = {'a', '\0', 'b'};
    assert_int_equal(xc_document_set_data(doc, data, sizeof data, &err), XC_OK);
    char *out;
    size_t len;
    assert_int_equal(xc_document_get_data(doc, &out, &len, &err), XC_OK);
    assert_int_equal(len, 3);
    assert_memory_equal(out, data, 3);
    assert_int_equal(out[3], '\0');
    free(out);

    assert_int_equal(xc_document_add_value(doc, 7, "v7", 2, &err), XC_OK);
    assert_int_equal(xc_document_get_value(doc, 7, &out, &len, &err), XC_OK);
    assert_string_equal(out, "v7");
    assert_int_equal(len, 2);
    free(out);
    assert_int_equal(xc_document_get_value(doc, 8, &out, &len, &err), XC_OK);
    assert_string_equal(out, "");
    assert_int_equal(len, 0);
    free(out);
    /* The bad slot is refused up front. */
    assert_int_equal(xc_document_add_value(doc, 0xffffffffu, "x", 1, &err),
                     XC_ERR_INVALID_ARGUMENT);

    assert_int_equal(xc_document_add_posting(doc, "Sfoo", 4, 1, 1, &err), XC_OK);
    assert_int_equal(xc_document_add_posting(doc, "Sfoo", 4, 2, 2, &err), XC_OK);
    assert_int_equal(xc_document_add_term(doc, "Sbar", 4, 5, &err), XC_OK);
    assert_int_equal(xc_document_add_term(doc, "baz", 3, 1, &err), XC_OK);
    assert_int_equal(xc_document_add_boolean_term(doc, "Kx", 2, &err), XC_OK);
    /* Empty terms are refused. */
    assert_int_equal(xc_document_add_term(doc, "", 0, 1, &err), XC_ERR_INVALID_ARGUMENT);
    xc_document_free(doc);
}

struct term_list {
    char terms[16][64];
    uint32_t counts[16];
    int n;
    int stop_after; /* 0: never stop */
};

static int collect_term(const char *t, size_t len, uint32_t count, void *ud)
{
    struct term_list *l = ud;
    if (l->n < 16) {
        snprintf(l->terms[l->n], 64, "%.*s", (int)len, t);
        l->counts[l->n] = count;
    }
    l->n++;
    return l->stop_after && l->n >= l->stop_after;
}

static void test_document_terms(void **state)
{
    (void)state;
    xc_error err;
    xc_document *doc = xc_document_new(&err);
    assert_int_equal(xc_document_add_posting(doc, "Sfoo", 4, 1, 1, &err), XC_OK);
    assert_int_equal(xc_document_add_posting(doc, "Sfoo", 4, 2, 2, &err), XC_OK);
    assert_int_equal(xc_document_add_term(doc, "Sbar", 4, 5, &err), XC_OK);
    assert_int_equal(xc_document_add_term(doc, "baz", 3, 1, &err), XC_OK);
    assert_int_equal(xc_document_add_term(doc, "T", 1, 1, &err), XC_OK);

    struct term_list l = {0};
    assert_int_equal(xc_document_terms(doc, "S", collect_term, &l, &err), 2);
    assert_string_equal(l.terms[0], "Sbar");
    assert_int_equal(l.counts[0], 5);      /* wdf */
    assert_string_equal(l.terms[1], "Sfoo");
    assert_int_equal(l.counts[1], 3);

    memset(&l, 0, sizeof l);
    assert_int_equal(xc_document_terms(doc, NULL, collect_term, &l, &err), 4);
    memset(&l, 0, sizeof l);
    assert_int_equal(xc_document_terms(doc, "Z", collect_term, &l, &err), 0);
    xc_document_free(doc);
}

static void test_null_arguments(void **state)
{
    (void)state;
    xc_error err;
    xc_docid did;
    uint32_t u;
    char *s;
    size_t len;
    char buf[16];
    xc_document *doc;

    assert_null(xc_database_open(NULL, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    assert_true(strlen(err.message) > 0);
    assert_int_equal(xc_database_reopen(NULL, &err), XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_database_stats(NULL, NULL, &err), XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_database_termfreq(NULL, "a", 1, &u, &err), XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_database_find_term(NULL, "a", 1, &did, &err), XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_database_find_term(g_db, NULL, 1, &did, &err), XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_database_find_term(g_db, "", 0, &did, &err), XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_database_get_document(NULL, 1, &doc, &err), XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_database_get_document(g_db, 1, NULL, &err), XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_database_get_metadata(g_db, NULL, &s, &len, &err), XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_database_allterms(g_db, "", NULL, NULL, &err), XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_database_spelling(NULL, "x", 2, &s, &err), XC_ERR_INVALID_ARGUMENT);

    assert_null(xc_wdb_open(NULL, XC_DB_CREATE_OR_OPEN, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    char path[PATH_MAX];
    assert_null(xc_wdb_open(path_in(path, "badmode"), 42, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(access(path, F_OK), -1); /* nothing was created */
    xc_wdb_close(NULL);
    assert_int_equal(xc_wdb_replace_by_term(NULL, "Q", 1, NULL, &did, &err), XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_wdb_delete_by_term(NULL, "Q", 1, &err), XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_wdb_commit(NULL, &err), XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_wdb_set_metadata(NULL, "k", "v", 1, &err), XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_wdb_add_spelling(NULL, "w", 1, 1, &err), XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_wdb_find_term(NULL, "Q", 1, &did, &err), XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_wdb_get_document(NULL, 1, &doc, &err), XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_wdb_doccount(NULL, &u, &err), XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_compact(NULL, 0, "x", &err), XC_ERR_INVALID_ARGUMENT);
    const char *srcs[] = {NULL};
    assert_int_equal(xc_compact(srcs, 1, "x", &err), XC_ERR_INVALID_ARGUMENT);

    xc_document_free(NULL);
    assert_int_equal(xc_document_set_data(NULL, "x", 1, &err), XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_document_get_data(NULL, &s, &len, &err), XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_document_add_posting(NULL, "x", 1, 1, 1, &err), XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_document_add_term(NULL, "x", 1, 1, &err), XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_document_add_boolean_term(NULL, "x", 1, &err), XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_document_add_value(NULL, 0, "x", 1, &err), XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_document_get_value(NULL, 0, &s, &len, &err), XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_document_docid(NULL), 0);
    assert_int_equal(xc_document_terms(NULL, "", collect_term, NULL, &err), XC_ERR_INVALID_ARGUMENT);

    assert_null(xc_query_term(NULL, 1, 1, 0, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    assert_null(xc_query_term("", 0, 1, 0, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    assert_null(xc_query_combine(XC_OP_AND, NULL, 2, 0, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    xc_query *subs[] = {NULL};
    assert_null(xc_query_combine(XC_OP_OR, subs, 1, 0, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    assert_null(xc_query_combine((xc_op)99, subs, 0, 0, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    assert_null(xc_query_wildcard(NULL, 0, 0, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    assert_null(xc_query_scale(NULL, 1.0, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    assert_null(xc_query_describe(NULL));
    xc_query_free(NULL);

    assert_null(xc_enquire_new(NULL, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    xc_enquire_free(NULL);
    assert_int_equal(xc_enquire_set_query(NULL, NULL, &err), XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_enquire_set_bm25(NULL, 1, 0, 1, 0.5, 0.5, &err), XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_enquire_set_sort_by_value(NULL, 0, 0, &err), XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_enquire_set_sort_by_relevance(NULL, &err), XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_enquire_set_collapse_key(NULL, 0, 1, &err), XC_ERR_INVALID_ARGUMENT);
    assert_null(xc_enquire_add_facet(NULL, 0, '|', &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    assert_true(xc_facet_top(NULL, 0, NULL, NULL) < 0);
    assert_int_equal(xc_facet_docs_seen(NULL), 0);
    assert_null(xc_enquire_get_mset(NULL, 0, 10, 0, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    xc_mset_free(NULL);
    assert_int_equal(xc_mset_size(NULL), 0);
    xc_hit h;
    assert_int_equal(xc_mset_hit(NULL, 0, &h, &err), XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_mset_document(NULL, 0, &doc, &err), XC_ERR_INVALID_ARGUMENT);

    assert_null(xc_stemmer_new(NULL, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    xc_stemmer_free(NULL);
    assert_int_equal(xc_stem(NULL, "a", 1, buf, sizeof buf, &err), XC_ERR_INVALID_ARGUMENT);

    /* A NULL err is allowed everywhere. */
    assert_null(xc_database_open(NULL, NULL));
    assert_int_equal(xc_wdb_commit(NULL, NULL), XC_ERR_INVALID_ARGUMENT);
}

static void test_open_missing_db(void **state)
{
    (void)state;
    char path[PATH_MAX];
    xc_error err;
    assert_null(xc_database_open(path_in(path, "no-such-db"), &err));
    assert_int_equal(err.code, XC_ERR_DATABASE_OPENING);
    assert_non_null(strstr(err.message, "Error: "));
    /* XC_DB_OPEN does not create one either. */
    assert_null(xc_wdb_open(path, XC_DB_OPEN, &err));
    assert_int_equal(err.code, XC_ERR_DATABASE_OPENING);
    assert_int_equal(access(path, F_OK), -1);
}

static void test_second_writer_locked(void **state)
{
    (void)state;
    char path[PATH_MAX];
    xc_error err;
    xc_wdb *w1 = xc_wdb_open(path_in(path, "locked"), XC_DB_CREATE_OR_OPEN, &err);
    assert_non_null(w1);
    xc_wdb *w2 = xc_wdb_open(path, XC_DB_CREATE_OR_OPEN, &err);
    assert_null(w2);
    assert_int_equal(err.code, XC_ERR_DATABASE_LOCK);
    assert_non_null(strstr(err.message, "DatabaseLockError"));
    xc_wdb_close(w1);
    /* Once the first writer is gone the lock is free. */
    w2 = xc_wdb_open(path, XC_DB_OPEN, &err);
    assert_non_null(w2);
    assert_int_equal(err.code, XC_OK);
    xc_wdb_close(w2);
}

/* XC_DB_NO_SYNC only changes when commits reach the disk: what is
 * committed reads back; a bad mode is still refused with the flag. */
static void test_no_sync_mode(void **state)
{
    (void)state;
    char path[PATH_MAX];
    xc_error err;
    xc_wdb *w = xc_wdb_open(path_in(path, "nosync"), XC_DB_CREATE_OR_OPEN | XC_DB_NO_SYNC, &err);
    assert_non_null(w);
    xc_document *doc = xc_document_new(&err);
    assert_int_equal(xc_document_add_term(doc, "hello", 5, 1, &err), 0);
    xc_docid did = 0;
    assert_int_equal(xc_wdb_replace_by_term(w, "Qone", 4, doc, &did, &err), 0);
    assert_int_equal(xc_wdb_commit(w, &err), 0);
    xc_document_free(doc);
    xc_wdb_close(w);
    xc_database *db = xc_database_open(path, &err);
    assert_non_null(db);
    uint32_t freq = 0;
    assert_int_equal(xc_database_termfreq(db, "hello", 5, &freq, &err), 0);
    assert_int_equal(freq, 1);
    xc_database_close(db);
    assert_null(xc_wdb_open(path, 7 | XC_DB_NO_SYNC, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
}

static void test_replace_delete_reopen(void **state)
{
    (void)state;
    char path[PATH_MAX];
    xc_error err;
    xc_wdb *w = xc_wdb_open(path_in(path, "rw"), XC_DB_CREATE_OR_OVERWRITE, &err);
    assert_non_null(w);
    xc_docid d1, d2, d3;
    put_doc(w, &corpus[0], &d1);
    put_doc(w, &corpus[1], &d2);
    assert_int_equal(xc_wdb_commit(w, &err), XC_OK);

    xc_database *r = xc_database_open(path, &err);
    assert_non_null(r);
    xc_db_stats st;
    assert_int_equal(xc_database_stats(r, &st, &err), XC_OK);
    assert_int_equal(st.doccount, 2);

    /* Replace Qd1 with new content: same docid, no duplicate. */
    doc_spec changed = corpus[0];
    changed.text = "replaced text here";
    put_doc(w, &changed, &d3);
    assert_int_equal(d3, d1);
    uint32_t n;
    assert_int_equal(xc_wdb_doccount(w, &n, &err), XC_OK);
    assert_int_equal(n, 2);
    /* The writer sees its own uncommitted change. */
    xc_docid found;
    assert_int_equal(xc_wdb_find_term(w, "replaced", 8, &found, &err), 1);
    assert_int_equal(found, d1);
    xc_document *doc;
    assert_int_equal(xc_wdb_get_document(w, d1, &doc, &err), XC_OK);
    char *data;
    size_t len;
    assert_int_equal(xc_document_get_data(doc, &data, &len, &err), XC_OK);
    assert_string_equal(data, "replaced text here");
    free(data);
    xc_document_free(doc);

    /* Delete Qd2, and a missing id is fine. */
    assert_int_equal(xc_wdb_delete_by_term(w, "Qd2", 3, &err), XC_OK);
    assert_int_equal(xc_wdb_delete_by_term(w, "Qnope", 5, &err), XC_OK);
    assert_int_equal(xc_wdb_find_term(w, "Qd2", 3, &found, &err), 0);

    /* Nothing committed yet: the reader has nothing new. */
    assert_int_equal(xc_database_reopen(r, &err), 0);
    assert_int_equal(xc_wdb_commit(w, &err), XC_OK);
    assert_int_equal(xc_database_reopen(r, &err), 1);
    assert_int_equal(err.code, XC_OK);
    assert_int_equal(xc_database_reopen(r, &err), 0);

    assert_int_equal(xc_database_stats(r, &st, &err), XC_OK);
    assert_int_equal(st.doccount, 1);
    assert_int_equal(xc_database_find_term(r, "Qd1", 3, &found, &err), 1);
    assert_int_equal(found, d1);
    assert_int_equal(xc_database_find_term(r, "Qd2", 3, &found, &err), 0);
    assert_int_equal(xc_database_find_term(r, "hanoi", 5, &found, &err), 0);
    uint32_t tf;
    assert_int_equal(xc_database_termfreq(r, "replaced", 8, &tf, &err), XC_OK);
    assert_int_equal(tf, 1);
    assert_int_equal(xc_database_termfreq(r, "Qd1", 3, &tf, &err), XC_OK);
    assert_int_equal(tf, 1);

    xc_database_close(r);
    xc_wdb_close(w);
}

/* replace_by_term adds the id term itself, so a document built without it
 * is still replaced, not duplicated, next time. */
static void test_replace_adds_idterm(void **state)
{
    (void)state;
    char path[PATH_MAX];
    xc_error err;
    xc_wdb *w = xc_wdb_open(path_in(path, "idterm"), XC_DB_CREATE_OR_OVERWRITE, &err);
    assert_non_null(w);
    for (int i = 0; i < 3; i++) {
        xc_document *doc = xc_document_new(&err);
        assert_int_equal(xc_document_add_term(doc, "word", 4, 1, &err), XC_OK);
        assert_int_equal(xc_wdb_replace_by_term(w, "Qsame", 5, doc, NULL, &err), XC_OK);
        xc_document_free(doc);
    }
    uint32_t n;
    assert_int_equal(xc_wdb_doccount(w, &n, &err), XC_OK);
    assert_int_equal(n, 1);
    xc_wdb_close(w);
}

static void test_get_missing_document(void **state)
{
    (void)state;
    xc_error err;
    xc_document *doc = (xc_document *)&err; /* must be reset to NULL */
    assert_int_equal(xc_database_get_document(g_db, 999, &doc, &err), XC_ERR_DOC_NOT_FOUND);
    assert_null(doc);
    assert_non_null(strstr(err.message, "DocNotFoundError"));
    assert_int_equal(xc_database_get_document(g_db, 0, &doc, &err), XC_ERR_DOC_NOT_FOUND);

    assert_int_equal(xc_database_get_document(g_db, 2, &doc, &err), XC_OK);
    assert_int_equal(xc_document_docid(doc), 2);
    char *v;
    size_t len;
    assert_int_equal(xc_document_get_value(doc, 0, &v, &len, &err), XC_OK);
    assert_string_equal(v, "20240101");
    free(v);
    struct term_list l = {0};
    assert_int_equal(xc_document_terms(doc, "Q", collect_term, &l, &err), 1);
    assert_string_equal(l.terms[0], "Qd2");
    xc_document_free(doc);
}

static void test_long_term_is_an_error(void **state)
{
    (void)state;
    char path[PATH_MAX];
    xc_error err;
    xc_wdb *w = xc_wdb_open(path_in(path, "longterm"), XC_DB_CREATE_OR_OVERWRITE, &err);
    assert_non_null(w);
    char big[300];
    memset(big, 'x', sizeof big);

    xc_document *doc = xc_document_new(&err);
    assert_int_equal(xc_document_add_posting(doc, "ok", 2, 1, 1, &err), XC_OK);
    /* Documents accept it; the database refuses it. */
    assert_int_equal(xc_document_add_posting(doc, big, sizeof big, 2, 1, &err), XC_OK);
    /* Glass checks term length when the document is added. */
    assert_int_equal(xc_wdb_replace_by_term(w, "Qlong", 5, doc, NULL, &err),
                     XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    assert_non_null(strstr(err.message, "InvalidArgumentError: Term too long"));
    xc_document_free(doc);

    /* A too-long id term is refused too. */
    doc = xc_document_new(&err);
    assert_int_equal(xc_document_add_term(doc, "ok", 2, 1, &err), XC_OK);
    assert_int_equal(xc_wdb_replace_by_term(w, big, sizeof big, doc, NULL, &err),
                     XC_ERR_INVALID_ARGUMENT);
    xc_document_free(doc);

    /* The writer is still usable afterwards. */
    doc = xc_document_new(&err);
    assert_int_equal(xc_document_add_term(doc, "fine", 4, 1, &err), XC_OK);
    assert_int_equal(xc_wdb_replace_by_term(w, "Qfine", 5, doc, NULL, &err), XC_OK);
    xc_document_free(doc);
    assert_int_equal(xc_wdb_commit(w, &err), XC_OK);
    xc_docid did;
    assert_int_equal(xc_wdb_find_term(w, "Qfine", 5, &did, &err), 1);
    assert_int_equal(xc_wdb_find_term(w, "Qlong", 5, &did, &err), 0);
    uint32_t n;
    assert_int_equal(xc_wdb_doccount(w, &n, &err), XC_OK);
    assert_int_equal(n, 1);
    xc_wdb_close(w);
}

static void test_search_boolean_ops(void **state)
{
    (void)state;
    assert_string_equal(run_set(g_db, COMBINE(XC_OP_AND, 0, "flood", "warning")), "1,3");
    assert_string_equal(run_set(g_db, COMBINE(XC_OP_OR, 0, "typhoon", "hue")), "2,3,4");
    /* AND_NOT removes documents matching any of the others. */
    assert_string_equal(run_set(g_db, COMBINE(XC_OP_AND_NOT, 0, "flood", "hanoi")), "2,5");
    assert_string_equal(run_set(g_db, COMBINE(XC_OP_AND_NOT, 0, "flood", "hanoi", "hue")), "5");
    /* FILTER: all must match, tags included. */
    assert_string_equal(run_set(g_db, COMBINE(XC_OP_FILTER, 0, "flood", "Tnews")), "1,2,5");
    assert_string_equal(run_set(g_db, COMBINE(XC_OP_FILTER, 0, "flood", "Tnews", "hanoi")), "1");
    assert_string_equal(run_set(g_db, COMBINE(XC_OP_SYNONYM, 0, "typhoon", "typhoons")), "3,4,5");
    /* Empty combination matches nothing. */
    xc_error err;
    xc_query *empty = xc_query_combine(XC_OP_OR, NULL, 0, 0, &err);
    assert_non_null(empty);
    assert_true(xc_query_is_empty(empty));
    assert_string_equal(run_set(g_db, empty), "");
}

static void test_search_and_maybe_ranks(void **state)
{
    (void)state;
    char ranked[64];
    /* Matches every flood document; those with hanoi come first. */
    assert_int_equal(run_ranked(g_db, COMBINE(XC_OP_AND_MAYBE, 0, "flood", "hanoi"),
                                ranked, sizeof ranked), 4);
    assert_true(strncmp(ranked, "1,3,", 4) == 0 || strncmp(ranked, "3,1,", 4) == 0);
}

/* The weight of each of docs 1..5 under q (0 when it does not match). */
static void weights_of(xc_query *q, double w[6])
{
    xc_error err;
    xc_enquire *enq = xc_enquire_new(g_db, &err);
    assert_non_null(enq);
    assert_int_equal(xc_enquire_set_query(enq, q, &err), XC_OK);
    xc_mset *m = xc_enquire_get_mset(enq, 0, 10, 10, &err);
    assert_non_null(m);
    memset(w, 0, 6 * sizeof *w);
    for (uint32_t i = 0; i < xc_mset_size(m); i++) {
        xc_hit h;
        assert_int_equal(xc_mset_hit(m, i, &h, &err), XC_OK);
        assert_true(h.docid >= 1 && h.docid <= 5);
        w[h.docid] = h.weight;
    }
    xc_mset_free(m);
    xc_enquire_free(enq);
    xc_query_free(q);
}

/* AND_MAYBE over a positional first part is built another way (so that
 * Xapian can skip position checks by weight): it must still match exactly
 * the first part and add each boost's weight where the boost matches. */
static void test_and_maybe_positional(void **state)
{
    (void)state;
    xc_error err;
    xc_query *subs[2] = {COMBINE(XC_OP_NEAR, 2, "flood", "warning"), term("typhoon")};
    xc_query *q = xc_query_combine(XC_OP_AND_MAYBE, subs, 2, 0, &err);
    assert_non_null(q);
    double both[6], left[6], boost[6];
    weights_of(q, both);
    weights_of(subs[0], left);
    weights_of(subs[1], boost);
    /* NEAR matches 1 and 3; typhoon also matches 4 and 5, which stay out. */
    assert_true(left[1] > 0 && left[3] > 0 && left[2] == 0 && left[4] == 0 && left[5] == 0);
    assert_true(boost[3] > 0 && boost[4] > 0 && boost[1] == 0);
    for (int d = 1; d <= 5; d++) {
        double want = left[d] > 0 ? left[d] + boost[d] : 0;
        assert_true(fabs(both[d] - want) < 1e-9);
    }
    assert_true(both[3] > left[3]);
}

static void test_search_positional(void **state)
{
    (void)state;
    assert_string_equal(run_set(g_db, COMBINE(XC_OP_PHRASE, 0, "flood", "warning")), "1");
    assert_string_equal(run_set(g_db, COMBINE(XC_OP_PHRASE, 0, "warning", "flood")), "3");
    assert_string_equal(run_set(g_db, COMBINE(XC_OP_NEAR, 2, "flood", "warning")), "1,3");
    /* hanoi..warning spans three positions in docs 1 and 3. */
    assert_string_equal(run_set(g_db, COMBINE(XC_OP_NEAR, 2, "hanoi", "warning")), "");
    assert_string_equal(run_set(g_db, COMBINE(XC_OP_NEAR, 3, "hanoi", "warning")), "1,3");
}

static void test_phrase_before(void **state)
{
    (void)state;
    xc_error err;
    const char *fw[] = {"flood", "warning"}, *wf[] = {"warning", "flood"};
    const char *miss[] = {"flood", "nowhere"}, *one[] = {"hanoi"};
    /* Doc 1: "hanoi flood warning ..." (positions from 1): the phrase
     * starts at 2. */
    assert_int_equal(xc_database_phrase_before(g_db, 1, fw, 2, 3, &err), 1);
    assert_int_equal(xc_database_phrase_before(g_db, 1, fw, 2, 2, &err), 0);
    assert_int_equal(xc_database_phrase_before(g_db, 1, wf, 2, 100, &err), 0);
    /* Doc 3: "warning flood hanoi typhoon". */
    assert_int_equal(xc_database_phrase_before(g_db, 3, wf, 2, 2, &err), 1);
    assert_int_equal(xc_database_phrase_before(g_db, 3, fw, 2, 100, &err), 0);
    assert_int_equal(xc_database_phrase_before(g_db, 1, miss, 2, 100, &err), 0);
    assert_int_equal(xc_database_phrase_before(g_db, 1, one, 1, 2, &err), 1);
    assert_int_equal(xc_database_phrase_before(g_db, 1, one, 1, 1, &err), 0);
    assert_int_equal(xc_database_phrase_before(NULL, 1, fw, 2, 3, &err), XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_database_phrase_before(g_db, 1, fw, 0, 3, &err), XC_ERR_INVALID_ARGUMENT);
}

static void test_query_copy_deep(void **state)
{
    (void)state;
    xc_error err;
    xc_query *q = COMBINE(XC_OP_PHRASE, 0, "flood", "warning");
    xc_query *c = xc_query_copy_deep(q, &err);
    assert_non_null(c);
    char *a = xc_query_describe(q), *b = xc_query_describe(c);
    assert_string_equal(a, b);
    free(a);
    free(b);
    xc_query_free(q);   /* the copy stands alone */
    assert_string_equal(run_set(g_db, c), "1");
    assert_null(xc_query_copy_deep(NULL, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
}

static void test_search_wildcard(void **state)
{
    (void)state;
    xc_error err;
    assert_string_equal(run_set(g_db, xc_query_wildcard("typh", 4, 0, &err)), "3,4,5");
    /* Limit 1 keeps the most frequent expansion: typhoon (2 docs). */
    assert_string_equal(run_set(g_db, xc_query_wildcard("typh", 4, 1, &err)), "3,4");
    assert_string_equal(run_set(g_db, xc_query_wildcard("zzz", 3, 0, &err)), "");
    assert_null(xc_query_wildcard("", 0, 0, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
}

static void test_search_value_range(void **state)
{
    (void)state;
    xc_error err;
    assert_string_equal(run_set(g_db, xc_query_value_range(0, "20240102", "20240104", &err)), "1,4,5");
    assert_string_equal(run_set(g_db, xc_query_value_range(0, "20240104", NULL, &err)), "3,5");
    assert_string_equal(run_set(g_db, xc_query_value_range(0, NULL, "20240101", &err)), "2");
    assert_string_equal(run_set(g_db, xc_query_value_range(0, NULL, NULL, &err)), "1,2,3,4,5");
    assert_string_equal(run_set(g_db, xc_query_value_range(0, "20250101", NULL, &err)), "");
    /* Combined as a filter. */
    xc_query *subs[2] = {term("flood"), xc_query_value_range(0, "20240103", NULL, &err)};
    xc_query *q = xc_query_combine(XC_OP_FILTER, subs, 2, 0, &err);
    xc_query_free(subs[0]);
    xc_query_free(subs[1]);
    assert_string_equal(run_set(g_db, q), "1,3,5");
}

static void test_query_misc(void **state)
{
    (void)state;
    xc_error err;
    xc_query *t = term("flood");
    char *desc = xc_query_describe(t);
    assert_non_null(desc);
    assert_non_null(strstr(desc, "flood"));
    free(desc);
    assert_false(xc_query_is_empty(t));

    assert_null(xc_query_scale(t, -1.0, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    xc_query *s = xc_query_scale(t, 2.0, &err);
    assert_non_null(s);
    desc = xc_query_describe(s);
    assert_non_null(strstr(desc, "2"));
    free(desc);

    /* Scaling by 2 doubles the weight. */
    xc_database *db = g_db;
    xc_enquire *enq = xc_enquire_new(db, &err);
    xc_hit h1, h2;
    assert_int_equal(xc_enquire_set_query(enq, t, &err), XC_OK);
    xc_mset *m = xc_enquire_get_mset(enq, 0, 1, 0, &err);
    assert_int_equal(xc_mset_hit(m, 0, &h1, &err), XC_OK);
    xc_mset_free(m);
    assert_int_equal(xc_enquire_set_query(enq, s, &err), XC_OK);
    m = xc_enquire_get_mset(enq, 0, 1, 0, &err);
    assert_int_equal(xc_mset_hit(m, 0, &h2, &err), XC_OK);
    xc_mset_free(m);
    assert_true(h1.weight > 0);
    assert_true(h2.weight > 1.99 * h1.weight && h2.weight < 2.01 * h1.weight);
    xc_enquire_free(enq);

    xc_query *all = xc_query_match_all(&err);
    assert_non_null(all);
    assert_false(xc_query_positional(all));
    assert_string_equal(run_set(g_db, all), "1,2,3,4,5");   /* frees all */

    /* A phrase or NEAR anywhere makes a query positional. */
    assert_false(xc_query_positional(t));
    assert_false(xc_query_positional(NULL));
    xc_query *near = COMBINE(XC_OP_NEAR, 3, "flood", "warning");
    xc_query *kids[] = {t, near};
    xc_query *deep = xc_query_combine(XC_OP_AND, kids, 2, 0, &err);
    assert_non_null(deep);
    assert_true(xc_query_positional(near));
    assert_true(xc_query_positional(deep));
    xc_query_free(deep);
    xc_query_free(near);
    xc_query_free(t);
    xc_query_free(s);
}

static void test_mset_details(void **state)
{
    (void)state;
    xc_error err;
    xc_enquire *enq = xc_enquire_new(g_db, &err);
    xc_query *q = term("flood");
    assert_int_equal(xc_enquire_set_query(enq, q, &err), XC_OK);
    assert_int_equal(xc_enquire_set_bm25(enq, 1.2, 0, 1, 0.75, 0.5, &err), XC_OK);
    assert_int_equal(xc_enquire_set_bm25(enq, -1, 0, 1, 0.75, 0.5, &err), XC_ERR_INVALID_ARGUMENT);
    xc_mset *m = xc_enquire_get_mset(enq, 1, 2, 10, &err);
    assert_non_null(m);
    assert_int_equal(xc_mset_size(m), 2);
    assert_int_equal(xc_mset_estimated(m), 4);
    assert_int_equal(xc_mset_lower_bound(m), 4);
    assert_int_equal(xc_mset_upper_bound(m), 4);
    xc_hit h;
    assert_int_equal(xc_mset_hit(m, 0, &h, &err), XC_OK);
    assert_int_equal(h.rank, 1);
    assert_true(h.percent > 0 && h.percent <= 100);
    assert_int_equal(xc_mset_hit(m, 2, &h, &err), XC_ERR_RANGE);
    assert_int_equal(err.code, XC_ERR_RANGE);
    xc_document *doc;
    assert_int_equal(xc_mset_document(m, 5, &doc, &err), XC_ERR_RANGE);
    assert_int_equal(xc_mset_document(m, 1, &doc, &err), XC_OK);
    assert_int_equal(xc_mset_hit(m, 1, &h, &err), XC_OK);
    assert_int_equal(xc_document_docid(doc), h.docid);
    char *data;
    assert_int_equal(xc_document_get_data(doc, &data, NULL, &err), XC_OK);
    assert_non_null(strstr(data, "flood"));
    free(data);
    xc_document_free(doc);
    /* The mset outlives the enquire and the query. */
    xc_enquire_free(enq);
    xc_query_free(q);
    assert_int_equal(xc_mset_hit(m, 0, &h, &err), XC_OK);
    xc_mset_free(m);
}

static void test_sort_by_value(void **state)
{
    (void)state;
    xc_error err;
    char ranked[64];
    xc_enquire *enq = xc_enquire_new(g_db, &err);
    xc_query *all = xc_query_match_all(&err);
    assert_int_equal(xc_enquire_set_query(enq, all, &err), XC_OK);
    assert_int_equal(xc_enquire_set_sort_by_value(enq, 0, 0, &err), XC_OK);
    xc_mset *m = xc_enquire_get_mset(enq, 0, 10, 10, &err);
    ranked[0] = '\0';
    for (uint32_t i = 0; i < xc_mset_size(m); i++) {
        xc_hit h;
        xc_mset_hit(m, i, &h, &err);
        snprintf(ranked + strlen(ranked), sizeof ranked - strlen(ranked), "%u,", (unsigned)h.docid);
    }
    xc_mset_free(m);
    assert_string_equal(ranked, "2,4,1,5,3,");

    assert_int_equal(xc_enquire_set_sort_by_value(enq, 0, 1, &err), XC_OK);
    m = xc_enquire_get_mset(enq, 0, 10, 10, &err);
    ranked[0] = '\0';
    for (uint32_t i = 0; i < xc_mset_size(m); i++) {
        xc_hit h;
        xc_mset_hit(m, i, &h, &err);
        snprintf(ranked + strlen(ranked), sizeof ranked - strlen(ranked), "%u,", (unsigned)h.docid);
    }
    xc_mset_free(m);
    assert_string_equal(ranked, "3,5,1,4,2,");
    assert_int_equal(xc_enquire_set_sort_by_relevance(enq, &err), XC_OK);
    assert_int_equal(xc_enquire_set_sort_by_value(enq, 0xffffffffu, 0, &err), XC_ERR_INVALID_ARGUMENT);
    xc_query_free(all);
    xc_enquire_free(enq);
}

static void test_collapse(void **state)
{
    (void)state;
    xc_error err;
    xc_enquire *enq = xc_enquire_new(g_db, &err);
    xc_query *all = xc_query_match_all(&err);
    assert_int_equal(xc_enquire_set_query(enq, all, &err), XC_OK);
    assert_int_equal(xc_enquire_set_collapse_key(enq, 2, 1, &err), XC_OK);
    xc_mset *m = xc_enquire_get_mset(enq, 0, 10, 10, &err);
    assert_int_equal(xc_mset_size(m), 3);
    int g1_seen = 0;
    for (uint32_t i = 0; i < xc_mset_size(m); i++) {
        xc_hit h;
        assert_int_equal(xc_mset_hit(m, i, &h, &err), XC_OK);
        if (h.docid == 1 || h.docid == 2 || h.docid == 4) {
            g1_seen++;
            assert_int_equal(h.collapse_count, 2);
        } else {
            assert_int_equal(h.collapse_count, 0);
        }
    }
    assert_int_equal(g1_seen, 1);
    xc_mset_free(m);

    assert_int_equal(xc_enquire_set_collapse_key(enq, 2, 2, &err), XC_OK);
    m = xc_enquire_get_mset(enq, 0, 10, 10, &err);
    assert_int_equal(xc_mset_size(m), 4);
    xc_mset_free(m);
    /* max 0 turns collapsing off. */
    assert_int_equal(xc_enquire_set_collapse_key(enq, 2, 0, &err), XC_OK);
    m = xc_enquire_get_mset(enq, 0, 10, 10, &err);
    assert_int_equal(xc_mset_size(m), 5);
    xc_mset_free(m);
    xc_query_free(all);
    xc_enquire_free(enq);
}

struct facet_list {
    char items[8][32];
    uint32_t counts[8];
    int n;
    int stop_after;
};

static int collect_facet(const char *item, size_t len, uint32_t count, void *ud)
{
    struct facet_list *l = ud;
    if (l->n < 8) {
        snprintf(l->items[l->n], 32, "%.*s", (int)len, item);
        l->counts[l->n] = count;
    }
    l->n++;
    return l->stop_after && l->n >= l->stop_after;
}

static void test_facets(void **state)
{
    (void)state;
    xc_error err;
    xc_enquire *enq = xc_enquire_new(g_db, &err);
    xc_facet *prov = xc_enquire_add_facet(enq, 1, '|', &err);
    xc_facet *group = xc_enquire_add_facet(enq, 2, 0, &err);
    assert_non_null(prov);
    assert_non_null(group);
    xc_query *all = xc_query_match_all(&err);
    assert_int_equal(xc_enquire_set_query(enq, all, &err), XC_OK);
    /* Only one hit returned, but all five documents checked. */
    xc_mset *m = xc_enquire_get_mset(enq, 0, 1, 5, &err);
    assert_non_null(m);
    xc_mset_free(m);

    assert_int_equal(xc_facet_docs_seen(prov), 5);
    struct facet_list l = {0};
    assert_int_equal(xc_facet_top(prov, 0, collect_facet, &l), 3);
    /* Hanoi counts once in doc 3 although listed twice; doc 5 is empty. */
    assert_string_equal(l.items[0], "Hue");
    assert_int_equal(l.counts[0], 3);
    assert_string_equal(l.items[1], "Hanoi");
    assert_int_equal(l.counts[1], 2);
    assert_string_equal(l.items[2], "Danang");
    assert_int_equal(l.counts[2], 1);

    /* Whole-value facet; g2 and g3 tie and come in byte order. */
    memset(&l, 0, sizeof l);
    assert_int_equal(xc_facet_top(group, 0, collect_facet, &l), 3);
    assert_string_equal(l.items[0], "g1");
    assert_int_equal(l.counts[0], 3);
    assert_string_equal(l.items[1], "g2");
    assert_string_equal(l.items[2], "g3");
    memset(&l, 0, sizeof l);
    assert_int_equal(xc_facet_top(group, 2, collect_facet, &l), 2);
    memset(&l, 0, sizeof l);
    l.stop_after = 1;
    assert_int_equal(xc_facet_top(group, 0, collect_facet, &l), 1);

    /* A new search restarts the counts: flood matches 1,2,3,5, where Hanoi
     * and Hue tie at 2 and sort by bytes. */
    xc_query *flood = term("flood");
    assert_int_equal(xc_enquire_set_query(enq, flood, &err), XC_OK);
    m = xc_enquire_get_mset(enq, 0, 10, 5, &err);
    xc_mset_free(m);
    assert_int_equal(xc_facet_docs_seen(prov), 4);
    memset(&l, 0, sizeof l);
    assert_int_equal(xc_facet_top(prov, 0, collect_facet, &l), 2);
    assert_string_equal(l.items[0], "Hanoi");
    assert_int_equal(l.counts[0], 2);
    assert_string_equal(l.items[1], "Hue");
    assert_int_equal(l.counts[1], 2);

    assert_null(xc_enquire_add_facet(enq, 0xffffffffu, 0, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    xc_query_free(all);
    xc_query_free(flood);
    xc_enquire_free(enq);
}

static void test_spelling_and_metadata(void **state)
{
    (void)state;
    char path[PATH_MAX];
    xc_error err;
    xc_wdb *w = xc_wdb_open(path_in(path, "spell"), XC_DB_CREATE_OR_OVERWRITE, &err);
    assert_non_null(w);
    assert_int_equal(xc_wdb_add_spelling(w, "hanoi", 5, 3, &err), XC_OK);
    assert_int_equal(xc_wdb_add_spelling(w, "danang", 6, 1, &err), XC_OK);
    assert_int_equal(xc_wdb_set_metadata(w, "k", "v\0x", 3, &err), XC_OK);
    assert_int_equal(xc_wdb_set_metadata(w, "", "v", 1, &err), XC_ERR_INVALID_ARGUMENT);
    assert_non_null(strstr(err.message, "InvalidArgumentError"));
    assert_int_equal(xc_wdb_commit(w, &err), XC_OK);
    xc_wdb_close(w);

    xc_database *r = xc_database_open(path, &err);
    assert_non_null(r);
    char *s;
    assert_int_equal(xc_database_spelling(r, "hanio", 2, &s, &err), XC_OK);
    assert_string_equal(s, "hanoi");
    free(s);
    assert_int_equal(xc_database_spelling(r, "danag", 1, &s, &err), XC_OK);
    assert_string_equal(s, "danang");
    free(s);
    assert_int_equal(xc_database_spelling(r, "qwertyuiop", 2, &s, &err), XC_OK);
    assert_string_equal(s, "");
    free(s);

    size_t len;
    assert_int_equal(xc_database_get_metadata(r, "k", &s, &len, &err), XC_OK);
    assert_int_equal(len, 3);
    assert_memory_equal(s, "v\0x", 3);
    free(s);
    assert_int_equal(xc_database_get_metadata(r, "absent", &s, &len, &err), XC_OK);
    assert_int_equal(len, 0);
    assert_string_equal(s, "");
    free(s);
    xc_database_close(r);
}

static void test_allterms_and_stats(void **state)
{
    (void)state;
    xc_error err;
    struct term_list l = {0};
    assert_int_equal(xc_database_allterms(g_db, "Q", collect_term, &l, &err), 5);
    assert_string_equal(l.terms[0], "Qd1");
    assert_string_equal(l.terms[4], "Qd5");
    assert_int_equal(l.counts[0], 1);
    memset(&l, 0, sizeof l);
    assert_int_equal(xc_database_allterms(g_db, "T", collect_term, &l, &err), 2);
    assert_string_equal(l.terms[0], "Tblog");
    assert_int_equal(l.counts[0], 2);
    assert_string_equal(l.terms[1], "Tnews");
    assert_int_equal(l.counts[1], 3);
    memset(&l, 0, sizeof l);
    l.stop_after = 2;
    assert_int_equal(xc_database_allterms(g_db, "", collect_term, &l, &err), 2);
    memset(&l, 0, sizeof l);
    assert_int_equal(xc_database_allterms(g_db, "nothing", collect_term, &l, &err), 0);

    xc_db_stats st;
    assert_int_equal(xc_database_stats(g_db, &st, &err), XC_OK);
    assert_int_equal(st.doccount, 5);
    assert_int_equal(st.lastdocid, 5);
    assert_int_equal(st.total_length, 21);   /* 5+4+4+4+4 words */
    assert_true(st.avlength > 4.19 && st.avlength < 4.21);
    assert_int_equal(st.has_positions, 1);
    uint32_t tf;
    assert_int_equal(xc_database_termfreq(g_db, "flood", 5, &tf, &err), XC_OK);
    assert_int_equal(tf, 4);
    assert_int_equal(xc_database_termfreq(g_db, "absent", 6, &tf, &err), XC_OK);
    assert_int_equal(tf, 0);
}

static void test_compact_and_stub(void **state)
{
    (void)state;
    char a[PATH_MAX], b[PATH_MAX], dest[PATH_MAX], stub[PATH_MAX];
    xc_error err;
    build_db("shard0", corpus, 2);
    build_db("shard1", corpus + 2, 3);
    path_in(a, "shard0");
    path_in(b, "shard1");

    const char *srcs[] = {a, b};
    assert_int_equal(xc_compact(srcs, 2, path_in(dest, "merged"), &err), XC_OK);
    xc_database *m = xc_database_open(dest, &err);
    assert_non_null(m);
    xc_db_stats st;
    assert_int_equal(xc_database_stats(m, &st, &err), XC_OK);
    assert_int_equal(st.doccount, 5);
    xc_docid did;
    assert_int_equal(xc_database_find_term(m, "Qd1", 3, &did, &err), 1);
    assert_int_equal(xc_database_find_term(m, "Qd5", 3, &did, &err), 1);
    assert_string_equal(run_set(m, term("typhoon")), "3,4");
    xc_database_close(m);

    /* A missing source fails cleanly. */
    const char *bad[] = {a, "/nonexistent/xc-db"};
    char dest2[PATH_MAX];
    assert_true(xc_compact(bad, 2, path_in(dest2, "merged2"), &err) < 0);
    assert_int_equal(err.code, XC_ERR_DATABASE_OPENING);

    /* A stub database file searches both shards as one. */
    FILE *f = fopen(path_in(stub, "stub.db"), "w");
    assert_non_null(f);
    fprintf(f, "auto %s\nauto %s\n", a, b);
    fclose(f);
    xc_database *s = xc_database_open(stub, &err);
    assert_non_null(s);
    assert_int_equal(xc_database_stats(s, &st, &err), XC_OK);
    assert_int_equal(st.doccount, 5);
    /* Docids interleave: shard0's n-th is 2n-1, shard1's n-th is 2n. */
    assert_string_equal(run_set(s, term("flood")), "1,2,3,6");
    uint32_t tf;
    assert_int_equal(xc_database_termfreq(s, "flood", 5, &tf, &err), XC_OK);
    assert_int_equal(tf, 4);
    xc_enquire *enq = xc_enquire_new(s, &err);
    xc_facet *prov = xc_enquire_add_facet(enq, 1, '|', &err);
    xc_query *all = xc_query_match_all(&err);
    xc_enquire_set_query(enq, all, &err);
    xc_mset *ms = xc_enquire_get_mset(enq, 0, 0, 5, &err);
    assert_non_null(ms);
    xc_mset_free(ms);
    struct facet_list l = {0};
    assert_int_equal(xc_facet_top(prov, 1, collect_facet, &l), 1);
    assert_string_equal(l.items[0], "Hue");
    assert_int_equal(l.counts[0], 3);
    xc_query_free(all);
    xc_enquire_free(enq);
    xc_database_close(s);
}

/* ---- shards: xc_database_open_shards, xc_query_docids, xc_facet_count ---- */

/* Two shards with their own words ("alpha" in A, "beta" in B, "common" in
 * some of each) and '|'-separated provinces in slot 1. Opened together,
 * A's n-th document is global docid 2n-1 and B's n-th is 2n:
 *   A: 1 "Hanoi|Hue"  3 "Hue"     5 "Hanoi|Hanoi"  7 ""  9 "Danang|Hue|Saigon"
 *   B: 2 "Hue|Danang" 4 "Saigon"  6 "Hue|Hue|Hanoi"      8 "|Danang|"  */
static const doc_spec shard_a_docs[] = {
    {"QA1", "alpha common one", "20240101", "Hanoi|Hue", "g1", "Ta"},
    {"QA2", "alpha two", "20240102", "Hue", "g1", "Ta"},
    {"QA3", "alpha common three", "20240103", "Hanoi|Hanoi", "g2", "Ta"},
    {"QA4", "alpha four", "20240104", "", "g2", "Ta"},
    {"QA5", "alpha common five", "20240105", "Danang|Hue|Saigon", "g3", "Ta"},
};
static const doc_spec shard_b_docs[] = {
    {"QB1", "beta common one", "20240106", "Hue|Danang", "g1", "Tb"},
    {"QB2", "beta two", "20240107", "Saigon", "g3", "Tb"},
    {"QB3", "beta common three", "20240108", "Hue|Hue|Hanoi", "g2", "Tb"},
    {"QB4", "beta four", "20240109", "|Danang|", "g3", "Tb"}, /* empty items */
};

typedef struct shard_set {
    char a[PATH_MAX], b[PATH_MAX], stub[PATH_MAX];
    xc_database *shards;   /* xc_database_open_shards({a, b}) */
    xc_database *stub_db;  /* xc_database_open(stub listing a and b) */
    xc_database *single;   /* xc_database_open(a) */
} shard_set;

/* Builds shards g_root/<prefix>A and <prefix>B and a stub file
 * <prefix>.stub listing them, and opens them the three ways. */
static void open_shard_set(shard_set *s, const char *prefix)
{
    char name[64];
    xc_error err;
    snprintf(name, sizeof name, "%sA", prefix);
    build_db(name, shard_a_docs, sizeof shard_a_docs / sizeof shard_a_docs[0]);
    path_in(s->a, name);
    snprintf(name, sizeof name, "%sB", prefix);
    build_db(name, shard_b_docs, sizeof shard_b_docs / sizeof shard_b_docs[0]);
    path_in(s->b, name);
    snprintf(name, sizeof name, "%s.stub", prefix);
    FILE *f = fopen(path_in(s->stub, name), "w");
    assert_non_null(f);
    fprintf(f, "auto %s\nauto %s\n", s->a, s->b);
    assert_int_equal(fclose(f), 0);

    const char *paths[] = {s->a, s->b};
    s->shards = xc_database_open_shards(paths, 2, &err);
    assert_non_null(s->shards);
    assert_int_equal(err.code, XC_OK);
    s->stub_db = xc_database_open(s->stub, &err);
    assert_non_null(s->stub_db);
    s->single = xc_database_open(s->a, &err);
    assert_non_null(s->single);
}

/* The ways a shard set is opened, for tests that run on each. */
#define SHARD_SET_WAYS 3

/* The set opened way `way`: 0 the shards, 1 the stub, 2 shard a alone. */
static xc_database *shard_set_db(const shard_set *s, int way)
{
    return way == 0 ? s->shards : way == 1 ? s->stub_db : s->single;
}

static void close_shard_set(shard_set *s)
{
    xc_database_close(s->shards);
    xc_database_close(s->stub_db);
    xc_database_close(s->single);
}

/* OP (AND or FILTER) of a and b; frees both. */
static xc_query *both(xc_op op, xc_query *a, xc_query *b)
{
    xc_error err;
    xc_query *subs[] = {a, b};
    xc_query *q = xc_query_combine(op, subs, 2, 0, &err);
    assert_non_null(q);
    xc_query_free(a);
    xc_query_free(b);
    return q;
}

/* FILTER(base, docids(db, ids[0..n))). Frees base. */
static xc_query *filter_docids(xc_database *db, xc_query *base, const xc_docid *ids, size_t n)
{
    xc_error err;
    assert_non_null(base);
    xc_query *set = xc_query_docids(db, ids, n, &err);
    assert_non_null(set);
    assert_int_equal(err.code, XC_OK);
    return both(XC_OP_FILTER, base, set);
}

static xc_query *match_all(void)
{
    xc_error err;
    xc_query *q = xc_query_match_all(&err);
    assert_non_null(q);
    return q;
}

enum { FACET_STR = 256 };

/* Appends "item=count" to the string ud (FACET_STR bytes). */
static int append_facet(const char *item, size_t len, uint32_t count, void *ud)
{
    char *out = ud;
    size_t used = strlen(out);
    snprintf(out + used, FACET_STR - used, "%s%.*s=%u", used ? "," : "", (int)len, item,
             (unsigned)count);
    return 0;
}

/* f's items as "item=count,..." (most frequent first) into out; returns
 * the number of documents it saw. */
static uint32_t facet_str(const xc_facet *f, char *out)
{
    out[0] = '\0';
    long n = xc_facet_top(f, 0, append_facet, out);
    assert_true(n >= 0);
    if (n == 0) assert_string_equal(out, "");
    return xc_facet_docs_seen(f);
}

/* Facet of q over db through xc_facet_count. Counted several times over:
 * a database may answer repeated counts differently (from a cache, built
 * here from the third count on, whatever the counts read), and every
 * answer must be the same. */
static uint32_t facet_by_count(xc_database *db, const xc_query *q, xc_slot slot, char sep,
                               char *out)
{
    xc_error err;
    uint32_t seen = 0;
    xc_database_set_facet_cache(db, 2, 0);
    for (int round = 0; round < 5; round++) {
        char again[FACET_STR];
        xc_facet *f = xc_facet_count(db, q, slot, sep, 0, &err);
        assert_non_null(f);
        assert_int_equal(err.code, XC_OK);
        assert_int_equal(xc_facet_sample(f), 1); /* exact */
        uint32_t n = facet_str(f, round ? again : out);
        xc_facet_free(f);
        if (round) {
            assert_string_equal(again, out);
            assert_int_equal(n, seen);
        }
        seen = n;
    }
    return seen;
}

/* Facet of q over db through the enquire's spy (every document checked). */
static uint32_t facet_by_spy(xc_database *db, const xc_query *q, xc_slot slot, char sep,
                             char *out)
{
    xc_error err;
    xc_db_stats st;
    assert_int_equal(xc_database_stats(db, &st, &err), XC_OK);
    xc_enquire *enq = xc_enquire_new(db, &err);
    assert_non_null(enq);
    xc_facet *f = xc_enquire_add_facet(enq, slot, sep, &err);
    assert_non_null(f);
    assert_int_equal(xc_enquire_set_query(enq, q, &err), XC_OK);
    xc_mset *m = xc_enquire_get_mset(enq, 0, 0, st.doccount, &err);
    assert_non_null(m);
    xc_mset_free(m);
    uint32_t seen = facet_str(f, out);
    xc_enquire_free(enq);
    return seen;
}

/* Both facet routes agree with the expected counts. Frees q. */
static void check_facet(xc_database *db, xc_query *q, xc_slot slot, char sep,
                        const char *want, uint32_t want_seen)
{
    char by_count[FACET_STR], by_spy[FACET_STR];
    assert_non_null(q);
    uint32_t seen_count = facet_by_count(db, q, slot, sep, by_count);
    uint32_t seen_spy = facet_by_spy(db, q, slot, sep, by_spy);
    assert_string_equal(by_count, want);
    assert_int_equal(seen_count, want_seen);
    assert_string_equal(by_spy, want);
    assert_int_equal(seen_spy, want_seen);
    xc_query_free(q);
}

static void test_open_shards(void **state)
{
    (void)state;
    shard_set s;
    xc_error err;
    open_shard_set(&s, "os");

    /* Together they are one database with interleaved docids. */
    xc_db_stats st;
    assert_int_equal(xc_database_stats(s.shards, &st, &err), XC_OK);
    assert_int_equal(st.doccount, 9);
    assert_int_equal(st.lastdocid, 9);
    assert_string_equal(run_set(s.shards, term("alpha")), "1,3,5,7,9");
    assert_string_equal(run_set(s.shards, term("beta")), "2,4,6,8");
    assert_string_equal(run_set(s.shards, term("common")), "1,2,5,6,9");
    assert_string_equal(run_set(s.stub_db, term("common")), "1,2,5,6,9");
    xc_docid did;
    assert_int_equal(xc_database_find_term(s.shards, "QB3", 3, &did, &err), 1);
    assert_int_equal(did, 6);
    xc_document *doc;
    assert_int_equal(xc_database_get_document(s.shards, 9, &doc, &err), XC_OK);
    char *v;
    assert_int_equal(xc_document_get_value(doc, 1, &v, NULL, &err), XC_OK);
    assert_string_equal(v, "Danang|Hue|Saigon");
    free(v);
    xc_document_free(doc);

    /* One shard alone is just that database. */
    const char *one[] = {s.b};
    xc_database *b = xc_database_open_shards(one, 1, &err);
    assert_non_null(b);
    assert_int_equal(xc_database_stats(b, &st, &err), XC_OK);
    assert_int_equal(st.doccount, 4);
    assert_string_equal(run_set(b, term("common")), "1,3");
    xc_database_close(b);

    /* A missing shard fails the whole open, whichever position it is in. */
    char missing[PATH_MAX];
    path_in(missing, "no-such-shard");
    const char *bad1[] = {s.a, missing};
    err.code = XC_OK;
    assert_null(xc_database_open_shards(bad1, 2, &err));
    assert_int_equal(err.code, XC_ERR_DATABASE_OPENING);
    assert_non_null(strstr(err.message, "Error: "));
    const char *bad0[] = {missing, s.b};
    assert_null(xc_database_open_shards(bad0, 2, &err));
    assert_int_equal(err.code, XC_ERR_DATABASE_OPENING);
    assert_int_equal(access(missing, F_OK), -1); /* nothing was created */

    /* No shards, a NULL list or a NULL path are the caller's mistake. */
    assert_null(xc_database_open_shards(bad1, 0, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    assert_true(strlen(err.message) > 0);
    assert_null(xc_database_open_shards(NULL, 2, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    const char *with_null[] = {s.a, NULL};
    assert_null(xc_database_open_shards(with_null, 2, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    assert_null(xc_database_open_shards(NULL, 0, NULL)); /* NULL err is fine */

    close_shard_set(&s);
}

static void test_query_docids(void **state)
{
    (void)state;
    shard_set s;
    xc_error err;
    open_shard_set(&s, "qd");

    /* Ids from both shards, unordered, a duplicate, 10 (would be B's 5th,
     * which does not exist) and one far past the end. */
    const xc_docid ids[] = {9, 2, 0, 5, 2, 10, 100, 6};
    const size_t nids = sizeof ids / sizeof ids[0];
    assert_string_equal(run_set(s.shards, filter_docids(s.shards, match_all(), ids, nids)),
                        "2,5,6,9");
    assert_string_equal(run_set(s.stub_db, filter_docids(s.stub_db, match_all(), ids, nids)),
                        "2,5,6,9");
    /* Only shard A's ids on the combined database: B contributes nothing. */
    const xc_docid odd[] = {7, 3};
    assert_string_equal(run_set(s.shards, filter_docids(s.shards, match_all(), odd, 2)), "3,7");
    /* Only shard B's. */
    const xc_docid even[] = {8};
    assert_string_equal(run_set(s.stub_db, filter_docids(s.stub_db, match_all(), even, 1)), "8");
    /* A single database: its docids as they are. */
    const xc_docid single_ids[] = {5, 0, 2, 2, 6, 100, 1};
    assert_string_equal(run_set(s.single, filter_docids(s.single, match_all(), single_ids, 7)),
                        "1,2,5");

    /* It restricts the first query and adds no weight: ranks and weights
     * are those of "common" alone. */
    const xc_docid some[] = {1, 2, 4, 6};
    char plain[64], filtered[64];
    run_ranked(s.shards, term("common"), plain, sizeof plain);
    assert_string_equal(run_set(s.shards, filter_docids(s.shards, term("common"), some, 4)),
                        "1,2,6");
    assert_int_equal(run_ranked(s.shards, filter_docids(s.shards, term("common"), some, 4),
                                filtered, sizeof filtered), 3);
    /* The filtered ranking is the plain one with 5 and 9 left out. */
    char expect[64] = "";
    char *save;
    for (char *t = strtok_r(plain, ",", &save); t; t = strtok_r(NULL, ",", &save))
        if (strcmp(t, "5") != 0 && strcmp(t, "9") != 0)
            snprintf(expect + strlen(expect), sizeof expect - strlen(expect), "%s%s",
                     expect[0] ? "," : "", t);
    assert_string_equal(filtered, expect);

    /* No ids match nothing, on every kind of database. */
    assert_string_equal(run_set(s.shards, filter_docids(s.shards, match_all(), ids, 0)), "");
    assert_string_equal(run_set(s.stub_db, filter_docids(s.stub_db, match_all(), NULL, 0)), "");
    assert_string_equal(run_set(s.single, filter_docids(s.single, match_all(), NULL, 0)), "");
    /* Only unknown ids: nothing either. */
    const xc_docid unknown[] = {10, 11, 1000};
    assert_string_equal(run_set(s.shards, filter_docids(s.shards, match_all(), unknown, 3)), "");

    /* The query works through a reopen of the same database. */
    xc_query *q = filter_docids(s.shards, match_all(), ids, nids);
    assert_true(xc_database_reopen(s.shards, &err) >= 0);
    assert_string_equal(run_set(s.shards, q), "2,5,6,9");

    /* A deep copy stands alone and matches the same, also on another
     * handle of the same shards (a set names its shards by UUID; the
     * searcher ranks the halves of a set on two handles), and ranks the
     * same. A copy of a copy too; an empty set copies to an empty one. */
    for (int way = 0; way < SHARD_SET_WAYS; way++) {
        xc_database *db = shard_set_db(&s, way);
        const char *path = way == 2 ? s.a : s.stub;
        xc_query *orig = filter_docids(db, term("common"), ids, nids);
        xc_query *copy = xc_query_copy_deep(orig, &err);
        assert_non_null(copy);
        char want[64], got[64];
        run_ranked(db, orig, want, sizeof want);   /* frees orig */
        assert_string_equal(want, way == 2 ? "5" : "2,5,6,9");   /* equal weights: by docid */
        xc_database *other = xc_database_open(path, &err);
        assert_non_null(other);
        xc_query *again = xc_query_copy_deep(copy, &err);
        assert_non_null(again);
        run_ranked(other, copy, got, sizeof got);
        assert_string_equal(got, want);
        run_ranked(db, again, got, sizeof got);
        assert_string_equal(got, want);
        xc_database_close(other);
        xc_query *none = xc_query_copy_deep(q = filter_docids(db, match_all(), NULL, 0), &err);
        xc_query_free(q);
        assert_string_equal(run_set(db, none), "");
    }
    q = filter_docids(s.shards, match_all(), ids, nids);
    /* The wrapper's other posting sources are not copied: an error, not a
     * copy matching something else. */
    xc_query *part = xc_query_part(q, 0, 2, &err);
    assert_non_null(part);
    assert_null(xc_query_copy_deep(part, &err));
    assert_int_not_equal(err.code, XC_OK);
    xc_query_free(part);
    xc_query_free(q);

    /* Bad arguments. */
    assert_null(xc_query_docids(NULL, ids, nids, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    assert_true(strlen(err.message) > 0);
    assert_null(xc_query_docids(NULL, NULL, 0, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    assert_null(xc_query_docids(s.shards, NULL, 3, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    assert_null(xc_query_docids(NULL, ids, nids, NULL)); /* NULL err is fine */

    close_shard_set(&s);
}

static xc_mset *best_of(xc_database *db, const xc_query *q, uint32_t n);

/* xc_query_phrase_before(terms, n, limit), checked: NULL terms fail. */
static xc_query *phrase_before(const char *const *terms, size_t n, uint32_t limit)
{
    xc_error err;
    xc_query *q = xc_query_phrase_before(terms, n, limit, &err);
    assert_non_null(q);
    assert_int_equal(err.code, XC_OK);
    return q;
}

/* The docids of `db` (1..last) holding the phrase below `limit`, by
 * xc_database_phrase_before, as "1,3,...". */
static const char *phrase_before_brute(xc_database *db, xc_docid last, const char *const *t,
                                       size_t n, uint32_t limit)
{
    static char out[256];
    xc_error err;
    out[0] = '\0';
    for (xc_docid d = 1; d <= last; d++) {
        int rc = xc_database_phrase_before(db, d, t, n, limit, &err);
        assert_true(rc >= 0);
        if (rc)
            snprintf(out + strlen(out), sizeof out - strlen(out), "%s%u", out[0] ? "," : "",
                     (unsigned)d);
    }
    return out;
}

/* A phrase starting below a position (what title:"a b" needs: corpsearch
 * numbers title words from 0, body words from 256), on its own (it walks
 * its first term's list) and in an AND (Xapian asks it about the other
 * side's candidates), on one database, shards and a stub, and copied. */
static void test_query_phrase_before(void **state)
{
    (void)state;
    xc_error err;
    const char *fw[] = {"flood", "warning"}, *wf[] = {"warning", "flood"};
    const char *ty[] = {"typhoon"}, *miss[] = {"nowhere", "flood"};
    /* Doc 1 "hanoi flood warning ..." (positions from 1), doc 3 "warning
     * flood hanoi typhoon", doc 4 "typhoon warning for danang". */
    assert_string_equal(run_set(g_db, phrase_before(fw, 2, 3)), "1");
    assert_string_equal(run_set(g_db, phrase_before(fw, 2, 2)), "");
    assert_string_equal(run_set(g_db, phrase_before(wf, 2, 2)), "3");
    assert_string_equal(run_set(g_db, phrase_before(ty, 1, 2)), "4");
    assert_string_equal(run_set(g_db, phrase_before(ty, 1, 5)), "3,4");
    assert_string_equal(run_set(g_db, phrase_before(miss, 2, 100)), "");
    assert_string_equal(run_set(g_db, both(XC_OP_AND, term("hanoi"), phrase_before(fw, 2, 3))),
                        "1");
    assert_string_equal(run_set(g_db, both(XC_OP_AND, term("hanoi"), phrase_before(fw, 2, 2))),
                        "");
    /* Weightless: "flood" filtered by itself has the weights of "flood"
     * alone, hit by hit. */
    const char *f1[] = {"flood"};
    xc_query *fl = term("flood");
    xc_query *ff = both(XC_OP_AND, term("flood"), phrase_before(f1, 1, 100));
    xc_mset *mp = best_of(g_db, fl, 10), *mf = best_of(g_db, ff, 10);
    assert_int_equal(xc_mset_size(mp), 4);
    assert_int_equal(xc_mset_size(mf), 4);
    for (uint32_t i = 0; i < 4; i++) {
        xc_hit a, b;
        assert_int_equal(xc_mset_hit(mp, i, &a, &err), XC_OK);
        assert_int_equal(xc_mset_hit(mf, i, &b, &err), XC_OK);
        assert_int_equal(a.docid, b.docid);
        assert_true(a.weight > 0 && a.weight == b.weight);
    }
    xc_mset_free(mp);
    xc_mset_free(mf);
    xc_query_free(fl);
    xc_query_free(ff);
    xc_query *orig = phrase_before(fw, 2, 3);
    xc_query *c = xc_query_copy_deep(orig, &err);
    assert_non_null(c);
    xc_query_free(orig);
    assert_string_equal(run_set(g_db, c), "1");

    /* Against a brute force, over shards, a stub and one database: driven
     * (its first term the rarest: FILTER over everything) and checked
     * ("three" drives, the phrase's first term is the commoner "common"). */
    shard_set s;
    open_shard_set(&s, "pb");
    const char *cs[][2] = {{"common", "three"}, {"common", "one"}, {"alpha", "common"},
                           {"beta", "two"}, {"common", "common"}};
    for (int way = 0; way < SHARD_SET_WAYS; way++) {
        xc_database *db = shard_set_db(&s, way);
        xc_docid last = way == 2 ? 5 : 9;
        for (size_t i = 0; i < sizeof cs / sizeof *cs; i++)
            for (uint32_t limit = 0; limit <= 4; limit++) {
                char want[256];
                snprintf(want, sizeof want, "%s", phrase_before_brute(db, last, cs[i], 2, limit));
                assert_string_equal(run_set(db, phrase_before(cs[i], 2, limit)), want);
                assert_string_equal(
                    run_set(db, both(XC_OP_FILTER, match_all(), phrase_before(cs[i], 2, limit))),
                    want);
                xc_query *q = both(XC_OP_AND, term(cs[i][1]), phrase_before(cs[i], 2, limit));
                xc_query *copy = xc_query_copy_deep(q, &err);
                assert_non_null(copy);
                assert_string_equal(run_set(db, q), want);
                assert_string_equal(run_set(db, copy), want);
            }
        /* With no bound, Xapian's own phrase: the same documents. */
        for (size_t i = 0; i < sizeof cs / sizeof *cs; i++) {
            char phrase[256];
            snprintf(phrase, sizeof phrase, "%s",
                     run_set(db, COMBINE(XC_OP_PHRASE, 0, cs[i][0], cs[i][1])));
            assert_string_equal(run_set(db, phrase_before(cs[i], 2, UINT32_MAX)), phrase);
        }
    }
    /* Somewhere to compare: "common three" starts at 2 in A's 3rd and B's 3rd. */
    assert_string_equal(phrase_before_brute(s.shards, 9, cs[0], 2, 3), "5,6");
    close_shard_set(&s);

    const char *with_null[] = {"flood", NULL};
    assert_null(xc_query_phrase_before(NULL, 1, 3, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    assert_null(xc_query_phrase_before(fw, 0, 3, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    assert_null(xc_query_phrase_before(with_null, 2, 3, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
}

static void test_facet_count(void **state)
{
    (void)state;
    shard_set s;
    xc_error err;
    open_shard_set(&s, "fc");
    xc_database *dbs[] = {s.shards, s.stub_db};

    /* Whole collection. Hue: A1 A2 A5 B1 B3 (once in B3 despite "Hue|Hue");
     * Hanoi: A1 A3 (once) B3; Danang: A5 B1 B4 (whose empty items count for
     * nothing); Saigon: A5 B2. A4 has no value but is still a document
     * seen. Ties in byte order. */
    for (size_t i = 0; i < 2; i++) {
        check_facet(dbs[i], match_all(), 1, '|', "Hue=5,Danang=3,Hanoi=3,Saigon=2", 9);
        /* common: A1 A3 A5 B1 B3. */
        check_facet(dbs[i], term("common"), 1, '|', "Hue=4,Hanoi=3,Danang=2,Saigon=1", 5);
        /* beta: B only, so shard A's pass finds nothing. */
        check_facet(dbs[i], term("beta"), 1, '|', "Danang=2,Hue=2,Hanoi=1,Saigon=1", 4);
        /* alpha: A only. */
        check_facet(dbs[i], term("alpha"), 1, '|', "Hue=3,Hanoi=2,Danang=1,Saigon=1", 5);
        /* Whole values (sep 0) of slot 2: g1 A1 A2 B1, g2 A3 A4 B3, g3 A5 B2 B4. */
        check_facet(dbs[i], match_all(), 2, 0, "g1=3,g2=3,g3=3", 9);
        check_facet(dbs[i], term("two"), 2, 0, "g1=1,g3=1", 2);
        /* Over a docid set: 2 (B1), 5 (A3), 9 (A5), and 4 (B2) twice. */
        const xc_docid ids[] = {9, 4, 2, 5, 4, 100};
        check_facet(dbs[i], filter_docids(dbs[i], match_all(), ids, 6), 1, '|',
                    "Danang=2,Hue=2,Saigon=2,Hanoi=1", 4);
        /* Nothing matching: no documents, no items. */
        check_facet(dbs[i], term("nosuchword"), 1, '|', "", 0);
        check_facet(dbs[i], filter_docids(dbs[i], match_all(), NULL, 0), 1, '|', "", 0);
    }
    /* A single database (shard A) is counted through its value stream. */
    check_facet(s.single, match_all(), 1, '|', "Hue=3,Hanoi=2,Danang=1,Saigon=1", 5);
    check_facet(s.single, term("common"), 1, '|', "Hanoi=2,Hue=2,Danang=1,Saigon=1", 3);
    check_facet(s.single, term("four"), 1, '|', "", 1); /* A4: seen, no value */
    check_facet(s.single, term("beta"), 1, '|', "", 0);
    const xc_docid single_ids[] = {3, 5, 5, 6};
    check_facet(s.single, filter_docids(s.single, match_all(), single_ids, 4), 1, '|',
                "Danang=1,Hanoi=1,Hue=1,Saigon=1", 2);
    /* An empty slot everywhere. */
    check_facet(s.shards, match_all(), 7, '|', "", 9);

    /* max and early stop work on a counted facet as on a spy's. */
    xc_query *all = match_all();
    xc_facet *f = xc_facet_count(s.shards, all, 1, '|', 0, &err);
    assert_non_null(f);
    struct facet_list l = {0};
    assert_int_equal(xc_facet_top(f, 2, collect_facet, &l), 2);
    assert_string_equal(l.items[0], "Hue");
    assert_int_equal(l.counts[0], 5);
    assert_string_equal(l.items[1], "Danang");
    memset(&l, 0, sizeof l);
    l.stop_after = 1;
    assert_int_equal(xc_facet_top(f, 0, collect_facet, &l), 1);
    xc_facet_free(f);

    /* max_docs at or above the number of matches changes nothing. */
    char exact[FACET_STR], got[FACET_STR];
    facet_by_count(s.shards, all, 1, '|', exact);
    for (int i = 0; i < SHARD_SET_WAYS; i++) {
        xc_database *db = shard_set_db(&s, i);
        if (i == 2) facet_by_count(db, all, 1, '|', exact);
        f = xc_facet_count(db, all, 1, '|', 9, &err);
        assert_non_null(f);
        assert_int_equal(xc_facet_sample(f), 1);
        assert_int_equal(facet_str(f, got), i == 2 ? 5 : 9);
        assert_string_equal(got, exact);
        xc_facet_free(f);
    }
    /* Below it the counts come from a sample of every k-th document,
     * scaled by k: whole multiples of k, from at most max_docs documents. */
    for (int i = 0; i < 2; i++) {
        f = xc_facet_count(i ? s.stub_db : s.shards, all, 1, '|', 3, &err);
        assert_non_null(f);
        uint32_t k = xc_facet_sample(f);
        assert_true(k > 1);
        uint32_t seen = xc_facet_docs_seen(f);
        assert_int_equal(seen % k, 0);
        assert_true(seen / k <= 3);
        struct facet_list sl = {0};
        long items = xc_facet_top(f, 0, collect_facet, &sl);
        assert_true(items >= 0 && items <= 4);
        for (long j = 0; j < items; j++) {
            assert_int_equal(sl.counts[j] % k, 0);
            assert_true(sl.counts[j] <= seen);
        }
        xc_facet_free(f);
    }

    /* Whatever max_docs, counts reported exact (sample 1) are exact, also
     * when the estimate was far above the matches and a sample was topped
     * up by a pass over the other docids (several of these queries take
     * that path: phrases, NOT). */
    xc_query *grid[6];
    grid[0] = COMBINE(XC_OP_PHRASE, 0, "alpha", "common");
    grid[1] = COMBINE(XC_OP_PHRASE, 0, "common", "one");
    grid[2] = COMBINE(XC_OP_OR, 0, "one", "three", "five");
    xc_query *ph[] = {COMBINE(XC_OP_PHRASE, 0, "alpha", "common"),
                      COMBINE(XC_OP_PHRASE, 0, "beta", "common")};
    grid[3] = xc_query_combine(XC_OP_OR, ph, 2, 0, &err);
    xc_query *nc[] = {match_all(), term("common")};
    grid[4] = xc_query_combine(XC_OP_AND_NOT, nc, 2, 0, &err);
    grid[5] = match_all();
    for (int i = 0; i < 2; i++) {
        xc_query_free(ph[i]);
        xc_query_free(nc[i]);
    }
    for (int d = 0; d < SHARD_SET_WAYS; d++) {
        xc_database *db = shard_set_db(&s, d);
        for (size_t g = 0; g < 6; g++) {
            assert_non_null(grid[g]);
            f = xc_facet_count(db, grid[g], 1, '|', 0, &err);
            assert_non_null(f);
            uint32_t n = facet_str(f, exact);
            xc_facet_free(f);
            for (uint32_t m = 1; m <= 9; m++) {
                f = xc_facet_count(db, grid[g], 1, '|', m, &err);
                assert_non_null(f);
                uint32_t k = xc_facet_sample(f);
                uint32_t seen = facet_str(f, got);
                if (k == 1) {
                    assert_int_equal(seen, n);
                    assert_string_equal(got, exact);
                } else {
                    assert_true(n > m);   /* sampled only past max_docs */
                    assert_int_equal(seen % k, 0);
                }
                xc_facet_free(f);
            }
        }
    }
    for (size_t g = 0; g < 6; g++)
        xc_query_free(grid[g]);

    /* Bad arguments. */
    assert_null(xc_facet_count(NULL, all, 1, '|', 0, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    assert_true(strlen(err.message) > 0);
    assert_null(xc_facet_count(s.shards, NULL, 1, '|', 0, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    assert_null(xc_facet_count(s.single, all, 0xffffffffu, '|', 0, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    assert_null(xc_facet_count(NULL, NULL, 1, '|', 0, NULL)); /* NULL err is fine */
    xc_facet_free(NULL);
    assert_int_equal(xc_facet_sample(NULL), 0);
    xc_query_free(all);

    close_shard_set(&s);
}

static uint32_t count_once(xc_database *db, xc_query *q, char *out);

/* xc_facet_count_part over each of nparts parts, keeping docids, merged
 * (xc_facet_merge) into one: the caller frees it. */
static xc_facet *count_in_parts(xc_database *db, xc_query *q, uint32_t max_docs,
                                unsigned nparts)
{
    xc_error err;
    xc_facet *all = NULL;
    for (unsigned p = 0; p < nparts; p++) {
        xc_facet *f = xc_facet_count_part(db, q, 1, '|', max_docs, p, nparts, 1, &err);
        assert_non_null(f);
        if (!all) {
            all = f;
            continue;
        }
        assert_int_equal(xc_facet_merge(all, f, &err), 0);
        xc_facet_free(f);
    }
    return all;
}

/* The docids an exact count saw (xc_facet_docids) are q's matches on db,
 * ascending; a sample, or a stub's count, gives none (-1). */
static void check_facet_docids(xc_database *db, const xc_query *q, const xc_facet *f,
                               int stub)
{
    const xc_docid *ids = (const xc_docid *)1;
    long n = xc_facet_docids(f, &ids);
    if (xc_facet_sample(f) != 1 || stub) {
        assert_int_equal(n, -1);
        assert_null(ids);
        return;
    }
    xc_mset *m = best_of(db, q, 1000);
    uint32_t want = xc_mset_size(m);
    xc_docid expect[16];
    assert_true(want <= 16);
    xc_error err;
    for (uint32_t i = 0; i < want; i++) {
        xc_hit h;
        assert_int_equal(xc_mset_hit(m, i, &h, &err), XC_OK);
        expect[i] = h.docid;
    }
    xc_mset_free(m);
    qsort(expect, want, sizeof *expect, cmp_u32);
    assert_int_equal(n, (long)want);
    if (want)
        assert_memory_equal(ids, expect, want * sizeof *expect);
    else
        assert_null(ids);
}

/* Counted in parts (1 to 4 of the docids, on each shard) and merged, the
 * counts are those of one count: exactly when no part was sampled, and a
 * merged sample says so; an exact count has every match's docid. Then bad
 * parts. */
static void test_facet_count_parts(void **state)
{
    (void)state;
    shard_set s;
    xc_error err;
    open_shard_set(&s, "fp");
    char exact[FACET_STR], got[FACET_STR];
    xc_query *ph[] = {COMBINE(XC_OP_PHRASE, 0, "alpha", "common"),
                      COMBINE(XC_OP_PHRASE, 0, "beta", "common")};
    xc_query *qs[] = {match_all(), term("common"), term("beta"), term("nowhere"),
                      COMBINE(XC_OP_OR, 0, "one", "three", "five"),
                      xc_query_combine(XC_OP_OR, ph, 2, 0, &err)};
    for (int d = 0; d < SHARD_SET_WAYS; d++) {
        xc_database *db = shard_set_db(&s, d);
        for (size_t i = 0; i < sizeof qs / sizeof *qs; i++) {
            uint32_t n = count_once(db, qs[i], exact);
            for (unsigned parts = 1; parts <= 4; parts++) {
                xc_facet *f = count_in_parts(db, qs[i], 0, parts);
                assert_int_equal(xc_facet_sample(f), 1);
                assert_int_equal(facet_str(f, got), n);
                assert_string_equal(got, exact);
                check_facet_docids(db, qs[i], f, db == s.stub_db);
                xc_facet_free(f);
                for (uint32_t m = 1; m <= 6; m++) {
                    f = count_in_parts(db, qs[i], m, parts);
                    check_facet_docids(db, qs[i], f, db == s.stub_db);
                    uint32_t seen = facet_str(f, got);
                    if (xc_facet_sample(f) == 1) {
                        assert_int_equal(seen, n);
                        assert_string_equal(got, exact);
                    } else {
                        assert_true(n > m / parts);   /* sampled only past a part's limit */
                    }
                    xc_facet_free(f);
                }
            }
        }
    }
    /* Docids only when asked for, and not over a stub's databases. */
    assert_true(xc_database_keeps_docids(s.shards));
    assert_true(xc_database_keeps_docids(s.single));
    assert_false(xc_database_keeps_docids(s.stub_db));
    assert_false(xc_database_keeps_docids(NULL));
    xc_facet *unasked = xc_facet_count(s.shards, qs[0], 1, '|', 0, &err);
    assert_non_null(unasked);
    const xc_docid *ids = (const xc_docid *)1;
    assert_int_equal(xc_facet_docids(unasked, &ids), -1);
    assert_null(ids);
    xc_facet_free(unasked);
    assert_null(xc_facet_count_part(s.single, qs[0], 1, '|', 0, 2, 2, 1, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    assert_null(xc_facet_count_part(s.single, qs[0], 1, '|', 0, 0, 0, 1, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    assert_int_equal(xc_facet_merge(NULL, NULL, &err), XC_ERR_INVALID_ARGUMENT);
    for (size_t i = 0; i < sizeof qs / sizeof *qs; i++)
        xc_query_free(qs[i]);
    for (int i = 0; i < 2; i++)
        xc_query_free(ph[i]);
    close_shard_set(&s);
}

/* The best n of q on db by BM25, counting every match. */
static xc_mset *best_of(xc_database *db, const xc_query *q, uint32_t n)
{
    xc_error err;
    xc_enquire *enq = xc_enquire_new(db, &err);
    assert_non_null(enq);
    assert_int_equal(xc_enquire_set_query(enq, q, &err), XC_OK);
    xc_mset *m = xc_enquire_get_mset(enq, 0, n, 1000, &err);
    assert_non_null(m);
    xc_enquire_free(enq);
    return m;
}

/* Two halves of a query (xc_query_part), ranked apart and merged
 * (xc_mset_merge, either half first), give what one pass gives: the same
 * hits in the same order (equal weights by docid: match_all weighs every
 * document 0), the same weights and documents, the same counts; on one
 * database, a sharded one and a stub. */
static void test_mset_merge(void **state)
{
    (void)state;
    shard_set s;
    xc_error err;
    open_shard_set(&s, "mm");
    xc_query *qs[] = {match_all(), term("common"), COMBINE(XC_OP_OR, 0, "one", "alpha", "two"),
                      COMBINE(XC_OP_PHRASE, 0, "beta", "common"), term("nowhere")};
    for (int d = 0; d < SHARD_SET_WAYS; d++) {
        xc_database *db = shard_set_db(&s, d);
        for (size_t i = 0; i < sizeof qs / sizeof *qs; i++) {
            xc_query *half[2];
            for (unsigned p = 0; p < 2; p++)
                assert_non_null(half[p] = xc_query_part(qs[i], p, 2, &err));
            /* Either half first: ties go by docid, not by argument. */
            for (uint32_t t = 0; t < 20; t++) {
                uint32_t n = t % 10 + 1, one = t < 10 ? 0 : 1;
                xc_mset *whole = best_of(db, qs[i], n);
                xc_mset *m = xc_mset_merge(best_of(db, half[one], n),
                                           best_of(db, half[1 - one], n), n, &err);
                assert_non_null(m);
                assert_int_equal(xc_mset_size(m), xc_mset_size(whole));
                assert_int_equal(xc_mset_estimated(m), xc_mset_estimated(whole));
                assert_int_equal(xc_mset_lower_bound(m), xc_mset_lower_bound(whole));
                assert_int_equal(xc_mset_upper_bound(m), xc_mset_upper_bound(whole));
                for (uint32_t k = 0; k < xc_mset_size(m); k++) {
                    xc_hit a, b;
                    assert_int_equal(xc_mset_hit(m, k, &a, &err), XC_OK);
                    assert_int_equal(xc_mset_hit(whole, k, &b, &err), XC_OK);
                    assert_int_equal(a.docid, b.docid);
                    assert_int_equal(a.rank, k);
                    assert_true(fabs(a.weight - b.weight) < 1e-9);
                    /* The same document (on shards, Xapian 1.4 gives its
                     * shard's docid, so compare with the whole's). */
                    xc_document *da, *db_;
                    char *ta, *tb;
                    assert_int_equal(xc_mset_document(m, k, &da, &err), XC_OK);
                    assert_int_equal(xc_mset_document(whole, k, &db_, &err), XC_OK);
                    assert_int_equal(xc_document_docid(da), xc_document_docid(db_));
                    assert_int_equal(xc_document_get_data(da, &ta, NULL, &err), XC_OK);
                    assert_int_equal(xc_document_get_data(db_, &tb, NULL, &err), XC_OK);
                    assert_string_equal(ta, tb);
                    free(ta);
                    free(tb);
                    xc_document_free(da);
                    xc_document_free(db_);
                }
                xc_hit h;
                assert_int_equal(xc_mset_hit(m, xc_mset_size(m), &h, &err), XC_ERR_RANGE);
                xc_mset_free(whole);
                xc_mset_free(m);
            }
            for (unsigned p = 0; p < 2; p++)
                xc_query_free(half[p]);
        }
    }
    /* Bad arguments: both msets are freed anyway (ASan would tell). */
    assert_null(xc_mset_merge(best_of(s.single, qs[0], 2), NULL, 2, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    xc_mset *m = xc_mset_merge(best_of(s.single, qs[0], 2), best_of(s.single, qs[1], 2), 2, &err);
    assert_non_null(m);
    assert_null(xc_mset_merge(m, best_of(s.single, qs[0], 2), 2, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    assert_null(xc_query_part(qs[0], 2, 2, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    assert_null(xc_query_part(NULL, 0, 1, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    m = best_of(s.single, qs[0], 2);
    assert_null(xc_mset_merge(m, m, 2, &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    for (size_t i = 0; i < sizeof qs / sizeof *qs; i++)
        xc_query_free(qs[i]);
    close_shard_set(&s);
}

/* A phrase's facets against max_docs (10): Xapian's estimate of a phrase
 * is a share of its words' AND (about 19 of these 96), so above max_docs
 * they are probed on a sixteenth of the docids. Counts stay exact when
 * the matches fit, a sample when they do not. All 96 documents say "red
 * apple"; three also say "apple red". */
static void test_facet_count_phrase_probe(void **state)
{
    (void)state;
    enum { N = 96 };
    static char ids[N][8], texts[N][32];
    doc_spec docs[N];
    for (int i = 0; i < N; i++) {
        snprintf(ids[i], sizeof ids[i], "Qp%d", i + 1);
        snprintf(texts[i], sizeof texts[i], "%s", i < 3 ? "red apple red" : "red apple pie");
        docs[i] = (doc_spec){ids[i], texts[i], "20240101", i < 3 ? "Hue" : "Hanoi", "g1", "Tnews"};
    }
    build_db("probe", docs, N);
    char path[PATH_MAX], got[FACET_STR];
    xc_error err;
    xc_database *db = xc_database_open(path_in(path, "probe"), &err);
    assert_non_null(db);
    /* Matches fitting max_docs: counted exactly, whatever the estimate. */
    xc_query *rare = COMBINE(XC_OP_PHRASE, 0, "apple", "red");
    xc_facet *f = xc_facet_count(db, rare, 1, '|', 10, &err);
    assert_non_null(f);
    assert_int_equal(xc_facet_sample(f), 1);
    assert_int_equal(facet_str(f, got), 3);
    assert_string_equal(got, "Hue=3");
    xc_facet_free(f);
    /* Matches past it: a sample of every k-th document. */
    xc_query *common = COMBINE(XC_OP_PHRASE, 0, "red", "apple");
    f = xc_facet_count(db, common, 1, '|', 10, &err);
    assert_non_null(f);
    uint32_t k = xc_facet_sample(f);
    assert_true(k > 1);
    uint32_t seen = facet_str(f, got);
    assert_int_equal(seen % k, 0);
    assert_true(seen / k <= 10 + 1);
    xc_facet_free(f);
    xc_query_free(rare);
    xc_query_free(common);
    xc_database_close(db);
}

/* One xc_facet_count of q over db: its items into out; the docs it saw. */
static uint32_t count_once(xc_database *db, xc_query *q, char *out)
{
    xc_error err;
    xc_facet *f = xc_facet_count(db, q, 1, '|', 0, &err);
    assert_non_null(f);
    uint32_t seen = facet_str(f, out);
    xc_facet_free(f);
    return seen;
}

/* The default rule for keeping a shard's facet values in memory: once the
 * passes at one revision have read as many documents' values as the shard
 * holds, never at a first pass, and dropped when switched off. Shard A
 * holds 5 documents ("alpha" in all), shard B 4 ("beta" in all). */
static void test_facet_column_rule(void **state)
{
    (void)state;
    shard_set s;
    open_shard_set(&s, "cr");
    char first[FACET_STR], again[FACET_STR];
    xc_query *beta = term("beta"), *alpha = term("alpha"), *all = match_all();

    /* A one-off count, even of everything, keeps nothing. */
    assert_int_equal(count_once(s.shards, all, first), 9);
    assert_int_equal(xc_database_facet_columns(s.shards), 0);
    xc_database_close(s.shards);
    const char *paths[] = {s.a, s.b};
    xc_error err;
    s.shards = xc_database_open_shards(paths, 2, &err);
    assert_non_null(s.shards);

    /* beta reads B's 4 values: at the next pass B is worth keeping. */
    assert_int_equal(count_once(s.shards, beta, first), 4);
    assert_int_equal(xc_database_facet_columns(s.shards), 0);
    assert_int_equal(count_once(s.shards, beta, again), 4);
    assert_string_equal(again, first);
    assert_int_equal(xc_database_facet_columns(s.shards), 1);
    /* A has been read for nothing so far; alpha reads its 5 once... */
    assert_int_equal(count_once(s.shards, alpha, first), 5);
    assert_int_equal(xc_database_facet_columns(s.shards), 1);
    /* ...and then A is kept too, with the same counts. */
    assert_int_equal(count_once(s.shards, alpha, again), 5);
    assert_string_equal(again, first);
    assert_int_equal(xc_database_facet_columns(s.shards), 2);

    /* Switched off: dropped at the next count, which still counts right. */
    xc_database_set_facet_cache(s.shards, 0, 100);
    assert_int_equal(count_once(s.shards, alpha, again), 5);
    assert_string_equal(again, first);
    assert_int_equal(xc_database_facet_columns(s.shards), 0);
    assert_int_equal(xc_database_facet_columns(NULL), 0);

    xc_query_free(beta);
    xc_query_free(alpha);
    xc_query_free(all);
    close_shard_set(&s);
}

/* The shard handles share their state with the combined database: after a
 * reopen, per-shard facet counts see the new documents too. */
static void test_facet_count_after_reopen(void **state)
{
    (void)state;
    shard_set s;
    xc_error err;
    open_shard_set(&s, "ro");
    /* Counted repeatedly, so whatever the database keeps between counts
     * is there before the change. */
    check_facet(s.shards, match_all(), 1, '|', "Hue=5,Danang=3,Hanoi=3,Saigon=2", 9);
    check_facet(s.shards, term("common"), 1, '|', "Hue=4,Hanoi=3,Danang=2,Saigon=1", 5);

    /* B gets a fifth document (global 10) and loses its second (global 4). */
    xc_wdb *w = xc_wdb_open(s.b, XC_DB_OPEN, &err);
    assert_non_null(w);
    const doc_spec extra = {"QB5", "beta common five", "20240110", "Saigon|Hue", "g1", "Tb"};
    xc_docid did;
    put_doc(w, &extra, &did);
    assert_int_equal(did, 5);
    assert_int_equal(xc_wdb_delete_by_term(w, "QB2", 3, &err), XC_OK);
    assert_int_equal(xc_wdb_commit(w, &err), XC_OK);
    xc_wdb_close(w);

    assert_int_equal(xc_database_reopen(s.shards, &err), 1);
    assert_int_equal(xc_database_reopen(s.stub_db, &err), 1);
    for (int i = 0; i < 2; i++) {
        xc_database *db = i ? s.stub_db : s.shards;
        check_facet(db, match_all(), 1, '|', "Hue=6,Danang=3,Hanoi=3,Saigon=2", 9);
        check_facet(db, term("common"), 1, '|', "Hue=5,Hanoi=3,Danang=2,Saigon=2", 6);
        assert_string_equal(run_set(db, term("common")), "1,2,5,6,9,10");
        const xc_docid ids[] = {4, 10, 1};
        assert_string_equal(run_set(db, filter_docids(db, match_all(), ids, 3)), "1,10");
    }
    close_shard_set(&s);
}

/* A commit that rewrites an article in place, at the same length, leaves
 * every statistic as it was: only the shards' revisions tell the handles
 * apart. */
static void test_same_revision(void **state)
{
    (void)state;
    shard_set s;
    xc_error err;
    open_shard_set(&s, "sr");
    const char *paths[] = {s.a, s.b};
    xc_database *other = xc_database_open_shards(paths, 2, &err);
    assert_non_null(other);
    assert_int_equal(xc_database_same_revision(s.shards, other, &err), 1);
    assert_int_equal(xc_database_same_revision(s.single, s.single, &err), 1);
    /* Other shards, or another number of them, are not the same. */
    assert_int_equal(xc_database_same_revision(s.shards, s.single, &err), 0);
    const char *swapped[] = {s.b, s.a};
    xc_database *backwards = xc_database_open_shards(swapped, 2, &err);
    assert_non_null(backwards);
    assert_int_equal(xc_database_same_revision(s.shards, backwards, &err), 0);
    xc_database_close(backwards);
    /* A stub path gives no revisions: an error saying so, not a guess. */
    assert_int_equal(xc_database_same_revision(s.stub_db, s.shards, &err),
                     XC_ERR_INVALID_ARGUMENT);
    assert_non_null(strstr(err.message, "stub"));
    assert_int_equal(xc_database_same_revision(NULL, s.shards, &err), XC_ERR_INVALID_ARGUMENT);

    /* QB1 rewritten in place: same terms and length, other facet items. */
    xc_wdb *w = xc_wdb_open(s.b, XC_DB_OPEN, &err);
    assert_non_null(w);
    const doc_spec again = {"QB1", "beta common one", "20240106", "Hanoi|Hue", "g1", "Tb"};
    xc_docid did;
    put_doc(w, &again, &did);
    assert_int_equal(xc_wdb_commit(w, &err), XC_OK);
    xc_wdb_close(w);
    assert_int_equal(xc_database_reopen(s.shards, &err), 1);
    xc_db_stats x, y;
    assert_int_equal(xc_database_stats(s.shards, &x, &err), XC_OK);
    assert_int_equal(xc_database_stats(other, &y, &err), XC_OK);
    assert_true(x.doccount == y.doccount && x.lastdocid == y.lastdocid &&
                x.total_length == y.total_length);
    assert_int_equal(xc_database_same_revision(s.shards, other, &err), 0);
    assert_int_equal(xc_database_reopen(other, &err), 1);
    assert_int_equal(xc_database_same_revision(s.shards, other, &err), 1);
    xc_database_close(other);
    close_shard_set(&s);
}

static void test_stemmer(void **state)
{
    (void)state;
    xc_error err;
    char buf[64];
    xc_stemmer *s = xc_stemmer_new("english", &err);
    assert_non_null(s);
    assert_int_equal(xc_stem(s, "transformation", 14, buf, sizeof buf, &err), 9);
    assert_string_equal(buf, "transform");
    assert_int_equal(xc_stem(s, "floods", 6, buf, sizeof buf, &err), 5);
    assert_string_equal(buf, "flood");
    /* "transform" plus NUL needs 10 bytes. */
    assert_int_equal(xc_stem(s, "transformation", 14, buf, 9, &err), XC_ERR_RANGE);
    assert_int_equal(err.code, XC_ERR_RANGE);
    assert_int_equal(xc_stem(s, "transformation", 14, buf, 10, &err), 9);
    assert_int_equal(xc_stem(s, "", 0, buf, sizeof buf, &err), 0);
    assert_string_equal(buf, "");
    xc_stemmer_free(s);

    s = xc_stemmer_new("none", &err);
    assert_non_null(s);
    assert_int_equal(xc_stem(s, "floods", 6, buf, sizeof buf, &err), 6);
    assert_string_equal(buf, "floods");
    xc_stemmer_free(s);

    assert_null(xc_stemmer_new("klingon", &err));
    assert_int_equal(err.code, XC_ERR_INVALID_ARGUMENT);
    assert_non_null(strstr(err.message, "klingon"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_and_error_clear),
        cmocka_unit_test(test_document_roundtrip),
        cmocka_unit_test(test_document_terms),
        cmocka_unit_test(test_null_arguments),
        cmocka_unit_test(test_open_missing_db),
        cmocka_unit_test(test_second_writer_locked),
        cmocka_unit_test(test_no_sync_mode),
        cmocka_unit_test(test_replace_delete_reopen),
        cmocka_unit_test(test_replace_adds_idterm),
        cmocka_unit_test(test_get_missing_document),
        cmocka_unit_test(test_long_term_is_an_error),
        cmocka_unit_test(test_search_boolean_ops),
        cmocka_unit_test(test_search_and_maybe_ranks),
        cmocka_unit_test(test_search_positional),
        cmocka_unit_test(test_and_maybe_positional),
        cmocka_unit_test(test_search_wildcard),
        cmocka_unit_test(test_search_value_range),
        cmocka_unit_test(test_query_misc),
        cmocka_unit_test(test_mset_details),
        cmocka_unit_test(test_sort_by_value),
        cmocka_unit_test(test_collapse),
        cmocka_unit_test(test_facets),
        cmocka_unit_test(test_spelling_and_metadata),
        cmocka_unit_test(test_allterms_and_stats),
        cmocka_unit_test(test_compact_and_stub),
        cmocka_unit_test(test_open_shards),
        cmocka_unit_test(test_query_docids),
        cmocka_unit_test(test_facet_count),
        cmocka_unit_test(test_facet_count_phrase_probe),
        cmocka_unit_test(test_facet_count_parts),
        cmocka_unit_test(test_mset_merge),
        cmocka_unit_test(test_facet_column_rule),
        cmocka_unit_test(test_facet_count_after_reopen),
        cmocka_unit_test(test_same_revision),
        cmocka_unit_test(test_stemmer),
        cmocka_unit_test(test_phrase_before),
        cmocka_unit_test(test_query_phrase_before),
        cmocka_unit_test(test_query_copy_deep),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
