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
        rc = reply_error(r, &err);
        goto done;
    }
    in.outcome = (enum call_outcome)call_outcome_parse(outcome);
    in.called_on = date_today();
    if (call_check(&in, &effect, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    if (api_begin(r) < 0) goto done;
    /* Read again under the writer: a task closed since (a follow-up saved, a colleague's
     * call) takes no more calls. */
    if (store_task_get(r->db, id, &resident, kind, status) < 0) {
        rc = api_fail_internal(r, "task get");
        goto done;
    }
    if (strcmp(status, "open") != 0) {
        api_rollback(r);
        rc = reply_problem(r, 409, "invalid_state", "status");
        goto done;
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
        rc = api_fail_internal(r, "task call insert");
        goto done;
    }
    const char *reason = task_end_reason_name(effect.reason);
    int record_closed = 0;
    if (effect.ends_task) {
        char now[16];
        if (store_task_end(r->db, id, reason, r->user.user_id, note) < 0 ||
            (effect.resident_status &&
             (store_resident_tasks_end(r->db, resident, reason, r->user.user_id, note) < 0 ||
              store_resident_status(r->db, resident, now) < 0))) {
            rc = api_fail_internal(r, "task end");
            goto done;
        }
        /* A death or a move heard on the call closes the record as PATCH /residents/{id}
         * does (contract, programmes, classes); one already closed stays as it is. */
        if (effect.resident_status && strcmp(now, "alive") == 0) {
            char left_on[11];
            date_format(effect.status_date, left_on);
            if (api_resident_depart(r, resident, effect.resident_status, left_on) < 0) goto done;
            record_closed = 1;
        }
    }
    if (api_audit(r, "create", "task_call", call_id, resident) < 0 ||
        (effect.ends_task && api_audit(r, "update", "task", id, resident) < 0) ||
        (record_closed && api_audit(r, "update", "resident", resident, resident) < 0) ||
        api_commit(r) < 0)
        goto done;
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
done:
    json_decref(body);
    return rc;
}

/* Spreadsheet labels: the UI's words for the codes a row carries (web/js/i18n*.js). */
struct code_label {
    const char *code, *zh, *en;
};
static const struct code_label LABELS[] = {
    {"upcoming", "未到期", "Upcoming"},
    {"due", "待办", "Due"},
    {"overdue", "逾期", "Overdue"},
    {"missed", "漏访", "Missed"},
    {"followup", "随访", "Follow-up"},
    {"first_discovery", "首获核实", "Check a flagged person"},
    {"renewal", "续约", "Renewal"},
    {"referral_confirm", "确认转诊就诊", "Confirm referral seen"},
    {"referral_return", "接收转诊回转", "Take over a returned referral"},
    {"exam_abnormal", "体检异常", "Abnormal exam"},
    {"exam_review", "体检结论待判读", "Exam conclusion to review"},
    {"device_warning", "居家监测预警", "Home reading alert"},
    {"hypertension", "高血压", "Hypertension"},
    {"diabetes", "2型糖尿病", "Type 2 diabetes"},
    {"smd", "严重精神障碍", "Severe mental disorder"},
    {"tb", "肺结核", "Tuberculosis"},
    {"copd", "慢阻肺", "COPD"},
    {"elderly", "65岁及以上老年人", "Elderly 65+"},
    {"child", "0–6岁儿童", "Children 0–6"},
    {"maternal", "孕产妇", "Maternal"},
    {"reached", "已接通", "Reached"},
    {"no_answer", "无人接听", "No answer"},
    {"wrong_number", "号码错误", "Wrong number"},
    {"moved", "已迁出", "Moved away"},
    {"died", "已死亡", "Died"},
    {"refused", "拒绝随访", "Refused"},
    {"M", "男", "Male"},
    {"F", "女", "Female"},
};

static const char *label_of(const char *code, int en)
{
    if (!code) return "";
    for (size_t i = 0; i < sizeof LABELS / sizeof *LABELS; i++)
        if (strcmp(LABELS[i].code, code) == 0) return en ? LABELS[i].en : LABELS[i].zh;
    return code;
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

static void write_row(lxw_worksheet *ws, lxw_row_t line, json_t *task, int en)
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
        label_of(text_of(task, "status"), en),
        text_of(task, "resident_name"),
        label_of(text_of(task, "sex"), en),
        NULL,
        text_of(task, "phone"),
        text_of(task, "region"),
        label_of(text_of(task, "kind"), en),
        label_of(json_string_value(json_object_get(task, "program")), en),
        bp,
        json_is_object(b) ? text_of(b, "date") : "",
        NULL,
        json_is_object(g) ? text_of(g, "date") : "",
        NULL,
        json_is_object(call) ? label_of(text_of(call, "last_outcome"), en) : "",
        json_is_object(call) ? text_of(call, "agreed_date") : "",
    };
    for (int c = 0; c < COLUMNS; c++)
        if (cells[c] && cells[c][0]) worksheet_write_string(ws, line, (lxw_col_t)c, cells[c], NULL);
    worksheet_write_number(ws, line, 4, (double)json_integer_value(json_object_get(task, "age")),
                           NULL);
    if (json_is_object(g))
        worksheet_write_number(ws, line, 11, json_number_value(json_object_get(g, "fbg")), NULL);
    worksheet_write_number(
        ws, line, 13,
        json_is_object(call) ? (double)json_integer_value(json_object_get(call, "attempts")) : 0,
        NULL);
}

int api_worklist_xlsx(struct request *r, const struct worklist_filter *f)
{
    json_t *all = json_array();
    int64_t cursor = 0, total = 0, next = 0, counts[4];
    do { /* the same query as the screen, page by page */
        json_t *items = store_worklist(r->db, f, 500, cursor, &total, &next, counts);
        if (!items) {
            json_decref(all);
            return reply_problem(r, 500, "internal_error", NULL);
        }
        if (total > WORKLIST_EXPORT_MAX) {
            json_decref(items);
            json_decref(all);
            return reply_problem(r, 422, "too_many_rows", "status");
        }
        json_array_extend(all, items);
        json_decref(items);
        cursor = next;
    } while (next);
    char path[] = "/tmp/jiayi-worklist-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        json_decref(all);
        return reply_problem(r, 500, "internal_error", NULL);
    }
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws =
        wb ? workbook_add_worksheet(wb, r->lang_en ? "Work list" : "工作清单") : NULL;
    if (!ws) {
        if (wb) workbook_close(wb);
        unlink(path);
        json_decref(all);
        return reply_problem(r, 500, "internal_error", NULL);
    }
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    for (int c = 0; c < COLUMNS; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, HEADERS[r->lang_en][c], bold);
    size_t i;
    json_t *task;
    json_array_foreach(all, i, task) write_row(ws, (lxw_row_t)(i + 1), task, r->lang_en);
    worksheet_set_column(ws, 0, 0, 12, NULL);
    worksheet_set_column(ws, 2, 2, 12, NULL);
    worksheet_set_column(ws, 5, 6, 14, NULL);
    worksheet_freeze_panes(ws, 1, 0);
    /* Everyone in the file was read: one entry names them all, as for the list itself. */
    const char *status = f->status >= 0 ? task_status_name((enum task_status)f->status) : "all";
    api_audit_list(r, "worklist_export", status, all, "resident_id");
    json_decref(all);
    char filename[40], today[11];
    date_format(f->today, today);
    snprintf(filename, sizeof filename, "worklist-%s", today);
    return api_reply_workbook(r, wb, path, filename);
}
