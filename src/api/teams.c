/* teams.c (api) - staff and family-doctor teams: create, change the responsible doctor,
 * members and the grid cells served. System admins and center admins, in their region. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "auth/scope.h"
#include "json/jsondump.h"
#include "json/jsonx.h"
#include "kpi/kpi.h"
#include "store/registry.h"
#include "domain/vocabulary.h"

/* The team exists and its institution lies inside the caller's scope. */
static int require_team_writable(struct request *r, int64_t team_id)
{
    char region[16];
    int rc = store_team_region(r->db, team_id, region);
    if (rc == STORE_NOT_FOUND) return reply_problem(r, 404, "not_found", NULL);
    if (rc < 0) return reply_problem(r, 500, "internal_error", NULL);
    return scope_require_region_inside(r, region, NULL);
}

static int require_institution_writable(struct request *r, int64_t institution_id,
                                        const char *field)
{
    char region[16];
    int rc = store_institution_region(r->db, institution_id, region);
    if (rc == STORE_NOT_FOUND) return reply_problem(r, 422, "invalid_field", field);
    if (rc < 0) return reply_problem(r, 500, "internal_error", NULL);
    return scope_require_region_inside(r, region, field);
}

static int reply_team(struct request *r, int status, int64_t id)
{
    json_t *team = store_team_get(r->db, id);
    if (!team) return reply_problem(r, 404, "not_found", NULL);
    return reply_json(r, status, team);
}

int handle_staff_list(struct request *r)
{
    int limit;
    int64_t cursor, total = 0, next = 0, institution = 0;
    if (request_page(r, &limit, &cursor) < 0) return -1;
    const char *region = request_query(r, "region"), *inst = request_query(r, "institution");
    if (region && store_region_exists(r->db, region, NULL) != 1)
        return reply_problem(r, 422, "invalid_region", "region");
    if (inst) {
        char *end;
        institution = strtoll(inst, &end, 10);
        if (*end || institution <= 0) return reply_problem(r, 422, "invalid_field", "institution");
    }
    json_t *items = store_staff_list(r->db, region, institution, limit, cursor, &total, &next);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    scope_hide_phones(r, items);
    return reply_json(r, 200, api_page(items, next, total));
}

int handle_staff_create(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    const char *name = NULL, *profession = NULL, *phone = NULL;
    int64_t institution = 0, max_contracts = 0;
    int has_max = 0, rc = -1;
    if (jx_string(body, "name", JX_REQUIRED, 50, &name, &err) < 0 ||
        jx_enum(body, "profession", JX_REQUIRED, STAFF_PROFESSIONS, &profession, &err) < 0 ||
        jx_int(body, "institution_id", JX_REQUIRED, 1, INT64_MAX, &institution, NULL, &err) < 0 ||
        jx_string(body, "phone", JX_OPTIONAL, 20, &phone, &err) < 0 ||
        jx_int(body, "max_contracts", JX_OPTIONAL, 0, 100000, &max_contracts, &has_max, &err) < 0) {
        return reply_error(r, &err);
    }
    /* PROTOCOLS §10 defaults: 1,000 households per GP, 100 per village doctor. */
    if (!has_max)
        max_contracts = !strcmp(profession, "gp")               ? 1000
                        : !strcmp(profession, "village_doctor") ? 100
                                                                : 0;
    if (require_institution_writable(r, institution, "institution_id") < 0 || api_begin(r) < 0)
        return rc;
    int64_t id =
        store_staff_insert(r->db, name, profession, institution, phone, (int)max_contracts);
    if (id < 0) {
        api_fail_internal(r, "staff insert");
        return rc;
    }
    if (api_audit(r, "create", "staff", id, 0) < 0 || api_commit(r) < 0) return rc;
    rc = reply_json(r, 201,
                    json_pack("{s:I, s:s, s:s, s:I, s:s?, s:I}", "id", (json_int_t)id, "name", name,
                              "profession", profession, "institution_id", (json_int_t)institution,
                              "phone", phone, "max_contracts", (json_int_t)max_contracts));
    return rc;
}

int handle_team_create(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    const char *name = NULL, *model = NULL;
    int64_t institution = 0;
    char region[16], county[7];
    int rc = -1;
    if (jx_string(body, "name", JX_REQUIRED, 80, &name, &err) < 0 ||
        jx_enum(body, "model", JX_REQUIRED, TEAM_MODELS, &model, &err) < 0 ||
        jx_int(body, "institution_id", JX_REQUIRED, 1, INT64_MAX, &institution, NULL, &err) < 0) {
        return reply_error(r, &err);
    }
    if (require_institution_writable(r, institution, "institution_id") < 0) return rc;
    if (store_institution_region(r->db, institution, region) != 0) {
        return reply_problem(r, 500, "internal_error", NULL);
    }
    api_county_of(region, county);
    if (api_begin(r) < 0) return rc;
    int64_t id = store_team_insert(r->db, name, model, institution, county);
    if (id < 0) {
        api_fail_internal(r, "team insert");
        return rc;
    }
    if (api_audit(r, "create", "team", id, 0) < 0 || api_commit(r) < 0) return rc;
    rc = reply_team(r, 201, id);
    return rc;
}

int handle_team_update(struct request *r)
{
    int64_t id, doctor = 0;
    if (request_param_id(r, 0, &id) < 0 || require_team_writable(r, id) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    const char *name = NULL, *model = NULL;
    int rc = -1;
    if (jx_string(body, "name", JX_OPTIONAL, 80, &name, &err) < 0 ||
        jx_enum(body, "model", JX_OPTIONAL, TEAM_MODELS, &model, &err) < 0 ||
        jx_int(body, "doctor_id", JX_OPTIONAL, 1, INT64_MAX, &doctor, NULL, &err) < 0) {
        return reply_error(r, &err);
    }
    /* The responsible doctor is one of the team. */
    if (doctor && scope_require_staff(r, doctor, "doctor_id") < 0) return rc;
    if (doctor && store_team_has_member(r->db, id, doctor) != 1) {
        return reply_problem(r, 422, "invalid_field", "doctor_id");
    }
    if (api_begin(r) < 0) return rc;
    /* The residents of the team's cells count for its responsible doctor (kpi_person.c). */
    if (doctor && kpi_retouch_team(r->db, id) < 0) {
        api_fail_internal(r, "team indicators");
        return rc;
    }
    if (store_team_update(r->db, id, name, model, doctor) < 0) {
        api_fail_internal(r, "team update");
        return rc;
    }
    if (api_audit(r, "update", "team", id, 0) < 0 || api_commit(r) < 0) return rc;
    rc = reply_team(r, 200, id);
    return rc;
}

int handle_team_member_add(struct request *r)
{
    int64_t id, staff = 0;
    if (request_param_id(r, 0, &id) < 0 || require_team_writable(r, id) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    const char *role = NULL;
    char staff_region[16];
    int rc = -1;
    if (jx_int(body, "staff_id", JX_REQUIRED, 1, INT64_MAX, &staff, NULL, &err) < 0 ||
        jx_enum(body, "role", JX_REQUIRED, TEAM_MEMBER_ROLES, &role, &err) < 0) {
        return reply_error(r, &err);
    }
    /* 1+4+N teams draw specialists from county hospitals: any staff member may join. */
    if (store_staff_region(r->db, staff, staff_region) != 0) {
        return reply_problem(r, 422, "invalid_field", "staff_id");
    }
    if (scope_require_staff(r, staff, "staff_id") < 0) return rc;
    if (store_team_has_member(r->db, id, staff) == 1) {
        return reply_problem(r, 409, "conflict", "staff_id");
    }
    if (api_begin(r) < 0) return rc;
    if (store_team_member_insert(r->db, id, staff, role) < 0) {
        api_fail_internal(r, "member insert");
        return rc;
    }
    if (api_audit(r, "add_member", "team", id, 0) < 0 || api_commit(r) < 0) return rc;
    rc = reply_team(r, 200, id);
    return rc;
}

int handle_team_member_remove(struct request *r)
{
    int64_t id, staff;
    if (request_param_id(r, 0, &id) < 0 || request_param_id(r, 1, &staff) < 0 ||
        require_team_writable(r, id) < 0)
        return -1;
    json_t *team = store_team_get(r->db, id);
    int64_t doctor = team ? json_integer_value(json_object_get(team, "doctor_id")) : 0;
    json_decref(team);
    /* Hand the team to another doctor first: a team is never without its responsible GP. */
    if (doctor == staff) return reply_problem(r, 422, "invalid_field", "staff_id");
    if (api_begin(r) < 0) return -1;
    int removed = store_team_member_delete(r->db, id, staff);
    if (removed < 0) return api_fail_internal(r, "member delete");
    if (removed == 0) {
        api_rollback(r);
        return reply_problem(r, 404, "not_found", NULL);
    }
    if (api_audit(r, "remove_member", "team", id, 0) < 0 || api_commit(r) < 0) return -1;
    return reply_team(r, 200, id);
}

int handle_team_cells_set(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || require_team_writable(r, id) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    json_t *cells = json_object_get(body, "cells");
    size_t i;
    json_t *cell;
    int rc = -1;
    if (!json_is_array(cells) || json_array_size(cells) > 200) {
        return reply_problem(r, 422, json_is_array(cells) ? "invalid_field" : "missing_field",
                             "cells");
    }
    json_array_foreach(cells, i, cell) {
        char level[16];
        const char *code = json_string_value(cell);
        if (!code || store_region_exists(r->db, code, level) != 1 ||
            (strcmp(level, "grid") != 0 && strcmp(level, "village") != 0)) {
            return reply_problem(r, 422, "invalid_region", "cells");
        }
        if (scope_require_region_inside(r, code, "cells") < 0) return rc;
    }
    char *codes = jsonx_dumps(cells);
    if (!codes) {
        return reply_problem(r, 500, "internal_error", NULL);
    }
    if (api_begin(r) < 0) {
        free(codes);
        return rc;
    }
    /* The residents of the cells the team leaves and of those it takes count for another
     * team from now on: named to the indicator tracker before the change (kpi/retouch.c). */
    int touched = kpi_retouch_team(r->db, id) == 0 && kpi_retouch_regions(r->db, codes) == 0;
    free(codes);
    if (!touched) {
        api_fail_internal(r, "team indicators");
        return rc;
    }
    if (store_team_cells_clear(r->db, id) < 0) {
        api_fail_internal(r, "cells clear");
        return rc;
    }
    json_array_foreach(cells, i, cell) {
        if (store_team_cell_insert(r->db, id, json_string_value(cell)) < 0) {
            api_rollback(r);
            rc = reply_problem(r, 422, "invalid_field", "cells"); /* a code listed twice */
            return rc;
        }
    }
    if (api_audit(r, "set_cells", "team", id, 0) < 0 || api_commit(r) < 0) return rc;
    rc = reply_team(r, 200, id);
    return rc;
}
