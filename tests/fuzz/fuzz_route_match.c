/* fuzz_route_match.c - libFuzzer target (issue 21): the router's matcher
 * (http/route_match.c) on any path against routes of the API. Beyond not crashing: a match
 * captures non-empty segments without '/', and putting them back into the pattern gives the
 * path again, exactly. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/route_match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const PATTERNS[] = {
    "/api/v1/health",
    "/api/v1/residents/{id}",
    "/api/v1/residents/{id}/schedule/{program}",
    "/api/v1/contracts/{id}/transfer",
    "/api/v1/packages/{code}",
    "/api/v1/regions/{code}/redraw",
    "/api/v1/teams/{id}/members/{staff_id}",
    "/fhir/Patient/{id}",
    "/api/v1/imports/{id}/rejects",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[600];
    size_t n = size < sizeof path - 1 ? size : sizeof path - 1;
    memcpy(path, data, n);
    path[n] = '\0';
    for (size_t i = 0; i < sizeof PATTERNS / sizeof PATTERNS[0]; i++) {
        char params[3][ROUTE_PARAM_MAX];
        if (!route_pattern_match(PATTERNS[i], path, params, 3)) continue;
        char rebuilt[700] = "";
        size_t used = 0;
        int k = 0;
        for (const char *p = PATTERNS[i]; *p;) {
            if (*p == '{') {
                if (!params[k][0] || strchr(params[k], '/')) abort();
                used += (size_t)snprintf(rebuilt + used, sizeof rebuilt - used, "%s", params[k++]);
                p = strchr(p, '}') + 1;
            } else {
                rebuilt[used++] = *p++;
                rebuilt[used] = '\0';
            }
        }
        if (strcmp(rebuilt, path) != 0) abort();
    }
    return 0;
}
