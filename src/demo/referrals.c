/* referrals.c (demo) - see referrals.h. */
#include "demo/referrals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo/names.h"
#include "store/referrals.h"
#include "store/work.h"

#define RETURN_RATE 0.78 /* Yuetan: returned down / seen up-referrals */

/* The summary of the record as it stood on the day each up-referral was sent (api/referrals.c
 * assembles the same for a live one); a down-referral carries the hospital's words. */
static const char SUMMARIES[] =
    "UPDATE referrals SET summary = CASE WHEN direction = 'down' THEN"
    " json_object('kind', 'hospital', 'text', reason) ELSE (SELECT json_object('assembled_on', referrals.referred_on,"
    "  'name', p.name, 'sex', p.sex, 'birth_date', p.birth_date,"
    "  'diagnoses', (SELECT json_group_array(json_object('icd10', d.icd10, 'diagnosed_on', d.diagnosed_on))"
    "     FROM diagnoses d WHERE d.resident_id = p.id AND d.diagnosed_on <= referrals.referred_on),"
    "  'latest_followups', (SELECT json_group_array(json_object('program', f.program, 'visit_date', f.visit_date,"
    "     'sbp', f.sbp, 'dbp', f.dbp, 'fbg', f.fbg, 'classification', f.classification, 'action', f.action,"
    "     'medications', json(f.medications))) FROM followups f WHERE f.id IN (SELECT (SELECT g.id FROM followups g"
    "     WHERE g.resident_id = p.id AND g.program = x.program AND g.visit_date <= referrals.referred_on"
    "     ORDER BY g.visit_date DESC, g.id DESC LIMIT 1) FROM (SELECT DISTINCT program FROM followups"
    "     WHERE resident_id = p.id) x)),"
    "  'latest_exam', json((SELECT json_object('exam_date', e.exam_date, 'sbp', e.sbp, 'dbp', e.dbp, 'fbg', e.fbg,"
    "     'bmi', e.bmi, 'ecg', e.ecg) FROM exam_results e WHERE e.resident_id = p.id"
    "     AND e.exam_date <= referrals.referred_on ORDER BY e.exam_date DESC LIMIT 1)))"
    " FROM residents p WHERE p.id = referrals.resident_id) END WHERE summary IS NULL";

/* The same in PostgreSQL's JSON functions. */
static const char SUMMARIES_PG[] =
    "UPDATE referrals SET summary = CASE WHEN direction = 'down' THEN"
    " json_build_object('kind', 'hospital', 'text', reason)::text ELSE (SELECT json_build_object("
    "  'assembled_on', referrals.referred_on, 'name', p.name, 'sex', p.sex, 'birth_date', p.birth_date,"
    "  'diagnoses', coalesce((SELECT json_agg(json_build_object('icd10', d.icd10, 'diagnosed_on', d.diagnosed_on))"
    "     FROM diagnoses d WHERE d.resident_id = p.id AND d.diagnosed_on <= referrals.referred_on), '[]'::json),"
    "  'latest_followups', coalesce((SELECT json_agg(json_build_object('program', f.program,"
    "     'visit_date', f.visit_date, 'sbp', f.sbp, 'dbp', f.dbp, 'fbg', f.fbg, 'classification', f.classification,"
    "     'action', f.action, 'medications', f.medications::json)) FROM followups f WHERE f.id IN (SELECT"
    "     (SELECT g.id FROM followups g WHERE g.resident_id = p.id AND g.program = x.program"
    "     AND g.visit_date <= referrals.referred_on ORDER BY g.visit_date DESC, g.id DESC LIMIT 1)"
    "     FROM (SELECT DISTINCT program FROM followups WHERE resident_id = p.id) x)), '[]'::json),"
    "  'latest_exam', (SELECT json_build_object('exam_date', e.exam_date, 'sbp', e.sbp, 'dbp', e.dbp,"
    "     'fbg', e.fbg, 'bmi', e.bmi, 'ecg', e.ecg) FROM exam_results e WHERE e.resident_id = p.id"
    "     AND e.exam_date <= referrals.referred_on ORDER BY e.exam_date DESC LIMIT 1))::text"
    " FROM residents p WHERE p.id = referrals.resident_id) END WHERE summary IS NULL";

static const char *const RETURN_SUMMARIES[] = {
    "高血压2级（高危），排除继发性高血压", "冠心病稳定型心绞痛，冠脉CTA示中度狭窄",
    "2型糖尿病血糖控制不佳，已调整降糖方案", "桡骨远端骨折复位固定术后",
    "社区获得性肺炎，治疗后好转"};
static const char *const RETURN_PLANS[] = {"继续社区随访，2周后复测血压",
                                           "口服药物维持，1个月后心内科复诊",
                                           "社区每月随访空腹血糖，3个月复查糖化血红蛋白",
                                           "社区康复训练，6周后骨科复查", "社区随访至症状消失"};
static const char *const DECLINE_REASONS[] = {"本院该专科床位已满，建议转市级医院",
                                              "资料不全，请补充检查结果后再转"};

struct row {
    int64_t id, resident, to;
    int up, from_followup;
    struct date referred;
    int has_seen;
    struct date seen;
};

/* One kept event, dated on `on`. */
static int event(struct db *db, int64_t id, const char *from, const char *to, struct date on,
                 const char *note)
{
    static const char SQL[] =
        "INSERT INTO referral_events (referral_id, from_status, to_status, at, note)"
        " VALUES (?1, ?2, ?3, ?4 || 'T10:00:00Z', ?5)";
    char day[11];
    date_format(on, day);
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, from);
    db_bind_text(st, 3, to);
    db_bind_text(st, 4, day);
    db_bind_text(st, 5, note);
    return db_run(st) == DB_DONE ? 0 : -1;
}

struct outcome {
    const char *status;
    struct date seen, returned, closed;
    int has_seen, has_returned, has_closed, satisfaction, accepted;
    const char *decline, *return_summary, *return_plan;
};

static int store(struct db *db, const struct row *f, const struct outcome *o)
{
    static const char SQL[] =
        "UPDATE referrals SET status = ?2, seen_on = ?3, returned_on = ?4, closed_on = ?5, decline_reason = ?6,"
        " return_summary = ?7, return_plan = ?8, return_medications = CASE WHEN ?4 IS NULL THEN NULL ELSE '[]' END,"
        " satisfaction = ?9, satisfaction_on = CASE WHEN ?9 IS NULL THEN NULL ELSE coalesce(?5, ?4, ?3) END"
        " WHERE id = ?1";
    char seen[11], returned[11], closed[11];
    date_format(o->seen, seen);
    date_format(o->returned, returned);
    date_format(o->closed, closed);
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, f->id);
    db_bind_text(st, 2, o->status);
    db_bind_text(st, 3, o->has_seen ? seen : NULL);
    db_bind_text(st, 4, o->has_returned ? returned : NULL);
    db_bind_text(st, 5, o->has_closed ? closed : NULL);
    db_bind_text(st, 6, o->decline);
    db_bind_text(st, 7, o->return_summary);
    db_bind_text(st, 8, o->return_plan);
    if (o->satisfaction)
        db_bind_int(st, 9, o->satisfaction);
    else
        db_bind_null(st, 9);
    return db_run(st) == DB_DONE ? 0 : -1;
}

static struct date capped(struct date d, struct date today)
{
    return date_compare(d, today) > 0 ? today : d;
}

/* Seen, then returned (up) or not, then closed or not, as time allows. */
static void after_seen(struct rng *rng, const struct row *f, struct outcome *o, struct date today)
{
    o->status = "seen";
    struct date base = o->seen;
    if (f->up && rng_chance(rng, RETURN_RATE)) {
        struct date back = date_add_days(o->seen, rng_int(rng, 0, 6));
        if (date_compare(back, today) <= 0) {
            o->status = "returned";
            o->has_returned = 1;
            o->returned = back;
            int k = rng_int(rng, 0, 4);
            o->return_summary = RETURN_SUMMARIES[k];
            o->return_plan = RETURN_PLANS[k];
            base = back;
        }
    }
    struct date close = date_add_days(base, rng_int(rng, 1, 10));
    if (date_compare(close, today) <= 0 && rng_chance(rng, o->has_returned ? 0.92 : 0.7)) {
        o->status = "closed";
        o->has_closed = 1;
        o->closed = close;
    }
    if (rng_chance(rng, 0.4)) {
        double u = rng_unit(rng);
        o->satisfaction = u < 0.55 ? 5 : u < 0.9 ? 4 : u < 0.97 ? 3 : rng_int(rng, 1, 2);
    }
}

static int load(struct db *db, struct row **rows, int *n)
{
    static const char SQL[] =
        "SELECT id, resident_id, coalesce(to_institution_id, 0), direction = 'up', followup_id IS NOT NULL,"
        " referred_on, seen_on FROM referrals ORDER BY id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    int cap = 0, rc;
    *rows = NULL;
    *n = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 1024;
            struct row *bigger = realloc(*rows, (size_t)cap * sizeof **rows);
            if (!bigger) {
                db_run(st);
                return -1;
            }
            *rows = bigger;
        }
        struct row *f = &(*rows)[(*n)++];
        memset(f, 0, sizeof *f);
        f->id = db_column_int(st, 0);
        f->resident = db_column_int(st, 1);
        f->to = db_column_int(st, 2);
        f->up = db_column_int(st, 3) != 0;
        f->from_followup = db_column_int(st, 4) != 0;
        date_parse(db_column_text(st, 5), &f->referred);
        if ((f->has_seen = !db_column_is_null(st, 6))) date_parse(db_column_text(st, 6), &f->seen);
    }
    return rc == DB_DONE ? 0 : -1;
}

/* The events of the outcome, after the `requested` the insert kept (and the `seen` the
 * demo's follow-ups kept for theirs). */
static int events(struct db *db, const struct row *f, const struct outcome *o)
{
    const char *at = "requested";
    if (o->accepted) {
        if (event(db, f->id, at, "accepted",
                  capped(date_add_days(f->referred, 1), o->has_seen ? o->seen : f->referred),
                  NULL) < 0)
            return -1;
        at = "accepted";
    }
    if (o->decline) return event(db, f->id, at, "declined", f->referred, o->decline);
    if (!strcmp(o->status, "cancelled")) return event(db, f->id, at, "cancelled", o->closed, NULL);
    if (o->has_seen && !f->has_seen && event(db, f->id, at, "seen", o->seen, NULL) < 0) return -1;
    if (o->has_seen) at = "seen";
    if (o->has_returned) {
        if (event(db, f->id, at, "returned", o->returned, NULL) < 0) return -1;
        at = "returned";
    }
    if (o->has_closed && event(db, f->id, at, "closed", o->closed, NULL) < 0) return -1;
    return 0;
}

/* A returned referral not yet closed waits on the family doctor's work list. */
static int return_task(struct db *db, const struct row *f, const struct outcome *o)
{
    if (!o->has_returned || o->has_closed) return 0;
    int64_t team = 0, doctor = 0;
    struct referral_core core;
    if (store_referral_carer(db, f->id, f->resident, &team, &doctor) < 0 ||
        store_referral_core(db, f->id, &core) < 0)
        return -1;
    if (!team) return 0;
    char due[11];
    date_format(date_add_days(o->returned, 3), due);
    struct task_input t = {f->resident,       team,        doctor, 0,
                           "referral_return", NULL,        due,    NULL,
                           "referral_return", core.county, f->id};
    return store_task_insert(db, &t) < 0 ? -1 : 0;
}

int demo_referral_states(struct db *db, struct date today, uint64_t seed, int64_t county_hospital)
{
    struct rng rng = {seed * 0x9E3779B97F4A7C15ull + 23};
    struct row *rows = NULL;
    int n = 0, rc = -1, open_at_county = 0;
    /* Sent on the day it was referred, not when the demo was built. */
    static const char SENT[] =
        "UPDATE referral_events SET at = (SELECT referred_on FROM referrals f"
        " WHERE f.id = referral_id) || 'T09:00:00Z' WHERE from_status IS NULL";
    if (db_exec(db, db_is_postgresql(db) ? SUMMARIES_PG : SUMMARIES) != DB_DONE ||
        db_exec(db, SENT) != DB_DONE || load(db, &rows, &n) < 0)
        goto done;
    /* The newest up-referrals recorded by hand at the county hospital stay open (the
     * hospital desk's incoming list): newest first, until four are. */
    int64_t keep_open[4] = {0};
    for (int i = n - 1; i >= 0 && open_at_county < 4; i--)
        if (rows[i].up && !rows[i].from_followup && !rows[i].has_seen &&
            rows[i].to == county_hospital)
            keep_open[open_at_county++] = rows[i].id;
    for (int i = 0; i < n; i++) {
        const struct row *f = &rows[i];
        struct outcome o = {.status = "requested"};
        long age = date_diff_days(today, f->referred);
        int forced = 0;
        for (int k = 0; k < open_at_county; k++)
            forced |= keep_open[k] == f->id;
        if (forced) {
            o.accepted = rng_chance(&rng, 0.5);
            o.status = o.accepted ? "accepted" : "requested";
        } else if (f->has_seen) { /* a follow-up's referral the demo saw */
            o.has_seen = 1;
            o.seen = f->seen; /* its requested -> seen is kept already */
            after_seen(&rng, f, &o, today);
        } else if (f->from_followup || age <= 14) { /* recent: still open, or just seen */
            double u = rng_unit(&rng);
            if (!f->from_followup && u < 0.2 && age > 0) {
                o.has_seen = 1;
                o.seen = date_add_days(f->referred, rng_int(&rng, 0, (int)age));
                after_seen(&rng, f, &o, today);
            } else {
                o.accepted = u < 0.6;
                o.status = o.accepted ? "accepted" : "requested";
            }
        } else {
            double u = rng_unit(&rng);
            if (u < (f->up ? 0.84 : 0.88)) {
                o.has_seen = 1;
                o.seen = capped(date_add_days(f->referred, rng_int(&rng, 1, 14)), today);
                o.accepted = rng_chance(&rng, 0.7);
                after_seen(&rng, f, &o, today);
            } else if (u < (f->up ? 0.92 : 0.92)) {
                o.status = "declined";
                o.decline = DECLINE_REASONS[rng_int(&rng, 0, 1)];
            } else if (u < 0.96) {
                o.status = "cancelled";
                o.has_closed = 1;
                o.closed = capped(date_add_days(f->referred, rng_int(&rng, 0, 3)), today);
            } else {
                o.accepted = 1;
                o.status = "accepted";
            }
        }
        if (store(db, f, &o) < 0 || events(db, f, &o) < 0 || return_task(db, f, &o) < 0) goto done;
    }
    rc = 0;
done:
    free(rows);
    return rc;
}
