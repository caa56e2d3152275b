/* assessment.h - assessment rounds with spot checks (考核与抽查, issue 19). An institution
 * assesses its teams every quarter and the county every half year; a round draws a sample of
 * each team's records of the period (follow-ups its members recorded, contracts it signed)
 * and someone outside the team re-verifies each by telephone: the resident confirms the
 * visit or the signing, denies it, or cannot be reached. Signed off, a team's share of
 * confirmed records becomes a coefficient on its appraisal score (PROTOCOLS.md §10), so a
 * team whose records do not stand up to the check earns less of the bonus pool. Pure. */
#ifndef JIAYI_DOMAIN_ASSESSMENT_H
#define JIAYI_DOMAIN_ASSESSMENT_H

#include "util/date.h"

enum assessment_level { ASSESSMENT_INSTITUTION, ASSESSMENT_COUNTY };
enum assessment_outcome {
    CHECK_CONFIRMED,
    CHECK_NOT_CONFIRMED,
    CHECK_UNREACHABLE,
    CHECK_OUTCOME_COUNT
};

#define ASSESSMENT_SAMPLE_DEFAULT 10    /* [jiayi] records checked per team */
#define ASSESSMENT_FULL_RATE_DEFAULT 95 /* [jiayi] % confirmed at or above: no deduction */
#define ASSESSMENT_MIN_REACHED 3        /* [jiayi] fewer reached than this: not enough to judge */
#define ASSESSMENT_PERMILLE 1000

/* The period a round of `level` assesses: an institution round a quarter "2026-Q3", a county
 * round a half year "2026-H2". 0 and the range, -1 when `text` is not that level's form. */
int assessment_period_parse(const char *text, enum assessment_level level, struct date *first,
                            struct date *last);

const char *assessment_level_name(enum assessment_level l);
int assessment_level_parse(const char *name); /* -1 when unknown */
const char *assessment_outcome_name(enum assessment_outcome o);
int assessment_outcome_parse(const char *name); /* -1 when unknown */

struct assessment_tally {
    int confirmed, not_confirmed, unreachable, pending;
};

/* A team's coefficient in per mille: 1000 when at least `full_rate` % of the reached checks
 * were confirmed, or when fewer than ASSESSMENT_MIN_REACHED were reached (not enough to
 * judge: *judged set to 0); else the confirmed share itself (9 of 10 confirmed: 900).
 * Unreachable residents count neither way. */
int assessment_coefficient(const struct assessment_tally *t, int full_rate, int *judged);

/* A score in hundredths of a point times a coefficient, rounded down. */
long long assessment_apply(long long score, int coefficient_permille);

/* NULL when a round may be signed off, else "checks_pending" (a check has no outcome). */
const char *assessment_signoff_refusal(const struct assessment_tally *round);

#endif
