/* visit_prompts.c (api) - every visit is a prevention visit (issue 19, seed 001):
 *   GET  /residents/{id}/visit-prompts  what to do while the resident is here: the open
 *        tasks (follow-ups, assessments, checks, calls due), the next vaccination of a child,
 *        the services left on the contract, and the offers domain/visit_prompts.c makes
 *        (enrolment for a chronic diagnosis not managed, a contract for an unsigned
 *        key-population resident);
 *   POST /residents/{id}/visit-offers   what the resident said to an offer, counted; an
 *        accepted enrolment is made in the same transaction (a contract is signed on its own
 *        screen);
 *   GET  /reports/visit-offers?region=&from=&to=  the offers made and accepted;
 *   GET  /visit-day?team=&date=  pre-visit: the people a team expects that day (a confirmed
 *        visit request, a follow-up, TB visit or vaccination due), each with the reasons, the
 *        open tasks, the risk colour of their latest follow-ups and the services left. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/protocols.h"
#include "auth/scope.h"
#include "domain/enrolment.h"
#include "domain/visit_prompts.h"
#include "json/jsonx.h"
#include "store/contracts.h"
#include "store/population.h"
#include "store/residents.h"
#include "store/visit_offers.h"
#include "store/work.h"

#define MAX_FACTS 32

/* The offers for the record as it stands (store_resident_get's answer). */
static int offers_of(const json_t *record, struct date today, const struct population_config *pc,
                     struct visit_offer *out)
{
    const char *dx[MAX_FACTS], *enrolled[MAX_FACTS];
    int n_dx = 0, n_enrolled = 0;
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(record, "diagnoses"), i, v)
        if (n_dx < MAX_FACTS) dx[n_dx++] = json_string_value(json_object_get(v, "icd10"));
    json_array_foreach(json_object_get(record, "programs"), i, v)
        if (n_enrolled < MAX_FACTS) enrolled[n_enrolled++] = json_string_value(v);
    struct date birth;
    date_parse(json_string_value(json_object_get(record, "birth_date")), &birth);
    const json_t *contract = json_object_get(record, "contract");
    const char *status = json_string_value(json_object_get(contract, "status"));
    struct visit_facts f = {date_age_years(birth, today),
                            json_string_value(json_object_get(record, "sex")),
                            (int)json_integer_value(json_object_get(record, "population_class")),
                            status && !strcmp(status, "active"),
                            dx,
                            n_dx,
                            enrolled,
                            n_enrolled};
    return visit_offers(&f, pc, out);
}

static json_t *offers_json(const struct visit_offer *o, int n)
{
    json_t *list = json_array();
    for (int i = 0; i < n; i++) {
        json_t *x = json_pack("{s:s}", "kind", visit_offer_kind_name(o[i].kind));
        if (o[i].program) json_object_set_new(x, "program", json_string(o[i].program));
        if (o[i].diagnosis) json_object_set_new(x, "diagnosis", json_string(o[i].diagnosis));
        json_array_append_new(list, x);
    }
    return list;
}

/* The services still owed on the active contract: [{service, name, remaining}]. */
static json_t *services_left(struct db *db, const json_t *contract)
{
    json_t *left = json_array();
    const char *status = json_string_value(json_object_get(contract, "status"));
    if (!status || strcmp(status, "active") != 0) return left;
    json_t *full = store_contract_get(db, json_integer_value(json_object_get(contract, "id")));
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(full, "entitlements"), i, e)
        if (json_integer_value(json_object_get(e, "remaining")) > 0)
            json_array_append_new(left, json_pack("{s:O,s:O,s:O,s:O}", "service",
                                                  json_object_get(e, "service"), "name",
                                                  json_object_get(e, "name"), "name_en",
                                                  json_object_get(e, "name_en"), "remaining",
                                                  json_object_get(e, "remaining")));
    json_decref(full);
    return left;
}

int handle_visit_prompts(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_resident(r, id) < 0) return -1;
    json_t *record = store_resident_get(r->db, id);
    if (!record) return reply_problem(r, 404, "not_found", NULL);
    struct date today = date_today();
    struct population_config pc = store_population_config(r->db);
    struct visit_offer offers[VISIT_MAX_OFFERS];
    int n = offers_of(record, today, &pc, offers);
    json_t *tasks = store_resident_open_tasks(r->db, id), *vaccination = json_null();
    struct date birth;
    date_parse(json_string_value(json_object_get(record, "birth_date")), &birth);
    if (date_age_years(birth, today) < 7) {
        json_t *schedule = NULL;
        if (api_immunisation_schedule(r, id, record, today, &schedule) == 0) {
            vaccination = json_incref(json_object_get(schedule, "next"));
            json_decref(schedule);
        }
    }
    json_t *out = NULL;
    if (tasks) {
        char today_text[11];
        date_format(today, today_text);
        out = json_pack("{s:I,s:s,s:O,s:o,s:o,s:o,s:o}", "resident_id", (json_int_t)id, "as_of",
                        today_text, "population_class", json_object_get(record, "population_class"),
                        "due", tasks, "next_vaccination", vaccination ? vaccination : json_null(),
                        "offers", offers_json(offers, n), "services_left",
                        services_left(r->db, json_object_get(record, "contract")));
    }
    json_decref(record);
    if (!out) return reply_problem(r, 500, "internal_error", NULL);
    char id_text[24];
    snprintf(id_text, sizeof id_text, "%lld", (long long)id);
    if (api_audit_read(r, "visit_prompts", id_text, id) < 0) {
        json_decref(out);
        return -1;
    }
    return reply_json(r, 200, out);
}

int handle_visit_offer_create(struct request *r)
{
    static const char *const KINDS[] = {"enrol", "sign", NULL};
    static const char *const RESPONSES[] = {"accepted", "declined", NULL};
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_resident(r, id) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    const char *kind = NULL, *response = NULL, *program = NULL;
    struct subject s = {0};
    int rc = -1;
    if (jx_enum(body, "kind", JX_REQUIRED, KINDS, &kind, &err) < 0 ||
        jx_enum(body, "response", JX_REQUIRED, RESPONSES, &response, &err) < 0 ||
        jx_string(body, "program", JX_OPTIONAL, 20, &program, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    if (api_subject_load_or_reply(r, id, &s) < 0) goto done;
    /* Only what the visit actually offers today may be answered: the rules decide. */
    json_t *record = store_resident_get(r->db, id);
    struct date today = date_today();
    struct population_config pc = store_population_config(r->db);
    struct visit_offer offers[VISIT_MAX_OFFERS];
    int n = record ? offers_of(record, today, &pc, offers) : -1;
    const struct visit_offer *match = NULL;
    for (int i = 0; i < n; i++)
        if (!strcmp(visit_offer_kind_name(offers[i].kind), kind) &&
            (offers[i].kind == OFFER_SIGN || (program && !strcmp(offers[i].program, program))))
            match = &offers[i];
    if (!match) {
        json_decref(record);
        rc = reply_problem(r, 422, "invalid_field", !strcmp(kind, "enrol") ? "program" : "kind");
        goto done;
    }
    char today_text[11], diagnosis[16] = "";
    date_format(today, today_text);
    if (match->diagnosis) snprintf(diagnosis, sizeof diagnosis, "%s", match->diagnosis);
    const char *offered_program = match->program;
    json_decref(record);
    struct visit_offer_input in = {id,       r->user.user_id, r->user.staff_id,
                                   kind,     offered_program, diagnosis[0] ? diagnosis : NULL,
                                   response, today_text,      s.county};
    if (api_begin(r) < 0) goto done;
    int64_t offer = store_visit_offer_insert(r->db, &in), enrolment = 0;
    int accepted_enrol = !strcmp(kind, "enrol") && !strcmp(response, "accepted");
    if (offer > 0 && accepted_enrol)
        enrolment = store_enrolment_insert(r->db, id, offered_program, today_text);
    if (offer < 0 || enrolment < 0 ||
        (accepted_enrol &&
         store_recompute_household(r->db, store_resident_household(r->db, id), id, today) < 0)) {
        api_fail_internal(r, "visit offer");
        goto done;
    }
    if (api_audit(r, "create", "visit_offer", offer, id) < 0 ||
        (enrolment && api_audit(r, "create", "enrolment", enrolment, id) < 0) || api_commit(r) < 0)
        goto done;
    json_t *out =
        json_pack("{s:I,s:I,s:s,s:s?,s:s?,s:s,s:s}", "id", (json_int_t)offer, "resident_id",
                  (json_int_t)id, "kind", kind, "program", offered_program, "diagnosis",
                  diagnosis[0] ? diagnosis : NULL, "response", response, "offered_on", today_text);
    json_object_set_new(out, "enrolment_id", enrolment ? json_integer(enrolment) : json_null());
    rc = reply_json(r, 201, out);
done:
    json_decref(s.resident);
    return rc;
}

int handle_visit_offers_report(struct request *r)
{
    const char *region = request_query(r, "region"), *from = request_query(r, "from"),
               *to = request_query(r, "to");
    struct date a, b, today = date_today();
    if (!region) return reply_problem(r, 422, "missing_field", "region");
    if (from && date_parse(from, &a) < 0) return reply_problem(r, 422, "invalid_date", "from");
    if (to && date_parse(to, &b) < 0) return reply_problem(r, 422, "invalid_date", "to");
    /* Counts of people: the whole region must be the caller's, not merely overlap it. */
    if (scope_require_region_inside(r, region, "region") < 0) return -1;
    char first[11], last[11];
    date_format(from ? a : (struct date){today.year, 1, 1}, first);
    date_format(to ? b : today, last);
    json_t *counts = store_visit_offers_report(r->db, region, first, last);
    if (!counts) return reply_problem(r, 500, "internal_error", NULL);
    json_object_set_new(counts, "region", json_string(region));
    json_object_set_new(counts, "from", json_string(first));
    json_object_set_new(counts, "to", json_string(last));
    return reply_json(r, 200, counts);
}

/* The services still owed on the person's active contract, summed. */
static int64_t services_left_count(struct db *db, int64_t resident)
{
    json_t *contract = store_contract_summary(db, resident), *left = services_left(db, contract);
    int64_t n = 0;
    size_t i;
    json_t *e;
    json_array_foreach(left, i, e)
        n += json_integer_value(json_object_get(e, "remaining"));
    json_decref(left);
    json_decref(contract);
    return n;
}

int handle_visit_day(struct request *r)
{
    const char *team_text = request_query(r, "team"), *day = request_query(r, "date");
    struct date today = date_today(), on = today;
    char *end = NULL;
    int64_t team = team_text ? strtoll(team_text, &end, 10) : 0;
    if (!team_text) return reply_problem(r, 422, "missing_field", "team");
    if (*end || team <= 0) return reply_problem(r, 422, "invalid_field", "team");
    if (day && date_parse(day, &on) < 0) return reply_problem(r, 422, "invalid_date", "date");
    if (scope_require_team(r, team) < 0) return -1;
    char date_text[11];
    date_format(on, date_text);
    json_t *items = store_visit_day(r->db, team, date_text);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    size_t i;
    json_t *p;
    json_array_foreach(items, i, p) {
        struct date birth;
        date_parse(json_string_value(json_object_get(p, "birth_date")), &birth);
        json_object_set_new(p, "age", json_integer(date_age_years(birth, today)));
        const char *colour = NULL;
        size_t k;
        json_t *c;
        json_array_foreach(json_object_get(p, "classifications"), k, c)
            colour = visit_worse_colour(colour, visit_risk_colour(json_string_value(c)));
        json_object_del(p, "classifications");
        json_object_set_new(p, "colour", colour ? json_string(colour) : json_null());
        json_object_set_new(p, "services_left",
                            json_integer(services_left_count(
                                r->db, json_integer_value(json_object_get(p, "resident_id")))));
    }
    api_audit_list(r, "visit_day", date_text, items, "resident_id");
    return reply_json(
        r, 200,
        json_pack("{s:I,s:s,s:o}", "team_id", (json_int_t)team, "date", date_text, "items", items));
}
