/* households.c (demo) - the county's people: households of an ageing rural population,
 * their health (programmes, pregnancies, disabilities) and what their records hold, signed
 * as they go (signing.c). */
#include "demo/county.h"

#include <string.h>
#include <time.h>

#include "demo/copd.h"
#include "demo/entitlements.h"
#include "demo/followups.h"
#include "demo/names.h"
#include "demo/records.h"
#include "demo/services.h"
#include "demo/tb.h"
#include "demo/vaccinations.h"
#include "domain/id_number.h"
#include "store/population.h"
#include "store/registry.h"
#include "store/residents.h"
#include "store/work.h"
#include "util/date.h"

static struct date birth_for_age(struct county *c, int age)
{
    struct date d = date_add_years(c->today, -age);
    return date_add_days(d, -rng_int(&c->rng, 0, 364));
}

/* An age in [lo, hi] that thins out toward hi (survival). */
static int older_age(struct county *c, int lo, int hi)
{
    double u = rng_unit(&c->rng);
    return lo + (int)((hi - lo + 1) * u * u * 0.6 + (hi - lo + 1) * u * 0.4) % (hi - lo + 1);
}

static void person(struct county *c, struct person *p, const char *surname, char sex, int age,
                   const char *relation)
{
    p->sex = sex;
    p->birth = birth_for_age(c, age < 0 ? 0 : age);
    p->relation = relation;
    name_person(&c->rng, surname, sex, p->birth.year, p->name, sizeof p->name);
}

static void add_children(struct county *c, struct person *h, int *n, const char *surname,
                         int parent_age, int count, const char *relation, int max_age)
{
    for (int i = 0; i < count && *n < 6; i++) {
        int age = parent_age - rng_int(&c->rng, 23, 36);
        if (age > max_age) age = max_age - rng_int(&c->rng, 0, 3);
        if (age < 0) age = rng_int(&c->rng, 0, 3);
        /* Births have fallen by a third in a decade: fewer under-sevens than a flat spread. */
        if (age < 7 && rng_chance(&c->rng, 0.4)) age = rng_int(&c->rng, 7, max_age);
        person(c, &h[(*n)++], surname, rng_chance(&c->rng, 0.52) ? 'M' : 'F', age, relation);
    }
}

/* One household of 1-6 people by the mix of household types seen in rural Sichuan. */
static int make_household(struct county *c, struct person *h)
{
    int n = 0;
    char surname[8], spouse_surname[8];
    name_surname(&c->rng, surname, sizeof surname);
    name_surname(&c->rng, spouse_surname, sizeof spouse_surname);
    double u = rng_unit(&c->rng);
    char head_sex = rng_chance(&c->rng, 0.82) ? 'M' : 'F';
    char spouse_sex = head_sex == 'M' ? 'F' : 'M';
    if (u < 0.08) { /* elderly living alone (空巢独居) */
        person(c, &h[n++], surname, rng_chance(&c->rng, 0.55) ? 'F' : 'M', older_age(c, 65, 98),
               "head");
    } else if (u < 0.23) { /* elderly couple */
        int age = older_age(c, 60, 92);
        person(c, &h[n++], surname, head_sex, age, "head");
        person(c, &h[n++], spouse_surname, spouse_sex, age + rng_int(&c->rng, -5, 3), "spouse");
    } else if (u < 0.35) { /* middle-aged couple, children gone to work in the cities */
        int age = rng_int(&c->rng, 45, 64);
        person(c, &h[n++], surname, head_sex, age, "head");
        person(c, &h[n++], spouse_surname, spouse_sex, age + rng_int(&c->rng, -4, 3), "spouse");
    } else if (u < 0.62) { /* couple with children */
        int age = rng_int(&c->rng, 28, 56);
        person(c, &h[n++], surname, head_sex, age, "head");
        if (rng_chance(&c->rng, 0.9))
            person(c, &h[n++], spouse_surname, spouse_sex, age + rng_int(&c->rng, -4, 3), "spouse");
        add_children(c, h, &n, surname, age, rng_int(&c->rng, 1, 3), "child", 24);
    } else if (u < 0.84) { /* three generations */
        int age = rng_int(&c->rng, 28, 50);
        person(c, &h[n++], surname, 'M', age, "head");
        person(c, &h[n++], spouse_surname, 'F', age + rng_int(&c->rng, -4, 2), "spouse");
        int parent_age = age + rng_int(&c->rng, 22, 32);
        person(c, &h[n++], surname, rng_chance(&c->rng, 0.45) ? 'M' : 'F', parent_age, "parent");
        if (rng_chance(&c->rng, 0.55))
            person(c, &h[n++], NULL, 'F', parent_age - rng_int(&c->rng, 0, 4), "parent");
        add_children(c, h, &n, surname, age, rng_int(&c->rng, 1, 2), "child", 18);
    } else if (u < 0.94) { /* grandparents with left-behind grandchildren (留守儿童) */
        int age = older_age(c, 52, 80);
        person(c, &h[n++], surname, head_sex, age, "head");
        if (rng_chance(&c->rng, 0.75))
            person(c, &h[n++], spouse_surname, spouse_sex, age + rng_int(&c->rng, -4, 3), "spouse");
        int count = rng_int(&c->rng, 1, 2);
        for (int i = 0; i < count; i++)
            person(c, &h[n++], surname, rng_chance(&c->rng, 0.52) ? 'M' : 'F',
                   rng_int(&c->rng, 4, 16), "grandchild");
    } else { /* single adult */
        person(c, &h[n++], surname, rng_chance(&c->rng, 0.6) ? 'M' : 'F', rng_int(&c->rng, 20, 64),
               "head");
    }
    return n;
}

static int pick_cell(struct county *c)
{
    double x = rng_unit(&c->rng) * c->total_weight;
    int v = 0;
    for (; v < VILLAGES - 1 && x >= c->villages[v].weight; v++)
        x -= c->villages[v].weight;
    return c->villages[v].first_cell + rng_int(&c->rng, 0, c->villages[v].cells - 1);
}

static double chance_by_age(int age, const int *ages, const double *p, int n)
{
    double r = 0;
    for (int i = 0; i < n; i++)
        if (age >= ages[i]) r = p[i];
    return r;
}

/* A date between `from` and today (clamped), for diagnoses and enrolments. */
static struct date date_between(struct county *c, struct date from, int max_days_back)
{
    long span = date_diff_days(c->today, from);
    if (span > max_days_back) span = max_days_back;
    if (span <= 0) return c->today;
    return date_add_days(c->today, -rng_int(&c->rng, 0, (int)span));
}

/* Diagnoses, programs, pregnancy, record and flag for one new resident. */
static int add_health(struct db *db, struct county *c, int64_t id, struct person *p, int cell)
{
    int age = date_age_years(p->birth, c->today);
    char d1[11], d2[11];
    struct date adult = date_add_years(p->birth, 30);
    const struct team *team = &c->teams[c->cells[cell].team];
    struct demo_patient patient = {.id = id,
                                   .birth = p->birth,
                                   .team_id = team->id,
                                   .doctor_staff = team->gp_staff,
                                   .village_staff = team->village_doctor_staff,
                                   .county = c->code};
    static const int HTN_AGE[] = {35, 45, 55, 65, 75};
    static const double HTN_P[] = {0.08, 0.17, 0.29, 0.38, 0.45};
    static const int DM_AGE[] = {35, 45, 55, 65};
    static const double DM_P[] = {0.035, 0.075, 0.12, 0.14};
    if (age >= 35 && rng_chance(&c->rng, chance_by_age(age, HTN_AGE, HTN_P, 5))) {
        struct date on = date_between(c, adult, 365 * 12);
        demo_date_text(on, d1);
        if (store_diagnosis_insert(db, id, "I10", d1, NULL) < 0) return -1;
        if (rng_chance(&c->rng, 0.86)) {
            p->hypertension = 1;
            demo_date_text(date_add_days(on, rng_int(&c->rng, 0, 60)), d2);
            if (strcmp(d2, d1) >= 0 && date_parse(d2, &on) == 0 && date_compare(on, c->today) > 0)
                demo_date_text(c->today, d2);
            if (store_enrolment_insert(db, id, "hypertension", d2) < 0) return -1;
            patient.hypertension = 1;
            date_parse(d2, &patient.hypertension_since);
        }
    }
    if (age >= 35 && rng_chance(&c->rng, chance_by_age(age, DM_AGE, DM_P, 4))) {
        struct date on = date_between(c, adult, 365 * 10);
        demo_date_text(on, d1);
        if (store_diagnosis_insert(db, id, "E11.9", d1, NULL) < 0) return -1;
        if (rng_chance(&c->rng, 0.84)) {
            p->diabetes = 1;
            if (store_enrolment_insert(db, id, "diabetes", d1) < 0) return -1;
            patient.diabetes = 1;
            patient.diabetes_since = on;
        }
    }
    if (age >= 15 && rng_chance(&c->rng, 0.005)) {
        static const char *const SMD[] = {"F20.9", "F31.9", "F25.9", "F22.0"};
        demo_date_text(date_between(c, date_add_years(p->birth, 16), 365 * 15), d1);
        if (store_diagnosis_insert(db, id, SMD[rng_int(&c->rng, 0, 3)], d1, NULL) < 0) return -1;
        if (rng_chance(&c->rng, 0.92)) {
            if (store_enrolment_insert(db, id, "smd", d1) < 0) return -1;
            patient.smd = 1;
            date_parse(d1, &patient.smd_since);
        }
    }
    if (age >= 65) {
        struct date from = date_add_years(p->birth, 65);
        struct date floor = date_add_years(c->today, -8);
        demo_date_text(date_compare(from, floor) < 0 ? floor : from, d1);
        if (store_enrolment_insert(db, id, "elderly", d1) < 0) return -1;
        patient.elderly = 1;
    }
    if (age < 7) {
        demo_date_text(p->birth, d1);
        if (store_enrolment_insert(db, id, "child", d1) < 0) return -1;
        patient.child = 1;
    }
    if (p->sex == 'F' && age >= 20 && age <= 40) {
        double u = rng_unit(&c->rng);
        if (u < 0.045) { /* pregnant, registered after the first weeks */
            struct date lmp = date_add_days(c->today, -rng_int(&c->rng, 50, 280));
            demo_date_text(lmp, d1);
            demo_date_text(date_add_days(lmp, rng_int(&c->rng, 49, 98)), d2);
            if (strcmp(d2, d1) < 0) strcpy(d2, d1);
            struct date reg;
            date_parse(d2, &reg);
            if (date_compare(reg, c->today) > 0) demo_date_text(c->today, d2);
            p->pregnant = 1;
            patient.pregnant = 1;
            patient.lmp = lmp;
            if (store_pregnancy_insert(db, id, d1, NULL, NULL) < 0 ||
                store_enrolment_insert(db, id, "maternal", d2) < 0)
                return -1;
        } else if (u < 0.075) { /* delivered in the last year */
            struct date delivery = date_add_days(c->today, -rng_int(&c->rng, 1, 365));
            char d3[11];
            demo_date_text(date_add_days(delivery, -rng_int(&c->rng, 266, 287)), d1);
            demo_date_text(delivery, d2);
            demo_date_text(date_add_days(delivery, rng_int(&c->rng, 2, 5)), d3);
            if (store_pregnancy_insert(db, id, d1, d2, d3) < 0) return -1;
            struct demo_patient mother = patient;
            date_parse(d1, &mother.lmp);
            mother.delivery = delivery;
            date_parse(d3, &mother.discharge);
            if (demo_maternal_delivered(db, &c->svc, c->today, &mother) < 0) return -1;
        }
    }
    if (rng_chance(&c->rng, 0.93)) {
        struct date created = date_between(c, p->birth, 365 * 8);
        demo_date_text(created, d1);
        if (store_record_create(db, id, d1) < 0) return -1;
        if (rng_chance(&c->rng, 0.42)) {
            demo_date_text(date_between(c, created, 365 * 3), d2);
            if (store_record_set_open(db, id, 1, d2) < 0) return -1;
        }
    }
    if (demo_followups_for(db, &c->rng, c->today, &patient) < 0) return -1;
    if (demo_records_for(db, c->today, &patient) < 0) return -1;
    if (age < 7 && demo_vaccinations_for(db, c->today, &patient) < 0) return -1;
    if (demo_tb_for(db, c->today, &patient) < 0) return -1;
    if (demo_copd_for(db, c->today, &patient) < 0) return -1;
    if (age < 1 && demo_newborn_visit(db, &c->svc, c->today, &patient) < 0) return -1;
    /* First discovery (首获负责): about 0.4% flagged, most already decided by the team. */
    if (rng_chance(&c->rng, 0.004)) {
        const char *reason =
            age >= 65 ? (rng_chance(&c->rng, 0.5) ? "elderly_living_alone" : "frailty")
            : age >= 35
                ? (rng_chance(&c->rng, 0.6) ? "suspected_hypertension" : "suspected_diabetes")
            : age < 7 ? "newborn"
                      : "other";
        const struct team *tm = &c->teams[c->cells[cell].team];
        struct date raised = date_add_days(c->today, -rng_int(&c->rng, 0, 90));
        char raised_at[24];
        demo_date_text(raised, d1);
        snprintf(raised_at, sizeof raised_at, "%sT02:00:00Z", d1);
        int64_t flag = store_flag_insert(db, id, reason, "入户随访发现", 0,
                                         tm->village_doctor_staff, raised_at);
        if (flag < 0) return -1;
        double u = rng_unit(&c->rng);
        if (u < 0.6) {
            if (store_flag_decide(db, flag, "confirmed", 0, "团队医生确认") != 1) return -1;
            demo_date_text(date_add_days(raised, 7), d2);
            struct task_input t = {id,   tm->id, tm->gp_staff, flag,       "first_discovery",
                                   NULL, d2,     NULL,         "首获负责", c->code};
            if (store_task_insert(db, &t) < 0) return -1;
        } else if (u < 0.7) {
            if (store_flag_decide(db, flag, "dismissed", 0, "已在管理中") != 1) return -1;
        }
    }
    return 0;
}

static void progress(long done, long total, time_t started)
{
    fprintf(stderr, "\r[demo] residents %ld/%ld (%lds)", done, total, (long)(time(NULL) - started));
    if (done == total) fputc('\n', stderr);
}

int demo_build_residents(struct db *db, struct county *c, long target, int64_t *resident01)
{
    time_t started = time(NULL);
    long done = 0, next_report = 0;
    int village01_cell = c->villages[0].first_cell;
    while (done < target) {
        struct person h[6];
        memset(h, 0, sizeof h);
        int n = make_household(c, h);
        if (done + n > target) n = (int)(target - done);
        /* The first household is resident01's, in the first village's first cell. */
        int showcase = demo_is_showcase(c, c->households);
        int cell = done == 0  ? village01_cell
                   : showcase ? demo_showcase_cell(c, c->households)
                              : pick_cell(c);
        const struct cell *cl = &c->cells[cell];
        char address[96];
        snprintf(address, sizeof address, "%s%d组%d号", c->villages[cl->village].name,
                 rng_int(&c->rng, 1, 12), rng_int(&c->rng, 1, 160));
        int64_t household = store_household_insert(db, cl->code, address, c->code);
        if (household < 0) return -1;
        int poor = rng_chance(&c->rng, 0.03);
        for (int i = 0; i < n; i++) {
            struct person *p = &h[i];
            int age = date_age_years(p->birth, c->today);
            char birth[11], id_number[19], phone[12];
            demo_date_text(p->birth, birth);
            demo_phone_number(&c->rng, phone);
            struct resident_input in = {
                p->name,
                id_number,
                p->sex,
                birth,
                (age >= 16 && (age < 75 || rng_chance(&c->rng, 0.5))) ? phone : NULL,
                cl->code,
                address,
                household,
                p->relation,
                rng_chance(&c->rng, age >= 80   ? 0.09
                                    : age >= 60 ? 0.045
                                                : 0.014),
                poor,
                done == 0 || rng_chance(&c->rng, 0.35),
                c->code};
            /* Spouses married in from neighbouring counties carry their birthplace's code. */
            const char *division =
                (p->relation && !strcmp(p->relation, "spouse") && rng_chance(&c->rng, 0.3))
                    ? (rng_chance(&c->rng, 0.5) ? "511521" : "511526")
                    : c->code;
            /* A free ID number, asked first: on PostgreSQL a failed insert would end the
             * demo's transaction. */
            int taken = 1;
            for (int attempt = 0; attempt < 50 && taken == 1; attempt++) {
                int seq = rng_int(&c->rng, 0, 499) * 2 + (p->sex == 'M');
                id_number_make(division, p->birth, seq, id_number);
                taken = store_resident_id_number_taken(db, id_number);
            }
            int64_t id = taken == 0 ? store_resident_insert(db, &in) : -1;
            if (id < 0) return -1;
            p->id = id;
            p->disabled = in.disabled;
            if (i == 0 && store_household_set_head(db, household, id) < 0) return -1;
            if (i == 0 && showcase) c->showcase[c->households] = id;
            if (done == 0 && resident01) *resident01 = id;
            if (add_health(db, c, id, p, cell) < 0) return -1;
            done++;
        }
        /* Door-knocking census (入户): ~86% of households visited in the last year. */
        if (rng_chance(&c->rng, 0.86)) {
            const struct team *tm = &c->teams[cl->team];
            char visit[11];
            demo_date_text(date_add_days(c->today, -rng_int(&c->rng, 0, 360)), visit);
            if (store_census_insert(
                    db, household,
                    rng_chance(&c->rng, 0.7) ? tm->village_doctor_staff : tm->gp_staff, visit,
                    rng_chance(&c->rng, 0.95), rng_chance(&c->rng, 0.9),
                    rng_chance(&c->rng, 0.5) ? "按计划随访，讲解签约服务内容" : NULL) < 0)
                return -1;
        }
        if (store_recompute_household(db, household, 0, c->today) < 0) return -1;
        for (int i = 0; i < n; i++) {
            int age = date_age_years(h[i].birth, c->today);
            h[i].key = age >= 65 || age < 7 || h[i].hypertension || h[i].diabetes ||
                       h[i].pregnant || h[i].disabled;
        }
        if (demo_sign_household(db, c, h, n, cell, showcase) < 0) return -1;
        c->households++;
        const struct team *tm = &c->teams[cl->team];
        const struct village *vl = &c->villages[cl->village];
        struct demo_site site = {tm->id,
                                 tm->gp_staff,
                                 tm->village_doctor_staff,
                                 vl->clinic_id,
                                 c->center_id[vl->township],
                                 c->county_hospital,
                                 c->tcm_hospital,
                                 c->city_hospital};
        for (int i = 0; i < n; i++) {
            struct demo_resident r = {h[i].id,
                                      h[i].birth,
                                      h[i].hypertension ? 1
                                      : h[i].diabetes   ? 2
                                                        : 0,
                                      h[i].contract_team,
                                      h[i].contract_start,
                                      c->code};
            if (demo_services_for(db, &c->svc, c->today, &site, &r) < 0) return -1;
        }
        for (int i = 0; i < n; i++)
            if (demo_entitlements_for(db, c->rules, c->account, c->today, &h[i].contracts) < 0)
                return -1;
        if (done >= next_report || done == target) {
            progress(done, target, started);
            next_report = done + 10000;
        }
    }
    return 0;
}

/* One self-management group per village, run by the team of its first cell. Drawn from a
 * generator of its own and built last, so every other table is what it was without it. */
