/* outbox.h (store) - the outbox of messages to people (migration 025, docs/resident-loop.md).
 * Whatever causes a message writes it with store_outbox_put inside its own write
 * transaction, so the message exists exactly when its cause does; the delivery worker
 * sends it later. */
#ifndef JIAYI_STORE_OUTBOX_H
#define JIAYI_STORE_OUTBOX_H

#include <stdint.h>

#include "db/db.h"

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
    int urgent;              /* 1: sent in quiet hours too */
    int64_t not_before;      /* Unix seconds; 0 = as soon as possible */
};

/* Writes the message unless one with the same key exists. Returns the message's id (the
 * new row's or the existing one's), or -1 on error. A message with no address (no phone on
 * file) is written already 'dead' with last_error 'no_address', so it is counted, not sent. */
int64_t store_outbox_put(struct db *db, const struct outbox_message *m);
/* Cancels the messages of a cause not sent yet (a task closed before its reminder went out).
 * Returns how many, or -1 on error. */
int64_t store_outbox_cancel(struct db *db, const char *source_kind, int64_t source_id);

#endif
