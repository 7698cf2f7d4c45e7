/* query_builder.h -- a parsed query (query_parser.h) -> a Xapian query over our term scheme. */
#ifndef CS_QUERY_BUILDER_H
#define CS_QUERY_BUILDER_H

#include "query_parser.h"
#include "snippet.h"
#include "tokenizer.h"
#include "xapian_c.h"

/* Fields the query syntax accepts (NULL-terminated), for cs_query_parse:
 * title (a text field) and the filters province, resolution, date, lang. */
extern const char *const cs_query_fields[];

typedef enum cs_filter_kind {
    CS_FILTER_PROVINCE,     /* "bac giang", "HCMC", "Bắc Ninh (2025)" */
    CS_FILTER_RESOLUTION,   /* "57-NQ/TW", "57" */
    CS_FILTER_DATE,         /* "2023", "2023-02", "2023-02-08", "2023-01-01..2023-06-30" */
    CS_FILTER_LANG          /* "vi", "en" */
} cs_filter_kind;

/* A weightless (boolean) query for one filter value as a user typed it. A
 * value that names nothing known (unknown province, malformed date) gives a
 * query that matches nothing, and *unknown is set (may be NULL). NULL on
 * error. */
xc_query *cs_filter_query(cs_filter_kind kind, const char *value, int *unknown,
                          xc_error *err);

/* Build the Xapian query for `tree`:
 *  - each word is tokenized like article text; its folded term matches, as a
 *    synonym with its English stem (Z prefix) so "transformations" finds
 *    "transformation"; a word that splits into several tokens ("57-NQ/TW")
 *    becomes a phrase of them;
 *  - phrases are PHRASE over folded terms; prefix* is a wildcard on folded
 *    terms; title: uses the S prefix;
 *  - NOT is AND_NOT (a query with only NOT excludes from everything);
 *  - words typed with diacritics add their exact form (XE) as an AND_MAYBE
 *    boost, so exact accented matches rank above folded ones;
 *  - with `synonyms` (not CS_SYN_OFF), a run of plain words that is an
 *    entry of the bilingual dictionary (synonyms.h) also matches the entry's
 *    other terms, weighted below the words as typed; quoted phrases are
 *    never expanded. A multi-word alternative is its synonym term (XY)
 *    with CS_SYN_TERMS (every article of the index was given the terms of
 *    this dictionary), else a phrase of its words;
 *  - the words in order, as a phrase and in the title, add ranking boosts.
 * With `pairs` (the index's phrase pairs, pairwords.h; NULL when it has
 * none), a body phrase is FILTERed by the pair terms of its adjacent pair
 * words: same matches and weights, far fewer position lists read.
 * Fills `hl` with what snippets should mark. When `matching` is not NULL,
 * *matching gets the same query without the ranking boosts (same matches,
 * cheaper to run over every match: for facet counts); the caller frees it.
 * The boost that reads position lists (the words as a phrase) is not in the
 * returned query: *rerank gets it (NULL when there is none), to be weighed
 * over the best few candidates only (searcher.c), which also looks for the
 * phrase in the title with hl->seq; the caller frees it.
 * When `relaxed` is not NULL and the query has phrases outside NOT,
 * *relaxed gets it with those phrases as ANDs of their words (else NULL):
 * it matches every article the query matches, each with at least the same
 * weight (a phrase weighs what the AND of its words does), without reading
 * a position list; searcher.c ranks its best few and checks the phrases on
 * just those. The caller frees it.
 * Returns NULL when nothing
 * searchable is left (err->code XC_OK), or on error (err->code set). */
enum { CS_SYN_OFF = 0, CS_SYN_PHRASES = 1, CS_SYN_TERMS = 2 };
struct cs_pairwords;
xc_query *cs_build_query(const cs_qnode *tree, cs_tokenizer *tk,
                         xc_stemmer *stem, const struct cs_pairwords *pairs, int synonyms,
                         cs_match_set *hl, xc_query **matching, xc_query **rerank,
                         xc_query **relaxed, xc_error *err);

#endif
