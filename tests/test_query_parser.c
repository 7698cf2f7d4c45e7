/* test_query_parser.c -- unit tests for the query parser (query_parser.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "query_parser.h"

static const char *const fields[] = {"title", "body", NULL};

/* Parses q with the test fields and returns the description (malloc'd,
 * "NULL" for no tree); *note gets the note. */
static char *parse_desc(const char *q, char **note)
{
    cs_qnode *n = cs_query_parse(q, fields, note);
    char *d = cs_qnode_describe(n);
    assert_non_null(d);
    cs_qnode_free(n);
    return d;
}

/* q must parse to `want` with no note. */
static void expect_clean(const char *q, const char *want)
{
    char *note = (char *)1;
    char *d = parse_desc(q, &note);
    if (strcmp(d, want) != 0 || note)
        print_error("query [%s]: got %s (note: %s), want %s\n", q, d,
                    note ? note : "none", want);
    assert_string_equal(d, want);
    assert_null(note);
    free(d);
}

/* q must parse to `want` with a note containing `in_note`. */
static void expect_noted(const char *q, const char *want, const char *in_note)
{
    char *note = NULL;
    char *d = parse_desc(q, &note);
    if (strcmp(d, want) != 0 || !note)
        print_error("query [%s]: got %s (note: %s), want %s\n", q, d,
                    note ? note : "none", want);
    assert_string_equal(d, want);
    assert_non_null(note);
    if (!strstr(note, in_note))
        print_error("query [%s]: note [%s] lacks [%s]\n", q, note, in_note);
    assert_non_null(strstr(note, in_note));
    free(note);
    free(d);
}

static void test_words_implicit_and(void **state)
{
    (void)state;
    expect_clean("bac", "WORD(bac)");
    expect_clean("bac giang", "AND(WORD(bac) WORD(giang))");
    expect_clean("  bac \t giang\n", "AND(WORD(bac) WORD(giang))");
    expect_clean("a b c d", "AND(WORD(a) WORD(b) WORD(c) WORD(d))");
}

static void test_brief_example(void **state)
{
    (void)state;
    expect_clean("bac \"khoa học\" OR x -y title:ab*",
                 "AND(WORD(bac) OR(PHRASE(khoa học) WORD(x)) NOT(WORD(y)) "
                 "title:PREFIX(ab))");
}

static void test_vietnamese(void **state)
{
    (void)state;
    expect_clean("Bắc Giang", "AND(WORD(Bắc) WORD(Giang))");
    expect_clean("Đà Nẵng OR Huế", "AND(WORD(Đà) OR(WORD(Nẵng) WORD(Huế)))");
    expect_clean("\"ủy ban nhân dân\" tỉnh",
                 "AND(PHRASE(ủy ban nhân dân) WORD(tỉnh))");
    /* Typographic quotes, as Vietnamese text uses them. */
    expect_clean("“khoa học” x", "AND(PHRASE(khoa học) WORD(x))");
    expect_clean("\"khoa học”", "PHRASE(khoa học)");
}

static void test_phrase_node(void **state)
{
    (void)state;
    char *note = NULL;
    cs_qnode *n = cs_query_parse("\"khoa  học công nghệ\"", fields, &note);
    assert_non_null(n);
    assert_null(note);
    assert_int_equal(n->kind, CS_Q_PHRASE);
    assert_int_equal(n->ntext, 4);
    assert_string_equal(n->text[0], "khoa");
    assert_string_equal(n->text[1], "học");
    assert_string_equal(n->text[3], "nghệ");
    assert_int_equal(n->nkids, 0);
    assert_null(n->field);
    cs_qnode_free(n);

    /* Inside quotes everything is text: operators, parens, minus. */
    expect_clean("\"a OR (b) -c\"", "PHRASE(a OR (b) -c)");
    expect_clean("\"một\"", "PHRASE(một)");
    /* A quote in the middle of a word starts a phrase. */
    expect_clean("abc\"def ghi\"", "AND(WORD(abc) PHRASE(def ghi))");
}

static void test_or_precedence(void **state)
{
    (void)state;
    expect_clean("x a OR b", "AND(WORD(x) OR(WORD(a) WORD(b)))");
    expect_clean("a OR b OR c", "OR(WORD(a) WORD(b) WORD(c))");
    expect_clean("a OR b c OR d",
                 "AND(OR(WORD(a) WORD(b)) OR(WORD(c) WORD(d)))");
    expect_clean("a AND b", "AND(WORD(a) WORD(b))");
    expect_clean("a AND b OR c", "AND(WORD(a) OR(WORD(b) WORD(c)))");
    expect_clean("NOT a OR b", "OR(NOT(WORD(a)) WORD(b))");
    expect_clean("a OR -b", "OR(WORD(a) NOT(WORD(b)))");
}

static void test_not(void **state)
{
    (void)state;
    expect_clean("a NOT b", "AND(WORD(a) NOT(WORD(b)))");
    expect_clean("a -b", "AND(WORD(a) NOT(WORD(b)))");
    expect_clean("a -\"x y\"", "AND(WORD(a) NOT(PHRASE(x y)))");
    expect_clean("a -(b OR c)", "AND(WORD(a) NOT(OR(WORD(b) WORD(c))))");
    expect_clean("a NOT (b c)", "AND(WORD(a) NOT(AND(WORD(b) WORD(c))))");
    expect_clean("-covid", "NOT(WORD(covid))");
    expect_clean("-a -b", "AND(NOT(WORD(a)) NOT(WORD(b)))");
    expect_clean("a -title:b", "AND(WORD(a) NOT(title:WORD(b)))");
}

static void test_groups_flatten(void **state)
{
    (void)state;
    expect_clean("(a OR b) c", "AND(OR(WORD(a) WORD(b)) WORD(c))");
    expect_clean("(a b) c", "AND(WORD(a) WORD(b) WORD(c))");
    expect_clean("a OR (b OR c)", "OR(WORD(a) WORD(b) WORD(c))");
    expect_clean("(a b) OR c", "OR(AND(WORD(a) WORD(b)) WORD(c))");
    expect_clean("((a))", "WORD(a)");
    expect_clean("(a OR (b (c d)))",
                 "OR(WORD(a) AND(WORD(b) WORD(c) WORD(d)))");
    /* Parentheses end a word. */
    expect_clean("(a)b", "AND(WORD(a) WORD(b))");
}

static void test_operators_case(void **state)
{
    (void)state;
    expect_clean("a or b", "AND(WORD(a) WORD(or) WORD(b))");
    expect_clean("not x", "AND(WORD(not) WORD(x))");
    expect_clean("a And b", "AND(WORD(a) WORD(And) WORD(b))");
    expect_clean("ORx NOTa", "AND(WORD(ORx) WORD(NOTa))");
}

static void test_hyphen_and_punct_words(void **state)
{
    (void)state;
    expect_clean("covid-19", "WORD(covid-19)");
    expect_clean("57-NQ/TW", "WORD(57-NQ/TW)");
    expect_clean("nghị quyết 57-NQ/TW", "AND(WORD(nghị) WORD(quyết) WORD(57-NQ/TW))");
    /* "--" is a word, not a double NOT: "a -- b" must not exclude b. */
    expect_clean("a -- b", "AND(WORD(a) WORD(--) WORD(b))");
    expect_clean("a & b...", "AND(WORD(a) WORD(&) WORD(b...))");
    expect_clean("10:30", "WORD(10:30)");
    expect_clean("http://x.vn", "WORD(http://x.vn)");
}

static void test_prefix(void **state)
{
    (void)state;
    expect_clean("ab*", "PREFIX(ab)");
    expect_clean("học*", "PREFIX(học)");
    expect_clean("đà*", "PREFIX(đà)");
    expect_clean("ab**", "PREFIX(ab)");
    expect_clean("a*b", "WORD(a*b)");
    expect_clean("x -ab*", "AND(WORD(x) NOT(PREFIX(ab)))");
    expect_noted("a*", "WORD(a)", "'*'");
    /* One code point of two bytes is still one character. */
    expect_noted("ă*", "WORD(ă)", "'*'");
    expect_clean("x *", "AND(WORD(x) WORD(*))");

    cs_qnode *n = cs_query_parse("nghệ*", fields, NULL);
    assert_non_null(n);
    assert_int_equal(n->kind, CS_Q_PREFIX);
    assert_int_equal(n->ntext, 1);
    assert_string_equal(n->text[0], "nghệ");
    cs_qnode_free(n);
}

static void test_fields(void **state)
{
    (void)state;
    expect_clean("title:bac", "title:WORD(bac)");
    expect_clean("TiTLe:bac", "title:WORD(bac)");
    expect_clean("title:\"khoa học\"", "title:PHRASE(khoa học)");
    expect_clean("title:“khoa học”", "title:PHRASE(khoa học)");
    expect_clean("title:(a OR b)", "title:OR(WORD(a) WORD(b))");
    /* A fielded group is not flattened into the outer AND. */
    expect_clean("title:(a b) c", "AND(title:AND(WORD(a) WORD(b)) WORD(c))");
    expect_clean("title:(body:x)", "body:WORD(x)");
    expect_clean("title:(x)", "title:WORD(x)");
    expect_clean("body:Hà title:nội*", "AND(body:WORD(Hà) title:PREFIX(nội))");
    /* After "field:" the next word is literal text. */
    expect_clean("title:OR", "title:WORD(OR)");
    expect_clean("title:body:x", "title:WORD(body:x)");
    expect_clean("title:a OR b", "OR(title:WORD(a) WORD(b))");

    /* The field pointer is the caller's string, not a copy. */
    cs_qnode *n = cs_query_parse("BODY:x", fields, NULL);
    assert_non_null(n);
    assert_ptr_equal(n->field, fields[1]);
    cs_qnode_free(n);

    /* Without a field list nothing is a field. */
    char *note = NULL;
    n = cs_query_parse("title:x", NULL, &note);
    assert_non_null(n);
    assert_null(n->field);
    assert_string_equal(n->text[0], "title:x");
    assert_non_null(note);       /* it looks like a field: say so */
    free(note);
    cs_qnode_free(n);
}

static void test_field_malformed(void **state)
{
    (void)state;
    expect_noted("foo:bar", "WORD(foo:bar)", "foo:");
    expect_noted("a foo:bar", "AND(WORD(a) WORD(foo:bar))", "unknown field");
    expect_noted("title:", "NULL", "field");
    expect_noted("title: x", "WORD(x)", "field");
    expect_noted("title:\"\" x", "WORD(x)", "empty phrase");
    expect_noted("x title:)", "WORD(x)", "field");
}

static void test_malformed_quotes(void **state)
{
    (void)state;
    expect_noted("\"a b", "PHRASE(a b)", "unbalanced quote");
    expect_noted("x \"a OR b", "AND(WORD(x) PHRASE(a OR b))", "unbalanced");
    expect_noted("\"\"", "NULL", "empty phrase");
    expect_noted("\"   \"", "NULL", "empty phrase");
    expect_noted("a \"\" b", "AND(WORD(a) WORD(b))", "empty phrase");
    expect_noted("a \"", "WORD(a)", "unbalanced");
}

static void test_malformed_operators(void **state)
{
    (void)state;
    expect_noted("a OR", "WORD(a)", "OR");
    expect_noted("OR a", "WORD(a)", "OR");
    expect_noted("a OR OR b", "OR(WORD(a) WORD(b))", "OR");
    expect_noted("OR", "NULL", "OR");
    expect_noted("a AND", "WORD(a)", "AND");
    expect_noted("AND a", "WORD(a)", "AND");
    expect_noted("a NOT", "WORD(a)", "NOT");
    expect_noted("NOT", "NULL", "NOT");
    expect_noted("a NOT OR b", "AND(WORD(a) WORD(b))", "NOT");
    expect_noted("- x", "WORD(x)", "'-'");
    expect_noted("x -", "WORD(x)", "'-'");
    expect_noted("NOT NOT x", "WORD(x)", "double negation");
    expect_noted("NOT -x", "WORD(x)", "double negation");
    expect_noted("NOT NOT NOT x", "NOT(WORD(x))", "double negation");
    expect_noted("(a OR) b", "AND(WORD(a) WORD(b))", "OR");
}

static void test_malformed_parens(void **state)
{
    (void)state;
    expect_noted("a )", "WORD(a)", "unmatched ')'");
    expect_noted(") a (b) )", "AND(WORD(a) WORD(b))", "unmatched ')'");
    expect_noted("(a b", "AND(WORD(a) WORD(b))", "missing ')'");
    expect_noted("(a OR (b", "OR(WORD(a) WORD(b))", "missing ')'");
    expect_noted("()", "NULL", "empty parentheses");
    expect_noted("a () b", "AND(WORD(a) WORD(b))", "empty parentheses");
    expect_noted("x -()", "WORD(x)", "empty parentheses");
}

static void test_several_notes(void **state)
{
    (void)state;
    char *note = NULL;
    char *d = parse_desc("OR a ) \"b", &note);
    assert_string_equal(d, "AND(WORD(a) PHRASE(b))");
    assert_non_null(note);
    assert_non_null(strstr(note, "unmatched ')'"));
    assert_non_null(strstr(note, "unbalanced quote"));
    assert_non_null(strstr(note, "OR"));
    free(note);
    free(d);

    /* Many of the same mistake: one short note. */
    char q[2001];
    memset(q, ')', 2000);
    q[2000] = '\0';
    q[0] = 'x';
    d = parse_desc(q, &note);
    assert_string_equal(d, "WORD(x)");
    assert_non_null(note);
    assert_true(strlen(note) < 200);
    free(note);
    free(d);
}

static void test_empty_and_space(void **state)
{
    (void)state;
    const char *qs[] = {"", " ", "\t\n  \r", "\xC2\xA0", "\xE3\x80\x80 \xC2\xA0"};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        char *note = (char *)1;
        cs_qnode *n = cs_query_parse(qs[i], fields, &note);
        assert_null(n);
        assert_null(note);
    }
    /* Only punctuation: nothing to search. */
    char *note = (char *)1;
    assert_null(cs_query_parse("... & -- *", fields, &note));
    assert_null(note);
    assert_null(cs_query_parse(NULL, fields, NULL));
}

static void test_unicode_spaces(void **state)
{
    (void)state;
    expect_clean("bắc\xC2\xA0giang\xE3\x80\x80x",
                 "AND(WORD(bắc) WORD(giang) WORD(x))");
    expect_clean("\"khoa\xC2\xA0học\"", "PHRASE(khoa học)");
    expect_clean("a\xE2\x80\x83" "b", "AND(WORD(a) WORD(b))");  /* EM SPACE */
    expect_noted("-\xC2\xA0x", "WORD(x)", "'-'");
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    const char *bad[] = {
        "\xff", "abc\xC3", "\xC0\xAF", "\xED\xA0\x80", "a \x80 b",
        "\xF4\x90\x80\x80", "\xE1\x80", "Bắc \xC3\x28",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *note = NULL;
        cs_qnode *n = cs_query_parse(bad[i], fields, &note);
        assert_null(n);
        assert_non_null(note);
        assert_string_equal(note, "query is not valid UTF-8");
        free(note);
    }
    /* Without a note pointer: still NULL, no crash. */
    assert_null(cs_query_parse("\xff", fields, NULL));
    /* Valid 4-byte UTF-8 is accepted. */
    expect_clean("\xF0\x9F\x98\x80 x", "AND(WORD(\xF0\x9F\x98\x80) WORD(x))");
}

/* n '(' + body + n ')' */
static char *nested(size_t n, const char *body)
{
    size_t bl = strlen(body);
    char *q = malloc(2 * n + bl + 1);
    assert_non_null(q);
    memset(q, '(', n);
    memcpy(q + n, body, bl);
    memset(q + n + bl, ')', n);
    q[2 * n + bl] = '\0';
    return q;
}

static void test_deep_nesting(void **state)
{
    (void)state;
    char *q = nested(10000, "a OR b");
    expect_noted(q, "OR(WORD(a) WORD(b))", "nested");
    free(q);

    /* 32 levels are fine and say nothing. */
    q = nested(32, "a");
    expect_clean(q, "WORD(a)");
    free(q);

    /* Groups within the limit keep their meaning; the rest lose theirs. */
    char buf[600];
    size_t len = 0;
    for (int i = 0; i < 40; i++) len += (size_t)sprintf(buf + len, "(w%d ", i);
    len += (size_t)sprintf(buf + len, "OR z");
    for (int i = 0; i < 40; i++) buf[len++] = ')';
    buf[len] = '\0';
    char *note = NULL;
    cs_qnode *n = cs_query_parse(buf, fields, &note);
    assert_non_null(n);
    assert_non_null(note);
    assert_int_equal(n->kind, CS_Q_AND);
    /* w0..w38 flattened into one AND, plus OR(w39 z). */
    assert_int_equal(n->nkids, 40);
    assert_int_equal(n->kids[39]->kind, CS_Q_OR);
    free(note);
    cs_qnode_free(n);

    /* Unclosed: 10,000 opens. */
    q = malloc(10002);
    assert_non_null(q);
    memset(q, '(', 10000);
    strcpy(q + 10000, "x");
    expect_noted(q, "WORD(x)", "missing ')'");
    free(q);
}

static void test_huge_query(void **state)
{
    (void)state;
    /* 100 KB of words: capped at 256, linear time. */
    size_t cap = 100 * 1024;
    char *q = malloc(cap + 16);
    assert_non_null(q);
    size_t len = 0;
    for (int i = 0; len < cap; i++) len += (size_t)sprintf(q + len, "w%d ", i);
    clock_t t0 = clock();
    char *note = NULL;
    cs_qnode *n = cs_query_parse(q, fields, &note);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_non_null(n);
    assert_int_equal(n->kind, CS_Q_AND);
    assert_int_equal(n->nkids, 256);
    assert_string_equal(n->kids[255]->text[0], "w255");
    assert_non_null(note);
    assert_non_null(strstr(note, "256"));
    assert_true(secs < 2.0);
    free(note);
    cs_qnode_free(n);

    /* Exactly 256 words: no note. */
    len = 0;
    for (int i = 0; i < 256; i++) len += (size_t)sprintf(q + len, "w%d ", i);
    n = cs_query_parse(q, fields, &note);
    assert_non_null(n);
    assert_int_equal(n->nkids, 256);
    assert_null(note);
    cs_qnode_free(n);

    /* A phrase crossing the cap is cut. */
    len = 0;
    for (int i = 0; i < 250; i++) len += (size_t)sprintf(q + len, "w%d ", i);
    len += (size_t)sprintf(q + len, "\"p0 p1 p2 p3 p4 p5 p6 p7 p8 p9\" tail");
    n = cs_query_parse(q, fields, &note);
    assert_non_null(n);
    assert_int_equal(n->nkids, 251);
    assert_int_equal(n->kids[250]->kind, CS_Q_PHRASE);
    assert_int_equal(n->kids[250]->ntext, 6);
    assert_non_null(note);
    free(note);
    cs_qnode_free(n);

    /* 50,001 NOTs in a row: no stack overflow; odd count -> NOT. */
    size_t nn = 50001;
    free(q);
    q = malloc(nn * 4 + 8);
    assert_non_null(q);
    for (size_t i = 0; i < nn; i++) memcpy(q + 4 * i, "NOT ", 4);
    strcpy(q + 4 * nn, "x");
    n = cs_query_parse(q, fields, &note);
    assert_non_null(n);
    assert_int_equal(n->kind, CS_Q_NOT);
    assert_string_equal(n->kids[0]->text[0], "x");
    free(note);
    cs_qnode_free(n);

    /* One 100 KB word. */
    memset(q, 'a', cap);
    q[cap] = '\0';
    n = cs_query_parse(q, fields, &note);
    assert_non_null(n);
    assert_int_equal(strlen(n->text[0]), cap);
    assert_null(note);
    cs_qnode_free(n);
    free(q);
}

static void test_null_note_pointer(void **state)
{
    (void)state;
    cs_qnode *n = cs_query_parse("\"a b OR", fields, NULL);
    assert_non_null(n);
    assert_int_equal(n->kind, CS_Q_PHRASE);
    cs_qnode_free(n);
    cs_qnode_free(NULL);
    char *d = cs_qnode_describe(NULL);
    assert_string_equal(d, "NULL");
    free(d);
}

/* Random queries from a small alphabet of tricky pieces: must never crash
 * or leak, and whatever comes back must describe. */
static void test_fuzz(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "a", "b", "\"", "(", ")", "-", "*", ":", "OR", "NOT", "AND",
        "title", "ă", " ", " ", "“", "ab", "\xC2\xA0",
    };
    size_t np = sizeof pieces / sizeof pieces[0];
    unsigned seed = 12345;
    char q[256];
    size_t trees = 0, notes = 0;
    for (int iter = 0; iter < 10000; iter++) {
        size_t len = 0;
        seed = seed * 1103515245u + 12345u;
        int count = (int)((seed >> 16) % 24);
        for (int k = 0; k < count; k++) {
            seed = seed * 1103515245u + 12345u;
            const char *p = pieces[(seed >> 16) % np];
            size_t pl = strlen(p);
            if (len + pl >= sizeof q) break;
            memcpy(q + len, p, pl);
            len += pl;
        }
        q[len] = '\0';
        char *note = NULL;
        cs_qnode *n = cs_query_parse(q, fields, &note);
        char *d = cs_qnode_describe(n);
        assert_non_null(d);
        if (n) {
            trees++;
            assert_true(n->kind <= CS_Q_NOT);
        }
        if (note) notes++;
        free(d);
        free(note);
        cs_qnode_free(n);
    }
    /* The alphabet produces both readable and odd queries. */
    assert_true(trees > 1000);
    assert_true(notes > 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words_implicit_and),
        cmocka_unit_test(test_brief_example),
        cmocka_unit_test(test_vietnamese),
        cmocka_unit_test(test_phrase_node),
        cmocka_unit_test(test_or_precedence),
        cmocka_unit_test(test_not),
        cmocka_unit_test(test_groups_flatten),
        cmocka_unit_test(test_operators_case),
        cmocka_unit_test(test_hyphen_and_punct_words),
        cmocka_unit_test(test_prefix),
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_field_malformed),
        cmocka_unit_test(test_malformed_quotes),
        cmocka_unit_test(test_malformed_operators),
        cmocka_unit_test(test_malformed_parens),
        cmocka_unit_test(test_several_notes),
        cmocka_unit_test(test_empty_and_space),
        cmocka_unit_test(test_unicode_spaces),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_huge_query),
        cmocka_unit_test(test_null_note_pointer),
        cmocka_unit_test(test_fuzz),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
