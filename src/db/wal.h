/* wal.h - where a PostgreSQL server's write-ahead log stands, for reading from a standby
 * only what it has already replayed (api/read_routing.c). */
#ifndef JIAYI_DB_WAL_H
#define JIAYI_DB_WAL_H

#include <stdint.h>

struct db;

enum wal_position {
    WAL_WRITTEN, /* the primary's current position: pg_current_wal_lsn() */
    WAL_REPLAYED /* how far a standby has replayed: pg_last_wal_replay_lsn() */
};

/* The position as a number ("16/B374D848" is 0x16B374D848; NULL reads as 0). Returns 0 and
 * *lsn, or -1 when the database cannot answer (SQLite, or a server gone away). */
int db_wal_position(struct db *db, enum wal_position which, uint64_t *lsn);

#endif
