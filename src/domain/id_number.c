/* id_number.c - GB 11643-1999 validation, masking and construction. */
#include "domain/id_number.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const int WEIGHTS[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char CHECK[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

char id_number_check_char(const char *first17)
{
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (first17[i] - '0') * WEIGHTS[i];
    return CHECK[sum % 11];
}

int id_number_province_known(int p)
{
    return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) ||
           (p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65) || p == 71 ||
           p == 81 || p == 82;
}

int id_number_parse(const char *text, struct date today, const char *field,
                    struct id_number_info *info, struct jy_error *err)
{
    if (!text || strlen(text) != 18)
        return jy_fail(err, 422, "invalid_id_number", field, "must be 18 characters");
    char id[19];
    for (int i = 0; i < 18; i++) {
        char c = text[i];
        if (i == 17 && (c == 'x' || c == 'X'))
            c = 'X';
        else if (!isdigit((unsigned char)c))
            return jy_fail(err, 422, "invalid_id_number", field, "character %d is not a digit",
                           i + 1);
        id[i] = c;
    }
    id[18] = '\0';
    int province = (id[0] - '0') * 10 + (id[1] - '0');
    if (!id_number_province_known(province))
        return jy_fail(err, 422, "invalid_id_number", field, "unknown province code %02d",
                       province);
    int y = 0, m = 0, d = 0;
    for (int i = 6; i < 10; i++)
        y = y * 10 + (id[i] - '0');
    m = (id[10] - '0') * 10 + (id[11] - '0');
    d = (id[12] - '0') * 10 + (id[13] - '0');
    if (y < 1870 || !date_is_valid(y, m, d))
        return jy_fail(err, 422, "invalid_id_number", field, "impossible birth date");
    struct date birth = {y, m, d};
    if (date_compare(birth, today) > 0)
        return jy_fail(err, 422, "invalid_id_number", field, "birth date in the future");
    if (id_number_check_char(id) != id[17])
        return jy_fail(err, 422, "invalid_id_number", field, "wrong check character");
    memcpy(info->normalized, id, 19);
    info->birth_date = birth;
    info->sex = ((id[16] - '0') % 2) ? 'M' : 'F';
    return 0;
}

void id_number_mask(const char *id_number, char out[19])
{
    size_t n = strlen(id_number);
    if (n != 18) {
        snprintf(out, 19, "%s", "******************");
        return;
    }
    memcpy(out, id_number, 18);
    for (int i = 3; i < 14; i++)
        out[i] = '*';
    out[18] = '\0';
}

void id_number_make(const char *division6, struct date birth, int sequence, char out[19])
{
    char text[40];
    snprintf(text, sizeof text, "%.6s%04u%02u%02u%03u", division6, (unsigned)birth.year % 10000u,
             (unsigned)birth.month % 100u, (unsigned)birth.day % 100u, (unsigned)sequence % 1000u);
    memcpy(out, text, 17);
    out[17] = id_number_check_char(out);
    out[18] = '\0';
}
