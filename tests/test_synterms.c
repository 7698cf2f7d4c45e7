/* test_synterms.c -- unit tests for the synonym terms: the entries an article's
 * text holds (synterms.h), their terms, and the dictionary's fingerprint
 * (synonyms.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "synonyms.h"
#include "synterms.h"
#include "tokenizer.h"

static const char *const DICT =
    "Ho Chi Minh City | HCMC | TP HCM | Thành phố Hồ Chí Minh\n"
    "Party secretary | Bí thư\n"
    "industrial park | khu công nghiệp\n"
    "city | thành phố\n"
    "storm | bão\n";

static cs_synonyms *parse_ok(const char *text)
{
    char err[256] = "unset";
    cs_synonyms *syn = cs_synonyms_parse(text, strlen(text), err, sizeof err);
    if (!syn)
        fail_msg("parse failed: %s", err);
    return syn;
}

/* ---- the scanner, fed by the tokenizer ----------------------------------- */

#define MAX_FOUND 32

typedef struct found {
    char term[MAX_FOUND][256];
    unsigned wdf[MAX_FOUND];
    size_t n;
    int stop_after;   /* return 7 from the callback at this count (0: never) */
} found;

static int on_entry(const cs_syn_entry *e, unsigned wdf, void *ud)
{
    found *f = ud;
    assert_true(f->n < MAX_FOUND);
    assert_true(cs_syn_entry_term(e, f->term[f->n], sizeof f->term[f->n]) > 0);
    f->wdf[f->n++] = wdf;
    return f->stop_after && (int)f->n == f->stop_after ? 7 : 0;
}

typedef struct feed {
    cs_synscan *scan;
    found *f;
    unsigned wdf;
} feed;

static int on_token(const cs_token *t, void *ud)
{
    feed *d = ud;
    assert_int_equal(cs_synscan_token(d->scan, t, 1, d->wdf, on_entry, d->f), 0);
    return 0;
}

/* The terms found in `text` (one stream, flushed at its end). */
static void scan_text(const cs_synonyms *syn, const char *text, found *f)
{
    memset(f, 0, sizeof *f);
    cs_synscan scan;
    cs_synscan_init(&scan, syn);
    cs_tokenizer *tk = cs_tokenizer_new(NULL);
    assert_non_null(tk);
    feed d = {&scan, f, 1};
    assert_true(cs_tokenize(tk, text, strlen(text), 0, on_token, &d) >= 0);
    assert_int_equal(cs_synscan_flush(&scan, on_entry, f), 0);
    cs_tokenizer_free(tk);
}

static int has(const found *f, const char *term)
{
    int n = 0;
    for (size_t i = 0; i < f->n; i++)
        n += strcmp(f->term[i], term) == 0;
    return n;
}

static void test_entries_in_text(void **state)
{
    (void)state;
    cs_synonyms *syn = parse_ok(DICT);
    found f;
    scan_text(syn, "Bí thư Thành ủy TP HCM làm việc tại thành phố Hồ Chí Minh.", &f);
    assert_int_equal(has(&f, "XYbi thu"), 1);
    assert_int_equal(has(&f, "XYtp hcm"), 1);
    /* Overlapping entries are both there: the longer one and "thành phố"
     * inside it, as phrase queries of either would find them. */
    assert_int_equal(has(&f, "XYthanh pho ho chi minh"), 1);
    assert_int_equal(has(&f, "XYthanh pho"), 1);
    assert_int_equal(f.n, 4);
    cs_synonyms_free(syn);
}

static void test_marks_must_agree(void **state)
{
    (void)state;
    cs_synonyms *syn = parse_ok(DICT);
    found f;
    /* "bị thu hồi" (revoked) folds to the entry's "bi thu", but its marks
     * say it is another word. Written without marks, it may be either. */
    scan_text(syn, "Giấy phép bị thu hồi.", &f);
    assert_int_equal(f.n, 0);
    scan_text(syn, "bi thu tinh uy", &f);
    assert_int_equal(has(&f, "XYbi thu"), 1);
    cs_synonyms_free(syn);
}

static void test_plural_and_one_word_entries(void **state)
{
    (void)state;
    cs_synonyms *syn = parse_ok(DICT);
    found f;
    /* The plural is the singular entry's term; one-word entries (city,
     * bão) are terms of their own already and get none. */
    scan_text(syn, "Two industrial parks in the city; a storm (bão) hit HCMC.", &f);
    assert_int_equal(has(&f, "XYindustrial park"), 1);
    assert_int_equal(f.n, 1);
    cs_synonyms_free(syn);
}

static void test_only_alternatives_are_indexed(void **state)
{
    (void)state;
    /* "hồ chí minh" is in no group: never searched as an alternative. */
    cs_synonyms *syn = parse_ok("TP HCM | HCMC\n");
    found f;
    scan_text(syn, "Hồ Chí Minh, TP HCM", &f);
    assert_int_equal(f.n, 1);
    assert_int_equal(has(&f, "XYtp hcm"), 1);
    assert_int_equal(cs_synonyms_max_words(syn), 2);
    assert_true(cs_synonyms_starts(syn, "tp", 2));
    assert_false(cs_synonyms_starts(syn, "hcm", 3));
    assert_false(cs_synonyms_starts(syn, "hcmc", 4));   /* one word */
    cs_synonyms_free(syn);
}

static void test_two_spellings_one_term(void **state)
{
    (void)state;
    /* Both entries fold to "thu do ha noi", and both match the marked text
     * (an entry without marks matches any): one term, given once. */
    cs_synonyms *syn = parse_ok("Hanoi capital | Thủ đô Hà Nội\nthe capital | thu do Ha Noi\n");
    found f;
    scan_text(syn, "Đến thủ đô Hà Nội.", &f);
    assert_int_equal(f.n, 1);
    assert_int_equal(has(&f, "XYthu do ha noi"), 1);
    cs_synonyms_free(syn);
}

/* A token by hand, for positions the tokenizer would not give. */
static int push(cs_synscan *s, const char *w, unsigned pos, int positioned, unsigned wdf,
                found *f)
{
    cs_token t = {.exact = w, .exact_len = strlen(w), .folded = w, .folded_len = strlen(w),
                  .pos = pos};
    return cs_synscan_token(s, &t, positioned, wdf, on_entry, f);
}

static void test_positions_must_be_consecutive(void **state)
{
    (void)state;
    cs_synonyms *syn = parse_ok(DICT);
    found f = {0};
    cs_synscan s;
    cs_synscan_init(&s, syn);
    /* A gap, then a token without a position: neither is a phrase. */
    assert_int_equal(push(&s, "tp", 3, 1, 1, &f), 0);
    assert_int_equal(push(&s, "hcm", 5, 1, 1, &f), 0);
    assert_int_equal(push(&s, "tp", 6, 1, 1, &f), 0);
    assert_int_equal(push(&s, "hcm", 7, 0, 1, &f), 0);
    assert_int_equal(cs_synscan_flush(&s, on_entry, &f), 0);
    assert_int_equal(f.n, 0);
    /* Consecutive: found, with the wdf of its first word (a title's). */
    assert_int_equal(push(&s, "tp", 10, 1, 3, &f), 0);
    assert_int_equal(push(&s, "hcm", 11, 1, 1, &f), 0);
    /* Not decided yet: an entry starting at "tp" may have up to 5 words. */
    assert_int_equal(f.n, 0);
    assert_int_equal(cs_synscan_flush(&s, on_entry, &f), 0);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.wdf[0], 3);
    /* The flush emptied the scan: the next stream starts afresh. */
    assert_int_equal(push(&s, "hcm", 12, 1, 1, &f), 0);
    assert_int_equal(cs_synscan_flush(&s, on_entry, &f), 0);
    assert_int_equal(f.n, 1);
    cs_synonyms_free(syn);
}

static void test_long_runs_and_stops(void **state)
{
    (void)state;
    cs_synonyms *syn = parse_ok(DICT);
    found f = {0};
    cs_synscan s;
    cs_synscan_init(&s, syn);
    /* Many starts in a row ("thanh" starts two entries): the ring never
     * overflows, and every "thành phố" is found once. */
    unsigned pos = 0;
    for (int i = 0; i < 10; i++) {
        assert_int_equal(push(&s, "thanh", pos++, 1, 1, &f), 0);
        assert_int_equal(push(&s, "thanh", pos++, 1, 1, &f), 0);
        assert_int_equal(push(&s, "pho", pos++, 1, 1, &f), 0);
    }
    assert_int_equal(cs_synscan_flush(&s, on_entry, &f), 0);
    assert_int_equal(f.n, 10);
    /* A callback's non-zero value stops the scan and comes back. */
    memset(&f, 0, sizeof f);
    f.stop_after = 1;
    cs_synscan_init(&s, syn);
    assert_int_equal(push(&s, "tp", 0, 1, 1, &f), 0);
    assert_int_equal(push(&s, "hcm", 1, 1, 1, &f), 0);
    assert_int_equal(push(&s, "x", 2, 1, 1, &f), 0);
    assert_int_equal(push(&s, "y", 3, 1, 1, &f), 0);
    /* The fifth token decides "tp": the callback stops the scan. */
    assert_int_equal(push(&s, "z", 4, 1, 1, &f), 7);
    assert_int_equal(f.n, 1);
    /* Without a dictionary nothing is found. */
    memset(&f, 0, sizeof f);
    cs_synscan_init(&s, NULL);
    assert_int_equal(push(&s, "tp", 0, 1, 1, &f), 0);
    assert_int_equal(push(&s, "hcm", 1, 1, 1, &f), 0);
    assert_int_equal(cs_synscan_flush(&s, on_entry, &f), 0);
    assert_int_equal(f.n, 0);
    cs_synonyms_free(syn);
}

/* ---- terms and fingerprints ---------------------------------------------- */

static int count_entry(const cs_syn_entry *e, void *ud)
{
    assert_true(e->ntokens >= 2);
    (*(size_t *)ud)++;
    return 0;
}

static void test_entry_term(void **state)
{
    (void)state;
    cs_synonyms *syn = parse_ok(DICT);
    const char *folded[] = {"thanh", "pho", "ho", "chi", "minh"};
    const char *exact[] = {"thành", "phố", "hồ", "chí", "minh"};
    /* Every indexed entry starting at token 0, of any length: "thành phố"
     * and "thành phố Hồ Chí Minh"; with 4 tokens only the first. */
    size_t n = 0;
    assert_int_equal(cs_synonyms_each_at(syn, folded, exact, 5, count_entry, &n), 0);
    assert_int_equal(n, 2);
    n = 0;
    assert_int_equal(cs_synonyms_each_at(syn, folded, exact, 4, count_entry, &n), 0);
    assert_int_equal(n, 1);
    cs_syn_entry e = {.text = "x", .folded = folded, .exact = exact, .ntokens = 5};
    char buf[64];
    assert_int_equal(cs_syn_entry_term(&e, buf, sizeof buf), strlen("XYthanh pho ho chi minh"));
    assert_string_equal(buf, "XYthanh pho ho chi minh");
    assert_int_equal(cs_syn_entry_term(&e, buf, 10), 0);   /* does not fit */
    /* 240 bytes is the longest term (Xapian's limit is 245); 241 is none. */
    static char w1[60], w2[60];
    memset(w1, 'a', 59);
    memset(w2, 'b', 58);
    const char *edge[4] = {w1, w1, w1, w2};   /* 2 + 59 * 3 + 58 + 3 spaces */
    cs_syn_entry at = {.text = "x", .folded = edge, .exact = edge, .ntokens = 4};
    char room[512];
    assert_int_equal(cs_syn_entry_term(&at, room, sizeof room), 240);
    w2[58] = 'b';
    assert_int_equal(cs_syn_entry_term(&at, room, sizeof room), 0);
    /* Longer than a term may be: no term at all. */
    static char word[80];
    memset(word, 'a', sizeof word - 1);
    const char *longw[4] = {word, word, word, word};
    cs_syn_entry big = {.text = "x", .folded = longw, .exact = longw, .ntokens = 4};
    char wide[512];
    assert_int_equal(cs_syn_entry_term(&big, wide, sizeof wide), 0);
    cs_synonyms_free(syn);
}

static void test_fingerprint(void **state)
{
    (void)state;
    cs_synonyms *a = parse_ok(DICT);
    /* The same groups in another order, another layout: the same. */
    cs_synonyms *b = parse_ok("storm | bão\n# comment\ncity|thành phố\n"
                              "industrial park | khu công nghiệp\nParty secretary | Bí thư\n"
                              "Ho Chi Minh City | HCMC | TP HCM | Thành phố Hồ Chí Minh\n");
    /* One more multi-word entry, or other marks on one: another. */
    cs_synonyms *c = parse_ok("storm | bão\ncity|thành phố\nindustrial park | khu công nghiệp\n"
                              "Party secretary | Bí thư\n"
                              "Ho Chi Minh City | HCMC | TP HCM | Thành phố Hồ Chí Minh | "
                              "TP Hồ Chí Minh\n");
    cs_synonyms *d = parse_ok("storm | bão\ncity|thành phố\nindustrial park | khu công nghiệp\n"
                              "Party secretary | Bí thú\n"
                              "Ho Chi Minh City | HCMC | TP HCM | Thành phố Hồ Chí Minh\n");
    assert_true(cs_synonyms_fingerprint(a) == cs_synonyms_fingerprint(b));
    assert_true(cs_synonyms_fingerprint(a) != cs_synonyms_fingerprint(c));
    assert_true(cs_synonyms_fingerprint(a) != cs_synonyms_fingerprint(d));
    char m[CS_SYN_MARKER_BYTES], n[CS_SYN_MARKER_BYTES];
    assert_int_equal(cs_synonyms_marker(a, m), 19);
    assert_int_equal(strncmp(m, "XYV", 3), 0);
    assert_int_equal(strspn(m + 3, "0123456789abcdef"), 16);
    cs_synonyms_marker(b, n);
    assert_string_equal(m, n);
    cs_synonyms_marker(c, n);
    assert_string_not_equal(m, n);
    cs_synonyms_free(a);
    cs_synonyms_free(b);
    cs_synonyms_free(c);
    cs_synonyms_free(d);
}

static void test_default_dictionary(void **state)
{
    (void)state;
    const cs_synonyms *syn = cs_synonyms_default();
    assert_non_null(syn);
    found f;
    scan_text(syn, "Hội nghị tại Thành phố Hồ Chí Minh về khu công nghiệp.", &f);
    assert_int_equal(has(&f, "XYthanh pho ho chi minh"), 1);
    assert_int_equal(has(&f, "XYkhu cong nghiep"), 1);
    assert_true(cs_synonyms_max_words(syn) >= 5);
    assert_true(cs_synonyms_max_words(syn) <= CS_SYN_MAX_TOKENS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_entries_in_text),
        cmocka_unit_test(test_marks_must_agree),
        cmocka_unit_test(test_plural_and_one_word_entries),
        cmocka_unit_test(test_only_alternatives_are_indexed),
        cmocka_unit_test(test_two_spellings_one_term),
        cmocka_unit_test(test_positions_must_be_consecutive),
        cmocka_unit_test(test_long_runs_and_stops),
        cmocka_unit_test(test_entry_term),
        cmocka_unit_test(test_fingerprint),
        cmocka_unit_test(test_default_dictionary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
