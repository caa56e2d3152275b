/* reminders.c - see reminders.h. */
#include "domain/reminders.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/cancer_screening.h"

int reminder_stages_parse(const char *text, struct reminder_stages *out)
{
    struct reminder_stages s = {0};
    if (!text) return -1;
    const char *p = text;
    for (;;) {
        while (*p == ' ')
            p++;
        char *end;
        if (!(*p == '-' || *p == '+' || isdigit((unsigned char)*p))) return -1;
        long v = strtol(p, &end, 10);
        if (end == p || v < REMINDER_STAGE_MIN || v > REMINDER_STAGE_MAX) return -1;
        if (s.count == REMINDER_MAX_STAGES) return -1;
        /* insertion in order; a repeat is an error */
        int i = s.count;
        while (i > 0 && s.days[i - 1] > v) {
            s.days[i] = s.days[i - 1];
            i--;
        }
        if (i > 0 && s.days[i - 1] == v) return -1;
        s.days[i] = (int)v;
        s.count++;
        p = end;
        while (*p == ' ')
            p++;
        if (*p == 0) break;
        if (*p != ',') return -1;
        p++;
    }
    *out = s;
    return 0;
}

int reminder_stage_due(const struct reminder_stages *s, struct date due, struct date today,
                       int open)
{
    if (!open || s->count == 0) return NO_REMINDER;
    long late = date_diff_days(today, due); /* days past the due date; negative before */
    int chosen = -1;
    for (int i = 0; i < s->count; i++)
        if (s->days[i] <= late) chosen = i;
    if (chosen < 0) return NO_REMINDER;
    if (chosen == s->count - 1 && late - s->days[chosen] > REMINDER_LAST_STAGE_DAYS)
        return NO_REMINDER;
    return s->days[chosen];
}

int reminder_kind_reminded(const char *kind)
{
    static const char *const KINDS[] = {"followup",   "renewal",          "exam_abnormal",
                                        "copd_visit", "screening_invite", NULL};
    for (int i = 0; kind && KINDS[i]; i++)
        if (strcmp(kind, KINDS[i]) == 0) return 1;
    return 0;
}

struct word {
    const char *code, *zh;
};

static const char *word_of(const struct word *words, const char *code)
{
    for (int i = 0; code && words[i].code; i++)
        if (strcmp(words[i].code, code) == 0) return words[i].zh;
    return NULL;
}

/* What is due, in the resident's words. */
static const char *what_of(const char *kind, const char *program)
{
    static const struct word PROGRAMS[] = {{"hypertension", "高血压随访"},
                                           {"diabetes", "糖尿病随访"},
                                           {"smd", "严重精神障碍随访"},
                                           {"tb", "肺结核随访"},
                                           {"copd", "慢阻肺随访"},
                                           {"elderly", "老年人健康体检"},
                                           {"child", "儿童健康检查"},
                                           {"maternal", "孕产妇健康检查"},
                                           {NULL, NULL}};
    static const struct word KINDS[] = {{"followup", "随访"},
                                        {"renewal", "家庭医生签约续约"},
                                        {"exam_abnormal", "体检异常复查"},
                                        {NULL, NULL}};
    const char *w = NULL;
    if (kind && (strcmp(kind, "followup") == 0 || strcmp(kind, "copd_visit") == 0))
        w = word_of(PROGRAMS, program);
    const struct cancer_screening *screening = cancer_screening_find(program);
    if (kind && strcmp(kind, "screening_invite") == 0 && screening) w = screening->name_zh;
    if (!w) w = word_of(KINDS, kind);
    return w ? w : "健康服务";
}

int reminder_message(char *out, size_t n, const char *kind, const char *program, struct date due,
                     struct date today)
{
    const char *what = what_of(kind, program);
    long stage = date_diff_days(today, due);
    int written;
    /* An invitation is the team asking, not a visit falling due. */
    if (kind && strcmp(kind, "screening_invite") == 0 && stage <= 0)
        written =
            snprintf(out, n,
                     "【家庭医生邀请】您的签约服务包含%s，请于%d年%d月%d日前到签约家庭医生处完成，"
                     "可先电话预约。",
                     what, due.year, due.month, due.day);
    else if (stage < 0)
        written = snprintf(
            out, n,
            "【家庭医生提醒】您的%s将于%d年%d月%d日到期（还有%ld天），请按时到签约家庭医生处完成。",
            what, due.year, due.month, due.day, -stage);
    else if (stage == 0)
        written = snprintf(
            out, n, "【家庭医生提醒】您的%s今天（%d年%d月%d日）到期，请今天到签约家庭医生处完成。",
            what, due.year, due.month, due.day);
    else
        written = snprintf(
            out, n,
            "【家庭医生提醒】您的%s已于%d年%d月%d日到期，已逾期%ld天，请尽快联系您的家庭医生。",
            what, due.year, due.month, due.day, stage);
    if (written < 0 || (size_t)written >= n) return -1;
    return written;
}
