/* outbox.c (store) - writing messages into the outbox (migration 025). */
#include "store/outbox.h"

#include <time.h>

int64_t store_outbox_put(struct db *db, const struct outbox_message *m)
{
    static const char INSERT[] =
        "INSERT INTO outbox (key, kind, resident_id, user_id, address, subject, body, source_kind,"
        " source_id, urgent, status, last_error, next_attempt_at, created_at, county_code)"
        " SELECT ?1, ?2, ?3, ?4, a.address, ?6, ?7, ?8, ?9, ?10,"
        "  CASE WHEN a.address IS NULL OR a.address = '' THEN 'dead' ELSE 'pending' END,"
        "  CASE WHEN a.address IS NULL OR a.address = '' THEN 'no_address' END, ?11, ?12,"
        "  (SELECT county_code FROM residents WHERE id = ?3)"
        " FROM (SELECT COALESCE(?5, (SELECT phone FROM residents WHERE id = ?3)) AS address) a"
        /* WHERE true: without it SQLite reads ON CONFLICT as the join's ON (its documented
         * parsing ambiguity of an upsert on INSERT ... SELECT) and the statement fails. */
        " WHERE true ON CONFLICT (key) DO NOTHING";
    static const char EXISTING[] = "SELECT id FROM outbox WHERE key = ?1";
    int64_t now = (int64_t)time(NULL);
    struct db_stmt *st = db_prepare(db, INSERT);
    if (!st) return -1;
    db_bind_text(st, 1, m->key);
    db_bind_text(st, 2, m->kind);
    if (m->resident_id > 0) db_bind_int(st, 3, m->resident_id); else db_bind_null(st, 3);
    if (m->user_id > 0) db_bind_int(st, 4, m->user_id); else db_bind_null(st, 4);
    db_bind_text(st, 5, m->address);
    db_bind_text(st, 6, m->subject);
    db_bind_text(st, 7, m->body);
    db_bind_text(st, 8, m->source_kind);
    if (m->source_id > 0) db_bind_int(st, 9, m->source_id); else db_bind_null(st, 9);
    db_bind_int(st, 10, m->urgent ? 1 : 0);
    db_bind_int(st, 11, m->not_before > now ? m->not_before : now);
    db_bind_int(st, 12, now);
    if (db_run(st) != DB_DONE) return -1;
    st = db_prepare(db, EXISTING);
    if (!st) return -1;
    db_bind_text(st, 1, m->key);
    return db_query_int(st, -1);
}

int64_t store_outbox_cancel(struct db *db, const char *source_kind, int64_t source_id)
{
    static const char SQL[] = "UPDATE outbox SET status = 'cancelled'"
                              " WHERE source_kind = ?1 AND source_id = ?2 AND status IN ('pending','failed')";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, source_kind);
    db_bind_int(st, 2, source_id);
    if (db_run(st) != DB_DONE) return -1;
    return db_changes(db);
}
