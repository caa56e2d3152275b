/* stats_command.h - `jiayi stats paired-t|wilcoxon|mcnemar|ols --csv FILE --columns A,B[,…]`
 * (API.md; issue 22): the statistics of domain/stats.c on columns of a CSV file, printed as
 * one JSON object, for reproducing a study's numbers and checking them against SciPy. */
#ifndef JIAYI_API_STATS_COMMAND_H
#define JIAYI_API_STATS_COMMAND_H

#include <stdio.h>

/* Runs the test on the file's columns; prints the JSON to out, or a message to err.
 * Returns the exit status: 0, 1 (the data cannot give the statistic), 2 (usage). */
int stats_command(const char *test, const char *csv_path, const char *columns, FILE *out,
                  FILE *err);

#endif
