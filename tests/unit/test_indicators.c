/* Unit tests: what one resident contributes to each indicator (PROTOCOLS.md §11 and the
 * choices in domain/indicators.h), at the edges of every rule. Each fixture is a hand-built
 * struct kpi_person; each check names the code and the expected numerator/denominator. */
#include "test.h"

#include <string.h>

#include "domain/immunisation.h"
#include "domain/indicators.h"

static const struct kpi_rules RULES = {65, 7, 30};

/* A resident in a village, born long ago, in the population. */
static void resident(struct kpi_person *p, const char *birth)
{
    kpi_person_clear(p);
    p->id = 1;
    p->exists = 1;
    p->birth = D(birth);
    memcpy(p->region, "511524101001", 13);
}

static struct kpi_parts parts_of(const struct kpi_person *p, const char *first, const char *as_of)
{
    struct kpi_parts out;
    kpi_person_parts(p, D(first), D(as_of), &RULES, &out);
    return out;
}

#define ND(parts, code, n, d)                                                                      \
    do {                                                                                           \
        assert_int_equal((parts).num[code], (n));                                                  \
        assert_int_equal((parts).den[code], (d));                                                  \
    } while (0)

static struct kpi_contract *contract(struct kpi_person *p, const char *start, const char *end,
                                     const char *last, int64_t team, int64_t doctor)
{
    struct kpi_contract *c = kpi_add_contract(p);
    c->id = p->n_contracts;
    c->team_id = team;
    c->doctor_id = doctor;
    c->start = D(start);
    c->end = D(end);
    c->last = D(last ? last : end);
    return c;
}

static void followup(struct kpi_person *p, enum kpi_program prog, const char *day, int controlled,
                     int home_visit)
{
    struct kpi_followup *f = kpi_add_followup(p);
    f->program = prog;
    f->date = D(day);
    f->controlled = (unsigned char)controlled;
    f->home_visit = (unsigned char)home_visit;
}

static void enrol(struct kpi_person *p, enum kpi_program prog, const char *start, const char *end)
{
    struct kpi_enrolment *e = kpi_add_enrolment(p);
    e->program = prog;
    e->start = D(start);
    e->has_end = end != NULL;
    if (end) e->end = D(end);
}

/* ---- codes and names ---- */

static void every_code_has_names(void **state)
{
    (void)state;
    for (int c = 0; c < KPI_COUNT; c++) {
        assert_non_null(KPI_INFO[c].code);
        assert_non_null(KPI_INFO[c].name_zh);
        assert_non_null(KPI_INFO[c].name_en);
        assert_int_equal(kpi_code_index(KPI_INFO[c].code), c);
    }
    assert_int_equal(kpi_code_index("nope"), -1);
    assert_int_equal(kpi_code_index(NULL), -1);
    assert_int_equal(kpi_program_parse("hypertension"), KP_HTN);
    assert_int_equal(kpi_program_parse("maternal"), KP_MATERNAL);
    assert_int_equal(kpi_program_parse("tb"), KP_NONE);
    assert_int_equal(kpi_program_parse(NULL), KP_NONE);
}

/* ---- population: births, deaths, moves ---- */

static void population_edges(void **state)
{
    (void)state;
    struct kpi_person p = {0};
    resident(&p, "1980-05-05");
    ND(parts_of(&p, "2026-01-01", "2026-06-30"), KPI_SIGNING, 0, 1);
    ND(parts_of(&p, "2026-01-01", "2026-06-30"), KPI_RECORD, 0, 1);

    /* Dead (or moved out) on "as of": gone that day. The day after: still counted. */
    p.gone = 1;
    p.gone_on = D("2026-06-30");
    ND(parts_of(&p, "2026-01-01", "2026-06-30"), KPI_SIGNING, 0, 0);
    assert_false(kpi_in_population(&p, D("2026-06-30")));
    assert_true(kpi_in_population(&p, D("2026-06-29")));
    p.gone_on = D("2026-07-01");
    ND(parts_of(&p, "2026-01-01", "2026-06-30"), KPI_SIGNING, 0, 1);
    ND(parts_of(&p, "2026-07-01", "2026-07-01"), KPI_SIGNING, 0, 0);

    /* Born on "as of" counts; born the day after does not. */
    resident(&p, "2026-06-30");
    ND(parts_of(&p, "2026-01-01", "2026-06-30"), KPI_SIGNING, 0, 1);
    resident(&p, "2026-07-01");
    ND(parts_of(&p, "2026-01-01", "2026-06-30"), KPI_SIGNING, 0, 0);
    ND(parts_of(&p, "2026-01-01", "2026-06-30"), KPI_NEWBORN_VISIT, 0, 0);

    /* A resident who does not exist contributes nothing at all. */
    resident(&p, "1980-05-05");
    p.exists = 0;
    struct kpi_parts none = parts_of(&p, "2026-01-01", "2026-06-30");
    for (int c = 0; c < KPI_COUNT; c++)
        ND(none, c, 0, 0);
    kpi_person_free(&p);
}

/* ---- signing ---- */

static void signing_from_start_to_last_day(void **state)
{
    (void)state;
    struct kpi_person p = {0};
    resident(&p, "1980-05-05");
    p.population_class = 1;
    contract(&p, "2026-03-01", "2027-02-28", "2026-05-31", 3, 30);   /* terminated 05-31 */
    ND(parts_of(&p, "2026-01-01", "2026-02-28"), KPI_SIGNING, 0, 1); /* before the start */
    ND(parts_of(&p, "2026-01-01", "2026-03-01"), KPI_SIGNING, 1, 1); /* the first day */
    ND(parts_of(&p, "2026-01-01", "2026-03-01"), KPI_KEY_SIGNING, 1, 1);
    ND(parts_of(&p, "2026-01-01", "2026-05-31"), KPI_SIGNING, 1, 1); /* ended_on itself */
    ND(parts_of(&p, "2026-01-01", "2026-06-01"), KPI_SIGNING, 0, 1); /* end_date is later */
    p.population_class = 2;
    ND(parts_of(&p, "2026-01-01", "2026-03-01"), KPI_KEY_SIGNING, 0, 0);
    /* A dead resident's contract signs nobody. */
    p.gone = 1;
    p.gone_on = D("2026-04-01");
    ND(parts_of(&p, "2026-01-01", "2026-04-15"), KPI_SIGNING, 0, 0);
    kpi_person_free(&p);
}

/* ---- renewal and fulfilment ---- */

static void renewal_window(void **state)
{
    (void)state;
    struct kpi_person p = {0};
    const char *starts[] = {"2026-04-01", "2026-04-30", "2026-05-01", "2026-03-31"};
    const int renewed[] = {1, 1, 0, 0}; /* the day after, 30 days after, 31 days, same day */
    for (int i = 0; i < 4; i++) {
        resident(&p, "1980-05-05");
        contract(&p, "2025-04-01", "2026-03-31", NULL, 3, 30);
        contract(&p, starts[i], "2027-03-31", NULL, 3, 30);
        ND(parts_of(&p, "2026-01-01", "2026-06-30"), KPI_RENEWAL, renewed[i], 1);
        /* The quarter the contract ended in (a renewal signed ahead, starting after "as of",
         * already counts); the next quarter has no ending contract. */
        ND(parts_of(&p, "2026-01-01", "2026-03-31"), KPI_RENEWAL, renewed[i], 1);
        ND(parts_of(&p, "2026-04-01", "2026-06-30"), KPI_RENEWAL, 0, 0);
    }
    /* Not yet ended on "as of" (ends later in the period): not in the denominator. */
    resident(&p, "1980-05-05");
    contract(&p, "2025-04-01", "2026-03-31", NULL, 3, 30);
    ND(parts_of(&p, "2026-01-01", "2026-03-30"), KPI_RENEWAL, 0, 0);
    /* Ending on the period's first day counts; the day before does not. */
    ND(parts_of(&p, "2026-03-31", "2026-04-30"), KPI_RENEWAL, 0, 1);
    ND(parts_of(&p, "2026-04-01", "2026-04-30"), KPI_RENEWAL, 0, 0);
    /* Terminated early: neither renewed nor counted, whatever follows. */
    resident(&p, "1980-05-05");
    contract(&p, "2025-04-01", "2026-03-31", "2026-02-10", 3, 30);
    contract(&p, "2026-02-20", "2027-02-19", NULL, 4, 40);
    ND(parts_of(&p, "2026-01-01", "2026-12-31"), KPI_RENEWAL, 0, 0);
    /* Ended on its term day through ended_on: reached its term. */
    resident(&p, "1980-05-05");
    contract(&p, "2025-04-01", "2026-03-31", "2026-03-31", 3, 30);
    ND(parts_of(&p, "2026-01-01", "2026-12-31"), KPI_RENEWAL, 0, 1);
    kpi_person_free(&p);
}

static void fulfilment_counts_deliveries_to_as_of(void **state)
{
    (void)state;
    struct kpi_person p = {0};
    resident(&p, "1980-05-05");
    contract(&p, "2025-04-01", "2026-03-31", "2026-02-10", 3, 30); /* ended early: counted */
    contract(&p, "2026-02-11", "2027-02-10", NULL, 3, 30);         /* still running */
    struct kpi_entitlement *e = kpi_add_entitlement(&p);
    e->id = 11, e->contract = 0, e->quantity = 4;
    e = kpi_add_entitlement(&p);
    e->id = 12, e->contract = 0, e->quantity = 1;
    e = kpi_add_entitlement(&p);
    e->id = 13, e->contract = 1, e->quantity = 6;
    const struct {
        int item;
        const char *day;
        int quantity;
    } given[] = {{0, "2025-05-01", 1}, {0, "2025-09-01", 1}, {0, "2026-06-15", 1},
                 {1, "2025-06-01", 1}, {1, "2025-07-01", 2}, {2, "2026-03-01", 2}};
    for (size_t i = 0; i < sizeof given / sizeof given[0]; i++) {
        struct kpi_delivery *d = kpi_add_delivery(&p);
        d->entitlement = given[i].item;
        d->date = D(given[i].day);
        d->quantity = given[i].quantity;
    }
    /* Item 0: 2 of 4 by June 1st (the third delivery comes after); item 1: 3 given, 1 due. */
    ND(parts_of(&p, "2026-01-01", "2026-06-01"), KPI_FULFILMENT, 3, 5);
    ND(parts_of(&p, "2026-01-01", "2026-06-30"), KPI_FULFILMENT, 4, 5);
    /* Before the contract ended: nothing to fulfil yet. */
    ND(parts_of(&p, "2026-01-01", "2026-02-09"), KPI_FULFILMENT, 0, 0);
    ND(parts_of(&p, "2026-02-10", "2026-02-10"), KPI_FULFILMENT, 3, 5);
    kpi_person_free(&p);
}

/* ---- health records ---- */

static void records_as_of(void **state)
{
    (void)state;
    struct kpi_person p = {0};
    resident(&p, "1980-05-05");
    p.has_record = 1;
    p.record_on = D("2026-03-10");
    p.record_opened = 1;
    p.record_opened_on = D("2026-05-01");
    struct kpi_parts x = parts_of(&p, "2026-01-01", "2026-03-09");
    ND(x, KPI_RECORD, 0, 1);
    ND(x, KPI_RECORD_OPEN, 0, 0);
    x = parts_of(&p, "2026-01-01", "2026-03-10");
    ND(x, KPI_RECORD, 1, 1);
    ND(x, KPI_RECORD_OPEN, 0, 1);
    ND(parts_of(&p, "2026-01-01", "2026-05-01"), KPI_RECORD_OPEN, 1, 1);
    kpi_person_free(&p);
}

/* ---- chronic disease: standardised management and control ---- */

static void standard_management_full_year(void **state)
{
    (void)state;
    struct kpi_person p = {0};
    resident(&p, "1960-02-02");
    enrol(&p, KP_HTN, "2020-01-01", NULL);
    followup(&p, KP_HTN, "2025-12-31", 1, 0); /* last year's: not in the period */
    followup(&p, KP_HTN, "2026-02-01", 1, 0);
    followup(&p, KP_HTN, "2026-05-01", 1, 0);
    followup(&p, KP_DM, "2026-06-01", 1, 0); /* another programme's */
    followup(&p, KP_HTN, "2026-08-01", 1, 0);
    ND(parts_of(&p, "2026-01-01", "2026-12-31"), KPI_HTN_STANDARD, 0, 1); /* 3 of 4 */
    followup(&p, KP_HTN, "2026-12-31", 0, 0);
    ND(parts_of(&p, "2026-01-01", "2026-12-31"), KPI_HTN_STANDARD, 1, 1);
    /* An open year part-way: ceil(4 x 181 / 365) = 2 by June 30th. */
    ND(parts_of(&p, "2026-01-01", "2026-06-30"), KPI_HTN_STANDARD, 1, 1);
    ND(parts_of(&p, "2026-01-01", "2026-02-28"), KPI_HTN_STANDARD, 1, 1); /* 59 days: 1 */
    /* A quarter: 92 days need ceil(368 / 365) = 2; Q3 has one. */
    ND(parts_of(&p, "2026-07-01", "2026-09-30"), KPI_HTN_STANDARD, 0, 1);
    /* Not enrolled in diabetes or SMD: no part there. */
    ND(parts_of(&p, "2026-01-01", "2026-12-31"), KPI_DM_STANDARD, 0, 0);
    ND(parts_of(&p, "2026-01-01", "2026-12-31"), KPI_SMD_STANDARD, 0, 0);
    kpi_person_free(&p);
}

static void standard_management_pro_rata(void **state)
{
    (void)state;
    struct kpi_person p = {0};
    /* Enrolled July 2nd: 183 days to Dec 31st. 2026: ceil(732/365) = 3; leap 2024:
     * ceil(732/366) = 2 exactly. */
    resident(&p, "1960-02-02");
    enrol(&p, KP_DM, "2026-07-02", NULL);
    followup(&p, KP_DM, "2026-08-01", 1, 0);
    followup(&p, KP_DM, "2026-11-01", 1, 0);
    ND(parts_of(&p, "2026-01-01", "2026-12-31"), KPI_DM_STANDARD, 0, 1);
    followup(&p, KP_DM, "2026-12-01", 1, 0);
    ND(parts_of(&p, "2026-01-01", "2026-12-31"), KPI_DM_STANDARD, 1, 1);
    /* Not yet enrolled on "as of": nowhere. */
    ND(parts_of(&p, "2026-01-01", "2026-07-01"), KPI_DM_STANDARD, 0, 0);
    /* Enrolled on "as of": one day needs one follow-up. */
    ND(parts_of(&p, "2026-01-01", "2026-07-02"), KPI_DM_STANDARD, 0, 1);

    resident(&p, "1960-02-02");
    enrol(&p, KP_DM, "2024-07-02", NULL);
    followup(&p, KP_DM, "2024-08-01", 1, 0);
    followup(&p, KP_DM, "2024-11-01", 1, 0);
    ND(parts_of(&p, "2024-01-01", "2024-12-31"), KPI_DM_STANDARD, 1, 1);

    /* Enrolment ended before "as of": out of the denominator; ended on it: still in. */
    resident(&p, "1960-02-02");
    enrol(&p, KP_SMD, "2020-01-01", "2026-06-30");
    ND(parts_of(&p, "2026-01-01", "2026-06-30"), KPI_SMD_STANDARD, 0, 1);
    ND(parts_of(&p, "2026-01-01", "2026-07-01"), KPI_SMD_STANDARD, 0, 0);
    kpi_person_free(&p);
}

static void control_from_the_latest_followup(void **state)
{
    (void)state;
    struct kpi_person p = {0};
    resident(&p, "1960-02-02");
    enrol(&p, KP_HTN, "2020-01-01", NULL);
    ND(parts_of(&p, "2026-01-01", "2026-12-31"), KPI_HTN_CONTROL, 0, 1); /* no follow-up */
    followup(&p, KP_HTN, "2025-12-20", 1, 0);                            /* before the period */
    ND(parts_of(&p, "2026-01-01", "2026-12-31"), KPI_HTN_CONTROL, 0, 1);
    followup(&p, KP_HTN, "2026-03-01", 0, 0);
    followup(&p, KP_HTN, "2026-05-01", 1, 0);
    followup(&p, KP_HTN, "2026-08-01", 0, 0);
    ND(parts_of(&p, "2026-01-01", "2026-04-30"), KPI_HTN_CONTROL, 0, 1);
    ND(parts_of(&p, "2026-01-01", "2026-07-31"), KPI_HTN_CONTROL, 1, 1);
    ND(parts_of(&p, "2026-01-01", "2026-12-31"), KPI_HTN_CONTROL, 0, 1); /* the latest wins */
    ND(parts_of(&p, "2026-04-01", "2026-06-30"), KPI_HTN_CONTROL, 1, 1);
    /* SMD has no control indicator. */
    enrol(&p, KP_SMD, "2020-01-01", NULL);
    followup(&p, KP_SMD, "2026-05-01", 1, 0);
    ND(parts_of(&p, "2026-01-01", "2026-12-31"), KPI_DM_CONTROL, 0, 0);
    kpi_person_free(&p);
}

/* ---- elderly and children ---- */

static void elderly_from_the_65th_birthday(void **state)
{
    (void)state;
    struct kpi_person p = {0};
    resident(&p, "1961-07-01");
    followup(&p, KP_ELDERLY, "2026-03-01", 0, 0);
    ND(parts_of(&p, "2026-01-01", "2026-06-30"), KPI_ELDERLY_MGMT, 0, 0); /* 64 */
    ND(parts_of(&p, "2026-01-01", "2026-07-01"), KPI_ELDERLY_MGMT, 1, 1); /* 65 that day */
    ND(parts_of(&p, "2026-07-01", "2026-09-30"), KPI_ELDERLY_MGMT, 0, 1); /* none in Q3 */
    followup(&p, KP_ELDERLY, "2026-10-01", 0, 0);                         /* after "as of" */
    ND(parts_of(&p, "2026-07-01", "2026-09-30"), KPI_ELDERLY_MGMT, 0, 1);
    kpi_person_free(&p);
}

static void child_until_the_7th_birthday(void **state)
{
    (void)state;
    struct kpi_person p = {0};
    resident(&p, "2019-07-01");
    ND(parts_of(&p, "2026-01-01", "2026-06-30"), KPI_CHILD_MGMT, 0, 1); /* 6 */
    ND(parts_of(&p, "2026-01-01", "2026-07-01"), KPI_CHILD_MGMT, 0, 0); /* 7 that day */
    followup(&p, KP_CHILD, "2026-02-01", 0, 0);
    ND(parts_of(&p, "2026-01-01", "2026-06-30"), KPI_CHILD_MGMT, 1, 1);
    kpi_person_free(&p);
}

static void vaccinated(struct kpi_person *p, enum vaccine v, int dose, const char *day)
{
    struct kpi_vaccination *x = kpi_add_vaccination(p);
    x->vaccine = (unsigned char)v;
    x->dose = (unsigned char)dose;
    x->date = D(day);
}

/* immunisation_timely_rate (§15): the doses of §13 due in the period, and those given by the
 * end of the month they fell due. */
static void immunisation_timely_by_the_month_end(void **state)
{
    (void)state;
    struct kpi_person p = {0};
    resident(&p, "2026-01-15");
    vaccinated(&p, VACCINE_HEPB, 1, "2026-01-15"); /* due 01-15: on time */
    vaccinated(&p, VACCINE_BCG, 1, "2026-02-03");  /* due 01-15: February is late */
    vaccinated(&p, VACCINE_HEPB, 2, "2026-02-28"); /* due 02-15: by the month's end */
    /* Q1: hepb 1, bcg, hepb 2, ipv 1 (03-15, not given) */
    ND(parts_of(&p, "2026-01-01", "2026-03-31"), KPI_IMMUNISATION_TIMELY, 2, 4);
    ND(parts_of(&p, "2026-01-01", "2026-02-10"), KPI_IMMUNISATION_TIMELY, 1, 2);
    /* A dose given after "as of" is not known yet. */
    ND(parts_of(&p, "2026-01-01", "2026-01-14"), KPI_IMMUNISATION_TIMELY, 0, 0);
    ND(parts_of(&p, "2026-01-01", "2026-01-20"), KPI_IMMUNISATION_TIMELY, 1, 2);
    /* A late dose moves the next one's due date, and with it the period it counts in:
     * meningococcal A 1 on 08-20 puts dose 2 at 11-18 (90 days), not at 9 months (10-15). */
    vaccinated(&p, VACCINE_MPSV_A, 1, "2026-08-20");
    ND(parts_of(&p, "2026-10-01", "2026-10-31"), KPI_IMMUNISATION_TIMELY, 0, 0);
    ND(parts_of(&p, "2026-11-01", "2026-11-30"), KPI_IMMUNISATION_TIMELY, 0, 1);
    vaccinated(&p, VACCINE_MPSV_A, 2, "2026-11-25");
    ND(parts_of(&p, "2026-11-01", "2026-11-30"), KPI_IMMUNISATION_TIMELY, 1, 1);
    /* September: MMR 1 and JE 1; with the county's inactivated JE, a second JE dose 7 days
     * after the first. */
    ND(parts_of(&p, "2026-09-01", "2026-09-30"), KPI_IMMUNISATION_TIMELY, 0, 2);
    vaccinated(&p, VACCINE_JE_INACT, 1, "2026-09-15");
    struct kpi_rules inactivated = RULES;
    inactivated.immunisation_je_inactivated = 1;
    struct kpi_parts x;
    kpi_person_parts(&p, D("2026-09-01"), D("2026-09-30"), &inactivated, &x);
    ND(x, KPI_IMMUNISATION_TIMELY, 1, 3);
    /* Someone who moved away counts no more. */
    p.gone = 1;
    p.gone_on = D("2026-03-01");
    ND(parts_of(&p, "2026-01-01", "2026-03-31"), KPI_IMMUNISATION_TIMELY, 0, 0);
    /* Past the 7th birthday the doses that fell due before it in the period still count. */
    resident(&p, "2019-03-10");
    vaccinated(&p, VACCINE_MPSV_AC, 1, "2026-01-05"); /* dose 2 due 02-02, before 03-10 */
    ND(parts_of(&p, "2026-01-01", "2026-12-31"), KPI_IMMUNISATION_TIMELY, 0, 1);
    ND(parts_of(&p, "2026-01-01", "2026-02-10"), KPI_IMMUNISATION_TIMELY, 0, 1);
    ND(parts_of(&p, "2027-01-01", "2027-12-31"), KPI_IMMUNISATION_TIMELY, 0, 0);
    resident(&p, "1950-01-01");
    ND(parts_of(&p, "2026-01-01", "2026-12-31"), KPI_IMMUNISATION_TIMELY, 0, 0);
    kpi_person_free(&p);
}

static void tb_case(struct kpi_person *p, const char *notified, const char *first_visit,
                    const char *closed, int completed, int due, int taken)
{
    struct kpi_tb_case *c = kpi_add_tb_case(p);
    c->notified = D(notified);
    if ((c->has_first_visit = first_visit != NULL)) c->first_visit = D(first_visit);
    if ((c->has_closed = closed != NULL)) c->closed = D(closed);
    c->completed = (unsigned char)completed;
    c->doses_due = due;
    c->doses_taken = taken;
}

/* tb_mgmt_rate: notified in the period, managed once visited by as_of; tb_regular_medication_rate:
 * completed in the period, regular at 90% of the doses due. */
static void tb_management_and_regular_medication(void **state)
{
    (void)state;
    struct kpi_person p = {0};
    resident(&p, "1970-05-05");
    tb_case(&p, "2026-03-01", "2026-03-03", NULL, 0, 20, 20);
    ND(parts_of(&p, "2026-03-01", "2026-03-02"), KPI_TB_MGMT, 0, 1); /* not visited yet */
    ND(parts_of(&p, "2026-03-01", "2026-03-31"), KPI_TB_MGMT, 1, 1);
    ND(parts_of(&p, "2026-04-01", "2026-04-30"), KPI_TB_MGMT, 0, 0);    /* notified earlier */
    ND(parts_of(&p, "2026-01-01", "2026-12-31"), KPI_TB_REGULAR, 0, 0); /* still open */
    resident(&p, "1970-05-05");
    tb_case(&p, "2026-01-10", "2026-01-11", "2026-07-10", 1, 180, 162); /* exactly 90% */
    ND(parts_of(&p, "2026-07-01", "2026-07-31"), KPI_TB_REGULAR, 1, 1);
    ND(parts_of(&p, "2026-07-01", "2026-07-09"), KPI_TB_REGULAR, 0, 0); /* not closed by then */
    resident(&p, "1970-05-05");
    tb_case(&p, "2026-01-10", "2026-01-11", "2026-07-10", 1, 180, 161); /* just under */
    ND(parts_of(&p, "2026-07-01", "2026-07-31"), KPI_TB_REGULAR, 0, 1);
    resident(&p, "1970-05-05");
    tb_case(&p, "2026-01-10", "2026-01-11", "2026-07-10", 0, 180,
            180); /* failed, died, lost: not completed */
    ND(parts_of(&p, "2026-07-01", "2026-07-31"), KPI_TB_REGULAR, 0, 0);
    /* A second course the next year counts on its own. */
    tb_case(&p, "2027-02-01", NULL, NULL, 0, 0, 0);
    ND(parts_of(&p, "2027-01-01", "2027-12-31"), KPI_TB_MGMT, 0, 1);
    ND(parts_of(&p, "2026-01-01", "2026-12-31"), KPI_TB_MGMT, 1, 1);
    kpi_person_free(&p);
}

/* ---- newborns and mothers ---- */

static void newborn_visit_window(void **state)
{
    (void)state;
    struct kpi_person p = {0};
    /* Born on the period's first day; a home visit 28 days later counts, 29 does not. */
    resident(&p, "2026-04-01");
    ND(parts_of(&p, "2026-04-01", "2026-06-30"), KPI_NEWBORN_VISIT, 0, 1);
    followup(&p, KP_CHILD, "2026-04-30", 0, 1); /* day 29 */
    ND(parts_of(&p, "2026-04-01", "2026-06-30"), KPI_NEWBORN_VISIT, 0, 1);
    followup(&p, KP_CHILD, "2026-04-29", 0, 0); /* day 28, at the clinic */
    ND(parts_of(&p, "2026-04-01", "2026-06-30"), KPI_NEWBORN_VISIT, 0, 1);
    followup(&p, KP_MATERNAL, "2026-04-10", 0, 1); /* the mother's programme */
    ND(parts_of(&p, "2026-04-01", "2026-06-30"), KPI_NEWBORN_VISIT, 0, 1);
    followup(&p, KP_CHILD, "2026-04-29", 0, 1); /* day 28 at home */
    ND(parts_of(&p, "2026-04-01", "2026-06-30"), KPI_NEWBORN_VISIT, 1, 1);
    ND(parts_of(&p, "2026-04-01", "2026-04-28"), KPI_NEWBORN_VISIT, 0, 1); /* not yet */
    /* Born the day before the period: another period's birth. */
    ND(parts_of(&p, "2026-04-02", "2026-06-30"), KPI_NEWBORN_VISIT, 0, 0);
    /* Born on the period's last day; counted even once dead. */
    resident(&p, "2026-06-30");
    p.gone = 1;
    p.gone_on = D("2026-06-30");
    ND(parts_of(&p, "2026-04-01", "2026-06-30"), KPI_NEWBORN_VISIT, 0, 1);
    ND(parts_of(&p, "2026-04-01", "2026-06-30"), KPI_SIGNING, 0, 0);
    kpi_person_free(&p);
}

static struct kpi_pregnancy *pregnancy(struct kpi_person *p, const char *lmp, const char *delivery,
                                       const char *discharge)
{
    struct kpi_pregnancy *g = kpi_add_pregnancy(p);
    g->lmp = D(lmp);
    g->delivered = delivery != NULL;
    if (delivery) g->delivery = D(delivery);
    g->has_discharge = discharge != NULL;
    if (discharge) g->discharge = D(discharge);
    return g;
}

static void early_pregnancy_before_13_weeks(void **state)
{
    (void)state;
    struct kpi_person p = {0};
    /* LMP 2025-08-01: 90 days after is 2025-10-30, 91 days 2025-10-31. */
    resident(&p, "1995-01-01");
    pregnancy(&p, "2025-08-01", "2026-05-08", NULL);
    followup(&p, KP_MATERNAL, "2025-10-31", 0, 0);
    ND(parts_of(&p, "2026-04-01", "2026-06-30"), KPI_EARLY_PREGNANCY, 0, 1);
    followup(&p, KP_MATERNAL, "2025-10-30", 0, 0);
    ND(parts_of(&p, "2026-04-01", "2026-06-30"), KPI_EARLY_PREGNANCY, 1, 1);
    /* Not delivered by "as of": not a birth of the period yet. */
    ND(parts_of(&p, "2026-04-01", "2026-05-07"), KPI_EARLY_PREGNANCY, 0, 0);
    ND(parts_of(&p, "2026-04-01", "2026-05-08"), KPI_EARLY_PREGNANCY, 1, 1);
    /* Still pregnant: nothing. */
    resident(&p, "1995-01-01");
    pregnancy(&p, "2026-03-01", NULL, NULL);
    followup(&p, KP_MATERNAL, "2026-04-01", 0, 0);
    ND(parts_of(&p, "2026-01-01", "2026-12-31"), KPI_EARLY_PREGNANCY, 0, 0);
    ND(parts_of(&p, "2026-01-01", "2026-12-31"), KPI_POSTPARTUM_VISIT, 0, 0);
    kpi_person_free(&p);
}

static void postpartum_within_28_days(void **state)
{
    (void)state;
    struct kpi_person p = {0};
    /* Delivered 05-08, discharged 05-11: the window is 05-11 .. 06-08. */
    resident(&p, "1995-01-01");
    pregnancy(&p, "2025-08-01", "2026-05-08", "2026-05-11");
    followup(&p, KP_MATERNAL, "2026-05-09", 0, 1); /* in hospital still */
    followup(&p, KP_MATERNAL, "2026-06-09", 0, 1); /* 29 days after discharge */
    ND(parts_of(&p, "2026-04-01", "2026-06-30"), KPI_POSTPARTUM_VISIT, 0, 1);
    followup(&p, KP_MATERNAL, "2026-06-08", 0, 1); /* 28 days */
    ND(parts_of(&p, "2026-04-01", "2026-06-30"), KPI_POSTPARTUM_VISIT, 1, 1);
    ND(parts_of(&p, "2026-04-01", "2026-06-07"), KPI_POSTPARTUM_VISIT, 0, 1); /* not yet */
    /* No discharge date: the window runs from the delivery. */
    resident(&p, "1995-01-01");
    pregnancy(&p, "2025-08-01", "2026-05-08", NULL);
    followup(&p, KP_MATERNAL, "2026-06-06", 0, 1); /* 29 days after the delivery */
    ND(parts_of(&p, "2026-04-01", "2026-06-30"), KPI_POSTPARTUM_VISIT, 0, 1);
    followup(&p, KP_MATERNAL, "2026-06-05", 0, 1); /* 28 days */
    ND(parts_of(&p, "2026-04-01", "2026-06-30"), KPI_POSTPARTUM_VISIT, 1, 1);
    kpi_person_free(&p);
}

/* ---- encounters ---- */

static void encounter(struct kpi_person *p, const char *day, int primary, int in_county,
                      enum kpi_program chronic, int64_t team)
{
    struct kpi_encounter *e = kpi_add_encounter(p);
    e->date = D(day);
    e->primary = (unsigned char)primary;
    e->in_county = (unsigned char)in_county;
    e->chronic = chronic;
    e->team_id = team;
}

/* primary_outpatient_share: outpatient encounters at primary institutions / all outpatient
 * ones; in_county_inpatient_share: stays admitted in the county / all stays. Home visits and
 * telephone consultations are neither. */
static void outpatient_and_inpatient_shares(void **state)
{
    (void)state;
    struct kpi_person p = {0};
    resident(&p, "1960-01-01");
    encounter(&p, "2026-03-02", 1, 1, KP_NONE, 0); /* outpatient, primary */
    encounter(&p, "2026-03-09", 0, 1, KP_NONE, 0); /* outpatient, the county hospital */
    encounter(&p, "2026-03-10", 0, 0, KP_NONE, 0);
    p.encounters[2].kind = KE_INPATIENT; /* a stay in the city */
    encounter(&p, "2026-03-20", 0, 1, KP_NONE, 0);
    p.encounters[3].kind = KE_INPATIENT; /* a stay in the county hospital */
    encounter(&p, "2026-03-25", 1, 1, KP_NONE, 0);
    p.encounters[4].kind = KE_HOME_VISIT;
    encounter(&p, "2026-03-26", 1, 1, KP_NONE, 0);
    p.encounters[5].kind = KE_TELEPHONE;
    struct kpi_parts x = parts_of(&p, "2026-03-01", "2026-03-31");
    ND(x, KPI_PRIMARY_OUTPATIENT, 1, 2);
    ND(x, KPI_IN_COUNTY_INPATIENT, 1, 2);
    ND(x, KPI_IN_COUNTY_VISIT, 5, 6);             /* every kind, as before */
    x = parts_of(&p, "2026-03-01", "2026-03-15"); /* a stay counts by its admission */
    ND(x, KPI_IN_COUNTY_INPATIENT, 0, 1);
    ND(x, KPI_PRIMARY_OUTPATIENT, 1, 2);
    kpi_person_free(&p);
}

/* The second batch's remaining indicators (PROTOCOLS.md §15): class-II signing, contracts
 * with a paid package and their fees, the key programmes together, the cost per resident. */
static void class2_personalised_key_and_cost(void **state)
{
    (void)state;
    struct kpi_person p = {0};
    resident(&p, "1980-01-01");
    p.population_class = 2;
    ND(parts_of(&p, "2026-01-01", "2026-06-30"), KPI_CLASS2_SIGNING, 0, 1);
    struct kpi_contract *c = contract(&p, "2026-03-01", "2027-02-28", NULL, 7, 70);
    c->fee_fen = 12000;
    struct kpi_parts x = parts_of(&p, "2026-01-01", "2026-06-30");
    ND(x, KPI_CLASS2_SIGNING, 1, 1);
    ND(x, KPI_KEY_SIGNING, 0, 0);
    assert_int_equal(x.num[KPI_PERSONALISED_SIGNINGS], 1);
    assert_int_equal(x.num[KPI_PERSONALISED_FEE], 12000);
    x = parts_of(&p, "2026-04-01", "2026-06-30"); /* started before the quarter */
    assert_int_equal(x.num[KPI_PERSONALISED_SIGNINGS], 0);
    c->fee_fen = 0; /* the basic package alone */
    assert_int_equal(parts_of(&p, "2026-01-01", "2026-06-30").num[KPI_PERSONALISED_SIGNINGS], 0);
    /* Costs of the period's encounters over the people in the population. */
    encounter(&p, "2026-02-01", 1, 1, KP_NONE, 0);
    p.encounters[0].cost_fen = 4550;
    encounter(&p, "2026-08-01", 0, 1, KP_NONE, 0);
    p.encounters[1].cost_fen = 900000;
    ND(parts_of(&p, "2026-01-01", "2026-06-30"), KPI_COST_PER_CAPITA, 4550, 1);
    /* key_standard_rate: hypertension's standardised management plus a TB case's 72 hours. */
    resident(&p, "1950-01-01");
    enrol(&p, KP_HTN, "2025-01-01", NULL);
    followup(&p, KP_HTN, "2026-01-10", 1, 0);
    followup(&p, KP_HTN, "2026-02-10", 1, 0);
    tb_case(&p, "2026-02-01", "2026-02-03", NULL, 0, 0, 0); /* within 72 hours */
    tb_case(&p, "2026-03-01", "2026-03-06", NULL, 0, 0, 0); /* five days */
    x = parts_of(&p, "2026-01-01", "2026-03-31");
    ND(x, KPI_HTN_STANDARD, 1, 1);
    ND(x, KPI_KEY_STANDARD, 2, 3);
    kpi_person_free(&p);
}

static void encounters_of_signed_residents(void **state)
{
    (void)state;
    struct kpi_person p = {0};
    resident(&p, "1970-01-01");
    contract(&p, "2026-02-01", "2027-01-31", NULL, 3, 30);
    encounter(&p, "2026-01-15", 1, 1, KP_NONE, 3); /* before signing: unsigned */
    encounter(&p, "2026-02-01", 1, 1, KP_NONE, 3); /* own team, the first signed day */
    encounter(&p, "2026-03-01", 1, 1, KP_NONE, 4); /* another team */
    encounter(&p, "2026-04-01", 0, 0, KP_NONE, 0); /* a hospital out of the county */
    encounter(&p, "2026-05-01", 1, 1, KP_NONE, 0); /* primary, no team */
    encounter(&p, "2026-07-01", 1, 1, KP_NONE, 3); /* after "as of" */
    struct kpi_parts x = parts_of(&p, "2026-01-01", "2026-06-30");
    ND(x, KPI_IN_COUNTY_VISIT, 4, 5);
    ND(x, KPI_SIGNED_PRIMARY_VISIT, 3, 4);
    ND(x, KPI_FD_VISIT_SHARE, 1, 4);
    ND(x, KPI_FD_VISITS_PER_CAPITA, 1, 6); /* 6 months of the year so far */
    /* Months elapsed: a quarter two months in, and a month. */
    ND(parts_of(&p, "2026-04-01", "2026-05-15"), KPI_FD_VISITS_PER_CAPITA, 0, 2);
    ND(parts_of(&p, "2026-02-01", "2026-02-28"), KPI_FD_VISITS_PER_CAPITA, 1, 1);
    /* Unsigned on "as of": no denominator, but the signed encounters still count. */
    ND(parts_of(&p, "2026-01-01", "2026-01-31"), KPI_FD_VISITS_PER_CAPITA, 0, 0);
    ND(parts_of(&p, "2026-01-01", "2026-01-31"), KPI_SIGNED_PRIMARY_VISIT, 0, 0);
    ND(parts_of(&p, "2026-01-01", "2026-01-31"), KPI_IN_COUNTY_VISIT, 1, 1);
    kpi_person_free(&p);
}

static void chronic_patients_seen(void **state)
{
    (void)state;
    struct kpi_person p = {0};
    resident(&p, "1960-01-01");
    enrol(&p, KP_HTN, "2020-01-01", NULL);
    encounter(&p, "2026-03-01", 0, 1, KP_HTN, 0); /* a hospital visit */
    struct kpi_parts x = parts_of(&p, "2026-01-01", "2026-06-30");
    ND(x, KPI_MANAGED_VISIT, 0, 1);
    ND(x, KPI_VISIT_MANAGED, 0, 0);
    encounter(&p, "2026-04-01", 1, 1, KP_HTN, 3);
    x = parts_of(&p, "2026-01-01", "2026-06-30");
    ND(x, KPI_MANAGED_VISIT, 1, 1);
    ND(x, KPI_VISIT_MANAGED, 1, 1);
    /* Seen for diabetes without being enrolled in anything. */
    resident(&p, "1960-01-01");
    encounter(&p, "2026-04-01", 1, 1, KP_DM, 3);
    encounter(&p, "2026-04-02", 1, 1, KP_NONE, 3);
    x = parts_of(&p, "2026-01-01", "2026-06-30");
    ND(x, KPI_MANAGED_VISIT, 0, 0);
    ND(x, KPI_VISIT_MANAGED, 0, 1);
    /* Enrolled in diabetes since before "as of": managed. */
    enrol(&p, KP_DM, "2026-05-01", NULL);
    ND(parts_of(&p, "2026-01-01", "2026-06-30"), KPI_VISIT_MANAGED, 1, 1);
    ND(parts_of(&p, "2026-01-01", "2026-04-30"), KPI_VISIT_MANAGED, 0, 1);
    kpi_person_free(&p);
}

/* ---- referrals and satisfaction ---- */

static void referrals_and_satisfaction(void **state)
{
    (void)state;
    struct kpi_person p = {0};
    resident(&p, "1960-01-01");
    const struct {
        const char *day;
        int value;
    } referrals[] = {{"2026-01-01", 1},
                     {"2026-03-31", 1},
                     {"2026-02-01", 0},
                     {"2025-12-31", 1},
                     {"2026-04-01", 0}};
    for (size_t i = 0; i < sizeof referrals / sizeof referrals[0]; i++) {
        struct kpi_referral *d = kpi_add_referral(&p);
        d->date = D(referrals[i].day);
        d->value = referrals[i].value;
    }
    const struct {
        const char *day;
        int score;
    } answers[] = {{"2026-01-10", 3}, {"2026-02-10", 4}, {"2026-03-10", 5}, {"2026-04-10", 5}};
    for (size_t i = 0; i < sizeof answers / sizeof answers[0]; i++) {
        struct kpi_dated *d = kpi_add_answer(&p);
        d->date = D(answers[i].day);
        d->value = answers[i].score;
    }
    struct kpi_parts x = parts_of(&p, "2026-01-01", "2026-03-31");
    ND(x, KPI_REFERRALS_UP, 2, 0); /* counts: the API divides by 1 */
    ND(x, KPI_REFERRALS_DOWN, 1, 0);
    assert_true(KPI_INFO[KPI_REFERRALS_UP].is_count && KPI_INFO[KPI_REFERRALS_DOWN].is_count);
    ND(x, KPI_SATISFACTION, 2, 3);
    x = parts_of(&p, "2026-01-01", "2026-02-10");
    ND(x, KPI_SATISFACTION, 1, 2);
    /* A dead resident's answers and referrals stay in the period. */
    p.gone = 1;
    p.gone_on = D("2026-03-01");
    x = parts_of(&p, "2026-01-01", "2026-03-31");
    ND(x, KPI_SATISFACTION, 2, 3);
    ND(x, KPI_REFERRALS_UP, 2, 0);
    kpi_person_free(&p);
}

/* awareness_rate counts surveyed residents: the latest answer of the period that asked whether
 * the resident knows their family doctor decides; answers that did not ask are not surveys of
 * awareness. */
static void awareness_by_the_latest_answer_that_asked(void **state)
{
    (void)state;
    struct kpi_person p = {0};
    resident(&p, "1950-01-01");
    const struct {
        const char *day;
        enum kpi_awareness knows;
    } answers[] = {{"2026-01-10", KPI_AWARE_NO},
                   {"2026-05-10", KPI_AWARE_YES},
                   {"2026-08-10", KPI_AWARE_NOT_ASKED},
                   {"2025-11-10", KPI_AWARE_YES}};
    for (size_t i = 0; i < sizeof answers / sizeof answers[0]; i++) {
        struct kpi_dated *d = kpi_add_answer(&p);
        d->date = D(answers[i].day);
        d->value = 4;
        d->knows = (unsigned char)answers[i].knows;
    }
    ND(parts_of(&p, "2026-01-01", "2026-03-31"), KPI_AWARENESS, 0, 1); /* asked in January: no */
    ND(parts_of(&p, "2026-01-01", "2026-12-31"), KPI_AWARENESS, 1, 1); /* one resident, May's yes */
    ND(parts_of(&p, "2026-07-01", "2026-09-30"), KPI_AWARENESS, 0, 0); /* August did not ask */
    ND(parts_of(&p, "2025-10-01", "2025-12-31"), KPI_AWARENESS, 1, 1);
    ND(parts_of(&p, "2026-01-01", "2026-12-31"), KPI_SATISFACTION, 3,
       3); /* every answer still counts */
    assert_int_equal(kpi_code_index("awareness_rate"), KPI_AWARENESS);
    assert_string_equal(KPI_INFO[KPI_AWARENESS].name_zh, "知晓率");
    kpi_person_free(&p);
}

/* ---- the care cascade ---- */

static void cascade_windows(void **state)
{
    (void)state;
    struct kpi_person p = {0};
    /* As of 2026-06-30: the 12 months are 2025-07-01 .. , the 3 months 2026-03-31 .. */
    resident(&p, "1960-01-01");
    enrol(&p, KP_HTN, "2020-01-01", NULL);
    followup(&p, KP_HTN, "2025-06-30", 1, 0);
    struct kpi_parts x = parts_of(&p, "2026-01-01", "2026-06-30");
    ND(x, KPI_HTN_UNDER_CARE, 0, 1);
    ND(x, KPI_HTN_MISSED_VISIT, 1, 1);
    ND(x, KPI_HTN_LOST, 1, 1);
    ND(x, KPI_HTN_CASCADE_CONTROLLED, 0, 1);
    followup(&p, KP_HTN, "2025-07-01", 1, 0);
    x = parts_of(&p, "2026-01-01", "2026-06-30");
    ND(x, KPI_HTN_UNDER_CARE, 1, 1);
    ND(x, KPI_HTN_MISSED_VISIT, 1, 1);
    ND(x, KPI_HTN_LOST, 0, 1);
    followup(&p, KP_HTN, "2026-03-30", 1, 0); /* a day before the 3 months */
    x = parts_of(&p, "2026-01-01", "2026-06-30");
    ND(x, KPI_HTN_MISSED_VISIT, 1, 1);
    ND(x, KPI_HTN_CASCADE_CONTROLLED, 0, 1);
    followup(&p, KP_HTN, "2026-03-31", 1, 0);
    x = parts_of(&p, "2026-01-01", "2026-06-30");
    ND(x, KPI_HTN_MISSED_VISIT, 0, 1);
    ND(x, KPI_HTN_CASCADE_CONTROLLED, 1, 1);
    followup(&p, KP_HTN, "2026-06-30", 0, 0); /* the latest is not controlled */
    ND(parts_of(&p, "2026-01-01", "2026-06-30"), KPI_HTN_CASCADE_CONTROLLED, 0, 1);
    followup(&p, KP_HTN, "2026-07-01", 1, 0); /* after "as of": ignored */
    ND(parts_of(&p, "2026-01-01", "2026-06-30"), KPI_HTN_CASCADE_CONTROLLED, 0, 1);
    /* The windows do not depend on the period's start. */
    ND(parts_of(&p, "2026-06-01", "2026-06-30"), KPI_HTN_UNDER_CARE, 1, 1);
    ND(parts_of(&p, "2026-01-01", "2026-06-30"), KPI_DM_UNDER_CARE, 0, 0);
    kpi_person_free(&p);
}

static void cascade_controlled_needs_3_months_enrolled(void **state)
{
    (void)state;
    struct kpi_person p = {0};
    resident(&p, "1960-01-01");
    enrol(&p, KP_DM, "2026-03-31", NULL); /* less than 3 months before 2026-06-30 */
    followup(&p, KP_DM, "2026-05-01", 1, 0);
    struct kpi_parts x = parts_of(&p, "2026-01-01", "2026-06-30");
    ND(x, KPI_DM_UNDER_CARE, 1, 1);
    ND(x, KPI_DM_MISSED_VISIT, 0, 1);
    ND(x, KPI_DM_LOST, 0, 1);
    ND(x, KPI_DM_CASCADE_CONTROLLED, 0, 0);
    resident(&p, "1960-01-01");
    enrol(&p, KP_DM, "2026-03-30", NULL); /* 3 months exactly */
    followup(&p, KP_DM, "2026-05-01", 1, 0);
    ND(parts_of(&p, "2026-01-01", "2026-06-30"), KPI_DM_CASCADE_CONTROLLED, 1, 1);
    /* Enrolment ended: out of the cascade. */
    resident(&p, "1960-01-01");
    enrol(&p, KP_DM, "2020-01-01", "2026-06-29");
    x = parts_of(&p, "2026-01-01", "2026-06-30");
    ND(x, KPI_DM_UNDER_CARE, 0, 0);
    ND(x, KPI_DM_LOST, 0, 0);
    kpi_person_free(&p);
}

/* ---- the team the resident counts for ---- */

static void team_from_contract_else_grid(void **state)
{
    (void)state;
    struct kpi_person p = {0};
    resident(&p, "1960-01-01");
    p.grid_team_id = 7;
    p.grid_doctor_id = 70;
    int64_t team, doctor;
    kpi_person_team(&p, D("2026-06-30"), &team, &doctor);
    assert_int_equal(team, 7);
    assert_int_equal(doctor, 70);
    contract(&p, "2026-02-01", "2027-01-31", "2026-05-31", 3, 30);
    kpi_person_team(&p, D("2026-02-01"), &team, &doctor);
    assert_int_equal(team, 3);
    assert_int_equal(doctor, 30);
    kpi_person_team(&p, D("2026-05-31"), &team, &doctor);
    assert_int_equal(team, 3);
    kpi_person_team(&p, D("2026-06-01"), &team, &doctor); /* terminated: back to the grid */
    assert_int_equal(team, 7);
    assert_int_equal(doctor, 70);
    p.grid_team_id = p.grid_doctor_id = 0;
    kpi_person_team(&p, D("2026-01-31"), &team, &doctor);
    assert_int_equal(team, 0);
    assert_int_equal(doctor, 0);
    kpi_person_free(&p);
}

/* Clearing keeps the arrays' memory but forgets their contents. */
static void clear_forgets_facts(void **state)
{
    (void)state;
    struct kpi_person p = {0};
    resident(&p, "1960-01-01");
    for (int i = 0; i < 20; i++)
        followup(&p, KP_HTN, "2026-01-01", 1, 0);
    assert_int_equal(p.n_followups, 20);
    kpi_person_clear(&p);
    assert_int_equal(p.n_followups, 0);
    assert_false(p.exists);
    assert_non_null(p.followups);
    kpi_person_free(&p);
    assert_null(p.followups);
}

/* The copy the PostgreSQL writer carries between the requests of a batch: the same facts,
 * its own arrays, and a later change to the original does not reach it. */
static void copy_is_deep(void **state)
{
    (void)state;
    struct kpi_person p = {0}, copy = {0};
    resident(&p, "1960-01-01");
    for (int i = 0; i < 20; i++)
        followup(&p, KP_HTN, "2026-01-01", 1, 0);
    resident(&copy, "1990-05-05");
    followup(&copy, KP_DM, "2025-01-01", 0, 0);
    assert_int_equal(kpi_person_copy(&copy, &p), 0);
    assert_int_equal(copy.n_followups, 20);
    assert_ptr_not_equal(copy.followups, p.followups);
    assert_memory_equal(copy.followups, p.followups, 20 * sizeof *p.followups);
    assert_int_equal(date_compare(copy.birth, p.birth), 0);
    followup(&p, KP_HTN, "2026-02-01", 1, 0);
    assert_int_equal(copy.n_followups, 20);
    kpi_person_free(&p);
    assert_int_equal(copy.n_followups, 20); /* still readable: its own arrays */
    kpi_person_free(&copy);
}

/* ---- the hospital in the loop (PROTOCOLS.md §15) ---- */

static void referral_return_and_satisfaction(void **state)
{
    (void)state;
    struct kpi_person p = {0};
    resident(&p, "1960-01-01");
    /* seen in Q1 and returned in Q1; seen in Q1, returned in April; seen, never returned;
     * a down-referral seen (not in the rate); an up-referral never seen. */
    struct kpi_referral *f = kpi_add_referral(&p);
    f->date = D("2026-01-05"), f->value = 1, f->has_seen = 1, f->seen = D("2026-01-09");
    f->has_returned = 1, f->returned = D("2026-01-20"), f->satisfaction = 5,
    f->satisfaction_on = D("2026-01-25");
    f = kpi_add_referral(&p);
    f->date = D("2026-03-01"), f->value = 1, f->has_seen = 1, f->seen = D("2026-03-20");
    f->has_returned = 1, f->returned = D("2026-04-02"), f->satisfaction = 2,
    f->satisfaction_on = D("2026-04-05");
    f = kpi_add_referral(&p);
    f->date = D("2026-02-01"), f->value = 1, f->has_seen = 1, f->seen = D("2026-02-03");
    f = kpi_add_referral(&p);
    f->date = D("2026-02-01"), f->value = 0, f->has_seen = 1, f->seen = D("2026-02-03");
    f = kpi_add_referral(&p);
    f->date = D("2026-03-30"), f->value = 1;
    struct kpi_parts x = parts_of(&p, "2026-01-01", "2026-03-31");
    ND(x, KPI_REFERRAL_RETURN, 1, 3);
    ND(x, KPI_REFERRAL_SATISFACTION, 1, 1);
    ND(x, KPI_REFERRALS_UP, 4, 0);
    ND(x, KPI_REFERRAL_SEEN_MEDIAN, 0, 0); /* not a sum: kpi/ computes it */
    /* As of later in the year, the April return counts for the March visit. */
    x = parts_of(&p, "2026-01-01", "2026-06-30");
    ND(x, KPI_REFERRAL_RETURN, 2, 3);
    ND(x, KPI_REFERRAL_SATISFACTION, 1, 2);
    x = parts_of(&p, "2026-04-01", "2026-06-30"); /* Q2: nothing seen, one rating */
    ND(x, KPI_REFERRAL_RETURN, 0, 0);
    ND(x, KPI_REFERRAL_SATISFACTION, 0, 1);
    kpi_person_free(&p);
}

static void combination_visits(void **state)
{
    (void)state;
    struct kpi_person p = {0};
    resident(&p, "1950-01-01");
    struct kpi_contract *c = contract(&p, "2026-01-01", "2026-12-31", NULL, 3, 30);
    c->combination[0] = 100, c->combination[1] = 200,
    c->combination[2] = 0;                         /* team's centre, county hospital */
    encounter(&p, "2026-02-01", 1, 1, KP_NONE, 3); /* own team at a village clinic: in */
    p.encounters[p.n_encounters - 1].institution_id = 900;
    encounter(&p, "2026-02-02", 0, 1, KP_NONE, 0); /* the county hospital of the combination: in */
    p.encounters[p.n_encounters - 1].institution_id = 200;
    encounter(&p, "2026-02-03", 0, 1, KP_NONE, 0); /* another hospital: out */
    p.encounters[p.n_encounters - 1].institution_id = 300;
    encounter(&p, "2026-02-04", 0, 0, KP_NONE, 0); /* outside the grid: out */
    encounter(&p, "2025-12-20", 1, 1, KP_NONE, 0); /* before the contract: not counted */
    p.encounters[p.n_encounters - 1].institution_id = 100;
    ND(parts_of(&p, "2025-12-01", "2026-03-31"), KPI_COMBINATION_VISIT, 2, 4);
    kpi_person_free(&p);
}

static void median_is_the_lower_middle(void **state)
{
    (void)state;
    int64_t none[1] = {0};
    assert_int_equal(kpi_median_lower(none, 0), 0);
    int64_t one[] = {7};
    assert_int_equal(kpi_median_lower(one, 1), 7);
    int64_t odd[] = {9, 1, 5};
    assert_int_equal(kpi_median_lower(odd, 3), 5);
    int64_t even[] = {10, 2, 4, 30};
    assert_int_equal(kpi_median_lower(even, 4), 4);
    assert_true(KPI_INFO[KPI_REFERRAL_SEEN_MEDIAN].is_count);
    assert_int_equal(kpi_code_index("combination_visit_rate"), KPI_COMBINATION_VISIT);
    assert_int_equal(kpi_code_index("referral_return_rate"), KPI_REFERRAL_RETURN);
    assert_int_equal(kpi_code_index("referral_satisfaction_rate"), KPI_REFERRAL_SATISFACTION);
}

/* ---- kpi_person_changed_from: a change reaches no period whose "as of" is before it ---- */

static unsigned long long seed = 88172645463325252ULL;
static int roll(int n)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return (int)(seed % (unsigned long long)n);
}

/* A day of 2024-2026. */
static struct date day(void)
{
    return date_add_days(D("2024-01-01"), roll(3 * 365));
}

static void random_fact(struct kpi_person *p, int kind)
{
    switch (kind) {
    case 0: {
        struct kpi_followup *f = kpi_add_followup(p);
        f->program = (enum kpi_program)roll(KP_NONE);
        f->date = day();
        f->controlled = (unsigned char)roll(2);
        f->home_visit = (unsigned char)roll(2);
        break;
    }
    case 1: {
        struct kpi_enrolment *e = kpi_add_enrolment(p);
        e->program = (enum kpi_program)roll(KP_NONE);
        e->start = day();
        if ((e->has_end = roll(2))) e->end = date_add_days(e->start, roll(400));
        break;
    }
    case 2: {
        struct kpi_encounter *e = kpi_add_encounter(p);
        e->date = day();
        e->primary = (unsigned char)roll(2);
        e->in_county = (unsigned char)roll(2);
        e->chronic = roll(2) ? KP_HTN : KP_NONE;
        e->team_id = roll(3);
        e->institution_id = roll(3);
        e->kind = (unsigned char)roll(4);
        break;
    }
    case 3: {
        struct kpi_referral *f = kpi_add_referral(p);
        f->date = day();
        f->value = roll(2);
        if ((f->has_seen = (unsigned char)roll(2))) f->seen = date_add_days(f->date, roll(30));
        if ((f->has_returned = (unsigned char)roll(2)))
            f->returned = date_add_days(f->date, roll(60));
        if ((f->satisfaction = (unsigned char)roll(6)))
            f->satisfaction_on = date_add_days(f->date, roll(90));
        break;
    }
    case 4: {
        struct kpi_pregnancy *g = kpi_add_pregnancy(p);
        g->lmp = day();
        if ((g->delivered = roll(2))) g->delivery = date_add_days(g->lmp, 200 + roll(100));
        if ((g->has_discharge = g->delivered && roll(2)))
            g->discharge = date_add_days(g->delivery, roll(5));
        break;
    }
    case 5: {
        struct kpi_dated *a = kpi_add_answer(p);
        a->date = day();
        a->value = 1 + roll(5);
        a->knows = (unsigned char)roll(3);
        break;
    }
    case 7: {
        struct kpi_tb_case *c = kpi_add_tb_case(p);
        c->notified = day();
        if ((c->has_first_visit = (unsigned char)roll(2)))
            c->first_visit = date_add_days(c->notified, roll(10));
        if ((c->has_closed = (unsigned char)roll(2)))
            c->closed = date_add_days(c->notified, 150 + roll(100));
        c->completed = (unsigned char)roll(2);
        c->doses_due = roll(200);
        c->doses_taken = c->doses_due ? roll(c->doses_due + 1) : 0;
        break;
    }
    case 6: {
        struct kpi_vaccination *v = kpi_add_vaccination(p);
        v->vaccine = (unsigned char)roll(VACCINE_COUNT);
        v->dose = (unsigned char)(1 + roll(4));
        v->date = day();
        break;
    }
    default:
        if (p->n_entitlements) {
            struct kpi_delivery *d = kpi_add_delivery(p);
            d->entitlement = roll(p->n_entitlements);
            d->date = day();
            d->quantity = 1 + roll(2);
        }
    }
}

static void copy_person(struct kpi_person *to, const struct kpi_person *from)
{
    kpi_person_clear(to);
    struct kpi_person keep = *to;
    *to = *from;
#define COPY(name, add)                                                                            \
    to->name = keep.name, to->cap_##name = keep.cap_##name, to->n_##name = 0;                      \
    for (int i = 0; i < from->n_##name; i++)                                                       \
    *add(to) = from->name[i]
    COPY(contracts, kpi_add_contract);
    COPY(entitlements, kpi_add_entitlement);
    COPY(deliveries, kpi_add_delivery);
    COPY(enrolments, kpi_add_enrolment);
    COPY(followups, kpi_add_followup);
    COPY(pregnancies, kpi_add_pregnancy);
    COPY(encounters, kpi_add_encounter);
    COPY(referrals, kpi_add_referral);
    COPY(answers, kpi_add_answer);
    COPY(vaccinations, kpi_add_vaccination);
    COPY(tb_cases, kpi_add_tb_case);
#undef COPY
}

static void change_reaches_no_earlier_period(void **state)
{
    (void)state;
    struct kpi_person before = {0}, after = {0};
    int partial = 0, identical = 0, everywhere = 0;
    for (int round = 0; round < 400; round++) {
        resident(&before, roll(4) ? "1950-03-01" : "2021-06-15");
        before.population_class = 1;
        contract(&before, "2024-01-01", "2024-12-31", NULL, 7, 70);
        contract(&before, "2025-01-10", "2025-12-31", NULL, 8, 80);
        for (int c = 0; c < 2; c++) {
            struct kpi_entitlement *e = kpi_add_entitlement(&before);
            e->id = c + 1;
            e->contract = c;
            e->quantity = 4;
        }
        for (int n = roll(25); n > 0; n--)
            random_fact(&before, roll(9));
        copy_person(&after, &before);
        /* One write: a fact added, one taken away, or one changed (taken away and added). */
        int kind = roll(9), how = roll(3);
        if (how != 1) random_fact(&after, kind);
        if (how != 0 && after.n_followups) {
            int k = roll(after.n_followups);
            after.followups[k] = after.followups[--after.n_followups];
        }
        if (roll(20) == 0) after.contracts[1].last = D("2025-09-30");
        struct date from;
        int rc = kpi_person_changed_from(&before, &after, &from);
        partial += rc == 1, identical += rc == 0, everywhere += rc < 0;
        for (struct date as_of = D("2024-01-01"); date_compare(as_of, D("2026-12-31")) <= 0;
             as_of = date_add_days(as_of, 3)) {
            if (rc < 0 || (rc == 1 && date_compare(as_of, from) >= 0)) continue;
            struct date firsts[3] = {{as_of.year, 1, 1},
                                     {as_of.year, (as_of.month - 1) / 3 * 3 + 1, 1},
                                     {as_of.year, as_of.month, 1}};
            for (int f = 0; f < 3; f++) {
                struct kpi_parts x, y;
                kpi_person_parts(&before, firsts[f], as_of, &RULES, &x);
                kpi_person_parts(&after, firsts[f], as_of, &RULES, &y);
                assert_memory_equal(&x, &y, sizeof x);
            }
        }
    }
    assert_true(partial > 100 && identical > 0 && everywhere > 0);
    kpi_person_free(&before);
    kpi_person_free(&after);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_code_has_names),
        cmocka_unit_test(population_edges),
        cmocka_unit_test(signing_from_start_to_last_day),
        cmocka_unit_test(renewal_window),
        cmocka_unit_test(fulfilment_counts_deliveries_to_as_of),
        cmocka_unit_test(records_as_of),
        cmocka_unit_test(standard_management_full_year),
        cmocka_unit_test(standard_management_pro_rata),
        cmocka_unit_test(control_from_the_latest_followup),
        cmocka_unit_test(elderly_from_the_65th_birthday),
        cmocka_unit_test(child_until_the_7th_birthday),
        cmocka_unit_test(immunisation_timely_by_the_month_end),
        cmocka_unit_test(tb_management_and_regular_medication),
        cmocka_unit_test(newborn_visit_window),
        cmocka_unit_test(early_pregnancy_before_13_weeks),
        cmocka_unit_test(postpartum_within_28_days),
        cmocka_unit_test(encounters_of_signed_residents),
        cmocka_unit_test(outpatient_and_inpatient_shares),
        cmocka_unit_test(class2_personalised_key_and_cost),
        cmocka_unit_test(chronic_patients_seen),
        cmocka_unit_test(referrals_and_satisfaction),
        cmocka_unit_test(awareness_by_the_latest_answer_that_asked),
        cmocka_unit_test(cascade_windows),
        cmocka_unit_test(cascade_controlled_needs_3_months_enrolled),
        cmocka_unit_test(team_from_contract_else_grid),
        cmocka_unit_test(clear_forgets_facts),
        cmocka_unit_test(copy_is_deep),
        cmocka_unit_test(referral_return_and_satisfaction),
        cmocka_unit_test(combination_visits),
        cmocka_unit_test(median_is_the_lower_middle),
        cmocka_unit_test(change_reaches_no_earlier_period),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
