/* dialect.h - the one schema for both engines, and the SQL text the PostgreSQL backend sends.
 *
 * Migrations are written once, in the SQL both engines share. Where they must differ, a
 * migration marks lines off:
 *
 *     -- @sqlite            (only SQLite runs these lines)
 *     -- @postgresql        (only PostgreSQL runs these lines)
 *     -- @end               (both again)
 *
 * For PostgreSQL the shared text is then translated: INTEGER PRIMARY KEY becomes an identity
 * column, INTEGER BIGINT, REAL DOUBLE PRECISION, CURRENT_TIMESTAMP defaults SQLite's text
 * form, and each CREATE TRIGGER ... BEGIN ... END a PL/pgSQL function with its trigger.
 * Functions SQLite has and PostgreSQL lacks (strftime, date, julianday, ifnull, group_concat,
 * kpi_touch) are created by migration 000, in a @postgresql block.
 *
 * Pure string work, no I/O: unit-tested in tests/unit/test_dialect.c. */
#ifndef JIAYI_DB_DIALECT_H
#define JIAYI_DB_DIALECT_H

/* The migration text for one engine (postgresql 0 or 1), newly allocated; NULL when out of
 * memory or a @ block is not closed. */
char *dialect_migration(const char *sql, int postgresql);

/* A statement for PostgreSQL: ?N placeholders become $N (never inside quotes or comments),
 * BEGIN IMMEDIATE takes the database-wide write lock. Newly allocated; `*params` is the
 * highest N. NULL when out of memory. */
char *dialect_pg_statement(const char *sql, int *params);

/* The advisory lock key BEGIN IMMEDIATE takes on PostgreSQL: one writer at a time across
 * every server sharing the database, as SQLite's BEGIN IMMEDIATE across processes. */
#define DIALECT_WRITE_LOCK "pg_advisory_xact_lock(7364912, 1)"

#endif
