/* vocabulary.c - see vocabulary.h. */
#include "domain/vocabulary.h"

const char *const CONTRACT_CHANNELS[] = {"clinic", "centralised", "home_visit", "online", NULL};
const char *const CONTRACT_END_REASONS[] = {"resident_request", "moved_away", "deceased",
                                            "doctor_departure", "other",      NULL};
const char *const STAFF_PROFESSIONS[] = {
    "gp",         "specialist", "nurse", "public_health", "village_doctor", "health_manager",
    "pharmacist", "assistant",  NULL};
const char *const TEAM_MEMBER_ROLES[] = {
    "lead",           "gp",        "specialist", "nurse", "public_health", "village_doctor",
    "health_manager", "assistant", NULL};
const char *const TEAM_MODELS[] = {"1+1+X",    "1+4+N", "three_masters", "basic", "standard",
                                   "enhanced", NULL};
const char *const INSTITUTION_KINDS[] = {"township_center",
                                         "community_center",
                                         "station",
                                         "village_clinic",
                                         "health_hut",
                                         "county_hospital",
                                         "tcm_hospital",
                                         "district_hospital",
                                         "municipal_hospital",
                                         "cdc",
                                         "maternal_child_hospital",
                                         "private_hospital",
                                         NULL};
const char *const INSTITUTION_KIND_LEVELS[] = {"primary",  "primary",   "village",   "village",
                                               "village",  "secondary", "secondary", "secondary",
                                               "tertiary", "secondary", "secondary", "primary"};
const char *const INSTITUTION_LEVELS[] = {"tertiary", "secondary", "primary", "village", NULL};
const char *const PACKAGE_TIERS[] = {"basic", "primary", "intermediate", "advanced", NULL};
const char *const PACKAGE_TYPES[] = {"general",        "hypertension", "diabetes", "elderly",
                                     "maternal_child", "disabled",     "copd",     "cancer",
                                     "mental_health",  "tcm",          NULL};
const char *const PACKAGE_PAYMENT_TYPES[] = {"government", "fixed_price", "negotiated", NULL};
const char *const FEE_RULE_KINDS[] = {"percent", "fixed", NULL};
const char *const POINTS_ITEM_KINDS[] = {"exam_package", "tcm_therapy", "service", "goods", NULL};

const struct vocabulary VOCABULARIES[] = {
    {"contract_channels", CONTRACT_CHANNELS},
    {"contract_end_reasons", CONTRACT_END_REASONS},
    {"staff_professions", STAFF_PROFESSIONS},
    {"team_member_roles", TEAM_MEMBER_ROLES},
    {"team_models", TEAM_MODELS},
    {"institution_kinds", INSTITUTION_KINDS},
    {"institution_levels", INSTITUTION_LEVELS},
    {"package_tiers", PACKAGE_TIERS},
    {"package_types", PACKAGE_TYPES},
    {"package_payment_types", PACKAGE_PAYMENT_TYPES},
    {"fee_rule_kinds", FEE_RULE_KINDS},
    {"points_item_kinds", POINTS_ITEM_KINDS},
};
const size_t VOCABULARY_COUNT = sizeof VOCABULARIES / sizeof VOCABULARIES[0];

_Static_assert(sizeof INSTITUTION_KIND_LEVELS / sizeof INSTITUTION_KIND_LEVELS[0] ==
                   sizeof INSTITUTION_KINDS / sizeof INSTITUTION_KINDS[0] - 1,
               "every institution kind has its usual level");
