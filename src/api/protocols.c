/* protocols.c (api) - see protocols.h; also the dry-run endpoint and the [jiayi] settings
 * (GET, PUT /api/v1/protocol-settings). */
#include "api/protocols.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "json/jsonx.h"
#include "kpi/kpi.h"
#include "store/followups.h"
#include "store/grid.h"
#include "store/kpi_person.h"

/* The indicator rules - who counts as elderly or as a child, how long after its term a
 * contract counts as renewed - live in the settings table that the population classes and
 * the indicators read. They are edited here beside the [jiayi] settings; a change re-counts
 * the residents it moves in its own transaction (kpi/retouch.c), so the counters stay equal
 * to a full recomputation without a `kpi rebuild` (issue 14). */
static const struct rule_setting {
    const char *key;
    int min, max, fallback;
    size_t offset; /* of the int in struct kpi_rules */
} RULE_SETTINGS[] = {{"elderly_age", 50, 80, 65, offsetof(struct kpi_rules, elderly_age)},
                     {"child_age_below", 1, 18, 7, offsetof(struct kpi_rules, child_age_below)},
                     {"kpi_renewal_days", 0, 365, 30, offsetof(struct kpi_rules, renewal_days)},
                     /* §13: the county's JE and hepatitis A vaccines, 1 the inactivated ones */
                     {"immunisation_je_inactivated", 0, 1, 0,
                      offsetof(struct kpi_rules, immunisation_je_inactivated)},
                     {"immunisation_hepa_inactivated", 0, 1, 0,
                      offsetof(struct kpi_rules, immunisation_hepa_inactivated)},
                     {NULL, 0, 0, 0, 0}};

static int *rule_field(struct kpi_rules *rules, const struct rule_setting *s)
{
    return (int *)(void *)((char *)rules + s->offset);
}

static const struct rule_setting *rule_setting_find(const char *key)
{
    for (const struct rule_setting *s = RULE_SETTINGS; s->key; s++)
        if (strcmp(s->key, key) == 0) return s;
    return NULL;
}

/* Appends the rule settings to the items of GET /protocol-settings, in the same shape. */
static int append_rule_settings(struct db *db, json_t *items)
{
    struct kpi_rules rules;
    if (store_kpi_rules(db, &rules) < 0) return -1;
    for (const struct rule_setting *s = RULE_SETTINGS; s->key; s++) {
        char changed_at[32];
        int version = store_rule_setting_version(db, s->key, changed_at);
        json_t *o = json_pack("{s:s, s:i, s:i, s:i, s:i, s:i}", "key", s->key, "value",
                              *rule_field(&rules, s), "default", s->fallback, "min", s->min, "max",
                              s->max, "version", version > 0 ? version : 0);
        jx_set_string_or_null(o, "changed_at", version > 0 ? changed_at : NULL);
        json_array_append_new(items, o);
    }
    return 0;
}

static const char *const PROGRAM_NAMES[] = {"hypertension", "diabetes", "smd",
                                            "elderly",      "child",    "maternal"};

int protocol_program_parse(const char *name)
{
    for (int i = 0; name && i <= PROGRAM_MATERNAL; i++)
        if (strcmp(PROGRAM_NAMES[i], name) == 0) return i;
    return -1;
}

const char *protocol_program_name(enum protocol_program p)
{
    return PROGRAM_NAMES[p];
}

static int read_findings(json_t *body, finding_set *out, struct jy_error *err)
{
    json_t *list = json_object_get(body, "findings");
    *out = 0;
    if (!list || json_is_null(list)) return 0;
    if (!json_is_array(list) || json_array_size(list) > FINDING_COUNT)
        return jy_fail(err, 422, "invalid_field", "findings", "a list of finding codes");
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        int f = finding_parse(json_string_value(v));
        if (f < 0) {
            jy_fail(err, 422, "invalid_field", "findings", "unknown finding code");
            return jy_error_value(err, json_is_string(v) ? json_string_value(v) : "?");
        }
        *out |= FINDING_BIT(f);
    }
    return 0;
}

/* Optional integer into *value with *has set. */
static int optional_int(json_t *body, const char *field, int min, int max, int *has, int *value,
                        struct jy_error *err)
{
    int64_t x = 0;
    if (jx_int(body, field, JX_OPTIONAL, min, max, &x, has, err) < 0) return -1;
    if (*has) *value = (int)x;
    return 0;
}

static int optional_tenths(json_t *body, const char *field, double min, double max, int *has,
                           int *tenths, struct jy_error *err)
{
    double x = 0;
    if (jx_number(body, field, JX_OPTIONAL, min, max, &x, has, err) < 0) return -1;
    if (*has) *tenths = chronic_tenths(x);
    return 0;
}

static int read_chronic(json_t *body, enum protocol_program p, int recorded,
                        struct protocol_input *in, struct jy_error *err)
{
    struct chronic_visit *v = &in->chronic;
    int64_t age = 0, previous = 0;
    int has_previous = 0;
    v->danger_level = -1;
    if (jx_date(body, "visit_date", JX_REQUIRED, &v->visit_date, NULL, err) < 0 ||
        (!recorded && jx_int(body, "age", JX_REQUIRED, 0, 130, &age, NULL, err) < 0) ||
        optional_int(body, "sbp", 40, 300, &v->has_sbp, &v->sbp, err) < 0 ||
        optional_int(body, "dbp", 20, 200, &v->has_dbp, &v->dbp, err) < 0 ||
        optional_tenths(body, "fbg", 0.5, 60.0, &v->has_fbg, &v->fbg_tenths, err) < 0 ||
        optional_int(body, "heart_rate", 20, 300, &v->has_heart_rate, &v->heart_rate, err) < 0 ||
        optional_tenths(body, "temperature", 30.0, 45.0, &v->has_temperature,
                        &v->temperature_tenths, err) < 0 ||
        jx_int(body, "previous_uncontrolled", JX_OPTIONAL, 0, 100, &previous, &has_previous, err) <
            0 ||
        read_findings(body, &v->findings, err) < 0)
        return -1;
    int has_danger = 0, danger = 0;
    if (optional_int(body, "danger_level", 0, 5, &has_danger, &danger, err) < 0) return -1;
    if (has_danger) v->danger_level = danger;
    v->age = (int)age;
    v->previous_uncontrolled = (int)previous;
    /* What each program cannot be judged without. */
    if (p == PROGRAM_HYPERTENSION && !v->has_sbp)
        return jy_fail(err, 422, "missing_field", "sbp", NULL);
    if (p == PROGRAM_HYPERTENSION && !v->has_dbp)
        return jy_fail(err, 422, "missing_field", "dbp", NULL);
    if (p == PROGRAM_DIABETES && !v->has_fbg)
        return jy_fail(err, 422, "missing_field", "fbg", NULL);
    if (p == PROGRAM_SMD && !has_danger)
        return jy_fail(err, 422, "missing_field", "danger_level", NULL);
    if (v->has_sbp != v->has_dbp)
        return jy_fail(err, 422, "missing_field", v->has_sbp ? "dbp" : "sbp", NULL);
    if (v->has_sbp && v->dbp >= v->sbp)
        return jy_fail(err, 422, "invalid_field", "dbp", "must be below the systolic pressure");
    return 0;
}

static int read_elderly(json_t *body, int recorded, struct protocol_input *in, struct jy_error *err)
{
    struct elderly_assessment *a = &in->elderly;
    int has_date = 0;
    if (jx_date(body, "assessment_date", JX_OPTIONAL, &a->assessment_date, &has_date, err) < 0)
        return -1;
    if (!has_date &&
        jx_date(body, "visit_date", JX_OPTIONAL, &a->assessment_date, &has_date, err) < 0)
        return -1;
    if (!has_date)
        return jy_fail(err, 422, "missing_field", recorded ? "visit_date" : "assessment_date",
                       NULL);
    json_t *care = json_object_get(body, "self_care");
    if (!care) return jy_fail(err, 422, "missing_field", "self_care", NULL);
    if (!json_is_object(care)) return jy_fail(err, 422, "invalid_field", "self_care", "an object");
    for (int i = 0; i < SELF_CARE_ITEMS; i++) {
        char field[48];
        int64_t answer = 0;
        snprintf(field, sizeof field, "self_care.%s", self_care_item_name((enum self_care_item)i));
        json_t *v = json_object_get(care, self_care_item_name((enum self_care_item)i));
        if (!v) return jy_fail(err, 422, "missing_field", field, NULL);
        if (!json_is_integer(v) || (answer = json_integer_value(v)) < 0 || answer > 3)
            return jy_fail(err, 422, "invalid_field", field, "an answer index 0 to 3");
        a->answers[i] = (int)answer;
    }
    int64_t chronic = 0, uncontrolled = 0;
    if (jx_int(body, "chronic_programs", JX_OPTIONAL, 0, 20, &chronic, NULL, err) < 0 ||
        jx_int(body, "uncontrolled_programs", JX_OPTIONAL, 0, 20, &uncontrolled, NULL, err) < 0 ||
        jx_bool(body, "emergency_in_90_days", JX_OPTIONAL, &a->emergency_in_90_days, NULL, err) < 0)
        return -1;
    if (uncontrolled > chronic)
        return jy_fail(err, 422, "invalid_field", "uncontrolled_programs",
                       "at most chronic_programs");
    a->chronic_programs = (int)chronic;
    a->uncontrolled_programs = (int)uncontrolled;
    return 0;
}

static int read_visits(json_t *body, struct protocol_input *in, struct jy_error *err)
{
    json_t *list = json_object_get(body, "visits");
    in->visit_count = 0;
    if (!list || json_is_null(list)) return 0;
    if (!json_is_array(list) || json_array_size(list) > PROTOCOL_MAX_VISITS)
        return jy_fail(err, 422, "invalid_field", "visits", "a list of at most %d dates",
                       PROTOCOL_MAX_VISITS);
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        if (!json_is_string(v) ||
            date_parse(json_string_value(v), &in->visits[in->visit_count]) != 0) {
            char field[40];
            snprintf(field, sizeof field, "visits[%zu]", i);
            return jy_fail(err, 422, "invalid_field", field, "a date YYYY-MM-DD");
        }
        in->visit_count++;
    }
    return 0;
}

static int read_factors(json_t *body, struct protocol_input *in, struct jy_error *err)
{
    json_t *list = json_object_get(body, "risk_factors");
    in->factor_count = 0;
    if (!list || json_is_null(list)) return 0;
    in->has_assessment = 1;
    if (!json_is_array(list) || json_array_size(list) > PROTOCOL_MAX_FACTORS)
        return jy_fail(err, 422, "invalid_field", "risk_factors", "a list of {code, color}");
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        char field[48];
        snprintf(field, sizeof field, "risk_factors[%zu]", i);
        const char *code = json_string_value(json_object_get(v, "code"));
        int color = risk_color_parse(json_string_value(json_object_get(v, "color")));
        if (!json_is_object(v) || !code || !*code || color < 0)
            return jy_fail(err, 422, "invalid_field", field,
                           "code and color green|yellow|orange|red|purple");
        in->factors[in->factor_count++] = (enum risk_color)color;
    }
    return 0;
}

int protocol_read(json_t *body, enum protocol_program program, int recorded,
                  struct protocol_input *in, struct jy_error *err)
{
    memset(in, 0, sizeof *in);
    in->program = program;
    switch (program) {
    case PROGRAM_HYPERTENSION:
    case PROGRAM_DIABETES:
    case PROGRAM_SMD:
        return read_chronic(body, program, recorded, in, err);
    case PROGRAM_ELDERLY:
        return read_elderly(body, recorded, in, err);
    case PROGRAM_CHILD:
        if (jx_date(body, "birth_date", recorded ? JX_OPTIONAL : JX_REQUIRED, &in->birth,
                    &in->has_birth, err) < 0 ||
            jx_date(body, "discharge_date", JX_OPTIONAL, &in->discharge, &in->has_discharge, err) <
                0 ||
            jx_date(body, "as_of", recorded ? JX_OPTIONAL : JX_REQUIRED, &in->as_of, &in->has_as_of,
                    err) < 0)
            return -1;
        return read_visits(body, in, err);
    case PROGRAM_MATERNAL:
        if (jx_date(body, "lmp", recorded ? JX_OPTIONAL : JX_REQUIRED, &in->lmp, &in->has_lmp,
                    err) < 0 ||
            jx_date(body, "as_of", recorded ? JX_OPTIONAL : JX_REQUIRED, &in->as_of, &in->has_as_of,
                    err) < 0 ||
            jx_date(body, "delivery_date", JX_OPTIONAL, &in->delivery, &in->has_delivery, err) <
                0 ||
            jx_date(body, "discharge_date", JX_OPTIONAL, &in->discharge, &in->has_discharge, err) <
                0 ||
            read_factors(body, in, err) < 0 || read_visits(body, in, err) < 0)
            return -1;
        if (in->has_lmp && in->has_delivery && date_compare(in->delivery, in->lmp) <= 0)
            return jy_fail(err, 422, "invalid_field", "delivery_date",
                           "after the last menstrual period");
        if (in->has_delivery && in->has_discharge && date_compare(in->discharge, in->delivery) < 0)
            return jy_fail(err, 422, "invalid_field", "discharge_date", "on or after the delivery");
        return 0;
    }
    return -1;
}

static json_t *date_json(struct date d)
{
    char text[11];
    date_format(d, text);
    return json_string(text);
}

/* The schedule as JSON, and the first point still open (due or upcoming) as the next task. */
static json_t *schedule_json(const struct schedule_point *p, int n, struct protocol_answer *out)
{
    json_t *list = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = json_pack("{s:s, s:o, s:o, s:s}", "point", p[i].point, "window_start",
                              date_json(p[i].window_start), "window_end",
                              date_json(p[i].window_end), "status", point_status_name(p[i].status));
        if (p[i].status == POINT_DONE)
            json_object_set_new(o, "visit_date", date_json(p[i].visit_date));
        json_array_append_new(list, o);
        int open = p[i].status == POINT_DUE || p[i].status == POINT_UPCOMING;
        if (open && !out->has_next_due) {
            out->has_next_due = 1;
            out->next_due = p[i].window_end;
        } else if (open && !out->has_following) {
            out->has_following = 1;
            out->following = p[i].window_end;
        }
    }
    return list;
}

void protocol_evaluate(const struct protocol_input *in, const struct protocol_config *c,
                       struct protocol_answer *out)
{
    memset(out, 0, sizeof *out);
    struct schedule_point points[SCHEDULE_MAX_POINTS];
    switch (in->program) {
    case PROGRAM_HYPERTENSION:
    case PROGRAM_DIABETES:
    case PROGRAM_SMD: {
        struct chronic_result r;
        if (in->program == PROGRAM_HYPERTENSION)
            hypertension_evaluate(&in->chronic, &r);
        else if (in->program == PROGRAM_DIABETES)
            diabetes_evaluate(&in->chronic, &r);
        else
            smd_evaluate(&in->chronic, &r);
        json_t *reasons = json_array();
        for (int i = 0; i < r.reason_count; i++)
            json_array_append_new(reasons, json_string(r.reasons[i]));
        out->json =
            json_pack("{s:s, s:s, s:o, s:o}", "classification",
                      chronic_class_name(r.classification), "action", chronic_action_name(r.action),
                      "next_due", date_json(r.next_due), "reasons", reasons);
        out->uncontrolled = chronic_class_is_uncontrolled(r.classification);
        out->emergency = r.classification == CLASS_EMERGENCY || r.classification == CLASS_UNSTABLE;
        out->classification = chronic_class_name(r.classification);
        out->action = chronic_action_name(r.action);
        out->chronic_class = r.classification;
        out->chronic_action = r.action;
        out->has_next_due = 1;
        out->next_due = r.next_due;
        return;
    }
    case PROGRAM_ELDERLY: {
        struct elderly_result r;
        elderly_evaluate(&in->elderly, c, &r);
        out->json = json_pack("{s:i, s:s, s:s, s:o}", "self_care_score", r.self_care_score,
                              "self_care_level", self_care_level_name(r.level), "color",
                              risk_color_name(r.color), "next_due", date_json(r.next_due));
        out->classification = risk_color_name(r.color);
        out->has_next_due = 1;
        out->next_due = r.next_due;
        return;
    }
    case PROGRAM_CHILD: {
        int n = child_schedule(in->birth, in->has_discharge ? &in->discharge : NULL, in->visits,
                               in->visit_count, in->as_of, c, points);
        out->json = json_pack("{s:o}", "schedule", schedule_json(points, n, out));
        break;
    }
    case PROGRAM_MATERNAL: {
        const struct date *delivery = in->has_delivery ? &in->delivery : NULL;
        int n = maternal_schedule(in->lmp, delivery, in->has_discharge ? &in->discharge : NULL,
                                  in->visits, in->visit_count, in->as_of, c, points);
        enum risk_color highest;
        int purple;
        maternal_risk(in->factors, in->factor_count, &highest, &purple);
        json_t *colors = json_pack("[s]", risk_color_name(highest));
        if (purple) json_array_append_new(colors, json_string("purple"));
        out->json = json_pack("{s:i, s:o, s:o}", "gestational_weeks",
                              maternal_gestational_weeks(in->lmp, delivery, in->as_of), "schedule",
                              schedule_json(points, n, out), "colors", colors);
        out->classification = risk_color_name(highest);
        out->risk = highest;
        out->purple = purple;
        break;
    }
    }
    /* Schedules: the next open point's closing day is also worth showing. */
    json_object_set_new(out->json, "next_due",
                        out->has_next_due ? date_json(out->next_due) : json_null());
}

int handle_protocol_evaluate(struct request *r)
{
    if (strcmp(r->params[0], "immunisation") == 0) return handle_immunisation_evaluate(r);
    int program = protocol_program_parse(r->params[0]);
    if (program < 0) return reply_problem(r, 404, "not_found", NULL);
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct protocol_input in;
    struct jy_error err;
    if (protocol_read(body, (enum protocol_program)program, 0, &in, &err) < 0) {
        return reply_error(r, &err);
    }
    struct protocol_config config = store_protocol_config(r->db);
    struct protocol_answer answer;
    protocol_evaluate(&in, &config, &answer);
    return reply_json(r, 200, answer.json);
}

int handle_protocol_settings_get(struct request *r)
{
    json_t *items = store_protocol_settings(r->db);
    if (items && append_rule_settings(r->db, items) < 0) {
        json_decref(items);
        items = NULL;
    }
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    return reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* PUT {"values": {"key": n, ...}}: every key known and in bounds, and the whole set
 * coherent, or nothing changes. Each changed key gets a new version. */
int handle_protocol_settings_put(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    json_t *values = json_object_get(body, "values");
    int rc = -1;
    if (!json_is_object(values) || json_object_size(values) == 0) {
        return reply_problem(r, 422, "invalid_field", "values");
    }
    struct protocol_config config = store_protocol_config(r->db), before = config;
    struct kpi_rules rules, rules_before;
    if (store_kpi_rules(r->db, &rules) < 0) {
        return reply_problem(r, 500, "internal_error", NULL);
    }
    rules_before = rules;
    const char *key;
    json_t *v;
    json_object_foreach(values, key, v) {
        const struct protocol_setting *s = protocol_setting_find(key);
        const struct rule_setting *rule = s ? NULL : rule_setting_find(key);
        char field[64];
        snprintf(field, sizeof field, "values.%s", key);
        if (rule) {
            if (!json_is_integer(v) || json_integer_value(v) < rule->min ||
                json_integer_value(v) > rule->max) {
                return reply_problem(r, 422, "invalid_field", field);
            }
            *rule_field(&rules, rule) = (int)json_integer_value(v);
            continue;
        }
        if (!s || !json_is_integer(v) || json_integer_value(v) < s->min ||
            json_integer_value(v) > s->max) {
            return reply_problem(r, 422, "invalid_field", s ? field : "values");
        }
        *protocol_config_field(&config, s) = (int)json_integer_value(v);
    }
    const char *bad = NULL;
    if (protocol_config_check(&config, &bad) < 0) {
        char field[64];
        snprintf(field, sizeof field, "values.%s", bad);
        return reply_problem(r, 422, "invalid_field", field);
    }
    if (api_begin(r) < 0) return rc;
    for (const struct protocol_setting *s = PROTOCOL_SETTINGS; s->key; s++) {
        int now = *protocol_config_field(&config, s);
        if (now == *protocol_config_field(&before, s)) continue;
        int version = store_protocol_setting_set(r->db, s->key, now, r->user.user_id);
        if (version < 0) {
            api_fail_internal(r, "protocol settings");
            return rc;
        }
        if (api_audit(r, "update", "protocol_setting", version, 0) < 0) return rc;
    }
    /* The residents the new rules count differently are taken out under the old ones first. */
    if (memcmp(&rules, &rules_before, sizeof rules) != 0 &&
        kpi_retouch_rules(r->db, &rules_before, &rules) < 0) {
        api_fail_internal(r, "indicator rules");
        return rc;
    }
    for (const struct rule_setting *s = RULE_SETTINGS; s->key; s++) {
        int now = *rule_field(&rules, s);
        if (now == *rule_field(&rules_before, s)) continue;
        int version = store_protocol_setting_set(r->db, s->key, now, r->user.user_id);
        if (version < 0 || store_rule_setting_set(r->db, s->key, now) < 0) {
            api_fail_internal(r, "indicator rules");
            return rc;
        }
        if (api_audit(r, "update", "protocol_setting", version, 0) < 0) return rc;
    }
    if (api_commit(r) < 0) return rc;
    rc = handle_protocol_settings_get(r);
    return rc;
}

void protocol_visit_measures(const struct chronic_visit *v, struct followup_input *f)
{
    f->has_sbp = v->has_sbp;
    f->sbp = v->sbp;
    f->has_dbp = v->has_dbp;
    f->dbp = v->dbp;
    f->has_heart_rate = v->has_heart_rate;
    f->heart_rate = v->heart_rate;
    f->has_danger = v->danger_level >= 0;
    f->danger_level = v->danger_level;
    f->has_fbg = v->has_fbg;
    f->fbg = v->fbg_tenths / 10.0;
    f->has_temperature = v->has_temperature;
    f->temperature = v->temperature_tenths / 10.0;
}
