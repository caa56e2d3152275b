/* sickbeds.c (api) - family sickbeds (家庭病床, issue 19; seeds 003, 004):
 *   POST /residents/{id}/sickbeds {admitted_on, diagnosis, reason?, round_days?}  建床: the
 *        bed for the resident's team, its first round on the work list;
 *   POST /sickbeds/{id}/rounds {date, note?}  巡诊: a round, recorded as the home visit it is
 *        (an encounter of kind home_visit by the caller's team), the next round on the work
 *        list a round interval later;
 *   POST /sickbeds/{id}/discharge {date, outcome, note?}  撤床: the bed closed, its round
 *        task with it;
 *   GET  /residents/{id}/sickbeds  the person's beds with their rounds and next round.
 * One transaction each, audited, scoped through the patient. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "api/protocols.h"
#include "auth/scope.h"
#include "domain/icd10.h"
#include "json/jsonx.h"
#include "store/followups.h"
#include "store/services.h"
#include "store/sickbeds.h"
#include "store/work.h"

static int round_task(struct db *db, const struct sickbed_row *b, struct date from)
{
    char due[11];
    date_format(date_add_days(from, b->round_days), due);
    struct task_input t = {.resident_id = b->resident_id,
                           .team_id = b->team_id,
                           .doctor_id = b->doctor_id,
                           .kind = "sickbed_round",
                           .due_date = due,
                           .note = "sickbed",
                           .county_code = b->county};
    return store_task_insert(db, &t) < 0 ? -1 : 0;
}

/* A date the body names, between `not_before` and today. */
static int read_day(json_t *body, const char *field, struct date not_before, struct date *out,
                    char text[11], struct jy_error *err)
{
    if (jx_date(body, field, JX_REQUIRED, out, NULL, err) < 0) return -1;
    if (date_compare(*out, not_before) < 0 || date_compare(*out, date_today()) > 0)
        return jy_fail(err, 422, "invalid_field", field,
                       "not before the admission nor after today");
    date_format(*out, text);
    return 0;
}

int handle_sickbed_create(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_resident(r, id) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    struct subject s = {0};
    const char *diagnosis = NULL, *reason = NULL;
    int64_t round_days = 7;
    struct date admitted;
    char admitted_text[11];
    int rc = -1;
    if (read_day(body, "admitted_on", (struct date){1900, 1, 1}, &admitted, admitted_text, &err) <
            0 ||
        jx_string(body, "diagnosis", JX_REQUIRED, 16, &diagnosis, &err) < 0 ||
        jx_string(body, "reason", JX_OPTIONAL, 200, &reason, &err) < 0 ||
        jx_int(body, "round_days", JX_OPTIONAL, 1, 30, &round_days, NULL, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    if (!icd10_valid(diagnosis)) {
        rc = reply_problem(r, 422, "invalid_field", "diagnosis");
        goto done;
    }
    if (api_subject_load_or_reply(r, id, &s) < 0) goto done;
    struct sickbed_input in = {id,        s.team_id, s.doctor_id, r->user.user_id, admitted_text,
                               diagnosis, reason,    s.county,    (int)round_days};
    if (api_begin(r) < 0) goto done;
    int64_t bed = store_sickbed_insert(r->db, &in);
    if (bed == DB_CONSTRAINT) {
        jy_fail(&err, 409, "sickbed_open", "resident_id", NULL);
        api_fail(r, &err);
        goto done;
    }
    struct sickbed_row row;
    if (bed < 0 || store_sickbed_get(r->db, bed, &row) != 1 ||
        round_task(r->db, &row, admitted) < 0) {
        api_fail_internal(r, "sickbed");
        goto done;
    }
    if (api_audit(r, "create", "sickbed", bed, id) < 0 || api_commit(r) < 0) goto done;
    json_t *out = store_sickbed_json(r->db, bed);
    rc = out ? reply_json(r, 201, out) : reply_problem(r, 500, "internal_error", NULL);
done:
    json_decref(s.resident);
    return rc;
}

/* The bed named by the path, open, inside the caller's scope: 0 and *row, or -1 (replied). */
static int require_open_bed(struct request *r, struct sickbed_row *row)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    int found = store_sickbed_get(r->db, id, row);
    if (found < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (scope_require_resident_of(r, found ? row->resident_id : STORE_NOT_FOUND) < 0) return -1;
    if (strcmp(row->status, "open") != 0) return reply_problem(r, 409, "sickbed_closed", NULL);
    return 0;
}

int handle_sickbed_round(struct request *r)
{
    struct sickbed_row b;
    if (require_open_bed(r, &b) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    struct date admitted, on;
    char day[11];
    const char *note = NULL;
    int rc = -1;
    date_parse(b.admitted_on, &admitted);
    if (read_day(body, "date", admitted, &on, day, &err) < 0 ||
        jx_string(body, "note", JX_OPTIONAL, 500, &note, &err) < 0) {
        return reply_error(r, &err);
    }
    /* The round is the home visit it was, by the bed's team (a paid service of its own, not
     * the contract's home visit). */
    struct encounter_input e = {b.resident_id,    day,  0,        1, 1, b.team_id,
                                r->user.staff_id, NULL, b.county, 1};
    e.kind = "home_visit";
    if (api_begin(r) < 0) return rc;
    int64_t encounter = store_encounter_insert(r->db, &e);
    int64_t round = encounter > 0
                        ? store_sickbed_round_insert(r->db, b.id, day, encounter, r->user.staff_id,
                                                     r->user.user_id, note)
                        : -1;
    if (round < 0 || store_tasks_close(r->db, b.resident_id, "sickbed_round", NULL) < 0 ||
        round_task(r->db, &b, on) < 0) {
        api_fail_internal(r, "sickbed round");
        return rc;
    }
    if (api_audit(r, "create", "sickbed_round", round, b.resident_id) < 0 || api_commit(r) < 0)
        return rc;
    json_t *out = store_sickbed_json(r->db, b.id);
    rc = out ? reply_json(r, 201, out) : reply_problem(r, 500, "internal_error", NULL);
    return rc;
}

int handle_sickbed_discharge(struct request *r)
{
    static const char *const OUTCOMES[] = {"recovered", "improved", "referred",
                                           "died",      "other",    NULL};
    struct sickbed_row b;
    if (require_open_bed(r, &b) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    struct date admitted, on;
    char day[11];
    const char *outcome = NULL;
    int rc = -1;
    date_parse(b.admitted_on, &admitted);
    if (read_day(body, "date", admitted, &on, day, &err) < 0 ||
        jx_enum(body, "outcome", JX_REQUIRED, OUTCOMES, &outcome, &err) < 0) {
        return reply_error(r, &err);
    }
    if (api_begin(r) < 0) return rc;
    if (store_sickbed_discharge(r->db, b.id, b.resident_id, day, outcome) < 0) {
        api_fail_internal(r, "sickbed discharge");
        return rc;
    }
    if (api_audit(r, "update", "sickbed", b.id, b.resident_id) < 0 || api_commit(r) < 0) return rc;
    json_t *out = store_sickbed_json(r->db, b.id);
    rc = out ? reply_json(r, 200, out) : reply_problem(r, 500, "internal_error", NULL);
    return rc;
}

int handle_resident_sickbeds(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_resident(r, id) < 0) return -1;
    return api_reply_resident_items(r, id, "sickbeds", store_sickbeds_of(r->db, id));
}
