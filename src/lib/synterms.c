/* synterms.c -- finding the synonym dictionary's multi-word entries in an
 * article's token stream (see synterms.h). */
#include "synterms.h"

#include <string.h>

void cs_synscan_init(cs_synscan *s, const cs_synonyms *syn)
{
    s->syn = syn;
    s->window = cs_synonyms_max_words(syn);
    s->head = s->n = 0;
    s->last_pos = 0;
}

typedef struct emit_ctx {
    cs_synscan_fn fn;
    void *ud;
    unsigned wdf;
} emit_ctx;

static int emit(const cs_syn_entry *e, void *ud)
{
    emit_ctx *c = ud;
    return c->fn(e, c->wdf, c->ud);
}

/* Calls fn for the entries starting at the oldest token kept, then drops
 * it and the tokens after it that start no entry. */
static int decide_head(cs_synscan *s, cs_synscan_fn fn, void *ud)
{
    const char *folded[CS_SYN_MAX_TOKENS], *exact[CS_SYN_MAX_TOKENS];
    for (size_t i = 0; i < s->n; i++) {
        size_t k = (s->head + i) % CS_SYN_MAX_TOKENS;
        folded[i] = s->tok[k].folded;
        exact[i] = s->tok[k].exact;
    }
    emit_ctx c = {fn, ud, s->tok[s->head].wdf};
    int rc = cs_synonyms_each_at(s->syn, folded, exact, s->n, emit, &c);
    do {
        s->head = (s->head + 1) % CS_SYN_MAX_TOKENS;
        s->n--;
    } while (s->n && !cs_synonyms_starts(s->syn, s->tok[s->head].folded,
                                         strlen(s->tok[s->head].folded)));
    return rc;
}

int cs_synscan_flush(cs_synscan *s, cs_synscan_fn fn, void *ud)
{
    int rc = 0;
    while (s->n && !rc)
        rc = decide_head(s, fn, ud);
    s->head = s->n = 0;
    return rc;
}

int cs_synscan_token(cs_synscan *s, const cs_token *t, int positioned, unsigned wdf,
                     cs_synscan_fn fn, void *ud)
{
    if (s->window == 0)
        return 0;
    int rc = 0;
    if (s->n && (!positioned || t->pos != s->last_pos + 1))
        rc = cs_synscan_flush(s, fn, ud);
    if (rc || !positioned || t->folded_len > CS_MAX_WORD_BYTES ||
        t->exact_len > CS_MAX_WORD_BYTES ||
        (s->n == 0 && !cs_synonyms_starts(s->syn, t->folded, t->folded_len)))
        return rc;
    size_t k = (s->head + s->n) % CS_SYN_MAX_TOKENS;
    memcpy(s->tok[k].folded, t->folded, t->folded_len + 1);
    memcpy(s->tok[k].exact, t->exact, t->exact_len + 1);
    s->tok[k].wdf = wdf;
    s->n++;
    s->last_pos = t->pos;
    /* The oldest token has all the words an entry starting there can have. */
    while (s->n >= s->window && !rc)
        rc = decide_head(s, fn, ud);
    return rc;
}
