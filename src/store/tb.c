/* tb.c (store) - see tb.h. */
#include "store/tb.h"

#include <stdio.h>
#include <string.h>

#include "store/page.h"

int64_t store_tb_case_insert(struct db *db, const struct tb_case_input *in)
{
    static const char SQL[] =
        "INSERT INTO tb_cases (resident_id, notified_on, notified_by, treatment_start, intensive_months,"
        " course_months, supervision, team_id, doctor_id, created_by, county_code)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, in->resident_id);
    db_bind_text(st, 2, in->notified_on);
    db_bind_text(st, 3, in->notified_by);
    db_bind_text(st, 4, in->treatment_start);
    db_bind_int(st, 5, in->intensive_months);
    db_bind_int(st, 6, in->course_months);
    db_bind_text(st, 7, in->supervision);
    if (in->team_id) db_bind_int(st, 8, in->team_id);
    if (in->doctor_id) db_bind_int(st, 9, in->doctor_id);
    if (in->created_by) db_bind_int(st, 10, in->created_by);
    db_bind_text(st, 11, in->county_code);
    return db_insert_id(st);
}

#define CASE_COLUMNS                                                                                           \
    "c.id, c.resident_id, coalesce(c.team_id, 0), coalesce(c.doctor_id, 0), c.notified_on, c.treatment_start," \
    " c.intensive_months, c.course_months, c.supervision, c.status, coalesce(c.closed_on, ''),"                \
    " coalesce(c.missed_reported_on, ''), c.county_code,"                                                      \
    " (SELECT count(*) FROM tb_visits v WHERE v.case_id = c.id),"                                              \
    " (SELECT coalesce(sum(v.doses_due), 0) FROM tb_visits v WHERE v.case_id = c.id),"                         \
    " (SELECT coalesce(sum(v.doses_taken), 0) FROM tb_visits v WHERE v.case_id = c.id)"

static void read_row(struct db_stmt *st, struct tb_case_row *out)
{
    memset(out, 0, sizeof *out);
    out->id = db_column_int(st, 0);
    out->resident_id = db_column_int(st, 1);
    out->team_id = db_column_int(st, 2);
    out->doctor_id = db_column_int(st, 3);
    date_parse(db_column_text(st, 4), &out->course.notified);
    date_parse(db_column_text(st, 5), &out->course.start);
    out->course.intensive_months = (int)db_column_int(st, 6);
    out->course.course_months = (int)db_column_int(st, 7);
    int s = tb_supervision_parse(db_column_text(st, 8));
    out->course.supervision = s < 0 ? TB_FAMILY : (enum tb_supervision)s;
    snprintf(out->status, sizeof out->status, "%s", db_column_text(st, 9));
    out->open = !strcmp(out->status, "open");
    snprintf(out->closed_on, sizeof out->closed_on, "%s", db_column_text(st, 10));
    snprintf(out->missed_reported_on, sizeof out->missed_reported_on, "%s", db_column_text(st, 11));
    snprintf(out->county, sizeof out->county, "%s", db_column_text(st, 12));
    out->visits = (int)db_column_int(st, 13);
    out->doses_due = (int)db_column_int(st, 14);
    out->doses_taken = (int)db_column_int(st, 15);
}

int store_tb_case_get(struct db *db, int64_t id, struct tb_case_row *out)
{
    static const char SQL[] = "SELECT " CASE_COLUMNS " FROM tb_cases c WHERE c.id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    int rc = db_step(st);
    if (rc != DB_ROW) return rc == DB_DONE ? 0 : -1;
    read_row(st, out);
    db_run(st);
    return 1;
}

static json_t *visits_json(struct db *db, int64_t case_id)
{
    static const char SQL[] =
        "SELECT id, visit_date, kind, mode, phase, supervision, doses_due, doses_taken, adverse_reaction, worsening,"
        " action, reasons, next_due, note FROM tb_visits WHERE case_id = ?1 ORDER BY visit_date, id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, case_id);
    json_t *list = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *reasons = json_loads(db_column_text(st, 11), 0, NULL);
        json_array_append_new(
            list,
            json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:i,s:i,s:b,s:b,s:s,s:o,s:s?,s:s?}", "id",
                      (json_int_t)db_column_int(st, 0), "visit_date", db_column_text(st, 1), "kind",
                      db_column_text(st, 2), "mode", db_column_text(st, 3), "phase",
                      db_column_text(st, 4), "supervision", db_column_text(st, 5), "doses_due",
                      (int)db_column_int(st, 6), "doses_taken", (int)db_column_int(st, 7),
                      "adverse_reaction", (int)db_column_int(st, 8), "worsening",
                      (int)db_column_int(st, 9), "action", db_column_text(st, 10), "reasons",
                      reasons ? reasons : json_array(), "next_due", db_column_text(st, 12), "note",
                      db_column_text(st, 13)));
    }
    if (rc != DB_DONE) {
        json_decref(list);
        return NULL;
    }
    return list;
}

static json_t *case_json(struct db *db, const struct tb_case_row *c, const char *notified_by,
                         const char *outcome)
{
    char notified[11], start[11], end[11], first_due[11];
    date_format(c->course.notified, notified);
    date_format(c->course.start, start);
    date_format(tb_course_end(&c->course), end);
    date_format(tb_first_visit_due(c->course.notified), first_due);
    json_t *visits = visits_json(db, c->id);
    if (!visits) return NULL;
    json_t *o = json_pack(
        "{s:I,s:I,s:s,s:s?,s:s,s:i,s:i,s:s,s:s,s:s,s:s,s:s?,s:s?,s:s?,s:i,s:i,s:i,s:o}", "id",
        (json_int_t)c->id, "resident_id", (json_int_t)c->resident_id, "notified_on", notified,
        "notified_by", notified_by, "treatment_start", start, "intensive_months",
        c->course.intensive_months, "course_months", c->course.course_months, "course_end", end,
        "first_visit_due", first_due, "supervision", tb_supervision_name(c->course.supervision),
        "status", c->status, "closed_on", c->closed_on[0] ? c->closed_on : NULL, "outcome", outcome,
        "missed_reported_on", c->missed_reported_on[0] ? c->missed_reported_on : NULL, "doses_due",
        c->doses_due, "doses_taken", c->doses_taken, "missed_doses", c->doses_due - c->doses_taken,
        "visits", visits);
    json_object_set_new(o, "adherence",
                        c->doses_due ? json_real((double)c->doses_taken / c->doses_due)
                                     : json_null());
    json_object_set_new(o, "team_id", c->team_id ? json_integer(c->team_id) : json_null());
    json_object_set_new(o, "doctor_id", c->doctor_id ? json_integer(c->doctor_id) : json_null());
    return o;
}

json_t *store_tb_case_json(struct db *db, int64_t id)
{
    static const char SQL[] =
        "SELECT " CASE_COLUMNS ", c.notified_by, c.outcome FROM tb_cases c WHERE c.id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, id);
    if (db_step(st) != DB_ROW) return NULL;
    struct tb_case_row c;
    read_row(st, &c);
    char notified_by[128] = "", outcome[16] = "";
    if (db_column_text(st, 16))
        snprintf(notified_by, sizeof notified_by, "%s", db_column_text(st, 16));
    if (db_column_text(st, 17)) snprintf(outcome, sizeof outcome, "%s", db_column_text(st, 17));
    db_run(st);
    return case_json(db, &c, notified_by[0] ? notified_by : NULL, outcome[0] ? outcome : NULL);
}

json_t *store_tb_cases_of(struct db *db, int64_t resident_id)
{
    static const char SQL[] =
        "SELECT id FROM tb_cases WHERE resident_id = ?1 ORDER BY notified_on DESC, id DESC";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, resident_id);
    return store_objects_by_id(db, st, 64, store_tb_case_json);
}

int64_t store_tb_visit_insert(struct db *db, const struct tb_visit_input *in)
{
    static const char SQL[] =
        "INSERT INTO tb_visits (case_id, resident_id, visit_date, kind, mode, phase, supervision, doses_due,"
        " doses_taken, adverse_reaction, worsening, action, reasons, next_due, note, staff_id, recorded_by,"
        " county_code) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"
        " RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, in->case_id);
    db_bind_int(st, 2, in->resident_id);
    db_bind_text(st, 3, in->visit_date);
    db_bind_text(st, 4, in->kind);
    db_bind_text(st, 5, in->mode);
    db_bind_text(st, 6, in->phase);
    db_bind_text(st, 7, in->supervision);
    db_bind_int(st, 8, in->doses_due);
    db_bind_int(st, 9, in->doses_taken);
    db_bind_int(st, 10, in->adverse_reaction);
    db_bind_int(st, 11, in->worsening);
    db_bind_text(st, 12, in->action);
    db_bind_text(st, 13, in->reasons);
    db_bind_text(st, 14, in->next_due);
    db_bind_text(st, 15, in->note);
    if (in->staff_id) db_bind_int(st, 16, in->staff_id);
    if (in->recorded_by) db_bind_int(st, 17, in->recorded_by);
    db_bind_text(st, 18, in->county_code);
    return db_insert_id(st);
}

static int run_update(struct db *db, const char *sql, int64_t id, const char *a, const char *b)
{
    struct db_stmt *st = db_prepare(db, sql);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, a);
    if (b) db_bind_text(st, 3, b);
    return db_run(st) == DB_DONE ? 0 : -1;
}

int store_tb_case_set_supervision(struct db *db, int64_t id, const char *supervision)
{
    static const char SQL[] = "UPDATE tb_cases SET supervision = ?2 WHERE id = ?1";
    return run_update(db, SQL, id, supervision, NULL);
}

int store_tb_case_missed_reported(struct db *db, int64_t id, const char *on)
{
    static const char SQL[] = "UPDATE tb_cases SET missed_reported_on = ?2 WHERE id = ?1";
    return run_update(db, SQL, id, on, NULL);
}

int store_tb_case_close(struct db *db, int64_t id, int64_t resident_id, const char *on,
                        const char *outcome)
{
    static const char CLOSE[] =
        "UPDATE tb_cases SET status = 'closed', closed_on = ?2, outcome = ?3 WHERE id = ?1";
    static const char END[] = "UPDATE enrolments SET end_date = ?2, end_reason = 'treatment_ended'"
                              " WHERE resident_id = ?1 AND program = 'tb' AND end_date IS NULL";
    return run_update(db, CLOSE, id, on, outcome) < 0 ? -1
                                                      : run_update(db, END, resident_id, on, NULL);
}

int store_tb_enrol(struct db *db, int64_t resident_id, const char *on)
{
    /* enrolments_active: one running enrolment a programme */
    static const char SQL[] =
        "INSERT INTO enrolments (resident_id, program, start_date) VALUES (?1, 'tb', ?2)"
        " ON CONFLICT DO NOTHING";
    return run_update(db, SQL, resident_id, on, NULL);
}
