/* visits.c (demo) - see visits.h. */
#include "demo/visits.h"

#include <stdio.h>
#include <string.h>

#include "domain/visit_priority.h"
#include "store/contracts.h"
#include "store/services.h"
#include "store/visit_requests.h"

struct demo_visit {
    const char *kind, *status, *time, *reason;
    int preferred_in; /* days from today */
    int confirmed_in; /* the confirmed day, days from today (confirmed and done) */
};

/* The oldest two first (asked for home visits: 高龄 or 卧床 most likely), then the rest. */
static const struct demo_visit VISITS[] = {
    {"home", "requested", "am", "行动不便，需上门测血压、调整用药", 2, 0},
    {"home", "requested", NULL, "术后卧床，需上门换药", 3, 0},
    {"clinic", "requested", "pm", "血糖控制不好，想当面咨询", 4, 0},
    {"specialist", "requested", "am", "胸闷气短，希望预约县医院心内科", 7, 0},
    {"home", "confirmed", "am", "慢病随访", 1, 2},
    {"clinic", "done", "am", "复查血压", -6, -5},
    {"clinic", "cancelled", "pm", "体检报告解读", 5, 0},
};
#define VISIT_COUNT (sizeof VISITS / sizeof VISITS[0])

/* One request in its state. The id, or -1. */
static int64_t make(struct db *db, struct date today, int64_t team_id, int64_t resident,
                    const struct demo_visit *v)
{
    static const char FACTS[] = "SELECT birth_date, county_code FROM residents WHERE id = ?1";
    char birth_text[11] = "", county[7] = "", preferred[11], confirmed[11], reasons[40];
    struct db_stmt *st = db_prepare(db, FACTS);
    if (!st) return -1;
    db_bind_int(st, 1, resident);
    if (db_step(st) != DB_ROW) return -1;
    snprintf(birth_text, sizeof birth_text, "%s", db_column_text(st, 0));
    snprintf(county, sizeof county, "%s", db_column_text(st, 1));
    db_run(st);
    struct date birth;
    int bedridden = store_resident_bedridden(db, resident);
    if (date_parse(birth_text, &birth) < 0 || bedridden < 0) return -1;
    int why = visit_priority_reasons(birth, today, bedridden);
    snprintf(reasons, sizeof reasons, "[%s%s%s]", why & VISIT_REASON_AGE ? "\"age_80\"" : "",
             why == (VISIT_REASON_AGE | VISIT_REASON_BEDRIDDEN) ? "," : "",
             why & VISIT_REASON_BEDRIDDEN ? "\"bedridden\"" : "");
    date_format(date_add_days(today, v->preferred_in), preferred);
    struct visit_request_input in = {resident,
                                     team_id,
                                     store_contract_active_id(db, resident),
                                     0,
                                     0,
                                     v->kind,
                                     visit_priority_name(why),
                                     reasons,
                                     preferred,
                                     v->time,
                                     v->reason,
                                     county};
    int64_t id = store_visit_request_insert(db, &in);
    if (id < 0) return -1;
    if (!strcmp(v->status, "requested")) return id;
    if (!strcmp(v->status, "cancelled"))
        return store_visit_request_cancel(db, id, "居民已自行就诊", 0) == 1 ? id : -1;
    date_format(date_add_days(today, v->confirmed_in), confirmed);
    if (store_visit_request_confirm(db, id, confirmed, v->time ? v->time : "am", 0, 0) != 1)
        return -1;
    if (!strcmp(v->status, "done") && store_visit_request_done(db, id, 0, 0) != 1) return -1;
    return id;
}

int demo_visits_build(struct db *db, struct date today, int64_t team_id, int64_t resident01)
{
    static const char OLDEST[] =
        "SELECT c.resident_id FROM contracts c JOIN residents r ON r.id = c.resident_id"
        " WHERE c.team_id = ?1 AND c.status = 'active' AND r.status = 'alive' AND c.resident_id <> "
        "?2"
        " ORDER BY r.birth_date, r.id LIMIT 2";
    static const char OTHERS[] =
        "SELECT c.resident_id FROM contracts c JOIN residents r ON r.id = c.resident_id"
        " WHERE c.team_id = ?1 AND c.status = 'active' AND r.status = 'alive' AND c.resident_id <> "
        "?2"
        " ORDER BY r.id LIMIT 8";
    int64_t people[VISIT_COUNT];
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++) {
        struct db_stmt *st = db_prepare(db, pass ? OTHERS : OLDEST);
        if (!st) return -1;
        db_bind_int(st, 1, team_id);
        db_bind_int(st, 2, resident01);
        int rc;
        while ((rc = db_step(st)) == DB_ROW) {
            int64_t id = db_column_int(st, 0);
            int seen = 0;
            for (size_t k = 0; k < n; k++)
                seen |= people[k] == id;
            if (!seen && n < VISIT_COUNT) people[n++] = id;
        }
        if (rc != DB_DONE) return -1;
    }
    int made = 0;
    for (size_t i = 0; i < n; i++, made++)
        if (make(db, today, team_id, people[i], &VISITS[i]) < 0) return -1;
    /* resident01: a clinic visit confirmed for the day after tomorrow, a home visit done. */
    if (resident01 && store_active_contract_team(db, resident01) == team_id) {
        static const struct demo_visit MINE[] = {
            {"clinic", "confirmed", "am", "复查血压，调整降压药", 2, 3},
            {"home", "done", "pm", "母亲行动不便，请医生上门", -12, -10},
        };
        for (size_t i = 0; i < 2; i++, made++)
            if (make(db, today, team_id, resident01, &MINE[i]) < 0) return -1;
    }
    return made;
}
