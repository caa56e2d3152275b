/* Unit tests: which entitlement a recorded service uses up (domain/entitlement_use.c, issue
 * 12) - the events each kind of record gives, row by row; the mapping's preference order;
 * nothing left; no contract in force; a service dated outside the term; the day of a
 * transfer; one record never using one entitlement twice; and mapping edits. */
#include "test.h"

#include <stdio.h>
#include <string.h>

#include "domain/entitlement_use.h"
#include "domain/protocol_lists.h"

/* The events of a record as "a,b,c". */
static void events_text(const struct service_record *r, int64_t contract_team, char *out,
                        size_t size)
{
    enum service_event e[SERVICE_MAX_EVENTS];
    int n = service_events(r, contract_team, e);
    out[0] = '\0';
    for (int i = 0; i < n; i++)
        snprintf(out + strlen(out), size - strlen(out), "%s%s", i ? "," : "",
                 service_event_name(e[i]));
}

struct event_row {
    enum service_source kind;
    const char *program, *date;
    int at_home;
    const char *delivery; /* NULL: none recorded */
    int has_ecg, has_lab;
    int64_t team_id, contract_team;
    const char *expected;
};

static void each_record_gives_its_events(void **state)
{
    (void)state;
    static const struct event_row ROWS[] = {
        /* Follow-ups: the program's event, and a home visit when done at home. */
        {SOURCE_FOLLOWUP, "hypertension", "2027-03-01", 0, NULL, 0, 0, 0, 0,
         "followup.hypertension"},
        {SOURCE_FOLLOWUP, "hypertension", "2027-03-01", 1, NULL, 0, 0, 0, 0,
         "followup.hypertension,home_visit"},
        {SOURCE_FOLLOWUP, "diabetes", "2027-03-01", 0, NULL, 0, 0, 0, 0, "followup.diabetes"},
        {SOURCE_FOLLOWUP, "smd", "2027-03-01", 0, NULL, 0, 0, 0, 0, "followup.smd"},
        {SOURCE_FOLLOWUP, "elderly", "2027-03-01", 1, NULL, 0, 0, 0, 0,
         "followup.elderly,home_visit"},
        /* Born 2027-01-01: days 0-27 are the newborn visit, day 28 the full-month check. */
        {SOURCE_FOLLOWUP, "child", "2027-01-05", 1, NULL, 0, 0, 0, 0,
         "followup.newborn,home_visit"},
        {SOURCE_FOLLOWUP, "child", "2027-01-28", 0, NULL, 0, 0, 0, 0, "followup.newborn"},
        {SOURCE_FOLLOWUP, "child", "2027-01-29", 0, NULL, 0, 0, 0, 0, "followup.child"},
        /* Maternal: antenatal before the delivery, postpartum from its day. */
        {SOURCE_FOLLOWUP, "maternal", "2027-03-01", 0, NULL, 0, 0, 0, 0, "followup.maternal"},
        {SOURCE_FOLLOWUP, "maternal", "2027-03-01", 0, "2027-03-02", 0, 0, 0, 0,
         "followup.maternal"},
        {SOURCE_FOLLOWUP, "maternal", "2027-03-02", 1, "2027-03-02", 0, 0, 0, 0,
         "followup.postpartum,home_visit"},
        {SOURCE_FOLLOWUP, "maternal", "2027-04-13", 0, "2027-03-02", 0, 0, 0, 0,
         "followup.postpartum"},
        {SOURCE_FOLLOWUP, "tuberculosis", "2027-03-01", 1, NULL, 0, 0, 0, 0, "home_visit"},
        /* Exams: the exam, and its ECG and tests when the row has them. */
        {SOURCE_EXAM, NULL, "2027-03-01", 0, NULL, 0, 0, 0, 5, "exam"},
        {SOURCE_EXAM, NULL, "2027-03-01", 0, NULL, 1, 0, 0, 5, "exam,exam.ecg"},
        {SOURCE_EXAM, NULL, "2027-03-01", 0, NULL, 1, 1, 0, 5, "exam,exam.ecg,exam.lab"},
        {SOURCE_EXAM, NULL, "2027-03-01", 0, NULL, 0, 1, 0, 0, "exam,exam.lab"},
        /* Encounters: only with the team of the contract in force that day. */
        {SOURCE_ENCOUNTER, NULL, "2027-03-01", 0, NULL, 0, 0, 5, 5, "encounter"},
        {SOURCE_ENCOUNTER, NULL, "2027-03-01", 0, NULL, 0, 0, 6, 5, ""},
        {SOURCE_ENCOUNTER, NULL, "2027-03-01", 0, NULL, 0, 0, 0, 5, ""},
        {SOURCE_ENCOUNTER, NULL, "2027-03-01", 0, NULL, 0, 0, 0, 0, ""},
        {SOURCE_ENCOUNTER, NULL, "2027-03-01", 1, NULL, 0, 0, 5, 5, "encounter,home_visit"},
        {SOURCE_ENCOUNTER, NULL, "2027-03-01", 1, NULL, 0, 0, 6, 5, "home_visit"},
        {SOURCE_GROUP_ATTENDANCE, NULL, "2027-03-01", 0, NULL, 0, 0, 0, 5, "group_attendance"},
        {SOURCE_BOOKING, NULL, "2027-03-01", 0, NULL, 0, 0, 5, 5, "booking"},
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        const struct event_row *row = &ROWS[i];
        struct service_record r = {.kind = row->kind,
                                   .date = D(row->date),
                                   .program = row->program,
                                   .at_home = row->at_home,
                                   .birth = D("2027-01-01"),
                                   .has_delivery = row->delivery != NULL,
                                   .has_ecg = row->has_ecg,
                                   .has_lab = row->has_lab,
                                   .team_id = row->team_id};
        if (row->delivery) r.delivery = D(row->delivery);
        char text[160];
        events_text(&r, row->contract_team, text, sizeof text);
        if (strcmp(text, row->expected) != 0)
            fail_msg("row %zu: \"%s\", expected \"%s\"", i, text, row->expected);
    }
}

static void every_event_name_reads_back(void **state)
{
    (void)state;
    for (int e = 0; e < EVENT_COUNT; e++)
        assert_int_equal(service_event_parse(service_event_name((enum service_event)e)), e);
    assert_int_equal(service_event_parse("followup"), -1);
    assert_int_equal(service_event_parse("Exam"), -1);
    assert_string_equal(service_source_name(SOURCE_GROUP_ATTENDANCE), "group_attendance");
    assert_string_equal(service_source_name(SOURCE_BOOKING), "booking");
}

static void a_mapping_item_is_an_event_and_a_service(void **state)
{
    (void)state;
    static const struct {
        const char *item;
        int valid;
    } ROWS[] = {
        {"followup.hypertension:bp_followup", 1},
        {"exam.ecg:ecg", 1},
        {"group_attendance:健康教育", 1}, /* a package may name its services in Chinese */
        {"bp_followup", 0},
        {":bp_followup", 0},
        {"followup.tuberculosis:tb_visit", 0}, /* not an event */
        {"followup:bp_followup", 0},
        {"Exam:physical_exam", 0},
        {"exam:", 0},
        {"exam:a:b", 0},
        {"exam: physical_exam", 0},
        {"exam:physical_exam ", 0},
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++)
        if (entitlement_rule_valid(ROWS[i].item) != ROWS[i].valid) fail_msg("\"%s\"", ROWS[i].item);
    /* The built-in mapping passes the checks a changed one must pass (40 characters each). */
    const struct protocol_list *list = protocol_list_find("service_entitlements");
    assert_non_null(list);
    struct string_list d = protocol_list_default(list);
    size_t bad;
    assert_int_equal(protocol_list_check(list, d.items, d.count, &bad), LIST_OK);
    struct entitlement_rule rules[64];
    assert_int_equal(entitlement_rules_parse(d.items, d.count, rules, 64), d.count);
}

/* An account: contract 0 (id 10, team 5) for 2027 with HTN-like items, contract 1 (id 11,
 * team 6) for 2026. */
static struct entitlement_account account(void)
{
    struct entitlement_account a;
    memset(&a, 0, sizeof a);
    a.contracts[0] = (struct entitlement_contract){10, 5, D("2027-01-01"), D("2027-12-31")};
    a.contracts[1] = (struct entitlement_contract){11, 6, D("2026-01-01"), D("2026-12-31")};
    a.n_contracts = 2;
    static const struct {
        int contract, quantity;
        const char *service;
    } ITEMS[] = {{0, 4, "bp_measurement"}, {0, 4, "bp_followup"}, {0, 2, "home_visit"},
                 {0, 1, "physical_exam"},  {0, 1, "ecg"},         {1, 4, "bp_measurement"}};
    for (size_t i = 0; i < sizeof ITEMS / sizeof ITEMS[0]; i++) {
        struct entitlement_item *it = &a.items[a.n_items++];
        it->id = 100 + (int64_t)i;
        it->contract = ITEMS[i].contract;
        it->quantity = ITEMS[i].quantity;
        snprintf(it->service, sizeof it->service, "%s", ITEMS[i].service);
    }
    return a;
}

static size_t default_rules(struct entitlement_rule *rules, size_t max)
{
    struct string_list d = protocol_list_default(protocol_list_find("service_entitlements"));
    return entitlement_rules_parse(d.items, d.count, rules, max);
}

static struct service_record followup(const char *program, const char *day, int at_home)
{
    return (struct service_record){.kind = SOURCE_FOLLOWUP,
                                   .date = D(day),
                                   .program = program,
                                   .at_home = at_home,
                                   .birth = D("1960-01-01")};
}

static void the_first_listed_service_with_something_left_is_used(void **state)
{
    (void)state;
    struct entitlement_account a = account();
    struct entitlement_rule rules[64];
    size_t n = default_rules(rules, 64);
    struct entitlement_use u[SERVICE_MAX_EVENTS];
    struct service_record r = followup("hypertension", "2027-03-01", 0);
    /* The package's follow-up first, the basic measurement once it is used up. */
    assert_int_equal(entitlement_choose(&a, rules, n, &r, u), 1);
    assert_string_equal(a.items[u[0].item].service, "bp_followup");
    assert_int_equal(u[0].event, EVENT_FOLLOWUP_HYPERTENSION);
    a.items[1].used = 4;
    assert_int_equal(entitlement_choose(&a, rules, n, &r, u), 1);
    assert_string_equal(a.items[u[0].item].service, "bp_measurement");
    /* Nothing left: nothing used, and no error. */
    a.items[0].used = 4;
    assert_int_equal(entitlement_choose(&a, rules, n, &r, u), 0);
    /* At home: the follow-up's unit (none left) and the home visit's. */
    r.at_home = 1;
    assert_int_equal(entitlement_choose(&a, rules, n, &r, u), 1);
    assert_string_equal(a.items[u[0].item].service, "home_visit");
    /* An exam row uses the exam and the ECG; lab tests are not in this contract. */
    struct service_record exam = {
        .kind = SOURCE_EXAM, .date = D("2027-05-01"), .has_ecg = 1, .has_lab = 1};
    assert_int_equal(entitlement_choose(&a, rules, n, &exam, u), 2);
    assert_string_equal(a.items[u[0].item].service, "physical_exam");
    assert_string_equal(a.items[u[1].item].service, "ecg");
    assert_int_equal(u[1].event, EVENT_EXAM_ECG);
    /* A visit to the contract's own team measures blood pressure; elsewhere it does not. */
    a.items[0].used = 0;
    struct service_record visit = {.kind = SOURCE_ENCOUNTER, .date = D("2027-05-01"), .team_id = 5};
    assert_int_equal(entitlement_choose(&a, rules, n, &visit, u), 1);
    assert_string_equal(a.items[u[0].item].service, "bp_measurement");
    visit.team_id = 6;
    assert_int_equal(entitlement_choose(&a, rules, n, &visit, u), 0);
}

static void only_the_contract_in_force_on_the_day_is_used(void **state)
{
    (void)state;
    struct entitlement_account a = account();
    struct entitlement_rule rules[64];
    size_t n = default_rules(rules, 64);
    struct entitlement_use u[SERVICE_MAX_EVENTS];
    a.items[1].used = 4; /* this year's package follow-up used up: the measurement is next */
    static const struct {
        const char *day;
        int64_t contract; /* 0: none in force */
    } ROWS[] = {
        {"2025-12-31", 0},  {"2026-01-01", 11}, {"2026-12-31", 11},
        {"2027-01-01", 10}, {"2027-12-31", 10}, {"2028-01-01", 0},
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        struct service_record r = followup("hypertension", ROWS[i].day, 0);
        int k = entitlement_choose(&a, rules, n, &r, u);
        if (k != (ROWS[i].contract != 0)) fail_msg("%s: %d uses", ROWS[i].day, k);
        if (k && a.contracts[a.items[u[0].item].contract].id != ROWS[i].contract)
            fail_msg("%s: contract %lld", ROWS[i].day,
                     (long long)a.contracts[a.items[u[0].item].contract].id);
    }
    /* A contract that ended early ends on that day. */
    a.contracts[0].last = D("2027-06-30");
    struct service_record late = followup("hypertension", "2027-07-01", 0);
    assert_int_equal(entitlement_choose(&a, rules, n, &late, u), 0);
    /* No contract at all. */
    struct entitlement_account none;
    memset(&none, 0, sizeof none);
    assert_int_equal(entitlement_choose(&none, rules, n, &late, u), 0);
    assert_int_equal(entitlement_contract_on(&none, D("2027-01-01")), -1);
}

static void the_day_of_a_transfer_belongs_to_the_new_contract(void **state)
{
    (void)state;
    struct entitlement_account a;
    memset(&a, 0, sizeof a);
    a.contracts[0] = (struct entitlement_contract){20, 5, D("2027-01-01"), D("2027-06-15")};
    a.contracts[1] = (struct entitlement_contract){21, 6, D("2027-06-15"), D("2027-12-31")};
    a.n_contracts = 2;
    assert_int_equal(entitlement_contract_on(&a, D("2027-06-14")), 0);
    assert_int_equal(entitlement_contract_on(&a, D("2027-06-15")), 1);
    /* Two starting the same day (never by the rules, but the data may have it): the newer. */
    a.contracts[1].start = D("2027-01-01");
    assert_int_equal(entitlement_contract_on(&a, D("2027-03-01")), 1);
}

static void one_record_never_uses_one_entitlement_twice(void **state)
{
    (void)state;
    struct entitlement_account a = account();
    /* Both events of a home follow-up may use the follow-up: the second takes the next
     * service it lists, never the same entitlement again. */
    static const char *const ITEMS[] = {"followup.hypertension:bp_followup",
                                        "home_visit:bp_followup", "home_visit:bp_measurement"};
    struct entitlement_rule rules[8];
    size_t n = entitlement_rules_parse(ITEMS, 3, rules, 8);
    struct entitlement_use u[SERVICE_MAX_EVENTS];
    struct service_record r = followup("hypertension", "2027-03-01", 1);
    assert_int_equal(entitlement_choose(&a, rules, n, &r, u), 2);
    assert_string_equal(a.items[u[0].item].service, "bp_followup");
    assert_string_equal(a.items[u[1].item].service, "bp_measurement");
    assert_int_equal(u[1].event, EVENT_HOME_VISIT);
    /* With nothing else listed, the home visit uses nothing. */
    n = entitlement_rules_parse(ITEMS, 2, rules, 8);
    assert_int_equal(entitlement_choose(&a, rules, n, &r, u), 1);
}

static void a_changed_mapping_takes_effect(void **state)
{
    (void)state;
    struct entitlement_account a = account();
    struct entitlement_use u[SERVICE_MAX_EVENTS];
    struct service_record r = followup("hypertension", "2027-03-01", 0);
    /* The measurement preferred over the package's follow-up. */
    static const char *const SWAPPED[] = {"followup.hypertension:bp_measurement",
                                          "followup.hypertension:bp_followup"};
    struct entitlement_rule rules[8];
    size_t n = entitlement_rules_parse(SWAPPED, 2, rules, 8);
    assert_int_equal(entitlement_choose(&a, rules, n, &r, u), 1);
    assert_string_equal(a.items[u[0].item].service, "bp_measurement");
    /* Hypertension follow-ups unmapped: nothing used. An item no longer valid (an event
     * withdrawn) is skipped, the rest kept. */
    static const char *const OTHER[] = {"followup.tuberculosis:bp_followup", "exam:physical_exam"};
    n = entitlement_rules_parse(OTHER, 2, rules, 8);
    assert_int_equal(n, 1);
    assert_int_equal(entitlement_choose(&a, rules, n, &r, u), 0);
    assert_true(entitlement_rules_cover(rules, n, "physical_exam"));
    assert_false(entitlement_rules_cover(rules, n, "bp_followup"));
    /* An empty mapping uses nothing at all. */
    assert_int_equal(entitlement_choose(&a, rules, 0, &r, u), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_record_gives_its_events),
        cmocka_unit_test(every_event_name_reads_back),
        cmocka_unit_test(a_mapping_item_is_an_event_and_a_service),
        cmocka_unit_test(the_first_listed_service_with_something_left_is_used),
        cmocka_unit_test(only_the_contract_in_force_on_the_day_is_used),
        cmocka_unit_test(the_day_of_a_transfer_belongs_to_the_new_contract),
        cmocka_unit_test(one_record_never_uses_one_entitlement_twice),
        cmocka_unit_test(a_changed_mapping_takes_effect),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
