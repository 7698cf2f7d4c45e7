/* webui.c -- the web search box: server-rendered HTML for / and /doc/{id}.
 *
 * The page works without JavaScript: every filter, chip, sort and page is
 * a plain link carrying the whole state in the query string, and the forms
 * are GET forms. app.js only enhances it (suggestions, no full reloads).
 * Everything from the corpus or the request goes through h() (HTML-escaped)
 * or is already-escaped snippet HTML from cs_snippet_render(html=1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "notes.h"
#include "text.h"

#ifndef CS_VERSION
#define CS_VERSION "unknown"
#endif

#define FACET_SHOWN 8       /* values listed before "more" */
#define FACET_MAX 40

/* ---- interface text ------------------------------------------------- */

typedef struct ui_text {
    const char *code, *title, *placeholder, *search, *about, *result, *results,
        *articles, *no_results, *no_results_tip, *welcome, *welcome_tip, *examples,
        *filters, *f_province, *f_resolution, *f_year, *f_lang, *dates, *from, *to,
        *apply, *sort, *relevance, *newest, *prev, *next, *clear, *remove, *read,
        *source, *untitled, *bad_request, *error, *unavailable, *not_found,
        *not_found_tip, *back, *more, *did_you_mean, *browse, *nav_pages, *home,
        *damaged;
    const char *months[12];
} ui_text;

static const ui_text ui_vi = {
    "vi", "Tìm tin tức các tỉnh thành", "Tìm bài báo — gõ không dấu cũng được", "Tìm",
    "Khoảng", "kết quả", "kết quả", "bài báo",
    "Không tìm thấy bài nào khớp với", "Thử bớt từ, bỏ bớt bộ lọc, hoặc dùng từ khác.",
    "Tìm tin tức về các tỉnh thành Việt Nam",
    "Gõ vài từ: mọi từ đều phải có trong bài; dấu không bắt buộc (“bac giang” tìm được "
    "“Bắc Giang”). Dùng “ngoặc kép” cho cụm từ, OR cho một trong hai, -từ để loại trừ.",
    "Thử tìm:", "Bộ lọc", "Tỉnh thành", "Nghị quyết", "Năm", "Ngôn ngữ", "Khoảng thời gian",
    "Từ", "Đến", "Áp dụng", "Sắp xếp", "Liên quan nhất", "Mới nhất", "‹ Trước", "Sau ›",
    "Xoá mọi bộ lọc", "Bỏ bộ lọc", "Đọc bài", "Nguồn", "(không có tiêu đề)",
    "Yêu cầu chưa hợp lệ", "Có lỗi khi tìm kiếm", "Chỉ mục tạm thời chưa sẵn sàng",
    "Không có trang này", "Đường dẫn không tồn tại. Hãy thử tìm kiếm.",
    "← Quay lại kết quả", "Xem thêm", "Có phải bạn muốn tìm", "Các bài mới nhất",
    "Trang kết quả", "← Trang tìm kiếm",
    "Không đọc được nội dung bài này trong chỉ mục (dữ liệu lưu bị hỏng).",
    {"01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"},
};

static const ui_text ui_en = {
    "en", "Provincial news search", "Search articles — diacritics optional", "Search",
    "About", "result", "results", "articles",
    "No articles match", "Try fewer words, remove a filter, or other words.",
    "Search the news about Vietnam's provinces",
    "Type a few words: every word must appear; diacritics are optional (“bac giang” "
    "finds “Bắc Giang”). Use “quotes” for a phrase, OR for either word, -word to exclude.",
    "Try:", "Filters", "Provinces", "Resolutions", "Year", "Language", "Date range",
    "From", "To", "Apply", "Sort", "Most relevant", "Newest", "‹ Previous", "Next ›",
    "Clear all filters", "Remove filter", "Read", "Source", "(untitled)",
    "That request is not valid", "The search failed", "The index is not available right now",
    "Page not found", "There is nothing at this address. Try a search.",
    "← Back to results", "More", "Did you mean", "Latest articles", "Result pages",
    "← Search page",
    "This article's text could not be read from the index (its stored data is damaged).",
    {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
};

static const char *const examples[] = {"bac giang", "\"chuyển đổi số\"", "57-NQ/TW",
                                       "lychee OR vải thiều", "flood", "du lịch"};

/* The weight ("q") the Accept-Language header gives to `lang`, or -1. */
static double lang_weight(const char *header, const char *lang)
{
    size_t n = strlen(lang);
    for (const char *p = header; p && *p;) {
        p += strspn(p, " ,");
        const char *end = p + strcspn(p, ",");
        if (strncasecmp(p, lang, n) == 0 && (p[n] == '-' || p[n] == ';' ||
                                             p[n] == ',' || p[n] == ' ' || !p[n])) {
            const char *qp = strstr(p, ";q=");
            return qp && qp < end ? atof(qp + 3) : 1.0;
        }
        p = end;
    }
    return -1;
}

/* ?hl= wins; else the browser's preference between vi and en; else en. */
static const ui_text *pick_text(const char *hl, const char *accept_language)
{
    if (hl)
        return strcmp(hl, "vi") == 0 ? &ui_vi : &ui_en;
    double vi = lang_weight(accept_language, "vi"), en = lang_weight(accept_language, "en");
    return vi > 0 && vi >= en ? &ui_vi : &ui_en;
}

/* ---- small writers -------------------------------------------------- */

static void h(cs_buf *b, const char *s)
{
    if (s)
        cs_buf_append_html(b, s, strlen(s));
}

static void put_num(cs_buf *b, unsigned long n, const ui_text *t)
{
    /* 12345 -> "12.345" (vi) or "12,345" (en) */
    char digits[32], sep = t == &ui_vi ? '.' : ',';
    int len = snprintf(digits, sizeof digits, "%lu", n);
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            cs_buf_putc(b, sep);
        cs_buf_putc(b, digits[i]);
    }
}

/* "2019-06-24" -> "24/06/2019" or "24 Jun 2019"; other forms as they are. */
static void put_date(cs_buf *b, const char *d, const ui_text *t)
{
    if (!d || strlen(d) != 10 || !cs_valid_date(d)) {
        h(b, d);
        return;
    }
    int m = atoi(d + 5);
    if (t == &ui_vi)
        cs_buf_printf(b, "%.2s/%.2s/%.4s", d + 8, d + 5, d);
    else
        cs_buf_printf(b, "%d %s %.4s", atoi(d + 8), t->months[m - 1], d);
}

static int is_web_url(const char *u)
{
    return u && (strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0);
}

static const char *lang_name(const char *code)
{
    return strcmp(code, "vi") == 0 ? "Tiếng Việt" : strcmp(code, "en") == 0 ? "English" : code;
}

/* ---- the search state and its URLs ---------------------------------- */

/* Everything the page's URL says. Links are this state with one change. */
typedef struct ui_state {
    const char *q;
    const char *prov[CS_MAX_FILTER_VALUES];
    size_t nprov;
    const char *res[CS_MAX_FILTER_VALUES];
    size_t nres;
    const char *lang, *from, *to;
    int by_date;
    unsigned page;
    const char *hl;     /* only when the user chose one */
    int all;            /* near-duplicates shown, not collapsed */
} ui_state;

static void state_from_params(ui_state *st, const cs_search_params *sp)
{
    memset(st, 0, sizeof *st);
    st->q = sp->req.query;
    st->nprov = sp->req.nprovinces;
    memcpy(st->prov, sp->req.provinces, st->nprov * sizeof *st->prov);
    st->nres = sp->req.nresolutions;
    memcpy(st->res, sp->req.resolutions, st->nres * sizeof *st->res);
    st->lang = sp->req.lang;
    st->from = sp->req.from;
    st->to = sp->req.to;
    st->by_date = sp->req.sort_by_date;
    st->page = sp->page;
    st->hl = sp->hl;
    st->all = sp->req.no_collapse;
}

static int has_filters(const ui_state *st)
{
    return st->nprov || st->nres || st->lang || st->from || st->to;
}

static void url_param(cs_buf *u, const char *k, const char *v)
{
    cs_buf_putc(u, u->len && memchr(u->p, '?', u->len) ? '&' : '?');
    cs_buf_puts(u, k);
    cs_buf_putc(u, '=');
    cs_buf_append_urlenc(u, v, 0);
}

/* The query string of a state ("?q=...&province=..."; "" for none). */
static void state_query(cs_buf *u, const ui_state *st)
{
    if (st->q)
        url_param(u, "q", st->q);
    for (size_t i = 0; i < st->nprov; i++)
        url_param(u, "province", st->prov[i]);
    for (size_t i = 0; i < st->nres; i++)
        url_param(u, "resolution", st->res[i]);
    if (st->lang)
        url_param(u, "lang", st->lang);
    if (st->from)
        url_param(u, "from", st->from);
    if (st->to)
        url_param(u, "to", st->to);
    if (st->by_date)
        url_param(u, "sort", "date");
    if (st->page > 1) {
        char n[16];
        snprintf(n, sizeof n, "%u", st->page);
        url_param(u, "page", n);
    }
    if (st->hl)
        url_param(u, "hl", st->hl);
    if (st->all)
        url_param(u, "collapse", "0");
}

/* Writes href="/...?..." for a state, escaped for the attribute. */
static void put_href(cs_buf *b, const char *path, const ui_state *st)
{
    cs_buf u = {0};
    cs_buf_puts(&u, path);
    state_query(&u, st);
    cs_buf_puts(b, "href=\"");
    h(b, cs_buf_cstr(&u));
    cs_buf_putc(b, '"');
    cs_buf_free(&u);
}

/* Remove value v from a list (case-sensitive, as it came); 1 if it was there. */
static int list_remove(const char **list, size_t *n, const char *v)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(list[i], v) == 0) {
            memmove(list + i, list + i + 1, (*n - i - 1) * sizeof *list);
            (*n)--;
            return 1;
        }
    return 0;
}

/* Hidden inputs carrying the filters through the search form, so a new
 * query keeps them (the chips show they are on). */
static void put_hidden_state(cs_buf *b, const ui_state *st, int with_dates)
{
    struct { const char *k; const char *v; } one[] = {
        {"lang", st->lang}, {"from", with_dates ? st->from : NULL},
        {"to", with_dates ? st->to : NULL}, {"sort", st->by_date ? "date" : NULL},
        {"hl", st->hl}};
    for (size_t i = 0; i < st->nprov; i++) {
        cs_buf_puts(b, "<input type=\"hidden\" name=\"province\" value=\"");
        h(b, st->prov[i]);
        cs_buf_puts(b, "\">");
    }
    for (size_t i = 0; i < st->nres; i++) {
        cs_buf_puts(b, "<input type=\"hidden\" name=\"resolution\" value=\"");
        h(b, st->res[i]);
        cs_buf_puts(b, "\">");
    }
    for (size_t i = 0; i < sizeof one / sizeof *one; i++)
        if (one[i].v)
            cs_buf_printf(b, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", one[i].k,
                          one[i].v);   /* values validated: vi/en, dates, "date" */
}

/* ---- page frame ----------------------------------------------------- */

static const char *asset_etag(const char *path)
{
    const cs_asset *a = cs_asset_find(path);
    return a ? a->etag : "\"0\"";
}

/* An ETag is quoted; the ?v= cache-buster wants it bare. */
static void put_version(cs_buf *b, const char *path)
{
    const char *e = asset_etag(path);
    cs_buf_append(b, e + 1, strlen(e) > 2 ? strlen(e) - 2 : 0);
}

static void page_head(cs_buf *b, const ui_text *t, const ui_state *st, const char *title)
{
    cs_buf_printf(b, "<!doctype html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                  "<title>", t->code);
    if (title && *title) {
        h(b, title);
        cs_buf_puts(b, " · ");
    }
    cs_buf_puts(b, "corpsearch</title>\n<link rel=\"stylesheet\" href=\"/static/style.css?v=");
    put_version(b, "/static/style.css");
    cs_buf_puts(b, "\">\n<link rel=\"icon\" href=\"/static/icon.svg\" type=\"image/svg+xml\">\n"
                   "<script src=\"/static/app.js?v=");
    put_version(b, "/static/app.js");
    cs_buf_puts(b, "\" defer></script>\n</head>\n<body>\n<header class=\"top\">\n"
                   "<a class=\"brand\" href=\"/");
    if (st->hl)
        cs_buf_printf(b, "?hl=%s", st->hl);
    cs_buf_puts(b, "\"><span class=\"logo\" aria-hidden=\"true\"></span><span>corp<b>search</b></span></a>\n"
                   "<form class=\"search\" id=\"search-form\" action=\"/\" method=\"get\" "
                   "role=\"search\" autocomplete=\"off\">\n<div class=\"box\">"
                   "<input id=\"q\" type=\"search\" name=\"q\" maxlength=\"1024\" "
                   "spellcheck=\"false\" aria-autocomplete=\"list\" aria-controls=\"suggest\" "
                   "placeholder=\"");
    h(b, t->placeholder);
    cs_buf_puts(b, "\" aria-label=\"");
    h(b, t->placeholder);
    cs_buf_puts(b, "\" value=\"");
    h(b, st->q);
    cs_buf_puts(b, "\"><ul id=\"suggest\" class=\"suggest\" role=\"listbox\" hidden></ul></div>"
                   "<span id=\"state\">");
    put_hidden_state(b, st, 1);
    cs_buf_printf(b, "</span><button type=\"submit\">%s</button>\n</form>\n"
                     "<nav class=\"langs\" id=\"langs\" aria-label=\"Language\">", t->search);
    const char *codes[2] = {"vi", "en"};
    for (int i = 0; i < 2; i++) {
        ui_state s2 = *st;
        s2.hl = codes[i];
        cs_buf_puts(b, "<a ");
        put_href(b, "/", &s2);
        cs_buf_printf(b, " lang=\"%s\"%s>%s</a>", codes[i],
                      strcmp(t->code, codes[i]) == 0 ? " aria-current=\"true\"" : "",
                      i == 0 ? "VI" : "EN");
    }
    cs_buf_puts(b, "</nav>\n</header>\n");
}

static void page_foot(cs_buf *b, cs_request *rq, const ui_text *t)
{
    cs_buf_puts(b, "<footer class=\"foot\">corpsearch " CS_VERSION " · ");
    put_num(b, cs_srv_articles(rq->srv), t);
    cs_buf_printf(b, " %s · <a href=\"/api/search?q=\">JSON API</a></footer>\n"
                     "</body>\n</html>\n", t->articles);
}

static void finish_html(cs_response *resp, unsigned status, cs_buf *b)
{
    cs_resp_take(resp, status, "text/html; charset=utf-8", b);
    resp->vary = "Accept-Language";
}

/* A whole page saying what went wrong, with the search box to go on. */
static void error_page(cs_request *rq, cs_response *resp, const ui_text *t,
                       const ui_state *st, unsigned status, const char *headline,
                       const char *detail)
{
    cs_buf b = {0};
    page_head(&b, t, st, headline);
    cs_buf_puts(&b, "<main id=\"main\" class=\"single\"><section class=\"message error\">"
                    "<h1>");
    h(&b, headline);
    cs_buf_puts(&b, "</h1><p>");
    h(&b, detail);
    cs_buf_puts(&b, "</p><p><a class=\"back\" href=\"/");
    if (st->hl)
        cs_buf_printf(&b, "?hl=%s", st->hl);
    cs_buf_printf(&b, "\">%s</a></p></section></main>\n", t->home);
    page_foot(&b, rq, t);
    finish_html(resp, status, &b);
}

/* ---- the results page ----------------------------------------------- */

static void put_facet_item(cs_buf *b, const ui_state *link, const char *label,
                           unsigned count, int approx, int on, const ui_text *t)
{
    cs_buf_puts(b, "<li><a class=\"fv");
    if (on)
        cs_buf_puts(b, " on");
    cs_buf_puts(b, "\" ");
    put_href(b, "/", link);
    if (on) {
        cs_buf_puts(b, " aria-current=\"true\" title=\"");
        h(b, t->remove);
        cs_buf_putc(b, '"');
    }
    cs_buf_puts(b, "><span class=\"name\">");
    h(b, label);
    cs_buf_puts(b, "</span><span class=\"count\">");
    if (approx)
        cs_buf_puts(b, "~");   /* counted on a sample of a huge match set */
    put_num(b, count, t);
    cs_buf_puts(b, "</span></a></li>");
}

/* The link state for clicking a facet value: toggles it, back to page 1. */
static void facet_link(const ui_state *st, int kind, const char *v, ui_state *out, int *on)
{
    *out = *st;
    out->page = 1;
    *on = 0;
    if (kind == CS_FACET_PROVINCE || kind == CS_FACET_RESOLUTION) {
        const char **list = kind == CS_FACET_PROVINCE ? out->prov : out->res;
        size_t *n = kind == CS_FACET_PROVINCE ? &out->nprov : &out->nres;
        if (list_remove(list, n, v))
            *on = 1;
        else if (*n < CS_MAX_FILTER_VALUES)
            list[(*n)++] = v;
    } else if (kind == CS_FACET_YEAR) {
        *on = st->from && st->to && strcmp(st->from, v) == 0 && strcmp(st->to, v) == 0;
        out->from = *on ? NULL : v;
        out->to = *on ? NULL : v;
    } else if (kind == CS_FACET_LANG) {
        *on = st->lang && strcmp(st->lang, v) == 0;
        out->lang = *on ? NULL : v;
    }
}

/* Years read best newest first; other facets stay most frequent first. */
static int by_value_desc(const void *a, const void *b)
{
    const cs_facet_value *x = *(const cs_facet_value *const *)a;
    const cs_facet_value *y = *(const cs_facet_value *const *)b;
    return strcmp(y->value, x->value);
}

static void put_facet(cs_buf *b, const cs_results *r, int kind, const char *title,
                      const ui_state *st, const ui_text *t)
{
    const cs_facet *f = &r->facets[kind];
    const cs_facet_value *order[FACET_MAX];
    if (!r->has_facets || f->n == 0)
        return;
    size_t n = f->n < FACET_MAX ? f->n : FACET_MAX;
    for (size_t i = 0; i < n; i++)
        order[i] = &f->values[i];
    if (kind == CS_FACET_YEAR)
        qsort(order, n, sizeof *order, by_value_desc);
    cs_buf_printf(b, "<section class=\"facet\" data-facet=\"%s\"><h3>%s</h3><ul>",
                  cs_facet_names[kind], title);
    for (size_t i = 0; i < n; i++) {
        if (i == FACET_SHOWN)
            cs_buf_printf(b, "</ul><details class=\"more\"><summary>%s (%zu)</summary><ul>",
                          t->more, n - FACET_SHOWN);
        ui_state link;
        int on;
        const char *v = order[i]->value;
        facet_link(st, kind, v, &link, &on);
        put_facet_item(b, &link, kind == CS_FACET_LANG ? lang_name(v) : v,
                       order[i]->count, r->facets_sampled, on, t);
    }
    cs_buf_puts(b, n > FACET_SHOWN ? "</ul></details></section>" : "</ul></section>");
}

static void put_sidebar(cs_buf *b, const cs_results *r, const ui_state *st, const ui_text *t)
{
    cs_buf_printf(b, "<details class=\"panel\" id=\"panel\" open><summary>%s</summary>"
                     "<aside class=\"facets\" aria-label=\"%s\">", t->filters, t->filters);
    if (r) {
        put_facet(b, r, CS_FACET_PROVINCE, t->f_province, st, t);
        put_facet(b, r, CS_FACET_RESOLUTION, t->f_resolution, st, t);
        put_facet(b, r, CS_FACET_YEAR, t->f_year, st, t);
        put_facet(b, r, CS_FACET_LANG, t->f_lang, st, t);
    }
    /* The date range is its own GET form carrying the rest of the state. */
    cs_buf_printf(b, "<section class=\"facet dates\"><h3>%s</h3>"
                     "<form action=\"/\" method=\"get\" class=\"range\">", t->dates);
    if (st->q) {
        cs_buf_puts(b, "<input type=\"hidden\" name=\"q\" value=\"");
        h(b, st->q);
        cs_buf_puts(b, "\">");
    }
    put_hidden_state(b, st, 0);
    cs_buf_printf(b, "<label>%s <input name=\"from\" inputmode=\"numeric\" "
                     "placeholder=\"2020-01-01\" pattern=\"\\d{4}(-\\d{2}(-\\d{2})?)?\" "
                     "value=\"%s\"></label>", t->from, st->from ? st->from : "");
    cs_buf_printf(b, "<label>%s <input name=\"to\" inputmode=\"numeric\" "
                     "placeholder=\"2025-12-31\" pattern=\"\\d{4}(-\\d{2}(-\\d{2})?)?\" "
                     "value=\"%s\"></label><button type=\"submit\">%s</button></form>"
                     "</section></aside></details>\n",
                  t->to, st->to ? st->to : "", t->apply);
}

static void put_chip(cs_buf *b, const ui_state *link, const char *kind, const char *label,
                     const ui_text *t)
{
    cs_buf_puts(b, "<a class=\"chip\" ");
    put_href(b, "/", link);
    cs_buf_puts(b, " title=\"");
    h(b, t->remove);
    cs_buf_puts(b, "\"><span class=\"kind\">");
    h(b, kind);
    cs_buf_puts(b, "</span> ");
    h(b, label);
    cs_buf_puts(b, " <span class=\"x\" aria-hidden=\"true\">×</span></a>");
}

/* Active filters as chips; each links to the state without it. */
static void put_chips(cs_buf *b, const ui_state *st, const ui_text *t)
{
    if (!has_filters(st))
        return;
    cs_buf_puts(b, "<div class=\"chips\">");
    for (size_t i = 0; i < st->nprov; i++) {
        ui_state l = *st;
        l.page = 1;
        list_remove(l.prov, &l.nprov, st->prov[i]);
        put_chip(b, &l, t->f_province, st->prov[i], t);
    }
    for (size_t i = 0; i < st->nres; i++) {
        ui_state l = *st;
        l.page = 1;
        list_remove(l.res, &l.nres, st->res[i]);
        put_chip(b, &l, t->f_resolution, st->res[i], t);
    }
    if (st->lang) {
        ui_state l = *st;
        l.page = 1, l.lang = NULL;
        put_chip(b, &l, t->f_lang, lang_name(st->lang), t);
    }
    if (st->from || st->to) {
        ui_state l = *st;
        l.page = 1, l.from = l.to = NULL;
        char range[48];
        if (st->from && st->to && strcmp(st->from, st->to) == 0)
            snprintf(range, sizeof range, "%s", st->from);
        else
            snprintf(range, sizeof range, "%s – %s", st->from ? st->from : "…",
                     st->to ? st->to : "…");
        put_chip(b, &l, t->dates, range, t);
    }
    ui_state none = {.q = st->q, .by_date = st->by_date, .hl = st->hl, .page = 1};
    cs_buf_puts(b, "<a class=\"clear\" ");
    put_href(b, "/", &none);
    cs_buf_printf(b, ">%s</a></div>\n", t->clear);
}

static void put_hit(cs_buf *b, const cs_hit *hit, const ui_state *st, const ui_text *t)
{
    cs_buf doc = {0};
    cs_buf_puts(&doc, "/doc/");
    cs_buf_append_urlenc(&doc, hit->id, 1);
    char *title = cs_snippet_render(&hit->title_marks, "<mark>", "</mark>", 1);
    char *snip = cs_snippet_render(&hit->snippet, "<mark>", "</mark>", 1);
    cs_buf_puts(b, "<li class=\"hit\"><h2><a class=\"title\" ");
    if (is_web_url(hit->url)) {
        cs_buf_puts(b, "href=\"");
        h(b, hit->url);
        cs_buf_puts(b, "\" rel=\"noopener noreferrer\" target=\"_blank\"");
    } else if (!hit->unreadable) {   /* its page could not be shown */
        put_href(b, cs_buf_cstr(&doc), st);
    }
    cs_buf_puts(b, ">");
    cs_buf_puts(b, title && *title ? title : t->untitled);   /* already escaped */
    cs_buf_puts(b, "</a></h2><div class=\"meta\">");
    if (hit->date) {
        cs_buf_puts(b, "<time datetime=\"");
        h(b, hit->date);
        cs_buf_puts(b, "\">");
        put_date(b, hit->date, t);
        cs_buf_puts(b, "</time>");
    }
    if (hit->lang)
        cs_buf_printf(b, "<span class=\"lang\">%s</span>",
                      strcmp(hit->lang, "vi") == 0 ? "VI" : "EN");
    for (size_t i = 0; i < hit->nprovinces && i < 6; i++) {
        ui_state l;
        int on;
        facet_link(st, CS_FACET_PROVINCE, hit->provinces[i], &l, &on);
        cs_buf_printf(b, "<a class=\"tag prov%s\" ", on ? " on" : "");
        put_href(b, "/", &l);
        cs_buf_puts(b, ">");
        h(b, hit->provinces[i]);
        cs_buf_puts(b, "</a>");
    }
    for (size_t i = 0; i < hit->nresolutions && i < 4; i++) {
        ui_state l;
        int on;
        facet_link(st, CS_FACET_RESOLUTION, hit->resolutions[i], &l, &on);
        cs_buf_printf(b, "<a class=\"tag res%s\" ", on ? " on" : "");
        put_href(b, "/", &l);
        cs_buf_puts(b, ">");
        h(b, hit->resolutions[i]);
        cs_buf_puts(b, "</a>");
    }
    if (hit->similar) {   /* near-duplicates collapsed into this hit: a link shows them */
        ui_state l = *st;
        l.all = 1;
        cs_buf_puts(b, "<a class=\"similar\" ");
        put_href(b, "/", &l);
        cs_buf_printf(b, ">+%u %s</a>", hit->similar,
                      strcmp(t->code, "vi") == 0 ? "bài tương tự" : "similar");
    }
    cs_buf_puts(b, "</div><p class=\"snippet\">");
    cs_buf_puts(b, snip ? snip : "");   /* already escaped, with <mark> */
    if (hit->unreadable) {
        cs_buf_printf(b, "<em class=\"damaged\">%s</em></p></li>\n", t->damaged);
    } else {
        cs_buf_puts(b, "</p><a class=\"read\" ");
        put_href(b, cs_buf_cstr(&doc), st);
        cs_buf_printf(b, ">%s →</a></li>\n", t->read);
    }
    free(title);
    free(snip);
    cs_buf_free(&doc);
}

static void put_pager(cs_buf *b, const cs_results *r, const ui_state *st,
                      unsigned per_page, const ui_text *t)
{
    unsigned long last = ((unsigned long)r->total + per_page - 1) / per_page;
    if (last > CS_MAX_DEPTH / per_page)
        last = CS_MAX_DEPTH / per_page;
    if (last <= 1 && st->page <= 1)
        return;
    cs_buf_printf(b, "<nav class=\"pager\" aria-label=\"%s\">", t->nav_pages);
    ui_state l = *st;
    if (st->page > 1) {
        l.page = st->page - 1;
        cs_buf_puts(b, "<a rel=\"prev\" class=\"prev\" ");
        put_href(b, "/", &l);
        cs_buf_printf(b, ">%s</a>", t->prev);
    }
    unsigned lo = st->page > 3 ? st->page - 3 : 1;
    unsigned long hi = lo + 6 < last ? lo + 6 : last;
    for (unsigned long p = lo; p <= hi; p++) {
        l.page = (unsigned)p;
        if (p == st->page) {
            cs_buf_printf(b, "<span class=\"cur\" aria-current=\"page\">%lu</span>", p);
            continue;
        }
        cs_buf_puts(b, "<a ");
        put_href(b, "/", &l);
        cs_buf_printf(b, ">%lu</a>", p);
    }
    if (st->page < last) {
        l.page = st->page + 1;
        cs_buf_puts(b, "<a rel=\"next\" class=\"next\" ");
        put_href(b, "/", &l);
        cs_buf_printf(b, ">%s</a>", t->next);
    }
    cs_buf_puts(b, "</nav>\n");
}

static void put_sort(cs_buf *b, const ui_state *st, const ui_text *t)
{
    ui_state rel = *st, date = *st;
    rel.by_date = 0, date.by_date = 1;
    rel.page = date.page = 1;
    cs_buf_printf(b, "<div class=\"sort\" role=\"group\" aria-label=\"%s\">", t->sort);
    cs_buf_puts(b, "<a ");
    put_href(b, "/", &rel);
    cs_buf_printf(b, "%s>%s</a><a ", st->by_date ? "" : " aria-current=\"true\"", t->relevance);
    put_href(b, "/", &date);
    cs_buf_printf(b, "%s>%s</a></div>", st->by_date ? " aria-current=\"true\"" : "", t->newest);
}

static void put_results(cs_buf *b, const cs_results *r, const ui_state *st,
                        unsigned per_page, const ui_text *t)
{
    cs_buf_puts(b, "<section class=\"results\" aria-live=\"polite\">\n<div class=\"summary\"><p>");
    if (r->nhits || r->offset) {
        if (st->q) {
            /* "About" only for an estimate: the page asks for facets, so
             * its total is a count unless they were sampled. */
            if (!r->total_exact)
                cs_buf_printf(b, "%s ", t->about);
            cs_buf_puts(b, "<b>");
            put_num(b, r->total, t);
            cs_buf_printf(b, "</b> %s", r->total == 1 ? t->result : t->results);
        } else {
            cs_buf_printf(b, "%s · <b>", t->browse);
            put_num(b, r->total, t);
            cs_buf_printf(b, "</b> %s", t->articles);
        }
        cs_buf_printf(b, " <span class=\"took\">(%.0f ms)</span>", r->took_ms);
    }
    cs_buf_puts(b, "</p>");
    put_sort(b, st, t);
    cs_buf_puts(b, "</div>\n");
    put_chips(b, st, t);
    if (r->note) {
        char *note = cs_note_translate(r->note, t->code);
        cs_buf_puts(b, "<p class=\"note\">");
        h(b, note ? note : r->note);
        cs_buf_puts(b, "</p>");
        free(note);
    }
    if (r->suggestion) {
        ui_state l = *st;
        l.q = r->suggestion, l.page = 1;
        cs_buf_printf(b, "<p class=\"note\">%s: <a ", t->did_you_mean);
        put_href(b, "/", &l);
        cs_buf_puts(b, ">");
        h(b, r->suggestion);
        cs_buf_puts(b, "</a>?</p>");
    }
    if (r->nhits == 0) {
        cs_buf_printf(b, "<div class=\"message\"><h2>%s", t->no_results);
        if (st->q) {
            cs_buf_puts(b, " “");
            h(b, st->q);
            cs_buf_puts(b, "”");
        }
        cs_buf_printf(b, ".</h2><p>%s</p></div>\n", t->no_results_tip);
    } else {
        cs_buf_printf(b, "<ol class=\"hits\" start=\"%u\">\n", r->offset + 1);
        for (size_t i = 0; i < r->nhits; i++)
            put_hit(b, &r->hits[i], st, t);
        cs_buf_puts(b, "</ol>\n");
    }
    put_pager(b, r, st, per_page, t);
    cs_buf_puts(b, "</section>\n");
}

/* The landing page: no query and no filters. */
static void put_welcome(cs_buf *b, const ui_state *st, const ui_text *t)
{
    cs_buf_puts(b, "<section class=\"welcome\"><h1>");
    h(b, t->welcome);
    cs_buf_puts(b, "</h1><p>");
    h(b, t->welcome_tip);
    cs_buf_printf(b, "</p><p class=\"examples\">%s ", t->examples);
    for (size_t i = 0; i < sizeof examples / sizeof *examples; i++) {
        ui_state l = {.q = examples[i], .hl = st->hl, .page = 1};
        cs_buf_puts(b, "<a class=\"example\" ");
        put_href(b, "/", &l);
        cs_buf_puts(b, ">");
        h(b, examples[i]);
        cs_buf_puts(b, "</a> ");
    }
    ui_state browse = {.by_date = 1, .hl = st->hl, .page = 1, .lang = NULL};
    /* "Latest" needs a state that is not empty, else it is this page: an
     * explicit date sort with no query browses everything, newest first. */
    cs_buf_puts(b, "</p><p><a class=\"browse\" ");
    put_href(b, "/", &browse);
    cs_buf_printf(b, ">%s →</a></p></section>\n", t->browse);
}

void cs_web_page(cs_request *rq, cs_response *resp)
{
    cs_search_params sp;
    ui_state st;
    char err[512];
    const char *hl = NULL;
    if (!rq->params_bad) {
        const char *v = cs_params_get(rq->params, "hl");
        hl = v && (strcmp(v, "vi") == 0 || strcmp(v, "en") == 0) ? v : NULL;
    }
    const ui_text *t = pick_text(hl, rq->accept_language);
    if (rq->params_bad || cs_parse_search_params(rq->params, 0, &sp, err, sizeof err) < 0) {
        /* Keep what was typed in the box when it is usable. */
        const char *q = rq->params_bad ? NULL : cs_params_get(rq->params, "q");
        ui_state empty = {.hl = hl, .page = 1};
        if (q && strlen(q) <= CS_MAX_QUERY_BYTES && cs_utf8_valid(q, strlen(q)))
            empty.q = q;
        error_page(rq, resp, t, &empty, 400, t->bad_request,
                   rq->params_bad ? "malformed percent-encoding or invalid UTF-8 in the URL"
                                  : err);
        return;
    }
    state_from_params(&st, &sp);
    int browse = cs_params_get(rq->params, "sort") != NULL;
    cs_buf b = {0};
    if (!st.q && !has_filters(&st) && !browse) {
        page_head(&b, t, &st, NULL);
        cs_buf_puts(&b, "<main id=\"main\" class=\"single\">");
        put_welcome(&b, &st, t);
        cs_buf_puts(&b, "</main>\n");
        page_foot(&b, rq, t);
        finish_html(resp, 200, &b);
        return;
    }
    cs_searcher *s = cs_srv_searcher_err(rq, err, sizeof err);
    cs_results *r = NULL;
    sp.req.facets = 1;   /* the sidebar always shows them */
    if (!s || cs_srv_search(rq, s, &sp.req, &r, err, sizeof err) < 0) {
        cs_buf_free(&b);
        error_page(rq, resp, t, &st, s ? 500 : 503, s ? t->error : t->unavailable, err);
        return;
    }
    page_head(&b, t, &st, st.q ? st.q : t->browse);
    cs_buf_puts(&b, "<main id=\"main\" class=\"layout\">\n");
    put_sidebar(&b, r, &st, t);
    put_results(&b, r, &st, sp.per_page, t);
    cs_buf_puts(&b, "</main>\n");
    page_foot(&b, rq, t);
    cs_results_free(r);
    finish_html(resp, 200, &b);
}

/* ---- one article ---------------------------------------------------- */

/* The body as paragraphs: blank lines separate them, single newlines
 * become <br>. */
static void put_body(cs_buf *b, const char *text)
{
    const char *p = text;
    while (*p) {
        p += strspn(p, "\n\r \t");
        if (!*p)
            break;
        const char *end = strstr(p, "\n\n");
        size_t n = end ? (size_t)(end - p) : strlen(p);
        cs_buf_puts(b, "<p>");
        for (size_t i = 0; i < n;) {
            size_t line = strcspn(p + i, "\n");
            if (line > n - i)
                line = n - i;
            cs_buf_append_html(b, p + i, line);
            i += line;
            if (i < n) {
                cs_buf_puts(b, "<br>");
                i++;
            }
        }
        cs_buf_puts(b, "</p>\n");
        p += n;
    }
}

void cs_web_doc(cs_request *rq, cs_response *resp, const char *id)
{
    cs_search_params sp;
    ui_state st = {.page = 1};
    char err[512];
    if (!rq->params_bad && cs_parse_search_params(rq->params, 0, &sp, err, sizeof err) == 0)
        state_from_params(&st, &sp);
    const ui_text *t = pick_text(st.hl, rq->accept_language);
    if (!cs_utf8_valid(id, strlen(id)) || !*id || strlen(id) > CS_MAX_ID_BYTES) {
        error_page(rq, resp, t, &st, 404, t->not_found, t->not_found_tip);
        return;
    }
    cs_searcher *s = cs_srv_searcher_err(rq, err, sizeof err);
    cs_article *a = NULL;
    int rc = s ? cs_srv_get(rq, s, id, &a, err, sizeof err) : -1;
    if (rc <= 0) {
        if (rc == 0)
            error_page(rq, resp, t, &st, 404, t->not_found, t->not_found_tip);
        else
            error_page(rq, resp, t, &st, s ? 500 : 503, s ? t->error : t->unavailable, err);
        return;
    }
    cs_buf b = {0};
    page_head(&b, t, &st, *a->title ? a->title : t->untitled);
    cs_buf_puts(&b, "<main id=\"main\" class=\"single\"><article class=\"doc\">");
    if (st.q || has_filters(&st)) {
        cs_buf_puts(&b, "<p><a class=\"back\" ");
        put_href(&b, "/", &st);
        cs_buf_printf(&b, ">%s</a></p>", t->back);
    }
    cs_buf_puts(&b, "<h1>");
    h(&b, *a->title ? a->title : t->untitled);
    cs_buf_puts(&b, "</h1><div class=\"meta\">");
    if (a->date) {
        cs_buf_puts(&b, "<time>");
        put_date(&b, a->date, t);
        cs_buf_puts(&b, "</time>");
    }
    if (a->lang)
        cs_buf_printf(&b, "<span class=\"lang\">%s</span>", strcmp(a->lang, "vi") == 0 ? "VI" : "EN");
    for (size_t i = 0; i < a->nprovinces; i++) {
        ui_state l = {.prov = {a->provinces[i]}, .nprov = 1, .hl = st.hl, .page = 1};
        cs_buf_puts(&b, "<a class=\"tag prov\" ");
        put_href(&b, "/", &l);
        cs_buf_puts(&b, ">");
        h(&b, a->provinces[i]);
        cs_buf_puts(&b, "</a>");
    }
    for (size_t i = 0; i < a->nresolutions; i++) {
        ui_state l = {.res = {a->resolutions[i]}, .nres = 1, .hl = st.hl, .page = 1};
        cs_buf_puts(&b, "<a class=\"tag res\" ");
        put_href(&b, "/", &l);
        cs_buf_puts(&b, ">");
        h(&b, a->resolutions[i]);
        cs_buf_puts(&b, "</a>");
    }
    cs_buf_puts(&b, "</div>");
    if (is_web_url(a->url)) {
        cs_buf_printf(&b, "<p class=\"source\">%s: <a href=\"", t->source);
        h(&b, a->url);
        cs_buf_puts(&b, "\" rel=\"noopener noreferrer\">");
        h(&b, a->url);
        cs_buf_puts(&b, "</a></p>");
    }
    cs_buf_puts(&b, "<div class=\"text\">");
    put_body(&b, a->body);
    cs_buf_puts(&b, "</div></article></main>\n");
    page_foot(&b, rq, t);
    cs_article_free(a);
    finish_html(resp, 200, &b);
}

void cs_web_not_found(cs_request *rq, cs_response *resp)
{
    ui_state st = {.page = 1};
    const ui_text *t = pick_text(NULL, rq->accept_language);
    error_page(rq, resp, t, &st, 404, t->not_found, t->not_found_tip);
}
