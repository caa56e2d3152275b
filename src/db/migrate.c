/* migrate.c - applies the compiled-in migrations in order, recording each in
 * schema_migrations, so `jiayi migrate` is idempotent and upgrades old files. A migration
 * is applied when its own version is not recorded (not when it is below the newest), so
 * one numbered lower but merged later (branches take numbers in parallel) still runs. */
#include "db/migrations.h"

#include <stddef.h>
#include <stdlib.h>

#include "db/dialect.h"

#include "util/log.h"

int db_schema_version(struct db *db)
{
    static const char SQL[] = "SELECT max(version) FROM schema_migrations";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return 0;
    return (int)db_query_int(st, 0);
}

int db_migrate(struct db *db)
{
    if (db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
                    " name TEXT NOT NULL, applied_at TEXT NOT NULL)") != DB_DONE)
        return -1;
    static const char APPLIED[] = "SELECT count(*) FROM schema_migrations WHERE version = ?1";
    int current = db_schema_version(db);
    for (int i = 0; i < MIGRATION_COUNT; i++) {
        const struct migration *m = &MIGRATIONS[i];
        /* Asked inside the write transaction: two servers starting on one PostgreSQL
         * database apply each migration once, the second finding it done. */
        if (db_begin(db) != DB_DONE) return -1;
        /* On a coordinator the federation schema comes first; the schema is public's. */
        if (db_is_postgresql(db) && db_exec(db, "SET LOCAL search_path TO public") != DB_DONE) {
            db_rollback(db);
            return -1;
        }
        struct db_stmt *applied = db_prepare(db, APPLIED);
        if (!applied) {
            db_rollback(db);
            return -1;
        }
        db_bind_int(applied, 1, m->version);
        if (db_query_int(applied, 1) > 0) {
            db_rollback(db);
            continue;
        }
        static const char RECORD[] =
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, CURRENT_TIMESTAMP)";
        char *sql = dialect_migration(m->sql, db_is_postgresql(db));
        struct db_stmt *st = NULL;
        int ran = sql && db_exec(db, sql) == DB_DONE;
        free(sql);
        if (!ran || !(st = db_prepare(db, RECORD))) {
            db_rollback(db);
            log_error("migration %s failed", m->name);
            return -1;
        }
        db_bind_int(st, 1, m->version);
        db_bind_text(st, 2, m->name);
        if (db_run(st) != DB_DONE || db_commit(db) != DB_DONE) {
            db_rollback(db);
            return -1;
        }
        log_info("migrated to %s", m->name);
        if (m->version > current) current = m->version;
    }
    return current;
}
