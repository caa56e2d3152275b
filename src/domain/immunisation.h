/* immunisation.h - the national immunisation schedule for children 0-6 (PROTOCOLS.md §13,
 * 国家免疫规划疫苗儿童免疫程序 2021): every dose with its due date and its status on a day.
 * Pure. */
#ifndef JIAYI_DOMAIN_IMMUNISATION_H
#define JIAYI_DOMAIN_IMMUNISATION_H

#include "util/date.h"

/* The vaccines, in the order §13 lists their codes; the last two replace je_live and
 * hepa_live where the county's settings say the inactivated vaccines are used. */
enum vaccine {
    VACCINE_HEPB,
    VACCINE_BCG,
    VACCINE_IPV,
    VACCINE_BOPV,
    VACCINE_DTAP,
    VACCINE_DT,
    VACCINE_MMR,
    VACCINE_JE_LIVE,
    VACCINE_MPSV_A,
    VACCINE_MPSV_AC,
    VACCINE_HEPA_LIVE,
    VACCINE_JE_INACT,
    VACCINE_HEPA_INACT,
    VACCINE_COUNT
};

/* Which vaccines a county uses for Japanese encephalitis and hepatitis A. */
struct immunisation_choice {
    int je_inactivated;   /* 乙脑灭活 instead of 乙脑减毒 */
    int hepa_inactivated; /* 甲肝灭活 instead of 甲肝减毒 */
};

enum dose_status { DOSE_DONE, DOSE_DUE, DOSE_OVERDUE, DOSE_UPCOMING };

struct dose_given {
    enum vaccine vaccine;
    int dose; /* from 1 */
    struct date date;
};

struct dose_item {
    enum vaccine vaccine;
    int dose;
    struct date due_date;
    enum dose_status status;
    int given; /* done: when */
    struct date given_on;
    struct date overdue_from; /* not done: the age point from which it is overdue */
};

#define IMMUNISATION_MAX_DOSES 32

/* The doses a child born on `birth` is owed (and those given) on `as_of`, in the order of
 * the vaccines and their doses: every dose of the county's schedule whose due date falls
 * before the 7th birthday while the child is under 7, and every dose given whatever the
 * age. The earliest given date counts when a dose is listed twice. Returns the count. */
int immunisation_evaluate(struct date birth, struct date as_of, const struct dose_given *given,
                          int n_given, const struct immunisation_choice *choice,
                          struct dose_item *out);

/* The dose to do next: the not-done item with the earliest due date (ties: the schedule's
 * order), or NULL. */
const struct dose_item *immunisation_next(const struct dose_item *items, int n);

/* Doses of a vaccine in the schedule (0 for a vaccine the county does not use). */
int immunisation_doses(enum vaccine v, const struct immunisation_choice *choice);
const char *vaccine_code(enum vaccine v);
/* The vaccine for a code, or -1. */
int vaccine_parse(const char *code);
const char *dose_status_name(enum dose_status s);

#endif
