/* synterms.h -- finding the synonym dictionary's multi-word entries in an
 * article's token stream, for the synonym terms (synonyms.h, docformat.h).
 *
 * The scanner keeps the last few tokens that could still be part of an
 * entry (from a token that starts one, up to the longest entry), so its cost
 * for the other tokens is one hash lookup. Entries are found where their
 * words are at consecutive positions, overlaps included (where a phrase
 * query of their folded words would match), but matched as a query's words
 * are: only where the marks in the text agree with the entry's ("bị thu" is
 * not "Bí thư"), and an English entry also as its plural.
 */
#ifndef CS_SYNTERMS_H
#define CS_SYNTERMS_H

#include <stddef.h>

#include "synonyms.h"
#include "tokenizer.h"

/* Called for each entry found; `wdf` is that of the token it starts at.
 * Return non-zero to stop (the value is passed back). */
typedef int (*cs_synscan_fn)(const cs_syn_entry *e, unsigned wdf, void *ud);

typedef struct cs_synscan {
    const cs_synonyms *syn;   /* borrowed; NULL: finds nothing */
    size_t window;            /* the longest entry, at most CS_SYN_MAX_TOKENS */
    size_t head, n;           /* ring of the tokens kept: [head, head + n) */
    unsigned last_pos;        /* position of the newest token kept */
    struct {
        char folded[CS_MAX_WORD_BYTES + 1], exact[CS_MAX_WORD_BYTES + 1];
        unsigned wdf;
    } tok[CS_SYN_MAX_TOKENS];
} cs_synscan;

/* Starts a scan with `syn` (may be NULL). */
void cs_synscan_init(cs_synscan *s, const cs_synonyms *syn);

/* Feeds the next token of the stream. `positioned`: it was indexed with
 * its position (a token without one ends any phrase, as in the index).
 * Calls fn for the entries that can now be decided. Returns 0 or fn's
 * non-zero value. */
int cs_synscan_token(cs_synscan *s, const cs_token *t, int positioned, unsigned wdf,
                     cs_synscan_fn fn, void *ud);

/* Ends the stream (a title, a body): calls fn for the entries among the
 * tokens still kept and empties the scan. Returns 0 or fn's non-zero value. */
int cs_synscan_flush(cs_synscan *s, cs_synscan_fn fn, void *ud);

#endif
