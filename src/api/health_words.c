/* health_words.c - the resident's words: see health_words.h. Written for someone of 70
 * reading on a phone: short sentences, what it means and what to do, no codes, no staff
 * terms (no 分类, 转诊 codes, 人群分类, 建档立卡). The English is plain British-style
 * patient English. Keys are grouped by the part of the summary that uses them. */
#include "api/health_words.h"

#include <stdarg.h>
#include <string.h>

#include "util/sbuf.h"

struct health_word {
    const char *key, *zh, *en;
};

static const struct health_word WORDS[] = {
    /* The programmes a person is in (项目), by their plain names. */
    {"programme.hypertension", "高血压健康管理", "Blood pressure care"},
    {"programme.diabetes", "糖尿病健康管理", "Diabetes care"},
    {"programme.smd", "精神健康管理", "Mental health care"},
    {"programme.tb", "肺结核健康管理", "Tuberculosis care"},
    {"programme.copd", "慢阻肺健康管理", "Chronic lung disease care"},
    {"programme.elderly", "老年人健康管理", "Health care for older people"},
    {"programme.child", "儿童健康管理", "Child health care"},
    {"programme.maternal", "孕产妇健康管理", "Pregnancy and new mother care"},
    {"programme.other", "健康管理", "Health care"},

    /* What a follow-up of each programme is called. */
    {"visit.hypertension", "高血压随访", "Blood pressure check-up"},
    {"visit.diabetes", "糖尿病随访", "Diabetes check-up"},
    {"visit.smd", "精神健康随访", "Mental health check-up"},
    {"visit.elderly", "老年人健康评估", "Yearly health assessment"},
    {"visit.child", "儿童健康检查", "Child health check"},
    {"visit.maternal", "孕产期检查", "Pregnancy check"},
    {"visit.other", "随访", "Check-up"},

    /* The result of a follow-up, by what the doctor decided (continue, adjust the medicine,
     * send to a specialist, send urgently); "_high" when the reading itself was off target. */
    {"result.hypertension.continue", "血压控制良好，请继续按医嘱服药",
     "Your blood pressure is well controlled. Keep taking your medicine as prescribed."},
    {"result.hypertension.adjust_high", "血压偏高，医生调整了用药，请两周内复查",
     "Your blood pressure was high. The doctor changed your medicine; please come back within two "
     "weeks."},
    {"result.hypertension.adjust", "医生调整了用药，请两周内复查",
     "The doctor changed your medicine; please come back within two weeks."},
    {"result.hypertension.refer_high", "血压仍然偏高，医生建议您到上级医院就诊",
     "Your blood pressure is still high. The doctor advises you to see a hospital specialist."},
    {"result.hypertension.refer", "医生建议您到上级医院就诊",
     "The doctor advises you to see a hospital specialist."},
    {"result.hypertension.urgent_refer", "请尽快到上级医院就诊",
     "Please go to a hospital as soon as possible."},
    {"result.diabetes.continue", "血糖控制良好，请继续按医嘱服药",
     "Your blood sugar is well controlled. Keep taking your medicine as prescribed."},
    {"result.diabetes.adjust_high", "血糖偏高，医生调整了用药，请两周内复查",
     "Your blood sugar was high. The doctor changed your medicine; please come back within two "
     "weeks."},
    {"result.diabetes.adjust", "医生调整了用药，请两周内复查",
     "The doctor changed your medicine; please come back within two weeks."},
    {"result.diabetes.refer_high", "血糖仍然偏高，医生建议您到上级医院就诊",
     "Your blood sugar is still high. The doctor advises you to see a hospital specialist."},
    {"result.diabetes.refer", "医生建议您到上级医院就诊",
     "The doctor advises you to see a hospital specialist."},
    {"result.diabetes.urgent_refer", "请尽快到上级医院就诊",
     "Please go to a hospital as soon as possible."},
    {"result.smd.continue", "病情稳定，请继续按医嘱服药",
     "You are doing well. Keep taking your medicine as prescribed."},
    {"result.smd.adjust", "病情有些波动，医生调整了治疗，请两周内复诊",
     "Things have been less settled. The doctor changed your treatment; please come back within "
     "two weeks."},
    {"result.smd.refer", "医生建议您到精神专科医院复诊",
     "The doctor advises you to see a mental health specialist."},
    {"result.smd.urgent_refer", "请尽快到精神专科医院就诊",
     "Please see a mental health specialist as soon as possible."},
    {"result.elderly.green", "健康评估已完成，身体状况良好",
     "Health assessment done: you are in good shape."},
    {"result.elderly.yellow", "健康评估已完成，请多注意身体，医生会定期来看您",
     "Health assessment done. Take good care of yourself; your doctor will check on you "
     "regularly."},
    {"result.elderly.red", "健康评估已完成，需要重点关照，医生会经常上门看望您",
     "Health assessment done. You need extra care; your doctor will visit you often at home."},
    {"result.elderly.done", "健康评估已完成", "Health assessment done."},
    {"result.child.done", "儿童健康检查已完成", "Child health check done."},
    {"result.maternal.green", "产检已完成，情况良好", "Pregnancy check done: all is well."},
    {"result.maternal.yellow", "产检已完成，有需要注意的地方，请按时产检",
     "Pregnancy check done. There is something to watch; please keep every check-up."},
    {"result.maternal.orange", "需要多加注意，请按医生安排到县级以上医院产检和分娩",
     "Extra care is needed: please have your checks and the birth at a county hospital or above, "
     "as the doctor arranges."},
    {"result.maternal.red", "风险较高，请尽快到上级医院就诊",
     "There is a higher risk: please go to a hospital as soon as possible."},
    {"result.maternal.purple", "请按医生安排到指定医院检查和治疗",
     "Please have checks and treatment at the hospital the doctor names."},
    {"result.maternal.done", "产检已完成", "Pregnancy check done."},
    {"result.other", "随访已完成", "Check-up done."},

    /* The latest reading in words ("controlled" for someone in that programme). */
    {"bp.normal", "血压正常", "Blood pressure normal"},
    {"bp.controlled", "血压控制良好", "Blood pressure well controlled"},
    {"bp.high", "血压偏高，请按医嘱服药并按时复查",
     "Blood pressure high: take your medicine and keep your check-ups"},
    {"bp.very_high", "血压很高，请尽快就医", "Blood pressure very high: please see a doctor soon"},
    {"bp.low", "血压偏低，如有头晕乏力请联系医生",
     "Blood pressure low: call your doctor if you feel dizzy or weak"},
    {"glucose.normal", "空腹血糖正常", "Fasting blood sugar normal"},
    {"glucose.controlled", "血糖控制良好", "Blood sugar well controlled"},
    {"glucose.high", "空腹血糖偏高，请注意饮食并按时复查",
     "Fasting blood sugar high: watch what you eat and keep your check-ups"},
    {"glucose.very_high", "血糖很高，请尽快就医",
     "Blood sugar very high: please see a doctor soon"},
    {"glucose.very_low", "血糖偏低，请马上吃点含糖的食物并联系医生",
     "Blood sugar low: eat something sweet now and call your doctor"},

    /* Physical examination results: each abnormal result named, and the whole in a line. */
    {"exam.bp_high", "血压偏高", "Blood pressure high"},
    {"exam.bp_very_high", "血压很高，请尽快就医",
     "Blood pressure very high: please see a doctor soon"},
    {"exam.fbg_high", "空腹血糖偏高", "Fasting blood sugar high"},
    {"exam.fbg_very_high", "空腹血糖很高，请尽快就医",
     "Fasting blood sugar very high: please see a doctor soon"},
    {"exam.fbg_low", "空腹血糖偏低，请尽快就医",
     "Fasting blood sugar low: please see a doctor soon"},
    {"exam.tc_high", "总胆固醇偏高", "Total cholesterol high"},
    {"exam.tg_high", "甘油三酯偏高", "Triglycerides (blood fats) high"},
    {"exam.ldl_high", "低密度脂蛋白胆固醇（“坏胆固醇”）偏高", "LDL (\"bad\") cholesterol high"},
    {"exam.hdl_low", "高密度脂蛋白胆固醇（“好胆固醇”）偏低", "HDL (\"good\") cholesterol low"},
    {"exam.overweight", "体重超重", "Overweight"},
    {"exam.obese", "肥胖", "Obesity"},
    {"exam.ecg_abnormal", "心电图异常，请遵医嘱复查",
     "Heart tracing (ECG) not normal: have it checked again as your doctor advises"},
    {"exam.ultrasound_abnormal", "B超异常，请遵医嘱复查",
     "Ultrasound not normal: have it checked again as your doctor advises"},
    {"exam.ecg_review", "心电图结论需要医生看一下", "Your ECG report needs a doctor's reading"},
    {"exam.ultrasound_review", "B超结论需要医生看一下",
     "Your ultrasound report needs a doctor's reading"},
    {"exam.other", "有一项结果需要复查", "One result needs checking again"},
    {"exam.none", "体检结果未见异常", "No abnormal results"},
    {"exam.one", "有 1 项结果需要注意", "1 result needs attention"},
    {"exam.some", "有 {n} 项结果需要注意", "{n} results need attention"},
    {"exam.item.bp", "血压", "Blood pressure"},
    {"exam.item.fbg", "空腹血糖", "Fasting blood sugar"},
    {"exam.item.tc", "总胆固醇", "Total cholesterol"},
    {"exam.item.tg", "甘油三酯", "Triglycerides"},
    {"exam.item.ldl", "低密度脂蛋白胆固醇", "LDL cholesterol"},
    {"exam.item.hdl", "高密度脂蛋白胆固醇", "HDL cholesterol"},
    {"exam.item.height", "身高", "Height"},
    {"exam.item.weight", "体重", "Weight"},
    {"exam.item.bmi", "体重指数（BMI）", "Body mass index (BMI)"},
    {"exam.item.ecg", "心电图", "Heart tracing (ECG)"},
    {"exam.item.ultrasound", "B超", "Ultrasound"},

    /* What is due next (the open tasks), and when. */
    {"task.exam_abnormal", "体检结果复查", "Recheck of your examination results"},
    {"task.device_warning", "家用设备读数复查", "Check on an unusual home reading"},
    {"task.exam_review", "医生查看您的体检结论", "Your doctor reads your examination report"},
    {"task.referral_confirm", "到转诊的医院就诊",
     "Your visit to the hospital you were referred to"},
    {"task.referral_return", "医院转回后到家庭医生处复诊",
     "A visit to your family doctor after the hospital"},
    {"task.renewal", "家庭医生签约续约", "Renewing your family doctor contract"},
    {"task.other", "家庭医生服务", "Family doctor appointment"},
    {"due.upcoming", "下次{what}：{date} 前", "{what}: next one by {date}"},
    {"due.due", "{what}：现在就可以去做，请在 {date} 前完成",
     "{what}: due now, please go by {date}"},
    {"due.late", "{what}：已过期（应在 {date} 前），请尽快联系家庭医生",
     "{what}: overdue (was due by {date}), please contact your family doctor soon"},

    /* A child's checks and a pregnancy's, point by point. */
    {"schedule.child", "孩子的健康检查", "Child health checks"},
    {"schedule.maternal", "孕产期检查", "Pregnancy checks"},
    {"schedule.weeks", "怀孕第 {n} 周", "{n} weeks pregnant"},
    {"schedule.next", "下一次：{what}，{from} 至 {to}", "Next: {what}, between {from} and {to}"},
    {"schedule.next_due", "现在该做：{what}，请在 {to} 前完成", "Due now: {what}, by {to}"},
    {"schedule.all_done", "所有检查都已完成", "All checks are done"},
    {"point.newborn", "新生儿家庭访视", "Newborn home visit"},
    {"point.month_1", "满月健康检查", "One-month check"},
    {"point.m3", "3月龄健康检查", "3-month check"},
    {"point.m6", "6月龄健康检查", "6-month check"},
    {"point.m8", "8月龄健康检查", "8-month check"},
    {"point.m12", "1岁健康检查", "1-year check"},
    {"point.m18", "1岁半健康检查", "18-month check"},
    {"point.m24", "2岁健康检查", "2-year check"},
    {"point.m30", "2岁半健康检查", "30-month check"},
    {"point.m36", "3岁健康检查", "3-year check"},
    {"point.y4", "4岁健康检查", "4-year check"},
    {"point.y5", "5岁健康检查", "5-year check"},
    {"point.y6", "6岁健康检查", "6-year check"},
    {"point.first_visit", "孕早期检查（怀孕13周前）", "First pregnancy check (before 13 weeks)"},
    {"point.w16_20", "孕16～20周产检", "Check at 16-20 weeks"},
    {"point.w21_24", "孕21～24周产检", "Check at 21-24 weeks"},
    {"point.w28_36", "孕28～36周产检", "Check at 28-36 weeks"},
    {"point.w37_40", "孕37～40周产检", "Check at 37-40 weeks"},
    {"point.postpartum_visit", "产后家庭访视", "Home visit after the birth"},
    {"point.postpartum_42d", "产后42天健康检查", "Check six weeks after the birth"},
    {"point.other", "健康检查", "Health check"},
    {"point.done", "已完成（{date}）", "Done ({date})"},
    {"point.due", "现在该做，请在 {to} 前完成", "Due now, by {to}"},
    {"point.upcoming", "{from} 至 {to}", "Between {from} and {to}"},
    {"point.missed", "未按时完成", "Not done in time"},
};

#define WORD_COUNT ((int)(sizeof WORDS / sizeof WORDS[0]))

const char *health_word(const char *key, int en)
{
    for (int i = 0; key && i < WORD_COUNT; i++)
        if (strcmp(WORDS[i].key, key) == 0) return en ? WORDS[i].en : WORDS[i].zh;
    return NULL;
}

/* The value given for placeholder `name` (n bytes) among the pairs, or NULL. */
static const char *value_for(const char *name, size_t n, const char *const *pairs, int count)
{
    for (int i = 0; i + 1 < count; i += 2)
        if (strlen(pairs[i]) == n && strncmp(pairs[i], name, n) == 0) return pairs[i + 1];
    return NULL;
}

#define MAX_PAIRS 8

json_t *health_words_json(int en, const char *key, const char *fallback, ...)
{
    const char *text = health_word(key, en);
    if (!text) text = health_word(fallback, en);
    if (!text) return NULL;
    const char *pairs[2 * MAX_PAIRS];
    int count = 0;
    va_list ap;
    va_start(ap, fallback);
    for (const char *s; count < 2 * MAX_PAIRS && (s = va_arg(ap, const char *)) != NULL;)
        pairs[count++] = s;
    va_end(ap);
    struct sbuf b;
    sbuf_init(&b);
    for (const char *p = text; *p;) {
        const char *open = strchr(p, '{'), *close = open ? strchr(open, '}') : NULL;
        if (!open || !close) {
            sbuf_puts(&b, p);
            break;
        }
        const char *value = value_for(open + 1, (size_t)(close - open - 1), pairs, count);
        sbuf_append(&b, p, (size_t)(open - p));
        if (value)
            sbuf_puts(&b, value);
        else
            sbuf_append(&b, open, (size_t)(close - open + 1));
        p = close + 1;
    }
    json_t *out = sbuf_failed(&b) ? NULL : json_string(sbuf_cstr(&b));
    sbuf_free(&b);
    return out;
}

int health_words_count(void)
{
    return WORD_COUNT;
}

void health_words_entry(int i, const char **key, const char **zh, const char **en)
{
    *key = i >= 0 && i < WORD_COUNT ? WORDS[i].key : NULL;
    *zh = i >= 0 && i < WORD_COUNT ? WORDS[i].zh : NULL;
    *en = i >= 0 && i < WORD_COUNT ? WORDS[i].en : NULL;
}
