/* population.h - population class I/II/III and household family type (PROTOCOLS.md §2).
 * Pure rules; the caller gathers the facts. */
#ifndef JIAYI_DOMAIN_POPULATION_H
#define JIAYI_DOMAIN_POPULATION_H

#include "util/date.h"

/* Configurable thresholds ([jiayi] in PROTOCOLS.md). */
struct population_config {
    int elderly_age;     /* 65 by default; some places 60 */
    int child_age_below; /* 7: children 0-6 */
    int postpartum_days; /* 42 */
    int poverty_is_key;  /* 1 where poverty-registered (建档立卡) counts as class I */
};

struct population_config population_config_default(void);

/* What is known about one person, on the day the class is derived. */
struct person_facts {
    struct date birth_date;
    int chronic_programs; /* active enrolments in chronic programs (htn, dm, smd, tb, copd...) */
    int pregnant;         /* an ongoing pregnancy */
    int has_delivery;     /* a delivery on delivery_date */
    struct date delivery_date;
    int disabled; /* registered disability */
    int poverty_registered;
};

/* 1 when the person is a key population (class I) on `today`. */
int population_is_key(const struct person_facts *f, const struct population_config *c,
                      struct date today);
/* 1, 2 or 3: class I if key; II if a household member is key; III otherwise. */
int population_class(int is_key, int household_has_key);

enum family_type { FAMILY_HEALTHY, FAMILY_HIGH_RISK, FAMILY_CHRONIC, FAMILY_DISABLED };
/* disabled > chronic > high_risk > healthy, over the household's members. */
enum family_type family_type_of(int any_disabled, int any_chronic, int any_open_flag);
const char *family_type_name(enum family_type t);

/* 1 for programs that count as chronic for class I and family type. */
int program_is_chronic(const char *program);
/* 1 for a program code jiayi knows. */
int program_is_known(const char *program);

#endif
