/* server.c -- the HTTP daemon: libmicrohttpd setup, per-thread searchers,
 * request bookkeeping (logging, metrics, limits) and clean shutdown.
 *
 * MHD runs a pool of worker threads, each polling its own connections. A
 * request is handled entirely in the worker that received it, so each worker
 * keeps its own cs_searcher (Xapian handles are not thread-safe) in a
 * pthread key whose destructor closes it when MHD stops the thread.
 */
#include "server.h"

#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http.h"
#include "text.h"

/* How often a worker asks the index whether a reindex committed. The issue
 * asks for new versions within a second; checking every request would cost
 * a stat and a reopen per query for nothing. */
#define REFRESH_EVERY_MS 200.0
/* How long shutdown waits for requests in flight. */
#define DRAIN_SECONDS 10

struct cs_server {
    const char *index_dir;
    unsigned max_conns;
    int quiet;
    pthread_key_t worker_key;
    atomic_uint conns;           /* open connections */
    atomic_uint inflight;        /* requests started, not yet completed */
    atomic_uint articles;
    _Atomic long long reload_ms; /* unix time of the last index change seen */
};

/* One worker thread's state. */
typedef struct worker {
    cs_searcher *s;
    double last_check;           /* monotonic ms of the last refresh */
} worker;

/* One request's bookkeeping, from the first handler call to completion. */
typedef struct req_ctx {
    double t0;
    unsigned status;
    int responded;
    char method[12];
    char path[256];              /* for the log line, printable */
} req_ctx;

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long long wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- index state ---------------------------------------------------- */

/* The number of articles, or -1 on error. Cheap (Xapian's document
 * count), but still only run at start and when a worker sees the index
 * change, never per request. */
static long count_articles(cs_searcher *s)
{
    char err[256];
    return cs_searcher_articles(s, err, sizeof err);
}

static void note_index_change(struct cs_server *srv, cs_searcher *s)
{
    long n = count_articles(s);
    if (n >= 0)
        atomic_store(&srv->articles, (unsigned)n);
    atomic_store(&srv->reload_ms, wall_ms());
}

uint32_t cs_srv_articles(struct cs_server *srv)
{
    return atomic_load(&srv->articles);
}

double cs_srv_last_reload(struct cs_server *srv)
{
    return atomic_load(&srv->reload_ms) / 1000.0;
}

static void worker_free(void *p)
{
    worker *w = p;
    if (w) {
        cs_searcher_close(w->s);
        free(w);
    }
}

/* Refresh now; 1 changed, 0 not, -1 error (the old view keeps working). */
static int refresh(struct cs_server *srv, worker *w)
{
    char err[512];
    w->last_check = mono_ms();
    int rc = cs_searcher_refresh(w->s, err, sizeof err);
    if (rc > 0)
        note_index_change(srv, w->s);
    else if (rc < 0)
        fprintf(stderr, "corpsearch: serve: index refresh failed: %s\n", err);
    return rc;
}

static worker *this_worker(struct cs_server *srv)
{
    worker *w = pthread_getspecific(srv->worker_key);
    if (!w && (w = calloc(1, sizeof *w)) &&
        pthread_setspecific(srv->worker_key, w) != 0) {
        free(w);
        w = NULL;
    }
    return w;
}

cs_searcher *cs_srv_searcher_err(cs_request *rq, char *err, size_t errlen)
{
    worker *w = this_worker(rq->srv);
    if (!w) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (!w->s) {
        /* Opened lazily, and again after a failure: an index that appears
         * or comes back later is served without a restart. */
        if (!(w->s = cs_searcher_open(rq->srv->index_dir, err, errlen)))
            return NULL;
        w->last_check = mono_ms();
    } else if (mono_ms() - w->last_check >= REFRESH_EVERY_MS) {
        refresh(rq->srv, w);
    }
    return w->s;
}

cs_searcher *cs_srv_searcher(cs_request *rq, cs_response *resp)
{
    char err[512];
    cs_searcher *s = cs_srv_searcher_err(rq, err, sizeof err);
    if (!s) {
        cs_resp_error(resp, 503, "the index is not available: %s", err);
        resp->retry_after = 5;
    }
    return s;
}

int cs_srv_search(cs_request *rq, cs_searcher *s, const cs_search_req *req,
                  cs_results **out, char *err, size_t errlen)
{
    if (cs_search(s, req, out, err, errlen) == 0)
        return 0;
    worker *w = this_worker(rq->srv);
    if (w && w->s == s)
        refresh(rq->srv, w);
    return cs_search(s, req, out, err, errlen);
}

int cs_srv_get(cs_request *rq, cs_searcher *s, const char *id,
               cs_article **out, char *err, size_t errlen)
{
    int rc = cs_searcher_get(s, id, out, err, errlen);
    if (rc >= 0)
        return rc;
    worker *w = this_worker(rq->srv);
    if (w && w->s == s)
        refresh(rq->srv, w);
    return cs_searcher_get(s, id, out, err, errlen);
}

/* ---- responses ------------------------------------------------------ */

void cs_resp_take(cs_response *r, unsigned status, const char *ctype, cs_buf *b)
{
    r->status = status;
    r->ctype = ctype;
    r->len = b->len;
    r->body = cs_buf_release(b);
    r->body_static = 0;
    if (!r->body) {
        r->status = 500;
        r->ctype = "application/json; charset=utf-8";
        r->body = (char *)"{\"error\":\"out of memory\",\"status\":500}\n";
        r->len = strlen(r->body);
        r->body_static = 1;
    }
}

void cs_resp_json(cs_response *r, unsigned status, json_t *o)
{
    cs_buf b = {0};
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (s) {
        cs_buf_puts(&b, s);
        cs_buf_putc(&b, '\n');
        free(s);
    } else {
        b.oom = 1;
    }
    cs_resp_take(r, status, "application/json; charset=utf-8", &b);
}

void cs_resp_error(cs_response *r, unsigned status, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* A message cut to fit may end inside a character (a long Vietnamese id
     * quoted back): drop the partial character rather than the message. */
    size_t len = strlen(msg);
    for (int k = 0; k < 3 && len && !cs_utf8_valid(msg, len); k++)
        msg[--len] = '\0';
    /* A message may quote client bytes: keep it valid UTF-8 for JSON. */
    if (!cs_utf8_valid(msg, len))
        snprintf(msg, sizeof msg, "%s", "the request is not valid UTF-8");
    cs_resp_json(r, status, json_pack("{s:s, s:i}", "error", msg, "status", (int)status));
}

/* Headers every response carries. The CSP forbids inline scripts and
 * styles, so nothing injected into a page could run even if escaping were
 * ever missed; app.js and style.css are separate files for that reason. */
static void add_common_headers(struct MHD_Response *mr, const cs_response *r)
{
    char num[32];
    MHD_add_response_header(mr, "Content-Type", r->ctype);
    MHD_add_response_header(mr, "Cache-Control", r->cache_control ? r->cache_control
                                                                  : "no-store");
    MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(mr, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(mr, "X-Frame-Options", "DENY");
    MHD_add_response_header(mr, "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'");
    if (r->etag)
        MHD_add_response_header(mr, "ETag", r->etag);
    if (r->allow)
        MHD_add_response_header(mr, "Allow", r->allow);
    if (r->vary)
        MHD_add_response_header(mr, "Vary", r->vary);
    if (r->retry_after) {
        snprintf(num, sizeof num, "%d", r->retry_after);
        MHD_add_response_header(mr, "Retry-After", num);
    }
}

static enum MHD_Result send_response(struct MHD_Connection *c, cs_response *r,
                                     int close_after)
{
    struct MHD_Response *mr = MHD_create_response_from_buffer(
        r->len, r->body, r->body_static ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_FREE);
    if (!mr) {
        if (!r->body_static)
            free(r->body);
        return MHD_NO;
    }
    add_common_headers(mr, r);
    if (close_after)
        MHD_add_response_header(mr, "Connection", "close");
    enum MHD_Result ret = MHD_queue_response(c, r->status, mr);
    MHD_destroy_response(mr);
    return ret;
}

/* ---- request handling ----------------------------------------------- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* MHD_OPTION_UNESCAPE_CALLBACK: percent-decode in place. MHD's own decoder
 * passes malformed escapes ("%zz", a lone "%") through and lets %00 cut a
 * value short; here each becomes a 0xFF byte, which is never valid UTF-8,
 * so the handler's UTF-8 check rejects the request with a 400. */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls, (void)c;
    char *w = s;
    for (const char *r = s; *r;) {
        if (*r != '%') {
            *w++ = *r++;
            continue;
        }
        int hi = hexval(r[1]), lo = hi < 0 ? -1 : hexval(r[2]);
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
            *w++ = (char)0xFF;
            r++;
        } else {
            *w++ = (char)(hi * 16 + lo);
            r += 3;
        }
    }
    *w = '\0';
    return (size_t)(w - s);
}

static enum MHD_Result collect_param(void *cls, enum MHD_ValueKind kind,
                                     const char *key, const char *value)
{
    (void)kind;
    cs_params *p = cls;
    if (p->n == CS_MAX_PARAMS) {
        p->too_many = 1;
        return MHD_NO;
    }
    p->key[p->n] = key;
    p->val[p->n++] = value ? value : "";
    return MHD_YES;
}

static int params_valid(const cs_params *p)
{
    for (size_t i = 0; i < p->n; i++)
        if (!cs_utf8_valid(p->key[i], strlen(p->key[i])) ||
            !cs_utf8_valid(p->val[i], strlen(p->val[i])))
            return 0;
    return 1;
}

/* A request body is announced by Content-Length > 0 or any
 * Transfer-Encoding; the API takes none. */
static int has_body(struct MHD_Connection *c)
{
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    const char *te = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding");
    return te || (cl && strspn(cl, "0 ") != strlen(cl));
}

/* Copy for the log, with control and non-ASCII bytes as \xNN so a crafted
 * path cannot forge log lines. */
static void log_copy(char *dst, size_t cap, const char *src)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)src; *p && n + 5 < cap; p++) {
        if (*p < 0x20 || *p == 0x7f || *p == '\\' || *p >= 0x80)
            n += (size_t)snprintf(dst + n, cap - n, "\\x%02x", *p);
        else
            dst[n++] = (char)*p;
    }
    dst[n] = '\0';
}

static void handle(struct cs_server *srv, struct MHD_Connection *c, const char *url,
                   const char *method, cs_response *resp, int *close_after)
{
    if (has_body(c)) {
        cs_resp_error(resp, 413, "request bodies are not accepted: "
                      "every endpoint takes GET with a query string");
        *close_after = 1;
    } else if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        cs_resp_error(resp, 405, "method %s is not allowed: use GET", method);
        resp->allow = "GET, HEAD";
    } else if (atomic_load(&srv->conns) > srv->max_conns) {
        cs_resp_error(resp, 503, "too many connections (limit %u); try again shortly",
                      srv->max_conns);
        resp->retry_after = 1;
        *close_after = 1;
    } else {
        cs_params params = {0};
        MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_param, &params);
        cs_request rq = {
            .method = method, .path = url, .params = &params, .srv = srv,
            .params_bad = !params_valid(&params),
            .accept_language = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                            "Accept-Language"),
            .if_none_match = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                          "If-None-Match"),
            .accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept"),
        };
        cs_route(&rq, resp);
    }
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **con_cls)
{
    (void)version, (void)upload;
    struct cs_server *srv = cls;
    req_ctx *ctx = *con_cls;
    if (!ctx) {
        if (!(ctx = calloc(1, sizeof *ctx)))
            return MHD_NO;
        ctx->t0 = mono_ms();
        log_copy(ctx->method, sizeof ctx->method, method);
        log_copy(ctx->path, sizeof ctx->path, url);
        *con_cls = ctx;
        atomic_fetch_add(&srv->inflight, 1);
    }
    if (ctx->responded) {
        *upload_size = 0;   /* discard a body we already refused */
        return MHD_YES;
    }
    /* Answer on the first call: a refused body is never read. */
    cs_response resp = {0};
    int close_after = 0;
    handle(srv, c, url, method, &resp, &close_after);
    ctx->status = resp.status;
    ctx->responded = 1;
    return send_response(c, &resp, close_after);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)c;
    struct cs_server *srv = cls;
    req_ctx *ctx = *con_cls;
    if (!ctx)
        return;
    double ms = mono_ms() - ctx->t0;
    cs_metrics_observe(ctx->status, ms / 1e3);
    if (!srv->quiet) {
        char line[512];
        time_t now = time(NULL);
        struct tm tm;
        char ts[32];
        strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
        int n = snprintf(line, sizeof line, "%s %s %s %u %.2fms%s\n", ts, ctx->method,
                         ctx->path, ctx->status, ms,
                         toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
        /* One write per line, so lines from workers do not interleave. */
        if (n > 0)
            fwrite(line, 1, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1, stderr);
    }
    free(ctx);
    *con_cls = NULL;
    atomic_fetch_sub(&srv->inflight, 1);
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_ctx,
                          enum MHD_ConnectionNotificationCode toe)
{
    (void)c, (void)socket_ctx;
    struct cs_server *srv = cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED)
        atomic_fetch_add(&srv->conns, 1);
    else
        atomic_fetch_sub(&srv->conns, 1);
}

/* ---- start and stop ------------------------------------------------- */

int cs_server_parse_listen(const char *s, char *host, size_t hostlen, unsigned *port)
{
    const char *colon, *h = s;
    size_t hl;
    if (s[0] == '[') {
        const char *end = strchr(s, ']');
        if (!end || end[1] != ':')
            return -1;
        h = s + 1;
        hl = (size_t)(end - h);
        colon = end + 1;
    } else {
        if (!(colon = strrchr(s, ':')))
            colon = s - 1;   /* a bare port */
        hl = colon >= s ? (size_t)(colon - s) : 0;
    }
    const char *p = colon + 1;
    if (!*p || strspn(p, "0123456789") != strlen(p) || strlen(p) > 5 || atol(p) > 65535 ||
        hl + 1 > hostlen)
        return -1;
    *port = (unsigned)atol(p);
    if (hl == 0)
        snprintf(host, hostlen, "127.0.0.1");
    else
        snprintf(host, hostlen, "%.*s", (int)hl, h);
    return 0;
}

static struct MHD_Daemon *start_daemon(struct cs_server *srv, const cs_server_opts *o,
                                       const struct sockaddr *addr, int ipv6)
{
    unsigned threads = o->threads;
    if (threads == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (unsigned)n : 1;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                     MHD_USE_ERROR_LOG | (ipv6 ? MHD_USE_IPv6 : 0);
    /* The hard limit sits above the soft one (max_conns) so that clients
     * over the soft limit get a 503 with a reason, not a closed socket. */
    return MHD_start_daemon(flags, 0, NULL, NULL, on_request, srv,
        MHD_OPTION_SOCK_ADDR, addr,
        MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_LIMIT, srv->max_conns + 64,
        MHD_OPTION_CONNECTION_TIMEOUT, o->timeout_s ? o->timeout_s : 30u,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024,
        MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv,
        MHD_OPTION_END);
}

/* Resolve host:port (numeric or a name such as localhost). */
static int resolve(const cs_server_opts *o, struct sockaddr_storage *ss, int *ipv6,
                   char *errbuf, size_t errlen)
{
    char host[256], port[8];
    unsigned p;
    if (cs_server_parse_listen(o->listen, host, sizeof host, &p) < 0) {
        snprintf(errbuf, errlen, "--listen takes HOST:PORT, e.g. 127.0.0.1:8080 (got '%s')",
                 o->listen);
        return -1;
    }
    snprintf(port, sizeof port, "%u", p);
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV}, *ai;
    int rc = getaddrinfo(host, port, &hints, &ai);
    if (rc != 0) {
        snprintf(errbuf, errlen, "cannot resolve '%s': %s", host, gai_strerror(rc));
        return -1;
    }
    memcpy(ss, ai->ai_addr, ai->ai_addrlen);
    *ipv6 = ai->ai_family == AF_INET6;
    freeaddrinfo(ai);
    return 0;
}

/* Stop accepting, wait for requests in flight, then stop the workers. */
static void drain_and_stop(struct cs_server *srv, struct MHD_Daemon *d)
{
    MHD_socket fd = MHD_quiesce_daemon(d);
    double deadline = mono_ms() + DRAIN_SECONDS * 1000.0;
    while (atomic_load(&srv->inflight) > 0 && mono_ms() < deadline) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(d);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
}

int cs_server_run(const cs_server_opts *o, char *errbuf, size_t errlen)
{
    struct cs_server srv = {.index_dir = o->index_dir, .quiet = o->quiet,
                            .max_conns = o->max_conns ? o->max_conns : 256};
    struct sockaddr_storage ss;
    int ipv6 = 0;
    if (resolve(o, &ss, &ipv6, errbuf, errlen) < 0)
        return -1;
    /* Fail early, with the engine's message, when there is no index. */
    cs_searcher *s = cs_searcher_open(o->index_dir, errbuf, errlen);
    if (!s)
        return -1;
    note_index_change(&srv, s);
    cs_searcher_close(s);
    cs_metrics_init();
    if (pthread_key_create(&srv.worker_key, worker_free) != 0) {
        snprintf(errbuf, errlen, "cannot create a thread key");
        return -1;
    }
    /* Block the stop signals before MHD starts its threads (they inherit
     * the mask), so only sigwait() below sees them. */
    sigset_t stop, old;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, &old);
    signal(SIGPIPE, SIG_IGN);
    errno = 0;   /* so a failure below does not report a stale errno */
    struct MHD_Daemon *d = start_daemon(&srv, o, (struct sockaddr *)&ss, ipv6);
    if (!d) {
        snprintf(errbuf, errlen, "cannot listen on %s: %s", o->listen,
                 errno ? strerror(errno) : "libmicrohttpd failed to start");
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        pthread_key_delete(srv.worker_key);
        return -1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char host[256];
    unsigned port;
    cs_server_parse_listen(o->listen, host, sizeof host, &port);
    fprintf(stderr, "corpsearch: serving %s (%u articles) on http://%s%s%s:%u/\n",
            o->index_dir, cs_srv_articles(&srv), ipv6 ? "[" : "", host, ipv6 ? "]" : "",
            info ? info->port : port);
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "corpsearch: %s received, finishing requests in flight\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM");
    drain_and_stop(&srv, d);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    /* The main thread never served, but clear its slot for symmetry. */
    worker_free(pthread_getspecific(srv.worker_key));
    pthread_key_delete(srv.worker_key);
    fprintf(stderr, "corpsearch: stopped\n");
    return 0;
}
