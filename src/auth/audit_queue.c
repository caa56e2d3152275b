/* audit_queue.c - a bounded queue and the auditor thread that drains it through the
 * shared writer (db/writer.h), so its commits join the same group commits as requests.
 * The auditor also writes the periodic signed checkpoints (auth/audit_checkpoint.h): once
 * CHECKPOINT_ENTRIES more entries exist, or CHECKPOINT_SECONDS after the last checkpoint if
 * any entry came meanwhile, checked after each batch and when idle (writes append their
 * entries without the auditor, so an idle auditor still has entries to anchor). */
#include "auth/audit_queue.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth/audit.h"
#include "db/writer.h"
#include "util/log.h"

#define CAPACITY 8192
/* An fsync of the checkpoint file per 1,000 entries costs nothing measurable; an attacker who
 * cuts the tail can hide only the entries since the last checkpoint: at most about that many,
 * or about two minutes' worth. */
/* Reads gather this long into one commit. Each commit rewrites the last pages of the log and
 * its indexes: at a millisecond, 2,000 reads a second wrote 40 MB/s of WAL (the soak of
 * issue 21); at ten, a tenth of that, and a kill -9 still loses only its last moments. */
#define GATHER_US 10000
#define CHECKPOINT_ENTRIES 1000
#define CHECKPOINT_SECONDS 60

struct entry {
    struct principal who;
    char request_id[24];
    char resource[32];
    char resource_id[256];
    int64_t resident_id;
    char at[32];
    int64_t *subjects; /* a list read's people (malloc'd; the auditor frees), or NULL */
    size_t n_subjects;
};

static struct entry queue[CAPACITY];
static size_t head, count; /* ring */
static uint64_t pushed, written;
static int failed;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t has_work = PTHREAD_COND_INITIALIZER, has_room = PTHREAD_COND_INITIALIZER,
                      progress = PTHREAD_COND_INITIALIZER;
static struct entry batch[CAPACITY]; /* only the auditor thread uses it */
static const char *db_uri;
/* The auditor's own connection for reading the head to checkpoint: it sees only committed
 * entries, so a checkpoint never names an entry that a failed batch then lost. */
static struct db *reader;

/* Takes ownership of subjects (malloc'd, or NULL). */
static void enqueue(const struct principal *who, const char *request_id, const char *resource,
                    const char *resource_id, int64_t resident_id, int64_t *subjects, size_t n)
{
    pthread_mutex_lock(&lock);
    while (count == CAPACITY)
        pthread_cond_wait(&has_room, &lock);
    struct entry *e = &queue[(head + count) % CAPACITY];
    e->who = *who;
    snprintf(e->request_id, sizeof e->request_id, "%s", request_id);
    snprintf(e->resource, sizeof e->resource, "%s", resource);
    snprintf(e->resource_id, sizeof e->resource_id, "%s", resource_id ? resource_id : "");
    e->resident_id = resident_id;
    e->subjects = subjects;
    e->n_subjects = subjects ? n : 0;
    audit_now(e->at);
    count++;
    pushed++;
    pthread_cond_signal(&has_work);
    pthread_mutex_unlock(&lock);
}

void audit_queue_push(const struct principal *who, const char *request_id, const char *resource,
                      const char *resource_id, int64_t resident_id)
{
    enqueue(who, request_id, resource, resource_id, resident_id, NULL, 0);
}

void audit_queue_push_list(const struct principal *who, const char *request_id,
                           const char *resource, const char *resource_id, const int64_t *subjects,
                           size_t n)
{
    int64_t *copy = NULL;
    /* Back-pressure rather than a lost name: wait until memory is there. */
    while (n > 0 && !(copy = malloc(n * sizeof *copy)))
        usleep(1000);
    if (copy) memcpy(copy, subjects, n * sizeof *copy);
    enqueue(who, request_id, resource, resource_id, 0, copy, n);
}

static int write_batch(size_t n)
{
    struct db *w = writer_begin(db_uri);
    if (!w) return -1;
    for (size_t i = 0; i < n; i++) {
        const struct entry *e = &batch[i];
        if ((e->subjects ? audit_append_list_at(w, &e->who, e->request_id, e->resource,
                                                e->resource_id, e->subjects, e->n_subjects, e->at)
                         : audit_append_at(w, &e->who, e->request_id, "read", e->resource,
                                           e->resource_id, e->resident_id, e->at)) < 0) {
            writer_rollback(w);
            return -1;
        }
    }
    return writer_commit(w);
}

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Appends a checkpoint when CHECKPOINT_ENTRIES came since the last one, or any entry did and
 * the last one is CHECKPOINT_SECONDS old (serve wrote one just before the auditor started). */
static void checkpoint(void)
{
    static double last = -1;
    if (last < 0) last = seconds_now();
    int64_t min_new = seconds_now() - last >= CHECKPOINT_SECONDS ? 1 : CHECKPOINT_ENTRIES;
    struct jy_error err;
    if (!reader && !(reader = db_open(db_uri, &err))) {
        log_error("audit: no connection for checkpoints: %s", err.detail);
        return;
    }
    int rc = audit_anchor_checkpoint(reader, min_new, &err);
    if (rc < 0) log_error("audit: %s", err.detail);
    if (rc > 0) last = seconds_now();
}

static void *auditor(void *arg)
{
    (void)arg;
    checkpoint(); /* starts the clock */
    for (;;) {
        pthread_mutex_lock(&lock);
        int timed_out = 0;
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += CHECKPOINT_SECONDS;
        while (count == 0 && !timed_out)
            timed_out = pthread_cond_timedwait(&has_work, &lock, &until) == ETIMEDOUT;
        int idle = count == 0;
        pthread_mutex_unlock(&lock);
        if (idle) {
            checkpoint();
            continue;
        }
        usleep(GATHER_US);
        pthread_mutex_lock(&lock);
        size_t n = count;
        for (size_t i = 0; i < n; i++)
            batch[i] = queue[(head + i) % CAPACITY];
        head = (head + n) % CAPACITY;
        count -= n;
        pthread_cond_broadcast(&has_room);
        pthread_mutex_unlock(&lock);
        int rc = -1;
        for (int attempt = 0; attempt < 5 && rc < 0; attempt++) {
            rc = write_batch(n);
            if (rc < 0) usleep(100000);
        }
        for (size_t i = 0; i < n; i++)
            free(batch[i].subjects);
        /* Before reporting progress, so that a flush returns with the checkpoint written. */
        if (rc == 0) checkpoint();
        pthread_mutex_lock(&lock);
        if (rc < 0) {
            failed = 1;
            log_error("audit: %zu read entries could not be written", n);
        }
        written += n;
        pthread_cond_broadcast(&progress);
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

int audit_queue_start(const char *uri)
{
    db_uri = uri;
    pthread_t thread;
    if (pthread_create(&thread, NULL, auditor, NULL) != 0) return -1;
    pthread_detach(thread);
    return 0;
}

size_t audit_queue_depth(void)
{
    pthread_mutex_lock(&lock);
    size_t n = count;
    pthread_mutex_unlock(&lock);
    return n;
}

int audit_queue_flush(void)
{
    pthread_mutex_lock(&lock);
    uint64_t target = pushed;
    while (written < target)
        pthread_cond_wait(&progress, &lock);
    int rc = failed ? -1 : 0;
    pthread_mutex_unlock(&lock);
    return rc;
}
