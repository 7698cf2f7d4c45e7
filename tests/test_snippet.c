/* test_snippet.c -- unit tests for snippets: which words are marked, and where. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snippet.h"
#include "strbuf.h"
#include "tokenizer.h"

static cs_tokenizer *tk;

static int setup(void **state)
{
    (void)state;
    const char *err = NULL;
    tk = cs_tokenizer_new(&err);
    return tk ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    cs_tokenizer_free(tk);
    return 0;
}

/* The whole text with its marks as [..]. The caller frees. */
static char *marked(const cs_match_set *m, const char *text)
{
    cs_snippet s;
    assert_int_equal(cs_mark_all(tk, NULL, m, text, strlen(text), &s), 0);
    char *r = cs_snippet_render(&s, "[", "]", 0);
    cs_snippet_free(&s);
    assert_non_null(r);
    return r;
}

static void add_phrase(cs_match_set *m, const char *words, int typed)
{
    char buf[256], *w[CS_MATCH_PHRASE_MAX + 1];
    size_t n = 0;
    snprintf(buf, sizeof buf, "%s", words);
    for (char *t = strtok(buf, " "); t; t = strtok(NULL, " "))
        w[n++] = t;
    assert_int_equal(cs_match_set_add_phrase(m, (const char *const *)w, n, typed), 0);
}

#define assert_marks(m, text, want)                 \
    do {                                            \
        char *got_ = marked((m), (text));           \
        assert_string_equal(got_, (want));          \
        free(got_);                                 \
    } while (0)

static void test_words_marked_wherever_they_are(void **state)
{
    (void)state;
    cs_match_set m = {0};
    assert_int_equal(cs_match_set_add_typed(&m, "bac"), 0);
    assert_int_equal(cs_match_set_add_typed(&m, "giang"), 0);
    assert_marks(&m, "Bắc Giang và Giang Bắc", "[Bắc] [Giang] và [Giang] [Bắc]");
    cs_match_set_free(&m);
}

/* A synonym "sinh viên" must not mark the "viên" of every "giáo viên". */
static void test_phrase_marked_only_in_a_row(void **state)
{
    (void)state;
    cs_match_set m = {0};
    add_phrase(&m, "sinh vien", 0);
    assert_marks(&m, "Giáo viên và sinh viên; viên sinh.", "Giáo viên và [sinh viên]; viên sinh.");
    cs_match_set_free(&m);
}

/* A word of the query that is also a phrase's first word: marked alone,
 * and the phrase as one span (not the word, then the rest). */
static void test_word_inside_phrase_one_span(void **state)
{
    (void)state;
    cs_match_set m = {0};
    assert_int_equal(cs_match_set_add_typed(&m, "sinh"), 0);
    add_phrase(&m, "sinh vien", 0);
    assert_marks(&m, "nữ sinh, sinh viên", "nữ [sinh], [sinh viên]");
    assert_int_equal(cs_match_set_add_typed(&m, "vien"), 0);   /* every word a match too */
    assert_marks(&m, "viên sinh, sinh viên", "[viên] [sinh], [sinh viên]");
    cs_match_set_free(&m);
}

static void test_overlapping_phrases_merge(void **state)
{
    (void)state;
    cs_match_set m = {0};
    add_phrase(&m, "a b", 0);
    add_phrase(&m, "b c", 0);
    assert_marks(&m, "x a b c y b c", "x [a b c] y [b c]");
    cs_match_set_free(&m);
}

/* Matching is on folded forms, like the index's phrase search. */
static void test_phrase_folded(void **state)
{
    (void)state;
    cs_match_set m = {0};
    add_phrase(&m, "khong biet tu", 1);
    assert_marks(&m, "Tôi KHÔNG biết từ đâu; không biết", "Tôi [KHÔNG biết từ] đâu; không biết");
    cs_match_set_free(&m);
}

/* The words before a phrase's last one are kept in a ring of
 * CS_MATCH_PHRASE_MAX tokens: a phrase far into the text, and the longest
 * phrase, still match. */
static void test_phrase_after_many_tokens(void **state)
{
    (void)state;
    cs_match_set m = {0};
    cs_buf text = {0}, want = {0}, longest = {0};
    for (int i = 0; i < 3 * CS_MATCH_PHRASE_MAX + 5; i++)
        cs_buf_printf(&text, "w%d ", i);
    cs_buf_puts(&want, text.p);
    cs_buf_puts(&text, "x y z");
    cs_buf_puts(&want, "[x y z]");
    add_phrase(&m, "x y z", 1);
    assert_marks(&m, text.p, want.p);
    cs_match_set_free(&m);

    for (int i = 0; i < CS_MATCH_PHRASE_MAX; i++)
        cs_buf_printf(&longest, "%sw%d", i ? " " : "", i + 1);
    add_phrase(&m, longest.p, 1);
    char *got = marked(&m, text.p);
    assert_true(strncmp(got, "w0 [w1 w2 ", 10) == 0);
    assert_non_null(strstr(got, " w32] w33"));
    free(got);
    cs_match_set_free(&m);
    cs_buf_free(&text);
    cs_buf_free(&want);
    cs_buf_free(&longest);
}

/* Two phrases ending on one word ("hồ chí minh" and the synonym "thành
 * phố hồ chí minh"): the longer one is marked, whichever came first. */
static void test_longest_phrase_marked(void **state)
{
    (void)state;
    cs_match_set m = {0};
    add_phrase(&m, "ho chi minh", 1);
    add_phrase(&m, "thanh pho ho chi minh", 0);
    assert_marks(&m, "Về thành phố Hồ Chí Minh, Hồ Chí Minh", "Về [thành phố Hồ Chí Minh], [Hồ Chí Minh]");
    cs_match_set_free(&m);
}

/* A phrase across a line break is one span, its whitespace collapsed like
 * the rest of the snippet. */
static void test_phrase_across_lines(void **state)
{
    (void)state;
    cs_match_set m = {0};
    add_phrase(&m, "sinh vien", 1);
    assert_marks(&m, "các sinh\n\n  viên", "các [sinh viên]");
    cs_match_set_free(&m);
}

/* A phrase longer than the snippet is marked as far as it is shown. */
static void test_long_phrase_cut_by_window(void **state)
{
    (void)state;
    cs_match_set m = {0};
    add_phrase(&m, "mot hai ba bon nam sau bay tam chin muoi muoi mot muoi hai", 1);
    const char *text = "Đầu. Một hai ba bốn năm sáu bảy tám chín mười mười một mười hai. Cuối.";
    cs_snippet s;
    assert_int_equal(cs_make_snippet(tk, NULL, &m, text, strlen(text), 30, &s), 0);
    char *r = cs_snippet_render(&s, "[", "]", 0);
    assert_int_equal(s.nspans, 1);
    assert_non_null(strstr(r, "[Một hai ba"));
    free(r);
    cs_snippet_free(&s);
    /* Cut between two spaces: the span stays inside the text and does not
     * end in the space the snippet's end loses. */
    const char *spaced = "Một  hai  ba  bốn  năm  sáu  bảy  tám  chín  mười  mười  một  mười  hai";
    for (size_t target = 8; target < 60; target++) {
        assert_int_equal(cs_make_snippet(tk, NULL, &m, spaced, strlen(spaced), target, &s), 0);
        size_t tl = strlen(s.text);
        for (size_t i = 0; i < s.nspans; i++) {
            assert_true(s.spans[i].len > 0 && s.spans[i].start + s.spans[i].len <= tl);
            assert_true(s.text[s.spans[i].start + s.spans[i].len - 1] != ' ');
        }
        cs_snippet_free(&s);
    }
    cs_match_set_free(&m);
}

static void test_add_phrase_rules(void **state)
{
    (void)state;
    cs_match_set m = {0};
    const char *one[] = {"a"};
    assert_int_equal(cs_match_set_add_phrase(&m, one, 1, 1), 0);
    assert_int_equal(m.nphrases, 0);   /* a single word is not a phrase */
    add_phrase(&m, "a b", 0);
    add_phrase(&m, "a b", 0);
    assert_int_equal(m.nphrases, 1);
    assert_int_equal(m.typed_phrases, 0);
    add_phrase(&m, "a b", 1);          /* the same phrase, typed this time */
    assert_int_equal(m.nphrases, 1);
    assert_int_equal(m.typed_phrases, 1);
    add_phrase(&m, "b a", 0);
    assert_int_equal(m.nphrases, 2);
    cs_match_set_free(&m);
    assert_int_equal(m.nphrases, 0);
}

/* The snippet window goes to where a typed phrase is, even when its words
 * are scattered (each a distinct match) earlier in the text. */
static void test_window_finds_typed_phrase(void **state)
{
    (void)state;
    cs_match_set m = {0};
    add_phrase(&m, "cong dung", 1);
    cs_buf text = {0};
    cs_buf_puts(&text, "Công ty dùng nhiều. ");
    for (int i = 0; i < 200; i++)
        cs_buf_puts(&text, "lorem ");
    cs_buf_puts(&text, "Công dụng của thuốc.");
    cs_snippet s;
    assert_int_equal(cs_make_snippet(tk, NULL, &m, text.p, text.len, 80, &s), 0);
    char *r = cs_snippet_render(&s, "<mark>", "</mark>", 1);
    assert_non_null(strstr(r, "<mark>Công dụng</mark> của"));
    assert_null(strstr(r, "Công ty"));
    free(r);
    cs_snippet_free(&s);
    cs_buf_free(&text);
    cs_match_set_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words_marked_wherever_they_are),
        cmocka_unit_test(test_phrase_marked_only_in_a_row),
        cmocka_unit_test(test_word_inside_phrase_one_span),
        cmocka_unit_test(test_overlapping_phrases_merge),
        cmocka_unit_test(test_phrase_folded),
        cmocka_unit_test(test_phrase_after_many_tokens),
        cmocka_unit_test(test_longest_phrase_marked),
        cmocka_unit_test(test_phrase_across_lines),
        cmocka_unit_test(test_long_phrase_cut_by_window),
        cmocka_unit_test(test_add_phrase_rules),
        cmocka_unit_test(test_window_finds_typed_phrase),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
