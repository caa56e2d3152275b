/* screening_invites.h (store) - cancer screening invitations where a package asks for them
 * (issue 19, domain/cancer_screening.h). */
#ifndef JIAYI_STORE_SCREENING_INVITES_H
#define JIAYI_STORE_SCREENING_INVITES_H

#include <stdint.h>

#include "db/db.h"
#include "util/date.h"
#include "store/status.h"

/* The daily pass: for each screening, a `screening_invite` task (program: the service code,
 * due CANCER_INVITE_DAYS on) for each resident of its age and sex whose active contract has
 * that service left, who was not screened (a delivery of it) within its interval and was not
 * invited within it either (an invitation declined is not repeated every day). The resident
 * is reminded of it as of any task of theirs (domain/reminders.h). The number opened, or -1. */
JY_MUST_USE long store_screening_invitations_daily(struct db *db, struct date today);

/* The service was delivered to the resident: their open invitation to it is done. 0 or -1. */
JY_MUST_USE int store_screening_delivered(struct db *db, int64_t resident_id, const char *service);

#endif
