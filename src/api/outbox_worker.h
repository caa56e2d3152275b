/* outbox_worker.h - the delivery worker of the outbox, a thread of `serve`
 * (docs/resident-loop.md, "The outbox"). It sends the due messages through the deployment's
 * channel and records each result through the shared writer, in batches:
 *   file:PATH        one JSON line per message ({"key","kind","to","subject","body","at"}),
 *                    appended and fsynced; for tests and demos, and the default
 *                    (file:<db>.outbox.jsonl);
 *   http(s)://...    a webhook: POST of the same JSON with Idempotency-Key: <key>, up to
 *                    OUTBOX_IN_FLIGHT requests at once (libcurl multi).
 * A message is marked sent only after the channel took it, so a crash in between sends it
 * again with the same key (at least once; exactly once by key at the receiver). */
#ifndef JIAYI_API_OUTBOX_WORKER_H
#define JIAYI_API_OUTBOX_WORKER_H

#define OUTBOX_IN_FLIGHT 16
#define OUTBOX_BATCH 256

/* Checks the channel (NULL or "": the default beside the database) and starts the thread.
 * Returns 0, or -1 with the reason on standard error (an unusable channel). */
int outbox_worker_start(const char *db_uri, const char *channel);
/* Stops the thread (an attempt in flight is abandoned: it is sent again at the next start)
 * and frees what it holds. Safe when it never started. */
void outbox_worker_stop(void);
/* A message was just committed that should go at once (a one-time code). */
void outbox_worker_wake(void);

#endif
