/* fhir_care.c - what the family doctor and the hospitals did for a resident, as FHIR:
 * Encounter (visits), ServiceRequest (referrals, both directions), MedicationRequest (one
 * per prescribed drug), and the people around the record: RelatedPerson (the household)
 * and Consent (the record opened to the resident, proxy consent). Searches name the patient
 * and are reads of the record (ACT_RECORD_READ), as in fhir_clinical.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/fhir.h"
#include "api/handlers.h"
#include "store/chart.h"

#define ENCOUNTER_SETTING "urn:jiayi:fhir:CodeSystem:encounter-setting"
#define REFERRAL_CATEGORY "urn:jiayi:fhir:CodeSystem:referral-category"
#define DRUG "urn:jiayi:fhir:CodeSystem:drug"
#define PRESCRIPTION "urn:jiayi:fhir:identifier:prescription"
#define PRESCRIPTION_KIND "urn:jiayi:fhir:StructureDefinition:prescription-kind"
#define UCUM "http://unitsofmeasure.org"
#define ICD10 "http://hl7.org/fhir/sid/icd-10"
#define IN_COUNTY "urn:jiayi:fhir:StructureDefinition:in-county"

static void set_reference(json_t *o, const char *key, const char *type, json_t *row,
                          const char *field)
{
    if (json_object_get(row, field))
        json_object_set_new(o, key, fhir_reference(type, fhir_int(row, field)));
}

/* The kind as FHIR's encounter class (v3 ActCode): outpatient AMB, inpatient IMP, a home
 * visit HH, a telephone consultation VR. */
static void encounter_class(const char *kind, const char **code, const char **display)
{
    static const char *const MAP[][3] = {{"inpatient", "IMP", "inpatient encounter"},
                                         {"home_visit", "HH", "home health"},
                                         {"telephone", "VR", "virtual"}};
    *code = "AMB";
    *display = "ambulatory";
    for (size_t i = 0; kind && i < sizeof MAP / sizeof MAP[0]; i++)
        if (!strcmp(kind, MAP[i][0])) *code = MAP[i][1], *display = MAP[i][2];
}

static json_t *encounter(json_t *e)
{
    const char *code, *display, *end = fhir_text(e, "discharge_date");
    encounter_class(fhir_text(e, "kind"), &code, &display);
    json_t *o = json_pack(
        "{s:s, s:o, s:s, s:{s:s, s:s, s:s}, s:[o], s:o, s:{s:s, s:s}}", "resourceType", "Encounter",
        "id", json_sprintf("%lld", (long long)fhir_int(e, "id")), "status", "finished", "class",
        "system", "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code", code, "display",
        display, "type",
        fhir_codeable(
            ENCOUNTER_SETTING,
            json_is_true(json_object_get(e, "primary_care")) ? "primary_care" : "hospital", NULL),
        "subject", fhir_reference("Patient", fhir_int(e, "resident_id")), "period", "start",
        fhir_text(e, "date"), "end", end ? end : fhir_text(e, "date"));
    if (!o) return NULL;
    set_reference(o, "serviceProvider", "Organization", e, "institution_id");
    if (json_object_get(e, "staff_id"))
        json_object_set_new(o, "participant",
                            json_pack("[{s:o}]", "individual",
                                      fhir_reference("Practitioner", fhir_int(e, "staff_id"))));
    json_t *reasons = json_array();
    if (fhir_text(e, "chronic_program"))
        json_array_append_new(reasons, fhir_codeable("urn:jiayi:fhir:CodeSystem:program",
                                                     fhir_text(e, "chronic_program"), NULL));
    /* The diagnoses the sending system gave, as ICD-10 codings. */
    json_t *codes =
        fhir_text(e, "diagnoses") ? json_loads(fhir_text(e, "diagnoses"), 0, NULL) : NULL;
    size_t i;
    json_t *c;
    json_array_foreach(codes, i, c)
        if (json_is_string(c))
            json_array_append_new(reasons, fhir_codeable(ICD10, json_string_value(c), NULL));
    json_decref(codes);
    if (json_array_size(reasons))
        json_object_set_new(o, "reasonCode", reasons);
    else
        json_decref(reasons);
    return o;
}

int handle_fhir_encounter_search(struct request *r)
{
    return fhir_search_facts(r, "Encounter", "encounters", store_chart_encounters, encounter,
                             "type", "type", "date", "period.start");
}

int handle_fhir_encounter_read(struct request *r)
{
    return fhir_read_fact(r, "encounter", store_chart_encounter, encounter);
}

/* A hospital system's encounter as FHIR sends it, written as POST /encounters writes one:
 * subject, class (AMB, IMP, HH, VR), period, serviceProvider (an Organization of the grid;
 * else the in-county extension), reasonCode's ICD-10 codings. */
int handle_fhir_encounter_create(struct request *r)
{
    static const char *const FIELDS[][2] = {{"resident_id", "Encounter.subject"},
                                            {"encounter_date", "Encounter.period.start"},
                                            {"discharge_date", "Encounter.period.end"},
                                            {"kind", "Encounter.class"},
                                            {"institution_id", "Encounter.serviceProvider"},
                                            {"in_county", "Encounter.extension"},
                                            {"diagnoses", "Encounter.reasonCode"},
                                            {NULL, NULL}};
    static const char *const CLASSES[][2] = {
        {"AMB", "outpatient"}, {"IMP", "inpatient"}, {"HH", "home_visit"}, {"VR", "telephone"}};
    r->fhir_fields = FIELDS;
    json_t *e = request_json_body(r);
    if (!e) return -1;
    const char *type = fhir_text(e, "resourceType"),
               *code = fhir_text(json_object_get(e, "class"), "code");
    json_t *period = json_object_get(e, "period"), *body = json_object();
    int rc = 0;
    if (!type || strcmp(type, "Encounter") != 0)
        rc = reply_problem(r, 422, "invalid_field", "resourceType");
    json_object_set_new(body, "resident_id",
                        json_integer(fhir_reference_id(json_object_get(e, "subject"), "Patient")));
    for (size_t i = 0; code && i < sizeof CLASSES / sizeof CLASSES[0]; i++)
        if (!strcmp(code, CLASSES[i][0]))
            json_object_set_new(body, "kind", json_string(CLASSES[i][1]));
    if (!rc && code && !json_object_get(body, "kind"))
        rc = reply_problem(r, 422, "invalid_field", "kind");
    /* A dateTime's day is the encounter's day; an end is a stay's discharge. */
    const char *start = fhir_text(period, "start"), *end = fhir_text(period, "end");
    const char *kind = json_string_value(json_object_get(body, "kind"));
    if (start) json_object_set_new(body, "encounter_date", json_sprintf("%.10s", start));
    if (end && kind && !strcmp(kind, "inpatient"))
        json_object_set_new(body, "discharge_date", json_sprintf("%.10s", end));
    int64_t org = fhir_reference_id(json_object_get(e, "serviceProvider"), "Organization");
    if (org) json_object_set_new(body, "institution_id", json_integer(org));
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(e, "extension"), i, x)
        if (!strcmp(fhir_text(x, "url") ? fhir_text(x, "url") : "", IN_COUNTY))
            json_object_set(body, "in_county", json_object_get(x, "valueBoolean"));
    json_t *codes = json_array(), *reason, *coding;
    size_t k;
    json_array_foreach(json_object_get(e, "reasonCode"), i, reason)
        json_array_foreach(json_object_get(reason, "coding"), k, coding)
            if (fhir_text(coding, "system") && !strcmp(fhir_text(coding, "system"), ICD10) &&
                fhir_text(coding, "code"))
                json_array_append_new(codes, json_string(fhir_text(coding, "code")));
    if (json_array_size(codes)) json_object_set(body, "diagnoses", codes);
    json_decref(codes);
    int64_t id = 0;
    if (!rc) rc = api_encounter_write(r, body, &id);
    json_decref(body);
    if (rc < 0 || !id) return rc;
    int found = 0;
    json_t *row = store_chart_encounter(r->db, id, &found);
    json_t *o = row ? encounter(row) : NULL;
    json_decref(row);
    return o ? fhir_reply_created(r, o) : reply_problem(r, 500, "internal_error", NULL);
}

/* A referral's state as a ServiceRequest's status (docs/fhir.md). */
static const char *request_status(const char *status)
{
    static const char *const MAP[][2] = {{"requested", "active"},  {"accepted", "active"},
                                         {"seen", "active"},       {"declined", "revoked"},
                                         {"cancelled", "revoked"}, {"returned", "completed"},
                                         {"closed", "completed"}};
    for (size_t i = 0; status && i < sizeof MAP / sizeof MAP[0]; i++)
        if (!strcmp(MAP[i][0], status)) return MAP[i][1];
    return "unknown";
}

static json_t *service_request(json_t *f)
{
    const char *direction = fhir_text(f, "direction");
    json_t *o =
        json_pack("{s:s, s:o, s:s, s:s, s:[o], s:o, s:s, s:[{s:s, s:s}]}", "resourceType",
                  "ServiceRequest", "id", json_sprintf("%lld", (long long)fhir_int(f, "id")),
                  "status", request_status(fhir_text(f, "status")), "intent", "order", "category",
                  fhir_codeable("http://snomed.info/sct", "3457005", "Patient referral"), "subject",
                  fhir_reference("Patient", fhir_int(f, "resident_id")), "authoredOn",
                  fhir_text(f, "referred_on"), "extension", "url",
                  "urn:jiayi:fhir:StructureDefinition:referral-direction", "valueCode",
                  direction ? direction : "up");
    if (!o) return NULL;
    if (fhir_text(f, "category"))
        json_object_set_new(o, "code",
                            fhir_codeable(REFERRAL_CATEGORY, fhir_text(f, "category"), NULL));
    if (fhir_text(f, "reason"))
        json_object_set_new(o, "reasonCode", json_pack("[{s:s}]", "text", fhir_text(f, "reason")));
    set_reference(o, "requester", "Organization", f, "from_institution_id");
    if (json_object_get(f, "to_institution_id"))
        json_object_set_new(
            o, "performer",
            json_pack("[o]", fhir_reference("Organization", fhir_int(f, "to_institution_id"))));
    /* the referral's own state, which status folds together */
    json_array_append_new(
        json_object_get(o, "extension"),
        json_pack("{s:s, s:s}", "url", "urn:jiayi:fhir:StructureDefinition:referral-status",
                  "valueCode", fhir_text(f, "status") ? fhir_text(f, "status") : "requested"));
    return o;
}

int handle_fhir_service_request_search(struct request *r)
{
    return fhir_search_facts(r, "ServiceRequest", "referrals", store_chart_referrals,
                             service_request, "code", "code", "authored", "authoredOn");
}

int handle_fhir_service_request_read(struct request *r)
{
    return fhir_read_fact(r, "referral", store_chart_referral, service_request);
}

static json_t *medication_request(json_t *m)
{
    const char *status = fhir_text(m, "status");
    char instruction[160];
    snprintf(instruction, sizeof instruction, "%s %s %s %s",
             fhir_text(m, "dose") ? fhir_text(m, "dose") : "",
             fhir_text(m, "unit") ? fhir_text(m, "unit") : "",
             fhir_text(m, "frequency") ? fhir_text(m, "frequency") : "",
             fhir_text(m, "route") ? fhir_text(m, "route") : "");
    json_t *medication = fhir_codeable(DRUG, fhir_text(m, "drug_code"), fhir_text(m, "drug_name"));
    if (medication) json_object_set_new(medication, "text", json_string(fhir_text(m, "drug_name")));
    json_t *o = json_pack(
        "{s:s, s:o, s:s, s:s, s:o, s:o, s:s, s:{s:s, s:o}, s:[{s:s, s:{s:{s:s}}, s:{s:s}}],"
        " s:{s:{s:I, s:s, s:s, s:s}, s:{s:I}}, s:[{s:s, s:s}]}",
        "resourceType", "MedicationRequest", "id",
        json_sprintf("%lld", (long long)fhir_int(m, "id")), "status",
        status && !strcmp(status, "cancelled")   ? "cancelled"
        : status && !strcmp(status, "completed") ? "completed"
                                                 : "active",
        "intent", "order", "medicationCodeableConcept", medication, "subject",
        fhir_reference("Patient", fhir_int(m, "resident_id")), "authoredOn",
        fhir_text(m, "prescribed_on"), "groupIdentifier", "system", PRESCRIPTION, "value",
        json_sprintf("%lld", (long long)fhir_int(m, "prescription_id")), "dosageInstruction",
        "text", instruction, "timing", "code", "text", fhir_text(m, "frequency"), "route", "text",
        fhir_text(m, "route"), "dispenseRequest", "expectedSupplyDuration", "value",
        (json_int_t)fhir_int(m, "days"), "unit", "d", "system", UCUM, "code", "d", "quantity",
        "value", (json_int_t)fhir_int(m, "quantity"), "extension", "url", PRESCRIPTION_KIND,
        "valueCode", fhir_text(m, "kind"));
    if (o) set_reference(o, "requester", "Practitioner", m, "prescriber_id");
    return o;
}

int handle_fhir_medication_request_search(struct request *r)
{
    return fhir_search_facts(r, "MedicationRequest", "prescriptions", store_chart_medications,
                             medication_request, "code", "medicationCodeableConcept", "authoredon",
                             "authoredOn");
}

int handle_fhir_medication_request_read(struct request *r)
{
    return fhir_read_fact(r, "prescription", store_chart_medication, medication_request);
}

/* A household member, related to the patient through the household (v3 FAMMEMB); their
 * relation to the household's head as text. Id: {patient}-{member}. */
static json_t *related_person(json_t *m)
{
    const char *sex = fhir_text(m, "sex");
    json_t *relationship = fhir_codeable("http://terminology.hl7.org/CodeSystem/v3-RoleCode",
                                         "FAMMEMB", "family member");
    if (relationship && fhir_text(m, "relation"))
        json_object_set_new(relationship, "text", json_string(fhir_text(m, "relation")));
    json_t *o =
        json_pack("{s:s, s:o, s:b, s:o, s:[o], s:[{s:s}]}", "resourceType", "RelatedPerson", "id",
                  json_sprintf("%lld-%lld", (long long)fhir_int(m, "resident_id"),
                               (long long)fhir_int(m, "id")),
                  "active", 1, "patient", fhir_reference("Patient", fhir_int(m, "resident_id")),
                  "relationship", relationship, "name", "text",
                  fhir_text(m, "name") ? fhir_text(m, "name") : "");
    if (!o) return NULL;
    if (sex) json_object_set_new(o, "gender", json_string(!strcmp(sex, "M") ? "male" : "female"));
    if (fhir_text(m, "birth_date"))
        json_object_set_new(o, "birthDate", json_string(fhir_text(m, "birth_date")));
    /* the member as a patient of their own */
    json_object_set_new(o, "extension",
                        json_pack("[{s:s, s:o}]", "url",
                                  "urn:jiayi:fhir:StructureDefinition:resident", "valueReference",
                                  fhir_reference("Patient", fhir_int(m, "id"))));
    return o;
}

int handle_fhir_related_person_search(struct request *r)
{
    return fhir_search_facts(r, "RelatedPerson", "household", store_chart_household, related_person,
                             NULL, NULL, NULL, NULL);
}

int handle_fhir_related_person_read(struct request *r)
{
    long long patient, member;
    char tail;
    if (sscanf(r->params[0], "%lld-%lld%c", &patient, &member, &tail) != 2 || patient <= 0 ||
        member <= 0)
        return reply_problem(r, 404, "not_found", NULL);
    int found = 1;
    json_t *household = store_chart_household(r->db, patient), *row = NULL;
    if (!household) found = -1;
    size_t i;
    json_t *m;
    json_array_foreach(household, i, m)
        if (fhir_int(m, "id") == member) row = json_incref(m);
    json_decref(household);
    if (!(row = fhir_fact_for_read(r, row, found, "household"))) return -1;
    json_t *o = related_person(row);
    json_decref(row);
    return fhir_reply(r, 200, o);
}

/* The record's consents: `record-{id}` (档案开放: the record opened to the resident) and,
 * when given, `proxy-{id}` (household members may act for them). */
static json_t *consent(json_t *c, const char *kind)
{
    int record = !strcmp(kind, "record");
    int given = json_is_true(json_object_get(c, record ? "opened_to_resident" : "proxy_consent"));
    json_t *o =
        json_pack("{s:s, s:o, s:s, s:o, s:[o], s:o, s:{s:s}}", "resourceType", "Consent", "id",
                  json_sprintf("%s-%lld", kind, (long long)fhir_int(c, "resident_id")), "status",
                  given ? "active" : "inactive", "scope",
                  fhir_codeable("http://terminology.hl7.org/CodeSystem/consentscope",
                                "patient-privacy", "Privacy Consent"),
                  "category", fhir_codeable("http://loinc.org", "59284-0", "Patient Consent"),
                  "patient", fhir_reference("Patient", fhir_int(c, "resident_id")), "provision",
                  "type", given ? "permit" : "deny");
    if (!o) return NULL;
    json_object_set_new(o, "policyRule",
                        fhir_codeable("urn:jiayi:fhir:CodeSystem:consent-policy",
                                      record ? "record-opening" : "household-proxy", NULL));
    if (record && fhir_text(c, "consent_date"))
        json_object_set_new(o, "dateTime", json_string(fhir_text(c, "consent_date")));
    return o;
}

static json_t *record_consent(json_t *c)
{
    return consent(c, "record");
}
static json_t *proxy_consent(json_t *c)
{
    return consent(c, "proxy");
}

int handle_fhir_consent_search(struct request *r)
{
    struct fhir_search s;
    int64_t resident;
    if (fhir_search_begin(r, "Consent", &s) < 0 || fhir_search_patient(r, &resident) < 0) return -1;
    int found;
    json_t *c = store_chart_consents(r->db, resident, &found);
    if (found < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (api_audit_read(r, "consents", "fhir", resident) < 0) {
        json_decref(c);
        return -1;
    }
    json_t *list = json_array();
    if (c) {
        json_array_append_new(list, record_consent(c));
        json_array_append_new(list, proxy_consent(c));
    }
    json_decref(c);
    list = fhir_keep_where(list, "status", request_query(r, "status"));
    return fhir_reply_page(r, &s, list);
}

int handle_fhir_consent_read(struct request *r)
{
    char kind[8];
    long long resident;
    char tail;
    if (sscanf(r->params[0], "%7[a-z]-%lld%c", kind, &resident, &tail) != 2 || resident <= 0 ||
        (strcmp(kind, "record") && strcmp(kind, "proxy")))
        return reply_problem(r, 404, "not_found", NULL);
    int found;
    json_t *c = store_chart_consents(r->db, resident, &found);
    if (!(c = fhir_fact_for_read(r, c, found, "consent"))) return -1;
    json_t *o = consent(c, kind);
    json_decref(c);
    return fhir_reply(r, 200, o);
}
