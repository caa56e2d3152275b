/* vaccinations.c - see vaccinations.h. */
#include "demo/vaccinations.h"

#include <stdio.h>

#include "demo/names.h"
#include "domain/immunisation.h"
#include "store/immunisation.h"

/* Coverage of the national schedule is above 95% in the seeds' counties; a series is
 * broken off now and then (a child away with migrant parents, a deferral for illness). */
#define GIVEN_SHARE 0.96
#define LATE_SHARE 0.08 /* given late: 1-8 weeks after the due date */

static const struct immunisation_choice LIVE = {0, 0}; /* the demo county's choice */

int demo_vaccinations_for(struct db *db, struct date today, const struct demo_patient *p)
{
    struct rng rng = {(uint64_t)p->id * 0xD1B54A32D192ED03ull + 7};
    struct dose_given given[IMMUNISATION_MAX_DOSES];
    struct dose_item items[IMMUNISATION_MAX_DOSES];
    int n_given = 0, stopped[VACCINE_COUNT] = {0};
    /* Dose by dose in due-date order: each given dose moves the next one's due date. */
    for (;;) {
        int n = immunisation_evaluate(p->birth, today, given, n_given, &LIVE, items);
        const struct dose_item *next = NULL;
        for (int i = 0; i < n; i++)
            if (items[i].status != DOSE_DONE && !stopped[items[i].vaccine] &&
                (!next || date_compare(items[i].due_date, next->due_date) < 0))
                next = &items[i];
        if (!next || date_compare(next->due_date, today) > 0) break;
        int delay = rng_chance(&rng, LATE_SHARE) ? rng_int(&rng, 7, 56) : rng_int(&rng, 0, 3);
        struct date on = date_add_days(next->due_date, delay);
        if (!rng_chance(&rng, GIVEN_SHARE) || date_compare(on, today) > 0) {
            stopped[next->vaccine] = 1;
            continue;
        }
        char on_text[11], lot[16];
        date_format(on, on_text);
        snprintf(lot, sizeof lot, "%04d%02d%02d%02d", on.year, on.month, rng_int(&rng, 1, 28),
                 rng_int(&rng, 1, 99));
        struct vaccination_input in = {.resident_id = p->id,
                                       .vaccine = vaccine_code(next->vaccine),
                                       .given_on = on_text,
                                       .lot = lot,
                                       .county_code = p->county,
                                       .dose = next->dose};
        if (store_vaccination_insert(db, &in) < 0) return -1;
        given[n_given++] = (struct dose_given){next->vaccine, next->dose, on};
    }
    int n = immunisation_evaluate(p->birth, today, given, n_given, &LIVE, items);
    const struct dose_item *next = immunisation_next(items, n);
    if (!next) return 0;
    return store_vaccination_task_open(db, p->id, p->team_id, p->doctor_staff, p->county, next);
}
