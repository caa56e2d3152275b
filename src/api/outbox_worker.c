/* outbox_worker.c - see outbox_worker.h. One thread: read a batch of due messages on its own
 * connection, send them (a file: write and fsync the lines; a webhook: libcurl's multi
 * interface with OUTBOX_IN_FLIGHT transfers on kept-alive connections), then record every
 * result in one transaction of the shared writer (db/writer.h). The rules of what a result
 * means, the back-off and quiet hours are domain/outbox_policy.c's. */
#include "api/outbox_worker.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth/login_code.h"
#include "db/writer.h"
#include "domain/outbox_policy.h"
#include "json/jsondump.h"
#include "store/outbox.h"
#include "util/log.h"

#define IDLE_MILLISECONDS 250

enum attempt { NOT_TRIED, TOOK, FAILED, HELD, EXPIRED };

struct result {
    enum attempt attempt;
    enum outbox_outcome outcome;
    char error[96];
};

/* A webhook transfer slot: its easy handle is reused, so connections stay open. */
struct slot {
    CURL *easy;
    struct curl_slist *headers;
    char *payload;
    int row; /* -1: free */
};

static struct {
    char db_uri[4096];
    char channel[4096];
    int is_file;
    int fd;
    CURLM *multi;
    struct slot slots[OUTBOX_IN_FLIGHT];
    struct outbox_row rows[OUTBOX_BATCH];
    struct result results[OUTBOX_BATCH];
    struct db *reader;
    pthread_t thread;
    int started;
} w = {.fd = -1};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static int stopping, woken;

static int should_stop(void)
{
    pthread_mutex_lock(&lock);
    int s = stopping;
    pthread_mutex_unlock(&lock);
    return s;
}

/* Waits up to ms, or until woken or told to stop. */
static void idle(int ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += (long)ms * 1000000L;
    until.tv_sec += until.tv_nsec / 1000000000L;
    until.tv_nsec %= 1000000000L;
    pthread_mutex_lock(&lock);
    while (!stopping && !woken)
        if (pthread_cond_timedwait(&wake, &lock, &until) == ETIMEDOUT) break;
    woken = 0;
    pthread_mutex_unlock(&lock);
}

void outbox_worker_wake(void)
{
    pthread_mutex_lock(&lock);
    woken = 1;
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
}

/* The JSON the channel receives; caller frees. NULL without memory. */
static char *message_json(const struct outbox_row *m, int64_t now)
{
    char at[21];
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_t *o = json_pack("{s:s, s:s, s:s, s:s?, s:s, s:s}", "key", m->key, "kind", m->kind, "to",
                          m->address, "subject", m->subject, "body", m->body, "at", at);
    if (!o) return NULL;
    char *text = jsonx_dumps(o);
    json_decref(o);
    return text;
}

static void wipe_free(char *text)
{
    if (!text) return;
    sodium_memzero(text, strlen(text));
    free(text);
}

/* ---- the file channel ---- */

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static void send_file(int n, int64_t now)
{
    int ok = 1;
    for (int i = 0; i < n && ok; i++) {
        if (w.results[i].attempt != NOT_TRIED) continue;
        char *line = message_json(&w.rows[i], now);
        ok = line && write_all(w.fd, line, strlen(line)) == 0 && write_all(w.fd, "\n", 1) == 0;
        wipe_free(line);
    }
    ok = ok && fsync(w.fd) == 0;
    const char *error = ok ? NULL : strerror(errno);
    for (int i = 0; i < n; i++) {
        struct result *r = &w.results[i];
        if (r->attempt != NOT_TRIED) continue;
        r->attempt = ok ? TOOK : FAILED;
        r->outcome = ok ? OUTBOX_SENT : OUTBOX_RETRY;
        if (!ok) snprintf(r->error, sizeof r->error, "file: %s", error ? error : "write failed");
    }
}

/* ---- the webhook channel ---- */

static size_t discard(char *data, size_t size, size_t count, void *user)
{
    (void)data;
    (void)user;
    return size * count;
}

static void slot_release(struct slot *s)
{
    curl_slist_free_all(s->headers);
    s->headers = NULL;
    wipe_free(s->payload);
    s->payload = NULL;
    s->row = -1;
}

static int slot_start(struct slot *s, int row, int64_t now)
{
    char header[320];
    s->row = row;
    s->payload = message_json(&w.rows[row], now);
    snprintf(header, sizeof header, "Idempotency-Key: %s", w.rows[row].key);
    if (!s->payload || !(s->headers = curl_slist_append(NULL, "Content-Type: application/json")) ||
        !curl_slist_append(s->headers, header) || !curl_slist_append(s->headers, "Expect:"))
        return -1;
    curl_easy_setopt(s->easy, CURLOPT_POSTFIELDS, s->payload);
    curl_easy_setopt(s->easy, CURLOPT_POSTFIELDSIZE, (long)strlen(s->payload));
    curl_easy_setopt(s->easy, CURLOPT_HTTPHEADER, s->headers);
    curl_easy_setopt(s->easy, CURLOPT_PRIVATE, (void *)s);
    return curl_multi_add_handle(w.multi, s->easy) == CURLM_OK ? 0 : -1;
}

static void slot_finish(struct slot *s, CURLcode code)
{
    struct result *r = &w.results[s->row];
    long status = 0;
    if (code == CURLE_OK) curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &status);
    r->attempt = TOOK;
    r->outcome = outbox_classify(status, code != CURLE_OK);
    if (r->outcome != OUTBOX_SENT) {
        r->attempt = FAILED;
        if (code != CURLE_OK)
            snprintf(r->error, sizeof r->error, "%s", curl_easy_strerror(code));
        else
            snprintf(r->error, sizeof r->error, "HTTP %ld", status);
    }
    curl_multi_remove_handle(w.multi, s->easy);
    slot_release(s);
}

static void send_webhook(int n, int64_t now)
{
    int next = 0, active = 0;
    for (;;) {
        while (next < n && w.results[next].attempt != NOT_TRIED)
            next++;
        for (int k = 0; k < OUTBOX_IN_FLIGHT && next < n; k++) {
            struct slot *s = &w.slots[k];
            if (s->row >= 0) continue;
            if (slot_start(s, next, now) < 0) {
                snprintf(w.results[next].error, sizeof w.results[next].error, "out of memory");
                w.results[next].attempt = FAILED;
                w.results[next].outcome = OUTBOX_RETRY;
                slot_release(s);
            } else {
                active++;
            }
            next++;
            while (next < n && w.results[next].attempt != NOT_TRIED)
                next++;
        }
        if (active == 0 && next >= n) break;
        int running = 0;
        curl_multi_perform(w.multi, &running);
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(w.multi, &left))) {
            if (msg->msg != CURLMSG_DONE) continue;
            struct slot *s = NULL;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&s);
            if (!s) continue;
            slot_finish(s, msg->data.result);
            active--;
        }
        if (should_stop()) {
            /* Abandoned: not recorded, so sent again (same key) at the next start. */
            for (int k = 0; k < OUTBOX_IN_FLIGHT; k++)
                if (w.slots[k].row >= 0) {
                    curl_multi_remove_handle(w.multi, w.slots[k].easy);
                    slot_release(&w.slots[k]);
                }
            return;
        }
        if (active > 0) curl_multi_poll(w.multi, NULL, 0, 100, NULL);
    }
}

/* ---- one batch ---- */

/* Every result of the batch in one transaction of the shared writer. */
static int record(int n, const struct outbox_config *c, int64_t now, int any_held,
                  int64_t allowed_at)
{
    struct db *db = writer_begin(w.db_uri);
    if (!db) return -1;
    for (int i = 0; i < n; i++) {
        const struct outbox_row *m = &w.rows[i];
        const struct result *r = &w.results[i];
        int rc = 0;
        if (r->attempt == TOOK) {
            rc = store_outbox_mark_sent(db, m->id, now);
        } else if (r->attempt == EXPIRED) {
            rc = store_outbox_mark_failed(db, m->id, m->attempts, 1, now, "expired");
        } else if (r->attempt == FAILED) {
            int failures = m->attempts + 1;
            enum outbox_outcome o = outbox_after_failure(r->outcome, failures, c->max_attempts);
            double jitter = (double)randombytes_uniform(1000000) / 1e6;
            int64_t next = now + outbox_backoff_delay(c->backoff_seconds, m->attempts, jitter);
            rc = store_outbox_mark_failed(db, m->id, failures, o == OUTBOX_DEAD, next, r->error);
        }
        if (rc < 0) {
            writer_rollback(db);
            return -1;
        }
    }
    if (any_held && store_outbox_hold(db, now, allowed_at) < 0) {
        writer_rollback(db);
        return -1;
    }
    return writer_commit(db);
}

/* Sends one batch; returns how many messages it handled (0: nothing due), -1 on error. */
static int run_batch(void)
{
    int64_t now = (int64_t)time(NULL);
    struct outbox_config c = store_outbox_config(w.reader);
    int n = store_outbox_due(w.reader, now, 0, w.rows, OUTBOX_BATCH);
    if (n <= 0) return n;
    int64_t allowed_at = outbox_allowed_at(&c.quiet, now, 0);
    int any_held = 0;
    for (int i = 0; i < n; i++) {
        struct result *r = &w.results[i];
        memset(r, 0, sizeof *r);
        const struct outbox_row *m = &w.rows[i];
        if (!strcmp(m->kind, "otp") && m->created_at + LOGIN_CODE_SECONDS <= now)
            r->attempt = EXPIRED;
        else if (outbox_allowed_at(&c.quiet, now, m->urgent) > now)
            r->attempt = HELD, any_held = 1;
    }
    if (w.is_file)
        send_file(n, now);
    else
        send_webhook(n, now);
    int rc = record(n, &c, (int64_t)time(NULL), any_held, allowed_at);
    if (rc < 0)
        log_error(
            "outbox: the results of %d messages could not be recorded; they will be sent again", n);
    store_outbox_rows_free(w.rows, n);
    return rc < 0 ? -1 : n;
}

static void *worker(void *arg)
{
    (void)arg;
    struct jy_error err;
    w.reader = db_open(w.db_uri, &err);
    if (!w.reader) {
        log_error("outbox: cannot open the database: %s", err.detail);
        return NULL;
    }
    while (!should_stop()) {
        int n = run_batch();
        if (n < 0)
            idle(1000);
        else if (n == 0)
            idle(IDLE_MILLISECONDS);
    }
    db_close(w.reader);
    w.reader = NULL;
    return NULL;
}

static int open_webhook(void)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) return -1;
    w.multi = curl_multi_init();
    if (!w.multi) return -1;
    curl_multi_setopt(w.multi, CURLMOPT_MAXCONNECTS, (long)OUTBOX_IN_FLIGHT);
    for (int k = 0; k < OUTBOX_IN_FLIGHT; k++) {
        struct slot *s = &w.slots[k];
        s->row = -1;
        if (!(s->easy = curl_easy_init())) return -1;
        curl_easy_setopt(s->easy, CURLOPT_URL, w.channel);
        curl_easy_setopt(s->easy, CURLOPT_POST, 1L);
        curl_easy_setopt(s->easy, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(s->easy, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
        curl_easy_setopt(s->easy, CURLOPT_TIMEOUT_MS, 15000L);
        curl_easy_setopt(s->easy, CURLOPT_TCP_KEEPALIVE, 1L);
        curl_easy_setopt(s->easy, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(s->easy, CURLOPT_WRITEFUNCTION, discard);
        curl_easy_setopt(s->easy, CURLOPT_USERAGENT, "jiayi-outbox/1");
    }
    return 0;
}

static void close_channel(void)
{
    if (w.fd >= 0) close(w.fd);
    w.fd = -1;
    if (w.multi) {
        for (int k = 0; k < OUTBOX_IN_FLIGHT; k++)
            if (w.slots[k].easy) {
                curl_easy_cleanup(w.slots[k].easy);
                w.slots[k].easy = NULL;
            }
        curl_multi_cleanup(w.multi);
        w.multi = NULL;
        curl_global_cleanup();
    }
}

int outbox_worker_start(const char *db_uri, const char *channel)
{
    int n = snprintf(w.db_uri, sizeof w.db_uri, "%s", db_uri);
    if (!(channel && *channel) &&
        (!strncmp(db_uri, "postgresql://", 13) || !strncmp(db_uri, "postgres://", 11))) {
        fputs("jiayi: a PostgreSQL database needs --outbox CHANNEL (or JIAYI_OUTBOX)\n", stderr);
        return -1;
    }
    int m = channel && *channel
                ? snprintf(w.channel, sizeof w.channel, "%s", channel)
                : snprintf(w.channel, sizeof w.channel, "file:%s.outbox.jsonl", db_uri);
    if (n >= (int)sizeof w.db_uri || m >= (int)sizeof w.channel) {
        fputs("jiayi: the outbox channel or database path is too long\n", stderr);
        return -1;
    }
    if (!strncmp(w.channel, "file:", 5)) {
        w.is_file = 1;
        w.fd = open(w.channel + 5, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
        if (w.fd < 0) {
            fprintf(stderr, "jiayi: outbox channel %s: %s\n", w.channel, strerror(errno));
            return -1;
        }
        log_info("outbox: messages are appended to %s", w.channel + 5);
    } else if (!strncmp(w.channel, "http://", 7) || !strncmp(w.channel, "https://", 8)) {
        if (open_webhook() < 0) {
            fputs("jiayi: the outbox's HTTP client could not start\n", stderr);
            close_channel();
            return -1;
        }
        /* Not the query, which may carry the gateway's credentials. */
        log_info("outbox: messages are posted to %.*s", (int)strcspn(w.channel, "?#"), w.channel);
    } else {
        fputs("jiayi: --outbox must be file:PATH, http://... or https://...\n", stderr);
        return -1;
    }
    stopping = woken = 0;
    if (pthread_create(&w.thread, NULL, worker, NULL) != 0) {
        close_channel();
        return -1;
    }
    w.started = 1;
    return 0;
}

void outbox_worker_stop(void)
{
    if (!w.started) return;
    pthread_mutex_lock(&lock);
    stopping = 1;
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
    pthread_join(w.thread, NULL);
    w.started = 0;
    close_channel();
}
