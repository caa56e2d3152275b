/* idempotency.c (store) - SQL of the idempotency_keys table (migration 020). */
#include "store/idempotency.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int store_idempotency_get(struct db *db, int64_t user_id, const char *key, int64_t since,
                          struct idempotent_answer *out)
{
    static const char SQL[] =
        "SELECT request_hash, status, content_type, body FROM idempotency_keys"
        " WHERE user_id = ?1 AND key = ?2 AND created_at >= ?3";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, user_id);
    db_bind_text(st, 2, key);
    db_bind_int(st, 3, since);
    int rc = db_step(st);
    if (rc != DB_ROW) {
        db_release(db);
        return rc == DB_DONE ? 0 : -1;
    }
    const char *hash = db_column_text(st, 0), *type = db_column_text(st, 2),
               *body = db_column_text(st, 3);
    snprintf(out->request_hash, sizeof out->request_hash, "%s", hash ? hash : "");
    out->status = (int)db_column_int(st, 1);
    snprintf(out->content_type, sizeof out->content_type, "%s", type ? type : "application/json");
    out->body_len = body ? strlen(body) : 0;
    out->body = malloc(out->body_len + 1);
    if (out->body) memcpy(out->body, body ? body : "", out->body_len + 1);
    db_release(db);
    return out->body ? 1 : -1;
}

int store_idempotency_put(struct db *db, int64_t user_id, const char *key, const char *request_hash,
                          int status, const char *content_type, const char *body, int64_t now,
                          int64_t expired_before)
{
    static const char SQL[] =
        "INSERT INTO idempotency_keys (user_id, key, request_hash, status, content_type, body,"
        " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
        " ON CONFLICT (user_id, key) DO UPDATE SET request_hash = excluded.request_hash,"
        " status = excluded.status, content_type = excluded.content_type, body = excluded.body,"
        " created_at = excluded.created_at WHERE idempotency_keys.created_at < ?8";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, user_id);
    db_bind_text(st, 2, key);
    db_bind_text(st, 3, request_hash);
    db_bind_int(st, 4, status);
    db_bind_text(st, 5, content_type);
    db_bind_text(st, 6, body);
    db_bind_int(st, 7, now);
    db_bind_int(st, 8, expired_before);
    return db_run(st) == DB_DONE ? 0 : -1;
}

int64_t store_idempotency_prune(struct db *db, int64_t before)
{
    static const char SQL[] = "DELETE FROM idempotency_keys WHERE created_at < ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, before);
    if (db_run(st) != DB_DONE) return -1;
    return db_changes(db);
}
