/* qca_report.c - see qca_report.h. */
#include "api/qca_report.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/file.h"

#define FIELD_MAX 64

/* The file's cells as text, row by row (a QCA has tens of cases, at most QCA_MAX_CASES). */
struct cells {
    int columns;
    char **text; /* rows * columns, NULL when empty */
    int *file_row;
    size_t rows, cap;
};

static int take_row(void *ctx, const struct csv_record *rec)
{
    struct cells *c = ctx;
    if (c->rows == QCA_MAX_CASES) return -1;
    if (c->rows == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        char **text = realloc(c->text, cap * (size_t)c->columns * sizeof *text);
        if (!text) return -1;
        c->text = text;
        int *file_row = realloc(c->file_row, cap * sizeof *file_row);
        if (!file_row) return -1;
        c->file_row = file_row;
        c->cap = cap;
    }
    for (int j = 0; j < c->columns; j++)
        c->text[c->rows * (size_t)c->columns + (size_t)j] =
            rec->present[j] ? strdup(rec->field[j]) : NULL;
    c->file_row[c->rows++] = rec->row;
    return 0;
}

static void cells_free(struct cells *c)
{
    for (size_t i = 0; i < c->rows * (size_t)c->columns; i++)
        free(c->text[i]);
    free(c->text);
    free(c->file_row);
}

static const char *cell(const struct cells *c, size_t row, int column)
{
    return c->text[row * (size_t)c->columns + (size_t)column];
}

static int is_number(const char *s, double *out)
{
    char *end = NULL;
    double v = s ? strtod(s, &end) : NAN;
    if (!s || *end || !isfinite(v)) return 0;
    if (out) *out = v;
    return 1;
}

static int find(char (*header)[CSV_HEADER_NAME_MAX], int n, const char *name)
{
    for (int j = 0; j < n; j++)
        if (!strcmp(header[j], name)) return j;
    return -1;
}

/* The cell calibrated to 0/1: with a threshold, at or above it; else it must be 0 or 1. */
static int calibrate(const struct cells *c, size_t row, int column, const char *name,
                     const double *threshold, int *out, struct jy_error *err)
{
    double v;
    if (!is_number(cell(c, row, column), &v)) {
        jy_fail(err, 422, "not_a_number", name, "column %s, row %d: %s", name, c->file_row[row],
                cell(c, row, column) ? "not a number" : "missing value");
        return jy_error_position(err, c->file_row[row], column + 1);
    }
    if (threshold) {
        *out = v >= *threshold;
        return 0;
    }
    if (v != 0 && v != 1) {
        jy_fail(err, 422, "not_binary", name, "column %s, row %d: 0 or 1, or give a threshold",
                name, c->file_row[row]);
        return jy_error_position(err, c->file_row[row], column + 1);
    }
    *out = v == 1;
    return 0;
}

struct analysis {
    int k;
    const char *names[QCA_MAX_CONDITIONS];
    uint32_t *configurations;
    int *outcomes;
    const char **case_names; /* NULL entries when the file names none */
    size_t n;
};

static json_t *case_list(const struct analysis *a,
                         int (*keep)(const struct analysis *, size_t, const void *),
                         const void *arg)
{
    json_t *out = json_array();
    char label[24];
    for (size_t i = 0; i < a->n; i++) {
        if (!keep(a, i, arg)) continue;
        snprintf(label, sizeof label, "%zu", i + 1);
        json_array_append_new(out, json_string(a->case_names[i] ? a->case_names[i] : label));
    }
    return out;
}

static int in_row(const struct analysis *a, size_t i, const void *arg)
{
    return a->configurations[i] == *(const uint32_t *)arg;
}

static int in_term(const struct analysis *a, size_t i, const void *arg)
{
    return qca_covers(*(const struct qca_term *)arg, a->configurations[i]);
}

static json_t *configuration_json(const struct analysis *a, uint32_t configuration)
{
    json_t *o = json_object();
    for (int j = 0; j < a->k; j++)
        json_object_set_new(o, a->names[j], json_integer((configuration >> j) & 1));
    return o;
}

/* "A*~B": the conditions a term requires present, and ~ those it requires absent. */
static json_t *term_json(const struct analysis *a, struct qca_term t, double consistency,
                         double raw, double unique)
{
    char expression[QCA_MAX_CONDITIONS * (CSV_HEADER_NAME_MAX + 2)] = "";
    json_t *conditions = json_object();
    for (int j = 0; j < a->k; j++) {
        if (!((t.care >> j) & 1)) continue;
        int present = (t.value >> j) & 1;
        size_t used = strlen(expression);
        snprintf(expression + used, sizeof expression - used, "%s%s%s", used ? "*" : "",
                 present ? "" : "~", a->names[j]);
        json_object_set_new(conditions, a->names[j], json_integer(present));
    }
    /* A term that requires nothing is the constant 1: the outcome whatever the conditions. */
    return json_pack("{s:s, s:o, s:f, s:f, s:f, s:o}", "expression",
                     expression[0] ? expression : "1", "conditions", conditions, "consistency",
                     consistency, "raw_coverage", raw, "unique_coverage", unique, "cases",
                     case_list(a, in_term, &t));
}

static json_t *solution_json(const struct analysis *a, const struct qca_solution *s)
{
    json_t *solutions = json_array();
    for (int c = 0; c < s->count; c++) {
        struct qca_fit fit;
        qca_fit(s->terms[c], s->size, a->configurations, a->outcomes, a->n, &fit);
        json_t *terms = json_array();
        char expression[1024] = "";
        for (int t = 0; t < s->size; t++) {
            json_t *term = term_json(a, s->terms[c][t], fit.consistency[t], fit.raw_coverage[t],
                                     fit.unique_coverage[t]);
            size_t used = strlen(expression);
            snprintf(expression + used, sizeof expression - used, "%s%s", used ? " + " : "",
                     json_string_value(json_object_get(term, "expression")));
            json_array_append_new(terms, term);
        }
        json_array_append_new(solutions,
                              json_pack("{s:s, s:o, s:f, s:f}", "expression", expression, "terms",
                                        terms, "consistency", fit.solution_consistency, "coverage",
                                        fit.solution_coverage));
    }
    return solutions;
}

static json_t *analyse(const struct analysis *a, double cutoff, struct jy_error *err)
{
    struct qca_row rows[1 << QCA_MAX_CONDITIONS];
    int n_rows = qca_truth_table(a->configurations, a->outcomes, a->n, cutoff, rows,
                                 1 << QCA_MAX_CONDITIONS);
    struct qca_solution complex, parsimonious;
    if (qca_minimise(rows, n_rows, a->k, 0, &complex) < 0 ||
        qca_minimise(rows, n_rows, a->k, 1, &parsimonious) < 0) {
        jy_fail(err, 422, "not_computable", "conditions",
                "the minimisation is beyond %d conditions or covers of %d terms",
                QCA_MAX_CONDITIONS, QCA_MAX_COVER_TERMS);
        return NULL;
    }
    json_t *table = json_array();
    for (int i = 0; i < n_rows; i++)
        json_array_append_new(table,
                              json_pack("{s:o, s:i, s:i, s:f, s:i, s:o}", "configuration",
                                        configuration_json(a, rows[i].configuration), "n",
                                        rows[i].cases, "positive", rows[i].positive, "consistency",
                                        rows[i].consistency, "outcome", rows[i].outcome, "cases",
                                        case_list(a, in_row, &rows[i].configuration)));
    json_t *names = json_array();
    for (int j = 0; j < a->k; j++)
        json_array_append_new(names, json_string(a->names[j]));
    int positive = 0;
    for (size_t i = 0; i < a->n; i++)
        positive += a->outcomes[i];
    return json_pack("{s:o, s:I, s:i, s:f, s:o, s:i, s:{s:o}, s:{s:o}}", "conditions", names, "n",
                     (json_int_t)a->n, "positive", positive, "cutoff", cutoff, "truth_table", table,
                     "remainders", (1 << a->k) - n_rows, "complex", "solutions",
                     solution_json(a, &complex), "parsimonious", "solutions",
                     solution_json(a, &parsimonious));
}

json_t *qca_report(const char *data, size_t len, const struct qca_request *q, struct jy_error *err)
{
    if (!(q->cutoff > 0 && q->cutoff <= 1)) {
        jy_fail(err, 422, "invalid_field", "cutoff", "between 0 (excluded) and 1");
        return NULL;
    }
    /* First the header, with the outcome required; then every column read as text. */
    const char *outcome_names[] = {q->outcome, NULL};
    struct csv_column outcome_column = {outcome_names, 1};
    struct csv_spec outcome_spec = {&outcome_column, 1, FIELD_MAX};
    struct csv_table *t = csv_table_open(&outcome_spec, data, len, err);
    if (!t) return NULL;
    char header[CSV_TABLE_MAX_COLUMNS][CSV_HEADER_NAME_MAX];
    int m = csv_table_header(t, header, CSV_TABLE_MAX_COLUMNS);
    csv_table_close(t);
    for (int j = 0; j < m; j++) {
        if (strlen(header[j]) >= CSV_HEADER_NAME_MAX - 4) { /* possibly cut: refuse, not guess */
            jy_fail(err, 422, "invalid_field", "csv", "column %d's name is longer than %d bytes",
                    j + 1, CSV_HEADER_NAME_MAX - 5);
            return NULL;
        }
        if (find(header, j, header[j]) >= 0) { /* two columns of one name: which is meant? */
            jy_fail(err, 422, "invalid_field", "csv", "two columns are named %.64s", header[j]);
            return NULL;
        }
    }
    const char *names[CSV_TABLE_MAX_COLUMNS][2];
    struct csv_column columns[CSV_TABLE_MAX_COLUMNS];
    for (int j = 0; j < m; j++) {
        names[j][0] = header[j];
        names[j][1] = NULL;
        columns[j] = (struct csv_column){names[j], 0};
    }
    struct csv_spec spec = {columns, m, FIELD_MAX};
    struct cells c = {m, NULL, NULL, 0, 0};
    json_t *result = NULL;
    struct analysis a = {0};
    t = csv_table_open(&spec, data, len, err);
    if (!t) goto done;
    long read = csv_table_read(t, take_row, &c, err);
    if (read == -2) {
        if (c.rows == QCA_MAX_CASES)
            jy_fail(err, 422, "invalid_field", "csv", "more than %d cases", QCA_MAX_CASES);
        else
            jy_fail(err, 500, "internal_error", NULL, NULL);
    }
    if (read < 0) goto done;
    if (c.rows == 0) {
        jy_fail(err, 422, "invalid_field", "csv", "no cases");
        goto done;
    }
    /* The header is matched exactly (csv_table also accepts "name (unit)" for a name). */
    int outcome = find(header, m, q->outcome);
    if (outcome < 0) {
        jy_fail(err, 422, "missing_field", q->outcome, "no such column");
        goto done;
    }
    int chosen[CSV_TABLE_MAX_COLUMNS], k = 0;
    if (q->n_conditions) {
        for (int i = 0; i < q->n_conditions && i < CSV_TABLE_MAX_COLUMNS; i++) {
            if ((chosen[k++] = find(header, m, q->conditions[i])) < 0) {
                jy_fail(err, 422, "missing_field", q->conditions[i], "no such column");
                goto done;
            }
        }
    } else {
        /* The first column names the cases when some of its cells are not numbers. */
        int names_cases = 0;
        for (size_t i = 0; i < c.rows && outcome != 0 && !names_cases; i++)
            names_cases = !is_number(cell(&c, i, 0), NULL);
        for (int j = names_cases; j < m; j++)
            if (j != outcome) chosen[k++] = j;
    }
    int case_column = 0;
    for (int i = 0; i < k; i++)
        if (chosen[i] == 0) case_column = -1;
    if (outcome == 0) case_column = -1;
    if (k < 1 || k > QCA_MAX_CONDITIONS) {
        jy_fail(err, 422, "invalid_field", "conditions", "1 to %d conditions, not %d",
                QCA_MAX_CONDITIONS, k);
        goto done;
    }
    a.k = k;
    a.n = c.rows;
    a.configurations = calloc(c.rows, sizeof *a.configurations);
    a.outcomes = calloc(c.rows, sizeof *a.outcomes);
    a.case_names = calloc(c.rows, sizeof *a.case_names);
    if (!a.configurations || !a.outcomes || !a.case_names) {
        jy_fail(err, 500, "internal_error", NULL, NULL);
        goto done;
    }
    const double *threshold_of[CSV_TABLE_MAX_COLUMNS] = {0};
    for (int i = 0; i < q->n_thresholds; i++) {
        int j = find(header, m, q->threshold_names[i]);
        if (j < 0) {
            jy_fail(err, 422, "missing_field", q->threshold_names[i], "a threshold's column");
            goto done;
        }
        threshold_of[j] = &q->thresholds[i];
    }
    for (int i = 0; i < k; i++)
        a.names[i] = header[chosen[i]];
    for (size_t row = 0; row < c.rows; row++) {
        int v;
        if (calibrate(&c, row, outcome, header[outcome], threshold_of[outcome], &a.outcomes[row],
                      err) < 0)
            goto done;
        for (int i = 0; i < k; i++) {
            if (calibrate(&c, row, chosen[i], header[chosen[i]], threshold_of[chosen[i]], &v, err) <
                0)
                goto done;
            a.configurations[row] |= (uint32_t)v << i;
        }
        if (case_column == 0) a.case_names[row] = cell(&c, row, 0);
    }
    result = analyse(&a, q->cutoff, err);
    if (result) json_object_set_new(result, "outcome", json_string(q->outcome));
done:
    csv_table_close(t);
    free(a.configurations);
    free(a.outcomes);
    free(a.case_names);
    cells_free(&c);
    return result;
}

/* "A,B" into q->conditions, "A=3,B=0.5" into the thresholds; the strings point into buf. */
static int parse_list(char *buf, const char **names, double *values, int *count)
{
    for (char *save = NULL, *item = strtok_r(buf, ",", &save); item;
         item = strtok_r(NULL, ",", &save)) {
        if (*count == CSV_TABLE_MAX_COLUMNS) return -1;
        if (values) {
            char *eq = strchr(item, '=');
            if (!eq || !is_number(eq + 1, &values[*count])) return -1;
            *eq = 0;
        }
        names[(*count)++] = item;
    }
    return 0;
}

int qca_command(const char *csv_path, const char *outcome, const char *conditions,
                const char *cutoff, const char *thresholds, FILE *out, FILE *err)
{
    if (!csv_path || !outcome) {
        fputs("jiayi qca: --csv FILE and --outcome COLUMN are required\n", err);
        return 2;
    }
    struct qca_request q = {.outcome = outcome, .cutoff = QCA_CUTOFF_DEFAULT};
    char *condition_buf = strdup(conditions ? conditions : "");
    char *threshold_buf = strdup(thresholds ? thresholds : "");
    int rc = 2;
    if (!condition_buf || !threshold_buf ||
        parse_list(condition_buf, q.conditions, NULL, &q.n_conditions) < 0)
        fputs("jiayi qca: --conditions names columns, A,B,...\n", err);
    else if (parse_list(threshold_buf, q.threshold_names, q.thresholds, &q.n_thresholds) < 0)
        fputs("jiayi qca: --thresholds gives numbers, A=3,B=0.5\n", err);
    else if (cutoff && !is_number(cutoff, &q.cutoff))
        fputs("jiayi qca: --cutoff is a number, 0.8\n", err);
    else {
        size_t len = 0;
        char *data = file_read_all(csv_path, &len);
        struct jy_error e = {0};
        json_t *result = data ? qca_report(data, len, &q, &e) : NULL;
        rc = 1;
        if (!data) {
            fprintf(err, "jiayi qca: cannot read %s\n", csv_path);
        } else if (!result) {
            fprintf(err, "jiayi qca: %s: %s%s%s%s%s\n", csv_path, e.code, e.field[0] ? ": " : "",
                    e.field, e.detail[0] ? ": " : "", e.detail);
        } else {
            char *text = json_dumps(result, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
            fprintf(out, "%s\n", text ? text : "{}");
            free(text);
            json_decref(result);
            rc = 0;
        }
        free(data);
    }
    free(condition_buf);
    free(threshold_buf);
    return rc;
}
