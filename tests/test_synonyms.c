/* test_synonyms.c -- unit tests for the bilingual synonym dictionary (synonyms.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "synonyms.h"
#include "tokenizer.h"

/* ---- helpers ---------------------------------------------------------- */

#define MAX_Q 32
#define MAX_M 16

/* A query tokenized the way the query builder does it. */
typedef struct query {
    char *folded[MAX_Q], *exact[MAX_Q];
    size_t n;
    cs_syn_match m[MAX_M];
    size_t nm;
} query;

static int collect(const cs_token *t, void *ud)
{
    query *q = ud;
    assert_true(q->n < MAX_Q);
    q->folded[q->n] = strdup(t->folded);
    q->exact[q->n] = strdup(t->exact);
    assert_non_null(q->folded[q->n]);
    assert_non_null(q->exact[q->n]);
    q->n++;
    return 0;
}

/* Tokenizes `text` and matches it against syn (with the exact forms unless
 * folded_only). The caller frees with query_free. */
static query *run(const cs_synonyms *syn, const char *text, int folded_only)
{
    query *q = calloc(1, sizeof *q);
    assert_non_null(q);
    cs_tokenizer *tk = cs_tokenizer_new(NULL);
    assert_non_null(tk);
    assert_true(cs_tokenize(tk, text, strlen(text), 0, collect, q) >= 0);
    cs_tokenizer_free(tk);
    q->nm = cs_synonyms_match(syn, (const char *const *)q->folded,
                              folded_only ? NULL : (const char *const *)q->exact, q->n,
                              q->m, MAX_M);
    return q;
}

static void query_free(query *q)
{
    for (size_t i = 0; i < q->n; i++) {
        free(q->folded[i]);
        free(q->exact[i]);
    }
    free(q);
}

/* The alternative of match m written `text` in the file, or NULL. */
static const cs_syn_entry *alt(const cs_syn_match *m, const char *text)
{
    for (size_t i = 0; i < m->nalts; i++)
        if (strcmp(m->alts[i]->text, text) == 0)
            return m->alts[i];
    return NULL;
}

static cs_synonyms *parse_ok(const char *text)
{
    char err[256] = "unset";
    cs_synonyms *syn = cs_synonyms_parse(text, strlen(text), err, sizeof err);
    if (!syn)
        fail_msg("parse failed: %s", err);
    assert_string_equal(err, "");
    return syn;
}

/* Parsing must fail with a message that contains `want`. */
static void parse_fails(const char *text, size_t len, const char *want)
{
    char err[256] = "";
    cs_synonyms *syn = cs_synonyms_parse(text, len, err, sizeof err);
    if (syn) {
        cs_synonyms_free(syn);
        fail_msg("parsing \"%s\" should fail", text);
    }
    if (!strstr(err, want))
        fail_msg("message \"%s\" lacks \"%s\"", err, want);
}

/* ---- the shipped dictionary -------------------------------------------- */

static void test_default_loads(void **state)
{
    (void)state;
    const cs_synonyms *syn = cs_synonyms_default();
    assert_non_null(syn);
    assert_true(cs_synonyms_groups(syn) >= 60);
    assert_ptr_equal(cs_synonyms_default(), syn);   /* loaded once */
}

static void test_default_en_to_vi(void **state)
{
    (void)state;
    query *q = run(cs_synonyms_default(), "Digital transformation", 0);
    assert_int_equal(q->nm, 1);
    assert_int_equal(q->m[0].start, 0);
    assert_int_equal(q->m[0].len, 2);
    assert_string_equal(q->m[0].entry->text, "digital transformation");
    const cs_syn_entry *vi = alt(&q->m[0], "chuyển đổi số");
    assert_non_null(vi);
    assert_int_equal(vi->ntokens, 3);
    assert_string_equal(vi->folded[0], "chuyen");
    assert_string_equal(vi->folded[1], "doi");
    assert_string_equal(vi->folded[2], "so");
    assert_string_equal(vi->exact[0], "chuyển");
    assert_string_equal(vi->exact[2], "số");
    /* the matched entry is never among its own alternatives */
    assert_null(alt(&q->m[0], "digital transformation"));
    query_free(q);
}

static void test_default_vi_to_en_any_marks(void **state)
{
    (void)state;
    const char *forms[] = {"chuyển đổi số", "chuyen doi so", "CHUYỂN ĐỔI SỐ", "chuyển doi số"};
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        query *q = run(cs_synonyms_default(), forms[i], 0);
        if (q->nm != 1)
            fail_msg("\"%s\": %zu matches", forms[i], q->nm);
        assert_int_equal(q->m[0].len, 3);
        assert_non_null(alt(&q->m[0], "digital transformation"));
        query_free(q);
    }
}

/* The pairs the newsroom asked for, both ways: catches typos in the data. */
static void test_default_required_pairs(void **state)
{
    (void)state;
    static const struct { const char *query, *alt; } pairs[] = {
        {"science and technology", "khoa học công nghệ"},
        {"khoa học và công nghệ", "science and technology"},
        {"KH&CN", "khoa học công nghệ"},
        {"innovation", "đổi mới sáng tạo"},
        {"đổi mới sáng tạo", "innovation"},
        {"Politburo", "Bộ Chính trị"},
        {"Bộ Chính trị", "Politburo"},
        {"People's Committee", "Ủy ban nhân dân"},
        {"Uỷ ban nhân dân", "People's Committee"},
        {"UBND", "Ủy ban nhân dân"},
        {"new-style rural area", "nông thôn mới"},
        {"nong thon moi", "new-style rural area"},
        {"Party Central Committee", "Ban Chấp hành Trung ương"},
        {"National Assembly", "Quốc hội"},
        {"industrial park", "khu công nghiệp"},
        {"FDI", "đầu tư trực tiếp nước ngoài"},
        {"foreign direct investment", "FDI"},
        {"flood", "lũ lụt"},
        {"storm", "bão"},
        {"tourism", "du lịch"},
        {"du lich", "tourism"},
        {"lychee", "vải thiều"},
        {"vải thiều", "lychee"},
        {"Prime Minister", "Thủ tướng"},
        {"resolution", "nghị quyết"},
        {"decree", "nghị định"},
        {"province", "tỉnh"},
        {"tỉnh", "province"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        query *q = run(cs_synonyms_default(), pairs[i].query, 0);
        if (q->nm != 1 || q->m[0].start != 0 || q->m[0].len != q->n)
            fail_msg("\"%s\": %zu matches, want one over the whole query", pairs[i].query,
                     q->nm);
        if (!alt(&q->m[0], pairs[i].alt))
            fail_msg("\"%s\" lacks the alternative \"%s\"", pairs[i].query, pairs[i].alt);
        query_free(q);
    }
}

static void test_longest_match_first(void **state)
{
    (void)state;
    query *q = run(cs_synonyms_default(), "Ministry of Science and Technology", 0);
    assert_int_equal(q->nm, 1);
    assert_int_equal(q->m[0].len, 5);
    assert_non_null(alt(&q->m[0], "Bộ Khoa học và Công nghệ"));
    assert_null(alt(&q->m[0], "khoa học công nghệ"));
    query_free(q);

    /* "innovation centre" rather than "innovation" */
    q = run(cs_synonyms_default(), "innovation centre", 0);
    assert_int_equal(q->nm, 1);
    assert_int_equal(q->m[0].len, 2);
    assert_non_null(alt(&q->m[0], "trung tâm đổi mới sáng tạo"));
    query_free(q);
}

static void test_several_runs_in_a_query(void **state)
{
    (void)state;
    /* lũ(0) lụt(1) ở(2) bắc(3) giang(4) và(5) du(6) lịch(7) */
    query *q = run(cs_synonyms_default(), "lũ lụt ở Bắc Giang và du lịch", 0);
    assert_int_equal(q->nm, 2);
    assert_int_equal(q->m[0].start, 0);
    assert_int_equal(q->m[0].len, 2);
    assert_non_null(alt(&q->m[0], "flood"));
    assert_int_equal(q->m[1].start, 6);
    assert_int_equal(q->m[1].len, 2);
    assert_non_null(alt(&q->m[1], "tourism"));
    query_free(q);

    /* words out of order are not the entry */
    q = run(cs_synonyms_default(), "đổi chuyển số", 0);
    assert_int_equal(q->nm, 0);
    query_free(q);
}

static void test_one_syllable_needs_its_marks(void **state)
{
    (void)state;
    query *q = run(cs_synonyms_default(), "bão", 0);
    assert_int_equal(q->nm, 1);
    assert_non_null(alt(&q->m[0], "storm"));
    assert_non_null(alt(&q->m[0], "typhoon"));
    query_free(q);
    const char *others[] = {"bao", "bảo", "báo", "Bao"};
    for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
        q = run(cs_synonyms_default(), others[i], 0);
        if (q->nm != 0)
            fail_msg("\"%s\" should not match \"bão\"", others[i]);
        query_free(q);
    }
    /* without exact forms, every token counts as typed without marks */
    q = run(cs_synonyms_default(), "bão", 1);
    assert_int_equal(q->nm, 0);
    query_free(q);
}

/* ---- matching rules, on small dictionaries --------------------------- */

static void test_marks_must_agree(void **state)
{
    (void)state;
    cs_synonyms *syn = parse_ok("big storm | bão lớn\n");
    static const struct { const char *q; size_t nm; } cases[] = {
        {"bão lớn", 1}, {"bao lon", 1}, {"bão lon", 1}, {"BÃO LỚN", 1},
        {"báo lớn", 0}, {"bão lợn", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        query *q = run(syn, cases[i].q, 0);
        if (q->nm != cases[i].nm)
            fail_msg("\"%s\": %zu matches, want %zu", cases[i].q, q->nm, cases[i].nm);
        query_free(q);
    }
    /* an entry without marks matches a word typed with them */
    cs_synonyms_free(syn);
    syn = parse_ok("Tet | Lunar New Year\n");
    query *q = run(syn, "Tết", 0);
    assert_int_equal(q->nm, 1);
    assert_non_null(alt(&q->m[0], "Lunar New Year"));
    query_free(q);
    cs_synonyms_free(syn);
}

static void test_english_plurals(void **state)
{
    (void)state;
    cs_synonyms *syn = parse_ok("industrial park | khu công nghiệp\n"
                                "city | thành phố\n"
                                "bus | xe buýt\n"
                                "People's Committee | UBND\n"
                                "lũ | flood\n");
    static const struct { const char *q; size_t len; } cases[] = {
        {"industrial parks", 2}, {"industrial park", 2}, {"cities", 1}, {"buses", 1},
        {"floods", 1}, {"People's Committees", 0}, {"industrials park", 0},
        {"khu công nghiệps", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        query *q = run(syn, cases[i].q, 0);
        size_t len = q->nm ? q->m[0].len : 0;
        if (len != cases[i].len)
            fail_msg("\"%s\": matched %zu words, want %zu", cases[i].q, len, cases[i].len);
        query_free(q);
    }
    cs_synonyms_free(syn);
}

static void test_entry_in_two_groups(void **state)
{
    (void)state;
    cs_synonyms *syn = parse_ok("alpha beta | xin chào\n"
                                "Xin chào | gamma\n"
                                "xin chao | delta\n");
    assert_int_equal(cs_synonyms_groups(syn), 3);
    /* "Xin chào" is the same entry as "xin chào" (case is not part of it),
     * so it brings the entries of both its groups; "xin chao" is another
     * entry with the same folded words. Both match "xin chào": an entry
     * written without marks matches any. */
    query *q = run(syn, "xin chào", 0);
    assert_int_equal(q->nm, 2);
    for (size_t i = 0; i < q->nm; i++) {
        assert_int_equal(q->m[i].start, 0);
        assert_int_equal(q->m[i].len, 2);
        /* never an alternative with the same folded words */
        assert_null(alt(&q->m[i], "xin chao"));
        assert_null(alt(&q->m[i], "xin chào"));
    }
    const cs_syn_match *acc = strcmp(q->m[0].entry->text, "xin chào") == 0 ? &q->m[0] : &q->m[1];
    assert_string_equal(acc->entry->text, "xin chào");
    assert_int_equal(acc->nalts, 2);
    assert_non_null(alt(acc, "alpha beta"));
    assert_non_null(alt(acc, "gamma"));
    query_free(q);

    q = run(syn, "alpha beta", 0);
    assert_int_equal(q->nm, 1);
    assert_int_equal(q->m[0].nalts, 1);
    assert_non_null(alt(&q->m[0], "xin chào"));
    query_free(q);
    cs_synonyms_free(syn);
}

static void test_no_alternative_no_match(void **state)
{
    (void)state;
    /* Hue and Huế fold alike: nothing to add, so no match, and the
     * shorter entry inside stays reachable. */
    cs_synonyms *syn = parse_ok("Hue city | Huế city\ncity | thành phố\n");
    query *q = run(syn, "Hue city", 0);
    assert_int_equal(q->nm, 1);
    assert_int_equal(q->m[0].start, 1);
    assert_non_null(alt(&q->m[0], "thành phố"));
    query_free(q);
    cs_synonyms_free(syn);
}

static void test_format_details(void **state)
{
    (void)state;
    cs_synonyms *syn = parse_ok("# comment | not | a group\r\n\r\n   \t\n"
                                "  a b  |\tc d  \r\n"
                                "e-f|g\n"
                                "last | line without newline");
    assert_int_equal(cs_synonyms_groups(syn), 3);
    query *q = run(syn, "A B", 0);
    assert_int_equal(q->nm, 1);
    assert_non_null(alt(&q->m[0], "c d"));
    query_free(q);
    q = run(syn, "e f", 0);   /* '-' separates words like in queries */
    assert_int_equal(q->nm, 1);
    assert_non_null(alt(&q->m[0], "g"));
    query_free(q);
    q = run(syn, "line without newline", 0);
    assert_int_equal(q->nm, 1);
    query_free(q);
    cs_synonyms_free(syn);

    syn = parse_ok("");
    assert_int_equal(cs_synonyms_groups(syn), 0);
    q = run(syn, "a b", 0);
    assert_int_equal(q->nm, 0);
    query_free(q);
    cs_synonyms_free(syn);
}

static void test_parse_errors(void **state)
{
    (void)state;
    parse_fails("a | b\nc || d\n", 13, "line 2: empty entry");
    parse_fails("a | b |\n", 8, "line 1: empty entry");
    parse_fails("| a | b\n", 8, "empty entry");
    parse_fails("only one entry\n", 15, "at least two");
    parse_fails("flood | Flood\n", 14, "at least two");
    parse_fails("--- | x\n", 8, "no words");
    parse_fails("a | b\n\xff\xfe | c\n", 13, "line 2: invalid UTF-8");
    parse_fails("a\x01 | b\n", 7, "control character");
    parse_fails("a\0b | c\n", 8, "control character");
    parse_fails("w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16 w17 | x\n", 63,
                "more than 16 words");
    /* no room for the message is not a crash */
    assert_null(cs_synonyms_parse("x\n", 2, NULL, 0));
    char tiny[4];
    assert_null(cs_synonyms_parse("x\n", 2, tiny, sizeof tiny));
    assert_true(strlen(tiny) < sizeof tiny);
}

static void test_limits_and_bad_arguments(void **state)
{
    (void)state;
    const cs_synonyms *syn = cs_synonyms_default();
    const char *folded[] = {"du", "lich", "va", "lu", "lut"};
    const char *exact[] = {"du", "lịch", "và", "lũ", "lụt"};
    cs_syn_match m[4];
    assert_int_equal(cs_synonyms_match(syn, folded, exact, 5, m, 4), 2);
    assert_int_equal(cs_synonyms_match(syn, folded, exact, 5, m, 1), 1);
    assert_int_equal(m[0].start, 0);
    assert_int_equal(cs_synonyms_match(syn, folded, exact, 5, NULL, 0), 0);
    assert_int_equal(cs_synonyms_match(syn, folded, exact, 0, m, 4), 0);
    assert_int_equal(cs_synonyms_match(NULL, folded, exact, 5, m, 4), 0);
    assert_int_equal(cs_synonyms_match(syn, NULL, exact, 5, m, 4), 0);
    /* a run cut short by the end of the query does not match */
    assert_int_equal(cs_synonyms_match(syn, folded, exact, 1, m, 4), 0);
    /* a NULL token breaks runs but is not read */
    const char *holes[] = {"du", NULL, "lu", "lut"};
    const char *hx[] = {"du", NULL, "lũ", "lụt"};
    assert_int_equal(cs_synonyms_match(syn, holes, hx, 4, m, 4), 1);
    assert_int_equal(m[0].start, 2);
    assert_int_equal(cs_synonyms_groups(NULL), 0);
    cs_synonyms_free(NULL);
}

/* ---- threads ------------------------------------------------------------ */

static void *thread_main(void *arg)
{
    (void)arg;
    const char *folded[] = {"chuyen", "doi", "so"};
    const char *exact[] = {"chuyển", "đổi", "số"};
    for (int i = 0; i < 2000; i++) {
        const cs_synonyms *syn = cs_synonyms_default();
        cs_syn_match m[2];
        if (!syn || cs_synonyms_match(syn, folded, exact, 3, m, 2) != 1 || m[0].len != 3)
            return (void *)1;
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, thread_main, NULL), 0);
    for (int i = 0; i < 4; i++) {
        void *ret;
        assert_int_equal(pthread_join(t[i], &ret), 0);
        assert_null(ret);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* first, so the threads race on loading the default dictionary */
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_default_loads),
        cmocka_unit_test(test_default_en_to_vi),
        cmocka_unit_test(test_default_vi_to_en_any_marks),
        cmocka_unit_test(test_default_required_pairs),
        cmocka_unit_test(test_longest_match_first),
        cmocka_unit_test(test_several_runs_in_a_query),
        cmocka_unit_test(test_one_syllable_needs_its_marks),
        cmocka_unit_test(test_marks_must_agree),
        cmocka_unit_test(test_english_plurals),
        cmocka_unit_test(test_entry_in_two_groups),
        cmocka_unit_test(test_no_alternative_no_match),
        cmocka_unit_test(test_format_details),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_limits_and_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
