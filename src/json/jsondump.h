/* jsondump.h - compact JSON text from a jansson tree, numbers as people write them.
 *
 * jansson prints a real with "%.17g": 5.7 comes out as 5.7000000000000002. Here a real is the
 * shortest decimal that reads back to the same double (5.7, 0.30000000000000004), with ".0"
 * kept on integral values as jansson does, so a client still sees a decimal. Everything else
 * is as json_dumps(v, JSON_COMPACT) writes it (UTF-8 kept, object keys in insertion order). */
#ifndef JIAYI_JSON_JSONDUMP_H
#define JIAYI_JSON_JSONDUMP_H

#include <jansson.h>
#include <stddef.h>

#include "util/sbuf.h"

/* The shortest round-trip text of a finite double into buf (at least 32 bytes); its length. */
size_t jsonx_format_real(double v, char *buf, size_t size);
/* Appends the compact text of v to out; -1 when v holds something unprintable. */
int jsonx_dump_to(const json_t *v, struct sbuf *out);
/* The compact text of v, malloc'd (free it); NULL on failure. Drop-in for json_dumps. */
char *jsonx_dumps(const json_t *v);

#endif
