/* Unit tests: domain/protocol_lists.c, the [jiayi] settings that are lists of words: every
 * default passes its own check, and each problem a replacement can have is named with the
 * item at fault, row by row. */
#include "test.h"

#include <string.h>

#include "domain/protocol_lists.h"

static void every_default_passes_its_own_check(void **state)
{
    (void)state;
    int n = 0;
    for (const struct protocol_list *l = PROTOCOL_LISTS; l->key; l++, n++) {
        struct string_list d = protocol_list_default(l);
        size_t bad = 0;
        if (d.count == 0) fail_msg("%s has no default", l->key);
        enum protocol_list_problem p = protocol_list_check(l, d.items, d.count, &bad);
        if (p != LIST_OK) fail_msg("%s: its default fails (%d) at item %zu", l->key, p, bad);
        if (protocol_list_find(l->key) != l) fail_msg("%s is not found by its key", l->key);
    }
    assert_true(n >= 5);
    assert_null(protocol_list_find("no_such_list"));
}

static void each_problem_names_the_item(void **state)
{
    (void)state;
    const struct protocol_list *ecg = protocol_list_find("ecg_normal");
    assert_non_null(ecg);
    static const struct {
        const char *name;
        const char *items[3];
        size_t count;
        enum protocol_list_problem expected;
        size_t bad;
    } ROWS[] = {
        {"two plain words", {"正常心电图", "窦性心律"}, 2, LIST_OK, 0},
        {"an empty item", {"正常心电图", ""}, 2, LIST_ITEM_EMPTY, 1},
        {"41 characters",
         {"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一"},
         1,
         LIST_ITEM_TOO_LONG,
         0},
        {"40 characters are fine",
         {"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"},
         1,
         LIST_OK,
         0},
        {"the same word twice, case aside",
         {"Normal ECG", "窦性心律", "normal ecg"},
         3,
         LIST_ITEM_DUPLICATE,
         2},
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        size_t bad = 99;
        enum protocol_list_problem p = protocol_list_check(ecg, ROWS[i].items, ROWS[i].count, &bad);
        if (p != ROWS[i].expected)
            fail_msg("row %zu (%s): problem %d, expected %d", i, ROWS[i].name, p, ROWS[i].expected);
        if (p != LIST_OK && bad != ROWS[i].bad)
            fail_msg("row %zu (%s): item %zu, expected %zu", i, ROWS[i].name, bad, ROWS[i].bad);
    }
    const char *many[PROTOCOL_LIST_MAX_ITEMS + 1];
    for (size_t i = 0; i <= PROTOCOL_LIST_MAX_ITEMS; i++)
        many[i] = "x";
    size_t bad;
    assert_int_equal(protocol_list_check(ecg, many, PROTOCOL_LIST_MAX_ITEMS + 1, &bad),
                     LIST_TOO_MANY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_default_passes_its_own_check),
        cmocka_unit_test(each_problem_names_the_item),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
