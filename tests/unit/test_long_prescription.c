/* Unit tests: the long prescription rule, the extended prescription's source and the drugs a
 * prescription may hold (domain/long_prescription.c), row by row, every reason alone and
 * together, with the [jiayi] windows as settings. */
#include "test.h"

#include "domain/long_prescription.h"

static struct date d(const char *text)
{
    struct date out;
    assert_int_equal(date_parse(text, &out), 0);
    return out;
}

static rx_reasons bits(enum rx_reason a) { return RX_BIT(a); }

/* One row of the long prescription table. */
struct long_row {
    const char *name;
    int enrolled, has_followup;
    const char *followup_date, *classification, *adherence;
    int has_days, days;
    rx_reasons expected;
};

static void long_prescription_table(void **state)
{
    (void)state;
    const struct long_row rows[] = {
        {"stable adherent, 28 days", 1, 1, "2025-05-01", "controlled", "regular", 1, 28, 0},
        {"stable adherent, 56 days", 1, 1, "2025-05-01", "controlled", "regular", 1, 56, 0},
        {"the check without days", 1, 1, "2025-05-01", "controlled", "regular", 0, 0, 0},
        {"follow-up exactly 90 days old", 1, 1, "2025-03-02", "controlled", "regular", 1, 30, 0},
        {"not enrolled", 0, 1, "2025-05-01", "controlled", "regular", 1, 30, bits(RX_NOT_ENROLLED)},
        {"no follow-up", 1, 0, NULL, NULL, NULL, 1, 30, bits(RX_NO_FOLLOWUP)},
        {"follow-up 91 days old", 1, 1, "2025-03-01", "controlled", "regular", 1, 30,
         bits(RX_FOLLOWUP_TOO_OLD)},
        {"first uncontrolled", 1, 1, "2025-05-01", "first_uncontrolled", "regular", 1, 30,
         bits(RX_NOT_CONTROLLED)},
        {"no classification", 1, 1, "2025-05-01", NULL, "regular", 1, 30, bits(RX_NOT_CONTROLLED)},
        {"intermittent", 1, 1, "2025-05-01", "controlled", "intermittent", 1, 30,
         bits(RX_NOT_ADHERENT)},
        {"not taking", 1, 1, "2025-05-01", "controlled", "none", 1, 30, bits(RX_NOT_ADHERENT)},
        {"adherence unrecorded", 1, 1, "2025-05-01", "controlled", NULL, 1, 30,
         bits(RX_NOT_ADHERENT)},
        {"27 days", 1, 1, "2025-05-01", "controlled", "regular", 1, 27, bits(RX_DAYS_OUT_OF_RANGE)},
        {"57 days", 1, 1, "2025-05-01", "controlled", "regular", 1, 57, bits(RX_DAYS_OUT_OF_RANGE)},
        {"everything wrong at once", 0, 1, "2024-01-01", "emergency", "none", 1, 90,
         bits(RX_NOT_ENROLLED) | bits(RX_FOLLOWUP_TOO_OLD) | bits(RX_NOT_CONTROLLED) |
             bits(RX_NOT_ADHERENT) | bits(RX_DAYS_OUT_OF_RANGE)},
        {"no follow-up, not enrolled, 7 days", 0, 0, NULL, NULL, NULL, 1, 7,
         bits(RX_NOT_ENROLLED) | bits(RX_NO_FOLLOWUP) | bits(RX_DAYS_OUT_OF_RANGE)},
    };
    struct protocol_config c = protocol_config_default();
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const struct long_row *w = &rows[i];
        struct long_rx_facts f = {.enrolled = w->enrolled,
                                  .has_followup = w->has_followup,
                                  .classification = w->classification,
                                  .adherence = w->adherence,
                                  .has_days = w->has_days,
                                  .days = w->days,
                                  .today = d("2025-05-31")};
        if (w->followup_date) f.followup_date = d(w->followup_date);
        rx_reasons got = long_prescription_check(&f, &c);
        if (got != w->expected) fail_msg("%s: got %#x, expected %#x", w->name, got, w->expected);
    }
}

static void long_prescription_windows_are_settings(void **state)
{
    (void)state;
    struct protocol_config c = protocol_config_default();
    struct long_rx_facts f = {.enrolled = 1, .has_followup = 1, .followup_date = d("2025-04-01"),
                              .classification = "controlled", .adherence = "regular",
                              .has_days = 1, .days = 60, .today = d("2025-05-31")};
    assert_int_equal(long_prescription_check(&f, &c), bits(RX_DAYS_OUT_OF_RANGE));
    c.long_prescription_max_days = 60;
    assert_int_equal(long_prescription_check(&f, &c), 0);
    c.long_prescription_followup_days = 30;
    assert_int_equal(long_prescription_check(&f, &c), bits(RX_FOLLOWUP_TOO_OLD));
    f.days = 20;
    c.long_prescription_min_days = 14;
    c.long_prescription_followup_days = 90;
    assert_int_equal(long_prescription_check(&f, &c), 0);
    /* The minimum above the maximum is refused as a setting. */
    const char *bad = NULL;
    c.long_prescription_min_days = 61;
    assert_int_equal(protocol_config_check(&c, &bad), -1);
    assert_string_equal(bad, "long_prescription_min_days");
}

struct source_row {
    const char *level, *date;
    rx_reasons expected;
};

static void extended_source_table(void **state)
{
    (void)state;
    const struct source_row rows[] = {
        {"tertiary", "2025-05-30", 0},
        {"secondary", "2025-03-02", 0}, /* exactly 90 days */
        {"secondary", "2025-05-31", 0}, /* today */
        {"primary", "2025-05-30", bits(RX_SOURCE_NOT_HOSPITAL)},
        {"village", "2025-05-30", bits(RX_SOURCE_NOT_HOSPITAL)},
        {NULL, "2025-05-30", bits(RX_SOURCE_NOT_HOSPITAL)},
        {"tertiary", "2025-03-01", bits(RX_SOURCE_TOO_OLD)},
        {"tertiary", "2025-06-01", bits(RX_SOURCE_IN_FUTURE)},
        {"primary", "2024-01-01", bits(RX_SOURCE_NOT_HOSPITAL) | bits(RX_SOURCE_TOO_OLD)},
    };
    struct protocol_config c = protocol_config_default();
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        rx_reasons got = extended_source_check(rows[i].level, d(rows[i].date), d("2025-05-31"), &c);
        if (got != rows[i].expected)
            fail_msg("row %zu: got %#x, expected %#x", i, got, rows[i].expected);
    }
    c.extended_source_days = 30;
    assert_int_equal(extended_source_check("tertiary", d("2025-04-30"), d("2025-05-31"), &c),
                     bits(RX_SOURCE_TOO_OLD));
}

struct drug_row {
    enum rx_kind kind;
    int primary_care, village, pickup_at_village;
    rx_reasons expected;
};

static void drug_table(void **state)
{
    (void)state;
    const struct drug_row rows[] = {
        {RX_ORDINARY, 1, 1, 1, 0},
        {RX_ORDINARY, 1, 0, 0, 0}, /* a courier or the township's pharmacy */
        {RX_ORDINARY, 0, 1, 0, bits(RX_DRUG_NOT_ON_PRIMARY_LIST)},
        {RX_LONG, 0, 1, 0, bits(RX_DRUG_NOT_ON_PRIMARY_LIST)},
        {RX_EXTENDED, 0, 1, 0, 0},
        {RX_EXTENDED, 0, 0, 0, 0},
        {RX_ORDINARY, 1, 0, 1, bits(RX_DRUG_NOT_AT_VILLAGE)},
        {RX_EXTENDED, 0, 0, 1, bits(RX_DRUG_NOT_AT_VILLAGE)},
        {RX_LONG, 0, 0, 1, bits(RX_DRUG_NOT_ON_PRIMARY_LIST) | bits(RX_DRUG_NOT_AT_VILLAGE)},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const struct drug_row *w = &rows[i];
        rx_reasons got = prescription_drug_check(w->kind, w->primary_care, w->village, w->pickup_at_village);
        if (got != w->expected) fail_msg("row %zu: got %#x, expected %#x", i, got, w->expected);
    }
}

static void reason_codes_and_kinds(void **state)
{
    (void)state;
    assert_string_equal(rx_reason_code(RX_NOT_ENROLLED), "not_enrolled");
    assert_string_equal(rx_reason_code(RX_NO_FOLLOWUP), "no_followup");
    assert_string_equal(rx_reason_code(RX_FOLLOWUP_TOO_OLD), "followup_too_old");
    assert_string_equal(rx_reason_code(RX_NOT_CONTROLLED), "not_controlled");
    assert_string_equal(rx_reason_code(RX_NOT_ADHERENT), "not_adherent");
    assert_string_equal(rx_reason_code(RX_DAYS_OUT_OF_RANGE), "days_out_of_range");
    assert_string_equal(rx_reason_code(RX_SOURCE_NOT_HOSPITAL), "source_not_hospital");
    assert_string_equal(rx_reason_code(RX_SOURCE_TOO_OLD), "source_too_old");
    assert_string_equal(rx_reason_code(RX_SOURCE_IN_FUTURE), "source_in_future");
    assert_string_equal(rx_reason_code(RX_DRUG_NOT_ON_PRIMARY_LIST), "drug_not_on_primary_list");
    assert_string_equal(rx_reason_code(RX_DRUG_NOT_AT_VILLAGE), "drug_not_at_village");
    assert_string_equal(rx_reason_code(RX_REASON_COUNT), "unknown");
    assert_int_equal(rx_kind_parse("ordinary"), RX_ORDINARY);
    assert_int_equal(rx_kind_parse("long"), RX_LONG);
    assert_int_equal(rx_kind_parse("extended"), RX_EXTENDED);
    assert_int_equal(rx_kind_parse("urgent"), -1);
    assert_int_equal(rx_kind_parse(NULL), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(long_prescription_table),
        cmocka_unit_test(long_prescription_windows_are_settings),
        cmocka_unit_test(extended_source_table),
        cmocka_unit_test(drug_table),
        cmocka_unit_test(reason_codes_and_kinds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
