/* accounts.h - what must hold before an account is created or its password changed
 * (`jiayi user add`, `jiayi user passwd`): a usable username no other account has in any
 * letter case, a password that meets the policy (password.h), and the data scope the role
 * cannot work without. Errors come as struct jy_error codes with zh-CN and English messages
 * (http/messages.c). */
#ifndef JIAYI_AUTH_ACCOUNTS_H
#define JIAYI_AUTH_ACCOUNTS_H

#include <stdint.h>

#include "domain/roles.h"
#include "db/db.h"
#include "util/error.h"

#define USERNAME_MAX_CHARS 64 /* what the login form and POST /session accept */

struct account_request {
    const char *username, *password, *display_name;
    enum role role;
    const char *region;  /* scope_region: health commission, center admin, village doctor */
    int64_t staff_id;    /* 0 when none */
    int64_t resident_id; /* the resident role: who they are; 0 when none */
};

/* 1 to USERNAME_MAX_CHARS characters of UTF-8 text without spaces or control characters
 * (422 invalid_username). Pure. */
int account_check_username(const char *username, struct jy_error *err);
/* Every check of `user add`, in order: the username (above, then 409 username_taken when an
 * account has it in any letter case), the password policy, and the scope: a resident account
 * must name an existing resident (422 resident_required / unknown_resident_id) and only a
 * resident account may (resident_not_allowed); a health commission or center admin account
 * must name a region (region_required); a named region and staff member must exist
 * (invalid_region, unknown_staff_id), and a province or a city (region_code.h) is a health
 * commission's only (region_too_wide). Returns 0, or -1 with err (500 internal_error on a
 * database error). */
int account_check_new(struct db *db, const struct account_request *a, struct jy_error *err);

#endif
