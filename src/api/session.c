/* session.c (api) - health check, login, logout, who am I. */
#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "auth/accounts.h"
#include "auth/session.h"
#include "json/jsonx.h"
#include "store/registry.h"
#include "store/scope.h"
#include "store/users.h"

int handle_health(struct request *r)
{
    return reply_json(r, 200, json_pack("{s:s}", "status", "ok"));
}

/* The user as login and GET /session both return it. */
static json_t *user_json(struct request *r, const struct principal *p)
{
    json_t *user = json_pack("{s:s, s:s, s:s}", "username", p->username, "role", role_name(p->role),
                             "display_name", p->display_name);
    if (p->staff_id) {
        json_object_set_new(user, "staff_id", json_integer(p->staff_id));
        json_object_set_new(user, "teams", store_staff_teams(r->db, p->staff_id));
    }
    if (p->resident_id) json_object_set_new(user, "resident_id", json_integer(p->resident_id));
    if (p->scope_region[0]) json_object_set_new(user, "scope_region", json_string(p->scope_region));
    /* A hospital desk's hospital: the screens of its referral office name it (issue 15). */
    if (role_is_hospital(p->role)) {
        int64_t hospital = store_user_hospital(r->db, p->user_id);
        if (hospital > 0) json_object_set_new(user, "institution_id", json_integer(hospital));
    }
    return user;
}

/* The session cookie (an empty one with Max-Age=0 ends it): HttpOnly, so no script - an
 * injected one included - reads the token; SameSite=Strict, so no other site's page sends it
 * (with the CSRF token for cookie writes as the second guard); Secure when served over HTTPS
 * (api_cookie_secure), so a plain-HTTP request never carries it. */
static void set_session_cookie(struct request *r, const char *token, long long max_age)
{
    snprintf(r->session_cookie, sizeof r->session_cookie,
             "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s", SESSION_COOKIE, token,
             max_age, api_cookie_secure(r) ? "; Secure" : "");
}

int session_login_reply(struct request *r, struct login_result *login)
{
    if (session_lookup(r->db, login->token, &login->user) != 1)
        return reply_problem(r, 500, "internal_error", NULL);
    set_session_cookie(r, login->token, (long long)login->expires_in);
    r->user = login->user;
    char today[11];
    date_format(date_today(), today);
    json_t *out = json_pack("{s:s, s:o, s:s, s:I, s:s}", "token", login->token, "user",
                            user_json(r, &login->user), "csrf_token", login->csrf_token,
                            "expires_in", (json_int_t)login->expires_in, "today", today);
    return reply_json(r, 200, out);
}

int session_start(struct request *r, int64_t user_id, struct login_result *login)
{
    /* Against session fixation: a login never carries on a session the browser already held
     * (one planted on it, or the last user's at a shared clinic PC); that one ends here and
     * the new one has a token the server just drew. */
    const char *presented = request_cookie(r, SESSION_COOKIE);
    if (presented && session_delete(r->db, presented) < 0) return -1;
    return session_create(r->db, user_id, login);
}

int handle_session_create(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    /* A one-time code instead of a password (api/session_code.c). */
    if (json_object_get(body, "code") && !json_object_get(body, "password"))
        return session_code_login(r, body);
    const char *username = NULL, *password = NULL;
    struct jy_error err;
    char address[64];
    struct login_result login;
    /* A password of any length: one longer than any account can have is a failed login
     * (auth/session.c), not a 422 that would tell it apart. */
    if (jx_string(body, "username", JX_REQUIRED, USERNAME_MAX_CHARS, &username, &err) < 0 ||
        jx_string(body, "password", JX_REQUIRED, (size_t)-1, &password, &err) < 0) {
        return reply_error(r, &err);
    }
    request_client_address(r, address, sizeof address);
    int64_t user_id = 0;
    char new_hash[PASSWORD_HASH_MAX];
    int rc = session_check_password(r->db, username, password, address, &user_id, new_hash, &err);
    if (rc < 0) return reply_error(r, &err);
    /* The session row goes through the shared writer like every other write. */
    if (api_begin(r) < 0) return -1;
    if (session_start(r, user_id, &login) < 0) return api_fail_internal(r, "session insert");
    if (new_hash[0] && store_user_set_password_hash(r->db, user_id, new_hash) < 0)
        return api_fail_internal(r, "password rehash");
    if (api_commit(r) < 0) return -1;
    return session_login_reply(r, &login);
}

int handle_session_delete(struct request *r)
{
    const char *h = request_header(r, "Authorization");
    const char *token =
        h && strncmp(h, "Bearer ", 7) == 0 ? h + 7 : request_cookie(r, SESSION_COOKIE);
    if (!token) return reply_problem(r, 500, "internal_error", NULL);
    if (api_begin(r) < 0) return -1;
    if (session_delete(r->db, token) < 0) return api_fail_internal(r, "session delete");
    if (api_commit(r) < 0) return -1;
    set_session_cookie(r, "", 0);
    return reply_json(r, 200, json_pack("{s:b}", "logged_out", 1));
}

/* `today` is the server's date (JIAYI_TODAY when set): the UI's "today" for defaults and
 * ages, so a browser on another day or zone still agrees with the server. */
int handle_session_get(struct request *r)
{
    char today[11];
    date_format(date_today(), today);
    return reply_json(r, 200,
                      json_pack("{s:o, s:s, s:s}", "user", user_json(r, &r->user), "csrf_token",
                                r->user.csrf_token, "today", today));
}
