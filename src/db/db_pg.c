/* db_pg.c - the PostgreSQL backend on libpq (issue 17, docs/scale.md).
 *
 * Each statement is prepared on the server once per connection, named, the first time it
 * runs; its parameters are sent as text and typed by the server from their context, or, where
 * the context cannot tell (`?1 IS NULL`), by what was bound. Results come back whole and are
 * stepped through in memory, so a pending read never pins anything.
 *
 * BEGIN IMMEDIATE takes a database-wide advisory lock: one write transaction at a time across
 * every server sharing the database, as SQLite has across processes. The indicator triggers
 * raise a notice naming the resident; the notice receiver hands it to kpi/'s tracker, which
 * reads the resident's state before the change through the companion connection
 * (db_before()).
 *
 * A lost connection (the primary died, the standby was promoted) is opened again at the next
 * statement outside a transaction: the URI may list several hosts with
 * target_session_attrs=read-write, and libpq finds the one that now takes writes. */
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/dialect.h"
#include "db/stmt_cache.h"
#include "util/log.h"
#include "util/sbuf.h"

#define BOOLOID 16
#define INT8OID 20
#define TEXTOID 25
#define FLOAT8OID 701

enum bound { BOUND_NULL, BOUND_INT, BOUND_DOUBLE, BOUND_TEXT };

struct db_stmt {
    struct stmt_key key; /* first, see stmt_cache.h */
    char *text;          /* as PostgreSQL reads it */
    char name[16];
    unsigned prepared; /* the connection generation it was prepared in; 0 never */
    int n_params;
    char **values;
    enum bound *bound;
    PGresult *result;
    int row, rows;
};

struct pg_db {
    struct db base; /* first */
    PGconn *conn;
    char *uri;
    struct stmt_cache cache;
    unsigned generation, statements;
    int64_t changes;
    char error[512];
    struct pg_db *before; /* opened on first use */
};

static int reconnect(struct pg_db *p);

static void note_error(struct pg_db *p, const PGresult *res)
{
    const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(p->conn);
    snprintf(p->error, sizeof p->error, "%s", msg && *msg ? msg : PQerrorMessage(p->conn));
    size_t n = strlen(p->error);
    while (n && (p->error[n - 1] == '\n' || p->error[n - 1] == ' '))
        p->error[--n] = '\0';
}

static int map_state(const PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (!state) return DB_ERROR;
    if (strncmp(state, "23", 2) == 0) return DB_CONSTRAINT; /* integrity constraint violation */
    if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0)
        return DB_BUSY; /* serialization failure, deadlock, lock not available */
    return DB_ERROR;
}

/* The triggers' notices: kpi_touch and kpi_touch_new (migration 000). */
static void on_notice(void *arg, const PGresult *res)
{
    struct pg_db *p = arg;
    const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    if (!msg || strncmp(msg, "jiayi_kpi_touch", 15) != 0) return;
    int is_new = strncmp(msg + 15, "_new ", 5) == 0;
    const char *id = msg + 15 + (is_new ? 5 : 1);
    int64_t resident = strtoll(id, NULL, 10);
    if (db_tracks(&p->base, resident))
        p->base.tracker.touch(&p->base, resident, is_new, p->base.tracker.ctx);
}

static int configure(struct pg_db *p)
{
    PQsetNoticeReceiver(p->conn, on_notice, p);
    /* A coordinator (db/federation.h) reads county data from its federation schema first,
     * and joins and sums a county's rows on that county's node (its tables are partitioned
     * alike, and the joins match county_code). */
    PGresult *res =
        PQexec(p->conn, "SET TIME ZONE 'UTC'; SET client_min_messages = notice;"
                        " SELECT set_config('search_path', 'federation, public', false),"
                        " set_config('enable_partitionwise_join', 'on', false),"
                        " set_config('enable_partitionwise_aggregate', 'on', false)"
                        " FROM pg_namespace WHERE nspname = 'federation'");
    int ok = PQresultStatus(res) == PGRES_TUPLES_OK;
    if (!ok) note_error(p, res);
    PQclear(res);
    return ok ? 0 : -1;
}

static struct pg_db *connect_to(const char *uri, struct jy_error *err)
{
    struct pg_db *p = calloc(1, sizeof *p);
    if (!p || !(p->uri = strdup(uri)) || stmt_cache_init(&p->cache) < 0) {
        if (p) free(p->uri);
        free(p);
        jy_fail(err, 500, "internal_error", NULL, "out of memory");
        return NULL;
    }
    p->base.backend = &DB_POSTGRESQL;
    p->generation = 1;
    p->conn = PQconnectdb(uri);
    if (PQstatus(p->conn) != CONNECTION_OK || configure(p) < 0) {
        jy_fail(err, 500, "internal_error", "db", "cannot connect to PostgreSQL: %s",
                PQerrorMessage(p->conn));
        PQfinish(p->conn);
        stmt_cache_free(&p->cache, NULL);
        free(p->uri);
        free(p);
        return NULL;
    }
    return p;
}

static struct db *pg_open(const char *uri, struct jy_error *err)
{
    struct pg_db *p = connect_to(uri, err);
    return p ? &p->base : NULL;
}

static void clear_result(struct db_stmt *st)
{
    PQclear(st->result);
    st->result = NULL;
    st->row = st->rows = 0;
}

static void clear_bindings(struct db_stmt *st)
{
    for (int i = 0; i < st->n_params; i++) {
        free(st->values[i]);
        st->values[i] = NULL;
        st->bound[i] = BOUND_NULL;
    }
}

static void free_stmt(struct stmt_key *key)
{
    struct db_stmt *st = (struct db_stmt *)key;
    clear_result(st);
    clear_bindings(st);
    free(st->values);
    free(st->bound);
    free(st->text);
    free(st);
}

static void pg_close(struct db *db)
{
    struct pg_db *p = (struct pg_db *)db;
    if (p->before) pg_close(&p->before->base);
    stmt_cache_free(&p->cache, free_stmt);
    PQfinish(p->conn);
    free(p->uri);
    free(p);
}

static struct db_stmt *pg_prepare(struct db *db, const char *sql)
{
    struct pg_db *p = (struct pg_db *)db;
    struct db_stmt *st = (struct db_stmt *)stmt_cache_get(&p->cache, sql);
    if (st) {
        clear_result(st);
        clear_bindings(st);
        return st;
    }
    st = calloc(1, sizeof *st);
    if (!st) return NULL;
    st->key = (struct stmt_key){db, sql};
    st->text = dialect_pg_statement(sql, &st->n_params);
    st->values = calloc((size_t)st->n_params + 1, sizeof *st->values);
    st->bound = calloc((size_t)st->n_params + 1, sizeof *st->bound);
    snprintf(st->name, sizeof st->name, "j%u", ++p->statements);
    if (!st->text || !st->values || !st->bound || stmt_cache_put(&p->cache, &st->key) < 0) {
        free_stmt(&st->key);
        return NULL;
    }
    return st;
}

static void bind(struct db_stmt *st, int i, enum bound kind, const char *text)
{
    if (i < 1 || i > st->n_params) return;
    free(st->values[i - 1]);
    st->values[i - 1] = text ? strdup(text) : NULL;
    st->bound[i - 1] = text ? kind : BOUND_NULL;
}

static void pg_bind_int(struct db_stmt *st, int i, int64_t v)
{
    char text[24];
    snprintf(text, sizeof text, "%" PRId64, v);
    bind(st, i, BOUND_INT, text);
}

static void pg_bind_double(struct db_stmt *st, int i, double v)
{
    char text[32];
    snprintf(text, sizeof text, "%.17g", v);
    bind(st, i, BOUND_DOUBLE, text);
}

static void pg_bind_text(struct db_stmt *st, int i, const char *v)
{
    bind(st, i, BOUND_TEXT, v);
}
static void pg_bind_null(struct db_stmt *st, int i)
{
    bind(st, i, BOUND_NULL, NULL);
}

/* The parameter the server could not type from its context alone ("could not determine
 * data type of parameter $3", "inconsistent types deduced for parameter $3"), or 0. */
static int untyped_parameter(const PGresult *res)
{
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    if (!state || !msg || (strcmp(state, "42P18") != 0 && strcmp(state, "42P08") != 0)) return 0;
    const char *dollar = strrchr(msg, '$');
    return dollar ? atoi(dollar + 1) : 0;
}

static Oid type_of(enum bound b)
{
    return b == BOUND_INT ? INT8OID : b == BOUND_DOUBLE ? FLOAT8OID : TEXTOID;
}

/* Prepares st on the server. Parameters are left for the server to type from their context
 * (a bound double is said to be one, or `quantity * ?2` would make it a bigint); one it
 * cannot type (`?1 IS NULL`) is typed by what was bound, and the statement prepared again.
 * Inside a transaction a failed PREPARE would abort it, so each try is fenced by a
 * savepoint there. */
static int server_prepare(struct pg_db *p, struct db_stmt *st)
{
    int in_tx = PQtransactionStatus(p->conn) == PQTRANS_INTRANS;
    Oid *types = calloc((size_t)st->n_params + 1, sizeof *types);
    if (!types) return -1;
    for (int i = 0; i < st->n_params; i++)
        types[i] = st->bound[i] == BOUND_DOUBLE ? FLOAT8OID : 0;
    PGresult *res = NULL;
    int guessed = 0; /* a parameter bound NULL, typed text by guess: bigint if text fails */
    for (int attempt = 0; attempt <= 2 * st->n_params; attempt++) {
        if (in_tx) PQclear(PQexec(p->conn, "SAVEPOINT jiayi_prepare"));
        res = PQprepare(p->conn, st->name, st->text, st->n_params, types);
        int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
        if (in_tx)
            PQclear(PQexec(p->conn, ok ? "RELEASE SAVEPOINT jiayi_prepare"
                                       : "ROLLBACK TO SAVEPOINT jiayi_prepare"));
        if (ok) break;
        int n = untyped_parameter(res);
        const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        if (n >= 1 && n <= st->n_params && !types[n - 1]) {
            types[n - 1] = type_of(st->bound[n - 1]);
            guessed = st->bound[n - 1] == BOUND_NULL ? n : guessed;
        } else if (guessed && state && (!strcmp(state, "42804") || !strcmp(state, "42883"))) {
            types[guessed - 1] = INT8OID;
            guessed = 0;
        } else {
            break;
        }
        PQclear(res);
        res = NULL;
    }
    free(types);
    int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    if (!ok) {
        note_error(p, res);
        log_error("postgresql prepare: %s in: %.200s", p->error, st->text);
    }
    PQclear(res);
    if (ok) st->prepared = p->generation;
    return ok ? 0 : -1;
}

static int pg_step(struct db_stmt *st)
{
    struct pg_db *p = (struct pg_db *)st->key.db;
    if (st->result) {
        if (++st->row < st->rows) return DB_ROW;
        clear_result(st);
        return DB_DONE;
    }
    for (int attempt = 0;; attempt++) {
        if (st->prepared != p->generation && server_prepare(p, st) < 0) {
            if (PQstatus(p->conn) == CONNECTION_BAD && attempt == 0 && !p->base.in_transaction &&
                reconnect(p) == 0)
                continue;
            return DB_ERROR;
        }
        PGresult *res = PQexecPrepared(p->conn, st->name, st->n_params,
                                       (const char *const *)st->values, NULL, NULL, 0);
        ExecStatusType status = PQresultStatus(res);
        if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
            const char *changed = PQcmdTuples(res);
            if (*changed) p->changes = strtoll(changed, NULL, 10);
            if (status == PGRES_TUPLES_OK && PQntuples(res) > 0) {
                st->result = res;
                st->rows = PQntuples(res);
                st->row = 0;
                return DB_ROW;
            }
            PQclear(res);
            return DB_DONE;
        }
        int mapped = map_state(res);
        note_error(p, res);
        PQclear(res);
        if (PQstatus(p->conn) == CONNECTION_BAD && attempt == 0 && !p->base.in_transaction &&
            reconnect(p) == 0)
            continue;
        if (mapped != DB_CONSTRAINT) log_error("postgresql: %s in: %.160s", p->error, st->text);
        return mapped;
    }
}

static const char *cell(struct db_stmt *st, int c)
{
    if (!st->result || c < 0 || c >= PQnfields(st->result) || PQgetisnull(st->result, st->row, c))
        return NULL;
    const char *v = PQgetvalue(st->result, st->row, c);
    if (PQftype(st->result, c) == BOOLOID) return v[0] == 't' ? "1" : "0"; /* as SQLite */
    return v;
}

static int64_t pg_column_int(struct db_stmt *st, int c)
{
    const char *v = cell(st, c);
    return v ? strtoll(v, NULL, 10) : 0;
}

static double pg_column_double(struct db_stmt *st, int c)
{
    const char *v = cell(st, c);
    return v ? strtod(v, NULL) : 0.0;
}

static const char *pg_column_text(struct db_stmt *st, int c)
{
    return cell(st, c);
}

static int pg_column_is_null(struct db_stmt *st, int c)
{
    return !st->result || c < 0 || c >= PQnfields(st->result) ||
           PQgetisnull(st->result, st->row, c);
}

static int64_t pg_changes(struct db *db)
{
    return ((struct pg_db *)db)->changes;
}

static int pg_exec(struct db *db, const char *sql)
{
    struct pg_db *p = (struct pg_db *)db;
    int params = 0;
    char *text = dialect_pg_statement(sql, &params);
    if (!text) return DB_ERROR;
    for (int attempt = 0;; attempt++) {
        PGresult *res = PQexec(p->conn, text);
        ExecStatusType status = PQresultStatus(res);
        if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK ||
            status == PGRES_EMPTY_QUERY) {
            const char *changed = PQcmdTuples(res);
            if (*changed) p->changes = strtoll(changed, NULL, 10);
            PQclear(res);
            free(text);
            return DB_DONE;
        }
        int mapped = map_state(res);
        note_error(p, res);
        PQclear(res);
        /* BEGIN on a lost connection: nothing was under way, so open it again and go on. */
        if (PQstatus(p->conn) == CONNECTION_BAD && attempt == 0 && !p->base.in_transaction &&
            strncmp(text, "BEGIN", 5) == 0 && reconnect(p) == 0)
            continue;
        log_error("postgresql: %s in: %.200s", p->error, text);
        free(text);
        return mapped;
    }
}

static const char *pg_errmsg(struct db *db)
{
    return ((struct pg_db *)db)->error;
}

static int pg_backup(struct db *db, const char *path, struct jy_error *err)
{
    (void)db;
    (void)path;
    return jy_fail(err, 422, "invalid_field", "db",
                   "a PostgreSQL database is backed up with pg_basebackup and WAL archiving "
                   "(docs/scale.md), not by jiayi");
}

static void release_one(struct stmt_key *key)
{
    clear_result((struct db_stmt *)key);
}

static void pg_release(struct db *db)
{
    stmt_cache_each(&((struct pg_db *)db)->cache, release_one);
}

static struct db *pg_before(struct db *db)
{
    struct pg_db *p = (struct pg_db *)db;
    if (!p->before) {
        struct jy_error err;
        p->before = connect_to(p->uri, &err);
        if (!p->before) {
            log_error("cannot open the connection that reads the state before a change: %s",
                      err.detail);
            return db; /* the tracker then fails the write rather than miscount */
        }
    }
    return &p->before->base;
}

/* After the connection was lost: connect again (libpq picks the host that takes writes when
 * the URI names several), and prepare every statement afresh. 0, or -1. */
static int reconnect(struct pg_db *p)
{
    PQreset(p->conn);
    if (PQstatus(p->conn) != CONNECTION_OK || configure(p) < 0) {
        note_error(p, NULL);
        return -1;
    }
    p->generation++;
    log_info("reconnected to PostgreSQL");
    return 0;
}

static int pg_copy_in(struct db *db, const char *sql, int (*fill)(void *ctx, struct sbuf *rows),
                      void *ctx)
{
    struct pg_db *p = (struct pg_db *)db;
    PGresult *res = PQexec(p->conn, sql);
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        note_error(p, res);
        PQclear(res);
        return DB_ERROR;
    }
    PQclear(res);
    struct sbuf rows;
    sbuf_init(&rows);
    int more, sent = 1;
    do {
        more = fill(ctx, &rows);
        if (more < 0 || sbuf_failed(&rows) ||
            (rows.len && PQputCopyData(p->conn, rows.data, (int)rows.len) != 1))
            sent = 0;
        rows.len = 0;
    } while (sent && more > 0);
    sbuf_free(&rows);
    int rc = PQputCopyEnd(p->conn, sent ? NULL : "jiayi: copy abandoned") == 1 && sent ? DB_DONE
                                                                                       : DB_ERROR;
    while ((res = PQgetResult(p->conn))) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            note_error(p, res);
            rc = DB_ERROR;
        } else {
            p->changes = strtoll(PQcmdTuples(res), NULL, 10);
        }
        PQclear(res);
    }
    return rc;
}

const struct db_backend DB_POSTGRESQL = {
    .name = "postgresql",
    .open = pg_open,
    .close = pg_close,
    .prepare = pg_prepare,
    .bind_int = pg_bind_int,
    .bind_text = pg_bind_text,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .column_int = pg_column_int,
    .column_double = pg_column_double,
    .bind_double = pg_bind_double,
    .column_text = pg_column_text,
    .column_is_null = pg_column_is_null,
    .changes = pg_changes,
    .exec = pg_exec,
    .errmsg = pg_errmsg,
    .backup = pg_backup,
    .release = pg_release,
    .before = pg_before,
    .copy_in = pg_copy_in,
};
