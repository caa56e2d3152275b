/* protocol_lists.c - see protocol_lists.h. */
#include "domain/protocol_lists.h"

#include <string.h>
#include <strings.h>

#include "domain/conclusion.h"
#include "domain/entitlement_use.h"

const struct protocol_list PROTOCOL_LISTS[] = {
    {"ecg_normal", CONCLUSION_ECG_NORMAL, conclusion_term_valid},
    {"ecg_abnormal", CONCLUSION_ECG_ABNORMAL, conclusion_term_valid},
    {"ultrasound_normal", CONCLUSION_ULTRASOUND_NORMAL, conclusion_term_valid},
    {"ultrasound_abnormal", CONCLUSION_ULTRASOUND_ABNORMAL, conclusion_term_valid},
    {"service_entitlements", ENTITLEMENT_RULES_DEFAULT, entitlement_rule_valid},
    {NULL, NULL, NULL},
};

const struct protocol_list *protocol_list_find(const char *key)
{
    for (const struct protocol_list *l = PROTOCOL_LISTS; key && l->key; l++)
        if (strcmp(l->key, key) == 0) return l;
    return NULL;
}

struct string_list protocol_list_default(const struct protocol_list *list)
{
    size_t n = 0;
    while (list->defaults[n])
        n++;
    return (struct string_list){list->defaults, n};
}

/* Code points of a valid UTF-8 string: every byte that does not continue a sequence. */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

enum protocol_list_problem protocol_list_check(const struct protocol_list *list,
                                               const char *const *items, size_t count, size_t *bad)
{
    *bad = 0;
    if (count > PROTOCOL_LIST_MAX_ITEMS) return LIST_TOO_MANY;
    for (size_t i = 0; i < count; i++) {
        *bad = i;
        if (!items[i][0]) return LIST_ITEM_EMPTY;
        if (utf8_chars(items[i]) > PROTOCOL_LIST_MAX_CHARS) return LIST_ITEM_TOO_LONG;
        if (list->item_valid && !list->item_valid(items[i])) return LIST_ITEM_INVALID;
        /* At most 500 x 500 / 2 short comparisons, once per change: no index needed. */
        for (size_t j = 0; j < i; j++)
            if (strcasecmp(items[j], items[i]) == 0) return LIST_ITEM_DUPLICATE;
    }
    return LIST_OK;
}
