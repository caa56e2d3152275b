/* elderly.h - the annual elderly assessment (§5 of PROTOCOLS.md): the self-care ability
 * score (老年人生活自理能力评估表) and its level [spec], and the risk colour with its visit
 * interval [jiayi, configurable]. Pure. */
#ifndef JIAYI_DOMAIN_ELDERLY_H
#define JIAYI_DOMAIN_ELDERLY_H

#include "domain/protocol_config.h"
#include "util/date.h"

enum self_care_item {
    SELF_CARE_EATING,
    SELF_CARE_GROOMING,
    SELF_CARE_DRESSING,
    SELF_CARE_TOILETING,
    SELF_CARE_ACTIVITY,
    SELF_CARE_ITEMS
};
enum self_care_level {
    SELF_CARE_INDEPENDENT,
    SELF_CARE_MILD,
    SELF_CARE_MODERATE,
    SELF_CARE_UNABLE
};
enum risk_color { COLOR_GREEN, COLOR_YELLOW, COLOR_ORANGE, COLOR_RED, COLOR_PURPLE };

struct elderly_assessment {
    struct date assessment_date;
    int answers[SELF_CARE_ITEMS]; /* answer index 0..3 per item */
    int chronic_programs;         /* chronic program enrolments */
    int uncontrolled_programs;    /* of those, how many have an uncontrolled latest result */
    int emergency_in_90_days;     /* an emergency result in any program recently */
};

struct elderly_result {
    int self_care_score;
    enum self_care_level level;
    enum risk_color color;
    struct date next_due;
};

const char *self_care_item_name(enum self_care_item i);
/* The score of one answer (0..3) to one item, per the specification's form. */
int self_care_points(enum self_care_item item, int answer);
enum self_care_level self_care_level_of(int score);
void elderly_evaluate(const struct elderly_assessment *a, const struct protocol_config *c,
                      struct elderly_result *out);

const char *self_care_level_name(enum self_care_level l);
const char *risk_color_name(enum risk_color c);
/* The colour for a name, or -1. */
int risk_color_parse(const char *name);

#endif
