/* allocations.c (api) - the team's income shared among its members (二次分配, issue 19,
 * domain/allocation.c):
 *   POST /teams/{id}/allocations {period, pool_fen, note?, shares:[{staff_id, weight} |
 *        {staff_id, amount_fen}]}  by weight (the amounts computed exactly to the fen) or by
 *        hand (adding up to the pool); members of the team only; one a team and period;
 *   GET  /teams/{id}/allocations  the team's, newest first.
 * The team lead shares (on the team), or the centre's administrator (the team in the region).
 * One transaction, audited. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "auth/scope.h"
#include "domain/allocation.h"
#include "json/jsonx.h"
#include "store/allocations.h"
#include "store/registry.h"

#define MAX_SHARES 64

/* "2026", "2026-Q1".."Q4" or "2026-H1"/"H2". */
static int period_valid(const char *p)
{
    size_t n = strlen(p);
    for (int i = 0; i < 4; i++)
        if (n < 4 || p[i] < '0' || p[i] > '9') return 0;
    if (n == 4) return 1;
    return n == 7 && p[4] == '-' &&
           ((p[5] == 'Q' && p[6] >= '1' && p[6] <= '4') ||
            (p[5] == 'H' && (p[6] == '1' || p[6] == '2')));
}

int handle_allocation_create(struct request *r)
{
    int64_t team;
    if (request_param_id(r, 0, &team) < 0) return -1;
    if ((r->user.role == ROLE_CENTER_ADMIN ? scope_require_team(r, team)
                                           : scope_require_team_staff(r, team)) < 0)
        return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    const char *period = NULL, *note = NULL;
    int64_t pool = 0, staff[MAX_SHARES], weight[MAX_SHARES], amount[MAX_SHARES];
    int n = 0, by_weight = -1, rc = -1;
    if (jx_string(body, "period", JX_REQUIRED, 7, &period, &err) < 0 ||
        jx_int(body, "pool_fen", JX_REQUIRED, 0, ALLOCATION_MAX_POOL_FEN, &pool, NULL, &err) < 0 ||
        jx_string(body, "note", JX_OPTIONAL, 200, &note, &err) < 0) {
        return reply_error(r, &err);
    }
    if (!period_valid(period)) {
        return reply_problem(r, 422, "invalid_field", "period");
    }
    json_t *shares = json_object_get(body, "shares");
    if (!json_is_array(shares) || json_array_size(shares) == 0 ||
        json_array_size(shares) > MAX_SHARES) {
        return reply_problem(r, 422, shares ? "invalid_field" : "missing_field", "shares");
    }
    size_t i;
    json_t *sh;
    json_array_foreach(shares, i, sh) {
        char field[40];
        int has_weight = 0, has_amount = 0;
        snprintf(field, sizeof field, "shares[%zu]", i);
        if (!json_is_object(sh) ||
            jx_int(sh, "staff_id", JX_REQUIRED, 1, INT64_MAX, &staff[n], NULL, &err) < 0 ||
            jx_int(sh, "weight", JX_OPTIONAL, 0, ALLOCATION_MAX_WEIGHT, &weight[n], &has_weight,
                   &err) < 0 ||
            jx_int(sh, "amount_fen", JX_OPTIONAL, 0, ALLOCATION_MAX_POOL_FEN, &amount[n],
                   &has_amount, &err) < 0 ||
            has_weight == has_amount || (by_weight >= 0 && by_weight != has_weight)) {
            return reply_problem(r, 422, "invalid_field", field);
        }
        by_weight = has_weight;
        for (int k = 0; k < n; k++)
            if (staff[k] == staff[n]) {
                return reply_problem(r, 422, "invalid_field", field);
            }
        int member = store_team_has_member(r->db, team, staff[n]);
        if (member <= 0) {
            snprintf(field, sizeof field, "shares[%zu].staff_id", i);
            return member < 0 ? reply_problem(r, 500, "internal_error", NULL)
                              : reply_problem(r, 422, "invalid_field", field);
        }
        n++;
    }
    if (by_weight ? allocation_split(pool, weight, n, amount) < 0
                  : !allocation_adds_up(pool, amount, n)) {
        rc = reply_problem(r, 422, "invalid_field",
                           "shares"); /* no weight above 0, or the amounts miss the pool */
        return rc;
    }
    if (api_begin(r) < 0) return rc;
    int64_t id = store_allocation_insert(r->db, team, period, pool, note, r->user.user_id);
    if (id == DB_CONSTRAINT) {
        jy_fail(&err, 409, "allocation_exists", "period", NULL);
        api_fail(r, &err);
        return rc;
    }
    for (int k = 0; id > 0 && k < n; k++)
        if (store_allocation_share_insert(r->db, id, staff[k], by_weight ? weight[k] : -1,
                                          amount[k]) < 0)
            id = -1;
    if (id < 0) {
        api_fail_internal(r, "allocation");
        return rc;
    }
    if (api_audit(r, "create", "allocation", id, 0) < 0 || api_commit(r) < 0) return rc;
    json_t *all = store_allocations(r->db, team), *out = NULL;
    json_array_foreach(all, i, sh)
        if (json_integer_value(json_object_get(sh, "id")) == id) out = json_incref(sh);
    json_decref(all);
    rc = out ? reply_json(r, 201, out) : reply_problem(r, 500, "internal_error", NULL);
    return rc;
}

int handle_allocations_list(struct request *r)
{
    int64_t team;
    if (request_param_id(r, 0, &team) < 0 || scope_require_team(r, team) < 0) return -1;
    json_t *items = store_allocations(r->db, team);
    return items ? reply_json(r, 200, json_pack("{s:o}", "items", items))
                 : reply_problem(r, 500, "internal_error", NULL);
}
