/* kpi_person.c - loads the facts the indicators need about one resident (see
 * domain/indicators.h). One indexed query per kind of fact. */
#include "store/kpi_person.h"

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

static int load_resident(struct db *db, int64_t id, struct kpi_person *p)
{
    static const char SQL[] =
        "SELECT r.birth_date, r.status, r.status_date, r.population_class, r.region,"
        " h.created_on, h.opened_to_resident, coalesce(h.consent_date, h.created_on),"
        " (SELECT tc.team_id FROM team_cells tc WHERE tc.region_code IN (r.region, substr(r.region, 1, 12))"
        "   ORDER BY length(tc.region_code) DESC, tc.team_id LIMIT 1)"
        " FROM residents r LEFT JOIN health_records h ON h.resident_id = r.id WHERE r.id = ?1";
    static const char TEAM[] = "SELECT doctor_id FROM teams WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    int rc = db_step(st);
    if (rc != DB_ROW) return rc == DB_DONE ? 0 : -1;
    p->exists = 1;
    p->birth = date_col(st, 0);
    const char *status = db_column_text(st, 1);
    p->gone = status && strcmp(status, "alive") != 0;
    p->gone_on = date_col(st, 2);
    if (p->gone && !p->gone_on.year) p->gone_on = (struct date){1900, 1, 1};
    p->population_class = (int)db_column_int(st, 3);
    const char *region = db_column_text(st, 4);
    snprintf(p->region, sizeof p->region, "%s", region ? region : "");
    p->has_record = !db_column_is_null(st, 5);
    p->record_on = date_col(st, 5);
    p->record_opened = (int)db_column_int(st, 6);
    p->record_opened_on = date_col(st, 7);
    p->grid_team_id = db_column_int(st, 8);
    db_run(st);
    if (p->grid_team_id) {
        st = db_prepare(db, TEAM);
        if (!st) return -1;
        db_bind_int(st, 1, p->grid_team_id);
        p->grid_doctor_id = db_query_int(st, 0);
    }
    return 0;
}

/* Contracts in start order, then their entitlements and deliveries by position. */
static int load_contracts(struct db *db, int64_t id, struct kpi_person *p)
{
    static const char CONTRACTS[] =
        "SELECT c.id, c.team_id, c.doctor_id, c.start_date, c.end_date, coalesce(c.ended_on, c.end_date),"
        " coalesce(t.institution_id, 0), coalesce(c.district_hospital_id, 0), coalesce(c.city_hospital_id, 0)"
        " FROM contracts c LEFT JOIN teams t ON t.id = c.team_id WHERE c.resident_id = ?1 ORDER BY c.start_date, c.id";
    static const char ITEMS[] =
        "SELECT e.id, e.contract_id, e.quantity FROM entitlements e JOIN contracts c"
        " ON c.id = e.contract_id WHERE c.resident_id = ?1 ORDER BY e.id";
    static const char DELIVERED[] =
        "SELECT d.entitlement_id, d.delivered_on, d.quantity FROM deliveries d JOIN contracts c"
        " ON c.id = d.contract_id WHERE c.resident_id = ?1";
    struct db_stmt *st = db_prepare(db, CONTRACTS);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    while (db_step(st) == DB_ROW) {
        struct kpi_contract *c = kpi_add_contract(p);
        if (!c) return -1;
        c->id = db_column_int(st, 0);
        c->team_id = db_column_int(st, 1);
        c->doctor_id = db_column_int(st, 2);
        c->start = date_col(st, 3);
        c->end = date_col(st, 4);
        c->last = date_col(st, 5);
        for (int k = 0; k < 3; k++) c->combination[k] = db_column_int(st, 6 + k);
    }
    if (p->n_contracts == 0) return 0;
    st = db_prepare(db, ITEMS);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    while (db_step(st) == DB_ROW) {
        int64_t contract = db_column_int(st, 1);
        int index = -1;
        for (int i = 0; i < p->n_contracts; i++)
            if (p->contracts[i].id == contract) index = i;
        if (index < 0) continue;
        struct kpi_entitlement *e = kpi_add_entitlement(p);
        if (!e) return -1;
        e->id = db_column_int(st, 0);
        e->contract = index;
        e->quantity = (int)db_column_int(st, 2);
    }
    st = db_prepare(db, DELIVERED);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    while (db_step(st) == DB_ROW) {
        int64_t item = db_column_int(st, 0);
        int index = -1;
        for (int i = 0; i < p->n_entitlements; i++)
            if (p->entitlements[i].id == item) index = i;
        if (index < 0) continue;
        struct kpi_delivery *d = kpi_add_delivery(p);
        if (!d) return -1;
        d->entitlement = index;
        d->date = date_col(st, 1);
        d->quantity = (int)db_column_int(st, 2);
    }
    return 0;
}

static int load_programs(struct db *db, int64_t id, struct kpi_person *p)
{
    static const char ENROLMENTS[] =
        "SELECT program, start_date, end_date FROM enrolments WHERE resident_id = ?1";
    static const char FOLLOWUPS[] =
        "SELECT program, visit_date, classification IN ('controlled','stable'), mode = 'home_visit'"
        " FROM followups WHERE resident_id = ?1";
    static const char PREGNANCIES[] =
        "SELECT lmp, delivery_date, discharge_date FROM pregnancies WHERE resident_id = ?1";
    struct db_stmt *st = db_prepare(db, ENROLMENTS);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    while (db_step(st) == DB_ROW) {
        struct kpi_enrolment *e = kpi_add_enrolment(p);
        if (!e) return -1;
        e->program = kpi_program_parse(db_column_text(st, 0));
        e->start = date_col(st, 1);
        e->has_end = !db_column_is_null(st, 2);
        e->end = date_col(st, 2);
    }
    st = db_prepare(db, FOLLOWUPS);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    while (db_step(st) == DB_ROW) {
        struct kpi_followup *f = kpi_add_followup(p);
        if (!f) return -1;
        f->program = kpi_program_parse(db_column_text(st, 0));
        f->date = date_col(st, 1);
        f->controlled = db_column_int(st, 2) == 1;
        f->home_visit = db_column_int(st, 3) == 1;
    }
    st = db_prepare(db, PREGNANCIES);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    while (db_step(st) == DB_ROW) {
        struct kpi_pregnancy *g = kpi_add_pregnancy(p);
        if (!g) return -1;
        g->lmp = date_col(st, 0);
        g->delivered = !db_column_is_null(st, 1);
        g->delivery = date_col(st, 1);
        g->has_discharge = !db_column_is_null(st, 2);
        g->discharge = date_col(st, 2);
    }
    return 0;
}

static int load_services(struct db *db, int64_t id, struct kpi_person *p)
{
    static const char ENCOUNTERS[] =
        "SELECT encounter_date, primary_care, in_county, chronic_program, coalesce(team_id, 0),"
        " coalesce(institution_id, 0) FROM encounters WHERE resident_id = ?1";
    static const char REFERRALS[] =
        "SELECT referred_on, direction = 'up', seen_on, returned_on, coalesce(satisfaction, 0), satisfaction_on"
        " FROM referrals WHERE resident_id = ?1 AND status <> 'cancelled'";
    static const char ANSWERS[] =
        "SELECT answered_on, score FROM satisfaction_answers WHERE resident_id = ?1";
    struct db_stmt *st = db_prepare(db, ENCOUNTERS);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    while (db_step(st) == DB_ROW) {
        struct kpi_encounter *e = kpi_add_encounter(p);
        if (!e) return -1;
        e->date = date_col(st, 0);
        e->primary = db_column_int(st, 1) != 0;
        e->in_county = db_column_int(st, 2) != 0;
        e->chronic = kpi_program_parse(db_column_text(st, 3));
        e->team_id = db_column_int(st, 4);
        e->institution_id = db_column_int(st, 5);
    }
    st = db_prepare(db, REFERRALS);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    while (db_step(st) == DB_ROW) {
        struct kpi_referral *f = kpi_add_referral(p);
        if (!f) return -1;
        f->date = date_col(st, 0);
        f->value = (int)db_column_int(st, 1);
        if ((f->has_seen = !db_column_is_null(st, 2))) f->seen = date_col(st, 2);
        if ((f->has_returned = !db_column_is_null(st, 3))) f->returned = date_col(st, 3);
        f->satisfaction = (unsigned char)db_column_int(st, 4);
        if (f->satisfaction && !db_column_is_null(st, 5)) f->satisfaction_on = date_col(st, 5);
        else f->satisfaction = 0;
    }
    st = db_prepare(db, ANSWERS);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    while (db_step(st) == DB_ROW) {
        struct kpi_dated *d = kpi_add_answer(p);
        if (!d) return -1;
        d->date = date_col(st, 0);
        d->value = (int)db_column_int(st, 1);
    }
    return 0;
}

int store_kpi_person_load(struct db *db, int64_t id, struct kpi_person *p)
{
    kpi_person_clear(p);
    p->id = id;
    if (load_resident(db, id, p) < 0) return -1;
    if (!p->exists) return 0;
    if (load_contracts(db, id, p) < 0 || load_programs(db, id, p) < 0 || load_services(db, id, p) < 0)
        return -1;
    return 0;
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
