/* contracts.c (api) - family-doctor contracts (签约):
 * signing with eligibility, capacity and one-active-contract checks, and reading. A
 * contract signed from a past day takes up the services recorded in its term so far
 * (issue 12: services consume entitlements by themselves); deliveries by hand remain for
 * what jiayi does not record. */
#include <string.h>

#include "api/handlers.h"
#include "auth/scope.h"
#include "domain/contract.h"
#include "domain/fees.h"
#include "domain/id_number.h"
#include "domain/vocabulary.h"
#include "json/jsonx.h"
#include "render/agreement.h"
#include "store/contracts.h"
#include "store/entitlement_use.h"
#include "store/entitlements.h"
#include "store/packages.h"
#include "store/registry.h"
#include "store/residents.h"
#include "util/sbuf.h"

#define MAX_PACKAGES 8

int api_reply_contract(struct request *r, int status, int64_t id)
{
    json_t *c = store_contract_get(r->db, id);
    if (!c) return reply_problem(r, 404, "not_found", NULL);
    return reply_json(r, status, c);
}

/* Loads a contract the caller may act on: replies 404/403 itself. Caller decrefs. */
json_t *api_contract_in_scope_or_reply(struct request *r, int64_t *id)
{
    if (request_param_id(r, 0, id) < 0) return NULL;
    json_t *c = store_contract_get(r->db, *id);
    if (!c) {
        reply_problem(r, 404, "not_found", NULL);
        return NULL;
    }
    if (scope_require_resident(r, json_integer_value(json_object_get(c, "resident_id"))) < 0) {
        json_decref(c);
        return NULL;
    }
    return c;
}

int handle_contract_get(struct request *r)
{
    int64_t id;
    char id_text[24];
    json_t *c = api_contract_in_scope_or_reply(r, &id);
    if (!c) return -1;
    snprintf(id_text, sizeof id_text, "%lld", (long long)id);
    api_audit_read(r, "contract", id_text, json_integer_value(json_object_get(c, "resident_id")));
    return reply_json(r, 200, c);
}

/* The agreement as a PDF (render/agreement.c): the same audit as reading the contract. */
int handle_contract_agreement_pdf(struct request *r)
{
    int64_t id;
    json_t *c = api_contract_in_scope_or_reply(r, &id);
    if (!c) return -1;
    int64_t resident_id = json_integer_value(json_object_get(c, "resident_id"));
    json_t *resident = store_resident_get(r->db, resident_id);
    json_t *team = store_team_get(r->db, json_integer_value(json_object_get(c, "team_id")));
    char masked[19] = "", partners[256] = "", id_text[24];
    const char *number =
        resident ? json_string_value(json_object_get(resident, "id_number")) : NULL;
    if (number) id_number_mask(number, masked);
    static const char *const PARTNER_KEYS[] = {"district_hospital_id", "city_hospital_id"};
    for (int i = 0; i < 2; i++) {
        char name[128];
        int64_t hid = json_integer_value(json_object_get(c, PARTNER_KEYS[i]));
        if (!hid || store_institution_name(r->db, hid, name, sizeof name) != 0) continue;
        size_t used = strlen(partners);
        snprintf(partners + used, sizeof partners - used, "%s%s", used ? "、" : "", name);
    }
    struct agreement_parties parties = {c, resident, team, partners, masked};
    struct sbuf pdf;
    sbuf_init(&pdf);
    int rc = agreement_pdf(&parties, &pdf);
    json_decref(resident);
    json_decref(team);
    json_decref(c);
    if (rc < 0) {
        sbuf_free(&pdf);
        return reply_problem(r, 500, "internal_error", NULL);
    }
    snprintf(id_text, sizeof id_text, "%lld", (long long)id);
    api_audit_read(r, "contract", id_text, resident_id);
    char disposition[96];
    snprintf(disposition, sizeof disposition, "inline; filename=\"agreement-%lld.pdf\"",
             (long long)id);
    reply_bytes(r, 200, "application/pdf", pdf.data, pdf.len);
    reply_header(r, "Content-Disposition", disposition);
    sbuf_free(&pdf);
    return 0;
}

int handle_resident_contract(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_resident(r, id) < 0) return -1;
    json_t *summary = store_contract_summary(r->db, id);
    if (json_is_null(summary)) return reply_problem(r, 404, "not_found", NULL);
    int64_t contract = json_integer_value(json_object_get(summary, "id"));
    json_decref(summary);
    char id_text[24];
    snprintf(id_text, sizeof id_text, "%lld", (long long)contract);
    if (api_audit_read(r, "contract", id_text, id) < 0) return -1;
    return api_reply_contract(r, 200, contract);
}

/* The signer's age, class and programs, for package eligibility. */
struct signer {
    json_t *resident; /* owns the strings below */
    const char *programs[16];
    struct signer_facts facts;
    char region[16];
};

static int signer_load_or_reply(struct request *r, int64_t resident_id, struct date start,
                                struct signer *s)
{
    memset(s, 0, sizeof *s);
    s->resident = store_resident_get(r->db, resident_id);
    if (!s->resident) return reply_problem(r, 404, "not_found", NULL);
    if (strcmp(json_string_value(json_object_get(s->resident, "status")), "alive") != 0)
        return reply_problem(r, 422, "invalid_field", "resident_id");
    struct date birth;
    date_parse(json_string_value(json_object_get(s->resident, "birth_date")), &birth);
    s->facts.age = date_age_years(birth, start);
    s->facts.population_class =
        (int)json_integer_value(json_object_get(s->resident, "population_class"));
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(s->resident, "programs"), i, p)
        if (i < 16) s->programs[s->facts.program_count++] = json_string_value(p);
    s->facts.programs = s->programs;
    snprintf(s->region, sizeof s->region, "%s",
             json_string_value(json_object_get(s->resident, "region")));
    return 0;
}

/* The packages a signing asks for: each known, listed once and eligible for the signer,
 * with the fee and its shares summed over them. Fills err and returns -1 otherwise. A
 * transfer's packages are `carried`: paid for the year already, so neither judged again
 * nor priced. */
struct priced {
    struct package_row packages[MAX_PACKAGES];
    int count, personalised, share_count;
    struct fee_share shares[FEE_MAX_PAYERS];
    int64_t fee;
};

static int price_packages_check(struct db *db, json_t *codes, const struct signer_facts *facts,
                                int64_t team_institution, int carried, struct priced *out,
                                struct jy_error *err)
{
    memset(out, 0, sizeof *out);
    size_t i;
    json_t *code;
    json_array_foreach(codes, i, code) {
        const char *c = json_string_value(code);
        struct package_row *p = &out->packages[out->count];
        if (!c || store_package_load(db, c, p) != 1) {
            jy_fail(err, 422, "invalid_field", "packages", "unknown package");
            return jy_error_value(err, c);
        }
        for (int k = 0; k < out->count; k++)
            if (out->packages[k].id == p->id) {
                jy_fail(err, 422, "invalid_field", "packages", "listed twice");
                return jy_error_value(err, p->code);
            }
        if (carried) {
            out->personalised |= p->personalised;
            out->count++;
            continue;
        }
        /* An institution's own package is offered by its teams only. */
        if (p->institution_id && p->institution_id != team_institution) {
            jy_fail(err, 422, "package_not_eligible", "packages",
                    "offered only by another institution's teams");
            return jy_error_value(err, p->code);
        }
        enum eligibility e = package_eligibility(&p->requires, facts);
        if (e != ELIGIBLE) {
            jy_fail(err, 422, "package_not_eligible", "packages", "%s", eligibility_reason(e));
            return jy_error_value(err, p->code);
        }
        out->personalised |= p->personalised;
        out->count++;
    }
    for (int k = 0; k < out->count && !carried; k++) {
        const struct package_row *p = &out->packages[k];
        struct fee_share part[FEE_MAX_PAYERS];
        if (fee_split(p->price_fen, p->rules, p->rule_count, part, err) < 0 ||
            (out->share_count =
                 fee_shares_merge(out->shares, out->share_count, part, p->rule_count)) < 0)
            return jy_fail(err, 500, "internal_error", NULL, "package %s has invalid fee rules",
                           p->code);
        out->fee += p->price_fen;
    }
    return 0;
}

/* The resident's services recorded from `start` (YYYY-MM-DD) to today that have used
 * nothing yet use up the entitlements of the contract in force on their day: a contract
 * signed from a past day counts what was done since. Inside the writer; 0 or -1. */
static int use_recorded_since(struct request *r, const struct entitlement_rules *rules,
                              int64_t resident, const char *start)
{
    char today[11];
    date_format(date_today(), today);
    if (strcmp(start, today) > 0) return 0; /* starts later: nothing recorded in its term */
    struct entitlement_account *a = malloc(sizeof *a);
    if (!a) return -1;
    long used = store_entitlement_use_records(r->db, rules, resident, start, today, a);
    free(a);
    return used < 0 ? -1 : 0;
}

/* ---- a new term: signing, renewal and transfer take one path ---- */

enum term_kind { TERM_SIGN, TERM_RENEW, TERM_TRANSFER };
static const char *const TERM_AUDIT[] = {"sign", "renew", "transfer"};

/* A new contract term as a signing, a renewal or a transfer asks for it. Each handler reads
 * its own request into one and calls term_write_or_reply, so that the resident's
 * eligibility, the team and doctor, the packages and fee, the doctor's cap (PROTOCOLS §10,
 * domain/contract.c), the one-open-contract rule and the writes are the same for all three. */
struct term {
    enum term_kind kind;
    int64_t resident, team, doctor, district, city;
    int64_t previous; /* renew, transfer: the contract this term follows */
    struct date start;
    const char *status; /* active, or scheduled (a renewal before the term ends) */
    const char *channel, *cross_grid;
    const char *end_date; /* a transfer keeps the old term's end; NULL: a year from start */
    const char *reason;   /* a transfer's reason, which also ends the old contract */
    json_t *codes;        /* the package codes (borrowed); a transfer carries them over */
    int choose_team;      /* team and doctor are chosen now: scope, membership and grid */
    const char *conflict; /* the 409 code when another open contract holds the resident */
};

/* The team and doctor a signing or a transfer names. Staff name a team and doctor of their
 * own scope: a contract with another township's team would hand the person to a team that
 * could not then read them. A resident signing online chooses freely (their own record is
 * the only one they can name). Replies and returns -1 on a refusal. */
static int team_and_doctor_or_reply(struct request *r, const struct term *t, const char *region)
{
    struct jy_error err;
    char team_region[16];
    if (store_team_region(r->db, t->team, team_region) != 0) {
        jy_fail(&err, 422, "invalid_field", "team_id", "no such team");
        return reply_error(r, &err);
    }
    if (r->user.role != ROLE_RESIDENT &&
        (scope_require_team(r, t->team) < 0 || scope_require_staff(r, t->doctor, "doctor_id") < 0))
        return -1;
    if (store_team_has_member(r->db, t->team, t->doctor) != 1) {
        jy_fail(&err, 422, "invalid_field", "doctor_id", "not a member of the team");
        return reply_error(r, &err);
    }
    if (!t->cross_grid && store_team_serves(r->db, t->team, region) != 1) {
        jy_fail(&err, 422, "invalid_field", "team_id",
                "the team does not serve the resident's grid cell; give cross_grid_reason");
        return reply_error(r, &err);
    }
    return 0;
}

/* Writes the term: its contract, packages (a transfer's carried over with what is left of
 * their entitlements), fee shares and first history event (inside the writer). Returns the
 * id, DB_CONSTRAINT when the one-contract index refuses it, or -1. */
static int64_t write_term(struct request *r, const struct term *t, const struct contract_input *in,
                          const struct priced *p)
{
    int64_t id = store_contract_insert(r->db, in);
    if (id < 0) return id;
    if (t->kind == TERM_TRANSFER && store_entitlements_carry_over(r->db, t->previous, id) < 0)
        return -1;
    for (int k = 0; t->kind != TERM_TRANSFER && k < p->count; k++)
        if (store_contract_add_package(r->db, id, p->packages[k].id) < 0) return -1;
    for (int k = 0; k < p->share_count; k++)
        if (store_contract_add_share(r->db, id, p->shares[k].payer, p->shares[k].amount_fen) < 0)
            return -1;
    const char *reason = t->kind == TERM_SIGN    ? t->channel
                         : t->kind == TERM_RENEW ? "renewal"
                                                 : "transfer";
    if (store_contract_event(r->db, id, NULL, in->status, reason, r->user.user_id) < 0) return -1;
    return id;
}

/* The one path (above). Replies 201 with the new contract, or the refusal; 0 or -1. */
static int term_write_or_reply(struct request *r, const struct term *t)
{
    struct signer signer = {0};
    struct entitlement_rules rules = {0};
    struct priced priced;
    struct jy_error err;
    int rc = -1;
    if (signer_load_or_reply(r, t->resident, t->start, &signer) < 0) goto done;
    if (t->choose_team && team_and_doctor_or_reply(r, t, signer.region) < 0) goto done;
    if (price_packages_check(r->db, t->codes, &signer.facts, store_team_institution(r->db, t->team),
                             t->kind == TERM_TRANSFER, &priced, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    int max = 0;
    char profession[16] = "";
    if (store_staff_capacity(r->db, t->doctor, &max, profession) < 0 ||
        store_entitlement_rules_load(r->db, &rules) < 0) {
        rc = reply_problem(r, 500, "internal_error", NULL);
        goto done;
    }
    char start_text[11], end_text[11], county[7];
    date_format(t->start, start_text);
    if (t->end_date)
        snprintf(end_text, sizeof end_text, "%s", t->end_date);
    else
        date_format(contract_end_date(t->start), end_text);
    api_county_of(signer.region, county);

    if (api_begin(r) < 0) goto done;
    /* Checked inside the writer, so concurrent signings for one resident see each other. */
    if (t->kind == TERM_SIGN && store_contract_active_id(r->db, t->resident) > 0) {
        api_rollback(r);
        rc = reply_problem(r, 409, t->conflict, "resident_id");
        goto done;
    }
    struct capacity_case cap = {.village_doctor = strcmp(profession, "village_doctor") == 0,
                                .personalised = priced.personalised,
                                .max = max};
    int64_t household = json_integer_value(json_object_get(signer.resident, "household_id"));
    cap.households = store_doctor_households(r->db, t->doctor, cap.village_doctor, household,
                                             &cap.household_counted);
    if (cap.households < 0) {
        api_fail_internal(r, "doctor households");
        goto done;
    }
    if (!contract_capacity_allows(&cap)) {
        api_rollback(r);
        rc = reply_problem(r, 422, "doctor_at_capacity", "doctor_id");
        goto done;
    }
    /* A transfer ends the old contract first: the new one takes its place in the index. */
    if (t->kind == TERM_TRANSFER) {
        int changed = store_contract_set_status(r->db, t->previous, "active", "transferred",
                                                start_text, t->reason);
        if (changed == 0) {
            api_rollback(r);
            rc = reply_problem(r, 409, "invalid_transition", "status");
            goto done;
        }
        if (changed < 0 || store_contract_event(r->db, t->previous, "active", "transferred",
                                                t->reason, r->user.user_id) < 0) {
            api_fail_internal(r, "transfer");
            goto done;
        }
    }
    struct contract_input in = {.resident_id = t->resident,
                                .team_id = t->team,
                                .doctor_id = t->doctor,
                                .previous_id = t->previous,
                                .signed_by = r->user.user_id,
                                .district_hospital_id = t->district,
                                .city_hospital_id = t->city,
                                .status = t->status,
                                .channel = t->channel,
                                .start_date = start_text,
                                .end_date = end_text,
                                .cross_grid_reason = t->cross_grid,
                                .county_code = county,
                                .fee_fen = priced.fee};
    int64_t id = write_term(r, t, &in, &priced);
    if (id == DB_CONSTRAINT) { /* the unique index: another signing won */
        api_rollback(r);
        rc = reply_problem(r, 409, t->conflict, "resident_id");
        goto done;
    }
    if (id < 0 || use_recorded_since(r, &rules, t->resident, start_text) < 0) {
        api_fail_internal(r, TERM_AUDIT[t->kind]);
        goto done;
    }
    if (api_audit(r, TERM_AUDIT[t->kind], "contract", id, t->resident) < 0 || api_commit(r) < 0)
        goto done;
    rc = api_reply_contract(r, 201, id);
done:
    store_entitlement_rules_free(&rules);
    json_decref(signer.resident);
    return rc;
}

/* A 1+1+1 partner must be a hospital (district, municipal, county or TCM). */
static int hospital_or_reply(struct request *r, json_t *body, const char *field, int64_t *id)
{
    struct jy_error err;
    char kind[24];
    if (jx_int(body, field, JX_OPTIONAL, 1, INT64_MAX, id, NULL, &err) < 0)
        return reply_error(r, &err);
    if (*id && (store_institution_kind(r->db, *id, kind) != 0 || !strstr(kind, "hospital")))
        return reply_problem(r, 422, "invalid_field", field);
    return 0;
}

/* The packages a request lists: 1 to MAX_PACKAGES codes. */
static int codes_check(json_t *codes, struct jy_error *err)
{
    if (json_is_array(codes) && json_array_size(codes) >= 1 &&
        json_array_size(codes) <= MAX_PACKAGES)
        return 0;
    return jy_fail(err, 422, json_is_array(codes) ? "invalid_field" : "missing_field", "packages",
                   "1 to %d package codes", MAX_PACKAGES);
}

int handle_contract_create(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    struct term t = {.kind = TERM_SIGN,
                     .status = "active",
                     .choose_team = 1,
                     .conflict = "active_contract_exists"};
    struct date today = date_today();
    if (jx_int(body, "resident_id", JX_REQUIRED, 1, INT64_MAX, &t.resident, NULL, &err) < 0 ||
        jx_int(body, "team_id", JX_REQUIRED, 1, INT64_MAX, &t.team, NULL, &err) < 0 ||
        jx_int(body, "doctor_id", JX_REQUIRED, 1, INT64_MAX, &t.doctor, NULL, &err) < 0 ||
        jx_date(body, "start_date", JX_REQUIRED, &t.start, NULL, &err) < 0 ||
        jx_enum(body, "channel", JX_REQUIRED, CONTRACT_CHANNELS, &t.channel, &err) < 0 ||
        jx_string(body, "cross_grid_reason", JX_OPTIONAL, 200, &t.cross_grid, &err) < 0 ||
        codes_check(t.codes = json_object_get(body, "packages"), &err) < 0)
        return reply_error(r, &err);
    /* A term already over, or one starting more than 90 days ahead, is a typing error. */
    if (date_compare(contract_end_date(t.start), today) < 0 ||
        date_diff_days(t.start, today) > 90) {
        jy_fail(&err, 422, "invalid_field", "start_date",
                "the term must include today or start within 90 days");
        return reply_error(r, &err);
    }
    if (scope_require_resident(r, t.resident) < 0) return -1;
    /* Residents sign for themselves, online (the portal); staff for anyone in scope. */
    if (r->user.role == ROLE_RESIDENT &&
        (t.resident != r->user.resident_id || strcmp(t.channel, "online") != 0)) {
        return reply_problem(r, 403, "out_of_scope",
                             t.resident != r->user.resident_id ? "resident_id" : "channel");
    }
    if (hospital_or_reply(r, body, "district_hospital_id", &t.district) < 0 ||
        hospital_or_reply(r, body, "city_hospital_id", &t.city) < 0)
        return -1;
    return term_write_or_reply(r, &t);
}

static int require_transition(struct request *r, json_t *c, enum contract_status to)
{
    int from = contract_status_parse(json_string_value(json_object_get(c, "status")));
    if (from < 0 || !contract_transition_allowed((enum contract_status)from, to)) {
        struct jy_error err;
        jy_fail(&err, 409, "invalid_transition", "status", "%s -> %s",
                contract_status_name((enum contract_status)from), contract_status_name(to));
        jy_error_value(&err, json_string_value(json_object_get(c, "status")));
        return reply_error(r, &err);
    }
    return 0;
}

int handle_contract_terminate(struct request *r)
{
    int64_t id;
    json_t *c = api_contract_in_scope_or_reply(r, &id), *body = NULL;
    if (!c) return -1;
    struct jy_error err;
    const char *reason = NULL, *note = NULL;
    struct date on = date_today();
    int rc = -1;
    if (require_transition(r, c, CONTRACT_TERMINATED) < 0 || !(body = request_json_body(r)))
        goto done;
    if (jx_enum(body, "reason", JX_REQUIRED, CONTRACT_END_REASONS, &reason, &err) < 0 ||
        jx_date(body, "ended_on", JX_OPTIONAL, &on, NULL, &err) < 0 ||
        jx_string(body, "note", JX_OPTIONAL, 500, &note, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    struct date start;
    date_parse(json_string_value(json_object_get(c, "start_date")), &start);
    /* Ended today or earlier, and not before it began (a scheduled renewal ends on its start). */
    if (date_compare(on, date_today()) > 0 ||
        (date_compare(on, start) < 0 && date_compare(start, date_today()) <= 0)) {
        rc = reply_problem(r, 422, "invalid_field", "ended_on");
        goto done;
    }
    if (date_compare(on, start) < 0) on = start;
    char on_text[11];
    date_format(on, on_text);
    const char *from = json_string_value(json_object_get(c, "status"));
    if (api_begin(r) < 0) goto done;
    /* Ending it releases the doctor's place: capacity counts active contracts only. */
    int changed = store_contract_set_status(r->db, id, from, "terminated", on_text, reason);
    if (changed == 0) {
        api_rollback(r);
        rc = reply_problem(r, 409, "invalid_transition", "status");
        goto done;
    }
    if (changed < 0 || store_contract_event(r->db, id, from, "terminated", note ? note : reason,
                                            r->user.user_id) < 0) {
        api_fail_internal(r, "terminate");
        goto done;
    }
    if (api_audit(r, "terminate", "contract", id,
                  json_integer_value(json_object_get(c, "resident_id"))) < 0 ||
        api_commit(r) < 0)
        goto done;
    rc = api_reply_contract(r, 200, id);
done:
    json_decref(c);
    return rc;
}

/* The package codes of a contract, as a JSON array. */
static json_t *contract_codes(json_t *c)
{
    json_t *codes = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(c, "packages"), i, p)
        json_array_append(codes, json_object_get(p, "code"));
    return codes;
}

/* The term a contract read by contract_in_scope continues: its people and partners. */
static void term_from(json_t *c, int64_t id, struct term *t)
{
    t->previous = id;
    t->resident = json_integer_value(json_object_get(c, "resident_id"));
    t->team = json_integer_value(json_object_get(c, "team_id"));
    t->doctor = json_integer_value(json_object_get(c, "doctor_id"));
    t->district = json_integer_value(json_object_get(c, "district_hospital_id"));
    t->city = json_integer_value(json_object_get(c, "city_hospital_id"));
    t->channel = json_string_value(json_object_get(c, "channel"));
    t->cross_grid = json_string_value(json_object_get(c, "cross_grid_reason"));
}

int handle_contract_renew(struct request *r)
{
    int64_t id;
    json_t *c = api_contract_in_scope_or_reply(r, &id), *body = NULL, *codes = NULL;
    if (!c) return -1;
    struct jy_error err;
    struct term t = {.kind = TERM_RENEW};
    term_from(c, id, &t);
    int rc = -1;
    const char *channel = NULL;
    if (!(body = request_json_body_or_empty(r))) goto done;
    if (jx_enum(body, "channel", JX_OPTIONAL, CONTRACT_CHANNELS, &channel, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    if (channel) t.channel = channel;
    codes = json_incref(json_object_get(body, "packages"));
    if (!codes) codes = contract_codes(c);
    if (codes_check(codes, &err) < 0) {
        rc = reply_problem(r, 422, "invalid_field", "packages");
        goto done;
    }
    t.codes = codes;
    /* Renew an active contract (the next term starts the day after it ends), or one that
     * expired within the last 90 days (a new term from today). */
    const char *status = json_string_value(json_object_get(c, "status"));
    struct date end, today = date_today();
    date_parse(json_string_value(json_object_get(c, "end_date")), &end);
    int late = strcmp(status, "expired") == 0 && date_diff_days(today, end) <= 90;
    if (strcmp(status, "active") != 0 && !late) {
        rc = reply_problem(r, 409, "invalid_transition", "status");
        goto done;
    }
    /* Renewal opens 90 days before the term ends [jiayi]; the daily job proposes it at 30. */
    if (!late && date_diff_days(end, today) > CONTRACT_RENEWAL_OPENS_DAYS) {
        rc = reply_problem(r, 409, "renewal_too_early", "status");
        goto done;
    }
    t.start = late ? today : contract_renewal_start(end);
    t.status = late ? "active" : "scheduled";
    t.conflict = late ? "active_contract_exists" : "renewal_exists";
    rc = term_write_or_reply(r, &t);
done:
    json_decref(codes);
    json_decref(c);
    return rc;
}

/* To another team or doctor for the rest of the term: the old contract ends as transferred;
 * the new one carries its packages, what is left of its entitlements and its end date, with
 * no new fee (the year is already paid). */
int handle_contract_transfer(struct request *r)
{
    int64_t id;
    json_t *c = api_contract_in_scope_or_reply(r, &id), *body = NULL, *codes = NULL;
    if (!c) return -1;
    struct jy_error err;
    struct term t = {.kind = TERM_TRANSFER,
                     .status = "active",
                     .start = date_today(),
                     .choose_team = 1,
                     .conflict = "active_contract_exists"};
    term_from(c, id, &t);
    int64_t old_team = t.team, old_doctor = t.doctor;
    t.cross_grid = NULL;
    t.end_date = json_string_value(json_object_get(c, "end_date"));
    int rc = -1;
    if (require_transition(r, c, CONTRACT_TRANSFERRED) < 0 || !(body = request_json_body(r)))
        goto done;
    if (jx_int(body, "team_id", JX_REQUIRED, 1, INT64_MAX, &t.team, NULL, &err) < 0 ||
        jx_int(body, "doctor_id", JX_REQUIRED, 1, INT64_MAX, &t.doctor, NULL, &err) < 0 ||
        jx_string(body, "reason", JX_REQUIRED, 200, &t.reason, &err) < 0 ||
        jx_string(body, "cross_grid_reason", JX_OPTIONAL, 200, &t.cross_grid, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    if (t.doctor == old_doctor && t.team == old_team) {
        rc = reply_problem(r, 422, "invalid_field", "doctor_id");
        goto done;
    }
    t.codes = codes = contract_codes(c);
    rc = term_write_or_reply(r, &t);
done:
    json_decref(codes);
    json_decref(c);
    return rc;
}
