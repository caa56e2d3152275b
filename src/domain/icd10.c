/* icd10.c - see icd10.h. */
#include "domain/icd10.h"

#include <ctype.h>
#include <string.h>

int icd10_valid(const char *s)
{
    if (!s || !isupper((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
        !isdigit((unsigned char)s[2]))
        return 0;
    if (s[3] == '\0') return 1;
    if (s[3] != '.') return 0;
    size_t n = strlen(s + 4);
    if (n < 1 || n > 4) return 0;
    for (size_t i = 4; s[i]; i++)
        if (!isalnum((unsigned char)s[i])) return 0;
    return 1;
}
