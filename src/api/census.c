/* census.c (api) - door-knocking census visits (入户) and the census rates of an area. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "auth/scope.h"
#include "json/jsonx.h"
#include "store/registry.h"
#include "store/work.h"

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
