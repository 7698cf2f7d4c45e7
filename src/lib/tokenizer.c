/* tokenizer.c -- ICU word segmentation and the exact/folded term forms.
 *
 * Segmentation: one ICU word break iterator (root locale; "vi" has no rules
 * of its own and only falls back to root) per tokenizer, reused for every
 * text. It runs over a UTF-16 copy of the text (twice as fast as over UTF-8
 * through a UText), and boundaries are mapped back to byte offsets as we go.
 *
 * Term forms. The definitions (the "slow path", done with ICU on UTF-16):
 *   exact0  = NFC(drop_Cf(full_case_fold(word)))
 *   folded0 = NFC(map_dstroke(drop_Mn(NFD(exact0))))
 * drop_Cf removes format characters (ZWJ, ZWNJ, soft hyphen, word joiner...)
 * that ICU keeps inside words; drop_Mn removes non-spacing marks; map_dstroke
 * turns đ/Đ into d, since đ has no decomposition. Then Vietnamese spelling
 * variants are unified (vnorm.h):
 *   exact   = unify_iy(exact0 of canon(exact0))
 *   folded  = unify_iy(folded0 of canon(exact0))
 * canon puts tone marks on their canonical vowel ("hoà" -> "hòa") and maps
 * look-alike letters and leftover combining marks; unify_iy turns "ky" into
 * "ki" and "qui" into "quy" in unaccented syllables, so "kĩ" and "kỹ" share
 * the folded form "ki" but keep their own exact forms.
 *
 * Running ICU's normaliser twice per word is far too slow for a whole corpus,
 * so a table built once per process maps every BMP code point to its two
 * forms (the "fast path"). Case folding has no context and, when every output
 * character has an NFC boundary before it, normalisation cannot reach across
 * characters either, so gluing the per-character forms together gives exactly
 * what the slow path gives. Code points for which that does not hold
 * (combining marks, Hangul jamo, supplementary planes, invalid bytes) send
 * the whole word down the slow path.
 */
#include "tokenizer.h"
#include "vnorm.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

/* Words whose input is longer than this are skipped without looking at them:
 * case folding and NFC shrink a word by at most a factor of three (K, the
 * Kelvin sign, 3 bytes -> k), so their exact form could not fit in
 * CS_MAX_WORD_BYTES anyway (unless padded with format characters, which are
 * dropped). This also keeps a megabyte-long "word" from costing anything. */
#define MAX_INPUT_WORD (4 * CS_MAX_WORD_BYTES)

/* Longest per-code-point form the table stores; longer ones go slow. */
#define SLOT 8

/* ------------------------------------------------------------------------
 * Scratch buffers: UTF-16 work space for the slow path and the UTF-8 output
 * of both paths. Grown on demand, never shrunk; zero-initialised is empty.
 * ---------------------------------------------------------------------- */

typedef struct scratch {
    UChar *u[3];
    int32_t ucap[3];
    char *exact, *folded;
    size_t ecap, fcap;
    size_t elen, flen;
    char *canon;      /* cs_vn_canon's output */
    size_t ccap;
    int need_canon;   /* cs_vn_canon might change the exact form */
} scratch;

static void scratch_free(scratch *sc) {
    for (int i = 0; i < 3; i++) free(sc->u[i]);
    free(sc->exact);
    free(sc->folded);
    free(sc->canon);
    memset(sc, 0, sizeof(*sc));
}

/* Make room for `n` UChars in sc->u[k]. 0 on success, -1 out of memory. */
static int ureserve(scratch *sc, int k, int32_t n) {
    if (n <= sc->ucap[k]) return 0;
    UChar *p = realloc(sc->u[k], (size_t)n * sizeof(UChar));
    if (!p) return -1;
    sc->u[k] = p;
    sc->ucap[k] = n;
    return 0;
}

/* Make room for `n` bytes in *buf. 0 on success, -1 out of memory. */
static int creserve(char **buf, size_t *cap, size_t n) {
    if (n <= *cap) return 0;
    char *p = realloc(*buf, n);
    if (!p) return -1;
    *buf = p;
    *cap = n;
    return 0;
}

/* ------------------------------------------------------------------------
 * Slow path: the definitions, with ICU.
 * ---------------------------------------------------------------------- */

/* Case-fold u[from][0..n) into u[to]. New length, or -1 on failure. */
static int32_t fold_case16(scratch *sc, int from, int32_t n, int to) {
    for (;;) {
        UErrorCode e = U_ZERO_ERROR;
        int32_t m = u_strFoldCase(sc->u[to], sc->ucap[to], sc->u[from], n,
                                  U_FOLD_CASE_DEFAULT, &e);
        if (e == U_BUFFER_OVERFLOW_ERROR) {
            if (ureserve(sc, to, m + 1)) return -1;
            continue;
        }
        return U_FAILURE(e) ? -1 : m;
    }
}

/* Normalise u[from][0..n) into u[to] with `nz`. New length, or -1. */
static int32_t normalize16(scratch *sc, const UNormalizer2 *nz, int from,
                           int32_t n, int to) {
    for (;;) {
        UErrorCode e = U_ZERO_ERROR;
        int32_t m = unorm2_normalize(nz, sc->u[from], n, sc->u[to],
                                     sc->ucap[to], &e);
        if (e == U_BUFFER_OVERFLOW_ERROR) {
            if (ureserve(sc, to, m + 1)) return -1;
            continue;
        }
        return U_FAILURE(e) ? -1 : m;
    }
}

/* Filter u[k][0..n) in place: drop format characters (gc Cf), and with
 * `strip_marks` also drop non-spacing marks (gc Mn) and map đ/Đ to d.
 * Returns the new length. */
static int32_t filter16(scratch *sc, int k, int32_t n, int strip_marks) {
    UChar *s = sc->u[k];
    int32_t i = 0, o = 0;
    while (i < n) {
        UChar32 c;
        int32_t at = i;
        U16_NEXT(s, i, n, c);
        int8_t gc = u_charType(c);
        if (gc == U_FORMAT_CHAR) continue;
        if (strip_marks) {
            if (gc == U_NON_SPACING_MARK) continue;
            if (c == 0x0110 || c == 0x0111) {
                s[o++] = 'd';
                continue;
            }
        }
        while (at < i) s[o++] = s[at++];
    }
    return o;
}

/* UTF-16 to UTF-8 into a growable buffer, NUL-terminated. 0 or -1. */
static int to_utf8(const UChar *u, int32_t n, char **buf, size_t *cap,
                   size_t *outlen) {
    for (;;) {
        UErrorCode e = U_ZERO_ERROR;
        int32_t m;
        u_strToUTF8(*buf, (int32_t)(*cap > INT32_MAX ? INT32_MAX : *cap), &m,
                    u, n, &e);
        if (e == U_BUFFER_OVERFLOW_ERROR ||
            (U_SUCCESS(e) && (size_t)m >= *cap)) {
            if (creserve(buf, cap, (size_t)m + 1)) return -1;
            continue;
        }
        if (U_FAILURE(e)) return -1;
        (*buf)[m] = '\0';
        *outlen = (size_t)m;
        return 0;
    }
}

/* Both forms of `len` bytes of UTF-8 (invalid sequences read as U+FFFD)
 * into sc->exact / sc->folded. 0 on success, -1 on ICU failure or out of
 * memory. */
static int slow_forms(scratch *sc, const char *s, size_t len) {
    UErrorCode e = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&e);
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&e);
    if (U_FAILURE(e) || len >= INT32_MAX / 4) return -1;

    /* A UTF-8 string never has more UTF-16 units than bytes. */
    if (ureserve(sc, 0, (int32_t)len + 1)) return -1;
    int32_t n;
    u_strFromUTF8WithSub(sc->u[0], sc->ucap[0], &n, s, (int32_t)len,
                         0xFFFD, NULL, &e);
    if (U_FAILURE(e)) return -1;

    /* exact: fold (u0 -> u1), drop Cf, NFC (u1 -> u0) */
    if ((n = fold_case16(sc, 0, n, 1)) < 0) return -1;
    n = filter16(sc, 1, n, 0);
    if ((n = normalize16(sc, nfc, 1, n, 0)) < 0) return -1;
    if (to_utf8(sc->u[0], n, &sc->exact, &sc->ecap, &sc->elen)) return -1;

    /* folded: NFD (u0 -> u1), drop Mn and map đ, NFC (u1 -> u2) */
    if ((n = normalize16(sc, nfd, 0, n, 1)) < 0) return -1;
    n = filter16(sc, 1, n, 1);
    if ((n = normalize16(sc, nfc, 1, n, 2)) < 0) return -1;
    return to_utf8(sc->u[2], n, &sc->folded, &sc->fcap, &sc->flen);
}

/* ------------------------------------------------------------------------
 * Fast path: the per-code-point table.
 * ---------------------------------------------------------------------- */

typedef struct cp_map {
    uint8_t simple;          /* the forms below may be glued together */
    uint8_t elen, flen;
    uint8_t vn;              /* VN_* summary of the exact form */
    char exact[SLOT];
    char folded[SLOT];
} cp_map;

/* What the exact form of a code point holds that cs_vn_canon cares about
 * (see cs_vn_cp_class): the number of vowel letters (low bits), a toned
 * vowel, a shaped vowel (ă â ê ô ơ ư), both in one letter, a look-alike or
 * combining mark. Lets make_forms skip cs_vn_canon for the words it cannot
 * change, most of them: "nội", "việt", "năm", "tỉnh", "và". */
#define VN_VOWELS 0x07
#define VN_TONED 0x08
#define VN_SHAPED 0x10
#define VN_TONED_SHAPED 0x20
#define VN_SPECIAL 0x40

/* VN_VOWELS for ASCII bytes (lower and upper case). */
static const uint8_t g_ascii_vowel[128] = {
    ['a'] = 1, ['e'] = 1, ['i'] = 1, ['o'] = 1, ['u'] = 1, ['y'] = 1,
    ['A'] = 1, ['E'] = 1, ['I'] = 1, ['O'] = 1, ['U'] = 1, ['Y'] = 1,
};

static cp_map g_map[0x10000];
static const char *g_map_err;
static pthread_once_t g_map_once = PTHREAD_ONCE_INIT;

/* Non-zero if every code point of the UTF-8 `s` has an NFC boundary before
 * it, i.e. nothing before it can combine or reorder with it. */
static int all_boundaries(const UNormalizer2 *nfc, const char *s, size_t n) {
    int32_t i = 0, len = (int32_t)n;
    while (i < len) {
        UChar32 c;
        U8_NEXT(s, i, len, c);
        if (c < 0 || !unorm2_hasBoundaryBefore(nfc, c)) return 0;
    }
    return 1;
}

/* The VN_* summary of `n` bytes of UTF-8. */
static uint8_t vn_summary(const char *s, size_t n) {
    unsigned vowels = 0, flags = 0;
    int32_t i = 0, len = (int32_t)n;
    while (i < len) {
        UChar32 c;
        U8_NEXT(s, i, len, c);
        int k = c < 0 ? 0 : cs_vn_cp_class((unsigned)c);
        if (k & CS_VN_CP_SPECIAL) flags |= VN_SPECIAL;
        if (k & CS_VN_CP_TONED) flags |= VN_TONED;
        if (k & CS_VN_CP_SHAPED) flags |= VN_SHAPED;
        if ((k & CS_VN_CP_TONED) && (k & CS_VN_CP_SHAPED))
            flags |= VN_TONED_SHAPED;
        if (k & CS_VN_CP_VOWEL) vowels++;
    }
    return (uint8_t)(flags | (vowels > VN_VOWELS ? VN_VOWELS : vowels));
}

/* pthread_once routine: fill g_map with the slow path's answers, marking
 * which entries the fast path may use. Sets g_map_err on failure. */
static void build_map(void) {
    UErrorCode e = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&e);
    if (U_FAILURE(e)) {
        g_map_err = "ICU: cannot load the NFC normaliser";
        return;
    }
    scratch sc = {0};
    for (UChar32 c = 0; c < 0x10000; c++) {
        char in[4];
        int32_t n = 0;
        if (U_IS_SURROGATE(c)) continue; /* never decoded from valid UTF-8 */
        U8_APPEND_UNSAFE(in, n, c);
        if (slow_forms(&sc, in, (size_t)n)) {
            g_map_err = "ICU: case folding or normalisation failed";
            break;
        }
        cp_map *m = &g_map[c];
        if (sc.elen > SLOT || sc.flen > SLOT ||
            !unorm2_hasBoundaryBefore(nfc, c) ||
            !all_boundaries(nfc, sc.exact, sc.elen) ||
            !all_boundaries(nfc, sc.folded, sc.flen))
            continue;
        m->simple = 1;
        m->vn = vn_summary(sc.exact, sc.elen);
        m->elen = (uint8_t)sc.elen;
        m->flen = (uint8_t)sc.flen;
        memcpy(m->exact, sc.exact, sc.elen);
        memcpy(m->folded, sc.folded, sc.flen);
    }
    scratch_free(&sc);
}

/* Build the table once per process. NULL on success, else a static error. */
static const char *map_ready(void) {
    if (pthread_once(&g_map_once, build_map) != 0)
        return "pthread_once failed";
    return g_map_err;
}

/* Both forms of `len` bytes via the table into sc->exact / sc->folded.
 * Returns 1 when done, 0 when some code point needs the slow path, -1 when
 * out of memory. The table must be ready. */
static int fast_forms(scratch *sc, const char *s, size_t len) {
    /* Every code point takes at least one input byte and gives at most SLOT
     * output bytes, so this reservation makes the loop need no checks. */
    size_t need = SLOT * len + 1;
    if (creserve(&sc->exact, &sc->ecap, need) ||
        creserve(&sc->folded, &sc->fcap, need))
        return -1;
    char *e = sc->exact, *f = sc->folded;
    const uint8_t *p = (const uint8_t *)s;
    int32_t i = 0, n = (int32_t)len;
    unsigned vowels = 0, toned = 0, shaped = 0, vn = 0;
    while (i < n) {
        uint8_t b = p[i];
        if (b < 0x80) {
            i++;
            vowels += g_ascii_vowel[b];
            if (b >= 'A' && b <= 'Z') b |= 0x20;
            *e++ = (char)b;
            *f++ = (char)b;
            continue;
        }
        UChar32 c;
        U8_NEXT(p, i, n, c);
        if (c < 0 || c > 0xFFFF || !g_map[c].simple) return 0;
        const cp_map *m = &g_map[c];
        vowels += m->vn & VN_VOWELS;
        toned += (m->vn & VN_TONED) != 0;
        shaped += (m->vn & VN_SHAPED) != 0;
        vn |= m->vn;
        memcpy(e, m->exact, SLOT); /* SLOT-wide copies: cheaper than exact */
        memcpy(f, m->folded, SLOT);
        e += m->elen;
        f += m->flen;
    }
    *e = '\0';
    *f = '\0';
    sc->need_canon = (vn & VN_SPECIAL) ||
                     (toned && vowels >= 2 &&
                      !(toned == 1 && shaped == 1 && (vn & VN_TONED_SHAPED)));
    sc->elen = (size_t)(e - sc->exact);
    sc->flen = (size_t)(f - sc->folded);
    return 1;
}

/* exact0 and folded0 (see the top of the file) of `len` bytes into sc;
 * sc->need_canon says whether cs_vn_canon might change the exact form. 0 on
 * success, -1 on failure. */
static int base_forms(scratch *sc, const char *s, size_t len) {
    if (len >= INT32_MAX / (2 * SLOT)) return -1;
    int r = fast_forms(sc, s, len);
    if (r < 0) return -1;
    if (r == 0) {
        sc->need_canon = 1;
        return slow_forms(sc, s, len);
    }
    return 0;
}

/* Both forms of `len` bytes into sc, spelling variants unified. 0 on
 * success, -1 on failure. */
static int make_forms(scratch *sc, const char *s, size_t len) {
    if (base_forms(sc, s, len)) return -1;
    /* Most words have no look-alikes and at most one vowel, or no tone:
     * cs_vn_canon would not change them. */
    if (sc->need_canon) {
        unsigned changes;
        size_t need = sc->elen + sc->elen / 2 + 1;
        if (creserve(&sc->canon, &sc->ccap, need)) return -1;
        long n = cs_vn_canon(sc->exact, sc->elen, sc->canon, sc->ccap,
                             &changes);
        if (n < 0) return -1;
        /* Rare (a few % of words): redo both forms from the canonical
         * spelling, which is already case-folded NFC, so the exact form is
         * exactly it and the folded form follows from it. */
        if (changes && base_forms(sc, sc->canon, (size_t)n)) return -1;
    }
    /* An unaccented "ky" in the exact form is also one in the folded form,
     * so the exact form needs a look only when the folded one changed. */
    if (cs_vn_unify_iy(sc->folded, sc->flen))
        cs_vn_unify_iy(sc->exact, sc->elen);
    return 0;
}

/* ------------------------------------------------------------------------
 * The tokenizer.
 * ---------------------------------------------------------------------- */

struct cs_tokenizer {
    UBreakIterator *brk;
    UChar *u16;      /* the input in UTF-16, for the break iterator */
    int32_t u16cap;
    UText *ut;       /* fallback: the input as UTF-8, via utext_openUTF8 */
    scratch sc;
};

/* Kept between calls up to this many UChars; a bigger buffer is freed after
 * the call that needed it. */
#define KEEP_U16 (1 << 20)

cs_tokenizer *cs_tokenizer_new(const char **err) {
    const char *msg = map_ready();
    if (msg) {
        if (err) *err = msg;
        return NULL;
    }
    cs_tokenizer *tk = calloc(1, sizeof(*tk));
    if (!tk) {
        if (err) *err = "out of memory";
        return NULL;
    }
    UErrorCode e = U_ZERO_ERROR;
    tk->brk = ubrk_open(UBRK_WORD, "", NULL, 0, &e);
    if (U_SUCCESS(e)) tk->ut = utext_openUTF8(NULL, "", 0, &e);
    /* Room for the longest word the fast path will see, so that tokenizing
     * normally allocates nothing. */
    if (U_SUCCESS(e) &&
        (creserve(&tk->sc.exact, &tk->sc.ecap, SLOT * MAX_INPUT_WORD + 1) ||
         creserve(&tk->sc.folded, &tk->sc.fcap, SLOT * MAX_INPUT_WORD + 1)))
        e = U_MEMORY_ALLOCATION_ERROR;
    if (U_FAILURE(e)) {
        if (err) *err = "ICU: cannot open a word break iterator";
        cs_tokenizer_free(tk);
        return NULL;
    }
    return tk;
}

void cs_tokenizer_free(cs_tokenizer *tk) {
    if (!tk) return;
    if (tk->brk) ubrk_close(tk->brk);
    if (tk->ut) utext_close(tk->ut);
    free(tk->u16);
    scratch_free(&tk->sc);
    free(tk);
}

/* Non-zero if the word holds something besides ASCII punctuation: ICU makes
 * words of underscore runs ("___", WB ExtendNumLet), which are not terms. */
static int has_content(const char *w, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)w[i];
        unsigned char lower = b | 0x20;
        if (b >= 0x80 || (b >= '0' && b <= '9') ||
            (lower >= 'a' && lower <= 'z'))
            return 1;
    }
    return 0;
}

/* Bytes that the UTF-16 units u[0..n) take in UTF-8. Surrogates come in
 * pairs, and a pair is 4 bytes. */
static size_t utf8_bytes(const UChar *u, int32_t n) {
    size_t b = 0;
    for (int32_t i = 0; i < n; i++) {
        UChar c = u[i];
        b += c < 0x80 ? 1 : c < 0x800 || U16_IS_SURROGATE(c) ? 2 : 3;
    }
    return b;
}

/* Point the break iterator at `text`. ICU breaks UTF-16 about twice as fast
 * as UTF-8 through a UText, so the text is converted; *utf16 says so, and
 * boundaries must then be mapped back to byte offsets. Text with invalid
 * UTF-8 (which clean text never has) goes through the UText instead, whose
 * indexes are byte offsets already: U+FFFD substitutions would break the
 * mapping. 0 on success, -1 on failure. */
static int set_text(cs_tokenizer *tk, const char *text, size_t len,
                    int *utf16) {
    UErrorCode e = U_ZERO_ERROR;
    int32_t n, subs = 0;
    /* A UTF-8 string never has more UTF-16 units than bytes. */
    if ((int32_t)len >= tk->u16cap) {
        free(tk->u16);
        tk->u16cap = 0;
        if (!(tk->u16 = malloc(((size_t)len + 1) * sizeof(UChar)))) return -1;
        tk->u16cap = (int32_t)len + 1;
    }
    u_strFromUTF8WithSub(tk->u16, tk->u16cap, &n, text, (int32_t)len,
                         0xFFFD, &subs, &e);
    *utf16 = U_SUCCESS(e) && subs == 0;
    e = U_ZERO_ERROR;
    if (*utf16) {
        ubrk_setText(tk->brk, tk->u16, n, &e);
    } else {
        utext_openUTF8(tk->ut, text, (int64_t)len, &e);
        ubrk_setUText(tk->brk, tk->ut, &e);
    }
    return U_FAILURE(e) ? -1 : 0;
}

/* Tokenize; see tokenizer.h. Details of the contract:
 * - Skipped words (exact form longer than CS_MAX_WORD_BYTES, empty once
 *   format characters are dropped, or made of ASCII punctuation only) take
 *   no position: the next word gets the position the skipped one would have
 *   had.
 * - The return value counts callback calls, including the one that asked to
 *   stop. `fn` may be NULL, to count words.
 * - Inputs of 2 GiB or more are refused (-1): ICU offsets are 32-bit. */
long cs_tokenize(cs_tokenizer *tk, const char *text, size_t len,
                 unsigned first_pos, cs_token_fn fn, void *ud) {
    if (!tk || (!text && len)) return -1;
    if (len >= INT32_MAX) return -1;
    if (len == 0) return 0;
    int utf16;
    if (set_text(tk, text, len, &utf16)) return -1;

    long count = 0;
    unsigned pos = first_pos;
    int32_t from = ubrk_first(tk->brk), to;   /* ICU's indexes */
    size_t start = 0, end;                    /* byte offsets */
    for (; (to = ubrk_next(tk->brk)) != UBRK_DONE; from = to, start = end) {
        end = utf16 ? start + utf8_bytes(tk->u16 + from, to - from)
                    : (size_t)to;
        /* Half the segments are spaces: no need to ask ICU about them. */
        if ((unsigned char)text[start] <= ' ') continue;
        int32_t status = ubrk_getRuleStatus(tk->brk);
        if (status >= UBRK_WORD_NONE && status < UBRK_WORD_NONE_LIMIT)
            continue;
        size_t wlen = end - start;
        if (wlen > MAX_INPUT_WORD || !has_content(text + start, wlen))
            continue;
        if (make_forms(&tk->sc, text + start, wlen)) {
            count = -1;
            break;
        }
        if (tk->sc.elen == 0 || tk->sc.elen > CS_MAX_WORD_BYTES) continue;

        cs_token tok = {
            .exact = tk->sc.exact,
            .exact_len = tk->sc.elen,
            .folded = tk->sc.folded,
            .folded_len = tk->sc.flen,
            .start = start,
            .end = end,
            .pos = pos++,
            .is_number = status >= UBRK_WORD_NUMBER &&
                         status < UBRK_WORD_NUMBER_LIMIT,
        };
        count++;
        if (fn && fn(&tok, ud)) break;
    }
    /* Let go of the text; it is the caller's, and may be freed next. */
    UErrorCode e = U_ZERO_ERROR;
    ubrk_setText(tk->brk, NULL, 0, &e);
    if (tk->u16cap > KEEP_U16) {
        free(tk->u16);
        tk->u16 = NULL;
        tk->u16cap = 0;
    }
    return count;
}

/* ------------------------------------------------------------------------
 * Forms of arbitrary strings (query words).
 * ---------------------------------------------------------------------- */

/* Non-zero if `len` bytes are well-formed UTF-8 (no overlongs, surrogates
 * or code points past U+10FFFF). */
static int valid_utf8(const char *s, size_t len) {
    const uint8_t *p = (const uint8_t *)s;
    int32_t i = 0, n = (int32_t)len;
    while (i < n) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        UChar32 c;
        U8_NEXT(p, i, n, c);
        if (c < 0) return 0;
    }
    return 1;
}

/* Compute both forms of `s` into a fresh scratch. 0 on success; -1 on bad
 * input or failure, with nothing left to free. */
static int string_forms(scratch *sc, const char *s, size_t len) {
    memset(sc, 0, sizeof(*sc));
    if ((!s && len) || len >= INT32_MAX / (2 * SLOT) || map_ready())
        return -1;
    if (!valid_utf8(s, len) || make_forms(sc, s ? s : "", len)) {
        scratch_free(sc);
        return -1;
    }
    return 0;
}

/* Copy `n` bytes plus a NUL into buf. Returns n, or -1 if it does not fit. */
static long copy_out(const char *src, size_t n, char *buf, size_t bufsize) {
    if (!buf || n >= bufsize) return -1;
    memcpy(buf, src, n);
    buf[n] = '\0';
    return (long)n;
}

long cs_casefold(const char *s, size_t len, char *buf, size_t bufsize) {
    scratch sc;
    if (string_forms(&sc, s, len)) return -1;
    long r = copy_out(sc.exact, sc.elen, buf, bufsize);
    scratch_free(&sc);
    return r;
}

long cs_fold(const char *s, size_t len, char *buf, size_t bufsize) {
    scratch sc;
    if (string_forms(&sc, s, len)) return -1;
    long r = copy_out(sc.folded, sc.flen, buf, bufsize);
    scratch_free(&sc);
    return r;
}

/* Returns 0 for invalid UTF-8 (nothing can be said about it). */
int cs_has_diacritics(const char *s, size_t len) {
    scratch sc;
    if (string_forms(&sc, s, len)) return 0;
    int r = sc.elen != sc.flen || memcmp(sc.exact, sc.folded, sc.elen) != 0;
    scratch_free(&sc);
    return r;
}
