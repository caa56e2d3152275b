/* login_codes.c (store) - one-time login codes (migration 026). The phone a code was asked
 * for is kept as its digest (migration 046): it is only ever compared. */
#include "store/login_codes.h"

#include <stdio.h>
#include <string.h>

#include "store/pii.h"

int64_t store_login_code_requests(struct db *db, const char *phone, int64_t since)
{
    static const char SQL[] =
        "SELECT count(*) FROM login_codes WHERE phone = ?1 AND created_at > ?2";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    if (pii_bind_digest(st, 1, "phone", phone) < 0) {
        db_release(db);
        return -1;
    }
    db_bind_int(st, 2, since);
    return db_query_int(st, -1);
}

int64_t store_login_code_insert(struct db *db, const char *phone, const char *code_hash,
                                int64_t now, int64_t expires_at)
{
    static const char SQL[] = "INSERT INTO login_codes (phone, code_hash, created_at, expires_at)"
                              " VALUES (?1, ?2, ?3, ?4) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    if (pii_bind_digest(st, 1, "phone", phone) < 0) {
        db_release(db);
        return -1;
    }
    db_bind_text(st, 2, code_hash);
    db_bind_int(st, 3, now);
    db_bind_int(st, 4, expires_at);
    int64_t id = db_insert_id(st);
    return id > 0 ? id : -1;
}

int store_login_code_prune(struct db *db, int64_t before)
{
    static const char SQL[] = "DELETE FROM login_codes WHERE created_at < ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, before);
    return db_run(st) == DB_DONE ? 0 : -1;
}

int store_login_code_latest(struct db *db, const char *phone, struct login_code_row *out)
{
    static const char SQL[] =
        "SELECT id, code_hash, expires_at, used_at, failures FROM login_codes"
        " WHERE phone = ?1 AND code_hash IS NOT NULL ORDER BY id DESC LIMIT 1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    if (pii_bind_digest(st, 1, "phone", phone) < 0) {
        db_release(db);
        return -1;
    }
    int rc = db_step(st);
    if (rc == DB_ROW) {
        out->id = db_column_int(st, 0);
        snprintf(out->code_hash, sizeof out->code_hash, "%s", db_column_text(st, 1));
        out->expires_at = db_column_int(st, 2);
        out->used_at = db_column_is_null(st, 3) ? 0 : db_column_int(st, 3);
        out->failures = (int)db_column_int(st, 4);
    }
    db_release(db);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int store_login_code_fail(struct db *db, int64_t id)
{
    static const char SQL[] = "UPDATE login_codes SET failures = failures + 1 WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    return db_run(st) == DB_DONE ? 0 : -1;
}

int store_login_code_use(struct db *db, int64_t id, int64_t now)
{
    static const char SQL[] =
        "UPDATE login_codes SET used_at = ?2 WHERE id = ?1 AND used_at IS NULL";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, now);
    if (db_run(st) != DB_DONE) return -1;
    return db_changes(db) == 1 ? 0 : -1;
}

int store_phone_accounts(struct db *db, const char *phone, struct phone_account *out, int max)
{
    static const char SQL[] =
        "SELECT u.id, u.resident_id, u.username FROM users u"
        " JOIN residents r ON r.id = u.resident_id"
        " WHERE r.phone_digest = ?1 AND u.role = 'resident' AND u.disabled = 0"
        " AND r.status = 'alive' ORDER BY u.username";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    if (pii_bind_digest(st, 1, "phone", phone) < 0) {
        db_release(db);
        return -1;
    }
    int n = 0, rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (n < max) {
            out[n].user_id = db_column_int(st, 0);
            out[n].resident_id = db_column_int(st, 1);
            snprintf(out[n].username, sizeof out[n].username, "%s", db_column_text(st, 2));
        }
        n++;
    }
    db_release(db);
    return rc == DB_DONE ? n : -1;
}
