/* test_langdetect.c -- unit tests for telling Vietnamese from English. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"
#include "datafile.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "langdetect.h"

static const char *lang(const char *s) { return cs_detect_lang(s, strlen(s)); }

/* ---- self-contained cases --------------------------------------------- */

static void test_empty_and_no_letters(void **state) {
    (void)state;
    assert_string_equal(cs_detect_lang("", 0), "en");
    assert_string_equal(cs_detect_lang(NULL, 0), "en");
    assert_string_equal(lang("   \n\t "), "en");
    assert_string_equal(lang("2025 - 6/2/2017 (57) ... !!"), "en");
    assert_string_equal(lang("\xF0\x9F\x98\x80 \xE2\x80\x94 \xC2\xAB\xC2\xBB"), "en");
}

static void test_vietnamese_with_marks(void **state) {
    (void)state;
    assert_string_equal(lang("Bắc Giang tập trung nguồn lực cho khoa học công "
                             "nghệ và đổi mới sáng tạo"), "vi");
    assert_string_equal(lang("Kết quả xổ số điện toán Vietlott ngày 6/2/2017"),
                        "vi");
    assert_string_equal(lang("ĐẮK LẮK TĂNG CƯỜNG PHÒNG CHỐNG DỊCH"), "vi");
    assert_string_equal(lang("Hà Nội"), "vi");
}

static void test_each_marked_letter(void **state) {
    (void)state;
    /* Each letter with a Vietnamese mark, both cases, tips a short word. */
    static const char *const vi[] = {
        "à", "á", "â", "ã", "è", "é", "ê", "ì", "í", "ò", "ó", "ô", "õ", "ù",
        "ú", "ý", "ă", "đ", "ĩ", "ũ", "ơ", "ư", "ạ", "ỹ", "ắ", "ự",
        "À", "Á", "Â", "Ã", "È", "É", "Ê", "Ì", "Í", "Ò", "Ó", "Ô", "Õ", "Ù",
        "Ú", "Ý", "Ă", "Đ", "Ĩ", "Ũ", "Ơ", "Ư", "Ạ", "Ỹ", "Ắ", "Ự",
    };
    /* Marks Vietnamese does not use do not. */
    static const char *const other[] = {"ñ", "ç", "ø", "ü", "ß", "å", "ł",
                                        "ź", "Ñ", "Ç", "Ö", "×", "÷", "ÿ"};
    char buf[32];
    for (size_t i = 0; i < sizeof(vi) / sizeof(vi[0]); i++) {
        snprintf(buf, sizeof(buf), "%sxy", vi[i]);
        if (strcmp(lang(buf), "vi") != 0) fail_msg("\"%s\" is not vi", buf);
    }
    for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
        snprintf(buf, sizeof(buf), "%sxy", other[i]);
        if (strcmp(lang(buf), "en") != 0) fail_msg("\"%s\" is not en", buf);
    }
}

static void test_vietnamese_without_marks(void **state) {
    (void)state;
    assert_string_equal(lang("Bac Giang tap trung nguon luc cho khoa hoc cong "
                             "nghe va doi moi sang tao trong nhung nam qua"),
                        "vi");
    assert_string_equal(lang("Nguoi dan khong duoc phep vao khu vuc nay khi "
                             "chua co giay phep cua co quan chuc nang"),
                        "vi");
    assert_string_equal(lang("UBND TINH DAK LAK YEU CAU CAC DOANH NGHIEP "
                             "THUC HIEN VIEC BAO CAO TRUOC NGAY 15"), "vi");
}

static void test_english_with_unmarked_names(void **state) {
    (void)state;
    assert_string_equal(lang("Bac Giang focuses resources on science-technology "
                             "and innovation"), "en");
    assert_string_equal(lang("Ha Noi, Ho Chi Minh City, Da Nang, Can Tho, Hai "
                             "Phong, Quang Ninh, Binh Duong, Dong Nai and Ba "
                             "Ria - Vung Tau are the leading localities in Viet "
                             "Nam, while Son La, Gia Lai and Ha Tinh lag "
                             "behind."), "en");
    assert_string_equal(lang("Prime Minister Pham Minh Chinh met Nguyen Van "
                             "Thanh, chairman of the Thai Nguyen People's "
                             "Committee, on Tuesday."), "en");
}

static void test_english_with_marked_names(void **state) {
    (void)state;
    assert_string_equal(lang("Farmers in Bắc Giang province have started the "
                             "lychee harvest, which is expected to bring in "
                             "more than the last season."), "en");
    assert_string_equal(lang("Bắc Giang is famous for its lychees"), "en");
    assert_string_equal(lang("The delegation visited Hà Nội, Đà Nẵng and Thừa "
                             "Thiên Huế in March, and then met officials of "
                             "the Ministry of Planning and Investment to "
                             "discuss the plan for the coming years."), "en");
    /* "café" and "naïve" are not Vietnamese. */
    assert_string_equal(lang("A naïve tourist ordered a café latte at the hotel "
                             "bar and was surprised by the price of it."), "en");
}

static void test_mixed(void **state) {
    (void)state;
    /* Vietnamese quoting an English name. */
    assert_string_equal(lang("Năm 2020, Vinamilk đã vượt qua các thương hiệu "
                             "để dẫn đầu Top 10 - Vietnam's Strongest Local "
                             "Brands là một phần của bảng xếp hạng"), "vi");
    /* English quoting a short Vietnamese phrase. */
    assert_string_equal(lang("The campaign, known locally as \"chuyển đổi số\", "
                             "aims to bring public services online for all of "
                             "the residents of the province by the end of the "
                             "year, and the officials said that it was going "
                             "well."), "en");
}

static void test_bad_bytes(void **state) {
    (void)state;
    assert_string_equal(cs_detect_lang("\xFF\xFE\x80", 3), "en");
    /* A truncated sequence at the very end must not be read past. */
    char *s = malloc(4);
    assert_non_null(s);
    memcpy(s, "B\xE1\xBA\xAF", 4);   /* "Bắ" */
    assert_string_equal(cs_detect_lang(s, 3), "en");  /* "B" + junk */
    assert_string_equal(cs_detect_lang(s, 4), "vi");
    free(s);
    assert_string_equal(lang("Bắc Giang t\xFF\xFEập trung nguồn lực cho khoa "
                             "học"), "vi");
}

static void test_only_len_bytes_read(void **state) {
    (void)state;
    const char *s = "the end. Tiếng Việt có dấu";
    assert_string_equal(cs_detect_lang(s, 8), "en");
    assert_string_equal(cs_detect_lang(s + 9, strlen(s + 9)), "vi");
}

/* ---- real data -------------------------------------------------------- */


/* Strip Vietnamese marks (NFD, drop Mn, đ -> d) with ICU, for the "typed
 * without marks" check. Returns a malloc'd string, NULL on failure. */
static char *strip_marks(const char *s, size_t len, size_t *outlen) {
    UErrorCode e = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&e);
    int32_t n16, nd;
    UChar *u = malloc((len + 1) * sizeof(UChar));
    UChar *d = malloc((4 * len + 1) * sizeof(UChar));
    char *out = malloc(3 * len + 1);
    if (!u || !d || !out) goto fail;
    u_strFromUTF8WithSub(u, (int32_t)len + 1, &n16, s, (int32_t)len, 0xFFFD,
                         NULL, &e);
    nd = unorm2_normalize(nfd, u, n16, d, (int32_t)(4 * len + 1), &e);
    if (U_FAILURE(e)) goto fail;
    int32_t o = 0;
    for (int32_t i = 0; i < nd; i++) {
        if (u_charType(d[i]) == U_NON_SPACING_MARK) continue;
        d[o++] = d[i] == 0x111 ? 'd' : d[i] == 0x110 ? 'D' : d[i];
    }
    int32_t n8;
    u_strToUTF8(out, (int32_t)(3 * len + 1), &n8, d, o, &e);
    if (U_FAILURE(e)) goto fail;
    free(u);
    free(d);
    *outlen = (size_t)n8;
    return out;
fail:
    free(u);
    free(d);
    free(out);
    return NULL;
}

typedef struct tally {
    int files, vi, stripped_vi;
} tally;

/* Detect up to `want` .txt files spread evenly over `dir`. Returns -1 if
 * the directory cannot be read. */
static int sample_dir(const char *dir, int want, tally *t) {
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0) return -1;
    int step = n / want > 0 ? n / want : 1;
    for (int i = 0; i < n; i++) {
        if (t->files < want && i % step == 0 &&
            strstr(names[i]->d_name, ".txt")) {
            char path[1024];
            size_t len, slen;
            snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
            char *text = cs_read_file(path, &len);
            if (text) {
                t->files++;
                if (strcmp(cs_detect_lang(text, len), "vi") == 0) t->vi++;
                char *bare = strip_marks(text, len, &slen);
                if (bare && strcmp(cs_detect_lang(bare, slen), "vi") == 0)
                    t->stripped_vi++;
                free(bare);
                free(text);
            }
        }
        free(names[i]);
    }
    free(names);
    return 0;
}

static const char *data_dir(void) {
    const char *d = getenv("CS_DATA_DIR");
    return d && *d ? d : "/tmp/data";
}

static void check_vietnamese_corpus(const char *name) {
    char dir[512];
    snprintf(dir, sizeof(dir), "%s/%s", data_dir(), name);
    tally t = {0, 0, 0};
    if (sample_dir(dir, 200, &t) < 0) {
        /* Not skip(): meson 1.0 counts cmocka's "not ok # SKIP" as failed. */
        CS_SKIP_UNLESS_CI(dir);
    }
    print_message("# %s: %d files, %d vi, %d vi with marks stripped\n", name,
                  t.files, t.vi, t.stripped_vi);
    assert_true(t.files >= 100);
    assert_int_equal(t.vi, t.files);
    /* Without marks, a few articles (lists of foreign names, scores) lack
     * the common syllables; nearly all must still be found. */
    assert_true(t.stripped_vi * 100 >= t.files * 95);
}

static void test_baomoi_is_vietnamese(void **state) {
    (void)state;
    check_vietnamese_corpus("vi-news-baomoi");
}

static void test_dantri_is_vietnamese(void **state) {
    (void)state;
    check_vietnamese_corpus("vi-news-dantri");
}

static void test_seed_is_english(void **state) {
    (void)state;
    const char *shared = getenv("CS_SHARED_DIR");
    char dir[512];
    snprintf(dir, sizeof(dir), "%s/corpus/seed",
             shared && *shared ? shared : "/work/shared");
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0) {
        CS_SKIP_UNLESS_CI(dir);
    }
    int files = 0, en = 0;
    for (int i = 0; i < n; i++) {
        if (strstr(names[i]->d_name, ".txt")) {
            char path[1024];
            size_t len;
            snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
            char *text = cs_read_file(path, &len);
            if (text) {
                files++;
                if (strcmp(cs_detect_lang(text, len), "en") == 0) en++;
                else print_message("# %s detected as vi\n", path);
                free(text);
            }
        }
        free(names[i]);
    }
    free(names);
    assert_true(files > 0);
    assert_int_equal(en, files);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_and_no_letters),
        cmocka_unit_test(test_vietnamese_with_marks),
        cmocka_unit_test(test_each_marked_letter),
        cmocka_unit_test(test_vietnamese_without_marks),
        cmocka_unit_test(test_english_with_unmarked_names),
        cmocka_unit_test(test_english_with_marked_names),
        cmocka_unit_test(test_mixed),
        cmocka_unit_test(test_bad_bytes),
        cmocka_unit_test(test_only_len_bytes_read),
        cmocka_unit_test(test_baomoi_is_vietnamese),
        cmocka_unit_test(test_dantri_is_vietnamese),
        cmocka_unit_test(test_seed_is_english),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
