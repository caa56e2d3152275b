/* fault.h - fault injection, as SQLite tests itself (issue 20): the Nth prepare, step or
 * commit made by one thread fails as if the database had failed there, so that a test can
 * walk a write path failing at every point in turn and see a problem+json answer each time,
 * never a crash or a half-written record (tests/api/faults.test.mjs).
 *
 * Armed per thread: api/dispatch.c arms it for one request's handler when the server runs
 * with JIAYI_FAULT_INJECTION=1 and the request carries `X-Jiayi-Fault: <ops>:<n>`; nothing
 * else does, so a production server ignores the header. Disarmed, a check costs one
 * thread-local load. */
#ifndef JIAYI_DB_FAULT_H
#define JIAYI_DB_FAULT_H

enum db_fault_op {
    DB_FAULT_PREPARE = 1, /* db_prepare answers NULL */
    DB_FAULT_STEP = 2,    /* db_step answers DB_ERROR without stepping */
    DB_FAULT_COMMIT = 4,  /* COMMIT (or a request's RELEASE in a group commit) fails */
    DB_FAULT_ANY = 7,
};

/* This thread's `nth` (1-based) call of one of `ops` fails, once. */
void db_fault_arm(unsigned ops, long nth);
/* Stops counting; returns 1 when the armed fault fired. */
int db_fault_disarm(void);
/* Parses "<ops>:<n>", ops being any, prepare, step or commit (or several joined by '+'). 0,
 * or -1 when the text is not one. */
int db_fault_parse(const char *text, unsigned *ops, long *nth);
/* Called at each fault point with the SQL concerned: 1 when this call must fail (logged as
 * injected, with the SQL). */
int db_fault_now(enum db_fault_op op, const char *sql);

/* How many database calls have failed on this thread (a prepare, a step or a statement
 * that failed other than by a constraint), injected or real. A request notes the count when
 * its handler starts: a verdict reached after the database failed cannot be trusted (a
 * lookup that failed reads as "absent"), so http/response.c answers 500 instead of a 4xx,
 * as SQLite's sticky error flag turns any later result into the error. */
unsigned long db_failures(void);
void db_failure_note(void);

#endif
