/* fault.c - see fault.h. */
#include "db/fault.h"

#include <stdlib.h>
#include <string.h>

#include "util/log.h"

static _Thread_local unsigned armed_ops;
static _Thread_local long countdown;
static _Thread_local int fired;

void db_fault_arm(unsigned ops, long nth)
{
    armed_ops = ops;
    countdown = nth;
    fired = 0;
}

int db_fault_disarm(void)
{
    armed_ops = 0;
    return fired;
}

int db_fault_parse(const char *text, unsigned *ops, long *nth)
{
    static const struct {
        const char *name;
        unsigned op;
    } NAMES[] = {{"any", DB_FAULT_ANY},
                 {"prepare", DB_FAULT_PREPARE},
                 {"step", DB_FAULT_STEP},
                 {"commit", DB_FAULT_COMMIT}};
    const char *colon = text ? strchr(text, ':') : NULL;
    if (!colon) return -1;
    *ops = 0;
    for (const char *p = text; p < colon;) {
        size_t len = strcspn(p, "+:");
        unsigned found = 0;
        for (size_t i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++)
            if (strlen(NAMES[i].name) == len && strncmp(p, NAMES[i].name, len) == 0)
                found = NAMES[i].op;
        if (!found) return -1;
        *ops |= found;
        p += len + (p[len] == '+');
    }
    char *end;
    *nth = strtol(colon + 1, &end, 10);
    return *end || *nth < 1 ? -1 : 0;
}

static _Thread_local unsigned long failures;

unsigned long db_failures(void)
{
    return failures;
}

void db_failure_note(void)
{
    failures++;
}

int db_fault_now(enum db_fault_op op, const char *sql)
{
    if (!(armed_ops & (unsigned)op) || --countdown > 0) return 0;
    armed_ops = 0;
    fired = 1;
    log_info("fault injected: this %s fails: %.160s",
             op == DB_FAULT_PREPARE ? "prepare"
             : op == DB_FAULT_STEP  ? "step"
                                    : "commit",
             sql);
    return 1;
}
