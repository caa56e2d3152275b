/* visit_prompts.h - what a visit offers besides its own reason (issue 19, seed 001's
 * 诊前-诊中-诊后 integration): a patient with a chronic diagnosis who is not in that
 * programme is offered enrolment; an unsigned key-population resident is offered a family
 * doctor's contract. Pure: api/ gathers the facts, store/ counts the offers. */
#ifndef JIAYI_DOMAIN_VISIT_PROMPTS_H
#define JIAYI_DOMAIN_VISIT_PROMPTS_H

#include "domain/population.h"

/* The programme an ICD-10 diagnosis belongs to (PROTOCOLS.md §3, §4, §8): I10-I15
 * hypertension, E11 type 2 diabetes, F20, F25, F31, F06.0-F06.3 or F72-F79 with psychosis
 * the severe mental disorders the national programme names (schizophrenia, schizoaffective,
 * bipolar, …; F20/F25/F31 here), NULL for any other. */
const char *visit_program_of(const char *icd10);

struct visit_facts {
    int age;
    const char *sex;              /* "M" or "F" */
    int population_class;         /* 1 key, 2 high-risk household, 3 general */
    int signed_now;               /* an active contract */
    const char *const *diagnoses; /* ICD-10 codes on the record */
    int n_diagnoses;
    const char *const *enrolled; /* programmes running */
    int n_enrolled;
};

enum visit_offer_kind { OFFER_ENROL, OFFER_SIGN };

struct visit_offer {
    enum visit_offer_kind kind;
    const char *program;   /* OFFER_ENROL: the programme (static) */
    const char *diagnosis; /* the code that calls for it (borrowed from the facts) */
};

#define VISIT_MAX_OFFERS 4

/* The offers for a person with these facts, each programme once (eligible by age and sex,
 * enrolment_eligible), then signing for a key-population resident without a contract.
 * Returns the count. */
int visit_offers(const struct visit_facts *f, const struct population_config *c,
                 struct visit_offer *out);

const char *visit_offer_kind_name(enum visit_offer_kind k);

/* The colour a latest follow-up's classification gives the day's list (pre-visit): red for
 * an emergency, consecutive uncontrolled or unstable; yellow for a first uncontrolled or
 * basically stable visit; green for controlled or stable; an elderly assessment's colour as
 * it is. NULL for anything else. */
const char *visit_risk_colour(const char *classification);
/* The worse of two colours (red over yellow over green; NULL the least). */
const char *visit_worse_colour(const char *a, const char *b);

#endif
