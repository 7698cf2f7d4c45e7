/* indexer.c -- the index writer: one thread and one Xapian shard per core.
 *
 * Why threads and shards: a single Xapian writer is the bottleneck of
 * indexing (tokenizing is cheaper than Xapian's inversion and B-tree
 * updates), and a WritableDatabase is single-threaded. Giving each worker
 * its own shard lets both cores write at once; the stub file makes the
 * shards one database for readers. An article's shard is a hash of its id,
 * so replacing or skipping it always looks in the right place.
 *
 * Data flows one way: the caller's reader thread -> per-shard bounded queue
 * -> worker (hash check, build, replace, periodic commit).
 */
#include "indexer.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "docformat.h"
#include "index_layout.h"
#include "xapian_c.h"

#define QUEUE_CAP 256

typedef struct worker {
    struct cs_indexer *ix;
    xc_wdb *db;
    cs_docbuilder *builder;
    pthread_t thread;
    int started;
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    cs_article *queue[QUEUE_CAP];
    size_t head, count;
    int closing;
    int failed;                 /* fatal: a commit failed */
    char error[640];
    unsigned since_commit;
    cs_index_counts counts;
} worker;

struct cs_indexer {
    char *dir;
    cs_layout layout;
    unsigned batch_docs;
    cs_index_error_fn on_error;
    void *ud;
    pthread_mutex_t report_mu;  /* serialises on_error calls */
    worker w[CS_MAX_SHARDS];
};

static void report(cs_indexer *ix, const cs_article *a, const char *msg)
{
    if (!ix->on_error)
        return;
    pthread_mutex_lock(&ix->report_mu);
    ix->on_error(a->source ? a->source : a->id, msg, ix->ud);
    pthread_mutex_unlock(&ix->report_mu);
}

/* Has the stored copy of this article the same content hash? 1 yes, 0 no
 * (new or changed: *existed says which), -1 on a read error. */
static int unchanged(worker *w, const cs_article *a, const char *hash, int *existed)
{
    char term[CS_MAX_TERM_BYTES + 8];
    int n = cs_idterm(a->id, term, sizeof term);
    xc_docid did;
    xc_error e;
    *existed = 0;
    if (n < 0)
        return 0;   /* the builder reports the bad id */
    int found = xc_wdb_find_term(w->db, term, (size_t)n, &did, &e);
    if (found <= 0)
        return found;
    *existed = 1;
    xc_document *doc;
    if (xc_wdb_get_document(w->db, did, &doc, &e) < 0)
        return -1;
    char *val = NULL;
    size_t len = 0;
    int same = xc_document_get_value(doc, CS_SLOT_HASH, &val, &len, &e) == 0 &&
               len == 16 && memcmp(val, hash, 16) == 0;
    free(val);
    xc_document_free(doc);
    return same;
}

/* Index one article into this worker's shard. Errors are per article:
 * reported, counted, and the run goes on. */
static void index_one(worker *w, cs_article *a)
{
    char hash[17], msg[600];
    int existed;
    cs_article_hash(a, hash);
    int same = unchanged(w, a, hash, &existed);
    if (same == 1) {
        w->counts.unchanged++;
        return;
    }
    xc_document *doc = cs_build_document(w->builder, a, hash, msg, sizeof msg);
    if (!doc) {
        report(w->ix, a, msg);
        w->counts.failed++;
        return;
    }
    char term[CS_MAX_TERM_BYTES + 8];
    int n = cs_idterm(a->id, term, sizeof term);
    xc_error e;
    if (xc_wdb_replace_by_term(w->db, term, (size_t)n, doc, NULL, &e) < 0) {
        report(w->ix, a, e.message);
        w->counts.failed++;
    } else if (existed) {
        w->counts.updated++;
    } else {
        w->counts.added++;
    }
    xc_document_free(doc);
}

/* Commit when a batch is full, so memory stays bounded and a crash loses at
 * most one batch. A failed commit is fatal for the worker. */
static void maybe_commit(worker *w, int force)
{
    if (w->failed || (!force && ++w->since_commit < w->ix->batch_docs))
        return;
    xc_error e;
    char when[32];
    time_t t = time(NULL);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    if (xc_wdb_set_metadata(w->db, "cs:updated", when, strlen(when), &e) < 0 ||
        xc_wdb_commit(w->db, &e) < 0) {
        snprintf(w->error, sizeof w->error, "commit failed: %s", e.message);
        pthread_mutex_lock(&w->mu);   /* cs_indexer_add reads it */
        w->failed = 1;
        pthread_cond_broadcast(&w->not_full);
        pthread_mutex_unlock(&w->mu);
    }
    w->since_commit = 0;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    for (;;) {
        pthread_mutex_lock(&w->mu);
        while (w->count == 0 && !w->closing)
            pthread_cond_wait(&w->not_empty, &w->mu);
        if (w->count == 0) {
            pthread_mutex_unlock(&w->mu);
            break;
        }
        cs_article *a = w->queue[w->head];
        w->head = (w->head + 1) % QUEUE_CAP;
        w->count--;
        pthread_cond_signal(&w->not_full);
        pthread_mutex_unlock(&w->mu);

        if (!w->failed) {
            index_one(w, a);
            maybe_commit(w, 0);
        }
        cs_article_free(a);
    }
    maybe_commit(w, 1);
    return NULL;
}

/* Opens shard i and its builder. Returns 0 or -1 with a message. */
static int worker_open(cs_indexer *ix, unsigned i, char *errbuf, size_t errlen)
{
    worker *w = &ix->w[i];
    w->ix = ix;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->not_empty, NULL);
    pthread_cond_init(&w->not_full, NULL);
    xc_error e;
    w->db = xc_wdb_open(ix->layout.shard[i], XC_DB_CREATE_OR_OPEN, &e);
    if (!w->db) {
        if (e.code == XC_ERR_DATABASE_LOCK)
            snprintf(errbuf, errlen, "index %s is being written by another process "
                     "(%s)", ix->dir, e.message);
        else
            snprintf(errbuf, errlen, "cannot open %s for writing: %s",
                     ix->layout.shard[i], e.message);
        return -1;
    }
    const char *why = NULL;
    w->builder = cs_docbuilder_new(&why);
    if (!w->builder) {
        snprintf(errbuf, errlen, "%s", why);
        return -1;
    }
    return 0;
}

static void indexer_free(cs_indexer *ix)
{
    for (unsigned i = 0; i < ix->layout.nshards; i++) {
        worker *w = &ix->w[i];
        if (w->db)
            xc_wdb_close(w->db);
        cs_docbuilder_free(w->builder);
        for (size_t k = 0; k < w->count; k++)
            cs_article_free(w->queue[(w->head + k) % QUEUE_CAP]);
        if (w->ix) {
            pthread_mutex_destroy(&w->mu);
            pthread_cond_destroy(&w->not_empty);
            pthread_cond_destroy(&w->not_full);
        }
    }
    pthread_mutex_destroy(&ix->report_mu);
    cs_layout_free(&ix->layout);
    free(ix->dir);
    free(ix);
}

/* Stop the workers (after they drain their queues) and wait for them. */
static void stop_workers(cs_indexer *ix)
{
    for (unsigned i = 0; i < ix->layout.nshards; i++) {
        worker *w = &ix->w[i];
        if (!w->started)
            continue;
        pthread_mutex_lock(&w->mu);
        w->closing = 1;
        pthread_cond_signal(&w->not_empty);
        pthread_mutex_unlock(&w->mu);
        pthread_join(w->thread, NULL);
        w->started = 0;
    }
}

cs_indexer *cs_indexer_open(const char *dir, const cs_index_opts *opts,
                            cs_index_error_fn on_error, void *ud,
                            char *errbuf, size_t errlen)
{
    cs_indexer *ix = calloc(1, sizeof *ix);
    if (!ix || !(ix->dir = strdup(dir))) {
        snprintf(errbuf, errlen, "out of memory");
        free(ix);
        return NULL;
    }
    pthread_mutex_init(&ix->report_mu, NULL);
    ix->on_error = on_error;
    ix->ud = ud;
    ix->batch_docs = opts && opts->batch_docs ? opts->batch_docs : 5000;
    if (cs_layout_load(dir, opts ? opts->shards : 0, &ix->layout, errbuf, errlen) < 0) {
        indexer_free(ix);
        return NULL;
    }
    for (unsigned i = 0; i < ix->layout.nshards; i++) {
        if (worker_open(ix, i, errbuf, errlen) < 0) {
            indexer_free(ix);
            return NULL;
        }
    }
    if (ix->layout.is_new) {
        /* Commit the empty shards before the stub names them, so a reader
         * never finds a stub pointing at nothing. */
        for (unsigned i = 0; i < ix->layout.nshards; i++) {
            xc_error e;
            if (xc_wdb_commit(ix->w[i].db, &e) < 0) {
                snprintf(errbuf, errlen, "cannot create the index: %s", e.message);
                indexer_free(ix);
                return NULL;
            }
        }
        if (cs_layout_write_stub(dir, &ix->layout, errbuf, errlen) < 0) {
            indexer_free(ix);
            return NULL;
        }
    }
    for (unsigned i = 0; i < ix->layout.nshards; i++) {
        if (pthread_create(&ix->w[i].thread, NULL, worker_main, &ix->w[i]) != 0) {
            snprintf(errbuf, errlen, "cannot start an indexing thread");
            stop_workers(ix);
            indexer_free(ix);
            return NULL;
        }
        ix->w[i].started = 1;
    }
    return ix;
}

/* The shard an id belongs to: FNV-1a of the id. Must never change for an
 * existing index, or replacing an article would duplicate it. */
static unsigned shard_of(const cs_indexer *ix, const char *id)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h % ix->layout.nshards;
}

int cs_indexer_add(cs_indexer *ix, cs_article *a)
{
    worker *w = &ix->w[shard_of(ix, a->id ? a->id : "")];
    pthread_mutex_lock(&w->mu);
    while (w->count == QUEUE_CAP && !w->failed)
        pthread_cond_wait(&w->not_full, &w->mu);
    int failed = w->failed;
    if (!failed) {
        w->queue[(w->head + w->count) % QUEUE_CAP] = a;
        w->count++;
        pthread_cond_signal(&w->not_empty);
    }
    pthread_mutex_unlock(&w->mu);
    if (failed) {
        cs_article_free(a);
        return -1;
    }
    return 0;
}

int cs_indexer_finish(cs_indexer *ix, cs_index_counts *counts, char *errbuf,
                      size_t errlen)
{
    stop_workers(ix);
    int rc = 0;
    memset(counts, 0, sizeof *counts);
    for (unsigned i = 0; i < ix->layout.nshards; i++) {
        worker *w = &ix->w[i];
        counts->added += w->counts.added;
        counts->updated += w->counts.updated;
        counts->unchanged += w->counts.unchanged;
        counts->failed += w->counts.failed;
        if (w->failed && rc == 0) {
            snprintf(errbuf, errlen, "%s", w->error);
            rc = -1;
        }
    }
    indexer_free(ix);
    return rc;
}
