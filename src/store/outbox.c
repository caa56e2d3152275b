/* outbox.c (store) - writing messages into the outbox (migration 025). */
#include "store/outbox.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json/jsonx.h"
#include "store/pii.h"

int64_t store_outbox_put(struct db *db, const struct outbox_message *m)
{
    static const char INSERT[] =
        "INSERT INTO outbox (key, kind, resident_id, user_id, address, subject, body, source_kind,"
        " source_id, urgent, status, last_error, next_attempt_at, created_at, county_code)"
        " SELECT ?1, ?2, ?3, ?4, a.address, ?6, ?7, ?8, ?9, ?10,"
        "  CASE WHEN a.address IS NULL OR a.address = '' THEN 'dead' ELSE 'pending' END,"
        "  CASE WHEN a.address IS NULL OR a.address = '' THEN 'no_address' END, ?11, ?12,"
        "  (SELECT county_code FROM residents WHERE id = ?3)"
        " FROM (SELECT COALESCE(?5, (SELECT phone FROM residents WHERE id = ?3)) AS address) a"
        /* "WHERE true": without it SQLite reads ON CONFLICT as a join's ON (its upsert docs). */
        " WHERE true ON CONFLICT (key) DO NOTHING";
    static const char EXISTING[] = "SELECT id FROM outbox WHERE key = ?1";
    int64_t now = (int64_t)time(NULL);
    struct db_stmt *st = db_prepare(db, INSERT);
    if (!st) return -1;
    db_bind_text(st, 1, m->key);
    db_bind_text(st, 2, m->kind);
    if (m->resident_id > 0)
        db_bind_int(st, 3, m->resident_id);
    else
        db_bind_null(st, 3);
    if (m->user_id > 0)
        db_bind_int(st, 4, m->user_id);
    else
        db_bind_null(st, 4);
    /* Sealed as the residents' phones it may be copied from are (store/pii.h). */
    if (m->address && !*m->address)
        db_bind_text(st, 5, "");
    else if (pii_bind_sealed(st, 5, m->address) < 0) {
        db_release(db);
        return -1;
    }
    db_bind_text(st, 6, m->subject);
    db_bind_text(st, 7, m->body);
    db_bind_text(st, 8, m->source_kind);
    if (m->source_id > 0)
        db_bind_int(st, 9, m->source_id);
    else
        db_bind_null(st, 9);
    db_bind_int(st, 10, m->urgent ? 1 : 0);
    db_bind_int(st, 11, m->not_before > now ? m->not_before : now);
    db_bind_int(st, 12, now);
    if (db_run(st) != DB_DONE) return -1;
    st = db_prepare(db, EXISTING);
    if (!st) return -1;
    db_bind_text(st, 1, m->key);
    return db_query_int(st, -1);
}

int64_t store_outbox_cancel(struct db *db, const char *source_kind, int64_t source_id)
{
    /* A one-time code's text goes with it. */
    static const char SQL[] =
        "UPDATE outbox SET status = 'cancelled',"
        " body = CASE WHEN kind = 'otp' THEN '' ELSE body END"
        " WHERE source_kind = ?1 AND source_id = ?2 AND status IN ('pending','failed')";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, source_kind);
    db_bind_int(st, 2, source_id);
    if (db_run(st) != DB_DONE) return -1;
    return db_changes(db);
}

struct outbox_config store_outbox_config(struct db *db)
{
    static const char SQL[] =
        "SELECT key, value FROM settings WHERE key IN ('outbox_max_attempts',"
        " 'outbox_backoff_seconds', 'outbox_quiet_start', 'outbox_quiet_end')";
    struct outbox_config c = outbox_config_default();
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return c;
    while (db_step(st) == DB_ROW) {
        const char *k = db_column_text(st, 0), *v = db_column_text(st, 1);
        if (!k || !v) continue;
        long n = atol(v);
        if (!strcmp(k, "outbox_max_attempts") && n >= 1 && n <= 100)
            c.max_attempts = (int)n;
        else if (!strcmp(k, "outbox_backoff_seconds") && n >= 0 && n <= 3600 && *v)
            c.backoff_seconds = n;
        else if (!strcmp(k, "outbox_quiet_start") && outbox_parse_clock(v) >= 0)
            c.quiet.start_minute = outbox_parse_clock(v);
        else if (!strcmp(k, "outbox_quiet_end") && outbox_parse_clock(v) >= 0)
            c.quiet.end_minute = outbox_parse_clock(v);
    }
    return c;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

void store_outbox_rows_free(struct outbox_row *rows, int n)
{
    for (int i = 0; i < n; i++) {
        free(rows[i].key);
        free(rows[i].kind);
        free(rows[i].address);
        free(rows[i].subject);
        if (rows[i].body) {
            /* A one-time code's text does not stay in freed memory either. */
            sodium_memzero(rows[i].body, strlen(rows[i].body));
            free(rows[i].body);
        }
        memset(&rows[i], 0, sizeof rows[i]);
    }
}

int store_outbox_due(struct db *db, int64_t now, int urgent_only, struct outbox_row *rows, int max)
{
    static const char SQL[] =
        "SELECT id, key, kind, address, subject, body, attempts, urgent, created_at FROM outbox"
        " WHERE status = 'pending' AND next_attempt_at <= ?1 AND (?2 = 0 OR urgent = 1)"
        " ORDER BY next_attempt_at, id LIMIT ?3";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, now);
    db_bind_int(st, 2, urgent_only ? 1 : 0);
    db_bind_int(st, 3, max);
    int n = 0, rc;
    while (n < max && (rc = db_step(st)) == DB_ROW) {
        struct outbox_row *row = &rows[n];
        row->id = db_column_int(st, 0);
        row->key = dup_or_null(db_column_text(st, 1));
        row->kind = dup_or_null(db_column_text(st, 2));
        char address[SEAL_PLAIN_MAX + 1];
        row->address = dup_or_null(pii_column(st, 3, address));
        row->subject = dup_or_null(db_column_text(st, 4));
        row->body = dup_or_null(db_column_text(st, 5));
        row->attempts = (int)db_column_int(st, 6);
        row->urgent = (int)db_column_int(st, 7);
        row->created_at = db_column_int(st, 8);
        n++;
        if (!row->key || !row->kind || !row->address || !row->body) {
            store_outbox_rows_free(rows, n);
            db_release(db);
            return -1;
        }
    }
    db_release(db);
    return n;
}

int64_t store_outbox_next_due(struct db *db)
{
    static const char SQL[] = "SELECT min(next_attempt_at) FROM outbox WHERE status = 'pending'";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    int64_t next = db_query_int(st, 0);
    db_release(db);
    return next;
}

int store_outbox_backlog(struct db *db, int64_t now, struct outbox_backlog *out)
{
    static const char SQL[] = "SELECT count(*), coalesce(sum(CASE WHEN next_attempt_at <= ?1"
                              " THEN 1 ELSE 0 END), 0), coalesce(min(created_at), 0)"
                              " FROM outbox WHERE status = 'pending'";
    memset(out, 0, sizeof *out);
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, now);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        out->pending = db_column_int(st, 0);
        out->due = db_column_int(st, 1);
        out->oldest_created_at = db_column_int(st, 2);
    }
    db_release(db);
    return rc == DB_ROW ? 0 : -1;
}

int64_t store_outbox_hold(struct db *db, int64_t now, int64_t until)
{
    static const char SQL[] = "UPDATE outbox SET next_attempt_at = ?2"
                              " WHERE status = 'pending' AND urgent = 0 AND next_attempt_at <= ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, now);
    db_bind_int(st, 2, until);
    if (db_run(st) != DB_DONE) return -1;
    return db_changes(db);
}

int64_t store_outbox_expire_codes(struct db *db, int64_t created_before)
{
    static const char SQL[] = "UPDATE outbox SET status = 'dead', last_error = 'expired', body = ''"
                              " WHERE kind = 'otp' AND status = 'pending' AND created_at < ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, created_before);
    if (db_run(st) != DB_DONE) return -1;
    return db_changes(db);
}

int store_outbox_mark_sent(struct db *db, int64_t id, int64_t now)
{
    /* A receipt can come back before the worker records the send: 'delivered' stays. A message
     * cancelled while it was on its way was sent all the same. */
    static const char SQL[] =
        "UPDATE outbox SET status = CASE WHEN status IN ('pending','cancelled') THEN 'sent' ELSE status END,"
        " attempts = attempts + 1, sent_at = COALESCE(sent_at, ?2), last_error = NULL,"
        " body = CASE WHEN kind = 'otp' THEN '' ELSE body END WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, now);
    return db_run(st) == DB_DONE ? 0 : -1;
}

int store_outbox_mark_failed(struct db *db, int64_t id, int failures, int dead, int64_t next_at,
                             const char *error)
{
    static const char SQL[] =
        "UPDATE outbox SET attempts = ?2, last_error = ?4,"
        " status = CASE WHEN ?3 THEN 'dead' ELSE status END, next_attempt_at = ?5,"
        " body = CASE WHEN ?3 AND kind = 'otp' THEN '' ELSE body END"
        " WHERE id = ?1 AND status = 'pending'";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, failures);
    db_bind_int(st, 3, dead ? 1 : 0);
    db_bind_text(st, 4, error);
    db_bind_int(st, 5, next_at);
    return db_run(st) == DB_DONE ? 0 : -1;
}

int store_outbox_receipt(struct db *db, const char *key, int delivered, const char *error,
                         int64_t now)
{
    static const char SQL[] =
        "UPDATE outbox SET status = CASE WHEN ?2 THEN 'delivered' ELSE 'failed' END,"
        " delivered_at = CASE WHEN ?2 THEN ?4 ELSE delivered_at END,"
        " sent_at = COALESCE(sent_at, ?4), last_error = CASE WHEN ?2 THEN NULL ELSE ?3 END,"
        " body = CASE WHEN kind = 'otp' THEN '' ELSE body END"
        " WHERE key = ?1 AND status <> 'cancelled'";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, key);
    db_bind_int(st, 2, delivered ? 1 : 0);
    db_bind_text(st, 3, error);
    db_bind_int(st, 4, now);
    if (db_run(st) != DB_DONE) return -1;
    return db_changes(db) > 0 ? 1 : 0;
}

static void iso_time(int64_t t, char out[21])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void set_time_or_null(json_t *o, const char *key, struct db_stmt *st, int col)
{
    if (db_column_is_null(st, col)) {
        json_object_set_new(o, key, json_null());
        return;
    }
    char text[21];
    iso_time(db_column_int(st, col), text);
    json_object_set_new(o, key, json_string(text));
}

/* A phone with its middle hidden (138****5678): enough to tell messages apart. */
static json_t *masked_address(const char *address)
{
    if (!address) return json_null();
    size_t n = strlen(address);
    if (n < 7) return json_string("****");
    char out[64];
    snprintf(out, sizeof out, "%.3s****%s", address, address + n - 4);
    return json_string(out);
}

#define OUTBOX_FILTER                                                                              \
    " (?2 IS NULL OR o.kind = ?2) AND (?3 IS NULL OR EXISTS (SELECT 1 FROM residents r"            \
    " WHERE r.id = o.resident_id AND r.region >= ?3 AND r.region < ?3 || ';'))"

int store_outbox_list(struct db *db, const char *status, const char *kind, const char *region,
                      int64_t cursor, int limit, json_t *items)
{
    static const char SQL[] =
        "SELECT o.id, o.key, o.kind, o.resident_id, o.address, o.subject,"
        " CASE WHEN o.kind = 'otp' THEN NULL ELSE o.body END, o.status, o.attempts,"
        " o.next_attempt_at, o.last_error, o.created_at, o.sent_at, o.delivered_at, o.urgent"
        " FROM outbox o WHERE (?1 IS NULL OR o.status = ?1) AND" OUTBOX_FILTER
        " AND (?4 = 0 OR o.id < ?4) ORDER BY o.id DESC LIMIT ?5";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, status);
    db_bind_text(st, 2, kind);
    db_bind_text(st, 3, region);
    db_bind_int(st, 4, cursor);
    db_bind_int(st, 5, limit);
    int n = 0, rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(db_column_int(st, 0)));
        json_object_set_new(o, "key", json_string(db_column_text(st, 1)));
        json_object_set_new(o, "kind", json_string(db_column_text(st, 2)));
        json_object_set_new(o, "resident_id",
                            db_column_is_null(st, 3) ? json_null()
                                                     : json_integer(db_column_int(st, 3)));
        char address[SEAL_PLAIN_MAX + 1];
        json_object_set_new(o, "to", masked_address(pii_column(st, 4, address)));
        jx_set_string_or_null(o, "subject", db_column_text(st, 5));
        jx_set_string_or_null(o, "body", db_column_text(st, 6));
        json_object_set_new(o, "status", json_string(db_column_text(st, 7)));
        json_object_set_new(o, "attempts", json_integer(db_column_int(st, 8)));
        set_time_or_null(o, "next_attempt_at", st, 9);
        jx_set_string_or_null(o, "last_error", db_column_text(st, 10));
        set_time_or_null(o, "created_at", st, 11);
        set_time_or_null(o, "sent_at", st, 12);
        set_time_or_null(o, "delivered_at", st, 13);
        json_object_set_new(o, "urgent", json_boolean(db_column_int(st, 14)));
        json_array_append_new(items, o);
        n++;
    }
    db_release(db);
    return rc == DB_DONE ? n : -1;
}

json_t *store_outbox_counts(struct db *db, const char *kind, const char *region)
{
    static const char SQL[] =
        "SELECT o.status, count(*) FROM outbox o WHERE ?1 IS NULL AND" OUTBOX_FILTER
        " GROUP BY o.status";
    static const char *const STATUSES[] = {"pending", "sent", "delivered",
                                           "failed",  "dead", "cancelled"};
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    json_t *counts = json_object();
    for (size_t i = 0; i < sizeof STATUSES / sizeof STATUSES[0]; i++)
        json_object_set_new(counts, STATUSES[i], json_integer(0));
    db_bind_null(st, 1);
    db_bind_text(st, 2, kind);
    db_bind_text(st, 3, region);
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_object_set_new(counts, db_column_text(st, 0), json_integer(db_column_int(st, 1)));
    db_release(db);
    if (rc != DB_DONE) {
        json_decref(counts);
        return NULL;
    }
    return counts;
}

int64_t store_outbox_notice(struct db *db, int64_t team_id, const char *region, const char *tag,
                            const char *subject, const char *body, int64_t *no_phone)
{
    static const char SQL[] =
        "SELECT r.id, r.phone IS NULL OR r.phone = '' FROM residents r"
        " WHERE r.status = 'alive' AND EXISTS (SELECT 1 FROM contracts c WHERE c.resident_id = r.id"
        "  AND c.status = 'active' AND (?1 = 0 OR c.team_id = ?1))"
        " AND (?2 IS NULL OR (r.region >= ?2 AND r.region < ?2 || ';')) ORDER BY r.id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, team_id > 0 ? team_id : 0);
    db_bind_text(st, 2, region);
    size_t n = 0, cap = 0;
    int64_t *ids = NULL;
    int rc;
    *no_phone = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        if (n == cap) {
            size_t more = cap ? cap * 2 : 256;
            int64_t *grown = realloc(ids, more * sizeof *grown);
            if (!grown) {
                rc = DB_ERROR;
                break;
            }
            ids = grown;
            cap = more;
        }
        ids[n++] = db_column_int(st, 0);
        *no_phone += db_column_int(st, 1);
    }
    db_release(db);
    if (rc != DB_DONE) {
        free(ids);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        char key[160];
        snprintf(key, sizeof key, "notice:%s:resident:%lld", tag, (long long)ids[i]);
        struct outbox_message m = {key,  "notice", ids[i], 0, NULL, subject,
                                   body, "notice", 0,      0, 0};
        if (store_outbox_put(db, &m) < 0) {
            free(ids);
            return -1;
        }
    }
    free(ids);
    return (int64_t)n;
}
