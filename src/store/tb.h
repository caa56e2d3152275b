/* tb.h (store) - tuberculosis cases and their visits (migration 036, domain/tb.h). */
#ifndef JIAYI_STORE_TB_H
#define JIAYI_STORE_TB_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/tb.h"
#include "store/status.h"

struct tb_case_input {
    int64_t resident_id, team_id, doctor_id, created_by;
    const char *notified_on, *notified_by, *treatment_start, *supervision, *county_code;
    int intensive_months, course_months;
};

/* The new case's id; DB_CONSTRAINT when the person has an open case already. */
JY_MUST_USE int64_t store_tb_case_insert(struct db *db, const struct tb_case_input *in);

/* A case as the rules read it, with its visits' totals. */
struct tb_case_row {
    int64_t id, resident_id, team_id, doctor_id;
    struct tb_course course;
    int open, visits;
    int doses_due, doses_taken; /* over every visit */
    char county[7], status[8], closed_on[11], missed_reported_on[11];
};
/* 1 and *out, 0 no such case, -1 error. */
JY_MUST_USE int store_tb_case_get(struct db *db, int64_t id, struct tb_case_row *out);

/* The case as the API answers it: its fields, `visits` (oldest first), the totals and
 * `adherence` (doses taken / due, null before any is due). NULL when absent or on error. */
json_t *store_tb_case_json(struct db *db, int64_t id);
/* The person's cases, newest first, each as store_tb_case_json; NULL on error. */
json_t *store_tb_cases_of(struct db *db, int64_t resident_id);

struct tb_visit_input {
    int64_t case_id, resident_id, staff_id, recorded_by;
    const char *visit_date, *kind, *mode, *phase, *supervision, *action, *reasons, *next_due, *note,
        *county_code;
    int doses_due, doses_taken, adverse_reaction, worsening;
};
JY_MUST_USE int64_t store_tb_visit_insert(struct db *db, const struct tb_visit_input *in);

/* The case's supervision from now on. 0 or -1. */
JY_MUST_USE int store_tb_case_set_supervision(struct db *db, int64_t id, const char *supervision);
/* Notes the day more than a week of missed doses was reported. 0 or -1. */
JY_MUST_USE int store_tb_case_missed_reported(struct db *db, int64_t id, const char *on);
/* Closes the case with its outcome and ends the person's TB enrolment that day. 0 or -1. */
JY_MUST_USE int store_tb_case_close(struct db *db, int64_t id, int64_t resident_id, const char *on,
                                    const char *outcome);
/* Enrols the person in the TB programme from `on` unless already enrolled. 0 or -1. */
JY_MUST_USE int store_tb_enrol(struct db *db, int64_t resident_id, const char *on);

#endif
