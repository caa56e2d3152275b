/* copd.c (demo) - see copd.h. */
#include "demo/copd.h"

#include <stdio.h>
#include <string.h>

#include "demo/names.h"
#include "domain/copd.h"
#include "domain/protocol_config.h"
#include "store/copd.h"
#include "store/residents.h"
#include "store/work.h"

#define UNDER_CARE_40_PLUS 0.02

/* The rules' reasons as a JSON array (codes: nothing to escape). */
static void reasons_json(const struct copd_result *res, char *out, size_t size)
{
    snprintf(out, size, "[");
    for (int k = 0; k < res->n_reasons; k++)
        snprintf(out + strlen(out), size - strlen(out), "%s\"%s\"", k ? "," : "", res->reasons[k]);
    snprintf(out + strlen(out), size - strlen(out), "]");
}

int demo_copd_for(struct db *db, struct date today, const struct demo_patient *p)
{
    struct rng rng = {(uint64_t)p->id * 0xBF58476D1CE4E5B9ull + 11};
    if (date_age_years(p->birth, today) < 40 || !rng_chance(&rng, UNDER_CARE_40_PLUS)) return 0;
    struct date since = date_add_days(today, -rng_int(&rng, 30, 1100));
    char day[11];
    date_format(since, day);
    if (store_diagnosis_insert(db, p->id, "J44.9", day, NULL) < 0 ||
        store_enrolment_insert(db, p->id, "copd", day) < 0)
        return -1;
    const struct protocol_config c = protocol_config_default();
    /* Each patient has a severity that drifts little: breathlessness, symptoms, lung function. */
    int mmrc = rng_int(&rng, 0, 3), base_cat = rng_int(&rng, 4, 24), fev1 = rng_int(&rng, 28, 85);
    int smoker = rng_chance(&rng, 0.35);
    struct date visit = date_add_days(since, rng_int(&rng, 0, 20)),
                due = copd_first_visit_due(since, &c);
    struct date last_spirometry = {0}, last_review = {0};
    int has_spirometry = 0, has_review = 0;
    while (date_compare(visit, today) <= 0) {
        struct copd_visit v = {.date = visit, .mmrc = mmrc, .smoking = smoker};
        v.cat = base_cat + rng_int(&rng, -3, 3);
        if (v.cat < 0) v.cat = 0;
        v.exacerbations_moderate = rng_chance(&rng, 0.25) ? rng_int(&rng, 1, 3) : 0;
        v.exacerbations_hospitalised = rng_chance(&rng, 0.08);
        v.acute = rng_chance(&rng, 0.06);
        v.has_spo2 = rng_chance(&rng, 0.8);
        v.spo2 = v.acute ? rng_int(&rng, 86, 95) : rng_int(&rng, 92, 98);
        v.has_fev1 = !has_spirometry || date_diff_days(visit, last_spirometry) > 300
                         ? rng_chance(&rng, 0.6)
                         : 0;
        v.fev1_pct = fev1;
        v.has_inhaler_ok = rng_chance(&rng, 0.7);
        v.inhaler_ok = rng_chance(&rng, 0.75);
        v.has_last_spirometry = has_spirometry;
        v.last_spirometry = last_spirometry;
        v.has_last_review = has_review;
        v.last_review = last_review;
        struct copd_result res;
        copd_evaluate(&v, &c, &res);
        char reasons[160];
        reasons_json(&res, reasons, sizeof reasons);
        struct copd_visit_input in = {
            p->id,
            rng_chance(&rng, 0.5) ? p->village_staff : p->doctor_staff,
            0,
            rng_chance(&rng, 0.6) ? "clinic" : rng_chance(&rng, 0.5) ? "home_visit" : "phone",
            NULL,
            p->county,
            reasons,
            &v,
            &res};
        if (store_copd_visit_insert(db, &in) < 0) return -1;
        if (v.has_fev1) has_spirometry = 1, last_spirometry = visit;
        if (res.action == COPD_REFER || res.action == COPD_URGENT_REFER)
            has_review = 1, last_review = visit;
        if (smoker && rng_chance(&rng, 0.1)) smoker = 0; /* the advice works, sometimes */
        due = res.next_due;
        visit = date_add_days(due, rng_int(&rng, -5, 10));
    }
    char due_text[11];
    date_format(due, due_text);
    struct task_input t = {.resident_id = p->id,
                           .team_id = p->team_id,
                           .doctor_id = p->doctor_staff,
                           .kind = "copd_visit",
                           .program = "copd",
                           .due_date = due_text,
                           .note = "visit",
                           .county_code = p->county};
    return store_task_insert(db, &t) < 0 ? -1 : 0;
}
