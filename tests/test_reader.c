/* test_reader.c -- unit tests for reader.c: .txt and .jsonl parsing, folder
 * walks, ids, and how every kind of bad input is warned about and counted.
 * Fixtures are written into a fresh mkdtemp folder under /tmp, removed at
 * the end. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "reader.h"
#include "testutil.h"

/* ---- fixtures ----------------------------------------------------------- */

static char tmpdir[64];

/* Path inside the fixture folder; returns a static buffer (one at a time is
 * enough for the tests, which copy when they need two). */
static const char *fx(const char *rel)
{
    static char buf[512];
    snprintf(buf, sizeof buf, "%s/%s", tmpdir, rel);
    return buf;
}

/* Create every folder on the way to `path` (a file path). */
static void make_parents(const char *path)
{
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(tmp, 0755);
            *p = '/';
        }
}

static void write_bytes(const char *rel, const void *data, size_t len)
{
    const char *path = fx(rel);
    make_parents(path);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void write_str(const char *rel, const char *s)
{
    write_bytes(rel, s, strlen(s));
}

#define WRITE_LIT(rel, lit) write_bytes((rel), (lit), sizeof(lit) - 1)

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag == FTW_DP || flag == FTW_D || flag == FTW_DNR)
        chmod(path, 0700);
    return remove(path);
}

static int setup_all(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_reader.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_all(void **state)
{
    (void)state;
    /* make unreadable test folders removable again */
    chmod(fx("unreadable/locked"), 0700);
    return nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- collecting what the reader reports -------------------------------- */

#define MAXN 64

typedef struct warning {
    char where[512];
    char msg[1024];
    int skipped;
} warning;

typedef struct collect {
    cs_article *art[MAXN];
    size_t narts;
    warning warn[MAXN];
    size_t nwarns;
    size_t stop_after;      /* stop with 7 after this many, 0 = never */
} collect;

static int on_article(cs_article *a, void *ud)
{
    collect *c = ud;
    assert_true(c->narts < MAXN);
    c->art[c->narts++] = a;
    return c->stop_after && c->narts >= c->stop_after ? 7 : 0;
}

static void on_warning(const char *where, const char *msg, int skipped,
                       void *ud)
{
    collect *c = ud;
    assert_true(c->nwarns < MAXN);
    warning *w = &c->warn[c->nwarns++];
    snprintf(w->where, sizeof w->where, "%s", where);
    snprintf(w->msg, sizeof w->msg, "%s", msg);
    w->skipped = skipped;
    /* messages are one line */
    assert_null(strchr(msg, '\n'));
}

static void reader_init(cs_reader *r, collect *c)
{
    memset(r, 0, sizeof *r);
    memset(c, 0, sizeof *c);
    r->on_article = on_article;
    r->on_warning = on_warning;
    r->ud = c;
}

static void collect_free(collect *c)
{
    for (size_t i = 0; i < c->narts; i++)
        cs_article_free(c->art[i]);
    c->narts = 0;
}

/* The one warning whose message contains `needle`; fails if none. */
static const warning *find_warning(const collect *c, const char *needle)
{
    for (size_t i = 0; i < c->nwarns; i++)
        if (strstr(c->warn[i].msg, needle))
            return &c->warn[i];
    fail_msg("no warning containing \"%s\" (%zu warnings)", needle,
             c->nwarns);
    /* Not reached: fail_msg ends the test. GCC cannot tell, and a NULL here
     * made it warn about reading through it at the call sites. */
    return &c->warn[0];
}

/* The article with this id; fails if none. */
static const cs_article *find_article(const collect *c, const char *id)
{
    for (size_t i = 0; i < c->narts; i++)
        if (strcmp(c->art[i]->id, id) == 0)
            return c->art[i];
    fail_msg("no article with id \"%s\"", id);
    return NULL;
}

/* Read one fixture file directly and return the collector state. */
static int read_rel(cs_reader *r, collect *c, const char *rel)
{
    reader_init(r, c);
    return cs_read_path(r, fx(rel));
}

/* ---- .txt --------------------------------------------------------------- */

static void test_txt_basic(void **state)
{
    (void)state;
    cs_reader r;
    collect c;

    write_str("basic/plain.txt",
              "\n  Bac Giang   focuses on\tinnovation  \n\nFirst paragraph.\n"
              "Second paragraph.\n\n");
    assert_int_equal(read_rel(&r, &c, "basic/plain.txt"), 0);
    assert_int_equal(c.narts, 1);
    assert_int_equal(c.nwarns, 0);
    const cs_article *a = c.art[0];
    assert_string_equal(a->id, "plain");
    assert_string_equal(a->title, "Bac Giang focuses on innovation");
    assert_string_equal(a->body, "First paragraph.\nSecond paragraph.");
    assert_int_equal(a->body_len, strlen(a->body));
    assert_null(a->url);
    assert_null(a->date);
    assert_null(a->lang);
    assert_string_equal(a->source, fx("basic/plain.txt"));
    assert_int_equal(r.stats.files, 1);
    assert_int_equal(r.stats.articles, 1);
    assert_int_equal(r.stats.skipped, 0);
    assert_int_equal(r.stats.repaired, 0);
    collect_free(&c);
}

/* The dantri layout: doc_id/url/date headers, title, body. */
static void test_txt_dantri_headers(void **state)
{
    (void)state;
    cs_reader r;
    collect c;

    write_str("dantri/news_business_001.txt",
              "# doc_id = news_business_001\n"
              "# url = https://dantri.com.vn/kinh-doanh/vinamilk-lot-top-1000-"
              "thuong-hieu-hang-dau-chau-a-20201001163534963.htm\n"
              "# date = 20201001\n"
              "Vinamilk lọt Top 1.000 thương hiệu hàng đầu châu Á\n"
              "Năm 2020, Vinamilk đã vượt qua các thương hiệu - Vietnam’s "
              "Strongest Local Brands.\n"
              "Bảng xếp hạng Top 10.\n");
    assert_int_equal(read_rel(&r, &c, "dantri/news_business_001.txt"), 0);
    assert_int_equal(c.narts, 1);
    assert_int_equal(c.nwarns, 0);
    const cs_article *a = c.art[0];
    assert_string_equal(a->id, "news_business_001");
    assert_string_equal(a->url, "https://dantri.com.vn/kinh-doanh/vinamilk-lot-"
                        "top-1000-thuong-hieu-hang-dau-chau-a-"
                        "20201001163534963.htm");
    assert_string_equal(a->date, "2020-10-01");
    assert_string_equal(a->title,
                        "Vinamilk lọt Top 1.000 thương hiệu hàng đầu châu Á");
    assert_string_equal(a->body,
                        "Năm 2020, Vinamilk đã vượt qua các thương hiệu - "
                        "Vietnam's Strongest Local Brands.\n"
                        "Bảng xếp hạng Top 10.");
    collect_free(&c);
}

/* The real dantri file, when the corpus is on this machine. */
static void test_txt_dantri_real_file(void **state)
{
    (void)state;
    const char *data = getenv("CS_DATA_DIR");
    char path[512];
    cs_reader r;
    collect c;

    snprintf(path, sizeof path, "%s/vi-news-dantri/news_business_001.txt",
             data ? data : "/tmp/data");
    if (access(path, R_OK) != 0)
        CS_SKIP_UNLESS_CI("the dantri corpus");
    reader_init(&r, &c);
    assert_int_equal(cs_read_path(&r, path), 0);
    assert_int_equal(c.narts, 1);
    assert_string_equal(c.art[0]->id, "news_business_001");
    assert_string_equal(c.art[0]->date, "2020-10-01");
    assert_string_equal(c.art[0]->title,
                        "Vinamilk lọt Top 1.000 thương hiệu hàng đầu châu Á");
    assert_non_null(strstr(c.art[0]->body, "Vietnam's Strongest"));
    collect_free(&c);
}

static void test_txt_header_fields(void **state)
{
    (void)state;
    cs_reader r;
    collect c;

    write_str("headers/h1.txt",
              "# doc_id = my-id\n"
              "#date=2021-03-04\n"
              "# Lang = VI\n"
              "# province = Bắc Ninh\n"
              "# title = Header   title\n"
              "# colour = blue\n"
              "First line is body here\nmore\n");
    assert_int_equal(read_rel(&r, &c, "headers/h1.txt"), 0);
    assert_int_equal(c.narts, 1);
    assert_int_equal(c.nwarns, 0);
    const cs_article *a = c.art[0];
    assert_string_equal(a->id, "my-id");
    assert_string_equal(a->date, "2021-03-04");
    assert_string_equal(a->lang, "vi");
    assert_string_equal(a->province, "Bắc Ninh");
    assert_string_equal(a->title, "Header title");
    assert_string_equal(a->body, "First line is body here\nmore");
    collect_free(&c);

    /* bad values: warned, ignored, article still indexed */
    write_str("headers/h2.txt",
              "# date = 2021-02-30\n# lang = fr\nTitle\nBody\n");
    assert_int_equal(read_rel(&r, &c, "headers/h2.txt"), 0);
    assert_int_equal(c.narts, 1);
    assert_null(c.art[0]->date);
    assert_null(c.art[0]->lang);
    assert_string_equal(c.art[0]->id, "h2");
    assert_int_equal(c.nwarns, 2);
    assert_int_equal(find_warning(&c, "unparseable date")->skipped, 0);
    assert_int_equal(find_warning(&c, "lang \"fr\"")->skipped, 0);
    assert_int_equal(r.stats.skipped, 0);
    collect_free(&c);

    /* a '#' line that is not "key = value" ends the headers: it is text */
    write_str("headers/h3.txt", "# doc_id = x3\n#Hashtag news today\nBody\n");
    assert_int_equal(read_rel(&r, &c, "headers/h3.txt"), 0);
    assert_string_equal(c.art[0]->id, "x3");
    assert_string_equal(c.art[0]->title, "#Hashtag news today");
    collect_free(&c);

    /* headers only, no text: empty */
    write_str("headers/h4.txt", "# doc_id = x4\n# date = 20200101\n");
    assert_int_equal(read_rel(&r, &c, "headers/h4.txt"), 0);
    assert_int_equal(c.narts, 0);
    assert_int_equal(find_warning(&c, "empty article")->skipped, 1);
}

static void test_txt_title_rules(void **state)
{
    (void)state;
    cs_reader r;
    collect c;

    /* dateline above the title stays in the body; boilerplate is dropped */
    write_str("title/t1.txt",
              "Vietnam.vn - Nền tảng quảng bá Việt Nam\n\n"
              "Today: 08/02/2023 20:11:56 (GMT+7)\n"
              "Độc lập -  Tự do - Hạnh phúc\n"
              "20:11\n"
              "Real title here\n\nBody text.\n");
    assert_int_equal(read_rel(&r, &c, "title/t1.txt"), 0);
    assert_int_equal(c.narts, 1);
    assert_string_equal(c.art[0]->title, "Real title here");
    assert_string_equal(c.art[0]->body,
                        "Today: 08/02/2023 20:11:56 (GMT+7)\n20:11\n\n"
                        "Body text.");
    collect_free(&c);

    /* a title that mentions a date is still a title */
    write_str("title/t2.txt",
              "Kết quả xổ số điện toán Vietlott ngày 6/2/2017\nBody\n");
    assert_int_equal(read_rel(&r, &c, "title/t2.txt"), 0);
    assert_string_equal(c.art[0]->title,
                        "Kết quả xổ số điện toán Vietlott ngày 6/2/2017");
    collect_free(&c);

    /* a very long first line: title cut at a character boundary below 500
     * bytes, the whole line kept in the body */
    char line[1200];
    size_t n = 0;
    while (n + 3 < 1100) {
        memcpy(line + n, "ệ", 3);            /* 3 bytes: 500 is not a multiple */
        n += 3;
    }
    line[n] = '\0';
    char text[1300];
    snprintf(text, sizeof text, "%s\nrest\n", line);
    write_str("title/t3.txt", text);
    assert_int_equal(read_rel(&r, &c, "title/t3.txt"), 0);
    assert_int_equal(strlen(c.art[0]->title), 498);
    assert_int_equal(strncmp(c.art[0]->title, line, 498), 0);
    assert_int_equal(strncmp(c.art[0]->body, line, n), 0);
    assert_string_equal(c.art[0]->body + n, "\nrest");
    collect_free(&c);

    /* nothing but a dateline: no title, the text is the body */
    write_str("title/t4.txt", "Thứ Hai, 06/02/2017 10:30\n");
    assert_int_equal(read_rel(&r, &c, "title/t4.txt"), 0);
    assert_int_equal(c.narts, 1);
    assert_string_equal(c.art[0]->title, "");
    assert_string_equal(c.art[0]->body, "Thứ Hai, 06/02/2017 10:30");
    collect_free(&c);

    /* only boilerplate: nothing left */
    write_str("title/t5.txt", "Độc lập - Tự do - Hạnh phúc\n");
    assert_int_equal(read_rel(&r, &c, "title/t5.txt"), 0);
    assert_int_equal(c.narts, 0);
    find_warning(&c, "empty article");
}

static void test_txt_invalid_utf8_repaired(void **state)
{
    (void)state;
    cs_reader r;
    collect c;

    WRITE_LIT("bad/latin1.txt", "Caf\xE9 title\nBody with \xFF\xFE bytes\n");
    assert_int_equal(read_rel(&r, &c, "bad/latin1.txt"), 0);
    assert_int_equal(c.narts, 1);
    assert_string_equal(c.art[0]->title, "Caf\xEF\xBF\xBD title");
    assert_string_equal(c.art[0]->body,
                        "Body with \xEF\xBF\xBD\xEF\xBF\xBD bytes");
    assert_int_equal(c.nwarns, 1);
    assert_string_equal(c.warn[0].msg,
                        "invalid UTF-8 at byte 3 (3 sequences replaced with "
                        "U+FFFD)");
    assert_string_equal(c.warn[0].where, fx("bad/latin1.txt"));
    assert_int_equal(c.warn[0].skipped, 0);
    assert_int_equal(r.stats.repaired, 1);
    assert_int_equal(r.stats.skipped, 0);
    assert_int_equal(r.stats.articles, 1);
    collect_free(&c);
}

static void test_txt_bom_crlf_no_warning(void **state)
{
    (void)state;
    cs_reader r;
    collect c;

    WRITE_LIT("bom/crlf.txt",
              "\xEF\xBB\xBF# doc_id = bom1\r\nTitle\r\n\r\nLine one\rLine two\r\n");
    assert_int_equal(read_rel(&r, &c, "bom/crlf.txt"), 0);
    assert_int_equal(c.narts, 1);
    assert_int_equal(c.nwarns, 0);
    assert_int_equal(r.stats.repaired, 0);
    assert_string_equal(c.art[0]->id, "bom1");
    assert_string_equal(c.art[0]->title, "Title");
    assert_string_equal(c.art[0]->body, "Line one\nLine two");
    collect_free(&c);
}

static void test_txt_control_chars(void **state)
{
    (void)state;
    cs_reader r;
    collect c;
    char text[300];

    /* long enough that two stray bytes are damage, not a binary file */
    snprintf(text, sizeof text, "Title\n%s",
             "The province\x01has invested in roads, schools and hospitals "
             "over the last ten years, the report says.\n"
             "More text follows in a second paragraph of the article.\n");
    size_t len = strlen(text);
    /* then a NUL byte and a backspace */
    memcpy(text + len, "\0end of\x08 article\n", 17);
    write_bytes("ctl/nul.txt", text, len + 17);
    assert_int_equal(read_rel(&r, &c, "ctl/nul.txt"), 0);
    assert_int_equal(c.narts, 1);
    assert_non_null(strstr(c.art[0]->body, "The province has invested"));
    assert_non_null(strstr(c.art[0]->body, "article.\nend of article"));
    assert_int_equal(c.nwarns, 1);
    assert_string_equal(c.warn[0].msg,
                        "removed 3 control characters (first at byte 18)");
    assert_int_equal(c.warn[0].skipped, 0);
    assert_int_equal(r.stats.repaired, 1);
    collect_free(&c);
}

static void test_txt_empty_and_whitespace(void **state)
{
    (void)state;
    cs_reader r;
    collect c;

    WRITE_LIT("empty/a.txt", "");
    WRITE_LIT("empty/b.txt", " \n\t\r\n  \n");
    WRITE_LIT("empty/c.txt", "\xEF\xBB\xBF\n");
    WRITE_LIT("empty/d.txt", "ok\n");
    assert_int_equal(read_rel(&r, &c, "empty"), 0);
    assert_int_equal(c.narts, 1);
    assert_string_equal(c.art[0]->id, "d");
    assert_int_equal(c.nwarns, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(c.warn[i].msg, "empty article");
        assert_int_equal(c.warn[i].skipped, 1);
    }
    assert_string_equal(c.warn[0].where, fx("empty/a.txt"));
    assert_int_equal(r.stats.files, 4);
    assert_int_equal(r.stats.skipped, 3);
    assert_int_equal(r.stats.articles, 1);
    collect_free(&c);
}

static void test_txt_binary_and_utf16(void **state)
{
    (void)state;
    cs_reader r;
    collect c;
    static const unsigned char png[] = {
        0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H',
        'D', 'R', 0, 0, 1, 0, 0, 0, 1, 0, 8, 6, 0, 0, 0, 0x5C, 0x72, 0xA8 };

    write_bytes("bin/image.txt", png, sizeof png);
    WRITE_LIT("bin/utf16.txt", "\xFF\xFET\0i\0t\0l\0e\0\n\0B\0o\0d\0y\0\n\0");
    WRITE_LIT("bin/utf16nobom.txt", "T\0i\0t\0l\0e\0\n\0B\0o\0d\0y\0\n\0");
    assert_int_equal(read_rel(&r, &c, "bin"), 0);
    assert_int_equal(c.narts, 0);
    assert_int_equal(c.nwarns, 3);
    assert_string_equal(c.warn[0].where, fx("bin/image.txt"));
    assert_string_equal(c.warn[0].msg, "binary file");
    assert_string_equal(c.warn[1].msg,
                        "UTF-16 text is not supported, convert to UTF-8");
    assert_string_equal(c.warn[2].msg,
                        "UTF-16 text is not supported, convert to UTF-8");
    assert_int_equal(r.stats.skipped, 3);

    /* a real executable named directly, whatever its extension */
    if (access("/bin/ls", R_OK) == 0) {
        reader_init(&r, &c);
        r.max_bytes = 64u << 20;
        assert_int_equal(cs_read_path(&r, "/bin/ls"), 0);
        assert_int_equal(c.narts, 0);
        assert_string_equal(find_warning(&c, "binary")->where, "/bin/ls");
    }
}

static void test_txt_too_large(void **state)
{
    (void)state;
    cs_reader r;
    collect c;
    char big[200];

    memset(big, 'a', sizeof big);
    big[10] = '\n';
    write_bytes("large/big.txt", big, 200);
    write_bytes("large/fits.txt", big, 100);
    reader_init(&r, &c);
    r.max_bytes = 100;
    assert_int_equal(cs_read_path(&r, fx("large")), 0);
    assert_int_equal(c.narts, 1);
    assert_string_equal(c.art[0]->id, "fits");
    assert_int_equal(c.nwarns, 1);
    assert_string_equal(c.warn[0].msg,
                        "article too large (200 bytes, limit 100)");
    assert_int_equal(c.warn[0].skipped, 1);
    assert_int_equal(r.stats.skipped, 1);
    collect_free(&c);

    /* the default limit applies when max_bytes is 0 */
    reader_init(&r, &c);
    assert_int_equal(cs_read_path(&r, fx("large/big.txt")), 0);
    assert_int_equal(c.narts, 1);
    collect_free(&c);
}

/* The checks of test_unreadable, without cmocka so that they can run in a
 * child process. Returns 0, or the number (from 1) of the first failed
 * check. */
#define CHECK(cond) \
    do { \
        n++; \
        if (!(cond)) { \
            collect_free(&c); \
            return n; \
        } \
    } while (0)
static int unreadable_checks(void)
{
    cs_reader r;
    collect c;
    int n = 0;

    CHECK(read_rel(&r, &c, "unreadable") == 0);
    CHECK(c.narts == 2);
    CHECK(strcmp(c.art[0]->id, "a") == 0);
    CHECK(strcmp(c.art[1]->id, "z") == 0);
    CHECK(c.nwarns == 2);
    CHECK(strcmp(c.warn[0].where, fx("unreadable/locked")) == 0);
    CHECK(strstr(c.warn[0].msg, "Permission denied") != NULL);
    CHECK(strcmp(c.warn[1].where, fx("unreadable/secret.txt")) == 0);
    CHECK(strstr(c.warn[1].msg, "Permission denied") != NULL);
    CHECK(c.warn[1].skipped == 1);
    CHECK(r.stats.skipped == 2);
    CHECK(r.stats.files == 2);
    collect_free(&c);
    /* the path itself unreadable: -1 */
    CHECK(read_rel(&r, &c, "unreadable/secret.txt") == -1);
    CHECK(c.nwarns == 1 && c.narts == 0);
    CHECK(read_rel(&r, &c, "unreadable/locked") == -1);
    CHECK(c.nwarns == 1 && c.narts == 0);
    return 0;
}
#undef CHECK

/* A file or folder that cannot be read is warned about; the walk goes on.
 * As root, chmod 000 does not stop reading: the checks then run in a child
 * that gives up root (or the test is skipped if it cannot). */
static void test_unreadable(void **state)
{
    (void)state;

    write_str("unreadable/a.txt", "A\nbody\n");
    write_str("unreadable/locked/x.txt", "X\nbody\n");
    write_str("unreadable/secret.txt", "S\nbody\n");
    write_str("unreadable/z.txt", "Z\nbody\n");
    chmod(fx("unreadable/secret.txt"), 0);
    chmod(fx("unreadable/locked"), 0);
    if (geteuid() != 0) {
        assert_int_equal(unreadable_checks(), 0);
    } else {
        chmod(tmpdir, 0711);        /* let the unprivileged child in */
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            if (setgid(65534) != 0 || setuid(65534) != 0)
                _exit(255);
            _exit(unreadable_checks() & 0xff);
        }
        int status = 0;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        chmod(tmpdir, 0700);
        assert_true(WIFEXITED(status));
        if (WEXITSTATUS(status) == 255) {
            /* Not skip(): meson counts cmocka's "not ok # SKIP" as failed. */
            print_message("# running as root and cannot drop privileges: skipping\n");
            return;
        }
        /* non-zero: the number of the failed check */
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    chmod(fx("unreadable/locked"), 0700);
}

static void test_missing_path(void **state)
{
    (void)state;
    cs_reader r;
    collect c;

    assert_int_equal(read_rel(&r, &c, "no/such/thing.txt"), -1);
    assert_int_equal(c.narts, 0);
    assert_int_equal(c.nwarns, 1);
    assert_int_equal(c.warn[0].skipped, 1);
    assert_non_null(strstr(c.warn[0].msg, "No such file"));
}

static void test_bad_ids(void **state)
{
    (void)state;
    cs_reader r;
    collect c;
    char text[400];

    memset(text, 'i', sizeof text);
    memcpy(text, "# doc_id = ", 11);
    memcpy(text + 11 + 201, "\nTitle\n", 8);    /* a 201-byte id */
    write_str("ids/long.txt", text);
    assert_int_equal(read_rel(&r, &c, "ids/long.txt"), 0);
    assert_int_equal(c.narts, 0);
    assert_string_equal(c.warn[0].msg, "id longer than 200 bytes");
    assert_int_equal(c.warn[0].skipped, 1);

    /* a 200-byte id is fine */
    memcpy(text + 11 + 200, "\nTitle\n", 8);
    write_str("ids/ok.txt", text);
    assert_int_equal(read_rel(&r, &c, "ids/ok.txt"), 0);
    assert_int_equal(c.narts, 1);
    assert_int_equal(strlen(c.art[0]->id), 200);
    collect_free(&c);

    /* a file name that is not UTF-8 gives a bad fallback id */
    WRITE_LIT("ids/caf\xE9.txt", "Title\nBody\n");
    assert_int_equal(read_rel(&r, &c, "ids/caf\xE9.txt"), 0);
    assert_int_equal(c.narts, 0);
    assert_string_equal(c.warn[0].msg, "id is not valid UTF-8");

    /* cs_parse_txt directly, without a warning callback */
    reader_init(&r, &c);
    r.on_warning = NULL;
    assert_null(cs_parse_txt(&r, "T\nB", 3, "", "mem"));
    assert_int_equal(r.stats.skipped, 1);
    cs_article *a = cs_parse_txt(&r, "T\nB", 3, "mem-id", "mem");
    assert_non_null(a);
    assert_string_equal(a->id, "mem-id");
    assert_string_equal(a->source, "mem");
    cs_article_free(a);
}

/* ---- folders ------------------------------------------------------------ */

static void test_relative_ids_and_paths(void **state)
{
    (void)state;
    cs_reader r;
    collect c;
    char saved[512];

    write_str("rel/corpus/sub/123.txt", "T123\nbody\n");
    write_str("rel/corpus/top.txt", "Top\nbody\n");
    write_str("rel/corpus/sub/deeper/x.y.txt", "XY\nbody\n");

    const char *variants[] = { "rel/corpus", "rel/corpus/", "rel/corpus//" };
    for (size_t v = 0; v < 3; v++) {
        assert_int_equal(read_rel(&r, &c, variants[v]), 0);
        assert_int_equal(c.narts, 3);
        /* sorted: "sub" < "top.txt"; "123.txt" < "deeper" */
        assert_string_equal(c.art[0]->id, "sub/123");
        assert_string_equal(c.art[1]->id, "sub/deeper/x.y");
        assert_string_equal(c.art[2]->id, "top");
        assert_string_equal(c.art[0]->source, fx("rel/corpus/sub/123.txt"));
        collect_free(&c);
    }

    /* relative paths with "./" */
    assert_non_null(getcwd(saved, sizeof saved));
    assert_int_equal(chdir(fx("rel")), 0);
    const char *dots[] = { "./corpus", "./corpus/", ".//corpus/", "corpus" };
    for (size_t v = 0; v < 4; v++) {
        reader_init(&r, &c);
        assert_int_equal(cs_read_path(&r, dots[v]), 0);
        assert_int_equal(c.narts, 3);
        assert_string_equal(c.art[0]->id, "sub/123");
        assert_string_equal(c.art[0]->source, "corpus/sub/123.txt");
        collect_free(&c);
    }
    assert_int_equal(chdir(fx("rel/corpus")), 0);
    reader_init(&r, &c);
    assert_int_equal(cs_read_path(&r, "./"), 0);
    assert_int_equal(c.narts, 3);
    assert_string_equal(c.art[0]->id, "sub/123");
    collect_free(&c);
    reader_init(&r, &c);
    assert_int_equal(cs_read_path(&r, "./sub/123.txt"), 0);
    assert_string_equal(c.art[0]->id, "123");
    collect_free(&c);
    assert_int_equal(chdir(saved), 0);

    /* a file named directly: its name without extension */
    assert_int_equal(read_rel(&r, &c, "rel/corpus/sub/123.txt"), 0);
    assert_int_equal(c.narts, 1);
    assert_string_equal(c.art[0]->id, "123");
    collect_free(&c);
    assert_int_equal(read_rel(&r, &c, "rel/corpus/sub/deeper/x.y.txt"), 0);
    assert_string_equal(c.art[0]->id, "x.y");
    collect_free(&c);
}

static void test_ignored_and_hidden(void **state)
{
    (void)state;
    cs_reader r;
    collect c;

    write_str("mixed/a.md", "Markdown\nbody\n");
    write_str("mixed/b.TXT", "Upper case extension\nbody\n");
    write_str("mixed/c.txt~", "Backup\nbody\n");
    write_str("mixed/.hidden.txt", "Hidden\nbody\n");
    write_str("mixed/.git/x.txt", "In a hidden folder\nbody\n");
    write_str("mixed/noext", "No extension\nbody\n");
    write_str("mixed/d.txt", "Dee\nbody\n");
    assert_int_equal(read_rel(&r, &c, "mixed"), 0);
    assert_int_equal(c.narts, 2);
    assert_string_equal(c.art[0]->id, "b");
    assert_string_equal(c.art[1]->id, "d");
    assert_int_equal(r.stats.ignored, 3);
    assert_int_equal(r.stats.files, 2);
    assert_int_equal(r.stats.skipped, 0);
    assert_int_equal(c.nwarns, 0);
    collect_free(&c);

    /* named directly, any extension is read as .txt */
    assert_int_equal(read_rel(&r, &c, "mixed/a.md"), 0);
    assert_int_equal(c.narts, 1);
    assert_string_equal(c.art[0]->id, "a");
    assert_string_equal(c.art[0]->title, "Markdown");
    collect_free(&c);
    assert_int_equal(read_rel(&r, &c, "mixed/noext"), 0);
    assert_string_equal(c.art[0]->id, "noext");
    collect_free(&c);
}

static void test_stop_from_callback(void **state)
{
    (void)state;
    cs_reader r;
    collect c;

    for (int i = 0; i < 5; i++) {
        char name[32], text[32];
        snprintf(name, sizeof name, "stop/sub%d/f.txt", i);
        snprintf(text, sizeof text, "Title %d\nbody\n", i);
        write_str(name, text);
    }
    write_str("stop/z.jsonl", "{\"id\":1,\"title\":\"a\"}\n"
                              "{\"id\":2,\"title\":\"b\"}\n"
                              "{\"id\":3,\"title\":\"c\"}\n");
    reader_init(&r, &c);
    c.stop_after = 2;
    assert_int_equal(cs_read_path(&r, fx("stop")), 7);
    assert_int_equal(c.narts, 2);
    assert_int_equal(r.stats.articles, 2);
    assert_string_equal(c.art[1]->id, "sub1/f");
    collect_free(&c);

    /* stopping inside a JSONL file */
    reader_init(&r, &c);
    c.stop_after = 2;
    assert_int_equal(cs_read_path(&r, fx("stop/z.jsonl")), 7);
    assert_int_equal(c.narts, 2);
    assert_string_equal(c.art[1]->id, "2");
    collect_free(&c);
}

static void test_symlink_loop(void **state)
{
    (void)state;
    cs_reader r;
    collect c;

    write_str("loop/sub/a.txt", "A\nbody\n");
    assert_int_equal(symlink("..", fx("loop/sub/up")), 0);
    assert_int_equal(symlink("nowhere", fx("loop/broken.txt")), 0);
    assert_int_equal(read_rel(&r, &c, "loop"), 0);
    assert_int_equal(c.narts, 1);
    assert_string_equal(c.art[0]->id, "sub/a");
    assert_int_equal(find_warning(&c, "symlink loop")->skipped, 1);
    assert_string_equal(find_warning(&c, "symlink loop")->where,
                        fx("loop/sub/up"));
    assert_string_equal(find_warning(&c, "No such file")->where,
                        fx("loop/broken.txt"));
    assert_int_equal(c.nwarns, 2);
    collect_free(&c);
}

/* ---- .jsonl ------------------------------------------------------------- */

static void test_jsonl_file(void **state)
{
    (void)state;
    cs_reader r;
    collect c;
    char where[600];

    write_str("jsonl/a.jsonl",
              "{\"id\": \"a1\", \"title\": \"First\", \"body\": \"Body one\","
              " \"url\": \"http://x/1\", \"date\": \"20200102\","
              " \"province\": \"Hà Nội\", \"lang\": \"en\"}\n"
              "{\"id\": \"a2\", \"title\": \"Broken\", \n"
              "\n"
              "   \n"
              "{\"title\": \"no id\"}\n"
              "{\"id\": 42, \"body\": \"  integer id  \"}\r\n"
              "{\"id\": \"a5\", \"title\": \"\", \"body\": \" \"}\n"
              "[1, 2]\n"
              "{\"id\": \"a7\", \"title\": \"Lang\", \"lang\": \"fr\","
              " \"date\": \"yesterday\", \"url\": 5}\n"
              "{\"id\": {\"x\": 1}, \"title\": \"t\"}\n"
              "{\"id\": \"a9\", \"title\": 3}\n"
              "{\"id\": \"a10\", \"title\": \"Vie\\u0323\\u0302t\\u0007Nam\","
              " \"date\": \"2020-12-31T10:00:00+07:00\"}");  /* no final \n */
    assert_int_equal(read_rel(&r, &c, "jsonl/a.jsonl"), 0);
    assert_int_equal(r.stats.files, 1);
    assert_int_equal(c.narts, 4);

    const cs_article *a = find_article(&c, "a1");
    assert_string_equal(a->title, "First");
    assert_string_equal(a->body, "Body one");
    assert_string_equal(a->url, "http://x/1");
    assert_string_equal(a->date, "2020-01-02");
    assert_string_equal(a->province, "Hà Nội");
    assert_string_equal(a->lang, "en");
    snprintf(where, sizeof where, "%s:1", fx("jsonl/a.jsonl"));
    assert_string_equal(a->source, where);

    a = find_article(&c, "42");
    assert_string_equal(a->title, "");
    assert_string_equal(a->body, "integer id");

    a = find_article(&c, "a7");
    assert_null(a->lang);
    assert_null(a->date);
    assert_null(a->url);

    a = find_article(&c, "a10");
    assert_string_equal(a->title, "Vi\xE1\xBB\x87t Nam");   /* NFC, control */
    assert_string_equal(a->date, "2020-12-31");

    const warning *w = find_warning(&c, "invalid JSON");
    snprintf(where, sizeof where, "%s:2", fx("jsonl/a.jsonl"));
    assert_string_equal(w->where, where);
    assert_non_null(strstr(w->msg, "column"));
    assert_int_equal(w->skipped, 1);
    w = find_warning(&c, "missing \"id\"");
    snprintf(where, sizeof where, "%s:5", fx("jsonl/a.jsonl"));
    assert_string_equal(w->where, where);
    assert_int_equal(w->skipped, 1);
    assert_int_equal(find_warning(&c, "no \"title\" or \"body\"")->skipped, 1);
    assert_int_equal(find_warning(&c, "not a JSON object")->skipped, 1);
    assert_int_equal(find_warning(&c, "lang \"fr\"")->skipped, 0);
    assert_int_equal(find_warning(&c, "unparseable date")->skipped, 0);
    assert_int_equal(find_warning(&c, "\"url\": not a string")->skipped, 0);
    assert_int_equal(find_warning(&c, "string or an integer")->skipped, 1);
    assert_int_equal(find_warning(&c, "\"title\" must be a string")->skipped,
                     1);
    w = find_warning(&c, "control character");
    assert_int_equal(w->skipped, 0);
    snprintf(where, sizeof where, "%s:12", fx("jsonl/a.jsonl"));
    assert_string_equal(w->where, where);
    assert_int_equal(r.stats.skipped, 6);
    assert_int_equal(r.stats.repaired, 1);
    assert_int_equal(c.nwarns, 10);
    collect_free(&c);
}

static void test_jsonl_invalid_utf8_and_long_lines(void **state)
{
    (void)state;
    cs_reader r;
    collect c;
    char line[300];

    /* jansson rejects invalid UTF-8: the line is skipped, others kept */
    WRITE_LIT("jsonl2/u.jsonl",
              "\xEF\xBB\xBF{\"id\":\"u1\",\"title\":\"ok\"}\n"
              "{\"id\":\"u2\",\"title\":\"caf\xE9\"}\n"
              "{\"id\":\"u3\",\"title\":\"ok too\"}\n");
    assert_int_equal(read_rel(&r, &c, "jsonl2/u.jsonl"), 0);
    assert_int_equal(c.narts, 2);
    assert_string_equal(c.art[0]->id, "u1");
    assert_string_equal(c.art[1]->id, "u3");
    assert_int_equal(c.nwarns, 1);
    assert_non_null(strstr(c.warn[0].msg, "invalid JSON"));
    assert_non_null(strstr(c.warn[0].msg, "not valid UTF-8"));
    assert_non_null(strstr(c.warn[0].msg, "column 23"));
    collect_free(&c);

    /* the size limit applies per line */
    snprintf(line, sizeof line, "{\"id\":\"big\",\"body\":\"%0200d\"}\n", 0);
    char text[800];
    snprintf(text, sizeof text, "{\"id\":\"s1\",\"title\":\"small\"}\n%s"
             "{\"id\":\"s2\",\"title\":\"small\"}\n", line);
    write_str("jsonl2/long.jsonl", text);
    reader_init(&r, &c);
    r.max_bytes = 100;
    assert_int_equal(cs_read_path(&r, fx("jsonl2/long.jsonl")), 0);
    assert_int_equal(c.narts, 2);
    assert_int_equal(c.nwarns, 1);
    assert_string_equal(c.warn[0].msg, "line too long (more than 100 bytes)");
    char where[600];
    snprintf(where, sizeof where, "%s:2", fx("jsonl2/long.jsonl"));
    assert_string_equal(c.warn[0].where, where);
    collect_free(&c);
}

static void test_jsonl_stream(void **state)
{
    (void)state;
    cs_reader r;
    collect c;
    static char data[] = "{\"id\":\"m1\",\"title\":\"one\"}\n"
                         "not json\n"
                         "{\"id\":\"m2\",\"body\":\"two\"}\n";
    FILE *f = fmemopen(data, sizeof data - 1, "r");

    assert_non_null(f);
    reader_init(&r, &c);
    assert_int_equal(cs_read_jsonl_stream(&r, f, "<stdin>"), 0);
    fclose(f);
    assert_int_equal(c.narts, 2);
    assert_string_equal(c.art[0]->source, "<stdin>:1");
    assert_string_equal(c.art[1]->id, "m2");
    assert_int_equal(c.nwarns, 1);
    assert_string_equal(c.warn[0].where, "<stdin>:2");
    assert_int_equal(r.stats.skipped, 1);
    collect_free(&c);

    /* cs_parse_jsonl_line directly: blank lines are silent */
    reader_init(&r, &c);
    assert_null(cs_parse_jsonl_line(&r, "  ", 2, "x:1"));
    assert_int_equal(c.nwarns, 0);
    assert_int_equal(r.stats.skipped, 0);
    /* len is honoured: the object is cut, so invalid */
    assert_null(cs_parse_jsonl_line(&r, "{\"id\":1,\"title\":\"t\"}", 10,
                                    "x:2"));
    assert_int_equal(c.nwarns, 1);
    cs_article *a = cs_parse_jsonl_line(&r, "{\"id\":1,\"title\":\"t\"}", 20,
                                        "x:3");
    assert_non_null(a);
    assert_string_equal(a->id, "1");
    assert_string_equal(a->source, "x:3");
    cs_article_free(a);
}

/* ---- the seed corpus ------------------------------------------------------ */

static void test_seed_corpus(void **state)
{
    (void)state;
    const char *shared = getenv("CS_SHARED_DIR");
    char dir[512];
    cs_reader r;
    collect c;

    snprintf(dir, sizeof dir, "%s/corpus/seed",
             shared ? shared : "/work/shared");
    if (access(dir, R_OK) != 0)
        CS_SKIP_UNLESS_CI("the seed corpus (../shared/corpus/seed)");
    reader_init(&r, &c);
    assert_int_equal(cs_read_path(&r, dir), 0);
    assert_int_equal(c.narts, 5);
    assert_int_equal(c.nwarns, 0);
    assert_string_equal(c.art[0]->id, "000_62f99bc4b71697fc");
    assert_string_equal(c.art[0]->title,
                        "Bac Giang focuses resources on science-technology "
                        "and innovation");
    /* the dateline above the title is kept for date extraction */
    assert_int_equal(strncmp(c.art[0]->body,
                             "Today: 08/02/2023 20:11:56 (GMT+7)\n", 35), 0);
    assert_string_equal(c.art[1]->title,
                        "Bac Ninh strives to become the leading province in "
                        "cutting-edge technology of the country.");
    assert_null(strstr(c.art[1]->body, "Nền tảng quảng bá"));
    assert_null(strstr(c.art[1]->body, "Độc lập - Tự do"));
    assert_int_equal(strncmp(c.art[1]->body, "DNVN - The People", 17), 0);
    assert_int_equal(strncmp(c.art[2]->title,
                             "With specific goals and solutions, Vinh Yen "
                             "city", 48), 0);
    assert_string_equal(c.art[3]->title,
                        "Bac Giang speeds up digital transformation in "
                        "new-style rural area building");
    assert_string_equal(c.art[4]->title,
                        "Comrade Nguyen Khac Than, Secretary of the Provincial "
                        "Party Committee, gave a speech directing the working "
                        "session.");
    for (size_t i = 0; i < 5; i++) {
        assert_true(c.art[i]->body_len > 1000);
        assert_null(c.art[i]->date);
    }
    collect_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_txt_basic),
        cmocka_unit_test(test_txt_dantri_headers),
        cmocka_unit_test(test_txt_dantri_real_file),
        cmocka_unit_test(test_txt_header_fields),
        cmocka_unit_test(test_txt_title_rules),
        cmocka_unit_test(test_txt_invalid_utf8_repaired),
        cmocka_unit_test(test_txt_bom_crlf_no_warning),
        cmocka_unit_test(test_txt_control_chars),
        cmocka_unit_test(test_txt_empty_and_whitespace),
        cmocka_unit_test(test_txt_binary_and_utf16),
        cmocka_unit_test(test_txt_too_large),
        cmocka_unit_test(test_unreadable),
        cmocka_unit_test(test_missing_path),
        cmocka_unit_test(test_bad_ids),
        cmocka_unit_test(test_relative_ids_and_paths),
        cmocka_unit_test(test_ignored_and_hidden),
        cmocka_unit_test(test_stop_from_callback),
        cmocka_unit_test(test_symlink_loop),
        cmocka_unit_test(test_jsonl_file),
        cmocka_unit_test(test_jsonl_invalid_utf8_and_long_lines),
        cmocka_unit_test(test_jsonl_stream),
        cmocka_unit_test(test_seed_corpus),
    };
    return cmocka_run_group_tests(tests, setup_all, teardown_all);
}
