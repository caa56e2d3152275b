/* content.c (api) - the team's service group (团队服务群, issue 16, docs/resident-loop.md):
 * a team's staff publish structured content (health education, package descriptions,
 * seasonal notices) to its signed residents or a filtered subset; each recipient gets a
 * content_recipients row and an outbox message in the publishing transaction; a resident
 * reads their items in the portal and the first read is the receipt the team's read rate
 * counts. */
#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "auth/scope.h"
#include "json/jsonx.h"
#include "store/points.h"
#include "store/registry.h"
#include "store/service_group.h"
#include "util/date.h"

static const char *const CONTENT_KINDS[] = {"article", "package", "notice", NULL};
static const char *const AUDIENCE_PROGRAMS[] = {
    "hypertension", "diabetes", "smd", "tb", "copd", "elderly", "child", "maternal", NULL};

#define CONTENT_TITLE_MAX 80
#define CONTENT_BODY_MAX 5000
#define CONTENT_LIST_MAX 200

/* A field of the audience object, named as the request wrote it ("audience.program"). */
static int audience_or_reply(struct request *r, struct jy_error *err)
{
    char field[sizeof err->field + 16];
    snprintf(field, sizeof field, "audience.%s", err->field);
    snprintf(err->field, sizeof err->field, "%.*s", (int)sizeof err->field - 1, field);
    return reply_error(r, err);
}

/* The publisher must be on the team: a team's service group speaks for that team only. */
static int team_member_or_reply(struct request *r, int64_t team_id)
{
    if (scope_require_team(r, team_id) < 0) return -1;
    int member = r->user.staff_id ? store_team_has_member(r->db, team_id, r->user.staff_id) : 0;
    if (member < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (member != 1) return reply_problem(r, 403, "out_of_scope", NULL);
    return 0;
}

int handle_team_content_create(struct request *r)
{
    int64_t team;
    if (request_param_id(r, 0, &team) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    struct content_input in = {.team_id = team, .user_id = r->user.user_id};
    int64_t population_class = 0;
    int rc = -1;
    if (jx_enum(body, "kind", JX_REQUIRED, CONTENT_KINDS, &in.kind, &err) < 0 ||
        jx_string(body, "title", JX_REQUIRED, CONTENT_TITLE_MAX, &in.title, &err) < 0 ||
        jx_string(body, "body", JX_REQUIRED, CONTENT_BODY_MAX, &in.body, &err) < 0) {
        return reply_error(r, &err);
    }
    json_t *audience = json_object_get(body, "audience");
    if (audience && !json_is_null(audience)) {
        if (!json_is_object(audience)) {
            return reply_problem(r, 422, "invalid_field", "audience");
        }
        if (jx_enum(audience, "program", JX_OPTIONAL, AUDIENCE_PROGRAMS, &in.program, &err) < 0 ||
            jx_int(audience, "population_class", JX_OPTIONAL, 1, 3, &population_class, NULL, &err) <
                0 ||
            jx_string(audience, "cell_id", JX_OPTIONAL, 14, &in.cell, &err) < 0) {
            return audience_or_reply(r, &err);
        }
        in.population_class = (int)population_class;
        if (in.cell) {
            char level[16];
            int exists = store_region_exists(r->db, in.cell, level);
            if (exists < 0) {
                return reply_problem(r, 500, "internal_error", NULL);
            }
            if (!exists) {
                return reply_problem(r, 422, "invalid_region", "audience.cell_id");
            }
        }
    }
    if (team_member_or_reply(r, team) < 0) return rc;
    if (api_begin(r) < 0) return rc;
    int64_t recipients = 0;
    int64_t id = store_content_publish(r->db, &in, &recipients);
    if (id < 0) {
        api_fail_internal(r, "content publish");
        return rc;
    }
    if (api_audit(r, "create", "content", id, 0) < 0 || api_commit(r) < 0) return rc;
    rc = reply_json(
        r, 201,
        json_pack("{s:I, s:I}", "id", (json_int_t)id, "recipients", (json_int_t)recipients));
    return rc;
}

int handle_team_content_list(struct request *r)
{
    int64_t team;
    if (request_param_id(r, 0, &team) < 0) return -1;
    if (scope_require_team(r, team) < 0) return -1;
    json_t *items = store_team_content(r->db, team, CONTENT_LIST_MAX);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    return reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* GET /content/{id}/receipts: who the item went to and who has read it, for the staff of the
 * team that sent it (a list of its signed residents' names: not for other teams). */
int handle_content_receipts(struct request *r)
{
    int64_t id, team = 0;
    if (request_param_id(r, 0, &id) < 0) return -1;
    int found = store_content_team(r->db, id, &team);
    if (found == STORE_NOT_FOUND) return reply_problem(r, 404, "not_found", NULL);
    if (found < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (scope_require_team_staff(r, team) < 0) return -1;
    json_t *items = store_content_receipts(r->db, id);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    char id_text[24];
    snprintf(id_text, sizeof id_text, "%lld", (long long)id);
    api_audit_list(r, "content_receipts", id_text, items, "resident_id");
    size_t read = 0, i;
    json_t *item;
    json_array_foreach(items, i, item)
        read += !json_is_null(json_object_get(item, "read_at"));
    return reply_json(r, 200,
                      json_pack("{s:I, s:I, s:I, s:o}", "id", (json_int_t)id, "recipients",
                                (json_int_t)json_array_size(items), "read", (json_int_t)read,
                                "items", items));
}

int handle_resident_content(struct request *r)
{
    int64_t resident;
    if (request_param_id(r, 0, &resident) < 0) return -1;
    if (scope_require_resident(r, resident) < 0) return -1;
    json_t *answer = store_resident_content(r->db, resident, CONTENT_LIST_MAX);
    if (!answer) return reply_problem(r, 500, "internal_error", NULL);
    char id_text[24];
    snprintf(id_text, sizeof id_text, "%lld", (long long)resident);
    api_audit_read(r, "content", id_text, resident);
    return reply_json(r, 200, answer);
}

int handle_content_read(struct request *r)
{
    int64_t id, resident = 0;
    if (request_param_id(r, 0, &id) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    int rc = -1;
    if (jx_int(body, "resident_id", JX_REQUIRED, 1, INT64_MAX, &resident, NULL, &err) < 0) {
        return reply_error(r, &err);
    }
    if (scope_require_resident(r, resident) < 0) return rc;
    if (api_begin(r) < 0) return rc;
    int read = store_content_read(r->db, id, resident, NULL);
    if (read == STORE_NOT_FOUND) { /* not sent to this resident, or no such item: the same answer */
        api_rollback(r);
        return reply_problem(r, 404, "not_found", NULL);
    }
    if (read < 0) {
        api_fail_internal(r, "content read");
        return rc;
    }
    if (read == 1) {
        /* Reading what the team sent is a healthy action that earns points, once per item. */
        char key[64], today[11];
        snprintf(key, sizeof key, "content:%lld:resident:%lld", (long long)id, (long long)resident);
        date_format(date_today(), today);
        if (store_points_award(r->db, resident, "content_read", key, today) < 0) {
            api_fail_internal(r, "content read points");
            return rc;
        }
        if (api_audit(r, "update", "content_read", id, resident) < 0) return rc;
    }
    if (api_commit(r) < 0) return rc;
    reply_bytes(r, 204, "text/plain", "", 0);
    rc = 0;
    return rc;
}
