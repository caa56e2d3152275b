/* copd.c - see copd.h. */
#include "domain/copd.h"

enum copd_group copd_group_of(int mmrc, int cat, int moderate, int hospitalised)
{
    if (moderate >= COPD_E_MODERATE || hospitalised >= COPD_E_HOSPITALISED) return COPD_GROUP_E;
    if (mmrc >= COPD_MMRC_MORE_SYMPTOMS || cat >= COPD_CAT_MORE_SYMPTOMS) return COPD_GROUP_B;
    return COPD_GROUP_A;
}

int copd_gold_grade(int fev1_pct)
{
    return fev1_pct >= 80 ? 1 : fev1_pct >= 50 ? 2 : fev1_pct >= 30 ? 3 : 4;
}

struct date copd_first_visit_due(struct date enrolled, const struct protocol_config *c)
{
    return date_add_days(enrolled, c->copd_first_visit_days);
}

static void reason(struct copd_result *out, const char *code)
{
    if (out->n_reasons < COPD_MAX_REASONS) out->reasons[out->n_reasons++] = code;
}

static int interval_days(enum copd_group g, const struct protocol_config *c)
{
    return g == COPD_GROUP_E   ? c->copd_interval_e_days
           : g == COPD_GROUP_B ? c->copd_interval_b_days
                               : c->copd_interval_a_days;
}

void copd_evaluate(const struct copd_visit *v, const struct protocol_config *c,
                   struct copd_result *out)
{
    *out = (struct copd_result){0};
    out->group =
        copd_group_of(v->mmrc, v->cat, v->exacerbations_moderate, v->exacerbations_hospitalised);
    out->gold_grade = v->has_fev1 ? copd_gold_grade(v->fev1_pct) : 0;
    int low_oxygen = v->has_spo2 && v->spo2 < c->copd_spo2_urgent;
    int fast = v->has_respiratory_rate && v->respiratory_rate >= COPD_ACUTE_RESPIRATORY_RATE;
    /* A severe exacerbation goes to hospital now; a milder one is treated here and seen again
     * soon; a frequent exacerbator's treatment is reviewed by the specialist. */
    if (v->danger_signs || low_oxygen || fast) {
        out->action = COPD_URGENT_REFER;
        if (v->danger_signs) reason(out, "danger_signs");
        if (low_oxygen) reason(out, "low_oxygen");
        if (fast) reason(out, "fast_breathing");
    } else if (v->acute) {
        out->action = COPD_ADJUST_TREATMENT;
        reason(out, "exacerbation");
    } else if (out->group == COPD_GROUP_E) {
        int reviewed =
            v->has_last_review &&
            date_compare(date_add_months(v->last_review, c->copd_review_months), v->date) > 0;
        out->action = reviewed ? COPD_CONTINUE : COPD_REFER;
        reason(out, "frequent_exacerbations");
    } else {
        out->action = COPD_CONTINUE;
    }
    int exacerbating = out->action == COPD_URGENT_REFER || out->action == COPD_ADJUST_TREATMENT;
    out->next_due = date_add_days(v->date, exacerbating ? c->copd_post_exacerbation_days
                                                        : interval_days(out->group, c));
    /* Spirometry confirms the diagnosis and grades it: once a year (a visit with its result is
     * that year's). */
    out->spirometry_due =
        !v->has_fev1 &&
        (!v->has_last_spirometry ||
         date_compare(date_add_months(v->last_spirometry, c->copd_spirometry_months), v->date) <=
             0);
    if (out->spirometry_due) reason(out, "spirometry_due");
    if (v->has_inhaler_ok && !v->inhaler_ok) reason(out, "inhaler_technique");
    if (v->smoking) reason(out, "smoking_cessation");
}

const char *copd_group_name(enum copd_group g)
{
    static const char *const NAMES[] = {"A", "B", "E"};
    return NAMES[g];
}

const char *copd_action_name(enum copd_action a)
{
    static const char *const NAMES[] = {"continue", "adjust_treatment", "refer", "urgent_refer"};
    return NAMES[a];
}
