/* services.c (demo) - see services.h. */
#include "demo/services.h"

#include <stdio.h>

#include "store/services.h"
#include "store/work.h"

/* One visit on `on`. Chronic visits are primary care at the resident's own team. */
static int visit(struct db *db, struct rng *rng, const struct demo_site *s,
                 const struct demo_resident *p, struct date on, int chronic)
{
    char day[11];
    date_format(on, day);
    struct encounter_input e = {p->id, day, 0, 0, 1, 0, 0, NULL, p->county};
    double u = rng_unit(rng);
    if (chronic) {
        e.chronic_program = p->chronic == 1 ? "hypertension" : "diabetes";
        u = 0.5 * rng_unit(rng); /* primary */
    } else if (u >= 0.9) {       /* a hospital outside the county (Yibin, Chengdu) */
        e.in_county = 0;
        return store_encounter_insert(db, &e) < 0 ? -1 : 0;
    }
    if (u < 0.6) { /* the township center or the village clinic */
        e.primary_care = 1;
        int at_clinic = rng_chance(rng, 0.55);
        e.institution_id = at_clinic ? s->clinic : s->center;
        int64_t team = p->contract_team ? p->contract_team : s->grid_team;
        /* Signed residents mostly see their own family doctor; others sometimes the grid team. */
        if (rng_chance(rng, chronic ? 0.92 : p->contract_team ? 0.7 : 0.3)) {
            e.team_id = team;
            e.staff_id = team != s->grid_team ? 0 : at_clinic ? s->village_staff : s->gp_staff;
        }
    } else {
        e.institution_id = rng_chance(rng, 0.75) ? s->county_hospital : s->tcm_hospital;
    }
    return store_encounter_insert(db, &e) < 0 ? -1 : 0;
}

static struct date day_in_year(struct rng *rng, struct date today, struct date not_before)
{
    struct date d = date_add_days(today, -rng_int(rng, 0, 364));
    return date_compare(d, not_before) < 0 ? not_before : d;
}

static int referral(struct db *db, struct rng *rng, const struct demo_site *s,
                    const struct demo_resident *p, struct date today, int up)
{
    static const char *const UP[] = {"血压控制不佳，需调整治疗方案", "胸痛待查", "血糖控制不佳",
                                     "骨折"};
    static const char *const DOWN[] = {"病情稳定，转回社区康复", "术后康复管理", "慢病稳定期随访"};
    char day[11];
    date_format(day_in_year(rng, today, p->birth), day);
    int64_t primary = rng_chance(rng, 0.6) ? s->center : s->clinic;
    int64_t hospital = rng_chance(rng, 0.85) ? s->county_hospital : s->city_hospital;
    struct referral_input r = {p->id,
                               day,
                               up ? "up" : "down",
                               up ? primary : hospital,
                               up ? hospital : s->center,
                               up ? UP[rng_int(rng, 0, 3)] : DOWN[rng_int(rng, 0, 2)],
                               p->county};
    return store_referral_insert(db, &r) < 0 ? -1 : 0;
}

/* Hospital stays (issue 19): about one resident in six a year in a rural county, more among
 * the old; nine in ten inside the county. A stay that ended in the last fortnight has its
 * post-visit call on the team's work list, as POST /encounters would have put it there. Its
 * own generator, seeded by the resident's id, so that the rest of the demo is unchanged. */
static int hospital_stay(struct db *db, struct date today, const struct demo_site *s,
                         const struct demo_resident *p)
{
    static const char *const BY_AGE[][3] = {{"[\"J18.9\"]", "[\"K35.8\"]", "[\"S52.5\"]"},
                                            {"[\"K80.2\"]", "[\"J18.9\"]", "[\"I10\",\"E11.9\"]"},
                                            {"[\"I63.9\",\"I10\"]", "[\"J44.1\"]", "[\"I50.9\"]"}};
    struct rng rng = {(uint64_t)p->id * 0xBF58476D1CE4E5B9ull + 19};
    int age = date_age_years(p->birth, today);
    if (!rng_chance(&rng, age >= 65 ? 0.3 : age >= 15 ? 0.12 : 0.08)) return 0;
    struct date admitted = day_in_year(&rng, today, p->birth);
    struct date out = date_add_days(admitted, rng_int(&rng, 3, 12));
    if (date_compare(out, today) > 0) out = today;
    char in_text[11], out_text[11];
    date_format(admitted, in_text);
    date_format(out, out_text);
    int group = age >= 60 ? 2 : age >= 15 ? 1 : 0;
    struct encounter_input e = {p->id, in_text, 0, 0, 0, 0, 0, NULL, p->county};
    e.kind = "inpatient";
    e.discharge_date = out_text;
    e.diagnoses = BY_AGE[group][rng_int(&rng, 0, 2)];
    e.has_cost = 1;
    e.cost_fen = (int64_t)rng_int(&rng, 300000, 2000000);
    e.source = "HIS";
    if (rng_chance(&rng, 0.9)) {
        e.in_county = 1;
        e.institution_id = rng_chance(&rng, 0.75) ? s->county_hospital : s->tcm_hospital;
    }
    int64_t stay = store_encounter_insert(db, &e);
    if (stay < 0) return -1;
    if (date_diff_days(today, out) > 14) return 0;
    char due[11], note[32];
    date_format(date_add_days(out, 3), due);
    snprintf(note, sizeof note, "discharge:%lld", (long long)stay);
    struct task_input t = {.resident_id = p->id,
                           .team_id = p->contract_team ? p->contract_team : s->grid_team,
                           .doctor_id = p->contract_team ? 0 : s->gp_staff,
                           .kind = "post_visit_call",
                           .due_date = due,
                           .note = note,
                           .county_code = p->county};
    return store_task_insert(db, &t) < 0 ? -1 : 0;
}

int demo_services_for(struct db *db, struct rng *rng, struct date today,
                      const struct demo_site *site, const struct demo_resident *p)
{
    int age = date_age_years(p->birth, today);
    /* Most adults see a doctor 1-6 times a year; children and young adults less. */
    int visits = age >= 15 ? (rng_chance(rng, 0.12) ? 0 : rng_int(rng, 1, age >= 60 ? 6 : 4))
                           : rng_int(rng, 0, 3);
    for (int i = 0; i < visits; i++)
        if (visit(db, rng, site, p, day_in_year(rng, today, p->birth), 0) < 0) return -1;
    /* Chronic patients come for their prescriptions every two to three months. */
    int chronic_visits = p->chronic ? rng_int(rng, 2, 6) : 0;
    for (int i = 0; i < chronic_visits; i++)
        if (visit(db, rng, site, p, day_in_year(rng, today, p->birth), 1) < 0) return -1;
    if (hospital_stay(db, today, site, p) < 0) return -1;
    /* Besides the referrals follow-ups and pregnancy risks make (demo/followups.c), about 1.5
     * up and 1.5 down per thousand residents a month, more among the old and ill. */
    double weight = (age >= 60 ? 1.6 : 0.7) * (p->chronic ? 1.5 : 1.0);
    if (rng_chance(rng, 0.018 * weight) && referral(db, rng, site, p, today, 1) < 0) return -1;
    if (rng_chance(rng, 0.018 * weight) && referral(db, rng, site, p, today, 0) < 0) return -1;
    if (p->contract_team && age >= 12 && rng_chance(rng, 0.25)) {
        double u = rng_unit(rng);
        int score = u < 0.58 ? 5 : u < 0.93 ? 4 : u < 0.98 ? 3 : rng_int(rng, 1, 2);
        char day[11];
        date_format(day_in_year(rng, today, p->contract_start), day);
        /* The survey also asks whether the resident knows their family doctor (awareness_rate):
         * most do, the chronic patients the team sees most, fewer of the dissatisfied. Drawn
         * from the id, not the generator, so the rest of the demo stays as it was. */
        int in_100 = (int)((uint64_t)p->id * 2654435761u % 100);
        int knows = in_100 < (score < 4 ? 60 : p->chronic ? 95 : 85);
        if (store_satisfaction_insert(db, p->id, day, p->contract_team, score, p->county, "survey",
                                      knows, 0) < 0)
            return -1;
    }
    return 0;
}
