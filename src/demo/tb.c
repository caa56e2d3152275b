/* tb.c (demo) - see tb.h. */
#include "demo/tb.h"

#include <stdio.h>
#include <string.h>

#include "demo/names.h"
#include "domain/tb.h"
#include "store/tb.h"
#include "store/work.h"

#define CASES_PER_ADULT_2Y 0.0011 /* 55 per 100,000 a year, two years */

static const enum tb_supervision PLANS[] = {TB_FAMILY,    TB_FAMILY,    TB_FAMILY, TB_MEDICAL,
                                            TB_E_PILLBOX, TB_VOLUNTEER, TB_SELF};

static int task(struct db *db, const struct demo_patient *p, struct date due, const char *note)
{
    char text[11];
    date_format(due, text);
    struct task_input t = {.resident_id = p->id,
                           .team_id = p->team_id,
                           .doctor_id = p->doctor_staff,
                           .kind = "tb_visit",
                           .program = "tb",
                           .due_date = text,
                           .note = note,
                           .county_code = p->county};
    return store_task_insert(db, &t) < 0 ? -1 : 0;
}

int demo_tb_for(struct db *db, struct date today, const struct demo_patient *p)
{
    struct rng rng = {(uint64_t)p->id * 0x94D049BB133111EBull + 3};
    if (date_age_years(p->birth, today) < 15 || !rng_chance(&rng, CASES_PER_ADULT_2Y)) return 0;
    struct tb_course c = {.intensive_months = 2,
                          .course_months = 6,
                          .supervision =
                              PLANS[rng_int(&rng, 0, (int)(sizeof PLANS / sizeof PLANS[0]) - 1)]};
    c.notified = date_add_days(today, -rng_int(&rng, 5, 720));
    c.start = date_add_days(c.notified, -rng_int(&rng, 1, 5));
    char notified[11], start[11];
    date_format(c.notified, notified);
    date_format(c.start, start);
    struct tb_case_input in = {p->id,           p->team_id,
                               p->doctor_staff, 0,
                               notified,        "县疾控中心结核病防治所",
                               start,           tb_supervision_name(c.supervision),
                               p->county,       c.intensive_months,
                               c.course_months};
    int64_t id = store_tb_case_insert(db, &in);
    if (id < 0 || store_tb_enrol(db, p->id, notified) < 0) return -1;
    int regular = rng_chance(&rng, 0.9); /* most take their drugs (规则服药) */
    struct date visit = date_add_days(c.notified, rng_chance(&rng, 0.93) ? rng_int(&rng, 0, 3)
                                                                         : rng_int(&rng, 4, 8));
    struct date last = c.start, next_due = visit;
    int missed_total = 0, first = 1;
    struct date end = tb_course_end(&c);
    while (date_compare(visit, today) <= 0) {
        int closing = date_compare(visit, end) >= 0;
        int due = (int)date_diff_days(visit, last),
            missed = regular ? (rng_chance(&rng, 0.2) ? 1 : 0) : rng_int(&rng, 0, due / 4);
        if (missed > due) missed = due;
        struct tb_visit v = {visit, missed_total, missed, rng_chance(&rng, 0.02), 0, closing};
        struct tb_result res;
        tb_evaluate(&c, &v, &res);
        char day[11], next[11], reasons[96] = "[";
        date_format(visit, day);
        date_format(res.next_due, next);
        for (int k = 0; k < res.n_reasons; k++) /* codes: no character needs escaping */
            snprintf(reasons + strlen(reasons), sizeof reasons - strlen(reasons), "%s\"%s\"",
                     k ? "," : "", res.reasons[k]);
        strcat(reasons, "]");
        struct tb_visit_input vi = {id,
                                    p->id,
                                    first ? p->village_staff : p->doctor_staff,
                                    0,
                                    day,
                                    first     ? "first"
                                    : closing ? "closing"
                                              : "routine",
                                    first || rng_chance(&rng, 0.6) ? "home_visit" : "phone",
                                    tb_phase_name(res.phase),
                                    tb_supervision_name(c.supervision),
                                    tb_action_name(res.action),
                                    reasons,
                                    res.has_next ? next : NULL,
                                    NULL,
                                    p->county,
                                    due,
                                    due - missed,
                                    v.adverse_reaction,
                                    0};
        if (store_tb_visit_insert(db, &vi) < 0) return -1;
        if (res.report_missed && store_tb_case_missed_reported(db, id, day) < 0) return -1;
        missed_total += missed;
        last = visit;
        first = 0;
        if (closing) {
            const char *outcome = regular ? (rng_chance(&rng, 0.6) ? "cured" : "completed")
                                  : rng_chance(&rng, 0.5) ? "completed"
                                                          : "lost";
            return store_tb_case_close(db, id, p->id, day, outcome);
        }
        next_due = res.next_due;
        visit = date_add_days(next_due, rng_int(&rng, 0, 3));
    }
    /* Still under treatment: the next visit on the team's work list. */
    if (first) return task(db, p, tb_first_visit_due(c.notified), "first_visit");
    return task(db, p, next_due, date_compare(next_due, end) >= 0 ? "closing" : "visit");
}
