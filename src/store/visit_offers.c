/* visit_offers.c (store) - see visit_offers.h. */
#include "store/visit_offers.h"

#include <stdio.h>
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

static json_t *tally(void)
{
    return json_pack("{s:i,s:i}", "offered", 0, "accepted", 0);
}

static void count(json_t *t, int64_t offered, int64_t accepted)
{
    json_object_set_new(t, "offered",
                        json_integer(json_integer_value(json_object_get(t, "offered")) + offered));
    json_object_set_new(
        t, "accepted", json_integer(json_integer_value(json_object_get(t, "accepted")) + accepted));
}

json_t *store_visit_offers_report(struct db *db, const char *region, const char *from,
                                  const char *to)
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
    json_t *out =
        json_pack("{s:o,s:o,s:o}", "enrol", tally(), "sign", tally(), "by_program", json_object());
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

/* One item a person, created on first sight. */
static json_t *person_of(json_t *items, json_t *index, struct db_stmt *st)
{
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)db_column_int(st, 0));
    json_t *p = json_object_get(index, key);
    if (p) return p;
    p = json_pack("{s:I,s:s,s:s,s:s,s:I,s:[]}", "resident_id", (json_int_t)db_column_int(st, 0),
                  "name", db_column_text(st, 1), "sex", db_column_text(st, 2), "birth_date",
                  db_column_text(st, 3), "population_class", (json_int_t)db_column_int(st, 4),
                  "reasons");
    json_array_append_new(items, p);
    json_object_set(index, key, p);
    return p;
}

json_t *store_visit_day(struct db *db, int64_t team_id, const char *date)
{
    static const char SQL[] =
        "SELECT r.id, r.name, r.sex, r.birth_date, r.population_class, 'request', v.kind, v.confirmed_time"
        " FROM visit_requests v JOIN residents r ON r.id = v.resident_id"
        " WHERE v.team_id = ?1 AND v.status = 'confirmed' AND v.confirmed_date = ?2"
        " UNION ALL"
        " SELECT r.id, r.name, r.sex, r.birth_date, r.population_class, 'task', t.kind, t.program"
        " FROM tasks t JOIN residents r ON r.id = t.resident_id"
        " WHERE t.team_id = ?1 AND t.status = 'open' AND t.due_date = ?2"
        " AND t.kind IN ('followup', 'tb_visit', 'vaccination') AND r.status = 'alive'"
        " ORDER BY 2, 1";
    static const char DETAIL[] =
        "SELECT f.classification FROM followups f WHERE f.resident_id = ?1 AND f.classification IS NOT NULL"
        " AND NOT EXISTS (SELECT 1 FROM followups l WHERE l.resident_id = f.resident_id AND l.program = f.program"
        " AND (l.visit_date > f.visit_date OR (l.visit_date = f.visit_date AND l.id > f.id)))";
    static const char TASKS[] =
        "SELECT count(*) FROM tasks WHERE resident_id = ?1 AND status = 'open'";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, team_id);
    db_bind_text(st, 2, date);
    json_t *items = json_array(), *index = json_object();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *p = person_of(items, index, st);
        int request = !strcmp(db_column_text(st, 5), "request");
        json_t *reason =
            json_pack("{s:s,s:s}", "source", db_column_text(st, 5), "kind", db_column_text(st, 6));
        if (db_column_text(st, 7))
            json_object_set_new(reason, request ? "time" : "program",
                                json_string(db_column_text(st, 7)));
        json_array_append_new(json_object_get(p, "reasons"), reason);
    }
    json_decref(index);
    if (rc != DB_DONE) {
        json_decref(items);
        return NULL;
    }
    size_t i;
    json_t *p;
    json_array_foreach(items, i, p) {
        int64_t id = json_integer_value(json_object_get(p, "resident_id"));
        json_t *colours = json_array();
        int64_t due = 0;
        struct db_stmt *d = db_prepare(db, DETAIL);
        if (!d)
            rc = DB_ERROR;
        else {
            db_bind_int(d, 1, id);
            while ((rc = db_step(d)) == DB_ROW)
                json_array_append_new(colours, json_string(db_column_text(d, 0)));
        }
        struct db_stmt *c = rc == DB_DONE ? db_prepare(db, TASKS) : NULL;
        if (c) {
            db_bind_int(c, 1, id);
            due = db_query_int(c, 0);
        }
        json_object_set_new(p, "classifications", colours);
        json_object_set_new(p, "due_count", json_integer(due));
        if (rc != DB_DONE || !c) {
            json_decref(items);
            return NULL;
        }
    }
    return items;
}
