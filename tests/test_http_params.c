/* test_http_params.c -- the daemon's input checks: query parameters of
 * /api/search and the page, dates, --listen addresses, URL encoding. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "server.h"

/* Build cs_params from "k=v" strings (pointers into the literals). */
static cs_params make(size_t n, const char *const *kv, char store[][2048])
{
    cs_params p = {0};
    for (size_t i = 0; i < n; i++) {
        strcpy(store[i], kv[i]);
        char *eq = strchr(store[i], '=');
        if (eq)
            *eq++ = '\0';
        p.key[p.n] = store[i];
        p.val[p.n++] = eq ? eq : "";
    }
    return p;
}

/* Parse and return the error (or "" when accepted). */
static const char *parse(size_t n, const char *const *kv, int strict, cs_search_params *out)
{
    static char err[512];
    static char store[CS_MAX_PARAMS][2048];
    cs_params p = make(n, kv, store);
    cs_search_params tmp;
    err[0] = '\0';
    if (cs_parse_search_params(&p, strict, out ? out : &tmp, err, sizeof err) == 0)
        return "";
    return err;
}

#define PARSE(strict, ...)                                                       \
    parse(sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *),         \
          (const char *[]){__VA_ARGS__}, (strict), NULL)

static void test_defaults_and_paging(void **state)
{
    (void)state;
    char store[4][2048];
    const char *kv[] = {"q=bac giang", "page=3", "per_page=20", "facets=1"};
    cs_params p = make(4, kv, store);
    cs_search_params sp;
    char err[256];
    assert_int_equal(cs_parse_search_params(&p, 1, &sp, err, sizeof err), 0);
    assert_string_equal(sp.req.query, "bac giang");
    assert_int_equal(sp.req.offset, 40);
    assert_int_equal(sp.req.limit, 20);
    assert_int_equal(sp.req.facets, 1);
    assert_int_equal(sp.req.sort_by_date, 0);

    const char *none[] = {"q="};
    p = make(1, none, store);
    assert_int_equal(cs_parse_search_params(&p, 1, &sp, err, sizeof err), 0);
    assert_null(sp.req.query);          /* empty q browses */
    assert_int_equal(sp.page, 1);
    assert_int_equal(sp.req.limit, 10);
    assert_int_equal(sp.req.offset, 0);
}

static void test_repeated_filters_collect(void **state)
{
    (void)state;
    char store[5][2048];
    const char *kv[] = {"province=Bắc Giang", "province=", "province=Hà Nội",
                        "resolution=57-NQ/TW", "sort=date"};
    cs_params p = make(5, kv, store);
    cs_search_params sp;
    char err[256];
    assert_int_equal(cs_parse_search_params(&p, 1, &sp, err, sizeof err), 0);
    assert_int_equal(sp.req.nprovinces, 2);   /* the empty one is ignored */
    assert_string_equal(sp.req.provinces[1], "Hà Nội");
    assert_int_equal(sp.req.nresolutions, 1);
    assert_int_equal(sp.req.sort_by_date, 1);
}

static void test_bad_values_name_the_parameter(void **state)
{
    (void)state;
    assert_non_null(strstr(PARSE(1, "page=0"), "'page'"));
    assert_non_null(strstr(PARSE(1, "page=-1"), "'page'"));
    assert_non_null(strstr(PARSE(1, "page=1e3"), "'page'"));
    assert_non_null(strstr(PARSE(1, "page=99999999999"), "'page'"));
    assert_non_null(strstr(PARSE(1, "per_page=101"), "'per_page'"));
    assert_string_equal(PARSE(1, "per_page="), "");   /* empty: the default */
    assert_non_null(strstr(PARSE(1, "page=101", "per_page=100"), "too deep"));
    assert_string_equal(PARSE(1, "page=100", "per_page=100"), "");
    assert_non_null(strstr(PARSE(1, "lang=fr"), "'lang'"));
    assert_non_null(strstr(PARSE(1, "sort=best"), "'sort'"));
    assert_non_null(strstr(PARSE(1, "facets=yes"), "'facets'"));
    assert_non_null(strstr(PARSE(1, "from=2023-1-1"), "'from'"));
    assert_non_null(strstr(PARSE(1, "to=2023-02-29"), "'to'"));
    assert_string_equal(PARSE(1, "to=2024-02-29"), "");
    assert_non_null(strstr(PARSE(1, "q=a", "q=b"), "more than once"));
    assert_non_null(strstr(PARSE(1, "q=\xff"), "UTF-8"));
    assert_non_null(strstr(PARSE(1, "province=\xc3"), "UTF-8"));
}

static void test_unknown_parameters_strict_only(void **state)
{
    (void)state;
    assert_non_null(strstr(PARSE(1, "q=a", "utm_source=x"), "unknown parameter 'utm_source'"));
    assert_string_equal(PARSE(0, "q=a", "utm_source=x"), "");
    /* ... but a bad known value is an error on the page too */
    assert_non_null(strstr(PARSE(0, "q=a", "page=x"), "'page'"));
}

static void test_limits(void **state)
{
    (void)state;
    char q[CS_MAX_QUERY_BYTES + 8];
    memset(q, 'a', sizeof q);
    memcpy(q, "q=", 2);
    q[CS_MAX_QUERY_BYTES + 2] = '\0';            /* exactly the limit */
    const char *ok[] = {q};
    assert_string_equal(parse(1, ok, 1, NULL), "");
    q[CS_MAX_QUERY_BYTES + 2] = 'a';
    q[CS_MAX_QUERY_BYTES + 3] = '\0';            /* one byte over */
    assert_non_null(strstr(parse(1, ok, 1, NULL), "too long"));

    const char *many[CS_MAX_FILTER_VALUES + 1];
    for (size_t i = 0; i <= CS_MAX_FILTER_VALUES; i++)
        many[i] = "province=x";
    assert_string_equal(parse(CS_MAX_FILTER_VALUES, many, 1, NULL), "");
    assert_non_null(strstr(parse(CS_MAX_FILTER_VALUES + 1, many, 1, NULL), "too many"));

    cs_params p = {.too_many = 1};
    cs_search_params sp;
    char err[128];
    assert_int_equal(cs_parse_search_params(&p, 0, &sp, err, sizeof err), -1);
}

static void test_valid_date(void **state)
{
    (void)state;
    assert_true(cs_valid_date("2023"));
    assert_true(cs_valid_date("2023-12"));
    assert_true(cs_valid_date("2000-02-29"));
    assert_false(cs_valid_date("1900-02-29"));
    assert_false(cs_valid_date("2023-00"));
    assert_false(cs_valid_date("2023-04-31"));
    assert_false(cs_valid_date("20230101"));
    assert_false(cs_valid_date("2023-1"));
    assert_false(cs_valid_date(""));
    assert_false(cs_valid_date("abcd"));
}

static void test_parse_listen(void **state)
{
    (void)state;
    char host[64];
    unsigned port;
    assert_int_equal(cs_server_parse_listen("127.0.0.1:8080", host, sizeof host, &port), 0);
    assert_string_equal(host, "127.0.0.1");
    assert_int_equal(port, 8080);
    assert_int_equal(cs_server_parse_listen(":0", host, sizeof host, &port), 0);
    assert_string_equal(host, "127.0.0.1");
    assert_int_equal(port, 0);
    assert_int_equal(cs_server_parse_listen("9000", host, sizeof host, &port), 0);
    assert_string_equal(host, "127.0.0.1");
    assert_int_equal(cs_server_parse_listen("[::1]:8081", host, sizeof host, &port), 0);
    assert_string_equal(host, "::1");
    assert_int_equal(port, 8081);
    assert_int_equal(cs_server_parse_listen("localhost:80", host, sizeof host, &port), 0);
    assert_string_equal(host, "localhost");
    assert_int_equal(cs_server_parse_listen("host:", host, sizeof host, &port), -1);
    assert_int_equal(cs_server_parse_listen("host:http", host, sizeof host, &port), -1);
    assert_int_equal(cs_server_parse_listen("host:65536", host, sizeof host, &port), -1);
    assert_int_equal(cs_server_parse_listen("[::1]8080", host, sizeof host, &port), -1);
    assert_int_equal(cs_server_parse_listen("", host, sizeof host, &port), -1);
}

static void test_urlenc(void **state)
{
    (void)state;
    cs_buf b = {0};
    cs_buf_append_urlenc(&b, "Bắc Giang & \"x\"/<y>", 0);
    assert_string_equal(cs_buf_cstr(&b), "B%E1%BA%AFc+Giang+%26+%22x%22%2F%3Cy%3E");
    cs_buf_reset(&b);
    cs_buf_append_urlenc(&b, "en/a b?c", 1);
    assert_string_equal(cs_buf_cstr(&b), "en/a%20b%3Fc");
    cs_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_and_paging),
        cmocka_unit_test(test_repeated_filters_collect),
        cmocka_unit_test(test_bad_values_name_the_parameter),
        cmocka_unit_test(test_unknown_parameters_strict_only),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_valid_date),
        cmocka_unit_test(test_parse_listen),
        cmocka_unit_test(test_urlenc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
