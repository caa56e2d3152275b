/* elderly.c - see elderly.h. */
#include "domain/elderly.h"

#include <string.h>

/* 老年人生活自理能力评估表: points per answer, answers ordered from able to unable. */
static const int POINTS[SELF_CARE_ITEMS][4] = {
    [SELF_CARE_EATING] = {0, 0, 3, 5},    [SELF_CARE_GROOMING] = {0, 1, 3, 7},
    [SELF_CARE_DRESSING] = {0, 0, 3, 5},  [SELF_CARE_TOILETING] = {0, 1, 5, 10},
    [SELF_CARE_ACTIVITY] = {0, 1, 5, 10},
};

const char *self_care_item_name(enum self_care_item i)
{
    static const char *const NAMES[SELF_CARE_ITEMS] = {"eating", "grooming", "dressing",
                                                       "toileting", "activity"};
    return i >= 0 && i < SELF_CARE_ITEMS ? NAMES[i] : "?";
}

int self_care_points(enum self_care_item item, int answer)
{
    if (item < 0 || item >= SELF_CARE_ITEMS || answer < 0 || answer > 3) return 0;
    return POINTS[item][answer];
}

enum self_care_level self_care_level_of(int score)
{
    if (score <= 3) return SELF_CARE_INDEPENDENT;
    if (score <= 8) return SELF_CARE_MILD;
    if (score <= 18) return SELF_CARE_MODERATE;
    return SELF_CARE_UNABLE;
}

void elderly_evaluate(const struct elderly_assessment *a, const struct protocol_config *c,
                      struct elderly_result *out)
{
    int score = 0;
    for (int i = 0; i < SELF_CARE_ITEMS; i++)
        score += self_care_points((enum self_care_item)i, a->answers[i]);
    out->self_care_score = score;
    out->level = self_care_level_of(score);
    if (score >= c->elderly_red_self_care || a->emergency_in_90_days ||
        a->uncontrolled_programs >= c->elderly_red_uncontrolled) {
        out->color = COLOR_RED;
        out->next_due = date_add_months(a->assessment_date, c->elderly_red_months);
    } else if (score >= c->elderly_yellow_self_care || a->chronic_programs > 0) {
        out->color = COLOR_YELLOW;
        out->next_due = date_add_months(a->assessment_date, c->elderly_yellow_months);
    } else {
        out->color = COLOR_GREEN;
        out->next_due = date_add_months(a->assessment_date, c->elderly_green_months);
    }
}

const char *self_care_level_name(enum self_care_level l)
{
    static const char *const NAMES[] = {"independent", "mild", "moderate", "unable"};
    return l >= 0 && l <= SELF_CARE_UNABLE ? NAMES[l] : "?";
}

static const char *const COLORS[] = {"green", "yellow", "orange", "red", "purple"};

const char *risk_color_name(enum risk_color c)
{
    return c >= 0 && c <= COLOR_PURPLE ? COLORS[c] : "?";
}

int risk_color_parse(const char *name)
{
    for (int i = 0; name && i <= COLOR_PURPLE; i++)
        if (strcmp(COLORS[i], name) == 0) return i;
    return -1;
}
