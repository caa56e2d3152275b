/* outreach.c (store) - SQL for outreach calls (task_calls) and the tasks they end. */
#include "store/outreach.h"

#include <stdio.h>
#include <string.h>

#include "json/jsonx.h"

int64_t store_task_call_insert(struct db *db, const struct task_call_input *in)
{
    static const char SQL[] =
        "INSERT INTO task_calls (task_id, resident_id, outcome, called_on, agreed_date, note,"
        " called_by, staff_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, nullif(?7, 0), nullif(?8, 0))"
        " RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, in->task_id);
    db_bind_int(st, 2, in->resident_id);
    db_bind_text(st, 3, in->outcome);
    db_bind_text(st, 4, in->called_on);
    db_bind_text(st, 5, in->agreed_date);
    db_bind_text(st, 6, in->note);
    db_bind_int(st, 7, in->user_id);
    db_bind_int(st, 8, in->staff_id);
    return db_insert_id(st);
}

#define END_SET                                                                                    \
    "UPDATE tasks SET status = 'cancelled', end_reason = ?2,"                                      \
    " closed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), closed_by = nullif(?3, 0), outcome = ?4"

int store_task_end(struct db *db, int64_t task_id, const char *end_reason, int64_t user_id,
                   const char *note)
{
    static const char SQL[] = END_SET " WHERE id = ?1 AND status = 'open'";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, task_id);
    db_bind_text(st, 2, end_reason);
    db_bind_int(st, 3, user_id);
    db_bind_text(st, 4, note);
    if (db_run(st) != DB_DONE) return -1;
    return db_changes(db) == 1 ? 1 : 0;
}

long store_resident_tasks_end(struct db *db, int64_t resident_id, const char *end_reason,
                              int64_t user_id, const char *note)
{
    static const char SQL[] = END_SET " WHERE resident_id = ?1 AND status = 'open'";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, end_reason);
    db_bind_int(st, 3, user_id);
    db_bind_text(st, 4, note);
    if (db_run(st) != DB_DONE) return -1;
    return (long)db_changes(db);
}

int store_resident_status(struct db *db, int64_t resident_id, char status[16])
{
    static const char SQL[] = "SELECT status FROM residents WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    int rc = db_step(st);
    if (rc != DB_ROW) return rc == DB_DONE ? STORE_NOT_FOUND : -1;
    snprintf(status, 16, "%s", db_column_text(st, 0));
    db_run(st);
    return 0;
}

json_t *store_call_summary_from_text(const char *text)
{
    long long attempts = 0;
    char outcome[16] = "", called_on[11] = "", agreed[11] = "";
    if (!text ||
        sscanf(text, "%lld|%15[^|]|%10[^|]|%10s", &attempts, outcome, called_on, agreed) < 3)
        return json_null();
    json_t *o = json_pack("{s:I, s:s, s:s}", "attempts", (json_int_t)attempts, "last_outcome",
                          outcome, "last_called_on", called_on);
    json_object_set_new(o, "agreed_date", agreed[0] ? json_string(agreed) : json_null());
    return o;
}

json_t *store_task_call_summary(struct db *db, int64_t task_id)
{
    static const char SQL[] = "SELECT " CALL_SUMMARY_SQL " FROM tasks t WHERE t.id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, task_id);
    if (db_step(st) != DB_ROW) return NULL;
    json_t *o =
        store_call_summary_from_text(db_column_is_null(st, 0) ? NULL : db_column_text(st, 0));
    db_run(st);
    return o;
}
