/* services.c (demo) - see services.h. */
#include "demo/services.h"

#include "store/services.h"


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
    } else if (u >= 0.9) { /* a hospital outside the county (Yibin, Chengdu) */
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
    static const char *const UP[] = {"血压控制不佳，需调整治疗方案", "胸痛待查", "血糖控制不佳", "骨折"};
    static const char *const DOWN[] = {"病情稳定，转回社区康复", "术后康复管理", "慢病稳定期随访"};
    char day[11];
    date_format(day_in_year(rng, today, p->birth), day);
    int64_t primary = rng_chance(rng, 0.6) ? s->center : s->clinic;
    int64_t hospital = rng_chance(rng, 0.85) ? s->county_hospital : s->city_hospital;
    struct referral_input r = {p->id, day, up ? "up" : "down", up ? primary : hospital,
                               up ? hospital : s->center,
                               up ? UP[rng_int(rng, 0, 3)] : DOWN[rng_int(rng, 0, 2)], p->county};
    return store_referral_insert(db, &r) < 0 ? -1 : 0;
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
        if (store_satisfaction_insert(db, p->id, day, p->contract_team, score, p->county, "survey", 0) < 0) return -1;
    }
    return 0;
}
