/* immunisation.c (api) - the national immunisation schedule (PROTOCOLS.md §13) over HTTP:
 *   POST /protocols/immunisation/evaluate  the dry run API.md defines, nothing stored;
 *   GET  /residents/{id}/schedule/immunisation  the child's doses as of today;
 *   POST /residents/{id}/vaccinations  {vaccine, dose, date, lot?, place?} records a dose
 *        given (by the team, or elsewhere and copied from the booklet), awards the health
 *        points of a vaccination and moves the child's vaccination task on the work list to
 *        the next dose owed. The rules are domain/immunisation.c's; the county's choice of
 *        live or inactivated JE and hepatitis A vaccines is an indicator rule setting. */
#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "api/protocols.h"
#include "auth/scope.h"
#include "domain/immunisation.h"
#include "json/jsonx.h"
#include "store/followups.h"
#include "store/immunisation.h"
#include "store/kpi_person.h"
#include "store/points.h"
#include "store/residents.h"

#define MAX_GIVEN 64

/* The county's choice of JE and hepatitis A vaccines: indicator rules (kpi_rules), since
 * immunisation_timely_rate counts by them too. */
static struct immunisation_choice county_choice(struct db *db)
{
    struct kpi_rules rules;
    if (store_kpi_rules(db, &rules) < 0) rules = (struct kpi_rules){0};
    struct immunisation_choice choice = {rules.immunisation_je_inactivated,
                                         rules.immunisation_hepa_inactivated};
    return choice;
}

static json_t *dose_json(const struct dose_item *d)
{
    char due[11];
    date_format(d->due_date, due);
    json_t *o = json_pack("{s:s,s:i,s:s,s:s}", "vaccine", vaccine_code(d->vaccine), "dose", d->dose,
                          "due_date", due, "status", dose_status_name(d->status));
    char text[11];
    if (d->given) {
        date_format(d->given_on, text);
        json_object_set_new(o, "date", json_string(text));
    } else {
        date_format(d->overdue_from, text);
        json_object_set_new(o, "overdue_from", json_string(text));
    }
    return o;
}

static json_t *items_json(const struct dose_item *items, int n)
{
    json_t *list = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(list, dose_json(&items[i]));
    return list;
}

/* The doses of the body's "doses" list, each a dose of the county's schedule given on or
 * after the birth date. */
static int read_doses(json_t *body, struct date birth, const struct immunisation_choice *choice,
                      struct dose_given *out, int *n, struct jy_error *err)
{
    json_t *list = json_object_get(body, "doses");
    *n = 0;
    if (!list || json_is_null(list)) return 0;
    if (!json_is_array(list) || json_array_size(list) > MAX_GIVEN)
        return jy_fail(err, 422, "invalid_field", "doses",
                       "a list of at most %d {vaccine, dose, date}", MAX_GIVEN);
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        char field[48];
        if (!json_is_object(v)) {
            snprintf(field, sizeof field, "doses[%zu]", i);
            return jy_fail(err, 422, "invalid_field", field, "an object {vaccine, dose, date}");
        }
        const char *code = json_string_value(json_object_get(v, "vaccine"));
        int vaccine = vaccine_parse(code);
        snprintf(field, sizeof field, "doses[%zu].vaccine", i);
        if (!json_object_get(v, "vaccine")) return jy_fail(err, 422, "missing_field", field, NULL);
        if (vaccine < 0 || !immunisation_doses((enum vaccine)vaccine, choice))
            return jy_fail(err, 422, "invalid_field", field, "a vaccine of the county's schedule");
        json_t *dose = json_object_get(v, "dose");
        snprintf(field, sizeof field, "doses[%zu].dose", i);
        if (!dose) return jy_fail(err, 422, "missing_field", field, NULL);
        int doses = immunisation_doses((enum vaccine)vaccine, choice);
        if (!json_is_integer(dose) || json_integer_value(dose) < 1 ||
            json_integer_value(dose) > doses)
            return jy_fail(err, 422, "invalid_field", field, "1 to %d for %s", doses, code);
        snprintf(field, sizeof field, "doses[%zu].date", i);
        struct date given;
        const char *text = json_string_value(json_object_get(v, "date"));
        if (!json_object_get(v, "date")) return jy_fail(err, 422, "missing_field", field, NULL);
        if (!text || date_parse(text, &given) < 0)
            return jy_fail(err, 422, "invalid_date", field, "a date YYYY-MM-DD");
        if (date_compare(given, birth) < 0)
            return jy_fail(err, 422, "invalid_field", field, "not before the birth date");
        out[(*n)++] =
            (struct dose_given){(enum vaccine)vaccine, (int)json_integer_value(dose), given};
    }
    return 0;
}

int handle_immunisation_evaluate(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    struct date birth, as_of = date_today();
    struct dose_given given[MAX_GIVEN];
    int n_given = 0;
    struct immunisation_choice choice = county_choice(r->db);
    int rc;
    if (jx_date(body, "birth_date", JX_REQUIRED, &birth, NULL, &err) < 0 ||
        jx_date(body, "as_of", JX_OPTIONAL, &as_of, NULL, &err) < 0 ||
        read_doses(body, birth, &choice, given, &n_given, &err) < 0) {
        rc = reply_error(r, &err);
    } else if (date_compare(as_of, birth) < 0) {
        rc = reply_problem(r, 422, "invalid_field", "as_of");
    } else {
        struct dose_item items[IMMUNISATION_MAX_DOSES];
        int n = immunisation_evaluate(birth, as_of, given, n_given, &choice, items);
        rc = reply_json(r, 200, json_pack("{s:o}", "items", items_json(items, n)));
    }
    return rc;
}

/* The child's schedule as of `today` from the doses recorded: {"program","birth_date","as_of",
 * "next","items","given"}; *next_out (may be NULL) gets the next dose owed. NULL on error. */
static json_t *schedule_json(struct db *db, int64_t id, struct date birth, struct date today,
                             struct dose_item *next_out, int *has_next)
{
    struct dose_given given[MAX_GIVEN];
    json_t *rows;
    int n_given = store_vaccinations_given(db, id, given, MAX_GIVEN, &rows);
    if (n_given < 0) return NULL;
    struct immunisation_choice choice = county_choice(db);
    struct dose_item items[IMMUNISATION_MAX_DOSES];
    int n = immunisation_evaluate(birth, today, given, n_given, &choice, items);
    const struct dose_item *next = immunisation_next(items, n);
    if (has_next) *has_next = next != NULL;
    if (next && next_out) *next_out = *next;
    char birth_text[11], today_text[11];
    date_format(birth, birth_text);
    date_format(today, today_text);
    return json_pack("{s:s,s:s,s:s,s:o,s:o,s:o}", "program", "immunisation", "birth_date",
                     birth_text, "as_of", today_text, "next", next ? dose_json(next) : json_null(),
                     "items", items_json(items, n), "given", rows);
}

int api_immunisation_schedule(struct request *r, int64_t id, const json_t *record,
                              struct date today, json_t **out)
{
    struct date birth;
    if (date_parse(json_string_value(json_object_get(record, "birth_date")), &birth) < 0) return -1;
    *out = schedule_json(r->db, id, birth, today, NULL, NULL);
    return *out ? 0 : -1;
}

/* The child's one open vaccination task names the next dose owed: closed and opened again
 * when a dose is recorded (none when nothing more is owed). */
static int refresh_task(struct db *db, const struct subject *s, int64_t id,
                        const struct dose_item *next, int has_next)
{
    if (store_tasks_close(db, id, "vaccination", "immunisation") < 0) return -1;
    return has_next ? store_vaccination_task_open(db, id, s->team_id, s->doctor_id, s->county, next)
                    : 0;
}

static int read_vaccination(json_t *body, const struct subject *s, struct date today,
                            const struct immunisation_choice *choice, struct vaccination_input *in,
                            struct date *given, struct jy_error *err)
{
    int64_t dose = 0;
    if (jx_string(body, "vaccine", JX_REQUIRED, 20, &in->vaccine, err) < 0 ||
        jx_int(body, "dose", JX_REQUIRED, 1, 4, &dose, NULL, err) < 0 ||
        jx_date(body, "date", JX_REQUIRED, given, NULL, err) < 0 ||
        jx_string(body, "lot", JX_OPTIONAL, 40, &in->lot, err) < 0 ||
        jx_string(body, "place", JX_OPTIONAL, 100, &in->place, err) < 0)
        return -1;
    int vaccine = vaccine_parse(in->vaccine);
    if (vaccine < 0 || !immunisation_doses((enum vaccine)vaccine, choice))
        return jy_fail(err, 422, "invalid_field", "vaccine", "a vaccine of the county's schedule");
    if (dose > immunisation_doses((enum vaccine)vaccine, choice))
        return jy_fail(err, 422, "invalid_field", "dose", "1 to %d",
                       immunisation_doses((enum vaccine)vaccine, choice));
    if (date_compare(*given, s->birth) < 0 || date_compare(*given, today) > 0)
        return jy_fail(err, 422, "invalid_field", "date", "between the birth date and today");
    in->dose = (int)dose;
    return 0;
}

int handle_vaccination_create(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    if (scope_require_resident(r, id) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct subject s = {0};
    struct jy_error err;
    struct date today = date_today(), given;
    struct immunisation_choice choice = county_choice(r->db);
    struct vaccination_input in = {.resident_id = id, .recorded_by = r->user.user_id};
    json_t *schedule = NULL;
    int rc = -1;
    if (api_subject_load_or_reply(r, id, &s) < 0) goto done;
    in.county_code = s.county;
    if (read_vaccination(body, &s, today, &choice, &in, &given, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    char given_text[11], key[96];
    date_format(given, given_text);
    in.given_on = given_text;
    if (api_begin(r) < 0) goto done;
    int64_t vaccination = store_vaccination_insert(r->db, &in);
    if (vaccination == DB_CONSTRAINT) {
        jy_fail(&err, 409, "duplicate_dose", "dose", NULL);
        api_fail(r, &err);
        goto done;
    }
    struct dose_item next;
    int has_next = 0;
    snprintf(key, sizeof key, "vaccination:%lld:%s:%d", (long long)id, in.vaccine, in.dose);
    if (vaccination < 0 || store_points_award(r->db, id, "vaccination", key, given_text) < 0 ||
        !(schedule = schedule_json(r->db, id, s.birth, today, &next, &has_next)) ||
        refresh_task(r->db, &s, id, &next, has_next) < 0) {
        api_fail_internal(r, "vaccination");
        goto done;
    }
    if (api_audit(r, "create", "vaccination", vaccination, id) < 0 || api_commit(r) < 0) goto done;
    json_object_set_new(schedule, "id", json_integer(vaccination));
    json_object_set_new(schedule, "resident_id", json_integer(id));
    json_object_set_new(schedule, "vaccine", json_string(in.vaccine));
    json_object_set_new(schedule, "dose", json_integer(in.dose));
    json_object_set_new(schedule, "date", json_string(given_text));
    rc = reply_json(r, 201, schedule);
    schedule = NULL;
done:
    json_decref(schedule);
    json_decref(s.resident);
    return rc;
}
