/* population.h (store) - recomputing population class and family type (PROTOCOLS §2)
 * from the database: gathers each member's facts and applies domain/population.c. */
#ifndef JIAYI_STORE_POPULATION_H
#define JIAYI_STORE_POPULATION_H

#include <stdint.h>

#include "db/db.h"
#include "domain/population.h"
#include "store/status.h"

/* Reads the configurable thresholds from the settings table (defaults if absent). */
struct population_config store_population_config(struct db *db);
/* Recomputes every member of the household (or the lone resident when household_id is 0,
 * in which case resident_id names them). Call inside the write transaction that changed
 * an input. Returns how many classes changed, or -1. */
JY_MUST_USE int store_recompute_household(struct db *db, int64_t household_id, int64_t resident_id,
                                          struct date today);
/* Claims the daily pass of `day` for this server: 1 when it is this server's to run, 0 when
 * another server sharing the database has claimed it already, -1 on error. Several servers
 * on one PostgreSQL database each start the daily job; the pass runs once. */
JY_MUST_USE int store_daily_claim(struct db *db, struct date day);

/* The daily job: recomputes everyone (birthdays crossing 65 or 7, postpartum ending).
 * Commits in batches; returns the number of residents whose class changed, or -1. */
JY_MUST_USE long store_recompute_all(struct db *db, struct date today);
/* The enrolments that follow from the record (PROTOCOLS §2): elderly from the birthday
 * crossing the elderly age, children 0-6 from birth until they age out, maternal from a
 * registered pregnancy to 42 days after delivery; a death or move ends them all. For
 * everyone when resident_id is 0 (the daily job, the demo); for one resident (after a
 * pregnancy or a death is recorded) every step but joining by age. Returns rows changed. */
JY_MUST_USE long store_enrol_automatic(struct db *db, struct date today, int64_t resident_id);
/* The daily pass of store_enrol_automatic for everyone, in its own transaction. */
JY_MUST_USE long store_enrol_all(struct db *db, struct date today);

#endif
