/* indicators.h - what one resident contributes to each indicator of PROTOCOLS.md §11 in a
 * period, "as of" a date. Every indicator is a sum over residents of a numerator and a
 * denominator part, so kpi/ keeps sums per scope and moves one resident's parts when their
 * data changes; this file is the only place that says what the parts are. Pure: the
 * resident's facts come in a struct, loaded by store/kpi_person.c.
 *
 * Choices where §11 leaves room (docs/architecture.md, "Indicators"):
 * - population: born on or before "as of" and neither dead nor moved out by then;
 * - a contract is active from its start to its last day (ended_on, else end_date);
 * - renewal: a contract reaching its term in the period, renewed when another contract of
 *   the resident starts within kpi_renewal_days (30) after the end;
 * - maternal rates count deliveries recorded on the mother (one delivery, one live birth);
 * - fd_visits_per_capita: months are the months of the period up to "as of";
 * - referrals_up/_down are counts: denominator 1;
 * - the care cascade (Simple): among patients enrolled on "as of", under care = a
 *   follow-up in the last 12 months, missed visit = none in the last 3 months, lost = none
 *   in 12 months; controlled = latest follow-up in the last 3 months controlled, among
 *   patients enrolled at least 3 months before (before the 3-month window opens);
 * - fd_visits_per_capita counts own-team visits made while signed, over the residents
 *   signed on "as of" times the months. */
#ifndef JIAYI_DOMAIN_INDICATORS_H
#define JIAYI_DOMAIN_INDICATORS_H

#include <stdint.h>

#include "util/date.h"

enum kpi_code {
    KPI_SIGNING,
    KPI_KEY_SIGNING,
    KPI_RENEWAL,
    KPI_FULFILMENT,
    KPI_RECORD,
    KPI_RECORD_OPEN,
    KPI_HTN_STANDARD,
    KPI_HTN_CONTROL,
    KPI_DM_STANDARD,
    KPI_DM_CONTROL,
    KPI_ELDERLY_MGMT,
    KPI_CHILD_MGMT,
    KPI_NEWBORN_VISIT,
    KPI_EARLY_PREGNANCY,
    KPI_POSTPARTUM_VISIT,
    KPI_SMD_STANDARD,
    KPI_MANAGED_VISIT,
    KPI_VISIT_MANAGED,
    KPI_SIGNED_PRIMARY_VISIT,
    KPI_IN_COUNTY_VISIT,
    KPI_FD_VISIT_SHARE,
    KPI_FD_VISITS_PER_CAPITA,
    KPI_REFERRALS_UP,
    KPI_REFERRALS_DOWN,
    KPI_SATISFACTION,
    KPI_HTN_UNDER_CARE,
    KPI_HTN_MISSED_VISIT,
    KPI_HTN_LOST,
    KPI_HTN_CASCADE_CONTROLLED,
    KPI_DM_UNDER_CARE,
    KPI_DM_MISSED_VISIT,
    KPI_DM_LOST,
    KPI_DM_CASCADE_CONTROLLED,
    /* PROTOCOLS.md §15, the hospital in the loop (issue 15) */
    KPI_REFERRAL_RETURN, /* up-referrals seen in the period returned down by as_of / those seen */
    KPI_REFERRAL_SEEN_MEDIAN, /* median days from request to seen: not a sum, kpi_direct_parts */
    KPI_COMBINATION_VISIT, /* signed residents' encounters in their 1+1+1 combination / all theirs
                            */
    KPI_REFERRAL_SATISFACTION, /* referral scores of 4-5 / referral scores given in the period */
    KPI_SLOT_USE, /* released places booked by family doctors / released: kpi_direct_parts */
    KPI_LONG_PRESCRIPTIONS, /* long prescriptions issued in the period: kpi_direct_parts */
    /* The resident in the loop (issue 16) */
    KPI_TRUST_SCORE_MEAN, /* mean Wake Forest trust total (10-50) in the period: kpi_direct_parts */
    /* PROTOCOLS.md §15, the resident in the loop (issue 16) */
    KPI_REMINDER_COMPLETION, /* reminded tasks done within 14 days of the first reminder:
                                kpi_direct_parts */
    /* PROTOCOLS.md §15, childhood immunisation (issue 19) */
    KPI_IMMUNISATION_TIMELY, /* doses given by the end of the month they fell due / doses due in the
                                period */
    /* PROTOCOLS.md §15, tuberculosis patients [spec] (issue 19) */
    KPI_TB_MGMT,    /* TB patients notified in the period visited by the team / notified */
    KPI_TB_REGULAR, /* completed courses with >= 90% of the doses due taken / courses completed */
    /* PROTOCOLS.md §15, where residents are seen (issue 19) */
    KPI_PRIMARY_OUTPATIENT,  /* outpatient encounters at primary institutions / all outpatient
                                encounters */
    KPI_IN_COUNTY_INPATIENT, /* inpatient stays admitted inside the county / all inpatient stays */
    KPI_KEY_STANDARD, /* key-programme enrolments standardised / those enrolments (htn, dm, smd, tb)
                       */
    KPI_CLASS2_SIGNING,        /* class-II residents with an active contract / class-II residents */
    KPI_PERSONALISED_SIGNINGS, /* contracts started in the period with a paid package (a count) */
    KPI_PERSONALISED_FEE,      /* their fees, fen (a sum) */
    KPI_COST_PER_CAPITA,       /* encounter costs of the period, fen / residents */
    KPI_AWARENESS, /* surveyed residents who know their family doctor / surveyed residents */
    KPI_COUNT
};

struct kpi_info {
    const char *code, *name_zh, *name_en;
    int is_count; /* a count in the period: the denominator is 1 */
};
extern const struct kpi_info KPI_INFO[KPI_COUNT];
/* The code's index, or -1. */
int kpi_code_index(const char *code);

enum kpi_program { KP_HTN, KP_DM, KP_SMD, KP_ELDERLY, KP_CHILD, KP_MATERNAL, KP_NONE };
enum kpi_program kpi_program_parse(const char *name);

struct kpi_contract {
    int64_t id, team_id, doctor_id;
    int64_t combination[3]; /* 1+1+1: the team's institution, the district and city hospitals (0:
                               none) */
    struct date start, end, last; /* last = the last active day: ended_on, else end */
    int64_t fee_fen;              /* the packages' fees; > 0: a paid (personalised) package */
};
struct kpi_entitlement {
    int64_t id;
    int contract; /* index into contracts */
    int quantity;
};
struct kpi_delivery {
    int entitlement; /* index into entitlements */
    struct date date;
    int quantity;
};
struct kpi_enrolment {
    enum kpi_program program;
    struct date start, end;
    int has_end;
};
struct kpi_followup {
    enum kpi_program program;
    struct date date;
    unsigned char controlled, home_visit;
};
struct kpi_pregnancy {
    struct date lmp, delivery, discharge;
    int delivered, has_discharge;
};
enum kpi_encounter_kind { KE_OUTPATIENT, KE_INPATIENT, KE_HOME_VISIT, KE_TELEPHONE };
struct kpi_encounter {
    struct date date; /* an inpatient stay's admission */
    unsigned char primary, in_county;
    unsigned char kind;       /* enum kpi_encounter_kind */
    int64_t cost_fen;         /* what the sending system says it cost (0: not given) */
    enum kpi_program chronic; /* KP_HTN, KP_DM or KP_NONE */
    int64_t team_id;          /* 0: not seen by a family-doctor team */
    int64_t institution_id;   /* 0: a hospital outside the grid */
};
enum kpi_awareness { KPI_AWARE_NOT_ASKED, KPI_AWARE_YES, KPI_AWARE_NO };
struct kpi_dated {
    struct date date;
    int value;           /* satisfaction: the score */
    unsigned char knows; /* satisfaction: enum kpi_awareness, whether the survey found the resident
                          * knows their family doctor (0: not asked, so a zeroed answer is) */
};
struct kpi_vaccination {
    struct date date;            /* given on */
    unsigned char vaccine, dose; /* enum vaccine (domain/immunisation.h), from 1 */
};
struct kpi_tb_case {
    struct date notified, first_visit, closed;
    unsigned char has_first_visit, has_closed, completed; /* completed: cured or completed */
    int doses_due, doses_taken;                           /* over the course's visits */
};
struct kpi_referral {
    struct date date;                                   /* referred on */
    int value;                                          /* 1 up, 0 down */
    unsigned char has_seen, has_returned, satisfaction; /* satisfaction: 1-5, 0 none */
    struct date seen, returned, satisfaction_on;
};

/* Growable arrays owned by the person; kpi_person_clear keeps their memory for reuse. */
#define KPI_ARRAY(type, name)                                                                      \
    type *name;                                                                                    \
    int n_##name, cap_##name

struct kpi_person {
    int64_t id;
    int exists;
    struct date birth;
    int gone;            /* deceased or moved out ... */
    struct date gone_on; /* ... from this date */
    int population_class;
    char region[16];
    int has_record, record_opened;
    struct date record_on, record_opened_on;
    int64_t grid_team_id, grid_doctor_id; /* the team of the resident's grid cell */
    KPI_ARRAY(struct kpi_contract, contracts);
    KPI_ARRAY(struct kpi_entitlement, entitlements);
    KPI_ARRAY(struct kpi_delivery, deliveries);
    KPI_ARRAY(struct kpi_enrolment, enrolments);
    KPI_ARRAY(struct kpi_followup, followups);
    KPI_ARRAY(struct kpi_pregnancy, pregnancies);
    KPI_ARRAY(struct kpi_encounter, encounters);
    KPI_ARRAY(struct kpi_referral, referrals);
    KPI_ARRAY(struct kpi_dated, answers);
    KPI_ARRAY(struct kpi_vaccination, vaccinations);
    KPI_ARRAY(struct kpi_tb_case, tb_cases);
};

/* Empties the person (arrays keep their capacity). */
void kpi_person_clear(struct kpi_person *p);
void kpi_person_free(struct kpi_person *p);
/* Makes `to` a copy of `from`, reusing `to`'s arrays. Returns 0, or -1 when out of memory
 * (then `to` is valid but incomplete). */
int kpi_person_copy(struct kpi_person *to, const struct kpi_person *from);
/* Appends a zeroed element and returns it, or NULL when out of memory. */
struct kpi_contract *kpi_add_contract(struct kpi_person *p);
struct kpi_entitlement *kpi_add_entitlement(struct kpi_person *p);
struct kpi_delivery *kpi_add_delivery(struct kpi_person *p);
struct kpi_enrolment *kpi_add_enrolment(struct kpi_person *p);
struct kpi_followup *kpi_add_followup(struct kpi_person *p);
struct kpi_pregnancy *kpi_add_pregnancy(struct kpi_person *p);
struct kpi_encounter *kpi_add_encounter(struct kpi_person *p);
struct kpi_referral *kpi_add_referral(struct kpi_person *p);
struct kpi_dated *kpi_add_answer(struct kpi_person *p);
struct kpi_vaccination *kpi_add_vaccination(struct kpi_person *p);
struct kpi_tb_case *kpi_add_tb_case(struct kpi_person *p);

struct kpi_rules {
    int elderly_age;     /* 65 */
    int child_age_below; /* 7: children 0-6 */
    int renewal_days;    /* 30 */
    /* The county's vaccines (PROTOCOLS.md §13): 1 where the inactivated one is used */
    int immunisation_je_inactivated, immunisation_hepa_inactivated; /* 0, 0 */
};

struct kpi_parts {
    int64_t num[KPI_COUNT], den[KPI_COUNT];
};

/* The resident's numerator and denominator parts for the period [first, last] as of
 * `as_of` (first <= as_of <= last). */
void kpi_person_parts(const struct kpi_person *p, struct date first, struct date as_of,
                      const struct kpi_rules *rules, struct kpi_parts *out);

/* How far back a change of one resident can move their parts, so that the counters need not
 * re-derive the periods it cannot reach. `before` and `after` are the same resident loaded
 * before and after a write. Returns 0 when kpi_person_parts gives the same parts for every
 * period, 1 when it can differ only for periods whose "as of" is on or after *from, and -1
 * when it can differ for any period.
 *
 * This rests on a rule every indicator above keeps: kpi_person_parts(p, first, as_of) reads
 * a dated fact (a follow-up, an encounter, a referral's dates, a satisfaction answer, a
 * pregnancy, an enrolment's start and end, a delivery, a vaccination, a TB case's notice,
 * first visit and closing, whose doses are read once it is closed) only when that date is on or
 * before as_of. Resident fields, contracts and entitlements are not held to it (a renewal looks
 * past the period), so any change to them returns -1. A new indicator that looks at a fact
 * dated after "as of" must be listed here as undated, or the counters go wrong (the
 * property test in tests/unit/test_indicators.c checks the rule). */
int kpi_person_changed_from(const struct kpi_person *before, const struct kpi_person *after,
                            struct date *from);

/* The team and doctor the resident counts for on `as_of`: the active contract's, else the
 * grid team's (0 when none). */
void kpi_person_team(const struct kpi_person *p, struct date as_of, int64_t *team_id,
                     int64_t *doctor_id);

/* The lower median of n values (sorted in place); 0 when n is 0. referral_seen_days_median
 * is a median, which no sum of per-resident parts can keep: kpi/ computes it from the
 * referrals of the scope with this. */
int64_t kpi_median_lower(int64_t *values, int n);

/* 1 when the resident is in the population on `as_of`. */
int kpi_in_population(const struct kpi_person *p, struct date as_of);

#endif
