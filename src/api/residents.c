/* residents.c (api) - register, search, read and update residents; their record and diagnoses. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "auth/scope.h"
#include "domain/enrolment.h"
#include "domain/icd10.h"
#include "domain/id_number.h"
#include "domain/population.h"
#include "json/jsonx.h"
#include "store/contracts.h"
#include "store/population.h"
#include "store/registry.h"
#include "store/residents.h"
#include "store/scope.h"
#include "store/work.h"

static const char *const RELATIONS[] = {"head",       "spouse",      "child",   "parent",
                                        "grandchild", "grandparent", "sibling", "child_in_law",
                                        "other",      NULL};
static const char *const STATUSES[] = {"alive", "deceased", "moved_out", NULL};

static int phone_ok(const char *p)
{
    size_t n = strlen(p), digits = 0;
    for (size_t i = 0; i < n; i++) {
        if (isdigit((unsigned char)p[i]))
            digits++;
        else if (!(p[i] == '-' || (p[i] == '+' && i == 0) || p[i] == ' '))
            return 0;
    }
    return digits >= 7 && digits <= 15;
}

static int phone_check(const char *phone, struct jy_error *err)
{
    if (phone && !phone_ok(phone))
        return jy_fail(err, 422, "invalid_field", "phone", "7 to 15 digits");
    return 0;
}

/* Region must exist at village or grid level (where people live). */
static int resident_region_or_reply(struct request *r, const char *region)
{
    char level[16];
    int exists = store_region_exists(r->db, region, level);
    if (exists < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (!exists || (strcmp(level, "village") != 0 && strcmp(level, "grid") != 0 &&
                    strcmp(level, "township") != 0))
        return reply_problem(r, 422, "invalid_region", "region");
    return scope_require_region_inside(r, region, "region");
}

/* Sends the resident page (after auditing the read when `audit_read`). */
static int reply_resident(struct request *r, int status, int64_t id, int audit_read)
{
    json_t *o = store_resident_get(r->db, id);
    if (!o) return reply_problem(r, 404, "not_found", NULL);
    if (audit_read) {
        char id_text[24];
        snprintf(id_text, sizeof id_text, "%lld", (long long)id);
        if (api_audit_read(r, "resident", id_text, id) < 0) {
            json_decref(o);
            return -1;
        }
    }
    api_present_resident(r, o, date_today());
    if (status == 201) {
        /* Same name and birth date under another number: maybe one person registered twice. */
        json_t *all = store_resident_possible_duplicates(r->db, id), *dups = json_array();
        /* Only those the caller may see: another township's namesake is not theirs to know. */
        size_t i;
        json_t *v;
        json_array_foreach(all, i, v) {
            if (store_resident_visible(r->db, r->user.user_id, json_integer_value(v)) == 1)
                json_array_append(dups, v);
        }
        json_decref(all);
        if (json_array_size(dups))
            json_object_set_new(o, "possible_duplicates", dups);
        else
            json_decref(dups);
    }
    return reply_json(r, status, o);
}

int api_resident_register(struct request *r, json_t *body, int64_t *registered)
{
    struct jy_error err;
    struct resident_input in;
    memset(&in, 0, sizeof in);
    const char *id_text = NULL, *sex = NULL;
    struct date stated_birth;
    int64_t household = 0;
    int has_birth = 0, has_household = 0, rc = -1;
    struct date today = date_today();
    struct id_number_info info;
    static const char *const SEXES[] = {"M", "F", NULL};
    if (jx_string(body, "name", JX_REQUIRED, 50, &in.name, &err) < 0 ||
        jx_string(body, "id_number", JX_REQUIRED, 18, &id_text, &err) < 0 ||
        id_number_parse(id_text, today, "id_number", &info, &err) < 0 ||
        jx_enum(body, "sex", JX_OPTIONAL, SEXES, &sex, &err) < 0 ||
        jx_date(body, "birth_date", JX_OPTIONAL, &stated_birth, &has_birth, &err) < 0 ||
        jx_string(body, "phone", JX_OPTIONAL, 20, &in.phone, &err) < 0 ||
        phone_check(in.phone, &err) < 0 ||
        jx_string(body, "region", JX_REQUIRED, 14, &in.region, &err) < 0 ||
        jx_string(body, "address", JX_OPTIONAL, 200, &in.address, &err) < 0 ||
        jx_int(body, "household_id", JX_OPTIONAL, 1, INT64_MAX, &household, &has_household, &err) <
            0 ||
        jx_enum(body, "relation", JX_OPTIONAL, RELATIONS, &in.relation, &err) < 0 ||
        jx_bool(body, "disabled", JX_OPTIONAL, &in.disabled, NULL, &err) < 0 ||
        jx_bool(body, "poverty", JX_OPTIONAL, &in.poverty, NULL, &err) < 0 ||
        jx_bool(body, "proxy_consent", JX_OPTIONAL, &in.proxy_consent, NULL, &err) < 0)
        return reply_error(r, &err);
    if (sex && sex[0] != info.sex) {
        jy_fail(&err, 422, "sex_mismatch", "sex", "the ID number says %c", info.sex);
        return reply_error(r, &err);
    }
    if (has_birth && date_compare(stated_birth, info.birth_date) != 0) {
        jy_fail(&err, 422, "birth_date_mismatch", "birth_date", NULL);
        return reply_error(r, &err);
    }
    if (resident_region_or_reply(r, in.region) < 0) return rc;
    char birth[11], county[7], today_text[11], household_region[16];
    date_format(info.birth_date, birth);
    date_format(today, today_text);
    api_county_of(in.region, county);
    in.id_number = info.normalized;
    in.sex = info.sex;
    in.birth_date = birth;
    in.county_code = county;
    if (has_household) {
        if (store_household_region(r->db, household, household_region) != 0) {
            jy_fail(&err, 422, "invalid_household", "household_id", NULL);
            return reply_error(r, &err);
        }
        if (scope_require_region_inside(r, household_region, "household_id") < 0) return rc;
    }
    if (api_begin(r) < 0) return rc;
    if (!has_household) { /* a person registers with their household: a new one, headed by them */
        household = store_household_insert(r->db, in.region, in.address, county);
        if (household < 0) {
            api_fail_internal(r, "household insert");
            return rc;
        }
        in.relation = "head";
    }
    in.household_id = household;
    int64_t id = store_resident_insert(r->db, &in);
    if (id == DB_CONSTRAINT) {
        api_rollback(r);
        jy_fail(&err, 409, "duplicate_id_number", "id_number", NULL);
        return reply_error(r, &err);
    }
    if (id < 0) {
        api_fail_internal(r, "resident insert");
        return rc;
    }
    if ((!has_household && store_household_set_head(r->db, household, id) < 0) ||
        store_record_create(r->db, id, today_text) < 0 ||
        store_recompute_household(r->db, household, id, today) < 0) {
        api_fail_internal(r, "resident registration");
        return rc;
    }
    if (api_audit(r, "create", "resident", id, id) < 0 || api_commit(r) < 0) return rc;
    *registered = id;
    return 0;
    return rc;
}

int handle_resident_create(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    int64_t id;
    int rc = api_resident_register(r, body, &id);
    return rc < 0 ? -1 : reply_resident(r, 201, id, 0);
}

int handle_resident_get(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_resident(r, id) < 0) return -1;
    return reply_resident(r, 200, id, 1);
}

static int parse_class(const char *s)
{
    if (!s) return 0;
    if (!strcmp(s, "1") || !strcmp(s, "I")) return 1;
    if (!strcmp(s, "2") || !strcmp(s, "II")) return 2;
    if (!strcmp(s, "3") || !strcmp(s, "III")) return 3;
    return -1;
}

int handle_residents_list(struct request *r)
{
    struct resident_filter f;
    memset(&f, 0, sizeof f);
    int limit;
    int64_t cursor, total = 0, next = 0;
    if (request_page(r, &limit, &cursor) < 0) return -1;
    f.user_id = r->user.user_id;
    f.q = request_query(r, "q");
    f.region = request_query(r, "region");
    f.program = request_query(r, "program");
    f.status = request_query(r, "status");
    f.population_class = parse_class(request_query(r, "class"));
    if (f.population_class < 0) return reply_problem(r, 422, "invalid_field", "class");
    /* ?signed=false: the people without a current contract, for a signing campaign. */
    const char *signed_text = request_query(r, "signed");
    f.signed_state = !signed_text                    ? -1
                     : !strcmp(signed_text, "true")  ? 1
                     : !strcmp(signed_text, "false") ? 0
                                                     : -2;
    if (f.signed_state == -2) return reply_problem(r, 422, "invalid_field", "signed");
    if (f.q && jx_utf8_length(f.q) > 50) return reply_problem(r, 422, "invalid_field", "q");
    if (f.program && !program_is_known(f.program))
        return reply_problem(r, 422, "invalid_field", "program");
    if (f.status && strcmp(f.status, "alive") && strcmp(f.status, "deceased") &&
        strcmp(f.status, "moved_out"))
        return reply_problem(r, 422, "invalid_field", "status");
    const char *team = request_query(r, "team");
    if (team) {
        char *end;
        f.team_id = strtoll(team, &end, 10);
        if (*end || f.team_id <= 0) return reply_problem(r, 422, "invalid_field", "team");
    }
    if (f.region && scope_require_region(r, f.region, "region") < 0) return -1;
    json_t *items = store_resident_search(r->db, &f, limit, cursor,
                                          request_wants_total(r) ? &total : NULL, &next);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    struct date today = date_today();
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item) {
        api_present_resident(r, item, today);
        json_object_del(item, "address");
    }
    /* A search is a read of every person it returns: one entry names them all. */
    api_audit_list(r, "resident_search", f.q ? "q" : "list", items, "id");
    return reply_json(r, 200, api_page(items, next, total));
}

/* A death or a move out of the county (status `status` from `left_on`) ends, in the
 * request's transaction, what the daily pass and the indicators would otherwise keep
 * counting: the contract (terminated that day for the matching reason, never before it
 * began) and every open task. The programmes end through store_enrol_automatic. 0, or -1
 * after replying. */
static int end_what_a_departure_ends_or_reply(struct request *r, int64_t id, const char *status,
                                              const char *left_on_text);

int api_resident_depart(struct request *r, int64_t id, const char *status, const char *left_on_text)
{
    struct resident_update u = {NULL, NULL, NULL, NULL, NULL, status, left_on_text, -1, -1, -1, -1};
    struct date today = date_today();
    int64_t household = store_resident_household(r->db, id);
    if (store_resident_update(r->db, id, &u) < 0 ||
        store_recompute_household(r->db, household, id, today) < 0 ||
        store_enrol_automatic(r->db, today, id) < 0)
        return api_fail_internal(r, "resident departure");
    return end_what_a_departure_ends_or_reply(r, id, status, left_on_text);
}

static int end_what_a_departure_ends_or_reply(struct request *r, int64_t id, const char *status,
                                              const char *left_on_text)
{
    const char *reason = departure_contract_reason(status);
    if (!reason) return 0;
    struct open_contract open[4];
    struct date left_on, start;
    char end_text[11];
    int n = store_contracts_open_of(r->db, id, open, 4);
    if (n < 0 || date_parse(left_on_text, &left_on) < 0)
        return api_fail_internal(r, "departure contracts");
    for (int i = 0; i < n; i++) {
        if (date_parse(open[i].start_date, &start) < 0)
            return api_fail_internal(r, "departure contract date");
        date_format(departure_contract_end(left_on, start), end_text);
        if (store_contract_set_status(r->db, open[i].id, open[i].status, "terminated", end_text,
                                      reason) != 1 ||
            store_contract_event(r->db, open[i].id, open[i].status, "terminated", reason,
                                 r->user.user_id) < 0)
            return api_fail_internal(r, "departure contract");
        if (api_audit(r, "terminate", "contract", open[i].id, id) < 0) return -1;
    }
    if (store_tasks_cancel_for(r->db, id, NULL, r->user.user_id, status) < 0)
        return api_fail_internal(r, "departure tasks");
    return 0;
}

int handle_resident_update(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_resident(r, id) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    struct resident_update u = {NULL, NULL, NULL, NULL, NULL, NULL, NULL, -1, -1, -1, -1};
    struct date status_date;
    int has_status_date = 0, has_household = 0, rc = -1;
    int64_t household = 0;
    char status_date_text[11];
    if (jx_string(body, "name", JX_OPTIONAL, 50, &u.name, &err) < 0 ||
        jx_string(body, "phone", JX_OPTIONAL, 20, &u.phone, &err) < 0 ||
        phone_check(u.phone, &err) < 0 ||
        jx_string(body, "address", JX_OPTIONAL, 200, &u.address, &err) < 0 ||
        jx_string(body, "region", JX_OPTIONAL, 14, &u.region, &err) < 0 ||
        jx_enum(body, "relation", JX_OPTIONAL, RELATIONS, &u.relation, &err) < 0 ||
        jx_enum(body, "status", JX_OPTIONAL, STATUSES, &u.status, &err) < 0 ||
        jx_date(body, "status_date", JX_OPTIONAL, &status_date, &has_status_date, &err) < 0 ||
        jx_int(body, "household_id", JX_OPTIONAL, 0, INT64_MAX, &household, &has_household, &err) <
            0 ||
        jx_bool(body, "disabled", JX_OPTIONAL, &u.disabled, NULL, &err) < 0 ||
        jx_bool(body, "poverty", JX_OPTIONAL, &u.poverty, NULL, &err) < 0 ||
        jx_bool(body, "proxy_consent", JX_OPTIONAL, &u.proxy_consent, NULL, &err) < 0)
        return reply_error(r, &err);
    struct date today = date_today();
    if (u.status) {
        if (!has_status_date) status_date = today;
        if (date_compare(status_date, today) > 0) {
            jy_fail(&err, 422, "invalid_date", "status_date", "in the future");
            return reply_error(r, &err);
        }
        date_format(status_date, status_date_text);
        u.status_date = status_date_text;
    }
    if (u.region && resident_region_or_reply(r, u.region) < 0) return rc;
    /* A county holds its residents' records (county_code, the federation's partition): a
     * move to another county is that county's registration, not a change of place here. */
    char current[16];
    if (u.region &&
        (store_resident_region(r->db, id, current) != 0 || strncmp(current, u.region, 6) != 0)) {
        jy_fail(&err, 422, "invalid_region", "region", "another county's place");
        return reply_error(r, &err);
    }
    if (has_household) {
        char hh_region[16];
        if (household > 0 && store_household_region(r->db, household, hh_region) != 0) {
            jy_fail(&err, 422, "invalid_household", "household_id", NULL);
            return reply_error(r, &err);
        }
        if (household > 0 && scope_require_region_inside(r, hh_region, "household_id") < 0)
            return rc;
        u.household_id = household;
    }
    if (api_begin(r) < 0) return rc;
    int64_t old_household = store_resident_household(r->db, id);
    if (store_resident_update(r->db, id, &u) < 0 ||
        store_recompute_household(r->db, old_household, id, today) < 0 ||
        (has_household && household != old_household &&
         store_recompute_household(r->db, household, id, today) < 0) ||
        store_enrol_automatic(r->db, today, id) < 0) {
        api_fail_internal(r, "resident update");
        return rc;
    }
    if (u.status && end_what_a_departure_ends_or_reply(r, id, u.status, u.status_date) < 0)
        return rc;
    if (api_audit(r, "update", "resident", id, id) < 0 || api_commit(r) < 0) return rc;
    return reply_resident(r, 200, id, 0);
    return rc;
}

int handle_record_update(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_resident(r, id) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    int opened = 0, has_consent = 0;
    struct date consent;
    char consent_text[11];
    if (jx_bool(body, "opened_to_resident", JX_REQUIRED, &opened, NULL, &err) < 0 ||
        jx_date(body, "consent_date", opened ? JX_REQUIRED : JX_OPTIONAL, &consent, &has_consent,
                &err) < 0) {
        return reply_error(r, &err);
    }
    if (has_consent && date_compare(consent, date_today()) > 0)
        return reply_problem(r, 422, "invalid_date", "consent_date");
    if (has_consent) date_format(consent, consent_text);
    if (api_begin(r) < 0) return -1;
    if (store_record_set_open(r->db, id, opened, opened && has_consent ? consent_text : NULL) < 0) {
        api_rollback(r);
        return reply_problem(r, 404, "not_found", NULL);
    }
    if (api_audit(r, opened ? "open_record" : "close_record", "health_record", id, id) < 0 ||
        api_commit(r) < 0)
        return -1;
    return reply_resident(r, 200, id, 0);
}

int handle_diagnosis_create(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_resident(r, id) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    const char *icd10 = NULL, *note = NULL;
    struct date on;
    if (jx_string(body, "icd10", JX_REQUIRED, 8, &icd10, &err) < 0 ||
        jx_date(body, "diagnosed_on", JX_REQUIRED, &on, NULL, &err) < 0 ||
        jx_string(body, "note", JX_OPTIONAL, 500, &note, &err) < 0 ||
        (!icd10_valid(icd10) &&
         jy_fail(&err, 422, "invalid_field", "icd10", "an ICD-10 code such as I10 or E11.9") < 0) ||
        (date_compare(on, date_today()) > 0 &&
         jy_fail(&err, 422, "invalid_date", "diagnosed_on", "in the future") < 0)) {
        return reply_error(r, &err);
    }
    char on_text[11];
    date_format(on, on_text);
    int rc = -1;
    if (api_begin(r) < 0) return rc;
    int64_t did = store_diagnosis_insert(r->db, id, icd10, on_text, note);
    if (did < 0) {
        api_fail_internal(r, "diagnosis insert");
        return rc;
    }
    if (api_audit(r, "create", "diagnosis", did, id) < 0 || api_commit(r) < 0) return rc;
    rc = reply_json(r, 201,
                    json_pack("{s:I, s:I, s:s, s:s, s:s?}", "id", (json_int_t)did, "resident_id",
                              (json_int_t)id, "icd10", icd10, "diagnosed_on", on_text, "note",
                              note));
    return rc;
}
