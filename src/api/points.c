/* points.c - health points (积分换健康, seed 003; docs/resident-loop.md "Health points"):
 * a resident's balance and ledger, the catalogue of what points buy with its stock, the
 * county's rules, and redemptions. Points are earned where jiayi records the healthy action
 * (store_points_award in api/followups.c, api/exams.c, api/groups.c); nothing here mints
 * them. A redemption is one transaction that takes the stock and the balance only where
 * they suffice, so neither goes below zero under concurrent requests. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/handlers.h"
#include "auth/scope.h"
#include "domain/points.h"
#include "domain/vocabulary.h"
#include "json/jsonx.h"
#include "store/points.h"
#include "store/registry.h"
#include "store/residents.h"

#define LEDGER_ITEMS 100 /* the newest ledger rows a balance comes with */

int handle_resident_points(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_resident(r, id) < 0) return -1;
    json_t *out = store_points_summary(r->db, id, LEDGER_ITEMS);
    if (!out) return reply_problem(r, 500, "internal_error", NULL);
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)id);
    api_audit_read(r, "points", text, id);
    json_object_set_new(out, "resident_id", json_integer(id));
    return reply_json(r, 200, out);
}

int handle_points_catalogue(struct request *r)
{
    /* A resident sees what their own county offers; staff see every item (no one's data). */
    char region[16] = "", county[7] = "";
    if (r->user.role == ROLE_RESIDENT) {
        if (store_resident_region(r->db, r->user.resident_id, region) < 0)
            return reply_problem(r, 500, "internal_error", NULL);
        api_county_of(region, county);
    }
    json_t *items = store_points_catalogue(r->db, county);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    return reply_json(r, 200, json_pack("{s:o}", "items", items));
}

static json_t *rules_json(const struct points_rules *rules)
{
    json_t *items = json_array();
    for (int e = 0; e < POINTS_EVENT_COUNT; e++)
        json_array_append_new(items, json_pack("{s:s, s:i}", "event",
                                               points_event_name((enum points_event)e), "points",
                                               rules->points[e]));
    return json_pack("{s:o}", "items", items);
}

int handle_points_rules_get(struct request *r)
{
    struct points_rules rules;
    if (store_points_rules_load(r->db, &rules) < 0)
        return reply_problem(r, 500, "internal_error", NULL);
    return reply_json(r, 200, rules_json(&rules));
}

/* PUT {"items":[{"event","points"}]}: the events named change, the others stay. */
int handle_points_rules_put(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    struct points_rules rules;
    int rc = -1;
    json_t *items = json_object_get(body, "items");
    if (!items) {
        return reply_problem(r, 422, "missing_field", "items");
    }
    if (!json_is_array(items) || json_array_size(items) == 0 ||
        json_array_size(items) > POINTS_EVENT_COUNT) {
        return reply_problem(r, 422, "invalid_field", "items");
    }
    if (api_begin(r) < 0) return rc;
    if (store_points_rules_load(r->db, &rules) < 0) {
        return api_fail_internal(r, "points rules");
    }
    size_t i;
    json_t *row;
    json_array_foreach(items, i, row) {
        char ef[48], pf[48];
        snprintf(ef, sizeof ef, "items[%zu].event", i);
        snprintf(pf, sizeof pf, "items[%zu].points", i);
        const char *event = NULL;
        int64_t points;
        if (!json_is_object(row)) {
            jy_fail(&err, 422, "invalid_field", ef, NULL);
            return api_fail(r, &err);
        }
        if (jx_string(row, "event", JX_REQUIRED, 40, &event, &err) < 0 ||
            jx_int(row, "points", JX_REQUIRED, INT64_MIN, INT64_MAX, &points, NULL, &err) < 0) {
            snprintf(err.field, sizeof err.field, "%s", strcmp(err.field, "event") ? pf : ef);
            return api_fail(r, &err);
        }
        if (points_rule_set(&rules, event, points, ef, pf, &err) < 0) {
            return api_fail(r, &err);
        }
    }
    if (store_points_rules_save(r->db, &rules) < 0) {
        return api_fail_internal(r, "points rules");
    }
    if (api_audit(r, "update", "points_rules", 0, 0) < 0 || api_commit(r) < 0) return rc;
    rc = reply_json(r, 200, rules_json(&rules));
    return rc;
}

/* The institution a new item belongs to: named by a system admin (optional), a centre
 * admin's own centre otherwise; its region gives the county. 0, or replies and -1. */
static int item_owner_or_reply(struct request *r, json_t *body, struct points_item *item)
{
    struct jy_error err;
    int has = 0;
    char region[16];
    if (jx_int(body, "institution_id", JX_OPTIONAL, 1, INT64_MAX, &item->institution_id, &has,
               &err) < 0)
        return reply_error(r, &err);
    if (!has && r->user.role != ROLE_SYSTEM_ADMIN)
        return reply_problem(r, 422, "missing_field", "institution_id");
    if (has && scope_require_institution(r, item->institution_id, "institution_id") < 0) return -1;
    if (has) {
        if (store_institution_region(r->db, item->institution_id, region) < 0)
            return reply_problem(r, 500, "internal_error", NULL);
        api_county_of(region, item->county);
        return 0;
    }
    const char *county = NULL;
    if (jx_string(body, "county_code", JX_REQUIRED, 6, &county, &err) < 0)
        return reply_error(r, &err);
    if (strlen(county) != 6) return reply_problem(r, 422, "invalid_field", "county_code");
    if (scope_require_region_inside(r, county, "county_code") < 0) return -1;
    snprintf(item->county, sizeof item->county, "%s", county);
    return 0;
}

/* POST {"name","kind","cost","stock","institution_id"} adds an item (201);
 * {"id","restock"} adds to an item's stock (200). */
int handle_points_catalogue_write(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    struct points_item item = {0};
    int64_t id = 0, add = 0;
    int has_id = 0, rc = -1, status = 200;
    const char *name = NULL, *kind = NULL;
    if (jx_int(body, "id", JX_OPTIONAL, 1, INT64_MAX, &id, &has_id, &err) < 0) {
        return reply_error(r, &err);
    }
    if (has_id) {
        if (jx_int(body, "restock", JX_REQUIRED, 1, 100000, &add, NULL, &err) < 0) {
            return reply_error(r, &err);
        }
        int found = store_points_item_get(r->db, id, &item);
        if (found < 0) {
            return reply_problem(r, 500, "internal_error", NULL);
        }
        if (!found) {
            return reply_problem(r, 422, "invalid_field", "id");
        }
        /* A centre admin restocks its own centre's items; a county-wide item is the county's. */
        if (item.institution_id && scope_require_institution(r, item.institution_id, "id") < 0)
            return rc;
        if (!item.institution_id && r->user.role != ROLE_SYSTEM_ADMIN) {
            return reply_problem(r, 403, "out_of_scope", "id");
        }
        if (api_begin(r) < 0) return rc;
        if (store_points_item_restock(r->db, id, add) < 0) {
            return api_fail_internal(r, "points restock");
        }
    } else {
        int64_t cost, stock;
        if (jx_string(body, "name", JX_REQUIRED, 60, &name, &err) < 0 ||
            jx_enum(body, "kind", JX_REQUIRED, POINTS_ITEM_KINDS, &kind, &err) < 0 ||
            jx_int(body, "cost", JX_REQUIRED, 1, 1000000, &cost, NULL, &err) < 0 ||
            jx_int(body, "stock", JX_REQUIRED, 0, 100000, &stock, NULL, &err) < 0) {
            return reply_error(r, &err);
        }
        if (item_owner_or_reply(r, body, &item) < 0) return rc;
        snprintf(item.name, sizeof item.name, "%s", name);
        snprintf(item.kind, sizeof item.kind, "%s", kind);
        item.cost = cost;
        item.stock = stock;
        if (api_begin(r) < 0) return rc;
        if ((id = store_points_item_insert(r->db, &item)) < 0) {
            return api_fail_internal(r, "points item");
        }
        status = 201;
    }
    if (api_audit(r, has_id ? "restock" : "create", "points_item", id, 0) < 0 || api_commit(r) < 0)
        return rc;
    if (store_points_item_get(r->db, id, &item) != 1) {
        return reply_problem(r, 500, "internal_error", NULL);
    }
    json_t *out =
        json_pack("{s:I, s:s, s:s, s:I, s:I}", "id", (json_int_t)item.id, "name", item.name, "kind",
                  item.kind, "cost", (json_int_t)item.cost, "stock", (json_int_t)item.stock);
    json_object_set_new(out, "institution_id",
                        item.institution_id ? json_integer(item.institution_id) : json_null());
    rc = reply_json(r, status, out);
    return rc;
}

int handle_points_redemption_create(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    int64_t resident, item, redemption = 0, balance = 0, stock = 0;
    const char *refusal = NULL;
    int rc = -1;
    if (jx_int(body, "resident_id", JX_REQUIRED, 1, INT64_MAX, &resident, NULL, &err) < 0 ||
        jx_int(body, "item_id", JX_REQUIRED, 1, INT64_MAX, &item, NULL, &err) < 0) {
        return reply_error(r, &err);
    }
    if (scope_require_resident(r, resident) < 0 ||
        scope_require_care_team(r, resident, "resident_id") < 0 ||
        scope_require_points_item(r, item, resident, "item_id") < 0)
        return rc;
    char today[11];
    date_format(date_today(), today);
    if (api_begin(r) < 0) return rc;
    int taken = store_points_redeem(r->db, resident, item, today, r->user.user_id, &redemption,
                                    &balance, &stock, &refusal);
    if (taken < 0) {
        return api_fail_internal(r, "points redemption");
    }
    if (taken == 1) {
        api_rollback(r);
        return reply_problem(r, 409, refusal,
                             strcmp(refusal, "out_of_stock") ? "resident_id" : "item_id");
    }
    if (api_audit(r, "redeem", "points_redemption", redemption, resident) < 0 || api_commit(r) < 0)
        return rc;
    rc = reply_json(r, 201,
                    json_pack("{s:I, s:I, s:I, s:I, s:I, s:s}", "id", (json_int_t)redemption,
                              "resident_id", (json_int_t)resident, "item_id", (json_int_t)item,
                              "balance", (json_int_t)balance, "stock", (json_int_t)stock,
                              "redeemed_on", today));
    return rc;
}
