/* db.h - the one small database interface the store/ and kpi/ layers use.
 *
 * A `struct db` is one connection, used by one thread at a time. Statements are
 * prepared once per connection and cached by their SQL text's address, so the
 * SQL lives as static strings next to the store function that uses it (every
 * parameter bound, never string-built). Parameters are written `?1, ?2, ...`;
 * the PostgreSQL backend rewrites them to `$1, $2` (db/dialect.h). Backends implement
 * struct db_backend; db_open() picks one by the URI (a file path is SQLite,
 * "postgresql://..." or "postgres://..." PostgreSQL). */
#ifndef JIAYI_DB_DB_H
#define JIAYI_DB_DB_H

#include <stdint.h>

#include "util/error.h"

struct db;
struct db_stmt;

enum { DB_ROW = 1, DB_DONE = 0, DB_ERROR = -1, DB_CONSTRAINT = -2, DB_BUSY = -3 };

/* Opens a connection: WAL, synchronous=FULL, foreign keys on. Caller closes with db_close. */
struct db *db_open(const char *uri, struct jy_error *err);
void db_close(struct db *db);

/* Returns the cached prepared statement for `sql` (a static string), reset and with
 * no bindings; NULL on a preparation error (logged). Owned by the connection. */
struct db_stmt *db_prepare(struct db *db, const char *sql);
void db_bind_int(struct db_stmt *st, int index, int64_t value);
void db_bind_text(struct db_stmt *st, int index, const char *value); /* NULL binds NULL */
void db_bind_null(struct db_stmt *st, int index);
/* DB_ROW, DB_DONE, or a negative DB_* code (constraint violations are DB_CONSTRAINT). */
int db_step(struct db_stmt *st);
int64_t db_column_int(struct db_stmt *st, int col);
double db_column_double(struct db_stmt *st, int col);
void db_bind_double(struct db_stmt *st, int index, double value);
/* Text of a column, valid until the next step/reset; NULL for SQL NULL. */
const char *db_column_text(struct db_stmt *st, int col);
int db_column_is_null(struct db_stmt *st, int col);
/* Runs a statement to completion (for writes); returns DB_DONE or a negative code. */
int db_run(struct db_stmt *st);
/* Runs a single-row query returning one integer (never negative): `fallback` when there is
 * no row or it is NULL, DB_ERROR when the query fails (a failure must not read as "none"). */
int64_t db_query_int(struct db_stmt *st, int64_t fallback);
/* Resets every statement still mid-step, so no stale read snapshot is held. Called after
 * each request and before each write transaction. */
void db_release(struct db *db);
/* Runs an INSERT ... RETURNING id: the new id, or the negative DB_* code of the failure
 * (DB_CONSTRAINT for a unique or check violation). */
int64_t db_insert_id(struct db_stmt *st);
/* Rows changed by the last write. */
int64_t db_changes(struct db *db);

/* Write transactions: BEGIN IMMEDIATE so that concurrent writers queue rather than fail
 * mid-way. Nesting is not supported: one transaction per request. */
int db_begin(struct db *db);
int db_commit(struct db *db);
void db_rollback(struct db *db);
int db_in_transaction(struct db *db);
/* A read-only transaction whose every statement sees the database as of its first one (a
 * long export's one consistent picture); ended with db_rollback. */
int db_begin_snapshot(struct db *db);

/* Runs SQL text with no parameters (migrations, pragmas); may hold several statements. */
int db_exec(struct db *db, const char *sql);
/* The backend's last error message, for logs. */
const char *db_errmsg(struct db *db);
/* "sqlite" or "postgresql". */
const char *db_backend_name(struct db *db);
int db_is_postgresql(struct db *db);
/* Where kpi/'s tracker reads a resident as they were before the change being made: the
 * connection itself on SQLite (its triggers call back inside the statement); on PostgreSQL
 * a second connection of the same server, which sees the last committed state (the triggers'
 * notices arrive while the statement runs, when the connection cannot be used; BEGIN
 * IMMEDIATE's write lock means nobody else commits a change meanwhile). */
struct db *db_before(struct db *db);
/* SQLite only: an online backup of the whole database into `path` (PostgreSQL is backed up
 * by its own tools, docs/scale.md). */
int db_backup(struct db *db, const char *path, struct jy_error *err);

/* PostgreSQL only (DB_ERROR on SQLite): runs `sql`, a COPY ... FROM STDIN, feeding it what
 * `fill` appends to the buffer in COPY's text format. `fill` returns 1 while it has more, 0
 * after its last rows, -1 to abandon the copy. The caller empties nothing: the buffer is
 * sent and emptied after each call. */
struct sbuf;
int db_copy_in(struct db *db, const char *sql, int (*fill)(void *ctx, struct sbuf *rows),
               void *ctx);

/* The operations a backend provides; see db_sqlite.c. */
struct db_backend {
    const char *name;
    struct db *(*open)(const char *uri, struct jy_error *err);
    void (*close)(struct db *db);
    struct db_stmt *(*prepare)(struct db *db, const char *sql);
    void (*bind_int)(struct db_stmt *st, int index, int64_t value);
    void (*bind_text)(struct db_stmt *st, int index, const char *value);
    void (*bind_null)(struct db_stmt *st, int index);
    int (*step)(struct db_stmt *st);
    int64_t (*column_int)(struct db_stmt *st, int col);
    double (*column_double)(struct db_stmt *st, int col);
    void (*bind_double)(struct db_stmt *st, int index, double value);
    const char *(*column_text)(struct db_stmt *st, int col);
    int (*column_is_null)(struct db_stmt *st, int col);
    int64_t (*changes)(struct db *db);
    int (*exec)(struct db *db, const char *sql);
    const char *(*errmsg)(struct db *db);
    int (*backup)(struct db *db, const char *path, struct jy_error *err);
    void (*release)(struct db *db);
    struct db *(*before)(struct db *db);
    int (*copy_in)(struct db *db, const char *sql, int (*fill)(void *ctx, struct sbuf *rows),
                   void *ctx);
};

/* Change tracking for kpi/: the schema's triggers call kpi_touch(resident_id) before each
 * change to an indicator input (kpi_touch_new after a new resident is inserted); the
 * tracker then folds the touched residents' changes into its counters just before the
 * request's changes are kept, and forgets them when they are rolled back. A connection
 * without a tracker ignores the calls (migrations, the demo, `kpi rebuild`). */
struct db_tracker {
    void (*touch)(struct db *db, int64_t resident_id, int is_new, void *ctx);
    int (*before_commit)(struct db *db, void *ctx); /* < 0: the changes must not be kept */
    void (*after_rollback)(struct db *db, void *ctx);
    void (*free)(void *ctx);
    void *ctx;
};

/* Every connection starts with a pointer to its backend. */
struct db {
    const struct db_backend *backend;
    int in_transaction;
    struct db_tracker tracker;
    int64_t untracked_from; /* residents with this id or above are left to a bulk count; 0 none */
};

/* Runs `attach` on every connection db_open opens from now on (serve installs kpi/). */
void db_set_open_hook(void (*attach)(struct db *db));
/* The tracker's before_commit and after_rollback; 0 when there is no tracker. The writer
 * calls them around each request's savepoint, db_commit and db_rollback around theirs. */
int db_track_before_commit(struct db *db);
void db_track_after_rollback(struct db *db);
/* A bulk insert counts its new residents itself, all at once (kpi_count_new): from here to
 * db_track_all, the tracker ignores every resident with an id of first_id or above. */
void db_track_untracked_from(struct db *db, int64_t first_id);
void db_track_all(struct db *db);
/* 1 when the tracker follows changes to this resident. */
int db_tracks(struct db *db, int64_t resident_id);

extern const struct db_backend DB_SQLITE;
extern const struct db_backend DB_POSTGRESQL;

#endif
