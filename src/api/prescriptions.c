/* prescriptions.c (api) - prescribing in the community (docs/hospital-loop.md "Drugs and
 * prescriptions"): ordinary, long (长处方) and extended (延伸处方) prescriptions against the
 * current county catalogue, refused with every reason domain/long_prescription.c gives; the
 * rule's verdict before prescribing (GET /residents/{id}/long-prescription-check); a
 * resident's prescriptions; and the delivery (pick-up at a village clinic, or a courier:
 * pending -> dispatched -> delivered, pending -> picked_up). Every id through auth/scope.c,
 * every write one transaction with its audit entry. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "auth/scope.h"
#include "domain/long_prescription.h"
#include "json/jsonx.h"
#include "store/prescriptions.h"
#include "store/registry.h"
#include "store/followups.h"

static const char *const CHRONIC[] = {"hypertension", "diabetes", "smd", NULL};
static const char *const KINDS[] = {"ordinary", "long", "extended", NULL};
static const char *const FREQUENCIES[] = {"qd",  "bid", "tid", "qid", "qn",
                                          "qod", "qw",  "prn", "st",  NULL};
static const char *const ROUTES_OF[] = {
    "oral",    "sublingual", "subcutaneous", "intramuscular", "intravenous", "inhaled",
    "topical", "rectal",     "eye",          "ear",           "nasal",       NULL};
#define MAX_ITEMS 20
#define ORDINARY_MAX_DAYS 30 /* 处方管理办法: 7 days, a chronic condition up to 30 */

/* The doses a frequency gives over `days` (the default quantity). */
static int doses_for(const char *frequency, int days)
{
    if (!strcmp(frequency, "bid")) return 2 * days;
    if (!strcmp(frequency, "tid")) return 3 * days;
    if (!strcmp(frequency, "qid")) return 4 * days;
    if (!strcmp(frequency, "qod")) return (days + 1) / 2;
    if (!strcmp(frequency, "qw")) return (days + 6) / 7;
    if (!strcmp(frequency, "st")) return 1;
    return days; /* qd, qn, prn */
}

static json_t *reasons_json(rx_reasons set)
{
    json_t *out = json_array();
    for (int i = 0; i < RX_REASON_COUNT; i++)
        if (set & RX_BIT(i))
            json_array_append_new(out, json_string(rx_reason_code((enum rx_reason)i)));
    return out;
}

/* The field a refusal names: the first reason's. */
static const char *reason_field(rx_reasons set)
{
    if (set & (RX_BIT(RX_NOT_ENROLLED) | RX_BIT(RX_NO_FOLLOWUP) | RX_BIT(RX_FOLLOWUP_TOO_OLD) |
               RX_BIT(RX_NOT_CONTROLLED) | RX_BIT(RX_NOT_ADHERENT)))
        return "program";
    if (set & RX_BIT(RX_DAYS_OUT_OF_RANGE)) return "days_supply";
    if (set & RX_BIT(RX_SOURCE_NOT_HOSPITAL)) return "source.institution_id";
    return "source.date";
}

/* Refuses with the reasons in the problem body; rolls back when in the writer. Returns -1. */
static int refuse(struct request *r, int in_writer, const char *code, const char *field,
                  rx_reasons set)
{
    struct jy_error err;
    jy_fail(&err, 422, code, field, NULL);
    if (in_writer) api_rollback(r);
    return reply_error_with(r, &err, json_pack("{s:o}", "reasons", reasons_json(set)));
}

/* The long prescription rule for a resident: the facts from the record, the verdict into
 * *out, and (when facts is not NULL) what it read. -1 on a store error. */
static int long_verdict(struct request *r, int64_t resident, const char *program, int has_days,
                        int days, const struct protocol_config *c, rx_reasons *out, json_t *facts)
{
    char date[11], classification[32], adherence[16];
    struct long_rx_facts f = {.has_days = has_days, .days = days, .today = date_today()};
    if (store_rx_followup_facts(r->db, resident, program, &f.enrolled, &f.has_followup, date,
                                classification, adherence) < 0)
        return -1;
    if (f.has_followup) date_parse(date, &f.followup_date);
    f.classification = *classification ? classification : NULL;
    f.adherence = *adherence ? adherence : NULL;
    *out = long_prescription_check(&f, c);
    if (facts) {
        json_object_set_new(facts, "enrolled", json_boolean(f.enrolled));
        json_object_set_new(facts, "latest_followup",
                            f.has_followup ? json_pack("{s:s, s:s?, s:s?}", "visit_date", date,
                                                       "classification", f.classification,
                                                       "medication_adherence", f.adherence)
                                           : json_null());
    }
    return 0;
}

int handle_long_prescription_check(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_resident(r, id) < 0) return -1;
    const char *program = request_query(r, "program"), *days_text = request_query(r, "days");
    int known = 0;
    for (int i = 0; program && CHRONIC[i]; i++)
        known |= strcmp(program, CHRONIC[i]) == 0;
    if (!program) return reply_problem(r, 422, "missing_field", "program");
    if (!known) return reply_problem(r, 422, "invalid_field", "program");
    int days = 0;
    if (days_text) {
        char *end;
        long v = strtol(days_text, &end, 10);
        if (*end || v < 1 || v > 365) return reply_problem(r, 422, "invalid_field", "days");
        days = (int)v;
    }
    struct protocol_config c = store_protocol_config(r->db);
    rx_reasons set = 0;
    json_t *out = json_pack("{s:I, s:s}", "resident_id", (json_int_t)id, "program", program);
    if (long_verdict(r, id, program, days_text != NULL, days, &c, &set, out) < 0) {
        json_decref(out);
        return reply_problem(r, 500, "internal_error", NULL);
    }
    json_object_set_new(out, "allowed", json_boolean(set == 0));
    json_object_set_new(out, "reasons", reasons_json(set));
    json_object_set_new(out, "min_days", json_integer(c.long_prescription_min_days));
    json_object_set_new(out, "max_days", json_integer(c.long_prescription_max_days));
    json_object_set_new(out, "followup_max_age_days",
                        json_integer(c.long_prescription_followup_days));
    char id_text[64];
    snprintf(id_text, sizeof id_text, "%lld/%s", (long long)id, program);
    api_audit_read(r, "long_prescription_check", id_text, id);
    return reply_json(r, 200, out);
}

/* A field of an element failed: named "<prefix>.<field>". */
static int nest_error(struct jy_error *err, const char *prefix)
{
    char field[160];
    snprintf(field, sizeof field, "%s.%s", prefix, err->field);
    snprintf(err->field, sizeof err->field, "%.63s", field);
    return -1;
}

struct item_read {
    struct prescription_item_input in;
    char dose[24], field[32], name[160];
};

static int read_item(json_t *o, size_t i, int days_supply, struct item_read *it,
                     struct jy_error *err)
{
    snprintf(it->field, sizeof it->field, "items[%zu]", i);
    memset(&it->in, 0, sizeof it->in);
    if (!json_is_object(o)) return jy_fail(err, 422, "invalid_field", it->field, "an object");
    const char *dose = NULL;
    int64_t days = days_supply, quantity = 0;
    int has_quantity = 0;
    json_t *d = json_object_get(o, "dose");
    if (json_is_number(d)) { /* 5 as well as "5" */
        double v = json_number_value(d);
        if (v <= 0 || v > 100000) {
            jy_fail(err, 422, "invalid_field", "dose", NULL);
            return nest_error(err, it->field);
        }
        snprintf(it->dose, sizeof it->dose, "%g", v);
        dose = it->dose;
    } else if (jx_string(o, "dose", JX_REQUIRED, 20, &dose, err) < 0) {
        return nest_error(err, it->field);
    }
    it->in.dose = dose;
    if (jx_string(o, "drug_code", JX_REQUIRED, 40, &it->in.drug_code, err) < 0 ||
        jx_string(o, "unit", JX_REQUIRED, 10, &it->in.unit, err) < 0 ||
        jx_enum(o, "frequency", JX_REQUIRED, FREQUENCIES, &it->in.frequency, err) < 0 ||
        jx_enum(o, "route", JX_OPTIONAL, ROUTES_OF, &it->in.route, err) < 0 ||
        jx_int(o, "days", JX_OPTIONAL, 1, days_supply, &days, NULL, err) < 0 ||
        jx_int(o, "quantity", JX_OPTIONAL, 1, 10000, &quantity, &has_quantity, err) < 0)
        return nest_error(err, it->field);
    it->in.days = (int)days;
    it->in.quantity = has_quantity ? (int)quantity : doses_for(it->in.frequency, (int)days);
    return 0;
}

struct source_read {
    int64_t institution_id, referral_id;
    const char *reference, *prescriber;
    struct date date;
    char date_text[11];
};

static int read_source(json_t *body, int extended, struct source_read *s, struct jy_error *err)
{
    json_t *o = json_object_get(body, "source");
    memset(s, 0, sizeof *s);
    if (!extended) {
        if (o && !json_is_null(o))
            return jy_fail(err, 422, "invalid_field", "source",
                           "only an extended prescription has a source");
        return 0;
    }
    if (!o) return jy_fail(err, 422, "missing_field", "source", NULL);
    if (!json_is_object(o)) return jy_fail(err, 422, "invalid_field", "source", "an object");
    if (jx_int(o, "institution_id", JX_REQUIRED, 1, INT64_MAX, &s->institution_id, NULL, err) < 0 ||
        jx_string(o, "reference", JX_REQUIRED, 60, &s->reference, err) < 0 ||
        jx_string(o, "prescriber", JX_REQUIRED, 40, &s->prescriber, err) < 0 ||
        jx_date(o, "date", JX_REQUIRED, &s->date, NULL, err) < 0 ||
        jx_int(o, "referral_id", JX_OPTIONAL, 1, INT64_MAX, &s->referral_id, NULL, err) < 0)
        return nest_error(err, "source");
    date_format(s->date, s->date_text);
    return 0;
}

struct delivery_read {
    const char *method;
    int64_t institution_id;
};

static int read_delivery(json_t *body, struct delivery_read *d, struct jy_error *err)
{
    static const char *const METHODS[] = {"pickup", "courier", NULL};
    json_t *o = json_object_get(body, "delivery");
    memset(d, 0, sizeof *d);
    if (!o || json_is_null(o)) return 0;
    if (!json_is_object(o)) return jy_fail(err, 422, "invalid_field", "delivery", "an object");
    if (jx_enum(o, "method", JX_REQUIRED, METHODS, &d->method, err) < 0 ||
        jx_int(o, "institution_id", strcmp(d->method, "pickup") == 0 ? JX_REQUIRED : JX_OPTIONAL, 1,
               INT64_MAX, &d->institution_id, NULL, err) < 0)
        return nest_error(err, "delivery");
    if (strcmp(d->method, "courier") == 0) d->institution_id = 0; /* a courier brings it home */
    return 0;
}

/* The pick-up clinic: a village clinic the user serves (its village granted). */
static int pickup_or_reply(struct request *r, int64_t institution_id)
{
    char level[16], kind[32], region[16];
    int found = store_institution_level(r->db, institution_id, level, kind);
    if (found < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (!found || strcmp(kind, "village_clinic") != 0)
        return reply_problem(r, 422, "invalid_field", "delivery.institution_id");
    if (store_institution_region(r->db, institution_id, region) != 0)
        return reply_problem(r, 500, "internal_error", NULL);
    return scope_require_region_granted(r, region, "delivery.institution_id");
}

int handle_prescription_create(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    int64_t resident = 0, days_supply = 0;
    const char *kind_name = NULL, *program = NULL;
    struct source_read src;
    struct delivery_read del;
    struct item_read items[MAX_ITEMS];
    size_t n_items = 0;
    int rc = -1;
    json_t *list = json_object_get(body, "items");
    if (jx_int(body, "resident_id", JX_REQUIRED, 1, INT64_MAX, &resident, NULL, &err) < 0 ||
        jx_enum(body, "kind", JX_REQUIRED, KINDS, &kind_name, &err) < 0 ||
        jx_enum(body, "program", JX_OPTIONAL, CHRONIC, &program, &err) < 0 ||
        jx_int(body, "days_supply", JX_REQUIRED, 1, 365, &days_supply, NULL, &err) < 0)
        goto fail;
    enum rx_kind kind = (enum rx_kind)rx_kind_parse(kind_name);
    if (kind == RX_LONG && !program) {
        jy_fail(&err, 422, "missing_field", "program", NULL);
        goto fail;
    }
    struct protocol_config config = store_protocol_config(r->db);
    /* Long is judged by the rule (days_out_of_range); the others have plain bounds. */
    if ((kind == RX_ORDINARY && days_supply > ORDINARY_MAX_DAYS) ||
        (kind == RX_EXTENDED && days_supply > config.long_prescription_max_days)) {
        jy_fail(&err, 422, "invalid_field", "days_supply", "at most %d days",
                kind == RX_ORDINARY ? ORDINARY_MAX_DAYS : config.long_prescription_max_days);
        goto fail;
    }
    if (!list) {
        jy_fail(&err, 422, "missing_field", "items", NULL);
        goto fail;
    }
    if (!json_is_array(list) || json_array_size(list) == 0 || json_array_size(list) > MAX_ITEMS) {
        jy_fail(&err, 422, "invalid_field", "items", "a list of 1 to %d drugs", MAX_ITEMS);
        goto fail;
    }
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o) {
        if (read_item(o, i, (int)days_supply, &items[i], &err) < 0) goto fail;
        n_items++;
    }
    if (read_source(body, kind == RX_EXTENDED, &src, &err) < 0 ||
        read_delivery(body, &del, &err) < 0)
        goto fail;

    char region[16], status[16], county[7];
    if (scope_require_resident(r, resident) < 0) goto done;
    int found = store_rx_resident(r->db, resident, region, status);
    if (found < 0) goto internal_outside;
    if (!found) {
        rc = reply_problem(r, 404, "not_found", NULL);
        goto done;
    }
    if (strcmp(status, "alive") != 0) {
        rc = reply_problem(r, 422, "invalid_field", "resident_id");
        goto done;
    }
    api_county_of(region, county);
    if (del.institution_id && pickup_or_reply(r, del.institution_id) < 0) goto done;
    struct date today = date_today();
    if (kind == RX_EXTENDED) {
        char level[16], inst_kind[32];
        int got = store_institution_level(r->db, src.institution_id, level, inst_kind);
        if (got < 0) goto internal_outside;
        if (!got) {
            rc = reply_problem(r, 422, "invalid_field", "source.institution_id");
            goto done;
        }
        rx_reasons set = extended_source_check(level, src.date, today, &config);
        if (set) {
            rc = refuse(r, 0, "extended_prescription_not_allowed", reason_field(set), set);
            goto done;
        }
    }
    if (api_begin(r) < 0) goto done;
    /* The rule is read inside the writer: a follow-up recorded meanwhile counts. */
    if (kind == RX_LONG) {
        rx_reasons set = 0;
        if (long_verdict(r, resident, program, 1, (int)days_supply, &config, &set, NULL) < 0)
            goto internal;
        if (set) {
            rc = refuse(r, 1, "long_prescription_not_allowed", reason_field(set), set);
            goto done;
        }
    }
    int version = store_drug_current_version(r->db);
    if (version < 0) goto internal;
    rx_reasons drug_set = 0;
    const char *drug_field = NULL;
    char field[48];
    for (i = 0; i < n_items; i++) {
        int village = 0, primary = 0;
        char name[160];
        int got = store_drug_flags(r->db, version, items[i].in.drug_code, &village, &primary, name,
                                   sizeof name);
        if (got < 0) goto internal;
        if (!got) {
            snprintf(field, sizeof field, "%s.drug_code", items[i].field);
            jy_fail(&err, 422, "unknown_drug", field, NULL);
            jy_error_value(&err, items[i].in.drug_code);
            rc = api_fail(r, &err);
            goto done;
        }
        snprintf(items[i].name, sizeof items[i].name, "%s", name);
        items[i].in.drug_name = items[i].name;
        rx_reasons set = prescription_drug_check(kind, primary, village, del.institution_id != 0);
        if (set && !drug_field) {
            snprintf(field, sizeof field, "%s.drug_code", items[i].field);
            drug_field = field;
        }
        drug_set |= set;
    }
    if (drug_set) {
        rc = refuse(r, 1, "drug_not_allowed", drug_field, drug_set);
        goto done;
    }
    char today_text[11];
    date_format(today, today_text);
    int64_t prescriber_institution = store_staff_institution(r->db, r->user.staff_id);
    struct prescription_input in = {.resident_id = resident,
                                    .kind = kind_name,
                                    .program = program,
                                    .prescribed_on = today_text,
                                    .prescriber_id = r->user.staff_id,
                                    .institution_id = prescriber_institution,
                                    .created_by = r->user.user_id,
                                    .days_supply = (int)days_supply,
                                    .catalogue_version = version,
                                    .source_institution_id = src.institution_id,
                                    .referral_id = src.referral_id,
                                    .source_reference = src.reference,
                                    .source_prescriber = src.prescriber,
                                    .source_date = kind == RX_EXTENDED ? src.date_text : NULL,
                                    .delivery_method = del.method,
                                    .pickup_institution_id = del.institution_id,
                                    .county_code = county};
    int64_t id = store_prescription_insert(r->db, &in);
    if (id < 0) goto internal;
    for (i = 0; i < n_items; i++)
        if (store_prescription_item_insert(r->db, id, &items[i].in) < 0) goto internal;
    if (api_audit(r, "create", "prescription", id, resident) < 0 || api_commit(r) < 0) goto done;
    int exists;
    json_t *out = store_prescription_get(r->db, id, &exists);
    rc = out ? reply_json(r, 201, out) : reply_problem(r, 500, "internal_error", NULL);
    goto done;
internal:
    rc = api_fail_internal(r, "prescription");
    goto done;
internal_outside:
    rc = reply_problem(r, 500, "internal_error", NULL);
    goto done;
fail:
    rc = reply_error(r, &err);
done:
    return rc;
}

int handle_resident_prescriptions(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_resident(r, id) < 0) return -1;
    return api_reply_resident_items(r, id, "prescriptions",
                                    store_prescriptions_list(r->db, id, 200));
}

int handle_prescription_get(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    int64_t resident = store_prescription_resident(r->db, id);
    if (scope_require_resident_of(r, resident) < 0) return -1;
    int found;
    json_t *out = store_prescription_get(r->db, id, &found);
    if (!out)
        return reply_problem(r, found ? 500 : 404, found ? "internal_error" : "not_found", NULL);
    char id_text[24];
    snprintf(id_text, sizeof id_text, "%lld", (long long)id);
    api_audit_read(r, "prescription", id_text, resident);
    return reply_json(r, 200, out);
}

/* The delivery's legal moves: a courier's parcel is dispatched then delivered; a pick-up is
 * picked up. Anything else (twice, backwards, the other method's step) is 409. */
static int delivery_move_legal(const char *method, const char *from, const char *to)
{
    if (strcmp(method, "courier") == 0)
        return (!strcmp(from, "pending") && !strcmp(to, "dispatched")) ||
               (!strcmp(from, "dispatched") && !strcmp(to, "delivered"));
    return !strcmp(method, "pickup") && !strcmp(from, "pending") && !strcmp(to, "picked_up");
}

int handle_prescription_delivery(struct request *r)
{
    static const char *const STATUSES[] = {"dispatched", "delivered", "picked_up", NULL};
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    const char *to = NULL, *tracking = NULL;
    int rc = -1;
    if (jx_enum(body, "status", JX_REQUIRED, STATUSES, &to, &err) < 0 ||
        jx_string(body, "tracking", JX_OPTIONAL, 40, &tracking, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    int64_t resident = store_prescription_resident(r->db, id);
    if (scope_require_resident_of(r, resident) < 0) goto done;
    if (api_begin(r) < 0) goto done;
    char method[16], from[16];
    int found = store_prescription_delivery_get(r->db, id, method, from);
    if (found < 0) goto internal;
    if (!found) {
        api_rollback(r);
        rc = reply_problem(r, 404, "not_found", NULL);
        goto done;
    }
    if (!*method || !delivery_move_legal(method, from, to)) {
        jy_fail(&err, 409, "invalid_state", "status", NULL);
        jy_error_value(&err, *from ? from : "none");
        rc = api_fail(r, &err);
        goto done;
    }
    if (tracking && strcmp(method, "courier") != 0) {
        jy_fail(&err, 422, "invalid_field", "tracking", "only a courier has a tracking number");
        rc = api_fail(r, &err);
        goto done;
    }
    if (store_prescription_delivery_set(r->db, id, to, tracking) < 0) goto internal;
    if (api_audit(r, "deliver", "prescription", id, resident) < 0 || api_commit(r) < 0) goto done;
    int exists;
    json_t *out = store_prescription_get(r->db, id, &exists);
    rc = out ? reply_json(r, 200, out) : reply_problem(r, 500, "internal_error", NULL);
    goto done;
internal:
    rc = api_fail_internal(r, "prescription delivery");
done:
    return rc;
}
