/* indexer.h -- turning articles into Xapian documents and writing the index.
 *
 * Index layout: the index folder holds a Xapian stub file, XAPIANDB, naming
 * the current generation's shards ("auto gen-000001/shard0" ...). Readers
 * open the folder and Xapian follows the stub, searching all shards as one.
 * Articles are spread over shards by a hash of their id, so re-indexing an
 * article always replaces it in the same shard, and shards are written in
 * parallel, one thread each.
 */
#ifndef CS_INDEXER_H
#define CS_INDEXER_H

#include <stddef.h>
#include <stdint.h>
#include "article.h"

/* ---- building one document ------------------------------------------------ */

typedef struct cs_docbuilder cs_docbuilder;
struct xc_document;

/* One per thread (holds an ICU tokenizer and a stemmer). NULL on failure
 * with a static message in *err. */
cs_docbuilder *cs_docbuilder_new(const char **err);
void cs_docbuilder_free(cs_docbuilder *b);
/* Store bodies through `codec` (bodycodec.h; borrowed, NULL: raw) from the
 * next document on. */
struct cs_codec;
void cs_docbuilder_set_codec(cs_docbuilder *b, struct cs_codec *codec);
/* Give documents the pair terms of `pairs` (pairwords.h; borrowed, NULL:
 * none) from the next document on. */
struct cs_pairwords;
void cs_docbuilder_set_pairs(cs_docbuilder *b, const struct cs_pairwords *pairs);

/* Build the Xapian document for `a`. Sets a->lang when it was NULL
 * (detected). `hash` is the article's cs_article_hash taken before that (NULL:
 * computed here). Returns NULL with a message in errbuf on failure. The
 * caller frees the document with xc_document_free. */
struct xc_document *cs_build_document(cs_docbuilder *b, cs_article *a,
                                      const char *hash, char *errbuf,
                                      size_t errlen);

/* The distinct words of the last document built (folded, alphabetic, 3 to
 * 32 bytes), for the spelling table ("did you mean"). Valid until the next
 * cs_build_document; *n their number. */
const char *const *cs_docbuilder_words(const cs_docbuilder *b, size_t *n);

/* 64-bit FNV-1a hash of an article's content as given (id, title, body,
 * url, date, lang, province and the term-scheme version), as 16 hex digits. */
void cs_article_hash(const cs_article *a, char out[17]);

/* ---- the index writer -------------------------------------------------------- */

typedef struct cs_index_opts {
    unsigned shards;        /* shards for a new index; 0 -> 2 */
    unsigned batch_docs;    /* commit every N articles per shard; 0 -> 250, growing
                               with the shard to 1000 (indexer.c) */
    size_t batch_bytes;     /* ... or every M bytes of text per shard; 0 -> 8 MB */
    int rebuild;            /* build a new generation, swap it in at the end */
    int dry_run;            /* count what would change; write nothing */
    int wait;               /* wait for another writer instead of failing */
    /* Phrase pairs (pairwords.h), chosen when an index is built: 1 with
     * them, -1 without, 0 as the index has them (a first build: without;
     * a rebuild: as the index it replaces). An incremental run keeps the
     * index's choice: asking for the other one is an error. */
    int phrase_pairs;
    /* Prune: articles read from under these roots (absolute paths) that this
     * run did not see are removed. */
    const char *const *prune_roots;
    size_t nprune_roots;
} cs_index_opts;

typedef struct cs_index_counts {
    size_t added;      /* new ids */
    size_t updated;    /* ids that were there, content changed */
    size_t unchanged;  /* ids that were there with the same content hash */
    size_t removed;    /* pruned: their source is gone */
    size_t failed;     /* articles Xapian refused (message reported) */
} cs_index_counts;

typedef struct cs_indexer cs_indexer;

/* Called from worker threads for a failed article: source, message. */
typedef void (*cs_index_error_fn)(const char *source, const char *msg,
                                  void *ud);

/* Take the index's writer lock, open (creating if needed) the index in
 * folder `dir` for writing -- a new generation for a rebuild -- and start one
 * worker thread per shard. NULL on error, message in errbuf (e.g. another
 * job holds the lock: its pid is named). */
cs_indexer *cs_indexer_open(const char *dir, const cs_index_opts *opts,
                            cs_index_error_fn on_error, void *ud,
                            char *errbuf, size_t errlen);

/* Queue an article; the indexer takes ownership. Blocks while the queue is
 * full. Returns 0, or -1 if the indexer has failed (then stop feeding it). */
int cs_indexer_add(cs_indexer *ix, cs_article *a);

/* What cs_indexer_open could not do but went on without, for the caller to
 * show as a warning (a rebuild that could not read the index it replaces
 * loses its phrase pairs), or NULL. Owned by ix; valid until it is closed. */
const char *cs_indexer_warning(const cs_indexer *ix);

/* Articles queued so far and articles done (for progress reports). */
void cs_indexer_progress(cs_indexer *ix, size_t *queued, size_t *done);

/* Wait for the queues to drain, prune, commit every shard, stop the workers;
 * for a rebuild, swap the new generation in (or, when `abandon` is set or
 * anything failed, throw it away and keep the old index). Releases the lock
 * and frees the indexer. Fills *counts. Returns 0, or -1 with a message in
 * errbuf if a commit failed (what earlier batches committed stays). */
int cs_indexer_finish(cs_indexer *ix, int abandon, cs_index_counts *counts,
                      char *errbuf, size_t errlen);

/* Compact the index in `dir` into a new generation of one shard (Xapian's
 * compaction merges the shards) and swap it in. Takes the writer lock.
 * Returns 0, or -1 with a message in errbuf (the index is left as it was). */
int cs_index_compact(const char *dir, int wait, char *errbuf, size_t errlen);

#endif
