/* assessment.c - see assessment.h. */
#include "domain/assessment.h"

#include <string.h>

static int year_of(const char *text, int *year)
{
    *year = 0;
    for (int i = 0; i < 4; i++) {
        if (text[i] < '0' || text[i] > '9') return -1;
        *year = *year * 10 + (text[i] - '0');
    }
    return *year >= 2000 && *year <= 2100 ? 0 : -1;
}

int assessment_period_parse(const char *text, enum assessment_level level, struct date *first,
                            struct date *last)
{
    int year;
    if (!text || strlen(text) != 7 || year_of(text, &year) < 0 || text[4] != '-') return -1;
    char unit = level == ASSESSMENT_INSTITUTION ? 'Q' : 'H';
    int parts = level == ASSESSMENT_INSTITUTION ? 4 : 2, n = text[6] - '0';
    if (text[5] != unit || n < 1 || n > parts) return -1;
    int months = 12 / parts;
    *first = (struct date){year, (n - 1) * months + 1, 1};
    *last = date_add_days(date_add_months(*first, months), -1);
    return 0;
}

static const char *const LEVELS[] = {"institution", "county"};
static const char *const OUTCOMES[] = {"confirmed", "not_confirmed", "unreachable"};

static int parse(const char *const *names, int n, const char *name)
{
    for (int i = 0; name && i < n; i++)
        if (!strcmp(names[i], name)) return i;
    return -1;
}

const char *assessment_level_name(enum assessment_level l)
{
    return LEVELS[l];
}
int assessment_level_parse(const char *name)
{
    return parse(LEVELS, 2, name);
}
const char *assessment_outcome_name(enum assessment_outcome o)
{
    return OUTCOMES[o];
}
int assessment_outcome_parse(const char *name)
{
    return parse(OUTCOMES, CHECK_OUTCOME_COUNT, name);
}

int assessment_coefficient(const struct assessment_tally *t, int full_rate, int *judged)
{
    int reached = t->confirmed + t->not_confirmed;
    *judged = reached >= ASSESSMENT_MIN_REACHED;
    if (!*judged) return ASSESSMENT_PERMILLE;
    /* confirmed / reached >= full_rate %, in integers */
    if ((long long)t->confirmed * 100 >= (long long)full_rate * reached) return ASSESSMENT_PERMILLE;
    return (int)((long long)t->confirmed * ASSESSMENT_PERMILLE / reached);
}

long long assessment_apply(long long score, int coefficient_permille)
{
    return score * coefficient_permille / ASSESSMENT_PERMILLE;
}

const char *assessment_signoff_refusal(const struct assessment_tally *round)
{
    return round->pending ? "checks_pending" : NULL;
}
