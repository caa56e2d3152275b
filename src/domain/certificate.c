/* certificate.c - see certificate.h. */
#include "domain/certificate.h"

#include <string.h>

static const struct {
    const char *disease;
    const char *prefixes[6];
} DISEASES[] = {
    {"hypertension", {"I10", "I11", "I12", "I13", "I15", NULL}},
    {"diabetes", {"E10", "E11", "E12", "E13", "E14", NULL}},
    {"coronary", {"I20", "I21", "I22", "I23", "I24", "I25"}},
    {"stroke", {"I69", NULL}},
    {"copd", {"J44", NULL}},
    {"smd", {"F20", "F25", "F31", NULL}},
    {"ckd", {"N18", NULL}},
};
#define N_DISEASES (sizeof DISEASES / sizeof DISEASES[0])

int cert_disease_valid(const char *disease)
{
    for (size_t i = 0; disease && i < N_DISEASES; i++)
        if (!strcmp(DISEASES[i].disease, disease)) return 1;
    return 0;
}

int cert_diagnosis_qualifies(const char *disease, const char *code)
{
    if (!code || strlen(code) < 3 || (code[3] != '\0' && code[3] != '.')) return 0;
    for (size_t i = 0; disease && i < N_DISEASES; i++) {
        if (strcmp(DISEASES[i].disease, disease) != 0) continue;
        for (int k = 0; k < 6 && DISEASES[i].prefixes[k]; k++)
            if (!strncmp(code, DISEASES[i].prefixes[k], 3)) return 1;
    }
    return 0;
}

int cert_transition_allowed(enum cert_status from, enum cert_status to)
{
    switch (to) {
    case CERT_NOTIFIED:
        return from == CERT_SCREENED;
    case CERT_PRE_REVIEWED:
        return from == CERT_NOTIFIED || from == CERT_REJECTED || from == CERT_GRANTED ||
               from == CERT_EXPIRED;
    case CERT_GRANTED:
    case CERT_REJECTED:
        return from == CERT_PRE_REVIEWED;
    case CERT_EXPIRED:
        return from == CERT_GRANTED;
    default:
        return 0;
    }
}

struct date cert_default_end(struct date granted)
{
    return date_add_days(date_add_years(granted, CERT_TERM_YEARS), -1);
}

struct date cert_renewal_due(struct date valid_to, struct date today)
{
    struct date due = date_add_days(valid_to, -CERT_RENEWAL_DAYS);
    return date_compare(due, today) < 0 ? today : due;
}

static const char *const NAMES[CERT_STATUS_COUNT] = {"screened", "notified", "pre_reviewed",
                                                     "granted",  "rejected", "expired"};

const char *cert_status_name(enum cert_status s)
{
    return s >= 0 && s < CERT_STATUS_COUNT ? NAMES[s] : "?";
}

int cert_status_parse(const char *name)
{
    for (int s = 0; name && s < CERT_STATUS_COUNT; s++)
        if (!strcmp(NAMES[s], name)) return s;
    return -1;
}
