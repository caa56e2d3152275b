/* copy.c - a jiayi database from SQLite into PostgreSQL (copy.h). The schema is the same
 * on both sides (one set of migrations), so a table is copied by its column names; COPY's
 * text format carries every value as SQLite gives it as text, which PostgreSQL reads back
 * into the same types. */
#include "db/copy.h"

#include <stdio.h>
#include <string.h>

#include "db/migrations.h"
#include "util/error.h"
#include "util/log.h"
#include "util/sbuf.h"

#define MAX_TABLES 160
#define CHUNK (1 << 20) /* bytes handed to COPY at a time */

struct table {
    char name[64];
};

/* The source's tables. */
static int source_tables(struct db *from, struct table *out, int *count, struct jy_error *err)
{
    int rc;
    struct db_stmt *st = db_prepare(
        from, "SELECT name FROM sqlite_master WHERE type = 'table'"
              " AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name");
    if (!st) return jy_fail(err, 500, "internal_error", "db", "%s", db_errmsg(from));
    for (*count = 0; (rc = db_step(st)) == DB_ROW && *count < MAX_TABLES; (*count)++)
        snprintf(out[*count].name, sizeof out[*count].name, "%s", db_column_text(st, 0));
    if (rc == DB_ROW) db_run(st);
    return rc == DB_DONE
               ? 0
               : jy_fail(err, 500, "internal_error", "db", "more than %d tables", MAX_TABLES);
}

/* One table's rows in COPY's text format: tab between columns, \N for NULL, and the
 * backslash, tab, newline and carriage return escaped. */
struct rows {
    struct db_stmt *st;
    int columns;
    long count;
};

static void escaped(struct sbuf *out, const char *s)
{
    while (*s) {
        size_t plain = strcspn(s, "\\\t\n\r");
        sbuf_append(out, s, plain);
        s += plain;
        if (!*s) break;
        sbuf_puts(out, *s == '\\' ? "\\\\" : *s == '\t' ? "\\t" : *s == '\n' ? "\\n" : "\\r");
        s++;
    }
}

static int fill(void *ctx, struct sbuf *out)
{
    struct rows *r = ctx;
    int rc = DB_ROW;
    while (out->len < CHUNK && (rc = db_step(r->st)) == DB_ROW) {
        for (int c = 0; c < r->columns; c++) {
            if (c) sbuf_append(out, "\t", 1);
            if (db_column_is_null(r->st, c))
                sbuf_append(out, "\\N", 2);
            else
                escaped(out, db_column_text(r->st, c));
        }
        sbuf_append(out, "\n", 1);
        r->count++;
    }
    if (out->len >= CHUNK) return 1;
    return rc == DB_DONE ? 0 : -1;
}

/* Copies one table; returns its rows or -1. `select` receives the query read from `from`,
 * whose text must outlive the connection: it caches statements by their text's address. */
static long copy_table(struct db *from, struct db *to, const char *table, struct sbuf *select,
                       struct jy_error *err)
{
    struct sbuf columns, copy;
    sbuf_init(&columns), sbuf_init(&copy);
    long copied = -1;
    struct db_stmt *info = db_prepare(from, "SELECT name FROM pragma_table_info(?1) ORDER BY cid");
    if (!info) goto out;
    db_bind_text(info, 1, table);
    int n = 0, rc;
    while ((rc = db_step(info)) == DB_ROW)
        sbuf_printf(&columns, "%s\"%s\"", n++ ? ", " : "", db_column_text(info, 0));
    if (rc != DB_DONE) goto out;
    sbuf_printf(select, "SELECT %s FROM \"%s\"", sbuf_cstr(&columns), table);
    sbuf_printf(&copy, "ALTER TABLE \"%s\" DISABLE TRIGGER ALL", table);
    if (sbuf_failed(&columns) || sbuf_failed(select) || sbuf_failed(&copy) ||
        db_exec(to, sbuf_cstr(&copy)) != DB_DONE)
        goto out;
    struct rows rows = {db_prepare(from, sbuf_cstr(select)), n, 0};
    sbuf_free(&copy);
    sbuf_printf(&copy, "COPY \"%s\" (%s) FROM STDIN", table, sbuf_cstr(&columns));
    if (!rows.st || sbuf_failed(&copy) ||
        db_copy_in(to, sbuf_cstr(&copy), fill, &rows) != DB_DONE) {
        if (rows.st) db_run(rows.st);
        goto out;
    }
    sbuf_free(&copy);
    sbuf_printf(&copy, "ALTER TABLE \"%s\" ENABLE TRIGGER ALL", table);
    if (!sbuf_failed(&copy) && db_exec(to, sbuf_cstr(&copy)) == DB_DONE) copied = rows.count;
out:
    if (copied < 0) jy_fail(err, 500, "internal_error", "db", "table %s: %s", table, db_errmsg(to));
    sbuf_free(&columns), sbuf_free(&copy);
    return copied;
}

/* Each identity column continues after the largest id copied into it. */
static const char RESTART_IDENTITIES[] =
    "DO $$ DECLARE c record; top bigint; BEGIN"
    " FOR c IN SELECT table_name, column_name FROM information_schema.columns"
    "  WHERE table_schema = 'public' AND is_identity = 'YES' LOOP"
    "  EXECUTE format('SELECT coalesce(max(%I), 0) FROM public.%I', c.column_name, c.table_name) INTO top;"
    "  PERFORM setval(pg_get_serial_sequence(format('public.%I', c.table_name), c.column_name), top + 1, false);"
    " END LOOP; END $$";

static int64_t scalar(struct db *db, const char *sql)
{
    struct db_stmt *st = db_prepare(db, sql);
    return st ? db_query_int(st, -1) : -1;
}

long db_copy_database(struct db *from, struct db *to, struct jy_error *err)
{
    if (db_is_postgresql(from) || !db_is_postgresql(to))
        return jy_fail(err, 400, "validation_failed", "to",
                       "jiayi copy goes from SQLite to PostgreSQL");
    if (db_schema_version(from) != db_schema_version(to))
        return jy_fail(err, 400, "validation_failed", "to",
                       "the two databases are at different schema versions");
    if (scalar(to, "SELECT (SELECT count(*) FROM residents) + (SELECT count(*) FROM users)") != 0)
        return jy_fail(err, 409, "conflict", "to",
                       "the PostgreSQL database already holds a county");
    struct table tables[MAX_TABLES];
    int n = 0;
    if (source_tables(from, tables, &n, err) < 0) return -1;
    /* What the migrations put in (settings, catalogues) is replaced by the source's rows. */
    struct sbuf truncate;
    sbuf_init(&truncate);
    sbuf_puts(&truncate, "TRUNCATE ");
    for (int i = 0; i < n; i++)
        sbuf_printf(&truncate, "%s\"%s\"", i ? ", " : "", tables[i].name);
    sbuf_puts(&truncate, " CASCADE");
    long total = 0;
    /* One read transaction on the source: every table as of one moment, even if a server
     * still writes (what it writes after that moment is not copied: stop it first). */
    int ok =
        !sbuf_failed(&truncate) && db_exec(from, "BEGIN") == DB_DONE && db_begin(to) == DB_DONE;
    if (ok && db_exec(to, sbuf_cstr(&truncate)) != DB_DONE) ok = 0;
    sbuf_free(&truncate);
    /* Kept for the life of the process (a command runs one copy): see copy_table. */
    static struct sbuf selects[MAX_TABLES];
    for (int i = 0; ok && i < n; i++) {
        long rows = copy_table(from, to, tables[i].name, &selects[i], err);
        if (rows < 0)
            ok = 0;
        else if (rows > 0)
            log_info("copied %s: %ld rows", tables[i].name, rows);
        total += rows;
    }
    if (ok && db_exec(to, RESTART_IDENTITIES) != DB_DONE) ok = 0;
    if (ok && db_commit(to) != DB_DONE) ok = 0;
    db_exec(from, "COMMIT"); /* ends the read, whatever happened */
    if (!ok) {
        if (!err || !err->status) jy_fail(err, 500, "internal_error", "db", "%s", db_errmsg(to));
        if (db_in_transaction(to)) db_rollback(to);
        return -1;
    }
    if (db_exec(to, "ANALYZE") != DB_DONE)
        log_error("ANALYZE after the copy failed: %s", db_errmsg(to));
    return total;
}
