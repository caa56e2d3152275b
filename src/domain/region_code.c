/* region_code.c - the level and area prefix of a division code (region_code.h). */
#include "domain/region_code.h"

#include <stdio.h>
#include <string.h>

int region_code_level(const char *code)
{
    if (!code) return -1;
    size_t n = strlen(code);
    if (n == 0 || strspn(code, "0123456789") != n) return -1;
    switch (n) {
    case 2:
        return strcmp(code, "00") ? REGION_PROVINCE : -1;
    case 4:
        return strcmp(code + 2, "00") ? REGION_CITY : -1;
    case 6:
        if (strncmp(code, "00", 2) == 0) return -1;
        if (strcmp(code + 2, "0000") == 0) return REGION_PROVINCE;
        if (strcmp(code + 4, "00") == 0) return REGION_CITY;
        return REGION_COUNTY;
    case 9:
        return REGION_TOWNSHIP;
    case 12:
        return REGION_VILLAGE;
    case 14:
        return REGION_GRID;
    default:
        return -1;
    }
}

int region_area_prefix(const char *code, char *out, size_t size)
{
    int level = region_code_level(code);
    if (size) out[0] = '\0';
    if (level < 0 || size < 15) return -1;
    size_t n = strlen(code);
    if (n == 6 && level == REGION_PROVINCE)
        n = 2;
    else if (n == 6 && level == REGION_CITY)
        n = 4;
    memcpy(out, code, n);
    out[n] = '\0';
    return (int)n;
}

int region_level_is_area(int level)
{
    return level == REGION_PROVINCE || level == REGION_CITY;
}

const char *region_level_name(int level)
{
    static const char *const NAMES[] = {"province", "city",    "county",
                                        "township", "village", "grid"};
    return level >= 0 && level <= REGION_GRID ? NAMES[level] : NULL;
}
