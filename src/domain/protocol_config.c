/* protocol_config.c - see protocol_config.h. */
#include "domain/protocol_config.h"

#include <stddef.h>
#include <string.h>

struct protocol_config protocol_config_default(void)
{
    struct protocol_config c = {
        .elderly_red_self_care = 9,
        .elderly_red_emergency_days = 90,
        .elderly_red_uncontrolled = 2,
        .elderly_yellow_self_care = 4,
        .elderly_red_months = 1,
        .elderly_yellow_months = 3,
        .elderly_green_months = 12,
        .child_newborn_days = 7,
        .child_month1_from = 28,
        .child_month1_to = 42,
        .child_infant_before = 14,
        .child_infant_after = 30,
        .child_toddler_before = 30,
        .child_toddler_after = 60,
        .maternal_postpartum_visit_days = 7,
        .maternal_42d_from = 42,
        .maternal_42d_to = 56,
    };
    return c;
}

#define SETTING(name, lo, hi) {#name, lo, hi, offsetof(struct protocol_config, name)}

const struct protocol_setting PROTOCOL_SETTINGS[] = {
    SETTING(elderly_red_self_care, 1, 100),
    SETTING(elderly_red_emergency_days, 0, 365),
    SETTING(elderly_red_uncontrolled, 1, 10),
    SETTING(elderly_yellow_self_care, 1, 100),
    SETTING(elderly_red_months, 1, 12),
    SETTING(elderly_yellow_months, 1, 12),
    SETTING(elderly_green_months, 1, 24),
    SETTING(child_newborn_days, 1, 28),
    SETTING(child_month1_from, 14, 60),
    SETTING(child_month1_to, 14, 60),
    SETTING(child_infant_before, 0, 45),
    SETTING(child_infant_after, 0, 45),
    SETTING(child_toddler_before, 0, 90),
    SETTING(child_toddler_after, 0, 90),
    SETTING(maternal_postpartum_visit_days, 1, 28),
    SETTING(maternal_42d_from, 28, 90),
    SETTING(maternal_42d_to, 28, 90),
    {NULL, 0, 0, 0},
};

const struct protocol_setting *protocol_setting_find(const char *key)
{
    for (const struct protocol_setting *s = PROTOCOL_SETTINGS; key && s->key; s++)
        if (strcmp(s->key, key) == 0) return s;
    return NULL;
}

int *protocol_config_field(struct protocol_config *c, const struct protocol_setting *s)
{
    return (int *)(void *)((char *)c + s->offset);
}

int protocol_config_check(const struct protocol_config *c, const char **bad_key)
{
    struct protocol_config copy = *c;
    for (const struct protocol_setting *s = PROTOCOL_SETTINGS; s->key; s++) {
        int v = *protocol_config_field(&copy, s);
        if (v < s->min || v > s->max) {
            *bad_key = s->key;
            return -1;
        }
    }
    /* Windows must open before they close, and yellow must sit below red. */
    if (c->child_month1_from > c->child_month1_to) return *bad_key = "child_month1_to", -1;
    if (c->maternal_42d_from > c->maternal_42d_to) return *bad_key = "maternal_42d_to", -1;
    if (c->elderly_yellow_self_care > c->elderly_red_self_care) return *bad_key = "elderly_yellow_self_care", -1;
    return 0;
}
