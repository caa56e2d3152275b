/* qca.c (api) - POST /api/v1/qca {csv, outcome, conditions?, cutoff?, thresholds?}: the
 * crisp-set QCA of api/qca_report.c on a table of cases the caller sends (institutions'
 * calibrated conditions, as seed 002; docs/evaluation.md). Nothing is stored and no person's
 * data is read: the answer is the analysis, as `jiayi qca` prints it. */
#include <string.h>

#include "api/handlers.h"
#include "api/qca_report.h"
#include "json/jsonx.h"

/* 1 MB of body at most: the CSV is at most that. */
#define CSV_MAX_CHARS (1024 * 1024)

static int read_names(json_t *body, struct qca_request *q, struct jy_error *err)
{
    json_t *list = json_object_get(body, "conditions");
    if (list && !json_is_null(list)) {
        if (!json_is_array(list) || json_array_size(list) > CSV_TABLE_MAX_COLUMNS)
            return jy_fail(err, 422, "invalid_field", "conditions", "an array of column names");
        size_t i;
        json_t *name;
        json_array_foreach(list, i, name) {
            if (!json_is_string(name) || !json_string_length(name))
                return jy_fail(err, 422, "invalid_field", "conditions", "column names");
            q->conditions[q->n_conditions++] = json_string_value(name);
        }
    }
    json_t *thresholds = json_object_get(body, "thresholds");
    if (thresholds && !json_is_null(thresholds)) {
        if (!json_is_object(thresholds) || json_object_size(thresholds) > CSV_TABLE_MAX_COLUMNS)
            return jy_fail(err, 422, "invalid_field", "thresholds", "{column: number}");
        const char *name;
        json_t *value;
        json_object_foreach(thresholds, name, value) {
            if (!json_is_number(value))
                return jy_fail(err, 422, "invalid_field", "thresholds", "{column: number}");
            q->threshold_names[q->n_thresholds] = name;
            q->thresholds[q->n_thresholds++] = json_number_value(value);
        }
    }
    return 0;
}

int handle_qca(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    struct qca_request q = {.cutoff = QCA_CUTOFF_DEFAULT};
    const char *csv = NULL;
    if (jx_string(body, "csv", JX_REQUIRED, CSV_MAX_CHARS, &csv, &err) < 0 ||
        jx_string(body, "outcome", JX_REQUIRED, 64, &q.outcome, &err) < 0 ||
        jx_number(body, "cutoff", JX_OPTIONAL, 0, 1, &q.cutoff, NULL, &err) < 0 ||
        read_names(body, &q, &err) < 0)
        return reply_error(r, &err);
    json_t *result = qca_report(csv, strlen(csv), &q, &err);
    return result ? reply_json(r, 200, result) : reply_error(r, &err);
}
