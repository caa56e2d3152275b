/* work.c (api) - households, door-knocking census visits, first-discovery flags, the
 * work list, enrolments and the audit trail of a person. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/outreach.h"
#include "api/protocols.h"
#include "auth/audit.h"
#include "auth/audit_queue.h"
#include "auth/scope.h"
#include "domain/copd.h"
#include "domain/enrolment.h"
#include "domain/population.h"
#include "domain/task_status.h"
#include "json/jsondump.h"
#include "json/jsonx.h"
#include "store/audit.h"
#include "store/followups.h"
#include "store/population.h"
#include "store/registry.h"
#include "store/residents.h"
#include "store/scope.h"
#include "store/work.h"

/* Household access follows its region; a resident may read their own household. */
static int require_household(struct request *r, int64_t id, char region[16])
{
    int rc = store_household_region(r->db, id, region);
    if (rc == STORE_NOT_FOUND) return reply_problem(r, 404, "not_found", NULL);
    if (rc < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (r->user.role == ROLE_RESIDENT) {
        if (store_resident_household(r->db, r->user.resident_id) == id) return 0;
        return reply_problem(r, 403, "out_of_scope", NULL);
    }
    return scope_require_region_inside(r, region, NULL);
}

int handle_household_create(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    const char *region = NULL, *address = NULL;
    int rc = -1;
    char county[7];
    if (jx_string(body, "region", JX_REQUIRED, 14, &region, &err) < 0 ||
        jx_string(body, "address", JX_OPTIONAL, 200, &address, &err) < 0) {
        return reply_error(r, &err);
    }
    if (store_region_exists(r->db, region, NULL) != 1) {
        return reply_problem(r, 422, "invalid_region", "region");
    }
    if (scope_require_region_inside(r, region, "region") < 0 || api_begin(r) < 0) return rc;
    api_county_of(region, county);
    int64_t id = store_household_insert(r->db, region, address, county);
    if (id < 0) {
        api_fail_internal(r, "household insert");
        return rc;
    }
    if (api_audit(r, "create", "household", id, 0) < 0 || api_commit(r) < 0) return rc;
    rc = reply_json(r, 201, store_household_get(r->db, id));
    return rc;
}

/* What a resident sees of their household: themself and the members who consented to be
 * seen by them (the scope rule), without the team's working labels - the family type, each
 * member's population class (staff codes) - or the census visits. */
static void resident_view_of_household(struct request *r, json_t *household)
{
    json_object_del(household, "family_type");
    json_t *members = json_object_get(household, "members"), *kept = json_array(), *m;
    size_t i;
    json_array_foreach(members, i, m) {
        int64_t id = json_integer_value(json_object_get(m, "id"));
        if (store_resident_visible(r->db, r->user.user_id, id) != 1) continue;
        json_object_del(m, "population_class");
        json_array_append(kept, m);
    }
    json_object_set_new(household, "members", kept);
}

int handle_household_get(struct request *r)
{
    int64_t id;
    char region[16], id_text[24];
    if (request_param_id(r, 0, &id) < 0 || require_household(r, id, region) < 0) return -1;
    json_t *o = store_household_get(r->db, id);
    if (!o) return reply_problem(r, 404, "not_found", NULL);
    if (r->user.role == ROLE_RESIDENT)
        resident_view_of_household(r, o);
    else
        json_object_set_new(o, "census_visits", store_census_for_household(r->db, id));
    struct date today = date_today(), birth;
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(o, "members"), i, m)
        if (date_parse(json_string_value(json_object_get(m, "birth_date")), &birth) == 0)
            json_object_set_new(m, "age", json_integer(date_age_years(birth, today)));
    snprintf(id_text, sizeof id_text, "%lld", (long long)id);
    json_t *one = json_pack("[O]", o); /* the members shown, each attributable */
    api_audit_list(r, "household", id_text, one, "head_id");
    json_decref(one);
    return reply_json(r, 200, o);
}

int handle_households_list(struct request *r)
{
    int limit;
    int64_t cursor, total = 0, next = 0;
    if (request_page(r, &limit, &cursor) < 0) return -1;
    const char *region = request_query(r, "region");
    if (region && scope_require_region(r, region, "region") < 0) return -1;
    json_t *items =
        store_households_list(r->db, r->user.user_id, region, limit, cursor, &total, &next);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    api_audit_list(r, "household_list", region ? region : "scope", items,
                   "head_id"); /* names the heads */
    return reply_json(r, 200, api_page(items, next, total));
}

int handle_household_update(struct request *r)
{
    int64_t id, head = 0;
    char region[16];
    if (request_param_id(r, 0, &id) < 0 || require_household(r, id, region) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    const char *address = NULL;
    int rc = -1;
    if (jx_string(body, "address", JX_OPTIONAL, 200, &address, &err) < 0 ||
        jx_int(body, "head_id", JX_OPTIONAL, 1, INT64_MAX, &head, NULL, &err) < 0) {
        return reply_error(r, &err);
    }
    if ((head && scope_require_resident(r, head) < 0) || api_begin(r) < 0) return rc;
    int updated = store_household_update(r->db, id, address, head);
    if (updated == STORE_NOT_FOUND) {
        api_rollback(r);
        return reply_problem(r, 422, "invalid_field", "head_id");
    }
    if (updated < 0) {
        api_fail_internal(r, "household update");
        return rc;
    }
    if (api_audit(r, "update", "household", id, 0) < 0 || api_commit(r) < 0) return rc;
    rc = reply_json(r, 200, store_household_get(r->db, id));
    return rc;
}

int handle_census_create(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    int64_t household = 0;
    struct date visit;
    int card = 0, explained = 0, rc = -1;
    const char *plan = NULL;
    char region[16], visit_text[11];
    if (jx_int(body, "household_id", JX_REQUIRED, 1, INT64_MAX, &household, NULL, &err) < 0 ||
        jx_date(body, "visit_date", JX_REQUIRED, &visit, NULL, &err) < 0 ||
        jx_bool(body, "contact_card", JX_OPTIONAL, &card, NULL, &err) < 0 ||
        jx_bool(body, "services_explained", JX_OPTIONAL, &explained, NULL, &err) < 0 ||
        jx_string(body, "plan", JX_OPTIONAL, 1000, &plan, &err) < 0 ||
        (date_compare(visit, date_today()) > 0 &&
         jy_fail(&err, 422, "invalid_date", "visit_date", "in the future") < 0) ||
        (!r->user.staff_id &&
         jy_fail(&err, 422, "invalid_field", "staff", "only staff record visits") < 0)) {
        return reply_error(r, &err);
    }
    if (store_household_region(r->db, household, region) != 0) {
        return reply_problem(r, 422, "invalid_household", "household_id");
    }
    if (scope_require_region_inside(r, region, "household_id") < 0 || api_begin(r) < 0) return rc;
    date_format(visit, visit_text);
    int64_t id =
        store_census_insert(r->db, household, r->user.staff_id, visit_text, card, explained, plan);
    if (id < 0) {
        api_fail_internal(r, "census insert");
        return rc;
    }
    if (api_audit(r, "create", "census_visit", id, 0) < 0 || api_commit(r) < 0) return rc;
    rc = reply_json(r, 201,
                    json_pack("{s:I, s:I, s:s, s:b, s:b, s:s?}", "id", (json_int_t)id,
                              "household_id", (json_int_t)household, "visit_date", visit_text,
                              "contact_card", card, "services_explained", explained, "plan", plan));
    return rc;
}

int handle_census_rates(struct request *r)
{
    const char *region = request_query(r, "region");
    const char *since = request_query(r, "since");
    struct date d;
    json_t *top = NULL;
    if (!region && r->user.scope_region[0]) region = r->user.scope_region;
    if (!region) { /* the deployment's top region (the county); rows are limited to the scope */
        top = store_regions_children(r->db, NULL);
        region = json_string_value(json_object_get(json_array_get(top, 0), "code"));
        if (!region) {
            json_decref(top);
            return reply_problem(r, 422, "missing_field", "region");
        }
    }
    char region_copy[16];
    snprintf(region_copy, sizeof region_copy, "%s", region);
    json_decref(top);
    region = region_copy;
    if (since && date_parse(since, &d) < 0) return reply_problem(r, 422, "invalid_date", "since");
    if (scope_require_region(r, region, "region") < 0) return -1;
    json_t *items = store_census_rates(r->db, r->user.user_id, region, since);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    int64_t households = 0, visited = 0;
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) {
        households += json_integer_value(json_object_get(it, "households"));
        visited += json_integer_value(json_object_get(it, "visited"));
    }
    return reply_json(
        r, 200,
        json_pack("{s:s, s:o, s:I, s:I, s:o}", "region", region, "items", items, "households",
                  (json_int_t)households, "visited", (json_int_t)visited, "rate",
                  households ? json_real((double)visited / (double)households) : json_null()));
}

static const char *const FLAG_REASONS[] = {"elderly_living_alone",
                                           "suspected_hypertension",
                                           "suspected_diabetes",
                                           "pregnancy",
                                           "newborn",
                                           "mental_health",
                                           "disability",
                                           "frailty",
                                           "fall_risk",
                                           "poverty",
                                           "abnormal_exam",
                                           "other",
                                           NULL};

int handle_flag_create(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    int64_t resident = 0;
    const char *reason = NULL, *note = NULL;
    int rc = -1;
    if (jx_int(body, "resident_id", JX_REQUIRED, 1, INT64_MAX, &resident, NULL, &err) < 0 ||
        jx_enum(body, "reason", JX_REQUIRED, FLAG_REASONS, &reason, &err) < 0 ||
        jx_string(body, "note", JX_OPTIONAL, 1000, &note, &err) < 0) {
        return reply_error(r, &err);
    }
    /* A person met outside one's own grid is registered or referred, not flagged by id: an
     * id outside the scope would otherwise let anyone probe, and reach into, another
     * township's work list and household classes. */
    if (scope_require_resident(r, resident) < 0) return rc;
    if (api_begin(r) < 0) return rc;
    int64_t id =
        store_flag_insert(r->db, resident, reason, note, r->user.user_id, r->user.staff_id, NULL);
    int64_t household = store_resident_household(r->db, resident);
    if (id < 0 || store_recompute_household(r->db, household, resident, date_today()) < 0) {
        api_fail_internal(r, "flag insert");
        return rc;
    }
    if (api_audit(r, "create", "flag", id, resident) < 0 || api_commit(r) < 0) return rc;
    rc = reply_json(r, 201, store_flag_get(r->db, id));
    return rc;
}

int handle_flags_list(struct request *r)
{
    int limit;
    int64_t cursor, total = 0, next = 0, resident = 0;
    if (request_page(r, &limit, &cursor) < 0) return -1;
    const char *status = request_query(r, "status"), *res = request_query(r, "resident");
    if (status && strcmp(status, "open") && strcmp(status, "confirmed") &&
        strcmp(status, "dismissed"))
        return reply_problem(r, 422, "invalid_field", "status");
    if (res) {
        char *end;
        resident = strtoll(res, &end, 10);
        if (*end || resident <= 0) return reply_problem(r, 422, "invalid_field", "resident");
        if (scope_require_resident(r, resident) < 0) return -1;
    }
    json_t *items =
        store_flags_list(r->db, r->user.user_id, status, resident, limit, cursor, &total, &next);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    api_audit_list(r, "flag_list", status ? status : "all", items, "resident_id");
    return reply_json(r, 200, api_page(items, next, total));
}

int handle_flag_get(struct request *r)
{
    int64_t id;
    char id_text[24];
    if (request_param_id(r, 0, &id) < 0) return -1;
    json_t *flag = store_flag_get(r->db, id);
    if (!flag) return reply_problem(r, 404, "not_found", NULL);
    int64_t resident = json_integer_value(json_object_get(flag, "resident_id"));
    snprintf(id_text, sizeof id_text, "%lld", (long long)id);
    if (scope_require_resident(r, resident) < 0 ||
        api_audit_read(r, "flag", id_text, resident) < 0) {
        json_decref(flag);
        return -1;
    }
    return reply_json(r, 200, flag);
}

static int decide_flag(struct request *r, int confirm)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    json_t *flag = store_flag_get(r->db, id);
    if (!flag) return reply_problem(r, 404, "not_found", NULL);
    int64_t resident = json_integer_value(json_object_get(flag, "resident_id"));
    char region[16];
    snprintf(region, sizeof region, "%s", json_string_value(json_object_get(flag, "region")));
    json_decref(flag);
    /* Only the grid team of the resident decides: their scope is the team's cells. */
    if (scope_require_resident(r, resident) < 0) return -1;
    json_t *body = request_json_body_or_empty(r);
    if (!body) return -1;
    struct jy_error err;
    const char *note = NULL;
    struct date due = date_add_days(date_today(), 7);
    int rc = -1;
    if (jx_string(body, "note", confirm ? JX_OPTIONAL : JX_REQUIRED, 1000, &note, &err) < 0 ||
        jx_date(body, "due_date", JX_OPTIONAL, &due, NULL, &err) < 0) {
        return reply_error(r, &err);
    }
    if (api_begin(r) < 0) return rc;
    int decided =
        store_flag_decide(r->db, id, confirm ? "confirmed" : "dismissed", r->user.user_id, note);
    if (decided < 0) {
        api_fail_internal(r, "flag decide");
        return rc;
    }
    if (decided == 0) {
        api_rollback(r);
        return reply_problem(r, 409, "flag_already_decided", NULL);
    }
    int64_t task_id = 0;
    if (confirm) {
        int64_t doctor = 0;
        int64_t team = store_team_for_region(r->db, region, &doctor);
        char due_text[11], county[7];
        date_format(due, due_text);
        api_county_of(region, county);
        struct task_input t = {resident,
                               team > 0 ? team : 0,
                               doctor,
                               id,
                               "first_discovery",
                               NULL,
                               due_text,
                               NULL,
                               note,
                               county};
        task_id = store_task_insert(r->db, &t);
        if (task_id < 0) {
            api_fail_internal(r, "task insert");
            return rc;
        }
    }
    int64_t household = store_resident_household(r->db, resident);
    if (store_recompute_household(r->db, household, resident, date_today()) < 0) {
        api_fail_internal(r, "recompute");
        return rc;
    }
    if (api_audit(r, confirm ? "confirm" : "dismiss", "flag", id, resident) < 0 ||
        api_commit(r) < 0)
        return rc;
    json_t *out = store_flag_get(r->db, id);
    if (task_id) json_object_set_new(out, "task_id", json_integer(task_id));
    rc = reply_json(r, 200, out);
    return rc;
}

int handle_flag_confirm(struct request *r)
{
    return decide_flag(r, 1);
}
int handle_flag_dismiss(struct request *r)
{
    return decide_flag(r, 0);
}

/* POST /tasks/{id}/close {outcome: done|dismissed, note?}: a doctor's decision on a task
 * that no record closes by itself - a confirmed first discovery, an abnormal exam or home
 * reading, an exam conclusion to review. Follow-up, renewal and referral tasks close when
 * their record is made (409 invalid_state naming `kind`), as does a task already closed. */
/* A post-visit call's answers (issue 19): {effect: better|same|worse, adherence:
 * full|partial|none, satisfaction: 1-5, revisit_date?}, the effect required when the call was
 * made (outcome done). Their JSON text in *text (owned), NULL when none were given. */
static int read_call_answers(json_t *body, int done, char **text, struct jy_error *err)
{
    static const char *const EFFECTS[] = {"better", "same", "worse", NULL};
    static const char *const ADHERENCE[] = {"full", "partial", "none", NULL};
    json_t *a = json_object_get(body, "answers");
    *text = NULL;
    if (!a || json_is_null(a))
        return done ? jy_fail(err, 422, "missing_field", "answers.effect", NULL) : 0;
    if (!json_is_object(a)) return jy_fail(err, 422, "invalid_field", "answers", "an object");
    const char *effect = NULL, *adherence = NULL;
    int64_t satisfaction = 0;
    int has_satisfaction = 0, has_revisit = 0;
    struct date revisit;
    if (jx_enum(a, "effect", done ? JX_REQUIRED : JX_OPTIONAL, EFFECTS, &effect, err) < 0 ||
        jx_enum(a, "adherence", JX_OPTIONAL, ADHERENCE, &adherence, err) < 0 ||
        jx_int(a, "satisfaction", JX_OPTIONAL, 1, 5, &satisfaction, &has_satisfaction, err) < 0 ||
        jx_date(a, "revisit_date", JX_OPTIONAL, &revisit, &has_revisit, err) < 0) {
        /* name the field inside answers */
        char field[80];
        snprintf(field, sizeof field, "answers.%s", err->field);
        return jy_fail(err, err->status, err->code, field, NULL);
    }
    json_t *clean = json_object();
    if (effect) json_object_set_new(clean, "effect", json_string(effect));
    if (adherence) json_object_set_new(clean, "adherence", json_string(adherence));
    if (has_satisfaction) json_object_set_new(clean, "satisfaction", json_integer(satisfaction));
    if (has_revisit) {
        char day[11];
        date_format(revisit, day);
        json_object_set_new(clean, "revisit_date", json_string(day));
    }
    *text = jsonx_dumps(clean);
    json_decref(clean);
    return *text ? 0 : jy_fail(err, 500, "internal_error", NULL, NULL);
}

int handle_task_close(struct request *r)
{
    /* Tasks a person decides or does outside jiayi (a report of missed TB doses made by phone
     * to the county TB institution, PROTOCOLS.md §14), closed by hand. */
    static const char *const DECIDED[] = {
        "first_discovery", "exam_abnormal",   "exam_review", "device_warning",
        "tb_report",       "post_visit_call", NULL};
    static const char *const OUTCOMES[] = {"done", "dismissed", NULL};
    int64_t id, resident = 0;
    if (request_param_id(r, 0, &id) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    const char *outcome = NULL, *note = NULL;
    char kind[32], status[16], *answers = NULL;
    int rc = -1;
    if (jx_enum(body, "outcome", JX_REQUIRED, OUTCOMES, &outcome, &err) < 0 ||
        jx_string(body, "note", JX_OPTIONAL, 500, &note, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    int found = store_task_get(r->db, id, &resident, kind, status);
    if (scope_require_resident_of(r, found < 0 ? found : resident) < 0) goto done;
    int decided = 0;
    for (int i = 0; DECIDED[i]; i++)
        decided |= strcmp(kind, DECIDED[i]) == 0;
    if (!decided || strcmp(status, "open") != 0) {
        rc = reply_problem(r, 409, "invalid_state", decided ? "status" : "kind");
        goto done;
    }
    if (!strcmp(kind, "post_visit_call") &&
        read_call_answers(body, !strcmp(outcome, "done"), &answers, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    if (api_begin(r) < 0) goto done;
    int closed = store_task_close(r->db, id, strcmp(outcome, "done") == 0 ? "done" : "cancelled",
                                  r->user.user_id, note);
    if (closed > 0 && answers && store_task_set_answers(r->db, id, answers) < 0) closed = -1;
    if (closed < 0) {
        rc = api_fail_internal(r, "task close");
        goto done;
    }
    if (closed == 0) { /* closed by another request since we looked */
        api_rollback(r);
        rc = reply_problem(r, 409, "invalid_state", "status");
        goto done;
    }
    if (api_audit(r, "update", "task", id, resident) < 0 || api_commit(r) < 0) goto done;
    json_t *out = json_pack("{s:I, s:I, s:s, s:s, s:s?}", "id", (json_int_t)id, "resident_id",
                            (json_int_t)resident, "kind", kind, "status",
                            strcmp(outcome, "done") == 0 ? "done" : "cancelled", "outcome", note);
    if (answers) json_object_set_new(out, "answers", json_loads(answers, 0, NULL));
    rc = reply_json(r, 200, out);
done:
    free(answers);
    return rc;
}

int handle_worklist(struct request *r)
{
    struct worklist_filter f;
    memset(&f, 0, sizeof f);
    int limit;
    int64_t cursor, total = 0, next = 0, counts[4] = {0};
    if (request_page(r, &limit, &cursor) < 0) return -1;
    f.user_id = r->user.user_id;
    f.today = date_today();
    f.status = -1;
    const char *doctor = request_query(r, "doctor"), *team = request_query(r, "team");
    const char *status = request_query(r, "status"), *as_of = request_query(r, "as_of");
    f.region = request_query(r, "region");
    f.program = request_query(r, "program");
    f.q = request_query(r, "q");
    const char *format = request_query(r, "format");
    enum table_format file_format;
    int file = format && strcmp(format, "json");
    if (file && table_format_parse(format, &file_format) < 0)
        return reply_problem(r, 422, "invalid_field", "format");
    if (f.program && !program_is_known(f.program))
        return reply_problem(r, 422, "invalid_field", "program");
    if (f.q && (!*f.q || jx_utf8_length(f.q) > 50))
        return reply_problem(r, 422, "invalid_field", "q");
    char *end;
    if (doctor && strcmp(doctor, "me") == 0) {
        if (!r->user.staff_id) return reply_problem(r, 422, "invalid_field", "doctor");
        f.doctor_id = r->user.staff_id;
    } else if (doctor) {
        f.doctor_id = strtoll(doctor, &end, 10);
        if (*end || f.doctor_id <= 0) return reply_problem(r, 422, "invalid_field", "doctor");
        if (scope_require_doctor(r, f.doctor_id) < 0) return -1;
    }
    if (team) {
        f.team_id = strtoll(team, &end, 10);
        if (*end || f.team_id <= 0) return reply_problem(r, 422, "invalid_field", "team");
        if (scope_require_team(r, f.team_id) < 0) return -1;
    }
    if (status && (f.status = task_status_parse(status)) < 0)
        return reply_problem(r, 422, "invalid_field", "status");
    if (as_of && date_parse(as_of, &f.today) < 0)
        return reply_problem(r, 422, "invalid_date", "as_of");
    if (f.region && scope_require_region(r, f.region, "region") < 0) return -1;
    if (file) return api_worklist_export(r, &f, file_format); /* the same rows, every page */
    json_t *items = store_worklist(r->db, &f, limit, cursor, &total, &next, counts);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    api_audit_list(r, "worklist", status ? status : "all", items, "resident_id");
    json_t *page = api_page(items, next, total);
    json_object_set_new(page, "counts",
                        json_pack("{s:I, s:I, s:I, s:I}", "upcoming", (json_int_t)counts[0], "due",
                                  (json_int_t)counts[1], "overdue", (json_int_t)counts[2], "missed",
                                  (json_int_t)counts[3]));
    char today[11];
    date_format(f.today, today);
    json_object_set_new(page, "as_of", json_string(today));
    return reply_json(r, 200, page);
}

int handle_enrolment_create(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    int64_t resident = 0;
    const char *program = NULL;
    struct date start;
    struct subject subject = {0}; /* COPD: whose team the first visit goes to */
    int rc = -1;
    static const char *const PROGRAMS[] = {"hypertension", "diabetes", "smd",      "tb", "copd",
                                           "elderly",      "child",    "maternal", NULL};
    if (jx_int(body, "resident_id", JX_REQUIRED, 1, INT64_MAX, &resident, NULL, &err) < 0 ||
        jx_enum(body, "program", JX_REQUIRED, PROGRAMS, &program, &err) < 0 ||
        jx_date(body, "start_date", JX_REQUIRED, &start, NULL, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    /* A programme is enrolled only where a follow-up protocol can manage it, and an
     * enrolment no follow-up accepts would count in the indicators as a patient nobody can
     * see: TB is enrolled by the county TB institution's notice (POST /tb-cases, PROTOCOLS.md
     * §14); COPD is followed by its own visits (api/copd.c). */
    int copd = !strcmp(program, "copd");
    if (!copd && protocol_program_parse(program) < 0) {
        rc = reply_problem(r, 422, "no_protocol", "program");
        goto done;
    }
    if (scope_require_resident(r, resident) < 0) goto done;
    json_t *person = store_resident_get(r->db, resident);
    if (!person) {
        rc = reply_problem(r, 500, "internal_error", NULL);
        goto done;
    }
    /* The daily pass would end it that night: someone who died or moved away is not enrolled. */
    if (strcmp(json_string_value(json_object_get(person, "status")), "alive") != 0) {
        json_decref(person);
        rc = reply_problem(r, 422, "not_alive", "resident_id");
        goto done;
    }
    struct date birth;
    date_parse(json_string_value(json_object_get(person, "birth_date")), &birth);
    struct population_config config = store_population_config(r->db);
    int eligible = enrolment_eligible(program, date_age_years(birth, start),
                                      json_string_value(json_object_get(person, "sex")), &config);
    json_decref(person);
    if (!eligible) {
        rc = reply_problem(r, 422, "not_eligible", "program");
        goto done;
    }
    if (date_compare(start, date_today()) > 0) {
        rc = reply_problem(r, 422, "invalid_date", "start_date");
        goto done;
    }
    char start_text[11], first_due[11];
    date_format(start, start_text);
    if (copd) { /* the first visit goes to the patient's team */
        struct protocol_config protocols = store_protocol_config(r->db);
        date_format(copd_first_visit_due(start, &protocols), first_due);
        if (api_subject_read_or_reply(r, resident, &subject) < 0) goto done;
    }
    if (api_begin(r) < 0) goto done;
    int64_t id = store_enrolment_insert(r->db, resident, program, start_text);
    if (id == DB_CONSTRAINT) {
        api_rollback(r);
        rc = reply_problem(r, 409, "already_enrolled", "program");
        goto done;
    }
    if (id < 0 ||
        store_recompute_household(r->db, store_resident_household(r->db, resident), resident,
                                  date_today()) < 0 ||
        (copd && api_copd_task(r->db, &subject, resident, first_due, "first_visit") < 0)) {
        api_fail_internal(r, "enrolment");
        goto done;
    }
    if (api_audit(r, "create", "enrolment", id, resident) < 0 || api_commit(r) < 0) goto done;
    rc = reply_json(r, 201,
                    json_pack("{s:I, s:I, s:s, s:s}", "id", (json_int_t)id, "resident_id",
                              (json_int_t)resident, "program", program, "start_date", start_text));
done:
    json_decref(subject.resident);
    return rc;
}

/* POST /enrolments/{id}/end {end_date, reason, note?}: a doctor ends a programme's
 * management (结案). The programme's open tasks are cancelled with the reason and the
 * household's classes recomputed, in one transaction; the indicator counters follow
 * through the schema's triggers. Death and moving away are the resident's status (PATCH
 * /residents/{id}), not a reason here; the age- and pregnancy-driven programmes end by
 * themselves (domain/enrolment.h). */
int handle_enrolment_end(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    struct enrolment_row e;
    int found = store_enrolment_get(r->db, id, &e);
    if (found < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (!found) return reply_problem(r, 404, "not_found", NULL);
    if (scope_require_resident(r, e.resident_id) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    const char *reason = NULL, *note = NULL, *field = NULL;
    struct date end, start;
    int rc = -1;
    if (jx_date(body, "end_date", JX_REQUIRED, &end, NULL, &err) < 0 ||
        jx_enum(body, "reason", JX_REQUIRED, ENROLMENT_END_REASONS, &reason, &err) < 0 ||
        jx_string(body, "note", JX_OPTIONAL, 500, &note, &err) < 0) {
        return reply_error(r, &err);
    }
    if (e.end_date[0]) {
        return reply_problem(r, 409, "already_ended", "id");
    }
    date_parse(e.start_date, &start);
    const char *refusal = enrolment_end_refusal(e.program, start, end, date_today(), &field);
    if (refusal) {
        return reply_problem(r, 422, refusal, field);
    }
    char end_text[11];
    date_format(end, end_text);
    if (api_begin(r) < 0) return rc;
    int ended = store_enrolment_end(r->db, id, end_text, reason);
    if (ended == 0) { /* ended by another request meanwhile */
        api_rollback(r);
        return reply_problem(r, 409, "already_ended", "id");
    }
    long cancelled = ended < 0 ? -1
                               : store_tasks_cancel_for(r->db, e.resident_id, e.program,
                                                        r->user.user_id, reason);
    if (cancelled < 0 ||
        store_recompute_household(r->db, store_resident_household(r->db, e.resident_id),
                                  e.resident_id, date_today()) < 0) {
        api_fail_internal(r, "enrolment end");
        return rc;
    }
    if (api_audit(r, "end", "enrolment", id, e.resident_id) < 0 || api_commit(r) < 0) return rc;
    json_t *out = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:I}", "id", (json_int_t)id,
                            "resident_id", (json_int_t)e.resident_id, "program", e.program,
                            "start_date", e.start_date, "end_date", end_text, "end_reason", reason,
                            "tasks_cancelled", (json_int_t)cancelled);
    jx_set_string_or_null(out, "note", note);
    rc = reply_json(r, 200, out);
    return rc;
}

static int add_audit_row(const struct audit_row *row, void *arg)
{
    json_array_append_new(arg, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
                                         (json_int_t)row->id, "at", row->at, "username",
                                         row->username, "role", row->role, "action", row->action,
                                         "resource", row->resource, "resource_id", row->resource_id,
                                         "request_id", row->request_id));
    return 0;
}

int handle_audit_list(struct request *r)
{
    const char *res = request_query(r, "resident");
    int limit;
    int64_t cursor;
    if (request_page(r, &limit, &cursor) < 0) return -1;
    if (!res) return reply_problem(r, 422, "missing_field", "resident");
    char *end;
    int64_t resident = strtoll(res, &end, 10);
    if (*end || resident <= 0) return reply_problem(r, 422, "invalid_field", "resident");
    if (scope_require_resident(r, resident) < 0) return -1;
    if (audit_queue_flush() < 0)
        return reply_problem(r, 500, "internal_error", NULL); /* see all reads so far */
    json_t *items = json_array();
    if (store_audit_for_resident(r->db, resident, cursor, limit, add_audit_row, items) < 0) {
        json_decref(items);
        return reply_problem(r, 500, "internal_error", NULL);
    }
    size_t n = json_array_size(items);
    int64_t total = store_audit_count_for_resident(r->db, resident);
    int64_t last = n ? json_integer_value(json_object_get(json_array_get(items, n - 1), "id")) : 0;
    int64_t next = n == (size_t)limit ? last : 0;
    if (api_audit_read(r, "audit", res, resident) < 0) {
        json_decref(items);
        return -1;
    }
    return reply_json(r, 200, api_page(items, next, total));
}
