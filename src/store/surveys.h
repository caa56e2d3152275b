/* surveys.h (store) - questionnaires as migration 030 declares them, and the responses to
 * them (docs/resident-loop.md "Surveys"). Writes run inside the caller's transaction. */
#ifndef JIAYI_STORE_SURVEYS_H
#define JIAYI_STORE_SURVEYS_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/questionnaire.h"
#include "store/status.h"

struct survey_questionnaire {
    int64_t id;
    char code[40];
    int interval_days; /* due again this long after the last answer */
    int overall_item;  /* the item that also feeds satisfaction_rate, 0 none */
    struct questionnaire q;
};

/* The active questionnaire `code`: 1 found, 0 none, -1 on error. */
JY_MUST_USE int store_questionnaire_load(struct db *db, const char *code,
                                         struct survey_questionnaire *out);

/* [{"code","name","interval_days","dimensions":[{"code","name"}],"items":[{"n","text",
 * "scale_min","scale_max","reverse","dimension"}]}] in the language asked; NULL on error. */
json_t *store_questionnaires_list(struct db *db, int en);

struct survey_response_input {
    int64_t questionnaire_id, resident_id, team_id, recorded_by, satisfaction_id;
    const char *channel, *answered_on;
    const struct questionnaire *q;
    const struct questionnaire_score *score;
};
/* The response and its answers: its id or a negative DB_* code. */
JY_MUST_USE int64_t store_survey_response_insert(struct db *db,
                                                 const struct survey_response_input *in);

/* The last day (YYYY-MM-DD into out) the resident answered the questionnaire for the team:
 * 1, 0 never, -1 on error. */
JY_MUST_USE int store_survey_last_answered(struct db *db, int64_t resident_id,
                                           int64_t questionnaire_id, int64_t team_id, char out[11]);

/* The resident's responses, newest first: [{"id","questionnaire","name","team_id","team_name",
 * "channel","answered_on","total"}]; NULL on error. */
json_t *store_resident_survey_responses(struct db *db, int64_t resident_id, int en);

/* A team's results for one questionnaire answered in [from, to] (NULL: unbounded):
 * {"n","mean_total","items":[{"n","mean"}],"dimensions":[{"code","name","mean"}]}, means
 * of the scored values, null when n is 0; NULL on error. */
json_t *store_team_survey_results(struct db *db, int64_t team_id,
                                  const struct survey_questionnaire *sq, const char *from,
                                  const char *to, int en);

#endif
