/* Unit tests: the childhood immunisation schedule of PROTOCOLS.md §13, row by row: each
 * vaccine's doses and ages, the intervals after a given dose, the statuses on either side
 * of the due date and of the next age point, catch-up, the month-end rule, the 7th
 * birthday and the county's inactivated alternatives. */
#include "test.h"

#include <string.h>

#include "domain/immunisation.h"

static const struct immunisation_choice LIVE = {0, 0};

static int evaluate(const char *birth, const char *as_of, const struct dose_given *given, int n,
                    const struct immunisation_choice *choice, struct dose_item *out)
{
    return immunisation_evaluate(D(birth), D(as_of), given, n, choice, out);
}

static const struct dose_item *find(const struct dose_item *items, int n, const char *code,
                                    int dose)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(vaccine_code(items[i].vaccine), code) && items[i].dose == dose)
            return &items[i];
    return NULL;
}

static const struct dose_item *must_find(const struct dose_item *items, int n, const char *code,
                                         int dose)
{
    const struct dose_item *item = find(items, n, code, dose);
    if (!item) fail_msg("no %s dose %d", code, dose);
    return item;
}

static void assert_status(const struct dose_item *items, int n, const char *code, int dose,
                          const char *status)
{
    assert_string_equal(dose_status_name(must_find(items, n, code, dose)->status), status);
}

/* The table of §13, one row a vaccine: due dates from age alone for a child born on
 * 2024-01-15 who has had nothing. */
static void table_rows_due_dates_from_age(void **state)
{
    (void)state;
    static const struct {
        const char *code;
        const char *due[4];
    } ROWS[] = {
        {"hepb", {"2024-01-15", "2024-02-15", "2024-07-15"}},
        {"bcg", {"2024-01-15"}},
        {"ipv", {"2024-03-15", "2024-04-15"}},
        {"bopv", {"2024-05-15", "2028-01-15"}},
        {"dtap", {"2024-04-15", "2024-05-15", "2024-06-15", "2025-07-15"}},
        {"dt", {"2030-01-15"}},
        {"mmr", {"2024-09-15", "2025-07-15"}},
        {"je_live", {"2024-09-15", "2026-01-15"}},
        {"mpsv_a", {"2024-07-15", "2024-10-15"}},
        {"mpsv_ac", {"2027-01-15", "2030-01-15"}},
        {"hepa_live", {"2025-07-15"}},
    };
    struct dose_item items[IMMUNISATION_MAX_DOSES];
    int n = evaluate("2024-01-15", "2024-01-15", NULL, 0, &LIVE, items);
    int expected = 0;
    for (size_t r = 0; r < sizeof ROWS / sizeof ROWS[0]; r++) {
        int doses = 0;
        for (int d = 0; d < 4 && ROWS[r].due[d]; d++, doses++)
            assert_date(must_find(items, n, ROWS[r].code, d + 1)->due_date, ROWS[r].due[d]);
        assert_null(find(items, n, ROWS[r].code, doses + 1));
        assert_int_equal(immunisation_doses((enum vaccine)vaccine_parse(ROWS[r].code), &LIVE),
                         doses);
        expected += doses;
    }
    assert_int_equal(n, expected); /* 22 doses, nothing else */
    assert_int_equal(n, 22);
    assert_null(find(items, n, "je_inact", 1));
    assert_null(find(items, n, "hepa_inact", 1));
    /* In the order of §13's codes. */
    assert_string_equal(vaccine_code(items[0].vaccine), "hepb");
    assert_string_equal(vaccine_code(items[n - 1].vaccine), "hepa_live");
}

/* Each dose's next age point (birth, 1, 2, 3, 4, 5, 6, 8, 9, 18 months, 2, 3, 4, 6, 7 years):
 * due the day before it, overdue on it. */
static void overdue_from_the_next_age_point(void **state)
{
    (void)state;
    static const struct {
        const char *code;
        int dose;
        const char *last_due, *overdue;
    } ROWS[] = {
        {"hepb", 1, "2024-02-14", "2024-02-15"}, /* birth -> 1 month */
        {"bcg", 1, "2024-02-14", "2024-02-15"},
        {"hepb", 2, "2024-03-14", "2024-03-15"}, /* 1 -> 2 months */
        {"ipv", 1, "2024-04-14", "2024-04-15"},  /* 2 -> 3 */
        {"ipv", 2, "2024-05-14", "2024-05-15"},  /* 3 -> 4 */
        {"dtap", 1, "2024-05-14", "2024-05-15"},
        {"bopv", 1, "2024-06-14", "2024-06-15"}, /* 4 -> 5 */
        {"dtap", 3, "2024-07-14", "2024-07-15"}, /* 5 -> 6 */
        {"hepb", 3, "2024-09-14", "2024-09-15"}, /* 6 -> 8 */
        {"mpsv_a", 1, "2024-09-14", "2024-09-15"},
        {"mmr", 1, "2024-10-14", "2024-10-15"}, /* 8 -> 9 */
        {"je_live", 1, "2024-10-14", "2024-10-15"},
        {"mpsv_a", 2, "2025-07-14", "2025-07-15"}, /* 9 -> 18 */
        {"dtap", 4, "2026-01-14", "2026-01-15"},   /* 18 months -> 2 years */
        {"mmr", 2, "2026-01-14", "2026-01-15"},
        {"hepa_live", 1, "2026-01-14", "2026-01-15"},
        {"je_live", 2, "2027-01-14", "2027-01-15"}, /* 2 -> 3 years */
        {"mpsv_ac", 1, "2028-01-14", "2028-01-15"}, /* 3 -> 4 */
        {"bopv", 2, "2030-01-14", "2030-01-15"},    /* 4 -> 6 */
    };
    struct dose_item items[IMMUNISATION_MAX_DOSES];
    for (size_t r = 0; r < sizeof ROWS / sizeof ROWS[0]; r++) {
        int n = evaluate("2024-01-15", ROWS[r].last_due, NULL, 0, &LIVE, items);
        assert_status(items, n, ROWS[r].code, ROWS[r].dose, "due");
        n = evaluate("2024-01-15", ROWS[r].overdue, NULL, 0, &LIVE, items);
        assert_status(items, n, ROWS[r].code, ROWS[r].dose, "overdue");
        assert_date(must_find(items, n, ROWS[r].code, ROWS[r].dose)->overdue_from, ROWS[r].overdue);
    }
}

static void upcoming_before_due_then_due_on_the_day(void **state)
{
    (void)state;
    struct dose_item items[IMMUNISATION_MAX_DOSES];
    int n = evaluate("2024-01-15", "2024-03-14", NULL, 0, &LIVE, items);
    assert_status(items, n, "ipv", 1, "upcoming");
    n = evaluate("2024-01-15", "2024-03-15", NULL, 0, &LIVE, items);
    assert_status(items, n, "ipv", 1, "due");
    /* The doses at 6 years are due until the 7th birthday, when nothing is owed. */
    n = evaluate("2024-01-15", "2031-01-14", NULL, 0, &LIVE, items);
    assert_status(items, n, "dt", 1, "due");
    assert_status(items, n, "mpsv_ac", 2, "due");
    assert_status(items, n, "hepb", 1, "overdue");
}

static void given_doses_are_done_and_push_the_next(void **state)
{
    (void)state;
    struct dose_item items[IMMUNISATION_MAX_DOSES];
    /* hepB dose 2 given late (2024-04-01): dose 3 is due from 6 months or 60 days after. */
    struct dose_given given[] = {
        {VACCINE_HEPB, 1, D("2024-01-15")},
        {VACCINE_HEPB, 2, D("2024-06-01")},
        {VACCINE_IPV, 1, D("2024-04-10")},
        {VACCINE_MPSV_A, 1, D("2024-08-01")},
    };
    int n = evaluate("2024-01-15", "2024-07-20", given, 4, &LIVE, items);
    assert_status(items, n, "hepb", 1, "done");
    assert_date(must_find(items, n, "hepb", 2)->given_on, "2024-06-01");
    assert_date(must_find(items, n, "hepb", 3)->due_date, "2024-07-31"); /* 06-01 + 60 days */
    assert_status(items, n, "hepb", 3, "upcoming");
    /* IPV 2: 3 months (04-15) or 28 days after dose 1 (05-08), the later. */
    assert_date(must_find(items, n, "ipv", 2)->due_date, "2024-05-08");
    assert_status(items, n, "ipv", 2, "overdue"); /* the 4-month point has passed */
    /* Meningococcal A 2: 9 months (10-15) or 90 days after dose 1 (10-30). */
    assert_date(must_find(items, n, "mpsv_a", 2)->due_date, "2024-10-30");
    /* Done whatever the date, even one after as_of. */
    assert_status(items, n, "mpsv_a", 1, "done");
    /* DTaP 2 with dose 1 not given: from age alone. */
    assert_date(must_find(items, n, "dtap", 2)->due_date, "2024-05-15");
}

/* A due date that falls on or after the next age point is overdue from the due date. */
static void late_due_date_is_overdue_at_once(void **state)
{
    (void)state;
    struct dose_item items[IMMUNISATION_MAX_DOSES];
    struct dose_given given[] = {{VACCINE_DTAP, 1, D("2024-05-01")},
                                 {VACCINE_DTAP, 2, D("2024-06-10")}};
    /* DTaP 3: 5 months (06-15) or dose 2 + 28 (07-08); the 6-month point (07-15) not passed. */
    int n = evaluate("2024-01-15", "2024-07-08", given, 2, &LIVE, items);
    assert_date(must_find(items, n, "dtap", 3)->due_date, "2024-07-08");
    assert_status(items, n, "dtap", 3, "due");
    struct dose_given later[] = {{VACCINE_DTAP, 1, D("2024-05-01")},
                                 {VACCINE_DTAP, 2, D("2024-07-01")}};
    n = evaluate("2024-01-15", "2024-07-28", later, 2, &LIVE, items);
    assert_date(must_find(items, n, "dtap", 3)->due_date,
                "2024-07-29"); /* past the 6-month point */
    assert_status(items, n, "dtap", 3, "upcoming");
    n = evaluate("2024-01-15", "2024-07-29", later, 2, &LIVE, items);
    assert_status(items, n, "dtap", 3, "overdue");
}

/* Catch-up never restarts a series: a dose given years late still counts, and the next
 * follows it. */
static void catch_up_continues_the_series(void **state)
{
    (void)state;
    struct dose_item items[IMMUNISATION_MAX_DOSES];
    struct dose_given given[] = {{VACCINE_MMR, 1, D("2026-03-01")}};
    int n = evaluate("2024-01-15", "2026-03-10", given, 1, &LIVE, items);
    assert_status(items, n, "mmr", 1, "done");
    assert_date(must_find(items, n, "mmr", 2)->due_date, "2026-03-29");
    assert_status(items, n, "mmr", 2, "upcoming");
    n = evaluate("2024-01-15", "2026-03-29", given, 1, &LIVE, items);
    assert_status(items, n, "mmr", 2, "overdue"); /* its 2-year point is long past */
    assert_null(find(items, n, "mmr", 3));
}

/* Born on the 31st: a month without that day gives its last day. */
static void month_end_birthdays(void **state)
{
    (void)state;
    struct dose_item items[IMMUNISATION_MAX_DOSES];
    int n = evaluate("2024-01-31", "2024-01-31", NULL, 0, &LIVE, items);
    assert_date(must_find(items, n, "hepb", 2)->due_date, "2024-02-29"); /* leap year */
    assert_date(must_find(items, n, "ipv", 1)->due_date, "2024-03-31");
    assert_date(must_find(items, n, "dtap", 1)->due_date, "2024-04-30");
    assert_date(must_find(items, n, "hepb", 3)->due_date, "2024-07-31");
    n = evaluate("2023-01-31", "2023-01-31", NULL, 0, &LIVE, items);
    assert_date(must_find(items, n, "hepb", 2)->due_date, "2023-02-28");
}

/* From the 7th birthday nothing is owed; what was given stays done. */
static void nothing_owed_from_the_seventh_birthday(void **state)
{
    (void)state;
    struct dose_item items[IMMUNISATION_MAX_DOSES];
    struct dose_given given[] = {{VACCINE_BCG, 1, D("2024-01-16")},
                                 {VACCINE_HEPB, 1, D("2024-01-15")}};
    int n = evaluate("2024-01-15", "2031-01-15", given, 2, &LIVE, items);
    assert_int_equal(n, 2);
    assert_status(items, n, "hepb", 1, "done");
    assert_status(items, n, "bcg", 1, "done");
    assert_null(immunisation_next(items, n));
    /* A dose whose due date a late previous dose pushes past the 7th birthday is not owed. */
    struct dose_given late[] = {{VACCINE_MPSV_AC, 1, D("2030-12-25")}};
    n = evaluate("2024-01-15", "2030-12-30", late, 1, &LIVE, items);
    assert_null(find(items, n, "mpsv_ac", 2));
    assert_status(items, n, "dt", 1, "due");
}

static void next_dose_is_the_earliest_not_done(void **state)
{
    (void)state;
    struct dose_item items[IMMUNISATION_MAX_DOSES];
    struct dose_given given[] = {{VACCINE_HEPB, 1, D("2024-01-15")},
                                 {VACCINE_BCG, 1, D("2024-01-15")}};
    int n = evaluate("2024-01-15", "2024-01-20", given, 2, &LIVE, items);
    const struct dose_item *next = immunisation_next(items, n);
    assert_non_null(next);
    assert_string_equal(vaccine_code(next->vaccine), "hepb");
    assert_int_equal(next->dose, 2);
    assert_date(next->due_date, "2024-02-15");
    /* An overdue dose comes before later ones. */
    n = evaluate("2024-01-15", "2024-01-20", NULL, 0, &LIVE, items);
    next = immunisation_next(items, n);
    assert_string_equal(vaccine_code(next->vaccine), "hepb");
    assert_int_equal(next->dose, 1);
}

/* The county's inactivated alternatives replace the live vaccines. */
static void inactivated_je_and_hepatitis_a(void **state)
{
    (void)state;
    const struct immunisation_choice inact = {1, 1};
    struct dose_item items[IMMUNISATION_MAX_DOSES];
    struct dose_given given[] = {{VACCINE_JE_INACT, 1, D("2024-09-15")},
                                 {VACCINE_HEPA_INACT, 1, D("2025-08-01")}};
    int n = evaluate("2024-01-15", "2024-09-20", given, 2, &inact, items);
    assert_null(find(items, n, "je_live", 1));
    assert_null(find(items, n, "hepa_live", 1));
    assert_int_equal(immunisation_doses(VACCINE_JE_LIVE, &inact), 0);
    assert_int_equal(immunisation_doses(VACCINE_JE_INACT, &inact), 4);
    assert_date(must_find(items, n, "je_inact", 2)->due_date,
                "2024-09-22"); /* 7 days after dose 1 */
    assert_status(items, n, "je_inact", 2, "upcoming");
    assert_date(must_find(items, n, "je_inact", 3)->due_date, "2026-01-15");
    assert_date(must_find(items, n, "je_inact", 4)->due_date, "2030-01-15");
    assert_date(must_find(items, n, "je_inact", 2)->overdue_from, "2024-10-15"); /* 8 -> 9 months */
    /* Hepatitis A, inactivated: 24 months, or 6 months after dose 1. */
    assert_date(must_find(items, n, "hepa_inact", 2)->due_date, "2026-02-01");
    assert_int_equal(n, 25); /* 22 - 3 live + 4 + 2 */
}

static void codes_round_trip(void **state)
{
    (void)state;
    static const char *const CODES[] = {"hepb",      "bcg",      "ipv",       "bopv",   "dtap",
                                        "dt",        "mmr",      "je_live",   "mpsv_a", "mpsv_ac",
                                        "hepa_live", "je_inact", "hepa_inact"};
    for (int v = 0; v < VACCINE_COUNT; v++) {
        assert_string_equal(vaccine_code((enum vaccine)v), CODES[v]);
        assert_int_equal(vaccine_parse(CODES[v]), v);
    }
    assert_int_equal(vaccine_parse("flu"), -1);
    assert_int_equal(vaccine_parse(NULL), -1);
    assert_string_equal(dose_status_name(DOSE_OVERDUE), "overdue");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_rows_due_dates_from_age),
        cmocka_unit_test(overdue_from_the_next_age_point),
        cmocka_unit_test(upcoming_before_due_then_due_on_the_day),
        cmocka_unit_test(given_doses_are_done_and_push_the_next),
        cmocka_unit_test(late_due_date_is_overdue_at_once),
        cmocka_unit_test(catch_up_continues_the_series),
        cmocka_unit_test(month_end_birthdays),
        cmocka_unit_test(nothing_owed_from_the_seventh_birthday),
        cmocka_unit_test(next_dose_is_the_earliest_not_done),
        cmocka_unit_test(inactivated_je_and_hepatitis_a),
        cmocka_unit_test(codes_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
