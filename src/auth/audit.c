/* audit.c - SHA-256 hash chain over audit rows (libsodium crypto_hash_sha256).
 * Fields are length-prefixed in the hashed text so that no two different rows can
 * produce the same input by moving a separator. */
#include "auth/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/sbuf.h"

static void add_field(struct sbuf *b, const char *s) { sbuf_printf(b, "%zu:%s|", strlen(s), s); }

void audit_row_hash(const struct audit_row *r, char out[65])
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
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, (const unsigned char *)sbuf_cstr(&b), b.len);
    sbuf_free(&b);
    sodium_bin2hex(out, 65, digest, sizeof digest);
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
    struct audit_row row;
    memset(&row, 0, sizeof row);
    int64_t last_id;
    if (store_audit_last(db, &last_id, row.prev_hash) < 0) return -1;
    row.id = last_id + 1;
    snprintf(row.at, sizeof row.at, "%s", at);
    snprintf(row.username, sizeof row.username, "%s", who && who->username[0] ? who->username : "-");
    snprintf(row.role, sizeof row.role, "%s", role_name(who ? who->role : ROLE_NONE));
    snprintf(row.action, sizeof row.action, "%s", action);
    snprintf(row.resource, sizeof row.resource, "%s", resource);
    snprintf(row.resource_id, sizeof row.resource_id, "%s", resource_id ? resource_id : "");
    row.resident_id = resident_id;
    snprintf(row.request_id, sizeof row.request_id, "%s", request_id ? request_id : "-");
    audit_row_hash(&row, row.hash);
    return store_audit_insert(db, &row);
}

struct verify_state {
    struct audit_verify_result *result;
    int64_t expected_id;
    char prev_hash[65];
};

static int verify_row(const struct audit_row *row, void *arg)
{
    struct verify_state *s = arg;
    struct audit_verify_result *res = s->result;
    char expected[65];
    res->rows++;
    if (row->id != s->expected_id) {
        res->first_bad_id = row->id;
        snprintf(res->reason, sizeof res->reason, "expected entry %lld, found %lld (deleted or inserted)",
                 (long long)s->expected_id, (long long)row->id);
        return 1;
    }
    if (strcmp(row->prev_hash, s->prev_hash) != 0) {
        res->first_bad_id = row->id;
        snprintf(res->reason, sizeof res->reason, "previous hash does not match entry %lld",
                 (long long)row->id - 1);
        return 1;
    }
    audit_row_hash(row, expected);
    if (strcmp(expected, row->hash) != 0) {
        res->first_bad_id = row->id;
        snprintf(res->reason, sizeof res->reason, "hash does not match the entry's fields (edited)");
        return 1;
    }
    s->expected_id = row->id + 1;
    memcpy(s->prev_hash, row->hash, 65);
    return 0;
}

int audit_verify(struct db *db, struct audit_verify_result *result)
{
    memset(result, 0, sizeof *result);
    struct verify_state s = {result, 1, {0}};
    memset(s.prev_hash, '0', 64);
    s.prev_hash[64] = '\0';
    int rc = store_audit_each(db, verify_row, &s);
    if (rc < 0) return -1;
    return rc ? 1 : 0;
}
