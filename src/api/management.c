/* management.c - GET /residents/{id}/management?year=: for each program the resident was
 * enrolled in that year, the follow-ups done and owed, and whether the year counts as
 * standardised management (规范管理, PROTOCOLS.md §11, pro rata for a mid-year enrolment;
 * domain/standard.c). The elderly and child programs owe one assessment or check a year. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/handlers.h"
#include "auth/scope.h"
#include "domain/standard.h"
#include "store/followups.h"

static int pro_rata(const char *program)
{
    return strcmp(program, "hypertension") == 0 || strcmp(program, "diabetes") == 0 ||
           strcmp(program, "smd") == 0;
}

static int yearly(const char *program)
{
    return strcmp(program, "elderly") == 0 || strcmp(program, "child") == 0;
}

/* Adds days_enrolled, required, standardised and controlled to one item. */
static void judge(json_t *item, int year, struct date until)
{
    const char *program = json_string_value(json_object_get(item, "program"));
    struct date start, end = {0, 0, 0};
    date_parse(json_string_value(json_object_get(item, "start_date")), &start);
    int has_end = json_object_get(item, "end_date") != NULL;
    if (has_end) date_parse(json_string_value(json_object_get(item, "end_date")), &end);
    int days = standard_days_enrolled(start, has_end, end, year, until);
    json_int_t done = json_integer_value(json_object_get(item, "followups"));
    json_object_set_new(item, "days_enrolled", json_integer(days));
    if (pro_rata(program) || yearly(program)) {
        int required = pro_rata(program) ? standard_required(days, year) : days > 0;
        json_object_set_new(item, "required", json_integer(required));
        json_object_set_new(item, "standardised", json_boolean(done >= required));
    } else {
        json_object_set_new(item, "required", json_null());
        json_object_set_new(item, "standardised", json_null());
    }
    const char *latest = json_string_value(json_object_get(item, "latest_classification"));
    if (pro_rata(program))
        json_object_set_new(item, "controlled",
                            latest ? json_boolean(strcmp(latest, "controlled") == 0 ||
                                                  strcmp(latest, "stable") == 0)
                                   : json_null());
}

int handle_resident_management(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_resident(r, id) < 0) return -1;
    struct date today = date_today(), until;
    int year = today.year;
    const char *text = request_query(r, "year");
    if (text) {
        char *end;
        long y = strtol(text, &end, 10);
        if (*end || y < 2000 || y > today.year)
            return reply_problem(r, 422, "invalid_field", "year");
        year = (int)y;
    }
    until = (struct date){year, 12, 31};
    if (date_compare(today, until) < 0) until = today;
    char start_text[11], until_text[11];
    snprintf(start_text, sizeof start_text, "%04d-01-01", year);
    date_format(until, until_text);
    json_t *items = store_followup_year(r->db, id, start_text, until_text);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item)
        judge(item, year, until);
    char id_text[24];
    snprintf(id_text, sizeof id_text, "%lld", (long long)id);
    api_audit_read(r, "management", id_text, id);
    return reply_json(r, 200,
                      json_pack("{s:I, s:i, s:s, s:o}", "resident_id", (json_int_t)id, "year", year,
                                "as_of", until_text, "items", items));
}
