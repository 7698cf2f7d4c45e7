/* pairwords.h -- phrase pairs: the common words whose adjacent pairs an index may hold as terms.
 *
 * Why: a quoted phrase of common syllables ("nhà báo mới") has few matches
 * but most articles as candidates, and Xapian reads the positions of every
 * article holding all its words: at 1M synthetic articles "nha bao moi"
 * reads those of 433,356 articles for 49 matches. An index built with
 * --phrase-pairs also holds each adjacent pair of these words as a term
 * ("XBnha bao", no positions: Elasticsearch's index_phrases, for common
 * words only), and a phrase is then checked only in the articles holding
 * its pairs (291 for "nha bao moi"). Only common words: a phrase with a
 * rarer word is cheap already, that word's posting list bounding its
 * candidates; and pairs cost index size, so they are an option of the
 * index, off by default (figures in bench/README.md).
 *
 * An index stores the list it was built with in every shard's metadata
 * (CS_PAIRWORDS_KEY), and searches use the index's list, never this
 * program's: a phrase must look for exactly the pairs its articles were
 * given, or it would miss the articles that lack them. For the same reason
 * every article given its pairs also holds the term CS_PAIR_MARKER, and
 * searches use the pairs only while every article of the index has it: an
 * article written by an older corpsearch, or any other Xapian writer, would
 * lack its pairs.
 */
#ifndef CS_PAIRWORDS_H
#define CS_PAIRWORDS_H

#include <stddef.h>

#define CS_PAIRWORDS_KEY "cs:pairwords"
/* The prefix alone (docformat.h): "this article was given its pairs". */
#define CS_PAIR_MARKER "XB"

typedef struct cs_pairwords cs_pairwords;

/* The list a new index is built with (data/pair-words.txt without its
 * comments): folded words, each followed by '\n'. malloc'd, *len its
 * length; NULL when out of memory. */
char *cs_pairwords_default_list(size_t *len);

/* The set of the words of `list` (one per line; blank lines, lines
 * starting with '#' and words longer than any token, CS_MAX_WORD_BYTES,
 * are skipped). NULL with errno ENOMEM when out of
 * memory, EINVAL when the list has no word. Free with cs_pairwords_free. */
cs_pairwords *cs_pairwords_new(const char *list, size_t len);
void cs_pairwords_free(cs_pairwords *p);

/* The number of words in the set. */
size_t cs_pairwords_count(const cs_pairwords *p);

/* Non-zero when the folded word w[0..len) is one of the set's. */
int cs_pairwords_has(const cs_pairwords *p, const char *w, size_t len);

/* Writes the pair term of a then b (CS_PREFIX_PAIR, a, ' ', b) to buf
 * (cap bytes, NUL-terminated). Its length, or 0 when it does not fit. */
size_t cs_pair_term(const char *a, size_t alen, const char *b, size_t blen, char *buf,
                    size_t cap);

#endif
