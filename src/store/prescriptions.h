/* prescriptions.h (store) - the county drug catalogue, its versions, and prescriptions with
 * their items and delivery (migration 024, docs/hospital-loop.md "Drugs and prescriptions"). */
#ifndef JIAYI_STORE_PRESCRIPTIONS_H
#define JIAYI_STORE_PRESCRIPTIONS_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "store/status.h"

/* One catalogue entry (the texts borrow the caller's strings on insert). */
struct drug {
    const char *code, *generic_name, *name_en, *pinyin, *dosage_form, *strength, *unit, *package;
    const char *insurance_class; /* A, B, none */
    int essential, village, primary_care;
};

/* The newest catalogue version, 0 when none is published, -1 on error. */
JY_MUST_USE int store_drug_current_version(struct db *db);
/* Every version, newest first: [{version, published_on, published_by, note, drugs}]. NULL on error.
 */
json_t *store_drug_versions_list(struct db *db);
/* 1 when the version exists, 0 when not, -1 on error. */
JY_MUST_USE int store_drug_version_exists(struct db *db, int version);
/* A new version numbered after the newest; its number, or -1. */
JY_MUST_USE int store_drug_version_insert(struct db *db, const char *published_on, int64_t user_id,
                                          const char *note);
/* One entry of a version: 0, or -1 (DB_CONSTRAINT for a code twice in a version). */
JY_MUST_USE int store_drug_insert(struct db *db, int version, const struct drug *d);
/* Entries of a version matching q (code prefix, generic or English name, pinyin initials
 * prefix; NULL: all), village / primary_care filters (-1: either), ordered by generic name. */
json_t *store_drugs_search(struct db *db, int version, const char *q, int village, int primary_care,
                           int limit, int offset, int64_t *total);

/* The flags and name of a drug in a version: 1 found, 0 not, -1 error. name gets
 * "generic_name strength dosage_form". */
JY_MUST_USE int store_drug_flags(struct db *db, int version, const char *code, int *village,
                                 int *primary_care, char *name, size_t name_size);

/* The facts of the long prescription rule for a resident and programme: an active enrolment,
 * the latest follow-up's date, classification and adherence (empty strings when NULL). 0 or -1. */
JY_MUST_USE int store_rx_followup_facts(struct db *db, int64_t resident_id, const char *program,
                                        int *enrolled, int *has_followup, char date[11],
                                        char classification[32], char adherence[16]);
/* An institution's level and kind: 1 found, 0 not, -1 error. */
JY_MUST_USE int store_institution_level(struct db *db, int64_t id, char level[16], char kind[32]);
/* The institution a staff member works at, 0 when none. */
JY_MUST_USE int64_t store_staff_institution(struct db *db, int64_t staff_id);

struct prescription_input {
    int64_t resident_id;
    const char *kind, *program, *prescribed_on;
    int64_t prescriber_id, institution_id, created_by;
    int days_supply, catalogue_version;
    int64_t source_institution_id, referral_id; /* 0: none */
    const char *source_reference, *source_prescriber, *source_date;
    const char *delivery_method; /* NULL: no delivery recorded */
    int64_t pickup_institution_id;
    const char *county_code;
};

struct prescription_item_input {
    const char *drug_code, *drug_name, *dose, *unit, *frequency, *route;
    int days, quantity;
};

/* The new prescription's id, or -1. */
JY_MUST_USE int64_t store_prescription_insert(struct db *db, const struct prescription_input *in);
JY_MUST_USE int64_t store_prescription_item_insert(struct db *db, int64_t prescription_id,
                                                   const struct prescription_item_input *in);
/* A prescription with its items and names; NULL when there is none (*found 0) or on error. */
json_t *store_prescription_get(struct db *db, int64_t id, int *found);
/* A resident's prescriptions, newest first, with their items. NULL on error. */
json_t *store_prescriptions_list(struct db *db, int64_t resident_id, int limit);
/* The resident of a prescription (for scope_require_resident_of): id, STORE_NOT_FOUND none, -1
 * error. */
JY_MUST_USE int64_t store_prescription_resident(struct db *db, int64_t id);
/* Delivery: method and status (empty when none). 1 found, 0 not, -1 error. */
JY_MUST_USE int store_prescription_delivery_get(struct db *db, int64_t id, char method[16],
                                                char status[16]);
/* Moves the delivery to status, stamping its time (now) and the tracking number if given. */
JY_MUST_USE int store_prescription_delivery_set(struct db *db, int64_t id, const char *status,
                                                const char *tracking);
/* The item a follow-up medication names: its resident, name, dose and frequency. 1 found,
 * 0 not, -1 error. */
JY_MUST_USE int store_prescription_item_for(struct db *db, int64_t item_id, int64_t *resident_id,
                                            char *name, size_t name_size, char *dose,
                                            size_t dose_size, char *frequency,
                                            size_t frequency_size);
/* A resident's region and status: 1 found, 0 not, -1 error. */
JY_MUST_USE int store_rx_resident(struct db *db, int64_t id, char region[16], char status[16]);

#endif
