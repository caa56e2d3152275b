/* records.h (store) - results that reach the record without re-typing: physical exams
 * from an exam centre's file, home devices bound to a resident and their readings. */
#ifndef JIAYI_STORE_RECORDS_H
#define JIAYI_STORE_RECORDS_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/screening.h"
#include "store/status.h"

/* Who an exam row or a reading is about, and who should act on it. */
struct record_subject {
    int64_t resident_id;
    int alive, visible; /* visible: inside the user's data scope */
    char region[16], county[7];
    int64_t team_id, doctor_id; /* the contracted doctor, else the grid cell's team */
};
/* By ID number, for a caller who may only see some residents: `visible(region, ctx)` is
 * asked with the resident's registered region before anything else of theirs is read, and
 * a resident it refuses is answered exactly as one nobody registered (0), so the caller
 * cannot tell the two apart. 1 found and visible, 0 unknown or not visible, -1 error. */
JY_MUST_USE int store_record_subject_by_id_number(struct db *db, const char *id_number,
                                                  int (*visible)(const char *region, void *ctx),
                                                  void *ctx, struct record_subject *out);
/* By resident id (devices: the binding is the authority). 1 found, 0 unknown, -1 error. */
JY_MUST_USE int store_record_subject(struct db *db, int64_t resident_id,
                                     struct record_subject *out);

/* An import's outcome so far (migration 014): every file row up to stored_to_row is kept or
 * was rejected; status "running", "complete" or "partial". */
struct exam_import_progress {
    const char *status;
    long rows, accepted, rejected, unchanged, tasks;
    int stored_to_row;
};
/* A new import, status 'running'. Its id, or -1. */
JY_MUST_USE int64_t store_exam_import_insert(struct db *db, const char *source, int64_t user_id);
/* Brings the import's row up to date. 0, or -1. */
JY_MUST_USE int store_exam_import_progress(struct db *db, int64_t import_id,
                                           const struct exam_import_progress *p);

struct exam_result_input {
    int64_t resident_id, import_id;
    const char *exam_date, *county_code, *abnormal; /* abnormal: JSON array text */
    int has_sbp, sbp, has_dbp, dbp;
    int has_fbg, fbg_tenths, has_tc, tc_hundredths, has_tg, tg_hundredths;
    int has_ldl, ldl_hundredths, has_hdl, hdl_hundredths;
    int has_height, height_cm_tenths, has_weight, weight_kg_tenths, has_bmi, bmi_tenths;
    int has_hba1c, hba1c_tenths;
    const char *ecg, *ultrasound;
};
/* Inserts, or replaces the results of the same resident and day (a corrected file), unless
 * the stored row already holds exactly these results and verdict (a file sent again): then
 * nothing is written. Returns the row id when it was written, 0 when unchanged, -1 on error. */
JY_MUST_USE int64_t store_exam_result_upsert(struct db *db, const struct exam_result_input *in);
JY_MUST_USE int store_exam_result_set_task(struct db *db, int64_t exam_id, int64_t task_id);
/* The resident's exams, newest first. */
json_t *store_exam_results_list(struct db *db, int64_t resident_id, int limit);
/* The term lists the conclusions are read with now (the protocol lists ecg_normal,
 * ecg_abnormal, ultrasound_normal, ultrasound_abnormal: the newest versions, else the
 * defaults). 0, or -1 with nothing to free; else free with store_exam_terms_free. */
JY_MUST_USE int store_exam_terms_load(struct db *db, struct exam_terms *terms);
void store_exam_terms_free(struct exam_terms *terms);

/* The open task of `kind` for the resident, 0 if none, -1 on error. */
JY_MUST_USE int64_t store_open_task(struct db *db, int64_t resident_id, const char *kind);

JY_MUST_USE int64_t store_device_insert(struct db *db, int64_t resident_id, const char *kind,
                                        const char *label, const char *token_hash, int64_t user_id);
/* The live device with this token hash: its id, resident and kind. 1 found, 0 not, -1 error. */
JY_MUST_USE int store_device_by_token(struct db *db, const char *token_hash, int64_t *device_id,
                                      int64_t *resident_id, char kind[16]);
/* The device's resident (any state), 1 found, 0 not, -1 error. */
JY_MUST_USE int store_device_resident(struct db *db, int64_t device_id, int64_t *resident_id);
/* 1 revoked now, 0 already revoked, -1 error. */
JY_MUST_USE int store_device_revoke(struct db *db, int64_t device_id);
json_t *store_devices_list(struct db *db, int64_t resident_id);

struct observation_input {
    int64_t resident_id, device_id, task_id;
    const char *observed_at, *level, *reason, *county_code;
    int has_sbp, sbp, has_dbp, dbp, has_heart_rate, heart_rate, has_glucose, glucose_tenths;
};
/* Returns the id, 0 when the device already sent a reading for that instant, -1 on error. */
JY_MUST_USE int64_t store_observation_insert(struct db *db, const struct observation_input *in);
json_t *store_observations_list(struct db *db, int64_t resident_id, int limit);

#endif
