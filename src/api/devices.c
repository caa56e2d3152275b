/* devices.c - home blood-pressure monitors and glucometers bound to one resident. Staff
 * register a device and read its token once (it is stored only as a BLAKE2b hash); the
 * device then posts readings with X-Device-Token, which names the resident: the binding is
 * the scope, so a device can write one person's readings and read nothing. A reading out
 * of range raises a warning task for the resident's doctor (one open task at a time). */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/handlers.h"
#include "auth/scope.h"
#include "domain/screening.h"
#include "json/jsonx.h"
#include "store/followups.h"
#include "store/records.h"
#include "store/work.h"

#define DEVICE_TASK_KIND "device_warning"
#define WARNING_REVIEW_DAYS 3 /* [jiayi] a warning reading is followed up within three days */
#define TOKEN_BYTES 24

static void token_hash(const char *token, char out[65])
{
    unsigned char digest[32];
    crypto_generichash(digest, sizeof digest, (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, 65, digest, sizeof digest);
}

int handle_device_create(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    static const char *const KINDS[] = {"bp_monitor", "glucometer", NULL};
    int64_t resident;
    const char *kind, *label = NULL;
    struct jy_error err;
    int rc = -1;
    if (jx_int(body, "resident_id", JX_REQUIRED, 1, INT64_MAX, &resident, NULL, &err) < 0 ||
        jx_enum(body, "kind", JX_REQUIRED, KINDS, &kind, &err) < 0 ||
        jx_string(body, "label", JX_OPTIONAL, 60, &label, &err) < 0) {
        return reply_error(r, &err);
    }
    if (scope_require_resident(r, resident) < 0) return rc;
    unsigned char raw[TOKEN_BYTES];
    char token[4 + TOKEN_BYTES * 2 + 1] = "dev_", hash[65];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(token + 4, sizeof token - 4, raw, sizeof raw);
    token_hash(token, hash);
    if (api_begin(r) < 0) return rc;
    int64_t id = store_device_insert(r->db, resident, kind, label, hash, r->user.user_id);
    if (id < 0) {
        return api_fail_internal(r, "device");
    }
    if (api_audit(r, "create", "device", id, resident) < 0 || api_commit(r) < 0) return rc;
    json_t *out = json_pack("{s:I, s:I, s:s, s:s}", "id", (json_int_t)id, "resident_id",
                            (json_int_t)resident, "kind", kind, "token", token);
    json_object_set_new(out, "label", label ? json_string(label) : json_null());
    rc = reply_json(r, 201, out);
    return rc;
}

int handle_device_revoke(struct request *r)
{
    int64_t id, resident;
    if (request_param_id(r, 0, &id) < 0) return -1;
    int found = store_device_resident(r->db, id, &resident);
    if (found < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (!found) return reply_problem(r, 404, "not_found", NULL);
    if (scope_require_resident(r, resident) < 0 || api_begin(r) < 0) return -1;
    int revoked = store_device_revoke(r->db, id);
    if (revoked < 0) return api_fail_internal(r, "device revoke");
    if (revoked && api_audit(r, "revoke", "device", id, resident) < 0) return -1;
    if (api_commit(r) < 0) return -1;
    return reply_json(r, 200, json_pack("{s:I, s:b}", "id", (json_int_t)id, "revoked", 1));
}

int handle_resident_devices(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_resident(r, id) < 0) return -1;
    json_t *items = store_devices_list(r->db, id);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    return reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* "2026-11-24T08:30", seconds and a zone optional; the date part into *day. */
static int read_observed_at(json_t *body, struct date *day, const char **text, struct jy_error *err)
{
    if (jx_string(body, "observed_at", JX_REQUIRED, 32, text, err) < 0) return -1;
    const char *t = *text;
    char date_part[11];
    int hh, mm, n = 0;
    snprintf(date_part, sizeof date_part, "%.10s", t);
    if (strlen(t) < 16 || t[10] != 'T' || date_parse(date_part, day) < 0 ||
        sscanf(t + 11, "%2d:%2d%n", &hh, &mm, &n) != 2 || n != 5 || hh > 23 || mm > 59)
        return jy_fail(err, 422, "invalid_date", "observed_at", "YYYY-MM-DDTHH:MM[:SS][zone]");
    /* A device clock a day ahead is wrong, not early. */
    if (date_compare(*day, date_add_days(date_today(), 1)) > 0)
        return jy_fail(err, 422, "invalid_date", "observed_at", "in the future");
    return 0;
}

static int read_reading(json_t *body, const char *kind, struct device_reading *v, int *has_hr,
                        int64_t *hr, struct jy_error *err)
{
    int64_t sbp = 0, dbp = 0;
    double glucose = 0;
    int bp = strcmp(kind, "bp_monitor") == 0;
    memset(v, 0, sizeof *v);
    if (bp) {
        if (jx_int(body, "sbp", JX_REQUIRED, 50, 300, &sbp, NULL, err) < 0 ||
            jx_int(body, "dbp", JX_REQUIRED, 30, 200, &dbp, NULL, err) < 0)
            return -1;
        if (dbp >= sbp) return jy_fail(err, 422, "invalid_field", "dbp", "below sbp");
        *v = (struct device_reading){1, (int)sbp, 1, (int)dbp, 0, 0};
    } else {
        if (jx_number(body, "glucose", JX_REQUIRED, 1.0, 40.0, &glucose, NULL, err) < 0) return -1;
        v->has_glucose = 1;
        v->glucose_tenths = (int)(glucose * 10 + 0.5);
    }
    return jx_int(body, "heart_rate", JX_OPTIONAL, 20, 250, hr, has_hr, err);
}

/* The open warning task, or a new one; its id into *task. 0, or -1 on a database error. */
static int warning_task(struct request *r, const struct record_subject *s, enum reading_level level,
                        const char *reason, struct date day, int64_t *task)
{
    if ((*task = store_open_task(r->db, s->resident_id, DEVICE_TASK_KIND)) != 0)
        return *task < 0 ? -1 : 0;
    char due[11];
    struct date today = date_today();
    if (date_compare(day, today) > 0) day = today;
    date_format(level == READING_URGENT ? today : date_add_days(day, WARNING_REVIEW_DAYS), due);
    struct task_input t = {s->resident_id, s->team_id, s->doctor_id, 0,      DEVICE_TASK_KIND,
                           NULL,           due,        NULL,         reason, s->county};
    return (*task = store_task_insert(r->db, &t)) < 0 ? -1 : 0;
}

int handle_observation_create(struct request *r)
{
    const char *token = request_header(r, "X-Device-Token");
    char hash[65], kind[16];
    int64_t device, resident;
    if (!token || strlen(token) > 80)
        return reply_problem(r, 401, "invalid_device_token", "X-Device-Token");
    token_hash(token, hash);
    int found = store_device_by_token(r->db, hash, &device, &resident, kind);
    if (found < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (!found) return reply_problem(r, 401, "invalid_device_token", "X-Device-Token");
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    struct date day;
    const char *observed_at;
    struct device_reading v;
    int has_hr = 0, rc = -1;
    int64_t hr = 0, task = 0;
    struct record_subject s;
    if (read_observed_at(body, &day, &observed_at, &err) < 0 ||
        read_reading(body, kind, &v, &has_hr, &hr, &err) < 0) {
        return reply_error(r, &err);
    }
    struct protocol_config config = store_protocol_config(r->db);
    const char *reason;
    enum reading_level level = device_reading_check(&v, &config, &reason);
    if (api_begin(r) < 0) return rc;
    if (store_record_subject(r->db, resident, &s) != 1) {
        return api_fail_internal(r, "observation");
    }
    if (!s.alive) {
        api_rollback(r);
        return reply_problem(r, 422, "not_alive", "X-Device-Token");
    }
    if (level != READING_NORMAL && warning_task(r, &s, level, reason, day, &task) < 0) {
        return api_fail_internal(r, "observation");
    }
    struct observation_input in = {
        resident, device,   task,      observed_at,   reading_level_name(level),
        reason,   s.county, v.has_sbp, v.sbp,         v.has_dbp,
        v.dbp,    has_hr,   (int)hr,   v.has_glucose, v.glucose_tenths};
    int64_t id = store_observation_insert(r->db, &in);
    if (id < 0) {
        return api_fail_internal(r, "observation");
    }
    if (id == 0) { /* the device sent this reading before: nothing new, nothing raised */
        api_rollback(r);
        return reply_json(r, 200, json_pack("{s:n, s:b}", "id", "duplicate", 1));
    }
    snprintf(r->user.username, sizeof r->user.username, "device:%lld", (long long)device);
    if (api_audit(r, "create", "observation", id, resident) < 0 || api_commit(r) < 0) return rc;
    json_t *out = json_pack("{s:I, s:I, s:s, s:s, s:b}", "id", (json_int_t)id, "resident_id",
                            (json_int_t)resident, "observed_at", observed_at, "level",
                            reading_level_name(level), "duplicate", 0);
    json_object_set_new(out, "reason", reason ? json_string(reason) : json_null());
    json_object_set_new(out, "task_id", task ? json_integer(task) : json_null());
    rc = reply_json(r, 201, out);
    return rc;
}

int handle_resident_observations(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_resident(r, id) < 0) return -1;
    return api_reply_resident_items(r, id, "observations", store_observations_list(r->db, id, 200));
}
