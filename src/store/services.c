/* services.c (store) - see services.h. */
#include "store/services.h"

#include <stdio.h>
#include <string.h>

#include "store/home_care.h"

static void bind_id_or_null(struct db_stmt *st, int index, int64_t id)
{
    if (id > 0)
        db_bind_int(st, index, id);
    else
        db_bind_null(st, index);
}

int64_t store_encounter_insert(struct db *db, const struct encounter_input *in)
{
    static const char SQL[] =
        "INSERT INTO encounters (resident_id, encounter_date, institution_id, primary_care,"
        " in_county, team_id, staff_id, chronic_program, county_code, at_home, kind, discharge_date,"
        " diagnoses, doctor_name, cost_fen, treatment_changed, source)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, coalesce(?13, '[]'), ?14, ?15, ?16, ?17)"
        " RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    const char *kind = in->kind ? in->kind : in->at_home ? "home_visit" : "outpatient";
    db_bind_int(st, 1, in->resident_id);
    db_bind_text(st, 2, in->encounter_date);
    bind_id_or_null(st, 3, in->institution_id);
    db_bind_int(st, 4, in->primary_care != 0);
    db_bind_int(st, 5, in->in_county != 0);
    bind_id_or_null(st, 6, in->team_id);
    bind_id_or_null(st, 7, in->staff_id);
    db_bind_text(st, 8, in->chronic_program);
    db_bind_text(st, 9, in->county_code);
    db_bind_int(st, 10, in->at_home != 0 || !strcmp(kind, "home_visit"));
    db_bind_text(st, 11, kind);
    db_bind_text(st, 12, in->discharge_date);
    db_bind_text(st, 13, in->diagnoses);
    db_bind_text(st, 14, in->doctor_name);
    if (in->has_cost) db_bind_int(st, 15, in->cost_fen);
    db_bind_int(st, 16, in->treatment_changed != 0);
    db_bind_text(st, 17, in->source);
    int64_t id = db_insert_id(st);
    /* A home visit is the free annual one the old and the bedridden are owed (home_care.h). */
    if (id > 0 && (in->at_home || !strcmp(kind, "home_visit")) &&
        store_home_visit_made(db, in->resident_id) < 0)
        return -1;
    return id;
}

int64_t store_encounter_resident(struct db *db, int64_t id)
{
    struct db_stmt *st = db_prepare(db, "SELECT resident_id FROM encounters WHERE id = ?1");
    if (!st) return -1;
    db_bind_int(st, 1, id);
    int rc = db_step(st);
    if (rc == DB_DONE) return STORE_NOT_FOUND;
    if (rc != DB_ROW) return -1;
    int64_t resident = db_column_int(st, 0);
    return db_run(st) == DB_DONE ? resident : -1;
}

int store_encounter_delete(struct db *db, int64_t id)
{
    struct db_stmt *st = db_prepare(db, "DELETE FROM encounters WHERE id = ?1");
    if (!st) return -1;
    db_bind_int(st, 1, id);
    if (db_run(st) != DB_DONE) return -1;
    return (int)db_changes(db);
}

/* Sets key to the column's integer, or null. */
static void set_id(json_t *o, const char *key, struct db_stmt *st, int col)
{
    json_object_set_new(
        o, key, db_column_is_null(st, col) ? json_null() : json_integer(db_column_int(st, col)));
}

static void set_text(json_t *o, const char *key, struct db_stmt *st, int col)
{
    const char *t = db_column_is_null(st, col) ? NULL : db_column_text(st, col);
    json_object_set_new(o, key, t ? json_string(t) : json_null());
}

/* One resident's rows of `sql` (resident id as ?1), each made into an object by `row`. */
static json_t *resident_rows(struct db *db, const char *sql, int64_t resident_id,
                             json_t *(*row)(struct db_stmt *st, int64_t resident_id))
{
    struct db_stmt *st = db_prepare(db, sql);
    if (!st) return NULL;
    db_bind_int(st, 1, resident_id);
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(items, row(st, resident_id));
    if (rc != DB_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}

static json_t *encounter_row(struct db_stmt *st, int64_t resident_id)
{
    json_t *o = json_pack("{s:I, s:I, s:s, s:b, s:b}", "id", (json_int_t)db_column_int(st, 0),
                          "resident_id", (json_int_t)resident_id, "encounter_date",
                          db_column_text(st, 1), "primary_care", (int)db_column_int(st, 4),
                          "in_county", (int)db_column_int(st, 5));
    set_id(o, "institution_id", st, 2);
    set_text(o, "institution_name", st, 3);
    set_id(o, "team_id", st, 6);
    set_id(o, "staff_id", st, 7);
    set_text(o, "chronic_program", st, 8);
    json_object_set_new(o, "at_home", json_boolean(db_column_int(st, 9)));
    set_text(o, "kind", st, 10);
    set_text(o, "discharge_date", st, 11);
    json_t *diagnoses = json_loads(db_column_text(st, 12), 0, NULL);
    json_object_set_new(o, "diagnoses", diagnoses ? diagnoses : json_array());
    set_text(o, "doctor_name", st, 13);
    json_object_set_new(o, "cost_fen",
                        db_column_is_null(st, 14) ? json_null()
                                                  : json_integer(db_column_int(st, 14)));
    json_object_set_new(o, "treatment_changed", json_boolean(db_column_int(st, 15)));
    set_text(o, "source", st, 16);
    return o;
}

json_t *store_encounters_list(struct db *db, int64_t resident_id)
{
    static const char SQL[] =
        "SELECT e.id, e.encounter_date, e.institution_id, i.name, e.primary_care, e.in_county,"
        " e.team_id, e.staff_id, e.chronic_program, e.at_home, e.kind, e.discharge_date, e.diagnoses,"
        " e.doctor_name, e.cost_fen, e.treatment_changed, e.source FROM encounters e"
        " LEFT JOIN institutions i ON i.id = e.institution_id"
        " WHERE e.resident_id = ?1 ORDER BY e.encounter_date DESC, e.id DESC";
    return resident_rows(db, SQL, resident_id, encounter_row);
}

int64_t store_referral_insert(struct db *db, const struct referral_input *in)
{
    static const char SQL[] =
        "INSERT INTO referrals (resident_id, referred_on, direction, from_institution_id,"
        " to_institution_id, reason, county_code, followup_id, target_level, urgent, reasons,"
        " category, department, summary, sent_by)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) RETURNING id";
    static const char EVENT[] = "INSERT INTO referral_events (referral_id, to_status, by_user)"
                                " VALUES (?1, 'requested', ?2)";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, in->resident_id);
    db_bind_text(st, 2, in->referred_on);
    db_bind_text(st, 3, in->direction);
    bind_id_or_null(st, 4, in->from_institution_id);
    bind_id_or_null(st, 5, in->to_institution_id);
    db_bind_text(st, 6, in->reason);
    db_bind_text(st, 7, in->county_code);
    bind_id_or_null(st, 8, in->followup_id);
    db_bind_text(st, 9, in->target_level);
    db_bind_int(st, 10, in->urgent != 0);
    db_bind_text(st, 11, in->reasons);
    db_bind_text(st, 12, in->category);
    db_bind_text(st, 13, in->department);
    db_bind_text(st, 14, in->summary);
    bind_id_or_null(st, 15, in->sent_by);
    int64_t id = db_insert_id(st);
    if (id < 0 || !(st = db_prepare(db, EVENT))) return -1;
    db_bind_int(st, 1, id);
    bind_id_or_null(st, 2, in->sent_by);
    return db_run(st) == DB_DONE ? id : -1;
}

static json_t *referral_row(struct db_stmt *st, int64_t resident_id)
{
    json_t *o =
        json_pack("{s:I, s:I, s:s, s:s, s:b}", "id", (json_int_t)db_column_int(st, 0),
                  "resident_id", (json_int_t)resident_id, "referred_on", db_column_text(st, 1),
                  "direction", db_column_text(st, 2), "urgent", (int)db_column_int(st, 10));
    set_id(o, "from_institution_id", st, 3);
    set_text(o, "from_institution_name", st, 4);
    set_id(o, "to_institution_id", st, 5);
    set_text(o, "to_institution_name", st, 6);
    set_text(o, "reason", st, 7);
    set_id(o, "followup_id", st, 8);
    set_text(o, "target_level", st, 9);
    const char *reasons = db_column_is_null(st, 11) ? NULL : db_column_text(st, 11);
    json_t *list = reasons ? json_loads(reasons, 0, NULL) : NULL;
    json_object_set_new(o, "reasons", list ? list : json_array());
    set_text(o, "seen_on", st, 12);
    set_text(o, "status", st, 13);
    set_text(o, "category", st, 14);
    set_text(o, "department", st, 15);
    set_text(o, "returned_on", st, 16);
    return o;
}

json_t *store_referrals_list(struct db *db, int64_t resident_id)
{
    static const char SQL[] =
        "SELECT r.id, r.referred_on, r.direction, r.from_institution_id, f.name,"
        " r.to_institution_id, t.name, r.reason, r.followup_id, r.target_level, r.urgent,"
        " r.reasons, r.seen_on, r.status, r.category, r.department, r.returned_on FROM referrals r"
        " LEFT JOIN institutions f ON f.id = r.from_institution_id"
        " LEFT JOIN institutions t ON t.id = r.to_institution_id"
        " WHERE r.resident_id = ?1 ORDER BY r.referred_on DESC, r.id DESC";
    return resident_rows(db, SQL, resident_id, referral_row);
}

int64_t store_referral_destination(struct db *db, const char *county, const char *target_level)
{
    /* ?1 the city (first 4 digits), ?2 the level wanted, ?3 the county. */
    static const char SQL[] =
        "SELECT id FROM institutions WHERE level IN ('secondary', 'tertiary')"
        " AND substr(region, 1, 4) = ?1 ORDER BY level = ?2 DESC, substr(region, 1, 6) = ?3 DESC,"
        " kind = 'county_hospital' DESC, id LIMIT 1";
    char city[5];
    snprintf(city, sizeof city, "%.4s", county);
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, city);
    db_bind_text(st, 2, strcmp(target_level, "tertiary") == 0 ? "tertiary" : "secondary");
    db_bind_text(st, 3, county);
    int rc = db_step(st);
    if (rc != DB_ROW) return rc == DB_DONE ? 0 : -1; /* none fits, or an error */
    int64_t id = db_column_int(st, 0);
    return db_run(st) == DB_DONE ? id : -1;
}

int64_t store_referral_resident(struct db *db, int64_t id, char referred_on[11])
{
    static const char SQL[] = "SELECT resident_id, referred_on FROM referrals WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    int rc = db_step(st);
    if (rc != DB_ROW)
        return rc == DB_DONE ? STORE_NOT_FOUND : -1; /* no such referral, or an error */
    int64_t resident = db_column_int(st, 0);
    snprintf(referred_on, 11, "%s", db_column_text(st, 1));
    return db_run(st) == DB_DONE ? resident : -1;
}

int store_referral_seen(struct db *db, int64_t id, const char *seen_on)
{
    static const char SEEN[] =
        "UPDATE referrals SET seen_on = ?2, status = 'seen' WHERE id = ?1 AND seen_on IS NULL"
        " AND status IN ('requested', 'accepted')";
    static const char EVENT[] =
        "INSERT INTO referral_events (referral_id, from_status, to_status, at)"
        " VALUES (?1, 'requested', 'seen', ?2 || 'T12:00:00Z')";
    static const char CLOSE[] =
        "UPDATE tasks SET status = 'done', closed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
        " WHERE referral_id = ?1 AND status = 'open'";
    struct db_stmt *st = db_prepare(db, SEEN);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, seen_on);
    if (db_run(st) != DB_DONE) return -1;
    if (db_changes(db) == 0) return 0;
    if (!(st = db_prepare(db, EVENT))) return -1;
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, seen_on);
    if (db_run(st) != DB_DONE) return -1;
    if (!(st = db_prepare(db, CLOSE))) return -1;
    db_bind_int(st, 1, id);
    return db_run(st) == DB_DONE ? 1 : -1;
}

int store_satisfaction_answered(struct db *db, int64_t resident_id, int64_t team_id,
                                const char *from, const char *to)
{
    static const char SQL[] =
        "SELECT EXISTS (SELECT 1 FROM satisfaction_answers WHERE resident_id = ?1 AND team_id IS NOT DISTINCT FROM ?2"
        " AND answered_on >= ?3 AND answered_on <= ?4)";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    bind_id_or_null(st, 2, team_id);
    db_bind_text(st, 3, from);
    db_bind_text(st, 4, to);
    return (int)db_query_int(st, -1);
}

int64_t store_satisfaction_insert(struct db *db, int64_t resident_id, const char *answered_on,
                                  int64_t team_id, int score, const char *county_code,
                                  const char *channel, int knows_doctor, int64_t recorded_by)
{
    static const char SQL[] =
        "INSERT INTO satisfaction_answers (resident_id, answered_on, team_id, score, county_code, channel,"
        " recorded_by, knows_doctor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, answered_on);
    bind_id_or_null(st, 3, team_id);
    db_bind_int(st, 4, score);
    db_bind_text(st, 5, county_code);
    db_bind_text(st, 6, channel);
    bind_id_or_null(st, 7, recorded_by);
    if (knows_doctor >= 0)
        db_bind_int(st, 8, knows_doctor);
    else
        db_bind_null(st, 8);
    return db_insert_id(st);
}

int store_institution_level_region(struct db *db, int64_t id, char level[16], char region[16])
{
    static const char SQL[] = "SELECT level, region FROM institutions WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    int rc = db_step(st);
    if (rc != DB_ROW) return rc == DB_DONE ? STORE_NOT_FOUND : -1;
    snprintf(level, 16, "%s", db_column_text(st, 0));
    snprintf(region, 16, "%s", db_column_text(st, 1));
    db_run(st);
    return 0;
}

static int exists(struct db *db, const char *sql, int64_t id)
{
    struct db_stmt *st = db_prepare(db, sql);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    int64_t n = db_query_int(st, -1);
    return n < 0 ? -1 : n > 0;
}

int store_team_exists(struct db *db, int64_t team_id)
{
    return exists(db, "SELECT count(*) FROM teams WHERE id = ?1", team_id);
}

int store_staff_exists(struct db *db, int64_t staff_id)
{
    return exists(db, "SELECT count(*) FROM staff WHERE id = ?1", staff_id);
}

int store_resident_exists(struct db *db, int64_t resident_id)
{
    return exists(db, "SELECT count(*) FROM residents WHERE id = ?1", resident_id);
}

int64_t store_active_contract_team(struct db *db, int64_t resident_id)
{
    static const char SQL[] =
        "SELECT team_id FROM contracts WHERE resident_id = ?1 AND status = 'active'"
        " ORDER BY start_date DESC LIMIT 1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    return db_query_int(st, 0);
}
