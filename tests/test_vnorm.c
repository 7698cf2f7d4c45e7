/* test_vnorm.c -- unit tests for vnorm.c (Vietnamese spelling variants),
 * and `test_vnorm --count DIR...`, which reports how many tokens of a corpus
 * the normalisation changes, by class. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "datafile.h"
#include "tokenizer.h"
#include "vnorm.h"

/* ---- helpers ---------------------------------------------------------- */

/* cs_vn_canon of the NUL-terminated `in` must be `want` with exactly the
 * change flags `flags`, and canonicalising the output again must change
 * nothing. */
static void expect_canon(const char *in, const char *want, unsigned flags) {
    char buf[256], again[256];
    unsigned ch = 99, ch2 = 99;
    long n = cs_vn_canon(in, strlen(in), buf, sizeof buf, &ch);
    if (n < 0 || strcmp(buf, want) != 0 || ch != flags)
        fail_msg("canon(\"%s\") = \"%s\" flags %u; want \"%s\" flags %u", in,
                 n < 0 ? "(error)" : buf, ch, want, flags);
    assert_int_equal(n, (long)strlen(want));
    assert_int_equal(cs_vn_canon(buf, (size_t)n, again, sizeof again, &ch2),
                     n);
    assert_string_equal(again, buf);
    assert_int_equal(ch2, 0);
}

/* `in` is left exactly as it is. */
static void expect_same(const char *in) {
    expect_canon(in, in, 0);
}

/* cs_vn_unify_iy of `in` gives `want`, changing `count` syllables. */
static void expect_iy(const char *in, const char *want, size_t count) {
    char buf[64];
    size_t n = strlen(in);
    assert_true(n < sizeof buf);
    memcpy(buf, in, n + 1);
    size_t got = cs_vn_unify_iy(buf, n);
    if (got != count || strcmp(buf, want) != 0)
        fail_msg("unify_iy(\"%s\") = \"%s\" (%zu); want \"%s\" (%zu)", in,
                 buf, got, want, count);
}

/* ---- tone placement --------------------------------------------------- */

static void test_old_style_to_canonical(void **state) {
    (void)state;
    /* the pairs of issue 8 */
    expect_canon("hoà", "hòa", CS_VN_TONE);
    expect_canon("hoá", "hóa", CS_VN_TONE);
    expect_canon("thuỷ", "thủy", CS_VN_TONE);
    expect_canon("tuỳ", "tùy", CS_VN_TONE);
    expect_canon("khoẻ", "khỏe", CS_VN_TONE);
    expect_canon("hoạ", "họa", CS_VN_TONE);
    expect_canon("uỷ", "ủy", CS_VN_TONE);
    /* every tone on open oa / oe / uy */
    expect_canon("loả", "lỏa", CS_VN_TONE);
    expect_canon("toã", "tõa", CS_VN_TONE);
    expect_canon("xoè", "xòe", CS_VN_TONE);
    expect_canon("loé", "lóe", CS_VN_TONE);
    expect_canon("hoẹ", "họe", CS_VN_TONE);
    expect_canon("huỷ", "hủy", CS_VN_TONE);
    expect_canon("luỹ", "lũy", CS_VN_TONE);
    expect_canon("thuý", "thúy", CS_VN_TONE);
    expect_canon("truỵ", "trụy", CS_VN_TONE);
}

static void test_canonical_unchanged(void **state) {
    (void)state;
    static const char *const words[] = {
        "người", "được", "của", "hòa", "hóa", "thủy", "tùy", "khỏe", "họa",
        "ủy", "hoàng", "thuyền", "nghiêng", "quý", "giá", "gì", "gìn",
        "giữa", "giếng", "khuỷu", "hoài", "ngoáy", "khuya", "yêu", "uống",
        "ướm", "tuổi", "cứu", "mưa", "quốc", "quyển", "hoặc", "tuần",
        "thuở", "huế", "xoong", "việt", "nam", "ý", "kỹ", "kĩ", "lý",
        "chuyển", "đổi", "số", "Đắk", "Lắk", "ngoẹo", "khuấy", "quả",
        "quỳnh", "huỳnh", "khoét", "toán", "oái", "ạ", "ừ",
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        expect_same(words[i]);
}

static void test_with_coda(void **state) {
    (void)state;
    /* with a final consonant the tone goes on the last vowel */
    expect_canon("hòang", "hoàng", CS_VN_TONE);
    expect_canon("tóan", "toán", CS_VN_TONE);
    expect_canon("hùynh", "huỳnh", CS_VN_TONE);   /* grows by a byte */
    expect_canon("khóet", "khoét", CS_VN_TONE);
    expect_canon("họach", "hoạch", CS_VN_TONE);
    expect_canon("xòang", "xoàng", CS_VN_TONE);
    /* ... unless a vowel has a shape mark: it takes the tone */
    expect_canon("tíên", "tiến", CS_VN_TONE);
    expect_canon("khúyên", "khuyến", CS_VN_TONE);
    expect_canon("úông", "uống", CS_VN_TONE);
    expect_canon("ngừơi", "người", CS_VN_TONE);
    expect_canon("hóăc", "hoắc", CS_VN_TONE);
    expect_canon("túân", "tuấn", CS_VN_TONE);
    /* three vowels, open: the middle one */
    expect_canon("hòai", "hoài", CS_VN_TONE);
    expect_canon("khuyủ", "khuỷu", CS_VN_TONE);
    expect_canon("ngóay", "ngoáy", CS_VN_TONE);
    /* ... and open diphthongs: the first */
    expect_canon("miá", "mía", CS_VN_TONE);
    expect_canon("cuả", "của", CS_VN_TONE);
    expect_canon("taì", "tài", CS_VN_TONE);
    expect_canon("mưã", "mữa", CS_VN_TONE);
    expect_canon("thủơ", "thuở", CS_VN_TONE);
}

static void test_qu_gi_onsets(void **state) {
    (void)state;
    /* the u of qu and the i of gi belong to the onset */
    expect_same("quý");
    expect_same("quá");
    expect_same("quyết");
    expect_same("giá");
    expect_same("giờ");
    expect_canon("qúa", "quá", CS_VN_TONE);
    expect_canon("qủa", "quả", CS_VN_TONE);
    expect_canon("qùy", "quỳ", CS_VN_TONE);
    expect_canon("gía", "giá", CS_VN_TONE);
    expect_canon("gìa", "già", CS_VN_TONE);
    expect_canon("gịêng", "giệng", CS_VN_TONE);
    /* gi with no vowel after it: i is the vowel */
    expect_same("gì");
    expect_same("gỉ");
    expect_same("gìn");
    /* q needs u */
    expect_same("qá");
}

static void test_capitals(void **state) {
    (void)state;
    expect_canon("HOÀ", "HÒA", CS_VN_TONE);
    expect_canon("Hoà", "Hòa", CS_VN_TONE);
    expect_canon("THUỶ", "THỦY", CS_VN_TONE);
    expect_canon("UỶ BAN", "ỦY BAN", CS_VN_TONE);
    expect_canon("Uỷ ban", "Ủy ban", CS_VN_TONE);
    /* each letter keeps its case; the tone moves to a capital or not */
    expect_canon("hOà", "hÒa", CS_VN_TONE);
    expect_canon("HoÀ", "HòA", CS_VN_TONE);
    expect_canon("QÚA", "QUÁ", CS_VN_TONE);
    expect_canon("GÍA", "GIÁ", CS_VN_TONE);
    expect_same("HOÀNG");
    expect_same("ĐẮK LẮK");
    expect_same("BẮC GIANG");
}

static void test_strings_and_separators(void **state) {
    (void)state;
    expect_canon("Uỷ ban nhân dân tỉnh Hoà Bình",
                 "Ủy ban nhân dân tỉnh Hòa Bình", CS_VN_TONE);
    expect_canon("hoà-bình (hoá) \"thuỷ\"", "hòa-bình (hóa) \"thủy\"",
                 CS_VN_TONE);
    expect_canon("hoà2 x hoà's", "hòa2 x hòa's", CS_VN_TONE);
    expect_canon("tab\thoà\nhoá", "tab\thòa\nhóa", CS_VN_TONE);
    expect_same("");
    expect_same("123 456, !?");
}

static void test_not_vietnamese_untouched(void **state) {
    (void)state;
    static const char *const words[] = {
        "café", "naïve", "Straße", "résumé", "où", "été", "José", "Zoë",
        "fiancée", "Hué", "jà", "wò", "fò", "hello world", "Ελληνικά",
        "Москва", "Нет", "со", "中国", "hoàá", "àà", "ø", "Ærø",
        "thuỷtinh", "abcdefghijklmnoà",
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        expect_same(words[i]);
}

/* ---- look-alikes ------------------------------------------------------ */

static void test_d_lookalikes(void **state) {
    (void)state;
    expect_canon("\xC3\x90\xC3\xA0 N\xE1\xBA\xB5ng", "Đà Nẵng",
                 CS_VN_LOOKALIKE);                          /* U+00D0 */
    expect_canon("\xC6\x89\xE1\xBB\x93ng", "Đồng", CS_VN_LOOKALIKE); /* Ɖ */
    expect_canon("\xC3\xB0\xC6\xB0\xE1\xBB\x9Dng", "đường",
                 CS_VN_LOOKALIKE);                          /* ð */
    expect_canon("\xC9\x96i", "đi", CS_VN_LOOKALIKE);     /* ɖ */
    /* together with a misplaced tone */
    expect_canon("\xC3\xB0oà", "đòa", CS_VN_LOOKALIKE | CS_VN_TONE);
    /* Icelandic: eth is never an onset there */
    expect_same("það");
    expect_same("ðað");
    expect_same("\xC3\x90");
    expect_same("\xC3\xB0\xC3\xB0");
    expect_same("me\xC3\xB0");
}

static void test_homoglyphs(void **state) {
    (void)state;
    /* Cyrillic Н (U+041D) in "Hà", Cyrillic о (U+043E) in "Hòa" */
    expect_canon("\xD0\x9D\xC3\xA0 N\xE1\xBB\x99i", "Hà Nội",
                 CS_VN_LOOKALIKE);
    expect_canon("H\xD0\xBE\xC3\xA0", "Hòa", CS_VN_LOOKALIKE | CS_VN_TONE);
    /* Greek omicron in "công" */
    expect_canon("c\xCE\xBFng", "cong", CS_VN_LOOKALIKE);
    /* a whole Cyrillic or Greek word is not touched */
    expect_same("\xD0\xBD\xD0\xBE");                    /* "но" */
    expect_same("\xD0\x9D\xD0\xB5\xD1\x82");            /* "Нет" */
    expect_same("\xCE\xBF\xCE\xB9");                    /* "οι" */
    /* mixed, but not a Vietnamese syllable: left alone */
    expect_same("\xD0\x9D" "ello");
}

/* ---- Unicode forms ---------------------------------------------------- */

static void test_combining_marks(void **state) {
    (void)state;
    /* NFD */
    expect_canon("Vie\xCC\xA3\xCC\x82t", "Việt", CS_VN_UNICODE);
    expect_canon("Vie\xCC\x82\xCC\xA3t", "Việt", CS_VN_UNICODE);
    /* tone typed before the shape mark: NFC cannot compose this one */
    expect_canon("\xC3\xA1\xCC\x82n", "ấn", CS_VN_UNICODE);
    expect_canon("ca\xCC\x81\xCC\x82n", "cấn", CS_VN_UNICODE);
    /* combining tone after a precomposed shaped vowel */
    expect_canon("\xC3\xAA\xCC\x81m", "ếm", CS_VN_UNICODE);
    expect_canon("\xC6\xA1\xCC\x80i", "ời", CS_VN_UNICODE);
    /* horn typed as a mark */
    expect_canon("tu\xCC\x9B\xCC\x80", "từ", CS_VN_UNICODE);
    /* a tone typed after the whole syllable (on a consonant) */
    expect_canon("hoang\xCC\x80", "hoàng", CS_VN_UNICODE | CS_VN_TONE);
    /* old-style NFD: the mark follows the a */
    expect_canon("hoa\xCC\x80", "hòa", CS_VN_UNICODE | CS_VN_TONE);
    expect_canon("Hoa\xCD\x80", "Hòa", CS_VN_UNICODE | CS_VN_TONE);
    /* combining grapheme joiner dropped */
    expect_canon("vi\xCD\x8F\xE1\xBB\x87t", "việt", CS_VN_UNICODE);
    /* two tones, a mark with nothing before it, an unknown mark */
    expect_same("\xC3\xA0\xCC\x81");
    expect_same("\xCC\x81" "a");
    expect_same("a\xCC\x84");
    /* breve on e does not exist */
    expect_same("e\xCC\x86m");
}

/* Every Vietnamese vowel, with every tone, in both cases, written as base
 * letter + shape mark + tone mark, comes out as ICU's NFC of it: checks the
 * tables against Unicode's composition data. */
static void test_all_letters_decomposed(void **state) {
    (void)state;
    static const char bases[] = "aaaeeiooouuy";
    static const UChar shapes[] = {0, 0x306, 0x302, 0, 0x302, 0, 0, 0x302,
                                   0x31B, 0, 0x31B, 0};
    static const UChar tones[] = {0, 0x300, 0x301, 0x309, 0x303, 0x323};
    UErrorCode e = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&e);
    assert_true(U_SUCCESS(e));
    int checked = 0;
    for (int v = 0; v < 12; v++) {
        for (int t = 0; t < 6; t++) {
            for (int up = 0; up < 2; up++) {
                UChar in[8], out[8];
                int32_t n = 0;
                in[n++] = 't';
                in[n++] = (UChar)(up ? bases[v] - 32 : bases[v]);
                if (shapes[v]) in[n++] = shapes[v];
                if (tones[t]) in[n++] = tones[t];
                in[n++] = 'm';
                char raw[32], want[32], got[64];
                int32_t rn, wn;
                u_strToUTF8(raw, sizeof raw, &rn, in, n, &e);
                int32_t m = unorm2_normalize(nfc, in, n, out, 8, &e);
                u_strToUTF8(want, sizeof want, &wn, out, m, &e);
                assert_true(U_SUCCESS(e));
                assert_int_equal(m, 3); /* one precomposed letter */
                unsigned ch;
                long gn = cs_vn_canon(raw, (size_t)rn, got, sizeof got, &ch);
                assert_int_equal(gn, wn);
                assert_string_equal(got, want);
                assert_int_equal(ch, shapes[v] || tones[t] ? CS_VN_UNICODE
                                                           : 0);
                /* the precomposed form is a known letter */
                UChar32 c = out[1];
                assert_int_equal(cs_vn_cp_class((unsigned)c),
                                 CS_VN_CP_VOWEL | (t ? CS_VN_CP_TONED : 0) |
                                     (shapes[v] ? CS_VN_CP_SHAPED : 0));
                checked++;
            }
        }
    }
    assert_int_equal(checked, 144);
}

static void test_cp_class(void **state) {
    (void)state;
    assert_int_equal(cs_vn_cp_class('a'), CS_VN_CP_VOWEL);
    assert_int_equal(cs_vn_cp_class('Y'), CS_VN_CP_VOWEL);
    assert_int_equal(cs_vn_cp_class(0x01B0),
                     CS_VN_CP_VOWEL | CS_VN_CP_SHAPED);         /* ư */
    assert_int_equal(cs_vn_cp_class(0x00E0),
                     CS_VN_CP_VOWEL | CS_VN_CP_TONED);          /* à */
    assert_int_equal(cs_vn_cp_class(0x1EF0), CS_VN_CP_VOWEL |
                     CS_VN_CP_TONED | CS_VN_CP_SHAPED);         /* Ự */
    assert_int_equal(cs_vn_cp_class(0x00D0), CS_VN_CP_SPECIAL); /* Ð */
    assert_int_equal(cs_vn_cp_class(0x0301), CS_VN_CP_SPECIAL);
    assert_int_equal(cs_vn_cp_class(0x043E), CS_VN_CP_SPECIAL); /* о */
    assert_int_equal(cs_vn_cp_class('b'), 0);
    assert_int_equal(cs_vn_cp_class(0x0111), 0);                /* đ */
    assert_int_equal(cs_vn_cp_class(0x00E9 + 0x100), 0);
    assert_int_equal(cs_vn_cp_class('1'), 0);
    assert_int_equal(cs_vn_cp_class(0x4E2D), 0);                /* 中 */
    assert_int_equal(cs_vn_cp_class(0x110000), 0);
}

/* ---- bad input and buffers -------------------------------------------- */

static void test_buffers_and_bad_input(void **state) {
    (void)state;
    char buf[32];
    unsigned ch = 99;
    /* "hùynh" (6 bytes) grows to "huỳnh" (7): len + len / 2 + 1 is room */
    const char *w = "hùynh";
    size_t n = strlen(w);
    assert_int_equal(n, 6);
    assert_int_equal(cs_vn_canon(w, n, buf, n + n / 2 + 1, &ch), 7);
    assert_string_equal(buf, "huỳnh");
    assert_int_equal(cs_vn_canon(w, n, buf, 7, &ch), -1);   /* no NUL room */
    assert_int_equal(cs_vn_canon(w, n, buf, 8, &ch), 7);
    assert_int_equal(cs_vn_canon("abc", 3, buf, 3, &ch), -1);
    assert_int_equal(cs_vn_canon("abc", 3, NULL, 10, &ch), -1);
    assert_int_equal(cs_vn_canon("abc", 3, buf, 0, &ch), -1);
    assert_int_equal(cs_vn_canon(NULL, 3, buf, sizeof buf, &ch), -1);
    assert_int_equal(cs_vn_canon(NULL, 0, buf, sizeof buf, NULL), 0);
    assert_string_equal(buf, "");
    /* only len bytes are read */
    assert_int_equal(cs_vn_canon("hoàxyz", 4, buf, sizeof buf, &ch), 4);
    assert_string_equal(buf, "hòa");
    /* invalid UTF-8 is copied and splits syllables */
    const char *bad = "ho\xFF\xC3\xA0 \xE1\xBA";
    assert_int_equal(cs_vn_canon(bad, strlen(bad), buf, sizeof buf, &ch),
                     (long)strlen(bad));
    assert_memory_equal(buf, bad, strlen(bad));
    assert_int_equal(ch, 0);
    const char *bad2 = "ho\xC3\xA0\xFF";
    assert_int_equal(cs_vn_canon(bad2, strlen(bad2), buf, sizeof buf, &ch), 5);
    assert_memory_equal(buf, "h\xC3\xB2" "a\xFF", 5);
    assert_int_equal(ch, CS_VN_TONE);
    /* a run longer than any syllable is left alone */
    expect_same("hoàhoàhoàhoà");
}

/* ---- i/y -------------------------------------------------------------- */

static void test_unify_iy(void **state) {
    (void)state;
    static const char *const merged[] = {"hy", "ky", "ly", "my", "sy", "ty",
                                         "vy"};
    for (size_t i = 0; i < sizeof merged / sizeof merged[0]; i++) {
        char want[3] = {merged[i][0], 'i', '\0'};
        expect_iy(merged[i], want, 1);
        expect_iy(want, want, 0);
    }
    expect_iy("qui", "quy", 1);
    expect_iy("quy", "quy", 0);
    expect_iy("ky thuat", "ki thuat", 1);
    expect_iy("my ky, ly.", "mi ki, li.", 3);
    expect_iy("my's", "mi's", 1);
    expect_iy("ky2", "ki2", 1);
    /* not merged: y alone, diphthongs, other onsets, codas, longer words */
    static const char *const kept[] = {
        "y", "i", "ay", "tay", "tuy", "tui", "uy", "by", "dy", "ny", "ry",
        "py", "xy", "thy", "try", "khy", "phy", "chy", "nhy", "ngy", "gy",
        "quyt", "quit", "quiet", "kyo", "sky", "yy", "", "q", "qu",
        "KY", "Ky",
    };
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
        expect_iy(kept[i], kept[i], 0);
    /* next to other letters, accented or not, it is part of a longer word */
    expect_iy("k\xE1\xBB\xB9", "k\xE1\xBB\xB9", 0);     /* kỹ: not ASCII */
    expect_iy("\xCE\xB1ky", "\xCE\xB1ky", 0);           /* αky */
    expect_iy("ky\xC3\xA9", "ky\xC3\xA9", 0);           /* kyé */
    expect_iy("ky\xCC\x81", "ky\xCC\x81", 0);           /* y + mark */
    expect_iy("\xE2\x80\x9Cky\xE2\x80\x9D", "\xE2\x80\x9Cki\xE2\x80\x9D", 1);
    /* only len bytes */
    char buf[8] = "kyky";
    assert_int_equal(cs_vn_unify_iy(buf, 2), 1);
    assert_string_equal(buf, "kiky");
    assert_int_equal(cs_vn_unify_iy(NULL, 4), 0);
}

/* ---- through the tokenizer's public functions ------------------------- */

static void test_through_fold(void **state) {
    (void)state;
    char a[128], b[128];
    /* old and new style: same exact and folded forms */
    const char *pairs[][2] = {
        {"hoà", "hòa"}, {"Thuỷ", "thủy"}, {"UỶ BAN", "ủy ban"},
        {"khoẻ", "khỏe"}, {"\xC3\x90\xC3\xA0", "Đà"},
        {"hoa\xCC\x80", "hòa"}, {"qúa", "quá"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        const char *x = pairs[i][0], *y = pairs[i][1];
        assert_true(cs_casefold(x, strlen(x), a, sizeof a) > 0);
        assert_true(cs_casefold(y, strlen(y), b, sizeof b) > 0);
        assert_string_equal(a, b);
        assert_true(cs_fold(x, strlen(x), a, sizeof a) > 0);
        assert_true(cs_fold(y, strlen(y), b, sizeof b) > 0);
        assert_string_equal(a, b);
    }
    /* i/y: same folded form, each keeps its exact form */
    assert_true(cs_fold("kĩ thuật", strlen("kĩ thuật"), a, sizeof a) > 0);
    assert_true(cs_fold("Kỹ Thuật", strlen("Kỹ Thuật"), b, sizeof b) > 0);
    assert_string_equal(a, "ki thuat");
    assert_string_equal(b, "ki thuat");
    assert_true(cs_casefold("kĩ", strlen("kĩ"), a, sizeof a) > 0);
    assert_true(cs_casefold("Kỹ", strlen("Kỹ"), b, sizeof b) > 0);
    assert_string_equal(a, "kĩ");
    assert_string_equal(b, "kỹ");
    assert_true(cs_has_diacritics("kỹ", strlen("kỹ")));
    assert_false(cs_has_diacritics("ky", 2));
}

/* ---- corpus counts ------------------------------------------------------ */

/* Exact and folded forms before any spelling normalisation, with ICU, the
 * way the tokenizer defined them before vnorm: exact0 = NFC(drop Cf(case
 * fold)), folded0 = NFC(map đ(drop Mn(NFD(exact0)))). 0, or -1. */
static int icu_forms(const char *w, size_t n, char *exact, char *folded,
                     size_t cap) {
    UErrorCode e = U_ZERO_ERROR;
    UChar u[512], v[1024], x[1024];
    int32_t un, vn, xn, o = 0;
    if (n >= 256) return -1;
    u_strFromUTF8WithSub(u, 512, &un, w, (int32_t)n, 0xFFFD, NULL, &e);
    vn = u_strFoldCase(v, 1024, u, un, U_FOLD_CASE_DEFAULT, &e);
    for (int32_t i = 0; i < vn; i++)
        if (u_charType(v[i]) != U_FORMAT_CHAR) v[o++] = v[i];
    xn = unorm2_normalize(unorm2_getNFCInstance(&e), v, o, x, 1024, &e);
    int32_t en;
    u_strToUTF8(exact, (int32_t)cap, &en, x, xn, &e);
    vn = unorm2_normalize(unorm2_getNFDInstance(&e), x, xn, v, 1024, &e);
    o = 0;
    for (int32_t i = 0; i < vn; i++) {
        if (u_charType(v[i]) == U_NON_SPACING_MARK) continue;
        v[o++] = (v[i] == 0x0110 || v[i] == 0x0111) ? 'd' : v[i];
    }
    xn = unorm2_normalize(unorm2_getNFCInstance(&e), v, o, x, 1024, &e);
    u_strToUTF8(folded, (int32_t)cap, &en, x, xn, &e);
    return U_FAILURE(e) ? -1 : 0;
}

/* Classes of change. C_NFC: the word was not NFC (the tokenizer's NFC, and
 * text.c's, fixes it); C_MARKS: combining marks NFC leaves, merged by
 * cs_vn_canon. C_IY counts words whose folded form i/y unification changed
 * ("kỹ" -> "ki"), C_ANY words in any class. */
enum { C_TONE, C_IY, C_LOOKALIKE, C_NFC, C_MARKS, C_ANY, C_CLASSES };
static const char *const class_names[C_CLASSES] = {
    "tone placement", "i/y (folded)", "look-alike", "unicode: NFC",
    "unicode: marks", "any"};

typedef struct counts {
    long tokens, changed[C_CLASSES];
    char examples[C_CLASSES][5][256];  /* a few distinct examples */
    int nex[C_CLASSES];
    const char *text;
} counts;

static void add_example(counts *c, int k, const char *from, const char *to) {
    char ex[256];
    snprintf(ex, sizeof ex, "%s->%s", from, to);
    for (int i = 0; i < c->nex[k]; i++)
        if (strcmp(c->examples[k][i], ex) == 0) return;
    if (c->nex[k] < 5) strcpy(c->examples[k][c->nex[k]++], ex);
}

/* Classify one token: what normalising it changed. */
static int count_cb(const cs_token *tok, void *ud) {
    counts *c = ud;
    const char *w = c->text + tok->start;
    size_t n = tok->end - tok->start;
    char e0[512], f0[512], canon[800];
    int hit[C_CLASSES] = {0};
    c->tokens++;
    int ascii = 1;
    for (size_t i = 0; i < n; i++) ascii &= (unsigned char)w[i] < 0x80;
    if (ascii) {
        /* only i/y can apply */
        for (size_t i = 0; i < n; i++) f0[i] = (char)(w[i] | (w[i] >= 'A' && w[i] <= 'Z' ? 0x20 : 0));
        f0[n] = '\0';
        strcpy(e0, f0);
    } else {
        if (icu_forms(w, n, e0, f0, 512)) return 0;
        UErrorCode err = U_ZERO_ERROR;
        UChar u[512];
        int32_t un;
        u_strFromUTF8WithSub(u, 512, &un, w, (int32_t)n, 0xFFFD, NULL, &err);
        if (U_SUCCESS(err) &&
            !unorm2_isNormalized(unorm2_getNFCInstance(&err), u, un, &err))
            hit[C_NFC] = 1;
        unsigned ch = 0;
        if (cs_vn_canon(e0, strlen(e0), canon, sizeof canon, &ch) >= 0) {
            hit[C_TONE] = (ch & CS_VN_TONE) != 0;
            hit[C_LOOKALIKE] = (ch & CS_VN_LOOKALIKE) != 0;
            hit[C_MARKS] = (ch & CS_VN_UNICODE) != 0;
            if (ch) icu_forms(canon, strlen(canon), e0, f0, 512);
        }
    }
    hit[C_IY] = cs_vn_unify_iy(f0, strlen(f0)) > 0;
    for (int k = 0; k < C_ANY; k++) hit[C_ANY] |= hit[k];
    char raw[97];
    snprintf(raw, sizeof raw, "%.*s", (int)(n < 96 ? n : 96), w);
    for (int k = 0; k < C_CLASSES; k++) {
        if (!hit[k]) continue;
        c->changed[k]++;
        add_example(c, k, raw, k == C_IY ? tok->folded : tok->exact);
    }
    return 0;
}

/* `--count DIR...`: tokenize every *.txt file (skipping leading "# key =
 * value" header lines) and print the counts per class. */
static int count_dirs(int ndirs, char **dirs) {
    const char *err = NULL;
    cs_tokenizer *tk = cs_tokenizer_new(&err);
    if (!tk) {
        fprintf(stderr, "tokenizer: %s\n", err);
        return 1;
    }
    int rc = 0;
    for (int d = 0; d < ndirs; d++) {
        struct dirent **names;
        int n = scandir(dirs[d], &names, NULL, alphasort);
        if (n < 0) {
            fprintf(stderr, "cannot read %s\n", dirs[d]);
            rc = 1;
            continue;
        }
        counts *c = calloc(1, sizeof *c);
        long files = 0;
        for (int i = 0; i < n; i++) {
            char path[4096];
            size_t len = 0;
            const char *nm = names[i]->d_name;
            size_t nl = strlen(nm);
            if (nl > 4 && strcmp(nm + nl - 4, ".txt") == 0) {
                snprintf(path, sizeof path, "%s/%s", dirs[d], nm);
                char *text = cs_read_file(path, &len);
                if (text) {
                    size_t off = 0;
                    while (off < len && text[off] == '#') {
                        const char *nlp = memchr(text + off, '\n', len - off);
                        off = nlp ? (size_t)(nlp - text) + 1 : len;
                    }
                    c->text = text + off;
                    cs_tokenize(tk, text + off, len - off, 0, count_cb, c);
                    files++;
                    free(text);
                }
            }
            free(names[i]);
        }
        free(names);
        printf("%s: %ld files, %ld tokens\n", dirs[d], files, c->tokens);
        for (int k = 0; k < C_CLASSES; k++) {
            printf("  %-15s %9ld tokens (%.3f%%)", class_names[k],
                   c->changed[k],
                   c->tokens ? 100.0 * (double)c->changed[k] / (double)c->tokens
                             : 0.0);
            for (int x = 0; x < c->nex[k]; x++)
                printf("%s%s", x ? ", " : "  e.g. ", c->examples[k][x]);
            printf("\n");
        }
        free(c);
    }
    cs_tokenizer_free(tk);
    return rc;
}

/* ---- the corpus itself ------------------------------------------------ */

/* On real text: every token's exact form is stable under cs_vn_canon, and
 * its folded form under cs_vn_unify_iy (the tokenizer applied them). */
typedef struct stable {
    long tokens, unstable;
} stable;

static int stable_cb(const cs_token *tok, void *ud) {
    stable *s = ud;
    char buf[256], f[256];
    unsigned ch = 0;
    s->tokens++;
    if (cs_vn_canon(tok->exact, tok->exact_len, buf, sizeof buf, &ch) < 0 ||
        ch != 0)
        s->unstable++;
    memcpy(f, tok->folded, tok->folded_len + 1);
    if (cs_vn_unify_iy(f, tok->folded_len) != 0) s->unstable++;
    return 0;
}

static void test_corpus_tokens_stable(void **state) {
    (void)state;
    const char *dd = getenv("CS_DATA_DIR");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/vi-news-dantri", dd && *dd ? dd : "/tmp/data");
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0) CS_SKIP_UNLESS_CI(dir);
    const char *err = NULL;
    cs_tokenizer *tk = cs_tokenizer_new(&err);
    assert_non_null(tk);
    stable s = {0, 0};
    int files = 0;
    for (int i = 0; i < n; i++) {
        if (files < 200 && strstr(names[i]->d_name, ".txt")) {
            char path[1024];
            size_t len = 0;
            snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
            char *text = cs_read_file(path, &len);
            if (text) {
                assert_true(cs_tokenize(tk, text, len, 0, stable_cb, &s) >= 0);
                free(text);
                files++;
            }
        }
        free(names[i]);
    }
    free(names);
    cs_tokenizer_free(tk);
    assert_true(files > 0);
    assert_true(s.tokens > 1000);
    assert_int_equal(s.unstable, 0);
}

int main(int argc, char **argv) {
    if (argc > 2 && strcmp(argv[1], "--count") == 0)
        return count_dirs(argc - 2, argv + 2);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_old_style_to_canonical),
        cmocka_unit_test(test_canonical_unchanged),
        cmocka_unit_test(test_with_coda),
        cmocka_unit_test(test_qu_gi_onsets),
        cmocka_unit_test(test_capitals),
        cmocka_unit_test(test_strings_and_separators),
        cmocka_unit_test(test_not_vietnamese_untouched),
        cmocka_unit_test(test_d_lookalikes),
        cmocka_unit_test(test_homoglyphs),
        cmocka_unit_test(test_combining_marks),
        cmocka_unit_test(test_all_letters_decomposed),
        cmocka_unit_test(test_cp_class),
        cmocka_unit_test(test_buffers_and_bad_input),
        cmocka_unit_test(test_unify_iy),
        cmocka_unit_test(test_through_fold),
        cmocka_unit_test(test_corpus_tokens_stable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
