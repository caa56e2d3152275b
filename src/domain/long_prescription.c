/* long_prescription.c - see long_prescription.h. */
#include "domain/long_prescription.h"

#include <stddef.h>
#include <string.h>

rx_reasons long_prescription_check(const struct long_rx_facts *f, const struct protocol_config *c)
{
    rx_reasons out = 0;
    if (!f->enrolled) out |= RX_BIT(RX_NOT_ENROLLED);
    if (!f->has_followup) {
        out |= RX_BIT(RX_NO_FOLLOWUP);
    } else {
        /* The follow-up says how the patient was then; an old one says nothing of now. */
        if (date_diff_days(f->today, f->followup_date) > c->long_prescription_followup_days)
            out |= RX_BIT(RX_FOLLOWUP_TOO_OLD);
        if (!f->classification || strcmp(f->classification, "controlled") != 0)
            out |= RX_BIT(RX_NOT_CONTROLLED);
        /* Unrecorded adherence is not adherence: the doctor records it at the visit. */
        if (!f->adherence || strcmp(f->adherence, "regular") != 0) out |= RX_BIT(RX_NOT_ADHERENT);
    }
    if (f->has_days &&
        (f->days < c->long_prescription_min_days || f->days > c->long_prescription_max_days))
        out |= RX_BIT(RX_DAYS_OUT_OF_RANGE);
    return out;
}

rx_reasons extended_source_check(const char *level, struct date source_date, struct date today,
                                 const struct protocol_config *c)
{
    rx_reasons out = 0;
    if (!level || (strcmp(level, "secondary") != 0 && strcmp(level, "tertiary") != 0))
        out |= RX_BIT(RX_SOURCE_NOT_HOSPITAL);
    long age = date_diff_days(today, source_date);
    if (age < 0)
        out |= RX_BIT(RX_SOURCE_IN_FUTURE);
    else if (age > c->extended_source_days)
        out |= RX_BIT(RX_SOURCE_TOO_OLD);
    return out;
}

rx_reasons prescription_drug_check(enum rx_kind kind, int primary_care, int village,
                                   int pickup_at_village)
{
    rx_reasons out = 0;
    if (!primary_care && kind != RX_EXTENDED) out |= RX_BIT(RX_DRUG_NOT_ON_PRIMARY_LIST);
    if (!village && pickup_at_village) out |= RX_BIT(RX_DRUG_NOT_AT_VILLAGE);
    return out;
}

static const char *const REASONS[RX_REASON_COUNT] = {
    "not_enrolled",       "no_followup",        "followup_too_old",
    "not_controlled",     "not_adherent",       "days_out_of_range",
    "source_not_hospital", "source_too_old",    "source_in_future",
    "drug_not_on_primary_list", "drug_not_at_village",
};

const char *rx_reason_code(enum rx_reason reason)
{
    return reason >= 0 && reason < RX_REASON_COUNT ? REASONS[reason] : "unknown";
}

int rx_kind_parse(const char *name)
{
    static const char *const KINDS[] = {"ordinary", "long", "extended"};
    for (int i = 0; name && i < 3; i++)
        if (strcmp(name, KINDS[i]) == 0) return i;
    return -1;
}
