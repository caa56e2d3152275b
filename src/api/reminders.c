/* reminders.c (api) - GET /api/v1/reminders/effect (issue 16): does reminding work? The
 * tasks of a scope's residents first reminded in [from, to] against their tasks due in
 * [from, to] never reminded, each with the share done within 14 days (of the first reminder;
 * of the due date). Counts only, as the indicators: reminder_completion_rate is the first. */
#include <stdio.h>

#include "api/handlers.h"
#include "api/indicators.h"
#include "kpi/kpi.h"

static json_t *side(int64_t tasks, int64_t done)
{
    return json_pack("{s:I, s:I, s:o}", "tasks", (json_int_t)tasks, "completed", (json_int_t)done,
                     "rate", tasks ? json_real((double)done / (double)tasks) : json_null());
}

static int date_or_reply(struct request *r, const char *name, struct date fallback,
                         struct date *out)
{
    const char *text = request_query(r, name);
    *out = fallback;
    if (text && date_parse(text, out) < 0) return reply_problem(r, 422, "invalid_date", name);
    return 0;
}

int handle_reminder_effect(struct request *r)
{
    const char *scope_text = request_query(r, "scope");
    if (!scope_text) return reply_problem(r, 422, "missing_field", "scope");
    struct date today = date_today(), from, to;
    struct date year_start = {today.year, 1, 1};
    if (date_or_reply(r, "from", year_start, &from) < 0 || date_or_reply(r, "to", today, &to) < 0)
        return -1;
    if (date_compare(from, to) > 0) return reply_problem(r, 422, "invalid_field", "from");
    struct kpi_scope scope;
    if (api_indicator_scope_or_reply(r, scope_text, &scope) < 0) return -1;
    struct reminder_effect e;
    if (kpi_reminder_effect(r->db, &scope, from, to, &e) < 0)
        return reply_problem(r, 500, "internal_error", NULL);
    char from_text[11], to_text[11];
    date_format(from, from_text);
    date_format(to, to_text);
    json_t *reminded = side(e.reminded, e.reminded_done),
           *not_reminded = side(e.not_reminded, e.not_reminded_done);
    json_t *difference = json_null();
    if (e.reminded && e.not_reminded)
        difference = json_real((double)e.reminded_done / (double)e.reminded -
                               (double)e.not_reminded_done / (double)e.not_reminded);
    return reply_json(r, 200,
                      json_pack("{s:s, s:s, s:s, s:i, s:o, s:o, s:o}", "scope", scope_text, "from",
                                from_text, "to", to_text, "window_days", REMINDER_EFFECT_DAYS,
                                "reminded", reminded, "not_reminded", not_reminded, "difference",
                                difference));
}
