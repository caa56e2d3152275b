/* points.h (demo) - health points and surveys for the demo county (issue 16): a catalogue
 * with stock (exam packages, TCM therapy sessions, goods: seed 003's 积分换健康), the points
 * the county's residents earned over the last year for the follow-ups, check-ups and group
 * activities the demo recorded, a few redemptions (resident01's among them), and answered
 * satisfaction and Wake Forest trust surveys for the demo teams. */
#ifndef JIAYI_DEMO_POINTS_H
#define JIAYI_DEMO_POINTS_H

#include <stdint.h>

#include "db/db.h"
#include "util/date.h"

struct demo_points_site {
    const char *county;      /* 6 digits */
    int64_t center_id;       /* town01's centre: most items are its */
    int64_t tcm_hospital;    /* the county TCM hospital: a therapy course */
    int64_t resident01;      /* 0: a demo without residents */
    const int64_t *team_ids; /* the teams that get answered surveys */
    int team_count;
    struct date today;
    uint64_t seed;
};

/* Inside the caller's transaction. 0, or -1. */
int demo_points_build(struct db *db, const struct demo_points_site *site);
int demo_surveys_build(struct db *db, const struct demo_points_site *site);
/* One response to `sq`, each item drawn around `level` (1-5), stored as the API would.
 * Returns the overall item's scored answer (0 when `sq` has none), or -1. */
struct survey_questionnaire;
int demo_survey_answer(struct db *db, const struct survey_questionnaire *sq, int64_t resident,
                       int64_t team, const char *channel, const char *day, int level,
                       uint64_t *rng);
/* Seed 000's before-and-after study (issue 22) on the first team's service group: trust and
 * satisfaction answered a year ago and lately, more visits to the team since, and the cohort
 * study of it made, so the evaluation screen opens on a result. */
int demo_evaluation_build(struct db *db, const struct demo_points_site *site);

#endif
