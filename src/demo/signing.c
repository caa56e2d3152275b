/* signing.c (demo) - a year of signing (签约) per household, earlier years' contracts
 * included, against the catalogue loaded once. */
#include "demo/county.h"
#include "demo/names.h"
#include "domain/contract.h"
#include "domain/fees.h"
#include "store/contracts.h"
#include "store/packages.h"
#include "util/date.h"

/* The catalogue as loaded once, for signing. */
enum {
    PKG_BASIC,
    PKG_ELDERLY,
    PKG_DISABLED,
    PKG_HTN,
    PKG_DM,
    PKG_MCH,
    PKG_TCM,
    PKG_BUTLER,
    PKG_CANCER,
    PKG_COUNT
};
static const char *const PACKAGE_CODES[PKG_COUNT] = {"BASIC",   "ELDERLY-50", "DISABLED-100",
                                                     "HTN-120", "DM-120",     "MCH-150",
                                                     "TCM-300", "BUTLER-800", "CANCER-80"};
static struct package_row catalogue[PKG_COUNT];

int demo_load_catalogue(struct db *db)
{
    for (int i = 0; i < PKG_COUNT; i++)
        if (store_package_load(db, PACKAGE_CODES[i], &catalogue[i]) != 1) return -1;
    return 0;
}

/* A contract of an earlier year (status expired) with its packages; what it delivered is
 * written once the household's records are in (demo/entitlements.h), since the fulfilment
 * rate (履约率) counts what was delivered on the contracts that ended. Returns its id or -1. */
static int64_t earlier_contract(struct db *db, const struct contract_input *in, const int *chosen,
                                int count)
{
    int64_t id = store_contract_insert(db, in);
    if (id < 0) return -1;
    for (int k = 0; k < count; k++)
        if (store_contract_add_package(db, id, catalogue[chosen[k]].id) < 0) return -1;
    if (store_contract_event(db, id, NULL, "expired", in->channel, 0) < 0) return -1;
    return id;
}

/* A year of signing (签约): key populations sign most (~72%), their household members
 * often (~45%), others less (~28%): about half the county, as the field reports show. */
int demo_sign_household(struct db *db, struct county *c, struct person *h, int n, int cell,
                        int showcase)
{
    int any_key = 0;
    for (int i = 0; i < n; i++)
        any_key |= h[i].key;
    const struct team *tm = &c->teams[c->cells[cell].team];
    static const char *const CHANNELS[] = {"centralised", "clinic", "home_visit", "online"};
    for (int i = 0; i < n; i++) {
        struct person *p = &h[i];
        double chance = p->key ? 0.72 : any_key ? 0.45 : 0.28;
        if (!rng_chance(&c->rng, chance) && !(showcase && i == 0)) continue;
        int age = date_age_years(p->birth, c->today);
        int chosen[PKG_COUNT], count = 0;
        chosen[count++] = PKG_BASIC;
        if (p->hypertension && rng_chance(&c->rng, 0.45)) chosen[count++] = PKG_HTN;
        if (p->diabetes && rng_chance(&c->rng, 0.40)) chosen[count++] = PKG_DM;
        if (age >= 65 && rng_chance(&c->rng, 0.30)) chosen[count++] = PKG_ELDERLY;
        if ((p->pregnant || age < 1) && rng_chance(&c->rng, 0.50)) chosen[count++] = PKG_MCH;
        if (p->disabled && rng_chance(&c->rng, 0.50)) chosen[count++] = PKG_DISABLED;
        if (age >= 18 && rng_chance(&c->rng, 0.02)) chosen[count++] = PKG_TCM;
        if (rng_chance(&c->rng, 0.003)) chosen[count++] = PKG_BUTLER;
        /* About one in twelve of 35-74 buys the screening package: drawn from the person's id,
         * not the generator, so the rest of the county stays as it was. */
        if (age >= 35 && age <= 74 && (uint64_t)p->id * 2654435761u % 12 == 0)
            chosen[count++] = PKG_CANCER;
        struct fee_share shares[FEE_MAX_PAYERS];
        int share_count = 0;
        int64_t fee = 0;
        for (int k = 0; k < count; k++) {
            const struct package_row *pk = &catalogue[chosen[k]];
            struct fee_share part[FEE_MAX_PAYERS];
            if (fee_split(pk->price_fen, pk->rules, pk->rule_count, part, NULL) < 0) return -1;
            share_count = fee_shares_merge(shares, share_count, part, pk->rule_count);
            fee += pk->price_fen;
        }
        long days_ago = rng_int(&c->rng, 0, 364);
        /* 340-350 days ago: the term ends 14-25 days from today. */
        if (showcase && c->showcase_signed < SHOWCASE_EXPIRING)
            days_ago = 340 + 5 * c->showcase_signed;
        if (showcase) c->showcase_signed++;
        struct date start = date_add_days(c->today, -days_ago);
        char start_text[11], end_text[11];
        demo_date_text(start, start_text);
        demo_date_text(contract_end_date(start), end_text);
        const char *channel = CHANNELS[rng_int(&c->rng, 0, 9) < 4 ? 0 : rng_int(&c->rng, 1, 3)];
        char signed_at[24];
        snprintf(signed_at, sizeof signed_at, "%sT%02d:%02d:00Z", start_text,
                 rng_int(&c->rng, 0, 9), rng_int(&c->rng, 0, 59));
        /* 1+1+1: older and chronic patients often also choose the county and the city
         * hospital with their family doctor (the Shanghai combination, adapted to a county). */
        int one_one_one = (age >= 60 || p->hypertension || p->diabetes) && rng_chance(&c->rng, 0.3);
        /* Half the signings renew last year's contract, which ended the day before this
         * one started with 85-95% of its services delivered (the rest are new signings:
         * coverage grew fast). */
        int64_t previous = 0;
        if (rng_chance(&c->svc, 0.5)) {
            struct date prev_start = date_add_years(start, -1);
            char prev_text[11], prev_end[11];
            demo_date_text(prev_start, prev_text);
            demo_date_text(date_add_days(start, -1), prev_end);
            struct contract_input old = {p->id,    tm->id, tm->gp_staff, 0,       0,
                                         0,        0,      "expired",    channel, prev_text,
                                         prev_end, NULL,   c->code,      fee,     NULL};
            p->contracts.ended_fraction = 0.85 + 0.1 * rng_unit(&c->svc);
            previous = earlier_contract(db, &old, chosen, count);
            if (previous < 0) return -1;
            p->contracts.ended_id = previous;
        }
        struct contract_input in = {p->id,
                                    tm->id,
                                    tm->gp_staff,
                                    previous,
                                    0,
                                    one_one_one ? c->county_hospital : 0,
                                    one_one_one ? c->city_hospital : 0,
                                    "active",
                                    channel,
                                    start_text,
                                    end_text,
                                    NULL,
                                    c->code,
                                    fee,
                                    signed_at};
        int64_t id = store_contract_insert(db, &in);
        if (id < 0) return -1;
        for (int k = 0; k < count; k++)
            if (store_contract_add_package(db, id, catalogue[chosen[k]].id) < 0) return -1;
        for (int k = 0; k < share_count; k++)
            if (store_contract_add_share(db, id, shares[k].payer, shares[k].amount_fen) < 0)
                return -1;
        /* What is not recorded was delivered roughly in step with the time elapsed, some
         * teams ahead (the records deliver the rest, demo/entitlements.h). */
        p->contracts.active_fraction = (double)days_ago / 365.0 * (0.6 + 0.5 * rng_unit(&c->rng));
        p->contracts.active_id = id;
        if (store_contract_event(db, id, NULL, "active", channel, 0) < 0) return -1;
        p->contract_team = tm->id;
        p->contract_start = start;
    }
    /* Those who let a contract lapse in the past year: about 15% of the contracts that
     * reached their term (续约率 ~85%: 0.5 x 0.51 renewed against 0.49 x 0.09 lapsed). */
    for (int i = 0; i < n; i++) {
        struct person *p = &h[i];
        if (p->contract_team || !rng_chance(&c->svc, 0.09)) continue;
        struct date end = date_add_days(c->today, -rng_int(&c->svc, 1, 364));
        char start_text[11], end_text[11];
        demo_date_text(date_add_days(date_add_years(end, -1), 1), start_text);
        demo_date_text(end, end_text);
        int basic = PKG_BASIC;
        struct contract_input old = {p->id,
                                     tm->id,
                                     tm->gp_staff,
                                     0,
                                     0,
                                     0,
                                     0,
                                     "expired",
                                     "clinic",
                                     start_text,
                                     end_text,
                                     NULL,
                                     c->code,
                                     catalogue[PKG_BASIC].price_fen,
                                     NULL};
        p->contracts.ended_fraction = 0.8 + 0.15 * rng_unit(&c->svc);
        if ((p->contracts.ended_id = earlier_contract(db, &old, &basic, 1)) < 0) return -1;
    }
    for (int i = 0; i < n; i++) {
        h[i].contracts.resident_id = h[i].id;
        h[i].contracts.staff_id = tm->gp_staff;
    }
    return 0;
}
