/* params.c -- validating query-string parameters for the API and the page.
 *
 * Everything a client sends is checked here before it reaches the engine,
 * so a client's mistake is always a 400 naming the parameter, never a 500.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "text.h"

const char *cs_params_get(const cs_params *p, const char *key)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->key[i], key) == 0)
            return p->val[i];
    return NULL;
}

static int is_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

int cs_valid_date(const char *s)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    size_t n = strlen(s);
    if ((n != 4 && n != 7 && n != 10) || !is_digits(s, 4))
        return 0;
    if (n == 4)
        return 1;
    if (s[4] != '-' || !is_digits(s + 5, 2))
        return 0;
    int month = (s[5] - '0') * 10 + (s[6] - '0');
    if (month < 1 || month > 12)
        return 0;
    if (n == 7)
        return 1;
    if (s[7] != '-' || !is_digits(s + 8, 2))
        return 0;
    int day = (s[8] - '0') * 10 + (s[9] - '0');
    int year = atoi(s);
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    int max = month == 2 && !leap ? 28 : mdays[month - 1];
    return day >= 1 && day <= max;
}

/* A positive whole number no larger than max; -1 if it is not one. */
static long parse_positive(const char *s, long max)
{
    size_t n = strlen(s);
    if (n == 0 || n > 9 || !is_digits(s, n))
        return -1;
    long v = strtol(s, NULL, 10);
    return v < 1 || v > max ? -1 : v;
}

static const char *const single_keys[] = {"q", "from", "to", "lang", "sort",
                                          "page", "per_page", "facets", "hl",
                                          "synonyms", "collapse"};

/* A 0/1 switch: *flag = 1 for "1"/"true"/"", 0 for "0"/"false". */
static int parse_switch(const char *key, const char *v, int *flag, char *err, size_t errlen)
{
    if (!*v || strcmp(v, "1") == 0 || strcmp(v, "true") == 0)
        *flag = 1;
    else if (strcmp(v, "0") == 0 || strcmp(v, "false") == 0)
        *flag = 0;
    else {
        snprintf(err, errlen, "parameter '%s' must be 1 or 0", key);
        return -1;
    }
    return 0;
}

static int is_single_key(const char *k)
{
    for (size_t i = 0; i < sizeof single_keys / sizeof *single_keys; i++)
        if (strcmp(k, single_keys[i]) == 0)
            return 1;
    return 0;
}

/* First pass: every value is UTF-8, no single-valued key repeats, unknown
 * keys are rejected when strict, filter lists fit. */
static int check_keys(const cs_params *p, int strict, cs_search_params *out,
                      char *err, size_t errlen)
{
    if (p->too_many) {
        snprintf(err, errlen, "too many parameters (at most %d)", CS_MAX_PARAMS);
        return -1;
    }
    for (size_t i = 0; i < p->n; i++) {
        const char *k = p->key[i], *v = p->val[i];
        if (!cs_utf8_valid(k, strlen(k)) || !cs_utf8_valid(v, strlen(v))) {
            snprintf(err, errlen, "parameter '%.40s' is not valid UTF-8",
                     cs_utf8_valid(k, strlen(k)) ? k : "?");
            return -1;
        }
        int prov = strcmp(k, "province") == 0, res = strcmp(k, "resolution") == 0;
        if (prov || res) {
            size_t *n = prov ? &out->req.nprovinces : &out->req.nresolutions;
            const char **list = prov ? out->req.provinces : out->req.resolutions;
            if (!*v)
                continue;   /* an empty form field filters nothing */
            if (strlen(v) > 200) {
                snprintf(err, errlen, "parameter '%s' is too long (at most 200 bytes)", k);
                return -1;
            }
            if (*n == CS_MAX_FILTER_VALUES) {
                snprintf(err, errlen, "too many '%s' values (at most %d)", k,
                         CS_MAX_FILTER_VALUES);
                return -1;
            }
            list[(*n)++] = v;
        } else if (is_single_key(k)) {
            for (size_t j = 0; j < i; j++)
                if (strcmp(p->key[j], k) == 0) {
                    snprintf(err, errlen, "parameter '%s' is given more than once", k);
                    return -1;
                }
        } else if (strict) {
            /* The list comes from single_keys, so it cannot go stale. */
            char known[256] = "province, resolution";
            for (size_t j = 0; j < sizeof single_keys / sizeof *single_keys; j++)
                snprintf(known + strlen(known), sizeof known - strlen(known), ", %s",
                         single_keys[j]);
            snprintf(err, errlen, "unknown parameter '%.40s' (known: %s)", k, known);
            return -1;
        }
    }
    return 0;
}

/* Second pass: the values of the single-valued keys. */
static int check_values(const cs_params *p, cs_search_params *out, char *err,
                        size_t errlen)
{
    const char *v;
    cs_search_req *rq = &out->req;
    if ((v = cs_params_get(p, "q")) && strlen(v) > CS_MAX_QUERY_BYTES) {
        snprintf(err, errlen, "parameter 'q' is too long (%zu bytes; at most %d)",
                 strlen(v), CS_MAX_QUERY_BYTES);
        return -1;
    }
    rq->query = v && *v ? v : NULL;
    const char *dates[2] = {cs_params_get(p, "from"), cs_params_get(p, "to")};
    for (int i = 0; i < 2; i++) {
        if (dates[i] && *dates[i] && !cs_valid_date(dates[i])) {
            snprintf(err, errlen, "parameter '%s' is not a date (use YYYY-MM-DD, "
                     "YYYY-MM or YYYY)", i ? "to" : "from");
            return -1;
        }
        if (dates[i] && !*dates[i])
            dates[i] = NULL;
    }
    rq->from = dates[0];
    rq->to = dates[1];
    if ((v = cs_params_get(p, "lang")) && *v) {
        if (strcmp(v, "vi") != 0 && strcmp(v, "en") != 0) {
            snprintf(err, errlen, "parameter 'lang' must be 'vi' or 'en'");
            return -1;
        }
        rq->lang = v;
    }
    out->sort = "relevance";
    if ((v = cs_params_get(p, "sort")) && *v) {
        if (strcmp(v, "relevance") != 0 && strcmp(v, "date") != 0) {
            snprintf(err, errlen, "parameter 'sort' must be 'relevance' or 'date'");
            return -1;
        }
        out->sort = v;
        rq->sort_by_date = strcmp(v, "date") == 0;
    }
    if ((v = cs_params_get(p, "hl")) && *v) {
        if (strcmp(v, "vi") != 0 && strcmp(v, "en") != 0) {
            snprintf(err, errlen, "parameter 'hl' must be 'vi' or 'en'");
            return -1;
        }
        out->hl = v;
    }
    /* The 0/1 switches, with their defaults. */
    int synonyms = 1, collapse = 1, facets = 0;
    const struct { const char *key; int *flag; } sw[] = {
        {"synonyms", &synonyms}, {"collapse", &collapse}, {"facets", &facets}};
    for (size_t i = 0; i < sizeof sw / sizeof *sw; i++)
        if ((v = cs_params_get(p, sw[i].key)) && parse_switch(sw[i].key, v, sw[i].flag, err, errlen) < 0)
            return -1;
    rq->no_synonyms = !synonyms;
    rq->no_collapse = !collapse;
    rq->facets = facets;
    return 0;
}

/* page and per_page -> offset and limit, within the depth limit. */
static int check_paging(const cs_params *p, cs_search_params *out, char *err,
                        size_t errlen)
{
    const char *v;
    long page = 1, per = 10;
    if ((v = cs_params_get(p, "page")) && *v && (page = parse_positive(v, 1000000)) < 0) {
        snprintf(err, errlen, "parameter 'page' must be a whole number from 1");
        return -1;
    }
    if ((v = cs_params_get(p, "per_page")) && *v &&
        (per = parse_positive(v, CS_MAX_PER_PAGE)) < 0) {
        snprintf(err, errlen, "parameter 'per_page' must be a whole number from 1 to %d",
                 CS_MAX_PER_PAGE);
        return -1;
    }
    if (page * per > CS_MAX_DEPTH) {
        snprintf(err, errlen, "parameter 'page' is too deep: only the first %d results "
                 "can be paged through; narrow the search instead", CS_MAX_DEPTH);
        return -1;
    }
    out->page = (unsigned)page;
    out->per_page = (unsigned)per;
    out->req.offset = (unsigned)((page - 1) * per);
    out->req.limit = (unsigned)per;
    return 0;
}

int cs_parse_search_params(const cs_params *p, int strict,
                           cs_search_params *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (check_keys(p, strict, out, err, errlen) < 0 ||
        check_values(p, out, err, errlen) < 0 ||
        check_paging(p, out, err, errlen) < 0)
        return -1;
    return 0;
}

void cs_buf_append_urlenc(cs_buf *b, const char *s, int path)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9') || strchr("-_.~", *p) || (path && *p == '/')) {
            cs_buf_putc(b, (char)*p);
        } else if (*p == ' ' && !path) {
            cs_buf_putc(b, '+');
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            cs_buf_append(b, e, 3);
        }
    }
}
