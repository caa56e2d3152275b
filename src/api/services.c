/* services.c - the service events behind the indicators of PROTOCOLS.md §11: a visit
 * (encounter) to any institution, a referral up or down, and a resident's satisfaction
 * answer. Where the institution is known, its level says whether the visit was primary
 * care and its region whether it was inside the resident's county: derived, never taken
 * from the client, so the indicators cannot be talked into a better value. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/handlers.h"
#include "api/protocols.h"
#include "auth/scope.h"
#include "domain/icd10.h"
#include "domain/satisfaction.h"
#include "json/jsondump.h"
#include "json/jsonx.h"
#include "store/entitlement_use.h"
#include "store/followups.h"
#include "store/registry.h"
#include "store/residents.h"
#include "store/services.h"
#include "store/work.h"

/* A date in the body that is not after today. */
static int past_date_check(json_t *body, const char *field, struct date *out, char text[11],
                           struct jy_error *err)
{
    if (jx_date(body, field, JX_REQUIRED, out, NULL, err) < 0) return -1;
    if (date_compare(*out, date_today()) > 0)
        return jy_fail(err, 422, "invalid_date", field, "in the future");
    date_format(*out, text);
    return 0;
}

/* The institution named by `field`: its level and region, 422 naming the field when it
 * does not exist. */
static int institution_check(struct request *r, int64_t id, const char *field, char level[16],
                             char region[16], struct jy_error *err)
{
    int rc = store_institution_level_region(r->db, id, level, region);
    if (rc == STORE_NOT_FOUND)
        return jy_fail(err, 422, "invalid_field", field, "no such institution");
    if (rc < 0) return jy_fail(err, 500, "internal_error", NULL, NULL);
    return 0;
}

/* The resident's region and county (their scope was checked before). */
static int resident_county_or_reply(struct request *r, int64_t resident, char region[16],
                                    char county[7])
{
    if (store_resident_region(r->db, resident, region) < 0) {
        reply_problem(r, 500, "internal_error", NULL);
        return -1;
    }
    api_county_of(region, county);
    return 0;
}

/* What the sending system says of the encounter beyond where and when (issue 19): its kind,
 * the discharge of a stay, the ICD-10 diagnoses (as a JSON array's text in *diagnoses, owned
 * by the caller), the hospital's doctor, the cost, a changed treatment and the source. */
static int read_encounter_details(json_t *body, struct date on, struct encounter_input *in,
                                  char discharge[11], char **diagnoses, struct jy_error *err)
{
    static const char *const KINDS[] = {"outpatient", "inpatient", "home_visit", "telephone", NULL};
    struct date out;
    int has_discharge = 0;
    if (jx_enum(body, "kind", JX_OPTIONAL, KINDS, &in->kind, err) < 0 ||
        jx_date(body, "discharge_date", JX_OPTIONAL, &out, &has_discharge, err) < 0 ||
        jx_string(body, "doctor_name", JX_OPTIONAL, 50, &in->doctor_name, err) < 0 ||
        jx_string(body, "source", JX_OPTIONAL, 100, &in->source, err) < 0 ||
        jx_int(body, "cost_fen", JX_OPTIONAL, 0, 10000000000LL, &in->cost_fen, &in->has_cost, err) <
            0 ||
        jx_bool(body, "treatment_changed", JX_OPTIONAL, &in->treatment_changed, NULL, err) < 0)
        return -1;
    if (has_discharge) {
        if (!in->kind || strcmp(in->kind, "inpatient") != 0)
            return jy_fail(err, 422, "invalid_field", "discharge_date",
                           "for an inpatient stay only");
        if (date_compare(out, on) < 0 || date_compare(out, date_today()) > 0)
            return jy_fail(err, 422, "invalid_field", "discharge_date",
                           "between the admission and today");
        date_format(out, discharge);
        in->discharge_date = discharge;
    }
    json_t *list = json_object_get(body, "diagnoses");
    if (list && !json_is_null(list)) {
        if (!json_is_array(list) || json_array_size(list) > 20)
            return jy_fail(err, 422, "invalid_field", "diagnoses",
                           "a list of at most 20 ICD-10 codes");
        size_t i;
        json_t *code;
        json_array_foreach(list, i, code) {
            if (!json_is_string(code) || !icd10_valid(json_string_value(code))) {
                char field[32];
                snprintf(field, sizeof field, "diagnoses[%zu]", i);
                return jy_fail(err, 422, "invalid_field", field,
                               "an ICD-10 code such as I10 or E11.9");
            }
        }
        if (!(*diagnoses = jsonx_dumps(list)))
            return jy_fail(err, 500, "internal_error", NULL, NULL);
        in->diagnoses = *diagnoses;
    }
    return 0;
}

/* After a visit that changed the treatment, or a discharge, the team calls to ask how the
 * patient does (effect, recovery, adherence, satisfaction, a revisit booked): a
 * post_visit_call task for the resident's team, due a few days later (protocol settings). */
static int post_visit_call(struct request *r, const struct encounter_input *in,
                           const struct subject *s, int64_t encounter)
{
    int discharged = in->discharge_date != NULL;
    if (!discharged && !in->treatment_changed) return 0;
    struct protocol_config c = store_protocol_config(r->db);
    struct date from;
    date_parse(discharged ? in->discharge_date : in->encounter_date, &from);
    char due[11], note[40];
    date_format(
        date_add_days(from, discharged ? c.post_discharge_call_days : c.post_treatment_call_days),
        due);
    snprintf(note, sizeof note, "%s:%lld", discharged ? "discharge" : "treatment_changed",
             (long long)encounter);
    struct task_input t = {.resident_id = in->resident_id,
                           .team_id = s->team_id,
                           .doctor_id = s->doctor_id,
                           .kind = "post_visit_call",
                           .due_date = due,
                           .note = note,
                           .county_code = s->county};
    return store_task_insert(r->db, &t) < 0 ? -1 : 0;
}

/* POST /encounters, and FHIR's Encounter create through it (api_encounter_write). */
int handle_encounter_create(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    int64_t id;
    int rc = api_encounter_write(r, body, &id);
    return rc;
}

int api_encounter_write(struct request *r, json_t *body, int64_t *created)
{
    static const char *const PROGRAMS[] = {"hypertension", "diabetes", NULL};
    int64_t resident, inst = 0, team = 0, staff = 0;
    int in_county = 0, has_in_county = 0, at_home = 0, rc = -1;
    struct entitlement_rules rules = {0};
    json_t *used = json_array();
    const char *program = NULL;
    struct date on;
    char on_text[11], level[16] = "", inst_region[16] = "", region[16], county[7], discharge[11];
    char *diagnoses = NULL;
    struct subject subject = {0};
    struct jy_error err;
    if (jx_int(body, "resident_id", JX_REQUIRED, 1, INT64_MAX, &resident, NULL, &err) < 0 ||
        past_date_check(body, "encounter_date", &on, on_text, &err) < 0 ||
        jx_int(body, "institution_id", JX_OPTIONAL, 1, INT64_MAX, &inst, NULL, &err) < 0 ||
        jx_bool(body, "in_county", JX_OPTIONAL, &in_county, &has_in_county, &err) < 0 ||
        jx_int(body, "team_id", JX_OPTIONAL, 1, INT64_MAX, &team, NULL, &err) < 0 ||
        jx_int(body, "staff_id", JX_OPTIONAL, 1, INT64_MAX, &staff, NULL, &err) < 0 ||
        jx_enum(body, "chronic_program", JX_OPTIONAL, PROGRAMS, &program, &err) < 0 ||
        jx_bool(body, "at_home", JX_OPTIONAL, &at_home, NULL, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    /* Without an institution (a hospital outside the grid) only the client knows where. */
    if (!inst && !has_in_county) {
        rc = reply_problem(r, 422, "missing_field", "in_county");
        goto done;
    }
    if (scope_require_resident(r, resident) < 0 ||
        resident_county_or_reply(r, resident, region, county) < 0)
        goto done;
    if ((inst && institution_check(r, inst, "institution_id", level, inst_region, &err) < 0)) {
        rc = reply_error(r, &err);
        goto done;
    }
    int known = team ? store_team_exists(r->db, team) : 1;
    if (known == 1 && staff) known = store_staff_exists(r->db, staff) == 1 ? 1 : 2;
    if (known != 1) {
        rc = reply_problem(r, 422, "invalid_field", known == 0 ? "team_id" : "staff_id");
        goto done;
    }
    /* The team and the staff member credited with the visit count in their workload and
     * score: only the caller's own may be named. */
    if ((team && scope_require_team(r, team) < 0) ||
        (staff && scope_require_staff(r, staff, "staff_id") < 0))
        goto done;
    struct encounter_input in = {resident, on_text, inst,    0,      in_county,
                                 team,     staff,   program, county, at_home};
    if (read_encounter_details(body, on, &in, discharge, &diagnoses, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    /* at_home, kept for older clients, must agree with the kind when both are given. */
    if (in.kind && json_object_get(body, "at_home") && at_home != !strcmp(in.kind, "home_visit")) {
        rc = reply_problem(r, 422, "invalid_field", "at_home");
        goto done;
    }
    in.at_home = at_home = in.at_home || (in.kind && !strcmp(in.kind, "home_visit"));
    if (inst) {
        in.primary_care = !strcmp(level, "primary") || !strcmp(level, "village");
        in.in_county = !strncmp(inst_region, region, 6);
    }
    if (store_entitlement_rules_load(r->db, &rules) < 0) {
        rc = reply_problem(r, 500, "internal_error", NULL);
        goto done;
    }
    /* Who calls after the visit (the contracted doctor's team, else the grid cell's). */
    if ((in.discharge_date || in.treatment_changed) &&
        api_subject_read_or_reply(r, resident, &subject) < 0)
        goto done;
    if (api_begin(r) < 0) goto done;
    int64_t id = store_encounter_insert(r->db, &in);
    /* A visit to the resident's own team, or at home, uses up its entitlement (issue 12). */
    struct service_record use = {
        .kind = SOURCE_ENCOUNTER, .date = on, .at_home = at_home, .team_id = team};
    if (id < 0 || store_entitlement_use(r->db, &rules, resident, id, staff, &use, used) < 0 ||
        post_visit_call(r, &in, &subject, id) < 0) {
        rc = api_fail_internal(r, "encounter");
        goto done;
    }
    if (api_audit(r, "create", "encounter", id, resident) < 0 || api_commit(r) < 0) goto done;
    json_t *out = json_pack("{s:I, s:I, s:s, s:b, s:b}", "id", (json_int_t)id, "resident_id",
                            (json_int_t)resident, "encounter_date", on_text, "primary_care",
                            in.primary_care, "in_county", in.in_county);
    json_object_set_new(out, "institution_id", inst ? json_integer(inst) : json_null());
    json_object_set_new(out, "team_id", team ? json_integer(team) : json_null());
    json_object_set_new(out, "staff_id", staff ? json_integer(staff) : json_null());
    jx_set_string_or_null(out, "chronic_program", program);
    json_object_set_new(out, "at_home", json_boolean(at_home));
    json_object_set_new(out, "kind",
                        json_string(in.kind   ? in.kind
                                    : at_home ? "home_visit"
                                              : "outpatient"));
    jx_set_string_or_null(out, "discharge_date", in.discharge_date);
    json_t *codes = in.diagnoses ? json_loads(in.diagnoses, 0, NULL) : NULL;
    json_object_set_new(out, "diagnoses", codes ? codes : json_array());
    jx_set_string_or_null(out, "doctor_name", in.doctor_name);
    json_object_set_new(out, "cost_fen", in.has_cost ? json_integer(in.cost_fen) : json_null());
    json_object_set_new(out, "treatment_changed", json_boolean(in.treatment_changed));
    jx_set_string_or_null(out, "source", in.source);
    json_object_set(out, "entitlements_used", used);
    *created = id;
    /* FHIR answers with its own resource (api/fhir_care.c). */
    rc = r->fhir_fields ? (json_decref(out), 0) : reply_json(r, 201, out);
done:
    free(diagnoses);
    json_decref(subject.resident);
    store_entitlement_rules_free(&rules);
    json_decref(used);
    return rc;
}

/* DELETE /encounters/{id}: a visit recorded in error (or twice, by the HIS and by hand),
 * taken back with what it used up of the contract, in one transaction. */
int handle_encounter_delete(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    int64_t resident = store_encounter_resident(r->db, id);
    if (resident == STORE_NOT_FOUND) return reply_problem(r, 404, "not_found", NULL);
    if (resident < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (scope_require_resident(r, resident) < 0 || api_begin(r) < 0) return -1;
    int returned = store_entitlement_undo(r->db, SOURCE_ENCOUNTER, id, resident);
    int deleted = returned < 0 ? -1 : store_encounter_delete(r->db, id);
    if (deleted < 0) return api_fail_internal(r, "encounter delete");
    if (deleted == 0) { /* deleted by another request meanwhile */
        api_rollback(r);
        return reply_problem(r, 404, "not_found", NULL);
    }
    if (api_audit(r, "delete", "encounter", id, resident) < 0 || api_commit(r) < 0) return -1;
    return reply_json(r, 200,
                      json_pack("{s:I, s:I, s:b, s:i}", "id", (json_int_t)id, "resident_id",
                                (json_int_t)resident, "deleted", 1, "entitlements_returned",
                                returned));
}

int handle_resident_encounters(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_resident(r, id) < 0) return -1;
    return api_reply_resident_items(r, id, "encounters", store_encounters_list(r->db, id));
}

/* POST /referrals: api/referrals.c. */

int handle_resident_referrals(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_resident(r, id) < 0) return -1;
    return api_reply_resident_items(r, id, "referrals", store_referrals_list(r->db, id));
}

/* The team an answer rates: the one named (the caller's to name) or the resident's
 * contract team; when the resident has a contract, a named team must be that one. 0 and
 * *team, or replies and -1. */
static int rated_team_or_reply(struct request *r, int64_t resident, int has_team, int64_t *team)
{
    int64_t signed_with = store_active_contract_team(r->db, resident);
    if (signed_with < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (!has_team) {
        *team = signed_with;
        return 0;
    }
    if (store_team_exists(r->db, *team) != 1)
        return reply_problem(r, 422, "invalid_field", "team_id");
    if (r->user.role != ROLE_RESIDENT && scope_require_team(r, *team) < 0) return -1;
    if (signed_with && signed_with != *team)
        return reply_problem(r, 422, "invalid_field", "team_id");
    return 0;
}

int handle_satisfaction_create(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    int64_t resident, team = 0, score;
    int has_team = 0, knows = -1, has_knows = 0, rc = -1;
    struct date on, first, last;
    char on_text[11], region[16], county[7], from[11], to[11];
    const char *channel_text = NULL;
    static const char *const CHANNELS[] = {"resident", "survey", "phone_callback", NULL};
    struct jy_error err;
    if (jx_int(body, "resident_id", JX_REQUIRED, 1, INT64_MAX, &resident, NULL, &err) < 0 ||
        past_date_check(body, "answered_on", &on, on_text, &err) < 0 ||
        jx_int(body, "team_id", JX_OPTIONAL, 1, INT64_MAX, &team, &has_team, &err) < 0 ||
        jx_int(body, "score", JX_REQUIRED, 1, 5, &score, NULL, &err) < 0 ||
        jx_enum(body, "channel", JX_OPTIONAL, CHANNELS, &channel_text, &err) < 0 ||
        jx_bool(body, "knows_doctor", JX_OPTIONAL, &knows, &has_knows, &err) < 0) {
        return reply_error(r, &err);
    }
    int is_resident = r->user.role == ROLE_RESIDENT;
    enum satisfaction_channel channel =
        channel_text  ? (enum satisfaction_channel)satisfaction_channel_parse(channel_text)
        : is_resident ? SATISFACTION_RESIDENT
                      : SATISFACTION_SURVEY;
    if (!has_knows)
        knows = -1;
    else if (!satisfaction_asks_awareness(channel)) {
        return reply_problem(r, 422, "invalid_field", "knows_doctor");
    }
    /* A resident answers for themself only, not for the household members they see. */
    if (is_resident && resident != r->user.resident_id) {
        return reply_problem(r, 403, "out_of_scope", "resident_id");
    }
    if (scope_require_resident(r, resident) < 0 ||
        resident_county_or_reply(r, resident, region, county) < 0 ||
        rated_team_or_reply(r, resident, has_team, &team) < 0)
        return rc;
    int on_team = !is_resident && team && r->user.staff_id &&
                  store_team_has_member(r->db, team, r->user.staff_id) == 1;
    const char *refusal =
        satisfaction_refusal(is_resident, resident == r->user.resident_id, on_team, channel);
    if (refusal) {
        return reply_problem(r, 403, refusal,
                             strcmp(refusal, "rater_on_team") ? "channel" : "team_id");
    }
    satisfaction_period(on, &first, &last);
    date_format(first, from);
    date_format(last, to);
    if (api_begin(r) < 0) return rc;
    /* Inside the writer, so two answers at the same moment see each other. */
    int answered = store_satisfaction_answered(r->db, resident, team, from, to);
    if (answered < 0) {
        return api_fail_internal(r, "satisfaction lookup");
    }
    if (answered) {
        api_rollback(r);
        return reply_problem(r, 409, "duplicate_answer", "resident_id");
    }
    int64_t id =
        store_satisfaction_insert(r->db, resident, on_text, team, (int)score, county,
                                  satisfaction_channel_name(channel), knows, r->user.user_id);
    if (id < 0) {
        return api_fail_internal(r, "satisfaction");
    }
    if (api_audit(r, "create", "satisfaction_answer", id, resident) < 0 || api_commit(r) < 0)
        return rc;
    json_t *out = json_pack("{s:I, s:I, s:s, s:I, s:s}", "id", (json_int_t)id, "resident_id",
                            (json_int_t)resident, "answered_on", on_text, "score",
                            (json_int_t)score, "channel", satisfaction_channel_name(channel));
    json_object_set_new(out, "team_id", team ? json_integer(team) : json_null());
    json_object_set_new(out, "knows_doctor", knows < 0 ? json_null() : json_boolean(knows));
    rc = reply_json(r, 201, out);
    return rc;
}
