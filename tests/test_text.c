/* test_text.c -- unit tests for text.c: cleaning raw bytes into NFC UTF-8,
 * UTF-8 validation and binary detection. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

#define FFFD "\xEF\xBF\xBD"

/* Clean `in` (len bytes) and check the result is exactly `want`. Returns
 * the report for further checks. */
static cs_clean_report clean_expect(const char *in, size_t len,
                                    const char *want)
{
    cs_clean_report rep;
    size_t n = 12345;
    char *out;

    memset(&rep, 0xAA, sizeof rep);
    out = cs_text_clean(in, len, &n, &rep);
    assert_non_null(out);
    assert_string_equal(out, want);
    assert_int_equal(n, strlen(want));
    assert_int_equal(out[n], '\0');
    free(out);
    return rep;
}

#define CLEAN(lit, want) clean_expect((lit), sizeof(lit) - 1, (want))

static void test_plain_ascii_unchanged(void **state)
{
    (void)state;
    cs_clean_report rep = CLEAN("Hello, world.\n\tIndented line\n",
                                "Hello, world.\n\tIndented line\n");
    assert_int_equal(rep.invalid_sequences, 0);
    assert_int_equal(rep.control_chars, 0);
    assert_false(rep.had_bom);
    assert_false(rep.had_crlf);
    assert_false(rep.changed_by_nfc);
}

static void test_empty_input(void **state)
{
    (void)state;
    size_t n = 99;
    char *out = cs_text_clean("", 0, &n, NULL);
    assert_non_null(out);
    assert_int_equal(n, 0);
    assert_string_equal(out, "");
    free(out);
    /* out_len may be NULL too */
    out = cs_text_clean("x", 1, NULL, NULL);
    assert_string_equal(out, "x");
    free(out);
}

static void test_bom_dropped(void **state)
{
    (void)state;
    cs_clean_report rep = CLEAN("\xEF\xBB\xBFTitle\nBody", "Title\nBody");
    assert_true(rep.had_bom);
    assert_int_equal(rep.invalid_sequences, 0);
    /* a BOM inside the text is a zero width no-break space: removed */
    rep = CLEAN("ab\xEF\xBB\xBF" "cd", "abcd");
    assert_false(rep.had_bom);
    /* only one leading BOM is dropped as such */
    rep = CLEAN("\xEF\xBB\xBF\xEF\xBB\xBFx", "x");
    assert_true(rep.had_bom);
}

static void test_crlf_and_cr(void **state)
{
    (void)state;
    cs_clean_report rep = CLEAN("a\r\nb\rc\n\r\nd\r", "a\nb\nc\n\nd\n");
    assert_true(rep.had_crlf);
    assert_int_equal(rep.control_chars, 0);
    rep = CLEAN("a\nb", "a\nb");
    assert_false(rep.had_crlf);
}

/* Unicode 15, Table 3-8: one U+FFFD per maximal subpart. */
static void test_invalid_utf8_maximal_subpart(void **state)
{
    (void)state;
    cs_clean_report rep = CLEAN(
        "\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64",
        "a" FFFD FFFD FFFD "b" FFFD "c" FFFD FFFD "d");
    assert_int_equal(rep.invalid_sequences, 6);
    assert_int_equal(rep.first_invalid_offset, 1);
}

static void test_invalid_utf8_kinds(void **state)
{
    (void)state;
    cs_clean_report rep;

    rep = CLEAN("x\xC0\xAFy", "x" FFFD FFFD "y");          /* overlong / */
    assert_int_equal(rep.invalid_sequences, 2);
    assert_int_equal(rep.first_invalid_offset, 1);
    CLEAN("\xE0\x80\xAF", FFFD FFFD FFFD);                  /* overlong */
    CLEAN("\xF0\x80\x80\xAF", FFFD FFFD FFFD FFFD);         /* overlong */
    CLEAN("\xED\xA0\x80", FFFD FFFD FFFD);                  /* surrogate */
    CLEAN("\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD);         /* > U+10FFFF */
    CLEAN("\xF5\xFF\xFE", FFFD FFFD FFFD);
    rep = CLEAN("ab\xE2\x82", "ab" FFFD);           /* truncated at end */
    assert_int_equal(rep.invalid_sequences, 1);
    assert_int_equal(rep.first_invalid_offset, 2);
    CLEAN("\xE2\x82 x", FFFD " x");                 /* truncated mid-text */
    /* Latin-1 bytes in otherwise UTF-8 text */
    rep = CLEAN("caf\xE9 au lait", "caf" FFFD " au lait");
    assert_int_equal(rep.invalid_sequences, 1);
    assert_int_equal(rep.first_invalid_offset, 3);
    /* valid 4-byte and boundary code points survive */
    rep = CLEAN("\xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF \xEF\xBF\xBD",
                "\xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF \xEF\xBF\xBD");
    assert_int_equal(rep.invalid_sequences, 0);
}

/* Many invalid bytes triple the size: the output buffer must grow. */
static void test_invalid_bytes_grow_output(void **state)
{
    (void)state;
    size_t n = 5000;
    char *in = malloc(n), *want = malloc(3 * n + 1);
    assert_non_null(in);
    assert_non_null(want);
    memset(in, 0xFF, n);
    for (size_t i = 0; i < n; i++)
        memcpy(want + 3 * i, FFFD, 3);
    want[3 * n] = '\0';
    cs_clean_report rep = clean_expect(in, n, want);
    assert_int_equal(rep.invalid_sequences, n);
    free(in);
    free(want);
}

static void test_controls_removed(void **state)
{
    (void)state;
    cs_clean_report rep;

    rep = CLEAN("word\0glued", "word glued");       /* space keeps words */
    assert_int_equal(rep.control_chars, 1);
    assert_int_equal(rep.first_control_offset, 4);
    rep = CLEAN("a\x01\x02\x1B" "b", "a b");         /* one space per run */
    assert_int_equal(rep.control_chars, 3);
    CLEAN("a \x01" "b", "a b");                     /* no double space */
    CLEAN("a\x01 b", "a b");
    CLEAN("\x01\x02start", "start");                /* nothing to separate */
    CLEAN("end\x7F", "end");                        /* DEL at the end */
    CLEAN("line\x0C\nnext", "line\nnext");          /* form feed */
    rep = CLEAN("x\xC2\x85y\xC2\x9F", "x y");        /* C1 controls */
    assert_int_equal(rep.control_chars, 2);
    assert_int_equal(rep.first_control_offset, 1);
    assert_int_equal(rep.invalid_sequences, 0);
    /* U+00A0 is not a control: kept */
    CLEAN("a\xC2\xA0" "b", "a\xC2\xA0" "b");
}

static void test_invisible_removed(void **state)
{
    (void)state;
    cs_clean_report rep;

    rep = CLEAN("zero\xE2\x80\x8Bwidth", "zerowidth");      /* U+200B */
    assert_int_equal(rep.control_chars, 0);
    CLEAN("word\xE2\x81\xA0joiner", "wordjoiner");          /* U+2060 */
    CLEAN("soft\xC2\xADhyphen", "softhyphen");              /* U+00AD */
    /* ZWJ and ZWNJ carry meaning in some scripts: kept */
    CLEAN("a\xE2\x80\x8D" "b\xE2\x80\x8C" "c",
          "a\xE2\x80\x8D" "b\xE2\x80\x8C" "c");
}

static void test_apostrophe(void **state)
{
    (void)state;
    CLEAN("Vietnam\xE2\x80\x99s strongest", "Vietnam's strongest");
    CLEAN("Vi\xE1\xBB\x87t\xE2\x80\x99s", "Vi\xE1\xBB\x87t's");
    /* not between two letters: a closing quote, left alone */
    CLEAN("\xE2\x80\x98quoted\xE2\x80\x99 text",
          "\xE2\x80\x98quoted\xE2\x80\x99 text");
    CLEAN("\xE2\x80\x99s", "\xE2\x80\x99s");
    CLEAN("90\xE2\x80\x99s", "90\xE2\x80\x99s");
    CLEAN("end\xE2\x80\x99", "end\xE2\x80\x99");
}

static void test_nfc(void **state)
{
    (void)state;
    cs_clean_report rep;

    /* "Việt" decomposed: e + U+0323 + U+0302 -> U+1EC7 */
    rep = CLEAN("Vie\xCC\xA3\xCC\x82t Nam", "Vi\xE1\xBB\x87t Nam");
    assert_true(rep.changed_by_nfc);
    /* other order of the same marks: canonically equivalent */
    rep = CLEAN("Vie\xCC\x82\xCC\xA3t", "Vi\xE1\xBB\x87t");
    assert_true(rep.changed_by_nfc);
    /* already NFC Vietnamese */
    rep = CLEAN("Th\xC3\xA0nh ph\xE1\xBB\x91 H\xE1\xBB\x93 Ch\xC3\xAD Minh",
                "Th\xC3\xA0nh ph\xE1\xBB\x91 H\xE1\xBB\x93 Ch\xC3\xAD Minh");
    assert_false(rep.changed_by_nfc);
    /* Latin-1 range only, no ICU needed, still NFC */
    rep = CLEAN("caf\xC3\xA9", "caf\xC3\xA9");
    assert_false(rep.changed_by_nfc);
    /* decomposed text after a removed control still composes */
    CLEAN("A\x01" "a\xCC\x80", "A \xC3\xA0");
    /* a removed zero width space between a letter and its mark */
    CLEAN("e\xE2\x80\x8B\xCC\x81", "\xC3\xA9");
    /* outside the BMP: U+1D15E is excluded from composition */
    rep = CLEAN("\xF0\x9D\x85\x9E", "\xF0\x9D\x85\x97\xF0\x9D\x85\xA5");
    assert_true(rep.changed_by_nfc);
    rep = CLEAN("\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80");
    assert_false(rep.changed_by_nfc);
    /* a singleton: U+212B ANGSTROM SIGN -> U+00C5 */
    CLEAN("\xE2\x84\xAB", "\xC3\x85");
    /* composition exclusion U+0344 -> U+0308 U+0301: NFC grows it */
    rep = CLEAN("\xCD\x84", "\xCC\x88\xCC\x81");
    assert_true(rep.changed_by_nfc);
}

/* Vietnamese as keyboards and converters produce it: the cleaner makes it
 * NFC but keeps the spelling as written (tone placement, look-alike
 * letters), which the tokenizer unifies for terms (vnorm.h), so that
 * snippets show and highlight what the article wrote. */
static void test_vietnamese_forms(void **state)
{
    (void)state;
    cs_clean_report rep;

    /* NFD old-style "hoà" stays old-style, composed */
    rep = CLEAN("hoa\xCC\x80 ho\xCC\x80" "a", "ho\xC3\xA0 h\xC3\xB2" "a");
    assert_true(rep.changed_by_nfc);
    /* a combining tone after a precomposed shaped vowel composes */
    CLEAN("\xC3\xAA\xCC\x81m \xC6\xA1\xCC\x80i \xC6\xB0\xCC\xA3",
          "\xE1\xBA\xBFm \xE1\xBB\x9Di \xE1\xBB\xB1");   /* ếm ời ự */
    /* mixed: precomposed a-breve + combining acute -> U+1EAF */
    CLEAN("\xC4\x83\xCC\x81n", "\xE1\xBA\xAF" "n");
    /* tone before shape: no precomposed form, NFC leaves the mark */
    rep = CLEAN("a\xCC\x81\xCC\x82n", "\xC3\xA1\xCC\x82n");
    assert_true(rep.changed_by_nfc);
    /* look-alike D with stroke is kept as written */
    rep = CLEAN("\xC3\x90\xC3\xA0 N\xE1\xBA\xB5ng",
                "\xC3\x90\xC3\xA0 N\xE1\xBA\xB5ng");
    assert_false(rep.changed_by_nfc);
    /* soft hyphen and zero width space inside a word are removed, also
     * between a letter and its combining mark */
    CLEAN("Vi\xC2\xAD\xE1\xBB\x87t", "Vi\xE1\xBB\x87t");
    CLEAN("hoa\xE2\x80\x8B\xCC\x80", "ho\xC3\xA0");
}

static void test_utf8_valid(void **state)
{
    (void)state;
    assert_true(cs_utf8_valid("", 0));
    assert_true(cs_utf8_valid("plain", 5));
    assert_true(cs_utf8_valid("Vi\xE1\xBB\x87t", 6));
    assert_true(cs_utf8_valid("\xF0\x9F\x98\x80", 4));
    assert_false(cs_utf8_valid("\xC0\xAF", 2));
    assert_false(cs_utf8_valid("\xED\xA0\x80", 3));
    assert_false(cs_utf8_valid("\xF4\x90\x80\x80", 4));
    assert_false(cs_utf8_valid("ab\xE1\xBB", 4));
    assert_false(cs_utf8_valid("\x80", 1));
    /* length is honoured: a truncated view of a valid string is invalid */
    assert_false(cs_utf8_valid("Vi\xE1\xBB\x87t", 3));
}

/* Deterministic pseudo-random bytes, like compressed data. */
static void fill_random(unsigned char *p, size_t n)
{
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (unsigned char)x;
    }
}

static void test_binary_text_is_not_binary(void **state)
{
    (void)state;
    const char *en = "Bac Giang focuses resources on science-technology.\n";
    const char *vi = "Vi\xE1\xBB\x87t Nam l\xC3\xA0 m\xE1\xBB\x99t qu\xE1\xBB"
                     "\x91" "c gia \xE1\xBB\x9F \xC4\x90\xC3\xB4ng Nam \xC3\x81.";
    assert_false(cs_text_looks_binary(en, strlen(en)));
    assert_false(cs_text_looks_binary(vi, strlen(vi)));
    assert_false(cs_text_looks_binary("", 0));
    /* one stray NUL and a control in a normal article: repair, not binary */
    char buf[400];
    memset(buf, 'a', sizeof buf);
    for (size_t i = 10; i < sizeof buf; i += 10)
        buf[i] = ' ';
    buf[100] = '\0';
    buf[200] = '\x01';
    assert_false(cs_text_looks_binary(buf, sizeof buf));
    /* Latin-1 text: a few invalid bytes, still text */
    const char *l1 = "Le caf\xE9 est tr\xE8s bon, merci pour la soir\xE9" "e.";
    assert_false(cs_text_looks_binary(l1, strlen(l1)));
}

static void test_binary_real_files(void **state)
{
    (void)state;
    static const unsigned char png[] = {
        0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H',
        'D', 'R', 0, 0, 1, 0, 0, 0, 1, 0, 8, 6, 0, 0, 0, 0x5C, 0x72, 0xA8,
        0x66 };
    unsigned char big[8192];

    assert_true(cs_text_looks_binary((const char *)png, sizeof png));
    /* gzip: magic + compressed-looking bytes */
    fill_random(big, sizeof big);
    big[0] = 0x1F;
    big[1] = 0x8B;
    assert_true(cs_text_looks_binary((const char *)big, sizeof big));
    /* random bytes without a known signature: caught by statistics */
    fill_random(big, sizeof big);
    big[0] = 'x';
    big[1] = 'y';
    assert_true(cs_text_looks_binary((const char *)big, sizeof big));
    /* UTF-16LE with BOM, and without (NUL every other byte) */
    const char u16[] = "\xFF\xFEH\0e\0l\0l\0o\0";
    assert_true(cs_text_looks_binary(u16, sizeof u16 - 1));
    const char u16nb[] = "H\0e\0l\0l\0o\0 \0w\0o\0r\0l\0d\0";
    assert_true(cs_text_looks_binary(u16nb, sizeof u16nb - 1));
    /* PDF */
    assert_true(cs_text_looks_binary("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n", 15));
    /* a real executable, when readable */
    FILE *f = fopen("/bin/ls", "rb");
    if (f != NULL) {
        size_t n = fread(big, 1, sizeof big, f);
        fclose(f);
        assert_true(n > 64);
        assert_true(cs_text_looks_binary((const char *)big, n));
        /* the part after the ELF magic too: caught by NULs alone */
        assert_true(cs_text_looks_binary((const char *)big + 4, n - 4));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_ascii_unchanged),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_bom_dropped),
        cmocka_unit_test(test_crlf_and_cr),
        cmocka_unit_test(test_invalid_utf8_maximal_subpart),
        cmocka_unit_test(test_invalid_utf8_kinds),
        cmocka_unit_test(test_invalid_bytes_grow_output),
        cmocka_unit_test(test_controls_removed),
        cmocka_unit_test(test_invisible_removed),
        cmocka_unit_test(test_apostrophe),
        cmocka_unit_test(test_nfc),
        cmocka_unit_test(test_vietnamese_forms),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_binary_text_is_not_binary),
        cmocka_unit_test(test_binary_real_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
