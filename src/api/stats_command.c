/* stats_command.c - see stats_command.h. The file is read by api/csv_table.c (UTF-8 or
 * GB18030, quoted fields), every named column required; each cell must be a finite number:
 * an empty or "NA" cell is a missing value, named by column and row, never skipped. */
#include "api/stats_command.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api/csv_table.h"
#include "domain/stats.h"
#include "util/file.h"

#define MAX_COLUMNS STATS_OLS_MAX

struct columns {
    int count;
    const char *names[MAX_COLUMNS];
    double *values[MAX_COLUMNS];
    size_t n, cap;
    char bad[160]; /* the first cell that is not a number */
};

static int take_row(void *ctx, const struct csv_record *rec)
{
    struct columns *c = ctx;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 256;
        for (int j = 0; j < c->count; j++) {
            double *v = realloc(c->values[j], cap * sizeof *v);
            if (!v) return -1;
            c->values[j] = v;
        }
        c->cap = cap;
    }
    for (int j = 0; j < c->count; j++) {
        char *end = NULL;
        double v = rec->present[j] ? strtod(rec->field[j], &end) : NAN;
        if (!rec->present[j] || *end || !isfinite(v)) {
            snprintf(c->bad, sizeof c->bad, "column %s, row %d: %s", c->names[j], rec->row,
                     rec->present[j] ? "not a number" : "missing value");
            return -1;
        }
        c->values[j][c->n] = v;
    }
    c->n++;
    return 0;
}

static const char *why(enum stats_error e)
{
    switch (e) {
    case STATS_TOO_FEW:
        return "too few observations for this test";
    case STATS_NOT_FINITE:
        return "a value is missing or not finite";
    case STATS_CONSTANT:
        return "no variation: the statistic is undefined";
    case STATS_COLLINEAR:
        return "a regressor is constant or a combination of the others";
    default:
        return "cannot be computed";
    }
}

static json_t *run(const char *test, struct columns *c, enum stats_error *e)
{
    double **v = c->values;
    if (!strcmp(test, "paired-t")) {
        struct stats_paired_t r;
        if ((*e = stats_paired_t(v[0], v[1], c->n, &r)) != STATS_OK) return NULL;
        return json_pack("{s:I, s:f, s:f, s:f}", "n", (json_int_t)r.n, "statistic", r.t, "df", r.df,
                         "p", r.p);
    }
    if (!strcmp(test, "wilcoxon")) {
        struct stats_wilcoxon r;
        if ((*e = stats_wilcoxon(v[0], v[1], c->n, &r)) != STATS_OK) return NULL;
        return json_pack("{s:I, s:I, s:f, s:f, s:s}", "n", (json_int_t)c->n, "n_nonzero",
                         (json_int_t)r.n, "statistic", r.statistic, "p", r.p, "method",
                         r.exact ? "exact" : "normal");
    }
    if (!strcmp(test, "mcnemar")) {
        long b = 0, cc = 0;
        for (size_t i = 0; i < c->n; i++) {
            if ((v[0][i] != 0 && v[0][i] != 1) || (v[1][i] != 0 && v[1][i] != 1)) {
                *e = STATS_NOT_FINITE;
                return NULL;
            }
            b += v[0][i] == 1 && v[1][i] == 0;
            cc += v[0][i] == 0 && v[1][i] == 1;
        }
        /* Exact below 25 discordant pairs, where the chi-square is a poor approximation. */
        int exact = b + cc < 25;
        struct stats_mcnemar r;
        if ((*e = stats_mcnemar(b, cc, exact, &r)) != STATS_OK) return NULL;
        json_t *o = json_pack("{s:I, s:f, s:f, s:I, s:I, s:s}", "n", (json_int_t)c->n, "statistic",
                              r.statistic, "p", r.p, "b", (json_int_t)b, "c", (json_int_t)cc,
                              "method", exact ? "exact" : "chi2");
        if (o && !exact) json_object_set_new(o, "df", json_integer(1));
        return o;
    }
    /* ols: the first column the outcome, the others the regressors. */
    size_t p = (size_t)c->count - 1;
    double *x = malloc(c->n * p * sizeof *x);
    if (!x) return NULL;
    for (size_t i = 0; i < c->n; i++)
        for (size_t j = 0; j < p; j++)
            x[i * p + j] = v[j + 1][i];
    struct stats_ols r;
    *e = stats_ols(v[0], x, c->n, p, &r);
    free(x);
    if (*e != STATS_OK) return NULL;
    json_t *coefficients = json_array();
    for (size_t j = 0; j < r.k; j++)
        json_array_append_new(coefficients,
                              json_pack("{s:s, s:f, s:f, s:f, s:f}", "name",
                                        j ? c->names[j] : "const", "estimate", r.coef[j], "se",
                                        r.se[j], "t", r.t[j], "p", r.p[j]));
    return json_pack("{s:I, s:o, s:f, s:f, s:f, s:f, s:f}", "n", (json_int_t)r.n, "coefficients",
                     coefficients, "r2", r.r2, "adj_r2", r.adj_r2, "f", r.f, "f_p", r.f_p,
                     "df_resid", r.df_resid);
}

int stats_command(const char *test, const char *csv_path, const char *columns, FILE *out, FILE *err)
{
    int is_ols = test && !strcmp(test, "ols");
    if (!test || (!is_ols && strcmp(test, "paired-t") && strcmp(test, "wilcoxon") &&
                  strcmp(test, "mcnemar"))) {
        fputs("jiayi stats: paired-t, wilcoxon, mcnemar or ols\n", err);
        return 2;
    }
    if (!csv_path || !columns) {
        fputs("jiayi stats: --csv FILE and --columns A,B[,...] are required\n", err);
        return 2;
    }
    struct columns c = {0};
    char *list = strdup(columns);
    for (char *save = NULL, *name = list ? strtok_r(list, ",", &save) : NULL; name;
         name = strtok_r(NULL, ",", &save)) {
        if (c.count == MAX_COLUMNS) break;
        c.names[c.count++] = name;
    }
    if (is_ols ? c.count < 2 : c.count != 2) {
        fprintf(err, "jiayi stats %s: --columns names %s\n", test,
                is_ols ? "the outcome then one to 15 regressors" : "two columns");
        free(list);
        return 2;
    }
    const char *names[MAX_COLUMNS][2];
    struct csv_column spec_columns[MAX_COLUMNS];
    for (int j = 0; j < c.count; j++) {
        names[j][0] = c.names[j];
        names[j][1] = NULL;
        spec_columns[j] = (struct csv_column){names[j], 1};
    }
    struct csv_spec spec = {spec_columns, c.count, 64};
    size_t len = 0;
    char *data = file_read_all(csv_path, &len);
    struct jy_error e = {0};
    struct csv_table *t = data ? csv_table_open(&spec, data, len, &e) : NULL;
    int rc = 1;
    if (!data)
        fprintf(err, "jiayi stats: cannot read %s\n", csv_path);
    else if (!t)
        fprintf(err, "jiayi stats: %s: %s%s%s\n", csv_path, e.code, e.field[0] ? ": " : "",
                e.field);
    else if (csv_table_read(t, take_row, &c, &e) < 0)
        fprintf(err, "jiayi stats: %s: %s\n", csv_path, c.bad[0] ? c.bad : "out of memory");
    else {
        enum stats_error why_not = STATS_OK;
        json_t *result = run(test, &c, &why_not);
        if (result) {
            char *text = json_dumps(result, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
            fprintf(out, "%s\n", text ? text : "{}");
            free(text);
            json_decref(result);
            rc = 0;
        } else {
            fprintf(err, "jiayi stats %s: %s\n", test, why(why_not));
        }
    }
    csv_table_close(t);
    free(data);
    for (int j = 0; j < c.count; j++)
        free(c.values[j]);
    free(list);
    return rc;
}
