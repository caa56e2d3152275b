/* demo.c - builds the demo county (API.md "Demo county"). Numbers follow the field
 * reports in shared/seeds: 13 townships, 124 villages, 227 "1+4+N" teams of ~6.4 people
 * (1,456 staff), a census (入户) rate near 86%, an ageing rural population with many
 * left-behind elderly and children, hypertension in ~25% of adults 35+, diabetes ~10%,
 * SMD ~0.5%. Everything goes through store/, in one transaction, with population
 * class computed by the same code as every later change. */
#include "demo/demo.h"
#include "kpi/kpi.h"
#include "demo/entitlements.h"
#include "demo/followups.h"
#include "demo/copd.h"
#include "demo/tb.h"
#include "demo/vaccinations.h"
#include "demo/records.h"
#include "demo/groups.h"
#include "demo/referrals.h"
#include "demo/service_group.h"
#include "demo/services.h"
#include "demo/showcase.h"
#include "demo/slots.h"
#include "demo/visits.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/password.h"
#include "demo/catalogue.h"
#include "demo/drugs.h"
#include "demo/names.h"
#include "demo/points.h"
#include "domain/contract.h"
#include "domain/fees.h"
#include "domain/id_number.h"
#include "store/contracts.h"
#include "store/packages.h"
#include "store/population.h"
#include "store/registry.h"
#include "store/residents.h"
#include "store/scope.h"
#include "store/service_group.h"
#include "store/services.h"
#include "store/users.h"
#include "store/work.h"
#include "util/date.h"
#include "util/log.h"

/* The demo county (API.md); a run of more than PER_COUNTY residents becomes a city of
 * several counties of the same shape, the first of them this one. */
#define COUNTY "511524"
#define PER_COUNTY 1000000L
#define CITY "511500"
static const char *const CITY_COUNTIES[][2] = {
    {COUNTY, "长宁县"},   {"511502", "翠屏区"}, {"511503", "南溪区"}, {"511504", "叙州区"},
    {"511523", "江安县"}, {"511525", "高县"},   {"511526", "珙县"},   {"511527", "筠连县"},
    {"511528", "兴文县"}, {"511529", "屏山县"}};
#define MAX_COUNTIES ((int)(sizeof CITY_COUNTIES / sizeof CITY_COUNTIES[0]))
#define TOWNSHIPS 13
#define VILLAGES 124
#define TEAMS 227
#define STAFF_TOTAL 1456
#define MAX_CELLS (VILLAGES * 4)
/* The first households of the county of API.md live in the cells of doctor01's team, whose
 * first members always sign; the first signings there end within 30 days of today. So the
 * team the README and the tests log into has people, contracts to renew and work to show,
 * on any date and however small the demo (demo/showcase.c adds the work). */
#define SHOWCASE_HOUSEHOLDS 8
#define SHOWCASE_EXPIRING 3

static const char *const TOWNSHIP_NAMES[TOWNSHIPS] = {
    "长宁镇", "双河镇", "竹海镇", "梅硐镇", "花滩镇", "老翁镇", "龙头镇",
    "铜锣镇", "古河镇", "井江镇", "硐底镇", "开佛镇", "富兴镇"};
/* Villages per township, summing to 124. */
static const int VILLAGES_PER_TOWNSHIP[TOWNSHIPS] = {14, 11, 10, 9, 10, 9, 9, 9, 9, 9, 8, 9, 8};

struct cell {
    char code[15];
    int village;
    int team;
};

struct village {
    char code[13];
    char name[32];
    int township;
    double weight; /* relative population */
    int64_t clinic_id;
    int first_cell, cells;
};

struct team {
    int64_t id;
    int64_t gp_staff;
    int64_t village_doctor_staff;
};

struct county {
    char code[7]; /* this county's division code */
    const char *name;
    const char *parent; /* the city when there are several counties or one is chosen */
    int index;          /* its place in CITY_COUNTIES: 0 for the county of API.md */
    int first;          /* the first county built: the showcase, the accounts, the city hospital */
    struct rng rng;
    /* Services (visits, referrals, answers, earlier contracts) draw from their own
     * generator, so the residents and their programmes are what they were without them. */
    struct rng svc;
    struct date today;
    int64_t center_id[TOWNSHIPS];
    int64_t county_hospital, tcm_hospital;
    int64_t city_hospital; /* the municipal partner of 1+1+1 (Yibin, the prefecture) */
    struct village villages[VILLAGES];
    struct cell cells[MAX_CELLS];
    int cell_count;
    struct team teams[TEAMS];
    int64_t admin_user, village01_user;
    double total_weight;
    int households;                        /* registered so far in this county */
    int showcase_signed;                   /* signings in the showcase households so far */
    int64_t showcase[SHOWCASE_HOUSEHOLDS]; /* the head of each showcase household */
    /* What recorded services use up (the built-in mapping: the database is new), and the
     * scratch space of the rule. */
    const struct entitlement_rules *rules;
    struct entitlement_account *account;
};

/* Whether household number `k` of county `c` is one of the showcase households. */
static int is_showcase(const struct county *c, int k)
{
    return c->first && k < SHOWCASE_HOUSEHOLDS;
}

/* The k-th showcase household's cell: the cells of the first cell's team (doctor01's), in
 * turn. */
static int showcase_cell(const struct county *c, int k)
{
    int team = c->cells[0].team, seen = 0, last = 0;
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < c->cell_count; i++) {
            if (c->cells[i].team != team) continue;
            if (seen++ == k) return i;
            last = i;
        }
    return last;
}

static void phone_number(struct rng *r, char out[12])
{
    static const char *const PREFIX[] = {"135", "136", "138", "139", "150", "151", "158",
                                         "159", "182", "183", "187", "188", "177", "199"};
    snprintf(out, 12, "%s%08d", PREFIX[rng_int(r, 0, 13)], rng_int(r, 0, 99999999));
}

/* The real township names for the county of API.md; made-up ones for the others. */
static void township_name(const struct county *c, int t, char *out, size_t size)
{
    static const char *const FIRST[] = {"龙", "凤", "石", "金", "清", "桃", "柏",
                                        "新", "安", "福", "永", "兴", "双"};
    static const char *const SECOND[] = {"溪", "坝", "桥", "湾", "场", "江", "山"};
    if (c->index == 0)
        snprintf(out, size, "%s", TOWNSHIP_NAMES[t]);
    else
        snprintf(out, size, "%s%s镇", FIRST[(t + c->index) % 13], SECOND[(t * 3 + c->index) % 7]);
}

static int build_grid(struct db *db, struct county *c)
{
    char hospital[64], tcm[64], hospital_code[16], tcm_code[16];
    snprintf(hospital, sizeof hospital, "%s人民医院", c->name);
    snprintf(tcm, sizeof tcm, "%s中医医院", c->name);
    snprintf(hospital_code, sizeof hospital_code, "H%s001", c->code);
    snprintf(tcm_code, sizeof tcm_code, "H%s002", c->code);
    if (store_region_insert(db, c->code, c->name, "county", c->parent) < 0) return -1;
    c->county_hospital = store_institution_insert(db, hospital_code, hospital, "county_hospital",
                                                  "secondary", c->code);
    c->tcm_hospital =
        store_institution_insert(db, tcm_code, tcm, "tcm_hospital", "secondary", c->code);
    if (c->county_hospital < 0 || c->tcm_hospital < 0) return -1;
    int v = 0;
    for (int t = 0; t < TOWNSHIPS; t++) {
        char code[10], name[64], inst_code[16];
        char township[32];
        township_name(c, t, township, sizeof township);
        snprintf(code, sizeof code, "%.6s%03u", c->code, (unsigned)(101 + t) % 1000u);
        if (store_region_insert(db, code, township, "township", c->code) < 0) return -1;
        snprintf(name, sizeof name, "%s卫生院", township);
        snprintf(inst_code, sizeof inst_code, "T%s", code);
        c->center_id[t] =
            store_institution_insert(db, inst_code, name, "township_center", "primary", code);
        if (c->center_id[t] < 0) return -1;
        for (int k = 0; k < VILLAGES_PER_TOWNSHIP[t]; k++, v++) {
            struct village *vl = &c->villages[v];
            snprintf(vl->code, sizeof vl->code, "%.9s%03u", code, (unsigned)(k + 1) % 1000u);
            vl->township = t;
            /* The township seat is a neighbourhood (社区) and larger than the hill villages. */
            int urban = k == 0;
            for (int attempt = 0; attempt < 20; attempt++) {
                name_village(&c->rng, urban, vl->name, sizeof vl->name);
                int clash = 0;
                for (int j = v - k; j < v; j++)
                    clash |= strcmp(c->villages[j].name, vl->name) == 0;
                if (!clash) break;
            }
            vl->weight = urban ? 2.2 : 0.55 + rng_unit(&c->rng);
            c->total_weight += vl->weight;
            if (store_region_insert(db, vl->code, vl->name, "village", code) < 0) return -1;
            snprintf(name, sizeof name, "%s卫生室", vl->name);
            snprintf(inst_code, sizeof inst_code, "V%s", vl->code);
            vl->clinic_id = store_institution_insert(db, inst_code, name, "village_clinic",
                                                     "village", vl->code);
            if (vl->clinic_id < 0) return -1;
            vl->first_cell = c->cell_count;
            vl->cells = urban ? 4 : rng_int(&c->rng, 2, 4);
            for (int g = 0; g < vl->cells; g++) {
                struct cell *cell = &c->cells[c->cell_count++];
                char village_code[13]; /* a copy: gcc -O1 cannot tell the two apart within c */
                snprintf(village_code, sizeof village_code, "%.12s", vl->code);
                snprintf(cell->code, sizeof cell->code, "%s%02u", village_code,
                         (unsigned)(g + 1) % 100u);
                cell->village = v;
                snprintf(name, sizeof name, "%s第%d网格", vl->name, g + 1);
                if (store_region_insert(db, cell->code, name, "grid", vl->code) < 0) return -1;
            }
        }
    }
    /* Added last so the county's own institutions keep their ids. It serves the county
     * from the prefecture; the region tree starts at the county, so it is filed there. */
    if (!c->first) return 0; /* one city hospital, filed under the first county */
    c->city_hospital = store_institution_insert(db, "H511500001", "宜宾市第一人民医院",
                                                "municipal_hospital", "tertiary", c->code);
    return c->city_hospital < 0 ? -1 : 0;
}

static int64_t add_staff(struct db *db, struct county *c, const char *profession,
                         int64_t institution, int max_contracts)
{
    char name[32], phone[12];
    char sex = rng_chance(&c->rng, profession[0] == 'n' ? 0.1 : 0.6) ? 'M' : 'F';
    name_person(&c->rng, NULL, sex, rng_int(&c->rng, 1965, 1998), name, sizeof name);
    phone_number(&c->rng, phone);
    return store_staff_insert(db, name, profession, institution, phone, max_contracts);
}

/* Teams per township in proportion to its cells; each team serves a contiguous run of
 * cells; members: a county specialist (the "1"), a township GP, nurse and public-health
 * doctor (of the "4"), the village doctor of its first village, and 1-2 helpers ("N"). */
static int build_teams(struct db *db, struct county *c)
{
    int cells_in[TOWNSHIPS] = {0}, teams_in[TOWNSHIPS], assigned = 0;
    for (int i = 0; i < c->cell_count; i++)
        cells_in[c->villages[c->cells[i].village].township]++;
    for (int t = 0; t < TOWNSHIPS; t++) {
        teams_in[t] = TEAMS * cells_in[t] / c->cell_count;
        if (teams_in[t] < 1) teams_in[t] = 1;
        assigned += teams_in[t];
    }
    for (int t = 0; assigned < TEAMS; t = (t + 1) % TOWNSHIPS, assigned++)
        teams_in[t]++;
    int64_t village_doctor_of[VILLAGES] = {0};
    int team = 0, cell = 0, extras_left = STAFF_TOTAL - TEAMS * 5;
    for (int t = 0; t < TOWNSHIPS; t++) {
        int first_cell = cell;
        for (int k = 0; k < teams_in[t]; k++, team++) {
            /* cells [from, to) of this township for team k */
            int from = first_cell + cells_in[t] * k / teams_in[t];
            int to = first_cell + cells_in[t] * (k + 1) / teams_in[t];
            if (to == from) to = from + 1 > first_cell + cells_in[t] ? from : from + 1;
            char name[64];
            int village = c->cells[from].village;
            snprintf(name, sizeof name, "%s%s家庭医生团队%d", TOWNSHIP_NAMES[t],
                     c->villages[village].name, k + 1);
            const char *model = k % 7 == 6 ? "1+1+X" : "1+4+N";
            struct team *tm = &c->teams[team];
            tm->id = store_team_insert(db, name, model, c->center_id[t], c->code);
            if (tm->id < 0) return -1;
            int64_t specialist =
                add_staff(db, c, "specialist", k % 3 ? c->county_hospital : c->tcm_hospital, 0);
            tm->gp_staff = add_staff(db, c, "gp", c->center_id[t], 1000);
            int64_t nurse = add_staff(db, c, "nurse", c->center_id[t], 0);
            int64_t public_health = add_staff(db, c, "public_health", c->center_id[t], 0);
            /* One village doctor per village clinic; a second team in the village gets another. */
            tm->village_doctor_staff =
                add_staff(db, c, "village_doctor", c->villages[village].clinic_id, 100);
            if (!village_doctor_of[village]) village_doctor_of[village] = tm->village_doctor_staff;
            if (specialist < 0 || tm->gp_staff < 0 || nurse < 0 || public_health < 0 ||
                tm->village_doctor_staff < 0 ||
                store_team_set_doctor(db, tm->id, tm->gp_staff) < 0 ||
                store_team_member_insert(db, tm->id, tm->gp_staff, "lead") < 0 ||
                store_team_member_insert(db, tm->id, specialist, "specialist") < 0 ||
                store_team_member_insert(db, tm->id, nurse, "nurse") < 0 ||
                store_team_member_insert(db, tm->id, public_health, "public_health") < 0 ||
                store_team_member_insert(db, tm->id, tm->village_doctor_staff, "village_doctor") <
                    0)
                return -1;
            int teams_left = TEAMS - team;
            int extras = extras_left >= 2 * teams_left ? 2 : (extras_left > teams_left - 1 ? 2 : 1);
            if (extras > extras_left) extras = extras_left;
            for (int e = 0; e < extras; e++) {
                int manager = e == 0 && k % 2 == 0;
                int64_t s =
                    add_staff(db, c, manager ? "health_manager" : "assistant",
                              manager ? c->center_id[t] : c->villages[village].clinic_id, 0);
                if (s < 0 || store_team_member_insert(db, tm->id, s,
                                                      manager ? "health_manager" : "assistant") < 0)
                    return -1;
            }
            extras_left -= extras;
            for (int i = from; i < to; i++) {
                c->cells[i].team = team;
                if (store_team_cell_insert(db, tm->id, c->cells[i].code) < 0) return -1;
            }
            cell = to > cell ? to : cell;
        }
        cell = first_cell + cells_in[t];
    }
    return 0;
}

struct account {
    const char *username, *display_name;
    enum role role;
    const char *scope_region;
    int64_t staff_id, resident_id;
};

/* `hash` is the demo password's hash: every demo account has the one --password, so it is
 * hashed once (argon2id at interactive cost takes a noticeable moment, nine times over on
 * every demo the tests build); a login verifies it like any other. */
static int add_account(struct db *db, const struct account *a, const char *hash, int64_t *user_id)
{
    int64_t id = store_user_insert(db, a->username, hash, a->role, a->display_name, a->scope_region,
                                   a->resident_id);
    if (id < 0 || (a->staff_id && store_staff_link_user(db, a->staff_id, id) < 0)) return -1;
    if (user_id) *user_id = id;
    return 0;
}

/* ---- residents ---- */

struct person {
    char name[32];
    char sex;
    struct date birth;
    const char *relation;
    /* filled while registering, for the contract a person may sign */
    int64_t id;
    int hypertension, diabetes, pregnant, disabled, key;
    int64_t contract_team; /* the signed contract's team, 0 when not signed */
    struct date contract_start;
    struct demo_contracts contracts; /* what the records and the hands delivered on them */
};

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

static void date_text(struct date d, char out[11])
{
    date_format(d, out);
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
        date_text(on, d1);
        if (store_diagnosis_insert(db, id, "I10", d1, NULL) < 0) return -1;
        if (rng_chance(&c->rng, 0.86)) {
            p->hypertension = 1;
            date_text(date_add_days(on, rng_int(&c->rng, 0, 60)), d2);
            if (strcmp(d2, d1) >= 0 && date_parse(d2, &on) == 0 && date_compare(on, c->today) > 0)
                date_text(c->today, d2);
            if (store_enrolment_insert(db, id, "hypertension", d2) < 0) return -1;
            patient.hypertension = 1;
            date_parse(d2, &patient.hypertension_since);
        }
    }
    if (age >= 35 && rng_chance(&c->rng, chance_by_age(age, DM_AGE, DM_P, 4))) {
        struct date on = date_between(c, adult, 365 * 10);
        date_text(on, d1);
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
        date_text(date_between(c, date_add_years(p->birth, 16), 365 * 15), d1);
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
        date_text(date_compare(from, floor) < 0 ? floor : from, d1);
        if (store_enrolment_insert(db, id, "elderly", d1) < 0) return -1;
        patient.elderly = 1;
    }
    if (age < 7) {
        date_text(p->birth, d1);
        if (store_enrolment_insert(db, id, "child", d1) < 0) return -1;
        patient.child = 1;
    }
    if (p->sex == 'F' && age >= 20 && age <= 40) {
        double u = rng_unit(&c->rng);
        if (u < 0.045) { /* pregnant, registered after the first weeks */
            struct date lmp = date_add_days(c->today, -rng_int(&c->rng, 50, 280));
            date_text(lmp, d1);
            date_text(date_add_days(lmp, rng_int(&c->rng, 49, 98)), d2);
            if (strcmp(d2, d1) < 0) strcpy(d2, d1);
            struct date reg;
            date_parse(d2, &reg);
            if (date_compare(reg, c->today) > 0) date_text(c->today, d2);
            p->pregnant = 1;
            patient.pregnant = 1;
            patient.lmp = lmp;
            if (store_pregnancy_insert(db, id, d1, NULL, NULL) < 0 ||
                store_enrolment_insert(db, id, "maternal", d2) < 0)
                return -1;
        } else if (u < 0.075) { /* delivered in the last year */
            struct date delivery = date_add_days(c->today, -rng_int(&c->rng, 1, 365));
            char d3[11];
            date_text(date_add_days(delivery, -rng_int(&c->rng, 266, 287)), d1);
            date_text(delivery, d2);
            date_text(date_add_days(delivery, rng_int(&c->rng, 2, 5)), d3);
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
        date_text(created, d1);
        if (store_record_create(db, id, d1) < 0) return -1;
        if (rng_chance(&c->rng, 0.42)) {
            date_text(date_between(c, created, 365 * 3), d2);
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
        date_text(raised, d1);
        snprintf(raised_at, sizeof raised_at, "%sT02:00:00Z", d1);
        int64_t flag = store_flag_insert(db, id, reason, "入户随访发现", 0,
                                         tm->village_doctor_staff, raised_at);
        if (flag < 0) return -1;
        double u = rng_unit(&c->rng);
        if (u < 0.6) {
            if (store_flag_decide(db, flag, "confirmed", 0, "团队医生确认") != 1) return -1;
            date_text(date_add_days(raised, 7), d2);
            struct task_input t = {id,   tm->id, tm->gp_staff, flag,       "first_discovery",
                                   NULL, d2,     NULL,         "首获负责", c->code};
            if (store_task_insert(db, &t) < 0) return -1;
        } else if (u < 0.7) {
            if (store_flag_decide(db, flag, "dismissed", 0, "已在管理中") != 1) return -1;
        }
    }
    return 0;
}

/* The catalogue as loaded once, for signing. */
enum {
    PKG_BASIC,
    PKG_ELDERLY,
    PKG_DISABLED,
    PKG_HTN,
    PKG_DM,
    PKG_MCH,
    PKG_TCM,
    PKG_BUTLER,
    PKG_CANCER,
    PKG_COUNT
};
static const char *const PACKAGE_CODES[PKG_COUNT] = {"BASIC",   "ELDERLY-50", "DISABLED-100",
                                                     "HTN-120", "DM-120",     "MCH-150",
                                                     "TCM-300", "BUTLER-800", "CANCER-80"};
static struct package_row catalogue[PKG_COUNT];

static int load_catalogue(struct db *db)
{
    for (int i = 0; i < PKG_COUNT; i++)
        if (store_package_load(db, PACKAGE_CODES[i], &catalogue[i]) != 1) return -1;
    return 0;
}

/* A contract of an earlier year (status expired) with its packages; what it delivered is
 * written once the household's records are in (demo/entitlements.h), since the fulfilment
 * rate (履约率) counts what was delivered on the contracts that ended. Returns its id or -1. */
static int64_t earlier_contract(struct db *db, const struct contract_input *in, const int *chosen,
                                int count)
{
    int64_t id = store_contract_insert(db, in);
    if (id < 0) return -1;
    for (int k = 0; k < count; k++)
        if (store_contract_add_package(db, id, catalogue[chosen[k]].id) < 0) return -1;
    if (store_contract_event(db, id, NULL, "expired", in->channel, 0) < 0) return -1;
    return id;
}

/* A year of signing (签约): key populations sign most (~72%), their household members
 * often (~45%), others less (~28%): about half the county, as the field reports show. */
static int sign_household(struct db *db, struct county *c, struct person *h, int n, int cell,
                          int showcase)
{
    int any_key = 0;
    for (int i = 0; i < n; i++)
        any_key |= h[i].key;
    const struct team *tm = &c->teams[c->cells[cell].team];
    static const char *const CHANNELS[] = {"centralised", "clinic", "home_visit", "online"};
    for (int i = 0; i < n; i++) {
        struct person *p = &h[i];
        double chance = p->key ? 0.72 : any_key ? 0.45 : 0.28;
        if (!rng_chance(&c->rng, chance) && !(showcase && i == 0)) continue;
        int age = date_age_years(p->birth, c->today);
        int chosen[PKG_COUNT], count = 0;
        chosen[count++] = PKG_BASIC;
        if (p->hypertension && rng_chance(&c->rng, 0.45)) chosen[count++] = PKG_HTN;
        if (p->diabetes && rng_chance(&c->rng, 0.40)) chosen[count++] = PKG_DM;
        if (age >= 65 && rng_chance(&c->rng, 0.30)) chosen[count++] = PKG_ELDERLY;
        if ((p->pregnant || age < 1) && rng_chance(&c->rng, 0.50)) chosen[count++] = PKG_MCH;
        if (p->disabled && rng_chance(&c->rng, 0.50)) chosen[count++] = PKG_DISABLED;
        if (age >= 18 && rng_chance(&c->rng, 0.02)) chosen[count++] = PKG_TCM;
        if (rng_chance(&c->rng, 0.003)) chosen[count++] = PKG_BUTLER;
        /* About one in twelve of 35-74 buys the screening package: drawn from the person's id,
         * not the generator, so the rest of the county stays as it was. */
        if (age >= 35 && age <= 74 && (uint64_t)p->id * 2654435761u % 12 == 0)
            chosen[count++] = PKG_CANCER;
        struct fee_share shares[FEE_MAX_PAYERS];
        int share_count = 0;
        int64_t fee = 0;
        for (int k = 0; k < count; k++) {
            const struct package_row *pk = &catalogue[chosen[k]];
            struct fee_share part[FEE_MAX_PAYERS];
            if (fee_split(pk->price_fen, pk->rules, pk->rule_count, part, NULL) < 0) return -1;
            share_count = fee_shares_merge(shares, share_count, part, pk->rule_count);
            fee += pk->price_fen;
        }
        long days_ago = rng_int(&c->rng, 0, 364);
        /* 340-350 days ago: the term ends 14-25 days from today. */
        if (showcase && c->showcase_signed < SHOWCASE_EXPIRING)
            days_ago = 340 + 5 * c->showcase_signed;
        if (showcase) c->showcase_signed++;
        struct date start = date_add_days(c->today, -days_ago);
        char start_text[11], end_text[11];
        date_text(start, start_text);
        date_text(contract_end_date(start), end_text);
        const char *channel = CHANNELS[rng_int(&c->rng, 0, 9) < 4 ? 0 : rng_int(&c->rng, 1, 3)];
        char signed_at[24];
        snprintf(signed_at, sizeof signed_at, "%sT%02d:%02d:00Z", start_text,
                 rng_int(&c->rng, 0, 9), rng_int(&c->rng, 0, 59));
        /* 1+1+1: older and chronic patients often also choose the county and the city
         * hospital with their family doctor (the Shanghai combination, adapted to a county). */
        int one_one_one = (age >= 60 || p->hypertension || p->diabetes) && rng_chance(&c->rng, 0.3);
        /* Half the signings renew last year's contract, which ended the day before this
         * one started with 85-95% of its services delivered (the rest are new signings:
         * coverage grew fast). */
        int64_t previous = 0;
        if (rng_chance(&c->svc, 0.5)) {
            struct date prev_start = date_add_years(start, -1);
            char prev_text[11], prev_end[11];
            date_text(prev_start, prev_text);
            date_text(date_add_days(start, -1), prev_end);
            struct contract_input old = {p->id,    tm->id, tm->gp_staff, 0,       0,
                                         0,        0,      "expired",    channel, prev_text,
                                         prev_end, NULL,   c->code,      fee,     NULL};
            p->contracts.ended_fraction = 0.85 + 0.1 * rng_unit(&c->svc);
            previous = earlier_contract(db, &old, chosen, count);
            if (previous < 0) return -1;
            p->contracts.ended_id = previous;
        }
        struct contract_input in = {p->id,
                                    tm->id,
                                    tm->gp_staff,
                                    previous,
                                    0,
                                    one_one_one ? c->county_hospital : 0,
                                    one_one_one ? c->city_hospital : 0,
                                    "active",
                                    channel,
                                    start_text,
                                    end_text,
                                    NULL,
                                    c->code,
                                    fee,
                                    signed_at};
        int64_t id = store_contract_insert(db, &in);
        if (id < 0) return -1;
        for (int k = 0; k < count; k++)
            if (store_contract_add_package(db, id, catalogue[chosen[k]].id) < 0) return -1;
        for (int k = 0; k < share_count; k++)
            if (store_contract_add_share(db, id, shares[k].payer, shares[k].amount_fen) < 0)
                return -1;
        /* What is not recorded was delivered roughly in step with the time elapsed, some
         * teams ahead (the records deliver the rest, demo/entitlements.h). */
        p->contracts.active_fraction = (double)days_ago / 365.0 * (0.6 + 0.5 * rng_unit(&c->rng));
        p->contracts.active_id = id;
        if (store_contract_event(db, id, NULL, "active", channel, 0) < 0) return -1;
        p->contract_team = tm->id;
        p->contract_start = start;
    }
    /* Those who let a contract lapse in the past year: about 15% of the contracts that
     * reached their term (续约率 ~85%: 0.5 x 0.51 renewed against 0.49 x 0.09 lapsed). */
    for (int i = 0; i < n; i++) {
        struct person *p = &h[i];
        if (p->contract_team || !rng_chance(&c->svc, 0.09)) continue;
        struct date end = date_add_days(c->today, -rng_int(&c->svc, 1, 364));
        char start_text[11], end_text[11];
        date_text(date_add_days(date_add_years(end, -1), 1), start_text);
        date_text(end, end_text);
        int basic = PKG_BASIC;
        struct contract_input old = {p->id,
                                     tm->id,
                                     tm->gp_staff,
                                     0,
                                     0,
                                     0,
                                     0,
                                     "expired",
                                     "clinic",
                                     start_text,
                                     end_text,
                                     NULL,
                                     c->code,
                                     catalogue[PKG_BASIC].price_fen,
                                     NULL};
        p->contracts.ended_fraction = 0.8 + 0.15 * rng_unit(&c->svc);
        if ((p->contracts.ended_id = earlier_contract(db, &old, &basic, 1)) < 0) return -1;
    }
    for (int i = 0; i < n; i++) {
        h[i].contracts.resident_id = h[i].id;
        h[i].contracts.staff_id = tm->gp_staff;
    }
    return 0;
}

static void progress(long done, long total, time_t started)
{
    fprintf(stderr, "\r[demo] residents %ld/%ld (%lds)", done, total, (long)(time(NULL) - started));
    if (done == total) fputc('\n', stderr);
}

static int build_residents(struct db *db, struct county *c, long target, int64_t *resident01)
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
        int showcase = is_showcase(c, c->households);
        int cell = done == 0  ? village01_cell
                   : showcase ? showcase_cell(c, c->households)
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
            date_text(p->birth, birth);
            phone_number(&c->rng, phone);
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
            date_text(date_add_days(c->today, -rng_int(&c->rng, 0, 360)), visit);
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
        if (sign_household(db, c, h, n, cell, showcase) < 0) return -1;
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
static int build_groups(struct db *db, struct county *c, unsigned long seed)
{
    struct rng rng = {seed * 0x9E3779B97F4A7C15ull + 5};
    clock_t started = clock();
    int made = 0;
    for (int v = 0; v < VILLAGES; v++) {
        const struct village *village = &c->villages[v];
        const struct team *team = &c->teams[c->cells[village->first_cell].team];
        struct demo_group_site site = {
            village->code, village->name, team->id, team->village_doctor_staff, team->gp_staff, v,
            c->rules};
        int n = demo_group_for_village(db, &rng, c->today, &site);
        if (n < 0) return -1;
        made += n;
    }
    fprintf(stderr, "[demo] %d self-management groups (%.2f s)\n", made,
            (double)(clock() - started) / CLOCKS_PER_SEC);
    return 0;
}

static void random_password(char out[17])
{
    static const char ALPHABET[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (int i = 0; i < 16; i++)
        out[i] = ALPHABET[randombytes_uniform(sizeof ALPHABET - 1)];
    out[16] = '\0';
    out[5] = '7'; /* always a digit, so it passes the password rule */
}

static int database_is_empty(struct db *db)
{
    static const char SQL[] = "SELECT count(*) FROM regions";
    struct db_stmt *st = db_prepare(db, SQL);
    return st && db_query_int(st, -1) == 0;
}

/* Makes `c` the k-th county of the city: a fresh grid, keeping the generators, the date and
 * the city hospital; filed under the city when `in_city`. */
static void set_county(struct county *c, int k, int in_city)
{
    struct rng rng = c->rng, svc = c->svc;
    struct date today = c->today;
    int64_t city_hospital = c->city_hospital;
    const struct entitlement_rules *rules = c->rules;
    struct entitlement_account *account = c->account;
    memset(c, 0, sizeof *c);
    c->rng = rng;
    c->svc = svc;
    c->rules = rules;
    c->account = account;
    c->today = today;
    c->city_hospital = city_hospital;
    c->index = k;
    snprintf(c->code, sizeof c->code, "%s", CITY_COUNTIES[k][0]);
    c->name = CITY_COUNTIES[k][1];
    c->parent = in_city ? CITY : NULL;
}

/* Another county of the city, in its own transaction (the accounts stay in the first). */
static int build_more_county(struct db *db, struct county *c, int k, int counties, long residents,
                             unsigned long seed)
{
    set_county(c, k, counties > 1);
    fprintf(stderr, "[demo] county %s %s: %ld residents\n", c->code, c->name, residents);
    if (db_begin(db) != DB_DONE) return -1;
    if (build_grid(db, c) < 0 || build_teams(db, c) < 0 ||
        build_residents(db, c, residents, NULL) < 0 ||
        build_groups(db, c, seed + (unsigned long)k) < 0 || db_commit(db) != DB_DONE) {
        log_error("demo failed in county %s: %s", c->code, db_errmsg(db));
        db_rollback(db);
        return -1;
    }
    return 0;
}

int demo_build(struct db *db, const struct demo_options *o)
{
    if (!database_is_empty(db)) {
        fputs("jiayi demo: the database already has a county; use a new file\n", stderr);
        return -1;
    }
    char generated[17];
    const char *password = o->password;
    if (!password) {
        random_password(generated);
        password = generated;
    }
    if (!password_is_strong_enough(password)) {
        fputs("jiayi demo: --password needs 8 to 256 bytes with a letter and a digit\n", stderr);
        return -1;
    }
    struct county *c = calloc(1, sizeof *c);
    if (!c) return -1;
    c->rng.state = o->seed * 0x2545F4914F6CDD1Dull + 1;
    c->svc.state = o->seed * 0xD1B54A32D192ED03ull + 7;
    c->today = date_today();
    /* JIAYI_DEMO_COUNTY_SIZE lets a test build a small city. */
    const char *size_text = getenv("JIAYI_DEMO_COUNTY_SIZE");
    long per = size_text && atol(size_text) > 0 ? atol(size_text) : PER_COUNTY;
    int counties = (int)((o->residents + per - 1) / per);
    if (counties < 1 || o->county) counties = 1; /* a chosen county is built alone */
    if (counties > MAX_COUNTIES) counties = MAX_COUNTIES;
    long per_county = o->residents / counties;
    int chosen = 0;
    while (o->county && chosen < MAX_COUNTIES && strcmp(CITY_COUNTIES[chosen][0], o->county))
        chosen++;
    if (chosen == MAX_COUNTIES) {
        fputs("jiayi demo: --county is one of the city's: 511524 511502 511503 511504 511523 511525"
              " 511526 511527 511528 511529\n",
              stderr);
        free(c);
        return -1;
    }
    set_county(c, chosen, counties > 1 || o->county);
    c->first = 1;
    char first_code[7];
    const char *first_name = c->name;
    snprintf(first_code, sizeof first_code, "%s", c->code);
    time_t started = time(NULL);
    int64_t resident01 = 0, desk_hospital = 0, t1_id = 0, t2_id = 0;
    int rc = -1;
    struct entitlement_rules rules = {0};
    c->account = malloc(sizeof *c->account);
    if (!c->account || store_entitlement_rules_load(db, &rules) < 0) goto out;
    c->rules = &rules;
    /* The county is one transaction of several hundred megabytes: with the server's 32 MB
     * page cache it would spill pages to the WAL and read them back all through the build. */
    if (!db_is_postgresql(db) && db_exec(db, "PRAGMA cache_size=-1048576") != DB_DONE) goto out;
    if (db_begin(db) != DB_DONE) goto out;
    fputs("[demo] grid, institutions and teams\n", stderr);
    if (c->parent && store_region_insert(db, CITY, "宜宾市", "city", NULL) < 0) goto fail;
    if (build_grid(db, c) < 0 || build_teams(db, c) < 0 || catalogue_build(db) < 0) goto fail;
    if (o->residents > 0 &&
        (load_catalogue(db) < 0 ||
         build_residents(db, c, o->residents - per_county * (counties - 1), &resident01) < 0 ||
         store_enrol_automatic(db, c->today, 0) < 0))
        goto fail;
    if (o->residents > 0) {
        const struct team *t = &c->teams[c->cells[0].team];
        struct demo_showcase_team team = {t->id, t->gp_staff, t->village_doctor_staff, c->code,
                                          c->rules};
        int count = c->households < SHOWCASE_HOUSEHOLDS ? c->households : SHOWCASE_HOUSEHOLDS;
        if (demo_showcase_work(db, c->today, &team, c->showcase, count) < 0) goto fail;
    }
    fputs("[demo] accounts\n", stderr);
    /* doctor01 is the GP of the team serving the first village of township 101; doctor02 of
     * township 102; village01 the village doctor of that first team. */
    int team102 = 0;
    while (team102 < TEAMS && c->cells[0].team == team102)
        team102++;
    char township102[10], township101[10], commission[64];
    snprintf(township102, sizeof township102, "%s102", c->code);
    snprintf(township101, sizeof township101, "%s101", c->code);
    snprintf(commission, sizeof commission, "%s卫生健康局", c->name);
    for (int i = 0; i < c->cell_count; i++)
        if (strncmp(c->cells[i].code, township102, 9) == 0) {
            team102 = c->cells[i].team;
            break;
        }
    const struct team *t1 = &c->teams[c->cells[0].team], *t2 = &c->teams[team102];
    t1_id = t1->id;
    t2_id = t2->id;
    /* The county hospital's desk (issue 15): its referral office and a cardiologist. Fixed
     * names, so the residents' random draws stay what they were. */
    desk_hospital = c->county_hospital;
    int64_t office_staff =
        store_staff_insert(db, "何晓燕", "health_manager", c->county_hospital, "13800000101", 0);
    int64_t cardiologist =
        store_staff_insert(db, "罗建华", "specialist", c->county_hospital, "13800000102", 0);
    if (office_staff < 0 || cardiologist < 0) goto fail;
    const struct account accounts[] = {
        {"admin", "系统管理员", ROLE_SYSTEM_ADMIN, NULL, 0, 0},
        {"county", commission, ROLE_HEALTH_COMMISSION, c->code, 0, 0},
        {"town01", "长宁镇卫生院管理员", ROLE_CENTER_ADMIN, township101, 0, 0},
        {"doctor01", "长宁镇家庭医生", ROLE_DOCTOR, NULL, t1->gp_staff, 0},
        {"doctor02", "双河镇家庭医生", ROLE_DOCTOR, NULL, t2->gp_staff, 0},
        {"village01", "村医", ROLE_VILLAGE_DOCTOR, c->villages[0].code, t1->village_doctor_staff,
         0},
        {"resident01", "居民", ROLE_RESIDENT, NULL, 0, resident01},
        {"hospital01", "县人民医院双向转诊办", ROLE_HOSPITAL_OFFICE, NULL, office_staff, 0},
        {"specialist01", "县人民医院心内科医生", ROLE_SPECIALIST, NULL, cardiologist, 0},
    };
    char hash[PASSWORD_HASH_MAX];
    if (password_hash(password, hash) < 0) goto fail;
    for (size_t i = 0; i < sizeof accounts / sizeof accounts[0]; i++)
        if (add_account(db, &accounts[i], hash, NULL) < 0) goto fail;
    /* Specialist slots (issue 15): after every random draw, with fixed values only. */
    fputs("[demo] specialist slots\n", stderr);
    if (demo_slots_build(db, c->today, c->county_hospital, c->tcm_hospital, c->city_hospital) < 0 ||
        (o->residents > 0 && demo_slots_book(db, c->today, t1->id, t1->gp_staff, c->county_hospital,
                                             c->rules, 6, 0) < 0))
        goto fail;
    /* Every other team has booked two of each hospital's released places for its signed
     * residents, so the county's use of them (slot_use_rate) reads like a working county. */
    const int64_t hospitals[] = {c->county_hospital, c->tcm_hospital, c->city_hospital};
    for (int k = 0; o->residents > 0 && k < TEAMS; k++) {
        const struct team *tm = &c->teams[k];
        for (int h = 0; tm != t1 && h < 3; h++)
            if (demo_slots_book(db, c->today, tm->id, tm->gp_staff, hospitals[h], c->rules, 2,
                                2 * h) < 0)
                goto fail;
    }
    /* Visit requests (issue 16): each team's, in every state, and resident01's own. */
    for (int k = 0; o->residents > 0 && k < TEAMS; k++)
        if (demo_visits_build(db, c->today, c->teams[k].id, resident01) < 0) goto fail;
    /* resident01's own record is opened to them (档案开放), so the portal shows a record. */
    if (resident01) {
        char today[11];
        date_text(c->today, today);
        int opened = store_record_create(db, resident01, today) < 0
                         ? -1
                         : store_record_opened(db, resident01);
        if (opened < 0 || (!opened && store_record_set_open(db, resident01, 1, today) < 0))
            goto fail;
    }
    if (o->residents > 0 && build_groups(db, c, o->seed) < 0) goto fail;
    /* Health points and surveys (issue 16): after the records they reward, with fixed values
     * and their own random stream. */
    {
        int64_t survey_teams[6] = {t1->id, t2->id};
        int survey_team_count = 2;
        for (int k = 0; k < TEAMS && survey_team_count < 6; k++)
            if (c->teams[k].id != t1->id && c->teams[k].id != t2->id)
                survey_teams[survey_team_count++] = c->teams[k].id;
        struct demo_points_site site = {c->code,    c->center_id[0], c->tcm_hospital,
                                        resident01, survey_teams,    survey_team_count,
                                        c->today,   o->seed};
        if (demo_points_build(db, &site) < 0 ||
            (o->residents > 0 && demo_surveys_build(db, &site) < 0))
            goto fail;
    }
    /* The drug catalogue and prescriptions (issue 15): their own generator, after the rest. */
    if (demo_drugs_build(db, o->seed, c->today) < 0 ||
        (o->residents > 0 &&
         demo_prescriptions_build(db, o->seed, c->today, c->county_hospital, c->city_hospital) < 0))
        goto fail;
    if (db_commit(db) != DB_DONE) goto fail;
    for (int k = 1; k < counties; k++)
        if (build_more_county(db, c, k, counties, per_county, o->seed) < 0) goto out;
    /* The other counties' programmes by age, in one pass over the city. */
    if (counties > 1 && store_enrol_all(db, c->today) < 0) goto out;
    /* The referrals' states over the year (issue 15), from their own generator. */
    if (o->residents > 0) {
        if (db_begin(db) != DB_DONE) goto out;
        if (demo_referral_states(db, c->today, o->seed, desk_hospital) < 0 ||
            db_commit(db) != DB_DONE) {
            db_rollback(db);
            goto out;
        }
    }
    /* The team's service group and consultations (issue 16) for doctor01's and doctor02's
     * teams, then what the day's pass of a running deployment would have done (api/daily.c):
     * renewals proposed for the contracts ending within 30 days, and the reminders of the
     * county's due tasks, those included; each in its transaction. */
    if (o->residents > 0) {
        fputs("[demo] service groups, consultations, renewals and reminders\n", stderr);
        const int64_t teams[] = {t1_id, t2_id};
        if (db_begin(db) != DB_DONE) goto out;
        if (demo_service_group(db, c->today, teams, 2, resident01) < 0 ||
            db_commit(db) != DB_DONE) {
            db_rollback(db);
            goto out;
        }
        if (store_contracts_daily(db, c->today) < 0) goto out;
        if (store_reminders_pass(db, c->today) < 0) goto out;
    }
    fputs("[demo] indicators\n", stderr);
    if (kpi_rebuild(db, c->today) < 0) goto out;
    /* The county's year-to-date at each past month end (its dashboard's sparklines), which a
     * running deployment's daily job would have kept; an empty county is filled by its tests. */
    char county_scope[16];
    snprintf(county_scope, sizeof county_scope, "region:%s", first_code);
    if (o->residents > 0 && kpi_snapshot_month_ends(db, county_scope, c->today) < 0) goto out;
    rc = 0;
    printf("demo county %s (%s) ready in %lds: %d townships, %d villages, %d grid cells, %d teams,"
           " %d staff, %ld residents",
           first_name, first_code, (long)(time(NULL) - started), TOWNSHIPS, VILLAGES, c->cell_count,
           TEAMS, STAFF_TOTAL, o->residents - per_county * (counties - 1));
    if (counties > 1)
        printf("; with %d more counties of city %s, %ld residents in all", counties - 1, CITY,
               o->residents);
    putchar('\n');
    printf("logins (password %s):\n", o->password ? "as given by --password" : password);
    for (size_t i = 0; i < sizeof accounts / sizeof accounts[0]; i++)
        printf("  %-13s %s\n", accounts[i].username, role_name(accounts[i].role));
    goto out;
fail:
    log_error("demo failed: %s", db_errmsg(db));
    db_rollback(db);
out:
    store_entitlement_rules_free(&rules);
    free(c->account);
    free(c);
    return rc;
}
