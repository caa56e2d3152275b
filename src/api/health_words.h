/* health_words.h - every text the resident's own view of the record says (GET
 * /residents/{id}/health-summary), in zh-CN and English, in one table (health_words.c) so
 * that a doctor or a translator reviews them all in one place and no staff code ever reaches
 * a resident. A key names what is said ("result.hypertension.adjust_high"); a text may hold
 * {placeholders} that the caller fills. tests/unit/test_health_words.c checks that every
 * code the engine can produce has its words, in both languages, with the same placeholders. */
#ifndef JIAYI_API_HEALTH_WORDS_H
#define JIAYI_API_HEALTH_WORDS_H

#include <jansson.h>

/* The text of `key` in English when en != 0, else in Chinese; NULL when there is no such key.
 * The string is static. */
const char *health_word(const char *key, int en);

/* The text of `key` (or, when there is no such key, of `fallback`) with every "{name}"
 * replaced by its value: the variable arguments are (name, value) pairs of strings ended by
 * one NULL. A placeholder without a value stays as written. Returns a new JSON string (caller
 * decrefs), or NULL when neither key exists or memory ran out. */
json_t *health_words_json(int en, const char *key, const char *fallback, ...);

/* For the table test: the number of entries, and entry i's key and texts. */
int health_words_count(void);
void health_words_entry(int i, const char **key, const char **zh, const char **en);

#endif
