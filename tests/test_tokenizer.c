/* test_tokenizer.c -- unit tests for the ICU tokenizer and term folding. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"
#include "datafile.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tokenizer.h"

/* ---- helpers ---------------------------------------------------------- */

#define MAX_TOKS 64

/* A copy of what the callback saw. */
typedef struct tok_copy {
    char exact[CS_MAX_WORD_BYTES + 1];
    char folded[4 * CS_MAX_WORD_BYTES + 1];
    size_t start, end;
    unsigned pos;
    int is_number;
} tok_copy;

typedef struct collected {
    tok_copy t[MAX_TOKS];
    int n;
    int stop_after;  /* > 0: ask to stop after this many tokens */
} collected;

static int collect_cb(const cs_token *tok, void *ud) {
    collected *c = ud;
    /* The forms must be NUL-terminated at their stated lengths. */
    assert_int_equal(strlen(tok->exact), tok->exact_len);
    assert_int_equal(strlen(tok->folded), tok->folded_len);
    assert_true(tok->exact_len <= CS_MAX_WORD_BYTES);
    assert_true(tok->folded_len < sizeof(c->t[0].folded));
    if (c->n < MAX_TOKS) {
        tok_copy *t = &c->t[c->n];
        memcpy(t->exact, tok->exact, tok->exact_len + 1);
        memcpy(t->folded, tok->folded, tok->folded_len + 1);
        t->start = tok->start;
        t->end = tok->end;
        t->pos = tok->pos;
        t->is_number = tok->is_number;
    }
    c->n++;
    return c->stop_after > 0 && c->n >= c->stop_after;
}

static cs_tokenizer *new_tk(void) {
    const char *err = NULL;
    cs_tokenizer *tk = cs_tokenizer_new(&err);
    if (!tk) fail_msg("cs_tokenizer_new: %s", err ? err : "?");
    return tk;
}

/* Tokenize the NUL-terminated `text` into *c; returns cs_tokenize's result. */
static long run(const char *text, unsigned first_pos, collected *c) {
    cs_tokenizer *tk = new_tk();
    long r = cs_tokenize(tk, text, strlen(text), first_pos, collect_cb, c);
    cs_tokenizer_free(tk);
    return r;
}

/* Token i of c has these forms, and its offsets cut `word` out of `text`. */
static void check_tok(const char *text, const collected *c, int i,
                      const char *word, const char *exact,
                      const char *folded) {
    assert_true(i < c->n);
    const tok_copy *t = &c->t[i];
    assert_string_equal(t->exact, exact);
    assert_string_equal(t->folded, folded);
    assert_true(t->start < t->end);
    assert_true(t->end <= strlen(text));
    assert_int_equal(t->end - t->start, strlen(word));
    assert_memory_equal(text + t->start, word, strlen(word));
}

/* ---- tokenizing ------------------------------------------------------- */

static void test_vietnamese_diacritics(void **state) {
    (void)state;
    const char *text = "Hà Nội và Bắc Giang.";
    collected c = {0};
    assert_int_equal(run(text, 0, &c), 5);
    assert_int_equal(c.n, 5);
    check_tok(text, &c, 0, "Hà", "hà", "ha");
    check_tok(text, &c, 1, "Nội", "nội", "noi");
    check_tok(text, &c, 2, "và", "và", "va");
    check_tok(text, &c, 3, "Bắc", "bắc", "bac");
    check_tok(text, &c, 4, "Giang", "giang", "giang");
    assert_int_equal(c.t[1].start, 4);   /* "Hà " is 4 bytes */
    assert_int_equal(c.t[1].end, 9);     /* "Nội" is 5 bytes */
    for (int i = 0; i < c.n; i++) {
        assert_int_equal(c.t[i].pos, (unsigned)i);
        assert_false(c.t[i].is_number);
    }
}

static void test_vietnamese_without_diacritics(void **state) {
    (void)state;
    const char *text = "Ha Noi va Bac Giang";
    collected c = {0};
    assert_int_equal(run(text, 0, &c), 5);
    check_tok(text, &c, 0, "Ha", "ha", "ha");
    check_tok(text, &c, 1, "Noi", "noi", "noi");
    check_tok(text, &c, 3, "Bac", "bac", "bac");
    check_tok(text, &c, 4, "Giang", "giang", "giang");
}

static void test_uppercase_vietnamese(void **state) {
    (void)state;
    const char *text = "ĐẮK LẮK: ĐỔI MỚI, Ủy Ban";
    collected c = {0};
    assert_int_equal(run(text, 0, &c), 6);
    check_tok(text, &c, 0, "ĐẮK", "đắk", "dak");
    check_tok(text, &c, 1, "LẮK", "lắk", "lak");
    check_tok(text, &c, 2, "ĐỔI", "đổi", "doi");
    check_tok(text, &c, 3, "MỚI", "mới", "moi");
    check_tok(text, &c, 4, "Ủy", "ủy", "uy");
    check_tok(text, &c, 5, "Ban", "ban", "ban");
}

static void test_d_stroke(void **state) {
    (void)state;
    const char *text = "Đường đi Đà Lạt đ Đ";
    collected c = {0};
    assert_int_equal(run(text, 0, &c), 6);
    check_tok(text, &c, 0, "Đường", "đường", "duong");
    check_tok(text, &c, 1, "đi", "đi", "di");
    check_tok(text, &c, 2, "Đà", "đà", "da");
    check_tok(text, &c, 3, "Lạt", "lạt", "lat");
    check_tok(text, &c, 4, "đ", "đ", "d");
    check_tok(text, &c, 5, "Đ", "đ", "d");
}

static void test_english(void **state) {
    (void)state;
    const char *text =
        "The People's Committee focuses on science-technology.";
    collected c = {0};
    assert_int_equal(run(text, 0, &c), 7);
    check_tok(text, &c, 0, "The", "the", "the");
    check_tok(text, &c, 1, "People's", "people's", "people's");
    check_tok(text, &c, 2, "Committee", "committee", "committee");
    check_tok(text, &c, 3, "focuses", "focuses", "focuses");
    check_tok(text, &c, 4, "on", "on", "on");
    check_tok(text, &c, 5, "science", "science", "science");
    check_tok(text, &c, 6, "technology", "technology", "technology");
    assert_int_equal(c.t[6].pos, 6);
}

static void test_mixed_languages(void **state) {
    (void)state;
    const char *text = "Vinamilk lọt Top 1.000 thương hiệu (Vietnam's Brands)";
    collected c = {0};
    assert_int_equal(run(text, 0, &c), 8);
    check_tok(text, &c, 0, "Vinamilk", "vinamilk", "vinamilk");
    check_tok(text, &c, 1, "lọt", "lọt", "lot");
    check_tok(text, &c, 2, "Top", "top", "top");
    check_tok(text, &c, 3, "1.000", "1.000", "1.000");
    assert_true(c.t[3].is_number);
    check_tok(text, &c, 4, "thương", "thương", "thuong");
    check_tok(text, &c, 5, "hiệu", "hiệu", "hieu");
    check_tok(text, &c, 6, "Vietnam's", "vietnam's", "vietnam's");
    check_tok(text, &c, 7, "Brands", "brands", "brands");
}

static void test_numbers(void **state) {
    (void)state;
    const char *text = "ngày 6/2/2017, 57-NQ/TW năm 2025";
    collected c = {0};
    assert_int_equal(run(text, 0, &c), 9);
    check_tok(text, &c, 0, "ngày", "ngày", "ngay");
    assert_false(c.t[0].is_number);
    check_tok(text, &c, 1, "6", "6", "6");
    check_tok(text, &c, 2, "2", "2", "2");
    check_tok(text, &c, 3, "2017", "2017", "2017");
    check_tok(text, &c, 4, "57", "57", "57");
    check_tok(text, &c, 5, "NQ", "nq", "nq");
    check_tok(text, &c, 6, "TW", "tw", "tw");
    check_tok(text, &c, 8, "2025", "2025", "2025");
    int numbers[] = {0, 1, 1, 1, 1, 0, 0, 0, 1};
    for (int i = 0; i < 9; i++) assert_int_equal(!!c.t[i].is_number, numbers[i]);
}

static void test_punctuation_only(void **state) {
    (void)state;
    collected c = {0};
    assert_int_equal(run("... -- !!! ?? (\"«»\") — … ___ ・", 0, &c), 0);
    assert_int_equal(c.n, 0);
}

static void test_empty_input(void **state) {
    (void)state;
    cs_tokenizer *tk = new_tk();
    collected c = {0};
    assert_int_equal(cs_tokenize(tk, "", 0, 0, collect_cb, &c), 0);
    assert_int_equal(cs_tokenize(tk, NULL, 0, 0, collect_cb, &c), 0);
    assert_int_equal(cs_tokenize(tk, "   \n\t ", 6, 0, collect_cb, &c), 0);
    assert_int_equal(c.n, 0);
    /* Bad arguments. */
    assert_int_equal(cs_tokenize(NULL, "a", 1, 0, collect_cb, &c), -1);
    assert_int_equal(cs_tokenize(tk, NULL, 5, 0, collect_cb, &c), -1);
    cs_tokenizer_free(tk);
    cs_tokenizer_free(NULL);
}

static void test_only_len_bytes_read(void **state) {
    (void)state;
    const char *text = "Bắc Giang province";
    cs_tokenizer *tk = new_tk();
    collected c = {0};
    /* The first 8 bytes are "Bắc Gi": the rest must not be looked at. */
    assert_int_equal(cs_tokenize(tk, text, 8, 0, collect_cb, &c), 2);
    check_tok(text, &c, 1, "Gi", "gi", "gi");
    cs_tokenizer_free(tk);
}

static void test_first_pos_and_reuse(void **state) {
    (void)state;
    cs_tokenizer *tk = new_tk();
    collected c = {0};
    const char *title = "Bắc Giang";
    const char *body = "tỉnh Bắc Giang";
    /* A title at 0, then the body after a gap, with the same tokenizer. */
    assert_int_equal(cs_tokenize(tk, title, strlen(title), 0, collect_cb, &c), 2);
    assert_int_equal(cs_tokenize(tk, body, strlen(body), 100, collect_cb, &c), 3);
    assert_int_equal(c.n, 5);
    assert_int_equal(c.t[1].pos, 1);
    assert_int_equal(c.t[2].pos, 100);
    assert_int_equal(c.t[4].pos, 102);
    assert_string_equal(c.t[2].folded, "tinh");
    assert_int_equal(c.t[2].start, 0);  /* offsets are per call */
    cs_tokenizer_free(tk);
}

static void test_phrase_positions_consecutive(void **state) {
    (void)state;
    const char *text = "Thủ tướng, Phạm Minh Chính: \"chuyển đổi số\"!";
    collected c = {0};
    assert_int_equal(run(text, 7, &c), 8);
    const char *folded[] = {"thu", "tuong", "pham", "minh", "chinh",
                            "chuyen", "doi", "so"};
    for (int i = 0; i < 8; i++) {
        assert_int_equal(c.t[i].pos, 7u + (unsigned)i);
        assert_string_equal(c.t[i].folded, folded[i]);
    }
}

static void test_callback_stop(void **state) {
    (void)state;
    collected c = {.stop_after = 2};
    assert_int_equal(run("một hai ba bốn năm", 0, &c), 2);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.t[1].exact, "hai");

    /* A NULL callback just counts. */
    cs_tokenizer *tk = new_tk();
    assert_int_equal(cs_tokenize(tk, "một hai ba", 12, 0, NULL, NULL), 3);
    cs_tokenizer_free(tk);
}

static void test_long_words_skipped(void **state) {
    (void)state;
    char text[512];
    char w64[65], w65[66];
    memset(w64, 'x', 64);
    w64[64] = '\0';
    memset(w65, 'y', 65);
    w65[65] = '\0';
    snprintf(text, sizeof(text), "a %s b %s c", w65, w64);
    collected c = {0};
    assert_int_equal(run(text, 0, &c), 4);
    assert_string_equal(c.t[0].exact, "a");
    assert_string_equal(c.t[1].exact, "b");
    assert_int_equal(c.t[1].pos, 1);  /* the skipped word takes no position */
    assert_string_equal(c.t[2].exact, w64);
    assert_int_equal(c.t[2].pos, 2);
    assert_string_equal(c.t[3].exact, "c");

    /* The limit is on the exact form's bytes: 22 "ắ" are 66 bytes. */
    char viet[256] = "ok ";
    for (int i = 0; i < 22; i++) strcat(viet, "ắ");
    strcat(viet, " ok");
    collected d = {0};
    assert_int_equal(run(viet, 0, &d), 2);
    assert_int_equal(d.t[1].pos, 1);
}

static void test_replacement_emoji_zero_width(void **state) {
    (void)state;
    /* U+FFFD, emoji, U+200B (zero-width space) separate words; U+200D
     * (ZWJ) and U+00AD (soft hyphen) stay inside one and are dropped. */
    const char *text = "a\xEF\xBF\xBD" "b \xF0\x9F\x98\x80 "
                       "x\xE2\x80\x8By ab\xE2\x80\x8D" "cd "
                       "Hà\xC2\xAD" "nội \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD";
    collected c = {0};
    assert_int_equal(run(text, 0, &c), 6);
    check_tok(text, &c, 0, "a", "a", "a");
    check_tok(text, &c, 1, "b", "b", "b");
    check_tok(text, &c, 2, "x", "x", "x");
    check_tok(text, &c, 3, "y", "y", "y");
    check_tok(text, &c, 4, "ab\xE2\x80\x8D" "cd", "abcd", "abcd");
    check_tok(text, &c, 5, "Hà\xC2\xAD" "nội", "hànội", "hanoi");
}

static void test_other_scripts(void **state) {
    (void)state;
    const char *text = "Café naïve Ελληνικά Йошкар-Ола Straße 中国";
    collected c = {0};
    long n = run(text, 0, &c);
    assert_true(n >= 7);
    check_tok(text, &c, 0, "Café", "café", "cafe");
    check_tok(text, &c, 1, "naïve", "naïve", "naive");
    check_tok(text, &c, 2, "Ελληνικά", "ελληνικά", "ελληνικα");
    check_tok(text, &c, 3, "Йошкар", "йошкар", "иошкар");
    check_tok(text, &c, 4, "Ола", "ола", "ола");
    /* Full case folding: ß folds to "ss". */
    check_tok(text, &c, 5, "Straße", "strasse", "strasse");
    /* CJK passes through unchanged, however ICU splits it. */
    char cjk[32] = "";
    for (int i = 6; i < c.n; i++) {
        assert_string_equal(c.t[i].exact, c.t[i].folded);
        strcat(cjk, c.t[i].exact);
    }
    assert_string_equal(cjk, "中国");
}

static void test_decomposed_input(void **state) {
    (void)state;
    /* Input should be NFC, but NFD must still give the NFC forms. */
    const char *text = "Ba\xCC\x86\xCC\x81" "c Ha\xCC\x80 No\xCC\x82\xCC\xA3i";
    collected c = {0};
    assert_int_equal(run(text, 0, &c), 3);
    check_tok(text, &c, 0, "Ba\xCC\x86\xCC\x81" "c", "bắc", "bac");
    check_tok(text, &c, 1, "Ha\xCC\x80", "hà", "ha");
    check_tok(text, &c, 2, "No\xCC\x82\xCC\xA3i", "nội", "noi");
}

static void test_invalid_bytes_in_text(void **state) {
    (void)state;
    /* Text should be clean, but stray bytes must not crash or overread. */
    const char *text = "ab\xFF" "cd B\xE1\xBA";
    collected c = {0};
    long n = run(text, 0, &c);
    assert_true(n >= 2);
    assert_string_equal(c.t[0].exact, "ab");
    for (int i = 0; i < c.n && i < MAX_TOKS; i++)
        assert_true(c.t[i].end <= strlen(text));
}

/* ---- Vietnamese spelling variants (vnorm.h) ---------------------------- */

/* Each word of `a` and of `b` has the same exact and folded forms. */
static void same_forms(const char *a, const char *b) {
    collected x = {0}, y = {0};
    long n = run(a, 0, &x);
    assert_int_equal(run(b, 0, &y), n);
    for (int i = 0; i < x.n; i++) {
        if (strcmp(x.t[i].exact, y.t[i].exact) != 0 ||
            strcmp(x.t[i].folded, y.t[i].folded) != 0)
            fail_msg("\"%s\" vs \"%s\", word %d: %s/%s vs %s/%s", a, b, i,
                     x.t[i].exact, x.t[i].folded, y.t[i].exact,
                     y.t[i].folded);
    }
}

static void test_tone_placement_variants(void **state) {
    (void)state;
    /* old and new style give one word */
    same_forms("hoà hoá thuỷ tuỳ khoẻ hoạ uỷ", "hòa hóa thủy tùy khỏe họa ủy");
    same_forms("Uỷ ban nhân dân tỉnh Hoà Bình", "ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH");
    same_forms("qúa gía hòang", "quá giá hoàng");
    /* the offsets are those of the word as written (for highlighting) */
    const char *text = "Tỉnh Hoà Bình";
    collected c = {0};
    assert_int_equal(run(text, 0, &c), 3);
    check_tok(text, &c, 1, "Hoà", "hòa", "hoa");
    /* words that are not Vietnamese syllables are not touched */
    text = "Café Hué où";
    collected d = {0};
    assert_int_equal(run(text, 0, &d), 3);
    check_tok(text, &d, 0, "Café", "café", "cafe");
    check_tok(text, &d, 1, "Hué", "hué", "hue");
    check_tok(text, &d, 2, "où", "où", "ou");
}

static void test_iy_variants(void **state) {
    (void)state;
    const char *text = "kĩ kỹ Kỹ lí lý mĩ Mỹ quí quý tỉ tỷ ky";
    collected c = {0};
    assert_int_equal(run(text, 0, &c), 12);
    check_tok(text, &c, 0, "kĩ", "kĩ", "ki");
    check_tok(text, &c, 1, "kỹ", "kỹ", "ki");
    check_tok(text, &c, 2, "Kỹ", "kỹ", "ki");
    check_tok(text, &c, 3, "lí", "lí", "li");
    check_tok(text, &c, 4, "lý", "lý", "li");
    check_tok(text, &c, 5, "mĩ", "mĩ", "mi");
    check_tok(text, &c, 6, "Mỹ", "mỹ", "mi");
    check_tok(text, &c, 7, "quí", "quí", "quy");
    check_tok(text, &c, 8, "quý", "quý", "quy");
    check_tok(text, &c, 9, "tỉ", "tỉ", "ti");
    check_tok(text, &c, 10, "tỷ", "tỷ", "ti");
    /* unaccented: both forms unified, so no exact-form term */
    check_tok(text, &c, 11, "ky", "ki", "ki");
    /* not merged */
    text = "y i tay tai tuy tui thy by";
    collected d = {0};
    assert_int_equal(run(text, 0, &d), 8);
    check_tok(text, &d, 0, "y", "y", "y");
    check_tok(text, &d, 1, "i", "i", "i");
    check_tok(text, &d, 2, "tay", "tay", "tay");
    check_tok(text, &d, 3, "tai", "tai", "tai");
    check_tok(text, &d, 4, "tuy", "tuy", "tuy");
    check_tok(text, &d, 5, "tui", "tui", "tui");
    check_tok(text, &d, 6, "thy", "thy", "thy");
    check_tok(text, &d, 7, "by", "by", "by");
}

static void test_lookalike_and_unicode_variants(void **state) {
    (void)state;
    /* Ð (U+00D0), Ɖ (U+0189), ð for Đ; NFD; tone typed before the shape
     * mark; a tone typed after the syllable; a soft hyphen inside */
    const char *text = "\xC3\x90\xC3\xA0 \xC6\x89\xC3\xA0 \xC3\xB0i "
                       "hoa\xCC\x80 \xC3\xA1\xCC\x82n hoang\xCC\x80 "
                       "Ho\xC2\xAD\xC3\xA0";
    collected c = {0};
    assert_int_equal(run(text, 0, &c), 7);
    check_tok(text, &c, 0, "\xC3\x90\xC3\xA0", "đà", "da");
    check_tok(text, &c, 1, "\xC6\x89\xC3\xA0", "đà", "da");
    check_tok(text, &c, 2, "\xC3\xB0i", "đi", "di");
    check_tok(text, &c, 3, "hoa\xCC\x80", "hòa", "hoa");
    check_tok(text, &c, 4, "\xC3\xA1\xCC\x82n", "ấn", "an");
    check_tok(text, &c, 5, "hoang\xCC\x80", "hoàng", "hoang");
    check_tok(text, &c, 6, "Ho\xC2\xAD\xC3\xA0", "hòa", "hoa");
    /* Icelandic eth stays */
    text = "\xC3\x9E\xC3\xA6r me\xC3\xB0";
    collected d = {0};
    assert_int_equal(run(text, 0, &d), 2);
    check_tok(text, &d, 1, "me\xC3\xB0", "me\xC3\xB0", "me\xC3\xB0");
    /* Cyrillic о inside a Latin word; a Cyrillic word is left alone */
    text = "H\xD0\xBE\xC3\xA0 \xD0\xBD\xD0\xBE";
    collected e = {0};
    assert_int_equal(run(text, 0, &e), 2);
    check_tok(text, &e, 0, "H\xD0\xBE\xC3\xA0", "hòa", "hoa");
    check_tok(text, &e, 1, "\xD0\xBD\xD0\xBE", "\xD0\xBD\xD0\xBE",
              "\xD0\xBD\xD0\xBE");
}

static void test_variants_through_fold(void **state) {
    (void)state;
    char a[128], b[128];
    /* query words are made the same way as indexed words */
    assert_true(cs_casefold("Hoà", strlen("Hoà"), a, sizeof(a)) > 0);
    assert_true(cs_casefold("hòa", strlen("hòa"), b, sizeof(b)) > 0);
    assert_string_equal(a, "hòa");
    assert_string_equal(b, "hòa");
    assert_int_equal(cs_fold("Kỹ Thuật", strlen("Kỹ Thuật"), a, sizeof(a)), 8);
    assert_string_equal(a, "ki thuat");
    assert_true(cs_fold("kĩ thuật", strlen("kĩ thuật"), b, sizeof(b)) > 0);
    assert_string_equal(a, b);
    assert_true(cs_casefold("kĩ", strlen("kĩ"), a, sizeof(a)) > 0);
    assert_true(cs_casefold("kỹ", strlen("kỹ"), b, sizeof(b)) > 0);
    assert_string_not_equal(a, b);
    assert_true(cs_casefold("Uỷ Ban", strlen("Uỷ Ban"), a, sizeof(a)) > 0);
    assert_string_equal(a, "ủy ban");
    const char *dn = "\xC3\x90\xC3\xA0 N\xE1\xBA\xB5ng";   /* Ðà Nẵng */
    assert_true(cs_fold(dn, strlen(dn), a, sizeof(a)) > 0);
    assert_string_equal(a, "da nang");
    /* "ky" has no diacritics; "kỹ" has */
    assert_false(cs_has_diacritics("ky", 2));
    assert_false(cs_has_diacritics("QUI", 3));
    assert_true(cs_has_diacritics("kỹ", strlen("kỹ")));
    /* the canonical form may be a byte longer: "hùynh" -> "huỳnh" */
    assert_int_equal(cs_casefold("hùynh", strlen("hùynh"), a, 8), 7);
    assert_string_equal(a, "huỳnh");
    assert_int_equal(cs_casefold("hùynh", strlen("hùynh"), a, 7), -1);
}

/* ---- a megabyte of text ----------------------------------------------- */

typedef struct big_check {
    unsigned next_pos;
    size_t last_end;
    long bac;
} big_check;

static int big_cb(const cs_token *tok, void *ud) {
    big_check *b = ud;
    assert_int_equal(tok->pos, b->next_pos);
    assert_true(tok->start >= b->last_end);
    b->next_pos++;
    b->last_end = tok->end;
    if (strcmp(tok->folded, "bac") == 0) b->bac++;
    return 0;
}

static void test_very_long_text(void **state) {
    (void)state;
    const char *unit = "Tỉnh Bắc Giang, ";   /* 3 words, 19 bytes */
    size_t ulen = strlen(unit), reps = (1 << 20) / ulen + 1;
    char *text = malloc(reps * ulen + 1);
    assert_non_null(text);
    for (size_t i = 0; i < reps; i++) memcpy(text + i * ulen, unit, ulen);
    text[reps * ulen] = '\0';

    cs_tokenizer *tk = new_tk();
    big_check b = {0, 0, 0};
    assert_int_equal(cs_tokenize(tk, text, reps * ulen, 0, big_cb, &b),
                     (long)(3 * reps));
    assert_int_equal(b.bac, (long)reps);

    /* One megabyte-long word is skipped; the words around it are kept. */
    memset(text, 'a', reps * ulen);
    memcpy(text, "x ", 2);
    memcpy(text + reps * ulen - 2, " y", 2);
    collected c = {0};
    assert_int_equal(cs_tokenize(tk, text, reps * ulen, 0, collect_cb, &c), 2);
    assert_string_equal(c.t[1].exact, "y");
    assert_int_equal(c.t[1].pos, 1);
    cs_tokenizer_free(tk);
    free(text);
}

/* ---- threads ---------------------------------------------------------- */

/* No cmocka asserts off the main thread: count what is wrong instead. */
static int thread_cb(const cs_token *tok, void *ud) {
    static const char *const folded[] = {"chuyen", "doi", "so", "o", "dak",
                                         "lak"};
    long *bad = ud;
    if (tok->pos >= 6 || strcmp(tok->folded, folded[tok->pos]) != 0) (*bad)++;
    return 0;
}

static void *thread_main(void *arg) {
    (void)arg;
    const char *err = NULL;
    /* All threads race to build the shared folding table here. */
    cs_tokenizer *tk = cs_tokenizer_new(&err);
    if (!tk) return (void *)1;
    long bad = 0;
    for (int i = 0; i < 200; i++) {
        const char *t = "Chuyển đổi số ở Đắk Lắk";
        if (cs_tokenize(tk, t, strlen(t), 0, thread_cb, &bad) != 6) bad++;
    }
    cs_tokenizer_free(tk);
    return (void *)(intptr_t)bad;
}

static void test_threads(void **state) {
    (void)state;
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, thread_main, NULL), 0);
    for (int i = 0; i < 4; i++) {
        void *r;
        assert_int_equal(pthread_join(th[i], &r), 0);
        assert_null(r);
    }
}

/* ---- cs_casefold / cs_fold / cs_has_diacritics ------------------------ */

static void test_fold_strings(void **state) {
    (void)state;
    char buf[128];
    const char *s = "Chuyển Đổi Số";
    assert_int_equal(cs_fold(s, strlen(s), buf, sizeof(buf)), 13);
    assert_string_equal(buf, "chuyen doi so");
    assert_int_equal(cs_casefold(s, strlen(s), buf, sizeof(buf)),
                     (long)strlen("chuyển đổi số"));
    assert_string_equal(buf, "chuyển đổi số");

    s = "ĐẮK LẮK";
    assert_true(cs_fold(s, strlen(s), buf, sizeof(buf)) > 0);
    assert_string_equal(buf, "dak lak");
    s = "Straße";
    assert_true(cs_casefold(s, strlen(s), buf, sizeof(buf)) > 0);
    assert_string_equal(buf, "strasse");
    s = "Ελληνικά";
    assert_true(cs_fold(s, strlen(s), buf, sizeof(buf)) > 0);
    assert_string_equal(buf, "ελληνικα");

    /* Only `len` bytes are read. */
    assert_int_equal(cs_fold("HÀ NỘI", 4, buf, sizeof(buf)), 3);
    assert_string_equal(buf, "ha ");

    assert_int_equal(cs_fold("", 0, buf, sizeof(buf)), 0);
    assert_string_equal(buf, "");
    assert_int_equal(cs_casefold(NULL, 0, buf, sizeof(buf)), 0);
}

static void test_fold_combining_marks(void **state) {
    (void)state;
    char buf[64];
    /* NFD input: combining marks are dropped / recomposed. */
    const char *s = "Ha\xCC\x80 No\xCC\x82\xCC\xA3i";
    assert_true(cs_fold(s, strlen(s), buf, sizeof(buf)) > 0);
    assert_string_equal(buf, "ha noi");
    assert_true(cs_casefold(s, strlen(s), buf, sizeof(buf)) > 0);
    assert_string_equal(buf, "hà nội");
    /* A lone combining mark folds to nothing. */
    assert_int_equal(cs_fold("\xCC\x81", 2, buf, sizeof(buf)), 0);
    /* Format characters are dropped from both forms. */
    s = "ab\xE2\x80\x8D" "cd";
    assert_int_equal(cs_casefold(s, strlen(s), buf, sizeof(buf)), 4);
    assert_string_equal(buf, "abcd");
}

static void test_fold_buffer_too_small(void **state) {
    (void)state;
    char buf[16];
    const char *s = "Bắc Giang";     /* folded "bac giang": 9 bytes */
    memset(buf, '#', sizeof(buf));
    assert_int_equal(cs_fold(s, strlen(s), buf, 9), -1);
    assert_int_equal(cs_fold(s, strlen(s), buf, 10), 9);
    assert_string_equal(buf, "bac giang");
    /* casefold "bắc giang" is 11 bytes */
    assert_int_equal(cs_casefold(s, strlen(s), buf, 11), -1);
    assert_int_equal(cs_casefold(s, strlen(s), buf, 12), 11);
    assert_string_equal(buf, "bắc giang");
    assert_int_equal(cs_fold(s, strlen(s), buf, 0), -1);
    assert_int_equal(cs_fold(s, strlen(s), NULL, 0), -1);
}

static void test_fold_invalid_utf8(void **state) {
    (void)state;
    char buf[64];
    const char *bad[] = {
        "\x80",                 /* lone continuation byte */
        "ab\xC0\xAF",           /* overlong '/' */
        "B\xE1\xBA",            /* truncated sequence */
        "\xED\xA0\x80",         /* UTF-16 surrogate */
        "\xF4\x90\x80\x80",     /* past U+10FFFF */
        "ok\xFF",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(cs_fold(bad[i], strlen(bad[i]), buf, sizeof(buf)), -1);
        assert_int_equal(cs_casefold(bad[i], strlen(bad[i]), buf, sizeof(buf)), -1);
        assert_false(cs_has_diacritics(bad[i], strlen(bad[i])));
    }
    assert_int_equal(cs_fold(NULL, 3, buf, sizeof(buf)), -1);
}

static void test_has_diacritics(void **state) {
    (void)state;
    assert_true(cs_has_diacritics("Bắc", strlen("Bắc")));
    assert_true(cs_has_diacritics("đi", strlen("đi")));
    assert_true(cs_has_diacritics("ĐI", strlen("ĐI")));
    assert_true(cs_has_diacritics("café", strlen("café")));
    assert_false(cs_has_diacritics("bac", 3));
    assert_false(cs_has_diacritics("BAC GIANG", 9));
    assert_false(cs_has_diacritics("Straße", strlen("Straße")));
    assert_false(cs_has_diacritics("中国", strlen("中国")));
    assert_false(cs_has_diacritics("", 0));
}

/* ---- real data -------------------------------------------------------- */

static const char *data_dir(void) {
    const char *d = getenv("CS_DATA_DIR");
    return d && *d ? d : "/tmp/data";
}


/* Checks every token against cs_casefold / cs_fold of its own bytes: the
 * tokenizer and the query path must agree. */
typedef struct agree {
    const char *text;
    unsigned next_pos;
    long tokens, disagree;
} agree;

static int agree_cb(const cs_token *tok, void *ud) {
    agree *a = ud;
    char e[256], f[256];
    size_t n = tok->end - tok->start;
    a->tokens++;
    if (tok->pos != a->next_pos++) a->disagree++;
    if (cs_casefold(a->text + tok->start, n, e, sizeof(e)) !=
            (long)tok->exact_len || strcmp(e, tok->exact) != 0 ||
        cs_fold(a->text + tok->start, n, f, sizeof(f)) !=
            (long)tok->folded_len || strcmp(f, tok->folded) != 0)
        a->disagree++;
    return 0;
}

static void test_real_corpus_agrees_with_fold(void **state) {
    (void)state;
    char dir[512];
    snprintf(dir, sizeof(dir), "%s/vi-news-baomoi", data_dir());
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0) {
        /* Not skip(): meson 1.0 counts cmocka's "not ok # SKIP" as failed. */
        CS_SKIP_UNLESS_CI(dir);
    }
    cs_tokenizer *tk = new_tk();
    agree a = {0};
    int files = 0;
    for (int i = 0; i < n; i++) {
        /* 100 files spread over the corpus. */
        if (files < 100 && strstr(names[i]->d_name, ".txt") &&
            i % (n / 100 + 1) == 0) {
            char path[1024];
            size_t len;
            snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
            char *text = cs_read_file(path, &len);
            if (text) {
                a.text = text;
                a.next_pos = 0;
                assert_true(cs_tokenize(tk, text, len, 0, agree_cb, &a) >= 0);
                files++;
                free(text);
            }
        }
        free(names[i]);
    }
    free(names);
    cs_tokenizer_free(tk);
    print_message("# %d files, %ld tokens\n", files, a.tokens);
    assert_true(files > 0);
    assert_true(a.tokens > 1000 * files / 10);
    assert_int_equal(a.disagree, 0);
}

/* Not a test: `test_tokenizer --bench` tokenizes the whole baomoi corpus
 * and prints the speed (build without sanitizers for real numbers). */
static int bench_cb(const cs_token *tok, void *ud) {
    *(size_t *)ud += tok->exact_len + tok->folded_len;
    return 0;
}

static int benchmark(void) {
    char dir[512];
    snprintf(dir, sizeof(dir), "%s/vi-news-baomoi", data_dir());
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0) {
        fprintf(stderr, "cannot read %s\n", dir);
        return 1;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    cs_tokenizer *tk = cs_tokenizer_new(NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double init = (double)(t1.tv_sec - t0.tv_sec) +
                  (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    size_t bytes = 0, sink = 0;
    long tokens = 0;
    double secs = 0;
    for (int i = 0; i < n; i++) {
        char path[1024];
        size_t len;
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
        char *text = tk ? cs_read_file(path, &len) : NULL;
        if (text) {
            clock_gettime(CLOCK_MONOTONIC, &t0);
            tokens += cs_tokenize(tk, text, len, 0, bench_cb, &sink);
            clock_gettime(CLOCK_MONOTONIC, &t1);
            secs += (double)(t1.tv_sec - t0.tv_sec) +
                    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
            bytes += len;
            free(text);
        }
        free(names[i]);
    }
    free(names);
    cs_tokenizer_free(tk);
    printf("table %.3f s; %zu bytes, %ld tokens in %.2f s: %.1f MB/s\n", init,
           bytes, tokens, secs, secs > 0 ? (double)bytes / secs / 1e6 : 0.0);
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--bench") == 0) return benchmark();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vietnamese_diacritics),
        cmocka_unit_test(test_vietnamese_without_diacritics),
        cmocka_unit_test(test_uppercase_vietnamese),
        cmocka_unit_test(test_d_stroke),
        cmocka_unit_test(test_english),
        cmocka_unit_test(test_mixed_languages),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_punctuation_only),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_only_len_bytes_read),
        cmocka_unit_test(test_first_pos_and_reuse),
        cmocka_unit_test(test_phrase_positions_consecutive),
        cmocka_unit_test(test_callback_stop),
        cmocka_unit_test(test_long_words_skipped),
        cmocka_unit_test(test_replacement_emoji_zero_width),
        cmocka_unit_test(test_other_scripts),
        cmocka_unit_test(test_decomposed_input),
        cmocka_unit_test(test_invalid_bytes_in_text),
        cmocka_unit_test(test_tone_placement_variants),
        cmocka_unit_test(test_iy_variants),
        cmocka_unit_test(test_lookalike_and_unicode_variants),
        cmocka_unit_test(test_variants_through_fold),
        cmocka_unit_test(test_very_long_text),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_fold_strings),
        cmocka_unit_test(test_fold_combining_marks),
        cmocka_unit_test(test_fold_buffer_too_small),
        cmocka_unit_test(test_fold_invalid_utf8),
        cmocka_unit_test(test_has_diacritics),
        cmocka_unit_test(test_real_corpus_agrees_with_fold),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
