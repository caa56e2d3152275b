/* measurements.c (api) - a resident's measurements over time for the trend charts
 * (GET /api/v1/residents/{id}/measurements?from=&to=). Scoped and audited like the
 * follow-up list it draws from. */
#include <stdio.h>

#include "api/handlers.h"
#include "auth/scope.h"
#include "store/measurements.h"

/* Ten years of monthly visits and more; a chart of more points would not be readable. */
#define MEASUREMENTS_LIMIT 1000

/* An optional date bound from the query into *out (NULL when absent); replies 422 naming
 * the parameter when it is not a date. */
static int date_query_or_reply(struct request *r, const char *name, const char **out,
                               struct date *d)
{
    *out = request_query(r, name);
    if (*out && date_parse(*out, d) < 0) return reply_problem(r, 422, "invalid_date", name);
    return 0;
}

int handle_resident_measurements(struct request *r)
{
    int64_t id;
    const char *from, *to;
    struct date from_date, to_date;
    if (request_param_id(r, 0, &id) < 0 || date_query_or_reply(r, "from", &from, &from_date) < 0 ||
        date_query_or_reply(r, "to", &to, &to_date) < 0)
        return -1;
    if (from && to && date_compare(from_date, to_date) > 0)
        return reply_problem(r, 422, "invalid_date", "to");
    if (scope_require_resident(r, id) < 0) return -1;
    json_t *items = store_measurements_list(r->db, id, from, to, MEASUREMENTS_LIMIT);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    char id_text[24];
    snprintf(id_text, sizeof id_text, "%lld", (long long)id);
    if (api_audit_read(r, "measurements", id_text, id) < 0) {
        json_decref(items);
        return -1;
    }
    return reply_json(r, 200, json_pack("{s:o}", "items", items));
}
