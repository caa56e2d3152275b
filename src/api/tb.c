/* tb.c (api) - tuberculosis patients in primary care (PROTOCOLS.md §14, domain/tb.c):
 *   POST /tb-cases/evaluate          the dry run of one visit, nothing stored (beside the
 *        programmes of POST /protocols/{program}/evaluate, whose list API.md fixes);
 *   POST /tb-cases                   the county TB institution's notice: a case for the
 *        patient's team, the TB enrolment, and the home visit due within 72 hours on the
 *        work list;
 *   GET  /tb-cases/{id}, GET /residents/{id}/tb-cases   the case with its visits, doses and
 *        adherence;
 *   POST /tb-cases/{id}/visits       a visit: the doses due and taken since the last one,
 *        what was found; the next visit by supervision mode and phase on the work list, more
 *        than a week of missed doses reported (a task to report it to the county TB
 *        institution at once), an adverse reaction or worsening referred at once to the
 *        designated hospital, and the closing assessment ending the case.
 * One transaction each, audited, scoped through the patient. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/clinical_loop.h"
#include "api/handlers.h"
#include "api/protocols.h"
#include "auth/scope.h"
#include "domain/tb.h"
#include "json/jsondump.h"
#include "json/jsonx.h"
#include "store/followups.h"
#include "store/population.h"
#include "store/residents.h"
#include "store/tb.h"
#include "store/work.h"

static const char *const SUPERVISIONS[] = {"medical",   "family", "volunteer",
                                           "e_pillbox", "self",   NULL};
static const char *const MODES[] = {"home_visit", "clinic", "phone", NULL};
static const char *const KINDS[] = {"first", "routine", "closing", NULL};
static const char *const OUTCOMES[] = {"cured", "completed",   "failed", "died",
                                       "lost",  "transferred", NULL};

/* The course a body describes: treatment_start, supervision, intensive_months (2),
 * course_months (6), notified_on (default the start). */
static int read_course(json_t *body, struct tb_course *c, struct jy_error *err)
{
    const char *supervision = NULL;
    int64_t intensive = 2, months = 6;
    int has_notice = 0;
    if (jx_date(body, "treatment_start", JX_REQUIRED, &c->start, NULL, err) < 0 ||
        jx_date(body, "notified_on", JX_OPTIONAL, &c->notified, &has_notice, err) < 0 ||
        jx_enum(body, "supervision", JX_REQUIRED, SUPERVISIONS, &supervision, err) < 0 ||
        jx_int(body, "intensive_months", JX_OPTIONAL, 1, 24, &intensive, NULL, err) < 0 ||
        jx_int(body, "course_months", JX_OPTIONAL, 1, 36, &months, NULL, err) < 0)
        return -1;
    if (intensive >= months)
        return jy_fail(err, 422, "invalid_field", "intensive_months", "shorter than the course");
    if (!has_notice) c->notified = c->start;
    c->intensive_months = (int)intensive;
    c->course_months = (int)months;
    c->supervision = (enum tb_supervision)tb_supervision_parse(supervision);
    return 0;
}

static json_t *result_json(const struct tb_course *c, const struct tb_result *res)
{
    json_t *reasons = json_array();
    for (int i = 0; i < res->n_reasons; i++)
        json_array_append_new(reasons, json_string(res->reasons[i]));
    char next[11], end[11], first[11];
    date_format(res->next_due, next);
    date_format(tb_course_end(c), end);
    date_format(tb_first_visit_due(c->notified), first);
    return json_pack("{s:s,s:s,s:b,s:b,s:o,s:i,s:s?,s:b,s:s,s:s}", "phase",
                     tb_phase_name(res->phase), "action", tb_action_name(res->action),
                     "report_missed", res->report_missed, "refer", res->refer, "reasons", reasons,
                     "missed_doses_total", res->missed_total, "next_due",
                     res->has_next ? next : NULL, "next_is_closing", res->next_is_closing,
                     "course_end", end, "first_visit_due", first);
}

int handle_tb_evaluate(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    struct tb_course c;
    struct tb_visit v = {0};
    int64_t before = 0, now = 0;
    int rc;
    if (read_course(body, &c, &err) < 0 ||
        jx_date(body, "visit_date", JX_REQUIRED, &v.date, NULL, &err) < 0 ||
        jx_int(body, "missed_doses_before", JX_OPTIONAL, 0, 1000, &before, NULL, &err) < 0 ||
        jx_int(body, "missed_doses", JX_OPTIONAL, 0, 1000, &now, NULL, &err) < 0 ||
        jx_bool(body, "adverse_reaction", JX_OPTIONAL, &v.adverse_reaction, NULL, &err) < 0 ||
        jx_bool(body, "worsening", JX_OPTIONAL, &v.worsening, NULL, &err) < 0 ||
        jx_bool(body, "closing", JX_OPTIONAL, &v.closing, NULL, &err) < 0) {
        rc = reply_error(r, &err);
    } else {
        v.missed_before = (int)before;
        v.missed_now = (int)now;
        struct tb_result res;
        tb_evaluate(&c, &v, &res);
        rc = reply_json(r, 200, result_json(&c, &res));
    }
    return rc;
}

static int open_visit_task(struct db *db, const struct tb_case_row *c, const char *due,
                           const char *kind, const char *note)
{
    struct task_input t = {.resident_id = c->resident_id,
                           .team_id = c->team_id,
                           .doctor_id = c->doctor_id,
                           .kind = kind,
                           .program = "tb",
                           .due_date = due,
                           .note = note,
                           .county_code = c->county};
    return store_task_insert(db, &t) < 0 ? -1 : 0;
}

int handle_tb_case_create(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    struct subject s = {0};
    struct tb_course c;
    int64_t resident = 0;
    const char *notified_by = NULL;
    struct date today = date_today();
    int rc = -1;
    if (jx_int(body, "resident_id", JX_REQUIRED, 1, INT64_MAX, &resident, NULL, &err) < 0 ||
        read_course(body, &c, &err) < 0 ||
        jx_string(body, "notified_by", JX_OPTIONAL, 100, &notified_by, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    if (!json_object_get(body, "notified_on")) {
        rc = reply_problem(r, 422, "missing_field", "notified_on");
        goto done;
    }
    if (date_compare(c.notified, today) > 0) {
        rc = reply_problem(r, 422, "invalid_field", "notified_on");
        goto done;
    }
    if (date_compare(c.start, today) > 0) {
        rc = reply_problem(r, 422, "invalid_field", "treatment_start");
        goto done;
    }
    if (scope_require_resident(r, resident) < 0 || api_subject_load_or_reply(r, resident, &s) < 0)
        goto done;
    char notified[11], start[11], first_due[11];
    date_format(c.notified, notified);
    date_format(c.start, start);
    date_format(tb_first_visit_due(c.notified), first_due);
    struct tb_case_input in = {
        resident, s.team_id,          s.doctor_id,    r->user.user_id,
        notified, notified_by,        start,          tb_supervision_name(c.supervision),
        s.county, c.intensive_months, c.course_months};
    if (api_begin(r) < 0) goto done;
    int64_t id = store_tb_case_insert(r->db, &in);
    if (id == DB_CONSTRAINT) {
        jy_fail(&err, 409, "case_open", "resident_id", NULL);
        api_fail(r, &err);
        goto done;
    }
    struct tb_case_row row;
    if (id < 0 || store_tb_case_get(r->db, id, &row) != 1 ||
        store_tb_enrol(r->db, resident, notified) < 0 ||
        store_recompute_household(r->db, store_resident_household(r->db, resident), resident,
                                  today) < 0 ||
        open_visit_task(r->db, &row, first_due, "tb_visit", "first_visit") < 0) {
        api_fail_internal(r, "tb case");
        goto done;
    }
    if (api_audit(r, "create", "tb_case", id, resident) < 0 || api_commit(r) < 0) goto done;
    json_t *out = store_tb_case_json(r->db, id);
    rc = out ? reply_json(r, 201, out) : reply_problem(r, 500, "internal_error", NULL);
done:
    json_decref(s.resident);
    return rc;
}

/* The case named by the path, inside the caller's scope: 1 and *row, or -1 (replied). */
static int require_case(struct request *r, struct tb_case_row *row)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    int found = store_tb_case_get(r->db, id, row);
    if (found < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (scope_require_resident_of(r, found ? row->resident_id : STORE_NOT_FOUND) < 0) return -1;
    return 1;
}

int handle_tb_case_get(struct request *r)
{
    struct tb_case_row row;
    if (require_case(r, &row) < 0) return -1;
    json_t *out = store_tb_case_json(r->db, row.id);
    if (!out) return reply_problem(r, 500, "internal_error", NULL);
    char id_text[24];
    snprintf(id_text, sizeof id_text, "%lld", (long long)row.id);
    if (api_audit_read(r, "tb_case", id_text, row.resident_id) < 0) {
        json_decref(out);
        return -1;
    }
    return reply_json(r, 200, out);
}

int handle_resident_tb_cases(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_resident(r, id) < 0) return -1;
    return api_reply_resident_items(r, id, "tb_cases", store_tb_cases_of(r->db, id));
}

struct visit_body {
    struct tb_visit v;
    const char *kind, *mode, *supervision, *outcome, *note;
    int64_t due, taken;
};

static int read_visit(json_t *body, const struct tb_case_row *c, struct date today,
                      struct visit_body *b, struct jy_error *err)
{
    memset(b, 0, sizeof *b);
    if (jx_date(body, "visit_date", JX_REQUIRED, &b->v.date, NULL, err) < 0 ||
        jx_enum(body, "mode", JX_REQUIRED, MODES, &b->mode, err) < 0 ||
        jx_enum(body, "kind", JX_OPTIONAL, KINDS, &b->kind, err) < 0 ||
        jx_enum(body, "supervision", JX_OPTIONAL, SUPERVISIONS, &b->supervision, err) < 0 ||
        jx_enum(body, "outcome", JX_OPTIONAL, OUTCOMES, &b->outcome, err) < 0 ||
        jx_int(body, "doses_due", JX_OPTIONAL, 0, 400, &b->due, NULL, err) < 0 ||
        jx_int(body, "doses_taken", JX_OPTIONAL, 0, 400, &b->taken, NULL, err) < 0 ||
        jx_bool(body, "adverse_reaction", JX_OPTIONAL, &b->v.adverse_reaction, NULL, err) < 0 ||
        jx_bool(body, "worsening", JX_OPTIONAL, &b->v.worsening, NULL, err) < 0 ||
        jx_string(body, "note", JX_OPTIONAL, 500, &b->note, err) < 0)
        return -1;
    if (date_compare(b->v.date, c->course.notified) < 0 || date_compare(b->v.date, today) > 0)
        return jy_fail(err, 422, "invalid_field", "visit_date", "between the notice and today");
    if (b->taken > b->due)
        return jy_fail(err, 422, "invalid_field", "doses_taken", "at most doses_due");
    if (!b->kind) b->kind = c->visits ? "routine" : "first";
    if (!strcmp(b->kind, "first") && c->visits)
        return jy_fail(err, 422, "invalid_field", "kind", "the first visit is done");
    b->v.closing = !strcmp(b->kind, "closing");
    if (b->v.closing && !b->outcome) return jy_fail(err, 422, "missing_field", "outcome", NULL);
    if (!b->v.closing && b->outcome)
        return jy_fail(err, 422, "invalid_field", "outcome", "only at the closing visit");
    b->v.missed_before = c->doses_due - c->doses_taken;
    b->v.missed_now = (int)(b->due - b->taken);
    return 0;
}

/* The urgent referral to the designated hospital an adverse reaction or worsening calls for. */
static int refer_at_once(struct request *r, const struct tb_case_row *c, const char *visit_date,
                         const char *today, const struct tb_visit *v, const char *reasons,
                         json_t *created)
{
    struct protocol_config config = store_protocol_config(r->db);
    struct referral_plan plan = {TARGET_INFECTIOUS, 1, config.urgent_referral_confirm_days,
                                 v->adverse_reaction ? "adverse_reaction" : "worsening_symptoms",
                                 "emergency"};
    struct loop_subject s = {c->resident_id, c->team_id, c->doctor_id, c->county,
                             "tb",           visit_date, today,        0};
    return loop_refer(r, &s, &plan, reasons, created);
}

int handle_tb_visit_create(struct request *r)
{
    struct tb_case_row c;
    if (require_case(r, &c) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    struct visit_body b;
    struct date today = date_today();
    json_t *referrals = json_array(), *evaluation = NULL;
    char *reasons = NULL;
    int rc = -1;
    if (!c.open) {
        rc = reply_problem(r, 409, "case_closed", NULL);
        goto done;
    }
    if (read_visit(body, &c, today, &b, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    if (b.supervision)
        c.course.supervision = (enum tb_supervision)tb_supervision_parse(b.supervision);
    struct tb_result res;
    tb_evaluate(&c.course, &b.v, &res);
    evaluation = result_json(&c.course, &res);
    reasons = jsonx_dumps(json_object_get(evaluation, "reasons"));
    char visit[11], next[11], today_text[11];
    date_format(b.v.date, visit);
    date_format(res.next_due, next);
    date_format(today, today_text);
    struct tb_visit_input in = {c.id,
                                c.resident_id,
                                r->user.staff_id,
                                r->user.user_id,
                                visit,
                                b.kind,
                                b.mode,
                                tb_phase_name(res.phase),
                                tb_supervision_name(c.course.supervision),
                                tb_action_name(res.action),
                                reasons,
                                res.has_next ? next : NULL,
                                b.note,
                                c.county,
                                (int)b.due,
                                (int)b.taken,
                                b.v.adverse_reaction,
                                b.v.worsening};
    if (!reasons) {
        rc = reply_problem(r, 500, "internal_error", NULL);
        goto done;
    }
    if (api_begin(r) < 0) goto done;
    int64_t id = store_tb_visit_insert(r->db, &in);
    int ok = id > 0 && store_tasks_close(r->db, c.resident_id, "tb_visit", "tb") >= 0 &&
             (!b.supervision || store_tb_case_set_supervision(r->db, c.id, b.supervision) == 0) &&
             (!res.has_next || open_visit_task(r->db, &c, next, "tb_visit",
                                               res.next_is_closing ? "closing" : "visit") == 0) &&
             (!res.report_missed ||
              (store_tb_case_missed_reported(r->db, c.id, visit) == 0 &&
               open_visit_task(r->db, &c, visit, "tb_report", "missed_doses") == 0)) &&
             (!res.refer || refer_at_once(r, &c, visit, today_text, &b.v, reasons, referrals) == 0);
    if (ok && b.v.closing)
        ok = store_tb_case_close(r->db, c.id, c.resident_id, visit, b.outcome) == 0 &&
             store_recompute_household(r->db, store_resident_household(r->db, c.resident_id),
                                       c.resident_id, today) >= 0;
    if (!ok) {
        api_fail_internal(r, "tb visit");
        goto done;
    }
    if (api_audit(r, "create", "tb_visit", id, c.resident_id) < 0 || api_commit(r) < 0) goto done;
    json_t *after = store_tb_case_json(r->db, c.id);
    if (!after) {
        rc = reply_problem(r, 500, "internal_error", NULL);
        goto done;
    }
    json_t *out = json_pack("{s:I,s:O,s:O,s:o}", "id", (json_int_t)id, "evaluation", evaluation,
                            "referrals", referrals, "case", after);
    rc = reply_json(r, 201, out);
done:
    free(reasons);
    json_decref(evaluation);
    json_decref(referrals);
    return rc;
}
