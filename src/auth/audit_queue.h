/* audit_queue.h - read audits written in batches by a background auditor.
 *
 * A read of a person's data must reach the audit chain, but making every read wait for a
 * durable commit caps reads at the writer's pace (measured: 3,800 audited reads/s against
 * 35,000 unaudited). So a read queues its entry (timestamped when it happened) and
 * answers; the auditor appends everything queued, in order, in one transaction about
 * every ten milliseconds. A clean stop flushes the queue; a kill -9 can lose the entries of
 * the last milliseconds of reads. Writes are never queued: their entry commits with them.
 * The auditor also appends the periodic signed checkpoints of the chain's head (every 1,000
 * entries, and after a quiet minute if anything was appended), off the request path. */
#ifndef JIAYI_AUTH_AUDIT_QUEUE_H
#define JIAYI_AUTH_AUDIT_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "domain/roles.h"
#include "util/must_use.h"

/* Starts the auditor for the database being served. Returns 0 or -1. */
JY_MUST_USE int audit_queue_start(const char *db_uri);
/* Queues a read entry; blocks only when the queue is full (back-pressure, never a drop). */
void audit_queue_push(const struct principal *who, const char *request_id, const char *resource,
                      const char *resource_id, int64_t resident_id);
/* Queues a list read: one entry, its n people in audit_subjects (auth/audit.h's
 * audit_append_list_at). The ids are copied. */
void audit_queue_push_list(const struct principal *who, const char *request_id,
                           const char *resource, const char *resource_id, const int64_t *subjects,
                           size_t n);
/* Read entries queued and not yet written (for GET /metrics). */
size_t audit_queue_depth(void);
/* Returns once everything queued before the call is committed (0), or -1 on failure. */
JY_MUST_USE int audit_queue_flush(void);

#endif
