/* copy.h - `jiayi copy`: a whole jiayi database from SQLite into an empty PostgreSQL one,
 * how a county that grew up on one file moves onto a province's node (docs/scale.md). */
#ifndef JIAYI_DB_COPY_H
#define JIAYI_DB_COPY_H

#include "db/db.h"

/* Copies every table of `from` (SQLite) into `to` (PostgreSQL), both migrated to the same
 * version, `to` holding no county yet, in one transaction of `to`: rows with COPY, every
 * trigger held off as pg_restore --disable-triggers does (the foreign keys, which the source
 * kept, and the indicator triggers: the counters and the audit chain are copied as they
 * are), identity columns moved past the copied ids. Holding off the foreign keys needs a
 * superuser of `to`. Returns the rows copied, or -1 with `err` filled (`to` as it was). */
long db_copy_database(struct db *from, struct db *to, struct jy_error *err);

#endif
