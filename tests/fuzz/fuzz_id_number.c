/* fuzz_id_number.c - libFuzzer target (issue 21): the ID number validator (GB 11643,
 * domain/id_number.c) on any bytes. Beyond not crashing: a number it accepts has 18
 * characters, a valid birth date before today, a check character that recomputes, and
 * masks to 18 characters. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/id_number.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[64];
    size_t n = size < sizeof text - 1 ? size : sizeof text - 1;
    memcpy(text, data, n);
    text[n] = '\0';
    struct date today = {2026, 12, 7};
    struct id_number_info info;
    struct jy_error err;
    if (id_number_parse(text, today, "id_number", &info, &err) == 0) {
        if (strlen(info.normalized) != 18) abort();
        if (id_number_check_char(info.normalized) != info.normalized[17]) abort();
        if (date_compare(info.birth_date, today) > 0) abort();
        if (info.sex != 'M' && info.sex != 'F') abort();
        char masked[19];
        id_number_mask(info.normalized, masked);
        if (strlen(masked) != 18) abort();
    } else if (!err.code || !err.field[0]) {
        abort(); /* a refusal names its field */
    }
    return 0;
}
