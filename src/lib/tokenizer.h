/* tokenizer.h -- ICU word segmentation and the exact/folded term forms.
 *
 * Text is split with ICU's word break iterator; segments with rule status
 * UBRK_WORD_NONE (spaces, punctuation) are dropped. Vietnamese syllables are
 * separate words, so each syllable is a token with its own position, which
 * is what phrase search needs.
 *
 * Each token has two forms:
 *   exact  -- NFC, Unicode case-folded:       "Bắc" -> "bắc"
 *   folded -- exact with diacritics removed:  "bắc" -> "bac", "Đổi" -> "doi"
 * Folding = NFD, drop non-spacing marks, đ/Đ -> d, then NFC (so non-Latin
 * letters keep their base form). The folded form is what matching uses; the
 * exact form lets ranking prefer exact accented matches.
 *
 * Vietnamese spelling variants are unified first (vnorm.h): the exact form
 * has the canonical tone placement ("Hoà"/"hòa" -> "hòa"), look-alike
 * letters mapped ("Ðà" with U+00D0 -> "đà") and stray combining marks merged;
 * both forms write i for y in unaccented syllables like "ky" and y for i in
 * "qui", so "kĩ"/"kỹ" share the folded form "ki" while keeping their own
 * exact forms ("kĩ", "kỹ"), and "ky" has exact = folded = "ki".
 */
#ifndef CS_TOKENIZER_H
#define CS_TOKENIZER_H

#include <stddef.h>

typedef struct cs_token {
    const char *exact;    /* NUL-terminated; valid only during the callback */
    size_t exact_len;
    const char *folded;   /* NUL-terminated; valid only during the callback */
    size_t folded_len;
    size_t start, end;    /* byte offsets of the word in the input text */
    unsigned pos;         /* 0-based word position */
    int is_number;        /* ICU says UBRK_WORD_NUMBER */
} cs_token;

/* Called once per word; return non-zero to stop tokenizing. */
typedef int (*cs_token_fn)(const cs_token *tok, void *ud);

/* A tokenizer holds ICU break iterators and buffers; use one per thread. */
typedef struct cs_tokenizer cs_tokenizer;

/* NULL on ICU failure (message in *err when err is not NULL; static). */
cs_tokenizer *cs_tokenizer_new(const char **err);
void cs_tokenizer_free(cs_tokenizer *tk);

/* Tokenize `len` bytes of clean UTF-8 (see text.h). Words longer than
 * CS_MAX_WORD_BYTES (exact form) are skipped. Positions start at
 * `first_pos`. Returns the number of tokens produced (>= 0), or -1 on ICU
 * failure. */
#define CS_MAX_WORD_BYTES 64
long cs_tokenize(cs_tokenizer *tk, const char *text, size_t len,
                 unsigned first_pos, cs_token_fn fn, void *ud);

/* cs_casefold gives the exact form, cs_fold the folded form of a word or
 * string, the same way the tokenizer makes them (so queries match). Writes into buf (NUL-terminated); returns the length, or -1 if it does not
 * fit or the input is not valid UTF-8. */
long cs_casefold(const char *s, size_t len, char *buf, size_t bufsize);
long cs_fold(const char *s, size_t len, char *buf, size_t bufsize);

/* Non-zero if `s` carries diacritics, i.e. its folded form differs from its
 * case-folded form. */
int cs_has_diacritics(const char *s, size_t len);

#endif
