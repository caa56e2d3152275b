/* service_group.c (demo) - see service_group.h. */
#include "demo/service_group.h"

#include <stdio.h>
#include <string.h>

#include "store/service_group.h"

/* A UTC timestamp `days` before today at hh:mm China time. */
static void stamp(char out[32], struct date today, int days, int hour, int minute)
{
    struct date d = date_add_days(today, -days);
    int utc = hour - 8;
    if (utc < 0) {
        utc += 24;
        d = date_add_days(d, -1);
    }
    snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:00Z", d.year % 10000, d.month % 100, d.day % 100,
             utc % 100, minute % 100);
}

struct demo_item {
    const char *kind, *title, *body, *program;
    int days_ago, read_percent;
};

static const struct demo_item ITEMS[] = {
    {"notice", "冬季流感疫苗接种通知",
     "本中心每周二、周四上午为65岁及以上老人、慢性病患者免费接种流感疫苗，请携带身份证和医保卡前来"
     "。"
     "接种后请留观30分钟。如有发热等不适，请暂缓接种并告知您的家庭医生。",
     NULL, 20, 62},
    {"article", "高血压患者的低盐饮食",
     "每人每天食盐不超过5克，约一个啤酒瓶盖。少吃咸菜、腊肉、酱料；做菜出锅前再放盐；"
     "多吃新鲜蔬菜水果。坚持按时服药，每周至少测量一次血压并记录，随访时带给家庭医生看。",
     "hypertension", 10, 48},
    {"package", "老年人健康管理服务包介绍",
     "签约的65岁及以上老人每年可免费享受一次健康体检（血常规、尿常规、肝肾功能、血糖、血脂、心电图"
     "、B超），"
     "以及中医体质辨识和健康指导。体检结果出来后，家庭医生会电话告知并解读。",
     "elderly", 3, 21},
    {"article", "糖尿病患者如何自我监测血糖",
     "空腹血糖控制在4.4～7.0 mmol/L，非空腹低于10.0 mmol/L。出现心慌、出汗、手抖时可能是低血糖，"
     "请立即吃几块糖或喝半杯糖水，并联系家庭医生。",
     "diabetes", 1, 9},
};

static int publish_items(struct db *db, struct date today, int64_t team)
{
    static const char READ[] = "UPDATE content_recipients SET read_at = ?3 WHERE content_id = ?1 "
                               "AND (resident_id * 37 + content_id) % 100 < ?2";
    for (size_t i = 0; i < sizeof ITEMS / sizeof ITEMS[0]; i++) {
        const struct demo_item *it = &ITEMS[i];
        char at[32], read_at[32];
        stamp(at, today, it->days_ago, 9, 30);
        stamp(read_at, today, it->days_ago > 0 ? it->days_ago - 1 : 0, 20, 15);
        struct content_input in = {.team_id = team,
                                   .kind = it->kind,
                                   .title = it->title,
                                   .body = it->body,
                                   .program = it->program,
                                   .at = at};
        int64_t recipients;
        int64_t id = store_content_publish(db, &in, &recipients);
        if (id < 0) return -1;
        struct db_stmt *st = db_prepare(db, READ);
        if (!st) return -1;
        db_bind_int(st, 1, id);
        db_bind_int(st, 2, it->read_percent);
        db_bind_text(st, 3, read_at);
        if (db_run(st) != DB_DONE) return -1;
    }
    return 0;
}

struct demo_thread {
    const char *subject, *question, *answer, *follow_up;
    int days_ago; /* asked then */
    int answer_minutes;
    int closed;
};

static const struct demo_thread THREADS[] = {
    {"降压药漏服了一次怎么办", "昨天晚上忘记吃降压药了，今天早上要不要多吃一片？",
     "不用加量，今天按平时的时间和剂量吃就可以。漏服一次影响不大，以后可以设个闹钟提醒。", NULL, 6,
     42, 1},
    {"体检报告里的血脂偏高", "体检报告说甘油三酯2.3，需要吃药吗？",
     "甘油三酯轻度偏高，先从饮食和运动调整：少吃油炸和甜食，每天快走30分钟。三个月后复查，到时再看"
     "要不要用药。",
     "好的，谢谢医生，三个月后我来复查。", 2, 95, 0},
    {"孩子打疫苗后发烧", "孩子昨天打了疫苗，今天有点低烧37.8度，要紧吗？", NULL, NULL, 0, 0, 0},
};

static int64_t user_of_staff(struct db *db, int64_t team)
{
    static const char SQL[] = "SELECT u.id FROM teams t JOIN staff s ON s.id = t.doctor_id JOIN "
                              "users u ON u.id = s.user_id"
                              " WHERE t.id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, team);
    return db_query_int(st, 0);
}

/* The team's first signed residents (resident01 first when it is the team's), up to max. */
static int askers(struct db *db, int64_t team, int64_t resident01, int64_t *out, int max)
{
    static const char SQL[] =
        "SELECT c.resident_id FROM contracts c JOIN residents r ON r.id = c.resident_id"
        " WHERE c.team_id = ?1 AND c.status = 'active' AND r.status = 'alive' AND r.id <> ?2"
        " ORDER BY c.resident_id LIMIT ?3";
    int n = 0;
    if (resident01 && store_resident_signed_team(db, resident01) == team) out[n++] = resident01;
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, team);
    db_bind_int(st, 2, resident01);
    db_bind_int(st, 3, max - n);
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        out[n++] = db_column_int(st, 0);
    return rc == DB_DONE ? n : -1;
}

static int consultations_for(struct db *db, struct date today, int64_t team, int64_t resident01)
{
    int64_t who[3];
    int n = askers(db, team, resident01, who, 3);
    if (n < 0) return -1;
    int64_t doctor = user_of_staff(db, team);
    if (doctor < 0) return -1;
    for (int i = 0; i < n; i++) {
        /* resident01 gets the answered one (its portal shows the doctor's reply); the others
         * in turn the closed and the still open one. */
        const struct demo_thread *t = &THREADS[(i + 1) % 3];
        char asked[32], answered[32], followed[32];
        stamp(asked, today, t->days_ago, 8, 10 + i);
        int64_t id =
            store_consultation_create(db, who[i], team, t->subject, t->question, 0, NULL, asked);
        if (id < 0) return -1;
        if (!t->answer) continue;
        stamp(answered, today, t->days_ago, 8 + (10 + i + t->answer_minutes) / 60,
              (10 + i + t->answer_minutes) % 60);
        if (store_consultation_message(db, id, 1, doctor, "家庭医生", t->answer, answered) < 0)
            return -1;
        if (t->follow_up) {
            stamp(followed, today, t->days_ago, 12, 5);
            if (store_consultation_message(db, id, 0, 0, NULL, t->follow_up, followed) < 0 ||
                store_consultation_message(db, id, 1, doctor, "家庭医生",
                                           "不客气，有问题随时问我。", followed) < 0)
                return -1;
        }
        if (t->closed) {
            stamp(followed, today, t->days_ago - 1, 9, 0);
            if (store_consultation_close(db, id, doctor, followed) < 0) return -1;
        }
    }
    return 0;
}

int demo_service_group(struct db *db, struct date today, const int64_t *teams, int team_count,
                       int64_t resident01)
{
    for (int i = 0; i < team_count; i++)
        if (publish_items(db, today, teams[i]) < 0 ||
            consultations_for(db, today, teams[i], resident01) < 0)
            return -1;
    return 0;
}
