/* migrations.h - versioned schema migrations compiled in from src/db/migrations/NNN_*.sql. */
#ifndef JIAYI_DB_MIGRATIONS_H
#define JIAYI_DB_MIGRATIONS_H

#include "db/db.h"

struct migration {
    int version;
    const char *name;
    const char *sql;
};

extern const struct migration MIGRATIONS[];
extern const int MIGRATION_COUNT;

/* Applies every migration newer than the database's version, each in its own
 * transaction. Returns the resulting version, or -1 (logged). */
int db_migrate(struct db *db);
/* The database's schema version (0 when empty). */
int db_schema_version(struct db *db);

#endif
