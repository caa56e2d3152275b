/* findings.h - the finding codes a follow-up records (API.md "Finding codes"): symptoms and
 * events that make a visit an emergency or a result uncontrolled. A set of findings is a
 * bit mask so the rules read as set tests. */
#ifndef JIAYI_DOMAIN_FINDINGS_H
#define JIAYI_DOMAIN_FINDINGS_H

#include <stdint.h>

enum finding {
    FINDING_ALTERED_CONSCIOUSNESS,
    FINDING_SEVERE_HEADACHE,
    FINDING_DIZZINESS,
    FINDING_VOMITING,
    FINDING_BLURRED_VISION,
    FINDING_EYE_PAIN,
    FINDING_PALPITATIONS,
    FINDING_CHEST_TIGHTNESS,
    FINDING_DYSPNOEA,
    FINDING_PREGNANT_OR_LACTATING,
    FINDING_UNMANAGEABLE_CONDITION,
    FINDING_ACETONE_BREATH,
    FINDING_SWEATING,
    FINDING_POLYURIA,
    FINDING_ABDOMINAL_PAIN,
    FINDING_DEEP_BREATHING,
    FINDING_FLUSHED_SKIN,
    FINDING_SUDDEN_VISION_LOSS,
    FINDING_ADVERSE_REACTION,
    FINDING_ADVERSE_REACTION_UNCONTROLLED,
    FINDING_NEW_COMPLICATION,
    FINDING_PSYCHOTIC_SYMPTOMS,
    FINDING_NO_INSIGHT,
    FINDING_POOR_SOCIAL_FUNCTION,
    FINDING_SERIOUS_PHYSICAL_ILLNESS,
    FINDING_COUNT
};

typedef uint32_t finding_set;
#define FINDING_BIT(f) ((finding_set)1u << (f))

/* The code of a finding ("severe_headache"). */
const char *finding_code(enum finding f);
/* The finding for a code, or -1 when the code is unknown. */
int finding_parse(const char *code);

#endif
