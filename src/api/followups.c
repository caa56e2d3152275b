/* followups.c (api) - recording a program follow-up (POST /api/v1/followups): the engine
 * evaluates it with what the record already knows (age, the uncontrolled results in a row,
 * the child's and the pregnancy's earlier visits), the open follow-up task of the program
 * is closed and the next one created, all in one transaction. And the resident's
 * follow-ups (GET /api/v1/residents/{id}/followups) and the child's or the pregnancy's
 * schedule built from them (GET /api/v1/residents/{id}/schedule/{program}). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/clinical_loop.h"
#include "api/handlers.h"
#include "api/protocols.h"
#include "auth/scope.h"
#include "json/jsondump.h"
#include "json/jsonx.h"
#include "kpi/kpi.h"
#include "store/entitlement_use.h"
#include "store/followups.h"
#include "store/points.h"
#include "store/population.h"
#include "store/prescriptions.h"
#include "store/registry.h"
#include "store/residents.h"
#include "store/work.h"

static const char *const MODES[] = {"clinic", "home_visit", "phone", "device", NULL};

/* What the record says about the resident, for eligibility and the engine. */
static int enrolled(const json_t *resident, const char *program)
{
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(resident, "programs"), i, p)
        if (json_is_string(p) && strcmp(json_string_value(p), program) == 0) return 1;
    return 0;
}

int api_subject_read_or_reply(struct request *r, int64_t id, struct subject *s)
{
    memset(s, 0, sizeof *s);
    s->resident = store_resident_brief(r->db, id);
    if (!s->resident) return reply_problem(r, 404, "not_found", NULL);
    date_parse(json_string_value(json_object_get(s->resident, "birth_date")), &s->birth);
    snprintf(s->region, sizeof s->region, "%s",
             json_string_value(json_object_get(s->resident, "region")));
    api_county_of(s->region, s->county);
    /* The contracted doctor first; else the team serving the grid cell. */
    json_t *contract = json_object_get(s->resident, "contract");
    if (json_is_object(contract)) {
        s->team_id = json_integer_value(json_object_get(contract, "team_id"));
        s->doctor_id = json_integer_value(json_object_get(contract, "doctor_id"));
    } else {
        int64_t team = store_team_for_region(r->db, s->region, &s->doctor_id);
        s->team_id = team > 0 ? team : 0;
    }
    return 0;
}

int api_subject_load_or_reply(struct request *r, int64_t id, struct subject *s)
{
    if (api_subject_read_or_reply(r, id, s) < 0) return -1;
    if (strcmp(json_string_value(json_object_get(s->resident, "status")), "alive") != 0)
        return reply_problem(r, 422, "invalid_field", "resident_id");
    return 0;
}

/* The visit date of the record: the chronic visit, the assessment, or visit_date. */
static int visit_date_of(json_t *body, struct protocol_input *in, struct date *out,
                         struct jy_error *err)
{
    if (in->program <= PROGRAM_SMD)
        *out = in->chronic.visit_date;
    else if (in->program == PROGRAM_ELDERLY)
        *out = in->elderly.assessment_date;
    else
        return jx_date(body, "visit_date", JX_REQUIRED, out, NULL, err);
    return 0;
}

/* The child's or the pregnancy's schedule history from the record: eligibility on `on` (a
 * child under the configured age; a woman with an LMP, from the body or pregnancy_load),
 * the birth date, and the program's visits since the birth or the LMP, leaving `room`
 * places free in in->visits. Shared by the follow-up record and the schedule view. */
static int schedule_history_check(struct request *r, int64_t resident, const json_t *record,
                                  struct date birth, const struct population_config *pc,
                                  struct date on, int room, struct protocol_input *in,
                                  struct jy_error *err)
{
    char since[11], dates[PROTOCOL_MAX_VISITS][11];
    if (in->program == PROGRAM_CHILD) {
        if (date_age_years(birth, on) >= pc->child_age_below)
            return jy_fail(err, 422, "not_eligible", "program", NULL);
        in->birth = birth;
        date_format(birth, since);
    } else {
        const char *sex = json_string_value(json_object_get(record, "sex"));
        if (!sex || sex[0] != 'F') return jy_fail(err, 422, "not_eligible", "program", NULL);
        if (!in->has_lmp) return jy_fail(err, 422, "missing_field", "lmp", NULL);
        date_format(in->lmp, since);
    }
    int n = store_followup_dates(r->db, resident, protocol_program_name(in->program), since, dates,
                                 PROTOCOL_MAX_VISITS - room);
    if (n < 0) return jy_fail(err, 500, "internal_error", NULL, NULL);
    in->visit_count = 0;
    for (int i = 0; i < n; i++)
        date_parse(dates[i], &in->visits[in->visit_count++]);
    return 0;
}

/* Eligibility, and the facts the dry run takes from the caller filled from the record.
 * Runs inside the writer so that "in a row" sees every committed follow-up (the settings in
 * `population` are read before it). */
static int complete_input_check(struct request *r, int64_t resident, struct subject *s,
                                struct protocol_input *in, struct date visit,
                                const struct protocol_config *config,
                                const struct population_config *population, struct jy_error *err)
{
    const char *program = protocol_program_name(in->program);
    char visit_text[11], since[11];
    date_format(visit, visit_text);
    int age = date_age_years(s->birth, visit);
    struct population_config pc = *population;
    switch (in->program) {
    case PROGRAM_HYPERTENSION:
    case PROGRAM_DIABETES:
    case PROGRAM_SMD: {
        if (!enrolled(s->resident, program))
            return jy_fail(err, 422, "not_enrolled", "program", NULL);
        in->chronic.age = age;
        int run = store_followup_uncontrolled_run(r->db, resident, program, visit_text);
        if (run > in->chronic.previous_uncontrolled) in->chronic.previous_uncontrolled = run;
        return 0;
    }
    case PROGRAM_ELDERLY: {
        if (age < pc.elderly_age) return jy_fail(err, 422, "not_eligible", "program", NULL);
        int chronic, uncontrolled, emergency;
        date_format(date_add_days(visit, -config->elderly_red_emergency_days), since);
        if (store_followup_elderly_facts(r->db, resident, since, &chronic, &uncontrolled,
                                         &emergency) < 0)
            return jy_fail(err, 500, "internal_error", NULL, NULL);
        struct elderly_assessment *a = &in->elderly;
        if (chronic > a->chronic_programs) a->chronic_programs = chronic;
        if (uncontrolled > a->uncontrolled_programs) a->uncontrolled_programs = uncontrolled;
        a->emergency_in_90_days |= emergency;
        return 0;
    }
    case PROGRAM_CHILD:
    case PROGRAM_MATERNAL:
        break;
    }
    if (schedule_history_check(r, resident, s->resident, s->birth, &pc, visit, 1, in, err) < 0)
        return -1;
    if (date_compare(visit, in->has_lmp ? in->lmp : s->birth) < 0)
        return jy_fail(err, 422, "invalid_date", "visit_date", NULL);
    in->as_of = visit;
    in->visits[in->visit_count++] = visit;
    return 0;
}

/* The maternal record: the body's dates, else the latest pregnancy's (its id into *id, 0
 * when there is none or the body starts a new pregnancy after a delivery). */
static int pregnancy_load(struct request *r, int64_t resident, struct protocol_input *in,
                          int64_t *id)
{
    char lmp[11] = "", delivery[11] = "", discharge[11] = "";
    *id = 0;
    int found = store_pregnancy_latest(r->db, resident, id, lmp, delivery, discharge);
    if (found <= 0) return found;
    if (in->has_lmp && *delivery) {
        char given[11];
        date_format(in->lmp, given);
        if (strcmp(given, lmp) != 0) { /* a new pregnancy after a delivery */
            *id = 0;
            return 0;
        }
    }
    if (!in->has_lmp) in->has_lmp = date_parse(lmp, &in->lmp) == 0;
    if (!in->has_delivery && *delivery) in->has_delivery = date_parse(delivery, &in->delivery) == 0;
    if (!in->has_discharge && *discharge)
        in->has_discharge = date_parse(discharge, &in->discharge) == 0;
    return 0;
}

/* A first visit with an lmp registers the pregnancy (建册; its id into *id); a delivery or
 * discharge date updates the one loaded. */
static int pregnancy_save(struct request *r, int64_t resident, const struct protocol_input *in,
                          int64_t *id)
{
    char l[11], d[11], c[11];
    date_format(in->lmp, l);
    date_format(in->delivery, d);
    date_format(in->discharge, c);
    const char *delivery = in->has_delivery ? d : NULL, *discharge = in->has_discharge ? c : NULL;
    if (*id) return store_pregnancy_update(r->db, *id, delivery, discharge);
    *id = store_pregnancy_insert(r->db, resident, l, delivery, discharge);
    return *id < 0 ? -1 : 0;
}

/* A visit without a new risk assessment keeps the standing one: the engine sees its colours,
 * so orange, red and purple are never downgraded by a routine visit (PROTOCOLS.md §7). */
static void standing_risk(struct protocol_input *in, const struct pregnancy_risk *risk)
{
    if (in->has_assessment || !risk->assessed) return;
    in->factor_count = 0;
    int color = risk_color_parse(risk->color);
    if (color > COLOR_GREEN) in->factors[in->factor_count++] = (enum risk_color)color;
    if (risk->purple) in->factors[in->factor_count++] = COLOR_PURPLE;
}

static int read_extras(json_t *body, const char **mode, const char **note, char **medications,
                       int *has_weight, double *weight, struct jy_error *err)
{
    *mode = "clinic";
    if (jx_enum(body, "mode", JX_OPTIONAL, MODES, mode, err) < 0 ||
        jx_string(body, "note", JX_OPTIONAL, 500, note, err) < 0 ||
        jx_number(body, "weight_kg", JX_OPTIONAL, 0.5, 400, weight, has_weight, err) < 0)
        return -1;
    json_t *meds = json_object_get(body, "medications");
    if (meds && !json_is_null(meds)) {
        size_t i;
        json_t *m;
        if (!json_is_array(meds) || json_array_size(meds) > 30)
            return jy_fail(err, 422, "invalid_field", "medications",
                           "a list of at most 30 {name, dose, frequency}");
        json_array_foreach(meds, i, m) {
            char field[64];
            const char *name = json_string_value(json_object_get(m, "name"));
            json_t *item = json_object_get(m, "prescription_item_id");
            if (json_is_object(m) && item) { /* a prescribed drug: its text comes from the item */
                if (!json_is_integer(item) || json_integer_value(item) < 1) {
                    snprintf(field, sizeof field, "medications[%zu].prescription_item_id", i);
                    return jy_fail(err, 422, "invalid_field", field, NULL);
                }
                continue;
            }
            if (!json_is_object(m) || !name || !*name || jx_utf8_length(name) > 60) {
                snprintf(field, sizeof field, "medications[%zu]", i);
                return jy_fail(err, 422, "invalid_field", field,
                               "name (at most 60 characters), dose, frequency");
            }
        }
    }
    *medications = meds && !json_is_null(meds) ? jsonx_dumps(meds) : strdup("[]");
    return *medications ? 0 : jy_fail(err, 500, "internal_error", NULL, NULL);
}

/* Medications that name a prescription item (issue 15) take its drug, dose and frequency; the
 * item must be of a prescription of this resident (else 422 naming the entry, whoever's it
 * is). Free-text entries stay as they are. Rewrites *medications; 0 or -1 with err filled. */
static int link_medications_check(struct request *r, int64_t resident, char **medications,
                                  struct jy_error *err)
{
    if (!strstr(*medications, "prescription_item_id")) return 0;
    json_t *meds = json_loads(*medications, 0, NULL), *m;
    size_t i;
    if (!meds) return jy_fail(err, 500, "internal_error", NULL, NULL);
    json_array_foreach(meds, i, m) {
        json_t *item = json_object_get(m, "prescription_item_id");
        if (!item) continue;
        int64_t owner = 0;
        char name[160], dose[48], frequency[16], field[64];
        int found =
            store_prescription_item_for(r->db, json_integer_value(item), &owner, name, sizeof name,
                                        dose, sizeof dose, frequency, sizeof frequency);
        if (found < 0) {
            json_decref(meds);
            return jy_fail(err, 500, "internal_error", NULL, NULL);
        }
        if (!found || owner != resident) {
            json_decref(meds);
            snprintf(field, sizeof field, "medications[%zu].prescription_item_id", i);
            return jy_fail(err, 422, "invalid_field", field,
                           "an item of this resident's prescription");
        }
        json_object_set_new(m, "name", json_string(name));
        json_object_set_new(m, "dose", json_string(dose));
        json_object_set_new(m, "frequency", json_string(frequency));
    }
    char *text = jsonx_dumps(meds);
    json_decref(meds);
    if (!text) return jy_fail(err, 500, "internal_error", NULL, NULL);
    free(*medications);
    *medications = text;
    return 0;
}

static json_t *findings_json(finding_set set)
{
    json_t *list = json_array();
    for (int f = 0; f < FINDING_COUNT; f++)
        if (set & FINDING_BIT(f))
            json_array_append_new(list, json_string(finding_code((enum finding)f)));
    return list;
}

int handle_followup_create(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    struct subject s = {0};
    struct protocol_input in;
    struct protocol_answer answer = {0};
    char *medications = NULL, *findings = NULL, *result = NULL, *details = NULL;
    json_t *findings_list = NULL, *referrals = json_array(), *used = json_array();
    struct pregnancy_risk risk_before = {0};
    struct entitlement_rules rules = {0};
    int64_t resident = 0, task_ref = 0;
    const char *program_name = NULL, *mode, *note = NULL, *adherence = NULL;
    static const char *const ADHERENCE[] = {"regular", "intermittent", "none", NULL};
    int has_weight = 0, has_hba1c = 0, rc = -1, confirm_duplicate = 0;
    double weight = 0, hba1c = 0;
    static const char *const PROGRAMS[] = {"hypertension", "diabetes", "smd", "elderly",
                                           "child",        "maternal", NULL};
    struct date visit, today = date_today();
    if (jx_int(body, "resident_id", JX_REQUIRED, 1, INT64_MAX, &resident, NULL, &err) < 0 ||
        jx_int(body, "task_id", JX_OPTIONAL, 1, INT64_MAX, &task_ref, NULL, &err) < 0 ||
        jx_enum(body, "program", JX_REQUIRED, PROGRAMS, &program_name, &err) < 0 ||
        protocol_read(body, (enum protocol_program)protocol_program_parse(program_name), 1, &in,
                      &err) < 0 ||
        visit_date_of(body, &in, &visit, &err) < 0 ||
        read_extras(body, &mode, &note, &medications, &has_weight, &weight, &err) < 0 ||
        jx_bool(body, "confirm_duplicate", JX_OPTIONAL, &confirm_duplicate, NULL, &err) < 0 ||
        /* HbA1c in % of haemoglobin, a recent laboratory result the doctor writes down */
        jx_number(body, "hba1c", JX_OPTIONAL, 3, 20, &hba1c, &has_hba1c, &err) < 0 ||
        jx_enum(body, "medication_adherence", JX_OPTIONAL, ADHERENCE, &adherence, &err) < 0)
        goto fail;
    if (date_compare(visit, today) > 0) {
        jy_fail(&err, 422, "invalid_date",
                in.program == PROGRAM_ELDERLY && !json_object_get(body, "visit_date")
                    ? "assessment_date"
                    : "visit_date",
                NULL);
        goto fail;
    }
    if (scope_require_resident(r, resident) < 0 || api_subject_load_or_reply(r, resident, &s) < 0)
        goto done;
    if (link_medications_check(r, resident, &medications, &err) < 0) goto fail;
    if (date_compare(visit, s.birth) < 0) {
        jy_fail(&err, 422, "invalid_date", "visit_date", NULL);
        goto fail;
    }
    /* Settings are read before the writer, as the protocol's are. */
    struct protocol_config config = store_protocol_config(r->db);
    struct population_config population = store_population_config(r->db);
    if (store_entitlement_rules_load(r->db, &rules) < 0) {
        rc = reply_problem(r, 500, "internal_error", NULL);
        goto done;
    }
    kpi_prefetch(r->db, resident); /* the indicator facts, read before the writer */
    if (api_begin(r) < 0) goto done;
    /* A second visit of the program on the same day is most often the same visit entered
     * twice (a double tap, a colleague's entry): refused unless the caller confirms it.
     * Checked inside the writer, so two at once cannot both pass. */
    char same_day_text[11];
    date_format(visit, same_day_text);
    int64_t same_day = 0;
    if (!confirm_duplicate)
        same_day = store_followup_same_day(r->db, resident, program_name, same_day_text);
    if (same_day < 0) goto internal;
    if (same_day > 0) {
        api_rollback(r);
        rc = reply_problem(r, 409, "duplicate_followup", "visit_date");
        goto done;
    }
    int64_t pregnancy = 0;
    if ((in.program == PROGRAM_MATERNAL && pregnancy_load(r, resident, &in, &pregnancy) < 0) ||
        complete_input_check(r, resident, &s, &in, visit, &config, &population, &err) < 0) {
        api_fail(r, &err);
        goto done;
    }
    if (pregnancy && store_pregnancy_risk_get(r->db, pregnancy, &risk_before) < 0) goto internal;
    /* A visit recorded against a task (an offline client's queue names the task it answered):
     * if a colleague closed that task meanwhile, this visit may be a second one; say so. */
    if (task_ref) {
        int64_t task_resident = 0;
        char task_kind[32], task_status[16];
        int got = store_task_get(r->db, task_ref, &task_resident, task_kind, task_status);
        if (got == -1) goto internal;
        if (got == STORE_NOT_FOUND || task_resident != resident ||
            strcmp(task_kind, "followup") != 0) {
            jy_fail(&err, 422, "invalid_field", "task_id", NULL);
            api_fail(r, &err);
            goto done;
        }
        if (strcmp(task_status, "open") != 0) {
            jy_fail(&err, 409, "task_closed", "task_id", NULL);
            api_fail(r, &err);
            goto done;
        }
    }
    standing_risk(&in, &risk_before);
    protocol_evaluate(&in, &config, &answer);
    char visit_text[11], due_text[11], following_text[11];
    date_format(visit, visit_text);
    date_format(answer.next_due, due_text);
    date_format(answer.following, following_text);
    int64_t task_id = 0, closed_task = store_tasks_close(r->db, resident, "followup", program_name);
    if (closed_task < 0) goto internal;
    /* A registered (or delivered) pregnancy changes the enrolments, and with them the
     * population class of the woman and her household (PROTOCOLS.md §2). */
    if (in.program == PROGRAM_MATERNAL &&
        (pregnancy_save(r, resident, &in, &pregnancy) < 0 ||
         store_enrol_automatic(r->db, today, resident) < 0 ||
         store_recompute_household(r->db, store_resident_household(r->db, resident), resident,
                                   today) < 0))
        goto internal;
    if (answer.has_next_due) {
        struct task_input t = {
            resident,   s.team_id,    s.doctor_id, 0,
            "followup", program_name, due_text,    answer.has_following ? following_text : NULL,
            NULL,       s.county};
        if ((task_id = store_task_insert(r->db, &t)) < 0) goto internal;
    }
    findings_list = findings_json(in.chronic.findings);
    findings = jsonx_dumps(findings_list);
    result = jsonx_dumps(answer.json);
    /* The assessment's factors with their codes, which the engine's answer does not keep. */
    if (in.has_assessment) {
        json_t *d = json_pack("{s:O}", "risk_factors", json_object_get(body, "risk_factors"));
        details = d ? jsonx_dumps(d) : NULL;
        json_decref(d);
    }
    struct followup_input f = {.resident_id = resident,
                               .staff_id = r->user.staff_id,
                               .recorded_by = r->user.user_id,
                               .task_id = task_id,
                               .closed_task_id = closed_task,
                               .program = program_name,
                               .visit_date = visit_text,
                               .mode = mode,
                               .county_code = s.county,
                               .note = note,
                               .has_weight = has_weight,
                               .weight_kg = weight,
                               .has_hba1c = has_hba1c,
                               .hba1c = hba1c,
                               .findings = findings,
                               .details = details,
                               .medications = medications,
                               .result = result,
                               .classification = answer.classification,
                               .action = answer.action,
                               .next_due = answer.has_next_due ? due_text : NULL,
                               .uncontrolled = answer.uncontrolled,
                               .recorded_delivery = in.program == PROGRAM_MATERNAL &&
                                                    (json_object_get(body, "delivery_date") ||
                                                     json_object_get(body, "discharge_date")),
                               .emergency = answer.emergency,
                               .medication_adherence = adherence};
    protocol_visit_measures(&in.chronic, &f);
    int64_t id = findings && result && (details || !in.has_assessment)
                     ? store_followup_insert(r->db, &f)
                     : -1;
    if (id < 0) goto internal;
    /* The visit uses up its entitlement on the contract in force that day (issue 12). */
    struct service_record use = {.kind = SOURCE_FOLLOWUP,
                                 .date = visit,
                                 .program = program_name,
                                 .at_home = strcmp(mode, "home_visit") == 0,
                                 .birth = s.birth,
                                 .has_delivery = in.has_delivery,
                                 .delivery = in.delivery};
    if (store_entitlement_use(r->db, &rules, resident, id, r->user.staff_id, &use, used) < 0)
        goto internal;
    /* Health points (issue 16): one award per programme visit on a day, however often the
     * visit is recorded (a confirmed second record of the day earns nothing more). */
    char points_key[96];
    snprintf(points_key, sizeof points_key, "followup:%lld:%s:%s", (long long)resident,
             program_name, visit_text);
    if (store_points_award(r->db, resident, "followup_attended", points_key, visit_text) < 0)
        goto internal;
    char today_text[11];
    date_format(today, today_text);
    struct loop_subject loop = {resident,     s.team_id,  s.doctor_id, s.county,
                                program_name, visit_text, today_text,  id};
    if (in.program <= PROGRAM_SMD &&
        loop_followup_referral(r, &loop, answer.chronic_action, answer.chronic_class,
                               json_object_get(answer.json, "reasons"), &config, referrals) < 0)
        goto internal;
    if (in.program == PROGRAM_MATERNAL && in.has_assessment &&
        loop_pregnancy_assessment(r, &loop, pregnancy, &risk_before, answer.risk, answer.purple,
                                  json_object_get(body, "risk_factors"), &config, referrals) < 0)
        goto internal;
    if (api_audit(r, "create", "followup", id, resident) < 0 || api_commit(r) < 0) goto done;

    json_t *task =
        task_id ? json_pack("{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)task_id, "kind",
                            "followup", "program", program_name, "due_date", due_text, "next_due",
                            answer.has_following ? json_string(following_text) : json_null())
                : json_null();
    json_t *out = json_pack("{s:I, s:I, s:s, s:s, s:s, s:O, s:O, s:o}", "id", (json_int_t)id,
                            "resident_id", (json_int_t)resident, "program", program_name,
                            "visit_date", visit_text, "mode", mode, "evaluation", answer.json,
                            "next_task", task, "findings", json_incref(findings_list));
    json_object_set_new(out, "task", task); /* the second name of next_task takes our reference */
    json_object_set(out, "referrals", referrals);
    json_object_set(out, "entitlements_used", used);
    if (in.program == PROGRAM_MATERNAL)
        json_object_set_new(out, "risk_assessed", json_boolean(in.has_assessment));
    /* The evaluation's fields at the top too, as API.md's "with the evaluation" reads. */
    json_object_update_missing(out, answer.json);
    rc = reply_json(r, 201, out);
    goto done;
internal:
    api_fail_internal(r, "followup");
    goto done;
fail:
    rc = reply_error(r, &err);
done:
    kpi_prefetch_drop();
    json_decref(answer.json);
    json_decref(findings_list);
    json_decref(referrals);
    json_decref(used);
    store_entitlement_rules_free(&rules);
    json_decref(s.resident);
    free(medications);
    free(findings);
    free(result);
    free(details);
    return rc;
}

/* DELETE /followups/{id}: a follow-up entered in error, taken back with what it set in
 * motion, in one transaction. Only the latest of its program for the resident: an earlier
 * one has already shaped the later ones ("in a row", the schedules). Its open next task is
 * cancelled and the task it closed reopens; referrals it created that nobody has seen yet
 * go with their confirm tasks; what it used up of the contract is given back. A maternal
 * visit that assessed the pregnancy risk or registered the pregnancy stays (the standing
 * assessment and the county report cannot be taken back to what they were). */
int handle_followup_delete(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    struct followup_row f;
    struct subject s = {0};
    int found = store_followup_row(r->db, id, &f), rc = -1;
    if (found < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (!found) return reply_problem(r, 404, "not_found", NULL);
    if (scope_require_resident(r, f.resident_id) < 0 ||
        api_subject_read_or_reply(r, f.resident_id, &s) < 0)
        goto done;
    if (api_begin(r) < 0) goto done;
    /* Again inside the writer: a visit recorded meanwhile makes this one no longer the latest,
     * and a deletion meanwhile leaves nothing to delete. */
    if ((found = store_followup_row(r->db, id, &f)) < 0) goto internal;
    if (!found) {
        api_rollback(r);
        rc = reply_problem(r, 404, "not_found", NULL);
        goto done;
    }
    const char *refused = !f.latest                ? "not_latest"
                          : f.risk_assessed        ? "risk_assessed"
                          : f.only_pregnancy_visit ? "pregnancy_registered"
                          : f.recorded_delivery    ? "delivery_recorded"
                                                   : NULL;
    if (refused) {
        api_rollback(r);
        rc = reply_problem(r, 409, refused, "id");
        goto done;
    }
    int64_t referrals[16];
    int n_referrals = store_followup_open_referrals(r->db, id, referrals, 16);
    if (n_referrals < 0) goto internal;
    for (int i = 0; i < n_referrals; i++)
        if (api_audit(r, "delete", "referral", referrals[i], f.resident_id) < 0) goto done;
    int returned = store_entitlement_undo(r->db, SOURCE_FOLLOWUP, id, f.resident_id);
    if (returned < 0) goto internal;
    int cancelled = 0;
    int64_t reopened = store_followup_delete(r->db, &f, s.team_id, s.doctor_id, &cancelled);
    if (reopened < 0) goto internal;
    if (api_audit(r, "delete", "followup", id, f.resident_id) < 0 || api_commit(r) < 0) goto done;
    json_t *removed = json_array();
    for (int i = 0; i < n_referrals; i++)
        json_array_append_new(removed, json_integer(referrals[i]));
    json_t *out =
        json_pack("{s:I, s:I, s:s, s:s, s:b, s:i, s:o}", "id", (json_int_t)id, "resident_id",
                  (json_int_t)f.resident_id, "program", f.program, "visit_date", f.visit_date,
                  "deleted", 1, "entitlements_returned", returned, "referrals_removed", removed);
    json_object_set_new(out, "task_cancelled", cancelled ? json_integer(f.task_id) : json_null());
    json_object_set_new(out, "task_reopened", reopened ? json_integer(reopened) : json_null());
    rc = reply_json(r, 200, out);
    goto done;
internal:
    rc = api_fail_internal(r, "followup delete");
done:
    json_decref(s.resident);
    return rc;
}

int handle_resident_followups(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_resident(r, id) < 0) return -1;
    const char *program = request_query(r, "program");
    if (program && protocol_program_parse(program) < 0)
        return reply_problem(r, 422, "invalid_field", "program");
    return api_reply_resident_items(r, id, "followups",
                                    store_followups_list(r->db, id, program, 500));
}

int handle_followups_list(struct request *r)
{
    struct followup_filter f = {.user_id = r->user.user_id};
    int limit;
    int64_t cursor, total = 0, next = 0;
    struct date day;
    if (request_page(r, &limit, &cursor) < 0) return -1;
    f.program = request_query(r, "program");
    f.from = request_query(r, "from");
    f.to = request_query(r, "to");
    f.region = request_query(r, "region");
    const char *team = request_query(r, "team"), *doctor = request_query(r, "doctor");
    char *end;
    if (f.program && protocol_program_parse(f.program) < 0)
        return reply_problem(r, 422, "invalid_field", "program");
    if (f.from && date_parse(f.from, &day) < 0)
        return reply_problem(r, 422, "invalid_date", "from");
    if (f.to && date_parse(f.to, &day) < 0) return reply_problem(r, 422, "invalid_date", "to");
    if (team && ((f.team_id = strtoll(team, &end, 10)) <= 0 || *end))
        return reply_problem(r, 422, "invalid_field", "team");
    if (doctor && !strcmp(doctor, "me")) {
        if (!(f.doctor_id = r->user.staff_id))
            return reply_problem(r, 422, "invalid_field", "doctor");
    } else if (doctor && ((f.doctor_id = strtoll(doctor, &end, 10)) <= 0 || *end)) {
        return reply_problem(r, 422, "invalid_field", "doctor");
    }
    if ((f.team_id && scope_require_team(r, f.team_id) < 0) ||
        (doctor && strcmp(doctor, "me") && scope_require_doctor(r, f.doctor_id) < 0) ||
        (f.region && scope_require_region(r, f.region, "region") < 0))
        return -1;
    json_t *items = store_followups_search(r->db, &f, limit, cursor,
                                           request_wants_total(r) ? &total : NULL, &next);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    api_audit_list(r, "followup_list", f.program ? f.program : "all", items, "resident_id");
    return reply_json(r, 200, api_page(items, next, total));
}

/* The record's dates the schedule was built from, beside the engine's answer. */
static void schedule_dates_json(json_t *out, const struct protocol_input *in)
{
    char text[11];
    if (in->program == PROGRAM_CHILD) {
        date_format(in->birth, text);
        json_object_set_new(out, "birth_date", json_string(text));
        return;
    }
    date_format(in->lmp, text);
    json_object_set_new(out, "lmp", json_string(text));
    date_format(in->delivery, text);
    json_object_set_new(out, "delivery_date", in->has_delivery ? json_string(text) : json_null());
    date_format(in->discharge, text);
    json_object_set_new(out, "discharge_date", in->has_discharge ? json_string(text) : json_null());
}

int api_resident_schedule(struct request *r, int64_t id, enum protocol_program program,
                          const json_t *record, struct date today, json_t **out,
                          struct jy_error *err)
{
    int64_t pregnancy = 0;
    struct protocol_input in = {.program = program};
    struct protocol_answer answer = {0};
    struct date birth;
    const char *sex = json_string_value(json_object_get(record, "sex"));
    *out = NULL;
    date_parse(json_string_value(json_object_get(record, "birth_date")), &birth);
    if (program == PROGRAM_MATERNAL && pregnancy_load(r, id, &in, &pregnancy) < 0)
        return jy_fail(err, 500, "internal_error", NULL, NULL);
    if (program == PROGRAM_MATERNAL && !in.has_lmp && sex && sex[0] == 'F')
        return jy_fail(err, 404, "not_found", "pregnancy", NULL); /* none registered yet */
    struct population_config pc = store_population_config(r->db);
    if (schedule_history_check(r, id, record, birth, &pc, today, 0, &in, err) < 0) return -1;
    in.as_of = today;
    struct protocol_config config = store_protocol_config(r->db);
    protocol_evaluate(&in, &config, &answer);
    if (!answer.json) return jy_fail(err, 500, "internal_error", NULL, NULL);
    if (program == PROGRAM_MATERNAL) {
        char lmp[11];
        date_format(in.lmp, lmp);
        json_t *latest = store_followup_latest_result(r->db, id, "maternal", lmp);
        json_t *colors = json_object_get(latest, "colors");
        if (json_is_array(colors)) json_object_set(answer.json, "colors", colors);
        json_decref(latest);
    }
    char as_of[11];
    date_format(today, as_of);
    json_object_set_new(answer.json, "program", json_string(protocol_program_name(program)));
    json_object_set_new(answer.json, "as_of", json_string(as_of));
    schedule_dates_json(answer.json, &in);
    *out = answer.json;
    return 0;
}

/* GET /residents/{id}/schedule/{child|maternal|immunisation}: the schedule as of today. */
int handle_resident_schedule(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    int program = protocol_program_parse(r->params[1]),
        immunisation = !strcmp(r->params[1], "immunisation");
    if (program != PROGRAM_CHILD && program != PROGRAM_MATERNAL && !immunisation)
        return reply_problem(r, 404, "not_found", NULL);
    if (scope_require_resident(r, id) < 0) return -1;
    json_t *record = store_resident_get(r->db, id), *schedule = NULL;
    if (!record) return reply_problem(r, 404, "not_found", NULL);
    struct jy_error err;
    char id_text[96];
    int rc;
    if (immunisation && api_immunisation_schedule(r, id, record, date_today(), &schedule) < 0) {
        rc = reply_problem(r, 500, "internal_error", NULL);
        goto done;
    }
    if (!immunisation && api_resident_schedule(r, id, (enum protocol_program)program, record,
                                               date_today(), &schedule, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    snprintf(id_text, sizeof id_text, "%lld/%s", (long long)id, r->params[1]);
    if (api_audit_read(r, "schedule", id_text, id) < 0) {
        json_decref(schedule);
        rc = -1;
        goto done;
    }
    rc = reply_json(r, 200, schedule);
done:
    json_decref(record);
    return rc;
}
