/* entitlement_use.c - see entitlement_use.h. */
#include "domain/entitlement_use.h"

#include <string.h>

static const char *const EVENT_NAMES[EVENT_COUNT] = {
    [EVENT_FOLLOWUP_HYPERTENSION] = "followup.hypertension",
    [EVENT_FOLLOWUP_DIABETES] = "followup.diabetes",
    [EVENT_FOLLOWUP_SMD] = "followup.smd",
    [EVENT_FOLLOWUP_ELDERLY] = "followup.elderly",
    [EVENT_FOLLOWUP_CHILD] = "followup.child",
    [EVENT_FOLLOWUP_NEWBORN] = "followup.newborn",
    [EVENT_FOLLOWUP_MATERNAL] = "followup.maternal",
    [EVENT_FOLLOWUP_POSTPARTUM] = "followup.postpartum",
    [EVENT_HOME_VISIT] = "home_visit",
    [EVENT_EXAM] = "exam",
    [EVENT_EXAM_ECG] = "exam.ecg",
    [EVENT_EXAM_LAB] = "exam.lab",
    [EVENT_ENCOUNTER] = "encounter",
    [EVENT_GROUP_ATTENDANCE] = "group_attendance",
    [EVENT_BOOKING] = "booking",
};

/* The demo catalogue's services (demo/catalogue.c) under the events that deliver them. A
 * hypertension follow-up is the package's follow-up, else one of the basic package's blood
 * pressure measurements; a visit to one's own team measures blood pressure too (首诊测压). */
const char *const ENTITLEMENT_RULES_DEFAULT[] = {
    "followup.hypertension:bp_followup",
    "followup.hypertension:bp_measurement",
    "followup.diabetes:glucose_followup",
    "followup.diabetes:bp_glucose_monitoring",
    "followup.elderly:health_assessment",
    "followup.child:child_growth",
    "followup.newborn:newborn_visit",
    "followup.newborn:child_growth",
    "followup.maternal:antenatal_guidance",
    "followup.postpartum:postpartum_visit",
    "home_visit:home_visit",
    "exam:physical_exam",
    "exam:health_assessment",
    "exam.ecg:ecg",
    "exam.lab:lab_glucose_lipids",
    "encounter:bp_measurement",
    "encounter:bp_glucose_monitoring",
    "group_attendance:health_education",
    "booking:priority_booking",
    NULL,
};

const char *service_event_name(enum service_event e)
{
    return e >= 0 && e < EVENT_COUNT ? EVENT_NAMES[e] : "";
}

int service_event_parse(const char *name)
{
    for (int e = 0; name && e < EVENT_COUNT; e++)
        if (strcmp(EVENT_NAMES[e], name) == 0) return e;
    return -1;
}

const char *service_source_name(enum service_source s)
{
    static const char *const NAMES[] = {"followup", "exam", "encounter", "group_attendance",
                                        "booking"};
    return s >= SOURCE_FOLLOWUP && s <= SOURCE_BOOKING ? NAMES[s] : "";
}

/* The program's own event; NULL program or an unknown one: -1. */
static int followup_event(const struct service_record *r)
{
    static const struct {
        const char *program;
        enum service_event event;
    } PROGRAMS[] = {{"hypertension", EVENT_FOLLOWUP_HYPERTENSION},
                    {"diabetes", EVENT_FOLLOWUP_DIABETES},
                    {"smd", EVENT_FOLLOWUP_SMD},
                    {"elderly", EVENT_FOLLOWUP_ELDERLY},
                    {"child", EVENT_FOLLOWUP_CHILD},
                    {"maternal", EVENT_FOLLOWUP_MATERNAL}};
    for (size_t i = 0; r->program && i < sizeof PROGRAMS / sizeof PROGRAMS[0]; i++) {
        if (strcmp(PROGRAMS[i].program, r->program) != 0) continue;
        enum service_event e = PROGRAMS[i].event;
        if (e == EVENT_FOLLOWUP_CHILD && date_diff_days(r->date, r->birth) < NEWBORN_VISIT_DAYS)
            return EVENT_FOLLOWUP_NEWBORN;
        if (e == EVENT_FOLLOWUP_MATERNAL && r->has_delivery &&
            date_compare(r->date, r->delivery) >= 0)
            return EVENT_FOLLOWUP_POSTPARTUM;
        return (int)e;
    }
    return -1;
}

int service_events(const struct service_record *record, int64_t contract_team,
                   enum service_event out[SERVICE_MAX_EVENTS])
{
    int n = 0, e;
    switch (record->kind) {
    case SOURCE_FOLLOWUP:
        if ((e = followup_event(record)) >= 0) out[n++] = (enum service_event)e;
        if (record->at_home) out[n++] = EVENT_HOME_VISIT;
        break;
    case SOURCE_EXAM:
        out[n++] = EVENT_EXAM;
        if (record->has_ecg) out[n++] = EVENT_EXAM_ECG;
        if (record->has_lab) out[n++] = EVENT_EXAM_LAB;
        break;
    case SOURCE_ENCOUNTER:
        /* A visit elsewhere (a hospital, another team) is not the contract's service. */
        if (contract_team && record->team_id == contract_team) out[n++] = EVENT_ENCOUNTER;
        if (record->at_home) out[n++] = EVENT_HOME_VISIT;
        break;
    case SOURCE_GROUP_ATTENDANCE:
        out[n++] = EVENT_GROUP_ATTENDANCE;
        break;
    case SOURCE_BOOKING:
        /* Booked for a signed resident by their team (the API refuses anyone else). */
        out[n++] = EVENT_BOOKING;
        break;
    }
    return n;
}

int entitlement_rule_valid(const char *item)
{
    const char *colon = item ? strchr(item, ':') : NULL;
    if (!colon || colon == item) return 0;
    char event[41];
    size_t len = (size_t)(colon - item);
    if (len >= sizeof event) return 0;
    memcpy(event, item, len);
    event[len] = '\0';
    const char *service = colon + 1;
    size_t service_len = strlen(service);
    return service_event_parse(event) >= 0 && service_len > 0 && !strchr(service, ':') &&
           service[0] != ' ' && service[service_len - 1] != ' ';
}

size_t entitlement_rules_parse(const char *const *items, size_t count, struct entitlement_rule *out,
                               size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < count && n < max; i++) {
        if (!entitlement_rule_valid(items[i])) continue;
        const char *colon = strchr(items[i], ':');
        char event[41];
        size_t len = (size_t)(colon - items[i]);
        memcpy(event, items[i], len);
        event[len] = '\0';
        out[n].event = (enum service_event)service_event_parse(event);
        out[n].service = colon + 1;
        n++;
    }
    return n;
}

int entitlement_rules_cover(const struct entitlement_rule *rules, size_t n, const char *service)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rules[i].service, service) == 0) return 1;
    return 0;
}

int entitlement_contract_on(const struct entitlement_account *a, struct date on)
{
    int found = -1;
    for (int i = 0; i < a->n_contracts; i++) {
        const struct entitlement_contract *c = &a->contracts[i];
        if (date_compare(on, c->start) < 0 || date_compare(on, c->last) > 0) continue;
        if (found < 0 || date_compare(c->start, a->contracts[found].start) > 0 ||
            (date_compare(c->start, a->contracts[found].start) == 0 &&
             c->id > a->contracts[found].id))
            found = i;
    }
    return found;
}

/* The first item of `contract` for `service` with something left and not in taken[0..n). */
static int item_left(const struct entitlement_account *a, int contract, const char *service,
                     const struct entitlement_use *taken, int n)
{
    for (int i = 0; i < a->n_items; i++) {
        const struct entitlement_item *it = &a->items[i];
        if (it->contract != contract || it->used >= it->quantity ||
            strcmp(it->service, service) != 0)
            continue;
        int again = 0;
        for (int k = 0; k < n; k++)
            again |= taken[k].item == i;
        if (!again) return i;
    }
    return -1;
}

int entitlement_choose(const struct entitlement_account *a, const struct entitlement_rule *rules,
                       size_t n_rules, const struct service_record *record,
                       struct entitlement_use out[SERVICE_MAX_EVENTS])
{
    int contract = entitlement_contract_on(a, record->date);
    if (contract < 0) return 0;
    enum service_event events[SERVICE_MAX_EVENTS];
    int n_events = service_events(record, a->contracts[contract].team_id, events), n = 0;
    for (int e = 0; e < n_events; e++) {
        for (size_t k = 0; k < n_rules; k++) {
            if (rules[k].event != events[e]) continue;
            int item = item_left(a, contract, rules[k].service, out, n);
            if (item < 0) continue;
            out[n++] = (struct entitlement_use){item, events[e]};
            break;
        }
    }
    return n;
}
