/* routes.c - the route table: method, path, the action the role policy checks (auth/roles.c),
 * handler. tests/unit/test_scope.c walks this table for every role. docs/openapi.yaml
 * describes each route. */
#include "api/handlers.h"

const struct route ROUTES[] = {
    {"GET", "/api/v1/health", ACT_PUBLIC, handle_health},
    {"POST", "/api/v1/session", ACT_PUBLIC, handle_session_create},
    {"GET", "/api/v1/session", ACT_LOGGED_IN, handle_session_get},
    {"DELETE", "/api/v1/session", ACT_LOGGED_IN, handle_session_delete},
    {"GET", "/api/v1/regions", ACT_REGION_READ, handle_regions_list},
    {"GET", "/api/v1/regions/{code}", ACT_REGION_READ, handle_region_get},
    {"GET", "/api/v1/institutions", ACT_INSTITUTION_READ, handle_institutions_list},
    {"GET", "/api/v1/teams", ACT_TEAM_READ, handle_teams_list},
    {"GET", "/api/v1/teams/{id}", ACT_TEAM_READ, handle_team_get},
    {"GET", "/api/v1/residents", ACT_RESIDENT_READ, handle_residents_list},
    {"POST", "/api/v1/residents", ACT_RESIDENT_WRITE, handle_resident_create},
    {"GET", "/api/v1/residents/{id}", ACT_RESIDENT_READ, handle_resident_get},
    {"PATCH", "/api/v1/residents/{id}", ACT_RESIDENT_WRITE, handle_resident_update},
    {"PUT", "/api/v1/residents/{id}/record", ACT_RECORD_WRITE, handle_record_update},
    {"POST", "/api/v1/residents/{id}/diagnoses", ACT_CLINICAL_WRITE, handle_diagnosis_create},
    {"GET", "/api/v1/households", ACT_RESIDENT_READ, handle_households_list},
    {"POST", "/api/v1/households", ACT_RESIDENT_WRITE, handle_household_create},
    {"GET", "/api/v1/households/{id}", ACT_RESIDENT_READ, handle_household_get},
    {"PATCH", "/api/v1/households/{id}", ACT_RESIDENT_WRITE, handle_household_update},
    {"POST", "/api/v1/census-visits", ACT_CENSUS_WRITE, handle_census_create},
    {"GET", "/api/v1/census-rates", ACT_CENSUS_READ, handle_census_rates},
    {"POST", "/api/v1/flags", ACT_FLAG_CREATE, handle_flag_create},
    {"GET", "/api/v1/flags", ACT_FLAG_READ, handle_flags_list},
    {"GET", "/api/v1/flags/{id}", ACT_FLAG_READ, handle_flag_get},
    {"POST", "/api/v1/flags/{id}/confirm", ACT_FLAG_DECIDE, handle_flag_confirm},
    {"POST", "/api/v1/flags/{id}/dismiss", ACT_FLAG_DECIDE, handle_flag_dismiss},
    {"GET", "/api/v1/worklist", ACT_WORKLIST_READ, handle_worklist},
    {"POST", "/api/v1/enrolments", ACT_CLINICAL_WRITE, handle_enrolment_create},
    {"GET", "/api/v1/audit", ACT_AUDIT_READ, handle_audit_list},
};

const size_t ROUTE_COUNT = sizeof ROUTES / sizeof ROUTES[0];
