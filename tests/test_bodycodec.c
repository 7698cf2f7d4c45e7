/* test_bodycodec.c -- bodies compressed with a trained dictionary. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bodycodec.h"

#define NSAMPLES 400

static const char *const sentences[] = {
    "Ủy ban nhân dân tỉnh Bắc Giang vừa ban hành kế hoạch thực hiện Nghị quyết 57-NQ/TW. ",
    "Theo báo cáo của Sở Tài chính, tổng vốn đầu tư công năm nay đạt ",
    "The provincial People's Committee approved the digital transformation plan. ",
    "Giá vàng trong nước hôm nay tăng mạnh theo đà thế giới. ",
    "Hội đồng nhân dân thành phố Hà Nội thông qua nghị quyết về phát triển giao thông. ",
    "Người dân các xã vùng sâu đã được hỗ trợ kịp thời sau bão. ",
};

/* Sample i: sentences chosen by a fixed generator, with numbers. */
static char *make_sample(unsigned i, unsigned seed, size_t *len)
{
    char *b = malloc(4096);
    size_t n = 0;
    uint32_t x = i * 2654435761u + seed;
    while (n < 3000) {
        x = x * 1103515245u + 12345u;
        const char *s = sentences[(x >> 16) % 6];
        n += (size_t)snprintf(b + n, 4096 - n, "%s%u. ", s, (x >> 8) % 100000);
    }
    *len = n;
    return b;
}

typedef struct corpus {
    char *s[NSAMPLES];
    size_t len[NSAMPLES];
} corpus;

static void make_corpus(corpus *c, unsigned seed)
{
    for (unsigned i = 0; i < NSAMPLES; i++)
        c->s[i] = make_sample(i, seed, &c->len[i]);
}

static void free_corpus(corpus *c)
{
    for (unsigned i = 0; i < NSAMPLES; i++)
        free(c->s[i]);
}

static cs_codec *trained(const corpus *c)
{
    char *dict;
    size_t dlen;
    assert_int_equal(cs_codec_train((const char *const *)c->s, c->len, NSAMPLES, &dict, &dlen), 0);
    assert_true(dlen > 0 && dlen <= CS_ZDICT_BYTES);
    cs_codec *k = cs_codec_new(dict, dlen);
    free(dict);
    assert_non_null(k);
    assert_true(cs_codec_has_dict(k));
    return k;
}

static void test_round_trip_with_dictionary(void **state)
{
    (void)state;
    corpus c;
    make_corpus(&c, 1);
    cs_codec *k = trained(&c);
    size_t total = 0, packed = 0;
    for (unsigned i = 0; i < NSAMPLES; i += 37) {
        char *z, *back;
        size_t zl, bl;
        assert_int_equal(cs_codec_pack(k, c.s[i], c.len[i], &z, &zl), 0);
        assert_memory_equal(z, "\x28\xB5\x2F\xFD", 4);
        assert_int_equal(cs_codec_unpack(k, z, zl, &back, &bl), 0);
        assert_int_equal(bl, c.len[i]);
        assert_memory_equal(back, c.s[i], bl);
        assert_int_equal(back[bl], '\0');
        total += c.len[i];
        packed += zl;
        free(z);
        free(back);
    }
    assert_true(packed * 4 < total);   /* repetitive text: far under a quarter */
    cs_codec_free(k);
    free_corpus(&c);
}

static void test_raw_without_dictionary(void **state)
{
    (void)state;
    cs_codec *raw = cs_codec_new(NULL, 0);
    assert_non_null(raw);
    assert_false(cs_codec_has_dict(raw));
    const char *body = "(a body that starts with a parenthesis)";
    char *z, *back;
    size_t zl, bl;
    assert_int_equal(cs_codec_pack(raw, body, strlen(body), &z, &zl), 0);
    assert_int_equal(zl, strlen(body));
    assert_memory_equal(z, body, zl);
    assert_int_equal(cs_codec_unpack(raw, z, zl, &back, &bl), 0);
    assert_string_equal(back, body);
    free(z);
    free(back);
    /* NULL codec: raw too; an empty body is fine. */
    assert_int_equal(cs_codec_pack(NULL, "", 0, &z, &zl), 0);
    assert_int_equal(zl, 0);
    assert_int_equal(cs_codec_unpack(NULL, z, zl, &back, &bl), 0);
    assert_string_equal(back, "");
    free(z);
    free(back);
    cs_codec_free(raw);
}

static void test_unreadable_bodies_are_errors(void **state)
{
    (void)state;
    corpus c, other;
    make_corpus(&c, 1);
    make_corpus(&other, 99);
    cs_codec *k = trained(&c), *k2 = trained(&other), *raw = cs_codec_new(NULL, 0);
    char *z, *back = NULL;
    size_t zl, bl;
    assert_int_equal(cs_codec_pack(k, c.s[3], c.len[3], &z, &zl), 0);
    /* Compressed, but no dictionary or another one: errno EINVAL (not
     * ENOMEM, which a searcher does not take for damage). */
#define UNREADABLE(codec, len)                                              \
    do {                                                                    \
        errno = 0;                                                          \
        assert_int_equal(cs_codec_unpack(codec, z, len, &back, &bl), -1);   \
        assert_int_equal(errno, EINVAL);                                    \
    } while (0)
    UNREADABLE(raw, zl);
    UNREADABLE(NULL, zl);
    UNREADABLE(k2, zl);
    assert_null(back);
    /* Damaged: the checksum catches it; truncated likewise. */
    z[zl / 2] ^= 0x5a;
    UNREADABLE(k, zl);
    z[zl / 2] ^= 0x5a;
    UNREADABLE(k, zl - 3);
    UNREADABLE(k, 4);
#undef UNREADABLE
    assert_int_equal(cs_codec_unpack(k, z, zl, &back, &bl), 0);
    free(back);
    free(z);
    /* Not a dictionary. */
    assert_null(cs_codec_new("not a dictionary at all", 23));
    cs_codec_free(k);
    cs_codec_free(k2);
    cs_codec_free(raw);
    free_corpus(&c);
    free_corpus(&other);
}

static void test_too_little_to_train(void **state)
{
    (void)state;
    corpus c;
    make_corpus(&c, 1);
    char *dict = (char *)1;
    size_t dlen = 1;
    assert_int_equal(cs_codec_train((const char *const *)c.s, c.len, 10, &dict, &dlen), -1);
    assert_null(dict);
    assert_int_equal(dlen, 0);
    free_corpus(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_with_dictionary),
        cmocka_unit_test(test_raw_without_dictionary),
        cmocka_unit_test(test_unreadable_bodies_are_errors),
        cmocka_unit_test(test_too_little_to_train),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
