/* wal.c - see wal.h. */
#include "db/wal.h"

#include <stdio.h>

#include "db/db.h"

int db_wal_position(struct db *db, enum wal_position which, uint64_t *lsn)
{
    static const char WRITTEN[] = "SELECT CAST(pg_current_wal_lsn() AS TEXT)";
    static const char REPLAYED[] = "SELECT CAST(pg_last_wal_replay_lsn() AS TEXT)";
    *lsn = 0;
    struct db_stmt *st = db_prepare(db, which == WAL_WRITTEN ? WRITTEN : REPLAYED);
    if (!st) return -1;
    int rc = db_step(st);
    unsigned hi, lo;
    if (rc == DB_ROW && !db_column_is_null(st, 0) &&
        sscanf(db_column_text(st, 0), "%X/%X", &hi, &lo) == 2)
        *lsn = (uint64_t)hi << 32 | lo;
    if (rc == DB_ROW) rc = db_run(st);
    db_release(db);
    return rc == DB_DONE ? 0 : -1;
}
