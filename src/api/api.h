/* api.h - the application's request entry point and helpers shared by handlers. */
#ifndef JIAYI_API_API_H
#define JIAYI_API_API_H

#include <jansson.h>
#include <stdint.h>

#include "api/routes.h"
#include "http/request.h"
#include "util/date.h"

/* Where the web UI's files are served from. */
void api_set_web_dir(const char *dir);
/* `serve --secure-cookies` (JIAYI_SECURE_COOKIES=1): every session cookie carries Secure.
 * Without it only a request that came over HTTPS through a trusted proxy gets one. */
void api_set_secure_cookies(int on);
/* 1 when the session cookie set in answer to r carries Secure (the rule above). */
int api_cookie_secure(struct request *r);
/* Routes a complete request: static files, or /api/v1 with authentication, CSRF check,
 * role check (auth/scope.c) and the handler. */
int api_dispatch(struct request *r);
/* The route matching method and path, filling r->params; NULL when none. *path_known is
 * set when some route has this path with another method (405). */
const struct route *api_match(struct request *r, int *path_known);

/* Takes the shared writer (db/writer.h) and opens this request's part of the batch
 * transaction; r->db is the writer until api_commit or api_rollback. Replies 503 and
 * returns -1 on failure. */
int api_begin(struct request *r);
/* Keeps the changes and waits until they are durable; replies 500 and returns -1 when
 * the batch could not commit. r->db is the worker's connection again afterwards. */
int api_commit(struct request *r);
/* Discards the request's changes (nothing else's) and hands the writer back. */
void api_rollback(struct request *r);
/* Rolls back and replies err / a 500 (for store failures). Returns -1. */
int api_fail(struct request *r, const struct jy_error *err);
int api_fail_internal(struct request *r, const char *what);
/* Appends an audit entry inside the current transaction; -1 (500 replied) on failure. */
int api_audit(struct request *r, const char *action, const char *resource, int64_t id,
              int64_t resident_id);
/* Records a read of a person's data: queued for the auditor (auth/audit_queue.h). */
int api_audit_read(struct request *r, const char *resource, const char *resource_id,
                   int64_t resident_id);
/* Records a list read: one entry naming every person the answer holds, so each is found by
 * GET /audit?resident=N. A person is an item's `key` ("resident_id", or "id" for rows that
 * are residents) and each member's "id" in an item's "members" array. Nothing is recorded
 * for an empty answer. */
void api_audit_list(struct request *r, const char *resource, const char *resource_id, json_t *items,
                    const char *key);
/* Adds age and id_number_masked to a resident object and removes id_number for roles
 * that do not need it (PROTOCOLS.md §1). */
/* Answers {items} for a list of one resident's data (500 when items is NULL), recording the
 * read of `resource` in the audit chain. */
int api_reply_resident_items(struct request *r, int64_t resident_id, const char *resource,
                             json_t *items);
void api_present_resident(struct request *r, json_t *resident, struct date today);
/* A JSON list page: {"items","next_cursor","total"}. Steals items. */
json_t *api_page(json_t *items, int64_t next_cursor, int64_t total);
/* County code (6 digits) of a region code into out (7 bytes). */
void api_county_of(const char *region, char out[7]);

#endif
