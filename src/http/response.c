/* response.c - building responses (JSON, problem+json, bytes) and reading request parts. */
#include <assert.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <zlib.h>

#include "db/fault.h"
#include "http/messages.h"
#include "http/request.h"
#include "json/jsondump.h"
#include "util/log.h"

int request_accepts_gzip(struct request *r)
{
    const char *accept = request_header(r, "Accept-Encoding");
    return accept && strstr(accept, "gzip") != NULL;
}

/* `data` gzipped into a new buffer (*out, *out_len), or -1 when it does not shrink. */
static int gzip_buffer(const void *data, size_t len, unsigned char **out, size_t *out_len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    /* 15 + 16: a gzip wrapper; level 6 costs ~1 ms per 100 KB, well under one round trip. */
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return -1;
    size_t cap = deflateBound(&z, len);
    unsigned char *buf = malloc(cap);
    z.next_in = (unsigned char *)data;
    z.avail_in = (uInt)len;
    z.next_out = buf;
    z.avail_out = (uInt)cap;
    int rc = buf ? deflate(&z, Z_FINISH) : Z_MEM_ERROR;
    deflateEnd(&z);
    if (rc != Z_STREAM_END || z.total_out >= len) {
        free(buf);
        return -1;
    }
    *out = buf;
    *out_len = z.total_out;
    return 0;
}

/* JSON answers of a page or more travel gzipped to a client that takes it: a village
 * doctor's work list on a 400 kbit/s link shrinks five- to tenfold. */
#define GZIP_FROM_BYTES 1024

static void add_common_headers(struct request *r, const char *content_type)
{
    MHD_add_response_header(r->response, "Content-Type", content_type);
    MHD_add_response_header(r->response, "X-Request-Id", r->request_id);
    MHD_add_response_header(r->response, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r->response, "Cache-Control", "no-store");
}

int reply_file(struct request *r, int status, const char *content_type, int fd)
{
    struct stat st;
    if (r->response) MHD_destroy_response(r->response);
    r->response = NULL;
    if (fstat(fd, &st) == 0) r->response = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
    if (!r->response) {
        close(fd);
        return reply_problem(r, 500, "internal_error", NULL);
    }
    r->status = status;
    add_common_headers(r, content_type);
    return 0;
}

/* An answer the handler reached after the database failed under it (db/fault.h) cannot be
 * trusted: a refusal may rest on a lookup that failed and read as "absent" or "not yours",
 * and an answer may be missing what could not be read. Such a 4xx or 2xx is answered 500.
 * What was written is whole either way: api_begin refuses a write decided on failed reads
 * and api_commit one during which the database failed; a failure after the commit (reading
 * the answer back) leaves the write done and answered 500. */
static int untrusted(const struct request *r, int status)
{
    return r->judging && status < 500 && db_failures() > r->db_failures_before;
}

static int reply_untrusted(struct request *r, int status)
{
    log_error("%s %s: a %d reached after a database failure, answered 500 (request %s)", r->method,
              r->path, status, r->request_id);
    r->judging = 0;
    return reply_problem(r, 500, "internal_error", NULL);
}

int reply_bytes(struct request *r, int status, const char *content_type, const void *data,
                size_t len)
{
    assert(status >= 100 && status <= 599 && content_type && (data || !len));
    if (untrusted(r, status)) return reply_untrusted(r, status);
    if (r->response) MHD_destroy_response(r->response);
    unsigned char *gz = NULL;
    size_t gz_len = 0;
    int gzipped = len >= GZIP_FROM_BYTES && strstr(content_type, "json") &&
                  request_accepts_gzip(r) && gzip_buffer(data, len, &gz, &gz_len) == 0;
    if (gzipped) {
        r->response = MHD_create_response_from_buffer(gz_len, gz, MHD_RESPMEM_MUST_FREE);
        if (!r->response) free(gz);
    } else {
        r->response = MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
    }
    r->status = status;
    if (!r->response) return -1;
    if (gzipped) MHD_add_response_header(r->response, "Content-Encoding", "gzip");
    if (strstr(content_type, "json"))
        MHD_add_response_header(r->response, "Vary", "Accept-Encoding");
    add_common_headers(r, content_type);
    if (r->idem_state) { /* a keyed write's answer is stored with it (api/idempotency.c) */
        free(r->captured);
        r->captured = malloc(len + 1);
        r->captured_len = r->captured ? len : 0;
        if (r->captured) {
            memcpy(r->captured, data, len);
            r->captured[len] = '\0';
        }
        snprintf(r->captured_type, sizeof r->captured_type, "%s", content_type);
    }
    return 0;
}

void reply_header(struct request *r, const char *name, const char *value)
{
    if (r->response) MHD_add_response_header(r->response, name, value);
}

int reply_json(struct request *r, int status, json_t *body)
{
    if (untrusted(r, status)) {
        json_decref(body);
        return reply_untrusted(r, status);
    }
    if (r->exporting && status == 200 && body) { /* a page for the exporter */
        json_decref(r->export_page);
        r->export_page = body;
        return 0;
    }
    char *text = body ? jsonx_dumps(body) : NULL;
    json_decref(body);
    if (!text) {
        static const char OOM[] = "{\"status\":500,\"code\":\"internal_error\"}";
        reply_bytes(r, 500, "application/problem+json", OOM, sizeof OOM - 1);
        return -1;
    }
    reply_bytes(r, status, "application/json; charset=utf-8", text, strlen(text));
    free(text);
    return 0;
}

/* FHIR's issue type for an HTTP status (http://hl7.org/fhir/valueset-issue-type.html). */
static const char *issue_type(int status)
{
    switch (status) {
    case 400:
        return "structure";
    case 401:
        return "login";
    case 403:
        return "forbidden";
    case 404:
        return "not-found";
    case 405:
        return "not-supported";
    case 409:
        return "conflict";
    case 413:
        return "too-costly";
    case 422:
        return "invalid";
    case 429:
        return "throttled";
    case 503:
        return "transient";
    default:
        return "exception";
    }
}

/* An error under /fhir: an OperationOutcome whose issue carries jiayi's stable code (the
 * same as problem+json's `code`), the message in the request's language, and the field as a
 * FHIR path. Returns -1. */
static int reply_outcome(struct request *r, int status, const char *code, const char *message,
                         const char *detail, const char *field)
{
    const char *path = field && *field ? field : NULL;
    for (size_t i = 0; path && r->fhir_fields && r->fhir_fields[i][0]; i++)
        if (!strcmp(r->fhir_fields[i][0], field)) path = r->fhir_fields[i][1];
    json_t *issue =
        json_pack("{s:s, s:s, s:{s:[{s:s, s:s}], s:s}, s:s}", "severity", "error", "code",
                  issue_type(status), "details", "coding", "system", "urn:jiayi:fhir:problem",
                  "code", code, "text", message, "diagnostics", detail);
    if (issue && path) json_object_set_new(issue, "expression", json_pack("[s]", path));
    json_t *outcome = json_pack("{s:s, s:[o]}", "resourceType", "OperationOutcome", "issue", issue);
    char *text = outcome ? jsonx_dumps(outcome) : NULL;
    json_decref(outcome);
    if (text) {
        reply_bytes(r, status, "application/fhir+json; charset=utf-8", text, strlen(text));
        free(text);
    }
    return -1;
}

int reply_error(struct request *r, const struct jy_error *err)
{
    return reply_error_with(r, err, NULL);
}

int reply_error_with(struct request *r, const struct jy_error *err, json_t *members)
{
    if (untrusted(r, err->status)) {
        json_decref(members);
        return reply_untrusted(r, err->status);
    }
    int status = err->status ? err->status : 500;
    const char *code = err->code ? err->code : "internal_error";
    const char *message = message_for(code, r->lang_en);
    char type[96], detail[512];
    snprintf(type, sizeof type, "/problems/%s", code);
    /* err->detail is English, for developers and logs: only English answers carry it. */
    if (err->field[0] && err->detail[0] && r->lang_en)
        snprintf(detail, sizeof detail, "%s: %s (%s)", message, err->field, err->detail);
    else if (err->field[0])
        snprintf(detail, sizeof detail, "%s: %s", message, err->field);
    else if (err->detail[0] && status != 500 && r->lang_en)
        snprintf(detail, sizeof detail, "%s (%s)", message, err->detail);
    else
        snprintf(detail, sizeof detail, "%s", message);
    if (err->value[0]) { /* the offending value is language-neutral: name it in every language */
        size_t used = strlen(detail);
        snprintf(detail + used, sizeof detail - used, " [%s]", err->value);
    }
    if (r->fhir) {
        json_decref(members);
        return reply_outcome(r, status, code, message, detail, err->field);
    }
    json_t *p = json_pack("{s:s, s:s, s:i, s:s, s:s}", "type", type, "title", message, "status",
                          status, "code", code, "detail", detail);
    if (p && err->field[0]) json_object_set_new(p, "field", json_string(err->field));
    if (p && err->value[0]) json_object_set_new(p, "value", json_string(err->value));
    if (p && err->row > 0) {
        json_object_set_new(p, "row", json_integer(err->row));
        json_object_set_new(p, "column", json_integer(err->column));
    }
    if (p && members) json_object_update_missing(p, members);
    json_decref(members);
    char *text = p ? jsonx_dumps(p) : NULL;
    json_decref(p);
    if (text) {
        reply_bytes(r, status, "application/problem+json; charset=utf-8", text, strlen(text));
        free(text);
    }
    return -1;
}

int reply_problem(struct request *r, int status, const char *code, const char *field)
{
    struct jy_error err;
    jy_fail(&err, status, code, field, NULL);
    return reply_error(r, &err);
}

#define EXPORT_PAGE_ROWS "500"

const char *request_query(struct request *r, const char *name)
{
    if (r->exporting) {
        if (!strcmp(name, "cursor")) return r->export_cursor[0] ? r->export_cursor : NULL;
        if (!strcmp(name, "limit")) return EXPORT_PAGE_ROWS;
        if (!strcmp(name, "format")) return NULL;
    }
    const char *v = MHD_lookup_connection_value(r->connection, MHD_GET_ARGUMENT_KIND, name);
    return v && *v ? v : NULL;
}

struct query_walk {
    int (*fn)(void *ctx, const char *name, const char *value);
    void *ctx;
    int rc;
};

static enum MHD_Result query_step(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
    (void)kind;
    struct query_walk *w = cls;
    w->rc = w->fn(w->ctx, key, value ? value : "");
    return w->rc ? MHD_NO : MHD_YES;
}

int request_query_each(struct request *r, int (*fn)(void *ctx, const char *name, const char *value),
                       void *ctx)
{
    struct query_walk w = {fn, ctx, 0};
    MHD_get_connection_values(r->connection, MHD_GET_ARGUMENT_KIND, query_step, &w);
    return w.rc;
}

const char *request_header(struct request *r, const char *name)
{
    return MHD_lookup_connection_value(r->connection, MHD_HEADER_KIND, name);
}

const char *request_cookie(struct request *r, const char *name)
{
    return MHD_lookup_connection_value(r->connection, MHD_COOKIE_KIND, name);
}

#define MAX_TRUSTED_PROXIES 8

static char trusted_proxies[MAX_TRUSTED_PROXIES][INET6_ADDRSTRLEN];
static int trusted_proxy_count;

/* The canonical text of an IPv4 or IPv6 address (surrounding spaces ignored): 0, or -1 when
 * it is not one. */
static int canonical_address(const char *text, size_t len, char out[INET6_ADDRSTRLEN])
{
    char buf[INET6_ADDRSTRLEN];
    while (len && (*text == ' ' || *text == '\t'))
        text++, len--;
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\t'))
        len--;
    if (len == 0 || len >= sizeof buf) return -1;
    memcpy(buf, text, len);
    buf[len] = '\0';
    unsigned char bin[16];
    if (inet_pton(AF_INET, buf, bin) == 1)
        return inet_ntop(AF_INET, bin, out, INET6_ADDRSTRLEN) ? 0 : -1;
    if (inet_pton(AF_INET6, buf, bin) == 1)
        return inet_ntop(AF_INET6, bin, out, INET6_ADDRSTRLEN) ? 0 : -1;
    return -1;
}

int request_set_trusted_proxies(const char *list)
{
    char parsed[MAX_TRUSTED_PROXIES][INET6_ADDRSTRLEN] = {{0}};
    int n = 0;
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ",");
        if (n == MAX_TRUSTED_PROXIES || canonical_address(p, len, parsed[n]) < 0) return -1;
        n++;
        p += len;
        if (*p == ',') p++;
    }
    memcpy(trusted_proxies, parsed, sizeof parsed);
    trusted_proxy_count = n;
    return 0;
}

/* The peer's address: the TCP connection's other end. */
static void peer_address(struct request *r, char *out, size_t n)
{
    snprintf(out, n, "?");
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(r->connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!info || !info->client_addr) return;
    const struct sockaddr *sa = info->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)n);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)n);
}

static int peer_is_trusted_proxy(struct request *r)
{
    if (!trusted_proxy_count) return 0;
    char peer[INET6_ADDRSTRLEN];
    peer_address(r, peer, sizeof peer);
    for (int i = 0; i < trusted_proxy_count; i++)
        if (strcmp(peer, trusted_proxies[i]) == 0) return 1;
    return 0;
}

/* The last comma-separated element of a header value (the one the nearest proxy added). */
static const char *last_element(const char *value, size_t *len)
{
    const char *comma = strrchr(value, ',');
    const char *start = comma ? comma + 1 : value;
    *len = strlen(start);
    return start;
}

void request_client_address(struct request *r, char *out, size_t n)
{
    peer_address(r, out, n);
    const char *forwarded = request_header(r, "X-Forwarded-For");
    if (!forwarded || !peer_is_trusted_proxy(r)) return;
    size_t len;
    const char *last = last_element(forwarded, &len);
    char client[INET6_ADDRSTRLEN];
    if (canonical_address(last, len, client) == 0) snprintf(out, n, "%s", client);
}

int request_is_https(struct request *r)
{
    const char *proto = request_header(r, "X-Forwarded-Proto");
    if (!proto || !peer_is_trusted_proxy(r)) return 0;
    size_t len;
    const char *last = last_element(proto, &len);
    while (len && *last == ' ')
        last++, len--;
    while (len && last[len - 1] == ' ')
        len--;
    return len == 5 && strncasecmp(last, "https", 5) == 0;
}

json_t *request_json_body(struct request *r)
{
    if (r->json_body) return r->json_body;
    json_error_t jerr;
    json_t *body = NULL;
    if (r->body && r->body_len)
        body = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(body)) {
        json_decref(body);
        struct jy_error err;
        jy_fail(&err, 400, "invalid_json", NULL, "%s", r->body_len ? jerr.text : "empty body");
        reply_error(r, &err);
        return NULL;
    }
    return r->json_body = body;
}

json_t *request_json_body_or_empty(struct request *r)
{
    if (!r->json_body && (!r->body || !r->body_len)) r->json_body = json_object();
    return request_json_body(r);
}

int request_param_id(struct request *r, int i, int64_t *out)
{
    const char *s = r->params[i];
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v <= 0) return reply_problem(r, 404, "not_found", NULL);
    *out = v;
    return 0;
}

int request_wants_total(const struct request *r)
{
    return !r->exporting || !r->export_cursor[0];
}

int request_page(struct request *r, int *limit, int64_t *cursor)
{
    *limit = 50;
    *cursor = 0;
    const char *l = request_query(r, "limit"), *c = request_query(r, "cursor");
    char *end = NULL;
    if (l) {
        long v = strtol(l, &end, 10);
        if (*end || v < 1 || v > 500) return reply_problem(r, 422, "invalid_field", "limit");
        *limit = (int)v;
    }
    if (c) {
        long long v = strtoll(c, &end, 10);
        if (*end || v < 0) return reply_problem(r, 422, "invalid_field", "cursor");
        *cursor = v;
    }
    return 0;
}
