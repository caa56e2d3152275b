/* qca_report.h - crisp-set QCA of a table of cases (issue 22; seed 002's 14 institutions):
 * the CSV read, its conditions and outcome calibrated to 0/1, the truth table and the
 * complex and parsimonious solutions of domain/qca.c with every term's consistency, raw and
 * unique coverage and each solution's, as one JSON object. Shared by `jiayi qca` (API.md)
 * and POST /api/v1/qca (the evaluation screen).
 *
 * The file: a header row, one row per case. The first column holds the cases' names when it
 * is neither the outcome nor a named condition (and, when no conditions are named, when
 * some of its cells are not numbers). Without named conditions every other column is one.
 * A cell is 0 or 1, or any number when its column has a threshold (at or above: 1). */
#ifndef JIAYI_API_QCA_REPORT_H
#define JIAYI_API_QCA_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "api/csv_table.h"
#include "domain/qca.h"
#include "util/error.h"

struct qca_request {
    const char *outcome;
    const char *conditions[CSV_TABLE_MAX_COLUMNS];
    int n_conditions; /* 0: every column but the outcome and the cases' names */
    double cutoff;    /* a configuration is positive at this consistency or above */
    const char *threshold_names[CSV_TABLE_MAX_COLUMNS];
    double thresholds[CSV_TABLE_MAX_COLUMNS];
    int n_thresholds;
};

#define QCA_CUTOFF_DEFAULT 0.8
#define QCA_MAX_CASES 10000

/* The analysis, or NULL with err: 422 missing_field (a named column absent; field its
 * name), invalid_field (field "conditions": none or more than QCA_MAX_CONDITIONS; "cutoff";
 * "csv": no cases or too many), not_a_number / not_binary (field the column, err->row the
 * file row), not_computable (beyond domain/qca.c's limits), the CSV's own errors; 500. */
json_t *qca_report(const char *data, size_t len, const struct qca_request *q, struct jy_error *err);

/* `jiayi qca --csv FILE --outcome COL [--conditions A,B,...] [--cutoff 0.8]
 * [--thresholds A=3,B=0.5]`: the JSON on out, or a message on err. Exit status 0, 1 (the
 * data cannot be analysed), 2 (usage). */
int qca_command(const char *csv_path, const char *outcome, const char *conditions,
                const char *cutoff, const char *thresholds, FILE *out, FILE *err);

#endif
