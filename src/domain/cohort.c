/* cohort.c - see cohort.h. */
#include "domain/cohort.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Seed 000's measures: service use, the Wake Forest trust scale's total and items (PROTOCOLS.md
 * §12), satisfaction, visits to the family doctor per month and their share, and the
 * clinical result of the programs. */
const struct cohort_measure COHORT_MEASURES[] = {
    {"encounters", "就诊次数", "Visits (all)", COHORT_SCORE},
    {"primary_visits", "基层就诊次数", "Visits to primary care", COHORT_SCORE},
    {"fd_visits", "家庭医生就诊次数", "Visits to the family doctor", COHORT_SCORE},
    {"fd_visits_per_month", "月均家庭医生就诊次数", "Family-doctor visits a month", COHORT_SCORE},
    {"fd_share", "家庭医生就诊占比", "Share of visits to the family doctor", COHORT_SCORE},
    {"followups", "随访次数", "Follow-ups", COHORT_SCORE},
    {"services", "签约服务次数", "Contracted services delivered", COHORT_SCORE},
    {"trust_total", "医师信任总分", "Physician trust (total, 10-50)", COHORT_SCORE},
    {"trust_item_1", "信任条目1 尽力提供所需服务", "Trust item 1: gets me the care I need",
     COHORT_SCORE},
    {"trust_item_2", "信任条目2 更在意自己方便(反向)", "Trust item 2: own convenience (reversed)",
     COHORT_SCORE},
    {"trust_item_3", "信任条目3 水平不够(反向)", "Trust item 3: skills (reversed)", COHORT_SCORE},
    {"trust_item_4", "信任条目4 细致周到", "Trust item 4: thorough and careful", COHORT_SCORE},
    {"trust_item_5", "信任条目5 相信治疗方案", "Trust item 5: treatment decisions", COHORT_SCORE},
    {"trust_item_6", "信任条目6 如实告知", "Trust item 6: honest about options", COHORT_SCORE},
    {"trust_item_7", "信任条目7 只考虑对我最好", "Trust item 7: what is best for me", COHORT_SCORE},
    {"trust_item_8", "信任条目8 不能专心听(反向)", "Trust item 8: attention (reversed)",
     COHORT_SCORE},
    {"trust_item_9", "信任条目9 放心交到医生手中", "Trust item 9: my life in their hands",
     COHORT_SCORE},
    {"trust_item_10", "信任条目10 完全信任", "Trust item 10: complete trust", COHORT_SCORE},
    {"satisfaction", "满意度评分(1-5)", "Satisfaction (1-5)", COHORT_SCORE},
    {"sbp", "收缩压(mmHg)", "Systolic BP (mmHg)", COHORT_SCORE},
    {"fbg", "空腹血糖(mmol/L)", "Fasting glucose (mmol/L)", COHORT_SCORE},
    {"signed", "签约", "Signed with a team", COHORT_BINARY},
    {"any_fd_visit", "曾到家庭医生处就诊", "Saw the family doctor", COHORT_BINARY},
    {"controlled", "血压/血糖控制", "BP or glucose controlled", COHORT_BINARY},
    {"satisfied", "满意(4-5分)", "Satisfied (4-5)", COHORT_BINARY},
};
const int COHORT_MEASURE_COUNT = (int)(sizeof COHORT_MEASURES / sizeof COHORT_MEASURES[0]);

const struct cohort_factor COHORT_FACTORS[COHORT_FACTOR_COUNT] = {
    [COHORT_AGE] = {"age", "年龄", "Age"},
    [COHORT_MALE] = {"male", "男性", "Male"},
    [COHORT_CHRONIC_CONDITIONS] = {"chronic_conditions", "慢病种数", "Chronic conditions"},
    [COHORT_KEY_POPULATION] = {"key_population", "重点人群", "Key population (class I)"},
    [COHORT_POVERTY] = {"poverty", "困难家庭", "Low income"},
    [COHORT_DISABLED] = {"disabled", "残疾", "Disabled"},
};

int cohort_measure_find(const char *code)
{
    for (int i = 0; code && i < COHORT_MEASURE_COUNT; i++)
        if (!strcmp(COHORT_MEASURES[i].code, code)) return i;
    return -1;
}

int cohort_factor_find(const char *code)
{
    for (int i = 0; code && i < COHORT_FACTOR_COUNT; i++)
        if (!strcmp(COHORT_FACTORS[i].code, code)) return i;
    return -1;
}

int cohort_periods_check(struct date before_from, struct date before_to, struct date after_from,
                         struct date after_to, struct date today, const char **field)
{
    if (date_compare(before_from, before_to) > 0 ||
        date_diff_days(before_to, before_from) >= COHORT_MAX_PERIOD_DAYS)
        *field = "before.to";
    else if (date_compare(after_from, before_to) <= 0)
        *field = "after.from";
    else if (date_compare(after_from, after_to) > 0 ||
             date_diff_days(after_to, after_from) >= COHORT_MAX_PERIOD_DAYS ||
             date_compare(after_to, today) >= 0)
        *field = "after.to";
    else
        return 0;
    return -1;
}

double cohort_months(struct date from, struct date to)
{
    int whole = 0;
    while (date_compare(date_add_days(date_add_months(from, whole + 1), -1), to) <= 0)
        whole++;
    struct date start = date_add_months(from, whole), next = date_add_months(from, whole + 1);
    double rest = (double)(date_diff_days(to, start) + 1) / (double)date_diff_days(next, start);
    return whole + (rest > 0 ? rest : 0);
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void describe(double *v, size_t n, double *mean, double *sd, double *median)
{
    double sum = 0, squares = 0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    *mean = n ? sum / (double)n : NAN;
    for (size_t i = 0; i < n; i++)
        squares += (v[i] - *mean) * (v[i] - *mean);
    *sd = n > 1 ? sqrt(squares / (double)(n - 1)) : NAN;
    qsort(v, n, sizeof *v, by_value);
    *median = !n ? NAN : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Moves the complete pairs to the front; returns how many. */
static size_t complete_pairs(double *before, double *after, size_t n)
{
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(before[i]) && isfinite(after[i])) {
            before[kept] = before[i];
            after[kept++] = after[i];
        }
    return kept;
}

void cohort_analyse(enum cohort_kind_of_measure kind, double *before, double *after, size_t n,
                    struct cohort_result *out)
{
    memset(out, 0, sizeof *out);
    n = complete_pairs(before, after, n);
    out->n = n;
    if (kind == COHORT_BINARY) {
        for (size_t i = 0; i < n; i++) {
            out->before_yes += before[i] != 0;
            out->after_yes += after[i] != 0;
            out->b += before[i] != 0 && after[i] == 0;
            out->c += before[i] == 0 && after[i] != 0;
        }
        out->before_mean = n ? (double)out->before_yes / (double)n : NAN;
        out->after_mean = n ? (double)out->after_yes / (double)n : NAN;
        out->mean_change = out->after_mean - out->before_mean;
        struct stats_mcnemar m;
        int exact = out->b + out->c < 25;
        out->mcnemar.err = n ? stats_mcnemar(out->b, out->c, exact, &m) : STATS_TOO_FEW;
        if (out->mcnemar.err == STATS_OK)
            out->mcnemar = (struct cohort_test){STATS_OK, m.statistic, exact ? 0 : 1, m.p, exact};
        return;
    }
    /* The tests first: describe() sorts its copies. */
    struct stats_paired_t t;
    out->paired_t.err = stats_paired_t(after, before, n, &t);
    if (out->paired_t.err == STATS_OK)
        out->paired_t = (struct cohort_test){STATS_OK, t.t, t.df, t.p, 0};
    struct stats_wilcoxon w;
    out->wilcoxon.err = stats_wilcoxon(after, before, n, &w);
    if (out->wilcoxon.err == STATS_OK)
        out->wilcoxon = (struct cohort_test){STATS_OK, w.statistic, 0, w.p, w.exact};
    double change = 0;
    for (size_t i = 0; i < n; i++)
        change += after[i] - before[i];
    out->mean_change = n ? change / (double)n : NAN;
    describe(before, n, &out->before_mean, &out->before_sd, &out->before_median);
    describe(after, n, &out->after_mean, &out->after_sd, &out->after_median);
}

enum stats_error cohort_regress(double *change, double *x, size_t n, size_t p,
                                struct stats_ols *out)
{
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(change[i])) continue;
        change[kept] = change[i];
        memmove(x + kept * p, x + i * p, p * sizeof *x);
        kept++;
    }
    return stats_ols(change, x, kept, p, out);
}
