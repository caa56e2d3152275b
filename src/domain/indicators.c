/* indicators.c - see indicators.h. */
#include "domain/indicators.h"

#include <stdlib.h>
#include <string.h>

#include "domain/immunisation.h"
#include "domain/standard.h"

const struct kpi_info KPI_INFO[KPI_COUNT] = {
    [KPI_SIGNING] = {"signing_rate", "签约率", "Signing rate", 0},
    [KPI_KEY_SIGNING] = {"key_signing_rate", "重点人群签约率", "Key-population signing rate", 0},
    [KPI_RENEWAL] = {"renewal_rate", "续约率", "Renewal rate", 0},
    [KPI_FULFILMENT] = {"fulfilment_rate", "履约率", "Fulfilment rate", 0},
    [KPI_RECORD] = {"record_rate", "建档率", "Health-record rate", 0},
    [KPI_RECORD_OPEN] = {"record_open_rate", "档案开放率", "Records opened to residents", 0},
    [KPI_HTN_STANDARD] = {"htn_standard_rate", "高血压规范管理率",
                          "Hypertension standardised management", 0},
    [KPI_HTN_CONTROL] = {"htn_control_rate", "血压控制率", "Blood-pressure control rate", 0},
    [KPI_DM_STANDARD] = {"dm_standard_rate", "糖尿病规范管理率", "Diabetes standardised management",
                         0},
    [KPI_DM_CONTROL] = {"dm_control_rate", "血糖控制率", "Blood-glucose control rate", 0},
    [KPI_ELDERLY_MGMT] = {"elderly_mgmt_rate", "老年人健康管理率", "Elderly health management rate",
                          0},
    [KPI_CHILD_MGMT] = {"child_mgmt_rate", "0～6岁儿童健康管理率",
                        "Child (0-6) health management rate", 0},
    [KPI_NEWBORN_VISIT] = {"newborn_visit_rate", "新生儿访视率", "Newborn home-visit rate", 0},
    [KPI_EARLY_PREGNANCY] = {"early_pregnancy_rate", "早孕建册率",
                             "Early pregnancy registration rate", 0},
    [KPI_POSTPARTUM_VISIT] = {"postpartum_visit_rate", "产后访视率", "Postpartum visit rate", 0},
    [KPI_SMD_STANDARD] = {"smd_standard_rate", "严重精神障碍规范管理率",
                          "SMD standardised management", 0},
    [KPI_MANAGED_VISIT] = {"managed_visit_rate", "在管患者就诊率",
                           "Managed patients seen in primary care", 0},
    [KPI_VISIT_MANAGED] = {"visit_managed_rate", "就诊患者管理率",
                           "Chronic patients seen who are managed", 0},
    [KPI_SIGNED_PRIMARY_VISIT] = {"signed_primary_visit_rate", "签约居民基层就诊率",
                                  "Primary-care share of signed residents' visits", 0},
    [KPI_IN_COUNTY_VISIT] = {"in_county_visit_rate", "县域内就诊率", "In-county visit rate", 0},
    [KPI_FD_VISIT_SHARE] = {"fd_visit_share", "家庭医生就诊占比",
                            "Share of visits to own family doctor", 0},
    [KPI_FD_VISITS_PER_CAPITA] = {"fd_visits_per_capita", "人均月家庭医生就诊次数",
                                  "Family-doctor visits per signed resident per month", 0},
    [KPI_REFERRALS_UP] = {"referrals_up", "上转人次", "Referrals up", 1},
    [KPI_REFERRALS_DOWN] = {"referrals_down", "下转人次", "Referrals down", 1},
    [KPI_SATISFACTION] = {"satisfaction_rate", "满意度", "Satisfaction rate", 0},
    [KPI_HTN_UNDER_CARE] = {"htn_under_care", "高血压在管（12个月内随访）",
                            "Hypertension under care", 0},
    [KPI_HTN_MISSED_VISIT] = {"htn_missed_visit", "高血压3个月未随访", "Hypertension missed visit",
                              0},
    [KPI_HTN_LOST] = {"htn_lost_to_follow_up", "高血压失访（12个月）",
                      "Hypertension lost to follow-up", 0},
    [KPI_HTN_CASCADE_CONTROLLED] = {"htn_cascade_controlled", "高血压近3个月控制",
                                    "Hypertension controlled (last 3 months)", 0},
    [KPI_DM_UNDER_CARE] = {"dm_under_care", "糖尿病在管（12个月内随访）", "Diabetes under care", 0},
    [KPI_DM_MISSED_VISIT] = {"dm_missed_visit", "糖尿病3个月未随访", "Diabetes missed visit", 0},
    [KPI_DM_LOST] = {"dm_lost_to_follow_up", "糖尿病失访（12个月）", "Diabetes lost to follow-up",
                     0},
    [KPI_DM_CASCADE_CONTROLLED] = {"dm_cascade_controlled", "糖尿病近3个月控制",
                                   "Diabetes controlled (last 3 months)", 0},
    [KPI_REFERRAL_RETURN] = {"referral_return_rate", "上转患者下转率", "Up-referrals returned down",
                             0},
    [KPI_REFERRAL_SEEN_MEDIAN] = {"referral_seen_days_median", "转诊就诊天数中位数",
                                  "Median days from referral to seen", 1},
    [KPI_COMBINATION_VISIT] = {"combination_visit_rate", "组合内就诊率",
                               "Visits within the 1+1+1 combination", 0},
    [KPI_REFERRAL_SATISFACTION] = {"referral_satisfaction_rate", "转诊满意度",
                                   "Referral satisfaction", 0},
    [KPI_SLOT_USE] = {"slot_use_rate", "下沉号源使用率", "Released specialist slots used", 0},
    [KPI_LONG_PRESCRIPTIONS] = {"long_prescription_count", "长处方数", "Long prescriptions", 1},
    [KPI_TRUST_SCORE_MEAN] = {"trust_score_mean", "医师信任量表均分", "Mean physician trust score",
                              0},
    [KPI_REMINDER_COMPLETION] = {"reminder_completion_rate", "提醒后按时完成率",
                                 "Reminded tasks completed within 14 days", 0},
    [KPI_IMMUNISATION_TIMELY] = {"immunisation_timely_rate", "疫苗及时接种率",
                                 "Vaccine doses given on time", 0},
    [KPI_TB_MGMT] = {"tb_mgmt_rate", "肺结核患者管理率", "TB patients under management", 0},
    [KPI_TB_REGULAR] = {"tb_regular_medication_rate", "肺结核患者规则服药率",
                        "TB patients taking their drugs regularly", 0},
    [KPI_PRIMARY_OUTPATIENT] = {"primary_outpatient_share", "基层门诊量占比",
                                "Outpatient visits at primary care", 0},
    [KPI_IN_COUNTY_INPATIENT] = {"in_county_inpatient_share", "县域内住院占比",
                                 "Inpatient stays inside the county", 0},
    [KPI_KEY_STANDARD] = {"key_standard_rate", "重点人群规范管理率",
                          "Key programmes standardised management", 0},
    [KPI_CLASS2_SIGNING] = {"class2_signing_rate", "二类人群签约率",
                            "Class-II (high-risk household) signing rate", 0},
    [KPI_PERSONALISED_SIGNINGS] = {"personalised_signings", "个性化签约数",
                                   "Contracts with a paid package", 1},
    [KPI_PERSONALISED_FEE] = {"personalised_fee_fen", "个性化签约费用（分）",
                              "Paid package fees (fen)", 1},
    [KPI_COST_PER_CAPITA] = {"cost_per_capita_fen", "人均就诊费用（分）",
                             "Encounter cost per resident (fen)", 0},
    [KPI_AWARENESS] = {"awareness_rate", "知晓率", "Residents who know their family doctor", 0},
};

#define EARLY_PREGNANCY_DAYS 91 /* [spec] registered before 13 weeks */
#define VISIT_WINDOW_DAYS 28    /* newborn and postpartum visits within 28 days */

int kpi_code_index(const char *code)
{
    for (int i = 0; i < KPI_COUNT; i++)
        if (code && strcmp(KPI_INFO[i].code, code) == 0) return i;
    return -1;
}

enum kpi_program kpi_program_parse(const char *name)
{
    static const char *NAMES[] = {"hypertension", "diabetes", "smd",
                                  "elderly",      "child",    "maternal"};
    for (int i = 0; i < KP_NONE; i++)
        if (name && strcmp(NAMES[i], name) == 0) return (enum kpi_program)i;
    return KP_NONE;
}

/* ---- the person's arrays ---- */

static void *grow(void **items, int *n, int *cap, size_t size)
{
    if (*n == *cap) {
        int next = *cap ? *cap * 2 : 8;
        void *bigger = realloc(*items, (size_t)next * size);
        if (!bigger) return NULL;
        *items = bigger;
        *cap = next;
    }
    char *slot = (char *)*items + (size_t)(*n)++ * size;
    memset(slot, 0, size);
    return slot;
}

#define ADDER(type, name, fn)                                                                      \
    type *fn(struct kpi_person *p)                                                                 \
    {                                                                                              \
        return grow((void **)&p->name, &p->n_##name, &p->cap_##name, sizeof(type));                \
    }
ADDER(struct kpi_contract, contracts, kpi_add_contract)
ADDER(struct kpi_entitlement, entitlements, kpi_add_entitlement)
ADDER(struct kpi_delivery, deliveries, kpi_add_delivery)
ADDER(struct kpi_enrolment, enrolments, kpi_add_enrolment)
ADDER(struct kpi_followup, followups, kpi_add_followup)
ADDER(struct kpi_pregnancy, pregnancies, kpi_add_pregnancy)
ADDER(struct kpi_encounter, encounters, kpi_add_encounter)
ADDER(struct kpi_referral, referrals, kpi_add_referral)
ADDER(struct kpi_dated, answers, kpi_add_answer)
ADDER(struct kpi_vaccination, vaccinations, kpi_add_vaccination)
ADDER(struct kpi_tb_case, tb_cases, kpi_add_tb_case)

void kpi_person_clear(struct kpi_person *p)
{
    struct kpi_person keep = *p;
    memset(p, 0, sizeof *p);
#define KEEP(name) p->name = keep.name, p->cap_##name = keep.cap_##name
    KEEP(contracts);
    KEEP(entitlements);
    KEEP(deliveries);
    KEEP(enrolments);
    KEEP(followups);
    KEEP(pregnancies);
    KEEP(encounters);
    KEEP(referrals);
    KEEP(answers);
    KEEP(vaccinations);
    KEEP(tb_cases);
#undef KEEP
}

void kpi_person_free(struct kpi_person *p)
{
    free(p->contracts);
    free(p->entitlements);
    free(p->deliveries);
    free(p->enrolments);
    free(p->followups);
    free(p->pregnancies);
    free(p->encounters);
    free(p->referrals);
    free(p->answers);
    free(p->vaccinations);
    free(p->tb_cases);
    memset(p, 0, sizeof *p);
}

int kpi_person_copy(struct kpi_person *to, const struct kpi_person *from)
{
    struct kpi_person own = *to;
    *to = *from;
    int rc = 0;
#define COPY(name)                                                                                 \
    do {                                                                                           \
        to->name = own.name;                                                                       \
        to->cap_##name = own.cap_##name;                                                           \
        if (from->n_##name > to->cap_##name) {                                                     \
            void *bigger = realloc(to->name, (size_t)from->n_##name * sizeof *to->name);           \
            if (!bigger) {                                                                         \
                to->n_##name = 0;                                                                  \
                rc = -1;                                                                           \
                break;                                                                             \
            }                                                                                      \
            to->name = bigger;                                                                     \
            to->cap_##name = from->n_##name;                                                       \
        }                                                                                          \
        if (from->n_##name)                                                                        \
            memcpy(to->name, from->name, (size_t)from->n_##name * sizeof *to->name);               \
    } while (0)
    COPY(contracts);
    COPY(entitlements);
    COPY(deliveries);
    COPY(enrolments);
    COPY(followups);
    COPY(pregnancies);
    COPY(encounters);
    COPY(referrals);
    COPY(answers);
    COPY(vaccinations);
    COPY(tb_cases);
#undef COPY
    return rc;
}

/* ---- rules ---- */

static int between(struct date d, struct date first, struct date last)
{
    return date_compare(d, first) >= 0 && date_compare(d, last) <= 0;
}

static int compare_int64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int64_t kpi_median_lower(int64_t *values, int n)
{
    if (n <= 0) return 0;
    qsort(values, (size_t)n, sizeof values[0], compare_int64);
    return values[(n - 1) / 2];
}

int kpi_in_population(const struct kpi_person *p, struct date as_of)
{
    return p->exists && date_compare(p->birth, as_of) <= 0 &&
           !(p->gone && date_compare(p->gone_on, as_of) <= 0);
}

static const struct kpi_contract *contract_on(const struct kpi_person *p, struct date day)
{
    for (int i = 0; i < p->n_contracts; i++)
        if (between(day, p->contracts[i].start, p->contracts[i].last)) return &p->contracts[i];
    return NULL;
}

void kpi_person_team(const struct kpi_person *p, struct date as_of, int64_t *team_id,
                     int64_t *doctor_id)
{
    const struct kpi_contract *c = contract_on(p, as_of);
    *team_id = c ? c->team_id : p->grid_team_id;
    *doctor_id = c ? c->doctor_id : p->grid_doctor_id;
}

static const struct kpi_enrolment *enrolment_on(const struct kpi_person *p, enum kpi_program prog,
                                                struct date day)
{
    for (int i = 0; i < p->n_enrolments; i++) {
        const struct kpi_enrolment *e = &p->enrolments[i];
        if (e->program == prog && date_compare(e->start, day) <= 0 &&
            (!e->has_end || date_compare(e->end, day) >= 0))
            return e;
    }
    return NULL;
}

/* Follow-ups of `prog` in [first, last]: how many, and the latest one (NULL if none). */
static int followups_in(const struct kpi_person *p, enum kpi_program prog, struct date first,
                        struct date last, const struct kpi_followup **latest)
{
    int n = 0;
    *latest = NULL;
    for (int i = 0; i < p->n_followups; i++) {
        const struct kpi_followup *f = &p->followups[i];
        if (f->program != prog || !between(f->date, first, last)) continue;
        n++;
        if (!*latest || date_compare(f->date, (*latest)->date) >= 0) *latest = f;
    }
    return n;
}

/* Standardised management and control of an enrolled chronic patient (htn, dm, smd). */
static void chronic_parts(const struct kpi_person *p, enum kpi_program prog, struct date first,
                          struct date as_of, int standard, int control, struct kpi_parts *out)
{
    const struct kpi_enrolment *e = enrolment_on(p, prog, as_of);
    if (!e) return;
    struct date from = date_compare(e->start, first) > 0 ? e->start : first;
    long days = date_diff_days(as_of, from) + 1;
    /* ceil(4 x days / days in the year), as the management view computes it. */
    int required = standard_required((int)days, first.year);
    const struct kpi_followup *latest;
    int done = followups_in(p, prog, first, as_of, &latest);
    out->den[standard]++;
    out->num[standard] += done >= required;
    if (control >= 0) {
        out->den[control]++;
        out->num[control] += latest && latest->controlled;
    }
}

/* The care cascade for one chronic programme (codes in the order under care, missed, lost,
 * controlled). */
static void cascade_parts(const struct kpi_person *p, enum kpi_program prog, struct date as_of,
                          int first_code, struct kpi_parts *out)
{
    const struct kpi_enrolment *e = enrolment_on(p, prog, as_of);
    if (!e) return;
    struct date year_ago = date_add_days(date_add_months(as_of, -12), 1);
    struct date quarter_ago = date_add_days(date_add_months(as_of, -3), 1);
    const struct kpi_followup *latest_year, *latest_quarter;
    int in_year = followups_in(p, prog, year_ago, as_of, &latest_year);
    int in_quarter = followups_in(p, prog, quarter_ago, as_of, &latest_quarter);
    for (int k = 0; k < 3; k++)
        out->den[first_code + k]++;
    out->num[first_code] += in_year > 0;
    out->num[first_code + 1] += in_quarter == 0;
    out->num[first_code + 2] += in_year == 0;
    if (date_compare(e->start, quarter_ago) < 0) {
        out->den[first_code + 3]++;
        out->num[first_code + 3] += latest_quarter && latest_quarter->controlled;
    }
}

static void contract_parts(const struct kpi_person *p, struct date first, struct date as_of,
                           const struct kpi_rules *rules, struct kpi_parts *out)
{
    for (int i = 0; i < p->n_contracts; i++) {
        const struct kpi_contract *c = &p->contracts[i];
        if (!between(c->last, first, as_of)) continue;
        /* Fulfilment: every contract that ended in the period, however it ended. */
        for (int k = 0; k < p->n_entitlements; k++) {
            const struct kpi_entitlement *en = &p->entitlements[k];
            if (en->contract != i) continue;
            int delivered = 0;
            for (int d = 0; d < p->n_deliveries; d++)
                if (p->deliveries[d].entitlement == k &&
                    date_compare(p->deliveries[d].date, as_of) <= 0)
                    delivered += p->deliveries[d].quantity;
            out->den[KPI_FULFILMENT] += en->quantity;
            out->num[KPI_FULFILMENT] += delivered < en->quantity ? delivered : en->quantity;
        }
        /* Renewal: only contracts that reached their term (not ended early). */
        if (date_compare(c->last, c->end) != 0) continue;
        out->den[KPI_RENEWAL]++;
        struct date by = date_add_days(c->end, rules->renewal_days);
        for (int j = 0; j < p->n_contracts; j++)
            if (date_compare(p->contracts[j].start, c->end) > 0 &&
                date_compare(p->contracts[j].start, by) <= 0) {
                out->num[KPI_RENEWAL]++;
                break;
            }
    }
}

static void maternal_parts(const struct kpi_person *p, struct date first, struct date as_of,
                           struct kpi_parts *out)
{
    for (int i = 0; i < p->n_pregnancies; i++) {
        const struct kpi_pregnancy *g = &p->pregnancies[i];
        if (!g->delivered || !between(g->delivery, first, as_of)) continue;
        out->den[KPI_EARLY_PREGNANCY]++;
        out->den[KPI_POSTPARTUM_VISIT]++;
        struct date early = date_add_days(g->lmp, EARLY_PREGNANCY_DAYS - 1);
        struct date home = g->has_discharge ? g->discharge : g->delivery;
        struct date home_by = date_add_days(home, VISIT_WINDOW_DAYS);
        struct date first_check = {0, 0, 0};
        int early_seen = 0, postpartum_seen = 0;
        for (int k = 0; k < p->n_followups; k++) {
            const struct kpi_followup *f = &p->followups[k];
            if (f->program != KP_MATERNAL || date_compare(f->date, as_of) > 0) continue;
            if (between(f->date, g->lmp, g->delivery) &&
                (!first_check.year || date_compare(f->date, first_check) < 0))
                first_check = f->date;
            if (between(f->date, home, home_by)) postpartum_seen = 1;
        }
        early_seen = first_check.year && date_compare(first_check, early) <= 0;
        out->num[KPI_EARLY_PREGNANCY] += early_seen;
        out->num[KPI_POSTPARTUM_VISIT] += postpartum_seen;
    }
}

static int months_of(struct date first, struct date as_of)
{
    return (as_of.year - first.year) * 12 + as_of.month - first.month + 1;
}

/* immunisation_timely_rate (§15): the doses of §13 that fell due in [first, as_of], their due
 * dates from the doses given by as_of, and those of them given by the end of the month they
 * fell due. After the 7th birthday the schedule is read as on the day before it, so that the
 * doses that fell due earlier in the period still count. */
static void immunisation_parts(const struct kpi_person *p, struct date first, struct date as_of,
                               const struct kpi_rules *rules, struct kpi_parts *out)
{
    struct date seventh = date_add_years(p->birth, 7);
    if (date_compare(seventh, first) <= 0 || date_compare(p->birth, as_of) > 0) return;
    struct dose_given given[IMMUNISATION_MAX_DOSES];
    int n = 0;
    for (int i = 0; i < p->n_vaccinations && n < IMMUNISATION_MAX_DOSES; i++) {
        const struct kpi_vaccination *v = &p->vaccinations[i];
        if (date_compare(v->date, as_of) <= 0)
            given[n++] = (struct dose_given){(enum vaccine)v->vaccine, v->dose, v->date};
    }
    struct immunisation_choice choice = {rules->immunisation_je_inactivated,
                                         rules->immunisation_hepa_inactivated};
    struct dose_item items[IMMUNISATION_MAX_DOSES];
    struct date on = date_compare(as_of, seventh) < 0 ? as_of : date_add_days(seventh, -1);
    int k = immunisation_evaluate(p->birth, on, given, n, &choice, items);
    for (int i = 0; i < k; i++) {
        struct date due = items[i].due_date;
        if (!between(due, first, as_of)) continue;
        struct date month_end =
            date_add_days(date_add_months((struct date){due.year, due.month, 1}, 1), -1);
        out->den[KPI_IMMUNISATION_TIMELY]++;
        out->num[KPI_IMMUNISATION_TIMELY] +=
            items[i].given && date_compare(items[i].given_on, month_end) <= 0;
    }
}

/* tb_mgmt_rate and tb_regular_medication_rate (§15, 肺结核患者管理率 and 规则服药率): a case
 * notified in the period counts, managed once the team's first visit is recorded by as_of; a
 * course completed (cured or completed) in the period counts, regular when at least 90% of
 * the doses due over it were taken. */
#define TB_REGULAR_PERCENT 90 /* [spec] */
static void tb_parts(const struct kpi_person *p, struct date first, struct date as_of,
                     struct kpi_parts *out)
{
    for (int i = 0; i < p->n_tb_cases; i++) {
        const struct kpi_tb_case *c = &p->tb_cases[i];
        if (between(c->notified, first, as_of)) {
            out->den[KPI_TB_MGMT]++;
            out->num[KPI_TB_MGMT] += c->has_first_visit && date_compare(c->first_visit, as_of) <= 0;
        }
        if (c->has_closed && c->completed && between(c->closed, first, as_of)) {
            out->den[KPI_TB_REGULAR]++;
            out->num[KPI_TB_REGULAR] +=
                c->doses_due > 0 && c->doses_taken * 100 >= c->doses_due * TB_REGULAR_PERCENT;
        }
    }
}

static void encounter_parts(const struct kpi_person *p, struct date first, struct date as_of,
                            int chronic_enrolled, int signed_now, struct kpi_parts *out)
{
    int primary_seen = 0, chronic_seen = 0;
    for (int i = 0; i < p->n_encounters; i++) {
        const struct kpi_encounter *e = &p->encounters[i];
        if (!between(e->date, first, as_of)) continue;
        if (e->kind == KE_OUTPATIENT) {
            out->den[KPI_PRIMARY_OUTPATIENT]++;
            out->num[KPI_PRIMARY_OUTPATIENT] += e->primary;
        } else if (e->kind == KE_INPATIENT) {
            out->den[KPI_IN_COUNTY_INPATIENT]++;
            out->num[KPI_IN_COUNTY_INPATIENT] += e->in_county;
        }
        primary_seen |= e->primary;
        chronic_seen |= e->primary && e->chronic != KP_NONE;
        out->den[KPI_IN_COUNTY_VISIT]++;
        out->num[KPI_IN_COUNTY_VISIT] += e->in_county;
        const struct kpi_contract *c = contract_on(p, e->date);
        if (!c) continue;
        out->den[KPI_SIGNED_PRIMARY_VISIT]++;
        out->num[KPI_SIGNED_PRIMARY_VISIT] += e->primary;
        int own = e->team_id && e->team_id == c->team_id;
        int combined = own;
        for (int k = 0; k < 3 && !combined; k++)
            combined = e->institution_id && e->institution_id == c->combination[k];
        out->den[KPI_COMBINATION_VISIT]++;
        out->num[KPI_COMBINATION_VISIT] += combined;
        out->den[KPI_FD_VISIT_SHARE]++;
        out->num[KPI_FD_VISIT_SHARE] += own;
        out->num[KPI_FD_VISITS_PER_CAPITA] += own;
    }
    if (chronic_enrolled) {
        out->den[KPI_MANAGED_VISIT]++;
        out->num[KPI_MANAGED_VISIT] += primary_seen;
    }
    if (chronic_seen) {
        out->den[KPI_VISIT_MANAGED]++;
        out->num[KPI_VISIT_MANAGED] += chronic_enrolled;
    }
    if (signed_now) out->den[KPI_FD_VISITS_PER_CAPITA] += months_of(first, as_of);
}

/* ---- how far back a change reaches (see indicators.h) ---- */

static int same_date(struct date a, struct date b)
{
    return a.year == b.year && a.month == b.month && a.day == b.day;
}

static void reach(struct date *from, struct date d)
{
    if (date_compare(d, *from) < 0) *from = d;
}

static int same_contract(const void *x, const void *y)
{
    const struct kpi_contract *a = x, *b = y;
    return a->id == b->id && a->team_id == b->team_id && a->doctor_id == b->doctor_id &&
           a->combination[0] == b->combination[0] && a->combination[1] == b->combination[1] &&
           a->combination[2] == b->combination[2] && same_date(a->start, b->start) &&
           same_date(a->end, b->end) && same_date(a->last, b->last);
}

static int same_entitlement(const void *x, const void *y)
{
    const struct kpi_entitlement *a = x, *b = y;
    return a->id == b->id && a->contract == b->contract && a->quantity == b->quantity;
}

static int same_delivery(const void *x, const void *y)
{
    const struct kpi_delivery *a = x, *b = y;
    return a->entitlement == b->entitlement && same_date(a->date, b->date) &&
           a->quantity == b->quantity;
}

static void delivery_dates(const void *x, struct date *from)
{
    reach(from, ((const struct kpi_delivery *)x)->date);
}

static int same_enrolment(const void *x, const void *y)
{
    const struct kpi_enrolment *a = x, *b = y;
    return a->program == b->program && same_date(a->start, b->start) && a->has_end == b->has_end &&
           (!a->has_end || same_date(a->end, b->end));
}

static void enrolment_dates(const void *x, struct date *from)
{
    const struct kpi_enrolment *e = x;
    reach(from, e->start);
    if (e->has_end) reach(from, e->end);
}

static int same_followup(const void *x, const void *y)
{
    const struct kpi_followup *a = x, *b = y;
    return a->program == b->program && same_date(a->date, b->date) &&
           a->controlled == b->controlled && a->home_visit == b->home_visit;
}

static void followup_dates(const void *x, struct date *from)
{
    reach(from, ((const struct kpi_followup *)x)->date);
}

static int same_pregnancy(const void *x, const void *y)
{
    const struct kpi_pregnancy *a = x, *b = y;
    return same_date(a->lmp, b->lmp) && a->delivered == b->delivered &&
           (!a->delivered || same_date(a->delivery, b->delivery)) &&
           a->has_discharge == b->has_discharge &&
           (!a->has_discharge || same_date(a->discharge, b->discharge));
}

static void pregnancy_dates(const void *x, struct date *from)
{
    const struct kpi_pregnancy *g = x;
    reach(from, g->lmp);
    if (g->delivered) reach(from, g->delivery);
    if (g->has_discharge) reach(from, g->discharge);
}

static int same_encounter(const void *x, const void *y)
{
    const struct kpi_encounter *a = x, *b = y;
    return same_date(a->date, b->date) && a->primary == b->primary &&
           a->in_county == b->in_county && a->kind == b->kind && a->cost_fen == b->cost_fen &&
           a->chronic == b->chronic && a->team_id == b->team_id &&
           a->institution_id == b->institution_id;
}

static void encounter_dates(const void *x, struct date *from)
{
    reach(from, ((const struct kpi_encounter *)x)->date);
}

static int same_referral(const void *x, const void *y)
{
    const struct kpi_referral *a = x, *b = y;
    return same_date(a->date, b->date) && a->value == b->value && a->has_seen == b->has_seen &&
           (!a->has_seen || same_date(a->seen, b->seen)) && a->has_returned == b->has_returned &&
           (!a->has_returned || same_date(a->returned, b->returned)) &&
           a->satisfaction == b->satisfaction &&
           (!a->satisfaction || same_date(a->satisfaction_on, b->satisfaction_on));
}

static void referral_dates(const void *x, struct date *from)
{
    const struct kpi_referral *f = x;
    reach(from, f->date);
    if (f->has_seen) reach(from, f->seen);
    if (f->has_returned) reach(from, f->returned);
    if (f->satisfaction) reach(from, f->satisfaction_on);
}

static int same_answer(const void *x, const void *y)
{
    const struct kpi_dated *a = x, *b = y;
    return same_date(a->date, b->date) && a->value == b->value;
}

static void answer_dates(const void *x, struct date *from)
{
    reach(from, ((const struct kpi_dated *)x)->date);
}

static int same_vaccination(const void *x, const void *y)
{
    const struct kpi_vaccination *a = x, *b = y;
    return same_date(a->date, b->date) && a->vaccine == b->vaccine && a->dose == b->dose;
}

static void vaccination_dates(const void *x, struct date *from)
{
    reach(from, ((const struct kpi_vaccination *)x)->date);
}

static int same_tb_case(const void *x, const void *y)
{
    const struct kpi_tb_case *a = x, *b = y;
    return same_date(a->notified, b->notified) && a->has_first_visit == b->has_first_visit &&
           (!a->has_first_visit || same_date(a->first_visit, b->first_visit)) &&
           a->has_closed == b->has_closed && (!a->has_closed || same_date(a->closed, b->closed)) &&
           a->completed == b->completed && a->doses_due == b->doses_due &&
           a->doses_taken == b->doses_taken;
}

/* A case's parts read nothing before its notice: any change to it reaches from there. */
static void tb_case_dates(const void *x, struct date *from)
{
    reach(from, ((const struct kpi_tb_case *)x)->notified);
}

/* Compares two lists loaded in the same order: what lies between their common start and
 * common end changed (on either side); its earliest date goes into *from. Elements outside
 * that stretch keep their order, so a "first" or "latest" match among them stays the same.
 * `dates` NULL: the kind is undated, any change reaches every period (returns -1). */
static int changed(const void *a, int na, const void *b, int nb, size_t size,
                   int (*same)(const void *, const void *),
                   void (*dates)(const void *, struct date *), struct date *from)
{
    const char *x = a, *y = b;
    int lo = 0;
    while (lo < na && lo < nb && same(x + (size_t)lo * size, y + (size_t)lo * size))
        lo++;
    int ea = na, eb = nb;
    while (ea > lo && eb > lo && same(x + (size_t)(ea - 1) * size, y + (size_t)(eb - 1) * size))
        ea--, eb--;
    if (ea == lo && eb == lo) return 0;
    if (!dates) return -1;
    for (int i = lo; i < ea; i++)
        dates(x + (size_t)i * size, from);
    for (int i = lo; i < eb; i++)
        dates(y + (size_t)i * size, from);
    return 1;
}

int kpi_person_changed_from(const struct kpi_person *a, const struct kpi_person *b,
                            struct date *from)
{
    if (a->exists != b->exists || !same_date(a->birth, b->birth) || a->gone != b->gone ||
        !same_date(a->gone_on, b->gone_on) || a->population_class != b->population_class ||
        strcmp(a->region, b->region) != 0 || a->has_record != b->has_record ||
        a->record_opened != b->record_opened || !same_date(a->record_on, b->record_on) ||
        !same_date(a->record_opened_on, b->record_opened_on) ||
        a->grid_team_id != b->grid_team_id || a->grid_doctor_id != b->grid_doctor_id)
        return -1;
    *from = (struct date){9999, 12, 31};
    int any = 0, rc;
#define KIND(name, same, dates)                                                                    \
    rc =                                                                                           \
        changed(a->name, a->n_##name, b->name, b->n_##name, sizeof a->name[0], same, dates, from); \
    if (rc < 0) return -1;                                                                         \
    any |= rc
    KIND(contracts, same_contract, NULL);
    KIND(entitlements, same_entitlement, NULL);
    KIND(deliveries, same_delivery, delivery_dates);
    KIND(enrolments, same_enrolment, enrolment_dates);
    KIND(followups, same_followup, followup_dates);
    KIND(pregnancies, same_pregnancy, pregnancy_dates);
    KIND(encounters, same_encounter, encounter_dates);
    KIND(referrals, same_referral, referral_dates);
    KIND(answers, same_answer, answer_dates);
    KIND(vaccinations, same_vaccination, vaccination_dates);
    KIND(tb_cases, same_tb_case, tb_case_dates);
#undef KIND
    return any;
}

void kpi_person_parts(const struct kpi_person *p, struct date first, struct date as_of,
                      const struct kpi_rules *rules, struct kpi_parts *out)
{
    memset(out, 0, sizeof *out);
    if (!p->exists) return;
    int in_pop = kpi_in_population(p, as_of);
    int signed_now = in_pop && contract_on(p, as_of) != NULL;
    if (in_pop) {
        out->den[KPI_SIGNING] = 1;
        out->num[KPI_SIGNING] = signed_now;
        if (p->population_class == 1) {
            out->den[KPI_KEY_SIGNING] = 1;
            out->num[KPI_KEY_SIGNING] = signed_now;
        }
        if (p->population_class == 2) {
            out->den[KPI_CLASS2_SIGNING] = 1;
            out->num[KPI_CLASS2_SIGNING] = signed_now;
        }
        /* cost_per_capita_fen: what the population's encounters of the period cost, a person. */
        out->den[KPI_COST_PER_CAPITA] = 1;
        for (int i = 0; i < p->n_encounters; i++)
            if (between(p->encounters[i].date, first, as_of))
                out->num[KPI_COST_PER_CAPITA] += p->encounters[i].cost_fen;
        int record = p->has_record && date_compare(p->record_on, as_of) <= 0;
        out->den[KPI_RECORD] = 1;
        out->num[KPI_RECORD] = record;
        if (record) {
            out->den[KPI_RECORD_OPEN] = 1;
            out->num[KPI_RECORD_OPEN] =
                p->record_opened && date_compare(p->record_opened_on, as_of) <= 0;
        }
        chronic_parts(p, KP_HTN, first, as_of, KPI_HTN_STANDARD, KPI_HTN_CONTROL, out);
        chronic_parts(p, KP_DM, first, as_of, KPI_DM_STANDARD, KPI_DM_CONTROL, out);
        chronic_parts(p, KP_SMD, first, as_of, KPI_SMD_STANDARD, -1, out);
        cascade_parts(p, KP_HTN, as_of, KPI_HTN_UNDER_CARE, out);
        cascade_parts(p, KP_DM, as_of, KPI_DM_UNDER_CARE, out);
        int age = date_age_years(p->birth, as_of);
        const struct kpi_followup *latest;
        if (age >= rules->elderly_age) {
            out->den[KPI_ELDERLY_MGMT] = 1;
            out->num[KPI_ELDERLY_MGMT] = followups_in(p, KP_ELDERLY, first, as_of, &latest) > 0;
        }
        if (age < rules->child_age_below) {
            out->den[KPI_CHILD_MGMT] = 1;
            out->num[KPI_CHILD_MGMT] = followups_in(p, KP_CHILD, first, as_of, &latest) > 0;
        }
        if (age < 8) immunisation_parts(p, first, as_of, rules, out);
    }
    /* Live births in the period count whatever happened to the child after. */
    if (between(p->birth, first, as_of)) {
        out->den[KPI_NEWBORN_VISIT] = 1;
        struct date by = date_add_days(p->birth, VISIT_WINDOW_DAYS);
        for (int i = 0; i < p->n_followups; i++) {
            const struct kpi_followup *f = &p->followups[i];
            if (f->program == KP_CHILD && f->home_visit && between(f->date, p->birth, by) &&
                date_compare(f->date, as_of) <= 0) {
                out->num[KPI_NEWBORN_VISIT] = 1;
                break;
            }
        }
    }
    if (in_pop && p->n_tb_cases) tb_parts(p, first, as_of, out);
    contract_parts(p, first, as_of, rules, out);
    for (int i = 0; i < p->n_contracts; i++)
        if (p->contracts[i].fee_fen > 0 && between(p->contracts[i].start, first, as_of)) {
            out->num[KPI_PERSONALISED_SIGNINGS]++;
            out->num[KPI_PERSONALISED_FEE] += p->contracts[i].fee_fen;
        }
    maternal_parts(p, first, as_of, out);
    int chronic_enrolled =
        in_pop && (enrolment_on(p, KP_HTN, as_of) || enrolment_on(p, KP_DM, as_of));
    encounter_parts(p, first, as_of, chronic_enrolled, signed_now, out);
    for (int i = 0; i < p->n_referrals; i++) {
        const struct kpi_referral *f = &p->referrals[i];
        if (between(f->date, first, as_of))
            out->num[f->value ? KPI_REFERRALS_UP : KPI_REFERRALS_DOWN]++;
        if (f->value && f->has_seen && between(f->seen, first, as_of)) {
            out->den[KPI_REFERRAL_RETURN]++;
            out->num[KPI_REFERRAL_RETURN] +=
                f->has_returned && date_compare(f->returned, as_of) <= 0;
        }
        if (f->satisfaction && between(f->satisfaction_on, first, as_of)) {
            out->den[KPI_REFERRAL_SATISFACTION]++;
            out->num[KPI_REFERRAL_SATISFACTION] += f->satisfaction >= 4;
        }
    }
    /* awareness_rate counts surveyed residents, not answers: the latest answer of the period
     * that asked the question says whether this resident knows their doctor. */
    const struct kpi_dated *latest_asked = NULL;
    for (int i = 0; i < p->n_answers; i++) {
        const struct kpi_dated *a = &p->answers[i];
        if (!between(a->date, first, as_of)) continue;
        out->den[KPI_SATISFACTION]++;
        out->num[KPI_SATISFACTION] += a->value >= 4;
        if (a->knows != KPI_AWARE_NOT_ASKED &&
            (!latest_asked || date_compare(a->date, latest_asked->date) >= 0))
            latest_asked = a;
    }
    if (latest_asked) {
        out->den[KPI_AWARENESS] = 1;
        out->num[KPI_AWARENESS] = latest_asked->knows == KPI_AWARE_YES;
    }
    /* key_standard_rate: the key programmes together - hypertension, diabetes and SMD by their
     * standardised management, a TB case notified in the period by its first visit within 72
     * hours (PROTOCOLS.md §14). */
    static const int KEY[] = {KPI_HTN_STANDARD, KPI_DM_STANDARD, KPI_SMD_STANDARD};
    for (size_t k = 0; k < sizeof KEY / sizeof KEY[0]; k++) {
        out->num[KPI_KEY_STANDARD] += out->num[KEY[k]];
        out->den[KPI_KEY_STANDARD] += out->den[KEY[k]];
    }
    for (int i = 0; in_pop && i < p->n_tb_cases; i++) {
        const struct kpi_tb_case *c = &p->tb_cases[i];
        if (!between(c->notified, first, as_of)) continue;
        out->den[KPI_KEY_STANDARD]++;
        out->num[KPI_KEY_STANDARD] += c->has_first_visit &&
                                      date_compare(c->first_visit, as_of) <= 0 &&
                                      date_diff_days(c->first_visit, c->notified) <= 3;
    }
}
