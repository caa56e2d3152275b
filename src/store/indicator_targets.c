/* indicator_targets.c (store) - see indicator_targets.h. */
#include "store/indicator_targets.h"

#include <string.h>

int store_indicator_targets(struct db *db, struct kpi_targets *out, unsigned char *changed)
{
    static const char SQL[] = "SELECT code, target FROM indicator_targets";
    kpi_targets_defaults(out);
    if (changed) memset(changed, 0, KPI_COUNT);
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int code = kpi_code_index(db_column_text(st, 0));
        if (code < 0) continue; /* a code this build no longer knows */
        out->has[code] = 1;
        out->value[code] = db_column_double(st, 1);
        if (changed) changed[code] = 1;
    }
    return rc == DB_DONE ? 0 : -1;
}

int64_t store_indicator_target_set(struct db *db, int code, int has, double target, int64_t user_id)
{
    static const char UPSERT[] =
        "INSERT INTO indicator_targets (code, target, changed_by) VALUES (?1, ?2, ?3)"
        " ON CONFLICT (code) DO UPDATE SET target = excluded.target, changed_by = "
        "excluded.changed_by,"
        " changed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') RETURNING id";
    static const char REMOVE[] = "DELETE FROM indicator_targets WHERE code = ?1 RETURNING id";
    struct db_stmt *st = db_prepare(db, has ? UPSERT : REMOVE);
    if (!st) return -1;
    db_bind_text(st, 1, KPI_INFO[code].code);
    if (has) {
        db_bind_double(st, 2, target);
        if (user_id)
            db_bind_int(st, 3, user_id);
        else
            db_bind_null(st, 3);
        int64_t id = db_insert_id(st);
        return id > 0 ? id : -1;
    }
    int rc = db_step(st);
    int64_t id = rc == DB_ROW ? db_column_int(st, 0) : 0;
    if (rc == DB_ROW) rc = db_step(st);
    return rc == DB_DONE ? id : -1;
}
