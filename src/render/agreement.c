/* agreement.c - see agreement.h. The wording follows the printed page of the web UI
 * (web/js/i18n.js, keys agreement.*); change both together. */
#include "render/agreement.h"

#include <stdio.h>
#include <string.h>

#include "render/pdf_doc.h"

struct label {
    const char *code, *text;
};

static const struct label PAYERS[] = {
    {"resident", "居民个人"}, {"insurance", "医保基金"}, {"city", "市级财政"},
    {"district", "区级财政"}, {"county", "县级财政"},    {"public_funds", "公共卫生经费"},
};
static const struct label CHANNELS[] = {{"centralised", "集中签约"},
                                        {"clinic", "门诊签约"},
                                        {"home_visit", "上门签约"},
                                        {"online", "线上签约"}};
static const struct label STATUSES[] = {{"scheduled", "待生效"},
                                        {"active", "履约中"},
                                        {"expired", "已到期"},
                                        {"terminated", "已解约"},
                                        {"transferred", "已转签"}};

#define LABEL(table, code) label_of(table, sizeof table / sizeof table[0], code)

static const char *label_of(const struct label *t, size_t n, const char *code)
{
    for (size_t i = 0; code && i < n; i++)
        if (!strcmp(t[i].code, code)) return t[i].text;
    return code ? code : "—";
}

static const char *text_of(const json_t *o, const char *key)
{
    const char *s = o ? json_string_value(json_object_get(o, key)) : NULL;
    return s && *s ? s : "—";
}

static json_int_t int_of(const json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

/* 2026-03-01 -> 2026年3月1日 */
static const char *long_date(const char *iso, char out[32])
{
    int y, m, d;
    if (!iso || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3) return "—";
    snprintf(out, 32, "%d年%d月%d日", y, m, d);
    return out;
}

static const char *yuan(json_int_t fen, char out[32])
{
    snprintf(out, 32, "%lld.%02lld 元", (long long)(fen / 100), (long long)(fen % 100));
    return out;
}

static void party_rows(struct pdf_doc *doc, const char *const rows[][2], int n)
{
    static const struct pdf_table T = {2, {0.28, 0.72}, {PDF_LEFT, PDF_LEFT}};
    for (int i = 0; i < n; i++) {
        const char *cells[2] = {rows[i][0], rows[i][1]};
        pdf_table_row(doc, &T, cells, 0);
    }
}

static void parties(struct pdf_doc *doc, const struct agreement_parties *p)
{
    char birth[32];
    const char *sex = text_of(p->resident, "sex");
    const char *address = p->resident && json_string_value(json_object_get(p->resident, "address"))
                              ? text_of(p->resident, "address")
                              : text_of(p->resident, "region_name");
    pdf_heading(doc, "甲方（签约居民）");
    const char *const a[][2] = {
        {"姓名", text_of(p->contract, "resident_name")},
        {"性别", !strcmp(sex, "M")   ? "男"
                 : !strcmp(sex, "F") ? "女"
                                     : "—"},
        {"出生日期", long_date(p->resident ? text_of(p->resident, "birth_date") : NULL, birth)},
        {"身份证号", p->id_masked && *p->id_masked ? p->id_masked : "—"},
        {"住址", address},
    };
    party_rows(doc, a, 5);

    /* The responsible doctor's phone comes from the team's member list. */
    const char *phone = "—";
    json_t *members = p->team ? json_object_get(p->team, "members") : NULL;
    size_t i;
    json_t *m;
    json_array_foreach(members, i, m)
        if (int_of(m, "id") == int_of(p->contract, "doctor_id")) phone = text_of(m, "phone");
    pdf_heading(doc, "乙方（家庭医生团队）");
    const char *const b[][2] = {
        {"团队名称", text_of(p->contract, "team_name")},
        {"责任医生", text_of(p->contract, "doctor_name")},
        {"所属机构", text_of(p->team, "institution")},
        {"联系电话", phone},
        {"合作医院", p->partners && *p->partners ? p->partners : "—"},
    };
    party_rows(doc, b, p->partners && *p->partners ? 5 : 4);
}

static void services(struct pdf_doc *doc, const json_t *c)
{
    static const struct pdf_table T = {3, {0.6, 0.2, 0.2}, {PDF_LEFT, PDF_RIGHT, PDF_RIGHT}};
    static const char *const HEAD[] = {"服务包 / 服务项目", "次数", "费用"};
    pdf_heading(doc, "二、服务内容");
    pdf_paragraph(doc, "乙方在服务期内为甲方提供以下服务包所列服务，次数为服务期内应提供的次数：");
    pdf_table_row(doc, &T, HEAD, 1);
    size_t i, j;
    json_t *pkg, *e;
    json_array_foreach(json_object_get(c, "packages"), i, pkg) {
        char title[256], price[32];
        snprintf(title, sizeof title, "%zu. %s（%s v%lld）", i + 1, text_of(pkg, "name"),
                 text_of(pkg, "code"), (long long)int_of(pkg, "version"));
        json_int_t fen = int_of(pkg, "price_fen");
        const char *row[] = {title, "", fen ? yuan(fen, price) : "免费"};
        pdf_table_row(doc, &T, row, 1);
        json_array_foreach(json_object_get(c, "entitlements"), j, e) {
            if (strcmp(text_of(e, "package"), text_of(pkg, "code"))) continue;
            char qty[24];
            snprintf(qty, sizeof qty, "%lld", (long long)int_of(e, "quantity"));
            const char *item[] = {text_of(e, "name"), qty, ""};
            pdf_table_row(doc, &T, item, 0);
        }
    }
}

static void fees(struct pdf_doc *doc, const json_t *c)
{
    static const struct pdf_table T = {2, {0.7, 0.3}, {PDF_LEFT, PDF_RIGHT}};
    static const char *const HEAD[] = {"承担方", "金额"};
    json_t *shares = json_object_get(c, "shares");
    char text[512], total[32], own[32], amount[32];
    pdf_heading(doc, "三、服务费用");
    if (!json_array_size(shares)) {
        if (json_integer_value(json_object_get(c, "previous_id")))
            snprintf(text, sizeof text, "本协议由原协议（#%lld）转签，服务费已在原协议中结算。",
                     (long long)int_of(c, "previous_id"));
        else
            snprintf(text, sizeof text, "本协议不另行收取签约服务费。");
        pdf_paragraph(doc, text);
        return;
    }
    json_int_t own_fen = 0;
    size_t i;
    json_t *s;
    json_array_foreach(shares, i, s)
        if (!strcmp(text_of(s, "payer"), "resident")) own_fen = int_of(s, "amount_fen");
    snprintf(text, sizeof text,
             "签约服务费合计%s，按服务包约定由下列各方分担，其中甲方个人承担%s。",
             yuan(int_of(c, "fee_fen"), total), yuan(own_fen, own));
    pdf_paragraph(doc, text);
    pdf_table_row(doc, &T, HEAD, 1);
    json_array_foreach(shares, i, s) {
        const char *row[] = {LABEL(PAYERS, text_of(s, "payer")),
                             yuan(int_of(s, "amount_fen"), amount)};
        pdf_table_row(doc, &T, row, 0);
    }
    const char *sum[] = {"合计", total};
    pdf_table_row(doc, &T, sum, 1);
}

static void clauses(struct pdf_doc *doc, const char *heading, const char *const *items, int n)
{
    char line[512];
    pdf_heading(doc, heading);
    for (int i = 0; i < n; i++) {
        snprintf(line, sizeof line, "%d. %s", i + 1, items[i]);
        pdf_paragraph(doc, line);
    }
}

static const char *const DUTIES_A[] = {
    "享有乙方提供的协议约定服务，并获得健康咨询、预约转诊等便利。",
    "有权了解本人健康档案信息及服务提供情况，个人信息受法律保护。",
    "如实提供健康信息，遵从医嘱，配合乙方开展随访和健康管理。",
    "按约定承担个人应付费用；联系方式、住址变更时及时告知乙方。"};
static const char *const DUTIES_B[] = {
    "按协议约定的项目和次数为甲方提供服务，建立并维护甲方健康档案。",
    "为甲方提供连续、综合的健康管理，需要时协助转诊至合作医院。",
    "依法保护甲方隐私和个人信息，不得泄露或用于协议以外的用途。",
    "有权了解甲方健康状况，对甲方不遵从医嘱的情况予以提醒。"};
static const char *const OTHER[] = {
    "服务期满前三十日内，双方可协商续约；一方提出解约的，应说明原因。",
    "协议履行中发生争议，双方协商解决，也可向卫生健康行政部门申请调解。",
    "本协议一式两份，甲乙双方各执一份，自双方签字之日起生效。"};

int agreement_pdf(const struct agreement_parties *p, struct sbuf *out)
{
    const json_t *c = p->contract;
    struct pdf_doc *doc = pdf_doc_new(out, "家庭医生签约服务协议书");
    if (!doc) return -1;
    char line[512], start[32], end[32], signed_on[16];

    pdf_title(doc, "家庭医生签约服务协议书");
    snprintf(line, sizeof line, "协议编号：JY-%08lld　　协议状态：%s", (long long)int_of(c, "id"),
             LABEL(STATUSES, text_of(c, "status")));
    pdf_note(doc, line, PDF_CENTER);
    pdf_space(doc, 6);
    pdf_paragraph(
        doc,
        "为落实家庭医生签约服务制度，明确双方权利与义务，经甲乙双方协商一致，自愿签订本协议。");
    parties(doc, p);

    pdf_heading(doc, "一、服务期限");
    snprintf(line, sizeof line, "本协议服务期限自%s起至%s止，为期一年。",
             long_date(text_of(c, "start_date"), start), long_date(text_of(c, "end_date"), end));
    pdf_paragraph(doc, line);
    snprintf(line, sizeof line, "签约方式：%s。", LABEL(CHANNELS, text_of(c, "channel")));
    pdf_paragraph(doc, line);

    services(doc, c);
    fees(doc, c);
    clauses(doc, "四、甲方的权利和义务", DUTIES_A, 4);
    clauses(doc, "五、乙方的权利和义务", DUTIES_B, 4);
    clauses(doc, "六、其他约定", OTHER, 3);

    static const char *const SIGN_A[] = {"甲方（签约居民）", "居民签字：", "日期："};
    static const char *const SIGN_B[] = {"乙方（家庭医生团队）", "家庭医生签字：", "日期："};
    pdf_signatures(doc, SIGN_A, SIGN_B, 3);
    pdf_note(doc, "（机构盖章）", PDF_RIGHT);
    pdf_space(doc, 8);
    snprintf(signed_on, sizeof signed_on, "%.10s", text_of(c, "signed_at"));
    snprintf(line, sizeof line, "签约登记日期 %s · 协议 #%lld · 家医平台打印", signed_on,
             (long long)int_of(c, "id"));
    pdf_note(doc, line, PDF_CENTER);
    return pdf_doc_finish(doc);
}
