/* slots.h (demo) - the county's specialist slots (issue 15): departments of the county
 * people's hospital, the TCM hospital and the municipal hospital, their release rules after
 * the seeds (Shanghai, Changning, Xiamen, Hangzhou), four weeks of weekday sessions from
 * today, and a few bookings made by a family-doctor team for its signed residents. Fixed
 * values only: the county's random draws are untouched. */
#ifndef JIAYI_DEMO_SLOTS_H
#define JIAYI_DEMO_SLOTS_H

#include <stdint.h>

#include "db/db.h"
#include "store/entitlement_use.h"
#include "util/date.h"

/* Departments, rules and four weeks of schedules (also for an empty county). 0 or -1. */
int demo_slots_build(struct db *db, struct date today, int64_t county_hospital,
                     int64_t tcm_hospital, int64_t city_hospital);
/* Up to `count` bookings of the hospital's family-doctor slots open today, for the team's
 * signed residents from the `skip`-th on (by id), by `staff_id`, each using up its
 * entitlement. Returns how many were made, or -1. */
int demo_slots_book(struct db *db, struct date today, int64_t team_id, int64_t staff_id,
                    int64_t hospital, const struct entitlement_rules *rules, int count, int skip);

#endif
