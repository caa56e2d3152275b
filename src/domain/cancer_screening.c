/* cancer_screening.c - see cancer_screening.h. */
#include "domain/cancer_screening.h"

#include <stddef.h>
#include <string.h>

const struct cancer_screening CANCER_SCREENINGS[] = {
    /* [spec] 农村妇女两癌筛查: women 35-64; HPV testing every 5 years */
    {"cervical_screening", "宫颈癌筛查", "Cervical cancer screening", 'F', 35, 64, 60},
    /* [spec] the same programme: breast examination and ultrasound; [jiayi] every 2 years */
    {"breast_screening", "乳腺癌筛查", "Breast cancer screening", 'F', 35, 64, 24},
    /* [spec] colorectal cancer screening: 50-74, a faecal immunochemical test a year */
    {"colorectal_screening", "结直肠癌筛查", "Colorectal cancer screening", 0, 50, 74, 12},
};
const int CANCER_SCREENING_COUNT = (int)(sizeof CANCER_SCREENINGS / sizeof CANCER_SCREENINGS[0]);

const struct cancer_screening *cancer_screening_find(const char *service)
{
    for (int i = 0; service && i < CANCER_SCREENING_COUNT; i++)
        if (!strcmp(CANCER_SCREENINGS[i].service, service)) return &CANCER_SCREENINGS[i];
    return NULL;
}

void cancer_screening_window(const struct cancer_screening *s, struct date today,
                             struct date *born_from, struct date *born_to,
                             struct date *screened_since)
{
    /* Aged max_age at most: born after the day max_age + 1 years back. */
    *born_from = date_add_days(date_add_years(today, -(s->max_age + 1)), 1);
    *born_to = date_add_years(today, -s->min_age);
    *screened_since = date_add_months(today, -s->interval_months);
}

int cancer_screening_due(const struct cancer_screening *s, char sex, struct date birth,
                         const struct date *last, struct date today)
{
    if (s->sex && s->sex != sex) return 0;
    struct date from, to, since;
    cancer_screening_window(s, today, &from, &to, &since);
    if (date_compare(birth, from) < 0 || date_compare(birth, to) > 0) return 0;
    return !last || date_compare(*last, since) < 0;
}
