/* indicators.h - the request pieces every indicator route shares: scope (checked through
 * the scope module), codes, period, and the parts read from the counters. Each returns 0,
 * or replies the error and returns -1. */
#ifndef JIAYI_API_INDICATORS_H
#define JIAYI_API_INDICATORS_H

#include <jansson.h>

#include "http/request.h"
#include "domain/indicator_targets.h"
#include "kpi/kpi.h"

/* Parses ?scope= and requires it inside the user's data scope (403 out_of_scope). */
int api_indicator_scope_or_reply(struct request *r, const char *text, struct kpi_scope *scope);
/* ?codes=a,b (NULL: every code) into a mask; 422 naming "codes" on an unknown code. */
int api_indicator_codes_or_reply(struct request *r, const char *text,
                                 unsigned char wanted[KPI_COUNT]);
/* ?period= (default: this year); 422 for a malformed or future period. Loads the frame and
 * gives the period's "as of". */
int api_indicator_period_or_reply(struct request *r, const char *text, struct kpi_frame *frame,
                                  struct period *p, struct date *as_of);
/* The scope's parts: from the counters, or computed when the period is not covered; the
 * indicators counted directly only when `wanted` (NULL: every code) asks for one of them
 * (the parts of the others are left 0). */
int api_indicator_parts(struct request *r, const struct kpi_frame *frame,
                        const struct kpi_scope *scope, const struct period *p, struct date as_of,
                        const unsigned char *wanted, struct kpi_parts *out);
/* api_indicator_parts for n scopes at once: the indicators no counter keeps are read once for
 * all of them (kpi_direct_parts_all) rather than once per scope. */
int api_indicator_parts_many(struct request *r, const struct kpi_frame *frame,
                             const struct kpi_scope *scopes, int n, const struct period *p,
                             struct date as_of, const unsigned char *wanted, struct kpi_parts *out);
/* The targets in force (defaults with the deployment's changes); replies 500 on failure. */
int api_indicator_targets_or_reply(struct request *r, struct kpi_targets *targets);
/* {"code","name","numerator","denominator","value","unit","direction","target","status"}
 * of one code; `targets` NULL: no target (status "none"). */
json_t *api_indicator_item(const struct kpi_parts *parts, int code, int en,
                           const struct kpi_targets *targets);
/* The items of the wanted codes. */
json_t *api_indicator_items(const struct kpi_parts *parts, const unsigned char wanted[KPI_COUNT],
                            int en, const struct kpi_targets *targets);

#endif
