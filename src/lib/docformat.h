/* docformat.h -- how an article is laid out in the Xapian index.
 *
 * The index follows Xapian Omega's term-prefix conventions so xapian-delve and
 * quest can read it:
 *
 *   (none)  folded word ("bac", "giang", "transformation"), with positions:
 *           title words first, then the body. What matching uses.
 *   XE      exact form (NFC, case-folded) of a word that has diacritics
 *           ("XEbắc"), no positions: lets ranking prefer exact matches
 *           without doubling the positional data.
 *   S       folded title word, with positions (title:word, title:"a b").
 *   Z       Snowball English stem of a folded word, English articles only
 *           (Omega's stem prefix); queries match it OR the plain word.
 *   Q       unique article id.        L  language ("Lvi", "Len").
 *   D M Y   date: D20230208, M202302, Y2023.
 *   U       source URL (when short enough to be a term).
 *
 * Values: CS_SLOT_DATE holds "YYYYMMDD" (sorting, date ranges),
 * CS_SLOT_HASH a content hash (incremental reindexing), CS_SLOT_LANG "vi"/"en".
 *
 * Document data is a JSON object with what display needs: id, title, url,
 * date, lang, body (the cleaned text snippets are cut from).
 */
#ifndef CS_DOCFORMAT_H
#define CS_DOCFORMAT_H

#include <stddef.h>
#include "article.h"

#define CS_PREFIX_EXACT "XE"
#define CS_PREFIX_TITLE "S"
#define CS_PREFIX_STEM "Z"
#define CS_PREFIX_ID "Q"
#define CS_PREFIX_LANG "L"
#define CS_PREFIX_DAY "D"
#define CS_PREFIX_MONTH "M"
#define CS_PREFIX_YEAR "Y"
#define CS_PREFIX_URL "U"

enum {
    CS_SLOT_DATE = 0,
    CS_SLOT_HASH = 1,
    CS_SLOT_LANG = 2
};

/* Xapian's limit on a term is 245 bytes; longer ids are refused. */
#define CS_MAX_ID_BYTES 200
#define CS_MAX_TERM_BYTES 240

/* Document data for `a` (whose lang must be set) as a malloc'd JSON string,
 * *len its length. NULL on out of memory. */
char *cs_doc_data_encode(const cs_article *a, size_t *len);

/* The article stored in document data. NULL if the data is not ours
 * (malformed JSON or no id). The caller frees with cs_article_free. */
cs_article *cs_doc_data_decode(const char *data, size_t len);

/* Writes "Q<id>" into buf. Returns its length, or -1 if the id is empty or
 * too long for a term. */
int cs_idterm(const char *id, char *buf, size_t bufsize);

#endif
