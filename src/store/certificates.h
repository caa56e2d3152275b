/* certificates.h (store) - chronic-disease outpatient certificates (migration 040). */
#ifndef JIAYI_STORE_CERTIFICATES_H
#define JIAYI_STORE_CERTIFICATES_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "util/date.h"
#include "store/status.h"

struct certificate_input {
    int64_t resident_id, team_id, doctor_id, created_by;
    const char *disease, *diagnosis, *county_code, *on;
};
/* The new certificate's id (status screened, with its first event). */
JY_MUST_USE int64_t store_certificate_insert(struct db *db, const struct certificate_input *in);
/* Whether the person has a certificate for `disease` in progress or in force (not rejected
 * or expired): 1, 0, or -1. */
JY_MUST_USE int store_certificate_open(struct db *db, int64_t resident_id, const char *disease);

struct certificate_row {
    int64_t id, resident_id, team_id, doctor_id;
    char status[16], county[7], disease[16];
};
JY_MUST_USE int store_certificate_get(struct db *db, int64_t id,
                                      struct certificate_row *out); /* 1, 0, -1 */

struct certificate_change {
    const char *to, *on, *number, *valid_from, *valid_to, *reason, *note;
    int64_t by_user;
};
/* Moves the certificate to `to` (the fields a grant or rejection sets) with its event, if it
 * is still in `from`: 1 moved, 0 it was not, -1 error. */
JY_MUST_USE int store_certificate_move(struct db *db, int64_t id, const char *from,
                                       const struct certificate_change *c);

json_t *store_certificate_json(struct db *db, int64_t id);
json_t *store_certificates_of(struct db *db, int64_t resident_id);
/* A team's certificates (status NULL: every one), with the person's name, newest first. */
json_t *store_certificates_of_team(struct db *db, int64_t team_id, const char *status);

/* The daily pass: granted certificates whose term ended before `today` are expired (with
 * their events). The number expired, or -1. */
JY_MUST_USE long store_certificates_daily(struct db *db, struct date today);

#endif
