/* audit.c - the keyed hash chain over audit rows (HMAC-SM3, or HMAC-SHA-256 for the keys
 * of before SM3 or by setting: util/mac.h; the key says which), this
 * process's anchor (the key in use and the checkpoint file), and verification.
 * Fields are length-prefixed in the hashed text so that no two different rows can
 * produce the same input by moving a separator. */
#include "auth/audit.h"

#include <pthread.h>
#include <stdarg.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/audit_checkpoint.h"
#include "util/sbuf.h"

static const char ZERO_HASH[65] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static void add_field(struct sbuf *b, const char *s)
{
    sbuf_printf(b, "%zu:%s|", strlen(s), s);
}

int audit_row_hash(const struct audit_row *r, const struct audit_key *key, char out[65])
{
    struct sbuf b;
    sbuf_init(&b);
    sbuf_printf(&b, "%lld|", (long long)r->id);
    add_field(&b, r->prev_hash);
    add_field(&b, r->at);
    add_field(&b, r->username);
    add_field(&b, r->role);
    add_field(&b, r->action);
    add_field(&b, r->resource);
    add_field(&b, r->resource_id);
    sbuf_printf(&b, "%lld|", (long long)r->resident_id);
    add_field(&b, r->request_id);
    unsigned char digest[32];
    if (r->key_id) {
        /* The key id is inside the MAC too: relabelling an entry with another key is an edit. */
        sbuf_printf(&b, "k%lld|", (long long)r->key_id);
        if (!key || key->id != r->key_id || sbuf_failed(&b)) {
            sbuf_free(&b);
            return -1;
        }
        if (mac_compute(key->alg, key->mac, sbuf_cstr(&b), b.len, digest) < 0) {
            sbuf_free(&b);
            return -1;
        }
    } else {
        if (sbuf_failed(&b)) {
            sbuf_free(&b);
            return -1;
        }
        crypto_hash_sha256(digest, (const unsigned char *)sbuf_cstr(&b), b.len);
    }
    sbuf_free(&b);
    sodium_bin2hex(out, 65, digest, sizeof digest);
    return 0;
}

void audit_now(char out[32])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    char base[24];
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, 32, "%.19s.%03dZ", base, (int)(ts.tv_nsec / 1000000) % 1000);
}

/* ---- This process's anchor ---------------------------------------------------------- */

/* Set once by audit_anchor_open before any thread appends, then only read (the key) or
 * changed under the lock (the checkpoint state). */
static struct {
    pthread_mutex_t lock;
    struct audit_keyring ring;
    const struct audit_key *key; /* the newest; NULL until opened */
    char checkpoint_path[4096];
    int64_t anchored_id; /* head of this process's last checkpoint; -1 before the first */
    int closed;
} anchor = {.lock = PTHREAD_MUTEX_INITIALIZER, .anchored_id = -1};

int audit_anchor_open(const char *key_path, const char *checkpoint_path, int create,
                      struct jy_error *err)
{
    if (snprintf(anchor.checkpoint_path, sizeof anchor.checkpoint_path, "%s", checkpoint_path) >=
        (int)sizeof anchor.checkpoint_path)
        return jy_fail(err, 500, "audit_checkpoint", NULL, "checkpoint file path too long");
    if (audit_keyring_load(&anchor.ring, key_path, create, err) < 0) return -1;
    anchor.key = audit_keyring_newest(&anchor.ring);
    if (!anchor.key)
        return jy_fail(err, 500, "audit_key", NULL, "audit key file %s does not exist", key_path);
    anchor.anchored_id = -1;
    anchor.closed = 0;
    return 0;
}

int audit_anchor_checkpoint(struct db *db, int64_t min_new, struct jy_error *err)
{
    pthread_mutex_lock(&anchor.lock);
    int rc = 0;
    int64_t last_id;
    char hash[65], at[32];
    if (!anchor.key || anchor.closed) goto done;
    if (store_audit_last(db, &last_id, hash) < 0) {
        rc = jy_fail(err, 500, "audit_checkpoint", NULL, "cannot read the audit log's head");
        goto done;
    }
    if (anchor.anchored_id >= 0 && last_id - anchor.anchored_id < min_new) goto done;
    audit_now(at);
    if (audit_checkpoint_append(anchor.checkpoint_path, anchor.key, last_id, hash, at, err) < 0) {
        rc = -1;
        goto done;
    }
    anchor.anchored_id = last_id;
    rc = 1;
done:
    pthread_mutex_unlock(&anchor.lock);
    return rc;
}

void audit_anchor_close(void)
{
    pthread_mutex_lock(&anchor.lock);
    anchor.closed = 1;
    pthread_mutex_unlock(&anchor.lock);
}

/* ---- Appending ---------------------------------------------------------------------- */

int audit_append(struct db *db, const struct principal *who, const char *request_id,
                 const char *action, const char *resource, const char *resource_id,
                 int64_t resident_id)
{
    char at[32];
    audit_now(at);
    return audit_append_at(db, who, request_id, action, resource, resource_id, resident_id, at);
}

int audit_append_at(struct db *db, const struct principal *who, const char *request_id,
                    const char *action, const char *resource, const char *resource_id,
                    int64_t resident_id, const char *at)
{
    if (!db_in_transaction(db)) return -1; /* an entry must commit with what it records */
    if (!anchor.key) return -1;            /* never an unkeyed entry after migration 012 */
    struct audit_row row;
    memset(&row, 0, sizeof row);
    int64_t last_id;
    if (store_audit_last(db, &last_id, row.prev_hash) < 0) return -1;
    row.id = last_id + 1;
    snprintf(row.at, sizeof row.at, "%s", at);
    snprintf(row.username, sizeof row.username, "%s",
             who && who->username[0] ? who->username : "-");
    snprintf(row.role, sizeof row.role, "%s", role_name(who ? who->role : ROLE_NONE));
    snprintf(row.action, sizeof row.action, "%s", action);
    snprintf(row.resource, sizeof row.resource, "%s", resource);
    snprintf(row.resource_id, sizeof row.resource_id, "%s", resource_id ? resource_id : "");
    row.resident_id = resident_id;
    snprintf(row.request_id, sizeof row.request_id, "%s", request_id ? request_id : "-");
    row.key_id = anchor.key->id;
    if (audit_row_hash(&row, anchor.key, row.hash) < 0) return -1;
    return store_audit_insert(db, &row);
}

/* ---- Verifying ---------------------------------------------------------------------- */

struct verify_state {
    struct audit_verify_result *result;
    const struct audit_keyring *ring;
    const struct audit_checkpoints *cps;
    size_t next_cp; /* the first checkpoint not yet reached (they are sorted by id) */
    int64_t expected_id;
    int64_t keyed_since; /* the first keyed entry, 0 before one */
    char prev_hash[65];
};

/* Names the bad entry and why; returns 1 (not intact). */
static int bad(struct audit_verify_result *res, int64_t id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int bad(struct audit_verify_result *res, int64_t id, const char *fmt, ...)
{
    res->first_bad_id = id;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->reason, sizeof res->reason, fmt, ap);
    va_end(ap);
    return 1;
}

/* Checks the checkpoints that stand at `id` (whose hash is `hash`, the chain having `rows`
 * entries up to it). Returns 0, or 1 with the result filled. */
static int check_checkpoints_at(struct verify_state *s, int64_t id, const char *hash, int64_t rows)
{
    for (; s->next_cp < s->cps->count && s->cps->items[s->next_cp].last_id == id; s->next_cp++) {
        const struct audit_checkpoint *cp = &s->cps->items[s->next_cp];
        if (strcmp(cp->hash, hash) != 0)
            return bad(s->result, id,
                       "the checkpoint on line %d says its hash is %.16s..., the"
                       " entry has %.16s... (rewritten)",
                       cp->line, cp->hash, hash);
        if (cp->count != rows)
            return bad(s->result, id,
                       "a checkpoint counts %lld entries up to this one, the database %lld",
                       (long long)cp->count, (long long)rows);
    }
    return 0;
}

static int verify_row(const struct audit_row *row, void *arg)
{
    struct verify_state *s = arg;
    struct audit_verify_result *res = s->result;
    char expected[65];
    res->rows++;
    if (row->id != s->expected_id)
        return bad(res, row->id, "expected entry %lld, found %lld (deleted or inserted)",
                   (long long)s->expected_id, (long long)row->id);
    if (strcmp(row->prev_hash, s->prev_hash) != 0)
        return bad(res, row->id, "previous hash does not match entry %lld", (long long)row->id - 1);
    const struct audit_key *key = NULL;
    if (row->key_id) {
        key = audit_keyring_find(s->ring, row->key_id);
        if (!key)
            return bad(res, row->id, "MACed with key %lld, which is not in the key file",
                       (long long)row->key_id);
        if (!s->keyed_since) s->keyed_since = row->id;
    } else {
        /* An unkeyed hash anyone can recompute: acceptable only for entries older than
         * migration 012, i.e. before every keyed entry and before the first checkpoint (the
         * first process that keyed entries wrote it before appending any). */
        if (s->keyed_since)
            return bad(res, row->id,
                       "an unkeyed entry after keyed ones (since entry %lld):"
                       " recomputed without the key",
                       (long long)s->keyed_since);
        if (s->cps->count && row->id > s->cps->items[0].last_id)
            return bad(res, row->id,
                       "an unkeyed entry after the first checkpoint (at entry %lld):"
                       " recomputed without the key",
                       (long long)s->cps->items[0].last_id);
    }
    if (audit_row_hash(row, key, expected) < 0) return -1;
    if (strcmp(expected, row->hash) != 0)
        return bad(res, row->id, "%s",
                   row->key_id ? "MAC does not match the entry's fields"
                                 " (edited, or recomputed without the key)"
                               : "hash does not match the entry's fields (edited)");
    if (check_checkpoints_at(s, row->id, row->hash, res->rows)) return 1;
    s->expected_id = row->id + 1;
    memcpy(s->prev_hash, row->hash, 65);
    return 0;
}

/* ---- List reads: the people an entry returned ----------------------------------------- */

static int compare_ids(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* ";n=N;h=" and the first 16 bytes of SHA-256 over the ascending ids, as hex. */
static void subjects_digest(const int64_t *sorted, size_t n, char out[64])
{
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    for (size_t i = 0; i < n; i++) {
        char text[24];
        int len = snprintf(text, sizeof text, "%lld,", (long long)sorted[i]);
        crypto_hash_sha256_update(&h, (const unsigned char *)text, (unsigned long long)len);
    }
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&h, digest);
    char hex[33];
    sodium_bin2hex(hex, sizeof hex, digest, 16);
    snprintf(out, 64, ";n=%zu;h=%s", n, hex);
}

int audit_append_list_at(struct db *db, const struct principal *who, const char *request_id,
                         const char *resource, const char *resource_id, int64_t *subjects, size_t n,
                         const char *at)
{
    return audit_append_subjects_at(db, who, request_id, "read", resource, resource_id, subjects, n,
                                    at);
}

int audit_append_subjects_at(struct db *db, const struct principal *who, const char *request_id,
                             const char *action, const char *resource, const char *resource_id,
                             int64_t *subjects, size_t n, const char *at)
{
    /* Sorted and without repeats: the digest is of the set the subject rows hold. */
    qsort(subjects, n, sizeof *subjects, compare_ids);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || subjects[i] != subjects[k - 1]) subjects[k++] = subjects[i];
    char digest[64], text[256];
    subjects_digest(subjects, k, digest);
    snprintf(text, sizeof text, "%.180s%s", resource_id ? resource_id : "", digest);
    int64_t last_id;
    char prev[65];
    if (store_audit_last(db, &last_id, prev) < 0 ||
        audit_append_at(db, who, request_id, action, resource, text, 0, at) < 0)
        return -1;
    return store_audit_subjects_insert(db, last_id + 1, subjects, k);
}

static int verify_list(int64_t id, const char *resource_id, const int64_t *ids, size_t n, void *arg)
{
    struct audit_verify_result *result = arg;
    const char *claim = strstr(resource_id, ";n=");
    char digest[64];
    subjects_digest(ids, n, digest);
    if (!claim || strcmp(claim, digest) != 0)
        return bad(result, id, "the people this list read returned were changed (%zu subject rows)",
                   n);
    return 0;
}

int audit_verify(struct db *db, const struct audit_keyring *ring, const char *checkpoint_path,
                 struct audit_verify_result *result)
{
    memset(result, 0, sizeof *result);
    /* The checkpoints first, the database second: a server appending meanwhile only makes
     * the database longer than the checkpoints read, never shorter. */
    struct audit_checkpoints cps;
    struct jy_error err;
    if (audit_checkpoints_read(checkpoint_path, ring, &cps, &err) < 0) {
        snprintf(result->reason, sizeof result->reason, "%s", err.detail);
        /* A missing key or a bad signature is a finding; a file that cannot be read is not. */
        return strcmp(err.code, AUDIT_CHECKPOINT_INVALID) == 0 ? 1 : -1;
    }
    result->checkpoints = (int64_t)cps.count;
    result->torn = cps.torn;
    struct verify_state s = {result, ring, &cps, 0, 1, 0, {0}};
    memcpy(s.prev_hash, ZERO_HASH, 65);
    int rc = check_checkpoints_at(&s, 0, ZERO_HASH, 0); /* the head of an empty chain */
    if (rc == 0) rc = store_audit_each(db, verify_row, &s);
    if (rc < 0) snprintf(result->reason, sizeof result->reason, "cannot read the audit log");
    if (rc == 0 && s.next_cp < cps.count) {
        const struct audit_checkpoint *last = &cps.items[cps.count - 1];
        snprintf(
            result->reason, sizeof result->reason,
            "missing tail: checkpoint says %lld entries up to id %lld, database ends at id %lld",
            (long long)last->count, (long long)last->last_id, (long long)s.expected_id - 1);
        rc = 1;
    }
    /* The chain covers each list entry's digest; the subject rows must still match it. */
    if (rc == 0) rc = store_audit_each_list(db, verify_list, result);
    if (rc < 0 && !result->reason[0])
        snprintf(result->reason, sizeof result->reason, "cannot read the audit log");
    if (rc == 0 && ring->count > 0 && cps.count == 0) {
        snprintf(result->reason, sizeof result->reason,
                 "no checkpoint in %s: nothing outside the database anchors the chain",
                 checkpoint_path);
        rc = 1;
    }
    audit_checkpoints_free(&cps);
    return rc;
}
