/* fuzz_fhir_date.c - libFuzzer target (issue 21): the FHIR date search parameter
 * (api/fhir_search.c: eq|gt|ge|lt|le and a year, month or day). Beyond not crashing: what it
 * accepts narrows to days written YYYY-MM-DD that read back as dates, never an empty range
 * for eq, and a refusal leaves the range as it was. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/fhir.h"
#include "util/date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char value[64];
    size_t n = size < sizeof value - 1 ? size : sizeof value - 1;
    memcpy(value, data, n);
    value[n] = '\0';
    char from[11] = "", to[11] = "";
    struct date d;
    if (fhir_date_narrow(value, from, to) < 0) {
        if (from[0] || to[0]) abort();
        return 0;
    }
    if (from[0] && date_parse(from, &d) < 0) abort();
    if (to[0] && date_parse(to, &d) < 0) abort();
    if (!strncmp(value, "eq", 2) || (value[0] >= '0' && value[0] <= '9'))
        if (!from[0] || !to[0] || strcmp(from, to) > 0) abort();
    return 0;
}
