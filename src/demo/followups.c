/* followups.c (demo) - a year of program follow-ups for one demo resident: quarterly
 * hypertension and diabetes visits with realistic adherence and control (about 60%
 * controlled, rechecks two weeks after an uncontrolled result), SMD visits, the annual
 * elderly assessment, child checks and antenatal visits on their schedules. Each visit is
 * evaluated by the same engine as POST /followups, and the open task for the next one is
 * left on the team's work list, so the demo's work lists hold due, overdue and missed work. */
#include "demo/followups.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/protocols.h"
#include "store/followups.h"
#include "store/work.h"


struct writer {
    struct db *db;
    struct rng *rng;
    const struct demo_patient *p;
    const struct protocol_config *config;
    const char *mode; /* NULL: a mode drawn at random */
};

/* Evaluates and stores one visit; the answer (its JSON already freed) says what comes next. */
static int store_visit(struct writer *w, const struct protocol_input *in, struct date visit,
                       int staff, struct protocol_answer *answer)
{
    protocol_evaluate(in, w->config, answer);
    char visit_text[11], due_text[11];
    date_format(visit, visit_text);
    date_format(answer->next_due, due_text);
    char *result = json_dumps(answer->json, JSON_COMPACT);
    const struct chronic_visit *v = &in->chronic;
    static const char *const MODES[] = {"clinic", "home_visit", "phone", "clinic"};
    struct followup_input f = {.resident_id = w->p->id,
                               .staff_id = staff ? w->p->village_staff : w->p->doctor_staff,
                               .recorded_by = 0,
                               .program = protocol_program_name(in->program),
                               .visit_date = visit_text,
                               .mode = w->mode ? w->mode : MODES[rng_int(w->rng, 0, 3)],
                               .county_code = w->p->county,
                               .has_sbp = v->has_sbp,
                               .sbp = v->sbp,
                               .has_dbp = v->has_dbp,
                               .dbp = v->dbp,
                               .has_fbg = v->has_fbg,
                               .fbg = v->fbg_tenths / 10.0,
                               .has_danger = v->danger_level >= 0,
                               .danger_level = v->danger_level,
                               .findings = "[]",
                               .medications = "[]",
                               .result = result,
                               .classification = answer->classification,
                               .action = answer->action,
                               .next_due = answer->has_next_due ? due_text : NULL,
                               .uncontrolled = answer->uncontrolled,
                               .emergency = answer->emergency};
    int64_t id = result ? store_followup_insert(w->db, &f) : -1;
    free(result);
    json_decref(answer->json);
    answer->json = NULL;
    return id < 0 ? -1 : 0;
}

static int open_task(struct writer *w, const char *program, struct date due,
                     const struct date *next)
{
    char due_text[11], next_text[11];
    date_format(due, due_text);
    if (next) date_format(*next, next_text);
    struct task_input t = {w->p->id, w->p->team_id, w->p->doctor_staff,      0,    "followup",
                           program,  due_text,      next ? next_text : NULL, NULL, w->p->county};
    return store_task_insert(w->db, &t) < 0 ? -1 : 0;
}

/* One measurement set: controlled, uncontrolled, or (rarely) an emergency. */
static void measure(struct writer *w, enum protocol_program program, double control,
                    struct chronic_visit *v)
{
    double u = rng_unit(w->rng);
    int emergency = u < 0.012, controlled = !emergency && u < 0.012 + control;
    if (program == PROGRAM_HYPERTENSION) {
        int limit = v->age >= 65 ? 149 : 139;
        v->has_sbp = v->has_dbp = 1;
        v->sbp = emergency    ? rng_int(w->rng, 180, 198)
                 : controlled ? rng_int(w->rng, 112, limit)
                              : rng_int(w->rng, limit + 1, 176);
        v->dbp = controlled ? rng_int(w->rng, 66, 89) : rng_int(w->rng, 78, 104);
        if (v->dbp >= v->sbp - 20) v->dbp = v->sbp - 30;
    } else if (program == PROGRAM_DIABETES) {
        v->has_fbg = 1;
        v->fbg_tenths = emergency    ? rng_int(w->rng, 168, 210)
                        : controlled ? rng_int(w->rng, 48, 69)
                                     : rng_int(w->rng, 70, 125);
    } else {
        v->danger_level = emergency    ? rng_int(w->rng, 3, 4)
                          : controlled ? 0
                                       : rng_int(w->rng, 1, 2);
    }
}

/* Quarterly follow-ups over the last year, rechecks after uncontrolled results; a share
 * of patients drop out (the missed and overdue tasks of the work list). */
static int chronic_year(struct writer *w, enum protocol_program program, struct date since,
                        struct date today)
{
    struct date year_ago = date_add_days(today, -365);
    struct date at = date_compare(since, year_ago) > 0 ? since : year_ago;
    at = date_add_days(at, rng_int(w->rng, 0, 80));
    /* Someone never seen this year was due at the first visit of the year, not years ago. */
    struct date due = at;
    double adherence = rng_chance(w->rng, 0.72) ? 0.95 : rng_chance(w->rng, 0.6) ? 0.6 : 0.2;
    /* Control is a trait of the patient (treatment, habits), not a coin per visit. */
    double control = program == PROGRAM_SMD ? 0.85 : rng_chance(w->rng, 0.55) ? 0.85 : 0.3;
    int previous = 0;
    while (date_compare(at, today) <= 0) {
        if (!rng_chance(w->rng,
                        adherence)) { /* a missed appointment: seen a month later, if at all */
            at = date_add_days(at, rng_int(w->rng, 25, 45));
            continue;
        }
        struct protocol_input in;
        memset(&in, 0, sizeof in);
        in.program = program;
        in.chronic.visit_date = at;
        in.chronic.age = date_age_years(w->p->birth, at);
        in.chronic.danger_level = -1;
        in.chronic.previous_uncontrolled = previous;
        measure(w, program, control, &in.chronic);
        struct protocol_answer answer;
        if (store_visit(w, &in, at, rng_chance(w->rng, 0.5), &answer) < 0) return -1;
        previous = answer.uncontrolled ? previous + 1 : 0;
        due = answer.next_due;
        /* Not everyone comes back for the two-week recheck; then it is the next quarter. */
        struct date next = answer.uncontrolled && !rng_chance(w->rng, 0.45) ? date_add_months(at, 3)
                                                                            : answer.next_due;
        at = date_add_days(next, rng_int(w->rng, -10, 12));
    }
    return open_task(w, protocol_program_name(program), due, NULL);
}

static int elderly_year(struct writer *w, struct date today)
{
    if (!rng_chance(w->rng, 0.68))
        return open_task(w, "elderly", date_add_days(today, -rng_int(w->rng, 0, 200)), NULL);
    struct protocol_input in;
    memset(&in, 0, sizeof in);
    in.program = PROGRAM_ELDERLY;
    struct date at = date_add_days(today, -rng_int(w->rng, 0, 330));
    in.elderly.assessment_date = at;
    int age = date_age_years(w->p->birth, at);
    for (int i = 0; i < SELF_CARE_ITEMS; i++) {
        double frail = age >= 85 ? 0.35 : age >= 75 ? 0.15 : 0.05;
        in.elderly.answers[i] = rng_chance(w->rng, frail) ? rng_int(w->rng, 1, 3) : 0;
    }
    in.elderly.chronic_programs = w->p->hypertension + w->p->diabetes + w->p->smd;
    in.elderly.uncontrolled_programs = in.elderly.chronic_programs && rng_chance(w->rng, 0.3);
    struct protocol_answer answer;
    if (store_visit(w, &in, at, 0, &answer) < 0) return -1;
    return open_task(w, "elderly", answer.next_due, NULL);
}

/* Child checks and antenatal visits: each point that has opened is done with some
 * probability, on a day inside its window; the first open point becomes the task. */
static int schedule_visits(struct writer *w, enum protocol_program program, struct date today)
{
    struct protocol_input in;
    memset(&in, 0, sizeof in);
    in.program = program;
    in.as_of = today;
    struct schedule_point points[SCHEDULE_MAX_POINTS];
    int n;
    if (program == PROGRAM_CHILD) {
        in.birth = w->p->birth;
        n = child_schedule(in.birth, NULL, NULL, 0, today, w->config, points);
    } else {
        in.lmp = w->p->lmp;
        in.has_lmp = 1;
        n = maternal_schedule(in.lmp, NULL, NULL, NULL, 0, today, w->config, points);
    }
    double attend = program == PROGRAM_CHILD ? 0.9 : 0.85;
    for (int i = 0; i < n && in.visit_count < PROTOCOL_MAX_VISITS; i++) {
        if (date_compare(points[i].window_start, today) > 0 || !rng_chance(w->rng, attend))
            continue;
        struct date end =
            date_compare(points[i].window_end, today) < 0 ? points[i].window_end : today;
        long span = date_diff_days(end, points[i].window_start);
        struct date at =
            date_add_days(points[i].window_start, rng_int(w->rng, 0, (int)(span < 0 ? 0 : span)));
        in.visits[in.visit_count++] = at;
        in.as_of = at;
        struct protocol_answer answer;
        if (store_visit(w, &in, at, 0, &answer) < 0) return -1;
    }
    in.as_of = today;
    struct protocol_answer answer;
    protocol_evaluate(&in, w->config, &answer);
    json_decref(answer.json);
    if (!answer.has_next_due) return 0;
    return open_task(w, protocol_program_name(program), answer.next_due,
                     answer.has_following ? &answer.following : NULL);
}

int demo_followups_for(struct db *db, struct rng *rng, struct date today,
                       const struct demo_patient *p)
{
    struct protocol_config config = protocol_config_default();
    struct writer w = {db, rng, p, &config, NULL};
    if (p->hypertension && chronic_year(&w, PROGRAM_HYPERTENSION, p->hypertension_since, today) < 0)
        return -1;
    if (p->diabetes && chronic_year(&w, PROGRAM_DIABETES, p->diabetes_since, today) < 0) return -1;
    if (p->smd && chronic_year(&w, PROGRAM_SMD, p->smd_since, today) < 0) return -1;
    if (p->elderly && elderly_year(&w, today) < 0) return -1;
    if (p->child && date_age_years(p->birth, today) < 3 &&
        schedule_visits(&w, PROGRAM_CHILD, today) < 0)
        return -1;
    if (p->pregnant && schedule_visits(&w, PROGRAM_MATERNAL, today) < 0) return -1;
    return 0;
}

/* Antenatal care of a delivered pregnancy: the first check before 13 weeks for most
 * women, three more before the birth, and the postpartum home visit within 28 days of
 * coming home for most (what 早孕建册率 and 产后访视率 count). */
int demo_maternal_delivered(struct db *db, struct rng *rng, struct date today,
                            const struct demo_patient *p)
{
    struct protocol_config config = protocol_config_default();
    struct writer w = {db, rng, p, &config, NULL};
    struct protocol_input in;
    memset(&in, 0, sizeof in);
    in.program = PROGRAM_MATERNAL;
    in.lmp = p->lmp;
    in.has_lmp = 1;
    struct date at = date_add_days(p->lmp, rng_chance(rng, 0.9) ? rng_int(rng, 42, 88) : rng_int(rng, 92, 140));
    for (int k = 0; k < 4 && date_compare(at, p->delivery) < 0; k++) {
        in.visits[in.visit_count++] = at;
        in.as_of = at;
        struct protocol_answer answer;
        if (store_visit(&w, &in, at, 0, &answer) < 0) return -1;
        at = date_add_days(at, rng_int(rng, 35, 60));
    }
    if (!rng_chance(rng, 0.9)) return 0;
    struct date home = date_add_days(p->discharge, rng_int(rng, 1, 27));
    if (date_compare(home, today) > 0) return 0;
    in.delivery = p->delivery;
    in.has_delivery = 1;
    in.discharge = p->discharge;
    in.has_discharge = 1;
    in.as_of = home;
    in.visits[in.visit_count++] = home;
    w.mode = "home_visit";
    struct protocol_answer answer;
    return store_visit(&w, &in, home, 1, &answer);
}

/* The newborn home visit (新生儿家庭访视) within 28 days of birth, for most births. */
int demo_newborn_visit(struct db *db, struct rng *rng, struct date today, const struct demo_patient *p)
{
    if (!rng_chance(rng, 0.95)) return 0;
    struct date at = date_add_days(p->birth, rng_int(rng, 3, 27));
    if (date_compare(at, today) > 0) return 0;
    struct protocol_config config = protocol_config_default();
    struct writer w = {db, rng, p, &config, "home_visit"};
    struct protocol_input in;
    memset(&in, 0, sizeof in);
    in.program = PROGRAM_CHILD;
    in.birth = p->birth;
    in.has_birth = 1;
    in.as_of = at;
    in.visits[in.visit_count++] = at;
    struct protocol_answer answer;
    return store_visit(&w, &in, at, 1, &answer);
}
