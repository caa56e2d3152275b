/* county.c (demo) - see county.h: which households are the showcase, and shared helpers. */
#include "demo/county.h"

#include <stdio.h>

#include "demo/names.h"
#include "util/date.h"

/* Whether household number `k` of county `c` is one of the showcase households. */
int demo_is_showcase(const struct county *c, int k)
{
    return c->first && k < SHOWCASE_HOUSEHOLDS;
}

/* The k-th showcase household's cell: the cells of the first cell's team (doctor01's), in
 * turn. */
int demo_showcase_cell(const struct county *c, int k)
{
    int team = c->cells[0].team, seen = 0, last = 0;
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < c->cell_count; i++) {
            if (c->cells[i].team != team) continue;
            if (seen++ == k) return i;
            last = i;
        }
    return last;
}

void demo_phone_number(struct rng *r, char out[12])
{
    static const char *const PREFIX[] = {"135", "136", "138", "139", "150", "151", "158",
                                         "159", "182", "183", "187", "188", "177", "199"};
    snprintf(out, 12, "%s%08d", PREFIX[rng_int(r, 0, 13)], rng_int(r, 0, 99999999));
}

void demo_date_text(struct date d, char out[11])
{
    date_format(d, out);
}
