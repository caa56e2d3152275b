/* kpi_person.c - loads the facts the indicators need about residents (see
 * domain/indicators.h): one resident, or a batch of consecutive ones in as many statements
 * (one indexed range query per kind of fact), which is what lets a recount of a city on
 * PostgreSQL, one round trip per statement, finish. */
#include "store/kpi_person.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct date date_col(struct db_stmt *st, int col)
{
    struct date d = {0, 0, 0};
    const char *text = db_column_text(st, col);
    if (text) date_parse(text, &d);
    return d;
}

/* One load: people[0..n) in id order, the residents with ids lo..hi. The other queries'
 * rows come in resident order as well and find their resident by a cursor that only moves
 * forward. Each query's ORDER BY is its index's own order, so a load needs no sort. */
struct batch {
    struct kpi_person *people;
    int n, cursor;
    int64_t lo, hi;
};

static struct kpi_person *person_of(struct batch *b, int64_t resident_id)
{
    while (b->cursor < b->n && b->people[b->cursor].id < resident_id) b->cursor++;
    return b->cursor < b->n && b->people[b->cursor].id == resident_id ? &b->people[b->cursor] : NULL;
}

/* Out of memory halfway through a query's rows: finish the statement, report the error. */
static int abandon(struct db_stmt *st)
{
    db_run(st);
    return -1;
}

/* Prepares one of the queries below, bound to the batch's ids (?1 to ?2). */
static struct db_stmt *rows_of(struct db *db, struct batch *b, const char *sql)
{
    struct db_stmt *st = db_prepare(db, sql);
    if (!st) return NULL;
    db_bind_int(st, 1, b->lo);
    db_bind_int(st, 2, b->hi);
    b->cursor = 0;
    return st;
}

/* The residents from lo up, at most `max`: fills b->people and b->n, sets b->hi. */
static int load_residents(struct db *db, struct batch *b, int max)
{
    static const char SQL[] =
        "SELECT x.*, coalesce(t.doctor_id, 0) FROM (SELECT r.id, r.birth_date, r.status, r.status_date,"
        " r.population_class, r.region, h.created_on, h.opened_to_resident, coalesce(h.consent_date, h.created_on),"
        " (SELECT tc.team_id FROM team_cells tc WHERE tc.region_code IN (r.region, substr(r.region, 1, 12))"
        "   ORDER BY length(tc.region_code) DESC, tc.team_id LIMIT 1) AS grid_team"
        " FROM residents r LEFT JOIN health_records h ON h.resident_id = r.id"
        " WHERE r.id >= ?1 AND r.id <= ?2 ORDER BY r.id LIMIT ?3) x"
        " LEFT JOIN teams t ON t.id = x.grid_team ORDER BY x.id";
    struct db_stmt *st = rows_of(db, b, SQL);
    if (!st) return -1;
    db_bind_int(st, 3, max);
    b->n = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t id = db_column_int(st, 0);
        if (b->n > 0 && b->people[b->n - 1].id == id) continue;
        if (b->n == max) continue;
        struct kpi_person *p = &b->people[b->n++];
        kpi_person_clear(p);
        p->id = id;
        p->exists = 1;
        p->birth = date_col(st, 1);
        const char *status = db_column_text(st, 2);
        p->gone = status && strcmp(status, "alive") != 0;
        p->gone_on = date_col(st, 3);
        if (p->gone && !p->gone_on.year) p->gone_on = (struct date){1900, 1, 1};
        p->population_class = (int)db_column_int(st, 4);
        const char *region = db_column_text(st, 5);
        snprintf(p->region, sizeof p->region, "%s", region ? region : "");
        p->has_record = !db_column_is_null(st, 6);
        p->record_on = date_col(st, 6);
        p->record_opened = (int)db_column_int(st, 7);
        p->record_opened_on = date_col(st, 8);
        p->grid_team_id = db_column_int(st, 9);
        p->grid_doctor_id = db_column_int(st, 10);
    }
    if (rc != DB_DONE) return -1;
    if (b->n) b->hi = b->people[b->n - 1].id;
    return 0;
}

/* Contracts in start order, then their entitlements and deliveries by position. */
static int load_contracts(struct db *db, struct batch *b)
{
    static const char CONTRACTS[] =
        "SELECT c.resident_id, c.id, c.team_id, c.doctor_id, c.start_date, c.end_date, coalesce(c.ended_on, c.end_date),"
        " coalesce(t.institution_id, 0), coalesce(c.district_hospital_id, 0), coalesce(c.city_hospital_id, 0)"
        " FROM contracts c LEFT JOIN teams t ON t.id = c.team_id WHERE c.resident_id >= ?1 AND c.resident_id <= ?2"
        " ORDER BY c.resident_id, c.start_date, c.id";
    static const char ITEMS[] =
        "SELECT c.resident_id, e.id, e.contract_id, e.quantity FROM entitlements e JOIN contracts c"
        " ON c.id = e.contract_id WHERE c.resident_id >= ?1 AND c.resident_id <= ?2 ORDER BY c.resident_id, e.id";
    static const char DELIVERED[] =
        "SELECT c.resident_id, d.entitlement_id, d.delivered_on, d.quantity FROM deliveries d JOIN contracts c"
        " ON c.id = d.contract_id WHERE c.resident_id >= ?1 AND c.resident_id <= ?2 ORDER BY c.resident_id, d.id";
    struct db_stmt *st = rows_of(db, b, CONTRACTS);
    if (!st) return -1;
    int rc, any = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        struct kpi_person *p = person_of(b, db_column_int(st, 0));
        if (!p) continue;
        struct kpi_contract *c = kpi_add_contract(p);
        if (!c) return abandon(st);
        any = 1;
        c->id = db_column_int(st, 1);
        c->team_id = db_column_int(st, 2);
        c->doctor_id = db_column_int(st, 3);
        c->start = date_col(st, 4);
        c->end = date_col(st, 5);
        c->last = date_col(st, 6);
        for (int k = 0; k < 3; k++) c->combination[k] = db_column_int(st, 7 + k);
    }
    if (rc != DB_DONE) return -1;
    if (!any) return 0;
    if (!(st = rows_of(db, b, ITEMS))) return -1;
    while ((rc = db_step(st)) == DB_ROW) {
        struct kpi_person *p = person_of(b, db_column_int(st, 0));
        if (!p) continue;
        int64_t contract = db_column_int(st, 2);
        int index = -1;
        for (int i = 0; i < p->n_contracts; i++)
            if (p->contracts[i].id == contract) index = i;
        if (index < 0) continue;
        struct kpi_entitlement *e = kpi_add_entitlement(p);
        if (!e) return abandon(st);
        e->id = db_column_int(st, 1);
        e->contract = index;
        e->quantity = (int)db_column_int(st, 3);
    }
    if (rc != DB_DONE) return -1;
    if (!(st = rows_of(db, b, DELIVERED))) return -1;
    while ((rc = db_step(st)) == DB_ROW) {
        struct kpi_person *p = person_of(b, db_column_int(st, 0));
        if (!p) continue;
        int64_t item = db_column_int(st, 1);
        int index = -1;
        for (int i = 0; i < p->n_entitlements; i++)
            if (p->entitlements[i].id == item) index = i;
        if (index < 0) continue;
        struct kpi_delivery *d = kpi_add_delivery(p);
        if (!d) return abandon(st);
        d->entitlement = index;
        d->date = date_col(st, 2);
        d->quantity = (int)db_column_int(st, 3);
    }
    return rc == DB_DONE ? 0 : -1;
}

static int load_programs(struct db *db, struct batch *b)
{
    static const char ENROLMENTS[] =
        "SELECT resident_id, program, start_date, end_date FROM enrolments"
        " WHERE resident_id >= ?1 AND resident_id <= ?2 ORDER BY resident_id, id";
    static const char FOLLOWUPS[] =
        "SELECT resident_id, program, visit_date, classification IN ('controlled','stable'), mode = 'home_visit'"
        " FROM followups WHERE resident_id >= ?1 AND resident_id <= ?2"
        " ORDER BY resident_id, program, visit_date, id";
    static const char PREGNANCIES[] =
        "SELECT resident_id, lmp, delivery_date, discharge_date FROM pregnancies"
        " WHERE resident_id >= ?1 AND resident_id <= ?2 ORDER BY resident_id, id";
    struct db_stmt *st = rows_of(db, b, ENROLMENTS);
    if (!st) return -1;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        struct kpi_person *p = person_of(b, db_column_int(st, 0));
        if (!p) continue;
        struct kpi_enrolment *e = kpi_add_enrolment(p);
        if (!e) return abandon(st);
        e->program = kpi_program_parse(db_column_text(st, 1));
        e->start = date_col(st, 2);
        e->has_end = !db_column_is_null(st, 3);
        e->end = date_col(st, 3);
    }
    if (rc != DB_DONE || !(st = rows_of(db, b, FOLLOWUPS))) return -1;
    while ((rc = db_step(st)) == DB_ROW) {
        struct kpi_person *p = person_of(b, db_column_int(st, 0));
        if (!p) continue;
        struct kpi_followup *f = kpi_add_followup(p);
        if (!f) return abandon(st);
        f->program = kpi_program_parse(db_column_text(st, 1));
        f->date = date_col(st, 2);
        f->controlled = db_column_int(st, 3) == 1;
        f->home_visit = db_column_int(st, 4) == 1;
    }
    if (rc != DB_DONE || !(st = rows_of(db, b, PREGNANCIES))) return -1;
    while ((rc = db_step(st)) == DB_ROW) {
        struct kpi_person *p = person_of(b, db_column_int(st, 0));
        if (!p) continue;
        struct kpi_pregnancy *g = kpi_add_pregnancy(p);
        if (!g) return abandon(st);
        g->lmp = date_col(st, 1);
        g->delivered = !db_column_is_null(st, 2);
        g->delivery = date_col(st, 2);
        g->has_discharge = !db_column_is_null(st, 3);
        g->discharge = date_col(st, 3);
    }
    return rc == DB_DONE ? 0 : -1;
}

static int load_services(struct db *db, struct batch *b)
{
    static const char ENCOUNTERS[] =
        "SELECT resident_id, encounter_date, primary_care, in_county, chronic_program, coalesce(team_id, 0),"
        " coalesce(institution_id, 0) FROM encounters WHERE resident_id >= ?1 AND resident_id <= ?2"
        " ORDER BY resident_id, encounter_date, id";
    static const char REFERRALS[] =
        "SELECT resident_id, referred_on, direction = 'up', seen_on, returned_on, coalesce(satisfaction, 0),"
        " satisfaction_on FROM referrals WHERE resident_id >= ?1 AND resident_id <= ?2 AND status <> 'cancelled'"
        " ORDER BY resident_id, referred_on, id";
    static const char ANSWERS[] =
        "SELECT resident_id, answered_on, score FROM satisfaction_answers"
        " WHERE resident_id >= ?1 AND resident_id <= ?2 ORDER BY resident_id, answered_on, id";
    struct db_stmt *st = rows_of(db, b, ENCOUNTERS);
    if (!st) return -1;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        struct kpi_person *p = person_of(b, db_column_int(st, 0));
        if (!p) continue;
        struct kpi_encounter *e = kpi_add_encounter(p);
        if (!e) return abandon(st);
        e->date = date_col(st, 1);
        e->primary = db_column_int(st, 2) != 0;
        e->in_county = db_column_int(st, 3) != 0;
        e->chronic = kpi_program_parse(db_column_text(st, 4));
        e->team_id = db_column_int(st, 5);
        e->institution_id = db_column_int(st, 6);
    }
    if (rc != DB_DONE || !(st = rows_of(db, b, REFERRALS))) return -1;
    while ((rc = db_step(st)) == DB_ROW) {
        struct kpi_person *p = person_of(b, db_column_int(st, 0));
        if (!p) continue;
        struct kpi_referral *f = kpi_add_referral(p);
        if (!f) return abandon(st);
        f->date = date_col(st, 1);
        f->value = (int)db_column_int(st, 2);
        if ((f->has_seen = !db_column_is_null(st, 3))) f->seen = date_col(st, 3);
        if ((f->has_returned = !db_column_is_null(st, 4))) f->returned = date_col(st, 4);
        f->satisfaction = (unsigned char)db_column_int(st, 5);
        if (f->satisfaction && !db_column_is_null(st, 6)) f->satisfaction_on = date_col(st, 6);
        else f->satisfaction = 0;
    }
    if (rc != DB_DONE || !(st = rows_of(db, b, ANSWERS))) return -1;
    while ((rc = db_step(st)) == DB_ROW) {
        struct kpi_person *p = person_of(b, db_column_int(st, 0));
        if (!p) continue;
        struct kpi_dated *d = kpi_add_answer(p);
        if (!d) return abandon(st);
        d->date = date_col(st, 1);
        d->value = (int)db_column_int(st, 2);
    }
    return rc == DB_DONE ? 0 : -1;
}

/* The residents from id `lo` up, at most `max`, with all their facts: n, or -1. */
static int load(struct db *db, int64_t lo, int64_t hi, struct kpi_person *people, int max)
{
    struct batch b = {.people = people, .lo = lo, .hi = hi};
    if (load_residents(db, &b, max) < 0) return -1;
    if (b.n == 0) return 0;
    if (load_contracts(db, &b) < 0 || load_programs(db, &b) < 0 || load_services(db, &b) < 0) return -1;
    return b.n;
}

int store_kpi_person_load(struct db *db, int64_t id, struct kpi_person *p)
{
    int n = load(db, id, id, p, 1);
    if (n < 0) return -1;
    if (n == 0) {
        kpi_person_clear(p);
        p->id = id;
    }
    return 0;
}

int store_kpi_people_next(struct db *db, int64_t after, struct kpi_person *people, int max)
{
    return load(db, after + 1, INT64_MAX, people, max);
}

int store_kpi_rules(struct db *db, struct kpi_rules *rules)
{
    /* One statement for the three: a write reads them twice (before and after), and on
     * PostgreSQL each statement is a round trip. */
    static const char SQL[] =
        "SELECT key, value FROM settings WHERE key IN ('elderly_age', 'child_age_below', 'kpi_renewal_days')";
    rules->elderly_age = 65;
    rules->child_age_below = 7;
    rules->renewal_days = 30;
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *key = db_column_text(st, 0), *value = db_column_text(st, 1);
        if (!key || !value || !*value) continue;
        int *slot = !strcmp(key, "elderly_age")       ? &rules->elderly_age
                    : !strcmp(key, "child_age_below") ? &rules->child_age_below
                                                      : &rules->renewal_days;
        *slot = atoi(value);
    }
    return rc == DB_DONE ? 0 : -1;
}

int64_t store_kpi_team_institution(struct db *db, int64_t team_id)
{
    static const char SQL[] = "SELECT institution_id FROM teams WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, team_id);
    return db_query_int(st, 0);
}
