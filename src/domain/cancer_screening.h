/* cancer_screening.h - cancer screening invitations where a package asks for them (issue
 * 19). A contract whose package includes a screening service (an entitlement of that code
 * with some left) has its resident invited when they are of the screening's age and sex and
 * were not screened within its interval; the invitation is a task on the team's work list
 * and a reminder to the resident (domain/reminders.h), closed when the service is delivered.
 * The screenings and their populations are the national programmes': the two-cancer
 * screening of rural women (农村妇女两癌筛查: cervical and breast, 35-64) and colorectal
 * cancer screening (50-74, a faecal immunochemical test every year). Pure. */
#ifndef JIAYI_DOMAIN_CANCER_SCREENING_H
#define JIAYI_DOMAIN_CANCER_SCREENING_H

#include "util/date.h"

struct cancer_screening {
    const char *service; /* the package item's service code */
    const char *name_zh, *name_en;
    char sex;             /* 'F', or 0 for both */
    int min_age, max_age; /* inclusive, on the day of the invitation */
    int interval_months;  /* screened within this many months: not due */
};

extern const struct cancer_screening CANCER_SCREENINGS[];
extern const int CANCER_SCREENING_COUNT;

/* The screening of a service code, or NULL. */
const struct cancer_screening *cancer_screening_find(const char *service);

/* 1 when a person of `sex` born on `birth`, last screened on *last (NULL: never), is due for
 * screening `s` on `today`. */
int cancer_screening_due(const struct cancer_screening *s, char sex, struct date birth,
                         const struct date *last, struct date today);

/* The same rule as date bounds a query can use: due when born in [*born_from, *born_to] and
 * not screened since *screened_since (exclusive: a screening on or after it counts). */
void cancer_screening_window(const struct cancer_screening *s, struct date today,
                             struct date *born_from, struct date *born_to,
                             struct date *screened_since);

/* [jiayi] an invitation is due this many days after it is made: with the default reminder
 * stages (-3, 0, +7) its first message goes out the day it is made. */
#define CANCER_INVITE_DAYS 3

#endif
