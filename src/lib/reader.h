/* reader.h -- reading articles from files and folders of the corpus.
 *
 * Formats:
 *   .txt    optional "# key = value" header lines at the very top (doc_id,
 *           url, date, ...), then the title (first non-empty line that is not
 *           a dateline or known site boilerplate), then the body.
 *   .jsonl  one JSON object per line: id, title, body; optional url, date,
 *           province, lang.
 * Folders are walked recursively (sorted, hidden entries skipped); files with
 * other extensions inside folders are ignored. A file named explicitly with
 * another extension is read as .txt.
 *
 * Bad input never stops the walk: each problem is reported once through the
 * warn callback, naming the file (and line), and counted.
 */
#ifndef CS_READER_H
#define CS_READER_H

#include <stdio.h>
#include <stddef.h>
#include "article.h"

#define CS_MAX_ARTICLE_BYTES (8u * 1024u * 1024u)

typedef struct cs_reader_stats {
    size_t files;       /* files opened */
    size_t articles;    /* articles handed to the callback */
    size_t skipped;     /* articles or files not indexed because of bad input */
    size_t repaired;    /* articles indexed after repairing their text */
    size_t ignored;     /* files in folders with other extensions */
} cs_reader_stats;

/* Receives each article; takes ownership (must cs_article_free it). Return
 * non-zero to stop reading (cs_read_* then returns that value). */
typedef int (*cs_article_fn)(cs_article *a, void *ud);

/* Warnings: `where` is "path" or "path:line" (byte offsets go in `msg`), `msg` one
 * line without trailing newline. `skipped` is 1 when the article/file was
 * not indexed, 0 when it was repaired and indexed. */
typedef void (*cs_warn_fn)(const char *where, const char *msg, int skipped,
                           void *ud);

typedef struct cs_reader {
    cs_article_fn on_article;
    cs_warn_fn on_warning;   /* may be NULL */
    void *ud;
    size_t max_bytes;        /* 0 -> CS_MAX_ARTICLE_BYTES */
    cs_reader_stats stats;
} cs_reader;

/* Read a file or a folder (recursively). Ids of .txt articles without a
 * doc_id header are the path relative to `path` without extension, or the
 * file name without extension when `path` is a file. Returns 0 when the
 * walk completed (even if articles were skipped), the callback's non-zero
 * value if it stopped the walk, or -1 if `path` itself cannot be read
 * (warned). */
int cs_read_path(cs_reader *r, const char *path);

/* Read JSON Lines from an open stream; `name` is used in messages. */
int cs_read_jsonl_stream(cs_reader *r, FILE *f, const char *name);

/* Parse one in-memory .txt article (bytes as read from disk). `id` is the
 * fallback id. Returns the article, or NULL when it is skipped (warned). */
cs_article *cs_parse_txt(cs_reader *r, const char *data, size_t len,
                         const char *id, const char *source);

/* Parse one JSONL line (`len` bytes, no newline). NULL when skipped. */
cs_article *cs_parse_jsonl_line(cs_reader *r, const char *line, size_t len,
                                const char *source);

#endif
