/* imports.h (store) - bulk imports (migration 033, api/imports.c): the import's own row and
 * rejected rows, and the statements a residents file is written with. */
#ifndef JIAYI_STORE_IMPORTS_H
#define JIAYI_STORE_IMPORTS_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "store/status.h"

/* A new import, status 'running'. Its id, or -1. */
JY_MUST_USE int64_t store_import_insert(struct db *db, const char *kind, const char *source,
                                        const char *sha256, const char *mode, int64_t user_id);

struct import_progress {
    const char *status; /* running, complete, partial, rejected */
    long rows, accepted, unchanged, rejected;
    int stored_to_row;
};
/* Brings the import's row up to date (finished_at set unless running). 0 or -1. */
JY_MUST_USE int store_import_progress(struct db *db, int64_t import_id,
                                      const struct import_progress *p);
/* One rejected row. 0 or -1. */
JY_MUST_USE int store_import_reject(struct db *db, int64_t import_id, int row, const char *field,
                                    const char *code);
/* {"id","kind","source","file_sha256","mode","status","rows","accepted","unchanged",
 * "rejected","stored_to_row","user_id","started_at","finished_at"?} or NULL; *found 0 when
 * there is no such import, -1 on error. */
json_t *store_import_get(struct db *db, int64_t import_id, int *found);
/* The import's rejected rows in file order, at most `limit`: [{"row","field"?,"code"}]. */
json_t *store_import_rejects(struct db *db, int64_t import_id, int limit);
/* The imports of one user (0: everyone's), newest first, at most `limit`. */
json_t *store_imports_list(struct db *db, int64_t user_id, int limit);

/* The household a file's key names, or 0 when none has it; -1 on error. */
JY_MUST_USE int64_t store_household_by_key(struct db *db, const char *key);
/* A new household carrying the file's key (NULL: none). Its id, or -1. */
JY_MUST_USE int64_t store_household_insert_keyed(struct db *db, const char *region,
                                                 const char *address, const char *county,
                                                 const char *key);

struct import_resident {
    const char *name, *id_number, *birth_date, *phone, *region, *address, *relation, *county_code;
    char sex;
    int64_t household_id;
    int disabled, poverty, population_class;
};
/* Inserts the resident unless the ID number is registered: the new id, 0 when it is, -1. */
JY_MUST_USE int64_t store_import_resident(struct db *db, const struct import_resident *r);
/* The registered resident with this ID number has this name and region: 1, 0 not, -1. */
JY_MUST_USE int store_resident_matches(struct db *db, const char *id_number, const char *name,
                                       const char *region);
/* The households of the residents with ids in [first, last] after their members came in: a
 * household with a key person makes its other members class II, and one with a disabled
 * member is a disabled family. 0 or -1. */
JY_MUST_USE int store_import_households_settle(struct db *db, int64_t first, int64_t last);

/* ---- records of people already registered (diagnoses, enrolments, encounters) ---- */

struct import_person {
    int64_t id, household_id;
    char region[16], birth_date[11], status[16], name[151];
    char sex;
};
/* The resident registered under this (normalized) ID number: 1 found, 0 none, -1 error. */
JY_MUST_USE int store_import_person(struct db *db, const char *id_number,
                                    struct import_person *out);
/* 1 when the resident has a diagnosis of `icd10` on `diagnosed_on`, 0 not, -1 error. */
JY_MUST_USE int store_import_diagnosis_exists(struct db *db, int64_t resident_id, const char *icd10,
                                              const char *diagnosed_on);
/* The start date of the resident's open enrolment in `program` into start (11 bytes): 1, 0
 * when none is open, -1 error. */
JY_MUST_USE int store_import_enrolment_open(struct db *db, int64_t resident_id, const char *program,
                                            char *start);
/* 1 when the resident has an encounter on `date` at `institution_id` (0: one outside the
 * grid, no institution), 0 not, -1 error. */
JY_MUST_USE int store_import_encounter_exists(struct db *db, int64_t resident_id, const char *date,
                                              int64_t institution_id);
/* The latest visit date of the resident's follow-ups of `program` into out (11 bytes): 1, 0
 * when there is none, -1 error. */
JY_MUST_USE int store_import_followup_latest(struct db *db, int64_t resident_id,
                                             const char *program, char *out);
/* The institution with this code: its id, level and region; 1, 0 none, -1 error. */
JY_MUST_USE int store_import_institution(struct db *db, const char *code, int64_t *id,
                                         char level[16], char region[16]);

#endif
