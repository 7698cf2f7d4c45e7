/* extract_resolution.c -- Vietnamese legal document numbers: resolutions
 * (Nghị quyết, NQ) and other kinds (decrees NĐ, decisions QĐ, plans KH,
 * directives CT ...), in the forms they take in text, normalised to one
 * canonical value each.
 *
 * Forms:
 *   Party:        57-NQ/TW, 111-NQ/TU           number-KIND/ISSUER
 *   State:        03/NQ-CP, 5755/KH-UBND        number/KIND-ISSUER
 *   with a year:  100/2019/NĐ-CP                number/year/KIND-ISSUER
 *   no kind:      202/2025/QH15                 (a resolution when introduced
 *                                                as one, else a document)
 *   prose:        "Resolution No. 57", "Resolution 57", "Nghị quyết số 57",
 *                 "Nghị quyết 57": a bare number, completed by the issuer
 *                 named next to it ("... of the Politburo" -> 57-NQ/TW,
 *                 "... of the Government" -> 57/NQ-CP, "Tỉnh ủy" -> -NQ/TU,
 *                 "the Politburo's Resolution 57"); else it stays "57".
 * Canonical values use Vietnamese letters (ASCII "ND-CP" becomes "NĐ-CP")
 * and upper case (but "TTg", the Prime Minister). A bare number that an
 * article also gives in full ("Resolution 57" and "57-NQ/TW") is recorded
 * once, in full. "Plan No. 111" is not a resolution: only numbers introduced
 * by a resolution keyword, or written with a kind, are read.
 */
#include "extract_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PARTS 6
#define MAX_PART 16
#define CANON_MAX 96

enum { DOC_NONE, DOC_NQ, DOC_OTHER, DOC_KINDLESS };

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_ascii_alnum(int c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* ------------------------------------------------------------------------
 * Full document numbers.
 * ---------------------------------------------------------------------- */

/* One letter of a document code at s[i] (an ASCII letter, Đ/đ or Ư/ư, as in
 * "NQ/TƯ"), upper-cased into out. Returns the input bytes used, 0 if s[i] is
 * not one. */
static size_t code_letter(const unsigned char *s, size_t i, size_t len, char *out,
                          size_t *olen, int *lower) {
    unsigned c = s[i];
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
        if (c >= 'a') *lower = 1;
        out[(*olen)++] = (char)(c & ~0x20u);
        return 1;
    }
    if (c == 0xC4 && i + 1 < len && (s[i + 1] == 0x90 || s[i + 1] == 0x91)) {
        if (s[i + 1] == 0x91) *lower = 1;
        out[(*olen)++] = (char)0xC4;
        out[(*olen)++] = (char)0x90;
        return 2;
    }
    if (c == 0xC6 && i + 1 < len && (s[i + 1] == 0xAF || s[i + 1] == 0xB0)) {
        if (s[i + 1] == 0xB0) *lower = 1;
        out[(*olen)++] = (char)0xC6;
        out[(*olen)++] = (char)0xAF;
        return 2;
    }
    return 0;
}

/* Is there a letter or digit at s[i]? */
static int alnum_at(const unsigned char *s, size_t i, size_t len) {
    if (i >= len) return 0;
    uint32_t cp, lo, fo;
    int cls;
    cs_utf8_next(s + i, s + len, &cp);
    cs_cp_info(cp, &lo, &fo, &cls);
    return cls != CS_CH_OTHER;
}

/* A code part (letter, then letters and digits) at s[i] into out (upper
 * case, NUL-terminated). Returns the bytes used, 0 if none. */
static size_t code_part(const unsigned char *s, size_t i, size_t len, char *out, int *lower) {
    size_t o = 0, j = i;
    *lower = 0;
    size_t k = code_letter(s, j, len, out, &o, lower);
    if (!k) return 0;
    j += k;
    while (j < len && o + 2 < MAX_PART) {
        if (is_digit(s[j])) {
            out[o++] = (char)s[j++];
            continue;
        }
        k = code_letter(s, j, len, out, &o, lower);
        if (!k) break;
        j += k;
    }
    if (alnum_at(s, j, len)) return 0; /* too long, or not a code */
    out[o] = '\0';
    return j - i;
}

/* Spelling fixes for codes written in ASCII or lower case. */
static const char *const code_fixes[][2] = {
    {"ND", "NĐ"}, {"QD", "QĐ"}, {"DA", "ĐA"}, {"CTR", "CTr"}, {"TTR", "TTr"},
    {"TTG", "TTg"}, {"HDND", "HĐND"}, {"DU", "ĐU"}, {"BCD", "BCĐ"},
    {"BCSD", "BCSĐ"}, {"DUK", "ĐUK"}, {"QDLT", "QĐLT"}, {"TƯ", "TW"},
};

static void fix_code(char *p) {
    for (size_t i = 0; i < sizeof code_fixes / sizeof *code_fixes; i++)
        if (strcmp(p, code_fixes[i][0]) == 0) {
            strcpy(p, code_fixes[i][1]);
            return;
        }
}

static const char *const kinds[] = {
    "NQ", "NQLT", "NĐ", "QĐ", "QĐLT", "KH", "CT", "CTr", "TT", "TTLT", "KL",
    "TB", "CV", "HD", "HĐ", "BC", "TTr", "QC", "ĐA", "PA",
};

/* Issuers whose documents are numbered the Party's way, 57-NQ/TW. */
static const char *const party_issuers[] = {"TW", "TU", "ĐU", "HU", "QU", "ĐUK", "BCSĐ"};

static int in_list(const char *s, const char *const *list, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0) return 1;
    return 0;
}

typedef struct docnum {
    char canon[CANON_MAX];
    int kind;      /* DOC_* */
    size_t end;    /* offset just past the number */
} docnum;

/* Parse a document number starting at the digit s[i]. `strict` (text, not
 * user input): a code without a kind must be written in capitals. Returns
 * DOC_NONE or the kind, filling d. */
static int parse_docnum(const char *text, size_t len, size_t i, int strict, docnum *d) {
    const unsigned char *s = (const unsigned char *)text;
    size_t j = i;
    while (j < len && is_digit(s[j]) && j - i <= 5) j++;
    size_t nd = j - i;
    if (nd == 0 || nd > 5) return DOC_NONE;
    char num[8], year[8] = "";
    memcpy(num, s + i, nd);
    num[nd] = '\0';
    if (j + 5 < len && s[j] == '/' && is_digit(s[j + 1]) && is_digit(s[j + 2]) &&
        is_digit(s[j + 3]) && is_digit(s[j + 4]) && s[j + 5] == '/') {
        memcpy(year, s + j + 1, 4);
        year[4] = '\0';
        int y = atoi(year);
        if (y < 1945 || y > 2100) return DOC_NONE;
        j += 5;
    }
    char parts[MAX_PARTS][MAX_PART];
    int lower[MAX_PARTS];
    size_t np = 0;
    while (np < MAX_PARTS && j + 1 < len && (s[j] == '-' || s[j] == '/')) {
        size_t k = code_part(s, j + 1, len, parts[np], &lower[np]);
        if (!k) break;
        j += 1 + k;
        np++;
    }
    if (np == 0) return DOC_NONE;
    if (alnum_at(s, j, len)) return DOC_NONE;
    for (size_t p = 0; p < np; p++) fix_code(parts[p]);
    char *c = d->canon;
    size_t cap = sizeof d->canon;
    int n;
    d->end = j;
    if (in_list(parts[0], kinds, sizeof kinds / sizeof *kinds)) {
        if (np < 2) return DOC_NONE;
        int party = !year[0] &&
                    in_list(parts[1], party_issuers, sizeof party_issuers / sizeof *party_issuers);
        n = party ? snprintf(c, cap, "%s-%s/%s", num, parts[0], parts[1])
                  : snprintf(c, cap, "%s%s%s/%s-%s", num, year[0] ? "/" : "", year,
                             parts[0], parts[1]);
        for (size_t p = 2; p < np && n > 0 && (size_t)n < cap; p++)
            n += snprintf(c + n, cap - (size_t)n, "-%s", parts[p]);
        if (n <= 0 || (size_t)n >= cap) return DOC_NONE;
        d->kind = strncmp(parts[0], "NQ", 2) == 0 ? DOC_NQ : DOC_OTHER;
        return d->kind;
    }
    /* 202/2025/QH15: a year and an issuer, no kind; the issuer is letters
     * then digits (a National Assembly's term), or 7347/2020/ĐKSP-like
     * registration codes would pass for documents. */
    size_t nl = strspn(parts[0], "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    if (!year[0] || nl < 2 || parts[0][nl] == '\0' ||
        parts[0][nl + strspn(parts[0] + nl, "0123456789")] != '\0' || (strict && lower[0]))
        return DOC_NONE;
    n = snprintf(c, cap, "%s/%s/%s", num, year, parts[0]);
    for (size_t p = 1; p < np && n > 0 && (size_t)n < cap; p++)
        n += snprintf(c + n, cap - (size_t)n, "-%s", parts[p]);
    if (n <= 0 || (size_t)n >= cap) return DOC_NONE;
    d->kind = DOC_KINDLESS;
    return d->kind;
}

/* ------------------------------------------------------------------------
 * Prose: keywords and issuers.
 * ---------------------------------------------------------------------- */

/* Does the folded text at s[i] spell `pat` (lower-case ASCII; a space in pat
 * matches one or more spaces), ending on a word boundary? Returns the offset
 * past it, or 0. */
static size_t match_folded(const char *text, size_t len, size_t i, const char *pat) {
    const unsigned char *s = (const unsigned char *)text, *end = s + len;
    size_t j = i;
    while (*pat) {
        if (j >= len) return 0;
        uint32_t cp, lo, fo;
        int cls;
        size_t n = cs_utf8_next(s + j, end, &cp);
        cs_cp_info(cp, &lo, &fo, &cls);
        if (cls == CS_CH_MARK) {
            j += n;
            continue;
        }
        if (*pat == ' ') {
            if (cp != ' ' && cp != 0xA0 && cp != '\t') return 0;
            while (j < len && (s[j] == ' ' || s[j] == '\t')) j++;
            pat++;
            continue;
        }
        if (fo != (unsigned char)*pat) return 0;
        j += n;
        pat++;
    }
    if (j < len) {
        uint32_t cp, lo, fo;
        int cls;
        cs_utf8_next(s + j, end, &cp);
        cs_cp_info(cp, &lo, &fo, &cls);
        if (cls != CS_CH_OTHER) return 0;
    }
    return j;
}

/* Is the character before s[i] a letter or digit? */
static int letter_before(const char *text, size_t i) {
    const unsigned char *s = (const unsigned char *)text;
    if (i == 0) return 0;
    if (s[i - 1] < 0x80) return is_ascii_alnum(s[i - 1]);
    size_t k = i - 1;
    while (k > 0 && i - k < 4 && (s[k] & 0xC0) == 0x80) k--;
    uint32_t cp, lo, fo;
    int cls;
    cs_utf8_next(s + k, s + i, &cp);
    cs_cp_info(cp, &lo, &fo, &cls);
    return cls != CS_CH_OTHER;
}

enum { ISS_NONE, ISS_TW, ISS_CP, ISS_TU };

static const struct {
    const char *phrase;
    int issuer;
} issuers[] = {
    {"politburo", ISS_TW}, {"political bureau", ISS_TW},
    {"party central committee", ISS_TW}, {"central party committee", ISS_TW},
    {"central committee", ISS_TW}, {"party central", ISS_TW}, {"secretariat", ISS_TW},
    {"bo chinh tri", ISS_TW}, {"ban chap hanh trung uong", ISS_TW},
    {"bch trung uong", ISS_TW}, {"trung uong", ISS_TW}, {"ban bi thu", ISS_TW},
    {"government", ISS_CP}, {"central government", ISS_CP}, {"chinh phu", ISS_CP},
    {"provincial party committee", ISS_TU}, {"provincial party standing committee", ISS_TU},
    {"provincial party executive committee", ISS_TU}, {"city party committee", ISS_TU},
    {"municipal party committee", ISS_TU}, {"tinh uy", ISS_TU},
    {"ban thuong vu tinh uy", ISS_TU}, {"ban chap hanh dang bo tinh", ISS_TU},
    {"thanh uy", ISS_TU}, {"ban thuong vu thanh uy", ISS_TU},
};

/* Words allowed between a number and "of <issuer>": a date clause. */
static const char *const fillers[] = {
    "dated", "date", "ngay", "issued", "adopted", "promulgated", "signed", "on",
    "ban", "hanh", "nam", "thang", "january", "february", "march", "april", "may",
    "june", "july", "august", "september", "october", "november", "december",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
};

/* Normalise folded text into lower-case words separated by single spaces. */
static size_t words_only(const char *f, char *out, size_t cap) {
    size_t o = 0;
    int sp = 1;
    for (; *f && o + 1 < cap; f++) {
        char c = *f;
        if (is_ascii_alnum((unsigned char)c)) {
            out[o++] = c;
            sp = 0;
        } else if (c != '\'' && !sp) {
            out[o++] = ' ';
            sp = 1;
        }
    }
    while (o && out[o - 1] == ' ') o--;
    out[o] = '\0';
    return o;
}

static size_t word_len(const char *w) {
    const char *sp = strchr(w, ' ');
    return sp ? (size_t)(sp - w) : strlen(w);
}

static int word_is(const char *w, const char *x) {
    size_t n = word_len(w);
    return n == strlen(x) && strncmp(w, x, n) == 0;
}

static const char *next_word(const char *w) {
    const char *sp = strchr(w, ' ');
    return sp ? sp + 1 : NULL;
}

/* The issuer named at the start of words w ("the 13th Party Central
 * Committee ..."). */
static int issuer_at(const char *w) {
    while (w && (word_is(w, "the") || is_digit((unsigned char)*w))) w = next_word(w);
    if (!w) return ISS_NONE;
    int best = ISS_NONE;
    size_t best_len = 0;
    for (size_t i = 0; i < sizeof issuers / sizeof *issuers; i++) {
        size_t n = strlen(issuers[i].phrase);
        if (strncmp(w, issuers[i].phrase, n) == 0 && (w[n] == ' ' || w[n] == '\0') &&
            n > best_len) {
            best = issuers[i].issuer;
            best_len = n;
        }
    }
    return best;
}

/* The issuer named after a bare number ending at text[e]: "..., dated
 * December 22, 2024, of the Politburo", "của Bộ Chính trị". */
static int issuer_after(const char *text, size_t len, size_t e) {
    size_t stop = e;
    while (stop < len && stop - e < 160 && text[stop] != '\n' && text[stop] != ';' &&
           text[stop] != '(' && !(text[stop] == '.' && (stop + 1 >= len || text[stop + 1] == ' ')))
        stop++;
    char f[200], w[200];
    cs_fold_ascii(text + e, stop - e, f, sizeof f, NULL);
    words_only(f, w, sizeof w);
    for (const char *p = w[0] ? w : NULL; p; p = next_word(p)) {
        if (word_is(p, "of") || word_is(p, "cua") || word_is(p, "by") || word_is(p, "do"))
            return issuer_at(next_word(p) ? next_word(p) : "");
        int ok = is_digit((unsigned char)*p);
        for (size_t i = 0; !ok && i < sizeof fillers / sizeof *fillers; i++)
            ok = word_is(p, fillers[i]);
        if (!ok) return ISS_NONE;
    }
    return ISS_NONE;
}

/* The issuer whose name ends words w[0..n). */
static int tail_issuer(const char *w, size_t n) {
    static const struct {
        const char *tail;
        int issuer;
    } tails[] = {
        {"politburo", ISS_TW}, {"central committee", ISS_TW}, {"secretariat", ISS_TW},
        {"government", ISS_CP}, {"provincial party committee", ISS_TU},
        {"city party committee", ISS_TU},
    };
    for (size_t i = 0; i < sizeof tails / sizeof *tails; i++) {
        size_t t = strlen(tails[i].tail);
        if (n >= t && memcmp(w + n - t, tails[i].tail, t) == 0 && (n == t || w[n - t - 1] == ' '))
            return tails[i].issuer;
    }
    return ISS_NONE;
}

/* The issuer named just before a resolution keyword at text[k]: "the
 * Politburo's Resolution 57". */
static int issuer_before(const char *text, size_t k) {
    size_t b = k > 48 ? k - 48 : 0;
    for (size_t i = k; i > b; i--)
        if (text[i - 1] == '.' || text[i - 1] == ';' || text[i - 1] == '\n') {
            b = i;
            break;
        }
    /* Do not start inside a UTF-8 sequence. */
    while (b < k && ((unsigned char)text[b] & 0xC0) == 0x80) b++;
    char f[64], w[64];
    cs_fold_ascii(text + b, k - b, f, sizeof f, NULL);
    size_t n = words_only(f, w, sizeof w);
    /* words_only drops the apostrophe: "Politburo's" is "politburos". */
    int iss = tail_issuer(w, n);
    if (!iss && n && w[n - 1] == 's') iss = tail_issuer(w, n - 1);
    return iss;
}

/* A resolution keyword at text[i] followed by a number: returns the offset
 * of the number (and its prefix issuer in *iss), or 0. */
static size_t keyword_number(const char *text, size_t len, size_t i, int *iss) {
    size_t j = match_folded(text, len, i, "resolution");
    if (!j) j = match_folded(text, len, i, "nghi quyet");
    if (!j) return 0;
    while (j < len && (text[j] == ' ' || text[j] == '\t')) j++;
    size_t k = match_folded(text, len, j, "no");
    if (!k) k = match_folded(text, len, j, "so");
    if (!k) k = match_folded(text, len, j, "number");
    if (!k && j < len && text[j] == '#') k = j + 1;
    if (k) { /* "No. 57", "No.57", "số 57" */
        j = k;
        if (j < len && text[j] == '.') j++;
        while (j < len && (text[j] == ' ' || text[j] == '\t')) j++;
    }
    if (j >= len || !is_digit((unsigned char)text[j])) return 0;
    *iss = issuer_before(text, i);
    return j;
}

/* A bare resolution number at text[j] (after a keyword), completed with its
 * issuer, into out. Returns 0, or -1 when it is not a plausible number. */
static int bare_number(const char *text, size_t len, size_t j, int iss, char *out,
                       size_t cap, size_t *endp) {
    size_t e = j;
    while (e < len && is_digit((unsigned char)text[e])) e++;
    size_t nd = e - j;
    *endp = e;
    if (nd == 0 || nd > 5) return -1;
    if (e + 1 < len && (text[e] == '/' || text[e] == '-') &&
        is_ascii_alnum((unsigned char)text[e + 1]))
        return -1; /* a malformed code, not a bare number */
    if (e + 1 < len && (text[e] == '.' || text[e] == ',') && is_digit((unsigned char)text[e + 1]))
        return -1; /* 4.0, 1,5 */
    char num[8];
    memcpy(num, text + j, nd);
    num[nd] = '\0';
    int v = atoi(num);
    if (nd == 4 && v >= 1945 && v <= 2100) return -1; /* a year */
    if (iss == ISS_NONE) iss = issuer_after(text, len, e);
    switch (iss) {
    case ISS_TW: snprintf(out, cap, "%s-NQ/TW", num); break;
    case ISS_TU: snprintf(out, cap, "%s-NQ/TU", num); break;
    case ISS_CP: snprintf(out, cap, "%s/NQ-CP", num); break;
    default: snprintf(out, cap, "%s", num); break;
    }
    return 0;
}

/* ------------------------------------------------------------------------
 * Collecting.
 * ---------------------------------------------------------------------- */

typedef struct strlist {
    char **v;
    size_t n, cap;
} strlist;

static int list_add(strlist *l, const char *s) {
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0) return 0;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 8;
        char **nv = realloc(l->v, nc * sizeof *nv);
        if (!nv) return -1;
        l->v = nv;
        l->cap = nc;
    }
    if (!(l->v[l->n] = strdup(s))) return -1;
    l->n++;
    return 0;
}

static void list_free(strlist *l) {
    for (size_t i = 0; i < l->n; i++) free(l->v[i]);
    free(l->v);
}

/* Bytes that can start something: a digit, or the r/n of a keyword. */
static const unsigned char starts[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1,
    ['7'] = 1, ['8'] = 1, ['9'] = 1, ['r'] = 1, ['R'] = 1, ['n'] = 1, ['N'] = 1,
};

static int scan_text(const char *text, size_t len, strlist *res, strlist *docs) {
    size_t kw_num = (size_t)-1; /* offset of a number that follows a keyword */
    int kw_iss = ISS_NONE;
    const unsigned char *u = (const unsigned char *)text;
    for (size_t i = 0; i < len; i++) {
        while (i < len && !starts[u[i]]) i++;
        if (i >= len) break;
        unsigned char c = u[i];
        /* "re..." and "ngh..." only: a cheap test before the real one */
        if ((((c | 0x20) == 'r' && i + 1 < len && (text[i + 1] | 0x20) == 'e') ||
             ((c | 0x20) == 'n' && i + 2 < len && (text[i + 1] | 0x20) == 'g' &&
              (text[i + 2] | 0x20) == 'h')) &&
            !letter_before(text, i)) {
            int iss = ISS_NONE;
            size_t j = keyword_number(text, len, i, &iss);
            if (j) {
                kw_num = j;
                kw_iss = iss;
            }
            continue;
        }
        if (!is_digit(c) || (i > 0 && (letter_before(text, i) || text[i - 1] == '/' ||
                                       text[i - 1] == '-' || text[i - 1] == ',')))
            continue;
        docnum d;
        int kind = parse_docnum(text, len, i, 1, &d);
        int after_kw = i == kw_num;
        if (kind == DOC_NQ || (kind == DOC_KINDLESS && after_kw)) {
            if (list_add(res, d.canon)) return -1;
        } else if (kind != DOC_NONE) {
            if (list_add(docs, d.canon)) return -1;
        } else if (after_kw) {
            char b[32];
            size_t e;
            if (bare_number(text, len, i, kw_iss, b, sizeof b, &e) == 0 && list_add(res, b))
                return -1;
            d.end = e;
        } else {
            d.end = i + 1;
            while (d.end < len && is_digit((unsigned char)text[d.end])) d.end++;
        }
        i = d.end - 1;
    }
    return 0;
}

/* Numeric value of the leading digits of s. */
static long lead_number(const char *s) {
    long v = 0;
    for (; is_digit((unsigned char)*s) && v < 1000000; s++) v = v * 10 + (*s - '0');
    return v;
}

/* Drop bare numbers that the same article also gives in full. */
static void merge_bare(strlist *res) {
    size_t k = 0;
    for (size_t i = 0; i < res->n; i++) {
        const char *s = res->v[i];
        int bare = s[strspn(s, "0123456789")] == '\0';
        int dup = 0;
        for (size_t j = 0; bare && j < res->n && !dup; j++) {
            const char *t = res->v[j];
            dup = j != i && t[strspn(t, "0123456789")] != '\0' && lead_number(t) == lead_number(s);
        }
        if (dup) free(res->v[i]);
        else res->v[k++] = res->v[i];
    }
    res->n = k;
}

int cs_extract_resolutions(const char *title, const char *body, size_t body_len, cs_meta *m) {
    strlist res = {0}, docs = {0};
    if (cs_chars_ready() ||
        (title && scan_text(title, strlen(title), &res, &docs)) ||
        (body && scan_text(body, body_len, &res, &docs))) {
        list_free(&res);
        list_free(&docs);
        return -1;
    }
    merge_bare(&res);
    m->resolutions = res.v;
    m->nresolutions = res.n;
    m->documents = docs.v;
    m->ndocuments = docs.n;
    return 0;
}

long cs_resolution_normalize(const char *s, char *buf, size_t bufsize) {
    if (!s || !buf || bufsize == 0 || cs_chars_ready()) return -1;
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n')) len--;
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t')) i++;
    if (i == len) return -1;
    int iss = ISS_NONE;
    size_t j = keyword_number(s, len, i, &iss);
    if (!j) j = match_folded(s, len, i, "nq");
    if (j) {
        while (j < len && (s[j] == ' ' || s[j] == '\t' || s[j] == '.')) j++;
    } else {
        j = i;
    }
    if (j >= len || !is_digit((unsigned char)s[j])) return -1;
    char out[CANON_MAX];
    docnum d;
    int kind = parse_docnum(s, len, j, 0, &d);
    if (kind == DOC_NQ || kind == DOC_KINDLESS) {
        if (d.end != len) return -1;
        snprintf(out, sizeof out, "%s", d.canon);
    } else if (kind != DOC_NONE) {
        return -1;
    } else {
        size_t e;
        if (bare_number(s, len, j, iss, out, sizeof out, &e)) return -1;
        if (e != len && out[strspn(out, "0123456789")] == '\0')
            return -1; /* trailing words that named no issuer */
    }
    size_t n = strlen(out);
    if (n + 1 > bufsize) return -1;
    memcpy(buf, out, n + 1);
    return (long)n;
}
