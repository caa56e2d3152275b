/* Unit tests: domain/findings.c, the finding codes a follow-up records (API.md "Finding
 * codes"): every code reads back as its finding, codes are distinct, unknown ones refused. */
#include "test.h"

#include <string.h>

#include "domain/findings.h"

static void every_finding_has_a_code_that_reads_back(void **state)
{
    (void)state;
    for (int f = 0; f < FINDING_COUNT; f++) {
        const char *code = finding_code((enum finding)f);
        if (!code || !*code) fail_msg("finding %d has no code", f);
        if (finding_parse(code) != f)
            fail_msg("%s reads back as %d, not %d", code, finding_parse(code), f);
        for (int g = 0; g < f; g++)
            if (!strcmp(code, finding_code((enum finding)g)))
                fail_msg("%s is the code of two findings", code);
    }
    assert_true(FINDING_COUNT <= 32); /* a finding_set is 32 bits */
}

static void api_md_codes_are_known_and_others_refused(void **state)
{
    (void)state;
    /* A few of API.md's table, each in its own spelling. */
    static const char *const KNOWN[] = {"severe_headache", "chest_tightness", "acetone_breath",
                                        "psychotic_symptoms", "adverse_reaction"};
    for (size_t i = 0; i < sizeof KNOWN / sizeof KNOWN[0]; i++)
        if (finding_parse(KNOWN[i]) < 0) fail_msg("%s is unknown", KNOWN[i]);
    assert_int_equal(finding_parse("Severe_Headache"), -1);
    assert_int_equal(finding_parse("headache"), -1);
    assert_int_equal(finding_parse(""), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_finding_has_a_code_that_reads_back),
        cmocka_unit_test(api_md_codes_are_known_and_others_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
