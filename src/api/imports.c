/* imports.c - the bulk import engine (see imports.h): the file checked whole, rows parsed
 * and stored in chunks by their kind (api/import_kind.h), each chunk one transaction with
 * the import's progress, its rejected rows, one audit entry naming every person it wrote,
 * and the indicators: new residents are left to the tracker's bulk count (kpi_count_new
 * over their ids, one statement per kind of fact for the whole chunk) rather than loaded
 * one by one; changes to people already there are followed by the tracker as any write. */
#include "api/imports.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/import_kind.h"
#include "auth/audit.h"
#include "domain/id_number.h"
#include "json/jsonx.h"
#include "kpi/kpi.h"
#include "store/imports.h"
#include "store/residents.h"
#include "util/log.h"

/* Rows a chunk (one transaction): the indicator counters are written once a chunk, for every
 * place and period its people touch, so larger chunks write fewer counter rows per person
 * (1,000,000 residents: 73.7 us a row in chunks of 20,000, 53.2 in chunks of 50,000; the
 * chunk's rows take about 44 MB for a residents file). JIAYI_IMPORT_CHUNK_ROWS changes it
 * (the tests make files of a few rows span several chunks). */
#define CHUNK_ROWS_DEFAULT 50000

static long chunk_rows(void)
{
    const char *text = getenv("JIAYI_IMPORT_CHUNK_ROWS");
    long n = text ? strtol(text, NULL, 10) : 0;
    return n >= 1 && n <= 1000000 ? n : CHUNK_ROWS_DEFAULT;
}

static const struct import_kind *const KINDS[] = {&IMPORT_RESIDENTS, &IMPORT_DIAGNOSES,
                                                  &IMPORT_ENROLMENTS, &IMPORT_ENCOUNTERS,
                                                  &IMPORT_FOLLOWUPS};

static const struct import_kind *kind_of(const char *name)
{
    for (size_t i = 0; name && i < sizeof KINDS / sizeof KINDS[0]; i++)
        if (!strcmp(KINDS[i]->name, name)) return KINDS[i];
    return NULL;
}

int import_kind_known(const char *kind)
{
    return kind_of(kind) != NULL;
}

enum action import_kind_action(const char *kind)
{
    const struct import_kind *k = kind_of(kind);
    return k ? k->action : ACT_RESIDENT_WRITE;
}

struct reject {
    int row;
    const char *field, *code;
};

struct job {
    const struct import_kind *kind;
    const struct import_request *req;
    const struct import_io *io;
    struct import_ctx ic;
    int all_or_nothing;
    char sha256[65];
    struct db *db; /* the chunk's, between begin and commit */
    int64_t import_id;
    long total_rows;
    /* the rows waiting to be stored */
    unsigned char *rows;
    int pending;
    long chunk_rows; /* rows a chunk (chunk_rows()) */
    int last_row;    /* the last file row handed over */
    /* what the committed chunks did, and what the open one does */
    struct import_progress kept, open;
    struct reject *rejects;
    size_t n_rejects, cap_rejects, kept_rejects;
    int64_t *written; /* the people the open chunk wrote */
    size_t n_written, cap_written;
    struct kpi_bulk *bulk; /* the indicators' working memory, from chunk to chunk */
    int failed;
    struct jy_error err;
};

static int add_reject(struct job *j, int row, const char *field, const char *code)
{
    if (j->n_rejects == j->cap_rejects) {
        size_t cap = j->cap_rejects ? j->cap_rejects * 2 : 256;
        struct reject *grown = realloc(j->rejects, cap * sizeof *grown);
        if (!grown) return -1;
        j->rejects = grown;
        j->cap_rejects = cap;
    }
    j->rejects[j->n_rejects++] = (struct reject){row, field, code};
    j->open.rejected++;
    return 0;
}

static int add_written(struct job *j, int64_t id)
{
    if (j->n_written == j->cap_written) {
        size_t cap = j->cap_written ? j->cap_written * 2 : 1024;
        int64_t *grown = realloc(j->written, cap * sizeof *grown);
        if (!grown) return -1;
        j->written = grown;
        j->cap_written = cap;
    }
    j->written[j->n_written++] = id;
    return 0;
}

static int compare_ids(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The chunk's new residents into the counters, a run of consecutive ids at a time (on
 * PostgreSQL another server may have registered someone between two of ours). */
static int count_new_residents(struct job *j, int64_t *ids, size_t n)
{
    qsort(ids, n, sizeof *ids, compare_ids);
    for (size_t i = 0; i < n;) {
        size_t k = i;
        while (k + 1 < n && ids[k + 1] == ids[k] + 1)
            k++;
        if (kpi_count_new(j->db, j->bulk, ids[i], ids[k]) < 0) return -1;
        i = k + 1;
    }
    return 0;
}

static int fail(struct job *j, int status, const char *what)
{
    if (!j->failed)
        jy_fail(&j->err, status, status == 503 ? "unavailable" : "internal_error", NULL, "%s",
                what);
    j->failed = 1;
    return -1;
}

/* Opens the chunk's transaction (a chunk of an all-or-nothing import shares the first's),
 * with the import's row written in the first. 0 or -1. */
static int chunk_begin(struct job *j)
{
    if (j->db) return 0;
    if (!(j->db = j->io->begin(j->io->ctx))) return fail(j, 503, "no writer");
    if (!j->import_id && (j->import_id = store_import_insert(
                              j->db, j->kind->name, j->req->source, j->sha256,
                              j->all_or_nothing ? "all" : "good", j->req->who->user_id)) < 0)
        return fail(j, 500, "import row");
    return 0;
}

/* Stores the pending rows. With `last`, the file is done. 0 or -1 (the failure in j->err). */
static int store_chunk(struct job *j, int last)
{
    if (chunk_begin(j) < 0) return -1;
    struct db *db = j->db;
    /* New residents are counted together at the end of the chunk: every id above those
     * already registered is left out of the tracker meanwhile. */
    int64_t first_new = 0;
    if (j->kind->creates_residents) {
        if ((first_new = store_resident_next_id(db)) < 0) return fail(j, 500, "next resident id");
        db_track_untracked_from(db, first_new);
    }
    j->n_written = 0;
    for (int i = 0; i < j->pending; i++) {
        const void *row = j->rows + (size_t)i * j->kind->row_size;
        const char *field = NULL, *code = NULL;
        int64_t person = 0;
        int rc = j->kind->store(&j->ic, db, row, &person, &field, &code);
        if (rc < 0) return fail(j, 500, "import row store");
        if (rc == ROW_UNCHANGED) j->open.unchanged++;
        if (rc == ROW_ACCEPTED) {
            j->open.accepted++;
            if (person && add_written(j, person) < 0) return fail(j, 500, "out of memory");
        }
        if (rc == ROW_REJECTED && add_reject(j, *(const int *)row, field, code) < 0)
            return fail(j, 500, "out of memory");
    }
    int64_t lo = 0, hi = 0;
    for (size_t i = 0; i < j->n_written; i++) {
        if (j->written[i] < first_new) continue; /* not a new resident */
        if (!lo || j->written[i] < lo) lo = j->written[i];
        if (j->written[i] > hi) hi = j->written[i];
    }
    if (j->kind->settle && j->kind->settle(&j->ic, db, lo, hi) < 0)
        return fail(j, 500, "import settle");
    if (j->kind->creates_residents && j->n_written &&
        count_new_residents(j, j->written, j->n_written) < 0)
        return fail(j, 500, "indicator counters");
    db_track_all(db);
    char at[32], resource_id[64];
    audit_now(at);
    snprintf(resource_id, sizeof resource_id, "import:%lld", (long long)j->import_id);
    if (j->n_written &&
        audit_append_subjects_at(db, j->req->who, j->req->request_id, "import", j->kind->resource,
                                 resource_id, j->written, j->n_written, at) < 0)
        return fail(j, 500, "audit");
    /* The rows rejected since the last chunk, parsed or stored (the file's order is restored
     * when they are listed). */
    for (size_t i = j->kept_rejects; i < j->n_rejects; i++)
        if (store_import_reject(db, j->import_id, j->rejects[i].row, j->rejects[i].field,
                                j->rejects[i].code) < 0)
            return fail(j, 500, "import rejects");
    j->open.rows = j->total_rows;
    j->open.stored_to_row = j->last_row;
    j->open.status =
        last ? (j->all_or_nothing && j->open.rejected ? "rejected" : "complete") : "running";
    if (store_import_progress(db, j->import_id, &j->open) < 0)
        return fail(j, 500, "import progress");
    j->pending = 0;
    if (j->all_or_nothing && !last) return 0;            /* one transaction for the whole file */
    if (j->all_or_nothing && j->open.rejected) return 0; /* rolled back by the caller */
    j->db = NULL;
    if (j->io->commit(j->io->ctx) < 0) return fail(j, 500, "commit");
    j->kept = j->open;
    j->kept_rejects = j->n_rejects;
    if (j->io->progress) j->io->progress(j->io->ctx, j->last_row - 1, j->total_rows);
    return 0;
}

static int on_record(void *ctx, const struct csv_record *rec)
{
    struct job *j = ctx;
    if (j->failed) return -1;
    j->last_row = rec->row;
    const char *field = NULL, *code = NULL;
    void *row = j->rows + (size_t)j->pending * j->kind->row_size;
    int rc = j->kind->parse(&j->ic, rec, row, &field, &code);
    if (rc < 0) return fail(j, 500, "import parse");
    if (rc > 0) return add_reject(j, rec->row, field, code) < 0 ? fail(j, 500, "out of memory") : 0;
    if (++j->pending == j->chunk_rows) return store_chunk(j, 0);
    return 0;
}

static int compare_rejects(const void *a, const void *b)
{
    return ((const struct reject *)a)->row - ((const struct reject *)b)->row;
}

/* An all-or-nothing import that kept nothing: its row and rejects, in a transaction of their own.
 */
static int record_refusal(struct job *j)
{
    struct import_progress p = j->open;
    p.accepted = p.unchanged = 0;
    memset(&j->open, 0, sizeof j->open);
    j->import_id = 0;
    j->kept_rejects = 0;
    if (chunk_begin(j) < 0) return -1;
    for (size_t i = 0; i < j->n_rejects; i++)
        if (store_import_reject(j->db, j->import_id, j->rejects[i].row, j->rejects[i].field,
                                j->rejects[i].code) < 0)
            return fail(j, 500, "import rejects");
    p.status = "rejected";
    if (store_import_progress(j->db, j->import_id, &p) < 0) return fail(j, 500, "import progress");
    j->db = NULL;
    if (j->io->commit(j->io->ctx) < 0) return fail(j, 500, "commit");
    j->open = j->kept = p;
    return 0;
}

int import_run(struct db *reader, const struct import_request *req, const struct import_io *io,
               struct import_result *out, struct jy_error *err)
{
    memset(out, 0, sizeof *out);
    const struct import_kind *kind = kind_of(req->kind);
    if (!kind) return jy_fail(err, 422, "invalid_field", "kind", IMPORT_KINDS);
    if (!req->mode || (strcmp(req->mode, "all") && strcmp(req->mode, "good")))
        return jy_fail(err, 422, "invalid_field", "mode", "all or good");
    struct csv_table *table = csv_table_open(kind->spec, req->data, req->len, err);
    if (!table) return -1;
    struct job *j = calloc(1, sizeof *j);
    if (j) j->chunk_rows = chunk_rows();
    if (!j || !(j->rows = malloc((size_t)j->chunk_rows * kind->row_size)) ||
        !(j->bulk = kpi_bulk_new())) {
        if (j) free(j->rows);
        free(j);
        csv_table_close(table);
        return jy_fail(err, 500, "internal_error", NULL, "out of memory");
    }
    j->kind = kind;
    j->req = req;
    j->io = io;
    j->ic.req = req;
    j->all_or_nothing = !strcmp(req->mode, "all");
    j->total_rows = csv_table_rows(table);
    j->last_row = 1;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, (const unsigned char *)req->data, req->len);
    sodium_bin2hex(j->sha256, sizeof j->sha256, digest, sizeof digest);
    int rc = -1;
    if (kind->prepare && kind->prepare(&j->ic, reader) < 0) {
        fail(j, 500, "import lookups");
    } else {
        long seen = csv_table_read(table, on_record, j, &j->err);
        if (seen == -1) j->failed = 1;
        if (!j->failed) store_chunk(j, 1);
    }
    if (j->db &&
        (j->failed || (j->all_or_nothing && j->open.rejected))) { /* the open transaction goes */
        j->db = NULL;
        io->rollback(io->ctx);
    }
    if (!j->failed && j->all_or_nothing && j->open.rejected) record_refusal(j);
    if (j->failed && !j->kept.status) { /* nothing kept: the failure is the answer */
        *err = j->err;
    } else {
        if (j->failed) { /* chunks were kept: the import says so (best effort) */
            j->kept.status = "partial";
            struct db *db = io->begin(io->ctx);
            if (db && store_import_progress(db, j->import_id, &j->kept) == 0)
                io->commit(io->ctx);
            else if (db)
                io->rollback(io->ctx);
        }
        if (j->kept_rejects)
            qsort(j->rejects, j->kept_rejects, sizeof *j->rejects, compare_rejects);
        out->import_id = j->import_id;
        out->status = j->kept.status;
        out->rows = j->total_rows;
        out->accepted = j->kept.accepted;
        out->unchanged = j->kept.unchanged;
        out->rejected = j->kept.rejected;
        out->stored_to_row = j->kept.stored_to_row;
        out->errors = json_array();
        for (size_t i = 0; i < j->kept_rejects && i < IMPORT_MAX_LISTED; i++) {
            json_t *e =
                json_pack("{s:i, s:s}", "row", j->rejects[i].row, "code", j->rejects[i].code);
            json_object_set_new(
                e, "field", j->rejects[i].field ? json_string(j->rejects[i].field) : json_null());
            json_array_append_new(out->errors, e);
        }
        out->errors_truncated = j->kept_rejects > IMPORT_MAX_LISTED;
        rc = 0;
    }
    if (kind->cleanup) kind->cleanup(&j->ic);
    csv_table_close(table);
    free(j->rows);
    kpi_bulk_free(j->bulk);
    free(j->rejects);
    free(j->written);
    free(j);
    return rc;
}

/* ---- rows about a registered person ------------------------------------------------- */

int import_parse_person(const struct import_ctx *ic, const struct csv_record *rec,
                        struct import_person_ref *p, const char *const (*headers)[6],
                        const char **field, const char **code)
{
    struct id_number_info id;
    struct jy_error ignored;
    memset(p, 0, sizeof *p);
    p->row = rec->row;
    *field = NULL;
    if (rec->overflow)
        *field = headers[rec->overflow - 1][0], *code = "too_long";
    else if (!rec->present[IMPORT_COL_ID_NUMBER])
        *field = "id_number", *code = "missing_field";
    else if (id_number_parse(rec->field[IMPORT_COL_ID_NUMBER], ic->req->today, "id_number", &id,
                             &ignored) < 0)
        *field = "id_number", *code = "invalid_id_number";
    else if (jx_utf8_length(rec->field[IMPORT_COL_NAME]) > 50)
        *field = "name", *code = "too_long";
    if (*field) return 1;
    memcpy(p->id_number, id.normalized, sizeof p->id_number);
    p->birth = id.birth_date;
    snprintf(p->name, sizeof p->name, "%s", rec->field[IMPORT_COL_NAME]);
    return 0;
}

int import_find_person(const struct import_ctx *ic, struct db *db,
                       const struct import_person_ref *p, struct import_person *out,
                       const char **field, const char **code)
{
    int found = store_import_person(db, p->id_number, out);
    if (found < 0) return -1;
    if (!found || (ic->req->scope && !scope_regions_cover(ic->req->scope, out->region))) {
        *field = "id_number";
        *code = "unknown_resident";
        return 0;
    }
    if (p->name[0] && strcmp(p->name, out->name)) {
        *field = "name";
        *code = "name_mismatch";
        return 0;
    }
    return 1;
}

const char *import_code_of(const char *text, const char *const (*codes)[6], size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (int j = 0; codes[i][j]; j++)
            if (!strcmp(text, codes[i][j])) return codes[i][0];
    return NULL;
}
