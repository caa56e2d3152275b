/* strmap.h - a map from strings to 64-bit values (open addressing, linear probing), for
 * lookups a bulk import does per row: division codes, household keys, the ID numbers seen
 * so far in a file. Keys are copied. An allocation failure is sticky (strmap_failed). */
#ifndef JIAYI_UTIL_STRMAP_H
#define JIAYI_UTIL_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct strmap {
    char **keys;
    int64_t *values;
    size_t cap, used;
    int failed;
};

void strmap_init(struct strmap *m);
void strmap_free(struct strmap *m);
/* Sets key to value (replacing). 0, or -1 when out of memory. */
int strmap_put(struct strmap *m, const char *key, int64_t value);
/* 1 and *value when the key is there, else 0. */
int strmap_get(const struct strmap *m, const char *key, int64_t *value);
int strmap_failed(const struct strmap *m);

#endif
