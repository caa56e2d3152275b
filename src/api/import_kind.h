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
    size_t row_size;      /* each row struct begins with its file row number, an int */
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

/* ---- rows about a registered person (api/import_records.c, api/import_followups.c) ---- */

/* Such a kind's first two columns, in this order: who the row is about. */
#define IMPORT_PERSON_HEADERS                                                                      \
    {"id_number", "身份证号", "身份证号码", "证件号码", "公民身份号码", NULL},                     \
    {                                                                                              \
        "name", "姓名", "患者姓名", NULL                                                           \
    }
enum { IMPORT_COL_ID_NUMBER, IMPORT_COL_NAME };

/* The person columns as read (each such row struct begins with one). */
struct import_person_ref {
    int row;
    char id_number[19], name[151]; /* the ID number normalized; the name "" when not given */
    struct date birth;             /* the birth date the ID number encodes */
};

struct import_person;
/* Reads the person columns (and refuses a record with a field cut at the spec's maximum,
 * named by `headers`): 0, or 1 rejected with *field and *code. */
int import_parse_person(const struct import_ctx *ic, const struct csv_record *rec,
                        struct import_person_ref *p, const char *const (*headers)[6],
                        const char **field, const char **code);
/* The registered person the row names, inside the importer's grants, its name agreeing when
 * the row gives one: 1, 0 rejected (`unknown_resident` alike for nobody and someone out of
 * scope; `name_mismatch`), -1 on error. */
int import_find_person(const struct import_ctx *ic, struct db *db,
                       const struct import_person_ref *p, struct import_person *out,
                       const char **field, const char **code);
/* A code as a file writes it: the API's code (first) or one of its other names. NULL if none. */
const char *import_code_of(const char *text, const char *const (*codes)[6], size_t n);
#define IMPORT_CODE_OF(text, table)                                                                \
    import_code_of((text), (table), sizeof(table) / sizeof(table)[0])

extern const struct import_kind IMPORT_RESIDENTS;
/* api/import_records.c: records of registered people. */
extern const struct import_kind IMPORT_DIAGNOSES, IMPORT_ENROLMENTS, IMPORT_ENCOUNTERS;
/* api/import_followups.c: hypertension and diabetes follow-ups, evaluated as recorded. */
extern const struct import_kind IMPORT_FOLLOWUPS;

#endif
