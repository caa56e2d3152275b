/* points.c (demo) - see points.h. Fixed values and its own random stream, so the rest of
 * the demo draws what it drew before. */
#include "demo/points.h"

#include <stdio.h>
#include <string.h>

#include "domain/questionnaire.h"
#include "store/points.h"
#include "store/surveys.h"

static uint64_t next(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

static int exec_dated(struct db *db, const char *sql, const char *since)
{
    struct db_stmt *st = db_prepare(db, sql);
    if (!st) return -1;
    db_bind_text(st, 1, since);
    return db_run(st) == DB_DONE ? 0 : -1;
}

/* The points earned for what the demo recorded since `since`, as the API would have
 * awarded them (the same event keys), then each balance and the balance after each row. */
static int earned_history(struct db *db, const char *since)
{
    static const char FOLLOWUPS[] =
        "INSERT INTO points_ledger (resident_id, event, event_key, points, occurred_on, county_code)"
        " SELECT f.resident_id, 'followup_attended', 'followup:' || f.resident_id || ':' || f.program || ':' ||"
        " f.visit_date, (SELECT points FROM points_rules WHERE event = 'followup_attended'), f.visit_date,"
        " r.county_code FROM followups f JOIN residents r ON r.id = f.resident_id WHERE f.visit_date >= ?1"
        " ON CONFLICT (event_key) DO NOTHING";
    static const char EXAMS[] =
        "INSERT INTO points_ledger (resident_id, event, event_key, points, occurred_on, county_code)"
        " SELECT e.resident_id, 'exam_done', 'exam:' || e.resident_id || ':' || e.exam_date,"
        " (SELECT points FROM points_rules WHERE event = 'exam_done'), e.exam_date, r.county_code"
        " FROM exam_results e JOIN residents r ON r.id = e.resident_id WHERE e.exam_date >= ?1"
        " ON CONFLICT (event_key) DO NOTHING";
    static const char GROUPS[] =
        "INSERT INTO points_ledger (resident_id, event, event_key, points, occurred_on, county_code)"
        " SELECT p.resident_id, 'group_activity', 'group_activity:' || p.activity_id || ':' || p.resident_id,"
        " (SELECT points FROM points_rules WHERE event = 'group_activity'), a.activity_date, r.county_code"
        " FROM group_attendance p JOIN group_activities a ON a.id = p.activity_id"
        " JOIN residents r ON r.id = p.resident_id WHERE a.activity_date >= ?1"
        " ON CONFLICT (event_key) DO NOTHING";
    if (exec_dated(db, FOLLOWUPS, since) < 0 || exec_dated(db, EXAMS, since) < 0 ||
        exec_dated(db, GROUPS, since) < 0)
        return -1;
    return 0;
}

/* The accounts and each row's balance_after from the ledger as it stands. */
static int settle(struct db *db)
{
    static const char ACCOUNTS[] =
        "INSERT INTO points_accounts (resident_id, balance, earned, spent)"
        " SELECT resident_id, sum(points), sum(CASE WHEN points > 0 THEN points ELSE 0 END),"
        " -sum(CASE WHEN points < 0 THEN points ELSE 0 END) FROM points_ledger GROUP BY resident_id"
        " ON CONFLICT (resident_id) DO UPDATE SET balance = excluded.balance, earned = excluded.earned,"
        " spent = excluded.spent";
    static const char AFTER[] =
        "UPDATE points_ledger SET balance_after = b.balance FROM (SELECT id, sum(points) OVER"
        " (PARTITION BY resident_id ORDER BY occurred_on, id) AS balance FROM points_ledger) b"
        " WHERE b.id = points_ledger.id";
    return db_exec(db, ACCOUNTS) == DB_DONE && db_exec(db, AFTER) == DB_DONE ? 0 : -1;
}

int demo_points_build(struct db *db, const struct demo_points_site *s)
{
    static const struct {
        const char *name, *kind;
        int cost, stock, at_tcm_hospital;
    } ITEMS[] = {
        {"环保购物袋", "goods", 30, 100, 0},
        {"限盐勺和控油壶", "goods", 40, 60, 0},
        {"家用体温计", "goods", 60, 50, 0},
        {"中医艾灸理疗（1次）", "tcm_therapy", 100, 40, 0},
        {"中医推拿理疗（1次）", "tcm_therapy", 120, 30, 0},
        {"食用油（5升）", "goods", 150, 20, 0},
        {"中医体质辨识与调理（3次）", "tcm_therapy", 280, 10, 1},
        {"健康体检套餐（血常规、肝肾功能、心电图）", "exam_package", 300, 20, 0},
        {"电子血压计", "goods", 400, 5, 0},
        {"老年人深度体检套餐（含颈动脉彩超）", "exam_package", 500, 8, 0},
    };
    int64_t ids[sizeof ITEMS / sizeof ITEMS[0]];
    for (size_t i = 0; i < sizeof ITEMS / sizeof ITEMS[0]; i++) {
        struct points_item it = {.cost = ITEMS[i].cost,
                                 .stock = ITEMS[i].stock,
                                 .institution_id =
                                     ITEMS[i].at_tcm_hospital ? s->tcm_hospital : s->center_id};
        snprintf(it.name, sizeof it.name, "%s", ITEMS[i].name);
        snprintf(it.kind, sizeof it.kind, "%s", ITEMS[i].kind);
        snprintf(it.county, sizeof it.county, "%s", s->county);
        if ((ids[i] = store_points_item_insert(db, &it)) < 0) return -1;
    }
    if (!s->resident01) return 0;
    char since[11], day[11];
    date_format(date_add_days(s->today, -365), since);
    if (earned_history(db, since) < 0) return -1;
    /* resident01 also read the team's articles and had a check-up this spring, so their
     * page shows every kind of earning and enough to redeem. */
    for (int k = 0; k < 12; k++) {
        char key[48];
        date_format(date_add_days(s->today, -7 * k - 2), day);
        snprintf(key, sizeof key, "content:demo:%d:resident:%lld", k, (long long)s->resident01);
        if (store_points_award(db, s->resident01, "content_read", key, day) < 0) return -1;
    }
    date_format(date_add_days(s->today, -120), day);
    char key[48];
    snprintf(key, sizeof key, "exam:%lld:%s", (long long)s->resident01, day);
    if (store_points_award(db, s->resident01, "exam_done", key, day) < 0) return -1;
    for (int k = 0; k < 4; k++) {
        date_format(date_add_days(s->today, -30 * k - 10), day);
        snprintf(key, sizeof key, "followup:%lld:elderly:%s", (long long)s->resident01, day);
        if (store_points_award(db, s->resident01, "followup_attended", key, day) < 0) return -1;
    }
    if (settle(db) < 0) return -1;
    /* A few redemptions: resident01 took a shopping bag, and some of the county's richest
     * earners the thing they could afford. */
    int64_t redemption, balance, stock;
    const char *refusal;
    date_format(date_add_days(s->today, -20), day);
    if (store_points_redeem(db, s->resident01, ids[0], day, 0, &redemption, &balance, &stock,
                            &refusal) < 0)
        return -1;
    static const char RICH[] =
        "SELECT resident_id, balance FROM points_accounts WHERE resident_id <> ?1"
        " ORDER BY balance DESC, resident_id LIMIT 30";
    struct db_stmt *st = db_prepare(db, RICH);
    if (!st) return -1;
    db_bind_int(st, 1, s->resident01);
    int64_t who[30], had[30];
    int n = 0, rc;
    while ((rc = db_step(st)) == DB_ROW && n < 30) {
        who[n] = db_column_int(st, 0);
        had[n++] = db_column_int(st, 1);
    }
    if (rc != DB_DONE && rc != DB_ROW) return -1;
    if (rc == DB_ROW) db_run(st);
    uint64_t rng = s->seed * 0x9E3779B97F4A7C15ull + 16;
    for (int i = 0; i < n; i++) {
        size_t pick = (size_t)(next(&rng) % (sizeof ITEMS / sizeof ITEMS[0]));
        while (pick > 0 && ITEMS[pick].cost > had[i])
            pick--;
        date_format(date_add_days(s->today, -(int)(next(&rng) % 60)), day);
        if (store_points_redeem(db, who[i], ids[pick], day, 0, &redemption, &balance, &stock,
                                &refusal) < 0)
            return -1;
    }
    return 0;
}

int demo_survey_answer(struct db *db, const struct survey_questionnaire *sq, int64_t resident,
                       int64_t team, const char *channel, const char *day, int level, uint64_t *rng)
{
    struct questionnaire_answer a[QUESTIONNAIRE_MAX_ITEMS];
    struct questionnaire_score score;
    struct jy_error err;
    for (int i = 0; i < sq->q.count; i++) {
        const struct questionnaire_item *it = &sq->q.items[i];
        int v = level + (int)(next(rng) % 3) - 1;
        if (v < it->min) v = it->min;
        if (v > it->max) v = it->max;
        a[i] = (struct questionnaire_answer){it->n, it->reverse ? it->min + it->max - v : v};
    }
    if (questionnaire_score(&sq->q, a, (size_t)sq->q.count, &score, &err) < 0) return -1;
    struct survey_response_input in = {.questionnaire_id = sq->id,
                                       .resident_id = resident,
                                       .team_id = team,
                                       .channel = channel,
                                       .answered_on = day,
                                       .q = &sq->q,
                                       .score = &score};
    if (store_survey_response_insert(db, &in) < 0) return -1;
    for (int i = 0; i < sq->q.count; i++) /* the overall item's answer, for the caller */
        if (sq->overall_item && sq->q.items[i].n == sq->overall_item) return score.scored[i];
    return 0;
}

int demo_surveys_build(struct db *db, const struct demo_points_site *s)
{
    static const char SIGNED[] =
        "SELECT c.resident_id FROM contracts c WHERE c.team_id = ?1 AND c.start_date <= ?2"
        " AND coalesce(c.ended_on, c.end_date) >= ?2 AND c.resident_id <> ?3 ORDER BY c.resident_id LIMIT 16";
    struct survey_questionnaire trust, satisfaction;
    if (store_questionnaire_load(db, "wake_forest_trust_10", &trust) != 1 ||
        store_questionnaire_load(db, "satisfaction_service", &satisfaction) != 1)
        return -1;
    char today[11], day[11];
    date_format(s->today, today);
    uint64_t rng = s->seed * 0xBF58476D1CE4E5B9ull + 30;
    for (int t = 0; t < s->team_count; t++) {
        struct db_stmt *st = db_prepare(db, SIGNED);
        if (!st) return -1;
        db_bind_int(st, 1, s->team_ids[t]);
        db_bind_text(st, 2, today);
        db_bind_int(st, 3, s->resident01);
        int64_t who[16];
        int n = 0, rc;
        while ((rc = db_step(st)) == DB_ROW && n < 16)
            who[n++] = db_column_int(st, 0);
        if (rc != DB_DONE) return -1;
        /* The first team runs a service group (seed 000): its residents trust it more. */
        int level = t == 0 ? 4 : 3 + (int)(next(&rng) % 2);
        for (int i = 0; i < n; i++) {
            date_format(date_add_days(s->today, -(int)(next(&rng) % 150) - 1), day);
            const char *channel = i % 3 == 0 ? "phone_callback" : "portal";
            if (demo_survey_answer(db, &trust, who[i], s->team_ids[t], channel, day, level, &rng) <
                0)
                return -1;
            if (i % 2 == 0 && demo_survey_answer(db, &satisfaction, who[i], s->team_ids[t], channel,
                                                 day, level, &rng) < 0)
                return -1;
        }
    }
    return 0;
}
