/* db.c - backend dispatch and the helpers every backend shares. */
#include "db/db.h"
#include "db/fault.h"
#include "db/stmt_cache.h"

#include <assert.h>
#include <string.h>

#include "util/log.h"

static void (*open_hook)(struct db *db);

struct db *db_open(const char *uri, struct jy_error *err)
{
    if (!uri || !*uri) {
        jy_fail(err, 500, "internal_error", "db", "no database given (--db or JIAYI_DB)");
        return NULL;
    }
    int postgresql = strncmp(uri, "postgresql://", 13) == 0 || strncmp(uri, "postgres://", 11) == 0;
    struct db *db = (postgresql ? &DB_POSTGRESQL : &DB_SQLITE)->open(uri, err);
    if (db && open_hook) open_hook(db);
    return db;
}

void db_set_open_hook(void (*attach)(struct db *db))
{
    open_hook = attach;
}

int db_track_before_commit(struct db *db)
{
    return db->tracker.before_commit ? db->tracker.before_commit(db, db->tracker.ctx) : 0;
}

void db_track_after_rollback(struct db *db)
{
    if (db->tracker.after_rollback) db->tracker.after_rollback(db, db->tracker.ctx);
}

void db_track_untracked_from(struct db *db, int64_t first_id)
{
    db->untracked_from = first_id;
}

void db_track_all(struct db *db)
{
    db->untracked_from = 0;
}

int db_tracks(struct db *db, int64_t resident_id)
{
    return db->tracker.touch && !(db->untracked_from && resident_id >= db->untracked_from);
}

void db_close(struct db *db)
{
    if (!db) return;
    if (db->tracker.free) db->tracker.free(db->tracker.ctx);
    db->backend->close(db);
}

/* Statements start with their struct stmt_key, whose first field is their connection, so the
 * dispatch below can find the backend from a statement alone. */
static const struct db_backend *stmt_backend(struct db_stmt *st)
{
    return ((struct stmt_key *)st)->db->backend;
}

struct db_stmt *db_prepare(struct db *db, const char *sql)
{
    struct db_stmt *st = db_fault_now(DB_FAULT_PREPARE, sql) ? NULL : db->backend->prepare(db, sql);
    if (!st) db_failure_note();
    return st;
}
/* A statement that failed to prepare (NULL) is taken by every call below, as SQLite's API
 * takes one: binds do nothing, a step fails, columns read as NULL. The prepare's failure is
 * already noted (db/fault.h), so the request's answer is a 500 whatever its code made of it. */
void db_bind_int(struct db_stmt *st, int i, int64_t v)
{
    assert(i >= 1); /* parameters are ?1, ?2, ... */
    if (st) stmt_backend(st)->bind_int(st, i, v);
}
void db_bind_text(struct db_stmt *st, int i, const char *v)
{
    if (st) stmt_backend(st)->bind_text(st, i, v);
}
void db_bind_null(struct db_stmt *st, int i)
{
    if (st) stmt_backend(st)->bind_null(st, i);
}
int db_step(struct db_stmt *st)
{
    if (!st) return DB_ERROR;
    int rc = db_fault_now(DB_FAULT_STEP, ((struct stmt_key *)st)->sql) ? DB_ERROR
                                                                       : stmt_backend(st)->step(st);
    if (rc < 0 && rc != DB_CONSTRAINT) db_failure_note();
    return rc;
}
int64_t db_column_int(struct db_stmt *st, int c)
{
    return st ? stmt_backend(st)->column_int(st, c) : 0;
}
double db_column_double(struct db_stmt *st, int c)
{
    return st ? stmt_backend(st)->column_double(st, c) : 0;
}
void db_bind_double(struct db_stmt *st, int i, double v)
{
    if (st) stmt_backend(st)->bind_double(st, i, v);
}
const char *db_column_text(struct db_stmt *st, int c)
{
    return st ? stmt_backend(st)->column_text(st, c) : NULL;
}
int db_column_is_null(struct db_stmt *st, int c)
{
    return st ? stmt_backend(st)->column_is_null(st, c) : 1;
}
int64_t db_changes(struct db *db)
{
    return db->backend->changes(db);
}

int db_copy_in(struct db *db, const char *sql, int (*fill)(void *ctx, struct sbuf *rows), void *ctx)
{
    return db->backend->copy_in ? db->backend->copy_in(db, sql, fill, ctx) : DB_ERROR;
}
int db_exec(struct db *db, const char *sql)
{
    /* A commit, or the end of a request's part of a group commit. */
    int commit = !strcmp(sql, "COMMIT") || !strcmp(sql, "RELEASE request");
    int rc = commit && db_fault_now(DB_FAULT_COMMIT, sql) ? DB_ERROR : db->backend->exec(db, sql);
    if (rc < 0 && rc != DB_CONSTRAINT) db_failure_note();
    return rc;
}
const char *db_errmsg(struct db *db)
{
    return db->backend->errmsg(db);
}
const char *db_backend_name(struct db *db)
{
    return db->backend->name;
}
int db_is_postgresql(struct db *db)
{
    return db->backend == &DB_POSTGRESQL;
}
struct db *db_before(struct db *db)
{
    return db->backend->before(db);
}

int db_backup(struct db *db, const char *path, struct jy_error *err)
{
    return db->backend->backup(db, path, err);
}

int db_run(struct db_stmt *st)
{
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
    }
    return rc;
}

int64_t db_query_int(struct db_stmt *st, int64_t fallback)
{
    int rc = db_step(st);
    if (rc < 0) return DB_ERROR;
    int64_t v = fallback;
    if (rc == DB_ROW) {
        if (!db_column_is_null(st, 0)) v = db_column_int(st, 0);
        db_run(st);
    }
    return v;
}

int64_t db_insert_id(struct db_stmt *st)
{
    int rc = db_step(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    int64_t id = db_column_int(st, 0);
    db_run(st);
    return id;
}

void db_release(struct db *db)
{
    db->backend->release(db);
}

int db_begin(struct db *db)
{
    if (db->in_transaction) {
        log_error("db_begin inside a transaction");
        return DB_ERROR;
    }
    db_release(db); /* a pending read would pin an old snapshot and make BEGIN fail at once */
    int rc = db_exec(db, "BEGIN IMMEDIATE");
    if (rc == DB_DONE) db->in_transaction = 1;
    return rc;
}

int db_begin_snapshot(struct db *db)
{
    if (db->in_transaction) {
        log_error("db_begin_snapshot inside a transaction");
        return DB_ERROR;
    }
    db_release(db);
    /* SQLite: a deferred transaction's first read fixes its WAL snapshot. */
    int rc = db_exec(db, db_is_postgresql(db) ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                                              : "BEGIN");
    if (rc == DB_DONE) db->in_transaction = 1;
    return rc;
}

int db_commit(struct db *db)
{
    if (db_track_before_commit(db) < 0) {
        db_rollback(db);
        return DB_ERROR;
    }
    int rc = db_exec(db, "COMMIT");
    if (rc != DB_DONE) {
        db_rollback(db);
        return rc;
    }
    db->in_transaction = 0;
    return rc;
}

void db_rollback(struct db *db)
{
    if (db->in_transaction) db_exec(db, "ROLLBACK");
    db->in_transaction = 0;
    db_track_after_rollback(db);
}

int db_in_transaction(struct db *db)
{
    return db->in_transaction;
}
