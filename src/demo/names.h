/* names.h - deterministic generation of plausible names and village names for the demo. */
#ifndef JIAYI_DEMO_NAMES_H
#define JIAYI_DEMO_NAMES_H

#include <stddef.h>
#include <stdint.h>

/* splitmix64: small, fast, and the same sequence on every machine for a seed. */
struct rng {
    uint64_t state;
};
uint64_t rng_next(struct rng *r);
/* Uniform in [lo, hi]. */
int rng_int(struct rng *r, int lo, int hi);
double rng_unit(struct rng *r);
int rng_chance(struct rng *r, double p);

/* A surname drawn with Sichuan frequencies into out. */
void name_surname(struct rng *r, char *out, size_t n);
/* A full name: the given surname (or a drawn one when NULL) and one or two given-name
 * characters typical of the sex and birth decade. */
void name_person(struct rng *r, const char *surname, char sex, int birth_year, char *out, size_t n);
/* A two-character village name plus 村 (or 社区 when urban). */
void name_village(struct rng *r, int urban, char *out, size_t n);

#endif
