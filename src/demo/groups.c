/* groups.c (demo) - self-management groups as villages run them: the village doctor leads
 * a monthly meeting of 8-20 hypertension or diabetes patients (the township GP leads one a
 * quarter), each member comes with their own regularity (45-95%, about 70% overall), a few
 * join during the year and a few drop out. Everything through store/groups.c. */
#include "demo/groups.h"

#include <stdio.h>
#include <string.h>

#include "store/groups.h"
#include "store/registry.h"

#define MIN_MEMBERS 8
#define MAX_MEMBERS 20
#define MAX_CANDIDATES 400
#define MONTHS 12

static const char *const HYPERTENSION_TOPICS[MONTHS] = {"认识高血压：危害与自我监测",
                                                        "低盐饮食：每天不超过5克盐",
                                                        "如何正确测量家庭血压",
                                                        "规律服药与常见不良反应",
                                                        "运动处方：快走与八段锦",
                                                        "戒烟限酒与控制体重",
                                                        "情绪管理与睡眠",
                                                        "识别脑卒中早期信号",
                                                        "夏季血压波动与用药调整",
                                                        "冬季保暖与血压管理",
                                                        "家庭膳食搭配实操",
                                                        "年度总结与经验分享"};
static const char *const DIABETES_TOPICS[MONTHS] = {
    "认识糖尿病与并发症",   "饮食控制与食物交换份", "血糖自我监测与记录",   "胰岛素注射与保存",
    "低血糖的识别与处理",   "运动与血糖",           "糖尿病足的预防与护理", "眼底与肾脏检查",
    "口服降糖药的正确服用", "节假日饮食管理",       "心理调适与家庭支持",   "年度总结与经验分享"};
static const char *const MIXED_TOPICS[MONTHS] = {
    "慢病自我管理入门", "低盐低脂低糖饮食", "血压血糖自我监测", "规律服药与复诊",
    "适量运动与健身操", "戒烟限酒",         "体重与腰围管理",   "并发症早期识别",
    "心理调适与睡眠",   "家庭急救常识",     "季节变化与慢病",   "年度总结与经验分享"};

static const char *focus_of(int index)
{
    return index % 5 == 4 ? "mixed" : index % 3 == 2 ? "diabetes" : "hypertension";
}

static const char *const *topics_of(const char *focus)
{
    return !strcmp(focus, "diabetes") ? DIABETES_TOPICS
           : !strcmp(focus, "mixed")  ? MIXED_TOPICS
                                      : HYPERTENSION_TOPICS;
}

static const char *group_kind(const char *focus)
{
    return !strcmp(focus, "diabetes") ? "糖尿病" : !strcmp(focus, "mixed") ? "慢病" : "高血压";
}

struct member {
    int64_t id;
    struct date joined, left; /* left.year 0: still a member */
    double regularity;        /* chance of coming to a meeting */
};

static int member_on(const struct member *m, struct date d)
{
    return date_compare(m->joined, d) <= 0 && (m->left.year == 0 || date_compare(m->left, d) >= 0);
}

/* Picks the members among the candidates (a partial shuffle) with their join and leave dates. */
static int choose_members(struct rng *rng, struct date founded, struct date today, int64_t *pool,
                          int n, struct member *out)
{
    int k = rng_int(rng, MIN_MEMBERS, MAX_MEMBERS);
    if (k > n) k = n;
    long year = date_diff_days(today, founded);
    for (int i = 0; i < k; i++) {
        int j = rng_int(rng, i, n - 1);
        int64_t t = pool[i];
        pool[i] = pool[j];
        pool[j] = t;
        struct member *m = &out[i];
        memset(m, 0, sizeof *m);
        m->id = pool[i];
        m->joined = rng_chance(rng, 0.15) ? date_add_days(founded, rng_int(rng, 30, (int)year - 30))
                                          : founded;
        if (rng_chance(rng, 0.08))
            m->left =
                date_add_days(m->joined, rng_int(rng, 20, (int)date_diff_days(today, m->joined)));
        m->regularity = 0.45 + 0.5 * rng_unit(rng);
    }
    return k;
}

static int add_members(struct db *db, int64_t group, const struct member *members, int k)
{
    char joined[11], left[11];
    for (int i = 0; i < k; i++) {
        date_format(members[i].joined, joined);
        if (store_group_member_insert(db, group, members[i].id, joined) < 0) return -1;
        if (members[i].left.year) {
            date_format(members[i].left, left);
            if (store_group_member_leave(db, group, members[i].id, left) < 0) return -1;
        }
    }
    return 0;
}

/* One meeting a month on the group's day, the oldest first, none in the future. */
static int add_activities(struct db *db, struct rng *rng, struct date today, int64_t group,
                          const char *focus, const struct demo_group_site *site,
                          const struct member *members, int k)
{
    char doctor[64] = "", gp[64] = "", date[11];
    if (store_staff_name(db, site->village_doctor_staff, doctor, sizeof doctor) < 0 ||
        store_staff_name(db, site->gp_staff, gp, sizeof gp) < 0)
        return -1;
    int day = rng_int(rng, 5, 25);
    for (int month = MONTHS - 1; month >= 0; month--) {
        struct date d = date_add_months(today, -month);
        d.day = day <= date_days_in_month(d.year, d.month) ? day : d.day;
        if (date_compare(d, today) > 0) continue;
        date_format(d, date);
        int quarterly = month % 3 == 0;
        struct group_activity_input in = {
            .group_id = group,
            .leader_staff = quarterly ? site->gp_staff : site->village_doctor_staff,
            .activity_date = date,
            .topic = topics_of(focus)[MONTHS - 1 - month],
            .leader_name = quarterly ? gp : doctor,
            .note = rng_chance(rng, 0.3) ? "现场测量血压血糖，发放宣传资料" : NULL};
        int64_t attendees[MAX_MEMBERS];
        int n = 0;
        for (int i = 0; i < k; i++) {
            if (!member_on(&members[i], d)) continue;
            in.member_count++;
            if (rng_chance(rng, members[i].regularity)) attendees[n++] = members[i].id;
        }
        int64_t activity = store_group_activity_insert(db, &in);
        if (activity < 0) return -1;
        struct service_record use = {.kind = SOURCE_GROUP_ATTENDANCE, .date = d};
        for (int i = 0; i < n; i++)
            if (store_group_attendance_insert(db, activity, attendees[i]) < 0 ||
                store_entitlement_use(db, site->rules, attendees[i], activity, in.leader_staff,
                                      &use, NULL) < 0)
                return -1;
    }
    return 0;
}

int demo_group_for_village(struct db *db, struct rng *rng, struct date today,
                           const struct demo_group_site *site)
{
    const char *focus = focus_of(site->index);
    int64_t pool[MAX_CANDIDATES];
    int n = store_group_candidates(db, site->village_code, focus, pool, MAX_CANDIDATES);
    if (n < 0) return -1;
    if (n < MIN_MEMBERS) return 0;
    struct date founded = date_add_days(today, -rng_int(rng, 370, 420));
    char name[96], day[11], created[24], county[7];
    snprintf(name, sizeof name, "%s%s自我管理小组", site->village_name, group_kind(focus));
    date_format(founded, day);
    snprintf(created, sizeof created, "%sT01:30:00Z", day);
    snprintf(county, sizeof county, "%.6s", site->village_code);
    struct group_input in = {.name = name,
                             .focus = focus,
                             .region = site->village_code,
                             .county_code = county,
                             .team_id = site->team_id,
                             .leader_staff = site->village_doctor_staff,
                             .created_at = created};
    int64_t group = store_group_insert(db, &in);
    struct member members[MAX_MEMBERS];
    int k = choose_members(rng, founded, today, pool, n, members);
    if (group < 0 || add_members(db, group, members, k) < 0 ||
        add_activities(db, rng, today, group, focus, site, members, k) < 0)
        return -1;
    return 1;
}
