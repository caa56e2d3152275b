/* enrolment.h - how a programme's management ends (结案) and what a resident's death or
 * move out of the county ends with it. Pure: api/ asks, store/ writes.
 *
 * The programmes a doctor enrols by diagnosis (hypertension, diabetes, SMD) are ended by a
 * doctor's decision with a reason; the ones that follow a fact of life (elderly from the
 * birthday, child until the 7th, maternal until 42 days after delivery) are started and
 * ended by the daily pass, so a hand-made end would be undone by it (or, for the elderly,
 * silently restarted the next night) and is refused. Death and moving away are recorded on
 * the resident (PATCH status), which ends every programme, the contract and the open tasks
 * on that day, so they are not reasons here. */
#ifndef JIAYI_DOMAIN_ENROLMENT_H
#define JIAYI_DOMAIN_ENROLMENT_H

#include "domain/population.h"
#include "util/date.h"

/* Whether a person of `age` (on the enrolment's start) and `sex` (M/F) may be enrolled in
 * `program` (PROTOCOLS.md §3-§6): hypertension and diabetes from 35 (the national
 * specification's management of patients 35 and over), the elderly from the configured age,
 * children below the configured age, maternal care for women of 12 to 60; other programmes
 * have no age criterion. 1 or 0. */
int enrolment_eligible(const char *program, int age, const char *sex,
                       const struct population_config *c);

/* The reasons a doctor may end a programme, NULL-terminated: excluded (the diagnosis was
 * ruled out, 排除诊断), refused (the resident declines management, 拒绝管理),
 * managed_elsewhere (followed by another institution, 转至他处管理), lost_to_followup
 * (失访), other. */
extern const char *const ENROLMENT_END_REASONS[];

/* NULL when an enrolment of `program` that started on `start` may be ended on `end`
 * (today being `today`), else the error code, with *field the offending field:
 * "automatic_program" (program) for elderly, child and maternal; "invalid_date"
 * (end_date) for an end before the start or after today. */
const char *enrolment_end_refusal(const char *program, struct date start, struct date end,
                                  struct date today, const char **field);

/* The contract end reason a resident's status gives ("deceased" -> "deceased",
 * "moved_out" -> "moved_away"), or NULL for a status that ends nothing ("alive"). */
const char *departure_contract_reason(const char *status);

/* The day a contract ends when its resident leaves on `left_on`: that day, but never before
 * the contract began (a renewal scheduled after it ends on its own start, unused). */
struct date departure_contract_end(struct date left_on, struct date contract_start);

#endif
