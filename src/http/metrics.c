/* metrics.c - the HTTP server's counters (see metrics.h). Latency buckets are cumulative
 * when written, as Prometheus wants, but kept per bucket here so that recording is one
 * atomic add. */
#include "http/metrics.h"

#include <stdatomic.h>
#include <stdint.h>

static const double BUCKET_MS[] = {1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000};
#define BUCKETS (sizeof BUCKET_MS / sizeof BUCKET_MS[0])
static const char *const KIND[2] = {"write", "read"};

static atomic_ulong requests[2][6]; /* [read][status / 100], 0 for anything odd */
static atomic_ulong in_bucket[2][BUCKETS + 1];
static atomic_ulong total_us[2];
static atomic_uint open_connections;
static atomic_ulong accepted, refused;

void metrics_request_done(int read, int status, double ms)
{
    int k = read ? 1 : 0, c = status >= 100 && status < 600 ? status / 100 : 0;
    atomic_fetch_add_explicit(&requests[k][c], 1, memory_order_relaxed);
    size_t b = 0;
    while (b < BUCKETS && ms > BUCKET_MS[b])
        b++;
    atomic_fetch_add_explicit(&in_bucket[k][b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&total_us[k], (unsigned long)(ms > 0 ? ms * 1000.0 : 0),
                              memory_order_relaxed);
}

unsigned metrics_connection_opened(void)
{
    atomic_fetch_add_explicit(&accepted, 1, memory_order_relaxed);
    return atomic_fetch_add(&open_connections, 1) + 1;
}

void metrics_connection_closed(void)
{
    atomic_fetch_sub(&open_connections, 1);
}

void metrics_connection_refused(void)
{
    atomic_fetch_add_explicit(&refused, 1, memory_order_relaxed);
}

unsigned metrics_connections_open(void)
{
    return atomic_load(&open_connections);
}

static unsigned long load(atomic_ulong *v)
{
    return atomic_load_explicit(v, memory_order_relaxed);
}

void metrics_http_write(struct sbuf *out)
{
    sbuf_puts(out, "# HELP jiayi_http_requests_total Requests answered, by kind (read: GET and "
                   "HEAD) and status class.\n# TYPE jiayi_http_requests_total counter\n");
    static const char *const CLASS[6] = {"other", "1xx", "2xx", "3xx", "4xx", "5xx"};
    for (int k = 0; k < 2; k++)
        for (int c = 0; c < 6; c++)
            sbuf_printf(out, "jiayi_http_requests_total{kind=\"%s\",status=\"%s\"} %lu\n", KIND[k],
                        CLASS[c], load(&requests[k][c]));
    sbuf_puts(out, "# HELP jiayi_http_request_duration_seconds Time from the request's first "
                   "byte to its answer being queued.\n"
                   "# TYPE jiayi_http_request_duration_seconds histogram\n");
    for (int k = 0; k < 2; k++) {
        unsigned long cumulative = 0;
        for (size_t b = 0; b <= BUCKETS; b++) {
            cumulative += load(&in_bucket[k][b]);
            if (b < BUCKETS)
                sbuf_printf(out,
                            "jiayi_http_request_duration_seconds_bucket{kind=\"%s\",le=\"%g\"} "
                            "%lu\n",
                            KIND[k], BUCKET_MS[b] / 1000.0, cumulative);
            else
                sbuf_printf(out,
                            "jiayi_http_request_duration_seconds_bucket{kind=\"%s\",le=\"+Inf\"} "
                            "%lu\n",
                            KIND[k], cumulative);
        }
        sbuf_printf(out, "jiayi_http_request_duration_seconds_sum{kind=\"%s\"} %.6f\n", KIND[k],
                    (double)load(&total_us[k]) / 1e6);
        sbuf_printf(out, "jiayi_http_request_duration_seconds_count{kind=\"%s\"} %lu\n", KIND[k],
                    cumulative);
    }
    sbuf_printf(out,
                "# HELP jiayi_http_connections_open Client connections open now.\n"
                "# TYPE jiayi_http_connections_open gauge\njiayi_http_connections_open %u\n"
                "# HELP jiayi_http_connections_total Client connections accepted.\n"
                "# TYPE jiayi_http_connections_total counter\njiayi_http_connections_total %lu\n"
                "# HELP jiayi_http_connections_refused_total Requests answered 503 because their "
                "connection was over --max-connections.\n"
                "# TYPE jiayi_http_connections_refused_total counter\n"
                "jiayi_http_connections_refused_total %lu\n",
                metrics_connections_open(), load(&accepted), load(&refused));
}
