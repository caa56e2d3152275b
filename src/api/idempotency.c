/* idempotency.c - Idempotency-Key on every write under /api/v1, in one place.
 *
 * The answer to a keyed write is stored in the same savepoint as the write itself, so the key
 * exists exactly when the write committed: killed after the commit, a retry finds the key and
 * gets the first answer; killed before, neither exists and the retry executes. For that the
 * commit waits for the answer: when a keyed request's handler calls api_commit, the commit is
 * deferred (the writer stays the request's connection, so what the handler reads to build its
 * answer includes its own write); after the handler, the dispatcher stores the answer reply_
 * bytes kept (status, content type, body) and only then releases the savepoint and waits for
 * the batch's durable commit. A handler that fails before committing rolls back as always and
 * nothing is stored: its retry executes again.
 *
 * Twins (the same key at the same time): the check that decides is made inside the shared
 * writer (api_begin), where requests are serialized and every earlier request's write and key
 * are visible (committed or in the open batch). The first executes; the second finds its key,
 * waits until that batch is durable and answers the same; a twin refused by a check made
 * before the writer (e.g. "already signed") because the first had just committed looks once
 * more after its handler and answers the first answer too. Nobody waits on a key in flight,
 * so 409 request_in_progress is never needed.
 *
 * The key is per user (another user's same key is a different key); a key sent with another
 * method, path or body (SHA-256 over them) is 422 idempotency_key_reused. Keys are remembered
 * 48 hours; the daily job drops older ones. Writes without a logged-in user (the log-in) do not
 * take keys. */
#include "api/idempotency.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "db/writer.h"
#include "http/server.h"
#include "store/idempotency.h"
#include "util/log.h"

#define KEY_MAX 255

static int is_safe_method(const char *m)
{
    return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0;
}

static int key_is_valid(const char *key)
{
    size_t n = strlen(key);
    if (n == 0 || n > KEY_MAX) return 0;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        if (*p < 0x21 || *p > 0x7e) return 0;
    return 1;
}

/* SHA-256 of method, path and body, length-prefixed so no two requests run together. */
static void request_digest(struct request *r, char out[65])
{
    crypto_hash_sha256_state h;
    unsigned char digest[crypto_hash_sha256_BYTES];
    char len[32];
    crypto_hash_sha256_init(&h);
    const char *parts[3] = {r->method, r->path, r->body ? r->body : ""};
    size_t lens[3] = {strlen(r->method), strlen(r->path), r->body ? r->body_len : 0};
    for (int i = 0; i < 3; i++) {
        int n = snprintf(len, sizeof len, "%zu:", lens[i]);
        crypto_hash_sha256_update(&h, (const unsigned char *)len, (unsigned long long)n);
        crypto_hash_sha256_update(&h, (const unsigned char *)parts[i], lens[i]);
    }
    crypto_hash_sha256_final(&h, digest);
    sodium_bin2hex(out, 65, digest, sizeof digest);
}

static int64_t oldest_valid(void)
{
    return (int64_t)time(NULL) - IDEMPOTENCY_TTL_SECONDS;
}

/* Answers with the stored answer, or 422 when the key came with another request. Frees a. */
static int answer_stored(struct request *r, struct idempotent_answer *a)
{
    int rc;
    r->idem_state = IDEM_ANSWERED;
    if (strcmp(a->request_hash, r->idem_hash) != 0) {
        rc = reply_problem(r, 422, "idempotency_key_reused", "Idempotency-Key");
    } else {
        rc = reply_bytes(r, a->status, a->content_type, a->body, a->body_len);
        reply_header(r, "Idempotent-Replayed", "true");
        /* The stored answer may hold a person's data: its reading is recorded like a read. */
        api_audit_read(r, "idempotent_replay", r->path, 0);
        if (rc == 0 && a->status >= 400) rc = -1;
    }
    free(a->body);
    a->body = NULL;
    return rc;
}

int idempotency_start(struct request *r)
{
    if (is_safe_method(r->method) || r->user.user_id == 0) return 0;
    const char *key = request_header(r, "Idempotency-Key");
    if (!key) return 0;
    if (!key_is_valid(key))
        return reply_problem(r, 422, "invalid_idempotency_key", "Idempotency-Key");
    r->idem_key = key;
    request_digest(r, r->idem_hash);
    r->idem_state = IDEM_ACTIVE;
    struct idempotent_answer a = {0};
    int found = store_idempotency_get(r->db, r->user.user_id, key, oldest_valid(), &a);
    if (found < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (found == 0) return 0;
    answer_stored(r, &a);
    return -1;
}

int idempotency_on_writer(struct request *r)
{
    if (r->idem_state != IDEM_ACTIVE) return 0;
    struct idempotent_answer a = {0};
    int found = store_idempotency_get(r->db, r->user.user_id, r->idem_key, oldest_valid(), &a);
    if (found < 0) {
        r->idem_state = IDEM_ANSWERED;
        return api_fail_internal(r, "idempotency lookup");
    }
    if (found == 0) {
        r->idem_state = IDEM_WRITING;
        return 0;
    }
    /* A twin got here first; its batch may not be durable yet: joining the batch with an
     * empty savepoint returns once it is, so this answer is never ahead of the disk. */
    r->idem_state = IDEM_ANSWERED;
    if (api_commit(r) < 0) {
        free(a.body);
        return -1;
    }
    answer_stored(r, &a);
    return -1;
}

int idempotency_defer_commit(struct request *r)
{
    if (r->idem_state != IDEM_WRITING || !r->holds_writer) return 0;
    r->idem_state = IDEM_DEFERRED;
    r->holds_writer = 0; /* an api_rollback after "commit" must not undo the write */
    return 1;
}

void idempotency_chunked(struct request *r)
{
    if (r->idem_state == IDEM_ACTIVE) r->idem_state = IDEM_CHUNKED;
}

/* A chunked handler's answer, in a transaction of its own. A failure to store it is logged:
 * the answer stands (the writes it reports are committed), a retry would run again. */
static void store_chunked_answer(struct request *r)
{
    /* Only a finished answer is one to replay: a failure, or a partial import (207: later
     * chunks failed), must run again when the client retries. */
    int finished = r->status == 200 || r->status == 201 || (r->status >= 400 && r->status < 500);
    if (!r->captured || !finished) return;
    struct db *w = writer_begin(server_db_uri());
    int ok = w && store_idempotency_put(
                      w, r->user.user_id, r->idem_key, r->idem_hash, r->status, r->captured_type,
                      memchr(r->captured, '\0', r->captured_len) ? "" : r->captured,
                      (int64_t)time(NULL), oldest_valid()) == 0;
    if (w && ok)
        ok = writer_commit(w) == 0;
    else if (w)
        writer_rollback(w);
    if (!ok)
        log_error("%s %s: the Idempotency-Key's answer was not stored (request %s)", r->method,
                  r->path, r->request_id);
}

int idempotency_finish(struct request *r, int rc)
{
    if (r->idem_state == IDEM_CHUNKED) {
        store_chunked_answer(r);
        r->idem_state = IDEM_ANSWERED;
        return rc;
    }
    if (r->idem_state == IDEM_DEFERRED) {
        r->holds_writer = 1;
        r->idem_state = IDEM_ANSWERED;
        int status = r->captured ? r->status : 500;
        const char *type = r->captured ? r->captured_type : "application/problem+json";
        /* Answers are JSON; a body that is not text is stored empty rather than cut short. */
        const char *body =
            r->captured && !memchr(r->captured, '\0', r->captured_len) ? r->captured : "";
        if (store_idempotency_put(r->db, r->user.user_id, r->idem_key, r->idem_hash, status, type,
                                  body, (int64_t)time(NULL), oldest_valid()) < 0)
            return api_fail_internal(r, "idempotency store");
        return api_commit(r) < 0 ? -1 : rc;
    }
    if (r->idem_state == IDEM_ACTIVE && r->status >= 400) {
        struct idempotent_answer a = {0};
        db_release(r->db);
        if (store_idempotency_get(r->db, r->user.user_id, r->idem_key, oldest_valid(), &a) == 1 &&
            strcmp(a.request_hash, r->idem_hash) == 0)
            return answer_stored(r, &a);
        free(a.body);
    }
    return rc;
}

int64_t idempotency_prune(struct db *db, int64_t now)
{
    return store_idempotency_prune(db, now - IDEMPOTENCY_TTL_SECONDS);
}
