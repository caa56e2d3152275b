/* metrics.c - GET /metrics: the server's operating figures in Prometheus text format 0.0.4
 * (docs/operations.md): requests and their latency, connections, the writer's queue and
 * group commits, the read-audit queue, the outbox's backlog and how far the indicator
 * counters stand behind today. Counts only, never a person. */
#include <time.h>

#include "api/api.h"
#include "api/handlers.h"
#include "auth/audit_queue.h"
#include "db/writer.h"
#include "http/metrics.h"
#include "kpi/kpi.h"
#include "store/outbox.h"
#include "util/date.h"
#include "util/sbuf.h"

static void writer_families(struct sbuf *out)
{
    struct writer_stats ws = writer_stats();
    sbuf_printf(out,
                "# HELP jiayi_writer_queue Requests waiting for the database writer now.\n"
                "# TYPE jiayi_writer_queue gauge\njiayi_writer_queue %u\n"
                "# HELP jiayi_writer_requests_total Writes committed through the shared writer.\n"
                "# TYPE jiayi_writer_requests_total counter\njiayi_writer_requests_total %llu\n"
                "# HELP jiayi_writer_commits_total Group commits that carried writes.\n"
                "# TYPE jiayi_writer_commits_total counter\njiayi_writer_commits_total %llu\n"
                "# HELP jiayi_writer_held_seconds_total Wall time the writer was held.\n"
                "# TYPE jiayi_writer_held_seconds_total counter\n"
                "jiayi_writer_held_seconds_total %.6f\n"
                "# HELP jiayi_audit_queue Read-audit entries queued, not yet in the chain.\n"
                "# TYPE jiayi_audit_queue gauge\njiayi_audit_queue %zu\n",
                ws.queued, (unsigned long long)ws.requests, (unsigned long long)ws.batches,
                (double)ws.held_wall_ns / 1e9, audit_queue_depth());
}

static int outbox_families(struct request *r, struct sbuf *out)
{
    int64_t now = (int64_t)time(NULL);
    struct outbox_backlog b;
    if (store_outbox_backlog(r->db, now, &b) < 0) return -1;
    sbuf_printf(
        out,
        "# HELP jiayi_outbox_pending Messages to people not yet sent.\n"
        "# TYPE jiayi_outbox_pending gauge\njiayi_outbox_pending %lld\n"
        "# HELP jiayi_outbox_due Pending messages due now (a backlog when it grows).\n"
        "# TYPE jiayi_outbox_due gauge\njiayi_outbox_due %lld\n"
        "# HELP jiayi_outbox_oldest_pending_age_seconds Age of the oldest pending message.\n"
        "# TYPE jiayi_outbox_oldest_pending_age_seconds gauge\n"
        "jiayi_outbox_oldest_pending_age_seconds %lld\n",
        (long long)b.pending, (long long)b.due,
        (long long)(b.oldest_created_at ? now - b.oldest_created_at : 0));
    return 0;
}

/* The counters stand at the date of their last daily pass; each day behind today is a day
 * of indicators that answer for yesterday's world (the daily job is late or failing). */
static int counters_family(struct request *r, struct sbuf *out)
{
    struct kpi_frame frame;
    if (kpi_frame_load(r->db, &frame) < 0) return -1;
    int built = frame.as_of.year != 0;
    long lag = built ? date_to_days(date_today()) - date_to_days(frame.as_of) : 0;
    sbuf_printf(out,
                "# HELP jiayi_counters_built 1 when the indicator counters exist.\n"
                "# TYPE jiayi_counters_built gauge\njiayi_counters_built %d\n"
                "# HELP jiayi_counters_lag_days Days between today and the date the indicator "
                "counters stand at.\n"
                "# TYPE jiayi_counters_lag_days gauge\njiayi_counters_lag_days %ld\n",
                built, lag);
    return 0;
}

int handle_metrics(struct request *r)
{
    struct sbuf out;
    sbuf_init(&out);
    metrics_http_write(&out);
    writer_families(&out);
    int rc = -1;
    if (outbox_families(r, &out) < 0 || counters_family(r, &out) < 0 || sbuf_failed(&out))
        reply_problem(r, 500, "internal_error", NULL);
    else
        rc = reply_bytes(r, 200, "text/plain; version=0.0.4; charset=utf-8", sbuf_cstr(&out),
                         out.len);
    sbuf_free(&out);
    return rc;
}
