/* routes.c -- which handler answers which path, and the JSON API:
 * /api/search, /api/doc/{id}, /api/suggest, /healthz, /metrics, assets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "text.h"
#include "xapian_c.h"

#ifndef CS_VERSION
#define CS_VERSION "unknown"
#endif

#define BAD_ESCAPE_MSG "malformed percent-encoding or invalid UTF-8 in the URL"
#define MAX_SUGGESTIONS 8

/* Reject any parameter other than those named (NULL-terminated list).
 * 0, or -1 with a 400 in resp. */
static int only_params(cs_request *rq, cs_response *resp, const char *const *known)
{
    if (rq->params_bad) {
        cs_resp_error(resp, 400, BAD_ESCAPE_MSG);
        return -1;
    }
    if (rq->params->too_many) {
        cs_resp_error(resp, 400, "too many parameters");
        return -1;
    }
    for (size_t i = 0; i < rq->params->n; i++) {
        const char *k = rq->params->key[i];
        size_t j = 0;
        while (known[j] && strcmp(known[j], k) != 0)
            j++;
        if (!known[j]) {
            cs_resp_error(resp, 400, "unknown parameter '%.40s'", k);
            return -1;
        }
        for (size_t m = 0; m < i; m++)
            if (strcmp(rq->params->key[m], k) == 0) {
                cs_resp_error(resp, 400, "parameter '%s' is given more than once", k);
                return -1;
            }
    }
    return 0;
}

void cs_api_search(cs_request *rq, cs_response *resp)
{
    cs_search_params sp;
    char err[512];
    if (rq->params_bad) {
        cs_resp_error(resp, 400, BAD_ESCAPE_MSG);
        return;
    }
    if (cs_parse_search_params(rq->params, 1, &sp, err, sizeof err) < 0) {
        cs_resp_error(resp, 400, "%s", err);
        return;
    }
    cs_searcher *s = cs_srv_searcher(rq, resp);
    cs_results *r = NULL;
    if (!s)
        return;
    if (cs_srv_search(rq, s, &sp.req, &r, err, sizeof err) < 0) {
        cs_resp_error(resp, 500, "search failed: %s", err);
        return;
    }
    json_t *o = cs_results_json(r);
    if (o)
        json_object_set_new(o, "took_ms", json_real(r->took_ms));
    cs_results_free(r);
    cs_resp_json(resp, 200, o);
}

void cs_api_doc(cs_request *rq, cs_response *resp, const char *id)
{
    static const char *const none[] = {NULL};
    char err[512];
    cs_article *a = NULL;
    if (only_params(rq, resp, none) < 0)
        return;
    if (!cs_utf8_valid(id, strlen(id))) {
        cs_resp_error(resp, 400, BAD_ESCAPE_MSG);
        return;
    }
    if (!*id || strlen(id) > CS_MAX_ID_BYTES) {
        cs_resp_error(resp, 404, "no article with that id");
        return;
    }
    cs_searcher *s = cs_srv_searcher(rq, resp);
    if (!s)
        return;
    int rc = cs_srv_get(rq, s, id, &a, err, sizeof err);
    if (rc < 0) {
        cs_resp_error(resp, 500, "cannot read the article: %s", err);
    } else if (rc == 0) {
        cs_resp_error(resp, 404, "no article with id '%s'", id);
    } else {
        cs_resp_json(resp, 200, cs_article_json(a));
        cs_article_free(a);
    }
}

void cs_api_suggest(cs_request *rq, cs_response *resp)
{
    static const char *const known[] = {"q", NULL};
    char err[512];
    if (only_params(rq, resp, known) < 0)
        return;
    const char *q = cs_params_get(rq->params, "q");
    if (!q)
        q = "";
    if (strlen(q) > CS_MAX_QUERY_BYTES) {
        cs_resp_error(resp, 400, "parameter 'q' is too long (at most %d bytes)",
                      CS_MAX_QUERY_BYTES);
        return;
    }
    json_t *list = json_array();
    if (*q) {
        cs_searcher *s = cs_srv_searcher(rq, resp);
        char **out = NULL;
        size_t n = 0;
        if (!s) {
            json_decref(list);
            return;
        }
        if (cs_suggest(s, q, MAX_SUGGESTIONS, &out, &n, err, sizeof err) < 0) {
            json_decref(list);
            cs_resp_error(resp, 500, "suggestions failed: %s", err);
            return;
        }
        for (size_t i = 0; i < n; i++) {
            json_array_append_new(list, json_string(out[i]));
            free(out[i]);
        }
        free(out);
    }
    cs_resp_json(resp, 200, json_pack("{s:s, s:o}", "query", q, "suggestions", list));
}

void cs_api_health(cs_request *rq, cs_response *resp)
{
    static const char *const none[] = {NULL};
    if (only_params(rq, resp, none) < 0)
        return;
    char err[512];
    if (!cs_srv_searcher_err(rq, err, sizeof err)) {
        cs_resp_json(resp, 503, json_pack("{s:s, s:s}", "status", "unavailable",
                                          "error", err));
        resp->retry_after = 5;
        return;
    }
    cs_resp_json(resp, 200, json_pack("{s:s, s:i, s:s, s:s}", "status", "ok",
                                      "articles", (json_int_t)cs_srv_articles(rq->srv),
                                      "version", CS_VERSION, "xapian", xc_version()));
}

static void metrics(cs_request *rq, cs_response *resp)
{
    static const char *const none[] = {NULL};
    cs_buf b = {0};
    if (only_params(rq, resp, none) < 0)
        return;
    char err[512];
    /* Refreshes the gauges; when the index is gone they say what we last knew. */
    cs_srv_searcher_err(rq, err, sizeof err);
    cs_metrics_render(rq->srv, &b);
    cs_resp_take(resp, 200, "text/plain; version=0.0.4; charset=utf-8", &b);
}

const cs_asset *cs_asset_find(const char *path)
{
    for (size_t i = 0; i < cs_nassets; i++)
        if (strcmp(cs_assets[i].path, path) == 0)
            return &cs_assets[i];
    return NULL;
}

/* Static files: cached for a day and revalidated by ETag; the page links
 * them with ?v=<hash>, so a new build is picked up at once. */
static void asset(cs_request *rq, cs_response *resp, const cs_asset *a)
{
    resp->etag = a->etag;
    resp->cache_control = "public, max-age=86400";
    if (rq->if_none_match && strstr(rq->if_none_match, a->etag)) {
        resp->status = 304;
        resp->ctype = a->ctype;
        resp->body = (char *)"";
        resp->body_static = 1;
        return;
    }
    resp->status = 200;
    resp->ctype = a->ctype;
    resp->body = (char *)a->data;
    resp->len = a->len;
    resp->body_static = 1;
}

/* Browsers get a page, programs a JSON error. */
static int wants_html(const cs_request *rq)
{
    return rq->accept && strstr(rq->accept, "text/html");
}

void cs_route(cs_request *rq, cs_response *resp)
{
    const char *p = rq->path;
    const cs_asset *a;
    if (strcmp(p, "/") == 0)
        cs_web_page(rq, resp);
    else if (strncmp(p, "/doc/", 5) == 0)
        cs_web_doc(rq, resp, p + 5);
    else if (strcmp(p, "/api/search") == 0)
        cs_api_search(rq, resp);
    else if (strncmp(p, "/api/doc/", 9) == 0)
        cs_api_doc(rq, resp, p + 9);
    else if (strcmp(p, "/api/suggest") == 0)
        cs_api_suggest(rq, resp);
    else if (strcmp(p, "/healthz") == 0)
        cs_api_health(rq, resp);
    else if (strcmp(p, "/metrics") == 0)
        metrics(rq, resp);
    else if ((a = cs_asset_find(p)))
        asset(rq, resp, a);
    else if (strncmp(p, "/api/", 5) != 0 && wants_html(rq))
        cs_web_not_found(rq, resp);
    else
        cs_resp_error(resp, 404, "no such path; the API has /api/search, "
                      "/api/doc/{id}, /api/suggest, /healthz and /metrics");
}
