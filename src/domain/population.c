/* population.c - population class and family type (PROTOCOLS.md §2). */
#include "domain/population.h"

#include <string.h>

struct population_config population_config_default(void)
{
    struct population_config c = {65, 7, 42, 0};
    return c;
}

int population_is_key(const struct person_facts *f, const struct population_config *c,
                      struct date today)
{
    int age = date_age_years(f->birth_date, today);
    if (age >= c->elderly_age) return 1;
    if (age < c->child_age_below) return 1;
    if (f->chronic_programs > 0) return 1;
    if (f->pregnant) return 1;
    if (f->has_delivery) {
        long since = date_diff_days(today, f->delivery_date);
        if (since >= 0 && since <= c->postpartum_days) return 1;
    }
    if (f->disabled) return 1;
    if (c->poverty_is_key && f->poverty_registered) return 1;
    return 0;
}

int population_class(int is_key, int household_has_key)
{
    if (is_key) return 1;
    return household_has_key ? 2 : 3;
}

enum family_type family_type_of(int any_disabled, int any_chronic, int any_open_flag)
{
    if (any_disabled) return FAMILY_DISABLED;
    if (any_chronic) return FAMILY_CHRONIC;
    if (any_open_flag) return FAMILY_HIGH_RISK;
    return FAMILY_HEALTHY;
}

const char *family_type_name(enum family_type t)
{
    switch (t) {
    case FAMILY_DISABLED:
        return "disabled";
    case FAMILY_CHRONIC:
        return "chronic";
    case FAMILY_HIGH_RISK:
        return "high_risk";
    case FAMILY_HEALTHY:
        break;
    }
    return "healthy";
}

static const char *const CHRONIC[] = {"hypertension", "diabetes", "smd", "tb", "copd", NULL};
static const char *const OTHER[] = {"elderly", "child", "maternal", NULL};

static int in_list(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (strcmp(*list, s) == 0) return 1;
    return 0;
}

int program_is_chronic(const char *program)
{
    return program && in_list(CHRONIC, program);
}

int program_is_known(const char *program)
{
    return program && (in_list(CHRONIC, program) || in_list(OTHER, program));
}
