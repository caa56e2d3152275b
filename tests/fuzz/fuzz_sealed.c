/* fuzz_sealed.c - libFuzzer target (issue 21): opening a sealed ID number or phone
 * (util/seal.c) from whatever a database column holds. Beyond not crashing: a value that
 * opens gives at most SEAL_PLAIN_MAX bytes, a value that does not is refused whole, and
 * whatever the input, sealing it (cut to fit) and opening gives it back, under both ciphers. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/seal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void open_keys(void)
{
    static int opened;
    if (opened) return;
    char path[64];
    snprintf(path, sizeof path, "/tmp/jiayi-fuzz-seal-%d.key", (int)getpid());
    unlink(path);
    struct jy_error err;
    if (seal_keys_open(path, 1, &err) < 0 || seal_keys_rotate(path, SEAL_AES256GCM, &err) != 2 ||
        seal_keys_open(path, 0, &err) < 0)
        abort();
    unlink(path); /* the keys stay loaded */
    opened = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    open_keys();
    char text[256], plain[SEAL_PLAIN_MAX + 1];
    size_t n = size < sizeof text - 1 ? size : sizeof text - 1;
    memcpy(text, data, n);
    text[n] = '\0';
    if (seal_open(text, plain) == 0 && strlen(plain) > SEAL_PLAIN_MAX) abort();
    /* The round trip, of the input as plaintext (a NUL ends it, as in a TEXT column). */
    char value[SEAL_PLAIN_MAX + 1], sealed[SEAL_TEXT_MAX];
    snprintf(value, sizeof value, "%s", text);
    if (seal_text(value, sealed) < 0 || seal_open(sealed, plain) < 0 || strcmp(plain, value) != 0)
        abort();
    return 0;
}
