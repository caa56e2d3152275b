/* vocabulary.h - the closed lists of words the API accepts (contract channels, end reasons,
 * professions, member roles, institution kinds, package tiers...), one copy for the
 * validators that check a request against them and for GET /api/v1/enumerations, which
 * hands them to the UI instead of the UI keeping copies of its own (issue 20). Each list is
 * NULL-terminated, in the order a form offers it. */
#ifndef JIAYI_DOMAIN_VOCABULARY_H
#define JIAYI_DOMAIN_VOCABULARY_H

#include <stddef.h>

extern const char *const CONTRACT_CHANNELS[];
extern const char *const CONTRACT_END_REASONS[];
extern const char *const STAFF_PROFESSIONS[];
extern const char *const TEAM_MEMBER_ROLES[];
extern const char *const TEAM_MODELS[];
extern const char *const INSTITUTION_KINDS[];
extern const char *const INSTITUTION_KIND_LEVELS[]; /* the grading each kind usually has */
extern const char *const INSTITUTION_LEVELS[];
extern const char *const PACKAGE_TIERS[];
extern const char *const PACKAGE_TYPES[];
extern const char *const PACKAGE_PAYMENT_TYPES[];
extern const char *const FEE_RULE_KINDS[];
extern const char *const POINTS_ITEM_KINDS[];

/* Every list above by the name GET /api/v1/enumerations gives it. */
struct vocabulary {
    const char *name;
    const char *const *words;
};
extern const struct vocabulary VOCABULARIES[];
extern const size_t VOCABULARY_COUNT;

#endif
