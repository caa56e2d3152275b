/* indicator_targets.c - see indicator_targets.h; the sources of the default targets are in
 * docs/indicator-targets.md. */
#include "domain/indicator_targets.h"

#include <math.h>
#include <string.h>

/* Built-in targets; a negative value: none. Rates are shares 0..1. */
static const double DEFAULT_TARGET[KPI_COUNT] = {
    [KPI_SIGNING] = 0.75,      /* 国卫基层发〔2022〕10号: coverage 75% and above by 2035 */
    [KPI_KEY_SIGNING] = 0.85,  /* same document: key populations 85% and above */
    [KPI_RENEWAL] = 0.80,      /* [jiayi] */
    [KPI_FULFILMENT] = 0.90,   /* [jiayi] */
    [KPI_RECORD] = 0.90,       /* [jiayi] */
    [KPI_RECORD_OPEN] = 0.60,  /* [jiayi] */
    [KPI_HTN_STANDARD] = 0.60, /* 健康中国行动 (2019-2030): 60% by 2022, 70% by 2030 */
    [KPI_HTN_CONTROL] = 0.60,  /* [jiayi] */
    [KPI_DM_STANDARD] = 0.60,  /* 健康中国行动: as hypertension */
    [KPI_DM_CONTROL] = 0.60,   /* [jiayi] */
    [KPI_ELDERLY_MGMT] = 0.70, /* [jiayi] */
    [KPI_CHILD_MGMT] = 0.85, /* 健康中国行动 (妇幼健康): children under 7, 85% and above */
    [KPI_NEWBORN_VISIT] = 0.90,    /* [jiayi], after the 90% maternal system-management target */
    [KPI_EARLY_PREGNANCY] = 0.90,  /* [jiayi], same */
    [KPI_POSTPARTUM_VISIT] = 0.90, /* [jiayi], same */
    [KPI_SMD_STANDARD] = 0.80, /* 全国精神卫生工作规划（2015-2020年）: 80% and above */
    [KPI_MANAGED_VISIT] = 0.80,        /* [jiayi] */
    [KPI_VISIT_MANAGED] = 0.60,        /* [jiayi] */
    [KPI_SIGNED_PRIMARY_VISIT] = 0.60, /* [jiayi] */
    [KPI_IN_COUNTY_VISIT] = 0.90,      /* county-hospital reform: in-county visits about 90% */
    [KPI_FD_VISIT_SHARE] = 0.50,       /* [jiayi] */
    [KPI_FD_VISITS_PER_CAPITA] = -1,
    [KPI_REFERRALS_UP] = -1,
    [KPI_REFERRALS_DOWN] = -1,
    [KPI_SATISFACTION] = 0.85,   /* 国卫基层发〔2022〕10号: satisfaction about 85% */
    [KPI_HTN_UNDER_CARE] = 0.90, /* [jiayi] cascade */
    [KPI_HTN_MISSED_VISIT] = 0.25,
    [KPI_HTN_LOST] = 0.10,
    [KPI_HTN_CASCADE_CONTROLLED] = 0.60,
    [KPI_DM_UNDER_CARE] = 0.90,
    [KPI_DM_MISSED_VISIT] = 0.25,
    [KPI_DM_LOST] = 0.10,
    [KPI_DM_CASCADE_CONTROLLED] = 0.60,
    [KPI_REFERRAL_RETURN] = 0.78, /* [jiayi] as Yuetan (issue 15) */
    [KPI_REFERRAL_SEEN_MEDIAN] = -1,
    [KPI_COMBINATION_VISIT] = 0.60,     /* [jiayi] */
    [KPI_REFERRAL_SATISFACTION] = 0.85, /* [jiayi] as the satisfaction rate */
    [KPI_SLOT_USE] = 0.80,              /* [jiayi] most released places should be used */
    [KPI_LONG_PRESCRIPTIONS] = -1,
    [KPI_TRUST_SCORE_MEAN] = -1,
    [KPI_REMINDER_COMPLETION] = 0.70, /* [jiayi] most reminded residents come within two weeks */
    [KPI_IMMUNISATION_TIMELY] = 0.90, /* 国家免疫规划: coverage kept above 90% in every township */
    [KPI_TB_MGMT] = 0.90, /* 国家基本公共卫生服务项目绩效考核: 肺结核患者管理率 90% */
    [KPI_TB_REGULAR] = 0.90,         /* same: 规则服药率 90% */
    [KPI_PRIMARY_OUTPATIENT] = 0.65, /* 紧密型县域医共体: 基层诊疗量占比 about 65% */
    [KPI_IN_COUNTY_INPATIENT] = 0.90, /* county-hospital reform: 县域内住院率 about 90% */
    [KPI_KEY_STANDARD] = 0.80,        /* [jiayi] as the chronic programmes' standardised targets */
    [KPI_CLASS2_SIGNING] = 0.60,      /* [jiayi] between the key-population and overall targets */
    [KPI_PERSONALISED_SIGNINGS] = -1,
    [KPI_PERSONALISED_FEE] = -1,
    [KPI_COST_PER_CAPITA] = -1,
    [KPI_AWARENESS] = 0.80, /* [jiayi] the counties' assessments ask for about 80% */
};

enum kpi_unit kpi_unit_of(int code)
{
    if (code == KPI_FD_VISITS_PER_CAPITA || code == KPI_TRUST_SCORE_MEAN ||
        code == KPI_COST_PER_CAPITA)
        return KPI_UNIT_PER_CAPITA;
    if (code >= 0 && code < KPI_COUNT && KPI_INFO[code].is_count) return KPI_UNIT_COUNT;
    return KPI_UNIT_PERCENT;
}

enum kpi_direction kpi_direction_of(int code)
{
    switch (code) {
    case KPI_HTN_MISSED_VISIT:
    case KPI_HTN_LOST:
    case KPI_DM_MISSED_VISIT:
    case KPI_DM_LOST:
    case KPI_REFERRAL_SEEN_MEDIAN:
        return KPI_LOWER_IS_BETTER;
    default:
        return KPI_HIGHER_IS_BETTER;
    }
}

const char *kpi_unit_name(enum kpi_unit unit)
{
    return unit == KPI_UNIT_COUNT        ? "count"
           : unit == KPI_UNIT_PER_CAPITA ? "per_capita"
                                         : "percent";
}

const char *kpi_direction_name(enum kpi_direction dir)
{
    return dir == KPI_LOWER_IS_BETTER ? "lower_is_better" : "higher_is_better";
}

const char *kpi_status_name(enum kpi_status status)
{
    static const char *const NAMES[] = {"none", "below", "near", "met"};
    return NAMES[status];
}

int kpi_default_target(int code, double *target)
{
    if (code < 0 || code >= KPI_COUNT || DEFAULT_TARGET[code] < 0) return 0;
    /* An unlisted code (0.0 from the initialiser) would read as a target of zero: every
     * code is listed above, so 0.0 never means "forgotten" for a higher-is-better rate. */
    *target = DEFAULT_TARGET[code];
    return 1;
}

void kpi_targets_defaults(struct kpi_targets *out)
{
    memset(out, 0, sizeof *out);
    for (int c = 0; c < KPI_COUNT; c++)
        out->has[c] = (unsigned char)kpi_default_target(c, &out->value[c]);
}

int kpi_target_check(int code, double target)
{
    if (code < 0 || code >= KPI_COUNT || !isfinite(target) || target < 0) return -1;
    double max = kpi_unit_of(code) == KPI_UNIT_PERCENT ? 1.0 : KPI_TARGET_MAX;
    return target <= max ? 0 : -1;
}

enum kpi_status kpi_target_status(int has_value, double value, int has_target, double target,
                                  enum kpi_direction direction)
{
    if (!has_value || !has_target || !isfinite(value)) return KPI_STATUS_NONE;
    /* Compare with a little slack so 0.6 read back from 3/5 counts as reaching 0.6. */
    const double eps = 1e-9;
    double margin = KPI_NEAR_MARGIN * target;
    if (direction == KPI_LOWER_IS_BETTER) {
        if (value <= target + eps) return KPI_STATUS_MET;
        return value <= target + margin + eps ? KPI_STATUS_NEAR : KPI_STATUS_BELOW;
    }
    if (value >= target - eps) return KPI_STATUS_MET;
    return value >= target - margin - eps ? KPI_STATUS_NEAR : KPI_STATUS_BELOW;
}

int kpi_cascade_of(const struct kpi_parts *parts, enum kpi_program program, struct kpi_cascade *out)
{
    int first;
    if (program == KP_HTN)
        first = KPI_HTN_UNDER_CARE;
    else if (program == KP_DM)
        first = KPI_DM_UNDER_CARE;
    else
        return -1;
    /* The four codes follow each other: under care, missed visit, lost, controlled. */
    memset(out, 0, sizeof *out);
    out->registered = parts->den[first];
    out->under_care = parts->num[first];
    out->missed = parts->num[first + 1];
    out->lost = parts->num[first + 2];
    out->visited = out->registered - out->missed;
    out->controlled = parts->num[first + 3];
    out->control_base = parts->den[first + 3];
    return 0;
}
