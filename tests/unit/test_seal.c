/* test_seal.c - ID numbers and phones sealed at rest (util/seal.c): both ciphers open what
 * they seal and nothing else (a changed byte, another key, a forged key id), equal values
 * give equal digests and the digests are keyed, a plaintext of before passes through, and a
 * key rotated in by another process is found by reading the file again. */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/seal.h"

static char path[64];

static void fresh_keys(enum seal_cipher cipher)
{
    snprintf(path, sizeof path, "/tmp/jiayi-seal-%d.key", (int)getpid());
    unlink(path);
    setenv("JIAYI_PII_CIPHER", seal_cipher_name(cipher), 1);
    struct jy_error err;
    assert_int_equal(seal_keys_open(path, 1, &err), 0);
    unsetenv("JIAYI_PII_CIPHER");
}

static void round_trip(enum seal_cipher cipher)
{
    fresh_keys(cipher);
    const char *values[] = {"511524198608318814", "15069053899", "x", ""};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char sealed[SEAL_TEXT_MAX], again[SEAL_TEXT_MAX], plain[SEAL_PLAIN_MAX + 1];
        assert_int_equal(seal_text(values[i], sealed), 0);
        assert_true(seal_is_sealed(sealed));
        assert_int_equal(seal_key_of(sealed), 1);
        if (strlen(values[i]) >= 8) assert_null(strstr(sealed, values[i])); /* not in clear */
        assert_int_equal(seal_open(sealed, plain), 0);
        assert_string_equal(plain, values[i]);
        /* a fresh IV each time: the same number never seals to the same text */
        assert_int_equal(seal_text(values[i], again), 0);
        assert_string_not_equal(sealed, again);
    }
}

static void sm4_and_aes_open_what_they_seal(void **state)
{
    (void)state;
    round_trip(SEAL_SM4);
    round_trip(SEAL_AES256GCM);
    unlink(path);
}

static void a_changed_or_forged_value_does_not_open(void **state)
{
    (void)state;
    for (int c = 0; c < 2; c++) {
        fresh_keys(c ? SEAL_AES256GCM : SEAL_SM4);
        char sealed[SEAL_TEXT_MAX], plain[SEAL_PLAIN_MAX + 1];
        assert_int_equal(seal_text("511524198608318814", sealed), 0);
        for (size_t i = 5; sealed[i]; i++) { /* every character of the payload, in turn */
            char bad[SEAL_TEXT_MAX];
            strcpy(bad, sealed);
            bad[i] = bad[i] == 'A' ? 'B' : 'A';
            if (seal_open(bad, plain) == 0 && strcmp(plain, "511524198608318814") == 0)
                continue; /* base64's last character may carry unused bits */
            assert_int_equal(seal_open(bad, plain), -1);
        }
        char forged[SEAL_TEXT_MAX];
        snprintf(forged, sizeof forged, "v1.7.%s", strchr(sealed + 3, '.') + 1);
        assert_int_equal(seal_open(forged, plain), -1); /* a key the file does not hold */
        assert_int_equal(seal_open("v1.1.", plain), -1);
        assert_int_equal(seal_open("v1.1.!!!", plain), -1);
    }
    unlink(path);
}

static void digests_are_equal_for_equal_values_and_keyed(void **state)
{
    (void)state;
    fresh_keys(SEAL_SM4);
    char a[SEAL_DIGEST_TEXT], b[SEAL_DIGEST_TEXT], c[SEAL_DIGEST_TEXT];
    assert_int_equal(seal_digest("id", "511524198608318814", a), 0);
    assert_int_equal(seal_digest("id", "511524198608318814", b), 0);
    assert_string_equal(a, b);
    assert_int_equal(seal_digest("phone", "511524198608318814", c), 0);
    assert_string_not_equal(a, c); /* the label is part of it */
    assert_int_equal((int)strlen(a), 64);
    fresh_keys(SEAL_SM4); /* another site's key file */
    assert_int_equal(seal_digest("id", "511524198608318814", b), 0);
    assert_string_not_equal(a, b);
    unlink(path);
}

static void plaintext_of_before_passes_and_rotation_is_found(void **state)
{
    (void)state;
    fresh_keys(SEAL_SM4);
    char plain[SEAL_PLAIN_MAX + 1], sealed[SEAL_TEXT_MAX], digest[SEAL_DIGEST_TEXT],
        after[SEAL_DIGEST_TEXT];
    assert_int_equal(seal_open("13800000000", plain), 0);
    assert_string_equal(plain, "13800000000");
    assert_false(seal_is_sealed("13800000000"));
    assert_int_equal(seal_digest("phone", "13800000000", digest), 0);
    /* Another process rotates: this one still seals with key 1 and opens key 2's values
     * once it has read the file again (here: a value sealed by a second ring, simulated by
     * reopening after the rotation and going back). */
    struct jy_error err;
    assert_int_equal(seal_keys_rotate(path, SEAL_AES256GCM, &err), 2);
    assert_int_equal(seal_newest_key(), 1);
    assert_int_equal(seal_keys_open(path, 0, &err), 0);
    assert_int_equal(seal_newest_key(), 2);
    assert_int_equal(seal_text("13800000000", sealed), 0);
    assert_int_equal(seal_key_of(sealed), 2);
    assert_int_equal(seal_open(sealed, plain), 0);
    assert_string_equal(plain, "13800000000");
    /* The index key stays the first key's: digests do not move with a rotation. */
    assert_int_equal(seal_digest("phone", "13800000000", after), 0);
    assert_string_equal(digest, after);
    /* A bad line is named. */
    FILE *f = fopen(path, "a");
    fputs("3 nothex sm4\n", f);
    fclose(f);
    assert_int_equal(seal_keys_open(path, 0, &err), -1);
    assert_non_null(strstr(err.detail, "line 4"));
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sm4_and_aes_open_what_they_seal),
        cmocka_unit_test(a_changed_or_forged_value_does_not_open),
        cmocka_unit_test(digests_are_equal_for_equal_values_and_keyed),
        cmocka_unit_test(plaintext_of_before_passes_and_rotation_is_found),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
