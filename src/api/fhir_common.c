/* fhir_common.c - what every FHIR interaction shares: answers, the base URL, strict search
 * parameters with paging, date and token searches, searchset Bundles with _include, and
 * the reads and searches of one resident's facts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/fhir.h"
#include "auth/scope.h"
#include "json/jsondump.h"
#include "util/date.h"
#include "util/sbuf.h"

#define FHIR_DEFAULT_COUNT 50
#define FHIR_MAX_COUNT 500

int fhir_reply(struct request *r, int status, json_t *resource)
{
    char *text = resource ? jsonx_dumps(resource) : NULL;
    json_decref(resource);
    if (!text) return reply_problem(r, 500, "internal_error", NULL);
    reply_bytes(r, status, "application/fhir+json; charset=utf-8", text, strlen(text));
    free(text);
    return 0;
}

int fhir_reply_created(struct request *r, json_t *resource)
{
    char location[384];
    fhir_base_url(r, location, 256);
    snprintf(location + strlen(location), sizeof location - strlen(location), "/%s/%s",
             fhir_text(resource, "resourceType") ? fhir_text(resource, "resourceType") : "",
             fhir_text(resource, "id") ? fhir_text(resource, "id") : "");
    int rc = fhir_reply(r, 201, resource);
    reply_header(r, "Location", location);
    return rc;
}

void fhir_base_url(struct request *r, char *out, size_t size)
{
    const char *host = request_header(r, "Host");
    /* A Host header is the client's to write: only a plain host[:port] goes into links. */
    int plain = host && *host && strlen(host) < 200;
    for (const char *p = host; plain && *p; p++)
        plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                strchr(".-:[]", *p);
    snprintf(out, size, "%s://%s/fhir", request_is_https(r) ? "https" : "http",
             plain ? host : "localhost");
}

struct param_check {
    const char *type;
    const char *bad;
    int bad_value; /* a known parameter with a value not supported here */
};

static int check_param(void *ctx, const char *name, const char *value)
{
    static const char *const ALWAYS[] = {"_count", "_cursor", "_format", "_pretty", NULL};
    struct param_check *c = ctx;
    if (!strcmp(name, "_include")) {
        if (fhir_supports_include(c->type, value)) return 0;
        c->bad = name;
        c->bad_value = 1;
        return 1;
    }
    for (const char *const *a = ALWAYS; *a; a++)
        if (!strcmp(*a, name)) return 0;
    if (fhir_supports_param(c->type, name)) return 0;
    c->bad = name;
    return 1;
}

static int positive_number(const char *text, long long max, long long *out)
{
    char *end;
    long long v = strtoll(text, &end, 10);
    if (!*text || *end || v <= 0 || v > max) return -1;
    *out = v;
    return 0;
}

int fhir_search_begin(struct request *r, const char *type, struct fhir_search *s)
{
    struct param_check c = {type, NULL, 0};
    if (request_query_each(r, check_param, &c) && c.bad_value)
        return reply_problem(r, 422, "invalid_field", c.bad);
    if (c.bad) {
        struct jy_error err;
        jy_fail(&err, 400, "unknown_search_parameter", "", "not supported here");
        snprintf(err.field, sizeof err.field, "%s", c.bad);
        return reply_error(r, &err);
    }
    long long v;
    const char *count = request_query(r, "_count"), *cursor = request_query(r, "_cursor");
    s->count = FHIR_DEFAULT_COUNT;
    s->cursor = 0;
    if (count) {
        if (positive_number(count, FHIR_MAX_COUNT, &v) < 0)
            return reply_problem(r, 422, "invalid_field", "_count");
        s->count = (int)v;
    }
    if (cursor) {
        if (positive_number(cursor, INT64_MAX, &v) < 0)
            return reply_problem(r, 422, "invalid_field", "_cursor");
        s->cursor = v;
    }
    return 0;
}

struct collect {
    const char *name;
    const char **values;
    int max, n;
};

static int collect_param(void *ctx, const char *name, const char *value)
{
    struct collect *c = ctx;
    if (!strcmp(name, c->name) && c->n < c->max) c->values[c->n++] = value;
    return 0;
}

int fhir_query_all(struct request *r, const char *name, const char **values, int max)
{
    struct collect c = {name, values, max, 0};
    request_query_each(r, collect_param, &c);
    return c.n;
}

json_t *fhir_reference(const char *type, int64_t id)
{
    return json_pack("{s:o}", "reference", json_sprintf("%s/%lld", type, (long long)id));
}

int64_t fhir_reference_id(json_t *ref, const char *type)
{
    const char *text = fhir_text(ref, "reference");
    size_t n = strlen(type);
    if (!text || strncmp(text, type, n) != 0 || text[n] != '/') return 0;
    char *end;
    long long id = strtoll(text + n + 1, &end, 10);
    return *end || id <= 0 ? 0 : id;
}

struct link_query {
    struct sbuf *out;
    int first;
};

static void append_encoded(struct sbuf *out, const char *s)
{
    static const char HEX[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~:", *p)) {
            sbuf_append(out, (const char *)p, 1);
        } else {
            char esc[3] = {'%', HEX[*p >> 4], HEX[*p & 15]};
            sbuf_append(out, esc, 3);
        }
    }
}

static int copy_param(void *ctx, const char *name, const char *value)
{
    struct link_query *q = ctx;
    if (!strcmp(name, "_cursor")) return 0;
    sbuf_append(q->out, q->first ? "?" : "&", 1);
    q->first = 0;
    append_encoded(q->out, name);
    sbuf_append(q->out, "=", 1);
    append_encoded(q->out, value);
    return 0;
}

/* The URL of this search with its parameters, and `_cursor` when cursor > 0. */
static json_t *search_link(struct request *r, const char *relation, int64_t cursor)
{
    char base[256];
    fhir_base_url(r, base, sizeof base);
    struct sbuf url;
    sbuf_init(&url);
    sbuf_puts(&url, base);
    sbuf_puts(&url, r->path + strlen("/fhir"));
    struct link_query q = {&url, 1};
    request_query_each(r, copy_param, &q);
    if (cursor > 0) sbuf_printf(&url, "%s_cursor=%lld", q.first ? "?" : "&", (long long)cursor);
    json_t *link = sbuf_failed(&url)
                       ? NULL
                       : json_pack("{s:s, s:s}", "relation", relation, "url", sbuf_cstr(&url));
    sbuf_free(&url);
    return link;
}

/* The elements an _include's search parameter names ("Observation:performer" → performer). */
static const char *const *include_elements(const char *value)
{
    static const char
        *const PATIENT[] = {"patient", "subject", NULL},
               *const SUBJECT[] = {"subject", NULL}, *const GP[] = {"generalPractitioner", NULL},
               *const PERFORMER[] = {"performer", NULL}, *const MANAGER[] = {"careManager", NULL},
               *const REQUESTER[] = {"requester", NULL};
    static const struct {
        const char *param;
        const char *const *elements;
    } MAP[] = {{"patient", PATIENT},     {"subject", SUBJECT},      {"general-practitioner", GP},
               {"performer", PERFORMER}, {"care-manager", MANAGER}, {"requester", REQUESTER}};
    const char *colon = strchr(value, ':');
    for (size_t i = 0; colon && i < sizeof MAP / sizeof MAP[0]; i++)
        if (!strcmp(colon + 1, MAP[i].param)) return MAP[i].elements;
    return NULL;
}

/* Adds the "Type/id" of every reference in `element` (a Reference or a list of them). */
static void collect_references(json_t *element, json_t *seen)
{
    if (json_is_array(element)) {
        size_t i;
        json_t *e;
        json_array_foreach(element, i, e)
            collect_references(e, seen);
        return;
    }
    const char *ref = fhir_text(element, "reference");
    if (ref) json_object_set_new(seen, ref, json_true());
}

/* _include: the Patients and Practitioners the matches refer to, once each, as entries of
 * mode "include". Cheap by design: one person's searches name one Patient, and staff are
 * few. A Patient outside the caller's scope is left out (fhir_patient_for_include). */
static void add_includes(struct request *r, json_t *entries, const char *base)
{
    const char *values[8];
    int n = fhir_query_all(r, "_include", values, 8);
    if (!n) return;
    json_t *seen = json_object();
    for (int v = 0; v < n; v++) {
        const char *const *elements = include_elements(values[v]);
        size_t i;
        json_t *entry;
        json_array_foreach(entries, i, entry)
            for (int k = 0; elements && elements[k]; k++)
                collect_references(json_object_get(json_object_get(entry, "resource"), elements[k]),
                                   seen);
    }
    const char *ref;
    json_t *unused;
    json_object_foreach(seen, ref, unused) {
        long long id = 0;
        json_t *resource = NULL;
        if (sscanf(ref, "Patient/%lld", &id) == 1)
            resource = fhir_patient_for_include(r, id);
        else if (sscanf(ref, "Practitioner/%lld", &id) == 1)
            resource = fhir_practitioner_for_include(r, id);
        if (resource)
            json_array_append_new(entries, json_pack("{s:o, s:o, s:{s:s}}", "fullUrl",
                                                     json_sprintf("%s/%s", base, ref), "resource",
                                                     resource, "search", "mode", "include"));
    }
    json_decref(seen);
}

json_t *fhir_bundle(struct request *r, json_t *resources, int64_t total, int64_t next_cursor)
{
    char base[256];
    fhir_base_url(r, base, sizeof base);
    json_t *links = json_array(), *entries = json_array();
    json_array_append_new(links, search_link(r, "self", 0));
    if (next_cursor > 0) json_array_append_new(links, search_link(r, "next", next_cursor));
    size_t i;
    json_t *resource;
    json_array_foreach(resources, i, resource) {
        json_t *url = json_sprintf("%s/%s/%s", base,
                                   json_string_value(json_object_get(resource, "resourceType")),
                                   json_string_value(json_object_get(resource, "id")));
        json_array_append_new(entries, json_pack("{s:o, s:O, s:{s:s}}", "fullUrl", url, "resource",
                                                 resource, "search", "mode", "match"));
    }
    add_includes(r, entries, base);
    json_decref(resources);
    json_t *bundle = json_pack("{s:s, s:s}", "resourceType", "Bundle", "type", "searchset");
    if (bundle && total >= 0) json_object_set_new(bundle, "total", json_integer(total));
    if (bundle) json_object_set_new(bundle, "link", links);
    /* FHIR JSON has no empty arrays: no matches, no entry. */
    if (bundle && json_array_size(entries))
        json_object_set_new(bundle, "entry", entries);
    else
        json_decref(entries);
    return bundle;
}

const char *fhir_text(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

int64_t fhir_int(json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

json_t *fhir_codeable(const char *system, const char *code, const char *display)
{
    json_t *coding = json_pack("{s:s, s:s}", "system", system, "code", code);
    if (coding && display) json_object_set_new(coding, "display", json_string(display));
    return json_pack("{s:[o]}", "coding", coding);
}

/* The patient a search names: `patient` or `subject`, "Patient/ID" or "ID", inside the
 * caller's scope. 0 and *id, or -1 after replying. */
int fhir_search_patient(struct request *r, int64_t *id)
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
int fhir_token_matches(const char *value, json_t *concept)
{
    const char *bar = strchr(value, '|');
    size_t system_len = bar ? (size_t)(bar - value) : 0;
    const char *code = bar ? bar + 1 : value;
    size_t i;
    json_t *coding;
    json_array_foreach(json_object_get(concept, "coding"), i, coding) {
        const char *s = fhir_text(coding, "system"), *c = fhir_text(coding, "code");
        if (!c || strcmp(c, code) != 0) continue;
        if (!bar || (system_len == 0 && !s) ||
            (s && strlen(s) == system_len && !strncmp(s, value, system_len)))
            return 1;
    }
    return 0;
}

/* Is `value` one of the comma-separated `list`? */
int fhir_in_list(const char *list, const char *value)
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
    /* "period.start": a member of a member */
    const char *dot = strchr(date_field, '.');
    char outer[32];
    snprintf(outer, sizeof outer, "%.*s", dot ? (int)(dot - date_field) : (int)strlen(date_field),
             date_field);
    const char *when = dot ? fhir_text(json_object_get(resource, outer), dot + 1)
                           : fhir_text(resource, date_field);
    char day[11];
    snprintf(day, sizeof day, "%s", when ? when : "");
    if (from[0] && strcmp(day, from) < 0) return 0;
    if (to[0] && strcmp(day, to) > 0) return 0;
    return 1;
}

/* Filters by `code`-style token parameters and a date parameter, then answers the page
 * `_cursor` names of what is left (resources stolen). */
int fhir_reply_filtered(struct request *r, const struct fhir_search *s, json_t *resources,
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
                    json_array_foreach(field, k, c)
                        any |= fhir_token_matches(one, c);
                } else {
                    any = fhir_token_matches(one, field);
                }
                p += n + (p[n] == ',');
            }
            ok = any;
        }
        if (ok) json_array_append(kept, res);
    }
    json_decref(resources);
    return fhir_reply_page(r, s, kept);
}

int fhir_reply_page(struct request *r, const struct fhir_search *s, json_t *resources)
{
    /* _cursor is 1 + the offset of the page: such lists are one person's or the grid's */
    int64_t total = (int64_t)json_array_size(resources), offset = s->cursor ? s->cursor - 1 : 0;
    json_t *page = json_array();
    for (int64_t k = offset; k < total && k < offset + s->count; k++)
        json_array_append(page, json_array_get(resources, (size_t)k));
    json_decref(resources);
    return fhir_reply(
        r, 200, fhir_bundle(r, page, total, offset + s->count < total ? offset + s->count + 1 : 0));
}

json_t *fhir_keep_where(json_t *resources, const char *member, const char *values)
{
    if (!values) return resources;
    json_t *kept = json_array();
    size_t i;
    json_t *o;
    json_array_foreach(resources, i, o) {
        const char *v = fhir_text(o, member);
        if (v && fhir_in_list(values, v)) json_array_append(kept, o);
    }
    json_decref(resources);
    return kept;
}

/* A read of one fact of a resident: found, in scope, audited. The row, or NULL after replying. */
json_t *fhir_fact_for_read(struct request *r, json_t *row, int found, const char *resource)
{
    if (found < 0) return reply_problem(r, 500, "internal_error", NULL), NULL;
    if (!row) return reply_problem(r, 404, "not_found", NULL), NULL;
    int64_t resident = json_integer_value(json_object_get(row, "resident_id"));
    if (scope_require_resident(r, resident) < 0 ||
        api_audit_read(r, resource, r->params[0], resident) < 0) {
        json_decref(row);
        return NULL;
    }
    return row;
}

json_t *fhir_map(json_t *rows, json_t *(*map)(json_t *))
{
    json_t *list = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
        json_array_append_new(list, map(row));
    json_decref(rows);
    return list;
}

/* The list for one resident, audited as a read of `resource`, mapped and filtered. */
int fhir_search_facts(struct request *r, const char *type, const char *resource,
                      json_t *(*load)(struct db *, int64_t), json_t *(*map)(json_t *),
                      const char *token_param, const char *token_field, const char *date_param,
                      const char *date_field)
{
    struct fhir_search s;
    int64_t resident;
    if (fhir_search_begin(r, type, &s) < 0 || fhir_search_patient(r, &resident) < 0) return -1;
    json_t *rows = load(r->db, resident);
    if (!rows) return reply_problem(r, 500, "internal_error", NULL);
    if (api_audit_read(r, resource, "fhir", resident) < 0) {
        json_decref(rows);
        return -1;
    }
    return fhir_reply_filtered(r, &s, fhir_map(rows, map), token_param, token_field, date_param,
                               date_field);
}

/* One fact by numeric id, scope-checked and audited, as a resource. */
int fhir_read_fact(struct request *r, const char *resource,
                   json_t *(*get)(struct db *, int64_t, int *), json_t *(*map)(json_t *))
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    int found;
    json_t *row = get(r->db, id, &found);
    if (!(row = fhir_fact_for_read(r, row, found, resource))) return -1;
    json_t *res = map(row);
    json_decref(row);
    return fhir_reply(r, 200, res);
}
