/* enumerations.c - GET /api/v1/enumerations: the closed lists the API accepts
 * (domain/vocabulary.h), for the UI's forms to offer exactly what the server takes instead
 * of keeping copies of their own. The words only; their labels are the UI's i18n. */
#include "api/handlers.h"
#include "domain/vocabulary.h"

int handle_enumerations(struct request *r)
{
    json_t *out = json_object();
    for (size_t i = 0; i < VOCABULARY_COUNT; i++) {
        json_t *words = json_array();
        for (const char *const *w = VOCABULARIES[i].words; *w; w++)
            json_array_append_new(words, json_string(*w));
        json_object_set_new(out, VOCABULARIES[i].name, words);
    }
    return reply_json(r, 200, out);
}
