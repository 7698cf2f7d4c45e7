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
 * -> worker (hash check, build, replace, commit per batch) -> at the end,
 * prune and commit; a rebuild then swaps the new generation in.
 */
#include "indexer.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bodycodec.h"
#include "docformat.h"
#include "idset.h"
#include "index_layout.h"
#include "pairwords.h"
#include "xapian_c.h"

/* Deep enough that a shard busy committing does not stall the reader (and
 * with it the other shards) for the length of its commit. */
#define QUEUE_CAP 512
/* Small batches measured fastest as well as leanest: Xapian keeps a batch's
 * postings in std::maps that slow down as they grow, while flushing a small
 * batch into the B-trees is cheap. On baomoi (35,440 articles, 2 shards):
 * 5000 -> 40.6 s, 420 MB; 1000 -> 31.2 s, 104 MB; 250 -> 22.7 s, 44 MB;
 * 100 -> 25.9 s (commit overhead wins). The byte bound keeps memory bounded
 * when articles are huge. */
#define DEFAULT_BATCH_DOCS 250
/* ...but a commit rewrites the B-tree block of every term its batch
 * touched, and as a shard grows those terms fall in more, different
 * blocks: in a 300k-article synthetic build, pwrite's share of the CPU
 * tripled between the first and the last fifth. So by default a shard's
 * batch grows with it, one article per BATCH_GROWTH it holds, up to
 * MAX_GROWN_BATCH_DOCS (250 until 64k articles a shard; 1000-article
 * batches took about 50 MB a shard on baomoi). */
#define BATCH_GROWTH 256
#define MAX_GROWN_BATCH_DOCS 1000
#define DEFAULT_BATCH_BYTES (8u * 1024u * 1024u)

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
    size_t done;                /* articles processed (progress) */
    int closing;
    int prune_ok;               /* set with closing: prune after draining */
    int failed;                 /* fatal: a commit failed */
    char error[640];
    unsigned since_commit;
    uint32_t shard_docs;        /* articles in the shard (for the batch size) */
    size_t bytes_since_commit;
    cs_idset seen;              /* ids this run saw (for pruning) */
    cs_idset spell;             /* words and article counts, not yet given to Xapian */
    cs_codec *codec;            /* how bodies are stored (bodycodec.h) */
    unsigned spell_docs;        /* articles counted in `spell` */
    int seen_oom;
    cs_index_counts counts;
} worker;

struct cs_indexer {
    char *dir;
    cs_layout layout;
    char old_generation[32];    /* what a rebuild replaces */
    cs_index_opts opts;
    int lock_fd;
    int is_new;                 /* layout.generation was created by this run */
    int prune;
    cs_index_error_fn on_error;
    void *ud;
    pthread_mutex_t report_mu;  /* serialises on_error calls */
    /* No body dictionary yet: the first articles wait here to train one. */
    int training;
    /* Phrase pairs (pairwords.h): the list the shards hold (NULL: none),
     * parsed for the builders. */
    char *pairs_list;
    size_t pairs_len;
    cs_pairwords *pairs;
    char *warning;              /* cs_indexer_warning; NULL for none */
    cs_article **pending;
    size_t npending, pending_cap, pending_bytes;
    worker w[CS_MAX_SHARDS];
};

static void report(cs_indexer *ix, const char *source, const char *msg)
{
    if (!ix->on_error)
        return;
    pthread_mutex_lock(&ix->report_mu);
    ix->on_error(source, msg, ix->ud);
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
    if (w->ix->prune && !w->seen_oom && a->id &&
        cs_idset_add(&w->seen, a->id, strlen(a->id)) < 0)
        w->seen_oom = 1;   /* pruning now could remove too much: it is skipped */
    cs_article_hash(a, hash);
    int same = unchanged(w, a, hash, &existed);
    if (same == 1) {
        w->counts.unchanged++;
        return;
    }
    if (w->ix->opts.dry_run) {
        existed ? w->counts.updated++ : w->counts.added++;
        return;
    }
    xc_document *doc = cs_build_document(w->builder, a, hash, msg, sizeof msg);
    if (!doc) {
        report(w->ix, a->source ? a->source : a->id, msg);
        w->counts.failed++;
        return;
    }
    char term[CS_MAX_TERM_BYTES + 8];
    int n = cs_idterm(a->id, term, sizeof term);
    xc_error e;
    /* The spelling table ("did you mean") counts each word once per
     * article. An updated article adds its words again: frequencies only
     * rank suggestions, so the drift is harmless. Counted here and given to
     * Xapian every SPELL_FLUSH_DOCS articles (see flush_spelling). */
    size_t nw;
    const char *const *words = cs_docbuilder_words(w->builder, &nw);
    for (size_t i = 0; i < nw; i++)
        if (cs_idset_count(&w->spell, words[i], strlen(words[i]), 1) < 0 &&
            xc_wdb_add_spelling(w->db, words[i], strlen(words[i]), 1, &e) < 0)
            break;
    w->spell_docs++;
    if (xc_wdb_replace_by_term(w->db, term, (size_t)n, doc, NULL, &e) < 0) {
        report(w->ix, a->source ? a->source : a->id, e.message);
        w->counts.failed++;
    } else if (existed) {
        w->counts.updated++;
    } else {
        w->counts.added++;
        w->shard_docs++;
    }
    w->bytes_since_commit += a->body_len + strlen(a->title);
    xc_document_free(doc);
}

/* Marks the worker failed (cs_indexer_add reads the flag). */
static void fail_worker(worker *w, const char *what, const char *msg)
{
    snprintf(w->error, sizeof w->error, "%s: %s", what, msg);
    pthread_mutex_lock(&w->mu);
    w->failed = 1;
    pthread_cond_broadcast(&w->not_full);
    pthread_mutex_unlock(&w->mu);
}

/* Spelling words go to Xapian in bulk: for the first add of a word after
 * each commit Xapian looks the word up in its spelling table, and with a
 * commit every 250 articles that was 10-15% of indexing time on baomoi
 * (38.5 vs 44.4 CPU-s without spelling). After a crash, the words of at
 * most this many committed articles per shard are missing from the
 * suggestions (never from the index). */
#define SPELL_FLUSH_DOCS 4000

static int add_spelling(const char *word, unsigned count, void *ud)
{
    xc_error e;
    return xc_wdb_add_spelling(ud, word, strlen(word), count, &e) < 0;
}

static int flush_spelling(worker *w, xc_error *e)
{
    int rc = cs_idset_each(&w->spell, add_spelling, w->db);
    cs_idset_free(&w->spell);
    w->spell_docs = 0;
    if (rc)
        snprintf(e->message, sizeof e->message, "cannot add spelling data");
    return rc ? -1 : 0;
}

/* Articles per commit for w's shard: the fixed --batch when given,
 * else DEFAULT_BATCH_DOCS growing with the shard (see BATCH_GROWTH). */
static unsigned batch_docs(const worker *w)
{
    if (w->ix->opts.batch_docs)
        return w->ix->opts.batch_docs;
    uint32_t grown = w->shard_docs / BATCH_GROWTH;
    if (grown > MAX_GROWN_BATCH_DOCS)
        grown = MAX_GROWN_BATCH_DOCS;
    return grown > DEFAULT_BATCH_DOCS ? grown : DEFAULT_BATCH_DOCS;
}

/* Commit when a batch is full (articles or bytes), so memory stays bounded
 * and a crash loses at most one batch. A failed commit is fatal. */
static void maybe_commit(worker *w, int force)
{
    const cs_index_opts *o = &w->ix->opts;
    if (w->failed || o->dry_run)
        return;
    if (!force && ++w->since_commit < batch_docs(w) && w->bytes_since_commit < o->batch_bytes)
        return;
    xc_error e;
    if ((force || w->spell_docs >= SPELL_FLUSH_DOCS) && flush_spelling(w, &e) < 0) {
        fail_worker(w, "commit failed", e.message);
        return;
    }
    char when[32];
    time_t t = time(NULL);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    if (xc_wdb_set_metadata(w->db, "cs:updated", when, strlen(when), &e) < 0 ||
        xc_wdb_commit(w->db, &e) < 0)
        fail_worker(w, "commit failed", e.message);
    w->since_commit = 0;
    w->bytes_since_commit = 0;
}

/* ---- pruning -------------------------------------------------------------------- */

typedef struct prune_ctx {
    worker *w;
    cs_idset unseen;      /* id terms ("Q...") not seen by this run */
    int oom;
} prune_ctx;

static int collect_unseen(const char *term, size_t len, uint32_t freq, void *ud)
{
    (void)freq;
    prune_ctx *p = ud;
    if (!cs_idset_has(&p->w->seen, term + 1, len - 1) &&
        cs_idset_add(&p->unseen, term, len) < 0)
        p->oom = 1;
    return p->oom;
}

/* Is `source` ("path" or "path:line") under one of the prune roots? */
static int under_roots(const cs_index_opts *o, const char *src, size_t len)
{
    for (size_t i = 0; i < o->nprune_roots; i++) {
        size_t rl = strlen(o->prune_roots[i]);
        if (len >= rl && memcmp(src, o->prune_roots[i], rl) == 0 &&
            (len == rl || src[rl] == '/' || src[rl] == ':'))
            return 1;
    }
    return 0;
}

/* Remove the articles of this shard that came from under the prune roots
 * but were not seen by this run: their file (or JSON line) is gone. */
static void prune_shard(worker *w)
{
    prune_ctx p = {.w = w};
    xc_error e;
    if (xc_wdb_allterms(w->db, CS_PREFIX_ID, collect_unseen, &p, &e) < 0 || p.oom) {
        fail_worker(w, "prune failed", p.oom ? "out of memory" : e.message);
        cs_idset_free(&p.unseen);
        return;
    }
    for (size_t i = 0; i < p.unseen.cap && !w->failed; i++) {
        const char *term = p.unseen.slots[i];
        xc_docid did;
        xc_document *doc = NULL;
        char *src = NULL;
        size_t len = 0;
        if (!term || xc_wdb_find_term(w->db, term, strlen(term), &did, &e) <= 0 ||
            xc_wdb_get_document(w->db, did, &doc, &e) < 0)
            continue;
        if (xc_document_get_value(doc, CS_SLOT_SOURCE, &src, &len, &e) == 0 &&
            under_roots(&w->ix->opts, src, len)) {
            if (w->ix->opts.dry_run || xc_wdb_delete_by_term(w->db, term, strlen(term), &e) == 0)
                w->counts.removed++;
            else
                report(w->ix, term + 1, e.message);
        }
        free(src);
        xc_document_free(doc);
    }
    cs_idset_free(&p.unseen);
}

/* ---- workers --------------------------------------------------------------------- */

static void *worker_main(void *arg)
{
    worker *w = arg;
    int prune = 0;
    for (;;) {
        pthread_mutex_lock(&w->mu);
        while (w->count == 0 && !w->closing)
            pthread_cond_wait(&w->not_empty, &w->mu);
        if (w->count == 0) {
            prune = w->prune_ok && w->ix->prune;
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
        pthread_mutex_lock(&w->mu);
        w->done++;
        pthread_mutex_unlock(&w->mu);
    }
    if (prune && !w->failed && !w->seen_oom)
        prune_shard(w);
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
    /* A rebuild's generation is synced once at the end instead of at each
     * batch's commit (~10% of a baomoi build): until the swap no reader
     * relies on it, and a power cut can only cost it, never the live index.
     * A first build is live from its first batch (cs_indexer_open), so it
     * syncs each commit like an incremental run: after a power cut a rerun
     * must find every committed batch. */
    int unseen = ix->is_new && ix->opts.rebuild;
    int mode = XC_DB_CREATE_OR_OPEN | (unseen ? XC_DB_NO_SYNC : 0);
    w->db = xc_wdb_open(ix->layout.shard[i], mode, &e);
    if (!w->db) {
        snprintf(errbuf, errlen, "cannot open %s for writing: %s", ix->layout.shard[i],
                 e.message);
        return -1;
    }
    if (xc_wdb_doccount(w->db, &w->shard_docs, &e) < 0) {
        snprintf(errbuf, errlen, "cannot read %s: %s", ix->layout.shard[i], e.message);
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
        cs_idset_free(&w->seen);
        cs_idset_free(&w->spell);
        cs_codec_free(w->codec);
        if (w->ix) {
            pthread_mutex_destroy(&w->mu);
            pthread_cond_destroy(&w->not_empty);
            pthread_cond_destroy(&w->not_full);
        }
    }
    for (size_t k = 0; k < ix->npending; k++)
        cs_article_free(ix->pending[k]);
    free(ix->pending);
    cs_pairwords_free(ix->pairs);
    free(ix->pairs_list);
    free(ix->warning);
    pthread_mutex_destroy(&ix->report_mu);
    cs_layout_free(&ix->layout);
    cs_layout_unlock(ix->lock_fd);
    free(ix->dir);
    free(ix);
}

/* Stop the workers (after they drain their queues; pruning unless the run
 * was abandoned) and wait for them. */
static void stop_workers(cs_indexer *ix, int abandon)
{
    for (unsigned i = 0; i < ix->layout.nshards; i++) {
        worker *w = &ix->w[i];
        if (!w->started)
            continue;
        pthread_mutex_lock(&w->mu);
        w->closing = 1;
        w->prune_ok = !abandon;
        pthread_cond_signal(&w->not_empty);
        pthread_mutex_unlock(&w->mu);
        pthread_join(w->thread, NULL);
        w->started = 0;
    }
}

/* A rebuild keeps the phrase pairs of the index it replaces (unless told
 * otherwise): their list, from the shards of `cur`, in ix->pairs_list (NULL
 * when it has none). A rebuild is also how a damaged index is repaired, so
 * an index that cannot be read is rebuilt without them, with a warning. */
static void read_old_pairs(cs_indexer *ix, const cs_layout *cur)
{
    xc_error e;
    xc_database *db = xc_database_open_shards((const char *const *)cur->shard, cur->nshards,
                                              &e);
    int rc = db ? xc_database_get_metadata(db, CS_PAIRWORDS_KEY, &ix->pairs_list,
                                           &ix->pairs_len, &e)
                : -1;
    if (db)
        xc_database_close(db);
    /* Not an article that failed (on_error): a warning the caller shows. */
    if (rc < 0 && asprintf(&ix->warning, "cannot read the index being rebuilt (%s): "
                           "rebuilding it without phrase pairs (--phrase-pairs adds them)",
                           e.message) < 0)
        ix->warning = NULL;   /* out of memory: the rebuild goes on unsaid */
    if (rc < 0 || !ix->pairs_len) {
        free(ix->pairs_list);
        ix->pairs_list = NULL;
        ix->pairs_len = 0;
    }
}

/* Find the shards to write: the current generation, or a new one (first
 * run, or a rebuild). 0 or -1 with a message. */
static int choose_layout(cs_indexer *ix, char *errbuf, size_t errlen)
{
    cs_layout cur;
    int rc = cs_layout_read(ix->dir, &cur, errbuf, errlen);
    if (rc < 0)
        return -1;
    if (rc == 0 && !ix->opts.rebuild) {
        ix->layout = cur;
        return 0;
    }
    if (rc == 0) {
        if (!cur.generation[0]) {
            snprintf(errbuf, errlen, "%s is a bare Xapian database; --rebuild needs an "
                     "index folder made by corpsearch", ix->dir);
            cs_layout_free(&cur);
            return -1;
        }
        memcpy(ix->old_generation, cur.generation, sizeof cur.generation);
        if (ix->opts.phrase_pairs == 0 && !ix->opts.dry_run)
            read_old_pairs(ix, &cur);
        /* A rebuild shards like a new index (a compacted one has a single
         * shard: rebuilt like that, it would use one core). */
        cs_layout_free(&cur);
    }
    ix->is_new = 1;
    return cs_layout_new_generation(ix->dir, ix->opts.shards, &ix->layout, errbuf, errlen);
}

/* ---- values every shard holds in its metadata ---------------------------------- */

/* The value of metadata `key` in the first shard holding one, malloc'd in
 * *val (*len bytes; NULL and 0 when no shard has it), and in *at that
 * shard's index (nshards when none). Such values are given to the shards
 * in order, each committed, before any article: only the shards before *at
 * can lack it (a crash between those commits). 0, or -1 with a message. */
static int first_metadata(cs_indexer *ix, const char *key, char **val, size_t *len,
                          unsigned *at, char *errbuf, size_t errlen)
{
    xc_error e;
    *val = NULL;
    *len = 0;
    for (*at = 0; *at < ix->layout.nshards; ++*at) {
        if (xc_wdb_get_metadata(ix->w[*at].db, key, val, len, &e) < 0) {
            snprintf(errbuf, errlen, "cannot read the index: %s", e.message);
            return -1;
        }
        if (*len)
            return 0;
        free(*val);
        *val = NULL;
    }
    return 0;
}

/* Stores key = val[0..len) in shards [from, to), committing each. 0, or -1
 * with *e set and *failed the shard that failed. */
static int store_metadata(cs_indexer *ix, const char *key, const char *val, size_t len,
                          unsigned from, unsigned to, unsigned *failed, xc_error *e)
{
    for (unsigned i = from; i < to; i++)
        if (xc_wdb_set_metadata(ix->w[i].db, key, val, len, e) < 0 ||
            xc_wdb_commit(ix->w[i].db, e) < 0) {
            *failed = i;
            return -1;
        }
    return 0;
}

/* ---- the body dictionary (bodycodec.h) ---------------------------------------- */

/* Every worker's codec for dict[0..len) (len 0: bodies raw). All or
 * nothing: on failure (out of memory, not a dictionary) every worker is left
 * storing bodies raw, so no body is ever compressed with a dictionary that
 * is not stored. 0 or -1. */
static int set_codecs(cs_indexer *ix, const char *dict, size_t len)
{
    cs_codec *c[CS_MAX_SHARDS] = {0};
    unsigned n = ix->layout.nshards, ok = 0;
    while (ok < n && (c[ok] = cs_codec_new(dict, len)))
        ok++;
    for (unsigned i = 0; i < n; i++) {
        worker *w = &ix->w[i];
        cs_codec_free(w->codec);
        w->codec = ok == n ? c[i] : NULL;
        if (ok < n)
            cs_codec_free(c[i]);
        cs_docbuilder_set_codec(w->builder, w->codec);
    }
    return ok == n ? 0 : -1;
}

/* The dictionary the shards hold: the first one found (they are given the
 * same one, committed to all before any body uses it; a shard that missed
 * it, after a crash between those commits, is given it here). 1 when there
 * is one, 0 when not (this run trains one from its first articles), -1
 * with a message on error. */
static int load_dict(cs_indexer *ix, char *errbuf, size_t errlen)
{
    char *d;
    size_t len;
    unsigned at, failed;
    xc_error e;
    if (first_metadata(ix, CS_ZDICT_KEY, &d, &len, &at, errbuf, errlen) < 0)
        return -1;
    int rc = 0;
    if (len) {
        rc = set_codecs(ix, d, len);
        if (rc == 0)   /* the shards before `at` lack it */
            rc = store_metadata(ix, CS_ZDICT_KEY, d, len, 0, at, &failed, &e);
    }
    free(d);
    if (rc < 0) {
        snprintf(errbuf, errlen, "the index's body dictionary (%s) is unreadable or cannot "
                 "be copied to every shard", CS_ZDICT_KEY);
        return -1;
    }
    return len ? 1 : 0;
}

/* Train the dictionary on the waiting articles, store and commit it in
 * every shard, and only then pass the articles on: readers find it in the
 * first shard, so no compressed body may exist before every shard has it.
 * Too little text to train on (or a failure to store it): bodies are
 * stored raw, and a later run tries again. 0, or -1 when a worker failed. */
static int dispatch(cs_indexer *ix, cs_article *a);
static int release_pending(cs_indexer *ix)
{
    ix->training = 0;
    const char **samples = malloc((ix->npending ? ix->npending : 1) * sizeof *samples);
    size_t *lens = malloc((ix->npending ? ix->npending : 1) * sizeof *lens);
    char *dict = NULL;
    size_t dlen = 0;
    for (size_t k = 0; samples && lens && k < ix->npending; k++) {
        samples[k] = ix->pending[k]->body ? ix->pending[k]->body : "";
        lens[k] = ix->pending[k]->body ? ix->pending[k]->body_len : 0;
    }
    if (samples && lens && cs_codec_train(samples, lens, ix->npending, &dict, &dlen) == 0) {
        /* The workers are idle (nothing dispatched yet): their databases
         * are ours for the moment. */
        unsigned failed;
        xc_error e;
        if (store_metadata(ix, CS_ZDICT_KEY, dict, dlen, 0, ix->layout.nshards, &failed,
                           &e) < 0)
            report(ix, ix->layout.shard[failed], e.message);
        else
            set_codecs(ix, dict, dlen);
    }
    free(dict);
    free(lens);
    free(samples);
    int rc = 0;
    for (size_t k = 0; k < ix->npending; k++)
        if (dispatch(ix, ix->pending[k]) < 0)
            rc = -1;
    ix->npending = 0;
    return rc;
}

/* The phrase pairs of this run (pairwords.h; cs_index_opts.phrase_pairs),
 * given to every builder. A new generation gets the list chosen, stored
 * and committed in every shard before any article, so a reader or a later
 * run finds it before any article that has its pairs; an existing one
 * keeps the list its shards hold (first_metadata; the shards that missed
 * it are given it). A dry run only checks the choice. 0, or -1 with a
 * message. */
static int setup_pairs(cs_indexer *ix, char *errbuf, size_t errlen)
{
    int want = ix->opts.phrase_pairs;
    unsigned n = ix->layout.nshards, failed;   /* store in shards [0, n) */
    if (ix->is_new) {
        if (want != 0) {
            free(ix->pairs_list);
            ix->pairs_list = want > 0 ? cs_pairwords_default_list(&ix->pairs_len) : NULL;
            if (want > 0 && !ix->pairs_list) {
                snprintf(errbuf, errlen, "out of memory");
                return -1;
            }
        }
    } else {
        if (first_metadata(ix, CS_PAIRWORDS_KEY, &ix->pairs_list, &ix->pairs_len, &n, errbuf,
                           errlen) < 0)
            return -1;
        if ((want > 0) != (ix->pairs_list != NULL) && want != 0) {
            /* A bare Xapian database cannot be rebuilt in place
             * (choose_layout): the way is a new index folder. */
            const char *how = !ix->layout.generation[0]
                                  ? "a bare Xapian database cannot be rebuilt in place; index "
                                    "into a new folder with"
                                  : want > 0 ? "add them with --rebuild" : "drop them with --rebuild";
            snprintf(errbuf, errlen, "this index was built %s phrase pairs: %s %s",
                     want > 0 ? "without" : "with", how,
                     want > 0 ? "--phrase-pairs" : "--no-phrase-pairs");
            return -1;
        }
    }
    if (ix->opts.dry_run || !ix->pairs_list)
        return 0;
    xc_error e;
    if (store_metadata(ix, CS_PAIRWORDS_KEY, ix->pairs_list, ix->pairs_len, 0, n, &failed,
                       &e) < 0) {
        snprintf(errbuf, errlen, "cannot store the phrase pair list in %s: %s",
                 ix->layout.shard[failed], e.message);
        return -1;
    }
    if (!(ix->pairs = cs_pairwords_new(ix->pairs_list, ix->pairs_len))) {
        snprintf(errbuf, errlen, errno == ENOMEM ? "out of memory"
                                 : "the index's phrase pair list (%s) holds no word",
                 CS_PAIRWORDS_KEY);
        return -1;
    }
    for (unsigned i = 0; i < ix->layout.nshards; i++)
        cs_docbuilder_set_pairs(ix->w[i].builder, ix->pairs);
    return 0;
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
    if (opts)
        ix->opts = *opts;
    /* opts.batch_docs stays 0 for the default: batch_docs() grows it. */
    if (!ix->opts.batch_bytes)
        ix->opts.batch_bytes = DEFAULT_BATCH_BYTES;
    ix->prune = ix->opts.nprune_roots > 0;
    ix->lock_fd = cs_layout_lock(dir, ix->opts.wait, errbuf, errlen);
    if (ix->lock_fd < 0 || choose_layout(ix, errbuf, errlen) < 0) {
        indexer_free(ix);
        return NULL;
    }
    for (unsigned i = 0; i < ix->layout.nshards; i++) {
        if (worker_open(ix, i, errbuf, errlen) < 0) {
            indexer_free(ix);
            return NULL;
        }
    }
    if (!ix->opts.dry_run) {
        int has = load_dict(ix, errbuf, errlen);
        if (has < 0) {
            indexer_free(ix);
            return NULL;
        }
        ix->training = !has;
    }
    if ((!ix->opts.dry_run || !ix->is_new) && setup_pairs(ix, errbuf, errlen) < 0) {
        indexer_free(ix);
        return NULL;
    }
    if (ix->is_new && !ix->opts.rebuild && !ix->opts.dry_run) {
        /* A first build is visible from its first committed batch on:
         * commit the empty shards, then name them in the stub, so a reader
         * never finds a stub pointing at nothing. (A rebuild swaps the stub
         * only when it is complete.) */
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
            stop_workers(ix, 1);
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
    if (!ix->training)
        return dispatch(ix, a);
    if (ix->npending == ix->pending_cap) {
        size_t cap = ix->pending_cap ? ix->pending_cap * 2 : 256;
        cs_article **p = realloc(ix->pending, cap * sizeof *p);
        if (!p) {
            int rc = release_pending(ix);   /* train on what there is */
            return dispatch(ix, a) < 0 ? -1 : rc;
        }
        ix->pending = p;
        ix->pending_cap = cap;
    }
    ix->pending[ix->npending++] = a;
    ix->pending_bytes += a->body_len + strlen(a->title ? a->title : "") + 256;
    /* The byte bound (which counts titles and a per-article overhead, so a
     * corpus of empty bodies cannot pile up) keeps the wait short. */
    return ix->pending_bytes < CS_ZDICT_SAMPLE_BYTES ? 0 : release_pending(ix);
}

/* Queue `a` for its shard's worker (which frees it). -1 when the worker
 * failed (`a` is freed). */
static int dispatch(cs_indexer *ix, cs_article *a)
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

const char *cs_indexer_warning(const cs_indexer *ix)
{
    return ix->warning;
}

void cs_indexer_progress(cs_indexer *ix, size_t *queued, size_t *done)
{
    *queued = ix->npending;
    *done = 0;
    for (unsigned i = 0; i < ix->layout.nshards; i++) {
        worker *w = &ix->w[i];
        pthread_mutex_lock(&w->mu);
        *queued += w->done + w->count;
        *done += w->done;
        pthread_mutex_unlock(&w->mu);
    }
}

/* After a rebuild: name the new generation in the stub, then remove what
 * is older than the generation it replaced. */
static int swap_in(cs_indexer *ix, char *errbuf, size_t errlen)
{
    int rc = cs_layout_write_stub(ix->dir, &ix->layout, errbuf, errlen);
    if (rc < 0)
        return -1;
    if (rc == 0)   /* 1: the old stub may come back; keep all */
        cs_layout_cleanup(ix->dir, ix->layout.generation, ix->old_generation);
    return 0;
}

int cs_indexer_finish(cs_indexer *ix, int abandon, cs_index_counts *counts,
                      char *errbuf, size_t errlen)
{
    if (ix->training && !abandon)
        release_pending(ix);
    stop_workers(ix, abandon);
    int rc = 0;
    memset(counts, 0, sizeof *counts);
    for (unsigned i = 0; i < ix->layout.nshards; i++) {
        worker *w = &ix->w[i];
        counts->added += w->counts.added;
        counts->updated += w->counts.updated;
        counts->unchanged += w->counts.unchanged;
        counts->removed += w->counts.removed;
        counts->failed += w->counts.failed;
        if (w->failed && rc == 0) {
            snprintf(errbuf, errlen, "%s", w->error);
            rc = -1;
        }
    }
    int rebuild = ix->is_new && ix->opts.rebuild;
    /* Close the shards (their final commit is done) before swapping. */
    for (unsigned i = 0; i < ix->layout.nshards; i++) {
        xc_wdb_close(ix->w[i].db);
        ix->w[i].db = NULL;
    }
    /* A rebuild was written without syncing (worker_open): on disk before
     * the swap. */
    if (rc == 0 && !abandon && rebuild && !ix->opts.dry_run)
        rc = cs_layout_sync(&ix->layout, errbuf, errlen);
    if (rebuild && !ix->opts.dry_run) {
        if (rc == 0 && !abandon)
            rc = swap_in(ix, errbuf, errlen);
        else
            /* Keep the old index as it was; drop the half-built one. */
            cs_layout_cleanup(ix->dir, ix->old_generation, NULL);
    } else if (rebuild) {
        cs_layout_cleanup(ix->dir, ix->old_generation, NULL);
    }
    indexer_free(ix);
    return rc;
}

/* ---- compaction ---------------------------------------------------------------- */

int cs_index_compact(const char *dir, int wait, char *errbuf, size_t errlen)
{
    int fd = cs_layout_lock(dir, wait, errbuf, errlen);
    if (fd < 0)
        return -1;
    cs_layout cur, next;
    int rc = cs_layout_read(dir, &cur, errbuf, errlen);
    if (rc == 1)
        snprintf(errbuf, errlen, "no index at %s", dir);
    if (rc == 0 && !cur.generation[0]) {
        snprintf(errbuf, errlen, "%s is a bare Xapian database: compact it with "
                 "xapian-compact", dir);
        cs_layout_free(&cur);
        rc = -1;
    }
    if (rc != 0) {
        cs_layout_unlock(fd);
        return -1;
    }
    /* The shards are merged into one database: shards let both cores
     * write, but a search opens, descends and merges every shard's posting
     * lists (one database searched ~5% faster on the suite's queries at
     * baomoi). Incremental runs then write that one shard (their batches
     * are small); a rebuild shards again. Every shard holds the same body
     * dictionary, which Xapian keeps from the first. */
    rc = cs_layout_new_generation(dir, 1, &next, errbuf, errlen);
    xc_error e;
    if (rc == 0 && xc_compact((const char *const *)cur.shard, cur.nshards, next.shard[0], &e) < 0) {
        snprintf(errbuf, errlen, "compaction of %s failed: %s", dir, e.message);
        rc = -1;
    }
    /* Xapian syncs the tables it writes, not the new folders' entries. */
    if (rc == 0)
        rc = cs_layout_sync(&next, errbuf, errlen);
    if (rc == 0)
        rc = cs_layout_write_stub(dir, &next, errbuf, errlen);
    if (rc == 0)
        cs_layout_cleanup(dir, next.generation, cur.generation);
    else if (rc < 0 && next.generation[0])
        cs_layout_cleanup(dir, cur.generation, NULL);
    if (rc > 0)
        rc = 0;   /* in place, not synced: both generations kept */
    cs_layout_free(&cur);
    cs_layout_free(&next);
    cs_layout_unlock(fd);
    return rc;
}
