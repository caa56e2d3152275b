/* import_kind.h - what api/imports.c asks of each kind of file it imports (private to the
 * imports: api/imports.c and api/import_*.c). */
#ifndef JIAYI_API_IMPORT_KIND_H
#define JIAYI_API_IMPORT_KIND_H

#include "api/csv_table.h"
#include "api/imports.h"

struct import_ctx {
    const struct import_request *req;
    void *state; /* the kind's own */
};

/* Outcomes of storing one row. */
enum { ROW_ACCEPTED = 0, ROW_UNCHANGED = 1, ROW_REJECTED = 2 };

struct import_kind {
    const char *name;
    const struct csv_spec *spec;
    const char *resource; /* what the audit entries name */
    enum action action;   /* what the API asks of the importer's role */
    size_t row_size; /* each row struct begins with its file row number, an int */
    /* Loads what the rows are checked against (before any chunk; NULL: nothing). 0 or -1. */
    int (*prepare)(struct import_ctx *ic, struct db *reader);
    /* A record into a row: 0 good, or 1 rejected with *field (NULL: the row) and *code. */
    int (*parse)(struct import_ctx *ic, const struct csv_record *rec, void *row, const char **field,
                 const char **code);
    /* Stores a good row inside the chunk's transaction: ROW_ACCEPTED (*resident the person
     * written, a new resident's id when the kind creates residents), ROW_UNCHANGED,
     * ROW_REJECTED (*field, *code), or -1 on a database error. */
    int (*store)(struct import_ctx *ic, struct db *db, const void *row, int64_t *resident,
                 const char **field, const char **code);
    /* After a chunk's rows (new residents [first, last], 0 0 when none): what follows from
     * them together (NULL: nothing). 0 or -1. */
    int (*settle)(struct import_ctx *ic, struct db *db, int64_t first, int64_t last);
    int creates_residents; /* its new residents are counted in bulk (kpi_count_new) */
    void (*cleanup)(struct import_ctx *ic);
};

extern const struct import_kind IMPORT_RESIDENTS;
/* api/import_records.c: records of registered people. */
extern const struct import_kind IMPORT_DIAGNOSES, IMPORT_ENROLMENTS, IMPORT_ENCOUNTERS;
/* api/import_followups.c: hypertension and diabetes follow-ups, evaluated as recorded. */
extern const struct import_kind IMPORT_FOLLOWUPS;

#endif
