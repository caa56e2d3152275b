/* Unit tests: exam results and home device readings that raise risk warnings
 * (domain/screening.c, [jiayi] thresholds at their boundaries, conclusions read with the
 * term lists and the tasks they open), and the standardised
 * management rule of PROTOCOLS.md §11 (domain/standard.c). */
#include "test.h"

#include "domain/screening.h"

static exam_abnormal_set exam(struct exam_values v)
{
    struct protocol_config c = protocol_config_default();
    struct exam_terms t = exam_terms_default();
    return exam_evaluate(&v, &c, &t, NULL);
}

static void blood_pressure_at_139_140_89_90_179_180(void **state)
{
    (void)state;
    assert_int_equal(exam((struct exam_values){.has_sbp = 1, .sbp = 139, .has_dbp = 1, .dbp = 89}),
                     0);
    assert_int_equal(exam((struct exam_values){.has_sbp = 1, .sbp = 140, .has_dbp = 1, .dbp = 80}),
                     EXAM_BIT(EXAM_BP_HIGH));
    assert_int_equal(exam((struct exam_values){.has_sbp = 1, .sbp = 120, .has_dbp = 1, .dbp = 90}),
                     EXAM_BIT(EXAM_BP_HIGH));
    assert_int_equal(exam((struct exam_values){.has_sbp = 1, .sbp = 179, .has_dbp = 1, .dbp = 109}),
                     EXAM_BIT(EXAM_BP_HIGH));
    exam_abnormal_set s =
        exam((struct exam_values){.has_sbp = 1, .sbp = 180, .has_dbp = 1, .dbp = 100});
    assert_int_equal(s, EXAM_BIT(EXAM_BP_HIGH) | EXAM_BIT(EXAM_BP_VERY_HIGH));
    assert_true(exam_is_urgent(s));
    s = exam((struct exam_values){.has_dbp = 1, .dbp = 110});
    assert_true(exam_is_urgent(s));
}

static void glucose_at_3_8_3_9_6_9_7_0_16_6_16_7(void **state)
{
    (void)state;
    assert_int_equal(exam((struct exam_values){.has_fbg = 1, .fbg_tenths = 38}),
                     EXAM_BIT(EXAM_FBG_LOW));
    assert_int_equal(exam((struct exam_values){.has_fbg = 1, .fbg_tenths = 39}), 0);
    assert_int_equal(exam((struct exam_values){.has_fbg = 1, .fbg_tenths = 69}), 0);
    assert_int_equal(exam((struct exam_values){.has_fbg = 1, .fbg_tenths = 70}),
                     EXAM_BIT(EXAM_FBG_HIGH));
    assert_int_equal(exam((struct exam_values){.has_fbg = 1, .fbg_tenths = 166}),
                     EXAM_BIT(EXAM_FBG_HIGH));
    assert_int_equal(exam((struct exam_values){.has_fbg = 1, .fbg_tenths = 167}),
                     EXAM_BIT(EXAM_FBG_HIGH) | EXAM_BIT(EXAM_FBG_VERY_HIGH));
    assert_false(exam_is_urgent(EXAM_BIT(EXAM_FBG_HIGH)));
    assert_true(exam_is_urgent(EXAM_BIT(EXAM_FBG_LOW)));
}

static void lipids_at_each_threshold(void **state)
{
    (void)state;
    assert_int_equal(exam((struct exam_values){.has_tc = 1, .tc_hundredths = 619}), 0);
    assert_int_equal(exam((struct exam_values){.has_tc = 1, .tc_hundredths = 620}),
                     EXAM_BIT(EXAM_TC_HIGH));
    assert_int_equal(exam((struct exam_values){.has_tg = 1, .tg_hundredths = 229}), 0);
    assert_int_equal(exam((struct exam_values){.has_tg = 1, .tg_hundredths = 230}),
                     EXAM_BIT(EXAM_TG_HIGH));
    assert_int_equal(exam((struct exam_values){.has_ldl = 1, .ldl_hundredths = 409}), 0);
    assert_int_equal(exam((struct exam_values){.has_ldl = 1, .ldl_hundredths = 410}),
                     EXAM_BIT(EXAM_LDL_HIGH));
    assert_int_equal(exam((struct exam_values){.has_hdl = 1, .hdl_hundredths = 100}), 0);
    assert_int_equal(exam((struct exam_values){.has_hdl = 1, .hdl_hundredths = 99}),
                     EXAM_BIT(EXAM_HDL_LOW));
}

static void bmi_overweight_raises_no_task_obese_does(void **state)
{
    (void)state;
    assert_int_equal(exam_bmi_tenths(1700, 700), 242); /* 70 kg, 170 cm: 24.22 */
    assert_int_equal(exam_bmi_tenths(0, 700), 0);
    assert_int_equal(exam((struct exam_values){.has_bmi = 1, .bmi_tenths = 239}), 0);
    exam_abnormal_set s = exam((struct exam_values){.has_bmi = 1, .bmi_tenths = 240});
    assert_int_equal(s, EXAM_BIT(EXAM_OVERWEIGHT));
    assert_false(exam_needs_task(s));
    s = exam((struct exam_values){.has_bmi = 1, .bmi_tenths = 280});
    assert_int_equal(s, EXAM_BIT(EXAM_OBESE));
    assert_true(exam_needs_task(s));
}

/* The conclusions themselves are read by domain/conclusion.c (test_conclusion.c); here,
 * what each verdict adds to an exam and which task follows. */
static void conclusions_become_abnormal_or_review_codes(void **state)
{
    (void)state;
    assert_int_equal(exam((struct exam_values){.ecg = "窦性心律", .ultrasound = "未见明显异常"}),
                     0);
    assert_int_equal(exam((struct exam_values){0}), 0); /* no conclusions: nothing to judge */
    exam_abnormal_set s = exam((struct exam_values){.ecg = "窦性心律 ST-T改变 房性早搏"});
    assert_int_equal(s, EXAM_BIT(EXAM_ECG_ABNORMAL));
    assert_true(exam_needs_task(s));
    assert_false(exam_needs_review(s));
    assert_int_equal(exam((struct exam_values){.ecg = "房颤", .ultrasound = "胆囊结石"}),
                     EXAM_BIT(EXAM_ECG_ABNORMAL) | EXAM_BIT(EXAM_ULTRASOUND_ABNORMAL));
    /* Text the lists do not know asks for a doctor's reading, not a warning. */
    s = exam((struct exam_values){.ecg = "心电图：请结合临床", .ultrasound = "肝内钙化灶"});
    assert_int_equal(s, EXAM_BIT(EXAM_ECG_REVIEW) | EXAM_BIT(EXAM_ULTRASOUND_REVIEW));
    assert_false(exam_needs_task(s));
    assert_true(exam_needs_review(s));
    assert_false(exam_is_urgent(s));
    assert_string_equal(exam_abnormal_code(EXAM_ECG_REVIEW), "ecg_review");
    assert_string_equal(exam_abnormal_code(EXAM_ULTRASOUND_REVIEW), "ultrasound_review");
    /* With another abnormal result the warning task carries the review along. */
    s = exam((struct exam_values){.has_sbp = 1, .sbp = 150, .ecg = "心电图：请结合临床"});
    assert_int_equal(s, EXAM_BIT(EXAM_BP_HIGH) | EXAM_BIT(EXAM_ECG_REVIEW));
    assert_true(exam_needs_task(s));
    assert_false(exam_needs_review(s));
    /* Overweight alone still raises nothing, even beside a conclusion to review. */
    s = exam((struct exam_values){.has_bmi = 1, .bmi_tenths = 250, .ecg = "顺钟向转位"});
    assert_false(exam_needs_task(s));
    assert_true(exam_needs_review(s));
}

static void task_notes_name_the_codes_and_the_unrecognised_text(void **state)
{
    (void)state;
    struct protocol_config c = protocol_config_default();
    struct exam_terms t = exam_terms_default();
    struct exam_readings read;
    struct exam_values v = {.has_sbp = 1, .sbp = 150, .ecg = "窦性心律，房颤"};
    char note[600];
    exam_task_note(exam_evaluate(&v, &c, &t, &read), note, sizeof note);
    assert_string_equal(note, "bp_high,ecg_abnormal");
    v = (struct exam_values){.ecg = "1.窦性心律 2.顺钟向转位 3.心电图：请结合临床",
                             .ultrasound = "肝胆胰脾未见明显异常，肝内钙化灶"};
    exam_abnormal_set s = exam_evaluate(&v, &c, &t, &read);
    exam_review_note(s, &read, note, sizeof note);
    assert_string_equal(note,
                        "ecg_review:顺钟向转位、心电图：请结合临床;ultrasound_review:肝内钙化灶");
    /* A short buffer cuts the note, never a character. */
    exam_review_note(s, &read, note, 16);
    assert_string_equal(note, "ecg_review:顺");
    v.ecg = "正常心电图";
    exam_review_note(exam_evaluate(&v, &c, &t, &read), &read, note, sizeof note);
    assert_string_equal(note, "ultrasound_review:肝内钙化灶");
}

static void conclusions_follow_the_term_lists(void **state)
{
    (void)state;
    struct protocol_config c = protocol_config_default();
    struct exam_terms t = exam_terms_default();
    struct exam_values v = {.ecg = "窦性心律 顺钟向转位"};
    assert_int_equal(exam_evaluate(&v, &c, &t, NULL), EXAM_BIT(EXAM_ECG_REVIEW));
    static const char *const NORMAL[] = {"窦性心律", "顺钟向转位"};
    t.ecg.normal = (struct string_list){NORMAL, 2};
    assert_int_equal(exam_evaluate(&v, &c, &t, NULL), 0);
}

static void thresholds_follow_the_settings(void **state)
{
    (void)state;
    struct protocol_config c = protocol_config_default();
    c.exam_sbp_high = 130;
    struct exam_values v = {.has_sbp = 1, .sbp = 135};
    struct exam_terms t = exam_terms_default();
    assert_int_equal(exam_evaluate(&v, &c, &t, NULL), EXAM_BIT(EXAM_BP_HIGH));
    const char *bad = NULL;
    c.exam_bmi_overweight_tenths = 300;
    assert_int_equal(protocol_config_check(&c, &bad), -1);
    assert_string_equal(bad, "exam_bmi_overweight_tenths");
}

static enum reading_level reading(struct device_reading r, const char **reason)
{
    struct protocol_config c = protocol_config_default();
    return device_reading_check(&r, &c, reason);
}

static void device_readings_at_each_level(void **state)
{
    (void)state;
    const char *why;
    assert_int_equal(reading((struct device_reading){1, 159, 1, 99, 0, 0}, &why), READING_NORMAL);
    assert_null(why);
    assert_int_equal(reading((struct device_reading){1, 160, 1, 90, 0, 0}, &why), READING_WARNING);
    assert_string_equal(why, "bp_high");
    assert_int_equal(reading((struct device_reading){1, 150, 1, 100, 0, 0}, &why), READING_WARNING);
    assert_int_equal(reading((struct device_reading){1, 90, 1, 60, 0, 0}, &why), READING_NORMAL);
    assert_int_equal(reading((struct device_reading){1, 89, 1, 60, 0, 0}, &why), READING_WARNING);
    assert_string_equal(why, "bp_low");
    assert_int_equal(reading((struct device_reading){1, 180, 1, 100, 0, 0}, &why), READING_URGENT);
    assert_string_equal(why, "bp_very_high");
    assert_int_equal(reading((struct device_reading){0, 0, 0, 0, 1, 138}, &why), READING_NORMAL);
    assert_int_equal(reading((struct device_reading){0, 0, 0, 0, 1, 139}, &why), READING_WARNING);
    assert_string_equal(why, "glucose_high");
    assert_int_equal(reading((struct device_reading){0, 0, 0, 0, 1, 167}, &why), READING_URGENT);
    assert_string_equal(why, "glucose_very_high");
    assert_int_equal(reading((struct device_reading){0, 0, 0, 0, 1, 38}, &why), READING_URGENT);
    assert_string_equal(why, "glucose_low");
    assert_int_equal(reading((struct device_reading){0, 0, 0, 0, 1, 39}, &why), READING_NORMAL);
}

/* The resident's own verdict on a reading, at each boundary (age 64 and 65 for the looser
 * systolic target; glucose in tenths). */
static void reading_verdicts_at_each_boundary(void **state)
{
    (void)state;
    struct protocol_config c = protocol_config_default();
    static const struct {
        int sbp, dbp, age;
        enum reading_verdict expected;
    } BP[] = {
        {139, 89, 50, VERDICT_NORMAL},     {140, 80, 50, VERDICT_HIGH},
        {120, 90, 50, VERDICT_HIGH},       {149, 85, 65, VERDICT_NORMAL},
        {149, 85, 64, VERDICT_HIGH},       {150, 85, 65, VERDICT_HIGH},
        {179, 109, 70, VERDICT_HIGH},      {180, 100, 70, VERDICT_VERY_HIGH},
        {150, 110, 70, VERDICT_VERY_HIGH}, {90, 60, 70, VERDICT_NORMAL},
        {89, 60, 70, VERDICT_LOW},
    };
    for (size_t i = 0; i < sizeof BP / sizeof BP[0]; i++)
        if (bp_verdict(BP[i].sbp, BP[i].dbp, BP[i].age, &c) != BP[i].expected)
            fail_msg("%d/%d at %d: expected %s", BP[i].sbp, BP[i].dbp, BP[i].age,
                     reading_verdict_name(BP[i].expected));
    static const struct {
        int tenths;
        enum reading_verdict expected;
    } FBG[] = {{38, VERDICT_VERY_LOW},  {39, VERDICT_VERY_LOW}, {40, VERDICT_NORMAL},
               {69, VERDICT_NORMAL},    {70, VERDICT_HIGH},     {166, VERDICT_HIGH},
               {167, VERDICT_VERY_HIGH}};
    for (size_t i = 0; i < sizeof FBG / sizeof FBG[0]; i++)
        if (glucose_verdict(FBG[i].tenths) != FBG[i].expected)
            fail_msg("glucose %d tenths: expected %s", FBG[i].tenths,
                     reading_verdict_name(FBG[i].expected));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(blood_pressure_at_139_140_89_90_179_180),
        cmocka_unit_test(glucose_at_3_8_3_9_6_9_7_0_16_6_16_7),
        cmocka_unit_test(lipids_at_each_threshold),
        cmocka_unit_test(bmi_overweight_raises_no_task_obese_does),
        cmocka_unit_test(conclusions_become_abnormal_or_review_codes),
        cmocka_unit_test(task_notes_name_the_codes_and_the_unrecognised_text),
        cmocka_unit_test(conclusions_follow_the_term_lists),
        cmocka_unit_test(thresholds_follow_the_settings),
        cmocka_unit_test(device_readings_at_each_level),
        cmocka_unit_test(reading_verdicts_at_each_boundary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
