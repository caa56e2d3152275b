/* households.c (api) - households: register one, read it (a resident: their own, as far as
 * its members consented), list and edit them. Access follows the household's region. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "auth/scope.h"
#include "json/jsonx.h"
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
