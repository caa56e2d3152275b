/* metrics.h - what the HTTP server counts for GET /metrics (Prometheus text format 0.0.4):
 * requests by kind and status class, their latency as a histogram, the open connections and
 * the ones refused over --max-connections. Lock-free counters; any thread may record. */
#ifndef JIAYI_HTTP_METRICS_H
#define JIAYI_HTTP_METRICS_H

#include "util/sbuf.h"

/* A finished request: `read` for GET and HEAD, its status and its time in milliseconds. */
void metrics_request_done(int read, int status, double ms);
/* A connection accepted (returns the number now open) or closed. */
unsigned metrics_connection_opened(void);
void metrics_connection_closed(void);
/* A request answered 503 because its connection was over the limit. */
void metrics_connection_refused(void);
unsigned metrics_connections_open(void);
/* Appends the HTTP families, each with its # HELP and # TYPE lines. */
void metrics_http_write(struct sbuf *out);

#endif
