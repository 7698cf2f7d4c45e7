/* http.h -- internals shared by the daemon's parts: requests, responses,
 * query parameters, the per-thread searcher, metrics and embedded assets. */
#ifndef CS_HTTP_H
#define CS_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "searcher.h"
#include "strbuf.h"

/* Limits on what a client may ask for; over them is a 400 naming the limit. */
#define CS_MAX_QUERY_BYTES 1024
#define CS_MAX_PER_PAGE 100
#define CS_MAX_DEPTH 10000        /* offset + per_page */
#define CS_MAX_PARAMS 64
#define CS_MAX_ID_BYTES 1024

/* Query-string parameters in order, repeated ones included. Pointers are
 * MHD's, valid for the request; a parameter given without '=' has "". */
typedef struct cs_params {
    const char *key[CS_MAX_PARAMS];
    const char *val[CS_MAX_PARAMS];
    size_t n;
    int too_many;        /* more than CS_MAX_PARAMS were given */
} cs_params;

/* The first value of `key`, or NULL. */
const char *cs_params_get(const cs_params *p, const char *key);

/* What /api/search and the web page understand. Strings point into the
 * cs_params they were parsed from. */
typedef struct cs_search_params {
    cs_search_req req;
    unsigned page;        /* 1-based */
    unsigned per_page;
    const char *sort;     /* "relevance" or "date" */
    const char *hl;       /* interface language asked for ("vi", "en") or NULL */
} cs_search_params;

/* Validate and convert parameters. `strict` (the JSON API) rejects unknown
 * parameters; the web page ignores them (shared links carry tracking junk).
 * Returns 0, or -1 with a message naming the parameter in err (a 400). */
int cs_parse_search_params(const cs_params *p, int strict,
                           cs_search_params *out, char *err, size_t errlen);

/* Non-zero if s is a date the engine understands: YYYY, YYYY-MM or
 * YYYY-MM-DD with a real month and day. */
int cs_valid_date(const char *s);

/* A response under construction. Handlers fill it; server.c sends it with
 * the common security headers. */
typedef struct cs_response {
    unsigned status;
    const char *ctype;          /* full Content-Type, with charset */
    char *body;                 /* malloc'd, unless body_static */
    size_t len;
    int body_static;
    const char *cache_control;  /* NULL -> "no-store" */
    const char *etag;
    const char *allow;          /* for 405 */
    const char *vary;
    int retry_after;            /* seconds, for 503; 0 -> none */
} cs_response;

struct cs_server;

/* One request as the handlers see it. */
typedef struct cs_request {
    const char *method;
    const char *path;           /* percent-decoded, without the query */
    const cs_params *params;
    int params_bad;             /* malformed %-escape or invalid UTF-8 */
    const char *accept_language;
    const char *if_none_match;
    const char *accept;         /* text/html -> HTML error pages */
    struct cs_server *srv;
} cs_request;

/* Response helpers. All take ownership of nothing and copy what they keep. */
void cs_resp_json(cs_response *r, unsigned status, json_t *o); /* steals o */
void cs_resp_error(cs_response *r, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void cs_resp_take(cs_response *r, unsigned status, const char *ctype,
                  cs_buf *b);   /* takes b's string */

/* The calling thread's searcher, opened on first use and refreshed so a
 * reindex is visible within a second. NULL with a 503 in resp when the
 * index cannot be opened. */
cs_searcher *cs_srv_searcher(cs_request *rq, cs_response *resp);
/* The same with the reason in err instead of a response. */
cs_searcher *cs_srv_searcher_err(cs_request *rq, char *err, size_t errlen);

/* cs_search with one retry after a refresh, for a revision discarded by a
 * concurrent reindex (Xapian's DatabaseModifiedError). Same contract. */
int cs_srv_search(cs_request *rq, cs_searcher *s, const cs_search_req *req,
                  cs_results **out, char *err, size_t errlen);
/* cs_searcher_get, likewise retried once. */
int cs_srv_get(cs_request *rq, cs_searcher *s, const char *id,
               cs_article **out, char *err, size_t errlen);

/* Index facts kept up to date by the workers, for /healthz and /metrics. */
uint32_t cs_srv_articles(struct cs_server *srv);
double cs_srv_last_reload(struct cs_server *srv);   /* unix seconds */

/* Route a request: fills resp. Never fails: every problem is a response. */
void cs_route(cs_request *rq, cs_response *resp);

/* Handlers (routes.c and webui.c). */
void cs_api_search(cs_request *rq, cs_response *resp);
void cs_api_doc(cs_request *rq, cs_response *resp, const char *id);
void cs_api_suggest(cs_request *rq, cs_response *resp);
void cs_api_health(cs_request *rq, cs_response *resp);
void cs_web_page(cs_request *rq, cs_response *resp);
void cs_web_doc(cs_request *rq, cs_response *resp, const char *id);
void cs_web_not_found(cs_request *rq, cs_response *resp);

/* Metrics (metrics.c): lock-free counters, safe from any thread. */
void cs_metrics_init(void);
void cs_metrics_observe(unsigned status, double seconds);
void cs_metrics_render(struct cs_server *srv, cs_buf *out);

/* Static files compiled in by embed.py (assets.c). */
typedef struct cs_asset {
    const char *path;           /* "/static/app.js" */
    const char *ctype;
    const unsigned char *data;
    size_t len;
    const char *etag;           /* quoted, content hash */
} cs_asset;
extern const cs_asset cs_assets[];
extern const size_t cs_nassets;
const cs_asset *cs_asset_find(const char *path);

/* URL building for links: appends s percent-encoded, as a query value
 * (space as '+') or, with `path` set, as a path ('/' kept, space as %20). */
void cs_buf_append_urlenc(cs_buf *b, const char *s, int path);

#endif
