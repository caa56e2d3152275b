/* export.c - see export.h. */
#include "api/export.h"

#include <stdio.h>
#include <string.h>

#include "api/download.h"
#include "api/labels.h"
#include "util/date.h"
#include "util/log.h"

/* A column: where its value is in a row, and its header in zh-CN and English. The path is a
 * member name, "a.b" for a member of an object member, "../name" for a member of the item
 * that holds the row (a breakdown's region), "/name" for a member of the whole answer. */
struct export_column {
    const char *path;
    const char *zh;
    const char *en;
    const char *labels; /* NULL: the value as the API has it; else its code read as words
                         * (api_label_of this field; "" for codes alike everywhere) */
};

struct export_spec {
    const char *pattern;
    const char *filename;
    const char *sheet_zh, *sheet_en;
    const char *rows_within; /* NULL, or the member of each item that holds its rows */
    const struct export_column *columns;
};

static const struct export_column RESIDENT_COLUMNS[] = {
    {"id", "居民编号", "Resident ID"},
    {"name", "姓名", "Name"},
    {"sex", "性别", "Sex", ""},
    {"birth_date", "出生日期", "Birth date"},
    {"age", "年龄", "Age"},
    {"id_number_masked", "身份证号(脱敏)", "ID number (masked)"},
    {"phone", "电话", "Phone"},
    {"region", "区划代码", "Region code"},
    {"region_name", "网格", "Grid"},
    {"household_id", "户编号", "Household"},
    {"relation", "与户主关系", "Relation to head", "relation"},
    {"population_class", "人群分类", "Population class"},
    {"status", "状态", "Status", ""},
    {"status_date", "状态日期", "Status date"},
    {"disabled", "残疾", "Disabled"},
    {"poverty", "困难", "Low income"},
    {"proxy_consent", "同意家人代查", "Proxy consent"},
    {NULL, NULL, NULL, NULL},
};

static const struct export_column CONTRACT_COLUMNS[] = {
    {"id", "协议编号", "Contract ID"},
    {"resident_id", "居民编号", "Resident ID"},
    {"resident_name", "居民", "Resident"},
    {"team_id", "团队编号", "Team ID"},
    {"team_name", "团队", "Team"},
    {"doctor_id", "医生编号", "Doctor ID"},
    {"doctor_name", "签约医生", "Doctor"},
    {"status", "状态", "Status", ""},
    {"channel", "签约渠道", "Channel", ""},
    {"start_date", "开始日期", "Start date"},
    {"end_date", "结束日期", "End date"},
    {"fee_fen", "费用(分)", "Fee (fen)"},
    {"signed_at", "签约时间", "Signed at"},
    {"ended_on", "终止日期", "Ended on"},
    {"end_reason", "终止原因", "End reason", ""},
    {"previous_id", "上一协议", "Previous contract"},
    {NULL, NULL, NULL, NULL},
};

static const struct export_column FOLLOWUP_COLUMNS[] = {
    {"id", "随访编号", "Follow-up ID"},
    {"resident_id", "居民编号", "Resident ID"},
    {"resident_name", "居民", "Resident"},
    {"region", "区划代码", "Region code"},
    {"program", "项目", "Programme", ""},
    {"visit_date", "随访日期", "Visit date"},
    {"mode", "方式", "Mode", ""},
    {"staff_name", "随访医生", "Staff"},
    {"sbp", "收缩压", "Systolic BP"},
    {"dbp", "舒张压", "Diastolic BP"},
    {"fbg", "空腹血糖(mmol/L)", "FBG (mmol/L)"},
    {"heart_rate", "心率", "Heart rate"},
    {"weight_kg", "体重(kg)", "Weight (kg)"},
    {"evaluation.classification", "评估分类", "Classification", ""},
    {"evaluation.action", "处理", "Action", ""},
    {"evaluation.next_due", "下次随访", "Next due"},
    {"medication_adherence", "服药依从性", "Adherence", ""},
    {"note", "备注", "Note"},
    {NULL, NULL, NULL, NULL},
};

static const struct export_column INDICATOR_COLUMNS[] = {
    {"/scope", "范围", "Scope"},
    {"/period", "期间", "Period"},
    {"/as_of", "截至", "As of"},
    {"code", "指标代码", "Code"},
    {"name", "指标", "Indicator"},
    {"numerator", "分子", "Numerator"},
    {"denominator", "分母", "Denominator"},
    {"value", "值", "Value"},
    {"target", "目标", "Target"},
    {"status", "达标", "Status", ""},
    {NULL, NULL, NULL, NULL},
};

static const struct export_column BREAKDOWN_COLUMNS[] = {
    {"/period", "期间", "Period"},      {"/as_of", "截至", "As of"},
    {"../scope", "范围", "Scope"},      {"../name", "名称", "Name"},
    {"code", "指标代码", "Code"},       {"name", "指标", "Indicator"},
    {"numerator", "分子", "Numerator"}, {"denominator", "分母", "Denominator"},
    {"value", "值", "Value"},           {"target", "目标", "Target"},
    {"status", "达标", "Status", ""},   {NULL, NULL, NULL, NULL},
};

static const struct export_column HOUSEHOLD_COLUMNS[] = {
    {"id", "户编号", "Household", NULL},
    {"head_id", "户主编号", "Head's ID", NULL},
    {"head_name", "户主", "Head", NULL},
    {"members", "人数", "Members", NULL},
    {"family_type", "家庭类型", "Family type", "family"},
    {"region", "区划代码", "Region code", NULL},
    {"region_name", "网格", "Grid", NULL},
    {"address", "住址", "Address", NULL},
    {NULL, NULL, NULL, NULL},
};

static const struct export_column FLAG_COLUMNS[] = {
    {"id", "登记编号", "Flag ID", NULL},
    {"resident_id", "居民编号", "Resident ID", NULL},
    {"resident_name", "居民", "Resident", NULL},
    {"region", "区划代码", "Region code", NULL},
    {"reason", "原因", "Reason", NULL},
    {"note", "说明", "Note", NULL},
    {"status", "状态", "Status", "flag"},
    {"raised_by", "登记人", "Raised by", NULL},
    {"raised_at", "登记时间", "Raised at", NULL},
    {"decided_by", "处理人", "Decided by", NULL},
    {"decided_at", "处理时间", "Decided at", NULL},
    {"decision_note", "处理意见", "Decision", NULL},
    {NULL, NULL, NULL, NULL},
};

static const struct export_column REFERRAL_COLUMNS[] = {
    {"id", "转诊编号", "Referral ID", NULL},
    {"resident_id", "居民编号", "Resident ID", NULL},
    {"resident_name", "居民", "Resident", NULL},
    {"sex", "性别", "Sex", ""},
    {"birth_date", "出生日期", "Birth date", NULL},
    {"referred_on", "转诊日期", "Referred on", NULL},
    {"direction", "方向", "Direction", "direction"},
    {"status", "状态", "Status", "referral"},
    {"urgent", "紧急", "Urgent", NULL},
    {"category", "类别", "Category", NULL},
    {"department", "科室", "Department", NULL},
    {"reason", "原因", "Reason", ""},
    {"from_institution_name", "转出机构", "From", NULL},
    {"to_institution_name", "转入机构", "To", NULL},
    {"seen_on", "接诊日期", "Seen on", NULL},
    {"returned_on", "回转日期", "Returned on", NULL},
    {"closed_on", "结束日期", "Closed on", NULL},
    {"decline_reason", "拒收原因", "Declined because", NULL},
    {"satisfaction", "满意度", "Satisfaction", NULL},
    {NULL, NULL, NULL, NULL},
};

static const struct export_column BOOKING_COLUMNS[] = {
    {"id", "预约编号", "Booking ID", NULL},
    {"starts_at", "就诊时间", "Starts at", NULL},
    {"resident_id", "居民编号", "Resident ID", NULL},
    {"resident_name", "居民", "Resident", NULL},
    {"hospital_name", "医院", "Hospital", NULL},
    {"department_name", "科室", "Department", NULL},
    {"doctor_name", "医生", "Doctor", NULL},
    {"status", "状态", "Status", "booking"},
    {"referral_id", "转诊编号", "Referral", NULL},
    {NULL, NULL, NULL, NULL},
};

static const struct export_column INDICATOR_PATIENT_COLUMNS[] = {
    {"/scope", "范围", "Scope", NULL},
    {"/period", "期间", "Period", NULL},
    {"/code", "指标代码", "Indicator", NULL},
    {"/part", "分子/分母", "Part", "part"},
    {"id", "居民编号", "Resident ID", NULL},
    {"name", "姓名", "Name", NULL},
    {"sex", "性别", "Sex", ""},
    {"age", "年龄", "Age", NULL},
    {"region", "区划代码", "Region code", NULL},
    {"region_name", "网格", "Grid", NULL},
    {NULL, NULL, NULL, NULL},
};

static const struct export_column CENSUS_COLUMNS[] = {
    {"region", "区划代码", "Region code", NULL},
    {"name", "名称", "Name", NULL},
    {"households", "户数", "Households", NULL},
    {"visited", "已入户", "Visited", NULL},
    {"rate", "入户率", "Rate", NULL},
    {NULL, NULL, NULL, NULL},
};

static const struct export_column STAFF_COLUMNS[] = {
    {"id", "人员编号", "Staff ID", NULL},
    {"name", "姓名", "Name", NULL},
    {"profession", "专业", "Profession", "profession"},
    {"institution", "机构", "Institution", NULL},
    {"phone", "电话", "Phone", NULL},
    {"max_contracts", "签约上限", "Contract limit", NULL},
    {"username", "账号", "Account", NULL},
    {NULL, NULL, NULL, NULL},
};

static const struct export_column INSTITUTION_COLUMNS[] = {
    {"id", "机构编号", "Institution ID", NULL},
    {"code", "机构编码", "Code", NULL},
    {"name", "名称", "Name", NULL},
    {"kind", "类别", "Kind", NULL},
    {"level", "级别", "Level", NULL},
    {"region", "区划代码", "Region code", NULL},
    {"region_name", "所在地", "Region", NULL},
    {NULL, NULL, NULL, NULL},
};

/* Cohort studies (issue 22): the report's measures, the regression's coefficients, and each
 * member's data set, whose headers are the API's names in both languages (the file is made
 * to be read again by `jiayi stats --columns`). */
static const struct export_column COHORT_COLUMNS[] = {
    {"code", "指标代码", "Code", NULL},
    {"name", "指标", "Measure", NULL},
    {"kind", "类型", "Kind", NULL},
    {"n", "配对人数", "Pairs", NULL},
    {"before_mean", "干预前均值/比例", "Before (mean or rate)", NULL},
    {"after_mean", "干预后均值/比例", "After (mean or rate)", NULL},
    {"mean_change", "变化", "Change", NULL},
    {"before_sd", "干预前标准差", "Before SD", NULL},
    {"after_sd", "干预后标准差", "After SD", NULL},
    {"paired_t.statistic", "配对t值", "Paired t", NULL},
    {"paired_t.df", "自由度", "df", NULL},
    {"paired_t.p", "配对t检验P值", "Paired t p", NULL},
    {"wilcoxon.statistic", "Wilcoxon统计量", "Wilcoxon statistic", NULL},
    {"wilcoxon.p", "Wilcoxon P值", "Wilcoxon p", NULL},
    {"b", "由是转否", "Yes to no", NULL},
    {"c", "由否转是", "No to yes", NULL},
    {"mcnemar.statistic", "McNemar统计量", "McNemar statistic", NULL},
    {"mcnemar.p", "McNemar P值", "McNemar p", NULL},
    {"mcnemar.method", "McNemar方法", "McNemar method", NULL},
    {NULL, NULL, NULL, NULL},
};
static const struct export_column COHORT_REGRESSION_COLUMNS[] = {
    {"/outcome", "因变量(变化)", "Outcome (change)", NULL},
    {"name", "变量", "Variable", NULL},
    {"label", "名称", "Name", NULL},
    {"estimate", "系数", "Coefficient", NULL},
    {"se", "标准误", "SE", NULL},
    {"t", "t值", "t", NULL},
    {"p", "P值", "p", NULL},
    {"/n", "样本量", "n", NULL},
    {"/r2", "R²", "R²", NULL},
    {"/adj_r2", "调整R²", "Adjusted R²", NULL},
    {"/f", "F值", "F", NULL},
    {"/f_p", "F检验P值", "F p", NULL},
    {NULL, NULL, NULL, NULL},
};
#define PAIR(m)                                                                                    \
    {m "_before", m "_before", m "_before", NULL},                                                 \
    {                                                                                              \
        m "_after", m "_after", m "_after", NULL                                                   \
    }
static const struct export_column COHORT_MEMBER_COLUMNS[] = {
    {"member", "member", "member", NULL},
    {"age", "age", "age", NULL},
    {"male", "male", "male", NULL},
    {"chronic_conditions", "chronic_conditions", "chronic_conditions", NULL},
    {"key_population", "key_population", "key_population", NULL},
    {"poverty", "poverty", "poverty", NULL},
    {"disabled", "disabled", "disabled", NULL},
    PAIR("encounters"),
    PAIR("primary_visits"),
    PAIR("fd_visits"),
    PAIR("fd_visits_per_month"),
    PAIR("fd_share"),
    PAIR("followups"),
    PAIR("services"),
    PAIR("trust_total"),
    PAIR("trust_item_1"),
    PAIR("trust_item_2"),
    PAIR("trust_item_3"),
    PAIR("trust_item_4"),
    PAIR("trust_item_5"),
    PAIR("trust_item_6"),
    PAIR("trust_item_7"),
    PAIR("trust_item_8"),
    PAIR("trust_item_9"),
    PAIR("trust_item_10"),
    PAIR("satisfaction"),
    PAIR("sbp"),
    PAIR("fbg"),
    PAIR("signed"),
    PAIR("any_fd_visit"),
    PAIR("controlled"),
    PAIR("satisfied"),
    {NULL, NULL, NULL, NULL},
};
#undef PAIR
/* Only lists that page by a stable cursor belong here: a list paged by OFFSET (rows move
 * between pages while they change) would give a file that is doubled or short without
 * saying so. */
static const struct export_spec SPECS[] = {
    {"/api/v1/residents", "residents", "居民", "Residents", NULL, RESIDENT_COLUMNS},
    {"/api/v1/contracts", "contracts", "签约", "Contracts", NULL, CONTRACT_COLUMNS},
    {"/api/v1/followups", "followups", "随访", "Follow-ups", NULL, FOLLOWUP_COLUMNS},
    {"/api/v1/indicators", "indicators", "指标", "Indicators", NULL, INDICATOR_COLUMNS},
    {"/api/v1/indicators/breakdown", "indicator-breakdown", "指标分解", "Breakdown", "items",
     BREAKDOWN_COLUMNS},
    {"/api/v1/indicators/patients", "indicator-patients", "指标人员", "People", NULL,
     INDICATOR_PATIENT_COLUMNS},
    {"/api/v1/households", "households", "家庭", "Households", NULL, HOUSEHOLD_COLUMNS},
    {"/api/v1/flags", "flags", "首获登记", "Flags", NULL, FLAG_COLUMNS},
    {"/api/v1/referrals", "referrals", "转诊", "Referrals", NULL, REFERRAL_COLUMNS},
    {"/api/v1/bookings", "bookings", "预约", "Bookings", NULL, BOOKING_COLUMNS},
    {"/api/v1/census-rates", "census-rates", "入户率", "Census", NULL, CENSUS_COLUMNS},
    {"/api/v1/staff", "staff", "人员", "Staff", NULL, STAFF_COLUMNS},
    {"/api/v1/institutions", "institutions", "机构", "Institutions", NULL, INSTITUTION_COLUMNS},
    {"/api/v1/cohort-studies/{id}", "cohort-study", "队列研究", "Cohort study", NULL,
     COHORT_COLUMNS},
    {"/api/v1/cohort-studies/{id}/regression", "cohort-regression", "回归", "Regression", NULL,
     COHORT_REGRESSION_COLUMNS},
    {"/api/v1/cohort-studies/{id}/members", "cohort-members", "成员数据", "Members", NULL,
     COHORT_MEMBER_COLUMNS},
};

static const struct export_spec *spec_of(const struct route *route)
{
    if (!route || strcmp(route->method, "GET")) return NULL;
    for (size_t i = 0; i < sizeof SPECS / sizeof *SPECS; i++)
        if (!strcmp(SPECS[i].pattern, route->pattern)) return &SPECS[i];
    return NULL;
}

int export_wanted(struct request *r, const struct route *route)
{
    const char *format = request_query(r, "format");
    return spec_of(route) && format && strcmp(format, "json");
}

static json_t *value_at(json_t *page, json_t *parent, json_t *row, const char *path)
{
    json_t *from = row;
    if (!strncmp(path, "../", 3)) {
        from = parent;
        path += 3;
    } else if (path[0] == '/') {
        from = page;
        path += 1;
    }
    const char *dot = strchr(path, '.');
    if (!dot) return json_object_get(from, path);
    char head[64];
    snprintf(head, sizeof head, "%.*s", (int)(dot - path), path);
    return json_object_get(json_object_get(from, head), dot + 1);
}

static void write_cell(struct table_out *t, int col, const struct export_column *c, json_t *v,
                       int en)
{
    char text[32];
    if (!v) return; /* a member this row lacks (a yes/no measure has no t test): empty */
    switch (json_typeof(v)) {
    case JSON_STRING:
        table_text(t, col,
                   c->labels ? api_label_of(*c->labels ? c->labels : NULL, json_string_value(v), en)
                             : json_string_value(v));
        break;
    case JSON_INTEGER:
    case JSON_REAL:
        table_number(t, col, json_number_value(v));
        break;
    case JSON_TRUE:
        table_text(t, col, en ? "yes" : "是");
        break;
    case JSON_FALSE:
        table_text(t, col, en ? "no" : "否");
        break;
    case JSON_ARRAY: { /* a list of codes: one cell, separated by semicolons */
        struct sbuf b;
        sbuf_init(&b);
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e) {
            if (i) sbuf_puts(&b, ";");
            if (json_is_string(e))
                sbuf_puts(&b, json_string_value(e));
            else if (json_is_number(e)) {
                snprintf(text, sizeof text, "%g", json_number_value(e));
                sbuf_puts(&b, text);
            }
        }
        table_text(t, col, sbuf_cstr(&b));
        sbuf_free(&b);
        break;
    }
    default:
        break; /* null and objects: an empty cell */
    }
}

static int write_row(struct table_out *t, const struct export_spec *spec, json_t *page,
                     json_t *parent, json_t *row, int en)
{
    for (int c = 0; spec->columns[c].path; c++)
        write_cell(t, c, &spec->columns[c], value_at(page, parent, row, spec->columns[c].path), en);
    return table_end_row(t);
}

static int write_page(struct table_out *t, const struct export_spec *spec, json_t *page, int en)
{
    size_t i, j;
    json_t *item, *row;
    json_array_foreach(json_object_get(page, "items"), i, item) {
        if (!spec->rows_within) {
            if (write_row(t, spec, page, NULL, item, en) < 0) return -1;
            continue;
        }
        json_array_foreach(json_object_get(item, spec->rows_within), j, row) {
            if (write_row(t, spec, page, item, row, en) < 0) return -1;
        }
    }
    return 0;
}

int export_list(struct request *r, const struct route *route)
{
    const struct export_spec *spec = spec_of(route);
    enum table_format format;
    if (table_format_parse(request_query(r, "format"), &format) < 0)
        return reply_problem(r, 422, "invalid_field", "format");
    const char *header[TABLE_MAX_COLUMNS];
    int n = 0;
    while (spec->columns[n].path) {
        header[n] = r->lang_en ? spec->columns[n].en : spec->columns[n].zh;
        n++;
    }
    struct table_out *t =
        table_open(format, r->lang_en ? spec->sheet_en : spec->sheet_zh, header, n);
    if (!t) return reply_problem(r, 500, "internal_error", NULL);
    r->exporting = 1;
    r->export_cursor[0] = '\0';
    int rc = 0, pages = 0;
    for (;;) {
        rc = route->handler(r);
        json_t *page = r->export_page;
        r->export_page = NULL;
        if (!page) break; /* the handler answered an error: that is the answer */
        pages++;
        rc = write_page(t, spec, page, r->lang_en);
        /* The cursor as the list gives it: text, or a number. */
        json_t *cursor = json_object_get(page, "next_cursor");
        int next =
            json_is_string(cursor) || (json_is_integer(cursor) && json_integer_value(cursor) > 0);
        if (json_is_string(cursor))
            snprintf(r->export_cursor, sizeof r->export_cursor, "%s", json_string_value(cursor));
        else if (next)
            snprintf(r->export_cursor, sizeof r->export_cursor, "%lld",
                     (long long)json_integer_value(cursor));
        json_decref(page);
        if (rc < 0 || !next) break;
    }
    r->exporting = 0;
    if (!pages || rc < 0) {
        table_discard(t);
        /* The handler's own error answer stands; a page that could not be written, or a
         * handler that answered without a page, is ours to answer. */
        return r->response && r->status >= 400 ? -1 : reply_problem(r, 500, "internal_error", NULL);
    }
    log_info("export %s as %s: %lld rows in %d pages", spec->filename,
             format == TABLE_CSV ? "csv" : "xlsx", table_rows(t), pages);
    char filename[64], today[11];
    date_format(date_today(), today);
    snprintf(filename, sizeof filename, "%s-%s", spec->filename, today);
    return table_reply(r, t, filename);
}
