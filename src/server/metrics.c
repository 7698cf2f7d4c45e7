/* metrics.c -- request counters and a latency histogram, rendered in the
 * Prometheus text format for GET /metrics. Plain atomics: every worker
 * thread updates them without locks. */
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include "http.h"

static const double bucket_le[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                   0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
#define NBUCKETS (sizeof bucket_le / sizeof *bucket_le)

static atomic_ullong by_status[600];          /* index: HTTP status */
static atomic_ullong buckets[NBUCKETS + 1];   /* not cumulative; last is +Inf */
static atomic_ullong sum_us, count;
static time_t started;

void cs_metrics_init(void)
{
    started = time(NULL);
}

void cs_metrics_observe(unsigned status, double seconds)
{
    if (status < 600)
        atomic_fetch_add(&by_status[status], 1);
    size_t i = 0;
    while (i < NBUCKETS && seconds > bucket_le[i])
        i++;
    atomic_fetch_add(&buckets[i], 1);
    atomic_fetch_add(&sum_us, (unsigned long long)(seconds * 1e6));
    atomic_fetch_add(&count, 1);
}

void cs_metrics_render(struct cs_server *srv, cs_buf *b)
{
    cs_buf_puts(b, "# HELP corpsearch_http_requests_total HTTP requests answered, by status code.\n"
                   "# TYPE corpsearch_http_requests_total counter\n");
    for (unsigned s = 100; s < 600; s++) {
        unsigned long long n = atomic_load(&by_status[s]);
        if (n)
            cs_buf_printf(b, "corpsearch_http_requests_total{code=\"%u\"} %llu\n", s, n);
    }
    cs_buf_puts(b, "# HELP corpsearch_http_request_duration_seconds Time from request "
                   "headers to response queued.\n"
                   "# TYPE corpsearch_http_request_duration_seconds histogram\n");
    unsigned long long cum = 0;
    for (size_t i = 0; i <= NBUCKETS; i++) {
        cum += atomic_load(&buckets[i]);
        if (i < NBUCKETS)
            cs_buf_printf(b, "corpsearch_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
                          bucket_le[i], cum);
        else
            cs_buf_printf(b, "corpsearch_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
                          cum);
    }
    cs_buf_printf(b, "corpsearch_http_request_duration_seconds_sum %.6f\n"
                     "corpsearch_http_request_duration_seconds_count %llu\n",
                  atomic_load(&sum_us) / 1e6, atomic_load(&count));
    cs_buf_printf(b, "# HELP corpsearch_index_articles Articles in the index being served.\n"
                     "# TYPE corpsearch_index_articles gauge\n"
                     "corpsearch_index_articles %u\n"
                     "# HELP corpsearch_index_last_reload_timestamp_seconds When the daemon "
                     "last saw the index change (or opened it).\n"
                     "# TYPE corpsearch_index_last_reload_timestamp_seconds gauge\n"
                     "corpsearch_index_last_reload_timestamp_seconds %.3f\n"
                     "# HELP corpsearch_start_time_seconds When the daemon started.\n"
                     "# TYPE corpsearch_start_time_seconds gauge\n"
                     "corpsearch_start_time_seconds %lld\n",
                  cs_srv_articles(srv), cs_srv_last_reload(srv), (long long)started);
}
