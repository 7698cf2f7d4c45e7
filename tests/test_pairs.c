/* test_pairs.c -- unit tests for phrase pairs: the list, the pair terms an
 * article is given, and the phrase queries that look for them; and, with the
 * same document harness, the synonym terms (synonyms.h) an article is given. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docformat.h"
#include "indexer.h"
#include "pairwords.h"
#include "query_builder.h"
#include "query_parser.h"
#include "searcher.h"
#include "strbuf.h"
#include "synonyms.h"
#include "xapian_c.h"

/* ---- the list ------------------------------------------------------------------ */

static void list_skips_comments_blank_lines_and_line_ends(void **state)
{
    (void)state;
    const char list[] = "# a comment\n\nnha\r\n  bao \n#moi\nthe";
    cs_pairwords *p = cs_pairwords_new(list, sizeof list - 1);
    assert_non_null(p);
    assert_int_equal(cs_pairwords_count(p), 3);
    assert_true(cs_pairwords_has(p, "nha", 3));
    assert_true(cs_pairwords_has(p, "bao", 3));
    assert_true(cs_pairwords_has(p, "the", 3));
    assert_false(cs_pairwords_has(p, "moi", 3));    /* commented out */
    assert_false(cs_pairwords_has(p, "nh", 2));
    assert_false(cs_pairwords_has(p, "# a comment", 11));
    cs_pairwords_free(p);
}

static void list_without_words_is_refused(void **state)
{
    (void)state;
    const char list[] = "# only a comment\n\n  \n";
    errno = 0;
    assert_null(cs_pairwords_new(list, sizeof list - 1));
    assert_int_equal(errno, EINVAL);
    assert_null(cs_pairwords_new("", 0));
    assert_int_equal(errno, EINVAL);
}

static void default_list_is_the_data_file_without_comments(void **state)
{
    (void)state;
    size_t len = 0;
    char *list = cs_pairwords_default_list(&len);
    assert_non_null(list);
    assert_int_equal(strlen(list), len);
    assert_null(strchr(list, '#'));
    assert_int_equal(list[len - 1], '\n');
    cs_pairwords *p = cs_pairwords_new(list, len);
    assert_non_null(p);
    /* The commonest syllables and English words; each word once. */
    assert_true(cs_pairwords_has(p, "cua", 3));
    assert_true(cs_pairwords_has(p, "nha", 3));
    assert_true(cs_pairwords_has(p, "of", 2));
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += list[i] == '\n';
    assert_int_equal(cs_pairwords_count(p), lines);
    cs_pairwords_free(p);
    free(list);
}

static void pair_term_is_prefix_a_space_b_or_nothing(void **state)
{
    (void)state;
    char buf[64];
    assert_int_equal(cs_pair_term("nha", 3, "bao", 3, buf, sizeof buf), 9);
    assert_string_equal(buf, CS_PREFIX_PAIR "nha bao");
    assert_int_equal(cs_pair_term("nha", 3, "bao", 3, buf, 9), 0);   /* no room for NUL */
    assert_int_equal(cs_pair_term("nha", 3, "bao", 3, buf, 10), 9);
    char big[300];
    memset(big, 'a', sizeof big);
    char tbuf[600];
    /* Longer than Xapian takes: no term. */
    assert_int_equal(cs_pair_term(big, 150, big, 150, tbuf, sizeof tbuf), 0);
}

/* ---- the terms of an article ------------------------------------------------------ */

static cs_pairwords *pairs;

static int setup_pairs(void **state)
{
    (void)state;
    static const char list[] = "nha\nbao\nmoi\ncua\nthe\nof\n";
    pairs = cs_pairwords_new(list, sizeof list - 1);
    return pairs ? 0 : -1;
}

static int teardown_pairs(void **state)
{
    (void)state;
    cs_pairwords_free(pairs);
    return 0;
}

typedef struct wdfs {
    cs_buf terms;   /* "term=wdf;" ... */
} wdfs;

static int collect(const char *t, size_t len, uint32_t wdf, void *ud)
{
    wdfs *w = ud;
    char n[16];
    cs_buf_append(&w->terms, t, len);
    snprintf(n, sizeof n, "=%u;", (unsigned)wdf);
    cs_buf_puts(&w->terms, n);
    return 0;
}

/* The document the builder makes for an article (id, title, body),
 * given the pairs of the test list or not. Free with xc_document_free. */
static xc_document *build_doc(const char *id, const char *title, const char *body,
                              int with_pairs)
{
    const char *why = NULL;
    cs_docbuilder *b = cs_docbuilder_new(&why);
    assert_non_null(b);
    cs_docbuilder_set_pairs(b, with_pairs ? pairs : NULL);
    cs_article a = {.id = strdup(id), .title = strdup(title), .body = strdup(body),
                    .body_len = strlen(body), .lang = strdup("vi")};
    char err[256];
    xc_document *doc = cs_build_document(b, &a, NULL, err, sizeof err);
    assert_non_null(doc);
    cs_docbuilder_free(b);
    free(a.id);
    free(a.title);
    free(a.body);
    free(a.lang);
    cs_strlist_free(a.provinces, a.nprovinces);
    cs_strlist_free(a.resolutions, a.nresolutions);
    cs_strlist_free(a.documents, a.ndocuments);
    return doc;
}

/* The XB terms (with their wdf) of the document built for title/body,
 * with or without the pair list: the marker "XB" first when with. malloc'd. */
static char *pair_terms(const char *title, const char *body, int with_pairs)
{
    xc_document *doc = build_doc("t1", title, body, with_pairs);
    wdfs w = {{0}};
    xc_error e;
    assert_true(xc_document_terms(doc, CS_PREFIX_PAIR, collect, &w, &e) >= 0);
    xc_document_free(doc);
    char *s = cs_buf_release(&w.terms);
    return s ? s : strdup("");
}

static void adjacent_list_words_give_boolean_pair_terms(void **state)
{
    (void)state;
    char *t = pair_terms("Tin tức", "Nhà báo mới của nhà báo.", 1);
    /* The marker, then the pairs: sorted, once each, wdf 0; "mới của" too:
     * both in the list. */
    assert_string_equal(t, "XB=0;XBbao moi=0;XBcua nha=0;XBmoi cua=0;XBnha bao=0;");
    free(t);
}

static void synonym_terms_with_their_marker(void **state)
{
    (void)state;
    /* The title ends with "TP HCM": decided when the title's stream ends,
     * not joined to the body's first word; in the body, "bị thu" (other
     * marks) is not "Bí thư". The title's occurrence counts 3. */
    xc_document *doc = build_doc("s1", "Mở rộng TP HCM", "HCM và Bí thư Thành ủy TP HCM. "
                                 "Giấy phép bị thu hồi.", 0);
    wdfs w = {{0}};
    xc_error e;
    assert_true(xc_document_terms(doc, CS_PREFIX_SYNONYM, collect, &w, &e) >= 0);
    xc_document_free(doc);
    char *t = cs_buf_release(&w.terms);
    char marker[CS_SYN_MARKER_BYTES], want[256];
    cs_synonyms_marker(cs_synonyms_default(), marker);
    snprintf(want, sizeof want, "%s=0;XYbi thu=1;XYtp hcm=4;", marker);
    assert_string_equal(t, want);
    free(t);
}

static void no_pairs_without_a_list(void **state)
{
    (void)state;
    char *t = pair_terms("Nhà báo mới", "Nhà báo mới của nhà báo.", 0);
    assert_string_equal(t, "");
    free(t);
}

static void a_word_off_the_list_or_punctuation_breaks_no_adjacency(void **state)
{
    (void)state;
    /* "xyz" takes a position: nha and bao are not adjacent. Punctuation
     * takes none (the tokenizer skips it), so "báo, mới" is a pair, as a
     * phrase would match it. */
    char *t = pair_terms("Tin", "nhà xyz báo, mới", 1);
    assert_string_equal(t, "XB=0;XBbao moi=0;");
    free(t);
}

static void no_pair_from_the_title_into_the_body(void **state)
{
    (void)state;
    /* The title ends with "nhà", the body starts with "báo": the body's
     * positions start past a gap, and a phrase cannot match across it. */
    char *t = pair_terms("Tin về nhà", "báo chí", 1);
    assert_string_equal(t, "XB=0;");
    free(t);
    t = pair_terms("Nhà báo", "chí", 1);   /* inside the title: a pair */
    assert_string_equal(t, "XB=0;XBnha bao=0;");
    free(t);
}

/* ---- the queries ------------------------------------------------------------------- */

/* Builds the query for `text` (with or without pairs, synonym mode `mode`)
 * and returns its description (malloc'd); the words to highlight go in *hl
 * (the caller frees them with cs_match_set_free). */
static char *build_for(const char *text, const cs_pairwords *with, int mode, cs_match_set *hl)
{
    const char *why = NULL;
    cs_tokenizer *tk = cs_tokenizer_new(&why);
    assert_non_null(tk);
    char *note = NULL;
    cs_qnode *tree = cs_query_parse(text, cs_query_fields, &note);
    assert_non_null(tree);
    xc_query *rerank = NULL;
    xc_error e;
    xc_stemmer *stem = xc_stemmer_new("english", &e);
    assert_non_null(stem);
    xc_query *q = cs_build_query(tree, tk, stem, with, mode, hl, NULL, &rerank, NULL, &e);
    assert_non_null(q);
    char *d = xc_query_describe(q);
    assert_non_null(d);
    xc_query_free(q);
    xc_query_free(rerank);
    cs_qnode_free(tree);
    free(note);
    xc_stemmer_free(stem);
    cs_tokenizer_free(tk);
    return d;
}

/* The description of the query built for `text` (with or without pairs),
 * synonyms off. malloc'd. */
static char *built(const char *text, const cs_pairwords *with)
{
    cs_match_set hl = {0};
    char *d = build_for(text, with, 0, &hl);
    cs_match_set_free(&hl);
    return d;
}

static void phrase_is_filtered_by_its_pairs(void **state)
{
    (void)state;
    char *d = built("\"nhà báo mới\"", pairs);
    assert_non_null(strstr(d, "FILTER XBnha bao"));
    assert_non_null(strstr(d, "FILTER XBbao moi"));
    assert_non_null(strstr(d, "nha PHRASE 3 bao PHRASE 3 moi"));
    free(d);
    d = built("\"nhà báo mới\"", NULL);   /* an index without pairs */
    assert_null(strstr(d, "XB"));
    assert_non_null(strstr(d, "nha PHRASE 3 bao PHRASE 3 moi"));
    free(d);
}

static void only_pairs_of_list_words_are_looked_for(void **state)
{
    (void)state;
    /* "nha xyz": xyz is not in the list; "xyz bao" neither. */
    char *d = built("\"nhà xyz báo\"", pairs);
    assert_null(strstr(d, "XB"));
    free(d);
    d = built("\"nhà báo xyz\"", pairs);
    assert_non_null(strstr(d, "XBnha bao"));
    assert_null(strstr(d, "XBbao xyz"));
    free(d);
    /* Words are not phrases: no pair terms. */
    d = built("nhà báo", pairs);
    assert_null(strstr(d, "XB"));
    free(d);
}

/* 1 when the query built for `text` in synonym mode `mode` highlights the
 * phrase a b. */
static int marks_phrase(const char *text, int mode, const char *a, const char *b)
{
    cs_match_set hl = {0};
    free(build_for(text, NULL, mode, &hl));
    int found = 0;
    for (size_t i = 0; i < hl.nphrases; i++)
        found |= hl.phrases[i].n == 2 && strcmp(hl.phrases[i].words[0], a) == 0 &&
                 strcmp(hl.phrases[i].words[1], b) == 0;
    cs_match_set_free(&hl);
    return found;
}

/* An English alternative's synonym term also stands for its plural
 * (synterms.c), so with terms the plural is highlighted as well; a phrase
 * does not find the plural, so with phrases it is not. */
static void synonym_plural_is_highlighted_with_terms_only(void **state)
{
    (void)state;
    assert_int_equal(marks_phrase("khu công nghiệp", CS_SYN_TERMS, "industrial", "park"), 1);
    assert_int_equal(marks_phrase("khu công nghiệp", CS_SYN_TERMS, "industrial", "parks"), 1);
    assert_int_equal(marks_phrase("khu công nghiệp", CS_SYN_PHRASES, "industrial", "park"), 1);
    assert_int_equal(marks_phrase("khu công nghiệp", CS_SYN_PHRASES, "industrial", "parks"), 0);
    /* The other English alternative's plural, from the English entry. */
    assert_int_equal(marks_phrase("industrial park", CS_SYN_TERMS, "industrial", "zones"), 1);
}

/* ---- the searcher: pairs only while every article has them ---------------------- */

static void add_article(xc_wdb *db, const char *id, const char *body, int with_pairs)
{
    xc_document *doc = build_doc(id, "Tin", body, with_pairs);
    char term[CS_MAX_TERM_BYTES + 8];
    int n = cs_idterm(id, term, sizeof term);
    assert_true(n > 0);
    xc_docid did;
    xc_error e;
    assert_int_equal(xc_wdb_replace_by_term(db, term, (size_t)n, doc, &did, &e), 0);
    assert_int_equal(xc_wdb_commit(db, &e), 0);
    xc_document_free(doc);
}

/* Searches `q` in the index at path: the ids found, space-separated, and
 * in *filtered whether the query that ran looked for pair terms. */
static char *search_ids(const char *path, const char *q, int *filtered)
{
    char err[512];
    cs_searcher *s = cs_searcher_open(path, err, sizeof err);
    assert_non_null(s);
    cs_search_req req = {.query = q, .explain = 1, .no_collapse = 1};
    cs_results *r = NULL;
    assert_int_equal(cs_search(s, &req, &r, err, sizeof err), 0);
    *filtered = r->parsed && strstr(r->parsed, "FILTER XB") != NULL;
    cs_buf ids = {0};
    for (size_t i = 0; i < r->nhits; i++) {
        cs_buf_puts(&ids, r->hits[i].id);
        cs_buf_putc(&ids, ' ');
    }
    cs_results_free(r);
    cs_searcher_close(s);
    char *out = cs_buf_release(&ids);
    return out ? out : strdup("");
}

static void articles_without_pairs_turn_the_filter_off(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_pairs.XXXXXX";
    assert_non_null(mkdtemp(dir));
    xc_error e;
    xc_wdb *db = xc_wdb_open(dir, XC_DB_CREATE_OR_OPEN, &e);
    assert_non_null(db);
    static const char list[] = "nha\nbao\nmoi\ncua\nthe\nof\n";
    assert_int_equal(xc_wdb_set_metadata(db, CS_PAIRWORDS_KEY, list, sizeof list - 1, &e), 0);
    add_article(db, "a1", "Một nhà báo mới đến.", 1);
    add_article(db, "a2", "Nhà báo cũ, và mới.", 1);
    int filtered = 0;
    char *ids = search_ids(dir, "\"nhà báo mới\"", &filtered);
    assert_string_equal(ids, "a1 ");
    assert_true(filtered);
    free(ids);
    /* An article written without its pairs (an older corpsearch, another
     * Xapian writer): the filter would hide it, so it is not used. */
    add_article(db, "a3", "Hai nhà báo mới.", 0);
    ids = search_ids(dir, "\"nhà báo mới\"", &filtered);
    assert_false(filtered);
    assert_non_null(strstr(ids, "a1 "));
    assert_non_null(strstr(ids, "a3 "));
    free(ids);
    xc_wdb_close(db);
    char cmd[64];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(list_skips_comments_blank_lines_and_line_ends),
        cmocka_unit_test(list_without_words_is_refused),
        cmocka_unit_test(default_list_is_the_data_file_without_comments),
        cmocka_unit_test(pair_term_is_prefix_a_space_b_or_nothing),
        cmocka_unit_test(adjacent_list_words_give_boolean_pair_terms),
        cmocka_unit_test(no_pairs_without_a_list),
        cmocka_unit_test(synonym_terms_with_their_marker),
        cmocka_unit_test(a_word_off_the_list_or_punctuation_breaks_no_adjacency),
        cmocka_unit_test(no_pair_from_the_title_into_the_body),
        cmocka_unit_test(phrase_is_filtered_by_its_pairs),
        cmocka_unit_test(only_pairs_of_list_words_are_looked_for),
        cmocka_unit_test(synonym_plural_is_highlighted_with_terms_only),
        cmocka_unit_test(articles_without_pairs_turn_the_filter_off),
    };
    return cmocka_run_group_tests_name("phrase pairs", tests, setup_pairs, teardown_pairs);
}
