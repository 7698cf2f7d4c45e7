/* cmd_serve.c -- `corpsearch serve`: the HTTP daemon (JSON API + web search box). */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

#ifdef CS_HAVE_SERVER
#include "server.h"

static const char usage[] =
    "usage: corpsearch serve [OPTIONS]\n"
    "\n"
    "Answer searches over HTTP: a web search box at / and a JSON API\n"
    "(/api/search, /api/doc/ID, /api/suggest, /healthz, /metrics). The index is\n"
    "only read; a reindex running alongside is picked up within a second.\n"
    "\n"
    "  --index DIR            index folder (default: $CORPSEARCH_INDEX, else ./index)\n"
    "  --listen HOST:PORT     address to bind (default 127.0.0.1:8080; port 0 picks a\n"
    "                         free one, printed on stderr)\n"
    "  --threads N            worker threads (default: number of cores)\n"
    "  --max-connections N    open connections before answering 503 (default 256)\n"
    "  --timeout SECONDS      close idle connections after this long (default 30)\n"
    "  --quiet                no log line per request\n"
    "\n"
    "Stops cleanly on SIGINT or SIGTERM, finishing requests in flight.\n";

int cmd_serve(int argc, char **argv)
{
    static const struct option opts[] = {
        {"index", required_argument, 0, 'i'}, {"listen", required_argument, 0, 'l'},
        {"threads", required_argument, 0, 't'},
        {"max-connections", required_argument, 0, 'c'},
        {"timeout", required_argument, 0, 'T'}, {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    cs_server_opts o = {.listen = "127.0.0.1:8080"};
    const char *dir = NULL;
    long v;
    int c;
    while ((c = getopt_long(argc, argv, "i:l:t:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'i': dir = optarg; break;
        case 'l': o.listen = optarg; break;
        case 't':
        case 'c':
        case 'T':
            if ((v = cli_parse_count(optarg, c == 't' ? 256 : 100000)) < 1) {
                cli_error("--%s takes a number from 1 to %d",
                          c == 't' ? "threads" : c == 'c' ? "max-connections" : "timeout",
                          c == 't' ? 256 : 100000);
                return EXIT_USAGE;
            }
            if (c == 't')
                o.threads = (unsigned)v;
            else if (c == 'c')
                o.max_conns = (unsigned)v;
            else
                o.timeout_s = (unsigned)v;
            break;
        case 'q': o.quiet = 1; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: fputs(usage, stderr); return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        cli_error("serve: unexpected argument '%s'", argv[optind]);
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    char host[256];
    unsigned port;
    if (cs_server_parse_listen(o.listen, host, sizeof host, &port) < 0) {
        cli_error("--listen takes HOST:PORT, e.g. 127.0.0.1:8080 (got '%s')", o.listen);
        return EXIT_USAGE;
    }
    o.index_dir = cli_index_dir(dir);
    char err[1024];
    if (cs_server_run(&o, err, sizeof err) < 0) {
        cli_error("serve: %s", err);
        return EXIT_FAILURE_;
    }
    return EXIT_OK;
}

#else

int cmd_serve(int argc, char **argv)
{
    (void)argc, (void)argv;
    cli_error("serve: this build has no HTTP daemon (libmicrohttpd-dev was missing)");
    return EXIT_FAILURE_;
}

#endif
