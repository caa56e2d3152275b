/* questionnaire.c - see questionnaire.h. */
#include "domain/questionnaire.h"

#include <stdio.h>
#include <string.h>

int questionnaire_scored(const struct questionnaire_item *item, int value)
{
    return item->reverse ? item->min + item->max - value : value;
}

static int dimension_index(const char dims[][QUESTIONNAIRE_DIMENSION_LEN], int count,
                           const char *name)
{
    for (int d = 0; d < count; d++)
        if (!strcmp(dims[d], name)) return d;
    return -1;
}

int questionnaire_valid(const struct questionnaire *q)
{
    char dims[QUESTIONNAIRE_MAX_DIMENSIONS][QUESTIONNAIRE_DIMENSION_LEN];
    int dim_count = 0;
    if (q->count <= 0 || q->count > QUESTIONNAIRE_MAX_ITEMS) return -1;
    for (int i = 0; i < q->count; i++) {
        const struct questionnaire_item *it = &q->items[i];
        if (it->min >= it->max || !it->dimension[0]) return -1;
        for (int j = 0; j < i; j++)
            if (q->items[j].n == it->n) return -1;
        if (dimension_index(dims, dim_count, it->dimension) < 0) {
            if (dim_count == QUESTIONNAIRE_MAX_DIMENSIONS) return -1;
            snprintf(dims[dim_count++], QUESTIONNAIRE_DIMENSION_LEN, "%s", it->dimension);
        }
    }
    return 0;
}

static int item_index(const struct questionnaire *q, int64_t n)
{
    for (int i = 0; i < q->count; i++)
        if (q->items[i].n == n) return i;
    return -1;
}

int questionnaire_score(const struct questionnaire *q, const struct questionnaire_answer *answers,
                        size_t count, struct questionnaire_score *out, struct jy_error *err)
{
    char field[48];
    unsigned char seen[QUESTIONNAIRE_MAX_ITEMS] = {0};
    int dim_items[QUESTIONNAIRE_MAX_DIMENSIONS] = {0};
    double dim_sum[QUESTIONNAIRE_MAX_DIMENSIONS] = {0};
    if (questionnaire_valid(q) < 0)
        return jy_fail(err, 500, "internal_error", NULL, "questionnaire");
    memset(out, 0, sizeof *out);
    for (size_t a = 0; a < count; a++) {
        int i = item_index(q, answers[a].n);
        if (i < 0 || seen[i]) {
            snprintf(field, sizeof field, "answers[%zu].n", a);
            return jy_fail(err, 422, "invalid_field", field,
                           i < 0 ? "no such item" : "answered twice");
        }
        const struct questionnaire_item *it = &q->items[i];
        if (answers[a].value < it->min || answers[a].value > it->max) {
            snprintf(field, sizeof field, "answers[%zu].value", a);
            return jy_fail(err, 422, "invalid_field", field, "between %d and %d", it->min, it->max);
        }
        seen[i] = 1;
        out->value[i] = (int)answers[a].value;
    }
    for (int i = 0; i < q->count; i++) {
        const struct questionnaire_item *it = &q->items[i];
        if (!seen[i]) {
            char n[16];
            snprintf(n, sizeof n, "%d", it->n);
            jy_fail(err, 422, "missing_answer", "answers", "item %d", it->n);
            return jy_error_value(err, n);
        }
        out->scored[i] = questionnaire_scored(it, out->value[i]);
        out->total += out->scored[i];
        out->min_total += it->min;
        out->max_total += it->max;
        int d = dimension_index(out->dimension, out->dimension_count, it->dimension);
        if (d < 0) {
            d = out->dimension_count++;
            snprintf(out->dimension[d], QUESTIONNAIRE_DIMENSION_LEN, "%s", it->dimension);
        }
        dim_items[d]++;
        dim_sum[d] += out->scored[i];
    }
    for (int d = 0; d < out->dimension_count; d++)
        out->dimension_mean[d] = dim_sum[d] / dim_items[d];
    return 0;
}
