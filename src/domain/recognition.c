/* recognition.c - see recognition.h. */
#include "domain/recognition.h"

struct date recognition_valid_until(struct date taken, int valid_days)
{
    return date_add_days(taken, valid_days - 1);
}

int recognition_still_valid(struct date taken, int valid_days, struct date today)
{
    return valid_days > 0 && date_compare(taken, today) <= 0 &&
           date_compare(today, recognition_valid_until(taken, valid_days)) <= 0;
}
