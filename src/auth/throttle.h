/* throttle.h - failed-login throttling (docs/security.md, "Login and sessions").
 *
 * Three counters of failures, each over a fixed 15-minute window:
 *   - the account at one address: THROTTLE_MAX_PER_USER. The guessing limit for one account
 *     from one place; the only one that a user's own correct password never bypasses.
 *   - the address, over every account: THROTTLE_MAX_PER_ADDRESS (password spraying).
 *   - the account, over every address: THROTTLE_MAX_PER_ACCOUNT (guessing from many places).
 * An attempt is admitted only while each counter, counting the attempts still in flight, is
 * below its limit; so parallel requests cannot slip past a limit during the slow argon2id
 * check. An address from which the account logged in successfully in the last
 * THROTTLE_KNOWN_SECONDS is *known* for it: the address and account counters do not hold it
 * back, so neither a colleague's typing behind the same NAT nor strangers guessing from
 * elsewhere lock a user out of the account they use there. A success also clears its own
 * account-at-address counter and takes those failures (the user's typos) off the other two.
 *
 * Account names fold ASCII case (the login lookup does too); an IPv6 address counts by its
 * /64, the block one subscriber gets. In memory, in a bounded table: a restart forgets, which
 * only ever helps a legitimate user. Thread-safe. */
#ifndef JIAYI_AUTH_THROTTLE_H
#define JIAYI_AUTH_THROTTLE_H

#include <time.h>

#include "util/must_use.h"

#define THROTTLE_WINDOW_SECONDS 900
#define THROTTLE_MAX_PER_USER 5     /* one account from one address */
#define THROTTLE_MAX_PER_ADDRESS 20 /* one address, all accounts */
#define THROTTLE_MAX_PER_ACCOUNT 20 /* one account, all addresses */
#define THROTTLE_KNOWN_SECONDS (30 * 86400)

#define THROTTLE_KEY_BYTES 16

/* One admitted attempt, between throttle_reserve and throttle_settle. */
struct throttle_ticket {
    unsigned char keys[3][THROTTLE_KEY_BYTES]; /* account at address, address, account */
    unsigned char known_key[THROTTLE_KEY_BYTES];
    int admitted;
};

enum throttle_outcome {
    THROTTLE_SUCCEEDED, /* the password was right: forgive this address's failures */
    THROTTLE_FAILED,    /* wrong password, unknown or disabled account: count it */
    THROTTLE_ABANDONED, /* no answer (a server error): neither */
};

/* Reserves an attempt to log in to `account` from `address` at `now`: 0 and t admitted when
 * every applicable limit, counting attempts in flight, still has room; -1 when the attempt
 * must be refused (429) without checking the password. Every admitted ticket must be settled. */
JY_MUST_USE int throttle_reserve(const char *account, const char *address, time_t now,
                                 struct throttle_ticket *t);
/* Ends an admitted attempt with its outcome. No-op for a ticket that was not admitted. */
void throttle_settle(struct throttle_ticket *t, enum throttle_outcome outcome, time_t now);
/* Forgets every counter (unit tests). */
void throttle_reset(void);

#endif
