/* immunisation.c - see immunisation.h. */
#include "domain/immunisation.h"

#include <stddef.h>
#include <string.h>

/* A dose: the age it is recommended at, and the least time after the previous dose. */
struct dose_rule {
    int months;     /* age */
    int gap_days;   /* after the previous dose (dose 1: unused) */
    int gap_months; /* or whole months after it (inactivated hepatitis A) */
};

#define MAX_DOSES 4
#define STANDARD_GAP 28 /* §13: dose n > 1 at least 28 days after dose n-1 */

static const struct {
    const char *code;
    int n;
    struct dose_rule doses[MAX_DOSES];
} SCHEDULE[VACCINE_COUNT] = {
    /* hepatitis B: birth (within 24 h), 1 month, 6 months; dose 3 at least 60 days after dose 2 */
    [VACCINE_HEPB] = {"hepb", 3, {{0, 0, 0}, {1, STANDARD_GAP, 0}, {6, 60, 0}}},
    [VACCINE_BCG] = {"bcg", 1, {{0, 0, 0}}},
    [VACCINE_IPV] = {"ipv", 2, {{2, 0, 0}, {3, STANDARD_GAP, 0}}},
    [VACCINE_BOPV] = {"bopv", 2, {{4, 0, 0}, {48, STANDARD_GAP, 0}}},
    [VACCINE_DTAP] =
        {"dtap", 4, {{3, 0, 0}, {4, STANDARD_GAP, 0}, {5, STANDARD_GAP, 0}, {18, STANDARD_GAP, 0}}},
    [VACCINE_DT] = {"dt", 1, {{72, 0, 0}}},
    [VACCINE_MMR] = {"mmr", 2, {{8, 0, 0}, {18, STANDARD_GAP, 0}}},
    [VACCINE_JE_LIVE] = {"je_live", 2, {{8, 0, 0}, {24, STANDARD_GAP, 0}}},
    /* meningococcal A: dose 2 at least 90 days after dose 1 */
    [VACCINE_MPSV_A] = {"mpsv_a", 2, {{6, 0, 0}, {9, 90, 0}}},
    [VACCINE_MPSV_AC] = {"mpsv_ac", 2, {{36, 0, 0}, {72, STANDARD_GAP, 0}}},
    [VACCINE_HEPA_LIVE] = {"hepa_live", 1, {{18, 0, 0}}},
    /* The county's alternatives. Inactivated JE: two doses at 8 months 7-10 days apart, then
     * 2 and 6 years; inactivated hepatitis A: 18 and 24 months, the national schedule's 6
     * months apart at least (docs/immunisation.md). */
    [VACCINE_JE_INACT] = {"je_inact",
                          4,
                          {{8, 0, 0}, {8, 7, 0}, {24, STANDARD_GAP, 0}, {72, STANDARD_GAP, 0}}},
    [VACCINE_HEPA_INACT] = {"hepa_inact", 2, {{18, 0, 0}, {24, 0, 6}}},
};

/* §13's age points, in months: a dose not given is overdue from the first one after its age. */
static const int AGE_POINTS[] = {0, 1, 2, 3, 4, 5, 6, 8, 9, 18, 24, 36, 48, 72, 84};
#define PROGRAM_END_MONTHS 84 /* the 7th birthday: nothing is owed from then on */

static int used(enum vaccine v, const struct immunisation_choice *c)
{
    int je = c && c->je_inactivated, hepa = c && c->hepa_inactivated;
    if (v == VACCINE_JE_LIVE) return !je;
    if (v == VACCINE_JE_INACT) return je;
    if (v == VACCINE_HEPA_LIVE) return !hepa;
    if (v == VACCINE_HEPA_INACT) return hepa;
    return 1;
}

int immunisation_doses(enum vaccine v, const struct immunisation_choice *choice)
{
    return v >= 0 && v < VACCINE_COUNT && used(v, choice) ? SCHEDULE[v].n : 0;
}

static int next_point(int months)
{
    for (size_t i = 0; i < sizeof AGE_POINTS / sizeof AGE_POINTS[0]; i++)
        if (AGE_POINTS[i] > months) return AGE_POINTS[i];
    return PROGRAM_END_MONTHS;
}

/* The earliest date the dose was given, if it was. */
static int given_on(const struct dose_given *given, int n, enum vaccine v, int dose,
                    struct date *on)
{
    int found = 0;
    for (int i = 0; i < n; i++) {
        if (given[i].vaccine != v || given[i].dose != dose) continue;
        if (!found || date_compare(given[i].date, *on) < 0) *on = given[i].date;
        found = 1;
    }
    return found;
}

int immunisation_evaluate(struct date birth, struct date as_of, const struct dose_given *given,
                          int n_given, const struct immunisation_choice *choice,
                          struct dose_item *out)
{
    struct date end = date_add_months(birth, PROGRAM_END_MONTHS);
    int under_seven = date_compare(as_of, end) < 0;
    int n = 0;
    for (int v = 0; v < VACCINE_COUNT; v++) {
        if (!used((enum vaccine)v, choice)) continue;
        struct date previous = {0, 0, 0};
        int previous_given = 0;
        for (int d = 0; d < SCHEDULE[v].n; d++) {
            const struct dose_rule *rule = &SCHEDULE[v].doses[d];
            struct dose_item item = {(enum vaccine)v,
                                     d + 1,
                                     date_add_months(birth, rule->months),
                                     DOSE_UPCOMING,
                                     0,
                                     {0, 0, 0},
                                     date_add_months(birth, next_point(rule->months))};
            /* A series is never restarted: a late dose only pushes the next one back. */
            if (d > 0 && previous_given) {
                struct date after = rule->gap_months ? date_add_months(previous, rule->gap_months)
                                                     : date_add_days(previous, rule->gap_days);
                if (date_compare(after, item.due_date) > 0) item.due_date = after;
            }
            item.given = given_on(given, n_given, (enum vaccine)v, d + 1, &item.given_on);
            previous_given = item.given;
            previous = item.given_on;
            if (item.given) {
                item.status = DOSE_DONE;
            } else {
                if (!under_seven || date_compare(item.due_date, end) >= 0) continue; /* not owed */
                if (date_compare(as_of, item.due_date) < 0)
                    item.status = DOSE_UPCOMING;
                else if (date_compare(as_of, item.overdue_from) < 0 &&
                         date_compare(item.due_date, item.overdue_from) < 0)
                    item.status = DOSE_DUE;
                else
                    item.status = DOSE_OVERDUE;
            }
            if (n < IMMUNISATION_MAX_DOSES) out[n++] = item;
        }
    }
    return n;
}

const struct dose_item *immunisation_next(const struct dose_item *items, int n)
{
    const struct dose_item *next = NULL;
    for (int i = 0; i < n; i++)
        if (items[i].status != DOSE_DONE &&
            (!next || date_compare(items[i].due_date, next->due_date) < 0))
            next = &items[i];
    return next;
}

const char *vaccine_code(enum vaccine v)
{
    return v >= 0 && v < VACCINE_COUNT ? SCHEDULE[v].code : "?";
}

int vaccine_parse(const char *code)
{
    for (int v = 0; code && v < VACCINE_COUNT; v++)
        if (strcmp(SCHEDULE[v].code, code) == 0) return v;
    return -1;
}

const char *dose_status_name(enum dose_status s)
{
    static const char *const NAMES[] = {"done", "due", "overdue", "upcoming"};
    return s >= DOSE_DONE && s <= DOSE_UPCOMING ? NAMES[s] : "?";
}
