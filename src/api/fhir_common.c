/* fhir_common.c - what every FHIR interaction shares: answers, the base URL, strict search
 * parameters with paging, date searches, searchset Bundles and the CapabilityStatement. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/fhir.h"
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
};

static int check_param(void *ctx, const char *name, const char *value)
{
    (void)value;
    static const char *const ALWAYS[] = {"_count", "_cursor", "_format", "_pretty", NULL};
    struct param_check *c = ctx;
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
    struct param_check c = {type, NULL};
    if (request_query_each(r, check_param, &c)) {
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

/* The first and last day of the year, month or day that `text` names. */
static int date_period(const char *text, struct date *first, struct date *last)
{
    int y, m = 0, used = 0;
    size_t n = strlen(text);
    for (size_t i = 0; i < n; i++) /* digits, with '-' only where YYYY-MM-DD has it */
        if ((i == 4 || i == 7) ? text[i] != '-' : (text[i] < '0' || text[i] > '9')) return -1;
    if (n == 4 && sscanf(text, "%4d%n", &y, &used) == 1 && used == 4 && y >= 1) {
        *first = (struct date){y, 1, 1};
        *last = (struct date){y, 12, 31};
        return 0;
    }
    if (n == 7 && sscanf(text, "%4d-%2d%n", &y, &m, &used) == 2 && used == 7 && date_is_valid(y, m, 1)) {
        *first = (struct date){y, m, 1};
        *last = (struct date){y, m, date_days_in_month(y, m)};
        return 0;
    }
    if (n == 10 && date_parse(text, first) == 0) {
        *last = *first;
        return 0;
    }
    return -1;
}

int fhir_date_narrow(const char *value, char from[11], char to[11])
{
    static const char *const PREFIXES[] = {"eq", "gt", "ge", "lt", "le", NULL};
    const char *prefix = "eq", *text = value;
    if (value[0] >= 'a' && value[0] <= 'z') {
        prefix = NULL;
        for (const char *const *p = PREFIXES; *p; p++)
            if (!strncmp(value, *p, 2)) prefix = *p;
        if (!prefix) return -1;
        text = value + 2;
    }
    struct date first, last;
    if (date_period(text, &first, &last) < 0) return -1;
    char lo[11] = "", hi[11] = "";
    if (!strcmp(prefix, "eq") || !strcmp(prefix, "ge")) date_format(first, lo);
    if (!strcmp(prefix, "gt")) date_format(date_add_days(last, 1), lo);
    if (!strcmp(prefix, "eq") || !strcmp(prefix, "le")) date_format(last, hi);
    if (!strcmp(prefix, "lt")) date_format(date_add_days(first, -1), hi);
    /* Dates as YYYY-MM-DD compare as text. */
    if (lo[0] && (!from[0] || strcmp(lo, from) > 0)) memcpy(from, lo, 11);
    if (hi[0] && (!to[0] || strcmp(hi, to) < 0)) memcpy(to, hi, 11);
    return 0;
}

json_t *fhir_reference(const char *type, int64_t id)
{
    return json_pack("{s:o}", "reference", json_sprintf("%s/%lld", type, (long long)id));
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
    json_t *link = sbuf_failed(&url) ? NULL : json_pack("{s:s, s:s}", "relation", relation, "url", sbuf_cstr(&url));
    sbuf_free(&url);
    return link;
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
    json_decref(resources);
    json_t *bundle = json_pack("{s:s, s:s, s:I, s:o}", "resourceType", "Bundle", "type", "searchset",
                               "total", (json_int_t)total, "link", links);
    /* FHIR JSON has no empty arrays: no matches, no entry. */
    if (bundle && json_array_size(entries)) json_object_set_new(bundle, "entry", entries);
    else json_decref(entries);
    return bundle;
}
