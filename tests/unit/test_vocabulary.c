/* Unit tests: domain/vocabulary.c, the closed lists the API accepts and serves: each ends,
 * is not empty, holds each word once, and every institution kind has a grading that is
 * itself a level. */
#include "test.h"

#include <string.h>

#include "domain/vocabulary.h"

static int in(const char *const *words, const char *word)
{
    for (; *words; words++)
        if (!strcmp(*words, word)) return 1;
    return 0;
}

static void each_list_is_a_set_of_words(void **state)
{
    (void)state;
    for (size_t i = 0; i < VOCABULARY_COUNT; i++) {
        const char *const *w = VOCABULARIES[i].words;
        int n = 0;
        for (; w[n]; n++) {
            if (!*w[n]) fail_msg("%s: an empty word", VOCABULARIES[i].name);
            for (int k = 0; k < n; k++)
                if (!strcmp(w[k], w[n])) fail_msg("%s: %s twice", VOCABULARIES[i].name, w[n]);
        }
        if (n == 0) fail_msg("%s is empty", VOCABULARIES[i].name);
        for (size_t k = 0; k < i; k++)
            if (!strcmp(VOCABULARIES[k].name, VOCABULARIES[i].name))
                fail_msg("%s twice", VOCABULARIES[i].name);
    }
}

static void every_kind_has_a_level(void **state)
{
    (void)state;
    for (int i = 0; INSTITUTION_KINDS[i]; i++)
        if (!in(INSTITUTION_LEVELS, INSTITUTION_KIND_LEVELS[i]))
            fail_msg("%s: %s is not a level", INSTITUTION_KINDS[i], INSTITUTION_KIND_LEVELS[i]);
    /* What the rest relies on: the 1+1+1 partners are hospitals, signing online exists. */
    assert_true(in(INSTITUTION_KINDS, "county_hospital") && in(CONTRACT_CHANNELS, "online"));
    assert_true(in(STAFF_PROFESSIONS, "village_doctor") && in(FEE_RULE_KINDS, "percent"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_list_is_a_set_of_words),
        cmocka_unit_test(every_kind_has_a_level),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
