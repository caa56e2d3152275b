/* referral.c - see referral.h. */
#include "domain/referral.h"

#include <stddef.h>
#include <string.h>

static const char *const TARGETS[] = {"secondary", "critical_maternal", "tertiary", "infectious"};

const char *referral_target_name(enum referral_target t)
{
    return t >= TARGET_SECONDARY && t <= TARGET_INFECTIOUS ? TARGETS[t] : "secondary";
}

int referral_for_followup(enum chronic_action action, enum chronic_class classification,
                          const struct protocol_config *c, struct referral_plan *plan)
{
    if (action != ACTION_REFER && action != ACTION_URGENT_REFER) return 0;
    plan->target = TARGET_SECONDARY;
    plan->urgent = action == ACTION_URGENT_REFER;
    plan->confirm_days = plan->urgent ? c->urgent_referral_confirm_days : c->referral_confirm_days;
    plan->reason = chronic_class_name(classification);
    plan->category = plan->urgent ? "emergency" : "treatment_adjustment";
    return 1;
}

const char *referral_department(const char *program)
{
    static const char *const BY_PROGRAM[][2] = {
        {"hypertension", "cardiology"}, {"diabetes", "endocrinology"}, {"smd", "psychiatry"},
        {"maternal", "obstetrics"},     {"child", "paediatrics"},      {"copd", "respiratory"},
    };
    for (size_t i = 0; program && i < sizeof BY_PROGRAM / sizeof BY_PROGRAM[0]; i++)
        if (!strcmp(program, BY_PROGRAM[i][0])) return BY_PROGRAM[i][1];
    return NULL;
}

int pregnancy_risk_referrals(enum risk_color before, int purple_before, enum risk_color now,
                             int purple_now, const struct protocol_config *c,
                             struct referral_plan plans[2])
{
    static const char *const REASONS[] = {"pregnancy_green", "pregnancy_yellow", "pregnancy_orange",
                                          "pregnancy_red", "pregnancy_purple"};
    static const enum referral_target BY_COLOR[] = {TARGET_SECONDARY, TARGET_SECONDARY,
                                                    TARGET_CRITICAL_MATERNAL, TARGET_TERTIARY};
    int n = 0;
    if (now >= COLOR_YELLOW && now <= COLOR_RED && now > before) {
        plans[n].target = BY_COLOR[now];
        plans[n].urgent = now == COLOR_RED;
        plans[n].confirm_days = c->pregnancy_risk_task_days;
        plans[n].reason = REASONS[now];
        plans[n].category = "diagnosis";
        n++;
    }
    if (purple_now && !purple_before) {
        plans[n].target = TARGET_INFECTIOUS;
        plans[n].urgent = 0;
        plans[n].confirm_days = c->pregnancy_risk_task_days;
        plans[n].reason = REASONS[COLOR_PURPLE];
        plans[n].category = "diagnosis";
        n++;
    }
    return n;
}

int pregnancy_risk_reportable(enum risk_color highest, int purple)
{
    return purple || highest == COLOR_ORANGE || highest == COLOR_RED;
}
