/* indicator_targets.h - what each indicator's number is (a rate, a count, a number per
 * person), which way is better, the target it is measured against, and the colour rule
 * the dashboard draws: a value is judged against its own target, never against the other
 * scopes on the screen. Defaults follow the national targets where one exists
 * (docs/indicator-targets.md says which and where from); a deployment changes them through
 * PUT /api/v1/indicator-targets. Also the care cascade read off an indicator's parts.
 * Pure. */
#ifndef JIAYI_DOMAIN_INDICATOR_TARGETS_H
#define JIAYI_DOMAIN_INDICATOR_TARGETS_H

#include "domain/indicators.h"

enum kpi_unit {
    KPI_UNIT_PERCENT,   /* a share 0..1, shown as a percentage */
    KPI_UNIT_COUNT,     /* a count in the period */
    KPI_UNIT_PER_CAPITA /* a number per person (per month): shown as a plain number */
};
enum kpi_direction { KPI_HIGHER_IS_BETTER, KPI_LOWER_IS_BETTER };
enum kpi_status {
    KPI_STATUS_NONE,  /* no value or no target: no judgement */
    KPI_STATUS_BELOW, /* misses the target by more than the margin */
    KPI_STATUS_NEAR,  /* misses it by at most KPI_NEAR_MARGIN of the target */
    KPI_STATUS_MET    /* reaches it (at or beyond, in the better direction) */
};

/* "Near" = short of the target by at most a tenth of it (a 75% target: 67.5% and up). */
#define KPI_NEAR_MARGIN 0.10
/* The largest target a per-capita or count indicator may be given. */
#define KPI_TARGET_MAX 1000000.0

/* The targets in force: has[c] = 0 when the indicator has none. */
struct kpi_targets {
    unsigned char has[KPI_COUNT];
    double value[KPI_COUNT];
};

enum kpi_unit kpi_unit_of(int code);
enum kpi_direction kpi_direction_of(int code);
const char *kpi_unit_name(enum kpi_unit unit);          /* "percent", "count", "per_capita" */
const char *kpi_direction_name(enum kpi_direction dir); /* "higher_is_better", ... */
const char *kpi_status_name(enum kpi_status status);    /* "none", "below", "near", "met" */

/* The built-in targets (the national ones where they exist). */
void kpi_targets_defaults(struct kpi_targets *out);
/* 1 when the code has a built-in target (put in *target), else 0. */
int kpi_default_target(int code, double *target);
/* 0 when `target` is acceptable for the code: a share 0..1 for a rate, 0..KPI_TARGET_MAX
 * otherwise; -1 when not (also for NaN or infinities). */
int kpi_target_check(int code, double target);

/* The judgement of `value` against `target` in `direction` (see enum kpi_status). */
enum kpi_status kpi_target_status(int has_value, double value, int has_target, double target,
                                  enum kpi_direction direction);

/* The care cascade of a chronic programme (Simple's dashboard), read off the cascade
 * indicators' parts so it always agrees with them:
 *   registered     enrolled on "as of" and in the population (the under-care denominator);
 *   under_care     of them, a follow-up in the last 12 months (not lost to follow-up);
 *   visited        of them, a follow-up in the last 3 months (registered minus missed);
 *   controlled     latest follow-up in the last 3 months controlled by the protocol
 *                  (§3: <140/90, <150/90 from 65; §4: FBG < 7.0), among patients enrolled
 *                  before the 3-month window opened;
 *   control_base   the patients enrolled before the window (the control rate's base);
 *   lost, missed   the complements (no follow-up in 12 / in 3 months). */
struct kpi_cascade {
    int64_t registered, under_care, visited, controlled, control_base, lost, missed;
};
/* 0 and the cascade of `program` (KP_HTN or KP_DM), -1 for another programme. */
int kpi_cascade_of(const struct kpi_parts *parts, enum kpi_program program,
                   struct kpi_cascade *out);

#endif
