/* kpi_person.c - loads the facts the indicators need about residents (see
 * domain/indicators.h): a batch of consecutive residents in one indexed range query per
 * kind of fact (what lets a recount of a city on PostgreSQL, one round trip per statement,
 * finish), or one resident in a single statement, the same queries joined by UNION ALL (a
 * write loads its resident before and after: ten round trips each on PostgreSQL before).
 * Both are built from one table of the kinds of fact, FACTS below. */
#include "store/kpi_person.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/immunisation.h"
#include "util/sbuf.h"

static struct date date_col(struct db_stmt *st, int col)
{
    struct date d = {0, 0, 0};
    const char *text = db_column_text(st, col);
    if (text) date_parse(text, &d);
    return d;
}

/* ---- one row of each kind into the person (its values from column `c` on) ---- */

/* 0: out of memory; 1: kept (or nothing to keep). */
static int put_resident(struct kpi_person *p, struct db_stmt *st, int c)
{
    kpi_person_clear(p);
    p->id = db_column_int(st, c);
    p->exists = 1;
    p->birth = date_col(st, c + 1);
    const char *status = db_column_text(st, c + 2);
    p->gone = status && strcmp(status, "alive") != 0;
    p->gone_on = date_col(st, c + 3);
    if (p->gone && !p->gone_on.year) p->gone_on = (struct date){1900, 1, 1};
    p->population_class = (int)db_column_int(st, c + 4);
    const char *region = db_column_text(st, c + 5);
    snprintf(p->region, sizeof p->region, "%s", region ? region : "");
    p->has_record = !db_column_is_null(st, c + 6);
    p->record_on = date_col(st, c + 6);
    p->record_opened = (int)db_column_int(st, c + 7);
    p->record_opened_on = date_col(st, c + 8);
    p->grid_team_id = db_column_int(st, c + 9);
    p->grid_doctor_id = db_column_int(st, c + 10);
    return 1;
}

static int put_contract(struct kpi_person *p, struct db_stmt *st, int c)
{
    struct kpi_contract *k = kpi_add_contract(p);
    if (!k) return 0;
    k->id = db_column_int(st, c);
    k->team_id = db_column_int(st, c + 1);
    k->doctor_id = db_column_int(st, c + 2);
    k->start = date_col(st, c + 3);
    k->end = date_col(st, c + 4);
    k->last = date_col(st, c + 5);
    for (int i = 0; i < 3; i++)
        k->combination[i] = db_column_int(st, c + 6 + i);
    k->fee_fen = db_column_int(st, c + 9);
    return 1;
}

/* Entitlements find their contract, deliveries their entitlement, by id: their rows come
 * after the contracts' (and the entitlements'). */
static int put_entitlement(struct kpi_person *p, struct db_stmt *st, int c)
{
    int64_t contract = db_column_int(st, c + 1);
    int index = -1;
    for (int i = 0; i < p->n_contracts; i++)
        if (p->contracts[i].id == contract) index = i;
    if (index < 0) return 1;
    struct kpi_entitlement *e = kpi_add_entitlement(p);
    if (!e) return 0;
    e->id = db_column_int(st, c);
    e->contract = index;
    e->quantity = (int)db_column_int(st, c + 2);
    return 1;
}

static int put_delivery(struct kpi_person *p, struct db_stmt *st, int c)
{
    int64_t item = db_column_int(st, c);
    int index = -1;
    for (int i = 0; i < p->n_entitlements; i++)
        if (p->entitlements[i].id == item) index = i;
    if (index < 0) return 1;
    struct kpi_delivery *d = kpi_add_delivery(p);
    if (!d) return 0;
    d->entitlement = index;
    d->date = date_col(st, c + 1);
    d->quantity = (int)db_column_int(st, c + 2);
    return 1;
}

static int put_enrolment(struct kpi_person *p, struct db_stmt *st, int c)
{
    struct kpi_enrolment *e = kpi_add_enrolment(p);
    if (!e) return 0;
    e->program = kpi_program_parse(db_column_text(st, c));
    e->start = date_col(st, c + 1);
    e->has_end = !db_column_is_null(st, c + 2);
    e->end = date_col(st, c + 2);
    return 1;
}

static int put_followup(struct kpi_person *p, struct db_stmt *st, int c)
{
    struct kpi_followup *f = kpi_add_followup(p);
    if (!f) return 0;
    f->program = kpi_program_parse(db_column_text(st, c));
    f->date = date_col(st, c + 1);
    f->controlled = db_column_int(st, c + 2) == 1;
    f->home_visit = db_column_int(st, c + 3) == 1;
    return 1;
}

static int put_pregnancy(struct kpi_person *p, struct db_stmt *st, int c)
{
    struct kpi_pregnancy *g = kpi_add_pregnancy(p);
    if (!g) return 0;
    g->lmp = date_col(st, c);
    g->delivered = !db_column_is_null(st, c + 1);
    g->delivery = date_col(st, c + 1);
    g->has_discharge = !db_column_is_null(st, c + 2);
    g->discharge = date_col(st, c + 2);
    return 1;
}

static int put_encounter(struct kpi_person *p, struct db_stmt *st, int c)
{
    struct kpi_encounter *e = kpi_add_encounter(p);
    if (!e) return 0;
    e->date = date_col(st, c);
    e->primary = db_column_int(st, c + 1) != 0;
    e->in_county = db_column_int(st, c + 2) != 0;
    e->chronic = kpi_program_parse(db_column_text(st, c + 3));
    e->team_id = db_column_int(st, c + 4);
    e->institution_id = db_column_int(st, c + 5);
    e->kind = (unsigned char)db_column_int(st, c + 6);
    e->cost_fen = db_column_int(st, c + 7);
    return 1;
}

static int put_referral(struct kpi_person *p, struct db_stmt *st, int c)
{
    struct kpi_referral *f = kpi_add_referral(p);
    if (!f) return 0;
    f->date = date_col(st, c);
    f->value = (int)db_column_int(st, c + 1);
    if ((f->has_seen = !db_column_is_null(st, c + 2))) f->seen = date_col(st, c + 2);
    if ((f->has_returned = !db_column_is_null(st, c + 3))) f->returned = date_col(st, c + 3);
    f->satisfaction = (unsigned char)db_column_int(st, c + 4);
    if (f->satisfaction && !db_column_is_null(st, c + 5))
        f->satisfaction_on = date_col(st, c + 5);
    else
        f->satisfaction = 0;
    return 1;
}

static int put_answer(struct kpi_person *p, struct db_stmt *st, int c)
{
    struct kpi_dated *d = kpi_add_answer(p);
    if (!d) return 0;
    d->date = date_col(st, c);
    d->value = (int)db_column_int(st, c + 1);
    d->knows = (unsigned char)db_column_int(st, c + 2);
    return 1;
}

static int put_vaccination(struct kpi_person *p, struct db_stmt *st, int c)
{
    int vaccine = vaccine_parse(db_column_text(st, c));
    if (vaccine < 0) return 1; /* not a dose of the schedule: nothing to count */
    struct kpi_vaccination *v = kpi_add_vaccination(p);
    if (!v) return 0;
    v->vaccine = (unsigned char)vaccine;
    v->dose = (unsigned char)db_column_int(st, c + 1);
    v->date = date_col(st, c + 2);
    return 1;
}

static int put_tb_case(struct kpi_person *p, struct db_stmt *st, int c)
{
    struct kpi_tb_case *t = kpi_add_tb_case(p);
    if (!t) return 0;
    t->notified = date_col(st, c);
    if ((t->has_first_visit = !db_column_is_null(st, c + 1))) t->first_visit = date_col(st, c + 1);
    if ((t->has_closed = !db_column_is_null(st, c + 2))) t->closed = date_col(st, c + 2);
    t->completed = (unsigned char)db_column_int(st, c + 3);
    t->doses_due = (int)db_column_int(st, c + 4);
    t->doses_taken = (int)db_column_int(st, c + 5);
    return 1;
}

/* ---- the kinds of fact ---- */

#define MAX_COLUMNS 11

/* One kind of fact: the values its put_ reads (no booleans: CASE ... 1 ELSE 0, so that a
 * value reads alike as text in the single statement), where they come from, the column
 * naming the resident, and the order of a resident's rows (an index's own order, so a load
 * needs no sort): up to two text keys, then an integer. */
struct fact {
    const char *columns[MAX_COLUMNS];
    const char *from, *resident, *filter;
    const char *order_text[2], *order_id;
    int (*put)(struct kpi_person *p, struct db_stmt *st, int c);
};

enum { RESIDENTS, CONTRACTS, ENTITLEMENTS, DELIVERIES, N_FACTS = 12 };

/* The residents first, then contracts, their entitlements and deliveries (which find their
 * contract by id): a load reads them in this order. The residents' kind is a subquery so
 * that LIMIT ?3 bounds a batch before the grid's team is looked up. */
static const struct fact FACTS[N_FACTS] = {
    {{"x.id", "x.birth_date", "x.status", "x.status_date", "x.population_class", "x.region",
      "x.created_on", "x.opened_to_resident", "x.consent", "x.grid_team",
      "coalesce(t.doctor_id, 0)"},
     "(SELECT r.id, r.birth_date, r.status, r.status_date, r.population_class, r.region, h.created_on,"
     " h.opened_to_resident, coalesce(h.consent_date, h.created_on) AS consent,"
     " (SELECT tc.team_id FROM team_cells tc WHERE tc.region_code IN (r.region, substr(r.region, 1, 12))"
     "   ORDER BY length(tc.region_code) DESC, tc.team_id LIMIT 1) AS grid_team"
     " FROM residents r LEFT JOIN health_records h ON h.resident_id = r.id"
     " WHERE r.id >= ?1 AND r.id <= ?2 ORDER BY r.id LIMIT ?3) x LEFT JOIN teams t ON t.id = x.grid_team",
     "x.id",
     NULL,
     {NULL, NULL},
     "x.id",
     put_resident},
    {{"c.id", "c.team_id", "c.doctor_id", "c.start_date", "c.end_date",
      "coalesce(c.ended_on, c.end_date)", "coalesce(t.institution_id, 0)",
      "coalesce(c.district_hospital_id, 0)", "coalesce(c.city_hospital_id, 0)", "c.fee_fen"},
     "contracts c LEFT JOIN teams t ON t.id = c.team_id",
     "c.resident_id",
     NULL,
     {"c.start_date", NULL},
     "c.id",
     put_contract},
    {{"e.id", "e.contract_id", "e.quantity"},
     "entitlements e JOIN contracts c ON c.id = e.contract_id",
     "c.resident_id",
     NULL,
     {NULL, NULL},
     "e.id",
     put_entitlement},
    {{"d.entitlement_id", "d.delivered_on", "d.quantity"},
     "deliveries d JOIN contracts c ON c.id = d.contract_id",
     "c.resident_id",
     NULL,
     {NULL, NULL},
     "d.id",
     put_delivery},
    {{"program", "start_date", "end_date"},
     "enrolments",
     "resident_id",
     NULL,
     {NULL, NULL},
     "id",
     put_enrolment},
    {{"program", "visit_date",
      "CASE WHEN classification IN ('controlled','stable') THEN 1 ELSE 0 END",
      "CASE WHEN mode = 'home_visit' THEN 1 ELSE 0 END"},
     "followups",
     "resident_id",
     NULL,
     {"program", "visit_date"},
     "id",
     put_followup},
    {{"lmp", "delivery_date", "discharge_date"},
     "pregnancies",
     "resident_id",
     NULL,
     {NULL, NULL},
     "id",
     put_pregnancy},
    {{"encounter_date", "primary_care", "in_county", "chronic_program", "coalesce(team_id, 0)",
      "coalesce(institution_id, 0)",
      "CASE kind WHEN 'inpatient' THEN 1 WHEN 'home_visit' THEN 2 WHEN 'telephone' THEN 3 ELSE 0 END",
      "coalesce(cost_fen, 0)"},
     "encounters",
     "resident_id",
     NULL,
     {"encounter_date", NULL},
     "id",
     put_encounter},
    {{"referred_on", "CASE WHEN direction = 'up' THEN 1 ELSE 0 END", "seen_on", "returned_on",
      "coalesce(satisfaction, 0)", "satisfaction_on"},
     "referrals",
     "resident_id",
     "status <> 'cancelled'",
     {"referred_on", NULL},
     "id",
     put_referral},
    {{"answered_on", "score", "CASE knows_doctor WHEN 1 THEN 1 WHEN 0 THEN 2 ELSE 0 END"},
     "satisfaction_answers",
     "resident_id",
     NULL,
     {"answered_on", NULL},
     "id",
     put_answer},
    /* in the order of the (resident_id, vaccine, dose) unique index */
    {{"vaccine", "dose", "given_on"},
     "vaccinations",
     "resident_id",
     NULL,
     {"vaccine", NULL},
     "dose",
     put_vaccination},
    {{"t.notified_on", "(SELECT min(v.visit_date) FROM tb_visits v WHERE v.case_id = t.id)",
      "t.closed_on", "CASE WHEN t.outcome IN ('cured','completed') THEN 1 ELSE 0 END",
      "(SELECT coalesce(sum(v.doses_due), 0) FROM tb_visits v WHERE v.case_id = t.id)",
      "(SELECT coalesce(sum(v.doses_taken), 0) FROM tb_visits v WHERE v.case_id = t.id)"},
     "tb_cases t",
     "t.resident_id",
     NULL,
     {"t.notified_on", NULL},
     "t.id",
     put_tb_case},
};

/* The statements, built once from FACTS: a batch's query per kind (the resident's id, then
 * the values), and the one statement for a resident (kind, the three order keys, then the
 * values as text, NULL past a kind's own). Their addresses key the statement caches. */
static char *batch_sql[N_FACTS];
static char *one_sql;
static pthread_once_t built = PTHREAD_ONCE_INIT;

static int count_columns(const struct fact *f)
{
    int n = 0;
    while (n < MAX_COLUMNS && f->columns[n])
        n++;
    return n;
}

static void range_of(struct sbuf *b, const struct fact *f)
{
    if (f == &FACTS[RESIDENTS]) return; /* bounded inside its subquery */
    sbuf_printf(b, " WHERE %s >= ?1 AND %s <= ?2", f->resident, f->resident);
    if (f->filter) sbuf_printf(b, " AND %s", f->filter);
}

static void build(void)
{
    struct sbuf one;
    sbuf_init(&one);
    for (int k = 0; k < N_FACTS; k++) {
        const struct fact *f = &FACTS[k];
        int n = count_columns(f);
        struct sbuf b;
        sbuf_init(&b);
        sbuf_printf(&b, "SELECT %s", f->resident);
        for (int i = 0; i < n; i++)
            sbuf_printf(&b, ", %s", f->columns[i]);
        sbuf_printf(&b, " FROM %s", f->from);
        range_of(&b, f);
        sbuf_printf(&b, " ORDER BY %s", f->resident);
        for (int i = 0; i < 2; i++)
            if (f->order_text[i]) sbuf_printf(&b, ", %s", f->order_text[i]);
        if (strcmp(f->order_id, f->resident) != 0) sbuf_printf(&b, ", %s", f->order_id);
        batch_sql[k] = sbuf_failed(&b) ? NULL : strdup(sbuf_cstr(&b));
        sbuf_free(&b);

        sbuf_printf(&one, "%sSELECT %d", k ? " UNION ALL " : "", k);
        for (int i = 0; i < 2; i++)
            sbuf_printf(&one, ", %s", f->order_text[i] ? f->order_text[i] : "''");
        sbuf_printf(&one, ", %s", f->order_id);
        for (int i = 0; i < MAX_COLUMNS; i++)
            if (i < n)
                sbuf_printf(&one, ", CAST(%s AS TEXT)", f->columns[i]);
            else
                sbuf_puts(&one, ", NULL");
        sbuf_printf(&one, " FROM %s", f->from);
        range_of(&one, f);
    }
    sbuf_puts(&one, " ORDER BY 1, 2, 3, 4");
    one_sql = sbuf_failed(&one) ? NULL : strdup(sbuf_cstr(&one));
    sbuf_free(&one);
}

/* A statement of FACTS bound to residents lo..hi, or NULL; `max` (?3, at most so many
 * residents) when it reads the residents' kind. */
static struct db_stmt *prepare(struct db *db, const char *sql, int64_t lo, int64_t hi, int max)
{
    if (!sql) return NULL; /* out of memory when built */
    struct db_stmt *st = db_prepare(db, sql);
    if (!st) return NULL;
    db_bind_int(st, 1, lo);
    db_bind_int(st, 2, hi);
    if (max) db_bind_int(st, 3, max);
    return st;
}

/* Out of memory halfway through a query's rows: finish the statement, report the error. */
static int abandon(struct db_stmt *st)
{
    db_run(st);
    return -1;
}

int store_kpi_person_load(struct db *db, int64_t id, struct kpi_person *p)
{
    pthread_once(&built, build);
    kpi_person_clear(p);
    p->id = id;
    struct db_stmt *st = prepare(db, one_sql, id, id, 1);
    if (!st) return -1;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int kind = (int)db_column_int(st, 0);
        if (kind < 0 || kind >= N_FACTS || (kind != RESIDENTS && !p->exists)) continue;
        if (!FACTS[kind].put(p, st, 4)) return abandon(st); /* values after kind and 3 keys */
    }
    return rc == DB_DONE ? 0 : -1;
}

/* One kind's rows for people[0..n) (in id order), each finding its resident by a cursor
 * that only moves forward, as the rows come in resident order. */
static int load_kind(struct db *db, int kind, struct kpi_person *people, int n)
{
    struct db_stmt *st = prepare(db, batch_sql[kind], people[0].id, people[n - 1].id, 0);
    if (!st) return -1;
    int rc, cursor = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t id = db_column_int(st, 0);
        while (cursor < n && people[cursor].id < id)
            cursor++;
        if (cursor == n || people[cursor].id != id) continue;
        if (!FACTS[kind].put(&people[cursor], st, 1)) return abandon(st);
    }
    return rc == DB_DONE ? 0 : -1;
}

int store_kpi_people_next(struct db *db, int64_t after, struct kpi_person *people, int max)
{
    pthread_once(&built, build);
    struct db_stmt *st = prepare(db, batch_sql[RESIDENTS], after + 1, INT64_MAX, max);
    if (!st) return -1;
    int rc, n = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t id = db_column_int(st, 0);
        if ((n > 0 && people[n - 1].id == id) || n == max) continue;
        put_resident(&people[n++], st, 1);
    }
    if (rc != DB_DONE) return -1;
    int any_contract = 0;
    for (int kind = CONTRACTS; n > 0 && kind < N_FACTS; kind++) {
        if ((kind == ENTITLEMENTS || kind == DELIVERIES) && !any_contract) continue;
        if (load_kind(db, kind, people, n) < 0) return -1;
        if (kind == CONTRACTS)
            for (int i = 0; i < n && !any_contract; i++)
                any_contract = people[i].n_contracts > 0;
    }
    return n;
}
int store_kpi_rules(struct db *db, struct kpi_rules *rules)
{
    /* One statement for them all: a write reads them twice (before and after), and on
     * PostgreSQL each statement is a round trip. */
    static const char SQL[] =
        "SELECT key, value FROM settings WHERE key IN ('elderly_age', 'child_age_below',"
        " 'kpi_renewal_days', 'immunisation_je_inactivated', 'immunisation_hepa_inactivated')";
    static const struct {
        const char *key;
        size_t offset;
    } KEYS[] = {
        {"elderly_age", offsetof(struct kpi_rules, elderly_age)},
        {"child_age_below", offsetof(struct kpi_rules, child_age_below)},
        {"kpi_renewal_days", offsetof(struct kpi_rules, renewal_days)},
        {"immunisation_je_inactivated", offsetof(struct kpi_rules, immunisation_je_inactivated)},
        {"immunisation_hepa_inactivated",
         offsetof(struct kpi_rules, immunisation_hepa_inactivated)}};
    *rules = (struct kpi_rules){.elderly_age = 65, .child_age_below = 7, .renewal_days = 30};
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *key = db_column_text(st, 0), *value = db_column_text(st, 1);
        if (!key || !value || !*value) continue;
        for (size_t k = 0; k < sizeof KEYS / sizeof KEYS[0]; k++)
            if (!strcmp(key, KEYS[k].key))
                *(int *)(void *)((char *)rules + KEYS[k].offset) = atoi(value);
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
