/* id_number.h - China resident identity numbers (GB 11643-1999, PROTOCOLS.md §1).
 *
 * 18 characters: 6-digit division code, birth date YYYYMMDD, 3-digit sequence
 * (odd male, even female), check character (ISO 7064 MOD 11-2). Pure: the
 * "today" that bounds the birth date is a parameter. */
#ifndef JIAYI_DOMAIN_ID_NUMBER_H
#define JIAYI_DOMAIN_ID_NUMBER_H

#include "util/date.h"
#include "util/error.h"

struct id_number_info {
    char normalized[19]; /* upper-case X */
    struct date birth_date;
    char sex; /* 'M' or 'F' */
};

/* The check character for the first 17 digits ('0'-'9' or 'X'). */
char id_number_check_char(const char *first17);
/* 1 when the two leading digits are a province code of GB/T 2260. */
int id_number_province_known(int province);
/* Validates `text` and fills info. On failure fills err (422, invalid_id_number, field
 * `field`) with a detail that says what is wrong, and returns -1. */
int id_number_parse(const char *text, struct date today, const char *field,
                    struct id_number_info *info, struct jy_error *err);
/* Writes the masked form shown to roles that do not need the number:
 * first 3 and last 4 characters kept, "510***********123X". out has 19 bytes. */
void id_number_mask(const char *id_number, char out[19]);
/* Builds a valid number from a division code (6 digits), a birth date and a 3-digit
 * sequence (odd male). out has 19 bytes. Used by the demo county and tests. */
void id_number_make(const char *division6, struct date birth, int sequence, char out[19]);

#endif
