/* Unit tests: the password policy of `jiayi user add|passwd` (auth/password.c) and the
 * username rule (auth/accounts.c). */
#include <string.h>

#include "test.h"

#include "auth/accounts.h"
#include "auth/common_passwords.h"
#include "auth/password.h"

static const char *refusal(const char *password, const char *username)
{
    struct jy_error err;
    memset(&err, 0, sizeof err);
    if (password_policy_check(password, username, &err) == 0) return "accepted";
    assert_int_equal(err.status, 422);
    assert_string_equal(err.field, "password");
    return err.code;
}

static void a_long_uncommon_password_is_accepted(void **state)
{
    (void)state;
    assert_string_equal(refusal("Test-pass-1", "doctor01"), "accepted"); /* the tests' login */
    assert_string_equal(refusal("correct horse battery", "nurse7"), "accepted");
    assert_string_equal(refusal("kV9#mQ2!xR", "admin"), "accepted");
    /* no composition rule: letters alone, or a Chinese passphrase, are fine when long */
    assert_string_equal(refusal("riverstonemeadow", "nurse7"), "accepted");
    assert_string_equal(refusal("竹海边的家庭医生签约点", "doctor01"), "accepted");
}

static void fewer_than_ten_characters_is_too_short(void **state)
{
    (void)state;
    assert_string_equal(refusal("Xy7#kq2!p", "nurse7"), "password_too_short"); /* 9 */
    assert_string_equal(refusal("Xy7#kq2!pz", "nurse7"), "accepted");          /* 10 */
    assert_string_equal(refusal("", "nurse7"), "password_too_short");
}

static void length_counts_characters_not_bytes(void **state)
{
    (void)state;
    /* nine Chinese characters are 27 bytes and still too short; ten are enough */
    assert_string_equal(refusal("家庭医生签约服务真好", "nurse7"), "accepted");
    assert_string_equal(refusal("家庭医生签约服务真", "nurse7"), "password_too_short");
}

static void over_256_bytes_is_refused_not_cut(void **state)
{
    (void)state;
    char password[PASSWORD_MAX_BYTES + 2];
    for (int i = 0; i < PASSWORD_MAX_BYTES + 1; i++)
        password[i] = (char)('a' + i % 26);
    password[PASSWORD_MAX_BYTES + 1] = '\0';
    assert_string_equal(refusal(password, "nurse7"), "password_too_long");
    password[PASSWORD_MAX_BYTES] = '\0'; /* exactly 256 bytes */
    assert_string_equal(refusal(password, "nurse7"), "accepted");
    /* 86 three-byte characters are 258 bytes: too long, although only 86 characters */
    char chinese[86 * 3 + 1] = "";
    for (int i = 0; i < 86; i++)
        strcat(chinese, i % 2 ? "医" : "家");
    assert_string_equal(refusal(chinese, "nurse7"), "password_too_long");
}

static void the_username_inside_the_password_is_refused_in_any_case(void **state)
{
    (void)state;
    assert_string_equal(refusal("doctor01", "doctor01"), "password_too_short");
    assert_string_equal(refusal("Doctor01-2026", "doctor01"), "password_contains_username");
    assert_string_equal(refusal("my-DOCTOR01-pass", "doctor01"), "password_contains_username");
    assert_string_equal(refusal("zhangsan-clinic", "ZhangSan"), "password_contains_username");
    /* a username of one or two characters only when the whole password is it */
    assert_string_equal(refusal("Xy7#kq2!pzab", "ab"), "accepted");
    assert_string_equal(refusal("Xy7#kq2!pz", "xy7#kq2!pz"), "password_contains_username");
}

static void common_passwords_are_refused(void **state)
{
    (void)state;
    const char *common[] = {"1234567890",   "1qaz2wsx3edc", "woaini1314",    "qwertyuiop",
                            "a123456789",   "8888888888",   "administrator", "Password123",
                            "PASSWORD1234", "iloveyou1314", "jiayi123456",   "qweasdzxc123"};
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++)
        assert_string_equal(refusal(common[i], "nurse7"), "password_too_common");
}

static void a_common_word_with_digits_and_symbols_around_it_is_common(void **state)
{
    (void)state;
    assert_string_equal(refusal("Password2024!", "nurse7"), "password_too_common");
    assert_string_equal(refusal("@admin123456", "nurse7"), "password_too_common");
    assert_string_equal(refusal("1314woaini520", "nurse7"), "password_too_common");
    assert_string_equal(refusal("qwerty!!!!!!", "nurse7"), "password_too_common");
    /* a common word inside other words is not: only digits and symbols are stripped */
    assert_string_equal(refusal("passwordless-gate", "nurse7"), "accepted");
}

static void repeats_and_straight_runs_are_common(void **state)
{
    (void)state;
    assert_string_equal(refusal("zzzzzzzzzzzz", "nurse7"), "password_too_common");
    assert_string_equal(refusal("1212121212", "nurse7"), "password_too_common");
    assert_string_equal(refusal("abcabcabcabc", "nurse7"), "password_too_common");
    assert_string_equal(refusal("abcdefghijkl", "nurse7"), "password_too_common");
    assert_string_equal(refusal("9876543210", "nurse7"), "password_too_common");
    assert_string_equal(refusal("哈哈哈哈哈哈哈哈哈哈", "nurse7"), "password_too_common");
    assert_string_equal(refusal("abcdabcdab", "nurse7"), "accepted"); /* four distinct */
}

static void control_characters_and_broken_utf8_are_invalid(void **state)
{
    (void)state;
    assert_string_equal(refusal("Xy7#kq2!pz\tab", "nurse7"), "password_invalid");
    assert_string_equal(refusal("Xy7#kq2!pz\x7f", "nurse7"), "password_invalid");
    assert_string_equal(refusal("Xy7#kq2!pz\xe5\xae", "nurse7"), "password_invalid");
    assert_string_equal(refusal("Xy7#kq2!pz\xc0\xaf", "nurse7"), "password_invalid"); /* overlong */
}

static void the_common_list_is_lower_case_and_has_hundreds(void **state)
{
    (void)state;
    assert_true(COMMON_PASSWORD_COUNT >= 300);
    for (size_t i = 0; i < COMMON_PASSWORD_COUNT; i++) {
        for (const char *p = COMMON_PASSWORDS[i]; *p; p++)
            assert_false(*p >= 'A' && *p <= 'Z');
        assert_true(password_is_common(COMMON_PASSWORDS[i]));
    }
}

static void the_demo_rule_is_unchanged_but_bounded(void **state)
{
    (void)state;
    assert_true(password_is_strong_enough("Test-pass-1"));
    assert_true(password_is_strong_enough("abcd1234"));
    assert_false(password_is_strong_enough("abcdefgh"));
    char long_one[PASSWORD_MAX_BYTES + 2];
    memset(long_one, 'a', sizeof long_one - 1);
    long_one[0] = '1';
    long_one[sizeof long_one - 1] = '\0';
    assert_false(password_is_strong_enough(long_one));
}

static void usernames_are_short_visible_text(void **state)
{
    (void)state;
    struct jy_error err;
    assert_int_equal(account_check_username("doctor01", &err), 0);
    assert_int_equal(account_check_username("张医生", &err), 0);
    assert_int_equal(account_check_username("", &err), -1);
    assert_string_equal(err.code, "invalid_username");
    assert_int_equal(account_check_username("dr zhang", &err), -1);
    assert_int_equal(account_check_username("dr\tzhang", &err), -1);
    assert_int_equal(account_check_username("dr\xe5", &err), -1);
    char name[USERNAME_MAX_CHARS + 2];
    memset(name, 'a', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    assert_int_equal(account_check_username(name, &err), -1);
    name[USERNAME_MAX_CHARS] = '\0';
    assert_int_equal(account_check_username(name, &err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_long_uncommon_password_is_accepted),
        cmocka_unit_test(fewer_than_ten_characters_is_too_short),
        cmocka_unit_test(length_counts_characters_not_bytes),
        cmocka_unit_test(over_256_bytes_is_refused_not_cut),
        cmocka_unit_test(the_username_inside_the_password_is_refused_in_any_case),
        cmocka_unit_test(common_passwords_are_refused),
        cmocka_unit_test(a_common_word_with_digits_and_symbols_around_it_is_common),
        cmocka_unit_test(repeats_and_straight_runs_are_common),
        cmocka_unit_test(control_characters_and_broken_utf8_are_invalid),
        cmocka_unit_test(the_common_list_is_lower_case_and_has_hundreds),
        cmocka_unit_test(the_demo_rule_is_unchanged_but_bounded),
        cmocka_unit_test(usernames_are_short_visible_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
