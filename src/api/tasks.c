/* tasks.c (api) - the work list and a doctor's decision on a task no record closes by
 * itself (a post-visit call's answers included). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/download.h"
#include "api/handlers.h"
#include "api/outreach.h"
#include "auth/scope.h"
#include "domain/population.h"
#include "domain/task_status.h"
#include "json/jsondump.h"
#include "json/jsonx.h"
#include "store/population.h"
#include "store/work.h"

/* A post-visit call's answers (issue 19): {effect: better|same|worse, adherence:
 * full|partial|none, satisfaction: 1-5, revisit_date?}, the effect required when the call was
 * made (outcome done). Their JSON text in *text (owned), NULL when none were given. */
static int read_call_answers(json_t *body, int done, char **text, struct jy_error *err)
{
    static const char *const EFFECTS[] = {"better", "same", "worse", NULL};
    static const char *const ADHERENCE[] = {"full", "partial", "none", NULL};
    json_t *a = json_object_get(body, "answers");
    *text = NULL;
    if (!a || json_is_null(a))
        return done ? jy_fail(err, 422, "missing_field", "answers.effect", NULL) : 0;
    if (!json_is_object(a)) return jy_fail(err, 422, "invalid_field", "answers", "an object");
    const char *effect = NULL, *adherence = NULL;
    int64_t satisfaction = 0;
    int has_satisfaction = 0, has_revisit = 0;
    struct date revisit;
    if (jx_enum(a, "effect", done ? JX_REQUIRED : JX_OPTIONAL, EFFECTS, &effect, err) < 0 ||
        jx_enum(a, "adherence", JX_OPTIONAL, ADHERENCE, &adherence, err) < 0 ||
        jx_int(a, "satisfaction", JX_OPTIONAL, 1, 5, &satisfaction, &has_satisfaction, err) < 0 ||
        jx_date(a, "revisit_date", JX_OPTIONAL, &revisit, &has_revisit, err) < 0) {
        /* name the field inside answers */
        char field[80];
        snprintf(field, sizeof field, "answers.%s", err->field);
        return jy_fail(err, err->status, err->code, field, NULL);
    }
    json_t *clean = json_object();
    if (effect) json_object_set_new(clean, "effect", json_string(effect));
    if (adherence) json_object_set_new(clean, "adherence", json_string(adherence));
    if (has_satisfaction) json_object_set_new(clean, "satisfaction", json_integer(satisfaction));
    if (has_revisit) {
        char day[11];
        date_format(revisit, day);
        json_object_set_new(clean, "revisit_date", json_string(day));
    }
    *text = jsonx_dumps(clean);
    json_decref(clean);
    return *text ? 0 : jy_fail(err, 500, "internal_error", NULL, NULL);
}

/* POST /tasks/{id}/close {outcome: done|dismissed, note?}: a doctor's decision on a task
 * that no record closes by itself - a confirmed first discovery, an abnormal exam or home
 * reading, an exam conclusion to review. Follow-up, renewal and referral tasks close when
 * their record is made (409 invalid_state naming `kind`), as does a task already closed. */
int handle_task_close(struct request *r)
{
    /* Tasks a person decides or does outside jiayi (a report of missed TB doses made by phone
     * to the county TB institution, PROTOCOLS.md §14), closed by hand. */
    static const char *const DECIDED[] = {
        "first_discovery", "exam_abnormal",   "exam_review", "device_warning",
        "tb_report",       "post_visit_call", NULL};
    static const char *const OUTCOMES[] = {"done", "dismissed", NULL};
    int64_t id, resident = 0;
    if (request_param_id(r, 0, &id) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    const char *outcome = NULL, *note = NULL;
    char kind[32], status[16], *answers = NULL;
    int rc = -1;
    if (jx_enum(body, "outcome", JX_REQUIRED, OUTCOMES, &outcome, &err) < 0 ||
        jx_string(body, "note", JX_OPTIONAL, 500, &note, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    int found = store_task_get(r->db, id, &resident, kind, status);
    if (scope_require_resident_of(r, found < 0 ? found : resident) < 0) goto done;
    int decided = 0;
    for (int i = 0; DECIDED[i]; i++)
        decided |= strcmp(kind, DECIDED[i]) == 0;
    if (!decided || strcmp(status, "open") != 0) {
        rc = reply_problem(r, 409, "invalid_state", decided ? "status" : "kind");
        goto done;
    }
    if (!strcmp(kind, "post_visit_call") &&
        read_call_answers(body, !strcmp(outcome, "done"), &answers, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    if (api_begin(r) < 0) goto done;
    int closed = store_task_close(r->db, id, strcmp(outcome, "done") == 0 ? "done" : "cancelled",
                                  r->user.user_id, note);
    if (closed > 0 && answers && store_task_set_answers(r->db, id, answers) < 0) closed = -1;
    if (closed < 0) {
        rc = api_fail_internal(r, "task close");
        goto done;
    }
    if (closed == 0) { /* closed by another request since we looked */
        api_rollback(r);
        rc = reply_problem(r, 409, "invalid_state", "status");
        goto done;
    }
    if (api_audit(r, "update", "task", id, resident) < 0 || api_commit(r) < 0) goto done;
    json_t *out = json_pack("{s:I, s:I, s:s, s:s, s:s?}", "id", (json_int_t)id, "resident_id",
                            (json_int_t)resident, "kind", kind, "status",
                            strcmp(outcome, "done") == 0 ? "done" : "cancelled", "outcome", note);
    if (answers) json_object_set_new(out, "answers", json_loads(answers, 0, NULL));
    rc = reply_json(r, 200, out);
done:
    free(answers);
    return rc;
}

int handle_worklist(struct request *r)
{
    struct worklist_filter f;
    memset(&f, 0, sizeof f);
    int limit;
    int64_t cursor, total = 0, next = 0, counts[4] = {0};
    if (request_page(r, &limit, &cursor) < 0) return -1;
    f.user_id = r->user.user_id;
    f.today = date_today();
    f.status = -1;
    const char *doctor = request_query(r, "doctor"), *team = request_query(r, "team");
    const char *status = request_query(r, "status"), *as_of = request_query(r, "as_of");
    f.region = request_query(r, "region");
    f.program = request_query(r, "program");
    f.q = request_query(r, "q");
    const char *format = request_query(r, "format");
    enum table_format file_format;
    int file = format && strcmp(format, "json");
    if (file && table_format_parse(format, &file_format) < 0)
        return reply_problem(r, 422, "invalid_field", "format");
    if (f.program && !program_is_known(f.program))
        return reply_problem(r, 422, "invalid_field", "program");
    if (f.q && (!*f.q || jx_utf8_length(f.q) > 50))
        return reply_problem(r, 422, "invalid_field", "q");
    char *end;
    if (doctor && strcmp(doctor, "me") == 0) {
        if (!r->user.staff_id) return reply_problem(r, 422, "invalid_field", "doctor");
        f.doctor_id = r->user.staff_id;
    } else if (doctor) {
        f.doctor_id = strtoll(doctor, &end, 10);
        if (*end || f.doctor_id <= 0) return reply_problem(r, 422, "invalid_field", "doctor");
        if (scope_require_doctor(r, f.doctor_id) < 0) return -1;
    }
    if (team) {
        f.team_id = strtoll(team, &end, 10);
        if (*end || f.team_id <= 0) return reply_problem(r, 422, "invalid_field", "team");
        if (scope_require_team(r, f.team_id) < 0) return -1;
    }
    if (status && (f.status = task_status_parse(status)) < 0)
        return reply_problem(r, 422, "invalid_field", "status");
    if (as_of && date_parse(as_of, &f.today) < 0)
        return reply_problem(r, 422, "invalid_date", "as_of");
    if (f.region && scope_require_region(r, f.region, "region") < 0) return -1;
    if (file) return api_worklist_export(r, &f, file_format); /* the same rows, every page */
    json_t *items = store_worklist(r->db, &f, limit, cursor, &total, &next, counts);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    api_audit_list(r, "worklist", status ? status : "all", items, "resident_id");
    json_t *page = api_page(items, next, total);
    json_object_set_new(page, "counts",
                        json_pack("{s:I, s:I, s:I, s:I}", "upcoming", (json_int_t)counts[0], "due",
                                  (json_int_t)counts[1], "overdue", (json_int_t)counts[2], "missed",
                                  (json_int_t)counts[3]));
    char today[11];
    date_format(f.today, today);
    json_object_set_new(page, "as_of", json_string(today));
    return reply_json(r, 200, page);
}
