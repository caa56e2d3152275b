/* fhir.h - the FHIR R4 face of jiayi under /fhir (issue 18): the same login, roles, data scope
 * and audit as /api/v1, resources mapped from the same store. Anchors: HAPI FHIR and the
 * OpenMRS FHIR2 module. docs/fhir.md is the mapping.
 *
 * Errors are OperationOutcomes (http/response.c, r->fhir). Searches are strict: a parameter
 * the resource does not support is a 400 naming it, never silently ignored (a typo must not
 * widen a search over people's records). Paging: `_count` (default 50, at most 500) and an
 * opaque `_cursor` the Bundle's `next` link carries. `_include` brings the Patients and
 * Practitioners a search's matches refer to (fhir_bundle). */
#ifndef JIAYI_API_FHIR_H
#define JIAYI_API_FHIR_H

#include <jansson.h>
#include <stdint.h>

#include "http/request.h"

/* The identity card number's OID in the Chinese health-record document standards (WS/T 483,
 * WS/T 500: 居民身份证号码). */
#define FHIR_ID_NUMBER_SYSTEM "urn:oid:2.16.156.10011.1.3"
/* jiayi's own extensions and code systems. */
#define FHIR_EXT_REGION "urn:jiayi:fhir:StructureDefinition:region"
#define FHIR_ID_MASKED "urn:jiayi:fhir:identifier:id-number-masked"

/* Answers a resource (stolen) as application/fhir+json. Returns 0, or -1 (500 replied). */
int fhir_reply(struct request *r, int status, json_t *resource);
/* 201 with the resource (stolen) and its Location (base/Type/id). */
int fhir_reply_created(struct request *r, json_t *resource);
/* "http://host/fhir" as the client addressed this server. */
void fhir_base_url(struct request *r, char *out, size_t size);

/* One search's paging and the parameters it was given. */
struct fhir_search {
    int count;
    int64_t cursor;
};
/* Checks every query parameter against those the CapabilityStatement lists for `type`
 * (_count, _cursor, _format and _pretty are always allowed) and reads the paging. 0, or -1
 * after replying 400/422. */
int fhir_search_begin(struct request *r, const char *type, struct fhir_search *s);
/* 1 when the CapabilityStatement lists search parameter `name` for resource `type`. */
int fhir_supports_param(const char *type, const char *name);
/* 1 when it lists `value` ("Observation:patient") among the type's _include values. */
int fhir_supports_include(const char *type, const char *value);
/* What an _include brings along, or NULL to leave it out: a Patient only inside the caller's
 * scope (its read audited), a Practitioner as GET /fhir/Practitioner/{id} shows it. */
json_t *fhir_patient_for_include(struct request *r, int64_t id);
json_t *fhir_practitioner_for_include(struct request *r, int64_t id);
/* Every value of a repeated parameter, in order: returns how many (at most max). */
int fhir_query_all(struct request *r, const char *name, const char **values, int max);

/* A date search value ("1950", "ge1950-03", "lt1950-03-01"...; prefixes eq, ne unsupported,
 * gt, ge, lt, le, sa, eb not) narrowed into the inclusive day range [from, to] ("" = open).
 * 0, or -1 when the value is not a date search a birth date can answer. */
int fhir_date_narrow(const char *value, char from[11], char to[11]);

/* A searchset Bundle of `resources` (stolen; each a resource with resourceType and id) with
 * total (left out when < 0: not counted), and self and next links (next when
 * next_cursor > 0). */
json_t *fhir_bundle(struct request *r, json_t *resources, int64_t total, int64_t next_cursor);

/* {"reference": "Type/id"} */
json_t *fhir_reference(const char *type, int64_t id);
/* The id of a reference {"reference": "Type/id"} of `type`, or 0. */
int64_t fhir_reference_id(json_t *ref, const char *type);
/* {"coding":[{system, code, display?}]} */
json_t *fhir_codeable(const char *system, const char *code, const char *display);
/* The string member `key` of o, or NULL; the integer member, or 0. */
const char *fhir_text(json_t *o, const char *key);
int64_t fhir_int(json_t *o, const char *key);
/* Does a token search value ("system|code", "|code" or "code") match a CodeableConcept? */
int fhir_token_matches(const char *value, json_t *concept);
/* Is `value` one of the comma-separated `list`? */
int fhir_in_list(const char *list, const char *value);

/* Searches over one resident's facts. The patient a search names (`patient` or `subject`:
 * "Patient/ID" or "ID", required), inside the caller's scope and, for the record's routes,
 * opened to a resident: 0 and *id, or -1 after replying. */
int fhir_search_patient(struct request *r, int64_t *id);
/* Keeps the resources matching every `token_param` (commas: any of them) on `token_field`
 * and every `date_param` on `date_field` (either param may be NULL), then answers the page
 * `_cursor` names: 1 + the offset, for one person's lists are short. Steals resources. */
int fhir_reply_filtered(struct request *r, const struct fhir_search *s, json_t *resources,
                        const char *token_param, const char *token_field, const char *date_param,
                        const char *date_field);
/* Answers the page `_cursor` names (1 + the offset) of an in-memory list. Steals it. */
int fhir_reply_page(struct request *r, const struct fhir_search *s, json_t *resources);
/* The resources whose text `member` is one of the comma-separated `values` (NULL: all).
 * Steals resources; returns the kept list. */
json_t *fhir_keep_where(json_t *resources, const char *member, const char *values);
/* A read of one fact of a resident (found as the store said): in scope and audited as a read
 * of `resource`. The row, or NULL after replying (the row freed). */
json_t *fhir_fact_for_read(struct request *r, json_t *row, int found, const char *resource);
/* Maps every row to a resource (stolen rows; the list of resources). */
json_t *fhir_map(json_t *rows, json_t *(*map)(json_t *));
/* A search of one resident's facts of one kind: the patient named and in scope, their rows
 * loaded, the read audited as `resource`, mapped and filtered as fhir_reply_filtered. */
int fhir_search_facts(struct request *r, const char *type, const char *resource,
                      json_t *(*load)(struct db *, int64_t), json_t *(*map)(json_t *),
                      const char *token_param, const char *token_field, const char *date_param,
                      const char *date_field);
/* A read of one fact by numeric id (the path's), scope-checked and audited, as a resource. */
int fhir_read_fact(struct request *r, const char *resource,
                   json_t *(*get)(struct db *, int64_t, int *), json_t *(*map)(json_t *));

int handle_fhir_metadata(struct request *r);
int handle_fhir_patient_read(struct request *r);
int handle_fhir_patient_search(struct request *r);
int handle_fhir_patient_create(struct request *r);
int handle_fhir_observation_search(struct request *r);
int handle_fhir_observation_read(struct request *r);
int handle_fhir_condition_search(struct request *r);
int handle_fhir_condition_read(struct request *r);
int handle_fhir_episode_search(struct request *r);
int handle_fhir_episode_read(struct request *r);
int handle_fhir_encounter_search(struct request *r);
int handle_fhir_encounter_read(struct request *r);
int handle_fhir_encounter_create(struct request *r);
int handle_fhir_service_request_search(struct request *r);
int handle_fhir_service_request_read(struct request *r);
int handle_fhir_medication_request_search(struct request *r);
int handle_fhir_medication_request_read(struct request *r);
int handle_fhir_related_person_search(struct request *r);
int handle_fhir_related_person_read(struct request *r);
int handle_fhir_consent_search(struct request *r);
int handle_fhir_consent_read(struct request *r);
int handle_fhir_schedule_read(struct request *r);
int handle_fhir_slot_search(struct request *r);
int handle_fhir_appointment_search(struct request *r);
int handle_fhir_appointment_read(struct request *r);
int handle_fhir_appointment_create(struct request *r);
int handle_fhir_questionnaire_search(struct request *r);
int handle_fhir_questionnaire_read(struct request *r);
int handle_fhir_questionnaire_response_search(struct request *r);
int handle_fhir_questionnaire_response_read(struct request *r);
int handle_fhir_questionnaire_response_create(struct request *r);
int handle_fhir_organization_search(struct request *r);
int handle_fhir_organization_read(struct request *r);
int handle_fhir_location_search(struct request *r);
int handle_fhir_location_read(struct request *r);
int handle_fhir_practitioner_search(struct request *r);
int handle_fhir_practitioner_read(struct request *r);
int handle_fhir_practitioner_role_search(struct request *r);
int handle_fhir_practitioner_role_read(struct request *r);
int handle_fhir_care_team_search(struct request *r);
int handle_fhir_care_team_read(struct request *r);

#endif
