/* session_code.c (api) - logging in with a one-time code (docs/resident-loop.md, "Logging in
 * with a one-time code"; docs/security.md, "One-time codes").
 *
 * POST /session/code answers 202 {"expires_in":300} for any well-formed phone, registered or
 * not, and counts the request against the phone's limits either way (one a minute, five an
 * hour: 429 too_many_requests), so neither the answer nor the limits tell who has an account.
 * For a phone of a resident account a code is drawn, its keyed hash stored and its SMS put in
 * the outbox, all in one transaction; the delivery worker sends it at once (urgent: quiet
 * hours do not hold it). POST /session with {"phone","code"} checks the phone's newest code
 * inside the writer's transaction, so two requests with one code cannot both log in. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "api/handlers.h"
#include "api/outbox_worker.h"
#include "auth/login_code.h"
#include "json/jsonx.h"
#include "store/login_codes.h"
#include "store/outbox.h"
#include "util/log.h"

#define MAX_ACCOUNTS 8

static int read_phone(json_t *body, const char **phone, struct jy_error *err)
{
    if (jx_string(body, "phone", JX_REQUIRED, 21, phone, err) < 0) return -1;
    if (!login_code_phone_valid(*phone)) return jy_fail(err, 422, "invalid_field", "phone", NULL);
    return 0;
}

/* The code's SMS, for the first account of the phone (they share the phone and its owner). */
static int64_t put_code_message(struct db *db, int64_t code_id, const struct phone_account *account,
                                int accounts, const char *phone, const char *code)
{
    char key[48], text[256];
    snprintf(key, sizeof key, "otp:%lld", (long long)code_id);
    snprintf(text, sizeof text,
             "【家医】您的登录验证码是%s，%d分钟内有效。如非本人操作，请忽略本短信。", code,
             LOGIN_CODE_SECONDS / 60);
    struct outbox_message m = {.key = key,
                               .kind = "otp",
                               .resident_id = account->resident_id,
                               .user_id = accounts == 1 ? account->user_id : 0,
                               .address = phone,
                               .subject = "登录验证码",
                               .body = text,
                               .source_kind = "login_code",
                               .source_id = code_id,
                               .urgent = 1};
    int64_t id = store_outbox_put(db, &m);
    sodium_memzero(text, sizeof text);
    return id;
}

int handle_session_code_create(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    const char *phone_in;
    struct jy_error err;
    if (read_phone(body, &phone_in, &err) < 0) {
        return reply_error(r, &err);
    }
    char phone[24];
    snprintf(phone, sizeof phone, "%s", phone_in);
    int64_t now = (int64_t)time(NULL);
    if (api_begin(r) < 0) return -1;
    int64_t last_minute = store_login_code_requests(r->db, phone, now - 60);
    int64_t last_hour = store_login_code_requests(r->db, phone, now - 3600);
    if (last_minute < 0 || last_hour < 0) return api_fail_internal(r, "login code count");
    if (last_minute >= LOGIN_CODE_PER_MINUTE || last_hour >= LOGIN_CODE_PER_HOUR) {
        api_rollback(r);
        int rc = reply_problem(r, 429, "too_many_requests", "phone");
        reply_header(r, "Retry-After", last_hour < LOGIN_CODE_PER_HOUR ? "60" : "3600");
        return rc;
    }
    if (store_login_code_prune(r->db, now - 86400) < 0)
        return api_fail_internal(r, "login code prune");
    struct phone_account accounts[MAX_ACCOUNTS];
    int n = store_phone_accounts(r->db, phone, accounts, MAX_ACCOUNTS);
    if (n < 0) return api_fail_internal(r, "phone accounts");
    if (n == 0) {
        if (store_login_code_insert(r->db, phone, NULL, now, now + LOGIN_CODE_SECONDS) < 0)
            return api_fail_internal(r, "login code insert");
    } else {
        char code[LOGIN_CODE_DIGITS + 1], hash[LOGIN_CODE_HASH_HEX];
        login_code_new(code);
        login_code_hash(phone, code, hash);
        int64_t id = store_login_code_insert(r->db, phone, hash, now, now + LOGIN_CODE_SECONDS);
        int64_t message = id < 0 ? -1 : put_code_message(r->db, id, &accounts[0], n, phone, code);
        sodium_memzero(code, sizeof code);
        if (message < 0) return api_fail_internal(r, "login code message");
    }
    if (api_commit(r) < 0) return -1;
    if (n > 0) outbox_worker_wake();
    return reply_json(r, 202, json_pack("{s:i}", "expires_in", LOGIN_CODE_SECONDS));
}

/* Which of the phone's accounts logs in: the one named, or the only one. 0 and *out; -1 with
 * err: 422 missing_field username when the phone has several and none is named, 401 when the
 * name is not one of them (or the phone has none any more). */
static int pick_account_check(const struct phone_account *accounts, int n, const char *username,
                              struct phone_account *out, struct jy_error *err)
{
    if (n > MAX_ACCOUNTS) n = MAX_ACCOUNTS;
    if (username) {
        for (int i = 0; i < n; i++)
            if (!strcasecmp(accounts[i].username, username)) {
                *out = accounts[i];
                return 0;
            }
        return jy_fail(err, 401, "invalid_credentials", NULL, NULL);
    }
    if (n == 1) {
        *out = accounts[0];
        return 0;
    }
    if (n == 0) return jy_fail(err, 401, "invalid_credentials", NULL, NULL);
    return jy_fail(err, 422, "missing_field", "username", NULL);
}

int session_code_login(struct request *r, json_t *body)
{
    const char *phone_in, *code_in, *username_in = NULL;
    struct jy_error err;
    if (read_phone(body, &phone_in, &err) < 0 ||
        jx_string(body, "code", JX_REQUIRED, LOGIN_CODE_DIGITS, &code_in, &err) < 0 ||
        jx_string(body, "username", JX_OPTIONAL, 64, &username_in, &err) < 0)
        return reply_error(r, &err);
    char phone[24], code[LOGIN_CODE_DIGITS + 1], username[72] = "";
    snprintf(phone, sizeof phone, "%s", phone_in);
    snprintf(code, sizeof code, "%s", code_in);
    if (username_in) snprintf(username, sizeof username, "%s", username_in);
    int well_formed =
        strlen(code) == LOGIN_CODE_DIGITS && strspn(code, "0123456789") == LOGIN_CODE_DIGITS;
    if (!well_formed) {
        sodium_memzero(code, sizeof code);
        return reply_problem(r, 422, "invalid_field", "code");
    }
    int64_t now = (int64_t)time(NULL);
    if (api_begin(r) < 0) return -1;
    struct login_code_row row;
    int found = store_login_code_latest(r->db, phone, &row);
    if (found < 0) return api_fail_internal(r, "login code lookup");
    int usable =
        found && !row.used_at && row.expires_at > now && row.failures < LOGIN_CODE_MAX_FAILURES;
    int right = usable && login_code_matches(phone, code, row.code_hash);
    sodium_memzero(code, sizeof code);
    if (!right) {
        /* A wrong guess counts against the code (five and it is dead); it is kept even though
         * the answer is an error. */
        if (usable) {
            if (store_login_code_fail(r->db, row.id) < 0)
                return api_fail_internal(r, "login code failure");
            if (api_commit(r) < 0) return -1;
        } else {
            api_rollback(r);
        }
        return reply_problem(r, 401, "invalid_credentials", NULL);
    }
    struct phone_account accounts[MAX_ACCOUNTS], account;
    int n = store_phone_accounts(r->db, phone, accounts, MAX_ACCOUNTS);
    if (n < 0) return api_fail_internal(r, "phone accounts");
    /* Not consumed when the account is not settled yet: the same code with a username. */
    if (pick_account_check(accounts, n, username[0] ? username : NULL, &account, &err) < 0)
        return api_fail(r, &err);
    struct login_result login;
    if (store_login_code_use(r->db, row.id, now) < 0) return api_fail_internal(r, "login code use");
    /* The SMS not sent yet is of no use any more. */
    if (store_outbox_cancel(r->db, "login_code", row.id) < 0)
        return api_fail_internal(r, "login code message");
    if (session_start(r, account.user_id, &login) < 0)
        return api_fail_internal(r, "session insert");
    /* The login is in the audit chain, as the user it made, in the same transaction. */
    if (session_lookup(r->db, login.token, &r->user) != 1)
        return api_fail_internal(r, "session lookup");
    if (api_audit(r, "login_code", "session", account.user_id, account.resident_id) < 0) return -1;
    if (api_commit(r) < 0) return -1;
    log_info("one-time code login of %s", account.username);
    return session_login_reply(r, &login);
}
