/* demo.c - builds the demo county (API.md "Demo county"), or a city of such counties.
 * Numbers follow the field reports in shared/seeds: 13 townships, 124 villages, 227 "1+4+N"
 * teams of ~6.4 people (1,456 staff; demo/grid.c), a census (入户) rate near 86%, an ageing
 * rural population with many left-behind elderly and children, hypertension in ~25% of
 * adults 35+, diabetes ~10%, SMD ~0.5% (demo/households.c), about half of them signed
 * (demo/signing.c). Everything goes through store/, with population class computed by the
 * same code as every later change. This file runs the counties in turn and adds what spans
 * them: the accounts, the groups, the services and the showcase. */
#include "demo/demo.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/password.h"
#include "db/db.h"
#include "demo/catalogue.h"
#include "demo/county.h"
#include "demo/drugs.h"
#include "demo/groups.h"
#include "demo/points.h"
#include "demo/referrals.h"
#include "demo/service_group.h"
#include "demo/showcase.h"
#include "demo/slots.h"
#include "demo/visits.h"
#include "domain/roles.h"
#include "kpi/kpi.h"
#include "store/contracts.h"
#include "store/entitlement_use.h"
#include "store/population.h"
#include "store/registry.h"
#include "store/residents.h"
#include "store/scope.h"
#include "store/service_group.h"
#include "store/users.h"
#include "util/date.h"
#include "util/log.h"

static const char *const CITY_COUNTIES[][2] = {
    {COUNTY, "长宁县"},   {"511502", "翠屏区"}, {"511503", "南溪区"}, {"511504", "叙州区"},
    {"511523", "江安县"}, {"511525", "高县"},   {"511526", "珙县"},   {"511527", "筠连县"},
    {"511528", "兴文县"}, {"511529", "屏山县"}};
#define MAX_COUNTIES ((int)(sizeof CITY_COUNTIES / sizeof CITY_COUNTIES[0]))

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
    if (demo_build_grid(db, c) < 0 || demo_build_teams(db, c) < 0 ||
        demo_build_residents(db, c, residents, NULL) < 0 ||
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
    if (demo_build_grid(db, c) < 0 || demo_build_teams(db, c) < 0 || catalogue_build(db) < 0)
        goto fail;
    if (o->residents > 0 &&
        (demo_load_catalogue(db) < 0 ||
         demo_build_residents(db, c, o->residents - per_county * (counties - 1), &resident01) < 0 ||
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
        demo_date_text(c->today, today);
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
            (o->residents > 0 && demo_surveys_build(db, &site) < 0) ||
            (o->residents > 0 && demo_evaluation_build(db, &site) < 0))
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
