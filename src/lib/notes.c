/* notes.c -- the notes a search adds to its results, in English and in Vietnamese. */
#include "notes.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

/* One row per cs_note_id. No text may hold "; ", which joins the parts of a
 * note, and a format holds only %s and %zu. `hint`: its %s argument is
 * itself a note (a CS_NOTE_HINT_*), translated with it. */
static const struct {
    const char *en, *vi;
    int hint;
} notes[CS_NOTE_COUNT] = {
    [CS_NOTE_UNBALANCED_QUOTE] = {"unbalanced quote: phrase read to the end of the query",
                                  "thiếu dấu ngoặc kép đóng: cụm từ được đọc đến hết câu tìm kiếm"},
    [CS_NOTE_EMPTY_PHRASE] = {"empty phrase \"\" ignored", "đã bỏ qua cụm từ rỗng \"\""},
    [CS_NOTE_DANGLING_OR] = {"OR without a term on both sides ignored",
                             "đã bỏ qua OR vì thiếu từ ở trước hoặc sau"},
    [CS_NOTE_DANGLING_AND] = {"AND without a term on both sides ignored",
                              "đã bỏ qua AND vì thiếu từ ở trước hoặc sau"},
    [CS_NOTE_DANGLING_NOT] = {"NOT with nothing after it ignored",
                              "đã bỏ qua NOT không có gì theo sau"},
    [CS_NOTE_LONE_MINUS] = {"lone '-' ignored", "đã bỏ qua dấu '-' đứng riêng"},
    [CS_NOTE_DOUBLE_NOT] = {"repeated NOT reduced (double negation cancels out)",
                            "đã rút gọn NOT lặp lại (hai lần phủ định triệt tiêu nhau)"},
    [CS_NOTE_UNMATCHED_RPAREN] = {"unmatched ')' ignored",
                                  "đã bỏ qua dấu ')' không có '(' tương ứng"},
    [CS_NOTE_MISSING_RPAREN] = {"missing ')' assumed at the end",
                                "thiếu dấu ')': coi như có ở cuối"},
    [CS_NOTE_EMPTY_GROUP] = {"empty parentheses ignored", "đã bỏ qua cặp ngoặc rỗng"},
    [CS_NOTE_SHORT_PREFIX] = {"'*' needs at least 2 characters before it: read as a plain word",
                              "'*' cần ít nhất 2 ký tự đứng trước: tìm như từ thông thường"},
    [CS_NOTE_TOO_DEEP] = {"parentheses nested more than 32 deep ignored",
                          "đã bỏ qua các ngoặc lồng nhau quá 32 lớp"},
    [CS_NOTE_TOO_MANY_WORDS] = {"query too long: words after the first 256 dropped",
                                "câu tìm kiếm quá dài: đã bỏ các từ sau 256 từ đầu tiên"},
    [CS_NOTE_FIELD_NO_TARGET] = {"field name followed by nothing ignored",
                                 "đã bỏ qua tên trường không có gì theo sau"},
    [CS_NOTE_UNKNOWN_FIELD] = {CS_NOTE_UNKNOWN_FIELD_EN,
                               "không có trường '%s:': tìm như từ thông thường"},
    [CS_NOTE_NO_WORDS] = {"the query has no words to search for",
                          "câu tìm kiếm không có từ nào để tìm"},
    [CS_NOTE_UNREADABLE] = {CS_NOTE_UNREADABLE_EN,
                            "%zu bài trong số các bài đang hiển thị không đọc được từ chỉ mục "
                            "(văn bản đã lưu bị hỏng): hãy %s để sửa",
                            1},
    [CS_NOTE_HINT_REBUILD] = {"rebuild the index (corpsearch index --rebuild)",
                              "xây dựng lại chỉ mục (corpsearch index --rebuild)"},
    [CS_NOTE_HINT_REINDEX] = {"index the articles again into a new folder (a bare Xapian "
                              "database cannot be rebuilt in place)",
                              "đánh chỉ mục lại các bài vào một thư mục mới (cơ sở dữ liệu "
                              "Xapian trần không thể xây dựng lại tại chỗ)"},
};

const char *cs_note_text(cs_note_id id)
{
    return (unsigned)id < CS_NOTE_COUNT ? notes[id].en : NULL;
}

const char *cs_note_text_vi(cs_note_id id)
{
    return (unsigned)id < CS_NOTE_COUNT ? notes[id].vi : NULL;
}

#define MAX_ARGS 2

/* A format argument found in a part: text[0..len). */
typedef struct arg {
    const char *text;
    size_t len;
} arg;

/* Does text[0..len) read as format `fmt` (only %s and %zu)? Fills args in
 * order and returns how many, or -1 when it does not. A %s takes the
 * shortest text before the format's next literal (the formats' arguments
 * never hold it); %zu takes digits. */
static int match_format(const char *fmt, const char *text, size_t len, arg *args)
{
    int n = 0;
    size_t i = 0;
    while (*fmt) {
        if (fmt[0] != '%') {
            if (i == len || text[i] != *fmt)
                return -1;
            fmt++, i++;
            continue;
        }
        int digits = strncmp(fmt, "%zu", 3) == 0;
        fmt += digits ? 3 : 2;
        size_t lit = strcspn(fmt, "%"), end = i;
        if (n == MAX_ARGS)
            return -1;
        if (digits) {
            while (end < len && text[end] >= '0' && text[end] <= '9')
                end++;
        } else if (lit == 0) {
            end = len;
        } else {
            while (end + lit <= len && strncmp(text + end, fmt, lit) != 0)
                end++;
            if (end + lit > len)
                return -1;
        }
        if (end == i)
            return -1;
        args[n++] = (arg){text + i, end - i};
        i = end;
    }
    return i == len ? n : -1;
}

static void put_part(cs_buf *b, const char *part, size_t len);

/* Writes `fmt` (Vietnamese) with args in place of its specifiers; with
 * `hint`, a %s argument is itself translated. */
static void put_format(cs_buf *b, const char *fmt, const arg *args, int hint)
{
    int k = 0;
    for (const char *p = fmt; *p;) {
        if (*p != '%') {
            size_t lit = strcspn(p, "%");
            cs_buf_append(b, p, lit);
            p += lit;
            continue;
        }
        int digits = strncmp(p, "%zu", 3) == 0;
        if (hint && !digits)
            put_part(b, args[k].text, args[k].len);
        else
            cs_buf_append(b, args[k].text, args[k].len);
        k++;
        p += digits ? 3 : 2;
    }
}

/* Writes one part of a note in Vietnamese when it is a known note, else
 * as it is. */
static void put_part(cs_buf *b, const char *part, size_t len)
{
    for (int id = 0; id < CS_NOTE_COUNT; id++) {
        arg args[MAX_ARGS];
        const char *en = notes[id].en;
        if (!strchr(en, '%')) {
            if (strlen(en) == len && memcmp(en, part, len) == 0) {
                cs_buf_puts(b, notes[id].vi);
                return;
            }
        } else if (match_format(en, part, len, args) >= 0) {
            put_format(b, notes[id].vi, args, notes[id].hint);
            return;
        }
    }
    cs_buf_append(b, part, len);
}

char *cs_note_translate(const char *note, const char *lang)
{
    if (!note)
        return NULL;
    if (!lang || strcmp(lang, "vi") != 0)
        return strdup(note);
    cs_buf b = {0};
    for (const char *p = note;;) {
        const char *sep = strstr(p, "; ");
        size_t len = sep ? (size_t)(sep - p) : strlen(p);
        put_part(&b, p, len);
        if (!sep)
            break;
        cs_buf_puts(&b, "; ");
        p = sep + 2;
    }
    if (b.oom) {
        cs_buf_free(&b);
        return NULL;
    }
    return cs_buf_release(&b);
}
