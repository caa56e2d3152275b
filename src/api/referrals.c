/* referrals.c - the tracked referral (issue 15, docs/hospital-loop.md "Referrals").
 *
 * POST /referrals sends one: a family-doctor team refers up (or records a down-referral to
 * its own institution) with a summary of the record assembled here and frozen; a hospital
 * desk (hospital_office, specialist) sends a down-referral from its hospital to a primary
 * institution, for a resident its hospital had an up-referral for - it never reads the
 * record, so its summary is the text it sends. GET /referrals is either end's work list,
 * GET /referrals/{id} one referral with its summary and events, and POST
 * /referrals/{id}/accept|decline|seen|return|close|cancel move it along the table of
 * domain/referral_state.c: each one transaction, audited, 409 invalid_state naming the
 * current state (value) when the table refuses it from that state or for that end. A
 * returned up-referral becomes a `referral_return` task on the family doctor's work list,
 * closed when the team closes the referral; the confirm-seen task closes on seen as before.
 * POST /referrals/{id}/satisfaction keeps the resident's score for the referral. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/handlers.h"
#include "domain/roles.h"
#include "auth/scope.h"
#include "domain/referral_state.h"
#include "json/jsondump.h"
#include "json/jsonx.h"
#include "store/followups.h"
#include "store/records.h"
#include "store/referrals.h"
#include "store/residents.h"
#include "store/scope.h"
#include "store/services.h"
#include "store/work.h"

#define SUMMARY_FOLLOWUPS 60
#define TEXT_MAX 4000
#define LIST_LIMIT 500

/* A date in the body that is not after today (the field's name in the error). */
static int past_date_check(json_t *body, const char *field, int required, struct date *out,
                           char text[11], int *present, struct jy_error *err)
{
    int has = 0;
    if (jx_date(body, field, required, out, &has, err) < 0) return -1;
    if (present) *present = has;
    if (!has) return 0;
    if (date_compare(*out, date_today()) > 0)
        return jy_fail(err, 422, "invalid_date", field, "in the future");
    date_format(*out, text);
    return 0;
}

/* The reason codes: an array of at most 20 short codes ([a-z0-9_]), as JSON text (to free),
 * NULL when absent. */
static int reason_codes_check(json_t *body, char **out, struct jy_error *err)
{
    *out = NULL;
    json_t *list = json_object_get(body, "reasons");
    if (!list || json_is_null(list)) return 0;
    if (!json_is_array(list) || json_array_size(list) > 20)
        return jy_fail(err, 422, "invalid_field", "reasons", "an array of at most 20 codes");
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        const char *code = json_string_value(v);
        size_t n = code ? strlen(code) : 0;
        if (!n || n > 40 || strspn(code, "abcdefghijklmnopqrstuvwxyz0123456789_") != n)
            return jy_fail(err, 422, "invalid_field", "reasons", "codes are [a-z0-9_]");
    }
    *out = jsonx_dumps(list);
    return *out ? 0 : jy_fail(err, 500, "internal_error", NULL, NULL);
}

/* ---- the summary of the record, frozen at sending ---- */

static void copy_if(json_t *to, const json_t *from, const char *key)
{
    json_t *v = json_object_get(from, key);
    if (v && !json_is_null(v)) json_object_set(to, key, v);
}

/* Diagnoses, the latest follow-up of each programme with its readings and classification,
 * the medications of those follow-ups, and the latest exam. NULL on error. */
json_t *api_record_summary(struct request *r, int64_t resident)
{
    json_t *record = store_resident_get(r->db, resident);
    json_t *followups = store_followups_list(r->db, resident, NULL, SUMMARY_FOLLOWUPS);
    json_t *exams = store_exam_results_list(r->db, resident, 1);
    json_t *out = NULL;
    if (!record || !followups || !exams) goto done;
    char today[11];
    date_format(date_today(), today);
    out = json_pack("{s:s}", "assembled_on", today);
    copy_if(out, record, "name");
    copy_if(out, record, "sex");
    copy_if(out, record, "birth_date");
    struct date birth;
    if (date_parse(json_string_value(json_object_get(record, "birth_date")), &birth) == 0)
        json_object_set_new(out, "age", json_integer(date_age_years(birth, date_today())));
    json_t *diagnoses = json_array(), *d;
    size_t i;
    json_array_foreach(json_object_get(record, "diagnoses"), i, d) {
        json_t *o = json_object();
        copy_if(o, d, "icd10");
        copy_if(o, d, "diagnosed_on");
        copy_if(o, d, "note");
        json_array_append_new(diagnoses, o);
    }
    json_object_set_new(out, "diagnoses", diagnoses);
    json_t *programmes = json_object_get(record, "programs");
    json_object_set(out, "programs", programmes ? programmes : json_array());
    json_t *latest = json_array(), *medications = json_array(), *f;
    json_array_foreach(followups, i, f) {
        const char *program = json_string_value(json_object_get(f, "program"));
        int taken = 0;
        size_t k;
        json_t *l;
        json_array_foreach(latest, k, l)
            taken |=
                program && json_equal(json_object_get(l, "program"), json_object_get(f, "program"));
        if (!program || taken) continue; /* newest first: the first of a programme is its latest */
        json_t *o = json_pack("{s:s}", "program", program);
        copy_if(o, f, "visit_date");
        static const char *const READINGS[] = {"sbp",        "dbp",       "fbg",
                                               "heart_rate", "weight_kg", NULL};
        for (int n = 0; READINGS[n]; n++)
            copy_if(o, f, READINGS[n]);
        const json_t *evaluation = json_object_get(f, "evaluation");
        copy_if(o, evaluation, "classification");
        copy_if(o, evaluation, "action");
        json_t *meds = json_object_get(f, "medications");
        json_object_set(o, "medications", json_is_array(meds) ? meds : json_array());
        json_t *m;
        json_array_foreach(meds, k, m)
            json_array_append(medications, m);
        json_array_append_new(latest, o);
    }
    json_object_set_new(out, "latest_followups", latest);
    json_object_set_new(out, "medications", medications);
    json_t *exam = json_array_get(exams, 0);
    if (exam) {
        json_t *o = json_deep_copy(exam);
        json_object_del(o, "id");
        json_object_del(o, "task_id");
        json_object_set_new(out, "latest_exam", o);
    } else {
        json_object_set_new(out, "latest_exam", json_null());
    }
done:
    json_decref(record);
    json_decref(followups);
    json_decref(exams);
    return out;
}

/* ---- POST /referrals ---- */

int handle_referral_create(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    static const char *const DIRECTIONS[] = {"up", "down", NULL};
    int64_t resident, from, to;
    int urgent = 0, rc = -1;
    const char *direction, *reason = NULL, *category = NULL, *department = NULL, *sent_text = NULL;
    char *reasons = NULL, *summary_text = NULL;
    json_t *summary = NULL;
    struct date on;
    char on_text[11], from_level[16], to_level[16], inst_region[16], region[16], county[7];
    struct jy_error err;
    if (jx_int(body, "resident_id", JX_REQUIRED, 1, INT64_MAX, &resident, NULL, &err) < 0 ||
        past_date_check(body, "referred_on", JX_REQUIRED, &on, on_text, NULL, &err) < 0 ||
        jx_enum(body, "direction", JX_REQUIRED, DIRECTIONS, &direction, &err) < 0 ||
        jx_int(body, "from_institution_id", JX_REQUIRED, 1, INT64_MAX, &from, NULL, &err) < 0 ||
        jx_int(body, "to_institution_id", JX_REQUIRED, 1, INT64_MAX, &to, NULL, &err) < 0 ||
        jx_string(body, "reason", JX_OPTIONAL, 200, &reason, &err) < 0 ||
        jx_string(body, "category", JX_OPTIONAL, 40, &category, &err) < 0 ||
        jx_string(body, "department", JX_OPTIONAL, 100, &department, &err) < 0 ||
        jx_bool(body, "urgent", JX_OPTIONAL, &urgent, NULL, &err) < 0 ||
        reason_codes_check(body, &reasons, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    int up = !strcmp(direction, "up");
    if (category && !referral_category_valid(category, up)) {
        rc = reply_problem(r, 422, "invalid_category", "category");
        goto done;
    }
    if (from == to) {
        rc = reply_problem(r, 422, "invalid_field", "to_institution_id");
        goto done;
    }
    int desk = role_is_hospital(r->user.role);
    if (desk) {
        /* A hospital sends down, from its own hospital, a resident it was sent. */
        json_t *text = json_object_get(body, "summary");
        if (text && !json_is_null(text) &&
            jx_string(body, "summary", JX_OPTIONAL, TEXT_MAX, &sent_text, &err) < 0) {
            rc = reply_error(r, &err);
            goto done;
        }
        if (up) {
            rc = reply_problem(r, 422, "invalid_field", "direction");
            goto done;
        }
        if (scope_require_hospital_desk(r, from, "from_institution_id") < 0) goto done;
        int had = store_referral_hospital_had(r->db, from, resident);
        if (had < 0) {
            rc = reply_problem(r, 500, "internal_error", NULL);
            goto done;
        }
        if (!had) {
            rc = reply_problem(r, 403, "out_of_scope", "resident_id");
            goto done;
        }
        if (store_resident_region(r->db, resident, region) < 0) {
            rc = reply_problem(r, 500, "internal_error", NULL);
            goto done;
        }
    } else {
        if (scope_require_resident(r, resident) < 0) goto done;
        if (store_resident_region(r->db, resident, region) < 0) {
            rc = reply_problem(r, 500, "internal_error", NULL);
            goto done;
        }
    }
    api_county_of(region, county);
    int from_known = store_institution_level_region(r->db, from, from_level, inst_region);
    int to_known =
        from_known < 0 ? 0 : store_institution_level_region(r->db, to, to_level, inst_region);
    if (from_known == STORE_NOT_FOUND || to_known == STORE_NOT_FOUND) {
        rc = reply_problem(r, 422, "invalid_field",
                           from_known == STORE_NOT_FOUND ? "from_institution_id"
                                                         : "to_institution_id");
        goto done;
    }
    if (from_known < 0 || to_known < 0) {
        rc = reply_problem(r, 500, "internal_error", NULL);
        goto done;
    }
    if (desk) {
        if (strcmp(to_level, "primary") && strcmp(to_level, "village")) {
            rc = reply_problem(r, 422, "invalid_field", "to_institution_id");
            goto done;
        }
        summary = json_pack("{s:s, s:s?}", "kind", "hospital", "text", sent_text);
    } else {
        /* The primary-care end is the caller's own institution (the sender of an
         * up-referral, the receiver of a down-referral); the hospital end may be any. */
        if (scope_require_affiliation(r, up ? from : to,
                                      up ? "from_institution_id" : "to_institution_id") < 0)
            goto done;
        summary = api_record_summary(r, resident);
        if (!summary) {
            rc = reply_problem(r, 500, "internal_error", NULL);
            goto done;
        }
    }
    summary_text = jsonx_dumps(summary);
    struct referral_input in = {resident, on_text,  direction,  from,         to,
                                reason,   county,   0,          NULL,         urgent,
                                reasons,  category, department, summary_text, r->user.user_id};
    if (!summary_text || api_begin(r) < 0) goto done;
    int64_t id = store_referral_insert(r->db, &in);
    if (id < 0) {
        rc = api_fail_internal(r, "referral");
        goto done;
    }
    if (api_audit(r, "create", "referral", id, resident) < 0 || api_commit(r) < 0) goto done;
    json_t *out =
        json_pack("{s:I, s:I, s:s, s:s, s:I, s:I, s:s, s:b}", "id", (json_int_t)id, "resident_id",
                  (json_int_t)resident, "referred_on", on_text, "direction", direction,
                  "from_institution_id", (json_int_t)from, "to_institution_id", (json_int_t)to,
                  "status", "requested", "urgent", urgent);
    jx_set_string_or_null(out, "reason", reason);
    jx_set_string_or_null(out, "category", category);
    jx_set_string_or_null(out, "department", department);
    json_t *codes = reasons ? json_loads(reasons, 0, NULL) : NULL;
    json_object_set_new(out, "reasons", codes ? codes : json_array());
    json_object_set(out, "summary", summary);
    rc = reply_json(r, 201, out);
done:
    free(reasons);
    free(summary_text);
    json_decref(summary);
    return rc;
}

/* ---- reads ---- */

int handle_referrals_list(struct request *r)
{
    static const char *const SIDES[] = {"incoming", "outgoing", NULL};
    const char *side = request_query(r, "side"), *status = request_query(r, "status");
    const char *direction = request_query(r, "direction"), *from = request_query(r, "from");
    const char *to = request_query(r, "to");
    int ok = 0;
    for (int i = 0; side && SIDES[i]; i++)
        ok |= !strcmp(side, SIDES[i]);
    if (side && *side && !ok) return reply_problem(r, 422, "invalid_field", "side");
    if (status && *status && referral_status_parse(status) < 0)
        return reply_problem(r, 422, "invalid_field", "status");
    if (direction && *direction && strcmp(direction, "up") && strcmp(direction, "down"))
        return reply_problem(r, 422, "invalid_field", "direction");
    struct date d;
    if (from && *from && date_parse(from, &d) != 0)
        return reply_problem(r, 422, "invalid_date", "from");
    if (to && *to && date_parse(to, &d) != 0) return reply_problem(r, 422, "invalid_date", "to");
    int64_t hospital =
        role_is_hospital(r->user.role) ? store_user_hospital(r->db, r->user.user_id) : 0;
    if (hospital < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (role_is_hospital(r->user.role) && !hospital)
        return reply_problem(r, 403, "out_of_scope", NULL);
    /* The desks read the newest 500 at once; ?limit= and ?cursor= page further (a file). */
    int limit = LIST_LIMIT;
    int64_t cursor = 0, next = 0;
    if ((request_query(r, "limit") || request_query(r, "cursor")) &&
        request_page(r, &limit, &cursor) < 0)
        return -1;
#define OR_NULL(s) ((s) && *(s) ? (s) : NULL)
    struct referral_filter f = {
        r->user.user_id, hospital,    OR_NULL(side), OR_NULL(status), OR_NULL(direction),
        OR_NULL(from),   OR_NULL(to), limit,         cursor};
#undef OR_NULL
    json_t *items = store_referrals_query(r->db, &f, &next);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    api_audit_list(r, "referrals", side ? side : "", items, "resident_id");
    return reply_json(r, 200,
                      json_pack("{s:o, s:o}", "items", items, "next_cursor",
                                next ? json_sprintf("%lld", (long long)next) : json_null()));
}

int handle_referral_get(struct request *r)
{
    int64_t id, resident;
    if (request_param_id(r, 0, &id) < 0) return -1;
    if (scope_require_referral(r, id, &resident) < 0) return -1;
    json_t *o = store_referral_get(r->db, id);
    if (!o) return reply_problem(r, 500, "internal_error", NULL);
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)id);
    api_audit_read(r, "referral", text, resident);
    return reply_json(r, 200, o);
}

/* ---- transitions ---- */

/* The referral after a change, as GET /referrals/{id} answers it. */
static int reply_referral(struct request *r, int64_t id, int status)
{
    json_t *o = store_referral_get(r->db, id);
    return o ? reply_json(r, status, o) : reply_problem(r, 500, "internal_error", NULL);
}

/* 409 invalid_state naming the current state. */
static int refuse_state(struct request *r, const char *state)
{
    struct jy_error err;
    jy_fail(&err, 409, "invalid_state", "status", NULL);
    snprintf(err.value, sizeof err.value, "%s", state);
    return reply_error(r, &err);
}

/* The referral named in the path, the ends the user stands at (RSIDE_* bits) and the new
 * state the table allows; replies (404, 403, 409) and returns -1 otherwise. */
static int transition_or_reply(struct request *r, int64_t id, enum referral_transition t,
                               struct referral_core *core, enum referral_status *to)
{
    int64_t resident;
    int ends = scope_require_referral(r, id, &resident);
    if (ends < 0) return -1;
    int found = store_referral_core(r->db, id, core);
    if (found == STORE_NOT_FOUND) return reply_problem(r, 404, "not_found", NULL);
    if (found < 0) return reply_problem(r, 500, "internal_error", NULL);
    int sides = referral_sides(core->up, ends & REFERRAL_END_PRIMARY,
                               ends & REFERRAL_END_HOSPITAL_TO, ends & REFERRAL_END_HOSPITAL_FROM);
    if (!sides) return reply_problem(r, 403, "out_of_scope", NULL);
    int state = referral_status_parse(core->status);
    if (state < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (referral_transition_check(state, t, core->up, sides, to) != RV_OK)
        return refuse_state(r, core->status);
    return 0;
}

/* Moves the referral (guarded by its state) inside the open transaction; on a concurrent
 * change, rolls back and replies 409 with the state now. */
static int move(struct request *r, const struct referral_core *core, struct referral_move *m)
{
    m->from_status = core->status;
    m->by_user = r->user.user_id;
    int moved = store_referral_move(r->db, core->id, m);
    if (moved < 0) return api_fail_internal(r, "referral move");
    if (moved == 0) {
        api_rollback(r);
        struct referral_core now;
        return refuse_state(r, store_referral_core(r->db, core->id, &now) == 0 ? now.status
                                                                               : core->status);
    }
    return 0;
}

static int finish(struct request *r, const struct referral_core *core)
{
    if (api_audit(r, "update", "referral", core->id, core->resident_id) < 0 || api_commit(r) < 0)
        return -1;
    return reply_referral(r, core->id, 200);
}

static int simple_transition(struct request *r, enum referral_transition t)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    const char *note = NULL, *reason = NULL;
    int rc = -1;
    if (jx_string(body, "note", JX_OPTIONAL, 500, &note, &err) < 0 ||
        (t == RT_DECLINE && jx_string(body, "reason", JX_REQUIRED, 500, &reason, &err) < 0)) {
        return reply_error(r, &err);
    }
    struct referral_core core;
    enum referral_status to;
    if (transition_or_reply(r, id, t, &core, &to) < 0) return rc;
    char today[11];
    date_format(date_today(), today);
    struct referral_move m = {.to_status = referral_status_name(to),
                              .note = reason ? reason : note};
    if (t == RT_DECLINE) m.decline_reason = reason;
    if (t == RT_CLOSE || t == RT_CANCEL) m.closed_on = today;
    if (api_begin(r) < 0 || move(r, &core, &m) < 0) return rc;
    /* What the work list waits on: a closed referral's tasks are done, a declined or
     * cancelled one's will not be. */
    const char *task_status = t == RT_CLOSE ? "done" : "cancelled";
    if (t != RT_ACCEPT && store_referral_tasks_close(r->db, id, NULL, task_status, r->user.user_id,
                                                     referral_status_name(to)) < 0) {
        return api_fail_internal(r, "referral tasks");
    }
    rc = finish(r, &core);
    return rc;
}

int handle_referral_accept(struct request *r)
{
    return simple_transition(r, RT_ACCEPT);
}
int handle_referral_decline(struct request *r)
{
    return simple_transition(r, RT_DECLINE);
}
int handle_referral_close(struct request *r)
{
    return simple_transition(r, RT_CLOSE);
}
int handle_referral_cancel(struct request *r)
{
    return simple_transition(r, RT_CANCEL);
}

/* POST /referrals/{id}/seen {seen_on}: as before, and the confirm-seen task closes. */
int handle_referral_seen(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    struct date seen;
    char seen_text[11];
    int rc = -1;
    if (past_date_check(body, "seen_on", JX_REQUIRED, &seen, seen_text, NULL, &err) < 0) {
        return reply_error(r, &err);
    }
    struct referral_core core;
    enum referral_status to;
    if (transition_or_reply(r, id, RT_SEE, &core, &to) < 0) return rc;
    if (strcmp(seen_text, core.referred_on) < 0) { /* seen before being referred */
        return reply_problem(r, 422, "invalid_date", "seen_on");
    }
    /* An up-referral seen: the team calls the patient afterwards (issue 19's post-visit call:
     * the effect, the advice followed, satisfaction, a revisit booked), as after a discharge. */
    int64_t team = 0, doctor = 0;
    if (core.up && store_referral_carer(r->db, id, core.resident_id, &team, &doctor) < 0) {
        return reply_problem(r, 500, "internal_error", NULL);
    }
    struct protocol_config config = store_protocol_config(r->db);
    char due[11], note[40];
    date_format(date_add_days(seen, config.post_treatment_call_days), due);
    snprintf(note, sizeof note, "referral:%lld", (long long)id);
    struct task_input call = {.resident_id = core.resident_id,
                              .team_id = team,
                              .doctor_id = doctor,
                              .kind = "post_visit_call",
                              .due_date = due,
                              .note = note,
                              .county_code = core.county};
    struct referral_move m = {.to_status = referral_status_name(to), .seen_on = seen_text};
    if (api_begin(r) < 0 || move(r, &core, &m) < 0) return rc;
    if (store_referral_tasks_close(r->db, id, "referral_confirm", "done", r->user.user_id, NULL) <
            0 ||
        (core.up && store_task_insert(r->db, &call) < 0)) {
        return api_fail_internal(r, "referral seen");
    }
    rc = finish(r, &core);
    return rc;
}

/* POST /referrals/{id}/return {summary, plan, medications?}: the hospital sends the patient
 * back; the family doctor gets a referral_return task. */
int handle_referral_return(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    const char *summary, *plan;
    char *medications = NULL;
    int rc = -1;
    json_t *meds = json_object_get(body, "medications");
    if (jx_string(body, "summary", JX_REQUIRED, TEXT_MAX, &summary, &err) < 0 ||
        jx_string(body, "plan", JX_REQUIRED, TEXT_MAX, &plan, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    if (meds && !json_is_null(meds)) {
        size_t i;
        json_t *m;
        int bad = !json_is_array(meds) || json_array_size(meds) > 50;
        json_array_foreach(meds, i, m)
            bad |= !json_is_object(m) && !json_is_string(m);
        if (bad) {
            rc = reply_problem(r, 422, "invalid_field", "medications");
            goto done;
        }
        medications = jsonx_dumps(meds);
    }
    struct referral_core core;
    enum referral_status to;
    if (transition_or_reply(r, id, RT_RETURN, &core, &to) < 0) goto done;
    struct protocol_config config = store_protocol_config(r->db);
    int64_t team = 0, doctor = 0;
    if (store_referral_carer(r->db, id, core.resident_id, &team, &doctor) < 0) {
        rc = reply_problem(r, 500, "internal_error", NULL);
        goto done;
    }
    char today[11], due[11];
    date_format(date_today(), today);
    date_format(date_add_days(date_today(), config.referral_return_days), due);
    struct referral_move m = {.to_status = referral_status_name(to),
                              .returned_on = today,
                              .return_summary = summary,
                              .return_plan = plan,
                              .return_medications = medications ? medications : "[]"};
    if (api_begin(r) < 0 || move(r, &core, &m) < 0) goto done;
    struct task_input t = {core.resident_id,  team,        doctor, 0,
                           "referral_return", NULL,        due,    NULL,
                           "referral_return", core.county, id};
    if (store_task_insert(r->db, &t) < 0) {
        rc = api_fail_internal(r, "referral return task");
        goto done;
    }
    rc = finish(r, &core);
done:
    free(medications);
    return rc;
}

/* POST /referrals/{id}/satisfaction {score 1-5, answered_on?}: the resident's answer about
 * the referral, recorded by their team once the patient was seen. */
int handle_referral_satisfaction(struct request *r)
{
    int64_t id, score;
    if (request_param_id(r, 0, &id) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    struct date on;
    char on_text[11];
    int has_on = 0, rc = -1;
    if (jx_int(body, "score", JX_REQUIRED, 1, 5, &score, NULL, &err) < 0 ||
        past_date_check(body, "answered_on", JX_OPTIONAL, &on, on_text, &has_on, &err) < 0) {
        return reply_error(r, &err);
    }
    if (!has_on) date_format(date_today(), on_text);
    int64_t resident;
    int ends = scope_require_referral(r, id, &resident);
    if (ends < 0) return rc;
    if (!(ends & REFERRAL_END_PRIMARY)) {
        return reply_problem(r, 403, "out_of_scope", NULL);
    }
    struct referral_core core;
    if (store_referral_core(r->db, id, &core) < 0) {
        return reply_problem(r, 500, "internal_error", NULL);
    }
    int state = referral_status_parse(core.status);
    if (state != RS_SEEN && state != RS_RETURNED && state != RS_CLOSED) {
        return refuse_state(r, core.status);
    }
    if (api_begin(r) < 0) return rc;
    int set = store_referral_satisfaction(r->db, id, (int)score, on_text);
    if (set < 0) {
        return api_fail_internal(r, "referral satisfaction");
    }
    if (set == 0) {
        api_rollback(r);
        return reply_problem(r, 409, "already_rated", "score");
    }
    rc = finish(r, &core);
    return rc;
}
