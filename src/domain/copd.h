/* copd.h - chronic obstructive pulmonary disease (慢阻肺) follow-up in primary care, the
 * programme the Dafeng and Changning teams run and the national basic public-health service
 * added in 2024. PROTOCOLS.md has no section for it, so jiayi writes its rules down in
 * docs/copd.md and keeps every interval and threshold a [jiayi] protocol setting
 * (domain/protocol_config.h); what is fixed here is the GOLD 2023 classification the
 * national primary-care guideline (国家基层慢阻肺诊疗与管理指南) follows. Pure. */
#ifndef JIAYI_DOMAIN_COPD_H
#define JIAYI_DOMAIN_COPD_H

#include "domain/protocol_config.h"
#include "util/date.h"

/* GOLD 2023 ABE: E (exacerbations) when the last 12 months had 2 or more moderate
 * exacerbations or 1 that led to hospital; else B (more symptoms) when mMRC >= 2 or
 * CAT >= 10; else A. */
enum copd_group { COPD_GROUP_A, COPD_GROUP_B, COPD_GROUP_E };
enum copd_action { COPD_CONTINUE, COPD_ADJUST_TREATMENT, COPD_REFER, COPD_URGENT_REFER };

#define COPD_MMRC_MORE_SYMPTOMS 2      /* [spec] GOLD: mMRC at or above: more symptoms */
#define COPD_CAT_MORE_SYMPTOMS 10      /* [spec] GOLD: CAT at or above: more symptoms */
#define COPD_E_MODERATE 2              /* [spec] GOLD: moderate exacerbations a year for group E */
#define COPD_E_HOSPITALISED 1          /* [spec] GOLD: or exacerbations that led to hospital */
#define COPD_ACUTE_RESPIRATORY_RATE 30 /* [spec] breaths/min at or above: a severe exacerbation */

/* A visit's findings. The optional measurements carry a has_ flag. */
struct copd_visit {
    struct date date;
    int mmrc;                       /* modified MRC dyspnoea scale, 0-4 */
    int cat;                        /* COPD assessment test, 0-40 */
    int exacerbations_moderate;     /* in the last 12 months, treated outside hospital */
    int exacerbations_hospitalised; /* in the last 12 months, admitted */
    int acute;                      /* worse breathlessness, cough or sputum beyond the day-to-day
                                     * variation now (an exacerbation under way) */
    int danger_signs;   /* confusion, cyanosis, new oedema or use of accessory muscles */
    int has_spo2, spo2; /* % */
    int has_respiratory_rate, respiratory_rate; /* breaths/min */
    int has_fev1, fev1_pct;         /* post-bronchodilator FEV1, % predicted, from spirometry */
    int smoking;                    /* smokes now */
    int has_inhaler_ok, inhaler_ok; /* inhaler technique checked: 1 correct */
    int has_last_spirometry;
    struct date last_spirometry; /* the latest spirometry before this visit, if any */
    int has_last_review;
    struct date last_review; /* the latest specialist review of the COPD (a referral) */
};

#define COPD_MAX_REASONS 6

struct copd_result {
    enum copd_group group;
    int gold_grade; /* GOLD 1-4 from FEV1 % predicted; 0 without spirometry */
    enum copd_action action;
    const char *reasons[COPD_MAX_REASONS]; /* codes (static) */
    int n_reasons;
    struct date next_due;
    int spirometry_due; /* no spirometry within copd_spirometry_months */
};

enum copd_group copd_group_of(int mmrc, int cat, int moderate, int hospitalised);
/* 1 (FEV1 >= 80%), 2 (50-79), 3 (30-49), 4 (< 30). */
int copd_gold_grade(int fev1_pct);
/* A frequent exacerbator (group E) is referred for a specialist review of the treatment
 * unless one was asked for within c->copd_review_months; a severe exacerbation always is. */
/* The first visit after enrolment: c->copd_first_visit_days after the start. */
struct date copd_first_visit_due(struct date enrolled, const struct protocol_config *c);
void copd_evaluate(const struct copd_visit *v, const struct protocol_config *c,
                   struct copd_result *out);

const char *copd_group_name(enum copd_group g);
const char *copd_action_name(enum copd_action a);

#endif
