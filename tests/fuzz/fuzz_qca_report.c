/* fuzz_qca_report.c - libFuzzer target (issue 22): POST /qca's and `jiayi qca`'s reader and
 * analysis (api/qca_report.c over api/csv_table.c and domain/qca.c) on any bytes as the CSV,
 * the outcome the last header column (or "y"). Beyond not crashing: an answer's truth table
 * counts every case once, each configuration's consistency is its positive share, and every
 * solution's coverage and consistency lie in [0, 1]; a refusal always names a code. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/qca_report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_solutions(json_t *kind)
{
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(kind, "solutions"), i, s) {
        double coverage = json_real_value(json_object_get(s, "coverage"));
        double consistency = json_real_value(json_object_get(s, "consistency"));
        if (coverage < 0 || coverage > 1 || consistency < 0 || consistency > 1) abort();
        /* every term made it into the answer (a name that is not UTF-8 would drop it) */
        size_t j;
        json_t *term;
        if (!json_array_size(json_object_get(s, "terms"))) abort();
        json_array_foreach(json_object_get(s, "terms"), j, term) {
            if (!json_string_length(json_object_get(term, "expression"))) abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The outcome: the text after the last comma of the first line, cut short. */
    char outcome[32] = "y";
    const uint8_t *nl = memchr(data, '\n', size);
    size_t line = nl ? (size_t)(nl - data) : size;
    for (size_t i = line; i-- > 0;)
        if (data[i] == ',') {
            size_t n = line - i - 1 < sizeof outcome - 1 ? line - i - 1 : sizeof outcome - 1;
            memcpy(outcome, data + i + 1, n);
            outcome[n] = '\0';
            if (n && outcome[n - 1] == '\r') outcome[n - 1] = '\0';
            break;
        }
    struct qca_request q = {.outcome = outcome, .cutoff = size % 2 ? 0.8 : 1.0};
    struct jy_error err = {0};
    json_t *r = qca_report((const char *)data, size, &q, &err);
    if (!r) {
        if (!err.code) abort();
        return 0;
    }
    json_int_t cases = 0, n = json_integer_value(json_object_get(r, "n"));
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(r, "truth_table"), i, row) {
        json_int_t k = json_integer_value(json_object_get(row, "n"));
        json_int_t positive = json_integer_value(json_object_get(row, "positive"));
        double consistency = json_real_value(json_object_get(row, "consistency"));
        if (k < 1 || positive < 0 || positive > k || consistency != (double)positive / (double)k)
            abort();
        cases += k;
    }
    if (cases != n) abort();
    json_int_t k = (json_int_t)json_array_size(json_object_get(r, "conditions"));
    if (k < 1 || k > QCA_MAX_CONDITIONS) abort(); /* every condition's name is in the answer */
    json_array_foreach(json_object_get(r, "truth_table"), i, row) {
        if ((json_int_t)json_object_size(json_object_get(row, "configuration")) != k) abort();
    }
    check_solutions(json_object_get(r, "complex"));
    check_solutions(json_object_get(r, "parsimonious"));
    json_decref(r);
    return 0;
}
