/* region_code.h - what a division code's shape says (GB/T 2260 and the health grid).
 *
 * Places nest by prefix: county 511524 > township 511524101 > village 511524101001 > grid
 * cell 51152410100101. A province and a city are written two ways: as the prefix their
 * places share (51, 5115: what the grid API and the indicator roll-up use) or as GB/T 2260
 * writes them, padded to six digits (510000 四川省, 511500 宜宾市: what the demo city and a
 * health commission's login use). A padded code is not a prefix of its counties' codes, so
 * every comparison of an area with the places inside it goes through region_area_prefix. */
#ifndef JIAYI_DOMAIN_REGION_CODE_H
#define JIAYI_DOMAIN_REGION_CODE_H

#include <stddef.h>

enum region_level {
    REGION_PROVINCE,
    REGION_CITY,
    REGION_COUNTY,
    REGION_TOWNSHIP,
    REGION_VILLAGE,
    REGION_GRID,
};

/* The level of a code of digits only: 2 or NN0000 a province, 4 or NNNN00 (not NN0000) a
 * city, other 6 a county, 9 a township, 12 a village, 14 a grid cell; -1 for anything else
 * (NULL, empty, a non-digit, another length, 000000). Pure. */
int region_code_level(const char *code);

/* The prefix every place inside the region starts with: 510000 -> 51, 511500 -> 5115, any
 * other well-formed code itself. Writes it to out (size >= 15) and returns its length, or -1
 * (out empty) when the code is not well formed. Pure. */
int region_area_prefix(const char *code, char *out, size_t size);

/* 1 when a province or a city (an area above the county). Pure. */
int region_level_is_area(int level);

/* The English name of a level as the regions table writes it ("province" ... "grid"), or
 * NULL for -1. Pure. */
const char *region_level_name(int level);

#endif
