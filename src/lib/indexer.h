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

/* Build the Xapian document for `a`. Sets a->lang when it was NULL
 * (detected). `hash` is the article's cs_article_hash taken before that (NULL:
 * computed here). Returns NULL with a message in errbuf on failure. The
 * caller frees the document with xc_document_free. */
struct xc_document *cs_build_document(cs_docbuilder *b, cs_article *a,
                                      const char *hash, char *errbuf,
                                      size_t errlen);

/* 64-bit FNV-1a hash of an article's content as given (id, title, body,
 * url, date, lang, province and the term-scheme version), as 16 hex digits. */
void cs_article_hash(const cs_article *a, char out[17]);

/* ---- the index writer -------------------------------------------------------- */

typedef struct cs_index_opts {
    unsigned shards;        /* shards for a new index; 0 -> 2 */
    unsigned batch_docs;    /* commit every N articles per shard; 0 -> 5000 */
} cs_index_opts;

typedef struct cs_index_counts {
    size_t added;      /* new ids */
    size_t updated;    /* ids that were there, content changed */
    size_t unchanged;  /* ids that were there with the same content hash */
    size_t failed;     /* articles Xapian refused (message reported) */
} cs_index_counts;

typedef struct cs_indexer cs_indexer;

/* Called from worker threads for a failed article: `id`, message. */
typedef void (*cs_index_error_fn)(const char *source, const char *msg,
                                  void *ud);

/* Open (creating if needed) the index in folder `dir` for writing and start
 * one worker thread per shard. NULL on error, message in errbuf (e.g. the
 * index is locked by another writer). */
cs_indexer *cs_indexer_open(const char *dir, const cs_index_opts *opts,
                            cs_index_error_fn on_error, void *ud,
                            char *errbuf, size_t errlen);

/* Queue an article; the indexer takes ownership. Blocks while the queue is
 * full. Returns 0, or -1 if the indexer has failed (then stop feeding it). */
int cs_indexer_add(cs_indexer *ix, cs_article *a);

/* Wait for the queue to drain, commit every shard, stop the workers, close.
 * Fills *counts. Returns 0, or -1 with a message in errbuf if a commit
 * failed (what earlier batches committed stays in the index). */
int cs_indexer_finish(cs_indexer *ix, cs_index_counts *counts, char *errbuf,
                      size_t errlen);

#endif
