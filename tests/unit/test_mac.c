/* test_mac.c - the audit chain's MACs (util/mac.c): SM3 against GB/T 32905's own examples,
 * HMAC-SM3 and HMAC-SHA-256 against values of an independent implementation (Node's crypto),
 * and the names the key file and JIAYI_AUDIT_MAC use. */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mac.h"

static void hex(const unsigned char *bytes, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", bytes[i]);
}

static void sm3_matches_the_standards_examples(void **state)
{
    (void)state;
    unsigned char d[MAC_BYTES];
    char text[2 * MAC_BYTES + 1];
    /* GB/T 32905-2016, appendix A: "abc", and "abcd" sixteen times. */
    assert_int_equal(mac_sm3("abc", 3, d), 0);
    hex(d, sizeof d, text);
    assert_string_equal(text, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    char sixty_four[65] = "";
    for (int i = 0; i < 16; i++)
        strcat(sixty_four, "abcd");
    assert_int_equal(mac_sm3(sixty_four, 64, d), 0);
    hex(d, sizeof d, text);
    assert_string_equal(text, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
}

static void hmacs_match_an_independent_implementation(void **state)
{
    (void)state;
    static const struct {
        enum mac_alg alg;
        const char *tag;
    } ROWS[] = {
        {MAC_HMAC_SM3, "c0ba18c68b90c88bc07de794bfc7d2c8d19ec31ed8773bc2b390c9604e0be11e"},
        {MAC_HMAC_SHA256, "198a607eb44bfbc69903a0f1cf2bbdc5ba0aa3f3d9ae3c1c7a3b1696a0b68cf7"},
    };
    unsigned char key[MAC_KEY_BYTES], tag[MAC_BYTES];
    memset(key, 0x0b, sizeof key);
    char text[2 * MAC_BYTES + 1];
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        assert_int_equal(mac_compute(ROWS[i].alg, key, "Hi There", 8, tag), 0);
        hex(tag, sizeof tag, text);
        if (strcmp(text, ROWS[i].tag) != 0)
            fail_msg("%s: %s, not %s", mac_alg_name(ROWS[i].alg), text, ROWS[i].tag);
    }
    /* A different key, a different tag: it is keyed. */
    unsigned char other[MAC_BYTES];
    key[0] ^= 1;
    assert_int_equal(mac_compute(MAC_HMAC_SM3, key, "Hi There", 8, other), 0);
    hex(other, sizeof other, text);
    assert_string_not_equal(text, ROWS[0].tag);
}

static void names_and_the_default(void **state)
{
    (void)state;
    enum mac_alg alg = MAC_HMAC_SHA256;
    assert_int_equal(mac_alg_parse("hmac-sm3", &alg), 0);
    assert_int_equal(alg, MAC_HMAC_SM3);
    assert_int_equal(mac_alg_parse("hmac-sha256", &alg), 0);
    assert_int_equal(alg, MAC_HMAC_SHA256);
    assert_int_equal(mac_alg_parse("sm3", &alg), -1);
    assert_int_equal(mac_alg_parse(NULL, &alg), -1);
    assert_string_equal(mac_alg_name(MAC_HMAC_SM3), "hmac-sm3");
    unsetenv("JIAYI_AUDIT_MAC");
    assert_int_equal(mac_alg_default(), MAC_HMAC_SM3);
    setenv("JIAYI_AUDIT_MAC", "hmac-sha256", 1);
    assert_int_equal(mac_alg_default(), MAC_HMAC_SHA256);
    setenv("JIAYI_AUDIT_MAC", "md5", 1);
    assert_int_equal(mac_alg_default(), MAC_HMAC_SM3);
    unsetenv("JIAYI_AUDIT_MAC");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sm3_matches_the_standards_examples),
        cmocka_unit_test(hmacs_match_an_independent_implementation),
        cmocka_unit_test(names_and_the_default),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
