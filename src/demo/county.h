/* county.h (demo) - the county being built, shared by the files that build it: demo.c
 * (counties, accounts, groups and the rest of a county's life), grid.c (regions,
 * institutions, staff and teams), households.c (people, their health and records) and
 * signing.c (their contracts). Internal to demo/. */
#ifndef JIAYI_DEMO_COUNTY_H
#define JIAYI_DEMO_COUNTY_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "demo/entitlements.h"
#include "demo/names.h"
#include "domain/entitlement_use.h"
#include "store/entitlement_use.h"
#include "util/date.h"

/* The demo county (API.md); a run of more than PER_COUNTY residents becomes a city of
 * several counties of the same shape, the first of them this one. */
#define COUNTY "511524"
#define PER_COUNTY 1000000L
#define CITY "511500"
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

/* county.c: the showcase households and the helpers the others share. */
int demo_is_showcase(const struct county *c, int k);
int demo_showcase_cell(const struct county *c, int k);
void demo_phone_number(struct rng *r, char out[12]);
/* YYYY-MM-DD into out. */
void demo_date_text(struct date d, char out[11]);

/* grid.c: the county's townships, villages, cells, institutions, then its staff and teams. */
int demo_build_grid(struct db *db, struct county *c);
int demo_build_teams(struct db *db, struct county *c);

/* households.c: `target` residents in households, with their health and records; the
 * resident01 account's person in *resident01 (the first county). */
int demo_build_residents(struct db *db, struct county *c, long target, int64_t *resident01);

/* signing.c: the catalogue loaded once, then a household's year of signing. */
int demo_load_catalogue(struct db *db);
int demo_sign_household(struct db *db, struct county *c, struct person *h, int n, int cell,
                        int showcase);

#endif
