/* extract_date.c -- an article's publication date.
 *
 * In order: the given date (a header or JSON field); a dateline in the first
 * lines of the body ("Today: 08/02/2023 20:11:56 (GMT+7)", "Cập nhật:
 * 20/04/2022", "Thứ Hai, 06/02/2017 10:30", "Bac Ninh, 11/08/2025", a short
 * line ending in a date); a timestamp in the URL ("-20201001163534963.htm",
 * "/2020/10/01/"); else none. Numeric dates are day first, as Vietnamese
 * writes them. Only datelines count, never a date in the running text: that
 * is usually a resolution's or a decision's ("Resolution No. 57-NQ/TW dated
 * December 22, 2024", "ngày 22/12/2024 của Bộ Chính trị").
 */
#include "extract_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATELINE_LINES 8      /* non-empty lines looked at */
#define DATELINE_BYTES 3000   /* ... within this many bytes of the start */
#define SHORT_LINE 120        /* a line ending in a date is a dateline if no longer */

int cs_valid_ymd(int y, int m, int d) {
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1990 || y > 2100 || m < 1 || m > 12 || d < 1) return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= days[m - 1] + (m == 2 && leap);
}

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_lower(int c) { return c >= 'a' && c <= 'z'; }

/* Read 1..max digits at s; returns how many, value in *v. */
static int digits(const char *s, int max, int *v) {
    int n = 0;
    *v = 0;
    while (n < max && is_digit((unsigned char)s[n])) *v = *v * 10 + (s[n++] - '0');
    if (is_digit((unsigned char)s[n])) return 0; /* too many */
    return n;
}

typedef struct ymd {
    int y, m, d;
} ymd;

static const char *const months[] = {"january", "february", "march", "april", "may",
                                     "june", "july", "august", "september",
                                     "october", "november", "december"};

/* A month name (full, or three letters with an optional dot) at s. Returns
 * the length used, month in *m. */
static int month_name(const char *s, int *m) {
    for (int i = 0; i < 12; i++) {
        size_t n = strlen(months[i]);
        if (strncmp(s, months[i], n) == 0 && !is_lower((unsigned char)s[n])) {
            *m = i + 1;
            return (int)n;
        }
        if (strncmp(s, months[i], 3) == 0) {
            size_t k = 3;
            if (i == 8 && s[3] == 't') k = 4; /* "sept" */
            if (is_lower((unsigned char)s[k])) continue;
            if (s[k] == '.') k++;
            *m = i + 1;
            return (int)k;
        }
    }
    return 0;
}

/* A date at the folded text s: D/M/YYYY (also '-' or '.'), YYYY-MM-DD,
 * "December 22, 2024", "22 December 2024". Returns the length used (0 when
 * none or not a real day), the date in *out. */
static int parse_date(const char *s, ymd *out) {
    int a, b, c, n1, n2, n3;
    if ((n1 = digits(s, 4, &a)) > 0) {
        char sep = s[n1];
        if (n1 == 4 && sep == '-' && (n2 = digits(s + 5, 2, &b)) > 0 && s[5 + n2] == '-' &&
            (n3 = digits(s + 6 + n2, 2, &c)) > 0) {
            out->y = a, out->m = b, out->d = c;
            return cs_valid_ymd(a, b, c) ? 6 + n2 + n3 : 0;
        }
        if (n1 <= 2 && (sep == '/' || sep == '-' || sep == '.') &&
            (n2 = digits(s + n1 + 1, 2, &b)) > 0 && s[n1 + 1 + n2] == sep &&
            (n3 = digits(s + n1 + 2 + n2, 4, &c)) == 4) {
            out->y = c, out->m = b, out->d = a;
            return cs_valid_ymd(c, b, a) ? n1 + n2 + n3 + 2 : 0;
        }
        if (n1 <= 2) { /* 22 December 2024 */
            int k = n1, m;
            while (s[k] == ' ') k++;
            int mn = month_name(s + k, &m);
            if (mn) {
                k += mn;
                while (s[k] == ' ' || s[k] == ',') k++;
                if (digits(s + k, 4, &c) == 4) {
                    out->y = c, out->m = m, out->d = a;
                    return cs_valid_ymd(c, m, a) ? k + 4 : 0;
                }
            }
        }
        return 0;
    }
    int m, mn = month_name(s, &m); /* December 22, 2024 */
    if (!mn) return 0;
    int k = mn;
    while (s[k] == ' ') k++;
    if ((n2 = digits(s + k, 2, &b)) == 0) return 0;
    k += n2;
    if (strncmp(s + k, "st", 2) == 0 || strncmp(s + k, "nd", 2) == 0 ||
        strncmp(s + k, "rd", 2) == 0 || strncmp(s + k, "th", 2) == 0)
        k += 2;
    while (s[k] == ' ' || s[k] == ',') k++;
    if (digits(s + k, 4, &c) != 4) return 0;
    out->y = c, out->m = m, out->d = b;
    return cs_valid_ymd(c, m, b) ? k + 4 : 0;
}

/* Skip spaces (and, when `punct`, commas and colons). */
static const char *skip_sp(const char *s, int punct) {
    while (*s == ' ' || *s == '\t' || (punct && (*s == ',' || *s == ':'))) s++;
    return s;
}

/* "10:30", "20:11:56", "10:30 am": returns the text after it (or s). */
static const char *skip_time(const char *s) {
    int v;
    int n = digits(s, 2, &v);
    if (n == 0 || s[n] != ':' || digits(s + n + 1, 2, &v) != 2) return s;
    s += n + 3;
    if (*s == ':' && digits(s + 1, 2, &v) == 2) s += 3;
    const char *t = skip_sp(s, 0);
    if ((t[0] == 'a' || t[0] == 'p') && t[1] == 'm' && !is_lower((unsigned char)t[2])) s = t + 2;
    return s;
}

static const char *const weekdays[] = {
    "thu hai", "thu ba", "thu tu", "thu nam", "thu sau", "thu bay", "chu nhat",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
};

static const char *skip_weekday(const char *s) {
    for (size_t i = 0; i < sizeof weekdays / sizeof *weekdays; i++) {
        size_t n = strlen(weekdays[i]);
        if (strncmp(s, weekdays[i], n) == 0 && !is_lower((unsigned char)s[n]))
            return skip_sp(s + n, 1);
    }
    return s;
}

static const char *const labels[] = {
    "today", "last updated", "updated on", "updated", "update", "published on",
    "published", "posted on", "posted", "date", "ngay cap nhat", "cap nhat luc",
    "cap nhat", "hom nay", "ngay dang", "dang ngay", "dang luc", "ngay xuat ban",
    "xuat ban", "thoi gian",
};

/* Labelled dateline: "Today: 08/02/2023 20:11:56", "Cập nhật: ...", "Thứ
 * Hai, 06/02/2017 10:30", "Updated: Monday, March 15, 2021". */
static int labelled(const char *f, ymd *out) {
    const char *s = NULL;
    for (size_t i = 0; i < sizeof labels / sizeof *labels && !s; i++) {
        size_t n = strlen(labels[i]);
        if (strncmp(f, labels[i], n) == 0 && !is_lower((unsigned char)f[n])) s = f + n;
    }
    if (!s) {
        s = skip_weekday(f);
        if (s == f) return 0;
    }
    s = skip_sp(s, 1);
    s = skip_sp(skip_time(s), 1);
    s = skip_weekday(s);
    if (strncmp(s, "ngay ", 5) == 0) s += 5;
    return parse_date(s, out) > 0;
}

/* "Bac Ninh, 11/08/2025", "HA LONG, 27/05/2023 — ...", "Hà Nội, 16/11/2017
 * - ...": a place of one to six words, a comma, a date, then the end of the
 * line, a dash or a time. `upper` says the raw line starts with a capital. */
static int place_dateline(const char *f, int upper, ymd *out) {
    if (!upper) return 0;
    const char *s = f;
    int words = 0;
    while (*s && *s != ',') {
        if (is_digit((unsigned char)*s) || s - f > 40) return 0;
        if ((is_lower((unsigned char)*s) || *s == '?') &&
            (s == f || s[-1] == ' ' || s[-1] == '-' || s[-1] == '.'))
            words++;
        else if (!is_lower((unsigned char)*s) && *s != '?' && *s != ' ' && *s != '-' &&
                 *s != '.' && *s != '\'')
            return 0;
        s++;
    }
    if (*s != ',' || words < 1 || words > 6) return 0;
    s = skip_sp(s + 1, 0);
    int n = parse_date(s, out);
    if (!n) return 0;
    s = skip_sp(s + n, 0);
    return *s == '\0' || *s == '-' || *s == '|' || *s == '(' || *s == '?' ||
           is_digit((unsigned char)*s);
}

/* Words right before a date that make it something other than a dateline. */
static const char *const not_before[] = {
    "ngay", "dated", "date", "on", "from", "to", "den", "tu", "va", "and",
    "nam", "thang", "since", "until", "by", "truoc", "sau", "of", "cua",
};

/* Words in a line that make its date a document's. */
static const char *const doc_words[] = {
    "nq", "qd", "nd", "resolution", "decision", "decree", "nghi quyet",
    "quyet dinh", "nghi dinh", "ke hoach", "plan no", "chi thi",
};

/* A short line whose last thing is a date (and maybe a time, "(GMT+7)"):
 * "Tạp chí Doanh Nghiệp11/08/2025", "11/08/2025 10:30". */
static int trailing_date(const char *f, size_t rawlen, ymd *out) {
    if (rawlen > SHORT_LINE) return 0;
    for (size_t i = 0; i < sizeof doc_words / sizeof *doc_words; i++) {
        const char *p = strstr(f, doc_words[i]);
        size_t n = strlen(doc_words[i]);
        if (p && (p == f || !is_lower((unsigned char)p[-1])) && !is_lower((unsigned char)p[n]))
            return 0;
    }
    size_t len = strlen(f);
    for (size_t i = 0; i < len; i++) {
        if (!is_digit((unsigned char)f[i]) || (i > 0 && is_digit((unsigned char)f[i - 1])))
            continue;
        ymd d;
        int n = parse_date(f + i, &d);
        if (!n) continue;
        const char *t = skip_sp(f + i + n, 0);
        t = skip_sp(skip_time(t), 0);
        if (strncmp(t, "(gmt", 4) == 0) t = strchr(t, ')') ? strchr(t, ')') + 1 : t + 4;
        else if (strncmp(t, "gmt", 3) == 0) t += 3 + strspn(t + 3, "+-0123456789");
        t = skip_sp(t, 0);
        if (*t) continue; /* not at the end */
        size_t w = i;
        while (w > 0 && f[w - 1] == ' ') w--;
        size_t ws = w;
        while (ws > 0 && is_lower((unsigned char)f[ws - 1])) ws--;
        for (size_t k = 0; k < sizeof not_before / sizeof *not_before; k++)
            if (w - ws == strlen(not_before[k]) && strncmp(f + ws, not_before[k], w - ws) == 0)
                return 0;
        *out = d;
        return 1;
    }
    return 0;
}

/* The first dateline among the first lines of the body (a line that repeats
 * the title is not one: "Kết quả xổ số ngày 6/2/2017" is the story). */
static int dateline(const char *title, const char *b, size_t len, ymd *out) {
    size_t tlen = title ? strlen(title) : 0;
    while (tlen && (title[tlen - 1] == ' ' || title[tlen - 1] == '\n')) tlen--;
    int seen = 0;
    for (size_t pos = 0; pos < len && pos < DATELINE_BYTES && seen < DATELINE_LINES;) {
        const char *nl = memchr(b + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - b) : len;
        size_t s = pos, e = end;
        pos = end + 1;
        while (s < e && (b[s] == ' ' || b[s] == '\t' || b[s] == '\r')) s++;
        while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t' || b[e - 1] == '\r')) e--;
        if (s == e || (b[s] == '#' && s + 1 < e && b[s + 1] == ' ')) continue;
        seen++;
        if (tlen && e - s == tlen && memcmp(b + s, title, tlen) == 0) continue;
        char f[256];
        cs_fold_ascii(b + s, e - s > 160 ? 160 : e - s, f, sizeof f, NULL);
        uint32_t cp, lo, fo;
        int cls;
        cs_utf8_next((const unsigned char *)b + s, (const unsigned char *)b + e, &cp);
        cs_cp_info(cp, &lo, &fo, &cls);
        if (labelled(f, out) || place_dateline(f, lo != cp, out) ||
            trailing_date(f, e - s, out))
            return 1;
    }
    return 0;
}

/* A date in a URL: /YYYY/MM/DD/; a run of 8 or more digits starting
 * YYYYMMDD (not 9 to 11 digits: those are ids); a D-M-YYYY group between
 * separators ("/1-11-2020.htm"). */
static int url_date(const char *url, ymd *out) {
    const char *p = strstr(url, "://");
    p = p ? strchr(p + 3, '/') : url;
    if (!p) return 0;
    for (const char *s = p; *s; s++) {
        int y, m, d;
        if (s[0] == '/' && digits(s + 1, 4, &y) == 4 && s[5] == '/' &&
            digits(s + 6, 2, &m) == 2 && s[8] == '/' && digits(s + 9, 2, &d) == 2 &&
            cs_valid_ymd(y, m, d)) {
            out->y = y, out->m = m, out->d = d;
            return 1;
        }
    }
    for (const char *s = p; *s; s++) {
        if (!is_digit((unsigned char)*s) || (s > url && is_digit((unsigned char)s[-1])))
            continue;
        size_t n = strspn(s, "0123456789");
        if (n >= 8 && !(n >= 9 && n <= 11)) {
            int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
            int m = (s[4] - '0') * 10 + (s[5] - '0');
            int d = (s[6] - '0') * 10 + (s[7] - '0');
            if (cs_valid_ymd(y, m, d)) {
                out->y = y, out->m = m, out->d = d;
                return 1;
            }
        }
        s += n - 1;
    }
    for (const char *s = p + 1; *s; s++) {
        if (!is_digit((unsigned char)*s) || (s[-1] != '/' && s[-1] != '-')) continue;
        int dd, mm, yy, n1, n2;
        if ((n1 = digits(s, 2, &dd)) > 0 && s[n1] == '-' && (n2 = digits(s + n1 + 1, 2, &mm)) > 0 &&
            s[n1 + 1 + n2] == '-' && digits(s + n1 + 2 + n2, 4, &yy) == 4) {
            char after = s[n1 + n2 + 6];
            if ((after == '\0' || after == '.' || after == '/' || after == '-' || after == '?') &&
                cs_valid_ymd(yy, mm, dd)) {
                out->y = yy, out->m = mm, out->d = dd;
                return 1;
            }
        }
    }
    return 0;
}

/* "YYYY-MM-DD" (or "YYYYMMDD"), checked. */
static int given(const char *s, ymd *out) {
    int y, m, d;
    if (digits(s, 4, &y) == 4 && s[4] == '-' && digits(s + 5, 2, &m) == 2 && s[7] == '-' &&
        digits(s + 8, 2, &d) == 2 && s[10] == '\0') {
    } else if (strlen(s) == 8 && strspn(s, "0123456789") == 8) {
        y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
        m = (s[4] - '0') * 10 + (s[5] - '0');
        d = (s[6] - '0') * 10 + (s[7] - '0');
    } else {
        return 0;
    }
    if (!cs_valid_ymd(y, m, d)) return 0;
    out->y = y, out->m = m, out->d = d;
    return 1;
}

void cs_extract_date(const char *title, const char *body, size_t body_len, const char *url,
                     const char *given_date, cs_meta *m) {
    ymd d;
    const char *src = NULL;
    if (given_date && given(given_date, &d)) src = "header";
    else if (body && dateline(title, body, body_len, &d)) src = "dateline";
    else if (url && url_date(url, &d)) src = "url";
    m->date_source = src;
    m->date[0] = '\0';
    if (src) snprintf(m->date, sizeof m->date, "%04d-%02d-%02d", d.y, d.m, d.d);
}
