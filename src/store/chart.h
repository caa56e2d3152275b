/* chart.h (store) - a resident's clinical facts as rows for exchange (the FHIR API,
 * api/fhir_clinical.c): measurements from every source, diagnoses, programme enrolments.
 * Each list is the whole history, oldest first; each row carries what identifies it. */
#ifndef JIAYI_STORE_CHART_H
#define JIAYI_STORE_CHART_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"

/* Where a measurement was taken: a follow-up, an annual exam, a home device. */
enum vital_source { VITAL_FOLLOWUP, VITAL_EXAM, VITAL_DEVICE, VITAL_SOURCE_COUNT };

/* Measurements: [{"source","id","resident_id","when","staff_id"?,"sbp"?,"dbp"?,"heart_rate"?,
 * "fbg"?,"weight_kg"?,"height_cm"?,"bmi"?}] (when: YYYY-MM-DD, or a device's ISO 8601
 * time), ordered by when. `source` is the enum's name: "followup", "exam", "device". NULL on
 * error. */
json_t *store_chart_vitals(struct db *db, int64_t resident_id);
/* One source row as above, or NULL (none: *found 0; error: -1). */
json_t *store_chart_vital(struct db *db, enum vital_source source, int64_t id, int *found);
const char *store_vital_source_name(enum vital_source source);

/* Diagnoses: [{"id","resident_id","icd10","diagnosed_on","note"?}] by date. */
json_t *store_chart_diagnoses(struct db *db, int64_t resident_id);
json_t *store_chart_diagnosis(struct db *db, int64_t id, int *found);

/* Enrolments, ended ones included: [{"id","resident_id","program","start_date","end_date"?,
 * "end_reason"?}] by start date. */
json_t *store_chart_enrolments(struct db *db, int64_t resident_id);
json_t *store_chart_enrolment(struct db *db, int64_t id, int *found);

#endif
