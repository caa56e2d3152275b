/* certificate.h - the chronic-disease outpatient certificate (门诊慢特病证, 慢病证; issue 19):
 * the team screens its patients, notifies them, pre-reviews their papers, and the medical
 * insurance grants the certificate for a term, renewed before it lapses. The steps, who may
 * follow which, and whom a diagnosis makes eligible. Pure. */
#ifndef JIAYI_DOMAIN_CERTIFICATE_H
#define JIAYI_DOMAIN_CERTIFICATE_H

#include "util/date.h"

enum cert_status {
    CERT_SCREENED,
    CERT_NOTIFIED,
    CERT_PRE_REVIEWED,
    CERT_GRANTED,
    CERT_REJECTED,
    CERT_EXPIRED,
    CERT_STATUS_COUNT
};

#define CERT_RENEWAL_DAYS                                                                          \
    30 /* [jiayi] the renewal is on the work list this long before the term ends */
#define CERT_TERM_YEARS 2 /* [jiayi] when the grant names no end: the usual term */

/* The diseases a certificate is for, and the ICD-10 groups that make a resident eligible
 * (the certificate needs the diagnosis on the record): hypertension I10-I15, diabetes E10-E14,
 * coronary heart disease I20-I25, stroke sequelae I69, COPD J44, severe mental disorders F20,
 * F25, F31, chronic kidney disease N18. */
int cert_disease_valid(const char *disease);
int cert_diagnosis_qualifies(const char *disease, const char *icd10);

/* Whether a certificate may go from `from` to `to`: screened -> notified -> pre_reviewed ->
 * granted or rejected; rejected back to pre_reviewed (papers completed); granted -> expired
 * (by the daily pass); granted or expired -> pre_reviewed (the renewal's papers). 1 or 0. */
int cert_transition_allowed(enum cert_status from, enum cert_status to);

/* The term of a grant on `granted` when no end is given. */
struct date cert_default_end(struct date granted);
/* When the renewal task is due: CERT_RENEWAL_DAYS before the end (never before `today`). */
struct date cert_renewal_due(struct date valid_to, struct date today);

const char *cert_status_name(enum cert_status s);
int cert_status_parse(const char *name); /* -1 when unknown */

#endif
