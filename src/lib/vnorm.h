/* vnorm.h -- Vietnamese spelling variants: one word, however it was typed.
 *
 * The tokenizer (tokenizer.c) calls these on every word so that the exact
 * and folded term forms, and query words made the same way, do not depend
 * on which of several equivalent spellings an article or a user chose:
 *
 *   cs_vn_canon     on the exact form: canonical tone-mark placement
 *                   ("hoà" -> "hòa", "thuỷ" -> "thủy", "gía" -> "giá"),
 *                   look-alike letters ("Ðà" U+00D0 -> "Đà"), and
 *                   combining marks merged into precomposed letters in
 *                   either order ("a" U+0301 U+0302 -> "ấ").
 *   cs_vn_unify_iy  on both forms: the i/y spelling variants after a
 *                   consonant ("ky" -> "ki", "qui" -> "quy"). Applied to the
 *                   folded form it unifies "kĩ"/"kỹ" for matching; the exact
 *                   form keeps a written "kỹ" (it is not ASCII), so the
 *                   written spelling still ranks first.
 *
 * Both work syllable by syllable: a syllable is a maximal run of letters
 * (and combining marks); runs that are not a valid Vietnamese syllable shape
 * ("café", "naïve", "Straße", English words) are left exactly as they are.
 * The rules and their exceptions are documented in vnorm.c.
 */
#ifndef CS_VNORM_H
#define CS_VNORM_H

#include <stddef.h>

/* What cs_vn_canon changed, OR-ed together over the syllables of a string. */
enum {
    CS_VN_TONE = 1,      /* a tone mark moved to its canonical vowel */
    CS_VN_LOOKALIKE = 2, /* Ð/Ɖ/ð/ɖ, or a Cyrillic/Greek homoglyph, mapped */
    CS_VN_UNICODE = 4    /* combining marks merged into precomposed letters */
};

/* Canonicalise each Vietnamese syllable of the UTF-8 string s[0..len) into
 * buf (NUL-terminated), preserving the case of every letter; everything else
 * is copied unchanged. *changes (may be NULL) gets the CS_VN_* flags of what
 * changed, 0 if the output equals the input. The output is never longer than
 * len + len / 2 bytes. Returns the output length, or -1 if buf is NULL or
 * too small, or s is NULL with len > 0. Invalid UTF-8 is copied as is (it is
 * never part of a syllable). The result is stable: canonicalising it again
 * changes nothing. */
long cs_vn_canon(const char *s, size_t len, char *buf, size_t bufsize,
                 unsigned *changes);

/* How code point cp takes part in cs_vn_canon's changes, so that callers
 * can skip words it cannot change. Flags: CS_VN_CP_VOWEL (a Vietnamese vowel
 * letter, either case), CS_VN_CP_TONED (the vowel has a tone mark),
 * CS_VN_CP_SHAPED (the vowel is one of ă â ê ô ơ ư), or CS_VN_CP_SPECIAL
 * alone (a look-alike letter, or a combining mark it merges or drops); 0 for
 * anything else. cs_vn_canon returns a string unchanged when it has no
 * SPECIAL code point and either no TONED one, or fewer than two VOWELs, or
 * exactly one TONED and one SHAPED vowel that are the same letter (rule 1 of
 * vnorm.c already holds). */
enum {
    CS_VN_CP_VOWEL = 1,
    CS_VN_CP_TONED = 2,
    CS_VN_CP_SHAPED = 4,
    CS_VN_CP_SPECIAL = 8
};
int cs_vn_cp_class(unsigned cp);

/* Unify i/y in place in s[0..len): each syllable made of exactly one of the
 * consonants h k l m s t v and "y" becomes that consonant and "i" ("ky" ->
 * "ki", "my" -> "mi"), and "qui" becomes "quy"; letters must be lower-case
 * ASCII (a folded form, or an exact form's unaccented syllables). The length
 * never changes. Returns the number of syllables changed. */
size_t cs_vn_unify_iy(char *s, size_t len);

#endif
