/* test_strbuf.c -- the growable string buffer. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

static void test_append_and_release(void **state)
{
    (void)state;
    cs_buf b = {0};
    assert_string_equal(cs_buf_cstr(&b), "");
    cs_buf_puts(&b, "Bắc");
    cs_buf_putc(&b, ' ');
    cs_buf_append(&b, "Giang province", 5);
    assert_int_equal(b.len, strlen("Bắc Giang"));
    char *s = cs_buf_release(&b);
    assert_string_equal(s, "Bắc Giang");
    assert_null(b.p);
    assert_int_equal(b.len, 0);
    free(s);
}

static void test_growth_over_many_appends(void **state)
{
    (void)state;
    cs_buf b = {0};
    for (int i = 0; i < 10000; i++)
        cs_buf_printf(&b, "%d,", i % 10);
    assert_int_equal(b.len, 20000);
    assert_memory_equal(b.p + 19996, "8,9,", 4);
    assert_false(b.oom);
    cs_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(cs_buf_cstr(&b), "");
    cs_buf_free(&b);
}

static void test_printf_longer_than_small_buffer(void **state)
{
    (void)state;
    cs_buf b = {0};
    char big[1000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    cs_buf_printf(&b, "<%s>", big);
    assert_int_equal(b.len, 1001);
    assert_int_equal(b.p[0], '<');
    assert_int_equal(b.p[1000], '>');
    cs_buf_free(&b);
}

static void test_html_escaping(void **state)
{
    (void)state;
    cs_buf b = {0};
    const char *in = "<script>alert('x&y')</script> \"Hà Nội\"";
    cs_buf_append_html(&b, in, strlen(in));
    assert_string_equal(cs_buf_cstr(&b),
        "&lt;script&gt;alert(&#39;x&amp;y&#39;)&lt;/script&gt; &quot;Hà Nội&quot;");
    cs_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_and_release),
        cmocka_unit_test(test_growth_over_many_appends),
        cmocka_unit_test(test_printf_longer_than_small_buffer),
        cmocka_unit_test(test_html_escaping),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
