/* text.c -- turning raw bytes from the corpus into clean, NFC UTF-8.
 *
 * cs_text_clean() makes one pass over the bytes (BOM, line ends, invalid
 * UTF-8, control and invisible characters, typographic apostrophes), then
 * normalises to NFC with ICU. Most articles are valid, already-NFC UTF-8, so
 * the pass copies runs of ordinary characters with one memcpy, and ICU only
 * converts and normalises text holding a character that is not "NFC-inert"
 * (Quick_Check=Yes and combining class 0; true of precomposed Vietnamese
 * letters), which is rare. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "text.h"

/* Code points below this all have NFC_Quick_Check=Yes and combining class
 * 0 (see nfc_inert()). */
#define NFC_FIRST_SENSITIVE 0x300

/* 1 for bytes that pass through the cleaner unchanged on their own: printable
 * ASCII, tab and newline. */
static const unsigned char plain_ascii[256] = {
    ['\t'] = 1, ['\n'] = 1,
    [0x20] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x20-0x2f */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,          /* 0x30-0x3f */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,          /* 0x40-0x4f */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,          /* 0x50-0x5f */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,          /* 0x60-0x6f */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,             /* 0x70-0x7e */
};

/* Decode one code point from s[0..n), n >= 1. Returns its length (1-4) and
 * sets *cp, or, for invalid bytes, returns -k where k >= 1 is the length of
 * the "maximal subpart" (Unicode ch. 3, U+FFFD substitution): the longest
 * prefix that could start a valid sequence, replaced by one U+FFFD. This
 * rejects overlongs, surrogates and code points above U+10FFFF by limiting
 * the range of the second byte. */
static int utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c = s[0];
    unsigned lo = 0x80, hi = 0xBF;
    uint32_t v;
    int need;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        v = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0;          /* overlong */
        else if (c == 0xED)
            hi = 0x9F;          /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        v = c & 0x07;
        if (c == 0xF0)
            lo = 0x90;          /* overlong */
        else if (c == 0xF4)
            hi = 0x8F;          /* above U+10FFFF */
    } else {
        return -1;              /* continuation byte, C0, C1, F5-FF */
    }
    for (int i = 1; i <= need; i++) {
        if ((size_t)i >= n || s[i] < lo || s[i] > hi)
            return -i;
        v = (v << 6) | (s[i] & 0x3F);
        lo = 0x80;
        hi = 0xBF;
    }
    *cp = v;
    return need + 1;
}

/* utf8_decode() with the common cases (ASCII, 2-byte, 3-byte outside
 * E0/ED, which need range checks) done inline. */
static inline int utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c = s[0];

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF && n >= 2 && (s[1] & 0xC0) == 0x80) {
        *cp = ((uint32_t)(c & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if (c >= 0xE1 && c <= 0xEF && c != 0xED && n >= 3 &&
        (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
        *cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) |
              (s[2] & 0x3F);
        return 3;
    }
    return utf8_decode(s, n, cp);
}

/* Non-zero if s[0..len) is valid UTF-8. */
int cs_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    uint32_t cp;

    while (i < len) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        int k = utf8_next(p + i, len - i, &cp);
        if (k < 0)
            return 0;
        i += (size_t)k;
    }
    return 1;
}

/* A growable output buffer; on allocation failure `data` becomes NULL and
 * every later call is a no-op, so callers check once at the end. */
typedef struct outbuf {
    char *data;
    size_t len, cap;
} outbuf;

/* Room for `extra` more bytes plus a NUL; 0 (buffer freed) when out of
 * memory. */
static int out_reserve(outbuf *o, size_t extra)
{
    if (o->data == NULL)
        return 0;
    if (o->len + extra + 1 <= o->cap)
        return 1;
    size_t cap = o->cap * 2;
    if (cap < o->len + extra + 1)
        cap = o->len + extra + 1;
    char *d = realloc(o->data, cap);
    if (d == NULL) {
        free(o->data);
        o->data = NULL;
        return 0;
    }
    o->data = d;
    o->cap = cap;
    return 1;
}

/* Append n bytes. */
static void out_put(outbuf *o, const void *p, size_t n)
{
    if (out_reserve(o, n)) {
        memcpy(o->data + o->len, p, n);
        o->len += n;
    }
}

/* Append one code point (a valid scalar value) as UTF-8. */
static void out_cp(outbuf *o, uint32_t cp)
{
    unsigned char b[4];
    size_t n;

    if (cp < 0x80) {
        b[0] = (unsigned char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (unsigned char)(0xC0 | (cp >> 6));
        b[1] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (cp >> 12));
        b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (unsigned char)(0xF0 | (cp >> 18));
        b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    out_put(o, b, n);
}

/* The whitespace that separates words in cleaned text. */
static int is_space_cp(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n';
}

/* Letters for the apostrophe rule; combining marks count, so that text in
 * decomposed form ("e" + U+0301 + U+2019 + "s") is treated like NFC text. */
static int is_letter_cp(uint32_t cp)
{
    if (cp < 0x80)
        return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
    return u_isalpha((UChar32)cp) ||
           u_charType((UChar32)cp) == U_NON_SPACING_MARK;
}

/* Invisible characters dropped without a trace: zero width space, word
 * joiner, BOM used as ZWNBSP, soft hyphen. ZWJ/ZWNJ are kept: they change
 * rendering and meaning in several scripts. */
static int is_invisible_cp(uint32_t cp)
{
    return cp == 0x200B || cp == 0x2060 || cp == 0xFEFF || cp == 0x00AD;
}

/* State of the cleaning pass. `last` is the last code point written (0 at
 * the start); `sep` is set when controls were removed after a non-space and
 * becomes one space if a non-space follows, so "a\0b" gives "a b". */
typedef struct cleaner {
    outbuf out;
    uint32_t last;
    int need_nfc;       /* some character may change under NFC */
    int sep;
    cs_clean_report rep;
} cleaner;

/* Only called with characters that cannot change under NFC. */
static void emit_cp(cleaner *c, uint32_t cp)
{
    if (c->sep && !is_space_cp(cp))
        out_put(&c->out, " ", 1);
    c->sep = 0;
    out_cp(&c->out, cp);
    c->last = cp;
}

/* Non-zero for characters that keep text NFC whatever surrounds them:
 * NFC_Quick_Check=Yes and canonical combining class 0. Text made only of
 * these is NFC, so ICU need not look at it. */
static int nfc_inert_icu(uint32_t cp)
{
    return u_getIntPropertyValue((UChar32)cp, UCHAR_NFC_QUICK_CHECK) ==
               UNORM_YES && u_getCombiningClass((UChar32)cp) == 0;
}

/* The same answer for the BMP as a bitmap (8 KiB, built once, ~1 ms):
 * asking ICU per character costs more than the rest of the cleaning. */
static uint64_t nfc_inert_bmp[0x10000 / 64];
static pthread_once_t nfc_inert_once = PTHREAD_ONCE_INIT;

/* Fill nfc_inert_bmp; run once through pthread_once. */
static void nfc_inert_init(void)
{
    for (uint32_t cp = 0; cp < 0x10000; cp++)
        if (cp < NFC_FIRST_SENSITIVE || nfc_inert_icu(cp))
            nfc_inert_bmp[cp / 64] |= (uint64_t)1 << (cp % 64);
}

/* nfc_inert_icu() answered from the bitmap for the BMP. */
static int nfc_inert(uint32_t cp)
{
    if (cp < NFC_FIRST_SENSITIVE)
        return 1;
    if (cp >= 0x10000)
        return nfc_inert_icu(cp);
    pthread_once(&nfc_inert_once, nfc_inert_init);
    return (int)(nfc_inert_bmp[cp / 64] >> (cp % 64)) & 1;
}

/* Characters the run copier must stop at: clean_one() rewrites them. */
static int is_special_cp(uint32_t cp)
{
    return cp <= 0x9F || cp == 0x2019 || is_invisible_cp(cp);
}

/* Count a removed control character at raw offset `off`; ask for a
 * separating space if it followed a word. */
static void drop_control(cleaner *c, size_t off)
{
    if (c->rep.control_chars++ == 0)
        c->rep.first_control_offset = off;
    if (c->last != 0 && !is_space_cp(c->last))
        c->sep = 1;
}

/* Copy the longest run starting at in[i] of characters that pass through
 * unchanged (plain ASCII and valid UTF-8 that is not special) with one
 * memcpy. Returns the index after the run (i when in[i] is special). */
static size_t copy_run(cleaner *c, const unsigned char *in, size_t len,
                       size_t i)
{
    size_t j = i;
    uint32_t last = c->last, cp;

    while (j < len) {
        if (plain_ascii[in[j]]) {
            last = in[j++];
            continue;
        }
        if (in[j] < 0x80)
            break;
        int k = utf8_next(in + j, len - j, &cp);
        if (k < 0 || is_special_cp(cp))
            break;
        if (!c->need_nfc && !nfc_inert(cp))
            c->need_nfc = 1;
        last = cp;
        j += (size_t)k;
    }
    if (j == i)
        return i;
    if (c->sep && !is_space_cp(in[i]))
        out_put(&c->out, " ", 1);
    c->sep = 0;
    out_put(&c->out, in + i, j - i);
    c->last = last;
    return j;
}

/* Handle the special character at in[i] (CR, control, invalid UTF-8,
 * invisible, U+2019); returns the index after it. */
static size_t clean_one(cleaner *c, const unsigned char *in, size_t len,
                        size_t i)
{
    uint32_t cp, next;

    if (in[i] == '\r') {
        c->rep.had_crlf = 1;
        emit_cp(c, '\n');
        return (i + 1 < len && in[i + 1] == '\n') ? i + 2 : i + 1;
    }
    if (in[i] < 0x80) {                 /* NUL, other C0 controls, DEL */
        drop_control(c, i);
        return i + 1;
    }
    int k = utf8_decode(in + i, len - i, &cp);
    if (k < 0) {
        if (c->rep.invalid_sequences++ == 0)
            c->rep.first_invalid_offset = i;
        emit_cp(c, 0xFFFD);
        return i + (size_t)-k;
    }
    if (cp <= 0x9F) {                   /* C1 controls U+0080-U+009F */
        drop_control(c, i);
        return i + (size_t)k;
    }
    if (is_invisible_cp(cp)) {
        if (i == 0 && cp == 0xFEFF)
            c->rep.had_bom = 1;
        return i + (size_t)k;
    }
    if (cp == 0x2019 && is_letter_cp(c->last) && i + (size_t)k < len &&
        utf8_decode(in + i + k, len - i - k, &next) > 0 && is_letter_cp(next))
        cp = '\'';
    emit_cp(c, cp);
    return i + (size_t)k;
}

/* Normalise o->data to NFC in place (replacing the buffer). Returns 1 on
 * success, 0 when out of memory or ICU fails (o->data is left as is). */
static int to_nfc(outbuf *o, int *changed)
{
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
    UChar *u = NULL, *n = NULL;
    char *res = NULL;
    int32_t ulen = 0, nlen = 0, rlen = 0;
    int ok = 0;

    if (U_FAILURE(err) || o->len >= INT32_MAX / 3)
        return 0;
    /* UTF-16 never needs more units than UTF-8 needs bytes. */
    u = malloc((o->len + 1) * sizeof *u);
    if (u == NULL)
        goto done;
    u_strFromUTF8(u, (int32_t)o->len + 1, &ulen, o->data, (int32_t)o->len,
                  &err);
    if (U_FAILURE(err))
        goto done;
    if (unorm2_quickCheck(nfc, u, ulen, &err) == UNORM_YES && U_SUCCESS(err)) {
        ok = 1;
        goto done;
    }
    err = U_ZERO_ERROR;
    /* NFC rarely grows text (a few composition exclusions); retry once with
     * the exact size if it does. */
    for (int32_t cap = ulen + ulen / 4 + 16;;) {
        n = malloc((size_t)cap * sizeof *n);
        if (n == NULL)
            goto done;
        nlen = unorm2_normalize(nfc, u, ulen, n, cap, &err);
        if (err != U_BUFFER_OVERFLOW_ERROR)
            break;
        free(n);
        n = NULL;
        err = U_ZERO_ERROR;
        cap = nlen + 1;
    }
    if (U_FAILURE(err))
        goto done;
    size_t rcap = (size_t)nlen * 3 + 1;
    res = malloc(rcap);
    if (res == NULL)
        goto done;
    u_strToUTF8(res, (int32_t)rcap, &rlen, n, nlen, &err);
    if (U_FAILURE(err))
        goto done;
    res[rlen] = '\0';
    *changed = (size_t)rlen != o->len || memcmp(res, o->data, o->len) != 0;
    free(o->data);
    o->data = res;
    o->len = (size_t)rlen;
    o->cap = rcap;
    res = NULL;
    ok = 1;
done:
    free(u);
    free(n);
    free(res);
    return ok;
}

/* See text.h. The caller frees the result. */
char *cs_text_clean(const char *in, size_t len, size_t *out_len,
                    cs_clean_report *rep)
{
    const unsigned char *s = (const unsigned char *)in;
    cleaner c;
    size_t i = 0;

    memset(&c, 0, sizeof c);
    c.out.cap = len + len / 16 + 16;
    c.out.data = malloc(c.out.cap);
    if (c.out.data == NULL)
        return NULL;
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        c.rep.had_bom = 1;
        i = 3;
    }
    while (i < len && c.out.data != NULL) {
        size_t j = copy_run(&c, s, len, i);
        i = j > i ? j : clean_one(&c, s, len, i);
    }
    if (c.out.data == NULL)
        return NULL;
    if (c.need_nfc && !to_nfc(&c.out, &c.rep.changed_by_nfc)) {
        free(c.out.data);
        return NULL;
    }
    c.out.data[c.out.len] = '\0';
    if (out_len)
        *out_len = c.out.len;
    if (rep)
        *rep = c.rep;
    return c.out.data;
}

/* Signatures of common binary formats, checked before any statistics so
 * that even a short file of one of them is recognised. */
static const struct {
    const char *magic;
    size_t len;
} binary_magic[] = {
    { "\x7f" "ELF", 4 },
    { "\x89PNG\r\n\x1a\n", 8 },
    { "\x1f\x8b", 2 },                 /* gzip */
    { "%PDF-", 5 },
    { "PK\x03\x04", 4 },               /* zip, docx, epub */
    { "\xff\xd8\xff", 3 },             /* JPEG */
    { "GIF87a", 6 },
    { "GIF89a", 6 },
    { "\xfd" "7zXZ", 5 },              /* xz */
    { "7z\xbc\xaf\x27\x1c", 6 },
    { "\xff\xfe", 2 },                 /* UTF-16LE BOM: not UTF-8 text */
    { "\xfe\xff", 2 },                 /* UTF-16BE BOM */
};

/* See text.h. Only the first 64 KiB are looked at. */
int cs_text_looks_binary(const char *in, size_t len)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t n = len < 65536 ? len : 65536;
    size_t nul = 0, bad = 0, i = 0;
    uint32_t cp;

    for (size_t m = 0; m < sizeof binary_magic / sizeof binary_magic[0]; m++)
        if (n >= binary_magic[m].len &&
            memcmp(s, binary_magic[m].magic, binary_magic[m].len) == 0)
            return 1;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            if (c == 0)
                nul++;
            else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' &&
                      c != '\f' && c != '\v') || c == 0x7F)
                bad++;
            i++;
            continue;
        }
        int k = utf8_next(s + i, n - i, &cp);
        if (k < 0) {
            /* A sequence cut by the 64 KiB window is not evidence. */
            if (i + (size_t)-k >= n && n < len)
                break;
            bad += (size_t)-k;
            i += (size_t)-k;
        } else {
            if (cp <= 0x9F)
                bad++;
            i += (size_t)k;
        }
    }
    /* A stray NUL or two in a long article is damage to repair; NULs in more
     * than 2% of the bytes is what binary files and UTF-16 look like. */
    if (nul * 50 > n)
        return 1;
    return (nul + bad) * 10 > n;
}
