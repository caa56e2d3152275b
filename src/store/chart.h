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

/* The lists below follow the same pattern: one resident's, oldest first, or one row by id
 * (NULL with *found 0 when none, -1 on error); every row carries "id" and "resident_id".
 * Encounters: {"date","institution_id"?,"staff_id"?,"team_id"?,"primary_care","in_county",
 * "chronic_program"?}. */
json_t *store_chart_encounters(struct db *db, int64_t resident_id);
json_t *store_chart_encounter(struct db *db, int64_t id, int *found);
/* Referrals: {"referred_on","direction","status","category"?,"department"?,"reason"?,
 * "from_institution_id"?,"to_institution_id"?,"returned_on"?}. */
json_t *store_chart_referrals(struct db *db, int64_t resident_id);
json_t *store_chart_referral(struct db *db, int64_t id, int *found);
/* Prescribed drugs, one row per item: {"prescription_id","kind","status","prescribed_on",
 * "prescriber_id"?,"drug_code","drug_name","dose","unit","frequency","route","days",
 * "quantity"}; "id" is the item's. */
json_t *store_chart_medications(struct db *db, int64_t resident_id);
json_t *store_chart_medication(struct db *db, int64_t id, int *found);
/* Contracts: {"status","start_date","end_date","ended_on"?,"end_reason"?,"team_id",
 * "doctor_id","institution_id","channel","fee_fen"}. */
json_t *store_chart_contracts(struct db *db, int64_t resident_id);
json_t *store_chart_contract(struct db *db, int64_t id, int *found);
/* Survey responses: {"questionnaire" (its code),"team_id"?,"channel","answered_on","total"};
 * a response's answers: [{"n","value"}] by item. */
json_t *store_chart_survey_responses(struct db *db, int64_t resident_id);
json_t *store_chart_survey_response(struct db *db, int64_t id, int *found);
json_t *store_chart_survey_answers(struct db *db, int64_t response_id);
/* The other members of the resident's household: {"id" (the member),"resident_id","name",
 * "sex","birth_date","relation"?,"proxy_consent"}. */
json_t *store_chart_household(struct db *db, int64_t resident_id);
/* The record's consents: {"resident_id","opened_to_resident","consent_date"?,
 * "created_on","proxy_consent"}; NULL with *found 0 when the resident has no record. */
json_t *store_chart_consents(struct db *db, int64_t resident_id, int *found);

#endif
