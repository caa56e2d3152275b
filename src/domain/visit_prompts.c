/* visit_prompts.c - see visit_prompts.h. */
#include "domain/visit_prompts.h"

#include <string.h>

#include "domain/enrolment.h"

const char *visit_program_of(const char *code)
{
    static const struct {
        const char *prefix, *program;
    } MAP[] = {{"I10", "hypertension"}, {"I11", "hypertension"}, {"I12", "hypertension"},
               {"I13", "hypertension"}, {"I15", "hypertension"}, {"E11", "diabetes"},
               {"F20", "smd"},          {"F25", "smd"},          {"F31", "smd"}};
    for (size_t i = 0; code && i < sizeof MAP / sizeof MAP[0]; i++)
        if (!strncmp(code, MAP[i].prefix, 3) && (code[3] == '\0' || code[3] == '.'))
            return MAP[i].program;
    return NULL;
}

static int listed(const char *const *list, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (list[i] && !strcmp(list[i], name)) return 1;
    return 0;
}

int visit_offers(const struct visit_facts *f, const struct population_config *c,
                 struct visit_offer *out)
{
    int n = 0;
    for (int i = 0; i < f->n_diagnoses && n < VISIT_MAX_OFFERS - 1; i++) {
        const char *program = visit_program_of(f->diagnoses[i]);
        if (!program || listed(f->enrolled, f->n_enrolled, program) ||
            !enrolment_eligible(program, f->age, f->sex, c))
            continue;
        int offered = 0;
        for (int k = 0; k < n; k++)
            offered |= out[k].kind == OFFER_ENROL && !strcmp(out[k].program, program);
        if (!offered) out[n++] = (struct visit_offer){OFFER_ENROL, program, f->diagnoses[i]};
    }
    if (f->population_class == 1 && !f->signed_now)
        out[n++] = (struct visit_offer){OFFER_SIGN, NULL, NULL};
    return n;
}

const char *visit_offer_kind_name(enum visit_offer_kind k)
{
    return k == OFFER_ENROL ? "enrol" : "sign";
}

const char *visit_risk_colour(const char *c)
{
    static const char *const MAP[][2] = {
        {"emergency", "red"},
        {"consecutive_uncontrolled", "red"},
        {"unstable", "red"},
        {"first_uncontrolled", "yellow"},
        {"basically_stable", "yellow"},
        {"controlled", "green"},
        {"stable", "green"},
        {"red", "red"},
        {"yellow", "yellow"},
        {"green", "green"},
    };
    for (size_t i = 0; c && i < sizeof MAP / sizeof MAP[0]; i++)
        if (!strcmp(c, MAP[i][0])) return MAP[i][1];
    return NULL;
}

static int rank(const char *colour)
{
    return !colour ? 0 : !strcmp(colour, "green") ? 1 : !strcmp(colour, "yellow") ? 2 : 3;
}

const char *visit_worse_colour(const char *a, const char *b)
{
    return rank(b) > rank(a) ? b : a;
}
