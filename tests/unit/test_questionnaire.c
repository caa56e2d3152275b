/* Unit tests: scoring a questionnaire from its declaration (domain/questionnaire.c) - the
 * revised Wake Forest physician trust scale's table with its reverse-scored items, dimension
 * means, and the validation of a response. */
#include "test.h"

#include <string.h>

#include "domain/questionnaire.h"

/* The revised 10-item Wake Forest scale as migration 030 declares it: items 2, 3, 8 reverse. */
static struct questionnaire wake_forest(void)
{
    static const struct {
        int reverse;
        const char *dimension;
    } ITEMS[10] = {{0, "benevolence"}, {1, "benevolence"}, {1, "competence"},  {0, "competence"},
                   {0, "competence"},  {0, "benevolence"}, {0, "benevolence"}, {1, "benevolence"},
                   {0, "competence"},  {0, "competence"}};
    struct questionnaire q = {.count = 10};
    for (int i = 0; i < 10; i++) {
        q.items[i] = (struct questionnaire_item){
            .n = i + 1, .min = 1, .max = 5, .reverse = ITEMS[i].reverse};
        strcpy(q.items[i].dimension, ITEMS[i].dimension);
    }
    return q;
}

static void answers_of(const int values[10], struct questionnaire_answer out[10])
{
    for (int i = 0; i < 10; i++)
        out[i] = (struct questionnaire_answer){i + 1, values[i]};
}

static void reverse_items_score_min_plus_max_minus_value(void **state)
{
    (void)state;
    struct questionnaire q = wake_forest();
    for (int v = 1; v <= 5; v++) {
        assert_int_equal(questionnaire_scored(&q.items[0], v), v);
        assert_int_equal(questionnaire_scored(&q.items[1], v), 6 - v);
        assert_int_equal(questionnaire_scored(&q.items[2], v), 6 - v);
        assert_int_equal(questionnaire_scored(&q.items[7], v), 6 - v);
    }
    struct questionnaire_item wide = {.n = 1, .min = 0, .max = 10, .reverse = 1, .dimension = "x"};
    assert_int_equal(questionnaire_scored(&wide, 3), 7);
}

static void wake_forest_totals_run_from_10_to_50(void **state)
{
    (void)state;
    struct questionnaire q = wake_forest();
    struct questionnaire_answer a[10];
    struct questionnaire_score s;
    struct jy_error err;
    static const struct {
        int values[10];
        int total;
        double benevolence, competence;
    } ROWS[] = {
        /* complete trust: agree with the trusting items, disagree with the others */
        {{5, 1, 1, 5, 5, 5, 5, 1, 5, 5}, 50, 5.0, 5.0},
        /* no trust at all */
        {{1, 5, 5, 1, 1, 1, 1, 5, 1, 1}, 10, 1.0, 1.0},
        /* "agree" with everything, reverse items included: 7 x 4 + 3 x 2 */
        {{4, 4, 4, 4, 4, 4, 4, 4, 4, 4}, 34, (4 + 2 + 4 + 4 + 2) / 5.0, (2 + 4 + 4 + 4 + 4) / 5.0},
        /* all neutral */
        {{3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, 30, 3.0, 3.0},
        /* mixed: 5+ (6-2)+ (6-4)+ 3+ 4+ 5+ 4+ (6-1)+ 3+ 4 = 39 */
        {{5, 2, 4, 3, 4, 5, 4, 1, 3, 4}, 39, (5 + 4 + 5 + 4 + 5) / 5.0, (2 + 3 + 4 + 3 + 4) / 5.0},
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        answers_of(ROWS[i].values, a);
        assert_int_equal(questionnaire_score(&q, a, 10, &s, &err), 0);
        assert_int_equal(s.total, ROWS[i].total);
        assert_int_equal(s.min_total, 10);
        assert_int_equal(s.max_total, 50);
        assert_int_equal(s.dimension_count, 2);
        assert_string_equal(s.dimension[0], "benevolence");
        assert_string_equal(s.dimension[1], "competence");
        assert_float_equal(s.dimension_mean[0], ROWS[i].benevolence, 1e-9);
        assert_float_equal(s.dimension_mean[1], ROWS[i].competence, 1e-9);
        assert_int_equal(s.value[1], ROWS[i].values[1]);
        assert_int_equal(s.scored[1], 6 - ROWS[i].values[1]);
    }
}

static void answers_may_come_in_any_order(void **state)
{
    (void)state;
    struct questionnaire q = wake_forest();
    struct questionnaire_answer a[10];
    struct questionnaire_score s;
    struct jy_error err;
    for (int i = 0; i < 10; i++)
        a[i] = (struct questionnaire_answer){10 - i, 10 - i == 3 ? 1 : 5};
    assert_int_equal(questionnaire_score(&q, a, 10, &s, &err), 0);
    /* items 2 and 8 answered 5 score 1; item 3 answered 1 scores 5 */
    assert_int_equal(s.total, 7 * 5 + 1 + 1 + 5);
}

static void a_missing_item_is_named(void **state)
{
    (void)state;
    struct questionnaire q = wake_forest();
    struct questionnaire_answer a[10];
    struct questionnaire_score s;
    struct jy_error err;
    static const int ALL3[10] = {3, 3, 3, 3, 3, 3, 3, 3, 3, 3};
    answers_of(ALL3, a);
    a[6] = a[9]; /* item 7 left out, item 10 in its place */
    assert_int_equal(questionnaire_score(&q, a, 9, &s, &err), -1);
    assert_int_equal(err.status, 422);
    assert_string_equal(err.code, "missing_answer");
    assert_string_equal(err.field, "answers");
    assert_string_equal(err.value, "7");
    assert_int_equal(questionnaire_score(&q, a, 0, &s, &err), -1);
    assert_string_equal(err.value, "1");
}

static void an_item_twice_or_unknown_or_off_the_scale_is_named(void **state)
{
    (void)state;
    struct questionnaire q = wake_forest();
    struct questionnaire_answer a[11];
    struct questionnaire_score s;
    struct jy_error err;
    static const int ALL3[10] = {3, 3, 3, 3, 3, 3, 3, 3, 3, 3};
    answers_of(ALL3, a);
    a[10] = (struct questionnaire_answer){4, 2};
    assert_int_equal(questionnaire_score(&q, a, 11, &s, &err), -1);
    assert_string_equal(err.code, "invalid_field");
    assert_string_equal(err.field, "answers[10].n");
    answers_of(ALL3, a);
    a[3].n = 11;
    assert_int_equal(questionnaire_score(&q, a, 10, &s, &err), -1);
    assert_string_equal(err.field, "answers[3].n");
    answers_of(ALL3, a);
    a[5].value = 6;
    assert_int_equal(questionnaire_score(&q, a, 10, &s, &err), -1);
    assert_string_equal(err.field, "answers[5].value");
    a[5].value = 0;
    assert_int_equal(questionnaire_score(&q, a, 10, &s, &err), -1);
    assert_string_equal(err.field, "answers[5].value");
}

static void a_declaration_must_be_sound(void **state)
{
    (void)state;
    struct questionnaire q = wake_forest();
    assert_int_equal(questionnaire_valid(&q), 0);
    q.items[4].n = 2; /* two items numbered 2 */
    assert_int_equal(questionnaire_valid(&q), -1);
    q = wake_forest();
    q.items[0].max = 1;
    assert_int_equal(questionnaire_valid(&q), -1);
    q = wake_forest();
    q.items[0].dimension[0] = 0;
    assert_int_equal(questionnaire_valid(&q), -1);
    q.count = 0;
    assert_int_equal(questionnaire_valid(&q), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reverse_items_score_min_plus_max_minus_value),
        cmocka_unit_test(wake_forest_totals_run_from_10_to_50),
        cmocka_unit_test(answers_may_come_in_any_order),
        cmocka_unit_test(a_missing_item_is_named),
        cmocka_unit_test(an_item_twice_or_unknown_or_off_the_scale_is_named),
        cmocka_unit_test(a_declaration_must_be_sound),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
