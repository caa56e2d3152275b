/* measurements.c (store) - see measurements.h. */
#include "store/measurements.h"

/* One statement with one arm per source, each arm yielding the same columns:
 * (date, source, sbp, dbp, fbg, weight_kg, heart_rate, row_id). ?1 is the resident, ?2 and
 * ?3 the date bounds, shared by every arm: follow-ups, physical exams and home devices.
 * To add a source, append "UNION ALL SELECT ... FROM that_table WHERE resident_id = ?1 AND
 * <date> BETWEEN ..." with the same columns and NULL for what it does not measure.
 * The inner ORDER BY ... DESC LIMIT keeps the newest rows when there are too many; the
 * outer one gives them oldest first, as a chart draws them. */
static const char MEASUREMENTS_SQL[] =
    "SELECT date, source, sbp, dbp, fbg, weight_kg, heart_rate FROM ("
    "  SELECT visit_date AS date, 'followup' AS source, sbp, dbp, fbg, weight_kg, heart_rate,"
    "         id AS row_id"
    "    FROM followups"
    "   WHERE resident_id = ?1 AND visit_date BETWEEN coalesce(?2, '0000-01-01')"
    "         AND coalesce(?3, '9999-12-31')"
    "     AND coalesce(sbp, dbp, fbg, weight_kg, heart_rate) IS NOT NULL"
    "  UNION ALL"
    "  SELECT exam_date, 'exam', sbp, dbp, fbg, weight_kg, NULL, id FROM exam_results"
    "   WHERE resident_id = ?1 AND exam_date BETWEEN coalesce(?2, '0000-01-01')"
    "         AND coalesce(?3, '9999-12-31')"
    "     AND coalesce(sbp, fbg, weight_kg) IS NOT NULL"
    /* Home glucometers measure at any hour, not fasting: only their blood pressure is drawn
     * beside the clinic's. */
    "  UNION ALL"
    "  SELECT substr(observed_at, 1, 10), 'device', sbp, dbp, NULL, NULL, heart_rate, id FROM observations"
    "   WHERE resident_id = ?1 AND substr(observed_at, 1, 10) BETWEEN coalesce(?2, '0000-01-01')"
    "         AND coalesce(?3, '9999-12-31') AND sbp IS NOT NULL"
    "  ORDER BY date DESC, source, row_id DESC LIMIT ?4"
    ") latest ORDER BY date, source, row_id";

static void set_number(json_t *o, const char *key, struct db_stmt *st, int col, int real)
{
    if (db_column_is_null(st, col)) return;
    json_object_set_new(
        o, key, real ? json_real(db_column_double(st, col)) : json_integer(db_column_int(st, col)));
}

json_t *store_measurements_list(struct db *db, int64_t resident_id, const char *from,
                                const char *to, int limit)
{
    struct db_stmt *st = db_prepare(db, MEASUREMENTS_SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, from);
    db_bind_text(st, 3, to);
    db_bind_int(st, 4, limit);
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *o =
            json_pack("{s:s, s:s}", "date", db_column_text(st, 0), "source", db_column_text(st, 1));
        set_number(o, "sbp", st, 2, 0);
        set_number(o, "dbp", st, 3, 0);
        set_number(o, "fbg", st, 4, 1);
        set_number(o, "weight_kg", st, 5, 1);
        set_number(o, "heart_rate", st, 6, 0);
        json_array_append_new(items, o);
    }
    if (rc != DB_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}
