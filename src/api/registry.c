/* registry.c (api) - regions, institutions and teams: the health grid. */
#include <string.h>

#include "api/handlers.h"
#include "auth/scope.h"
#include "store/registry.h"
#include "store/residents.h"

int handle_regions_list(struct request *r)
{
    const char *parent = request_query(r, "parent");
    if (parent && store_region_exists(r->db, parent, NULL) != 1)
        return reply_problem(r, 422, "invalid_region", "parent");
    json_t *items = store_regions_children(r->db, parent);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    return reply_json(r, 200, json_pack("{s:o}", "items", items));
}

int handle_region_get(struct request *r)
{
    json_t *region = store_region_get(r->db, r->params[0]);
    if (!region) return reply_problem(r, 404, "not_found", NULL);
    json_t *children = store_regions_children(r->db, r->params[0]);
    json_object_set_new(region, "children", children ? children : json_array());
    return reply_json(r, 200, region);
}

int handle_institutions_list(struct request *r)
{
    const char *region = request_query(r, "region");
    if (region && store_region_exists(r->db, region, NULL) != 1)
        return reply_problem(r, 422, "invalid_region", "region");
    json_t *items = store_institutions_list(r->db, region);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    return reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* Residents see the teams serving where they live, and no staff login names. */
static void present_team_for_resident(json_t *team)
{
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(team, "members"), i, m)
        json_object_del(m, "username");
}

int handle_teams_list(struct request *r)
{
    const char *region = request_query(r, "region");
    char home[16];
    if (r->user.role == ROLE_RESIDENT) {
        if (store_resident_region(r->db, r->user.resident_id, home) != 0) home[0] = '\0';
        region = home;
    }
    int limit;
    int64_t cursor, next = 0, total = 0;
    if (request_page(r, &limit, &cursor) < 0) return -1;
    if (region && store_region_exists(r->db, region, NULL) != 1)
        return reply_problem(r, 422, "invalid_region", "region");
    json_t *items = region && !*region
                        ? json_array()
                        : store_teams_list(r->db, region, limit, cursor, &next, &total);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    size_t i;
    json_t *team;
    json_array_foreach(items, i, team) {
        if (r->user.role == ROLE_RESIDENT) present_team_for_resident(team);
        scope_hide_phones(r, json_object_get(team, "members"));
    }
    return reply_json(r, 200, api_page(items, next, total));
}

int handle_team_get(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    json_t *team = store_team_get(r->db, id);
    if (!team) return reply_problem(r, 404, "not_found", NULL);
    if (r->user.role == ROLE_RESIDENT) present_team_for_resident(team);
    scope_hide_phones(r, json_object_get(team, "members"));
    return reply_json(r, 200, team);
}
