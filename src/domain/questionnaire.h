/* questionnaire.h - scoring a questionnaire from its own declaration (docs/resident-loop.md
 * "Surveys"): each item has a scale (min..max) and may be reverse-scored, so that a higher
 * score always means the same direction (more trust, more satisfied); items belong to a
 * dimension. A response must answer every item exactly once, within its scale.
 *
 * The revised Wake Forest physician trust scale (PROTOCOLS.md §12): 10 items, 1-5, total
 * 10-50, its reverse-scored items declared by the questionnaire (migration 030).
 * Pure: store/surveys.c loads the declaration, api/surveys.c asks. */
#ifndef JIAYI_DOMAIN_QUESTIONNAIRE_H
#define JIAYI_DOMAIN_QUESTIONNAIRE_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

#define QUESTIONNAIRE_MAX_ITEMS 60
#define QUESTIONNAIRE_MAX_DIMENSIONS 12
#define QUESTIONNAIRE_DIMENSION_LEN 32

struct questionnaire_item {
    int n;        /* the item's number, as answers name it */
    int min, max; /* the scale */
    int reverse;  /* scored min + max - value */
    char dimension[QUESTIONNAIRE_DIMENSION_LEN];
};

struct questionnaire {
    int count;
    struct questionnaire_item items[QUESTIONNAIRE_MAX_ITEMS];
};

struct questionnaire_answer {
    int64_t n, value;
};

struct questionnaire_score {
    int total;                           /* sum of the scored values */
    int min_total, max_total;            /* the range the total can take */
    int value[QUESTIONNAIRE_MAX_ITEMS];  /* as answered, in item order */
    int scored[QUESTIONNAIRE_MAX_ITEMS]; /* after reversing, in item order */
    int dimension_count;
    char dimension[QUESTIONNAIRE_MAX_DIMENSIONS][QUESTIONNAIRE_DIMENSION_LEN];
    double dimension_mean[QUESTIONNAIRE_MAX_DIMENSIONS]; /* mean scored value of its items */
};

/* The score an answer of `value` to `item` counts for. */
int questionnaire_scored(const struct questionnaire_item *item, int value);

/* Checks the declaration: items numbered uniquely, each scale min < max, a dimension each,
 * at most QUESTIONNAIRE_MAX_DIMENSIONS dimensions. 0, or -1. */
int questionnaire_valid(const struct questionnaire *q);

/* Scores `count` answers. 0 and *out, or -1 with err (422) naming the field:
 *   invalid_field "answers[i].n"     no such item, or the item answered twice;
 *   invalid_field "answers[i].value" outside the item's scale;
 *   missing_answer "answers"          an item not answered (err->value: its number). */
int questionnaire_score(const struct questionnaire *q, const struct questionnaire_answer *answers,
                        size_t count, struct questionnaire_score *out, struct jy_error *err);

#endif
