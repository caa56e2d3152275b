/* slots.c - specialist slots and bookings (issue 15, docs/hospital-loop.md "Slots and
 * bookings", API.md): a family doctor searches the slots released to them and books one for
 * a signed resident; a hospital desk keeps its departments, release rules and schedules and
 * records who came. A booking is one transaction around the guarded UPDATE of
 * store_slot_take, so fifty requests for the last place give one booking and 49 × 409
 * slot_taken; it uses up the contract's priority_booking entitlement when something is left
 * (and books all the same when nothing is). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/handlers.h"
#include "api/slots.h"
#include "auth/scope.h"
#include "domain/slot_release.h"
#include "json/jsonx.h"
#include "store/entitlement_use.h"
#include "store/scope.h"
#include "store/services.h"
#include "store/slots.h"

#define MAX_RANGE_DAYS 366

static void today_text(char out[11])
{
    date_format(date_today(), out);
}

/* ?name=ID: 0 when absent; 422 naming it when not a positive id. */
static int query_id_or_reply(struct request *r, const char *name, int64_t *out)
{
    const char *text = request_query(r, name);
    *out = 0;
    if (!text) return 0;
    char *end;
    long long v = strtoll(text, &end, 10);
    if (!*text || *end || v <= 0) return reply_problem(r, 422, "invalid_field", name);
    *out = v;
    return 0;
}

/* ?from=&to= as days: from defaults to `from_default`, to to from + `span` days; to before
 * from or a range over a year is 422 naming `to`. */
static int query_range_or_reply(struct request *r, struct date from_default, int span,
                                char from[11], char to[11])
{
    const char *f = request_query(r, "from"), *t = request_query(r, "to");
    struct date a = from_default, b;
    if (f && date_parse(f, &a) < 0) return reply_problem(r, 422, "invalid_date", "from");
    b = date_add_days(a, span);
    if (t && date_parse(t, &b) < 0) return reply_problem(r, 422, "invalid_date", "to");
    if (date_compare(b, a) < 0 || date_diff_days(b, a) > MAX_RANGE_DAYS)
        return reply_problem(r, 422, "invalid_field", "to");
    date_format(a, from);
    date_format(b, to);
    return 0;
}

/* A hospital a filter names (any user): it must be a hospital, else 422 naming field. */
static int require_hospital_exists(struct request *r, int64_t id, const char *field)
{
    int v = store_hospital_desk(r->db, r->user.user_id, id);
    if (v == STORE_NOT_FOUND) return reply_problem(r, 422, "invalid_field", field);
    if (v < 0) return reply_problem(r, 500, "internal_error", NULL);
    return 0;
}

/* A hospital desk's hospital: the one named (checked against the desk) or its own. */
static int desk_hospital_or_reply(struct request *r, int64_t *hospital)
{
    if (*hospital) return scope_require_hospital_desk(r, *hospital, "hospital");
    *hospital = store_user_hospital(r->db, r->user.user_id);
    if (*hospital <= 0) return reply_problem(r, 403, "out_of_scope", "hospital");
    return 0;
}

static json_t *page(json_t *items, int more, int64_t offset, int limit)
{
    json_t *out = json_pack("{s:o}", "items", items);
    json_object_set_new(out, "next_cursor", more ? json_integer(offset + limit) : json_null());
    return out;
}

int handle_slots_search(struct request *r)
{
    int64_t hospital, cursor;
    int limit, more;
    char today[11], from[11], to[11];
    const char *all = request_query(r, "all"), *department = request_query(r, "department");
    if (query_id_or_reply(r, "hospital", &hospital) < 0 || request_page(r, &limit, &cursor) < 0)
        return -1;
    if (all && strcmp(all, "true") && strcmp(all, "false"))
        return reply_problem(r, 422, "invalid_field", "all");
    int desk = role_is_hospital(r->user.role) || (all && !strcmp(all, "true"));
    if (desk) {
        if (!hospital && !role_is_hospital(r->user.role))
            return reply_problem(r, 422, "missing_field", "hospital");
        if (desk_hospital_or_reply(r, &hospital) < 0) return -1;
    } else if (hospital && require_hospital_exists(r, hospital, "hospital") < 0) {
        return -1;
    }
    if (department && (!*department || strlen(department) > 32))
        return reply_problem(r, 422, "invalid_field", "department");
    today_text(today);
    if (query_range_or_reply(r, date_today(), 28, from, to) < 0) return -1;
    /* Nothing before today can be booked: the caller's view starts today. */
    if (!desk && strcmp(from, today) < 0) memcpy(from, today, sizeof from);
    struct slot_query q = {hospital, department, from, to, today, desk, limit, cursor};
    json_t *items = store_slots_search(r->db, &q, &more);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    return reply_json(r, 200, page(items, more, cursor, limit));
}

/* The resident's contract team when the caller is on it: 0 and *team, else replies 422
 * not_signed naming resident_id. */
static int signed_team_or_reply(struct request *r, int64_t resident, int64_t *team)
{
    *team = store_active_contract_team(r->db, resident);
    if (*team < 0) return reply_problem(r, 500, "internal_error", NULL);
    int on = *team && r->user.staff_id ? store_team_staffed_by(r->db, *team, r->user.staff_id) : 0;
    if (on < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (!on) return reply_problem(r, 422, "not_signed", "resident_id");
    return 0;
}

/* The slot named by slot_id, bookable by family doctors today: 0 and *slot, else replies
 * (422 naming slot_id: no such slot, not_released). */
static int bookable_slot_or_reply(struct request *r, int64_t slot_id, struct slot_row *slot)
{
    int rc = store_slot_get(r->db, slot_id, slot);
    if (rc == STORE_NOT_FOUND) return reply_problem(r, 422, "invalid_field", "slot_id");
    if (rc < 0) return reply_problem(r, 500, "internal_error", NULL);
    char today[11];
    today_text(today);
    /* family_from and public_from were set by domain/slot_release.c when the session was
     * published; the slot's day must not have passed. */
    if (strcmp(slot->family_from, today) > 0 || strncmp(slot->starts_at, today, 10) < 0)
        return reply_problem(r, 422, "not_released", "slot_id");
    return 0;
}

/* The optional referral: the same resident, sent to the slot's hospital; else 422. */
static int matching_referral_or_reply(struct request *r, int64_t referral, int64_t resident,
                                      int64_t hospital)
{
    if (!referral) return 0;
    int64_t who, to;
    int rc = store_referral_target(r->db, referral, &who, &to);
    if (rc == -1) return reply_problem(r, 500, "internal_error", NULL);
    if (rc == STORE_NOT_FOUND || who != resident || to != hospital)
        return reply_problem(r, 422, "invalid_field", "referral_id");
    return 0;
}

/* Inside the transaction: takes a place of the slot and writes the booking with what it
 * uses up. The new id, or -1 having rolled back and replied (409 slot_taken, 409
 * already_booked, 500). */
static int64_t book_in_transaction_or_reply(struct request *r,
                                            const struct entitlement_rules *rules,
                                            const struct booking_input *in, json_t *used)
{
    int taken = store_slot_take(r->db, in->slot_id);
    if (taken < 0) return api_fail_internal(r, "slot take");
    if (!taken) {
        api_rollback(r);
        return reply_problem(r, 409, "slot_taken", "slot_id");
    }
    int64_t id = store_booking_insert(r->db, in);
    if (id == DB_CONSTRAINT) {
        api_rollback(r);
        return reply_problem(r, 409, "already_booked", "slot_id");
    }
    if (id < 0) return api_fail_internal(r, "booking");
    struct service_record use = {
        .kind = SOURCE_BOOKING, .date = date_today(), .team_id = in->team_id};
    if (store_entitlement_use(r->db, rules, in->resident_id, id, r->user.staff_id, &use, used) < 0)
        return api_fail_internal(r, "booking entitlement");
    if (api_audit(r, "create", "booking", id, in->resident_id) < 0) return -1;
    return id;
}

static int reply_booking(struct request *r, int status, int64_t id, json_t *used)
{
    json_t *b = store_booking_json(r->db, id);
    if (!b) return reply_problem(r, 500, "internal_error", NULL);
    if (used) json_object_set(b, "entitlements_used", used);
    return reply_json(r, status, b);
}

/* Books a place for a signed resident (checks, the slot taken, entitlements used and the
 * audit in one transaction). 0 and *id, or -1 after replying. `used` gets the entitlements
 * used (may be NULL). */
static int book_or_reply(struct request *r, int64_t slot_id, int64_t resident, int64_t referral,
                         json_t *used, int64_t *id)
{
    int64_t team;
    struct slot_row slot;
    struct entitlement_rules rules = {0};
    int rc = -1;
    json_t *spent = used ? json_incref(used) : json_array();
    if (scope_require_resident(r, resident) < 0 || signed_team_or_reply(r, resident, &team) < 0 ||
        bookable_slot_or_reply(r, slot_id, &slot) < 0 ||
        matching_referral_or_reply(r, referral, resident, slot.hospital_id) < 0)
        goto done;
    if (store_entitlement_rules_load(r->db, &rules) < 0) {
        reply_problem(r, 500, "internal_error", NULL);
        goto done;
    }
    if (api_begin(r) < 0) goto done;
    struct booking_input in = {slot_id, resident, team, r->user.user_id, referral, 0};
    *id = book_in_transaction_or_reply(r, &rules, &in, spent);
    if (*id < 0 || api_commit(r) < 0) goto done;
    rc = 0;
done:
    store_entitlement_rules_free(&rules);
    json_decref(spent);
    return rc;
}

int api_booking_create(struct request *r, int64_t slot_id, int64_t resident_id, int64_t referral_id,
                       int64_t *id)
{
    return book_or_reply(r, slot_id, resident_id, referral_id, NULL, id);
}

int handle_booking_create(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    int64_t slot_id, resident, referral = 0, id;
    json_t *used = json_array();
    struct jy_error err;
    int rc = -1;
    if (jx_int(body, "slot_id", JX_REQUIRED, 1, INT64_MAX, &slot_id, NULL, &err) < 0 ||
        jx_int(body, "resident_id", JX_REQUIRED, 1, INT64_MAX, &resident, NULL, &err) < 0 ||
        jx_int(body, "referral_id", JX_OPTIONAL, 1, INT64_MAX, &referral, NULL, &err) < 0)
        rc = reply_error(r, &err);
    else if (book_or_reply(r, slot_id, resident, referral, used, &id) == 0)
        rc = reply_booking(r, 201, id, used);
    json_decref(used);
    return rc;
}

/* The booking of the path, in the caller's scope through its resident: 0 and *b, else
 * replied (404, 403). */
static int booking_in_scope_or_reply(struct request *r, struct booking_row *b)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    int rc = store_booking_get(r->db, id, b);
    if (rc == STORE_NOT_FOUND) return reply_problem(r, 404, "not_found", NULL);
    if (rc < 0) return reply_problem(r, 500, "internal_error", NULL);
    return scope_require_resident(r, b->resident_id);
}

/* Inside the transaction: the booking cancelled, its place and entitlement given back.
 * 0, or -1 having rolled back and replied (409 invalid_state when it is no longer booked). */
static int cancel_in_transaction_or_reply(struct request *r, const struct booking_row *b)
{
    int moved = store_booking_set_status(r->db, b->id, "booked", "cancelled");
    if (moved < 0) return api_fail_internal(r, "booking cancel");
    if (!moved) {
        api_rollback(r);
        return reply_problem(r, 409, "invalid_state", "status");
    }
    if (store_slot_give_back(r->db, b->slot_id) < 0 ||
        store_entitlement_undo(r->db, SOURCE_BOOKING, b->id, b->resident_id) < 0)
        return api_fail_internal(r, "booking cancel");
    return api_audit(r, "cancel", "booking", b->id, b->resident_id);
}

/* A booking may be changed while it is booked and its day has not passed. */
static int still_open_or_reply(struct request *r, const struct booking_row *b)
{
    char today[11];
    today_text(today);
    if (strcmp(b->status, "booked") || strncmp(b->starts_at, today, 10) < 0)
        return reply_problem(r, 409, "invalid_state", "status");
    return 0;
}

int handle_booking_cancel(struct request *r)
{
    struct booking_row b;
    if (booking_in_scope_or_reply(r, &b) < 0 || still_open_or_reply(r, &b) < 0 || api_begin(r) < 0)
        return -1;
    if (cancel_in_transaction_or_reply(r, &b) < 0 || api_commit(r) < 0) return -1;
    return reply_booking(r, 200, b.id, NULL);
}

int handle_booking_reschedule(struct request *r)
{
    struct booking_row b;
    if (booking_in_scope_or_reply(r, &b) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    int64_t slot_id, team;
    struct slot_row slot;
    struct entitlement_rules rules = {0};
    json_t *used = json_array();
    struct jy_error err;
    int rc = -1;
    if (jx_int(body, "slot_id", JX_REQUIRED, 1, INT64_MAX, &slot_id, NULL, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    if (slot_id == b.slot_id) {
        rc = reply_problem(r, 422, "invalid_field", "slot_id");
        goto done;
    }
    /* The same guards as a new booking; a referral goes along only to its own hospital. */
    if (still_open_or_reply(r, &b) < 0 || signed_team_or_reply(r, b.resident_id, &team) < 0 ||
        bookable_slot_or_reply(r, slot_id, &slot) < 0 ||
        matching_referral_or_reply(r, slot.hospital_id == b.hospital_id ? b.referral_id : 0,
                                   b.resident_id, slot.hospital_id) < 0)
        goto done;
    if (store_entitlement_rules_load(r->db, &rules) < 0) {
        rc = reply_problem(r, 500, "internal_error", NULL);
        goto done;
    }
    if (api_begin(r) < 0 || cancel_in_transaction_or_reply(r, &b) < 0) goto done;
    struct booking_input in = {slot_id,
                               b.resident_id,
                               team,
                               r->user.user_id,
                               slot.hospital_id == b.hospital_id ? b.referral_id : 0,
                               b.id};
    int64_t id = book_in_transaction_or_reply(r, &rules, &in, used);
    if (id < 0 || api_commit(r) < 0) goto done;
    rc = reply_booking(r, 201, id, used);
done:
    store_entitlement_rules_free(&rules);
    json_decref(used);
    return rc;
}

int handle_booking_attendance(struct request *r)
{
    int64_t id;
    struct booking_row b;
    if (request_param_id(r, 0, &id) < 0) return -1;
    int found = store_booking_get(r->db, id, &b);
    if (found == STORE_NOT_FOUND) return reply_problem(r, 404, "not_found", NULL);
    if (found < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (scope_require_hospital_desk(r, b.hospital_id, NULL) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    static const char *const STATUSES[] = {"attended", "no_show", NULL};
    const char *status;
    struct jy_error err;
    int rc = -1;
    char today[11];
    today_text(today);
    if (jx_enum(body, "status", JX_REQUIRED, STATUSES, &status, &err) < 0) {
        return reply_error(r, &err);
    }
    /* Only a booked place whose day has come is attended or missed. */
    if (strcmp(b.status, "booked") || strncmp(b.starts_at, today, 10) > 0) {
        return reply_problem(r, 409, "invalid_state", "status");
    }
    if (api_begin(r) < 0) return rc;
    int moved = store_booking_set_status(r->db, id, "booked", status);
    if (moved < 0) {
        return api_fail_internal(r, "attendance");
    }
    if (!moved) {
        api_rollback(r);
        return reply_problem(r, 409, "invalid_state", "status");
    }
    if (api_audit(r, status, "booking", id, b.resident_id) < 0 || api_commit(r) < 0) return rc;
    rc = reply_booking(r, 200, id, NULL);
    return rc;
}

int handle_bookings_list(struct request *r)
{
    int64_t resident, hospital, cursor;
    int limit, more;
    static const char *const STATUSES[] = {"booked", "cancelled", "attended", "no_show", NULL};
    const char *status = request_query(r, "status"), *from = request_query(r, "from"),
               *to = request_query(r, "to");
    struct date d;
    if (query_id_or_reply(r, "resident", &resident) < 0 ||
        query_id_or_reply(r, "hospital", &hospital) < 0 || request_page(r, &limit, &cursor) < 0)
        return -1;
    if (from && date_parse(from, &d) < 0) return reply_problem(r, 422, "invalid_date", "from");
    if (to && date_parse(to, &d) < 0) return reply_problem(r, 422, "invalid_date", "to");
    int known = !status;
    for (int i = 0; status && STATUSES[i]; i++)
        known |= !strcmp(status, STATUSES[i]);
    if (!known) return reply_problem(r, 422, "invalid_field", "status");
    int desk = role_is_hospital(r->user.role);
    /* A desk sees the bookings of its hospital; everyone else the people of their scope. */
    if (desk && desk_hospital_or_reply(r, &hospital) < 0) return -1;
    if (!desk && hospital && require_hospital_exists(r, hospital, "hospital") < 0) return -1;
    if (!desk && resident && scope_require_resident(r, resident) < 0) return -1;
    struct booking_query q = {resident, hospital, from, to, status, desk ? 0 : r->user.user_id,
                              limit,    cursor};
    json_t *items = store_bookings_list(r->db, &q, &more);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    api_audit_list(r, "booking", NULL, items, "resident_id");
    json_t *last = json_array_get(items, json_array_size(items) - 1);
    json_t *out = json_pack("{s:o}", "items", items);
    json_object_set_new(out, "next_cursor",
                        more && last ? json_incref(json_object_get(last, "id")) : json_null());
    return reply_json(r, 200, out);
}

int handle_slot_utilisation(struct request *r)
{
    int64_t hospital;
    char from[11], to[11];
    const char *by = request_query(r, "by");
    if (!by) by = "hospital";
    if (strcmp(by, "hospital") && strcmp(by, "department") && strcmp(by, "team"))
        return reply_problem(r, 422, "invalid_field", "by");
    if (query_id_or_reply(r, "hospital", &hospital) < 0) return -1;
    int desk = role_is_hospital(r->user.role);
    if (desk && desk_hospital_or_reply(r, &hospital) < 0) return -1;
    if (!desk && hospital && require_hospital_exists(r, hospital, "hospital") < 0) return -1;
    if (query_range_or_reply(r, date_add_days(date_today(), -28), 56, from, to) < 0) return -1;
    json_t *items = store_slot_utilisation(r->db, hospital, from, to, by);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    /* A team's figures are its own business: outside a desk, only the teams one may see. */
    for (size_t i = json_array_size(items); !desk && !strcmp(by, "team") && i-- > 0;) {
        json_t *team = json_object_get(json_array_get(items, i), "team_id");
        if (!json_is_integer(team) || !scope_sees_team(r, json_integer_value(team)))
            json_array_remove(items, i);
    }
    return reply_json(
        r, 200,
        json_pack("{s:o, s:s, s:s, s:s}", "items", items, "by", by, "from", from, "to", to));
}

/* The hospital of the path: 0 and *id when the caller's desk may act for it. */
static int path_hospital_desk_or_reply(struct request *r, int64_t *id)
{
    if (request_param_id(r, 0, id) < 0) return -1;
    int v = store_hospital_desk(r->db, r->user.user_id, *id);
    if (v == STORE_NOT_FOUND) return reply_problem(r, 404, "not_found", NULL);
    return scope_require_hospital_desk(r, *id, NULL);
}

int handle_departments_list(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    /* The departments are the hospital's public face: any searcher may list them. */
    int v = store_hospital_desk(r->db, r->user.user_id, id);
    if (v == STORE_NOT_FOUND) return reply_problem(r, 404, "not_found", NULL);
    if (v < 0) return reply_problem(r, 500, "internal_error", NULL);
    json_t *items = store_departments_list(r->db, id);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    return reply_json(r, 200,
                      json_pack("{s:I, s:o}", "hospital_id", (json_int_t)id, "items", items));
}

/* A department code: 1-32 characters of a-z, 0-9 and _. */
static int code_valid(const char *code)
{
    size_t n = strlen(code);
    if (n < 1 || n > 32) return 0;
    for (size_t i = 0; i < n; i++)
        if (!((code[i] >= 'a' && code[i] <= 'z') || (code[i] >= '0' && code[i] <= '9') ||
              code[i] == '_'))
            return 0;
    return 1;
}

int handle_department_create(struct request *r)
{
    int64_t hospital;
    if (path_hospital_desk_or_reply(r, &hospital) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    const char *code, *name_zh, *name_en;
    struct jy_error err;
    int rc = -1;
    if (jx_string(body, "code", JX_REQUIRED, 32, &code, &err) < 0 ||
        jx_string(body, "name_zh", JX_REQUIRED, 40, &name_zh, &err) < 0 ||
        jx_string(body, "name_en", JX_REQUIRED, 80, &name_en, &err) < 0) {
        return reply_error(r, &err);
    }
    if (!code_valid(code)) {
        return reply_problem(r, 422, "invalid_field", "code");
    }
    if (api_begin(r) < 0) return rc;
    int64_t id = store_department_insert(r->db, hospital, code, name_zh, name_en);
    if (id == DB_CONSTRAINT) {
        api_rollback(r);
        return reply_problem(r, 409, "department_exists", "code");
    }
    if (id < 0) {
        return api_fail_internal(r, "department");
    }
    if (api_audit(r, "create", "department", id, 0) < 0 || api_commit(r) < 0) return rc;
    rc = reply_json(r, 201,
                    json_pack("{s:I, s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "hospital_id",
                              (json_int_t)hospital, "code", code, "name_zh", name_zh, "name_en",
                              name_en));
    return rc;
}

int handle_schedule_create(struct request *r)
{
    int64_t hospital;
    if (path_hospital_desk_or_reply(r, &hospital) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    const char *department, *doctor, *start, *end;
    int64_t staff = 0, minutes, capacity, department_id;
    struct date day;
    char day_text[11];
    struct jy_error err;
    json_t *slots = json_array();
    int rc = -1;
    if (jx_string(body, "department", JX_REQUIRED, 32, &department, &err) < 0 ||
        jx_string(body, "doctor_name", JX_REQUIRED, 40, &doctor, &err) < 0 ||
        jx_int(body, "staff_id", JX_OPTIONAL, 1, INT64_MAX, &staff, NULL, &err) < 0 ||
        jx_date(body, "date", JX_REQUIRED, &day, NULL, &err) < 0 ||
        jx_string(body, "start", JX_REQUIRED, 5, &start, &err) < 0 ||
        jx_string(body, "end", JX_REQUIRED, 5, &end, &err) < 0 ||
        jx_int(body, "slot_minutes", JX_REQUIRED, 5, 240, &minutes, NULL, &err) < 0 ||
        jx_int(body, "capacity", JX_REQUIRED, 1, 100, &capacity, NULL, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    int a = slot_parse_time(start), b = slot_parse_time(end);
    const char *bad = a < 0                   ? "start"
                      : b < 0 || b <= a       ? "end"
                      : (b - a) / minutes < 1 ? "slot_minutes"
                                              : NULL;
    if (!bad && date_compare(day, date_today()) < 0) bad = "date";
    if (!bad && date_diff_days(day, date_today()) > MAX_RANGE_DAYS) bad = "date";
    if (bad) {
        rc = reply_problem(r, 422, strcmp(bad, "date") ? "invalid_field" : "invalid_date", bad);
        goto done;
    }
    department_id = store_department_id(r->db, hospital, department);
    int works = staff ? store_staff_works_at(r->db, staff, hospital) : 1;
    if (department_id < 0 || works < 0) {
        rc = reply_problem(r, 500, "internal_error", NULL);
        goto done;
    }
    if (!department_id || !works) {
        rc = reply_problem(r, 422, "invalid_field", !department_id ? "department" : "staff_id");
        goto done;
    }
    struct release_rule rule;
    if (store_release_rule_get(r->db, hospital, department_id, &rule) < 0) {
        rc = reply_problem(r, 500, "internal_error", NULL);
        goto done;
    }
    date_format(day, day_text);
    struct schedule_input in = {hospital, department_id, staff, r->user.user_id, doctor,
                                day_text, start,         end,   (int)minutes,    (int)capacity};
    if (api_begin(r) < 0) goto done;
    int64_t id = store_schedule_publish(r->db, &in, &rule, slots);
    if (id < 0) {
        rc = api_fail_internal(r, "schedule");
        goto done;
    }
    if (api_audit(r, "create", "schedule", id, 0) < 0 || api_commit(r) < 0) goto done;
    json_t *out =
        json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:O}", "id", (json_int_t)id,
                  "hospital_id", (json_int_t)hospital, "department", department, "doctor_name",
                  doctor, "date", day_text, "start", start, "end", end, "slot_minutes",
                  (json_int_t)minutes, "capacity", (json_int_t)capacity, "slots", slots);
    json_object_set_new(out, "staff_id", staff ? json_integer(staff) : json_null());
    json_object_set_new(out, "release_rule",
                        json_pack("{s:i, s:i, s:i}", "family_share", rule.family_share,
                                  "family_lead_days", rule.family_lead_days, "public_lead_days",
                                  rule.public_lead_days));
    rc = reply_json(r, 201, out);
done:
    json_decref(slots);
    return rc;
}

int handle_release_rules_get(struct request *r)
{
    int64_t hospital;
    if (path_hospital_desk_or_reply(r, &hospital) < 0) return -1;
    json_t *out = store_release_rules_json(r->db, hospital);
    if (!out) return reply_problem(r, 500, "internal_error", NULL);
    return reply_json(r, 200, out);
}

/* A rule's three fields from obj, `prefix` naming them in a refusal ("" or "departments[2]."). */
static int rule_from_check(json_t *obj, const char *prefix, struct release_rule *rule,
                           struct jy_error *err)
{
    static const char *const NAMES[] = {"family_share", "family_lead_days", "public_lead_days"};
    int64_t v[3];
    for (int i = 0; i < 3; i++) {
        if (jx_int(obj, NAMES[i], JX_REQUIRED, i ? 0 : 0, i ? SLOT_RELEASE_MAX_LEAD : 100, &v[i],
                   NULL, err) < 0) {
            if (*prefix) snprintf(err->field, sizeof err->field, "%s%s", prefix, NAMES[i]);
            return -1;
        }
    }
    *rule = (struct release_rule){(int)v[0], (int)v[1], (int)v[2]};
    const char *bad = slot_release_rule_invalid(rule);
    if (bad) {
        char field[64];
        snprintf(field, sizeof field, "%s%s", prefix, bad);
        return jy_fail(err, 422, "invalid_field", field,
                       "family doctors book no later than the public");
    }
    return 0;
}

int handle_release_rules_put(struct request *r)
{
    int64_t hospital;
    if (path_hospital_desk_or_reply(r, &hospital) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct release_rule rule, overrides[64];
    int64_t departments[64];
    struct jy_error err;
    int rc = -1;
    json_t *list = json_object_get(body, "departments"), *item;
    size_t i, n = 0;
    if (rule_from_check(body, "", &rule, &err) < 0) {
        return reply_error(r, &err);
    }
    if (list && (!json_is_array(list) || json_array_size(list) > 64)) {
        return reply_problem(r, 422, "invalid_field", "departments");
    }
    json_array_foreach(list, i, item) {
        char prefix[40], field[56];
        const char *code;
        snprintf(prefix, sizeof prefix, "departments[%zu].", i);
        snprintf(field, sizeof field, "%sdepartment", prefix);
        if (!json_is_object(item)) {
            return reply_problem(r, 422, "invalid_field", field);
        }
        if (jx_string(item, "department", JX_REQUIRED, 32, &code, &err) < 0) {
            snprintf(err.field, sizeof err.field, "%s", field);
            return reply_error(r, &err);
        }
        if (rule_from_check(item, prefix, &overrides[n], &err) < 0) {
            return reply_error(r, &err);
        }
        departments[n] = store_department_id(r->db, hospital, code);
        if (departments[n] < 0) {
            return reply_problem(r, 500, "internal_error", NULL);
        }
        for (size_t k = 0; departments[n] && k < n; k++)
            if (departments[k] == departments[n]) departments[n] = 0; /* named twice */
        if (!departments[n]) {
            return reply_problem(r, 422, "invalid_field", field);
        }
        n++;
    }
    /* The rule applies to the schedules published from now on; published slots keep theirs. */
    if (api_begin(r) < 0) return rc;
    int failed = store_release_rules_clear(r->db, hospital) < 0 ||
                 store_release_rule_put(r->db, hospital, 0, &rule) < 0;
    for (size_t k = 0; !failed && k < n; k++)
        failed = store_release_rule_put(r->db, hospital, departments[k], &overrides[k]) < 0;
    if (failed) {
        return api_fail_internal(r, "release rules");
    }
    if (api_audit(r, "update", "release_rules", hospital, 0) < 0 || api_commit(r) < 0) return rc;
    json_t *out = store_release_rules_json(r->db, hospital);
    rc = out ? reply_json(r, 200, out) : reply_problem(r, 500, "internal_error", NULL);
    return rc;
}

/* For api/visit_requests.c (api/slots.h): the same guards and the same booking as above. */
int slots_require_bookable(struct request *r, int64_t slot_id, struct slot_row *slot)
{
    return bookable_slot_or_reply(r, slot_id, slot);
}

int64_t slots_book_in_transaction(struct request *r, const struct entitlement_rules *rules,
                                  const struct booking_input *in, json_t *used)
{
    return book_in_transaction_or_reply(r, rules, in, used);
}
