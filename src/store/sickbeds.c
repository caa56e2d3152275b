/* sickbeds.c (store) - see sickbeds.h. */
#include "store/sickbeds.h"

#include <stdio.h>
#include <string.h>

#include "store/page.h"
#include "util/date.h"

int64_t store_sickbed_insert(struct db *db, const struct sickbed_input *in)
{
    static const char SQL[] =
        "INSERT INTO sickbeds (resident_id, admitted_on, diagnosis, reason, round_days, team_id, doctor_id,"
        " created_by, county_code) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, in->resident_id);
    db_bind_text(st, 2, in->admitted_on);
    db_bind_text(st, 3, in->diagnosis);
    db_bind_text(st, 4, in->reason);
    db_bind_int(st, 5, in->round_days);
    if (in->team_id) db_bind_int(st, 6, in->team_id);
    if (in->doctor_id) db_bind_int(st, 7, in->doctor_id);
    if (in->created_by) db_bind_int(st, 8, in->created_by);
    db_bind_text(st, 9, in->county_code);
    return db_insert_id(st);
}

int store_sickbed_get(struct db *db, int64_t id, struct sickbed_row *out)
{
    static const char SQL[] =
        "SELECT id, resident_id, coalesce(team_id, 0), coalesce(doctor_id, 0), admitted_on,"
        " status, county_code, round_days FROM sickbeds WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    int rc = db_step(st);
    if (rc != DB_ROW) return rc == DB_DONE ? 0 : -1;
    memset(out, 0, sizeof *out);
    out->id = db_column_int(st, 0);
    out->resident_id = db_column_int(st, 1);
    out->team_id = db_column_int(st, 2);
    out->doctor_id = db_column_int(st, 3);
    snprintf(out->admitted_on, sizeof out->admitted_on, "%s", db_column_text(st, 4));
    snprintf(out->status, sizeof out->status, "%s", db_column_text(st, 5));
    snprintf(out->county, sizeof out->county, "%s", db_column_text(st, 6));
    out->round_days = (int)db_column_int(st, 7);
    db_run(st);
    return 1;
}

json_t *store_sickbed_json(struct db *db, int64_t id)
{
    static const char BED[] =
        "SELECT id, resident_id, admitted_on, diagnosis, reason, round_days, status,"
        " discharged_on, outcome FROM sickbeds WHERE id = ?1";
    static const char ROUNDS[] =
        "SELECT r.id, r.round_date, r.encounter_id, s.name, r.note FROM sickbed_rounds r"
        " LEFT JOIN staff s ON s.id = r.staff_id WHERE r.sickbed_id = ?1"
        " ORDER BY r.round_date, r.id";
    struct db_stmt *st = db_prepare(db, BED);
    if (!st) return NULL;
    db_bind_int(st, 1, id);
    if (db_step(st) != DB_ROW) return NULL;
    json_t *o = json_pack("{s:I,s:I,s:s,s:s,s:s?,s:i,s:s,s:s?,s:s?}", "id",
                          (json_int_t)db_column_int(st, 0), "resident_id",
                          (json_int_t)db_column_int(st, 1), "admitted_on", db_column_text(st, 2),
                          "diagnosis", db_column_text(st, 3), "reason", db_column_text(st, 4),
                          "round_days", (int)db_column_int(st, 5), "status", db_column_text(st, 6),
                          "discharged_on", db_column_text(st, 7), "outcome", db_column_text(st, 8));
    db_run(st);
    json_t *rounds = json_array();
    char last[11];
    snprintf(last, sizeof last, "%s", json_string_value(json_object_get(o, "admitted_on")));
    if (!(st = db_prepare(db, ROUNDS))) {
        json_decref(o);
        json_decref(rounds);
        return NULL;
    }
    db_bind_int(st, 1, id);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *r = json_pack("{s:I,s:s,s:s?,s:s?}", "id", (json_int_t)db_column_int(st, 0),
                              "round_date", db_column_text(st, 1), "staff_name",
                              db_column_text(st, 3), "note", db_column_text(st, 4));
        json_object_set_new(r, "encounter_id",
                            db_column_is_null(st, 2) ? json_null()
                                                     : json_integer(db_column_int(st, 2)));
        snprintf(last, sizeof last, "%s", db_column_text(st, 1));
        json_array_append_new(rounds, r);
    }
    json_object_set_new(o, "rounds", rounds);
    /* The next round: a round interval after the last one (or the admission). */
    struct date from;
    char next[11];
    if (rc == DB_DONE && !strcmp(json_string_value(json_object_get(o, "status")), "open") &&
        date_parse(last, &from) == 0) {
        date_format(date_add_days(from, json_integer_value(json_object_get(o, "round_days"))),
                    next);
        json_object_set_new(o, "next_round", json_string(next));
    } else {
        json_object_set_new(o, "next_round", json_null());
    }
    if (rc != DB_DONE) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *store_sickbeds_of(struct db *db, int64_t resident_id)
{
    static const char SQL[] =
        "SELECT id FROM sickbeds WHERE resident_id = ?1 ORDER BY admitted_on DESC, id DESC";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, resident_id);
    return store_objects_by_id(db, st, 64, store_sickbed_json);
}

int64_t store_sickbed_round_insert(struct db *db, int64_t sickbed, const char *date,
                                   int64_t encounter, int64_t staff, int64_t user, const char *note)
{
    static const char SQL[] =
        "INSERT INTO sickbed_rounds (sickbed_id, round_date, encounter_id, staff_id,"
        " recorded_by, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, sickbed);
    db_bind_text(st, 2, date);
    if (encounter) db_bind_int(st, 3, encounter);
    if (staff) db_bind_int(st, 4, staff);
    if (user) db_bind_int(st, 5, user);
    db_bind_text(st, 6, note);
    return db_insert_id(st);
}

int store_sickbed_discharge(struct db *db, int64_t id, int64_t resident_id, const char *on,
                            const char *outcome)
{
    static const char SQL[] =
        "UPDATE sickbeds SET status = 'discharged', discharged_on = ?2, outcome = ?3 WHERE id = ?1 AND status = 'open'";
    static const char TASKS[] =
        "UPDATE tasks SET status = 'cancelled', closed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), outcome = 'discharged'"
        " WHERE resident_id = ?1 AND kind = 'sickbed_round' AND status = 'open'";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, on);
    db_bind_text(st, 3, outcome);
    if (db_run(st) != DB_DONE || db_changes(db) != 1 || !(st = db_prepare(db, TASKS))) return -1;
    db_bind_int(st, 1, resident_id);
    return db_run(st) == DB_DONE ? 0 : -1;
}
