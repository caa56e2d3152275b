/* exams.c - annual physical exam results from an exam centre's file, written straight into
 * the record (no re-typing, as Nanquan and Changning do): POST /exams/import takes the CSV,
 * keeps every good row, reports every bad one by row and column, and turns abnormal results
 * into a risk-warning task for the resident's doctor. An ECG or ultrasound conclusion the
 * term lists do not know (domain/conclusion.h) is never taken as normal: with nothing else
 * abnormal it opens a review task, a doctor reading the text named in its note. Rows are
 * committed in chunks so a county's file never holds the writer for long; a file sent
 * again replaces the same resident-and-day results instead of doubling them, so a retry
 * after a failure is safe. Each row uses up the exam's entitlements on the contract in
 * force that day (issue 12); a row replaced gives back what it used and uses again. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/exam_file.h"
#include "api/handlers.h"
#include "auth/scope.h"
#include "http/messages.h"
#include "json/jsonx.h"
#include "store/entitlement_use.h"
#include "store/followups.h"
#include "store/records.h"
#include "store/work.h"

#define CHUNK_ROWS 500
#define MAX_LISTED_ERRORS 1000
#define EXAM_TASK_KIND "exam_abnormal"
#define EXAM_REVIEW_KIND "exam_review" /* a conclusion for a doctor to read */
/* [jiayi] an abnormal result is gone through with the resident, and a conclusion nobody
 * recognised is read, within two weeks */
#define EXAM_TASK_DAYS 14

struct row_error {
    int row;
    const char *field, *code;
};

struct import {
    struct request *r;
    struct protocol_config config;
    struct exam_terms terms;    /* the conclusion term lists in force when the import began */
    struct entitlement_rules rules; /* the services a row uses up, as then in force */
    struct scope_regions scope; /* the importer's grants, checked per row */
    struct date today;
    int64_t import_id;
    struct exam_row chunk[CHUNK_ROWS];
    int pending;
    long accepted, rejected, abnormal, review, tasks, used;
    struct row_error *errors;
    size_t error_count, error_cap;
    int failed; /* a database failure already answered */
};

static void add_error(void *ctx, int row, const char *field, const char *code)
{
    struct import *im = ctx;
    im->rejected++;
    if (im->error_count == im->error_cap) {
        size_t cap = im->error_cap ? im->error_cap * 2 : 64;
        struct row_error *grown = realloc(im->errors, cap * sizeof *grown);
        if (!grown) return;
        im->errors = grown;
        im->error_cap = cap;
    }
    im->errors[im->error_count++] = (struct row_error){row, field, code};
}

static json_t *abnormal_json(exam_abnormal_set set)
{
    json_t *list = json_array();
    for (int a = 0; a < EXAM_ABNORMAL_COUNT; a++)
        if (set & EXAM_BIT(a))
            json_array_append_new(list, json_string(exam_abnormal_code((enum exam_abnormal)a)));
    return list;
}

/* The resident's open task of `kind`, else a new one due on `due` with `note`: one open
 * task of a kind per resident, so a second file joins the task already open. The task's
 * id, or -1 on error. */
static int64_t task_for(struct import *im, const struct record_subject *s, const char *kind,
                        struct date due, const char *note)
{
    int64_t task = store_open_task(im->r->db, s->resident_id, kind);
    if (task) return task;
    char due_text[11];
    date_format(due, due_text);
    struct task_input t = {.resident_id = s->resident_id,
                           .team_id = s->team_id,
                           .doctor_id = s->doctor_id,
                           .kind = kind,
                           .due_date = due_text,
                           .note = note,
                           .county_code = s->county};
    if ((task = store_task_insert(im->r->db, &t)) < 0) return -1;
    im->tasks++;
    return task;
}

/* One row inside the chunk's transaction: 0 stored, 1 rejected, -1 database failure. */
static int store_row(struct import *im, const struct exam_row *row)
{
    struct request *r = im->r;
    struct record_subject s;
    int found = store_record_subject_by_id_number(r->db, row->id_number, &s);
    if (found < 0) return -1;
    if (!found) return add_error(im, row->row, "id_number", "unknown_resident"), 1;
    if (!scope_regions_cover(&im->scope, s.region))
        return add_error(im, row->row, "id_number", "out_of_scope"), 1;
    if (!s.alive) return add_error(im, row->row, "id_number", "not_alive"), 1;
    /* The row was copied into the chunk: point the conclusions at this copy. */
    struct exam_values values = row->values;
    const struct exam_values *v = &values;
    values.ecg = row->ecg[0] ? row->ecg : NULL;
    values.ultrasound = row->ultrasound[0] ? row->ultrasound : NULL;
    struct exam_readings readings;
    exam_abnormal_set set = exam_evaluate(v, &im->config, &im->terms, &readings);
    json_t *codes = abnormal_json(set);
    char date[11], *abnormal = json_dumps(codes, JSON_COMPACT);
    json_decref(codes);
    date_format(row->exam_date, date);
    struct exam_result_input in = {.resident_id = s.resident_id,
                                   .import_id = im->import_id,
                                   .exam_date = date,
                                   .county_code = s.county,
                                   .abnormal = abnormal,
                                   .has_sbp = v->has_sbp,
                                   .sbp = v->sbp,
                                   .has_dbp = v->has_dbp,
                                   .dbp = v->dbp,
                                   .has_fbg = v->has_fbg,
                                   .fbg_tenths = v->fbg_tenths,
                                   .has_tc = v->has_tc,
                                   .tc_hundredths = v->tc_hundredths,
                                   .has_tg = v->has_tg,
                                   .tg_hundredths = v->tg_hundredths,
                                   .has_ldl = v->has_ldl,
                                   .ldl_hundredths = v->ldl_hundredths,
                                   .has_hdl = v->has_hdl,
                                   .hdl_hundredths = v->hdl_hundredths,
                                   .has_height = row->has_height,
                                   .height_cm_tenths = row->height_cm_tenths,
                                   .has_weight = row->has_weight,
                                   .weight_kg_tenths = row->weight_kg_tenths,
                                   .has_bmi = v->has_bmi,
                                   .bmi_tenths = v->bmi_tenths,
                                   .ecg = v->ecg,
                                   .ultrasound = v->ultrasound};
    int64_t id = abnormal ? store_exam_result_upsert(r->db, &in) : -1;
    free(abnormal);
    if (id < 0) return -1;
    /* A re-sent row keeps its id: what the old one used goes back before the new one uses. */
    struct service_record use = {.kind = SOURCE_EXAM,
                                 .date = row->exam_date,
                                 .has_ecg = v->ecg != NULL,
                                 .has_lab = v->has_fbg || v->has_tc || v->has_tg || v->has_ldl || v->has_hdl};
    int used = store_entitlement_undo(r->db, SOURCE_EXAM, id, s.resident_id) < 0
                   ? -1
                   : store_entitlement_use(r->db, &im->rules, s.resident_id, id, 0, &use, NULL);
    if (used < 0) return -1;
    im->used += used;
    im->accepted++;
    if (set & ~EXAM_REVIEW_BITS) im->abnormal++;
    if (set & EXAM_REVIEW_BITS) im->review++;
    int64_t task = 0;
    char note[600];
    if (exam_needs_task(set)) {
        exam_task_note(set, note, sizeof note);
        task = task_for(im, &s, EXAM_TASK_KIND,
                        exam_is_urgent(set) ? im->today : date_add_days(im->today, EXAM_TASK_DAYS),
                        note);
    } else if (exam_needs_review(set)) {
        exam_review_note(set, &readings, note, sizeof note);
        task = task_for(im, &s, EXAM_REVIEW_KIND, date_add_days(im->today, EXAM_TASK_DAYS), note);
    }
    if (task < 0) return -1;
    if (task && store_exam_result_set_task(r->db, id, task) < 0) return -1;
    return api_audit(r, "import", "exam_result", id, s.resident_id) < 0 ? -2 : 0;
}

static int flush(struct import *im)
{
    if (im->pending == 0) return 0;
    if (api_begin(im->r) < 0) return im->failed = 1, -1;
    for (int i = 0; i < im->pending; i++) {
        int rc = store_row(im, &im->chunk[i]);
        if (rc == -2) return im->failed = 1, -1; /* api_audit answered and rolled back */
        if (rc < 0) return im->failed = 1, api_fail_internal(im->r, "exam import");
    }
    im->pending = 0;
    if (api_commit(im->r) < 0) return im->failed = 1, -1;
    return 0;
}

static int take_row(void *ctx, const struct exam_row *row)
{
    struct import *im = ctx;
    im->chunk[im->pending++] = *row;
    return im->pending == CHUNK_ROWS ? flush(im) : 0;
}

static int compare_rows(const void *a, const void *b)
{
    return ((const struct row_error *)a)->row - ((const struct row_error *)b)->row;
}

static json_t *errors_json(struct import *im, int en)
{
    if (im->error_count) qsort(im->errors, im->error_count, sizeof *im->errors, compare_rows);
    json_t *list = json_array();
    for (size_t i = 0; i < im->error_count && i < MAX_LISTED_ERRORS; i++) {
        const struct row_error *e = &im->errors[i];
        json_t *o = json_pack("{s:i, s:s, s:s}", "row", e->row, "code", e->code, "message",
                              message_for(e->code, en));
        json_object_set_new(o, "field", e->field ? json_string(e->field) : json_null());
        json_array_append_new(list, o);
    }
    return list;
}

static int finish(struct import *im, long rows)
{
    struct request *r = im->r;
    if (api_begin(r) < 0) return -1;
    if (store_exam_import_finish(r->db, im->import_id, rows, im->accepted, im->rejected,
                                 im->tasks) < 0)
        return api_fail_internal(r, "exam import");
    return api_commit(r);
}

int handle_exam_import(struct request *r)
{
    const char *source = request_query(r, "source");
    if (!source || !*source) source = "upload";
    if (jx_utf8_length(source) > 100) return reply_problem(r, 422, "invalid_field", "source");
    struct import *im = calloc(1, sizeof *im);
    if (!im) return reply_problem(r, 500, "internal_error", NULL);
    im->r = r;
    im->today = date_today();
    im->config = store_protocol_config(r->db);
    int rc = -1;
    if (store_exam_terms_load(r->db, &im->terms) < 0 || store_entitlement_rules_load(r->db, &im->rules) < 0) {
        rc = reply_problem(r, 500, "internal_error", NULL);
        goto done;
    }
    if (scope_regions_load(r, &im->scope) < 0 || api_begin(r) < 0) goto done;
    if ((im->import_id = store_exam_import_insert(r->db, source, r->user.user_id)) < 0) {
        rc = api_fail_internal(r, "exam import");
        goto done;
    }
    if (api_commit(r) < 0) goto done;
    struct exam_file_sink sink = {take_row, add_error, im};
    struct jy_error err;
    long rows = exam_file_read(r->body, r->body_len, im->today, &sink, &err);
    if (rows == -1) {
        rc = reply_error(r, &err);
        goto done;
    }
    if (rows < 0 || im->failed || flush(im) < 0 || finish(im, rows) < 0) goto done;
    json_t *out = json_pack("{s:I, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:o, s:b}", "import_id",
                            (json_int_t)im->import_id, "source", source, "rows", (int)rows,
                            "accepted", (int)im->accepted, "rejected", (int)im->rejected,
                            "abnormal", (int)im->abnormal, "review", (int)im->review, "tasks",
                            (int)im->tasks, "entitlements_used", (int)im->used, "errors",
                            errors_json(im, r->lang_en), "errors_truncated",
                            im->error_count > MAX_LISTED_ERRORS);
    rc = reply_json(r, 200, out);
done:
    store_exam_terms_free(&im->terms);
    store_entitlement_rules_free(&im->rules);
    free(im->errors);
    free(im);
    return rc;
}

int handle_resident_exams(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_resident(r, id) < 0) return -1;
    return api_reply_resident_items(r, id, "exam_results", store_exam_results_list(r->db, id, 50));
}
