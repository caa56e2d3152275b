/* visit_requests.c - bookings with the team (issue 16, docs/resident-loop.md "Visit
 * requests"): a resident, a household member with proxy consent, or the team's staff on the
 * resident's behalf asks the resident's contracted team for a clinic visit, a home visit or a
 * specialist appointment; the team sees its requests high priority first
 * (domain/visit_priority.c), confirms each with a day and a half-day - a specialist request by
 * booking a family-doctor slot through api/slots.h, with every rule of POST /bookings - cancels
 * it or marks it done. The confirmation and a reminder at 09:00 the day before are outbox rows
 * written in the confirming transaction (keys visit:<id>:confirmed, visit:<id>:reminder);
 * cancelling cancels what has not gone out yet. A home visit marked done is recorded as an
 * encounter at home, so it counts where visits and home visits are counted (the indicators,
 * the contract's home_visit entitlement).
 *
 * Scope: a resident acts for themself and the members who gave proxy consent; staff only for
 * the people signed with a team they are on (auth/scope.c scope_require_team_staff), not every
 * resident they may see. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/handlers.h"
#include "api/slots.h"
#include "auth/scope.h"
#include "domain/visit_priority.h"
#include "json/jsonx.h"
#include "store/entitlement_use.h"
#include "store/contracts.h"
#include "store/outbox.h"
#include "store/registry.h"
#include "store/residents.h"
#include "store/services.h"
#include "store/visit_requests.h"

static const char *const KIND_ZH[VISIT_KIND_COUNT] = {"门诊就诊", "上门服务", "专科预约"};

static const char *half_day_zh(const char *time)
{
    return time && !strcmp(time, "pm") ? "下午" : "上午";
}

/* Staff act only for the people of a team they are on; a resident's own scope (themself and
 * proxy-consenting members) was checked by scope_require_resident. */
static int require_team_side(struct request *r, int64_t team)
{
    if (r->user.role == ROLE_RESIDENT) return 0;
    return scope_require_team_staff(r, team);
}

/* The resident's contracted team: 0 and *team, else 422 not_signed. */
static int contracted_team_or_reply(struct request *r, int64_t resident, int64_t *team)
{
    *team = store_active_contract_team(r->db, resident);
    if (*team < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (!*team) return reply_problem(r, 422, "not_signed", "resident_id");
    return 0;
}

/* A day in the body: required, from today to VISIT_MAX_LEAD_DAYS ahead. */
static int visit_day_check(json_t *body, const char *field, struct date *day, char text[11],
                           struct jy_error *err)
{
    if (jx_date(body, field, JX_REQUIRED, day, NULL, err) < 0) return -1;
    const char *problem = visit_date_problem(*day, date_today());
    if (problem) return jy_fail(err, 422, problem, field, NULL);
    date_format(*day, text);
    return 0;
}

static const char *const TIMES[] = {"am", "pm", NULL};
static const char *const KINDS[] = {"clinic", "home", "specialist", NULL};

/* "age_80" and "bedridden" as a JSON array text into out. */
static void reasons_text(int reasons, char out[40])
{
    snprintf(out, 40, "[%s%s%s]", reasons & VISIT_REASON_AGE ? "\"age_80\"" : "",
             reasons == (VISIT_REASON_AGE | VISIT_REASON_BEDRIDDEN) ? "," : "",
             reasons & VISIT_REASON_BEDRIDDEN ? "\"bedridden\"" : "");
}

static void add_age(json_t *item, struct date today)
{
    struct date birth;
    const char *text = json_string_value(json_object_get(item, "birth_date"));
    if (text && date_parse(text, &birth) == 0)
        json_object_set_new(item, "age", json_integer(date_age_years(birth, today)));
    json_object_del(item, "birth_date");
}

static int reply_request(struct request *r, int status, int64_t id)
{
    json_t *o = store_visit_request_json(r->db, id);
    if (!o) return reply_problem(r, 500, "internal_error", NULL);
    add_age(o, date_today());
    return reply_json(r, status, o);
}

int handle_visit_request_create(struct request *r)
{
    int64_t resident, team, body_resident = 0, department = 0;
    if (request_param_id(r, 0, &resident) < 0) return -1;
    if (scope_require_resident(r, resident) < 0 ||
        contracted_team_or_reply(r, resident, &team) < 0 || require_team_side(r, team) < 0)
        return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    const char *kind, *time = NULL, *reason = NULL;
    struct date preferred;
    char preferred_text[11], birth_text[11], county[7], reasons_json[40];
    struct jy_error err;
    int rc = -1;
    if (jx_enum(body, "kind", JX_REQUIRED, KINDS, &kind, &err) < 0 ||
        visit_day_check(body, "preferred_date", &preferred, preferred_text, &err) < 0 ||
        jx_enum(body, "preferred_time", JX_OPTIONAL, TIMES, &time, &err) < 0 ||
        jx_string(body, "reason", JX_OPTIONAL, 500, &reason, &err) < 0 ||
        jx_int(body, "department_id", JX_OPTIONAL, 1, INT64_MAX, &department, NULL, &err) < 0 ||
        jx_int(body, "resident_id", JX_OPTIONAL, 1, INT64_MAX, &body_resident, NULL, &err) < 0) {
        return reply_error(r, &err);
    }
    /* The path names the person; a body naming another is a mistake, not a second person. */
    if (body_resident && body_resident != resident) {
        return reply_problem(r, 422, "invalid_field", "resident_id");
    }
    /* A department is a specialist request's wish (the hospitals' departments are public). */
    int known = department ? store_visit_department_exists(r->db, department) : 1;
    if (known < 0) {
        return reply_problem(r, 500, "internal_error", NULL);
    }
    if (!known || (department && strcmp(kind, "specialist"))) {
        return reply_problem(r, 422, "invalid_field", "department_id");
    }
    struct date birth;
    if (store_visit_resident_facts(r->db, resident, birth_text, county) < 0 ||
        date_parse(birth_text, &birth) < 0) {
        return reply_problem(r, 500, "internal_error", NULL);
    }
    int bedridden = store_resident_bedridden(r->db, resident);
    int64_t contract = store_contract_active_id(r->db, resident);
    if (bedridden < 0 || contract < 0) {
        return reply_problem(r, 500, "internal_error", NULL);
    }
    int reasons = visit_priority_reasons(birth, date_today(), bedridden);
    reasons_text(reasons, reasons_json);
    struct visit_request_input in = {resident,
                                     team,
                                     contract,
                                     department,
                                     r->user.user_id,
                                     kind,
                                     visit_priority_name(reasons),
                                     reasons_json,
                                     preferred_text,
                                     time,
                                     reason,
                                     county};
    if (api_begin(r) < 0) return rc;
    int64_t id = store_visit_request_insert(r->db, &in);
    if (id == DB_CONSTRAINT) {
        api_rollback(r);
        return reply_problem(r, 409, "visit_request_open", "kind");
    }
    if (id < 0) {
        return api_fail_internal(r, "visit request");
    }
    if (api_audit(r, "create", "visit_request", id, resident) < 0 || api_commit(r) < 0) return rc;
    rc = reply_request(r, 201, id);
    return rc;
}

int handle_resident_visit_requests(struct request *r)
{
    int64_t resident;
    if (request_param_id(r, 0, &resident) < 0) return -1;
    if (scope_require_resident(r, resident) < 0) return -1;
    json_t *items = store_visit_requests_of_resident(r->db, resident);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    /* Staff see the requests made to a team they are on (a resident who moved to another
     * team keeps the old requests from the new team's view, and the other way round). */
    struct date today = date_today();
    for (size_t i = json_array_size(items); i-- > 0;) {
        json_t *item = json_array_get(items, i);
        if (r->user.role != ROLE_RESIDENT &&
            !scope_on_team(r, json_integer_value(json_object_get(item, "team_id"))))
            json_array_remove(items, i);
        else
            add_age(item, today);
    }
    return api_reply_resident_items(r, resident, "visit_request", items);
}

int handle_team_visit_requests(struct request *r)
{
    int64_t team, cursor;
    int limit, more;
    if (request_param_id(r, 0, &team) < 0 || scope_require_team_staff(r, team) < 0 ||
        request_page(r, &limit, &cursor) < 0)
        return -1;
    static const char *const OPEN[] = {"requested", "confirmed", NULL};
    static const char *const ALL[] = {"requested", "confirmed", "done", "cancelled", NULL};
    const char *status = request_query(r, "status");
    const char *one[2] = {status, NULL};
    const char *const *statuses = one;
    if (!status || !strcmp(status, "open"))
        statuses = OPEN;
    else if (!strcmp(status, "all"))
        statuses = ALL;
    else if (visit_status_parse(status) < 0)
        return reply_problem(r, 422, "invalid_field", "status");
    json_t *items = store_visit_requests_of_team(r->db, team, statuses, limit, cursor, &more);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    struct date today = date_today();
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item)
        add_age(item, today);
    char team_text[24];
    snprintf(team_text, sizeof team_text, "%lld", (long long)team);
    api_audit_list(r, "visit_request_list", team_text, items, "resident_id");
    json_t *out = json_pack("{s:o}", "items", items);
    json_object_set_new(out, "next_cursor", more ? json_integer(cursor + limit) : json_null());
    return reply_json(r, 200, out);
}

/* The request of the path, in the caller's scope: 0 and *v, else replied (404, 403). */
static int request_in_scope(struct request *r, struct visit_request_row *v)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    int rc = store_visit_request_get(r->db, id, v);
    if (rc == STORE_NOT_FOUND) return reply_problem(r, 404, "not_found", NULL);
    if (rc < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (scope_require_resident(r, v->resident_id) < 0) return -1;
    return require_team_side(r, v->team_id);
}

/* The move from the request's state to `to` must be one the rules allow: else 409. */
static int may_move_or_reply(struct request *r, const struct visit_request_row *v,
                             enum visit_status to)
{
    int from = visit_status_parse(v->status);
    if (from < 0 || !visit_transition_allowed((enum visit_status)from, to))
        return reply_problem(r, 409, "invalid_visit_transition", "status");
    return 0;
}

/* Writes a message to the request's resident about it (inside the transaction). */
static int notify(struct request *r, const struct visit_request_row *v, const char *stage,
                  const char *body, int64_t not_before)
{
    char key[64];
    snprintf(key, sizeof key, "visit:%lld:%s", (long long)v->id, stage);
    struct outbox_message m = {.key = key,
                               .kind = "booking",
                               .resident_id = v->resident_id,
                               .subject = "家医预约",
                               .body = body,
                               .source_kind = "visit_request",
                               .source_id = v->id,
                               .not_before = not_before};
    return store_outbox_put(r->db, &m) < 0 ? -1 : 0;
}

/* The words a message uses for where and when: "2026-05-12 上午，某某团队" or, for a
 * specialist booking, "2026-05-12 09:30 县人民医院 心血管内科". */
static int visit_place(struct request *r, const struct visit_request_row *v, const char *date,
                       const char *time, int64_t booking, char *out, size_t n)
{
    char place[200];
    if (booking) {
        if (store_visit_booking_place(r->db, booking, place, sizeof place) < 0) return -1;
        snprintf(out, n, "%s %s", date, place);
        return 0;
    }
    if (store_visit_team_name(r->db, v->team_id, place, sizeof place) < 0) return -1;
    snprintf(out, n, "%s %s，%s", date, half_day_zh(time), place);
    return 0;
}

/* Inside the transaction: the confirmation and the reminder of the day before. */
static int notify_confirmed(struct request *r, const struct visit_request_row *v, struct date day,
                            const char *date, const char *time, int64_t booking)
{
    char place[300], text[600];
    int kind = visit_kind_parse(v->kind);
    if (kind < 0 || visit_place(r, v, date, time, booking, place, sizeof place) < 0) return -1;
    snprintf(text, sizeof text, "【家医预约】您的%s已确认：%s。如需取消请联系您的家庭医生团队。",
             KIND_ZH[kind], place);
    if (notify(r, v, "confirmed", text, 0) < 0) return -1;
    int64_t at;
    if (!visit_reminder_time(day, date_today(), &at)) return 0;
    snprintf(text, sizeof text, "【家医提醒】明天是您的%s：%s。", KIND_ZH[kind], place);
    return notify(r, v, "reminder", text, at);
}

int handle_visit_request_confirm(struct request *r)
{
    struct visit_request_row v;
    if (request_in_scope(r, &v) < 0 || may_move_or_reply(r, &v, VISIT_CONFIRMED) < 0) return -1;
    int64_t team;
    if (contracted_team_or_reply(r, v.resident_id, &team) < 0) return -1;
    if (team != v.team_id) return reply_problem(r, 422, "not_signed", "resident_id");
    json_t *body = request_json_body(r);
    if (!body) return -1;
    int specialist = !strcmp(v.kind, "specialist");
    int64_t slot_id = 0;
    const char *time = NULL;
    struct date day;
    char date[11];
    struct slot_row slot;
    struct entitlement_rules rules = {0};
    json_t *used = json_array();
    struct jy_error err;
    int rc = -1;
    if (jx_int(body, "slot_id", JX_OPTIONAL, 1, INT64_MAX, &slot_id, NULL, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    if (specialist) {
        /* The slot says when: its day and half-day; the date and time sent are not needed. */
        if (!slot_id) {
            rc = reply_problem(r, 422, "missing_field", "slot_id");
            goto done;
        }
        if (slots_require_bookable(r, slot_id, &slot) < 0) goto done;
        memcpy(date, slot.starts_at, 10);
        date[10] = '\0';
        if (date_parse(date, &day) < 0) {
            rc = reply_problem(r, 500, "internal_error", NULL);
            goto done;
        }
        time = visit_half_day_of(slot_parse_time(slot.starts_at + 11));
        if (store_entitlement_rules_load(r->db, &rules) < 0) {
            rc = reply_problem(r, 500, "internal_error", NULL);
            goto done;
        }
    } else {
        if (slot_id) {
            rc = reply_problem(r, 422, "invalid_field", "slot_id");
            goto done;
        }
        if (visit_day_check(body, "date", &day, date, &err) < 0 ||
            jx_enum(body, "time", JX_REQUIRED, TIMES, &time, &err) < 0) {
            rc = reply_error(r, &err);
            goto done;
        }
    }
    if (api_begin(r) < 0) goto done;
    int64_t booking = 0;
    if (specialist) {
        struct booking_input in = {slot_id, v.resident_id, team, r->user.user_id, 0, 0};
        booking = slots_book_in_transaction(r, &rules, &in, used);
        if (booking < 0) goto done;
    }
    int moved = store_visit_request_confirm(r->db, v.id, date, time, booking, r->user.user_id);
    if (moved < 0) {
        rc = api_fail_internal(r, "visit confirm");
        goto done;
    }
    if (!moved) {
        api_rollback(r);
        rc = reply_problem(r, 409, "invalid_visit_transition", "status");
        goto done;
    }
    if (notify_confirmed(r, &v, day, date, time, booking) < 0) {
        rc = api_fail_internal(r, "visit confirm outbox");
        goto done;
    }
    if (api_audit(r, "confirm", "visit_request", v.id, v.resident_id) < 0 || api_commit(r) < 0)
        goto done;
    rc = reply_request(r, 200, v.id);
done:
    store_entitlement_rules_free(&rules);
    json_decref(used);
    return rc;
}

/* Inside the transaction: a specialist request's booking, while it still holds its place, is
 * cancelled with it (the place and the entitlement given back). */
static int cancel_booking(struct request *r, int64_t booking, int64_t resident)
{
    struct booking_row b;
    int rc = store_booking_get(r->db, booking, &b);
    if (rc == STORE_NOT_FOUND) return 0;
    if (rc < 0) return -1;
    int moved = store_booking_set_status(r->db, booking, "booked", "cancelled");
    if (moved <= 0) return moved; /* attended, no_show or cancelled already: left as it is */
    if (store_slot_give_back(r->db, b.slot_id) < 0 ||
        store_entitlement_undo(r->db, SOURCE_BOOKING, booking, resident) < 0)
        return -1;
    return api_audit(r, "cancel", "booking", booking, resident) < 0 ? -1 : 0;
}

int handle_visit_request_cancel(struct request *r)
{
    struct visit_request_row v;
    if (request_in_scope(r, &v) < 0 || may_move_or_reply(r, &v, VISIT_CANCELLED) < 0) return -1;
    json_t *body = request_json_body_or_empty(r);
    if (!body) return -1;
    const char *reason = NULL;
    struct jy_error err;
    int rc = -1;
    if (jx_string(body, "reason", JX_OPTIONAL, 500, &reason, &err) < 0) {
        return reply_error(r, &err);
    }
    int was_confirmed = !strcmp(v.status, "confirmed");
    if (api_begin(r) < 0) return rc;
    int moved = store_visit_request_cancel(r->db, v.id, reason, r->user.user_id);
    if (moved < 0) {
        return api_fail_internal(r, "visit cancel");
    }
    if (!moved) {
        api_rollback(r);
        return reply_problem(r, 409, "invalid_visit_transition", "status");
    }
    /* What has not gone out is not sent (the reminder; the confirmation if held overnight);
     * a confirmed visit the team calls off is told to the resident. */
    int failed = (v.booking_id && cancel_booking(r, v.booking_id, v.resident_id) < 0) ||
                 store_outbox_cancel(r->db, "visit_request", v.id) < 0;
    if (!failed && was_confirmed && r->user.role != ROLE_RESIDENT) {
        char place[300], text[600];
        int kind = visit_kind_parse(v.kind);
        failed = kind < 0 || visit_place(r, &v, v.confirmed_date, v.confirmed_time, v.booking_id,
                                         place, sizeof place) < 0;
        if (!failed) {
            snprintf(text, sizeof text,
                     "【家医预约】您的%s（%s）已取消，请联系您的家庭医生团队另约时间。",
                     KIND_ZH[kind], place);
            failed = notify(r, &v, "cancelled", text, 0) < 0;
        }
    }
    if (failed) {
        return api_fail_internal(r, "visit cancel");
    }
    if (api_audit(r, "cancel", "visit_request", v.id, v.resident_id) < 0 || api_commit(r) < 0)
        return rc;
    rc = reply_request(r, 200, v.id);
    return rc;
}

/* Inside the transaction: a home visit done is an encounter at home with the team, which uses
 * up the contract's home_visit entitlement (domain/entitlement_use.c); its id, or -1. */
static int64_t record_home_visit(struct request *r, const struct visit_request_row *v,
                                 struct date day)
{
    char level[16], inst_region[16], region[16], county[7];
    int64_t inst = store_team_institution(r->db, v->team_id);
    if (inst <= 0 || store_institution_level_region(r->db, inst, level, inst_region) < 0 ||
        store_resident_region(r->db, v->resident_id, region) < 0)
        return -1;
    api_county_of(region, county);
    struct encounter_input in = {v->resident_id,
                                 v->confirmed_date,
                                 inst,
                                 !strcmp(level, "primary") || !strcmp(level, "village"),
                                 !strncmp(inst_region, region, 6),
                                 v->team_id,
                                 r->user.staff_id,
                                 NULL,
                                 county,
                                 1};
    int64_t id = store_encounter_insert(r->db, &in);
    if (id < 0) return -1;
    struct entitlement_rules rules = {0};
    struct service_record use = {
        .kind = SOURCE_ENCOUNTER, .date = day, .at_home = 1, .team_id = v->team_id};
    int failed =
        store_entitlement_rules_load(r->db, &rules) < 0 ||
        store_entitlement_use(r->db, &rules, v->resident_id, id, r->user.staff_id, &use, NULL) < 0;
    store_entitlement_rules_free(&rules);
    if (failed) return -1;
    return api_audit(r, "create", "encounter", id, v->resident_id) < 0 ? -1 : id;
}

int handle_visit_request_done(struct request *r)
{
    struct visit_request_row v;
    if (request_in_scope(r, &v) < 0 || may_move_or_reply(r, &v, VISIT_DONE) < 0) return -1;
    struct date day;
    if (date_parse(v.confirmed_date, &day) < 0)
        return reply_problem(r, 500, "internal_error", NULL);
    /* A visit is done on its day or after it, not before. */
    if (!visit_is_due(day, date_today())) return reply_problem(r, 409, "visit_not_due", "status");
    if (api_begin(r) < 0) return -1;
    int64_t encounter = 0;
    if (!strcmp(v.kind, "home") && (encounter = record_home_visit(r, &v, day)) < 0)
        return api_fail_internal(r, "home visit encounter");
    int moved = store_visit_request_done(r->db, v.id, encounter, r->user.user_id);
    if (moved < 0) return api_fail_internal(r, "visit done");
    if (!moved) {
        api_rollback(r);
        return reply_problem(r, 409, "invalid_visit_transition", "status");
    }
    if (store_outbox_cancel(r->db, "visit_request", v.id) < 0)
        return api_fail_internal(r, "visit done");
    if (api_audit(r, "done", "visit_request", v.id, v.resident_id) < 0 || api_commit(r) < 0)
        return -1;
    return reply_request(r, 200, v.id);
}
