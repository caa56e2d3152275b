/* dispatch.c - from a complete request to a handler: route match, session, CSRF, role. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/read_routing.h"
#include "api/export.h"
#include "api/idempotency.h"
#include "auth/scope.h"
#include "auth/session.h"
#include "db/fault.h"
#include "http/route_match.h"
#include "http/static.h"
#include "util/log.h"

static const char *web_dir = JIAYI_WEB_DIR;
static const char *const vendor_dir = JIAYI_VENDOR_DIR; /* node_modules of the source tree */

void api_set_web_dir(const char *dir)
{
    web_dir = dir;
}

static int secure_cookies;

void api_set_secure_cookies(int on)
{
    secure_cookies = on;
}

int api_cookie_secure(struct request *r)
{
    return secure_cookies || request_is_https(r);
}

const struct route *api_match(struct request *r, int *path_known)
{
    *path_known = 0;
    for (size_t i = 0; i < ROUTE_COUNT; i++) {
        if (!route_pattern_match(ROUTES[i].pattern, r->path, r->params, REQUEST_MAX_PARAMS))
            continue;
        if (strcmp(ROUTES[i].method, r->method) == 0) return &ROUTES[i];
        *path_known = 1;
    }
    return NULL;
}

static const char *bearer_token(struct request *r)
{
    const char *h = request_header(r, "Authorization");
    if (h && strncmp(h, "Bearer ", 7) == 0) return h + 7;
    return NULL;
}

static int authenticate_or_reply(struct request *r)
{
    const char *token = bearer_token(r);
    int via_cookie = 0;
    if (!token) {
        token = request_cookie(r, SESSION_COOKIE);
        via_cookie = token != NULL;
    }
    if (!token) return 0;
    int found = session_lookup(r->db, token, &r->user);
    if (found < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (found == 0) {
        memset(&r->user, 0, sizeof r->user);
        return 0;
    }
    r->user.via_cookie = via_cookie;
    r->session_token = token;
    return 0;
}

/* Tests only (db/fault.h): with JIAYI_FAULT_INJECTION=1 in the server's environment, a request
 * carrying `X-Jiayi-Fault: <ops>:<n>` has the nth such database call of its handler fail,
 * and the answer says whether it did (X-Jiayi-Fault-Fired). Otherwise the header means
 * nothing. Returns 1 when armed. */
static int fault_arm(struct request *r)
{
    static int enabled = -1;
    if (enabled < 0) {
        const char *env = getenv("JIAYI_FAULT_INJECTION");
        enabled = env && strcmp(env, "1") == 0;
    }
    const char *wanted = enabled ? request_header(r, "X-Jiayi-Fault") : NULL;
    unsigned ops;
    long nth;
    if (!wanted || db_fault_parse(wanted, &ops, &nth) < 0) return 0;
    db_fault_arm(ops, nth);
    return 1;
}

static int is_safe_method(const char *m)
{
    return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0;
}

int api_dispatch(struct request *r)
{
    if (strncmp(r->path, "/vendor/", 8) == 0) return static_serve_vendor(r, vendor_dir);
    r->fhir = strncmp(r->path, "/fhir/", 6) == 0 || strcmp(r->path, "/fhir") == 0;
    if (strncmp(r->path, "/api/", 5) != 0 && !r->fhir && strcmp(r->path, "/metrics") != 0)
        return static_serve(r, web_dir);
    int path_known = 0;
    const struct route *route = api_match(r, &path_known);
    if (!route)
        return reply_problem(r, path_known ? 405 : 404,
                             path_known ? "method_not_allowed" : "not_found", NULL);
    r->route = route;
    r->action = route->action;
    if (authenticate_or_reply(r) < 0) return -1;
    /* Cookies ride along automatically, so a cookie-authenticated write must prove it comes
     * from our own page by echoing the session's CSRF token. */
    if (r->user.via_cookie && !is_safe_method(r->method) && route->action != ACT_PUBLIC) {
        const char *csrf = request_header(r, "X-CSRF-Token");
        if (!csrf || strcmp(csrf, r->user.csrf_token) != 0)
            return reply_problem(r, 403, "csrf_failed", "X-CSRF-Token");
    }
    if (scope_authorize(r) < 0) return -1;
    if (idempotency_start(r) < 0) return -1;
    /* Login and the route's checks above ran on the primary; a dashboard or list may be read
     * from the standby (read_routing.h). */
    struct db *primary = r->db, *standby = read_routing_pick(r);
    if (standby) r->db = standby;
    int faulting = fault_arm(r);
    r->db_failures_before = db_failures();
    r->judging = 1;
    int rc = export_wanted(r, route) ? export_list(r, route) : route->handler(r);
    r->judging = 0;
    if (faulting) reply_header(r, "X-Jiayi-Fault-Fired", db_fault_disarm() ? "1" : "0");
    if (r->holds_writer) { /* a handler returned mid-write: a bug, but never a stuck writer */
        log_error("%s %s returned holding the writer", r->method, r->path);
        api_rollback(r);
    }
    if (standby) {
        if (db_in_transaction(standby)) db_rollback(standby);
        db_release(standby);
        r->db = primary;
    }
    return idempotency_finish(r, rc);
}
