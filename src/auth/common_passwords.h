/* common_passwords.h - the compiled-in list of passwords too common to allow. */
#ifndef JIAYI_AUTH_COMMON_PASSWORDS_H
#define JIAYI_AUTH_COMMON_PASSWORDS_H

#include <stddef.h>

/* Lower case, ASCII. */
extern const char *const COMMON_PASSWORDS[];
extern const size_t COMMON_PASSWORD_COUNT;

#endif
