/* showcase.c (demo) - see showcase.h. */
#include "demo/showcase.h"

#include <stdio.h>

#include "domain/screening.h"
#include "store/population.h"
#include "store/records.h"
#include "store/residents.h"
#include "store/work.h"

/* One first discovery, confirmed `confirmed_ago` days before today, its task due 7 days after. */
static int discovery(struct db *db, struct date today, const struct demo_showcase_team *team,
                     int64_t resident, const char *reason, const char *note, int confirmed_ago)
{
    char raised[24], due[11];
    struct date found = date_add_days(today, -confirmed_ago - 2);
    date_format(found, raised);
    snprintf(raised + 10, sizeof raised - 10, "T02:30:00Z");
    date_format(date_add_days(today, 7 - confirmed_ago), due);
    int64_t flag = store_flag_insert(db, resident, reason, note, 0, team->village_staff, raised);
    if (flag < 0 || store_flag_decide(db, flag, "confirmed", 0, "团队已确认，纳入工作清单") != 1)
        return -1;
    struct task_input t = {resident, team->team_id, team->gp_staff, flag, "first_discovery",
                           NULL,     due,           NULL,           note, team->county};
    if (store_task_insert(db, &t) < 0) return -1;
    return store_recompute_household(db, store_resident_household(db, resident), resident, today);
}

/* An exam two days ago whose ECG conclusion the built-in term lists do not know (顺钟向转位,
 * clockwise rotation), read by the same rule as an import, and the review task it opens. */
static int exam_to_review(struct db *db, struct date today, const struct demo_showcase_team *team,
                          int64_t resident)
{
    struct exam_values v = {.has_sbp = 1,
                            .sbp = 126,
                            .has_dbp = 1,
                            .dbp = 78,
                            .ecg = "窦性心律 顺钟向转位",
                            .ultrasound = "肝胆胰脾未见明显异常"};
    struct protocol_config config = protocol_config_default();
    struct exam_terms terms = exam_terms_default();
    struct exam_readings readings;
    exam_abnormal_set set = exam_evaluate(&v, &config, &terms, &readings);
    if (set != EXAM_BIT(EXAM_ECG_REVIEW)) {
        fputs("demo showcase: the built-in lists now know 顺钟向转位; pick other wording\n",
              stderr);
        return -1;
    }
    char day[11], due[11], note[200];
    date_format(date_add_days(today, -2), day);
    date_format(date_add_days(today, 12), due);
    exam_review_note(set, &readings, note, sizeof note);
    struct exam_result_input in = {.resident_id = resident,
                                   .exam_date = day,
                                   .county_code = team->county,
                                   .abnormal = "[\"ecg_review\"]",
                                   .has_sbp = 1,
                                   .sbp = v.sbp,
                                   .has_dbp = 1,
                                   .dbp = v.dbp,
                                   .ecg = v.ecg,
                                   .ultrasound = v.ultrasound};
    int64_t exam = store_exam_result_upsert(db, &in);
    struct service_record use = {
        .kind = SOURCE_EXAM, .date = date_add_days(today, -2), .has_ecg = 1};
    if (exam < 0 || store_entitlement_use(db, team->rules, resident, exam, 0, &use, NULL) < 0)
        return -1;
    struct task_input t = {.resident_id = resident,
                           .team_id = team->team_id,
                           .doctor_id = team->gp_staff,
                           .kind = "exam_review",
                           .due_date = due,
                           .note = note,
                           .county_code = team->county};
    int64_t task = exam < 0 ? -1 : store_task_insert(db, &t);
    return task < 0 ? -1 : store_exam_result_set_task(db, exam, task);
}

int demo_showcase_work(struct db *db, struct date today, const struct demo_showcase_team *team,
                       const int64_t *residents, int count)
{
    if (count < 1) return 0;
    if (discovery(db, today, team, residents[0], "suspected_hypertension",
                  "入户时测血压 152/96 mmHg，未确诊", 3) < 0 ||
        discovery(db, today, team, residents[1 % count], "elderly_living_alone",
                  "独居老人，子女在外务工", 20) < 0 ||
        discovery(db, today, team, residents[2 % count], "fall_risk", "近期跌倒一次，行走不稳",
                  110) < 0 ||
        exam_to_review(db, today, team, residents[3 % count]) < 0)
        return -1;
    return 0;
}
