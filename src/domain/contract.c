/* contract.c - contract term, lifecycle, eligibility and capacity. */
#include "domain/contract.h"

#include <assert.h>
#include <string.h>

static const char *const STATUS[CONTRACT_STATUS_COUNT] = {"scheduled", "active", "expired",
                                                          "terminated", "transferred"};

const char *contract_status_name(enum contract_status s)
{
    return s >= 0 && s < CONTRACT_STATUS_COUNT ? STATUS[s] : "unknown";
}

int contract_status_parse(const char *name)
{
    for (int i = 0; name && i < CONTRACT_STATUS_COUNT; i++)
        if (strcmp(STATUS[i], name) == 0) return i;
    return -1;
}

int contract_transition_allowed(enum contract_status from, enum contract_status to)
{
    switch (from) {
    case CONTRACT_SCHEDULED: /* a renewal starts, or is called off before it starts */
        return to == CONTRACT_ACTIVE || to == CONTRACT_TERMINATED;
    case CONTRACT_ACTIVE:
        return to == CONTRACT_EXPIRED || to == CONTRACT_TERMINATED || to == CONTRACT_TRANSFERRED;
    default: /* ended contracts are history */
        return 0;
    }
}

struct date contract_end_date(struct date start)
{
    struct date anniversary = date_add_years(start, 1);
    /* Born-on-Feb-29 logic: in a common year the anniversary is Mar 1, so the term still
     * covers Feb 28. */
    if (start.month == 2 && start.day == 29 && anniversary.day == 28)
        anniversary = date_add_days(anniversary, 1);
    return date_add_days(anniversary, -1);
}

struct date contract_renewal_start(struct date previous_end)
{
    return date_add_days(previous_end, 1);
}

int contract_renewal_due(struct date end, struct date today)
{
    long left = date_diff_days(end, today);
    return left >= 0 && left <= 30;
}

enum eligibility package_eligibility(const struct package_requirements *p,
                                     const struct signer_facts *f)
{
    if (p->min_age >= 0 && f->age < p->min_age) return TOO_YOUNG;
    if (p->max_age >= 0 && f->age > p->max_age) return TOO_OLD;
    if (p->required_class && f->population_class != p->required_class) return WRONG_CLASS;
    if (p->required_program && *p->required_program) {
        int found = 0;
        for (int i = 0; i < f->program_count; i++)
            found |= strcmp(f->programs[i], p->required_program) == 0;
        if (!found) return NOT_ENROLLED;
    }
    return ELIGIBLE;
}

const char *eligibility_reason(enum eligibility e)
{
    static const char *const REASONS[] = {"eligible", "too_young", "too_old", "not_enrolled",
                                          "wrong_class"};
    return REASONS[e];
}

int contract_capacity_allows(const struct capacity_case *c)
{
    assert(c->households >= 0);
    if (c->village_doctor && !c->personalised) return 1;
    if (c->household_counted) return 1;
    return c->max <= 0 || c->households < c->max;
}
