/* test_results.c (store) - see test_results.h. */
#include "store/test_results.h"

int store_recognised_item_days(struct db *db, const char *code)
{
    static const char SQL[] = "SELECT valid_days FROM recognised_items WHERE code = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, code);
    return (int)db_query_int(st, 0);
}

json_t *store_recognised_items(struct db *db)
{
    static const char SQL[] =
        "SELECT code, name_zh, name_en, kind, valid_days FROM recognised_items ORDER BY kind, code";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    json_t *list = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(
            list, json_pack("{s:s,s:s,s:s,s:s,s:I}", "code", db_column_text(st, 0), "name",
                            db_column_text(st, 1), "name_en", db_column_text(st, 2), "kind",
                            db_column_text(st, 3), "valid_days", (json_int_t)db_column_int(st, 4)));
    if (rc != DB_DONE) {
        json_decref(list);
        return NULL;
    }
    return list;
}

int64_t store_test_result_insert(struct db *db, const struct test_result_input *in)
{
    static const char SQL[] =
        "INSERT INTO test_results (resident_id, item, taken_on, value, conclusion, institution_id, source, recorded_by,"
        " county_code) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, in->resident_id);
    db_bind_text(st, 2, in->item);
    db_bind_text(st, 3, in->taken_on);
    db_bind_text(st, 4, in->value);
    db_bind_text(st, 5, in->conclusion);
    if (in->institution_id) db_bind_int(st, 6, in->institution_id);
    db_bind_text(st, 7, in->source);
    if (in->recorded_by) db_bind_int(st, 8, in->recorded_by);
    db_bind_text(st, 9, in->county_code);
    return db_insert_id(st);
}

json_t *store_test_results(struct db *db, int64_t resident_id, const char *item)
{
    static const char SQL[] =
        "SELECT t.id, t.item, i.name_zh, i.name_en, i.kind, i.valid_days, t.taken_on, t.value, t.conclusion,"
        " t.institution_id, n.name, t.source FROM test_results t JOIN recognised_items i ON i.code = t.item"
        " LEFT JOIN institutions n ON n.id = t.institution_id"
        " WHERE t.resident_id = ?1 AND (?2 IS NULL OR t.item = ?2) ORDER BY t.taken_on DESC, t.id DESC LIMIT 200";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, item);
    json_t *list = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *o = json_pack(
            "{s:I,s:s,s:s,s:s,s:s,s:I,s:s,s:s?,s:s?,s:s?,s:s?}", "id",
            (json_int_t)db_column_int(st, 0), "item", db_column_text(st, 1), "name",
            db_column_text(st, 2), "name_en", db_column_text(st, 3), "kind", db_column_text(st, 4),
            "valid_days", (json_int_t)db_column_int(st, 5), "taken_on", db_column_text(st, 6),
            "value", db_column_text(st, 7), "conclusion", db_column_text(st, 8), "institution_name",
            db_column_text(st, 10), "source", db_column_text(st, 11));
        json_object_set_new(o, "institution_id",
                            db_column_is_null(st, 9) ? json_null()
                                                     : json_integer(db_column_int(st, 9)));
        json_array_append_new(list, o);
    }
    if (rc != DB_DONE) {
        json_decref(list);
        return NULL;
    }
    return list;
}
