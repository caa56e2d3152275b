/* db_sqlite.c - the SQLite backend: one file, WAL, synchronous=FULL (an acknowledged
 * write survives power loss), foreign keys on, a busy timeout so writers queue, and a
 * per-connection cache of prepared statements keyed by the SQL string's address. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/stmt_cache.h"
#include "util/log.h"

struct db_stmt {
    struct stmt_key key; /* first, see stmt_cache.h */
    sqlite3_stmt *stmt;
};

struct sqlite_db {
    struct db base; /* first */
    sqlite3 *handle;
    struct stmt_cache cache;
};

#define BUSY_TIMEOUT_MS 15000

static void finalize(struct stmt_key *key)
{
    struct db_stmt *st = (struct db_stmt *)key;
    sqlite3_finalize(st->stmt);
    free(st);
}

static void sqlite_close(struct db *db)
{
    struct sqlite_db *s = (struct sqlite_db *)db;
    stmt_cache_free(&s->cache, finalize);
    sqlite3_close(s->handle);
    free(s);
}

static int map_rc(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_ROW:
        return DB_ROW;
    case SQLITE_DONE:
    case SQLITE_OK:
        return DB_DONE;
    case SQLITE_CONSTRAINT:
        return DB_CONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return DB_BUSY;
    default:
        return DB_ERROR;
    }
}

static int sqlite_exec(struct db *db, const char *sql)
{
    struct sqlite_db *s = (struct sqlite_db *)db;
    char *msg = NULL;
    int rc = sqlite3_exec(s->handle, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        log_error("sqlite: %s", msg ? msg : sqlite3_errmsg(s->handle));
        sqlite3_free(msg);
    }
    return map_rc(rc);
}

/* Process-wide settings, before the first connection: no memory statistics (they take a
 * global mutex on every allocation, measured as the top lock under load) and multi-thread
 * mode (a connection is only ever used by one thread at a time). */
static void sqlite_configure(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    sqlite3_initialize();
}

static pthread_once_t configure_once = PTHREAD_ONCE_INIT;

/* kpi_touch(resident_id) / kpi_touch_new(resident_id), called by the schema's triggers. */
static void touch(sqlite3_context *ctx, sqlite3_value *arg, int is_new)
{
    struct db *db = sqlite3_user_data(ctx);
    if (sqlite3_value_type(arg) == SQLITE_NULL || !db_tracks(db, sqlite3_value_int64(arg))) return;
    if (!db->in_transaction) {
        /* Counters could not be kept in step with a change committed on its own. */
        sqlite3_result_error(ctx, "indicator inputs change only inside a transaction", -1);
        return;
    }
    db->tracker.touch(db, sqlite3_value_int64(arg), is_new, db->tracker.ctx);
}

static void touch_function(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    touch(ctx, argv[0], 0);
}

static void touch_new_function(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    touch(ctx, argv[0], 1);
}

static struct db *sqlite_open(const char *uri, struct jy_error *err)
{
    pthread_once(&configure_once, sqlite_configure);
    struct sqlite_db *s = calloc(1, sizeof *s);
    if (!s) {
        jy_fail(err, 500, "internal_error", NULL, "out of memory");
        return NULL;
    }
    s->base.backend = &DB_SQLITE;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (stmt_cache_init(&s->cache) < 0 ||
        sqlite3_open_v2(uri, &s->handle, flags, NULL) != SQLITE_OK) {
        jy_fail(err, 500, "internal_error", "db", "cannot open %s: %s", uri,
                s->handle ? sqlite3_errmsg(s->handle) : "out of memory");
        if (s->handle) sqlite3_close(s->handle);
        stmt_cache_free(&s->cache, finalize);
        free(s);
        return NULL;
    }
    sqlite3_busy_timeout(s->handle, BUSY_TIMEOUT_MS);
    sqlite3_create_function(s->handle, "kpi_touch", 1, SQLITE_UTF8, s, touch_function, NULL, NULL);
    sqlite3_create_function(s->handle, "kpi_touch_new", 1, SQLITE_UTF8, s, touch_new_function, NULL,
                            NULL);
    /* No mmap (issue 23 measured it): it halved a lone team dashboard's time, but every read
     * audited grows the file, each growth makes every connection remap it, and under eight
     * concurrent work lists munmap took 15% of the server (500 against 740 req/s). */
    if (sqlite_exec(&s->base, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                              "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
                              "PRAGMA cache_size=-32000;") != DB_DONE) {
        jy_fail(err, 500, "internal_error", "db", "cannot configure %s", uri);
        sqlite_close(&s->base);
        return NULL;
    }
    return &s->base;
}

static struct db_stmt *sqlite_prepare(struct db *db, const char *sql)
{
    struct sqlite_db *s = (struct sqlite_db *)db;
    struct db_stmt *cached = (struct db_stmt *)stmt_cache_get(&s->cache, sql);
    if (cached) {
        sqlite3_reset(cached->stmt);
        sqlite3_clear_bindings(cached->stmt);
        return cached;
    }
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v3(s->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) !=
        SQLITE_OK) {
        log_error("sqlite prepare: %s in: %.200s", sqlite3_errmsg(s->handle), sql);
        return NULL;
    }
    struct db_stmt *entry = malloc(sizeof *entry);
    if (entry) *entry = (struct db_stmt){{db, sql}, stmt};
    if (!entry || stmt_cache_put(&s->cache, &entry->key) < 0) {
        sqlite3_finalize(stmt);
        free(entry);
        return NULL;
    }
    return entry;
}

static void sqlite_bind_int(struct db_stmt *st, int i, int64_t v)
{
    sqlite3_bind_int64(st->stmt, i, v);
}

static void sqlite_bind_text(struct db_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st->stmt, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st->stmt, i);
}

static void sqlite_bind_null(struct db_stmt *st, int i)
{
    sqlite3_bind_null(st->stmt, i);
}

static int sqlite_step(struct db_stmt *st)
{
    int rc = sqlite3_step(st->stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        struct sqlite_db *s = (struct sqlite_db *)st->key.db;
        if ((rc & 0xff) != SQLITE_CONSTRAINT)
            log_error("sqlite step: %s in: %.160s", sqlite3_errmsg(s->handle), st->key.sql);
        int mapped = map_rc(rc);
        sqlite3_reset(st->stmt);
        return mapped;
    }
    return map_rc(rc);
}

static int64_t sqlite_column_int(struct db_stmt *st, int c)
{
    return sqlite3_column_int64(st->stmt, c);
}

static double sqlite_column_double(struct db_stmt *st, int c)
{
    return sqlite3_column_double(st->stmt, c);
}
static void sqlite_bind_double(struct db_stmt *st, int i, double v)
{
    sqlite3_bind_double(st->stmt, i, v);
}

static const char *sqlite_column_text(struct db_stmt *st, int c)
{
    return (const char *)sqlite3_column_text(st->stmt, c);
}

static int sqlite_column_is_null(struct db_stmt *st, int c)
{
    return sqlite3_column_type(st->stmt, c) == SQLITE_NULL;
}

static int64_t sqlite_changes(struct db *db)
{
    return sqlite3_changes64(((struct sqlite_db *)db)->handle);
}

static const char *sqlite_errmsg(struct db *db)
{
    return sqlite3_errmsg(((struct sqlite_db *)db)->handle);
}

static int sqlite_backup(struct db *db, const char *path, struct jy_error *err)
{
    struct sqlite_db *s = (struct sqlite_db *)db;
    sqlite3 *dest = NULL;
    if (sqlite3_open(path, &dest) != SQLITE_OK) {
        sqlite3_close(dest);
        return jy_fail(err, 500, "internal_error", "to", "cannot open %s", path);
    }
    sqlite3_backup *b = sqlite3_backup_init(dest, "main", s->handle, "main");
    int rc = SQLITE_ERROR;
    if (b) {
        /* Copy in steps so that writers are never blocked for long while serving. */
        do {
            rc = sqlite3_backup_step(b, 1024);
            if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
        } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
        sqlite3_backup_finish(b);
    }
    int ok = rc == SQLITE_DONE;
    if (!ok) jy_fail(err, 500, "internal_error", "to", "backup failed: %s", sqlite3_errmsg(dest));
    sqlite3_close(dest);
    return ok ? 0 : -1;
}

static void sqlite_release(struct db *db)
{
    sqlite3 *h = ((struct sqlite_db *)db)->handle;
    for (sqlite3_stmt *st = sqlite3_next_stmt(h, NULL); st; st = sqlite3_next_stmt(h, st))
        if (sqlite3_stmt_busy(st)) sqlite3_reset(st);
}

/* The tracker's triggers run inside the statement, before the change: the connection itself
 * still shows the state before it. */
static struct db *sqlite_before(struct db *db)
{
    return db;
}

const struct db_backend DB_SQLITE = {
    .name = "sqlite",
    .open = sqlite_open,
    .close = sqlite_close,
    .prepare = sqlite_prepare,
    .bind_int = sqlite_bind_int,
    .bind_text = sqlite_bind_text,
    .bind_null = sqlite_bind_null,
    .step = sqlite_step,
    .column_int = sqlite_column_int,
    .column_double = sqlite_column_double,
    .bind_double = sqlite_bind_double,
    .column_text = sqlite_column_text,
    .column_is_null = sqlite_column_is_null,
    .changes = sqlite_changes,
    .exec = sqlite_exec,
    .errmsg = sqlite_errmsg,
    .backup = sqlite_backup,
    .release = sqlite_release,
    .before = sqlite_before,
};
