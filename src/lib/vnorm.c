/* vnorm.c -- Vietnamese spelling variants: canonical syllables and i/y.
 *
 * A Vietnamese syllable is (onset) (medial) nucleus (coda) with one tone.
 * Writers disagree on which vowel letter carries the tone mark, on i/y after
 * some consonants, and keyboards and converters produce several Unicode
 * encodings of the same letters. This module rewrites each syllable to one
 * form, BY RULE on its structure (no word list).
 *
 * Parsing a syllable (letters are case-folded for the analysis, the case of
 * each letter is kept in the output):
 *   onset   ngh ng nh ch gh gi kh ph qu th tr b c d đ g h k l m n p r s t v x
 *           or none. The u of "qu" and the i of "gi" belong to the onset when
 *           a vowel follows ("quý" = qu+y, "giá" = gi+a), but "gì", "gìn" are
 *           g+i(+n).
 *   vowels  one of the clusters in g_clusters (nucleus plus medial o/u and a
 *           final glide i/y/o/u), each marked as allowed with or without a
 *           consonant coda ("iê", "ươ", "ă", "â" need one, "ai", "ươi" cannot
 *           have one).
 *   coda    c ch m n ng nh p t, or none.
 * Anything else (f j w z, other letters or marks, two tones, "café",
 * "Straße", English words) is not a syllable and is left alone.
 *
 * Canonical tone placement ("hòa" style, the one the national papers and
 * the baomoi corpus use; the examples of issue 8): the tone goes on
 *   1. the last vowel with a shape mark (ă â ê ô ơ ư): "người" (ơ of ươ),
 *      "mưa", "quyết", "khuấy", "thuở";
 *   2. otherwise, when there is a consonant coda, the last vowel: "hoàng",
 *      "toán", "huỳnh", "khoét";
 *   3. otherwise (open syllable) the first of two vowels or the middle of
 *      three: "hòa", "hóa", "khỏe", "thủy", "tùy", "ủy", "mía", "của",
 *      "hoài", "khuỷu".
 * Only rule 3 differs between the two styles in use: the other ("hoà") style
 * puts the mark on the second vowel of open "oa", "oe", "uy". As a side
 * effect misplaced marks are fixed too ("gía" -> "giá", "qúa" -> "quá",
 * "ngừơi" -> "người").
 *
 * Unicode forms. The tokenizer hands over NFC text, but NFC leaves a tone
 * mark typed before the shape mark ("á" U+0302) or a tone mark on a consonant
 * uncomposed; here combining tone marks (U+0300 U+0301 U+0303 U+0309 U+0323,
 * and U+0340/U+0341) count as the syllable's tone wherever they are, and
 * combining circumflex, breve and horn join the letter before them; U+034F
 * (combining grapheme joiner) is dropped. The result is precomposed.
 *
 * Look-alikes. "Đ" is often typed as the Icelandic eth "Ð" (U+00D0) or the
 * African "Ɖ" (U+0189), which case-fold to ð / ɖ. They are read as đ only as
 * the onset of a syllable that otherwise parses as Vietnamese: Icelandic and
 * Faroese words never start with ð, so "Ðà Nẵng" is mapped and "það", "ðað"
 * are not. Cyrillic and Greek letters that look like Latin ones (а е о р с у
 * х і, and the capitals А В Е К М Н О Р С Т У Х, Α Β Ε Η Ι Κ Μ Ν Ο Ρ Τ Υ Χ
 * in either case, as case folding may already have happened) are mapped only
 * inside a syllable that also has a genuine Latin letter and parses as
 * Vietnamese: a whole Cyrillic or Greek word ("со", "но") is never touched.
 *
 * i/y (cs_vn_unify_iy). In syllables whose whole rhyme is i/y after a
 * consonant, the two letters are the same sound and both spellings are
 * current ("kĩ/kỹ thuật", "lí/lý do", "mĩ/mỹ", "sĩ/sỹ", "tỉ/tỷ lệ", "công
 * ti/ty", "hi/hy sinh", "vĩ/vỹ", "mì/mỳ"). The old convention (after Đào Duy
 * Anh's dictionary) wrote y in Sino-Vietnamese words after h k l m t and qu;
 * the school rules (1984, and QĐ 1989/QĐ-BGDĐT of 2018, art. 9) write i after
 * any initial consonant, but let proper names keep their spelling ("Vi",
 * "Vỹ", "Thy"); s and v are added here because "sỹ", "vỹ" are common in the
 * corpora. The rule: a syllable that is exactly one of h k l m s t v plus i/y
 * is written with i in the unified form; "qui" is written "quy" (after qu
 * the u is a glide, "qui" and "quy" are both /kwi/, and "quy" is the usual
 * spelling). Not merged, because the two spellings are different words or
 * the variant does not exist:
 *   - "y"/"i" alone: "y" (y tế, ý kiến) and "i"/"ì" (ì ạch) are different
 *     words, and standalone "y" is standard in both spelling systems;
 *   - y in a diphthong: "tay"/"tai", "may"/"mai", "tuy"/"tui", "thủy"/
 *     "thủi" are different rhymes; "yê"/"iê" never alternate;
 *   - other onsets (b d đ g gh gi n ng ngh nh p ph r x ch kh th tr): Vietnamese
 *     never writes y after them, so there is nothing to unify, and merging
 *     would only touch foreign words ("by", "try", "thy"); "thy" is left out
 *     also because "Thy" is a given name distinct in use from "thi";
 *   - syllables with a coda ("quýt"/"quít" is left alone: "quit" is English).
 * Known costs: English "my" folds with Vietnamese "mi"/"mỹ" (it already
 * matched "mỹ" once diacritics were dropped), the given names Vy/Vi and
 * Ly/Li match each other, as accent-less queries already match Vỹ, Vì...
 * The written form is kept in the exact form whenever it has diacritics, so
 * an exact match still ranks first.
 */
#include "vnorm.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/utf8.h>

/* Longest run of letters looked at as a syllable ("nghiêng" has 7). */
#define MAXL 10

/* Shape marks on a base letter. */
enum { SH_NONE, SH_CIRC, SH_BREVE, SH_HORN, SH_STROKE };

/* Kinds of code points met while scanning a run of letters. */
enum {
    K_OTHER = 0,  /* not a letter: ends a run */
    K_ALIEN,      /* a letter or mark that is not Vietnamese: spoils the run */
    K_LETTER,     /* a (possibly toned) Vietnamese letter, or a look-alike */
    K_TONE,       /* a combining tone mark */
    K_SHAPE,      /* a combining circumflex, breve or horn */
    K_IGNORE      /* U+034F, dropped */
};

/* What a code point is to a syllable. For letters: the ASCII base, shape,
 * tone (0 none, 1 grave, 2 acute, 3 hook, 4 tilde, 5 dot) and flags. */
typedef struct cp_info {
    uint8_t kind;
    uint8_t ch;     /* K_LETTER: 'a'..'z' */
    uint8_t shape;  /* K_LETTER, K_SHAPE */
    uint8_t tone;   /* K_LETTER, K_TONE */
    uint8_t upper;
    uint8_t alike;  /* 1: ð/ɖ-like d, 2: Cyrillic/Greek homoglyph */
} cp_info;

/* The twelve vowel letters, as base and shape, in vowel-id order. */
static const struct { char ch; uint8_t shape; } g_vowels[12] = {
    {'a', SH_NONE}, {'a', SH_BREVE}, {'a', SH_CIRC}, {'e', SH_NONE},
    {'e', SH_CIRC}, {'i', SH_NONE},  {'o', SH_NONE}, {'o', SH_CIRC},
    {'o', SH_HORN}, {'u', SH_NONE},  {'u', SH_HORN}, {'y', SH_NONE},
};

/* Valid vowel clusters (nucleus with medial and final glide). OPEN: may end
 * the syllable; CLOSED: may take a consonant coda. */
#define OPEN 1
#define CLOSED 2
static const struct { const char *v; uint8_t flags; } g_clusters[] = {
    {"a", OPEN | CLOSED},  {"ă", CLOSED},         {"â", CLOSED},
    {"e", OPEN | CLOSED},  {"ê", OPEN | CLOSED},  {"i", OPEN | CLOSED},
    {"o", OPEN | CLOSED},  {"ô", OPEN | CLOSED},  {"ơ", OPEN | CLOSED},
    {"u", OPEN | CLOSED},  {"ư", OPEN | CLOSED},  {"y", OPEN | CLOSED},
    {"ai", OPEN},  {"ao", OPEN},  {"au", OPEN},  {"ay", OPEN},
    {"âu", OPEN},  {"ây", OPEN},  {"eo", OPEN},  {"êu", OPEN},
    {"ia", OPEN},  {"iu", OPEN},  {"oi", OPEN},  {"ôi", OPEN},
    {"ơi", OPEN},  {"ua", OPEN},  {"ui", OPEN},  {"ưa", OPEN},
    {"ưi", OPEN},  {"ưu", OPEN},  {"uơ", OPEN},
    {"iê", CLOSED}, {"yê", CLOSED}, {"uô", CLOSED}, {"ươ", CLOSED},
    {"oă", CLOSED}, {"uâ", CLOSED}, {"oo", CLOSED}, {"uyê", CLOSED},
    {"oa", OPEN | CLOSED}, {"oe", OPEN | CLOSED}, {"uê", OPEN | CLOSED},
    {"uy", OPEN | CLOSED},
    {"iêu", OPEN}, {"yêu", OPEN}, {"oai", OPEN}, {"oao", OPEN},
    {"oay", OPEN}, {"oeo", OPEN}, {"uây", OPEN}, {"uôi", OPEN},
    {"uya", OPEN}, {"uyu", OPEN}, {"ươi", OPEN}, {"ươu", OPEN},
};

/* Onsets other than single consonants and "qu"/"gi" (handled apart). */
static const char *const g_onsets2[] = {"ch", "gh", "kh", "ng", "nh",
                                        "ph", "th", "tr"};
static const char g_onset1[] = "bcdghklmnprstvx";

/* Codas. */
static const char *const g_codas[] = {"c", "ch", "m", "n", "ng", "nh",
                                      "p", "t"};

/* Cyrillic and Greek look-alikes: code point, Latin letter, upper-case. */
static const struct { uint16_t cp; char ch; uint8_t upper; } g_homoglyphs[] = {
    {0x0406, 'i', 1}, {0x0410, 'a', 1}, {0x0412, 'b', 1}, {0x0415, 'e', 1},
    {0x041A, 'k', 1}, {0x041C, 'm', 1}, {0x041D, 'h', 1}, {0x041E, 'o', 1},
    {0x0420, 'p', 1}, {0x0421, 'c', 1}, {0x0422, 't', 1}, {0x0423, 'y', 1},
    {0x0425, 'x', 1}, {0x0430, 'a', 0}, {0x0432, 'b', 0}, {0x0435, 'e', 0},
    {0x043A, 'k', 0}, {0x043C, 'm', 0}, {0x043D, 'h', 0}, {0x043E, 'o', 0},
    {0x0440, 'p', 0}, {0x0441, 'c', 0}, {0x0442, 't', 0}, {0x0443, 'y', 0},
    {0x0445, 'x', 0}, {0x0456, 'i', 0},
    {0x0391, 'a', 1}, {0x0392, 'b', 1}, {0x0395, 'e', 1}, {0x0397, 'h', 1},
    {0x0399, 'i', 1}, {0x039A, 'k', 1}, {0x039C, 'm', 1}, {0x039D, 'n', 1},
    {0x039F, 'o', 1}, {0x03A1, 'p', 1}, {0x03A4, 't', 1}, {0x03A5, 'y', 1},
    {0x03A7, 'x', 1}, {0x03B1, 'a', 0}, {0x03B2, 'b', 0}, {0x03B5, 'e', 0},
    {0x03B7, 'h', 0}, {0x03B9, 'i', 0}, {0x03BA, 'k', 0}, {0x03BC, 'm', 0},
    {0x03BD, 'n', 0}, {0x03BF, 'o', 0}, {0x03C1, 'p', 0}, {0x03C4, 't', 0},
    {0x03C5, 'y', 0}, {0x03C7, 'x', 0},
};

/* Combining marks: tone marks in tone order, then the shape marks. */
static const uint16_t g_tone_marks[6] = {0, 0x0300, 0x0301, 0x0309, 0x0303,
                                         0x0323};

/* ------------------------------------------------------------------------
 * Tables, built once from ICU's composition data (so no code point is
 * typed by hand).
 * ---------------------------------------------------------------------- */

#define LO_END 0x0500            /* g_lo covers U+0000..U+04FF */
#define HI_START 0x1EA0          /* g_hi covers U+1EA0..U+1EFF */
#define HI_END 0x1F00

static cp_info g_lo[LO_END];
static cp_info g_hi[HI_END - HI_START];
/* Precomposed code point of vowel v with tone t, lower [0] / upper [1]. */
static uint32_t g_compose[12][6][2];
/* Cluster flags by key (vowel ids + 1, 4 bits each). */
static uint8_t g_cluster_flags[1 << 12];
static int g_ready;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static cp_info *info_slot(uint32_t cp) {
    if (cp < LO_END) return &g_lo[cp];
    if (cp >= HI_START && cp < HI_END) return &g_hi[cp - HI_START];
    return NULL;
}

/* Vowel id + 1 by base letter and shape; 0: not a vowel. */
static uint8_t g_vid[26][5];

/* The vowel id of base ch ('a'..'z') with shape, or -1. */
static int vowel_id(int ch, int shape) {
    if (ch < 'a' || ch > 'z' || shape < 0 || shape > SH_STROKE) return -1;
    return (int)g_vid[ch - 'a'][shape] - 1;
}

/* NFC of base + shape mark + tone mark as one code point, 0 if it does not
 * compose to one. */
static uint32_t compose(const UNormalizer2 *nfc, int base, int shape,
                        int tone) {
    static const uint16_t shape_marks[] = {0, 0x0302, 0x0306, 0x031B};
    UChar in[3], out[4];
    int32_t n = 0;
    UErrorCode e = U_ZERO_ERROR;
    in[n++] = (UChar)base;
    if (shape) in[n++] = shape_marks[shape];
    if (tone) in[n++] = g_tone_marks[tone];
    int32_t m = unorm2_normalize(nfc, in, n, out, 4, &e);
    if (U_FAILURE(e) || m != 1) return 0;
    return out[0];
}

/* Key of a cluster given as UTF-8 toneless lower-case vowels; 0 if some
 * character is not one of the twelve vowels. */
static unsigned cluster_key_utf8(const char *s) {
    unsigned key = 0, shift = 0;
    int32_t i = 0, n = (int32_t)strlen(s);
    while (i < n) {
        UChar32 c;
        U8_NEXT(s, i, n, c);
        const cp_info *in = c >= 0 ? info_slot((uint32_t)c) : NULL;
        int v = in && in->kind == K_LETTER && in->tone == 0
                    ? vowel_id(in->ch, in->shape) : -1;
        if (v < 0 || shift > 8) return 0;
        key |= (unsigned)(v + 1) << shift;
        shift += 4;
    }
    return key;
}

/* pthread_once routine: fill the tables. Leaves g_ready 0 if ICU fails. */
static void build_tables(void) {
    UErrorCode e = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&e);
    if (U_FAILURE(e)) return;
    for (int v = 0; v < 12; v++)
        g_vid[g_vowels[v].ch - 'a'][g_vowels[v].shape] = (uint8_t)(v + 1);
    for (int c = 'a'; c <= 'z'; c++) {
        g_lo[c] = (cp_info){K_LETTER, (uint8_t)c, SH_NONE, 0, 0, 0};
        g_lo[c - 32] = (cp_info){K_LETTER, (uint8_t)c, SH_NONE, 0, 1, 0};
    }
    for (int v = 0; v < 12; v++) {
        for (int t = 0; t < 6; t++) {
            for (int up = 0; up < 2; up++) {
                int base = up ? g_vowels[v].ch - 32 : g_vowels[v].ch;
                uint32_t cp = compose(nfc, base, g_vowels[v].shape, t);
                cp_info *slot = cp ? info_slot(cp) : NULL;
                if (!slot) return; /* ICU data not what Unicode says */
                g_compose[v][t][up] = cp;
                *slot = (cp_info){K_LETTER, (uint8_t)g_vowels[v].ch,
                                  g_vowels[v].shape, (uint8_t)t,
                                  (uint8_t)up, 0};
            }
        }
    }
    g_lo[0x0110] = (cp_info){K_LETTER, 'd', SH_STROKE, 0, 1, 0}; /* Đ */
    g_lo[0x0111] = (cp_info){K_LETTER, 'd', SH_STROKE, 0, 0, 0}; /* đ */
    g_lo[0x00D0] = (cp_info){K_LETTER, 'd', SH_STROKE, 0, 1, 1}; /* Ð */
    g_lo[0x00F0] = (cp_info){K_LETTER, 'd', SH_STROKE, 0, 0, 1}; /* ð */
    g_lo[0x0189] = (cp_info){K_LETTER, 'd', SH_STROKE, 0, 1, 1}; /* Ɖ */
    g_lo[0x0256] = (cp_info){K_LETTER, 'd', SH_STROKE, 0, 0, 1}; /* ɖ */
    for (size_t i = 0; i < sizeof g_homoglyphs / sizeof g_homoglyphs[0]; i++)
        g_lo[g_homoglyphs[i].cp] =
            (cp_info){K_LETTER, (uint8_t)g_homoglyphs[i].ch, SH_NONE, 0,
                      g_homoglyphs[i].upper, 2};
    for (int t = 1; t < 6; t++)
        g_lo[g_tone_marks[t]] = (cp_info){K_TONE, 0, 0, (uint8_t)t, 0, 0};
    g_lo[0x0340] = (cp_info){K_TONE, 0, 0, 1, 0, 0}; /* grave tone mark */
    g_lo[0x0341] = (cp_info){K_TONE, 0, 0, 2, 0, 0}; /* acute tone mark */
    g_lo[0x0302] = (cp_info){K_SHAPE, 0, SH_CIRC, 0, 0, 0};
    g_lo[0x0306] = (cp_info){K_SHAPE, 0, SH_BREVE, 0, 0, 0};
    g_lo[0x031B] = (cp_info){K_SHAPE, 0, SH_HORN, 0, 0, 0};
    g_lo[0x034F] = (cp_info){K_IGNORE, 0, 0, 0, 0, 0};
    for (size_t i = 0; i < sizeof g_clusters / sizeof g_clusters[0]; i++) {
        unsigned key = cluster_key_utf8(g_clusters[i].v);
        if (!key) return;
        g_cluster_flags[key] = g_clusters[i].flags;
    }
    g_ready = 1;
}

static int tables_ready(void) {
    return pthread_once(&g_once, build_tables) == 0 && g_ready;
}

/* What code point cp is to a syllable. Letters outside our tables are
 * K_ALIEN, and so are marks we do not know; everything else ends a run. */
static inline cp_info classify(UChar32 cp) {
    cp_info none = {K_OTHER, 0, 0, 0, 0, 0};
    if (cp < 0) return none;
    const cp_info *in = info_slot((uint32_t)cp);
    if (in && in->kind != K_OTHER) return *in;
    if (cp < 0x80) return none;
    int8_t gc = u_charType(cp);
    if (u_isalpha(cp) || gc == U_NON_SPACING_MARK ||
        gc == U_COMBINING_SPACING_MARK || gc == U_ENCLOSING_MARK) {
        none.kind = K_ALIEN;
    }
    return none;
}

int cs_vn_cp_class(unsigned cp) {
    if (cp > 0x10FFFF || !tables_ready()) return 0;
    cp_info in = classify((UChar32)cp);
    switch (in.kind) {
    case K_LETTER:
        if (in.alike) return CS_VN_CP_SPECIAL;
        if (vowel_id(in.ch, in.shape) < 0) return 0;
        return CS_VN_CP_VOWEL | (in.tone ? CS_VN_CP_TONED : 0) |
               (in.shape != SH_NONE ? CS_VN_CP_SHAPED : 0);
    case K_TONE:
    case K_SHAPE:
    case K_IGNORE:
        return CS_VN_CP_SPECIAL;
    default:
        return 0;
    }
}

/* ------------------------------------------------------------------------
 * Syllables.
 * ---------------------------------------------------------------------- */

typedef struct letter {
    uint8_t ch, shape, upper;
    int8_t vid;       /* vowel id, -1 for a consonant */
} letter;

typedef struct syllable {
    letter l[MAXL];
    int n;            /* letters */
    int tone;         /* 0 none */
    int tone_at;      /* letter that carried it (or that a combining tone
                       * mark followed); -1 if none */
    unsigned flags;   /* CS_VN_LOOKALIKE / CS_VN_UNICODE seen */
    int ok;           /* still possibly a syllable */
    int latin;        /* letters that are not look-alikes */
    int homoglyphs;
    int vowels;       /* letters that may be vowels */
} syllable;

/* Add code point info `in` to the syllable being read. */
static void syl_add(syllable *sy, const cp_info *in) {
    if (!sy->ok) return;
    switch (in->kind) {
    case K_LETTER:
        if (sy->n == MAXL) {
            sy->ok = 0;
            return;
        }
        if (in->tone) {
            if (sy->tone) sy->ok = 0;
            sy->tone = in->tone;
            sy->tone_at = sy->n;
        }
        if (in->alike) {
            sy->flags |= CS_VN_LOOKALIKE;
            if (in->alike == 2) sy->homoglyphs++;
        } else {
            sy->latin++;
        }
        int8_t v = (int8_t)vowel_id(in->ch, in->shape);
        sy->vowels += v >= 0;
        sy->l[sy->n++] = (letter){in->ch, in->shape, in->upper, v};
        return;
    case K_TONE:
        if (sy->tone || sy->n == 0) sy->ok = 0;
        sy->tone = in->tone;
        sy->tone_at = sy->n - 1;
        sy->flags |= CS_VN_UNICODE;
        return;
    case K_SHAPE: {
        letter *p = sy->n ? &sy->l[sy->n - 1] : NULL;
        int v = p ? vowel_id(p->ch, in->shape) : -1;
        if (!p || p->shape != SH_NONE || v < 0) {
            sy->ok = 0;
            return;
        }
        p->shape = in->shape;
        p->vid = (int8_t)v;
        sy->flags |= CS_VN_UNICODE;
        return;
    }
    case K_IGNORE:
        sy->flags |= CS_VN_UNICODE;
        return;
    default:
        sy->ok = 0;
    }
}

static int is_vowel(const letter *l) {
    return l->vid >= 0;
}

/* Non-zero if the letters l[0..n) spell the ASCII string s exactly. */
static int spells(const letter *l, int n, const char *s) {
    for (int i = 0; i < n; i++)
        if (s[i] != (char)l[i].ch || l[i].shape != SH_NONE) return 0;
    return s[n] == '\0';
}

/* Length of the onset of sy, or -1 if the letters cannot start a syllable. */
static int onset_len(const syllable *sy) {
    const letter *l = sy->l;
    int n = sy->n;
    if (is_vowel(&l[0])) return 0;
    if (l[0].ch == 'd' && l[0].shape == SH_STROKE) return 1;
    if (n >= 3 && spells(l, 3, "ngh")) return 3;
    if (n >= 3 && (spells(l, 2, "qu") || spells(l, 2, "gi")) &&
        is_vowel(&l[2]))
        return 2;
    if (l[0].ch == 'q') return -1;
    for (size_t i = 0; i < sizeof g_onsets2 / sizeof g_onsets2[0]; i++)
        if (n >= 2 && spells(l, 2, g_onsets2[i])) return 2;
    if (l[0].shape == SH_NONE && strchr(g_onset1, l[0].ch)) return 1;
    return -1;
}

/* Non-zero if l[0..n) is a coda (n may be 0). */
static int is_coda(const letter *l, int n) {
    if (n == 0) return 1;
    for (size_t i = 0; i < sizeof g_codas / sizeof g_codas[0]; i++)
        if ((int)strlen(g_codas[i]) == n && spells(l, n, g_codas[i])) return 1;
    return 0;
}

/* Parse sy; on success returns the index of the letter the tone belongs on
 * (or of the first vowel when there is no tone), else -1. */
static int canonical_tone_letter(const syllable *sy) {
    if (!sy->ok || sy->n == 0) return -1;
    if (sy->homoglyphs && sy->latin == 0) return -1;
    int on = onset_len(sy);
    if (on < 0) return -1;
    int v0 = on, v1 = on;
    unsigned key = 0;
    while (v1 < sy->n && is_vowel(&sy->l[v1])) {
        if (v1 - v0 == 3) return -1;
        key |= (unsigned)(sy->l[v1].vid + 1) << (4 * (v1 - v0));
        v1++;
    }
    int nv = v1 - v0, ncoda = sy->n - v1;
    if (nv == 0 || !is_coda(&sy->l[v1], ncoda)) return -1;
    uint8_t fl = g_cluster_flags[key];
    if (!(fl & (ncoda ? CLOSED : OPEN))) return -1;
    /* 1. the last vowel with a shape mark */
    for (int i = v1 - 1; i >= v0; i--)
        if (sy->l[i].shape != SH_NONE) return i;
    /* 2. closed syllable: the last vowel; 3. open: first of two, middle of
     * three */
    if (ncoda) return v1 - 1;
    return nv == 3 ? v0 + 1 : v0;
}

/* Append code point cp to buf at *o; 0 if it does not fit. */
static int put_cp(char *buf, size_t bufsize, size_t *o, uint32_t cp) {
    uint8_t b[4];
    int32_t n = 0;
    U8_APPEND_UNSAFE(b, n, cp);
    if (*o + (size_t)n >= bufsize) return 0;
    memcpy(buf + *o, b, (size_t)n);
    *o += (size_t)n;
    return 1;
}

/* Write syllable sy with the tone on letter `at`. 0 if it does not fit. */
static int emit_syllable(const syllable *sy, int at, char *buf,
                         size_t bufsize, size_t *o) {
    for (int i = 0; i < sy->n; i++) {
        const letter *l = &sy->l[i];
        uint32_t cp;
        int v = l->vid;
        if (v >= 0)
            cp = g_compose[v][i == at ? sy->tone : 0][l->upper];
        else if (l->shape == SH_STROKE)
            cp = l->upper ? 0x0110 : 0x0111;
        else
            cp = l->upper ? (uint32_t)l->ch - 32 : l->ch;
        if (!put_cp(buf, bufsize, o, cp)) return 0;
    }
    return 1;
}

/* Read the run of letters starting at s[i] into sy; returns its end. */
static size_t read_run(const char *s, size_t len, size_t i, syllable *sy) {
    const uint8_t *p = (const uint8_t *)s;
    sy->n = sy->tone = sy->latin = sy->homoglyphs = sy->vowels = 0;
    sy->flags = 0;
    sy->ok = 1;
    sy->tone_at = -1;
    while (i < len) {
        UChar32 c;
        int32_t j = (int32_t)i;
        U8_NEXT(p, j, (int32_t)len, c);
        cp_info in = classify(c);
        if (in.kind == K_OTHER) break;
        syl_add(sy, &in);
        i = (size_t)j;
    }
    return i;
}

long cs_vn_canon(const char *s, size_t len, char *buf, size_t bufsize,
                 unsigned *changes) {
    unsigned what = 0;
    size_t i = 0, o = 0;
    if (changes) *changes = 0;
    if (!buf || bufsize == 0 || (!s && len) || len > (size_t)INT32_MAX ||
        !tables_ready())
        return -1;
    while (i < len) {
        uint8_t b = (uint8_t)s[i];
        /* Non-letter ASCII is copied at once; everything else starts a run
         * (or is a non-letter read by read_run as an empty run). */
        if (b < 0x80 && !((b | 0x20) >= 'a' && (b | 0x20) <= 'z')) {
            if (o + 1 >= bufsize) return -1;
            buf[o++] = (char)b;
            i++;
            continue;
        }
        syllable sy;
        size_t end = read_run(s, len, i, &sy);
        if (end == i) {
            /* a non-letter code point, or invalid bytes: copy one */
            UChar32 c;
            int32_t j = 0, n = (int32_t)(len - i < 4 ? len - i : 4);
            U8_NEXT((const uint8_t *)s + i, j, n, c);
            end = i + (size_t)j;
        }
        /* Most syllables need no parse: nothing to move or merge. */
        int at = !sy.flags && (!sy.tone || sy.vowels < 2)
                     ? -1 : canonical_tone_letter(&sy);
        unsigned fl = sy.flags;
        if (at >= 0 && sy.tone && sy.tone_at != at) fl |= CS_VN_TONE;
        if (at >= 0 && fl) {
            if (!emit_syllable(&sy, at, buf, bufsize, &o)) return -1;
            what |= fl;
        } else {
            if (o + (end - i) >= bufsize) return -1;
            memcpy(buf + o, s + i, end - i);
            o += end - i;
        }
        i = end;
    }
    buf[o] = '\0';
    if (changes) *changes = what;
    return (long)o;
}

/* ------------------------------------------------------------------------
 * i/y.
 * ---------------------------------------------------------------------- */

static int is_ascii_letter(uint8_t b) {
    return (b | 0x20) >= 'a' && (b | 0x20) <= 'z';
}

/* Non-zero if the code point ending just before s[i] (i > 0) or starting at
 * s[i] (i < len) -- per `before` -- would continue a run of letters. */
static int letter_at(const char *s, size_t len, size_t i, int before) {
    const uint8_t *p = (const uint8_t *)s;
    UChar32 c;
    if (before) {
        if (i == 0) return 0;
        int32_t k = (int32_t)i;
        U8_PREV(p, 0, k, c);
    } else {
        if (i >= len) return 0;
        int32_t k = (int32_t)i;
        U8_NEXT(p, k, (int32_t)len, c);
    }
    if (c < 0) return 0;
    if (c < 0x80) return is_ascii_letter((uint8_t)c);
    int8_t gc = u_charType(c);
    return u_isalpha(c) || gc == U_NON_SPACING_MARK ||
           gc == U_COMBINING_SPACING_MARK || gc == U_ENCLOSING_MARK;
}

/* Non-zero if ASCII c is one of the onsets after which i/y alternate. */
static int iy_onset(char c) {
    switch (c) {
    case 'h': case 'k': case 'l': case 'm': case 's': case 't': case 'v':
        return 1;
    default:
        return 0;
    }
}

size_t cs_vn_unify_iy(char *s, size_t len) {
    size_t changed = 0;
    if (!s || len > (size_t)INT32_MAX) return 0;
    /* Look only at the last letter of candidate syllables ("ky", "qui"):
     * one compare per byte for most words. */
    for (size_t i = 1; i < len; i++) {
        char c = s[i];
        if (c == 'y') {
            if (iy_onset(s[i - 1]) && !letter_at(s, len, i - 1, 1) &&
                !letter_at(s, len, i + 1, 0)) {
                s[i] = 'i';
                changed++;
            }
        } else if (c == 'i' && i >= 2 && s[i - 2] == 'q' && s[i - 1] == 'u' &&
                   !letter_at(s, len, i - 2, 1) &&
                   !letter_at(s, len, i + 1, 0)) {
            s[i] = 'y';
            changed++;
        }
    }
    return changed;
}
