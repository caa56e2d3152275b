/* records.c (demo) - see records.h. Draws from its own generator seeded by the resident
 * id, so adding exams did not change any other part of the demo county. */
#include "demo/records.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "domain/screening.h"
#include "store/followups.h"
#include "store/records.h"
#include "store/work.h"

#define EXAM_COVERAGE_ELDERLY 0.72 /* Changning reports ~70% of residents 65+ examined a year */
#define EXAM_COVERAGE_CHRONIC 0.30
#define HOME_MONITOR_SHARE 0.04
#define RECENT_DAYS 30 /* abnormal results older than this were gone through already */

static double normal(struct rng *r, double mean, double sd)
{
    double u = rng_unit(r), v = rng_unit(r);
    if (u < 1e-12) u = 1e-12;
    return mean + sd * sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static int task_for(struct db *db, const struct demo_patient *p, const char *kind, const char *note,
                    struct date due, int64_t *task)
{
    char due_text[11];
    date_format(due, due_text);
    struct task_input t = {p->id, p->team_id, p->doctor_staff, 0, kind, NULL, due_text,
                           NULL,  note,       p->county};
    return (*task = store_task_insert(db, &t)) < 0 ? -1 : 0;
}

static int exam(struct db *db, struct rng *r, struct date today, const struct demo_patient *p,
                const struct protocol_config *config)
{
    /* The exam campaign runs in spring; a few are examined at other times. */
    struct date day = rng_chance(r, 0.7)
                          ? (struct date){today.year, rng_int(r, 3, 6), rng_int(r, 1, 28)}
                          : date_add_days(today, -rng_int(r, 1, 330));
    if (date_compare(day, today) > 0) day = date_add_years(day, -1);
    struct exam_values v = {.has_sbp = 1,
                            .has_dbp = 1,
                            .has_fbg = 1,
                            .has_tc = 1,
                            .has_tg = 1,
                            .has_ldl = 1,
                            .has_hdl = 1,
                            .has_bmi = 1};
    v.sbp = clamp((int)normal(r, p->hypertension ? 142 : 128, 15), 90, 210);
    v.dbp = clamp((int)normal(r, p->hypertension ? 86 : 78, 9), 50, v.sbp - 20);
    v.fbg_tenths =
        clamp((int)(10 * normal(r, p->diabetes ? 7.4 : 5.4, p->diabetes ? 1.6 : 0.6)), 35, 220);
    v.tc_hundredths = clamp((int)(100 * normal(r, 4.9, 0.9)), 250, 900);
    v.tg_hundredths = clamp((int)(100 * normal(r, 1.6, 0.7)), 40, 800);
    v.ldl_hundredths = clamp((int)(100 * normal(r, 2.9, 0.7)), 80, 600);
    v.hdl_hundredths = clamp((int)(100 * normal(r, 1.3, 0.3)), 50, 300);
    int height = clamp((int)(10 * normal(r, 158, 8)), 1350, 1900);
    int weight = clamp((int)(10 * normal(r, 60, 10)), 350, 1200);
    v.bmi_tenths = exam_bmi_tenths(height, weight);
    /* Conclusions as exam centres write them: mostly normal, some abnormal, and a few the
     * default term lists do not know (顺钟向转位, 钙化灶), which ask a doctor to read them. The
     * pools keep their draws (one rng_int each) so nothing else in the county moves. */
    static const char *const ECG[] = {"窦性心律",
                                      "1.窦性心律 2.正常心电图",
                                      "窦性心律，大致正常心电图",
                                      "窦性心动过缓",
                                      "窦性心律 ST-T改变",
                                      "窦性心律，房性早搏",
                                      "窦性心律 ST-T改变 房性早搏",
                                      "窦性心律 左室高电压",
                                      "窦性心律 顺钟向转位"};
    static const char *const US[] = {"肝胆胰脾未见明显异常",
                                     "肝胆胰脾双肾未见明显异常",
                                     "脂肪肝（轻度）",
                                     "胆囊结石",
                                     "肝囊肿",
                                     "胆囊息肉",
                                     "肝内钙化灶"};
    v.ecg = rng_chance(r, 0.85) ? ECG[rng_int(r, 0, 2)] : ECG[rng_int(r, 3, 8)];
    v.ultrasound = rng_chance(r, 0.75) ? US[rng_int(r, 0, 1)] : US[rng_int(r, 2, 6)];
    /* The demo's database is new: the lists in force are the built-in ones. */
    struct exam_terms terms = exam_terms_default();
    struct exam_readings readings;
    exam_abnormal_set set = exam_evaluate(&v, config, &terms, &readings);
    char date[11], codes[300] = "[", note[600];
    date_format(day, date);
    for (int a = 0; a < EXAM_ABNORMAL_COUNT; a++)
        if (set & EXAM_BIT(a))
            snprintf(codes + strlen(codes), sizeof codes - strlen(codes), "%s\"%s\"",
                     codes[1] ? "," : "", exam_abnormal_code((enum exam_abnormal)a));
    strcat(codes, "]");
    struct exam_result_input in = {.resident_id = p->id,
                                   .exam_date = date,
                                   .county_code = p->county,
                                   .abnormal = codes,
                                   .has_sbp = 1,
                                   .sbp = v.sbp,
                                   .has_dbp = 1,
                                   .dbp = v.dbp,
                                   .has_fbg = 1,
                                   .fbg_tenths = v.fbg_tenths,
                                   .has_tc = 1,
                                   .tc_hundredths = v.tc_hundredths,
                                   .has_tg = 1,
                                   .tg_hundredths = v.tg_hundredths,
                                   .has_ldl = 1,
                                   .ldl_hundredths = v.ldl_hundredths,
                                   .has_hdl = 1,
                                   .hdl_hundredths = v.hdl_hundredths,
                                   .has_height = 1,
                                   .height_cm_tenths = height,
                                   .has_weight = 1,
                                   .weight_kg_tenths = weight,
                                   .has_bmi = v.bmi_tenths > 0,
                                   .bmi_tenths = v.bmi_tenths,
                                   .ecg = v.ecg,
                                   .ultrasound = v.ultrasound};
    int64_t id = store_exam_result_upsert(db, &in), task = 0;
    if (id < 0) return -1;
    if (date_diff_days(today, day) > RECENT_DAYS) return 0;
    if (exam_needs_task(set)) {
        exam_task_note(set, note, sizeof note);
        if (task_for(db, p, "exam_abnormal", note,
                     exam_is_urgent(set) ? day : date_add_days(day, 14), &task) < 0)
            return -1;
    } else if (exam_needs_review(set)) {
        exam_review_note(set, &readings, note, sizeof note);
        if (task_for(db, p, "exam_review", note, date_add_days(day, 14), &task) < 0) return -1;
    } else {
        return 0;
    }
    return store_exam_result_set_task(db, id, task);
}

static int home_monitor(struct db *db, struct rng *r, struct date today,
                        const struct demo_patient *p, const struct protocol_config *config)
{
    char hash[65];
    snprintf(hash, sizeof hash, "demo-device-%lld", (long long)p->id); /* no token opens it */
    int64_t device = store_device_insert(db, p->id, "bp_monitor", "家用电子血压计", hash, 0),
            task = 0;
    if (device < 0) return -1;
    for (int day = 30; day >= 1; day -= rng_int(r, 1, 3)) {
        struct device_reading v = {1, clamp((int)normal(r, 138, 13), 95, 200), 1, 0, 0, 0};
        v.dbp = clamp((int)normal(r, 84, 8), 55, v.sbp - 20);
        const char *reason;
        enum reading_level level = device_reading_check(&v, config, &reason);
        char at[32], date[11];
        date_format(date_add_days(today, -day), date);
        snprintf(at, sizeof at, "%sT%02d:%02d:00+08:00", date, rng_int(r, 6, 8), rng_int(r, 0, 59));
        if (level != READING_NORMAL && !task && day <= 7 &&
            task_for(db, p, "device_warning", reason, date_add_days(today, -day + 3), &task) < 0)
            return -1;
        struct observation_input o = {p->id,
                                      device,
                                      level != READING_NORMAL ? task : 0,
                                      at,
                                      reading_level_name(level),
                                      reason,
                                      p->county,
                                      1,
                                      v.sbp,
                                      1,
                                      v.dbp,
                                      1,
                                      clamp((int)normal(r, 74, 9), 48, 120),
                                      0,
                                      0};
        if (store_observation_insert(db, &o) < 0) return -1;
    }
    return 0;
}

int demo_records_for(struct db *db, struct date today, const struct demo_patient *p)
{
    struct rng r = {(uint64_t)p->id * 0x9E3779B97F4A7C15ull ^ 0xE4A3};
    int age = date_age_years(p->birth, today);
    static struct protocol_config config;
    static int loaded;
    if (!loaded) config = store_protocol_config(db), loaded = 1;
    int chronic = p->hypertension || p->diabetes;
    if (rng_chance(&r, age >= 65 ? EXAM_COVERAGE_ELDERLY
                       : chronic ? EXAM_COVERAGE_CHRONIC
                                 : 0) &&
        exam(db, &r, today, p, &config) < 0)
        return -1;
    if (p->hypertension && rng_chance(&r, HOME_MONITOR_SHARE) &&
        home_monitor(db, &r, today, p, &config) < 0)
        return -1;
    return 0;
}
