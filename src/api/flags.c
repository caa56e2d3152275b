/* flags.c (api) - first discovery (首诊发现): a person flagged for a reason, listed, read,
 * and confirmed or dismissed by a doctor. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "auth/scope.h"
#include "json/jsonx.h"
#include "store/population.h"
#include "store/registry.h"
#include "store/residents.h"
#include "store/work.h"

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
