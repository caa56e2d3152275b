/* indicator_targets.c (api) - the targets the dashboard judges each indicator against:
 *   GET /api/v1/indicator-targets  every code with its unit, direction, target in force,
 *                                  built-in default and whether the deployment changed it;
 *   PUT /api/v1/indicator-targets  {"targets": {code: number | null}}: the given codes get
 *                                  the number, or their default back with null; the others
 *                                  keep theirs. Rates are shares 0..1 (75% is 0.75).
 * Every code is checked before anything is written (a 422 names "targets.<code>"); the
 * changes and their audit entries are one transaction. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/handlers.h"
#include "api/indicators.h"
#include "store/indicator_targets.h"
#include "util/log.h"

static json_t *targets_json(struct request *r)
{
    struct kpi_targets targets;
    unsigned char changed[KPI_COUNT];
    if (store_indicator_targets(r->db, &targets, changed) < 0) return NULL;
    json_t *items = json_array();
    for (int c = 0; c < KPI_COUNT; c++) {
        double fallback = 0;
        int has_default = kpi_default_target(c, &fallback);
        json_array_append_new(
            items,
            json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:b}", "code", KPI_INFO[c].code, "name",
                      r->lang_en ? KPI_INFO[c].name_en : KPI_INFO[c].name_zh, "unit",
                      kpi_unit_name(kpi_unit_of(c)), "direction",
                      kpi_direction_name(kpi_direction_of(c)), "target",
                      targets.has[c] ? json_real(targets.value[c]) : json_null(), "default_target",
                      has_default ? json_real(fallback) : json_null(), "changed", changed[c]));
    }
    return json_pack("{s:o, s:f}", "items", items, "near_margin", KPI_NEAR_MARGIN);
}

int handle_indicator_targets_get(struct request *r)
{
    json_t *o = targets_json(r);
    if (!o) return reply_problem(r, 500, "internal_error", NULL);
    return reply_json(r, 200, o);
}

/* Replies 422 `code` naming targets.<name> (or "targets" for a name too long to echo). */
static int reply_target(struct request *r, const char *code, const char *name)
{
    char field[64];
    if (strlen(name) > 40) return reply_problem(r, 422, code, "targets");
    snprintf(field, sizeof field, "targets.%s", name);
    return reply_problem(r, 422, code, field);
}

int handle_indicator_targets_put(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    int rc = -1;
    json_t *targets = json_object_get(body, "targets"), *v;
    if (!targets) {
        return reply_problem(r, 422, "missing_field", "targets");
    }
    if (!json_is_object(targets) || !json_object_size(targets)) {
        return reply_problem(r, 422, "invalid_field", "targets");
    }
    const char *name;
    /* Check every code first: nothing is written unless all are good. */
    json_object_foreach(targets, name, v) {
        int code = kpi_code_index(name);
        if (code < 0 || !(json_is_null(v) || json_is_number(v))) {
            return reply_target(r, "invalid_field", name);
        }
        if (json_is_number(v) && kpi_target_check(code, json_number_value(v)) < 0) {
            return reply_target(r, "out_of_range", name);
        }
    }
    if (api_begin(r) < 0) return rc;
    json_object_foreach(targets, name, v) {
        int code = kpi_code_index(name);
        int64_t id =
            store_indicator_target_set(r->db, code, !json_is_null(v),
                                       json_is_null(v) ? 0 : json_number_value(v), r->user.user_id);
        if (id < 0) {
            api_fail_internal(r, "indicator target");
            return rc;
        }
        if (id > 0 &&
            api_audit(r, json_is_null(v) ? "delete" : "update", "indicator_target", id, 0) < 0)
            return rc;
    }
    if (api_commit(r) < 0) return rc;
    rc = handle_indicator_targets_get(r);
    return rc;
}
