/* service_group.c (store) - reminders, the team's service group and consultations (see
 * service_group.h). Timestamps are UTC text (YYYY-MM-DDTHH:MM:SSZ) as the rest of the schema
 * keeps them; days are YYYY-MM-DD. */
#include "store/service_group.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/reminders.h"
#include "json/jsonx.h"
#include "store/outbox.h"
#include "store/slices.h"

#define NOW "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

/* ---- reminders ---- */

static int load_stages(struct db *db, struct reminder_stages *s)
{
    static const char SQL[] = "SELECT value FROM settings WHERE key = 'reminder_stages'";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    int rc = db_step(st), ok = -1;
    if (rc == DB_ROW) ok = reminder_stages_parse(db_column_text(st, 0), s);
    if (rc == DB_ROW) db_run(st);
    if (rc < 0) return -1;
    /* A setting that does not parse (edited by hand) falls back to the default: the residents
     * still hear of their tasks. */
    if (ok < 0) reminder_stages_parse(REMINDER_DEFAULT_STAGES, s);
    return 0;
}

struct due_task {
    int64_t id, resident_id;
    char kind[32], program[32], due[11], county[7];
};

/* The pass writes the reminders of a slice of tasks a transaction (store/slices.h; each a
 * reminder, an outbox message and their link: a few statements, a round trip each on
 * PostgreSQL). */
enum { REMIND_SLICE = 1000, REMIND_SLICE_POSTGRESQL = 250 };

struct remind_pass {
    struct date today;
    struct reminder_stages stages;
    int64_t after; /* the last task read */
    long written;
};

/* The reminders of the next slice of open tasks after task `after`, whose due date lies in
 * the window some stage can fall in; adds them to `written`. Returns how many tasks it read
 * (0: none left), or -1. */
static long remind_tasks(struct db *db, void *ctx)
{
    static const char SQL[] =
        "SELECT t.id, t.resident_id, t.kind, t.program, t.due_date, t.county_code FROM tasks t"
        " JOIN residents r ON r.id = t.resident_id"
        " WHERE t.status = 'open' AND t.due_date >= ?1 AND t.due_date <= ?2"
        /* the kinds reminder_kind_reminded names (which the loop checks again) */
        " AND t.kind IN ('followup', 'renewal', 'exam_abnormal', 'copd_visit', 'screening_invite')"
        " AND r.status = 'alive'"
        " AND EXISTS (SELECT 1 FROM contracts c WHERE c.resident_id = t.resident_id AND c.status = "
        "'active')"
        " AND t.id > ?3 ORDER BY t.id LIMIT ?4";
    static const char INSERT[] =
        "INSERT INTO reminders (task_id, resident_id, stage, sent_on, county_code)"
        " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (task_id, stage) DO NOTHING RETURNING id";
    static const char LINK[] = "UPDATE reminders SET outbox_id = ?2 WHERE id = ?1";
    struct remind_pass *pass = ctx;
    struct date today = pass->today;
    const struct reminder_stages *stages = &pass->stages;
    char lo[11], hi[11], day[11];
    date_format(date_add_days(today, -(stages->days[stages->count - 1] + REMINDER_LAST_STAGE_DAYS)),
                lo);
    date_format(date_add_days(today, -stages->days[0]), hi);
    date_format(today, day);
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, lo);
    db_bind_text(st, 2, hi);
    db_bind_int(st, 3, pass->after);
    db_bind_int(st, 4, db_is_postgresql(db) ? REMIND_SLICE_POSTGRESQL : REMIND_SLICE);
    struct due_task *tasks = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            struct due_task *bigger = realloc(tasks, cap * sizeof *tasks);
            if (!bigger) {
                db_run(st);
                free(tasks);
                return -1;
            }
            tasks = bigger;
        }
        struct due_task *t = &tasks[n++];
        t->id = db_column_int(st, 0);
        t->resident_id = db_column_int(st, 1);
        snprintf(t->kind, sizeof t->kind, "%s", db_column_text(st, 2));
        snprintf(t->program, sizeof t->program, "%s",
                 db_column_text(st, 3) ? db_column_text(st, 3) : "");
        snprintf(t->due, sizeof t->due, "%s", db_column_text(st, 4));
        snprintf(t->county, sizeof t->county, "%s", db_column_text(st, 5));
    }
    if (rc != DB_DONE) {
        free(tasks);
        return -1;
    }
    if (n) pass->after = tasks[n - 1].id;
    long written = 0;
    for (size_t i = 0; i < n; i++) {
        struct due_task *t = &tasks[i];
        struct date due;
        if (date_parse(t->due, &due) < 0 || !reminder_kind_reminded(t->kind)) continue;
        int stage = reminder_stage_due(stages, due, today, 1);
        if (stage == NO_REMINDER) continue;
        struct db_stmt *ins = db_prepare(db, INSERT);
        if (!ins) goto fail;
        db_bind_int(ins, 1, t->id);
        db_bind_int(ins, 2, t->resident_id);
        db_bind_int(ins, 3, stage);
        db_bind_text(ins, 4, day);
        db_bind_text(ins, 5, t->county);
        int step = db_step(ins);
        if (step == DB_DONE) continue; /* this stage was sent already: no row returned */
        if (step != DB_ROW) goto fail;
        int64_t reminder = db_column_int(ins, 0);
        db_run(ins);
        char key[64], body[512];
        snprintf(key, sizeof key, "reminder:task:%lld:%d", (long long)t->id, stage);
        if (reminder_message(body, sizeof body, t->kind, t->program[0] ? t->program : NULL, due,
                             today) < 0)
            goto fail;
        struct outbox_message m = {.key = key,
                                   .kind = "reminder",
                                   .resident_id = t->resident_id,
                                   .subject = "家庭医生提醒",
                                   .body = body,
                                   .source_kind = "task",
                                   .source_id = t->id};
        int64_t message = store_outbox_put(db, &m);
        if (message < 0) goto fail;
        struct db_stmt *link = db_prepare(db, LINK);
        if (!link) goto fail;
        db_bind_int(link, 1, reminder);
        db_bind_int(link, 2, message);
        if (db_run(link) != DB_DONE) goto fail;
        written++;
    }
    free(tasks);
    pass->written += written;
    return (long)n;
fail:
    free(tasks);
    return -1;
}

long store_reminders_pass(struct db *db, struct date today)
{
    struct remind_pass pass = {.today = today};
    if (load_stages(db, &pass.stages) < 0) return -1;
    struct slices seen = {0};
    return store_in_slices(db, remind_tasks, &pass, &seen) < 0 ? -1 : pass.written;
}

/* ---- the service group ---- */

static const char *content_kind_zh(const char *kind)
{
    return !strcmp(kind, "article") ? "健康科普" : !strcmp(kind, "package") ? "服务包介绍" : "通知";
}

int64_t store_content_publish(struct db *db, const struct content_input *in, int64_t *recipients)
{
    static const char INSERT[] =
        "INSERT INTO content_items (team_id, kind, title, body, audience_program, audience_class,"
        " audience_cell, published_by, published_at, county_code)"
        " SELECT ?1, ?2, ?3, ?4, ?5, nullif(?6, 0), ?7, nullif(?8, 0), coalesce(?9, " NOW
        "), t.county_code"
        " FROM teams t WHERE t.id = ?1 RETURNING id";
    static const char RECIPIENTS[] =
        "INSERT INTO content_recipients (content_id, resident_id)"
        " SELECT ?1, r.id FROM contracts c JOIN residents r ON r.id = c.resident_id"
        " WHERE c.team_id = ?2 AND c.status = 'active' AND r.status = 'alive'"
        " AND (?3 IS NULL OR EXISTS (SELECT 1 FROM enrolments e WHERE e.resident_id = r.id"
        "   AND e.program = ?3 AND e.end_date IS NULL))"
        " AND (?4 = 0 OR r.population_class = ?4)"
        " AND (?5 IS NULL OR (r.region >= ?5 AND r.region < ?5 || ';'))";
    static const char COUNT[] = "UPDATE content_items SET recipients ="
                                " (SELECT count(*) FROM content_recipients WHERE content_id = ?1)"
                                " WHERE id = ?1 RETURNING recipients";
    static const char WHO[] =
        "SELECT cr.resident_id, t.name FROM content_recipients cr"
        " JOIN content_items i ON i.id = cr.content_id JOIN teams t ON t.id = i.team_id"
        " WHERE cr.content_id = ?1 ORDER BY cr.resident_id";
    struct db_stmt *st = db_prepare(db, INSERT);
    if (!st) return -1;
    db_bind_int(st, 1, in->team_id);
    db_bind_text(st, 2, in->kind);
    db_bind_text(st, 3, in->title);
    db_bind_text(st, 4, in->body);
    db_bind_text(st, 5, in->program);
    db_bind_int(st, 6, in->population_class);
    db_bind_text(st, 7, in->cell);
    db_bind_int(st, 8, in->user_id);
    db_bind_text(st, 9, in->at);
    int64_t id = db_insert_id(st);
    if (id <= 0) return -1;
    st = db_prepare(db, RECIPIENTS);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, in->team_id);
    db_bind_text(st, 3, in->program);
    db_bind_int(st, 4, in->population_class);
    db_bind_text(st, 5, in->cell);
    if (db_run(st) != DB_DONE) return -1;
    st = db_prepare(db, COUNT);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    *recipients = db_query_int(st, -1);
    if (*recipients < 0) return -1;
    /* The residents first, then their messages: no write while the read is mid-step. */
    int64_t *who = malloc(((size_t)*recipients + 1) * sizeof *who);
    char team[128] = "";
    if (!who) return -1;
    st = db_prepare(db, WHO);
    if (!st) {
        free(who);
        return -1;
    }
    db_bind_int(st, 1, id);
    int64_t n = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (n < *recipients) who[n++] = db_column_int(st, 0);
        snprintf(team, sizeof team, "%s", db_column_text(st, 1));
    }
    if (rc != DB_DONE) {
        free(who);
        return -1;
    }
    char body[600];
    snprintf(body, sizeof body, "【%s】%s：%s。请打开家庭医生服务查看全文。", team,
             content_kind_zh(in->kind), in->title);
    for (int64_t i = 0; i < n; i++) {
        char key[64];
        snprintf(key, sizeof key, "content:%lld:resident:%lld", (long long)id, (long long)who[i]);
        struct outbox_message m = {.key = key,
                                   .kind = "content",
                                   .resident_id = who[i],
                                   .subject = in->title,
                                   .body = body,
                                   .source_kind = "content",
                                   .source_id = id};
        if (store_outbox_put(db, &m) < 0) {
            free(who);
            return -1;
        }
    }
    free(who);
    return id;
}

static json_t *rate_or_null(int64_t part, int64_t whole)
{
    return whole ? json_real((double)part / (double)whole) : json_null();
}

json_t *store_team_content(struct db *db, int64_t team_id, int limit)
{
    static const char SQL[] =
        "SELECT i.id, i.kind, i.title, i.body, i.published_at, i.audience_program, "
        "i.audience_class,"
        " i.audience_cell, i.recipients, (SELECT count(*) FROM content_recipients cr"
        "  WHERE cr.content_id = i.id AND cr.read_at IS NOT NULL), coalesce(u.display_name, '')"
        " FROM content_items i LEFT JOIN users u ON u.id = i.published_by"
        " WHERE i.team_id = ?1 ORDER BY i.published_at DESC, i.id DESC LIMIT ?2";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, team_id);
    db_bind_int(st, 2, limit);
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t recipients = db_column_int(st, 8), read = db_column_int(st, 9);
        json_t *audience = json_object();
        jx_set_string_or_null(audience, "program", db_column_text(st, 5));
        json_object_set_new(audience, "population_class",
                            db_column_is_null(st, 6) ? json_null()
                                                     : json_integer(db_column_int(st, 6)));
        jx_set_string_or_null(audience, "cell_id", db_column_text(st, 7));
        json_t *o = json_pack("{s:I, s:I, s:o, s:I, s:I, s:o}", "id",
                              (json_int_t)db_column_int(st, 0), "team_id", (json_int_t)team_id,
                              "audience", audience, "recipients", (json_int_t)recipients, "read",
                              (json_int_t)read, "read_rate", rate_or_null(read, recipients));
        jx_set_string_or_null(o, "kind", db_column_text(st, 1));
        jx_set_string_or_null(o, "title", db_column_text(st, 2));
        jx_set_string_or_null(o, "body", db_column_text(st, 3));
        jx_set_string_or_null(o, "published_at", db_column_text(st, 4));
        jx_set_string_or_null(o, "published_by", db_column_text(st, 10));
        json_array_append_new(items, o);
    }
    if (rc != DB_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}

json_t *store_resident_content(struct db *db, int64_t resident_id, int limit)
{
    static const char SQL[] =
        "SELECT i.id, i.kind, i.title, i.body, i.published_at, t.name, cr.read_at, i.team_id"
        " FROM content_recipients cr JOIN content_items i ON i.id = cr.content_id"
        " JOIN teams t ON t.id = i.team_id"
        " WHERE cr.resident_id = ?1 ORDER BY i.published_at DESC, i.id DESC LIMIT ?2";
    static const char UNREAD[] =
        "SELECT count(*) FROM content_recipients WHERE resident_id = ?1 AND read_at IS NULL";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, resident_id);
    db_bind_int(st, 2, limit);
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *o = json_pack("{s:I, s:I}", "id", (json_int_t)db_column_int(st, 0), "team_id",
                              (json_int_t)db_column_int(st, 7));
        jx_set_string_or_null(o, "kind", db_column_text(st, 1));
        jx_set_string_or_null(o, "title", db_column_text(st, 2));
        jx_set_string_or_null(o, "body", db_column_text(st, 3));
        jx_set_string_or_null(o, "published_at", db_column_text(st, 4));
        jx_set_string_or_null(o, "team_name", db_column_text(st, 5));
        jx_set_string_or_null(o, "read_at", db_column_text(st, 6));
        json_array_append_new(items, o);
    }
    if (rc != DB_DONE) {
        json_decref(items);
        return NULL;
    }
    st = db_prepare(db, UNREAD);
    if (st) db_bind_int(st, 1, resident_id);
    int64_t unread = st ? db_query_int(st, -1) : -1;
    if (unread < 0) {
        json_decref(items);
        return NULL;
    }
    return json_pack("{s:o, s:I}", "items", items, "unread", (json_int_t)unread);
}

int store_content_read(struct db *db, int64_t content_id, int64_t resident_id, const char *at)
{
    static const char SQL[] = "UPDATE content_recipients SET read_at = coalesce(?3, " NOW ")"
                              " WHERE content_id = ?1 AND resident_id = ?2 AND read_at IS NULL";
    static const char SENT[] =
        "SELECT count(*) FROM content_recipients WHERE content_id = ?1 AND resident_id = ?2";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, content_id);
    db_bind_int(st, 2, resident_id);
    db_bind_text(st, 3, at);
    if (db_run(st) != DB_DONE) return -1;
    if (db_changes(db) == 1) return 1;
    st = db_prepare(db, SENT);
    if (!st) return -1;
    db_bind_int(st, 1, content_id);
    db_bind_int(st, 2, resident_id);
    int64_t sent = db_query_int(st, -1);
    return sent < 0 ? -1 : sent ? 0 : STORE_NOT_FOUND;
}

json_t *store_content_receipts(struct db *db, int64_t content_id)
{
    static const char SQL[] = "SELECT p.id, p.name, cr.read_at FROM content_recipients cr"
                              " JOIN residents p ON p.id = cr.resident_id WHERE cr.content_id = ?1"
                              " ORDER BY cr.read_at IS NOT NULL, p.name, p.id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, content_id);
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *o = json_pack("{s:I}", "resident_id", (json_int_t)db_column_int(st, 0));
        jx_set_string_or_null(o, "name", db_column_text(st, 1));
        jx_set_string_or_null(o, "read_at", db_column_text(st, 2));
        json_array_append_new(items, o);
    }
    if (rc != DB_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}

int store_content_team(struct db *db, int64_t content_id, int64_t *team_id)
{
    static const char SQL[] = "SELECT team_id FROM content_items WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, content_id);
    int rc = db_step(st);
    if (rc != DB_ROW) return rc == DB_DONE ? STORE_NOT_FOUND : -1;
    *team_id = db_column_int(st, 0);
    db_run(st);
    return 0;
}

/* ---- consultations ---- */

int64_t store_resident_signed_team(struct db *db, int64_t resident_id)
{
    static const char SQL[] = "SELECT team_id FROM contracts WHERE resident_id = ?1 AND status = "
                              "'active' ORDER BY id DESC LIMIT 1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    return db_query_int(st, 0);
}

int64_t store_consultation_create(struct db *db, int64_t resident_id, int64_t team_id,
                                  const char *subject, const char *body, int64_t user_id,
                                  const char *author_name, const char *at)
{
    static const char SQL[] = "INSERT INTO consultations (resident_id, team_id, subject, "
                              "created_by, created_at, waiting_since, county_code)"
                              " SELECT ?1, ?2, ?3, nullif(?4, 0), coalesce(?5, " NOW
                              "), coalesce(?5, " NOW "), r.county_code"
                              " FROM residents r WHERE r.id = ?1 RETURNING id";
    static const char MESSAGE[] = "INSERT INTO consultation_messages (consultation_id, "
                                  "author_user_id, author_kind, author_name, body, created_at)"
                                  " VALUES (?1, nullif(?2, 0), 'resident',"
                                  " coalesce(?3, (SELECT r.name FROM consultations c JOIN "
                                  "residents r ON r.id = c.resident_id WHERE c.id = ?1)),"
                                  " ?4, coalesce(?5, " NOW "))";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    db_bind_int(st, 2, team_id);
    db_bind_text(st, 3, subject);
    db_bind_int(st, 4, user_id);
    db_bind_text(st, 5, at);
    int64_t id = db_insert_id(st);
    if (id <= 0) return -1;
    st = db_prepare(db, MESSAGE);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, user_id);
    db_bind_text(st, 3, author_name);
    db_bind_text(st, 4, body);
    db_bind_text(st, 5, at);
    return db_run(st) == DB_DONE ? id : -1;
}

int store_consultation_ref(struct db *db, int64_t id, struct consultation_ref *out)
{
    static const char SQL[] =
        "SELECT c.resident_id, c.team_id, c.status, c.subject, t.name FROM consultations c"
        " JOIN teams t ON t.id = c.team_id WHERE c.id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    int rc = db_step(st);
    if (rc != DB_ROW) return rc == DB_DONE ? STORE_NOT_FOUND : -1;
    out->id = id;
    out->resident_id = db_column_int(st, 0);
    out->team_id = db_column_int(st, 1);
    snprintf(out->status, sizeof out->status, "%s", db_column_text(st, 2));
    snprintf(out->subject, sizeof out->subject, "%s", db_column_text(st, 3));
    snprintf(out->team_name, sizeof out->team_name, "%s", db_column_text(st, 4));
    db_run(st);
    return 0;
}

int64_t store_consultation_message(struct db *db, int64_t id, int staff, int64_t user_id,
                                   const char *author_name, const char *body, const char *at)
{
    static const char MESSAGE[] = "INSERT INTO consultation_messages (consultation_id, "
                                  "author_user_id, author_kind, author_name, body, created_at)"
                                  " VALUES (?1, nullif(?2, 0), ?3, coalesce((SELECT name FROM "
                                  "staff WHERE user_id = ?2 AND ?3 = 'staff'), ?4,"
                                  "  (SELECT r.name FROM consultations c JOIN residents r ON r.id "
                                  "= c.resident_id WHERE c.id = ?1)),"
                                  " ?5, coalesce(?6, " NOW ")) RETURNING id";
    static const char ANSWERED[] =
        "UPDATE consultations SET status = 'answered', waiting_since = NULL,"
        " first_response_at = coalesce(first_response_at, ?2, " NOW "),"
        " first_response_by = coalesce(first_response_by, nullif(?3, 0)) WHERE id = ?1 AND status "
        "<> 'closed'";
    static const char ASKED[] = "UPDATE consultations SET status = 'open',"
                                " waiting_since = coalesce(waiting_since, ?2, " NOW
                                ") WHERE id = ?1 AND status <> 'closed'";
    struct db_stmt *st = db_prepare(db, MESSAGE);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, user_id);
    db_bind_text(st, 3, staff ? "staff" : "resident");
    db_bind_text(st, 4, author_name);
    db_bind_text(st, 5, body);
    db_bind_text(st, 6, at);
    int64_t message = db_insert_id(st);
    if (message <= 0) return -1;
    st = db_prepare(db, staff ? ANSWERED : ASKED);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, at);
    if (staff) db_bind_int(st, 3, user_id);
    return db_run(st) == DB_DONE ? message : -1;
}

int store_consultation_close(struct db *db, int64_t id, int64_t user_id, const char *at)
{
    static const char SQL[] = "UPDATE consultations SET status = 'closed', waiting_since = NULL,"
                              " closed_at = coalesce(?3, " NOW "), closed_by = nullif(?2, 0)"
                              " WHERE id = ?1 AND status <> 'closed'";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, user_id);
    db_bind_text(st, 3, at);
    if (db_run(st) != DB_DONE) return -1;
    return db_changes(db) == 1 ? 1 : 0;
}

/* Minutes between two UTC timestamps (the second NULL: now), as SQL. */
#define MINUTES(from, to)                                                                          \
    "CAST(round((julianday(coalesce(" to ", 'now')) - julianday(" from ")) * 1440) AS INTEGER)"

/* The columns of a consultation row, in the order consultation_json reads them. */
// clang-format off
#define CONSULTATION_COLUMNS \
    "c.id, c.resident_id, r.name, c.team_id, t.name, c.subject, c.status, c.created_at," \
    " c.first_response_at, c.closed_at, c.waiting_since," \
    " " MINUTES("c.created_at", "c.first_response_at") "," \
    " CASE WHEN c.status = 'open' THEN max(0, " MINUTES("c.waiting_since", "NULL") ") END," \
    " (SELECT count(*) FROM consultation_messages m WHERE m.consultation_id = c.id)," \
    " (SELECT max(m.created_at) FROM consultation_messages m WHERE m.consultation_id = c.id)," \
    " (SELECT m.body FROM consultation_messages m WHERE m.consultation_id = c.id" \
    "  ORDER BY m.id DESC LIMIT 1)"
// clang-format on
#define CONSULTATION_FROM                                                                          \
    " FROM consultations c JOIN residents r ON r.id = c.resident_id JOIN teams t ON t.id = "       \
    "c.team_id"

static json_t *consultation_json(struct db_stmt *st)
{
    json_t *o =
        json_pack("{s:I, s:I, s:I, s:I}", "id", (json_int_t)db_column_int(st, 0), "resident_id",
                  (json_int_t)db_column_int(st, 1), "team_id", (json_int_t)db_column_int(st, 3),
                  "messages", (json_int_t)db_column_int(st, 13));
    jx_set_string_or_null(o, "resident_name", db_column_text(st, 2));
    jx_set_string_or_null(o, "team_name", db_column_text(st, 4));
    jx_set_string_or_null(o, "subject", db_column_text(st, 5));
    jx_set_string_or_null(o, "status", db_column_text(st, 6));
    jx_set_string_or_null(o, "created_at", db_column_text(st, 7));
    jx_set_string_or_null(o, "first_response_at", db_column_text(st, 8));
    jx_set_string_or_null(o, "closed_at", db_column_text(st, 9));
    jx_set_string_or_null(o, "waiting_since", db_column_text(st, 10));
    json_object_set_new(o, "first_response_minutes",
                        db_column_is_null(st, 8) ? json_null()
                                                 : json_integer(db_column_int(st, 11)));
    json_object_set_new(o, "waiting_minutes",
                        db_column_is_null(st, 12) ? json_null()
                                                  : json_integer(db_column_int(st, 12)));
    jx_set_string_or_null(o, "last_message_at", db_column_text(st, 14));
    jx_set_string_or_null(o, "last_message", db_column_text(st, 15));
    return o;
}

json_t *store_consultation_get(struct db *db, int64_t id)
{
    static const char SQL[] = "SELECT " CONSULTATION_COLUMNS CONSULTATION_FROM " WHERE c.id = ?1";
    static const char MESSAGES[] =
        "SELECT id, author_kind, author_name, body, created_at FROM consultation_messages"
        " WHERE consultation_id = ?1 ORDER BY id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, id);
    if (db_step(st) != DB_ROW) return NULL;
    json_t *o = consultation_json(st);
    db_run(st);
    st = db_prepare(db, MESSAGES);
    if (!st) {
        json_decref(o);
        return NULL;
    }
    db_bind_int(st, 1, id);
    json_t *thread = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *m = json_pack("{s:I}", "id", (json_int_t)db_column_int(st, 0));
        jx_set_string_or_null(m, "author_kind", db_column_text(st, 1));
        jx_set_string_or_null(m, "author_name", db_column_text(st, 2));
        jx_set_string_or_null(m, "body", db_column_text(st, 3));
        jx_set_string_or_null(m, "created_at", db_column_text(st, 4));
        json_array_append_new(thread, m);
    }
    json_object_set_new(o, "thread", thread);
    if (rc != DB_DONE) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *store_resident_consultations(struct db *db, int64_t resident_id)
{
    static const char SQL[] =
        "SELECT " CONSULTATION_COLUMNS CONSULTATION_FROM
        " WHERE c.resident_id = ?1 ORDER BY c.created_at DESC, c.id DESC LIMIT 200";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, resident_id);
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(items, consultation_json(st));
    if (rc != DB_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}

static int compare_int64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

json_t *store_team_consultations(struct db *db, int64_t team_id, const char *status, int limit)
{
    static const char SQL[] =
        "SELECT " CONSULTATION_COLUMNS CONSULTATION_FROM
        " WHERE c.team_id = ?1 AND (?2 IS NULL OR c.status = ?2)"
        " ORDER BY c.status = 'open' DESC, c.status = 'answered' DESC,"
        " CASE WHEN c.status = 'open' THEN c.waiting_since END ASC, c.created_at DESC, c.id DESC"
        " LIMIT ?3";
    /* The macro call inside the SQL would otherwise be laid out as code. */
    // clang-format off
    static const char FIRST[] =
        "SELECT " MINUTES("created_at", "first_response_at") " FROM consultations"
        " WHERE team_id = ?1 AND first_response_at IS NOT NULL";
    // clang-format on
    static const char COUNTS[] =
        "SELECT count(*), coalesce(sum(status = 'closed'), 0),"
        " coalesce(sum(status = 'open'), 0) FROM consultations WHERE team_id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, team_id);
    db_bind_text(st, 2, status);
    db_bind_int(st, 3, limit);
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(items, consultation_json(st));
    if (rc != DB_DONE) goto fail;
    st = db_prepare(db, FIRST);
    if (!st) goto fail;
    db_bind_int(st, 1, team_id);
    int64_t *minutes = NULL;
    size_t n = 0, cap = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            int64_t *bigger = realloc(minutes, cap * sizeof *minutes);
            if (!bigger) {
                db_run(st);
                free(minutes);
                goto fail;
            }
            minutes = bigger;
        }
        minutes[n++] = db_column_int(st, 0);
    }
    if (rc != DB_DONE) {
        free(minutes);
        goto fail;
    }
    json_t *median = json_null();
    if (n) {
        qsort(minutes, n, sizeof *minutes, compare_int64);
        median = n % 2 ? json_integer(minutes[n / 2])
                       : json_real((double)(minutes[n / 2 - 1] + minutes[n / 2]) / 2.0);
    }
    free(minutes);
    st = db_prepare(db, COUNTS);
    if (st) db_bind_int(st, 1, team_id);
    if (!st || db_step(st) != DB_ROW) {
        json_decref(median);
        goto fail;
    }
    int64_t total = db_column_int(st, 0), closed = db_column_int(st, 1),
            open = db_column_int(st, 2);
    db_run(st);
    return json_pack("{s:o, s:I, s:I, s:I, s:o, s:o}", "items", items, "total", (json_int_t)total,
                     "open", (json_int_t)open, "closed", (json_int_t)closed,
                     "median_first_response_minutes", median, "resolved_share",
                     rate_or_null(closed, total));
fail:
    json_decref(items);
    return NULL;
}
