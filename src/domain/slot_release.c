/* slot_release.c - see slot_release.h. */
#include "domain/slot_release.h"

#include <stddef.h>

const struct release_rule SLOT_RELEASE_DEFAULT = {0, 14, 14};

const char *slot_release_rule_invalid(const struct release_rule *rule)
{
    if (rule->family_share < 0 || rule->family_share > 100) return "family_share";
    if (rule->public_lead_days < 0 || rule->public_lead_days > SLOT_RELEASE_MAX_LEAD)
        return "public_lead_days";
    if (rule->family_lead_days < rule->public_lead_days ||
        rule->family_lead_days > SLOT_RELEASE_MAX_LEAD)
        return "family_lead_days";
    return NULL;
}

int slot_release_family_count(int n_slots, int family_share)
{
    if (n_slots <= 0 || family_share <= 0) return 0;
    if (family_share >= 100) return n_slots;
    return (n_slots * family_share + 50) / 100;
}

int slot_release_is_family(int i, int n_slots, int family_share)
{
    if (i < 0 || i >= n_slots) return 0;
    int k = slot_release_family_count(n_slots, family_share);
    /* Slot i is the family doctors' when the running share floor((i+1)k/n) steps up at it:
     * exactly k steps over the session, evenly apart, the last slot always among them. */
    return (i + 1) * k / n_slots > i * k / n_slots;
}

struct date slot_release_opens(const struct release_rule *rule, int family_slot,
                               enum slot_audience audience, struct date slot_day)
{
    int lead = family_slot && audience == AUDIENCE_FAMILY_DOCTORS ? rule->family_lead_days
                                                                  : rule->public_lead_days;
    return date_add_days(slot_day, -lead);
}

int slot_release_bookable(const struct release_rule *rule, int family_slot,
                          enum slot_audience audience, struct date slot_day, struct date today)
{
    if (date_compare(slot_day, today) < 0) return 0;
    return date_compare(slot_release_opens(rule, family_slot, audience, slot_day), today) <= 0;
}
