/* test_extract.c -- provinces, resolution numbers and dates from article text
 * (extract.h), the gazetteer data file, and figures on the real corpora.
 *
 *   test_extract                run the cmocka tests (TAP with CMOCKA_MESSAGE_OUTPUT=TAP)
 *   test_extract --bench [DIR]  time cs_extract_meta over the .txt files in DIR
 *                               (default $CS_DATA_DIR/vi-news-baomoi)
 *   test_extract --dump FILE... what is extracted from each file, one line each
 *   test_extract --resolve NAME cs_gazetteer_resolve with the default gazetteer
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "datafile.h"
#include "extract.h"
#include "tokenizer.h"
#include "testutil.h"

/* ------------------------------------------------------------------------
 * Helpers.
 * ---------------------------------------------------------------------- */

/* An article file split the way the reader does: "# key = value" headers,
 * title = first non-empty line that is not a dateline, body = the rest of
 * the text after the headers (datelines included). */
typedef struct article {
    char *text;
    char title[512];
    const char *body;
    size_t body_len;
    char url[512];
    char date[11];   /* from a "# date = YYYYMMDD" header, "" if none */
} article;

static int looks_like_dateline(const char *l, size_t n) {
    if (n > 60) return 0;
    for (size_t i = 0; i + 10 <= n; i++)
        if (l[i] >= '0' && l[i] <= '9' && (l[i + 2] == '/' || l[i + 1] == '/')) return 1;
    return 0;
}

static int load_article(const char *path, article *a) {
    memset(a, 0, sizeof *a);
    size_t len;
    a->text = cs_read_file(path, &len);
    if (!a->text) return -1;
    char *p = a->text, *end = a->text + len;
    while (p < end && p[0] == '#' && p[1] == ' ') {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *lend = nl ? nl : end;
        char key[32], val[512];
        int kn = 0;
        const char *q = p + 2;
        while (q < lend && *q != ' ' && *q != '=' && kn < 31) key[kn++] = *q++;
        key[kn] = '\0';
        while (q < lend && (*q == ' ' || *q == '=')) q++;
        size_t vn = (size_t)(lend - q);
        if (vn >= sizeof val) vn = sizeof val - 1;
        memcpy(val, q, vn);
        val[vn] = '\0';
        if (strcmp(key, "url") == 0) snprintf(a->url, sizeof a->url, "%s", val);
        if (strcmp(key, "date") == 0 && strlen(val) == 8)
            snprintf(a->date, sizeof a->date, "%.4s-%.2s-%.2s", val, val + 4, val + 6);
        p = nl ? nl + 1 : end;
    }
    a->body = p;
    a->body_len = (size_t)(end - p);
    for (char *l = p; l < end;) {
        char *nl = memchr(l, '\n', (size_t)(end - l));
        char *lend = nl ? nl : end;
        size_t n = (size_t)(lend - l);
        if (n && l[n - 1] == '\r') n--;
        if (n && !looks_like_dateline(l, n)) {
            if (n >= sizeof a->title) n = sizeof a->title - 1;
            memcpy(a->title, l, n);
            a->title[n] = '\0';
            break;
        }
        l = nl ? nl + 1 : end;
    }
    return 0;
}

static const cs_gazetteer *gz(void) {
    const cs_gazetteer *g = cs_gazetteer_default();
    assert_non_null(g);
    return g;
}

/* Extract from a title and body given as strings. */
static void extract(const char *title, const char *body, const char *url, const char *date,
                    cs_meta *m) {
    assert_int_equal(cs_extract_meta(gz(), title, body, body ? strlen(body) : 0, url, date,
                                     NULL, m),
                     0);
}

static const cs_province_hit *find_prov(const cs_meta *m, const char *name) {
    for (size_t i = 0; i < m->nprovinces; i++)
        if (strcmp(m->provinces[i].name, name) == 0) return &m->provinces[i];
    return NULL;
}

static int has_str(char **v, size_t n, const char *s) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0) return 1;
    return 0;
}

static const char *main_prov(const cs_meta *m) {
    return m->nprovinces ? m->provinces[0].name : "(none)";
}

/* The only province found must be `name` (NULL: none at all). */
static void assert_only(const char *title, const char *body, const char *name) {
    cs_meta m;
    extract(title, body, NULL, NULL, &m);
    if (!name) {
        if (m.nprovinces) fail_msg("%s | %s: expected none, got %s", title, body, main_prov(&m));
    } else {
        if (m.nprovinces != 1 || strcmp(m.provinces[0].name, name) != 0)
            fail_msg("%s | %s: expected only %s, got %zu, first %s", title, body, name,
                     m.nprovinces, main_prov(&m));
    }
    cs_meta_free(&m);
}

static const char *shared_dir(void) {
    const char *d = getenv("CS_SHARED_DIR");
    return d && *d ? d : "/work/shared";
}

static const char *data_dir(void) {
    const char *d = getenv("CS_DATA_DIR");
    return d && *d ? d : "/tmp/data";
}

static const char *source_dir(void) {
    const char *d = getenv("CS_SOURCE_DIR");
    return d && *d ? d : "/work/main";
}

/* ------------------------------------------------------------------------
 * The gazetteer.
 * ---------------------------------------------------------------------- */

/* Resolution 202/2025/QH15, restated independently of the data file: every
 * pre-2025 province and the 2025 unit it joined. */
static const char *const merger[][2] = {
    {"Hà Nội", "Hà Nội"}, {"Hà Giang", "Tuyên Quang"}, {"Cao Bằng", "Cao Bằng"},
    {"Bắc Kạn", "Thái Nguyên"}, {"Tuyên Quang", "Tuyên Quang"}, {"Lào Cai", "Lào Cai"},
    {"Điện Biên", "Điện Biên"}, {"Lai Châu", "Lai Châu"}, {"Sơn La", "Sơn La"},
    {"Yên Bái", "Lào Cai"}, {"Hòa Bình", "Phú Thọ"}, {"Thái Nguyên", "Thái Nguyên"},
    {"Lạng Sơn", "Lạng Sơn"}, {"Quảng Ninh", "Quảng Ninh"}, {"Bắc Giang", "Bắc Ninh"},
    {"Phú Thọ", "Phú Thọ"}, {"Vĩnh Phúc", "Phú Thọ"}, {"Bắc Ninh", "Bắc Ninh"},
    {"Hải Dương", "Hải Phòng"}, {"Hải Phòng", "Hải Phòng"}, {"Hưng Yên", "Hưng Yên"},
    {"Thái Bình", "Hưng Yên"}, {"Hà Nam", "Ninh Bình"}, {"Nam Định", "Ninh Bình"},
    {"Ninh Bình", "Ninh Bình"}, {"Thanh Hóa", "Thanh Hóa"}, {"Nghệ An", "Nghệ An"},
    {"Hà Tĩnh", "Hà Tĩnh"}, {"Quảng Bình", "Quảng Trị"}, {"Quảng Trị", "Quảng Trị"},
    {"Thừa Thiên Huế", "Huế"}, {"Đà Nẵng", "Đà Nẵng"}, {"Quảng Nam", "Đà Nẵng"},
    {"Quảng Ngãi", "Quảng Ngãi"}, {"Bình Định", "Gia Lai"}, {"Phú Yên", "Đắk Lắk"},
    {"Khánh Hòa", "Khánh Hòa"}, {"Ninh Thuận", "Khánh Hòa"}, {"Bình Thuận", "Lâm Đồng"},
    {"Kon Tum", "Quảng Ngãi"}, {"Gia Lai", "Gia Lai"}, {"Đắk Lắk", "Đắk Lắk"},
    {"Đắk Nông", "Lâm Đồng"}, {"Lâm Đồng", "Lâm Đồng"}, {"Bình Phước", "Đồng Nai"},
    {"Tây Ninh", "Tây Ninh"}, {"Bình Dương", "Hồ Chí Minh"}, {"Đồng Nai", "Đồng Nai"},
    {"Bà Rịa - Vũng Tàu", "Hồ Chí Minh"}, {"Hồ Chí Minh", "Hồ Chí Minh"},
    {"Long An", "Tây Ninh"}, {"Tiền Giang", "Đồng Tháp"}, {"Bến Tre", "Vĩnh Long"},
    {"Trà Vinh", "Vĩnh Long"}, {"Vĩnh Long", "Vĩnh Long"}, {"Đồng Tháp", "Đồng Tháp"},
    {"An Giang", "An Giang"}, {"Kiên Giang", "An Giang"}, {"Cần Thơ", "Cần Thơ"},
    {"Hậu Giang", "Cần Thơ"}, {"Sóc Trăng", "Cần Thơ"}, {"Bạc Liêu", "Cà Mau"},
    {"Cà Mau", "Cà Mau"},
};

static void test_gazetteer_merger(void **state) {
    (void)state;
    const cs_gazetteer *g = gz();
    size_t n = sizeof merger / sizeof *merger;
    assert_int_equal(n, 63);
    const char *units[63];
    size_t nunits = 0;
    for (size_t i = 0; i < n; i++) {
        const char *u = cs_gazetteer_unit2025(g, merger[i][0]);
        if (!u) fail_msg("no unit for %s", merger[i][0]);
        if (strcmp(u, merger[i][1]) != 0)
            fail_msg("%s joined %s, the data says %s", merger[i][0], merger[i][1], u);
        size_t k = 0;
        while (k < nunits && strcmp(units[k], u) != 0) k++;
        if (k == nunits) units[nunits++] = u;
        /* every canonical name resolves to itself */
        const char *out[4];
        assert_int_equal(cs_gazetteer_resolve(g, merger[i][0], out, 4), 1);
        assert_string_equal(out[0], merger[i][0]);
    }
    assert_int_equal(nunits, 34);
    assert_null(cs_gazetteer_unit2025(g, "Atlantis"));
    assert_null(cs_gazetteer_unit2025(g, NULL));
    assert_null(cs_gazetteer_unit2025(NULL, "Bắc Giang"));
}

/* The resolved names, joined by "|". */
static void resolved(const char *name, char *buf, size_t cap) {
    const char *out[8];
    size_t n = cs_gazetteer_resolve(gz(), name, out, 8);
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strncat(buf, out[i], cap - strlen(buf) - 1);
        if (i + 1 < n) strncat(buf, "|", cap - strlen(buf) - 1);
    }
}

static void test_gazetteer_resolve(void **state) {
    (void)state;
    static const char *const cases[][2] = {
        {"bac giang", "Bắc Giang"},
        {"Bắc Giang", "Bắc Giang"},
        {"BAC GIANG", "Bắc Giang"},
        {"Bac Giang province", "Bắc Giang"},
        {"tỉnh Bắc Giang", "Bắc Giang"},
        {"HCMC", "Hồ Chí Minh"},
        {"hcmc", "Hồ Chí Minh"},
        {"Ho Chi Minh City", "Hồ Chí Minh"},
        {"TP.HCM", "Hồ Chí Minh"},
        {"ho chi minh", "Hồ Chí Minh"},
        {"Saigon", "Hồ Chí Minh"},
        {"thành phố Đà Nẵng", "Đà Nẵng"},
        {"hue", "Thừa Thiên Huế"},
        {"Thua Thien Hue", "Thừa Thiên Huế"},
        {"hanoi", "Hà Nội"},
        {"Hoà Bình", "Hòa Bình"},
        {"ba ria vung tau", "Bà Rịa - Vũng Tàu"},
        {"BR-VT", "Bà Rịa - Vũng Tàu"},
        {"Vinh Yen", "Vĩnh Phúc"},
        {"dak lak", "Đắk Lắk"},
        {"Bắc Ninh (2025)", "Bắc Ninh|Bắc Giang"},
        {"bac ninh 2025", "Bắc Ninh|Bắc Giang"},
        {"Bắc Ninh mới", "Bắc Ninh|Bắc Giang"},
        {"Phú Thọ (2025)", "Phú Thọ|Hòa Bình|Vĩnh Phúc"},
        {"Huế (2025)", "Huế|Thừa Thiên Huế"},
        {"HCMC (2025)", "Hồ Chí Minh|Bình Dương|Bà Rịa - Vũng Tàu"},
        {"Bắc Giang (2025)", "Bắc Ninh|Bắc Giang"},
        {"Cao Bằng (2025)", "Cao Bằng"},
        {"Atlantis", ""},
        {"", ""},
        {"Nam", ""},
        {"2025", ""},
        {"(2025)", ""},
        {"bac", ""},
    };
    char buf[256];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        resolved(cases[i][0], buf, sizeof buf);
        if (strcmp(buf, cases[i][1]) != 0)
            fail_msg("resolve(\"%s\") = \"%s\", expected \"%s\"", cases[i][0], buf, cases[i][1]);
    }
    const char *out[1];
    assert_int_equal(cs_gazetteer_resolve(gz(), "Bắc Ninh (2025)", out, 1), 1);
    assert_string_equal(out[0], "Bắc Ninh");
    assert_int_equal(cs_gazetteer_resolve(gz(), "Bắc Ninh", out, 0), 0);
    assert_int_equal(cs_gazetteer_resolve(gz(), NULL, out, 1), 0);
    assert_int_equal(cs_gazetteer_resolve(NULL, "Bắc Ninh", out, 1), 0);
}

static void expect_parse_error(const char *text, const char *needle) {
    char err[200] = "";
    cs_gazetteer *g = cs_gazetteer_parse(text, strlen(text), err, sizeof err);
    if (g) {
        cs_gazetteer_free(g);
        fail_msg("parsed: %s", text);
    }
    if (!strstr(err, needle)) fail_msg("error \"%s\" lacks \"%s\"", err, needle);
}

static void test_gazetteer_parse_errors(void **state) {
    (void)state;
    expect_parse_error("# only a comment\n", "no province");
    expect_parse_error("", "no province");
    expect_parse_error("P\tA\tA\n", "line 1: expected 4");
    expect_parse_error("# c\nP\tA\tA\tB\tC\n", "line 2: expected 4");
    expect_parse_error("Q\tA\tA\tA\n", "line 1: unknown kind");
    expect_parse_error("P\tA\tA\tA\nT\tB\t-\tX\n", "line 2: unknown province \"B\"");
    expect_parse_error("P\tA\tA\tB|  |C\n", "line 1: alias \"\" has no words");
    expect_parse_error("P\tA\tA\tB|,,\n", "has no words");
    expect_parse_error("P\tA\tA\ta b c d e f g h i\n", "more than 8 words");
    expect_parse_error("P\tA\tA\tB\nP\tA\tA\tC\n", "line 2: province \"A\" listed twice");
    expect_parse_error("P\tA\t-\tB\n", "no 2025 unit");
    expect_parse_error("P\tA\tA\t\n", "empty field");
    expect_parse_error("P\tA\tA\tB\nN\t-\t-\ttwo words\n", "not one word");
    /* NULL error buffer: still NULL, no crash */
    assert_null(cs_gazetteer_parse("X", 1, NULL, 0));
    cs_gazetteer_free(NULL);
}

static void test_gazetteer_custom(void **state) {
    (void)state;
    const char *text =
        "# a tiny gazetteer\r\n"
        "P\tAlpha Land\tAlpha Land\tAlpha|~Al\n"
        "\n"
        "P\tBeta Land\tAlpha Land\tBeta\n"
        "T\tBeta Land\t-\tBeta Town\n"
        "N\t-\t-\tMr\n";
    char err[200];
    cs_gazetteer *g = cs_gazetteer_parse(text, strlen(text), err, sizeof err);
    if (!g) fail_msg("%s", err);
    const char *out[4];
    assert_int_equal(cs_gazetteer_resolve(g, "beta town", out, 4), 1);
    assert_string_equal(out[0], "Beta Land");
    assert_int_equal(cs_gazetteer_resolve(g, "Beta (2025)", out, 4), 2);
    assert_string_equal(out[0], "Alpha Land");
    assert_string_equal(out[1], "Beta Land");
    assert_string_equal(cs_gazetteer_unit2025(g, "Beta Land"), "Alpha Land");
    cs_meta m;
    const char *body = "Mr Al came from Beta Town to Alpha Land, then Al left.";
    assert_int_equal(cs_extract_meta(g, "News", body, strlen(body), NULL, NULL, NULL, &m), 0);
    assert_int_equal(m.nprovinces, 2);
    const cs_province_hit *a = find_prov(&m, "Alpha Land");
    assert_non_null(a);
    assert_int_equal(a->mentions, 2); /* "Alpha Land" and "Al" (not "Mr Al") */
    assert_string_equal(a->unit2025, "Alpha Land");
    assert_int_equal(find_prov(&m, "Beta Land")->mentions, 1);
    cs_meta_free(&m);
    cs_gazetteer_free(g);
}

/* The built-in gazetteer can be replaced by a file named in the environment
 * (checked in a fresh process: the default is loaded once per process). */
static void run_resolve(const char *gzfile, const char *name, char *out, size_t cap) {
    char self[PATH_MAX], cmd[2 * PATH_MAX + 256];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    assert_true(n > 0);
    self[n] = '\0';
    snprintf(cmd, sizeof cmd, "CORPSEARCH_GAZETTEER='%s' '%s' --resolve '%s' 2>&1", gzfile, self,
             name);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t k = fread(out, 1, cap - 1, p);
    out[k] = '\0';
    pclose(p);
}

static void test_gazetteer_env(void **state) {
    (void)state;
    char path[] = "/tmp/cs_gazetteer_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *tsv = "P\tZeta Land\tZeta Land\tZeta|Zed\n";
    assert_int_equal(write(fd, tsv, strlen(tsv)), (ssize_t)strlen(tsv));
    close(fd);
    char out[512];
    run_resolve(path, "zed", out, sizeof out);
    assert_string_equal(out, "Zeta Land\n");
    run_resolve(path, "Bắc Giang", out, sizeof out);
    assert_string_equal(out, "\n"); /* only the file's provinces */
    fd = open(path, O_WRONLY | O_TRUNC);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "P\tbroken\n", 9), 9);
    close(fd);
    run_resolve(path, "zed", out, sizeof out);
    assert_non_null(strstr(out, "gazetteer line 1: expected 4 tab-separated fields"));
    assert_non_null(strstr(out, "(no gazetteer)"));
    unlink(path);
    run_resolve("/nonexistent/gazetteer.tsv", "zed", out, sizeof out);
    assert_non_null(strstr(out, "cannot read gazetteer /nonexistent/gazetteer.tsv"));
}

/* The word scanner folds the way the tokenizer (and so the index) does. */
static void test_fold_agrees_with_tokenizer(void **state) {
    (void)state;
    const char *s = "Ắắ Ằằ Ẳẳ Ẵẵ Ặặ Ấấ Ầầ Ẩẩ Ẫẫ Ậậ Ââ Ăă Áá Àà Ảả Ãã Ạạ Đđ Éé Èè Ẻẻ Ẽẽ Ẹẹ "
                    "Êê Ếế Ềề Ểể Ễễ Ệệ Íí Ìì Ỉỉ Ĩĩ Ịị Óó Òò Ỏỏ Õõ Ọọ Ôô Ốố Ồồ Ổổ Ỗỗ Ộộ Ơơ "
                    "Ớớ Ờờ Ởở Ỡỡ Ợợ Úú Ùù Ủủ Ũũ Ụụ Ưư Ứứ Ừừ Ửử Ữữ Ựự Ýý Ỳỳ Ỷỷ Ỹỹ Ỵỵ";
    char fold[1024];
    long n = cs_fold(s, strlen(s), fold, sizeof fold);
    assert_true(n > 0);
    /* Each pair folds to the same ASCII letter twice. */
    const char *want = "aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa dd ee ee ee ee ee "
                       "ee ee ee ee ee ee ii ii ii ii ii oo oo oo oo oo oo oo oo oo oo oo oo "
                       "oo oo oo oo oo uu uu uu uu uu uu uu uu uu uu uu yy yy yy yy yy";
    assert_string_equal(fold, want);
    /* Province matching with the same letters in upper and lower case. */
    assert_only("ĐÀ NẴNG", "", "Đà Nẵng");
    assert_only("BẮC GIANG", "", "Bắc Giang");
}

/* ------------------------------------------------------------------------
 * Provinces.
 * ---------------------------------------------------------------------- */

static void test_province_vinh(void **state) {
    (void)state;
    assert_only("Investors flock to Vinh Yen city", "", "Vĩnh Phúc");
    assert_only("Vinh Yen", "The industrial park near Vinh Yen grows.", "Vĩnh Phúc");
    assert_only("Schools reopen", "Pupils in Vinh, the capital of Nghe An, returned.", "Nghệ An");
    /* "Vinh" alone needs a place word or its province named elsewhere */
    assert_only("Bóng đá", "HLV Đinh Hồng Vinh cho biết đội đã sẵn sàng.", NULL);
    assert_only("Truyện ngắn", "Lan nhìn Vinh rồi bước đi.", NULL);
    assert_only("Kinh tế", "TP Vinh thu hút đầu tư.", "Nghệ An");
    assert_only("Schools", "Vinh city opens schools.", "Nghệ An");
    assert_only("Khai giảng", "Học sinh thành phố Vinh tựu trường.", "Nghệ An");
    assert_only("Du lịch", "Du khách đông nghịt ở vịnh Hạ Long dịp lễ.", "Quảng Ninh");
    assert_only("Tin tức", "Nhiều tập thể được vinh danh tại buổi lễ hôm nay.", NULL);
    assert_only("Tin tức", "Vinh danh các tập thể tiêu biểu năm 2024 của ngành.", NULL);
    assert_only("Vĩnh Yên", "Thành phố Vĩnh Yên là trung tâm của tỉnh.", "Vĩnh Phúc");
    assert_only("Trà Vinh", "Tỉnh Trà Vinh đón khách.", "Trà Vinh");
    assert_only("Vinh Long", "Floods hit Vinh Long province.", "Vĩnh Long");
    /* a person, not the city */
    assert_only("Interview", "Mr. Nguyen Van Vinh, a teacher, said so.", NULL);
    assert_only("Phỏng vấn", "Ông Vinh cho biết năm nay thu hoạch khá.", NULL);
}

static void test_province_ambiguous(void **state) {
    (void)state;
    assert_only("Việt Nam", "Kinh tế Việt Nam tăng trưởng ở miền Nam.", NULL);
    assert_only("Vietnam news", "South Vietnam and the Nam river.", NULL);
    assert_only("Quảng Nam", "Mưa lớn ở Quảng Nam.", "Quảng Nam");
    assert_only("Quảng Ngãi", "Mưa lớn ở Quảng Ngãi.", "Quảng Ngãi");
    assert_only("Binh Duong", "Factories in Binh Duong province.", "Bình Dương");
    assert_only("Binh Dinh", "Fishermen in Binh Dinh province.", "Bình Định");
    assert_only("Ha Noi", "Traffic in Ha Noi.", "Hà Nội");
    assert_only("Hanoi", "Traffic in Hanoi.", "Hà Nội");
    assert_only("Hòa bình", "Thông điệp về hòa bình và hải dương học.", NULL);
    assert_only("Thái Bình Dương", "Các nước châu Á - Thái Bình Dương họp.", NULL);
    assert_only("Phó Thủ tướng", "Phó Thủ tướng Nguyễn Hòa Bình dự họp.", NULL);
    assert_only("Thủy điện", "Thủy điện Hòa Bình xả lũ.", "Hòa Bình");
    assert_only("Hoà Bình", "Tỉnh Hoà Bình (cách viết cũ).", "Hòa Bình");
    /* Across a line break or a comma a name does not continue. */
    assert_only("Bac", "Giang", NULL);
    assert_only("News", "Bac, Giang and Ninh.", NULL);
    /* streets named after places */
    assert_only("Đà Nẵng ngập", "Các tuyến đường Điện Biên Phủ, Tôn Đức Thắng ngập.", "Đà Nẵng");
    assert_only("Hà Nội", "Phố Huế đông đúc, phố Hải Phòng cũng vậy.", "Hà Nội");
    assert_only("Huế", "Thành phố Huế đón khách.", "Thừa Thiên Huế");
    assert_only("HCMC", "Traffic on Dien Bien Phu Street was jammed.", "Hồ Chí Minh");
    /* Lower case "hue" is a colour. */
    assert_only("Colour", "A warm hue of red.", NULL);
    assert_only("Interview", "Ms Tran Thi Hue said the market grew.", NULL);
}

static void test_province_hcmc_hue(void **state) {
    (void)state;
    const char *hcm[] = {"HCMC", "TP.HCM", "TP HCM", "TPHCM", "Ho Chi Minh City",
                         "Ho Chi Minh city", "TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh",
                         "Sài Gòn", "Saigon", "HCM City"};
    for (size_t i = 0; i < sizeof hcm / sizeof *hcm; i++) assert_only(hcm[i], "", "Hồ Chí Minh");
    assert_only("Bác Hồ", "Học tập tư tưởng Hồ Chí Minh, Chủ tịch Hồ Chí Minh.", NULL);
    assert_only("History", "President Ho Chi Minh read the declaration.", NULL);

    cs_meta m;
    extract("Thua Thien Hue promotes tourism", "Hue city welcomes guests. Visit Hue.", NULL,
            NULL, &m);
    assert_int_equal(m.nprovinces, 1);
    assert_string_equal(m.provinces[0].name, "Thừa Thiên Huế");
    assert_string_equal(m.provinces[0].unit2025, "Huế");
    assert_int_equal(m.provinces[0].mentions, 3);
    cs_meta_free(&m);
    assert_only("Festival Huế", "Festival Huế 2018 khai mạc.", "Thừa Thiên Huế");
    assert_only("Thừa Thiên - Huế", "", "Thừa Thiên Huế");

    extract("Port", "Ba Ria - Vung Tau and Bà Rịa–Vũng Tàu and BR-VT; Vung Tau beach.", NULL,
            NULL, &m);
    assert_int_equal(m.nprovinces, 1);
    assert_string_equal(m.provinces[0].name, "Bà Rịa - Vũng Tàu");
    assert_int_equal(m.provinces[0].mentions, 4);
    cs_meta_free(&m);
}

static void test_province_ranking(void **state) {
    (void)state;
    cs_meta m;
    /* the title beats one more mention deep in the body */
    extract("Bac Ninh attracts FDI",
            "Para one.\nPara two.\nPara three.\nLater, Ha Noi and Ha Noi again.", NULL, NULL,
            &m);
    assert_string_equal(main_prov(&m), "Bắc Ninh");
    assert_int_equal(find_prov(&m, "Hà Nội")->mentions, 2);
    assert_true(m.provinces[0].score > m.provinces[1].score);
    cs_meta_free(&m);

    /* boilerplate counts for nothing */
    const char *body =
        "Đà Nẵng ngập sâu.\n\nMưa lớn ở Đà Nẵng.\n\nNgười dân Đà Nẵng sơ tán.\n\n"
        "Chính quyền thành phố dọn dẹp.\n\n"
        "Tin liên quan\n- Bắc Giang: Vải thiều được giá\n- Quảng Ngãi: Sạt lở\n"
        "- Bắc Giang thêm tin\n- Cà Mau khởi công\n\nChia sẻ\n© Báo Example";
    extract("Đà Nẵng ngập sâu", body, NULL, NULL, &m);
    assert_int_equal(m.nprovinces, 1);
    assert_string_equal(main_prov(&m), "Đà Nẵng");
    cs_meta_free(&m);

    /* a province that is named "X province" wins a tie */
    extract("Meeting", "One line.\nTwo line.\nThree line.\nDelegates from Hanoi University "
                       "visited Thai Binh province.",
            NULL, NULL, &m);
    assert_string_equal(main_prov(&m), "Thái Bình");
    cs_meta_free(&m);

    /* a province hint counts as a strong mention */
    const char *b2 = "Nothing here.";
    assert_int_equal(cs_extract_meta(gz(), "Fair", b2, strlen(b2), NULL, NULL, "Lào Cai", &m), 0);
    assert_string_equal(main_prov(&m), "Lào Cai");
    assert_int_equal(m.provinces[0].mentions, 1);
    cs_meta_free(&m);
    assert_int_equal(cs_extract_meta(gz(), "Fair", b2, strlen(b2), NULL, NULL, "Atlantis", &m), 0);
    assert_int_equal(m.nprovinces, 0);
    cs_meta_free(&m);
}

static void test_bad_input(void **state) {
    (void)state;
    cs_meta m;
    assert_int_equal(cs_extract_meta(gz(), NULL, NULL, 0, NULL, NULL, NULL, &m), 0);
    assert_int_equal(m.nprovinces, 0);
    assert_int_equal(m.nresolutions, 0);
    assert_string_equal(m.date, "");
    assert_null(m.date_source);
    cs_meta_free(&m);
    cs_meta_free(&m); /* twice is harmless */
    cs_meta_free(NULL);
    /* invalid UTF-8, NULs inside the body length, a huge word */
    char body[5000];
    memset(body, 'x', sizeof body);
    memcpy(body, "\xff\xfe Bac Giang \xc3 \xe1\xbb 57-NQ/TW \0 Bac Ninh", 36);
    assert_int_equal(cs_extract_meta(gz(), "\xc3", body, sizeof body, "http://", "2023-13-01",
                                     "", &m),
                     0);
    assert_non_null(find_prov(&m, "Bắc Giang"));
    assert_true(has_str(m.resolutions, m.nresolutions, "57-NQ/TW"));
    assert_string_equal(m.date, "");
    cs_meta_free(&m);
    /* no gazetteer: no provinces, the rest still works */
    assert_int_equal(cs_extract_meta(NULL, "Bac Giang", "57-NQ/TW", 8, NULL, "2020-02-29", NULL, &m),
                     0);
    assert_int_equal(m.nprovinces, 0);
    assert_int_equal(m.nresolutions, 1);
    assert_string_equal(m.date, "2020-02-29");
    cs_meta_free(&m);
}

/* Random splices of tricky fragments: no crash, no sanitizer report, and the
 * result keeps its invariants (sorted provinces, a well-formed date). */
static void test_random_input(void **state) {
    (void)state;
    static const char *const frags[] = {
        "57", "-NQ/", "TW", "/NQ-", "CP", "/2019/", "NĐ", "ND", "Nghị quyết số ", "Resolution No. ",
        " of the Politburo", " của Chính phủ", "Bắc Giang", "Vinh", " Yen", "vịnh", "\xc4", "\xe1\xbb",
        "\xff", "Updated: ", "31/", "02/", "2024", "\n", " ", ", ", ".", "Tin liên quan\n", "Hue",
        "TP.HCM", "Thái Bình Dương", "Ba Ria - ", "Vung Tau", "đường ", "phố ", "Mr ", "Đ", "Ư",
        "0000000000000000000", "(GMT+7)", "Today: ", "Bac Ninh, ", "11/08/2025", "\t", "#",
    };
    size_t nf = sizeof frags / sizeof *frags;
    unsigned seed = 12345;
    char buf[2048], title[128];
    for (int it = 0; it < 3000; it++) {
        size_t len = 0, tl = 0;
        int k = (int)(seed % 60);
        for (int j = 0; j < k; j++) {
            seed = seed * 1103515245u + 12345u;
            const char *f = frags[(seed >> 8) % nf];
            size_t n = strlen(f);
            if (len + n < sizeof buf) memcpy(buf + len, f, n), len += n;
            if (j < 6 && tl + n < sizeof title) memcpy(title + tl, f, n), tl += n;
        }
        title[tl] = '\0';
        seed = seed * 1103515245u + 12345u;
        cs_meta m;
        assert_int_equal(cs_extract_meta(gz(), title, buf, len, it % 2 ? buf : NULL, NULL,
                                         it % 3 ? NULL : title, &m),
                         0);
        for (size_t i = 1; i < m.nprovinces; i++)
            assert_true(m.provinces[i - 1].score >= m.provinces[i].score);
        assert_true(m.date[0] == '\0' || (strlen(m.date) == 10 && m.date[4] == '-'));
        cs_meta_free(&m);
        char nb[64];
        buf[len < 40 ? len : 40] = '\0';
        long r = cs_resolution_normalize(buf, nb, sizeof nb);
        assert_true(r == -1 || (r > 0 && (size_t)r == strlen(nb)));
    }
}

/* ------------------------------------------------------------------------
 * Resolution numbers.
 * ---------------------------------------------------------------------- */

/* The resolutions of a text, joined by "|", and its documents. */
static void numbers(const char *body, char *res, char *docs, size_t cap) {
    cs_meta m;
    extract(NULL, body, NULL, NULL, &m);
    res[0] = docs[0] = '\0';
    for (size_t i = 0; i < m.nresolutions; i++) {
        if (i) strncat(res, "|", cap - strlen(res) - 1);
        strncat(res, m.resolutions[i], cap - strlen(res) - 1);
    }
    for (size_t i = 0; i < m.ndocuments; i++) {
        if (i) strncat(docs, "|", cap - strlen(docs) - 1);
        strncat(docs, m.documents[i], cap - strlen(docs) - 1);
    }
    cs_meta_free(&m);
}

static void test_resolutions(void **state) {
    (void)state;
    static const char *const cases[][3] = {
        /* text, resolutions, documents */
        {"Resolution No. 57-NQ/TW dated December 22, 2024", "57-NQ/TW", ""},
        {"In the Resolution No 111-NQ/TU of the provincial Party Committee", "111-NQ/TU", ""},
        {"Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị", "57-NQ/TW", ""},
        {"Nghị quyết 03/NQ-CP và Nghị quyết số 35/NQ-CP", "03/NQ-CP|35/NQ-CP", ""},
        {"in accordance with Resolution No. 57, dated December 22, 2024, of the Politburo",
         "57-NQ/TW", ""},
        {"Resolution No. 57 of the Politburo and Resolution No. 03 of the Government",
         "57-NQ/TW|03/NQ-CP", ""},
        {"The Politburo's Resolution 57 matters.", "57-NQ/TW", ""},
        {"The Politburo’s Resolution 57 matters.", "57-NQ/TW", ""},
        {"Nghị quyết 57 của Bộ Chính trị", "57-NQ/TW", ""},
        {"Nghị quyết số 111 của Tỉnh ủy Bắc Giang", "111-NQ/TU", ""},
        {"Nghị quyết 01 của Chính phủ", "01/NQ-CP", ""},
        {"Resolution 57 to help Vietnam. The Politburo’s Resolution 57-NQ/TW holds.", "57-NQ/TW",
         ""},
        {"implementing Resolution No. 57, the Department of Science", "57", ""},
        {"implementing Resolution No. 57 and science work", "57", ""},
        {"Nghị quyết 57 đi vào cuộc sống", "57", ""},
        {"Resolution 57, the Provincial Party Committee said", "57", ""},
        {"The City People's Committee has developed Plan No. 111 on ISO", "", ""},
        {"Plan No.5755/KH-UBND on November 2, 2021", "", "5755/KH-UBND"},
        {"Decree 100/2019/NĐ-CP and 100/2019/ND-CP", "", "100/2019/NĐ-CP"},
        {"Decision No. 1876/QĐ-UBND dated 21/09/2018; 844/QD-TTg", "",
         "1876/QĐ-UBND|844/QĐ-TTg"},
        {"Nghị quyết số 202/2025/QH15 của Quốc hội; Luật số 65/2025/QH15", "202/2025/QH15",
         "65/2025/QH15"},
        {"Nghị quyết 01/2021/NQ-HĐND và 02/2021/NQ-HDND", "01/2021/NQ-HĐND|02/2021/NQ-HĐND", ""},
        {"Chỉ thị 35-CT/TW, Kết luận 45-KL/TW", "", "35-CT/TW|45-KL/TW"},
        {"misformatted 57/NQ-TW", "57-NQ/TW", ""},
        {"Nghị quyết 59/NQ-TƯ ngày 24/1/2020, 29-NQ/TƯ", "59-NQ/TW|29-NQ/TW", ""},
        {"Nghị định 99/2013/Đ-CP, giấy 7347/2020/ĐKSP", "", ""},
        {"Quyết định 12/QĐ-UBNDà và 13/QĐ-UBNDđ", "", "13/QĐ-UBNDĐ"},
        {"Industrial Revolution 4.0 and resolution 4.0", "", ""},
        {"Resolution 2024 was a good year", "", ""},
        {"COVID-19/SARS-CoV-2, 12/2020, 22/12/2024, v1.2-NQ", "", ""},
        {"resolutions 57 and 58", "", ""},
        {"Resolution No. 57-NQ/TW; Resolution 57; Nghị quyết 57", "57-NQ/TW", ""},
        {"Resolution 03 and 03/NQ-CP and Resolution 3", "03/NQ-CP", ""},
    };
    char res[256], docs[256];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        numbers(cases[i][0], res, docs, sizeof res);
        if (strcmp(res, cases[i][1]) != 0 || strcmp(docs, cases[i][2]) != 0)
            fail_msg("\"%s\": resolutions \"%s\" documents \"%s\", expected \"%s\" / \"%s\"",
                     cases[i][0], res, docs, cases[i][1], cases[i][2]);
    }
}

static void test_resolution_normalize(void **state) {
    (void)state;
    static const char *const cases[][2] = {
        {"57-nq/tw", "57-NQ/TW"},
        {"57-NQ/TW", "57-NQ/TW"},
        {" 57-NQ/TW ", "57-NQ/TW"},
        {"57/NQ-TW", "57-NQ/TW"},
        {"03/nq-cp", "03/NQ-CP"},
        {"111-NQ/TU", "111-NQ/TU"},
        {"Nghị quyết 57", "57"},
        {"nghi quyet so 57", "57"},
        {"Resolution 57", "57"},
        {"resolution no. 57", "57"},
        {"Resolution No. 57-NQ/TW", "57-NQ/TW"},
        {"57", "57"},
        {"NQ 57", "57"},
        {"57 of the Politburo", "57-NQ/TW"},
        {"202/2025/qh15", "202/2025/QH15"},
        {"01/2021/nq-hdnd", "01/2021/NQ-HĐND"},
        {"100/2019/NĐ-CP", NULL},
        {"5755/KH-UBND", NULL},
        {"abc", NULL},
        {"", NULL},
        {"   ", NULL},
        {"57 apples", NULL},
        {"57-NQ/TW extra", NULL},
        {"Resolution", NULL},
        {"123456", NULL},
    };
    char buf[64];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        long n = cs_resolution_normalize(cases[i][0], buf, sizeof buf);
        if (!cases[i][1]) {
            if (n != -1) fail_msg("normalize(\"%s\") = \"%s\", expected -1", cases[i][0], buf);
        } else {
            if (n < 0) fail_msg("normalize(\"%s\") failed", cases[i][0]);
            assert_string_equal(buf, cases[i][1]);
            assert_int_equal(n, strlen(cases[i][1]));
        }
    }
    assert_int_equal(cs_resolution_normalize("57-NQ/TW", buf, 8), -1); /* needs 9 */
    assert_int_equal(cs_resolution_normalize("57-NQ/TW", buf, 9), 8);
    assert_int_equal(cs_resolution_normalize(NULL, buf, sizeof buf), -1);
    assert_int_equal(cs_resolution_normalize("57", NULL, 4), -1);
}

/* ------------------------------------------------------------------------
 * Dates.
 * ---------------------------------------------------------------------- */

static void expect_date(const char *body, const char *url, const char *given, const char *want,
                        const char *source) {
    cs_meta m;
    extract("The title", body, url, given, &m);
    if (strcmp(m.date, want) != 0)
        fail_msg("date of \"%s\" / %s / %s = \"%s\", expected \"%s\"", body ? body : "(null)",
                 url ? url : "-", given ? given : "-", m.date, want);
    if (source) assert_string_equal(m.date_source, source);
    else assert_null(m.date_source);
    cs_meta_free(&m);
}

static void test_dates(void **state) {
    (void)state;
    const char *dantri =
        "https://dantri.com.vn/kinh-doanh/vinamilk-lot-top-1000-20201001163534963.htm";
    /* the given date wins, if it is a real day */
    expect_date("Today: 08/02/2023 20:11:56 (GMT+7)", dantri, "2019-06-24", "2019-06-24",
                "header");
    expect_date("Today: 08/02/2023 20:11:56 (GMT+7)", dantri, "2019-02-29", "2023-02-08",
                "dateline");
    expect_date("", NULL, "20190624", "2019-06-24", "header");
    expect_date("", NULL, "garbage", "", NULL);
    /* datelines */
    expect_date("Today: 08/02/2023 20:11:56 (GMT+7)\n\nTitle", NULL, NULL, "2023-02-08",
                "dateline");
    expect_date("Updated: 15/03/2021\nText", NULL, NULL, "2021-03-15", "dateline");
    expect_date("Cập nhật: 20/04/2022", NULL, NULL, "2022-04-20", "dateline");
    expect_date("Hôm nay: 15/10/2022 06:45:02 (GMT+7)", NULL, NULL, "2022-10-15", "dateline");
    expect_date("Thứ Hai, 06/02/2017 10:30", NULL, NULL, "2017-02-06", "dateline");
    expect_date("Updated: Monday, March 15, 2021", NULL, NULL, "2021-03-15", "dateline");
    expect_date("Bac Ninh, 11/08/2025\n\nEnlarged Bac Ninh", NULL, NULL, "2025-08-11",
                "dateline");
    expect_date("Hà Nội, 11/08/2025", NULL, NULL, "2025-08-11", "dateline");
    expect_date("HA LONG, 27/05/2023 — Quang Ninh expects", NULL, NULL, "2023-05-27",
                "dateline");
    expect_date("Bà Rịa - Vũng Tàu, 18/07/2023 - Cụm cảng", NULL, NULL, "2023-07-18",
                "dateline");
    expect_date("Line\nLine\nTạp chí Doanh NghiệpTạp chí Doanh Nghiệp11/08/2025\nMore", NULL,
                NULL, "2025-08-11", "dateline");
    expect_date("1/7/2025", NULL, NULL, "2025-07-01", "dateline");
    /* the URL when there is no dateline */
    expect_date("No dateline here.", dantri, NULL, "2020-10-01", "url");
    expect_date("", "https://x.vn/2020/10/01/story.html", NULL, "2020-10-01", "url");
    expect_date("", "https://x.vn/news/story-4897740.html", NULL, "", NULL);
    expect_date("", "https://x.vn/news/story-123456789.html", NULL, "", NULL);
    expect_date("", "https://x.vn/20209999/story.html", NULL, "", NULL);
    expect_date("", "20201001", NULL, "2020-10-01", "url");
    expect_date("", "https://dantri.com.vn/xa-hoi/1-11-2020.htm", NULL, "2020-11-01", "url");
    expect_date("", "https://x.vn/top-10-31-2020.htm", NULL, "", NULL);
    /* never a document's date */
    expect_date("Resolution No. 57-NQ/TW dated December 22, 2024 of the Politburo", NULL, NULL,
                "", NULL);
    expect_date("Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị", NULL,
                NULL, "", NULL);
    expect_date("Ngày 22/12/2024, Bộ Chính trị ban hành nghị quyết.", NULL, NULL, "", NULL);
    expect_date("Sáng 1/7/2025, tại thành phố Hưng Yên, tỉnh tổ chức lễ công bố.", NULL, NULL,
                "", NULL);
    expect_date("Decision No. 1876/QĐ-UBND dated 21/09/2018", NULL, NULL, "", NULL);
    expect_date("Hợp đồng có hiệu lực từ 01/01/2020", NULL, NULL, "", NULL);
    /* only the first lines */
    expect_date("1\n2\n3\n4\n5\n6\n7\n8\nUpdated: 15/03/2021", NULL, NULL, "", NULL);
    /* real days only, 1990..2100 */
    expect_date("Updated: 31/02/2021", NULL, NULL, "", NULL);
    expect_date("Updated: 29/02/2024", NULL, NULL, "2024-02-29", "dateline");
    expect_date("Updated: 29/02/2100", NULL, NULL, "", NULL);
    expect_date("Updated: 15/03/1989", NULL, NULL, "", NULL);
    expect_date("Updated: 15/13/2021", NULL, NULL, "", NULL);
    expect_date(NULL, NULL, NULL, "", NULL);
}

/* ------------------------------------------------------------------------
 * The seed articles (issue 3) and the sample corpus.
 * ---------------------------------------------------------------------- */

static int load_seed(const char *prefix, article *a) {
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/corpus/seed", shared_dir());
    DIR *d = opendir(dir);
    if (!d) return -1;
    struct dirent *e;
    int rc = -1;
    while ((e = readdir(d)))
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0) {
            char path[2048];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            rc = load_article(path, a);
            break;
        }
    closedir(d);
    return rc;
}

static void extract_article(const article *a, int use_date, cs_meta *m) {
    assert_int_equal(cs_extract_meta(gz(), a->title, a->body, a->body_len,
                                     a->url[0] ? a->url : NULL,
                                     use_date && a->date[0] ? a->date : NULL, NULL, m),
                     0);
}

static void test_seed(void **state) {
    (void)state;
    static const struct {
        const char *id, *main, *date;
        const char *res[3];
    } seeds[] = {
        {"000", "Bắc Giang", "2023-02-08", {"111-NQ/TU", NULL, NULL}},
        {"001", "Bắc Ninh", "2025-08-11", {"57-NQ/TW", NULL, NULL}},
        {"002", "Vĩnh Phúc", "", {"57-NQ/TW", "03/NQ-CP", NULL}},
        {"003", "Bắc Giang", "", {"57-NQ/TW", NULL, NULL}},
        {"004", "Thái Bình", "", {"57", NULL, NULL}},
    };
    for (size_t i = 0; i < sizeof seeds / sizeof *seeds; i++) {
        article a;
        if (load_seed(seeds[i].id, &a)) CS_SKIP_UNLESS_CI("the seed corpus");
        cs_meta m;
        extract_article(&a, 1, &m);
        if (strcmp(main_prov(&m), seeds[i].main) != 0)
            fail_msg("seed %s: main province %s, expected %s", seeds[i].id, main_prov(&m),
                     seeds[i].main);
        if (strcmp(m.date, seeds[i].date) != 0)
            fail_msg("seed %s: date \"%s\", expected \"%s\"", seeds[i].id, m.date, seeds[i].date);
        size_t nres = 0;
        for (size_t k = 0; k < 3 && seeds[i].res[k]; k++, nres++)
            if (!has_str(m.resolutions, m.nresolutions, seeds[i].res[k]))
                fail_msg("seed %s: no resolution %s", seeds[i].id, seeds[i].res[k]);
        if (m.nresolutions != nres)
            fail_msg("seed %s: %zu resolutions (first %s), expected %zu", seeds[i].id,
                     m.nresolutions, m.resolutions[0], nres);
        /* "Plan No. 111" is not resolution 111 */
        assert_false(has_str(m.resolutions, m.nresolutions, "111") && i == 2);
        /* nothing from the seeds' boilerplate: every province was named in
         * the article itself */
        for (size_t k = 0; k < m.nprovinces; k++) assert_true(m.provinces[k].mentions > 0);
        cs_meta_free(&m);
        free(a.text);
    }
    /* 002 names Vinh Yen, not Vinh (Nghệ An) */
    article a;
    assert_int_equal(load_seed("002", &a), 0);
    cs_meta m;
    extract_article(&a, 1, &m);
    assert_null(find_prov(&m, "Nghệ An"));
    assert_false(has_str(m.resolutions, m.nresolutions, "111"));
    assert_true(has_str(m.documents, m.ndocuments, "5755/KH-UBND") == 0);
    cs_meta_free(&m);
    free(a.text);
    /* 000 lists Plan No.5755/KH-UBND as a document */
    assert_int_equal(load_seed("000", &a), 0);
    extract_article(&a, 1, &m);
    assert_true(has_str(m.documents, m.ndocuments, "5755/KH-UBND"));
    cs_meta_free(&m);
    free(a.text);
}

static void test_sample_corpus(void **state) {
    (void)state;
    /* From corpus/README.md: file, main province, date, resolutions,
     * provinces that must NOT be found (named only in boilerplate). */
    static const struct {
        const char *file, *main, *date, *res, *absent;
    } cases[] = {
        {"en/bac-giang-digital-transformation.txt", "Bắc Giang", "2021-03-15", "111-NQ/TU", NULL},
        {"en/bac-giang-lychee-exports.txt", "Bắc Giang", "2019-06-24", "", NULL},
        {"en/bac-ninh-resolution-57-science.txt", "Bắc Ninh", "2025-08-11", "57-NQ/TW",
         "Thanh Hóa"},
        {"en/can-tho-rice-new-rural.txt", "Cần Thơ", "2019-04-12", "", NULL},
        {"en/da-nang-storm-flood.txt", "Đà Nẵng", "2020-10-27", "", NULL},
        {"en/dak-lak-coffee-festival.txt", "Đắk Lắk", "2021-03-10", "", NULL},
        {"en/hanoi-traffic-decree-100.txt", "Hà Nội", "2020-01-05", "", NULL},
        {"en/hcmc-innovation-center.txt", "Hồ Chí Minh", "2025-03-18", "57-NQ/TW", NULL},
        {"en/hue-tourism-heritage.txt", "Thừa Thiên Huế", "2017-02-08", "", "Kiên Giang"},
        {"en/lao-cai-flash-flood.txt", "Lào Cai", "2024-09-11", "", NULL},
        {"en/phu-tho-merger-2025.txt", "Phú Thọ", "2025-07-01", "", "Đồng Nai"},
        {"en/quang-ninh-ha-long-tourism.txt", "Quảng Ninh", "2023-05-27", "82/NQ-CP", NULL},
        {"en/vinh-city-nghe-an-education.txt", "Nghệ An", "2022-09-05", "", "Vĩnh Phúc"},
        {"en/vinh-yen-industrial-park.txt", "Vĩnh Phúc", "", "", "Nghệ An"},
        {"vi/ba-ria-vung-tau-cang-cai-mep.txt", "Bà Rịa - Vũng Tàu", "2023-07-18", "35/NQ-CP",
         NULL},
        {"vi/bac-giang-nghi-quyet-111-chuyen-doi-so.txt", "Bắc Giang", "2022-04-20",
         "111-NQ/TU", NULL},
        {"vi/bac-giang-vai-thieu-luc-ngan.txt", "Bắc Giang", "2020-06-10", "", NULL},
        {"vi/bac-ninh-chuyen-doi-so.txt", "Bắc Ninh", "2025-09-15", "57-NQ/TW", "Gia Lai"},
        {"vi/da-nang-mua-lu-2022.txt", "Đà Nẵng", "2022-10-15", "", "Bắc Giang"},
        {"vi/ha-noi-khoi-nghiep-doi-moi-sang-tao.txt", "Hà Nội", "2017-11-16", "", NULL},
        {"vi/hoa-binh-benh-vien-ky-thuat-cao.txt", "Hòa Bình", "2024-03-22", "", NULL},
        {"vi/hue-festival-du-lich.txt", "Thừa Thiên Huế", "2018-05-02", "", NULL},
        {"vi/hung-yen-sau-sap-nhap.txt", "Hưng Yên", "2025-07-01", "", "Tuyên Quang"},
        {"vi/nghe-an-tp-vinh-giao-duc.txt", "Nghệ An", "2023-09-05", "", "Vĩnh Phúc"},
        {"vi/thai-binh-nong-thon-moi.txt", "Thái Bình", "2018-12-26", "", NULL},
        {"vi/tp-hcm-nghi-quyet-57.txt", "Hồ Chí Minh", "2025-02-25", "57-NQ/TW", NULL},
        {"vi/vinh-phuc-thu-hut-fdi.txt", "Vĩnh Phúc", "2019-05-14", "", "Nghệ An"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char path[2048];
        snprintf(path, sizeof path, "%s/corpus/%s", source_dir(), cases[i].file);
        article a;
        if (load_article(path, &a)) fail_msg("cannot read %s", path);
        cs_meta m;
        extract_article(&a, 1, &m);
        if (strcmp(main_prov(&m), cases[i].main) != 0)
            fail_msg("%s: main province %s, expected %s", cases[i].file, main_prov(&m),
                     cases[i].main);
        if (strcmp(m.date, cases[i].date) != 0)
            fail_msg("%s: date \"%s\", expected \"%s\"", cases[i].file, m.date, cases[i].date);
        if (cases[i].res[0] && !has_str(m.resolutions, m.nresolutions, cases[i].res))
            fail_msg("%s: no resolution %s (%zu found)", cases[i].file, cases[i].res,
                     m.nresolutions);
        if (!cases[i].res[0] && m.nresolutions)
            fail_msg("%s: unexpected resolution %s", cases[i].file, m.resolutions[0]);
        if (cases[i].absent && find_prov(&m, cases[i].absent))
            fail_msg("%s: %s found, but it is only in boilerplate or not named",
                     cases[i].file, cases[i].absent);
        cs_meta_free(&m);
        free(a.text);
    }
}

/* Other facts from corpus/README.md. */
static void test_sample_corpus_details(void **state) {
    (void)state;
    char path[2048];
    article a;
    cs_meta m;
    snprintf(path, sizeof path, "%s/corpus/en/hanoi-traffic-decree-100.txt", source_dir());
    assert_int_equal(load_article(path, &a), 0);
    extract_article(&a, 1, &m);
    assert_true(has_str(m.documents, m.ndocuments, "100/2019/NĐ-CP"));
    assert_false(has_str(m.documents, m.ndocuments, "100/2019/ND-CP"));
    assert_non_null(find_prov(&m, "Hồ Chí Minh"));
    assert_non_null(find_prov(&m, "Đà Nẵng"));
    cs_meta_free(&m);
    free(a.text);

    snprintf(path, sizeof path, "%s/corpus/en/phu-tho-merger-2025.txt", source_dir());
    assert_int_equal(load_article(path, &a), 0);
    extract_article(&a, 1, &m);
    const char *named[] = {"Vĩnh Phúc", "Hòa Bình", "Bắc Giang", "Bắc Ninh", "Thái Bình",
                           "Hưng Yên", "Lào Cai"};
    for (size_t i = 0; i < sizeof named / sizeof *named; i++)
        if (!find_prov(&m, named[i])) fail_msg("phu-tho-merger: %s not found", named[i]);
    const char *noise[] = {"Nam Định", "Hà Giang", "Bình Phước"};
    for (size_t i = 0; i < sizeof noise / sizeof *noise; i++)
        if (find_prov(&m, noise[i])) fail_msg("phu-tho-merger: %s is boilerplate", noise[i]);
    assert_string_equal(m.provinces[0].unit2025, "Phú Thọ");
    cs_meta_free(&m);
    free(a.text);

    snprintf(path, sizeof path, "%s/corpus/vi/ha-noi-khoi-nghiep-doi-moi-sang-tao.txt",
             source_dir());
    assert_int_equal(load_article(path, &a), 0);
    extract_article(&a, 0, &m); /* without the header: the in-text dateline */
    assert_string_equal(m.date, "2017-11-16");
    assert_string_equal(m.date_source, "dateline");
    assert_true(has_str(m.documents, m.ndocuments, "844/QĐ-TTg"));
    assert_true(has_str(m.documents, m.ndocuments, "190/KH-UBND"));
    cs_meta_free(&m);
    free(a.text);
}

/* The JSON Lines feeds: the `date` and `province` fields are given (as the
 * indexer passes them); a record without `province` must still be found. */
static void test_sample_feeds(void **state) {
    (void)state;
    static const struct {
        const char *id, *main, *res, *doc;
    } cases[] = {
        {"en-feed-001", "Bắc Ninh", "35/NQ-CP", NULL},
        {"en-feed-002", "Hưng Yên", NULL, NULL},
        {"en-feed-003", "Nghệ An", NULL, NULL},
        {"en-feed-004", "Hồ Chí Minh", NULL, NULL},
        {"en-feed-005", "Hòa Bình", NULL, NULL},
        {"en-feed-006", "Hà Nội", "57-NQ/TW", NULL},
        {"vi-feed-001", "Lào Cai", NULL, NULL},
        {"vi-feed-002", "Cần Thơ", NULL, "749/QĐ-TTg"},
        {"vi-feed-003", "Đắk Lắk", NULL, NULL},
        {"vi-feed-004", "Phú Thọ", "57-NQ/TW", "85/KH-UBND"},
        {"vi-feed-005", "Hà Nội", NULL, "100/2019/NĐ-CP"},
        {"vi-feed-006", "Quảng Ninh", NULL, NULL},
    };
    const char *files[] = {"en-wire.jsonl", "vi-tin-tuc.jsonl"};
    size_t seen = 0;
    for (size_t f = 0; f < 2; f++) {
        char path[2048];
        snprintf(path, sizeof path, "%s/corpus/feeds/%s", source_dir(), files[f]);
        FILE *fp = fopen(path, "r");
        if (!fp) fail_msg("cannot read %s", path);
        char line[65536];
        while (fgets(line, sizeof line, fp)) {
            json_error_t err;
            json_t *o = json_loads(line, 0, &err);
            if (!o) continue;
            const char *id = json_string_value(json_object_get(o, "id"));
            const char *title = json_string_value(json_object_get(o, "title"));
            const char *body = json_string_value(json_object_get(o, "body"));
            const char *url = json_string_value(json_object_get(o, "url"));
            const char *date = json_string_value(json_object_get(o, "date"));
            const char *prov = json_string_value(json_object_get(o, "province"));
            for (size_t i = 0; id && i < sizeof cases / sizeof *cases; i++) {
                if (strcmp(id, cases[i].id) != 0) continue;
                seen++;
                cs_meta m;
                assert_int_equal(cs_extract_meta(gz(), title, body, body ? strlen(body) : 0, url,
                                                 date, prov, &m),
                                 0);
                if (strcmp(main_prov(&m), cases[i].main) != 0)
                    fail_msg("%s: main province %s, expected %s", id, main_prov(&m),
                             cases[i].main);
                assert_string_equal(m.date, date);
                if (cases[i].res && !has_str(m.resolutions, m.nresolutions, cases[i].res))
                    fail_msg("%s: no resolution %s", id, cases[i].res);
                if (cases[i].doc && !has_str(m.documents, m.ndocuments, cases[i].doc))
                    fail_msg("%s: no document %s", id, cases[i].doc);
                /* without the hint the text alone gives the same main province */
                cs_meta m2;
                assert_int_equal(cs_extract_meta(gz(), title, body, body ? strlen(body) : 0,
                                                 url, NULL, NULL, &m2),
                                 0);
                if (strcmp(main_prov(&m2), cases[i].main) != 0)
                    fail_msg("%s without the hint: main province %s", id, main_prov(&m2));
                cs_meta_free(&m2);
                cs_meta_free(&m);
            }
            json_decref(o);
        }
        fclose(fp);
    }
    assert_int_equal(seen, 12);
}

/* Every dantri article whose URL carries a timestamp gets that date, from
 * the URL (no dateline is misread in the text); it agrees with the `# date`
 * header except where the data itself disagrees (a story created late one
 * day and filed under the next: 39 of 2,653). */
static void test_dantri(void **state) {
    (void)state;
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/vi-news-dantri", data_dir());
    DIR *d = opendir(dir);
    if (!d) CS_SKIP_UNLESS_CI("the dantri corpus");
    struct dirent *e;
    size_t n = 0, with_prov = 0, with_date = 0, url_dated = 0, agree = 0, with_res = 0;
    int bad = 0;
    char msg[512] = "";
    while ((e = readdir(d))) {
        if (!strstr(e->d_name, ".txt")) continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        article a;
        if (load_article(path, &a)) continue;
        cs_meta m;
        if (cs_extract_meta(gz(), a.title, a.body, a.body_len, a.url[0] ? a.url : NULL, NULL,
                            NULL, &m)) {
            free(a.text);
            continue;
        }
        n++;
        with_prov += m.nprovinces > 0;
        with_date += m.date[0] != '\0';
        with_res += m.nresolutions > 0;
        const char *ts = strrchr(a.url, '-');
        if (ts && strspn(ts + 1, "0123456789") >= 17) {
            char want[11];
            snprintf(want, sizeof want, "%.4s-%.2s-%.2s", ts + 1, ts + 5, ts + 7);
            url_dated++;
            agree += strcmp(m.date, a.date) == 0;
            if ((strcmp(m.date, want) != 0 || !m.date_source ||
                 strcmp(m.date_source, "url") != 0) && !bad++)
                snprintf(msg, sizeof msg, "%s: date %s (%s), URL %s", e->d_name, m.date,
                         m.date_source ? m.date_source : "none", want);
        }
        cs_meta_free(&m);
        free(a.text);
    }
    closedir(d);
    print_message("# dantri: %zu articles, %zu with a province, %zu with a date (%zu with a "
                  "URL timestamp, %zu equal to the header), %zu with a resolution\n",
                  n, with_prov, with_date, url_dated, agree, with_res);
    if (bad) fail_msg("%d articles: first %s", bad, msg);
    assert_true(n > 2000);
    assert_int_equal(with_date, n);
    assert_true(agree * 100 >= url_dated * 98);
}

/* ------------------------------------------------------------------------
 * Benchmark.
 * ---------------------------------------------------------------------- */

static int bench(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "cannot open %s\n", dir);
        return 1;
    }
    size_t cap = 1024, n = 0, bytes = 0;
    article *arts = malloc(cap * sizeof *arts);
    struct dirent *e;
    while (arts && (e = readdir(d))) {
        if (!strstr(e->d_name, ".txt")) continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (n == cap) {
            article *na = realloc(arts, 2 * cap * sizeof *arts);
            if (!na) break;
            arts = na;
            cap *= 2;
        }
        if (load_article(path, &arts[n]) == 0) bytes += arts[n].body_len, n++;
    }
    closedir(d);
    const cs_gazetteer *g = cs_gazetteer_default();
    if (!g || !arts) return 1;
    size_t prov = 0, date = 0, res = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t i = 0; i < n; i++) {
        cs_meta m;
        if (cs_extract_meta(g, arts[i].title, arts[i].body, arts[i].body_len,
                            arts[i].url[0] ? arts[i].url : NULL, NULL, NULL, &m))
            return 1;
        prov += m.nprovinces > 0;
        date += m.date[0] != 0;
        res += m.nresolutions > 0;
        cs_meta_free(&m);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%zu articles, %.1f MB in %.3f s: %.1f MB/s, %.0f articles/s\n", n, bytes / 1e6, s,
           bytes / 1e6 / s, n / s);
    printf("with a province %zu, a date %zu, a resolution %zu\n", prov, date, res);
    for (size_t i = 0; i < n; i++) free(arts[i].text);
    free(arts);
    return 0;
}

/* One line per file: provinces (mentions, score), resolutions, documents,
 * date and its source. For looking at what extraction does to real text. */
static int dump(int argc, char **argv) {
    for (int i = 0; i < argc; i++) {
        article a;
        if (load_article(argv[i], &a)) {
            fprintf(stderr, "cannot read %s\n", argv[i]);
            continue;
        }
        cs_meta m;
        if (cs_extract_meta(cs_gazetteer_default(), a.title, a.body, a.body_len,
                            a.url[0] ? a.url : NULL, NULL, NULL, &m) == 0) {
            const char *base = strrchr(argv[i], '/');
            printf("%s\t", base ? base + 1 : argv[i]);
            for (size_t k = 0; k < m.nprovinces; k++)
                printf("%s%s(%u,%.1f)", k ? ", " : "", m.provinces[k].name,
                       m.provinces[k].mentions, m.provinces[k].score);
            printf("\t");
            for (size_t k = 0; k < m.nresolutions; k++) printf("%s%s", k ? ", " : "", m.resolutions[k]);
            printf("\t");
            for (size_t k = 0; k < m.ndocuments; k++) printf("%s%s", k ? ", " : "", m.documents[k]);
            printf("\t%s %s\n", m.date, m.date_source ? m.date_source : "-");
            cs_meta_free(&m);
        }
        free(a.text);
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "--dump") == 0) return dump(argc - 2, argv + 2);
    if (argc == 3 && strcmp(argv[1], "--resolve") == 0) {
        const cs_gazetteer *g = cs_gazetteer_default();
        if (!g) {
            printf("(no gazetteer)\n");
            return 1;
        }
        const char *out[64];
        size_t n = cs_gazetteer_resolve(g, argv[2], out, 64);
        for (size_t i = 0; i < n; i++) printf("%s%s", i ? "|" : "", out[i]);
        printf("\n");
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "--bench") == 0) {
        char dir[1024];
        if (argc >= 3) snprintf(dir, sizeof dir, "%s", argv[2]);
        else snprintf(dir, sizeof dir, "%s/vi-news-baomoi", data_dir());
        return bench(dir);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gazetteer_merger),
        cmocka_unit_test(test_gazetteer_resolve),
        cmocka_unit_test(test_gazetteer_parse_errors),
        cmocka_unit_test(test_gazetteer_custom),
        cmocka_unit_test(test_gazetteer_env),
        cmocka_unit_test(test_fold_agrees_with_tokenizer),
        cmocka_unit_test(test_province_vinh),
        cmocka_unit_test(test_province_ambiguous),
        cmocka_unit_test(test_province_hcmc_hue),
        cmocka_unit_test(test_province_ranking),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_random_input),
        cmocka_unit_test(test_resolutions),
        cmocka_unit_test(test_resolution_normalize),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_seed),
        cmocka_unit_test(test_sample_corpus),
        cmocka_unit_test(test_sample_corpus_details),
        cmocka_unit_test(test_sample_feeds),
        cmocka_unit_test(test_dantri),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
