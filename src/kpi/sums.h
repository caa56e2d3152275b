/* sums.h - sums of indicator parts keyed by a short string, and the walk from a resident's
 * parts to the scope keys they count for. Shared by the tracker, rebuild and check. */
#ifndef JIAYI_KPI_SUMS_H
#define JIAYI_KPI_SUMS_H

#include "kpi/kpi.h"

struct sum {
    char key[48]; /* "" marks an empty slot */
    int period;   /* index into the frame */
    char region[16];
    int64_t team, doctor;
    struct kpi_parts parts;
};

struct sums {
    struct sum *slots;
    size_t cap, used;
};

void sums_free(struct sums *s);
/* Empties the table, keeping its memory. */
void sums_clear(struct sums *s);
/* The sum for `key`, added zeroed if absent; NULL when out of memory. */
struct sum *sums_get(struct sums *s, const char *key);

/* Adds sign x the person's parts for each selected period of the frame (selected NULL =
 * all) to the leaf sums (period, place, team, doctor). 0, or -1 when out of memory. */
int sums_add_person(struct sums *leaves, const struct kpi_frame *frame,
                    const unsigned char *selected, const struct kpi_rules *rules,
                    const struct kpi_person *p, int sign);
/* Adds every leaf to the scope sums of its region ancestors, team, doctor and institution
 * (key "period-index|scope"). 0, or -1. */
int sums_roll_up(struct db *db, const struct sums *leaves, struct sums *scopes);
/* Adds each scope sum's non-zero parts to kpi_counters. 0, or -1. */
int sums_write(struct db *db, const struct kpi_frame *frame, const struct sums *scopes);

/* Adds each scope sum of `scopes` (keys "period-index|scope" of `frame`) to `batch` under
 * the key "period-label|scope", which no frame change can misread. 0, or -1. */
int sums_merge_labelled(struct sums *batch, const struct kpi_frame *frame,
                        const struct sums *scopes);
/* Adds each non-zero part of a labelled batch to kpi_counters. 0, or -1. */
int sums_write_labelled(struct db *db, const struct sums *batch);

#endif
