/* services.h (store) - the service events the indicators of PROTOCOLS.md §11 count:
 * encounters (visits to any institution), referrals up and down, and residents' answers
 * to the satisfaction survey. */
#ifndef JIAYI_STORE_SERVICES_H
#define JIAYI_STORE_SERVICES_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "store/status.h"

struct encounter_input {
    int64_t resident_id;
    const char *encounter_date; /* YYYY-MM-DD */
    int64_t institution_id;     /* 0: a hospital outside the grid */
    int primary_care, in_county;
    int64_t team_id, staff_id;   /* 0 when none */
    const char *chronic_program; /* "hypertension", "diabetes" or NULL */
    const char *county_code;
    int at_home; /* seen at the resident's home (a home visit) */
    /* As the sending system records it (issue 19); NULL or 0 when not known */
    const char *kind;           /* outpatient (default), inpatient, home_visit, telephone */
    const char *discharge_date; /* inpatient */
    const char *diagnoses;      /* ICD-10 codes as a JSON array's text; NULL: [] */
    const char *doctor_name, *source;
    int has_cost, treatment_changed;
    int64_t cost_fen;
};
JY_MUST_USE int64_t store_encounter_insert(struct db *db, const struct encounter_input *in);
/* The encounter's resident: its id, STORE_NOT_FOUND when there is no such encounter, -1 on error.
 */
JY_MUST_USE int64_t store_encounter_resident(struct db *db, int64_t id);
/* Deletes the encounter (what it used up is taken back separately): 1, 0 none, -1 error. */
JY_MUST_USE int store_encounter_delete(struct db *db, int64_t id);
/* The resident's encounters, newest first; NULL on error. */
json_t *store_encounters_list(struct db *db, int64_t resident_id);

struct referral_input {
    int64_t resident_id;
    const char *referred_on;
    const char *direction;                          /* "up" or "down" */
    int64_t from_institution_id, to_institution_id; /* 0: unknown */
    const char *reason;                             /* may be NULL */
    const char *county_code;
    /* A referral a result created (domain/referral.h); zero/NULL for one recorded by hand. */
    int64_t followup_id;
    const char *target_level; /* secondary, critical_maternal, tertiary, infectious */
    int urgent;
    const char *reasons; /* JSON array of reason codes */
    /* The tracked referral (issue 15); NULL/0 for the count-only fields of old callers. */
    const char *category; /* domain/referral_state.h referral_category_valid */
    const char *department;
    const char *summary; /* JSON: the record's summary frozen at sending */
    int64_t sent_by;     /* the user who sent it (0: the system, a follow-up's rule) */
};
/* Inserts the referral as `requested` with its creation in referral_events. */
JY_MUST_USE int64_t store_referral_insert(struct db *db, const struct referral_input *in);
/* The resident's referrals, newest first, with where they were sent, why, and whether the
 * patient was seen; NULL on error. */
json_t *store_referrals_list(struct db *db, int64_t resident_id);
/* The institution a referral to `target_level` goes to for a resident of `county` (6
 * digits): a level-3 hospital for "tertiary", else the county hospital (a level-2 one),
 * preferring the resident's county, then the rest of its city. 0 when there is none, -1 on
 * error. */
JY_MUST_USE int64_t store_referral_destination(struct db *db, const char *county,
                                               const char *target_level);
/* The referral's resident (its id; STORE_NOT_FOUND when there is no such referral, -1 on error) and
 * the day it was made into referred_on. */
JY_MUST_USE int64_t store_referral_resident(struct db *db, int64_t id, char referred_on[11]);
/* Records that the patient was seen on `seen_on` (a requested referral becomes seen, with its
 * event) and closes the tasks that waited for it: 1 done, 0 already seen, -1 on error. The
 * demo's; the API moves referrals through api/referrals.c. */
JY_MUST_USE int store_referral_seen(struct db *db, int64_t id, const char *seen_on);

/* 1 when the resident already rated the team (team_id 0: no team) between from and to. */
JY_MUST_USE int store_satisfaction_answered(struct db *db, int64_t resident_id, int64_t team_id,
                                            const char *from, const char *to);
/* channel: domain/satisfaction.h's name; knows_doctor 1 or 0 when the survey asked whether
 * the resident knows their family doctor, -1 when it did not; recorded_by the login (0 none:
 * the demo). */
JY_MUST_USE int64_t store_satisfaction_insert(struct db *db, int64_t resident_id,
                                              const char *answered_on, int64_t team_id, int score,
                                              const char *county_code, const char *channel,
                                              int knows_doctor, int64_t recorded_by);

/* The institution's level ("tertiary", "secondary", "primary", "village") and region:
 * 0, STORE_NOT_FOUND when there is no such institution, -1 on error. */
JY_MUST_USE int store_institution_level_region(struct db *db, int64_t id, char level[16],
                                               char region[16]);
/* 1 when the row exists, 0 when not, -1 on error. */
JY_MUST_USE int store_team_exists(struct db *db, int64_t team_id);
JY_MUST_USE int store_staff_exists(struct db *db, int64_t staff_id);
JY_MUST_USE int store_resident_exists(struct db *db, int64_t resident_id);
/* The team of the resident's active contract, 0 when none, -1 on error. */
JY_MUST_USE int64_t store_active_contract_team(struct db *db, int64_t resident_id);

#endif
