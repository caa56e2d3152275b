/* request.h - one HTTP request as handlers see it.
 *
 * A handler validates input, calls auth/domain/store, and answers exactly once with
 * reply_json() or reply_error(); it returns 0 (or -1 after replying an error, so
 * `return reply_error(...)` reads naturally). The route table is the api's (api/routes.h). */
#ifndef JIAYI_HTTP_REQUEST_H
#define JIAYI_HTTP_REQUEST_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/roles.h"
#include "http/route_match.h"
#include "util/error.h"

struct MHD_Connection;
struct MHD_Response;
struct db;

#define REQUEST_MAX_PARAMS 3

struct route;

struct request {
    struct MHD_Connection *connection;
    const char *method;
    const char *path;
    const char *body; /* NUL-terminated, may be NULL */
    size_t body_len;
    json_t *json_body; /* the body parsed by request_json_body (owned; freed with the request) */
    /* db_failures() (db/fault.h) when the handler began and when its write began: a 4xx
     * verdict or a commit after the database failed is answered 500 instead. */
    unsigned long db_failures_before, db_failures_at_begin;
    int judging; /* the handler is running */
    char request_id[24];
    int lang_en; /* Accept-Language: en */
    char params[REQUEST_MAX_PARAMS][ROUTE_PARAM_MAX];
    struct db *db; /* this worker's connection, or the shared writer inside api_begin..commit */
    struct db *thread_db;      /* the worker's own connection while the writer is held */
    const char *session_token; /* the valid session's token (MHD's copy); NULL without one */
    int holds_writer;
    struct principal user;     /* role ROLE_NONE when not logged in */
    const struct route *route; /* the matched route (api/routes.h) */
    enum action action;        /* its action: what the role policy and auth/scope.c judge */
    int status;
    struct MHD_Response *response;
    char session_cookie[256]; /* Set-Cookie value to send, if any */
    /* Idempotency-Key (api/idempotency.c): the key, the request's digest, where the request
     * stands, and a copy of the answer (reply_bytes keeps one while `idem_state` is set). */
    const char *idem_key;
    char idem_hash[65];
    int idem_state;
    char *captured;
    size_t captured_len;
    char captured_type[96];
    /* Under /fhir: every error is an OperationOutcome, its field named as the FHIR path
     * `fhir_fields` gives for it (pairs of API field and FHIR path, NULL-terminated). */
    int fhir;
    const char *const (*fhir_fields)[2];
    /* A list written out as a file (api/export.c): the handler runs once per page; its
     * ?cursor= and ?limit= are the exporter's, and its 200 answer is kept, not sent. */
    int exporting;
    char export_cursor[24];
    json_t *export_page;
};

/* Answers with a JSON body (stolen). */
int reply_json(struct request *r, int status, json_t *body);
/* Answers with application/problem+json built from err; returns -1. */
int reply_error(struct request *r, const struct jy_error *err);
/* reply_error with further members of the problem body (a refusal's "reasons"), which
 * never replace the standard ones; steals members (may be NULL). */
int reply_error_with(struct request *r, const struct jy_error *err, json_t *members);
/* Shorthand: fills a jy_error and replies with it; returns -1. */
int reply_problem(struct request *r, int status, const char *code, const char *field);
/* Answers with raw bytes (copied) and a content type. */
int reply_bytes(struct request *r, int status, const char *content_type, const void *data,
                size_t len);
/* Answers with the whole of the open file `fd` (read as it is sent, never held in memory;
 * the response owns and closes fd, also on failure, which replies 500). */
int reply_file(struct request *r, int status, const char *content_type, int fd);
/* Adds a header to the response already set. */
void reply_header(struct request *r, const char *name, const char *value);

/* The query-string argument `name` (decoded) or NULL; while a list is exported, its cursor
 * and page size are the exporter's and ?format= is not the handler's. */
const char *request_query(struct request *r, const char *name);
/* Calls fn(ctx, name, value) for every query-string argument in order, repeated names
 * included, until fn returns non-zero (which is returned); 0 when all were seen. */
int request_query_each(struct request *r, int (*fn)(void *ctx, const char *name, const char *value),
                       void *ctx);
/* A request header or NULL. */
const char *request_header(struct request *r, const char *name);
/* 1 when the client takes gzip-encoded bodies (Accept-Encoding). */
int request_accepts_gzip(struct request *r);
/* A cookie or NULL. */
const char *request_cookie(struct request *r, const char *name);
/* The client address as text ("127.0.0.1"): the peer's, or, when the peer is a trusted proxy
 * (request_set_trusted_proxies), the last address of its X-Forwarded-For - the one the proxy
 * itself appended, which is all a client cannot forge. */
void request_client_address(struct request *r, char *out, size_t n);
/* 1 when the request reached the proxy over HTTPS: the peer is a trusted proxy and its
 * X-Forwarded-Proto says https. jiayi itself speaks plain HTTP. */
int request_is_https(struct request *r);
/* The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed: a comma-
 * separated list of IPv4 or IPv6 addresses (NULL or "" for none, the default). Call before
 * serving. Returns 0, or -1 when an entry is not an address (nothing changed). */
int request_set_trusted_proxies(const char *list);
/* The body as a JSON object, parsed once and owned by the request (freed with it: the
 * caller never decrefs it); on failure replies 400 and returns NULL. */
json_t *request_json_body(struct request *r);
/* request_json_body, but an absent body reads as an empty object (an action that may come
 * with or without details). NULL having replied 400 when a body is there but malformed. */
json_t *request_json_body_or_empty(struct request *r);
/* Parses path parameter i as a positive integer id; on failure replies 404, returns -1. */
int request_param_id(struct request *r, int i, int64_t *out);
/* ?limit= (default 50, max 500) and ?cursor= (an opaque positive integer, 0 when absent).
 * Replies 422 and returns -1 when malformed. */
int request_page(struct request *r, int *limit, int64_t *cursor);
/* 0 for the second and later pages of an export, where a list need not count its total. */
int request_wants_total(const struct request *r);

#endif
