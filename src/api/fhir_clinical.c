/* fhir_clinical.c - a resident's clinical facts as FHIR: Observation (blood pressure, glucose,
 * heart rate, weight, height, BMI from follow-ups, annual exams and home devices), Condition
 * (diagnoses, ICD-10) and EpisodeOfCare (programme enrolments). Searches name the patient
 * (`patient` or `subject`): each is a read of that resident's record, scope-checked and
 * audited like GET /api/v1/residents/{id}/followups. docs/fhir.md holds the codes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/fhir.h"
#include "store/chart.h"

#define LOINC "http://loinc.org"
#define UCUM "http://unitsofmeasure.org"
#define OBSERVATION_CATEGORY "http://terminology.hl7.org/CodeSystem/observation-category"
#define ICD10 "http://hl7.org/fhir/sid/icd-10"
#define PROGRAM_SYSTEM "urn:jiayi:fhir:CodeSystem:program"

/* One kind of Observation a measurement row may hold. */
struct observation_kind {
    const char *key;         /* in the Observation's id: {source}-{row}-{key} */
    const char *field;       /* the row's value; NULL: blood pressure, two of them */
    const char *category;    /* vital-signs or laboratory */
    const char *codes[2][2]; /* LOINC code and display; a second coding when one is not enough */
    const char *unit;        /* UCUM */
};

/* Glucose: the follow-up's and the exam's fasting glucose is in mmol/L. 1558-6 is the code
 * Chinese platforms exchange for fasting glucose; its LOINC property is mass per volume,
 * so 14771-0 (moles per volume), which matches the unit, goes beside it. A home glucometer
 * does not know whether its owner fasted: capillary blood glucose, 15074-8. */
static const struct observation_kind KINDS[] = {
    {"bp",
     NULL,
     "vital-signs",
     {{"85354-9", "Blood pressure panel with all children optional"}},
     "mm[Hg]"},
    {"hr", "heart_rate", "vital-signs", {{"8867-4", "Heart rate"}}, "/min"},
    {"fbg",
     "fbg",
     "laboratory",
     {{"1558-6", "Fasting glucose [Mass/volume] in Serum or Plasma"},
      {"14771-0", "Fasting glucose [Moles/volume] in Serum or Plasma"}},
     "mmol/L"},
    {"glucose", "fbg", "laboratory", {{"15074-8", "Glucose [Moles/volume] in Blood"}}, "mmol/L"},
    {"weight", "weight_kg", "vital-signs", {{"29463-7", "Body weight"}}, "kg"},
    {"height", "height_cm", "vital-signs", {{"8302-2", "Body height"}}, "cm"},
    {"bmi", "bmi", "vital-signs", {{"39156-5", "Body mass index (BMI) [Ratio]"}}, "kg/m2"},
    {"hba1c", "hba1c", "laboratory", {{"4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood"}}, "%"},
};
#define KIND_COUNT (sizeof KINDS / sizeof KINDS[0])

static json_t *quantity(json_t *value, const char *unit)
{
    return json_pack("{s:O, s:s, s:s, s:s}", "value", value, "unit", unit, "system", UCUM, "code",
                     unit);
}

/* Does the row hold a value of this kind? A device's glucose is "glucose", every other "fbg". */
static int row_has(json_t *row, const struct observation_kind *k)
{
    int device = !strcmp(fhir_text(row, "source"), "device");
    if (!strcmp(k->key, "fbg") && device) return 0;
    if (!strcmp(k->key, "glucose") && !device) return 0;
    if (!k->field) return json_object_get(row, "sbp") && json_object_get(row, "dbp");
    return json_object_get(row, k->field) != NULL;
}

static json_t *observation(json_t *row, const struct observation_kind *k)
{
    json_t *code = json_pack("{s:[], s:s}", "coding", "text", k->codes[0][1]);
    for (int i = 0; i < 2 && k->codes[i][0]; i++)
        json_array_append_new(json_object_get(code, "coding"),
                              json_pack("{s:s, s:s, s:s}", "system", LOINC, "code", k->codes[i][0],
                                        "display", k->codes[i][1]));
    json_t *o = json_pack(
        "{s:s, s:o, s:s, s:[o], s:o, s:o, s:s}", "resourceType", "Observation", "id",
        json_sprintf("%s-%lld-%s", fhir_text(row, "source"),
                     (long long)json_integer_value(json_object_get(row, "id")), k->key),
        "status", "final", "category", fhir_codeable(OBSERVATION_CATEGORY, k->category, NULL),
        "code", code, "subject",
        fhir_reference("Patient", json_integer_value(json_object_get(row, "resident_id"))),
        "effectiveDateTime", fhir_text(row, "when"));
    if (!o) return NULL;
    json_t *staff = json_object_get(row, "staff_id");
    if (staff)
        json_object_set_new(
            o, "performer",
            json_pack("[o]", fhir_reference("Practitioner", json_integer_value(staff))));
    if (k->field) {
        json_object_set_new(o, "valueQuantity", quantity(json_object_get(row, k->field), k->unit));
        return o;
    }
    json_object_set_new(o, "component",
                        json_pack("[{s:o, s:o}, {s:o, s:o}]", "code",
                                  fhir_codeable(LOINC, "8480-6", "Systolic blood pressure"),
                                  "valueQuantity", quantity(json_object_get(row, "sbp"), k->unit),
                                  "code",
                                  fhir_codeable(LOINC, "8462-4", "Diastolic blood pressure"),
                                  "valueQuantity", quantity(json_object_get(row, "dbp"), k->unit)));
    return o;
}

static json_t *observations_of(json_t *rows)
{
    json_t *list = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
        for (size_t k = 0; k < KIND_COUNT; k++)
            if (row_has(row, &KINDS[k])) json_array_append_new(list, observation(row, &KINDS[k]));
    return list;
}

int handle_fhir_observation_search(struct request *r)
{
    struct fhir_search s;
    int64_t resident;
    if (fhir_search_begin(r, "Observation", &s) < 0 || fhir_search_patient(r, &resident) < 0)
        return -1;
    json_t *rows = store_chart_vitals(r->db, resident);
    if (!rows) return reply_problem(r, 500, "internal_error", NULL);
    if (api_audit_read(r, "observations", "fhir", resident) < 0) {
        json_decref(rows);
        return -1;
    }
    json_t *list = observations_of(rows);
    json_decref(rows);
    /* category is a token on Observation.category[0] */
    const char *category = request_query(r, "category");
    if (category) {
        json_t *kept = json_array();
        size_t i;
        json_t *o;
        json_array_foreach(list, i, o)
            if (fhir_token_matches(category, json_array_get(json_object_get(o, "category"), 0)))
                json_array_append(kept, o);
        json_decref(list);
        list = kept;
    }
    return fhir_reply_filtered(r, &s, list, "code", "code", "date", "effectiveDateTime");
}

/* "{source}-{row}-{kind}" → the row's source, id and kind. 0, or -1. */
static int parse_observation_id(const char *id, enum vital_source *source, int64_t *row,
                                const struct observation_kind **kind)
{
    for (int src = 0; src < VITAL_SOURCE_COUNT; src++) {
        const char *name = store_vital_source_name((enum vital_source)src);
        size_t n = strlen(name);
        if (strncmp(id, name, n) != 0 || id[n] != '-') continue;
        char *end;
        long long v = strtoll(id + n + 1, &end, 10);
        if (v <= 0 || *end != '-') return -1;
        for (size_t k = 0; k < KIND_COUNT; k++)
            if (!strcmp(end + 1, KINDS[k].key)) {
                *source = (enum vital_source)src;
                *row = v;
                *kind = &KINDS[k];
                return 0;
            }
    }
    return -1;
}

int handle_fhir_observation_read(struct request *r)
{
    enum vital_source source;
    int64_t id;
    const struct observation_kind *kind;
    if (parse_observation_id(r->params[0], &source, &id, &kind) < 0)
        return reply_problem(r, 404, "not_found", NULL);
    int found;
    json_t *row = store_chart_vital(r->db, source, id, &found);
    if (!(row = fhir_fact_for_read(r, row, found, "observation"))) return -1;
    json_t *o = row_has(row, kind) ? observation(row, kind) : NULL;
    json_decref(row);
    return o ? fhir_reply(r, 200, o) : reply_problem(r, 404, "not_found", NULL);
}

static json_t *condition(json_t *d)
{
    json_t *c = json_pack(
        "{s:s, s:o, s:o, s:o, s:[o], s:o, s:o, s:s, s:s}", "resourceType", "Condition", "id",
        json_sprintf("%lld", (long long)json_integer_value(json_object_get(d, "id"))),
        "clinicalStatus",
        fhir_codeable("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", NULL),
        "verificationStatus",
        fhir_codeable("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed",
                      NULL),
        "category",
        fhir_codeable("http://terminology.hl7.org/CodeSystem/condition-category",
                      "problem-list-item", NULL),
        "code", fhir_codeable(ICD10, fhir_text(d, "icd10"), NULL), "subject",
        fhir_reference("Patient", json_integer_value(json_object_get(d, "resident_id"))),
        "onsetDateTime", fhir_text(d, "diagnosed_on"), "recordedDate",
        fhir_text(d, "diagnosed_on"));
    if (c && fhir_text(d, "note"))
        json_object_set_new(c, "note", json_pack("[{s:s}]", "text", fhir_text(d, "note")));
    return c;
}

int handle_fhir_condition_search(struct request *r)
{
    return fhir_search_facts(r, "Condition", "diagnoses", store_chart_diagnoses, condition, "code",
                             "code", "onset-date", "onsetDateTime");
}

int handle_fhir_condition_read(struct request *r)
{
    return fhir_read_fact(r, "diagnosis", store_chart_diagnosis, condition);
}

static const char *program_display(const char *program)
{
    static const char *const NAMES[][2] = {
        {"hypertension", "高血压患者健康管理"}, {"diabetes", "2型糖尿病患者健康管理"},
        {"smd", "严重精神障碍患者管理"},        {"elderly", "老年人健康管理"},
        {"child", "0～6岁儿童健康管理"},        {"maternal", "孕产妇健康管理"},
    };
    for (size_t i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++)
        if (!strcmp(NAMES[i][0], program)) return NAMES[i][1];
    return NULL;
}

static json_t *episode(json_t *e)
{
    const char *end = fhir_text(e, "end_date");
    json_t *period = json_pack("{s:s}", "start", fhir_text(e, "start_date"));
    if (end) json_object_set_new(period, "end", json_string(end));
    return json_pack(
        "{s:s, s:o, s:s, s:[o], s:o, s:o}", "resourceType", "EpisodeOfCare", "id",
        json_sprintf("program-%lld", (long long)json_integer_value(json_object_get(e, "id"))),
        "status", end ? "finished" : "active", "type",
        fhir_codeable(PROGRAM_SYSTEM, fhir_text(e, "program"),
                      program_display(fhir_text(e, "program"))),
        "patient", fhir_reference("Patient", json_integer_value(json_object_get(e, "resident_id"))),
        "period", period);
}

/* A family-doctor contract as an EpisodeOfCare (docs/fhir.md: FHIR has no resource for the
 * service agreement itself). */
static json_t *contract_episode(json_t *c)
{
    static const char *const STATUS[][2] = {{"scheduled", "planned"},
                                            {"active", "active"},
                                            {"expired", "finished"},
                                            {"terminated", "cancelled"},
                                            {"transferred", "finished"}};
    const char *status = "finished";
    for (size_t i = 0; i < sizeof STATUS / sizeof STATUS[0]; i++)
        if (fhir_text(c, "status") && !strcmp(STATUS[i][0], fhir_text(c, "status")))
            status = STATUS[i][1];
    const char *end =
        fhir_text(c, "ended_on") ? fhir_text(c, "ended_on") : fhir_text(c, "end_date");
    json_t *e = json_pack(
        "{s:s, s:o, s:s, s:[o], s:o, s:o, s:{s:s, s:s}, s:o, s:[o], s:[{s:s, s:s}, {s:s, s:I}]}",
        "resourceType", "EpisodeOfCare", "id",
        json_sprintf("contract-%lld", (long long)json_integer_value(json_object_get(c, "id"))),
        "status", status, "type",
        fhir_codeable("urn:jiayi:fhir:CodeSystem:episode-type", "family-doctor-contract",
                      "家庭医生签约服务"),
        "patient", fhir_reference("Patient", json_integer_value(json_object_get(c, "resident_id"))),
        "managingOrganization",
        fhir_reference("Organization", json_integer_value(json_object_get(c, "institution_id"))),
        "period", "start", fhir_text(c, "start_date"), "end", end, "careManager",
        fhir_reference("Practitioner", json_integer_value(json_object_get(c, "doctor_id"))), "team",
        fhir_reference("CareTeam", json_integer_value(json_object_get(c, "team_id"))), "extension",
        "url", "urn:jiayi:fhir:StructureDefinition:signing-channel", "valueCode",
        fhir_text(c, "channel"), "url", "urn:jiayi:fhir:StructureDefinition:contract-fee-fen",
        "valueInteger", (json_int_t)json_integer_value(json_object_get(c, "fee_fen")));
    return e;
}

int handle_fhir_episode_search(struct request *r)
{
    struct fhir_search s;
    int64_t resident;
    if (fhir_search_begin(r, "EpisodeOfCare", &s) < 0 || fhir_search_patient(r, &resident) < 0)
        return -1;
    json_t *rows = store_chart_enrolments(r->db, resident);
    if (!rows) return reply_problem(r, 500, "internal_error", NULL);
    if (api_audit_read(r, "enrolments", "fhir", resident) < 0) {
        json_decref(rows);
        return -1;
    }
    json_t *list = fhir_map(rows, episode), *contracts = store_chart_contracts(r->db, resident);
    if (!contracts) {
        json_decref(list);
        return reply_problem(r, 500, "internal_error", NULL);
    }
    json_array_extend(list, contracts = fhir_map(contracts, contract_episode));
    json_decref(contracts);
    list = fhir_keep_where(list, "status", request_query(r, "status"));
    return fhir_reply_filtered(r, &s, list, "type", "type", NULL, NULL);
}

int handle_fhir_episode_read(struct request *r)
{
    const char *id_text = r->params[0];
    int contract = !strncmp(id_text, "contract-", 9), program = !strncmp(id_text, "program-", 8);
    char *end = NULL;
    long long id = contract || program ? strtoll(id_text + (contract ? 9 : 8), &end, 10) : 0;
    if (id <= 0 || *end) return reply_problem(r, 404, "not_found", NULL);
    int found;
    json_t *row = contract ? store_chart_contract(r->db, id, &found)
                           : store_chart_enrolment(r->db, id, &found);
    if (!(row = fhir_fact_for_read(r, row, found, contract ? "contract" : "enrolment"))) return -1;
    json_t *e = contract ? contract_episode(row) : episode(row);
    json_decref(row);
    return fhir_reply(r, 200, e);
}
