/* packages.c (api) - the service package catalogue: list it (with each package's fee split),
 * preview a draft's split, create a package and publish a changed version. The system admin manages
 * the county-wide catalogue and every institution's packages; a center admin only the packages of
 * institutions inside their scope (their center by default). A change never touches signed
 * contracts: they keep the version (items and shares) they signed. */
#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "auth/scope.h"
#include "domain/fees.h"
#include "domain/population.h"
#include "domain/vocabulary.h"
#include "json/jsonx.h"
#include "store/contracts.h"
#include "store/packages.h"
#include "store/registry.h"

#define MAX_ITEMS 32

/* ?team=ID keeps what that team may offer: the county-wide catalogue and its institution's own. */
int handle_packages_list(struct request *r)
{
    const char *team_text = request_query(r, "team");
    int64_t team_institution = 0;
    if (team_text) {
        char *end;
        long long team = strtoll(team_text, &end, 10);
        if (*end || team <= 0 || (team_institution = store_team_institution(r->db, team)) <= 0)
            return reply_problem(r, 422, "invalid_field", "team");
    }
    json_t *items = store_packages_list(r->db);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    /* Each package's fee split as a signing splits it: the sign screen adds them up. */
    size_t k;
    json_t *p;
    json_array_foreach(items, k, p) {
        json_int_t price = json_integer_value(json_object_get(p, "price_fen"));
        json_object_set_new(p, "fee_shares",
                            api_fee_shares(price, json_object_get(p, "fee_rules")));
    }
    for (size_t i = json_array_size(items); team_text && i-- > 0;) {
        json_int_t owner =
            json_integer_value(json_object_get(json_array_get(items, i), "institution_id"));
        if (owner && owner != team_institution) json_array_remove(items, i);
    }
    return reply_json(r, 200, json_pack("{s:o}", "items", items));
}

struct package_form {
    struct package_input in;
    struct package_item_input items[MAX_ITEMS];
    struct fee_rule rules[FEE_MAX_PAYERS];
};

/* Reads fee rules ([{payer, kind percent|fixed, value}], 1 to FEE_MAX_PAYERS) into out:
 * 0 and *n, or -1 with err (422 invalid_fee_rule naming fee_rules). Their sums are judged
 * by fee_rules_check / fee_rules_validate. */
static int fee_rules_read_check(json_t *rules, struct fee_rule out[FEE_MAX_PAYERS], int *n,
                                struct jy_error *err)
{
    if (!json_is_array(rules) || json_array_size(rules) < 1 ||
        json_array_size(rules) > FEE_MAX_PAYERS)
        return jy_fail(err, 422, "invalid_fee_rule", "fee_rules", "1 to %d payers", FEE_MAX_PAYERS);
    size_t i;
    json_t *v;
    json_array_foreach(rules, i, v) {
        const char *payer = NULL, *kind = NULL;
        int64_t value = 0;
        if (!json_is_object(v) || jx_string(v, "payer", JX_REQUIRED, 30, &payer, err) < 0 ||
            jx_enum(v, "kind", JX_REQUIRED, FEE_RULE_KINDS, &kind, err) < 0 ||
            jx_int(v, "value", JX_REQUIRED, 0, 100000000, &value, NULL, err) < 0)
            return jy_fail(err, 422, "invalid_fee_rule", "fee_rules",
                           "payer, kind percent|fixed, value");
        snprintf(out[i].payer, sizeof out[i].payer, "%s", payer);
        out[i].kind = strcmp(kind, "fixed") == 0 ? FEE_FIXED : FEE_PERCENT;
        out[i].value = value;
    }
    *n = (int)json_array_size(rules);
    return 0;
}

static json_t *shares_json(const struct fee_share *shares, int n)
{
    json_t *list = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(list, json_pack("{s:s, s:I}", "payer", shares[i].payer, "amount_fen",
                                              (json_int_t)shares[i].amount_fen));
    return list;
}

json_t *api_fee_shares(int64_t price_fen, json_t *rules)
{
    struct fee_rule parsed[FEE_MAX_PAYERS];
    struct fee_share shares[FEE_MAX_PAYERS];
    struct jy_error err;
    int n;
    if (fee_rules_read_check(rules, parsed, &n, &err) < 0 ||
        fee_split(price_fen, parsed, n, shares, &err) < 0)
        return json_null(); /* a stored package's rules were checked when it was published */
    return shares_json(shares, n);
}

/* POST /fee-split: a draft's price split by its rules exactly as a signing will split it
 * (domain/fees.c), or what is wrong with the rules, for the catalogue form's live preview. */
int handle_fee_split(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    struct fee_rule rules[FEE_MAX_PAYERS];
    struct fee_share shares[FEE_MAX_PAYERS];
    int64_t price = 0;
    int n = 0;
    if (jx_int(body, "price_fen", JX_REQUIRED, 0, 10000000, &price, NULL, &err) < 0 ||
        fee_rules_read_check(json_object_get(body, "fee_rules"), rules, &n, &err) < 0)
        return reply_error(r, &err);
    struct fee_rules_sums sums;
    enum fee_rules_problem problem = fee_rules_check(price, rules, n, &sums);
    json_t *check = json_pack("{s:b, s:s, s:I, s:I}", "ok", problem == FEE_RULES_OK, "reason",
                              fee_rules_problem_name(problem), "percent_bp",
                              (json_int_t)sums.percent_bp, "fixed_fen", (json_int_t)sums.fixed_fen);
    json_t *list = problem == FEE_RULES_OK && fee_split(price, rules, n, shares, &err) == 0
                       ? shares_json(shares, n)
                       : json_array();
    return reply_json(
        r, 200,
        json_pack("{s:I, s:o, s:o}", "fee_fen", (json_int_t)price, "shares", list, "check", check));
}

/* Reads a package body (code from the body, or the URL for a new version); 422 naming the
 * field (items[2].quantity, fee_rules) on anything wrong. */
static int read_package(json_t *body, const char *code, struct package_form *f,
                        struct jy_error *err)
{
    memset(f, 0, sizeof *f);
    struct package_input *in = &f->in;
    int64_t price = 0, min_age = -1, max_age = -1, required_class = 0;
    int personalised = 1;
    in->code = code;
    if ((!code && jx_string(body, "code", JX_REQUIRED, 32, &in->code, err) < 0) ||
        jx_string(body, "name", JX_REQUIRED, 60, &in->name_zh, err) < 0 ||
        jx_string(body, "name_en", JX_REQUIRED, 100, &in->name_en, err) < 0 ||
        jx_enum(body, "tier", JX_REQUIRED, PACKAGE_TIERS, &in->tier, err) < 0 ||
        jx_enum(body, "type", JX_REQUIRED, PACKAGE_TYPES, &in->type, err) < 0 ||
        jx_enum(body, "payment_type", JX_REQUIRED, PACKAGE_PAYMENT_TYPES, &in->payment_type, err) <
            0 ||
        jx_int(body, "price_fen", JX_REQUIRED, 0, 10000000, &price, NULL, err) < 0 ||
        jx_bool(body, "personalised", JX_OPTIONAL, &personalised, NULL, err) < 0)
        return -1;
    json_t *elig = json_object_get(body, "eligibility");
    if (elig && !json_is_object(elig))
        return jy_fail(err, 422, "invalid_field", "eligibility", "an object");
    if (jx_int(elig, "min_age", JX_OPTIONAL, 0, 120, &min_age, NULL, err) < 0 ||
        jx_int(elig, "max_age", JX_OPTIONAL, 0, 120, &max_age, NULL, err) < 0 ||
        jx_int(elig, "required_class", JX_OPTIONAL, 1, 3, &required_class, NULL, err) < 0 ||
        jx_string(elig, "required_program", JX_OPTIONAL, 20, &in->required_program, err) < 0)
        return -1;
    if (in->required_program && !program_is_known(in->required_program))
        return jy_fail(err, 422, "invalid_field", "eligibility.required_program", NULL);
    if (min_age >= 0 && max_age >= 0 && min_age > max_age)
        return jy_fail(err, 422, "invalid_field", "eligibility.max_age", "below min_age");
    in->price_fen = price;
    in->min_age = (int)min_age;
    in->max_age = (int)max_age;
    in->required_class = (int)required_class;
    in->personalised = personalised;
    json_t *items = json_object_get(body, "items"), *rules = json_object_get(body, "fee_rules");
    if (!json_is_array(items) || json_array_size(items) < 1 || json_array_size(items) > MAX_ITEMS)
        return jy_fail(err, 422, "invalid_field", "items", "1 to %d items", MAX_ITEMS);
    size_t i;
    json_t *v;
    json_array_foreach(items, i, v) {
        char field[32];
        int64_t quantity = 0;
        struct package_item_input *it = &f->items[i];
        snprintf(field, sizeof field, "items[%zu]", i);
        json_t *w = json_object_get(v, "workload_weight");
        if (!json_is_object(v) || jx_string(v, "service", JX_REQUIRED, 40, &it->service, err) < 0 ||
            jx_string(v, "name", JX_REQUIRED, 60, &it->name_zh, err) < 0 ||
            jx_string(v, "name_en", JX_REQUIRED, 100, &it->name_en, err) < 0 ||
            jx_int(v, "quantity", JX_REQUIRED, 1, 1000, &quantity, NULL, err) < 0 ||
            (w && (!json_is_number(w) || json_number_value(w) < 0 || json_number_value(w) > 100)))
            return jy_fail(err, 422, "invalid_field", field,
                           "service, name, name_en, quantity 1-1000, workload_weight 0-100");
        it->quantity = (int)quantity;
        it->workload_weight = w ? json_number_value(w) : 1.0;
    }
    in->items = f->items;
    in->item_count = (int)json_array_size(items);
    if (fee_rules_read_check(rules, f->rules, &in->rule_count, err) < 0) return -1;
    in->rules = f->rules;
    return fee_rules_validate(price, f->rules, in->rule_count, err);
}

/* Which institution the package belongs to (0: county-wide), checked against the caller's
 * scope; replies and returns -1 when refused. A new version keeps its package's owner. */
static int package_owner_or_reply(struct request *r, json_t *body, const char *code_in_url,
                                  int64_t *owner)
{
    struct jy_error err;
    int64_t asked = 0;
    int given = 0;
    if (jx_int(body, "institution_id", JX_OPTIONAL, 1, INT64_MAX, &asked, &given, &err) < 0)
        return reply_error(r, &err);
    if (code_in_url) {
        *owner = store_package_institution(r->db, code_in_url);
        if (*owner == STORE_NOT_FOUND) return reply_problem(r, 404, "not_found", NULL);
        if (*owner < 0) return reply_problem(r, 500, "internal_error", NULL);
        if (given && asked != *owner)
            return reply_problem(r, 422, "invalid_field", "institution_id");
    } else if (given) {
        *owner = asked;
    } else {
        /* A center admin's package is their center's unless they name a clinic under it. */
        *owner = r->user.role == ROLE_SYSTEM_ADMIN
                     ? 0
                     : store_institution_center_at(r->db, r->user.scope_region);
        if (*owner < 0) return reply_problem(r, 500, "internal_error", NULL);
        if (*owner == 0 && r->user.role != ROLE_SYSTEM_ADMIN)
            return reply_problem(r, 422, "invalid_field", "institution_id");
    }
    if (r->user.role == ROLE_SYSTEM_ADMIN) {
        char region[16];
        if (*owner && store_institution_region(r->db, *owner, region) != 0)
            return reply_problem(r, 422, "invalid_field", "institution_id");
        return 0;
    }
    if (*owner == 0)
        return reply_problem(r, 403, "out_of_scope", code_in_url ? "code" : "institution_id");
    return scope_require_institution(r, *owner, "institution_id");
}

static int publish(struct request *r, const char *code_in_url)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct package_form form;
    struct jy_error err;
    int rc = -1;
    if (read_package(body, code_in_url, &form, &err) < 0) {
        return reply_error(r, &err);
    }
    if (package_owner_or_reply(r, body, code_in_url, &form.in.institution_id) < 0) return rc;
    if (api_begin(r) < 0) return rc;
    int previous = 0;
    if (code_in_url) {
        previous = store_package_retire(r->db, code_in_url);
        if (previous == 0) {
            api_rollback(r);
            return reply_problem(r, 404, "not_found", NULL);
        }
    }
    form.in.version = previous + 1;
    int64_t id = previous < 0 ? -1 : store_package_insert(r->db, &form.in);
    if (id == DB_CONSTRAINT) {
        api_rollback(r);
        return reply_problem(r, 409, "conflict", "code");
    }
    if (id < 0) {
        api_fail_internal(r, "package publish");
        return rc;
    }
    if (api_audit(r, code_in_url ? "new_version" : "create", "package", id, 0) < 0 ||
        api_commit(r) < 0)
        return rc;
    json_t *list = store_packages_list(r->db), *found = NULL;
    size_t i;
    json_t *p;
    json_array_foreach(list, i, p)
        if (!strcmp(json_string_value(json_object_get(p, "code")), form.in.code))
            found = json_incref(p);
    json_decref(list);
    rc = found ? reply_json(r, code_in_url ? 200 : 201, found)
               : reply_problem(r, 500, "internal_error", NULL);
    return rc;
}

int handle_package_create(struct request *r)
{
    return publish(r, NULL);
}
int handle_package_update(struct request *r)
{
    return publish(r, r->params[0]);
}
