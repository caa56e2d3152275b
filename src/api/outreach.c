/* outreach.c (api) - outreach calls on work-list tasks and the work list as a spreadsheet.
 *
 * POST /tasks/{id}/calls {outcome, agreed_date?, status_date?, note?} records one attempt
 * (domain/outreach.h has the rules): reached and no_answer keep the task open, the others
 * end it with the reason the indicators tell apart. A death or a move closes the record as
 * PATCH /residents/{id} {status} does (programmes end, classes are recomputed, counters
 * follow in the same transaction) and ends every open task of the person. */
#include "api/outreach.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "api/download.h"
#include "api/handlers.h"
#include "api/labels.h"
#include "auth/scope.h"
#include "domain/outreach.h"
#include "domain/task_status.h"
#include "json/jsonx.h"
#include "store/outreach.h"
#include "store/residents.h"

int handle_task_call(struct request *r)
{
    int64_t id, resident = 0;
    char kind[32], status[16];
    if (request_param_id(r, 0, &id) < 0) return -1;
    /* The task's person first: a foreign task is refused before its body is looked at. */
    int found = store_task_get(r->db, id, &resident, kind, status);
    if (scope_require_resident_of(r, found < 0 ? found : resident) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    const char *outcome = NULL, *note = NULL;
    struct call_input in;
    struct call_effect effect;
    memset(&in, 0, sizeof in);
    int rc = -1;
    if (jx_enum(body, "outcome", JX_REQUIRED, CALL_OUTCOME_NAMES, &outcome, &err) < 0 ||
        jx_date(body, "agreed_date", JX_OPTIONAL, &in.agreed_date, &in.has_agreed_date, &err) < 0 ||
        jx_date(body, "status_date", JX_OPTIONAL, &in.status_date, &in.has_status_date, &err) < 0 ||
        jx_string(body, "note", JX_OPTIONAL, 500, &note, &err) < 0) {
        return reply_error(r, &err);
    }
    in.outcome = (enum call_outcome)call_outcome_parse(outcome);
    in.called_on = date_today();
    if (call_check(&in, &effect, &err) < 0) {
        return reply_error(r, &err);
    }
    if (api_begin(r) < 0) return rc;
    /* Read again under the writer: a task closed since (a follow-up saved, a colleague's
     * call) takes no more calls. */
    if (store_task_get(r->db, id, &resident, kind, status) < 0) {
        return api_fail_internal(r, "task get");
    }
    if (strcmp(status, "open") != 0) {
        api_rollback(r);
        return reply_problem(r, 409, "invalid_state", "status");
    }
    char called_on[11], agreed[11];
    date_format(in.called_on, called_on);
    if (in.has_agreed_date) date_format(in.agreed_date, agreed);
    struct task_call_input call = {id,
                                   resident,
                                   r->user.user_id,
                                   r->user.staff_id,
                                   outcome,
                                   called_on,
                                   in.has_agreed_date ? agreed : NULL,
                                   note};
    int64_t call_id = store_task_call_insert(r->db, &call);
    if (call_id < 0) {
        return api_fail_internal(r, "task call insert");
    }
    const char *reason = task_end_reason_name(effect.reason);
    int record_closed = 0;
    if (effect.ends_task) {
        char now[16];
        if (store_task_end(r->db, id, reason, r->user.user_id, note) < 0 ||
            (effect.resident_status &&
             (store_resident_tasks_end(r->db, resident, reason, r->user.user_id, note) < 0 ||
              store_resident_status(r->db, resident, now) < 0))) {
            return api_fail_internal(r, "task end");
        }
        /* A death or a move heard on the call closes the record as PATCH /residents/{id}
         * does (contract, programmes, classes); one already closed stays as it is. */
        if (effect.resident_status && strcmp(now, "alive") == 0) {
            char left_on[11];
            date_format(effect.status_date, left_on);
            if (api_resident_depart(r, resident, effect.resident_status, left_on) < 0) return rc;
            record_closed = 1;
        }
    }
    if (api_audit(r, "create", "task_call", call_id, resident) < 0 ||
        (effect.ends_task && api_audit(r, "update", "task", id, resident) < 0) ||
        (record_closed && api_audit(r, "update", "resident", resident, resident) < 0) ||
        api_commit(r) < 0)
        return rc;
    json_t *summary = store_task_call_summary(r->db, id);
    json_t *task = json_pack("{s:I, s:s, s:o, s:o}", "id", (json_int_t)id, "status",
                             effect.ends_task ? "cancelled" : "open", "end_reason",
                             reason ? json_string(reason) : json_null(), "call",
                             summary ? summary : json_null());
    json_t *out = json_pack(
        "{s:I, s:I, s:I, s:s, s:s, s:o, s:o, s:o, s:b}", "id", (json_int_t)call_id, "task_id",
        (json_int_t)id, "resident_id", (json_int_t)resident, "outcome", outcome, "called_on",
        called_on, "agreed_date", in.has_agreed_date ? json_string(agreed) : json_null(), "note",
        note ? json_string(note) : json_null(), "task", task, "record_closed", record_closed);
    rc = reply_json(r, 201, out);
    return rc;
}

static const char *text_of(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

enum { COLUMNS = 16 };
static const char *const HEADERS[2][COLUMNS] = {
    {"应随访日期", "状态", "居民", "性别", "年龄", "电话", "区划代码", "任务", "项目", "最近血压",
     "血压日期", "最近空腹血糖(mmol/L)", "血糖日期", "呼叫次数", "最近呼叫结果", "约定随访日期"},
    {"Due date", "Status", "Resident", "Sex", "Age", "Phone", "Region", "Task", "Programme",
     "Last BP", "BP date", "Last FBG (mmol/L)", "FBG date", "Calls", "Last call", "Agreed visit"},
};

static void write_row(struct table_out *t, json_t *task, int en)
{
    char bp[24] = "";
    json_t *b = json_object_get(task, "last_bp"), *g = json_object_get(task, "last_fbg");
    json_t *call = json_object_get(task, "call");
    if (json_is_object(b))
        snprintf(bp, sizeof bp, "%lld/%lld",
                 (long long)json_integer_value(json_object_get(b, "sbp")),
                 (long long)json_integer_value(json_object_get(b, "dbp")));
    const char *cells[COLUMNS] = {
        text_of(task, "due_date"),
        api_label(text_of(task, "status"), en),
        text_of(task, "resident_name"),
        api_label(text_of(task, "sex"), en),
        NULL,
        text_of(task, "phone"),
        text_of(task, "region"),
        api_label(text_of(task, "kind"), en),
        api_label(json_string_value(json_object_get(task, "program")), en),
        bp,
        json_is_object(b) ? text_of(b, "date") : "",
        NULL,
        json_is_object(g) ? text_of(g, "date") : "",
        NULL,
        json_is_object(call) ? api_label(text_of(call, "last_outcome"), en) : "",
        json_is_object(call) ? text_of(call, "agreed_date") : "",
    };
    for (int c = 0; c < COLUMNS; c++)
        table_text(t, c, cells[c]);
    table_number(t, 4, (double)json_integer_value(json_object_get(task, "age")));
    if (json_is_object(g)) table_number(t, 11, json_number_value(json_object_get(g, "fbg")));
    table_number(
        t, 13,
        json_is_object(call) ? (double)json_integer_value(json_object_get(call, "attempts")) : 0);
}

int api_worklist_export(struct request *r, const struct worklist_filter *f,
                        enum table_format format)
{
    struct table_out *t =
        table_open(format, r->lang_en ? "Work list" : "工作清单", HEADERS[r->lang_en], COLUMNS);
    if (!t) return reply_problem(r, 500, "internal_error", NULL);
    const char *status = f->status >= 0 ? task_status_name((enum task_status)f->status) : "all";
    int64_t cursor = 0, next = 0, counts[4];
    do { /* the same query as the screen, page by page, written as it comes */
        json_t *items = store_worklist(r->db, f, 500, cursor, NULL, &next, counts);
        if (!items) {
            table_discard(t);
            return reply_problem(r, 500, "internal_error", NULL);
        }
        size_t i;
        json_t *task;
        int failed = 0;
        json_array_foreach(items, i, task) {
            write_row(t, task, r->lang_en);
            if (table_end_row(t) < 0) failed = 1;
        }
        /* Everyone in the file was read: one entry per page names them, as for the list. */
        api_audit_list(r, "worklist_export", status, items, "resident_id");
        json_decref(items);
        if (failed) {
            table_discard(t);
            return reply_problem(r, 500, "internal_error", NULL);
        }
        cursor = next;
    } while (next);
    char filename[40], today[11];
    date_format(f->today, today);
    snprintf(filename, sizeof filename, "worklist-%s", today);
    return table_reply(r, t, filename);
}
