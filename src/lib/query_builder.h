/* query_builder.h -- a parsed query (query_parser.h) -> a Xapian query over our term scheme. */
#ifndef CS_QUERY_BUILDER_H
#define CS_QUERY_BUILDER_H

#include "query_parser.h"
#include "snippet.h"
#include "tokenizer.h"
#include "xapian_c.h"

/* Fields the query syntax accepts (NULL-terminated), for cs_query_parse. */
extern const char *const cs_query_fields[];

/* Build the Xapian query for `tree`:
 *  - each word is tokenized like article text; its folded term matches, as a
 *    synonym with its English stem (Z prefix) so "transformations" finds
 *    "transformation"; a word that splits into several tokens ("57-NQ/TW")
 *    becomes a phrase of them;
 *  - phrases are PHRASE over folded terms; prefix* is a wildcard on folded
 *    terms; title: uses the S prefix;
 *  - NOT is AND_NOT (a query with only NOT excludes from everything);
 *  - words typed with diacritics add their exact form (XE) as an AND_MAYBE
 *    boost, so exact accented matches rank above folded ones.
 * Fills `hl` with what snippets should mark. Returns NULL when nothing
 * searchable is left (err->code XC_OK), or on error (err->code set). */
xc_query *cs_build_query(const cs_qnode *tree, cs_tokenizer *tk,
                         xc_stemmer *stem, cs_match_set *hl, xc_error *err);

#endif
