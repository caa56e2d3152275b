/* entitlement_use.h - which entitlement of a contract a recorded service uses up (issue 12:
 * "services consume entitlements by themselves"). A record the system keeps - a follow-up,
 * an exam row, an encounter, a group attendance - is turned into a few service events
 * (below); each event uses up one unit of the first service that a mapping kept in settings
 * (the protocol list `service_entitlements`, items "<event>:<service>", listed order =
 * preference) lists for it and that still has something left on the contract that was in
 * force on the record's date. Manual deliveries stay for what jiayi does not record.
 *
 * The event vocabulary, small on purpose (the one place it is defined):
 *
 *   followup.hypertension  a hypertension follow-up       followup.<program> likewise for
 *   followup.diabetes      a diabetes follow-up           the six programs; the elderly
 *   followup.smd           a severe-mental-disorder one   one is the annual assessment
 *   followup.elderly       the elderly annual assessment
 *   followup.child         a child check (not the newborn visit)
 *   followup.newborn       a child visit in the first 28 days of life (新生儿访视)
 *   followup.maternal      an antenatal visit
 *   followup.postpartum    a maternal visit on or after the delivery (产后访视, the 42-day check)
 *   home_visit             a follow-up or an encounter at the resident's home (in addition)
 *   exam                   an exam row (the annual physical)
 *   exam.ecg               an exam row with an ECG conclusion (in addition)
 *   exam.lab               an exam row with glucose or lipids measured (in addition)
 *   encounter              a visit to the team of the contract in force that day
 *   group_attendance       attending a self-management group activity
 *   booking                a specialist slot booked by the family doctor (issue 15)
 *
 * The names are short because a list item is at most 40 characters, event and service
 * together. Pure: no I/O; the store loads the contracts and writes the deliveries. */
#ifndef JIAYI_DOMAIN_ENTITLEMENT_USE_H
#define JIAYI_DOMAIN_ENTITLEMENT_USE_H

#include <stddef.h>
#include <stdint.h>

#include "util/date.h"

enum service_event {
    EVENT_FOLLOWUP_HYPERTENSION,
    EVENT_FOLLOWUP_DIABETES,
    EVENT_FOLLOWUP_SMD,
    EVENT_FOLLOWUP_ELDERLY,
    EVENT_FOLLOWUP_CHILD,
    EVENT_FOLLOWUP_NEWBORN,
    EVENT_FOLLOWUP_MATERNAL,
    EVENT_FOLLOWUP_POSTPARTUM,
    EVENT_HOME_VISIT,
    EVENT_EXAM,
    EVENT_EXAM_ECG,
    EVENT_EXAM_LAB,
    EVENT_ENCOUNTER,
    EVENT_GROUP_ATTENDANCE,
    EVENT_BOOKING,
    EVENT_COUNT
};
const char *service_event_name(enum service_event e);
/* The event named `name` (the whole string), or -1. */
int service_event_parse(const char *name);

/* The kinds of record that use entitlements up; their names are deliveries.source_kind. */
enum service_source {
    SOURCE_FOLLOWUP,
    SOURCE_EXAM,
    SOURCE_ENCOUNTER,
    SOURCE_GROUP_ATTENDANCE,
    SOURCE_BOOKING /* a specialist slot booking (bookings.id) */
};
const char *service_source_name(enum service_source s);

/* What the rule needs to know about one record. */
struct service_record {
    enum service_source kind;
    struct date date;    /* the visit, exam, encounter or activity day; a booking's day */
    const char *program; /* a follow-up's program (hypertension ... maternal) */
    int at_home;         /* a follow-up in mode home_visit; an encounter at home */
    struct date birth;   /* the resident's: a child visit before day 28 is the newborn visit */
    int has_delivery;    /* a maternal visit on or after `delivery` is postpartum */
    struct date delivery;
    int has_ecg, has_lab; /* an exam row's ECG conclusion; its glucose or lipids */
    int64_t team_id;      /* an encounter's team, 0 when none */
};

/* Newborn visits are those in the first 28 days of life, as newborn_visit_rate counts them
 * (PROTOCOLS.md §11). */
#define NEWBORN_VISIT_DAYS 28
#define SERVICE_MAX_EVENTS 4

/* The events of `record`, in the order their entitlements are chosen, into out; returns how
 * many. `contract_team` is the team of the contract in force on the record's date (0: none),
 * which makes an encounter with that team an `encounter`. */
int service_events(const struct service_record *record, int64_t contract_team,
                   enum service_event out[SERVICE_MAX_EVENTS]);

/* One item of the mapping: the event and the service it may use (borrowed text). */
struct entitlement_rule {
    enum service_event event;
    const char *service;
};
/* 1 when `item` is "<event>:<service>" with a known event and a service (no colon, no
 * space at either end): the item check of the protocol list. */
int entitlement_rule_valid(const char *item);
/* The rules of a list's items into out (max of them), pointing into the items, which must
 * outlive the rules; items that are not valid rules are skipped. Returns the count. */
size_t entitlement_rules_parse(const char *const *items, size_t count, struct entitlement_rule *out,
                               size_t max);
/* 1 when some rule may use `service`: the services a recorded service can use up. */
int entitlement_rules_cover(const struct entitlement_rule *rules, size_t n, const char *service);
/* The default mapping (NULL-terminated), for the protocol list's registry. */
extern const char *const ENTITLEMENT_RULES_DEFAULT[];

/* A resident's contracts and their entitlements, as the rule sees them. */
struct entitlement_contract {
    int64_t id, team_id;
    struct date start, last; /* the term: start to the end date, or the day it ended early */
};
struct entitlement_item {
    int64_t id;
    int contract; /* index into the account's contracts */
    int quantity, used;
    char service[41];
};
#define ACCOUNT_MAX_CONTRACTS 16
#define ACCOUNT_MAX_ITEMS 160
struct entitlement_account {
    struct entitlement_contract contracts[ACCOUNT_MAX_CONTRACTS];
    int n_contracts;
    struct entitlement_item items[ACCOUNT_MAX_ITEMS];
    int n_items;
};

/* The contract in force on `on`: the one whose term holds the day, the latest started when
 * two do (a transfer's day belongs to the new contract); -1 when none. */
int entitlement_contract_on(const struct entitlement_account *a, struct date on);

/* One unit a record uses up: the item (index into the account) and the event that used it. */
struct entitlement_use {
    int item;
    enum service_event event;
};
/* What `record` uses up: for each of its events in turn, the first rule of that event (in
 * the mapping's order) whose service has an item on the contract in force that day with
 * something left and not already used by this record; at most one unit per event, never
 * one item twice. Nothing when no contract was in force or nothing is left. Writes the
 * uses into out and returns their count; the account is not changed (the caller adds each
 * use to the item's `used` once it is written). */
int entitlement_choose(const struct entitlement_account *a, const struct entitlement_rule *rules,
                       size_t n_rules, const struct service_record *record,
                       struct entitlement_use out[SERVICE_MAX_EVENTS]);

#endif
