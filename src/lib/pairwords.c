/* pairwords.c -- phrase pairs: the common words whose adjacent pairs an index may hold as terms. */
#include "pairwords.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "docformat.h"
#include "idset.h"
#include "strbuf.h"
#include "tokenizer.h"

/* data/pair-words.txt, embedded by data/embed.py. */
extern const char cs_pair_words_txt[];
extern const size_t cs_pair_words_txt_len;

struct cs_pairwords {
    cs_idset words;
};

/* Calls fn(word, len, ud) for each word of list, until fn returns non-zero
 * (returned). Lines are trimmed of '\r' and spaces at their ends. */
static int each_word(const char *list, size_t len, int (*fn)(const char *, size_t, void *),
                     void *ud)
{
    for (size_t at = 0; at < len;) {
        const char *nl = memchr(list + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - list) : len, from = at;
        at = end + 1;
        while (from < end && (list[from] == ' ' || list[from] == '\t'))
            from++;
        while (end > from && (list[end - 1] == ' ' || list[end - 1] == '\t' ||
                              list[end - 1] == '\r'))
            end--;
        if (end == from || list[from] == '#')
            continue;
        int rc = fn(list + from, end - from, ud);
        if (rc)
            return rc;
    }
    return 0;
}

static int append_word(const char *w, size_t n, void *ud)
{
    cs_buf *b = ud;
    cs_buf_append(b, w, n);
    cs_buf_putc(b, '\n');
    return 0;
}

char *cs_pairwords_default_list(size_t *len)
{
    cs_buf b = {0};
    each_word(cs_pair_words_txt, cs_pair_words_txt_len, append_word, &b);
    *len = b.len;
    return cs_buf_release(&b);
}

static int add_word(const char *w, size_t n, void *ud)
{
    /* A longer word is never a token: no article has its pairs. */
    return n <= CS_MAX_WORD_BYTES && cs_idset_add(ud, w, n) < 0;
}

cs_pairwords *cs_pairwords_new(const char *list, size_t len)
{
    cs_pairwords *p = calloc(1, sizeof *p);
    if (!p || each_word(list, len, add_word, &p->words)) {
        cs_pairwords_free(p);
        errno = ENOMEM;
        return NULL;
    }
    if (p->words.n == 0) {
        cs_pairwords_free(p);
        errno = EINVAL;
        return NULL;
    }
    return p;
}

void cs_pairwords_free(cs_pairwords *p)
{
    if (!p)
        return;
    cs_idset_free(&p->words);
    free(p);
}

size_t cs_pairwords_count(const cs_pairwords *p)
{
    return p->words.n;
}

int cs_pairwords_has(const cs_pairwords *p, const char *w, size_t len)
{
    return cs_idset_has(&p->words, w, len);
}

size_t cs_pair_term(const char *a, size_t alen, const char *b, size_t blen, char *buf,
                    size_t cap)
{
    size_t pl = strlen(CS_PREFIX_PAIR), n = pl + alen + 1 + blen;
    if (n >= cap || n > CS_MAX_TERM_BYTES)
        return 0;
    memcpy(buf, CS_PREFIX_PAIR, pl);
    memcpy(buf + pl, a, alen);
    buf[pl + alen] = ' ';
    memcpy(buf + pl + alen + 1, b, blen);
    buf[n] = '\0';
    return n;
}
