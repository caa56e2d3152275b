/* followups.c (demo) - a year of program follow-ups for one demo resident: quarterly
 * hypertension and diabetes visits with realistic adherence and control (about 60%
 * controlled, rechecks two weeks after an uncontrolled result), SMD visits, the annual
 * elderly assessment, child checks and antenatal visits on their schedules. Each visit is
 * evaluated by the same engine as POST /followups, and the open task for the next one is
 * left on the team's work list, so the demo's work lists hold due, overdue and missed work.
 * As in the API, a visit that refers creates the referral and its confirm-seen task
 * (store_loop_refer): most patients are seen within days (the task closes) and their
 * treatment, adjusted at the hospital, controls better afterwards; the last ones wait on the
 * work list. The first antenatal visit assesses the pregnancy's risk (five colours), which
 * refers and puts orange, red and purple on the county's report. Those draws come from a
 * generator of the patient's own, so the rest of the county is what it was without them. */
#include "demo/followups.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/protocols.h"
#include "domain/referral.h"
#include "json/jsondump.h"
#include "store/clinical_loop.h"
#include "store/followups.h"
#include "store/residents.h"
#include "store/services.h"
#include "store/work.h"

struct writer {
    struct db *db;
    struct rng *rng;
    const struct demo_patient *p;
    const struct protocol_config *config;
    const char *mode; /* NULL: a mode drawn at random */
    struct rng loop;  /* referrals and risk: the patient's own generator */
    struct date today;
    const char *details; /* JSON of the visit's risk assessment, or NULL */
};

/* When the referred patient was seen: urgent ones the same or next day, others within 2-12
 * days; a visit not yet reached stays open on the work list. */
static int seen_after(struct writer *w, int64_t referral, struct date referred, int urgent)
{
    struct date seen =
        date_add_days(referred, urgent ? rng_int(&w->loop, 0, 1) : rng_int(&w->loop, 2, 12));
    if (date_compare(seen, w->today) > 0) return 0;
    char text[11];
    date_format(seen, text);
    return store_referral_seen(w->db, referral, text) < 0 ? -1 : 0;
}

/* A referral of `plan` from the visit (the API's store_loop_refer), seen in due course. */
static int refer(struct writer *w, const struct referral_plan *plan, const char *program,
                 struct date visit, int64_t followup, const char *reasons)
{
    char visit_text[11];
    date_format(visit, visit_text);
    struct loop_referral in = {w->p->id,   w->p->team_id, w->p->doctor_staff,
                               followup,   w->p->county,  program,
                               visit_text, plan,          reasons};
    struct loop_created made;
    if (store_loop_refer(w->db, &in, &made) < 0) return -1;
    return seen_after(w, made.referral_id, visit, plan->urgent);
}

/* Evaluates and stores one visit, with the referral its action calls for; the answer (its
 * JSON already freed) says what comes next. Returns the follow-up's id, -1 on error. */
static int64_t store_visit(struct writer *w, const struct protocol_input *in, struct date visit,
                           int staff, struct protocol_answer *answer)
{
    protocol_evaluate(in, w->config, answer);
    char visit_text[11], due_text[11];
    date_format(visit, visit_text);
    date_format(answer->next_due, due_text);
    char *result = jsonx_dumps(answer->json);
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
                               .details = w->details,
                               .medications = "[]",
                               .result = result,
                               .classification = answer->classification,
                               .action = answer->action,
                               .next_due = answer->has_next_due ? due_text : NULL,
                               .uncontrolled = answer->uncontrolled,
                               .emergency = answer->emergency};
    int64_t id = result ? store_followup_insert(w->db, &f) : -1;
    free(result);
    struct referral_plan plan;
    if (id > 0 && in->program <= PROGRAM_SMD &&
        referral_for_followup(answer->chronic_action, answer->chronic_class, w->config, &plan)) {
        char *reasons = jsonx_dumps(json_object_get(answer->json, "reasons"));
        if (!reasons || refer(w, &plan, f.program, visit, id, reasons) < 0) id = -1;
        free(reasons);
    }
    json_decref(answer->json);
    answer->json = NULL;
    return id;
}

static struct writer writer_for(struct db *db, struct rng *rng, const struct demo_patient *p,
                                const struct protocol_config *config, const char *mode,
                                struct date today)
{
    struct writer w = {db,    rng, p, config, mode, {(uint64_t)p->id * 0x9E3779B97F4A7C15ull + 11},
                       today, NULL};
    return w;
}

/* Risk factors of the demo's pregnancy assessments, as the follow-up form offers them. */
static const struct {
    const char *code;
    enum risk_color color;
} RISK_FACTORS[] = {{"advanced_age", COLOR_YELLOW}, {"scar_uterus", COLOR_YELLOW},
                    {"diabetes", COLOR_YELLOW},     {"hypertension", COLOR_ORANGE},
                    {"heart_disease", COLOR_RED},   {"infectious", COLOR_PURPLE}};

/* The first antenatal visit's risk assessment, in the proportions a county sees: about 55%
 * green, 30% yellow, 12% orange, 3% red, and an infectious disease (purple) in 2%. Fills
 * in's factors and the JSON of the factors into `factors` (and w->details). */
static void assess_pregnancy(struct writer *w, struct protocol_input *in, char factors[256],
                             char details[300])
{
    double u = rng_unit(&w->loop);
    int chosen[2], n = 0;
    if (u >= 0.55) chosen[n++] = u < 0.85 ? rng_int(&w->loop, 0, 2) : u < 0.97 ? 3 : 4;
    if (rng_chance(&w->loop, 0.02)) chosen[n++] = 5;
    in->has_assessment = 1;
    in->factor_count = 0;
    size_t used = (size_t)snprintf(factors, 256, "[");
    for (int k = 0; k < n; k++) {
        in->factors[in->factor_count++] = RISK_FACTORS[chosen[k]].color;
        used += (size_t)snprintf(factors + used, 256 - used, "%s{\"code\":\"%s\",\"color\":\"%s\"}",
                                 k ? "," : "", RISK_FACTORS[chosen[k]].code,
                                 risk_color_name(RISK_FACTORS[chosen[k]].color));
    }
    snprintf(factors + used, 256 - used, "]");
    snprintf(details, 300, "{\"risk_factors\":%s}", factors);
    w->details = details;
}

/* After the assessing visit: the pregnancy's standing assessment (on the county report when
 * orange, red or purple) and the referrals its colours call for, as the API makes them. */
static int pregnancy_assessed(struct writer *w, const struct protocol_answer *answer,
                              struct date visit, int64_t followup, const char *factors)
{
    int64_t pregnancy = 0;
    char lmp[11], delivery[11], discharge[11], visit_text[11], codes[200];
    if (store_pregnancy_latest(w->db, w->p->id, &pregnancy, lmp, delivery, discharge) != 1)
        return -1;
    date_format(visit, visit_text);
    const char *reported =
        pregnancy_risk_reportable(answer->risk, answer->purple) ? visit_text : NULL;
    if (store_pregnancy_risk_set(w->db, pregnancy, risk_color_name(answer->risk), answer->purple,
                                 factors, visit_text, reported) < 0)
        return -1;
    w->details = NULL;
    struct referral_plan plans[2];
    int n =
        pregnancy_risk_referrals(COLOR_GREEN, 0, answer->risk, answer->purple, w->config, plans);
    /* The reason codes are the factors' codes: the same list without the colours. */
    size_t used = (size_t)snprintf(codes, sizeof codes, "[");
    for (size_t k = 0; k < sizeof RISK_FACTORS / sizeof RISK_FACTORS[0]; k++)
        if (strstr(factors, RISK_FACTORS[k].code))
            used += (size_t)snprintf(codes + used, sizeof codes - used, "%s\"%s\"",
                                     used > 1 ? "," : "", RISK_FACTORS[k].code);
    snprintf(codes + used, sizeof codes - used, "]");
    for (int k = 0; k < n; k++)
        if (refer(w, &plans[k], "maternal", visit, followup, codes) < 0) return -1;
    return 0;
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
        /* Treatment works: an adjusted prescription brings the patient halfway to good
         * control, and a referral's hospital adjustment at least to 0.8. */
        if (answer.chronic_action == ACTION_ADJUST_MEDICATION) control += (0.85 - control) * 0.5;
        if (answer.chronic_action >= ACTION_REFER && control < 0.8) control = 0.8;
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
        char factors[256], details[300];
        int assessing = program == PROGRAM_MATERNAL && !in.has_assessment;
        if (assessing) assess_pregnancy(w, &in, factors, details);
        struct protocol_answer answer;
        int64_t id = store_visit(w, &in, at, 0, &answer);
        if (id < 0 || (assessing && pregnancy_assessed(w, &answer, at, id, factors) < 0)) return -1;
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
    struct writer w = writer_for(db, rng, p, &config, NULL, today);
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
    struct writer w = writer_for(db, rng, p, &config, NULL, today);
    struct protocol_input in;
    memset(&in, 0, sizeof in);
    in.program = PROGRAM_MATERNAL;
    in.lmp = p->lmp;
    in.has_lmp = 1;
    struct date at =
        date_add_days(p->lmp, rng_chance(rng, 0.9) ? rng_int(rng, 42, 88) : rng_int(rng, 92, 140));
    for (int k = 0; k < 4 && date_compare(at, p->delivery) < 0; k++) {
        in.visits[in.visit_count++] = at;
        in.as_of = at;
        char factors[256], details[300];
        if (k == 0) assess_pregnancy(&w, &in, factors, details);
        struct protocol_answer answer;
        int64_t id = store_visit(&w, &in, at, 0, &answer);
        if (id < 0 || (k == 0 && pregnancy_assessed(&w, &answer, at, id, factors) < 0)) return -1;
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
    return store_visit(&w, &in, home, 1, &answer) < 0 ? -1 : 0;
}

/* The newborn home visit (新生儿家庭访视) within 28 days of birth, for most births. */
int demo_newborn_visit(struct db *db, struct rng *rng, struct date today,
                       const struct demo_patient *p)
{
    if (!rng_chance(rng, 0.95)) return 0;
    struct date at = date_add_days(p->birth, rng_int(rng, 3, 27));
    if (date_compare(at, today) > 0) return 0;
    struct protocol_config config = protocol_config_default();
    struct writer w = writer_for(db, rng, p, &config, "home_visit", today);
    struct protocol_input in;
    memset(&in, 0, sizeof in);
    in.program = PROGRAM_CHILD;
    in.birth = p->birth;
    in.has_birth = 1;
    in.as_of = at;
    in.visits[in.visit_count++] = at;
    struct protocol_answer answer;
    return store_visit(&w, &in, at, 1, &answer) < 0 ? -1 : 0;
}
