/* users.c - users, staff links and sessions. A username names its account whatever the letter
 * case (migration 013: unique on lower(username), which in SQLite folds ASCII letters only), so
 * every lookup by name compares lower() with lower() and uses that index. */
#include "store/users.h"

#include <stdio.h>

static void copy_text(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

int store_user_by_username(struct db *db, const char *username, struct user_row *out)
{
    static const char SQL[] = "SELECT id, username, password_hash, role, display_name, disabled"
                              " FROM users WHERE lower(username) = lower(?1)";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, username);
    int rc = db_step(st);
    if (rc != DB_ROW) return rc == DB_DONE ? 0 : -1;
    out->id = db_column_int(st, 0);
    copy_text(out->username, sizeof out->username, db_column_text(st, 1));
    copy_text(out->password_hash, sizeof out->password_hash, db_column_text(st, 2));
    out->role = role_parse(db_column_text(st, 3));
    copy_text(out->display_name, sizeof out->display_name, db_column_text(st, 4));
    out->disabled = (int)db_column_int(st, 5);
    db_run(st);
    return 1;
}

int64_t store_user_insert(struct db *db, const char *username, const char *password_hash,
                          enum role role, const char *display_name, const char *scope_region,
                          int64_t resident_id)
{
    static const char SQL[] =
        "INSERT INTO users (username, password_hash, role, display_name,"
        " scope_region, resident_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, username);
    db_bind_text(st, 2, password_hash);
    db_bind_text(st, 3, role_name(role));
    db_bind_text(st, 4, display_name);
    db_bind_text(st, 5, scope_region);
    if (resident_id) db_bind_int(st, 6, resident_id);
    return db_insert_id(st);
}

int store_user_set_password(struct db *db, const char *username, const char *password_hash)
{
    static const char SQL[] =
        "UPDATE users SET password_hash = ?2 WHERE lower(username) = lower(?1)";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, username);
    db_bind_text(st, 2, password_hash);
    if (db_run(st) != DB_DONE) return -1;
    return db_changes(db) == 1 ? 0 : -1;
}

int store_user_set_password_hash(struct db *db, int64_t user_id, const char *password_hash)
{
    static const char SQL[] = "UPDATE users SET password_hash = ?2 WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, user_id);
    db_bind_text(st, 2, password_hash);
    return db_run(st) == DB_DONE ? 0 : -1;
}

int store_user_set_disabled(struct db *db, const char *username, int disabled)
{
    static const char SQL[] = "UPDATE users SET disabled = ?2 WHERE lower(username) = lower(?1)";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, username);
    db_bind_int(st, 2, disabled);
    if (db_run(st) != DB_DONE) return -1;
    return db_changes(db) == 1 ? 0 : -1;
}

int store_staff_link_user(struct db *db, int64_t staff_id, int64_t user_id)
{
    static const char SQL[] = "UPDATE staff SET user_id = ?2 WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, staff_id);
    db_bind_int(st, 2, user_id);
    return db_run(st) == DB_DONE ? 0 : -1;
}

int store_session_insert(struct db *db, const char *token_hash, int64_t user_id,
                         const char *csrf_token, int64_t now, int64_t expires_at)
{
    static const char SQL[] = "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at,"
                              " expires_at) VALUES (?1, ?2, ?3, ?4, ?5)";
    static const char PURGE[] = "DELETE FROM sessions WHERE expires_at < ?1";
    struct db_stmt *st = db_prepare(db, PURGE);
    if (!st) return -1;
    db_bind_int(st, 1, now);
    if (db_run(st) != DB_DONE) return -1;
    st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, token_hash);
    db_bind_int(st, 2, user_id);
    db_bind_text(st, 3, csrf_token);
    db_bind_int(st, 4, now);
    db_bind_int(st, 5, expires_at);
    return db_run(st) == DB_DONE ? 0 : -1;
}

int store_session_principal(struct db *db, const char *token_hash, int64_t now,
                            struct principal *out)
{
    static const char SQL[] =
        "SELECT u.id, u.role, u.username, u.display_name, coalesce(st.id, 0),"
        " coalesce(u.resident_id, 0), coalesce(u.scope_region, ''), s.csrf_token"
        " FROM sessions s JOIN users u ON u.id = s.user_id"
        " LEFT JOIN staff st ON st.user_id = u.id"
        " WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.disabled = 0";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, token_hash);
    db_bind_int(st, 2, now);
    int rc = db_step(st);
    if (rc != DB_ROW) return rc == DB_DONE ? 0 : -1;
    out->user_id = db_column_int(st, 0);
    out->role = role_parse(db_column_text(st, 1));
    copy_text(out->username, sizeof out->username, db_column_text(st, 2));
    copy_text(out->display_name, sizeof out->display_name, db_column_text(st, 3));
    out->staff_id = db_column_int(st, 4);
    out->resident_id = db_column_int(st, 5);
    copy_text(out->scope_region, sizeof out->scope_region, db_column_text(st, 6));
    copy_text(out->csrf_token, sizeof out->csrf_token, db_column_text(st, 7));
    db_run(st);
    return 1;
}

int store_session_delete(struct db *db, const char *token_hash)
{
    static const char SQL[] = "DELETE FROM sessions WHERE token_hash = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, token_hash);
    return db_run(st) == DB_DONE ? 0 : -1;
}

int store_sessions_delete_user(struct db *db, const char *username)
{
    static const char SQL[] = "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE "
                              "lower(username) = lower(?1))";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, username);
    return db_run(st) == DB_DONE ? 0 : -1;
}
