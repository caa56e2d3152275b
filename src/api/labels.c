/* labels.c - see labels.h. */
#include "api/labels.h"

#include <string.h>

struct code_label {
    const char *code, *zh, *en;
};

/* One table; a code that means something else in one field is written "field:code" there
 * ("child" is the programme, "relation:child" a household's child). */
static const struct code_label LABELS[] = {
    {"upcoming", "未到期", "Upcoming"},
    {"due", "待办", "Due"},
    {"overdue", "逾期", "Overdue"},
    {"missed", "漏访", "Missed"},
    {"followup", "随访", "Follow-up"},
    {"first_discovery", "首获核实", "Check a flagged person"},
    {"renewal", "续约", "Renewal"},
    {"referral_confirm", "确认转诊就诊", "Confirm referral seen"},
    {"referral_return", "接收转诊回转", "Take over a returned referral"},
    {"exam_abnormal", "体检异常", "Abnormal exam"},
    {"exam_review", "体检结论待判读", "Exam conclusion to review"},
    {"device_warning", "居家监测预警", "Home reading alert"},
    {"vaccination", "预防接种", "Vaccination"},
    {"tb_visit", "肺结核患者访视", "TB patient visit"},
    {"tb_report", "上报漏服药", "Report missed TB doses"},
    {"copd_visit", "慢阻肺随访", "COPD follow-up"},
    {"screening_invite", "癌症筛查邀请", "Cancer screening invitation"},
    {"cervical_screening", "宫颈癌筛查", "Cervical cancer screening"},
    {"breast_screening", "乳腺癌筛查", "Breast cancer screening"},
    {"colorectal_screening", "结直肠癌筛查", "Colorectal cancer screening"},
    {"post_visit_call", "诊后回访", "Post-visit call"},
    {"home_visit_annual", "年度免费上门服务", "Free annual home visit"},
    {"sickbed_round", "家庭病床巡诊", "Family sickbed round"},
    {"certificate_renewal", "慢病证续办", "Certificate renewal"},
    {"immunisation", "预防接种", "Immunisations"},
    {"hypertension", "高血压", "Hypertension"},
    {"diabetes", "2型糖尿病", "Type 2 diabetes"},
    {"smd", "严重精神障碍", "Severe mental disorder"},
    {"tb", "肺结核", "Tuberculosis"},
    {"copd", "慢阻肺", "COPD"},
    {"elderly", "65岁及以上老年人", "Elderly 65+"},
    {"child", "0–6岁儿童", "Children 0–6"},
    {"maternal", "孕产妇", "Maternal"},
    {"reached", "已接通", "Reached"},
    {"no_answer", "无人接听", "No answer"},
    {"wrong_number", "号码错误", "Wrong number"},
    {"moved", "已迁出", "Moved away"},
    {"died", "已死亡", "Died"},
    {"refused", "拒绝随访", "Refused"},
    {"M", "男", "Male"},
    {"F", "女", "Female"},
    /* residents */
    {"alive", "在册", "Alive"},
    {"deceased", "死亡", "Deceased"},
    {"moved_out", "迁出", "Moved out"},
    {"relation:head", "户主", "Head"},
    {"relation:spouse", "配偶", "Spouse"},
    {"relation:child", "子女", "Child"},
    {"relation:parent", "父母", "Parent"},
    {"relation:grandchild", "孙子女", "Grandchild"},
    {"relation:grandparent", "祖父母", "Grandparent"},
    {"relation:sibling", "兄弟姐妹", "Sibling"},
    {"relation:child_in_law", "儿媳/女婿", "Child-in-law"},
    {"relation:other", "其他", "Other"},
    /* contracts */
    {"scheduled", "待生效", "Scheduled"},
    {"active", "有效", "Active"},
    {"expired", "已到期", "Expired"},
    {"terminated", "已解约", "Terminated"},
    {"transferred", "已转签", "Transferred"},
    {"centralised", "集中签约", "Campaign"},
    {"clinic", "门诊", "Clinic"},
    {"home_visit", "入户", "Home visit"},
    {"online", "线上", "Online"},
    /* follow-ups */
    {"phone", "电话", "Phone"},
    {"device", "居家设备", "Home device"},
    {"controlled", "控制满意", "Controlled"},
    {"first_uncontrolled", "首次控制不满意", "First uncontrolled"},
    {"consecutive_uncontrolled", "连续两次控制不满意", "Uncontrolled twice"},
    {"emergency", "危急情况", "Emergency"},
    {"stable", "稳定", "Stable"},
    {"basically_stable", "基本稳定", "Basically stable"},
    {"unstable", "不稳定", "Unstable"},
    {"continue", "维持", "Continue"},
    {"adjust_medication", "调整用药", "Adjust medication"},
    {"refer", "转诊", "Refer"},
    {"urgent_refer", "紧急转诊", "Urgent referral"},
    {"regular", "规律", "Regular"},
    {"intermittent", "间断", "Intermittent"},
    {"none", "不服药", "None"},
    /* households */
    {"family:healthy", "一般家庭", "Ordinary"},
    {"family:high_risk", "高危家庭", "High-risk"},
    {"family:chronic", "慢病家庭", "Chronic illness"},
    {"family:disabled", "残疾人家庭", "Disability"},
    /* flags */
    {"flag:open", "待核实", "Open"},
    {"flag:confirmed", "已确认", "Confirmed"},
    {"flag:dismissed", "已排除", "Dismissed"},
    /* referrals */
    {"direction:up", "上转", "Up"},
    {"direction:down", "下转", "Down"},
    {"referral:requested", "待接收", "Requested"},
    {"referral:accepted", "已接收", "Accepted"},
    {"referral:declined", "已拒收", "Declined"},
    {"referral:seen", "已就诊", "Seen"},
    {"referral:returned", "已回转", "Returned"},
    {"referral:closed", "已结束", "Closed"},
    {"referral:cancelled", "已取消", "Cancelled"},
    {"booking:booked", "已预约", "Booked"},
    {"booking:cancelled", "已取消", "Cancelled"},
    {"booking:attended", "已就诊", "Attended"},
    {"booking:no_show", "爽约", "No show"},
    {"part:numerator", "分子", "Numerator"},
    {"part:denominator", "分母", "Denominator"},
    /* staff */
    {"profession:gp", "全科医生", "GP"},
    {"profession:specialist", "专科医生", "Specialist"},
    {"profession:nurse", "护士", "Nurse"},
    {"profession:public_health", "公卫医生", "Public health"},
    {"profession:village_doctor", "乡村医生", "Village doctor"},
    {"profession:health_manager", "健康管理师", "Health manager"},
    {"profession:pharmacist", "药师", "Pharmacist"},
    {"profession:assistant", "助理", "Assistant"},
    /* indicators */
    {"met", "达标", "Met"},
    {"near", "接近", "Near"},
    {"below", "未达标", "Below"},
};

static const struct code_label *find(const char *field, const char *code)
{
    size_t n = field ? strlen(field) : 0;
    for (size_t i = 0; i < sizeof LABELS / sizeof *LABELS; i++) {
        const char *c = LABELS[i].code;
        if (field && !(strncmp(c, field, n) == 0 && c[n] == ':')) continue;
        if (strcmp(field ? c + n + 1 : c, code) == 0) return &LABELS[i];
    }
    return NULL;
}

const char *api_label_of(const char *field, const char *code, int en)
{
    if (!code) return "";
    const struct code_label *l = field ? find(field, code) : NULL;
    if (!l) l = find(NULL, code);
    return l ? (en ? l->en : l->zh) : code;
}

const char *api_label(const char *code, int en)
{
    return api_label_of(NULL, code, en);
}
