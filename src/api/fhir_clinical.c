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
#include "auth/scope.h"
#include "store/chart.h"

#define LOINC "http://loinc.org"
#define UCUM "http://unitsofmeasure.org"
#define OBSERVATION_CATEGORY "http://terminology.hl7.org/CodeSystem/observation-category"
#define ICD10 "http://hl7.org/fhir/sid/icd-10"
#define PROGRAM_SYSTEM "urn:jiayi:fhir:CodeSystem:program"

/* One kind of Observation a measurement row may hold. */
struct observation_kind {
    const char *key;      /* in the Observation's id: {source}-{row}-{key} */
    const char *field;    /* the row's value; NULL: blood pressure, two of them */
    const char *category; /* vital-signs or laboratory */
    const char *codes[2][2]; /* LOINC code and display; a second coding when one is not enough */
    const char *unit;        /* UCUM */
};

/* Glucose: the follow-up's and the exam's fasting glucose is in mmol/L. 1558-6 is the code
 * Chinese platforms exchange for fasting glucose; its LOINC property is mass per volume,
 * so 14771-0 (moles per volume), which matches the unit, goes beside it. A home glucometer
 * does not know whether its owner fasted: capillary blood glucose, 15074-8. */
static const struct observation_kind KINDS[] = {
    {"bp", NULL, "vital-signs", {{"85354-9", "Blood pressure panel with all children optional"}}, "mm[Hg]"},
    {"hr", "heart_rate", "vital-signs", {{"8867-4", "Heart rate"}}, "/min"},
    {"fbg", "fbg", "laboratory",
     {{"1558-6", "Fasting glucose [Mass/volume] in Serum or Plasma"},
      {"14771-0", "Fasting glucose [Moles/volume] in Serum or Plasma"}},
     "mmol/L"},
    {"glucose", "fbg", "laboratory", {{"15074-8", "Glucose [Moles/volume] in Blood"}}, "mmol/L"},
    {"weight", "weight_kg", "vital-signs", {{"29463-7", "Body weight"}}, "kg"},
    {"height", "height_cm", "vital-signs", {{"8302-2", "Body height"}}, "cm"},
    {"bmi", "bmi", "vital-signs", {{"39156-5", "Body mass index (BMI) [Ratio]"}}, "kg/m2"},
};
#define KIND_COUNT (sizeof KINDS / sizeof KINDS[0])

static const char *text_of(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static json_t *quantity(json_t *value, const char *unit)
{
    return json_pack("{s:O, s:s, s:s, s:s}", "value", value, "unit", unit, "system", UCUM, "code", unit);
}

static json_t *codeable(const char *system, const char *code, const char *display)
{
    json_t *coding = json_pack("{s:s, s:s}", "system", system, "code", code);
    if (coding && display) json_object_set_new(coding, "display", json_string(display));
    return json_pack("{s:[o]}", "coding", coding);
}

/* Does the row hold a value of this kind? A device's glucose is "glucose", every other "fbg". */
static int row_has(json_t *row, const struct observation_kind *k)
{
    int device = !strcmp(text_of(row, "source"), "device");
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
                              json_pack("{s:s, s:s, s:s}", "system", LOINC, "code", k->codes[i][0], "display", k->codes[i][1]));
    json_t *o = json_pack("{s:s, s:o, s:s, s:[o], s:o, s:o, s:s}", "resourceType", "Observation", "id",
                          json_sprintf("%s-%lld-%s", text_of(row, "source"),
                                       (long long)json_integer_value(json_object_get(row, "id")), k->key),
                          "status", "final", "category", codeable(OBSERVATION_CATEGORY, k->category, NULL), "code",
                          code, "subject",
                          fhir_reference("Patient", json_integer_value(json_object_get(row, "resident_id"))),
                          "effectiveDateTime", text_of(row, "when"));
    if (!o) return NULL;
    json_t *staff = json_object_get(row, "staff_id");
    if (staff) json_object_set_new(o, "performer", json_pack("[o]", fhir_reference("Practitioner", json_integer_value(staff))));
    if (k->field) {
        json_object_set_new(o, "valueQuantity", quantity(json_object_get(row, k->field), k->unit));
        return o;
    }
    json_object_set_new(
        o, "component",
        json_pack("[{s:o, s:o}, {s:o, s:o}]", "code", codeable(LOINC, "8480-6", "Systolic blood pressure"),
                  "valueQuantity", quantity(json_object_get(row, "sbp"), k->unit), "code",
                  codeable(LOINC, "8462-4", "Diastolic blood pressure"), "valueQuantity",
                  quantity(json_object_get(row, "dbp"), k->unit)));
    return o;
}

/* The patient a search names: `patient` or `subject`, "Patient/ID" or "ID", inside the
 * caller's scope. 0 and *id, or -1 after replying. */
static int search_patient(struct request *r, int64_t *id)
{
    const char *which = request_query(r, "patient") ? "patient" : "subject";
    const char *v = request_query(r, which);
    if (!v) return reply_problem(r, 422, "missing_field", "patient");
    if (!strncmp(v, "Patient/", 8)) v += 8;
    char *end;
    long long n = strtoll(v, &end, 10);
    if (!*v || *end || n <= 0) return reply_problem(r, 404, "not_found", which);
    *id = n;
    return scope_require_resident(r, n);
}

/* Does a token search value ("system|code", "|code" or "code") match this CodeableConcept? */
static int token_matches(const char *value, json_t *concept)
{
    const char *bar = strchr(value, '|');
    size_t system_len = bar ? (size_t)(bar - value) : 0;
    const char *code = bar ? bar + 1 : value;
    size_t i;
    json_t *coding;
    json_array_foreach(json_object_get(concept, "coding"), i, coding) {
        const char *s = text_of(coding, "system"), *c = text_of(coding, "code");
        if (!c || strcmp(c, code) != 0) continue;
        if (!bar || (system_len == 0 && !s) || (s && strlen(s) == system_len && !strncmp(s, value, system_len)))
            return 1;
    }
    return 0;
}

/* Is `value` one of the comma-separated `list`? */
static int in_list(const char *list, const char *value)
{
    size_t n = strlen(value);
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ",");
        if (len == n && !strncmp(p, value, n)) return 1;
        p += len + (p[len] == ',');
    }
    return 0;
}

/* Keeps the resources whose `date_field` (a date or dateTime) lies in [from, to]. */
static int date_in(json_t *resource, const char *date_field, const char *from, const char *to)
{
    const char *when = text_of(resource, date_field);
    char day[11];
    snprintf(day, sizeof day, "%s", when ? when : "");
    if (from[0] && strcmp(day, from) < 0) return 0;
    if (to[0] && strcmp(day, to) > 0) return 0;
    return 1;
}

/* Filters by `code`-style token parameters and a date parameter, then answers the page
 * `_cursor` names of what is left (resources stolen). */
static int reply_filtered(struct request *r, const struct fhir_search *s, json_t *resources,
                          const char *token_param, const char *token_field, const char *date_param,
                          const char *date_field)
{
    const char *tokens[8], *dates[8];
    int nt = token_param ? fhir_query_all(r, token_param, tokens, 8) : 0;
    int nd = date_param ? fhir_query_all(r, date_param, dates, 8) : 0;
    char from[11] = "", to[11] = "";
    for (int i = 0; i < nd; i++)
        if (fhir_date_narrow(dates[i], from, to) < 0) {
            json_decref(resources);
            return reply_problem(r, 422, "invalid_date", date_param);
        }
    json_t *kept = json_array();
    size_t i;
    json_t *res;
    json_array_foreach(resources, i, res) {
        int ok = !nd || date_in(res, date_field, from, to);
        for (int t = 0; ok && t < nt; t++) { /* each parameter ANDed; commas within one ORed */
            char one[128];
            int any = 0;
            for (const char *p = tokens[t]; *p && !any;) {
                size_t n = strcspn(p, ",");
                snprintf(one, sizeof one, "%.*s", (int)n, p);
                json_t *field = json_object_get(res, token_field);
                if (json_is_array(field)) {
                    size_t k;
                    json_t *c;
                    json_array_foreach(field, k, c) any |= token_matches(one, c);
                } else {
                    any = token_matches(one, field);
                }
                p += n + (p[n] == ',');
            }
            ok = any;
        }
        if (ok) json_array_append(kept, res);
    }
    json_decref(resources);
    /* _cursor is 1 + the offset of the page: the lists are one person's, a few hundred rows */
    int64_t total = (int64_t)json_array_size(kept), offset = s->cursor ? s->cursor - 1 : 0;
    json_t *page = json_array();
    for (int64_t k = offset; k < total && k < offset + s->count; k++)
        json_array_append(page, json_array_get(kept, (size_t)k));
    json_decref(kept);
    return fhir_reply(r, 200, fhir_bundle(r, page, total, offset + s->count < total ? offset + s->count + 1 : 0));
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
    if (fhir_search_begin(r, "Observation", &s) < 0 || search_patient(r, &resident) < 0) return -1;
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
            if (token_matches(category, json_array_get(json_object_get(o, "category"), 0))) json_array_append(kept, o);
        json_decref(list);
        list = kept;
    }
    return reply_filtered(r, &s, list, "code", "code", "date", "effectiveDateTime");
}

/* "{source}-{row}-{kind}" → the row's source, id and kind. 0, or -1. */
static int parse_observation_id(const char *id, enum vital_source *source, int64_t *row, const struct observation_kind **kind)
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

/* A read of one fact of a resident: found, in scope, audited. The row, or NULL after replying. */
static json_t *fact_for_read(struct request *r, json_t *row, int found, const char *resource)
{
    if (found < 0) return reply_problem(r, 500, "internal_error", NULL), NULL;
    if (!row) return reply_problem(r, 404, "not_found", NULL), NULL;
    int64_t resident = json_integer_value(json_object_get(row, "resident_id"));
    if (scope_require_resident(r, resident) < 0 || api_audit_read(r, resource, r->params[0], resident) < 0) {
        json_decref(row);
        return NULL;
    }
    return row;
}

int handle_fhir_observation_read(struct request *r)
{
    enum vital_source source;
    int64_t id;
    const struct observation_kind *kind;
    if (parse_observation_id(r->params[0], &source, &id, &kind) < 0) return reply_problem(r, 404, "not_found", NULL);
    int found;
    json_t *row = store_chart_vital(r->db, source, id, &found);
    if (!(row = fact_for_read(r, row, found, "observation"))) return -1;
    json_t *o = row_has(row, kind) ? observation(row, kind) : NULL;
    json_decref(row);
    return o ? fhir_reply(r, 200, o) : reply_problem(r, 404, "not_found", NULL);
}

static json_t *condition(json_t *d)
{
    json_t *c = json_pack(
        "{s:s, s:o, s:o, s:o, s:[o], s:o, s:o, s:s, s:s}", "resourceType", "Condition", "id",
        json_sprintf("%lld", (long long)json_integer_value(json_object_get(d, "id"))), "clinicalStatus",
        codeable("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", NULL), "verificationStatus",
        codeable("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed", NULL), "category",
        codeable("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item", NULL), "code",
        codeable(ICD10, text_of(d, "icd10"), NULL), "subject",
        fhir_reference("Patient", json_integer_value(json_object_get(d, "resident_id"))), "onsetDateTime",
        text_of(d, "diagnosed_on"), "recordedDate", text_of(d, "diagnosed_on"));
    if (c && text_of(d, "note")) json_object_set_new(c, "note", json_pack("[{s:s}]", "text", text_of(d, "note")));
    return c;
}

static json_t *map_all(json_t *rows, json_t *(*map)(json_t *))
{
    json_t *list = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) json_array_append_new(list, map(row));
    json_decref(rows);
    return list;
}

int handle_fhir_condition_search(struct request *r)
{
    struct fhir_search s;
    int64_t resident;
    if (fhir_search_begin(r, "Condition", &s) < 0 || search_patient(r, &resident) < 0) return -1;
    json_t *rows = store_chart_diagnoses(r->db, resident);
    if (!rows) return reply_problem(r, 500, "internal_error", NULL);
    if (api_audit_read(r, "diagnoses", "fhir", resident) < 0) {
        json_decref(rows);
        return -1;
    }
    return reply_filtered(r, &s, map_all(rows, condition), "code", "code", "onset-date", "onsetDateTime");
}

int handle_fhir_condition_read(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    int found;
    json_t *row = store_chart_diagnosis(r->db, id, &found);
    if (!(row = fact_for_read(r, row, found, "diagnosis"))) return -1;
    json_t *c = condition(row);
    json_decref(row);
    return fhir_reply(r, 200, c);
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
    const char *end = text_of(e, "end_date");
    json_t *period = json_pack("{s:s}", "start", text_of(e, "start_date"));
    if (end) json_object_set_new(period, "end", json_string(end));
    return json_pack("{s:s, s:o, s:s, s:[o], s:o, s:o}", "resourceType", "EpisodeOfCare", "id",
                     json_sprintf("program-%lld", (long long)json_integer_value(json_object_get(e, "id"))),
                     "status", end ? "finished" : "active", "type",
                     codeable(PROGRAM_SYSTEM, text_of(e, "program"), program_display(text_of(e, "program"))),
                     "patient", fhir_reference("Patient", json_integer_value(json_object_get(e, "resident_id"))),
                     "period", period);
}

int handle_fhir_episode_search(struct request *r)
{
    struct fhir_search s;
    int64_t resident;
    if (fhir_search_begin(r, "EpisodeOfCare", &s) < 0 || search_patient(r, &resident) < 0) return -1;
    json_t *rows = store_chart_enrolments(r->db, resident);
    if (!rows) return reply_problem(r, 500, "internal_error", NULL);
    if (api_audit_read(r, "enrolments", "fhir", resident) < 0) {
        json_decref(rows);
        return -1;
    }
    json_t *list = map_all(rows, episode);
    const char *status = request_query(r, "status");
    if (status) {
        json_t *kept = json_array();
        size_t i;
        json_t *e;
        json_array_foreach(list, i, e)
            if (in_list(status, text_of(e, "status"))) json_array_append(kept, e);
        json_decref(list);
        list = kept;
    }
    return reply_filtered(r, &s, list, "type", "type", NULL, NULL);
}

int handle_fhir_episode_read(struct request *r)
{
    const char *id_text = r->params[0];
    char *end;
    long long id = strncmp(id_text, "program-", 8) ? 0 : strtoll(id_text + 8, &end, 10);
    if (id <= 0 || *end) return reply_problem(r, 404, "not_found", NULL);
    int found;
    json_t *row = store_chart_enrolment(r->db, id, &found);
    if (!(row = fact_for_read(r, row, found, "enrolment"))) return -1;
    json_t *e = episode(row);
    json_decref(row);
    return fhir_reply(r, 200, e);
}
