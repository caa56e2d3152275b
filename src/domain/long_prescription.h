/* long_prescription.h - who may have a long or an extended prescription, and which drugs a
 * prescription may hold (docs/hospital-loop.md "Drugs and prescriptions", issue 15).
 *
 * A long prescription (长处方, 4-8 weeks: long_prescription_min_days..max_days) is for a
 * stable chronic patient: enrolled in the programme, whose latest follow-up of it was
 * controlled, recent (long_prescription_followup_days) and found them taking the medicine
 * as prescribed (服药依从性 规律). An extended prescription (延伸处方) continues a secondary
 * or tertiary hospital's prescription written in the last extended_source_days; only it may
 * hold drugs outside the primary-care list. A drug not stocked at village level is never
 * picked up at a village clinic.
 *
 * Pure: the facts come in, the answer is every reason that refuses (a bit set, empty when
 * allowed), so the UI can show them all at once before the doctor prescribes. */
#ifndef JIAYI_DOMAIN_LONG_PRESCRIPTION_H
#define JIAYI_DOMAIN_LONG_PRESCRIPTION_H

#include "domain/protocol_config.h"
#include "util/date.h"

enum rx_reason {
    RX_NOT_ENROLLED,
    RX_NO_FOLLOWUP,
    RX_FOLLOWUP_TOO_OLD,
    RX_NOT_CONTROLLED,
    RX_NOT_ADHERENT,
    RX_DAYS_OUT_OF_RANGE,
    RX_SOURCE_NOT_HOSPITAL,     /* extended: the source is not a secondary or tertiary hospital */
    RX_SOURCE_TOO_OLD,          /* extended: written more than extended_source_days ago */
    RX_SOURCE_IN_FUTURE,        /* extended: dated after today */
    RX_DRUG_NOT_ON_PRIMARY_LIST,
    RX_DRUG_NOT_AT_VILLAGE,
    RX_REASON_COUNT
};

typedef unsigned rx_reasons;
#define RX_BIT(reason) ((rx_reasons)1u << (reason))

enum rx_kind { RX_ORDINARY, RX_LONG, RX_EXTENDED };

/* What the record says about the patient and the programme, on `today`. */
struct long_rx_facts {
    int enrolled;                 /* an active enrolment in the programme */
    int has_followup;             /* a follow-up of the programme exists */
    struct date followup_date;    /* the latest one's visit date */
    const char *classification;   /* its classification ("controlled", ...), may be NULL */
    const char *adherence;        /* its medication adherence ("regular", ...), may be NULL */
    int has_days;                 /* days is asked about (a prescription, not only the check) */
    int days;                     /* days of supply asked for */
    struct date today;
};

/* Every reason a long prescription is refused; 0 when allowed. */
rx_reasons long_prescription_check(const struct long_rx_facts *f, const struct protocol_config *c);

/* The hospital prescription an extended one continues: the institution's level (institutions
 * .level: tertiary, secondary, primary, village) and its date. Every reason refused; 0 when
 * allowed. */
rx_reasons extended_source_check(const char *level, struct date source_date, struct date today,
                                 const struct protocol_config *c);

/* One drug of a prescription: its catalogue flags, the kind, and whether it is picked up at a
 * village clinic. Every reason refused; 0 when allowed. */
rx_reasons prescription_drug_check(enum rx_kind kind, int primary_care, int village,
                                   int pickup_at_village);

/* The code of a reason ("not_controlled"). */
const char *rx_reason_code(enum rx_reason reason);
/* The kind for a name ("long"), or -1. */
int rx_kind_parse(const char *name);

#endif
