/* fhir_registry.c - the health grid as FHIR: Organization (institutions), Location (regions,
 * county to grid cell), Practitioner and PractitionerRole (staff and where they work),
 * CareTeam (family-doctor teams). The same roles as GET /api/v1/institutions, /staff and
 * /teams; a staff member's phone only where /api/v1 shows it (scope_hide_phones). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/fhir.h"
#include "auth/scope.h"
#include "store/grid.h"
#include "store/registry.h"

#define INSTITUTION_CODE "urn:jiayi:fhir:identifier:institution-code"
#define INSTITUTION_KIND "urn:jiayi:fhir:CodeSystem:institution-kind"
#define DIVISION_CODE "urn:jiayi:fhir:identifier:division-code"
#define PROFESSION "urn:jiayi:fhir:CodeSystem:profession"
#define TEAM_ROLE "urn:jiayi:fhir:CodeSystem:team-role"
#define TEAM_MODEL "urn:jiayi:fhir:StructureDefinition:team-model"

static json_t *id_text(int64_t id)
{
    return json_sprintf("%lld", (long long)id);
}

static json_t *coded(const char *system, const char *code)
{
    return json_pack("[{s:[{s:s, s:s}]}]", "coding", "system", system, "code",
                     code ? code : "unknown");
}

/* A search's numeric `_id`: 0 when absent, -1 when it names nothing we could hold. */
static int64_t search_id(struct request *r)
{
    const char *v = request_query(r, "_id");
    if (!v) return 0;
    char *end;
    long long id = strtoll(v, &end, 10);
    return *end || id <= 0 ? -1 : id;
}

static json_t *organization(json_t *i)
{
    json_t *o =
        json_pack("{s:s, s:o, s:[{s:s, s:s}], s:b, s:o, s:s, s:[{s:s, s:[{s:s, s:s}]}]}",
                  "resourceType", "Organization", "id", id_text(fhir_int(i, "id")), "identifier",
                  "system", INSTITUTION_CODE, "value", fhir_text(i, "code"), "active", 1, "type",
                  coded(INSTITUTION_KIND, fhir_text(i, "kind")), "name", fhir_text(i, "name"),
                  "address", "text", fhir_text(i, "region_name") ? fhir_text(i, "region_name") : "",
                  "extension", "url", FHIR_EXT_REGION, "valueCode", fhir_text(i, "region"));
    return o;
}

int handle_fhir_organization_read(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    json_t *i = store_institution_get(r->db, id);
    if (!i) return reply_problem(r, 404, "not_found", NULL);
    json_t *o = organization(i);
    json_decref(i);
    return fhir_reply(r, 200, o);
}

int handle_fhir_organization_search(struct request *r)
{
    struct fhir_search s;
    if (fhir_search_begin(r, "Organization", &s) < 0) return -1;
    int64_t id = search_id(r);
    const char *name = request_query(r, "name"), *type = request_query(r, "type");
    json_t *all = store_institutions_list(r->db, NULL);
    if (!all) return reply_problem(r, 500, "internal_error", NULL);
    json_t *list = json_array();
    size_t k;
    json_t *i;
    json_array_foreach(all, k, i) {
        if (id && fhir_int(i, "id") != id) continue;
        if (name && !strstr(fhir_text(i, "name"), name)) continue;
        const char *bar = type ? strchr(type, '|') : NULL, *kind = bar ? bar + 1 : type;
        if (kind && strcmp(kind, fhir_text(i, "kind") ? fhir_text(i, "kind") : "")) continue;
        json_array_append_new(list, organization(i));
    }
    json_decref(all);
    return fhir_reply_page(r, &s, list);
}

static json_t *location(json_t *g)
{
    json_t *l =
        json_pack("{s:s, s:s, s:[{s:s, s:s}], s:s, s:s, s:s, s:{s:[{s:s, s:s, s:s}]}}",
                  "resourceType", "Location", "id", fhir_text(g, "code"), "identifier", "system",
                  DIVISION_CODE, "value", fhir_text(g, "code"), "status", "active", "name",
                  fhir_text(g, "name"), "mode", "instance", "physicalType", "coding", "system",
                  "http://terminology.hl7.org/CodeSystem/location-physical-type", "code", "jdn",
                  "display", "Jurisdiction");
    if (l && fhir_text(g, "level"))
        json_object_set_new(l, "description", json_string(fhir_text(g, "level")));
    if (l && fhir_text(g, "parent"))
        json_object_set_new(
            l, "partOf",
            json_pack("{s:o}", "reference", json_sprintf("Location/%s", fhir_text(g, "parent"))));
    return l;
}

/* A division code as a Location id: digits only. */
static int code_ok(const char *code)
{
    size_t n = strlen(code);
    if (n < 2 || n > 14) return 0;
    for (size_t i = 0; i < n; i++)
        if (code[i] < '0' || code[i] > '9') return 0;
    return 1;
}

int handle_fhir_location_read(struct request *r)
{
    json_t *g = code_ok(r->params[0]) ? store_region_get(r->db, r->params[0]) : NULL;
    if (!g) return reply_problem(r, 404, "not_found", NULL);
    json_t *l = location(g);
    json_decref(g);
    return fhir_reply(r, 200, l);
}

int handle_fhir_location_search(struct request *r)
{
    struct fhir_search s;
    if (fhir_search_begin(r, "Location", &s) < 0) return -1;
    const char *partof = request_query(r, "partof"), *id = request_query(r, "_id");
    if (partof && !strncmp(partof, "Location/", 9)) partof += 9;
    json_t *list = json_array();
    if (id) { /* one region, if it exists and lies under partof when both are given */
        json_t *g = code_ok(id) ? store_region_get(r->db, id) : NULL;
        if (g && (!partof || (fhir_text(g, "parent") && !strcmp(fhir_text(g, "parent"), partof))))
            json_array_append_new(list, location(g));
        json_decref(g);
        return fhir_reply_page(r, &s, list);
    }
    if (partof && !code_ok(partof)) return fhir_reply_page(r, &s, list);
    json_t *children = store_regions_children(r->db, partof);
    if (!children) {
        json_decref(list);
        return reply_problem(r, 500, "internal_error", NULL);
    }
    size_t k;
    json_t *g;
    json_array_foreach(children, k, g)
        json_array_append_new(list, location(g));
    json_decref(children);
    return fhir_reply_page(r, &s, list);
}

static json_t *practitioner(json_t *staff)
{
    json_t *p =
        json_pack("{s:s, s:o, s:b, s:[{s:s}], s:[{s:{s:[{s:s, s:s}]}}]}", "resourceType",
                  "Practitioner", "id", id_text(fhir_int(staff, "id")), "active", 1, "name", "text",
                  fhir_text(staff, "name") ? fhir_text(staff, "name") : "", "qualification", "code",
                  "coding", "system", PROFESSION, "code",
                  fhir_text(staff, "profession") ? fhir_text(staff, "profession") : "unknown");
    if (p && fhir_text(staff, "phone"))
        json_object_set_new(p, "telecom",
                            json_pack("[{s:s, s:s, s:s}]", "system", "phone", "use", "work",
                                      "value", fhir_text(staff, "phone")));
    return p;
}

static json_t *practitioner_role(json_t *staff)
{
    return json_pack("{s:s, s:o, s:b, s:o, s:o, s:o}", "resourceType", "PractitionerRole", "id",
                     id_text(fhir_int(staff, "id")), "active", 1, "practitioner",
                     fhir_reference("Practitioner", fhir_int(staff, "id")), "organization",
                     fhir_reference("Organization", fhir_int(staff, "institution_id")), "code",
                     coded(PROFESSION, fhir_text(staff, "profession")));
}

/* A staff member with the phone as this caller may see it; NULL after replying 404. */
static json_t *staff_for_or_reply(struct request *r, int64_t id)
{
    json_t *staff = store_staff_get(r->db, id);
    if (!staff) return reply_problem(r, 404, "not_found", NULL), NULL;
    json_t *one = json_pack("[O]", staff);
    scope_hide_phones(r, one);
    json_decref(one);
    return staff;
}

json_t *fhir_practitioner_for_include(struct request *r, int64_t id)
{
    json_t *staff = store_staff_get(r->db, id);
    if (!staff) return NULL;
    json_t *one = json_pack("[O]", staff);
    scope_hide_phones(r, one);
    json_decref(one);
    json_t *p = practitioner(staff);
    json_decref(staff);
    return p;
}

int handle_fhir_practitioner_read(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    json_t *staff = staff_for_or_reply(r, id);
    if (!staff) return -1;
    json_t *p = practitioner(staff);
    json_decref(staff);
    return fhir_reply(r, 200, p);
}

int handle_fhir_practitioner_role_read(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    json_t *staff = staff_for_or_reply(r, id);
    if (!staff) return -1;
    json_t *p = practitioner_role(staff);
    json_decref(staff);
    return fhir_reply(r, 200, p);
}

/* Staff pages by id (the store's cursor): `organization` narrows to one institution. */
static int staff_search(struct request *r, const char *type, json_t *(*map)(json_t *))
{
    struct fhir_search s;
    if (fhir_search_begin(r, type, &s) < 0) return -1;
    const char *org = request_query(r, "organization");
    if (org && !strncmp(org, "Organization/", 13)) org += 13;
    int64_t institution = 0, total = 0, next = 0;
    if (org) {
        char *end;
        institution = strtoll(org, &end, 10);
        if (*end || institution <= 0) return fhir_reply(r, 200, fhir_bundle(r, json_array(), 0, 0));
    }
    int64_t id = search_id(r);
    json_t *items;
    if (id) { /* one member of staff, or none */
        json_t *one = id > 0 ? store_staff_get(r->db, id) : NULL;
        items = json_array();
        if (one && (!institution || fhir_int(one, "institution_id") == institution))
            json_array_append(items, one);
        json_decref(one);
        total = (int64_t)json_array_size(items);
    } else {
        items = store_staff_list(r->db, NULL, institution, s.count, s.cursor, &total, &next);
    }
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    scope_hide_phones(r, items);
    json_t *list = json_array();
    size_t k;
    json_t *staff;
    json_array_foreach(items, k, staff)
        json_array_append_new(list, map(staff));
    json_decref(items);
    return fhir_reply(r, 200, fhir_bundle(r, list, total, next));
}

int handle_fhir_practitioner_search(struct request *r)
{
    return staff_search(r, "Practitioner", practitioner);
}

int handle_fhir_practitioner_role_search(struct request *r)
{
    return staff_search(r, "PractitionerRole", practitioner_role);
}

static json_t *care_team(json_t *team)
{
    json_t *participants = json_array();
    size_t k;
    json_t *m;
    json_array_foreach(json_object_get(team, "members"), k, m) {
        json_t *member = fhir_reference("Practitioner", fhir_int(m, "id"));
        if (member && fhir_text(m, "name"))
            json_object_set_new(member, "display", json_string(fhir_text(m, "name")));
        json_array_append_new(participants,
                              json_pack("{s:o, s:o}", "role",
                                        coded(TEAM_ROLE, fhir_text(m, "role")), "member", member));
    }
    json_t *t =
        json_pack("{s:s, s:o, s:s, s:s, s:[o]}", "resourceType", "CareTeam", "id",
                  id_text(fhir_int(team, "id")), "status", "active", "name",
                  fhir_text(team, "name") ? fhir_text(team, "name") : "", "managingOrganization",
                  fhir_reference("Organization", fhir_int(team, "institution_id")));
    if (t && json_array_size(participants))
        json_object_set_new(t, "participant", participants);
    else
        json_decref(participants);
    if (t && fhir_text(team, "model"))
        json_object_set_new(
            t, "extension",
            json_pack("[{s:s, s:s}]", "url", TEAM_MODEL, "valueString", fhir_text(team, "model")));
    return t;
}

int handle_fhir_care_team_read(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    json_t *team = store_team_get(r->db, id);
    if (!team) return reply_problem(r, 404, "not_found", NULL);
    scope_hide_phones(r, json_object_get(team, "members"));
    json_t *t = care_team(team);
    json_decref(team);
    return fhir_reply(r, 200, t);
}

int handle_fhir_care_team_search(struct request *r)
{
    struct fhir_search s;
    if (fhir_search_begin(r, "CareTeam", &s) < 0) return -1;
    int64_t id = search_id(r), total = 0, next = 0;
    const char *who = request_query(r, "participant");
    if (who && !strncmp(who, "Practitioner/", 13)) who += 13;
    json_t *items;
    if (id || who) { /* one team, or a practitioner's teams: a handful */
        json_t *ids = json_array();
        if (who) {
            char *end;
            long long staff = strtoll(who, &end, 10);
            json_t *teams = !*end && staff > 0 ? store_staff_teams(r->db, staff) : json_array();
            size_t k;
            json_t *t;
            json_array_foreach(teams, k, t)
                if (!id || json_integer_value(t) == id) json_array_append(ids, t);
            json_decref(teams);
        } else if (id > 0) {
            json_array_append_new(ids, json_integer(id));
        }
        items = json_array();
        size_t k;
        json_t *t;
        json_array_foreach(ids, k, t) {
            json_t *team = store_team_get(r->db, json_integer_value(t));
            if (team) json_array_append_new(items, team);
        }
        json_decref(ids);
        total = (int64_t)json_array_size(items);
    } else {
        items = store_teams_list(r->db, NULL, s.count, s.cursor, &next, &total);
    }
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    json_t *list = json_array();
    size_t k;
    json_t *team;
    json_array_foreach(items, k, team) {
        scope_hide_phones(r, json_object_get(team, "members"));
        json_array_append_new(list, care_team(team));
    }
    json_decref(items);
    return fhir_reply(r, 200, fhir_bundle(r, list, total, next));
}
