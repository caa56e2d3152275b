/* findings.c - see findings.h. The order of CODES follows enum finding. */
#include "domain/findings.h"

#include <string.h>

static const char *const CODES[FINDING_COUNT] = {"altered_consciousness",
                                                 "severe_headache",
                                                 "dizziness",
                                                 "vomiting",
                                                 "blurred_vision",
                                                 "eye_pain",
                                                 "palpitations",
                                                 "chest_tightness",
                                                 "dyspnoea",
                                                 "pregnant_or_lactating",
                                                 "unmanageable_condition",
                                                 "acetone_breath",
                                                 "sweating",
                                                 "polyuria",
                                                 "abdominal_pain",
                                                 "deep_breathing",
                                                 "flushed_skin",
                                                 "sudden_vision_loss",
                                                 "adverse_reaction",
                                                 "adverse_reaction_uncontrolled",
                                                 "new_complication",
                                                 "psychotic_symptoms",
                                                 "no_insight",
                                                 "poor_social_function",
                                                 "serious_physical_illness"};

const char *finding_code(enum finding f)
{
    return f >= 0 && f < FINDING_COUNT ? CODES[f] : "?";
}

int finding_parse(const char *code)
{
    for (int i = 0; code && i < FINDING_COUNT; i++)
        if (strcmp(CODES[i], code) == 0) return i;
    return -1;
}
