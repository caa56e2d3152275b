/* groups.c (api) - chronic-disease self-management groups (慢性病自我管理小组): groups of
 * a village or a team, their members, activities and attendance. The health commission
 * sees the list with its counts; the group page names people, so its reads are audited
 * per member; every write is one transaction with its audit entries. Attending uses up the
 * attendee's health-education entitlement (issue 12); taking an attendee off an activity
 * recorded in error gives it back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "auth/scope.h"
#include "json/jsonx.h"
#include "store/entitlement_use.h"
#include "store/groups.h"
#include "store/points.h"
#include "store/registry.h"
#include "store/residents.h"

static const char *const FOCUSES[] = {"hypertension", "diabetes", "mixed", NULL};

/* Most attendees one activity may list: far above any group that still talks together. */
#define MAX_ATTENDEES 200

/* Sends the group page, each member named in it recorded as read. */
static int reply_group(struct request *r, int status, int64_t id)
{
    json_t *group = store_group_get(r->db, id);
    if (!group) return reply_problem(r, 404, "not_found", NULL);
    char id_text[24];
    snprintf(id_text, sizeof id_text, "%lld", (long long)id);
    struct date today = date_today(), birth;
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(group, "members"), i, m) {
        const char *b = json_string_value(json_object_get(m, "birth_date"));
        if (b && date_parse(b, &birth) == 0)
            json_object_set_new(m, "age", json_integer(date_age_years(birth, today)));
        api_audit_read(r, "group", id_text, json_integer_value(json_object_get(m, "resident_id")));
    }
    return reply_json(r, status, group);
}

int handle_groups_list(struct request *r)
{
    int limit;
    int64_t cursor, total = 0, next = 0, team = 0;
    if (request_page(r, &limit, &cursor) < 0) return -1;
    const char *region = request_query(r, "region"), *team_text = request_query(r, "team");
    if (region && scope_require_region(r, region, "region") < 0) return -1;
    if (team_text) {
        char *end;
        team = strtoll(team_text, &end, 10);
        if (*end || team <= 0) return reply_problem(r, 422, "invalid_field", "team");
        if (scope_require_team(r, team) < 0) return -1;
    }
    json_t *items =
        store_groups_list(r->db, r->user.user_id, region, team, limit, cursor, &total, &next);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    return reply_json(r, 200, api_page(items, next, total));
}

/* The group meets in a village, grid cell or township the caller holds a grant on (a team
 * meets at its own village or township; the members are checked one by one). */
static int group_region_or_reply(struct request *r, const char *region)
{
    char level[16];
    int exists = store_region_exists(r->db, region, level);
    if (exists < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (!exists || (strcmp(level, "village") && strcmp(level, "grid") && strcmp(level, "township")))
        return reply_problem(r, 422, "invalid_region", "region");
    return scope_require_region_granted(r, region, "region");
}

/* A team named in a body: 422 when unknown (it is input, not the resource), then scope. */
static int group_team_or_reply(struct request *r, int64_t team, char region[16])
{
    int rc = store_team_region(r->db, team, region);
    if (rc == STORE_NOT_FOUND) return reply_problem(r, 422, "invalid_field", "team_id");
    if (rc < 0) return reply_problem(r, 500, "internal_error", NULL);
    return scope_require_team(r, team);
}

/* The leader is a staff member, and one of the team's when the group has a team. */
static int leader_or_reply(struct request *r, int64_t leader, int64_t team)
{
    char name[64];
    if (scope_require_staff(r, leader, "leader_staff_id") < 0) return -1;
    int rc = store_staff_name(r->db, leader, name, sizeof name);
    if (rc == STORE_NOT_FOUND ||
        (rc == 0 && team && store_team_has_member(r->db, team, leader) != 1))
        return reply_problem(r, 422, "invalid_field", "leader_staff_id");
    return rc < 0 ? reply_problem(r, 500, "internal_error", NULL) : 0;
}

int handle_group_create(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    const char *name = NULL, *focus = NULL, *region = NULL;
    int64_t team = 0, leader = 0;
    char team_region[16] = "", county[7];
    int rc = -1;
    if (jx_string(body, "name", JX_REQUIRED, 40, &name, &err) < 0 ||
        jx_enum(body, "focus", JX_REQUIRED, FOCUSES, &focus, &err) < 0 ||
        jx_string(body, "region", JX_OPTIONAL, 14, &region, &err) < 0 ||
        jx_int(body, "team_id", JX_OPTIONAL, 1, INT64_MAX, &team, NULL, &err) < 0 ||
        jx_int(body, "leader_staff_id", JX_OPTIONAL, 1, INT64_MAX, &leader, NULL, &err) < 0) {
        return reply_error(r, &err);
    }
    /* A group belongs to a village (or township), or to a team that then places it. */
    if (!region && !team) {
        return reply_problem(r, 422, "missing_field", "region");
    }
    if (region && group_region_or_reply(r, region) < 0) return rc;
    if (team && group_team_or_reply(r, team, team_region) < 0) return rc;
    if (!region) region = team_region;
    if (!leader)
        leader = r->user.staff_id;
    else if (leader_or_reply(r, leader, team) < 0)
        return rc;
    api_county_of(region, county);
    struct group_input in = {.name = name,
                             .focus = focus,
                             .region = region,
                             .county_code = county,
                             .team_id = team,
                             .leader_staff = leader,
                             .created_by = r->user.user_id};
    if (api_begin(r) < 0) return rc;
    int64_t id = store_group_insert(r->db, &in);
    if (id < 0) {
        api_fail_internal(r, "group insert");
        return rc;
    }
    if (api_audit(r, "create", "group", id, 0) < 0 || api_commit(r) < 0) return rc;
    rc = reply_group(r, 201, id);
    return rc;
}

int handle_group_get(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_group(r, id) < 0) return -1;
    return reply_group(r, 200, id);
}

/* A date in the body, today when absent; never in the future. */
static int date_or_today_check(json_t *body, const char *field, int required, char out[11],
                               struct jy_error *err)
{
    struct date d = date_today(), today = d;
    if (jx_date(body, field, required, &d, NULL, err) < 0) return -1;
    if (date_compare(d, today) > 0) return jy_fail(err, 422, "invalid_date", field, NULL);
    date_format(d, out);
    return 0;
}

/* A member is a living resident the caller may see. */
static int member_or_reply(struct request *r, int64_t resident)
{
    if (scope_require_resident(r, resident) < 0) return -1;
    json_t *person = store_resident_get(r->db, resident);
    if (!person) return reply_problem(r, 404, "not_found", NULL);
    const char *status = json_string_value(json_object_get(person, "status"));
    int alive = status && strcmp(status, "alive") == 0;
    json_decref(person);
    return alive ? 0 : reply_problem(r, 422, "invalid_field", "resident_id");
}

int handle_group_member_add(struct request *r)
{
    int64_t id, resident = 0;
    if (request_param_id(r, 0, &id) < 0 || scope_require_group(r, id) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    char joined[11];
    int rc = -1;
    if (jx_int(body, "resident_id", JX_REQUIRED, 1, INT64_MAX, &resident, NULL, &err) < 0 ||
        date_or_today_check(body, "joined_on", JX_OPTIONAL, joined, &err) < 0) {
        return reply_error(r, &err);
    }
    if (member_or_reply(r, resident) < 0 || api_begin(r) < 0) return rc;
    int64_t member = store_group_member_insert(r->db, id, resident, joined);
    if (member == DB_CONSTRAINT) { /* the partial unique index: one open membership */
        api_rollback(r);
        return reply_problem(r, 409, "already_member", "resident_id");
    }
    if (member < 0) {
        api_fail_internal(r, "group member insert");
        return rc;
    }
    if (api_audit(r, "join", "group", id, resident) < 0 || api_commit(r) < 0) return rc;
    rc = reply_group(r, 201, id);
    return rc;
}

int handle_group_member_leave(struct request *r)
{
    int64_t id, resident;
    /* Only the group's scope: a member who moved out of the caller's area can still leave. */
    if (request_param_id(r, 0, &id) < 0 || request_param_id(r, 1, &resident) < 0 ||
        scope_require_group(r, id) < 0 || api_begin(r) < 0)
        return -1;
    char today[11];
    date_format(date_today(), today);
    int ended = store_group_member_leave(r->db, id, resident, today);
    if (ended < 0) return api_fail_internal(r, "group member leave");
    if (ended == 0) {
        api_rollback(r);
        return reply_problem(r, 404, "not_found", NULL);
    }
    if (api_audit(r, "leave", "group", id, resident) < 0 || api_commit(r) < 0) return -1;
    return reply_group(r, 200, id);
}

/* attendees: distinct resident ids, at most MAX_ATTENDEES, into out. */
static int read_attendees(json_t *body, int64_t *out, size_t *n, struct jy_error *err)
{
    json_t *list = json_object_get(body, "attendees"), *v;
    if (!list) return jy_fail(err, 422, "missing_field", "attendees", NULL);
    if (!json_is_array(list) || json_array_size(list) > MAX_ATTENDEES)
        return jy_fail(err, 422, "invalid_field", "attendees", "a list of at most %d resident ids",
                       MAX_ATTENDEES);
    size_t i;
    *n = 0;
    json_array_foreach(list, i, v) {
        if (!json_is_integer(v) || json_integer_value(v) <= 0)
            return jy_fail(err, 422, "invalid_field", "attendees", "resident ids");
        for (size_t j = 0; j < *n; j++)
            if (out[j] == json_integer_value(v))
                return jy_fail(err, 422, "invalid_field", "attendees", "each resident once");
        out[(*n)++] = json_integer_value(v);
    }
    return 0;
}

/* Who led it: a staff member by id, else the name given (a patient leader), else the
 * caller (their staff name when they are staff). */
static int activity_leader_check(struct request *r, json_t *body, int64_t *leader, char *name,
                                 size_t n, struct jy_error *err)
{
    const char *given = NULL;
    if (jx_int(body, "leader_staff_id", JX_OPTIONAL, 1, INT64_MAX, leader, NULL, err) < 0 ||
        jx_string(body, "leader", JX_OPTIONAL, 40, &given, err) < 0)
        return -1;
    if (given && !*leader) {
        snprintf(name, n, "%s", given);
        return 0;
    }
    if (!*leader) *leader = r->user.staff_id;
    if (!*leader) {
        snprintf(name, n, "%s", r->user.display_name);
        return 0;
    }
    int rc = store_staff_name(r->db, *leader, name, n);
    if (rc == STORE_NOT_FOUND) return jy_fail(err, 422, "invalid_field", "leader_staff_id", NULL);
    return rc < 0 ? jy_fail(err, 500, "internal_error", NULL, NULL) : 0;
}

static json_t *activity_json(int64_t id, int64_t group, const struct group_activity_input *in,
                             const int64_t *attendees, size_t n, int used)
{
    json_t *ids = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(ids, json_integer(attendees[i]));
    return json_pack("{s:I, s:I, s:s, s:s, s:o, s:s, s:s?, s:i, s:I, s:o, s:i}", "id",
                     (json_int_t)id, "group_id", (json_int_t)group, "activity_date",
                     in->activity_date, "topic", in->topic, "leader_staff_id",
                     in->leader_staff ? json_integer(in->leader_staff) : json_null(), "leader_name",
                     in->leader_name, "note", in->note, "member_count", in->member_count,
                     "attended", (json_int_t)n, "attendees", ids, "entitlements_used", used);
}

int handle_group_activity_create(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_group(r, id) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    struct group_activity_input in = {.group_id = id, .recorded_by = r->user.user_id};
    char date[11], leader_name[128];
    int64_t attendees[MAX_ATTENDEES];
    size_t n = 0;
    int rc = -1, used = 0;
    struct entitlement_rules rules = {0};
    if (date_or_today_check(body, "activity_date", JX_REQUIRED, date, &err) < 0 ||
        jx_string(body, "topic", JX_REQUIRED, 100, &in.topic, &err) < 0 ||
        jx_string(body, "note", JX_OPTIONAL, 500, &in.note, &err) < 0 ||
        activity_leader_check(r, body, &in.leader_staff, leader_name, sizeof leader_name, &err) <
            0 ||
        read_attendees(body, attendees, &n, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    in.activity_date = date;
    in.leader_name = leader_name;
    /* Every person and staff member the record names is the caller's to name. */
    if (in.leader_staff && scope_require_staff(r, in.leader_staff, "leader_staff_id") < 0)
        goto done;
    for (size_t i = 0; i < n; i++)
        if (scope_require_resident(r, attendees[i]) < 0) goto done;
    if (store_entitlement_rules_load(r->db, &rules) < 0) {
        rc = reply_problem(r, 500, "internal_error", NULL);
        goto done;
    }
    if (api_begin(r) < 0) goto done;
    /* Inside the writer, so a member leaving at the same moment is seen either way. */
    for (size_t i = 0; i < n; i++) {
        int member = store_group_member_on(r->db, id, attendees[i], date);
        if (member < 0) goto internal;
        if (!member) {
            char value[24];
            snprintf(value, sizeof value, "%lld", (long long)attendees[i]);
            jy_fail(&err, 422, "not_group_member", "attendees", NULL);
            jy_error_value(&err, value);
            rc = api_fail(r, &err);
            goto done;
        }
    }
    if ((in.member_count = store_group_member_count_on(r->db, id, date)) < 0) goto internal;
    int64_t activity = store_group_activity_insert(r->db, &in);
    if (activity < 0) goto internal;
    struct service_record use = {.kind = SOURCE_GROUP_ATTENDANCE};
    date_parse(date, &use.date);
    for (size_t i = 0; i < n; i++) {
        if (store_group_attendance_insert(r->db, activity, attendees[i]) < 0 ||
            api_audit(r, "attend", "group_activity", activity, attendees[i]) < 0)
            goto internal;
        int k = store_entitlement_use(r->db, &rules, attendees[i], activity, in.leader_staff, &use,
                                      NULL);
        if (k < 0) goto internal;
        /* Health points (issue 16): attending an activity earns once. */
        char points_key[64];
        snprintf(points_key, sizeof points_key, "group_activity:%lld:%lld", (long long)activity,
                 (long long)attendees[i]);
        if (store_points_award(r->db, attendees[i], "group_activity", points_key, date) < 0)
            goto internal;
        used += k;
    }
    if (api_audit(r, "create", "group_activity", activity, 0) < 0 || api_commit(r) < 0) goto done;
    rc = reply_json(r, 201, activity_json(activity, id, &in, attendees, n, used));
    goto done;
internal:
    if (r->holds_writer) api_fail_internal(r, "group activity");
done:
    store_entitlement_rules_free(&rules);
    return rc;
}

/* DELETE /groups/{id}/activities/{activity_id}/attendees/{resident_id}: someone listed by
 * mistake among an activity's attendees. What the attendance used up goes back; the
 * activity's member count (its attendance rate's base) stays. The attendee's contract
 * changes, so the attendee must be in the caller's scope as well as the group. */
int handle_group_attendance_delete(struct request *r)
{
    int64_t id, activity, resident;
    if (request_param_id(r, 0, &id) < 0 || request_param_id(r, 1, &activity) < 0 ||
        request_param_id(r, 2, &resident) < 0 || scope_require_group(r, id) < 0 ||
        scope_require_resident(r, resident) < 0 || api_begin(r) < 0)
        return -1;
    int removed = store_group_attendance_delete(r->db, id, activity, resident);
    int returned = removed <= 0
                       ? 0
                       : store_entitlement_undo(r->db, SOURCE_GROUP_ATTENDANCE, activity, resident);
    if (removed < 0 || returned < 0) return api_fail_internal(r, "group attendance delete");
    if (removed == 0) {
        api_rollback(r);
        return reply_problem(r, 404, "not_found", NULL);
    }
    if (api_audit(r, "unattend", "group_activity", activity, resident) < 0 || api_commit(r) < 0)
        return -1;
    return reply_json(r, 200,
                      json_pack("{s:I, s:I, s:I, s:b, s:i}", "group_id", (json_int_t)id,
                                "activity_id", (json_int_t)activity, "resident_id",
                                (json_int_t)resident, "deleted", 1, "entitlements_returned",
                                returned));
}
