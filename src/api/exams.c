/* exams.c - annual physical exam results from an exam centre's file, written straight into
 * the record (no re-typing, as Nanquan and Changning do): POST /exams/import takes the CSV,
 * keeps every good row, reports every bad one by row and column, and turns abnormal results
 * into a risk-warning task for the resident's doctor. An ECG or ultrasound conclusion the
 * term lists do not know (domain/conclusion.h) is never taken as normal: with nothing else
 * abnormal it opens a review task, a doctor reading the text named in its note.
 *
 * A file is all or nothing, or says exactly what it kept (issue 13). It is read whole
 * first (api/exam_file.h): malformed CSV or a field that is not text anywhere refuses it
 * (422 naming the row and column) before anything is stored. Its rows are then stored in
 * chunks, each one transaction of the shared writer, so a county's file never holds the
 * writer for long; the import's row (migration 014) is updated in every chunk's
 * transaction. Should a chunk fail, the chunks before it stay and the answer is 207 naming
 * the last row kept (a failure in the first chunk stores nothing: the error itself). A file
 * sent again is safe: a row identical to the one stored for that resident and day writes
 * nothing (no second task, delivery or audit entry), a changed one replaces it. Each stored
 * row uses up the exam's entitlements on the contract in force that day (issue 12); a row
 * replaced gives back what it used and uses again.
 *
 * A row naming a resident outside the importer's data scope is answered exactly as a row
 * naming nobody (`unknown_resident`), and nothing more of that resident is read: the answer
 * must not reveal that an ID number is registered in another township. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/exam_file.h"
#include "api/handlers.h"
#include "api/idempotency.h"
#include "auth/scope.h"
#include "http/messages.h"
#include "json/jsondump.h"
#include "json/jsonx.h"
#include "store/entitlement_use.h"
#include "store/followups.h"
#include "store/points.h"
#include "store/records.h"
#include "store/work.h"
#include "util/utf8.h"

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

/* What rows did: of the committed chunks, or of the chunk being stored. */
struct tally {
    long accepted, unchanged, abnormal, review, tasks, used;
};

struct import {
    struct request *r;
    const char *source;
    struct protocol_config config;
    struct exam_terms terms;        /* the conclusion term lists in force when the import began */
    struct entitlement_rules rules; /* the services a row uses up, as then in force */
    struct scope_regions scope;     /* the importer's grants, checked per row */
    struct date today;
    long rows;         /* data rows in the file */
    int64_t import_id; /* 0 until a chunk has committed it */
    struct exam_row chunk[CHUNK_ROWS];
    int pending;
    int last_row;             /* the last file row handed over, kept or rejected */
    int stored_to_row;        /* every row up to this one is durably kept or rejected */
    struct tally kept;        /* the committed chunks' */
    struct tally *tally;      /* where store_row counts: the chunk being stored */
    struct row_error *errors; /* the rejected rows, those after stored_to_row included */
    size_t error_count, error_cap;
    size_t kept_errors; /* error_count when the last chunk committed */
    int out_of_memory;
    int failed;         /* a chunk failed and its failure is answered; later rows were not stored */
    int failure_status; /* that answer's status (500, or 503 when the writer was unavailable) */
};

static void add_error(void *ctx, int row, const char *field, const char *code)
{
    struct import *im = ctx;
    if (row > im->last_row) im->last_row = row;
    if (im->error_count == im->error_cap) {
        size_t cap = im->error_cap ? im->error_cap * 2 : 64;
        struct row_error *grown = realloc(im->errors, cap * sizeof *grown);
        if (!grown) {
            im->out_of_memory = 1; /* the import stops: the list must stay exact */
            return;
        }
        im->errors = grown;
        im->error_cap = cap;
    }
    im->errors[im->error_count++] = (struct row_error){row, field, code};
}

static int in_scope(const char *region, void *ctx)
{
    return scope_regions_cover(ctx, region);
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
    im->tally->tasks++;
    return task;
}

/* One row inside the chunk's transaction: 0 kept (stored or unchanged), 1 rejected, -1
 * database failure, -2 database failure already answered. */
static int store_row(struct import *im, const struct exam_row *row)
{
    struct request *r = im->r;
    struct tally *t = im->tally;
    struct record_subject s;
    int found = store_record_subject_by_id_number(r->db, row->id_number, in_scope, &im->scope, &s);
    if (found < 0) return -1;
    /* Outside the scope reads as nobody: same code, same message (privacy, issue 13). */
    if (!found) return add_error(im, row->row, "id_number", "unknown_resident"), 1;
    if (!s.alive) return add_error(im, row->row, "id_number", "not_alive"), 1;
    /* The row was copied into the chunk: point the conclusions at this copy. */
    struct exam_values values = row->values;
    const struct exam_values *v = &values;
    values.ecg = row->ecg[0] ? row->ecg : NULL;
    values.ultrasound = row->ultrasound[0] ? row->ultrasound : NULL;
    struct exam_readings readings;
    exam_abnormal_set set = exam_evaluate(v, &im->config, &im->terms, &readings);
    json_t *codes = abnormal_json(set);
    char date[11], *abnormal = jsonx_dumps(codes);
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
                                   .has_hba1c = row->has_hba1c,
                                   .hba1c_tenths = row->hba1c_tenths,
                                   .ecg = v->ecg,
                                   .ultrasound = v->ultrasound};
    int64_t id = abnormal ? store_exam_result_upsert(r->db, &in) : -1;
    free(abnormal);
    if (id < 0) return -1;
    t->accepted++;
    if (set & ~EXAM_REVIEW_BITS) t->abnormal++;
    if (set & EXAM_REVIEW_BITS) t->review++;
    if (id == 0) { /* the same results as stored: the row is already what it says */
        t->unchanged++;
        return 0;
    }
    /* A re-sent row keeps its id: what the old one used goes back before the new one uses. */
    struct service_record use = {.kind = SOURCE_EXAM,
                                 .date = row->exam_date,
                                 .has_ecg = v->ecg != NULL,
                                 .has_lab = v->has_fbg || v->has_tc || v->has_tg || v->has_ldl ||
                                            v->has_hdl};
    int used = store_entitlement_undo(r->db, SOURCE_EXAM, id, s.resident_id) < 0
                   ? -1
                   : store_entitlement_use(r->db, &im->rules, s.resident_id, id, 0, &use, NULL);
    if (used < 0) return -1;
    t->used += used;
    /* Health points (issue 16): a check-up earns once per resident and exam day, a re-sent
     * or corrected row nothing more. */
    char points_key[64];
    snprintf(points_key, sizeof points_key, "exam:%lld:%s", (long long)s.resident_id, date);
    if (store_points_award(r->db, s.resident_id, "exam_done", points_key, date) < 0) return -1;
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

static struct exam_import_progress progress_of(const struct import *im, const struct tally *t,
                                               const char *status)
{
    return (struct exam_import_progress){.status = status,
                                         .rows = im->rows,
                                         .accepted = t->accepted,
                                         .rejected = (long)im->error_count,
                                         .unchanged = t->unchanged,
                                         .tasks = t->tasks,
                                         .stored_to_row = im->last_row};
}

/* A chunk failed (its failure answered, its transaction rolled back): its rows and every
 * row after stored_to_row are not stored and not reported. Returns -1. */
static int chunk_failed(struct import *im)
{
    im->failed = 1;
    im->failure_status = im->r->status;
    im->pending = 0;
    im->error_count = im->kept_errors;
    if (im->stored_to_row == 0) im->import_id = 0; /* its row went with the transaction */
    return -1;
}

/* Stores the pending rows in one transaction of the shared writer, the import's row (first
 * written here with the first chunk) updated in the same transaction; `last`: the file is
 * done. 0, or -1 with the failure answered. */
static int store_chunk(struct import *im, int last)
{
    struct request *r = im->r;
    struct tally t = im->kept;
    im->tally = &t;
    if (api_begin(r) < 0) return chunk_failed(im);
    if (!im->import_id &&
        (im->import_id = store_exam_import_insert(r->db, im->source, r->user.user_id)) < 0)
        return api_fail_internal(r, "exam import"), chunk_failed(im);
    for (int i = 0; i < im->pending; i++) {
        int rc = store_row(im, &im->chunk[i]);
        if (rc == -2) return chunk_failed(im); /* api_audit answered and rolled back */
        if (rc < 0) return api_fail_internal(r, "exam import"), chunk_failed(im);
    }
    if (im->out_of_memory) /* a rejection could not be listed: the list must stay exact */
        return api_fail_internal(r, "exam import (out of memory)"), chunk_failed(im);
    struct exam_import_progress p = progress_of(im, &t, last ? "complete" : "running");
    if (store_exam_import_progress(r->db, im->import_id, &p) < 0)
        return api_fail_internal(r, "exam import"), chunk_failed(im);
    if (api_commit(r) < 0) return chunk_failed(im);
    im->kept = t;
    im->stored_to_row = im->last_row;
    im->kept_errors = im->error_count;
    im->pending = 0;
    return 0;
}

/* A good row: stored with its chunk. The chunk is stored when the next row arrives, so the
 * last one is stored together with the import's completion. */
static int take_row(void *ctx, const struct exam_row *row)
{
    struct import *im = ctx;
    if (im->out_of_memory || (im->pending == CHUNK_ROWS && store_chunk(im, 0) < 0)) return -1;
    im->chunk[im->pending++] = *row;
    im->last_row = row->row;
    return 0;
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

/* The answer: 200 when every row was examined, 207 when a chunk failed after others were
 * kept (`complete` false, `failure` the failure's code; rows after stored_to_row were not
 * stored, and sending the file again is safe). */
static int reply_summary(struct import *im)
{
    struct request *r = im->r;
    const char *failure = im->failure_status == 503 ? "unavailable" : "internal_error";
    json_t *out = json_pack(
        "{s:I, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:o, s:b, s:b, s:i}", "import_id",
        (json_int_t)im->import_id, "source", im->source, "rows", (int)im->rows, "accepted",
        (int)im->kept.accepted, "rejected", (int)im->error_count, "unchanged",
        (int)im->kept.unchanged, "abnormal", (int)im->kept.abnormal, "review", (int)im->kept.review,
        "tasks", (int)im->kept.tasks, "entitlements_used", (int)im->kept.used, "errors",
        errors_json(im, r->lang_en), "errors_truncated", im->error_count > MAX_LISTED_ERRORS,
        "complete", !im->failed, "stored_to_row", im->stored_to_row);
    if (out && im->failed)
        json_object_set_new(
            out, "failure",
            json_pack("{s:s, s:s}", "code", failure, "message", message_for(failure, r->lang_en)));
    return reply_json(r, im->failed ? 207 : 200, out);
}

/* After a failed chunk with earlier ones kept: the import's row says 'partial' (best
 * effort; should this fail too it stays 'running', which says the same of a crash). */
static void mark_partial(struct import *im)
{
    struct request *r = im->r;
    struct exam_import_progress p = progress_of(im, &im->kept, "partial");
    p.stored_to_row = im->stored_to_row;
    if (api_begin(r) < 0) return;
    if (store_exam_import_progress(r->db, im->import_id, &p) < 0) {
        api_rollback(r);
        return;
    }
    api_commit(r);
}

int handle_exam_import(struct request *r)
{
    const char *source = request_query(r, "source");
    if (!source || !*source) source = "upload";
    if (!utf8_valid(source, strlen(source)) || jx_utf8_length(source) > 100)
        return reply_problem(r, 422, "invalid_field", "source");
    /* The whole file is checked before anything is loaded or stored. */
    struct jy_error err;
    struct exam_file *file = exam_file_open(r->body, r->body_len, &err);
    if (!file) return reply_error(r, &err);
    struct import *im = calloc(1, sizeof *im);
    if (!im) {
        exam_file_close(file);
        return reply_problem(r, 500, "internal_error", NULL);
    }
    im->r = r;
    im->source = source;
    im->rows = exam_file_rows(file);
    im->last_row = 1; /* the header */
    im->today = date_today();
    im->config = store_protocol_config(r->db);
    int rc = -1;
    if (store_exam_terms_load(r->db, &im->terms) < 0 ||
        store_entitlement_rules_load(r->db, &im->rules) < 0) {
        rc = reply_problem(r, 500, "internal_error", NULL);
        goto done;
    }
    if (scope_regions_load_or_reply(r, &im->scope) < 0) goto done;
    idempotency_chunked(r); /* a chunk a transaction: the key's answer is kept after the last */
    struct exam_file_sink sink = {take_row, add_error, im};
    long seen = exam_file_read(file, im->today, &sink, &err);
    if (!im->failed && (seen == -1 || im->out_of_memory)) {
        /* Out of memory: nothing after the last chunk is stored; said as for a failed chunk. */
        if (seen == -1)
            reply_error(r, &err);
        else
            reply_problem(r, 500, "internal_error", NULL);
        chunk_failed(im);
    }
    if (!im->failed) store_chunk(im, 1);
    if (im->failed && im->stored_to_row == 0) goto done; /* nothing stored: the error stands */
    if (im->failed) mark_partial(im);
    rc = reply_summary(im);
done:
    exam_file_close(file);
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
