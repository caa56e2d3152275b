/* copd.c (api) - COPD follow-up (慢阻肺随访, domain/copd.h, docs/copd.md):
 *   POST /copd/evaluate                 the dry run of one visit, nothing stored;
 *   GET  /residents/{id}/copd-visits    the patient's visits, newest first;
 *   POST /residents/{id}/copd-visits    a visit of an enrolled patient: the group, grade and
 *        action the rules give, the next visit on the team's work list (the open COPD visit
 *        closed), a severe exacerbation referred at once and a frequent exacerbator's
 *        treatment reviewed by the respiratory department.
 * The enrolment (POST /enrolments program copd) puts the first visit on the work list. One
 * transaction each, audited, scoped through the patient. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/clinical_loop.h"
#include "api/handlers.h"
#include "api/protocols.h"
#include "auth/scope.h"
#include "domain/copd.h"
#include "json/jsondump.h"
#include "json/jsonx.h"
#include "store/copd.h"
#include "store/followups.h"
#include "store/work.h"

static const char *const MODES[] = {"clinic", "home_visit", "phone", NULL};

/* The findings of a visit in `body`. */
static int read_visit(json_t *body, struct copd_visit *v, struct jy_error *err)
{
    int64_t mmrc, cat, moderate = 0, hospitalised = 0, spo2 = 0, rate = 0, fev1 = 0;
    memset(v, 0, sizeof *v);
    if (jx_date(body, "visit_date", JX_REQUIRED, &v->date, NULL, err) < 0 ||
        jx_int(body, "mmrc", JX_REQUIRED, 0, 4, &mmrc, NULL, err) < 0 ||
        jx_int(body, "cat", JX_REQUIRED, 0, 40, &cat, NULL, err) < 0 ||
        jx_int(body, "exacerbations_moderate", JX_OPTIONAL, 0, 50, &moderate, NULL, err) < 0 ||
        jx_int(body, "exacerbations_hospitalised", JX_OPTIONAL, 0, 50, &hospitalised, NULL, err) <
            0 ||
        jx_bool(body, "acute", JX_OPTIONAL, &v->acute, NULL, err) < 0 ||
        jx_bool(body, "danger_signs", JX_OPTIONAL, &v->danger_signs, NULL, err) < 0 ||
        jx_int(body, "spo2", JX_OPTIONAL, 50, 100, &spo2, &v->has_spo2, err) < 0 ||
        jx_int(body, "respiratory_rate", JX_OPTIONAL, 5, 80, &rate, &v->has_respiratory_rate, err) <
            0 ||
        jx_int(body, "fev1_pct", JX_OPTIONAL, 5, 150, &fev1, &v->has_fev1, err) < 0 ||
        jx_bool(body, "smoking", JX_OPTIONAL, &v->smoking, NULL, err) < 0 ||
        jx_bool(body, "inhaler_ok", JX_OPTIONAL, &v->inhaler_ok, &v->has_inhaler_ok, err) < 0)
        return -1;
    v->mmrc = (int)mmrc;
    v->cat = (int)cat;
    v->exacerbations_moderate = (int)moderate;
    v->exacerbations_hospitalised = (int)hospitalised;
    v->spo2 = (int)spo2;
    v->respiratory_rate = (int)rate;
    v->fev1_pct = (int)fev1;
    return 0;
}

static json_t *result_json(const struct copd_result *res)
{
    json_t *reasons = json_array();
    for (int i = 0; i < res->n_reasons; i++)
        json_array_append_new(reasons, json_string(res->reasons[i]));
    char next[11];
    date_format(res->next_due, next);
    json_t *o = json_pack("{s:s,s:s,s:o,s:s,s:b}", "group", copd_group_name(res->group), "action",
                          copd_action_name(res->action), "reasons", reasons, "next_due", next,
                          "spirometry_due", res->spirometry_due);
    json_object_set_new(o, "gold_grade",
                        res->gold_grade ? json_integer(res->gold_grade) : json_null());
    return o;
}

int handle_copd_evaluate(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    struct copd_visit v;
    int rc;
    if (read_visit(body, &v, &err) < 0 ||
        jx_date(body, "last_spirometry", JX_OPTIONAL, &v.last_spirometry, &v.has_last_spirometry,
                &err) < 0 ||
        jx_date(body, "last_review", JX_OPTIONAL, &v.last_review, &v.has_last_review, &err) < 0) {
        rc = reply_error(r, &err);
    } else {
        struct protocol_config config = store_protocol_config(r->db);
        struct copd_result res;
        copd_evaluate(&v, &config, &res);
        rc = reply_json(r, 200, result_json(&res));
    }
    return rc;
}

int handle_resident_copd_visits(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_resident(r, id) < 0) return -1;
    return api_reply_resident_items(r, id, "copd_visits", store_copd_visits_of(r->db, id));
}

int api_copd_task(struct db *db, const struct subject *s, int64_t resident, const char *due,
                  const char *note)
{
    struct task_input t = {.resident_id = resident,
                           .team_id = s->team_id,
                           .doctor_id = s->doctor_id,
                           .kind = "copd_visit",
                           .program = "copd",
                           .due_date = due,
                           .note = note,
                           .county_code = s->county};
    return store_task_insert(db, &t) < 0 ? -1 : 0;
}

/* The referral a visit's action calls for: at once to hospital for a severe exacerbation,
 * a treatment review at the respiratory department for a frequent exacerbator. */
static int refer(struct request *r, const struct subject *s, int64_t resident, const char *visit,
                 const char *today, const struct protocol_config *config,
                 const struct copd_result *res, const char *reasons, json_t *created)
{
    if (res->action != COPD_URGENT_REFER && res->action != COPD_REFER) return 0;
    int urgent = res->action == COPD_URGENT_REFER;
    struct referral_plan plan = {TARGET_SECONDARY, urgent,
                                 urgent ? config->urgent_referral_confirm_days
                                        : config->referral_confirm_days,
                                 urgent ? "copd_exacerbation" : "frequent_exacerbations",
                                 urgent ? "emergency" : "treatment_adjustment"};
    struct loop_subject ls = {resident, s->team_id, s->doctor_id, s->county,
                              "copd",   visit,      today,        0};
    return loop_refer(r, &ls, &plan, reasons, created);
}

int handle_copd_visit_create(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_resident(r, id) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    struct subject s = {0};
    struct copd_visit v;
    const char *mode = NULL, *note = NULL;
    struct date today = date_today(), enrolled;
    char start[11], visit[11], today_text[11];
    json_t *referrals = json_array(), *evaluation = NULL;
    char *reasons = NULL;
    int rc = -1;
    if (read_visit(body, &v, &err) < 0 ||
        jx_enum(body, "mode", JX_REQUIRED, MODES, &mode, &err) < 0 ||
        jx_string(body, "note", JX_OPTIONAL, 500, &note, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    if (api_subject_load_or_reply(r, id, &s) < 0) goto done;
    int enrolment = store_copd_enrolled(r->db, id, start);
    if (enrolment < 0) {
        rc = reply_problem(r, 500, "internal_error", NULL);
        goto done;
    }
    if (!enrolment) {
        rc = reply_problem(r, 422, "not_enrolled", "resident_id");
        goto done;
    }
    date_parse(start, &enrolled);
    if (date_compare(v.date, enrolled) < 0 || date_compare(v.date, today) > 0) {
        rc = reply_problem(r, 422, "invalid_date", "visit_date");
        goto done;
    }
    date_format(v.date, visit);
    date_format(today, today_text);
    if (api_begin(r) < 0) goto done;
    /* The spirometry the rules look back on is read inside the writer, with the visit. */
    int spirometry = store_copd_last_spirometry(r->db, id, visit, &v.last_spirometry);
    if (spirometry < 0) {
        api_fail_internal(r, "copd spirometry");
        goto done;
    }
    v.has_last_spirometry = spirometry;
    int review = store_copd_last_review(r->db, id, visit, &v.last_review);
    if (review < 0) {
        api_fail_internal(r, "copd review");
        goto done;
    }
    v.has_last_review = review;
    /* A visit dated before the latest would reschedule from the past: visits come in order. */
    struct date latest;
    int visited = store_copd_last_visit(r->db, id, &latest);
    if (visited < 0) {
        api_fail_internal(r, "copd last visit");
        goto done;
    }
    if (visited && date_compare(v.date, latest) < 0) {
        api_rollback(r);
        rc = reply_problem(r, 422, "earlier_than_recorded", "visit_date");
        goto done;
    }
    struct protocol_config config = store_protocol_config(r->db);
    struct copd_result res;
    copd_evaluate(&v, &config, &res);
    evaluation = result_json(&res);
    reasons = jsonx_dumps(json_object_get(evaluation, "reasons"));
    char next[11];
    date_format(res.next_due, next);
    struct copd_visit_input in = {
        id, r->user.staff_id, r->user.user_id, mode, note, s.county, reasons, &v, &res};
    int64_t visit_id = reasons ? store_copd_visit_insert(r->db, &in) : -1;
    if (visit_id < 0 || store_tasks_close(r->db, id, "copd_visit", "copd") < 0 ||
        api_copd_task(r->db, &s, id, next, res.spirometry_due ? "spirometry_due" : "visit") < 0 ||
        refer(r, &s, id, visit, today_text, &config, &res, reasons, referrals) < 0) {
        api_fail_internal(r, "copd visit");
        goto done;
    }
    if (api_audit(r, "create", "copd_visit", visit_id, id) < 0 || api_commit(r) < 0) goto done;
    json_t *out = json_pack("{s:I,s:I,s:s,s:O,s:O}", "id", (json_int_t)visit_id, "resident_id",
                            (json_int_t)id, "visit_date", visit, "evaluation", evaluation,
                            "referrals", referrals);
    rc = reply_json(r, 201, out);
done:
    free(reasons);
    json_decref(evaluation);
    json_decref(referrals);
    json_decref(s.resident);
    return rc;
}
