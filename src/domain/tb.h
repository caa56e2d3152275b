/* tb.h - tuberculosis patient management in primary care (PROTOCOLS.md §14, 肺结核患者健康
 * 管理服务规范): the home visit within 72 hours of the county TB institution's notice, the
 * visits by supervision mode and treatment phase, the report of more than a week of missed
 * doses, the referral of an adverse reaction or worsening, and the closing assessment. Pure. */
#ifndef JIAYI_DOMAIN_TB_H
#define JIAYI_DOMAIN_TB_H

#include "util/date.h"

/* Who watches the patient take the drugs (督导方式). */
enum tb_supervision {
    TB_MEDICAL,
    TB_FAMILY,
    TB_VOLUNTEER,
    TB_E_PILLBOX,
    TB_SELF,
    TB_SUPERVISION_COUNT
};
enum tb_phase { TB_INTENSIVE, TB_CONTINUATION };
enum tb_action { TB_CONTINUE, TB_REPORT_MISSED, TB_URGENT_REFER, TB_CLOSE };

#define TB_FIRST_VISIT_DAYS 3    /* [spec] at home within 72 hours of the notice */
#define TB_MISSED_REPORT_DOSES 7 /* [spec] more than one week of doses missed in total */
#define TB_INTENSIVE_VISIT_DAYS                                                                    \
    10 /* [spec] family or e-pillbox: every 10 days, intensive phase                               \
        */

/* One course of treatment as the notice gives it. */
struct tb_course {
    struct date notified, start;
    int intensive_months; /* the intensive (or injection) phase: 2 for most regimens */
    int course_months;    /* the whole course: 6 for a new case */
    enum tb_supervision supervision;
};

/* A visit: the doses missed over the course before it and since the last visit, and what the
 * doctor found. */
struct tb_visit {
    struct date date;
    int missed_before, missed_now;
    int adverse_reaction, worsening;
    int closing; /* the end-of-treatment assessment */
};

#define TB_MAX_REASONS 3

struct tb_result {
    enum tb_phase phase;
    enum tb_action action;
    int report_missed;                   /* the total passed a week at this visit: report it now */
    int refer;                           /* urgent referral to the designated hospital */
    const char *reasons[TB_MAX_REASONS]; /* codes (static) */
    int n_reasons;
    int missed_total;
    int has_next; /* no next visit after the closing one */
    struct date next_due;
    int next_is_closing; /* the next visit is the end-of-treatment assessment */
};

struct date tb_first_visit_due(struct date notified);
/* The course's planned end (its closing assessment): start + course_months. */
struct date tb_course_end(const struct tb_course *c);
enum tb_phase tb_phase_on(const struct tb_course *c, struct date on);
/* The visit after one on `visit`: medical supervision an assessment every month; family,
 * volunteer, e-pillbox or self-administered every 10 days in the intensive phase and every
 * month in the continuation phase; never past the course's end, when the closing assessment
 * is due (*closing set). */
struct date tb_next_visit(const struct tb_course *c, struct date visit, int *closing);
void tb_evaluate(const struct tb_course *c, const struct tb_visit *v, struct tb_result *out);

const char *tb_supervision_name(enum tb_supervision s);
int tb_supervision_parse(const char *name); /* -1 when unknown */
const char *tb_phase_name(enum tb_phase p);
const char *tb_action_name(enum tb_action a);

#endif
