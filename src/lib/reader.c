/* reader.c -- reading articles from .txt and .jsonl files and folders.
 *
 * Every problem with the input becomes one warning through r->on_warning and
 * a count in r->stats; nothing but the article callback stops a walk. Text is
 * cleaned with cs_text_clean() (text.c) before anything looks at it, so the
 * parsers below only see valid NFC UTF-8 with LF line ends. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "reader.h"
#include "text.h"

#define TITLE_MAX 500   /* bytes; longer first lines are cut for the title */
#define ID_MAX 200      /* bytes */

/* Lines some sites put above every article; they are neither the title nor
 * article text, so they are dropped from the top of .txt files. Compared
 * after trimming and collapsing whitespace. */
static const char *const boilerplate_lines[] = {
    "Vietnam.vn - Nền tảng quảng bá Việt Nam",
    "Độc lập - Tự do - Hạnh phúc",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
};

/* ---- small helpers ---------------------------------------------------- */

/* The per-article (per-line for JSONL) size limit in force. */
static size_t max_bytes(const cs_reader *r)
{
    return r->max_bytes ? r->max_bytes : CS_MAX_ARTICLE_BYTES;
}

/* Report a problem; `skipped` says whether the article/file was dropped (and
 * is then counted in stats.skipped). */
static void warnf(cs_reader *r, const char *where, int skipped,
                  const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void warnf(cs_reader *r, const char *where, int skipped,
                  const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    if (skipped)
        r->stats.skipped++;
    if (r->on_warning == NULL)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    r->on_warning(where, msg, skipped, r->ud);
}

/* Hand an article over; returns the callback's value (non-zero = stop). */
static int deliver(cs_reader *r, cs_article *a)
{
    r->stats.articles++;
    if (r->on_article == NULL) {
        cs_article_free(a);
        return 0;
    }
    return r->on_article(a, r->ud);
}

/* ASCII whitespace, without the locale dependence of isspace(). */
static int is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* malloc'd copy of s[0..n) with leading/trailing whitespace removed; NULL
 * when out of memory. */
static char *trim_dup(const char *s, size_t n)
{
    while (n > 0 && is_ws((unsigned char)s[0])) {
        s++;
        n--;
    }
    while (n > 0 && is_ws((unsigned char)s[n - 1]))
        n--;
    return strndup(s, n);
}

/* Copy s[0..n) to dst (room for cap+1 bytes) trimmed, with whitespace runs
 * collapsed to one space, cut to at most `cap` bytes at a UTF-8 character
 * boundary. Returns the length written; *cut is set when text was lost. */
static size_t collapse_into(char *dst, size_t cap, const char *s, size_t n,
                            int *cut)
{
    size_t o = 0, i;
    int space = 0;

    *cut = 0;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_ws(c)) {
            space = o > 0;
            continue;
        }
        if (o + (size_t)space + 1 > cap) {
            *cut = 1;
            break;
        }
        if (space)
            dst[o++] = ' ';
        space = 0;
        dst[o++] = (char)c;
    }
    /* Stopped before a continuation byte: the character being copied is
     * incomplete; drop its continuation bytes and its lead byte. */
    if (*cut && ((unsigned char)s[i] & 0xC0) == 0x80) {
        while (o > 0 && ((unsigned char)dst[o - 1] & 0xC0) == 0x80)
            o--;
        if (o > 0)
            o--;
    }
    while (o > 0 && dst[o - 1] == ' ')
        o--;
    dst[o] = '\0';
    return o;
}

/* malloc'd title from a line: collapsed and capped at TITLE_MAX bytes. */
static char *make_title(const char *s, size_t n, int *cut)
{
    size_t cap = n < TITLE_MAX ? n : TITLE_MAX;
    char *t = malloc(cap + 1);

    if (t != NULL)
        collapse_into(t, cap, s, n, cut);
    return t;
}

/* Write "YYYY-MM-DD" into out when s is YYYYMMDD or YYYY-MM-DD (optionally
 * followed by a time, as in ISO 8601) naming a real day. Returns 1 if so. */
static int normalize_date(const char *s, char out[11])
{
    static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30,
                                 31 };
    int y, m, d;
    size_t n;

    while (is_ws((unsigned char)*s))
        s++;
    n = strlen(s);
    while (n > 0 && is_ws((unsigned char)s[n - 1]))
        n--;
    for (int i = 0; i < 4; i++)
        if (n < 8 || !isdigit((unsigned char)s[i]))
            return 0;
    if (n == 8 && strspn(s, "0123456789") >= 8) {
        y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
            (s[3] - '0');
        m = (s[4] - '0') * 10 + (s[5] - '0');
        d = (s[6] - '0') * 10 + (s[7] - '0');
    } else if (n >= 10 && s[4] == '-' && s[7] == '-' &&
               isdigit((unsigned char)s[5]) && isdigit((unsigned char)s[6]) &&
               isdigit((unsigned char)s[8]) && isdigit((unsigned char)s[9]) &&
               (n == 10 || s[10] == 'T' || s[10] == ' ')) {
        y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
            (s[3] - '0');
        m = (s[5] - '0') * 10 + (s[6] - '0');
        d = (s[8] - '0') * 10 + (s[9] - '0');
    } else {
        return 0;
    }
    if (y < 1000 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 0;
    /* y has four digits here */
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = out[7] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
    return 1;
}

/* NULL if `id` is acceptable, else why not. */
static const char *bad_id_reason(const char *id)
{
    size_t n = strlen(id);
    const unsigned char *p = (const unsigned char *)id;

    if (n == 0)
        return "empty id";
    if (n > ID_MAX)
        return "id longer than 200 bytes";
    if (!cs_utf8_valid(id, n))
        return "id is not valid UTF-8";
    for (size_t i = 0; i < n; i++)
        if (p[i] < 0x20 || p[i] == 0x7F ||
            (p[i] == 0xC2 && i + 1 < n && p[i + 1] < 0xA0))
            return "id contains control characters";
    return NULL;
}

/* Replace *slot with a malloc'd copy of v (NULL on OOM leaves it NULL). */
static void set_str(char **slot, const char *v)
{
    free(*slot);
    *slot = strdup(v);
}

/* Store an optional field shared by .txt headers and JSON (url, date,
 * province, lang) after checking it. `v` is clean UTF-8. Returns 1 if the
 * key is one of them. Bad values are warned about and ignored. */
static int set_meta(cs_reader *r, cs_article *a, const char *key,
                    const char *v, const char *where)
{
    if (strcmp(key, "url") == 0) {
        if (*v)
            set_str(&a->url, v);
    } else if (strcmp(key, "province") == 0) {
        if (*v)
            set_str(&a->province, v);
    } else if (strcmp(key, "date") == 0) {
        char d[11];
        if (normalize_date(v, d))
            set_str(&a->date, d);
        else if (*v)
            warnf(r, where, 0, "ignoring unparseable date \"%.40s\"", v);
    } else if (strcmp(key, "lang") == 0) {
        if (strcasecmp(v, "vi") == 0)
            set_str(&a->lang, "vi");
        else if (strcasecmp(v, "en") == 0)
            set_str(&a->lang, "en");
        else if (*v)
            warnf(r, where, 0,
                  "ignoring lang \"%.20s\" (expected \"vi\" or \"en\")", v);
    } else {
        return 0;
    }
    return 1;
}

/* An empty article from `source`; NULL when out of memory. */
static cs_article *article_new(const char *source)
{
    cs_article *a = calloc(1, sizeof *a);

    if (a == NULL)
        return NULL;
    a->source = strdup(source);
    if (a->source == NULL) {
        free(a);
        return NULL;
    }
    return a;
}

/* ---- .txt articles ---------------------------------------------------- */

/* UTF-16 shows as a BOM or as NUL in every other byte of mostly-ASCII
 * text; say so instead of the generic "binary file". */
static int looks_utf16(const char *data, size_t len)
{
    const unsigned char *s = (const unsigned char *)data;
    size_t n = len < 512 ? len : 512, even = 0, odd = 0;

    if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) ||
                     (s[0] == 0xFE && s[1] == 0xFF)))
        return 1;
    if (n < 8)
        return 0;
    for (size_t i = 0; i + 1 < n; i += 2) {
        even += s[i] == 0;
        odd += s[i + 1] == 0;
    }
    /* pairs = n/2; NULs in most odd (LE) or most even (BE) positions */
    return (odd * 10 > (n / 2) * 7 && even * 10 < n / 2) ||
           (even * 10 > (n / 2) * 7 && odd * 10 < n / 2);
}

/* Parse "# key = value". Returns 1 and sets key (lower case, at most 31
 * bytes) and the value span when the line has that form. */
static int parse_header(const char *s, size_t n, char key[32],
                        const char **val, size_t *vlen)
{
    size_t i = 1, k = 0;

    if (n == 0 || s[0] != '#')
        return 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_')) {
        if (k >= 31)
            return 0;
        key[k++] = (char)tolower((unsigned char)s[i++]);
    }
    key[k] = '\0';
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (k == 0 || i >= n || s[i] != '=')
        return 0;
    i++;
    while (i < n && is_ws((unsigned char)s[i]))
        i++;
    while (n > i && is_ws((unsigned char)s[n - 1]))
        n--;
    *val = s + i;
    *vlen = n - i;
    return 1;
}

/* Letters allowed after the first digit of a dateline. */
static int is_time_word(const char *w, size_t n)
{
    static const char *const words[] = { "gmt", "utc", "ict", "am", "pm",
                                         "h" };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i]) == n && strncasecmp(w, words[i], n) == 0)
            return 1;
    return 0;
}

/* A line that only states when the page was made: "Today: 08/02/2023
 * 20:11:56 (GMT+7)", "Thứ Hai, 06/02/2017 10:30", "2023-02-08", "20:11".
 * That is: a date (three numbers joined by / - .) or a time (hh:mm), an
 * optional short label ending in ':' or ',' before the first digit, and
 * after it nothing but digits, punctuation and time-zone words. A title
 * that contains a date ("Hội chợ mở cửa 6/2/2017") has a label that does
 * not end in ':' or ','. */
static int is_dateline(const char *s, size_t n)
{
    size_t i = 0, words = 0;
    int has_date = 0, has_time = 0;

    if (n == 0 || n > 80)
        return 0;
    while (i < n && !isdigit((unsigned char)s[i])) {
        if (!is_ws((unsigned char)s[i]) &&
            (i == 0 || is_ws((unsigned char)s[i - 1])))
            words++;
        i++;
    }
    if (i == n)
        return 0;
    if (words > 0) {
        size_t e = i;
        while (e > 0 && is_ws((unsigned char)s[e - 1]))
            e--;
        if (words > 4 || e > 40 || (s[e - 1] != ':' && s[e - 1] != ','))
            return 0;
    }
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (isdigit(c)) {
            size_t j = i, parts = 1;
            char sep = 0;
            while (j < n && isdigit((unsigned char)s[j]))
                j++;
            if (j + 1 < n && s[j] == ':' && isdigit((unsigned char)s[j + 1]))
                has_time = 1;
            while (j + 1 < n && s[j] != '\0' && strchr("/-.", s[j]) &&
                   (sep == 0 || s[j] == sep) &&
                   isdigit((unsigned char)s[j + 1])) {
                sep = s[j++];
                parts++;
                while (j < n && isdigit((unsigned char)s[j]))
                    j++;
            }
            if (parts >= 3)
                has_date = 1;
            i = j;
        } else if (isalpha(c) || c >= 0x80) {
            size_t j = i;
            while (j < n && (isalpha((unsigned char)s[j]) ||
                             (unsigned char)s[j] >= 0x80))
                j++;
            if (!is_time_word(s + i, j - i))
                return 0;
            i = j;
        } else if (is_ws(c) || (c != '\0' && strchr("/-.:,()+|", c))) {
            i++;
        } else {
            return 0;
        }
    }
    return has_date || has_time;
}

/* Non-zero if the line is one of boilerplate_lines[]. */
static int is_boilerplate(const char *s, size_t n)
{
    char buf[128];
    int cut;

    if (n >= 4 * sizeof buf)
        return 0;
    collapse_into(buf, sizeof buf - 1, s, n, &cut);
    if (cut)
        return 0;
    for (size_t i = 0; i < sizeof boilerplate_lines / sizeof *boilerplate_lines;
         i++)
        if (strcmp(buf, boilerplate_lines[i]) == 0)
            return 1;
    return 0;
}

/* Split text after the headers into title and body. The title is the first
 * non-blank line that is not a dateline or boilerplate; datelines above it
 * stay in the body (later date extraction reads them), boilerplate is
 * dropped. A title line longer than TITLE_MAX is cut for the title and kept
 * whole in the body. Sets a->title (if not set yet) and a->body; returns 0
 * when out of memory. */
static int split_title_body(cs_article *a, const char *p, size_t n)
{
    const char *end = p + n, *line = p;
    char *body = malloc(n + 2);
    size_t blen = 0;

    if (body == NULL)
        return 0;
    while (a->title == NULL && line < end) {
        const char *eol = memchr(line, '\n', (size_t)(end - line));
        if (eol == NULL)
            eol = end;
        size_t ll = (size_t)(eol - line);
        int keep = 1, cut = 0, blank = 1;
        for (size_t i = 0; i < ll && blank; i++)
            blank = is_ws((unsigned char)line[i]);
        if (blank || is_dateline(line, ll)) {
            keep = 1;                       /* body text, not a title */
        } else if (is_boilerplate(line, ll)) {
            keep = 0;
        } else {
            a->title = make_title(line, ll, &cut);
            if (a->title == NULL) {
                free(body);
                return 0;
            }
            keep = cut;                     /* cut titles stay in full */
        }
        if (keep) {
            memcpy(body + blen, line, ll);
            blen += ll;
            body[blen++] = '\n';
        }
        line = eol < end ? eol + 1 : end;
    }
    memcpy(body + blen, line, (size_t)(end - line));   /* the rest */
    blen += (size_t)(end - line);
    a->body = trim_dup(body, blen);
    free(body);
    if (a->title == NULL)
        a->title = strdup("");
    if (a->body != NULL)
        a->body_len = strlen(a->body);
    return a->title != NULL && a->body != NULL;
}

/* Warnings for what cleaning repaired; counts the article as repaired. */
static void warn_repairs(cs_reader *r, const char *where, const char *field,
                         const cs_clean_report *rep, int *repaired)
{
    if (rep->invalid_sequences) {
        warnf(r, where, 0,
              "invalid UTF-8%s%s at byte %zu (%zu sequence%s replaced with "
              "U+FFFD)", field ? " in " : "", field ? field : "",
              rep->first_invalid_offset, rep->invalid_sequences,
              rep->invalid_sequences == 1 ? "" : "s");
        *repaired = 1;
    }
    if (rep->control_chars) {
        warnf(r, where, 0,
              "removed %zu control character%s%s%s (first at byte %zu)",
              rep->control_chars, rep->control_chars == 1 ? "" : "s",
              field ? " from " : "", field ? field : "",
              rep->first_control_offset);
        *repaired = 1;
    }
}

/* Read the "# key = value" lines at the top of `text` into `a`; returns
 * where the rest starts. */
static const char *parse_headers(cs_reader *r, cs_article *a, const char *p,
                                 const char *end, const char *source)
{
    while (p < end && *p == '#') {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *val;
        size_t vlen;
        char key[32];
        if (eol == NULL)
            eol = end;
        if (!parse_header(p, (size_t)(eol - p), key, &val, &vlen))
            break;
        char *v = strndup(val, vlen);
        if (v == NULL)
            break;
        if (strcmp(key, "doc_id") == 0 || strcmp(key, "id") == 0) {
            if (*v)
                set_str(&a->id, v);
        } else if (strcmp(key, "title") == 0) {
            int cut;
            if (*v) {
                free(a->title);
                a->title = make_title(v, vlen, &cut);
            }
        } else {
            set_meta(r, a, key, v, source);   /* unknown keys: ignored */
        }
        free(v);
        p = eol < end ? eol + 1 : end;
    }
    return p;
}

/* See reader.h. The article is owned by the caller. */
cs_article *cs_parse_txt(cs_reader *r, const char *data, size_t len,
                         const char *id, const char *source)
{
    cs_clean_report rep;
    cs_article *a;
    const char *why = NULL;
    size_t n;
    char *text;
    int repaired = 0;

    if (looks_utf16(data, len)) {
        warnf(r, source, 1, "UTF-16 text is not supported, convert to UTF-8");
        return NULL;
    }
    if (cs_text_looks_binary(data, len)) {
        warnf(r, source, 1, "binary file");
        return NULL;
    }
    text = cs_text_clean(data, len, &n, &rep);
    a = text ? article_new(source) : NULL;
    if (a == NULL) {
        free(text);
        warnf(r, source, 1, "out of memory while cleaning text");
        return NULL;
    }
    const char *rest = parse_headers(r, a, text, text + n, source);
    if (!split_title_body(a, rest, (size_t)(text + n - rest))) {
        free(text);
        cs_article_free(a);
        warnf(r, source, 1, "out of memory");
        return NULL;
    }
    free(text);
    if (a->title[0] == '\0' && a->body_len == 0) {
        cs_article_free(a);
        warnf(r, source, 1, "empty article");
        return NULL;
    }
    if (a->id == NULL)
        a->id = strdup(id ? id : "");
    if (a->id == NULL || (why = bad_id_reason(a->id)) != NULL) {
        warnf(r, source, 1, "%s", a->id ? why : "out of memory");
        cs_article_free(a);
        return NULL;
    }
    warn_repairs(r, source, NULL, &rep, &repaired);
    r->stats.repaired += (size_t)repaired;
    return a;
}

/* ---- .jsonl articles -------------------------------------------------- */

/* Clean a JSON string field: NFC, controls removed, then trimmed (title:
 * collapsed and capped). Returns malloc'd text or NULL when out of memory. */
static char *clean_field(cs_reader *r, const char *s, const char *field,
                         int title, const char *source, int *repaired)
{
    cs_clean_report rep;
    size_t n;
    char *c = cs_text_clean(s, strlen(s), &n, &rep);
    char *out;
    int cut;

    if (c == NULL)
        return NULL;
    warn_repairs(r, source, field, &rep, repaired);
    out = title ? make_title(c, n, &cut) : trim_dup(c, n);
    free(c);
    return out;
}

/* Id from a JSON "id" member: string or integer. Returns malloc'd text, or
 * NULL with *why set. */
static char *json_id(json_t *jid, const char **why)
{
    char buf[32];

    if (jid == NULL) {
        *why = "missing \"id\"";
        return NULL;
    }
    if (json_is_integer(jid)) {
        snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT,
                 json_integer_value(jid));
        return strdup(buf);
    }
    if (!json_is_string(jid)) {
        *why = "\"id\" must be a string or an integer";
        return NULL;
    }
    return strndup(json_string_value(jid), json_string_length(jid));
}

/* A string member or NULL; *bad set when present but not a string/null. */
static const char *json_str(json_t *obj, const char *key, int *bad)
{
    json_t *v = json_object_get(obj, key);

    *bad = v != NULL && !json_is_string(v) && !json_is_null(v);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Title and body of a JSON article; 0 when the article must be skipped
 * (warned). */
static int json_text(cs_reader *r, cs_article *a, json_t *root,
                     const char *source, int *repaired)
{
    static const char *const names[2] = { "title", "body" };
    char **slots[2] = { &a->title, &a->body };

    for (int i = 0; i < 2; i++) {
        int bad;
        const char *s = json_str(root, names[i], &bad);
        if (bad) {
            warnf(r, source, 1, "\"%s\" must be a string", names[i]);
            return 0;
        }
        *slots[i] = clean_field(r, s ? s : "", names[i], i == 0, source,
                                repaired);
        if (*slots[i] == NULL) {
            warnf(r, source, 1, "out of memory");
            return 0;
        }
    }
    a->body_len = strlen(a->body);
    if (a->title[0] == '\0' && a->body_len == 0) {
        warnf(r, source, 1, "no \"title\" or \"body\" text");
        return 0;
    }
    return 1;
}

/* See reader.h. Blank lines give NULL without a warning. */
cs_article *cs_parse_jsonl_line(cs_reader *r, const char *line, size_t len,
                                const char *source)
{
    static const char *const optional[] = { "url", "date", "province",
                                            "lang" };
    json_error_t err;
    json_t *root;
    cs_article *a = NULL;
    const char *why = NULL;
    int repaired = 0;
    size_t i = 0;

    while (i < len && is_ws((unsigned char)line[i]))
        i++;
    if (i == len)
        return NULL;
    root = json_loadb(line, len, 0, &err);
    if (root == NULL) {
        warnf(r, source, 1, "invalid JSON%s: %s (column %d)",
              json_error_code(&err) == json_error_invalid_utf8 ?
                  " (not valid UTF-8)" : "", err.text, err.column);
        return NULL;
    }
    if (!json_is_object(root)) {
        warnf(r, source, 1, "not a JSON object");
        goto fail;
    }
    a = article_new(source);
    if (a == NULL) {
        warnf(r, source, 1, "out of memory");
        goto fail;
    }
    a->id = json_id(json_object_get(root, "id"), &why);
    if (a->id == NULL || (why = bad_id_reason(a->id)) != NULL) {
        warnf(r, source, 1, "%s", why ? why : "out of memory");
        goto fail;
    }
    if (!json_text(r, a, root, source, &repaired))
        goto fail;
    for (size_t k = 0; k < sizeof optional / sizeof *optional; k++) {
        int bad;
        const char *s = json_str(root, optional[k], &bad);
        if (bad)
            warnf(r, source, 0, "ignoring \"%s\": not a string", optional[k]);
        if (s == NULL)
            continue;
        char *v = clean_field(r, s, optional[k], 1, source, &repaired);
        if (v != NULL)
            set_meta(r, a, optional[k], v, source);
        free(v);
    }
    json_decref(root);
    r->stats.repaired += (size_t)repaired;
    return a;
fail:
    cs_article_free(a);
    json_decref(root);
    return NULL;
}

/* Read JSON Lines from f. Lines longer than the article limit are skipped
 * while reading, so one huge line cannot exhaust memory. Returns the
 * callback's stop value or 0; *io_error is set on a read error (warned). */
static int read_jsonl(cs_reader *r, FILE *f, const char *name, int *io_error)
{
    size_t max = max_bytes(r), cap = 0, lineno = 0;
    size_t srclen = strlen(name) + 24;
    char *buf = NULL, *src = malloc(srclen);
    int rc = 0, c = 0;

    if (src == NULL) {
        warnf(r, name, 1, "out of memory");
        return 0;
    }
    while (rc == 0 && c != EOF) {
        size_t n = 0;
        int too_long = 0, oom = 0;
        while ((c = getc_unlocked(f)) != EOF && c != '\n') {
            if (n >= max) {
                too_long = 1;
                continue;
            }
            if (n + 1 >= cap) {
                size_t ncap = cap ? cap * 2 : 4096;
                char *nb = oom ? NULL : realloc(buf, ncap);
                if (nb == NULL) {
                    oom = too_long = 1;
                    continue;
                }
                buf = nb;
                cap = ncap;
            }
            buf[n++] = (char)c;
        }
        if (c == EOF && n == 0 && !too_long)
            break;
        snprintf(src, srclen, "%s:%zu", name, ++lineno);
        if (too_long) {
            if (oom)
                warnf(r, src, 1, "out of memory");
            else
                warnf(r, src, 1, "line too long (more than %zu bytes)", max);
            continue;
        }
        if (n > 0 && buf[n - 1] == '\r')        /* CRLF files */
            n--;
        size_t skip = 0;
        if (lineno == 1 && n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
            skip = 3;                           /* UTF-8 BOM */
        cs_article *a = cs_parse_jsonl_line(r, buf + skip, n - skip, src);
        if (a != NULL)
            rc = deliver(r, a);
    }
    if (ferror(f)) {
        warnf(r, name, 1, "read error: %s", strerror(errno));
        *io_error = 1;
    }
    free(buf);
    free(src);
    return rc;
}

/* See reader.h. */
int cs_read_jsonl_stream(cs_reader *r, FILE *f, const char *name)
{
    int io_error = 0;
    int rc = read_jsonl(r, f, name, &io_error);

    return rc ? rc : (io_error ? -1 : 0);
}

/* ---- files and folders ------------------------------------------------ */

/* Read a whole .txt file (at most the article limit) and deliver it.
 * Returns the callback's stop value or 0; *failed is set when the file
 * could not be opened or read (warned). */
static int read_txt_file(cs_reader *r, const char *path, const char *id,
                         int *failed)
{
    size_t max = max_bytes(r), n = 0, cap;
    struct stat st;
    char *buf;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        warnf(r, path, 1, "cannot open: %s", strerror(errno));
        *failed = 1;
        return 0;
    }
    r->stats.files++;
    if (fstat(fd, &st) != 0)
        memset(&st, 0, sizeof st);
    if (S_ISREG(st.st_mode) &&
        (uintmax_t)st.st_size > max) {
        warnf(r, path, 1, "article too large (%jd bytes, limit %zu)",
              (intmax_t)st.st_size, max);
        close(fd);
        return 0;
    }
    /* The size may change between fstat and read, and pipes have none:
     * read at most max+1 bytes whatever fstat said. */
    cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1
                                                 : 65536;
    buf = malloc(cap);
    for (;;) {
        if (buf == NULL) {
            warnf(r, path, 1, "out of memory");
            close(fd);
            return 0;
        }
        if (n == cap) {
            char *nb = realloc(buf, cap * 2);
            if (nb == NULL)
                free(buf);
            buf = nb;
            cap *= 2;
            continue;
        }
        size_t want = cap - n;
        if (want > max + 1 - n)
            want = max + 1 - n;
        ssize_t got = read(fd, buf + n, want);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            warnf(r, path, 1, "read error: %s", strerror(errno));
            free(buf);
            close(fd);
            *failed = 1;
            return 0;
        }
        n += (size_t)got;
        if (got == 0 || n > max)
            break;
    }
    close(fd);
    if (n > max) {
        warnf(r, path, 1, "article too large (more than %zu bytes, limit %zu)",
              max, max);
        free(buf);
        return 0;
    }
    cs_article *a = cs_parse_txt(r, buf, n, id, path);
    free(buf);
    return a ? deliver(r, a) : 0;
}

/* Open and read a .jsonl file; as read_txt_file. */
static int read_jsonl_file(cs_reader *r, const char *path, int *failed)
{
    FILE *f = fopen(path, "re");
    int rc;

    if (f == NULL) {
        warnf(r, path, 1, "cannot open: %s", strerror(errno));
        *failed = 1;
        return 0;
    }
    r->stats.files++;
    rc = read_jsonl(r, f, path, failed);
    fclose(f);
    return rc;
}

enum file_kind { KIND_OTHER, KIND_TXT, KIND_JSONL };

/* Kind by extension (case-insensitive). */
static enum file_kind kind_of(const char *name)
{
    const char *dot = strrchr(name, '.');

    if (dot == NULL || dot == name)
        return KIND_OTHER;
    if (strcasecmp(dot, ".txt") == 0)
        return KIND_TXT;
    if (strcasecmp(dot, ".jsonl") == 0)
        return KIND_JSONL;
    return KIND_OTHER;
}

/* malloc'd copy of `p` without the extension of its last component. */
static char *strip_ext(const char *p)
{
    const char *base = strrchr(p, '/');
    const char *dot;

    base = base ? base + 1 : p;
    dot = strrchr(base, '.');
    return strndup(p, dot && dot != base ? (size_t)(dot - p) : strlen(p));
}

/* A folder on the path from the root to where the walk is, to notice a
 * symlink leading back to one of them. */
typedef struct walk_dir {
    dev_t dev;
    ino_t ino;
    const struct walk_dir *up;
} walk_dir;

/* qsort comparator: byte order, the same on every machine and locale. */
static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the visible entries of d, NULL-terminated; closes d.
 * NULL when out of memory. */
static char **list_dir(DIR *d, size_t *count)
{
    size_t n = 0, cap = 64;
    char **names = malloc(cap * sizeof *names);
    struct dirent *e;

    while (names != NULL && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')        /* hidden, "." and ".." */
            continue;
        if (n + 1 >= cap) {
            char **nn = realloc(names, (cap *= 2) * sizeof *names);
            if (nn == NULL) {
                for (size_t i = 0; i < n; i++)
                    free(names[i]);
                free(names);
                names = NULL;
                break;
            }
            names = nn;
        }
        if ((names[n] = strdup(e->d_name)) != NULL)
            n++;
    }
    closedir(d);
    if (names == NULL)
        return NULL;
    qsort(names, n, sizeof *names, cmp_names);
    names[n] = NULL;
    *count = n;
    return names;
}

static int walk(cs_reader *r, DIR *d, const char *path, const char *rel,
                const walk_dir *self);

/* One entry of a folder: a sub-folder, a .txt or .jsonl file, or something
 * ignored. Returns the callback's stop value or 0. */
static int walk_entry(cs_reader *r, const char *full, const char *relp,
                      const char *name, const walk_dir *self)
{
    struct stat st;
    int failed = 0;

    if (stat(full, &st) != 0) {
        warnf(r, full, 1, "cannot read: %s", strerror(errno));
        return 0;
    }
    if (S_ISDIR(st.st_mode)) {
        for (const walk_dir *w = self; w; w = w->up)
            if (w->dev == st.st_dev && w->ino == st.st_ino) {
                warnf(r, full, 1, "symlink loop, folder not read again");
                return 0;
            }
        walk_dir child = { st.st_dev, st.st_ino, self };
        DIR *d = opendir(full);
        if (d == NULL) {
            warnf(r, full, 1, "cannot open folder: %s", strerror(errno));
            return 0;
        }
        return walk(r, d, full, relp, &child);
    }
    enum file_kind k = S_ISREG(st.st_mode) ? kind_of(name) : KIND_OTHER;
    if (k == KIND_JSONL)
        return read_jsonl_file(r, full, &failed);
    if (k == KIND_TXT) {
        char *id = strip_ext(relp);
        int rc = id ? read_txt_file(r, full, id, &failed) : 0;
        if (id == NULL)
            warnf(r, full, 1, "out of memory");
        free(id);
        return rc;
    }
    r->stats.ignored++;
    return 0;
}

/* Walk the open folder d (closed here) at `path`, whose id prefix is `rel`
 * ("" at the root). Returns the callback's stop value or 0. */
static int walk(cs_reader *r, DIR *d, const char *path, const char *rel,
                const walk_dir *self)
{
    size_t n = 0;
    char **names = list_dir(d, &n);
    int rc = 0;

    if (names == NULL) {
        warnf(r, path, 1, "out of memory listing folder");
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        char *full = NULL, *relp = NULL;
        const char *slash = path[strlen(path) - 1] == '/' ? "" : "/";
        if (rc == 0 &&
            asprintf(&full, "%s%s%s", path, slash, names[i]) >= 0 &&
            asprintf(&relp, "%s%s%s", rel, *rel ? "/" : "", names[i]) >= 0)
            rc = walk_entry(r, full, relp, names[i], self);
        free(full);
        free(relp);
        free(names[i]);
    }
    free(names);
    return rc;
}

/* "./a//b/" -> "a//b": trailing slashes and leading "./" go, so that the
 * same folder named differently gives the same messages. ("/" stays "/",
 * "./" becomes "."). */
static char *normalize_root(const char *path)
{
    while (path[0] == '.' && path[1] == '/' && path[2] != '\0') {
        path += 2;
        while (*path == '/' && path[1] != '\0')
            path++;
    }
    char *p = strdup(path);
    size_t n = p ? strlen(p) : 0;
    while (n > 1 && p[n - 1] == '/')
        p[--n] = '\0';
    return p;
}

/* See reader.h. "-" reads JSON Lines from standard input. */
int cs_read_path(cs_reader *r, const char *path)
{
    struct stat st;
    int rc, failed = 0;
    char *root;

    if (strcmp(path, "-") == 0)
        return cs_read_jsonl_stream(r, stdin, "<stdin>");
    root = normalize_root(path);
    if (root == NULL) {
        warnf(r, path, 1, "out of memory");
        return -1;
    }
    if (stat(root, &st) != 0) {
        warnf(r, root, 1, "cannot read: %s", strerror(errno));
        free(root);
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        walk_dir self = { st.st_dev, st.st_ino, NULL };
        DIR *d = opendir(root);
        if (d == NULL) {
            warnf(r, root, 1, "cannot open folder: %s", strerror(errno));
            free(root);
            return -1;
        }
        rc = walk(r, d, root, "", &self);
    } else if (kind_of(root) == KIND_JSONL) {
        rc = read_jsonl_file(r, root, &failed);
    } else {
        const char *base = strrchr(root, '/');
        char *id = strip_ext(base ? base + 1 : root);
        rc = id ? read_txt_file(r, root, id, &failed) : 0;
        free(id);
    }
    free(root);
    return rc ? rc : (failed ? -1 : 0);
}
