/* xapian_c.h -- a small C API over the Xapian C++ library.
 *
 * Every handle is opaque. Every function that can fail takes an `xc_error *`
 * (may be NULL) and reports failure by its return value: NULL for
 * constructors, a negative xc_status for int-returning calls. No C++
 * exception ever leaves this library: each entry point catches
 * Xapian::Error, std::bad_alloc and anything else, and turns it into a code
 * plus a message in `err`.
 *
 * Ownership: whoever gets a handle from xc_*_new/open/get frees it with the
 * matching xc_*_free/close. Strings returned through `char **` are malloc'd
 * and freed by the caller with free(). Query handles are immutable values:
 * combining queries copies them, so the caller still frees its own.
 *
 * Threads: a database, writable database or enquire handle must be used by
 * one thread at a time (Xapian objects are not thread-safe). Open one
 * database handle per thread.
 */
#ifndef XAPIAN_C_H
#define XAPIAN_C_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum xc_status {
    XC_OK = 0,
    XC_ERR_INVALID_ARGUMENT = -1,   /* NULL handle, bad slot, empty term... */
    XC_ERR_DATABASE_OPENING = -2,   /* no database there, wrong format */
    XC_ERR_DATABASE_LOCK = -3,      /* another writer holds the lock */
    XC_ERR_DATABASE_MODIFIED = -4,  /* revision gone: reopen and retry */
    XC_ERR_DATABASE_CORRUPT = -5,
    XC_ERR_DATABASE = -6,           /* other DatabaseError */
    XC_ERR_DOC_NOT_FOUND = -7,
    XC_ERR_QUERY = -8,              /* invalid query */
    XC_ERR_NETWORK = -9,            /* remote shard unreachable */
    XC_ERR_NO_MEMORY = -10,
    XC_ERR_RANGE = -11,
    XC_ERR_OTHER = -99
} xc_status;

typedef struct xc_error {
    xc_status code;
    char message[512];   /* "ExceptionType: message", NUL-terminated */
} xc_error;

/* Reset an error to XC_OK with an empty message. */
void xc_error_clear(xc_error *err);

/* The Xapian library version string, e.g. "1.4.22". Static storage. */
const char *xc_version(void);

typedef uint32_t xc_docid;
typedef uint32_t xc_slot;

typedef struct xc_database xc_database;
typedef struct xc_wdb xc_wdb;
typedef struct xc_document xc_document;
typedef struct xc_query xc_query;
typedef struct xc_enquire xc_enquire;
typedef struct xc_mset xc_mset;
typedef struct xc_facet xc_facet;
typedef struct xc_stemmer xc_stemmer;

/* ---- read-only database ------------------------------------------------ */

/* Open the database at `path`: a glass directory or a stub database file
 * listing shards (auto/remote lines). NULL on error. */
xc_database *xc_database_open(const char *path, xc_error *err);
/* Open the shards at paths[0..n) as one database, in that order (as a stub
 * file listing them would), keeping a handle on each for per-shard work
 * (xc_facet_count). NULL on error. */
xc_database *xc_database_open_shards(const char *const *paths, size_t n,
                                     xc_error *err);
void xc_database_close(xc_database *db);

/* Pick up the latest committed revision. Returns 1 if the database moved
 * to a newer revision, 0 if unchanged, negative xc_status on error. */
int xc_database_reopen(xc_database *db, xc_error *err);

/* 1 when a and b read the same shards (UUIDs, in order) at the same
 * committed revision each, 0 when not: then they hold the same documents
 * under the same docids, with the same contents. A negative xc_status when
 * the revisions are unknown: XC_ERR_INVALID_ARGUMENT when either was opened
 * from a stub path listing several shards (Xapian gives no revision for
 * those), another code for a backend without revisions (remote,
 * in-memory); compare xc_database_stats instead. */
int xc_database_same_revision(xc_database *a, xc_database *b, xc_error *err);

typedef struct xc_db_stats {
    uint32_t doccount;
    uint32_t lastdocid;
    double avlength;          /* average document length in terms */
    uint64_t total_length;
    int has_positions;
} xc_db_stats;

int xc_database_stats(xc_database *db, xc_db_stats *out, xc_error *err);

/* Number of documents indexed by `term` (0 if none). Negative on error. */
int xc_database_termfreq(xc_database *db, const char *term, size_t len,
                         uint32_t *out, xc_error *err);

/* First document indexed by `term`: 1 and *docid set if found, 0 if no
 * document has the term, negative on error. Use with unique-id terms. */
int xc_database_find_term(xc_database *db, const char *term, size_t len,
                          xc_docid *docid, xc_error *err);

/* Fetch a document; *out is freed by the caller with xc_document_free. */
int xc_database_get_document(xc_database *db, xc_docid did, xc_document **out,
                             xc_error *err);

/* User metadata by key. *out is malloc'd (NUL-terminated, *len bytes);
 * an absent key gives "" with *len 0. */
int xc_database_get_metadata(xc_database *db, const char *key, char **out,
                             size_t *len, xc_error *err);

/* 1 if document `did` has terms[0..n) at consecutive positions starting
 * below `limit`, 0 if not (or it lacks positions for one of them),
 * negative xc_status on error. */
int xc_database_phrase_before(xc_database *db, xc_docid did,
                              const char *const *terms, size_t n,
                              uint32_t limit, xc_error *err);

/* Calls fn for each term beginning with `prefix` (may be "") in sorted
 * order, with its term frequency. fn returns non-zero to stop early.
 * Returns the number of terms visited, or a negative xc_status. */
typedef int (*xc_term_fn)(const char *term, size_t len, uint32_t termfreq,
                          void *ud);
long xc_database_allterms(xc_database *db, const char *prefix, xc_term_fn fn,
                          void *ud, xc_error *err);

/* Spelling suggestion for `word` from the spelling table, at most
 * `max_edit` edits away. *out is malloc'd, "" when there is none. */
int xc_database_spelling(xc_database *db, const char *word, unsigned max_edit,
                         char **out, xc_error *err);

/* ---- writable database --------------------------------------------------- */

enum {
    XC_DB_CREATE_OR_OPEN = 1,
    XC_DB_CREATE_OR_OVERWRITE = 2,
    XC_DB_OPEN = 3,
    /* Or'd into a mode: commits do not wait for the disk (Xapian's
     * DB_NO_SYNC). A power cut can then corrupt the database; a process
     * killed cannot. The caller syncs the files before relying on them. */
    XC_DB_NO_SYNC = 0x100
};

/* Open a glass database for writing at `path` (a directory); `mode` is one
 * of the first three above, optionally | XC_DB_NO_SYNC. Fails with
 * XC_ERR_DATABASE_LOCK when another writer holds it. */
xc_wdb *xc_wdb_open(const char *path, int mode, xc_error *err);
/* Commits pending changes (errors ignored: call xc_wdb_commit first if you
 * need to know) and closes. */
void xc_wdb_close(xc_wdb *db);

/* Add or replace the document indexed by unique term `idterm`. Sets *did
 * (may be NULL) to its docid. */
int xc_wdb_replace_by_term(xc_wdb *db, const char *idterm, size_t len,
                           const xc_document *doc, xc_docid *did,
                           xc_error *err);
/* Delete documents indexed by `idterm`; deleting a missing one is OK. */
int xc_wdb_delete_by_term(xc_wdb *db, const char *idterm, size_t len,
                          xc_error *err);
int xc_wdb_commit(xc_wdb *db, xc_error *err);
int xc_wdb_set_metadata(xc_wdb *db, const char *key, const char *value,
                        size_t len, xc_error *err);
/* As xc_database_get_metadata, on a writable database. */
int xc_wdb_get_metadata(xc_wdb *db, const char *key, char **out, size_t *len,
                        xc_error *err);
int xc_wdb_add_spelling(xc_wdb *db, const char *word, size_t len,
                        unsigned freqinc, xc_error *err);
/* Read side of a writable database (sees uncommitted changes too). */
int xc_wdb_find_term(xc_wdb *db, const char *term, size_t len,
                     xc_docid *docid, xc_error *err);
int xc_wdb_get_document(xc_wdb *db, xc_docid did, xc_document **out,
                        xc_error *err);
int xc_wdb_doccount(xc_wdb *db, uint32_t *out, xc_error *err);
/* Like xc_database_allterms, on the writable database (uncommitted changes
 * included). fn must not change the database: collect, then change. */
long xc_wdb_allterms(xc_wdb *db, const char *prefix, xc_term_fn fn, void *ud,
                     xc_error *err);

/* Merge (compact) the databases at srcs[0..n) into a new database at
 * `dest`. Used to merge shards built in parallel. */
int xc_compact(const char *const *srcs, size_t n, const char *dest,
               xc_error *err);

/* ---- documents ------------------------------------------------------------- */

xc_document *xc_document_new(xc_error *err);
void xc_document_free(xc_document *doc);
int xc_document_set_data(xc_document *doc, const char *data, size_t len,
                         xc_error *err);
/* *out is malloc'd (NUL-terminated) and *len its length. */
int xc_document_get_data(const xc_document *doc, char **out, size_t *len,
                         xc_error *err);
int xc_document_add_posting(xc_document *doc, const char *term, size_t len,
                            uint32_t pos, uint32_t wdfinc, xc_error *err);
int xc_document_add_term(xc_document *doc, const char *term, size_t len,
                         uint32_t wdfinc, xc_error *err);
int xc_document_add_boolean_term(xc_document *doc, const char *term,
                                 size_t len, xc_error *err);
int xc_document_add_value(xc_document *doc, xc_slot slot, const char *val,
                          size_t len, xc_error *err);
/* *out malloc'd, "" with *len 0 when the slot is empty. */
int xc_document_get_value(const xc_document *doc, xc_slot slot, char **out,
                          size_t *len, xc_error *err);
xc_docid xc_document_docid(const xc_document *doc);
/* Calls fn for each term of the document starting with `prefix`. */
long xc_document_terms(const xc_document *doc, const char *prefix,
                       xc_term_fn fn, void *ud, xc_error *err);

/* ---- queries ---------------------------------------------------------------- */

typedef enum xc_op {
    XC_OP_AND,
    XC_OP_OR,
    XC_OP_AND_NOT,     /* first AND NOT (second OR third ...) */
    XC_OP_AND_MAYBE,   /* first, weight boosted by the others (when first has a
                          PHRASE or NEAR, described as AND(first, OR(others,
                          0 * <alldocuments>)): same matches and weights) */
    XC_OP_FILTER,      /* first, restricted by the others, no weight */
    XC_OP_PHRASE,      /* terms adjacent and in order (window = n terms) */
    XC_OP_NEAR,        /* terms within window, any order */
    XC_OP_SYNONYM,     /* OR, weighted as one term */
    XC_OP_ELITE_SET,
    XC_OP_MAX
} xc_op;

/* A term query; `wqf` within-query frequency (1 normally), `pos` the
 * term's position in the query (1-based, 0 if none). */
xc_query *xc_query_term(const char *term, size_t len, uint32_t wqf,
                        uint32_t pos, xc_error *err);
/* Combine `n` subqueries (copied, not taken). `window` is used by PHRASE
 * and NEAR (0 = number of subqueries). n == 0 gives the empty query. */
xc_query *xc_query_combine(xc_op op, xc_query *const *subs, size_t n,
                           uint32_t window, xc_error *err);
/* Terms starting with `prefix`, expanded at search time (at most
 * `max_expansion` terms, most frequent first; 0 = unlimited), combined
 * with SYNONYM. */
xc_query *xc_query_wildcard(const char *prefix, size_t len,
                            uint32_t max_expansion, xc_error *err);
/* Documents whose value in `slot` lies in [lo, hi] (string comparison;
 * lo or hi NULL for open-ended). */
xc_query *xc_query_value_range(xc_slot slot, const char *lo, const char *hi,
                               xc_error *err);
/* The documents of `db` with docids in ids[0..n) (any order; duplicates and
 * unknown docids are fine), for XC_OP_FILTER: to run a costly query over a
 * few candidates found by a cheaper one. Valid for searches of `db` (or of
 * the same database reopened, while its shards stay the same). */
xc_query *xc_query_docids(xc_database *db, const xc_docid *ids, size_t n,
                          xc_error *err);
/* The documents holding terms[0..n) at consecutive positions, the first
 * below `limit` (xc_database_phrase_before), weightless: for XC_OP_FILTER
 * or an AND, where it is asked only about the other subqueries' candidates
 * (it tells Xapian it may match every document, so it never leads). Alone
 * it walks terms[0]'s posting list. A check costs several times Xapian's
 * own phrase check: put it over a query that already holds the phrase. */
xc_query *xc_query_phrase_before(const char *const *terms, size_t n, uint32_t limit,
                                 xc_error *err);
/* `q` over part `part` (0-based) of `nparts` equal stretches of the docids
 * (of each shard's own, on a sharded database): the parts' matches are
 * q's, each in one part, with the weights they have in q. To rank a costly
 * query in parts, one thread each (xc_mset_merge). */
xc_query *xc_query_part(const xc_query *q, unsigned part, unsigned nparts, xc_error *err);
/* Multiply the weight of `q` by `factor` (>= 0). */
xc_query *xc_query_scale(const xc_query *q, double factor, xc_error *err);
xc_query *xc_query_match_all(xc_error *err);
int xc_query_is_empty(const xc_query *q);
/* 1 when q has a phrase or NEAR anywhere in it (0 for NULL). */
int xc_query_positional(const xc_query *q);
/* Human-readable form (Query::get_description), malloc'd. */
char *xc_query_describe(const xc_query *q);
void xc_query_free(xc_query *q);
/* A copy sharing nothing with `q` (Xapian queries share subtrees, whose
 * reference counts are not atomic): for use in another thread, on any
 * handle of the same database, xc_query_docids and xc_query_phrase_before
 * included (a docid set names its shards by UUID). Queries with the
 * wrapper's other posting sources (xc_query_part, samples) cannot be
 * copied. NULL on error. */
xc_query *xc_query_copy_deep(const xc_query *q, xc_error *err);

/* ---- searching --------------------------------------------------------------- */

xc_enquire *xc_enquire_new(xc_database *db, xc_error *err);
void xc_enquire_free(xc_enquire *enq);
int xc_enquire_set_query(xc_enquire *enq, const xc_query *q, xc_error *err);
/* BM25 parameters (Xapian defaults: k1 1, k2 0, k3 1, b 0.5, min_normlen 0.5). */
int xc_enquire_set_bm25(xc_enquire *enq, double k1, double k2, double k3,
                        double b, double min_normlen, xc_error *err);
/* Sort by the string value in `slot` (descending when `reverse`), ties by
 * relevance. */
int xc_enquire_set_sort_by_value(xc_enquire *enq, xc_slot slot, int reverse,
                                 xc_error *err);
int xc_enquire_set_sort_by_relevance(xc_enquire *enq, xc_error *err);
/* Keep at most `max` documents per distinct value in `slot`. */
int xc_enquire_set_collapse_key(xc_enquire *enq, xc_slot slot, uint32_t max,
                                xc_error *err);

/* Count facet values over the matching documents. The value in `slot` is a
 * list of items separated by byte `sep` (0: the whole value is one item);
 * each item is counted once per document. The facet handle is owned by the
 * enquire and valid until xc_enquire_free. Counts fill in during
 * xc_enquire_get_mset; pass checkatleast >= doccount for exact counts. */
xc_facet *xc_enquire_add_facet(xc_enquire *enq, xc_slot slot, char sep,
                               xc_error *err);
/* Calls fn for the `max` most frequent items (0 = all), most frequent first,
 * ties in item order. Returns the number of items reported. */
typedef int (*xc_facet_fn)(const char *item, size_t len, uint32_t count,
                           void *ud);
long xc_facet_top(const xc_facet *f, size_t max, xc_facet_fn fn, void *ud);
/* Count facet values (as xc_enquire_add_facet) over every document of `db`
 * matching `q`, ignoring weights. With `db` from xc_database_open_shards or
 * a single database, values are read through value streams, which is
 * faster than a spy on an enquire. When `max_docs` > 0 and Xapian
 * estimates more matches than that, every k-th docid is counted and the
 * counts (and docs seen) multiplied by k: see xc_facet_sample. Free with
 * xc_facet_free. NULL on error. */
xc_facet *xc_facet_count(xc_database *db, const xc_query *q, xc_slot slot,
                         char sep, uint32_t max_docs, xc_error *err);
/* xc_facet_count over part `part` (0-based) of `nparts` equal stretches of
 * the docids, with max_docs / nparts as its limit: the parts, counted on
 * separate handles in separate threads and merged (xc_facet_merge), give
 * the counts of the whole (exact when every part's are). With
 * keep_docids, the matches' docids are kept too (xc_facet_docids). */
xc_facet *xc_facet_count_part(xc_database *db, const xc_query *q, xc_slot slot,
                              char sep, uint32_t max_docs, unsigned part,
                              unsigned nparts, int keep_docids, xc_error *err);
/* Adds `from`'s counts and documents seen to `into`; the merged counts are
 * a sample (xc_facet_sample > 1) when either's were. 0, or negative with
 * *err set (out of memory). */
int xc_facet_merge(xc_facet *into, const xc_facet *from, xc_error *err);
/* 1 when the counts are exact, k when they come from every k-th document
 * (0 for NULL). */
uint32_t xc_facet_sample(const xc_facet *f);
/* The documents an exact count (xc_facet_count_part with keep_docids,
 * merged) saw, that is every match, in *ids (owned by f, valid until it is
 * freed or merged into; NULL when none), ascending, as the database
 * counted on numbers them: their number. -1 (and *ids NULL) when they are
 * not known: not kept, the count was a sample, or over a stub's databases,
 * whose spy cannot tell them apart. */
long xc_facet_docids(const xc_facet *f, const xc_docid **ids);
void xc_facet_free(xc_facet *f);
/* xc_facet_count keeps each shard's facet values in memory once at least
 * `after_counts` counting passes at one revision of the shard (one per
 * call, two when a sample is redone exactly) have read the values of
 * `percent`% of its documents (default 1 and 100: about what building the
 * copy costs, so a one-off search never pays for it and a shard being
 * written, whose revision moves at every commit, costs at most about twice
 * what reading values again would). after_counts 0: never, and drops what
 * is kept. */
void xc_database_set_facet_cache(xc_database *db, unsigned after_counts,
                                 unsigned percent);
/* 1 when facet counts over db can keep their matches' docids
 * (xc_facet_docids): db was opened from its shards or is one database, not
 * a stub's several. */
int xc_database_keeps_docids(const xc_database *db);
/* How many shards of db have their facet values in memory (for tests). */
uint32_t xc_database_facet_columns(const xc_database *db);
/* Number of documents the facet saw. */
uint32_t xc_facet_docs_seen(const xc_facet *f);

/* Run the query: results [first, first+maxitems). `checkatleast` makes the
 * matcher look at that many documents (for exact totals and facets). */
xc_mset *xc_enquire_get_mset(xc_enquire *enq, uint32_t first,
                             uint32_t maxitems, uint32_t checkatleast,
                             xc_error *err);
void xc_mset_free(xc_mset *m);
/* The best n hits of a and b, two msets in relevance order of one query
 * over disjoint docids (xc_query_part), ranked as one mset of the whole
 * would rank them (weight, then docid); their match counts add up. a and
 * b are freed here, also on error. Not for msets sorted by value. A
 * merged hit's percent is relative to its own mset's best. NULL with *err
 * set on error. */
xc_mset *xc_mset_merge(xc_mset *a, xc_mset *b, uint32_t n, xc_error *err);
uint32_t xc_mset_size(const xc_mset *m);
uint32_t xc_mset_estimated(const xc_mset *m);     /* matches estimated */
uint32_t xc_mset_lower_bound(const xc_mset *m);
uint32_t xc_mset_upper_bound(const xc_mset *m);

typedef struct xc_hit {
    xc_docid docid;
    uint32_t rank;            /* 0-based overall rank */
    double weight;
    uint32_t collapse_count;  /* documents collapsed into this one (estimate) */
    int percent;
} xc_hit;

int xc_mset_hit(const xc_mset *m, uint32_t i, xc_hit *out, xc_error *err);
/* The i-th hit's document; free with xc_document_free. */
int xc_mset_document(const xc_mset *m, uint32_t i, xc_document **out,
                     xc_error *err);

/* ---- stemming ------------------------------------------------------------------ */

/* A Snowball stemmer for `language` ("english", "none", ...). */
xc_stemmer *xc_stemmer_new(const char *language, xc_error *err);
void xc_stemmer_free(xc_stemmer *s);
/* Stem `word` into buf (NUL-terminated). Returns the stem's length, or a
 * negative xc_status (XC_ERR_RANGE if it does not fit in bufsize). */
int xc_stem(xc_stemmer *s, const char *word, size_t len, char *buf,
            size_t bufsize, xc_error *err);

#ifdef __cplusplus
}
#endif

#endif /* XAPIAN_C_H */
