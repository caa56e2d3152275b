/* schedule.h - the visit schedules of children 0-6 (§6) and of pregnancy and the
 * postpartum period (§7) in PROTOCOLS.md: each due point with its window, and whether it
 * is done, due, upcoming or missed on a given day. Also the gestational age and the
 * five-colour pregnancy risk. Pure. */
#ifndef JIAYI_DOMAIN_SCHEDULE_H
#define JIAYI_DOMAIN_SCHEDULE_H

#include "domain/elderly.h"
#include "domain/protocol_config.h"
#include "util/date.h"

enum point_status { POINT_DONE, POINT_DUE, POINT_UPCOMING, POINT_MISSED };

struct schedule_point {
    const char *point; /* "newborn", "m3", "w16_20", ... (static) */
    struct date window_start, window_end;
    enum point_status status;
    struct date visit_date; /* when done: the first visit inside the window */
};

#define SCHEDULE_MAX_POINTS 16

/* The 13 child points (newborn … y6) for a child born on `birth`, discharged on
 * `discharge` (NULL: unknown, the newborn visit then counts from birth). Visits after
 * as_of are ignored; a visit counts for the point whose window holds it. Returns the count. */
int child_schedule(struct date birth, const struct date *discharge, const struct date *visits,
                   int visit_count, struct date as_of, const struct protocol_config *c,
                   struct schedule_point *out);

/* Whole weeks of gestation on `on` (at delivery when delivered earlier). */
int maternal_gestational_weeks(struct date lmp, const struct date *delivery, struct date on);

/* The antenatal points (first visit before 13 weeks, 16-20, 21-24, 28-36, 37-40 weeks)
 * and, once delivered, the postpartum home visit and the 42-day check. After delivery an
 * antenatal point can no longer be done: its window closes at the delivery date and a
 * point not yet open is dropped. Returns the count. */
int maternal_schedule(struct date lmp, const struct date *delivery, const struct date *discharge,
                      const struct date *visits, int visit_count, struct date as_of,
                      const struct protocol_config *c, struct schedule_point *out);

/* The pregnancy risk: the highest colour over the factors (purple excluded; none: green)
 * in *highest, and whether a purple (infectious disease) factor is present. */
void maternal_risk(const enum risk_color *factors, int count, enum risk_color *highest,
                   int *purple);

const char *point_status_name(enum point_status s);

#endif
