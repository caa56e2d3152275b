/* audit_queue.c - a bounded queue and the auditor thread that drains it through the
 * shared writer (db/writer.h), so its commits join the same group commits as requests. */
#include "auth/audit_queue.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth/audit.h"
#include "db/writer.h"
#include "util/log.h"

#define CAPACITY 8192

struct entry {
    struct principal who;
    char request_id[24];
    char resource[32];
    char resource_id[256];
    int64_t resident_id;
    char at[32];
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

void audit_queue_push(const struct principal *who, const char *request_id, const char *resource,
                      const char *resource_id, int64_t resident_id)
{
    pthread_mutex_lock(&lock);
    while (count == CAPACITY) pthread_cond_wait(&has_room, &lock);
    struct entry *e = &queue[(head + count) % CAPACITY];
    e->who = *who;
    snprintf(e->request_id, sizeof e->request_id, "%s", request_id);
    snprintf(e->resource, sizeof e->resource, "%s", resource);
    snprintf(e->resource_id, sizeof e->resource_id, "%s", resource_id ? resource_id : "");
    e->resident_id = resident_id;
    audit_now(e->at);
    count++;
    pushed++;
    pthread_cond_signal(&has_work);
    pthread_mutex_unlock(&lock);
}

static int write_batch(size_t n)
{
    struct db *w = writer_begin(db_uri);
    if (!w) return -1;
    for (size_t i = 0; i < n; i++) {
        const struct entry *e = &batch[i];
        if (audit_append_at(w, &e->who, e->request_id, "read", e->resource, e->resource_id,
                            e->resident_id, e->at) < 0) {
            writer_rollback(w);
            return -1;
        }
    }
    return writer_commit(w);
}

static void *auditor(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&lock);
        while (count == 0) pthread_cond_wait(&has_work, &lock);
        pthread_mutex_unlock(&lock);
        usleep(1000); /* let a millisecond of reads gather into one commit */
        pthread_mutex_lock(&lock);
        size_t n = count;
        for (size_t i = 0; i < n; i++) batch[i] = queue[(head + i) % CAPACITY];
        head = (head + n) % CAPACITY;
        count -= n;
        pthread_cond_broadcast(&has_room);
        pthread_mutex_unlock(&lock);
        int rc = -1;
        for (int attempt = 0; attempt < 5 && rc < 0; attempt++) {
            rc = write_batch(n);
            if (rc < 0) usleep(100000);
        }
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

int audit_queue_flush(void)
{
    pthread_mutex_lock(&lock);
    uint64_t target = pushed;
    while (written < target) pthread_cond_wait(&progress, &lock);
    int rc = failed ? -1 : 0;
    pthread_mutex_unlock(&lock);
    return rc;
}
