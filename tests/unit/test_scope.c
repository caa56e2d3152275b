/* Unit tests: the role policy for every route in the route table, and data scope
 * decisions on a real SQLite fixture (who sees which resident, region, team). */
#include "test.h"

#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "api/routes.h"
#include "http/request.h"
#include "store/groups.h"
#include "store/registry.h"
#include "store/residents.h"
#include "store/scope.h"
#include "store/users.h"

/* The expected policy, written independently of roles.c: every route must appear here, so
 * a new route without a decided rule fails this test. Roles: A system admin, H health
 * commission, C center admin, L team lead, D doctor, N nurse, P public-health doctor,
 * V village doctor, S assistant, R resident, O hospital referral office, E hospital
 * specialist; "*" = anyone, even not logged in. */
static const struct {
    const char *method, *pattern, *roles;
} EXPECTED[] = {
    {"GET", "/api/v1/health", "*"},
    {"GET", "/metrics", "A"},
    {"POST", "/api/v1/imports", "ACLDNPVS"},
    {"GET", "/api/v1/imports", "ACLDNPVS"},
    {"GET", "/api/v1/imports/{id}", "ACLDNPVS"},
    {"GET", "/fhir/metadata", "*"},
    {"GET", "/fhir/Patient", "ACLDNPVSR"},
    {"POST", "/fhir/Patient", "ACLDNPVS"},
    {"GET", "/fhir/Patient/{id}", "ACLDNPVSR"},
    {"GET", "/fhir/Observation", "ACLDNPVSR"},
    {"GET", "/fhir/Observation/{id}", "ACLDNPVSR"},
    {"GET", "/fhir/Condition", "ACLDNPVSR"},
    {"GET", "/fhir/Condition/{id}", "ACLDNPVSR"},
    {"GET", "/fhir/EpisodeOfCare", "ACLDNPVSR"},
    {"GET", "/fhir/EpisodeOfCare/{id}", "ACLDNPVSR"},
    {"GET", "/fhir/Encounter", "ACLDNPVSR"},
    {"GET", "/fhir/Encounter/{id}", "ACLDNPVSR"},
    {"GET", "/fhir/ServiceRequest", "ACLDNPVSR"},
    {"GET", "/fhir/ServiceRequest/{id}", "ACLDNPVSR"},
    {"GET", "/fhir/MedicationRequest", "ACLDNPVSR"},
    {"GET", "/fhir/MedicationRequest/{id}", "ACLDNPVSR"},
    {"GET", "/fhir/RelatedPerson", "ACLDNPVSR"},
    {"GET", "/fhir/RelatedPerson/{id}", "ACLDNPVSR"},
    {"GET", "/fhir/Consent", "ACLDNPVSR"},
    {"GET", "/fhir/Consent/{id}", "ACLDNPVSR"},
    {"GET", "/fhir/Schedule/{id}", "ACLDNPVSOE"},
    {"GET", "/fhir/Slot", "ACLDNPVSOE"},
    {"GET", "/fhir/Appointment", "ACLDNPVSOE"},
    {"GET", "/fhir/Appointment/{id}", "ACLDNPVSOE"},
    {"POST", "/fhir/Appointment", "LDNPVS"},
    {"POST", "/fhir/Encounter", "LDNPV"},
    {"GET", "/fhir/Questionnaire", "AHCLDNPVSR"},
    {"GET", "/fhir/Questionnaire/{id}", "AHCLDNPVSR"},
    {"GET", "/fhir/QuestionnaireResponse", "ACLDNPVSR"},
    {"GET", "/fhir/QuestionnaireResponse/{id}", "ACLDNPVSR"},
    {"POST", "/fhir/QuestionnaireResponse", "LDNPVSR"},
    {"GET", "/fhir/Organization", "AHCLDNPVS"},
    {"GET", "/fhir/Organization/{id}", "AHCLDNPVS"},
    {"GET", "/fhir/Location", "AHCLDNPVSR"},
    {"GET", "/fhir/Location/{id}", "AHCLDNPVSR"},
    {"GET", "/fhir/Practitioner", "AHCLDNPVS"},
    {"GET", "/fhir/Practitioner/{id}", "AHCLDNPVS"},
    {"GET", "/fhir/PractitionerRole", "AHCLDNPVS"},
    {"GET", "/fhir/PractitionerRole/{id}", "AHCLDNPVS"},
    {"GET", "/fhir/CareTeam", "AHCLDNPVS"},
    {"GET", "/fhir/CareTeam/{id}", "AHCLDNPVS"},
    {"POST", "/api/v1/session", "*"},
    {"GET", "/api/v1/session", "AHCLDNPVSROE"},
    {"DELETE", "/api/v1/session", "AHCLDNPVSROE"},
    {"GET", "/api/v1/regions", "AHCLDNPVSR"},
    {"GET", "/api/v1/regions/{code}", "AHCLDNPVSR"},
    {"GET", "/api/v1/institutions", "AHCLDNPVS"},
    {"GET", "/api/v1/teams", "AHCLDNPVSR"},
    {"GET", "/api/v1/teams/{id}", "AHCLDNPVSR"},
    {"POST", "/api/v1/teams", "AC"},
    {"PATCH", "/api/v1/teams/{id}", "AC"},
    {"POST", "/api/v1/teams/{id}/members", "AC"},
    {"DELETE", "/api/v1/teams/{id}/members/{staff_id}", "AC"},
    {"PUT", "/api/v1/teams/{id}/cells", "AC"},
    {"GET", "/api/v1/staff", "AHCLDNPVS"},
    {"POST", "/api/v1/staff", "AC"},
    /* The county keeps its own grid (api/grid.c): system and centre admins. */
    {"POST", "/api/v1/regions", "AC"},
    {"PATCH", "/api/v1/regions/{code}", "AC"},
    {"POST", "/api/v1/regions/{code}/redraw", "AC"},
    {"POST", "/api/v1/institutions", "AC"},
    {"PATCH", "/api/v1/institutions/{id}", "AC"},
    {"PATCH", "/api/v1/staff/{id}", "AC"},
    {"GET", "/api/v1/residents", "ACLDNPVSR"},
    {"POST", "/api/v1/residents", "ACLDNPVS"},
    {"GET", "/api/v1/residents/{id}", "ACLDNPVSR"},
    {"PATCH", "/api/v1/residents/{id}", "ACLDNPVS"},
    {"PUT", "/api/v1/residents/{id}/record", "LDNPV"},
    {"POST", "/api/v1/residents/{id}/diagnoses", "LDPV"},
    {"GET", "/api/v1/households", "ACLDNPVSR"},
    {"POST", "/api/v1/households", "ACLDNPVS"},
    {"GET", "/api/v1/households/{id}", "ACLDNPVSR"},
    {"PATCH", "/api/v1/households/{id}", "ACLDNPVS"},
    {"POST", "/api/v1/census-visits", "LDNPVS"},
    {"GET", "/api/v1/census-rates", "AHCLDNPVS"},
    {"POST", "/api/v1/flags", "ACLDNPVS"},
    {"GET", "/api/v1/flags", "ACLDNPVS"},
    {"GET", "/api/v1/flags/{id}", "ACLDNPVS"},
    {"POST", "/api/v1/flags/{id}/confirm", "LDPV"},
    {"POST", "/api/v1/flags/{id}/dismiss", "LDPV"},
    {"GET", "/api/v1/worklist", "CLDNPVS"},
    {"POST", "/api/v1/enrolments", "LDPV"},
    {"POST", "/api/v1/enrolments/{id}/end", "LDPV"},
    {"GET", "/api/v1/audit", "AC"},
    {"GET", "/api/v1/reports/fees", "AHCL"},
    {"GET", "/api/v1/fulfilment", "CLDNPVS"},
    {"GET", "/api/v1/packages", "AHCLDNPVSR"},
    {"POST", "/api/v1/fee-split", "AHCLDNPVSR"},
    {"GET", "/api/v1/enumerations", "AHCLDNPVSROE"},
    {"POST", "/api/v1/packages", "AC"},
    {"PUT", "/api/v1/packages/{code}", "AC"},
    {"POST", "/api/v1/contracts", "CLDNPVSR"},
    {"GET", "/api/v1/contracts", "ACLDNPVSR"},
    {"GET", "/api/v1/contracts/{id}", "ACLDNPVSR"},
    {"POST", "/api/v1/protocols/{program}/evaluate", "AHCLDNPVS"},
    {"GET", "/api/v1/protocol-settings", "AHCLDNPVS"},
    {"PUT", "/api/v1/protocol-settings", "A"},
    {"GET", "/api/v1/protocol-lists", "AHCLDNPVS"},
    {"PUT", "/api/v1/protocol-lists/{key}", "A"},
    {"POST", "/api/v1/followups", "LDNPV"},
    {"GET", "/api/v1/followups", "ACLDNPVS"},
    {"DELETE", "/api/v1/followups/{id}", "LDNPV"},
    {"GET", "/api/v1/residents/{id}/followups", "ACLDNPVSR"},
    {"POST", "/api/v1/encounters", "LDNPV"},
    {"DELETE", "/api/v1/encounters/{id}", "LDNPV"},
    {"GET", "/api/v1/residents/{id}/encounters", "ACLDNPVS"},
    {"POST", "/api/v1/referrals", "LDNPVOE"},
    {"GET", "/api/v1/residents/{id}/referrals", "ACLDNPVS"},
    {"POST", "/api/v1/referrals/{id}/seen", "LDNPVOE"},
    {"GET", "/api/v1/referrals", "ACLDNPVSOE"},
    {"GET", "/api/v1/referrals/{id}", "ACLDNPVSOE"},
    {"POST", "/api/v1/referrals/{id}/accept", "LDNPVOE"},
    {"POST", "/api/v1/referrals/{id}/decline", "LDNPVOE"},
    {"POST", "/api/v1/referrals/{id}/return", "LDNPVOE"},
    {"POST", "/api/v1/referrals/{id}/close", "LDNPVOE"},
    {"POST", "/api/v1/referrals/{id}/cancel", "LDNPVOE"},
    {"POST", "/api/v1/referrals/{id}/satisfaction", "LDNPVOE"},
    {"POST", "/api/v1/tasks/{id}/close", "LDPV"},
    {"POST", "/api/v1/tasks/{id}/calls", "LDNPVS"},
    {"GET", "/api/v1/reports/high-risk-pregnancies", "AHCL"},
    {"POST", "/api/v1/satisfaction", "LDNPVSR"},
    {"GET", "/api/v1/drugs", "AHCLDNPVSOE"},
    {"GET", "/api/v1/drugs/versions", "AHCLDNPVSOE"},
    {"POST", "/api/v1/drugs/versions", "AH"},
    {"GET", "/api/v1/residents/{id}/long-prescription-check", "ACLDNPVS"},
    {"POST", "/api/v1/prescriptions", "LDV"},
    {"GET", "/api/v1/residents/{id}/prescriptions", "ACLDNPVS"},
    {"GET", "/api/v1/prescriptions/{id}", "ACLDNPVS"},
    {"POST", "/api/v1/prescriptions/{id}/delivery", "LDNVS"},
    {"GET", "/api/v1/residents/{id}/management", "ACLDNPVSR"},
    {"POST", "/api/v1/exams/import", "CLDP"},
    {"GET", "/api/v1/residents/{id}/exams", "ACLDNPVSR"},
    {"POST", "/api/v1/devices", "LDNPV"},
    {"POST", "/api/v1/devices/{id}/revoke", "LDNPV"},
    {"GET", "/api/v1/residents/{id}/devices", "ACLDNPVS"},
    {"POST", "/api/v1/observations", "*"},
    {"GET", "/api/v1/residents/{id}/observations", "ACLDNPVSR"},
    {"GET", "/api/v1/residents/{id}/schedule/{program}", "ACLDNPVSR"},
    {"POST", "/api/v1/residents/{id}/vaccinations", "LDNPV"},
    {"GET", "/api/v1/residents/{id}/tb-cases", "ACLDNPVSR"},
    {"POST", "/api/v1/tb-cases", "LDPV"},
    {"POST", "/api/v1/tb-cases/evaluate", "AHCLDNPVS"},
    {"GET", "/api/v1/tb-cases/{id}", "ACLDNPVSR"},
    {"POST", "/api/v1/tb-cases/{id}/visits", "LDNPV"},
    {"POST", "/api/v1/copd/evaluate", "AHCLDNPVS"},
    {"POST", "/api/v1/cohort-studies", "AHCL"},
    {"GET", "/api/v1/cohort-studies", "AHCL"},
    {"GET", "/api/v1/cohort-studies/{id}", "AHCL"},
    {"GET", "/api/v1/cohort-studies/{id}/regression", "AHCL"},
    {"GET", "/api/v1/cohort-studies/{id}/members", "AHCL"},
    {"POST", "/api/v1/qca", "AHCL"},
    {"POST", "/api/v1/assessment-rounds", "HC"},
    {"GET", "/api/v1/assessment-rounds", "AHCL"},
    {"GET", "/api/v1/assessment-rounds/{id}", "AHCL"},
    {"POST", "/api/v1/assessment-rounds/{id}/checks/{check_id}", "HC"},
    {"POST", "/api/v1/assessment-rounds/{id}/sign-off", "HC"},
    {"GET", "/api/v1/residents/{id}/copd-visits", "ACLDNPVSR"},
    {"POST", "/api/v1/residents/{id}/copd-visits", "LDNPV"},
    {"GET", "/api/v1/residents/{id}/visit-prompts", "ACLDNPVS"},
    {"POST", "/api/v1/residents/{id}/visit-offers", "LDPV"},
    {"GET", "/api/v1/reports/visit-offers", "AHCL"},
    {"GET", "/api/v1/visit-day", "CLDNPVS"},
    {"GET", "/api/v1/residents/{id}/sickbeds", "ACLDNPVSR"},
    {"POST", "/api/v1/residents/{id}/sickbeds", "LDPV"},
    {"POST", "/api/v1/sickbeds/{id}/rounds", "LDNPV"},
    {"POST", "/api/v1/sickbeds/{id}/discharge", "LDPV"},
    {"GET", "/api/v1/residents/{id}/certificates", "ACLDNPVS"},
    {"POST", "/api/v1/residents/{id}/certificates", "LDPV"},
    {"POST", "/api/v1/certificates/{id}/transition", "LDPV"},
    {"GET", "/api/v1/certificates", "CLDNPVS"},
    {"GET", "/api/v1/residents/{id}/test-results", "ACLDNPVSR"},
    {"POST", "/api/v1/residents/{id}/test-results", "LDNPV"},
    {"GET", "/api/v1/residents/{id}/test-results/check", "ACLDNPVS"},
    {"GET", "/api/v1/recognised-items", "AHCLDNPVS"},
    {"GET", "/api/v1/teams/{id}/allocations", "CLDNPVS"},
    {"POST", "/api/v1/teams/{id}/allocations", "CL"},
    {"GET", "/api/v1/residents/{id}/measurements", "ACLDNPVSR"},
    {"GET", "/api/v1/residents/{id}/health-summary", "ACLDNPVSR"},
    {"GET", "/api/v1/contracts/{id}/agreement.pdf", "ACLDNPVSR"},
    {"POST", "/api/v1/contracts/{id}/terminate", "CLDNPVSR"},
    {"POST", "/api/v1/contracts/{id}/renew", "CLDNPVSR"},
    {"POST", "/api/v1/contracts/{id}/transfer", "CLDNPVSR"},
    {"POST", "/api/v1/contracts/{id}/deliveries", "LDNPVS"},
    {"GET", "/api/v1/residents/{id}/contract", "ACLDNPVSR"},
    {"GET", "/api/v1/indicators", "AHCLDNPV"},
    {"GET", "/api/v1/indicators/breakdown", "AHCLDNPV"},
    {"GET", "/api/v1/indicators/trend", "AHCLDNPV"},
    {"GET", "/api/v1/indicators/patients", "ACLDNPV"},
    {"GET", "/api/v1/indicators/overdue", "ACLDNPV"},
    {"GET", "/api/v1/indicators/cascade", "AHCLDNPV"},
    {"GET", "/api/v1/indicator-targets", "AHCLDNPV"},
    {"PUT", "/api/v1/indicator-targets", "AH"},
    {"GET", "/api/v1/team-scores", "AHCL"},
    {"GET", "/api/v1/team-score-settings", "AHCL"},
    {"PUT", "/api/v1/team-score-settings", "AH"},
    {"GET", "/api/v1/groups", "AHCLDNPVS"},
    {"POST", "/api/v1/groups", "CLDNPV"},
    {"GET", "/api/v1/groups/{id}", "ACLDNPVS"},
    {"POST", "/api/v1/groups/{id}/members", "CLDNPV"},
    {"DELETE", "/api/v1/groups/{id}/members/{resident_id}", "CLDNPV"},
    {"POST", "/api/v1/groups/{id}/activities", "CLDNPV"},
    {"DELETE", "/api/v1/groups/{id}/activities/{activity_id}/attendees/{resident_id}", "CLDNPV"},
    {"GET", "/api/v1/slots", "ACLDNPVSOE"},
    {"GET", "/api/v1/slots/utilisation", "ACLDNPVSOE"},
    {"GET", "/api/v1/bookings", "ACLDNPVSOE"},
    {"POST", "/api/v1/bookings", "LDNPVS"},
    {"POST", "/api/v1/bookings/{id}/cancel", "LDNPVS"},
    {"POST", "/api/v1/bookings/{id}/reschedule", "LDNPVS"},
    {"POST", "/api/v1/bookings/{id}/attendance", "AO"},
    {"GET", "/api/v1/hospitals/{id}/departments", "ACLDNPVSOE"},
    {"POST", "/api/v1/hospitals/{id}/departments", "AO"},
    {"POST", "/api/v1/hospitals/{id}/schedules", "AO"},
    {"GET", "/api/v1/hospitals/{id}/release-rules", "AO"},
    {"PUT", "/api/v1/hospitals/{id}/release-rules", "AO"},
    {"GET", "/api/v1/residents/{id}/points", "ACLDNPVSR"},
    {"GET", "/api/v1/points/catalogue", "AHCLDNPVSR"},
    {"POST", "/api/v1/points/catalogue", "AC"},
    {"POST", "/api/v1/points/redemptions", "LDNPVSR"},
    {"GET", "/api/v1/points/rules", "AHCLDNPVSR"},
    {"PUT", "/api/v1/points/rules", "AH"},
    {"GET", "/api/v1/questionnaires", "AHCLDNPVSR"},
    {"POST", "/api/v1/survey-responses", "LDNPVSR"},
    {"GET", "/api/v1/residents/{id}/surveys", "ACLDNPVSR"},
    {"GET", "/api/v1/teams/{id}/survey-results", "AHCLDNPV"},
    /* Visit requests (issue 16): the resident and the team's staff ask; the team handles. */
    {"POST", "/api/v1/residents/{id}/visit-requests", "LDNPVSR"},
    {"GET", "/api/v1/residents/{id}/visit-requests", "LDNPVSR"},
    {"GET", "/api/v1/teams/{id}/visit-requests", "LDNPVS"},
    {"POST", "/api/v1/visit-requests/{id}/confirm", "LDNPVS"},
    {"POST", "/api/v1/visit-requests/{id}/cancel", "LDNPVSR"},
    {"POST", "/api/v1/visit-requests/{id}/done", "LDNPVS"},
    {"POST", "/api/v1/session/code", "*"},
    {"GET", "/api/v1/outbox", "AC"},
    {"POST", "/api/v1/outbox/receipts", "*"},
    /* The resident in the loop (issue 16): the team's service group and consultations. */
    {"POST", "/api/v1/teams/{id}/content", "LDNPVS"},
    {"GET", "/api/v1/teams/{id}/content", "ACLDNPVSR"},
    {"GET", "/api/v1/residents/{id}/content", "ACLDNPVSR"},
    {"POST", "/api/v1/content/{id}/read", "R"},
    {"GET", "/api/v1/content/{id}/receipts", "LDNPVS"},
    {"POST", "/api/v1/residents/{id}/consultations", "R"},
    {"GET", "/api/v1/residents/{id}/consultations", "ACLDNPVSR"},
    {"GET", "/api/v1/consultations/{id}", "ACLDNPVSR"},
    {"POST", "/api/v1/consultations/{id}/messages", "LDNPVSR"},
    {"POST", "/api/v1/consultations/{id}/close", "LDNPVSR"},
    {"GET", "/api/v1/teams/{id}/consultations", "ACLDNPVSR"},
    {"GET", "/api/v1/reminders/effect", "AHCLDNPV"},
};

static const char ROLE_LETTERS[ROLE_COUNT] = {'-', 'A', 'H', 'C', 'L', 'D', 'N',
                                              'P', 'V', 'S', 'R', 'O', 'E'};

static void every_route_has_the_expected_rule_for_every_role(void **state)
{
    (void)state;
    for (size_t i = 0; i < ROUTE_COUNT; i++) {
        const struct route *route = &ROUTES[i];
        const char *roles = NULL;
        for (size_t j = 0; j < sizeof EXPECTED / sizeof EXPECTED[0]; j++)
            if (!strcmp(EXPECTED[j].method, route->method) &&
                !strcmp(EXPECTED[j].pattern, route->pattern))
                roles = EXPECTED[j].roles;
        if (!roles)
            fail_msg("route %s %s has no rule in test_scope.c EXPECTED", route->method,
                     route->pattern);
        for (int r = 0; r < ROLE_COUNT; r++) {
            int expected = !strcmp(roles, "*") || (r > 0 && strchr(roles, ROLE_LETTERS[r]) != NULL);
            if (role_allows((enum role)r, route->action) != expected)
                fail_msg("%s %s for %s: expected %s", route->method, route->pattern,
                         role_name((enum role)r), expected ? "allow" : "deny");
        }
    }
    assert_int_equal(ROUTE_COUNT, sizeof EXPECTED / sizeof EXPECTED[0]);
}

static void every_action_allows_someone_and_denies_the_anonymous(void **state)
{
    (void)state;
    for (int a = ACT_LOGGED_IN; a < ACT_COUNT; a++) {
        int anyone = 0;
        for (int r = 1; r < ROLE_COUNT; r++)
            anyone |= role_allows((enum role)r, (enum action)a);
        assert_true(anyone);
        assert_false(role_allows(ROLE_NONE, (enum action)a));
    }
    assert_true(role_allows(ROLE_NONE, ACT_PUBLIC));
}

static void id_number_is_shown_only_to_clinical_roles_and_self(void **state)
{
    (void)state;
    assert_true(role_sees_id_number(ROLE_DOCTOR));
    assert_true(role_sees_id_number(ROLE_VILLAGE_DOCTOR));
    assert_true(role_sees_id_number(ROLE_RESIDENT));
    assert_false(role_sees_id_number(ROLE_HEALTH_COMMISSION));
    assert_false(role_sees_id_number(ROLE_CENTER_ADMIN));
    assert_false(role_sees_id_number(ROLE_ASSISTANT));
    assert_false(role_sees_id_number(ROLE_SYSTEM_ADMIN));
}

/* Who sees whom: rows are users, columns residents in enum order
 * (self, proxy, no-proxy, other cell, other town, village-level, township-level). */
static const char *const VISIBLE[U_COUNT] = {
    [U_ADMIN] = "1111111",    [U_COMMISSION] = "1111111", [U_CENTER] = "1111011",
    [U_DOCTOR1] = "1110011",  [U_DOCTOR2] = "0000100",    [U_VILLAGE] = "1111011",
    [U_RESIDENT] = "1100000",
};

static void resident_visibility_follows_region_team_and_household(void **state)
{
    struct fixture *f = *state;
    for (int u = 0; u < U_COUNT; u++)
        for (int r = 0; r < R_COUNT; r++) {
            int expected = VISIBLE[u][r] == '1';
            int got = store_resident_visible(f->db, f->user[u], f->resident[r]);
            if (got != expected)
                fail_msg("user %d resident %d: expected %d, got %d", u, r, expected, got);
        }
    assert_int_equal(store_resident_visible(f->db, f->user[U_ADMIN], 999999), STORE_NOT_FOUND);
}

static void list_queries_see_exactly_what_single_checks_see(void **state)
{
    struct fixture *f = *state;
    for (int u = 0; u < U_COUNT; u++) {
        struct resident_filter filter;
        memset(&filter, 0, sizeof filter);
        filter.user_id = f->user[u];
        int64_t total = -1, next = -1;
        json_t *items = store_resident_search(f->db, &filter, 100, 0, &total, &next);
        assert_non_null(items);
        int expected = 0;
        for (int r = 0; r < R_COUNT; r++)
            expected += VISIBLE[u][r] == '1';
        assert_int_equal(total, expected);
        assert_int_equal(json_array_size(items), (size_t)expected);
        size_t i;
        json_t *item;
        json_array_foreach(items, i, item) {
            int64_t id = json_integer_value(json_object_get(item, "id"));
            assert_int_equal(store_resident_visible(f->db, f->user[u], id), 1);
        }
        json_decref(items);
    }
}

/* 档案开放: a record counts as opened only with the flag set; no record is a closed one. */
static void a_record_is_opened_only_by_its_flag(void **state)
{
    struct fixture *f = *state;
    int64_t self = f->resident[R_SELF], proxy = f->resident[R_PROXY];
    assert_int_equal(store_record_opened(f->db, self), 0); /* no record yet */
    assert_int_equal(store_record_create(f->db, self, "2026-01-05"), 0);
    assert_int_equal(store_record_create(f->db, proxy, "2026-01-05"), 0);
    assert_int_equal(store_record_opened(f->db, self), 0);
    assert_int_equal(store_record_set_open(f->db, self, 1, "2026-02-01"), 0);
    assert_int_equal(store_record_opened(f->db, self), 1);
    assert_int_equal(store_record_opened(f->db, proxy), 0);
    assert_int_equal(store_record_set_open(f->db, self, 0, NULL), 0);
    assert_int_equal(store_record_opened(f->db, self), 0);
    assert_int_equal(store_record_opened(f->db, 999999), 0);
}

/* The record's own routes are the ones a resident is let into only once it is opened: the
 * action scope.c keys the check on. */
static void the_record_routes_are_classified_record_read(void **state)
{
    (void)state;
    static const char *const RECORD[] = {"/api/v1/residents/{id}/followups",
                                         "/api/v1/residents/{id}/management",
                                         "/api/v1/residents/{id}/exams",
                                         "/api/v1/residents/{id}/observations",
                                         "/api/v1/residents/{id}/schedule/{program}",
                                         "/api/v1/residents/{id}/measurements",
                                         "/api/v1/residents/{id}/health-summary",
                                         "/fhir/Observation",
                                         "/fhir/Observation/{id}",
                                         "/fhir/Condition",
                                         "/fhir/Condition/{id}",
                                         "/fhir/EpisodeOfCare",
                                         "/fhir/EpisodeOfCare/{id}",
                                         "/fhir/Encounter",
                                         "/fhir/Encounter/{id}",
                                         "/fhir/ServiceRequest",
                                         "/fhir/ServiceRequest/{id}",
                                         "/fhir/MedicationRequest",
                                         "/fhir/MedicationRequest/{id}",
                                         "/fhir/RelatedPerson",
                                         "/fhir/RelatedPerson/{id}",
                                         "/fhir/Consent",
                                         "/fhir/Consent/{id}",
                                         "/api/v1/residents/{id}/tb-cases",
                                         "/api/v1/tb-cases/{id}",
                                         "/api/v1/residents/{id}/copd-visits",
                                         "/api/v1/residents/{id}/sickbeds",
                                         "/api/v1/residents/{id}/test-results"};
    for (size_t k = 0; k < sizeof RECORD / sizeof RECORD[0]; k++) {
        int found = 0;
        for (size_t i = 0; i < ROUTE_COUNT; i++)
            if (!strcmp(ROUTES[i].method, "GET") && !strcmp(ROUTES[i].pattern, RECORD[k])) {
                assert_int_equal(ROUTES[i].action, ACT_RECORD_READ);
                found = 1;
            }
        if (!found) fail_msg("no route GET %s", RECORD[k]);
    }
    /* And no other route: a write or a staff read keyed on it would let residents in. */
    size_t keyed = 0;
    for (size_t i = 0; i < ROUTE_COUNT; i++)
        keyed += ROUTES[i].action == ACT_RECORD_READ;
    assert_int_equal(keyed, sizeof RECORD / sizeof RECORD[0]);
}

static void region_filters_must_overlap_the_scope(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(store_region_overlaps_scope(f->db, f->user[U_DOCTOR1], "511524"), 1);
    assert_int_equal(store_region_overlaps_scope(f->db, f->user[U_DOCTOR1], "51152410100101"), 1);
    assert_int_equal(store_region_overlaps_scope(f->db, f->user[U_DOCTOR1], "511524102"), 0);
    assert_int_equal(store_region_overlaps_scope(f->db, f->user[U_CENTER], "511524102001"), 0);
    assert_int_equal(store_region_overlaps_scope(f->db, f->user[U_CENTER], "511524101002"), 1);
    assert_int_equal(store_region_overlaps_scope(f->db, f->user[U_ADMIN], "999999"),
                     STORE_NOT_FOUND);
    assert_int_equal(store_region_inside_scope(f->db, f->user[U_DOCTOR1], "511524"), 0);
    assert_int_equal(store_region_inside_scope(f->db, f->user[U_DOCTOR1], "51152410100101"), 1);
    /* An exact grant (the team's village) opens the people registered at that code, not
     * the village as an area: an aggregate or a write over it is refused (issue 13). */
    assert_int_equal(store_region_inside_scope(f->db, f->user[U_DOCTOR1], "511524101001"), 0);
    assert_int_equal(store_region_granted(f->db, f->user[U_DOCTOR1], "511524101001"), 1);
    assert_int_equal(store_region_granted(f->db, f->user[U_DOCTOR1], "511524101"), 1);
    assert_int_equal(store_region_granted(f->db, f->user[U_DOCTOR1], "511524"), 0);
    assert_int_equal(store_region_inside_scope(f->db, f->user[U_DOCTOR1], "51152410100102"), 0);
    assert_int_equal(store_region_inside_scope(f->db, f->user[U_CENTER], "511524101002"), 1);
}

static void teams_are_visible_to_members_and_region_managers(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(store_team_visible(f->db, f->user[U_DOCTOR1], f->team1), 1);
    assert_int_equal(store_team_visible(f->db, f->user[U_DOCTOR1], f->team2), 0);
    assert_int_equal(store_team_visible(f->db, f->user[U_CENTER], f->team1), 1);
    assert_int_equal(store_team_visible(f->db, f->user[U_CENTER], f->team2), 0);
    assert_int_equal(store_team_visible(f->db, f->user[U_ADMIN], f->team2), 1);
    assert_int_equal(store_team_visible(f->db, f->user[U_ADMIN], 12345), STORE_NOT_FOUND);
}

/* Self-management groups: seen where they meet (a cell, another village, the township) and
 * by the team that runs them; the list shows exactly what the single check allows. */
static void groups_are_visible_where_they_meet_and_to_their_team(void **state)
{
    struct fixture *f = *state;
    const struct group_input groups[] = {
        {.name = "网格组",
         .focus = "hypertension",
         .region = "51152410100101",
         .county_code = "511524"},
        {.name = "村二组", .focus = "diabetes", .region = "511524101002", .county_code = "511524"},
        {.name = "团队二在镇一",
         .focus = "mixed",
         .region = "511524101",
         .county_code = "511524",
         .team_id = f->team2},
    };
    /* Rows: users in enum order; columns: the groups above. */
    static const char *const SEES[U_COUNT] = {
        [U_ADMIN] = "111",   [U_COMMISSION] = "111", [U_CENTER] = "111",   [U_DOCTOR1] = "101",
        [U_DOCTOR2] = "001", [U_VILLAGE] = "101",    [U_RESIDENT] = "000",
    };
    int64_t id[3];
    for (int g = 0; g < 3; g++)
        assert_true((id[g] = store_group_insert(f->db, &groups[g])) > 0);
    for (int u = 0; u < U_COUNT; u++) {
        int expected = 0;
        for (int g = 0; g < 3; g++) {
            int got = store_group_visible(f->db, f->user[u], id[g]);
            if (got != (SEES[u][g] == '1')) fail_msg("user %d group %d: got %d", u, g, got);
            expected += SEES[u][g] == '1';
        }
        int64_t total = -1, next = -1;
        json_t *items = store_groups_list(f->db, f->user[u], NULL, 0, 50, 0, &total, &next);
        assert_non_null(items);
        assert_int_equal(total, expected);
        assert_int_equal(json_array_size(items), (size_t)expected);
        json_decref(items);
    }
    assert_int_equal(store_group_visible(f->db, f->user[U_ADMIN], 999999), STORE_NOT_FOUND);
}

static int setup(void **state)
{
    static struct fixture f;
    fixture_open(&f);
    *state = &f;
    return 0;
}

/* Area users (issue 17): a health commission whose region is a city or a province as GB/T
 * 2260 writes it (511500, 510000) covers every place whose code starts with the area's
 * prefix (5115, 51), and nothing beside it; a county's commission does not cover its city. */
static void a_city_or_province_region_covers_its_places(void **state)
{
    struct fixture *f = *state;
    static const char *const AREAS[][4] = {{"510000", "四川省", "province", NULL},
                                           {"511500", "宜宾市", "city", "510000"},
                                           {"511100", "乐山市", "city", "510000"},
                                           {"500000", "重庆市", "province", NULL}};
    for (size_t i = 0; i < sizeof AREAS / sizeof AREAS[0]; i++)
        assert_int_equal(
            store_region_insert(f->db, AREAS[i][0], AREAS[i][1], AREAS[i][2], AREAS[i][3]), 0);
    int64_t city = store_user_insert(f->db, "yibin", "not-a-hash", ROLE_HEALTH_COMMISSION, "宜宾市",
                                     "511500", 0);
    int64_t province = store_user_insert(f->db, "sichuan", "not-a-hash", ROLE_HEALTH_COMMISSION,
                                         "四川省", "510000", 0);
    assert_true(city > 0 && province > 0);
    int64_t county = f->user[U_COMMISSION];
    for (int64_t u = city; u <= province; u++) {
        assert_int_equal(store_region_inside_scope(f->db, u, "511500"), 1);
        assert_int_equal(store_region_inside_scope(f->db, u, "511524"), 1);
        assert_int_equal(store_region_inside_scope(f->db, u, "51152410100101"), 1);
        assert_int_equal(store_region_granted(f->db, u, "511524101"), 1);
        assert_int_equal(store_region_inside_scope(f->db, u, "500000"), 0);
        assert_int_equal(store_region_overlaps_scope(f->db, u, "500000"), 0);
        for (int r = 0; r < R_COUNT; r++)
            assert_int_equal(store_resident_visible(f->db, u, f->resident[r]), 1);
        assert_int_equal(store_team_visible(f->db, u, f->team1), 1);
    }
    /* The city: not its province nor the city beside it; the province it lies in overlaps. */
    assert_int_equal(store_region_inside_scope(f->db, city, "510000"), 0);
    assert_int_equal(store_region_overlaps_scope(f->db, city, "510000"), 1);
    assert_int_equal(store_region_inside_scope(f->db, city, "511100"), 0);
    assert_int_equal(store_region_overlaps_scope(f->db, city, "511100"), 0);
    assert_int_equal(store_region_inside_scope(f->db, province, "510000"), 1);
    assert_int_equal(store_region_inside_scope(f->db, province, "511100"), 1);
    /* A county's commission reaches up to nothing. */
    assert_int_equal(store_region_inside_scope(f->db, county, "511500"), 0);
    assert_int_equal(store_region_inside_scope(f->db, county, "510000"), 0);
    assert_int_equal(store_region_overlaps_scope(f->db, county, "511500"), 1);
    /* The grants as the list queries and the bulk checks load them: the prefixes. */
    char codes[4][16];
    int subtree[4];
    assert_int_equal(store_scope_entries(f->db, city, codes, subtree, 4), 1);
    assert_string_equal(codes[0], "5115");
    assert_int_equal(subtree[0], 1);
    assert_int_equal(store_scope_entries(f->db, province, codes, subtree, 4), 1);
    assert_string_equal(codes[0], "51");
}

static int teardown(void **state)
{
    fixture_close(*state);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_route_has_the_expected_rule_for_every_role),
        cmocka_unit_test(every_action_allows_someone_and_denies_the_anonymous),
        cmocka_unit_test(id_number_is_shown_only_to_clinical_roles_and_self),
        cmocka_unit_test(resident_visibility_follows_region_team_and_household),
        cmocka_unit_test(list_queries_see_exactly_what_single_checks_see),
        cmocka_unit_test(a_record_is_opened_only_by_its_flag),
        cmocka_unit_test(the_record_routes_are_classified_record_read),
        cmocka_unit_test(region_filters_must_overlap_the_scope),
        cmocka_unit_test(teams_are_visible_to_members_and_region_managers),
        cmocka_unit_test(groups_are_visible_where_they_meet_and_to_their_team),
        cmocka_unit_test(a_city_or_province_region_covers_its_places),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
