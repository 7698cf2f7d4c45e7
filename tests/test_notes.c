/* test_notes.c -- a search's notes in English and in Vietnamese (notes.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notes.h"
#include "query_parser.h"

static const char *const fields[] = {"title", NULL};

/* The note the parser gives for q (malloc'd). */
static char *parse_note(const char *q)
{
    char *note = NULL;
    cs_qnode_free(cs_query_parse(q, fields, &note));
    assert_non_null(note);
    return note;
}

/* The printf specifiers of fmt, in order ("s", "zu"), joined by ','. */
static void specifiers(const char *fmt, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (const char *p = strchr(fmt, '%'); p; p = strchr(p + 1, '%')) {
        assert_true(strncmp(p, "%zu", 3) == 0 || strncmp(p, "%s", 2) == 0);
        n += (size_t)snprintf(out + n, cap - n, "%s,", strncmp(p, "%zu", 3) == 0 ? "zu" : "s");
    }
}

static void every_note_has_both_languages(void **state)
{
    (void)state;
    for (int id = 0; id < CS_NOTE_COUNT; id++) {
        const char *en = cs_note_text((cs_note_id)id), *vi = cs_note_text_vi((cs_note_id)id);
        assert_non_null(en);
        assert_non_null(vi);
        assert_string_not_equal(en, vi);
        /* "; " joins the parts of a note: no part may hold it. */
        assert_null(strstr(en, "; "));
        assert_null(strstr(vi, "; "));
        char a[32], b[32];
        specifiers(en, a, sizeof a);
        specifiers(vi, b, sizeof b);
        assert_string_equal(a, b);
    }
    assert_null(cs_note_text(CS_NOTE_COUNT));
    assert_null(cs_note_text_vi(CS_NOTE_COUNT));
}

static void parser_notes_come_from_the_table(void **state)
{
    (void)state;
    char *note = parse_note("\"bac giang");
    assert_string_equal(note, cs_note_text(CS_NOTE_UNBALANCED_QUOTE));
    free(note);
    /* Two notes, in bit order, joined. */
    note = parse_note("bac ) giang OR");
    char want[256];
    snprintf(want, sizeof want, "%s; %s", cs_note_text(CS_NOTE_DANGLING_OR),
             cs_note_text(CS_NOTE_UNMATCHED_RPAREN));
    assert_string_equal(note, want);
    free(note);
}

static void vietnamese_page_reads_each_part_in_vietnamese(void **state)
{
    (void)state;
    char *note = parse_note("bac ) giang OR");
    char *vi = cs_note_translate(note, "vi");
    assert_string_equal(vi, "đã bỏ qua OR vì thiếu từ ở trước hoặc sau; "
                            "đã bỏ qua dấu ')' không có '(' tương ứng");
    free(vi);
    /* English is the note itself. */
    vi = cs_note_translate(note, "en");
    assert_string_equal(vi, note);
    free(vi);
    free(note);
}

static void format_arguments_are_carried_over(void **state)
{
    (void)state;
    char *note = parse_note("tinh:bac giang");
    assert_string_equal(note, "unknown field 'tinh:' read as text");
    char *vi = cs_note_translate(note, "vi");
    assert_string_equal(vi, "không có trường 'tinh:': tìm như từ thông thường");
    free(vi);
    free(note);
    /* The damaged-articles note and the hint inside it. */
    char buf[512];
    snprintf(buf, sizeof buf, "%s; ", cs_note_text(CS_NOTE_NO_WORDS));
    size_t n = strlen(buf);
    snprintf(buf + n, sizeof buf - n, CS_NOTE_UNREADABLE_EN, (size_t)3,
             cs_note_text(CS_NOTE_HINT_REBUILD));
    vi = cs_note_translate(buf, "vi");
    assert_string_equal(vi, "câu tìm kiếm không có từ nào để tìm; 3 bài trong số các bài đang "
                            "hiển thị không đọc được từ chỉ mục (văn bản đã lưu bị hỏng): hãy "
                            "xây dựng lại chỉ mục (corpsearch index --rebuild) để sửa");
    free(vi);
}

static void unknown_parts_stay_as_they_are(void **state)
{
    (void)state;
    const char *odd[] = {
        "",
        "something new",
        "unknown field 'tinh:' read as text, and more",   /* not the whole part */
        "unknown field ':' read as text",                   /* an empty argument */
        ("x of the articles shown could not be read from the index (their stored text is "
         "damaged): rebuild to repair them"),                /* not a number */
    };
    for (size_t i = 0; i < sizeof odd / sizeof *odd; i++) {
        char *vi = cs_note_translate(odd[i], "vi");
        assert_non_null(vi);
        assert_string_equal(vi, odd[i]);
        free(vi);
    }
    char *vi = cs_note_translate("something new; lone '-' ignored", "vi");
    assert_string_equal(vi, "something new; đã bỏ qua dấu '-' đứng riêng");
    free(vi);
    assert_null(cs_note_translate(NULL, "vi"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_note_has_both_languages),
        cmocka_unit_test(parser_notes_come_from_the_table),
        cmocka_unit_test(vietnamese_page_reads_each_part_in_vietnamese),
        cmocka_unit_test(format_arguments_are_carried_over),
        cmocka_unit_test(unknown_parts_stay_as_they_are),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
