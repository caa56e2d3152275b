/* cohort.h - before-and-after cohort studies (issue 22; seed 000 measured a family-doctor
 * service group's residents this way): what is measured on each member in each period, the
 * factors a change is regressed on, the periods' rules, and the analysis of a measure's
 * pairs (paired t and Wilcoxon for scores and counts, McNemar for yes/no) and of a change
 * (OLS on the factors) by domain/stats.c. Pure; the values come from store/cohort_studies.c. */
#ifndef JIAYI_DOMAIN_COHORT_H
#define JIAYI_DOMAIN_COHORT_H

#include <stddef.h>

#include "domain/stats.h"
#include "util/date.h"

enum cohort_kind_of_measure {
    COHORT_SCORE,  /* a score, count or rate: paired t and Wilcoxon signed-rank */
    COHORT_BINARY, /* yes (1) or no (0): McNemar */
};

struct cohort_measure {
    const char *code, *zh, *en;
    enum cohort_kind_of_measure kind;
};

extern const struct cohort_measure COHORT_MEASURES[];
extern const int COHORT_MEASURE_COUNT;
/* The index of a measure's code, or -1. */
int cohort_measure_find(const char *code);

/* The factors of each member, as of the day the cohort was fixed. */
struct cohort_factor {
    const char *code, *zh, *en;
};
enum {
    COHORT_AGE,
    COHORT_MALE,
    COHORT_CHRONIC_CONDITIONS,
    COHORT_KEY_POPULATION,
    COHORT_POVERTY,
    COHORT_DISABLED,
    COHORT_FACTOR_COUNT
};
extern const struct cohort_factor COHORT_FACTORS[COHORT_FACTOR_COUNT];
int cohort_factor_find(const char *code);

/* The periods: each from <= to, the "before" period wholly before the "after" one, the
 * "after" period over before today (today's records are still coming in), each at most
 * COHORT_MAX_PERIOD_DAYS. 0, or -1 with *field naming the date at fault. */
#define COHORT_MAX_PERIOD_DAYS 1096
int cohort_periods_check(struct date before_from, struct date before_to, struct date after_from,
                         struct date after_to, struct date today, const char **field);

/* A period's length in months, for per-month rates: whole calendar months between the two
 * days plus the last month's share (1 Jan-30 Jun is 6; 15 Jan-14 Jul is 6). */
double cohort_months(struct date from, struct date to);

/* A test's outcome: err STATS_OK and its figures, or why it could not be computed. */
struct cohort_test {
    enum stats_error err;
    double statistic, df, p; /* df 0 where the test has none */
    int exact;               /* Wilcoxon's exact distribution; McNemar's binomial */
};

struct cohort_result {
    size_t n; /* members with a value in both periods */
    double before_mean, after_mean, before_sd, after_sd, mean_change;
    double before_median, after_median;
    struct cohort_test paired_t, wilcoxon; /* scores */
    long before_yes, after_yes, b, c;      /* yes/no: b yes -> no, c no -> yes */
    struct cohort_test mcnemar;
};

/* Analyses the pairs of one measure; NaN marks a missing value (the pair is left out). The
 * arrays are reordered. McNemar is exact below 25 discordant pairs, as `jiayi stats`. */
void cohort_analyse(enum cohort_kind_of_measure kind, double *before, double *after, size_t n,
                    struct cohort_result *out);

/* The change after - before of `outcome` regressed on the factors' columns (x row-major, n
 * rows of p columns); members with a missing change are left out (the arrays are reordered
 * in place). */
enum stats_error cohort_regress(double *change, double *x, size_t n, size_t p,
                                struct stats_ols *out);

#endif
