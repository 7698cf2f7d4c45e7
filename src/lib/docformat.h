/* docformat.h -- how an article is laid out in the Xapian index.
 *
 * The index follows Xapian Omega's term-prefix conventions so xapian-delve and
 * quest can read it (quest shows no document data when the articles are in
 * CS_SLOT_ARTICLE: xapian-delve -V8 does):
 *
 *   (none)  folded word ("bac", "giang", "transformation"), with positions:
 *           title words from 0, body words from CS_BODY_FIRST_POS, so a
 *           phrase starting below it is in the title. What matching uses.
 *   XE      exact form (NFC, case-folded) of a word that has diacritics
 *           ("XEbắc"), no positions: lets ranking prefer exact matches
 *           without doubling the positional data.
 *   S       folded title word, no positions (title:word; title:"a b" is
 *           every S word AND the plain phrase).
 *   Z       Snowball English stem of a folded word, English articles only
 *           (Omega's stem prefix); queries match it OR the plain word.
 *   Q       unique article id.        L  language ("Lvi", "Len").
 *   D M Y   date: D20230208, M202302, Y2023.
 *   U       source URL (when short enough to be a term).
 *   XP      province the article names, as a slug of its folded canonical
 *           name ("XPbac-giang"); XPM the main one.
 *   XU      the 2025 unit that province now belongs to ("XUbac-ninh").
 *   XR      resolution number, canonical ("XR57-NQ/TW"); XRN its bare number
 *           ("XRN57"), so filtering by "57" finds every resolution 57.
 *   XK      other legal documents ("XK100/2019/NĐ-CP").
 *   XB      two adjacent words, both in the index's pair list ("XBnha bao"),
 *           without positions or wdf: only in an index built with phrase
 *           pairs (pairwords.h), so a phrase is checked only where its
 *           pairs are; "XB" alone marks every article given its pairs.
 *   XY      a multi-word synonym entry the article contains, its folded
 *           words ("XYthanh pho ho chi minh"), no positions: searched
 *           instead of the entry's phrase (synonyms.h). "XYV" and 16 hex
 *           digits marks the dictionary the article was indexed with.
 *
 * Values: CS_SLOT_DATE holds "YYYYMMDD" (sorting, date ranges),
 * CS_SLOT_HASH a content hash (incremental reindexing), CS_SLOT_LANG "vi"/"en",
 * CS_SLOT_FACETS the facet items (display values) of the article.
 *
 * The stored article holds what display needs: a JSON header line (id,
 * title, url, date, lang, ...) and the cleaned body text that snippets are
 * cut from. It is in CS_SLOT_ARTICLE, or in the document data when the
 * index has no body dictionary (see there).
 */
#ifndef CS_DOCFORMAT_H
#define CS_DOCFORMAT_H

#include <stddef.h>
#include "article.h"
#include "bodycodec.h"

#define CS_PREFIX_EXACT "XE"
#define CS_PREFIX_TITLE "S"
/* Position of a body's first word: a title's words come before it. */
#define CS_BODY_FIRST_POS 256
#define CS_PREFIX_STEM "Z"
#define CS_PREFIX_ID "Q"
#define CS_PREFIX_LANG "L"
#define CS_PREFIX_DAY "D"
#define CS_PREFIX_MONTH "M"
#define CS_PREFIX_YEAR "Y"
#define CS_PREFIX_URL "U"
#define CS_PREFIX_PROVINCE "XP"
#define CS_PREFIX_MAIN_PROVINCE "XPM"
#define CS_PREFIX_UNIT2025 "XU"
#define CS_PREFIX_RESOLUTION "XR"
#define CS_PREFIX_RESOLUTION_NUM "XRN"
#define CS_PREFIX_DOCUMENT "XK"
#define CS_PREFIX_PAIR "XB"
#define CS_PREFIX_SYNONYM "XY"
#define CS_PREFIX_SYNONYM_MARKER "XYV"
#define CS_FACET_SEP '\x1f'

enum {
    CS_SLOT_DATE = 0,
    CS_SLOT_HASH = 1,
    CS_SLOT_LANG = 2,
    /* Every facet item of the article in one slot, so counting facets reads
     * one value per matching document instead of one per facet: items are
     * separated by CS_FACET_SEP and start with their kind byte, e.g.
     * "PBắc Giang\x1fR57-NQ/TW\x1fY2023\x1fM2023-02\x1fLvi". */
    CS_SLOT_FACETS = 3,
    /* Near-duplicates share this key: a hash of the folded title words
     * (titles of 4 words or more; the same story syndicated or scraped
     * twice keeps its title). Results collapse on it. */
    CS_SLOT_DUPKEY = 4,
    CS_SLOT_SOURCE = 7,        /* the file it was read from ("path" or "path:line") */
    /* The stored article (cs_doc_data_encode) when the index generation
     * has a body dictionary (bodycodec.h), whether or not this body
     * compressed; the document data is then empty. Not the document data,
     * because Xapian deflates every data tag
     * (keeping the result only when smaller), and on a body zstd has
     * already packed that is pure loss. Values are stored as given: on
     * baomoi, indexing took 39.4 CPU-s instead of 42.0 and 21.3 s instead
     * of 22.6 (medians of 3), the compacted index 252.6 MiB instead of
     * 253.8, and searches the same time with the same results. (Header
     * and body in separate places cost a second lookup per hit: +5% on
     * the search median.) Without a dictionary (an index too small to
     * train one) the article, its body raw, stays in the data, where
     * deflate still shrinks it, as every article did in indexes before
     * this slot. A binary older than this slot cannot read the articles of
     * an index built with it. */
    CS_SLOT_ARTICLE = 8
};

/* Kind bytes of the items in CS_SLOT_FACETS. */
#define CS_FACET_KIND_PROVINCE 'P'
#define CS_FACET_KIND_RESOLUTION 'R'
#define CS_FACET_KIND_YEAR 'Y'
#define CS_FACET_KIND_MONTH 'M'
#define CS_FACET_KIND_LANG 'L'

/* Xapian's limit on a term is 245 bytes; longer ids are refused. */
#define CS_MAX_ID_BYTES 200
#define CS_MAX_TERM_BYTES 240

/* The stored article for `a` (whose lang must be set): a one-line JSON
 * header (id, title, url, date, lang, source, provinces, resolutions,
 * documents; absent or empty ones left out), '\n', then the body as `codec`
 * stores it (bodycodec.h: compressed with the index's dictionary, or raw;
 * NULL codec: raw). malloc'd, *len its length; NULL on out of memory. */
char *cs_doc_data_encode(const cs_article *a, cs_codec *codec, size_t *len);

/* The article stored as `data`, its body read with `codec` (NULL:
 * only raw bodies can be read). NULL with errno EINVAL if the data is not
 * ours (malformed JSON, no id, a body the codec cannot read), ENOMEM when
 * out of memory. The caller frees with cs_article_free. */
cs_article *cs_doc_data_decode(const char *data, size_t len, cs_codec *codec);

/* What can still be read of stored data that cs_doc_data_decode rejects:
 * the header's fields (id, title, date...) when the header is readable and
 * has an id, with an empty body (the body's bytes are damaged, or the
 * index's dictionary cannot read them). NULL (errno as for
 * cs_doc_data_decode) when the header cannot be read either, or out of
 * memory. The caller frees with cs_article_free. */
cs_article *cs_doc_data_salvage(const char *data, size_t len);

/* Writes prefix + a slug of `name` into buf: folded (no diacritics, lower
 * case), runs of anything but letters and digits turned into one '-'
 * ("Bà Rịa - Vũng Tàu" -> "ba-ria-vung-tau"). Returns the length, or -1 if
 * it does not fit or the name has no letters. */
int cs_slug_term(const char *prefix, const char *name, char *buf, size_t bufsize);

/* Writes "Q<id>" into buf. Returns its length, or -1 if the id is empty or
 * too long for a term. */
int cs_idterm(const char *id, char *buf, size_t bufsize);

#endif
