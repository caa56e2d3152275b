/* schedule.c - see schedule.h. */
#include "domain/schedule.h"

#include <stddef.h>

/* Fills status and visit_date of a point from the visits (up to as_of). */
static void settle(struct schedule_point *p, const struct date *visits, int n, struct date as_of)
{
    int found = 0;
    for (int i = 0; i < n; i++) {
        struct date v = visits[i];
        if (date_compare(v, as_of) > 0 || date_compare(v, p->window_start) < 0 ||
            date_compare(v, p->window_end) > 0)
            continue;
        if (!found || date_compare(v, p->visit_date) < 0) p->visit_date = v;
        found = 1;
    }
    if (found)
        p->status = POINT_DONE;
    else if (date_compare(as_of, p->window_start) < 0)
        p->status = POINT_UPCOMING;
    else if (date_compare(as_of, p->window_end) <= 0)
        p->status = POINT_DUE;
    else
        p->status = POINT_MISSED;
}

static struct schedule_point window(const char *name, struct date start, struct date end)
{
    struct schedule_point p = {name, start, end, POINT_UPCOMING, {0, 0, 0}};
    return p;
}

int child_schedule(struct date birth, const struct date *discharge, const struct date *visits,
                   int visit_count, struct date as_of, const struct protocol_config *c,
                   struct schedule_point *out)
{
    static const struct {
        const char *name;
        int months;
        int toddler; /* 18-36 months: the wider window */
    } CHECKS[] = {{"m3", 3, 0},   {"m6", 6, 0},   {"m8", 8, 0},   {"m12", 12, 0},
                  {"m18", 18, 1}, {"m24", 24, 1}, {"m30", 30, 1}, {"m36", 36, 1}};
    static const char *const YEARS[] = {"y4", "y5", "y6"};
    int n = 0;
    struct date from = discharge ? *discharge : birth;
    out[n++] = window("newborn", from, date_add_days(from, c->child_newborn_days));
    out[n++] = window("month_1", date_add_days(birth, c->child_month1_from),
                      date_add_days(birth, c->child_month1_to));
    for (size_t i = 0; i < sizeof CHECKS / sizeof CHECKS[0]; i++) {
        struct date target = date_add_months(birth, CHECKS[i].months);
        int before = CHECKS[i].toddler ? c->child_toddler_before : c->child_infant_before;
        int after = CHECKS[i].toddler ? c->child_toddler_after : c->child_infant_after;
        out[n++] =
            window(CHECKS[i].name, date_add_days(target, -before), date_add_days(target, after));
    }
    /* Years 4-6: any day of that year of age. */
    for (int y = 0; y < 3; y++)
        out[n++] = window(YEARS[y], date_add_years(birth, 4 + y),
                          date_add_days(date_add_years(birth, 5 + y), -1));
    for (int i = 0; i < n; i++)
        settle(&out[i], visits, visit_count, as_of);
    return n;
}

int maternal_gestational_weeks(struct date lmp, const struct date *delivery, struct date on)
{
    struct date until = delivery && date_compare(*delivery, on) < 0 ? *delivery : on;
    long days = date_diff_days(until, lmp);
    return days < 0 ? 0 : (int)(days / 7);
}

int maternal_schedule(struct date lmp, const struct date *delivery, const struct date *discharge,
                      const struct date *visits, int visit_count, struct date as_of,
                      const struct protocol_config *c, struct schedule_point *out)
{
    /* Gestational days: the first visit before 13+0 weeks, then 16+0-20+6, 21+0-24+6,
     * 28+0-36+6 and 37+0-40+6. */
    static const struct {
        const char *name;
        int from, to;
    } ANTENATAL[] = {{"first_visit", 0, 13 * 7 - 1},
                     {"w16_20", 16 * 7, 21 * 7 - 1},
                     {"w21_24", 21 * 7, 25 * 7 - 1},
                     {"w28_36", 28 * 7, 37 * 7 - 1},
                     {"w37_40", 37 * 7, 41 * 7 - 1}};
    int n = 0;
    for (size_t i = 0; i < sizeof ANTENATAL / sizeof ANTENATAL[0]; i++) {
        struct schedule_point p = window(ANTENATAL[i].name, date_add_days(lmp, ANTENATAL[i].from),
                                         date_add_days(lmp, ANTENATAL[i].to));
        if (delivery) {
            if (date_compare(p.window_start, *delivery) > 0) continue; /* never reached */
            if (date_compare(p.window_end, *delivery) > 0) p.window_end = *delivery;
        }
        out[n++] = p;
    }
    if (delivery) {
        struct date home = discharge ? *discharge : *delivery;
        out[n++] = window("postpartum_visit", home,
                          date_add_days(home, c->maternal_postpartum_visit_days));
        out[n++] = window("postpartum_42d", date_add_days(*delivery, c->maternal_42d_from),
                          date_add_days(*delivery, c->maternal_42d_to));
    }
    for (int i = 0; i < n; i++)
        settle(&out[i], visits, visit_count, as_of);
    return n;
}

void maternal_risk(const enum risk_color *factors, int count, enum risk_color *highest, int *purple)
{
    *highest = COLOR_GREEN;
    *purple = 0;
    for (int i = 0; i < count; i++) {
        if (factors[i] == COLOR_PURPLE)
            *purple = 1;
        else if (factors[i] > *highest)
            *highest = factors[i];
    }
}

const char *point_status_name(enum point_status s)
{
    static const char *const NAMES[] = {"done", "due", "upcoming", "missed"};
    return s >= 0 && s <= POINT_MISSED ? NAMES[s] : "?";
}
