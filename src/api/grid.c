/* grid.c (api) - a county keeps its own health grid without SQL (issue 14): regions (county,
 * township, village, grid cell) created and renamed, grid cells redrawn by moving households
 * between the cells of a village, institutions of every kind created and edited, and a staff
 * member's name, phone and contract cap.
 *
 * Who: the routes are team.write (system admins and centre admins; roles.c). A centre admin
 * keeps the grid BELOW its township: what it creates, renames or redraws must have its parent
 * inside the admin's subtree grant (scope_require_region_inside), so its own township's name
 * and anything beside it stay the county's. A region without a parent is the system admin's.
 *
 * Counters: a redraw changes residents' regions, which the schema's triggers report to the
 * indicator tracker; the team a cell counts for follows the cell with its residents. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "auth/audit.h"
#include "auth/scope.h"
#include "domain/region_code.h"
#include "domain/vocabulary.h"
#include "json/jsondump.h"
#include "json/jsonx.h"
#include "kpi/kpi.h"
#include "store/grid.h"
#include "store/registry.h"

/* A division code's length says its level; a code's parent is its prefix one level up. */
static const struct {
    size_t length;
    const char *level;
} LEVELS[] = {{2, "province"}, {4, "city"},     {6, "county"},
              {9, "township"}, {12, "village"}, {14, "grid"}};
#define LEVEL_COUNT (sizeof LEVELS / sizeof LEVELS[0])

static const char *const LEVEL_NAMES[] = {"province", "city", "county", "township",
                                          "village",  "grid", NULL};

/* The index into LEVELS of a well-formed code (digits only), or -1: region_code_level, which
 * also reads a province or a city as GB/T 2260 writes it (510000, 511500; issue 17). */
static int code_level(const char *code)
{
    int level = region_code_level(code);
    return level >= 0 && (size_t)level < LEVEL_COUNT ? level : -1;
}

static int audit_text_or_reply(struct request *r, const char *action, const char *resource,
                               const char *id)
{
    if (audit_append(r->db, &r->user, r->request_id, action, resource, id, 0) < 0)
        return api_fail_internal(r, "audit append");
    return 0;
}

/* A region is kept by whoever may write below its parent; a top-level one by the system
 * admin alone. 0, or replies 403 / 404 / 500 and returns -1. */
static int require_region_maintainer(struct request *r, const char *code, const char *field)
{
    char parent[16];
    int rc = store_region_parent(r->db, code, parent);
    if (rc == 0) return reply_problem(r, 404, "not_found", NULL);
    if (rc < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (!parent[0])
        return r->user.role == ROLE_SYSTEM_ADMIN ? 0 : reply_problem(r, 403, "out_of_scope", field);
    return scope_require_region_inside(r, parent, field);
}

static int reply_region(struct request *r, int status, const char *code)
{
    json_t *region = store_region_get(r->db, code);
    if (!region) return reply_problem(r, 500, "internal_error", NULL);
    json_t *children = store_regions_children(r->db, code);
    json_object_set_new(region, "children", children ? children : json_array());
    return reply_json(r, status, region);
}

/* POST /regions {code, name, parent?, level?} */
int handle_region_create(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    const char *code = NULL, *name = NULL, *parent = NULL, *level = NULL;
    int rc = -1;
    if (jx_string(body, "code", JX_REQUIRED, 14, &code, &err) < 0 ||
        jx_string(body, "name", JX_REQUIRED, 50, &name, &err) < 0 ||
        jx_string(body, "parent", JX_OPTIONAL, 14, &parent, &err) < 0 ||
        jx_enum(body, "level", JX_OPTIONAL, LEVEL_NAMES, &level, &err) < 0) {
        return reply_error(r, &err);
    }
    int at = code_level(code);
    if (at < 0) {
        return reply_problem(r, 422, "invalid_region_code", "code");
    }
    if (level && strcmp(level, LEVELS[at].level) != 0) {
        return reply_problem(r, 422, "invalid_field", "level");
    }
    /* Townships, villages and cells hang under the level just above them; provinces, cities
     * and counties may stand at the top of a deployment (the system admin's). */
    if (!parent && at >= 3) {
        return reply_problem(r, 422, "missing_field", "parent");
    }
    if (parent) {
        char parent_level[16];
        int exists = store_region_exists(r->db, parent, parent_level);
        if (exists < 0) {
            return reply_problem(r, 500, "internal_error", NULL);
        }
        if (exists == 0) {
            return reply_problem(r, 422, "invalid_region", "parent");
        }
        int above = code_level(parent);
        if (above != at - 1 || strcmp(parent_level, LEVELS[above].level) != 0) {
            return reply_problem(r, 422, "invalid_parent", "parent");
        }
        char area[16];
        if (region_area_prefix(parent, area, sizeof area) < 0 ||
            strncmp(code, area, strlen(area)) != 0) {
            return reply_problem(r, 422, "invalid_region_code", "code");
        }
        if (scope_require_region_inside(r, parent, "parent") < 0) return rc;
    } else if (r->user.role != ROLE_SYSTEM_ADMIN) {
        return reply_problem(r, 403, "out_of_scope", "parent");
    }
    if (api_begin(r) < 0) return rc;
    /* Checked inside the writer: two requests for one code cannot both pass. */
    int taken = store_region_exists(r->db, code, NULL);
    if (taken != 0) {
        api_rollback(r);
        return taken < 0 ? reply_problem(r, 500, "internal_error", NULL)
                         : reply_problem(r, 409, "region_exists", "code");
    }
    if (store_region_insert(r->db, code, name, LEVELS[at].level, parent) < 0) {
        api_fail_internal(r, "region insert");
        return rc;
    }
    /* A province or a city made above a deployment's top regions takes them below it, so that
     * its breakdown lists them (issue 17): a city its counties, a province its cities and any
     * county standing alone. Only the system admin creates one (no parent inside a scope is
     * above it), and the codes moved lie inside the new area. */
    if (region_level_is_area(at)) {
        char area[16];
        region_area_prefix(code, area, sizeof area);
        if (store_region_adopt(r->db, code, area, at == REGION_PROVINCE) < 0) {
            api_fail_internal(r, "region adopt");
            return rc;
        }
    }
    if (audit_text_or_reply(r, "create", "region", code) < 0 || api_commit(r) < 0) return rc;
    rc = reply_region(r, 201, code);
    return rc;
}

/* PATCH /regions/{code} {name} */
int handle_region_update(struct request *r)
{
    const char *code = r->params[0];
    if (require_region_maintainer(r, code, NULL) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    const char *name = NULL;
    int rc = -1;
    if (jx_string(body, "name", JX_REQUIRED, 50, &name, &err) < 0) {
        return reply_error(r, &err);
    }
    if (api_begin(r) < 0) return rc;
    int renamed = store_region_rename(r->db, code, name);
    if (renamed < 0) {
        api_fail_internal(r, "region rename");
        return rc;
    }
    if (audit_text_or_reply(r, "rename", "region", code) < 0 || api_commit(r) < 0) return rc;
    rc = reply_region(r, 200, code);
    return rc;
}

/* A cell of the target's village (or the village itself) that the caller may redraw. */
static int require_same_village(struct request *r, const char *target, const char *code,
                                const char *field)
{
    char level[16];
    int exists = store_region_exists(r->db, code, level);
    if (exists < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (!exists) return reply_problem(r, 422, "invalid_region", field);
    /* The scope first: a place outside it is refused without saying where it lies. */
    if (scope_require_region_inside(r, code, field) < 0) return -1;
    if ((strcmp(level, "grid") != 0 && strcmp(level, "village") != 0) ||
        strncmp(code, target, 12) != 0)
        return reply_problem(r, 422, "not_same_village", field);
    return 0;
}

/* POST /regions/{code}/redraw {household_ids?:[ids], from?:code}: the households listed, and
 * every household and resident registered at `from`, now belong to cell {code}. Cells are
 * redrawn within one village; a move to another village is a resident's move. */
int handle_region_redraw(struct request *r)
{
    const char *target = r->params[0];
    char level[16];
    int exists = store_region_exists(r->db, target, level);
    if (exists < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (!exists) return reply_problem(r, 404, "not_found", NULL);
    if (scope_require_region_inside(r, target, NULL) < 0) return -1;
    if (strcmp(level, "grid") != 0 && strcmp(level, "village") != 0)
        return reply_problem(r, 422, "invalid_region", "code");
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    const char *from = NULL;
    json_t *households = json_object_get(body, "household_ids"), *resident_ids = NULL;
    char *households_text = NULL, *residents_text = NULL;
    int rc = -1;
    if (jx_string(body, "from", JX_OPTIONAL, 14, &from, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    if (households && (!json_is_array(households) || json_array_size(households) > 1000)) {
        rc = reply_problem(r, 422, "invalid_field", "household_ids");
        goto done;
    }
    if (!from && json_array_size(households) == 0) {
        rc = reply_problem(r, 422, "missing_field", "household_ids");
        goto done;
    }
    if (from && (strcmp(from, target) == 0 || require_same_village(r, target, from, "from") < 0)) {
        if (strcmp(from, target) == 0) rc = reply_problem(r, 422, "invalid_field", "from");
        goto done;
    }
    size_t i;
    json_t *item;
    json_array_foreach(households, i, item) {
        char region[16];
        if (!json_is_integer(item) || json_integer_value(item) <= 0 ||
            store_household_region(r->db, json_integer_value(item), region) != 0) {
            rc = reply_problem(r, 422, "invalid_household", "household_ids");
            goto done;
        }
        if (require_same_village(r, target, region, "household_ids") < 0) goto done;
    }
    households_text = households ? jsonx_dumps(households) : strdup("[]");
    if (!households_text || api_begin(r) < 0) {
        if (!households_text) rc = reply_problem(r, 500, "internal_error", NULL);
        goto done;
    }
    resident_ids = store_redraw_residents(r->db, households_text, from);
    residents_text = resident_ids ? jsonx_dumps(resident_ids) : NULL;
    /* Named to the tracker before the move (the triggers do too, but from inside the
     * UPDATE's step; this way the tracker's statements are ready before it starts). */
    if (!residents_text || kpi_retouch_residents(r->db, residents_text) < 0) {
        api_fail_internal(r, "redraw");
        goto done;
    }
    int64_t moved = store_redraw_apply(r->db, target, households_text, from, residents_text);
    if (moved < 0) {
        api_fail_internal(r, "redraw");
        goto done;
    }
    /* A move of a person's place is a write of their data: one entry each. */
    json_array_foreach(resident_ids, i, item)
        if (api_audit(r, "move", "resident", json_integer_value(item), json_integer_value(item)) <
            0)
            goto done;
    if (audit_text_or_reply(r, "redraw", "region", target) < 0 || api_commit(r) < 0) goto done;
    rc = reply_json(r, 200,
                    json_pack("{s:s, s:I, s:I}", "region", target, "households", (json_int_t)moved,
                              "residents", (json_int_t)json_array_size(resident_ids)));
done:
    free(households_text);
    free(residents_text);
    json_decref(resident_ids);
    return rc;
}

static const char *kind_level(const char *kind)
{
    for (int i = 0; INSTITUTION_KINDS[i]; i++)
        if (strcmp(INSTITUTION_KINDS[i], kind) == 0) return INSTITUTION_KIND_LEVELS[i];
    return "primary";
}

/* POST /institutions {code, name, kind, level?, region} */
int handle_institution_create(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    const char *code = NULL, *name = NULL, *kind = NULL, *level = NULL, *region = NULL;
    char region_level[16];
    int rc = -1;
    if (jx_string(body, "code", JX_REQUIRED, 30, &code, &err) < 0 ||
        jx_string(body, "name", JX_REQUIRED, 80, &name, &err) < 0 ||
        jx_enum(body, "kind", JX_REQUIRED, INSTITUTION_KINDS, &kind, &err) < 0 ||
        jx_enum(body, "level", JX_OPTIONAL, INSTITUTION_LEVELS, &level, &err) < 0 ||
        jx_string(body, "region", JX_REQUIRED, 14, &region, &err) < 0) {
        return reply_error(r, &err);
    }
    for (const char *p = code; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_') {
            return reply_problem(r, 422, "invalid_institution_code", "code");
        }
    int exists = store_region_exists(r->db, region, region_level);
    if (exists != 1) {
        return exists < 0 ? reply_problem(r, 500, "internal_error", NULL)
                          : reply_problem(r, 422, "invalid_region", "region");
    }
    /* An institution sits in a county, township or village, not in a grid cell. */
    if (strcmp(region_level, "grid") == 0) {
        return reply_problem(r, 422, "invalid_parent", "region");
    }
    if (scope_require_region_inside(r, region, "region") < 0 || api_begin(r) < 0) return rc;
    int taken = store_institution_code_taken(r->db, code);
    if (taken != 0) {
        api_rollback(r);
        return taken < 0 ? reply_problem(r, 500, "internal_error", NULL)
                         : reply_problem(r, 409, "institution_exists", "code");
    }
    int64_t id =
        store_institution_insert(r->db, code, name, kind, level ? level : kind_level(kind), region);
    if (id < 0) {
        api_fail_internal(r, "institution insert");
        return rc;
    }
    if (api_audit(r, "create", "institution", id, 0) < 0 || api_commit(r) < 0) return rc;
    json_t *o = store_institution_get(r->db, id);
    rc = o ? reply_json(r, 201, o) : reply_problem(r, 500, "internal_error", NULL);
    return rc;
}

/* PATCH /institutions/{id} {name?, kind?, level?}; its place is where it was registered. */
int handle_institution_update(struct request *r)
{
    int64_t id;
    char region[16];
    if (request_param_id(r, 0, &id) < 0) return -1;
    int found = store_institution_region(r->db, id, region);
    if (found == STORE_NOT_FOUND) return reply_problem(r, 404, "not_found", NULL);
    if (found < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (scope_require_region_inside(r, region, NULL) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    const char *name = NULL, *kind = NULL, *level = NULL;
    int rc = -1;
    if (jx_string(body, "name", JX_OPTIONAL, 80, &name, &err) < 0 ||
        jx_enum(body, "kind", JX_OPTIONAL, INSTITUTION_KINDS, &kind, &err) < 0 ||
        jx_enum(body, "level", JX_OPTIONAL, INSTITUTION_LEVELS, &level, &err) < 0) {
        return reply_error(r, &err);
    }
    if (!name && !kind && !level) {
        return reply_problem(r, 422, "missing_field", "name");
    }
    if (api_begin(r) < 0) return rc;
    if (store_institution_update(r->db, id, name, kind, level) < 0) {
        api_fail_internal(r, "institution update");
        return rc;
    }
    if (api_audit(r, "update", "institution", id, 0) < 0 || api_commit(r) < 0) return rc;
    json_t *o = store_institution_get(r->db, id);
    rc = o ? reply_json(r, 200, o) : reply_problem(r, 500, "internal_error", NULL);
    return rc;
}

/* PATCH /staff/{id} {name?, phone?, max_contracts?}: the contract cap (households) of
 * PROTOCOLS.md §10 among them. Kept by whoever keeps the staff member's institution. */
int handle_staff_update(struct request *r)
{
    int64_t id, max = -1;
    char region[16];
    if (request_param_id(r, 0, &id) < 0) return -1;
    int found = store_staff_region(r->db, id, region);
    if (found == STORE_NOT_FOUND) return reply_problem(r, 404, "not_found", NULL);
    if (found < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (scope_require_region_inside(r, region, NULL) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    const char *name = NULL, *phone = NULL;
    int has_max = 0, rc = -1;
    if (jx_string(body, "name", JX_OPTIONAL, 50, &name, &err) < 0 ||
        jx_string(body, "phone", JX_OPTIONAL, 20, &phone, &err) < 0 ||
        jx_int(body, "max_contracts", JX_OPTIONAL, 0, 100000, &max, &has_max, &err) < 0) {
        return reply_error(r, &err);
    }
    if (!has_max) max = -1;
    if (!name && !phone && !has_max) {
        return reply_problem(r, 422, "missing_field", "max_contracts");
    }
    if (api_begin(r) < 0) return rc;
    if (store_staff_update(r->db, id, name, phone, max) < 0) {
        api_fail_internal(r, "staff update");
        return rc;
    }
    if (api_audit(r, "update", "staff", id, 0) < 0 || api_commit(r) < 0) return rc;
    json_t *o = store_staff_get(r->db, id);
    rc = o ? reply_json(r, 200, o) : reply_problem(r, 500, "internal_error", NULL);
    return rc;
}
