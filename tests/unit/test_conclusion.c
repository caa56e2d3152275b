/* Unit tests: reading free-text ECG and ultrasound conclusions (domain/conclusion.c, issue
 * 12) - the examples of the issue, every term of the built-in lists, how text is split into
 * findings, which of two overlapping terms wins, lists changed at run time, and the checks
 * on the versioned list settings (domain/protocol_lists.c). */
#include "test.h"

#include <stdio.h>
#include <string.h>

#include "domain/conclusion.h"
#include "domain/protocol_lists.h"
#include "domain/screening.h"

static struct conclusion_terms ecg_terms(void)
{
    return exam_terms_default().ecg;
}
static struct conclusion_terms ultrasound_terms(void)
{
    return exam_terms_default().ultrasound;
}

static const char *verdict_name(enum conclusion_verdict v)
{
    static const char *const NAMES[] = {"none", "normal", "abnormal", "unknown"};
    return NAMES[v];
}

struct example {
    const char *text;
    enum conclusion_verdict verdict;
};

static void check_examples(const struct example *cases, size_t n, struct conclusion_terms terms)
{
    for (size_t i = 0; i < n; i++) {
        enum conclusion_verdict got = conclusion_read(cases[i].text, &terms, NULL);
        if (got != cases[i].verdict)
            fail_msg("\"%s\": %s, expected %s", cases[i].text, verdict_name(got),
                     verdict_name(cases[i].verdict));
    }
}

static void the_issue_examples_read_as_the_issue_says(void **state)
{
    (void)state;
    static const struct example ECG[] = {
        {"窦性心律 ST-T改变 房性早搏", CONCLUSION_ABNORMAL}, /* issue 12 */
        {"窦性心律", CONCLUSION_NORMAL},
        {"正常心电图", CONCLUSION_NORMAL},
        {"窦性心律，左室高电压", CONCLUSION_ABNORMAL},
        {"窦性心动过缓", CONCLUSION_ABNORMAL},
        {"心电图：请结合临床", CONCLUSION_UNKNOWN},
        {"未见明显异常", CONCLUSION_NORMAL},
        {"Sinus rhythm, normal ECG", CONCLUSION_NORMAL},
    };
    static const struct example ULTRASOUND[] = {
        {"脂肪肝（轻度）", CONCLUSION_ABNORMAL},
        {"肝胆胰脾双肾未见明显异常", CONCLUSION_NORMAL},
    };
    check_examples(ECG, sizeof ECG / sizeof ECG[0], ecg_terms());
    check_examples(ULTRASOUND, sizeof ULTRASOUND / sizeof ULTRASOUND[0], ultrasound_terms());
}

static void conclusions_as_exam_centres_write_them(void **state)
{
    (void)state;
    static const struct example ECG[] = {
        {"1.窦性心律 2.正常心电图", CONCLUSION_NORMAL},
        {"1、窦性心律 2、ST-T改变", CONCLUSION_ABNORMAL},
        {"(1)窦性心律 (2)电轴左偏", CONCLUSION_ABNORMAL},
        {"①窦性心律 ②大致正常心电图", CONCLUSION_NORMAL},
        {"窦性心律；偶发房早", CONCLUSION_ABNORMAL},
        {"窦性心律　顺钟向转位", CONCLUSION_UNKNOWN}, /* ideographic space */
        {"窦性心律 顺钟向转位 T波低平", CONCLUSION_ABNORMAL},
        {"窦性心律\n完全性右束支传导阻滞", CONCLUSION_ABNORMAL},
        {"窦性心律不齐", CONCLUSION_NORMAL},
        {"窦性心律，心律不齐", CONCLUSION_ABNORMAL},
        {"心电图异常", CONCLUSION_ABNORMAL},
        {"心电图不正常", CONCLUSION_ABNORMAL},
        {"ST段压低0.1mV", CONCLUSION_ABNORMAL},
        {"I度房室阻滞", CONCLUSION_ABNORMAL},
        {"SINUS RHYTHM. NORMAL ECG.", CONCLUSION_NORMAL},
        {"Sinus bradycardia", CONCLUSION_ABNORMAL},
        {"Sinus arrhythmia", CONCLUSION_NORMAL},
        {"Sinus rhythm; no abnormality detected", CONCLUSION_NORMAL},
        {"Abnormal ECG", CONCLUSION_ABNORMAL},
        {"Sinus rhythm, borderline ECG", CONCLUSION_UNKNOWN},
        {"st-t改变", CONCLUSION_ABNORMAL},
    };
    static const struct example ULTRASOUND[] = {
        {"肝胆胰脾未见异常", CONCLUSION_NORMAL},
        {"肝胆胰脾未见明显异常，胆囊息肉", CONCLUSION_ABNORMAL},
        {"轻度脂肪肝 右肾囊肿", CONCLUSION_ABNORMAL},
        {"肝内钙化灶", CONCLUSION_UNKNOWN},
        {"肝内未见明显占位", CONCLUSION_NORMAL},
        {"前列腺增大", CONCLUSION_ABNORMAL},
        {"Liver and spleen unremarkable", CONCLUSION_NORMAL},
        {"Liver, spleen unremarkable", CONCLUSION_UNKNOWN}, /* "Liver" alone says nothing */
    };
    check_examples(ECG, sizeof ECG / sizeof ECG[0], ecg_terms());
    check_examples(ULTRASOUND, sizeof ULTRASOUND / sizeof ULTRASOUND[0], ultrasound_terms());
}

static void no_text_is_nothing_to_judge(void **state)
{
    (void)state;
    static const struct example NONE[] = {
        {NULL, CONCLUSION_NONE},     {"", CONCLUSION_NONE},       {"   ", CONCLUSION_NONE},
        {"，；。", CONCLUSION_NONE}, {"1、2、", CONCLUSION_NONE}, {"\r\n", CONCLUSION_NONE},
    };
    check_examples(NONE, sizeof NONE / sizeof NONE[0], ecg_terms());
}

/* Every built-in term: alone it reads as its list says, after a normal finding too, and a
 * normal term followed by an unknown finding is not normal. */
static void check_list(struct string_list normal, struct string_list abnormal, const char *lead)
{
    struct conclusion_terms terms = {normal, abnormal};
    char text[200];
    for (size_t i = 0; i < abnormal.count; i++) {
        const char *t = abnormal.items[i];
        assert_true(conclusion_term_valid(t));
        if (conclusion_read(t, &terms, NULL) != CONCLUSION_ABNORMAL) fail_msg("\"%s\" alone", t);
        snprintf(text, sizeof text, "%s，%s", lead, t);
        if (conclusion_read(text, &terms, NULL) != CONCLUSION_ABNORMAL) fail_msg("\"%s\"", text);
    }
    for (size_t i = 0; i < normal.count; i++) {
        const char *t = normal.items[i];
        assert_true(conclusion_term_valid(t));
        if (conclusion_read(t, &terms, NULL) != CONCLUSION_NORMAL) fail_msg("\"%s\" alone", t);
        snprintf(text, sizeof text, "%s；%s", lead, t);
        if (conclusion_read(text, &terms, NULL) != CONCLUSION_NORMAL) fail_msg("\"%s\"", text);
        snprintf(text, sizeof text, "%s 顺钟向转位", t);
        if (conclusion_read(text, &terms, NULL) != CONCLUSION_UNKNOWN) fail_msg("\"%s\"", text);
    }
}

static void every_built_in_term_reads_as_its_list_says(void **state)
{
    (void)state;
    struct exam_terms d = exam_terms_default();
    check_list(d.ecg.normal, d.ecg.abnormal, "窦性心律");
    check_list(d.ultrasound.normal, d.ultrasound.abnormal, "肝胆胰脾未见明显异常");
    /* And the built-in lists pass the checks a changed list must pass. */
    for (const struct protocol_list *l = PROTOCOL_LISTS; l->key; l++) {
        struct string_list v = protocol_list_default(l);
        size_t bad;
        if (protocol_list_check(l, v.items, v.count, &bad) != LIST_OK)
            fail_msg("%s: item %zu \"%s\"", l->key, bad, v.items[bad]);
    }
}

static void a_longer_normal_term_explains_an_abnormal_one_inside_it(void **state)
{
    (void)state;
    static const char *const NORMAL[] = {"窦性心律", "未见异常", "窦性心律不齐"};
    static const char *const ABNORMAL[] = {"异常", "心律不齐"};
    struct conclusion_terms t = {{NORMAL, 3}, {ABNORMAL, 2}};
    assert_int_equal(conclusion_read("未见异常", &t, NULL), CONCLUSION_NORMAL);
    assert_int_equal(conclusion_read("异常", &t, NULL), CONCLUSION_ABNORMAL);
    assert_int_equal(conclusion_read("窦性心律不齐", &t, NULL), CONCLUSION_NORMAL);
    /* Inside one finding an abnormal term no normal term explains wins. */
    assert_int_equal(conclusion_read("窦性心律异常", &t, NULL), CONCLUSION_ABNORMAL);
    assert_int_equal(conclusion_read("未见异常心律不齐", &t, NULL), CONCLUSION_ABNORMAL);
    /* Without the explicit normal entry, sinus arrhythmia is an arrhythmia. */
    t.normal.count = 2;
    assert_int_equal(conclusion_read("窦性心律不齐", &t, NULL), CONCLUSION_ABNORMAL);
}

static void lists_changed_at_run_time_take_effect(void **state)
{
    (void)state;
    struct conclusion_terms t = ecg_terms();
    const char *text = "窦性心律 顺钟向转位";
    assert_int_equal(conclusion_read(text, &t, NULL), CONCLUSION_UNKNOWN);
    /* A site adds clockwise rotation to its normal findings. */
    const char *normal[PROTOCOL_LIST_MAX_ITEMS];
    memcpy(normal, t.normal.items, t.normal.count * sizeof *normal);
    normal[t.normal.count] = "顺钟向转位";
    struct conclusion_terms changed = {{normal, t.normal.count + 1}, t.abnormal};
    assert_int_equal(conclusion_read(text, &changed, NULL), CONCLUSION_NORMAL);
    /* And calcification to its abnormal ultrasound findings. */
    struct conclusion_terms u = ultrasound_terms();
    const char *abnormal[PROTOCOL_LIST_MAX_ITEMS];
    memcpy(abnormal, u.abnormal.items, u.abnormal.count * sizeof *abnormal);
    abnormal[u.abnormal.count] = "钙化";
    assert_int_equal(conclusion_read("肝内钙化灶", &u, NULL), CONCLUSION_UNKNOWN);
    u.abnormal = (struct string_list){abnormal, u.abnormal.count + 1};
    assert_int_equal(conclusion_read("肝内钙化灶", &u, NULL), CONCLUSION_ABNORMAL);
    /* Empty lists know nothing: every finding is for review, none is normal. */
    struct conclusion_terms empty = {{NULL, 0}, {NULL, 0}};
    assert_int_equal(conclusion_read("正常心电图", &empty, NULL), CONCLUSION_UNKNOWN);
}

static void the_reading_names_each_finding_and_its_verdict(void **state)
{
    (void)state;
    struct conclusion_terms t = ecg_terms();
    struct conclusion_reading r;
    assert_int_equal(conclusion_read("1.窦性心律 2.ST-T改变，房性早搏；顺钟向转位", &t, &r),
                     CONCLUSION_ABNORMAL);
    assert_int_equal(r.count, 4);
    static const struct {
        const char *text;
        enum conclusion_verdict verdict;
    } EXPECTED[] = {{"窦性心律", CONCLUSION_NORMAL},
                    {"ST-T改变", CONCLUSION_ABNORMAL},
                    {"房性早搏", CONCLUSION_ABNORMAL},
                    {"顺钟向转位", CONCLUSION_UNKNOWN}};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(r.findings[i].len, strlen(EXPECTED[i].text));
        assert_memory_equal(r.findings[i].text, EXPECTED[i].text, r.findings[i].len);
        assert_int_equal(r.findings[i].verdict, EXPECTED[i].verdict);
    }
    char out[64];
    assert_int_equal(conclusion_join(&r, CONCLUSION_ABNORMAL, "、", out, sizeof out),
                     strlen("ST-T改变、房性早搏"));
    assert_string_equal(out, "ST-T改变、房性早搏");
    conclusion_join(&r, CONCLUSION_UNKNOWN, "、", out, sizeof out);
    assert_string_equal(out, "顺钟向转位");
    /* Cut short on a character boundary: "ST-T改变" is 10 bytes, 9 fit, 变 does not. */
    assert_int_equal(conclusion_join(&r, CONCLUSION_ABNORMAL, "、", out, 10),
                     strlen("ST-T改变、房性早搏"));
    assert_string_equal(out, "ST-T改");
    assert_int_equal(conclusion_join(&r, CONCLUSION_ABNORMAL, "、", out, 0), 25);
    conclusion_join(&r, CONCLUSION_NONE, "、", out, sizeof out);
    assert_string_equal(out, "");
    /* English words stay together; a decimal is not a sentence end. */
    assert_int_equal(conclusion_read("Sinus rhythm. QT 0.46 s, T wave inversion", &t, &r),
                     CONCLUSION_ABNORMAL);
    assert_int_equal(r.count, 3);
    assert_int_equal(r.findings[1].len, strlen("QT 0.46 s"));
    assert_int_equal(r.findings[1].verdict, CONCLUSION_UNKNOWN);
}

static void past_the_listed_findings_every_finding_still_counts(void **state)
{
    (void)state;
    struct conclusion_terms t = ecg_terms();
    char text[400] = "";
    for (int i = 0; i < CONCLUSION_MAX_FINDINGS + 3; i++)
        strcat(text, "窦性心律，");
    strcat(text, "房颤");
    struct conclusion_reading r;
    assert_int_equal(conclusion_read(text, &t, &r), CONCLUSION_ABNORMAL);
    assert_int_equal(r.count, CONCLUSION_MAX_FINDINGS + 4);
    char out[32];
    assert_int_equal(conclusion_join(&r, CONCLUSION_ABNORMAL, "、", out, sizeof out), 0);
}

static void a_term_must_be_one_finding_by_itself(void **state)
{
    (void)state;
    static const char *const VALID[] = {"窦性心律",        "normal ECG", "ST-T改变",
                                        "1度房室传导阻滞", "QT 0.46",    "no abnormal"};
    static const char *const INVALID[] = {
        "", "窦性心律，正常", "ST-T 改变", " 正常", "正常 ", "1.窦性心律", "72", "a;b", "①"};
    for (size_t i = 0; i < sizeof VALID / sizeof VALID[0]; i++)
        if (!conclusion_term_valid(VALID[i])) fail_msg("\"%s\" refused", VALID[i]);
    for (size_t i = 0; i < sizeof INVALID / sizeof INVALID[0]; i++)
        if (conclusion_term_valid(INVALID[i])) fail_msg("\"%s\" accepted", INVALID[i]);
}

static void a_changed_list_is_checked_item_by_item(void **state)
{
    (void)state;
    const struct protocol_list *l = protocol_list_find("ecg_normal");
    assert_non_null(l);
    assert_null(protocol_list_find("no_such_list"));
    size_t bad;
    char forty[PROTOCOL_LIST_MAX_CHARS * 3 + 1] = "", forty_one[sizeof forty + 3];
    for (int i = 0; i < PROTOCOL_LIST_MAX_CHARS; i++)
        strcat(forty, "字"); /* 40 characters, 120 bytes */
    snprintf(forty_one, sizeof forty_one, "%s字", forty);
    const char *ok[] = {"窦性心律", "Normal ECG", forty};
    assert_int_equal(protocol_list_check(l, ok, 3, &bad), LIST_OK);
    assert_int_equal(protocol_list_check(l, ok, 0, &bad), LIST_OK);
    const char *too_long[] = {"窦性心律", forty_one};
    assert_int_equal(protocol_list_check(l, too_long, 2, &bad), LIST_ITEM_TOO_LONG);
    assert_int_equal(bad, 1);
    const char *empty[] = {"窦性心律", ""};
    assert_int_equal(protocol_list_check(l, empty, 2, &bad), LIST_ITEM_EMPTY);
    assert_int_equal(bad, 1);
    const char *twice[] = {"normal ECG", "窦性心律", "Normal ecg"};
    assert_int_equal(protocol_list_check(l, twice, 3, &bad), LIST_ITEM_DUPLICATE);
    assert_int_equal(bad, 2);
    const char *split[] = {"窦性心律，正常心电图"};
    assert_int_equal(protocol_list_check(l, split, 1, &bad), LIST_ITEM_INVALID);
    assert_int_equal(bad, 0);
    static const char *many[PROTOCOL_LIST_MAX_ITEMS + 1];
    for (size_t i = 0; i <= PROTOCOL_LIST_MAX_ITEMS; i++)
        many[i] = "窦性心律";
    assert_int_equal(protocol_list_check(l, many, PROTOCOL_LIST_MAX_ITEMS + 1, &bad),
                     LIST_TOO_MANY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_issue_examples_read_as_the_issue_says),
        cmocka_unit_test(conclusions_as_exam_centres_write_them),
        cmocka_unit_test(no_text_is_nothing_to_judge),
        cmocka_unit_test(every_built_in_term_reads_as_its_list_says),
        cmocka_unit_test(a_longer_normal_term_explains_an_abnormal_one_inside_it),
        cmocka_unit_test(lists_changed_at_run_time_take_effect),
        cmocka_unit_test(the_reading_names_each_finding_and_its_verdict),
        cmocka_unit_test(past_the_listed_findings_every_finding_still_counts),
        cmocka_unit_test(a_term_must_be_one_finding_by_itself),
        cmocka_unit_test(a_changed_list_is_checked_item_by_item),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
