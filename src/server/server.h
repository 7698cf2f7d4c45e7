/* server.h -- the corpsearch HTTP daemon: JSON API and web search box. */
#ifndef CS_SERVER_H
#define CS_SERVER_H

#include <stddef.h>

typedef struct cs_server_opts {
    const char *index_dir;   /* the index to serve (read-only) */
    const char *listen;      /* "127.0.0.1:8080", "[::1]:8080", ":8080" (loopback) */
    unsigned threads;        /* worker threads; 0 -> number of cores */
    unsigned max_conns;      /* open connections before 503; 0 -> 256 */
    unsigned timeout_s;      /* idle connection timeout; 0 -> 30 s */
    int quiet;               /* no per-request log lines */
} cs_server_opts;

/* Serve until SIGINT or SIGTERM, then stop accepting, let requests in
 * flight finish (up to a few seconds) and return 0. Returns -1 with a
 * message in errbuf when the daemon cannot start (no index, bad address,
 * port in use). Prints "listening on http://HOST:PORT/" to stderr once ready
 * (with the real port when the requested one was 0). */
int cs_server_run(const cs_server_opts *o, char *errbuf, size_t errlen);

/* Parse a --listen value into host and port. The host defaults to
 * 127.0.0.1 when empty. 0, or -1 when malformed. */
int cs_server_parse_listen(const char *s, char *host, size_t hostlen,
                           unsigned *port);

#endif
