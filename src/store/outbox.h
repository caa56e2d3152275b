/* outbox.h (store) - the outbox of messages to people (migration 025, docs/resident-loop.md).
 * Whatever causes a message writes it with store_outbox_put inside its own write
 * transaction, so the message exists exactly when its cause does; the delivery worker
 * sends it later. */
#ifndef JIAYI_STORE_OUTBOX_H
#define JIAYI_STORE_OUTBOX_H

#include <stdint.h>

#include <jansson.h>

#include "db/db.h"
#include "domain/outbox_policy.h"
#include "store/status.h"

struct outbox_message {
    const char *key;         /* unique per cause, e.g. "reminder:task:42:due" */
    const char *kind;        /* otp, reminder, content, consultation, booking, survey, notice */
    int64_t resident_id;     /* the resident it goes to, or 0 */
    int64_t user_id;         /* or the login it goes to (a staff member), or 0 */
    const char *address;     /* the phone; NULL = the resident's phone on file */
    const char *subject;     /* may be NULL */
    const char *body;        /* the text sent, in the resident's language (zh-CN) */
    const char *source_kind; /* what caused it, so closing the cause can cancel it; may be NULL */
    int64_t source_id;
    int urgent;         /* 1: sent in quiet hours too */
    int64_t not_before; /* Unix seconds; 0 = as soon as possible */
};

/* Writes the message unless one with the same key exists. Returns the message's id (the
 * new row's or the existing one's), or -1 on error. A message with no address (no phone on
 * file) is written already 'dead' with last_error 'no_address', so it is counted, not sent. */
JY_MUST_USE int64_t store_outbox_put(struct db *db, const struct outbox_message *m);
/* Cancels the messages of a cause not sent yet (a task closed before its reminder went out).
 * Returns how many, or -1 on error. */
JY_MUST_USE int64_t store_outbox_cancel(struct db *db, const char *source_kind, int64_t source_id);

/* `jiayi notice`: a notice (kind 'notice') to every living resident with an active contract
 * with team_id (when > 0), registered under region (when not NULL), keyed
 * "notice:<tag>:resident:<id>" so that sending the same tag again writes nothing twice.
 * Inside the caller's transaction. Returns the number of recipients, -1 on error; *no_phone
 * counts those without a phone on file (written dead, 'no_address'). */
JY_MUST_USE int64_t store_outbox_notice(struct db *db, int64_t team_id, const char *region,
                                        const char *tag, const char *subject, const char *body,
                                        int64_t *no_phone);

/* ---- the delivery worker (api/outbox_worker.c) ---- */

/* A due message as the worker sends it. Strings are malloc'd; store_outbox_rows_free. */
struct outbox_row {
    int64_t id;
    char *key, *kind, *address, *subject, *body;
    int attempts, urgent;
    int64_t created_at;
};

/* The worker's settings (outbox_max_attempts, outbox_backoff_seconds, outbox_quiet_start,
 * outbox_quiet_end); defaults (outbox_config_default) for a missing or invalid value. */
struct outbox_config store_outbox_config(struct db *db);
/* Up to max pending messages due at `now`, the longest waiting first; only urgent ones when
 * urgent_only. Returns how many were filled, or -1. */
JY_MUST_USE int store_outbox_due(struct db *db, int64_t now, int urgent_only,
                                 struct outbox_row *rows, int max);
void store_outbox_rows_free(struct outbox_row *rows, int n);
/* The earliest next_attempt_at of a pending message, 0 when none, -1 on error. */
JY_MUST_USE int64_t store_outbox_next_due(struct db *db);
/* The messages waiting (for GET /metrics): pending, of which due at `now`, and when the
 * oldest pending one was written (0 when none). 0, or -1. */
struct outbox_backlog {
    int64_t pending, due, oldest_created_at;
};
JY_MUST_USE int store_outbox_backlog(struct db *db, int64_t now, struct outbox_backlog *out);
/* Quiet hours: moves the due non-urgent messages to `until`. Returns how many, or -1. */
JY_MUST_USE int64_t store_outbox_hold(struct db *db, int64_t now, int64_t until);
/* One-time codes still unsent that were written before `created_before` are of no use any
 * more: dead ('expired'), their text blanked. Returns how many, or -1. */
JY_MUST_USE int64_t store_outbox_expire_codes(struct db *db, int64_t created_before);
/* The channel took the message: 'sent' (one-time codes lose their text). 0 or -1. */
JY_MUST_USE int store_outbox_mark_sent(struct db *db, int64_t id, int64_t now);
/* A failed attempt: `failures` attempts so far; retried at next_at, or dead when dead != 0
 * (a one-time code's text is then blanked). 0 or -1. */
JY_MUST_USE int store_outbox_mark_failed(struct db *db, int64_t id, int failures, int dead,
                                         int64_t next_at, const char *error);
/* A channel's delivery receipt for the message `key`: delivered (sets delivered_at) or failed
 * with `error`. 1 done, 0 no such message, -1 error. */
JY_MUST_USE int store_outbox_receipt(struct db *db, const char *key, int delivered,
                                     const char *error, int64_t now);

/* ---- the administrators' view (GET /api/v1/outbox) ---- */

/* Appends to items the messages matching the filters (NULL: any), newest first, below id
 * `cursor` (0: from the newest), at most `limit`. `region`: only messages to residents
 * registered under it. A one-time code's body is never read. Returns the count or -1. */
JY_MUST_USE int store_outbox_list(struct db *db, const char *status, const char *kind,
                                  const char *region, int64_t cursor, int limit, json_t *items);
/* {"pending": n, "sent": n, ...} over the same filters but status; NULL on error. */
json_t *store_outbox_counts(struct db *db, const char *kind, const char *region);

#endif
