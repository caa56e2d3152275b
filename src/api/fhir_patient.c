/* fhir_patient.c - Patient: a resident. Read and search answer only the residents the caller's
 * data scope holds (the same query as GET /api/v1/residents) and audit the read; create
 * registers a resident exactly as POST /api/v1/residents does. The identity card number is
 * the identifier for roles that see it (domain/roles.h); others get the masked number under
 * jiayi's own system, which no search takes. The division code of the village or grid the
 * resident lives in rides in an extension of the address (docs/fhir.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/fhir.h"
#include "api/handlers.h"
#include "auth/scope.h"
#include "json/jsonx.h"
#include "store/contracts.h"
#include "store/residents.h"
#include "store/scope.h"
#include "util/date.h"

/* POST /residents's fields as FHIR paths, for the OperationOutcome of a refused create. */
static const char *const PATIENT_FIELDS[][2] = {
    {"name", "Patient.name"},
    {"id_number", "Patient.identifier"},
    {"sex", "Patient.gender"},
    {"birth_date", "Patient.birthDate"},
    {"phone", "Patient.telecom"},
    {"region", "Patient.address.extension"},
    {"address", "Patient.address.line"},
    {NULL, NULL},
};

/* A resident as the API presents it to this caller (api_present_resident) → Patient. */
static json_t *patient_from(json_t *resident)
{
    const char *sex = fhir_text(resident, "sex"), *status = fhir_text(resident, "status");
    const char *id_number = fhir_text(resident, "id_number"), *phone = fhir_text(resident, "phone");
    const char *address = fhir_text(resident, "address"),
               *region_name = fhir_text(resident, "region_name");
    json_t *p = json_pack(
        "{s:s, s:o, s:b, s:[{s:s, s:s}]}", "resourceType", "Patient", "id",
        json_sprintf("%lld", (long long)json_integer_value(json_object_get(resident, "id"))),
        "active", status && !strcmp(status, "alive"), "name", "use", "official", "text",
        fhir_text(resident, "name") ? fhir_text(resident, "name") : "");
    if (!p) return NULL;
    json_object_set_new(p, "identifier",
                        id_number ? json_pack("[{s:s, s:s, s:s}]", "use", "official", "system",
                                              FHIR_ID_NUMBER_SYSTEM, "value", id_number)
                                  : json_pack("[{s:s, s:s, s:s}]", "use", "official", "system",
                                              FHIR_ID_MASKED, "value",
                                              fhir_text(resident, "id_number_masked")));
    if (phone)
        json_object_set_new(p, "telecom",
                            json_pack("[{s:s, s:s}]", "system", "phone", "value", phone));
    if (sex) json_object_set_new(p, "gender", json_string(!strcmp(sex, "M") ? "male" : "female"));
    if (fhir_text(resident, "birth_date"))
        json_object_set(p, "birthDate", json_object_get(resident, "birth_date"));
    if (status && !strcmp(status, "deceased")) {
        const char *died = fhir_text(resident, "status_date");
        json_object_set_new(p, died ? "deceasedDateTime" : "deceasedBoolean",
                            died ? json_string(died) : json_true());
    }
    char text[300];
    snprintf(text, sizeof text, "%s%s", region_name ? region_name : "", address ? address : "");
    json_t *home = json_pack("{s:s, s:[{s:s, s:O}]}", "use", "home", "extension", "url",
                             FHIR_EXT_REGION, "valueCode", json_object_get(resident, "region"));
    if (home && text[0]) json_object_set_new(home, "text", json_string(text));
    if (home && address) json_object_set_new(home, "line", json_pack("[s]", address));
    if (home) json_object_set_new(p, "address", json_pack("[o]", home));
    json_t *contract = json_object_get(resident, "contract");
    if (json_is_object(contract)) {
        json_t *gp = fhir_reference("Practitioner",
                                    json_integer_value(json_object_get(contract, "doctor_id")));
        if (gp && fhir_text(contract, "doctor_name"))
            json_object_set(gp, "display", json_object_get(contract, "doctor_name"));
        json_object_set_new(p, "generalPractitioner", json_pack("[o]", gp));
    }
    return p;
}

static int reply_patient(struct request *r, int status, int64_t id, int audit_read)
{
    json_t *resident = store_resident_get(r->db, id);
    if (!resident) return reply_problem(r, 404, "not_found", NULL);
    char id_text[24];
    snprintf(id_text, sizeof id_text, "%lld", (long long)id);
    if (audit_read && api_audit_read(r, "resident", id_text, id) < 0) {
        json_decref(resident);
        return -1;
    }
    api_present_resident(r, resident, date_today());
    json_t *patient = patient_from(resident);
    json_decref(resident);
    return status == 201 ? fhir_reply_created(r, patient) : fhir_reply(r, status, patient);
}

json_t *fhir_patient_for_include(struct request *r, int64_t id)
{
    if (store_resident_visible(r->db, r->user.user_id, id) != 1) return NULL;
    json_t *resident = store_resident_get(r->db, id);
    if (!resident) return NULL;
    char id_text[24];
    snprintf(id_text, sizeof id_text, "%lld", (long long)id);
    api_audit_read(r, "resident", id_text, id);
    api_present_resident(r, resident, date_today());
    json_t *patient = patient_from(resident);
    json_decref(resident);
    return patient;
}

int handle_fhir_patient_read(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_resident(r, id) < 0) return -1;
    return reply_patient(r, 200, id, 1);
}

/* identifier=[system|]value: only the identity card number's system is searchable. 0, or 1
 * when nothing can match. */
static int identifier_filter(const char *value, char number[19])
{
    const char *bar = strchr(value, '|');
    if (bar && bar != value &&
        strncmp(value, FHIR_ID_NUMBER_SYSTEM "|", strlen(FHIR_ID_NUMBER_SYSTEM) + 1))
        return 1;
    const char *v = bar ? bar + 1 : value;
    if (strlen(v) != 18) return 1;
    for (int i = 0; i < 18; i++)
        number[i] = v[i] == 'x' ? 'X' : v[i];
    number[18] = '\0';
    return 0;
}

int handle_fhir_patient_search(struct request *r)
{
    struct fhir_search s;
    if (fhir_search_begin(r, "Patient", &s) < 0) return -1;
    struct resident_filter f;
    memset(&f, 0, sizeof f);
    f.user_id = r->user.user_id;
    f.signed_state = -1;
    int none = 0; /* a parameter no resident can match */
    char number[19], from[11] = "", to[11] = "";
    const char *id = request_query(r, "_id"), *identifier = request_query(r, "identifier");
    const char *gender = request_query(r, "gender");
    if (id) {
        char *end;
        f.id = strtoll(id, &end, 10);
        if (*end || f.id <= 0) none = 1;
    }
    if (identifier) {
        none |= identifier_filter(identifier, number);
        f.id_number = number;
    }
    if (gender) {
        if (!strcmp(gender, "male"))
            f.sex = "M";
        else if (!strcmp(gender, "female"))
            f.sex = "F";
        else if (!strcmp(gender, "other") || !strcmp(gender, "unknown"))
            none = 1;
        else
            return reply_problem(r, 422, "invalid_field", "gender");
    }
    f.q = request_query(r, "name");
    if (f.q && jx_utf8_length(f.q) > 50) return reply_problem(r, 422, "invalid_field", "name");
    const char *dates[8];
    int n = fhir_query_all(r, "birthdate", dates, 8);
    for (int i = 0; i < n; i++)
        if (fhir_date_narrow(dates[i], from, to) < 0)
            return reply_problem(r, 422, "invalid_date", "birthdate");
    if (from[0]) f.birth_from = from;
    if (to[0]) f.birth_to = to;
    if (from[0] && to[0] && strcmp(from, to) > 0) none = 1;
    int64_t total = 0, next = 0;
    json_t *items =
        none ? json_array() : store_resident_search(r->db, &f, s.count, s.cursor, &total, &next);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    api_audit_list(r, "resident_search", "fhir", items, "id");
    struct date today = date_today();
    json_t *patients = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item) {
        api_present_resident(r, item, today);
        /* the current contract's doctor, as a read shows it: the same Patient either way */
        json_t *contract =
            store_contract_summary(r->db, json_integer_value(json_object_get(item, "id")));
        if (contract) json_object_set_new(item, "contract", contract);
        json_array_append_new(patients, patient_from(item));
    }
    json_decref(items);
    return fhir_reply(r, 200, fhir_bundle(r, patients, total, next));
}

/* The first name's text, else its family and given names joined (Chinese order). */
static void name_of(json_t *patient, char *out, size_t size)
{
    json_t *name = json_array_get(json_object_get(patient, "name"), 0);
    out[0] = '\0';
    if (fhir_text(name, "text")) {
        snprintf(out, size, "%s", fhir_text(name, "text"));
        return;
    }
    snprintf(out, size, "%s", fhir_text(name, "family") ? fhir_text(name, "family") : "");
    size_t i;
    json_t *given;
    json_array_foreach(json_object_get(name, "given"), i, given)
        if (json_is_string(given))
            snprintf(out + strlen(out), size - strlen(out), "%s", json_string_value(given));
}

/* The FHIR Patient as POST /residents's body; NULL after replying when it is not a Patient. */
static json_t *registration_from_or_reply(struct request *r, json_t *patient)
{
    if (!json_is_object(patient) || !fhir_text(patient, "resourceType") ||
        strcmp(fhir_text(patient, "resourceType"), "Patient") != 0) {
        reply_problem(r, 422, "invalid_field", "resourceType");
        return NULL;
    }
    json_t *body = json_object();
    char name[160];
    name_of(patient, name, sizeof name);
    if (name[0]) json_object_set_new(body, "name", json_string(name));
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(patient, "identifier"), i, v)
        if (fhir_text(v, "system") && !strcmp(fhir_text(v, "system"), FHIR_ID_NUMBER_SYSTEM))
            json_object_set(body, "id_number", json_object_get(v, "value"));
    const char *gender = fhir_text(patient, "gender");
    if (gender)
        json_object_set_new(body, "sex",
                            json_string(!strcmp(gender, "male")     ? "M"
                                        : !strcmp(gender, "female") ? "F"
                                                                    : gender));
    if (json_object_get(patient, "birthDate"))
        json_object_set(body, "birth_date", json_object_get(patient, "birthDate"));
    json_array_foreach(json_object_get(patient, "telecom"), i, v)
        if (fhir_text(v, "system") && !strcmp(fhir_text(v, "system"), "phone") &&
            !json_object_get(body, "phone"))
            json_object_set(body, "phone", json_object_get(v, "value"));
    json_t *home = json_array_get(json_object_get(patient, "address"), 0);
    json_array_foreach(json_object_get(home, "extension"), i, v)
        if (fhir_text(v, "url") && !strcmp(fhir_text(v, "url"), FHIR_EXT_REGION))
            json_object_set(body, "region", json_object_get(v, "valueCode"));
    json_t *line = json_array_get(json_object_get(home, "line"), 0);
    if (json_is_string(line)) json_object_set(body, "address", line);
    return body;
}

int handle_fhir_patient_create(struct request *r)
{
    json_t *patient = request_json_body(r);
    if (!patient) return -1;
    r->fhir_fields = PATIENT_FIELDS;
    json_t *body = registration_from_or_reply(r, patient);
    if (!body) return -1;
    int64_t id;
    int rc = api_resident_register(r, body, &id);
    json_decref(body);
    return rc < 0 ? -1 : reply_patient(r, 201, id, 0);
}
