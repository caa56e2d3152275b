/* evaluation.c (demo) - see points.h (demo_evaluation_build). Seed 000 followed a service
 * group's residents for a year: trust and satisfaction rose and the monthly visits to the
 * family doctor went from 0.43 to 0.62. The demo's first team gets the same shape: up to 150
 * of the residents signed with it through both half-years answer the trust scale (and every
 * other one the satisfaction survey) in the first half-year around 3 and lately around 4
 * (one in five stays where they were), and see the team a little more often since. Its own
 * random stream, so the rest of the demo draws what it drew before. */
#include <stdio.h>
#include <stdlib.h>

#include "demo/points.h"
#include "domain/cohort.h"
#include "store/cohort_studies.h"
#include "store/registry.h"
#include "store/services.h"
#include "store/surveys.h"

static uint64_t next(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

#define COHORT 150

int demo_evaluation_build(struct db *db, const struct demo_points_site *s)
{
    static const char SIGNED_THROUGH[] =
        "SELECT c.resident_id FROM contracts c WHERE c.team_id = ?1 AND c.start_date <= ?3"
        " AND coalesce(c.ended_on, c.end_date) >= ?3 AND c.resident_id <> ?4"
        " AND EXISTS (SELECT 1 FROM contracts b WHERE b.resident_id = c.resident_id"
        "  AND b.team_id = ?1 AND b.start_date <= ?2 AND coalesce(b.ended_on, b.end_date) >= ?2)"
        " ORDER BY c.resident_id LIMIT 150";
    if (s->team_count < 1) return 0;
    int64_t team = s->team_ids[0];
    struct date before_from = date_add_days(s->today, -365),
                after_from = date_add_days(s->today, -182);
    struct date before_to = date_add_days(after_from, -1), after_to = date_add_days(s->today, -1);
    char dates[4][11], region[16];
    date_format(before_from, dates[0]);
    date_format(before_to, dates[1]);
    date_format(after_from, dates[2]);
    date_format(after_to, dates[3]);
    struct survey_questionnaire trust, satisfaction;
    if (store_questionnaire_load(db, "wake_forest_trust_10", &trust) != 1 ||
        store_questionnaire_load(db, "satisfaction_service", &satisfaction) != 1 ||
        store_team_region(db, team, region) != 0)
        return -1;
    struct db_stmt *st = db_prepare(db, SIGNED_THROUGH);
    if (!st) return -1;
    db_bind_int(st, 1, team);
    db_bind_text(st, 2, dates[0]);
    db_bind_text(st, 3, dates[2]); /* signed when the "after" half-year began, and a year ago */
    db_bind_int(st, 4, s->resident01);
    int64_t who[COHORT];
    int n = 0, rc;
    while ((rc = db_step(st)) == DB_ROW && n < COHORT)
        who[n++] = db_column_int(st, 0);
    if (rc == DB_ROW) rc = db_run(st);
    if (rc != DB_DONE) return -1;
    uint64_t rng = s->seed * 0x94D049BB133111EBull + 22;
    char day[11];
    for (int i = 0; i < n; i++) {
        int moved = next(&rng) % 5 != 0;
        const char *channel = i % 3 == 0 ? "phone_callback" : "portal";
        for (int half = 0; half < 2; half++) {
            struct date on = half ? date_add_days(after_from, 40 + (long)(next(&rng) % 130))
                                  : date_add_days(before_from, 20 + (long)(next(&rng) % 140));
            int level = half ? 3 + moved : 3;
            date_format(on, day);
            if (demo_survey_answer(db, &trust, who[i], team, channel, day, level, &rng) < 0)
                return -1;
            if (i % 2) continue;
            /* the survey's overall answer is also a satisfaction answer, as the API keeps it */
            int overall =
                demo_survey_answer(db, &satisfaction, who[i], team, channel, day, level, &rng);
            if (overall < 0 ||
                (overall > 0 &&
                 store_satisfaction_insert(db, who[i], day, team, overall, s->county,
                                           i % 3 ? "resident" : "phone_callback", -1, 0) < 0))
                return -1;
        }
        /* One more visit to the team in the half-year for most (about 0.17 a month). */
        for (int v = 0; v < (int)(next(&rng) % 3); v++) {
            date_format(date_add_days(after_from, (long)(next(&rng) % 180)), day);
            struct encounter_input e = {who[i], day, s->center_id, 1,         1,
                                        team,   0,   NULL,         s->county, 0};
            if (store_encounter_insert(db, &e) < 0) return -1;
        }
    }
    struct cohort_study_input in = {.name = "家庭医生服务团干预前后评估",
                                    .kind = "service_group",
                                    .region = region,
                                    .county_code = s->county,
                                    .team_id = team,
                                    .before_from = dates[0],
                                    .before_to = dates[1],
                                    .after_from = dates[2],
                                    .after_to = dates[3],
                                    .before_months = cohort_months(before_from, before_to),
                                    .after_months = cohort_months(after_from, after_to)};
    int64_t *members = NULL;
    size_t n_members = 0;
    int64_t id = store_cohort_study_create(db, &in, &members, &n_members);
    free(members);
    return id > 0 ? 0 : -1;
}
