/* entitlement_use.c (store) - see entitlement_use.h. */
#include "store/entitlement_use.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/protocol_lists.h"
#include "util/log.h"

int store_entitlement_rules_load(struct db *db, struct entitlement_rules *out)
{
    memset(out, 0, sizeof *out);
    const struct protocol_list *list = protocol_list_find("service_entitlements");
    if (!list || store_protocol_list_load(db, list, &out->list) < 0) return -1;
    out->rules = malloc((out->list.count ? out->list.count : 1) * sizeof *out->rules);
    if (!out->rules) {
        log_error("entitlement rules: out of memory");
        return -1;
    }
    out->count =
        entitlement_rules_parse(out->list.items, out->list.count, out->rules, out->list.count);
    return 0;
}

void store_entitlement_rules_free(struct entitlement_rules *rules)
{
    free((void *)rules->list.items);
    free(rules->rules);
    memset(rules, 0, sizeof *rules);
}

static struct date date_column(struct db_stmt *st, int col)
{
    struct date d = {0, 0, 0};
    const char *text = db_column_text(st, col);
    if (text) date_parse(text, &d);
    return d;
}

int store_entitlement_account_load(struct db *db, int64_t resident_id, const char *on,
                                   struct entitlement_account *a)
{
    /* ?2 NULL: every contract. Newest first, so that a cut keeps the ones in force; each
     * contract's entitlements in id order (the order the rule prefers them in). */
    static const char SQL[] =
        "SELECT c.id, c.team_id, c.start_date, coalesce(c.ended_on, c.end_date), e.id, e.service,"
        " e.quantity, e.used FROM contracts c LEFT JOIN entitlements e ON e.contract_id = c.id"
        " WHERE c.resident_id = ?1"
        " AND (?2 IS NULL OR (c.start_date <= ?2 AND coalesce(c.ended_on, c.end_date) >= ?2))"
        " ORDER BY c.start_date DESC, c.id DESC, e.id";
    a->n_contracts = a->n_items = 0;
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, on);
    int rc, cut = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t contract = db_column_int(st, 0);
        if (!a->n_contracts || a->contracts[a->n_contracts - 1].id != contract) {
            if (a->n_contracts == ACCOUNT_MAX_CONTRACTS) break; /* older ones are out of reach */
            struct entitlement_contract *c = &a->contracts[a->n_contracts++];
            c->id = contract;
            c->team_id = db_column_int(st, 1);
            c->start = date_column(st, 2);
            c->last = date_column(st, 3);
        }
        if (db_column_is_null(st, 4)) continue; /* a contract without entitlements */
        if (a->n_items == ACCOUNT_MAX_ITEMS) {
            cut = 1;
            continue;
        }
        struct entitlement_item *it = &a->items[a->n_items++];
        it->id = db_column_int(st, 4);
        it->contract = a->n_contracts - 1;
        snprintf(it->service, sizeof it->service, "%s", db_column_text(st, 5));
        it->quantity = (int)db_column_int(st, 6);
        it->used = (int)db_column_int(st, 7);
    }
    if (rc == DB_ROW) db_release(db); /* stopped early */
    if (cut)
        log_error("resident %lld: more than %d entitlements, the rest are not used up",
                  (long long)resident_id, ACCOUNT_MAX_ITEMS);
    return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

int store_entitlement_apply(struct db *db, struct entitlement_account *a,
                            const struct entitlement_rules *rules, int64_t source_id,
                            int64_t staff_id, const struct service_record *record, json_t *used_out)
{
    /* `used` rises only while something is left; the unique index (source, entitlement)
     * makes a second use by the same record a no-op, and then the rise is taken back. */
    static const char USE[] =
        "UPDATE entitlements SET used = used + 1 WHERE id = ?1 AND used < quantity";
    static const char DELIVER[] =
        "INSERT INTO deliveries (entitlement_id, contract_id, delivered_on, staff_id, quantity,"
        " source_kind, source_id) VALUES (?1, ?2, ?3, nullif(?4, 0), 1, ?5, ?6)"
        " ON CONFLICT DO NOTHING";
    static const char UNUSE[] = "UPDATE entitlements SET used = used - 1 WHERE id = ?1";
    struct entitlement_use uses[SERVICE_MAX_EVENTS];
    int n = entitlement_choose(a, rules->rules, rules->count, record, uses), written = 0;
    char day[11];
    date_format(record->date, day);
    for (int k = 0; k < n; k++) {
        struct entitlement_item *it = &a->items[uses[k].item];
        int64_t contract = a->contracts[it->contract].id;
        struct db_stmt *st = db_prepare(db, USE);
        if (!st) return -1;
        db_bind_int(st, 1, it->id);
        if (db_run(st) != DB_DONE) return -1;
        if (db_changes(db) != 1) continue; /* used up meanwhile */
        if (!(st = db_prepare(db, DELIVER))) return -1;
        db_bind_int(st, 1, it->id);
        db_bind_int(st, 2, contract);
        db_bind_text(st, 3, day);
        db_bind_int(st, 4, staff_id);
        db_bind_text(st, 5, service_source_name(record->kind));
        db_bind_int(st, 6, source_id);
        if (db_run(st) != DB_DONE) return -1;
        if (db_changes(db) != 1) { /* already this record's */
            if (!(st = db_prepare(db, UNUSE))) return -1;
            db_bind_int(st, 1, it->id);
            if (db_run(st) != DB_DONE) return -1;
            continue;
        }
        it->used++;
        written++;
        if (used_out)
            json_array_append_new(used_out, json_pack("{s:I, s:I, s:s, s:s}", "contract_id",
                                                      (json_int_t)contract, "entitlement_id",
                                                      (json_int_t)it->id, "service", it->service,
                                                      "event", service_event_name(uses[k].event)));
    }
    return written;
}

int store_entitlement_use(struct db *db, const struct entitlement_rules *rules, int64_t resident_id,
                          int64_t source_id, int64_t staff_id, const struct service_record *record,
                          json_t *used_out)
{
    /* A record that used something already has had its turn (a group activity is the
     * source of each attendee's use, hence the resident). */
    static const char USED[] =
        "SELECT count(*) FROM deliveries d WHERE d.source_kind = ?1 AND d.source_id = ?2"
        " AND d.contract_id IN (SELECT id FROM contracts WHERE resident_id = ?3)";
    struct db_stmt *st = db_prepare(db, USED);
    if (!st) return -1;
    db_bind_text(st, 1, service_source_name(record->kind));
    db_bind_int(st, 2, source_id);
    db_bind_int(st, 3, resident_id);
    int64_t already = db_query_int(st, -1);
    if (already != 0) return already > 0 ? 0 : -1;
    struct entitlement_account *a = malloc(sizeof *a);
    if (!a) {
        log_error("entitlement use: out of memory");
        return -1;
    }
    char day[11];
    date_format(record->date, day);
    int rc = store_entitlement_account_load(db, resident_id, day, a);
    if (rc == 0) rc = store_entitlement_apply(db, a, rules, source_id, staff_id, record, used_out);
    free(a);
    return rc;
}

int store_entitlement_undo(struct db *db, enum service_source kind, int64_t source_id,
                           int64_t resident_id)
{
#define SOURCE_DELIVERIES                                                                          \
    " FROM deliveries d WHERE d.source_kind = ?1 AND d.source_id = ?2"                             \
    " AND d.contract_id IN (SELECT id FROM contracts WHERE resident_id = ?3)"
    static const char GIVE_BACK[] =
        "UPDATE entitlements SET used = max(0, used - (SELECT sum(d.quantity)" SOURCE_DELIVERIES
        " AND d.entitlement_id = entitlements.id))"
        " WHERE id IN (SELECT d.entitlement_id" SOURCE_DELIVERIES ")";
    static const char REMOVE[] =
        "DELETE FROM deliveries WHERE id IN (SELECT d.id" SOURCE_DELIVERIES ")";
#undef SOURCE_DELIVERIES
    const char *steps[2] = {GIVE_BACK, REMOVE};
    for (int i = 0; i < 2; i++) {
        struct db_stmt *st = db_prepare(db, steps[i]);
        if (!st) return -1;
        db_bind_text(st, 1, service_source_name(kind));
        db_bind_int(st, 2, source_id);
        db_bind_int(st, 3, resident_id);
        if (db_run(st) != DB_DONE) return -1;
    }
    return (int)db_changes(db);
}

/* One stored record as the rule and the delivery need it. */
struct stored_record {
    struct service_record r;
    int64_t id, staff_id;
    char program[16];
};

long store_entitlement_use_records(struct db *db, const struct entitlement_rules *rules,
                                   int64_t resident_id, const char *from, const char *to,
                                   struct entitlement_account *a)
{
    /* Records dated in [?2, ?3] that have used nothing yet. A maternal visit's delivery date
     * is that of the latest pregnancy begun by its day. */
    static const char RECORDS[] =
        "SELECT 0, f.id, f.visit_date, f.program, CASE WHEN f.mode = 'home_visit' THEN 1 ELSE 0 END, coalesce(f.staff_id, 0),"
        " (SELECT p.delivery_date FROM pregnancies p WHERE p.resident_id = f.resident_id"
        "   AND p.lmp <= f.visit_date ORDER BY p.lmp DESC LIMIT 1), 0, 0, 0, r.birth_date"
        " FROM followups f JOIN residents r ON r.id = f.resident_id"
        " WHERE f.resident_id = ?1 AND f.visit_date BETWEEN ?2 AND ?3"
        " AND NOT EXISTS (SELECT 1 FROM deliveries d"
        "   WHERE d.source_kind = 'followup' AND d.source_id = f.id)"
        " UNION ALL SELECT 1, x.id, x.exam_date, NULL, 0, 0, NULL,"
        " CASE WHEN x.ecg IS NOT NULL THEN 1 ELSE 0 END,"
        " CASE WHEN coalesce(x.fbg, x.tc, x.tg, x.ldl, x.hdl) IS NOT NULL THEN 1 ELSE 0 END, 0, NULL"
        " FROM exam_results x WHERE x.resident_id = ?1 AND x.exam_date BETWEEN ?2 AND ?3"
        " AND NOT EXISTS (SELECT 1 FROM deliveries d"
        "   WHERE d.source_kind = 'exam' AND d.source_id = x.id)"
        " UNION ALL SELECT 2, e.id, e.encounter_date, NULL, e.at_home, coalesce(e.staff_id, 0),"
        " NULL, 0, 0, coalesce(e.team_id, 0), NULL"
        " FROM encounters e WHERE e.resident_id = ?1 AND e.encounter_date BETWEEN ?2 AND ?3"
        " AND NOT EXISTS (SELECT 1 FROM deliveries d"
        "   WHERE d.source_kind = 'encounter' AND d.source_id = e.id)"
        " UNION ALL SELECT 3, g.id, g.activity_date, NULL, 0, coalesce(g.leader_staff, 0), NULL,"
        " 0, 0, 0, NULL FROM group_attendance t JOIN group_activities g ON g.id = t.activity_id"
        " WHERE t.resident_id = ?1 AND g.activity_date BETWEEN ?2 AND ?3"
        " AND NOT EXISTS (SELECT 1 FROM deliveries d JOIN contracts c ON c.id = d.contract_id"
        "   WHERE d.source_kind = 'group_attendance' AND d.source_id = g.id"
        "   AND c.resident_id = ?1)"
        " ORDER BY 3, 1, 2";
    if (store_entitlement_account_load(db, resident_id, NULL, a) < 0) return -1;
    if (!a->n_contracts) return 0;
    struct db_stmt *st = db_prepare(db, RECORDS);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, from ? from : "0000-00-00");
    db_bind_text(st, 3, to ? to : "9999-99-99");
    struct stored_record *list = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (n == cap) {
            size_t bigger = cap ? cap * 2 : 32;
            struct stored_record *grown = realloc(list, bigger * sizeof *grown);
            if (!grown) {
                log_error("entitlement use: out of memory");
                db_release(db);
                free(list);
                return -1;
            }
            list = grown;
            cap = bigger;
        }
        struct stored_record *s = &list[n++];
        memset(s, 0, sizeof *s);
        s->r.kind = (enum service_source)db_column_int(st, 0);
        s->id = db_column_int(st, 1);
        s->r.date = date_column(st, 2);
        snprintf(s->program, sizeof s->program, "%s",
                 db_column_text(st, 3) ? db_column_text(st, 3) : "");
        s->r.at_home = (int)db_column_int(st, 4);
        s->staff_id = db_column_int(st, 5);
        s->r.has_delivery = !db_column_is_null(st, 6);
        s->r.delivery = date_column(st, 6);
        s->r.has_ecg = (int)db_column_int(st, 7);
        s->r.has_lab = (int)db_column_int(st, 8);
        s->r.team_id = db_column_int(st, 9);
        s->r.birth = date_column(st, 10); /* a follow-up's; the rule reads it for child visits */
    }
    long used = rc == DB_DONE ? 0 : -1;
    for (size_t i = 0; used >= 0 && i < n; i++) {
        list[i].r.program = list[i].program;
        int k =
            store_entitlement_apply(db, a, rules, list[i].id, list[i].staff_id, &list[i].r, NULL);
        used = k < 0 ? -1 : used + k;
    }
    free(list);
    return used;
}
