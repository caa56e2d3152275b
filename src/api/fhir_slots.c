/* fhir_slots.c - the specialist slot pool as FHIR (issue 15's slots, docs/hospital-loop.md):
 * Schedule (a doctor's session), Slot (the places family doctors may book today, as GET
 * /api/v1/slots shows them) and Appointment (a booking: search, read, and create, which books
 * exactly as POST /api/v1/bookings does). Times are local (China Standard Time, +08:00). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/fhir.h"
#include "api/handlers.h"
#include "auth/scope.h"
#include "store/slots.h"
#include "util/date.h"

#define DEPARTMENT "urn:jiayi:fhir:CodeSystem:department"
#define LOCAL_OFFSET "+08:00"
#define SLOT_DAYS_AHEAD 28 /* as GET /api/v1/slots */

/* "YYYY-MM-DDTHH:MM" plus `minutes` as an instant with the local offset. */
static json_t *instant(const char *local, int minutes)
{
    int h = 0, m = 0;
    if (!local || strlen(local) < 16 || sscanf(local + 11, "%2d:%2d", &h, &m) != 2)
        return json_string("");
    int total = h * 60 + m + minutes;
    return json_sprintf("%.10sT%02d:%02d:00" LOCAL_OFFSET, local, (total / 60) % 24, total % 60);
}

static json_t *service_type(json_t *o)
{
    return json_pack("[o]", fhir_codeable(DEPARTMENT, fhir_text(o, "department"),
                                          fhir_text(o, "department_name")));
}

static json_t *slot(json_t *s)
{
    int minutes = (int)fhir_int(s, "slot_minutes");
    json_t *o = json_pack(
        "{s:s, s:o, s:o, s:o, s:s, s:o, s:o, s:[{s:s, s:I}, {s:s, s:I}, {s:s, s:s}]}",
        "resourceType", "Slot", "id", json_sprintf("%lld", (long long)fhir_int(s, "id")),
        "serviceType", service_type(s), "schedule",
        fhir_reference("Schedule", fhir_int(s, "schedule_id")), "status",
        fhir_int(s, "booked") >= fhir_int(s, "capacity") ? "busy" : "free", "start",
        instant(fhir_text(s, "starts_at"), 0), "end", instant(fhir_text(s, "starts_at"), minutes),
        "extension", "url", "urn:jiayi:fhir:StructureDefinition:slot-capacity", "valueInteger",
        (json_int_t)fhir_int(s, "capacity"), "url",
        "urn:jiayi:fhir:StructureDefinition:slot-booked", "valueInteger",
        (json_int_t)fhir_int(s, "booked"), "url",
        "urn:jiayi:fhir:StructureDefinition:slot-released-to", "valueCode",
        fhir_text(s, "released_to"));
    if (o && fhir_text(s, "doctor_name"))
        json_object_set_new(o, "comment", json_string(fhir_text(s, "doctor_name")));
    return o;
}

int handle_fhir_slot_search(struct request *r)
{
    struct fhir_search s;
    if (fhir_search_begin(r, "Slot", &s) < 0) return -1;
    char today[11], from[11] = "", to[11] = "";
    struct date now = date_today();
    date_format(now, today);
    const char *dates[8], *org = request_query(r, "organization"),
                          *dept = request_query(r, "service-type");
    int n = fhir_query_all(r, "start", dates, 8);
    for (int i = 0; i < n; i++)
        if (fhir_date_narrow(dates[i], from, to) < 0)
            return reply_problem(r, 422, "invalid_date", "start");
    if (!from[0] || strcmp(from, today) < 0)
        memcpy(from, today, sizeof from); /* nothing before today is bookable */
    if (!to[0]) date_format(date_add_days(now, SLOT_DAYS_AHEAD), to);
    int64_t hospital = 0;
    if (org) {
        if (!strncmp(org, "Organization/", 13)) org += 13;
        char *end;
        hospital = strtoll(org, &end, 10);
        if (*end || hospital <= 0) return reply_problem(r, 422, "invalid_field", "organization");
    }
    if (dept && strchr(dept, '|')) dept = strchr(dept, '|') + 1;
    if (strcmp(from, to) > 0) return fhir_reply(r, 200, fhir_bundle(r, json_array(), 0, 0));
    int64_t offset = s.cursor ? s.cursor - 1 : 0;
    struct slot_query q = {hospital, dept, from, to, today, 0, s.count, offset};
    int more;
    json_t *items = store_slots_search(r->db, &q, &more);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    /* the slots are paged without a count: no total (FHIR's "not counted") */
    int64_t shown = offset + (int64_t)json_array_size(items);
    return fhir_reply(r, 200, fhir_bundle(r, fhir_map(items, slot), -1, more ? shown + 1 : 0));
}

/* A session: the doctor (a Practitioner when they have a staff record, else by name) and the
 * hospital by name as its actors. */
static json_t *schedule(json_t *sc)
{
    json_t *doctor = json_object_get(sc, "staff_id")
                         ? fhir_reference("Practitioner", fhir_int(sc, "staff_id"))
                         : json_object();
    json_object_set_new(
        doctor, "display",
        json_string(fhir_text(sc, "doctor_name") ? fhir_text(sc, "doctor_name") : ""));
    return json_pack(
        "{s:s, s:o, s:b, s:o, s:[o, {s:s}], s:{s:o, s:o}}", "resourceType", "Schedule", "id",
        json_sprintf("%lld", (long long)fhir_int(sc, "id")), "active", 1, "serviceType",
        service_type(sc), "actor", doctor, "display",
        fhir_text(sc, "hospital_name") ? fhir_text(sc, "hospital_name") : "", "planningHorizon",
        "start",
        json_sprintf("%sT%s:00" LOCAL_OFFSET, fhir_text(sc, "day"), fhir_text(sc, "start_time")),
        "end",
        json_sprintf("%sT%s:00" LOCAL_OFFSET, fhir_text(sc, "day"), fhir_text(sc, "end_time")));
}

int handle_fhir_schedule_read(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    json_t *sc = store_schedule_json(r->db, id);
    if (!sc) return reply_problem(r, 404, "not_found", NULL);
    json_t *o = schedule(sc);
    json_decref(sc);
    return fhir_reply(r, 200, o);
}

/* A booking's status as an Appointment's. */
static const char *appointment_status(const char *status)
{
    if (!status) return "booked";
    if (!strcmp(status, "attended")) return "fulfilled";
    if (!strcmp(status, "no_show")) return "noshow";
    return !strcmp(status, "cancelled") ? "cancelled" : "booked";
}

static json_t *appointment(json_t *b)
{
    json_t *o = json_pack(
        "{s:s, s:o, s:s, s:o, s:o, s:o, s:[o], s:[{s:o, s:s}, {s:{s:s}, s:s}], s:s}",
        "resourceType", "Appointment", "id", json_sprintf("%lld", (long long)fhir_int(b, "id")),
        "status", appointment_status(fhir_text(b, "status")), "serviceType", service_type(b),
        "start", instant(fhir_text(b, "starts_at"), 0), "end",
        instant(fhir_text(b, "starts_at"), (int)fhir_int(b, "slot_minutes")), "slot",
        fhir_reference("Slot", fhir_int(b, "slot_id")), "participant", "actor",
        fhir_reference("Patient", fhir_int(b, "resident_id")), "status", "accepted", "actor",
        "display", fhir_text(b, "hospital_name") ? fhir_text(b, "hospital_name") : "", "status",
        "accepted", "created", fhir_text(b, "created_at") ? fhir_text(b, "created_at") : "");
    if (o && json_is_integer(json_object_get(b, "referral_id")))
        json_object_set_new(
            o, "basedOn",
            json_pack("[o]", fhir_reference("ServiceRequest", fhir_int(b, "referral_id"))));
    if (o && fhir_text(b, "doctor_name"))
        json_object_set_new(o, "description", json_string(fhir_text(b, "doctor_name")));
    return o;
}

int handle_fhir_appointment_search(struct request *r)
{
    struct fhir_search s;
    if (fhir_search_begin(r, "Appointment", &s) < 0) return -1;
    static const char *const STATUSES[][2] = {{"booked", "booked"},
                                              {"cancelled", "cancelled"},
                                              {"fulfilled", "attended"},
                                              {"noshow", "no_show"}};
    const char *status = request_query(r, "status"), *booking_status = NULL, *dates[8];
    for (size_t i = 0; status && i < sizeof STATUSES / sizeof STATUSES[0]; i++)
        if (!strcmp(status, STATUSES[i][0])) booking_status = STATUSES[i][1];
    if (status && !booking_status) return reply_problem(r, 422, "invalid_field", "status");
    int64_t resident = 0;
    if (request_query(r, "patient") && fhir_search_patient(r, &resident) < 0) return -1;
    char from[11] = "", to[11] = "";
    int n = fhir_query_all(r, "date", dates, 8);
    for (int i = 0; i < n; i++)
        if (fhir_date_narrow(dates[i], from, to) < 0)
            return reply_problem(r, 422, "invalid_date", "date");
    struct booking_query q = {resident,
                              0,
                              from[0] ? from : NULL,
                              to[0] ? to : NULL,
                              booking_status,
                              r->user.user_id,
                              s.count,
                              s.cursor};
    int more;
    json_t *items = store_bookings_list(r->db, &q, &more);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    api_audit_list(r, "booking", "fhir", items, "resident_id");
    int64_t last = fhir_int(json_array_get(items, json_array_size(items) - 1), "id");
    return fhir_reply(r, 200, fhir_bundle(r, fhir_map(items, appointment), -1, more ? last : 0));
}

int handle_fhir_appointment_read(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    json_t *b = store_booking_json(r->db, id);
    if (!b) return reply_problem(r, 404, "not_found", NULL);
    int64_t resident = fhir_int(b, "resident_id");
    if (scope_require_resident(r, resident) < 0 ||
        api_audit_read(r, "booking", r->params[0], resident) < 0) {
        json_decref(b);
        return -1;
    }
    json_t *o = appointment(b);
    json_decref(b);
    return fhir_reply(r, 200, o);
}

/* "Type/123" → 123 when the reference is to `type`; 0 otherwise. */
int handle_fhir_appointment_create(struct request *r)
{
    static const char *const FIELDS[][2] = {{"slot_id", "Appointment.slot"},
                                            {"resident_id", "Appointment.participant"},
                                            {"referral_id", "Appointment.basedOn"},
                                            {NULL, NULL}};
    r->fhir_fields = FIELDS;
    json_t *a = request_json_body(r);
    if (!a) return -1;
    int64_t slot_id = fhir_reference_id(json_array_get(json_object_get(a, "slot"), 0), "Slot"),
            resident = 0;
    int64_t referral =
        fhir_reference_id(json_array_get(json_object_get(a, "basedOn"), 0), "ServiceRequest");
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(a, "participant"), i, p)
        if (!resident) resident = fhir_reference_id(json_object_get(p, "actor"), "Patient");
    int not_appointment =
        !fhir_text(a, "resourceType") || strcmp(fhir_text(a, "resourceType"), "Appointment");
    int bad_referral = json_object_get(a, "basedOn") && !referral;
    if (not_appointment) return reply_problem(r, 422, "invalid_field", "resourceType");
    if (!slot_id) return reply_problem(r, 422, "missing_field", "slot_id");
    if (!resident) return reply_problem(r, 422, "missing_field", "resident_id");
    if (bad_referral) return reply_problem(r, 422, "invalid_field", "referral_id");
    int64_t id;
    if (api_booking_create(r, slot_id, resident, referral, &id) < 0) return -1;
    json_t *b = store_booking_json(r->db, id);
    if (!b) return reply_problem(r, 500, "internal_error", NULL);
    json_t *o = appointment(b);
    json_decref(b);
    return fhir_reply_created(r, o);
}
