/* writer.c - leader-based group commit on one shared SQLite connection.
 * `queued` counts threads waiting for the writer; a writer that leaves while others are
 * queued leaves the batch open for them and waits for the batch's result; the one that
 * leaves with nobody queued (or fills the batch) commits it and wakes the rest.
 *
 * On SQLite the writer does not checkpoint the WAL itself (SQLite's automatic checkpoint
 * copies about a thousand pages into the database file and syncs it inside whichever
 * COMMIT crosses the mark, holding every queued writer): a checkpointer thread with its own
 * connection runs a PASSIVE checkpoint after every CHECKPOINT_EVERY batches, beside the
 * writer. PASSIVE never blocks a writer or a reader; a crash at any point is recovered from
 * the WAL as before. But a WAL restarts from its beginning only when no reader still uses
 * it, and under a steady stream of reads one always does: the soak of issue 21 (2,000
 * connections reading, 200 registrations a second) grew it to 17 GB in seven minutes. So
 * once the WAL holds more than WAL_TRUNCATE_FRAMES after a passive pass, the checkpointer
 * runs a TRUNCATE checkpoint: it waits (the busy handler) for the readers of the moment to
 * finish, holding new writers back for those milliseconds, and empties the file. */
#include "db/writer.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/log.h"

#define BATCH_MAX 64
#define CHECKPOINT_EVERY 16        /* batches */
#define WAL_TRUNCATE_FRAMES 16384  /* 64 MB of 4 KB pages */
#define TRUNCATE_WAIT_MS "100"     /* the longest the writers wait on a truncation */
#define CHECKPOINT_BUSY_MS "15000" /* the connection's usual one (db/db_sqlite.c) */
#define RESULTS 1024               /* ring of batch outcomes; far more than can be in flight */

static pthread_mutex_t owner = PTHREAD_MUTEX_INITIALIZER; /* held while using the writer */
static pthread_mutex_t state = PTHREAD_MUTEX_INITIALIZER; /* guards the fields below */
static pthread_cond_t batch_done = PTHREAD_COND_INITIALIZER;
static struct db *writer;
static int queued, batch_open, batch_members;
static int in_savepoint; /* the request holding the writer runs in SAVEPOINT request */
static uint64_t batch_id, completed_batch, requests, batches;
static signed char outcome[RESULTS];
static pthread_cond_t checkpoint_due = PTHREAD_COND_INITIALIZER;
static int since_checkpoint;     /* batches committed since the checkpointer last ran */
static struct db *checkpoint_db; /* global: reachable for the leak checker */
/* How long the writer was held, in CPU time of the holding thread and in wall time (which
 * adds the fsyncs and any wait on the disk): what a write costs the one writer, the figure
 * that bounds a node's durable writes however many cores serve the requests. */
static uint64_t held_cpu_ns, held_wall_ns, held_cpu_from, held_wall_from;
/* The generation that completes the latest batch to change a key of each slot, and the
 * first generation whose snapshots surely hold every other connection's commits (a `jiayi`
 * command or the sqlite3 CLI writing the same file: PRAGMA data_version moves). */
#define CHANGE_SLOTS 4096
static uint64_t changed_in[CHANGE_SLOTS], outside_change, still_held, changed_since;
static int64_t data_version = -1;
static void (*kept_hook)(struct db *writer);
static int (*flush_hook)(struct db *writer);

void writer_set_batch_hooks(void (*kept)(struct db *w), int (*flush)(struct db *w))
{
    kept_hook = kept;
    flush_hook = flush;
}

int writer_batches(struct db *db)
{
    return db && db == __atomic_load_n(&writer, __ATOMIC_ACQUIRE) && kept_hook && flush_hook;
}

/* Runs a wal_checkpoint pragma on the checkpointer's connection: the frames in the WAL
 * after it, or -1. */
static int64_t wal_checkpoint(const char *pragma)
{
    struct db_stmt *st = db_prepare(checkpoint_db, pragma);
    int64_t frames = st && db_step(st) == DB_ROW ? db_column_int(st, 1) : -1;
    db_release(checkpoint_db);
    return frames;
}

static uint64_t clock_ns(clockid_t clock);

static void *checkpointer(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&state);
        while (since_checkpoint < CHECKPOINT_EVERY)
            pthread_cond_wait(&checkpoint_due, &state);
        since_checkpoint = 0;
        pthread_mutex_unlock(&state);
        if (wal_checkpoint("PRAGMA wal_checkpoint(PASSIVE)") > WAL_TRUNCATE_FRAMES) {
            /* The writers wait while it does: it may wait for the readers of the moment only
             * briefly, and tries again after the next batches when they would not finish. */
            uint64_t started = clock_ns(CLOCK_MONOTONIC);
            db_exec(checkpoint_db, "PRAGMA busy_timeout=" TRUNCATE_WAIT_MS);
            int64_t left = wal_checkpoint("PRAGMA wal_checkpoint(TRUNCATE)");
            db_exec(checkpoint_db, "PRAGMA busy_timeout=" CHECKPOINT_BUSY_MS);
            log_info("checkpointer: the WAL had grown past %d frames; %s in %.1f ms",
                     WAL_TRUNCATE_FRAMES, left == 0 ? "truncated" : "readers still on it, later",
                     (double)(clock_ns(CLOCK_MONOTONIC) - started) / 1e6);
        }
    }
    return NULL;
}

/* SQLite only: the writer leaves checkpoints to the checkpointer (a PostgreSQL server
 * checkpoints by itself). Keeps SQLite's own when the thread cannot start. */
static void checkpoint_beside(struct db *w, const char *uri)
{
    if (strcmp(db_backend_name(w), "sqlite") != 0) return;
    struct jy_error err;
    pthread_t thread;
    checkpoint_db = db_open(uri, &err);
    if (!checkpoint_db || pthread_create(&thread, NULL, checkpointer, NULL) != 0) {
        log_error("checkpointer: cannot start; the writer checkpoints as it commits");
        db_close(checkpoint_db);
        checkpoint_db = NULL;
        return;
    }
    pthread_detach(thread);
    db_exec(w, "PRAGMA wal_autocheckpoint=0");
}

static uint64_t clock_ns(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void take_owner(void)
{
    pthread_mutex_lock(&owner);
    held_cpu_from = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    held_wall_from = clock_ns(CLOCK_MONOTONIC);
}

static void release_owner(void)
{
    __atomic_add_fetch(&held_cpu_ns, clock_ns(CLOCK_THREAD_CPUTIME_ID) - held_cpu_from,
                       __ATOMIC_RELAXED);
    __atomic_add_fetch(&held_wall_ns, clock_ns(CLOCK_MONOTONIC) - held_wall_from, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&owner);
}

static int grouping(void)
{
    const char *v = getenv("JIAYI_GROUP_COMMIT");
    return !(v && strcmp(v, "0") == 0);
}

static int end_batch(int commit);
static int leave(int member);

uint64_t writer_generation(void)
{
    return __atomic_load_n(&completed_batch, __ATOMIC_ACQUIRE);
}

static size_t change_slot(int64_t key)
{
    return (size_t)(((uint64_t)key * 0x9E3779B97F4A7C15u) >> 52) % CHANGE_SLOTS;
}

void writer_note_change(int64_t key)
{
    changed_in[change_slot(key)] = batch_id + 1; /* the open batch completes the next generation */
}

int writer_unchanged_since(int64_t key, uint64_t generation)
{
    int unchanged = generation >= outside_change && changed_in[change_slot(key)] <= generation;
    __atomic_add_fetch(unchanged ? &still_held : &changed_since, 1, __ATOMIC_RELAXED);
    return unchanged;
}

/* At the start of a batch (the write lock held, so nobody else commits until it ends):
 * another connection's commit since the last batch makes every earlier snapshot suspect. */
static void note_outside_commits(void)
{
    if (strcmp(db_backend_name(writer), "sqlite") != 0) return;
    struct db_stmt *st = db_prepare(writer, "PRAGMA data_version");
    int64_t version = st ? db_query_int(st, -1) : -1;
    if (version < 0 || version != data_version) outside_change = batch_id + 1;
    data_version = version;
}

struct db *writer_begin(const char *uri)
{
    pthread_mutex_lock(&state);
    queued++;
    pthread_mutex_unlock(&state);
    take_owner();
    pthread_mutex_lock(&state);
    queued--;
    pthread_mutex_unlock(&state);
    if (!writer) {
        struct jy_error err;
        struct db *opened = db_open(uri, &err);
        __atomic_store_n(&writer, opened, __ATOMIC_RELEASE);
        if (!writer) {
            log_error("cannot open the writer connection: %s", err.detail);
            release_owner();
            return NULL;
        }
        checkpoint_beside(writer, uri);
    }
    db_release(writer);
    /* A batch left open can be lost under the next request (a PostgreSQL primary killed
     * mid-batch): its members fail, and this request starts a new one, on a connection
     * opened again by BEGIN. */
    if (batch_open && db_exec(writer, "SAVEPOINT request") != DB_DONE)
        end_batch(0);
    else if (batch_open) {
        in_savepoint = 1;
        writer->in_transaction = 1;
        return writer;
    }
    if (db_exec(writer, "BEGIN IMMEDIATE") != DB_DONE) {
        release_owner();
        return NULL;
    }
    batch_open = 1;
    note_outside_commits();
    /* The batch's first member needs no savepoint: should it fail, the batch holds nothing
     * else and is rolled back whole. A savepoint is not free: SQLite copies every page the
     * request changes into its sub-journal, and an import chunk's 500 rows, each statement
     * ending inside that savepoint, made a chunk's cost grow with the square of its rows. */
    in_savepoint = 0;
    writer->in_transaction = 1;
    return writer;
}

/* Called with `owner` held: undoes the request's changes and hands the writer on. */
static void discard_request(struct db *w)
{
    if (in_savepoint) {
        db_exec(w, "ROLLBACK TO request");
        db_exec(w, "RELEASE request");
        db_track_after_rollback(w);
        leave(0);
        return;
    }
    end_batch(0); /* the request opened the batch and is all it holds */
    db_track_after_rollback(w);
    db_release(writer);
    writer->in_transaction = 0;
    release_owner();
}

/* Called with `owner` held: commits the open batch (when `commit`, else rolls it back) and
 * gives its members the outcome. Returns 1 when it was kept. */
static int end_batch(int commit)
{
    int ok = !batch_open || (commit && (!flush_hook || flush_hook(writer) == 0) &&
                             db_exec(writer, "COMMIT") == DB_DONE);
    if (!ok) {
        if (!commit && flush_hook) flush_hook(writer); /* forgets the batch's counter sums; fails */
        db_exec(writer, "ROLLBACK");
    }
    pthread_mutex_lock(&state);
    uint64_t mine = batch_id;
    if (batch_open && batch_members) batches++; /* commits that carried writes */
    if (batch_open && checkpoint_db && ++since_checkpoint >= CHECKPOINT_EVERY)
        pthread_cond_signal(&checkpoint_due);
    batch_open = 0;
    batch_members = 0;
    outcome[mine % RESULTS] = (signed char)(ok ? 0 : -1);
    __atomic_store_n(&completed_batch, mine + 1, __ATOMIC_RELEASE);
    batch_id = mine + 1;
    pthread_cond_broadcast(&batch_done);
    pthread_mutex_unlock(&state);
    return ok;
}

/* Called with `owner` held; releases it. Commits the batch when this is the last writer
 * queued, else leaves it open for the next. Returns the batch's outcome for `member`. */
static int leave(int member)
{
    db_release(writer);
    writer->in_transaction = 0;
    pthread_mutex_lock(&state);
    uint64_t mine = batch_id;
    if (member) {
        batch_members++;
        requests++;
    }
    int commit_now = !grouping() || queued == 0 || batch_members >= BATCH_MAX;
    if (commit_now) {
        pthread_mutex_unlock(&state);
        int ok = end_batch(1);
        release_owner();
        return ok ? 0 : -1;
    }
    pthread_mutex_unlock(&state);
    release_owner();
    if (!member) return 0;
    pthread_mutex_lock(&state);
    while (completed_batch <= mine)
        pthread_cond_wait(&batch_done, &state);
    int rc = outcome[mine % RESULTS];
    pthread_mutex_unlock(&state);
    return rc;
}

int writer_commit(struct db *w)
{
    if (db_track_before_commit(w) < 0 ||
        (in_savepoint && db_exec(w, "RELEASE request") != DB_DONE)) {
        discard_request(w);
        return -1;
    }
    if (kept_hook) kept_hook(w);
    return leave(1);
}

void writer_rollback(struct db *w)
{
    discard_request(w);
}

struct writer_stats writer_stats(void)
{
    pthread_mutex_lock(&state);
    struct writer_stats s = {requests,
                             batches,
                             __atomic_load_n(&held_cpu_ns, __ATOMIC_RELAXED),
                             __atomic_load_n(&held_wall_ns, __ATOMIC_RELAXED),
                             __atomic_load_n(&still_held, __ATOMIC_RELAXED),
                             __atomic_load_n(&changed_since, __ATOMIC_RELAXED),
                             (unsigned)queued};
    pthread_mutex_unlock(&state);
    return s;
}
