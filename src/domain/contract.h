/* contract.h - the rules of a family-doctor contract (PROTOCOLS.md §10): its term, the
 * states it moves through, package eligibility and the doctor's capacity. Pure. */
#ifndef JIAYI_DOMAIN_CONTRACT_H
#define JIAYI_DOMAIN_CONTRACT_H

#include <stdint.h>

#include "util/date.h"

enum contract_status {
    CONTRACT_SCHEDULED, /* a renewal waiting for its start date */
    CONTRACT_ACTIVE,
    CONTRACT_EXPIRED,     /* the term ended */
    CONTRACT_TERMINATED,  /* ended early, with a reason */
    CONTRACT_TRANSFERRED, /* ended by moving to another team or doctor */
    CONTRACT_STATUS_COUNT
};

const char *contract_status_name(enum contract_status s);
/* -1 when unknown. */
int contract_status_parse(const char *name);
/* 1 when a contract may move from `from` to `to`. */
int contract_transition_allowed(enum contract_status from, enum contract_status to);

/* The last day of a one-year term: 2026-03-01 -> 2027-02-28; 2024-02-29 -> 2025-02-28. */
struct date contract_end_date(struct date start);
/* A renewal starts the day after the previous term ends. */
struct date contract_renewal_start(struct date previous_end);
/* A contract may be renewed from this many days before its term ends [jiayi]. */
#define CONTRACT_RENEWAL_OPENS_DAYS 90
/* Renewals are proposed from 30 days before the end. */
int contract_renewal_due(struct date end, struct date today);

/* What a package asks of the resident. min_age/max_age -1 and required_class 0 mean none;
 * required_program NULL or "" means none. */
struct package_requirements {
    int min_age, max_age;
    const char *required_program;
    int required_class;
};

struct signer_facts {
    int age;
    int population_class;
    const char *const *programs; /* active enrolments */
    int program_count;
};

enum eligibility { ELIGIBLE, TOO_YOUNG, TOO_OLD, NOT_ENROLLED, WRONG_CLASS };

enum eligibility package_eligibility(const struct package_requirements *p,
                                     const struct signer_facts *f);
const char *eligibility_reason(enum eligibility e);

/* A new contract term and the doctor it goes to, for the cap of PROTOCOLS.md §10 (a GP's
 * households, default 1,000; a village doctor's households with a personalised package,
 * default 100). Signing, renewal and transfer all ask contract_capacity_allows. */
struct capacity_case {
    int village_doctor;    /* the doctor's profession is village doctor */
    int personalised;      /* the new term has a personalised package */
    int household_counted; /* the household already takes one of the doctor's places */
    int64_t households;    /* the places taken (a village doctor: personalised ones only) */
    int64_t max;           /* the doctor's cap; 0 or less: none */
};
/* 1 when the doctor may take the term: it takes no new place (a village doctor's term
 * without a personalised package, or a household already under the doctor), or a place is
 * free under the cap. 0 when the cap is reached. */
int contract_capacity_allows(const struct capacity_case *c);

#endif
