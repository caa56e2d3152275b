/* enrolment.c - the end of a programme's management and of what a departure ends (see
 * enrolment.h). */
#include "domain/enrolment.h"

#include <string.h>

const char *const ENROLMENT_END_REASONS[] = {"excluded",         "refused", "managed_elsewhere",
                                             "lost_to_followup", "other",   NULL};

const char *enrolment_end_refusal(const char *program, struct date start, struct date end,
                                  struct date today, const char **field)
{
    static const char *const AUTOMATIC[] = {"elderly", "child", "maternal", NULL};
    for (int i = 0; AUTOMATIC[i]; i++) {
        if (program && strcmp(program, AUTOMATIC[i]) == 0) {
            *field = "program";
            return "automatic_program";
        }
    }
    if (date_compare(end, start) < 0 || date_compare(end, today) > 0) {
        *field = "end_date";
        return "invalid_date";
    }
    *field = NULL;
    return NULL;
}

const char *departure_contract_reason(const char *status)
{
    if (!status) return NULL;
    if (strcmp(status, "deceased") == 0) return "deceased";
    if (strcmp(status, "moved_out") == 0) return "moved_away";
    return NULL;
}

struct date departure_contract_end(struct date left_on, struct date contract_start)
{
    return date_compare(left_on, contract_start) < 0 ? contract_start : left_on;
}

int enrolment_eligible(const char *program, int age, const char *sex,
                       const struct population_config *c)
{
    if (!strcmp(program, "hypertension") || !strcmp(program, "diabetes")) return age >= 35;
    if (!strcmp(program, "elderly")) return age >= c->elderly_age;
    if (!strcmp(program, "child")) return age < c->child_age_below;
    if (!strcmp(program, "maternal")) return sex && sex[0] == 'F' && age >= 12 && age <= 60;
    return 1;
}
