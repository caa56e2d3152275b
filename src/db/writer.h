/* writer.h - the single writer that commits concurrent requests together (group commit).
 *
 * Every API write runs on one shared connection, one request at a time, in a batch
 * transaction that stays open while more writers are queued: the first member directly in
 * it, each later one inside a SAVEPOINT. The last writer in the queue (or the 64th of a
 * batch) COMMITs with synchronous=FULL: one durable commit for the whole batch, after which
 * every member is acknowledged. A request that fails rolls back to its savepoint, the
 * others untouched (the first member: the batch, which holds nothing else yet). Nothing is
 * acknowledged before its batch is on disk. JIAYI_GROUP_COMMIT=0 commits every request
 * on its own (the reference the benchmark compares with). */
#ifndef JIAYI_DB_WRITER_H
#define JIAYI_DB_WRITER_H

#include <stdint.h>

#include "db/db.h"

/* Waits for the shared writer of `uri`, then opens this request's savepoint (and the batch
 * transaction if none is open). Returns the connection to use until writer_commit or
 * writer_rollback, or NULL (nothing held) when it cannot. */
struct db *writer_begin(const char *uri);
/* Keeps the request's changes and returns once they are durable: 0, or -1 when the batch
 * failed to commit (the request's changes are then lost and it must answer an error). */
int writer_commit(struct db *writer);
/* Discards the request's changes and hands the writer on. */
void writer_rollback(struct db *writer);

/* What a batch does for the layers above (kpi/ keeps the indicator counters; serve installs
 * it before the first request): `kept` runs after a request's savepoint is released into the
 * batch, `flush` just before the batch's COMMIT; when it returns < 0 the batch rolls back
 * and every member fails. Both run holding the writer. */
void writer_set_batch_hooks(void (*kept)(struct db *writer), int (*flush)(struct db *writer));
/* 1 when `db` is the shared writer's connection and batch hooks are installed: a tracker
 * then leaves its sums to them. */
int writer_batches(struct db *db);

/* What changed since a reader's snapshot, so that work read before taking the writer can be
 * used inside it (SQLite, where this server's writer is the database's; kpi_prefetch).
 * writer_generation() is taken before a read transaction begins: the snapshot holds every
 * batch up to it. Holding the writer, writer_note_change(key) marks a key (a resident) as
 * changed by the open batch, and writer_unchanged_since(key, generation) says that no batch
 * since `generation` and no other connection changed it (1), or that it may have (0: read
 * again). Keys share slots, so a collision only costs a read. */
uint64_t writer_generation(void);
void writer_note_change(int64_t key);
int writer_unchanged_since(int64_t key, uint64_t generation);

struct writer_stats {
    uint64_t requests, batches;
    uint64_t held_cpu_ns, held_wall_ns; /* the writer held: CPU of the holding threads, wall time */
    uint64_t unchanged, changed;        /* writer_unchanged_since's answers */
    unsigned queued;                    /* requests waiting for the writer now */
};
struct writer_stats writer_stats(void);

#endif
