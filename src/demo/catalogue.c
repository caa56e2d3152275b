/* catalogue.c - a realistic package catalogue after the field reports: a free basic package
 * paid by public funds, personalised packages at 50, 100-150 and 200-800 yuan (the Dafeng
 * tiers), and the two 120-yuan splits of PROTOCOLS.md §10 (10/25/65 per cent; 20 + 70 + 30
 * yuan). Items carry their standardised workload weight (标化工作量). */
#include "demo/catalogue.h"

#include <string.h>

#include "store/packages.h"
#include "store/contracts.h"

#define P(payer, kind, value)                                                                      \
    {                                                                                              \
        payer, kind, value                                                                         \
    }
#define COUNT(a) (int)(sizeof(a) / sizeof((a)[0]))

static const struct package_item_input BASIC_ITEMS[] = {
    {"record_management", "健康档案管理", "Health record management", 1, 0.5},
    {"health_assessment", "年度健康评估", "Annual health assessment", 1, 1.0},
    {"bp_measurement", "血压测量", "Blood pressure measurement", 4, 0.2},
    {"health_education", "健康教育", "Health education", 4, 0.2},
    {"priority_booking", "优先预约转诊", "Priority specialist booking", 1, 0.5},
};
static const struct package_item_input ELDERLY_ITEMS[] = {
    {"physical_exam", "老年人年度体检", "Annual physical exam for the elderly", 1, 2.0},
    {"home_visit", "上门随访", "Home visit", 2, 1.5},
    {"tcm_constitution", "中医体质辨识", "TCM constitution assessment", 1, 0.8},
    {"bp_glucose_monitoring", "血压血糖监测", "Blood pressure and glucose monitoring", 4, 0.3},
};
static const struct package_item_input HTN_ITEMS[] = {
    {"bp_followup", "高血压随访", "Hypertension follow-up", 4, 1.0},
    {"lab_glucose_lipids", "血糖血脂检测", "Glucose and lipid tests", 1, 0.8},
    {"ecg", "心电图", "Electrocardiogram", 1, 0.6},
    {"long_prescription", "长处方", "Long prescription (4-8 weeks)", 2, 0.5},
    {"home_visit", "上门随访", "Home visit", 2, 1.5},
    {"priority_booking", "优先预约专家号", "Priority specialist booking", 2, 0.5},
};
static const struct package_item_input DM_ITEMS[] = {
    {"glucose_followup", "血糖随访", "Diabetes follow-up with fasting glucose", 4, 1.0},
    {"hba1c", "糖化血红蛋白检测", "HbA1c test", 1, 0.8},
    {"fundus_exam", "眼底检查", "Fundus examination", 1, 0.8},
    {"foot_exam", "足部检查", "Diabetic foot examination", 1, 0.5},
    {"long_prescription", "长处方", "Long prescription (4-8 weeks)", 2, 0.5},
};
static const struct package_item_input MCH_ITEMS[] = {
    {"antenatal_guidance", "孕期保健指导", "Antenatal guidance", 5, 0.8},
    {"postpartum_visit", "产后访视", "Postpartum home visit", 2, 1.5},
    {"newborn_visit", "新生儿访视", "Newborn home visit", 1, 1.5},
    {"child_growth", "儿童生长发育监测", "Child growth monitoring", 4, 0.5},
};
static const struct package_item_input DISABLED_ITEMS[] = {
    {"rehab_guidance", "康复指导", "Rehabilitation guidance", 4, 1.0},
    {"home_visit", "上门随访", "Home visit", 4, 1.5},
    {"device_assessment", "辅具适配评估", "Assistive device assessment", 1, 1.0},
};
static const struct package_item_input COPD_ITEMS[] = {
    {"spirometry", "肺功能检查", "Spirometry", 1, 1.0},
    {"copd_followup", "慢阻肺随访", "COPD follow-up", 4, 1.0},
    {"vaccination_guidance", "疫苗接种指导", "Vaccination guidance", 1, 0.3},
    {"oxygen_guidance", "家庭氧疗指导", "Home oxygen guidance", 2, 0.8},
};
/* Cancer screening (癌症早筛): the screenings jiayi invites to (domain/cancer_screening.h);
 * a man is invited to the colorectal one only. */
static const struct package_item_input CANCER_ITEMS[] = {
    {"cervical_screening", "宫颈癌筛查", "Cervical cancer screening", 1, 1.0},
    {"breast_screening", "乳腺癌筛查", "Breast cancer screening", 1, 1.0},
    {"colorectal_screening", "结直肠癌筛查", "Colorectal cancer screening", 1, 0.8},
};
static const struct package_item_input TCM_ITEMS[] = {
    {"tcm_consultation", "中医诊疗", "TCM consultation", 4, 0.8},
    {"acupuncture", "针灸推拿", "Acupuncture and massage", 6, 1.0},
    {"tcm_constitution", "中医体质辨识", "TCM constitution assessment", 1, 0.8},
};
static const struct package_item_input BUTLER_ITEMS[] = {
    {"doctor_on_call", "家庭医生电话咨询", "Family doctor on call", 12, 0.3},
    {"home_visit", "上门服务", "Home visit", 6, 1.5},
    {"priority_booking", "优先预约专家号", "Priority specialist booking", 4, 0.5},
    {"physical_exam", "年度体检", "Annual physical exam", 1, 2.0},
    {"long_prescription", "长处方", "Long prescription (4-8 weeks)", 4, 0.5},
};

static const struct fee_rule PUBLIC_FREE[] = {P("public_funds", FEE_FIXED, 0)};
static const struct fee_rule ELDERLY_RULES[] = {P("resident", FEE_FIXED, 2000),
                                                P("county", FEE_FIXED, 3000)};
static const struct fee_rule HTN_RULES[] = {P("resident", FEE_PERCENT, 1000),
                                            P("city", FEE_PERCENT, 2500),
                                            P("district", FEE_PERCENT, 6500)};
static const struct fee_rule DM_RULES[] = {P("resident", FEE_FIXED, 2000),
                                           P("insurance", FEE_FIXED, 7000),
                                           P("public_funds", FEE_FIXED, 3000)};
static const struct fee_rule MCH_RULES[] = {P("resident", FEE_PERCENT, 3000),
                                            P("insurance", FEE_PERCENT, 7000)};
static const struct fee_rule COUNTY_ALL[] = {P("county", FEE_PERCENT, 10000)};
static const struct fee_rule COPD_RULES[] = {P("resident", FEE_PERCENT, 3000),
                                             P("insurance", FEE_PERCENT, 7000)};
static const struct fee_rule RESIDENT_ALL[] = {P("resident", FEE_PERCENT, 10000)};

int catalogue_build(struct db *db)
{
    const struct package_input packages[] = {
        {0, "BASIC", "基础签约服务包", "Basic contracted services", "basic", "general",
         "government", 0, -1, -1, 0, NULL, 0, BASIC_ITEMS, COUNT(BASIC_ITEMS), PUBLIC_FREE,
         COUNT(PUBLIC_FREE)},
        {0, "ELDERLY-50", "老年人健康服务包", "Elderly health package", "primary", "elderly",
         "fixed_price", 5000, 65, -1, 0, NULL, 1, ELDERLY_ITEMS, COUNT(ELDERLY_ITEMS),
         ELDERLY_RULES, COUNT(ELDERLY_RULES)},
        {0, "DISABLED-100", "残疾人康复服务包", "Rehabilitation package for the disabled",
         "primary", "disabled", "government", 10000, -1, -1, 1, NULL, 1, DISABLED_ITEMS,
         COUNT(DISABLED_ITEMS), COUNTY_ALL, COUNT(COUNTY_ALL)},
        {0, "HTN-120", "高血压个性化服务包", "Hypertension package", "intermediate", "hypertension",
         "fixed_price", 12000, 35, -1, 0, "hypertension", 1, HTN_ITEMS, COUNT(HTN_ITEMS), HTN_RULES,
         COUNT(HTN_RULES)},
        {0, "DM-120", "糖尿病个性化服务包", "Diabetes package", "intermediate", "diabetes",
         "negotiated", 12000, 35, -1, 0, "diabetes", 1, DM_ITEMS, COUNT(DM_ITEMS), DM_RULES,
         COUNT(DM_RULES)},
        {0, "MCH-150", "母婴健康服务包", "Maternal and child health package", "intermediate",
         "maternal_child", "fixed_price", 15000, -1, -1, 1, NULL, 1, MCH_ITEMS, COUNT(MCH_ITEMS),
         MCH_RULES, COUNT(MCH_RULES)},
        {0, "COPD-200", "慢阻肺管理服务包", "COPD management package", "advanced", "copd",
         "negotiated", 20000, 35, -1, 0, "copd", 1, COPD_ITEMS, COUNT(COPD_ITEMS), COPD_RULES,
         COUNT(COPD_RULES)},
        {0, "CANCER-80", "癌症早筛服务包", "Cancer screening package", "intermediate", "cancer",
         "fixed_price", 8000, 35, 74, 0, NULL, 1, CANCER_ITEMS, COUNT(CANCER_ITEMS), MCH_RULES,
         COUNT(MCH_RULES)},
        {0, "TCM-300", "中医养生服务包", "TCM wellness package", "advanced", "tcm", "fixed_price",
         30000, 18, -1, 0, NULL, 1, TCM_ITEMS, COUNT(TCM_ITEMS), RESIDENT_ALL, COUNT(RESIDENT_ALL)},
        {0, "BUTLER-800", "家庭健康管家服务包", "Family health butler package", "advanced",
         "general", "negotiated", 80000, -1, -1, 0, NULL, 1, BUTLER_ITEMS, COUNT(BUTLER_ITEMS),
         RESIDENT_ALL, COUNT(RESIDENT_ALL)},
    };
    for (int i = 0; i < COUNT(packages); i++)
        if (store_package_insert(db, &packages[i]) < 0) return -1;
    return 0;
}
