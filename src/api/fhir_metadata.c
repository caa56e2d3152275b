/* fhir_metadata.c - GET /fhir/metadata: the CapabilityStatement, written from one table of
 * what each resource supports (the handlers check their search parameters against the same
 * names). Public, as FHIR clients read it before logging in. */
#include <string.h>

#include "api/fhir.h"
#include "util/date.h"

struct search_param {
    const char *name, *type, *documentation;
};

struct resource_caps {
    const char *type;
    const char *interactions[4];
    struct search_param params[10];
    const char *includes[4]; /* _include values: the references a search can bring along */
};

static const struct resource_caps RESOURCES[] = {
    {"Patient",
     {"read", "search-type", "create", NULL},
     {{"_id", "token", "The resident's id"},
      {"identifier", "token",
       "The identity card number (" FHIR_ID_NUMBER_SYSTEM "|value or value)"},
      {"name", "string", "Part of the name"},
      {"birthdate", "date", "Birth date; prefixes eq, gt, ge, lt, le; YYYY, YYYY-MM or YYYY-MM-DD"},
      {"gender", "token", "male or female"},
      {NULL, NULL, NULL}},
     {"Patient:general-practitioner", NULL}},
    {"Observation",
     {"read", "search-type", NULL},
     {{"patient", "reference", "Required (or subject): the resident, Patient/ID or ID"},
      {"subject", "reference", "As patient"},
      {"code", "token", "LOINC code, system|code or code; commas for any of several"},
      {"category", "token", "vital-signs or laboratory"},
      {"date", "date", "When it was measured; prefixes as for birthdate"},
      {NULL, NULL, NULL}},
     {"Observation:patient", "Observation:performer", NULL}},
    {"Condition",
     {"read", "search-type", NULL},
     {{"patient", "reference", "Required (or subject): the resident"},
      {"subject", "reference", "As patient"},
      {"code", "token", "ICD-10 code (http://hl7.org/fhir/sid/icd-10)"},
      {"onset-date", "date", "The date of diagnosis"},
      {NULL, NULL, NULL}},
     {"Condition:patient", NULL}},
    {"EpisodeOfCare",
     {"read", "search-type", NULL},
     {{"patient", "reference", "Required: the resident"},
      {"status", "token", "active or finished"},
      {"type", "token",
       "The programme (urn:jiayi:fhir:CodeSystem:program), or family-doctor-contract"},
      {NULL, NULL, NULL}},
     {"EpisodeOfCare:patient", "EpisodeOfCare:care-manager", NULL}},
    {"Encounter",
     {"read", "search-type", "create", NULL},
     {{"patient", "reference", "Required (or subject): the resident"},
      {"subject", "reference", "As patient"},
      {"type", "token", "primary_care or hospital (urn:jiayi:fhir:CodeSystem:encounter-setting)"},
      {"date", "date", "The day of the visit"},
      {NULL, NULL, NULL}},
     {"Encounter:patient", NULL}},
    {"ServiceRequest",
     {"read", "search-type", NULL},
     {{"patient", "reference", "Required (or subject): the resident"},
      {"subject", "reference", "As patient"},
      {"code", "token", "The referral's category (urn:jiayi:fhir:CodeSystem:referral-category)"},
      {"authored", "date", "The day it was sent"},
      {NULL, NULL, NULL}},
     {"ServiceRequest:patient", NULL}},
    {"MedicationRequest",
     {"read", "search-type", NULL},
     {{"patient", "reference", "Required (or subject): the resident"},
      {"subject", "reference", "As patient"},
      {"code", "token", "The drug's code in the county catalogue (urn:jiayi:fhir:CodeSystem:drug)"},
      {"authoredon", "date", "The day it was prescribed"},
      {NULL, NULL, NULL}},
     {"MedicationRequest:patient", "MedicationRequest:requester", NULL}},
    {"RelatedPerson",
     {"read", "search-type", NULL},
     {{"patient", "reference", "Required: the resident whose household it is"},
      {NULL, NULL, NULL}}},
    {"Consent",
     {"read", "search-type", NULL},
     {{"patient", "reference", "Required: the resident"},
      {"status", "token", "active or inactive"},
      {NULL, NULL, NULL}}},
    {"Schedule", {"read", NULL}, {{NULL, NULL, NULL}}},
    {"Slot",
     {"search-type", NULL},
     {{"start", "date", "The day (prefixes as for birthdate); from today, 28 days by default"},
      {"service-type", "token", "The department (urn:jiayi:fhir:CodeSystem:department)"},
      {"organization", "reference", "The hospital (jiayi's own parameter)"},
      {NULL, NULL, NULL}}},
    {"Appointment",
     {"read", "search-type", "create", NULL},
     {{"patient", "reference",
       "The resident (else every booking of the people of the caller's scope)"},
      {"status", "token", "booked, cancelled, fulfilled or noshow"},
      {"date", "date", "The day of the appointment"},
      {NULL, NULL, NULL}},
     {"Appointment:patient", NULL}},
    {"Questionnaire",
     {"read", "search-type", NULL},
     {{"_id", "token", "The questionnaire (its code, '-' for '_')"}, {NULL, NULL, NULL}}},
    {"QuestionnaireResponse",
     {"read", "search-type", "create", NULL},
     {{"patient", "reference", "Required (or subject): the resident"},
      {"subject", "reference", "As patient"},
      {"questionnaire", "reference",
       "The questionnaire's canonical URL (urn:jiayi:fhir:Questionnaire:CODE)"},
      {"authored", "date", "The day it was answered"},
      {NULL, NULL, NULL}},
     {"QuestionnaireResponse:patient", NULL}},
    {"Organization",
     {"read", "search-type", NULL},
     {{"_id", "token", "The institution's id"},
      {"name", "string", "Part of the name"},
      {"type", "token",
       "Institution kind ("
       "urn:jiayi:fhir:CodeSystem:institution-kind"
       ")"},
      {NULL, NULL, NULL}}},
    {"Location",
     {"read", "search-type", NULL},
     {{"_id", "token", "A division code"},
      {"partof", "reference", "The parent division: its children (none: the top level)"},
      {NULL, NULL, NULL}}},
    {"Practitioner",
     {"read", "search-type", NULL},
     {{"_id", "token", "The staff member's id"},
      {"organization", "reference", "Staff of one institution (jiayi's own parameter)"},
      {NULL, NULL, NULL}}},
    {"PractitionerRole",
     {"read", "search-type", NULL},
     {{"_id", "token", "The staff member's id"},
      {"organization", "reference", "Staff of one institution"},
      {NULL, NULL, NULL}}},
    {"CareTeam",
     {"read", "search-type", NULL},
     {{"_id", "token", "The team's id"},
      {"participant", "reference", "The teams a practitioner belongs to"},
      {NULL, NULL, NULL}}},
};

int fhir_supports_param(const char *type, const char *name)
{
    for (size_t i = 0; i < sizeof RESOURCES / sizeof RESOURCES[0]; i++) {
        if (strcmp(RESOURCES[i].type, type) != 0) continue;
        for (int k = 0; RESOURCES[i].params[k].name; k++)
            if (!strcmp(RESOURCES[i].params[k].name, name)) return 1;
    }
    return 0;
}

int fhir_supports_include(const char *type, const char *value)
{
    for (size_t i = 0; i < sizeof RESOURCES / sizeof RESOURCES[0]; i++) {
        if (strcmp(RESOURCES[i].type, type) != 0) continue;
        for (int k = 0; k < 4 && RESOURCES[i].includes[k]; k++)
            if (!strcmp(RESOURCES[i].includes[k], value)) return 1;
    }
    return 0;
}

int handle_fhir_metadata(struct request *r)
{
    char base[256], today[11];
    fhir_base_url(r, base, sizeof base);
    date_format(date_today(), today);
    json_t *resources = json_array();
    for (size_t i = 0; i < sizeof RESOURCES / sizeof RESOURCES[0]; i++) {
        const struct resource_caps *c = &RESOURCES[i];
        json_t *interactions = json_array(), *params = json_array();
        for (int k = 0; k < 4 && c->interactions[k]; k++)
            json_array_append_new(interactions, json_pack("{s:s}", "code", c->interactions[k]));
        for (int k = 0; c->params[k].name; k++)
            json_array_append_new(params, json_pack("{s:s, s:s, s:s}", "name", c->params[k].name,
                                                    "type", c->params[k].type, "documentation",
                                                    c->params[k].documentation));
        json_t *resource = json_pack("{s:s, s:o}", "type", c->type, "interaction", interactions);
        if (json_array_size(params))
            json_object_set_new(resource, "searchParam", params);
        else
            json_decref(params);
        if (c->includes[0]) {
            json_t *includes = json_array();
            for (int k = 0; k < 4 && c->includes[k]; k++)
                json_array_append_new(includes, json_string(c->includes[k]));
            json_object_set_new(resource, "searchInclude", includes);
        }
        json_array_append_new(resources, resource);
    }
    json_t *cs = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s}, s:{s:s, s:s}, s:s, s:[s, s], s:[{s:s, s:{s:s}, s:o}]}",
        "resourceType", "CapabilityStatement", "status", "active", "date", today, "kind",
        "instance", "publisher", "jiayi", "description",
        "jiayi: family-doctor contracted services with prevention and chronic-disease management",
        "software", "name", "jiayi", "implementation", "description", "jiayi FHIR R4", "url", base,
        "fhirVersion", "4.0.1", "format", "application/fhir+json", "json", "rest", "mode", "server",
        "security", "description",
        "Log in with POST /api/v1/session and send Authorization: Bearer TOKEN; the role and data "
        "scope of /api/v1 apply, and every read of a person's data is audited.",
        "resource", resources);
    return fhir_reply(r, 200, cs);
}
