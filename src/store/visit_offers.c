/* visit_offers.c (store) - see visit_offers.h. */
#include "store/visit_offers.h"

#include <string.h>

int64_t store_visit_offer_insert(struct db *db, const struct visit_offer_input *in)
{
    static const char SQL[] =
        "INSERT INTO visit_offers (resident_id, kind, program, diagnosis, response, offered_on, offered_by, staff_id,"
        " county_code) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, in->resident_id);
    db_bind_text(st, 2, in->kind);
    db_bind_text(st, 3, in->program);
    db_bind_text(st, 4, in->diagnosis);
    db_bind_text(st, 5, in->response);
    db_bind_text(st, 6, in->offered_on);
    if (in->offered_by) db_bind_int(st, 7, in->offered_by);
    if (in->staff_id) db_bind_int(st, 8, in->staff_id);
    db_bind_text(st, 9, in->county_code);
    return db_insert_id(st);
}

static json_t *tally(void) { return json_pack("{s:i,s:i}", "offered", 0, "accepted", 0); }

static void count(json_t *t, int64_t offered, int64_t accepted)
{
    json_object_set_new(t, "offered", json_integer(json_integer_value(json_object_get(t, "offered")) + offered));
    json_object_set_new(t, "accepted", json_integer(json_integer_value(json_object_get(t, "accepted")) + accepted));
}

json_t *store_visit_offers_report(struct db *db, const char *region, const char *from, const char *to)
{
    static const char SQL[] =
        "SELECT o.kind, coalesce(o.program, ''), count(*), sum(CASE WHEN o.response = 'accepted' THEN 1 ELSE 0 END)"
        " FROM visit_offers o JOIN residents r ON r.id = o.resident_id"
        " WHERE r.region >= ?1 AND r.region < ?1 || ';' AND o.offered_on BETWEEN ?2 AND ?3"
        " GROUP BY o.kind, coalesce(o.program, '') ORDER BY 1, 2";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_text(st, 1, region);
    db_bind_text(st, 2, from);
    db_bind_text(st, 3, to);
    json_t *out = json_pack("{s:o,s:o,s:o}", "enrol", tally(), "sign", tally(), "by_program", json_object());
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *kind = db_column_text(st, 0), *program = db_column_text(st, 1);
        int64_t offered = db_column_int(st, 2), accepted = db_column_int(st, 3);
        count(json_object_get(out, !strcmp(kind, "enrol") ? "enrol" : "sign"), offered, accepted);
        if (program[0]) {
            json_t *by = json_object_get(out, "by_program");
            if (!json_object_get(by, program)) json_object_set_new(by, program, tally());
            count(json_object_get(by, program), offered, accepted);
        }
    }
    if (rc != DB_DONE) {
        json_decref(out);
        return NULL;
    }
    return out;
}
