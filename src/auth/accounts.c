/* accounts.c - the checks before `jiayi user add` creates an account. */
#include "auth/accounts.h"

#include <stdio.h>
#include <string.h>

#include "auth/password.h"
#include "domain/region_code.h"
#include "store/registry.h"
#include "store/services.h"
#include "store/users.h"

int account_check_username(const char *username, struct jy_error *err)
{
    long chars = 0;
    const unsigned char *p = (const unsigned char *)username;
    if (!p || !*p) return jy_fail(err, 422, "invalid_username", "username", "empty");
    while (*p) {
        int extra = *p < 0x80             ? 0
                    : (*p & 0xE0) == 0xC0 ? 1
                    : (*p & 0xF0) == 0xE0 ? 2
                    : (*p & 0xF8) == 0xF0 ? 3
                                          : -1;
        if (extra < 0) return jy_fail(err, 422, "invalid_username", "username", "not UTF-8");
        if (*p <= 0x20 || *p == 0x7F)
            return jy_fail(err, 422, "invalid_username", "username",
                           "a space or control character");
        p++;
        for (int i = 0; i < extra; i++, p++)
            if ((*p & 0xC0) != 0x80)
                return jy_fail(err, 422, "invalid_username", "username", "not UTF-8");
        chars++;
    }
    if (chars > USERNAME_MAX_CHARS)
        return jy_fail(err, 422, "invalid_username", "username", "more than %d characters",
                       USERNAME_MAX_CHARS);
    return 0;
}

static int check_scope(struct db *db, const struct account_request *a, struct jy_error *err)
{
    if (a->role == ROLE_RESIDENT) {
        if (!a->resident_id) return jy_fail(err, 422, "resident_required", "resident", NULL);
        int found = store_resident_exists(db, a->resident_id);
        if (found < 0) return jy_fail(err, 500, "internal_error", NULL, "resident lookup");
        if (!found) {
            char id[24];
            snprintf(id, sizeof id, "%lld", (long long)a->resident_id);
            jy_fail(err, 422, "unknown_resident_id", "resident", NULL);
            return jy_error_value(err, id);
        }
    } else if (a->resident_id) {
        return jy_fail(err, 422, "resident_not_allowed", "resident", NULL);
    }
    if ((a->role == ROLE_HEALTH_COMMISSION || a->role == ROLE_CENTER_ADMIN) &&
        (!a->region || !*a->region))
        return jy_fail(err, 422, "region_required", "region", NULL);
    if (a->region) {
        int found = store_region_exists(db, a->region, NULL);
        if (found < 0) return jy_fail(err, 500, "internal_error", NULL, "region lookup");
        if (!found) {
            jy_fail(err, 422, "invalid_region", "region", NULL);
            return jy_error_value(err, a->region);
        }
        /* A province or a city (511500, 510000) is a health commission's alone: the read-only
         * role of indicators and reports. A centre admin writes the grid and the teams below
         * its township and a village doctor works a village: neither spans an area. */
        if (region_level_is_area(region_code_level(a->region)) &&
            a->role != ROLE_HEALTH_COMMISSION) {
            jy_fail(err, 422, "region_too_wide", "region", NULL);
            return jy_error_value(err, a->region);
        }
    }
    if (a->staff_id) {
        int found = store_staff_exists(db, a->staff_id);
        if (found < 0) return jy_fail(err, 500, "internal_error", NULL, "staff lookup");
        if (!found) {
            char id[24];
            snprintf(id, sizeof id, "%lld", (long long)a->staff_id);
            jy_fail(err, 422, "unknown_staff_id", "staff", NULL);
            return jy_error_value(err, id);
        }
    }
    return 0;
}

int account_check_new(struct db *db, const struct account_request *a, struct jy_error *err)
{
    if (account_check_username(a->username, err) < 0) return -1;
    struct user_row existing;
    int found = store_user_by_username(db, a->username, &existing);
    if (found < 0) return jy_fail(err, 500, "internal_error", NULL, "user lookup");
    if (found) {
        jy_fail(err, 409, "username_taken", "username", NULL);
        return jy_error_value(err, existing.username);
    }
    if (password_policy_check(a->password, a->username, err) < 0) return -1;
    return check_scope(db, a, err);
}
