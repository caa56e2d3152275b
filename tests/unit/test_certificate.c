/* Unit tests: the chronic-disease outpatient certificate (issue 19): the diseases and the
 * ICD-10 groups that qualify, every transition allowed and refused, the default term and the
 * renewal's due date. */
#include "test.h"

#include "domain/certificate.h"

static void diagnoses_qualify_by_group(void **state)
{
    (void)state;
    static const struct {
        const char *disease, *code;
        int ok;
    } ROWS[] = {
        {"hypertension", "I10", 1}, {"hypertension", "I11.9", 1}, {"hypertension", "I14", 0},
        {"diabetes", "E11.9", 1},   {"diabetes", "E10", 1},       {"diabetes", "E15", 0},
        {"coronary", "I25.1", 1},   {"coronary", "I19", 0},       {"stroke", "I69.3", 1},
        {"stroke", "I63.9", 0},     {"copd", "J44.1", 1},         {"smd", "F20.0", 1},
        {"smd", "F32", 0},          {"ckd", "N18.5", 1},          {"hypertension", "E11", 0},
        {"cancer", "C34", 0},       {"hypertension", "I100", 0},  {"hypertension", "", 0},
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++)
        assert_int_equal(cert_diagnosis_qualifies(ROWS[i].disease, ROWS[i].code), ROWS[i].ok);
    assert_true(cert_disease_valid("ckd"));
    assert_false(cert_disease_valid("cancer"));
    assert_false(cert_disease_valid(NULL));
}

static void every_transition(void **state)
{
    (void)state;
    /* ALLOWED[from][to] */
    static const int ALLOWED[CERT_STATUS_COUNT][CERT_STATUS_COUNT] = {
        /* to:            scr not pre gra rej exp */
        [CERT_SCREENED] = {0, 1, 0, 0, 0, 0},     [CERT_NOTIFIED] = {0, 0, 1, 0, 0, 0},
        [CERT_PRE_REVIEWED] = {0, 0, 0, 1, 1, 0}, [CERT_GRANTED] = {0, 0, 1, 0, 0, 1},
        [CERT_REJECTED] = {0, 0, 1, 0, 0, 0},     [CERT_EXPIRED] = {0, 0, 1, 0, 0, 0},
    };
    for (int from = 0; from < CERT_STATUS_COUNT; from++)
        for (int to = 0; to < CERT_STATUS_COUNT; to++)
            assert_int_equal(cert_transition_allowed((enum cert_status)from, (enum cert_status)to),
                             ALLOWED[from][to]);
}

static void term_and_renewal(void **state)
{
    (void)state;
    assert_date(cert_default_end(D("2026-03-15")), "2028-03-14");
    assert_date(cert_default_end(D("2024-02-29")), "2026-02-27");
    assert_date(cert_renewal_due(D("2028-03-14"), D("2026-03-15")), "2028-02-13");
    assert_date(cert_renewal_due(D("2026-12-20"), D("2026-12-07")),
                "2026-12-07"); /* already inside */
    for (int s = 0; s < CERT_STATUS_COUNT; s++)
        assert_int_equal(cert_status_parse(cert_status_name((enum cert_status)s)), s);
    assert_int_equal(cert_status_parse("approved"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(diagnoses_qualify_by_group),
        cmocka_unit_test(every_transition),
        cmocka_unit_test(term_and_renewal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
